//! The ingest run: read records lazily, extract a batch in parallel, store the batch in one
//! transaction. A failed record is reported to the observer and the run goes on.

use newsdesk_extract::repeat::Repetition;
use newsdesk_extract::Extractor;
use newsdesk_ingest::{expand_paths, read_path, Limits};
use newsdesk_span::{DocId, Document, Source};
use newsdesk_store::{Put, Store};
use rayon::prelude::*;
use std::path::PathBuf;

use crate::RunError;

/// How an ingest run reads and stores.
#[derive(Clone, Debug)]
pub struct IngestOptions {
    pub limits: Limits,
    /// Records stored per transaction.
    pub batch: usize,
}

impl Default for IngestOptions {
    fn default() -> IngestOptions {
        IngestOptions {
            limits: Limits::default(),
            batch: 64,
        }
    }
}

/// What happened to one record.
pub enum RecordEvent<'a> {
    Failed { source: &'a Source, reason: &'a str },
    Stored { doc: &'a Document, put: Put },
}

/// Receives an ingest run's progress and per-record outcomes.
pub trait IngestObserver {
    /// The number of input files, once they are listed.
    fn files(&mut self, _total: usize) {}
    /// One input file was read to its end.
    fn file_done(&mut self) {}
    fn record(&mut self, _event: RecordEvent<'_>) -> std::io::Result<()> {
        Ok(())
    }
    /// A batch was stored; `outcome` is the running total.
    fn batch_done(&mut self, _outcome: &Outcome) {}
}

/// An observer that ignores everything.
pub struct NoObserver;

impl IngestObserver for NoObserver {}

#[derive(Default, Debug)]
pub struct Outcome {
    /// Every article the inputs produced, in input order, with what storing it did.
    pub stored: Vec<(DocId, Put)>,
    pub failed: usize,
}

impl Outcome {
    /// Distinct article IDs in input order.
    pub fn ids(&self) -> impl Iterator<Item = &DocId> {
        let mut seen = std::collections::HashSet::new();
        self.stored
            .iter()
            .map(|(id, _)| id)
            .filter(move |id| seen.insert(*id))
    }

    pub fn added(&self) -> usize {
        self.stored.iter().filter(|(_, p)| *p == Put::Added).count()
    }

    pub fn already_present(&self) -> usize {
        self.stored.len() - self.added()
    }
}

enum Processed {
    Doc(Box<Document>),
    Failed(Source, String),
}

/// Reads every input under `paths` into the store.
pub fn ingest(
    store: &mut dyn Store,
    paths: &[PathBuf],
    options: &IngestOptions,
    observer: &mut dyn IngestObserver,
) -> Result<Outcome, RunError> {
    let files = expand_paths(paths);
    observer.files(files.len());
    let mut batcher = Batcher {
        store,
        extractor: Extractor::default(),
        repetition: Repetition::default(),
        batch: Vec::with_capacity(options.batch.max(1)),
        batch_size: options.batch.max(1),
        outcome: Outcome::default(),
        observer,
    };
    for file in files {
        match file {
            Ok(path) => {
                for item in read_path(&path, &options.limits) {
                    batcher.push(item)?;
                }
            }
            Err(err) => batcher.push(Err(err))?,
        }
        batcher.observer.file_done();
    }
    batcher.flush()?;
    Ok(batcher.outcome)
}

/// Collects records into batches; each batch is extracted in parallel and stored in one
/// transaction.
struct Batcher<'a> {
    store: &'a mut dyn Store,
    extractor: Extractor,
    /// Paragraphs each outlet repeats across the articles of this run.
    repetition: Repetition,
    batch: Vec<newsdesk_ingest::Item>,
    batch_size: usize,
    outcome: Outcome,
    observer: &'a mut dyn IngestObserver,
}

impl Batcher<'_> {
    /// Counts this batch's paragraphs per outlet, then removes those the outlet repeats.
    /// The document ID hashes the page as read, so it does not change with the text.
    fn strip_repeated(&mut self, docs: Vec<Document>) -> Vec<Document> {
        for doc in &docs {
            if let Some(outlet) = &doc.meta.outlet {
                self.repetition.observe(&outlet.value, doc.text());
            }
        }
        docs.into_iter()
            .map(|doc| {
                let stripped = doc
                    .meta
                    .outlet
                    .as_ref()
                    .and_then(|o| self.repetition.strip(&o.value, doc.text()));
                match stripped {
                    Some(text) => Document::from_parts(
                        doc.id().clone(),
                        doc.source.clone(),
                        doc.meta.clone(),
                        text,
                    ),
                    None => doc,
                }
            })
            .collect()
    }

    fn push(&mut self, item: newsdesk_ingest::Item) -> Result<(), RunError> {
        self.batch.push(item);
        if self.batch.len() >= self.batch_size {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), RunError> {
        let extractor = &self.extractor;
        let processed: Vec<Processed> = std::mem::take(&mut self.batch)
            .into_par_iter()
            .map(|item| match item {
                Err(err) => Processed::Failed(err.source.clone(), err.reason.to_string()),
                Ok(record) => {
                    let source = record.source.clone();
                    match extractor.extract(record) {
                        Ok(doc) => Processed::Doc(Box::new(doc)),
                        Err(err) => Processed::Failed(source, err.to_string()),
                    }
                }
            })
            .collect();
        let mut docs = Vec::new();
        for p in processed {
            match p {
                Processed::Doc(doc) => docs.push(*doc),
                Processed::Failed(source, reason) => {
                    self.outcome.failed += 1;
                    self.observer.record(RecordEvent::Failed {
                        source: &source,
                        reason: &reason,
                    })?;
                }
            }
        }
        let docs = self.strip_repeated(docs);
        let puts = self.store.put_batch(&docs)?;
        for (doc, put) in docs.iter().zip(puts) {
            self.observer.record(RecordEvent::Stored { doc, put })?;
            self.outcome.stored.push((doc.id().clone(), put));
        }
        self.observer.batch_done(&self.outcome);
        Ok(())
    }
}
