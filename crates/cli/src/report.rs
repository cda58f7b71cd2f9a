//! Human-readable output.

use std::io::{self, Write};

use std::collections::{BTreeMap, HashMap};

use newsdesk_copies::CopyLink;
use newsdesk_runner::{StoryView, ThreadView};
use newsdesk_span::{Document, EntityKind, Field, Layers, Meta};
use newsdesk_store::{EntityRecord, Summary};

/// "1 article", "7 articles".
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn or_dash<T: ToString>(field: &Option<Field<T>>) -> String {
    field
        .as_ref()
        .map_or("-".to_string(), |f| f.value.to_string())
}

fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}

fn outlet_cell(meta: &Meta) -> String {
    match &meta.republisher {
        Some(r) => format!("{} (via {})", or_dash(&meta.outlet), r.value),
        None => or_dash(&meta.outlet),
    }
}

fn row(out: &mut dyn Write, id: &str, meta: &Meta) -> io::Result<()> {
    let published = meta
        .published
        .as_ref()
        .map_or("-".to_string(), |p| p.value.date().to_string());
    writeln!(
        out,
        "{:<16}  {:<10}  {:<34}  {}",
        id,
        published,
        clip(&outlet_cell(meta), 34),
        clip(&or_dash(&meta.title), 70)
    )
}

fn header(out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{:<16}  {:<10}  {:<34}  TITLE",
        "ID", "PUBLISHED", "OUTLET"
    )
}

pub fn articles(out: &mut dyn Write, list: &[Summary]) -> io::Result<()> {
    header(out)?;
    for s in list {
        row(out, s.id.as_str(), &s.meta)?;
    }
    Ok(())
}

/// The canonical entities an article mentions, by kind, most mentioned first.
fn entities_by_kind(
    layers: &Layers,
    entities: &HashMap<String, EntityRecord>,
) -> BTreeMap<EntityKind, Vec<(String, usize)>> {
    let mut counts: BTreeMap<EntityKind, BTreeMap<String, usize>> = BTreeMap::new();
    // Page furniture (a slogan the outlet prints on every page) is not what the article says.
    for m in layers
        .entities
        .iter()
        .filter(|m| !layers.is_furniture(m.span))
    {
        let Some(e) = m.entity.as_ref().and_then(|id| entities.get(id)) else {
            continue;
        };
        let mut about: Vec<String> = e.roles.clone();
        about.extend(e.nationality.clone());
        let label = if m.kind == EntityKind::Per && !about.is_empty() {
            format!("{} ({})", e.canonical, about.join(", "))
        } else {
            e.canonical.clone()
        };
        *counts.entry(m.kind).or_default().entry(label).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(k, c)| {
            let mut v: Vec<(String, usize)> = c.into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            (k, v)
        })
        .collect()
}

/// The main report: the stories first (what happened, when, where, how many independent
/// sources), then each article's people, places, dates and quotes.
pub fn analyze(
    out: &mut dyn Write,
    stories: &[StoryView],
    meta: &MetaById,
    docs: &[(Document, Layers)],
    entities: &HashMap<String, EntityRecord>,
) -> io::Result<()> {
    writeln!(
        out,
        "{} in {}\n",
        count(docs.len(), "article", "articles"),
        count(stories.len(), "story", "stories")
    )?;
    for s in stories {
        story(out, s, meta)?;
        writeln!(out)?;
    }
    for (doc, layers) in docs {
        writeln!(out, "\n== {}  {}", doc.id(), or_dash(&doc.meta.title))?;
        let by_kind = entities_by_kind(layers, entities);
        for (kind, label) in [
            (EntityKind::Per, "people"),
            (EntityKind::Org, "organisations"),
            (EntityKind::Loc, "places"),
        ] {
            let Some(list) = by_kind.get(&kind) else {
                continue;
            };
            let shown: Vec<String> = list
                .iter()
                .map(|(name, n)| {
                    if *n > 1 {
                        format!("{name} ×{n}")
                    } else {
                        name.clone()
                    }
                })
                .collect();
            writeln!(out, "  {label:<14} {}", shown.join("; "))?;
        }
        let dates = dates_line(doc, layers);
        if !dates.is_empty() {
            writeln!(out, "  {:<14} {}", "dates", dates)?;
        }
        quotes_by_speaker(out, doc, layers, entities)?;
    }
    Ok(())
}

