//! `newsdesk bench connect`: the corpus stages over a store that grows.
//!
//! The store is filled in steps: the real corpora first (Reuters-21578 and BBC, when present
//! under DIR/corpora), then slices of a generated corpus with planted identical copies,
//! reposts and rewrites, up to the requested size. After each step the new articles are
//! annotated (not timed here; `bench annotate` measures that) and `connect` runs over them
//! alone, as it does for a user whose store grows. Reported per step and overall: articles/s
//! of the connect run, its CPU time and peak memory, the planted copies found and missed. The
//! candidate stage (shingles, MinHash, LSH) is also timed alone, on one thread.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;
use newsdesk_copies::{Index, Prepared, Signature};
use newsdesk_pipeline::Pipeline;
use newsdesk_runner::{AnnotateOptions, ConnectOptions, NoObserver};
use newsdesk_span::DocId;
use newsdesk_store::{SqliteStore, Store};
use newsdesk_testkit::corpus::{generate, Generated, Planted};

use crate::bench::{cpu_secs, peak_rss_mb};

/// Resets the process's peak-RSS mark, so that the next reading is the peak of what follows
/// (Linux ≥ 4.0; elsewhere the reading stays the process's lifetime peak).
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Writes generated articles `range` as one JSON Lines file.
fn write_slice(dir: &Path, corpus: &[Generated], range: std::ops::Range<usize>) -> Result<PathBuf> {
    let path = dir.join(format!("generated-{:07}.jsonl", range.start));
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
    for i in range {
        writeln!(out, "{}", corpus[i].json_line(i))?;
    }
    out.flush()?;
    Ok(path)
}

struct Step {
    label: String,
    added: usize,
    connected: usize,
    secs: f64,
    cpu: Option<f64>,
    peak_mb: Option<f64>,
    links: usize,
}

fn step(
    store: &mut SqliteStore,
    pipeline: &Pipeline,
    label: String,
    paths: &[PathBuf],
    out: &mut dyn Write,
) -> Result<Step> {
    let before = store.count()?;
    newsdesk_runner::ingest(
        store,
        paths,
        &newsdesk_runner::IngestOptions::default(),
        &mut NoObserver,
    )?;
    newsdesk_runner::annotate(
        store,
        pipeline,
        &AnnotateOptions::default(),
        &mut NoObserver,
    )?;
    let added = store.count()? - before;
    reset_peak_rss();
    let (t0, c0) = (Instant::now(), cpu_secs());
    let outcome = newsdesk_runner::connect(store, &ConnectOptions::default(), &mut NoObserver)?;
    let secs = t0.elapsed().as_secs_f64();
    let s = Step {
        label,
        added,
        connected: outcome.articles,
        secs,
        cpu: cpu_secs().zip(c0).map(|(b, a)| b - a),
        peak_mb: peak_rss_mb(),
        links: outcome.links.values().sum(),
    };
    writeln!(
        out,
        "{:<24} +{:>6} articles, connected {:>6} in {:>7.2} s ({:>6.0} articles/s, CPU {}), peak RSS {}, {} links",
        s.label,
        s.added,
        s.connected,
        s.secs,
        s.connected as f64 / s.secs.max(1e-9),
        s.cpu.map_or("-".into(), |c| format!("{c:.2} s")),
        s.peak_mb.map_or("-".into(), |m| format!("{m:.0} MB")),
        s.links
    )?;
    out.flush()?;
    Ok(s)
}

