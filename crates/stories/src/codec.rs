//! The saved state: varints and length-prefixed strings, deflated.
//!
//! What is saved is what cannot be derived: the settings, the words and names, each article's
//! interned vectors, dates and join, the stories and the thread links. Document frequencies,
//! postings and the article-to-story map are rebuilt on reading, so they can never disagree
//! with the articles. Term ids within an article are sorted and stored as gaps, which most
//! often fit one byte. (serde JSON of the former state, strings per article, was about ten
//! times larger before deflate.)

use std::collections::HashMap;
use std::io::{Read, Write};

use jiff::civil::Date;
use newsdesk_span::EntityKind;

use crate::{
    Article, Config, Entry, EventDate, Join, Split, Stories, StoriesError, Story, StoryId, Vocab,
};

/// The current layout: this magic, uncompressed; the length of a deflated part holding all
/// but the articles' vectors (the same magic first); then the vectors, not deflated. An
/// entry's id gap and whether its count is 1 are one varint, the count follows only when it
/// is not 1 (most are 1): a third smaller than version 2's two varints. Deflate shrank those
/// vectors by a few percent at the cost of most of saving a state, which is saved whole after
/// every run (27 MB for 40,000 generated articles). A deflate stream cannot start with this
/// magic (its first byte would declare a reserved block type), so the two layouts are told
/// apart by the first bytes.
///
/// Version 5 lets a join name a later article (an article found alone in a story of its own
/// by a later one). Version 4 adds the split settings to the settings, and after the
/// stories the ones changed since the last refinement and the splits made. Version 3 is
/// version 4 without them.
const MAGIC: &[u8; 8] = b"NDSTORY5";
/// The earlier layouts, still read.
const MAGIC_V4: &[u8; 8] = b"NDSTORY4";
const MAGIC_V3: &[u8; 8] = b"NDSTORY3";
const MAGIC_V2: &[u8; 8] = b"NDSTORY2";

struct Writer(Vec<u8>);

impl Writer {
    fn uint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    fn f64(&mut self, v: f64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    fn str(&mut self, s: &str) {
        self.uint(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }

    fn date(&mut self, d: Option<Date>) {
        match d {
            None => self.uint(0),
            Some(d) => self.uint(1 + day_number(d)),
        }
    }
}

/// Days since 1 January of year -9999 (jiff's earliest), so every date is a small unsigned
/// number.
fn day_number(d: Date) -> u64 {
    (d - Date::MIN).get_days() as u64
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

fn bad(what: &str) -> StoriesError {
    StoriesError::Decode(what.to_string())
}

impl Reader<'_> {
    fn uint(&mut self) -> Result<u64, StoriesError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.at).ok_or_else(|| bad("cut short"))?;
            self.at += 1;
            v |= ((b & 0x7f) as u64) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(bad("a number too long"))
    }

    fn len(&mut self) -> Result<usize, StoriesError> {
        let n = self.uint()? as usize;
        // Every counted item takes at least one byte.
        if n > self.bytes.len().saturating_sub(self.at) {
            return Err(bad("a count larger than the data"));
        }
        Ok(n)
    }

    fn u32(&mut self) -> Result<u32, StoriesError> {
        u32::try_from(self.uint()?).map_err(|_| bad("a number out of range"))
    }

    fn fixed<const N: usize>(&mut self) -> Result<[u8; N], StoriesError> {
        let b = self
            .bytes
            .get(self.at..self.at + N)
            .ok_or_else(|| bad("cut short"))?;
        self.at += N;
        Ok(b.try_into().expect("N bytes"))
    }

    fn f32(&mut self) -> Result<f32, StoriesError> {
        self.fixed().map(f32::from_le_bytes)
    }

    fn f64(&mut self) -> Result<f64, StoriesError> {
        self.fixed().map(f64::from_le_bytes)
    }

    fn str(&mut self) -> Result<String, StoriesError> {
        let n = self.uint()? as usize;
        let b = self
            .bytes
            .get(self.at..self.at.saturating_add(n))
            .ok_or_else(|| bad("cut short"))?;
        self.at += n;
        String::from_utf8(b.to_vec()).map_err(|_| bad("a string that is not UTF-8"))
    }

