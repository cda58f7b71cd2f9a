//! Cue detection and the local syntax around a cue: who is the subject,
//! where the reported content lies, and whether a news agency cites a source.
//!
//! There is no parser here on purpose: the attribution frames of news prose
//! ("X said …", "…, X said.", "according to X, …", "“…,” said X") are few
//! and rigid, and matching them over tokens is fast enough for bulk text.

use std::sync::LazyLock;

use regex::Regex;

use crate::text::{
    lower_in, Tok, DETERMINERS, NAME_LINKS, NOT_NAME, STOP, SUBJECT_PRONOUNS, TITLES,
};

/// Speech and reporting verbs. Ambiguous noun forms (`reports`, `claims`)
/// are included because the subject check below rejects "the reports said".
/// ASCII word boundaries keep the regex on its fast DFA path.
static CUE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)(?:according to|(?:was|is|were|has been) quoted as saying|pointed out|went on to (?:say|add)|(?:(?:has|have|had) )?(?:also )?(?:said|says|say|saying|told|tells|telling|added|adds|adding|stated|stresse[sd]|emphasi[sz]e[sd]|noted|notes|noting|warned|warns|warning|explained|explains|argued|argues|arguing|insisted|insists|claimed|wrote|writes|tweeted|announced|declared|asked|asks|replied|responded|continued|acknowledged|admitted|admits|suggested|suggests|urged|recalled|predicted|conceded|confirmed|denied|reported|reports|concluded|vowed|pledged|promised|remarked|commented|complained|contended|maintained|affirmed|assured|boasted|countered|quipped|joked|cautioned|observed|reiterated|underlined|underscored|asserted|alleged|believes|thinks|believe|think|thought|called for|called on|calls for|show|shows|showed|found|finds|wants|hopes|expects|fears|criticized|accused|defended|proposed|agreed|praised|questioned|described|blamed|dismissed|signaled|indicated|revealed|disclosed|estimated|projected|demanded|announced|acknowledges|explain|argue|claim|claims|insist|notes|warn|predicts|called|calls|calling|declined|endorsed|opposed|opposes|sees|see|saw|know|knows|feel|feels|felt|hope|want|wanted|plans|planned|sought|seeks|refused|offered|promises|vows|pledges|denounced|suggest|cited|referring to|talking about|asked about|recalling|responding|explaining|insisting|acknowledging|stressing|emphasizing|urging|predicting|claiming|suggesting|expressed|expressing|admitting|conceding|announcing|describing|reporting|arguing that))(?-u:\b)",
    )
    .expect("cue regex is valid")
});

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CueKind {
    /// "according to X": speaker follows, content on either side.
    AccordingTo,
    /// Verbs that take an addressee before the content ("told reporters").
    Told,
    /// Any other speech verb.
    Verb,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Cue {
    pub s: u32,
    pub e: u32,
    /// Token index range of the cue.
    pub ti: usize,
    pub tj: usize,
    pub kind: CueKind,
}

pub(crate) fn find_cues(text: &str, toks: &[Tok]) -> Vec<Cue> {
    let mut out = Vec::new();
    for m in CUE_RE.find_iter(text) {
        let (s, e) = (m.start() as u32, m.end() as u32);
        let ti = toks.partition_point(|t| t.s < s);
        let tj = toks.partition_point(|t| t.s < e);
        if ti >= tj || toks[ti].s != s {
            continue;
        }
        let w = m.as_str().to_ascii_lowercase();
        let kind = if w.starts_with("according") {
            CueKind::AccordingTo
        } else if w.ends_with("told") || w.ends_with("tells") || w.ends_with("telling") {
            CueKind::Told
        } else {
            CueKind::Verb
        };
        out.push(Cue { s, e, ti, tj, kind });
    }
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NpKind {
    Name,
    Pronoun,
    /// Relative pronoun "who"/"which" with the token index of its antecedent
    /// noun phrase's last token.
    Relative,
    Description,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Np {
    pub ti: usize,
    pub tj: usize,
    pub kind: NpKind,
}

impl Np {
    pub fn span(&self, toks: &[Tok]) -> (u32, u32) {
        (toks[self.ti].s, toks[self.tj - 1].e)
    }
}

fn word<'a>(toks: &[Tok], text: &'a str, i: usize) -> &'a str {
    toks[i].text(text)
}

fn is_name_tok(toks: &[Tok], text: &str, i: usize) -> bool {
    let t = toks[i];
    if !t.is_word() {
        return false;
    }
    let w = t.text(text);
    if t.cap {
        return !lower_in(w, STOP) && !lower_in(w, DETERMINERS) && !lower_in(w, NOT_NAME);
    }
    false
}

/// Adverbs and auxiliaries that may sit between a subject and its verb.
const BETWEEN_SUBJ_VERB: &[&str] = &[
    "also",
    "later",
    "previously",
    "then",
    "once",
    "recently",
    "repeatedly",
    "often",
    "publicly",
    "privately",
    "reportedly",
    "has",
    "have",
    "had",
    "was",
    "were",
    "would",
    "will",
    "again",
    "had",
    "further",
    "subsequently",
    "initially",
    "first",
    "simply",
    "flatly",
    "finally",
    "bluntly",
    "quickly",
    "immediately",
    "ultimately",
    "even",
    "frequently",
    "still",
];

/// The subject noun phrase ending just before token `end` (exclusive), not
/// reaching before `floor`.
pub(crate) fn np_left(toks: &[Tok], text: &str, floor: usize, end: usize) -> Option<Np> {
    let mut k = end;
    // Skip adverbs/auxiliaries, at most a couple.
    let mut skipped = 0;
    while k > floor
        && skipped < 3
        && toks[k - 1].is_word()
        && lower_in(word(toks, text, k - 1), BETWEEN_SUBJ_VERB)
    {
        k -= 1;
        skipped += 1;
    }
    if k <= floor {
        return None;
    }
    let last = k - 1;
    let t = toks[last];
    // Parenthetical after a name: "Rubio (R-Fla.) said".
    if t.is_punct(')') {
        let mut j = last;
        while j > floor && last - j < 12 {
            j -= 1;
            if toks[j].is_punct('(') {
                return np_left(toks, text, floor, j);
            }
        }
        return None;
    }
    // Appositive: "Jane Roe, a spokeswoman for the campaign, said".
    if t.is_punct(',') {
        let mut j = last;
        while j > floor && last - j < 16 {
            j -= 1;
            if toks[j].is_punct(',') {
                if let Some(np) = np_left(toks, text, floor, j) {
                    if matches!(np.kind, NpKind::Name | NpKind::Description) && np.tj == j {
                        return Some(np);
                    }
                }
                return None;
            }
            if toks[j].kind == crate::text::Kind::Punct
                && !matches!(toks[j].ch, '-' | '\'' | '’' | '.' | '&')
            {
                return None;
            }
        }
        return None;
    }
    if !t.is_word() {
        return None;
    }
    let w = t.text(text);
    if lower_in(w, SUBJECT_PRONOUNS) {
        return Some(Np {
            ti: last,
            tj: last + 1,
            kind: NpKind::Pronoun,
        });
    }
    if (w.eq_ignore_ascii_case("who") || w.eq_ignore_ascii_case("which")) && last > floor {
        return Some(Np {
            ti: last,
            tj: last + 1,
            kind: NpKind::Relative,
        });
    }
    if is_name_tok(toks, text, last) {
        let mut j = last;
        while j > floor && last - j < 5 {
            let p = j - 1;
            let pw = word(toks, text, p);
            let title = toks[p].is_word() && lower_in(pw, TITLES) && toks[p].cap;
            let link = toks[p].is_word()
                && lower_in(pw, NAME_LINKS)
                && p > floor
                && is_name_tok(toks, text, p - 1);
            if is_name_tok(toks, text, p) || title || link {
                j = p;
            } else {
                break;
            }
        }
        return Some(Np {
            ti: j,
            tj: last + 1,
            kind: NpKind::Name,
        });
    }
    description_left(toks, text, floor, last)
}

/// A description ending at token `head` ("the Syrian defence minister").
fn description_left(toks: &[Tok], text: &str, floor: usize, head: usize) -> Option<Np> {
    let hw = word(toks, text, head);
    if !toks[head].is_word()
        || lower_in(hw, STOP)
        || lower_in(hw, DETERMINERS)
        || hw.chars().next().is_some_and(|c| c.is_ascii_digit())
    {
        return None;
    }
    let mut j = head;
    let mut anchored = false;
    while j > floor && head - j < 6 {
        let p = j - 1;
        let t = toks[p];
        if !t.is_word() {
            break;
        }
        let pw = t.text(text);
        if lower_in(pw, DETERMINERS) {
            j = p;
            anchored = true;
            break;
        }
        if t.cap && (pw.ends_with("’s") || pw.ends_with("'s")) {
            j = p;
            anchored = true;
            break;
        }
        if lower_in(pw, STOP) {
            break;
        }
        j = p;
    }
    let plural = hw.len() > 3 && hw.ends_with('s') && !hw.ends_with("ss");
    if anchored || plural || lower_in(hw, PERSON_NOUNS) {
        Some(Np {
            ti: j,
            tj: head + 1,
            kind: NpKind::Description,
        })
    } else {
        None
    }
}

/// Nouns that denote speakers even without a determiner ("spokesman said").
const PERSON_NOUNS: &[&str] = &[
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "official",
    "minister",
    "president",
    "police",
    "prosecutor",
    "lawyer",
    "attorney",
    "source",
    "aide",
    "adviser",
    "advisor",
    "analyst",
    "expert",
    "researcher",
    "economist",
    "director",
    "chairman",
    "chief",
    "leader",
    "secretary",
    "governor",
    "senator",
    "mayor",
    "general",
    "commander",
    "manager",
    "executive",
    "statement",
    "report",
    "agency",
    "ministry",
    "campaign",
    "government",
    "committee",
    "study",
    "survey",
    "poll",
    "coach",
];

/// The noun phrase starting at token `start` (for "said X" and "according
/// to X"), not reaching past `ceil`.
pub(crate) fn np_right(toks: &[Tok], text: &str, start: usize, ceil: usize) -> Option<Np> {
    if start >= ceil || !toks[start].is_word() {
        return None;
    }
    let w = word(toks, text, start);
    if lower_in(w, SUBJECT_PRONOUNS) {
        return Some(Np {
            ti: start,
            tj: start + 1,
            kind: NpKind::Pronoun,
        });
    }
    let title = toks[start].cap && lower_in(w, TITLES);
    if is_name_tok(toks, text, start) || title {
        let mut j = start + 1;
        while j < ceil && j - start < 6 {
            let jw = word(toks, text, j);
            let link = toks[j].is_word()
                && lower_in(jw, NAME_LINKS)
                && j + 1 < ceil
                && is_name_tok(toks, text, j + 1);
            if is_name_tok(toks, text, j) || link {
                j += 1;
            } else {
                break;
            }
        }
        return Some(Np {
            ti: start,
            tj: j,
            kind: NpKind::Name,
        });
    }
    if lower_in(w, DETERMINERS)
        || lower_in(w, PERSON_NOUNS)
        || (w.len() > 3 && w.ends_with('s') && !lower_in(w, STOP))
    {
        let mut j = start + 1;
        let mut last_ok = if lower_in(w, DETERMINERS) {
            None
        } else {
            Some(start)
        };
        while j < ceil && j - start < 7 {
            let t = toks[j];
            if !t.is_word() {
                break;
            }
            let jw = t.text(text);
            if lower_in(jw, STOP) || lower_in(jw, DETERMINERS) {
                break;
            }
            last_ok = Some(j);
            j += 1;
        }
        return last_ok.map(|l| Np {
            ti: start,
            tj: l + 1,
            kind: NpKind::Description,
        });
    }
    None
}

/// Words allowed to trail an end-of-sentence attribution ("…, she said on
/// Monday in a statement.") without turning into content.
const TAIL_WORDS: &[&str] = &[
    "on",
    "in",
    "at",
    "during",
    "after",
    "before",
    "last",
    "this",
    "on",
    "a",
    "an",
    "the",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "week",
    "month",
    "year",
    "night",
    "morning",
    "evening",
    "afternoon",
    "statement",
    "interview",
    "email",
    "e-mail",
    "briefing",
    "speech",
    "conference",
    "news",
    "press",
    "recently",
    "earlier",
    "later",
    "today",
    "yesterday",
    "tonight",
    "then",
    "also",
    "told",
    "reporters",
    "with",
    "to",
    "by",
    "phone",
    "telephone",
    "its",
    "his",
    "her",
    "their",
    "released",
];

/// True when tokens `[from, to)` hold only an attribution tail (time, venue,
/// medium) and punctuation.
pub(crate) fn only_tail(toks: &[Tok], text: &str, from: usize, to: usize) -> bool {
    let mut words = 0;
    for t in &toks[from..to] {
        if t.is_word() {
            words += 1;
            let w = t.text(text);
            // "-ly" adverbs ("said sarcastically") trail attributions too.
            if !(lower_in(w, TAIL_WORDS) || t.cap || (w.len() > 4 && w.ends_with("ly")))
                || words > 8
            {
                return false;
            }
        } else if !matches!(
            t.ch,
            '.' | ',' | '!' | '?' | '"' | '”' | '’' | '\'' | ')' | ';' | '—' | '–'
        ) {
            return false;
        }
    }
    true
}

/// "citing a military source" / "quoting officials" after an agency's cue.
pub(crate) fn citation(toks: &[Tok], text: &str, from: usize, ceil: usize) -> Option<(usize, Np)> {
    let mut i = from;
    while i < ceil && i < from + 12 {
        let t = toks[i];
        if t.is_word() {
            let w = t.text(text);
            if w.eq_ignore_ascii_case("citing") || w.eq_ignore_ascii_case("quoting") {
                return np_right(toks, text, i + 1, ceil).map(|np| (i, np));
            }
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn np_text_left(t: &str, cue: &str) -> Option<(String, NpKind)> {
        let toks = tokenize(t);
        let cues = find_cues(t, &toks);
        let c = cues
            .iter()
            .find(|c| &t[c.s as usize..c.e as usize] == cue)?;
        let np = np_left(&toks, t, 0, c.ti)?;
        let (a, b) = np.span(&toks);
        Some((t[a as usize..b as usize].to_string(), np.kind))
    }

    #[test]
    fn subjects() {
        assert_eq!(
            np_text_left("Gen. Ada Moss said no.", "said"),
            Some(("Gen. Ada Moss".into(), NpKind::Name))
        );
        assert_eq!(
            np_text_left("Then he also said no.", "also said"),
            Some(("he".into(), NpKind::Pronoun))
        );
        assert_eq!(
            np_text_left(
                "For his part, the Iranian defence minister stressed it.",
                "stressed"
            ),
            Some(("the Iranian defence minister".into(), NpKind::Description))
        );
        assert_eq!(
            np_text_left("Ann Lee, a spokeswoman for the group, said no.", "said"),
            Some(("Ann Lee".into(), NpKind::Name))
        );
        assert_eq!(
            np_text_left("The reports said no.", "said").map(|x| x.1),
            Some(NpKind::Description)
        );
        assert_eq!(np_text_left("The said agreement held.", "said"), None);
    }

    #[test]
    fn cue_kinds() {
        let t = "She told us. According to him, it was quoted as saying things.";
        let toks = tokenize(t);
        let kinds: Vec<CueKind> = find_cues(t, &toks).iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds,
            vec![CueKind::Told, CueKind::AccordingTo, CueKind::Verb]
        );
    }
}
