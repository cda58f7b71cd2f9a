//! Annotation of stored articles, with canonical entities resolved batch by batch.
//!
//! Memory is bounded by the batch, not the store: a batch holds at most
//! [`AnnotateOptions::batch_articles`] articles and [`AnnotateOptions::batch_bytes`] of text, and
//! its entities are resolved against the stored entities its names can join (looked up by name
//! keys), never against the whole store.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{catch_unwind, AssertUnwindSafe};

use newsdesk_pipeline::Pipeline;
use newsdesk_resolve::{Batch, Canonical, Resolver};
use newsdesk_span::{DocId, Document, EntityKind, EntityMention, LayerName, Layers, Source};
use newsdesk_store::{EntityChanges, EntityState, Pending, Store, StoreError};
use rayon::prelude::*;

use crate::RunError;

/// Receives an annotation run's progress.
pub trait AnnotateObserver {
    /// The number of articles to annotate, once known.
    fn total(&mut self, _articles: usize) {}
    /// `n` more articles were annotated and stored, or failed.
    fn advanced(&mut self, _n: usize) {}
    /// One article could not be annotated; the run goes on without it.
    fn failed(&mut self, _source: &Source, _id: &DocId, _reason: &str) {}
}

impl AnnotateObserver for crate::NoObserver {}

/// How an annotation run chooses and bounds its work.
#[derive(Clone, Debug)]
pub struct AnnotateOptions {
    /// Re-annotate every article (and retry failed ones), resolving entities from scratch.
    pub all: bool,
    /// Articles longer than this (bytes of text) are refused, with the limit as the reason.
    pub max_article_bytes: usize,
    /// A batch holds at most this many bytes of text...
    pub batch_bytes: usize,
    /// ...and this many articles.
    pub batch_articles: usize,
}

impl Default for AnnotateOptions {
    fn default() -> AnnotateOptions {
        AnnotateOptions {
            all: false,
            // News reports run from 1 to 100 KB; the longest long-reads and transcripts stay
            // under 1 MB. The stages' working memory is about 40 times the text (tokens,
            // feature caches, layer JSON), so 4 MB keeps one article near 160 MB.
            max_article_bytes: 4 << 20,
            batch_bytes: 8 << 20,
            // A batch's layers and entity changes are one transaction, which rewrites the
            // canonical tables' pages it touches: 256 articles a batch instead of 128 took two
            // threads from 1.68–1.76 to 1.78–1.85 times one (bench annotate), and the peak RSS
            // of annotating 100,000 articles from 240 to 248 MB.
            batch_articles: 256,
        }
    }
}

/// What an annotation run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AnnotateOutcome {
    pub annotated: usize,
    pub failed: usize,
    /// Canonical entities created or changed, summed over batches (an entity that two batches
    /// change counts twice).
    pub entities_changed: usize,
}

