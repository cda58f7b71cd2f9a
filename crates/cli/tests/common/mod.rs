#![allow(dead_code)]
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `newsdesk COMMAND --db DB ARGS…` (`args[0]` is the command).
pub fn newsdesk(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .arg(args[0])
        .arg("--db")
        .arg(db)
        .args(&args[1..])
        .output()
        .expect("run newsdesk")
}

pub fn articles(db: &Path) -> Vec<serde_json::Value> {
    let out = newsdesk(db, &["articles", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("articles --json is JSON")
}

/// A fresh store in a temporary folder (kept while the guard lives) after `newsdesk analyze`
/// of the example corpus, with the run's output; the run must succeed.
pub fn analyzed_example_corpus() -> (tempfile::TempDir, PathBuf, Output) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("n.db");
    let corpus = repo_root().join("examples/corpus");
    let out = newsdesk(&db, &["analyze", corpus.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, db, out)
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The shared data folder beside the repository, if present; otherwise a visible skip line.
pub fn shared(test: &str, sub: &str) -> Option<PathBuf> {
    newsdesk_testkit::shared(test, sub)
}
