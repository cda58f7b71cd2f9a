//! Single-threaded throughput over a directory of `.txt` files:
//! `cargo run --release -p newsdesk-quotes --example speed -- DIR`.
use std::path::{Path, PathBuf};
use std::time::Instant;

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "txt") {
            out.push(p);
        }
    }
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/work/shared/data/corpora/bbc-fulltext/bbc".into());
    let mut files = Vec::new();
    collect(Path::new(&dir), &mut files);
    files.sort();
    // Latin-1 stragglers are decoded lossily: we measure the annotator, not the reader.
    let texts: Vec<String> = files
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut best = f64::MAX;
    let mut n = 0;
    for _ in 0..3 {
        let t0 = Instant::now();
        n = 0;
        for t in &texts {
            n += newsdesk_quotes::quotes(t, &[], &[]).len();
        }
        best = best.min(t0.elapsed().as_secs_f64());
    }
    println!(
        "{} files, {:.1} MB, {} quotes, best of 3: {:.3} s, {:.1} MB/s on one core",
        texts.len(),
        bytes as f64 / 1e6,
        n,
        best,
        bytes as f64 / 1e6 / best
    );
}
