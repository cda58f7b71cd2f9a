//! The JSON contract (docs/json.md): plain values at the top level, provenance on demand.

use std::collections::HashMap;

use newsdesk_span::{
    DocId, Document, EntityMention, Field, Layers, Meta, Quote, Source, Span, Speaker,
};
use newsdesk_store::{EntityRecord, Summary};
use serde_json::{json, Map, Value};

fn value<T: ToString>(field: &Option<Field<T>>) -> Value {
    field
        .as_ref()
        .map_or(Value::Null, |f| Value::String(f.value.to_string()))
}

fn summary_object(id: &DocId, source: &Source, meta: &Meta, chars: usize) -> Map<String, Value> {
    let v = json!({
        "id": id,
        "source": source,
        "url": meta.url,
        "outlet": value(&meta.outlet),
        "republisher": value(&meta.republisher),
        "title": value(&meta.title),
        "byline": value(&meta.byline),
        "published": value(&meta.published),
        "language": value(&meta.language),
        "chars": chars,
    });
    match v {
        Value::Object(map) => map,
        _ => unreachable!("json! of an object literal"),
    }
}

pub fn article_summary(s: &Summary) -> Value {
    Value::Object(summary_object(&s.id, &s.source, &s.meta, s.chars))
}

fn provenance<T>(field: &Option<Field<T>>) -> Value {
    field.as_ref().map_or(
        Value::Null,
        |f| json!({"source": f.source, "evidence": f.evidence}),
    )
}

fn span_text(text: &str, span: Span) -> Value {
    json!({"span": span, "text": span.slice(text)})
}

fn mention(text: &str, m: &EntityMention, entities: &HashMap<String, EntityRecord>) -> Value {
    let canonical = m
        .entity
        .as_ref()
        .and_then(|id| entities.get(id))
        .map(|e| e.canonical.clone());
    json!({
        "span": m.span,
        "text": m.span.slice(text),
        "kind": m.kind,
        "form": m.form,
        "entity_id": m.entity,
        "canonical": canonical,
        "titles": m.titles.iter().map(|t| span_text(text, *t)).collect::<Vec<_>>(),
        "antecedent": m.antecedent,
    })
}

/// A quote as the JSON contract gives it; `article` names the document.
pub fn quote(
    doc: &Document,
    layers: &Layers,
    q: &Quote,
    entities: &HashMap<String, EntityRecord>,
) -> Value {
    let text = doc.text();
    let speaker = q.speaker.as_ref().map(|s| {
        let (entity_id, canonical) = speaker_entity(text, layers, s, entities);
        json!({"entity_id": entity_id, "canonical": canonical, "text": s.span.slice(text), "span": s.span, "via": s.via})
    });
    json!({
        "article": doc.id(),
        "span": q.span,
        "text": q.content.slice(text),
        "content_span": q.content,
        "kind": q.kind,
        "cue": q.cue.map(|c| c.slice(text)),
        "speaker": speaker,
        "reason": q.reason,
        "cited": q.cited.map(|c| c.slice(text)),
    })
}

/// The canonical entity a speaker resolves to, through the mention that introduced them.
pub fn speaker_entity(
    text: &str,
    layers: &Layers,
    speaker: &Speaker,
    entities: &HashMap<String, EntityRecord>,
) -> (Option<String>, Option<String>) {
    let Some(mention) = speaker
        .mention
        .and_then(|i| layers.entities.get(i as usize))
    else {
        return (None, None);
    };
    match mention.entity.as_ref() {
        Some(id) => (
            Some(id.clone()),
            entities.get(id).map(|e| e.canonical.clone()),
        ),
        None => (None, Some(mention.span.slice(text).to_string())),
    }
}

pub fn entity(e: &EntityRecord) -> Value {
    json!({
        "id": e.id,
        "canonical": e.canonical,
        "kind": e.kind,
        "aliases": e.aliases,
        "titles": e.titles,
        "roles": e.roles,
        "nationality": e.nationality,
        "mentions": e.mentions,
        "articles": e.articles,
    })
}

pub fn article_detail(
    doc: &Document,
    layers: &Layers,
    entities: &HashMap<String, EntityRecord>,
) -> Value {
    let meta = &doc.meta;
    let mut map = summary_object(doc.id(), &doc.source, meta, doc.chars());
    map.insert("text".into(), Value::String(doc.text().to_string()));
    map.insert(
        "provenance".into(),
        json!({
            "title": provenance(&meta.title),
            "byline": provenance(&meta.byline),
            "outlet": provenance(&meta.outlet),
            "republisher": provenance(&meta.republisher),
            "published": provenance(&meta.published),
            "language": provenance(&meta.language),
        }),
    );
    let text = doc.text();
    map.insert(
        "dates".into(),
        Value::Array(
            layers
                .dates
                .iter()
                .map(|d| {
                    json!({
                        "span": d.span,
                        "text": d.span.slice(text),
                        "type": d.kind,
                        "value": d.value,
                        "anchor": d.anchor,
                        "rule": d.rule,
                        "reason": d.reason,
                    })
                })
                .collect(),
        ),
    );
    map.insert(
        "quotes".into(),
        Value::Array(
            layers
                .quotes
                .iter()
                .map(|q| quote(doc, layers, q, entities))
                .collect(),
        ),
    );
    map.insert(
        "annotations".into(),
        json!({
            "sentences": layers.sentences,
            "entities": layers.entities.iter().map(|m| mention(text, m, entities)).collect::<Vec<_>>(),
            "furniture": layers.furniture,
        }),
    );
    Value::Object(map)
}