pub fn connect(data: &Path, articles: usize, steps: usize, out: &mut dyn Write) -> Result<()> {
    let work = tempfile::tempdir()?;
    let mut store = SqliteStore::open(&work.path().join("bench.db"))?;
    let pipeline = Pipeline::standard()?;
    let mut report: Vec<Step> = Vec::new();
    let corpora = data.join("corpora");
    let real: Vec<PathBuf> = ["reuters21578", "bbc-fulltext"]
        .iter()
        .map(|d| corpora.join(d))
        .filter(|p| p.exists())
        .collect();
    if !real.is_empty() {
        report.push(step(
            &mut store,
            &pipeline,
            "Reuters-21578 + BBC".into(),
            &real,
            out,
        )?);
    }
    let want = articles.saturating_sub(store.count()?);
    let generated: Vec<Generated> = generate(want, 7);
    let per = want.div_ceil(steps.max(1)).max(1);
    for (k, start) in (0..want).step_by(per).enumerate() {
        let slice = write_slice(work.path(), &generated, start..(start + per).min(want))?;
        let label = format!("generated {}/{}", k + 1, want.div_ceil(per));
        report.push(step(&mut store, &pipeline, label, &[slice], out)?);
    }
    let total: usize = report.iter().map(|s| s.connected).sum();
    let secs: f64 = report.iter().map(|s| s.secs).sum();
    let cpu: f64 = report.iter().filter_map(|s| s.cpu).sum();
    let peak = report
        .iter()
        .filter_map(|s| s.peak_mb)
        .fold(0.0f64, f64::max);
    writeln!(
        out,
        "\nconnect: {total} articles in {secs:.2} s: {:.0} articles/s, {:.0} articles per CPU-second; peak RSS of a connect run {peak:.0} MB",
        total as f64 / secs.max(1e-9),
        total as f64 / cpu.max(1e-9)
    )?;

    // Planted copies: each generated copy must be linked to its original.
    let ids: HashMap<String, DocId> = store
        .summaries()?
        .into_iter()
        .filter_map(|s| s.meta.url.clone().map(|u| (u, s.id)))
        .collect();
    let links: BTreeSet<(DocId, DocId)> = store
        .copy_links(None)?
        .into_iter()
        .filter(|l| l.kind.same_source())
        .flat_map(|l| [(l.a.clone(), l.b.clone()), (l.b, l.a)])
        .collect();
    let mut by_kind: HashMap<&str, (usize, usize)> = HashMap::new();
    for (i, g) in generated.iter().enumerate() {
        let Some((source, how)) = g.copy_of else {
            continue;
        };
        let (Some(a), Some(b)) = (ids.get(&generated[source].url(source)), ids.get(&g.url(i)))
        else {
            continue;
        };
        let kind = match how {
            Planted::Identical => "identical",
            Planted::Repost => "repost",
            Planted::Rewrite => "rewrite",
        };
        let e = by_kind.entry(kind).or_default();
        if links.contains(&(a.clone(), b.clone())) {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }
    let (found, missed) = by_kind
        .values()
        .fold((0, 0), |(f, m), (a, b)| (f + a, m + b));
    let mut kinds: Vec<_> = by_kind.into_iter().collect();
    kinds.sort();
    for (kind, (f, m)) in kinds {
        writeln!(out, "planted {kind:<10} found {f:>6}, missed {m:>5}")?;
    }
    writeln!(
        out,
        "planted copies found {found} of {} ({:.2}%)",
        found + missed,
        100.0 * found as f64 / (found + missed).max(1) as f64
    )?;

    // The candidate stage alone, one thread: shingles, signature, LSH lookup and insert.
    let texts: Vec<String> = store
        .summaries()?
        .iter()
        .filter_map(|s| store.get(s.id.as_str()).ok().flatten())
        .map(|d| d.text().to_string())
        .collect();
    // The machine may be shared: the process's CPU time (one thread runs here) is the figure
    // that does not depend on what else runs, the wall time is printed beside it.
    let (t0, c0) = (Instant::now(), cpu_secs());
    let mut index: Index<u32> = Index::new();
    let mut candidates = 0usize;
    for (i, text) in texts.iter().enumerate() {
        let prepared = Prepared::new(text);
        if let Some(sig) = Signature::of(&prepared.shingles) {
            candidates += index.observe(i as u32, &sig).len();
        }
    }
    let candidate_secs = t0.elapsed().as_secs_f64();
    let candidate_cpu = cpu_secs().zip(c0).map(|(b, a)| b - a);
    writeln!(
        out,
        "candidates (one thread): {} articles in {candidate_secs:.2} s (CPU {}), {:.0} articles/s, {} articles per CPU-second, {candidates} candidate pairs",
        texts.len(),
        candidate_cpu.map_or("-".into(), |c| format!("{c:.2} s")),
        texts.len() as f64 / candidate_secs.max(1e-9),
        candidate_cpu.map_or("-".into(), |c| format!("{:.0}", texts.len() as f64 / c.max(1e-9))),
    )?;
    writeln!(out, "articles/s {:.0}", total as f64 / secs.max(1e-9))?;
    Ok(())
}
