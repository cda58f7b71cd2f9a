//! Cue detection and the local syntax around a cue: who is the subject,
//! where the reported content lies, and whether a news agency cites a source.
//!
//! There is no parser here on purpose: the attribution frames of news prose
//! ("X said …", "…, X said.", "according to X, …", "“…,” said X") are few
//! and rigid, and matching them over tokens is fast enough for bulk text.

use std::sync::LazyLock;

use regex::Regex;

use crate::text::{
    lower_in, not_name, Tok, DETERMINERS, NAME_LINKS, STOP, SUBJECT_PRONOUNS, TITLES, WEEKDAYS,
};

/// Speech and reporting verbs. Ambiguous noun forms (`reports`, `claims`)
/// are included because the subject check below rejects "the reports said".
/// Verbs of perception ("officers saw him run") report no statement and are left out.
/// ASCII word boundaries keep the regex on its fast DFA path.
static CUE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)(?:according to|(?:was|is|were|has been) quoted as saying|pointed out|went on to (?:say|add)|(?:(?:has|have|had) )?(?:also )?(?:said|says|say|saying|told|tells|telling|added|adds|adding|stated|stresse[sd]|emphasi[sz]e[sd]|noted|notes|noting|warned|warns|warning|explained|explains|argued|argues|arguing|insisted|insists|claimed|wrote|writes|tweeted|announced|declared|asked|asks|replied|responded|continued|acknowledged|admitted|admits|suggested|suggests|urged|recalled|predicted|conceded|confirmed|denied|reported|reports|concluded|vowed|pledged|promised|remarked|commented|complained|contended|maintained|affirmed|assured|boasted|countered|quipped|joked|cautioned|observed|reiterated|underlined|underscored|asserted|alleged|believes|thinks|believe|think|thought|called for|called on|calls for|show|shows|showed|found|finds|wants|hopes|expects|fears|criticized|accused|defended|proposed|agreed|praised|questioned|described|blamed|dismissed|signaled|indicated|revealed|disclosed|estimated|projected|demanded|announced|acknowledges|explain|argue|claim|claims|insist|notes|warn|predicts|called|calls|calling|declined|endorsed|opposed|opposes|know|knows|feel|feels|felt|hope|want|wanted|plans|planned|sought|seeks|refused|offered|promises|vows|pledges|denounced|suggest|cited|asked about|recalling|responding|explaining|insisting|acknowledging|stressing|emphasizing|urging|predicting|claiming|suggesting|expressed|expressing|admitting|conceding|announcing|describing|reporting|arguing that|echoed|echoes|mentioned|mentions|condemned|condemns|urges|estimates|blasted|blasts|reveals|rejected|rejects|promising|refuses|asserting|pointed to|spoke of|likened|endorses|proposes|demands|worries|denouncing|decried|talked about|talking about|talks about|spoke about|challenged|stating|emailed|mocked|answered|recounted|declaring|made it clear|lamented|criticizing|railed against|describes|slams|slammed|outlined|repeated|reminded|reminds|pointing to|pointing out|praises|accusing|highlighted|assures|referring to|hoping|touted|touting|voiced|wondering|wondered|vowing|pledging|lashed out at|blaming|contends|alleges|hailed|bragged|hinted|dubbed|labeled))(?-u:\b)",
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
        if (w.ends_with("ed") || w.ends_with("told")) && passive(text, toks, ti, tj) {
            // "the plan was rejected", "a deal, rejected by regulators, …": said of the
            // subject, not by it.
            continue;
        }
        if w.starts_with("report")
            && toks
                .get(tj)
                .is_some_and(|t| t.text(text).eq_ignore_ascii_case("from"))
        {
            // "Ana Silva reported from Kabul": a correspondent's credit line.
            continue;
        }
        if lower_in(&w, &["plans", "planned"])
            && toks
                .get(tj)
                .is_none_or(|t| !t.text(text).eq_ignore_ascii_case("to"))
        {
            // "Clinton's plans would cost …": the noun; the verb takes an infinitive.
            continue;
        }
        if w.ends_with("ed") && ti > 0 && modifies_noun(toks[ti - 1].text(text)) {
            // "Israel's continued aggression", "the reported attack": an adjective.
            continue;
        }
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

