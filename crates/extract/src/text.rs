//! Cleaning of text captured from web pages: the page's header and footer lines are removed by
//! their shape and position, and what they say (dates, credit lines, posters) is kept as
//! metadata evidence.
//!
//! The page is read as lines. The *header* runs until the first line that reads as body prose;
//! the *footer* starts after the last such line. Short lines in those zones are dates, IDs,
//! titles, slogans, captions, credits and form labels; in the body only teasers ("READ: …") and
//! captions are removed. Nothing here names a particular site.

use std::sync::LazyLock;

use regex::Regex;

use crate::dates::{find_dates, FoundDate};
use crate::outlets::{self, Outlet};

/// A date printed in the header or footer of a page.
#[derive(Clone, Debug)]
pub struct DateLine {
    pub found: FoundDate,
    /// The whole line, kept as evidence.
    pub line: String,
    /// Index of the line in the page.
    pub index: usize,
    /// The line labels the date as a publication ("Published", "Posted on").
    pub labelled_published: bool,
    /// The line labels the date as an update ("Updated", "Last modified").
    pub labelled_updated: bool,
    /// The date stood alone on the first line, above other header lines: a masthead banner
    /// showing today's date rather than the article's.
    pub banner: bool,
    /// The date stood below the last line of prose, in the page's tail.
    pub in_tail: bool,
}

/// A credit naming the outlet that wrote the story.
#[derive(Clone, Debug)]
pub struct Credit {
    pub outlet: String,
    pub known: Option<&'static Outlet>,
    pub line: String,
}

