//! Hashed feature extraction shared by training and tagging.
//!
//! Every feature is a 64-bit key; word-level hashes are computed once per
//! token and feature keys are cheap mixes of them, so extraction allocates
//! nothing per feature.

use crate::clusters::Clusters;
use crate::gazetteer::{Gazetteer, N_CATS};
use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use xxhash_rust::xxh3::xxh3_64;

/// Hasher for keys that are already well-mixed 64-bit hashes.
#[derive(Clone, Copy, Default)]
pub struct BuildU64;

pub struct U64Hasher(u64);

impl Hasher for U64Hasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
        self.0 = self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 ^= n;
    }
}

impl BuildHasher for BuildU64 {
    type Hasher = U64Hasher;
    fn build_hasher(&self) -> U64Hasher {
        U64Hasher(0)
    }
}

pub type U64Map<V> = HashMap<u64, V, BuildU64>;

/// Order-dependent combination of two hashes (splitmix64 finaliser).
#[inline]
pub fn mix(a: u64, b: u64) -> u64 {
    let mut z = (a.rotate_left(23) ^ b).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Hash of the lowercased word; ASCII words avoid allocating.
pub fn hash_lower(w: &str) -> u64 {
    if w.is_ascii() && w.len() <= 64 {
        let mut buf = [0u8; 64];
        for (d, s) in buf.iter_mut().zip(w.bytes()) {
            *d = s.to_ascii_lowercase();
        }
        xxh3_64(&buf[..w.len()])
    } else {
        xxh3_64(w.to_lowercase().as_bytes())
    }
}

pub const F_INIT_CAP: u32 = 1;
pub const F_ALL_CAPS: u32 = 2;
pub const F_HAS_DIGIT: u32 = 4;
pub const F_ALL_DIGIT: u32 = 8;
pub const F_HYPHEN: u32 = 16;
pub const F_PUNCT: u32 = 32;
pub const F_DOT: u32 = 64;
pub const F_LOWER: u32 = 128;
pub const F_MIXED: u32 = 256;
pub const F_SINGLE: u32 = 512;
pub const F_APOS: u32 = 1024;

/// Per-token precomputed hashes.
#[derive(Clone, Copy, Default)]
pub struct Tok {
    pub word: u64,
    pub lower: u64,
    pub shape: u64,
    pub pre: [u64; 4],
    pub suf: [u64; 4],
    pub cluster: u32,
    pub clen: u8,
    pub flags: u32,
    pub gaz: u64,
}

impl Tok {
    pub fn is_cap(&self) -> bool {
        self.flags & (F_INIT_CAP | F_ALL_CAPS) != 0
    }

    /// Cluster path truncated to `p` bits (whole path if shorter).
    #[inline]
    fn cprefix(&self, p: u8) -> u64 {
        if self.clen == 0 {
            return u64::MAX;
        }
        let l = self.clen.min(p);
        (u64::from(self.cluster) >> (self.clen - l)) | (u64::from(l) << 40)
    }
}

fn shape_and_flags(w: &str) -> (u64, u32) {
    let mut buf = [0u8; 24];
    let mut n = 0;
    let mut last = 0u8;
    let (mut up, mut low, mut dig, mut other, mut count) = (0, 0, 0, 0, 0);
    let mut first_up = false;
    let mut flags = 0;
    for (k, c) in w.chars().enumerate() {
        count += 1;
        let s = if c.is_uppercase() {
            up += 1;
            if k == 0 {
                first_up = true;
            }
            b'X'
        } else if c.is_lowercase() {
            low += 1;
            b'x'
        } else if c.is_ascii_digit() {
            dig += 1;
            b'd'
        } else {
            other += 1;
            match c {
                '-' => flags |= F_HYPHEN,
                '.' => flags |= F_DOT,
                '\'' | '\u{2019}' => flags |= F_APOS,
                _ => {}
            }
            if c.is_ascii() {
                c as u8
            } else if c.is_alphabetic() {
                b'a'
            } else {
                b'~'
            }
        };
        if s != last && n < buf.len() {
            buf[n] = s;
            n += 1;
            last = s;
        }
    }
    if first_up {
        flags |= F_INIT_CAP;
    }
    if up > 0 && low == 0 && up + dig + other == count && up > 1 {
        flags |= F_ALL_CAPS;
    }
    if dig > 0 {
        flags |= F_HAS_DIGIT;
    }
    if dig == count {
        flags |= F_ALL_DIGIT;
    }
    if up + low + dig == 0 {
        flags |= F_PUNCT;
    }
    if low == count {
        flags |= F_LOWER;
    }
    if up > 0 && low > 0 && !(first_up && up == 1) {
        flags |= F_MIXED;
    }
    if count == 1 {
        flags |= F_SINGLE;
    }
    // Short words keep their exact length in the shape ("Xx" vs "Xxxx").
    let len_bucket = (count as u64).min(5);
    (mix(xxh3_64(&buf[..n]), len_bucket), flags)
}

/// Token record of a word, without the sentence-dependent gazetteer mask.
pub fn word_tok(w: &str, clusters: &Clusters) -> Tok {
    let word = xxh3_64(w.as_bytes());
    let lower = hash_lower(w);
    let (shape, flags) = shape_and_flags(w);
    let mut pre = [0u64; 4];
    let mut suf = [0u64; 4];
    // Affixes over the lowercase form, by chars so multibyte text is safe.
    let lw: std::borrow::Cow<str> = if w.bytes().any(|b| b.is_ascii_uppercase()) || !w.is_ascii() {
        std::borrow::Cow::Owned(w.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(w)
    };
    let bounds: Vec<usize> = lw
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(lw.len()))
        .collect();
    let nchars = bounds.len() - 1;
    for k in 0..4usize {
        let p = bounds[(k + 1).min(nchars)];
        pre[k] = mix(k as u64 + 11, xxh3_64(&lw.as_bytes()[..p]));
        let st = bounds[nchars.saturating_sub(k + 1)];
        suf[k] = mix(k as u64 + 23, xxh3_64(&lw.as_bytes()[st..]));
    }
    let (cluster, clen) = clusters.lookup(w, word, lower, flags);
    Tok {
        word,
        lower,
        shape,
        pre,
        suf,
        cluster,
        clen,
        flags,
        gaz: 0,
    }
}

/// Fills `out` with the token records of one sentence.
pub fn sentence_toks(
    words: &[&str],
    clusters: &Clusters,
    gaz: &Gazetteer,
    lower_buf: &mut Vec<u64>,
    gaz_buf: &mut Vec<u64>,
    out: &mut Vec<Tok>,
) {
    out.clear();
    out.extend(words.iter().map(|w| word_tok(w, clusters)));
    set_gazetteer(gaz, lower_buf, gaz_buf, out);
}

/// Fills in the gazetteer masks of a sentence's tokens.
pub fn set_gazetteer(
    gaz: &Gazetteer,
    lower_buf: &mut Vec<u64>,
    gaz_buf: &mut Vec<u64>,
    toks: &mut [Tok],
) {
    lower_buf.clear();
    lower_buf.extend(toks.iter().map(|t| t.lower));
    gaz.annotate(lower_buf, gaz_buf);
    for (t, &g) in toks.iter_mut().zip(gaz_buf.iter()) {
        t.gaz = g;
    }
}

/// Sentence-level properties that condition token features.
#[derive(Clone, Copy)]
pub struct SentInfo {
    /// Headline-style capitals, where capitalisation carries no signal.
    pub caps: bool,
}

pub fn sent_info(toks: &[Tok]) -> SentInfo {
    SentInfo {
        caps: all_caps_sentence(toks),
    }
}

/// True for headline-style sentences, where capitalisation carries no signal.
pub fn all_caps_sentence(toks: &[Tok]) -> bool {
    let mut alpha = 0;
    let mut caps = 0;
    for t in toks {
        if t.flags & (F_PUNCT | F_ALL_DIGIT) == 0 {
            alpha += 1;
            if t.flags & F_ALL_CAPS != 0 || (t.flags & F_SINGLE != 0 && t.flags & F_INIT_CAP != 0) {
                caps += 1;
            }
        }
    }
    alpha >= 2 && caps * 10 >= alpha * 8
}

const D_CAP_MID: u8 = 1;
const D_LOWER: u8 = 2;
const D_RUN_FIRST: u8 = 4;
const D_RUN_LAST: u8 = 8;
const D_RUN_MID: u8 = 16;
const D_RUN_SINGLE: u8 = 32;
const D_TITLE_BEFORE: u8 = 64;
const D_ORGSUF_AFTER: u8 = 128;

/// Document-wide evidence about each lowercased word, gathered from
/// positions where capitalisation is informative.
#[derive(Default)]
pub struct DocCtx {
    flags: U64Map<u8>,
    /// Neighbouring words of each capitalised word's occurrences, with
    /// counts, so a mention can borrow the contexts of its other mentions.
    agg: U64Map<Vec<(u64, u16)>>,
}

const AGG_MAX: usize = 24;

fn agg_keys(toks: &[Tok], i: usize) -> [u64; 2] {
    let p = if i > 0 { toks[i - 1].lower } else { 0 };
    let n = toks.get(i + 1).map_or(0, |t| t.lower);
    [mix(1, p), mix(2, n)]
}

impl DocCtx {
    pub fn add_sentence(&mut self, toks: &[Tok]) {
        if all_caps_sentence(toks) {
            return;
        }
        let n = toks.len();
        let cap = |i: usize| toks[i].is_cap() && toks[i].flags & F_PUNCT == 0;
        for i in 0..n {
            let t = &toks[i];
            let mut f = 0u8;
            if t.flags & F_LOWER != 0 {
                f |= D_LOWER;
            } else if cap(i) && i > 0 {
                f |= D_CAP_MID;
                let prev = i > 1 && cap(i - 1);
                let next = i + 1 < n && cap(i + 1);
                f |= match (prev, next) {
                    (false, false) => D_RUN_SINGLE,
                    (false, true) => D_RUN_FIRST,
                    (true, false) => D_RUN_LAST,
                    (true, true) => D_RUN_MID,
                };
                let title = Gaz::cat_any(toks[i - 1].gaz, crate::gazetteer::Cat::PerTitle as u32);
                if title {
                    f |= D_TITLE_BEFORE;
                }
                if i + 1 < n
                    && Gaz::cat_any(toks[i + 1].gaz, crate::gazetteer::Cat::OrgSuffix as u32)
                {
                    f |= D_ORGSUF_AFTER;
                }
            }
            if f != 0 {
                *self.flags.entry(t.lower).or_insert(0) |= f;
            }
            if cap(i) {
                let list = self.agg.entry(t.lower).or_default();
                for k in agg_keys(toks, i) {
                    if let Some(e) = list.iter_mut().find(|e| e.0 == k) {
                        e.1 = e.1.saturating_add(1);
                    } else if list.len() < AGG_MAX {
                        list.push((k, 1));
                    }
                }
            }
        }
    }

    /// Context keys of the other mentions of token `i`'s word.
    fn other_contexts(&self, toks: &[Tok], i: usize, caps_sent: bool, out: &mut Vec<u64>) {
        let t = &toks[i];
        let Some(list) = self.agg.get(&t.lower) else {
            return;
        };
        // This mention was counted itself unless its sentence was skipped.
        let own = if !caps_sent && t.is_cap() {
            agg_keys(toks, i)
        } else {
            [u64::MAX; 2]
        };
        for &(k, c) in list {
            let c = c - u16::from(own.contains(&k));
            if c > 0 {
                out.push(key(T_AGG, k));
            }
        }
    }

    fn get(&self, lower: u64) -> u8 {
        self.flags.get(&lower).copied().unwrap_or(0)
    }
}

struct Gaz;
impl Gaz {
    #[inline]
    fn cat_any(mask: u64, cat: u32) -> bool {
        (mask >> (cat * 4)) & 0xf != 0
    }
}

/// Labels this document's earlier predictions gave each capitalised word:
/// PER, ORG, LOC, MISC, O.
#[derive(Default)]
pub struct History {
    counts: U64Map<[u16; 5]>,
}

impl History {
    /// Records the kinds (`None` for outside) predicted for a sentence.
    pub fn record(&mut self, toks: &[Tok], kinds: &[Option<u8>]) {
        for (t, k) in toks.iter().zip(kinds) {
            if t.is_cap() && t.flags & F_PUNCT == 0 {
                let c = self.counts.entry(t.lower).or_insert([0; 5]);
                let slot = k.map_or(4, usize::from);
                c[slot] = c[slot].saturating_add(1);
            }
        }
    }

    /// Every key [`History::features`] can emit.
    pub fn all_keys() -> Vec<u64> {
        let mut v: Vec<u64> = (0..5).map(|b| key(T_HIST_MAJ, b)).collect();
        for i in 0..5u64 {
            for f in 0..4u64 {
                v.push(key(T_HIST_HAS, i << 4 | f));
            }
        }
        v
    }

    pub fn features(&self, toks: &[Tok], out: &mut Vec<u64>, offsets: &mut Vec<u32>) {
        out.clear();
        offsets.clear();
        for t in toks {
            offsets.push(out.len() as u32);
            if !t.is_cap() {
                continue;
            }
            let Some(c) = self.counts.get(&t.lower) else {
                continue;
            };
            let total: u32 = c.iter().map(|&x| u32::from(x)).sum();
            let (best, _) = c
                .iter()
                .enumerate()
                .fold((0, 0), |acc, (i, &x)| if x > acc.1 { (i, x) } else { acc });
            out.push(key(T_HIST_MAJ, best as u64));
            for (i, &x) in c.iter().enumerate() {
                if x > 0 {
                    let frac = (u32::from(x) * 4 / total.max(1)).min(3);
                    out.push(key(T_HIST_HAS, (i as u64) << 4 | u64::from(frac)));
                }
            }
        }
        offsets.push(out.len() as u32);
    }
}

const T_BIAS: u64 = 1;
const T_WORD: u64 = 2;
const T_LOWER: u64 = 3;
const T_SHAPE: u64 = 4;
const T_PRE: u64 = 5;
const T_SUF: u64 = 6;
const T_FLAGS: u64 = 7;
const T_CLUS: u64 = 8;
const T_WIN_LOWER: u64 = 9;
const T_WIN_SHAPE: u64 = 10;
const T_WIN_CLUS: u64 = 11;
const T_WIN_GAZ: u64 = 12;
const T_WIN_PAD: u64 = 13;
const T_BI_PREV: u64 = 14;
const T_BI_NEXT: u64 = 15;
const T_SHAPE3: u64 = 16;
const T_INIT: u64 = 17;
const T_INIT_SHAPE: u64 = 18;
const T_AC_LOWER: u64 = 19;
const T_AC_CLUS: u64 = 20;
const T_GAZ: u64 = 21;
const T_DOC: u64 = 22;
const T_DOC_BIT: u64 = 23;
const T_HIST_MAJ: u64 = 24;
const T_HIST_HAS: u64 = 25;
const T_WIN_FLAGS: u64 = 26;
const T_WIN_WORD: u64 = 27;
const T_CLUS_SUF: u64 = 28;
const T_GAZ_SHAPE: u64 = 29;
const T_AGG: u64 = 30;

#[inline]
fn key(template: u64, v: u64) -> u64 {
    mix(template.wrapping_mul(0xA24B_AED4_963E_E407), v)
}

/// Which optional feature groups are active; lets training measure what
/// each group contributes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeatureSet {
    pub clusters: bool,
    pub gazetteer: bool,
    pub document: bool,
    pub history: bool,
}

