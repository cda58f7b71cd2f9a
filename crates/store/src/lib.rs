//! Article storage behind the [`Store`] trait, with [`SqliteStore`] as the default backend.
//!
//! Writes go in batches, one transaction each: a batch is stored whole or not at all, so a
//! process killed mid-run leaves every earlier batch intact and the next run resumes by
//! skipping what is already present (documents are keyed by content, see [`DocId`]).
//! The trait is what a PostgreSQL backend implements; the shared behaviour test in this crate
//! is written against the trait so it can run on each backend.
//!
//! ```
//! use newsdesk_span::{Document, Meta, Source};
//! use newsdesk_store::{Put, SqliteStore, Store};
//! let mut store = SqliteStore::open_in_memory().unwrap();
//! let doc = Document::new(Source { location: "a.txt".into(), record: None }, Meta::default(), "Text.".into());
//! assert_eq!(store.put_batch(std::slice::from_ref(&doc)).unwrap(), vec![Put::Added]);
//! assert_eq!(store.put_batch(&[doc]).unwrap(), vec![Put::AlreadyPresent]);
//! ```

use std::path::Path;

use std::collections::BTreeMap;

use newsdesk_span::{DocId, Document, LayerName, Layers, Meta, Source};
use rusqlite::{params, Connection, OptionalExtension};

mod entities;
pub use entities::{EntityChanges, EntityState, Pending};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("stored metadata is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error(
        "database schema version {found} is newer than this newsdesk understands ({supported})"
    )]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("article ID prefix {0:?} matches more than one article")]
    Ambiguous(String),
}

/// What storing one document did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Put {
    Added,
    AlreadyPresent,
}

/// A stored article without its text, for listings.
#[derive(Clone, Debug)]
pub struct Summary {
    pub id: DocId,
    pub source: Source,
    pub meta: Meta,
    pub chars: usize,
}

/// A canonical entity as stored: one real person, organisation or place across articles.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EntityRecord {
    pub id: String,
    pub canonical: String,
    pub kind: String,
    pub aliases: Vec<String>,
    pub titles: Vec<String>,
    pub roles: Vec<String>,
    pub nationality: Option<String>,
    pub mentions: usize,
    pub articles: Vec<String>,
}

pub trait Store {
    /// Stores a batch atomically; returns one outcome per document, in order.
    fn put_batch(&mut self, docs: &[Document]) -> Result<Vec<Put>, StoreError>;
    /// All articles in the order they were first stored.
    fn summaries(&self) -> Result<Vec<Summary>, StoreError>;
    /// An article by ID, or by a unique ID prefix.
    fn get(&self, id: &str) -> Result<Option<Document>, StoreError>;
    fn count(&self) -> Result<usize, StoreError>;
    /// Stores the named layers of many documents in one transaction, replacing earlier ones.
    fn put_layers(
        &mut self,
        items: &[(DocId, Layers)],
        names: &[LayerName],
    ) -> Result<(), StoreError>;
    /// A document's stored layers (missing layers are empty).
    fn layers(&self, id: &DocId) -> Result<Layers, StoreError>;
    /// IDs of documents that lack `name`, in storage order.
    fn missing_layer(&self, name: LayerName) -> Result<Vec<DocId>, StoreError>;
    /// Replaces all canonical entities, and the entity of each mention, in one transaction.
    fn replace_entities(
        &mut self,
        entities: &[EntityRecord],
        assignments: &BTreeMap<String, Vec<Option<String>>>,
    ) -> Result<(), StoreError>;
    fn entities(&self) -> Result<Vec<EntityRecord>, StoreError>;
    /// Articles to annotate: those lacking one of `names` and not recorded as failed, or all
    /// of them when `all`; in storage order.
    fn pending_annotation(
        &self,
        names: &[LayerName],
        all: bool,
    ) -> Result<Vec<Pending>, StoreError>;
    /// The stored entities any of `keys` names, in the order they were created.
    fn entities_by_keys(&self, keys: &[String]) -> Result<Vec<EntityState>, StoreError>;
    /// Stores a batch's layers and its entity changes in one transaction, and clears the
    /// articles' recorded failures.
    fn put_annotated(
        &mut self,
        items: &[(&DocId, &Layers)],
        names: &[LayerName],
        changes: &EntityChanges,
    ) -> Result<(), StoreError>;
    /// Removes every canonical entity (before resolving the store again from scratch).
    fn clear_entities(&mut self) -> Result<(), StoreError>;
    /// Records why an article could not be annotated.
    fn record_annotation_failure(&mut self, id: &DocId, reason: &str) -> Result<(), StoreError>;
    /// Why an article's annotation failed, if it did.
    fn annotation_failure(&self, id: &DocId) -> Result<Option<String>, StoreError>;
}

