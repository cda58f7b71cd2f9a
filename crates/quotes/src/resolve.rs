//! Putting it together: turning cues and quotation marks into candidate
//! attributions, then resolving speakers in reading order so that pronouns
//! and bare quotes can lean on the attribution before them.

use std::collections::HashMap;

use crate::attrib::{
    citation, description_is_source, find_cues, np_left, np_right, only_tail, speaker_noun, Cue,
    CueKind, Np, NpKind,
};
use crate::direct::{direct_quotes, DirectSpan};
use crate::text::{
    lower_in, not_name, paragraphs, split_sentences, tokenize, trim_span, Kind, Tok, DETERMINERS,
    STOP, TITLES,
};
use crate::{dateline, Mention, MentionKind, Quote, QuoteKind, Speaker};

/// A quote before its speaker is resolved.
#[derive(Clone, Debug)]
struct Cand {
    content: (u32, u32),
    kind: QuoteKind,
    cue: Option<(u32, u32)>,
    np: Option<Np>,
    cited: Option<(u32, u32)>,
    /// Span of quotation marks that belong to the quote.
    marks: Option<(u32, u32)>,
    para: usize,
    /// Bare quotation with no cue: speaker must come from context.
    bare: bool,
}

struct Ctx<'a> {
    text: &'a str,
    toks: Vec<Tok>,
    paras: Vec<(u32, u32)>,
    sents: Vec<(u32, u32)>,
    directs: Vec<DirectSpan>,
}

impl Ctx<'_> {
    fn para_of(&self, pos: u32) -> usize {
        self.paras.partition_point(|p| p.0 <= pos).saturating_sub(1)
    }

    /// Sentence containing `pos`, clipped to its paragraph.
    fn sentence_of(&self, pos: u32) -> (u32, u32) {
        let p = self.paras[self.para_of(pos)];
        let i = self.sents.partition_point(|s| s.0 <= pos);
        let s = if i > 0 && self.sents[i - 1].1 > pos {
            self.sents[i - 1]
        } else {
            p
        };
        (s.0.max(p.0), s.1.min(p.1))
    }

    fn tok_range(&self, s: u32, e: u32) -> (usize, usize) {
        (
            self.toks.partition_point(|t| t.s < s),
            self.toks.partition_point(|t| t.e <= e),
        )
    }

    fn inside_direct(&self, pos: u32) -> bool {
        let i = self.directs.partition_point(|d| d.content.0 <= pos);
        i > 0 && self.directs[i - 1].content.1 > pos
    }

    fn trimmed(&self, s: u32, e: u32) -> (u32, u32) {
        let (mut a, mut b) = trim_span(self.text, s as usize, e as usize);
        // A dateline opening the story ("LISBON (Reuters) – …") is not what anyone said.
        if self.paras.first().is_some_and(|p| p.0 as usize == a) {
            if let Some(d) = dateline(&self.text[a..b]) {
                a += d.end as usize;
            }
        }
        // Drop the clause punctuation that separates content from the frame.
        while b > a {
            let c = self.text[..b].chars().next_back().unwrap_or('x');
            if matches!(c, ',' | '.' | ';' | ':' | '—' | '–') || c.is_whitespace() {
                b -= c.len_utf8();
            } else {
                break;
            }
        }
        while a < b {
            let c = self.text[a..].chars().next().unwrap_or('x');
            if matches!(c, ',' | ':' | '—' | '–') || c.is_whitespace() {
                a += c.len_utf8();
            } else {
                break;
            }
        }
        (a as u32, b as u32)
    }
}

fn has_word(toks: &[Tok]) -> bool {
    toks.iter().any(|t| t.is_word())
}

fn is_close_mark(c: char) -> bool {
    matches!(c, '"' | '”' | '’' | '\'' | '»')
}

fn is_open_mark(c: char) -> bool {
    matches!(c, '"' | '“' | '‘' | '\'' | '«' | '„')
}

const PREPS: &[&str] = &[
    "in",
    "at",
    "on",
    "during",
    "after",
    "before",
    "to",
    "with",
    "via",
    "by",
    "while",
    "when",
    "as",
    "about",
    "of",
    "for",
    "from",
    "since",
    "until",
    "because",
    "if",
    "following",
    "without",
    "amid",
    "despite",
    "through",
    "across",
    "outside",
    "inside",
    "and",
    "or",
    "but",
];

/// Participial cues ("…, adding that …") take the subject of the clause.
fn is_participle(w: &str) -> bool {
    // The verb of the cue, past its auxiliaries ("also denouncing") and before its particle
    // ("referring to").
    let verb = w
        .split(' ')
        .find(|x| !lower_in(x, &["has", "have", "had", "also"]))
        .unwrap_or(w);
    verb.ends_with("ing") && !w.eq_ignore_ascii_case("according to")
}

/// Conjunctions after which a participle cue shares the subject of the clause before it
/// ("…, while also denouncing …", "before adding …").
const SUBORDINATORS: &[&str] = &["while", "before", "after", "when"];

/// Cue verbs whose content can be an infinitive ("declined to comment", "vowed to fight").
const TO_INFINITIVE: &[&str] = &[
    "declined",
    "agreed",
    "agrees",
    "hopes",
    "hope",
    "hoped",
    "pledged",
    "pledges",
    "vowed",
    "vows",
    "promised",
    "promises",
    "refused",
    "refuses",
    "wants",
    "want",
    "wanted",
    "plans",
    "planned",
    "sought",
    "seeks",
    "threatened",
    "offered",
    "proposed",
    "urged",
    "expects",
    "expect",
    "decided",
];

/// Words that open an adverbial before the subject ("For his part, …",
/// "On Monday, …", "Separately, …").
const INTRO_WORDS: &[&str] = &[
    "meanwhile",
    "however",
    "earlier",
    "later",
    "also",
    "yet",
    "still",
    "speaking",
    "asked",
    "responding",
    "referring",
    "today",
    "yesterday",
    "instead",
    "moreover",
    "furthermore",
    "besides",
    "likewise",
    "similarly",
    "elsewhere",
    "here",
    "there",
    "now",
    "then",
    "indeed",
    "thus",
    "hence",
    "accordingly",
    "nevertheless",
    "nonetheless",
    "under",
    "over",
    "against",
    "within",
    "among",
    "between",
    "upon",
    "regarding",
    "concerning",
    "addressing",
];

/// Token index where a clause's subject may start: past an opening
/// adverbial that ends in a comma ("For his part, …", "Referring to the
/// talks, …").
fn subject_start(cx: &Ctx, sti: usize, stj: usize) -> usize {
    let toks = &cx.toks;
    let Some(first) = toks.get(sti).filter(|t| t.is_word() && sti < stj) else {
        return sti;
    };
    let w = first.text(cx.text);
    let intro = lower_in(w, PREPS)
        || lower_in(w, INTRO_WORDS)
        || (w.len() > 4 && (w.ends_with("ly") || w.ends_with("ing")) && !first.cap)
        || (w.len() > 4 && (w.ends_with("ly") || w.ends_with("ing")) && first.cap && {
            // A capitalised "-ing"/"-ly" word opening a sentence is an
            // adverbial unless a name follows ("Sterling Brown said").
            toks.get(sti + 1).is_some_and(|n| !n.cap || !n.is_word())
        });
    if !intro {
        return sti;
    }
    let mut depth = 0i32;
    for (k, &t) in toks
        .iter()
        .enumerate()
        .take(stj.min(sti + 20))
        .skip(sti + 1)
    {
        if t.kind == Kind::Punct {
            match t.ch {
                '“' | '(' | '«' => depth += 1,
                '”' | ')' | '»' => depth -= 1,
                ',' if depth <= 0 => return k + 1,
                '.' | ';' | '!' | '?' => return sti,
                _ => {}
            }
        }
    }
    sti
}

/// The subject of the clause running over tokens `[sti, stj)`, when it sits
/// at the clause start: a name, a pronoun or a source description ("the
/// minister"). Possessors ("Moreno's aide") and coordinations ("X and Y")
/// are not taken.
fn clause_subject(cx: &Ctx, sti: usize, stj: usize) -> Option<Np> {
    let toks = &cx.toks;
    let text = cx.text;
    let start = subject_start(cx, sti, stj);
    let mut np = np_right(toks, text, start, stj)?;
    if np.kind == NpKind::Description {
        // np_right runs on over verbs ("the minister appreciated"): cut
        // the description after its last source noun.
        let head = (np.ti..np.tj)
            .rev()
            .find(|&i| toks[i].is_word() && speaker_noun(toks[i].text(text)))?;
        np.tj = head + 1;
        if !description_is_source(toks, text, &np) {
            return None;
        }
    }
    // "Chief of Staff of the Armed Forces Gen. Ada Moss": a title runs on through "of" and
    // "the" to the capitalised words after them.
    if np.kind == NpKind::Name {
        let mut k = np.tj;
        while k + 1 < stj
            && toks[k].is_word()
            && lower_in(toks[k].text(text), &["of", "for", "the"])
        {
            let mut j = k + 1;
            while j < stj && toks[j].is_word() && toks[j].text(text).eq_ignore_ascii_case("the") {
                j += 1;
            }
            let run = (j..stj)
                .take_while(|&i| toks[i].is_word() && toks[i].cap)
                .count();
            if run == 0 {
                break;
            }
            k = j + run;
            np.tj = k;
        }
    }
    let last = toks[np.tj - 1].text(text);
    if last.ends_with("'s") || last.ends_with("’s") {
        return None;
    }
    match toks.get(np.tj) {
        Some(n) if n.is_word() && lower_in(n.text(text), &["and", "or", "&"]) => None,
        Some(n) if n.is_word() && n.s < cx.sentence_of(toks[sti].s).1 => {
            // The subject is followed by its verb: a lower-case word.
            (!n.cap).then_some(np)
        }
        Some(n) if n.kind == Kind::Punct && matches!(n.ch, ',' | '(' | '—' | '–') => Some(np),
        _ => None,
    }
}

