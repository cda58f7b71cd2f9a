//! Measures tagging throughput over every `.txt` file under a directory.
//!
//! `cargo run --release -p newsdesk-timex --example bench -- <dir>`

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
        .unwrap_or_else(|| "../shared/data/corpora/bbc-fulltext/bbc".to_string());
    let mut files = Vec::new();
    collect(Path::new(&dir), &mut files);
    // Files in this corpus are not all valid UTF-8; decode lossily.
    let texts: Vec<String> = files
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let anchor = Some(jiff::civil::date(2005, 3, 1));
    // Warm-up compiles the grammar and fills the DFA cache.
    let _ = newsdesk_timex::tag(&texts[0], anchor);
    let mut best = f64::MAX;
    let mut mentions = 0;
    for _ in 0..3 {
        let t = Instant::now();
        mentions = texts
            .iter()
            .map(|t| newsdesk_timex::tag(t, anchor).len())
            .sum::<usize>();
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "{} files, {:.2} MB, {} mentions, best of 3: {:.3} s = {:.1} MB/s (one core)",
        texts.len(),
        bytes as f64 / 1e6,
        mentions,
        best,
        bytes as f64 / 1e6 / best
    );
}
