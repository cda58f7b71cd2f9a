//! Annotation runs over a store: failures stay with their article, entities resolve batch by
//! batch.

use newsdesk_copies::CopyLink;
use newsdesk_pipeline::{Pipeline, Stage};
use newsdesk_runner::{annotate, AnnotateObserver, AnnotateOptions};
use newsdesk_span::{DocId, Document, Furniture, LayerName, Layers, Meta, Source};
use newsdesk_store::{
    Connected, Encoded, EntityChanges, EntityRecord, EntityState, Pending, Put, Seen, SqliteStore,
    Store, StoreError, Summary,
};
use std::collections::HashSet;

fn doc(name: &str, text: String) -> Document {
    Document::new(
        Source {
            location: name.into(),
            record: None,
        },
        Meta::default(),
        text,
    )
}

#[derive(Default)]
struct Failures(Vec<(String, String, String)>);

impl AnnotateObserver for Failures {
    fn failed(&mut self, source: &Source, id: &DocId, reason: &str) {
        self.0
            .push((source.to_string(), id.to_string(), reason.to_string()));
    }
}

fn good_text(n: usize) -> String {
    format!("Harbour reopens\n\nMayor Elena Varga of Portville said on Monday the harbour would reopen in {n} days.\n")
}

#[test]
fn an_oversized_article_is_refused_with_its_limit_and_the_article_beside_it_is_annotated() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    // A generated text far above normal length: paragraphs of plain sentences.
    let paragraph = "The committee met again and the members read the long report aloud. ";
    let mut huge = String::new();
    while huge.len() < 600_000 {
        huge.push_str(paragraph);
        huge.push_str("\n\n");
    }
    let big = doc("big.txt", huge);
    let good = doc("good.txt", good_text(3));
    store.put_batch(&[big.clone(), good.clone()]).unwrap();
    let pipeline = Pipeline::standard().unwrap();
    let options = AnnotateOptions {
        max_article_bytes: 100_000,
        ..AnnotateOptions::default()
    };
    let mut seen = Failures::default();
    let outcome = annotate(&mut store, &pipeline, &options, &mut seen).unwrap();
    assert_eq!((outcome.annotated, outcome.failed), (1, 1));
    assert_eq!(seen.0.len(), 1);
    let (source, id, reason) = &seen.0[0];
    assert_eq!(source, "big.txt");
    assert_eq!(id, big.id().as_str());
    assert!(reason.contains("100000 bytes"), "{reason}");
    assert!(!store
        .layers(good.id())
        .unwrap()
        .is_empty(LayerName::Sentences));
    assert!(store
        .layers(big.id())
        .unwrap()
        .is_empty(LayerName::Sentences));
    assert_eq!(
        store.annotation_failure(big.id()).unwrap().as_deref(),
        Some(reason.as_str())
    );
    // The next run does not retry it; `all` does.
    let again = annotate(&mut store, &pipeline, &options, &mut Failures::default()).unwrap();
    assert_eq!((again.annotated, again.failed), (0, 0));
    let all = AnnotateOptions {
        all: true,
        ..options
    };
    let retried = annotate(&mut store, &pipeline, &all, &mut Failures::default()).unwrap();
    assert_eq!((retried.annotated, retried.failed), (1, 1));
}

/// A stage that panics on one article.
struct Fragile;

impl Stage for Fragile {
    fn name(&self) -> &'static str {
        "fragile"
    }
    fn requires(&self) -> &'static [LayerName] {
        &[]
    }
    fn assigns(&self) -> &'static [LayerName] {
        &[LayerName::Sentences]
    }
    fn run(&self, doc: &Document, layers: &mut Layers) {
        assert!(!doc.text().contains("poison"), "cannot read this text");
        layers.sentences = vec![newsdesk_span::Span::new(doc.text(), 0, doc.text().len()).unwrap()];
    }
}

