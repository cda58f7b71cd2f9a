//! The copies stage: which articles reuse one another's text, with the passages that show it.
//!
//! Five reposts of one wire story are one source, not five. This crate finds the reuse:
//!
//! 1. **Candidates** ([`minhash`]): a one-permutation MinHash signature over word 5-grams per
//!    article and an LSH index over bands of it, so the cost grows with the corpus, not its
//!    square. The index is a set of postings; shards merge by union.
//! 2. **Verification** ([`align`]): every candidate pair is aligned passage by passage; a link
//!    keeps the aligned byte spans on both sides, as passim does for newspaper reprints.
//! 3. **Kinds** ([`CopyKind`]): `identical` (the same words in the same order), `republished`
//!    (nearly all of the shorter text, on another site or under a credit line), `rewritten`
//!    (substantial shared passages with edits), `shared-quote` (the same speaker's words, also
//!    across translations, matched through canonical speakers by [`shared_quotes`]).
//! 4. **Direction** ([`Direction`]): who copied whom, from a credit line naming the other
//!    outlet or from publication dates; `None` when neither tells.
//!
//! 5. **Independent sources** ([`sources`]): outlets joined by reuse are one source; the
//!    stricter count also joins outlets of one owner or state, each join with its evidence.
//!
//! The crate knows nothing of storage: a caller feeds it texts and metadata and keeps links.
//!
//! ```
//! use newsdesk_copies::{compare, Article, CopyKind};
//! use newsdesk_span::DocId;
//! let wire = "The harbour of Portville reopened on Monday after a storm closed it for three days, the port authority said.";
//! let repost = format!("Shared from Coastal Wire.\n\n{wire}");
//! let (a, b) = (DocId::from_string("a"), DocId::from_string("b"));
//! let link = compare(&Article::new(&a, wire), &Article::new(&b, &repost)).unwrap();
//! assert_eq!(link.kind, CopyKind::Republished);
//! assert_eq!(link.passages[0].b.slice(&repost), wire.trim_end_matches('.'));
//! ```

pub mod align;
pub mod minhash;
pub mod sources;
pub mod words;

use newsdesk_span::{DocId, Span};
use serde::{Deserialize, Serialize};

pub use align::{align, Passage, Prepared};
pub use minhash::{Index, Signature};
pub use sources::{
    independent_owners, independent_sources, Join, Reporting, SourceCount, SourceGroup,
};

/// How one article reuses another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CopyKind {
    /// The same words in the same order (whitespace, punctuation and case aside).
    Identical,
    /// Nearly all of the shorter text reprinted: the same story on another site or under
    /// another outlet's credit line.
    Republished,
    /// Substantial shared passages with edits.
    Rewritten,
    /// The same speaker's words reported in both, also in other words (a translation).
    SharedQuote,
}

impl CopyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CopyKind::Identical => "identical",
            CopyKind::Republished => "republished",
            CopyKind::Rewritten => "rewritten",
            CopyKind::SharedQuote => "shared-quote",
        }
    }

    /// Whether the two articles are one source: a reprint or rewrite tells nothing new, while
    /// two outlets quoting one speaker may still be two witnesses.
    pub fn same_source(self) -> bool {
        !matches!(self, CopyKind::SharedQuote)
    }
}

/// What tells which article is the original.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DirectionEvidence {
    /// The copy credits the original's outlet ("TEHRAN (Tasnim) –" on another site).
    CreditLine,
    /// The original was published earlier.
    PublicationDate,
}

/// Who copied whom.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Direction {
    pub source: DocId,
    pub copy: DocId,
    pub by: DirectionEvidence,
}

/// A verified link between two articles, with the passages that support it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CopyLink {
    pub a: DocId,
    pub b: DocId,
    pub kind: CopyKind,
    /// `None` when neither a credit line nor publication dates tell who copied whom.
    pub direction: Option<Direction>,
    /// The share of the shorter article's words inside shared passages (for `shared-quote`,
    /// the similarity of the two quotes' words).
    pub score: f32,
    /// Spans into `a`'s and `b`'s texts, in `a`'s order.
    pub passages: Vec<Passage>,
}

