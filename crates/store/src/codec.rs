//! How text, layers and canonical entities are laid out in the database.
//!
//! Layers were JSON, and the token layer alone took twice the bytes of the text it points into
//! (`[[0,7],[8,14],…]`, about 12 bytes a token). Now a stored value is a blob whose first byte
//! names its encoding:
//!
//! - sentences as varints: per span the gap from the previous span's end and the length, both
//!   small numbers, not deflated (deflate did not shrink them);
//! - tokens the tokeniser gives for the stored sentences as a fingerprint only, recomputed and
//!   checked on read ([`encode_tokens`]); other token layers as deflated varints;
//! - entity mentions in a binary layout naming their canonical entity by row number
//!   ([`encode_entities`]);
//! - dates and quotes in binary layouts with a table of their strings, deflated against a
//!   preset dictionary of the strings the stages give ([`encode_dates`], [`encode_quotes`]);
//!   they were JSON deflated against that dictionary, whose keys and span digits were most of
//!   their bytes;
//! - text deflated against a dictionary of common English (an article's prose shrinks to
//!   about 45%), metadata deflated against its own dictionary;
//! - canonical entities as length-prefixed strings and varints ([`encode_entity`]).
//!
//! Every earlier encoding is still read: a value stored as SQL TEXT is the oldest (plain text,
//! or JSON for a layer), and blobs keep their tags, so stores written before open and read
//! unchanged.
//!
//! Recomputing tokens on read was first rejected, because a tokeniser change would silently
//! move the spans stored; the fingerprint turns such a change into an error that names the fix
//! (`annotate --all`) instead. The store calls the tokeniser of `newsdesk-annotate` for it,
//! and nothing else of annotation.

use std::cell::RefCell;

use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};
use newsdesk_span::{
    DateMention, EntityKind, EntityMention, LayerName, Layers, MentionForm, Quote, QuoteKind, Span,
    Speaker, TimexKind,
};
use rusqlite::types::ValueRef;

use crate::StoreError;

const SPANS: u8 = 1;
const JSON: u8 = 2;
const TEXT: u8 = 3;
const META: u8 = 4;
const ENTITY: u8 = 5;
/// Deflated against [`LAYER_DICTIONARY`] / [`META_DICTIONARY`]. A dictionary is part of the
/// format: changing one means a new tag, so that rows written with the old one still read.
const JSON_DICT: u8 = 6;
const META_DICT: u8 = 7;
/// A token layer that is exactly what the tokeniser gives for the stored sentences: only a
/// fingerprint of it is stored (see [`encode_tokens`]).
const TOKENS_DERIVED: u8 = 8;
/// Entity mentions in a binary layout, each naming its canonical entity by row number.
const ENTITY_ROWS: u8 = 9;
/// Span varints as they are, not deflated.
const SPANS_RAW: u8 = 10;
/// A canonical entity with its ID inside (see [`encode_entity_record`]).
const ENTITY_RECORD: u8 = 11;
/// An article's mention counts per canonical entity row (see [`encode_counts`]).
const COUNTS: u8 = 12;
/// Text deflated against [`TEXT_DICTIONARY`].
const TEXT_DICT: u8 = 13;
/// Dates and quotes in a binary layout with a table of their strings, deflated against
/// [`LAYER_DICTIONARY`] (see [`encode_dates`], [`encode_quotes`]).
const DATES_BIN: u8 = 14;
const QUOTES_BIN: u8 = 15;

/// Preset deflate dictionary of the layers stored as JSON: their keys, enum values and the
/// reasons the stages give, written from the layer types (not from any text), most common last
/// since deflate reaches the end of a dictionary with the shortest distances. A layer row holds a
/// few kilobytes at most, and without a dictionary each one spelled out every key and reason
/// once before deflate could refer back to it: on 976 BBC articles the entity, date and quote
/// layers took 1.10 MB.
const LAYER_DICTIONARY: &[u8] = b"\"cited\":[\"type\":\"TIME\",\"type\":\"SET\",\"rule\":\"set\"\
\"anchor\":\"publication:\"anchor\":\"mention:\"value\":\"FUTURE_REF\"\"value\":\"PAST_REF\"\
\"reason\":\"first- or second-person pronoun\"\"reason\":\"pronoun with no earlier person\"\
\"reason\":\"relative pronoun without antecedent\"\"reason\":\"no speaker named\"\
\"reason\":\"speaker phrase is not a person or organisation\"\"rule\":\"decade\"\"rule\":\"holiday\"\
\"rule\":\"ago\"\"rule\":\"the_unit\"\"rule\":\"month_year\"\"rule\":\"day_month\"\
\"form\":\"framing\"\"form\":\"description\",\"titles\":[[\"via\":\"previous-paragraph\"}\
\"via\":\"source-citation\"}\"rule\":\"weekday\"},\"rule\":\"month\"},\"rule\":\"ref\"},\
\"value\":\"PRESENT_REF\"\"rule\":\"rel_unit\"},\"type\":\"DURATION\",\"value\":\"P1Y\",\"anchor\":null,\"rule\":\"duration\"},\
\"kind\":\"mixed\",\"cue\":null,\"reason\":\"description matches no mention role\"}\
\"reason\":\"speaker phrase matches no entity\"},\"speaker\":null,\"via\":\"pronoun\"},\
\"via\":\"description\"},\"kind\":\"direct\",\"cue\":[\"kind\":\"indirect\",\"cue\":[\
\"speaker\":{\"span\":[\"mention\":\"via\":\"name\"}},{\"span\":[\"content\":[\
\"rule\":\"year\"},{\"span\":[\"type\":\"DATE\",\"value\":null,\"anchor\":null,\"rule\":\"\
\"reason\":\"relative expression and the article has no publication date\"},{\"span\":[\
\"kind\":\"MISC\",\"form\":\"name\",\"entity\":\"misc:\"kind\":\"LOC\",\"form\":\"name\",\"entity\":\"loc:\
\"kind\":\"ORG\",\"form\":\"name\",\"entity\":\"org:\"antecedent\":\
\"kind\":\"PER\",\"form\":\"name\",\"entity\":\"per:\",\"score\":0.9},{\"span\":[";

/// Preset deflate dictionary of article text: common English words, phrases and the names of
/// months and days, written here from general knowledge of the language and of news (never
/// taken from a corpus), the most common last. An article's first use of a word otherwise
/// costs its letters; with the dictionary it is a back-reference. Text was 0.98 MB of a store
/// of 976 BBC articles; against this dictionary it deflates about 9% smaller, on BBC and on
/// Reuters-21578 alike. A larger dictionary would gain more per article but costs its length
/// in hashing at every value compressed.
const TEXT_DICTIONARY: &[u8] =
    b"January February March April May June July August September October November December \
Monday Tuesday Wednesday Thursday Friday Saturday Sunday. percentage increase decrease \
investment investors analysts analyst customers consumers consumer industry industries \
business businesses companies company firms deals trading trade market markets shares \
profits revenue sales economy economic growth prices price interest rates inflation \
figures quarter annual billion million thousand hundred dollars pounds euros per cent \
percent. international national government ministers minister president prime secretary \
spokesman spokeswoman officials official authorities police security military forces \
army troops attack killed election elections voters vote campaign party parties leader \
leaders opposition parliament committee council court judge legal case law legislation \
policy plans plan decision report reports research study number numbers group groups \
members member public private community country countries world global foreign domestic \
local region regional city state states children people family families school schools \
health hospital doctors patients water energy oil gas power technology software computer \
internet online mobile phone phones users digital service services system systems \
television radio film films music album star stars award awards show season team teams \
player players match game games club clubs coach championship league final cup win won \
lost play played playing chief executive chairman director manager board officer. \
However, although because while despite during between following including according \
against around about almost nearly already expected believed announced reported revealed \
suggested warned claimed argued called asked added told says said. \"We are \"It is \
\"There is \"This is \"I think \"I am \"We have \" he said. \" she said. \" they said. \
he said she said they said said that said it would said there was. It is not clear \
whether there was at least more than less than as well as in order to is expected to are \
expected to is likely to will continue to would have been could have been should have \
been it has been they have been there have been we have been has already been had been \
will be would be could be should be may be might be must be can be to be able to one of \
the some of the many of the most of the part of the end of the rest of the number of in \
the first in the last this year last year next year this week last week next week this \
month last month on Monday on Tuesday on Wednesday on Thursday on Friday at the time at \
the end for the first time in the past in the future over the past over the next the \
United States the United Kingdom the European Union the government the company the world \
the country the first the same the other the new the last the next the two the three the \
most the best the only the people the market the number of the for the on the to the and \
the at the by the with the from the that the is the was the in the of the.\n\nThe\n";

