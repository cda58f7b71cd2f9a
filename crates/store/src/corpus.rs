//! What the corpus stages keep: which annotated articles they have seen, each one's MinHash
//! signature (from which the candidate index is rebuilt in memory), the verified copy links
//! with their aligned passages, which canonical speakers each article quotes (so a new quote
//! finds earlier quotes of its speaker without a scan), and named saved states (the story
//! clusterer's).
//!
//! Rows are keyed by the article's row number, like the layers. Links, speakers and the
//! articles a batch marks as seen are written in one transaction: a killed run leaves every
//! article either fully connected or still pending.

use newsdesk_copies::CopyLink;
use newsdesk_span::{DocId, Document, LayerName, Layers, Source};
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, OptionalExtension};

use crate::{codec, StoreError};

/// An article the corpus stages have seen, with its MinHash bins (`None` for a text too short
/// to have a signature).
pub type Seen = (DocId, Option<Vec<u64>>);

/// One batch of the copies stage's results.
#[derive(Debug, Default)]
pub struct Connected {
    /// The articles the batch saw.
    pub articles: Vec<Seen>,
    /// Verified links found for them (against each other and earlier articles).
    pub links: Vec<CopyLink>,
    /// (canonical speaker, article) for each speaker an article quotes.
    pub speakers: Vec<(String, DocId)>,
}

pub(crate) const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS connected (
        article INTEGER PRIMARY KEY REFERENCES articles(seq),
        signature BLOB
    );
    CREATE TABLE IF NOT EXISTS copy_links (
        a INTEGER NOT NULL REFERENCES articles(seq),
        b INTEGER NOT NULL REFERENCES articles(seq),
        kind TEXT NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (a, b, kind)
    );
    CREATE INDEX IF NOT EXISTS copy_links_b ON copy_links(b);
    CREATE TABLE IF NOT EXISTS quote_speakers (
        speaker TEXT NOT NULL,
        article INTEGER NOT NULL REFERENCES articles(seq),
        PRIMARY KEY (speaker, article)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS corpus_state (
        name TEXT PRIMARY KEY,
        data BLOB NOT NULL
    );";

fn seq(conn: &Connection, id: &DocId) -> Result<i64, StoreError> {
    conn.prepare_cached("SELECT seq FROM articles WHERE id = ?1")?
        .query_row([id.as_str()], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::Corrupt(format!("no stored article {id}")))
}

pub(crate) fn pending(conn: &Connection, names: &[LayerName]) -> Result<Vec<DocId>, StoreError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT id FROM articles a
         WHERE NOT EXISTS (SELECT 1 FROM connected c WHERE c.article = a.seq)
           AND (SELECT COUNT(*) FROM layers l WHERE l.key IN {}) = {}
         ORDER BY seq",
        crate::layer_keys_sql("a.seq", names),
        names.len()
    ))?;
    let ids = stmt
        .query_map([], |r| Ok(DocId::from_string(r.get::<_, String>(0)?)))?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}

fn bins_to_blob(bins: &[u64]) -> Vec<u8> {
    bins.iter().flat_map(|b| b.to_le_bytes()).collect()
}

fn blob_to_bins(blob: &[u8]) -> Result<Vec<u64>, StoreError> {
    if blob.len() % 8 != 0 {
        return Err(StoreError::Corrupt("signature length".into()));
    }
    Ok(blob
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
        .collect())
}

pub(crate) fn signatures(conn: &Connection) -> Result<Vec<Seen>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT a.id, c.signature FROM connected c JOIN articles a ON a.seq = c.article
         ORDER BY c.article",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            DocId::from_string(r.get::<_, String>(0)?),
            r.get::<_, Option<Vec<u8>>>(1)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, blob) = row?;
        out.push((id, blob.as_deref().map(blob_to_bins).transpose()?));
    }
    Ok(out)
}

