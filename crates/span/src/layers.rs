//! Stand-off annotation layers: each is a sorted list of items pointing into a document's text.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::doc::short_paragraphs;
use crate::Span;

/// The layers newsdesk's annotators write. One name per concept: the same word names the
/// field here, the JSON key, the stage's declaration and the store's layer row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LayerName {
    Sentences,
    Tokens,
    Entities,
    Dates,
    Quotes,
}

impl LayerName {
    pub const ALL: [LayerName; 5] = [
        LayerName::Sentences,
        LayerName::Tokens,
        LayerName::Entities,
        LayerName::Dates,
        LayerName::Quotes,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LayerName::Sentences => "sentences",
            LayerName::Tokens => "tokens",
            LayerName::Entities => "entities",
            LayerName::Dates => "dates",
            LayerName::Quotes => "quotes",
        }
    }
}

impl fmt::Display for LayerName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EntityKind {
    #[serde(rename = "PER")]
    Per,
    #[serde(rename = "ORG")]
    Org,
    #[serde(rename = "LOC")]
    Loc,
    #[serde(rename = "MISC")]
    Misc,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Per => "PER",
            EntityKind::Org => "ORG",
            EntityKind::Loc => "LOC",
            EntityKind::Misc => "MISC",
        }
    }
}

/// How a mention names its entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MentionForm {
    /// A name as the recogniser found it ("Mohammad Reza Ashtiani", "Damascus").
    Name,
    /// A role description standing for a person met earlier ("the Iranian defence minister").
    Description,
    /// A loaded or renamed reference to a state ("the Zionist regime").
    Framing,
}

/// One mention of an entity in a document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntityMention {
    pub span: Span,
    pub kind: EntityKind,
    pub form: MentionForm,
    /// Title and role spans attached to this mention ("Brigadier General", "Defence Minister").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub titles: Vec<Span>,
    /// Index (in this layer) of the mention that introduced the entity in this document, when
    /// this one is a later, shorter reference to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub antecedent: Option<u32>,
    /// The canonical entity across the store, once resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    pub score: f32,
}

/// TIMEX3 types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TimexKind {
    Date,
    Time,
    Duration,
    Set,
}

/// A temporal expression with its calendar value, or the reason it has none.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateMention {
    pub span: Span,
    #[serde(rename = "type")]
    pub kind: TimexKind,
    /// TIMEX3 value (`2023-05-10`, `2023-W18`, `P3D`, `PAST_REF`…), or null.
    pub value: Option<String>,
    /// What the value was computed from (`publication:2023-05-11`), null for absolute dates.
    pub anchor: Option<String>,
    /// The rule that produced the value.
    pub rule: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    Direct,
    Indirect,
    Mixed,
}

/// Who a quote is attributed to: the words naming the speaker in the text, and the entity
/// mention (in the entities layer) they resolve to, through which the canonical entity is found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Speaker {
    pub span: Span,
    /// Index in the entities layer of the mention that introduced the speaker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mention: Option<u32>,
    /// How the speaker was found: `name`, `pronoun`, `description`, `previous-paragraph`,
    /// `source-citation`.
    pub via: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// The whole attribution, cue and speaker included.
    pub span: Span,
    /// The reported words.
    pub content: Span,
    pub kind: QuoteKind,
    pub cue: Option<Span>,
    pub speaker: Option<Speaker>,
    /// Why the speaker is unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// A source the speaker cited ("citing a military source").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cited: Option<Span>,
}

/// All layers of a document. A layer not yet computed is empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Layers {
    #[serde(default)]
    pub sentences: Vec<Span>,
    #[serde(default)]
    pub tokens: Vec<Span>,
    #[serde(default)]
    pub entities: Vec<EntityMention>,
    #[serde(default)]
    pub dates: Vec<DateMention>,
    #[serde(default)]
    pub quotes: Vec<Quote>,
    /// Paragraphs the article's outlet prints on many of its pages (a slogan, a newsletter
    /// pitch, a standing disclaimer). Not stored with the article: the store derives it on read
    /// from its running counts, so it follows the corpus while the text stays as read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub furniture: Vec<Furniture>,
}