/// Verbs that frame a partial quotation as the subject's words even
/// without a speech cue ("He condemned the raid as a “violation”").
const FRAMING_VERBS: &[&str] = &[
    "condemned",
    "condemns",
    "condemning",
    "denounced",
    "denounces",
    "denouncing",
    "attributed",
    "attributes",
    "described",
    "describes",
    "describing",
    "called",
    "calls",
    "calling",
    "voiced",
    "voices",
    "voicing",
    "warned",
    "warns",
    "warning",
    "hailed",
    "hails",
    "hailing",
    "accused",
    "accuses",
    "accusing",
    "criticized",
    "criticised",
    "criticizes",
    "criticises",
    "slammed",
    "slams",
    "blasted",
    "blasts",
    "branded",
    "brands",
    "labeled",
    "labelled",
    "labels",
    "termed",
    "terms",
    "dubbed",
    "dubs",
    "praised",
    "praises",
    "lauded",
    "lauds",
    "welcomed",
    "welcomes",
    "rejected",
    "rejects",
    "dismissed",
    "dismisses",
    "expressed",
    "expresses",
    "expressing",
    "appreciated",
    "appreciates",
    "urged",
    "urges",
    "vowed",
    "vows",
    "pledged",
    "pledges",
    "promised",
    "promises",
    "stressed",
    "stresses",
    "emphasized",
    "emphasised",
    "underlined",
    "reiterated",
    "reaffirmed",
    "affirmed",
    "insisted",
    "characterized",
    "characterised",
    "likened",
    "compared",
    "thanked",
    "lamented",
    "decried",
    "deplored",
    "questioned",
    "challenged",
    "defended",
    "blamed",
    "recalled",
    "noted",
    "pointed",
    "referred",
    "spoke",
    "highlighted",
    "declared",
    "announced",
    "said",
    "says",
    "told",
    "added",
    "stated",
];

fn analyze_cue(
    cx: &Ctx,
    cue: &Cue,
    cues: &[Cue],
    earlier: &[Cand],
    claimed: &mut [bool],
) -> Option<Cand> {
    let text = cx.text;
    let toks = &cx.toks;
    let (ss, se) = cx.sentence_of(cue.s);
    let (sti, stj) = cx.tok_range(ss, se);
    let para = cx.para_of(cue.s);
    let (pti, ptj) = cx.tok_range(cx.paras[para].0, cx.paras[para].1);
    if cue.ti < pti || cue.tj > ptj {
        return None;
    }
    let cue_word = &text[cue.s as usize..cue.e as usize];

    // --- the speaker ---------------------------------------------------
    let quoted_as = quoted_as_saying(cx, cue, sti);
    let np: Option<Np> = if cue.kind == CueKind::AccordingTo {
        // "according to" marks whatever follows as the source, up to the
        // clause boundary ("according to FEC filings", "according to a
        // spokesman for the campaign").
        let end = (cue.tj..stj.min(cue.tj + 30))
            .find(|&k| !toks[k].is_word())
            .unwrap_or(stj.min(cue.tj + 30));
        let np = np_right(toks, text, cue.tj, end);
        match np {
            Some(n) if n.kind == NpKind::Pronoun => Some(n),
            _ => (end > cue.tj).then_some(Np {
                ti: cue.tj,
                tj: end,
                kind: if np.is_some_and(|n| n.kind == NpKind::Name && n.tj == end) {
                    NpKind::Name
                } else {
                    NpKind::Description
                },
            }),
        }
    } else if let Some((np, _)) = quoted_as {
        Some(np)
    } else {
        let before = cue.ti.checked_sub(1).map(|i| toks[i]);
        let inverted_ctx = cue.ti == sti
            || before
                .is_some_and(|b| b.is_punct(',') || (b.kind == Kind::Punct && is_close_mark(b.ch)));
        let right = if inverted_ctx {
            np_right(toks, text, cue.tj, stj.max(cue.tj))
        } else {
            None
        };
        // "…, said Smith." beats an appositive reading when the name closes
        // the clause.
        let right_closes = right.is_some_and(|r| {
            r.kind != NpKind::Pronoun
                || before.is_some_and(|b| b.kind == Kind::Punct && is_close_mark(b.ch))
        }) && right.is_some_and(|r| {
            r.tj >= stj || toks[r.tj].kind == Kind::Punct || only_tail(toks, text, r.tj, stj)
        });
        let participle = is_participle(cue_word) && cue.kind != CueKind::AccordingTo;
        if participle && subject_start(cx, sti, stj) > cue.ti {
            // "Emphasizing the recent visit, he said …": an opening
            // participle is framed by the main clause, and the noun phrase
            // after it is its object, never a speaker.
            return None;
        }
        if right_closes && !participle {
            right
        } else if let Some(np) = participle
            .then(|| chained_speaker(cx, cue, earlier))
            .flatten()
        {
            Some(np)
        } else if let Some(np) = participle
            .then(|| subordinate_speaker(cx, cue, earlier, sti))
            .flatten()
        {
            Some(np)
        } else if participle && before.is_some_and(|b| b.is_punct(',')) {
            let subj = np_right(toks, text, sti, cue.ti)
                .filter(|n| n.kind != NpKind::Description || n.tj < cue.ti);
            // The whole opening is the subject ("Minister of Roads and Urban Development, …").
            let whole_subject =
                || np_left(toks, text, sti, cue.ti - 1).is_some_and(|n| n.ti == sti);
            if subj.is_some_and(|n| n.tj + 1 == cue.ti) || whole_subject() {
                // "X, referring to …, appreciated …": a parenthetical
                // participle between the subject and its verb.
                return None;
            }
            subj
        } else if participle {
            np_left(toks, text, sti.max(pti), cue.ti)
        } else {
            np_left(toks, text, sti.max(pti), cue.ti)
                .or_else(|| coordinated_subject(cx, sti.max(pti), cue.ti))
                .or(right)
        }
    };
    let np = np?;
    // The frame of "IRNA quoted the minister as saying" starts with the outlet.
    let frame_start = quoted_as.map_or(np.ti, |(_, start)| start);
    let (ca, cb) = (cue.ti.min(frame_start), cue.tj.max(np.tj));
    let chunk_s = toks[ca].s;
    let chunk_e = toks[cb - 1].e;

    // Words after the frame that are not just "on Monday" or ", adding":
    // then a quote right before the frame is a title, not the content.
    let right_words = {
        let k = (cb..stj)
            .find(|&k| toks[k].kind == Kind::Punct || !only_tail(toks, text, k, k + 1))
            .unwrap_or(stj);
        k < stj && toks[k].is_word() && !lower_in(toks[k].text(text), STOP)
    };

    // A quotation this cue's frame claims.
    let quoted = |content: (u32, u32), kind: QuoteKind, d: &DirectSpan| Cand {
        content,
        kind,
        cue: Some((cue.s, cue.e)),
        np: Some(np),
        cited: None,
        marks: Some((d.open, d.close)),
        para,
        bare: false,
    };

    // --- direct quote right before the frame: “…,” she said -------------
    let di = cx.directs.partition_point(|d| d.close <= chunk_s);
    if di > 0 && !claimed[di - 1] {
        let d = cx.directs[di - 1];
        let gap = &text[d.close as usize..chunk_s as usize];
        let mixed = d.open > ss && has_word(&toks[sti..cx.tok_range(ss, d.open).1]);
        if cx.para_of(d.close.saturating_sub(1)) == para
            && gap
                .chars()
                .all(|c| c.is_whitespace() || matches!(c, ',' | '—' | '–' | '-'))
            && !(mixed && right_words)
        {
            claimed[di - 1] = true;
            let (content, kind) = if mixed {
                (cx.trimmed(ss, d.close), QuoteKind::Mixed)
            } else {
                (d.content, QuoteKind::Direct)
            };
            return Some(quoted(content, kind, &d));
        }
    }

    // --- direct quote right after the frame: she said: “…” --------------
    let dj = cx.directs.partition_point(|d| d.open < chunk_e);
    if dj < cx.directs.len() && !claimed[dj] {
        let d = cx.directs[dj];
        let gap = &text[chunk_e as usize..d.open as usize];
        let gap_words = gap
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count();
        let gap_trim = gap.trim_end();
        let framed = gap_trim.is_empty()
            || gap_trim.ends_with([':', ','])
            || gap_trim.to_ascii_lowercase().ends_with("that");
        // Another cue in the gap ("he continued, adding, “…”") frames the quote itself.
        let first = cues.partition_point(|c| c.s < chunk_e);
        let recued = cues[first..]
            .iter()
            .take_while(|c| c.s < d.open)
            .any(|c| c.s >= chunk_e && c.e <= d.open);
        if cx.para_of(d.open) == para
            && !gap.contains(['.', '!', '?', '\n'])
            && gap_words <= 6
            && framed
            && !recued
        {
            claimed[dj] = true;
            // Words after the closing mark in the same clause make it a
            // partial quote inside reported speech.
            let close_para = cx.paras[cx.para_of(d.close.saturating_sub(1))];
            let (_, after_end) = cx.tok_range(d.close, close_para.1);
            let after_start = toks.partition_point(|t| t.s < d.close).min(after_end);
            let tail = &toks[after_start..after_end];
            let stop = tail
                .iter()
                .position(|t| t.kind == Kind::Punct && matches!(t.ch, '.' | '!' | '?'))
                .unwrap_or(tail.len());
            // A frame after the closing mark (“…”, adding that …) starts another attribution.
            let stop = next_frame(cx, cues, after_start.saturating_sub(1), after_start + stop)
                .map_or(stop, |at| tail.partition_point(|t| t.s < at));
            let mixed =
                has_word(&tail[..stop]) && !only_tail(toks, text, after_start, after_start + stop);
            let (content, kind) = if mixed {
                let end = tail.get(stop).map_or(close_para.1, |t| t.s);
                (cx.trimmed(d.open, end), QuoteKind::Mixed)
            } else {
                (d.content, QuoteKind::Direct)
            };
            return Some(quoted(content, kind, &d));
        }
    }

    // --- "X said:" closing a paragraph introduces the next one -----------
    if cb < ptj && toks[cb].is_punct(':') && cb + 1 == ptj && para + 1 < cx.paras.len() {
        let (ns, ne) = cx.paras[para + 1];
        let dn = cx.directs.partition_point(|d| d.open < ns);
        let (content, marks) = match cx.directs.get(dn) {
            Some(d) if d.open == ns && !claimed[dn] => {
                claimed[dn] = true;
                (d.content, Some((d.open, d.close)))
            }
            _ => (cx.trimmed(ns, ne), None),
        };
        return Some(Cand {
            content,
            kind: if marks.is_some() {
                QuoteKind::Direct
            } else {
                QuoteKind::Indirect
            },
            cue: Some((cue.s, cue.e)),
            np: Some(np),
            cited: None,
            marks,
            para,
            bare: false,
        });
    }

    // --- indirect speech ---------------------------------------------------
    let mut cited = None;
    let mut rs = cb;
    if let Some((ci, cnp)) = citation(toks, text, cb, stj) {
        cited = Some(cnp.span(toks));
        rs = cnp.tj.max(ci + 1);
    }
    while rs < stj && toks[rs].kind == Kind::Punct && matches!(toks[rs].ch, ',' | ':' | '—' | '–')
    {
        rs += 1;
    }
    if cue.kind == CueKind::Told && rs < stj && toks[rs].is_word() {
        // Skip the addressee: "told reporters", "told CNN", "told him".
        let w = toks[rs].text(text);
        if lower_in(
            w,
            &[
                "him",
                "her",
                "them",
                "us",
                "me",
                "reporters",
                "journalists",
                "lawmakers",
            ],
        ) || toks[rs].cap
        {
            rs += 1;
            while rs < stj && toks[rs].cap && toks[rs].is_word() {
                rs += 1;
            }
        } else if lower_in(w, DETERMINERS) {
            // "told the website …"
            if let Some(n) = np_right(toks, text, rs, stj) {
                rs = n.tj;
            }
        }
    }
    // "said on Monday in a statement that …", "said during the meeting with the general
    // that …": content starts after "that" when an adverbial leads to it, not at a
    // demonstrative ("said the test could change that.").
    let scan_end = (rs + 14).min(stj);
    if let Some(k) = (rs..scan_end)
        .find(|&k| toks[k].is_word() && toks[k].text(text).eq_ignore_ascii_case("that"))
    {
        let between = &toks[rs..k];
        let adverbial = toks[rs].is_word()
            && lower_in(toks[rs].text(text), PREPS)
            && !between.iter().any(|t| t.kind == Kind::Punct && t.ch != '-');
        let leads_to_that = !between
            .iter()
            .any(|t| t.kind == Kind::Punct && matches!(t.ch, '.' | '!' | '?' | ';'))
            && toks
                .get(k + 1)
                .is_some_and(|t| t.is_word() || is_open_mark(t.ch))
            && (adverbial || only_tail(toks, text, rs, k));
        if k == rs || leads_to_that {
            rs = k + 1;
        }
    } else if rs < stj && toks[rs].is_word() && toks[rs].text(text).eq_ignore_ascii_case("that") {
        rs += 1;
    }
    let left_sep = ca > sti
        && toks[ca - 1].kind == Kind::Punct
        && (matches!(toks[ca - 1].ch, ',' | '—' | '–') || is_close_mark(toks[ca - 1].ch));
    // "In the end, X agreed …", "Through a spokesman, X declined …": a short adverbial
    // before the subject is not what was said.
    let left = toks.get(sti..ca).unwrap_or(&[]);
    let adverbial = left.iter().filter(|t| t.is_word()).count() <= 5
        && left.iter().find(|t| t.is_word()).is_some_and(|t| {
            let w = t.text(text);
            lower_in(w, PREPS) || lower_in(w, INTRO_WORDS) || w.ends_with("ly")
        });
    let left_ok = left_sep && has_word(left) && !adverbial;
    // "declined to comment", "agreed to lend …": an infinitive is the content.
    let infinitive = rs + 1 < stj
        && toks[rs].is_word()
        && toks[rs].text(text).eq_ignore_ascii_case("to")
        && lower_in(cue_word.rsplit(' ').next().unwrap_or(""), TO_INFINITIVE);
    // A preposition right after the cue opens an adverbial ("said in a
    // video message to the convention"), not the reported content.
    // Nor does a participial cue chained to this one ("…, he continued, adding …"): what
    // follows is that cue's content.
    let chained = rs < stj
        && cues[cues.partition_point(|c| c.ti < rs)..]
            .iter()
            .take_while(|c| c.ti == rs)
            .any(|c| is_participle(&text[c.s as usize..c.e as usize]));
    let right_ok = rs < stj
        && has_word(&toks[rs..stj])
        && !only_tail(toks, text, rs, stj)
        && !(left_ok && !infinitive && toks[rs].is_word() && lower_in(toks[rs].text(text), PREPS))
        && !(left_ok && chained);
    let nominal = np.tj == cue.ti && np.tj > np.ti && {
        let w = toks[np.tj - 1].text(text);
        w.ends_with("'s") || w.ends_with("’s")
    };
    // "Washington's claim of war on terrorism is a pretext": a claim named as a noun, with
    // only a noun phrase after it, states nothing; the sentence's own verb says what others
    // make of it. (Holding the phrase as the claim's content was tried: it put an attribution
    // inside the sentence's, and a topic is not a statement.) A "claim that …" clause keeps
    // the usual content.
    if right_ok && nominal && lower_in(toks[rs].text(text), &["of", "for"]) {
        return None;
    }
    let content = if right_ok {
        let start = if left_ok && toks[cb.min(stj - 1)].is_punct(',') {
            ss
        } else {
            toks[rs].s
        };
        cx.trimmed(start, next_frame(cx, cues, rs, stj).unwrap_or(se))
    } else if left_ok {
        cx.trimmed(ss, toks[ca - 1].e)
    } else {
        return None;
    };
    if content.0 >= content.1 {
        return None;
    }
    // Partial verbatim quotes inside the paraphrase are absorbed.
    let mut kind = QuoteKind::Indirect;
    let first = cx.directs.partition_point(|d| d.open < content.0);
    for (k, d) in cx.directs.iter().enumerate().skip(first) {
        if d.open >= content.1 {
            break;
        }
        if !claimed[k] {
            claimed[k] = true;
            kind = QuoteKind::Mixed;
        }
    }
    Some(Cand {
        content,
        kind,
        cue: Some((cue.s, cue.e)),
        np: Some(np),
        cited,
        marks: None,
        para,
        bare: false,
    })
}