/// Annotates every stored article that lacks a layer the pipeline assigns and has not failed
/// before (or all of them when `options.all`), in parallel within batches, and resolves each
/// batch's entities against the stored ones; a batch's layers and entity changes are stored in
/// one transaction.
///
/// An article that cannot be annotated (too long, a stage panicking on it, the store refusing
/// its layers) is reported to the observer, recorded in the store with the reason, and left
/// out; the run goes on. Later runs skip it; `all` retries it.
///
/// With `all`, canonical entities are recomputed from scratch in storage order, so the result
/// does not depend on which articles earlier runs happened to annotate together.
pub fn annotate(
    store: &mut (dyn Store + Send),
    pipeline: &Pipeline,
    options: &AnnotateOptions,
    observer: &mut dyn AnnotateObserver,
) -> Result<AnnotateOutcome, RunError> {
    let names = pipeline.assigns();
    let pending = store.pending_annotation(&names, options.all)?;
    if options.all {
        store.clear_entities()?;
        // Links, speakers and stories were found on the layers and canonical entities being
        // replaced: the next `connect` starts over rather than mix the two.
        store.clear_connected()?;
    }
    observer.total(pending.len());
    let mut outcome = AnnotateOutcome::default();
    // Three stages overlap: while batch N+1 runs through the stages on rayon's pool, batch N is
    // resolved and stored and batch N+2 read from the store, one after the other (one SQLite
    // connection), on one thread of the pool; a thread that runs out of annotation work helps
    // with the parts of storing that run in parallel (encoding layers). Reading the next batch
    // was done between batches, with every thread of the pool waiting for it. In memory: three
    // batches at most. On a pool of one thread, `rayon::join` runs both sides on that thread one
    // after the other, so "1 thread" is one thread of work.
    let mut batches = batches(pending, options).into_iter();
    let mut loaded = batches.next().map(|b| read_batch(store, b, options));
    // The batch annotated last: its size, its articles with their layers, its resolution input.
    let mut in_hand: Option<(usize, Annotated, Prepared)> = None;
    while let Some(batch) = loaded.take() {
        let Loaded { n, docs, refused } = batch;
        for (source, id, reason) in refused {
            fail(store, observer, &mut outcome, &source, &id, &reason)?;
        }
        let previous = in_hand.take();
        let done = previous.as_ref().map(|(n, _, _)| *n);
        let following = batches.next();
        let ((stored, next), (annotated, failed, prepared)) = rayon::join(
            || {
                let stored = match previous {
                    Some((_, annotated, prepared)) => {
                        store_batch(store, annotated, prepared, &names)
                    }
                    None => Ok(Stored::default()),
                };
                let next = following.map(|b| read_batch(store, b, options));
                (stored, next)
            },
            || {
                let mut annotated = Vec::new();
                let mut failed = Vec::new();
                for (doc, layers) in annotate_docs(pipeline, docs) {
                    match layers {
                        Ok(layers) => annotated.push((doc, layers)),
                        Err(reason) => failed.push((doc.id().clone(), doc.source, reason)),
                    }
                }
                let prepared = prepare(&annotated);
                (annotated, failed, prepared)
            },
        );
        loaded = next;
        report(store, observer, &mut outcome, stored?)?;
        if let Some(done) = done {
            observer.advanced(done);
        }
        for (id, source, reason) in failed {
            fail(store, observer, &mut outcome, &source, &id, &reason)?;
        }
        in_hand = Some((n, annotated, prepared));
    }
    if let Some((n, annotated, prepared)) = in_hand {
        let stored = store_batch(store, annotated, prepared, &names)?;
        report(store, observer, &mut outcome, stored)?;
        observer.advanced(n);
    }
    store.compact()?;
    Ok(outcome)
}

/// A batch read from the store: its size, the articles to annotate, and those refused (too
/// long, or unreadable) with the reason, which the caller reports and records.
struct Loaded {
    n: usize,
    docs: Vec<Document>,
    refused: Vec<(Source, DocId, String)>,
}

/// Reads a batch's articles, refusing those over the length limit (unread when their stored
/// length already says so) and those the store cannot return.
fn read_batch(
    store: &(dyn Store + Send),
    batch: Vec<Pending>,
    options: &AnnotateOptions,
) -> Loaded {
    let n = batch.len();
    let mut docs: Vec<Document> = Vec::with_capacity(n);
    let mut refused = Vec::new();
    for p in batch {
        // `chars` is a lower bound of the bytes: a text refused on it is never read.
        let bytes = if p.chars > options.max_article_bytes {
            Some(p.chars)
        } else {
            match store.get(p.id.as_str()) {
                Ok(Some(doc)) if doc.text().len() > options.max_article_bytes => {
                    Some(doc.text().len())
                }
                Ok(Some(doc)) => {
                    docs.push(doc);
                    None
                }
                Ok(None) => None,
                Err(e) => {
                    refused.push((p.source.clone(), p.id.clone(), e.to_string()));
                    None
                }
            }
        };
        if let Some(bytes) = bytes {
            let reason = format!(
                "article too long to annotate: {bytes} bytes or more, over the limit of {} bytes",
                options.max_article_bytes
            );
            refused.push((p.source, p.id, reason));
        }
    }
    Loaded { n, docs, refused }
}

