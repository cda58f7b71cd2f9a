//! Annotation as a pipeline of per-document [`Stage`]s. Each stage declares the layers it
//! `requires` and `assigns`; [`Pipeline::new`] refuses an order in which a stage would run
//! before what it needs. Stages are functions of one document and its layers, so documents
//! are annotated in parallel by the caller.
//!
//! Every stage passes [`check_contract`]: its spans are in bounds and on char boundaries, its
//! layers are sorted, the text is untouched, and it writes only the layers it declares.
//!
//! ```
//! use newsdesk_pipeline::Pipeline;
//! use newsdesk_span::{Document, Meta, Source};
//! let doc = Document::new(Source { location: "x".into(), record: None }, Meta::default(),
//!     "Mayor Ilse Brandt opened the bridge in Valmont. She said it was finished.".into());
//! let layers = Pipeline::standard().unwrap().annotate(&doc);
//! assert_eq!(layers.sentences.len(), 2);
//! ```

use newsdesk_annotate::{Kind, Ner};
use newsdesk_span::{
    DateMention, Document, EntityKind, LayerName, Layers, MentionForm, Quote, QuoteKind, Span,
    Speaker, TimexKind,
};

mod contract;

pub use contract::{check_contract, ContractError};

/// One per-document annotator.
pub trait Stage: Send + Sync {
    fn name(&self) -> &'static str;
    fn requires(&self) -> &'static [LayerName];
    fn assigns(&self) -> &'static [LayerName];
    /// Adds this stage's layers. Reads only the document and the layers it requires.
    fn run(&self, doc: &Document, layers: &mut Layers);
}

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error("stage {stage} requires layer {layer}, which no earlier stage assigns")]
    MissingLayer {
        stage: &'static str,
        layer: LayerName,
    },
    #[error("cannot load the NER model: {0}")]
    Model(String),
}

pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
}

impl Pipeline {
    pub fn new(stages: Vec<Box<dyn Stage>>) -> Result<Pipeline, PipelineError> {
        let mut available: Vec<LayerName> = Vec::new();
        for stage in &stages {
            for layer in stage.requires() {
                if !available.contains(layer) {
                    return Err(PipelineError::MissingLayer {
                        stage: stage.name(),
                        layer: *layer,
                    });
                }
            }
            available.extend(stage.assigns());
        }
        Ok(Pipeline { stages })
    }

    /// Sentences, tokens, entities, dates and quotes.
    pub fn standard() -> Result<Pipeline, PipelineError> {
        let ner = Ner::embedded().map_err(|e| PipelineError::Model(e.to_string()))?;
        Pipeline::new(vec![
            Box::new(Sentences),
            Box::new(Tokens),
            Box::new(Entities { ner }),
            Box::new(Dates),
            Box::new(Quotes),
        ])
    }

    pub fn stages(&self) -> &[Box<dyn Stage>] {
        &self.stages
    }

    /// Every layer some stage assigns.
    pub fn assigns(&self) -> Vec<LayerName> {
        self.stages
            .iter()
            .flat_map(|s| s.assigns().iter().copied())
            .collect()
    }

    pub fn annotate(&self, doc: &Document) -> Layers {
        let mut layers = Layers::default();
        for stage in &self.stages {
            stage.run(doc, &mut layers);
        }
        layers
    }
}

fn span(text: &str, (start, end): (u32, u32)) -> Option<Span> {
    Span::new(text, start as usize, end as usize).ok()
}

/// Sentence boundaries, safe around abbreviations and web-captured text.
pub struct Sentences;

impl Stage for Sentences {
    fn name(&self) -> &'static str {
        "sentences"
    }
    fn requires(&self) -> &'static [LayerName] {
        &[]
    }
    fn assigns(&self) -> &'static [LayerName] {
        &[LayerName::Sentences]
    }
    fn run(&self, doc: &Document, layers: &mut Layers) {
        let text = doc.text();
        layers.sentences = newsdesk_annotate::sentences(text)
            .into_iter()
            .filter_map(|s| span(text, s))
            .collect();
    }
}

/// Tokens, Penn-Treebank style, within sentences.
pub struct Tokens;