    fn date(&mut self) -> Result<Option<Date>, StoriesError> {
        match self.uint()? {
            0 => Ok(None),
            n => Date::MIN
                .checked_add(jiff::Span::new().days((n - 1) as i64))
                .map(Some)
                .map_err(|_| bad("a date out of range")),
        }
    }
}

fn kind_code(k: EntityKind) -> u64 {
    match k {
        EntityKind::Per => 0,
        EntityKind::Org => 1,
        EntityKind::Loc => 2,
        EntityKind::Misc => 3,
    }
}

fn kind_of(code: u64) -> Result<EntityKind, StoriesError> {
    Ok(match code {
        0 => EntityKind::Per,
        1 => EntityKind::Org,
        2 => EntityKind::Loc,
        3 => EntityKind::Misc,
        _ => return Err(bad("an unknown entity kind")),
    })
}

pub(crate) fn encode(s: &Stories) -> Vec<u8> {
    encode_as(s, MAGIC)
}

fn encode_as(s: &Stories, magic: &[u8; 8]) -> Vec<u8> {
    let packed = magic != MAGIC_V2;
    let splits = magic == MAGIC || magic == MAGIC_V4;
    let mut w = Writer(Vec::with_capacity(64 + s.articles.len() * 64));
    // The vectors: their own writer in the current layout, inline in version 2.
    let mut vectors = Writer(Vec::with_capacity(if packed {
        s.articles.len() * 512
    } else {
        0
    }));
    w.0.extend_from_slice(magic);
    let c = s.config;
    w.f64(c.threshold);
    w.f64(c.name_weight);
    w.uint(c.date_window_days.max(0) as u64);
    w.f64(c.thread_threshold);
    w.uint(c.publication_window_days.max(0) as u64);
    w.uint(c.shared_name_required as u64);
    w.uint(c.background_documents as u64);
    if packed {
        w.f64(c.unnamed_threshold);
    }
    if splits {
        w.uint(c.split_min as u64);
        w.f64(c.split_ratio);
    }
    for vocab in [&s.terms, &s.names] {
        w.uint(vocab.len() as u64);
        for id in 0..vocab.len() as u32 {
            w.str(vocab.word(id));
        }
    }
    w.uint(s.articles.len() as u64);
    for a in &s.articles {
        w.str(&a.id);
        w.date(a.published);
        w.uint(a.dates.len() as u64);
        for d in &a.dates {
            match *d {
                EventDate::Day(d) => {
                    w.uint(0);
                    w.uint(day_number(d));
                }
                EventDate::Month { year, month } => {
                    w.uint(1);
                    w.uint((year as i64 + 10_000) as u64);
                    w.uint(month as u64);
                }
                EventDate::Year(year) => {
                    w.uint(2);
                    w.uint((year as i64 + 10_000) as u64);
                }
            }
        }
        let v = if packed { &mut vectors } else { &mut w };
        // A name's count is read back from its weight with its kind's.
        let mut entries = |entries: &[Entry], kinds: Option<&[EntityKind]>| {
            v.uint(entries.len() as u64);
            let mut last = 0u32;
            for (i, e) in entries.iter().enumerate() {
                let gap = (e.id - last) as u64;
                let count = e.count(kinds.map_or(1.0, |k| crate::kind_weight(k[i])));
                if packed {
                    v.uint(gap << 1 | (count != 1) as u64);
                    if count != 1 {
                        v.uint(count as u64);
                    }
                } else {
                    v.uint(gap);
                    v.uint(count as u64);
                }
                last = e.id;
            }
        };
        entries(&a.terms, None);
        entries(&a.names, Some(&a.kinds));
        for k in &a.kinds {
            w.uint(kind_code(*k));
        }
        match a.join {
            None => w.uint(0),
            Some(join) => {
                w.uint(1 + 2 * join.with as u64 + join.by_copy as u64);
                w.0.extend_from_slice(&join.similarity.to_le_bytes());
            }
        }
    }
    let index: HashMap<&StoryId, u64> = s.stories.keys().zip(0..).collect();
    w.uint(s.stories.len() as u64);
    for story in s.stories.values() {
        w.str(&story.id.0);
        w.date(story.root_published);
        w.uint(story.members.len() as u64);
        for m in &story.members {
            w.uint(s.by_id[m] as u64);
        }
        let parent = s.thread_parent.get(&story.id).unwrap_or(&story.id);
        w.uint(index.get(parent).copied().unwrap_or(index[&story.id]));
    }
    if splits {
        let changed: Vec<u64> = s
            .changed
            .iter()
            .filter_map(|id| index.get(id).copied())
            .collect();
        w.uint(changed.len() as u64);
        for i in changed {
            w.uint(i);
        }
        w.uint(s.splits.len() as u64);
        for split in s.splits.values() {
            w.str(&split.story.0);
            w.str(&split.split_off.0);
            w.uint(split.moved.len() as u64);
            for m in &split.moved {
                w.str(m);
            }
            w.f64(split.within);
            w.f64(split.between);
            for words in [
                &split.story_terms,
                &split.story_names,
                &split.split_off_terms,
                &split.split_off_names,
            ] {
                w.uint(words.len() as u64);
                for word in words {
                    w.str(word);
                }
            }
        }
    }
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(&w.0).expect("writing to memory");
    let deflated = enc.finish().expect("writing to memory");
    if !packed {
        return deflated;
    }
    let mut out = Writer(Vec::with_capacity(16 + deflated.len() + vectors.0.len()));
    out.0.extend_from_slice(magic);
    out.uint(deflated.len() as u64);
    out.0.extend_from_slice(&deflated);
    out.0.extend_from_slice(&vectors.0);
    out.0
}

