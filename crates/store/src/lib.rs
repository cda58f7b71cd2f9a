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

mod codec;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use newsdesk_span::{
    short_paragraphs, DocId, Document, Furniture, FurnitureRule, LayerName, Layers, Meta, Source,
};
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, ErrorCode, OptionalExtension, TransactionBehavior};

mod corpus;
mod entities;
pub use corpus::{Connected, RawArticle, Seen};
pub use entities::{EntityChanges, EntityState, Pending};

/// Why a store operation failed. The cause is part of the message and not also a `source()`:
/// a chain printer (`anyhow`'s `{:#}`) would otherwise print it twice
/// ("database error: database is locked: database is locked").
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    #[error("stored metadata is not valid JSON: {0}")]
    Json(serde_json::Error),
    #[error(
        "database schema version {found} is newer than this newsdesk understands ({supported})"
    )]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("article ID prefix {0:?} matches more than one article")]
    Ambiguous(String),
    #[error("no store at {}", .0.display())]
    NoStore(PathBuf),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        StoreError::Sqlite(e)
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> StoreError {
        StoreError::Json(e)
    }
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
    /// Stores documents whose rows were encoded beforehand ([`Encoded::new`], on any thread),
    /// atomically; returns one outcome per document, in order (a document already stored is
    /// left as it is).
    fn put_encoded(&mut self, docs: &[Encoded]) -> Result<Vec<Put>, StoreError>;
    /// Encodes and stores documents, as [`Store::put_encoded`].
    fn put_batch(&mut self, docs: &[Document]) -> Result<Vec<Put>, StoreError> {
        let encoded: Vec<Encoded> = docs
            .iter()
            .map(|d| Encoded::new(d.clone()))
            .collect::<Result<_, _>>()?;
        self.put_encoded(&encoded)
    }
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
    /// A document's stored layers (missing layers are empty), with its `furniture` derived
    /// from the current repetition counts.
    fn layers(&self, id: &DocId) -> Result<Layers, StoreError>;
    /// IDs of documents that lack `name`, in storage order.
    fn missing_layer(&self, name: LayerName) -> Result<Vec<DocId>, StoreError>;
    fn entities(&self) -> Result<Vec<EntityRecord>, StoreError>;
    /// Which of `ids` are stored, in one query, so a run can skip inputs it already has
    /// before extracting them.
    fn existing(&self, ids: &[DocId]) -> Result<HashSet<DocId>, StoreError>;
    /// Other stored articles whose text is identical to this one's once normalised (see
    /// [`newsdesk_span::normalized_text`]): the same story read from another file, with other
    /// line endings or other markup around it. Storage order.
    fn copies(&self, id: &DocId) -> Result<Vec<DocId>, StoreError>;
    /// The paragraphs of `doc` that its outlet repeats, by the store's current counts.
    fn furniture(&self, doc: &Document) -> Result<Vec<Furniture>, StoreError>;
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

    // The corpus stages' state (see `corpus.rs`).

    /// Articles that have every layer of `names` and that the corpus stages have not seen,
    /// in storage order.
    fn pending_connect(&self, names: &[LayerName]) -> Result<Vec<DocId>, StoreError>;
    /// Every article the corpus stages have seen, in storage order, with its MinHash bins.
    fn signatures(&self) -> Result<Vec<Seen>, StoreError>;
    /// Stores one batch of the copies stage in one transaction.
    fn put_connected(&mut self, batch: &Connected) -> Result<(), StoreError>;
    /// The copy links of one article, or all of them.
    fn copy_links(
        &self,
        article: Option<&DocId>,
    ) -> Result<Vec<newsdesk_copies::CopyLink>, StoreError>;
    /// The connected articles that quote a canonical speaker, in storage order.
    fn quoting(&self, speaker: &str) -> Result<Vec<DocId>, StoreError>;
    /// The stored articles among `ids` (in that order; unknown IDs left out) with only the
    /// layers `names`, read but not decoded, so that the caller decodes them on its own
    /// threads ([`RawArticle::decode`]). No furniture is derived.
    fn raw_articles(
        &self,
        ids: &[DocId],
        names: &[LayerName],
    ) -> Result<Vec<RawArticle>, StoreError> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(doc) = self.get(id.as_str())? {
                let layers = self.layers(doc.id())?;
                out.push(RawArticle::decoded(doc, layers, names));
            }
        }
        Ok(out)
    }
    /// A saved corpus-stage state by name.
    fn corpus_state(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError>;
    fn put_corpus_state(&mut self, name: &str, data: &[u8]) -> Result<(), StoreError>;
    /// Forgets everything the corpus stages stored, so that they start over.
    fn clear_connected(&mut self) -> Result<(), StoreError>;
    /// Gives back the room a writing run left free inside the store's pages, where the run
    /// rewrote enough of the store for it to be worth a rewrite of the whole; the runs call it
    /// when they end. A backend without such room does nothing.
    fn compact(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
}

/// The name under which a page's repeated paragraphs are counted: the site that printed the
/// page (the republisher when there is one), since furniture belongs to a site's template,
/// not to the outlet credited with the story.
fn page_outlet(meta: &Meta) -> Option<&str> {
    meta.republisher
        .as_ref()
        .or(meta.outlet.as_ref())
        .map(|f| f.value.as_str())
}

pub struct SqliteStore {
    conn: Connection,
    /// Articles whose layers this handle wrote, for [`Store::compact`].
    annotated: usize,
}

/// 3: articles carry a normalised-text hash; outlets and their repeated paragraphs are
/// counted; text and layers are stored compactly (see `codec`).
/// 4: the corpus stages' tables (see `corpus`).
/// 5: the canonical-entity tables are keyed by row numbers (see `entities`).
/// 6: entity IDs inside their records, found by hash; mention counts one blob per article.
/// 7: a layer row is keyed by one integer made of its article's row and the layer.
const SCHEMA_VERSION: i64 = 7;

/// The number a layer has in its row's key: the key is the article's row times
/// [`LAYER_SLOTS`] plus this. Part of the stored format: a new layer takes a new number.
fn layer_code(name: LayerName) -> i64 {
    match name {
        LayerName::Sentences => 1,
        LayerName::Tokens => 2,
        LayerName::Entities => 3,
        LayerName::Dates => 4,
        LayerName::Quotes => 5,
    }
}

/// Keys of one article's layer rows run from `article * LAYER_SLOTS` to the next article's.
const LAYER_SLOTS: i64 = 8;

fn layer_of_code(code: i64) -> Option<LayerName> {
    LayerName::ALL.into_iter().find(|n| layer_code(*n) == code)
}

/// The key of an article's layer row.
pub(crate) fn layer_key(article: i64, name: LayerName) -> i64 {
    article * LAYER_SLOTS + layer_code(name)
}

/// The keys of `names` of the article `article` (an SQL expression), as an SQL list.
pub(crate) fn layer_keys_sql(article: &str, names: &[LayerName]) -> String {
    let keys: Vec<String> = names
        .iter()
        .map(|n| format!("{article} * {LAYER_SLOTS} + {}", layer_code(*n)))
        .collect();
    format!("({})", keys.join(", "))
}

/// Schema 7: layers were rows of (article, name, data) with a unique index on the first two,
/// 0.10 MB of index and 0.05 MB of keys in a store of 976 BBC articles; one integer key is the
/// table's own row number and needs no index. Rows of a layer this version does not know
/// (none was ever written) could not be read into [`Layers`] and are not kept.
fn migrate_layer_keys(tx: &Connection) -> Result<(), StoreError> {
    let codes: Vec<String> = LayerName::ALL
        .iter()
        .map(|n| format!("WHEN '{}' THEN {}", n.as_str(), layer_code(*n)))
        .collect();
    tx.execute_batch(&format!(
        "CREATE TABLE layers_by_key (key INTEGER PRIMARY KEY, data BLOB NOT NULL);
         INSERT INTO layers_by_key (key, data)
             SELECT article * {LAYER_SLOTS} + code, data FROM
                 (SELECT article, data, CASE name {} END AS code FROM layers)
             WHERE code IS NOT NULL ORDER BY article, code;",
        codes.join(" ")
    ))?;
    tx.execute_batch("DROP TABLE layers; ALTER TABLE layers_by_key RENAME TO layers;")?;
    Ok(())
}

const PAGE_SIZE: i64 = 8192;

/// Pages the write-ahead log holds before it is checkpointed into the store (64 MB).
const WAL_CHECKPOINT_PAGES: i64 = 8192;

/// The page cache of a connection, in KiB. SQLite's default of 2 MB holds a tenth of a store
/// of 20,000 articles: the corpus stages look articles up by row across the whole store
/// (the articles quoting a speaker, the candidates of a batch), and each lookup past the cache
/// read its page from the file again.
const CACHE_KIB: i64 = 32 << 10;

/// How long an open or a write waits for another process holding the database.
const BUSY_WAIT: Duration = Duration::from_secs(30);

/// A read transaction over several statements when none is open (dropped, it ends): outside
/// one, each statement takes and releases the log's read lock itself, two `fcntl` calls a
/// statement, which was 5% of a connect run's time.
pub(crate) fn reading(conn: &Connection) -> Result<Option<rusqlite::Transaction<'_>>, StoreError> {
    if conn.is_autocommit() {
        Ok(Some(conn.unchecked_transaction()?))
    } else {
        Ok(None)
    }
}

