//! Candidate pairs in time linear in the corpus: a MinHash signature per article and a
//! locality-sensitive index over bands of it.
//!
//! The signature is one-permutation MinHash (Li, Owen and Zhang 2012): each shingle hash is
//! dealt to one of [`BINS`] bins by its top bits and each bin keeps its minimum, so a text costs
//! one hash per shingle rather than one per shingle and permutation. Empty bins (short texts)
//! borrow the next filled bin's value, salted by the distance, as in densified one-permutation
//! hashing (Shrivastava 2017), which keeps two signatures comparable bin by bin.
//!
//! Bands of [`ROWS`] bins: two articles become candidates when any band is equal. With 32 bands
//! of 2 rows, a pair whose shingle sets have a Jaccard similarity of 0.2 collides with
//! probability 1 − (1 − 0.2²)³² ≈ 0.73, of 0.3 with 0.95, of 0.5 with 1.0. Reprints of news
//! often share only a third of their shingles, so the index errs towards recall; every
//! candidate is verified by alignment ([`crate::align`]) before it becomes a link.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::{Deserialize, Serialize};

/// Bins in a signature.
pub const BINS: usize = 64;
/// Bins per band.
pub const ROWS: usize = 2;
const BANDS: usize = BINS / ROWS;

/// A MinHash signature; `None` for a text shorter than one shingle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature(Vec<u64>);

impl Signature {
    pub fn of(shingles: &[u64]) -> Option<Signature> {
        if shingles.is_empty() {
            return None;
        }
        let mut bins = [u64::MAX; BINS];
        let mut filled = [false; BINS];
        for &h in shingles {
            // The shingle hash is already well mixed; mix once more so that bin and value use
            // independent bits.
            let h = h.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (h >> 29);
            let bin = (h >> 58) as usize;
            let value = h & ((1 << 58) - 1);
            if value < bins[bin] {
                bins[bin] = value;
            }
            filled[bin] = true;
        }
        for i in 0..BINS {
            if !filled[i] {
                let (distance, from) = (1..BINS)
                    .map(|d| (d, (i + d) % BINS))
                    .find(|&(_, j)| filled[j])
                    .expect("one bin at least is filled");
                bins[i] =
                    bins[from].wrapping_add((distance as u64).wrapping_mul(0x5851_f42d_4c95_7f2d));
            }
        }
        Some(Signature(bins.to_vec()))
    }

    /// The bins, for storage.
    pub fn bins(&self) -> &[u64] {
        &self.0
    }

    /// A signature read back from storage; `None` unless it has [`BINS`] bins.
    pub fn from_bins(bins: Vec<u64>) -> Option<Signature> {
        (bins.len() == BINS).then_some(Signature(bins))
    }

    /// The share of equal bins: an estimate of the Jaccard similarity of the shingle sets.
    pub fn similarity(&self, other: &Signature) -> f32 {
        let equal = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        equal as f32 / BINS as f32
    }

    fn band_keys(&self) -> impl Iterator<Item = (u8, u64)> + '_ {
        self.0.chunks(ROWS).enumerate().map(|(band, rows)| {
            let key = rows.iter().fold(band as u64, |acc, v| {
                (acc ^ v)
                    .wrapping_mul(0xff51_afd7_ed55_8ccd)
                    .rotate_left(31)
            });
            (band as u8, key)
        })
    }
}

/// The LSH index: for each band value, the articles whose signature has it. Articles are
/// numbered in the order they were added; the caller maps numbers to its own IDs.
///
/// The index is a set of postings, so two indexes built on separate shards merge by taking the
/// union of their postings ([`Index::merge`]): the candidates of the merged index are exactly
/// those of one index built over both shards.
///
/// Most band values occur once, so a posting list per value (a vector each, in a map hashed
/// with SipHash) was 32 allocations per article and most of the cost of rebuilding the index
/// at the start of a run. The postings are chains instead: the map holds each value's last
/// entry, and each entry the article and the entry before it with the same value.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Index<K> {
    keys: Vec<K>,
    heads: HashMap<(u8, u64), u32, BuildHasherDefault<BandHasher>>,
    /// (article, the previous entry of the same band value or [`NO_ENTRY`]).
    entries: Vec<(u32, u32)>,
}

const NO_ENTRY: u32 = u32::MAX;

/// The hasher of band keys, which are already well mixed: one multiply per word.
#[derive(Clone, Copy, Debug, Default)]
pub struct BandHasher(u64);

impl Hasher for BandHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(b as u64);
        }
    }

    fn write_u8(&mut self, v: u8) {
        self.write_u64(v as u64);
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0 ^ v)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(29);
    }
}

impl<K: Clone + Ord> Index<K> {
    pub fn new() -> Index<K> {
        Index {
            keys: Vec::new(),
            heads: HashMap::default(),
            entries: Vec::new(),
        }
    }