/// Quotes grouped by canonical speaker, in order of first appearance; unknown speakers last.
fn quotes_by_speaker(
    out: &mut dyn Write,
    doc: &Document,
    layers: &Layers,
    entities: &HashMap<String, EntityRecord>,
) -> io::Result<()> {
    let text = doc.text();
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for q in layers
        .quotes
        .iter()
        .filter(|q| !layers.is_furniture(q.span))
    {
        let who = match &q.speaker {
            Some(s) => match crate::json::speaker_entity(text, layers, s, entities) {
                (_, Some(canonical)) => canonical,
                _ => format!("{} (unresolved)", s.span.slice(text)),
            },
            None => format!(
                "unknown ({})",
                q.reason.as_deref().unwrap_or("no reason given")
            ),
        };
        let content = clip(
            &q.content
                .slice(text)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            90,
        );
        let cue = q
            .cue
            .map(|c| format!(" [{}]", c.slice(text)))
            .unwrap_or_default();
        let item = format!(
            "{} “{content}”{cue}",
            format!("{:?}", q.kind).to_lowercase()
        );
        match groups.iter_mut().find(|(w, _)| *w == who) {
            Some((_, items)) => items.push(item),
            None => groups.push((who, vec![item])),
        }
    }
    groups.sort_by_key(|(w, _)| w.starts_with("unknown"));
    if !groups.is_empty() {
        writeln!(out, "  quotes")?;
    }
    for (who, items) in groups {
        writeln!(out, "    {who}")?;
        for item in items {
            writeln!(out, "      {item}")?;
        }
    }
    Ok(())
}

/// Every quote of the store, one line each.
pub fn quotes(out: &mut dyn Write, rows: &[serde_json::Value]) -> io::Result<()> {
    for q in rows {
        let speaker = match &q["speaker"] {
            serde_json::Value::Null => format!("unknown ({})", q["reason"].as_str().unwrap_or("-")),
            s => s["canonical"]
                .as_str()
                .or(s["text"].as_str())
                .unwrap_or("-")
                .to_string(),
        };
        let text = q["text"]
            .as_str()
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        writeln!(
            out,
            "{}  {:<8}  {:<28}  {}",
            q["article"].as_str().unwrap_or_default(),
            q["kind"].as_str().unwrap_or_default(),
            clip(&speaker, 28),
            clip(&text, 100)
        )?;
    }
    Ok(())
}

/// "on Wednesday → 10 May 2023; last week → week 18 of 2023; yesterday → unknown (no
/// publication date)". TIMEX3 values are put in words here; the JSON keeps them as they are.
fn dates_line(doc: &Document, layers: &Layers) -> String {
    let text = doc.text();
    let mut seen = Vec::new();
    for d in layers.dates.iter().filter(|d| !layers.is_furniture(d.span)) {
        let value = match (&d.value, &d.reason) {
            (Some(v), _) => newsdesk_timex::describe(v),
            (None, Some(reason)) => format!("unknown ({reason})"),
            (None, None) => "unknown".to_string(),
        };
        let item = format!("{} → {value}", d.span.slice(text));
        if !seen.contains(&item) {
            seen.push(item);
        }
    }
    seen.join("; ")
}

pub fn entities(out: &mut dyn Write, list: &[EntityRecord]) -> io::Result<()> {
    writeln!(
        out,
        "{:<40}  {:<4}  {:>8}  {:>8}  CANONICAL (TITLES)",
        "ID", "KIND", "MENTIONS", "ARTICLES"
    )?;
    for e in list {
        let titles = if e.titles.is_empty() {
            String::new()
        } else {
            format!(" ({})", e.titles.join("; "))
        };
        writeln!(
            out,
            "{:<40}  {:<4}  {:>8}  {:>8}  {}{}",
            clip(&e.id, 40),
            e.kind,
            e.mentions,
            e.articles.len(),
            e.canonical,
            clip(&titles, 120)
        )?;
    }
    Ok(())
}

