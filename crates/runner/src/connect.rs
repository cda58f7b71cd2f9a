//! The corpus stages over a store: copies, then stories and threads.
//!
//! A run takes the annotated articles the stages have not seen, in storage order and in
//! batches. For each batch:
//!
//! 1. each article's words, shingles, MinHash signature and story features are computed in
//!    parallel;
//! 2. the LSH index (rebuilt at the start of the run from the stored signatures) gives each
//!    article its candidates among all earlier articles, and the quote-speaker table the
//!    earlier articles that quote the same canonical speakers;
//! 3. every candidate pair is aligned in parallel; the verified links, the signatures and the
//!    speakers are stored in one transaction. Earlier articles are read with only the layers
//!    the comparison needs and kept for the next batches in a cache bounded by text bytes;
//!    the rows are read on the store's connection and decoded in parallel;
//! 4. each article joins a story (or starts one) in the clusterer, whose state is saved in the
//!    store at the end of the run.
//!
//! An article is never compared with the whole corpus: its cost is its candidates'. A killed
//! run loses at most the batch in flight; articles the store marks as seen but the saved
//! story state lacks (the run died before saving it) are placed again by the next run.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use newsdesk_copies::{
    compare_prepared, shared_prepared_quotes, Article, CopyLink, Index, Prepared, PreparedQuote,
    Signature,
};
use newsdesk_span::{DocId, Document, LayerName, Layers};
use newsdesk_store::{Connected, Store};
use newsdesk_stories::{ArticleFeatures, Config, Stories};
use rayon::prelude::*;

use crate::RunError;

/// The name under which the story clusterer's state is saved in the store.
pub const STORIES_STATE: &str = "stories";

/// The layers the corpus stages read: an article lacking one is not ready for them.
pub const CONNECT_READS: [LayerName; 4] = [
    LayerName::Sentences,
    LayerName::Entities,
    LayerName::Dates,
    LayerName::Quotes,
];

/// Receives a connect run's progress.
pub trait ConnectObserver {
    /// The number of articles to connect, once known.
    fn total(&mut self, _articles: usize) {}
    /// `n` more articles were connected.
    fn advanced(&mut self, _n: usize) {}
}

impl ConnectObserver for crate::NoObserver {}

/// How a connect run chooses and bounds its work.
#[derive(Clone, Debug)]
pub struct ConnectOptions {
    /// Forget what earlier runs stored (links, stories) and connect every article again.
    pub all: bool,
    /// Articles per batch (per transaction).
    pub batch_articles: usize,
}

impl Default for ConnectOptions {
    fn default() -> ConnectOptions {
        ConnectOptions {
            all: false,
            batch_articles: 256,
        }
    }
}

/// What a connect run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConnectOutcome {
    /// Articles connected by this run.
    pub articles: usize,
    /// Candidate pairs the index proposed (text and quote candidates).
    pub candidates: usize,
    /// Verified links stored, by kind name.
    pub links: BTreeMap<String, usize>,
    /// Stories this run's articles started.
    pub new_stories: usize,
    /// Stories split in two by the refinement at the end of the run (see
    /// [`Stories::refine`]).
    pub splits: usize,
    /// Stories in the store after the run.
    pub stories: usize,
}

/// The layers a batch article is read with: story features need sentences, entities and
/// dates, quote candidates the quotes and their speakers' entities.
const BATCH_LAYERS: [LayerName; 4] = CONNECT_READS;
/// An earlier article is only compared: its text and its quotes' speakers.
const CANDIDATE_LAYERS: [LayerName; 2] = [LayerName::Entities, LayerName::Quotes];
/// An article placed in a story only (see `unplaced`): its features.
const FEATURE_LAYERS: [LayerName; 3] =
    [LayerName::Sentences, LayerName::Entities, LayerName::Dates];

/// An article as read from the store with its quotes prepared (their words are read once per
/// run, not once per batch it is a candidate in), shared between a batch and [`Recent`].
type Loaded = Arc<(Document, Layers, Vec<PreparedQuote>)>;