/// Runs the pipeline over each article in parallel; a stage panicking on one article fails
/// that article only.
fn annotate_docs(
    pipeline: &Pipeline,
    docs: Vec<Document>,
) -> Vec<(Document, Result<Layers, String>)> {
    docs.into_par_iter()
        .map(|doc| {
            let layers =
                catch_unwind(AssertUnwindSafe(|| pipeline.annotate(&doc))).map_err(|panic| {
                    let what = panic
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "unknown cause".into());
                    format!("annotation stage failed: {what}")
                });
            (doc, layers)
        })
        .collect()
}

/// What storing a batch did: counts, and the articles the store refused (reported and
/// recorded by the caller, which holds the observer).
#[derive(Default)]
struct Stored {
    annotated: usize,
    entities_changed: usize,
    refused: Vec<(Source, DocId, String)>,
}

fn report(
    store: &mut (dyn Store + Send),
    observer: &mut dyn AnnotateObserver,
    outcome: &mut AnnotateOutcome,
    stored: Stored,
) -> Result<(), RunError> {
    outcome.annotated += stored.annotated;
    outcome.entities_changed += stored.entities_changed;
    for (source, id, reason) in stored.refused {
        fail(store, observer, outcome, &source, &id, &reason)?;
    }
    Ok(())
}

/// Cuts the pending articles into batches bounded by count and by text size.
fn batches(pending: Vec<Pending>, options: &AnnotateOptions) -> Vec<Vec<Pending>> {
    let mut out: Vec<Vec<Pending>> = Vec::new();
    let mut bytes = 0usize;
    for p in pending {
        // Refused articles are not read, so they weigh nothing.
        let weight = if p.chars > options.max_article_bytes {
            0
        } else {
            p.chars
        };
        let full = out.last().is_none_or(|b| {
            b.len() >= options.batch_articles.max(1)
                || (!b.is_empty() && bytes + weight > options.batch_bytes)
        });
        if full {
            out.push(Vec::new());
            bytes = 0;
        }
        bytes += weight;
        out.last_mut().expect("pushed above").push(p);
    }
    out
}

fn fail(
    store: &mut (dyn Store + Send),
    observer: &mut dyn AnnotateObserver,
    outcome: &mut AnnotateOutcome,
    source: &Source,
    id: &DocId,
    reason: &str,
) -> Result<(), RunError> {
    observer.failed(source, id, reason);
    outcome.failed += 1;
    store.record_annotation_failure(id, reason)?;
    Ok(())
}

/// Resolves and stores a batch in one transaction; when the store refuses it, each article is
/// tried alone so that one bad article fails alone.
fn store_batch(
    store: &mut (dyn Store + Send),
    mut annotated: Vec<(Document, Layers)>,
    prepared: Prepared,
    names: &[LayerName],
) -> Result<Stored, StoreError> {
    let mut stored = Stored::default();
    if annotated.is_empty() {
        return Ok(stored);
    }
    match resolve_and_put(store, &mut annotated, names, Some(prepared)) {
        Ok(changed) => {
            stored.annotated = annotated.len();
            stored.entities_changed = changed;
            return Ok(stored);
        }
        Err(_) if annotated.len() > 1 => {}
        Err(e) => {
            let (doc, _) = &annotated[0];
            stored
                .refused
                .push((doc.source.clone(), doc.id().clone(), e.to_string()));
            return Ok(stored);
        }
    }
    for item in annotated.chunks_mut(1) {
        match resolve_and_put(store, item, names, None) {
            Ok(changed) => {
                stored.annotated += 1;
                stored.entities_changed += changed;
            }
            Err(e) => {
                let (doc, _) = &item[0];
                stored
                    .refused
                    .push((doc.source.clone(), doc.id().clone(), e.to_string()));
            }
        }
    }
    Ok(stored)
}

/// Resolves the batch's entities against the stored ones, writes each mention's entity into
/// its layer, and stores layers and entities together. Returns how many canonical entities
/// were created or changed.
fn resolve_and_put(
    store: &mut dyn Store,
    annotated: &mut [(Document, Layers)],
    names: &[LayerName],
    prepared: Option<Prepared>,
) -> Result<usize, StoreError> {
    let prepared = prepared.unwrap_or_else(|| prepare(annotated));
    let changes = resolve_batch(store, annotated, prepared)?;
    let items: Vec<(&DocId, &Layers)> = annotated.iter().map(|(d, l)| (d.id(), l)).collect();
    store.put_annotated(&items, names, &changes)?;
    Ok(changes.entities.len())
}