impl Stage for Tokens {
    fn name(&self) -> &'static str {
        "tokens"
    }
    fn requires(&self) -> &'static [LayerName] {
        &[LayerName::Sentences]
    }
    fn assigns(&self) -> &'static [LayerName] {
        &[LayerName::Tokens]
    }
    fn run(&self, doc: &Document, layers: &mut Layers) {
        let text = doc.text();
        let mut raw = Vec::new();
        for s in &layers.sentences {
            newsdesk_annotate::tokens_into(text, (s.start() as u32, s.end() as u32), &mut raw);
        }
        layers.tokens = raw.into_iter().filter_map(|t| span(text, t)).collect();
    }
}

/// Named entities with titles, in-document aliases, descriptions and framing references.
/// The canonical entity of each mention is filled in later, across documents.
pub struct Entities {
    pub ner: &'static Ner,
}

fn kind(k: Kind) -> EntityKind {
    match k {
        Kind::Per => EntityKind::Per,
        Kind::Org => EntityKind::Org,
        Kind::Loc => EntityKind::Loc,
        Kind::Misc => EntityKind::Misc,
    }
}

impl Stage for Entities {
    fn name(&self) -> &'static str {
        "entities"
    }
    fn requires(&self) -> &'static [LayerName] {
        &[LayerName::Sentences, LayerName::Tokens]
    }
    fn assigns(&self) -> &'static [LayerName] {
        &[LayerName::Entities]
    }
    fn run(&self, doc: &Document, layers: &mut Layers) {
        let text = doc.text();
        // Tokens grouped by sentence, as the tagger's document-level features want.
        let mut by_sentence: Vec<Vec<(u32, u32)>> = vec![Vec::new(); layers.sentences.len()];
        let mut si = 0;
        for t in &layers.tokens {
            while si < layers.sentences.len() && layers.sentences[si].end() <= t.start() {
                si += 1;
            }
            if si < layers.sentences.len() {
                by_sentence[si].push((t.start() as u32, t.end() as u32));
            }
        }
        // The article's own outlet named in its text ("TEHRAN (Tasnim) –") is an
        // organisation, whatever the recogniser read it as; so is the outlet a dateline
        // credits, and the dateline's place is a place.
        let mut own_outlet: Vec<&str> = [&doc.meta.outlet, &doc.meta.republisher]
            .into_iter()
            .flatten()
            .flat_map(|f| {
                let known = newsdesk_outlets::by_credit(&f.value);
                known
                    .into_iter()
                    .flat_map(|o| o.credits.iter().copied().chain([o.name]))
                    .chain([f.value.as_str()])
            })
            .collect();
        let dateline = newsdesk_quotes::dateline(text);
        if let Some((s, e)) = dateline.and_then(|d| d.credit) {
            own_outlet.push(&text[s as usize..e as usize]);
        }
        let in_place = |s: u32, e: u32| dateline.is_some_and(|d| d.place.0 <= s && e <= d.place.1);
        let names: Vec<(Span, EntityKind, f32)> = self
            .ner
            .tag_document(text, &by_sentence)
            .into_iter()
            .flatten()
            .filter_map(|(s, e, k, conf)| {
                let name = text.get(s as usize..e as usize)?;
                let k = if own_outlet.contains(&name) {
                    EntityKind::Org
                } else if in_place(s, e) {
                    EntityKind::Loc
                } else {
                    kind(k)
                };
                Some((span(text, (s, e))?, k, conf))
            })
            .collect();
        layers.entities = newsdesk_resolve::resolve_document(text, &layers.sentences, &names);
    }
}

/// Temporal expressions, normalised against the article's publication date. Without one,
/// relative expressions keep a null value and say why.
pub struct Dates;

impl Stage for Dates {
    fn name(&self) -> &'static str {
        "dates"
    }
    fn requires(&self) -> &'static [LayerName] {
        &[]
    }
    fn assigns(&self) -> &'static [LayerName] {
        &[LayerName::Dates]
    }
    fn run(&self, doc: &Document, layers: &mut Layers) {
        let text = doc.text();
        let anchor = doc.meta.published.as_ref().map(|p| p.value.date());
        layers.dates = newsdesk_timex::tag(text, anchor)
            .into_iter()
            .filter_map(|t| {
                Some(DateMention {
                    span: span(text, (t.start, t.end))?,
                    kind: match t.kind {
                        newsdesk_timex::TimexKind::Date => TimexKind::Date,
                        newsdesk_timex::TimexKind::Time => TimexKind::Time,
                        newsdesk_timex::TimexKind::Duration => TimexKind::Duration,
                        newsdesk_timex::TimexKind::Set => TimexKind::Set,
                    },
                    value: t.value,
                    anchor: t.anchor,
                    rule: t.rule.to_string(),
                    reason: t.reason,
                })
            })
            .collect();
    }
}

