//! What the clusterer reads of an article: content words, names and the event's own dates.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use jiff::civil::Date;
use newsdesk_resolve::root_of;
use newsdesk_span::{EntityKind, Layers, MentionForm, TimexKind};
use rust_stemmers::{Algorithm, Stemmer};
// Short words hashed with SipHash were a tenth of the cost of features.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::{Deserialize, Serialize};

/// A calendar value the date layer resolved, at the precision the text gave it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EventDate {
    Day(Date),
    Month { year: i16, month: i8 },
    Year(i16),
}

impl EventDate {
    /// Reads a TIMEX3 date value (`2023-05-10`, `2023-05`, `2023`); weeks, seasons, durations,
    /// references such as `PAST_REF` and times of day beyond the date say nothing this needs.
    pub fn from_timex(value: &str) -> Option<EventDate> {
        let date_part = value.split('T').next()?;
        let parts: Vec<&str> = date_part.split('-').collect();
        let num = |s: &str, len: usize| -> Option<i32> {
            (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        match parts.as_slice() {
            [y] => Some(EventDate::Year(num(y, 4)? as i16)),
            [y, m] => {
                let (year, month) = (num(y, 4)? as i16, num(m, 2)? as i8);
                (1..=12)
                    .contains(&month)
                    .then_some(EventDate::Month { year, month })
            }
            [y, m, d] => Some(EventDate::Day(
                Date::new(num(y, 4)? as i16, num(m, 2)? as i8, num(d, 2)? as i8).ok()?,
            )),
            _ => None,
        }
    }

    fn year(self) -> i16 {
        match self {
            EventDate::Day(d) => d.year(),
            EventDate::Month { year, .. } | EventDate::Year(year) => year,
        }
    }

    fn month(self) -> Option<i8> {
        match self {
            EventDate::Day(d) => Some(d.month()),
            EventDate::Month { month, .. } => Some(month),
            EventDate::Year(_) => None,
        }
    }

    /// Whether the two can name the same happening: equal at the coarser of the two
    /// precisions, and for two days no more than `window_days` apart (reports of one event
    /// date its stages over a few days: the arrest, the charge, the funeral).
    pub fn compatible(self, other: EventDate, window_days: i32) -> bool {
        match (self, other) {
            (EventDate::Day(a), EventDate::Day(b)) => {
                let days = (a - b).get_days().abs();
                days <= window_days
            }
            _ => {
                self.year() == other.year()
                    && match (self.month(), other.month()) {
                        (Some(a), Some(b)) => a == b,
                        _ => true,
                    }
            }
        }
    }
}

/// Per-article features. Built from the text alone ([`ArticleFeatures::from_text`]) or from
/// the text and its annotation layers ([`ArticleFeatures::from_layers`]), which add names and
/// dates.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ArticleFeatures {
    /// Content-word stems (lowercased, stopwords out, Snowball English stemmer) and numbers
    /// (prefixed `#`), with their counts.
    pub terms: BTreeMap<String, u32>,
    /// Names by kind: the canonical entity when resolved, else the fullest surface form the
    /// document gives the entity (a later "Reid" counts for "Tara Reid"), lowercased; and
    /// each word of a name, prefixed `~`.
    pub names: BTreeMap<String, Name>,
    /// The dates the lede (first three sentences) resolves: TIMEX3 dates, not durations or
    /// sets. An undated article has none, and is matched by its content alone.
    pub dates: Vec<EventDate>,
    /// The publication day, when known. It orders story roots in a merge; it is never taken
    /// for the event's date.
    pub published: Option<Date>,
}

/// A name's kind and how often the article uses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Name {
    pub kind: EntityKind,
    pub count: u32,
}

/// How much a shared name of each kind says about a shared happening. People are the
/// strongest evidence; a shared country says least, since a country's news is full of
/// unrelated events.
pub fn kind_weight(kind: EntityKind) -> f64 {
    match kind {
        EntityKind::Per => 1.0,
        EntityKind::Org => 0.8,
        EntityKind::Misc => 0.6,
        EntityKind::Loc => 0.5,
    }
}