pub(crate) fn put(tx: &Connection, batch: &Connected) -> Result<(), StoreError> {
    // Statements are prepared once per connection, not once per row: a batch writes
    // hundreds of rows, and parsing the SQL again for each was a visible share of a run.
    let mut put_seen =
        tx.prepare_cached("INSERT OR REPLACE INTO connected (article, signature) VALUES (?1, ?2)")?;
    for (id, bins) in &batch.articles {
        put_seen.execute(params![seq(tx, id)?, bins.as_deref().map(bins_to_blob)])?;
    }
    let mut put_link = tx.prepare_cached(
        "INSERT OR REPLACE INTO copy_links (a, b, kind, data) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for link in &batch.links {
        put_link.execute(params![
            seq(tx, &link.a)?,
            seq(tx, &link.b)?,
            link.kind.as_str(),
            codec::pack(&serde_json::to_vec(link)?)
        ])?;
    }
    let mut put_speaker = tx.prepare_cached(
        "INSERT OR IGNORE INTO quote_speakers (speaker, article) VALUES (?1, ?2)",
    )?;
    for (speaker, id) in &batch.speakers {
        put_speaker.execute(params![speaker, seq(tx, id)?])?;
    }
    Ok(())
}

pub(crate) fn links(
    conn: &Connection,
    article: Option<&DocId>,
) -> Result<Vec<CopyLink>, StoreError> {
    let read = |stmt: &mut rusqlite::Statement<'_>, p: &[&dyn rusqlite::ToSql]| {
        let blobs = stmt
            .query_map(p, |r| r.get::<_, Vec<u8>>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        blobs
            .iter()
            .map(|b| Ok(serde_json::from_slice(&codec::unpack(b)?)?))
            .collect::<Result<Vec<CopyLink>, StoreError>>()
    };
    match article {
        None => read(
            &mut conn.prepare("SELECT data FROM copy_links ORDER BY a, b, kind")?,
            &[],
        ),
        Some(id) => {
            let Some(seq) = conn
                .query_row(
                    "SELECT seq FROM articles WHERE id = ?1",
                    [id.as_str()],
                    |r| r.get::<_, i64>(0),
                )
                .optional()?
            else {
                return Ok(Vec::new());
            };
            read(
                &mut conn.prepare(
                    "SELECT data FROM copy_links WHERE a = ?1 OR b = ?1 ORDER BY a, b, kind",
                )?,
                &[&seq],
            )
        }
    }
}

pub(crate) fn quoting(conn: &Connection, speaker: &str) -> Result<Vec<DocId>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id FROM quote_speakers q JOIN articles a ON a.seq = q.article
         WHERE q.speaker = ?1 ORDER BY q.article",
    )?;
    let ids = stmt
        .query_map([speaker], |r| {
            Ok(DocId::from_string(r.get::<_, String>(0)?))
        })?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}