/// The text bytes of the articles kept in [`Recent`]. The decoded layers of an article take
/// about as much memory again, so this bounds the cache near 150 MB whatever the corpus size.
const RECENT_TEXT_BYTES: usize = 64 << 20;

/// Articles read lately, kept for the batches that follow. A batch's candidates are mostly
/// recent articles and the same ones come back batch after batch (the regular speakers of a
/// beat, the wire story of the week); reading and inflating them again for every batch was a
/// third of a run. When full it is emptied, which bounds memory and needs no bookkeeping.
#[derive(Default)]
struct Recent {
    articles: HashMap<DocId, Loaded>,
    text_bytes: usize,
}

impl Recent {
    fn insert(&mut self, article: Loaded) {
        // One already kept is not counted again, nor may it empty a full cache.
        if self.articles.contains_key(article.0.id()) {
            return;
        }
        let n = article.0.text().len();
        if self.text_bytes + n > RECENT_TEXT_BYTES {
            self.articles.clear();
            self.text_bytes = 0;
        }
        self.articles.insert(article.0.id().clone(), article);
        self.text_bytes += n;
    }
}

/// An article ready to be compared: a batch article or an earlier one it is a candidate of.
struct Compared<'d> {
    doc: &'d Document,
    /// The words and shingles of the text; `None` for an earlier article that is only a quote
    /// candidate, whose text is never aligned.
    prepared: Option<Prepared<'d>>,
    /// The quotes whose speaker resolved to a canonical entity.
    quotes: &'d [PreparedQuote],
}

/// One article of a batch, ready for comparison and for the story clusterer.
struct Ready<'d> {
    compared: Compared<'d>,
    signature: Option<Signature>,
    features: ArticleFeatures,
}

fn published_day(doc: &Document) -> Option<i32> {
    let date = doc.meta.published.as_ref()?.value.date();
    let epoch = jiff::civil::date(1970, 1, 1);
    Some((date - epoch).get_days())
}

fn article<'a>(doc: &'a Document) -> Article<'a> {
    Article {
        id: doc.id(),
        text: doc.text(),
        outlet: doc.meta.outlet.as_ref().map(|f| f.value.as_str()),
        republisher: doc.meta.republisher.as_ref().map(|f| f.value.as_str()),
        published: published_day(doc),
    }
}

/// The quotes of an article whose speaker resolved to a canonical entity.
fn speaker_quotes(text: &str, layers: &Layers) -> Vec<PreparedQuote> {
    layers
        .quotes
        .iter()
        .filter_map(|q| {
            let mention = q.speaker.as_ref()?.mention?;
            let entity = layers.entities.get(mention as usize)?.entity.clone()?;
            Some(PreparedQuote::new(text, entity, q.content))
        })
        .collect()
}

fn compared(a: &Loaded, aligned: bool) -> Compared<'_> {
    Compared {
        doc: &a.0,
        prepared: aligned.then(|| Prepared::new(a.0.text())),
        quotes: &a.2,
    }
}

fn features(doc: &Document, layers: &Layers) -> ArticleFeatures {
    let mut f = ArticleFeatures::from_layers(
        doc.text(),
        layers,
        doc.meta.published.as_ref().map(|p| p.value.date()),
    );
    if let Some(title) = &doc.meta.title {
        f.add_title(&title.value);
    }
    f
}

fn ready(a: &Loaded) -> Ready<'_> {
    let compared = compared(a, true);
    let shingles = compared.prepared.as_ref().map(|p| p.shingles.as_slice());
    Ready {
        signature: Signature::of(shingles.unwrap_or_default()),
        compared,
        features: features(&a.0, &a.1),
    }
}

