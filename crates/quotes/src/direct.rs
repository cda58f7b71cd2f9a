//! Finding direct quotations from quotation marks alone.
//!
//! Real news text mixes straight, curly, single and guillemet marks, drops
//! closing marks, uses `’` as an apostrophe and reopens a mark at the start of
//! every paragraph of a long quote. Marks are therefore classified by what
//! flanks them rather than by glyph alone, and pairing happens per paragraph
//! with an explicit rule for paragraph-spanning quotes.

use crate::text::char_before;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Family {
    Double,
    Single,
    Guillemet,
}

#[derive(Clone, Copy, Debug)]
struct Mark {
    pos: usize,
    len: usize,
    family: Family,
    can_open: bool,
    can_close: bool,
}

/// A span enclosed in quotation marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DirectSpan {
    /// Offset of the opening mark (or of the paragraph start for a quote
    /// whose opening mark is missing).
    pub open: u32,
    /// Offset just past the closing mark (or the paragraph end when the
    /// quote never closes).
    pub close: u32,
    /// Text between the marks, whitespace-trimmed.
    pub content: (u32, u32),
    /// Opening or closing mark was missing.
    pub unbalanced: bool,
}

fn is_space_or_none(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_whitespace())
}

fn is_open_context(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '[' | '{' | '—' | '–' | '-' | '/'))
}

/// Classifies the mark `c` at `pos`, `len` bytes long (a doubled apostrophe `''` stands for
/// `"` and is two bytes).
fn classify(text: &str, pos: usize, c: char, len: usize) -> Option<Mark> {
    let before = char_before(text, pos);
    let after = text[pos + len..].chars().next();
    let prev_space = is_open_context(before);
    let next_space = is_space_or_none(after);
    let next_word = after.is_some_and(|a| !a.is_whitespace());
    let prev_word = before.is_some_and(|b| !b.is_whitespace());
    let letter = |x: Option<char>| x.is_some_and(|x| x.is_alphanumeric());
    let mk = |family, can_open, can_close| {
        Some(Mark {
            pos,
            len,
            family,
            can_open,
            can_close,
        })
    };
    match c {
        '"' | '“' | '”' | '„' => {
            // Between two letters it is a stray mark (typo or inch sign).
            if letter(before) && letter(after) {
                return None;
            }
            let open = prev_space && next_word;
            let close = prev_word && (next_space || !letter(after));
            match (open, close) {
                (true, false) => mk(Family::Double, true, false),
                (false, true) => mk(Family::Double, false, true),
                // Ambiguous flanking ("—" on both sides, start of a line
                // after punctuation): trust the glyph for curly marks.
                (true, true) | (false, false) => match c {
                    '“' | '„' => mk(Family::Double, true, false),
                    '”' => mk(Family::Double, false, true),
                    _ if before.is_some_and(|b| matches!(b, '(' | '[' | ':' | ',')) => {
                        mk(Family::Double, true, false)
                    }
                    _ if !next_space && !prev_space => mk(Family::Double, true, true),
                    // Spaced off a closing single mark or the quote's last punctuation:
                    // "… the term 'outreach,' " he said.
                    _ if next_space
                        && text[..pos]
                            .trim_end()
                            .ends_with(['\'', '’', ',', '.', '?', '!']) =>
                    {
                        mk(Family::Double, false, true)
                    }
                    _ => None,
                },
            }
        }
        // ``…'' as in wire copy and newspaper archives.
        '`' if next_word => mk(Family::Double, true, false),
        '«' => mk(Family::Guillemet, true, false),
        '»' => mk(Family::Guillemet, false, true),
        '‘' | '’' | '\'' => {
            // Apostrophes: inside words, or decade abbreviations like ’90s.
            if letter(before) && letter(after) {
                return None;
            }
            if after.is_some_and(|a| a.is_ascii_digit()) {
                return None;
            }
            let open = (prev_space || before.is_some_and(|b| matches!(b, '"' | '“')))
                && letter(after)
                && c != '’';
            let close = before.is_some_and(|b| b.is_alphanumeric() || ".,!?".contains(b))
                && !letter(after)
                && c != '‘';
            if open || close {
                mk(Family::Single, open, close)
            } else {
                None
            }
        }
        _ => None,
    }
}

fn marks_in(text: &str, s: usize, e: usize) -> Vec<Mark> {
    let mut out = Vec::new();
    let mut skip_to = s;
    for (off, c) in text[s..e].char_indices() {
        let pos = s + off;
        if pos < skip_to {
            continue;
        }
        // Doubled apostrophes and backquotes are one double mark.
        let doubled = matches!(c, '\'' | '`') && text[pos + 1..e].starts_with(c);
        let m = if doubled {
            skip_to = pos + 2;
            classify(text, pos, if c == '`' { '`' } else { '"' }, 2)
        } else if matches!(c, '"' | '“' | '”' | '„' | '«' | '»' | '‘' | '’' | '\'') {
            classify(text, pos, c, c.len_utf8())
        } else {
            None
        };
        out.extend(m);
    }
    out
}

fn content_between(text: &str, s: usize, e: usize) -> (u32, u32) {
    let (a, b) = crate::text::trim_span(text, s, e.max(s));
    (a as u32, b as u32)
}

/// Does the paragraph start with an opening mark of this family?
fn reopens(text: &str, para: (u32, u32), family: Family) -> Option<Mark> {
    let s = para.0 as usize;
    if s >= para.1 as usize {
        return None;
    }
    // The first two chars hold any opening mark (`` is two).
    let end = text[s..para.1 as usize]
        .char_indices()
        .nth(2)
        .map_or(para.1 as usize, |(i, _)| s + i);
    marks_in(text, s, end)
        .into_iter()
        .next()
        .filter(|m| m.pos == s && m.family == family && m.can_open)
}

