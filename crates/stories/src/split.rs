//! The refinement that undoes a chain: a story whose members fall into two groups that report
//! two different happenings of one kind (two flaws in one browser years apart, two quakes in
//! one region) is split in two.
//!
//! Single link joins an article to a story through its one closest member, so two happenings
//! that share a vocabulary (the browser, the flaw, the patch) chain into one story through a
//! background paragraph. Seen from inside the story, what the members share weighs nothing and
//! what tells the happenings apart weighs most: each member's words and names are weighted by
//! their frequency within the story alone, `(1 + ln tf) * ln(n / df_story)`, so a word every
//! member uses gets 0. Under those weights the story is cut in two by average link, and the cut
//! is kept when both halves are large enough and the halves are far less alike across than
//! within. One level only: splitting the halves again cut single happenings on ECB+.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::{normalise, seniority, Entry, Join, Stories, Story, StoryId, Vocab};

/// Why a story was split: the halves, how alike they are within and across, and the words and
/// names that tell them apart, so a reader can check the split as they can check a join.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Split {
    /// The story that kept its ID: the half holding the article the ID names.
    pub story: StoryId,
    /// The story the other half became, named after its senior member.
    pub split_off: StoryId,
    /// The articles of the split-off half.
    pub moved: Vec<String>,
    /// The mean similarity of two members of one half (the two halves' means averaged; a
    /// half of one article has none), under weights local to the story before the split.
    pub within: f64,
    /// The mean similarity of a member of one half with a member of the other.
    pub between: f64,
    /// Content-word stems most typical of the half that kept the ID: in most of its members
    /// and few of the other half's, most typical first.
    pub story_terms: Vec<String>,
    pub story_names: Vec<String>,
    /// The same for the split-off half.
    pub split_off_terms: Vec<String>,
    pub split_off_names: Vec<String>,
}

/// The share of names in the similarity within a story. Names there are mostly the ones all
/// members share (the parties, the place) and weigh nothing under local weights; the few left
/// are often a single report's, so words carry more of what tells two happenings apart.
const LOCAL_NAME_WEIGHT: f64 = 0.3;

/// How many typical words and names a split records per half.
const TYPICAL: usize = 8;

/// A member's vector under weights local to its story, unit length, sorted by id.
type Local = Vec<(u32, f64)>;

fn local_vectors(members: &[&[Entry]]) -> Vec<Local> {
    let n = members.len() as f64;
    let mut df: HashMap<u32, u32> = HashMap::new();
    for entries in members {
        for e in *entries {
            *df.entry(e.id).or_default() += 1;
        }
    }
    members
        .iter()
        .map(|entries| {
            let mut v: Local = entries
                .iter()
                .map(|e| (e.id, e.weight as f64 * (n / df[&e.id] as f64).ln()))
                .filter(|&(_, w)| w > 0.0)
                .collect();
            normalise(&mut v);
            v
        })
        .collect()
}

fn dot(a: &Local, b: &Local) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// Average link (UPGMA) from single members until two groups are left; each group's members
/// by position in `sim`, in order.
///
/// The merges are found with the nearest-neighbour chain: follow each group's most similar
/// group until two groups are each other's most similar, and merge them. Average link never
/// merges at a higher similarity than an earlier merge, so the chain finds the merges of the
/// greedy algorithm (best pair first) in O(n²) instead of O(n³): on random similarities of
/// 1,000 members the greedy search took 530 ms and the chain 12 ms (2,000 members: 59 ms,
/// release build). The two groups are what is left when every merge
/// but the last (the least similar) is made.
fn two_groups(sim: &[Vec<f64>]) -> (Vec<usize>, Vec<usize>) {
    let n = sim.len();
    if n < 2 {
        return ((0..n).collect(), Vec::new());
    }
    // The mean similarity between groups, each kept at the slot of its lowest member and
    // updated as groups unite (Lance–Williams).
    let mut between: Vec<Vec<f64>> = sim.to_vec();
    let mut size = vec![1.0f64; n];
    let mut alive = vec![true; n];
    let mut merges: Vec<(f64, usize, usize)> = Vec::with_capacity(n - 1);
    let mut chain: Vec<usize> = Vec::with_capacity(n);
    for _ in 1..n {
        loop {
            if chain.is_empty() {
                chain.push(alive.iter().position(|&a| a).expect("two groups alive"));
            }
            let a = chain[chain.len() - 1];
            // The previous link of the chain wins a tie, so the chain cannot cycle.
            let prev = (chain.len() >= 2).then(|| chain[chain.len() - 2]);
            let mut best = prev.map(|p| (between[a][p], p));
            for (b, &live) in alive.iter().enumerate() {
                if live && b != a && best.is_none_or(|(s, _)| between[a][b] > s) {
                    best = Some((between[a][b], b));
                }
            }
            let (s, b) = best.expect("another group alive");
            if Some(b) != prev {
                chain.push(b);
                continue;
            }
            chain.truncate(chain.len() - 2);
            let (keep, gone) = (a.min(b), a.max(b));
            merges.push((s, keep, gone));
            let (nk, ng) = (size[keep], size[gone]);
            for k in 0..n {
                if alive[k] && k != keep && k != gone {
                    let m = (nk * between[keep][k] + ng * between[gone][k]) / (nk + ng);
                    between[keep][k] = m;
                    between[k][keep] = m;
                }
            }
            size[keep] += ng;
            alive[gone] = false;
            break;
        }
    }
    // The merges from most to least similar (a stable sort keeps the order found on ties).
    merges.sort_by(|x, y| y.0.total_cmp(&x.0));
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for &(_, keep, gone) in &merges[..n - 2] {
        let (rk, rg) = (root(&mut parent, keep), root(&mut parent, gone));
        parent[rg] = rk;
    }
    let first = root(&mut parent, 0);
    let (a, b): (Vec<usize>, Vec<usize>) = (0..n).partition(|&i| root(&mut parent, i) == first);
    (a, b)
}

