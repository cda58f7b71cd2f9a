//! Averaged structured perceptron training on CoNLL-2003 style data.

use crate::clusters::Clusters;
use crate::eval::{score, EvalReport};
use crate::features::{self, DocCtx, FeatureSet, History, Tok};
use crate::gazetteer::Gazetteer;
use crate::model::{self, constraint_masks, tag_of, viterbi, ModelParts, N_TAGS};
use crate::rng::SplitMix64;
use crate::Error;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// One sentence of a CoNLL file: words and gold entity spans in tokens.
pub struct ConllSentence {
    pub words: Vec<String>,
    pub spans: Vec<(usize, usize, u8)>,
}

/// A document is the run of sentences between `-DOCSTART-` lines.
pub type ConllDoc = Vec<ConllSentence>;

fn kind_index(s: &str) -> Result<u8, Error> {
    match s {
        "PER" => Ok(0),
        "ORG" => Ok(1),
        "LOC" => Ok(2),
        "MISC" => Ok(3),
        _ => Err(Error::Data(format!("unknown entity type {s:?}"))),
    }
}

/// Reads a CoNLL-2003 file (token POS chunk NER; IOB1 or IOB2 tags). Only
/// the first and last columns are used.
pub fn read_conll(path: &Path) -> Result<Vec<ConllDoc>, Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Data(format!("cannot read {}: {e}", path.display())))?;
    let mut docs: Vec<ConllDoc> = vec![Vec::new()];
    let mut words: Vec<String> = Vec::new();
    let mut spans = Vec::new();
    let mut open: Option<(usize, u8)> = None;
    let flush = |words: &mut Vec<String>,
                 spans: &mut Vec<(usize, usize, u8)>,
                 open: &mut Option<(usize, u8)>,
                 docs: &mut Vec<ConllDoc>| {
        if let Some((s, k)) = open.take() {
            spans.push((s, words.len(), k));
        }
        if !words.is_empty() {
            let doc = docs.last_mut().expect("at least one doc");
            doc.push(ConllSentence {
                words: std::mem::take(words),
                spans: std::mem::take(spans),
            });
        }
    };
    for (ln, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() {
            flush(&mut words, &mut spans, &mut open, &mut docs);
            continue;
        }
        if line.starts_with("-DOCSTART-") {
            flush(&mut words, &mut spans, &mut open, &mut docs);
            if !docs.last().is_some_and(|d| d.is_empty()) {
                docs.push(Vec::new());
            }
            continue;
        }
        let mut cols = line.split_whitespace();
        let word = cols.next().unwrap_or("");
        let tag = cols.next_back().unwrap_or("O");
        let i = words.len();
        if tag == "O" {
            if let Some((s, k)) = open.take() {
                spans.push((s, i, k));
            }
        } else {
            let (prefix, kind) = tag
                .split_once('-')
                .ok_or_else(|| Error::Data(format!("line {}: bad tag {tag:?}", ln + 1)))?;
            let k = kind_index(kind)?;
            let continues = prefix == "I" && open.is_some_and(|(_, ok)| ok == k);
            if !continues {
                if let Some((s, ok)) = open.take() {
                    spans.push((s, i, ok));
                }
                open = Some((i, k));
            }
        }
        words.push(word.to_string());
    }
    flush(&mut words, &mut spans, &mut open, &mut docs);
    docs.retain(|d| !d.is_empty());
    Ok(docs)
}

fn gold_tags(n: usize, spans: &[(usize, usize, u8)]) -> Vec<u8> {
    let mut t = vec![0u8; n];
    for &(a, b, k) in spans {
        if b - a == 1 {
            t[a] = tag_of(k, model::POS_U);
        } else {
            t[a] = tag_of(k, model::POS_B);
            for x in &mut t[a + 1..b - 1] {
                *x = tag_of(k, model::POS_I);
            }
            t[b - 1] = tag_of(k, model::POS_L);
        }
    }
    t
}

