//! Prints the text one body extractor takes from one HTML page (gzipped or not), for looking
//! at what an evaluation counted as missed or leaked.
//!
//! `cargo run --release -p newsdesk-eval --example page -- cascade PAGE.html[.gz] [URL]`

use std::path::Path;

use newsdesk_extract::{Blocks, BodyExtractor, Cascade, Extractor, Trafilatura};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [which, path, rest @ ..] = args.as_slice() else {
        eprintln!("usage: page cascade|trafilatura|blocks PAGE [URL]");
        std::process::exit(2);
    };
    let body: Box<dyn BodyExtractor> = match which.as_str() {
        "cascade" => Box::new(Cascade),
        "trafilatura" => Box::new(Trafilatura),
        "blocks" => Box::new(Blocks),
        other => {
            eprintln!("unknown extractor {other}");
            std::process::exit(2);
        }
    };
    let extractor = Extractor {
        body,
        ..Extractor::default()
    };
    match newsdesk_eval::extraction::extract_page(
        &extractor,
        Path::new(path),
        rest.first().map(String::as_str),
    ) {
        Ok(text) => println!("{text}"),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