fn mean_within(sim: &[Vec<f64>], g: &[usize]) -> Option<f64> {
    if g.len() < 2 {
        return None;
    }
    let mut sum = 0.0;
    for (k, &i) in g.iter().enumerate() {
        for &j in &g[k + 1..] {
            sum += sim[i][j];
        }
    }
    Some(sum / (g.len() * (g.len() - 1) / 2) as f64)
}

fn mean_between(sim: &[Vec<f64>], a: &[usize], b: &[usize]) -> f64 {
    let sum: f64 = a
        .iter()
        .flat_map(|&i| b.iter().map(move |&j| (i, j)))
        .map(|(i, j)| sim[i][j])
        .sum();
    sum / (a.len() * b.len()) as f64
}

/// The words of `vocab` most typical of group `a` against group `b`, and of `b` against `a`:
/// the share of one group's members using a word less the share of the other's, highest
/// first, ties by the word.
fn typical(vocab: &Vocab, a: &[&[Entry]], b: &[&[Entry]]) -> (Vec<String>, Vec<String>) {
    let count = |g: &[&[Entry]]| {
        let mut m: HashMap<u32, i64> = HashMap::new();
        for entries in g {
            for e in *entries {
                *m.entry(e.id).or_default() += 1;
            }
        }
        m
    };
    let (ca, cb) = (count(a), count(b));
    let (na, nb) = (a.len() as i64, b.len() as i64);
    // Shares compared as whole numbers (`ca / na - cb / nb` times `na * nb`), so that a word
    // in every member of both is not typical of either by a rounding error.
    let of = |ca: &HashMap<u32, i64>, cb: &HashMap<u32, i64>, na: i64, nb: i64| {
        let mut scored: Vec<(i64, &str)> = ca
            .iter()
            .map(|(id, &c)| {
                (
                    c * nb - cb.get(id).copied().unwrap_or(0) * na,
                    vocab.word(*id),
                )
            })
            .filter(|&(d, _)| d > 0)
            .collect();
        scored.sort_by(|x, y| y.0.cmp(&x.0).then_with(|| x.1.cmp(y.1)));
        scored
            .into_iter()
            .take(TYPICAL)
            .map(|(_, w)| w.to_string())
            .collect::<Vec<String>>()
    };
    (of(&ca, &cb, na, nb), of(&cb, &ca, nb, na))
}

impl Stories {
    /// First takes each article found alone in a story of its own by a later article into
    /// that article's story (see `Stories::gather_alone`). Then splits the stories whose
    /// membership changed since the last refinement (every story after a [`Stories::merge`])
    /// where they hold two happenings (see the module notes), and returns the splits made. The half holding the article a story is named after keeps the
    /// story's ID; the other half becomes a story named after its senior member, in the same
    /// thread. A member whose join partner went to the other half is joined again to the
    /// member of its own half it is most similar to. Runs the same whatever order the
    /// stories' members were listed in.
    pub fn refine(&mut self) -> Vec<Split> {
        self.gather_alone();
        let changed = std::mem::take(&mut self.changed);
        let (m, r) = (self.config.split_min as usize, self.config.split_ratio);
        if m == 0 || r <= 0.0 {
            return Vec::new();
        }
        let mut out = Vec::new();
        for id in changed {
            let Some(story) = self.stories.get(&id) else {
                continue;
            };
            if story.members.len() < 2 * m {
                continue;
            }
            if let Some(split) = self.try_split(&id, m, r) {
                out.push(split);
            }
        }
        out
    }

