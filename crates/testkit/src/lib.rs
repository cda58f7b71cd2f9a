//! Test support shared by newsdesk's crates: the shared evaluation data beside the repository,
//! skips that show, and a seeded corpus generator with planted copies ([`corpus`]).
//!
//! Tests that measure on real data read it from `../shared` beside the repository, which a
//! clone may not have. Such a test must not pass silently when the data is absent: [`shared`]
//! says so on the test command's own output, which the test harness does not capture (it
//! captures only the `print!` family of macros), so the skip shows in a plain `cargo test`.

pub mod corpus;

use std::io::Write;
use std::path::{Path, PathBuf};

/// The repository's root (this crate sits in `crates/testkit`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `../shared/<sub>` beside the repository, or `None` after printing a visible skip line naming
/// the test and the missing path.
pub fn shared(test: &str, sub: &str) -> Option<PathBuf> {
    let path = repo_root().join("../shared").join(sub);
    if path.exists() {
        return Some(path);
    }
    skip(test, &format!("{} not found", path.display()));
    None
}

/// Prints `SKIPPED test: reason` on the terminal even under the harness's output capture.
pub fn skip(test: &str, reason: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "SKIPPED {test}: {reason}");
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_missing_shared_path_is_a_visible_skip() {
        // The SKIPPED line this prints shows in `cargo test`'s own output.
        assert_eq!(
            super::shared("a_missing_shared_path", "no/such/folder"),
            None
        );
    }
}
