//! How often the language detector's answer differs from `whatlang` alone on the first 2,000
//! characters (the detector used before function words were counted first), on the text
//! extracted from each page of trafilatura's evaluation set; every difference is printed.
//!
//! `cargo run --release -p newsdesk-eval --example language -- ../shared/data/extraction-trafilatura/tests`

use std::path::{Path, PathBuf};

use newsdesk_extract::{language, Extractor};
use rayon::prelude::*;

fn pages(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for sub in ["eval", "cache"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        out.extend(entries.flatten().map(|e| e.path()));
    }
    out.sort();
    out
}

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: language DIR (trafilatura's tests/ folder, holding eval/ and cache/)");
        std::process::exit(2);
    };
    let extractor = Extractor::default();
    let results: Vec<(PathBuf, Option<&str>, Option<&str>)> = pages(Path::new(&dir))
        .par_iter()
        .filter_map(|path| {
            let text = newsdesk_eval::extraction::extract_page(&extractor, path, None).ok()?;
            Some((
                path.clone(),
                language::by_trigrams_over(&text, 2000),
                language::detect(&text),
            ))
        })
        .collect();
    let mut differ = 0;
    let mut by_words = 0;
    for (path, before, after) in &results {
        if before != after {
            differ += 1;
            println!("{}: {before:?} -> {after:?}", path.display());
        }
    }
    for (path, _, _) in &results {
        let text =
            newsdesk_eval::extraction::extract_page(&extractor, path, None).unwrap_or_default();
        if language::by_function_words(&text).is_some() {
            by_words += 1;
        }
    }
    println!(
        "pages {}: decided by function words {by_words}, answer differs from whatlang alone on {differ}",
        results.len()
    );
}
