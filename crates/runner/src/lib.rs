//! Runs that drive newsdesk's stages over a [`Store`](newsdesk_store::Store): ingest in
//! batches ([`ingest`]), annotation in batches with canonical entities resolved batch by batch
//! against the stored ones ([`annotate`]), and the recomputation of canonical entities from the
//! stored layers ([`resolve_entities`]), and the corpus stages, copies and stories
//! ([`connect`]), with the story views built from what they stored ([`story_views`]). The CLI and the server both call these; neither
//! drives a stage itself.
//!
//! A run reports what happens through an observer the caller supplies (a progress bar, JSON
//! lines, a server's job status); the run itself prints nothing.
//!
//! ```
//! use newsdesk_runner::{ingest, IngestOptions, NoObserver};
//! use newsdesk_store::SqliteStore;
//! let dir = tempfile::tempdir().unwrap();
//! std::fs::write(dir.path().join("a.txt"), "Harbour reopens\n\nThe harbour reopened on Monday.\n").unwrap();
//! let mut store = SqliteStore::open_in_memory().unwrap();
//! let outcome = ingest(&mut store, &[dir.path().to_path_buf()], &IngestOptions::default(), &mut NoObserver).unwrap();
//! assert_eq!(outcome.added(), 1);
//! ```

mod annotate;
mod connect;
mod ingest;
mod story;

pub use annotate::{
    annotate, resolve_entities, AnnotateObserver, AnnotateOptions, AnnotateOutcome,
};
pub use connect::{
    connect, load_stories, ConnectObserver, ConnectOptions, ConnectOutcome, CONNECT_READS,
    STORIES_STATE,
};
pub use ingest::{ingest, IngestObserver, IngestOptions, NoObserver, Outcome, RecordEvent};
pub use story::{
    story_views, thread_views, EventDay, Evidence, Headline, Joined, Named, StoryView, ThreadView,
};

/// Why a run stopped. Failures of single inputs are not errors: they are reported through the
/// observer and counted in the outcome, and the run goes on.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Store(#[from] newsdesk_store::StoreError),
    /// The observer could not write (a closed pipe ends the run quietly in the CLI).
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The saved story state could not be read.
    #[error("saved story state: {0}")]
    Stories(#[from] newsdesk_stories::StoriesError),
}