/// Training options; the defaults produce the shipped model.
#[derive(Clone, Debug)]
pub struct TrainConfig {
    pub max_epochs: usize,
    /// Stop after this many epochs without a better validation F1.
    pub patience: usize,
    pub seed: u64,
    /// Independent perceptron runs (seeds `seed`, `seed + 1`, ...) whose
    /// weights are averaged.
    pub runs: usize,
    /// Features seen fewer times in training are not learnt.
    pub min_feature_count: u32,
    pub features: FeatureSet,
    /// Progress on stderr.
    pub verbose: bool,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            max_epochs: 25,
            patience: 4,
            seed: 20030,
            runs: 3,
            min_feature_count: 1,
            features: FeatureSet::ALL,
            verbose: false,
        }
    }
}

/// Result of [`train_with`].
pub struct TrainOutput {
    pub model: Vec<u8>,
    /// Per run, the 1-based epoch whose averaged weights were kept.
    pub best_epochs: Vec<usize>,
    /// Per run, validation F1 after each epoch (unquantised weights).
    pub epoch_f1: Vec<Vec<f64>>,
    /// Validation report of the final (run-averaged, unquantised) weights.
    pub valid: EvalReport,
    pub n_features: usize,
}

struct PSent {
    toks: Vec<Tok>,
    rows: Vec<u32>,
    offs: Vec<u32>,
    gold: Vec<u8>,
    spans: Vec<(usize, usize, u8)>,
}

/// Where the training inputs live inside a newsdesk shared data directory.
#[derive(Clone, Debug)]
pub struct DataPaths {
    pub train: PathBuf,
    pub valid: PathBuf,
    pub corpora: PathBuf,
}

impl DataPaths {
    /// `DIR/ner-conll2003/{train,valid}.txt` and `DIR/corpora`.
    pub fn under(dir: &Path) -> Self {
        DataPaths {
            train: dir.join("ner-conll2003/train.txt"),
            valid: dir.join("ner-conll2003/valid.txt"),
            corpora: dir.join("corpora"),
        }
    }
}

/// Trains with default settings and returns the model file bytes.
pub fn train(train: &Path, valid: &Path, corpora: &Path) -> Result<Vec<u8>, Error> {
    Ok(train_with(&TrainConfig::default(), train, valid, corpora)?.model)
}

struct Prepared {
    docs: Vec<Vec<PSent>>,
}

fn prepare(
    docs: &[ConllDoc],
    fs: FeatureSet,
    clusters: &Clusters,
    gaz: &Gazetteer,
    mut key_sink: impl FnMut(&[u64], &mut Vec<u32>),
) -> Prepared {
    let (mut lb, mut gb, mut keys, mut offs) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut out = Vec::with_capacity(docs.len());
    for d in docs {
        let mut sents: Vec<PSent> = d
            .iter()
            .map(|s| {
                let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
                let mut toks = Vec::new();
                features::sentence_toks(&words, clusters, gaz, &mut lb, &mut gb, &mut toks);
                PSent {
                    toks,
                    rows: Vec::new(),
                    offs: Vec::new(),
                    gold: gold_tags(s.words.len(), &s.spans),
                    spans: s.spans.clone(),
                }
            })
            .collect();
        let mut dctx = DocCtx::default();
        if fs.document {
            for s in &sents {
                dctx.add_sentence(&s.toks);
            }
        }
        for s in &mut sents {
            features::static_features(&s.toks, &dctx, fs, &mut keys, &mut offs);
            let n = s.toks.len();
            s.offs.push(0);
            for i in 0..n {
                key_sink(&keys[offs[i] as usize..offs[i + 1] as usize], &mut s.rows);
                s.offs.push(s.rows.len() as u32);
            }
        }
        out.push(sents);
    }
    Prepared { docs: out }
}

