//! Canonical entities kept for incremental resolution, and annotation failures.
//!
//! An entity is stored once (`canonical_entities`, in creation order), found through the keys of
//! its names (`canonical_keys`: a batch loads only the entities its names can join, never the
//! whole table), and counted per article (`canonical_mentions`), so that re-annotating an
//! article replaces its counts instead of adding to them and an entity's record does not grow
//! with the number of articles that mention it.

use std::collections::{BTreeMap, BTreeSet};

use newsdesk_span::{DocId, LayerName, Layers, Source};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use crate::{codec, EntityRecord, StoreError};

pub(crate) fn ensure_schema(conn: &Connection) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS canonical_entities (
             seq INTEGER PRIMARY KEY AUTOINCREMENT,
             id TEXT NOT NULL UNIQUE,
             data TEXT NOT NULL
         );
         CREATE TABLE IF NOT EXISTS canonical_keys (
             key TEXT NOT NULL,
             entity TEXT NOT NULL,
             PRIMARY KEY (key, entity)
         ) WITHOUT ROWID;
         CREATE TABLE IF NOT EXISTS canonical_mentions (
             entity TEXT NOT NULL,
             doc_id TEXT NOT NULL,
             mentions INTEGER NOT NULL,
             PRIMARY KEY (entity, doc_id)
         ) WITHOUT ROWID;
         CREATE INDEX IF NOT EXISTS canonical_mentions_doc ON canonical_mentions (doc_id);
         CREATE TABLE IF NOT EXISTS annotation_failures (
             doc_id TEXT PRIMARY KEY,
             reason TEXT NOT NULL,
             failed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
         );",
    )?;
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
    let names: Vec<String> = names.iter().map(|n| format!("'{}'", n.as_str())).collect();
    rows(&format!(
        "SELECT id, chars, source_location, source_record FROM articles a
         WHERE (SELECT COUNT(*) FROM layers l WHERE l.article = a.seq AND l.name IN ({})) < {}
           AND NOT EXISTS (SELECT 1 FROM annotation_failures f WHERE f.doc_id = a.id)
         ORDER BY seq",
        names.join(", "),
        names.len()
    ))
}

