//! Penn-Treebank-like tokenisation over byte spans of the original text.

/// Words whose trailing period is part of the token.
const ABBREVS: &[&str] = &[
    "mr", "mrs", "ms", "messrs", "dr", "prof", "gen", "brig", "lt", "maj", "col", "capt", "cmdr",
    "cdr", "sgt", "cpl", "pvt", "adm", "gov", "sen", "rep", "rev", "hon", "pres", "supt", "insp",
    "det", "fr", "sr", "jr", "st", "mt", "ft", "no", "nos", "vol", "fig", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed",
    "thu", "thur", "thurs", "fri", "sat", "sun", "vs", "v", "approx", "dept", "univ", "assn",
    "est", "inc", "corp", "co", "ltd", "plc", "bros", "llc", "etc", "al", "cf", "pp", "ave",
    "blvd", "rd", "mln", "bln", "pct", "dec", "govt",
];

fn is_opening(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '\u{201c}'
            | '\u{2018}'
            | '('
            | '['
            | '{'
            | '<'
            | '\u{ab}'
            | '`'
            | '$'
            | '\u{a3}'
            | '\u{20ac}'
            | '\u{a5}'
            | '#'
            | '\u{bf}'
            | '\u{a1}'
            | '*'
            | '\u{2022}'
    )
}

fn is_trailing(c: char) -> bool {
    matches!(
        c,
        ',' | ';'
            | ':'
            | '!'
            | '?'
            | ')'
            | ']'
            | '}'
            | '>'
            | '"'
            | '\''
            | '\u{201d}'
            | '\u{2019}'
            | '\u{bb}'
            | '\u{2026}'
            | '%'
            | '*'
    )
}

/// Splits one sentence span of `text` into token spans.
pub fn tokens(text: &str, sentence: (u32, u32)) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    tokens_into(text, sentence, &mut out);
    out
}