/// "IRNA quoted the minister as saying …", "He was quoted by IRNA as saying …" aside: for
/// the cue "saying" after "as", the person between "quoted" and "as" is the speaker. Returns
/// that noun phrase and the token where the frame starts (the outlet before "quoted", when
/// there is one).
fn quoted_as_saying(cx: &Ctx, cue: &Cue, sti: usize) -> Option<(Np, usize)> {
    let toks = &cx.toks;
    let text = cx.text;
    let word_at =
        |k: usize, w: &str| toks[k].is_word() && toks[k].text(text).eq_ignore_ascii_case(w);
    let saying = &text[cue.s as usize..cue.e as usize];
    if !saying.eq_ignore_ascii_case("saying") || cue.ti < 3 || !word_at(cue.ti - 1, "as") {
        return None;
    }
    let quoted = (sti..cue.ti - 1)
        .rev()
        .take(8)
        .find(|&k| word_at(k, "quoted"))?;
    let np = np_right(toks, text, quoted + 1, cue.ti - 1).filter(|n| n.tj == cue.ti - 1)?;
    let start = np_left(toks, text, sti, quoted)
        .filter(|n| n.tj == quoted)
        .map_or(quoted, |n| n.ti);
    Some((np, start))
}

/// The speaker of a participial cue chained to the frame just before it: in "…, he continued,
/// adding …" and "…, said Smith, adding …" whoever continued or said is also adding.
fn chained_speaker(cx: &Ctx, cue: &Cue, earlier: &[Cand]) -> Option<Np> {
    let toks = &cx.toks;
    let comma = cue.ti.checked_sub(1).filter(|&k| toks[k].is_punct(','))?;
    let frame_end = toks[comma.checked_sub(1)?].e;
    let prev = earlier.last()?;
    let np = prev.np?;
    let (cs, ce) = prev.cue?;
    let (ns, ne) = np.span(toks);
    (cs.min(ns) < frame_end && ce.max(ne) == frame_end).then_some(np)
}

/// The speaker of "X condemned …, while also denouncing …": a participle after "while",
/// "before", "after" or "when" shares the subject of the attribution earlier in its sentence.
fn subordinate_speaker(cx: &Ctx, cue: &Cue, earlier: &[Cand], sti: usize) -> Option<Np> {
    let toks = &cx.toks;
    let mut k = cue.ti.checked_sub(1)?;
    if toks[k].is_word() && toks[k].text(cx.text).eq_ignore_ascii_case("also") {
        k = k.checked_sub(1)?;
    }
    let conj = toks[k].is_word() && lower_in(toks[k].text(cx.text), SUBORDINATORS);
    let prev = earlier.last()?;
    let np = prev.np?;
    (conj && np.ti >= sti && np.tj <= k).then_some(np)
}

