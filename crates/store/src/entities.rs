//! Canonical entities kept for incremental resolution, and annotation failures.
//!
//! An entity is stored once (`canonical_entities`, in creation order), found through the keys of
//! its names and of its ID (`canonical_keys`: a batch loads only the entities its names can
//! join, never the whole table), and counted per article (`canonical_counts`, one blob an
//! article), so that re-annotating an article replaces its counts instead of adding to them and
//! an entity's record does not grow with the number of articles that mention it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use newsdesk_span::{DocId, LayerName, Layers, Source};
use rayon::prelude::*;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use crate::{codec, EntityRecord, StoreError};

pub(crate) fn ensure_schema(conn: &Connection) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS canonical_entities (
             seq INTEGER PRIMARY KEY AUTOINCREMENT,
             data BLOB NOT NULL
         );
         CREATE TABLE IF NOT EXISTS canonical_keys (
             key INTEGER NOT NULL,
             entity INTEGER NOT NULL,
             PRIMARY KEY (key, entity)
         ) WITHOUT ROWID;
         CREATE TABLE IF NOT EXISTS canonical_counts (
             article INTEGER PRIMARY KEY,
             data BLOB NOT NULL
         );
         CREATE TABLE IF NOT EXISTS annotation_failures (
             doc_id TEXT PRIMARY KEY,
             reason TEXT NOT NULL,
             failed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
         );",
    )?;
    Ok(())
}

/// The canonical tables as schema 5 laid them out, which the migration from schema 3 writes
/// before [`migrate_to_records`] turns them into the current ones.
const SCHEMA_5: &str = "CREATE TABLE canonical_entities (
         seq INTEGER PRIMARY KEY AUTOINCREMENT,
         id TEXT NOT NULL UNIQUE,
         data BLOB NOT NULL
     );
     CREATE TABLE canonical_keys (
         key INTEGER NOT NULL,
         entity INTEGER NOT NULL,
         PRIMARY KEY (key, entity)
     ) WITHOUT ROWID;
     CREATE TABLE canonical_mentions (
         article INTEGER NOT NULL,
         entity INTEGER NOT NULL,
         mentions INTEGER NOT NULL,
         PRIMARY KEY (article, entity)
     ) WITHOUT ROWID;";

/// The integer under which a name key is stored. Keys only find candidate entities, which the
/// resolver then compares by their names, so two keys sharing a hash (odds of 2^-48 per pair)
/// would load one entity too many, never merge one wrongly. As text, keys took 13 bytes each
/// and their table was a tenth of a store. The top 48 bits of the hash are kept (SQLite
/// stores them in six bytes, not eight); schema 5 kept all 64, and [`key_of_v5`] folds those.
fn key_hash(key: &str) -> i64 {
    key_of_v5(xxhash_rust::xxh3::xxh3_64(key.as_bytes()) as i64)
}

fn key_of_v5(hash: i64) -> i64 {
    hash >> 16
}

/// The key under which an entity is found by its ID, in the same table as its name keys: a
/// 32-bit hash (four bytes), whose candidates are checked against the IDs they decode to, so a
/// collision costs one more record read, never a wrong row. A name key falls in the 32-bit
/// range once in 65,536, so the two kinds of key meet about as rarely as two name keys do.
fn id_key(id: &str) -> i64 {
    (xxhash_rust::xxh3::xxh3_64_with_seed(id.as_bytes(), 0x1d) as i64) >> 32
}

/// The name key an entity whose ID is made of its name's words ("per:ada-moreno") is most
/// likely stored under already: the words after the kind, as the resolver's exact-name keys
/// spell them ("n:ada moreno"). An entity written with that key among its keys is found
/// through it and needs no [`id_key`] row, which most entities then do without (7,686 rows,
/// 90 KB, on 976 BBC articles). Nothing depends on the resolver keeping that spelling: the key
/// is checked among those written before the row is left out, and a lookup by ID tries both
/// keys and compares the IDs the candidates decode to.
fn name_key_of_id(id: &str) -> Option<String> {
    let (_, words) = id.split_once(':')?;
    Some(format!("n:{}", words.replace('-', " ")))
}

/// The keys a lookup of `id` tries: its own, and that of [`name_key_of_id`].
fn id_lookup_keys(id: &str) -> (i64, i64) {
    let by_name = name_key_of_id(id).map_or(id_key(id), |k| key_hash(&k));
    (id_key(id), by_name)
}

/// Schema 5: the canonical tables refer to entities and articles by row number instead of
/// their text IDs, keys are hashed, and entity records are compact blobs. The three tables and
/// the index on mentions by article were 54% of a store of 1,000 annotated BBC articles
/// (3.7 of 6.8 MB); the mentions table is keyed by article first, which is how a
/// re-annotation deletes from it, so the listing by entity sorts in memory instead of keeping
/// a second index.
pub(crate) fn migrate_to_row_keys(tx: &Connection) -> Result<(), StoreError> {
    let old: bool = tx
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'canonical_entities'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map(|n| n > 0)?;
    if !old {
        return Ok(());
    }
    tx.execute_batch(
        "ALTER TABLE canonical_entities RENAME TO old_entities;
         ALTER TABLE canonical_keys RENAME TO old_keys;
         ALTER TABLE canonical_mentions RENAME TO old_mentions;
         DROP INDEX IF EXISTS canonical_mentions_doc;",
    )?;
    tx.execute_batch(SCHEMA_5)?;
    {
        let mut read = tx.prepare("SELECT seq, id, data FROM old_entities ORDER BY seq")?;
        let mut write =
            tx.prepare("INSERT INTO canonical_entities (seq, id, data) VALUES (?1, ?2, ?3)")?;
        let mut rows = read.query([])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(1)?;
            let state = codec::decode_entity(id.clone(), row.get_ref(2)?)?;
            write.execute(params![
                row.get::<_, i64>(0)?,
                id,
                codec::encode_entity(&state)
            ])?;
        }
    }
    {
        let mut read = tx.prepare(
            "SELECT k.key, e.seq FROM old_keys k JOIN canonical_entities e ON e.id = k.entity",
        )?;
        let mut write =
            tx.prepare("INSERT OR IGNORE INTO canonical_keys (key, entity) VALUES (?1, ?2)")?;
        let mut rows = read.query([])?;
        while let Some(row) = rows.next()? {
            write.execute(params![
                xxhash_rust::xxh3::xxh3_64(row.get::<_, String>(0)?.as_bytes()) as i64,
                row.get::<_, i64>(1)?
            ])?;
        }
    }
    tx.execute_batch(
        "INSERT OR REPLACE INTO canonical_mentions (article, entity, mentions)
             SELECT a.seq, e.seq, m.mentions FROM old_mentions m
             JOIN articles a ON a.id = m.doc_id
             JOIN canonical_entities e ON e.id = m.entity;
         DROP TABLE old_entities;
         DROP TABLE old_keys;
         DROP TABLE old_mentions;",
    )?;
    Ok(())
}

