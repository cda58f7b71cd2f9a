//! The trained tagger: quantised feature weights, BILOU decoding and the
//! model file format.

use crate::bytes::{Reader, Writer};
use crate::clusters::Clusters;
use crate::features::U64Map;
use crate::features::{self, DocCtx, FeatureSet, History, Tok};
use crate::gazetteer::Gazetteer;
use crate::{Error, Kind};
use std::cell::RefCell;
use std::io::{Read, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use xxhash_rust::xxh3::xxh3_64;

/// O plus B, I, L, U for each of the four kinds.
pub const N_TAGS: usize = 17;
const MAGIC: &[u8; 8] = b"NDNER\0\0\x01";
/// Bumped whenever feature extraction changes meaning.
pub const FEATURE_VERSION: u32 = 4;

pub const POS_B: u8 = 0;
pub const POS_I: u8 = 1;
pub const POS_L: u8 = 2;
pub const POS_U: u8 = 3;

#[inline]
pub fn tag_of(kind: u8, pos: u8) -> u8 {
    1 + kind * 4 + pos
}

/// `(kind, position)` of a tag, `None` for O.
#[inline]
pub fn split_tag(t: u8) -> Option<(u8, u8)> {
    if t == 0 {
        None
    } else {
        Some(((t - 1) / 4, (t - 1) % 4))
    }
}

fn allowed(prev: Option<u8>, cur: Option<u8>) -> bool {
    let open = |t: Option<u8>| matches!(t.and_then(split_tag), Some((_, POS_B | POS_I)));
    let cur_s = cur.and_then(split_tag);
    match prev {
        p if open(p) => {
            let (pk, _) = p.and_then(split_tag).expect("open tag");
            matches!(cur_s, Some((k, POS_I | POS_L)) if k == pk)
        }
        _ => match cur {
            None => true,
            Some(_) => !matches!(cur_s, Some((_, POS_I | POS_L))),
        },
    }
}

/// Additive masks that forbid invalid BILOU sequences: transitions,
/// start tags, end tags.
pub fn constraint_masks() -> ([f32; N_TAGS * N_TAGS], [f32; N_TAGS], [f32; N_TAGS]) {
    let mut tr = [0f32; N_TAGS * N_TAGS];
    let mut st = [0f32; N_TAGS];
    let mut en = [0f32; N_TAGS];
    for p in 0..N_TAGS {
        for c in 0..N_TAGS {
            if !allowed(Some(p as u8), Some(c as u8)) {
                tr[p * N_TAGS + c] = f32::NEG_INFINITY;
            }
        }
        if !allowed(None, Some(p as u8)) {
            st[p] = f32::NEG_INFINITY;
        }
        if !allowed(Some(p as u8), None) {
            en[p] = f32::NEG_INFINITY;
        }
    }
    (tr, st, en)
}

/// Tags that close an entity or are outside one: O, then L and U of each kind.
const CLOSED: [usize; 9] = [0, 3, 4, 7, 8, 11, 12, 15, 16];
/// Tags that can follow a closed tag: O, then B and U of each kind.
const OPENING: [usize; 9] = [0, 1, 4, 5, 8, 9, 12, 13, 16];

/// The forward pass of [`viterbi`] for any transition matrix: every
/// predecessor in ascending order, without branches.
fn viterbi_dense(
    emis: &[f32],
    trans: &[f32; N_TAGS * N_TAGS],
    cur: &mut [f32; N_TAGS],
    back: &mut [u8],
) {
    let n = emis.len() / N_TAGS;
    for i in 1..n {
        let mut best = [f32::NEG_INFINITY; N_TAGS];
        let mut arg = [0u32; N_TAGS];
        for p in 0..N_TAGS {
            let cp = cur[p];
            let row = &trans[p * N_TAGS..(p + 1) * N_TAGS];
            for c in 0..N_TAGS {
                let s = cp + row[c];
                let gt = s > best[c];
                best[c] = if gt { s } else { best[c] };
                arg[c] = if gt { p as u32 } else { arg[c] };
            }
        }
        let e = &emis[i * N_TAGS..(i + 1) * N_TAGS];
        for c in 0..N_TAGS {
            cur[c] = best[c] + e[c];
            back[i * N_TAGS + c] = arg[c] as u8;
        }
    }
}

/// First-order Viterbi; `emis` is `n * N_TAGS`, masks already folded into
/// `trans`, `start` and `end`.
pub fn viterbi(
    emis: &[f32],
    trans: &[f32; N_TAGS * N_TAGS],
    start: &[f32; N_TAGS],
    end: &[f32; N_TAGS],
    back: &mut Vec<u8>,
    out: &mut Vec<u8>,
) {
    let n = emis.len() / N_TAGS;
    out.clear();
    if n == 0 {
        return;
    }
    back.clear();
    back.resize(n * N_TAGS, 0);
    let mut cur = [0f32; N_TAGS];
    for t in 0..N_TAGS {
        cur[t] = start[t] + emis[t];
    }
    // Scanning a superset of a tag's legal predecessors in ascending order
    // picks what a scan of only the legal ones would (the first best, else
    // tag 0): a forbidden transition scores -inf, which never wins under `>`.
    // Under the BILOU masks every legal predecessor of O, B and U is O, L
    // or U, and every legal predecessor of I-k and L-k is B-k or I-k.
    let bilou = (0..N_TAGS).all(|p| {
        (0..N_TAGS).all(|c| {
            let closed_to_open = CLOSED.contains(&p) && OPENING.contains(&c);
            let inside = matches!((split_tag(p as u8), split_tag(c as u8)),
                (Some((kp, POS_B | POS_I)), Some((kc, POS_I | POS_L))) if kp == kc);
            closed_to_open || inside || trans[p * N_TAGS + c] == f32::NEG_INFINITY
        })
    });
    if !bilou {
        viterbi_dense(emis, trans, &mut cur, back);
    } else {
        // Transitions from closed to opening tags, padded with -inf.
        let mut t_open = [[f32::NEG_INFINITY; 12]; 9];
        for (pi, &p) in CLOSED.iter().enumerate() {
            for (ci, &c) in OPENING.iter().enumerate() {
                t_open[pi][ci] = trans[p * N_TAGS + c];
            }
        }
        for i in 1..n {
            let mut best = [f32::NEG_INFINITY; 12];
            let mut arg = [0u32; 12];
            for (pi, &p) in CLOSED.iter().enumerate() {
                let cp = cur[p];
                for ci in 0..12 {
                    let s = cp + t_open[pi][ci];
                    let gt = s > best[ci];
                    best[ci] = if gt { s } else { best[ci] };
                    arg[ci] = if gt { p as u32 } else { arg[ci] };
                }
            }
            let e = &emis[i * N_TAGS..(i + 1) * N_TAGS];
            let bk = &mut back[i * N_TAGS..(i + 1) * N_TAGS];
            let mut next = [0f32; N_TAGS];
            for (ci, &c) in OPENING.iter().enumerate() {
                next[c] = best[ci] + e[c];
                bk[c] = arg[ci] as u8;
            }
            for k in 0..4 {
                let (b, m) = (1 + 4 * k, 2 + 4 * k);
                for c in [m, m + 1] {
                    let mut best = f32::NEG_INFINITY;
                    let mut arg = 0u8;
                    for p in [b, m] {
                        let s = cur[p] + trans[p * N_TAGS + c];
                        if s > best {
                            best = s;
                            arg = p as u8;
                        }
                    }
                    next[c] = best + e[c];
                    bk[c] = arg;
                }
            }
            cur = next;
        }
    }
    let mut best = f32::NEG_INFINITY;
    let mut arg = 0u8;
    for t in 0..N_TAGS {
        let s = cur[t] + end[t];
        if s > best {
            best = s;
            arg = t as u8;
        }
    }
    out.resize(n, 0);
    out[n - 1] = arg;
    for i in (1..n).rev() {
        out[i - 1] = back[i * N_TAGS + out[i] as usize];
    }
}

/// Entity spans `(first_token, end_token, kind)` of a decoded tag sequence.
pub fn tag_spans(tags: &[u8]) -> Vec<(usize, usize, u8)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, u8)> = None;
    for (i, &t) in tags.iter().enumerate() {
        match split_tag(t) {
            None => open = None,
            Some((k, POS_U)) => {
                out.push((i, i + 1, k));
                open = None;
            }
            Some((k, POS_B)) => open = Some((i, k)),
            Some((k, POS_I)) => {
                if open.is_none_or(|(_, ok)| ok != k) {
                    open = Some((i, k));
                }
            }
            Some((k, _)) => {
                let s = match open {
                    Some((s, ok)) if ok == k => s,
                    _ => i,
                };
                out.push((s, i + 1, k));
                open = None;
            }
        }
    }
    out
}

