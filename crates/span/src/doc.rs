use std::fmt;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_128;

use crate::meta::Meta;

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
    fn source_display_names_record() {
        let s = Source {
            location: "feed.xml".into(),
            record: Some(3),
        };
        assert_eq!(s.to_string(), "feed.xml#3");
    }
}