/// The same for metadata: its keys and the provenance every field carries.
const META_DICTIONARY: &[u8] = b"\"source\":\"credit-line\"\"source\":\"masthead\"\"source\":\"posted-by\"\
\"source\":\"html:time\"\"source\":\"html:labelled\"\"source\":\"html:dated-element\"\
\"source\":\"og:site_name\"\"source\":\"og:title\"\"source\":\"og:article:published_time\"\
\"source\":\"json-ld:publisher\"\"source\":\"json-ld:headline\"\"source\":\"json-ld:author\"\
\"source\":\"meta:date\"\"source\":\"url\"\"evidence\":\"\"published\":{\"value\":\"\
\"outlet\":{\"value\":\"\"byline\":{\"value\":\"\"url\":\"https://www.\
{\"url\":null,\"title\":{\"value\":\"\",\"source\":\"header-line\"},\"byline\":null,\
\"language\":{\"value\":\"en\",\"source\":\"detected\"},\"outlet\":null,\"republisher\":null,\"published\":null}";

thread_local! {
    // A compressor holds tens of kilobytes of tables that a new one zeroes; building one per
    // value was a tenth of the time of ingesting plain text. One per thread is reset instead.
    static COMPRESS: RefCell<Compress> = RefCell::new(Compress::new(Compression::default(), false));
    static DECOMPRESS: RefCell<Decompress> = RefCell::new(Decompress::new(false));
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    deflate_with(bytes, None)
}

fn deflate_with(bytes: &[u8], dictionary: Option<&[u8]>) -> Vec<u8> {
    COMPRESS.with(|c| {
        let mut c = c.borrow_mut();
        c.reset();
        if let Some(d) = dictionary {
            // Setting a dictionary on a freshly reset stream cannot fail.
            c.set_dictionary(d).expect("deflate dictionary");
        }
        let mut out = Vec::with_capacity(bytes.len() / 2 + 64);
        let mut input = bytes;
        loop {
            let before = c.total_in();
            // Compressing into memory cannot fail.
            let status = c
                .compress_vec(input, &mut out, FlushCompress::Finish)
                .expect("deflate into memory");
            input = &input[(c.total_in() - before) as usize..];
            if status == Status::StreamEnd {
                return out;
            }
            out.reserve(out.capacity().max(64));
        }
    })
}

fn inflate(bytes: &[u8]) -> Result<Vec<u8>, StoreError> {
    inflate_with(bytes, None)
}

fn inflate_with(bytes: &[u8], dictionary: Option<&[u8]>) -> Result<Vec<u8>, StoreError> {
    DECOMPRESS.with(|d| {
        let mut d = d.borrow_mut();
        d.reset(false);
        if let Some(dictionary) = dictionary {
            d.set_dictionary(dictionary)
                .map_err(|e| StoreError::Corrupt(format!("deflate dictionary: {e}")))?;
        }
        let mut out = Vec::with_capacity(bytes.len() * 3 + 64);
        let mut input = bytes;
        loop {
            let (before, produced) = (d.total_in(), out.len());
            let status = d
                .decompress_vec(input, &mut out, FlushDecompress::None)
                .map_err(|e| StoreError::Corrupt(format!("deflate stream: {e}")))?;
            let used = (d.total_in() - before) as usize;
            input = &input[used..];
            match status {
                Status::StreamEnd => return Ok(out),
                // Out of room: grow and go on. Neither input used nor output made, with room
                // left, is a stream that ends early.
                _ if out.len() == out.capacity() => out.reserve(out.capacity().max(64)),
                _ if used == 0 && out.len() == produced => {
                    return Err(StoreError::Corrupt("deflate stream: truncated".into()))
                }
                _ => {}
            }
        }
    })
}

fn tagged(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 1);
    out.push(tag);
    out.extend_from_slice(body);
    out
}

fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn get_varint(bytes: &[u8], at: &mut usize) -> Result<u64, StoreError> {
    let mut n = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes
            .get(*at)
            .ok_or_else(|| StoreError::Corrupt("stored value ends inside a number".into()))?;
        *at += 1;
        n |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(n);
        }
    }
    Err(StoreError::Corrupt("stored number too long".into()))
}

/// Spans as (gap, length) varints. The gap is zigzag-coded: layers are sorted, but a layer
/// whose spans overlap (nested sentences never, but nothing forbids it) must still round-trip.
pub(crate) fn encode_spans(spans: &[Span]) -> Vec<u8> {
    tagged(SPANS, &deflate(&span_varints(spans)))
}

/// Spans as [`encode_spans`] lays them out, without deflate: for sentences, whose few numbers
/// deflate does not shrink (40.6 KB raw against 42.0 KB deflated on 976 BBC articles), and
/// each deflate costs the reset of a compressor's tables.
pub(crate) fn encode_spans_raw(spans: &[Span]) -> Vec<u8> {
    tagged(SPANS_RAW, &span_varints(spans))
}

fn span_varints(spans: &[Span]) -> Vec<u8> {
    let mut raw = Vec::with_capacity(spans.len() * 2 + 4);
    put_varint(&mut raw, spans.len() as u64);
    let mut prev = 0i64;
    for s in spans {
        let gap = s.start() as i64 - prev;
        put_varint(&mut raw, ((gap << 1) ^ (gap >> 63)) as u64);
        put_varint(&mut raw, s.len() as u64);
        prev = s.end() as i64;
    }
    raw
}

fn decode_spans(body: &[u8]) -> Result<Vec<Span>, StoreError> {
    read_spans(&inflate(body)?)
}

fn read_spans(raw: &[u8]) -> Result<Vec<Span>, StoreError> {
    let mut at = 0;
    let n = get_varint(raw, &mut at)? as usize;
    let mut out = Vec::with_capacity(n.min(raw.len()));
    let mut prev = 0i64;
    for _ in 0..n {
        let z = get_varint(raw, &mut at)?;
        let gap = (z >> 1) as i64 ^ -((z & 1) as i64);
        let len = get_varint(raw, &mut at)? as i64;
        let start = prev + gap;
        let end = start + len;
        let (Ok(s), Ok(e)) = (u32::try_from(start), u32::try_from(end)) else {
            return Err(StoreError::Corrupt("span offset out of range".into()));
        };
        out.push(Span::from_offsets(s, e).map_err(|e| StoreError::Corrupt(e.to_string()))?);
        prev = end;
    }
    Ok(out)
}