pub(crate) fn decode(bytes: &[u8]) -> Result<Stories, StoriesError> {
    let later_joins = bytes.starts_with(MAGIC);
    let splits = later_joins || bytes.starts_with(MAGIC_V4);
    let packed = splits || bytes.starts_with(MAGIC_V3);
    let (deflated, vectors) = if packed {
        let mut outer = Reader {
            bytes,
            at: MAGIC.len(),
        };
        let n = outer.len()?;
        (&bytes[outer.at..outer.at + n], &bytes[outer.at + n..])
    } else {
        (bytes, &[][..])
    };
    let mut raw = Vec::new();
    flate2::read::DeflateDecoder::new(deflated)
        .read_to_end(&mut raw)
        .map_err(|e| StoriesError::Decode(e.to_string()))?;
    let magic = match (later_joins, splits, packed) {
        (true, _, _) => MAGIC,
        (false, true, _) => MAGIC_V4,
        (false, false, true) => MAGIC_V3,
        (false, false, false) => MAGIC_V2,
    };
    if !raw.starts_with(magic) {
        return Err(bad("not a saved stories state"));
    }
    let mut vr = Reader {
        bytes: vectors,
        at: 0,
    };
    let mut r = Reader {
        bytes: &raw,
        at: MAGIC.len(),
    };
    let config = Config {
        threshold: r.f64()?,
        name_weight: r.f64()?,
        date_window_days: i32::try_from(r.uint()?).map_err(|_| bad("a window out of range"))?,
        thread_threshold: r.f64()?,
        publication_window_days: i32::try_from(r.uint()?)
            .map_err(|_| bad("a window out of range"))?,
        shared_name_required: r.uint()? != 0,
        background_documents: u32::try_from(r.uint()?)
            .map_err(|_| bad("a document count out of range"))?,
        // Version 2 had no such setting: its states keep comparing as they were built.
        unnamed_threshold: if packed { r.f64()? } else { 0.0 },
        // Nor had version 3 splits: its states keep their stories as they were built.
        split_min: if splits {
            u32::try_from(r.uint()?).map_err(|_| bad("a split size out of range"))?
        } else {
            0
        },
        split_ratio: if splits { r.f64()? } else { 0.0 },
    };
    let mut s = Stories::new(config);
    let mut vocabs = [Vocab::default(), Vocab::default()];
    for vocab in &mut vocabs {
        let n = r.len()?;
        for _ in 0..n {
            let word = r.str()?;
            vocab.intern(&word);
        }
    }
    let [terms, names] = vocabs;
    s.terms = terms;
    s.names = names;
    let n = r.len()?;
    for i in 0..n {
        let id = r.str()?;
        let published = r.date()?;
        let mut dates = Vec::new();
        for _ in 0..r.len()? {
            dates.push(match r.uint()? {
                0 => EventDate::Day(r.date_from_number()?),
                1 => EventDate::Month {
                    year: year_of(r.uint()?)?,
                    month: i8::try_from(r.uint()?).map_err(|_| bad("a month out of range"))?,
                },
                2 => EventDate::Year(year_of(r.uint()?)?),
                _ => return Err(bad("an unknown date precision")),
            });
        }
        // (id, count) pairs: a name's weight needs its kind, read after the vectors.
        let entries = |r: &mut Reader, vocab: &Vocab| {
            let n = r.len()?;
            let mut v: Vec<(u32, u32)> = Vec::with_capacity(n);
            let mut last = 0u32;
            for _ in 0..n {
                let (gap, count) = if packed {
                    let code = r.uint()?;
                    let gap = u32::try_from(code >> 1).map_err(|_| bad("a number out of range"))?;
                    (gap, if code & 1 == 1 { r.u32()? } else { 1 })
                } else {
                    (r.u32()?, r.u32()?)
                };
                let id = last
                    .checked_add(gap)
                    .filter(|&id| (id as usize) < vocab.len())
                    .ok_or_else(|| bad("a word out of range"))?;
                v.push((id, count));
                last = id;
            }
            Ok::<_, StoriesError>(v)
        };
        let v = if packed { &mut vr } else { &mut r };
        let terms: Vec<Entry> = entries(v, &s.terms)?
            .into_iter()
            .map(|(id, count)| Entry::new(id, count, 1.0))
            .collect();
        let counted_names = entries(v, &s.names)?;
        let mut names = Vec::with_capacity(counted_names.len());
        let mut kinds = Vec::with_capacity(counted_names.len());
        for (id, count) in counted_names {
            let k = kind_of(r.uint()?)?;
            names.push(Entry::new(id, count, crate::kind_weight(k)));
            kinds.push(k);
        }
        // A join names another article of the state: an earlier one, or (version 5) a later
        // one that found this one alone.
        let join = match r.uint()? {
            0 => None,
            code => {
                let by_copy = (code - 1) % 2 == 1;
                let with = u32::try_from((code - 1) / 2)
                    .ok()
                    .filter(|&k| (k as usize) < if later_joins { n } else { i } && k as usize != i)
                    .ok_or_else(|| bad("a join with an unknown article"))?;
                Some(Join {
                    with,
                    similarity: r.f32()?,
                    by_copy,
                })
            }
        };
        if s.by_id.contains_key(&id) {
            return Err(bad("an article saved twice"));
        }
        s.push_unindexed(
            Article {
                story: StoryId(id.clone()),
                id,
                terms,
                names,
                kinds,
                dates,
                published,
                join,
            },
            None,
        );
    }
    let n = r.len()?;
    let mut ids = Vec::with_capacity(n);
    let mut parents = Vec::with_capacity(n);
    for _ in 0..n {
        let id = StoryId(r.str()?);
        let root_published = r.date()?;
        let m = r.len()?;
        let mut members = Vec::with_capacity(m);
        for _ in 0..m {
            let a = s
                .articles
                .get_mut(r.uint()? as usize)
                .ok_or_else(|| bad("a member out of range"))?;
            a.story = id.clone();
            members.push(a.id.clone());
        }
        parents.push(r.uint()? as usize);
        ids.push(id.clone());
        s.stories.insert(
            id.clone(),
            Story {
                id,
                members,
                root_published,
            },
        );
    }
    for (id, p) in ids.iter().zip(parents) {
        let parent = ids
            .get(p)
            .ok_or_else(|| bad("a thread link out of range"))?;
        s.thread_parent.insert(id.clone(), parent.clone());
    }
    if splits {
        for _ in 0..r.len()? {
            let id = ids
                .get(r.uint()? as usize)
                .ok_or_else(|| bad("a changed story out of range"))?;
            s.changed.insert(id.clone());
        }
        for _ in 0..r.len()? {
            let story = StoryId(r.str()?);
            let split_off = StoryId(r.str()?);
            let mut moved = Vec::new();
            for _ in 0..r.len()? {
                moved.push(r.str()?);
            }
            let (within, between) = (r.f64()?, r.f64()?);
            let mut words = || -> Result<Vec<String>, StoriesError> {
                let mut v = Vec::new();
                for _ in 0..r.len()? {
                    v.push(r.str()?);
                }
                Ok(v)
            };
            let (story_terms, story_names) = (words()?, words()?);
            let (split_off_terms, split_off_names) = (words()?, words()?);
            s.splits.insert(
                split_off.clone(),
                Split {
                    story,
                    split_off,
                    moved,
                    within,
                    between,
                    story_terms,
                    story_names,
                    split_off_terms,
                    split_off_names,
                },
            );
        }
    }
    if r.at != raw.len() || vr.at != vectors.len() {
        return Err(bad("trailing data"));
    }
    s.index();
    s.refresh_roots();
    Ok(s)
}