impl FeatureSet {
    pub const ALL: FeatureSet = FeatureSet {
        clusters: true,
        gazetteer: true,
        document: true,
        history: true,
    };

    pub fn bits(self) -> u8 {
        u8::from(self.clusters)
            | u8::from(self.gazetteer) << 1
            | u8::from(self.document) << 2
            | u8::from(self.history) << 3
    }

    pub fn from_bits(b: u8) -> Self {
        FeatureSet {
            clusters: b & 1 != 0,
            gazetteer: b & 2 != 0,
            document: b & 4 != 0,
            history: b & 8 != 0,
        }
    }
}

/// Offsets of the context window whose words feed a token's features.
pub const WINDOW: [i64; 5] = [-2, -1, 0, 1, 2];

/// Features that depend only on the word at offset `d` from the current
/// token (not on its sentence), so taggers can cache their weight sums per
/// word type.
#[inline]
pub fn unary_features(t: &Tok, d: i64, fs: FeatureSet, out: &mut Vec<u64>) {
    if d == 0 {
        out.push(key(T_WORD, t.word));
        out.push(key(T_LOWER, t.lower));
        out.push(key(T_SHAPE, t.shape));
        out.push(key(T_FLAGS, u64::from(t.flags)));
        for k in 0..4 {
            out.push(key(T_PRE, t.pre[k]));
            out.push(key(T_SUF, t.suf[k]));
        }
        if fs.clusters {
            for (j, p) in [4u8, 6, 10, 16].into_iter().enumerate() {
                out.push(key(T_CLUS + ((j as u64) << 8), t.cprefix(p)));
            }
            out.push(key(T_CLUS_SUF, mix(t.cprefix(16), t.suf[2])));
        }
        return;
    }
    let dk = (d + 2) as u64;
    out.push(key(T_WIN_LOWER, mix(dk, t.lower)));
    out.push(key(T_WIN_SHAPE, mix(dk, t.shape)));
    out.push(key(T_WIN_FLAGS, mix(dk, u64::from(t.flags))));
    if d.abs() == 1 {
        out.push(key(T_WIN_WORD, mix(dk, t.word)));
    }
    if fs.clusters {
        out.push(key(T_WIN_CLUS, mix(dk, t.cprefix(16))));
        if d.abs() == 1 {
            out.push(key(T_WIN_CLUS, mix(dk + 16, t.cprefix(6))));
        }
    }
}