/// How layers were written before they had binary layouts; kept to test that such rows read.
#[cfg(test)]
fn encode_json<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    Ok(tagged(
        JSON_DICT,
        &deflate_with(&serde_json::to_vec(value)?, Some(LAYER_DICTIONARY)),
    ))
}

/// The tokeniser's tokens within `sentences`, as the tokens stage computes them.
fn derive_tokens(text: &str, sentences: &[Span]) -> Vec<Span> {
    let mut raw = Vec::new();
    for s in sentences {
        newsdesk_annotate::tokens_into(text, (s.start() as u32, s.end() as u32), &mut raw);
    }
    raw.into_iter()
        .filter_map(|(s, e)| Span::new(text, s as usize, e as usize).ok())
        .collect()
}

fn fingerprint(spans: &[Span]) -> u64 {
    let mut raw = Vec::with_capacity(spans.len() * 2);
    for s in spans {
        put_varint(&mut raw, s.start() as u64);
        put_varint(&mut raw, s.end() as u64);
    }
    xxhash_rust::xxh3::xxh3_64(&raw)
}

/// The token layer as stored. The tokeniser is a pure function of the text and the sentence
/// spans, so a layer it produced is not stored but recomputed on read, like `furniture`: the
/// token spans were a sixth of the layers' bytes (280 KB of 1.58 MB on 976 BBC articles). What
/// is stored is a fingerprint of the spans, which the read checks: if the tokeniser or the
/// sentences changed since, the read fails with a reason instead of returning other tokens
/// than were stored. A layer the tokeniser would not give (written by another stage, or over
/// other sentences) is stored as spans, as before.
pub(crate) fn encode_tokens(text: &str, layers: &Layers) -> Vec<u8> {
    if derive_tokens(text, &layers.sentences) == layers.tokens {
        tagged(TOKENS_DERIVED, &fingerprint(&layers.tokens).to_le_bytes())
    } else {
        encode_spans(&layers.tokens)
    }
}

/// Whether a stored token layer is derived (and must be read with [`derived_tokens`]).
pub(crate) fn is_derived(value: ValueRef<'_>) -> bool {
    matches!(value, ValueRef::Blob([TOKENS_DERIVED, ..]))
}

/// The tokens of a derived token layer, checked against the fingerprint stored with it.
pub(crate) fn derived_tokens(
    value: ValueRef<'_>,
    text: &str,
    sentences: &[Span],
) -> Result<Vec<Span>, StoreError> {
    let ValueRef::Blob([TOKENS_DERIVED, stored @ ..]) = value else {
        return Err(StoreError::Corrupt("token layer is not derived".into()));
    };
    let stored: [u8; 8] = stored
        .try_into()
        .map_err(|_| StoreError::Corrupt("token fingerprint is not 8 bytes".into()))?;
    let tokens = derive_tokens(text, sentences);
    if fingerprint(&tokens) != u64::from_le_bytes(stored) {
        return Err(StoreError::Corrupt(
            "the tokeniser no longer gives the stored tokens (it or the sentences changed); \
             annotate --all recomputes them"
                .into(),
        ));
    }
    Ok(tokens)
}

/// Finds the row number of a canonical entity by its ID.
pub(crate) type EntityRow<'a> = dyn FnMut(&str) -> Result<Option<i64>, StoreError> + 'a;
/// Finds the ID of a canonical entity by its row number.
pub(crate) type EntityId<'a> = dyn FnMut(i64) -> Result<Option<String>, StoreError> + 'a;

/// One layer of `layers` as stored. `text` is the article's when the token layer may be
/// derived from it, which is only when `layers.sentences` is stored with it.
pub(crate) fn encode_layer(
    text: Option<&str>,
    layers: &Layers,
    name: LayerName,
    entity_row: &mut EntityRow<'_>,
) -> Result<Vec<u8>, StoreError> {
    match name {
        LayerName::Sentences => Ok(encode_spans_raw(&layers.sentences)),
        LayerName::Tokens => Ok(match text {
            Some(text) => encode_tokens(text, layers),
            None => encode_spans(&layers.tokens),
        }),
        LayerName::Entities => encode_entities(&layers.entities, entity_row),
        LayerName::Dates => Ok(encode_dates(&layers.dates)),
        LayerName::Quotes => Ok(encode_quotes(&layers.quotes)),
    }
}

/// A stored layer as JSON, whichever encoding it was written in: layers are merged into
/// [`Layers`] through serde, which keeps one code path for old and new rows. Derived tokens
/// and entity rows need the store to read them ([`derived_tokens`], [`decode_entities`]).
pub(crate) fn layer_value(value: ValueRef<'_>) -> Result<serde_json::Value, StoreError> {
    match value {
        ValueRef::Text(json) => Ok(serde_json::from_slice(json)?),
        ValueRef::Blob(blob) => match blob.split_first() {
            Some((&SPANS, body)) => Ok(serde_json::to_value(decode_spans(body)?)?),
            Some((&SPANS_RAW, body)) => Ok(serde_json::to_value(read_spans(body)?)?),
            Some((&JSON, body)) => Ok(serde_json::from_slice(&inflate(body)?)?),
            Some((&JSON_DICT, body)) => Ok(serde_json::from_slice(&inflate_with(
                body,
                Some(LAYER_DICTIONARY),
            )?)?),
            _ => Err(StoreError::Corrupt("unknown layer encoding".into())),
        },
        _ => Err(StoreError::Corrupt("layer is neither text nor blob".into())),
    }
}

/// Whether a stored entities layer names its entities by row (read it with
/// [`decode_entities`]).
pub(crate) fn is_entity_rows(value: ValueRef<'_>) -> bool {
    matches!(value, ValueRef::Blob([ENTITY_ROWS, ..]))
}

fn kind_code(kind: EntityKind) -> u8 {
    match kind {
        EntityKind::Per => 0,
        EntityKind::Org => 1,
        EntityKind::Loc => 2,
        EntityKind::Misc => 3,
    }
}

fn form_code(form: MentionForm) -> u8 {
    match form {
        MentionForm::Name => 0,
        MentionForm::Description => 1,
        MentionForm::Framing => 2,
    }
}

/// Entity mentions as binary: per mention its span (gap and length, as span layers), one byte
/// of kind, form and which optional parts follow, the score's four bytes, its entity (0 for
/// none, 1 and the ID for an ID the store has no row for, else its row number + 2), then its
/// titles and antecedent; deflated. As JSON each mention spelled out its keys and its entity's
/// ID (`"entity":"org:securities-and-exchange-commission"`): 20 bytes a mention deflated,
/// against about 9 now. Naming every field of [`EntityMention`] below makes a new field a
/// compile error here rather than a field silently dropped.
pub(crate) fn encode_entities(
    mentions: &[EntityMention],
    entity_row: &mut EntityRow<'_>,
) -> Result<Vec<u8>, StoreError> {
    let mut raw = Vec::with_capacity(mentions.len() * 10 + 4);
    put_varint(&mut raw, mentions.len() as u64);
    let mut prev = 0i64;
    for m in mentions {
        let EntityMention {
            span,
            kind,
            form,
            titles,
            antecedent,
            entity,
            score,
        } = m;
        let gap = span.start() as i64 - prev;
        put_varint(&mut raw, ((gap << 1) ^ (gap >> 63)) as u64);
        put_varint(&mut raw, span.len() as u64);
        prev = span.end() as i64;
        let flags = kind_code(*kind)
            | form_code(*form) << 2
            | u8::from(!titles.is_empty()) << 4
            | u8::from(antecedent.is_some()) << 5;
        raw.push(flags);
        raw.extend_from_slice(&score.to_le_bytes());
        match entity {
            None => put_varint(&mut raw, 0),
            Some(id) => match entity_row(id)? {
                Some(row) => put_varint(&mut raw, row as u64 + 2),
                None => {
                    put_varint(&mut raw, 1);
                    put_str(&mut raw, id);
                }
            },
        }
        if !titles.is_empty() {
            put_varint(&mut raw, titles.len() as u64);
            for t in titles {
                put_varint(&mut raw, t.start() as u64);
                put_varint(&mut raw, t.len() as u64);
            }
        }
        if let Some(a) = antecedent {
            put_varint(&mut raw, u64::from(*a));
        }
    }
    // Not deflated: the numbers and scores left are nearly incompressible (deflate saved 2%).
    Ok(tagged(ENTITY_ROWS, &raw))
}

