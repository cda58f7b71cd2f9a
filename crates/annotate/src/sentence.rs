//! Rule-based sentence splitting tuned for news prose and web captures.

/// Abbreviations that virtually never end a sentence because a name, number
/// or date follows them.
const NON_FINAL_ABBREVS: &[&str] = &[
    "mr", "mrs", "ms", "messrs", "dr", "prof", "gen", "brig", "lt", "maj", "col", "capt", "cmdr",
    "cdr", "sgt", "cpl", "pvt", "adm", "gov", "sen", "rep", "rev", "hon", "pres", "supt", "insp",
    "det", "fr", "sr", "jr", "st", "mt", "ft", "no", "nos", "vol", "fig", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed",
    "thu", "thur", "thurs", "fri", "sat", "sun", "vs", "v", "approx", "dept", "univ", "assn",
    "est", "ca", "cf", "pp", "p", "op", "ref", "art", "sec", "ch", "gov't",
];

/// Abbreviations that may close a sentence ("... of Acme Inc. The firm").
const MAYBE_FINAL_ABBREVS: &[&str] = &[
    "inc", "corp", "co", "ltd", "plc", "bros", "llc", "etc", "al", "a.m", "p.m", "e.g", "i.e",
];

/// Words that typically open a sentence; used to decide whether a period
/// after an ambiguous abbreviation ("U.S.", "Inc.") is also a full stop.
const SENTENCE_STARTERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "But",
    "And",
    "Or",
    "So",
    "Yet",
    "In",
    "On",
    "At",
    "For",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "Since",
    "Its",
    "His",
    "Her",
    "Their",
    "Our",
    "My",
    "Some",
    "Many",
    "Most",
    "Other",
    "Others",
    "Both",
    "Such",
    "Meanwhile",
    "However",
    "Also",
    "Still",
    "Last",
    "Earlier",
    "Later",
    "Now",
    "Then",
    "Officials",
    "Analysts",
    "According",
    "What",
    "Why",
    "How",
    "Who",
    "Where",
    "As",
    "Under",
    "With",
    "Without",
    "Despite",
    "Although",
    "Asked",
    "No",
    "Not",
    "Neither",
    "Each",
    "Every",
    "All",
    "One",
    "Two",
    "Three",
];

const CLOSERS: &[char] = &['"', '\'', '\u{201d}', '\u{2019}', ')', ']', '}', '\u{bb}'];

fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '\u{2026}' | '\u{3002}')
}

fn is_list_marker_line(line: &str) -> bool {
    let t = line.trim_start();
    let mut it = t.chars();
    match it.next() {
        Some('-' | '*' | '\u{2022}' | '\u{2013}' | '\u{2014}' | '\u{25aa}' | '\u{25cf}') => {
            matches!(it.next(), Some(' ' | '\t'))
        }
        Some(c) if c.is_ascii_digit() => {
            let digits = t.bytes().take_while(|b| b.is_ascii_digit()).count();
            let rest = &t[digits..];
            digits <= 3 && (rest.starts_with(". ") || rest.starts_with(") "))
        }
        _ => false,
    }
}

/// Splits `text` into sentences, returning half-open byte spans that exclude
/// surrounding whitespace.
pub fn sentences(text: &str) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    for (bs, be) in blocks(text) {
        split_block(text, bs, be, &mut out);
    }
    out
}

/// Blocks are stretches that can never share a sentence: paragraphs, list
/// items, indented paragraphs of hard-wrapped wire copy.
fn blocks(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut prev_line: Option<(usize, usize)> = None;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let ls = pos;
        pos += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let le = ls + content.len();
        if content.trim().is_empty() {
            if let Some(s) = start.take() {
                out.push((s, prev_line.map_or(s, |p| p.1)));
            }
            prev_line = None;
            continue;
        }
        let indented = content.starts_with("   ") || content.starts_with('\t');
        let breaks = match prev_line {
            None => true,
            Some((ps, pe)) => {
                is_list_marker_line(content)
                    || is_list_marker_line(&text[ps..pe])
                    || indented
                    || (ends_like_heading(&text[ps..pe])
                        && !content.trim_start().starts_with(char::is_lowercase))
            }
        };
        if breaks {
            if let Some(s) = start.take() {
                out.push((s, prev_line.map_or(s, |p| p.1)));
            }
            start = Some(ls);
        }
        prev_line = Some((ls, le));
    }
    if let Some(s) = start {
        out.push((s, prev_line.map_or(text.len(), |p| p.1)));
    }
    out
}