/// Schema 6: an entity's ID is inside its record (and left out where the record's kind and
/// name give it), found through a hash among the name keys instead of a unique index; name
/// keys are 48-bit hashes; an article's mention counts are one blob. On 976 BBC articles the
/// canonical tables went from 1.18 MB (entities 0.52, their ID index 0.21, keys 0.25,
/// mentions 0.20) to the figures in bench/runs/2026-12-04-store-size.md.
pub(crate) fn migrate_to_records(tx: &Connection) -> Result<(), StoreError> {
    let v5: bool = tx
        .query_row(
            "SELECT COUNT(*) FROM pragma_table_info('canonical_entities') WHERE name = 'id'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map(|n| n > 0)?;
    if !v5 {
        return Ok(());
    }
    // Row numbers are kept, and so is the highest one ever given: entities layers name
    // entities by row, and a row given again would make a mention stored before a clearing
    // name another entity.
    let top: Option<i64> = tx
        .query_row(
            "SELECT seq FROM sqlite_sequence WHERE name = 'canonical_entities'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    tx.execute_batch(
        "ALTER TABLE canonical_entities RENAME TO v5_entities;
         ALTER TABLE canonical_keys RENAME TO v5_keys;",
    )?;
    ensure_schema(tx)?;
    {
        let mut read = tx.prepare("SELECT key, entity FROM v5_keys")?;
        let mut write =
            tx.prepare("INSERT OR IGNORE INTO canonical_keys (key, entity) VALUES (?1, ?2)")?;
        let mut rows = read.query([])?;
        while let Some(row) = rows.next()? {
            write.execute(params![key_of_v5(row.get(0)?), row.get::<_, i64>(1)?])?;
        }
    }
    {
        let mut read = tx.prepare("SELECT seq, id, data FROM v5_entities ORDER BY seq")?;
        let mut write = tx.prepare("INSERT INTO canonical_entities (seq, data) VALUES (?1, ?2)")?;
        let mut key =
            tx.prepare("INSERT OR IGNORE INTO canonical_keys (key, entity) VALUES (?1, ?2)")?;
        let mut has = tx.prepare("SELECT 1 FROM canonical_keys WHERE key = ?1 AND entity = ?2")?;
        let mut rows = read.query([])?;
        while let Some(row) = rows.next()? {
            let seq: i64 = row.get(0)?;
            let state = codec::decode_entity(row.get(1)?, row.get_ref(2)?)?;
            write.execute(params![seq, codec::encode_entity_record(&state)])?;
            let by_name = id_lookup_keys(&state.id).1;
            if !has.exists(params![by_name, seq])? {
                key.execute(params![id_key(&state.id), seq])?;
            }
        }
    }
    {
        let mut read = tx.prepare(
            "SELECT article, entity, mentions FROM canonical_mentions ORDER BY article, entity",
        )?;
        let mut write =
            tx.prepare("INSERT INTO canonical_counts (article, data) VALUES (?1, ?2)")?;
        let mut rows = read.query([])?;
        let mut current: Option<(i64, BTreeMap<i64, u64>)> = None;
        while let Some(row) = rows.next()? {
            let (article, entity, n): (i64, i64, i64) = (row.get(0)?, row.get(1)?, row.get(2)?);
            if let Some((a, counts)) = current.take_if(|(a, _)| *a != article) {
                write.execute(params![a, codec::encode_counts(&counts)])?;
            }
            current
                .get_or_insert_with(|| (article, BTreeMap::new()))
                .1
                .insert(entity, n as u64);
        }
        if let Some((a, counts)) = current {
            write.execute(params![a, codec::encode_counts(&counts)])?;
        }
    }
    tx.execute_batch(
        "DROP TABLE v5_entities;
         DROP TABLE v5_keys;
         DROP TABLE canonical_mentions;",
    )?;
    if let Some(top) = top {
        tx.execute(
            "UPDATE sqlite_sequence SET seq = MAX(seq, ?1) WHERE name = 'canonical_entities'",
            [top],
        )?;
        tx.execute(
            "INSERT INTO sqlite_sequence (name, seq) SELECT 'canonical_entities', ?1
             WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'canonical_entities')",
            [top],
        )?;
    }
    Ok(())
}

/// What is known of a canonical entity apart from its counts, as the resolver needs it.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EntityState {
    pub id: String,
    pub kind: String,
    pub canonical: String,
    pub aliases: BTreeSet<String>,
    pub titles: BTreeSet<String>,
    pub roles: BTreeSet<String>,
    pub nationality: Option<String>,
    /// Mentions per kind the recogniser gave.
    #[serde(default)]
    pub votes: BTreeMap<String, usize>,
}

