//! Passage alignment: the stretches of text two articles share, as byte spans into each.
//!
//! As passim does for newspaper reprints, shared shingles are anchors; anchors on one diagonal
//! (the same offset between the two texts) form runs, tolerating a few changed words; runs
//! follow one another across small insertions and deletions into passages. The cost is linear
//! in the two texts plus the number of anchors, not their product, so it can verify every
//! candidate pair a MinHash index proposes. A shingle repeated many times in one text (a
//! refrain, a list) anchors nothing: it would tie every copy of itself to every other.

use std::collections::HashMap;

use newsdesk_span::Span;
use serde::{Deserialize, Serialize};

use crate::words::{Word, SHINGLE_WORDS};

/// Words that may differ inside a run before it breaks (a changed name, a dropped adjective).
const GAP_WORDS: usize = 8;
/// A shingle found more often than this in one text anchors nothing.
const MAX_REPEATS: usize = 4;
/// Passages shorter than this, in bytes on either side, are common phrases, not reuse.
pub const MIN_PASSAGE_BYTES: usize = 50;

/// One passage two texts share.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passage {
    /// The passage in the first text.
    pub a: Span,
    /// The passage in the second text.
    pub b: Span,
    /// Words of the first text covered by shared shingles (at most the words of `a`).
    pub words: u32,
}

/// One text prepared for alignment.
pub struct Prepared<'t> {
    pub text: &'t str,
    pub words: Vec<Word>,
    pub shingles: Vec<u64>,
}