/// Scores and decodes one sentence with dense training weights.
#[allow(clippy::too_many_arguments)]
fn decode(
    w: &[f32],
    s: &PSent,
    hrows: &[u32],
    hoffs: &[u32],
    trans: &[f32; N_TAGS * N_TAGS],
    start: &[f32; N_TAGS],
    end: &[f32; N_TAGS],
    emis: &mut Vec<f32>,
    back: &mut Vec<u8>,
    out: &mut Vec<u8>,
) {
    let n = s.toks.len();
    emis.clear();
    emis.resize(n * N_TAGS, 0.0);
    for i in 0..n {
        let e = &mut emis[i * N_TAGS..(i + 1) * N_TAGS];
        let rows = s.rows[s.offs[i] as usize..s.offs[i + 1] as usize]
            .iter()
            .chain(&hrows[hoffs[i] as usize..hoffs[i + 1] as usize]);
        for &r in rows {
            let row = &w[r as usize * N_TAGS..(r as usize + 1) * N_TAGS];
            for (a, &b) in e.iter_mut().zip(row) {
                *a += b;
            }
        }
    }
    viterbi(emis, trans, start, end, back, out);
}

/// Looks history features up in the dictionary (history keys are all
/// pre-registered, so nothing is missed). With history features off, every
/// token gets no rows.
#[allow(clippy::too_many_arguments)]
fn history_rows(
    enabled: bool,
    hist: &History,
    toks: &[Tok],
    dict: &HashMap<u64, u32>,
    kbuf: &mut Vec<u64>,
    kof: &mut Vec<u32>,
    rows: &mut Vec<u32>,
    offs: &mut Vec<u32>,
) {
    rows.clear();
    offs.clear();
    if !enabled {
        offs.resize(toks.len() + 1, 0);
        return;
    }
    hist.features(toks, kbuf, kof);
    offs.push(0);
    for i in 0..toks.len() {
        for k in &kbuf[kof[i] as usize..kof[i + 1] as usize] {
            if let Some(&r) = dict.get(k) {
                rows.push(r);
            }
        }
        offs.push(rows.len() as u32);
    }
}

struct Effective {
    trans: [f32; N_TAGS * N_TAGS],
    start: [f32; N_TAGS],
    end: [f32; N_TAGS],
}

fn effective(t: &[f32], s: &[f32], e: &[f32]) -> Effective {
    let (mt, ms, me) = constraint_masks();
    let mut out = Effective {
        trans: mt,
        start: ms,
        end: me,
    };
    for (o, &x) in out.trans.iter_mut().zip(t) {
        *o += x;
    }
    for (o, &x) in out.start.iter_mut().zip(s) {
        *o += x;
    }
    for (o, &x) in out.end.iter_mut().zip(e) {
        *o += x;
    }
    out
}

fn evaluate(
    w: &[f32],
    eff: &Effective,
    prep: &Prepared,
    fs: FeatureSet,
    dict: &HashMap<u64, u32>,
) -> EvalReport {
    let (mut kb, mut ko, mut hr, mut ho) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut emis, mut back, mut tags, mut kinds) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut gold = Vec::new();
    let mut pred = Vec::new();
    for doc in &prep.docs {
        let mut hist = History::default();
        for s in doc {
            history_rows(
                fs.history, &hist, &s.toks, dict, &mut kb, &mut ko, &mut hr, &mut ho,
            );
            decode(
                w, s, &hr, &ho, &eff.trans, &eff.start, &eff.end, &mut emis, &mut back, &mut tags,
            );
            if fs.history {
                model::tag_kinds(&tags, &mut kinds);
                hist.record(&s.toks, &kinds);
            }
            gold.push(s.spans.clone());
            pred.push(model::tag_spans(&tags));
        }
    }
    score(&gold, &pred)
}

