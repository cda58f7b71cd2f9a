//! Time of each annotation stage on one long article, to check that every per-document stage
//! stays near-linear in the article's length.
//!
//! The article is made by joining the BBC texts of `../shared/data/corpora/bbc-fulltext` (in
//! path order) until it reaches each size; the data is not part of the repository and the
//! example says `SKIPPED` when it is absent.
//!
//! ```sh
//! cargo run --release -p newsdesk-pipeline --example long_article            # 0.5, 1, 2, 4 MB
//! cargo run --release -p newsdesk-pipeline --example long_article -- 1 8     # chosen sizes
//! cargo run --release -p newsdesk-pipeline --example long_article -- DATA_DIR 1 2
//! ```

use std::path::{Path, PathBuf};
use std::time::Instant;

use newsdesk_pipeline::Pipeline;
use newsdesk_span::{Document, Field, Layers, Meta, Published, Source};

fn texts_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            texts_under(&path, out);
        } else if path.extension().is_some_and(|x| x == "txt") {
            out.push(path);
        }
    }
}

fn main() {
    // A directory among the arguments is the data directory (default `../shared/data`).
    let data = std::env::args()
        .skip(1)
        .map(PathBuf::from)
        .find(|p| p.is_dir())
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    let root = data.join("corpora/bbc-fulltext");
    let mut files = Vec::new();
    texts_under(&root, &mut files);
    files.sort();
    let bodies: Vec<String> = files
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect();
    if bodies.is_empty() {
        println!("SKIPPED: no BBC texts under {}", root.display());
        return;
    }
    let sizes: Vec<f64> = {
        let args: Vec<f64> = std::env::args()
            .skip(1)
            .filter_map(|a| a.parse().ok())
            .collect();
        if args.is_empty() {
            vec![0.5, 1.0, 2.0, 4.0]
        } else {
            args
        }
    };
    let pipeline = Pipeline::standard().expect("embedded model");
    // The regular expressions build their automata lazily on first use: warm them up on
    // ordinary articles so that the first size measured does not pay for it.
    for body in bodies.iter().take(50) {
        let doc = Document::new(
            Source {
                location: "warm-up".into(),
                record: None,
            },
            Meta::default(),
            body.clone(),
        );
        pipeline.annotate(&doc);
    }
    println!(
        "{:>6}  {}  {:>8}",
        "MB",
        pipeline
            .stages()
            .iter()
            .map(|s| format!("{:>10}", s.name()))
            .collect::<String>(),
        "total s"
    );
    for mb in sizes {
        let want = (mb * 1_000_000.0) as usize;
        let mut text = String::with_capacity(want + 10_000);
        // The corpus is cycled when a size asks for more than it holds.
        for body in bodies.iter().cycle() {
            if text.len() >= want {
                break;
            }
            text.push_str(body.trim());
            text.push_str("\n\n");
        }
        let meta = Meta {
            published: Some(Field::new(
                Published::Day("2005-03-01".parse().expect("date")),
                "bench",
            )),
            ..Meta::default()
        };
        let doc = Document::new(
            Source {
                location: format!("bbc-joined-{mb}MB"),
                record: None,
            },
            meta,
            text,
        );
        let mut layers = Layers::default();
        let mut cells = String::new();
        let all = Instant::now();
        for stage in pipeline.stages() {
            let t = Instant::now();
            stage.run(&doc, &mut layers);
            cells.push_str(&format!("{:>10.3}", t.elapsed().as_secs_f64()));
        }
        println!(
            "{:>6.2}  {cells}  {:>8.3}   ({} entities, {} dates, {} quotes)",
            doc.text().len() as f64 / 1e6,
            all.elapsed().as_secs_f64(),
            layers.entities.len(),
            layers.dates.len(),
            layers.quotes.len()
        );
    }
}