fn span_at(start: u64, len: u64) -> Result<Span, StoreError> {
    let end = start
        .checked_add(len)
        .ok_or_else(|| StoreError::Corrupt("span offset out of range".into()))?;
    let (Ok(s), Ok(e)) = (u32::try_from(start), u32::try_from(end)) else {
        return Err(StoreError::Corrupt("span offset out of range".into()));
    };
    Span::from_offsets(s, e).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// A stored entities layer, whichever encoding it was written in. A row number the store no
/// longer holds (the entities were cleared for `annotate --all`, which rewrites this layer)
/// reads as no entity.
pub(crate) fn decode_entities(
    value: ValueRef<'_>,
    entity_id: &mut EntityId<'_>,
) -> Result<Vec<EntityMention>, StoreError> {
    let ValueRef::Blob([ENTITY_ROWS, body @ ..]) = value else {
        return decode_layer(value);
    };
    let raw = body;
    let at = &mut 0;
    let n = get_varint(raw, at)? as usize;
    let mut out = Vec::with_capacity(n.min(raw.len()));
    let mut prev = 0i64;
    for _ in 0..n {
        let z = get_varint(raw, at)?;
        let gap = (z >> 1) as i64 ^ -((z & 1) as i64);
        let len = get_varint(raw, at)?;
        let start = u64::try_from(prev + gap)
            .map_err(|_| StoreError::Corrupt("span offset out of range".into()))?;
        let span = span_at(start, len)?;
        prev = span.end() as i64;
        let flags = *raw
            .get(*at)
            .ok_or_else(|| StoreError::Corrupt("entity layer ends inside a mention".into()))?;
        let score: [u8; 4] = raw
            .get(*at + 1..*at + 5)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| StoreError::Corrupt("entity layer ends inside a mention".into()))?;
        *at += 5;
        let kind = match flags & 3 {
            0 => EntityKind::Per,
            1 => EntityKind::Org,
            2 => EntityKind::Loc,
            _ => EntityKind::Misc,
        };
        let form = match (flags >> 2) & 3 {
            0 => MentionForm::Name,
            1 => MentionForm::Description,
            2 => MentionForm::Framing,
            _ => return Err(StoreError::Corrupt("unknown mention form".into())),
        };
        let entity = match get_varint(raw, at)? {
            0 => None,
            1 => Some(get_str(raw, at)?),
            row => entity_id(row as i64 - 2)?,
        };
        let mut titles = Vec::new();
        if flags & 16 != 0 {
            for _ in 0..get_varint(raw, at)? {
                let start = get_varint(raw, at)?;
                titles.push(span_at(start, get_varint(raw, at)?)?);
            }
        }
        let antecedent = if flags & 32 != 0 {
            Some(
                u32::try_from(get_varint(raw, at)?)
                    .map_err(|_| StoreError::Corrupt("antecedent out of range".into()))?,
            )
        } else {
            None
        };
        out.push(EntityMention {
            span,
            kind,
            form,
            titles,
            antecedent,
            entity,
            score: f32::from_le_bytes(score),
        });
    }
    if *at != raw.len() {
        return Err(StoreError::Corrupt(
            "entity layer has trailing bytes".into(),
        ));
    }
    Ok(out)
}

/// The strings of one layer value, each written once and referred to by its number.
#[derive(Default)]
struct Strings<'a> {
    list: Vec<&'a str>,
    index: std::collections::HashMap<&'a str, u64>,
}

impl<'a> Strings<'a> {
    fn put(&mut self, out: &mut Vec<u8>, s: &'a str) {
        let next = self.list.len() as u64;
        let i = *self.index.entry(s).or_insert(next);
        if i == next {
            self.list.push(s);
        }
        put_varint(out, i);
    }

    /// The table, then `body`, deflated against the layer dictionary (which holds the reasons
    /// and rule names the stages give, so that a table costs little more than its numbers).
    fn finish(self, tag: u8, body: &[u8]) -> Vec<u8> {
        let mut raw = Vec::with_capacity(body.len() + self.list.len() * 12 + 4);
        put_varint(&mut raw, self.list.len() as u64);
        for s in &self.list {
            put_str(&mut raw, s);
        }
        raw.extend_from_slice(body);
        tagged(tag, &deflate_with(&raw, Some(LAYER_DICTIONARY)))
    }
}

/// Reads what [`Strings::finish`] wrote: the table, and where the body starts.
fn read_strings(raw: &[u8]) -> Result<(Vec<String>, usize), StoreError> {
    let at = &mut 0;
    let table = get_strs(raw, at)?;
    Ok((table, *at))
}

fn string_at(table: &[String], bytes: &[u8], at: &mut usize) -> Result<String, StoreError> {
    let i = get_varint(bytes, at)?;
    usize::try_from(i)
        .ok()
        .and_then(|i| table.get(i))
        .cloned()
        .ok_or_else(|| StoreError::Corrupt("string number out of range".into()))
}

fn put_zigzag(out: &mut Vec<u8>, n: i64) {
    put_varint(out, ((n << 1) ^ (n >> 63)) as u64);
}

fn get_zigzag(bytes: &[u8], at: &mut usize) -> Result<i64, StoreError> {
    let z = get_varint(bytes, at)?;
    Ok((z >> 1) as i64 ^ -((z & 1) as i64))
}

/// A span inside or near `base` (another span's start): its offset from there and length.
fn put_near(out: &mut Vec<u8>, base: usize, span: &Span) {
    put_zigzag(out, span.start() as i64 - base as i64);
    put_varint(out, span.len() as u64);
}

fn get_near(bytes: &[u8], at: &mut usize, base: usize) -> Result<Span, StoreError> {
    let start = u64::try_from(base as i64 + get_zigzag(bytes, at)?)
        .map_err(|_| StoreError::Corrupt("span offset out of range".into()))?;
    span_at(start, get_varint(bytes, at)?)
}

fn flag(bytes: &[u8], at: &mut usize) -> Result<u8, StoreError> {
    let b = *bytes
        .get(*at)
        .ok_or_else(|| StoreError::Corrupt("layer ends inside a record".into()))?;
    *at += 1;
    Ok(b)
}

/// Date mentions as binary: per mention its span (gap from the previous one's end and
/// length), one byte of type and which optional strings follow, then the rule and those
/// strings by their number in the value's table. As JSON deflated against the layer dictionary
/// a date took 15 bytes on 976 BBC articles, most of them the keys and the span's digits.
pub(crate) fn encode_dates(dates: &[DateMention]) -> Vec<u8> {
    let mut strings = Strings::default();
    let mut body = Vec::with_capacity(dates.len() * 8 + 2);
    put_varint(&mut body, dates.len() as u64);
    let mut prev = 0;
    for d in dates {
        let DateMention {
            span,
            kind,
            value,
            anchor,
            rule,
            reason,
        } = d;
        put_near(&mut body, prev, span);
        prev = span.end();
        let kind = match kind {
            TimexKind::Date => 0,
            TimexKind::Time => 1,
            TimexKind::Duration => 2,
            TimexKind::Set => 3,
        };
        body.push(
            kind | u8::from(value.is_some()) << 2
                | u8::from(anchor.is_some()) << 3
                | u8::from(reason.is_some()) << 4,
        );
        strings.put(&mut body, rule);
        for s in [value, anchor, reason].into_iter().flatten() {
            strings.put(&mut body, s);
        }
    }
    strings.finish(DATES_BIN, &body)
}

