//! `newsdesk`: reads many news reports about the same events and gives back a sourced record.
//!
//! Exit codes: 0 success, 1 some inputs failed (the rest were processed), 2 usage or fatal error.
//! A closed output pipe (`newsdesk articles | head`) counts as success.

mod bench;
mod ingest;
mod json;
mod report;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use newsdesk_extract::Extractor;
use newsdesk_ingest::Limits;
use newsdesk_store::{SqliteStore, Store};

#[derive(Parser)]
#[command(
    name = "newsdesk",
    version,
    about = "A sourced record of what many news reports say happened"
)]
struct Cli {
    /// SQLite database file.
    #[arg(
        long,
        global = true,
        env = "NEWSDESK_DB",
        default_value = "newsdesk.db"
    )]
    db: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct IngestArgs {
    /// Files, directories (read recursively) or `-` for stdin.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Largest record accepted, in bytes after decompression.
    #[arg(long, default_value_t = Limits::default().max_record_bytes)]
    max_record_bytes: u64,
    /// Records stored per transaction.
    #[arg(long, default_value_t = 64)]
    batch: usize,
}

#[derive(Subcommand)]
enum Command {
    /// Read news inputs into the store (text, HTML, JSONL, WARC, RSS/Atom; gzipped or not).
    Ingest {
        #[command(flatten)]
        args: IngestArgs,
        /// Print one JSON object per record instead of the summary.
        #[arg(long)]
        json: bool,
    },
    /// List stored articles.
    Articles {
        #[arg(long)]
        json: bool,
    },
    /// Show one article (by ID or unique ID prefix) with its text and metadata.
    Article {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Ingest inputs and print a readable report of them: the main job in one command.
    Analyze {
        #[command(flatten)]
        args: IngestArgs,
        #[arg(long)]
        json: bool,
    },
    /// Measure a stage on gold data; the last line printed is the headline figure.
    Eval {
        #[command(subcommand)]
        task: EvalTask,
    },
    /// Measure speed and memory on a real corpus.
    Bench {
        #[command(subcommand)]
        task: BenchTask,
    },
}

#[derive(Subcommand)]
enum EvalTask {
    /// Main-text extraction (trafilatura evaldata.json or ScrapingHub ground-truth.json layout).
    Extraction {
        #[arg(long)]
        data: PathBuf,
    },
    /// Publication dates (htmldate eval_*.json layout).
    Dates {
        #[arg(long)]
        data: PathBuf,
        /// List every miss.
        #[arg(long)]
        verbose: bool,
    },
}

#[derive(Subcommand)]
enum BenchTask {
    /// HTML extraction and text ingest throughput, with peak memory.
    Ingest {
        /// A data directory holding extraction-trafilatura/, corpora/reuters21578/ and
        /// corpora/bbc-fulltext/ (any of them).
        #[arg(long)]
        data: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn open_store(cli_db: &std::path::Path) -> Result<SqliteStore> {
    SqliteStore::open(cli_db).with_context(|| format!("cannot open database {}", cli_db.display()))
}

fn run(cli: Cli) -> Result<ExitCode> {
    let mut out = io::stdout().lock();
    match cli.command {
        Command::Ingest { args, json } => {
            let mut store = open_store(&cli.db)?;
            let outcome = ingest::run(&mut store, &args, json, &mut out)?;
            eprintln!("{}", outcome.summary_line());
            Ok(outcome.exit_code())
        }
        Command::Analyze { args, json } => {
            let mut store = open_store(&cli.db)?;
            let outcome = ingest::run(&mut store, &args, false, &mut io::sink())?;
            let mut docs = Vec::new();
            for id in outcome.ids() {
                if let Some(doc) = store.get(id.as_str())? {
                    docs.push(doc);
                }
            }
            if json {
                serde_json::to_writer_pretty(
                    &mut out,
                    &docs.iter().map(json::article_detail).collect::<Vec<_>>(),
                )?;
                writeln!(out)?;
            } else {
                report::analyze(&mut out, &docs)?;
            }
            eprintln!("{}", outcome.summary_line());
            Ok(outcome.exit_code())
        }
        Command::Articles { json } => {
            let store = open_store(&cli.db)?;
            let list = store.summaries()?;
            if json {
                serde_json::to_writer_pretty(
                    &mut out,
                    &list.iter().map(json::article_summary).collect::<Vec<_>>(),
                )?;
                writeln!(out)?;
            } else {
                report::articles(&mut out, &list)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Article { id, json } => {
            let store = open_store(&cli.db)?;
            let Some(doc) = store.get(&id)? else {
                eprintln!("error: no article with ID {id:?}");
                return Ok(ExitCode::from(2));
            };
            if json {
                serde_json::to_writer_pretty(&mut out, &json::article_detail(&doc))?;
                writeln!(out)?;
            } else {
                report::article(&mut out, &doc)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval { task } => {
            let extractor = Extractor::default();
            let report = match task {
                EvalTask::Extraction { data } => newsdesk_eval::extraction::run(&extractor, &data)?,
                EvalTask::Dates { data, verbose } => {
                    newsdesk_eval::dates::run(&extractor, &data, verbose)?
                }
            };
            writeln!(out, "{report}")?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench { task } => match task {
            BenchTask::Ingest { data } => {
                bench::ingest(&data, &mut out)?;
                Ok(ExitCode::SUCCESS)
            }
        },
    }
}
