//! Scoring against PolNeAR (brat standoff attribution annotations).
//!
//! Layout: `<split>/text/<stem>.txt` and `<split>/attributions/<stem>_<annotator>.ann`.
//! `T` lines carry `Source`, `Cue` and `Content` spans (possibly
//! discontinuous, `a b;c d`) in *character* offsets; `E` lines tie them into
//! attributions (`Attribution:T4 Content:T3 Cue:T2 Source:T1`). A few texts
//! were annotated by several annotators; the first file in name order is
//! used so each article counts once.
//!
//! Matching rules (all greedy one-to-one, best overlap first):
//! * content: a system content matches a gold content when their overlap is
//!   at least half of the shorter of the two (gold length = sum of its
//!   fragments);
//! * speaker: end-to-end: a true positive is a matched content pair whose
//!   system speaker span overlaps the gold source span at all; precision is
//!   over system quotes that have a speaker span, recall over gold
//!   attributions that have a source;
//! * cue: independent of content, any overlap between a system cue and a
//!   gold cue.
//!
//! Only the text is given to [`crate::quotes`]: no sentences, no mentions.

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::{quotes, Error, Quote};

/// Precision/recall/F1 with the counts behind them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Prf {
    pub tp: usize,
    pub sys: usize,
    pub gold: usize,
}

impl Prf {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.sys)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.gold)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: Prf) {
        self.tp += o.tp;
        self.sys += o.sys;
        self.gold += o.gold;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores of one PolNeAR split.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    pub split: String,
    pub docs: usize,
    pub bytes: usize,
    pub content: Prf,
    pub speaker: Prf,
    pub cue: Prf,
    /// Of matched content pairs where both sides name a speaker, the share
    /// whose spans overlap.
    pub speaker_accuracy_on_matched: f64,
    /// One line per missed or spurious content and per wrong speaker:
    /// `MISS|SPURIOUS|SPEAKER <tab> file <tab> cue <tab> …`.
    pub errors: Vec<String>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "PolNeAR {} ({} docs, {} bytes)",
            self.split, self.docs, self.bytes
        )?;
        writeln!(f, "content match: overlap >= 1/2 of the shorter span; speaker: matched content + any span overlap; cue: any overlap")?;
        for (name, p) in [
            ("content", &self.content),
            ("speaker", &self.speaker),
            ("cue", &self.cue),
        ] {
            writeln!(
                f,
                "{name:8} P {:.3} R {:.3} F1 {:.3} (tp {} sys {} gold {})",
                p.precision(),
                p.recall(),
                p.f1(),
                p.tp,
                p.sys,
                p.gold
            )?;
        }
        writeln!(
            f,
            "speaker_accuracy_on_matched {:.3}",
            self.speaker_accuracy_on_matched
        )?;
        writeln!(f, "content_f1 {:.4}", self.content.f1())?;
        writeln!(f, "cue_f1 {:.4}", self.cue.f1())?;
        write!(f, "speaker_f1 {:.4}", self.speaker.f1())
    }
}

type Frags = Vec<(u32, u32)>;