type Annotated = Vec<(Document, Layers)>;

/// What resolving a batch needs that depends on the batch alone: the profiles of its
/// mentions and the name keys under which stored entities are looked up. It is built on the
/// annotating side of the run, beside the storing of the previous batch, since the storing
/// side is the one that runs one thing after another; it was about a fifth of resolving a
/// batch.
struct Prepared {
    batch: Batch,
    keys: Vec<String>,
}

fn prepare(annotated: &[(Document, Layers)]) -> Prepared {
    let input: Vec<(String, &str, &[EntityMention])> = annotated
        .iter()
        .map(|(doc, l)| (doc.id().to_string(), doc.text(), l.entities.as_slice()))
        .collect();
    let batch = Batch::new(&input);
    let keys = batch.lookup_keys().into_iter().collect();
    Prepared { batch, keys }
}

fn resolve_batch(
    store: &dyn Store,
    annotated: &mut [(Document, Layers)],
    prepared: Prepared,
) -> Result<EntityChanges, StoreError> {
    let Prepared { batch, keys } = prepared;
    let existing: Vec<Canonical> = store
        .entities_by_keys(&keys)?
        .into_iter()
        .map(canonical_of)
        .collect();
    let mut resolver = Resolver::new(existing, Vec::new());
    resolver.resolve(batch);
    let resolution = resolver.finish();
    for (doc, layers) in annotated.iter_mut() {
        if let Some(ids) = resolution.assignments.get(doc.id().as_str()) {
            for (m, id) in layers.entities.iter_mut().zip(ids) {
                m.entity = id.clone();
            }
        }
    }
    Ok(EntityChanges {
        entities: resolution
            .entities
            .into_iter()
            .map(|(e, keys)| (state_of(e), keys))
            .collect(),
        mentions: resolution.contributions,
    })
}

fn kind_of(s: &str) -> EntityKind {
    match s {
        "PER" => EntityKind::Per,
        "ORG" => EntityKind::Org,
        "LOC" => EntityKind::Loc,
        _ => EntityKind::Misc,
    }
}

fn canonical_of(e: EntityState) -> Canonical {
    Canonical {
        id: e.id,
        kind: kind_of(&e.kind),
        canonical: e.canonical,
        aliases: e.aliases,
        titles: e.titles,
        roles: e.roles,
        nationality: e.nationality,
        mentions: 0,
        articles: BTreeSet::new(),
        votes: e.votes.iter().map(|(k, v)| (kind_of(k), *v)).collect(),
    }
}

fn state_of(e: Canonical) -> EntityState {
    EntityState {
        id: e.id,
        kind: e.kind.as_str().to_string(),
        canonical: e.canonical,
        aliases: e.aliases,
        titles: e.titles,
        roles: e.roles,
        nationality: e.nationality,
        votes: e
            .votes
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), *v))
            .collect::<BTreeMap<_, _>>(),
    }
}

/// Recomputes the canonical entities of the whole store from the stored entities layers,
/// without annotating again: batch by batch in storage order, as `annotate --all` does, so
/// memory stays that of one batch. Returns how many canonical entities there are.
pub fn resolve_entities(
    store: &mut dyn Store,
    options: &AnnotateOptions,
) -> Result<usize, RunError> {
    store.clear_entities()?;
    let all = store.pending_annotation(&[], true)?;
    for batch in batches(all, options) {
        let mut annotated = Vec::with_capacity(batch.len());
        for p in batch {
            let layers = store.layers(&p.id)?;
            if layers.is_empty(LayerName::Entities) {
                continue;
            }
            if let Some(doc) = store.get(p.id.as_str())? {
                annotated.push((doc, layers));
            }
        }
        if !annotated.is_empty() {
            resolve_and_put(store, &mut annotated, &[LayerName::Entities], None)?;
        }
    }
    Ok(store.entities()?.len())
}