/// Start of the next attribution frame inside tokens `[from, to)`, where the content of a cue
/// before it ends: an inverted frame (", he continued", ", the minister said", ", although he
/// again refused"), a chained participle (", adding …", "while also denouncing …") or a
/// coordinated cue (", and said: …", "and also stressed").
fn next_frame(cx: &Ctx, cues: &[Cue], from: usize, to: usize) -> Option<u32> {
    let toks = &cx.toks;
    let text = cx.text;
    let comma_at = |k: usize| k > from && (toks[k].is_punct(',') || toks[k].is_punct(';'));
    // Where content ends at the separator token `k`: before a comma, or after a quotation
    // closed right behind one ("…, "gun," but he said …").
    let frame_end = |k: usize| -> Option<u32> {
        if comma_at(k) {
            return Some(toks[k].s);
        }
        let closes = toks[k].kind == Kind::Punct && is_close_mark(toks[k].ch);
        (closes && k > from + 1 && comma_at(k - 1)).then_some(toks[k].e)
    };
    // Cues are in text order.
    let first = cues.partition_point(|c| c.ti <= from + 1);
    cues[first..]
        .iter()
        .take_while(|c| c.ti < to)
        .filter(|c| c.ti > from + 1 && c.ti < to)
        .find_map(|c| {
            let mut k = c.ti - 1;
            if toks[k].is_word() && toks[k].text(text).eq_ignore_ascii_case("also") && k > from {
                k -= 1;
            }
            if toks[k].is_word() && toks[k].text(text).eq_ignore_ascii_case("and") {
                let k = k.checked_sub(1).filter(|&j| comma_at(j)).unwrap_or(k);
                return Some(toks[k].s);
            }
            let participle = is_participle(&text[c.s as usize..c.e as usize]);
            if comma_at(c.ti - 1) && participle {
                return Some(toks[c.ti - 1].s);
            }
            // "… while also denouncing …", "… before adding …"
            if participle && toks[k].is_word() && lower_in(toks[k].text(text), SUBORDINATORS) {
                let k = k.checked_sub(1).filter(|&j| comma_at(j)).unwrap_or(k);
                return Some(toks[k].s);
            }
            // Adverbs between subject and cue: "…, although he again refused …".
            let mut end = c.ti;
            while end > from + 1 && toks[end - 1].is_word() && {
                let w = toks[end - 1].text(text);
                lower_in(
                    w,
                    &["again", "also", "then", "later", "still", "never", "once"],
                ) || w.ends_with("ly")
            } {
                end -= 1;
            }
            let np = np_left(toks, text, from, end)?;
            let mut comma = np.ti.checked_sub(1)?;
            // "…, although he refused …", "…, but officials said …"
            if toks[comma].is_word()
                && lower_in(
                    toks[comma].text(text),
                    &["although", "though", "while", "but", "whereas", "and"],
                )
            {
                comma = comma.checked_sub(1)?;
            }
            // A short description ("the defence minister") frames too; a long one is more
            // likely the start of a new clause.
            let short = np.kind != NpKind::Description || np.tj - np.ti <= 4;
            (np.tj == end && short).then(|| frame_end(comma)).flatten()
        })
}

/// "X met Y and said": the cue's subject is the clause subject, not the
/// object before "and".
fn coordinated_subject(cx: &Ctx, sti: usize, cue_ti: usize) -> Option<Np> {
    let toks = &cx.toks;
    let mut k = cue_ti;
    while k > sti
        && toks[k - 1].is_word()
        && lower_in(
            toks[k - 1].text(cx.text),
            &["also", "then", "further", "later"],
        )
    {
        k -= 1;
    }
    if k <= sti + 1
        || !toks[k - 1].is_word()
        || !lower_in(toks[k - 1].text(cx.text), &["and", "but"])
    {
        return None;
    }
    clause_subject(cx, sti, k - 1).filter(|n| n.tj < k - 1)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Gender {
    Male,
    Female,
    Group,
    Unknown,
}

fn pronoun_gender(w: &str) -> Gender {
    match w.to_ascii_lowercase().as_str() {
        "he" => Gender::Male,
        "she" => Gender::Female,
        "they" | "we" | "it" => Group,
        _ => Gender::Unknown,
    }
}
use Gender::Group;

fn compatible(p: Gender, g: Gender) -> bool {
    match (p, g) {
        (Gender::Unknown, _) | (_, Gender::Unknown) => true,
        (a, b) => a == b,
    }
}

/// Gender evidence from honorifics, the only cue available without a
/// gazetteer.
fn honorific_gender(s: &str) -> Gender {
    let l = s.trim_start().to_ascii_lowercase();
    if l.starts_with("mr.") || l.starts_with("mr ") {
        Gender::Male
    } else if l.starts_with("mrs.")
        || l.starts_with("ms.")
        || l.starts_with("mrs ")
        || l.starts_with("ms ")
    {
        Gender::Female
    } else {
        Gender::Unknown
    }
}

/// A resolved speaker as remembered for later pronouns.
#[derive(Clone, Debug)]
struct Prev {
    speaker: Speaker,
    /// Where the attribution sits (its speaker, else its cue or content).
    anchor: u32,
    para: usize,
    gender: Gender,
    /// Named a person (or description) rather than being a pronoun itself.
    personal: bool,
}

/// The resolved speakers so far, in reading order, with an index by anchor: a pronoun asks
/// for the latest attribution inside each sentence before it, which a scan of every earlier
/// attribution made quadratic in a long article.
#[derive(Default)]
struct Prevs {
    items: Vec<Prev>,
    /// Anchor → the latest item with that anchor.
    by_anchor: std::collections::BTreeMap<u32, usize>,
}

impl Prevs {
    fn push(&mut self, p: Prev) {
        self.by_anchor.insert(p.anchor, self.items.len());
        self.items.push(p);
    }

    fn last(&self) -> Option<&Prev> {
        self.items.last()
    }

    /// The latest attribution anchored in `[a, b)`.
    fn latest_in(&self, a: u32, b: u32) -> Option<&Prev> {
        if a >= b {
            return None;
        }
        self.by_anchor
            .range(a..b)
            .map(|(_, &i)| i)
            .max()
            .map(|i| &self.items[i])
    }
}

/// Outcome of looking back for a pronoun's antecedent.
enum Walk {
    Found(Option<String>, Option<String>),
    /// The antecedent is a description with no name to resolve to.
    Unnamed,
    /// No subject or attribution found: use the older fallbacks.
    Fallback,
}

/// What a sentence's subject offers a pronoun.
enum Subj {
    Person(Option<String>, Option<String>),
    Unnamed,
    /// Another referent (a pronoun, an incompatible name): look further back.
    Skip,
    None,
}

/// Lower-case words that may precede a name in a subject ("defence
/// minister Omar Haddad").
const ROLE_WORDS: &[&str] = &[
    "defence",
    "defense",
    "foreign",
    "interior",
    "prime",
    "deputy",
    "vice",
    "former",
    "senior",
    "top",
    "acting",
    "chief",
    "of",
    "staff",
    "armed",
    "supreme",
    "state",
    "national",
    "security",
    "finance",
    "health",
    "justice",
    "economy",
    "trade",
    "army",
    "military",
    "party",
    "opposition",
    "leader",
    "lieutenant",
    "major",
    "rear",
    "field",
    "marshal",
    "brigadier",
];

struct Resolver<'a> {
    cx: &'a Ctx<'a>,
    /// Sorted by `(start, end)`.
    mentions: Vec<&'a Mention>,
    /// The largest end among `mentions` up to each one.
    max_end: Vec<u32>,
    /// Lower-case role word → the mentions whose role holds it, in `mentions` order.
    by_role_word: HashMap<String, Vec<usize>>,
    /// Gender learned for entities/canonical names from earlier pronouns (the latest wins).
    learned: HashMap<String, Gender>,
}

impl<'a> Resolver<'a> {
    /// The lookups below go through indexes over the mentions rather than scanning them all
    /// for each quote, which made long articles quadratic.
    fn new(cx: &'a Ctx<'a>, mentions: &'a [Mention]) -> Resolver<'a> {
        let mut mentions: Vec<&Mention> = mentions.iter().collect();
        mentions.sort_by_key(|m| (m.start, m.end));
        let max_end = mentions
            .iter()
            .scan(0, |e, m| {
                *e = m.end.max(*e);
                Some(*e)
            })
            .collect();
        let mut by_role_word: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, m) in mentions.iter().enumerate() {
            let Some(role) = &m.role else { continue };
            let rl = role.to_lowercase();
            let mut words: Vec<&str> = rl
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            words.sort_unstable();
            words.dedup();
            for w in words {
                by_role_word.entry(w.to_string()).or_default().push(i);
            }
        }
        Resolver {
            cx,
            mentions,
            max_end,
            by_role_word,
            learned: HashMap::new(),
        }
    }

    /// Indices of the mentions starting in `[a, b)`.
    fn starting_in(&self, a: u32, b: u32) -> std::ops::Range<usize> {
        let lo = self.mentions.partition_point(|m| m.start < a);
        let hi = self.mentions.partition_point(|m| m.start < b).max(lo);
        lo..hi
    }

    fn key(sp: &Speaker) -> Option<String> {
        sp.entity.clone().or_else(|| sp.canonical.clone())
    }

    fn gender_of(&self, key: &str, surface: &str) -> Gender {
        self.learned
            .get(key)
            .copied()
            .unwrap_or_else(|| honorific_gender(surface))
    }

    fn mention_at(&self, s: u32, e: u32) -> Option<&Mention> {
        let hi = self.mentions.partition_point(|m| m.start < e);
        let lo = self.max_end[..hi].partition_point(|&x| x <= s);
        self.mentions[lo..hi]
            .iter()
            .filter(|m| m.start < e && s < m.end)
            .max_by_key(|m| {
                (m.kind == MentionKind::Person) as u8 * 2 + (m.kind == MentionKind::Org) as u8
            })
            .copied()
    }

    fn name_speaker(&self, s: u32, e: u32, via: &'static str) -> Speaker {
        let text = self.cx.text;
        match self.mention_at(s, e) {
            Some(m) => Speaker {
                start: s,
                end: e,
                entity: m.entity.clone(),
                canonical: m
                    .canonical
                    .clone()
                    .or_else(|| Some(text[m.start as usize..m.end as usize].to_string())),
                via,
            },
            None => Speaker {
                start: s,
                end: e,
                entity: None,
                canonical: Some(strip_titles(&text[s as usize..e as usize])),
                via,
            },
        }
    }

