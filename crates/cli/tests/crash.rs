//! An ingest killed with SIGKILL loses nothing it committed, and a rerun completes it without
//! duplicates.

mod common;

use std::time::{Duration, Instant};

use common::{articles, newsdesk};
use newsdesk_store::{SqliteStore, Store};

#[cfg(unix)]
#[test]
fn kill_9_mid_ingest_loses_nothing_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    let total = 4000;
    for i in 0..total {
        let text = format!(
            "Report number {i} from the river town, a paragraph long enough to count as prose for the cleaner.\n\nA second paragraph of report {i} follows with more words about the day's events.\n"
        );
        std::fs::write(inputs.join(format!("{i:05}.txt")), text).unwrap();
    }
    let db = dir.path().join("n.db");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args([
            "ingest",
            "--db",
            db.to_str().unwrap(),
            "--batch",
            "25",
            inputs.to_str().unwrap(),
        ])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until some batches are committed, then kill without warning.
    let start = Instant::now();
    let mut stored_before_kill = 0;
    while start.elapsed() < Duration::from_secs(60) {
        if db.exists() {
            if let Ok(n) = SqliteStore::open(&db).and_then(|s| s.count()) {
                stored_before_kill = n;
                if n >= 100 {
                    break;
                }
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    assert!(stored_before_kill >= 100, "ingest made no progress");

    let after_kill = SqliteStore::open(&db).unwrap().count().unwrap();
    assert!(after_kill >= stored_before_kill, "committed batches lost");
    assert_eq!(
        after_kill % 25,
        0,
        "a batch was stored in part: {after_kill}"
    );

    let rerun = newsdesk(&db, &["ingest", inputs.to_str().unwrap()]);
    assert!(rerun.status.success());
    let stderr = String::from_utf8_lossy(&rerun.stderr);
    let summary = format!(
        "{} added, {} already present, 0 failed",
        total - after_kill,
        after_kill
    );
    assert!(
        stderr.contains(&summary),
        "expected {summary:?} in {stderr}"
    );
    let list = articles(&db);
    assert_eq!(list.len(), total);
    let mut ids: Vec<&str> = list.iter().map(|a| a["id"].as_str().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), total, "duplicates stored");
}
