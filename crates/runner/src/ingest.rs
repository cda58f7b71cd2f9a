//! The ingest run: read records lazily, skip those already stored, extract them in parallel a
//! chunk at a time, store several chunks in one transaction. A failed record is reported to
//! the observer and the run goes on.

use std::collections::{HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::mpsc;
use std::thread::ScopedJoinHandle;

use newsdesk_extract::Extractor;
use newsdesk_ingest::{expand_paths, read_path, Body, InputError, Item, Limits, Record};
use newsdesk_span::{DocId, Document, Source};
use newsdesk_store::{Encoded, Put, Store};
use rayon::prelude::*;

use crate::RunError;

/// How an ingest run reads and stores.
#[derive(Clone, Debug)]
pub struct IngestOptions {
    pub limits: Limits,
    /// Records stored per transaction...
    pub batch: usize,
    /// ...and at most this many bytes of record bodies, so a batch of long records stays
    /// small in memory (a batch is read, extracted and stored while the next is read).
    pub batch_bytes: usize,
}

impl Default for IngestOptions {
    fn default() -> IngestOptions {
        IngestOptions {
            limits: Limits::default(),
            // Each transaction rewrites the pages of the repetition counts and indexes it
            // touches, and records keyed by a hash touch nearly every index page: with 64
            // records a transaction, 21,914 articles (18 MB stored) wrote 730 MB to the log;
            // with 256, 160 MB and a checkpoint in mid-run that held up the other threads.
            batch: 2048,
            batch_bytes: 16 << 20,
        }
    }
}

/// What happened to one record.
pub enum RecordEvent<'a> {
    Failed {
        source: &'a Source,
        reason: &'a str,
    },
    Stored {
        doc: &'a Document,
        put: Put,
    },
    /// The reader passed over a record that holds no article by design (a headline-only
    /// brief in a wire archive): not a failure, but said, so nothing vanishes silently.
    Skipped {
        source: &'a Source,
        reason: &'a str,
    },
    /// The input is already stored (its ID is known): it was not extracted again.
    Present {
        source: &'a Source,
        id: &'a DocId,
    },
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
    /// Records the reader passed over by design (see [`RecordEvent::Skipped`]).
    pub skipped: usize,
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

/// What became of one record in a batch, in input order.
enum Processed {
    /// Extracted, with its row encoded on the same worker thread: compressing the text was
    /// most of what the storing thread did, and it held two threads to 1.3 times one.
    Doc(Box<Encoded>),
    Failed(Source, String),
    Skipped(Source, String),
    /// Stored by an earlier run: recognised by its ID and not extracted again.
    Known(Source, DocId),
}

/// A record's ID without extracting it: the same hash extraction gives the document (the
/// URL and the content as read, see [`DocId::for_content`]), so a present input is recognised
/// before any work is spent on it.
fn record_id(record: &Record) -> DocId {
    let content: &[u8] = match &record.body {
        Body::Text(text) => text.as_bytes(),
        Body::Html(bytes) => bytes,
    };
    DocId::for_content(record.hints.url.as_deref(), content)
}

/// Records read ahead of extraction, with how many input files ended among them and the bytes
/// of their bodies.
struct Chunk {
    items: Vec<(Item, Option<DocId>)>,
    files_done: usize,
    bytes: usize,
}

/// Records extracted together on the pool. A transaction stores several chunks: the pool gets
/// its work in pieces small enough to keep it busy while the storing thread writes, and the
/// store gets it in transactions large enough that each rewrites its index pages rarely.
const CHUNK_RECORDS: usize = 256;

/// Extracted chunks waiting for their transaction, which holds at most `batch_size` records
/// and about `batch_bytes` of bodies.
struct Pending {
    processed: Vec<Processed>,
    files_done: usize,
    bytes: usize,
    batch_size: usize,
    batch_bytes: usize,
}

impl Pending {
    fn new(batch_size: usize, batch_bytes: usize) -> Pending {
        Pending {
            processed: Vec::new(),
            files_done: 0,
            bytes: 0,
            batch_size,
            batch_bytes,
        }
    }

    /// Adds an extracted chunk (its records, the input files that ended in it, the bytes of
    /// its bodies), and stores what waits once it fills a transaction.
    fn add(
        &mut self,
        (processed, files_done, bytes): (Vec<Processed>, usize, usize),
        store: &mut dyn Store,
        outcome: &mut Outcome,
        observer: &mut dyn IngestObserver,
    ) -> Result<(), RunError> {
        self.processed.extend(processed);
        self.files_done += files_done;
        self.bytes += bytes;
        if self.processed.len() >= self.batch_size || self.bytes >= self.batch_bytes {
            self.store(store, outcome, observer)?;
        }
        Ok(())
    }

    /// Stores what waits in one transaction (nothing when nothing waits).
    fn store(
        &mut self,
        store: &mut dyn Store,
        outcome: &mut Outcome,
        observer: &mut dyn IngestObserver,
    ) -> Result<(), RunError> {
        let processed = std::mem::take(&mut self.processed);
        let files_done = std::mem::take(&mut self.files_done);
        self.bytes = 0;
        if processed.is_empty() && files_done == 0 {
            return Ok(());
        }
        store_batch(store, processed, files_done, outcome, observer)
    }
}

/// Chunks read ahead of the one being extracted: reading (and gunzipping) runs on its own
/// thread, bounded so memory stays at a few chunks whatever the corpus size.
const READ_AHEAD: usize = 2;

/// Chunks handed to the extraction before the oldest joins its transaction: with two, the pool
/// still has a whole chunk queued while the storing thread writes, so it never waits on the
/// store.
const EXTRACT_AHEAD: usize = 2;

/// Reads every input under `paths` into the store.
///
/// Three stages overlap: a reader thread reads and hashes records into chunks; each chunk is
/// extracted in parallel (rayon) while earlier ones are stored, several chunks a transaction,
/// on this thread. Storing is serial (one SQLite writer), so before the overlap it held both
/// cores up: with two threads a run was barely faster than with one.
pub fn ingest(
    store: &mut dyn Store,
    paths: &[PathBuf],
    options: &IngestOptions,
    observer: &mut dyn IngestObserver,
) -> Result<Outcome, RunError> {
    let files = expand_paths(paths);
    observer.files(files.len());
    let batch_size = options.batch.max(1);
    let batch_bytes = options.batch_bytes.max(1);
    let chunk_size = batch_size.min(CHUNK_RECORDS);
    let limits = options.limits.clone();
    let extractor = Extractor::default();
    let mut outcome = Outcome::default();
    if rayon::current_num_threads() <= 1 {
        // One thread of work: reading, extraction and storing take turns on this thread (the
        // extraction on the pool's one thread while this one waits). With the reader thread and
        // the store overlapping the pool, "1 thread" used about 1.4 cores, and the figure set
        // against two threads was not that of one.
        let mut stopped = None;
        let mut pending = Pending::new(batch_size, batch_bytes);
        read_all(files, &limits, (chunk_size, batch_bytes), |chunk| {
            let step = (|| -> Result<(), RunError> {
                let known = known_in(store, &chunk)?;
                let processed = extract_batch(&extractor, chunk.items, &known);
                let extracted = (processed, chunk.files_done, chunk.bytes);
                pending.add(extracted, store, &mut outcome, observer)
            })();
            match step {
                Ok(()) => true,
                Err(e) => {
                    stopped = Some(e);
                    false
                }
            }
        });
        return match stopped {
            Some(e) => Err(e),
            None => {
                pending.store(store, &mut outcome, observer)?;
                Ok(outcome)
            }
        };
    }
    std::thread::scope(|scope| -> Result<(), RunError> {
        let (send, chunks) = mpsc::sync_channel::<Chunk>(READ_AHEAD);
        scope.spawn(move || {
            read_all(files, &limits, (chunk_size, batch_bytes), |chunk| {
                send.send(chunk).is_ok()
            })
        });
        let extractor = &extractor;
        let mut in_flight: VecDeque<(ScopedJoinHandle<'_, Vec<Processed>>, usize, usize)> =
            VecDeque::with_capacity(EXTRACT_AHEAD + 1);
        let mut pending = Pending::new(batch_size, batch_bytes);
        for chunk in chunks {
            let known = known_in(store, &chunk)?;
            let items = chunk.items;
            let handle = scope.spawn(move || extract_batch(extractor, items, &known));
            in_flight.push_back((handle, chunk.files_done, chunk.bytes));
            if in_flight.len() > EXTRACT_AHEAD {
                if let Some((prev, files_done, bytes)) = in_flight.pop_front() {
                    let extracted = (join(prev), files_done, bytes);
                    pending.add(extracted, store, &mut outcome, observer)?;
                }
            }
        }
        while let Some((prev, files_done, bytes)) = in_flight.pop_front() {
            pending.add(
                (join(prev), files_done, bytes),
                store,
                &mut outcome,
                observer,
            )?;
        }
        pending.store(store, &mut outcome, observer)?;
        Ok(())
    })?;
    Ok(outcome)
}

fn join(handle: ScopedJoinHandle<'_, Vec<Processed>>) -> Vec<Processed> {
    // Extraction catches the panics it knows of; any other is a bug that should surface.
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Reads records in chunks of at most `chunk_size` records and about `batch_bytes` of bodies
/// (a chunk closes once it reaches either), each record with its ID, and hands each chunk to
/// `send` (the channel to the extraction, or the extraction itself); stops quietly when `send`
/// answers false (the run has stopped listening).
fn read_all(
    files: Vec<Result<PathBuf, InputError>>,
    limits: &Limits,
    (chunk_size, batch_bytes): (usize, usize),
    mut send: impl FnMut(Chunk) -> bool,
) {
    let mut chunk = Chunk {
        items: Vec::with_capacity(chunk_size),
        files_done: 0,
        bytes: 0,
    };
    for file in files {
        let items: Box<dyn Iterator<Item = Item>> = match file {
            Ok(path) => read_path(&path, limits),
            Err(err) => Box::new(std::iter::once(Err(err))),
        };
        for item in items {
            let id = item.as_ref().ok().map(record_id);
            chunk.bytes += item.as_ref().map_or(0, |r| match &r.body {
                Body::Text(text) => text.len(),
                Body::Html(html) => html.len(),
            });
            chunk.items.push((item, id));
            if chunk.items.len() >= chunk_size || chunk.bytes >= batch_bytes {
                let full = std::mem::replace(
                    &mut chunk,
                    Chunk {
                        items: Vec::with_capacity(chunk_size),
                        files_done: 0,
                        bytes: 0,
                    },
                );
                if !send(full) {
                    return;
                }
            }
        }
        chunk.files_done += 1;
    }
    if !chunk.items.is_empty() || chunk.files_done > 0 {
        send(chunk);
    }
}

/// Which of a chunk's records the store already holds, by the IDs computed as they were read.
fn known_in(store: &dyn Store, chunk: &Chunk) -> Result<HashSet<DocId>, RunError> {
    let ids: Vec<DocId> = chunk
        .items
        .iter()
        .filter_map(|(_, id)| id.clone())
        .collect();
    Ok(store.existing(&ids)?)
}

fn extract_batch(
    extractor: &Extractor,
    items: Vec<(Item, Option<DocId>)>,
    known: &HashSet<DocId>,
) -> Vec<Processed> {
    items
        .into_par_iter()
        .map(|(item, id)| match item {
            Err(InputError {
                source,
                reason: newsdesk_ingest::Reason::Skipped(why),
            }) => Processed::Skipped(source, why),
            Err(err) => Processed::Failed(err.source.clone(), err.reason.to_string()),
            Ok(record) => match id.filter(|id| known.contains(id)) {
                Some(id) => Processed::Known(record.source, id),
                None => {
                    let source = record.source.clone();
                    match extractor.extract(record) {
                        Ok(doc) => match Encoded::new(doc) {
                            Ok(encoded) => Processed::Doc(Box::new(encoded)),
                            Err(err) => Processed::Failed(source, err.to_string()),
                        },
                        Err(err) => Processed::Failed(source, err.to_string()),
                    }
                }
            },
        })
        .collect()
}

/// Stores one extracted batch in one transaction and reports every record in input order.
fn store_batch(
    store: &mut dyn Store,
    processed: Vec<Processed>,
    files_done: usize,
    outcome: &mut Outcome,
    observer: &mut dyn IngestObserver,
) -> Result<(), RunError> {
    let mut docs = Vec::new();
    let mut order = Vec::with_capacity(processed.len());
    for p in processed {
        match p {
            Processed::Doc(doc) => {
                docs.push(*doc);
                order.push(None);
            }
            Processed::Failed(source, reason) => order.push(Some(Err((source, reason, false)))),
            Processed::Skipped(source, reason) => order.push(Some(Err((source, reason, true)))),
            Processed::Known(source, id) => order.push(Some(Ok((source, id)))),
        }
    }
    let puts = store.put_encoded(&docs)?;
    // One stored document per `None`, in the same order.
    let mut stored = docs.iter().map(Encoded::doc).zip(puts);
    for slot in order {
        match slot {
            None => {
                if let Some((doc, put)) = stored.next() {
                    observer.record(RecordEvent::Stored { doc, put })?;
                    outcome.stored.push((doc.id().clone(), put));
                }
            }
            Some(Err((source, reason, true))) => {
                outcome.skipped += 1;
                observer.record(RecordEvent::Skipped {
                    source: &source,
                    reason: &reason,
                })?;
            }
            Some(Err((source, reason, false))) => {
                outcome.failed += 1;
                observer.record(RecordEvent::Failed {
                    source: &source,
                    reason: &reason,
                })?;
            }
            Some(Ok((source, id))) => {
                observer.record(RecordEvent::Present {
                    source: &source,
                    id: &id,
                })?;
                outcome.stored.push((id, Put::AlreadyPresent));
            }
        }
    }
    for _ in 0..files_done {
        observer.file_done();
    }
    observer.batch_done(outcome);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsdesk_store::SqliteStore;

    /// JSON Lines of `n` articles of one outlet, each ending with the same standing line.
    fn outlet_pages(dir: &std::path::Path, n: usize) -> Vec<PathBuf> {
        (0..n)
            .map(|i| {
                let path = dir.join(format!("page{i}.jsonl"));
                let text = format!(
                    "Council approves bridge plan {i}\\n\\nThe council voted on Tuesday to \
                     rebuild the old bridge number {i}, after a debate that lasted most of the \
                     evening and drew a large crowd.\\n\\nThe Valley Post is owned by its \
                     readers and answers to them alone."
                );
                let line = format!(
                    "{{\"url\":\"https://valley.example/{i}\",\"outlet\":\"Valley Post\",\"text\":\"{text}\"}}\n"
                );
                std::fs::write(&path, line).unwrap();
                path
            })
            .collect()
    }

    fn run(store: &mut SqliteStore, paths: &[PathBuf], batch: usize) -> Outcome {
        let options = IngestOptions {
            batch,
            ..IngestOptions::default()
        };
        ingest(store, paths, &options, &mut NoObserver).unwrap()
    }

    #[test]
    fn stored_text_does_not_depend_on_the_other_articles_of_the_run() {
        let dir = tempfile::tempdir().unwrap();
        let paths = outlet_pages(dir.path(), 4);
        let mut alone = SqliteStore::open_in_memory().unwrap();
        run(&mut alone, &paths[..1], 64);
        let mut together = SqliteStore::open_in_memory().unwrap();
        let outcome = run(&mut together, &paths, 2);
        assert_eq!(outcome.added(), 4);
        let id = outcome.stored[0].0.as_str();
        let a = alone.get(id).unwrap().unwrap();
        let b = together.get(id).unwrap().unwrap();
        assert_eq!(a.text(), b.text());
        assert!(b.text().contains("owned by its readers"));
        // The repeated line is marked instead, with the counts behind it.
        let furniture = together.layers(b.id()).unwrap().furniture;
        assert_eq!(furniture.len(), 1, "{furniture:?}");
        assert!(furniture[0]
            .span
            .slice(b.text())
            .starts_with("The Valley Post is owned"));
        assert_eq!(furniture[0].outlet_articles, 4);
        assert!(alone.layers(a.id()).unwrap().furniture.is_empty());
    }

    /// Counts the batches of a run that stored records.
    #[derive(Default)]
    struct Batches {
        stored: usize,
        batches: usize,
    }

    impl IngestObserver for Batches {
        fn batch_done(&mut self, outcome: &Outcome) {
            if outcome.stored.len() > self.stored {
                self.batches += 1;
                self.stored = outcome.stored.len();
            }
        }
    }

    #[test]
    fn a_batch_of_long_records_closes_at_its_byte_bound() {
        let dir = tempfile::tempdir().unwrap();
        let paths = outlet_pages(dir.path(), 6);
        // A page's body is its text, a little shorter than its JSON line: two lines' worth of
        // bytes close a batch after the third record.
        let line = std::fs::metadata(&paths[0]).unwrap().len() as usize;
        for (batch_bytes, batches) in [(usize::MAX, 1), (2 * line, 2), (1, 6)] {
            let options = IngestOptions {
                batch: 256,
                batch_bytes,
                ..IngestOptions::default()
            };
            let mut store = SqliteStore::open_in_memory().unwrap();
            let mut seen = Batches::default();
            let outcome = ingest(&mut store, &paths, &options, &mut seen).unwrap();
            assert_eq!(outcome.added(), 6);
            assert_eq!(seen.batches, batches, "at most {batch_bytes} bytes a batch");
        }
    }

    #[test]
    fn a_transaction_stores_several_extracted_chunks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wire.jsonl");
        let lines: String = (0..700)
            .map(|i| {
                format!(
                    "{{\"url\":\"https://wire.example/{i}\",\"text\":\"Ferry timetable {i}\\n\\nThe ferry number {i} now leaves at {i} past the hour, the harbour office said on Monday.\"}}\n"
                )
            })
            .collect();
        std::fs::write(&path, lines).unwrap();
        // Chunks of 256 records go to the pool; 500 records a transaction take two chunks,
        // and the rest goes in a second.
        for (batch, batches) in [(500, 2), (256, 3), (100, 7)] {
            let options = IngestOptions {
                batch,
                ..IngestOptions::default()
            };
            let mut store = SqliteStore::open_in_memory().unwrap();
            let mut seen = Batches::default();
            let outcome =
                ingest(&mut store, std::slice::from_ref(&path), &options, &mut seen).unwrap();
            assert_eq!(outcome.added(), 700);
            assert_eq!(seen.batches, batches, "{batch} records a transaction");
        }
    }

    #[derive(Default)]
    struct Events {
        present: usize,
        stored: usize,
        files: usize,
    }

    impl IngestObserver for Events {
        fn file_done(&mut self) {
            self.files += 1;
        }
        fn record(&mut self, event: RecordEvent<'_>) -> std::io::Result<()> {
            match event {
                RecordEvent::Present { .. } => self.present += 1,
                RecordEvent::Stored { .. } => self.stored += 1,
                RecordEvent::Failed { .. } | RecordEvent::Skipped { .. } => {}
            }
            Ok(())
        }
    }

    #[test]
    fn reingest_skips_known_inputs_before_extraction() {
        let dir = tempfile::tempdir().unwrap();
        let paths = outlet_pages(dir.path(), 5);
        let mut store = SqliteStore::open_in_memory().unwrap();
        let options = IngestOptions {
            batch: 2,
            ..IngestOptions::default()
        };
        ingest(&mut store, &paths[..3], &options, &mut Events::default()).unwrap();
        let mut events = Events::default();
        let outcome = ingest(&mut store, &paths, &options, &mut events).unwrap();
        assert_eq!((events.present, events.stored, events.files), (3, 2, 5));
        assert_eq!((outcome.added(), outcome.already_present()), (2, 3));
        // Input order is kept in the outcome.
        let ids: Vec<&DocId> = outcome.ids().collect();
        let first = ingest(&mut store, &paths[..1], &options, &mut NoObserver).unwrap();
        assert_eq!(ids[0], &first.stored[0].0);
    }

    #[test]
    fn record_id_is_the_id_extraction_gives() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.txt"),
            "Plain text\n\nA paragraph of it.\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("b.html"),
            "<html><head><title>T</title></head><body><article><p>An HTML page with a \
             paragraph long enough to be read as the body of an article.</p></article></body></html>",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("c.jsonl"),
            "{\"url\":\"https://x.example/1\",\"text\":\"A crawled text.\"}\n",
        )
        .unwrap();
        let extractor = Extractor::default();
        for file in expand_paths(&[dir.path().to_path_buf()]) {
            for item in read_path(&file.unwrap(), &Limits::default()) {
                let record = item.unwrap();
                let id = record_id(&record);
                assert_eq!(extractor.extract(record).unwrap().id(), &id);
            }
        }
    }

    #[test]
    fn one_thread_ingest_reads_extracts_and_stores_in_turn_with_the_same_outcome() {
        let dir = tempfile::tempdir().unwrap();
        let paths = outlet_pages(dir.path(), 7);
        let run_on = |threads: usize, paths: &[PathBuf]| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let mut store = SqliteStore::open_in_memory().unwrap();
            let mut events = Events::default();
            let outcome = pool.install(|| {
                let options = IngestOptions {
                    batch: 3,
                    ..IngestOptions::default()
                };
                ingest(&mut store, &paths[..4], &options, &mut NoObserver).unwrap();
                ingest(&mut store, paths, &options, &mut events).unwrap()
            });
            let texts: Vec<String> = outcome
                .ids()
                .map(|id| store.get(id.as_str()).unwrap().unwrap().text().to_string())
                .collect();
            (
                outcome.stored,
                (events.present, events.stored, events.files),
                texts,
            )
        };
        let one = run_on(1, &paths);
        assert_eq!(one.1, (4, 3, 7));
        assert_eq!(one, run_on(2, &paths));
    }
}