    /// Description → mention whose role shares the head noun; modifiers
    /// ("Syrian", "defence") break ties between several ministers.
    fn description(&self, np: &Np, before: u32) -> (Option<&Mention>, bool) {
        let cx = self.cx;
        let (s, e) = np.span(&cx.toks);
        if let Some(m) = self.mention_at(s, e) {
            return (Some(m), true);
        }
        let words: Vec<String> = cx.toks[np.ti..np.tj]
            .iter()
            .filter(|t| t.is_word())
            .map(|t| t.text(cx.text).to_lowercase())
            .filter(|w| !lower_in(w, DETERMINERS))
            .collect();
        let Some(head) = words.last() else {
            return (None, false);
        };
        let head_sing = head.strip_suffix('s').unwrap_or(head);
        let mut best: Option<(usize, bool, u32, &Mention)> = None;
        // Only mentions whose role holds the head can match; visited in mention order.
        let mut holders: Vec<usize> = [head.as_str(), head_sing]
            .iter()
            .filter_map(|w| self.by_role_word.get(*w))
            .flatten()
            .copied()
            .collect();
        holders.sort_unstable();
        holders.dedup();
        for m in holders.into_iter().map(|i| self.mentions[i]) {
            let Some(role) = &m.role else { continue };
            let rl = role.to_lowercase();
            let rw: Vec<&str> = rl
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            if !rw.iter().any(|w| *w == head || *w == head_sing) {
                continue;
            }
            let canon = m.canonical.as_deref().unwrap_or("").to_lowercase();
            let score = words[..words.len() - 1]
                .iter()
                .filter(|w| rw.contains(&w.as_str()) || canon.contains(w.as_str()))
                .count();
            // Mentions before the quote are what a reader has in mind.
            let earlier = m.start < before;
            let dist = if earlier {
                before - m.start
            } else {
                m.start - before
            };
            let better = match best {
                None => true,
                Some((bs, be, bd, _)) => {
                    (score, earlier, std::cmp::Reverse(dist)) > (bs, be, std::cmp::Reverse(bd))
                }
            };
            if better {
                best = Some((score, earlier, dist, m));
            }
        }
        (best.map(|b| b.3), false)
    }

    /// Latest capitalised name before `pos` within a few paragraphs, outside
    /// quotations: the no-mentions stand-in for a person mention.
    fn heuristic_name_before(&self, pos: u32, para: usize, want: Gender) -> Option<(u32, u32)> {
        let cx = self.cx;
        let floor = cx.paras[para.saturating_sub(2)].0;
        let mut i = cx.toks.partition_point(|t| t.s < pos);
        while i > 0 {
            i -= 1;
            let t = cx.toks[i];
            if t.s < floor {
                break;
            }
            if !t.is_word() || !t.cap || cx.inside_direct(t.s) {
                continue;
            }
            let w = t.text(cx.text);
            if lower_in(w, STOP) || lower_in(w, DETERMINERS) || not_name(w) {
                continue;
            }
            // Grow left over the name.
            let mut j = i;
            while j > 0 {
                let p = cx.toks[j - 1];
                let pw = p.text(cx.text);
                if p.is_word()
                    && p.cap
                    && !lower_in(pw, STOP)
                    && !lower_in(pw, DETERMINERS)
                    && !not_name(pw)
                    && p.e + 1 >= cx.toks[j].s
                {
                    j -= 1;
                } else {
                    break;
                }
            }
            let first = cx.toks[j].text(cx.text);
            let sentence_initial = j == 0 || {
                let p = cx.toks[j - 1];
                p.kind == Kind::Punct && matches!(p.ch, '.' | '!' | '?' | '“' | '"')
                    || cx
                        .paras
                        .binary_search_by_key(&cx.toks[j].s, |x| x.0)
                        .is_ok()
            };
            let multi = i > j;
            let titled = lower_in(first, TITLES);
            // A lone capitalised word opening a sentence is too often not a
            // name ("Officials", "Critics") to trust.
            if (multi || titled || !sentence_initial)
                && compatible(want, honorific_gender(first))
                // A lone plural-looking word ("Democrats") is not one person.
                && (want == Group || !t.text(cx.text).ends_with('s') || multi || titled)
            {
                return Some((cx.toks[j].s, t.e));
            }
            i = j;
        }
        None
    }

    fn pronoun(
        &mut self,
        s: u32,
        e: u32,
        para: usize,
        prev: &Prevs,
        antecedent: Option<Np>,
    ) -> (Speaker, Option<String>) {
        let cx = self.cx;
        let w = &cx.text[s as usize..e as usize];
        let want = if antecedent.is_some() {
            Gender::Unknown
        } else {
            pronoun_gender(w)
        };
        let mut sp = Speaker {
            start: s,
            end: e,
            entity: None,
            canonical: None,
            via: "pronoun",
        };
        // Relative "who": the antecedent is right there.
        if let Some(a) = antecedent {
            let (as_, ae) = a.span(&cx.toks);
            let r = self.name_speaker(as_, ae, "pronoun");
            sp.entity = r.entity;
            sp.canonical = r.canonical;
            return (sp, None);
        }
        if w.eq_ignore_ascii_case("i") || w.eq_ignore_ascii_case("you") {
            return (sp, Some("first- or second-person pronoun".into()));
        }
        // 0. Sentence by sentence backwards: an attribution there, else
        //    the sentence's subject; persons in object or prepositional
        //    phrases only when no sentence offers a subject.
        match self.walk_back(s, para, want, prev) {
            Walk::Found(entity, canonical) => {
                sp.entity = entity;
                sp.canonical = canonical;
                self.learn(&sp, want);
                return (sp, None);
            }
            Walk::Unnamed => {
                return (sp, Some("pronoun refers to an unnamed description".into()));
            }
            Walk::Fallback => {}
        }
        // 1. The subject of the previous attribution nearby.
        // Paragraphs only grow along `prev`: the last entry is the only candidate.
        if let Some(p) = prev.last().filter(|p| p.para + 1 >= para) {
            if p.personal
                && compatible(want, p.gender)
                && (p.speaker.entity.is_some() || p.speaker.canonical.is_some())
            {
                let ok_kind = match want {
                    Group => true,
                    _ => p.gender != Group,
                };
                if ok_kind {
                    sp.entity = p.speaker.entity.clone();
                    sp.canonical = p.speaker.canonical.clone();
                    self.learn(&sp, want);
                    return (sp, None);
                }
            }
        }
        // 2. Latest compatible mention.
        if !self.mentions.is_empty() {
            let floor = cx.paras[para.saturating_sub(3)].0;
            let m = self.mentions[self.starting_in(floor, s)]
                .iter()
                .filter(|m| m.end <= s && m.start >= floor && !cx.inside_direct(m.start))
                .filter(|m| match want {
                    Group => matches!(m.kind, MentionKind::Org | MentionKind::Person),
                    _ => m.kind == MentionKind::Person,
                })
                .filter(|m| {
                    let key = m
                        .entity
                        .clone()
                        .or_else(|| m.canonical.clone())
                        .unwrap_or_default();
                    compatible(
                        want,
                        self.gender_of(&key, &cx.text[m.start as usize..m.end as usize]),
                    )
                })
                .max_by_key(|m| m.end)
                .copied();
            if let Some(m) = m {
                sp.entity = m.entity.clone();
                sp.canonical = m
                    .canonical
                    .clone()
                    .or_else(|| Some(cx.text[m.start as usize..m.end as usize].to_string()));
                self.learn(&sp, want);
                return (sp, None);
            }
            return (sp, Some("pronoun with no earlier person".into()));
        }
        // 3. No mentions at all: nearest capitalised name.
        if want != Group {
            if let Some((a, b)) = self.heuristic_name_before(s, para, want) {
                sp.canonical = Some(strip_titles(&cx.text[a as usize..b as usize]));
                return (sp, None);
            }
        }
        (sp, Some("pronoun with no earlier person".into()))
    }

    fn walk_back(&self, s: u32, para: usize, want: Gender, prev: &Prevs) -> Walk {
        let cx = self.cx;
        let floor = cx.paras[para.saturating_sub(1)].0;
        let mut i = cx.sents.partition_point(|x| x.0 < s);
        let mut first = true;
        let mut seen = 0;
        while i > 0 && seen < 4 {
            i -= 1;
            let (a, b0) = cx.sents[i];
            let b = if first { s.min(b0) } else { b0 };
            first = false;
            if b <= floor {
                break;
            }
            let a = a.max(floor);
            if a >= b {
                continue;
            }
            seen += 1;
            if let Some(p) = prev.latest_in(a, b) {
                let ok_kind = match want {
                    Group => true,
                    _ => p.gender != Group,
                };
                if p.personal
                    && ok_kind
                    && compatible(want, p.gender)
                    && (p.speaker.entity.is_some() || p.speaker.canonical.is_some())
                {
                    return Walk::Found(p.speaker.entity.clone(), p.speaker.canonical.clone());
                }
            }
            match self.subject_in(a, b, want) {
                Subj::Person(e, c) => return Walk::Found(e, c),
                Subj::Unnamed => return Walk::Unnamed,
                Subj::Skip => continue,
                Subj::None => {
                    if self.has_person_in(a, b, want) {
                        return Walk::Fallback;
                    }
                }
            }
        }
        Walk::Fallback
    }

    /// A person outside quotation marks in `[a, b)`.
    fn has_person_in(&self, a: u32, b: u32, want: Gender) -> bool {
        let cx = self.cx;
        if self.mentions.is_empty() {
            let (ti, tj) = cx.tok_range(a, b);
            return cx.toks[ti..tj].windows(2).any(|w| {
                w[0].is_word()
                    && w[1].is_word()
                    && w[0].cap
                    && w[1].cap
                    && !cx.inside_direct(w[0].s)
                    && !lower_in(w[0].text(cx.text), STOP)
            });
        }
        self.mentions[self.starting_in(a, b)].iter().any(|m| {
            m.start >= a
                && m.end <= b
                && !cx.inside_direct(m.start)
                && match want {
                    Group => matches!(m.kind, MentionKind::Org | MentionKind::Person),
                    _ => m.kind == MentionKind::Person,
                }
        })
    }

