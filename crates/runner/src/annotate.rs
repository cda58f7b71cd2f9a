//! Annotation of stored articles, and the corpus stage that resolves canonical entities.

use newsdesk_pipeline::Pipeline;
use newsdesk_span::{DocId, Document, LayerName, Layers};
use newsdesk_store::{EntityRecord, Store};
use rayon::prelude::*;

use crate::RunError;

/// Receives an annotation run's progress.
pub trait AnnotateObserver {
    /// The number of articles to annotate, once known.
    fn total(&mut self, _articles: usize) {}
    /// `n` more articles were annotated and stored.
    fn advanced(&mut self, _n: usize) {}
}

impl AnnotateObserver for crate::NoObserver {}

/// Annotates every stored article that lacks a layer the pipeline assigns (or all of them when
/// `all`), in parallel batches, each batch stored in one transaction. Returns how many.
pub fn annotate(
    store: &mut dyn Store,
    pipeline: &Pipeline,
    all: bool,
    observer: &mut dyn AnnotateObserver,
) -> Result<usize, RunError> {
    let assigns = pipeline.assigns();
    let ids: Vec<DocId> = if all {
        store.summaries()?.into_iter().map(|s| s.id).collect()
    } else {
        let mut ids: Vec<DocId> = Vec::new();
        for name in &assigns {
            for id in store.missing_layer(*name)? {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        ids
    };
    observer.total(ids.len());
    for chunk in ids.chunks(128) {
        let docs: Vec<Document> = chunk
            .iter()
            .filter_map(|id| store.get(id.as_str()).transpose())
            .collect::<Result<_, _>>()?;
        let annotated: Vec<(DocId, Layers)> = docs
            .par_iter()
            .map(|doc| (doc.id().clone(), pipeline.annotate(doc)))
            .collect();
        store.put_layers(&annotated, &assigns)?;
        observer.advanced(chunk.len());
    }
    Ok(ids.len())
}

/// Recomputes the canonical entities of the whole store from every article's entities layer.
/// Returns how many canonical entities there are.
pub fn resolve_entities(store: &mut dyn Store) -> Result<usize, RunError> {
    let mut docs: Vec<(String, String, Vec<newsdesk_span::EntityMention>)> = Vec::new();
    for summary in store.summaries()? {
        let Some(doc) = store.get(summary.id.as_str())? else {
            continue;
        };
        let layers = store.layers(doc.id())?;
        if layers.is_empty(LayerName::Entities) && layers.is_empty(LayerName::Sentences) {
            continue;
        }
        docs.push((
            doc.id().to_string(),
            doc.text().to_string(),
            layers.entities,
        ));
    }
    let input: Vec<(String, &str, &[newsdesk_span::EntityMention])> = docs
        .iter()
        .map(|(id, text, m)| (id.clone(), text.as_str(), m.as_slice()))
        .collect();
    let set = newsdesk_resolve::canonicalize(&input);
    let records: Vec<EntityRecord> = set
        .entities
        .iter()
        .map(|e| EntityRecord {
            id: e.id.clone(),
            canonical: e.canonical.clone(),
            kind: e.kind.as_str().to_string(),
            aliases: e.aliases.iter().cloned().collect(),
            titles: e.titles.iter().cloned().collect(),
            roles: e.roles.iter().cloned().collect(),
            nationality: e.nationality.clone(),
            mentions: e.mentions,
            articles: e.articles.iter().cloned().collect(),
        })
        .collect();
    store.replace_entities(&records, &set.assignments)?;
    Ok(records.len())
}