/// Runs `f` again while SQLite answers BUSY or LOCKED. A few calls return BUSY without
/// consulting the busy handler (switching the journal mode while another connection opens the
/// file, upgrading a read transaction to a write one), so the timeout alone does not cover them.
fn retry_busy<T>(mut f: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let start = Instant::now();
    let mut pause = Duration::from_millis(2);
    loop {
        match f() {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if matches!(e.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
                    && start.elapsed() < BUSY_WAIT =>
            {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(100));
            }
            other => return other,
        }
    }
}

impl SqliteStore {
    /// Opens the store at `path`, creating it if there is none.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        SqliteStore::init(Connection::open(path)?)
    }

    /// Opens the store at `path` for commands that only read it: a missing file is an error,
    /// not a new empty store.
    pub fn open_existing(path: &Path) -> Result<SqliteStore, StoreError> {
        if !path.exists() {
            return Err(StoreError::NoStore(path.to_path_buf()));
        }
        SqliteStore::open(path)
    }

    pub fn open_in_memory() -> Result<SqliteStore, StoreError> {
        SqliteStore::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<SqliteStore, StoreError> {
        // The timeout goes first: the journal-mode switch below already needs the lock when
        // other processes open the same new file at the same moment.
        conn.busy_timeout(BUSY_WAIT)?;
        // Only a new, empty file takes a page size. Rows here are blobs of one to a few
        // kilobytes; on 4 KiB pages a third of each page was left empty around them.
        conn.pragma_update(None, "page_size", PAGE_SIZE)?;
        // WAL with synchronous=NORMAL survives a killed process (not a power cut) and lets
        // readers run while an ingest writes.
        retry_busy(|| {
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0))
        })?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // A checkpoint syncs the log and the database to disk. A batch rewrites pages earlier
        // batches wrote (the repetition counts, the indexes), so the log grows several times
        // faster than the store: at SQLite's default of 1,000 pages an ingest of 21,914 articles
        // checkpointed 42 times and waited about a second on the disk for it, a third of the
        // run with two threads. The log is emptied when the last connection closes.
        conn.pragma_update(None, "wal_autocheckpoint", WAL_CHECKPOINT_PAGES)?;
        conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
        let version: i64 =
            retry_busy(|| conn.pragma_query_value(None, "user_version", |r| r.get(0)))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::SchemaTooNew {
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        if version < SCHEMA_VERSION {
            migrate(&conn)?;
        }
        entities::ensure_schema(&conn)?;
        Ok(SqliteStore { conn, annotated: 0 })
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

    /// A write transaction that takes the write lock up front, so it waits for another writer
    /// (busy timeout) instead of failing when it upgrades from reading.
    fn write(&mut self) -> Result<rusqlite::Transaction<'_>, StoreError> {
        Ok(self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?)
    }
}