/// A paragraph marked as page furniture by repetition, with the counts that justify it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Furniture {
    pub span: Span,
    pub outlet: String,
    /// How many stored articles of `outlet` print this paragraph.
    pub paragraph_articles: u64,
    /// How many stored articles `outlet` has.
    pub outlet_articles: u64,
}

/// When a repeated short paragraph counts as furniture: it appears in at least `min_articles`
/// articles of an outlet and in at least `min_share` of them. Two pages sharing a line prove
/// nothing; a line on half of an outlet's pages is the page, not the story.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FurnitureRule {
    pub min_articles: u64,
    pub min_share: f64,
}

impl Default for FurnitureRule {
    fn default() -> FurnitureRule {
        FurnitureRule {
            min_articles: 3,
            min_share: 0.5,
        }
    }
}

impl FurnitureRule {
    pub fn holds(&self, paragraph_articles: u64, outlet_articles: u64) -> bool {
        paragraph_articles >= self.min_articles
            && paragraph_articles as f64 >= self.min_share * outlet_articles as f64
    }

    /// The furniture of `text`, an article of `outlet`, given the outlet's article count and
    /// each short paragraph's count (by key, see [`short_paragraphs`]). An article made only
    /// of repeated paragraphs gets none: then the repetition is the story (a run of short
    /// bulletins), not the page around it.
    pub fn mark(
        &self,
        text: &str,
        outlet: &str,
        outlet_articles: u64,
        count: impl Fn(u64) -> u64,
    ) -> Vec<Furniture> {
        let marked: Vec<Furniture> = short_paragraphs(text)
            .into_iter()
            .filter_map(|(span, key)| {
                let n = count(key);
                self.holds(n, outlet_articles).then(|| Furniture {
                    span,
                    outlet: outlet.to_string(),
                    paragraph_articles: n,
                    outlet_articles,
                })
            })
            .collect();
        if marked.len() == text.split("\n\n").count() {
            return Vec::new();
        }
        marked
    }
}

impl Layers {
    /// The spans of one layer, in order, for checks that treat all layers alike.
    pub fn spans(&self, name: LayerName) -> Vec<Span> {
        match name {
            LayerName::Sentences => self.sentences.clone(),
            LayerName::Tokens => self.tokens.clone(),
            LayerName::Entities => self
                .entities
                .iter()
                .flat_map(|e| std::iter::once(e.span).chain(e.titles.iter().copied()))
                .collect(),
            LayerName::Dates => self.dates.iter().map(|d| d.span).collect(),
            LayerName::Quotes => self
                .quotes
                .iter()
                .flat_map(|q| {
                    [
                        Some(q.span),
                        Some(q.content),
                        q.cue,
                        q.speaker.as_ref().map(|s| s.span),
                        q.cited,
                    ]
                    .into_iter()
                    .flatten()
                })
                .collect(),
        }
    }

    /// The primary span of each item, which must be sorted.
    pub fn primary_spans(&self, name: LayerName) -> Vec<Span> {
        match name {
            LayerName::Entities => self.entities.iter().map(|e| e.span).collect(),
            LayerName::Quotes => self.quotes.iter().map(|q| q.span).collect(),
            other => self.spans(other),
        }
    }

    /// Whether a layer holds anything.
    pub fn is_empty(&self, name: LayerName) -> bool {
        self.primary_spans(name).is_empty()
    }

    /// Whether `span` lies inside a paragraph marked as furniture, for stages that skip it.
    pub fn is_furniture(&self, span: Span) -> bool {
        self.furniture.iter().any(|f| f.span.contains(span))
    }

    /// Copies one layer from `other`.
    pub fn take_layer(&mut self, name: LayerName, other: &Layers) {
        match name {
            LayerName::Sentences => self.sentences = other.sentences.clone(),
            LayerName::Tokens => self.tokens = other.tokens.clone(),
            LayerName::Entities => self.entities = other.entities.clone(),
            LayerName::Dates => self.dates = other.dates.clone(),
            LayerName::Quotes => self.quotes = other.quotes.clone(),
        }
    }
}