/// Direct, indirect and mixed quotes with their cue and speaker. Speakers are resolved
/// through the entities layer: a name, a pronoun, a role description, a speaker carried over
/// from the previous paragraph, or an agency citing a source.
pub struct Quotes;

/// "…, SANA reported, citing a military source.": the source a speaker cited, right after the
/// attribution.
fn cited_after(text: &str, at: usize) -> Option<Span> {
    static CITING: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^,?\s*(?:reported\s*,?\s*)?(?:citing|quoting)\s+([^.,;:!?\n]{2,80})")
            .unwrap()
    });
    let rest = text.get(at..)?;
    let c = CITING.captures(rest)?;
    let m = c.get(1)?;
    span(text, ((at + m.start()) as u32, (at + m.end()) as u32))
}

/// The entity mention a speaker span stands for. A person (named or described) beats the
/// nationality or organisation inside a description ("the Syrian defence minister" is not
/// "Syrian"); an organisation speaks when it is named inside the speaker phrase ("Syria's SANA
/// news agency reported"), a place only when it is the whole phrase ("Tehran has stressed") or
/// cites a source.
fn speaker_mention(
    text: &str,
    index: &MentionIndex,
    span: Span,
    named: Option<usize>,
    via: &str,
) -> Option<u32> {
    let entities = index.entities;
    // "Washington's claim …": the place or organisation without its possessive ending.
    let phrase = &text[span.start()..span.end()];
    let bare_end = ["'s", "’s", "'", "’"]
        .iter()
        .find_map(|p| phrase.strip_suffix(p))
        .map_or(span.end(), |b| span.start() + b.len());
    let overlap = |m: &newsdesk_span::EntityMention| {
        let start = m.span.start().max(span.start());
        let end = m.span.end().min(span.end());
        end.saturating_sub(start)
    };
    let overlapping = index.overlapping(span);
    let people = overlapping
        .iter()
        .map(|&i| (i, &entities[i]))
        .filter(|(_, m)| m.kind == EntityKind::Per)
        .max_by_key(|(_, m)| overlap(m))
        .map(|(i, _)| i);
    // "Minister of Roads and Urban Development, referring to …, emphasized": a speaker
    // phrase of three or more words that repeats one person's title names that person.
    let titled = (phrase.split_whitespace().count() >= 3)
        .then(|| {
            let wanted = phrase.to_lowercase();
            let mut holders = index.titled.iter().filter(|(_, titles)| {
                titles
                    .iter()
                    .any(|(len, title)| *len >= phrase.len() && title.contains(&wanted))
            });
            let first = holders
                .next()
                .map(|&(i, _)| newsdesk_resolve::root_of(entities, i));
            let unique =
                holders.all(|&(i, _)| Some(newsdesk_resolve::root_of(entities, i)) == first);
            first.filter(|_| unique)
        })
        .flatten();
    let chosen = match named {
        _ if titled.is_some() => titled,
        Some(i) if entities.get(i).is_some_and(|m| m.kind == EntityKind::Per) => Some(i),
        _ => people.or_else(|| {
            // Only mentions overlapping the phrase can match: each test below implies overlap.
            overlapping.iter().copied().find(|&i| {
                let m = &entities[i];
                // "Syria's SANA news agency reported": the organisation named inside.
                (m.kind == EntityKind::Org && span.contains(m.span))
                    || (m.kind != EntityKind::Misc
                        && (m.span == span
                            || (m.span.start(), m.span.end()) == (span.start(), bare_end)
                            || via == "source-citation" && m.span.overlaps(span)))
            })
        }),
    };
    chosen.map(|i| newsdesk_resolve::root_of(entities, i) as u32)
}

/// The entities layer indexed for the quotes stage, which asks for the mentions inside each
/// speaker phrase: scanning the whole layer for each quote made long articles quadratic.
struct MentionIndex<'a> {
    entities: &'a [newsdesk_span::EntityMention],
    /// The largest end among the mentions up to each one (the layer is sorted by span).
    max_end: Vec<usize>,
    /// People named with titles, and those titles (their length as written, and in lower case).
    titled: Vec<(usize, Vec<(usize, String)>)>,
}