/// Like [`tokens`] but appends to `out`, so callers can reuse a buffer.
pub fn tokens_into(text: &str, sentence: (u32, u32), out: &mut Vec<(u32, u32)>) {
    let (s, e) = (sentence.0 as usize, sentence.1 as usize);
    let seg = &text[s..e];
    let mut start: Option<usize> = None;
    for (i, c) in seg.char_indices() {
        if c.is_whitespace() {
            if let Some(st) = start.take() {
                chunk(text, s + st, s + i, out);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        chunk(text, s + st, e, out);
    }
}

fn push(out: &mut Vec<(u32, u32)>, a: usize, b: usize) {
    if a < b {
        out.push((a as u32, b as u32));
    }
}

fn looks_like_url(w: &str) -> bool {
    let l = w.trim_start_matches(['(', '<', '"', '\'']);
    l.starts_with("http://")
        || l.starts_with("https://")
        || l.starts_with("www.")
        || l.starts_with("ftp://")
}

fn looks_like_email(w: &str) -> bool {
    match w.find('@') {
        Some(at) if at > 0 => {
            let dom = &w[at + 1..];
            dom.contains('.') && dom.chars().next().is_some_and(|c| c.is_alphanumeric())
        }
        _ => false,
    }
}

fn chunk(text: &str, a: usize, b: usize, out: &mut Vec<(u32, u32)>) {
    let w = &text[a..b];
    // Most words are plain letters and digits, which no rule below splits.
    if w.bytes().all(|c| c.is_ascii_alphanumeric()) {
        push(out, a, b);
        return;
    }
    // Leading openers, one token each.
    let mut lo = a;
    let mut trailing: Vec<(usize, usize)> = Vec::new();
    loop {
        let rest = &text[lo..b];
        let c = match rest.chars().next() {
            Some(c) => c,
            None => return,
        };
        if (c == '\'' || c == '\u{2019}') && is_clitic(&rest[c.len_utf8()..]) {
            break;
        }
        if c == '-' && rest.starts_with("--") {
            let n = rest.bytes().take_while(|&x| x == b'-').count();
            push(out, lo, lo + n);
            lo += n;
            continue;
        }
        if is_opening(c) && rest.len() > c.len_utf8() {
            push(out, lo, lo + c.len_utf8());
            lo += c.len_utf8();
            continue;
        }
        break;
    }
    let mut hi = b;
    let special = looks_like_url(w) || looks_like_email(w);
    // Trailing punctuation, peeled from the end.
    loop {
        let rest = &text[lo..hi];
        let c = match rest.chars().next_back() {
            Some(c) => c,
            None => break,
        };
        if rest.len() == c.len_utf8() {
            break;
        }
        if c == '.' {
            let dots = rest.bytes().rev().take_while(|&x| x == b'.').count();
            if dots == rest.len() {
                break;
            }
            if dots == 1 && !special && is_abbrev(&rest[..rest.len() - 1]) {
                break;
            }
            trailing.push((hi - dots, hi));
            hi -= dots;
            continue;
        }
        if is_trailing(c) || (special && c == '.') {
            // Keep "Jones'" style possessives as one quote token split off.
            trailing.push((hi - c.len_utf8(), hi));
            hi -= c.len_utf8();
            continue;
        }
        break;
    }
    if special {
        push(out, lo, hi);
    } else {
        core(text, lo, hi, out);
    }
    for &(x, y) in trailing.iter().rev() {
        push(out, x, y);
    }
}

fn is_clitic(s: &str) -> bool {
    ["s", "re", "ve", "ll", "d", "m", "t"]
        .iter()
        .any(|c| c.eq_ignore_ascii_case(s))
}

fn is_abbrev(w: &str) -> bool {
    if w.is_empty() {
        return false;
    }
    let mut cs = w.chars();
    let first = cs.next().unwrap_or(' ');
    if cs.next().is_none() {
        return first.is_alphabetic();
    }
    if w.contains('.')
        && w.split('.')
            .all(|p| p.chars().count() <= 2 && !p.is_empty())
    {
        return w.chars().all(|c| c.is_alphabetic() || c == '.');
    }
    ABBREVS.iter().any(|x| x.eq_ignore_ascii_case(w))
}

/// Splits the inside of a whitespace chunk: clitics, internal punctuation.
fn core(text: &str, a: usize, b: usize, out: &mut Vec<(u32, u32)>) {
    if a >= b {
        return;
    }
    let w = &text[a..b];
    let bytes = w.as_bytes();
    let mut seg_start = 0usize;
    let mut i = 0usize;
    while i < bytes.len() {
        let c = bytes[i];
        let prev_digit = i > 0 && bytes[i - 1].is_ascii_digit();
        let next_digit = i + 1 < bytes.len() && bytes[i + 1].is_ascii_digit();
        let split = match c {
            b',' | b':' => !(prev_digit && next_digit),
            b';' | b'(' | b')' | b'[' | b']' | b'"' | b'!' | b'?' => true,
            b'-' => i + 1 < bytes.len() && bytes[i + 1] == b'-',
            _ => false,
        };
        if split && !(i == 0 && c == b'-') {
            clitics(text, a + seg_start, a + i, out);
            let mut j = i + 1;
            if c == b'-' {
                while j < bytes.len() && bytes[j] == b'-' {
                    j += 1;
                }
            }
            push(out, a + i, a + j);
            seg_start = j;
            i = j;
            continue;
        }
        i += 1;
    }
    clitics(text, a + seg_start, b, out);
}

fn clitics(text: &str, a: usize, b: usize, out: &mut Vec<(u32, u32)>) {
    if a >= b {
        return;
    }
    let w = &text[a..b];
    let bytes = w.as_bytes();
    let n = bytes.len();
    // "n't" with either apostrophe, after at least one other character.
    let ends_nt = |apo: &[u8]| {
        let tail = apo.len() + 2;
        n > tail
            && bytes[n - tail].eq_ignore_ascii_case(&b'n')
            && &bytes[n - tail + 1..n - 1] == apo
            && bytes[n - 1].eq_ignore_ascii_case(&b't')
    };
    for apo in ["'", "\u{2019}"] {
        if ends_nt(apo.as_bytes()) {
            let cut = n - apo.len() - 2;
            push(out, a, a + cut);
            push(out, a + cut, b);
            return;
        }
    }
    if let Some(p) = w.rfind(['\'', '\u{2019}']) {
        let apo_len = w[p..].chars().next().map_or(1, char::len_utf8);
        if p > 0 && is_clitic(&w[p + apo_len..]) {
            push(out, a, a + p);
            push(out, a + p, b);
            return;
        }
    }
    push(out, a, b);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(t: &str) -> Vec<&str> {
        tokens(t, (0, t.len() as u32))
            .into_iter()
            .map(|(s, e)| &t[s as usize..e as usize])
            .collect()
    }

    #[test]
    fn penn_like_splits() {
        assert_eq!(
            toks("The U.S. didn't pay John's $1,000.5 (about 3%) fee, \"he\" said. Can’t"),
            vec![
                "The", "U.S.", "did", "n't", "pay", "John", "'s", "$", "1,000.5", "(", "about",
                "3", "%", ")", "fee", ",", "\"", "he", "\"", "said", ".", "Ca", "n’t"
            ]
        );
    }

    #[test]
    fn urls_emails_hyphens() {
        assert_eq!(
            toks("See https://example.com/a?b=1, mail info@acme.co.uk. A well-known state-run firm--really."),
            vec![
                "See",
                "https://example.com/a?b=1",
                ",",
                "mail",
                "info@acme.co.uk",
                ".",
                "A",
                "well-known",
                "state-run",
                "firm",
                "--",
                "really",
                "."
            ]
        );
    }

    #[test]
    fn abbreviations_keep_period() {
        assert_eq!(
            toks("Brig. Gen. J. Smith of Acme Inc. met Mr. Li at 10:30 on Jan. 5..."),
            vec![
                "Brig.", "Gen.", "J.", "Smith", "of", "Acme", "Inc.", "met", "Mr.", "Li", "at",
                "10:30", "on", "Jan.", "5", "..."
            ]
        );
    }

    #[test]
    fn spans_on_char_boundaries_and_sorted() {
        let t = "«Pérez» dijo: ‘no’ — São Paulo’s café, 東京 etc.";
        let ts = tokens(t, (0, t.len() as u32));
        let mut last = 0;
        for &(a, b) in &ts {
            assert!(a < b && a >= last, "{ts:?}");
            assert!(t.is_char_boundary(a as usize) && t.is_char_boundary(b as usize));
            last = b;
        }
        assert!(toks(t).contains(&"Pérez"));
        assert!(toks(t).contains(&"São"));
    }
}