/// One averaged-perceptron run with its own shuffling seed; returns the
/// averaged weights of the epoch that scored best on validation data.
fn run_perceptron(
    cfg: &TrainConfig,
    seed: u64,
    nf: usize,
    train_p: &Prepared,
    valid_p: &Prepared,
    dict: &HashMap<u64, u32>,
    t0: Instant,
) -> Result<(Best, Vec<f64>), Error> {
    let fs = cfg.features;
    const TS: usize = N_TAGS * N_TAGS;
    let mut w = vec![0f32; nf * N_TAGS];
    let mut u = vec![0f64; nf * N_TAGS];
    let mut tw = [0f32; N_TAGS * N_TAGS + 2 * N_TAGS];
    let mut tu = [0f64; N_TAGS * N_TAGS + 2 * N_TAGS];
    let mut c: f64 = 1.0;
    let mut rng = SplitMix64::new(seed);
    let mut order: Vec<usize> = (0..train_p.docs.len()).collect();
    let (mut kb, mut ko, mut hr, mut ho) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut emis, mut back, mut pred, mut kinds) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut best: Option<Best> = None;
    let mut epoch_f1 = Vec::new();
    let mut avg = vec![0f32; nf * N_TAGS];
    let mut tavg = [0f32; N_TAGS * N_TAGS + 2 * N_TAGS];
    for epoch in 1..=cfg.max_epochs {
        rng.shuffle(&mut order);
        let mut errors = 0usize;
        for &d in &order {
            let mut hist = History::default();
            for s in &train_p.docs[d] {
                let eff = effective(&tw[..TS], &tw[TS..TS + N_TAGS], &tw[TS + N_TAGS..]);
                history_rows(
                    fs.history, &hist, &s.toks, dict, &mut kb, &mut ko, &mut hr, &mut ho,
                );
                decode(
                    &w, s, &hr, &ho, &eff.trans, &eff.start, &eff.end, &mut emis, &mut back,
                    &mut pred,
                );
                if pred != s.gold {
                    errors += 1;
                    let upd = |idx: usize, delta: f32, wv: &mut [f32], uv: &mut [f64]| {
                        wv[idx] += delta;
                        uv[idx] += c * f64::from(delta);
                    };
                    let n = pred.len();
                    for i in 0..n {
                        let (g, p) = (s.gold[i] as usize, pred[i] as usize);
                        if g == p {
                            continue;
                        }
                        let rows = s.rows[s.offs[i] as usize..s.offs[i + 1] as usize]
                            .iter()
                            .chain(&hr[ho[i] as usize..ho[i + 1] as usize]);
                        for &r in rows {
                            let base = r as usize * N_TAGS;
                            upd(base + g, 1.0, &mut w, &mut u);
                            upd(base + p, -1.0, &mut w, &mut u);
                        }
                    }
                    for i in 0..n {
                        let (g, p) = (s.gold[i] as usize, pred[i] as usize);
                        let (gi, pi) = if i == 0 {
                            (TS + g, TS + p)
                        } else {
                            (
                                s.gold[i - 1] as usize * N_TAGS + g,
                                pred[i - 1] as usize * N_TAGS + p,
                            )
                        };
                        if gi != pi {
                            upd(gi, 1.0, &mut tw, &mut tu);
                            upd(pi, -1.0, &mut tw, &mut tu);
                        }
                    }
                    let (ge, pe) = (
                        TS + N_TAGS + s.gold[n - 1] as usize,
                        TS + N_TAGS + pred[n - 1] as usize,
                    );
                    if ge != pe {
                        upd(ge, 1.0, &mut tw, &mut tu);
                        upd(pe, -1.0, &mut tw, &mut tu);
                    }
                }
                c += 1.0;
                if fs.history {
                    model::tag_kinds(&pred, &mut kinds);
                    hist.record(&s.toks, &kinds);
                }
            }
        }
        for ((a, &x), &y) in avg.iter_mut().zip(&w).zip(&u) {
            *a = (f64::from(x) - y / c) as f32;
        }
        for ((a, &x), &y) in tavg.iter_mut().zip(&tw).zip(&tu) {
            *a = (f64::from(x) - y / c) as f32;
        }
        let eff = effective(&tavg[..TS], &tavg[TS..TS + N_TAGS], &tavg[TS + N_TAGS..]);
        let rep = evaluate(&avg, &eff, valid_p, fs, dict);
        let f1 = rep.f1();
        epoch_f1.push(f1);
        if cfg.verbose {
            eprintln!(
                "epoch {epoch}: {errors} sentences wrong, valid f1 {f1:.4} ({:.1}s)",
                t0.elapsed().as_secs_f64()
            );
        }
        if best.as_ref().is_none_or(|b| f1 > b.f1) {
            best = Some(Best {
                f1,
                epoch,
                weights: avg.clone(),
                trans: tavg.to_vec(),
                report: rep,
            });
        } else if best
            .as_ref()
            .is_some_and(|b| epoch - b.epoch >= cfg.patience)
        {
            break;
        }
    }
    let best = best.ok_or_else(|| Error::Data("no training epochs".into()))?;
    if cfg.verbose {
        eprintln!("seed {seed}: best epoch {} f1 {:.4}", best.epoch, best.f1);
    }
    Ok((best, epoch_f1))
}