/// A short line without closing punctuation followed by a line break is a
/// heading, caption or menu item in captured web pages, not wrapped prose.
fn ends_like_heading(line: &str) -> bool {
    let t = line.trim();
    let n = t.chars().count();
    if n == 0 || n > 60 {
        return false;
    }
    let last = t.chars().next_back().unwrap_or(' ');
    let last_word = t.rsplit(' ').next().unwrap_or("");
    (last.is_alphanumeric() || CLOSERS.contains(&last))
        && t.split_whitespace().count() <= 8
        && !eq_any(
            last_word,
            &[
                "and", "or", "of", "the", "a", "an", "to", "in", "on", "for", "with", "by",
            ],
        )
}

fn push_trimmed(text: &str, s: usize, e: usize, out: &mut Vec<(u32, u32)>) {
    let seg = &text[s..e];
    let lead = seg.len() - seg.trim_start().len();
    let trail = seg.len() - seg.trim_end().len();
    let (s2, e2) = (s + lead, e - trail);
    if s2 < e2 {
        out.push((s2 as u32, e2 as u32));
    }
}

/// The word immediately before byte `p`, without leading opening punctuation.
fn word_before(block: &str, p: usize) -> &str {
    let head = &block[..p];
    let ws = head
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    head[ws..].trim_start_matches(|c: char| !c.is_alphanumeric())
}

fn word_at(block: &str, p: usize) -> &str {
    let tail = &block[p..];
    let tail = tail.trim_start_matches(['"', '\'', '\u{201c}', '\u{2018}', '(', '[']);
    let end = tail
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '\''))
        .map_or(tail.len(), |(i, _)| i);
    &tail[..end]
}

fn eq_any(word: &str, list: &[&str]) -> bool {
    list.iter().any(|a| a.eq_ignore_ascii_case(word))
}

/// Whether a single period ending `prev` (followed by whitespace and then
/// `next_word` starting with `nc`) closes the sentence.
fn period_ends_sentence(prev: &str, nc: char, next_word: &str) -> bool {
    if nc.is_lowercase() {
        return false;
    }
    let bare = prev.trim_end_matches('.');
    if bare.is_empty() {
        return true;
    }
    let mut chars = bare.chars();
    let first = chars.next().unwrap_or(' ');
    if chars.next().is_none() && first.is_uppercase() {
        // An initial as in "J. R. Smith".
        return false;
    }
    if eq_any(bare, NON_FINAL_ABBREVS) {
        return false;
    }
    let starter = SENTENCE_STARTERS.contains(&next_word);
    if bare.contains('.') && bare.chars().all(|c| c.is_alphabetic() || c == '.') {
        // Dotted acronyms such as "U.S." are usually mid-sentence.
        return starter;
    }
    if eq_any(bare, MAYBE_FINAL_ABBREVS) {
        return starter || !nc.is_alphabetic();
    }
    true
}

fn split_block(text: &str, bs: usize, be: usize, out: &mut Vec<(u32, u32)>) {
    let block = &text[bs..be];
    let mut sent_start = 0usize;
    let mut quotes_in_sentence = 0usize;
    let mut iter = block.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c == '"' {
            quotes_in_sentence += 1;
        }
        if !is_terminal(c) {
            continue;
        }
        // Swallow the whole run of terminal punctuation ("?!", "...").
        let mut j = i + c.len_utf8();
        let mut run = 1;
        while let Some(&(k, d)) = iter.peek() {
            if is_terminal(d) {
                j = k + d.len_utf8();
                run += 1;
                iter.next();
            } else {
                break;
            }
        }
        // Closing quotes and brackets after the stop belong to this sentence.
        while let Some(&(k, d)) = iter.peek() {
            if CLOSERS.contains(&d) {
                if d == '"' {
                    quotes_in_sentence += 1;
                }
                j = k + d.len_utf8();
                iter.next();
            } else {
                break;
            }
        }
        if j >= block.len() {
            break;
        }
        let next = block[j..].chars().next().unwrap_or(' ');
        let boundary_end;
        if next.is_whitespace() {
            let mut k = j + block[j..].len() - block[j..].trim_start().len();
            if k >= block.len() {
                break;
            }
            let mut end = j;
            // A quote standing alone after the stop closes an open quotation.
            if block[k..].starts_with('"') && quotes_in_sentence % 2 == 1 {
                let after = block[k + 1..].chars().next();
                if after.is_none_or(|a| a.is_whitespace()) {
                    end = k + 1;
                    k = end + block[end..].len() - block[end..].trim_start().len();
                    if k >= block.len() {
                        break;
                    }
                }
            }
            let nc = block[k..].chars().next().unwrap_or(' ');
            let next_word = word_at(block, k);
            let ends = if c == '.' && run == 1 {
                period_ends_sentence(word_before(block, i), nc, next_word)
            } else if c == '.' || c == '\u{2026}' {
                nc.is_uppercase() || nc == '"' || nc == '\u{201c}'
            } else {
                !nc.is_lowercase()
            };
            if !ends {
                continue;
            }
            boundary_end = end;
            push_trimmed(text, bs + sent_start, bs + boundary_end, out);
            sent_start = k;
            quotes_in_sentence = 0;
            // Re-sync the iterator with the new sentence start.
            while let Some(&(p, _)) = iter.peek() {
                if p >= k {
                    break;
                }
                iter.next();
            }
        } else if c == '.' && run == 1 && next.is_uppercase() && glued_boundary(block, i, j) {
            push_trimmed(text, bs + sent_start, bs + j, out);
            sent_start = j;
            quotes_in_sentence = 0;
        }
    }
    push_trimmed(text, bs + sent_start, be, out);
}

