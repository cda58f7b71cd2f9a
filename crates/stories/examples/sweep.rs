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
    let mut settings: Vec<(f64, u32, f64)> = Vec::new();
    for threshold in [0.28, 0.24, 0.20, 0.16] {
        settings.push((threshold, 0, 0.0));
        settings.push((threshold, 4, 0.40));
    }
    for threshold in [0.28, 0.24, 0.20, 0.16] {
        for (split_min, split_ratio) in [(3, 0.40), (4, 0.35), (4, 0.45), (3, 0.35), (3, 0.45)] {
            settings.push((threshold, split_min, split_ratio));
        }
    }
    for (threshold, split_min, split_ratio) in settings {
        let (story, thread) = set.score(Config {
            threshold,
            split_min,
            split_ratio,
            ..base
        });
        println!(
            "threshold {threshold:.2} split M {split_min} R {split_ratio:.2}: story B3 P {:.4} R {:.4} F1 {:.4}{}",
            story.b3_precision,
            story.b3_recall,
            story.b3_f1,
            thread.map_or(String::new(), |t| format!("; thread P {:.4} R {:.4} F1 {:.4}", t.b3_precision, t.b3_recall, t.b3_f1))
        );
    }
    Ok(())
}