pub(crate) fn by_keys(conn: &Connection, keys: &[String]) -> Result<Vec<EntityState>, StoreError> {
    let mut find = conn.prepare_cached("SELECT entity FROM canonical_keys WHERE key = ?1")?;
    let mut ids = BTreeSet::new();
    for key in keys {
        for id in find.query_map([key], |r| r.get::<_, String>(0))? {
            ids.insert(id?);
        }
    }
    let mut get = conn.prepare_cached("SELECT seq, data FROM canonical_entities WHERE id = ?1")?;
    let mut found: Vec<(i64, EntityState)> = Vec::new();
    for id in ids {
        if let Some((seq, data)) = get
            .query_row([&id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
            .optional()?
        {
            found.push((seq, serde_json::from_str(&data)?));
        }
    }
    found.sort_by_key(|(seq, _)| *seq);
    Ok(found.into_iter().map(|(_, e)| e).collect())
}

/// Layers, entity changes and the clearing of earlier failures in one transaction: a killed
/// run leaves either all of a batch or none of it, so counts are never doubled or orphaned.
pub(crate) fn put_annotated(
    conn: &mut Connection,
    items: &[(&DocId, &Layers)],
    names: &[LayerName],
    changes: &EntityChanges,
) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    {
        let mut put = tx.prepare_cached(
            "INSERT OR REPLACE INTO layers (article, name, data)
             SELECT seq, ?2, ?3 FROM articles WHERE id = ?1",
        )?;
        let mut forget = tx.prepare_cached("DELETE FROM canonical_mentions WHERE doc_id = ?1")?;
        let mut cleared = tx.prepare_cached("DELETE FROM annotation_failures WHERE doc_id = ?1")?;
        for (id, layers) in items {
            for name in names {
                put.execute(params![
                    id.as_str(),
                    name.as_str(),
                    codec::encode_layer(layers, *name)?
                ])?;
            }
            forget.execute([id.as_str()])?;
            cleared.execute([id.as_str()])?;
        }
        let mut upsert = tx.prepare_cached(
            "INSERT INTO canonical_entities (id, data) VALUES (?1, ?2)
             ON CONFLICT (id) DO UPDATE SET data = excluded.data",
        )?;
        let mut key = tx
            .prepare_cached("INSERT OR IGNORE INTO canonical_keys (key, entity) VALUES (?1, ?2)")?;
        for (e, keys) in &changes.entities {
            upsert.execute(params![e.id, serde_json::to_string(e)?])?;
            for k in keys {
                key.execute(params![k, e.id])?;
            }
        }
        let mut count = tx.prepare_cached(
            "INSERT OR REPLACE INTO canonical_mentions (entity, doc_id, mentions) VALUES (?1, ?2, ?3)",
        )?;
        for (entity, doc, n) in &changes.mentions {
            count.execute(params![entity, doc, *n as i64])?;
        }
    }
    tx.commit()?;
    Ok(())
}

pub(crate) fn clear(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch(
        "DELETE FROM canonical_entities; DELETE FROM canonical_keys; DELETE FROM canonical_mentions;",
    )?;
    tx.commit()?;
    Ok(())
}

pub(crate) fn list(conn: &Connection) -> Result<Vec<EntityRecord>, StoreError> {
    let mut counts: BTreeMap<String, (usize, Vec<String>)> = BTreeMap::new();
    {
        let mut stmt = conn.prepare(
            "SELECT entity, doc_id, mentions FROM canonical_mentions ORDER BY entity, doc_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in rows {
            let (entity, doc, n) = row?;
            let c = counts.entry(entity).or_default();
            c.0 += n as usize;
            c.1.push(doc);
        }
    }
    let mut stmt = conn.prepare("SELECT data FROM canonical_entities ORDER BY id")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for row in rows {
        let e: EntityState = serde_json::from_str(&row?)?;
        let (mentions, articles) = counts.remove(&e.id).unwrap_or_default();
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
    Ok(out)
}

/// Replaces every entity by `entities`, with per-article counts taken from the assignments,
/// and writes each mention's entity into the stored entities layers.
pub(crate) fn replace(
    conn: &mut Connection,
    entities: &[EntityRecord],
    assignments: &BTreeMap<String, Vec<Option<String>>>,
) -> Result<(), StoreError> {
    clear(conn)?;
    let mut per_doc: BTreeMap<(String, String), usize> = BTreeMap::new();
    for e in entities {
        for doc in &e.articles {
            per_doc.entry((e.id.clone(), doc.clone())).or_default();
        }
    }
    for (doc, ids) in assignments {
        for id in ids.iter().flatten() {
            *per_doc.entry((id.clone(), doc.clone())).or_default() += 1;
        }
    }
    let changes = EntityChanges {
        entities: entities
            .iter()
            .map(|e| {
                let state = EntityState {
                    id: e.id.clone(),
                    kind: e.kind.clone(),
                    canonical: e.canonical.clone(),
                    aliases: e.aliases.iter().cloned().collect(),
                    titles: e.titles.iter().cloned().collect(),
                    roles: e.roles.iter().cloned().collect(),
                    nationality: e.nationality.clone(),
                    votes: BTreeMap::from([(e.kind.clone(), e.mentions)]),
                };
                (state, Vec::new())
            })
            .collect(),
        mentions: per_doc
            .into_iter()
            .map(|((entity, doc), n)| (entity, doc, n))
            .collect(),
    };
    put_annotated(conn, &[], &[], &changes)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    {
        let mut get = tx.prepare_cached(
            "SELECT l.data FROM layers l JOIN articles a ON l.article = a.seq
             WHERE a.id = ?1 AND l.name = 'entities'",
        )?;
        let mut set = tx.prepare_cached(
            "UPDATE layers SET data = ?2
             WHERE article = (SELECT seq FROM articles WHERE id = ?1) AND name = 'entities'",
        )?;
        for (doc, ids) in assignments {
            let mentions: Option<Vec<newsdesk_span::EntityMention>> = {
                let mut rows = get.query([doc])?;
                match rows.next()? {
                    Some(row) => Some(codec::decode_layer(row.get_ref(0)?)?),
                    None => None,
                }
            };
            let Some(mut mentions) = mentions else {
                continue;
            };
            for (m, id) in mentions.iter_mut().zip(ids) {
                m.entity = id.clone();
            }
            set.execute(params![doc, codec::encode_entities(&mentions)?])?;
        }
    }
    tx.commit()?;
    Ok(())
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
