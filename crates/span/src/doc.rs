use std::fmt;

use serde::{Deserialize, Serialize};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
use xxhash_rust::xxh3::{xxh3_128, xxh3_64};

use crate::meta::Meta;
use crate::Span;

/// Paragraphs longer than this are article prose even when two pages share them (a wire story
/// republished twice is a copy, not furniture), so they are not counted for repetition.
pub const MAX_FURNITURE_WORDS: usize = 30;

/// The short paragraphs of a text (split at blank lines, as extraction writes them), each with
/// the key under which an outlet's repetitions of it are counted: a hash of its words,
/// lowercased, so spacing and case do not split the count.
pub fn short_paragraphs(text: &str) -> Vec<(Span, u64)> {
    let mut out = Vec::new();
    let mut start = 0;
    for part in text.split("\n\n") {
        let end = start + part.len();
        let words: Vec<&str> = part.split_whitespace().collect();
        if !words.is_empty() && words.len() <= MAX_FURNITURE_WORDS {
            let normal = words.join(" ").to_lowercase();
            // Offsets come from splitting `text` itself, so they are in bounds and on char
            // boundaries; the check cannot fail.
            if let Ok(span) = Span::new(text, start, end) {
                out.push((span, xxh3_64(normal.as_bytes())));
            }
        }
        start = end + 2;
    }
    out
}

/// The text as compared for identical copies: Unicode NFC, any line ending as `\n`, each
/// paragraph (text between blank lines) with its whitespace runs, line breaks included, as one
/// space and no leading or trailing whitespace, paragraphs separated by one blank line. Two
/// inputs that differ only in line endings, a trailing newline, wrapping or the markup around
/// the same text normalise to the same string.
pub fn normalized_text(text: &str) -> String {
    // Most text is NFC already (all ASCII text is); the quick check spares rebuilding it,
    // which was most of the cost of hashing an article.
    let nfc: std::borrow::Cow<'_, str> =
        if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
            std::borrow::Cow::Borrowed(text)
        } else {
            std::borrow::Cow::Owned(text.nfc().collect())
        };
    let unix = nfc.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(unix.len());
    let mut paragraph: Vec<&str> = Vec::new();
    for line in unix.split('\n').chain(std::iter::once("")) {
        let before = paragraph.len();
        paragraph.extend(line.split_whitespace());
        if paragraph.len() == before && !paragraph.is_empty() {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&paragraph.join(" "));
            paragraph.clear();
        }
    }
    out
}

/// A hash of [`normalized_text`], 16 hex digits: equal for identical copies.
pub fn normalized_hash(text: &str) -> String {
    format!("{:016x}", xxh3_64(normalized_text(text).as_bytes()))
}

/// A document's identity: a hash of its URL and the content it was read from (the page's bytes
/// before extraction), so the same input ingested twice is one document however the cleaning
/// rules evolve, while the same text published at two URLs stays two documents (copies are
/// linked later; merging them here would hide a republication).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DocId(String);

impl DocId {
    pub fn for_content(url: Option<&str>, content: &[u8]) -> DocId {
        let mut key = Vec::with_capacity(content.len() + 64);
        key.extend_from_slice(url.unwrap_or("").as_bytes());
        key.push(0);
        key.extend_from_slice(content);
        // 64 bits of a 128-bit hash are plenty for corpora of millions and keep IDs typeable.
        DocId(format!("{:016x}", (xxh3_128(&key) >> 64) as u64))
    }

    /// Wraps an ID read back from storage or typed by a user.
    pub fn from_string(id: impl Into<String>) -> DocId {
        DocId(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a document was read from: a path or URL, and the record's index inside a
/// multi-record input (JSONL line, WARC record, feed item).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub location: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<u64>,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.record {
            Some(record) => write!(f, "{}#{}", self.location, record),
            None => f.write_str(&self.location),
        }
    }
}

/// An article: immutable text, its metadata and where it came from.
///
/// `text` is fixed once extraction produced it; annotation layers are stand-off spans into it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    id: DocId,
    pub source: Source,
    pub meta: Meta,
    text: String,
}

impl Document {
    /// A document whose ID is the hash of its own text (for text that was never extracted).
    pub fn new(source: Source, meta: Meta, text: String) -> Document {
        let id = DocId::for_content(meta.url.as_deref(), text.as_bytes());
        Document {
            id,
            source,
            meta,
            text,
        }
    }

    /// Rebuilds a stored document without rehashing.
    pub fn from_parts(id: DocId, source: Source, meta: Meta, text: String) -> Document {
        Document {
            id,
            source,
            meta,
            text,
        }
    }

    pub fn id(&self) -> &DocId {
        &self.id
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// See [`normalized_hash`].
    pub fn normalized_hash(&self) -> String {
        normalized_hash(&self.text)
    }

    /// Length in characters (the `chars` of the JSON contract).
    pub fn chars(&self) -> usize {
        self.text.chars().count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_content_same_id_other_url_other_id() {
        let a = DocId::for_content(None, b"text");
        assert_eq!(a, DocId::for_content(None, b"text"));
        assert_ne!(a, DocId::for_content(Some("https://a.example/1"), b"text"));
        assert_ne!(a, DocId::for_content(None, b"text2"));
        assert_eq!(a.as_str().len(), 16);
    }

    #[test]
    fn copies_differing_in_line_endings_spacing_or_trailing_newline_share_the_normalised_hash() {
        let plain = "Harbour reopens\n\nThe harbour reopened on Monday,\nafter the storm.";
        let variants = [
            "Harbour reopens\r\n\r\nThe harbour reopened on Monday,\r\nafter the storm.\r\n",
            "  Harbour reopens \n\n\n\nThe harbour  reopened on Monday, after the storm.\n",
            "Harbour reopens\r\rThe harbour reopened on Monday,\tafter the storm.",
        ];
        for v in variants {
            assert_eq!(normalized_text(v), normalized_text(plain), "{v:?}");
            assert_eq!(normalized_hash(v), normalized_hash(plain));
        }
        // Composed and decomposed accents are the same text.
        assert_eq!(normalized_hash("Caf\u{e9}"), normalized_hash("Cafe\u{301}"));
        // A paragraph break is not a space, and a changed word is a different text.
        assert_ne!(
            normalized_hash("Harbour reopens The harbour reopened on Monday, after the storm."),
            normalized_hash(plain)
        );
        assert_ne!(
            normalized_hash(&plain.replace("Monday", "Tuesday")),
            normalized_hash(plain)
        );
    }

    #[test]
    fn short_paragraphs_have_spans_and_case_blind_keys() {
        let long = vec!["word"; MAX_FURNITURE_WORDS + 1].join(" ");
        let text = format!("Sign up  for our briefing\n\n{long}\n\nSIGN UP FOR OUR BRIEFING");
        let found = short_paragraphs(&text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].0.slice(&text), "Sign up  for our briefing");
        assert_eq!(found[1].0.slice(&text), "SIGN UP FOR OUR BRIEFING");
        assert_eq!(found[0].1, found[1].1);
    }

    #[test]
    fn source_display_names_record() {
        let s = Source {
            location: "feed.xml".into(),
            record: Some(3),
        };
        assert_eq!(s.to_string(), "feed.xml#3");
    }
}
