//! Main-text extraction, in two layouts:
//! - trafilatura's `evaldata.json`: per page, snippets that must (`with`) and must not
//!   (`without`) appear in the extracted text, compared whitespace-normalised; precision,
//!   recall and F1 over all snippets, as trafilatura's own evaluation counts them;
//! - the ScrapingHub article-extraction-benchmark (`ground-truth.json` + `html/<id>.html`):
//!   per page, precision and recall over word 4-gram shingles (multiset overlap), averaged over
//!   pages, and F1 from the two averages, as that benchmark computes them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use newsdesk_extract::Extractor;
use newsdesk_ingest::{Body, Format, Hints, Record};
use newsdesk_span::Source;
use rayon::prelude::*;
use serde_json::Value;

use crate::files::{find_page, read_json, read_maybe_gz, PAGE_DIRS};
use crate::{f1, ratio, EvalError, Report};

/// Extracted text of one HTML page (empty when extraction failed).
pub fn extract_page(
    extractor: &Extractor,
    path: &Path,
    url: Option<&str>,
) -> Result<String, EvalError> {
    let bytes = read_maybe_gz(path)?;
    let record = Record {
        source: Source {
            location: path.display().to_string(),
            record: None,
        },
        format: Format::Html,
        body: Body::Html(bytes),
        hints: Hints {
            url: url.map(str::to_string),
            ..Hints::default()
        },
    };
    Ok(extractor
        .extract(record)
        .map(|d| d.text().to_string())
        .unwrap_or_default())
}

/// With `verbose`, the report also lists every missed and every leaked snippet.
pub fn run(extractor: &Extractor, dir: &Path, verbose: bool) -> Result<Report, EvalError> {
    for candidate in [dir.join("evaldata.json"), dir.join("tests/evaldata.json")] {
        if candidate.exists() {
            return trafilatura(extractor, &candidate, verbose);
        }
    }
    let truth = dir.join("ground-truth.json");
    if truth.exists() {
        return scrapinghub(extractor, dir, &truth);
    }
    Err(EvalError::data(
        dir.display(),
        "neither evaldata.json nor ground-truth.json found",
    ))
}

fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn load_json(path: &Path) -> Result<Value, EvalError> {
    read_json(path)
}

fn trafilatura(extractor: &Extractor, index: &Path, verbose: bool) -> Result<Report, EvalError> {
    let root = index.parent().unwrap_or(Path::new("."));
    let Value::Object(pages) = load_json(index)? else {
        return Err(EvalError::data(index.display(), "not a JSON object"));
    };
    let pages: Vec<(String, Value)> = pages.into_iter().collect();
    type PageResult = Result<([usize; 5], Vec<String>), EvalError>;
    let counts: Vec<PageResult> = pages
        .par_iter()
        .map(|(url, page)| {
            let file = page["file"].as_str().unwrap_or_default();
            let Some(path) = find_page(root, PAGE_DIRS, file) else {
                return Err(EvalError::data(
                    root.join(file).display(),
                    "page file not found",
                ));
            };
            let text = normalise(&extract_page(extractor, &path, Some(url))?);
            let snippets = |key: &str| -> Vec<String> {
                page[key]
                    .as_array()
                    .map(|a| a.iter().filter_map(Value::as_str).map(normalise).collect())
                    .unwrap_or_default()
            };
            let (mut tp, mut fn_, mut fp, mut tn) = (0, 0, 0, 0);
            let mut notes = Vec::new();
            for s in snippets("with") {
                if text.contains(&s) {
                    tp += 1
                } else {
                    fn_ += 1;
                    notes.push(format!("missed {url} {s:?}"));
                }
            }
            for s in snippets("without") {
                if text.contains(&s) {
                    fp += 1;
                    notes.push(format!("leaked {url} {s:?}"));
                } else {
                    tn += 1
                }
            }
            Ok(([tp, fn_, fp, tn, 1], notes))
        })
        .collect();
    let mut total = [0usize; 5];
    let mut lines = Vec::new();
    for c in counts {
        let (c, notes) = c?;
        for i in 0..5 {
            total[i] += c[i];
        }
        if verbose {
            lines.extend(notes);
        }
    }
    let [tp, fn_, fp, tn, n] = total;
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + fn_);
    let accuracy = ratio(tp + tn, tp + tn + fp + fn_);
    lines.extend([
        format!(
            "layout trafilatura-evaldata, pages {n}, extractor {}",
            extractor.body.name()
        ),
        format!("snippets: true-pos {tp}  false-neg {fn_}  false-pos {fp}  true-neg {tn}"),
        format!("precision {precision:.4}"),
        format!("recall {recall:.4}"),
        format!("accuracy {accuracy:.4}"),
    ]);
    Ok(Report {
        lines,
        metric: "f1",
        value: f1(precision, recall),
    })
}

/// Lower-cased word tokens, as the ScrapingHub benchmark tokenises.
fn shingles(text: &str) -> HashMap<Vec<String>, usize> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut out = HashMap::new();
    for window in words.windows(4) {
        *out.entry(window.to_vec()).or_insert(0) += 1;
    }
    if out.is_empty() && !words.is_empty() {
        out.insert(words, 1);
    }
    out
}

/// Precision and recall of one page; an empty prediction scores 0 unless the truth is empty too.
pub fn shingle_scores(predicted: &str, truth: &str) -> (f64, f64) {
    let (p, t) = (shingles(predicted), shingles(truth));
    if p.is_empty() && t.is_empty() {
        return (1.0, 1.0);
    }
    let overlap: usize = p
        .iter()
        .map(|(k, n)| (*n).min(*t.get(k).unwrap_or(&0)))
        .sum();
    let total_p: usize = p.values().sum();
    let total_t: usize = t.values().sum();
    (ratio(overlap, total_p), ratio(overlap, total_t))
}

fn scrapinghub(extractor: &Extractor, dir: &Path, truth: &Path) -> Result<Report, EvalError> {
    let Value::Object(pages) = load_json(truth)? else {
        return Err(EvalError::data(truth.display(), "not a JSON object"));
    };
    let pages: Vec<(String, Value)> = pages.into_iter().collect();
    let scores: Vec<Result<(f64, f64), EvalError>> = pages
        .par_iter()
        .map(|(id, page)| {
            let path: PathBuf = dir.join("html").join(format!("{id}.html"));
            let text = extract_page(extractor, &path, page["url"].as_str())?;
            Ok(shingle_scores(
                &text,
                page["articleBody"].as_str().unwrap_or_default(),
            ))
        })
        .collect();
    let mut sum = (0.0, 0.0);
    let mut n = 0usize;
    for s in scores {
        let (p, r) = s?;
        sum.0 += p;
        sum.1 += r;
        n += 1;
    }
    let precision = sum.0 / n.max(1) as f64;
    let recall = sum.1 / n.max(1) as f64;
    Ok(Report {
        lines: vec![
            format!(
                "layout scrapinghub, pages {n}, extractor {}",
                extractor.body.name()
            ),
            format!("precision {precision:.4}"),
            format!("recall {recall:.4}"),
        ],
        metric: "f1",
        value: f1(precision, recall),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shingle_metric() {
        assert_eq!(shingle_scores("", ""), (1.0, 1.0));
        assert_eq!(shingle_scores("", "a b c d e"), (0.0, 0.0));
        let (p, r) = shingle_scores("a b c d e", "a b c d e f g");
        assert_eq!(p, 1.0);
        assert!((r - 0.5).abs() < 1e-9);
        let (p, _) = shingle_scores("x y z w a b c d", "a b c d");
        assert!((p - 0.2).abs() < 1e-9);
    }
}