fn decode_dates_bin(body: &[u8]) -> Result<Vec<DateMention>, StoreError> {
    let raw = inflate_with(body, Some(LAYER_DICTIONARY))?;
    let (table, start) = read_strings(&raw)?;
    let at = &mut { start };
    let n = get_varint(&raw, at)? as usize;
    let mut out = Vec::with_capacity(n.min(raw.len()));
    let mut prev = 0;
    for _ in 0..n {
        let span = get_near(&raw, at, prev)?;
        prev = span.end();
        let flags = flag(&raw, at)?;
        let kind = match flags & 3 {
            0 => TimexKind::Date,
            1 => TimexKind::Time,
            2 => TimexKind::Duration,
            _ => TimexKind::Set,
        };
        let rule = string_at(&table, &raw, at)?;
        let mut optional = |bit: u8| -> Result<Option<String>, StoreError> {
            if flags & bit != 0 {
                Ok(Some(string_at(&table, &raw, at)?))
            } else {
                Ok(None)
            }
        };
        let value = optional(4)?;
        let anchor = optional(8)?;
        let reason = optional(16)?;
        out.push(DateMention {
            span,
            kind,
            value,
            anchor,
            rule,
            reason,
        });
    }
    if *at != raw.len() {
        return Err(StoreError::Corrupt("date layer has trailing bytes".into()));
    }
    Ok(out)
}

/// Quotes as binary: per quote its span (gap and length), one byte of kind and which optional
/// parts follow, the content span (from the quote's start), then the cue, the speaker (span,
/// how it was found, its mention), the reason and the cited source where there are. As JSON
/// deflated against the layer dictionary a quote took 29 bytes on 976 BBC articles.
pub(crate) fn encode_quotes(quotes: &[Quote]) -> Vec<u8> {
    let mut strings = Strings::default();
    let mut body = Vec::with_capacity(quotes.len() * 14 + 2);
    put_varint(&mut body, quotes.len() as u64);
    let mut prev = 0;
    for q in quotes {
        let Quote {
            span,
            content,
            kind,
            cue,
            speaker,
            reason,
            cited,
        } = q;
        put_near(&mut body, prev, span);
        prev = span.end();
        let kind = match kind {
            QuoteKind::Direct => 0,
            QuoteKind::Indirect => 1,
            QuoteKind::Mixed => 2,
        };
        let mention = speaker.as_ref().is_some_and(|s| s.mention.is_some());
        body.push(
            kind | u8::from(cue.is_some()) << 2
                | u8::from(speaker.is_some()) << 3
                | u8::from(mention) << 4
                | u8::from(reason.is_some()) << 5
                | u8::from(cited.is_some()) << 6,
        );
        let base = span.start();
        put_near(&mut body, base, content);
        if let Some(cue) = cue {
            put_near(&mut body, base, cue);
        }
        if let Some(Speaker { span, mention, via }) = speaker {
            put_near(&mut body, base, span);
            strings.put(&mut body, via);
            if let Some(m) = mention {
                put_varint(&mut body, u64::from(*m));
            }
        }
        if let Some(reason) = reason {
            strings.put(&mut body, reason);
        }
        if let Some(cited) = cited {
            put_near(&mut body, base, cited);
        }
    }
    strings.finish(QUOTES_BIN, &body)
}

fn decode_quotes_bin(body: &[u8]) -> Result<Vec<Quote>, StoreError> {
    let raw = inflate_with(body, Some(LAYER_DICTIONARY))?;
    let (table, start) = read_strings(&raw)?;
    let at = &mut { start };
    let n = get_varint(&raw, at)? as usize;
    let mut out = Vec::with_capacity(n.min(raw.len()));
    let mut prev = 0;
    for _ in 0..n {
        let span = get_near(&raw, at, prev)?;
        prev = span.end();
        let flags = flag(&raw, at)?;
        let kind = match flags & 3 {
            0 => QuoteKind::Direct,
            1 => QuoteKind::Indirect,
            2 => QuoteKind::Mixed,
            _ => return Err(StoreError::Corrupt("unknown quote kind".into())),
        };
        let base = span.start();
        let content = get_near(&raw, at, base)?;
        let cue = if flags & 4 != 0 {
            Some(get_near(&raw, at, base)?)
        } else {
            None
        };
        let speaker = if flags & 8 != 0 {
            let span = get_near(&raw, at, base)?;
            let via = string_at(&table, &raw, at)?;
            let mention = if flags & 16 != 0 {
                Some(
                    u32::try_from(get_varint(&raw, at)?)
                        .map_err(|_| StoreError::Corrupt("mention out of range".into()))?,
                )
            } else {
                None
            };
            Some(Speaker { span, mention, via })
        } else {
            None
        };
        let reason = if flags & 32 != 0 {
            Some(string_at(&table, &raw, at)?)
        } else {
            None
        };
        let cited = if flags & 64 != 0 {
            Some(get_near(&raw, at, base)?)
        } else {
            None
        };
        out.push(Quote {
            span,
            content,
            kind,
            cue,
            speaker,
            reason,
            cited,
        });
    }
    if *at != raw.len() {
        return Err(StoreError::Corrupt("quote layer has trailing bytes".into()));
    }
    Ok(out)
}

/// A stored dates layer, whichever encoding it was written in.
pub(crate) fn decode_dates(value: ValueRef<'_>) -> Result<Vec<DateMention>, StoreError> {
    match value {
        ValueRef::Blob([DATES_BIN, body @ ..]) => decode_dates_bin(body),
        _ => decode_layer(value),
    }
}

/// A stored quotes layer, whichever encoding it was written in.
pub(crate) fn decode_quotes(value: ValueRef<'_>) -> Result<Vec<Quote>, StoreError> {
    match value {
        ValueRef::Blob([QUOTES_BIN, body @ ..]) => decode_quotes_bin(body),
        _ => decode_layer(value),
    }
}

/// A layer value decoded into one layer's type.
pub(crate) fn decode_layer<T: serde::de::DeserializeOwned>(
    value: ValueRef<'_>,
) -> Result<T, StoreError> {
    Ok(serde_json::from_value(layer_value(value)?)?)
}

pub(crate) fn encode_text(text: &str) -> Vec<u8> {
    tagged(
        TEXT_DICT,
        &deflate_with(text.as_bytes(), Some(TEXT_DICTIONARY)),
    )
}

pub(crate) fn decode_text(value: ValueRef<'_>) -> Result<String, StoreError> {
    match value {
        ValueRef::Text(text) => String::from_utf8(text.to_vec())
            .map_err(|e| StoreError::Corrupt(format!("stored text: {e}"))),
        ValueRef::Blob(blob) => match blob.split_first() {
            Some((&TEXT, body)) => String::from_utf8(inflate(body)?)
                .map_err(|e| StoreError::Corrupt(format!("stored text: {e}"))),
            Some((&TEXT_DICT, body)) => {
                String::from_utf8(inflate_with(body, Some(TEXT_DICTIONARY))?)
                    .map_err(|e| StoreError::Corrupt(format!("stored text: {e}")))
            }
            _ => Err(StoreError::Corrupt("unknown text encoding".into())),
        },
        _ => Err(StoreError::Corrupt("text is neither text nor blob".into())),
    }
}