pub fn article(
    out: &mut dyn Write,
    doc: &Document,
    layers: &Layers,
    entities: &HashMap<String, EntityRecord>,
) -> io::Result<()> {
    let m = &doc.meta;
    writeln!(out, "id          {}", doc.id())?;
    writeln!(out, "source      {}", doc.source)?;
    if let Some(url) = &m.url {
        writeln!(out, "url         {url}")?;
    }
    for (name, field) in [
        ("title", &m.title),
        ("byline", &m.byline),
        ("outlet", &m.outlet),
        ("republisher", &m.republisher),
        ("language", &m.language),
    ] {
        if let Some(f) = field {
            writeln!(out, "{name:<11} {}  [{}]", f.value, f.source)?;
        }
    }
    match &m.published {
        Some(p) => writeln!(out, "published   {}  [{}]", p.value, p.source)?,
        None => writeln!(out, "published   unknown")?,
    }
    writeln!(out, "chars       {}", doc.chars())?;
    for (kind, list) in entities_by_kind(layers, entities) {
        let names: Vec<&str> = list.iter().map(|(n, _)| n.as_str()).collect();
        writeln!(out, "{:<11} {}", kind.as_str(), names.join("; "))?;
    }
    let dates = dates_line(doc, layers);
    if !dates.is_empty() {
        writeln!(out, "{:<11} {dates}", "dates")?;
    }
    quotes_by_speaker(out, doc, layers, entities)?;
    writeln!(out)?;
    writeln!(out, "{}", doc.text())
}

/// Articles' metadata by ID, for the rows of story reports.
pub type MetaById = HashMap<newsdesk_span::DocId, Meta>;

fn day(value: &str) -> String {
    newsdesk_timex::describe(value)
}

fn when(story: &StoryView) -> String {
    match (&story.date_from, &story.date_to) {
        (Some(from), Some(to)) if from.value == to.value => day(&from.value),
        (Some(from), Some(to)) => format!("{} – {}", day(&from.value), day(&to.value)),
        _ => "unknown".to_string(),
    }
}

fn sources_line(story: &StoryView) -> String {
    format!(
        "{} from {}; {} ({} counting one owner or state once)",
        count(story.articles.len(), "article", "articles"),
        count(story.outlets.len(), "outlet", "outlets"),
        count(
            story.independent_sources.count,
            "independent source",
            "independent sources"
        ),
        story.independent_owners.count
    )
}

/// The story list: one line each, largest first.
pub fn stories(out: &mut dyn Write, list: &[StoryView]) -> io::Result<()> {
    writeln!(
        out,
        "{:<16}  {:>8}  {:>7}  {:<24}  {:<18}  HEADLINE",
        "STORY", "ARTICLES", "SOURCES", "WHEN", "WHERE"
    )?;
    for s in list {
        writeln!(
            out,
            "{:<16}  {:>8}  {:>7}  {:<24}  {:<18}  {}",
            s.id,
            s.articles.len(),
            s.independent_sources.count,
            clip(&when(s), 24),
            clip(s.place.as_ref().map_or("-", |p| p.name.as_str()), 18),
            clip(s.headline.as_ref().map_or("-", |h| h.text.as_str()), 70)
        )?;
    }
    Ok(())
}

fn link_line(link: &CopyLink) -> String {
    let direction = match &link.direction {
        Some(d) => format!(
            "{} copied from {} (by {})",
            d.copy,
            d.source,
            match d.by {
                newsdesk_copies::DirectionEvidence::CreditLine => "credit line",
                newsdesk_copies::DirectionEvidence::PublicationDate => "publication date",
            }
        ),
        None => "direction unknown".to_string(),
    };
    format!(
        "{} ↔ {}  {} {:.2}  {}; {}",
        link.a,
        link.b,
        link.kind.as_str(),
        link.score,
        count(link.passages.len(), "passage", "passages"),
        direction
    )
}