#[derive(Clone, Debug, Default)]
pub struct Cleaned {
    pub text: String,
    pub title: Option<String>,
    pub dates: Vec<DateLine>,
    pub credit: Option<Credit>,
    /// The outlet whose masthead slogan headed the page.
    pub masthead: Option<(&'static Outlet, String)>,
    /// "Posted by X", "By X": the person (or account) that posted the page.
    pub poster: Option<String>,
    /// Lines removed, with the rule that removed them.
    pub removed: Vec<(String, &'static str)>,
}

#[derive(Clone)]
struct Rules {
    date_label: Regex,
    updated_label: Regex,
    posted: Regex,
    id_line: Regex,
    teaser: Regex,
    teaser_label: Regex,
    caption: Regex,
    dateline_credit: Regex,
    by_line: Regex,
    prefix_credit: Regex,
    ui_line: Regex,
    reading_time: Regex,
    form_label: Regex,
    promo: Regex,
}

/// "Read also" in the other languages news pages use most.
const TEASER_WORDS: &str = r"lea(?:\s+(?:también|más|además))?|vea\s+también|lee\s+también|mira|(?:à\s+)?lire\s+(?:aussi|également)|voir\s+aussi|lesen\s+sie\s+(?:auch|mehr)(?:\s+die\s+folgenden\s+beiträge)?|auch\s+lesen|(?:zum\s+)?weiterlesen|mehr\s+zum\s+thema|auch\s+interessant|leia\s+(?:também|mais)|veja\s+também|leggi\s+anche|czytaj\s+(?:też|także|więcej)|zobacz\s+(?:też|także)";

/// Headings over lists of other stories.
const TEASER_HEADINGS: &str = r"vous\s+aimerez\s+aussi|sur\s+le\s+même\s+sujet|weitere\s+(?:artikel|beiträge|themen)(?:\s+zum\s+thema)?|mehr\s+themen|neueste\s+artikel|empfohlene\s+(?:artikel|beiträge)|das\s+(?:könnte|dürfte)\s+(?:dich|sie)\s+auch\s+interessieren|videos\s+zum\s+thema|contenido\s+relacionado|noticias\s+relacionadas|(?:le|te)\s+puede\s+interesar|notícias\s+relacionadas|articoli\s+correlati";

static RULES: LazyLock<Rules> = LazyLock::new(|| {
    Rules {
    date_label: Regex::new(r"(?i)^\s*(?:date|published|posted|posted on|publication date|pubished on|on)\s*:?\s*").unwrap(),
    updated_label: Regex::new(r"(?i)\b(?:updated|last modified|modified|last update)\b").unwrap(),
    // "Posted on by someone", "Posted on May 9, 2023 by someone", "Posted by someone"
    posted: Regex::new(r"(?i)\bposted\s+(?:on\s+)?(?:.*?\s)?by\s+([^\s].{0,60}?)\s*$").unwrap(),
    id_line: Regex::new(r"(?i)^\s*(?:story|news|article|post|content)?\s*(?:code|id|no\.?|number)\s*[:#]?\s*\d{3,}\s*$").unwrap(),
    teaser: Regex::new(&format!(r"(?i)^\s*(?:read(?:\s+more|\s+also)?|also\s+read|related(?:\s+news|\s+articles?)?|see\s+also|more|recommended|watch|listen|opinion|{TEASER_WORDS})\s*[:»>|-]\s*\S")).unwrap(),
    teaser_label: Regex::new(&format!(r"(?i)^\s*(?:read(?:\s+more|\s+also)?|also\s+read|related(?:\s+news|\s+articles?|\s+stories)?|see\s+also|more\s+on\s+this|recommended|tags?|keywords?|{TEASER_WORDS}|{TEASER_HEADINGS})\s*:?\s*$")).unwrap(),
    // "… Ashtiani [Twitter]", "(Photo: AFP)", "Photo: …", "File photo …"
    caption: Regex::new(r"(?i)(?:\[[^\]]{1,40}\]\s*$|\((?:photo|image|file|picture|credit)[^)]{0,60}\)\s*$|^\s*(?:photo|image|file photo|picture|caption)\s*(?:credit)?\s*[:/-])").unwrap(),
    // "TEHRAN (Tasnim) –", "Tehran(IP)-", "LONDON, May 10 (Reuters) -"
    // The place and the name are bounded in characters after the match (`bounded`): a bounded
    // repetition of a Unicode class is compiled as that many copies of it, which made these two
    // patterns most of the cost of starting a run.
    dateline_credit: Regex::new(r"^\s*[A-Z](?<place>[\p{L}.' -]+?)(?:,[^()]{1,30})?\s*\((?<credit>[^()]{1,40})\)\s*[-–—:]").unwrap(),
    by_line: Regex::new(r"^\s*(?i:by)\s+(?<name>\p{Lu}[\p{L}.'’ -]+?)\s*$").unwrap(),
    // "Islam Times - …", "Iran PressIran News: …"
    prefix_credit: Regex::new(r"^\s*((?:\p{Lu}[\p{L}]*\s*){1,6}?)\s*(?:[-–—|]\s+|:\s*)").unwrap(),
    ui_line: Regex::new(r"(?i)^\s*(?:advertisement|advertising|anzeige|werbung|publicit[ée]|publicidad|pubblicit[àa]|reklama|share(?: this(?: article| story)?)?|print|tweet|email|subscribe(?: now)?|sign up.*|click here.*|follow us.*|all rights reserved.*|copyright\b.*|©.*|comments?|leave a (?:reply|comment)|send|submit|back to top)\s*:?\s*$").unwrap(),
    // "4 min read", "Lesezeit: 3 Minuten", "Temps de lecture : 5 min"
    reading_time: Regex::new(r"(?i)^\s*(?:(?:reading time|read time|lesezeit|lesedauer|temps de lecture|tiempo de lectura|tempo di lettura|czas czytania)\s*:?\s*(?:ca\.?\s*)?\d+\s*(?:min(?:ute)?s?|minuten|minutos?|minuti|minut)\.?|\d+\s*(?:min(?:ute)?s?|minuten)\.?\s+(?:read|lesezeit|lesedauer|de lecture|de lectura|di lettura))\s*$").unwrap(),
    form_label: Regex::new(r"(?i)^\s*(?:your\s+)?(?:name|e-?mail(?:\s+address)?|comment|message|website|captcha)\s*\*?\s*:?\s*$").unwrap(),
    // Subscription pitches, comment policies, sharing and app prompts, reprint notices, in the
    // languages news sites use most. Only short paragraphs: an article may discuss newsletters.
    promo: Regex::new(r"(?i)\b(?:subscribe|subscriber|subscription|sign up|signup|log in to|newsletter|follow (?:us|\w+ on (?:twitter|facebook|instagram))|download (?:the|our) [\w ]{0,20}apps?|comments? (?:are|is) moderated|leave a comment|post a comment|copyrighted property|written permission|all rights reserved|newsletter anmelden|kommentare? schreiben|in den kommentaren|registrieren sie sich|teilen mit|wird geladen|jetzt abonnieren|suscr[ií]b|susc[rí]ptor|[úu]nete|canal de telegram|abonnez|inscrivez|zaloguj|subskrybuj)\b").unwrap(),
}
});

thread_local! {
    /// This thread's copy of [`RULES`]. A `Regex` serves its search caches quickly only to the
    /// thread that first used it; other threads take theirs from a locked stack and, when it is
    /// busy, build a fresh cache (lazy automaton included) and drop it after the search. A clone
    /// shares the compiled patterns and brings a pool of its own.
    static RULES_HERE: Rules = RULES.clone();
}

/// Characters after a dateline's first letter, before its credit ("ONDON" of "LONDON (Reuters) -").
const DATELINE_PLACE_MAX: usize = 40;

/// Characters of the name in a "By …" line.
const BY_LINE_NAME_MAX: usize = 61;

/// `regex.captures(line)` when its group `name` has at most `max` characters. The patterns this
/// serves are anchored at the start and their group is the first lazy repetition (`X+?`), which
/// tries lengths from one up: when the shortest length that matches is over `max`, no length up
/// to `max` matches, so this is the pattern with `X{1,max}?` in its place.
fn bounded<'h>(
    regex: &Regex,
    line: &'h str,
    name: &str,
    max: usize,
) -> Option<regex::Captures<'h>> {
    regex.captures(line).filter(|c| {
        c.name(name)
            .is_some_and(|m| m.as_str().chars().count() <= max)
    })
}

