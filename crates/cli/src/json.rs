//! The JSON contract (docs/json.md): plain values at the top level, provenance on demand.

use newsdesk_span::{DocId, Document, Field, Meta, Source};
use newsdesk_store::Summary;
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

pub fn article_detail(doc: &Document) -> Value {
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
    Value::Object(map)
}