pub struct SqliteStore {
    conn: Connection,
}

const SCHEMA_VERSION: i64 = 2;

impl SqliteStore {
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        SqliteStore::init(Connection::open(path)?)
    }

    pub fn open_in_memory() -> Result<SqliteStore, StoreError> {
        SqliteStore::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<SqliteStore, StoreError> {
        // WAL with synchronous=NORMAL survives a killed process (not a power cut) and lets
        // readers run while an ingest writes.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::SchemaTooNew {
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        if version < 1 {
            conn.execute_batch(
                "BEGIN;
                 CREATE TABLE IF NOT EXISTS articles (
                     seq INTEGER PRIMARY KEY AUTOINCREMENT,
                     id TEXT NOT NULL UNIQUE,
                     source_location TEXT NOT NULL,
                     source_record INTEGER,
                     meta TEXT NOT NULL,
                     text TEXT NOT NULL,
                     chars INTEGER NOT NULL,
                     stored_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
                 );
                 PRAGMA user_version = 1;
                 COMMIT;",
            )?;
        }
        if version < 2 {
            // Layers are stored per name so a stage rewrites only what it declares.
            conn.execute_batch(
                "BEGIN;
                 CREATE TABLE IF NOT EXISTS layers (
                     doc_id TEXT NOT NULL REFERENCES articles(id),
                     name TEXT NOT NULL,
                     data TEXT NOT NULL,
                     PRIMARY KEY (doc_id, name)
                 );
                 CREATE TABLE IF NOT EXISTS entities (
                     id TEXT PRIMARY KEY,
                     data TEXT NOT NULL
                 );
                 PRAGMA user_version = 2;
                 COMMIT;",
            )?;
        }
        entities::ensure_schema(&conn)?;
        Ok(SqliteStore { conn })
    }

    fn resolve_id(&self, id: &str) -> Result<Option<String>, StoreError> {
        let exact: Option<String> = self
            .conn
            .query_row("SELECT id FROM articles WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        if exact.is_some() {
            return Ok(exact);
        }
        let pattern = format!("{}%", id.replace(['%', '_'], ""));
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM articles WHERE id LIKE ?1 LIMIT 2")?;
        let ids: Vec<String> = stmt
            .query_map([pattern], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        match ids.len() {
            0 => Ok(None),
            1 => Ok(ids.into_iter().next()),
            _ => Err(StoreError::Ambiguous(id.to_string())),
        }
    }
}

impl Store for SqliteStore {
    fn put_batch(&mut self, docs: &[Document]) -> Result<Vec<Put>, StoreError> {
        let tx = self.conn.transaction()?;
        let mut outcomes = Vec::with_capacity(docs.len());
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO articles (id, source_location, source_record, meta, text, chars)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for doc in docs {
                let meta = serde_json::to_string(&doc.meta)?;
                let changed = insert.execute(params![
                    doc.id().as_str(),
                    doc.source.location,
                    doc.source.record.map(|r| r as i64),
                    meta,
                    doc.text(),
                    doc.chars() as i64,
                ])?;
                outcomes.push(if changed == 1 {
                    Put::Added
                } else {
                    Put::AlreadyPresent
                });
            }
        }
        tx.commit()?;
        Ok(outcomes)
    }

    fn summaries(&self) -> Result<Vec<Summary>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, source_location, source_record, meta, chars FROM articles ORDER BY seq",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<i64>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, location, record, meta, chars) = row?;
            out.push(Summary {
                id: DocId::from_string(id),
                source: Source {
                    location,
                    record: record.map(|r| r as u64),
                },
                meta: serde_json::from_str(&meta)?,
                chars: chars as usize,
            });
        }
        Ok(out)
    }

    fn get(&self, id: &str) -> Result<Option<Document>, StoreError> {
        let Some(id) = self.resolve_id(id)? else {
            return Ok(None);
        };
        let row = self
            .conn
            .query_row(
                "SELECT source_location, source_record, meta, text FROM articles WHERE id = ?1",
                [&id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Option<i64>>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                    ))
                },
            )
            .optional()?;
        let Some((location, record, meta, text)) = row else {
            return Ok(None);
        };
        let source = Source {
            location,
            record: record.map(|r| r as u64),
        };
        Ok(Some(Document::from_parts(
            DocId::from_string(id),
            source,
            serde_json::from_str(&meta)?,
            text,
        )))
    }

    fn count(&self) -> Result<usize, StoreError> {
        let n: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))?;
        Ok(n as usize)
    }

    fn put_layers(
        &mut self,
        items: &[(DocId, Layers)],
        names: &[LayerName],
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        {
            let mut put = tx.prepare_cached(
                "INSERT OR REPLACE INTO layers (doc_id, name, data) VALUES (?1, ?2, ?3)",
            )?;
            for (id, layers) in items {
                for name in names {
                    let data = layer_json(layers, *name)?;
                    put.execute(params![id.as_str(), name.as_str(), data])?;
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn layers(&self, id: &DocId) -> Result<Layers, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name, data FROM layers WHERE doc_id = ?1")?;
        let rows = stmt.query_map([id.as_str()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut object = serde_json::Map::new();
        for row in rows {
            let (name, data) = row?;
            object.insert(name, serde_json::from_str(&data)?);
        }
        Ok(serde_json::from_value(serde_json::Value::Object(object))?)
    }

    fn missing_layer(&self, name: LayerName) -> Result<Vec<DocId>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id FROM articles a WHERE NOT EXISTS
               (SELECT 1 FROM layers l WHERE l.doc_id = a.id AND l.name = ?1) ORDER BY seq",
        )?;
        let ids = stmt
            .query_map([name.as_str()], |r| r.get::<_, String>(0))?
            .map(|r| r.map(DocId::from_string))
            .collect::<Result<_, _>>()?;
        Ok(ids)
    }

    fn replace_entities(
        &mut self,
        entities: &[EntityRecord],
        assignments: &BTreeMap<String, Vec<Option<String>>>,
    ) -> Result<(), StoreError> {
        entities::replace(&mut self.conn, entities, assignments)
    }

    fn entities(&self) -> Result<Vec<EntityRecord>, StoreError> {
        entities::list(&self.conn)
    }

    fn pending_annotation(
        &self,
        names: &[LayerName],
        all: bool,
    ) -> Result<Vec<Pending>, StoreError> {
        entities::pending(&self.conn, names, all)
    }

    fn entities_by_keys(&self, keys: &[String]) -> Result<Vec<EntityState>, StoreError> {
        entities::by_keys(&self.conn, keys)
    }

    fn put_annotated(
        &mut self,
        items: &[(&DocId, &Layers)],
        names: &[LayerName],
        changes: &EntityChanges,
    ) -> Result<(), StoreError> {
        entities::put_annotated(&mut self.conn, items, names, changes)
    }

    fn clear_entities(&mut self) -> Result<(), StoreError> {
        entities::clear(&mut self.conn)
    }

    fn record_annotation_failure(&mut self, id: &DocId, reason: &str) -> Result<(), StoreError> {
        entities::record_failure(&self.conn, id, reason)
    }

    fn annotation_failure(&self, id: &DocId) -> Result<Option<String>, StoreError> {
        entities::failure(&self.conn, id)
    }
}

fn layer_json(layers: &Layers, name: LayerName) -> Result<String, serde_json::Error> {
    match name {
        LayerName::Sentences => serde_json::to_string(&layers.sentences),
        LayerName::Tokens => serde_json::to_string(&layers.tokens),
        LayerName::Entities => serde_json::to_string(&layers.entities),
        LayerName::Dates => serde_json::to_string(&layers.dates),
        LayerName::Quotes => serde_json::to_string(&layers.quotes),
    }
}

/// The behaviour every backend must show; run against each one.
#[cfg(test)]
fn behaviour(store: &mut dyn Store) {
    use newsdesk_span::Field;
    let doc = |loc: &str, text: &str| {
        let meta = Meta {
            title: Some(Field::new(format!("Title of {loc}"), "header-line")),
            ..Meta::default()
        };
        Document::new(
            Source {
                location: loc.into(),
                record: Some(1),
            },
            meta,
            text.into(),
        )
    };
    let a = doc("a.txt", "First article text.");
    let b = doc("b.txt", "Second article text, with é.");
    assert_eq!(
        store.put_batch(&[a.clone(), b.clone()]).unwrap(),
        vec![Put::Added, Put::Added]
    );
    assert_eq!(
        store
            .put_batch(&[b.clone(), doc("c.txt", "Third.")])
            .unwrap(),
        vec![Put::AlreadyPresent, Put::Added]
    );
    assert_eq!(store.count().unwrap(), 3);
    let list = store.summaries().unwrap();
    assert_eq!(
        list.iter()
            .map(|s| s.source.location.as_str())
            .collect::<Vec<_>>(),
        ["a.txt", "b.txt", "c.txt"]
    );
    assert_eq!(list[1].chars, b.chars());
    let got = store.get(b.id().as_str()).unwrap().unwrap();
    assert_eq!(got, b);
    let by_prefix = store.get(&a.id().as_str()[..10]).unwrap().unwrap();
    assert_eq!(by_prefix.id(), a.id());
    assert!(store.get("ffffffffffffffff0").unwrap().is_none());

    // Layers: stored per name, missing ones reported, entities assigned.
    assert_eq!(store.missing_layer(LayerName::Sentences).unwrap().len(), 3);
    let text = b.text();
    let mention = newsdesk_span::EntityMention {
        span: newsdesk_span::Span::new(text, 0, 6).unwrap(),
        kind: newsdesk_span::EntityKind::Misc,
        form: newsdesk_span::MentionForm::Name,
        titles: vec![],
        antecedent: None,
        entity: None,
        score: 1.0,
    };
    let layers = Layers {
        sentences: vec![newsdesk_span::Span::new(text, 0, text.len()).unwrap()],
        entities: vec![mention],
        ..Layers::default()
    };
    store
        .put_layers(
            &[(b.id().clone(), layers.clone())],
            &[LayerName::Sentences, LayerName::Entities],
        )
        .unwrap();
    assert_eq!(store.layers(b.id()).unwrap(), layers);
    assert_eq!(store.missing_layer(LayerName::Sentences).unwrap().len(), 2);
    let record = EntityRecord {
        id: "misc:second".into(),
        canonical: "Second".into(),
        kind: "MISC".into(),
        aliases: vec!["Second".into()],
        titles: vec![],
        roles: vec![],
        nationality: None,
        mentions: 1,
        articles: vec![b.id().to_string()],
    };
    let assignments = BTreeMap::from([(b.id().to_string(), vec![Some("misc:second".to_string())])]);
    store
        .replace_entities(std::slice::from_ref(&record), &assignments)
        .unwrap();
    assert_eq!(store.entities().unwrap(), vec![record]);
    assert_eq!(
        store.layers(b.id()).unwrap().entities[0].entity.as_deref(),
        Some("misc:second")
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_backend_behaves() {
        behaviour(&mut SqliteStore::open_in_memory().unwrap());
    }

    #[test]
    fn reopening_a_file_keeps_everything() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n.db");
        let doc = Document::new(
            Source {
                location: "x".into(),
                record: None,
            },
            Meta::default(),
            "Kept.".into(),
        );
        SqliteStore::open(&path)
            .unwrap()
            .put_batch(std::slice::from_ref(&doc))
            .unwrap();
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.get(doc.id().as_str()).unwrap().unwrap(), doc);
    }
}