/// Loads the stories state saved in the store, or a new one.
pub fn load_stories(store: &dyn Store) -> Result<Stories, RunError> {
    match store.corpus_state(STORIES_STATE)? {
        Some(bytes) => Ok(Stories::from_bytes(&bytes)?),
        None => Ok(Stories::new(Config::default())),
    }
}

/// Runs the copies stage and the story clusterer over the annotated articles they have not
/// seen (all of them with `options.all`).
pub fn connect(
    store: &mut (dyn Store + Send),
    options: &ConnectOptions,
    observer: &mut dyn ConnectObserver,
) -> Result<ConnectOutcome, RunError> {
    if options.all {
        store.clear_connected()?;
    }
    let pending = store.pending_connect(&CONNECT_READS)?;
    observer.total(pending.len());
    let mut outcome = ConnectOutcome::default();

    let seen = store.signatures()?;
    // Room for this run's articles too.
    let mut index: Index<DocId> = Index::with_capacity(seen.len() + pending.len());
    for (id, bins) in &seen {
        if let Some(signature) = bins.clone().and_then(Signature::from_bins) {
            index.insert(id.clone(), &signature);
        }
    }
    let mut stories = load_stories(store)?;
    // Articles stored as seen by a run that died before saving the story state.
    let unplaced: Vec<DocId> = seen
        .iter()
        .map(|(id, _)| id.clone())
        .filter(|id| !stories.contains(id.as_str()))
        .collect();
    for chunk in unplaced.chunks(options.batch_articles.max(1)) {
        let loaded = load(store, chunk, &FEATURE_LAYERS)?;
        let features: Vec<ArticleFeatures> =
            loaded.par_iter().map(|a| features(&a.0, &a.1)).collect();
        for (a, f) in loaded.iter().zip(&features) {
            let links = store.copy_links(Some(a.0.id()))?;
            let originals: Vec<&str> = links
                .iter()
                .filter(|l| l.kind.same_source() && l.b == *a.0.id())
                .map(|l| l.a.as_str())
                .collect();
            observe(&mut stories, &a.0, f, &originals, &mut outcome);
        }
    }

    let mut recent = Recent::default();
    for chunk in pending.chunks(options.batch_articles.max(1)) {
        let loaded = load(store, chunk, &BATCH_LAYERS)?;
        let batch: Vec<Ready<'_>> = loaded.par_iter().map(ready).collect();
        let links = find_links(store, &mut index, &mut recent, &batch, &mut outcome)?;
        let mut connected = Connected::default();
        for r in &batch {
            let c = &r.compared;
            connected.articles.push((
                c.doc.id().clone(),
                r.signature.as_ref().map(|s| s.bins().to_vec()),
            ));
            let speakers: BTreeSet<&String> = c.quotes.iter().map(|q| &q.speaker).collect();
            for s in speakers {
                connected.speakers.push((s.clone(), c.doc.id().clone()));
            }
        }
        // Each article's earlier originals: a copy joins its original's story.
        let mut originals: HashMap<&DocId, Vec<&str>> = HashMap::new();
        for link in &links {
            *outcome
                .links
                .entry(link.kind.as_str().to_string())
                .or_default() += 1;
            if link.kind.same_source() {
                originals.entry(&link.b).or_default().push(link.a.as_str());
            }
        }
        for r in &batch {
            let doc = r.compared.doc;
            let copies = originals.get(doc.id()).map_or(&[][..], Vec::as_slice);
            observe(&mut stories, doc, &r.features, copies, &mut outcome);
        }
        drop(originals);
        connected.links = links;
        store.put_connected(&connected)?;
        outcome.articles += batch.len();
        observer.advanced(batch.len());
        drop(batch);
        for a in loaded {
            recent.insert(a);
        }
    }
    // The stories this run changed are refined once every article is placed, as the evaluation
    // does after observing its whole set: a split judges a story by all its members.
    outcome.splits = stories.refine().len();
    if outcome.articles > 0 || !unplaced.is_empty() {
        store.put_corpus_state(STORIES_STATE, &stories.to_bytes())?;
    }
    outcome.stories = stories.stories().count();
    Ok(outcome)
}

