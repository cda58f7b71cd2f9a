//! Resolution inside one document: titles, roles and nationality of people; later mentions
//! linked to the mention that introduced them; role descriptions; framing references.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::LazyLock;

use newsdesk_span::{EntityKind, EntityMention, MentionForm, Span};
use regex::Regex;

use crate::tables::{self, country_of, is_title_word, FRAMINGS, ROLE_HEADS};

const MINISTRIES: &[&str] = &[
    "defence",
    "foreign",
    "interior",
    "finance",
    "oil",
    "health",
    "justice",
    "economy",
    "education",
    "trade",
    "intelligence",
    "energy",
    "agriculture",
    "culture",
    "labour",
    "labor",
    "transport",
    "industry",
];

/// What the document says about one entity, gathered from all its mentions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Profile {
    pub kind: Option<EntityKind>,
    /// The fullest name used (titles removed).
    pub name: String,
    pub titles: BTreeSet<String>,
    pub roles: BTreeSet<String>,
    pub nationality: Option<String>,
    pub aliases: BTreeSet<String>,
    pub mentions: usize,
    /// For framing references: the state referred to.
    pub framing_of: Option<String>,
    /// A normalised key for organisations whose names vary in form: for a ministry, "ministry
    /// of " and its portfolio ("Defense Ministry of Iran", "Iran's Defence Ministry" and
    /// "Ministry of Defence and Armed Forces Logistics" are all "ministry of defence"). Its
    /// state, when the text names it, is in `nationality`; two organisations with the same key
    /// and state are one.
    pub key: Option<String>,
}

/// A ministry named by an organisation mention: its normalised key, its full name, and the
/// state it belongs to when the text says.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Ministry {
    pub key: String,
    pub name: String,
    pub country: Option<String>,
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    s.get(..prefix.len())
        .filter(|p| p.eq_ignore_ascii_case(prefix))
        .map(|_| &s[prefix.len()..])
}

/// The ministry an organisation mention names: "Ministry of X", "X Ministry", "Iran's X
/// Ministry", "X Ministry of Iran", or the portfolio alone inside a role ("Minister of
/// Defence and Armed Forces Logistics", where the recogniser took only the portfolio).
pub(crate) fn ministry_of(text: &str, span: Span) -> Option<Ministry> {
    let surface = span.slice(text);
    let before = &text[..span.start()];
    let (topic, tail, name) = if let Some(rest) = strip_prefix_ci(surface, "Ministry of ") {
        // "Ministry of Defense of Syria": the portfolio ends where a state's name begins.
        match rest.find(" of ") {
            Some(at) if nationality_in(&rest[at..]).is_some() => {
                (&rest[..at], &rest[at..], surface.to_string())
            }
            _ => (rest, "", surface.to_string()),
        }
    } else if let Some(at) = surface.to_ascii_lowercase().find("ministry") {
        let head = surface[..at].trim_end();
        let tail = &surface[at + "ministry".len()..];
        if head.is_empty() || !(tail.is_empty() || tail.starts_with(" of ")) {
            return None;
        }
        // "Iran's Defence Ministry": the possessive state is not the portfolio.
        let topic = match head.split_once([' ']) {
            Some((first, rest)) if country_of(first).is_some() => rest,
            _ => head,
        };
        (topic, tail, surface.to_string())
    } else if before.ends_with("Minister of ") || before.ends_with("Ministry of ") {
        (surface, "", format!("Ministry of {surface}"))
    } else {
        return None;
    };
    let lower = topic.to_lowercase().replace("defense", "defence");
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return None;
    }
    let portfolio = words
        .iter()
        .find(|w| MINISTRIES.contains(w))
        .map_or_else(|| words.join(" "), |w| w.to_string());
    // The state: named in the mention, right after it ("… Logistics of the Islamic Republic
    // of Iran"), or just before it ("Iran's", "Iranian").
    let after = &text[span.end()..];
    let mut end = after
        .find([',', ';', '.', '(', '\n'])
        .unwrap_or(after.len())
        .min(80);
    while !after.is_char_boundary(end) {
        end -= 1;
    }
    let after = Some(&after[..end])
        .filter(|a| a.starts_with(" of "))
        .unwrap_or("");
    let previous = before.split_whitespace().next_back().unwrap_or("");
    let country = nationality_in(tail)
        .or_else(|| nationality_in(surface))
        .or_else(|| (!after.is_empty()).then(|| nationality_in(after)).flatten())
        .or_else(|| country_of(previous).map(str::to_string));
    Some(Ministry {
        key: format!("ministry of {portfolio}"),
        name,
        country,
    })
}

/// A word with its byte range.
#[derive(Clone, Copy, Debug)]
struct Word {
    start: usize,
    end: usize,
}

