//! The ingest pipeline: read records lazily, extract a batch in parallel, store the batch in
//! one transaction. A failed record is reported on stderr and the run goes on.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use newsdesk_extract::repeat::Repetition;
use newsdesk_extract::Extractor;
use newsdesk_ingest::{expand_paths, read_path, Limits};
use newsdesk_span::{DocId, Document, Source};
use newsdesk_store::{Put, Store};
use rayon::prelude::*;
use serde_json::json;

use crate::IngestArgs;

#[derive(Default)]
pub struct Outcome {
    /// Every article the inputs produced, in input order, with what storing it did.
    pub stored: Vec<(DocId, Put)>,
    pub failed: usize,
}

impl Outcome {
    pub fn ids(&self) -> impl Iterator<Item = &DocId> {
        let mut seen = std::collections::HashSet::new();
        self.stored
            .iter()
            .map(|(id, _)| id)
            .filter(move |id| seen.insert(*id))
    }

    pub fn summary_line(&self) -> String {
        let added = self.stored.iter().filter(|(_, p)| *p == Put::Added).count();
        let present = self.stored.len() - added;
        format!(
            "{added} added, {present} already present, {} failed",
            self.failed
        )
    }

    pub fn exit_code(&self) -> ExitCode {
        if self.failed > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }
}

enum Processed {
    Doc(Box<Document>),
    Failed(Source, String),
}

pub fn run(
    store: &mut dyn Store,
    args: &IngestArgs,
    json_lines: bool,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let limits = Limits {
        max_record_bytes: args.max_record_bytes,
    };
    let files = expand_paths(&args.paths);
    let progress =
        ProgressBar::with_draw_target(Some(files.len() as u64), ProgressDrawTarget::stderr());
    progress.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} files {msg}",
        )
        .expect("static template"),
    );
    let mut batcher = Batcher {
        store,
        extractor: Extractor::default(),
        repetition: Repetition::default(),
        batch: Vec::with_capacity(args.batch.max(1)),
        batch_size: args.batch.max(1),
        outcome: Outcome::default(),
        json_lines,
        out,
        progress: &progress,
    };
    for file in files {
        match file {
            Ok(path) => {
                for item in read_path(&path, &limits) {
                    batcher.push(item)?;
                }
            }
            Err(err) => batcher.push(Err(err))?,
        }
        progress.inc(1);
    }
    batcher.flush()?;
    progress.finish_and_clear();
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
    json_lines: bool,
    out: &'a mut dyn Write,
    progress: &'a ProgressBar,
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

    fn push(&mut self, item: newsdesk_ingest::Item) -> Result<()> {
        self.batch.push(item);
        if self.batch.len() >= self.batch_size {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
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
                    self.progress
                        .suspend(|| eprintln!("error: {source}: {reason}"));
                    if self.json_lines {
                        writeln!(
                            self.out,
                            "{}",
                            json!({"source": source, "status": "failed", "reason": reason})
                        )?;
                    }
                }
            }
        }
        let docs = self.strip_repeated(docs);
        let puts = self.store.put_batch(&docs)?;
        for (doc, put) in docs.iter().zip(puts) {
            if self.json_lines {
                let status = match put {
                    Put::Added => "added",
                    Put::AlreadyPresent => "already-present",
                };
                writeln!(
                    self.out,
                    "{}",
                    json!({"source": doc.source, "id": doc.id(), "status": status})
                )?;
            }
            if put == Put::AlreadyPresent {
                self.progress
                    .suspend(|| eprintln!("already present: {} ({})", doc.source, doc.id()));
            }
            self.outcome.stored.push((doc.id().clone(), put));
        }
        self.progress.set_message(self.outcome.summary_line());
        Ok(())
    }
}
