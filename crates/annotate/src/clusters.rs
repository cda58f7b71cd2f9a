//! Word clusters learnt from unlabelled news text.
//!
//! Brown clustering is too slow for a training run measured in minutes, so
//! this uses divisive spherical 2-means over PPMI-weighted context vectors
//! (neighbours at ±1 and ±2). Every split appends one bit to a word's path,
//! which gives Brown-like hierarchical prefixes to use as features.

use crate::bytes::{Reader, Writer};
use crate::features::{U64Map, F_ALL_CAPS, F_LOWER};
use crate::rng::SplitMix64;
use crate::Error;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::xxh3_64;

const MIN_COUNT: u32 = 3;
const CONTEXTS: usize = 1000;
const MAX_DEPTH: u8 = 16;
const MIN_LEAF: usize = 4;
const ITERS: usize = 6;

/// Cluster paths keyed by the xxh3 hash of the case-sensitive word, so the
/// model holds no corpus text.
#[derive(Default)]
pub struct Clusters {
    map: U64Map<(u32, u8)>,
}

impl Clusters {
    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Path bits and length, falling back to other casings so headline
    /// capitals and sentence-initial words still find their cluster.
    pub fn lookup(&self, w: &str, word: u64, lower: u64, flags: u32) -> (u32, u8) {
        if self.is_empty() {
            return (0, 0);
        }
        if let Some(&v) = self.map.get(&word) {
            return v;
        }
        if flags & F_ALL_CAPS != 0 || flags & F_LOWER != 0 {
            let mut t = String::with_capacity(w.len());
            let mut cs = w.chars();
            if let Some(c) = cs.next() {
                t.extend(c.to_uppercase());
            }
            for c in cs {
                t.extend(c.to_lowercase());
            }
            if let Some(&v) = self.map.get(&xxh3_64(t.as_bytes())) {
                return v;
            }
        }
        self.map.get(&lower).copied().unwrap_or((0, 0))
    }

    pub fn write(&self, w: &mut Writer) {
        let mut entries: Vec<(u64, (u32, u8))> = self.map.iter().map(|(&k, &v)| (k, v)).collect();
        entries.sort_unstable();
        w.u32(entries.len() as u32);
        for (k, (bits, len)) in entries {
            w.u64(k);
            w.u32(bits);
            w.u8(len);
        }
    }

    pub fn read(r: &mut Reader) -> Result<Self, Error> {
        let n = r.u32()? as usize;
        let mut map = U64Map::default();
        map.reserve(n);
        for _ in 0..n {
            let k = r.u64()?;
            let bits = r.u32()?;
            let len = r.u8()?;
            map.insert(k, (bits, len));
        }
        Ok(Clusters { map })
    }

