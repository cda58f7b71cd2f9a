//! Scores the tagger on a TimeML corpus and prints every missed, spurious
//! or wrongly valued mention, for tuning the rules.
//!
//! `cargo run --release -p newsdesk-timex --example timeml_eval -- DIR`

use std::path::Path;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/work/shared/data/time-timebank".to_string());
    match newsdesk_timex::eval_timeml(Path::new(&dir)) {
        Ok(report) => {
            for e in &report.errors {
                println!("{e}");
            }
            println!("{report}");
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
