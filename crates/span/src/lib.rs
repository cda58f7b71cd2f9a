//! Core types shared by every newsdesk stage: [`Span`], [`Document`], [`Meta`] and the
//! provenance that says where each metadata field came from.
//!
//! This crate does no I/O and is kept small and stable: every other crate speaks in these types.
//! A document's text is fixed once extraction produced it; every later layer is stand-off, a list
//! of byte spans into that text, so every output fact can point at the text that supports it.
//!
//! ```
//! use newsdesk_span::Span;
//! let text = "Tehran, Wednesday";
//! let span = Span::new(text, 8, 17).unwrap();
//! assert_eq!(span.slice(text), "Wednesday");
//! assert!(Span::new("é", 0, 1).is_err()); // not on a char boundary
//! ```

mod doc;
mod layers;
mod meta;
mod span;

pub use doc::{
    normalized_hash, normalized_text, short_paragraphs, DocId, Document, Source,
    MAX_FURNITURE_WORDS,
};
pub use layers::{
    DateMention, EntityKind, EntityMention, Furniture, FurnitureRule, LayerName, Layers,
    MentionForm, Quote, QuoteKind, Speaker, TimexKind,
};
pub use meta::{Field, Meta, Published, PublishedParseError};
pub use span::{Span, SpanError};
