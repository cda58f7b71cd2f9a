//! From recognised names to entities: titles and roles attached to people, later mentions
//! linked to the mention that introduced them (surnames, title + surname, role descriptions),
//! loaded references to states kept as framing marks, and one canonical entity per real
//! person, organisation or place across documents.
//!
//! Merging is conservative: an unknown link is better than a wrong one, because a merged
//! person spreads to every quote and event. Two people who share one name part are never
//! merged for that alone, and a name that is part of a longer one is not that person when
//! titles or nationality disagree.

mod canonical;
mod local;
mod tables;

pub use canonical::{
    canonicalize, entity_keys, Batch, Canonical, CanonicalSet, Resolution, Resolver,
};
pub use local::{profiles, resolve_document, root_of, Profile};
pub use tables::country_of;