/// What the stage needs to know of an article.
#[derive(Clone, Debug)]
pub struct Article<'a> {
    pub id: &'a DocId,
    pub text: &'a str,
    /// The outlet that wrote it (from its credit line when a site reposts it).
    pub outlet: Option<&'a str>,
    /// The site that reposted it, when that differs from `outlet`.
    pub republisher: Option<&'a str>,
    /// Its publication day as a number of days since any fixed epoch (only compared), when
    /// known; the caller converts from its own calendar type.
    pub published: Option<i32>,
}

impl<'a> Article<'a> {
    pub fn new(id: &'a DocId, text: &'a str) -> Article<'a> {
        Article {
            id,
            text,
            outlet: None,
            republisher: None,
            published: None,
        }
    }
}

/// The share of the shorter text inside shared passages from which a link is `republished`.
const REPUBLISHED_COVERAGE: f32 = 0.8;
/// A link is `rewritten` from this share of the shorter text…
const REWRITTEN_COVERAGE: f32 = 0.2;
/// …or from this many shared words (one long paragraph lifted into another story).
const REWRITTEN_WORDS: u32 = 50;

/// Aligns two articles and says how one reuses the other, or `None` when they share no
/// substantial passage.
pub fn compare(a: &Article<'_>, b: &Article<'_>) -> Option<CopyLink> {
    compare_prepared(a, &Prepared::new(a.text), b, &Prepared::new(b.text))
}

/// [`compare`] on texts already prepared (one article compared with several candidates).
pub fn compare_prepared(
    a: &Article<'_>,
    pa: &Prepared<'_>,
    b: &Article<'_>,
    pb: &Prepared<'_>,
) -> Option<CopyLink> {
    if pa.words.is_empty() || pb.words.is_empty() {
        return None;
    }
    let same_words = pa.words.len() == pb.words.len()
        && pa
            .words
            .iter()
            .zip(&pb.words)
            .all(|(x, y)| x.hash == y.hash);
    let passages = align(pa, pb);
    let shared_a: u32 = passages.iter().map(|p| p.words).sum();
    let shared_b: u32 = passages
        .iter()
        .map(|p| words_in(&pb.words, p.b) as u32)
        .sum::<u32>()
        .min(pb.words.len() as u32);
    let coverage = |shared: u32, total: usize| shared as f32 / total.max(1) as f32;
    let (cov_a, cov_b) = (
        coverage(shared_a, pa.words.len()),
        coverage(shared_b, pb.words.len()),
    );
    let shorter = if pa.words.len() <= pb.words.len() {
        cov_a
    } else {
        cov_b
    };
    let kind = if same_words {
        CopyKind::Identical
    } else if shorter >= REPUBLISHED_COVERAGE {
        CopyKind::Republished
    } else if shorter >= REWRITTEN_COVERAGE || shared_a.min(shared_b) >= REWRITTEN_WORDS {
        CopyKind::Rewritten
    } else {
        return None;
    };
    Some(CopyLink {
        a: a.id.clone(),
        b: b.id.clone(),
        kind,
        direction: direction(a, b),
        score: if same_words { 1.0 } else { shorter.min(1.0) },
        passages,
    })
}

/// Words of `words` that lie inside `span`.
fn words_in(words: &[words::Word], span: Span) -> usize {
    let from = words.partition_point(|w| (w.start as usize) < span.start());
    let to = words.partition_point(|w| (w.end as usize) <= span.end());
    to.saturating_sub(from)
}

fn same_name(x: &str, y: &str) -> bool {
    x.trim().eq_ignore_ascii_case(y.trim())
}