/// "profit.The" in scraped text: a lowercase word, a period, then a
/// capitalised word with lowercase letters. Excludes "U.S.A" and "Node.JS".
fn glued_boundary(block: &str, dot: usize, next: usize) -> bool {
    let prev = word_before(block, dot);
    let lower_tail = prev.chars().rev().take_while(|c| c.is_lowercase()).count();
    if lower_tail < 2 || prev.contains('.') || prev.contains('@') || prev.contains('/') {
        return false;
    }
    let mut nw = block[next..].chars();
    let a = nw.next().unwrap_or(' ');
    let b = nw.next().unwrap_or(' ');
    a.is_uppercase() && b.is_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<&str> {
        sentences(t)
            .into_iter()
            .map(|(s, e)| &t[s as usize..e as usize])
            .collect()
    }

    #[test]
    fn abbreviations_do_not_split() {
        let t = "Brig. Gen. John Smith and Lt. Gen. Ann Lee met Maj. Gen. Bo Li. Mr. Jones and Dr. Who went to the U.S. embassy on Jan. 5 and Feb. 6. No. 10 is on St. James St. in London. J. R. R. Tolkien wrote it.";
        let s = texts(t);
        assert_eq!(
            s,
            vec![
                "Brig. Gen. John Smith and Lt. Gen. Ann Lee met Maj. Gen. Bo Li.",
                "Mr. Jones and Dr. Who went to the U.S. embassy on Jan. 5 and Feb. 6.",
                "No. 10 is on St. James St. in London.",
                "J. R. R. Tolkien wrote it."
            ]
        );
    }

    #[test]
    fn acronym_then_sentence_starter_splits() {
        let s = texts("He flew to the U.S. The trip was long. The U.N. Security Council met.");
        assert_eq!(
            s,
            vec![
                "He flew to the U.S.",
                "The trip was long.",
                "The U.N. Security Council met."
            ]
        );
    }

    #[test]
    fn closing_quotes_stay_with_sentence() {
        let s = texts("\"We will win.\" He smiled. She said: \"No!\" Then left.");
        assert_eq!(
            s,
            vec![
                "\"We will win.\"",
                "He smiled.",
                "She said: \"No!\"",
                "Then left."
            ]
        );
    }

    #[test]
    fn stray_quote_attaches_to_open_quotation() {
        let s = texts("He said \"we are done . \" Then he left.");
        assert_eq!(s, vec!["He said \"we are done . \"", "Then he left."]);
    }

    #[test]
    fn paragraphs_lists_and_glued_words() {
        let t = "Title line here\n\nFirst para ends here.Next sentence starts\nand wraps here.\n\n- item one\n- item two\n1. numbered item";
        let s = texts(t);
        assert_eq!(
            s,
            vec![
                "Title line here",
                "First para ends here.",
                "Next sentence starts\nand wraps here.",
                "- item one",
                "- item two",
                "1. numbered item"
            ]
        );
    }

    #[test]
    fn numbers_and_ellipsis() {
        let s = texts("Profit rose 3.5 percent... Shares fell. Was it 1,000.5? yes it was.");
        assert_eq!(
            s,
            vec![
                "Profit rose 3.5 percent...",
                "Shares fell.",
                "Was it 1,000.5? yes it was."
            ]
        );
    }

    #[test]
    fn spans_are_sorted_char_boundaries() {
        let t = "Él dijo «hola». Ça va? Пётр ушёл.\n\nNaïve café — fin. 東京。";
        let s = sentences(t);
        assert!(!s.is_empty());
        let mut last = 0;
        for &(a, b) in &s {
            assert!(a < b && a >= last);
            assert!(t.is_char_boundary(a as usize) && t.is_char_boundary(b as usize));
            last = b;
        }
    }
}