/// Per-token kind for the document history (`None` outside entities).
pub fn tag_kinds(tags: &[u8], out: &mut Vec<Option<u8>>) {
    out.clear();
    out.extend(tags.iter().map(|&t| split_tag(t).map(|(k, _)| k)));
}

/// Open-addressing map from feature key to weight row. Each slot packs the
/// key's high 32 bits with the row so a probe touches one cache line; a
/// false match needs two keys agreeing on 32 + log2(slots) bits.
struct KeyTable {
    slots: Vec<u64>,
    mask: usize,
}

const EMPTY: u64 = u64::MAX;

impl KeyTable {
    fn new(keys: &[u64]) -> Self {
        let cap = (keys.len() * 2).next_power_of_two().max(16);
        let mut t = KeyTable {
            slots: vec![EMPTY; cap],
            mask: cap - 1,
        };
        for (r, &k) in keys.iter().enumerate() {
            let mut s = (k as usize) & t.mask;
            while t.slots[s] != EMPTY {
                s = (s + 1) & t.mask;
            }
            t.slots[s] = (k >> 32) << 32 | r as u64;
        }
        t
    }

    /// Row of each key in `keys`, `missing` for keys not in the table.
    ///
    /// Every key's home slot is loaded first, in a loop without branches, so
    /// the cache misses overlap; the rare longer probes follow.
    fn rows(&self, keys: &[u64], missing: u32, home: &mut Vec<u64>, out: &mut Vec<u32>) {
        home.clear();
        home.extend(keys.iter().map(|&k| self.slots[(k as usize) & self.mask]));
        out.clear();
        out.extend(keys.iter().zip(home.iter()).map(|(&k, &x)| {
            let fp = k >> 32;
            if x == EMPTY {
                return missing;
            }
            if x >> 32 == fp {
                return x as u32;
            }
            let mut s = (k as usize).wrapping_add(1) & self.mask;
            loop {
                let x = self.slots[s];
                if x == EMPTY {
                    return missing;
                }
                if x >> 32 == fp {
                    return x as u32;
                }
                s = (s + 1) & self.mask;
            }
        }));
    }
}