#[test]
fn a_stage_panic_fails_only_its_article() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    let bad = doc("bad.txt", "A poison pill.".into());
    let good = doc("good.txt", "A plain text.".into());
    store.put_batch(&[bad.clone(), good.clone()]).unwrap();
    let pipeline = Pipeline::new(vec![Box::new(Fragile)]).unwrap();
    let mut seen = Failures::default();
    let outcome = annotate(
        &mut store,
        &pipeline,
        &AnnotateOptions::default(),
        &mut seen,
    )
    .unwrap();
    assert_eq!((outcome.annotated, outcome.failed), (1, 1));
    assert_eq!(seen.0[0].1, bad.id().as_str());
    assert!(
        seen.0[0].2.contains("cannot read this text"),
        "{:?}",
        seen.0
    );
    assert!(!store
        .layers(good.id())
        .unwrap()
        .is_empty(LayerName::Sentences));
    assert!(store.annotation_failure(bad.id()).unwrap().is_some());
}

/// A store that refuses the layers of one article, as SQLite refuses a value over its size
/// limit ("string or blob too big").
struct Refusing {
    inner: SqliteStore,
    refused: DocId,
}

impl Store for Refusing {
    fn put_encoded(&mut self, docs: &[Encoded]) -> Result<Vec<Put>, StoreError> {
        self.inner.put_encoded(docs)
    }
    fn summaries(&self) -> Result<Vec<Summary>, StoreError> {
        self.inner.summaries()
    }
    fn get(&self, id: &str) -> Result<Option<Document>, StoreError> {
        self.inner.get(id)
    }
    fn count(&self) -> Result<usize, StoreError> {
        self.inner.count()
    }
    fn put_layers(
        &mut self,
        items: &[(DocId, Layers)],
        names: &[LayerName],
    ) -> Result<(), StoreError> {
        self.inner.put_layers(items, names)
    }
    fn layers(&self, id: &DocId) -> Result<Layers, StoreError> {
        self.inner.layers(id)
    }
    fn missing_layer(&self, name: LayerName) -> Result<Vec<DocId>, StoreError> {
        self.inner.missing_layer(name)
    }
    fn entities(&self) -> Result<Vec<EntityRecord>, StoreError> {
        self.inner.entities()
    }
    fn pending_annotation(
        &self,
        names: &[LayerName],
        all: bool,
    ) -> Result<Vec<Pending>, StoreError> {
        self.inner.pending_annotation(names, all)
    }
    fn entities_by_keys(&self, keys: &[String]) -> Result<Vec<EntityState>, StoreError> {
        self.inner.entities_by_keys(keys)
    }
    fn put_annotated(
        &mut self,
        items: &[(&DocId, &Layers)],
        names: &[LayerName],
        changes: &EntityChanges,
    ) -> Result<(), StoreError> {
        if items.iter().any(|(id, _)| **id == self.refused) {
            return Err(StoreError::Sqlite(rusqlite::Error::ToSqlConversionFailure(
                "string or blob too big".into(),
            )));
        }
        self.inner.put_annotated(items, names, changes)
    }
    fn clear_entities(&mut self) -> Result<(), StoreError> {
        self.inner.clear_entities()
    }
    fn record_annotation_failure(&mut self, id: &DocId, reason: &str) -> Result<(), StoreError> {
        self.inner.record_annotation_failure(id, reason)
    }
    fn annotation_failure(&self, id: &DocId) -> Result<Option<String>, StoreError> {
        self.inner.annotation_failure(id)
    }
    fn existing(&self, ids: &[DocId]) -> Result<HashSet<DocId>, StoreError> {
        self.inner.existing(ids)
    }
    fn copies(&self, id: &DocId) -> Result<Vec<DocId>, StoreError> {
        self.inner.copies(id)
    }
    fn furniture(&self, doc: &Document) -> Result<Vec<Furniture>, StoreError> {
        self.inner.furniture(doc)
    }
    fn pending_connect(&self, names: &[LayerName]) -> Result<Vec<DocId>, StoreError> {
        self.inner.pending_connect(names)
    }
    fn signatures(&self) -> Result<Vec<Seen>, StoreError> {
        self.inner.signatures()
    }
    fn put_connected(&mut self, batch: &Connected) -> Result<(), StoreError> {
        self.inner.put_connected(batch)
    }
    fn copy_links(&self, article: Option<&DocId>) -> Result<Vec<CopyLink>, StoreError> {
        self.inner.copy_links(article)
    }
    fn quoting(&self, speaker: &str) -> Result<Vec<DocId>, StoreError> {
        self.inner.quoting(speaker)
    }
    fn corpus_state(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.inner.corpus_state(name)
    }
    fn put_corpus_state(&mut self, name: &str, data: &[u8]) -> Result<(), StoreError> {
        self.inner.put_corpus_state(name, data)
    }
    fn clear_connected(&mut self) -> Result<(), StoreError> {
        self.inner.clear_connected()
    }
}

