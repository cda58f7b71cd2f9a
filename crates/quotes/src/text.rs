//! Low-level text handling: a tiny tokenizer, paragraph and sentence
//! boundaries, and the closed word classes the attribution rules lean on.
//!
//! Everything works on byte offsets into the original text so that spans can
//! be handed back to callers without any re-mapping.

/// Coarse token class; the rules only need to tell words from punctuation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Word,
    Punct,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Tok {
    pub s: u32,
    pub e: u32,
    pub kind: Kind,
    /// First character is uppercase: the only "part of speech" we can afford.
    pub cap: bool,
    /// First character, so punctuation tests need no slicing.
    pub ch: char,
}

impl Tok {
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.s as usize..self.e as usize]
    }
    pub fn is_word(&self) -> bool {
        self.kind == Kind::Word
    }
    pub fn is_punct(&self, c: char) -> bool {
        self.kind == Kind::Punct && self.ch == c
    }
}

/// Abbreviations whose trailing period belongs to the word; without this
/// "Mr. Smith said" would be split into two sentences and lose its speaker.
const ABBREV: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gen", "sen", "rep", "gov", "lt", "col", "capt", "sgt", "prof", "st",
    "jr", "sr", "rev", "maj", "adm", "cmdr", "sens", "reps", "gens", "pres", "supt", "insp", "det",
    "vs", "no", "jan", "feb", "aug", "sept", "sep", "oct", "nov", "dec", "inc", "corp", "co",
    "ltd", "mt", "ft", "messrs",
];

fn is_word_joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | '-' | '.' | '&' | '‑')
}

/// Splits `text` into word and punctuation tokens.
pub(crate) fn tokenize(text: &str) -> Vec<Tok> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 5);
    let mut i = 0usize;
    let n = b.len();
    while i < n {
        let c = char_at(text, i);
        let cl = c.len_utf8();
        if c.is_whitespace() {
            i += cl;
            continue;
        }
        if c.is_alphanumeric() {
            let start = i;
            i += cl;
            let mut has_dot = false;
            loop {
                while i < n {
                    let d = char_at(text, i);
                    if d.is_alphanumeric() {
                        i += d.len_utf8();
                    } else {
                        break;
                    }
                }
                if i < n {
                    let d = char_at(text, i);
                    if is_word_joiner(d) {
                        let j = i + d.len_utf8();
                        if j < n && char_at(text, j).is_alphanumeric() {
                            has_dot |= d == '.';
                            i = j;
                            continue;
                        }
                    }
                }
                break;
            }
            // Keep the period of abbreviations and initials on the word.
            if i < n && b[i] == b'.' {
                let w = &text[start..i];
                let single_cap = w.chars().count() == 1 && c.is_uppercase();
                if has_dot || single_cap || ABBREV.iter().any(|a| a.eq_ignore_ascii_case(w)) {
                    i += 1;
                }
            }
            out.push(Tok {
                s: start as u32,
                e: i as u32,
                kind: Kind::Word,
                cap: c.is_uppercase(),
                ch: c,
            });
        } else {
            out.push(Tok {
                s: i as u32,
                e: (i + cl) as u32,
                kind: Kind::Punct,
                cap: false,
                ch: c,
            });
            i += cl;
        }
    }
    out
}

#[inline]
pub(crate) fn char_at(text: &str, i: usize) -> char {
    // Callers only pass char-boundary offsets.
    match text.as_bytes().get(i) {
        Some(&b) if b.is_ascii() => char::from(b),
        _ => text[i..].chars().next().unwrap_or(' '),
    }
}

#[inline]
pub(crate) fn char_before(text: &str, i: usize) -> Option<char> {
    text[..i].chars().next_back()
}

/// Paragraphs are non-empty lines: news text in the wild uses either blank
/// lines or single newlines between paragraphs, and neither puts a line break
/// inside a paragraph often enough to matter.
pub(crate) fn paragraphs(text: &str) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    for line in text.split('\n') {
        let s = pos;
        let e = pos + line.len();
        pos = e + 1;
        let (ts, te) = trim_span(text, s, e);
        if ts < te {
            out.push((ts as u32, te as u32));
        }
    }
    out
}

pub(crate) fn trim_span(text: &str, mut s: usize, mut e: usize) -> (usize, usize) {
    while s < e {
        let c = char_at(text, s);
        if c.is_whitespace() {
            s += c.len_utf8();
        } else {
            break;
        }
    }
    while e > s {
        let c = char_before(text, e).unwrap_or('x');
        if c.is_whitespace() {
            e -= c.len_utf8();
        } else {
            break;
        }
    }
    (s, e)
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '”' | '’' | '\'' | ')' | ']' | '»')
}

fn is_opener(c: char) -> bool {
    matches!(c, '"' | '“' | '‘' | '\'' | '(' | '[' | '«')
}