/// Everything needed to write a model file.
pub struct ModelParts<'a> {
    pub fs: FeatureSet,
    pub keys: &'a [u64],
    pub weights: &'a [f32],
    pub trans: &'a [f32; N_TAGS * N_TAGS],
    pub start: &'a [f32; N_TAGS],
    pub end: &'a [f32; N_TAGS],
    pub clusters: &'a Clusters,
}

/// Serialises a model: rows whose weights all quantise to zero are dropped,
/// rows are sorted by key so the bytes never depend on hash-map order.
pub fn encode(p: &ModelParts) -> Result<Vec<u8>, Error> {
    let max = p.weights.iter().fold(0f32, |m, &w| m.max(w.abs()));
    let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
    let q = |w: f32| (w / scale).round().clamp(-32767.0, 32767.0) as i16;
    let mut order: Vec<usize> = (0..p.keys.len())
        .filter(|&r| {
            p.weights[r * N_TAGS..(r + 1) * N_TAGS]
                .iter()
                .any(|&w| q(w) != 0)
        })
        .collect();
    order.sort_unstable_by_key(|&r| p.keys[r]);
    let mut w = Writer::default();
    w.buf.extend_from_slice(MAGIC);
    w.u32(FEATURE_VERSION);
    w.u64(Gazetteer::fingerprint());
    w.u8(p.fs.bits());
    w.f32(scale);
    for &x in p.trans.iter().chain(p.start).chain(p.end) {
        w.f32(x / scale);
    }
    w.u32(order.len() as u32);
    for &r in &order {
        w.u64(p.keys[r]);
    }
    // Tag-major layout compresses better: each tag's weights are similar.
    for t in 0..N_TAGS {
        for &r in &order {
            w.i16(q(p.weights[r * N_TAGS + t]));
        }
    }
    p.clusters.write(&mut w);
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(9));
    enc.write_all(&w.buf)?;
    Ok(enc.finish()?)
}

