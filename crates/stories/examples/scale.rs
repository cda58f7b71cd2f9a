//! The connect stage's cost at scale: features from text and story clustering over up to
//! 100,000 articles (Reuters-21578 and BBC from `../shared/data/corpora`, then generated text),
//! one thread, CPU time. `cargo run --release -p newsdesk-stories --example scale [-- N]`.
//!
//! Prints articles per second for the features, for the clusterer, and for both; the saved
//! state's size; the time to save and read it back; and the peak resident memory.

use std::path::Path;
use std::time::Instant;

use newsdesk_stories::{ArticleFeatures, Config, Stories};

fn texts(root: &Path, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    let reuters = root.join("data/corpora/reuters21578");
    if let Ok(entries) = std::fs::read_dir(&reuters) {
        let mut files: Vec<_> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().contains(".sgm"))
            .collect();
        files.sort();
        for f in files {
            let limits = newsdesk_ingest::Limits::default();
            for record in newsdesk_ingest::read_path(&f, &limits).flatten() {
                if let newsdesk_ingest::Body::Text(t) = record.body {
                    out.push(t);
                }
            }
        }
    }
    let mut stack = vec![root.join("data/corpora/bbc-fulltext")];
    let mut bbc = Vec::new();
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "txt") {
                bbc.push(p);
            }
        }
    }
    bbc.sort();
    for p in bbc {
        if let Ok(b) = std::fs::read(&p) {
            out.push(String::from_utf8_lossy(&b).into_owned());
        }
    }
    let real = out.len().min(n);
    out.truncate(n);
    if out.len() < n {
        out.extend(
            newsdesk_testkit::corpus::generate(n - out.len(), 7)
                .into_iter()
                .map(|g| g.text),
        );
    }
    eprintln!("{real} real articles, {} generated", n - real);
    out
}

/// This thread's CPU time in seconds (Linux), so that other work on a shared machine does not
/// count; falls back to wall time elsewhere.
struct Clock(Option<f64>, Instant);

impl Clock {
    fn cpu() -> Option<f64> {
        let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
        let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
        Some(ns / 1e9)
    }

    fn now() -> Clock {
        Clock(Clock::cpu(), Instant::now())
    }

    fn elapsed(&self) -> f64 {
        match (self.0, Clock::cpu()) {
            (Some(a), Some(b)) => b - a,
            _ => self.1.elapsed().as_secs_f64(),
        }
    }
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let root = newsdesk_testkit::repo_root().join("../shared");
    let root = if root.exists() {
        root
    } else {
        Path::new("/work/shared").to_path_buf()
    };
    let texts = texts(&root, n);
    let bytes: usize = texts.iter().map(String::len).sum();
    println!(
        "{} articles, {:.1} MB of text",
        texts.len(),
        bytes as f64 / 1e6
    );

    // Features are made one at a time, as the runner makes them, so that the peak memory is
    // the state's and not that of 100,000 feature maps held at once.
    let rss_before = peak_rss_mb();
    let mut stories = Stories::new(Config::default());
    let (mut f_secs, mut c_secs) = (0.0, 0.0);
    let mut checkpoints = Vec::new();
    let total = texts.len();
    for (i, text) in texts.into_iter().enumerate() {
        let t = Clock::now();
        let f = ArticleFeatures::from_text(&text);
        f_secs += t.elapsed();
        let t = Clock::now();
        stories.observe(&format!("a{i}"), &f);
        c_secs += t.elapsed();
        if (i + 1) % (total / 4).max(1) == 0 {
            checkpoints.push((i + 1, c_secs));
        }
    }
    let rate = |secs: f64| total as f64 / secs;
    println!(
        "features   {:>9.0} articles/s ({f_secs:.2} s)",
        rate(f_secs)
    );
    println!(
        "clustering {:>9.0} articles/s ({c_secs:.2} s)",
        rate(c_secs)
    );
    let mut last = (0, 0.0);
    for (k, secs) in checkpoints {
        println!(
            "  articles {:>6}..{k:<6} {:>9.0} articles/s",
            last.0,
            (k - last.0) as f64 / (secs - last.1)
        );
        last = (k, secs);
    }
    println!("both       {:>9.0} articles/s", rate(f_secs + c_secs));
    println!(
        "stories {}, threads {}",
        stories.stories().count(),
        stories.threads().len()
    );
    let t = Clock::now();
    let blob = stories.to_bytes();
    let save = t.elapsed();
    let t = Clock::now();
    let back = Stories::from_bytes(&blob).expect("the saved state reads");
    let load = t.elapsed();
    assert_eq!(back.len(), stories.len());
    println!(
        "saved state {:.1} MB (save {save:.2} s, read {load:.2} s)",
        blob.len() as f64 / 1e6
    );
    if let (Some(before), Some(mb)) = (rss_before, peak_rss_mb()) {
        println!("peak RSS {mb:.0} MB ({before:.0} MB with the texts loaded, before clustering)");
    }
}