    fn try_split(&mut self, id: &StoryId, m: usize, r: f64) -> Option<Split> {
        let story = &self.stories[id];
        let mut members: Vec<u32> = story
            .members
            .iter()
            .filter_map(|a| self.by_id.get(a).copied())
            .collect();
        members.sort_by(|&a, &b| {
            self.articles[a as usize]
                .id
                .cmp(&self.articles[b as usize].id)
        });
        let terms: Vec<&[Entry]> = members
            .iter()
            .map(|&i| self.articles[i as usize].terms.as_slice())
            .collect();
        let names: Vec<&[Entry]> = members
            .iter()
            .map(|&i| self.articles[i as usize].names.as_slice())
            .collect();
        let (tv, nv) = (local_vectors(&terms), local_vectors(&names));
        let n = members.len();
        let w = LOCAL_NAME_WEIGHT;
        let mut sim = vec![vec![1.0; n]; n];
        for a in 0..n {
            for b in 0..a {
                let mut s = dot(&tv[a], &tv[b]);
                if !nv[a].is_empty() && !nv[b].is_empty() {
                    s = (1.0 - w) * s + w * dot(&nv[a], &nv[b]);
                }
                sim[a][b] = s;
                sim[b][a] = s;
            }
        }
        let (ga, gb) = two_groups(&sim);
        if ga.len().min(gb.len()) < m {
            return None;
        }
        let within: Vec<f64> = [&ga, &gb]
            .iter()
            .filter_map(|g| mean_within(&sim, g))
            .collect();
        let within = within.iter().sum::<f64>() / within.len().max(1) as f64;
        let between = mean_between(&sim, &ga, &gb);
        if between >= r * within {
            return None;
        }
        // The half holding the article the story is named after keeps the ID.
        let root = self.by_id.get(&id.0).copied();
        let (keep, moved) = if root.is_some_and(|x| gb.iter().any(|&k| members[k] == x)) {
            (gb, ga)
        } else {
            (ga, gb)
        };
        fn pick<'a>(g: &[usize], v: &[&'a [Entry]]) -> Vec<&'a [Entry]> {
            g.iter().map(|&k| v[k]).collect()
        }
        let (story_terms, split_off_terms) =
            typical(&self.terms, &pick(&keep, &terms), &pick(&moved, &terms));
        let (story_names, split_off_names) =
            typical(&self.names, &pick(&keep, &names), &pick(&moved, &names));
        let moved: HashSet<u32> = moved.iter().map(|&k| members[k]).collect();
        // The split-off half is named after its senior member, as a merge names a story.
        let senior = moved
            .iter()
            .map(|&i| &self.articles[i as usize])
            .min_by_key(|a| seniority(a.published, a.id.as_str()))?;
        let new_id = StoryId(senior.id.clone());
        let new_published = senior.published;
        if self.stories.contains_key(&new_id) {
            return None;
        }
        let old = self.stories.get_mut(id).expect("present");
        let (stay, go): (Vec<String>, Vec<String>) = old
            .members
            .iter()
            .cloned()
            .partition(|a| !moved.contains(&self.by_id[a]));
        old.members = stay;
        let thread = self.thread_root(id).unwrap_or_else(|| id.clone());
        self.stories.insert(
            new_id.clone(),
            Story {
                id: new_id.clone(),
                members: go.clone(),
                root_published: new_published,
            },
        );
        self.thread_parent.insert(new_id.clone(), thread);
        for &i in &moved {
            self.articles[i as usize].story = new_id.clone();
            self.roots[i as usize] = new_published;
        }
        self.rejoin(&members, &new_id);
        let split = Split {
            story: id.clone(),
            split_off: new_id.clone(),
            moved: go,
            within,
            between,
            story_terms,
            story_names,
            split_off_terms,
            split_off_names,
        };
        self.splits.insert(new_id, split.clone());
        Some(split)
    }

    /// Gives each of `members` whose join partner is no longer in its story a partner in it:
    /// the earlier member most similar to it (ties by ID). The split-off story's root joins
    /// nothing.
    fn rejoin(&mut self, members: &[u32], new_root: &StoryId) {
        for &i in members {
            let a = &self.articles[i as usize];
            if a.id == new_root.0 {
                self.articles[i as usize].join = None;
                continue;
            }
            let Some(j) = a.join.map(|join| join.with) else {
                continue;
            };
            if self.articles[j as usize].story == a.story {
                continue;
            }
            let own = a.story.clone();
            let (terms, names, dates) = (a.terms.clone(), a.names.clone(), a.dates.clone());
            let q = self.query(&terms, &names, &dates);
            let mut best: Option<(f64, f64, u32)> = None;
            // A join names an earlier article (a saved state is read in order): a member
            // with no earlier one left in its story joins nothing, as a first article.
            for &k in members {
                if k >= i || self.articles[k as usize].story != own {
                    continue;
                }
                let (s, t) = self.similarities(&q, k as usize);
                let better = best.is_none_or(|(bs, bt, bk)| {
                    (s, t) > (bs, bt)
                        || ((s, t) == (bs, bt)
                            && self.articles[k as usize].id < self.articles[bk as usize].id)
                });
                if better {
                    best = Some((s, t, k));
                }
            }
            self.release(q);
            self.articles[i as usize].join = best.map(|(s, _, k)| Join {
                with: k,
                similarity: s as f32,
                by_copy: false,
            });
        }
    }

    /// Why a story was split off the story it was part of; `None` for a story no split made.
    pub fn split_of(&self, story: &StoryId) -> Option<&Split> {
        self.splits.get(story)
    }

    /// Every split recorded, by the ID of the split-off story.
    pub fn splits(&self) -> impl Iterator<Item = &Split> {
        self.splits.values()
    }

    /// Marks every story for the next [`Stories::refine`]: for a state built before splits
    /// existed, or with other settings.
    pub fn mark_all_changed(&mut self) {
        self.changed = self.stories.keys().cloned().collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn average_link_parts_two_blocks_of_alike_members() {
        let mut sim = vec![vec![0.1; 6]; 6];
        for (i, row) in sim.iter_mut().enumerate() {
            for (j, s) in row.iter_mut().enumerate() {
                if (i < 3) == (j < 3) {
                    *s = 0.8;
                }
            }
        }
        let (a, b) = two_groups(&sim);
        assert_eq!((a, b), (vec![0, 1, 2], vec![3, 4, 5]));
        assert!((mean_between(&sim, &[0, 1, 2], &[3, 4, 5]) - 0.1).abs() < 1e-12);
        assert_eq!(mean_within(&sim, &[0]), None);
    }

    /// The greedy average link the chain replaces: the most similar pair of groups first.
    fn two_groups_greedy(sim: &[Vec<f64>]) -> (Vec<usize>, Vec<usize>) {
        let n = sim.len();
        let mut groups: Vec<Option<Vec<usize>>> = (0..n).map(|i| Some(vec![i])).collect();
        let mut between = sim.to_vec();
        for _ in 2..n {
            let mut best: Option<(f64, usize, usize)> = None;
            for a in (0..n).filter(|&a| groups[a].is_some()) {
                for b in (a + 1..n).filter(|&b| groups[b].is_some()) {
                    if best.is_none_or(|(x, _, _)| between[a][b] > x) {
                        best = Some((between[a][b], a, b));
                    }
                }
            }
            let (_, a, b) = best.expect("two groups");
            let gb = groups[b].take().expect("alive");
            let (na, nb) = (groups[a].as_ref().unwrap().len() as f64, gb.len() as f64);
            for k in (0..n).filter(|&k| k != a && groups[k].is_some()) {
                let s = (na * between[a][k] + nb * between[b][k]) / (na + nb);
                between[a][k] = s;
                between[k][a] = s;
            }
            groups[a].as_mut().unwrap().extend(gb);
        }
        let mut left: Vec<Vec<usize>> = groups.into_iter().flatten().collect();
        for g in &mut left {
            g.sort_unstable();
        }
        let second = left.pop().unwrap();
        (left.pop().unwrap(), second)
    }

    #[test]
    fn the_neighbour_chain_finds_the_groups_of_greedy_average_link() {
        // Similarities from a fixed pseudo-random sequence, distinct so that no tie decides.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 11) as f64 / (1u64 << 53) as f64
        };
        for n in [2, 3, 5, 8, 13, 40, 97] {
            let mut sim = vec![vec![1.0; n]; n];
            let mut pairs = Vec::new();
            for i in 0..n {
                for j in 0..i {
                    // Two blocks on some sizes, noise on the others.
                    let block = n % 2 == 0 && (i < n / 2) == (j < n / 2);
                    pairs.push((i, j, if block { 0.5 } else { 0.0 } + 0.5 * next()));
                }
            }
            for (i, j, s) in pairs {
                sim[i][j] = s;
                sim[j][i] = s;
            }
            assert_eq!(two_groups(&sim), two_groups_greedy(&sim), "{n} members");
        }
    }

    #[test]
    fn a_word_every_member_uses_weighs_nothing_inside_the_story() {
        let e = |id| Entry::new(id, 1, 1.0);
        let a = [e(0), e(1)];
        let b = [e(0), e(2)];
        let v = local_vectors(&[&a, &b]);
        assert_eq!(v[0], vec![(1, 1.0)]);
        assert_eq!(dot(&v[0], &v[1]), 0.0);
    }
}
