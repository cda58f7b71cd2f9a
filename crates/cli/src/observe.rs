//! What the CLI shows while a run goes: progress bars on stderr (hidden when stderr is not a
//! terminal), one line per failed input, and JSON lines for `ingest --json`.

use std::io::Write;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use newsdesk_runner::{AnnotateObserver, AnnotateOutcome, IngestObserver, Outcome, RecordEvent};
use newsdesk_span::{DocId, Source};
use newsdesk_store::Put;
use serde_json::json;

/// "12 added, 3 already present, 0 failed", and the records passed over by design when there
/// are any ("…, 1798 skipped (--verbose names them)").
pub fn summary_line(outcome: &Outcome) -> String {
    let mut line = format!(
        "{} added, {} already present, {} failed",
        outcome.added(),
        outcome.already_present(),
        outcome.failed
    );
    if outcome.skipped > 0 {
        line.push_str(&format!(
            ", {} skipped (records with no article text; --verbose names them)",
            outcome.skipped
        ));
    }
    line
}

pub fn exit_code(outcome: &Outcome) -> std::process::ExitCode {
    if outcome.failed > 0 {
        std::process::ExitCode::from(1)
    } else {
        std::process::ExitCode::SUCCESS
    }
}

pub struct IngestView<'a> {
    progress: ProgressBar,
    /// Where `--json` writes one object per record.
    json_lines: Option<&'a mut dyn Write>,
    /// Name every record already stored, not only count it.
    verbose: bool,
}

impl<'a> IngestView<'a> {
    pub fn new(json_lines: Option<&'a mut dyn Write>, verbose: bool) -> IngestView<'a> {
        let progress = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        progress.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} files {msg}",
            )
            .expect("static template"),
        );
        IngestView {
            progress,
            json_lines,
            verbose,
        }
    }
}

impl Drop for IngestView<'_> {
    fn drop(&mut self) {
        self.progress.finish_and_clear();
    }
}

impl IngestObserver for IngestView<'_> {
    fn files(&mut self, total: usize) {
        self.progress.set_length(total as u64);
    }

    fn file_done(&mut self) {
        self.progress.inc(1);
    }

    fn record(&mut self, event: RecordEvent<'_>) -> std::io::Result<()> {
        // One JSON object per record for `--json`, and a stderr line for failures (and, with
        // `--verbose`, for records skipped or already stored).
        let verbose = self.verbose;
        let present = |source: &Source, id: &DocId| {
            (
                json!({"source": source, "id": id, "status": "already-present"}),
                verbose.then(|| format!("already present: {source} ({id})")),
            )
        };
        let (object, line) = match event {
            RecordEvent::Failed { source, reason } => (
                json!({"source": source, "status": "failed", "reason": reason}),
                Some(format!("error: {source}: {reason}")),
            ),
            RecordEvent::Stored {
                doc,
                put: Put::Added,
            } => (
                json!({"source": doc.source, "id": doc.id(), "status": "added"}),
                None,
            ),
            RecordEvent::Stored {
                doc,
                put: Put::AlreadyPresent,
            } => present(&doc.source, doc.id()),
            RecordEvent::Present { source, id } => present(source, id),
            RecordEvent::Skipped { source, reason } => (
                json!({"source": source, "status": "skipped", "reason": reason}),
                verbose.then(|| format!("skipped: {source}: {reason}")),
            ),
        };
        if let Some(line) = line {
            self.progress.suspend(|| eprintln!("{line}"));
        }
        if let Some(out) = self.json_lines.as_mut() {
            writeln!(out, "{object}")?;
        }
        Ok(())
    }

    fn batch_done(&mut self, outcome: &Outcome) {
        self.progress.set_message(summary_line(outcome));
    }
}

pub struct AnnotateView {
    progress: ProgressBar,
}

impl AnnotateView {
    pub fn new() -> AnnotateView {
        let progress = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        progress.set_style(
            ProgressStyle::with_template("annotating {bar:30} {pos}/{len} articles")
                .expect("static template"),
        );
        AnnotateView { progress }
    }
}

impl Drop for AnnotateView {
    fn drop(&mut self) {
        self.progress.finish_and_clear();
    }
}

impl AnnotateObserver for AnnotateView {
    fn total(&mut self, articles: usize) {
        self.progress.set_length(articles as u64);
    }

    fn advanced(&mut self, n: usize) {
        self.progress.inc(n as u64);
    }

    fn failed(&mut self, source: &Source, id: &DocId, reason: &str) {
        self.progress
            .suspend(|| eprintln!("error: {source} ({id}): {reason}"));
    }
}

pub fn annotate_summary(outcome: &AnnotateOutcome) -> String {
    format!(
        "{}, {} failed",
        crate::report::count(outcome.annotated, "article annotated", "articles annotated"),
        outcome.failed
    )
}

/// A connect run's progress bar on stderr.
pub struct ConnectView {
    progress: ProgressBar,
}

impl ConnectView {
    pub fn new() -> ConnectView {
        let progress = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        progress.set_style(
            ProgressStyle::with_template("connecting {bar:30} {pos}/{len} articles")
                .expect("static template"),
        );
        ConnectView { progress }
    }
}

impl Drop for ConnectView {
    fn drop(&mut self) {
        self.progress.finish_and_clear();
    }
}

impl newsdesk_runner::ConnectObserver for ConnectView {
    fn total(&mut self, articles: usize) {
        self.progress.set_length(articles as u64);
    }

    fn advanced(&mut self, n: usize) {
        self.progress.inc(n as u64);
    }
}

pub fn connect_summary(outcome: &newsdesk_runner::ConnectOutcome) -> String {
    let links: Vec<String> = outcome
        .links
        .iter()
        .map(|(kind, n)| format!("{n} {kind}"))
        .collect();
    let splits = if outcome.splits > 0 {
        format!(
            ", {} split in two",
            crate::report::count(outcome.splits, "story", "stories")
        )
    } else {
        String::new()
    };
    format!(
        "{} connected: {} ({}), {} started{splits}, {} in the store",
        crate::report::count(outcome.articles, "article", "articles"),
        crate::report::count(outcome.links.values().sum(), "copy link", "copy links"),
        if links.is_empty() {
            "none".to_string()
        } else {
            links.join(", ")
        },
        crate::report::count(outcome.new_stories, "story", "stories"),
        crate::report::count(outcome.stories, "story", "stories"),
    )
}