fn words(line: &str) -> usize {
    line.split_whitespace().count()
}

/// Reads as body prose: a sentence or more.
pub(crate) fn is_prose(line: &str) -> bool {
    let n = words(line);
    let t = line.trim_end();
    let ends_sentence = t.ends_with(['.', '!', '?', '"', '”', '’', '\'', ')', ':']);
    n >= 25 || (n >= 10 && ends_sentence)
}

/// The line is (almost) nothing but a date, possibly with a label and a time.
fn date_only(line: &str) -> Option<FoundDate> {
    let dates = find_dates(line);
    let found = *dates.first()?;
    let rest = format!("{}{}", &line[..found.start], &line[found.end..]);
    let rest = RULES_HERE.with(|r| r.date_label.replace(&rest, "").into_owned());
    let leftover = rest.chars().filter(|c| c.is_alphanumeric()).count();
    (leftover <= 12).then_some(found)
}

pub fn clean(raw: &str) -> Cleaned {
    clean_with(raw, false)
}

/// [`clean`] for text a body extractor took from an HTML page's main content: the header's
/// short lines (headline, standfirst, subheads) are kept, since boilerplate was already cut by
/// markup; they are still read for the title.
pub fn clean_extracted(raw: &str) -> Cleaned {
    clean_with(raw, true)
}

fn clean_with(raw: &str, keep_header: bool) -> Cleaned {
    RULES_HERE.with(|r| clean_by(r, raw, keep_header))
}