    /// The subject of the sentence `[a, b)` as a pronoun antecedent.
    fn subject_in(&self, a: u32, b: u32, want: Gender) -> Subj {
        let cx = self.cx;
        let toks = &cx.toks;
        let (ti, tj) = cx.tok_range(a, b);
        if ti >= tj || cx.inside_direct(toks[ti].s) || !toks[ti].is_word() {
            return Subj::None;
        }
        let start = subject_start(cx, ti, tj);
        if start >= tj {
            return Subj::None;
        }
        let st = toks[start];
        let sw = st.text(cx.text);
        if st.is_word() && lower_in(sw, &["he", "she", "they"]) {
            return Subj::Skip;
        }
        if !self.mentions.is_empty() {
            let m = self.mentions[self.starting_in(st.s, b)]
                .iter()
                .filter(|m| m.start >= st.s && m.start < b && !cx.inside_direct(m.start))
                .find(|m| matches!(m.kind, MentionKind::Person | MentionKind::Org));
            let Some(m) = m else {
                return Subj::None;
            };
            let (mi, mj) = cx.tok_range(m.start, m.end);
            let prefix_ok = mi - start <= 6
                && toks[start..mi].iter().all(|t| {
                    let w = t.text(cx.text);
                    t.is_word()
                        && (t.cap
                            || lower_in(w, DETERMINERS)
                            || lower_in(w, TITLES)
                            || lower_in(w, ROLE_WORDS)
                            || speaker_noun(w))
                        && !lower_in(w, &["and", "or"])
                });
            let last = toks[mj.saturating_sub(1).max(mi)].text(cx.text);
            let after_ok = match toks.get(mj) {
                Some(n) if n.s >= b => false,
                Some(n) if n.is_word() => !n.cap && !lower_in(n.text(cx.text), &["and", "or"]),
                Some(n) => matches!(n.ch, ',' | '(' | '—' | '–'),
                None => false,
            };
            if !prefix_ok || !after_ok || last.ends_with("'s") || last.ends_with("’s") {
                return Subj::None;
            }
            let fits = match want {
                Group => true,
                _ => m.kind == MentionKind::Person,
            };
            let key = m
                .entity
                .clone()
                .or_else(|| m.canonical.clone())
                .unwrap_or_default();
            if !fits
                || !compatible(
                    want,
                    self.gender_of(&key, &cx.text[m.start as usize..m.end as usize]),
                )
            {
                return Subj::Skip;
            }
            let canonical = m
                .canonical
                .clone()
                .or_else(|| Some(cx.text[m.start as usize..m.end as usize].to_string()));
            return Subj::Person(m.entity.clone(), canonical);
        }
        let Some(np) = clause_subject(cx, ti, tj) else {
            return Subj::None;
        };
        match np.kind {
            NpKind::Description => Subj::Unnamed,
            NpKind::Name if want != Group => {
                let (na, nb) = np.span(toks);
                let surface = &cx.text[na as usize..nb as usize];
                let multi = np.tj - np.ti > 1;
                let lone_ok = !surface.ends_with('s')
                    && !not_name(surface)
                    && (start > ti || np.ti > ti || toks.get(np.tj).is_some_and(|n| n.is_word()));
                if (multi || lone_ok) && compatible(want, honorific_gender(surface)) {
                    Subj::Person(None, Some(strip_titles(surface)))
                } else {
                    Subj::None
                }
            }
            _ => Subj::Skip,
        }
    }

    fn learn(&mut self, sp: &Speaker, g: Gender) {
        if matches!(g, Gender::Male | Gender::Female) {
            if let Some(k) = Self::key(sp) {
                self.learned.insert(k, g);
            }
        }
    }
}

fn strip_titles(s: &str) -> String {
    let mut words: Vec<&str> = s.split_whitespace().collect();
    if words.len() > 1 && words[0].eq_ignore_ascii_case("the") {
        words.remove(0);
    }
    // "Foreign Minister Ana Silva" → "Ana Silva": drop everything up to the
    // last title word of the leading role.
    let cut = words
        .iter()
        .take(words.len().saturating_sub(1))
        .rposition(|w| lower_in(w, TITLES))
        .map_or(0, |i| i + 1);
    words[cut..].join(" ")
}

/// Does the sentence around `d` have words outside its quotation marks?
fn words_outside(cx: &Ctx, d: &DirectSpan) -> bool {
    let (ss, se) = cx.sentence_of(d.open);
    let (ss, se) = (ss.min(d.open), se.max(d.close));
    let alnum = |a: u32, b: u32| {
        a < b
            && cx.text[a as usize..b as usize]
                .chars()
                .any(char::is_alphanumeric)
    };
    alnum(ss, d.open) || alnum(d.close, se)
}

/// The clause around a partial quotation: from `lo` (or the last clause
/// break before the quote) to the next clause break after it.
fn clause_around(cx: &Ctx, d: &DirectSpan, lo: usize, hi: usize) -> (u32, u32) {
    let toks = &cx.toks;
    let oi = toks.partition_point(|t| t.s < d.open);
    let ci = toks.partition_point(|t| t.s < d.close);
    let brk = |t: &Tok| {
        (t.kind == Kind::Punct && matches!(t.ch, ',' | ';' | ':' | '.' | '!' | '?' | '—' | '–'))
            || (t.is_word() && lower_in(t.text(cx.text), &["while", "whereas", "but"]))
    };
    let mut a = oi;
    while a > lo && !brk(&toks[a - 1]) {
        a -= 1;
    }
    let mut b = ci;
    while b < hi && !brk(&toks[b]) {
        b += 1;
    }
    let s = toks.get(a).map_or(d.open, |t| t.s).min(d.open);
    let e = if b > 0 {
        toks[b - 1].e.max(d.close)
    } else {
        d.close
    };
    cx.trimmed(s, e)
}

/// “… addressed transference of experience as well as “rebuilding of the army in the post-war
/// period”.”: a short quoted noun phrase inside a sentence, the object of a verb or a
/// preposition, names a topic in someone's words; with no cue it is no quotation of anyone.
/// It starts in lower case, has words before it in its sentence, and holds no finite verb
/// or subject pronoun that would make it a statement.
fn quoted_topic(cx: &Ctx, d: &DirectSpan) -> bool {
    let content = &cx.text[d.content.0 as usize..d.content.1 as usize];
    let words: Vec<&str> = content
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
        .collect();
    let (ss, _) = cx.sentence_of(d.open);
    let before = &cx.text[ss.min(d.open) as usize..d.open as usize];
    let statement_word = |w: &&str| {
        lower_in(
            w,
            &[
                "is", "are", "was", "were", "will", "would", "has", "have", "had", "can", "could",
                "must", "should", "shall", "do", "does", "did", "may", "might", "i", "we", "you",
                "he", "she", "they", "it", "not",
            ],
        )
    };
    content.starts_with(|c: char| c.is_lowercase())
        && (2..=12).contains(&words.len())
        && before.chars().filter(|c| c.is_alphabetic()).count() > 0
        && !words.iter().any(statement_word)
}

/// The candidates with two indexes for the quotations no cue claimed/// The candidates with two indexes for the quotations no cue claimed: framed candidates by
/// the start of their cue, and all by paragraph. Scanning every candidate for each quotation
/// made long articles quadratic.
struct CandIndex {
    cands: Vec<Cand>,
    /// `(cue start, index)` of candidates with a cue and a speaker phrase, sorted.
    by_cue: Vec<(u32, usize)>,
    by_para: HashMap<usize, Vec<usize>>,
}

impl CandIndex {
    fn new(cands: Vec<Cand>) -> CandIndex {
        let mut index = CandIndex {
            cands: Vec::with_capacity(cands.len()),
            by_cue: Vec::new(),
            by_para: HashMap::new(),
        };
        for c in cands {
            index.push(c);
        }
        index
    }

    fn push(&mut self, c: Cand) {
        let i = self.cands.len();
        if let (Some((a, _)), false, true) = (c.cue, c.bare, c.np.is_some()) {
            let at = self.by_cue.partition_point(|&x| x < (a, i));
            self.by_cue.insert(at, (a, i));
        }
        self.by_para.entry(c.para).or_default().push(i);
        self.cands.push(c);
    }

    /// Candidates with a cue and speaker phrase whose cue starts in `[a, b)`, in the order
    /// they were added.
    fn framed_cued_in(&self, a: u32, b: u32) -> Vec<usize> {
        let lo = self.by_cue.partition_point(|&(x, _)| x < a);
        let hi = self.by_cue.partition_point(|&(x, _)| x < b).max(lo);
        let mut found: Vec<usize> = self.by_cue[lo..hi].iter().map(|&(_, i)| i).collect();
        found.sort_unstable();
        found
    }

    fn in_para(&self, para: usize) -> impl Iterator<Item = &Cand> {
        self.by_para
            .get(&para)
            .into_iter()
            .flatten()
            .map(|&i| &self.cands[i])
    }
}