fn words_in(text: &str, from: usize, to: usize) -> Vec<Word> {
    static WORD: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[\p{L}\p{N}][\p{L}\p{N}.'’-]*").unwrap());
    WORD.find_iter(&text[from..to])
        .map(|m| {
            let mut end = from + m.end();
            // A trailing period belongs to the word only in abbreviations ("Gen.", "Lt.").
            let w = &text[from + m.start()..end];
            if w.ends_with('.')
                && !is_title_word(w)
                && !(w.len() <= 4 && w[..w.len() - 1].chars().all(char::is_uppercase))
            {
                end -= 1;
            }
            Word {
                start: from + m.start(),
                end,
            }
        })
        .collect()
}

fn is_connector(w: &str) -> bool {
    matches!(w.to_lowercase().as_str(), "of" | "the" | "and" | "for")
}

fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Roles named in a title phrase, normalised ("Minister of Defense of Syria" → "defence minister").
/// "minister" says nothing once "defence minister" is known.
pub(crate) fn prune_roles(roles: &mut BTreeSet<String>) {
    if roles.iter().any(|r| r.ends_with(" minister")) {
        roles.remove("minister");
    }
}

pub(crate) fn roles_in(title: &str) -> BTreeSet<String> {
    let lower = title.to_lowercase().replace("defense", "defence");
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .collect();
    let mut roles = BTreeSet::new();
    if words.contains(&"minister") {
        let qualifier = words.iter().find(|w| MINISTRIES.contains(w));
        if words.contains(&"prime") {
            roles.insert("prime minister".to_string());
        } else if let Some(q) = qualifier {
            roles.insert(format!("{q} minister"));
        } else {
            roles.insert("minister".to_string());
        }
    }
    if lower.contains("chief of the general staff") || lower.contains("chief of general staff") {
        roles.insert("chief of the general staff".to_string());
    } else if lower.contains("chief of staff") {
        roles.insert("chief of staff".to_string());
    }
    if lower.contains("supreme leader") {
        roles.insert("supreme leader".to_string());
    }
    for head in ROLE_HEADS {
        if *head == "minister" || *head == "counterpart" || *head == "chief" || *head == "general" {
            continue;
        }
        if words.contains(head) {
            let vice = words.windows(2).any(|w| w[0] == "vice" && w[1] == *head);
            roles.insert(if vice {
                format!("vice {head}")
            } else {
                head.to_string()
            });
        }
    }
    roles
}

fn nationality_in(title: &str) -> Option<String> {
    // "of the Islamic Republic of Iran", "of Syria", "Syrian", "Iran's".
    static OF_COUNTRY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\bof (?:the )?((?:\p{Lu}[\p{L}.]*\s?){1,5})").unwrap());
    for c in OF_COUNTRY.captures_iter(title) {
        let phrase = c[1].trim();
        if let Some(country) = country_of(phrase) {
            return Some(country.to_string());
        }
        // "Islamic Republic of Iran": the last capitalised word(s).
        if let Some(last) = phrase.split_whitespace().last() {
            if let Some(country) = country_of(last) {
                return Some(country.to_string());
            }
        }
    }
    title
        .split(|c: char| !c.is_alphanumeric() && c != '.' && c != '\'' && c != '’')
        .find_map(country_of)
        .map(str::to_string)
}

/// Title phrases around a person's name: the chain of title words, demonyms and "of the …"
/// phrases before it, and an appositive title after it (", Minister of Defence of X,").
/// `floor` is where the chain may start at the earliest: the end of another person's name
/// before this one in its sentence ("Chief of Staff X and Defence Minister Y"), or the
/// sentence's start.
fn titles_around(text: &str, sentence: Span, name: Span, floor: usize) -> Vec<Span> {
    let mut spans = Vec::new();
    let before = words_in(text, floor, name.start());
    let mut chain_start: Option<usize> = None;
    for (i, w) in before.iter().enumerate().rev() {
        let word = &text[w.start..w.end];
        let next_start = before.get(i + 1).map_or(name.start(), |n| n.start);
        // The chain may not cross punctuation other than an abbreviation's period.
        let gap = &text[w.end..next_start];
        if gap.chars().any(|c| !c.is_whitespace()) {
            break;
        }
        let ok = is_title_word(word)
            || country_of(word).is_some()
            || is_connector(word)
            || capitalised(word);
        if !ok {
            break;
        }
        chain_start = Some(i);
    }
    if let Some(first) = chain_start {
        let mut chain = &before[first..];
        // A capitalised word that is neither a title nor a demonym belongs to the chain only
        // inside an "of the …" phrase ("Chief of the General Staff of the Syrian Army"); another
        // name before the title ends the chain.
        let mut inside_of = false;
        let mut cut = 0;
        for (k, w) in chain.iter().enumerate() {
            let word = &text[w.start..w.end];
            if is_connector(word) {
                inside_of = true;
            } else if is_title_word(word) || country_of(word).is_some() {
                // stays in whatever phrase it is in
            } else if !inside_of {
                cut = k + 1;
            }
            if !is_connector(word) && !capitalised(word) {
                inside_of = false;
            }
        }
        chain = &chain[cut.min(chain.len())..];
        // The chain must start with a title word or a demonym: "In Tehran President X" → "President".
        if let Some(lead) = chain.iter().position(|w| {
            let word = &text[w.start..w.end];
            is_title_word(word) || country_of(word).is_some() && !capitalised_country_name(word)
        }) {
            let chain = &chain[lead..];
            // Do not end on a connector.
            if let Some(last) = chain
                .iter()
                .rposition(|w| !is_connector(&text[w.start..w.end]))
            {
                let has_title = chain[..=last]
                    .iter()
                    .any(|w| is_title_word(&text[w.start..w.end]));
                if has_title {
                    if let Ok(span) = Span::new(text, chain[0].start, chain[last].end) {
                        spans.push(span);
                    }
                }
            }
        }
    }
    // Appositive: ", Minister of Defence and Armed Forces Logistics of the Islamic Republic of Iran,"
    let after = &text[name.end()..sentence.end()];
    if let Some(rest) = after.strip_prefix(", ") {
        if let Some(end) = rest.find([',', ';', '(', ')']) {
            let phrase = &rest[..end];
            let first = phrase.split_whitespace().next().unwrap_or("");
            if is_title_word(first) && phrase.split_whitespace().count() <= 16 && capitalised(first)
            {
                let start = name.end() + 2;
                if let Ok(span) = Span::new(text, start, start + phrase.len()) {
                    spans.push(span);
                }
            }
        }
    }
    spans
}

/// A country's own name ("Iran") before a title is a place, not a nationality adjective, unless
/// possessive; keep it out of the chain's start.
fn capitalised_country_name(word: &str) -> bool {
    tables::COUNTRIES
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case(word))
}

pub(crate) fn name_tokens(name: &str) -> Vec<String> {
    name_words(name).map(str::to_lowercase).collect()
}

/// The words of a name that [`name_tokens`] keeps, as they are written.
fn name_words(name: &str) -> impl Iterator<Item = &str> {
    name.split(|c: char| c.is_whitespace() || c == '-')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| {
            !w.is_empty()
                && !w.eq_ignore_ascii_case("al")
                && !w.eq_ignore_ascii_case("el")
                && !w.eq_ignore_ascii_case("the")
        })
}

/// Whether `short` stands as a contiguous run of words inside `long`.
pub(crate) fn contains_run(long: &[String], short: &[String]) -> bool {
    !short.is_empty() && short.len() <= long.len() && long.windows(short.len()).any(|w| w == short)
}

/// The mention that introduced the entity mention `i` refers to (following antecedents).
pub fn root_of(mentions: &[EntityMention], mut i: usize) -> usize {
    // Antecedents point backwards in well-formed layers; the bound guards stored data.
    for _ in 0..mentions.len() {
        match mentions[i].antecedent {
            Some(a) if (a as usize) < mentions.len() => i = a as usize,
            _ => break,
        }
    }
    i
}

struct Draft {
    span: Span,
    kind: EntityKind,
    form: MentionForm,
    titles: Vec<Span>,
    antecedent: Option<usize>,
    score: f32,
    roles: BTreeSet<String>,
    nationality: Option<String>,
    tokens: Vec<String>,
}

