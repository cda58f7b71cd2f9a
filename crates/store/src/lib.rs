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

use newsdesk_span::{DocId, Document, Meta, Source};
use rusqlite::{params, Connection, OptionalExtension};

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

pub trait Store {
    /// Stores a batch atomically; returns one outcome per document, in order.
    fn put_batch(&mut self, docs: &[Document]) -> Result<Vec<Put>, StoreError>;
    /// All articles in the order they were first stored.
    fn summaries(&self) -> Result<Vec<Summary>, StoreError>;
    /// An article by ID, or by a unique ID prefix.
    fn get(&self, id: &str) -> Result<Option<Document>, StoreError>;
    fn count(&self) -> Result<usize, StoreError>;
}

pub struct SqliteStore {
    conn: Connection,
}

const SCHEMA_VERSION: i64 = 1;

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