/// A partial quotation with no cue of its own: it belongs to the
/// attribution of its sentence ("Voicing readiness to build “joint
/// infrastructure”, the minister said …"), or to the sentence's subject
/// when the main verb frames speech or judgement ("He condemned the raid
/// as a “violation of sovereignty”").
fn partial_quote(
    cx: &Ctx,
    d: &DirectSpan,
    cands: &CandIndex,
    framing_used: &mut Vec<u32>,
) -> Option<Cand> {
    if !words_outside(cx, d) {
        return None;
    }
    let (ss, se) = cx.sentence_of(d.open);
    let (sti, stj) = cx.tok_range(ss.min(d.open), se.max(d.close));
    let para = cx.para_of(d.open);
    let toks = &cx.toks;
    // (a) an attribution in the same sentence.
    let same = cands
        .framed_cued_in(ss, se)
        .into_iter()
        .map(|i| &cands.cands[i])
        .filter(|c| !c.bare && c.np.is_some())
        .filter(|c| c.cue.is_some_and(|(a, _)| a >= ss && a < se))
        .min_by_key(|c| {
            let a = c.cue.map_or(0, |x| x.0);
            (a as i64 - d.open as i64).unsigned_abs()
        });
    if let Some(c) = same {
        let (cs, ce) = c.np.map(|n| n.span(toks)).unwrap_or((ss, ss));
        let cue_s = c.cue.map_or(cs, |x| x.0);
        let frame_s = cs.min(cue_s);
        let frame_e = ce.max(c.cue.map_or(ce, |x| x.1));
        // Stop the clause at the frame on either side.
        let lo = if frame_e <= d.open {
            toks.partition_point(|t| t.s < frame_e)
        } else {
            sti
        };
        let hi = if frame_s >= d.close {
            toks.partition_point(|t| t.s < frame_s)
        } else {
            stj
        };
        return Some(Cand {
            content: clause_around(cx, d, lo, hi),
            kind: QuoteKind::Mixed,
            cue: None,
            np: c.np,
            cited: None,
            marks: Some((d.open, d.close)),
            para,
            bare: false,
        });
    }
    // (b) the sentence's subject and a framing main verb.
    let oi = toks.partition_point(|t| t.s < d.open);
    let start = subject_start(cx, sti, stj);
    let mut verb = None;
    let mut last_framing = None;
    for k in start + 1..oi {
        let t = toks[k];
        if !t.is_word() || cx.inside_direct(t.s) {
            continue;
        }
        if lower_in(t.text(cx.text), FRAMING_VERBS) {
            if verb.is_none() {
                let np = np_left(toks, cx.text, start, k)?;
                if np.ti != start {
                    return None;
                }
                let ok = match np.kind {
                    NpKind::Name | NpKind::Pronoun => true,
                    NpKind::Description => description_is_source(toks, cx.text, &np),
                    NpKind::Relative => false,
                };
                if !ok {
                    return None;
                }
                verb = Some((k, np));
            }
            last_framing = Some(k);
        }
    }
    let (k, np) = verb?;
    let lo = last_framing.unwrap_or(k) + 1;
    let cue_span = (toks[k].s, toks[k].e);
    let cue = (!framing_used.contains(&cue_span.0)).then(|| {
        framing_used.push(cue_span.0);
        cue_span
    });
    Some(Cand {
        content: clause_around(cx, d, lo, stj),
        kind: QuoteKind::Mixed,
        cue,
        np: Some(np),
        cited: None,
        marks: Some((d.open, d.close)),
        para,
        bare: false,
    })
}

/// “A,” he said. “B.”: a quotation that is a whole sentence right after an
/// attributed quotation in the same paragraph.
fn split_continuation(cx: &Ctx, d: &DirectSpan, cands: &CandIndex) -> bool {
    if words_outside(cx, d) {
        return false;
    }
    let para = cx.para_of(d.open);
    cands.in_para(para).any(|c| {
        !c.bare
            && c.para == para
            && c.marks.is_some_and(|(_, close)| close <= d.open)
            && c.cue.is_some_and(|(_, e)| e <= d.open)
    })
}

/// The name right after token `k`: one to four capitalised words on one line.
fn name_run(cx: &Ctx, k: usize) -> Option<Np> {
    let mut j = k;
    while j < cx.toks.len() && j - k < 5 && cx.toks[j].is_word() && cx.toks[j].cap {
        if j > k && cx.text[cx.toks[j - 1].e as usize..cx.toks[j].s as usize].contains('\n') {
            break;
        }
        j += 1;
    }
    (j > k && j - k <= 4).then_some(Np {
        ti: k,
        tj: j,
        kind: NpKind::Name,
    })
}

/// "“…” ― Jane Doe": a quotation signed with a dash and a name that ends its line (or is
/// followed by a comma and a description).
fn dash_signature(cx: &Ctx, d: &DirectSpan) -> Option<((u32, u32), Np)> {
    let text = cx.text;
    let ti = cx.toks.partition_point(|t| t.s < d.close);
    let first = cx.toks.get(ti)?;
    let gap = &text[d.close as usize..first.s as usize];
    if gap.contains('\n') || !gap.chars().all(char::is_whitespace) {
        return None;
    }
    let (cue, k) = if matches!(first.ch, '―' | '—' | '–') && first.kind == Kind::Punct {
        ((first.s, first.e), ti + 1)
    } else if first.is_punct('-')
        && cx
            .toks
            .get(ti + 1)
            .is_some_and(|t| t.is_punct('-') && t.s == first.e)
    {
        ((first.s, first.e + 1), ti + 2)
    } else {
        return None;
    };
    let np = name_run(cx, k)?;
    let after = text[cx.toks[np.tj - 1].e as usize..]
        .trim_start_matches(|c: char| c == '.' || (c.is_whitespace() && c != '\n'));
    (after.is_empty() || after.starts_with(['\n', '\r', ','])).then_some((cue, np))
}

/// A speaker label opening paragraph `para`: the name, its colon, and whether it is written in
/// capitals as in a transcript.
struct Label {
    para: usize,
    colon: (u32, u32),
    np: Np,
    capitals: bool,
}

/// A paragraph opened by a speaker's name and a colon: "PENCE: Well, look, …" in a
/// transcript, "Pat Caddell: Democrat Voters Worried …" in a headline. Labels in capitals
/// count when one of them opens two or more paragraphs (a transcript has turns; a dateline
/// such as "LONDON:" opens one) and names no place; any other label must name a person or
/// organisation.
fn speaker_labels(cx: &Ctx, mentions: &[Mention]) -> Vec<Label> {
    let text = cx.text;
    let mut found = Vec::new();
    for (para, &(ps, pe)) in cx.paras.iter().enumerate() {
        let mut k = cx.toks.partition_point(|t| t.s < ps);
        while cx
            .toks
            .get(k)
            .is_some_and(|t| t.kind == Kind::Punct && is_open_mark(t.ch))
        {
            k += 1;
        }
        let Some(np) = name_run(cx, k) else {
            continue;
        };
        let Some(colon) = cx.toks.get(np.tj).filter(|t| t.is_punct(':') && t.e < pe) else {
            continue;
        };
        if text[colon.e as usize..pe as usize]
            .split_whitespace()
            .count()
            < 3
        {
            continue;
        }
        let (ls, le) = np.span(&cx.toks);
        let label = &text[ls as usize..le as usize];
        let capitals = label.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && !label.chars().any(char::is_lowercase);
        found.push(Label {
            para,
            colon: (colon.s, colon.e),
            np,
            capitals,
        });
    }
    let label_of = |np: &Np| {
        let (s, e) = np.span(&cx.toks);
        &text[s as usize..e as usize]
    };
    let names = |np: &Np, kinds: &[MentionKind]| {
        let (s, e) = np.span(&cx.toks);
        mentions
            .iter()
            .any(|m| m.start < e && s < m.end && kinds.contains(&m.kind))
    };
    let transcript = found.iter().any(|l| {
        l.capitals
            && found
                .iter()
                .filter(|o| label_of(&o.np) == label_of(&l.np))
                .count()
                >= 2
    });
    found.retain(|l| {
        (l.capitals && transcript && !names(&l.np, &[MentionKind::Place]))
            || names(&l.np, &[MentionKind::Person, MentionKind::Org])
    });
    found
}

/// Attributions marked by layout rather than a verb: speaker labels opening a paragraph and
/// dash signatures after a quotation. Quotations they account for are claimed.
fn layout_attributions(
    cx: &Ctx,
    mentions: &[Mention],
    claimed: &mut [bool],
    cands: &mut Vec<Cand>,
) {
    for Label {
        para: p,
        colon,
        np,
        capitals,
    } in speaker_labels(cx, mentions)
    {
        if cands
            .iter()
            .any(|c| c.content.0 <= colon.0 && colon.1 <= c.content.1)
        {
            continue;
        }
        let pe = cx.paras[p].1;
        let mut content = cx.trimmed(colon.1, pe);
        // A transcript quoted whole: the marks around the paragraph are not the speaker's.
        let mut marks = None;
        for (k, d) in cx.directs.iter().enumerate() {
            if !claimed[k] && d.open < colon.0 && colon.1 <= d.close {
                claimed[k] = true;
                marks = Some((d.open, d.close));
                content = (content.0, content.1.min(d.content.1.max(content.0)));
            }
        }
        cands.push(Cand {
            content,
            kind: if capitals {
                QuoteKind::Direct
            } else {
                QuoteKind::Indirect
            },
            cue: Some(colon),
            np: Some(np),
            cited: None,
            marks,
            para: p,
            bare: false,
        });
    }
    for (k, d) in cx.directs.iter().enumerate() {
        if claimed[k] {
            continue;
        }
        if let Some((cue, np)) = dash_signature(cx, d) {
            claimed[k] = true;
            cands.push(Cand {
                content: d.content,
                kind: QuoteKind::Direct,
                cue: Some(cue),
                np: Some(np),
                cited: None,
                marks: Some((d.open, d.close)),
                para: cx.para_of(d.open),
                bare: false,
            });
        }
    }
}

/// Text outside quotation marks in paragraph `p` has no words.
fn quote_only_paragraph(cx: &Ctx, p: usize) -> bool {
    let (ps, pe) = cx.paras[p];
    let mut pos = ps;
    let first = cx.directs.partition_point(|d| d.close <= ps);
    for d in &cx.directs[first..] {
        if d.open >= pe {
            break;
        }
        if cx.text[pos as usize..d.open.max(pos) as usize]
            .chars()
            .any(char::is_alphanumeric)
        {
            return false;
        }
        pos = pos.max(d.close);
    }
    // A quote that started in an earlier paragraph covers this one too.
    if first > 0 && cx.directs[first - 1].close > ps {
        pos = pos.max(cx.directs[first - 1].close);
    }
    let i = cx.directs.partition_point(|d| d.open < ps);
    if i > 0 && cx.directs[i - 1].close >= pe {
        return true;
    }
    !cx.text[pos.min(pe) as usize..pe as usize]
        .chars()
        .any(char::is_alphanumeric)
}

