use std::io::Read;
use std::path::{Path, PathBuf};

use crate::EvalError;

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