/// A batch's resolution, written with its layers: the entities it created or changed (with
/// the keys of their names), and per (entity, article) the mentions.
#[derive(Clone, Debug, Default)]
pub struct EntityChanges {
    pub entities: Vec<(EntityState, Vec<String>)>,
    pub mentions: Vec<(String, String, usize)>,
}

/// An article waiting for annotation, with its length in characters (a lower bound of its
/// bytes, known without reading the text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    pub id: DocId,
    pub source: Source,
    pub chars: usize,
}

pub(crate) fn pending(
    conn: &Connection,
    names: &[LayerName],
    all: bool,
) -> Result<Vec<Pending>, StoreError> {
    let rows = |sql: &str| -> Result<Vec<Pending>, StoreError> {
        let mut stmt = conn.prepare(sql)?;
        let list = stmt
            .query_map([], |r| {
                Ok(Pending {
                    id: DocId::from_string(r.get::<_, String>(0)?),
                    chars: r.get::<_, i64>(1)? as usize,
                    source: Source {
                        location: r.get(2)?,
                        record: r.get::<_, Option<i64>>(3)?.map(|n| n as u64),
                    },
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(list)
    };
    if all {
        return rows("SELECT id, chars, source_location, source_record FROM articles ORDER BY seq");
    }
    // An article whose annotation failed is not retried by every run (it would fail again);
    // `annotate --all` retries it.
    rows(&format!(
        "SELECT id, chars, source_location, source_record FROM articles a
         WHERE (SELECT COUNT(*) FROM layers l WHERE l.key IN {}) < {}
           AND NOT EXISTS (SELECT 1 FROM annotation_failures f WHERE f.doc_id = a.id)
         ORDER BY seq",
        crate::layer_keys_sql("a.seq", names),
        names.len()
    ))
}

pub(crate) fn by_keys(conn: &Connection, keys: &[String]) -> Result<Vec<EntityState>, StoreError> {
    let mut find = conn.prepare_cached("SELECT entity FROM canonical_keys WHERE key = ?1")?;
    let mut seqs = BTreeSet::new();
    for key in keys {
        for seq in find.query_map([key_hash(key)], |r| r.get::<_, i64>(0))? {
            seqs.insert(seq?);
        }
    }
    let mut get = conn.prepare_cached("SELECT data FROM canonical_entities WHERE seq = ?1")?;
    let mut found = Vec::with_capacity(seqs.len());
    // Row numbers are creation order, and the set iterates in it.
    for seq in seqs {
        let mut rows = get.query([seq])?;
        if let Some(row) = rows.next()? {
            found.push(codec::decode_entity_record(row.get_ref(0)?)?);
        }
    }
    Ok(found)
}

/// Layers, entity changes and the clearing of earlier failures in one transaction: a killed
/// run leaves either all of a batch or none of it, so counts are never doubled or orphaned.
/// Entities are written first, so that the layers can name them by row.
pub(crate) fn put_annotated(
    conn: &mut Connection,
    items: &[(&DocId, &Layers)],
    names: &[LayerName],
    changes: &EntityChanges,
) -> Result<(), StoreError> {
    // Layers that need nothing from the store are encoded before the transaction, in
    // parallel: the runs call this on rayon's pool while the next batch is annotated there, so
    // a thread that runs out of annotation work takes up encoding instead of waiting for the
    // writer. Encoding was a quarter of storing a batch.
    let encoded: Vec<Vec<(LayerName, Vec<u8>)>> = items
        .par_iter()
        .map(|(_, layers)| {
            names
                .iter()
                .filter(|n| standalone(**n))
                .map(|n| {
                    Ok((
                        *n,
                        codec::encode_layer(None, layers, *n, &mut |_| Ok(None))?,
                    ))
                })
                .collect::<Result<_, StoreError>>()
        })
        .collect::<Result<_, StoreError>>()?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    {
        let mut insert =
            tx.prepare_cached("INSERT INTO canonical_entities (data) VALUES (?1) RETURNING seq")?;
        let mut update =
            tx.prepare_cached("UPDATE canonical_entities SET data = ?2 WHERE seq = ?1")?;
        let mut key = tx
            .prepare_cached("INSERT OR IGNORE INTO canonical_keys (key, entity) VALUES (?1, ?2)")?;
        let mut rows = EntityRows::new(&tx);
        for (e, keys) in &changes.entities {
            let data = codec::encode_entity_record(e);
            let seq = match rows.row(&e.id)? {
                Some(seq) => {
                    update.execute(params![seq, data])?;
                    seq
                }
                None => {
                    let seq: i64 = insert.query_row([data], |r| r.get(0))?;
                    let by_name = name_key_of_id(&e.id);
                    if !keys.iter().any(|k| Some(k) == by_name.as_ref()) {
                        key.execute(params![id_key(&e.id), seq])?;
                    }
                    rows.known.insert(e.id.clone(), Some(seq));
                    seq
                }
            };
            for k in keys {
                key.execute(params![key_hash(k), seq])?;
            }
        }
        let mut forget = tx.prepare_cached(
            "DELETE FROM canonical_counts
             WHERE article = (SELECT seq FROM articles WHERE id = ?1)",
        )?;
        let mut cleared = tx.prepare_cached("DELETE FROM annotation_failures WHERE doc_id = ?1")?;
        for ((id, layers), encoded) in items.iter().zip(encoded) {
            put_layer_rows(&tx, id, layers, names, &mut rows, encoded)?;
            forget.execute([id.as_str()])?;
            cleared.execute([id.as_str()])?;
        }
        let mut article_row = tx.prepare_cached("SELECT seq FROM articles WHERE id = ?1")?;
        let mut article_rows: HashMap<&str, Option<i64>> = HashMap::new();
        // A later count of the same entity and article replaces an earlier one, as the rows
        // of the table of counts did.
        let mut per_article: BTreeMap<i64, BTreeMap<i64, u64>> = BTreeMap::new();
        for (entity, doc, n) in &changes.mentions {
            let entity_seq = rows.row(entity)?;
            let article_seq = match article_rows.get(doc.as_str()) {
                Some(seq) => *seq,
                None => {
                    let seq = article_row.query_row([doc], |r| r.get(0)).optional()?;
                    article_rows.insert(doc, seq);
                    seq
                }
            };
            // Counts of an entity or article the store does not hold were never listed (the
            // listing starts from the entities); with row keys they cannot be written at all.
            if let (Some(e), Some(a)) = (entity_seq, article_seq) {
                per_article.entry(a).or_default().insert(e, *n as u64);
            }
        }
        let mut stored =
            tx.prepare_cached("SELECT data FROM canonical_counts WHERE article = ?1")?;
        let mut put = tx.prepare_cached(
            "INSERT OR REPLACE INTO canonical_counts (article, data) VALUES (?1, ?2)",
        )?;
        for (article, new) in per_article {
            let mut counts = match stored
                .query_row([article], |r| r.get::<_, Vec<u8>>(0))
                .optional()?
            {
                Some(blob) => codec::decode_counts(rusqlite::types::ValueRef::Blob(&blob))?,
                None => BTreeMap::new(),
            };
            counts.extend(new);
            put.execute(params![article, codec::encode_counts(&counts)])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// Row numbers of canonical entities by ID, looked up once per batch.
pub(crate) struct EntityRows<'c> {
    conn: &'c Connection,
    known: HashMap<String, Option<i64>>,
}

impl<'c> EntityRows<'c> {
    pub(crate) fn new(conn: &'c Connection) -> EntityRows<'c> {
        EntityRows {
            conn,
            known: HashMap::new(),
        }
    }

    fn row(&mut self, id: &str) -> Result<Option<i64>, StoreError> {
        if let Some(seq) = self.known.get(id) {
            return Ok(*seq);
        }
        let mut find = self.conn.prepare_cached(
            "SELECT e.seq, e.data FROM canonical_keys k JOIN canonical_entities e ON e.seq = k.entity
             WHERE k.key IN (?1, ?2) ORDER BY e.seq",
        )?;
        let (own, by_name) = id_lookup_keys(id);
        let mut rows = find.query([own, by_name])?;
        let mut seq = None;
        while let Some(row) = rows.next()? {
            // Name keys and other IDs may share the hash: the record says whose it is.
            if codec::decode_entity_id(row.get_ref(1)?)? == id {
                seq = Some(row.get(0)?);
                break;
            }
        }
        self.known.insert(id.to_string(), seq);
        Ok(seq)
    }
}

/// The IDs of canonical entities by their rows, for reading entities layers; each row is
/// read once however many mentions name it (a batch of articles names the same entities over
/// and over: a query per mention was a tenth of a connect run).
pub(crate) struct EntityIds<'c> {
    conn: &'c Connection,
    known: HashMap<i64, Option<String>>,
}

impl<'c> EntityIds<'c> {
    pub(crate) fn new(conn: &'c Connection) -> EntityIds<'c> {
        EntityIds {
            conn,
            known: HashMap::new(),
        }
    }

    pub(crate) fn get(&mut self, seq: i64) -> Result<Option<String>, StoreError> {
        if let Some(id) = self.known.get(&seq) {
            return Ok(id.clone());
        }
        let mut get = self
            .conn
            .prepare_cached("SELECT data FROM canonical_entities WHERE seq = ?1")?;
        let mut rows = get.query([seq])?;
        let id = match rows.next()? {
            Some(row) => Some(codec::decode_entity_id(row.get_ref(0)?)?),
            None => None,
        };
        self.known.insert(seq, id.clone());
        Ok(id)
    }
}

/// Whether a layer is encoded without the store: not tokens (derived from the stored text)
/// nor entities (which name entities by their rows).
fn standalone(name: LayerName) -> bool {
    !matches!(name, LayerName::Tokens | LayerName::Entities)
}

/// Writes the named layers of one article, replacing earlier ones, with the [`standalone`]
/// ones already `encoded` (or encoded here when not given); nothing when the article is not
/// stored. The text is read only when tokens are written with the sentences they are
/// derived from (a token layer written alone is stored as spans: its sentences on read would
/// be other ones than `layers` holds).
pub(crate) fn put_layer_rows(
    conn: &Connection,
    id: &DocId,
    layers: &Layers,
    names: &[LayerName],
    entity_rows: &mut EntityRows<'_>,
    mut encoded: Vec<(LayerName, Vec<u8>)>,
) -> Result<(), StoreError> {
    let tokens = names.contains(&LayerName::Tokens) && names.contains(&LayerName::Sentences);
    let mut article = conn.prepare_cached(if tokens {
        "SELECT seq, text FROM articles WHERE id = ?1"
    } else {
        "SELECT seq, NULL FROM articles WHERE id = ?1"
    })?;
    let mut rows = article.query([id.as_str()])?;
    let Some(row) = rows.next()? else {
        return Ok(());
    };
    let seq: i64 = row.get(0)?;
    let text = if tokens {
        Some(codec::decode_text(row.get_ref(1)?)?)
    } else {
        None
    };
    let mut put =
        conn.prepare_cached("INSERT OR REPLACE INTO layers (key, data) VALUES (?1, ?2)")?;
    for name in names {
        let data = match encoded.iter().position(|(n, _)| n == name) {
            Some(i) => encoded.swap_remove(i).1,
            None => codec::encode_layer(text.as_deref(), layers, *name, &mut |id| {
                entity_rows.row(id)
            })?,
        };
        put.execute(params![crate::layer_key(seq, *name), data])?;
    }
    Ok(())
}

pub(crate) fn clear(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch(
        "DELETE FROM canonical_entities; DELETE FROM canonical_keys; DELETE FROM canonical_counts;",
    )?;
    tx.commit()?;
    Ok(())
}

pub(crate) fn list(conn: &Connection) -> Result<Vec<EntityRecord>, StoreError> {
    let mut counts: HashMap<i64, (usize, Vec<String>)> = HashMap::new();
    {
        let mut stmt = conn.prepare(
            "SELECT a.id, c.data FROM canonical_counts c JOIN articles a ON a.seq = c.article",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let article: String = row.get(0)?;
            for (entity, n) in codec::decode_counts(row.get_ref(1)?)? {
                let c = counts.entry(entity).or_default();
                c.0 += n as usize;
                c.1.push(article.clone());
            }
        }
    }
    let mut stmt = conn.prepare("SELECT seq, data FROM canonical_entities")?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let e = codec::decode_entity_record(row.get_ref(1)?)?;
        let (mentions, mut articles) = counts.remove(&row.get::<_, i64>(0)?).unwrap_or_default();
        articles.sort_unstable();
        out.push(EntityRecord {
            id: e.id,
            canonical: e.canonical,
            kind: e.kind,
            aliases: e.aliases.into_iter().collect(),
            titles: e.titles.into_iter().collect(),
            roles: e.roles.into_iter().collect(),
            nationality: e.nationality,
            mentions,
            articles,
        });
    }
    // By ID, as SQLite's binary collation ordered them when the ID was a column: byte order,
    // which is the order of Rust's strings.
    out.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

pub(crate) fn record_failure(
    conn: &Connection,
    id: &DocId,
    reason: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT OR REPLACE INTO annotation_failures (doc_id, reason) VALUES (?1, ?2)",
        params![id.as_str(), reason],
    )?;
    Ok(())
}

pub(crate) fn failure(conn: &Connection, id: &DocId) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT reason FROM annotation_failures WHERE doc_id = ?1",
            [id.as_str()],
            |r| r.get(0),
        )
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SqliteStore, Store};

    /// A store as schema 3 left it: canonical tables keyed by text IDs, entities as JSON.
    fn schema_3_store(path: &std::path::Path) {
        let conn = Connection::open(path).unwrap();
        conn.execute_batch(
            "CREATE TABLE articles (
                 seq INTEGER PRIMARY KEY AUTOINCREMENT,
                 id TEXT NOT NULL UNIQUE,
                 source_location TEXT NOT NULL,
                 source_record INTEGER,
                 meta TEXT NOT NULL,
                 text TEXT NOT NULL,
                 chars INTEGER NOT NULL,
                 stored_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
                 norm_hash TEXT
             );
             CREATE TABLE outlets (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
                 articles INTEGER NOT NULL);
             CREATE TABLE paragraphs (outlet INTEGER NOT NULL, key INTEGER NOT NULL,
                 articles INTEGER NOT NULL, PRIMARY KEY (outlet, key)) WITHOUT ROWID;
             CREATE TABLE layers (article INTEGER NOT NULL, name TEXT NOT NULL,
                 data BLOB NOT NULL, PRIMARY KEY (article, name));
             CREATE TABLE canonical_entities (seq INTEGER PRIMARY KEY AUTOINCREMENT,
                 id TEXT NOT NULL UNIQUE, data TEXT NOT NULL);
             CREATE TABLE canonical_keys (key TEXT NOT NULL, entity TEXT NOT NULL,
                 PRIMARY KEY (key, entity)) WITHOUT ROWID;
             CREATE TABLE canonical_mentions (entity TEXT NOT NULL, doc_id TEXT NOT NULL,
                 mentions INTEGER NOT NULL, PRIMARY KEY (entity, doc_id)) WITHOUT ROWID;
             CREATE INDEX canonical_mentions_doc ON canonical_mentions (doc_id);
             CREATE TABLE annotation_failures (doc_id TEXT PRIMARY KEY, reason TEXT NOT NULL,
                 failed_at TEXT NOT NULL DEFAULT '');
             INSERT INTO articles (id, source_location, meta, text, chars) VALUES
                 ('00000000000000aa', 'a.txt', '{}', 'Ada Moreno spoke. Moreno left.', 31),
                 ('00000000000000bb', 'b.txt', '{}', 'Ada Moreno returned.', 20);
             INSERT INTO canonical_entities (id, data) VALUES
                 ('loc:harbour', '{\"id\":\"loc:harbour\",\"kind\":\"LOC\",\"canonical\":\"Harbour\",\"aliases\":[\"Harbour\"],\"titles\":[],\"roles\":[],\"nationality\":null}'),
                 ('per:ada-moreno', '{\"id\":\"per:ada-moreno\",\"kind\":\"PER\",\"canonical\":\"Ada Moreno\",\"aliases\":[\"Ada Moreno\",\"Moreno\"],\"titles\":[\"Dr\"],\"roles\":[\"mayor\"],\"nationality\":\"ES\",\"votes\":{\"PER\":3}}');
             INSERT INTO canonical_keys VALUES ('ada moreno', 'per:ada-moreno'),
                 ('harbour', 'loc:harbour');
             INSERT INTO canonical_mentions VALUES ('per:ada-moreno', '00000000000000bb', 1),
                 ('per:ada-moreno', '00000000000000aa', 2);
             PRAGMA user_version = 3;",
        )
        .unwrap();
    }

    #[test]
    fn schema_3_canonical_tables_migrate_to_row_keys_and_read_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        schema_3_store(&path);
        let mut store = SqliteStore::open(&path).unwrap();
        let listed = store.entities().unwrap();
        assert_eq!(listed.len(), 2);
        let ada = &listed[1];
        assert_eq!(
            (ada.id.as_str(), ada.canonical.as_str(), ada.mentions),
            ("per:ada-moreno", "Ada Moreno", 3)
        );
        assert_eq!(ada.aliases, ["Ada Moreno", "Moreno"]);
        assert_eq!(
            (ada.titles.clone(), ada.roles.clone()),
            (vec!["Dr".to_string()], vec!["mayor".to_string()])
        );
        assert_eq!(ada.nationality.as_deref(), Some("ES"));
        assert_eq!(ada.articles, ["00000000000000aa", "00000000000000bb"]);
        assert_eq!((listed[0].mentions, listed[0].articles.len()), (0, 0));
        // Keys written as text are found by the same key now stored as its hash.
        let found = store.entities_by_keys(&["ada moreno".to_string()]).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].votes, BTreeMap::from([("PER".to_string(), 3)]));
        // Re-annotating an article replaces its counts through the row keys.
        let id = DocId::from_string("00000000000000aa".to_string());
        let changes = EntityChanges {
            entities: vec![],
            mentions: vec![("per:ada-moreno".into(), id.to_string(), 5)],
        };
        store
            .put_annotated(&[(&id, &Layers::default())], &[], &changes)
            .unwrap();
        assert_eq!(store.entities().unwrap()[1].mentions, 6);
        let version: i64 = store
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, crate::SCHEMA_VERSION);
    }

    /// A store as schema 5 left it: entity IDs in a column with a unique index, 64-bit name
    /// keys, a row per (article, entity) count. Entity 3 was created and then cleared, so
    /// that the sequence is ahead of the rows, and the second article's layer still names it.
    fn schema_5_store(path: &std::path::Path) -> (DocId, DocId) {
        let conn = Connection::open(path).unwrap();
        conn.execute_batch(
            "CREATE TABLE articles (
                 seq INTEGER PRIMARY KEY AUTOINCREMENT,
                 id TEXT NOT NULL UNIQUE,
                 source_location TEXT NOT NULL,
                 source_record INTEGER,
                 meta TEXT NOT NULL,
                 text TEXT NOT NULL,
                 chars INTEGER NOT NULL,
                 stored_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
                 norm_hash TEXT
             );
             CREATE INDEX articles_norm_hash ON articles(norm_hash);
             CREATE TABLE outlets (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
                 articles INTEGER NOT NULL);
             CREATE TABLE paragraphs (outlet INTEGER NOT NULL, key INTEGER NOT NULL,
                 articles INTEGER NOT NULL, PRIMARY KEY (outlet, key)) WITHOUT ROWID;
             CREATE TABLE layers (article INTEGER NOT NULL, name TEXT NOT NULL,
                 data BLOB NOT NULL, PRIMARY KEY (article, name));
             CREATE TABLE annotation_failures (doc_id TEXT PRIMARY KEY, reason TEXT NOT NULL,
                 failed_at TEXT NOT NULL DEFAULT '');",
        )
        .unwrap();
        conn.execute_batch(crate::corpus::SCHEMA).unwrap();
        conn.execute_batch(SCHEMA_5).unwrap();
        let texts = [
            "Dr Ada Moreno spoke in Harbour. Moreno left.",
            "Ada Moreno returned.",
        ];
        let mut ids = Vec::new();
        for (i, text) in texts.iter().enumerate() {
            let id = DocId::from_string(format!("00000000000000a{i}"));
            conn.execute(
                "INSERT INTO articles (id, source_location, meta, text, chars, norm_hash)
                 VALUES (?1, ?2, '{}', ?3, ?4, ?5)",
                params![
                    id.as_str(),
                    format!("{i}.txt"),
                    codec::encode_text(text),
                    text.chars().count() as i64,
                    newsdesk_span::normalized_hash(text)
                ],
            )
            .unwrap();
            ids.push(id);
        }
        let state = |id: &str, kind: &str, canonical: &str, aliases: &[&str]| EntityState {
            id: id.into(),
            kind: kind.into(),
            canonical: canonical.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            votes: BTreeMap::from([(kind.to_string(), 2)]),
            ..EntityState::default()
        };
        let entities = [
            (
                1,
                state(
                    "per:ada-moreno",
                    "PER",
                    "Ada Moreno",
                    &["Ada Moreno", "Moreno"],
                ),
            ),
            // Renamed since it was created: its ID is not its name's.
            (
                2,
                state("loc:harbor", "LOC", "Harbour", &["Harbor", "Harbour"]),
            ),
        ];
        for (seq, e) in &entities {
            conn.execute(
                "INSERT INTO canonical_entities (seq, id, data) VALUES (?1, ?2, ?3)",
                params![seq, e.id, codec::encode_entity(e)],
            )
            .unwrap();
        }
        conn.execute_batch(
            "UPDATE sqlite_sequence SET seq = 3 WHERE name = 'canonical_entities';
             INSERT INTO canonical_mentions VALUES (1, 1, 2), (1, 2, 1), (2, 1, 1), (2, 2, 0);
             PRAGMA user_version = 5;",
        )
        .unwrap();
        for (key, entity) in [("ada moreno", 1), ("moreno", 1), ("harbour", 2)] {
            conn.execute(
                "INSERT INTO canonical_keys (key, entity) VALUES (?1, ?2)",
                params![xxhash_rust::xxh3::xxh3_64(key.as_bytes()) as i64, entity],
            )
            .unwrap();
        }
        let span = |text: &str, s, e| newsdesk_span::Span::new(text, s, e).unwrap();
        let mention = |span, entity: &str| newsdesk_span::EntityMention {
            span,
            kind: newsdesk_span::EntityKind::Per,
            form: newsdesk_span::MentionForm::Name,
            titles: vec![],
            antecedent: None,
            entity: Some(entity.into()),
            score: 0.9,
        };
        let rows = |id: &str| {
            Ok(match id {
                "per:ada-moreno" => Some(1),
                "loc:harbor" => Some(2),
                _ => Some(3),
            })
        };
        let layers = [
            vec![
                mention(span(texts[0], 3, 13), "per:ada-moreno"),
                mention(span(texts[0], 23, 30), "loc:harbor"),
                mention(span(texts[0], 32, 38), "per:ada-moreno"),
            ],
            vec![mention(span(texts[1], 0, 10), "org:cleared")],
        ];
        for (seq, mentions) in layers.iter().enumerate() {
            conn.execute(
                "INSERT INTO layers (article, name, data) VALUES (?1, 'entities', ?2)",
                params![
                    seq as i64 + 1,
                    codec::encode_entities(mentions, &mut |id| rows(id)).unwrap()
                ],
            )
            .unwrap();
        }
        (ids[0].clone(), ids[1].clone())
    }

    #[test]
    fn schema_5_store_migrates_to_records_with_ids_rows_and_counts_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v5.db");
        let (a, b) = schema_5_store(&path);
        let mut store = SqliteStore::open(&path).unwrap();
        let listed = store.entities().unwrap();
        let summary: Vec<(&str, &str, usize, usize)> = listed
            .iter()
            .map(|e| {
                (
                    e.id.as_str(),
                    e.canonical.as_str(),
                    e.mentions,
                    e.articles.len(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("loc:harbor", "Harbour", 1, 2),
                ("per:ada-moreno", "Ada Moreno", 3, 2)
            ]
        );
        assert_eq!(listed[1].aliases, ["Ada Moreno", "Moreno"]);
        let first = store.layers(&a).unwrap();
        let named: Vec<Option<&str>> = first.entities.iter().map(|m| m.entity.as_deref()).collect();
        assert_eq!(
            named,
            [
                Some("per:ada-moreno"),
                Some("loc:harbor"),
                Some("per:ada-moreno")
            ]
        );
        // Layer rows keep their article and name under the one-integer key.
        assert!(store.missing_layer(LayerName::Entities).unwrap().is_empty());
        assert_eq!(store.missing_layer(LayerName::Sentences).unwrap().len(), 2);
        assert_eq!(
            store
                .pending_annotation(&[LayerName::Entities, LayerName::Dates], false)
                .unwrap()
                .len(),
            2
        );
        // Name keys stored as 64-bit hashes are found by the key.
        let found = store.entities_by_keys(&["moreno".to_string()]).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].id, "per:ada-moreno");
        // A new entity does not take the row of the cleared one the second article names.
        let changes = EntityChanges {
            entities: vec![(
                EntityState {
                    id: "org:port-board".into(),
                    kind: "ORG".into(),
                    canonical: "Port Board".into(),
                    ..EntityState::default()
                },
                vec!["port board".into()],
            )],
            mentions: vec![("org:port-board".into(), b.to_string(), 1)],
        };
        store.put_annotated(&[], &[], &changes).unwrap();
        assert_eq!(store.layers(&b).unwrap().entities[0].entity, None);
        // An entity written again by ID is updated in place, not stored twice.
        let mut renamed = found[0].clone();
        renamed.canonical = "Ada Moreno-Ruiz".into();
        let changes = EntityChanges {
            entities: vec![(renamed, vec![])],
            mentions: vec![],
        };
        store.put_annotated(&[], &[], &changes).unwrap();
        let listed = store.entities().unwrap();
        assert_eq!(listed.len(), 3);
        let ada = listed.iter().find(|e| e.id == "per:ada-moreno").unwrap();
        assert_eq!(
            (ada.canonical.as_str(), ada.mentions),
            ("Ada Moreno-Ruiz", 3)
        );
        let version: i64 = store
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, crate::SCHEMA_VERSION);
    }

    #[test]
    fn entities_under_their_exact_name_key_are_found_by_id_without_a_row_of_their_own() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let doc = stored_article(&mut store, "The Harbour Board met Ada Moreno.");
        let key_rows = |store: &SqliteStore| {
            store
                .conn
                .query_row("SELECT COUNT(*) FROM canonical_keys", [], |r| {
                    r.get::<_, i64>(0)
                })
                .unwrap()
        };
        let state = |id: &str, kind: &str, canonical: &str| EntityState {
            id: id.into(),
            kind: kind.into(),
            canonical: canonical.into(),
            ..EntityState::default()
        };
        let board = state("org:harbour-board", "ORG", "Harbour Board");
        // A suffixed ID is not its name's words: it gets a key row of its own.
        let ada = state("per:ada-moreno-2", "PER", "Ada Moreno");
        let changes = EntityChanges {
            entities: vec![
                (board.clone(), vec!["n:harbour board".into()]),
                (ada.clone(), vec!["n:ada moreno".into()]),
            ],
            mentions: vec![
                ("org:harbour-board".into(), doc.id().to_string(), 2),
                ("per:ada-moreno-2".into(), doc.id().to_string(), 1),
            ],
        };
        store.put_annotated(&[], &[], &changes).unwrap();
        assert_eq!(key_rows(&store), 3);
        // Renamed and written again by ID, without keys: the same row is updated.
        let mut renamed = board.clone();
        renamed.canonical = "Harbour Board Authority".into();
        let changes = EntityChanges {
            entities: vec![(renamed, vec![]), (ada, vec![])],
            mentions: vec![("org:harbour-board".into(), doc.id().to_string(), 3)],
        };
        store.put_annotated(&[], &[], &changes).unwrap();
        let listed = store.entities().unwrap();
        let summary: Vec<(&str, &str, usize)> = listed
            .iter()
            .map(|e| (e.id.as_str(), e.canonical.as_str(), e.mentions))
            .collect();
        assert_eq!(
            summary,
            [
                ("org:harbour-board", "Harbour Board Authority", 3),
                ("per:ada-moreno-2", "Ada Moreno", 1)
            ]
        );
        assert_eq!(key_rows(&store), 3);
    }

    #[test]
    fn entity_ids_are_left_out_of_records_only_where_kind_and_name_give_them() {
        let mut e = EntityState {
            id: "per:hassan-al-turabi".into(),
            kind: "PER".into(),
            canonical: "Hassan al-Turabi".into(),
            aliases: ["Turabi".to_string()].into(),
            votes: BTreeMap::from([("PER".into(), 4), ("Other".into(), 1)]),
            ..EntityState::default()
        };
        for id in [
            "per:hassan-turabi-2",
            "loc:hassan-turabi",
            "per:hassan-turabi",
        ] {
            e.id = id.into();
            let blob = codec::encode_entity_record(&e);
            let back = codec::decode_entity_record(rusqlite::types::ValueRef::Blob(&blob)).unwrap();
            assert_eq!(back, e);
            assert_eq!(
                codec::decode_entity_id(rusqlite::types::ValueRef::Blob(&blob)).unwrap(),
                id
            );
        }
        // The rule leaves "al" out, so an ID that keeps it is stored whole; the rule's is not.
        let short = codec::encode_entity_record(&e).len();
        e.id = "per:hassan-al-turabi".into();
        assert_eq!(codec::encode_entity_record(&e).len(), short + e.id.len());
        assert!(codec::decode_entity_record(rusqlite::types::ValueRef::Blob(
            &codec::encode_entity_record(&e)[..short]
        ))
        .is_err());
    }

    #[test]
    fn entity_records_round_trip_through_the_compact_encoding() {
        let e = EntityState {
            id: "org:x".into(),
            kind: "ORG".into(),
            canonical: "Harbour Authority".into(),
            aliases: ["", "HA", "Harbour Authority", "the authority"]
                .map(String::from)
                .into(),
            titles: BTreeSet::new(),
            roles: ["régisseur".to_string()].into(),
            nationality: Some(String::new()),
            votes: BTreeMap::from([("ORG".into(), 7), ("LOC".into(), 300)]),
        };
        let blob = codec::encode_entity(&e);
        assert_eq!(
            codec::decode_entity("org:x".into(), rusqlite::types::ValueRef::Blob(&blob)).unwrap(),
            e
        );
        assert!(codec::decode_entity(
            "org:x".into(),
            rusqlite::types::ValueRef::Blob(&blob[..blob.len() - 1])
        )
        .is_err());
    }

    fn stored_article(store: &mut SqliteStore, text: &str) -> newsdesk_span::Document {
        let doc = newsdesk_span::Document::new(
            Source {
                location: "t.txt".into(),
                record: None,
            },
            newsdesk_span::Meta::default(),
            text.into(),
        );
        store.put_batch(std::slice::from_ref(&doc)).unwrap();
        doc
    }

    fn stored_size(store: &SqliteStore) -> usize {
        store
            .conn
            .query_row(
                "SELECT SUM(length(data)) FROM layers WHERE key % 8 = 2",
                [],
                |r| r.get::<_, i64>(0),
            )
            .unwrap() as usize
    }

    #[test]
    fn tokens_the_tokeniser_gives_are_derived_on_read_and_others_kept_as_spans() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let text = "The mayor, Ada Moreno, said: \"We reopen on Monday.\" Trade resumed.";
        let doc = stored_article(&mut store, text);
        let sentences = vec![
            newsdesk_span::Span::new(text, 0, 51).unwrap(),
            newsdesk_span::Span::new(text, 52, text.len()).unwrap(),
        ];
        let mut raw = Vec::new();
        for s in &sentences {
            newsdesk_annotate::tokens_into(text, (s.start() as u32, s.end() as u32), &mut raw);
        }
        let tokens: Vec<newsdesk_span::Span> = raw
            .iter()
            .map(|&(s, e)| newsdesk_span::Span::new(text, s as usize, e as usize).unwrap())
            .collect();
        assert!(tokens.len() > 10);
        let layers = Layers {
            sentences: sentences.clone(),
            tokens: tokens.clone(),
            ..Layers::default()
        };
        let both = [LayerName::Sentences, LayerName::Tokens];
        store
            .put_layers(&[(doc.id().clone(), layers.clone())], &both)
            .unwrap();
        assert_eq!(store.layers(doc.id()).unwrap(), layers);
        assert_eq!(stored_size(&store), 9, "a tag and a fingerprint, no spans");

        // Tokens no tokeniser gave (one merged pair) are stored as they are.
        let mut odd = layers.clone();
        odd.tokens[0] = newsdesk_span::Span::new(text, 0, 9).unwrap();
        odd.tokens.remove(1);
        store
            .put_layers(&[(doc.id().clone(), odd.clone())], &both)
            .unwrap();
        assert_eq!(store.layers(doc.id()).unwrap(), odd);
        assert!(stored_size(&store) > 9);

        // Sentences rewritten under derived tokens: the read says so instead of returning
        // tokens other than those stored.
        store
            .put_layers(&[(doc.id().clone(), layers.clone())], &both)
            .unwrap();
        let one = Layers {
            sentences: vec![newsdesk_span::Span::new(text, 0, 20).unwrap()],
            ..Layers::default()
        };
        store
            .put_layers(&[(doc.id().clone(), one)], &[LayerName::Sentences])
            .unwrap();
        let err = store.layers(doc.id()).unwrap_err();
        assert!(err.to_string().contains("annotate --all"), "{err}");
    }
}