/// Brings a store up to [`SCHEMA_VERSION`] in one immediate transaction: of several processes
/// opening a new file at once, one migrates and the others wait, then find nothing to do.
fn migrate(conn: &Connection) -> Result<(), StoreError> {
    retry_busy(|| conn.execute_batch("BEGIN IMMEDIATE"))?;
    match migrate_in(conn) {
        Ok(()) => Ok(conn.execute_batch("COMMIT")?),
        Err(e) => {
            // The error that stopped the migration is the one to report.
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

fn migrate_in(tx: &Connection) -> Result<(), StoreError> {
    let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version >= SCHEMA_VERSION {
        // Another process migrated while this one waited for the lock.
        return Ok(());
    }
    if version < 1 {
        tx.execute_batch(
            "CREATE TABLE IF NOT EXISTS articles (
                 seq INTEGER PRIMARY KEY AUTOINCREMENT,
                 id TEXT NOT NULL UNIQUE,
                 source_location TEXT NOT NULL,
                 source_record INTEGER,
                 meta TEXT NOT NULL,
                 text TEXT NOT NULL,
                 chars INTEGER NOT NULL,
                 stored_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
             );",
        )?;
    }
    if version < 2 {
        // Layers are stored per name so a stage rewrites only what it declares.
        tx.execute_batch(
            "CREATE TABLE IF NOT EXISTS layers (
                 doc_id TEXT NOT NULL REFERENCES articles(id),
                 name TEXT NOT NULL,
                 data TEXT NOT NULL,
                 PRIMARY KEY (doc_id, name)
             );
             CREATE TABLE IF NOT EXISTS entities (
                 id TEXT PRIMARY KEY,
                 data TEXT NOT NULL
             );",
        )?;
    }
    if version < 3 {
        // Repetition counts are per outlet and per short paragraph, keyed by a 64-bit hash of
        // the paragraph: the paragraphs themselves are in the articles already.
        // Layers are keyed by the article's row number instead of its 16-character ID, which
        // was stored twice more per layer (row and index). A table without rowid was tried
        // and rejected: its rows live in an index b-tree, which spills any blob over about a
        // kilobyte to overflow pages, and the file grew.
        tx.execute_batch(
            "ALTER TABLE articles ADD COLUMN norm_hash TEXT;
             CREATE INDEX IF NOT EXISTS articles_norm_hash ON articles(norm_hash);
             CREATE TABLE IF NOT EXISTS outlets (
                 id INTEGER PRIMARY KEY,
                 name TEXT NOT NULL UNIQUE,
                 articles INTEGER NOT NULL
             );
             CREATE TABLE IF NOT EXISTS paragraphs (
                 outlet INTEGER NOT NULL REFERENCES outlets(id),
                 key INTEGER NOT NULL,
                 articles INTEGER NOT NULL,
                 PRIMARY KEY (outlet, key)
             ) WITHOUT ROWID;
             CREATE TABLE layers_by_seq (
                 article INTEGER NOT NULL REFERENCES articles(seq),
                 name TEXT NOT NULL,
                 data BLOB NOT NULL,
                 PRIMARY KEY (article, name)
             );
             INSERT INTO layers_by_seq (article, name, data)
                 SELECT a.seq, l.name, l.data FROM layers l JOIN articles a ON a.id = l.doc_id;
             DROP TABLE layers;
             ALTER TABLE layers_by_seq RENAME TO layers;",
        )?;
        // Canonical entities are now resolved batch by batch into their own tables (see
        // `entities`), and the old table of them is not read. Without its entity layers, an
        // article counts as not annotated, so the next `annotate` redoes it and resolves it
        // into the new tables: an upgraded store's `entities` listing is never silently empty.
        tx.execute_batch(
            "DELETE FROM layers WHERE name = 'entities';
             DROP TABLE IF EXISTS entities;",
        )?;
        // Articles stored before: hash and count them now, once. Their text and layers stay
        // in the old encoding, which is still read.
        let rows: Vec<(String, String, String)> = {
            let mut stmt = tx.prepare("SELECT id, meta, text FROM articles ORDER BY seq")?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    codec::decode_text(r.get_ref(2)?).map_err(|e| {
                        rusqlite::Error::FromSqlConversionFailure(
                            2,
                            rusqlite::types::Type::Text,
                            Box::new(e),
                        )
                    })?,
                ))
            })?;
            rows.collect::<Result<_, _>>()?
        };
        for (id, meta, text) in rows {
            let meta: Meta = codec::decode_meta(ValueRef::Text(meta.as_bytes()))?;
            tx.execute(
                "UPDATE articles SET norm_hash = ?2 WHERE id = ?1",
                params![id, newsdesk_span::normalized_hash(&text)],
            )?;
            count_article(tx, page_outlet(&meta), &paragraph_keys(&text))?;
        }
    }
    if version < 4 {
        // The corpus stages' tables; nothing to backfill: `connect` finds every article pending.
        tx.execute_batch(corpus::SCHEMA)?;
    }
    if version < 5 {
        entities::migrate_to_row_keys(tx)?;
    }
    if version < 6 {
        entities::migrate_to_records(tx)?;
    }
    if version < 7 {
        migrate_layer_keys(tx)?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    Ok(())
}