pub(crate) fn state(conn: &Connection, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
    // States are stored as their owners encode them (the story state deflates itself).
    Ok(conn
        .query_row(
            "SELECT data FROM corpus_state WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .optional()?)
}

pub(crate) fn put_state(tx: &Connection, name: &str, data: &[u8]) -> Result<(), StoreError> {
    tx.execute(
        "INSERT OR REPLACE INTO corpus_state (name, data) VALUES (?1, ?2)",
        params![name, data],
    )?;
    Ok(())
}

pub(crate) fn clear(tx: &Connection) -> Result<(), StoreError> {
    tx.execute_batch(
        "DELETE FROM connected; DELETE FROM copy_links; DELETE FROM quote_speakers;
         DELETE FROM corpus_state;",
    )?;
    Ok(())
}

/// A stored value as read, not yet decoded. SQL TEXT is the old encoding and BLOB the new one
/// (see `codec`), so the kind is kept with the bytes.
#[derive(Debug)]
enum RawValue {
    Text(Vec<u8>),
    Blob(Vec<u8>),
}

impl RawValue {
    fn read(value: ValueRef<'_>) -> Result<RawValue, StoreError> {
        match value {
            ValueRef::Text(t) => Ok(RawValue::Text(t.to_vec())),
            ValueRef::Blob(b) => Ok(RawValue::Blob(b.to_vec())),
            _ => Err(StoreError::Corrupt("value is neither text nor blob".into())),
        }
    }

    fn as_ref(&self) -> ValueRef<'_> {
        match self {
            RawValue::Text(t) => ValueRef::Text(t),
            RawValue::Blob(b) => ValueRef::Blob(b),
        }
    }
}

/// An article and some of its layers as stored, still deflated. Reading rows is quick and
/// must stay on the store's connection; inflating and parsing them is most of the cost of a
/// read and needs no connection, so [`RawArticle::decode`] can run on other threads.
#[derive(Debug)]
pub struct RawArticle(Raw);

#[derive(Debug)]
enum Raw {
    Rows {
        id: DocId,
        source: Source,
        meta: RawValue,
        text: RawValue,
        layers: Vec<(LayerName, RawValue)>,
        /// Entity mentions, decoded on the connection: their canonical entities are stored
        /// by row number, which only the connection can name.
        entities: Option<Vec<newsdesk_span::EntityMention>>,
    },
    /// From a backend that has no cheaper form than the decoded one.
    Decoded(Box<(Document, Layers)>),
}

impl RawArticle {
    /// An article already decoded, with `layers` cut down to `names` (and no furniture), as
    /// the stored rows would have given it.
    pub fn decoded(doc: Document, layers: Layers, names: &[LayerName]) -> RawArticle {
        fn keep<T>(names: &[LayerName], name: LayerName, layer: Vec<T>) -> Vec<T> {
            if names.contains(&name) {
                layer
            } else {
                Vec::new()
            }
        }
        let kept = Layers {
            sentences: keep(names, LayerName::Sentences, layers.sentences),
            tokens: keep(names, LayerName::Tokens, layers.tokens),
            entities: keep(names, LayerName::Entities, layers.entities),
            dates: keep(names, LayerName::Dates, layers.dates),
            quotes: keep(names, LayerName::Quotes, layers.quotes),
            furniture: Vec::new(),
        };
        RawArticle(Raw::Decoded(Box::new((doc, kept))))
    }

    pub fn id(&self) -> &DocId {
        match &self.0 {
            Raw::Rows { id, .. } => id,
            Raw::Decoded(d) => d.0.id(),
        }
    }

    /// The document and the layers that were read (the others empty; no furniture).
    pub fn decode(self) -> Result<(Document, Layers), StoreError> {
        let (id, source, meta, text, mut stored, entities) = match self.0 {
            Raw::Decoded(d) => return Ok(*d),
            Raw::Rows {
                id,
                source,
                meta,
                text,
                layers,
                entities,
            } => (id, source, meta, text, layers, entities),
        };
        let meta = codec::decode_meta(meta.as_ref())?;
        let text = codec::decode_text(text.as_ref())?;
        let mut layers = Layers {
            entities: entities.unwrap_or_default(),
            ..Layers::default()
        };
        // Sentences first: derived tokens are recomputed from them.
        stored.sort_by_key(|(name, _)| *name != LayerName::Sentences);
        for (name, value) in &stored {
            let value = value.as_ref();
            match name {
                LayerName::Sentences => layers.sentences = codec::decode_layer(value)?,
                LayerName::Tokens if codec::is_derived(value) => {
                    layers.tokens = codec::derived_tokens(value, &text, &layers.sentences)?
                }
                LayerName::Tokens => layers.tokens = codec::decode_layer(value)?,
                LayerName::Entities => {}
                LayerName::Dates => layers.dates = codec::decode_dates(value)?,
                LayerName::Quotes => layers.quotes = codec::decode_quotes(value)?,
            }
        }
        let doc = Document::from_parts(id, source, meta, text);
        Ok((doc, layers))
    }
}

/// The stored articles among `ids`, in the order given, with the layers `names` undecoded.
pub(crate) fn raw_articles(
    conn: &Connection,
    ids: &[DocId],
    names: &[LayerName],
) -> Result<Vec<RawArticle>, StoreError> {
    let mut article = conn.prepare_cached(
        "SELECT seq, source_location, source_record, meta, text FROM articles WHERE id = ?1",
    )?;
    // Only the rows asked for are read: the others (tokens above all) are the larger part of
    // an article's rows, and their overflow pages are never touched.
    let mut layer = conn.prepare_cached(&format!(
        "SELECT key, data FROM layers WHERE key IN {}",
        crate::layer_keys_sql("?1", names)
    ))?;
    let _reading = crate::reading(conn)?;
    let mut entity_ids = crate::entities::EntityIds::new(conn);
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let mut rows = article.query([id.as_str()])?;
        let Some(row) = rows.next()? else {
            continue;
        };
        let seq: i64 = row.get(0)?;
        let source = Source {
            location: row.get(1)?,
            record: row.get::<_, Option<i64>>(2)?.map(|r| r as u64),
        };
        let meta = RawValue::read(row.get_ref(3)?)?;
        let text = RawValue::read(row.get_ref(4)?)?;
        drop(rows);
        let mut layers = Vec::with_capacity(names.len());
        let mut entity_rows = None;
        let mut rows = layer.query([seq])?;
        while let Some(row) = rows.next()? {
            let key: i64 = row.get(0)?;
            if let Some(&n) = names.iter().find(|n| crate::layer_key(seq, **n) == key) {
                let value = RawValue::read(row.get_ref(1)?)?;
                if n == LayerName::Entities {
                    entity_rows = Some(value);
                } else {
                    layers.push((n, value));
                }
            }
        }
        drop(rows);
        let entities = entity_rows
            .map(|v| codec::decode_entities(v.as_ref(), &mut |seq| entity_ids.get(seq)))
            .transpose()?;
        out.push(RawArticle(Raw::Rows {
            id: id.clone(),
            source,
            meta,
            text,
            layers,
            entities,
        }));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use newsdesk_span::{Field, LayerName, Meta, Span};

    use crate::{SqliteStore, Store};

    use super::*;

    fn page(i: usize) -> Document {
        let meta = Meta {
            outlet: Some(Field::new("Valley Post".to_string(), "test")),
            ..Meta::default()
        };
        let text = format!(
            "Story {i} says the council met.\n\nSign up for our morning briefing\n\nEnd {i}."
        );
        Document::new(
            Source {
                location: format!("p{i}"),
                record: None,
            },
            meta,
            text,
        )
    }

    #[test]
    fn raw_articles_decode_only_the_named_layers_in_the_order_asked() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let docs: Vec<Document> = (0..4).map(page).collect();
        store.put_batch(&docs).unwrap();
        let items: Vec<(DocId, Layers)> = docs
            .iter()
            .map(|d| {
                let whole = Span::new(d.text(), 0, d.text().len()).unwrap();
                let first = Span::new(d.text(), 0, 5).unwrap();
                let layers = Layers {
                    sentences: vec![whole],
                    tokens: vec![first],
                    ..Layers::default()
                };
                (d.id().clone(), layers)
            })
            .collect();
        store
            .put_layers(&items, &[LayerName::Sentences, LayerName::Tokens])
            .unwrap();
        let unknown = DocId::from_string("ffffffffffffffff".to_string());
        let ids = [docs[2].id().clone(), unknown, docs[0].id().clone()];
        let raw = store.raw_articles(&ids, &[LayerName::Sentences]).unwrap();
        assert_eq!(raw.len(), 2, "an unknown ID is left out");
        assert_eq!(raw[0].id(), docs[2].id());
        let decoded: Vec<(Document, Layers)> =
            raw.into_iter().map(|r| r.decode().unwrap()).collect();
        for ((doc, layers), want) in decoded.iter().zip([&docs[2], &docs[0]]) {
            assert_eq!(doc, want);
            let full = store.layers(want.id()).unwrap();
            // The full read derives furniture (four pages of one outlet repeat a line) and
            // has tokens; the raw read has only what was named.
            assert!(!full.furniture.is_empty());
            assert!(!full.tokens.is_empty());
            assert_eq!(
                layers,
                &Layers {
                    sentences: full.sentences,
                    ..Layers::default()
                }
            );
        }
    }
}
