//! TempEval-3 style scoring against TimeML (`.tml`) corpora.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::{tag, TimexKind};

/// Errors from reading or parsing a TimeML corpus.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("malformed TimeML in {path}: {msg}")]
    Parse { path: PathBuf, msg: String },
    #[error("no .tml files under {0}")]
    NoFiles(PathBuf),
}

/// Precision, recall and F1.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    fn new(tp_p: usize, sys: usize, tp_r: usize, gold: usize) -> Prf {
        let p = ratio(tp_p, sys);
        let r = ratio(tp_r, gold);
        let f1 = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        Prf {
            precision: p,
            recall: r,
            f1,
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

impl fmt::Display for Prf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "P {:.4}  R {:.4}  F1 {:.4}",
            self.precision, self.recall, self.f1
        )
    }
}

/// Result of [`eval_timeml`].
#[derive(Debug, Clone)]
pub struct Report {
    pub files: usize,
    pub gold_mentions: usize,
    pub system_mentions: usize,
    pub strict: Prf,
    pub relaxed: Prf,
    /// Share of relaxed matches whose TIMEX3 type agrees.
    pub type_accuracy: f64,
    pub value: Prf,
    /// Human-readable summary lines (what `Display` prints before the
    /// headline).
    pub lines: Vec<String>,
    /// One line per missed, spurious or wrongly valued mention, for tuning.
    pub errors: Vec<String>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for l in &self.lines {
            writeln!(f, "{l}")?;
        }
        write!(f, "value_f1 {:.4}", self.value.f1)
    }
}

struct Gold {
    start: usize,
    end: usize,
    kind: Option<TimexKind>,
    value: String,
}

struct Doc {
    text: String,
    dct: Option<jiff::civil::Date>,
    gold: Vec<Gold>,
}

/// Scores [`tag`] on every `.tml` file under `dir` (recursively).
pub fn eval_timeml(dir: &Path) -> Result<Report, Error> {
    let mut files = Vec::new();
    collect_tml(dir, &mut files)?;
    files.sort();
    if files.is_empty() {
        return Err(Error::NoFiles(dir.to_path_buf()));
    }
    let (mut gold_n, mut sys_n) = (0, 0);
    let (mut strict_tp, mut relaxed_tp, mut type_ok, mut value_ok) = (0, 0, 0, 0);
    let mut errors = Vec::new();
    for path in &files {
        let raw = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let doc = parse_doc(&raw).map_err(|msg| Error::Parse {
            path: path.clone(),
            msg,
        })?;
        let sys = tag(&doc.text, doc.dct);
        gold_n += doc.gold.len();
        sys_n += sys.len();
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let mut sys_used = vec![false; sys.len()];
        for g in &doc.gold {
            let gt = &doc.text[g.start..g.end];
            // One-to-one: the first unused system mention overlapping gold.
            let hit = sys.iter().enumerate().find(|(i, s)| {
                !sys_used[*i] && (s.start as usize) < g.end && g.start < s.end as usize
            });
            let Some((i, s)) = hit else {
                errors.push(format!("MISS\t{name}\t{gt:?}\t{}", g.value));
                continue;
            };
            sys_used[i] = true;
            relaxed_tp += 1;
            if s.start as usize == g.start && s.end as usize == g.end {
                strict_tp += 1;
            }
            if Some(s.kind) == g.kind {
                type_ok += 1;
            }
            if s.value.as_deref() == Some(g.value.as_str()) {
                value_ok += 1;
            } else {
                errors.push(format!(
                    "VALUE\t{name}\t{gt:?}\t{}\tgot {:?} {:?} ({})",
                    g.value,
                    s.text(&doc.text),
                    s.value,
                    s.rule
                ));
            }
        }
        for (s, used) in sys.iter().zip(&sys_used) {
            if !used {
                errors.push(format!(
                    "SPURIOUS\t{name}\t{:?}\t{:?} ({})",
                    s.text(&doc.text),
                    s.value,
                    s.rule
                ));
            }
        }
    }
    let strict = Prf::new(strict_tp, sys_n, strict_tp, gold_n);
    let relaxed = Prf::new(relaxed_tp, sys_n, relaxed_tp, gold_n);
    let type_accuracy = ratio(type_ok, relaxed_tp);
    let value = Prf::new(value_ok, sys_n, value_ok, gold_n);
    let lines = vec![
        format!("files {}  gold {}  system {}", files.len(), gold_n, sys_n),
        format!("strict   {strict}"),
        format!("relaxed  {relaxed}"),
        format!("type_accuracy {type_accuracy:.4}"),
        format!("value    {value}"),
    ];
    Ok(Report {
        files: files.len(),
        gold_mentions: gold_n,
        system_mentions: sys_n,
        strict,
        relaxed,
        type_accuracy,
        value,
        lines,
        errors,
    })
}

