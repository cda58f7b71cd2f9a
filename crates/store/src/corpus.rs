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
use newsdesk_span::{DocId, LayerName};
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
    conn.query_row(
        "SELECT seq FROM articles WHERE id = ?1",
        [id.as_str()],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| StoreError::Corrupt(format!("no stored article {id}")))
}

pub(crate) fn pending(conn: &Connection, names: &[LayerName]) -> Result<Vec<DocId>, StoreError> {
    let names: Vec<String> = names.iter().map(|n| format!("'{}'", n.as_str())).collect();
    let mut stmt = conn.prepare(&format!(
        "SELECT id FROM articles a
         WHERE NOT EXISTS (SELECT 1 FROM connected c WHERE c.article = a.seq)
           AND (SELECT COUNT(*) FROM layers l WHERE l.article = a.seq AND l.name IN ({})) = {}
         ORDER BY seq",
        names.join(","),
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
    for (id, bins) in &batch.articles {
        tx.execute(
            "INSERT OR REPLACE INTO connected (article, signature) VALUES (?1, ?2)",
            params![seq(tx, id)?, bins.as_deref().map(bins_to_blob)],
        )?;
    }
    for link in &batch.links {
        tx.execute(
            "INSERT OR REPLACE INTO copy_links (a, b, kind, data) VALUES (?1, ?2, ?3, ?4)",
            params![
                seq(tx, &link.a)?,
                seq(tx, &link.b)?,
                link.kind.as_str(),
                codec::pack(&serde_json::to_vec(link)?)
            ],
        )?;
    }
    for (speaker, id) in &batch.speakers {
        tx.execute(
            "INSERT OR IGNORE INTO quote_speakers (speaker, article) VALUES (?1, ?2)",
            params![speaker, seq(tx, id)?],
        )?;
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
    let mut stmt = conn.prepare(
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