/// A loaded named-entity tagger.
///
/// `Ner` is `Send + Sync`. Tagging keeps a per-thread cache of per-word
/// weight sums (at most about 60 MB per thread) because most features
/// depend on a single word; it never affects results.
pub struct Ner {
    id: u64,
    fs: FeatureSet,
    table: KeyTable,
    /// Weight rows, followed by one all-zero row that stands for features
    /// missing from the model (adding it changes nothing).
    weights: Vec<i16>,
    /// Index of the all-zero row.
    zero_row: u32,
    trans: [f32; N_TAGS * N_TAGS],
    start: [f32; N_TAGS],
    end: [f32; N_TAGS],
    scale: f32,
    clusters: Clusters,
    gaz: Gazetteer,
}

/// Reusable buffers for one document.
#[derive(Default)]
struct Scratch {
    lower: Vec<u64>,
    gaz: Vec<u64>,
    feats: Vec<u64>,
    /// `feats[foffs[i]..foffs[i + 1]]` are token i's context features.
    foffs: Vec<u32>,
    home: Vec<u64>,
    rows: Vec<u32>,
    hfeats: Vec<u64>,
    hoffs: Vec<u32>,
    emis: Vec<f32>,
    back: Vec<u8>,
    kinds: Vec<Option<u8>>,
}

/// Above this many cached word types the cache is emptied at the next
/// document; bounds memory at roughly 60 MB per thread. A smaller cache is
/// emptied too often on large corpora, whose numbers and names keep adding
/// types (Reuters-21578 tags about 10% slower with a quarter of this).
const CACHE_CAP: usize = 1 << 17;

/// A word type's token record and its summed weights for each window
/// offset: most features depend on a single word, so summing them once per
/// type makes tagging several times faster.
/// (Records and sums are kept apart so summing reads only sums.)
#[derive(Default)]
struct WordCache {
    model: u64,
    index: U64Map<u32>,
    toks: Vec<Tok>,
    sums: Vec<[i32; 5 * N_TAGS]>,
    /// Buffers reused from document to document.
    scratch: Scratch,
}

thread_local! {
    static CACHE: RefCell<WordCache> = RefCell::new(WordCache::default());
}

/// Distinguishes loaded models so a thread's cache never mixes them.
static NEXT_MODEL_ID: AtomicU64 = AtomicU64::new(1);

/// Logistic map from an entity's weakest token margin to a confidence,
/// fitted by eye to the precision of margin deciles on CoNLL validation
/// data (the lowest decile is still about 70% precise).
const CONF_BIAS: f32 = 2.8;
const CONF_SCALE: f32 = 22.0;

/// Decoded tags of one sentence.
pub struct Decoded {
    /// Tag per token: 0 for outside, else `1 + 4 * kind + position` with
    /// positions B, I, L, U and kinds ordered as [`Kind`]; see [`tag_spans`].
    pub tags: Vec<u8>,
    /// Per token, how far the chosen kind's best emission score beats every
    /// other kind's (or O's).
    pub margin: Vec<f32>,
}

