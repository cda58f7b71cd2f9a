//! Compares settings on a gold folder annotated once:
//! `cargo run -p newsdesk-stories --example sweep -- DIR [CACHE.json]`.
//! The annotated set is kept in CACHE (when given) so later runs skip the annotation.

use std::path::PathBuf;

use newsdesk_stories::{Config, EvalSet};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().ok_or("usage: sweep DIR [CACHE.json]")?);
    let cache = args.next().map(PathBuf::from);
    let set: EvalSet = match &cache {
        Some(c) if c.exists() => serde_json::from_slice(&std::fs::read(c)?)?,
        _ => {
            let set = EvalSet::load(&dir)?;
            if let Some(c) = &cache {
                std::fs::write(c, serde_json::to_vec(&set)?)?;
            }
            set
        }
    };
    let base = Config::default();
    println!("{}", set.run(base));
    for t in [0.06, 0.08, 0.1, 0.12, 0.15, 0.2] {
        let (_, thread) = set.score(Config {
            thread_threshold: t,
            ..base
        });
        if let Some(s) = thread {
            println!(
                "thread threshold {t:.2}: B3 P {:.4} R {:.4} F1 {:.4}",
                s.b3_precision, s.b3_recall, s.b3_f1
            );
        }
    }
    Ok(())
}