fn paragraph_keys(text: &str) -> HashSet<u64> {
    short_paragraphs(text).into_iter().map(|(_, k)| k).collect()
}

/// Adds one newly stored article to its outlet's counts. Called only when the article row was
/// inserted, so an article is counted once however often it is ingested; the counts are plain
/// sums, so two stores' counts merge by adding them.
fn count_article(
    conn: &Connection,
    outlet: Option<&str>,
    keys: &HashSet<u64>,
) -> Result<(), StoreError> {
    let Some(outlet) = outlet else {
        return Ok(());
    };
    let outlet_id: i64 = conn
        .prepare_cached(
            "INSERT INTO outlets (name, articles) VALUES (?1, 1)
             ON CONFLICT (name) DO UPDATE SET articles = articles + 1 RETURNING id",
        )?
        .query_row([outlet], |r| r.get(0))?;
    let mut put = conn.prepare_cached(
        "INSERT INTO paragraphs (outlet, key, articles) VALUES (?1, ?2, 1)
         ON CONFLICT (outlet, key) DO UPDATE SET articles = articles + 1",
    )?;
    for key in keys {
        put.execute(params![outlet_id, *key as i64])?;
    }
    Ok(())
}

/// A document with its row encoded (text and metadata compressed, the normalised-text hash
/// and the paragraph keys of the repetition counts computed): the work of storing that needs no
/// connection, most of it, done by [`Encoded::new`] on whichever thread made the document, so
/// that the thread holding the store only writes rows.
#[derive(Debug)]
pub struct Encoded {
    doc: Document,
    meta: Vec<u8>,
    text: Vec<u8>,
    hash: String,
    keys: HashSet<u64>,
}

impl Encoded {
    pub fn new(doc: Document) -> Result<Encoded, StoreError> {
        Ok(Encoded {
            meta: codec::encode_meta(&doc.meta)?,
            text: codec::encode_text(doc.text()),
            hash: doc.normalized_hash(),
            keys: paragraph_keys(doc.text()),
            doc,
        })
    }

    pub fn doc(&self) -> &Document {
        &self.doc
    }
}

