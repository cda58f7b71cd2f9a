//! Quote attribution for newsdesk: who said what in a news article.
//!
//! [`quotes`] finds three kinds of reported speech and attaches a speaker to
//! each:
//!
//! * **direct** quotations in any mark style (straight, curly, single,
//!   guillemets), including unclosed quotes, quotes whose opening mark was
//!   dropped, and quotes that run over several paragraphs with a reopening
//!   mark at each paragraph start;
//! * **indirect** speech framed by a cue ("X said (that) …", "…, X said.",
//!   "according to X, …", "X told reporters …", "X stressed …");
//! * **mixed** quotes, where reported speech contains a partial verbatim
//!   quotation ("… is willing to “use its full capabilities” to help").
//!
//! Speakers are found next to the cue (a name, a pronoun, a description, a
//! relative "who") and resolved against the entity [`Mention`]s produced by
//! earlier stages: pronouns go to the subject of the previous attribution or
//! the latest compatible person, descriptions ("the defence minister") to
//! mentions whose role shares the head noun and most modifiers, and a
//! paragraph that is only a quotation inherits the previous speaker. When no
//! mentions are given, capitalised name sequences in the text stand in for
//! them, so the crate works standalone. Every quote carries either a speaker
//! or a `reason` explaining why there is none.
//!
//! All offsets are UTF-8 byte offsets into the unmodified input; spans are
//! half-open and fall on char boundaries.
//!
//! [`eval_polnear`] scores the stage on the PolNeAR attribution corpus.

mod attrib;
mod direct;
mod eval;
mod resolve;
mod text;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use eval::{eval_polnear, eval_polnear_split, Prf, Report};
pub use text::split_sentences;

/// Entity class of a mention, as produced by the entity stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MentionKind {
    Person,
    Org,
    Place,
    Other,
}

/// An entity mention from an earlier stage, taken as plain data so this
/// crate stays independent of that stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    pub start: u32,
    pub end: u32,
    pub kind: MentionKind,
    /// Canonical entity id.
    pub entity: Option<String>,
    /// Canonical name.
    pub canonical: Option<String>,
    /// Role when known, e.g. "defence minister".
    pub role: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuoteKind {
    /// Verbatim, inside quotation marks.
    Direct,
    /// Paraphrase framed by a cue.
    Indirect,
    /// Paraphrase containing a verbatim fragment.
    Mixed,
}

/// Who said it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Speaker {
    /// The text naming the speaker for this quote: a name, a pronoun, a
    /// description, or (via "previous-paragraph") the earlier mention.
    pub start: u32,
    pub end: u32,
    pub entity: Option<String>,
    /// Canonical name: from the resolved mention, or, without mentions, the
    /// capitalised name the heuristics settled on.
    pub canonical: Option<String>,
    /// "name", "pronoun", "description", "previous-paragraph" or
    /// "source-citation".
    pub via: &'static str,
}

/// One attribution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Quote {
    /// The whole attribution: content, cue and speaker when local.
    pub start: u32,
    pub end: u32,
    /// What was said (for direct quotes: inside the marks).
    pub content: (u32, u32),
    pub kind: QuoteKind,
    /// The cue: "said", "told", "according to", "was quoted as saying", …
    pub cue: Option<(u32, u32)>,
    pub speaker: Option<Speaker>,
    /// Why `speaker` is missing or unresolved.
    pub reason: Option<String>,
    /// A source cited by the speaker ("citing a military source").
    pub cited: Option<(u32, u32)>,
}

/// Errors of the evaluation harness; [`quotes`] itself cannot fail.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("reading {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: {msg}")]
    Parse {
        path: PathBuf,
        line: usize,
        msg: String,
    },
    #[error("no PolNeAR data under {0} (expected text/ and attributions/)")]
    NoData(PathBuf),
}