fn collect_tml(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let rd = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in rd {
        let entry = entry.map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let p = entry.path();
        if p.is_dir() {
            collect_tml(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "tml") {
            out.push(p);
        }
    }
    Ok(())
}

/// Extracts the DCT, the stripped `<TEXT>` content and the gold TIMEX3
/// spans (as byte offsets into the stripped text).
fn parse_doc(raw: &str) -> Result<Doc, String> {
    let dct = find_dct(raw);
    let body_start = raw.find("<TEXT>").ok_or("no <TEXT> element")? + "<TEXT>".len();
    let body_end = raw[body_start..]
        .find("</TEXT>")
        .ok_or("unterminated <TEXT> element")?
        + body_start;
    let body = &raw[body_start..body_end];
    let mut text = String::with_capacity(body.len());
    let mut gold = Vec::new();
    let mut open: Option<Gold> = None;
    let mut rest = body;
    while let Some(lt) = rest.find('<') {
        push_unescaped(&mut text, &rest[..lt]);
        let gt = rest[lt..].find('>').ok_or("unterminated tag")? + lt;
        let tag_src = &rest[lt + 1..gt];
        if let Some(attrs) = tag_src.strip_prefix("TIMEX3") {
            let kind = attr(attrs, "type").and_then(TimexKind::from_timeml);
            let value = attr(attrs, "value").unwrap_or_default().to_string();
            open = Some(Gold {
                start: text.len(),
                end: text.len(),
                kind,
                value,
            });
        } else if tag_src == "/TIMEX3" {
            let mut g = open.take().ok_or("</TIMEX3> without <TIMEX3>")?;
            g.end = text.len();
            if g.end > g.start {
                gold.push(g);
            }
        }
        rest = &rest[gt + 1..];
    }
    push_unescaped(&mut text, rest);
    Ok(Doc { text, dct, gold })
}

fn find_dct(raw: &str) -> Option<jiff::civil::Date> {
    let mut rest = raw;
    while let Some(i) = rest.find("<TIMEX3") {
        let end = rest[i..].find('>')? + i;
        let attrs = &rest[i + 7..end];
        if attr(attrs, "functionInDocument") == Some("CREATION_TIME") {
            let v = attr(attrs, "value")?;
            return v.get(..10)?.parse().ok();
        }
        rest = &rest[end..];
    }
    None
}

fn attr<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = attrs;
    loop {
        let i = rest.find(name)?;
        let before_ok = i == 0 || rest.as_bytes()[i - 1].is_ascii_whitespace();
        let after = &rest[i + name.len()..];
        if before_ok {
            if let Some(v) = after.strip_prefix("=\"") {
                return v.find('"').map(|j| &v[..j]);
            }
        }
        rest = after;
    }
}

fn push_unescaped(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let ents = [
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&apos;", '\''),
        ];
        match ents.iter().find(|(e, _)| tail.starts_with(e)) {
            Some((e, c)) => {
                out.push(*c);
                rest = &tail[e.len()..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_inline_timeml() {
        let raw = "<DCT><TIMEX3 tid=\"t0\" type=\"DATE\" value=\"1998-11-20\" \
                   functionInDocument=\"CREATION_TIME\">x</TIMEX3></DCT><TEXT>A &amp; B \
                   <EVENT eid=\"e1\">met</EVENT> <TIMEX3 tid=\"t1\" type=\"DATE\" \
                   value=\"1998-11-19\">yesterday</TIMEX3>.</TEXT>";
        let doc = parse_doc(raw).unwrap();
        assert_eq!(doc.text, "A & B met yesterday.");
        assert_eq!(doc.dct, Some(jiff::civil::date(1998, 11, 20)));
        assert_eq!(doc.gold.len(), 1);
        assert_eq!(&doc.text[doc.gold[0].start..doc.gold[0].end], "yesterday");
        assert_eq!(doc.gold[0].kind, Some(TimexKind::Date));
    }

    #[test]
    fn missing_dir_is_an_error() {
        assert!(eval_timeml(Path::new("/nonexistent/timeml")).is_err());
    }

    #[test]
    fn shared_timebank() {
        let Some(dir) = newsdesk_testkit::shared("shared_timebank", "data/time-timebank") else {
            return;
        };
        let report = eval_timeml(&dir).expect("eval runs");
        eprintln!("{report}");
        assert!(report.files > 0);
        // Regression floors just under the measured figures (strict 0.867,
        // relaxed 0.945, type accuracy 0.962, value 0.815); the 0.85 value
        // goal is not met yet.
        assert!(report.strict.f1 > 0.86, "{report}");
        assert!(report.relaxed.f1 > 0.94, "{report}");
        assert!(report.type_accuracy > 0.955, "{report}");
        assert!(report.value.f1 > 0.81, "{report}");
    }
}
