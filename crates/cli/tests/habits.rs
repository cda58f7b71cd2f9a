//! What a newcomer at a shell expects of the command: quiet pipes, honest errors for a store
//! that is not there, a summary instead of a line per known record, readable dates.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::{analyzed_example_corpus, newsdesk, repo_root};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_newsdesk"))
}

/// Runs a command whose output is far larger than a pipe's buffer, reads one line and closes
/// the pipe, as `| head -1` does.
fn first_line_then_close(args: &[&str]) -> std::process::Output {
    let mut child = bin()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(!line.is_empty());
    // The reader is dropped here: the pipe is closed while the command still writes.
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_pipe_is_a_normal_end_exit_0_and_silent() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("n.db");
    let input = dir.path().join("long.txt");
    let paragraph =
        "The council met again on the harbour and talked about the storm wall for a long time.\n\n";
    std::fs::write(
        &input,
        format!("Long council report\n\n{}", paragraph.repeat(4000)),
    )
    .unwrap();
    let out = newsdesk(&db, &["ingest", input.to_str().unwrap()]);
    assert!(out.status.success());
    let db = db.to_str().unwrap();
    for args in [
        vec!["article", "--db", db, "--json", ""],
        vec!["article", "--db", db, ""],
        vec!["analyze", "--db", db, "--json", input.to_str().unwrap()],
        vec!["analyze", "--db", db, input.to_str().unwrap()],
    ] {
        // An empty ID prefix is ambiguous only when there are two articles; here there is one.
        let out = first_line_then_close(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("error"), "{args:?}: {stderr}");
    }
}

#[test]
fn read_only_commands_on_a_missing_store_say_so_and_create_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mistyped.db");
    for args in [
        vec!["articles"],
        vec!["articles", "--json"],
        vec!["entities"],
        vec!["quotes"],
        vec!["annotate"],
        vec!["article", "abc"],
    ] {
        let out = newsdesk(&db, &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("no store at"), "{args:?}: {stderr}");
        assert!(stderr.contains("mistyped.db"), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(!db.exists(), "{args:?} created the store");
    }
}

#[test]
fn reingest_prints_a_summary_not_a_line_per_known_record() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("n.db");
    let corpus = repo_root().join("examples/corpus");
    let corpus = corpus.to_str().unwrap();
    assert!(newsdesk(&db, &["ingest", corpus]).status.success());
    let again = newsdesk(&db, &["ingest", corpus]);
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("already present"), "{stderr}");
    let verbose = newsdesk(&db, &["ingest", "--verbose", corpus]);
    let stderr = String::from_utf8_lossy(&verbose.stderr);
    assert!(
        stderr
            .lines()
            .filter(|l| l.starts_with("already present:"))
            .count()
            >= 6,
        "{stderr}"
    );
}

#[test]
fn commands_without_a_store_take_no_db_option() {
    for args in [
        vec!["eval", "ner", "--data", "x", "--db", "y"],
        vec!["bench", "annotate", "--data", "x", "--db", "y"],
        vec!["train", "ner", "--data", "x", "--db", "y"],
    ] {
        let out = bin().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--db"),
            "{args:?}"
        );
    }
    let help = bin().args(["eval", "dates", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(!help.contains("--db"), "{help}");
    assert!(help.contains("htmldate"), "--data has help text: {help}");
}

#[test]
fn every_option_and_argument_has_help_text() {
    for sub in [
        vec!["ingest"],
        vec!["analyze"],
        vec!["articles"],
        vec!["article"],
        vec!["annotate"],
        vec!["entities"],
        vec!["quotes"],
        vec!["eval", "ner"],
        vec!["eval", "time"],
        vec!["eval", "quotes"],
        vec!["eval", "extraction"],
        vec!["eval", "dates"],
        vec!["bench", "ingest"],
        vec!["bench", "annotate"],
        vec!["train", "ner"],
    ] {
        let out = bin().args(&sub).arg("--help").output().unwrap();
        let help = String::from_utf8_lossy(&out.stdout);
        // clap prints an option or argument with no help as a line holding only its name,
        // followed by the next option or a blank line (long help goes on the next line).
        let lines: Vec<&str> = help.lines().map(str::trim).collect();
        for (i, t) in lines.iter().enumerate() {
            let option = t.starts_with("--")
                || t.starts_with('<')
                || (t.starts_with('-')
                    && t.chars().nth(1).is_some_and(|c| c.is_ascii_alphabetic()));
            let name_only = option && !t.contains("  ");
            let next = lines.get(i + 1).copied().unwrap_or("");
            let helped = !next.is_empty() && !next.starts_with('-') && !next.starts_with('<');
            assert!(!name_only || helped, "{sub:?}: no help for {t:?}\n{help}");
        }
    }
    let help = bin().args(["annotate", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    for layer in ["sentences", "tokens", "entities", "dates", "quotes"] {
        assert!(
            help.contains(layer),
            "annotate --help names {layer}: {help}"
        );
    }
}

#[test]
fn the_report_shows_dates_in_words_and_counts_in_good_grammar() {
    let (_dir, _db, out) = analyzed_example_corpus();
    let report = String::from_utf8_lossy(&out.stdout);
    // "tomorrow morning" in the harbour story, published on 17 December 2024.
    assert!(report.contains("18 Dec 2024, morning"), "{report}");
    assert!(report.contains("3 days"), "{report}");
    for raw in ["TMO", "-SP", "P3D", "_REF"] {
        assert!(
            !report.contains(raw),
            "raw TIMEX {raw} in the report:\n{report}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("n.db");
    let one = repo_root().join("examples/corpus/06-no-date.txt");
    let out = newsdesk(&db, &["analyze", one.to_str().unwrap()]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.starts_with("1 article in 1 story\n"), "{report}");
}