/// The sentence holding byte `at`. The sentences layer is sorted and its sentences do not
/// overlap, so the only candidate is the last sentence starting at or before `at` (a binary
/// search: a scan per name made long articles quadratic).
fn sentence_of(sentences: &[Span], at: usize, text_len: usize) -> Span {
    let after = sentences.partition_point(|s| s.start() <= at);
    after
        .checked_sub(1)
        .map(|i| sentences[i])
        .filter(|s| at < s.end().max(s.start() + 1))
        .unwrap_or_else(|| Span::from_offsets(0, text_len as u32).expect("ordered"))
}

/// Whether `span` overlaps one of `sorted` (sorted by start, not overlapping each other).
fn overlaps_any(sorted: &[Span], span: Span) -> bool {
    let after = sorted.partition_point(|s| s.start() < span.end());
    sorted[..after]
        .iter()
        .rev()
        .take_while(|s| s.end() > span.start())
        .any(|s| s.overlaps(span))
}

/// The end of the last other person's name before `name` in `sentence` (`people` sorted by
/// start), or the sentence's start.
fn previous_person_end(people: &[Span], sentence: Span, name: Span) -> usize {
    let before = people.partition_point(|p| p.start() < name.start());
    people[..before]
        .iter()
        .rev()
        .take_while(|p| p.start() >= sentence.start())
        .filter(|p| **p != name && p.end() <= name.start())
        .map(|p| p.end())
        .max()
        .unwrap_or(sentence.start())
}

/// How far (in bytes) a role description or a counterpart looks for the person it stands for.
/// A definite description ("the minister") refers to someone the same story has just talked
/// about; 50 kB is several times the length of a long news story, so no single article is
/// affected, while a document made of many stories no longer compares every description with
/// every person in it (which made annotation quadratic in the article's length).
const DESCRIPTION_REACH: usize = 50_000;

/// A name never holds half a bracket: "PORTVILLE (Coastal Wire" from a dateline is cut to the
/// part inside the bracket; a lone closing bracket cuts the name before it.
fn balanced(text: &str, span: Span) -> Option<Span> {
    let s = span.slice(text);
    let (open, close) = (s.find(['(', '[']), s.find([')', ']']));
    let (start, end) = match (open, close) {
        (Some(o), None) => (span.start() + o + 1, span.end()),
        (None, Some(c)) => (span.start(), span.start() + c),
        _ => return Some(span),
    };
    let inner = &text[start..end];
    let trimmed_start = start + (inner.len() - inner.trim_start().len());
    let trimmed_end = end - (inner.len() - inner.trim_end().len());
    (trimmed_end > trimmed_start)
        .then(|| Span::new(text, trimmed_start, trimmed_end).ok())
        .flatten()
}

/// "Takfiri groups", "Syrian forces": an ideology adjective, or a nationality adjective before
/// a plural noun, is no place, person or organisation, whatever the recogniser read.
fn adjective_not_name(text: &str, span: Span) -> bool {
    let name = span.slice(text);
    if name.contains(char::is_whitespace) {
        return false;
    }
    if tables::is_ideology_adjective(name) {
        return true;
    }
    let next = text[span.end()..]
        .strip_prefix(' ')
        .and_then(|rest| rest.split(|c: char| !c.is_alphabetic()).next())
        .unwrap_or("");
    let plural_noun = next.len() > 3
        && next.chars().all(char::is_lowercase)
        && next.ends_with('s')
        && !next.ends_with("ss");
    tables::is_demonym(name) && plural_noun
}

/// Resolves one document's recognised names into the entities layer.
/// "Iran-Syria" (ties, talks): a compound of two state names mentions both states.
fn state_pair(text: &str, span: Span) -> Option<(Span, Span)> {
    let name = span.slice(text);
    let (dash, len) = name
        .char_indices()
        .find(|&(_, c)| matches!(c, '-' | '–'))
        .map(|(i, c)| (i, c.len_utf8()))?;
    let (a, b) = (&name[..dash], &name[dash + len..]);
    let is_state = |w: &str| crate::tables::country_of(w).is_some_and(|c| c == w);
    if !(is_state(a) && is_state(b)) {
        return None;
    }
    let start = span.start();
    Some((
        Span::new(text, start, start + dash).ok()?,
        Span::new(text, start + dash + len, span.end()).ok()?,
    ))
}

