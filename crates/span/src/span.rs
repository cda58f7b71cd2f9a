use serde::{Deserialize, Serialize};

/// Half-open byte range `[start, end)` into a document's text.
///
/// The fields are private so that a `Span` built with [`Span::new`] always lies on char
/// boundaries of the text it was checked against. Offsets are UTF-8 bytes; `u32` keeps layers
/// compact and no single article comes near 4 GiB.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "[u32; 2]", into = "[u32; 2]")]
pub struct Span {
    start: u32,
    end: u32,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SpanError {
    #[error("span start {start} is after its end {end}")]
    Reversed { start: usize, end: usize },
    #[error("span end {end} is past the text length {len}")]
    OutOfBounds { end: usize, len: usize },
    #[error("span offset {offset} is not on a char boundary")]
    NotCharBoundary { offset: usize },
    #[error("span offset {offset} does not fit in u32")]
    TooLarge { offset: usize },
}

impl Span {
    /// Checks the range against `text`: ordered, in bounds and on char boundaries.
    pub fn new(text: &str, start: usize, end: usize) -> Result<Span, SpanError> {
        if start > end {
            return Err(SpanError::Reversed { start, end });
        }
        if end > text.len() {
            return Err(SpanError::OutOfBounds {
                end,
                len: text.len(),
            });
        }
        for offset in [start, end] {
            if !text.is_char_boundary(offset) {
                return Err(SpanError::NotCharBoundary { offset });
            }
        }
        let to_u32 =
            |offset: usize| u32::try_from(offset).map_err(|_| SpanError::TooLarge { offset });
        Ok(Span {
            start: to_u32(start)?,
            end: to_u32(end)?,
        })
    }

    /// An ordered range not yet checked against a text (for spans read back from storage);
    /// call [`Span::check`] before slicing untrusted input.
    pub fn from_offsets(start: u32, end: u32) -> Result<Span, SpanError> {
        if start > end {
            return Err(SpanError::Reversed {
                start: start as usize,
                end: end as usize,
            });
        }
        Ok(Span { start, end })
    }

    /// Re-checks this span against `text`.
    pub fn check(self, text: &str) -> Result<Span, SpanError> {
        Span::new(text, self.start(), self.end())
    }

    pub fn start(self) -> usize {
        self.start as usize
    }

    pub fn end(self) -> usize {
        self.end as usize
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The text this span covers. Panics if the span was not built against `text`.
    pub fn slice(self, text: &str) -> &str {
        &text[self.start()..self.end()]
    }

    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

impl TryFrom<[u32; 2]> for Span {
    type Error = SpanError;
    fn try_from([start, end]: [u32; 2]) -> Result<Span, SpanError> {
        Span::from_offsets(start, end)
    }
}

impl From<Span> for [u32; 2] {
    fn from(span: Span) -> [u32; 2] {
        [span.start, span.end]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_reversed_out_of_bounds_and_mid_char() {
        let text = "Damascus – Tehran";
        assert!(matches!(
            Span::new(text, 3, 2),
            Err(SpanError::Reversed { .. })
        ));
        assert!(matches!(
            Span::new(text, 0, 99),
            Err(SpanError::OutOfBounds { .. })
        ));
        // the en dash is three bytes starting at 9
        assert!(matches!(
            Span::new(text, 10, 12),
            Err(SpanError::NotCharBoundary { offset: 10 })
        ));
        assert_eq!(Span::new(text, 9, 12).unwrap().slice(text), "–");
    }

    #[test]
    fn serialises_as_pair_and_rejects_reversed_pair() {
        let span = Span::new("abcdef", 1, 4).unwrap();
        assert_eq!(serde_json::to_string(&span).unwrap(), "[1,4]");
        assert_eq!(serde_json::from_str::<Span>("[1,4]").unwrap(), span);
        assert!(serde_json::from_str::<Span>("[4,1]").is_err());
    }

    #[test]
    fn overlap_and_containment() {
        let text = "0123456789";
        let a = Span::new(text, 2, 6).unwrap();
        let b = Span::new(text, 5, 8).unwrap();
        let c = Span::new(text, 3, 4).unwrap();
        assert!(a.overlaps(b) && !a.contains(b) && a.contains(c));
        assert!(!Span::new(text, 6, 8).unwrap().overlaps(a));
    }
}