/// Metadata as deflated JSON (provenance strings make it about a tenth of the text's size).
pub(crate) fn encode_meta(meta: &newsdesk_span::Meta) -> Result<Vec<u8>, StoreError> {
    Ok(tagged(
        META_DICT,
        &deflate_with(&serde_json::to_vec(meta)?, Some(META_DICTIONARY)),
    ))
}

pub(crate) fn decode_meta(value: ValueRef<'_>) -> Result<newsdesk_span::Meta, StoreError> {
    match value {
        ValueRef::Text(json) => Ok(serde_json::from_slice(json)?),
        ValueRef::Blob(blob) => match blob.split_first() {
            Some((&META, body)) => Ok(serde_json::from_slice(&inflate(body)?)?),
            Some((&META_DICT, body)) => Ok(serde_json::from_slice(&inflate_with(
                body,
                Some(META_DICTIONARY),
            )?)?),
            _ => Err(StoreError::Corrupt("unknown metadata encoding".into())),
        },
        _ => Err(StoreError::Corrupt(
            "metadata is neither text nor blob".into(),
        )),
    }
}

/// Opaque bytes deflated (corpus-stage values: links with their passages, saved states).
pub(crate) fn pack(bytes: &[u8]) -> Vec<u8> {
    deflate(bytes)
}

pub(crate) fn unpack(bytes: &[u8]) -> Result<Vec<u8>, StoreError> {
    inflate(bytes)
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn get_str(bytes: &[u8], at: &mut usize) -> Result<String, StoreError> {
    let len = get_varint(bytes, at)?;
    read_bytes(bytes, at, len)
}

/// `len` bytes at `at` as a string.
fn read_bytes(bytes: &[u8], at: &mut usize, len: u64) -> Result<String, StoreError> {
    let len = usize::try_from(len)
        .map_err(|_| StoreError::Corrupt("entity record string too long".into()))?;
    let end = at
        .checked_add(len)
        .filter(|&e| e <= bytes.len())
        .ok_or_else(|| StoreError::Corrupt("entity record ends inside a string".into()))?;
    let s = std::str::from_utf8(&bytes[*at..end])
        .map_err(|e| StoreError::Corrupt(format!("entity record: {e}")))?;
    *at = end;
    Ok(s.to_string())
}

fn put_strs<'a>(out: &mut Vec<u8>, items: impl ExactSizeIterator<Item = &'a String>) {
    put_varint(out, items.len() as u64);
    for s in items {
        put_str(out, s);
    }
}

fn get_strs(bytes: &[u8], at: &mut usize) -> Result<Vec<String>, StoreError> {
    let n = get_varint(bytes, at)? as usize;
    // Each string takes at least its length byte: a count above that is corrupt, and is not
    // allowed to reserve memory.
    let mut out = Vec::with_capacity(n.min(bytes.len()));
    for _ in 0..n {
        out.push(get_str(bytes, at)?);
    }
    Ok(out)
}

/// A canonical entity's state as schema 5 stored it, without its ID (which had a column of its
/// own), as plain length-prefixed strings and varints; now written only on the way from schema
/// 3, which the migration to schema 6 then reads ([`encode_entity_record`] replaced it). As JSON it was about 180 bytes, two thirds of them key
/// names and the canonical name repeated among the aliases; deflate gains nothing on values
/// this short. An alias equal to the canonical name (almost every entity has one) is written as
/// an empty marker.
pub(crate) fn encode_entity(e: &crate::EntityState) -> Vec<u8> {
    let mut out = vec![ENTITY];
    put_str(&mut out, &e.kind);
    put_str(&mut out, &e.canonical);
    put_entity_rest(&mut out, e, put_str);
    out
}

/// Reads [`encode_entity`]'s blob (schema 5), or the JSON text schema 4 wrote (which held the
/// ID too); only migrations read these.
pub(crate) fn decode_entity(
    id: String,
    value: ValueRef<'_>,
) -> Result<crate::EntityState, StoreError> {
    let blob = match value {
        ValueRef::Text(json) => {
            let mut e: crate::EntityState = serde_json::from_slice(json)?;
            e.id = id;
            return Ok(e);
        }
        ValueRef::Blob(blob) => match blob.split_first() {
            Some((&ENTITY, body)) => body,
            _ => return Err(StoreError::Corrupt("unknown entity encoding".into())),
        },
        _ => {
            return Err(StoreError::Corrupt(
                "entity is neither text nor blob".into(),
            ))
        }
    };
    let at = &mut 0;
    let kind = get_str(blob, at)?;
    let canonical = get_str(blob, at)?;
    get_entity_rest(blob, at, (id, kind, canonical), get_str)
}

/// The ID the resolver gives a new entity of this kind and name when no other entity has it:
/// the kind in lower case, then the name's words in lower case joined by hyphens (words split
/// at white space and hyphens, trimmed of what is not a letter or digit, without the articles
/// "al", "el" and "the"). Part of the stored format of [`encode_entity_record`]: an entity whose
/// ID is this is stored without it, so the function must never change (a new rule is a new
/// tag). It need not follow the resolver either: an ID it does not reproduce (a suffixed
/// duplicate, a kind or name changed since the entity was created) is stored in full.
fn derived_id(kind: &str, canonical: &str) -> String {
    let mut id = kind.to_lowercase();
    id.push(':');
    let start = id.len();
    for w in canonical
        .split(|c: char| c.is_whitespace() || c == '-')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| {
            !w.is_empty()
                && !w.eq_ignore_ascii_case("al")
                && !w.eq_ignore_ascii_case("el")
                && !w.eq_ignore_ascii_case("the")
        })
    {
        if id.len() > start {
            id.push('-');
        }
        id.push_str(&w.to_lowercase());
    }
    if id.len() == start {
        id.push_str("unnamed");
    }
    id
}

/// The recogniser's kinds as one number each; 0 is a kind spelled out after it.
const KINDS: [&str; 4] = ["PER", "ORG", "LOC", "MISC"];

fn put_kind(out: &mut Vec<u8>, kind: &str) {
    match KINDS.iter().position(|k| *k == kind) {
        Some(i) => put_varint(out, i as u64 + 1),
        None => {
            put_varint(out, 0);
            put_str(out, kind);
        }
    }
}

fn get_kind(bytes: &[u8], at: &mut usize) -> Result<String, StoreError> {
    match get_varint(bytes, at)? {
        0 => get_str(bytes, at),
        n => KINDS
            .get(n as usize - 1)
            .map(|k| k.to_string())
            .ok_or_else(|| StoreError::Corrupt("unknown entity kind code".into())),
    }
}

/// A canonical entity as stored since schema 6, its ID included: kind as a number, canonical
/// name, ID (nothing when it is [`derived_id`] of the two, which it is for nearly every
/// entity), then the rest as [`encode_entity`] lays it out, with kinds as numbers. The ID had
/// a column and a unique index of its own, 0.35 MB of a 3.4 MB store of 976 BBC articles; it
/// is found through a hash among the name keys instead (see `entities`).
pub(crate) fn encode_entity_record(e: &crate::EntityState) -> Vec<u8> {
    let mut out = vec![ENTITY_RECORD];
    put_kind(&mut out, &e.kind);
    put_str(&mut out, &e.canonical);
    if derived_id(&e.kind, &e.canonical) == e.id {
        put_varint(&mut out, 0);
    } else {
        put_varint(&mut out, e.id.len() as u64 + 1);
        out.extend_from_slice(e.id.as_bytes());
    }
    put_entity_rest(&mut out, e, put_kind);
    out
}