/// Who copied whom: a credit line naming the other's outlet on a reposting site outranks dates.
pub fn direction(a: &Article<'_>, b: &Article<'_>) -> Option<Direction> {
    let from = |source: &Article<'_>, copy: &Article<'_>, by| Direction {
        source: source.id.clone(),
        copy: copy.id.clone(),
        by,
    };
    let credits = |copy: &Article<'_>, source: &Article<'_>| {
        copy.republisher.is_some()
            && source.republisher.is_none()
            && matches!((copy.outlet, source.outlet), (Some(x), Some(y)) if same_name(x, y))
    };
    if credits(b, a) && !credits(a, b) {
        return Some(from(a, b, DirectionEvidence::CreditLine));
    }
    if credits(a, b) && !credits(b, a) {
        return Some(from(b, a, DirectionEvidence::CreditLine));
    }
    match (a.published, b.published) {
        (Some(x), Some(y)) if x < y => Some(from(a, b, DirectionEvidence::PublicationDate)),
        (Some(x), Some(y)) if y < x => Some(from(b, a, DirectionEvidence::PublicationDate)),
        _ => None,
    }
}

/// A quote as the copies stage needs it: its canonical speaker and the span of its words.
#[derive(Clone, Debug)]
pub struct QuoteRef<'a> {
    /// The canonical entity of the speaker.
    pub speaker: &'a str,
    pub content: Span,
}

/// Function words a quote's content words leave out.
const STOP: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "by", "with",
    "from", "as", "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that",
    "these", "those", "we", "our", "they", "their", "he", "his", "she", "her", "i", "you", "will",
    "would", "has", "have", "had", "not", "no", "which", "who", "what", "there", "here", "so",
    "than", "then", "also", "into", "about",
];

/// Content words of a quote, case-folded and stemmed (Snowball English), so that
/// "sacrifices"/"sacrifice", "allowed"/"allow" and "Syria's"/"Syria" meet: two translations
/// of one statement choose other forms of the same words. Each is kept as the 64-bit hash of
/// its stem, sorted and distinct.
fn content_words(text: &str) -> Vec<u64> {
    thread_local! {
        static STEMMER: rust_stemmers::Stemmer =
            rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
    }
    // Each word is lowercased into one buffer and its stem hashed where it lies: a string per
    // word, another per stem and a sort of strings were a twentieth of a connect run.
    let mut lower = String::new();
    let mut out: Vec<u64> = STEMMER.with(|st| {
        words::words(text)
            .iter()
            .filter_map(|w| {
                let word = &text[w.start as usize..w.end as usize];
                lower.clear();
                if word.is_ascii() {
                    lower.extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
                } else {
                    lower.push_str(&word.to_lowercase());
                }
                // Every stopword has at most five bytes; longer words skip the list.
                if lower.len() <= 5 && STOP.contains(&lower.as_str()) {
                    return None;
                }
                let s = lower
                    .strip_suffix("'s")
                    .or(lower.strip_suffix("’s"))
                    .unwrap_or(&lower);
                Some(xxhash_rust::xxh3::xxh3_64(st.stem(s).as_bytes()))
            })
            .collect()
    });
    out.sort_unstable();
    out.dedup();
    out
}

/// The Dice similarity of two quotes' content words from which they are one statement.
const SHARED_QUOTE_SIMILARITY: f32 = 0.6;
/// Quotes with fewer content words than this are too short to identify a statement.
const MIN_QUOTE_WORDS: usize = 4;

/// A quote with its content words read once: an article's quotes are compared with those of
/// every earlier article quoting the same speaker, and reading the words again for each pair
/// was most of the time of finding shared quotes.
#[derive(Clone, Debug)]
pub struct PreparedQuote {
    /// The canonical entity of the speaker.
    pub speaker: String,
    pub content: Span,
    /// Hashes of the content words, sorted and deduplicated. Hashes, not the words: the
    /// quotes of a speaker are compared pair by pair, and comparing strings was a seventh of
    /// a connect run. A 64-bit collision between two words of two quotes is not expected in
    /// the life of a store.
    words: Vec<u64>,
}

impl PreparedQuote {
    /// `content` is a span of `text`.
    pub fn new(text: &str, speaker: String, content: Span) -> PreparedQuote {
        PreparedQuote {
            words: content_words(content.slice(text)),
            speaker,
            content,
        }
    }
}