fn clean_by(r: &Rules, raw: &str, keep_header: bool) -> Cleaned {
    let mut out = Cleaned::default();
    let lines: Vec<&str> = raw
        .lines()
        .map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}'))
        .collect();
    let first_prose = lines.iter().position(|l| is_prose(l));
    let last_prose = lines.iter().rposition(|l| is_prose(l));
    let (Some(first_prose), Some(last_prose)) = (first_prose, last_prose) else {
        // No prose at all: keep every non-empty line, as the page may be a short item.
        let mut body: Vec<String> = lines
            .iter()
            .filter(|l| !l.is_empty())
            .map(|l| l.to_string())
            .collect();
        strip_sign_off(&mut body, &mut out);
        out.text = body.join("\n\n");
        return out;
    };

    // Extracted main content ending in a long run of short lines ends in a list or a table
    // (ingredients, specifications, track lists), not in page furniture.
    let long_tail: usize = 15;
    let keep_footer = keep_header
        && lines[last_prose + 1..]
            .iter()
            .filter(|l| !l.is_empty())
            .count()
            >= long_tail;
    let mut body: Vec<String> = Vec::new();
    let mut header_short: Vec<(usize, String)> = Vec::new();
    let mut skipping_teasers = false;
    for (index, &line) in lines.iter().enumerate() {
        if line.is_empty() {
            continue;
        }
        let zone_header = index < first_prose;
        // Dates are read in the whole tail, even when its lines are kept.
        let in_tail = index > last_prose;
        let zone_footer = in_tail && !keep_footer;
        let mut line = line.to_string();

        // A date (and maybe a "Posted … by" line) glued before the first prose line.
        if index == first_prose || zone_header || in_tail {
            if let Some(found) = leading_date(&line) {
                let labelled_published = r.date_label.is_match(&line);
                let labelled_updated = r.updated_label.is_match(&line[..found.end]);
                out.dates.push(DateLine {
                    found,
                    line: line.clone(),
                    index,
                    labelled_published,
                    labelled_updated,
                    banner: false,
                    in_tail,
                });
                let rest = line[found.end..].trim_start().to_string();
                out.removed.push((line[..found.end].to_string(), "date"));
                line = rest;
                if line.is_empty() {
                    continue;
                }
            }
            if let Some(c) = r.posted.captures(&line) {
                out.poster = Some(c[1].trim().to_string());
                out.removed.push((line.clone(), "posted-by"));
                continue;
            }
        }
        if r.id_line.is_match(&line) {
            out.removed.push((line, "id-line"));
            continue;
        }
        if r.teaser.is_match(&line) && !is_prose_after_label(&line) {
            out.removed.push((line, "teaser"));
            continue;
        }
        if r.teaser_label.is_match(&line) {
            skipping_teasers = true;
            out.removed.push((line, "teaser"));
            continue;
        }
        if skipping_teasers && !is_prose(&line) {
            out.removed.push((line, "teaser"));
            continue;
        }
        skipping_teasers = false;
        if words(&line) <= 30 && r.caption.is_match(&line) && !line.ends_with('.') {
            out.removed.push((line, "caption"));
            continue;
        }
        if words(&line) <= 8
            && (r.ui_line.is_match(&line)
                || r.form_label.is_match(&line)
                || r.reading_time.is_match(&line))
        {
            out.removed.push((line, "page-furniture"));
            continue;
        }
        if words(&line) <= 25 && r.promo.is_match(&line) {
            out.removed.push((line, "promo"));
            continue;
        }
        if zone_header || zone_footer {
            if let Some(c) = bounded(&r.by_line, &line, "name", BY_LINE_NAME_MAX) {
                let name = c["name"].trim().to_string();
                match outlets::by_credit(&name) {
                    Some(o) if out.credit.is_none() => {
                        out.credit = Some(Credit {
                            outlet: o.name.to_string(),
                            known: Some(o),
                            line: line.clone(),
                        })
                    }
                    _ => {
                        out.poster.get_or_insert(name);
                    }
                }
                out.removed.push((line, "credit"));
                continue;
            }
            if let Some(o) = outlets::by_tagline(&line) {
                out.masthead = Some((o, line.clone()));
                out.removed.push((line, "masthead"));
                continue;
            }
        }
        if zone_header {
            header_short.push((index, line.clone()));
            if !keep_header {
                continue;
            }
            body.push(line);
            continue;
        }
        if zone_footer {
            out.removed.push((line, "footer"));
            continue;
        }
        if body.len() < 3 {
            line = strip_credit_prefix(&line, &mut out);
        }
        if out.credit.is_none() {
            if let Some(c) = bounded(&r.dateline_credit, &line, "place", DATELINE_PLACE_MAX) {
                let token = c["credit"].trim();
                let known = outlets::by_credit(token);
                // An unknown word in parentheses is only a credit if it looks like a name.
                if known.is_some() || token.chars().next().is_some_and(char::is_uppercase) {
                    out.credit = Some(Credit {
                        outlet: known.map_or(token.to_string(), |o| o.name.to_string()),
                        known,
                        line: c[0].to_string(),
                    });
                }
            }
        }
        body.push(line);
    }

    // The title is the last short header line (after dates, IDs and captions went), printed
    // once or twice; short lines above it are mastheads and slogans.
    if let Some((title_index, title)) = header_short.last().cloned() {
        for (index, line) in &header_short {
            if !keep_header && *index != title_index && *line != title {
                out.removed.push((line.clone(), "masthead"));
            }
        }
        out.title = Some(title);
    }
    // A lone date on the first line, above the title and another date, is the site's banner.
    if out.dates.len() > 1 {
        let first = &mut out.dates[0];
        if first.index == 0 && first.found.time.is_none() && !first.labelled_published {
            first.banner = true;
        }
    }
    strip_sign_off(&mut body, &mut out);
    out.text = body.join("\n\n");
    out
}