/// Finds direct, indirect and mixed quotes in `text` with their speakers.
///
/// `sentences` are byte spans from the sentence stage; when empty, the
/// built-in [`split_sentences`] is used. `mentions` may be empty, in which
/// case speakers are resolved with capitalised-name heuristics only.
/// The result is sorted by `(start, end)`.
pub fn quotes(text: &str, sentences: &[(u32, u32)], mentions: &[Mention]) -> Vec<Quote> {
    resolve::run(text, sentences, mentions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(t: &str, sp: (u32, u32)) -> &str {
        &t[sp.0 as usize..sp.1 as usize]
    }

    fn person(t: &str, name: &str, id: &str, role: Option<&str>) -> Mention {
        let start = t.find(name).expect("name in text") as u32;
        Mention {
            start,
            end: start + name.len() as u32,
            kind: MentionKind::Person,
            entity: Some(id.into()),
            canonical: Some(name.into()),
            role: role.map(Into::into),
        }
    }

    fn check_invariants(t: &str, qs: &[Quote]) {
        let mut prev = (0, 0);
        for q in qs {
            assert!((q.start, q.end) >= prev, "sorted");
            prev = (q.start, q.end);
            assert!(
                q.speaker.is_some() || q.reason.is_some(),
                "speaker or reason: {q:?}"
            );
            let mut spans = vec![(q.start, q.end), q.content];
            spans.extend(q.cue);
            spans.extend(q.cited);
            spans.extend(q.speaker.as_ref().map(|s| (s.start, s.end)));
            for (a, b) in spans {
                assert!(a <= b && (b as usize) <= t.len());
                assert!(t.is_char_boundary(a as usize) && t.is_char_boundary(b as usize));
            }
            assert!(q.start <= q.content.0 && q.content.1 <= q.end);
        }
    }

    #[test]
    fn curly_and_straight_direct_quotes() {
        let t = "“We will rebuild the bridge,” said Mayor Lena Ortiz.\n\n\"It is a matter of months,\" she added.";
        let qs = quotes(t, &[], &[]);
        check_invariants(t, &qs);
        assert_eq!(qs.len(), 2);
        assert_eq!(qs[0].kind, QuoteKind::Direct);
        assert_eq!(s(t, qs[0].content), "We will rebuild the bridge,");
        let sp = qs[0].speaker.as_ref().unwrap();
        assert_eq!(&t[sp.start as usize..sp.end as usize], "Mayor Lena Ortiz");
        assert_eq!(s(t, qs[1].content), "It is a matter of months,");
        let sp1 = qs[1].speaker.as_ref().unwrap();
        assert_eq!(sp1.via, "pronoun");
        assert_eq!(sp1.canonical.as_deref(), Some("Lena Ortiz"));
        assert_eq!(s(t, qs[1].cue.unwrap()), "added");
    }

    #[test]
    fn he_said_after_named_speaker_uses_mentions() {
        let t = "General Tomas Reyes said the drills were routine. \
                 “Nothing will change,” he said. Critics disagreed.";
        let m = vec![person(t, "Tomas Reyes", "Q1", Some("general"))];
        let qs = quotes(t, &[], &m);
        check_invariants(t, &qs);
        let direct = qs.iter().find(|q| q.kind == QuoteKind::Direct).unwrap();
        let sp = direct.speaker.as_ref().unwrap();
        assert_eq!(sp.via, "pronoun");
        assert_eq!(sp.entity.as_deref(), Some("Q1"));
        let first = &qs[0];
        assert_eq!(first.kind, QuoteKind::Indirect);
        assert_eq!(s(t, first.content), "the drills were routine");
    }

    #[test]
    fn unbalanced_quote_gets_speaker_from_cue() {
        let t = "The coach said: “We are not finished yet, not by a long way\n\nThe season ends in May.";
        let qs = quotes(t, &[], &[]);
        check_invariants(t, &qs);
        let q = &qs[0];
        assert_eq!(q.kind, QuoteKind::Direct);
        assert_eq!(
            s(t, q.content),
            "We are not finished yet, not by a long way"
        );
        assert_eq!(q.speaker.as_ref().unwrap().via, "description");
    }

    #[test]
    fn multi_paragraph_quote_and_quote_only_paragraph() {
        let t = "Inspector Hana Ruiz described the scene. “The doors were open.\n\n\
                 “Nobody had touched the files,” Ruiz said.\n\n\
                 “We expect charges within weeks.”";
        let qs = quotes(t, &[], &[]);
        check_invariants(t, &qs);
        let d: Vec<&Quote> = qs.iter().filter(|q| q.kind == QuoteKind::Direct).collect();
        assert_eq!(d.len(), 2, "{qs:#?}");
        assert!(s(t, d[0].content).starts_with("The doors were open."));
        assert!(s(t, d[0].content).ends_with("files,"));
        assert_eq!(d[0].speaker.as_ref().unwrap().via, "name");
        let carried = d[1].speaker.as_ref().unwrap();
        assert_eq!(carried.via, "previous-paragraph");
        assert_eq!(&t[carried.start as usize..carried.end as usize], "Ruiz");
    }

    #[test]
    fn minister_added_resolves_via_role() {
        let t =
            "Defence Minister Omar Haddad met his Iranian counterpart Reza Karimi in Damascus. \
                 The talks were long, the Syrian defence minister added.\n\n\
                 For his part, the Iranian defence minister stressed that cooperation would grow.";
        let m = vec![
            person(t, "Omar Haddad", "E1", Some("Syrian defence minister")),
            person(t, "Reza Karimi", "E2", Some("Iranian defence minister")),
        ];
        let qs = quotes(t, &[], &m);
        check_invariants(t, &qs);
        let added = qs
            .iter()
            .find(|q| q.cue.is_some_and(|c| s(t, c) == "added"))
            .unwrap();
        assert_eq!(s(t, added.content), "The talks were long");
        let sp = added.speaker.as_ref().unwrap();
        assert_eq!((sp.via, sp.entity.as_deref()), ("description", Some("E1")));
        let stressed = qs
            .iter()
            .find(|q| q.cue.is_some_and(|c| s(t, c) == "stressed"))
            .unwrap();
        assert_eq!(s(t, stressed.content), "cooperation would grow");
        let sp = stressed.speaker.as_ref().unwrap();
        assert_eq!(s(t, (sp.start, sp.end)), "the Iranian defence minister");
        assert_eq!(sp.entity.as_deref(), Some("E2"));
    }

    #[test]
    fn the_minister_added_picks_the_only_minister() {
        let t = "Finance Minister Ana Silva presented the budget. Growth will return, the minister added.";
        let m = vec![person(t, "Ana Silva", "F1", Some("finance minister"))];
        let qs = quotes(t, &[], &m);
        let q = qs.iter().find(|q| q.cue.is_some()).unwrap();
        assert_eq!(q.speaker.as_ref().unwrap().entity.as_deref(), Some("F1"));
    }

    #[test]
    fn indirect_said_that_and_according_to() {
        let t = "Paul Brandt said that the factory would close in June. \
                 According to union leaders, about 300 jobs are at risk. \
                 Output fell sharply, according to the company.";
        let qs = quotes(t, &[], &[]);
        check_invariants(t, &qs);
        assert_eq!(qs.len(), 3, "{qs:#?}");
        assert_eq!(s(t, qs[0].content), "the factory would close in June");
        assert_eq!(qs[0].kind, QuoteKind::Indirect);
        assert_eq!(s(t, qs[1].content), "about 300 jobs are at risk");
        let sp = qs[1].speaker.as_ref().unwrap();
        assert_eq!(s(t, (sp.start, sp.end)), "union leaders");
        assert_eq!(s(t, qs[2].content), "Output fell sharply");
        assert_eq!(s(t, qs[2].cue.unwrap()), "according to");
    }

    #[test]
    fn mixed_partial_quote() {
        let t = "The minister said the army is willing to “use its full capabilities” to help the region.";
        let qs = quotes(t, &[], &[]);
        check_invariants(t, &qs);
        assert_eq!(qs.len(), 1, "{qs:#?}");
        assert_eq!(qs[0].kind, QuoteKind::Mixed);
        assert!(s(t, qs[0].content).ends_with("to help the region"));
    }

    #[test]
    fn agency_citing_a_source() {
        let t = "Two drones were shot down near the airport, NOVA news agency reported, citing a military source.";
        let qs = quotes(t, &[], &[]);
        check_invariants(t, &qs);
        assert_eq!(qs.len(), 1, "{qs:#?}");
        let q = &qs[0];
        assert_eq!(
            s(t, q.content),
            "Two drones were shot down near the airport"
        );
        let sp = q.speaker.as_ref().unwrap();
        assert_eq!(sp.via, "source-citation");
        assert_eq!(s(t, (sp.start, sp.end)), "NOVA news agency");
        assert_eq!(s(t, q.cited.unwrap()), "a military source");
    }

    #[test]
    fn pronoun_without_antecedent_has_reason() {
        let t = "“It was a long night,” she said.";
        let qs = quotes(t, &[], &[]);
        check_invariants(t, &qs);
        assert_eq!(
            qs[0].reason.as_deref(),
            Some("pronoun with no earlier person")
        );
        let t2 = "The banner read “Welcome home to all our brave soldiers” in large letters.";
        let qs2 = quotes(t2, &[], &[]);
        check_invariants(t2, &qs2);
        assert_eq!(qs2[0].reason.as_deref(), Some("no speaker named"));
    }

    #[test]
    fn every_quote_has_speaker_or_reason_on_messy_text() {
        let t = "Héctor Núñez, the café’s owner, said “ça va” twice.\n\n\
                 ”Stray” marks,” he said \"\" and ' here.\n\n\
                 «Nous restons», a déclaré Núñez. 'Fine,' they said, adding that prices rose.\n\n\
                 “Unclosed to the end";
        let qs = quotes(t, &[], &[]);
        check_invariants(t, &qs);
        assert!(!qs.is_empty());
    }
}