pub fn resolve_document(
    text: &str,
    sentences: &[Span],
    names: &[(Span, EntityKind, f32)],
) -> Vec<EntityMention> {
    let mut names: Vec<(Span, EntityKind, f32)> = names
        .iter()
        .flat_map(|&(span, kind, score)| match state_pair(text, span) {
            Some((a, b)) => vec![(a, EntityKind::Loc, score), (b, EntityKind::Loc, score)],
            // "Daesh" read as a person is still the organisation the table knows.
            None if tables::organisation_of(&text[span.start()..span.end()]).is_some() => {
                vec![(span, EntityKind::Org, score)]
            }
            None if adjective_not_name(text, span) => vec![(span, EntityKind::Misc, score)],
            None => vec![(span, kind, score)],
        })
        .collect();
    // Text order, which the recogniser gives already; the linking below relies on it.
    names.sort_by_key(|&(span, _, _)| span);
    let names = &names[..];
    let mut drafts: Vec<Draft> = Vec::new();
    let framings = find_framings(text);
    // A "person" made only of title words ("Staff" in "Chief of the General Staff") is a
    // recogniser slip inside a title.
    let title_only = |span: Span| {
        words_in(text, span.start(), span.end())
            .iter()
            .all(|w| is_title_word(&text[w.start..w.end]))
    };
    let people: Vec<Span> = names
        .iter()
        .filter(|(s, k, _)| *k == EntityKind::Per && !title_only(*s))
        .map(|(s, _, _)| *s)
        .collect();
    for &(span, kind, score) in names {
        if overlaps_any(&framings, span) {
            continue;
        }
        let Some(span) = balanced(text, span) else {
            continue;
        };
        if kind == EntityKind::Per && title_only(span) {
            continue;
        }
        // Nor is the plural of a title a name of anything: "the top Generals".
        let word = &text[span.start()..span.end()];
        if word
            .strip_suffix('s')
            .is_some_and(|singular| is_title_word(singular) && !is_title_word(word))
        {
            continue;
        }
        let mut span = span;
        let mut titles = Vec::new();
        if kind == EntityKind::Per {
            // The recogniser sometimes includes a title in the name ("General Ashtiani").
            let original = span;
            let inner = words_in(text, span.start(), span.end());
            let lead = inner
                .iter()
                .take_while(|w| is_title_word(&text[w.start..w.end]))
                .count();
            if lead > 0 && lead < inner.len() {
                if let (Ok(t), Ok(n)) = (
                    Span::new(text, inner[0].start, inner[lead - 1].end),
                    Span::new(text, inner[lead].start, span.end()),
                ) {
                    titles.push(t);
                    span = n;
                }
            }
            let sentence = sentence_of(sentences, original.start(), text.len());
            let floor = previous_person_end(&people, sentence, original);
            for t in titles_around(text, sentence, original, floor) {
                // A chain that runs into the title inside the name is one title.
                let joins = titles.first().is_some_and(|inside| {
                    t.end() <= inside.start() && text[t.end()..inside.start()].trim().is_empty()
                });
                if joins {
                    titles[0] = Span::new(text, t.start(), titles[0].end()).unwrap_or(titles[0]);
                } else if !titles.iter().any(|x| x.overlaps(t)) {
                    titles.push(t);
                }
            }
            titles.sort();
        }
        let title_text: Vec<&str> = titles.iter().map(|t| t.slice(text)).collect();
        let joined = title_text.join(" ; ");
        drafts.push(Draft {
            span,
            kind,
            form: MentionForm::Name,
            titles,
            antecedent: None,
            score,
            roles: roles_in(&joined),
            nationality: nationality_in(&joined),
            tokens: name_tokens(span.slice(text)),
        });
    }
    link_names(&mut drafts);
    link_titled_surnames_forward(text, &mut drafts);
    link_ministries(text, &mut drafts);
    infer_counterpart_roles(text, &mut drafts);
    add_descriptions(text, &mut drafts);
    for f in framings {
        drafts.push(Draft {
            span: f,
            kind: EntityKind::Loc,
            form: MentionForm::Framing,
            titles: Vec::new(),
            antecedent: None,
            score: 1.0,
            roles: BTreeSet::new(),
            nationality: None,
            tokens: Vec::new(),
        });
    }
    // Sort and renumber antecedents.
    let mut order: Vec<usize> = (0..drafts.len()).collect();
    order.sort_by_key(|&i| (drafts[i].span, i));
    let mut position = vec![0u32; drafts.len()];
    for (pos, &i) in order.iter().enumerate() {
        position[i] = pos as u32;
    }
    order
        .iter()
        .map(|&i| {
            let d = &drafts[i];
            EntityMention {
                span: d.span,
                kind: d.kind,
                form: d.form,
                titles: d.titles.clone(),
                antecedent: d.antecedent.map(|a| position[a]),
                entity: None,
                score: d.score,
            }
        })
        .collect()
}

fn root(drafts: &[Draft], mut i: usize) -> usize {
    while let Some(a) = drafts[i].antecedent {
        i = a;
    }
    i
}

fn compatible(a: &Draft, b: &Draft) -> bool {
    let nationality_ok = match (&a.nationality, &b.nationality) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    };
    let roles_ok = a.roles.is_empty()
        || b.roles.is_empty()
        || a.roles.iter().any(|r| b.roles.contains(r))
        || {
            // "minister" is compatible with "defence minister".
            a.roles
                .iter()
                .chain(b.roles.iter())
                .any(|r| r == "minister")
        };
    nationality_ok && roles_ok
}

/// Links each later, shorter person name to the earlier full name that contains it
/// ("Ashtiani", "Mahmoud Abbas" after "Ali Mahmoud Abbas"), when titles agree.
///
/// Only earlier names that introduce a person can be antecedents, and only those sharing the
/// later name's first word can contain it, so they are found through an index of those words
/// rather than by comparing every pair of names (quadratic in a long article).
fn link_names(drafts: &mut [Draft]) {
    // First word of a name → the introducing person names holding it, in text order.
    let mut by_word: HashMap<String, Vec<usize>> = HashMap::new();
    for i in 0..drafts.len() {
        if drafts[i].kind != EntityKind::Per || drafts[i].tokens.is_empty() {
            continue;
        }
        let mut best: Option<usize> = None;
        let earlier = by_word
            .get(&drafts[i].tokens[0])
            .map_or(&[][..], Vec::as_slice);
        // Prefer the fullest earlier name, then the most recent.
        for &j in earlier.iter().rev() {
            let (long, short) = (&drafts[j].tokens, &drafts[i].tokens);
            let matches = long.len() >= short.len() && contains_run(long, short);
            if matches
                && compatible(&drafts[i], &drafts[j])
                && best.is_none_or(|b| drafts[j].tokens.len() > drafts[b].tokens.len())
            {
                best = Some(j);
            }
        }
        if let Some(j) = best {
            let r = root(drafts, j);
            if r != i {
                drafts[i].antecedent = Some(r);
                // What the later mention says about the person holds for the root too.
                let (roles, nationality) = (drafts[i].roles.clone(), drafts[i].nationality.clone());
                drafts[r].roles.extend(roles);
                if drafts[r].nationality.is_none() {
                    drafts[r].nationality = nationality;
                }
            }
        }
        if drafts[i].antecedent.is_none() {
            let words: HashSet<&String> = drafts[i].tokens.iter().collect();
            for w in words {
                by_word.entry(w.clone()).or_default().push(i);
            }
        }
    }
}

