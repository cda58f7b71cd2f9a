use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::EvalError;

/// The folders benchmark projects keep their pages in: trafilatura and htmldate use `eval/`
/// and `cache/`, htmldate's published test file points into `test_set/`.
pub(crate) const PAGE_DIRS: &[&str] = &["eval", "cache", "test_set", "test", ""];

/// Reads `path`, or `path.gz` when only the compressed copy exists (as the shared data stores
/// its pages).
pub fn read_maybe_gz(path: &Path) -> Result<Vec<u8>, EvalError> {
    if path.exists() {
        let bytes = std::fs::read(path).map_err(|e| EvalError::data(path.display(), e))?;
        return Ok(if path.extension().is_some_and(|e| e == "gz") {
            gunzip(path, &bytes)?
        } else {
            bytes
        });
    }
    let mut gz = path.as_os_str().to_owned();
    gz.push(".gz");
    let gz = PathBuf::from(gz);
    let bytes = std::fs::read(&gz)
        .map_err(|e| EvalError::data(path.display(), format!("missing, and so is .gz: {e}")))?;
    gunzip(&gz, &bytes)
}

fn gunzip(path: &Path, bytes: &[u8]) -> Result<Vec<u8>, EvalError> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .read_to_end(&mut out)
        .map_err(|e| EvalError::data(path.display(), e))?;
    Ok(out)
}

/// The first of `dirs/name` that exists, compressed or not.
pub(crate) fn find_page(root: &Path, dirs: &[&str], name: &str) -> Option<PathBuf> {
    for dir in dirs {
        let path = root.join(dir).join(name);
        let mut gz = path.as_os_str().to_owned();
        gz.push(".gz");
        if path.exists() || Path::new(&gz).exists() {
            return Some(path);
        }
    }
    None
}

/// Reads a benchmark's JSON index as its project publishes it. Python's `json.dump` writes a
/// missing value as a bare `NaN` (htmldate's `eval_mediacloud_2020.json` does so for pages
/// without a date), which strict JSON parsers refuse; bare `NaN`, `Infinity` and `-Infinity`
/// tokens outside strings are read as `null`.
pub(crate) fn read_json(path: &Path) -> Result<Value, EvalError> {
    let bytes = read_maybe_gz(path)?;
    let bytes = null_for_non_finite(&bytes);
    serde_json::from_slice(&bytes).map_err(|e| EvalError::data(path.display(), e))
}

/// Replaces the non-finite number tokens Python writes with `null`, leaving strings alone.
fn null_for_non_finite(json: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    const TOKENS: &[&[u8]] = &[b"-Infinity", b"Infinity", b"NaN"];
    if !TOKENS
        .iter()
        .any(|t| json.windows(t.len()).any(|w| w == *t))
    {
        return std::borrow::Cow::Borrowed(json);
    }
    let mut out = Vec::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    let mut i = 0;
    while i < json.len() {
        let b = json[i];
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
        } else if b == b'"' {
            in_string = true;
        } else if let Some(t) = TOKENS.iter().find(|t| json[i..].starts_with(t)) {
            out.extend_from_slice(b"null");
            i += t.len();
            continue;
        }
        out.push(b);
        i += 1;
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_nan_in_a_benchmark_index_reads_as_null() {
        let json =
            br#"{"a": {"date": NaN, "file": "NaN.html"}, "b": [Infinity, -Infinity, "x\"NaN"]}"#;
        let value: Value = serde_json::from_slice(&null_for_non_finite(json)).unwrap();
        assert!(value["a"]["date"].is_null());
        assert_eq!(value["a"]["file"], "NaN.html");
        assert!(value["b"][0].is_null() && value["b"][1].is_null());
        assert_eq!(value["b"][2], "x\"NaN");
    }
}