#[derive(Clone, Debug, Default)]
struct Gold {
    pub content: Frags,
    pub cue: Frags,
    pub source: Frags,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Parses one `.ann` file; offsets are converted from characters to bytes.
fn parse_ann(path: &Path, ann: &str, text: &str) -> Result<Vec<Gold>, Error> {
    // Character index → byte offset, with one slot past the end.
    let mut c2b: Vec<u32> = text.char_indices().map(|(b, _)| b as u32).collect();
    c2b.push(text.len() as u32);
    let conv = |c: usize, line: usize| -> Result<u32, Error> {
        c2b.get(c).copied().ok_or_else(|| Error::Parse {
            path: path.to_path_buf(),
            line,
            msg: format!("offset {c} past end of text"),
        })
    };
    let mut spans: HashMap<&str, (String, Frags)> = HashMap::new();
    let mut events: Vec<Vec<(&str, &str)>> = Vec::new();
    for (ln, line) in ann.lines().enumerate() {
        let mut parts = line.split('\t');
        let (Some(id), Some(body)) = (parts.next(), parts.next()) else {
            continue;
        };
        if id.starts_with('T') {
            let Some((typ, offs)) = body.split_once(' ') else {
                continue;
            };
            let mut frags = Vec::new();
            for fr in offs.split(';') {
                let mut it = fr.split_whitespace().map(str::parse::<usize>);
                match (it.next(), it.next()) {
                    (Some(Ok(a)), Some(Ok(b))) if a <= b => {
                        frags.push((conv(a, ln + 1)?, conv(b, ln + 1)?))
                    }
                    _ => {
                        return Err(Error::Parse {
                            path: path.to_path_buf(),
                            line: ln + 1,
                            msg: format!("bad span {fr:?}"),
                        })
                    }
                }
            }
            spans.insert(id, (typ.to_string(), frags));
        } else if id.starts_with('E') {
            events.push(
                body.split_whitespace()
                    .filter_map(|r| r.split_once(':'))
                    .collect(),
            );
        }
    }
    let mut out = Vec::new();
    for ev in events {
        let mut g = Gold::default();
        for (role, tid) in ev {
            let Some((_, frags)) = spans.get(tid) else {
                continue;
            };
            let role = role.trim_end_matches(|c: char| c.is_ascii_digit());
            match role {
                "Content" => g.content.extend(frags),
                "Cue" => g.cue.extend(frags),
                "Source" => g.source.extend(frags),
                _ => {}
            }
        }
        if !g.content.is_empty() {
            out.push(g);
        }
    }
    Ok(out)
}

fn overlap(a: (u32, u32), frags: &[(u32, u32)]) -> u32 {
    frags
        .iter()
        .map(|&(s, e)| e.min(a.1).saturating_sub(s.max(a.0)))
        .sum()
}

fn len(frags: &[(u32, u32)]) -> u32 {
    frags.iter().map(|&(s, e)| e - s).sum()
}

/// Greedy one-to-one matching; `score` returns a match strength or None.
fn greedy(
    n_sys: usize,
    n_gold: usize,
    score: impl Fn(usize, usize) -> Option<f64>,
) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    for i in 0..n_sys {
        for j in 0..n_gold {
            if let Some(s) = score(i, j) {
                pairs.push((s, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut us, mut ug) = (vec![false; n_sys], vec![false; n_gold]);
    let mut out = Vec::new();
    for (_, i, j) in pairs {
        if !us[i] && !ug[j] {
            us[i] = true;
            ug[j] = true;
            out.push((i, j));
        }
    }
    out
}

#[derive(Default)]
struct DocScore {
    content: Prf,
    speaker: Prf,
    cue: Prf,
    both_named: usize,
    speaker_ok: usize,
    errors: Vec<String>,
}

/// Text of the first fragment of `f`, shortened for an error line.
fn snippet(text: &str, f: &[(u32, u32)]) -> String {
    f.first()
        .map_or_else(String::new, |&(s, e)| short(text, (s, e)))
}

fn short(text: &str, (s, e): (u32, u32)) -> String {
    let t: String = text
        .get(s as usize..e as usize)
        .unwrap_or("")
        .chars()
        .take(80)
        .collect();
    t.replace(['\n', '\t'], " ")
}

fn score_doc(name: &str, text: &str, sys: &[Quote], gold: &[Gold]) -> DocScore {
    let mut d = DocScore::default();
    let m = greedy(sys.len(), gold.len(), |i, j| {
        let ov = overlap(sys[i].content, &gold[j].content);
        let shorter = (sys[i].content.1 - sys[i].content.0).min(len(&gold[j].content));
        (ov > 0 && 2 * ov >= shorter).then(|| ov as f64 / shorter.max(1) as f64)
    });
    d.content = Prf {
        tp: m.len(),
        sys: sys.len(),
        gold: gold.len(),
    };
    d.speaker.sys = sys.iter().filter(|q| q.speaker.is_some()).count();
    d.speaker.gold = gold.iter().filter(|g| !g.source.is_empty()).count();
    for &(i, j) in &m {
        if let (Some(sp), false) = (&sys[i].speaker, gold[j].source.is_empty()) {
            d.both_named += 1;
            if overlap((sp.start, sp.end), &gold[j].source) > 0 {
                d.speaker.tp += 1;
                d.speaker_ok += 1;
            } else {
                d.errors.push(format!(
                    "SPEAKER\t{name}\t{}\tgold {:?}\tgot {:?}",
                    snippet(text, &gold[j].cue),
                    snippet(text, &gold[j].source),
                    short(text, (sp.start, sp.end))
                ));
            }
        }
    }
    for (j, g) in gold.iter().enumerate() {
        if !m.iter().any(|&(_, mj)| mj == j) {
            d.errors.push(format!(
                "MISS\t{name}\t{}\t{}",
                snippet(text, &g.cue),
                snippet(text, &g.content)
            ));
        }
    }
    for (i, q) in sys.iter().enumerate() {
        if !m.iter().any(|&(mi, _)| mi == i) {
            d.errors.push(format!(
                "SPURIOUS\t{name}\t{}\t{}",
                q.cue.map(|c| short(text, c)).unwrap_or_default(),
                short(text, q.content)
            ));
        }
    }
    let sys_cues: Vec<(u32, u32)> = sys.iter().filter_map(|q| q.cue).collect();
    let gold_cues: Vec<&Frags> = gold
        .iter()
        .filter(|g| !g.cue.is_empty())
        .map(|g| &g.cue)
        .collect();
    let cm = greedy(sys_cues.len(), gold_cues.len(), |i, j| {
        let ov = overlap(sys_cues[i], gold_cues[j]);
        (ov > 0).then_some(ov as f64)
    });
    d.cue = Prf {
        tp: cm.len(),
        sys: sys_cues.len(),
        gold: gold_cues.len(),
    };
    d
}

/// (text path, ann path) for each article of a split directory.
fn listing(split_dir: &Path) -> Result<Vec<(PathBuf, PathBuf)>, Error> {
    let tdir = split_dir.join("text");
    let adir = split_dir.join("attributions");
    if !tdir.is_dir() || !adir.is_dir() {
        return Err(Error::NoData(split_dir.to_path_buf()));
    }
    let mut anns: Vec<PathBuf> = fs::read_dir(&adir)
        .map_err(io(&adir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ann"))
        .collect();
    anns.sort();
    let mut by_stem: HashMap<String, PathBuf> = HashMap::new();
    for a in anns {
        let name = a
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let stem = name
            .rsplit_once('_')
            .map_or(name.as_str(), |x| x.0)
            .to_string();
        by_stem.entry(stem).or_insert(a);
    }
    let mut out: Vec<(PathBuf, PathBuf)> = by_stem
        .into_iter()
        .map(|(stem, a)| (tdir.join(format!("{stem}.txt")), a))
        .filter(|(t, _)| t.is_file())
        .collect();
    out.sort();
    if out.is_empty() {
        return Err(Error::NoData(split_dir.to_path_buf()));
    }
    Ok(out)
}

/// Scores one split (`"train"`, `"dev"`, …) under the PolNeAR root `dir`, with this crate
/// alone finding the attributions (no entity mentions, its own sentence splitter).
pub fn eval_polnear_split(dir: &Path, split: &str) -> Result<Report, Error> {
    eval_polnear_split_with(dir, split, |text| quotes(text, &[], &[]))
}

/// Scores one split with `attribute` finding each text's attributions (e.g. a whole
/// annotation pipeline that passes entity mentions and sentences to [`quotes`]).
pub fn eval_polnear_split_with(
    dir: &Path,
    split: &str,
    attribute: impl Fn(&str) -> Vec<Quote> + Sync,
) -> Result<Report, Error> {
    let split_dir = dir.join(split);
    let files = listing(&split_dir)?;
    let per_doc: Vec<Result<(DocScore, usize), Error>> = files
        .par_iter()
        .map(|(tp, ap)| {
            let text = fs::read_to_string(tp).map_err(io(tp))?;
            let ann = fs::read_to_string(ap).map_err(io(ap))?;
            let gold = parse_ann(ap, &ann, &text)?;
            let sys = attribute(&text);
            let name = tp
                .file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned());
            Ok((score_doc(&name, &text, &sys, &gold), text.len()))
        })
        .collect();
    let mut rep = Report {
        split: split.to_string(),
        ..Default::default()
    };
    let (mut both, mut ok) = (0, 0);
    for r in per_doc {
        let (d, bytes) = r?;
        rep.docs += 1;
        rep.bytes += bytes;
        rep.content.add(d.content);
        rep.speaker.add(d.speaker);
        rep.cue.add(d.cue);
        both += d.both_named;
        ok += d.speaker_ok;
        rep.errors.extend(d.errors);
    }
    rep.speaker_accuracy_on_matched = ratio(ok, both);
    Ok(rep)
}

/// Scores the dev split. `dir` is the PolNeAR root (holding `dev/`) or the
/// dev directory itself.
pub fn eval_polnear(dir: &Path) -> Result<Report, Error> {
    eval_polnear_with(dir, |text| quotes(text, &[], &[]))
}

/// [`eval_polnear`] with `attribute` finding each text's attributions.
pub fn eval_polnear_with(
    dir: &Path,
    attribute: impl Fn(&str) -> Vec<Quote> + Sync,
) -> Result<Report, Error> {
    if dir.join("dev").is_dir() {
        eval_polnear_split_with(dir, "dev", attribute)
    } else {
        let parent = dir.parent().unwrap_or(dir);
        let split = dir.file_name().and_then(|s| s.to_str()).unwrap_or("dev");
        eval_polnear_split_with(parent, split, attribute)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_discontinuous_char_offsets() {
        // "é" is two bytes, so character 3 is byte 4.
        let text = "Zé said “hi there” and “bye”.";
        let ann = "T1\tSource 0 2\tZé\nT2\tCue 3 7\tsaid\nT3\tContent 8 18;23 28\t“hi there” “bye”\n\
                   T4\tAttribution 3 7\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n#1\tAnnotatorNotes T1\tnote\n";
        let g = parse_ann(Path::new("x.ann"), ann, text).unwrap();
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].source, vec![(0, 3)]);
        assert_eq!(&text[4..8], "said");
        assert_eq!(g[0].cue, vec![(4, 8)]);
        assert_eq!(g[0].content.len(), 2);
    }

    #[test]
    fn scoring_counts() {
        let text = "“We will win the vote,” Dana Cole said.";
        let sys = quotes(text, &[], &[]);
        let b = |s: &str| text.find(s).unwrap() as u32;
        let gold = vec![Gold {
            content: vec![(0, b(" Dana"))],
            cue: vec![(b("said"), b("said") + 4)],
            source: vec![(b("Dana"), b("Dana") + 9)],
        }];
        let d = score_doc("t.txt", text, &sys, &gold);
        assert_eq!((d.content.tp, d.speaker.tp, d.cue.tp), (1, 1, 1));
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        let d = score_doc("t.txt", text, &[], &gold);
        assert_eq!(d.errors, ["MISS\tt.txt\tsaid\t“We will win the vote,”"]);
    }

    #[test]
    fn eval_dev_when_data_present() {
        let Some(dir) =
            newsdesk_testkit::shared("eval_dev_when_data_present", "data/quotes-polnear/dev")
        else {
            return;
        };
        let dir = dir.join("..");
        let rep = eval_polnear(&dir).expect("eval runs");
        eprintln!("{rep}");
        assert!(rep.docs > 0);
        assert!(rep
            .to_string()
            .lines()
            .last()
            .unwrap()
            .starts_with("speaker_f1 "));
    }
}