    /// An index with room for `articles` articles, so that rebuilding one from stored
    /// signatures does not grow (and rehash) its map step by step.
    pub fn with_capacity(articles: usize) -> Index<K> {
        Index {
            keys: Vec::with_capacity(articles),
            heads: HashMap::with_capacity_and_hasher(articles * BANDS, Default::default()),
            entries: Vec::with_capacity(articles * BANDS),
        }
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The articles of one band value's chain, latest first.
    fn chain(&self, key: (u8, u64)) -> impl Iterator<Item = u32> + '_ {
        let mut at = self.heads.get(&key).copied().unwrap_or(NO_ENTRY);
        std::iter::from_fn(move || {
            let &(article, prev) = self.entries.get(at as usize)?;
            at = prev;
            Some(article)
        })
    }

    /// The articles already indexed that share a band with `signature`, each once, in the
    /// order they were added.
    pub fn candidates(&self, signature: &Signature) -> Vec<K> {
        let mut found: Vec<u32> = Vec::new();
        for key in signature.band_keys() {
            found.extend(self.chain(key));
        }
        found.sort_unstable();
        found.dedup();
        found
            .into_iter()
            .map(|i| self.keys[i as usize].clone())
            .collect()
    }

    fn push(&mut self, key: (u8, u64), article: u32) {
        let at = self.entries.len() as u32;
        let prev = self.heads.insert(key, at).unwrap_or(NO_ENTRY);
        self.entries.push((article, prev));
    }

    /// Adds an article.
    pub fn insert(&mut self, key: K, signature: &Signature) {
        let n = self.keys.len() as u32;
        self.keys.push(key);
        for band in signature.band_keys() {
            self.push(band, n);
        }
    }

    /// The candidates of `signature`, then adds it: one pass over a stream of articles finds
    /// every candidate pair once.
    pub fn observe(&mut self, key: K, signature: &Signature) -> Vec<K> {
        let found = self.candidates(signature);
        self.insert(key, signature);
        found
    }

    /// The union of two indexes. Commutative up to the numbering of articles, which is internal.
    pub fn merge(mut self, other: Index<K>) -> Index<K> {
        let offset = self.keys.len() as u32;
        self.keys.extend(other.keys.iter().cloned());
        for band in other.heads.keys() {
            let mut list: Vec<u32> = other.chain(*band).collect();
            list.reverse();
            for article in list {
                self.push(*band, article + offset);
            }
        }
        self
    }
}

const _: () = assert!(BANDS * ROWS == BINS);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::{shingles, words};

    fn sig(text: &str) -> Signature {
        Signature::of(&shingles(&words(text))).unwrap()
    }

    const STORY: &str = "The harbour of Portville reopened on Monday after a storm closed it for three days, the port authority said. Harbour master Elena Varga said the first cargo ship would dock the next morning and that fishing boats had already left. Repairs to the north pier would take until spring, she added, and the ferry would run a reduced timetable until then.";

    #[test]
    fn a_repost_with_a_new_first_line_is_a_candidate_and_an_unrelated_story_is_not() {
        let mut index = Index::new();
        assert!(index.observe("wire", &sig(STORY)).is_empty());
        let repost = format!("Reposted from Coastal Wire.\n\n{STORY}");
        assert_eq!(index.observe("repost", &sig(&repost)), ["wire"]);
        let other = "Snow closed the mountain pass on Thursday night and the police turned back dozens of lorries at the foot of the valley, where drivers waited for the ploughs to clear the road before the weekend traffic.";
        assert!(index.candidates(&sig(other)).is_empty());
        assert!(sig(STORY).similarity(&sig(&repost)) > 0.7);
    }

    #[test]
    fn merged_indexes_find_what_one_index_finds() {
        let texts = [
            STORY.to_string(),
            format!("{STORY} More to follow."),
            "An unrelated line about a bridge vote that was delayed again by the council in Valmont for the third time this year.".to_string(),
        ];
        let mut whole = Index::new();
        let mut left = Index::new();
        let mut right = Index::new();
        for (i, t) in texts.iter().enumerate() {
            whole.insert(i, &sig(t));
            if i % 2 == 0 {
                left.insert(i, &sig(t))
            } else {
                right.insert(i, &sig(t))
            }
        }
        let probe = sig(&format!("Update: {STORY}"));
        let merged = left.clone().merge(right.clone());
        let mut a = merged.candidates(&probe);
        let mut b = right.merge(left).candidates(&probe);
        a.sort();
        b.sort();
        assert_eq!(a, whole.candidates(&probe));
        assert_eq!(a, b);
        assert_eq!(a, [0, 1]);
    }

    #[test]
    fn texts_shorter_than_a_shingle_have_no_signature() {
        assert_eq!(
            Signature::of(&shingles(&words("Four words only here"))),
            None
        );
    }
}