/// What follows an entity's kind, name (and ID) in both layouts, which differ only in how a
/// kind is written (`write_kind`): aliases (one equal to the canonical name as an empty marker),
/// titles, roles, nationality, and the votes for each kind.
fn put_entity_rest(out: &mut Vec<u8>, e: &crate::EntityState, write_kind: fn(&mut Vec<u8>, &str)) {
    put_varint(out, e.aliases.len() as u64);
    for a in &e.aliases {
        if *a == e.canonical {
            put_varint(out, 0);
        } else {
            put_varint(out, a.len() as u64 + 1);
            out.extend_from_slice(a.as_bytes());
        }
    }
    put_strs(out, e.titles.iter());
    put_strs(out, e.roles.iter());
    match &e.nationality {
        None => put_varint(out, 0),
        Some(n) => {
            put_varint(out, n.len() as u64 + 1);
            out.extend_from_slice(n.as_bytes());
        }
    }
    put_varint(out, e.votes.len() as u64);
    for (kind, n) in &e.votes {
        write_kind(out, kind);
        put_varint(out, *n as u64);
    }
}

/// Reads what [`put_entity_rest`] wrote, from `at` to the end of `blob`.
fn get_entity_rest(
    blob: &[u8],
    at: &mut usize,
    (id, kind, canonical): (String, String, String),
    read_kind: fn(&[u8], &mut usize) -> Result<String, StoreError>,
) -> Result<crate::EntityState, StoreError> {
    let mut aliases = std::collections::BTreeSet::new();
    for _ in 0..get_varint(blob, at)? {
        match get_varint(blob, at)? {
            0 => aliases.insert(canonical.clone()),
            n => aliases.insert(read_bytes(blob, at, n - 1)?),
        };
    }
    let titles = get_strs(blob, at)?.into_iter().collect();
    let roles = get_strs(blob, at)?.into_iter().collect();
    let nationality = match get_varint(blob, at)? {
        0 => None,
        n => Some(read_bytes(blob, at, n - 1)?),
    };
    let mut votes = std::collections::BTreeMap::new();
    for _ in 0..get_varint(blob, at)? {
        let kind = read_kind(blob, at)?;
        votes.insert(kind, get_varint(blob, at)? as usize);
    }
    if *at != blob.len() {
        return Err(StoreError::Corrupt(
            "entity record has trailing bytes".into(),
        ));
    }
    Ok(crate::EntityState {
        id,
        kind,
        canonical,
        aliases,
        titles,
        roles,
        nationality,
        votes,
    })
}

/// The head of an [`encode_entity_record`] blob: kind, canonical name and ID, and where the
/// rest begins.
fn entity_head(value: ValueRef<'_>) -> Result<(&[u8], String, String, String, usize), StoreError> {
    let ValueRef::Blob([ENTITY_RECORD, blob @ ..]) = value else {
        return Err(StoreError::Corrupt("unknown entity encoding".into()));
    };
    let at = &mut 0;
    let kind = get_kind(blob, at)?;
    let canonical = get_str(blob, at)?;
    let id = match get_varint(blob, at)? {
        0 => derived_id(&kind, &canonical),
        n => read_bytes(blob, at, n - 1)?,
    };
    Ok((blob, kind, canonical, id, *at))
}

/// Only the ID of a stored entity, for naming the entity of a mention.
pub(crate) fn decode_entity_id(value: ValueRef<'_>) -> Result<String, StoreError> {
    Ok(entity_head(value)?.3)
}

pub(crate) fn decode_entity_record(value: ValueRef<'_>) -> Result<crate::EntityState, StoreError> {
    let (blob, kind, canonical, id, start) = entity_head(value)?;
    let at = &mut { start };
    get_entity_rest(blob, at, (id, kind, canonical), get_kind)
}

/// One article's mention counts, by entity row in ascending order: the number of entries,
/// then per entry the gap from the previous row and the count. As a table of (article,
/// entity, count) rows they took 0.20 MB of a store of 976 BBC articles, about 13 bytes an
/// entry with the b-tree's keys and cells; here an entry takes two or three.
pub(crate) fn encode_counts(counts: &std::collections::BTreeMap<i64, u64>) -> Vec<u8> {
    let mut out = Vec::with_capacity(counts.len() * 3 + 2);
    out.push(COUNTS);
    put_varint(&mut out, counts.len() as u64);
    let mut prev = 0i64;
    for (&entity, &n) in counts {
        put_varint(&mut out, (entity - prev) as u64);
        put_varint(&mut out, n);
        prev = entity;
    }
    out
}