pub(crate) fn run(text: &str, sentences: &[(u32, u32)], mentions: &[Mention]) -> Vec<Quote> {
    let toks = tokenize(text);
    let paras = paragraphs(text);
    if paras.is_empty() {
        return Vec::new();
    }
    let mut sents: Vec<(u32, u32)> = if sentences.is_empty() {
        split_sentences(text)
    } else {
        sentences.to_vec()
    };
    sents.sort_unstable();
    let directs = direct_quotes(text, &paras);
    let cx = Ctx {
        text,
        toks,
        paras,
        sents,
        directs,
    };
    let mut claimed = vec![false; cx.directs.len()];
    let mut cands: Vec<Cand> = Vec::new();
    let cues = find_cues(text, &cx.toks);
    for cue in &cues {
        if cx.inside_direct(cue.s) {
            continue;
        }
        if let Some(c) = analyze_cue(&cx, cue, &cues, &cands, &mut claimed) {
            cands.push(c);
        }
    }
    layout_attributions(&cx, mentions, &mut claimed, &mut cands);
    // Quotations no cue claimed: partial quotes framed by the sentence,
    // continuation paragraphs or free-standing.
    let mut framing_used: Vec<u32> = Vec::new();
    // The candidates' contents by start, and the longest of them: a content holding a
    // quotation starts at most that far before it, so the check looks only there.
    let mut contents: Vec<(u32, u32)> = cands.iter().map(|c| c.content).collect();
    contents.sort_unstable();
    let mut longest = contents
        .iter()
        .map(|&(a, b)| b.saturating_sub(a))
        .max()
        .unwrap_or(0);
    let add_content = |contents: &mut Vec<(u32, u32)>, longest: &mut u32, c: (u32, u32)| {
        let at = contents.partition_point(|&x| x < c);
        contents.insert(at, c);
        *longest = (*longest).max(c.1.saturating_sub(c.0));
    };
    let mut index = CandIndex::new(cands);
    for (k, d) in cx.directs.iter().enumerate() {
        if claimed[k] {
            continue;
        }
        let floor = d.open.saturating_sub(longest + 3);
        let inside = contents[..contents.partition_point(|&(a, _)| a <= d.open)]
            .iter()
            .rev()
            .take_while(|&&(a, _)| a >= floor)
            .any(|&(a, b)| a <= d.open && d.close <= b + 3);
        if inside {
            continue;
        }
        let para = cx.para_of(d.open);
        if let Some(c) = partial_quote(&cx, d, &index, &mut framing_used) {
            add_content(&mut contents, &mut longest, c.content);
            index.push(c);
            continue;
        }
        let words = cx.text[d.content.0 as usize..d.content.1 as usize]
            .split_whitespace()
            .count();
        // Short quoted phrases are titles, slogans and scare quotes, but
        // not the second half of a quote split by its attribution
        // (“A,” he said. “B.”).
        if words < 4 && !quote_only_paragraph(&cx, para) && !split_continuation(&cx, d, &index) {
            continue;
        }
        if quoted_topic(&cx, d) {
            continue;
        }
        add_content(&mut contents, &mut longest, d.content);
        index.push(Cand {
            content: d.content,
            kind: QuoteKind::Direct,
            cue: None,
            np: None,
            cited: None,
            marks: Some((d.open, d.close)),
            para,
            bare: true,
        });
    }
    let mut cands = index.cands;
    cands.sort_by_key(|c| (c.content.0, c.content.1));

    let mut r = Resolver::new(&cx, mentions);
    let mut prev = Prevs::default();
    let mut out: Vec<Quote> = Vec::with_capacity(cands.len());
    // Speakers of cue-bearing quotes, so bare quotes can borrow from a
    // later attribution in the same paragraph ("“A.” “B,” she said.").
    let framed: Vec<(usize, u32, usize)> = cands
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.bare)
        .map(|(i, c)| (c.para, c.content.0, i))
        .collect();
    let mut resolved: Vec<Option<Speaker>> = vec![None; cands.len()];
    for (ci, c) in cands.iter().enumerate() {
        let mut reason: Option<String> = None;
        let speaker: Option<Speaker> = if let Some(np) = c.np {
            let (s, e) = np.span(&cx.toks);
            match np.kind {
                NpKind::Name => {
                    let via = if c.cited.is_some() {
                        "source-citation"
                    } else {
                        "name"
                    };
                    Some(r.name_speaker(s, e, via))
                }
                NpKind::Pronoun => {
                    let (sp, why) = r.pronoun(s, e, c.para, &prev, None);
                    reason = why;
                    Some(sp)
                }
                NpKind::Relative => {
                    let ante = (np.ti > 0 && cx.toks[np.ti - 1].is_punct(','))
                        .then(|| np_left(&cx.toks, text, 0, np.ti - 1))
                        .flatten()
                        .filter(|a| matches!(a.kind, NpKind::Name | NpKind::Description));
                    let (sp, why) = r.pronoun(s, e, c.para, &prev, ante);
                    reason = why.or_else(|| {
                        ante.is_none()
                            .then(|| "relative pronoun without antecedent".into())
                    });
                    Some(sp)
                }
                NpKind::Description
                    if !r
                        .mention_at(s, e)
                        .is_some_and(|m| m.kind != MentionKind::Other)
                        && !description_is_source(&cx.toks, text, &np) =>
                {
                    // "The Syrian people's support shows …": a noun phrase
                    // that names no person or organisation is no speaker.
                    reason = Some(NOT_A_SPEAKER.into());
                    None
                }
                NpKind::Description => {
                    let (m, _) = r.description(&np, c.content.0.min(s));
                    let via = if c.cited.is_some() {
                        "source-citation"
                    } else {
                        "description"
                    };
                    let sp = Speaker {
                        start: s,
                        end: e,
                        entity: m.and_then(|m| m.entity.clone()),
                        canonical: m.and_then(|m| m.canonical.clone()),
                        via,
                    };
                    if m.is_none() && !r.mentions.is_empty() {
                        reason = Some("description matches no mention role".into());
                    }
                    Some(sp)
                }
            }
        } else if c.bare {
            // Same-paragraph attribution first, then the previous paragraph
            // when this paragraph is nothing but the quotation.
            // `framed` is in content order, so by paragraph.
            let lo = framed.partition_point(|(p, _, _)| *p < c.para);
            let hi = framed.partition_point(|(p, _, _)| *p <= c.para);
            let same = framed[lo..hi]
                .iter()
                .filter(|(p, _, _)| *p == c.para)
                .min_by_key(|(_, s, _)| (*s as i64 - c.content.0 as i64).unsigned_abs())
                .map(|x| x.2);
            if let Some(i) = same {
                match &resolved[i] {
                    Some(sp) => Some(sp.clone()),
                    None => {
                        // Resolved later in reading order; resolve the name
                        // part now without pronoun context.
                        cands[i].np.filter(|n| n.kind == NpKind::Name).map(|n| {
                            let (s, e) = n.span(&cx.toks);
                            r.name_speaker(s, e, "name")
                        })
                    }
                }
            } else if quote_only_paragraph(&cx, c.para) {
                match prev.last() {
                    Some(p) if p.para + 1 == c.para || p.para == c.para => {
                        let mut sp = p.speaker.clone();
                        sp.via = "previous-paragraph";
                        Some(sp)
                    }
                    _ => None,
                }
            } else {
                None
            }
        } else {
            None
        };
        if speaker.is_none() && reason.is_none() {
            reason = Some(if c.bare {
                "no speaker named".into()
            } else {
                "cue without a recognisable speaker".into()
            });
        }
        if let Some(sp) = &speaker {
            let surface = &text[sp.start as usize..sp.end as usize];
            let gender = match sp.via {
                "pronoun" => pronoun_gender(surface),
                _ => honorific_gender(surface),
            };
            let personal = sp.via != "pronoun" || sp.canonical.is_some() || sp.entity.is_some();
            let g = Resolver::key(sp).map_or(gender, |k| match r.gender_of(&k, surface) {
                Gender::Unknown => gender,
                g => g,
            });
            let is_group =
                sp.via == "description" && surface.ends_with('s') && !surface.ends_with("ss")
                    || (sp.via == "pronoun" && pronoun_gender(surface) == Group);
            let anchor = if sp.via == "previous-paragraph" {
                c.cue.map_or(c.content.0, |x| x.0)
            } else {
                sp.start
            };
            prev.push(Prev {
                speaker: sp.clone(),
                anchor,
                para: c.para,
                gender: if is_group { Group } else { g },
                personal: personal && sp.via != "previous-paragraph",
            });
        }
        resolved[ci] = speaker.clone();
        let mut start = c.content.0;
        let mut end = c.content.1;
        let mut widen = |a: u32, b: u32| {
            start = start.min(a);
            end = end.max(b);
        };
        if let Some((a, b)) = c.marks {
            widen(a, b);
        }
        if let Some((a, b)) = c.cue {
            widen(a, b);
        }
        if let Some((a, b)) = c.cited {
            widen(a, b);
        }
        if let Some(sp) = &speaker {
            if sp.via != "previous-paragraph"
                && !(c.bare && (sp.start < c.content.0 || sp.end > c.content.1))
            {
                widen(sp.start, sp.end);
            }
        }
        out.push(Quote {
            start,
            end,
            content: c.content,
            kind: c.kind,
            cue: c.cue,
            speaker,
            reason,
            cited: c.cited,
        });
    }
    // "X said the figures show a decline": a cue whose subject is no speaker, inside what a
    // speaker said, is part of that speech, not an attribution of its own.
    // Contents in order of start, each with the largest end so far: the speech containing a
    // span, if any, is found by one binary search.
    let mut spoken: Vec<(u32, u32)> = out
        .iter()
        .filter(|q| q.speaker.is_some())
        .map(|q| q.content)
        .collect();
    spoken.sort_unstable();
    let reach: Vec<u32> = spoken
        .iter()
        .scan(0, |e, &(_, b)| {
            *e = b.max(*e);
            Some(*e)
        })
        .collect();
    out.retain(|q| {
        let starting_before = spoken.partition_point(|&(a, _)| a <= q.content.0);
        q.reason.as_deref() != Some(NOT_A_SPEAKER)
            || starting_before == 0
            || reach[starting_before - 1] < q.content.1
    });
    out.sort_by_key(|q| (q.start, q.end));
    out
}

const NOT_A_SPEAKER: &str = "speaker phrase is not a person or organisation";
