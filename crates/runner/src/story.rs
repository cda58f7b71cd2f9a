//! What a reader sees of a story: built on read from the clusterer's state, the stored
//! articles, their layers and the copy links, so that every field points at its evidence.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::civil::Date;
use newsdesk_copies::{independent_owners, independent_sources, CopyLink, Reporting, SourceCount};
use newsdesk_resolve::root_of;
use newsdesk_span::{DocId, Document, EntityKind, Layers, MentionForm, QuoteKind, Span, TimexKind};
use newsdesk_store::{EntityRecord, Store};
use newsdesk_stories::{lede_end, Split, Stories, StoryId};
use serde::Serialize;

use crate::RunError;

/// A piece of text in one article that supports a field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub article: DocId,
    pub span: Span,
    pub text: String,
}

/// The story's headline: one member's own title, or where no member has one, the first
/// sentence of its first article; never generated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Headline {
    pub text: String,
    pub article: DocId,
    /// The sentence's span when the headline is a first sentence, not a title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

/// A first sentence longer than this is cut at a word boundary for a headline.
const HEADLINE_CHARS: usize = 160;

/// A day the story's articles give for what happened, with the date mentions that say so.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EventDay {
    /// `YYYY-MM-DD`.
    pub value: String,
    pub evidence: Vec<Evidence>,
}

/// A canonical entity the story's articles name, with how many of them do and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Named {
    /// The canonical entity's ID.
    pub entity: String,
    /// Its canonical name.
    pub name: String,
    pub articles: usize,
    /// One mention per article.
    pub evidence: Vec<Evidence>,
}

/// Why an article joined its story: the article it matched and what they share.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Joined {
    pub article: DocId,
    pub with: DocId,
    pub similarity: f64,
    pub shared_names: Vec<String>,
    pub shared_terms: Vec<String>,
    /// The article copies the one it matched (a verified copy link decided the join).
    pub by_copy: bool,
}

/// One story as the CLI, the JSON API and the web UI show it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoryView {
    pub id: String,
    /// The thread the story belongs to (the ID of its senior story).
    pub thread: Option<String>,
    pub headline: Option<Headline>,
    /// Member articles, in the order they joined.
    pub articles: Vec<DocId>,
    /// When it happened, from the dates the articles' ledes resolve to a day (`YYYY-MM-DD`);
    /// when no lede gives a day, the finest week (`YYYY-Www`) or month (`YYYY-MM`) they give.
    pub date_from: Option<EventDay>,
    pub date_to: Option<EventDay>,
    /// Why `date_from`/`date_to` are null.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_reason: Option<String>,
    /// The members' publication days (not when it happened).
    pub published_from: Option<String>,
    pub published_to: Option<String>,
    /// Where it happened: the place most members' ledes give, one vote per article: a place
    /// the lede puts the event in ("in Damascus") before the dateline's, which says where the
    /// report was filed, before a place named otherwise.
    pub place: Option<Named>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place_reason: Option<String>,
    /// People named in the members, most widely named first.
    pub people: Vec<Named>,
    /// The outlets that wrote the members (credited outlets for reposts).
    pub outlets: Vec<String>,
    /// Sites that reposted another outlet's story.
    pub republishers: Vec<String>,
    pub independent_sources: SourceCount,
    pub independent_owners: SourceCount,
    /// Copy links between members.
    pub copies: Vec<CopyLink>,
    /// Why each later member joined.
    pub joins: Vec<Joined>,
    /// The splits this story came out of, as the half that kept its ID or the half split off:
    /// how alike the halves were within and across, and the words and names that tell them
    /// apart.
    pub splits: Vec<Split>,
}

/// People shown per story.
const MAX_PEOPLE: usize = 12;

fn evidence(doc: &Document, span: Span) -> Evidence {
    Evidence {
        article: doc.id().clone(),
        span,
        text: span.slice(doc.text()).to_string(),
    }
}

/// How a lede names a place, best first: "met in Damascus" says where it happened; the
/// dateline ("TEHRAN (Tasnim) –") says where the report was filed, which is often elsewhere;
/// a place named otherwise ("Iran is ready to help Syria") is a party more often than a venue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum PlaceCue {
    Locative,
    Dateline,
    Other,
}

