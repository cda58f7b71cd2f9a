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
    let mut settings: Vec<(&str, Config)> = vec![("default", base)];
    for threshold in [0.20, 0.24, 0.26, 0.30, 0.32] {
        settings.push(("threshold", Config { threshold, ..base }));
    }
    for (split_min, split_ratio) in [(0, 0.0), (4, 0.30), (4, 0.40), (3, 0.35), (5, 0.35)] {
        settings.push((
            "split",
            Config {
                split_min,
                split_ratio,
                ..base
            },
        ));
    }
    for date_window_days in [30, 365, 36_500] {
        settings.push((
            "dates",
            Config {
                date_window_days,
                ..base
            },
        ));
    }
    for (label, config) in settings {
        let (story, thread) = set.score(config);
        println!(
            "{label:9} threshold {:.2} date window {} split {} {:.2}: story B3 P {:.4} R {:.4} F1 {:.4}{}",
            config.threshold,
            config.date_window_days,
            config.split_min,
            config.split_ratio,
            story.b3_precision,
            story.b3_recall,
            story.b3_f1,
            thread.map_or(String::new(), |t| format!(
                "; thread P {:.4} R {:.4} F1 {:.4}",
                t.b3_precision, t.b3_recall, t.b3_f1
            ))
        );
    }
    Ok(())
}