/// "President Varga … President Anton Varga": a title and surname before the full name are
/// that person when exactly one later full name ends with the surname and nothing conflicts.
/// (`link_names` looks back only, so the short form would stay a person of its own.) A bare
/// surname is not linked forward: without a title it is as often a relative, a firm or a
/// place.
fn link_titled_surnames_forward(text: &str, drafts: &mut [Draft]) {
    // Last word → the later introducing names with two or more words, in text order.
    let mut by_last: HashMap<&str, Vec<usize>> = HashMap::new();
    for (j, d) in drafts.iter().enumerate() {
        if d.kind == EntityKind::Per && d.antecedent.is_none() && d.tokens.len() >= 2 {
            let last = d.tokens.last().map(String::as_str).unwrap_or_default();
            by_last.entry(last).or_default().push(j);
        }
    }
    let mut links: Vec<(usize, usize)> = Vec::new();
    for (i, d) in drafts.iter().enumerate() {
        let titled = d
            .titles
            .iter()
            .any(|t| t.slice(text).split_whitespace().any(is_title_word));
        if d.kind != EntityKind::Per || d.antecedent.is_some() || d.tokens.len() != 1 || !titled {
            continue;
        }
        let later: Vec<usize> = by_last
            .get(d.tokens[0].as_str())
            .into_iter()
            .flatten()
            .copied()
            .filter(|&j| j > i)
            .collect();
        if let [j] = later[..] {
            if compatible(d, &drafts[j]) {
                links.push((i, j));
            }
        }
    }
    // The full name becomes the person's root: the short form and every mention that
    // pointed at it now point there.
    let moved: HashMap<usize, usize> = links.iter().copied().collect();
    for d in drafts.iter_mut() {
        if let Some(&j) = d.antecedent.and_then(|a| moved.get(&a)) {
            d.antecedent = Some(j);
        }
    }
    for (i, j) in links {
        drafts[i].antecedent = Some(j);
        let (roles, nationality) = (drafts[i].roles.clone(), drafts[i].nationality.clone());
        drafts[j].roles.extend(roles);
        if drafts[j].nationality.is_none() {
            drafts[j].nationality = nationality;
        }
    }
}

/// The forms of one ministry in an article ("Minister of Defence and Armed Forces Logistics",
/// "the Defence Ministry", "the Ministry of Defence") are one organisation: a later form links
/// to the first with the same portfolio whose state does not conflict.
fn link_ministries(text: &str, drafts: &mut [Draft]) {
    let mut first: HashMap<String, Vec<(usize, Option<String>)>> = HashMap::new();
    for (i, draft) in drafts.iter_mut().enumerate() {
        if draft.kind != EntityKind::Org || draft.antecedent.is_some() {
            continue;
        }
        let Some(m) = ministry_of(text, draft.span) else {
            continue;
        };
        let earlier = first.entry(m.key).or_default();
        let found = earlier
            .iter_mut()
            .find(|(_, c)| match (c.as_ref(), m.country.as_ref()) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            });
        match found {
            Some((r, country)) => {
                draft.antecedent = Some(*r);
                if country.is_none() {
                    *country = m.country;
                }
            }
            None => earlier.push((i, m.country)),
        }
    }
}

/// "X met his Syrian counterpart Y": Y holds X's role in another state. X is the nearest
/// earlier person with a role and another (or unknown) nationality.
fn infer_counterpart_roles(text: &str, drafts: &mut [Draft]) {
    for i in 0..drafts.len() {
        let is_counterpart = drafts[i]
            .titles
            .iter()
            .any(|t| t.slice(text).to_lowercase().contains("counterpart"));
        if drafts[i].kind != EntityKind::Per || !is_counterpart || !drafts[i].roles.is_empty() {
            continue;
        }
        // Names are in text order: the first match walking back is the nearest.
        let reach = drafts[i].span.start().saturating_sub(DESCRIPTION_REACH);
        let other = (0..i)
            .rev()
            .take_while(|&j| drafts[j].span.start() >= reach)
            .find(|&j| {
                drafts[j].kind == EntityKind::Per
                    && drafts[j].span.end() <= drafts[i].span.start()
                    && !drafts[j].roles.is_empty()
                    && (drafts[j].nationality.is_none()
                        || drafts[j].nationality != drafts[i].nationality)
            });
        if let Some(j) = other {
            let roles = drafts[root(drafts, j)].roles.clone();
            let r = root(drafts, i);
            drafts[r].roles.extend(roles.clone());
            drafts[i].roles.extend(roles);
        }
    }
}

fn find_framings(text: &str) -> Vec<Span> {
    static FRAMING: LazyLock<Regex> = LazyLock::new(|| {
        let alternation = FRAMINGS
            .iter()
            .map(|(phrase, _)| regex::escape(phrase))
            .collect::<Vec<_>>()
            .join("|");
        Regex::new(&format!(r"(?i)\b(?:{alternation})\b")).unwrap()
    });
    FRAMING
        .find_iter(text)
        .filter_map(|m| {
            // Keep the article out: "the Zionist regime" → "Zionist regime".
            let start = m.start() + m.as_str().find(' ').map_or(0, |i| i + 1);
            Span::new(text, start, m.end()).ok()
        })
        .collect()
}

/// The state a framing reference names.
pub fn framing_target(phrase: &str) -> Option<&'static str> {
    let lower = format!("the {}", phrase.to_lowercase());
    FRAMINGS.iter().find(|(p, _)| *p == lower).map(|(_, c)| *c)
}

