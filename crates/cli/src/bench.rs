//! `newsdesk bench ingest`: single-core throughput of HTML extraction and of page-text
//! cleaning on real corpora, the whole text ingest run with one and two threads, and peak
//! memory; `newsdesk bench
//! annotate`: the pipeline's single-thread throughput by stage, and the whole annotate run with
//! one and two threads.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use newsdesk_extract::Extractor;
use newsdesk_ingest::{Body, Format, Hints, Record};
use newsdesk_span::Source;

fn files_under(dir: &Path, suffixes: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if suffixes.iter().any(|s| p.to_string_lossy().ends_with(s)) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn read_gz_or_plain(path: &Path) -> Result<Vec<u8>> {
    let bytes = std::fs::read(path).with_context(|| path.display().to_string())?;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&bytes[..]).read_to_end(&mut out)?;
        return Ok(out);
    }
    Ok(bytes)
}

/// Peak resident memory of this process, from /proc (Linux).
pub(crate) fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// CPU time of this process so far, all threads, in seconds (Linux; clock ticks of 1/100 s).
/// Beside wall time it shows whether a run got the cores it asked for: on a shared machine
/// two threads may wait for one core.
pub(crate) fn cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn record(i: usize, body: Body) -> Record {
    let format = match body {
        Body::Html(_) => Format::Html,
        Body::Text(_) => Format::Text,
    };
    Record {
        source: Source {
            location: format!("bench#{i}"),
            record: None,
        },
        format,
        body,
        hints: Hints::default(),
    }
}

