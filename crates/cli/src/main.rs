//! `newsdesk`: reads many news reports about the same events and gives back a sourced record.
//!
//! Exit codes: 0 success, 1 some inputs failed (the rest were processed), 2 usage or fatal error.
//! A closed output pipe (`newsdesk articles | head`) counts as success.

mod bench;
mod bench_connect;
mod json;
mod observe;
mod report;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use newsdesk_extract::Extractor;
use newsdesk_ingest::Limits;
use newsdesk_pipeline::Pipeline;
use newsdesk_store::{EntityRecord, SqliteStore, Store};

/// Parsing pages and annotating text allocate many small, short-lived
/// objects; mimalloc serves them faster than the system allocator
/// (figures in bench/runs/).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "newsdesk",
    version,
    about = "A sourced record of what many news reports say happened"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The store a command reads or writes. Only the commands that use a store take it.
#[derive(clap::Args, Clone)]
struct StoreArg {
    /// The store: an SQLite database file.
    #[arg(long, env = "NEWSDESK_DB", default_value = "newsdesk.db")]
    db: PathBuf,
}

/// Output format of listing commands.
#[derive(clap::Args, Clone, Copy)]
struct JsonArg {
    /// Print JSON (the contract in docs/json.md) instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args, Clone)]
struct IngestArgs {
    /// Files, directories (read recursively) or `-` for stdin.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Largest record accepted, in bytes after decompression.
    #[arg(long, default_value_t = Limits::default().max_record_bytes)]
    max_record_bytes: u64,
    /// Records stored per transaction (fewer when they are long: at most 16 MB a batch).
    #[arg(long, default_value_t = newsdesk_runner::IngestOptions::default().batch)]
    batch: usize,
    /// Also name every record that was already stored (the summary counts them anyway).
    #[arg(long, short)]
    verbose: bool,
    #[command(flatten)]
    store: StoreArg,
}

/// Which main-text extractor to measure (`analyze` and `ingest` always use the default).
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum ExtractorChoice {
    /// The default: our block extractor, and the `trafilatura` crate where the page does not
    /// vouch for what it found.
    Cascade,
    /// The `trafilatura` crate on every page, with our block extractor as its fallback.
    Trafilatura,
    /// newsdesk's own block extractor alone (the fastest).
    Blocks,
}

impl IngestArgs {
    fn options(&self) -> newsdesk_runner::IngestOptions {
        newsdesk_runner::IngestOptions {
            limits: Limits {
                max_record_bytes: self.max_record_bytes,
            },
            batch: self.batch,
            ..newsdesk_runner::IngestOptions::default()
        }
    }
}

impl ExtractorChoice {
    fn extractor(self) -> Extractor {
        let body: Box<dyn newsdesk_extract::BodyExtractor> = match self {
            ExtractorChoice::Cascade => Box::new(newsdesk_extract::Cascade),
            ExtractorChoice::Trafilatura => Box::new(newsdesk_extract::Trafilatura),
            ExtractorChoice::Blocks => Box::new(newsdesk_extract::Blocks),
        };
        Extractor {
            body,
            ..Extractor::default()
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Read news inputs into the store (text, HTML, JSONL, WARC, RSS/Atom; gzipped or not).
    Ingest {
        #[command(flatten)]
        args: IngestArgs,
        /// Print one JSON object per record (its source, ID and status) on stdout.
        #[arg(long)]
        json: bool,
    },
    /// List stored articles.
    Articles {
        #[command(flatten)]
        store: StoreArg,
        #[command(flatten)]
        format: JsonArg,
    },
    /// Show one article with its text, metadata and layers.
    Article {
        /// The article's ID, or a prefix of it that no other ID shares.
        id: String,
        #[command(flatten)]
        store: StoreArg,
        #[command(flatten)]
        format: JsonArg,
    },
    /// Ingest inputs, annotate them and print a readable report of them: the main job in one
    /// command.
    Analyze {
        #[command(flatten)]
        args: IngestArgs,
        /// Print the articles with all their layers as JSON instead of the report.
        #[arg(long)]
        json: bool,
    },
    /// Annotate stored articles that lack a layer (sentences, tokens, entities, dates,
    /// quotes), then resolve canonical entities across the store.
    Annotate {
        /// Re-annotate every article, not only those missing a layer.
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        store: StoreArg,
    },
    /// Find copies and stories among the annotated articles not yet connected: reposts and
    /// rewrites with their aligned passages, shared quotes, the story and thread of each.
    Connect {
        /// Forget earlier links and stories and connect every article again.
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        store: StoreArg,
    },
    /// List stories (one real happening each), largest first.
    Stories {
        #[command(flatten)]
        store: StoreArg,
        #[command(flatten)]
        format: JsonArg,
    },
    /// Show one story: when and where, people, sources and why they count as they do, its
    /// articles and the copies among them.
    Story {
        /// The story's ID (its first article's ID), or a prefix no other story shares.
        id: String,
        #[command(flatten)]
        store: StoreArg,
        #[command(flatten)]
        format: JsonArg,
    },
    /// List threads: related stories followed over time.
    Threads {
        #[command(flatten)]
        store: StoreArg,
        #[command(flatten)]
        format: JsonArg,
    },
    /// List copy links (identical, republished, rewritten, shared-quote) with their passages.
    Copies {
        /// Only the links of this article (ID or unique prefix).
        #[arg(long)]
        article: Option<String>,
        #[command(flatten)]
        store: StoreArg,
        #[command(flatten)]
        format: JsonArg,
    },
    /// List canonical entities (people, organisations, places) across the store.
    Entities {
        #[command(flatten)]
        store: StoreArg,
        #[command(flatten)]
        format: JsonArg,
    },
    /// List quotes with their speakers across the store.
    Quotes {
        #[command(flatten)]
        store: StoreArg,
        #[command(flatten)]
        format: JsonArg,
        /// Only quotes whose speaker's name contains this (case-insensitive).
        #[arg(long)]
        speaker: Option<String>,
    },
    /// Train a model from data, reproducibly.
    Train {
        #[command(subcommand)]
        task: TrainTask,
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
enum TrainTask {
    /// The named-entity recogniser, from CoNLL-2003 train/valid and unlabelled corpora
    /// (DIR/ner-conll2003/{train,valid}.txt and DIR/corpora).
    Ner {
        /// The data directory (holding ner-conll2003/ and corpora/).
        #[arg(long)]
        data: PathBuf,
        /// Where to write the model.
        #[arg(long, default_value = "crates/annotate/model/ner.bin")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum EvalTask {
    /// Named entities on a CoNLL-format file, a directory holding valid.txt, or a data
    /// directory holding ner-conll2003/valid.txt (conlleval: exact span and type).
    Ner {
        /// A CoNLL-format file, a directory holding valid.txt, or the data directory.
        #[arg(long)]
        data: PathBuf,
    },
    /// Quotes and speakers on PolNeAR's brat layout (text/ and attributions/; a split directory
    /// or the corpus root, whose dev/ split is used).
    Quotes {
        /// PolNeAR's corpus root (its dev/ split is used) or one split directory.
        #[arg(long)]
        data: PathBuf,
        /// List every missed and spurious attribution and every wrong speaker.
        #[arg(long)]
        verbose: bool,
    },
    /// Temporal expressions on TimeML `.tml` files, anchored on each document's creation time
    /// (TempEval-3 method).
    Time {
        /// A directory of TimeML `.tml` files (searched recursively).
        #[arg(long)]
        data: PathBuf,
        /// List every missed, spurious and wrongly valued mention.
        #[arg(long)]
        verbose: bool,
    },
    /// Main-text extraction (trafilatura evaldata.json or ScrapingHub ground-truth.json layout).
    Extraction {
        /// The folder holding evaldata.json (trafilatura) or ground-truth.json (ScrapingHub).
        #[arg(long)]
        data: PathBuf,
        /// List every missed and every leaked snippet.
        #[arg(long)]
        verbose: bool,
        /// Which main-text extractor to measure.
        #[arg(long, value_enum, default_value_t = ExtractorChoice::Cascade)]
        body: ExtractorChoice,
    },
    /// Story clustering (one real happening = one story) on ECB+ CAT XML or news-please JSON
    /// with newsCluster gold; prints B3 and pairwise scores and the threshold curve.
    Clusters {
        /// The folder holding ECB+ topic folders or news-please JSON files (layout detected).
        #[arg(long)]
        data: PathBuf,
        /// List every false join (an article joined to another gold story) with its evidence.
        #[arg(long)]
        verbose: bool,
    },
    /// Publication dates (htmldate eval_*.json layout).
    Dates {
        /// The folder holding htmldate's eval_*.json files and their pages.
        #[arg(long)]
        data: PathBuf,
        /// List every miss.
        #[arg(long)]
        verbose: bool,
        /// Which main-text extractor to measure.
        #[arg(long, value_enum, default_value_t = ExtractorChoice::Cascade)]
        body: ExtractorChoice,
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
        /// Which main-text extractor to measure.
        #[arg(long, value_enum, default_value_t = ExtractorChoice::Cascade)]
        body: ExtractorChoice,
        /// Only the text corpora (BBC, Reuters), not the HTML sets.
        #[arg(long)]
        text_only: bool,
    },
    /// Annotation pipeline throughput (sentences, tokens, entities, …) on BBC and Reuters text.
    Annotate {
        /// The data directory holding corpora/bbc-fulltext/ and corpora/reuters21578/.
        #[arg(long)]
        data: PathBuf,
    },
    /// The connect stage (copies, stories) over a growing store: Reuters and BBC, then a
    /// generated corpus with planted copies; articles/s, peak memory, planted copies found.
    Connect {
        /// The data directory holding corpora/reuters21578/ and corpora/bbc-fulltext/ (either
        /// may be missing; the generated corpus fills up to --articles).
        #[arg(long)]
        data: PathBuf,
        /// Articles in the store at the end.
        #[arg(long, default_value_t = 100_000)]
        articles: usize,
        /// Steps in which the generated part is added, each followed by a connect run.
        #[arg(long, default_value_t = 4)]
        steps: usize,
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

/// Whether the error is a closed output pipe (`newsdesk articles --json | head -1`), a normal
/// end. serde_json wraps the I/O error without exposing it as a source, so it is asked apart.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            || e.downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
                == Some(io::ErrorKind::BrokenPipe)
            || e.downcast_ref::<newsdesk_runner::RunError>()
                .is_some_and(|e| {
                    matches!(e, newsdesk_runner::RunError::Io(io) if io.kind() == io::ErrorKind::BrokenPipe)
                })
    })
}

/// Opens the store, creating it when absent: for the commands that write (ingest, analyze).
fn create_store(arg: &StoreArg) -> Result<SqliteStore> {
    SqliteStore::open(&arg.db).with_context(|| format!("cannot open store {}", arg.db.display()))
}

/// Opens a store that must exist: a mistyped `--db` is an error, not an empty listing.
fn existing_store(arg: &StoreArg) -> Result<SqliteStore> {
    SqliteStore::open_existing(&arg.db).map_err(|err| match err {
        newsdesk_store::StoreError::NoStore(_) => anyhow::anyhow!(
            "{err} (ingest or analyze creates one; --db or NEWSDESK_DB names another)"
        ),
        err => anyhow::Error::new(err).context(format!("cannot open store {}", arg.db.display())),
    })
}

/// Says on stderr when annotated articles wait for `connect`, so a listing is not taken for
/// the whole store.
fn warn_unconnected(store: &dyn Store) -> Result<()> {
    let waiting = store
        .pending_connect(&newsdesk_runner::CONNECT_READS)?
        .len();
    if waiting > 0 {
        eprintln!(
            "note: {} not yet connected; `newsdesk connect` adds them",
            report::count(waiting, "annotated article is", "annotated articles are")
        );
    }
    Ok(())
}

fn meta_by_id(store: &dyn Store) -> Result<report::MetaById> {
    Ok(store
        .summaries()?
        .into_iter()
        .map(|s| (s.id, s.meta))
        .collect())
}

/// Canonical entities by ID, for printing mentions with their canonical names.
fn entity_index(store: &dyn Store) -> Result<std::collections::HashMap<String, EntityRecord>> {
    Ok(store
        .entities()?
        .into_iter()
        .map(|e| (e.id.clone(), e))
        .collect())
}

fn run(cli: Cli) -> Result<ExitCode> {
    let mut out = io::stdout().lock();
    match cli.command {
        Command::Ingest { args, json } => {
            let mut store = create_store(&args.store)?;
            let json_lines: Option<&mut dyn Write> = if json { Some(&mut out) } else { None };
            let mut view = observe::IngestView::new(json_lines, args.verbose);
            let outcome =
                newsdesk_runner::ingest(&mut store, &args.paths, &args.options(), &mut view)?;
            drop(view);
            eprintln!("{}", observe::summary_line(&outcome));
            Ok(observe::exit_code(&outcome))
        }
        Command::Analyze { args, json } => {
            let mut store = create_store(&args.store)?;
            let mut view = observe::IngestView::new(None, args.verbose);
            let outcome =
                newsdesk_runner::ingest(&mut store, &args.paths, &args.options(), &mut view)?;
            drop(view);
            let pipeline = Pipeline::standard()?;
            let annotated = newsdesk_runner::annotate(
                &mut store,
                &pipeline,
                &newsdesk_runner::AnnotateOptions::default(),
                &mut observe::AnnotateView::new(),
            )?;
            newsdesk_runner::connect(
                &mut store,
                &newsdesk_runner::ConnectOptions::default(),
                &mut observe::ConnectView::new(),
            )?;
            let entities = entity_index(&store)?;
            let stories = newsdesk_runner::load_stories(&store)?;
            let mut docs = Vec::new();
            for id in outcome.ids() {
                if let Some(doc) = store.get(id.as_str())? {
                    let layers = store.layers(doc.id())?;
                    docs.push((doc, layers));
                }
            }
            if json {
                let list: Vec<_> = docs
                    .iter()
                    .map(|(d, l)| json::article_detail(d, l, &entities))
                    .collect();
                serde_json::to_writer_pretty(&mut out, &list)?;
                writeln!(out)?;
            } else {
                // The stories these inputs belong to, largest first.
                let mut ids: Vec<newsdesk_stories::StoryId> = docs
                    .iter()
                    .filter_map(|(d, _)| stories.story_of(d.id().as_str()).cloned())
                    .collect();
                ids.sort();
                ids.dedup();
                let mut views = newsdesk_runner::story_views(&store, &stories, Some(&ids))?;
                views.sort_by(|a, b| {
                    b.articles
                        .len()
                        .cmp(&a.articles.len())
                        .then_with(|| a.id.cmp(&b.id))
                });
                report::analyze(&mut out, &views, &meta_by_id(&store)?, &docs, &entities)?;
            }
            eprintln!("{}", observe::summary_line(&outcome));
            if annotated.failed > 0 {
                return Ok(ExitCode::from(1));
            }
            Ok(observe::exit_code(&outcome))
        }
        Command::Articles { store, format } => {
            let store = existing_store(&store)?;
            let list = store.summaries()?;
            if format.json {
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
        Command::Article { id, store, format } => {
            let store = existing_store(&store)?;
            let Some(doc) = store.get(&id)? else {
                eprintln!("error: no article with ID {id:?}");
                return Ok(ExitCode::from(2));
            };
            let layers = store.layers(doc.id())?;
            let entities = entity_index(&store)?;
            if let Some(reason) = store.annotation_failure(doc.id())? {
                eprintln!("annotation failed: {reason}");
            }
            if format.json {
                serde_json::to_writer_pretty(
                    &mut out,
                    &json::article_detail(&doc, &layers, &entities),
                )?;
                writeln!(out)?;
            } else {
                report::article(&mut out, &doc, &layers, &entities)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Annotate { all, store } => {
            let mut store = existing_store(&store)?;
            let pipeline = Pipeline::standard()?;
            let options = newsdesk_runner::AnnotateOptions {
                all,
                ..Default::default()
            };
            let outcome = newsdesk_runner::annotate(
                &mut store,
                &pipeline,
                &options,
                &mut observe::AnnotateView::new(),
            )?;
            eprintln!("{}", observe::annotate_summary(&outcome));
            Ok(if outcome.failed > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Quotes {
            store,
            format,
            speaker,
        } => {
            let store = existing_store(&store)?;
            let entities = entity_index(&store)?;
            let wanted = speaker.map(|s| s.to_lowercase());
            let mut rows = Vec::new();
            for summary in store.summaries()? {
                let Some(doc) = store.get(summary.id.as_str())? else {
                    continue;
                };
                let layers = store.layers(doc.id())?;
                for q in &layers.quotes {
                    let row = json::quote(&doc, &layers, q, &entities);
                    let keep = wanted.as_ref().is_none_or(|w| {
                        let s = &row["speaker"];
                        [&s["canonical"], &s["text"]].iter().any(|v| {
                            v.as_str()
                                .is_some_and(|n| n.to_lowercase().contains(w.as_str()))
                        })
                    });
                    if keep {
                        rows.push(row);
                    }
                }
            }
            if format.json {
                serde_json::to_writer_pretty(&mut out, &rows)?;
                writeln!(out)?;
            } else {
                report::quotes(&mut out, &rows)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Connect { all, store } => {
            let mut store = existing_store(&store)?;
            let options = newsdesk_runner::ConnectOptions {
                all,
                ..Default::default()
            };
            let outcome =
                newsdesk_runner::connect(&mut store, &options, &mut observe::ConnectView::new())?;
            eprintln!("{}", observe::connect_summary(&outcome));
            Ok(ExitCode::SUCCESS)
        }
        Command::Stories { store, format } => {
            let store = existing_store(&store)?;
            warn_unconnected(&store)?;
            let stories = newsdesk_runner::load_stories(&store)?;
            let mut list = newsdesk_runner::story_views(&store, &stories, None)?;
            list.sort_by(|a, b| {
                b.articles
                    .len()
                    .cmp(&a.articles.len())
                    .then_with(|| a.id.cmp(&b.id))
            });
            if format.json {
                serde_json::to_writer_pretty(&mut out, &list)?;
                writeln!(out)?;
            } else {
                report::stories(&mut out, &list)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Story { id, store, format } => {
            let store = existing_store(&store)?;
            warn_unconnected(&store)?;
            let stories = newsdesk_runner::load_stories(&store)?;
            let found = match stories.find(&id) {
                newsdesk_stories::Found::Story(s) => s,
                newsdesk_stories::Found::Within { article, story } => {
                    eprintln!(
                        "note: no story has the ID {article}; that article is in story {story}"
                    );
                    story
                }
                newsdesk_stories::Found::Several(_) => {
                    eprintln!("error: several stories or articles start with {id:?}");
                    return Ok(ExitCode::from(2));
                }
                newsdesk_stories::Found::Nothing => {
                    eprintln!("error: no story or article ID starts with {id:?}");
                    return Ok(ExitCode::from(2));
                }
            };
            let views =
                newsdesk_runner::story_views(&store, &stories, Some(std::slice::from_ref(&found)))?;
            if format.json {
                serde_json::to_writer_pretty(&mut out, &views[0])?;
                writeln!(out)?;
            } else {
                report::story(&mut out, &views[0], &meta_by_id(&store)?)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Threads { store, format } => {
            let store = existing_store(&store)?;
            warn_unconnected(&store)?;
            let stories = newsdesk_runner::load_stories(&store)?;
            let list = newsdesk_runner::thread_views(&store, &stories)?;
            if format.json {
                serde_json::to_writer_pretty(&mut out, &list)?;
                writeln!(out)?;
            } else {
                report::threads(&mut out, &list)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Copies {
            article,
            store,
            format,
        } => {
            let store = existing_store(&store)?;
            warn_unconnected(&store)?;
            let article = match article {
                Some(id) => match store.get(&id)? {
                    Some(doc) => Some(doc.id().clone()),
                    None => {
                        eprintln!("error: no article with ID {id:?}");
                        return Ok(ExitCode::from(2));
                    }
                },
                None => None,
            };
            let links = store.copy_links(article.as_ref())?;
            if format.json {
                serde_json::to_writer_pretty(&mut out, &links)?;
                writeln!(out)?;
            } else {
                report::copies(&mut out, &links)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Entities { store, format } => {
            let store = existing_store(&store)?;
            let list = store.entities()?;
            if format.json {
                serde_json::to_writer_pretty(
                    &mut out,
                    &list.iter().map(json::entity).collect::<Vec<_>>(),
                )?;
                writeln!(out)?;
            } else {
                report::entities(&mut out, &list)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Train { task } => match task {
            TrainTask::Ner { data, out: path } => {
                let paths = newsdesk_annotate::DataPaths::under(&data);
                let model = newsdesk_annotate::train(&paths.train, &paths.valid, &paths.corpora)?;
                std::fs::write(&path, &model)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                let ner = newsdesk_annotate::Ner::from_bytes(&model)?;
                let report = newsdesk_annotate::eval_conll(&ner, &paths.valid)?;
                writeln!(
                    out,
                    "wrote {} ({} bytes)\n{report}",
                    path.display(),
                    model.len()
                )?;
                Ok(ExitCode::SUCCESS)
            }
        },
        Command::Eval { task } => {
            let report = match task {
                EvalTask::Ner { data } => {
                    let file = if data.is_file() {
                        data
                    } else if data.join("valid.txt").exists() {
                        data.join("valid.txt")
                    } else {
                        newsdesk_annotate::DataPaths::under(&data).valid
                    };
                    let ner = newsdesk_annotate::Ner::embedded()?;
                    writeln!(out, "{}", newsdesk_annotate::eval_conll(ner, &file)?)?;
                    return Ok(ExitCode::SUCCESS);
                }
                EvalTask::Quotes { data, verbose } => {
                    // Scored as `analyze` finds them: sentences and entity mentions from the
                    // standard pipeline feed the quote stage.
                    let pipeline = Pipeline::standard()?;
                    let report = newsdesk_quotes::eval_polnear_with(&data, |text| {
                        let doc = newsdesk_span::Document::new(
                            newsdesk_span::Source {
                                location: "eval".into(),
                                record: None,
                            },
                            newsdesk_span::Meta::default(),
                            text.to_string(),
                        );
                        let layers = pipeline.annotate(&doc);
                        newsdesk_pipeline::attributions(text, &layers)
                    })?;
                    if verbose {
                        for e in &report.errors {
                            writeln!(out, "{e}")?;
                        }
                    }
                    writeln!(out, "{report}")?;
                    return Ok(ExitCode::SUCCESS);
                }
                EvalTask::Time { data, verbose } => {
                    let report = newsdesk_timex::eval_timeml(&data)?;
                    if verbose {
                        for e in &report.errors {
                            writeln!(out, "{e}")?;
                        }
                    }
                    writeln!(out, "{report}")?;
                    return Ok(ExitCode::SUCCESS);
                }
                EvalTask::Clusters { data, verbose } => {
                    let set = newsdesk_stories::EvalSet::load(&data)?;
                    let config = newsdesk_stories::Config::default();
                    if verbose {
                        for (doc, gold, with_gold, join) in set.joins(config) {
                            if gold == with_gold {
                                continue;
                            }
                            let terms: Vec<&str> = join
                                .shared_terms
                                .iter()
                                .take(8)
                                .map(String::as_str)
                                .collect();
                            writeln!(
                                out,
                                "false join: {doc} -> {} similarity {:.3}; names: {}; terms: {}",
                                join.with,
                                join.similarity,
                                join.shared_names.join(", "),
                                terms.join(", ")
                            )?;
                        }
                    }
                    writeln!(out, "{}", set.run(config))?;
                    return Ok(ExitCode::SUCCESS);
                }
                EvalTask::Extraction {
                    data,
                    verbose,
                    body,
                } => newsdesk_eval::extraction::run(&body.extractor(), &data, verbose)?,
                EvalTask::Dates {
                    data,
                    verbose,
                    body,
                } => newsdesk_eval::dates::run(&body.extractor(), &data, verbose)?,
            };
            writeln!(out, "{report}")?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench { task } => match task {
            BenchTask::Ingest {
                data,
                body,
                text_only,
            } => {
                bench::ingest(&data, &body.extractor(), text_only, &mut out)?;
                Ok(ExitCode::SUCCESS)
            }
            BenchTask::Annotate { data } => {
                bench::annotate(&data, &mut out)?;
                Ok(ExitCode::SUCCESS)
            }
            BenchTask::Connect {
                data,
                articles,
                steps,
            } => {
                bench_connect::connect(&data, articles, steps, &mut out)?;
                Ok(ExitCode::SUCCESS)
            }
        },
    }
}
