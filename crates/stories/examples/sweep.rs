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
    for shared_name_required in [false, true] {
        for threshold in [0.16, 0.2, 0.24, 0.28, 0.32] {
            for name_weight in [0.4, 0.5, 0.6] {
                let (story, thread) = set.score(Config {
                    threshold,
                    name_weight,
                    shared_name_required,
                    ..base
                });
                println!(
                    "shared name {shared_name_required:<5} threshold {threshold:.2} name weight {name_weight:.1}: story B3 P {:.4} R {:.4} F1 {:.4}{}",
                    story.b3_precision,
                    story.b3_recall,
                    story.b3_f1,
                    thread.map_or(String::new(), |t| format!("; thread F1 {:.4}", t.b3_f1))
                );
            }
        }
    }
    Ok(())
}
