//! Evaluation of newsdesk's stages on public gold data. Each evaluation returns a [`Report`]
//! whose last line is the headline figure (`f1 <value>`, `accuracy <value>`), so CI can compare
//! it with the floor in `eval/floors.toml`.

pub mod dates;
pub mod extraction;
mod files;

use std::fmt;

pub use files::read_maybe_gz;

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{path}: {reason}")]
    Data { path: String, reason: String },
}

impl EvalError {
    pub(crate) fn data(path: impl fmt::Display, reason: impl fmt::Display) -> EvalError {
        EvalError::Data {
            path: path.to_string(),
            reason: reason.to_string(),
        }
    }
}

/// A printed evaluation: table lines, then one headline line `<metric> <value>`.
#[derive(Debug, Clone)]
pub struct Report {
    pub lines: Vec<String>,
    pub metric: &'static str,
    pub value: f64,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for line in &self.lines {
            writeln!(f, "{line}")?;
        }
        write!(f, "{} {:.4}", self.metric, self.value)
    }
}

pub(crate) fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

pub(crate) fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}