    /// Learns clusters from `corpora` (holding `reuters21578/reut2-*.sgm.gz`
    /// and `bbc-fulltext/bbc/**/*.txt`).
    pub fn build(corpora: &Path, seed: u64, verbose: bool) -> Result<Self, Error> {
        let docs = read_corpora(corpora)?;
        if docs.is_empty() {
            return Err(Error::Data(format!(
                "no unlabelled text found under {}",
                corpora.display()
            )));
        }
        // Intern tokens; ids follow first occurrence in a fixed file order.
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut words: Vec<String> = Vec::new();
        let mut sents: Vec<Vec<u32>> = Vec::new();
        let mut spans = Vec::new();
        for d in &docs {
            for s in crate::sentence::sentences(d) {
                spans.clear();
                crate::token::tokens_into(d, s, &mut spans);
                let mut v = Vec::with_capacity(spans.len());
                for &(a, b) in &spans {
                    let w = &d[a as usize..b as usize];
                    let id = match ids.get(w) {
                        Some(&id) => id,
                        None => {
                            let id = words.len() as u32;
                            ids.insert(w.to_string(), id);
                            words.push(w.to_string());
                            id
                        }
                    };
                    v.push(id);
                }
                sents.push(v);
            }
        }
        let mut count = vec![0u32; words.len()];
        let mut total = 0u64;
        for s in &sents {
            for &w in s {
                count[w as usize] += 1;
                total += 1;
            }
        }
        let mut by_freq: Vec<u32> = (0..words.len() as u32).collect();
        by_freq.sort_by(|&a, &b| {
            count[b as usize]
                .cmp(&count[a as usize])
                .then_with(|| words[a as usize].cmp(&words[b as usize]))
        });
        let mut ctx_of = vec![u32::MAX; words.len()];
        for (i, &w) in by_freq.iter().take(CONTEXTS).enumerate() {
            ctx_of[w as usize] = i as u32;
        }
        let mut vocab_of = vec![u32::MAX; words.len()];
        let mut vocab: Vec<u32> = Vec::new();
        for &w in &by_freq {
            if count[w as usize] >= MIN_COUNT {
                vocab_of[w as usize] = vocab.len() as u32;
                vocab.push(w);
            }
        }
        if verbose {
            eprintln!(
                "clusters: {} tokens, {} types, clustering {}",
                total,
                words.len(),
                vocab.len()
            );
        }
        // Co-occurrence pairs (word, context feature), counted by sorting.
        let boundary = CONTEXTS as u32;
        let per_group = CONTEXTS as u32 + 1;
        let mut pairs: Vec<u64> = Vec::with_capacity(total as usize * 4);
        for s in &sents {
            for (i, &w) in s.iter().enumerate() {
                let v = vocab_of[w as usize];
                if v == u32::MAX {
                    continue;
                }
                for (g, d) in [-2i64, -1, 1, 2].into_iter().enumerate() {
                    let j = i as i64 + d;
                    let c = if j < 0 || j >= s.len() as i64 {
                        boundary
                    } else {
                        ctx_of[s[j as usize] as usize]
                    };
                    if c == u32::MAX {
                        continue;
                    }
                    pairs.push(u64::from(v) << 32 | u64::from(g as u32 * per_group + c));
                }
            }
        }
        pairs.sort_unstable();
        let dims = 4 * per_group as usize;
        let mut feat_total = vec![0f64; dims];
        let mut word_total = vec![0f64; vocab.len()];
        let mut entries: Vec<(u32, u32, u32)> = Vec::new();
        let mut i = 0;
        while i < pairs.len() {
            let mut j = i;
            while j < pairs.len() && pairs[j] == pairs[i] {
                j += 1;
            }
            let (v, f) = ((pairs[i] >> 32) as u32, pairs[i] as u32);
            let c = (j - i) as u32;
            feat_total[f as usize] += f64::from(c);
            word_total[v as usize] += f64::from(c);
            entries.push((v, f, c));
            i = j;
        }
        drop(pairs);
        let n_pairs: f64 = feat_total.iter().sum();
        // Sparse PPMI rows, L2-normalised; ±2 contexts weigh half.
        let mut row_start = vec![0usize; vocab.len() + 1];
        let mut cols: Vec<u32> = Vec::with_capacity(entries.len());
        let mut vals: Vec<f32> = Vec::with_capacity(entries.len());
        let mut e = 0;
        for v in 0..vocab.len() {
            let begin = cols.len();
            while e < entries.len() && entries[e].0 as usize == v {
                let (_, f, c) = entries[e];
                let pmi = (f64::from(c) * n_pairs
                    / (word_total[v] * feat_total[f as usize]).max(1.0))
                .ln();
                if pmi > 0.0 {
                    let g = f / per_group;
                    let wgt = if g == 1 || g == 2 { 1.0 } else { 0.5 };
                    cols.push(f);
                    vals.push((pmi * wgt) as f32);
                }
                e += 1;
            }
            let norm: f32 = vals[begin..].iter().map(|x| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                for x in &mut vals[begin..] {
                    *x /= norm;
                }
            }
            row_start[v + 1] = cols.len();
        }
        let rows = SparseRows {
            start: row_start,
            cols,
            vals,
        };
        let mut paths = vec![(0u32, 0u8); vocab.len()];
        let mut rng = SplitMix64::new(seed ^ 0x636c_7573_7465_7273);
        let mut stack: Vec<(Vec<u32>, u32, u8)> = vec![((0..vocab.len() as u32).collect(), 0, 0)];
        let mut cent = [vec![0f32; dims], vec![0f32; dims]];
        while let Some((members, path, depth)) = stack.pop() {
            let split = if members.len() > MIN_LEAF && depth < MAX_DEPTH {
                rows.bisect(&members, &mut rng, &mut cent)
            } else {
                None
            };
            match split {
                Some((left, right)) => {
                    // Right pushed first so the left subtree is finished first.
                    stack.push((right, path << 1 | 1, depth + 1));
                    stack.push((left, path << 1, depth + 1));
                }
                None => {
                    for &m in &members {
                        paths[m as usize] = (path, depth);
                    }
                }
            }
        }
        let mut map = U64Map::default();
        for (v, &w) in vocab.iter().enumerate() {
            let (bits, len) = paths[v];
            if len > 0 {
                map.insert(xxh3_64(words[w as usize].as_bytes()), (bits, len));
            }
        }
        Ok(Clusters { map })
    }
}

struct SparseRows {
    start: Vec<usize>,
    cols: Vec<u32>,
    vals: Vec<f32>,
}