pub(crate) fn decode_counts(
    value: ValueRef<'_>,
) -> Result<std::collections::BTreeMap<i64, u64>, StoreError> {
    let ValueRef::Blob([COUNTS, blob @ ..]) = value else {
        return Err(StoreError::Corrupt("unknown mention-count encoding".into()));
    };
    let at = &mut 0;
    let mut out = std::collections::BTreeMap::new();
    let mut prev = 0i64;
    for _ in 0..get_varint(blob, at)? {
        let entity = i64::try_from(get_varint(blob, at)?)
            .ok()
            .and_then(|gap| prev.checked_add(gap))
            .ok_or_else(|| StoreError::Corrupt("entity row out of range".into()))?;
        out.insert(entity, get_varint(blob, at)?);
        prev = entity;
    }
    if *at != blob.len() {
        return Err(StoreError::Corrupt(
            "mention counts have trailing bytes".into(),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reused_compressors_round_trip_any_size_and_refuse_a_truncated_stream() {
        // Hardly compressible bytes make the output outgrow its first guess.
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let noisy: Vec<u8> = (0..300_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 56) as u8
            })
            .collect();
        for (i, bytes) in [
            &b""[..],
            b"short",
            &noisy,
            "prose ".repeat(50_000).as_bytes(),
        ]
        .into_iter()
        .enumerate()
        {
            let packed = deflate(bytes);
            assert_eq!(
                inflate(&packed).unwrap(),
                bytes,
                "case {i}, {} bytes packed",
                packed.len()
            );
        }
        let whole = deflate(&noisy);
        assert!(inflate(&whole[..whole.len() / 2]).is_err());
        // The compressor is reset between values: the second value is not the first's tail.
        assert_eq!(inflate(&deflate(b"second")).unwrap(), b"second");
    }

    #[test]
    fn spans_round_trip_including_overlaps_and_large_offsets() {
        let text = "x".repeat(300_000);
        let spans = vec![
            Span::new(&text, 0, 5).unwrap(),
            Span::new(&text, 6, 6).unwrap(),
            Span::new(&text, 3, 200).unwrap(),
            Span::new(&text, 299_000, 300_000).unwrap(),
        ];
        let blob = encode_spans(&spans);
        assert_eq!(decode_spans(&blob[1..]).unwrap(), spans);
        assert!(decode_spans(&deflate(&[5, 1])).is_err());
    }

    #[test]
    fn text_round_trips_and_old_plain_text_reads() {
        let text = "Café — ünïcode\n\nand more text, more text, more text.";
        assert_eq!(
            decode_text(ValueRef::Blob(&encode_text(text))).unwrap(),
            text
        );
        assert_eq!(decode_text(ValueRef::Text(text.as_bytes())).unwrap(), text);
        // Text deflated without the dictionary, as schema 3 to 7 wrote it, still reads.
        let old = tagged(TEXT, &deflate(text.as_bytes()));
        assert_eq!(decode_text(ValueRef::Blob(&old)).unwrap(), text);
    }

    #[test]
    fn text_dictionary_shortens_common_english_prose() {
        let text = "The government said on Tuesday that the economy would grow by 2 per cent \
                    this year, according to figures from the central bank. \"We expect \
                    prices to rise,\" the minister told reporters.";
        let plain = deflate(text.as_bytes()).len();
        let with = encode_text(text).len() - 1;
        assert!(with < plain * 9 / 10, "{with} against {plain} bytes");
        assert_eq!(
            decode_text(ValueRef::Blob(&encode_text(text))).unwrap(),
            text
        );
    }

    #[test]
    fn layers_and_metadata_deflated_without_a_dictionary_still_read() {
        let json = br#"[{"span":[0,4],"type":"DATE","value":null,"anchor":null,"rule":"year"}]"#;
        let old = tagged(JSON, &deflate(json));
        let new = encode_json(&serde_json::from_slice::<serde_json::Value>(json).unwrap()).unwrap();
        assert_eq!(new[0], JSON_DICT);
        for blob in [&old, &new] {
            assert_eq!(
                layer_value(ValueRef::Blob(blob)).unwrap(),
                serde_json::from_slice::<serde_json::Value>(json).unwrap()
            );
        }
        let meta = newsdesk_span::Meta {
            url: Some("https://example.org/a".into()),
            ..Default::default()
        };
        let old = tagged(META, &deflate(&serde_json::to_vec(&meta).unwrap()));
        for blob in [old, encode_meta(&meta).unwrap()] {
            assert_eq!(decode_meta(ValueRef::Blob(&blob)).unwrap(), meta);
        }
    }

    #[test]
    fn entity_mentions_round_trip_by_row_inline_id_or_none() {
        let text = "Dr Ada Moreno met officials of the Harbour Authority. Moreno left.";
        let span = |s, e| Span::new(text, s, e).unwrap();
        let mention = |s, e, kind, form, entity: Option<&str>, score| EntityMention {
            span: span(s, e),
            kind,
            form,
            titles: vec![],
            antecedent: None,
            entity: entity.map(String::from),
            score,
        };
        let mut mentions = vec![
            mention(
                3,
                13,
                EntityKind::Per,
                MentionForm::Name,
                Some("per:ada-moreno"),
                0.97603226,
            ),
            mention(
                35,
                52,
                EntityKind::Org,
                MentionForm::Name,
                Some("org:unlisted"),
                0.5,
            ),
            mention(35, 42, EntityKind::Loc, MentionForm::Framing, None, 1.0),
            mention(
                54,
                60,
                EntityKind::Misc,
                MentionForm::Description,
                Some("per:gone"),
                0.1,
            ),
        ];
        mentions[0].titles = vec![span(0, 2)];
        mentions[3].antecedent = Some(0);
        let rows = |id: &str| match id {
            "per:ada-moreno" => Some(7),
            "per:gone" => Some(9),
            _ => None,
        };
        let blob = encode_entities(&mentions, &mut |id| Ok(rows(id))).unwrap();
        let ids = |seq: i64| (seq == 7).then(|| "per:ada-moreno".to_string());
        let back = decode_entities(ValueRef::Blob(&blob), &mut |seq| Ok(ids(seq))).unwrap();
        // Row 9 no longer exists (entities cleared): that mention has no entity; all else is kept.
        let mut expected = mentions.clone();
        expected[3].entity = None;
        assert_eq!(back, expected);
        assert_eq!(back[0].score.to_bits(), mentions[0].score.to_bits());
        // The JSON encoding written before still reads.
        let old = encode_json(&mentions).unwrap();
        assert_eq!(
            decode_entities(ValueRef::Blob(&old), &mut |_| Ok(None)).unwrap(),
            mentions
        );
        let short = tagged(ENTITY_ROWS, &blob[1..10]);
        assert!(decode_entities(ValueRef::Blob(&short), &mut |_| Ok(None)).is_err());
    }

    #[test]
    fn dates_and_quotes_round_trip_in_the_binary_layout_and_old_json_still_reads() {
        let text = "On Monday the mayor, Ada Moreno, said \"we reopen in March\", citing a port \
                    official. Trade resumed for 3 weeks, every Friday.";
        let span = |s, e| Span::new(text, s, e).unwrap();
        let date = |s, e, kind, value: Option<&str>, anchor: Option<&str>, reason: Option<&str>| {
            DateMention {
                span: span(s, e),
                kind,
                value: value.map(String::from),
                anchor: anchor.map(String::from),
                rule: "weekday".into(),
                reason: reason.map(String::from),
            }
        };
        let dates = vec![
            date(
                3,
                9,
                TimexKind::Date,
                Some("2024-05-06"),
                Some("publication:2024-05-08"),
                None,
            ),
            date(
                52,
                57,
                TimexKind::Date,
                None,
                None,
                Some("no publication date"),
            ),
            // Overlapping the one before, as nothing forbids.
            date(49, 57, TimexKind::Time, Some("2024-03"), None, None),
            date(102, 109, TimexKind::Duration, Some("P3W"), None, None),
            date(111, 123, TimexKind::Set, Some("XXXX-WXX-5"), None, Some("")),
        ];
        let quotes = vec![
            Quote {
                span: span(10, 82),
                content: span(39, 57),
                kind: QuoteKind::Direct,
                cue: Some(span(33, 37)),
                speaker: Some(Speaker {
                    span: span(21, 31),
                    mention: Some(0),
                    via: "name".into(),
                }),
                reason: None,
                cited: Some(span(67, 82)),
            },
            Quote {
                span: span(84, 123),
                content: span(84, 97),
                kind: QuoteKind::Mixed,
                cue: None,
                speaker: Some(Speaker {
                    span: span(0, 2),
                    mention: None,
                    via: "pronoun".into(),
                }),
                reason: Some("pronoun with no earlier person".into()),
                cited: None,
            },
            Quote {
                span: span(84, 123),
                content: span(0, 9),
                kind: QuoteKind::Indirect,
                cue: None,
                speaker: None,
                reason: Some("no speaker named".into()),
                cited: None,
            },
        ];
        let d = encode_dates(&dates);
        let q = encode_quotes(&quotes);
        assert_eq!(decode_dates(ValueRef::Blob(&d)).unwrap(), dates);
        assert_eq!(decode_quotes(ValueRef::Blob(&q)).unwrap(), quotes);
        for empty in [encode_dates(&[]), encode_quotes(&[])] {
            assert!(
                decode_dates(ValueRef::Blob(&empty)).is_ok_and(|d| d.is_empty())
                    || decode_quotes(ValueRef::Blob(&empty)).is_ok_and(|q| q.is_empty())
            );
        }
        // Written as JSON before, read the same.
        let (old_d, old_q) = (encode_json(&dates).unwrap(), encode_json(&quotes).unwrap());
        assert_eq!(decode_dates(ValueRef::Blob(&old_d)).unwrap(), dates);
        assert_eq!(decode_quotes(ValueRef::Blob(&old_q)).unwrap(), quotes);
        assert!(d.len() < old_d.len() && q.len() < old_q.len());
        // A value cut short is an error, not fewer records.
        let raw = inflate_with(&q[1..], Some(LAYER_DICTIONARY)).unwrap();
        let short = tagged(
            QUOTES_BIN,
            &deflate_with(&raw[..raw.len() - 1], Some(LAYER_DICTIONARY)),
        );
        assert!(decode_quotes(ValueRef::Blob(&short)).is_err());
    }
}