fn place_cue(
    text: &str,
    layers: &Layers,
    span: Span,
    dateline: Option<newsdesk_quotes::Dateline>,
) -> PlaceCue {
    if dateline.is_some_and(|d| span.end() <= d.end as usize) {
        return PlaceCue::Dateline;
    }
    // "forces in Syria" in a speaker's own words is the speaker's subject, not the venue. A
    // reported lede ("… met in Vienna, officials said") is narration, so only words inside
    // quotation marks count.
    let quoted = layers.quotes.iter().any(|q| {
        q.content.start() <= span.start()
            && span.end() <= q.content.end()
            && match q.kind {
                QuoteKind::Direct => true,
                QuoteKind::Indirect => false,
                QuoteKind::Mixed => {
                    text[q.content.start()..span.start()]
                        .chars()
                        .filter(|c| matches!(c, '"' | '“' | '”' | '«' | '»'))
                        .count()
                        % 2
                        == 1
                }
            }
    });
    if quoted {
        return PlaceCue::Other;
    }
    let before = text[..span.start()].trim_end();
    let before = before
        .strip_suffix("the")
        .filter(|b| b.ends_with(char::is_whitespace))
        .map_or(before, str::trim_end);
    let word = before
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("")
        .to_lowercase();
    if matches!(
        word.as_str(),
        "in" | "at" | "near" | "outside" | "inside" | "across" | "off"
    ) {
        PlaceCue::Locative
    } else {
        PlaceCue::Other
    }
}

/// A week or a month a TIMEX3 value names (`2023-W18`, `2023-05`), ordered by its first day.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Period {
    start: Date,
    /// 0 for a week, 1 for a month: the lower, the finer.
    precision: u8,
    value: String,
}

