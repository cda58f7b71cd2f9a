//! Prints the TimeML evaluation report; `--errors` also lists every miss.
//!
//! `cargo run --release -p newsdesk-timex --example eval -- <dir> [--errors]`

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .unwrap_or_else(|| "../shared/data/time-timebank".to_string());
    let show_errors = args.any(|a| a == "--errors");
    match newsdesk_timex::eval_timeml(std::path::Path::new(&dir)) {
        Ok(report) => {
            if show_errors {
                for e in &report.errors {
                    println!("{e}");
                }
            }
            println!("{report}");
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
