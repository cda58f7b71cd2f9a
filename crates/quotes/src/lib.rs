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

pub use eval::{
    eval_polnear, eval_polnear_split, eval_polnear_split_with, eval_polnear_with, Prf, Report,
};
pub use text::{dateline, split_sentences, Dateline};

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
    fn participle_chained_to_a_frame_shares_its_speaker() {
        let t = "Mayor Lena Ortiz opened the new depot on Monday.\n\n\
                 Rents keep rising and the middle class is shrinking, she continued, \
                 adding, “Nobody in this city can ignore that any longer.\"";
        let m = vec![person(t, "Lena Ortiz", "L1", Some("mayor"))];
        let qs = quotes(t, &[], &m);
        check_invariants(t, &qs);
        assert_eq!(qs.len(), 2, "{qs:#?}");
        let continued = &qs[0];
        assert_eq!(s(t, continued.cue.unwrap()), "continued");
        assert_eq!(
            s(t, continued.content),
            "Rents keep rising and the middle class is shrinking"
        );
        let adding = &qs[1];
        assert_eq!(s(t, adding.cue.unwrap()), "adding");
        assert_eq!(adding.kind, QuoteKind::Direct);
        assert_eq!(
            s(t, adding.content),
            "Nobody in this city can ignore that any longer."
        );
        for q in &qs {
            assert_eq!(q.speaker.as_ref().unwrap().entity.as_deref(), Some("L1"));
        }
    }

    #[test]
    fn cue_without_speaker_inside_speech_is_part_of_it() {
        let t = "Mayor Lena Ortiz spoke at the depot.\n\n\
                 The empty shops in the old town show the depth of the slump, she said.";
        let m = vec![person(t, "Lena Ortiz", "L1", Some("mayor"))];
        let qs = quotes(t, &[], &m);
        check_invariants(t, &qs);
        assert_eq!(qs.len(), 1, "{qs:#?}");
        assert_eq!(s(t, qs[0].cue.unwrap()), "said");
        assert_eq!(
            qs[0].speaker.as_ref().unwrap().entity.as_deref(),
            Some("L1")
        );
    }

    #[test]
    fn outlet_with_article_reported() {
        for (t, kind) in [
            (
                "“The border stays closed until further notice,” the Daily Herald reported.",
                QuoteKind::Direct,
            ),
            (
                "\"The border stays closed until further notice,\" the Daily Herald reported on Monday.",
                QuoteKind::Direct,
            ),
            (
                "The border stays closed until further notice, the Daily Herald reported.",
                QuoteKind::Indirect,
            ),
        ] {
            let qs = quotes(t, &[], &[]);
            check_invariants(t, &qs);
            assert_eq!(qs.len(), 1, "{qs:#?}");
            assert_eq!(qs[0].kind, kind);
            assert!(s(t, qs[0].content).starts_with("The border stays closed"));
            let sp = qs[0].speaker.as_ref().unwrap();
            assert_eq!(s(t, (sp.start, sp.end)), "the Daily Herald");
            assert_eq!(sp.canonical.as_deref(), Some("Daily Herald"));
        }
    }

    #[test]
    fn a_second_frame_ends_the_first_content() {
        let t = "The head of the port authority, for his part, expressed his thanks to the crews, \
                 adding \"The harbour will reopen next week.\"\n\n\
                 Mayor Lena Ortiz stated that the repairs went well, and said: \"The town owes them. \
                 We will not forget it.\"";
        let m = vec![person(t, "Lena Ortiz", "L1", Some("mayor"))];
        let qs = quotes(t, &[], &m);
        check_invariants(t, &qs);
        let by_cue = |c: &str| {
            qs.iter()
                .find(|q| q.cue.is_some_and(|x| s(t, x) == c))
                .unwrap()
        };
        assert_eq!(s(t, by_cue("expressed").content), "his thanks to the crews");
        let adding = by_cue("adding");
        assert_eq!(adding.kind, QuoteKind::Direct);
        assert_eq!(s(t, adding.content), "The harbour will reopen next week.");
        assert_eq!(s(t, by_cue("stated").content), "the repairs went well");
        let said = by_cue("said");
        assert_eq!(said.kind, QuoteKind::Direct);
        assert_eq!(
            s(t, said.content),
            "The town owes them. We will not forget it."
        );
        assert_eq!(said.speaker.as_ref().unwrap().entity.as_deref(), Some("L1"));
    }

    #[test]
    fn an_outlet_quoting_someone_as_saying() {
        for t in [
            "“The border stays closed until further notice,” the Daily Herald quoted Mayor Lena Ortiz as saying.",
            "The Daily Herald quoted Mayor Lena Ortiz as saying that the border stays closed until further notice.",
        ] {
            let m = vec![person(t, "Lena Ortiz", "L1", Some("mayor"))];
            let qs = quotes(t, &[], &m);
            check_invariants(t, &qs);
            assert_eq!(qs.len(), 1, "{t}: {qs:#?}");
            assert!(s(t, qs[0].content).contains("border stays closed"), "{t}");
            let sp = qs[0].speaker.as_ref().unwrap();
            assert_eq!(sp.entity.as_deref(), Some("L1"), "{t}");
            assert_eq!(s(t, qs[0].cue.unwrap()), "saying");
        }
    }

    #[test]
    fn a_frame_after_the_closing_mark_is_no_part_of_the_quote() {
        let t = "Mayor Lena Ortiz said \"the harbour will reopen next week\", adding that the crews had worked all night.";
        let m = vec![person(t, "Lena Ortiz", "L1", Some("mayor"))];
        let qs = quotes(t, &[], &m);
        check_invariants(t, &qs);
        let said = qs
            .iter()
            .find(|q| q.cue.is_some_and(|c| s(t, c) == "said"))
            .unwrap();
        assert_eq!(said.kind, QuoteKind::Direct);
        assert_eq!(s(t, said.content), "the harbour will reopen next week");
        let adding = qs
            .iter()
            .find(|q| q.cue.is_some_and(|c| s(t, c) == "adding"))
            .unwrap();
        assert_eq!(s(t, adding.content), "the crews had worked all night");
        assert_eq!(
            adding.speaker.as_ref().unwrap().entity.as_deref(),
            Some("L1")
        );
    }

    #[test]
    fn participle_after_a_determiner_is_no_cue() {
        for t in [
            "Farmers met in the town hall. The region’s continued outages have cost them dearly.",
            "Farmers met in the town hall. In the face of the reported shortages they sold early.",
        ] {
            let qs = quotes(t, &[], &[]);
            assert!(qs.is_empty(), "{t}: {qs:#?}");
        }
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

    fn speaker_text<'a>(t: &'a str, q: &Quote) -> &'a str {
        let sp = q.speaker.as_ref().expect("speaker");
        &t[sp.start as usize..sp.end as usize]
    }

    fn quote_of<'a>(t: &str, qs: &'a [Quote], words: &str) -> &'a Quote {
        let at = t.find(words).expect("words in text") as u32;
        qs.iter()
            .find(|q| q.content.0 <= at && at < q.content.1)
            .unwrap_or_else(|| panic!("no quote over {words:?}: {qs:#?}"))
    }

    #[test]
    fn pronoun_prefers_subject_over_prepositional_object() {
        let t = "General Karl Moreno, for his part, appreciated the support provided by \
                 Chancellor Ivan Petrov. “We will stand together until the end,” he stated.";
        let m = vec![
            person(t, "Karl Moreno", "P1", Some("general")),
            person(t, "Ivan Petrov", "P2", Some("chancellor")),
        ];
        for ms in [&m[..], &[]] {
            let qs = quotes(t, &[], ms);
            check_invariants(t, &qs);
            let q = quote_of(t, &qs, "stand together");
            assert_eq!(q.kind, QuoteKind::Direct);
            let sp = q.speaker.as_ref().unwrap();
            assert_eq!(sp.via, "pronoun");
            assert_eq!(sp.canonical.as_deref(), Some("Karl Moreno"), "{qs:#?}");
        }
        let qs = quotes(t, &[], &m);
        let q = quote_of(t, &qs, "stand together");
        assert_eq!(q.speaker.as_ref().unwrap().entity.as_deref(), Some("P1"));
    }

    #[test]
    fn pronoun_skips_pronoun_subject_and_objects() {
        let t = "Mayor Lena Ortiz opened the new bridge on Monday. \
                 She thanked engineer Paul Brandt for the work. \
                 “This bridge will serve the town for a century,” she said.";
        let m = vec![
            person(t, "Lena Ortiz", "L1", Some("mayor")),
            person(t, "Paul Brandt", "B1", Some("engineer")),
        ];
        let qs = quotes(t, &[], &m);
        check_invariants(t, &qs);
        let q = quote_of(t, &qs, "serve the town");
        assert_eq!(q.speaker.as_ref().unwrap().entity.as_deref(), Some("L1"));
    }

    #[test]
    fn for_his_part_is_not_the_speaker() {
        let t = "Defence Minister Omar Haddad for his part was quoted as saying: \
                 “Our forces are ready for any scenario.”";
        let m = [person(t, "Omar Haddad", "E1", Some("defence minister"))];
        for ms in [&m[..], &[]] {
            let qs = quotes(t, &[], ms);
            check_invariants(t, &qs);
            let q = quote_of(t, &qs, "ready for any");
            assert!(speaker_text(t, q).ends_with("Omar Haddad"), "{qs:#?}");
            assert_eq!(
                q.speaker.as_ref().unwrap().canonical.as_deref(),
                Some("Omar Haddad")
            );
        }
        let t2 = "Reza Karimi, for his part, said the talks would resume.";
        let qs = quotes(t2, &[], &[]);
        check_invariants(t2, &qs);
        assert_eq!(speaker_text(t2, &qs[0]), "Reza Karimi");
    }

    #[test]
    fn partial_quote_joins_the_sentence_attribution() {
        let t = "Voicing readiness to build “joint infrastructure” in the region, \
                 the defence minister said the two armies would hold drills.";
        let m = [Mention {
            start: t.find("the defence minister").unwrap() as u32,
            end: (t.find("the defence minister").unwrap() + "the defence minister".len()) as u32,
            kind: MentionKind::Person,
            entity: Some("mention:0".into()),
            canonical: Some("Omar Haddad".into()),
            role: Some("defence minister".into()),
        }];
        for ms in [&m[..], &[]] {
            let qs = quotes(t, &[], ms);
            check_invariants(t, &qs);
            let q = quote_of(t, &qs, "joint infrastructure");
            assert_eq!(q.kind, QuoteKind::Mixed);
            assert_eq!(speaker_text(t, q), "the defence minister");
            let said = quote_of(t, &qs, "two armies");
            assert_eq!(speaker_text(t, said), "the defence minister");
        }
    }

    #[test]
    fn partial_quotes_after_framing_verb_go_to_subject() {
        let t = "Foreign Minister Ana Silva visited the border town on Sunday.\n\n\
                 She further condemned the raid as a “violation of sovereignty,” while also \
                 denouncing the “illegal” presence of foreign troops.";
        let m = [person(t, "Ana Silva", "S1", Some("foreign minister"))];
        for ms in [&m[..], &[]] {
            let qs = quotes(t, &[], ms);
            check_invariants(t, &qs);
            for w in ["violation of", "illegal"] {
                let q = quote_of(t, &qs, w);
                assert_eq!(q.kind, QuoteKind::Mixed);
                let sp = q.speaker.as_ref().unwrap();
                assert_eq!(speaker_text(t, q), "She");
                assert_eq!(sp.canonical.as_deref(), Some("Ana Silva"), "{qs:#?}");
            }
        }
        let qs = quotes(t, &[], &m);
        let q = quote_of(t, &qs, "illegal");
        assert_eq!(q.speaker.as_ref().unwrap().entity.as_deref(), Some("S1"));
    }

    #[test]
    fn participial_clause_between_subject_and_verb() {
        let t = "Lt. Gen. Karl Moreno, referring to the history of the alliance, appreciated \
                 the role of Ivan Petrov and said: “We owe our allies a great deal.”\n\n\
                 Emphasizing the recent visit, the general said cooperation would deepen.";
        let m = vec![
            person(t, "Karl Moreno", "P1", Some("lieutenant general")),
            person(t, "Ivan Petrov", "P2", None),
        ];
        for ms in [&m[..], &[]] {
            let qs = quotes(t, &[], ms);
            check_invariants(t, &qs);
            let q = quote_of(t, &qs, "owe our allies");
            assert_eq!(q.kind, QuoteKind::Direct);
            assert_eq!(s(t, q.cue.unwrap()), "said");
            assert!(speaker_text(t, q).ends_with("Karl Moreno"), "{qs:#?}");
            for q in &qs {
                if let Some(sp) = &q.speaker {
                    let st = &t[sp.start as usize..sp.end as usize];
                    assert!(
                        !st.contains("visit") && !st.contains("history"),
                        "noun phrase as speaker: {q:#?}"
                    );
                }
                if let Some(c) = q.cue {
                    assert!(!s(t, c).starts_with("referring"), "{q:#?}");
                    assert!(!s(t, c).starts_with("Emphasizing"), "{q:#?}");
                }
            }
            let q = quote_of(t, &qs, "cooperation would");
            assert_eq!(speaker_text(t, q), "the general");
        }
        let qs = quotes(t, &[], &m);
        let q = quote_of(t, &qs, "owe our allies");
        assert_eq!(q.speaker.as_ref().unwrap().entity.as_deref(), Some("P1"));
    }

    #[test]
    fn non_person_noun_phrases_are_not_speakers() {
        let t = "The northern villagers' support for the army shows that the valley is united. \
                 Unilateral sanctions showed little effect, officials said. \
                 The council's continued “aggression” worries farmers.";
        let qs = quotes(t, &[], &[]);
        check_invariants(t, &qs);
        for q in &qs {
            if let Some(sp) = &q.speaker {
                let st = &t[sp.start as usize..sp.end as usize];
                assert!(
                    !st.contains("support")
                        && !st.contains("sanctions")
                        && !st.contains("aggression"),
                    "not a speaker: {q:#?}"
                );
            }
        }
        let shows = qs
            .iter()
            .find(|q| q.cue.is_some_and(|c| s(t, c) == "shows"));
        if let Some(q) = shows {
            assert!(q.speaker.is_none() && q.reason.is_some(), "{q:#?}");
        }
        let q = quote_of(t, &qs, "little effect");
        assert_eq!(speaker_text(t, q), "officials");
    }

    #[test]
    fn split_quote_keeps_both_parts() {
        let t = "Finance Minister Ana Silva presented the budget.\n\n\
                 “Growth will return,” she said. “Not soon.”";
        let m = [person(t, "Ana Silva", "F1", Some("finance minister"))];
        for ms in [&m[..], &[]] {
            let qs = quotes(t, &[], ms);
            check_invariants(t, &qs);
            let a = quote_of(t, &qs, "Growth will");
            let b = quote_of(t, &qs, "Not soon");
            assert_eq!(b.kind, QuoteKind::Direct);
            let (sa, sb) = (a.speaker.as_ref().unwrap(), b.speaker.as_ref().unwrap());
            assert_eq!(sa.canonical.as_deref(), Some("Ana Silva"));
            assert_eq!(sb.canonical, sa.canonical);
            assert_eq!(sb.entity, sa.entity);
        }
    }

    #[test]
    fn transcript_turns_and_headline_labels() {
        let t = "Ortiz: Bridge Will Open by Spring\n\n\
                 Mayor Lena Ortiz spoke to the radio host on Monday.\n\n\
                 \"HOST: When will the bridge open to traffic?\n\n\
                 \"ORTIZ: We expect it to open in the spring.\n\n\
                 \"HOST: And the cost of the work?\n\n\
                 LISBON: Rain fell across the country all week.";
        let lisbon = t.find("LISBON").unwrap() as u32;
        let m = [
            person(t, "Ortiz", "O1", None),
            person(t, "Lena Ortiz", "O1", Some("mayor")),
            Mention {
                start: lisbon,
                end: lisbon + 6,
                kind: MentionKind::Place,
                entity: Some("L1".into()),
                canonical: Some("Lisbon".into()),
                role: None,
            },
        ];
        let qs = quotes(t, &[], &m);
        check_invariants(t, &qs);
        let turn = quote_of(t, &qs, "We expect it");
        assert_eq!(turn.kind, QuoteKind::Direct);
        assert_eq!(s(t, turn.cue.unwrap()), ":");
        assert_eq!(speaker_text(t, turn), "ORTIZ");
        let host = quote_of(t, &qs, "When will the bridge");
        assert_eq!(speaker_text(t, host), "HOST");
        let headline = quote_of(t, &qs, "Bridge Will Open");
        assert_eq!(headline.kind, QuoteKind::Indirect);
        assert_eq!(
            headline.speaker.as_ref().unwrap().entity.as_deref(),
            Some("O1")
        );
        // A dateline opens one paragraph and names no speaker.
        assert!(qs.iter().all(|q| !s(t, q.content).contains("Rain fell")));
    }

    #[test]
    fn quotation_signed_with_a_dash() {
        let t = "Readers wrote in about the new bridge.\n\n\
                 “It saves me an hour every single day.” ― Marta Quintana\n\
                 “The tolls are far too high for families.” — Rui Costa, 41, a driver\n\
                 “A fine bridge,” — that was the verdict of many.";
        let qs = quotes(t, &[], &[]);
        check_invariants(t, &qs);
        let a = quote_of(t, &qs, "saves me");
        assert_eq!(speaker_text(t, a), "Marta Quintana");
        assert_eq!(s(t, a.cue.unwrap()), "―");
        let b = quote_of(t, &qs, "tolls");
        assert_eq!(speaker_text(t, b), "Rui Costa");
        assert!(qs
            .iter()
            .filter(|q| s(t, q.content).contains("fine bridge"))
            .all(|q| q.cue.is_none_or(|c| s(t, c) != "—")));
    }

    #[test]
    fn a_participle_after_while_opens_its_own_quote() {
        let t = "Foreign Minister Ana Silva condemned the raids as “a breach of the truce,” \
                 while also denouncing the blockade of the port.";
        let m = [person(t, "Ana Silva", "S1", Some("foreign minister"))];
        let qs = quotes(t, &[], &m);
        check_invariants(t, &qs);
        let a = quote_of(t, &qs, "the raids");
        assert!(!s(t, a.content).contains("blockade"), "{qs:#?}");
        let b = quote_of(t, &qs, "the blockade");
        assert!(s(t, b.cue.unwrap()).ends_with("denouncing"));
        assert_eq!(b.speaker.as_ref().unwrap().entity.as_deref(), Some("S1"));
    }

    #[test]
    fn a_passive_participle_is_no_cue() {
        let t = "The merger, rejected by regulators, was aimed at cutting costs. \
                 The bid was condemned as reckless. Ana Silva condemned the bid as reckless.";
        let qs = quotes(t, &[], &[]);
        check_invariants(t, &qs);
        let cues: Vec<&str> = qs.iter().filter_map(|q| q.cue).map(|c| s(t, c)).collect();
        assert_eq!(cues, ["condemned"], "{qs:#?}");
        assert_eq!(speaker_text(t, &qs[0]), "Ana Silva");
    }

    #[test]
    fn doubled_apostrophes_and_backquotes_are_quote_marks() {
        let t = "''The plan is sound,'' said Ana Silva, the finance minister. \
                 Rui Costa said it was ``a gamble with savings.''";
        let qs = quotes(t, &[], &[]);
        check_invariants(t, &qs);
        let a = quote_of(t, &qs, "The plan");
        assert_eq!(a.kind, QuoteKind::Direct);
        assert_eq!(s(t, a.content), "The plan is sound,");
        assert!(speaker_text(t, a).contains("Ana Silva"));
        let b = quote_of(t, &qs, "a gamble");
        assert!(s(t, b.content).contains("a gamble with savings"));
        assert!(speaker_text(t, b).contains("Rui Costa"), "{qs:#?}");
    }

    #[test]
    fn an_opening_adverbial_is_not_the_content() {
        let t = "Through a spokesman, Ana Silva declined to comment on the report. \
                 In the end, the union agreed to accept the offer.";
        let qs = quotes(t, &[], &[]);
        check_invariants(t, &qs);
        assert!(s(t, quote_of(t, &qs, "comment on").content).starts_with("to comment"));
        assert!(
            qs.iter().all(|q| !s(t, q.content).contains("spokesman")),
            "{qs:#?}"
        );
        assert!(s(t, quote_of(t, &qs, "accept the offer").content).starts_with("to accept"));
    }

    #[test]
    fn a_concessive_clause_with_its_own_cue_ends_the_content() {
        let t = "Ana Silva claimed that the budget was balanced, although she again refused \
                 to publish the accounts.";
        let qs = quotes(t, &[], &[]);
        check_invariants(t, &qs);
        let a = quote_of(t, &qs, "the budget");
        assert_eq!(s(t, a.content), "the budget was balanced");
        let b = quote_of(t, &qs, "to publish");
        assert_eq!(s(t, b.cue.unwrap()), "refused");
    }

    #[test]
    fn a_quotation_closed_before_the_next_frame_ends_the_content() {
        let t = "Ana Silva said that the audit gave \"no sign of fraud,\" but she said that \
                 the books \"need work\" before the vote.";
        let qs = quotes(t, &[], &[]);
        check_invariants(t, &qs);
        let a = quote_of(t, &qs, "the audit");
        assert!(
            s(t, a.content).ends_with("fraud,\""),
            "{:?}",
            s(t, a.content)
        );
        let b = quote_of(t, &qs, "the books");
        assert_eq!(speaker_text(t, b), "she");
    }

    #[test]
    fn subjects_with_prepositions_dashes_and_poll_shares() {
        let t = "Specialists on water policy and drought management said the new dam could \
                 change that. However, 41 percent said the mayor was right to resign. Most of \
                 the farmers we interviewed said prices had doubled. Ana Silva -- author of a \
                 history of the port, a study of its trade -- said the harbour would close.";
        let qs = quotes(t, &[], &[]);
        check_invariants(t, &qs);
        let dam = quote_of(t, &qs, "the new dam");
        assert_eq!(s(t, dam.content), "the new dam could change that");
        assert_eq!(
            speaker_text(t, dam),
            "Specialists on water policy and drought management"
        );
        let mayor = quote_of(t, &qs, "the mayor was");
        assert_eq!(speaker_text(t, mayor), "41 percent");
        let prices = quote_of(t, &qs, "prices had");
        assert_eq!(
            speaker_text(t, prices),
            "Most of the farmers we interviewed"
        );
        let harbour = quote_of(t, &qs, "the harbour");
        assert_eq!(speaker_text(t, harbour), "Ana Silva");
    }

    #[test]
    fn progressive_and_hedged_cues_keep_their_subject() {
        let t = "Ana Silva is warning that the bridge will close. Rui Costa continues to insist \
                 that the tolls are fair. The mayor's plans would cost millions. Eva Lima \
                 reported from Lisbon, and Rui Costa from Porto.";
        let qs = quotes(t, &[], &[]);
        check_invariants(t, &qs);
        assert_eq!(speaker_text(t, quote_of(t, &qs, "the bridge")), "Ana Silva");
        assert_eq!(speaker_text(t, quote_of(t, &qs, "the tolls")), "Rui Costa");
        assert!(
            qs.iter()
                .all(|q| !s(t, q.content).contains("millions")
                    && !s(t, q.content).contains("Lisbon")),
            "{qs:#?}"
        );
    }

    #[test]
    fn nested_marks_parentheticals_and_coordinated_clauses() {
        let t = "Ana Silva joked that, among mayors, she ranks last.\n\n\
                 \"I dislike the word 'outreach,' \" she told the group.\n\n\
                 The vote went badly for the council, and the session ended early, said one \
                 aide in the room.";
        let qs = quotes(t, &[], &[]);
        check_invariants(t, &qs);
        assert_eq!(
            s(t, quote_of(t, &qs, "she ranks").content),
            "among mayors, she ranks last"
        );
        let told = quote_of(t, &qs, "I dislike");
        assert_eq!(s(t, told.content), "I dislike the word 'outreach,'");
        assert_eq!(told.cue.map(|c| s(t, c)), Some("told"));
        assert_eq!(speaker_text(t, quote_of(t, &qs, "The vote")), "one aide");
    }

    #[test]
    fn a_coordinated_or_semicolon_frame_ends_the_content() {
        let t = "Ana Silva said the port was closed, and union leaders warned that strikes \
                 would follow. The board estimates that costs will rise; the union argues \
                 that they will fall.";
        let qs = quotes(t, &[], &[]);
        check_invariants(t, &qs);
        assert_eq!(
            s(t, quote_of(t, &qs, "the port").content),
            "the port was closed"
        );
        assert_eq!(
            speaker_text(t, quote_of(t, &qs, "strikes")),
            "union leaders"
        );
        assert_eq!(s(t, quote_of(t, &qs, "costs").content), "costs will rise");
        assert_eq!(speaker_text(t, quote_of(t, &qs, "they will")), "the union");
    }

    #[test]
    fn a_coordinated_verb_takes_the_whole_title_as_subject() {
        let t = "Chief of Staff of the Coast Guard Admiral Ana Silva met the envoy and said the \
                 talks had ended.\n\n\
                 Chief of Staff of the Navy Admiral Rui Costa and Minister of Ports Eva Lima met \
                 the envoy, and voiced hope for a deal.";
        let qs = quotes(t, &[], &[]);
        check_invariants(t, &qs);
        assert!(speaker_text(t, quote_of(t, &qs, "the talks")).ends_with("Admiral Ana Silva"));
        // Two speakers joined by "and" are not guessed at; no part of them is the speaker.
        for q in &qs {
            if let Some(sp) = &q.speaker {
                assert!(sp.end as usize <= t.find("\n\n").unwrap(), "{q:#?}");
            }
        }
    }

    #[test]
    fn adverbs_and_time_phrases_between_subject_and_cue() {
        let t = "Rui Costa has long said that the tolls are fair. The union strongly denied \
                 that it had been paid. Eva Lima on Monday said the bridge was safe. The mayor, \
                 who in 2010 said the port would close, stayed silent.";
        let qs = quotes(t, &[], &[]);
        check_invariants(t, &qs);
        assert_eq!(speaker_text(t, quote_of(t, &qs, "the tolls")), "Rui Costa");
        assert_eq!(
            speaker_text(t, quote_of(t, &qs, "it had been")),
            "The union"
        );
        assert_eq!(speaker_text(t, quote_of(t, &qs, "the bridge")), "Eva Lima");
        assert_eq!(speaker_text(t, quote_of(t, &qs, "the port")), "who");
    }

    #[test]
    fn negated_and_modal_cues_state_nothing() {
        let t = "The senators may argue that the plan is weak. Rui Costa did not say whether \
                 he would attend. Ana Silva would say that the talks failed.";
        let qs = quotes(t, &[], &[]);
        check_invariants(t, &qs);
        assert!(qs.is_empty(), "{qs:#?}");
    }

    #[test]
    fn a_claim_named_as_a_noun_is_no_cue() {
        let t = "The union's claim of record profits is merely a pretext for cuts, the board \
                 said.";
        let qs = quotes(t, &[], &[]);
        check_invariants(t, &qs);
        assert!(
            qs.iter().all(|q| q.cue.is_none_or(|c| s(t, c) != "claim")),
            "{qs:?}"
        );
        let board = quote_of(t, &qs, "a pretext");
        assert_eq!(speaker_text(t, board), "the board");
        assert!(s(t, board.content).starts_with("The union's claim"));
    }

    #[test]
    fn a_quoted_topic_phrase_is_not_a_quote() {
        let t =
            "The ministers also discussed “repair of the northern harbour after the storm” and \
                 the budget.\n\nThe council held a debate on “the future of the old docks in the \
                 city” for an hour.";
        let qs = quotes(t, &[], &[]);
        check_invariants(t, &qs);
        assert!(
            qs.iter().all(|q| !s(t, q.content).contains("harbour")
                && !s(t, q.content).contains("docks")),
            "{qs:?}"
        );
        // A quoted statement in the same place still is one.
        let t = "The minister ended with “we will rebuild the harbour after the storm” and left.";
        let qs = quotes(t, &[], &[]);
        assert!(
            qs.iter().any(|q| s(t, q.content).contains("rebuild")),
            "{qs:?}"
        );
    }

    #[test]
    fn a_reason_given_later_is_no_cited_source() {
        let t = "The board said the merger had failed, citing rising costs. The agency \
                 reported, citing a port official, that two ships had sunk.";
        let qs = quotes(t, &[], &[]);
        check_invariants(t, &qs);
        let merger = quote_of(t, &qs, "the merger");
        assert_eq!(speaker_text(t, merger), "The board");
        assert_eq!(merger.cited, None);
        let ships = quote_of(t, &qs, "two ships");
        assert_eq!(ships.cited.map(|c| s(t, c)), Some("a port official"));
    }

    #[test]
    fn a_dateline_is_not_part_of_the_content() {
        for t in [
            "Lakeside (Coastal Wire) - The lake fell to its lowest mark, the water board said.",
            "LAKESIDE — The lake fell to its lowest mark, the water board said.",
        ] {
            let qs = quotes(t, &[], &[]);
            check_invariants(t, &qs);
            let q = quote_of(t, &qs, "The lake fell");
            assert_eq!(s(t, q.content), "The lake fell to its lowest mark");
        }
        let t = "NATO-led forces withdrew from the valley, the ministry said.";
        let qs = quotes(t, &[], &[]);
        assert!(s(t, quote_of(t, &qs, "forces").content).starts_with("NATO-led"));
    }

    #[test]
    fn a_floating_quantifier_between_subject_and_cue() {
        let t = "Sens. Ana Silva (D-Ore.) and Rui Costa (D-Ohio) both said that the budget \
                 was balanced. The senators all warned that cuts would follow.";
        let qs = quotes(t, &[], &[]);
        check_invariants(t, &qs);
        assert_eq!(speaker_text(t, quote_of(t, &qs, "the budget")), "Rui Costa");
        assert_eq!(
            speaker_text(t, quote_of(t, &qs, "cuts would")),
            "The senators"
        );
    }
}