/// Averaged weights of the best epoch so far.
struct Best {
    f1: f64,
    epoch: usize,
    weights: Vec<f32>,
    trans: Vec<f32>,
    report: EvalReport,
}

/// Trains a model; see [`TrainConfig`]. `corpora` holds the unlabelled
/// text used for word clusters.
pub fn train_with(
    cfg: &TrainConfig,
    train: &Path,
    valid: &Path,
    corpora: &Path,
) -> Result<TrainOutput, Error> {
    let t0 = Instant::now();
    let fs = cfg.features;
    let train_docs = read_conll(train)?;
    let valid_docs = read_conll(valid)?;
    let clusters = if fs.clusters {
        Clusters::build(corpora, cfg.seed, cfg.verbose)?
    } else {
        Clusters::default()
    };
    if cfg.verbose {
        eprintln!(
            "loaded {} train / {} valid docs, {} cluster words in {:.1}s",
            train_docs.len(),
            valid_docs.len(),
            clusters.len(),
            t0.elapsed().as_secs_f64()
        );
    }
    let gaz = Gazetteer::new();
    // Count feature keys, then number the frequent ones by first appearance.
    let mut counts: HashMap<u64, u32> = HashMap::new();
    let _ = prepare(&train_docs, fs, &clusters, &gaz, |keys, _| {
        for &k in keys {
            *counts.entry(k).or_insert(0) += 1;
        }
    });
    let mut dict: HashMap<u64, u32> = HashMap::new();
    let mut keys_by_row: Vec<u64> = Vec::new();
    const TS: usize = N_TAGS * N_TAGS;
    let train_p = prepare(&train_docs, fs, &clusters, &gaz, |keys, rows| {
        for &k in keys {
            if counts.get(&k).copied().unwrap_or(0) < cfg.min_feature_count {
                continue;
            }
            let r = *dict.entry(k).or_insert_with(|| {
                keys_by_row.push(k);
                keys_by_row.len() as u32 - 1
            });
            rows.push(r);
        }
    });
    drop(counts);
    for k in History::all_keys() {
        dict.entry(k).or_insert_with(|| {
            keys_by_row.push(k);
            keys_by_row.len() as u32 - 1
        });
    }
    let valid_p = prepare(&valid_docs, fs, &clusters, &gaz, |keys, rows| {
        rows.extend(keys.iter().filter_map(|k| dict.get(k)));
    });
    let nf = keys_by_row.len();
    if cfg.verbose {
        eprintln!(
            "{} features; prepared in {:.1}s",
            nf,
            t0.elapsed().as_secs_f64()
        );
    }
    let mut runs = Vec::new();
    let mut epoch_f1 = Vec::new();
    for r in 0..cfg.runs.max(1) {
        let seed = cfg.seed.wrapping_add(r as u64);
        let (best, f1s) = run_perceptron(cfg, seed, nf, &train_p, &valid_p, &dict, t0)?;
        epoch_f1.push(f1s);
        runs.push(best);
    }
    // Averaging runs that saw the data in different orders smooths out the
    // perceptron's sensitivity to ordering.
    let k = runs.len() as f32;
    let mut bw = vec![0f32; nf * N_TAGS];
    let mut bt = vec![0f32; TS + 2 * N_TAGS];
    for r in &runs {
        for (a, &x) in bw.iter_mut().zip(&r.weights) {
            *a += x / k;
        }
        for (a, &x) in bt.iter_mut().zip(&r.trans) {
            *a += x / k;
        }
    }
    let best_epochs: Vec<usize> = runs.iter().map(|r| r.epoch).collect();
    let valid_rep = if runs.len() == 1 {
        runs.pop().map(|r| r.report).unwrap_or_default()
    } else {
        let eff = effective(&bt[..TS], &bt[TS..TS + N_TAGS], &bt[TS + N_TAGS..]);
        evaluate(&bw, &eff, &valid_p, fs, &dict)
    };
    let mut trans = [0f32; TS];
    let mut start = [0f32; N_TAGS];
    let mut end = [0f32; N_TAGS];
    trans.copy_from_slice(&bt[..TS]);
    start.copy_from_slice(&bt[TS..TS + N_TAGS]);
    end.copy_from_slice(&bt[TS + N_TAGS..]);
    let bytes = model::encode(&ModelParts {
        fs,
        keys: &keys_by_row,
        weights: &bw,
        trans: &trans,
        start: &start,
        end: &end,
        clusters: &clusters,
    })?;
    if cfg.verbose {
        eprintln!(
            "best epochs {best_epochs:?}, valid f1 {:.4}, model {} bytes, total {:.1}s",
            valid_rep.f1(),
            bytes.len(),
            t0.elapsed().as_secs_f64()
        );
    }
    Ok(TrainOutput {
        model: bytes,
        best_epochs,
        epoch_f1,
        valid: valid_rep,
        n_features: nf,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::split_tag;

    #[test]
    fn iob1_and_iob2_spans() {
        let dir = std::env::temp_dir().join(format!("ndner-conll-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let p = dir.join("t.txt");
        std::fs::write(
            &p,
            "-DOCSTART- -X- -X- O\n\nA x x I-ORG\nB x x I-ORG\nC x x B-ORG\nd x x O\nE x x B-PER\nF x x I-PER\nG x x I-LOC\n\n-DOCSTART- -X- -X- O\n\nH x x I-MISC\n",
        )
        .expect("write");
        let docs = read_conll(&p).expect("read");
        assert_eq!(docs.len(), 2);
        assert_eq!(
            docs[0][0].spans,
            vec![(0, 2, 1), (2, 3, 1), (4, 6, 0), (6, 7, 2)]
        );
        assert_eq!(docs[1][0].spans, vec![(0, 1, 3)]);
        let g = gold_tags(7, &docs[0][0].spans);
        assert_eq!(split_tag(g[0]), Some((1, model::POS_B)));
        assert_eq!(split_tag(g[2]), Some((1, model::POS_U)));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn tiny_training_is_deterministic_and_loads() {
        let dir = std::env::temp_dir().join(format!("ndner-tiny-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let mut text = String::new();
        let people = ["Alice", "Bruno", "Carla", "Dmitri"];
        let places = ["Oslo", "Lima", "Quito", "Hanoi"];
        for (i, p) in people.iter().enumerate() {
            let l = places[(i + 1) % places.len()];
            text.push_str("-DOCSTART- -X- -X- O\n\n");
            text.push_str(&format!(
                "{p} x x I-PER\nflew x x O\nto x x O\n{l} x x I-LOC\n. x x O\n\nMr. x x O\n{p} x x I-PER\njoined x x O\nAcme x x I-ORG\nCorp x x I-ORG\n. x x O\n\n"
            ));
        }
        let p = dir.join("train.txt");
        std::fs::write(&p, &text).expect("write");
        let cfg = TrainConfig {
            max_epochs: 4,
            features: FeatureSet {
                clusters: false,
                ..FeatureSet::ALL
            },
            ..TrainConfig::default()
        };
        let a = train_with(&cfg, &p, &p, &dir).expect("train");
        let b = train_with(&cfg, &p, &p, &dir).expect("train");
        assert_eq!(a.model, b.model);
        assert!(a.valid.f1() > 0.9, "{}", a.valid);
        let ner = crate::Ner::from_bytes(&a.model).expect("load");
        let rep = crate::eval_conll(&ner, &p).expect("eval");
        assert_eq!(rep, a.valid);
        std::fs::remove_dir_all(&dir).ok();
    }
}