/// Fallback sentence splitter for callers (and the evaluation) that have no
/// sentence stage: breaks after `.`, `!` or `?` (plus closing quotes) when the
/// next token looks like a sentence start, and always at paragraph ends.
pub fn split_sentences(text: &str) -> Vec<(u32, u32)> {
    let toks = tokenize(text);
    let paras = paragraphs(text);
    let mut out = Vec::new();
    let mut ti = 0usize;
    for &(ps, pe) in &paras {
        while ti < toks.len() && toks[ti].s < ps {
            ti += 1;
        }
        let mut start: Option<u32> = None;
        let mut i = ti;
        while i < toks.len() && toks[i].e <= pe {
            let t = toks[i];
            start.get_or_insert(t.s);
            let mut end_here = false;
            let mut last = i;
            if t.kind == Kind::Punct && matches!(t.ch, '.' | '!' | '?') {
                while last + 1 < toks.len()
                    && toks[last + 1].e <= pe
                    && toks[last + 1].kind == Kind::Punct
                    && (is_closer(toks[last + 1].ch)
                        || matches!(toks[last + 1].ch, '.' | '!' | '?'))
                    && toks[last + 1].s == toks[last].e
                {
                    last += 1;
                }
                match toks.get(last + 1) {
                    Some(n) if n.e <= pe => {
                        end_here = n.cap
                            || n.ch.is_ascii_digit()
                            || (n.kind == Kind::Punct && (is_opener(n.ch) || n.ch == '—'));
                    }
                    _ => end_here = true,
                }
            }
            if end_here {
                out.push((start.take().unwrap_or(t.s), toks[last].e));
                i = last + 1;
            } else {
                i += 1;
            }
        }
        if let Some(s) = start {
            out.push((s, pe));
        }
        ti = i;
    }
    out
}

pub(crate) fn lower_in(w: &str, list: &[&str]) -> bool {
    list.iter().any(|x| x.eq_ignore_ascii_case(w))
}

pub(crate) const SUBJECT_PRONOUNS: &[&str] = &["he", "she", "they", "i", "we", "it", "you"];

pub(crate) const DETERMINERS: &[&str] = &[
    "the",
    "a",
    "an",
    "another",
    "one",
    "some",
    "many",
    "most",
    "several",
    "few",
    "his",
    "her",
    "their",
    "its",
    "our",
    "my",
    "your",
    "this",
    "these",
    "those",
    "other",
    "both",
    "all",
    "each",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "dozens",
    "hundreds",
    "thousands",
    "no",
    "any",
    "every",
    "such",
];

/// Function words that never belong inside a speaker noun phrase; a walk
/// that meets one has left the subject.
pub(crate) const STOP: &[&str] = &[
    "and",
    "or",
    "but",
    "if",
    "when",
    "while",
    "because",
    "as",
    "that",
    "which",
    "who",
    "whom",
    "whose",
    "to",
    "of",
    "in",
    "on",
    "at",
    "for",
    "with",
    "by",
    "from",
    "about",
    "into",
    "over",
    "after",
    "before",
    "under",
    "than",
    "then",
    "so",
    "not",
    "also",
    "just",
    "only",
    "even",
    "still",
    "yet",
    "already",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "has",
    "have",
    "had",
    "do",
    "does",
    "did",
    "will",
    "would",
    "could",
    "should",
    "may",
    "might",
    "must",
    "can",
    "there",
    "here",
    "what",
    "how",
    "why",
    "where",
    "him",
    "them",
    "us",
    "me",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "once",
    "later",
    "earlier",
    "previously",
    "recently",
    "now",
    "today",
    "yesterday",
    "however",
    "meanwhile",
    "though",
    "although",
    "since",
    "until",
    "said",
    "says",
    "told",
    "say",
    "added",
    "again",
    "never",
    "always",
    "often",
    "reportedly",
    "publicly",
    "privately",
    "repeatedly",
    "ago",
    "last",
    "next",
    "this",
    "during",
    "without",
    "against",
    "like",
    "up",
    "out",
    "off",
    "down",
    "who's",
    "let",
    "let's",
    "per",
    "via",
    "unless",
    "whether",
    "not",
    "n't",
    "very",
    "too",
    "much",
    "more",
    "less",
    "well",
    "instead",
    "indeed",
    "finally",
];

/// Days of the week, lower case.
pub(crate) const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Capitalised words that start sentences or name months rather than people; [`not_name`]
/// also counts [`WEEKDAYS`].
pub(crate) const NOT_NAME: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan.",
    "feb.",
    "aug.",
    "sept.",
    "sep.",
    "oct.",
    "nov.",
    "dec.",
    "asked",
    "speaking",
    "writing",
    "meanwhile",
    "however",
    "still",
    "yet",
    "also",
    "now",
    "today",
    "yesterday",
    "last",
    "earlier",
    "later",
    "mostly",
    "instead",
    "finally",
    "indeed",
];

/// A capitalised word that starts sentences or names a date rather than a person.
pub(crate) fn not_name(w: &str) -> bool {
    lower_in(w, NOT_NAME) || lower_in(w, WEEKDAYS)
}

