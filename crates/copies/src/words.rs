//! Words and word shingles, each with the byte span it covers, so that whatever is found on
//! hashes can be reported as spans of the text.

use xxhash_rust::xxh3::xxh3_64;

/// Words per shingle. Five words rarely repeat by chance in news prose, yet a rewrite that
/// changes one word in ten still leaves most five-word runs intact (passim uses 5-grams too).
pub const SHINGLE_WORDS: usize = 5;

/// A word: its byte range in the text and the hash of its case-folded form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Word {
    pub start: u32,
    pub end: u32,
    pub hash: u64,
}

/// The words of `text`: maximal runs of letters and digits (apostrophes inside a word kept, so
/// "Iran's" is one word). Case is folded so a headline-cased copy still matches.
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::with_capacity(text.len() / 6);
    // The case-folded bytes of the word being read; ASCII (most news text) is folded byte by
    // byte without decoding.
    let mut folded: Vec<u8> = Vec::with_capacity(32);
    let mut start: Option<usize> = None;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (c, len) = if b.is_ascii() {
            (b as char, 1)
        } else {
            let c = text[i..].chars().next().expect("i is on a char boundary");
            (c, c.len_utf8())
        };
        let next_is_alnum = || {
            text[i + len..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
        };
        if c.is_alphanumeric() {
            if start.is_none() {
                start = Some(i);
                folded.clear();
            }
            if b.is_ascii() {
                folded.push(b.to_ascii_lowercase());
            } else {
                let mut buf = [0u8; 4];
                for l in c.to_lowercase() {
                    folded.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
                }
            }
        } else if (c == '\'' || c == '’') && start.is_some() && next_is_alnum() {
            // An apostrophe inside a word ("Iran's") keeps the word whole.
        } else if let Some(s) = start.take() {
            out.push(word(s, i, &folded));
        }
        i += len;
    }
    if let Some(s) = start {
        out.push(word(s, text.len(), &folded));
    }
    out
}

fn word(start: usize, end: usize, folded: &[u8]) -> Word {
    Word {
        start: start as u32,
        end: end as u32,
        hash: xxh3_64(folded),
    }
}

/// The hash of the shingle starting at each word index (`words.len() - SHINGLE_WORDS + 1` of
/// them; none for a text shorter than one shingle).
pub fn shingles(words: &[Word]) -> Vec<u64> {
    words
        .windows(SHINGLE_WORDS)
        .map(|w| {
            w.iter().fold(0x9e37_79b9_7f4a_7c15_u64, |acc, word| {
                (acc.rotate_left(23) ^ word.hash).wrapping_mul(0x2545_f491_4f6c_dd1d)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_carry_their_spans_and_fold_case() {
        let text = "Iran’s minister, in DAMASCUS: 2023 talks.";
        let w = words(text);
        let got: Vec<&str> = w
            .iter()
            .map(|w| &text[w.start as usize..w.end as usize])
            .collect();
        assert_eq!(
            got,
            ["Iran’s", "minister", "in", "DAMASCUS", "2023", "talks"]
        );
        assert_eq!(words("damascus")[0].hash, w[3].hash);
    }

    #[test]
    fn shingles_do_not_depend_on_spacing_or_punctuation() {
        let a = shingles(&words("The harbour reopened on Monday after the storm."));
        let b = shingles(&words(
            "The  harbour reopened\r\non Monday, after the storm",
        ));
        assert_eq!(a, b);
        assert_eq!(a.len(), 8 - SHINGLE_WORDS + 1);
        assert!(shingles(&words("too short")).is_empty());
    }
}