/// All top-level direct quotations in `text`, given its paragraphs.
///
/// Quotes nested in other quotes stay part of the outer content. Single
/// marks are only accepted in matched pairs because an unmatched `’` is far
/// more often an apostrophe than a quotation that never closes.
pub(crate) fn direct_quotes(text: &str, paras: &[(u32, u32)]) -> Vec<DirectSpan> {
    let mut out = Vec::new();
    // A quote carried over from the previous paragraph: (open mark).
    let mut carried: Option<Mark> = None;
    for (pi, &(ps, pe)) in paras.iter().enumerate() {
        let (ps, pe) = (ps as usize, pe as usize);
        let marks = marks_in(text, ps, pe);
        let mut open: Option<Mark> = None;
        let mut skip_first = false;
        if let Some(c) = carried.take() {
            open = Some(c);
            // The reopening mark is typographic, not a new quotation.
            skip_first = true;
        }
        let mut any_closed_here = false;
        for (mi, m) in marks.iter().enumerate() {
            if skip_first && mi == 0 && m.pos == ps {
                continue;
            }
            match open {
                None => {
                    if m.can_open && (!m.can_close || starts_quote_ok(&marks, mi)) {
                        open = Some(*m);
                    } else if m.can_close
                        && m.family == Family::Double
                        && !any_closed_here
                        && orphan_close_ok(text, ps, m.pos)
                    {
                        // A closing mark with no opener in this paragraph:
                        // the opener was dropped, so the quote starts the
                        // paragraph.
                        out.push(DirectSpan {
                            open: ps as u32,
                            close: (m.pos + m.len) as u32,
                            content: content_between(text, ps, m.pos),
                            unbalanced: true,
                        });
                        any_closed_here = true;
                    }
                }
                Some(o) => {
                    if m.family == o.family && m.can_close {
                        out.push(DirectSpan {
                            open: o.pos as u32,
                            close: (m.pos + m.len) as u32,
                            content: content_between(text, o.pos + o.len, m.pos),
                            unbalanced: false,
                        });
                        any_closed_here = true;
                        open = None;
                    } else if m.family == o.family && m.can_open && o.family != Family::Single {
                        // Two openers in a row: the first never closed.
                        out.push(DirectSpan {
                            open: o.pos as u32,
                            close: m.pos as u32,
                            content: content_between(text, o.pos + o.len, m.pos),
                            unbalanced: true,
                        });
                        open = Some(*m);
                    }
                }
            }
        }
        if let Some(o) = open {
            if o.family == Family::Single {
                // Unclosed single marks were apostrophes after all.
                continue;
            }
            if let Some(next) = paras.get(pi + 1) {
                if reopens(text, *next, o.family).is_some() {
                    carried = Some(o);
                    continue;
                }
            }
            out.push(DirectSpan {
                open: o.pos as u32,
                close: pe as u32,
                content: content_between(text, o.pos + o.len, pe),
                unbalanced: true,
            });
        }
    }
    out.retain(|d| d.content.0 < d.content.1);
    out
}

/// A straight mark that could open or close opens only if a closer follows.
fn starts_quote_ok(marks: &[Mark], i: usize) -> bool {
    marks[i + 1..]
        .iter()
        .any(|m| m.family == marks[i].family && m.can_close)
}

/// A lone closing mark means a dropped opener only when it ends a clause
/// (`…,”` / `….”`), which excludes inch signs and stray typos.
fn orphan_close_ok(text: &str, para_start: usize, pos: usize) -> bool {
    let before = char_before(text, pos);
    before.is_some_and(|b| matches!(b, ',' | '.' | '!' | '?'))
        && text[para_start..pos].split_whitespace().count() >= 3
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::paragraphs;

    fn contents(t: &str) -> Vec<(&str, bool)> {
        direct_quotes(t, &paragraphs(t))
            .iter()
            .map(|d| (&t[d.content.0 as usize..d.content.1 as usize], d.unbalanced))
            .collect()
    }

    #[test]
    fn all_mark_styles() {
        let t = "He said \"straight one\" and “curly one” and «guillemet one» and ‘single one’.";
        assert_eq!(
            contents(t),
            vec![
                ("straight one", false),
                ("curly one", false),
                ("guillemet one", false),
                ("single one", false)
            ]
        );
    }

    #[test]
    fn apostrophes_and_stray_marks_are_not_quotes() {
        let t = "The voters’ mood in the ’90s wasn’t the 5\"x7 kind of thing.";
        assert!(contents(t).is_empty());
    }

    #[test]
    fn nested_single_stays_inside_double() {
        let t = "“They told me ‘go home’ twice,” she said.";
        assert_eq!(contents(t), vec![("They told me ‘go home’ twice,", false)]);
    }

    #[test]
    fn unclosed_quote_runs_to_paragraph_end() {
        let t = "She said: “We are not leaving this town\n\nNext paragraph here.";
        assert_eq!(contents(t), vec![("We are not leaving this town", true)]);
    }

    #[test]
    fn paragraph_spanning_quote() {
        let t = "“First part of it.\n\n“Second part of it.\n\n“Third and last.”\n\nAfter.";
        let q = direct_quotes(t, &paragraphs(t));
        assert_eq!(q.len(), 1);
        let c = &t[q[0].content.0 as usize..q[0].content.1 as usize];
        assert!(c.starts_with("First part") && c.ends_with("last."));
    }

    #[test]
    fn dropped_opener() {
        let t = "We will win this fight,” the mayor said.";
        assert_eq!(contents(t), vec![("We will win this fight,", true)]);
    }
}