/// Pairs of quotes in `a` and `b` by the same canonical speaker whose words say the same thing
/// (a reprint, or two translations of one statement), as a `shared-quote` link; `None` when
/// there is none. Each passage pairs the two quotes' content spans.
pub fn shared_quotes(
    a: &Article<'_>,
    a_quotes: &[QuoteRef<'_>],
    b: &Article<'_>,
    b_quotes: &[QuoteRef<'_>],
) -> Option<CopyLink> {
    let prepare = |text: &str, quotes: &[QuoteRef<'_>]| -> Vec<PreparedQuote> {
        quotes
            .iter()
            .map(|q| PreparedQuote::new(text, q.speaker.to_string(), q.content))
            .collect()
    };
    shared_prepared_quotes(a, &prepare(a.text, a_quotes), b, &prepare(b.text, b_quotes))
}

/// [`shared_quotes`] on quotes already prepared.
pub fn shared_prepared_quotes(
    a: &Article<'_>,
    a_quotes: &[PreparedQuote],
    b: &Article<'_>,
    b_quotes: &[PreparedQuote],
) -> Option<CopyLink> {
    let mut passages = Vec::new();
    let mut best = 0.0f32;
    for qa in a_quotes {
        let wa = &qa.words;
        if wa.len() < MIN_QUOTE_WORDS {
            continue;
        }
        let mut best_here: Option<(f32, Span)> = None;
        for qb in b_quotes.iter().filter(|q| q.speaker == qa.speaker) {
            let wb = &qb.words;
            if wb.len() < MIN_QUOTE_WORDS {
                continue;
            }
            let common = wa.iter().filter(|w| wb.binary_search(w).is_ok()).count();
            let dice = 2.0 * common as f32 / (wa.len() + wb.len()) as f32;
            if dice >= SHARED_QUOTE_SIMILARITY && best_here.is_none_or(|(d, _)| dice > d) {
                best_here = Some((dice, qb.content));
            }
        }
        if let Some((dice, span)) = best_here {
            best = best.max(dice);
            passages.push(Passage {
                a: qa.content,
                b: span,
                words: wa.len() as u32,
            });
        }
    }
    (!passages.is_empty()).then(|| CopyLink {
        a: a.id.clone(),
        b: b.id.clone(),
        kind: CopyKind::SharedQuote,
        // Two outlets quoting one speaker need not have copied each other: the speaker may
        // have said it to both, or each translated it from the original.
        direction: None,
        score: best,
        passages,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIRE: &str = "The harbour of Portville reopened on Monday after a storm closed it for three days, the port authority said.\n\nHarbour master Elena Varga said the first cargo ship would dock the next morning and that fishing boats had already left.\n\nRepairs to the north pier would take until spring, she added, and the ferry would run a reduced timetable until then.";

    fn id(s: &str) -> DocId {
        DocId::from_string(s)
    }

    #[test]
    fn the_same_words_differently_spaced_are_identical() {
        let copy = WIRE.replace("\n\n", "\r\n\r\n") + "\n";
        let (a, b) = (id("a"), id("b"));
        let link = compare(&Article::new(&a, WIRE), &Article::new(&b, &copy)).unwrap();
        assert_eq!(link.kind, CopyKind::Identical);
        assert_eq!(link.score, 1.0);
    }

    #[test]
    fn a_repost_under_a_credit_line_is_republished_and_directed_by_the_credit() {
        let repost = format!("Posted by harbourwatch\n\n(Coastal Wire) {WIRE}\n\nShare this post");
        let (a, b) = (id("wire"), id("repost"));
        let wire = Article {
            outlet: Some("Coastal Wire"),
            ..Article::new(&a, WIRE)
        };
        let copy = Article {
            outlet: Some("Coastal Wire"),
            republisher: Some("harbourwatch.example"),
            ..Article::new(&b, &repost)
        };
        let link = compare(&wire, &copy).unwrap();
        assert_eq!(link.kind, CopyKind::Republished);
        let d = link.direction.unwrap();
        assert_eq!(
            (d.source, d.copy, d.by),
            (a, b, DirectionEvidence::CreditLine)
        );
    }

    #[test]
    fn a_rewrite_keeps_its_shared_passages_and_is_directed_by_dates() {
        let rewrite = "Portville's harbour is open again. Officials confirmed the reopening in the morning.\n\nHarbour master Elena Varga said the first cargo ship would dock the next morning and that fishing boats had already left.\n\nLocal traders said they had lost a great deal of money during the closure and asked the town for help with the costs.";
        let (a, b) = (id("a"), id("b"));
        let link = compare(
            &Article {
                published: Some(10),
                ..Article::new(&a, WIRE)
            },
            &Article {
                published: Some(12),
                ..Article::new(&b, rewrite)
            },
        )
        .unwrap();
        assert_eq!(link.kind, CopyKind::Rewritten);
        assert_eq!(link.passages.len(), 1);
        assert!(link.passages[0]
            .b
            .slice(rewrite)
            .starts_with("Harbour master Elena Varga"));
        let d = link.direction.unwrap();
        assert_eq!((d.source, d.by), (a, DirectionEvidence::PublicationDate));
    }

    #[test]
    fn the_same_day_and_no_credit_leave_the_direction_unknown() {
        let (a, b) = (id("a"), id("b"));
        let x = Article {
            published: Some(3),
            ..Article::new(&a, WIRE)
        };
        let y = Article {
            published: Some(3),
            ..Article::new(&b, WIRE)
        };
        assert_eq!(direction(&x, &y), None);
    }

    #[test]
    fn two_stories_on_one_topic_are_not_copies() {
        let other = "A storm closed the port of Marsden for a week, and the town council met on Friday to discuss how the sea wall could be raised before the winter.";
        let (a, b) = (id("a"), id("b"));
        assert_eq!(
            compare(&Article::new(&a, WIRE), &Article::new(&b, other)),
            None
        );
    }

    #[test]
    fn quote_stopwords_are_at_most_five_bytes_as_the_length_shortcut_assumes() {
        assert!(STOP.iter().all(|w| w.len() <= 5));
    }

    #[test]
    fn quote_words_fold_possessives_and_word_forms() {
        // One entry per word, whatever its form: two translations choose other forms.
        for forms in [
            "Syria Syria's Syria’s",
            "sacrifice sacrifices",
            "allow allowed allowing",
            "park parks parking",
        ] {
            assert_eq!(content_words(forms).len(), 1, "{forms}");
        }
        // Words that only end alike stay apart, and function words go.
        assert_eq!(content_words("the loss of the glass").len(), 2);
    }

    #[test]
    fn two_translations_of_one_statement_are_a_shared_quote() {
        let ta = "The minister said: “The country's situation today is the result of the joint sacrifices of both nations.”";
        let tb = "“The country's current situation is the result of joint sacrifices by the two nations,” the minister stressed.";
        let span = |t: &str, s: &str| {
            let i = t.find(s).unwrap();
            Span::new(t, i, i + s.len()).unwrap()
        };
        let qa = [QuoteRef {
            speaker: "per:minister",
            content: span(ta, "The country's situation today is the result of the joint sacrifices of both nations."),
        }];
        let qb = [QuoteRef {
            speaker: "per:minister",
            content: span(tb, "The country's current situation is the result of joint sacrifices by the two nations,"),
        }];
        let (a, b) = (id("a"), id("b"));
        let (xa, xb) = (Article::new(&a, ta), Article::new(&b, tb));
        let link = shared_quotes(&xa, &qa, &xb, &qb).unwrap();
        assert_eq!(link.kind, CopyKind::SharedQuote);
        assert_eq!(link.passages[0].a, qa[0].content);
        assert_eq!(link.passages[0].b, qb[0].content);
        // Another speaker saying the same words is not the same statement.
        let other = [QuoteRef {
            speaker: "per:someone-else",
            ..qb[0].clone()
        }];
        assert!(shared_quotes(&xa, &qa, &xb, &other).is_none());
    }
}