/// A last paragraph that is only an outlet's credit ("Reuter", "AP", "(AFP)") is the wire's
/// sign-off, not a sentence of the story: left in, it reads as a name every story of that
/// outlet shares. A story of one paragraph keeps it (then it is not a sign-off).
fn strip_sign_off(body: &mut Vec<String>, out: &mut Cleaned) {
    if body.len() < 2 {
        return;
    }
    let Some(last) = body.last() else {
        return;
    };
    let token = last
        .trim()
        .trim_matches(|c: char| matches!(c, '(' | ')' | '.' | '-' | '–' | '—' | '/'))
        .trim();
    if token.split_whitespace().count() > 3 {
        return;
    }
    let Some(known) = outlets::by_credit(token) else {
        return;
    };
    if out.credit.is_none() {
        out.credit = Some(Credit {
            outlet: known.name.to_string(),
            known: Some(known),
            line: last.clone(),
        });
    }
    let line = body.pop().unwrap_or_default();
    out.removed.push((line, "sign-off"));
}

/// "Read more: …" followed by a whole sentence of prose is a paragraph, not a teaser.
fn is_prose_after_label(line: &str) -> bool {
    let rest = line.split_once([':', '|', '»', '>']).map_or("", |(_, r)| r);
    words(rest) >= 25
}

/// A date at the very start of a line (after an optional label), with the rest of the line
/// either empty or not a continuation of the date.
fn leading_date(line: &str) -> Option<FoundDate> {
    let label_end = RULES_HERE.with(|r| r.date_label.find(line).map_or(0, |m| m.end()));
    let found = *find_dates(line).first()?;
    let before = &line[..found.start];
    let before_ok = found.start <= label_end
        || before.trim().chars().all(|c| !c.is_alphanumeric())
        || date_only(line).is_some();
    if !before_ok {
        return None;
    }
    if date_only(line).is_some() {
        let mut whole = found;
        whole.end = line.len();
        return Some(whole);
    }
    Some(found)
}