impl<'a> MentionIndex<'a> {
    fn new(text: &str, entities: &'a [newsdesk_span::EntityMention]) -> MentionIndex<'a> {
        let max_end = entities
            .iter()
            .scan(0, |m, e| {
                *m = e.span.end().max(*m);
                Some(*m)
            })
            .collect();
        let titled = entities
            .iter()
            .enumerate()
            .filter(|(_, m)| m.kind == EntityKind::Per && !m.titles.is_empty())
            .map(|(i, m)| {
                let titles = m
                    .titles
                    .iter()
                    .map(|t| (t.len(), t.slice(text).to_lowercase()));
                (i, titles.collect())
            })
            .collect();
        MentionIndex {
            entities,
            max_end,
            titled,
        }
    }

    /// The mentions overlapping `span` (or, for an empty span, touching it), in layer order.
    fn overlapping(&self, span: Span) -> Vec<usize> {
        let before_end = self
            .entities
            .partition_point(|m| m.span.start() < span.end().max(span.start() + 1));
        let first = self.max_end[..before_end].partition_point(|&e| e <= span.start());
        (first..before_end)
            .filter(|&i| self.entities[i].span.overlaps(span))
            .collect()
    }
}

/// The quotes crate's attributions for `text`, with the sentences and entity mentions of
/// `layers` (which must hold both): what the quotes stage stores, before speakers are tied to
/// entity mentions. Evaluation scores these spans.
pub fn attributions(text: &str, layers: &Layers) -> Vec<newsdesk_quotes::Quote> {
    let entities = &layers.entities;
    let profiles: std::collections::HashMap<usize, newsdesk_resolve::Profile> =
        newsdesk_resolve::profiles(text, entities)
            .into_iter()
            .collect();
    let mentions: Vec<newsdesk_quotes::Mention> = entities
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let root = newsdesk_resolve::root_of(entities, i);
            let profile = profiles.get(&root);
            newsdesk_quotes::Mention {
                start: m.span.start() as u32,
                end: m.span.end() as u32,
                kind: match (m.kind, m.form) {
                    (_, MentionForm::Framing) => newsdesk_quotes::MentionKind::Place,
                    (EntityKind::Per, _) => newsdesk_quotes::MentionKind::Person,
                    (EntityKind::Org, _) => newsdesk_quotes::MentionKind::Org,
                    (EntityKind::Loc, _) => newsdesk_quotes::MentionKind::Place,
                    (EntityKind::Misc, _) => newsdesk_quotes::MentionKind::Other,
                },
                entity: Some(format!("mention:{root}")),
                canonical: profile.map(|p| p.name.clone()).filter(|n| !n.is_empty()),
                role: profile.and_then(|p| p.roles.iter().max_by_key(|r| r.len()).cloned()),
            }
        })
        .collect();
    let sentences: Vec<(u32, u32)> = layers
        .sentences
        .iter()
        .map(|s| (s.start() as u32, s.end() as u32))
        .collect();
    newsdesk_quotes::quotes(text, &sentences, &mentions)
}

impl Stage for Quotes {
    fn name(&self) -> &'static str {
        "quotes"
    }
    fn requires(&self) -> &'static [LayerName] {
        &[LayerName::Sentences, LayerName::Entities]
    }
    fn assigns(&self) -> &'static [LayerName] {
        &[LayerName::Quotes]
    }
    fn run(&self, doc: &Document, layers: &mut Layers) {
        let text = doc.text();
        let index = MentionIndex::new(text, &layers.entities);
        let quotes: Vec<Quote> = attributions(text, layers)
            .into_iter()
            .filter_map(|q| {
                let speaker_end = q.speaker.as_ref().map_or(0, |s| s.end as usize);
                let speaker = match q.speaker {
                    Some(s) => {
                        let span = span(text, (s.start, s.end))?;
                        let named = s
                            .entity
                            .as_deref()
                            .and_then(|e| e.strip_prefix("mention:"))
                            .and_then(|i| i.parse::<usize>().ok());
                        let mention = speaker_mention(text, &index, span, named, s.via);
                        Some(Speaker {
                            span,
                            mention,
                            via: s.via.to_string(),
                        })
                    }
                    None => None,
                };
                // A speaker phrase that names no entity leaves the speaker unknown: say why.
                let reason = q.reason.or_else(|| {
                    speaker
                        .as_ref()
                        .is_some_and(|s| s.mention.is_none())
                        .then(|| "speaker phrase matches no entity".to_string())
                });
                Some(Quote {
                    span: span(text, (q.start, q.end))?,
                    content: span(text, q.content)?,
                    kind: match q.kind {
                        newsdesk_quotes::QuoteKind::Direct => QuoteKind::Direct,
                        newsdesk_quotes::QuoteKind::Indirect => QuoteKind::Indirect,
                        newsdesk_quotes::QuoteKind::Mixed => QuoteKind::Mixed,
                    },
                    cue: q.cue.and_then(|c| span(text, c)),
                    speaker,
                    reason,
                    cited: q.cited.and_then(|c| span(text, c)).or_else(|| {
                        let after = speaker_end.max(q.end as usize);
                        cited_after(text, after)
                    }),
                })
            })
            .collect();
        layers.quotes = without_overlaps(quotes);
    }
}