impl Ner {
    /// Loads a model produced by [`crate::train`].
    pub fn from_bytes(data: &[u8]) -> Result<Ner, Error> {
        let mut raw = Vec::new();
        flate2::read::ZlibDecoder::new(data)
            .read_to_end(&mut raw)
            .map_err(|e| Error::Model(format!("cannot decompress model: {e}")))?;
        let mut r = Reader::new(&raw);
        if r.take(8)? != MAGIC {
            return Err(Error::Model("not a newsdesk NER model".into()));
        }
        let version = r.u32()?;
        if version != FEATURE_VERSION {
            return Err(Error::Model(format!(
                "model has feature version {version}, this build expects {FEATURE_VERSION}"
            )));
        }
        if r.u64()? != Gazetteer::fingerprint() {
            return Err(Error::Model(
                "model was trained with different gazetteer tables; retrain it".into(),
            ));
        }
        let fs = FeatureSet::from_bits(r.u8()?);
        let scale = r.f32()?;
        let (mt, ms, me) = constraint_masks();
        let mut trans = [0f32; N_TAGS * N_TAGS];
        let mut start = [0f32; N_TAGS];
        let mut end = [0f32; N_TAGS];
        for (x, m) in trans.iter_mut().zip(mt) {
            *x = r.f32()? + m;
        }
        for (x, m) in start.iter_mut().zip(ms) {
            *x = r.f32()? + m;
        }
        for (x, m) in end.iter_mut().zip(me) {
            *x = r.f32()? + m;
        }
        let n = r.u32()? as usize;
        let mut keys = Vec::with_capacity(n);
        for _ in 0..n {
            keys.push(r.u64()?);
        }
        let mut weights = vec![0i16; (n + 1) * N_TAGS];
        for t in 0..N_TAGS {
            for row in 0..n {
                weights[row * N_TAGS + t] = r.i16()?;
            }
        }
        let clusters = Clusters::read(&mut r)?;
        if !r.done() {
            return Err(Error::Model("trailing bytes in model".into()));
        }
        Ok(Ner {
            id: NEXT_MODEL_ID.fetch_add(1, Ordering::Relaxed),
            fs,
            table: KeyTable::new(&keys),
            weights,
            zero_row: n as u32,
            trans,
            start,
            end,
            scale,
            clusters,
            gaz: Gazetteer::new(),
        })
    }

    /// Number of weight rows (distinct features) in the model.
    pub fn n_features(&self) -> usize {
        self.zero_row as usize
    }

    /// Number of words with a cluster path.
    pub fn n_cluster_words(&self) -> usize {
        self.clusters.len()
    }

    /// Adds the weight rows `rows` (the zero row for missing features) to
    /// `acc`. Integer sums do not depend on order, so batching lookups
    /// never changes a score.
    #[inline]
    fn add_rows(&self, rows: &[u32], acc: &mut [i32; N_TAGS]) {
        for &r in rows {
            let row = &self.weights[r as usize * N_TAGS..(r as usize + 1) * N_TAGS];
            for (a, &w) in acc.iter_mut().zip(row) {
                *a += i32::from(w);
            }
        }
    }

    fn cache_word(&self, c: &mut WordCache, w: &str, s: &mut Scratch) -> u32 {
        let h = xxh3_64(w.as_bytes());
        if let Some(&i) = c.index.get(&h) {
            return i;
        }
        let tok = features::word_tok(w, &self.clusters);
        let mut sums = [0i32; 5 * N_TAGS];
        s.feats.clear();
        s.foffs.clear();
        s.foffs.push(0);
        for d in features::WINDOW {
            features::unary_features(&tok, d, self.fs, &mut s.feats);
            s.foffs.push(s.feats.len() as u32);
        }
        self.table
            .rows(&s.feats, self.zero_row, &mut s.home, &mut s.rows);
        for slot in 0..features::WINDOW.len() {
            let mut acc = [0i32; N_TAGS];
            self.add_rows(
                &s.rows[s.foffs[slot] as usize..s.foffs[slot + 1] as usize],
                &mut acc,
            );
            sums[slot * N_TAGS..(slot + 1) * N_TAGS].copy_from_slice(&acc);
        }
        let i = c.toks.len() as u32;
        c.toks.push(tok);
        c.sums.push(sums);
        c.index.insert(h, i);
        i
    }

