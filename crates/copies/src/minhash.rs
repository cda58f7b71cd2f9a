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
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Index<K> {
    keys: Vec<K>,
    postings: HashMap<(u8, u64), Vec<u32>>,
}

impl<K: Clone + Ord> Index<K> {
    pub fn new() -> Index<K> {
        Index {
            keys: Vec::new(),
            postings: HashMap::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The articles already indexed that share a band with `signature`, each once, in the
    /// order they were added.
    pub fn candidates(&self, signature: &Signature) -> Vec<K> {
        let mut found: Vec<u32> = signature
            .band_keys()
            .filter_map(|key| self.postings.get(&key))
            .flatten()
            .copied()
            .collect();
        found.sort_unstable();
        found.dedup();
        found
            .into_iter()
            .map(|i| self.keys[i as usize].clone())
            .collect()
    }

    /// Adds an article.
    pub fn insert(&mut self, key: K, signature: &Signature) {
        let n = self.keys.len() as u32;
        self.keys.push(key);
        for band in signature.band_keys() {
            self.postings.entry(band).or_default().push(n);
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
        self.keys.extend(other.keys);
        for (band, list) in other.postings {
            self.postings
                .entry(band)
                .or_default()
                .extend(list.into_iter().map(|i| i + offset));
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