impl Period {
    fn of(value: &str) -> Option<Period> {
        let (year, rest) = value.split_once('-')?;
        let year: i16 = year.parse().ok().filter(|_| year.len() == 4)?;
        let two = |s: &str| -> Option<i8> {
            (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let (start, precision) = match rest.strip_prefix('W') {
            Some(week) => (
                jiff::civil::ISOWeekDate::new(year, two(week)?, jiff::civil::Weekday::Monday)
                    .ok()?
                    .date(),
                0,
            ),
            None => (Date::new(year, two(rest)?, 1).ok()?, 1),
        };
        Some(Period {
            start,
            precision,
            value: value.to_string(),
        })
    }
}

/// A TIMEX3 value that names one day (`2023-05-10`, `2023-05-10TMO`).
fn day_of(value: &str) -> Option<Date> {
    value.get(..10)?.parse().ok()
}

/// The canonical entity of a mention: that of the mention that introduced it.
fn canonical(layers: &Layers, i: usize) -> Option<&str> {
    layers.entities[root_of(&layers.entities, i)]
        .entity
        .as_deref()
}

/// Builds the views of `ids` (every story when `None`).
pub fn story_views(
    store: &dyn Store,
    stories: &Stories,
    ids: Option<&[StoryId]>,
) -> Result<Vec<StoryView>, RunError> {
    let names: HashMap<String, EntityRecord> = store
        .entities()?
        .into_iter()
        .map(|e| (e.id.clone(), e))
        .collect();
    let chosen: Vec<&newsdesk_stories::Story> = match ids {
        Some(ids) => ids.iter().filter_map(|id| stories.story(id)).collect(),
        None => stories.stories().collect(),
    };
    let mut out = Vec::with_capacity(chosen.len());
    for story in chosen {
        let mut members = Vec::new();
        for id in &story.members {
            if let Some(doc) = store.get(id)? {
                let layers = store.layers(doc.id())?;
                members.push((doc, layers));
            }
        }
        let member_ids: BTreeSet<&DocId> = members.iter().map(|(d, _)| d.id()).collect();
        let mut copies: Vec<CopyLink> = Vec::new();
        for (doc, _) in &members {
            for link in store.copy_links(Some(doc.id()))? {
                // Each link once: from its `a` side, when both ends are members.
                if &link.a == doc.id() && member_ids.contains(&link.b) {
                    copies.push(link);
                }
            }
        }
        siblings_undirected(&mut copies);
        out.push(view(stories, story, &members, copies, &names));
    }
    Ok(out)
}

/// Two copies of one original share its words, so they link to each other too; which of the
/// two was published first says nothing about who copied whom. A direction taken from
/// publication dates alone is dropped where the copy is better explained by another article:
/// it copies a third article that the supposed source copies too, or it shares more of its
/// words with another source.
fn siblings_undirected(copies: &mut [CopyLink]) {
    use newsdesk_copies::DirectionEvidence;
    let mut sources: HashMap<DocId, Vec<(DocId, f32)>> = HashMap::new();
    for link in copies.iter() {
        if let Some(d) = &link.direction {
            if link.kind.same_source() {
                sources
                    .entry(d.copy.clone())
                    .or_default()
                    .push((d.source.clone(), link.score));
            }
        }
    }
    let none = Vec::new();
    for link in copies.iter_mut() {
        let Some(d) = &link.direction else { continue };
        if d.by != DirectionEvidence::PublicationDate || !link.kind.same_source() {
            continue;
        }
        let of_copy = sources.get(&d.copy).unwrap_or(&none);
        let of_source = sources.get(&d.source).unwrap_or(&none);
        let common = of_copy
            .iter()
            .any(|(c, _)| of_source.iter().any(|(s, _)| s == c));
        let better = of_copy
            .iter()
            .any(|(c, score)| *c != d.source && *score > link.score);
        if common || better {
            link.direction = None;
        }
    }
}

fn view(
    stories: &Stories,
    story: &newsdesk_stories::Story,
    members: &[(Document, Layers)],
    copies: Vec<CopyLink>,
    names: &HashMap<String, EntityRecord>,
) -> StoryView {
    let headline = members
        .iter()
        .find_map(|(d, _)| {
            d.meta.title.as_ref().map(|t| Headline {
                text: t.value.clone(),
                article: d.id().clone(),
                span: None,
            })
        })
        .or_else(|| {
            let (doc, layers) = members.first()?;
            let sentence = *layers
                .sentences
                .iter()
                .find(|s| !layers.is_furniture(**s))?;
            let text = sentence.slice(doc.text()).trim();
            let text = if text.chars().count() > HEADLINE_CHARS {
                let cut: String = text.chars().take(HEADLINE_CHARS).collect();
                let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
                format!("{cut} …")
            } else {
                text.to_string()
            };
            Some(Headline {
                text,
                article: doc.id().clone(),
                span: Some(sentence),
            })
        });
    // Event days from the ledes, each with its mentions.
    let mut days: BTreeMap<Date, Vec<Evidence>> = BTreeMap::new();
    // Weeks and months ("last week", "in May"), for a story no lede dates to a day.
    let mut periods: BTreeMap<Period, Vec<Evidence>> = BTreeMap::new();
    let mut places: BTreeMap<&str, Vec<Evidence>> = BTreeMap::new();
    let mut people: BTreeMap<&str, Vec<Evidence>> = BTreeMap::new();
    for (doc, layers) in members {
        let end = lede_end(doc.text(), layers);
        // A report tells what has happened by the time it is published: a later day in its
        // lede is a plan or an expectation ("the first ship docks tomorrow"), not the event.
        let published = doc.meta.published.as_ref().map(|p| p.value.date());
        let mut dated: BTreeSet<Date> = BTreeSet::new();
        let mut periods_seen: BTreeSet<Period> = BTreeSet::new();
        // Page furniture (a slogan, a standing box) is not what the article reports.
        for d in &layers.dates {
            if d.span.start() >= end
                || !matches!(d.kind, TimexKind::Date | TimexKind::Time)
                || layers.is_furniture(d.span)
            {
                continue;
            }
            let Some(value) = d.value.as_deref() else {
                continue;
            };
            if let Some(day) = day_of(value).filter(|day| published.is_none_or(|p| *day <= p)) {
                if dated.insert(day) {
                    days.entry(day).or_default().push(evidence(doc, d.span));
                }
            } else if let Some(period) = Period::of(value) {
                if published.is_none_or(|p| period.start <= p)
                    && periods_seen.insert(period.clone())
                {
                    periods
                        .entry(period)
                        .or_default()
                        .push(evidence(doc, d.span));
                }
            }
        }
        let mut named: BTreeSet<&str> = BTreeSet::new();
        let mut lede_places: Vec<(PlaceCue, &str, Span)> = Vec::new();
        let dateline = newsdesk_quotes::dateline(doc.text());
        for (i, m) in layers.entities.iter().enumerate() {
            if m.form == MentionForm::Framing || layers.is_furniture(m.span) {
                continue;
            }
            let Some(entity) = canonical(layers, i) else {
                continue;
            };
            match m.kind {
                EntityKind::Loc if m.span.start() < end => {
                    let cue = place_cue(doc.text(), layers, m.span, dateline);
                    lede_places.push((cue, entity, m.span));
                }
                EntityKind::Per if named.insert(entity) => {
                    people
                        .entry(entity)
                        .or_default()
                        .push(evidence(doc, m.span));
                }
                _ => {}
            }
        }
        // One vote per article: the place its lede says the thing happened in, the dateline
        // (where the report was filed) only when the lede says nothing better.
        if let Some((_, entity, span)) = lede_places
            .into_iter()
            .min_by_key(|(cue, _, span)| (*cue, span.start()))
        {
            places.entry(entity).or_default().push(evidence(doc, span));
        }
    }
    let named = |entity: &str, evidence: Vec<Evidence>| Named {
        entity: entity.to_string(),
        name: names
            .get(entity)
            .map_or_else(|| evidence[0].text.clone(), |e| e.canonical.clone()),
        articles: evidence.len(),
        evidence,
    };
    // Days when a lede gives one; else the finest period the ledes give (a week before a
    // month), at that precision: "last week" is that week, never a day picked in it.
    let finest = periods.keys().map(|p| p.precision).min();
    let periods: Vec<(String, Vec<Evidence>)> = periods
        .into_iter()
        .filter(|(p, _)| Some(p.precision) == finest)
        .map(|(p, ev)| (p.value, ev))
        .collect();
    let days: Vec<(String, Vec<Evidence>)> = days
        .into_iter()
        .map(|(d, ev)| (d.to_string(), ev))
        .collect();
    let dated = if days.is_empty() { periods } else { days };
    let (date_from, date_to, date_reason) = match (dated.first(), dated.last()) {
        (Some((from, ef)), Some((to, et))) => (
            Some(EventDay {
                value: from.clone(),
                evidence: ef.clone(),
            }),
            Some(EventDay {
                value: to.clone(),
                evidence: et.clone(),
            }),
            None,
        ),
        _ => (
            None,
            None,
            Some(
                "no article of the story dates what happened to a day, week or month in its lede"
                    .to_string(),
            ),
        ),
    };
    // The place most members' ledes name; ties go to the earlier member's mention order,
    // which the map loses, so compare by count then by first evidence position.
    let place = places
        .into_iter()
        .max_by(|(_, a), (_, b)| {
            a.len()
                .cmp(&b.len())
                .then_with(|| b[0].span.start().cmp(&a[0].span.start()))
        })
        .map(|(e, ev)| named(e, ev));
    let place_reason = place
        .is_none()
        .then(|| "no article of the story names a place in its lede".to_string());
    let mut people: Vec<Named> = people.into_iter().map(|(e, ev)| named(e, ev)).collect();
    people.sort_by(|a, b| {
        b.articles
            .cmp(&a.articles)
            .then_with(|| a.name.cmp(&b.name))
    });
    people.truncate(MAX_PEOPLE);

    let mut published: Vec<Date> = members
        .iter()
        .filter_map(|(d, _)| d.meta.published.as_ref().map(|p| p.value.date()))
        .collect();
    published.sort();
    let outlet = |d: &Document| d.meta.outlet.as_ref().map(|f| f.value.clone());
    let outlets: BTreeSet<String> = members.iter().filter_map(|(d, _)| outlet(d)).collect();
    let republishers: BTreeSet<String> = members
        .iter()
        .filter_map(|(d, _)| d.meta.republisher.as_ref().map(|f| f.value.clone()))
        .collect();
    let reporting: Vec<Reporting<'_>> = members
        .iter()
        .map(|(d, _)| Reporting {
            id: d.id(),
            outlet: d.meta.outlet.as_ref().map(|f| f.value.as_str()),
        })
        .collect();
    let joins = members
        .iter()
        .filter_map(|(d, _)| {
            let j = stories.join_of(d.id().as_str())?;
            Some(Joined {
                article: d.id().clone(),
                with: DocId::from_string(j.with),
                similarity: j.similarity,
                shared_names: j.shared_names,
                shared_terms: j.shared_terms,
                by_copy: j.by_copy,
            })
        })
        .collect();
    StoryView {
        id: story.id.0.clone(),
        thread: stories.thread_of(&story.id).map(|t| t.0),
        headline,
        articles: members.iter().map(|(d, _)| d.id().clone()).collect(),
        date_from,
        date_to,
        date_reason,
        published_from: published.first().map(|d| d.to_string()),
        published_to: published.last().map(|d| d.to_string()),
        place,
        place_reason,
        people,
        outlets: outlets.into_iter().collect(),
        republishers: republishers.into_iter().collect(),
        independent_sources: independent_sources(&reporting, &copies),
        independent_owners: independent_owners(&reporting, &copies),
        copies,
        joins,
        splits: stories
            .splits()
            .filter(|sp| sp.story == story.id || sp.split_off == story.id)
            .cloned()
            .collect(),
    }
}

/// A thread: related stories an analyst follows over months, senior story first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ThreadView {
    /// The senior story's ID.
    pub id: String,
    /// The thread's headline: its senior story's.
    pub headline: Option<Headline>,
    pub stories: Vec<StoryView>,
    /// Articles over all its stories.
    pub articles: usize,
}

/// Every thread, largest first, each with its stories' views.
pub fn thread_views(store: &dyn Store, stories: &Stories) -> Result<Vec<ThreadView>, RunError> {
    let mut views: HashMap<String, StoryView> = story_views(store, stories, None)?
        .into_iter()
        .map(|v| (v.id.clone(), v))
        .collect();
    let mut out: Vec<ThreadView> = stories
        .threads()
        .into_iter()
        .map(|t| {
            let members: Vec<StoryView> = t
                .stories
                .iter()
                .filter_map(|s| views.remove(&s.0))
                .collect();
            ThreadView {
                id: t.id.0.clone(),
                headline: members.first().and_then(|s| s.headline.clone()),
                articles: members.iter().map(|s| s.articles.len()).sum(),
                stories: members,
            }
        })
        .collect();
    out.sort_by(|a, b| b.articles.cmp(&a.articles).then_with(|| a.id.cmp(&b.id)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsdesk_copies::{CopyKind, Direction, DirectionEvidence};

    fn link(a: &str, b: &str, score: f32, source: Option<(&str, DirectionEvidence)>) -> CopyLink {
        let id = DocId::from_string;
        CopyLink {
            a: id(a.to_string()),
            b: id(b.to_string()),
            kind: CopyKind::Republished,
            direction: source.map(|(s, by)| Direction {
                source: id(s.to_string()),
                copy: id(if s == a { b } else { a }.to_string()),
                by,
            }),
            score,
            passages: Vec::new(),
        }
    }

    #[test]
    fn two_copies_of_one_original_are_not_directed_by_their_dates() {
        use DirectionEvidence::{CreditLine, PublicationDate};
        let mut links = vec![
            link("wire", "blog", 1.0, Some(("wire", CreditLine))),
            link("wire", "ledger", 0.99, Some(("wire", PublicationDate))),
            // The ledger copied the wire, not the blog published the day before it.
            link("blog", "ledger", 0.98, Some(("blog", PublicationDate))),
            // The rewrite shares a quarter of its words with the ledger, which it predates.
            link(
                "rewrite",
                "ledger",
                0.26,
                Some(("rewrite", PublicationDate)),
            ),
        ];
        siblings_undirected(&mut links);
        let directed: Vec<bool> = links.iter().map(|l| l.direction.is_some()).collect();
        assert_eq!(directed, [true, true, false, false]);
    }
}