    /// Tags every sentence of a document given as token strings; sentences
    /// must be in reading order because earlier decisions inform later ones.
    pub fn decode_document(&self, doc: &[Vec<&str>]) -> Vec<Decoded> {
        CACHE.with(|cell| {
            let mut cache = cell.borrow_mut();
            self.decode_with(&mut cache, doc)
        })
    }

    fn decode_with(&self, cache: &mut WordCache, doc: &[Vec<&str>]) -> Vec<Decoded> {
        // The cache only grows inside a document so indices stay valid.
        if cache.model != self.id || cache.toks.len() > CACHE_CAP {
            cache.index.clear();
            cache.toks.clear();
            cache.sums.clear();
            cache.model = self.id;
        }
        let mut s = std::mem::take(&mut cache.scratch);
        let mut toks: Vec<Vec<Tok>> = Vec::with_capacity(doc.len());
        let mut ids: Vec<Vec<u32>> = Vec::with_capacity(doc.len());
        for words in doc {
            let idx: Vec<u32> = words
                .iter()
                .map(|w| self.cache_word(cache, w, &mut s))
                .collect();
            let mut t: Vec<Tok> = idx.iter().map(|&i| cache.toks[i as usize]).collect();
            features::set_gazetteer(&self.gaz, &mut s.lower, &mut s.gaz, &mut t);
            toks.push(t);
            ids.push(idx);
        }
        let mut dctx = DocCtx::default();
        if self.fs.document {
            for t in &toks {
                dctx.add_sentence(t);
            }
        }
        let mut hist = History::default();
        let mut out = Vec::with_capacity(doc.len());
        for (t, idx) in toks.iter().zip(&ids) {
            let n = t.len();
            if self.fs.history {
                hist.features(t, &mut s.hfeats, &mut s.hoffs);
            }
            let si = features::sent_info(t);
            s.emis.clear();
            s.emis.resize(n * N_TAGS, 0.0);
            s.feats.clear();
            s.foffs.clear();
            s.foffs.push(0);
            for i in 0..n {
                features::context_features(t, i, si, &dctx, self.fs, &mut s.feats);
                if self.fs.history {
                    s.feats
                        .extend_from_slice(&s.hfeats[s.hoffs[i] as usize..s.hoffs[i + 1] as usize]);
                }
                s.foffs.push(s.feats.len() as u32);
            }
            self.table
                .rows(&s.feats, self.zero_row, &mut s.home, &mut s.rows);
            for i in 0..n {
                // The per-offset sums of the words in token i's window
                // (word i + d sits at offset d), then its context features.
                let mut acc = [0i32; N_TAGS];
                for (slot, d) in features::WINDOW.into_iter().enumerate() {
                    let j = i as i64 + d;
                    if j >= 0 && j < n as i64 {
                        let e = &cache.sums[idx[j as usize] as usize];
                        let part: &[i32; N_TAGS] = e[slot * N_TAGS..(slot + 1) * N_TAGS]
                            .try_into()
                            .expect("N_TAGS sums per offset");
                        for k in 0..N_TAGS {
                            acc[k] += part[k];
                        }
                    }
                }
                self.add_rows(
                    &s.rows[s.foffs[i] as usize..s.foffs[i + 1] as usize],
                    &mut acc,
                );
                for (e, a) in s.emis[i * N_TAGS..(i + 1) * N_TAGS].iter_mut().zip(acc) {
                    *e = a as f32;
                }
            }
            let mut tags = Vec::new();
            viterbi(
                &s.emis,
                &self.trans,
                &self.start,
                &self.end,
                &mut s.back,
                &mut tags,
            );
            // How far the chosen kind beats every other kind (and O) at
            // each token, in unquantised perceptron units.
            let margin = (0..n)
                .map(|i| {
                    let e = &s.emis[i * N_TAGS..(i + 1) * N_TAGS];
                    // Best score per kind, O last; emissions are whole
                    // numbers, so grouping the maxima changes nothing.
                    let mut best = [e[0]; 5];
                    for (k, b) in best[..4].iter_mut().enumerate() {
                        *b = e[1 + 4 * k..5 + 4 * k]
                            .iter()
                            .fold(f32::NEG_INFINITY, |m, &x| m.max(x));
                    }
                    let kind = split_tag(tags[i]).map_or(4, |(k, _)| k as usize);
                    let chosen = e[tags[i] as usize];
                    let other = best
                        .iter()
                        .enumerate()
                        .filter(|&(k, _)| k != kind)
                        .fold(f32::NEG_INFINITY, |m, (_, &x)| m.max(x));
                    (chosen - other) * self.scale
                })
                .collect();
            if self.fs.history {
                tag_kinds(&tags, &mut s.kinds);
                hist.record(t, &s.kinds);
            }
            out.push(Decoded { tags, margin });
        }
        cache.scratch = s;
        out
    }

