//! Entity-level scoring in the manner of conlleval: a prediction counts
//! only with the exact span and type; micro-averaged over all entities.

use crate::model::tag_spans;
use crate::train::read_conll;
use crate::{Error, Kind, Ner};
use std::fmt;
use std::path::Path;

/// Counts per kind (PER, ORG, LOC, MISC): correct, predicted, gold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EvalReport {
    pub correct: [usize; 4],
    pub predicted: [usize; 4],
    pub gold: [usize; 4],
}

fn prf(c: usize, p: usize, g: usize) -> (f64, f64, f64) {
    let pr = if p == 0 { 0.0 } else { c as f64 / p as f64 };
    let rc = if g == 0 { 0.0 } else { c as f64 / g as f64 };
    let f = if pr + rc == 0.0 {
        0.0
    } else {
        2.0 * pr * rc / (pr + rc)
    };
    (pr, rc, f)
}

impl EvalReport {
    /// Micro-averaged precision, recall and F1 over all kinds.
    pub fn overall(&self) -> (f64, f64, f64) {
        prf(
            self.correct.iter().sum(),
            self.predicted.iter().sum(),
            self.gold.iter().sum(),
        )
    }

    pub fn f1(&self) -> f64 {
        self.overall().2
    }

    /// Precision, recall and F1 of one kind.
    pub fn kind(&self, k: Kind) -> (f64, f64, f64) {
        let i = k as usize;
        prf(self.correct[i], self.predicted[i], self.gold[i])
    }
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<8} {:>9} {:>9} {:>9} {:>7} {:>7}",
            "kind", "precision", "recall", "f1", "gold", "pred"
        )?;
        for k in Kind::ALL {
            let (p, r, f1) = self.kind(k);
            let i = k as usize;
            writeln!(
                f,
                "{:<8} {:>9.4} {:>9.4} {:>9.4} {:>7} {:>7}",
                k.as_str(),
                p,
                r,
                f1,
                self.gold[i],
                self.predicted[i]
            )?;
        }
        let (p, r, f1) = self.overall();
        writeln!(
            f,
            "{:<8} {:>9.4} {:>9.4} {:>9.4} {:>7} {:>7}",
            "overall",
            p,
            r,
            f1,
            self.gold.iter().sum::<usize>(),
            self.predicted.iter().sum::<usize>()
        )?;
        write!(f, "f1 {f1:.4}")
    }
}

/// Scores predicted against gold spans, sentence by sentence.
pub fn score(gold: &[Vec<(usize, usize, u8)>], pred: &[Vec<(usize, usize, u8)>]) -> EvalReport {
    let mut r = EvalReport::default();
    for (g, p) in gold.iter().zip(pred) {
        for &(_, _, k) in g {
            r.gold[k as usize] += 1;
        }
        for s in p {
            r.predicted[s.2 as usize] += 1;
            if g.contains(s) {
                r.correct[s.2 as usize] += 1;
            }
        }
    }
    r
}

/// Tags a CoNLL-2003 file document by document and scores it.
pub fn eval_conll(ner: &Ner, path: &Path) -> Result<EvalReport, Error> {
    let docs = read_conll(path)?;
    let mut gold = Vec::new();
    let mut pred = Vec::new();
    for d in &docs {
        let words: Vec<Vec<&str>> = d
            .iter()
            .map(|s| s.words.iter().map(String::as_str).collect())
            .collect();
        for (s, dec) in d.iter().zip(ner.decode_document(&words)) {
            gold.push(s.spans.clone());
            pred.push(tag_spans(&dec.tags));
        }
    }
    Ok(score(&gold, &pred))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_match_scoring() {
        let gold = vec![vec![(0, 2, 0), (3, 4, 2)]];
        let pred = vec![vec![(0, 2, 0), (3, 4, 1), (5, 6, 3)]];
        let r = score(&gold, &pred);
        let (p, rc, f) = r.overall();
        assert!((p - 1.0 / 3.0).abs() < 1e-9);
        assert!((rc - 0.5).abs() < 1e-9);
        assert!((f - 0.4).abs() < 1e-9);
        assert!(r.to_string().lines().last().unwrap().starts_with("f1 0.4"));
    }
}