/// Role descriptions that stand for a person: "the Iranian defence minister", "his Syrian
/// counterpart", "the minister", "The Chief of the General Staff of the Syrian Army".
fn add_descriptions(text: &str, drafts: &mut Vec<Draft>) {
    static DESCRIPTION: LazyLock<Regex> = LazyLock::new(|| {
        let heads = ROLE_HEADS.join("|");
        Regex::new(&format!(
            r"\b(?:[Tt]he|[Hh]is|[Hh]er|[Tt]heir)\s+((?:[\p{{L}}-]+\s+){{0,3}}?)((?i:{heads}))\b((?:\s+of\s+(?:the\s+)?\p{{Lu}}[\p{{L}}-]*(?:\s+\p{{Lu}}[\p{{L}}-]*)*)*)"
        ))
        .unwrap()
    });
    // Person names in text order (the drafts are, before any description is added).
    let names: Vec<Span> = drafts
        .iter()
        .filter(|d| d.kind == EntityKind::Per && d.form == MentionForm::Name)
        .map(|d| d.span)
        .collect();
    let mut found = Vec::new();
    for c in DESCRIPTION.captures_iter(text) {
        let m = c.get(0).unwrap();
        let modifiers = c[1].trim();
        // Modifiers must all be demonyms or title words ("Iranian defence", "top military").
        if !modifiers.is_empty()
            && !modifiers.split_whitespace().all(|w| {
                country_of(w).is_some()
                    || is_title_word(w)
                    || matches!(w.to_lowercase().as_str(), "military" | "visiting" | "top")
            })
        {
            continue;
        }
        let span = Span::new(text, m.start(), m.end().min(text.len())).ok();
        let Some(span) = span.map(|s| trim_span(text, s)) else {
            continue;
        };
        // A description right before a name is that name's title, not a separate mention.
        // Only the first name after it can follow it with nothing but space between.
        let next = &text[span.end()..];
        let first_after = names.partition_point(|n| n.start() < span.end());
        let followed_by_name = names
            .get(first_after)
            .is_some_and(|n| text[span.end()..n.start()].trim().is_empty())
            || next.trim_start().starts_with(|c: char| c.is_uppercase())
                && next.starts_with(' ')
                && {
                    let w = next.split_whitespace().next().unwrap_or("");
                    is_title_word(w)
                };
        if followed_by_name || overlaps_any(&names, span) {
            continue;
        }
        let phrase = span.slice(text);
        let head = c[2].to_lowercase();
        let roles = roles_in(phrase);
        let nationality = nationality_in(phrase);
        found.push((span, head, roles, nationality));
    }
    // The drafts so far are names in text order; descriptions come in text order too, so
    // one sweep keeps, for every person, the start of their latest mention before the
    // description at hand (`latest`, and the same ordered by recency in `recent`).
    let n_names = drafts.len();
    let mut swept = 0;
    let mut latest: HashMap<usize, usize> = HashMap::new();
    let mut recent: BTreeMap<usize, usize> = BTreeMap::new();
    fn note(
        latest: &mut HashMap<usize, usize>,
        recent: &mut BTreeMap<usize, usize>,
        r: usize,
        at: usize,
    ) {
        match latest.get(&r) {
            Some(&old) if old >= at => return,
            Some(&old) => {
                recent.remove(&old);
            }
            None => {}
        }
        latest.insert(r, at);
        recent.insert(at, r);
    }
    for (span, head, roles, nationality) in found {
        while swept < n_names && drafts[swept].span.end() <= span.start() {
            if drafts[swept].kind == EntityKind::Per {
                let r = root(drafts, swept);
                note(&mut latest, &mut recent, r, drafts[swept].span.start());
            }
            swept += 1;
        }
        let candidate = |d: &Draft| {
            let role_ok = head == "counterpart"
                || roles.iter().any(|r| {
                    d.roles.contains(r) || (r == "minister" && d.roles.iter().any(|x| x.ends_with("minister")))
                })
                || (roles.is_empty() && head_matches(&head, d))
                // A nationality alone ("the Syrian general") identifies a person whose role is unknown.
                || (nationality.is_some() && d.roles.is_empty());
            let nationality_ok = match (&nationality, &d.nationality) {
                (Some(a), Some(b)) => a == b,
                (Some(_), None) => !roles.is_empty(),
                _ => true,
            };
            d.kind == EntityKind::Per
                && d.form == MentionForm::Name
                && d.antecedent.is_none()
                && role_ok
                && nationality_ok
        };
        // The person mentioned most recently before the description.
        let reach = span.start().saturating_sub(DESCRIPTION_REACH);
        let earlier = recent
            .range(reach..)
            .rev()
            .map(|(_, &r)| r)
            .find(|&r| drafts[r].span.end() <= span.start() && candidate(&drafts[r]));
        // Failing that, the first person after it: a lead that names the person only in its
        // second sentence.
        let later = || {
            let from = drafts[..n_names].partition_point(|d| d.span.start() < span.end());
            (from..n_names)
                .take_while(|&i| drafts[i].span.start() < span.end() + DESCRIPTION_REACH)
                .find(|&i| candidate(&drafts[i]))
        };
        let Some(target) = earlier.or_else(later) else {
            continue;
        };
        drafts.push(Draft {
            span,
            kind: EntityKind::Per,
            form: MentionForm::Description,
            titles: Vec::new(),
            antecedent: Some(target),
            score: 0.5,
            roles,
            nationality,
            tokens: Vec::new(),
        });
        // A description is a mention of its person for the descriptions after it.
        let r = root(drafts, target);
        note(&mut latest, &mut recent, r, span.start());
    }
}

fn head_matches(head: &str, d: &Draft) -> bool {
    d.roles.iter().any(|r| r.contains(head)) || (head == "general" && !d.roles.is_empty())
}

fn trim_span(text: &str, span: Span) -> Span {
    let s = span.slice(text);
    let trimmed = s.trim_end();
    Span::new(text, span.start(), span.start() + trimmed.len()).unwrap_or(span)
}