    /// Tags one sentence of `text` given its token spans, returning
    /// `(start, end, kind, confidence)` byte spans in text order; the
    /// confidence is a rough probability that the span and kind are right.
    ///
    /// # Panics
    /// If a token span is out of range or not on char boundaries.
    pub fn tag(&self, text: &str, sentence_tokens: &[(u32, u32)]) -> Vec<(u32, u32, Kind, f32)> {
        self.tag_document(text, &[sentence_tokens.to_vec()])
            .pop()
            .unwrap_or_default()
    }

    /// Tags all sentences of a document (token spans per sentence, in reading
    /// order), using document-level evidence across sentences: prefer this
    /// over per-sentence [`Ner::tag`] calls. Returns one entity list per
    /// sentence, as [`Ner::tag`] does.
    ///
    /// # Panics
    /// If a token span is out of range or not on char boundaries.
    pub fn tag_document(
        &self,
        text: &str,
        sentences: &[Vec<(u32, u32)>],
    ) -> Vec<Vec<(u32, u32, Kind, f32)>> {
        let doc: Vec<Vec<&str>> = sentences
            .iter()
            .map(|s| {
                s.iter()
                    .map(|&(a, b)| &text[a as usize..b as usize])
                    .collect()
            })
            .collect();
        let decoded = self.decode_document(&doc);
        decoded
            .iter()
            .zip(sentences)
            .map(|(d, spans)| {
                tag_spans(&d.tags)
                    .into_iter()
                    .map(|(a, b, k)| {
                        let m = d.margin[a..b].iter().fold(f32::INFINITY, |x, &y| x.min(y));
                        let conf = 1.0 / (1.0 + (-(CONF_BIAS + m / CONF_SCALE)).exp());
                        (spans[a].0, spans[b - 1].1, Kind::from_index(k), conf)
                    })
                    .collect()
            })
            .collect()
    }

    /// Splits, tokenises and tags a whole text; entities in text order.
    pub fn annotate(&self, text: &str) -> Vec<(u32, u32, Kind, f32)> {
        let sents: Vec<Vec<(u32, u32)>> = crate::sentence::sentences(text)
            .into_iter()
            .map(|s| crate::token::tokens(text, s))
            .collect();
        self.tag_document(text, &sents)
            .into_iter()
            .flatten()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_from_bilou() {
        let t = [0, tag_of(0, POS_B), tag_of(0, POS_L), tag_of(2, POS_U), 0];
        assert_eq!(tag_spans(&t), vec![(1, 3, 0), (3, 4, 2)]);
    }

    #[test]
    fn viterbi_respects_constraints() {
        let (tr, st, en) = constraint_masks();
        // Emissions prefer I-PER everywhere, which is never valid alone.
        let mut emis = vec![0f32; 2 * N_TAGS];
        emis[tag_of(0, POS_I) as usize] = 5.0;
        emis[N_TAGS + tag_of(0, POS_I) as usize] = 5.0;
        let (mut back, mut out) = (Vec::new(), Vec::new());
        viterbi(&emis, &tr, &st, &en, &mut back, &mut out);
        assert!(!out.contains(&tag_of(0, POS_I)));
    }
}