/// Features of token `i` that depend on its sentence or document.
pub fn context_features(
    toks: &[Tok],
    i: usize,
    si: SentInfo,
    doc: &DocCtx,
    fs: FeatureSet,
    out: &mut Vec<u64>,
) {
    let n = toks.len();
    let t = &toks[i];
    let caps_sent = si.caps;
    out.push(key(T_BIAS, 0));
    for d in [-2i64, -1, 1, 2] {
        let j = i as i64 + d;
        let dk = (d + 2) as u64;
        if j < 0 || j >= n as i64 {
            out.push(key(T_WIN_PAD, dk));
            continue;
        }
        if fs.gazetteer && d.abs() == 1 {
            let mut m = toks[j as usize].gaz;
            while m != 0 {
                let b = m.trailing_zeros() as u64;
                m &= m - 1;
                out.push(key(T_WIN_GAZ, mix(dk, b)));
            }
        }
    }
    let pl = if i > 0 { toks[i - 1].lower } else { 0 };
    let nl = if i + 1 < n { toks[i + 1].lower } else { 0 };
    out.push(key(T_BI_PREV, mix(pl, t.lower)));
    out.push(key(T_BI_NEXT, mix(t.lower, nl)));
    let ps = if i > 0 { toks[i - 1].shape } else { 1 };
    let ns = if i + 1 < n { toks[i + 1].shape } else { 1 };
    out.push(key(T_SHAPE3, mix(mix(ps, t.shape), ns)));
    let initial = i == 0 || toks[i - 1].flags & F_PUNCT != 0 && i == 1;
    if initial {
        out.push(key(T_INIT, t.lower));
        out.push(key(T_INIT_SHAPE, t.shape));
    }
    if caps_sent {
        out.push(key(T_AC_LOWER, t.lower));
        if fs.clusters {
            out.push(key(T_AC_CLUS, t.cprefix(16)));
        }
    }
    if fs.gazetteer {
        let mut m = t.gaz;
        while m != 0 {
            let b = m.trailing_zeros() as u64;
            m &= m - 1;
            out.push(key(T_GAZ, b));
            out.push(key(T_GAZ_SHAPE, mix(b, u64::from(t.flags & 3))));
        }
    }
    if fs.document && (t.is_cap() || caps_sent) && t.flags & F_PUNCT == 0 {
        let f = doc.get(t.lower);
        doc.other_contexts(toks, i, caps_sent, out);
        out.push(key(
            T_DOC,
            mix(u64::from(f), u64::from(initial || caps_sent)),
        ));
        let mut m = f;
        while m != 0 {
            let b = m.trailing_zeros() as u64;
            m &= m - 1;
            out.push(key(T_DOC_BIT, b));
        }
    }
}