impl SparseRows {
    #[inline]
    fn dot(&self, r: u32, c: &[f32]) -> f32 {
        let (a, b) = (self.start[r as usize], self.start[r as usize + 1]);
        self.cols[a..b]
            .iter()
            .zip(&self.vals[a..b])
            .map(|(&k, &v)| v * c[k as usize])
            .sum()
    }

    fn add_to(&self, r: u32, c: &mut [f32]) {
        let (a, b) = (self.start[r as usize], self.start[r as usize + 1]);
        for (&k, &v) in self.cols[a..b].iter().zip(&self.vals[a..b]) {
            c[k as usize] += v;
        }
    }

    fn set_row(&self, r: u32, c: &mut [f32]) {
        c.iter_mut().for_each(|x| *x = 0.0);
        self.add_to(r, c);
    }

    /// Splits `members` in two by spherical 2-means, seeded with a random
    /// member and the member least similar to it.
    fn bisect(
        &self,
        members: &[u32],
        rng: &mut SplitMix64,
        cent: &mut [Vec<f32>; 2],
    ) -> Option<(Vec<u32>, Vec<u32>)> {
        let a = members[rng.below(members.len() as u64) as usize];
        self.set_row(a, &mut cent[0]);
        let b = members
            .iter()
            .copied()
            .filter(|&m| m != a)
            .min_by(|&x, &y| {
                self.dot(x, &cent[0])
                    .partial_cmp(&self.dot(y, &cent[0]))
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(x.cmp(&y))
            })?;
        self.set_row(b, &mut cent[1]);
        let mut side = vec![false; members.len()];
        for _ in 0..ITERS {
            let mut changed = false;
            for (k, &m) in members.iter().enumerate() {
                let s = self.dot(m, &cent[1]) > self.dot(m, &cent[0]);
                changed |= s != side[k];
                side[k] = s;
            }
            for c in cent.iter_mut() {
                c.iter_mut().for_each(|x| *x = 0.0);
            }
            for (k, &m) in members.iter().enumerate() {
                self.add_to(m, &mut cent[usize::from(side[k])]);
            }
            for c in cent.iter_mut() {
                let norm = c.iter().map(|x| x * x).sum::<f32>().sqrt();
                if norm > 0.0 {
                    c.iter_mut().for_each(|x| *x /= norm);
                }
            }
            if !changed {
                break;
            }
        }
        let (mut l, mut r) = (Vec::new(), Vec::new());
        for (k, &m) in members.iter().enumerate() {
            if side[k] {
                r.push(m)
            } else {
                l.push(m)
            }
        }
        if l.is_empty() || r.is_empty() {
            None
        } else {
            Some((l, r))
        }
    }
}

fn unescape_sgml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let end = rest.find(';').filter(|&e| e <= 8);
        match end {
            Some(e) => {
                match &rest[1..e] {
                    "lt" => out.push('<'),
                    "gt" => out.push('>'),
                    "amp" => out.push('&'),
                    "quot" => out.push('"'),
                    // Numeric entities in this corpus are control characters.
                    _ => {}
                }
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn sorted_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for p in entries {
        if p.is_dir() {
            sorted_files(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}

/// Article bodies from the unlabelled corpora, in a fixed order.
pub fn read_corpora(corpora: &Path) -> Result<Vec<String>, Error> {
    let mut docs = Vec::new();
    let reuters = corpora.join("reuters21578");
    if reuters.is_dir() {
        let mut files = Vec::new();
        sorted_files(&reuters, &mut files)?;
        for f in files {
            let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if !(name.starts_with("reut2-") && name.ends_with(".sgm.gz")) {
                continue;
            }
            let mut raw = Vec::new();
            flate2::read::GzDecoder::new(std::fs::File::open(&f)?).read_to_end(&mut raw)?;
            let text = String::from_utf8_lossy(&raw);
            let mut rest: &str = &text;
            while let Some(p) = rest.find("<BODY>") {
                rest = &rest[p + 6..];
                let e = rest.find("</BODY>").unwrap_or(rest.len());
                docs.push(unescape_sgml(&rest[..e]));
                rest = &rest[e..];
            }
        }
    }
    let bbc = corpora.join("bbc-fulltext");
    if bbc.is_dir() {
        let mut files = Vec::new();
        sorted_files(&bbc, &mut files)?;
        for f in files {
            let is_article = f.extension().is_some_and(|e| e == "txt")
                && f.parent()
                    .and_then(|p| p.parent())
                    .and_then(|p| p.file_name())
                    .is_some_and(|n| n == "bbc");
            if is_article {
                let raw = std::fs::read(&f)?;
                docs.push(String::from_utf8_lossy(&raw).into_owned());
            }
        }
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sgml_entities() {
        assert_eq!(unescape_sgml("A &lt;B&gt; &amp; C&#3;"), "A <B> & C");
    }
}