fn year_of(v: u64) -> Result<i16, StoriesError> {
    i16::try_from(v as i64 - 10_000).map_err(|_| bad("a year out of range"))
}

impl Reader<'_> {
    fn date_from_number(&mut self) -> Result<Date, StoriesError> {
        let n = self.uint()?;
        Date::MIN
            .checked_add(jiff::Span::new().days(n as i64))
            .map_err(|_| bad("a date out of range"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ArticleFeatures;

    fn state() -> Stories {
        state_with(Config::default())
    }

    fn state_with(config: Config) -> Stories {
        let mut s = Stories::new(config);
        for i in 0..30u32 {
            let mut f = ArticleFeatures::default();
            for k in 0..(3 + i % 5) {
                // Counts of 1 and above, gaps of one byte and of two.
                f.terms
                    .insert(format!("w{}", (i * 37 + k * 131) % 400), 1 + (k * i) % 4);
            }
            s.observe(&format!("a{i:02}"), &f);
        }
        s
    }

    #[test]
    fn a_state_cut_short_or_with_trailing_bytes_is_refused() {
        let bytes = encode(&state());
        for n in [9, bytes.len() / 2, bytes.len() - 1] {
            assert!(decode(&bytes[..n]).is_err(), "{n}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode(&longer).is_err());
    }

    #[test]
    fn a_state_saved_in_the_earlier_layout_is_still_read() {
        // Version 2 had no unnamed threshold; its states read back without one.
        let mut s = state_with(Config {
            unnamed_threshold: 0.0,
            split_min: 0,
            split_ratio: 0.0,
            ..Config::default()
        });
        // Neither layout keeps which stories changed since the last refinement.
        assert!(s.refine().is_empty());
        let old = encode_as(&s, MAGIC_V2);
        let new = encode(&s);
        let (a, b) = (decode(&old).unwrap(), decode(&new).unwrap());
        assert_eq!(encode(&a), new);
        assert_eq!(encode(&b), new);
        assert_eq!(a.partition(), s.partition());
    }

    #[test]
    fn a_state_saved_before_later_joins_reads_back_the_same() {
        let s = state();
        let old = decode(&encode_as(&s, MAGIC_V4)).unwrap();
        assert_eq!(old.config, s.config);
        assert_eq!(old.partition(), s.partition());
    }

    #[test]
    fn a_state_saved_before_splits_reads_back_with_splitting_off() {
        let s = state();
        let old = decode(&encode_as(&s, MAGIC_V3)).unwrap();
        assert_eq!((old.config.split_min, old.config.split_ratio), (0, 0.0));
        assert_eq!(old.config.unnamed_threshold, s.config.unnamed_threshold);
        assert_eq!(old.partition(), s.partition());
    }
}