/// Gathers each local entity's profile, keyed by the index of its root mention.
pub fn profiles(text: &str, mentions: &[EntityMention]) -> Vec<(usize, Profile)> {
    let mut out: Vec<(usize, Profile)> = Vec::new();
    // Root → its place in `out`, which keeps the order in which entities first appear.
    let mut slot: HashMap<usize, usize> = HashMap::new();
    for (i, m) in mentions.iter().enumerate() {
        let r = root_of(mentions, i);
        let idx = *slot.entry(r).or_insert_with(|| {
            out.push((r, Profile::default()));
            out.len() - 1
        });
        let p = &mut out[idx].1;
        p.kind = Some(mentions[r].kind);
        p.mentions += 1;
        let surface = m.span.slice(text).to_string();
        match m.form {
            MentionForm::Name
                if p.kind == Some(EntityKind::Org) && ministry_of(text, m.span).is_some() =>
            {
                let ministry = ministry_of(text, m.span).expect("checked");
                // The official form ("Ministry of …") names it best, then the longest.
                let official = |n: &str| n.starts_with("Ministry of ");
                let better = p.key.is_none()
                    || (official(&ministry.name), ministry.name.len())
                        > (official(&p.name), p.name.len());
                if better {
                    p.name = ministry.name.clone();
                }
                p.key = Some(ministry.key);
                if p.nationality.is_none() {
                    p.nationality = ministry.country;
                }
                p.aliases.insert(surface.clone());
            }
            MentionForm::Name => {
                if name_words(&surface).count() > name_words(&p.name).count() {
                    p.name = surface.clone();
                }
                p.aliases.insert(surface.clone());
            }
            MentionForm::Framing => {
                p.framing_of = framing_target(&surface).map(str::to_string);
                if let Some(country) = &p.framing_of {
                    p.name = country.clone();
                }
                p.aliases.insert(surface.clone());
            }
            MentionForm::Description => {}
        }
        for t in &m.titles {
            let title = t.slice(text);
            p.titles.insert(title.to_string());
            p.roles.extend(roles_in(title));
            if p.nationality.is_none() {
                p.nationality = nationality_in(title);
            }
        }
        if m.form == MentionForm::Description {
            p.roles.extend(roles_in(&surface));
        }
    }
    for (_, p) in &mut out {
        prune_roles(&mut p.roles);
        // "Tasnim" in "TEHRAN (Tasnim) –" is the outlet, known by its full name. Credit forms
        // of two letters ("IP") are too ambiguous on their own.
        if p.kind == Some(EntityKind::Org) && p.name.chars().count() >= 3 {
            if let Some(outlet) = newsdesk_outlets::by_credit(&p.name) {
                if outlet.name != p.name {
                    p.aliases
                        .insert(std::mem::replace(&mut p.name, outlet.name.to_string()));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn per(text: &str, name: &str, nth: usize) -> (Span, EntityKind, f32) {
        let start = text.match_indices(name).nth(nth).unwrap().0;
        (
            Span::new(text, start, start + name.len()).unwrap(),
            EntityKind::Per,
            0.9,
        )
    }

    /// The first occurrence of `w` in `text`.
    fn first(text: &str, w: &str) -> Span {
        let start = text.find(w).unwrap();
        Span::new(text, start, start + w.len()).unwrap()
    }

    fn whole(text: &str) -> Vec<Span> {
        vec![Span::new(text, 0, text.len()).unwrap()]
    }

    #[test]
    fn a_pair_of_states_names_both() {
        let text = "Austria-Denmark talks resumed; Austrian-Danish ties are old.";
        let span = |w: &str| first(text, w);
        let names = vec![
            (span("Austria-Denmark"), EntityKind::Loc, 0.9),
            (span("Austrian-Danish"), EntityKind::Misc, 0.9),
        ];
        let m = resolve_document(text, &whole(text), &names);
        let got: Vec<(&str, EntityKind)> = m.iter().map(|x| (x.span.slice(text), x.kind)).collect();
        assert_eq!(
            got,
            [
                ("Austria", EntityKind::Loc),
                ("Denmark", EntityKind::Loc),
                ("Austrian-Danish", EntityKind::Misc)
            ]
        );
    }

    #[test]
    fn a_plural_title_is_no_name() {
        let text = "The top Generals met the Army chief in Vienna.";
        let span = |w: &str| first(text, w);
        let names = vec![
            (span("Generals"), EntityKind::Org, 0.9),
            (span("Army"), EntityKind::Org, 0.9),
            (span("Vienna"), EntityKind::Loc, 0.9),
        ];
        let m = resolve_document(text, &whole(text), &names);
        let got: Vec<&str> = m.iter().map(|x| x.span.slice(text)).collect();
        assert_eq!(got, ["Army", "Vienna"]);
    }

    #[test]
    fn titles_roles_and_surnames() {
        let text = "Austrian Defence Minister Brigadier General Karl Otto Brenner met his Danish counterpart Jan Novak. Brenner said the talks went well, and General Brenner thanked the hosts.";
        let names = vec![
            per(text, "Karl Otto Brenner", 0),
            per(text, "Jan Novak", 0),
            per(text, "Brenner", 1),
            per(text, "Brenner", 2),
        ];
        let m = resolve_document(text, &whole(text), &names);
        let brenner = m
            .iter()
            .position(|x| x.span.slice(text) == "Karl Otto Brenner")
            .unwrap();
        assert_eq!(
            m[brenner]
                .titles
                .iter()
                .map(|t| t.slice(text))
                .collect::<Vec<_>>(),
            ["Austrian Defence Minister Brigadier General"]
        );
        let novak = m
            .iter()
            .find(|x| x.span.slice(text) == "Jan Novak")
            .unwrap();
        assert_eq!(novak.titles[0].slice(text), "Danish counterpart");
        let later: Vec<_> = m
            .iter()
            .filter(|x| x.span.slice(text) == "Brenner")
            .collect();
        assert_eq!(later.len(), 2);
        assert!(
            later.iter().all(|x| x.antecedent == Some(brenner as u32)),
            "{m:#?}"
        );
        let p = profiles(text, &m);
        let (_, bp) = p.iter().find(|(r, _)| *r == brenner).unwrap();
        assert!(bp.roles.contains("defence minister"), "{bp:?}");
        assert_eq!(bp.nationality.as_deref(), Some("Austria"));
    }

    #[test]
    fn a_longer_name_containing_a_famous_one_is_not_merged_when_countries_differ() {
        let text = "Syrian Defence Minister Ali Hassan Karimi arrived. Palestinian President Hassan Karimi was not there.";
        let names = vec![
            per(text, "Ali Hassan Karimi", 0),
            per(text, "Hassan Karimi", 1),
        ];
        let m = resolve_document(text, &whole(text), &names);
        assert!(m.iter().all(|x| x.antecedent.is_none()), "{m:?}");
        // Without a conflicting title the shorter form is the same person.
        let text =
            "Syrian Defence Minister Ali Hassan Karimi arrived. General Hassan Karimi spoke.";
        let names = vec![
            per(text, "Ali Hassan Karimi", 0),
            per(text, "Hassan Karimi", 1),
        ];
        let m = resolve_document(text, &whole(text), &names);
        assert_eq!(
            m.iter().filter(|x| x.antecedent == Some(0)).count(),
            1,
            "{m:?}"
        );
    }

    #[test]
    fn half_brackets_are_cut_from_names() {
        let text = "HILLTOWN (River Wire) – Officials met.";
        let span = Span::new(text, 0, 20).unwrap();
        assert_eq!(balanced(text, span).unwrap().slice(text), "River Wire");
    }

    #[test]
    fn long_article_descriptions_link_to_the_latest_person_in_reach() {
        // Many short stories in one document: each description goes to the minister of its
        // own story, and one beyond the reach of every minister links to nobody.
        let mut text = String::new();
        let mut names = Vec::new();
        for i in 0..40 {
            let name = format!("Karl Mustermann{i}");
            text.push_str("Defence Minister ");
            let start = text.len();
            text.push_str(&name);
            names.push((
                Span::from_offsets(start as u32, text.len() as u32).unwrap(),
                EntityKind::Per,
                0.9,
            ));
            text.push_str(" visited the port. The minister said it was busy.\n\n");
        }
        text.push_str(&"Rain fell on the hills all day long. ".repeat(2_000));
        text.push_str("The minister said nothing.");
        let m = resolve_document(&text, &whole(&text), &names);
        let descriptions: Vec<&EntityMention> = m
            .iter()
            .filter(|x| x.form == MentionForm::Description)
            .collect();
        assert_eq!(descriptions.len(), 40, "{descriptions:?}");
        for d in descriptions {
            let person = &m[d.antecedent.expect("linked") as usize];
            let between = &text[person.span.end()..d.span.start()];
            assert_eq!(between, " visited the port. ", "{d:?}");
        }
    }

    #[test]
    fn a_title_and_surname_before_the_full_name_is_that_person() {
        let text = "President Varga opened the bridge. Officials praised it. President Anton Varga later thanked the builders, and Varga left.";
        let names = vec![
            per(text, "Varga", 0),
            per(text, "Anton Varga", 0),
            per(text, "Varga", 2),
        ];
        let m = resolve_document(text, &whole(text), &names);
        let full = m
            .iter()
            .position(|x| x.span.slice(text) == "Anton Varga")
            .unwrap();
        assert!(m[full].antecedent.is_none(), "{m:#?}");
        let others: Vec<_> = m.iter().filter(|x| x.span.slice(text) == "Varga").collect();
        assert_eq!(others.len(), 2);
        assert!(
            others.iter().all(|x| x.antecedent == Some(full as u32)),
            "{m:#?}"
        );
        let p = profiles(text, &m);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].1.name, "Anton Varga");

        // Two later people with that surname, or a conflicting role: no link.
        for text in [
            "President Varga spoke. President Anton Varga and his brother Ivo Varga came.",
            "President Varga spoke. Later Defence Minister Ilse Varga came.",
        ] {
            let mut names = vec![per(text, "Varga", 0)];
            for full in ["Anton Varga", "Ivo Varga", "Ilse Varga"] {
                if text.contains(full) {
                    names.push(per(text, full, 0));
                }
            }
            let m = resolve_document(text, &whole(text), &names);
            assert!(m.iter().all(|x| x.antecedent.is_none()), "{text}: {m:#?}");
        }
    }

    #[test]
    fn an_ideology_adjective_is_not_a_place() {
        let text =
            "Salafist groups and Danish soldiers fought near Aarhus, and Wahhabi clerics spoke.";
        let span = |w: &str| first(text, w);
        let names = vec![
            (span("Salafist"), EntityKind::Loc, 0.9),
            (span("Danish"), EntityKind::Loc, 0.9),
            (span("Aarhus"), EntityKind::Loc, 0.9),
            (span("Wahhabi"), EntityKind::Per, 0.9),
        ];
        let m = resolve_document(text, &whole(text), &names);
        let got: Vec<(&str, EntityKind)> = m.iter().map(|x| (x.span.slice(text), x.kind)).collect();
        assert_eq!(
            got,
            [
                ("Salafist", EntityKind::Misc),
                ("Danish", EntityKind::Misc),
                ("Aarhus", EntityKind::Loc),
                ("Wahhabi", EntityKind::Misc)
            ]
        );
    }

    #[test]
    fn an_outlets_credit_name_is_the_outlet_by_its_full_name() {
        let text = "ROME (Reuters) – Talks resumed. Mehr said the talks went well.";
        let span = |w: &str| first(text, w);
        let names = vec![
            (span("ROME"), EntityKind::Loc, 0.9),
            (span("Reuters"), EntityKind::Org, 0.9),
            (span("Mehr"), EntityKind::Org, 0.9),
        ];
        let m = resolve_document(text, &whole(text), &names);
        let p = profiles(text, &m);
        let names: Vec<&str> = p.iter().map(|(_, p)| p.name.as_str()).collect();
        assert_eq!(names, ["ROME", "Reuters", "Mehr News Agency"]);
        let mehr = &p[2].1;
        assert!(mehr.aliases.contains("Mehr"), "{mehr:?}");
    }

    #[test]
    fn a_ministry_in_a_role_and_its_other_forms_are_one_organisation() {
        let text = "Kari Nordmann, Minister of Defence and Veterans Affairs of the Kingdom of Norway, spoke. Norway's Defence Ministry said later that the Ministry of Defence and Veterans Affairs would pay.";
        let span = |w: &str, nth: usize| {
            let start = text.match_indices(w).nth(nth).unwrap().0;
            Span::new(text, start, start + w.len()).unwrap()
        };
        let names = vec![
            per(text, "Kari Nordmann", 0),
            (
                span("Defence and Veterans Affairs", 0),
                EntityKind::Org,
                0.9,
            ),
            (span("Norway", 1), EntityKind::Loc, 0.9),
            (span("Defence Ministry", 0), EntityKind::Org, 0.9),
            (
                span("Ministry of Defence and Veterans Affairs", 0),
                EntityKind::Org,
                0.9,
            ),
        ];
        let m = resolve_document(text, &whole(text), &names);
        let p = profiles(text, &m);
        let ministries: Vec<&Profile> = p
            .iter()
            .map(|(_, p)| p)
            .filter(|p| p.kind == Some(EntityKind::Org))
            .collect();
        assert_eq!(ministries.len(), 1, "{p:#?}");
        let ministry = ministries[0];
        assert_eq!(ministry.name, "Ministry of Defence and Veterans Affairs");
        assert_eq!(ministry.key.as_deref(), Some("ministry of defence"));
        assert_eq!(ministry.nationality.as_deref(), Some("Norway"));
        assert_eq!(ministry.mentions, 3);

        // The other forms of the name give the same key and state.
        for (text, form) in [
            (
                "The Defense Ministry of Norway said so.",
                "Defense Ministry of Norway",
            ),
            (
                "Norway's Defence Ministry said so.",
                "Norway's Defence Ministry",
            ),
            (
                "The Norwegian Defence Ministry said so.",
                "Defence Ministry",
            ),
            (
                "The Ministry of Defense of the Kingdom of Norway said so.",
                "Ministry of Defense of the Kingdom of Norway",
            ),
        ] {
            let got = ministry_of(text, first(text, form)).expect(text);
            assert_eq!(got.key, "ministry of defence", "{text}");
            assert_eq!(got.country.as_deref(), Some("Norway"), "{text}");
        }
    }

    #[test]
    fn descriptions_and_framing() {
        let text = "Syrian Defence Minister Ali Karimi met officials. The Syrian defence minister said ties were strong. He condemned the Zionist regime.";
        let names = vec![per(text, "Ali Karimi", 0)];
        let m = resolve_document(text, &whole(text), &names);
        let desc = m
            .iter()
            .find(|x| x.form == MentionForm::Description)
            .expect("description found");
        assert_eq!(desc.span.slice(text), "The Syrian defence minister");
        assert_eq!(desc.antecedent, Some(0));
        let framing = m.iter().find(|x| x.form == MentionForm::Framing).unwrap();
        assert_eq!(framing.span.slice(text), "Zionist regime");
        assert_eq!(framing_target(framing.span.slice(text)), Some("Israel"));
    }
}