/// A participle cue in the passive: after a form of "be" or "get", or followed by "by".
fn passive(text: &str, toks: &[Tok], ti: usize, tj: usize) -> bool {
    let be = ti > 0
        && lower_in(
            toks[ti - 1].text(text),
            &[
                "is", "are", "was", "were", "be", "been", "being", "get", "gets", "got",
            ],
        );
    let by = toks
        .get(tj)
        .is_some_and(|t| t.is_word() && t.text(text).eq_ignore_ascii_case("by"));
    be || by
}

/// A word after which a participle is an adjective: an article, a possessive determiner or a
/// possessive noun.
fn modifies_noun(prev: &str) -> bool {
    lower_in(
        prev,
        &[
            "the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "this", "these",
            "those",
        ],
    ) || prev.ends_with("'s")
        || prev.ends_with("’s")
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
        return !lower_in(w, STOP) && !lower_in(w, DETERMINERS) && !not_name(w);
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
    "is",
    "are",
    "was",
    "were",
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
    "now",
    "long",
    "together",
    // floating quantifiers: "the senators all said"
    "all",
    "both",
    "each",
];

/// The subject noun phrase ending just before token `end` (exclusive), not
/// reaching before `floor`.
pub(crate) fn np_left(toks: &[Tok], text: &str, floor: usize, end: usize) -> Option<Np> {
    let mut k = skip_between(toks, text, floor, end);
    // "X, for his part, said" / "X for his part was quoted": the aside is
    // not the speaker; the subject stands before it.
    if let Some(a) = aside_before(toks, text, floor, k) {
        k = skip_between(toks, text, floor, a);
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
    // The subject before an aside that opens at token `open`: a name or description ending
    // right there.
    let before_aside = |open: usize| {
        np_left(toks, text, floor, open)
            .filter(|np| matches!(np.kind, NpKind::Name | NpKind::Description) && np.tj == open)
    };
    // Dashed appositive: "Jane Roe -- co-editor of a book on the race -- said".
    if let Some(open) = dash_open(toks, floor, last) {
        return before_aside(open);
    }
    // Appositive: "Jane Roe, a spokeswoman for the campaign, said".
    if t.is_punct(',') {
        let mut j = last;
        while j > floor && last - j < 16 {
            j -= 1;
            if toks[j].is_punct(',') {
                // An appositive or relative clause, not a coordinated clause: "…, and the
                // talks failed, said".
                if toks[j + 1].is_word()
                    && lower_in(word(toks, text, j + 1), &["and", "but", "or", "so", "yet"])
                {
                    return None;
                }
                return before_aside(j);
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
    let np = subject_np_left(toks, text, floor, last)
        .or_else(|| prepositional_description_left(toks, text, floor, last))
        .or_else(|| respondents_left(toks, text, floor, last))?;
    // "Minister of Roads and Urban Development said": a title phrase runs across "of" and
    // "and" back to its title word.
    let np = if np.kind == NpKind::Name
        && np.ti > floor
        && lower_in(word(toks, text, np.ti - 1), &["and", "of"])
    {
        let (mut j, mut of, mut title) = (np.ti, false, None);
        while j > floor && np.ti - j < 8 && toks[j - 1].is_word() {
            let w = word(toks, text, j - 1);
            if lower_in(w, &["of", "and", "for", "the"]) {
                of |= w.eq_ignore_ascii_case("of");
            } else if !toks[j - 1].cap {
                break;
            } else if lower_in(w, TITLES) {
                title = Some(j - 1);
            }
            j -= 1;
        }
        match title {
            Some(ti) if of => Np {
                ti,
                tj: np.tj,
                kind: NpKind::Name,
            },
            _ => np,
        }
    } else {
        np
    };
    // "support for the army shows", "a spokesman for the campaign said":
    // a noun phrase inside a prepositional phrase is not the subject; the
    // phrase it modifies is, and is judged as a whole.
    if np.ti > floor + 1
        && toks[np.ti - 1].is_word()
        && lower_in(toks[np.ti - 1].text(text), OBJ_PREPS)
    {
        let before = np.ti - 2;
        let head = subject_np_left(toks, text, floor, before).map(|h| h.ti);
        let head = head.or_else(|| {
            (toks[before].is_word() && !lower_in(word(toks, text, before), STOP)).then_some(before)
        });
        if let Some(ti) = head {
            return Some(Np {
                ti,
                tj: np.tj,
                kind: NpKind::Description,
            });
        }
    }
    Some(np)
}

/// The dash (`—`, `–` or `--`) that closes at token `last` and the index where its opening
/// twin starts, within a short aside.
fn dash_open(toks: &[Tok], floor: usize, last: usize) -> Option<usize> {
    let is = |k: usize, c: char| toks[k].is_punct(c);
    let (ch, close) = if is(last, '—') || is(last, '–') {
        (toks[last].ch, last)
    } else if last > floor + 1 && is(last, '-') && is(last - 1, '-') {
        ('-', last - 1)
    } else {
        return None;
    };
    // The opening dash (both halves of a "--") leaves at least one token inside.
    let width = if ch == '-' { 2 } else { 1 };
    (floor + 1..close.saturating_sub(width))
        .rev()
        .take(30)
        .find(|&k| is(k, ch) && (width == 1 || is(k + 1, ch)))
}

/// A speaker noun with a prepositional phrase that may hold a coordination: "Experts on
/// North Korea and nuclear nonproliferation", "a group of parents and teachers". Found when
/// the phrase's last word is no noun phrase head of its own.
fn prepositional_description_left(
    toks: &[Tok],
    text: &str,
    floor: usize,
    last: usize,
) -> Option<Np> {
    const PP: &[&str] = &["on", "of", "for", "from", "at", "in", "with"];
    if !toks[last].is_word() || lower_in(word(toks, text, last), STOP) {
        return None;
    }
    let mut j = last;
    while j > floor && last - j < 10 {
        let p = j - 1;
        let t = toks[p];
        if !t.is_word() {
            return None;
        }
        let w = t.text(text);
        // Inside the phrase a determiner follows only a preposition or a conjunction:
        // "met the envoy" is a verb and its object.
        if lower_in(w, DETERMINERS)
            && p > floor
            && !lower_in(word(toks, text, p - 1), PP)
            && !lower_in(word(toks, text, p - 1), &["and", "or"])
        {
            return None;
        }
        if lower_in(w, PP) && p > floor {
            let head = p - 1;
            if toks[head].is_word() && speaker_noun(toks[head].text(text)) {
                let np = subject_np_left(toks, text, floor, head)?;
                return Some(Np {
                    ti: np.ti,
                    tj: last + 1,
                    kind: NpKind::Description,
                });
            }
        }
        if lower_in(w, STOP) && !lower_in(w, &["and", "or"]) {
            return None;
        }
        j = p;
    }
    None
}

/// Poll and interview respondents: "63 percent", "the experts I interviewed", "those we
/// asked".
fn respondents_left(toks: &[Tok], text: &str, floor: usize, last: usize) -> Option<Np> {
    let w = word(toks, text, last);
    let number = |k: usize| {
        toks[k].is_word() && word(toks, text, k).starts_with(|c: char| c.is_ascii_digit())
    };
    // "63 percent", "63 per cent"
    let per_cent = w.eq_ignore_ascii_case("cent")
        && last > floor + 1
        && word(toks, text, last - 1).eq_ignore_ascii_case("per");
    if w.eq_ignore_ascii_case("percent") || per_cent {
        let n = last - 1 - usize::from(per_cent);
        return (n >= floor && number(n)).then_some(Np {
            ti: n,
            tj: last + 1,
            kind: NpKind::Description,
        });
    }
    let asked = [
        "interviewed",
        "surveyed",
        "polled",
        "asked",
        "contacted",
        "consulted",
    ];
    if !lower_in(w, &asked) || last < floor + 2 {
        return None;
    }
    let mut head = last - 1;
    if lower_in(
        word(toks, text, head),
        &["i", "we", "they", "he", "she", "you"],
    ) {
        head -= 1;
    }
    let np = description_left(toks, text, floor, head)?;
    Some(Np {
        ti: np.ti,
        tj: last + 1,
        kind: NpKind::Description,
    })
}

/// Prepositions whose object cannot be the subject of a following verb.
const OBJ_PREPS: &[&str] = &[
    "for", "of", "to", "with", "by", "from", "about", "against", "toward", "towards", "among",
    "between", "into", "onto", "over", "under", "behind", "through",
];

/// Name or description ending at token `last`.
fn subject_np_left(toks: &[Tok], text: &str, floor: usize, last: usize) -> Option<Np> {
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
        // "the Daily Herald", "the White House": the article belongs to the name, and the
        // frame starts with it ("“…,” the Daily Herald reported").
        if j > floor && toks[j - 1].is_word() && word(toks, text, j - 1).eq_ignore_ascii_case("the")
        {
            j -= 1;
        }
        return Some(Np {
            ti: j,
            tj: last + 1,
            kind: NpKind::Name,
        });
    }
    description_left(toks, text, floor, last)
}

/// Skips adverbs/auxiliaries (at most three) left of token `end`.
fn skip_between(toks: &[Tok], text: &str, floor: usize, end: usize) -> usize {
    let mut k = end;
    // "continues to insist", "appeared to suggest": the cue is the infinitive of a verb that
    // only hedges or extends it.
    if k > floor + 2
        && toks[k - 1].is_word()
        && word(toks, text, k - 1).eq_ignore_ascii_case("to")
        && toks[k - 2].is_word()
        && lower_in(word(toks, text, k - 2), RAISING_VERBS)
    {
        k -= 2;
    }
    let mut skipped = 0;
    while k > floor && skipped < 3 && toks[k - 1].is_word() {
        let w = word(toks, text, k - 1);
        // "has long said", "strongly denied", "who in 2010 said", "on Monday said"
        let adverb = lower_in(w, BETWEEN_SUBJ_VERB)
            || (!toks[k - 1].cap && w.len() > 4 && w.ends_with("ly") && !lower_in(w, STOP));
        if adverb {
            k -= 1;
        } else if k > floor + 1 && time_phrase(toks, text, k - 2) {
            k -= 2;
        } else {
            break;
        }
        skipped += 1;
    }
    k
}

/// A two-word time adverbial starting at token `i`: "in 2010", "on Monday", "last week".
fn time_phrase(toks: &[Tok], text: &str, i: usize) -> bool {
    let (a, b) = (toks[i], toks[i + 1]);
    if !(a.is_word() && b.is_word()) {
        return false;
    }
    let (aw, bw) = (a.text(text), b.text(text));
    let year = bw.len() == 4 && bw.bytes().all(|c| c.is_ascii_digit());
    let day = lower_in(bw, WEEKDAYS);
    (lower_in(aw, &["in", "on", "since"]) && (year || day))
        || (lower_in(aw, &["last", "this", "earlier", "later"])
            && lower_in(
                bw,
                &[
                    "week", "month", "year", "spring", "summer", "fall", "winter",
                ],
            ))
}

/// Verbs that take a speech verb's infinitive without changing who speaks.
const RAISING_VERBS: &[&str] = &[
    "continues",
    "continue",
    "continued",
    "appears",
    "appear",
    "appeared",
    "seems",
    "seem",
    "seemed",
    "went",
    "goes",
    "proceeded",
];

/// Parenthetical asides that sit between a subject and its verb.
const ASIDES: &[&[&str]] = &[
    &["for", "his", "part"],
    &["for", "her", "part"],
    &["for", "their", "part"],
    &["for", "its", "part"],
    &["for", "our", "part"],
    &["on", "his", "part"],
    &["on", "her", "part"],
    &["on", "their", "part"],
    &["in", "turn"],
    &["in", "his", "turn"],
    &["in", "her", "turn"],
    &["however"],
    &["meanwhile"],
    &["though"],
    &["too"],
    &["in", "a", "statement"],
];

/// Matches an aside ending at token `end` (exclusive), optionally wrapped in
/// commas; returns the token index where the aside (with its comma) starts.
pub(crate) fn aside_before(toks: &[Tok], text: &str, floor: usize, end: usize) -> Option<usize> {
    let comma_after = end > floor && toks[end - 1].is_punct(',');
    let e = if comma_after { end - 1 } else { end };
    for a in ASIDES {
        let n = a.len();
        if e < floor + n {
            continue;
        }
        let s = e - n;
        if !(0..n)
            .all(|i| toks[s + i].is_word() && toks[s + i].text(text).eq_ignore_ascii_case(a[i]))
        {
            continue;
        }
        let comma_before = s > floor && toks[s - 1].is_punct(',');
        // Single-word asides need commas ("X, however, said"); "for his
        // part" is unambiguous either way.
        if n == 1 && !(comma_after && comma_before) {
            continue;
        }
        if comma_after != comma_before && n == 1 {
            continue;
        }
        let start = if comma_before { s - 1 } else { s };
        if start > floor {
            return Some(start);
        }
    }
    None
}

/// Head nouns that can name a source: people, groups, organisations and the
/// documents they speak through.
const SPEAKER_NOUNS: &[&str] = &[
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
    // Only with a determiner from here on.
    "chairwoman",
    "chair",
    "people",
    "person",
    "man",
    "woman",
    "men",
    "women",
    "candidate",
    "nominee",
    "voter",
    "supporter",
    "critic",
    "opponent",
    "member",
    "lawmaker",
    "legislator",
    "congressman",
    "congresswoman",
    "representative",
    "delegate",
    "democrat",
    "republican",
    "conservative",
    "liberal",
    "activist",
    "advocate",
    "group",
    "organization",
    "organisation",
    "association",
    "union",
    "party",
    "administration",
    "department",
    "office",
    "council",
    "board",
    "court",
    "judge",
    "justice",
    "panel",
    "team",
    "staff",
    "staffer",
    "employee",
    "worker",
    "officer",
    "soldier",
    "army",
    "military",
    "forces",
    "force",
    "troops",
    "militia",
    "regime",
    "authority",
    "authorities",
    "embassy",
    "envoy",
    "ambassador",
    "diplomat",
    "negotiator",
    "mediator",
    "company",
    "firm",
    "bank",
    "network",
    "newspaper",
    "paper",
    "magazine",
    "outlet",
    "website",
    "site",
    "channel",
    "broadcaster",
    "station",
    "service",
    "media",
    "press",
    "reporter",
    "journalist",
    "correspondent",
    "editor",
    "columnist",
    "author",
    "writer",
    "historian",
    "scholar",
    "professor",
    "scientist",
    "doctor",
    "physician",
    "witness",
    "resident",
    "citizen",
    "family",
    "relative",
    "friend",
    "father",
    "mother",
    "son",
    "daughter",
    "brother",
    "sister",
    "wife",
    "husband",
    "parent",
    "child",
    "children",
    "student",
    "teacher",
    "owner",
    "founder",
    "investor",
    "donor",
    "billionaire",
    "businessman",
    "businesswoman",
    "boss",
    "head",
    "deputy",
    "counterpart",
    "colleague",
    "ally",
    "rival",
    "challenger",
    "incumbent",
    "predecessor",
    "successor",
    "pollster",
    "strategist",
    "consultant",
    "operative",
    "insider",
    "observer",
    "commentator",
    "veteran",
    "victim",
    "survivor",
    "protester",
    "demonstrator",
    "rebel",
    "fighter",
    "militant",
    "insurgent",
    "cleric",
    "imam",
    "priest",
    "bishop",
    "king",
    "queen",
    "prince",
    "princess",
    "emir",
    "sheikh",
    "monarch",
    "premier",
    "chancellor",
    "speaker",
    "whip",
    "caucus",
    "delegation",
    "coalition",
    "alliance",
    "movement",
    "front",
    "bloc",
    "camp",
    "side",
    "country",
    "nation",
    "state",
    "states",
    "city",
    "county",
    "district",
    "province",
    "region",
    "capital",
    "kingdom",
    "republic",
    "document",
    "documents",
    "filing",
    "filings",
    "record",
    "records",
    "data",
    "figures",
    "letter",
    "memo",
    "email",
    "e-mail",
    "tweet",
    "post",
    "release",
    "announcement",
    "complaint",
    "lawsuit",
    "suit",
    "indictment",
    "ruling",
    "analysis",
    "review",
    "investigation",
    "probe",
    "audit",
    "estimate",
    "estimates",
    "research",
    "findings",
    "results",
    "numbers",
    "count",
    "tally",
    "transcript",
    "interview",
    "video",
    "speech",
    "remarks",
    "testimony",
    "book",
    "article",
    "story",
    "editorial",
    "op-ed",
    "column",
    "account",
    "accounts",
    "assessment",
    "intelligence",
    "memorandum",
    "notice",
    "note",
    "message",
    "everyone",
    "anyone",
    "someone",
    "nobody",
    "few",
    "many",
    "others",
    "most",
    "some",
    "both",
    "all",
    "each",
    "either",
    "neither",
    "one",
    "user",
    "users",
    "fan",
    "fans",
    "crowd",
    "audience",
    "public",
    "electorate",
    "base",
    "establishment",
    "elite",
    "elites",
    "pundit",
    "pundits",
    "host",
    "anchor",
    "moderator",
    "guest",
    "participant",
    "attendee",
    "organizer",
    "organiser",
    "sponsor",
    "backer",
    "endorser",
    "surrogate",
    "insiders",
    "sources",
    "officials",
    "associate",
    "unit",
    "tycoon",
    "mogul",
    "star",
    "celebrity",
    "actress",
    "rabbi",
    "pope",
    "foundation",
    "institute",
    "center",
    "centre",
    "pac",
    "superdelegate",
    "surveyed",
    "polled",
    "interviewed",
    "asked",
    "those",
    "statistics",
    "agent",
    "guard",
    "police",
    "spy",
    "judges",
    "jury",
    "panelist",
    "airline",
    "commission",
    "bureau",
    "boy",
    "girl",
    "hawk",
    "elderly",
    "carrier",
    "co-op",
    "nonprofit",
    "charity",
    "contender",
    "hopeful",
    "frontrunner",
    "front-runner",
    "favorite",
    "winner",
    "loser",
];

/// Suffixes of agent nouns ("politician", "economist", "congressman").
const SPEAKER_SUFFIXES: &[&str] = &[
    "ian", "ist", "man", "men", "woman", "women", "person", "people", "ent", "ant", "eer", "ier",
    "or", "er", "ee", "eon", "ess", "ive",
];

/// True when the word `w` (lower case) can head a source noun phrase.
pub(crate) fn speaker_noun(w: &str) -> bool {
    let w = w.to_lowercase();
    let sing = w
        .strip_suffix("ies")
        .map(|x| format!("{x}y"))
        .or_else(|| w.strip_suffix("ses").map(|x| format!("{x}s")))
        .or_else(|| w.strip_suffix('s').map(str::to_string))
        .unwrap_or_else(|| w.clone());
    let listed = |x: &str| SPEAKER_NOUNS.contains(&x);
    listed(&w)
        || listed(&sing)
        || SPEAKER_SUFFIXES
            .iter()
            .any(|s| sing.len() >= s.len() + 2 && sing.ends_with(s))
}

/// A description can be a speaker when one of its words before the first
/// function word is a source noun, or its head is capitalised ("the
/// Pentagon"). Possessors do not count: "Israel's continued aggression"
/// and "the minister's decision" name no speaker.
pub(crate) fn description_is_source(toks: &[Tok], text: &str, np: &Np) -> bool {
    let mut last_word: Option<usize> = None;
    for (i, &t) in toks.iter().enumerate().take(np.tj).skip(np.ti) {
        if !t.is_word() {
            break;
        }
        let w = t.text(text);
        // "most of the farmers", "some of those polled": the quantity's "of" leads on to the
        // noun that says who.
        let partitive = w.eq_ignore_ascii_case("of")
            && last_word.is_some_and(|k| lower_in(toks[k].text(text), DETERMINERS));
        if i > np.ti && !partitive && (lower_in(w, STOP) || w.eq_ignore_ascii_case("familiar")) {
            break;
        }
        last_word = Some(i);
        if w.ends_with("'s") || w.ends_with("’s") || w.ends_with('\'') || w.ends_with('’') {
            continue;
        }
        if lower_in(w, DETERMINERS) && i + 1 < np.tj {
            continue;
        }
        if speaker_noun(w)
            || lower_in(
                &w.replace('’', "'"),
                &["he's", "she's", "who's", "they're", "we're"],
            )
        {
            return true;
        }
    }
    last_word.is_some_and(|i| {
        let t = toks[i];
        let w = t.text(text);
        let poss = w.ends_with("'s") || w.ends_with("’s");
        if poss && i + 1 == np.tj {
            // Cut at a possessive ("the campaign's"): judge the possessor.
            let base = &w[..w.len() - if w.ends_with("’s") { 4 } else { 2 }];
            return speaker_noun(base) || (t.cap && i > np.ti);
        }
        t.cap && i > np.ti && !poss
    })
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

/// Nouns that denote speakers even without a determiner ("spokesman said"): the head of
/// [`SPEAKER_NOUNS`].
const PERSON_NOUNS: &[&str] = SPEAKER_NOUNS.split_at(41).0;

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
            if !(lower_in(w, TAIL_WORDS)
                || lower_in(w, WEEKDAYS)
                || t.cap
                || (w.len() > 4 && w.ends_with("ly")))
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
    // "reported, citing …", "said on Monday, citing …": the participle follows the cue
    // closely, after a comma. Further on ("said the plan failed, citing costs") it gives
    // the speaker's reason, not a source.
    (from..ceil.min(from + 4)).find_map(|i| {
        let w = toks[i].text(text);
        let cites = toks[i].is_word()
            && (w.eq_ignore_ascii_case("citing") || w.eq_ignore_ascii_case("quoting"));
        let after_comma = i == from || toks[i - 1].is_punct(',');
        if cites && after_comma {
            np_right(toks, text, i + 1, ceil).map(|np| (i, np))
        } else {
            None
        }
    })
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