impl Store for SqliteStore {
    fn put_encoded(&mut self, docs: &[Encoded]) -> Result<Vec<Put>, StoreError> {
        let tx = self.write()?;
        let mut outcomes = Vec::with_capacity(docs.len());
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO articles
                     (id, source_location, source_record, meta, text, chars, norm_hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for Encoded {
                doc,
                meta,
                text,
                hash,
                keys,
            } in docs
            {
                let changed = insert.execute(params![
                    doc.id().as_str(),
                    doc.source.location,
                    doc.source.record.map(|r| r as i64),
                    meta,
                    text,
                    doc.chars() as i64,
                    hash,
                ])?;
                outcomes.push(if changed == 1 {
                    count_article(&tx, page_outlet(&doc.meta), keys)?;
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
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(Summary {
                id: DocId::from_string(r.get::<_, String>(0)?),
                source: Source {
                    location: r.get(1)?,
                    record: r.get::<_, Option<i64>>(2)?.map(|r| r as u64),
                },
                meta: codec::decode_meta(r.get_ref(3)?)?,
                chars: r.get::<_, i64>(4)? as usize,
            });
        }
        Ok(out)
    }

    fn get(&self, id: &str) -> Result<Option<Document>, StoreError> {
        let Some(id) = self.resolve_id(id)? else {
            return Ok(None);
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT source_location, source_record, meta, text FROM articles WHERE id = ?1",
        )?;
        let mut rows = stmt.query([&id])?;
        let Some(row) = rows.next()? else {
            return Ok(None);
        };
        let source = Source {
            location: row.get(0)?,
            record: row.get::<_, Option<i64>>(1)?.map(|r| r as u64),
        };
        let meta = codec::decode_meta(row.get_ref(2)?)?;
        let text = codec::decode_text(row.get_ref(3)?)?;
        Ok(Some(Document::from_parts(
            DocId::from_string(id),
            source,
            meta,
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
        let tx = self.write()?;
        {
            let mut rows = entities::EntityRows::new(&tx);
            for (id, layers) in items {
                entities::put_layer_rows(&tx, id, layers, names, &mut rows, Vec::new())?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn layers(&self, id: &DocId) -> Result<Layers, StoreError> {
        let mut object = serde_json::Map::new();
        let mut derived_tokens = None;
        let mut entity_rows = None;
        let (mut dates, mut quotes) = (None, None);
        {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT l.key - a.seq * {LAYER_SLOTS}, l.data FROM articles a JOIN layers l
                     ON l.key > a.seq * {LAYER_SLOTS} AND l.key < (a.seq + 1) * {LAYER_SLOTS}
                 WHERE a.id = ?1"
            ))?;
            let mut rows = stmt.query([id.as_str()])?;
            while let Some(row) = rows.next()? {
                let Some(name) = layer_of_code(row.get(0)?) else {
                    return Err(StoreError::Corrupt("unknown layer number".into()));
                };
                if codec::is_derived(row.get_ref(1)?) {
                    derived_tokens = Some(row.get::<_, Vec<u8>>(1)?);
                    continue;
                }
                if codec::is_entity_rows(row.get_ref(1)?) {
                    entity_rows = Some(row.get::<_, Vec<u8>>(1)?);
                    continue;
                }
                match name {
                    LayerName::Dates => {
                        dates = Some(codec::decode_dates(row.get_ref(1)?)?);
                        continue;
                    }
                    LayerName::Quotes => {
                        quotes = Some(codec::decode_quotes(row.get_ref(1)?)?);
                        continue;
                    }
                    _ => {}
                }
                object.insert(name.as_str().into(), codec::layer_value(row.get_ref(1)?)?);
            }
        }
        let mut layers: Layers = serde_json::from_value(serde_json::Value::Object(object))?;
        if let Some(dates) = dates {
            layers.dates = dates;
        }
        if let Some(quotes) = quotes {
            layers.quotes = quotes;
        }
        if let Some(stored) = entity_rows {
            let mut ids = entities::EntityIds::new(&self.conn);
            layers.entities =
                codec::decode_entities(ValueRef::Blob(&stored), &mut |seq| ids.get(seq))?;
        }
        if let Some(doc) = self.get(id.as_str())? {
            if let Some(stored) = derived_tokens {
                layers.tokens =
                    codec::derived_tokens(ValueRef::Blob(&stored), doc.text(), &layers.sentences)?;
            }
            layers.furniture = self.furniture(&doc)?;
        }
        Ok(layers)
    }

    fn missing_layer(&self, name: LayerName) -> Result<Vec<DocId>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id FROM articles a WHERE NOT EXISTS
               (SELECT 1 FROM layers l WHERE l.key = a.seq * {LAYER_SLOTS} + ?1) ORDER BY seq"
        ))?;
        let ids = stmt
            .query_map([layer_code(name)], |r| r.get::<_, String>(0))?
            .map(|r| r.map(DocId::from_string))
            .collect::<Result<_, _>>()?;
        Ok(ids)
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
        entities::put_annotated(&mut self.conn, items, names, changes)?;
        self.annotated += items.len();
        Ok(())
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

    fn pending_connect(&self, names: &[LayerName]) -> Result<Vec<DocId>, StoreError> {
        corpus::pending(&self.conn, names)
    }

    fn signatures(&self) -> Result<Vec<Seen>, StoreError> {
        corpus::signatures(&self.conn)
    }

    fn put_connected(&mut self, batch: &Connected) -> Result<(), StoreError> {
        let tx = self.write()?;
        corpus::put(&tx, batch)?;
        Ok(tx.commit()?)
    }

    fn copy_links(
        &self,
        article: Option<&DocId>,
    ) -> Result<Vec<newsdesk_copies::CopyLink>, StoreError> {
        corpus::links(&self.conn, article)
    }

    fn quoting(&self, speaker: &str) -> Result<Vec<DocId>, StoreError> {
        corpus::quoting(&self.conn, speaker)
    }

    fn raw_articles(
        &self,
        ids: &[DocId],
        names: &[LayerName],
    ) -> Result<Vec<RawArticle>, StoreError> {
        corpus::raw_articles(&self.conn, ids, names)
    }

    fn corpus_state(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        corpus::state(&self.conn, name)
    }

    fn put_corpus_state(&mut self, name: &str, data: &[u8]) -> Result<(), StoreError> {
        let tx = self.write()?;
        corpus::put_state(&tx, name, data)?;
        Ok(tx.commit()?)
    }

    fn clear_connected(&mut self) -> Result<(), StoreError> {
        let tx = self.write()?;
        corpus::clear(&tx)?;
        Ok(tx.commit()?)
    }

    /// `VACUUM`, when this handle wrote the layers of at least a quarter of the stored
    /// articles. B-trees filled in key order are full, but name keys arrive in hash order and
    /// entity records grow as they are updated, so their pages are left about 75% full: 49 KB
    /// (2%) of a store of 976 BBC articles just annotated. The rewrite costs time in proportion
    /// to the whole store, which is why a run that annotated a few articles of a large store
    /// leaves its little free room for a later large one. The write-ahead log that the rewrite
    /// fills is folded back and truncated.
    fn compact(&mut self) -> Result<(), StoreError> {
        if self.annotated == 0 || self.annotated * 4 < self.count()? {
            return Ok(());
        }
        // Room left free is no error: another process still writing after the busy timeout
        // keeps the store as it is rather than fail the run that wrote it.
        match self.conn.execute_batch("VACUUM").and_then(|()| {
            self.conn
                .pragma_update_and_check(None, "wal_checkpoint", "TRUNCATE", |_| Ok(()))
        }) {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if matches!(e.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {}
            other => other?,
        }
        self.annotated = 0;
        Ok(())
    }

    fn existing(&self, ids: &[DocId]) -> Result<HashSet<DocId>, StoreError> {
        let mut found = HashSet::new();
        // One statement per few hundred IDs keeps under SQLite's bound-parameter limit.
        for chunk in ids.chunks(500) {
            let sql = format!(
                "SELECT id FROM articles WHERE id IN ({})",
                vec!["?"; chunk.len()].join(",")
            );
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(
                rusqlite::params_from_iter(chunk.iter().map(|id| id.as_str())),
                |r| r.get::<_, String>(0),
            )?;
            for id in rows {
                found.insert(DocId::from_string(id?));
            }
        }
        Ok(found)
    }

    fn copies(&self, id: &DocId) -> Result<Vec<DocId>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT b.id FROM articles a JOIN articles b ON b.norm_hash = a.norm_hash
             WHERE a.id = ?1 AND b.id != a.id ORDER BY b.seq",
        )?;
        let ids = stmt
            .query_map([id.as_str()], |r| r.get::<_, String>(0))?
            .map(|r| r.map(DocId::from_string))
            .collect::<Result<_, _>>()?;
        Ok(ids)
    }

    fn furniture(&self, doc: &Document) -> Result<Vec<Furniture>, StoreError> {
        let Some(outlet) = page_outlet(&doc.meta) else {
            return Ok(Vec::new());
        };
        let found: Option<(i64, i64)> = self
            .conn
            .prepare_cached("SELECT id, articles FROM outlets WHERE name = ?1")?
            .query_row([outlet], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((outlet_id, articles)) = found else {
            return Ok(Vec::new());
        };
        let mut counts = HashMap::new();
        let mut get = self
            .conn
            .prepare_cached("SELECT articles FROM paragraphs WHERE outlet = ?1 AND key = ?2")?;
        for (_, key) in short_paragraphs(doc.text()) {
            let n: Option<i64> = get
                .query_row(params![outlet_id, key as i64], |r| r.get(0))
                .optional()?;
            counts.insert(key, n.unwrap_or(0) as u64);
        }
        Ok(
            FurnitureRule::default().mark(doc.text(), outlet, articles as u64, |key| {
                counts.get(&key).copied().unwrap_or(0)
            }),
        )
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

#[cfg(test)]
mod store_defects {
    use super::*;
    use newsdesk_span::Field;

    fn article(location: &str, outlet: Option<&str>, text: &str) -> Document {
        let meta = Meta {
            outlet: outlet.map(|o| Field::new(o.to_string(), "test")),
            ..Meta::default()
        };
        Document::new(
            Source {
                location: location.into(),
                record: None,
            },
            meta,
            text.into(),
        )
    }

    fn page(i: usize) -> String {
        format!(
            "Story {i} reports at length on what the council decided about the river \
             crossing, the budget and the timetable for the works.\n\n\
             Sign up for our morning briefing\n\nStory {i} ends here."
        )
    }

    #[test]
    fn room_left_free_by_a_run_that_rewrote_the_store_is_given_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let docs: Vec<Document> = (0..40)
            .map(|i| article(&format!("{i}.txt"), None, &page(i)))
            .collect();
        let big = |_: &Document| Layers {
            sentences: (0..2000)
                .map(|i| newsdesk_span::Span::from_offsets(i, i + 1).unwrap())
                .collect(),
            ..Layers::default()
        };
        let small = |doc: &Document| Layers {
            sentences: vec![newsdesk_span::Span::new(doc.text(), 0, 5).unwrap()],
            ..Layers::default()
        };
        let put =
            |store: &mut SqliteStore, docs: &[Document], layers: &dyn Fn(&Document) -> Layers| {
                let all: Vec<(&DocId, Layers)> = docs.iter().map(|d| (d.id(), layers(d))).collect();
                let items: Vec<(&DocId, &Layers)> = all.iter().map(|(id, l)| (*id, l)).collect();
                store
                    .put_annotated(&items, &[LayerName::Sentences], &EntityChanges::default())
                    .unwrap();
            };
        // Rows that shrink leave their pages mostly empty, not free: only a rewrite gives the
        // pages back.
        let pages = |store: &SqliteStore| -> i64 {
            store
                .conn
                .pragma_query_value(None, "page_count", |r| r.get(0))
                .unwrap()
        };
        let mut store = SqliteStore::open(&path).unwrap();
        store.put_batch(&docs).unwrap();
        put(&mut store, &docs, &big);
        put(&mut store, &docs, &small);
        let full = pages(&store);
        // Another handle that rewrote a few articles of the forty leaves the room alone.
        drop(store);
        let mut few = SqliteStore::open(&path).unwrap();
        put(&mut few, &docs[..5], &small);
        few.compact().unwrap();
        assert_eq!(pages(&few), full);
        drop(few);
        let mut store = SqliteStore::open(&path).unwrap();
        put(&mut store, &docs, &small);
        store.compact().unwrap();
        // Twenty pages of large layers come down to one; each table keeps a page.
        assert!(
            pages(&store) + 15 < full,
            "{} of {full} pages",
            pages(&store)
        );
        assert_eq!(
            std::fs::metadata(&path).unwrap().len(),
            pages(&store) as u64 * PAGE_SIZE as u64
        );
        assert_eq!(
            std::fs::metadata(dir.path().join("c.db-wal"))
                .unwrap()
                .len(),
            0
        );
        assert_eq!(store.layers(docs[7].id()).unwrap(), small(&docs[7]));
    }

    #[test]
    fn furniture_is_derived_from_counts_kept_once_per_article() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let docs: Vec<Document> = (0..4)
            .map(|i| article(&format!("p{i}"), Some("Valley Post"), &page(i)))
            .collect();
        // Two articles only: too few to call anything furniture.
        store.put_batch(&docs[..2]).unwrap();
        assert!(store.furniture(&docs[0]).unwrap().is_empty());
        // Re-ingesting the same articles, in any batch, counts nothing again.
        store.put_batch(&docs[..2]).unwrap();
        store.put_batch(&docs[1..2]).unwrap();
        assert!(store.furniture(&docs[0]).unwrap().is_empty());
        store.put_batch(&docs[2..]).unwrap();
        let marked = store.furniture(&docs[0]).unwrap();
        assert_eq!(marked.len(), 1);
        assert_eq!(
            marked[0].span.slice(docs[0].text()),
            "Sign up for our morning briefing"
        );
        assert_eq!(marked[0].outlet, "Valley Post");
        assert_eq!(
            (marked[0].paragraph_articles, marked[0].outlet_articles),
            (4, 4)
        );
        // The stored text is the input's, and the layer comes with the other layers.
        assert_eq!(store.get(docs[0].id().as_str()).unwrap().unwrap(), docs[0]);
        let layers = store.layers(docs[0].id()).unwrap();
        assert_eq!(layers.furniture, marked);
        assert!(layers.is_furniture(marked[0].span));
        // Another outlet's pages print the same line without sharing its counts.
        let other = article("q", Some("Hill Times"), &page(9));
        store.put_batch(std::slice::from_ref(&other)).unwrap();
        assert!(store.furniture(&other).unwrap().is_empty());
    }

    #[test]
    fn identical_copies_are_found_by_normalised_hash_under_their_own_ids() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let a = article("a.txt", None, "Harbour reopens\n\nThe harbour reopened.");
        let b = article(
            "b.txt",
            None,
            "Harbour reopens\r\n\r\nThe harbour  reopened.\r\n",
        );
        let c = article("c.txt", None, "Harbour reopens\n\nThe harbour stayed shut.");
        store.put_batch(&[a.clone(), b.clone(), c.clone()]).unwrap();
        assert_ne!(a.id(), b.id());
        assert_eq!(store.copies(a.id()).unwrap(), vec![b.id().clone()]);
        assert_eq!(store.copies(b.id()).unwrap(), vec![a.id().clone()]);
        assert!(store.copies(c.id()).unwrap().is_empty());
    }

    #[test]
    fn known_inputs_are_found_in_one_query() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let a = article("a.txt", None, "One.");
        let b = article("b.txt", None, "Two.");
        store.put_batch(std::slice::from_ref(&a)).unwrap();
        let many: Vec<DocId> = (0..1200)
            .map(|i| DocId::for_content(None, format!("{i}").as_bytes()))
            .chain([a.id().clone(), b.id().clone()])
            .collect();
        assert_eq!(
            store.existing(&many).unwrap(),
            HashSet::from([a.id().clone()])
        );
    }

    #[test]
    fn database_error_chain_names_its_cause_once() {
        let err = StoreError::from(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            Some("database is locked".into()),
        ));
        // What a chain printer shows: each message, then each source's.
        let mut chain = err.to_string();
        let mut source = std::error::Error::source(&err);
        while let Some(s) = source {
            chain.push_str(&format!(": {s}"));
            source = s.source();
        }
        assert_eq!(chain.matches("database is locked").count(), 1, "{chain}");
    }

    #[test]
    fn open_existing_refuses_a_missing_store() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("none.db");
        let err = SqliteStore::open_existing(&path).err().expect("refused");
        assert!(matches!(err, StoreError::NoStore(_)));
        assert_eq!(err.to_string(), format!("no store at {}", path.display()));
        assert!(!path.exists(), "nothing was created");
        SqliteStore::open(&path).unwrap();
        SqliteStore::open_existing(&path).unwrap();
    }

    #[test]
    fn concurrent_first_opens_of_a_fresh_store_neither_fail_nor_lose_writes() {
        for round in 0..5 {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("race.db");
            let threads: Vec<_> = (0..8)
                .map(|i| {
                    let path = path.clone();
                    std::thread::spawn(move || -> Result<(), StoreError> {
                        let mut store = SqliteStore::open(&path)?;
                        if i % 2 == 0 {
                            let doc = article(&format!("{round}-{i}"), None, &format!("Text {i}."));
                            store.put_batch(&[doc])?;
                        } else {
                            store.summaries()?;
                            store.count()?;
                        }
                        Ok(())
                    })
                })
                .collect();
            for t in threads {
                t.join().unwrap().unwrap();
            }
            let store = SqliteStore::open_existing(&path).unwrap();
            assert_eq!(store.count().unwrap(), 4);
        }
    }

    /// A store as schema 2 wrote it: plain text, JSON layers, no hashes or counts.
    #[test]
    fn schema_2_store_opens_migrates_and_reads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let text = "Markets closed higher.\n\nSign up for our morning briefing";
        let meta = Meta {
            outlet: Some(Field::new("Valley Post".to_string(), "test")),
            ..Meta::default()
        };
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(
                "CREATE TABLE articles (
                     seq INTEGER PRIMARY KEY AUTOINCREMENT,
                     id TEXT NOT NULL UNIQUE,
                     source_location TEXT NOT NULL,
                     source_record INTEGER,
                     meta TEXT NOT NULL,
                     text TEXT NOT NULL,
                     chars INTEGER NOT NULL,
                     stored_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
                 );
                 CREATE TABLE layers (
                     doc_id TEXT NOT NULL REFERENCES articles(id),
                     name TEXT NOT NULL,
                     data TEXT NOT NULL,
                     PRIMARY KEY (doc_id, name)
                 );
                 CREATE TABLE entities (id TEXT PRIMARY KEY, data TEXT NOT NULL);
                 PRAGMA user_version = 2;",
            )
            .unwrap();
            conn.execute(
                "INSERT INTO articles (id, source_location, meta, text, chars)
                 VALUES ('00000000000000aa', 'old.txt', ?1, ?2, ?3)",
                params![serde_json::to_string(&meta).unwrap(), text, text.len()],
            )
            .unwrap();
            conn.execute_batch(
                "INSERT INTO layers VALUES ('00000000000000aa', 'sentences', '[[0,22],[24,56]]');
                 INSERT INTO layers VALUES ('00000000000000aa', 'tokens', '[[0,7],[8,14]]');
                 INSERT INTO layers VALUES ('00000000000000aa', 'entities',
                    '[{\"span\":[0,7],\"kind\":\"ORG\",\"form\":\"name\",\"score\":0.5}]');
                 INSERT INTO layers VALUES ('00000000000000aa', 'dates',
                    '[{\"span\":[8,14],\"type\":\"DATE\",\"value\":null,\"anchor\":null,\"rule\":\"t\"}]');",
            )
            .unwrap();
        }
        let mut store = SqliteStore::open(&path).unwrap();
        let doc = store.get("00000000000000aa").unwrap().unwrap();
        assert_eq!(doc.text(), text);
        let layers = store.layers(doc.id()).unwrap();
        assert_eq!(layers.sentences.len(), 2);
        assert_eq!(layers.tokens[1].slice(text), "closed");
        assert_eq!(layers.dates[0].span.slice(text), "closed");
        // The old entity layers go, so that the next annotation resolves the article into the
        // incremental entity tables; the article is pending again.
        assert!(layers.entities.is_empty());
        let pending = store
            .pending_annotation(&[LayerName::Entities], false)
            .unwrap();
        assert_eq!(pending.len(), 1);
        // Old rows were hashed and counted by the migration.
        let copy = article("new.txt", None, &format!("{text}\n"));
        store.put_batch(std::slice::from_ref(&copy)).unwrap();
        assert_eq!(store.copies(copy.id()).unwrap(), vec![doc.id().clone()]);
        let outlets: i64 = store
            .conn
            .query_row(
                "SELECT articles FROM outlets WHERE name = 'Valley Post'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(outlets, 1);
        drop(store);
        let version: i64 = Connection::open(&path)
            .unwrap()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
    }
}
