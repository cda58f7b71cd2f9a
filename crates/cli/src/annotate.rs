//! Annotation of stored articles, and the corpus stage that resolves canonical entities.

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use newsdesk_pipeline::Pipeline;
use newsdesk_span::{DocId, Document, LayerName, Layers};
use newsdesk_store::{EntityRecord, Store};
use rayon::prelude::*;

/// Annotates every stored article that lacks a layer the pipeline assigns (or all of them when
/// `all`), in parallel batches, each batch stored in one transaction. Returns how many.
pub fn annotate(store: &mut dyn Store, pipeline: &Pipeline, all: bool) -> Result<usize> {
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
    let progress =
        ProgressBar::with_draw_target(Some(ids.len() as u64), ProgressDrawTarget::stderr());
    progress.set_style(
        ProgressStyle::with_template("annotating {bar:30} {pos}/{len} articles")
            .expect("static template"),
    );
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
        progress.inc(chunk.len() as u64);
    }
    progress.finish_and_clear();
    Ok(ids.len())
}

/// Recomputes the canonical entities of the whole store from every article's entities layer.
pub fn resolve_entities(store: &mut dyn Store) -> Result<usize> {
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