fn observe(
    stories: &mut Stories,
    doc: &Document,
    features: &ArticleFeatures,
    copies: &[&str],
    outcome: &mut ConnectOutcome,
) {
    let story = stories.observe_linked(doc.id().as_str(), features, copies);
    if story.0 == doc.id().as_str() {
        outcome.new_stories += 1;
    }
}

/// The articles `ids` with the layers `names`: the rows are read on this thread (the store's
/// connection is not shared), then inflated and parsed in parallel. Reading every layer with
/// its furniture, one article at a time, was most of the stage's time: the tokens are the
/// largest layer and nothing here uses them.
fn load(store: &dyn Store, ids: &[DocId], names: &[LayerName]) -> Result<Vec<Loaded>, RunError> {
    let raw = store.raw_articles(ids, names)?;
    Ok(raw
        .into_par_iter()
        .map(|r| {
            let (doc, layers) = r.decode()?;
            let quotes = speaker_quotes(doc.text(), &layers);
            Ok(Arc::new((doc, layers, quotes)))
        })
        .collect::<Result<Vec<_>, newsdesk_store::StoreError>>()?)
}

/// A candidate pair: a batch article and an earlier article (in the batch or stored).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Other {
    Batch(usize),
    Stored(usize),
}

/// Candidates from the index and the speaker table, verified by alignment.
fn find_links(
    store: &dyn Store,
    index: &mut Index<DocId>,
    recent: &mut Recent,
    batch: &[Ready<'_>],
    outcome: &mut ConnectOutcome,
) -> Result<Vec<CopyLink>, RunError> {
    let in_batch: HashMap<&DocId, usize> = batch
        .iter()
        .enumerate()
        .map(|(i, r)| (r.compared.doc.id(), i))
        .collect();
    let mut stored_ids: Vec<DocId> = Vec::new();
    let mut stored_at: HashMap<DocId, usize> = HashMap::new();
    let mut other = |id: DocId| -> Other {
        if let Some(&i) = in_batch.get(&id) {
            return Other::Batch(i);
        }
        let next = stored_ids.len();
        let i = *stored_at.entry(id.clone()).or_insert(next);
        if i == next {
            stored_ids.push(id);
        }
        Other::Stored(i)
    };
    // (batch article, other, is a text candidate)
    let mut text_pairs: BTreeSet<(usize, Other)> = BTreeSet::new();
    let mut quote_pairs: BTreeSet<(usize, Other)> = BTreeSet::new();
    let mut speakers_in_batch: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, r) in batch.iter().enumerate() {
        if let Some(signature) = &r.signature {
            for id in index.observe(r.compared.doc.id().clone(), signature) {
                text_pairs.insert((i, other(id)));
            }
        }
        let speakers: BTreeSet<&str> = r
            .compared
            .quotes
            .iter()
            .map(|q| q.speaker.as_str())
            .collect();
        for s in speakers {
            for id in store.quoting(s)? {
                quote_pairs.insert((i, other(id)));
            }
            let earlier = speakers_in_batch.entry(s).or_default();
            for &j in earlier.iter() {
                quote_pairs.insert((i, Other::Batch(j)));
            }
            earlier.push(i);
        }
    }
    outcome.candidates += text_pairs.len() + quote_pairs.len();
    let missing: Vec<DocId> = stored_ids
        .iter()
        .filter(|id| !recent.articles.contains_key(*id))
        .cloned()
        .collect();
    let fresh: HashMap<DocId, Loaded> = load(store, &missing, &CANDIDATE_LAYERS)?
        .into_iter()
        .map(|a| (a.0.id().clone(), a))
        .collect();
    let stored: Vec<Loaded> = stored_ids
        .iter()
        .filter_map(|id| recent.articles.get(id).or(fresh.get(id)).cloned())
        .collect();
    for id in &missing {
        if let Some(a) = fresh.get(id) {
            recent.insert(a.clone());
        }
    }
    let text_candidates: HashSet<usize> = text_pairs
        .iter()
        .filter_map(|(_, o)| match o {
            Other::Stored(j) => Some(*j),
            Other::Batch(_) => None,
        })
        .collect();
    let stored_ready: Vec<Compared<'_>> = stored
        .par_iter()
        .enumerate()
        .map(|(j, a)| compared(a, text_candidates.contains(&j)))
        .collect();
    let get = |o: Other| -> &Compared<'_> {
        match o {
            Other::Batch(j) => &batch[j].compared,
            Other::Stored(j) => &stored_ready[j],
        }
    };
    let text_list: Vec<(usize, Other)> = text_pairs.iter().copied().collect();
    let text_links: Vec<(usize, Other, CopyLink)> = text_list
        .par_iter()
        .filter_map(|&(i, o)| {
            let (a, b) = (get(o), &batch[i].compared);
            let (Some(pa), Some(pb)) = (&a.prepared, &b.prepared) else {
                unreachable!("text candidates are prepared")
            };
            compare_prepared(&article(a.doc), pa, &article(b.doc), pb).map(|l| (i, o, l))
        })
        .collect();
    let linked: BTreeSet<(usize, Other)> = text_links.iter().map(|(i, o, _)| (*i, *o)).collect();
    let quote_list: Vec<(usize, Other)> = quote_pairs
        .iter()
        .copied()
        .filter(|p| !linked.contains(p))
        .collect();
    // A pair that shares a quote is aligned as text too: a rewrite keeps few enough shingles
    // that the index may miss it, and it most often keeps the quotes. Where the texts share
    // passages, that link stands for the pair.
    let quote_links: Vec<CopyLink> = quote_list
        .par_iter()
        .filter_map(|&(i, o)| {
            let (a, b) = (get(o), &batch[i].compared);
            let (aa, ab) = (article(a.doc), article(b.doc));
            let quoted = shared_prepared_quotes(&aa, a.quotes, &ab, b.quotes)?;
            let (own_a, own_b);
            let pa = match &a.prepared {
                Some(p) => p,
                None => {
                    own_a = Prepared::new(a.doc.text());
                    &own_a
                }
            };
            let pb = match &b.prepared {
                Some(p) => p,
                None => {
                    own_b = Prepared::new(b.doc.text());
                    &own_b
                }
            };
            Some(compare_prepared(&aa, pa, &ab, pb).unwrap_or(quoted))
        })
        .collect();
    let mut links: Vec<CopyLink> = text_links.into_iter().map(|(_, _, l)| l).collect();
    links.extend(quote_links);
    Ok(links)
}

#[cfg(test)]
mod tests {
    use newsdesk_span::{Meta, Source};

    use super::*;

    fn loaded(i: usize, bytes: usize) -> Loaded {
        let text = format!("{i:08} {}", "x".repeat(bytes - 9));
        let doc = Document::new(
            Source {
                location: format!("{i}.txt"),
                record: None,
            },
            Meta::default(),
            text,
        );
        Arc::new((doc, Layers::default(), Vec::new()))
    }

    #[test]
    fn recent_articles_stay_within_their_text_budget_and_a_known_one_does_not_empty_them() {
        let mut recent = Recent::default();
        let size = 1 << 20;
        let fits = RECENT_TEXT_BYTES / size;
        for i in 0..fits * 3 {
            recent.insert(loaded(i, size));
            assert!(recent.text_bytes <= RECENT_TEXT_BYTES);
            assert_eq!(recent.text_bytes, recent.articles.len() * size);
        }
        // The same article twice is counted once.
        let again = loaded(fits * 3 - 1, size);
        let before = recent.text_bytes;
        let kept = recent.articles.len();
        recent.insert(again);
        assert_eq!((recent.text_bytes, recent.articles.len()), (before, kept));
    }
}
