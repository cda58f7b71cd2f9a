//! Publication dates on htmldate's layout (`eval_*.json`: url → {file, date}), scored as
//! htmldate scores: a correct date is a true positive, a wrong one a false positive, no
//! date a false negative. Abstaining costs recall, not precision. A page whose gold date is
//! missing (`NaN` or `null` in the index, as htmldate's own test files have it) is a page
//! without a date: finding none is a hit, finding one a miss.

use std::path::Path;

use newsdesk_extract::Extractor;
use newsdesk_ingest::{Body, Format, Hints, Record};
use newsdesk_span::Source;
use rayon::prelude::*;
use serde_json::Value;

use crate::files::{find_page, read_json, read_maybe_gz, PAGE_DIRS};
use crate::{f1, ratio, EvalError, Report};

/// The day found (with its rule), the gold day and the page URL.
type Outcome = (Option<(String, String)>, String, String);

/// The publication day newsdesk finds for one page, with the rule that found it.
pub fn page_date(
    extractor: &Extractor,
    path: &Path,
    url: &str,
) -> Result<Option<(String, String)>, EvalError> {
    let record = Record {
        source: Source {
            location: path.display().to_string(),
            record: None,
        },
        format: Format::Html,
        body: Body::Html(read_maybe_gz(path)?),
        hints: Hints {
            url: Some(url.to_string()),
            ..Hints::default()
        },
    };
    Ok(extractor
        .extract(record)
        .ok()
        .and_then(|d| d.meta.published)
        .map(|p| (p.value.date().to_string(), p.source)))
}

pub fn run(extractor: &Extractor, dir: &Path, verbose: bool) -> Result<Report, EvalError> {
    let mut indexes: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| EvalError::data(dir.display(), e))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            name.starts_with("eval_") && name.ends_with(".json")
        })
        .collect();
    indexes.sort();
    if indexes.is_empty() {
        return Err(EvalError::data(dir.display(), "no eval_*.json found"));
    }
    let mut cases: Vec<(String, String, String)> = Vec::new();
    for index in &indexes {
        let Value::Object(map) = read_json(index)? else {
            continue;
        };
        for (url, page) in map {
            let file = page["file"].as_str().unwrap_or_default().to_string();
            let date = page["date"].as_str().unwrap_or_default().to_string();
            cases.push((url, file, date));
        }
    }
    let results: Vec<Result<Outcome, EvalError>> = cases
        .par_iter()
        .map(|(url, file, gold)| {
            let path = find_page(dir, PAGE_DIRS, file)
                .ok_or_else(|| EvalError::data(dir.join(file).display(), "page file not found"))?;
            Ok((page_date(extractor, &path, url)?, gold.clone(), url.clone()))
        })
        .collect();
    let (mut tp, mut fp, mut fn_, mut tn) = (0, 0, 0, 0);
    let mut by_source: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    let mut lines = Vec::new();
    for r in results {
        let (found, gold, url) = r?;
        match (found, gold.is_empty()) {
            (None, true) => tn += 1,
            (None, false) => {
                fn_ += 1;
                if verbose {
                    lines.push(format!("missed {url} gold {gold}"));
                }
            }
            (Some((day, source)), _) => {
                let entry = by_source.entry(source.clone()).or_default();
                entry.1 += 1;
                if day == gold {
                    tp += 1;
                    entry.0 += 1;
                } else {
                    fp += 1;
                    if verbose {
                        lines.push(format!("wrong {url} found {day} by {source} gold {gold}"));
                    }
                }
            }
        }
    }
    let n = tp + fp + fn_ + tn;
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + fn_);
    lines.push(format!(
        "pages {n}: correct {tp}, wrong {fp}, none found {fn_}, correctly none {tn}"
    ));
    lines.push("by source: correct/answered".to_string());
    for (source, (ok, all)) in by_source {
        lines.push(format!("  {source:<36} {ok}/{all}"));
    }
    lines.push(format!("precision {precision:.4}"));
    lines.push(format!("recall {recall:.4}"));
    lines.push(format!("f1 {:.4}", f1(precision, recall)));
    Ok(Report {
        lines,
        metric: "accuracy",
        value: ratio(tp + tn, n),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const PROSE: &str = "<p>The council met on Monday to discuss the budget for the coming year, and members said after the vote that the roads would come first.</p>";

    #[test]
    fn htmldate_test_file_with_nan_gold_and_test_set_pages_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let pages = dir.path().join("test_set");
        std::fs::create_dir(&pages).unwrap();
        let dated = format!(
            r#"<html><head><meta property="article:published_time" content="2020-03-04"></head><body>{PROSE}</body></html>"#
        );
        let undated = format!("<html><body>{PROSE}</body></html>");
        std::fs::write(pages.join("dated.html"), &dated).unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(undated.as_bytes()).unwrap();
        std::fs::write(pages.join("undated.html.gz"), gz.finish().unwrap()).unwrap();
        std::fs::write(pages.join("dated-but-gold-none.html"), &dated).unwrap();
        std::fs::write(
            dir.path().join("eval_mediacloud_2020.json"),
            r#"{
  "https://a.example/1": {"file": "dated.html", "date": "2020-03-04"},
  "https://a.example/2": {"file": "undated.html", "date": NaN},
  "https://a.example/3": {"file": "dated-but-gold-none.html", "date": NaN}
}"#,
        )
        .unwrap();
        let report = run(&Extractor::default(), dir.path(), false).unwrap();
        let summary = &report.lines[0];
        assert_eq!(
            summary, "pages 3: correct 1, wrong 1, none found 0, correctly none 1",
            "{report}"
        );
        assert!((report.value - 2.0 / 3.0).abs() < 1e-9, "{report}");
    }
}