/// One story in full: what happened, when and where, the sources and why they count as they
/// do, then its articles.
pub fn story(out: &mut dyn Write, s: &StoryView, meta: &MetaById) -> io::Result<()> {
    let headline = s.headline.as_ref().map_or("-", |h| h.text.as_str());
    writeln!(out, "== Story {}  {}", s.id, headline)?;
    if let Some(thread) = s.thread.as_ref().filter(|t| **t != s.id) {
        writeln!(out, "  {:<14} {}", "thread", thread)?;
    }
    let when = match &s.date_reason {
        Some(reason) => format!("unknown ({reason})"),
        None => when(s),
    };
    writeln!(out, "  {:<14} {}", "when", when)?;
    let place = match (&s.place, &s.place_reason) {
        (Some(p), _) => format!(
            "{} (named in {})",
            p.name,
            count(p.articles, "lede", "ledes")
        ),
        (None, Some(reason)) => format!("unknown ({reason})"),
        (None, None) => "unknown".to_string(),
    };
    writeln!(out, "  {:<14} {}", "where", place)?;
    if !s.people.is_empty() {
        let people: Vec<String> = s
            .people
            .iter()
            .map(|p| {
                if p.articles > 1 {
                    format!("{} ×{}", p.name, p.articles)
                } else {
                    p.name.clone()
                }
            })
            .collect();
        writeln!(out, "  {:<14} {}", "people", people.join("; "))?;
    }
    writeln!(out, "  {:<14} {}", "sources", sources_line(s))?;
    for group in s
        .independent_owners
        .groups
        .iter()
        .filter(|g| g.members.len() > 1)
    {
        let why: Vec<String> = group
            .joins
            .iter()
            .map(|j| match j {
                newsdesk_copies::Join::Copy { a, b, kind } => {
                    format!("{} link {a}–{b}", kind.as_str())
                }
                newsdesk_copies::Join::Ownership { outlets, group } => {
                    format!("{} share {group}", outlets.join(" and "))
                }
            })
            .collect();
        writeln!(
            out,
            "  {:<14} {} — {}",
            "one source",
            group.members.join(" + "),
            why.join("; ")
        )?;
    }
    for split in &s.splits {
        let (other, own_words, other_words) = if split.story.0 == s.id {
            (
                &split.split_off,
                (&split.story_names, &split.story_terms),
                (&split.split_off_names, &split.split_off_terms),
            )
        } else {
            (
                &split.story,
                (&split.split_off_names, &split.split_off_terms),
                (&split.story_names, &split.story_terms),
            )
        };
        let typical = |(names, terms): (&Vec<String>, &Vec<String>)| {
            // A name's single words (`~…`) repeat the name.
            let words: Vec<&str> = names
                .iter()
                .filter(|n| !n.starts_with('~'))
                .chain(terms.iter())
                .take(6)
                .map(String::as_str)
                .collect();
            if words.is_empty() {
                "-".to_string()
            } else {
                words.join(", ")
            }
        };
        writeln!(
            out,
            "  {:<14} apart from {other}: alike {:.2} within the halves, {:.2} across; here {}; there {}",
            "split",
            split.within,
            split.between,
            typical(own_words),
            typical(other_words)
        )?;
    }
    writeln!(out)?;
    header(out)?;
    for id in &s.articles {
        match meta.get(id) {
            Some(m) => row(out, id.as_str(), m)?,
            None => writeln!(out, "{id}")?,
        }
    }
    if !s.copies.is_empty() {
        writeln!(out, "\n  copies")?;
        for link in &s.copies {
            writeln!(out, "    {}", link_line(link))?;
        }
    }
    Ok(())
}

/// Threads: each with its stories, one line each.
pub fn threads(out: &mut dyn Write, list: &[ThreadView]) -> io::Result<()> {
    for t in list {
        writeln!(
            out,
            "== Thread {}  {}  ({}, {})",
            t.id,
            t.headline.as_ref().map_or("-", |h| h.text.as_str()),
            count(t.stories.len(), "story", "stories"),
            count(t.articles, "article", "articles")
        )?;
        for s in &t.stories {
            writeln!(
                out,
                "  {:<16}  {:>3}  {:<24}  {}",
                s.id,
                s.articles.len(),
                clip(&when(s), 24),
                clip(s.headline.as_ref().map_or("-", |h| h.text.as_str()), 70)
            )?;
        }
    }
    Ok(())
}

/// Copy links, one per line, with their passages' first words.
pub fn copies(out: &mut dyn Write, links: &[CopyLink]) -> io::Result<()> {
    for link in links {
        writeln!(out, "{}", link_line(link))?;
    }
    if links.is_empty() {
        writeln!(out, "no copies found")?;
    }
    Ok(())
}