pub(crate) const TITLES: &[&str] = &[
    "mr.",
    "mrs.",
    "ms.",
    "dr.",
    "gen.",
    "sen.",
    "rep.",
    "gov.",
    "lt.",
    "col.",
    "capt.",
    "sgt.",
    "prof.",
    "rev.",
    "maj.",
    "adm.",
    "pres.",
    "president",
    "senator",
    "governor",
    "general",
    "minister",
    "secretary",
    "judge",
    "justice",
    "mayor",
    "chairman",
    "speaker",
    "sheikh",
    "king",
    "queen",
    "prince",
    "pope",
    "ambassador",
    "commander",
    "colonel",
    "captain",
    "professor",
    "sir",
    "lady",
    "lord",
    "dame",
];

/// Lower-case connectors that may sit inside a personal name.
pub(crate) const NAME_LINKS: &[&str] = &[
    "de", "da", "van", "von", "al", "bin", "bint", "la", "le", "du", "del", "der", "dos", "di",
    "ibn", "abu",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_abbreviations_and_apostrophes() {
        let t = "Mr. O’Neil’s aide, Dr. J. Brown-Lee, said U.S. forces left.";
        let toks = tokenize(t);
        let words: Vec<&str> = toks.iter().map(|k| k.text(t)).collect();
        assert_eq!(
            words,
            vec![
                "Mr.",
                "O’Neil’s",
                "aide",
                ",",
                "Dr.",
                "J.",
                "Brown-Lee",
                ",",
                "said",
                "U.S.",
                "forces",
                "left",
                "."
            ]
        );
    }

    #[test]
    fn sentences_split_on_capitals_not_abbreviations() {
        let t = "Gen. Ada Moss spoke first. “We will stay,” she said. Then\nit rained";
        let s = split_sentences(t);
        let got: Vec<&str> = s.iter().map(|&(a, b)| &t[a as usize..b as usize]).collect();
        assert_eq!(
            got,
            vec![
                "Gen. Ada Moss spoke first.",
                "“We will stay,” she said.",
                "Then",
                "it rained"
            ]
        );
    }

    #[test]
    fn paragraphs_are_trimmed_lines() {
        let t = "  One.\n\n Two two. \nThree";
        let p = paragraphs(t);
        let got: Vec<&str> = p.iter().map(|&(a, b)| &t[a as usize..b as usize]).collect();
        assert_eq!(got, vec!["One.", "Two two.", "Three"]);
    }
}

/// The dateline opening a story: the place, the credited outlet when there is one, and where
/// the story proper starts. "LISBON (Reuters) – ", "Lisbon, Portugal (AP) - ", "LISBON — ".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dateline {
    pub place: (u32, u32),
    pub credit: Option<(u32, u32)>,
    pub end: u32,
}

/// The dateline at the very start of `text`, if any (offsets relative to `text`).
pub fn dateline(text: &str) -> Option<Dateline> {
    static DATELINE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        // The wire's day after the place ("LONDON, March 3 (Reuters) - ", "PARIS, Feb 26 - ")
        // is part of the dateline, not of the place.
        let day =
            r"(?:,\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2})?";
        regex::Regex::new(&format!(
            r"^(?:(?P<place>\p{{Lu}}[\p{{L}}.'’ -]{{1,40}}?(?:,\s*\p{{Lu}}[\p{{L}}. ]{{1,30}})?){day}\s*\((?P<credit>[^()\n]{{2,40}})\)\s*[-–—]+|(?P<caps>\p{{Lu}}[\p{{Lu}} .'’-]{{2,40}}?){day}(?:\s+[-–—]+|\s*[–—]+)\s)\s*",
        ))
        .expect("dateline pattern is valid")
    });
    let c = DATELINE.captures(text)?;
    let span = |m: regex::Match| (m.start() as u32, m.end() as u32);
    let place = c.name("place").or_else(|| c.name("caps"))?;
    Some(Dateline {
        place: span(place),
        credit: c.name("credit").map(span),
        end: c.get(0)?.end() as u32,
    })
}

#[cfg(test)]
mod dateline_tests {
    use super::dateline;

    fn parts(t: &str) -> Option<(&str, Option<&str>, &str)> {
        let d = dateline(t)?;
        let slice = |(a, b): (u32, u32)| &t[a as usize..b as usize];
        Some((slice(d.place), d.credit.map(slice), &t[d.end as usize..]))
    }

    #[test]
    fn a_dateline_with_the_wire_day_keeps_the_day_out_of_the_place() {
        assert_eq!(
            parts("MILLTOWN, March 3 - Shr 40 cts vs 32 cts"),
            Some(("MILLTOWN", None, "Shr 40 cts vs 32 cts"))
        );
        assert_eq!(
            parts("Lakeside, Feb. 26 (Coastal Wire) - The lake fell."),
            Some(("Lakeside", Some("Coastal Wire"), "The lake fell."))
        );
        assert_eq!(
            parts("LAKESIDE — The lake fell."),
            Some(("LAKESIDE", None, "The lake fell."))
        );
        assert_eq!(parts("The lake fell on March 3 - a record."), None);
    }
}