#[test]
fn a_store_error_fails_only_its_article() {
    let docs: Vec<Document> = (0..4)
        .map(|i| doc(&format!("{i}.txt"), good_text(i)))
        .collect();
    let mut store = Refusing {
        inner: SqliteStore::open_in_memory().unwrap(),
        refused: docs[2].id().clone(),
    };
    store.put_batch(&docs).unwrap();
    let pipeline = Pipeline::standard().unwrap();
    let mut seen = Failures::default();
    let outcome = annotate(
        &mut store,
        &pipeline,
        &AnnotateOptions::default(),
        &mut seen,
    )
    .unwrap();
    assert_eq!((outcome.annotated, outcome.failed), (3, 1));
    assert_eq!(seen.0[0].0, "2.txt");
    assert!(seen.0[0].2.contains("too big"), "{:?}", seen.0);
    for (i, d) in docs.iter().enumerate() {
        assert_eq!(
            store.layers(d.id()).unwrap().is_empty(LayerName::Sentences),
            i == 2
        );
    }
    // The mayor is one entity over the three stored articles.
    let varga: Vec<EntityRecord> = store
        .entities()
        .unwrap()
        .into_iter()
        .filter(|e| e.canonical == "Elena Varga")
        .collect();
    assert_eq!(varga.len(), 1, "{varga:?}");
    assert_eq!(varga[0].articles.len(), 3);
}

#[test]
fn entities_do_not_depend_on_the_batch_size_and_reannotation_does_not_double_counts() {
    let texts = [
        "Finance Minister Lena Ortiz spoke in Portville on Monday.",
        "Finance Minister Maria Lena Ortiz said the budget was ready.",
        "The National Rail Council met in Portville. Maria Lena Ortiz attended.",
        "The NRC said trains would run. Lena Ortiz, the finance minister, agreed.",
    ];
    let docs: Vec<Document> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| doc(&format!("{i}.txt"), t.to_string()))
        .collect();
    let pipeline = Pipeline::standard().unwrap();
    let run = |batch_articles: usize| {
        let mut store = SqliteStore::open_in_memory().unwrap();
        store.put_batch(&docs).unwrap();
        let options = AnnotateOptions {
            batch_articles,
            ..AnnotateOptions::default()
        };
        annotate(&mut store, &pipeline, &options, &mut Failures::default()).unwrap();
        let mut list: Vec<(String, String, usize, Vec<String>)> = store
            .entities()
            .unwrap()
            .into_iter()
            .map(|e| (e.canonical, e.kind, e.mentions, e.articles))
            .collect();
        list.sort();
        (store, list)
    };
    let (mut store, whole) = run(128);
    let (_, one_by_one) = run(1);
    assert_eq!(whole, one_by_one);
    assert!(!whole.is_empty());
    // Re-annotating every article recomputes the entities: the same counts, not doubled.
    let all = AnnotateOptions {
        all: true,
        batch_articles: 2,
        ..AnnotateOptions::default()
    };
    annotate(&mut store, &pipeline, &all, &mut Failures::default()).unwrap();
    let mut again: Vec<(String, String, usize, Vec<String>)> = store
        .entities()
        .unwrap()
        .into_iter()
        .map(|e| (e.canonical, e.kind, e.mentions, e.articles))
        .collect();
    again.sort();
    assert_eq!(whole, again);
    // Mentions point at stored entities.
    let ids: Vec<String> = store
        .entities()
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect();
    for d in &docs {
        for m in store.layers(d.id()).unwrap().entities {
            if let Some(id) = m.entity {
                assert!(ids.contains(&id), "{id}");
            }
        }
    }
}