/// No two quotes' contents overlap: a word was said once, by one speaker. Where attributions
/// nest ("Tehran stressed that Washington's claim that … is a pretext"), the quote kept is the
/// one whose speaker is a known entity, then the one with a speaker, then the longer; the
/// others are dropped. Sorted by span.
fn without_overlaps(quotes: Vec<Quote>) -> Vec<Quote> {
    let mut order: Vec<usize> = (0..quotes.len()).collect();
    order.sort_by_key(|&i| {
        let q = &quotes[i];
        let speaker = q.speaker.as_ref();
        (
            std::cmp::Reverse(speaker.is_some_and(|s| s.mention.is_some())),
            std::cmp::Reverse(speaker.is_some()),
            std::cmp::Reverse(q.content.len()),
            q.content,
        )
    });
    // Kept contents, start → end; they do not overlap, so only the last one starting before
    // a content's end can overlap it.
    let mut kept: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    let mut keep = vec![false; quotes.len()];
    for i in order {
        let c = quotes[i].content;
        let clash = kept
            .range(..c.end())
            .next_back()
            .is_some_and(|(_, &end)| end > c.start());
        if !clash {
            kept.insert(c.start(), c.end());
            keep[i] = true;
        }
    }
    let mut out: Vec<Quote> = quotes
        .into_iter()
        .zip(keep)
        .filter_map(|(q, k)| k.then_some(q))
        .collect();
    out.sort_by_key(|q| (q.span, q.content));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsdesk_span::{Meta, Source};

    fn doc(text: &str) -> Document {
        doc_with(Meta::default(), text)
    }

    fn doc_with(meta: Meta, text: &str) -> Document {
        Document::new(
            Source {
                location: "t".into(),
                record: None,
            },
            meta,
            text.into(),
        )
    }

    const TEXT: &str = "Austrian Defence Minister Brig. Gen. Karl Otto Brenner met officials of the Acme Corporation in Vienna on Monday.\n\nBrenner said the talks with the “Danish delegation” went well. The minister added: \"We will meet again in Copenhagen.\"";

    #[test]
    fn every_standard_stage_passes_the_contract() {
        let pipeline = Pipeline::standard().unwrap();
        for text in [
            TEXT,
            "",
            "é",
            "Ünïcödé — “quotes” … and more.\n\n\n  ",
            "No. 10 Downing St. is in London, U.K. It is old.",
            "Troops left\u{a0}in 2011;\u{2003}\u{a0}“Ortiz:\u{a0}we stay,”\u{a0}― Ana\u{a0}Silva\n\u{a0}\n",
        ] {
            let d = doc(text);
            let mut layers = Layers::default();
            for stage in pipeline.stages() {
                layers = check_contract(stage.as_ref(), &d, &layers)
                    .unwrap_or_else(|e| panic!("{}: {e}", stage.name()));
            }
        }
    }

    #[test]
    fn relative_dates_resolve_against_the_publication_date_or_stay_null() {
        let text = "The minister said on Wednesday that talks held yesterday went well.";
        let mut dated = doc(text);
        dated.meta.published = Some(newsdesk_span::Field::new(
            newsdesk_span::Published::Day("2024-06-07".parse().unwrap()),
            "test",
        ));
        let layers = Pipeline::standard().unwrap().annotate(&dated);
        let values: Vec<(&str, Option<&str>)> = layers
            .dates
            .iter()
            .map(|d| (d.span.slice(text), d.value.as_deref()))
            .collect();
        assert!(
            values.contains(&("Wednesday", Some("2024-06-05")))
                || values.contains(&("on Wednesday", Some("2024-06-05"))),
            "{values:?}"
        );
        assert!(
            values.contains(&("yesterday", Some("2024-06-06"))),
            "{values:?}"
        );
        assert!(layers
            .dates
            .iter()
            .all(|d| d.anchor.as_deref() == Some("publication:2024-06-07")));

        let undated = Pipeline::standard().unwrap().annotate(&doc(text));
        assert!(!undated.dates.is_empty());
        assert!(
            undated
                .dates
                .iter()
                .all(|d| d.value.is_none() && d.reason.is_some()),
            "{:?}",
            undated.dates
        );
    }

    #[test]
    fn quotes_get_a_speaker_or_a_reason() {
        let layers = Pipeline::standard().unwrap().annotate(&doc(TEXT));
        assert!(!layers.quotes.is_empty());
        for q in &layers.quotes {
            assert!(q.speaker.is_some() || q.reason.is_some(), "{q:?}");
        }
        let last = layers
            .quotes
            .iter()
            .find(|q| q.content.slice(TEXT).contains("Copenhagen"))
            .expect("quote found");
        let speaker = last.speaker.as_ref().expect("speaker");
        let mention = &layers.entities[speaker.mention.expect("resolved") as usize];
        assert_eq!(mention.span.slice(TEXT), "Karl Otto Brenner");
    }

    #[test]
    fn an_agency_citing_a_source_keeps_the_source() {
        let text = "“Two depots were hit overnight,” the state news agency reported, citing a military source.";
        let layers = Pipeline::standard().unwrap().annotate(&doc(text));
        let q = layers
            .quotes
            .iter()
            .find(|q| q.content.slice(text).contains("depots"))
            .expect("quote");
        assert_eq!(q.cited.map(|c| c.slice(text)), Some("a military source"));
    }

    #[test]
    fn the_articles_own_outlet_is_an_organisation() {
        let text = "ERBIL (Rudaw) – Officials met in Duhok on Monday. Rudaw said talks went well.";
        let meta = Meta {
            outlet: Some(newsdesk_span::Field::new(
                "Rudaw".to_string(),
                "credit-line",
            )),
            ..Meta::default()
        };
        let layers = Pipeline::standard()
            .unwrap()
            .annotate(&doc_with(meta, text));
        let kinds: Vec<EntityKind> = layers
            .entities
            .iter()
            .filter(|e| e.span.slice(text) == "Rudaw")
            .map(|e| e.kind)
            .collect();
        assert!(!kinds.is_empty());
        assert!(kinds.iter().all(|&k| k == EntityKind::Org), "{kinds:?}");
    }

    #[test]
    fn a_dateline_names_a_place_and_an_outlet() {
        let text = "Lakeside (Coastal Wire) - The water level of the lake fell to a new low, \
                    the water board said on Monday.";
        let layers = Pipeline::standard().unwrap().annotate(&doc(text));
        let kind_of = |name: &str| {
            layers
                .entities
                .iter()
                .find(|e| e.span.slice(text) == name)
                .map(|e| e.kind)
        };
        assert_eq!(kind_of("Lakeside"), Some(EntityKind::Loc));
        assert_eq!(kind_of("Coastal Wire"), Some(EntityKind::Org));
        let q = &layers.quotes[0];
        assert!(q.content.slice(text).starts_with("The water level"));
    }

    #[test]
    fn a_speaker_repeating_a_persons_title_is_that_person() {
        let text = "Brigadier General Karl Moreno, Minister of Roads and Urban Development of \
                    Austria, met Danish officials in Vienna on Monday.\n\nMinister of Roads and \
                    Urban Development, referring to the role of the port, emphasized the need \
                    for new investment.";
        let layers = Pipeline::standard().unwrap().annotate(&doc(text));
        let q = layers
            .quotes
            .iter()
            .find(|q| q.content.slice(text).contains("investment"))
            .expect("quote");
        let speaker = q.speaker.as_ref().expect("speaker");
        assert_eq!(
            speaker.span.slice(text),
            "Minister of Roads and Urban Development"
        );
        let mention = &layers.entities[speaker.mention.expect("resolved") as usize];
        assert_eq!(mention.span.slice(text), "Karl Moreno");
    }

    #[test]
    fn a_possessive_speaker_names_its_owner() {
        let text = "Officials met in Lisbon on Monday.\n\nBrussels’s claim that the deal is final was rejected by the union.";
        let layers = Pipeline::standard().unwrap().annotate(&doc(text));
        let q = layers
            .quotes
            .iter()
            .find(|q| q.content.slice(text).contains("deal"))
            .expect("quote");
        let speaker = q.speaker.as_ref().expect("speaker");
        let mention = &layers.entities[speaker.mention.expect("resolved") as usize];
        assert_eq!(mention.span.slice(text), "Brussels");
    }

    #[test]
    fn a_described_subject_carries_to_he_added_in_the_next_paragraph() {
        let text = "Austrian Defence Minister Karl Brenner met Danish officials in Vienna on \
                    Monday.\n\nThe Austrian defence minister hailed the new base as a model for \
                    the region.\n\n\"I hope the work starts soon,\" he added.";
        let layers = Pipeline::standard().unwrap().annotate(&doc(text));
        let q = layers
            .quotes
            .iter()
            .find(|q| q.content.slice(text).contains("work starts"))
            .expect("quote");
        let speaker = q.speaker.as_ref().expect("speaker");
        let mention = &layers.entities[speaker.mention.expect("resolved") as usize];
        assert_eq!(mention.span.slice(text), "Karl Brenner", "{q:?}");
    }

    #[test]
    fn quotes_never_overlap() {
        let mut texts: Vec<String> = vec![
            TEXT.to_string(),
            "Vienna has stressed that Brussels's claim that the deal is final is merely a \
             pretext, officials said on Monday."
                .to_string(),
            "“We will stay,” Ana Silva said. “We will stay,” she added, “and we will build.”"
                .to_string(),
            "The mayor said the council, which the governor said was broke, would pay.".to_string(),
        ];
        // And the BBC texts when the shared data is there.
        if let Some(bbc) = newsdesk_testkit::shared(
            "quotes_never_overlap",
            "data/corpora/bbc-fulltext/bbc/politics",
        ) {
            let entries = std::fs::read_dir(&bbc).expect("the BBC folder reads");
            texts.extend(
                entries
                    .flatten()
                    .take(150)
                    .filter_map(|e| std::fs::read_to_string(e.path()).ok()),
            );
        }
        let pipeline = Pipeline::standard().unwrap();
        for text in &texts {
            let layers = pipeline.annotate(&doc(text));
            for pair in layers.quotes.windows(2) {
                let (a, b) = (&pair[0], &pair[1]);
                assert!(
                    !a.content.overlaps(b.content),
                    "{:?} overlaps {:?} in {text:?}",
                    a.content.slice(text),
                    b.content.slice(text)
                );
            }
            let mut contents: Vec<Span> = layers.quotes.iter().map(|q| q.content).collect();
            contents.sort();
            assert!(
                contents.windows(2).all(|w| !w[0].overlaps(w[1])),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_stage_that_runs_before_its_inputs_is_refused() {
        let ner = Ner::embedded().unwrap();
        let err = Pipeline::new(vec![Box::new(Entities { ner }), Box::new(Sentences)])
            .err()
            .unwrap();
        assert!(err.to_string().contains("requires layer sentences"));
    }

    #[test]
    fn people_places_and_aliases() {
        let layers = Pipeline::standard().unwrap().annotate(&doc(TEXT));
        let text = TEXT;
        let found: Vec<(&str, EntityKind)> = layers
            .entities
            .iter()
            .map(|e| (e.span.slice(text), e.kind))
            .collect();
        assert!(
            found.contains(&("Karl Otto Brenner", EntityKind::Per)),
            "{found:?}"
        );
        assert!(found.contains(&("Vienna", EntityKind::Loc)), "{found:?}");
        let root = layers
            .entities
            .iter()
            .position(|e| e.span.slice(text) == "Karl Otto Brenner")
            .unwrap();
        let surname = layers
            .entities
            .iter()
            .find(|e| e.span.slice(text) == "Brenner")
            .unwrap();
        assert_eq!(surname.antecedent, Some(root as u32));
        let titles: Vec<&str> = layers.entities[root]
            .titles
            .iter()
            .map(|t| t.slice(text))
            .collect();
        assert_eq!(titles, ["Austrian Defence Minister Brig. Gen."]);
    }
}