impl<'t> Prepared<'t> {
    pub fn new(text: &'t str) -> Prepared<'t> {
        let words = crate::words::words(text);
        let shingles = crate::words::shingles(&words);
        Prepared {
            text,
            words,
            shingles,
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Run {
    /// First and last shingle index in each text.
    a0: usize,
    a1: usize,
    b0: usize,
    b1: usize,
    /// Shingle positions matched in the run.
    matched: usize,
}

/// The passages `a` and `b` share, in the order they appear in `a`; no two overlap in either
/// text.
pub fn align(a: &Prepared<'_>, b: &Prepared<'_>) -> Vec<Passage> {
    let mut positions: HashMap<u64, Vec<u32>> = HashMap::with_capacity(a.shingles.len());
    for (i, &h) in a.shingles.iter().enumerate() {
        positions.entry(h).or_default().push(i as u32);
    }
    positions.retain(|_, p| p.len() <= MAX_REPEATS);
    let mut b_counts: HashMap<u64, usize> = HashMap::new();
    for &h in &b.shingles {
        *b_counts.entry(h).or_default() += 1;
    }
    // Anchors by diagonal (offset of b against a), then position in a.
    let mut anchors: Vec<(i64, usize, usize)> = Vec::new();
    for (j, h) in b.shingles.iter().enumerate() {
        if b_counts[h] > MAX_REPEATS {
            continue;
        }
        if let Some(list) = positions.get(h) {
            anchors.extend(list.iter().map(|&i| (j as i64 - i as i64, i as usize, j)));
        }
    }
    anchors.sort_unstable();
    let mut runs: Vec<Run> = Vec::new();
    for (diag, i, j) in anchors {
        match runs.last_mut() {
            Some(r) if (r.b1 as i64 - r.a1 as i64) == diag && i <= r.a1 + 1 + GAP_WORDS => {
                r.a1 = i;
                r.b1 = j;
                r.matched += 1;
            }
            _ => runs.push(Run {
                a0: i,
                a1: i,
                b0: j,
                b1: j,
                matched: 1,
            }),
        }
    }
    // Chain runs in the order of `a` into passages across small shifts of the diagonal.
    runs.sort_unstable_by_key(|r| (r.a0, r.b0));
    let mut chains: Vec<Run> = Vec::new();
    for r in runs {
        let follows = |c: &Run| {
            let da = r.a0 as i64 - c.a1 as i64;
            let db = r.b0 as i64 - c.b1 as i64;
            (1..=(GAP_WORDS + SHINGLE_WORDS) as i64).contains(&da)
                && (1..=(GAP_WORDS + SHINGLE_WORDS) as i64).contains(&db)
        };
        match chains.iter_mut().rev().take(8).find(|c| follows(c)) {
            Some(c) => {
                c.a1 = r.a1;
                c.b1 = r.b1;
                c.matched += r.matched;
            }
            None => chains.push(r),
        }
    }
    let mut passages: Vec<Passage> = chains
        .into_iter()
        .filter_map(|c| passage(a, b, &c))
        .collect();
    // A paragraph printed twice in one text aligns twice; keep the longest passage of each
    // overlapping group so the passages of a link describe each text once.
    passages.sort_unstable_by_key(|p| std::cmp::Reverse((p.words, p.a.len())));
    let mut kept: Vec<Passage> = Vec::new();
    for p in passages {
        if kept
            .iter()
            .all(|k| !k.a.overlaps(p.a) && !k.b.overlaps(p.b))
        {
            kept.push(p);
        }
    }
    kept.sort_unstable_by_key(|p| p.a.start());
    kept
}

fn passage(a: &Prepared<'_>, b: &Prepared<'_>, c: &Run) -> Option<Passage> {
    let last = SHINGLE_WORDS - 1;
    let span = |p: &Prepared<'_>, first: usize, last: usize| {
        Span::new(
            p.text,
            p.words[first].start as usize,
            p.words[last].end as usize,
        )
        .ok()
    };
    let sa = span(a, c.a0, c.a1 + last)?;
    let sb = span(b, c.b0, c.b1 + last)?;
    if sa.len() < MIN_PASSAGE_BYTES || sb.len() < MIN_PASSAGE_BYTES {
        return None;
    }
    // Matched shingles cover their own words: a run of n contiguous shingles covers n + 4
    // words; with gaps, at most the words of the passage.
    let covered = (c.matched + last).min(c.a1 + last + 1 - c.a0);
    Some(Passage {
        a: sa,
        b: sb,
        words: covered as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "The harbour of Portville reopened on Monday after a storm closed it for three days, the port authority said. Harbour master Elena Varga said the first cargo ship would dock the next morning and that fishing boats had already left.";

    #[test]
    fn a_repost_aligns_whole_with_its_spans_on_both_sides() {
        let repost = format!("Shared from Coastal Wire\n\n{STORY}\n\nComments (0)");
        let (a, b) = (Prepared::new(STORY), Prepared::new(&repost));
        let p = align(&a, &b);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].a.slice(STORY), STORY.trim_end_matches('.'));
        assert_eq!(p[0].b.slice(&repost), STORY.trim_end_matches('.'));
    }

    #[test]
    fn a_rewrite_with_changed_words_and_a_moved_paragraph_still_aligns() {
        let first = "Officials said the council would vote again on the new bridge over the river Sarn next month, after a second delay caused by a dispute over costs.";
        let second = "The mayor, Ilse Brandt, told reporters that the project was still worth every euro it would cost the town and its neighbours in the valley.";
        let a = format!("{first}\n\n{second}");
        let edited_first = first
            .replace("next month", "in March")
            .replace("second", "new");
        let b = format!("{second}\n\nMore details later.\n\n{edited_first}");
        let p = align(&Prepared::new(&a), &Prepared::new(&b));
        assert_eq!(p.len(), 2, "{p:?}");
        // In the order of the first text: the (edited) first paragraph, then the second.
        assert!(p[0].a.slice(&a).starts_with("Officials said the council"));
        assert!(p[0].b.slice(&b).starts_with("Officials said the council"));
        assert!(p[1].a.slice(&a).starts_with("The mayor"));
        assert!(p[1].b.slice(&b).starts_with("The mayor"));
    }

    #[test]
    fn a_shared_common_phrase_is_not_a_passage() {
        let a = "In other news, the minister said on Tuesday that talks would continue. The weather was fine.";
        let b = "Separately, the minister said on Tuesday that he would resign soon. Markets fell sharply.";
        assert!(align(&Prepared::new(a), &Prepared::new(b)).is_empty());
    }

    #[test]
    fn unrelated_texts_share_nothing() {
        let other = "Snow closed the mountain pass on Thursday night and the police turned back dozens of lorries.";
        assert!(align(&Prepared::new(STORY), &Prepared::new(other)).is_empty());
    }
}