/// Times extraction of every body on one thread.
fn time_single(
    out: &mut dyn Write,
    extractor: &Extractor,
    label: &str,
    bodies: Vec<Body>,
) -> Result<()> {
    if bodies.is_empty() {
        writeln!(out, "{label:<28} skipped: no input found")?;
        return Ok(());
    }
    let bytes: usize = bodies
        .iter()
        .map(|b| match b {
            Body::Html(h) => h.len(),
            Body::Text(t) => t.len(),
        })
        .sum();
    let n = bodies.len();
    let records: Vec<Record> = bodies
        .into_iter()
        .enumerate()
        .map(|(i, b)| record(i, b))
        .collect();
    let start = Instant::now();
    let mut ok = 0usize;
    for r in records {
        if extractor.extract(r).is_ok() {
            ok += 1;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    writeln!(
        out,
        "{label:<28} {n:>6} docs ({ok} extracted)  {:>9.1} docs/s  {:>6.2} MB/s  (1 thread, {:.2} s)",
        n as f64 / secs,
        bytes as f64 / 1e6 / secs,
        secs
    )?;
    Ok(())
}

/// Reuters-21578's stories as the ingest reader gives them: one record per `<REUTERS>` element
/// with a story body (headline-only briefs are passed over, as `newsdesk ingest` does).
fn reuters_bodies(dir: &Path) -> Result<Vec<Body>> {
    let limits = newsdesk_ingest::Limits::default();
    let mut bodies = Vec::new();
    for f in files_under(dir, &[".sgm.gz", ".sgm"]) {
        for record in newsdesk_ingest::read_path(&f, &limits).flatten() {
            bodies.push(record.body);
        }
    }
    Ok(bodies)
}

pub fn ingest(
    data: &Path,
    extractor: &Extractor,
    text_only: bool,
    out: &mut dyn Write,
) -> Result<()> {
    writeln!(out, "newsdesk bench ingest --data {}", data.display())?;
    if !text_only {
        let html_dir = data.join("extraction-trafilatura/tests");
        let html: Vec<Body> = files_under(&html_dir, &[".html.gz", ".html"])
            .iter()
            .map(|p| read_gz_or_plain(p).map(Body::Html))
            .collect::<Result<_>>()?;
        time_single(out, extractor, "html extraction (trafilatura)", html)?;
        let dates_dir = data.join("dates-htmldate");
        let html: Vec<Body> = files_under(&dates_dir, &[".html.gz", ".html"])
            .iter()
            .map(|p| read_gz_or_plain(p).map(Body::Html))
            .collect::<Result<_>>()?;
        time_single(out, extractor, "html extraction (htmldate)", html)?;
    }
    let bbc: Vec<Body> = files_under(&data.join("corpora/bbc-fulltext"), &[".txt"])
        .iter()
        .map(|p| read_gz_or_plain(p).map(|b| Body::Text(String::from_utf8_lossy(&b).into_owned())))
        .collect::<Result<_>>()?;
    time_single(out, extractor, "text cleaning (BBC)", bbc)?;
    time_single(
        out,
        extractor,
        "text cleaning (Reuters-21578)",
        reuters_bodies(&data.join("corpora/reuters21578"))?,
    )?;
    ingest_threads(
        out,
        &[
            data.join("corpora/bbc-fulltext"),
            data.join("corpora/reuters21578"),
        ],
    )?;
    match peak_rss_mb() {
        Some(mb) => writeln!(out, "peak RSS {mb:.0} MB")?,
        None => writeln!(out, "peak RSS unavailable on this platform")?,
    }
    Ok(())
}

/// The whole text `ingest` run (reading, gunzipping, extraction, storing) over `dirs` into a
/// new store, on a pool of 1 and then 2 threads, and the ratio. On 1 thread the run is one
/// thread of work: reading, extraction and storing take turns (see `newsdesk_runner::ingest`).
/// On 2, a reader thread and the storing thread run beside the pool's two.
fn ingest_threads(out: &mut dyn Write, dirs: &[PathBuf]) -> Result<()> {
    let dirs: Vec<PathBuf> = dirs.iter().filter(|d| d.is_dir()).cloned().collect();
    if dirs.is_empty() {
        writeln!(out, "{:<28} skipped: no input found", "ingest run")?;
        return Ok(());
    }
    let mut figures = Vec::new();
    for threads in [1, 2] {
        let path = std::env::temp_dir().join(format!(
            "newsdesk-bench-ingest-{}-{threads}.db",
            std::process::id()
        ));
        let result = (|| -> Result<(usize, f64, Option<f64>)> {
            let mut store = newsdesk_store::SqliteStore::open(&path)?;
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()?;
            let start = Instant::now();
            let cpu = cpu_secs();
            let outcome = pool.install(|| {
                newsdesk_runner::ingest(
                    &mut store,
                    &dirs,
                    &newsdesk_runner::IngestOptions::default(),
                    &mut newsdesk_runner::NoObserver,
                )
            })?;
            let cpu = cpu.zip(cpu_secs()).map(|(a, b)| b - a);
            Ok((outcome.added(), start.elapsed().as_secs_f64(), cpu))
        })();
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        figures.push(result?);
    }
    for (threads, (n, secs, cpu)) in [1, 2].iter().zip(&figures) {
        let cpu = cpu.map_or("CPU time unavailable".into(), |c| format!("{c:.2} s CPU"));
        writeln!(
            out,
            "{:<28} {n:>6} docs  {:>9.1} docs/s  ({threads} thread{}, {secs:.2} s, {cpu}; reading and storing included)",
            "ingest run (text)",
            *n as f64 / secs,
            if *threads == 1 { "" } else { "s" },
        )?;
    }
    writeln!(
        out,
        "{:<28} 2 threads / 1 thread: {:.2}x",
        "ingest run (text)",
        figures[0].1 / figures[1].1
    )?;
    Ok(())
}

/// Time of one annotation pass over a corpus, in all and by stage.
struct Pass {
    secs: f64,
    per_stage: Vec<f64>,
    mentions: usize,
}

fn annotate_pass(pipeline: &newsdesk_pipeline::Pipeline, docs: &[newsdesk_span::Document]) -> Pass {
    let mut per_stage = vec![0f64; pipeline.stages().len()];
    let start = Instant::now();
    let mut mentions = 0usize;
    for d in docs {
        let mut layers = newsdesk_span::Layers::default();
        for (i, stage) in pipeline.stages().iter().enumerate() {
            let t = Instant::now();
            stage.run(d, &mut layers);
            per_stage[i] += t.elapsed().as_secs_f64();
        }
        mentions += layers.entities.len();
    }
    Pass {
        secs: start.elapsed().as_secs_f64(),
        per_stage,
        mentions,
    }
}

/// Single-thread throughput of the annotation pipeline (every stage) on real article text.
pub fn annotate(data: &Path, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "newsdesk bench annotate --data {}", data.display())?;
    let pipeline = newsdesk_pipeline::Pipeline::standard()?;
    let stages: Vec<&str> = pipeline.stages().iter().map(|s| s.name()).collect();
    writeln!(out, "stages: {}", stages.join(", "))?;
    let bbc: Vec<String> = files_under(&data.join("corpora/bbc-fulltext"), &[".txt"])
        .iter()
        .map(|p| read_gz_or_plain(p).map(|b| String::from_utf8_lossy(&b).into_owned()))
        .collect::<Result<_>>()?;
    let reuters: Vec<String> = reuters_bodies(&data.join("corpora/reuters21578"))?
        .into_iter()
        .filter_map(|b| match b {
            Body::Text(t) => Some(t),
            Body::Html(_) => None,
        })
        .collect();
    let corpora = [("BBC", bbc), ("Reuters-21578", reuters)];
    for (label, texts) in &corpora {
        let label = *label;
        if texts.is_empty() {
            writeln!(out, "{label:<16} skipped: no input found")?;
            continue;
        }
        let docs: Vec<newsdesk_span::Document> = texts
            .iter()
            .map(|t| {
                newsdesk_span::Document::new(
                    Source {
                        location: label.into(),
                        record: None,
                    },
                    newsdesk_span::Meta::default(),
                    t.clone(),
                )
            })
            .collect();
        let bytes: usize = docs.iter().map(|d| d.text().len()).sum();
        // The first pass also builds what is built once per process (the date grammar's and
        // the cue lists' automata, the recogniser's word cache); a long run amortises it, so
        // the second pass is the throughput, and the first is shown beside it.
        let cold = annotate_pass(&pipeline, &docs);
        let warm = annotate_pass(&pipeline, &docs);
        let breakdown: Vec<String> = stages
            .iter()
            .zip(&warm.per_stage)
            .map(|(name, t)| format!("{name} {:.0}%", 100.0 * t / warm.secs))
            .collect();
        writeln!(
            out,
            "{label:<16} {:>6} docs  {:>7.2} MB  {:>9.1} docs/s  {:>6.2} MB/s  {} entity mentions  (1 thread, {:.2} s; first pass {:.2} MB/s)",
            docs.len(),
            bytes as f64 / 1e6,
            docs.len() as f64 / warm.secs,
            bytes as f64 / 1e6 / warm.secs,
            warm.mentions,
            warm.secs,
            bytes as f64 / 1e6 / cold.secs,
        )?;
        writeln!(out, "{:<16} time by stage: {}", "", breakdown.join(", "))?;
    }
    run_threads(out, &corpora)?;
    match peak_rss_mb() {
        Some(mb) => writeln!(out, "peak RSS {mb:.0} MB")?,
        None => writeln!(out, "peak RSS unavailable on this platform")?,
    }
    Ok(())
}

/// The whole `annotate` run (store reads, every stage, entity resolution, store writes) over
/// both corpora in one store, with 1 and then 2 threads, and the ratio: how far the run scales
/// with cores, which the per-stage figures above cannot show.
fn run_threads(out: &mut dyn Write, corpora: &[(&str, Vec<String>)]) -> Result<()> {
    let docs: Vec<newsdesk_span::Document> = corpora
        .iter()
        .flat_map(|(label, texts)| {
            texts.iter().enumerate().map(move |(i, t)| {
                newsdesk_span::Document::new(
                    Source {
                        location: format!("{label}#{i}"),
                        record: None,
                    },
                    newsdesk_span::Meta::default(),
                    t.clone(),
                )
            })
        })
        .collect();
    if docs.is_empty() {
        return Ok(());
    }
    let bytes: usize = docs.iter().map(|d| d.text().len()).sum();
    let path = std::env::temp_dir().join(format!("newsdesk-bench-{}.db", std::process::id()));
    let result = (|| -> Result<Vec<(usize, f64, Option<f64>)>> {
        use newsdesk_store::Store;
        let mut store = newsdesk_store::SqliteStore::open(&path)?;
        for chunk in docs.chunks(1000) {
            store.put_batch(chunk)?;
        }
        drop(docs);
        let pipeline = newsdesk_pipeline::Pipeline::standard()?;
        let mut figures = Vec::new();
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()?;
            // The second run re-annotates everything and resolves entities from scratch, the
            // same work as the first.
            let options = newsdesk_runner::AnnotateOptions {
                all: threads > 1,
                ..Default::default()
            };
            let start = Instant::now();
            let cpu = cpu_secs();
            let outcome = pool.install(|| {
                newsdesk_runner::annotate(
                    &mut store,
                    &pipeline,
                    &options,
                    &mut newsdesk_runner::NoObserver,
                )
            })?;
            let cpu = cpu.zip(cpu_secs()).map(|(a, b)| b - a);
            figures.push((outcome.annotated, start.elapsed().as_secs_f64(), cpu));
        }
        Ok(figures)
    })();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let figures = result?;
    for (threads, (n, secs, cpu)) in [1, 2].iter().zip(&figures) {
        let cpu = cpu.map_or("CPU time unavailable".into(), |c| format!("{c:.2} s CPU"));
        writeln!(
            out,
            "annotate run     {n:>6} docs  {:>7.2} MB  {:>9.1} docs/s  {:>6.2} MB/s  ({threads} thread{}, {secs:.2} s, {cpu}; store and entity resolution included)",
            bytes as f64 / 1e6,
            *n as f64 / secs,
            bytes as f64 / 1e6 / secs,
            if *threads == 1 { "" } else { "s" },
        )?;
    }
    writeln!(
        out,
        "annotate run     2 threads / 1 thread: {:.2}x",
        figures[0].1 / figures[1].1
    )?;
    Ok(())
}