/// How many opening sentences are read for the event's own dates.
const LEDE_SENTENCES: usize = 3;

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// Function words and the vocabulary of reporting itself ("said", "told", weekdays), which
/// every story shares and which would only blur the comparison.
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "according",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "may",
    "me",
    "might",
    "more",
    "most",
    "mr",
    "mrs",
    "ms",
    "must",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "said",
    "same",
    "say",
    "says",
    "shall",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "told",
    "too",
    "under",
    "until",
    "up",
    "us",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "yesterday",
    "tomorrow",
    "week",
    "year",
    "years",
    "day",
    "days",
    "month",
    "months",
    "time",
    "one",
    "two",
    "three",
    "new",
    "first",
    "last",
    "like",
    "get",
    "got",
    "make",
    "made",
    "people",
    "n't",
    "'s",
    "s",
    "t",
];

fn is_stopword(w: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOPWORDS.iter().copied().collect())
        .contains(w)
}

impl ArticleFeatures {
    /// Content words and numbers only: no names, no dates.
    pub fn from_text(text: &str) -> ArticleFeatures {
        ArticleFeatures {
            terms: terms(text),
            ..ArticleFeatures::default()
        }
    }

    /// Content words from the text, names from the entities layer, dates from the dates layer.
    /// `published` orders stories in a merge only.
    pub fn from_layers(text: &str, layers: &Layers, published: Option<Date>) -> ArticleFeatures {
        let mut names: BTreeMap<String, Name> = BTreeMap::new();
        // The dateline says where the report was filed, not what happened: every story a
        // bureau files names its city there, so two reports sharing it share no happening.
        let dateline = newsdesk_quotes::dateline(text).map_or(0, |d| d.end as usize);
        for (i, mention) in layers.entities.iter().enumerate() {
            if mention.form == MentionForm::Framing || mention.span.end() <= dateline {
                continue;
            }
            // Follow the in-document alias chain to the mention that introduced the entity,
            // so "Reid" and "the actress" count for "Tara Reid".
            let root = &layers.entities[root_of(&layers.entities, i)];
            if root.form != MentionForm::Name {
                continue;
            }
            let key = match &root.entity {
                Some(canonical) => canonical.to_lowercase(),
                None => normalise_name(root.span.slice(text)),
            };
            if key.is_empty() {
                continue;
            }
            // The words of a longer name count too, so that across articles "Reid" meets
            // "Tara Reid": the in-document alias links stop at the document's edge, and
            // without canonical entities a full name and a surname would never match.
            // (Full names alone: ECB+ B³ F1 0.869; with their words 0.883.)
            let words: Vec<&str> = key.split(' ').filter(|w| w.chars().count() > 1).collect();
            let word_keys: Vec<String> = words.iter().map(|w| format!("~{w}")).collect();
            for k in std::iter::once(key).chain(word_keys) {
                names.entry(k).and_modify(|n| n.count += 1).or_insert(Name {
                    kind: root.kind,
                    count: 1,
                });
            }
        }
        // A news report dates its event in the lede ("… on Tuesday"); dates further down are
        // most often background (the earlier crime a sentencing recalls), and two reports of
        // one event recall different ones. With every date of the text in the veto, ECB+ lost
        // 0.02 of B³ recall.
        let lede_end = lede_end(text, layers);
        let mut dates: Vec<EventDate> = layers
            .dates
            .iter()
            .filter(|d| d.span.start() < lede_end)
            .filter(|d| d.kind == TimexKind::Date || d.kind == TimexKind::Time)
            .filter_map(|d| d.value.as_deref().and_then(EventDate::from_timex))
            .collect();
        dates.sort();
        dates.dedup();
        ArticleFeatures {
            terms: terms(text),
            names,
            dates,
            published,
        }
    }
}

impl ArticleFeatures {
    /// Adds the words of the article's title, which the stored text leaves out: the title
    /// often carries the subject the body only implies (the company whose results a short
    /// table gives), as the news-please evaluation reads it, title then text.
    pub fn add_title(&mut self, title: &str) {
        for (t, n) in terms(title) {
            *self.terms.entry(t).or_default() += n;
        }
    }
}