/// Emits the static (prediction-independent) feature keys of every token of
/// a sentence into `out`, with `offsets[i]..offsets[i+1]` delimiting token i.
pub fn static_features(
    toks: &[Tok],
    doc: &DocCtx,
    fs: FeatureSet,
    out: &mut Vec<u64>,
    offsets: &mut Vec<u32>,
) {
    out.clear();
    offsets.clear();
    let n = toks.len();
    let si = sent_info(toks);
    for i in 0..n {
        offsets.push(out.len() as u32);
        context_features(toks, i, si, doc, fs, out);
        for d in WINDOW {
            let j = i as i64 + d;
            if j >= 0 && j < n as i64 {
                unary_features(&toks[j as usize], d, fs, out);
            }
        }
    }
    offsets.push(out.len() as u32);
}

// Gazetteer masks pack a category and a BILU position into one u64.
const _: () = assert!(N_CATS * 4 <= 64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_flags() {
        let (a, fa) = shape_and_flags("Lisbon");
        let (b, _) = shape_and_flags("Madrid");
        assert_eq!(a, b);
        assert!(fa & F_INIT_CAP != 0 && fa & F_ALL_CAPS == 0);
        let (_, f) = shape_and_flags("NATO");
        assert!(f & F_ALL_CAPS != 0);
        let (_, f) = shape_and_flags("1,000");
        assert!(f & F_HAS_DIGIT != 0 && f & F_ALL_DIGIT == 0);
        let (_, f) = shape_and_flags("Pérez");
        assert!(f & F_INIT_CAP != 0);
    }

    #[test]
    fn hash_lower_matches_unicode_lowercase() {
        assert_eq!(hash_lower("LISBON"), hash_lower("lisbon"));
        assert_eq!(hash_lower("PÉREZ"), hash_lower("pérez"));
    }
}