/// Removes an outlet credit glued to the start of a paragraph ("Islam Times - …",
/// "Iran PressIran News: …") and records the credit.
fn strip_credit_prefix(line: &str, out: &mut Cleaned) -> String {
    let Some(c) = RULES_HERE.with(|r| r.prefix_credit.captures(line)) else {
        return line.to_string();
    };
    let prefix = c[1].trim();
    let known = outlets::by_credit(prefix).or_else(|| outlets::at_start(prefix).map(|(o, _)| o));
    let newsy = [
        "News", "Press", "Times", "Agency", "Post", "Daily", "Herald", "TV", "Online",
    ]
    .iter()
    .any(|w| prefix.contains(w));
    if known.is_none() && !newsy {
        return line.to_string();
    }
    if out.credit.is_none() {
        let outlet = known.map_or(prefix.to_string(), |o| o.name.to_string());
        out.credit = Some(Credit {
            outlet,
            known,
            line: c[0].to_string(),
        });
    }
    out.removed.push((c[0].to_string(), "credit-prefix"));
    line[c.get(0).unwrap().end()..].trim_start().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "Mon 1 Jan 2024\nWednesday 20 December 2023 - 09:10\nItem No : 12345\n\nHarbour reopens after storm\n\nHarbour reopens after storm\nPORTVILLE (Coastal Wire) – The harbour of Portville reopened on Tuesday after a storm closed it for three days, the port authority said in a statement.\n\nREAD: Storm closes harbour for third day\n\nFishing boats left at dawn, and the first cargo ship is expected on Friday, officials said.\n\nBy Coastal Wire\nYour Name\nYour Email Address\n";

    #[test]
    fn bounded_patterns_match_as_their_bounded_repetitions() {
        // The written-out patterns, as they read before the bound moved out of the regex.
        let dateline = Regex::new(
            r"^\s*[A-Z][\p{L}.' -]{1,40}?(?:,[^()]{1,30})?\s*\(([^()]{1,40})\)\s*[-–—:]",
        )
        .unwrap();
        let by = Regex::new(r"^\s*(?i:by)\s+(\p{Lu}[\p{L}.'’ -]{1,60}?)\s*$").unwrap();
        let place = |n: usize| "É".repeat(n);
        let mut lines = vec![
            "PORTVILLE (Coastal Wire) – The harbour".to_string(),
            "LOWER MARSH, May 10 (Harbour Post) - Boats".to_string(),
            "Lowtown(HP)- text".to_string(),
            "By Jane Roe".to_string(),
            "by Ánne-Marie O’Neil  ".to_string(),
            "Not a dateline (Coastal Wire) -".to_string(),
        ];
        for n in [38, 39, 40, 41, 42, 60] {
            lines.push(format!("P{} (Wire) - text", place(n)));
            lines.push(format!("P{}, Jan 3 (Wire) - text", place(n)));
            lines.push(format!("By J{}", place(n)));
            lines.push(format!("By J{}", "a b".repeat(n / 3 + 1)));
        }
        for line in &lines {
            let old = dateline
                .captures(line)
                .map(|c| (c[0].to_string(), c[1].to_string()));
            let new = bounded(&RULES.dateline_credit, line, "place", DATELINE_PLACE_MAX)
                .map(|c| (c[0].to_string(), c["credit"].to_string()));
            assert_eq!(old, new, "{line}");
            let old = by.captures(line).map(|c| c[1].to_string());
            let new = bounded(&RULES.by_line, line, "name", BY_LINE_NAME_MAX)
                .map(|c| c["name"].to_string());
            assert_eq!(old, new, "{line}");
        }
        assert!(bounded(&RULES.dateline_credit, &lines[0], "place", 40).is_some());
        assert!(bounded(&RULES.by_line, &format!("By J{}", place(61)), "name", 61).is_none());
    }

    #[test]
    fn header_and_footer_lines_go_and_say_what_they_are() {
        let c = clean(PAGE);
        assert_eq!(c.title.as_deref(), Some("Harbour reopens after storm"));
        assert!(
            c.text.starts_with("PORTVILLE (Coastal Wire) – The harbour"),
            "{}",
            c.text
        );
        assert!(c.text.ends_with("officials said."), "{}", c.text);
        for gone in [
            "READ:",
            "Item No",
            "Your Name",
            "Your Email",
            "By Coastal",
            "2024",
        ] {
            assert!(!c.text.contains(gone), "{gone} left in {}", c.text);
        }
        assert_eq!(c.dates.len(), 2);
        assert!(c.dates[0].banner);
        assert!(!c.dates[1].banner);
        assert_eq!(c.credit.unwrap().outlet, "Coastal Wire");
    }

    #[test]
    fn glued_date_poster_and_credit_prefix() {
        let page = " date 2023-05-12 Islam Times - The council met on Monday to discuss the budget for the coming year, members said after the vote.\n\nA second paragraph follows here with enough words to be prose in any reading.\n";
        let c = clean(page);
        assert_eq!(c.dates[0].found.date.to_string(), "2023-05-12");
        assert!(c.text.starts_with("The council met"), "{}", c.text);
        assert_eq!(c.credit.unwrap().outlet, "Islam Times");
        let page = "date 2023-05-09 Posted on by someblog\n\nCITY (Tasnim) – The council met on Monday to discuss the budget for the coming year, members said.\n";
        let c = clean(page);
        assert_eq!(c.poster.as_deref(), Some("someblog"));
        assert_eq!(c.credit.unwrap().outlet, "Tasnim News Agency");
        assert!(c.text.starts_with("CITY (Tasnim)"));
    }

    #[test]
    fn a_wire_sign_off_is_not_left_as_the_last_paragraph() {
        let story = "MILLTOWN, March 3 - Shr 40 cts vs 32 cts\n\nNet 5,100,000 vs 4,300,000\n\nRevs 61.2 mln vs 55.0 mln\n\nReuter\n";
        let c = clean(story);
        assert!(c.text.ends_with("vs 55.0 mln"), "{:?}", c.text);
        assert!(
            c.removed.iter().any(|(line, _)| line == "Reuter"),
            "{:?}",
            c.removed
        );
        assert_eq!(c.credit.unwrap().outlet, "Reuters");
        let c = clean("The council met on Monday to pass the budget.\n\n(AFP)\n");
        assert_eq!(c.text, "The council met on Monday to pass the budget.");
        // A paragraph that names an outlet in a sentence stays, and so does a lone paragraph.
        let c = clean("The council met on Monday.\n\nReuters reported the vote first.\n");
        assert!(c.text.ends_with("Reuters reported the vote first."));
        assert_eq!(clean("Reuters\n").text, "Reuters");
    }

    #[test]
    fn captions_and_read_more_blocks() {
        let page = "A headline of the day\n\nMay 2, 2022 at 1:00 pm\n\nThe mayor at the opening [Reuters]\n\nThe mayor opened the new bridge on Monday, telling the crowd it would cut journeys by half.\n\nRead More:\n\nCity plans second bridge: mayor\n";
        let c = clean(page);
        assert_eq!(c.title.as_deref(), Some("A headline of the day"));
        assert_eq!(c.text, "The mayor opened the new bridge on Monday, telling the crowd it would cut journeys by half.");
        assert!(c.dates[0].found.time.is_some());
    }

    #[test]
    fn extracted_text_keeps_its_headline_and_long_lists() {
        let page = "Harbour reopens after storm\n\nThe harbour of Portville reopened on Tuesday after a storm closed it for three days, officials said.\n\nLea también: Storm closes harbour for a third day\n\nFishing boats left at dawn, and the first cargo ship is expected on Friday, officials said.\n\nMore stories\n";
        let c = clean_extracted(page);
        assert_eq!(c.title.as_deref(), Some("Harbour reopens after storm"));
        assert!(
            c.text
                .starts_with("Harbour reopens after storm\n\nThe harbour"),
            "{}",
            c.text
        );
        assert!(!c.text.contains("Lea también"), "{}", c.text);
        assert!(!c.text.contains("More stories"), "{}", c.text);
        // Plain page text still loses its header line.
        assert!(clean(page).text.starts_with("The harbour"));

        let items: Vec<String> = (1..=16).map(|i| format!("{i}00 g of item {i}")).collect();
        let page = format!(
            "A cake for Sunday afternoons, baked in one hour with what the cupboard holds.\n\n{}",
            items.join("\n")
        );
        let c = clean_extracted(&page);
        assert!(c.text.contains("1600 g of item 16"), "{}", c.text);
        assert!(!clean(&page).text.contains("1600 g"));
    }

    #[test]
    fn clean_text_stays_as_it_is() {
        let page = "The first paragraph is a complete sentence with enough words to count as prose.\n\nThe second paragraph, also prose, ends the article with a quote: \"we will rebuild,\" he said.";
        let c = clean(page);
        assert_eq!(c.text, page);
        assert!(c.title.is_none() && c.dates.is_empty() && c.removed.is_empty());
    }

    #[test]
    fn advertising_labels_and_reading_times_go() {
        let page = "4 min read\n\nThe council approved the new budget on Monday after a long debate about school funding and roads.\n\nAdvertisement:\n\nLesezeit: 3 Minuten\n\nCooking time: 30 min.\n\nThe vote passed by nine to four, with two members absent from the chamber for the evening.";
        let c = clean_extracted(page);
        for gone in ["4 min read", "Advertisement", "Lesezeit"] {
            assert!(!c.text.contains(gone), "{gone} in {}", c.text);
        }
        // A duration that is not a reading time stays.
        assert!(
            c.text.contains("\n\nCooking time: 30 min.\n\n"),
            "{}",
            c.text
        );
    }

    #[test]
    fn subscription_pitches_and_comment_policies_go() {
        let page = "The council approved the new budget on Monday after a long debate about school funding and roads.\n\nSubscribe now to our digital edition for the full story.\n\nComments are moderated and may take a day to appear.\n\nThe vote passed by nine to four, with two members absent from the chamber for the evening.";
        let c = clean_extracted(page);
        assert!(
            !c.text.contains("Subscribe") && !c.text.contains("moderated"),
            "{}",
            c.text
        );
        assert!(c.text.contains("nine to four"));
        // A long paragraph about newsletters is article prose, not a pitch.
        let essay = "Newsletters have become the main way small publishers reach readers, and several editors told us that subscriber numbers doubled after they dropped paywalls, while advertising revenue kept falling every quarter of the year.";
        assert!(clean_extracted(essay)
            .text
            .contains("Newsletters have become"));
    }
}