/// Where an article's lede (its first [`LEDE_SENTENCES`] sentences) ends: a news report dates
/// and places what happened there.
pub fn lede_end(text: &str, layers: &Layers) -> usize {
    layers
        .sentences
        .get(LEDE_SENTENCES - 1)
        .or(layers.sentences.last())
        .map_or(text.len(), |s| s.end())
}

fn normalise_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        // `strip_suffix` in a loop is `trim_end_matches` without a substring searcher built
        // per word.
        let mut word = word;
        while let Some(w) = word.strip_suffix("'s") {
            word = w;
        }
        while let Some(w) = word.strip_suffix("’s") {
            word = w;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// A word's stem, or `None` when the stem is a stopword. Stemming was most of the cost of
/// features; words repeat (Zipf), so each thread remembers the stems it has made, up to a
/// bound that keeps the memory fixed on an endless stream. The memory is keyed by the word's
/// 64-bit hash, not the word: a lookup compared the stored word with the asked one, a second
/// cache miss per word on a large vocabulary. Two words of one thread's memory colliding in
/// 64 bits (about 2^-29 for 200,000 words) is not expected in the life of a store.
fn stem(word: &str) -> Option<String> {
    let key = xxhash_rust::xxh3::xxh3_64(word.as_bytes());
    STEMS.with(|memory| {
        let mut memory = memory.borrow_mut();
        if let Some(stem) = memory.get(key) {
            return stem.map(str::to_string);
        }
        let stem = stemmer().stem(word).into_owned();
        let stem = (!is_stopword(&stem)).then_some(stem);
        memory.insert(key, stem.as_deref());
        stem
    })
}

thread_local! {
    static STEMS: std::cell::RefCell<StemMemory> = std::cell::RefCell::new(StemMemory::default());
}

/// One thread's stems by word hash: a table of 16-byte slots (hash, where the stem starts in
/// one string of stems, its length). A map to `Option<String>` took 32 bytes a slot and the
/// lookup's miss on it was half the time of `terms` on a vocabulary of 50,000 words; the
/// smaller table misses less often, and the slot says where the stem is without a third
/// lookup (a table of stem numbers and their starts missed on both).
#[derive(Default)]
struct StemMemory {
    ids: HashMap<u64, (u32, u32)>,
    text: String,
}

/// The length of the stem of a word whose stem is a stopword.
const STOPPED: u32 = u32::MAX;

impl StemMemory {
    /// How many words a thread remembers before it forgets them all.
    const REMEMBERED: usize = 200_000;

    /// `None` for a word not remembered; `Some(None)` for one whose stem is a stopword.
    fn get(&self, key: u64) -> Option<Option<&str>> {
        let &(start, len) = self.ids.get(&key)?;
        Some((len != STOPPED).then(|| &self.text[start as usize..(start + len) as usize]))
    }

    fn insert(&mut self, key: u64, stem: Option<&str>) {
        if self.ids.len() >= Self::REMEMBERED {
            self.ids.clear();
            self.text.clear();
        }
        let start = self.text.len() as u32;
        let len = match stem {
            None => STOPPED,
            Some(stem) => {
                self.text.push_str(stem);
                stem.len() as u32
            }
        };
        self.ids.insert(key, (start, len));
    }
}

/// Reads on through a run of characters `inside` accepts, a `joiner` between two of them
/// staying in the run ("co-worker", "6.1"), and returns the byte offset where the run ends.
fn run_end(
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
    text_len: usize,
    inside: impl Fn(char) -> bool,
    joiner: impl Fn(char) -> bool,
) -> usize {
    while let Some(&(at, c)) = chars.peek() {
        let joins = joiner(c) && {
            let mut ahead = chars.clone();
            ahead.next();
            ahead.next().is_some_and(|(_, n)| inside(n))
        };
        if inside(c) || joins {
            chars.next();
        } else {
            return at;
        }
    }
    text_len
}

/// Words are runs of letters (with inner apostrophes and hyphens); numbers keep inner dots
/// and commas ("6.1", "1,200"), commas dropped.
///
/// Each distinct word is stemmed and counted into the (ordered) map once, with its count: a
/// word and its stem per occurrence, each a new string, and an ordered insert per word were
/// most of the cost of features; so was a vector of the text's characters, 16 bytes each.
fn terms(text: &str) -> BTreeMap<String, u32> {
    // Occurrences are counted by their slice of the text (no string per occurrence, nor per
    // distinct word); each distinct slice is then lowercased, filtered and stemmed once.
    // Sized for a text of distinct words (about one in eight bytes begins one; a long text
    // repeats its words, hence the bound): growing the table as it filled was a tenth of the
    // time of `terms`.
    let mut words: HashMap<&str, u32> =
        HashMap::with_capacity_and_hasher((text.len() / 8).min(4096), Default::default());
    let mut numbers: HashMap<&str, u32> = HashMap::default();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_alphabetic() {
            let joins = |c: char| matches!(c, '\'' | '’' | '-');
            let end = run_end(&mut chars, text.len(), char::is_alphabetic, joins);
            *words.entry(&text[start..end]).or_default() += 1;
        } else if c.is_ascii_digit() {
            let joins = |c: char| matches!(c, '.' | ',');
            let end = run_end(&mut chars, text.len(), |c| c.is_ascii_digit(), joins);
            *numbers.entry(&text[start..end]).or_default() += 1;
        }
    }
    // The counts are gathered in a vector, sorted once and handed to the map in order (which
    // builds it without comparing): inserting each stem into the map compared strings a dozen
    // times a stem, more than the rest of the function.
    // Each term with the first eight bytes of it as a number that orders as the strings do
    // (see `id_key`): the sort compares strings only where those are equal, and comparing
    // strings was a fifth of the time of the sort.
    let mut out: Vec<(u64, String, u32)> = Vec::with_capacity(words.len() + numbers.len());
    for (raw, n) in numbers {
        let number: String = raw.chars().filter(|&c| c != ',').collect();
        let term = format!("#{number}");
        out.push((crate::id_key(&term), term, n));
    }
    let mut lower = String::new();
    for (raw, n) in words {
        lower.clear();
        if raw.is_ascii() {
            lower.extend(raw.bytes().map(|b| b.to_ascii_lowercase() as char));
        } else {
            // `str::to_lowercase` knows context (a Greek final sigma), which per-char folding
            // does not; non-ASCII words keep it.
            lower.push_str(&raw.to_lowercase().replace('’', "'"));
        }
        // A possessive is the word itself.
        let word = lower.strip_suffix("'s").unwrap_or(&lower);
        if word.chars().count() >= 3 && !is_stopword(word) {
            if let Some(stem) = stem(word) {
                out.push((crate::id_key(&stem), stem, n));
            }
        }
    }
    out.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    // Words that share a stem ("vote", "voted") and numbers written with and without commas
    // are one term.
    out.dedup_by(|later, kept| {
        let same = later.0 == kept.0 && later.1 == kept.1;
        if same {
            kept.2 += later.2;
        }
        same
    });
    out.into_iter().map(|(_, term, n)| (term, n)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_words_are_lowercased_stemmed_and_stopwords_dropped() {
        let f = ArticleFeatures::from_text("The Senators said they voted; the senator's vote.");
        assert_eq!(f.terms.get("senat"), Some(&2));
        assert_eq!(f.terms.get("vote"), Some(&2));
        assert!(!f.terms.contains_key("the"));
        assert!(!f.terms.contains_key("said"));
    }

    /// The definition `terms` counts by, one occurrence at a time.
    fn terms_one_by_one(text: &str) -> BTreeMap<String, u32> {
        let mut out: BTreeMap<String, u32> = BTreeMap::new();
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut i = 0;
        while i < chars.len() {
            let (start, c) = chars[i];
            let mut j = i + 1;
            if c.is_alphabetic() {
                while j < chars.len()
                    && (chars[j].1.is_alphabetic()
                        || (matches!(chars[j].1, '\'' | '’' | '-')
                            && chars.get(j + 1).is_some_and(|n| n.1.is_alphabetic())))
                {
                    j += 1;
                }
                let end = chars.get(j).map_or(text.len(), |c| c.0);
                let word = text[start..end].to_lowercase().replace('’', "'");
                let word = word.strip_suffix("'s").unwrap_or(&word);
                if word.chars().count() >= 3 && !is_stopword(word) {
                    if let Some(stem) = stem(word) {
                        *out.entry(stem).or_default() += 1;
                    }
                }
            } else if c.is_ascii_digit() {
                while j < chars.len()
                    && (chars[j].1.is_ascii_digit()
                        || (matches!(chars[j].1, '.' | ',')
                            && chars.get(j + 1).is_some_and(|n| n.1.is_ascii_digit())))
                {
                    j += 1;
                }
                let end = chars.get(j).map_or(text.len(), |c| c.0);
                let number: String = text[start..end].chars().filter(|&c| c != ',').collect();
                *out.entry(format!("#{number}")).or_default() += 1;
            }
            i = j;
        }
        out
    }

    #[test]
    fn terms_counted_per_distinct_word_equal_terms_counted_per_occurrence() {
        let text = "The Governor’s office said the governor's aides, the GOVERNORS and \
                    co-workers met 3 times in 2,024 rooms (2024 in all); 6.1 per cent. ΣΟΦΟΣ σοφος \
                    Straße STRASSE O'Neill’s re-elected re-elected it's its Dallas's";
        assert_eq!(terms(text), terms_one_by_one(text));
    }

    #[test]
    fn remembered_stems_are_the_stemmers_and_stopwords_stay_none_after_forgetting() {
        let mut memory = StemMemory::default();
        let words: Vec<String> = (0..(StemMemory::REMEMBERED + 10))
            .map(|i| format!("walking{i}"))
            .collect();
        memory.insert(1, None);
        assert_eq!(memory.get(1), Some(None));
        for (i, w) in words.iter().enumerate() {
            memory.insert(i as u64 + 2, Some(w));
        }
        // The memory was full once, forgot everything and holds the last words only.
        assert_eq!(memory.get(1), None);
        let last = words.len() - 1;
        assert_eq!(
            memory.get(last as u64 + 2),
            Some(Some(words[last].as_str()))
        );
        assert!(memory.ids.len() < StemMemory::REMEMBERED);
        for word in ["running", "the", "senators", "walked"] {
            let expected = stemmer().stem(word).into_owned();
            let expected = (!is_stopword(&expected)).then_some(expected);
            assert_eq!(stem(word), expected, "{word}");
            assert_eq!(stem(word), expected, "{word} remembered");
        }
    }

    #[test]
    fn numbers_keep_their_decimals_and_lose_thousands_commas() {
        let f = ArticleFeatures::from_text("A 6.1 quake killed 1,200 people.");
        assert_eq!(f.terms.get("#6.1"), Some(&1));
        assert_eq!(f.terms.get("#1200"), Some(&1));
    }

    #[test]
    fn timex_values_are_read_at_their_precision() {
        assert_eq!(
            EventDate::from_timex("2023-05-10"),
            Some(EventDate::Day(Date::new(2023, 5, 10).unwrap()))
        );
        assert_eq!(
            EventDate::from_timex("2023-05"),
            Some(EventDate::Month {
                year: 2023,
                month: 5
            })
        );
        assert_eq!(
            EventDate::from_timex("2023-05-10T14:00"),
            EventDate::from_timex("2023-05-10")
        );
        assert_eq!(EventDate::from_timex("2023"), Some(EventDate::Year(2023)));
        assert_eq!(EventDate::from_timex("2023-W18"), None);
        assert_eq!(EventDate::from_timex("PAST_REF"), None);
    }

    #[test]
    fn dates_are_compatible_at_the_coarser_precision() {
        let day = EventDate::from_timex("2023-05-10").unwrap();
        let near = EventDate::from_timex("2023-05-14").unwrap();
        let far = EventDate::from_timex("2024-03-10").unwrap();
        assert!(day.compatible(near, 7));
        assert!(!day.compatible(far, 7));
        assert!(day.compatible(EventDate::Year(2023), 7));
        assert!(!day.compatible(
            EventDate::Month {
                year: 2023,
                month: 6
            },
            7
        ));
    }
}
