//! One canonical entity per real person, organisation or place across documents.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use newsdesk_span::{EntityKind, EntityMention};

use crate::local::{contains_run, name_tokens as tokens, profiles, root_of, Profile};

/// A canonical entity with what every document said about it.
#[derive(Clone, Debug, PartialEq)]
pub struct Canonical {
    pub id: String,
    pub kind: EntityKind,
    pub canonical: String,
    pub aliases: BTreeSet<String>,
    pub titles: BTreeSet<String>,
    pub roles: BTreeSet<String>,
    pub nationality: Option<String>,
    /// Mentions and articles contributed by the documents resolved here (an entity loaded from
    /// a store keeps its earlier counts there).
    pub mentions: usize,
    pub articles: BTreeSet<String>,
    /// Mentions the recogniser gave each kind, summed over the documents; the entity's kind is
    /// the one with most votes.
    pub votes: BTreeMap<EntityKind, usize>,
}

/// All canonical entities, and for each document the entity of each mention.
#[derive(Clone, Debug, Default)]
pub struct CanonicalSet {
    pub entities: Vec<Canonical>,
    /// doc id → entity id per mention (None for mentions left unresolved).
    pub assignments: BTreeMap<String, Vec<Option<String>>>,
}

fn slug(kind: EntityKind, name: &str) -> String {
    let words = tokens(name).join("-");
    format!(
        "{}:{}",
        kind.as_str().to_lowercase(),
        if words.is_empty() {
            "unnamed".into()
        } else {
            words
        }
    )
}

/// Roles clash when both sides name roles and none of them is shared (a bare "minister" is
/// compatible with any minister).
fn roles_clash(a: &BTreeSet<String>, b: &BTreeSet<String>) -> bool {
    !a.is_empty()
        && !b.is_empty()
        && !a.iter().any(|r| {
            b.contains(r)
                || (r == "minister" && b.iter().any(|x| x.ends_with("minister")))
                || (r.ends_with("minister") && b.contains("minister"))
        })
}

/// Two profiles can be one person only if nothing they say conflicts: a contradicting
/// nationality, or a full name (two words or more) that is neither part of the other's name
/// nor contains it. A change of role is not a conflict: people are promoted, moved and
/// re-elected, and articles from different years give the same person different offices.
fn compatible(a: &Profile, name: &[String], b: &Canonical) -> bool {
    if let (Some(x), Some(y)) = (&a.nationality, &b.nationality) {
        if x != y {
            return false;
        }
    }
    b.aliases
        .iter()
        .chain(std::iter::once(&b.canonical))
        .all(|alias| {
            let t = tokens(alias);
            t.len() < 2 || contains_run(&t, name) || contains_run(name, &t)
        })
}

/// Evidence beyond the name for joining a name to a longer or shorter one: a shared role, or
/// a shared nationality where the roles do not clash. Here a role clash does count, because
/// the names alone do not say it is one person ("Otto Brenner" the president is not "Karl Otto
/// Brenner" the minister of the same country).
fn corroborated(a: &Profile, b: &Canonical) -> bool {
    a.roles.iter().any(|r| b.roles.contains(r))
        || (a.nationality.is_some()
            && a.nationality == b.nationality
            && !roles_clash(&a.roles, &b.roles))
}

/// Whether anything marks a profile or entity as a person beyond the recogniser's label.
fn person_evidence(titles: &BTreeSet<String>, roles: &BTreeSet<String>) -> bool {
    !titles.is_empty() || !roles.is_empty()
}

/// The local entities of a batch of documents, normalised (other names of states and
/// well-known organisations replaced by their canonical names) and ordered fullest names
/// first, so that they anchor the shorter forms.
pub struct Batch {
    locals: Vec<(String, usize, Profile)>,
    /// doc id → number of mentions, for the assignments.
    docs: Vec<(String, Vec<usize>)>,
}

impl Batch {
    pub fn new(docs: &[(String, &str, &[EntityMention])]) -> Batch {
        let mut locals: Vec<(String, usize, Profile)> = Vec::new();
        for (doc, text, mentions) in docs {
            for (root, mut p) in profiles(text, mentions) {
                if p.name.trim().is_empty() {
                    continue;
                }
                let kind = p.kind.unwrap_or(EntityKind::Misc);
                // "US", "America" and "the Islamic Republic of Iran" are the states' other names.
                if kind == EntityKind::Loc {
                    if let Some(country) = crate::tables::country_of(&p.name) {
                        p.name = country.to_string();
                    }
                }
                // "ISIS", "ISIL" and "Daesh" are one organisation.
                if kind == EntityKind::Org {
                    if let Some(org) = crate::tables::organisation_of(&p.name) {
                        if org != p.name {
                            p.aliases.insert(p.name.clone());
                            p.name = org.to_string();
                        }
                    }
                }
                locals.push((doc.clone(), root, p));
            }
        }
        // The word count is computed once per local, not once per comparison: sorting was a
        // tenth of the time spent storing a batch.
        locals.sort_by_cached_key(|(doc, root, p)| {
            (
                std::cmp::Reverse(tokens(&p.name).len()),
                p.name.clone(),
                doc.clone(),
                *root,
            )
        });
        let docs = docs
            .iter()
            .map(|(doc, _, mentions)| {
                let roots = (0..mentions.len()).map(|i| root_of(mentions, i)).collect();
                (doc.clone(), roots)
            })
            .collect();
        Batch { locals, docs }
    }

    /// The index keys under which an entity this batch may join is stored: see
    /// [`entity_keys`]. A store loads the entities under these keys, and only those.
    pub fn lookup_keys(&self) -> BTreeSet<String> {
        let mut keys = BTreeSet::new();
        for (_, _, p) in &self.locals {
            keys.extend(lookup_keys(p));
        }
        keys
    }
}

/// Keys of the names an entity is known by: `n:` its name and each alias (word tokens), `r:`
/// every run of two or more words of a person's name (so "Mahmoud Abbas" finds "Ali Mahmoud
/// Abbas"), `i:` an organisation's initials, `m:` the ministry an organisation name names.
pub fn entity_keys(e: &Canonical) -> Vec<String> {
    let mut keys = BTreeSet::new();
    for name in std::iter::once(&e.canonical).chain(&e.aliases) {
        let t = tokens(name);
        keys.insert(format!("n:{}", t.join(" ")));
        if e.kind == EntityKind::Per && name == &e.canonical {
            for run in runs(&t) {
                keys.insert(format!("r:{run}"));
            }
        }
        if e.kind == EntityKind::Org {
            keys.extend(initials(name).into_iter().map(|l| format!("i:{l}")));
            if let Some(m) = ministry_key(name, e.nationality.as_deref()) {
                keys.insert(format!("m:{m}"));
            }
        }
    }
    keys.into_iter().collect()
}

/// The keys a local entity looks up: the exact name, the longer names containing it, the
/// shorter names it contains, and for organisations the acronym in either direction and the
/// ministry.
fn lookup_keys(p: &Profile) -> Vec<String> {
    let t = tokens(&p.name);
    let mut keys = vec![format!("n:{}", t.join(" "))];
    let kind = p.kind.unwrap_or(EntityKind::Misc);
    if kind == EntityKind::Per && t.len() >= 2 {
        keys.push(format!("r:{}", t.join(" ")));
        keys.extend(runs(&t).map(|r| format!("n:{r}")));
    }
    if kind == EntityKind::Org {
        if let Some(letters) = acronym_letters(&p.name) {
            keys.push(format!("i:{letters}"));
        }
        keys.extend(
            initials(&p.name)
                .into_iter()
                .map(|l| format!("n:{}", l.to_lowercase())),
        );
        if let Some(m) = ministry_key(&p.name, p.nationality.as_deref()) {
            keys.push(format!("m:{m}"));
        }
    }
    keys
}

/// Every run of two or more consecutive words, the whole included.
fn runs(t: &[String]) -> impl Iterator<Item = String> + '_ {
    (2..=t.len()).flat_map(move |len| t.windows(len).map(|w| w.join(" ")))
}

/// "ministry/defence/Iran" for "Defense Ministry of Iran", "Iran's Defence Ministry" and, in
/// an article whose organisation mention says it is Iranian, "Ministry of Defence and Armed
/// Forces Logistics": the portfolio (the first word naming it, spelling variants folded) and
/// the country. Without a country there is no key: every state has a defence ministry.
fn ministry_key(name: &str, nationality: Option<&str>) -> Option<String> {
    let lower = name.to_lowercase().replace("defense", "defence");
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’' && c != '.')
        .filter(|w| !w.is_empty())
        .collect();
    let at = words.iter().position(|w| *w == "ministry")?;
    let is_country = |w: &str| crate::tables::country_of(w).is_some();
    let skip = |w: &&str| matches!(*w, "of" | "the" | "for" | "and") || is_country(w);
    // "Ministry of X" names the portfolio after it, "X Ministry" before it.
    let portfolio = words[at + 1..]
        .iter()
        .find(|w| !skip(w))
        .filter(|_| words.get(at + 1) == Some(&"of"))
        .or_else(|| words[..at].iter().find(|w| !skip(w)))?;
    let country = words
        .iter()
        .find_map(|w| crate::tables::country_of(w))
        .or_else(|| nationality.and_then(crate::tables::country_of))?;
    Some(format!("ministry/{portfolio}/{country}"))
}

/// What merging a local entity into a canonical one does to the canonical name.
#[derive(Clone, Copy, PartialEq)]
enum Join {
    Keep,
    /// The local name is the fuller one (an expansion of an acronym, or a longer name
    /// containing the canonical one): it becomes the canonical name.
    Rename,
}

/// Whether `p` (named `t`, of kind `kind`) is the entity `e` of the same kind.
fn same_kind_match(p: &Profile, t: &[String], kind: EntityKind, e: &Canonical) -> Option<Join> {
    let e_tokens = tokens(&e.canonical);
    if kind != EntityKind::Per {
        if e_tokens == t || e.aliases.iter().any(|a| tokens(a) == t) {
            return Some(Join::Keep);
        }
        if kind == EntityKind::Org {
            if is_acronym_of(&p.name, &e.canonical) {
                return Some(Join::Keep);
            }
            if is_acronym_of(&e.canonical, &p.name) {
                return Some(Join::Rename);
            }
            let key = ministry_key(&p.name, p.nationality.as_deref());
            let nationality_ok = match (&p.nationality, &e.nationality) {
                (Some(x), Some(y)) => x == y,
                _ => true,
            };
            if key.is_some()
                && nationality_ok
                && std::iter::once(&e.canonical)
                    .chain(&e.aliases)
                    .any(|n| ministry_key(n, e.nationality.as_deref()) == key)
            {
                return Some(Join::Keep);
            }
        }
        return None;
    }
    if e_tokens == t {
        return compatible(p, t, e).then_some(Join::Keep);
    }
    if !(compatible(p, t, e) && corroborated(p, e)) {
        return None;
    }
    if t.len() >= 2 && contains_run(&e_tokens, t) {
        return Some(Join::Keep);
    }
    // Resolved incrementally, the shorter name may have come first.
    if e_tokens.len() >= 2 && contains_run(t, &e_tokens) {
        return Some(Join::Rename);
    }
    None
}

/// Whether `p`, labelled `kind`, is the entity `e` the recogniser labelled otherwise: the same
/// name, with no title or role on either side. One name gets one kind across the store, decided
/// by the recogniser's votes ("Jordan" the country, tagged PER in one sentence). A title or role
/// is evidence of a person that votes do not overrule: "President Jordan" stays a person apart
/// from the country.
fn cross_kind_match(p: &Profile, t: &[String], kind: EntityKind, e: &Canonical) -> bool {
    let open = |k: EntityKind| matches!(k, EntityKind::Per | EntityKind::Org | EntityKind::Loc);
    open(kind)
        && open(e.kind)
        && kind != e.kind
        && !person_evidence(&p.titles, &p.roles)
        && !person_evidence(&e.titles, &e.roles)
        && (tokens(&e.canonical) == t || e.aliases.iter().any(|a| tokens(a) == t))
}

/// Merges batches of documents into canonical entities, starting from the entities a store
/// already holds (only those a batch can join need be loaded, see [`Batch::lookup_keys`]).
///
/// Rules, in order: the same kind, or the same name with no title or role on either side (one
/// name, one kind, by votes); for places, organisations and framing references, the same
/// normalised name, an acronym and its expansion, or the same ministry of the same country;
/// for people, the same full name with nothing conflicting, or a name of two or more words
/// contained in a longer one (either one may come first) with a shared role, or a shared
/// nationality without clashing roles, and nothing conflicting. A single shared word never
/// merges two people.
pub struct Resolver {
    entities: Vec<Canonical>,
    index: HashMap<String, Vec<usize>>,
    ids: HashSet<String>,
    touched: BTreeSet<usize>,
    /// (entity, doc) → mentions the doc contributed.
    contributions: BTreeMap<(usize, String), usize>,
    assignments: BTreeMap<String, Vec<Option<String>>>,
}

/// What resolving batches changed, for a store to write.
#[derive(Clone, Debug, Default)]
pub struct Resolution {
    /// Entities created or changed, each with its index keys ([`entity_keys`]).
    pub entities: Vec<(Canonical, Vec<String>)>,
    /// (entity id, doc id, mentions).
    pub contributions: Vec<(String, String, usize)>,
    /// doc id → entity id per mention (None for mentions left unresolved).
    pub assignments: BTreeMap<String, Vec<Option<String>>>,
}

impl Resolver {
    /// `existing`: stored entities in the order they were created (earlier ones win ties).
    /// Their ids are taken even if a batch does not touch them.
    pub fn new(existing: Vec<Canonical>, taken_ids: impl IntoIterator<Item = String>) -> Resolver {
        let mut r = Resolver {
            entities: Vec::new(),
            index: HashMap::new(),
            ids: taken_ids.into_iter().collect(),
            touched: BTreeSet::new(),
            contributions: BTreeMap::new(),
            assignments: BTreeMap::new(),
        };
        for e in existing {
            r.ids.insert(e.id.clone());
            let at = r.entities.len();
            for key in entity_keys(&e) {
                r.index.entry(key).or_default().push(at);
            }
            r.entities.push(e);
        }
        r
    }

    fn index_names(&mut self, at: usize) {
        for key in entity_keys(&self.entities[at]) {
            let list = self.index.entry(key).or_default();
            if !list.contains(&at) {
                list.push(at);
            }
        }
    }

    pub fn resolve(&mut self, batch: Batch) {
        let mut local_to_entity: HashMap<(String, usize), usize> = HashMap::new();
        for (doc, root, p) in batch.locals {
            let kind = p.kind.unwrap_or(EntityKind::Misc);
            let t = tokens(&p.name);
            let mut candidates: Vec<usize> = lookup_keys(&p)
                .iter()
                .filter_map(|k| self.index.get(k))
                .flatten()
                .copied()
                .collect();
            candidates.sort_unstable();
            candidates.dedup();
            // Same kind first; the first in creation order that matches is taken.
            let found = candidates
                .iter()
                .filter(|&&i| self.entities[i].kind == kind)
                .find_map(|&i| same_kind_match(&p, &t, kind, &self.entities[i]).map(|j| (i, j)))
                .or_else(|| {
                    candidates
                        .iter()
                        .find(|&&i| cross_kind_match(&p, &t, kind, &self.entities[i]))
                        .map(|&i| (i, Join::Keep))
                });
            let at = match found {
                Some((i, join)) => {
                    let e = &mut self.entities[i];
                    if join == Join::Rename {
                        e.aliases.insert(e.canonical.clone());
                        e.canonical = p.name.clone();
                    }
                    i
                }
                None => {
                    let base = slug(kind, &p.name);
                    let mut id = base.clone();
                    let mut n = 2;
                    while self.ids.contains(&id) {
                        id = format!("{base}-{n}");
                        n += 1;
                    }
                    self.ids.insert(id.clone());
                    self.entities.push(Canonical {
                        id,
                        kind,
                        canonical: p.name.clone(),
                        aliases: BTreeSet::new(),
                        titles: BTreeSet::new(),
                        roles: BTreeSet::new(),
                        nationality: None,
                        mentions: 0,
                        articles: BTreeSet::new(),
                        votes: BTreeMap::new(),
                    });
                    self.entities.len() - 1
                }
            };
            let e = &mut self.entities[at];
            // Prefer a name as written in running text over a capitalised dateline ("TEHRAN").
            if e.canonical.chars().all(|c| !c.is_lowercase())
                && p.name.chars().any(char::is_lowercase)
                && tokens(&p.name) == tokens(&e.canonical)
            {
                e.canonical = p.name.clone();
            }
            e.aliases.extend(p.aliases.iter().cloned());
            e.titles.extend(p.titles.iter().cloned());
            e.roles.extend(p.roles.iter().cloned());
            crate::local::prune_roles(&mut e.roles);
            if e.nationality.is_none() {
                e.nationality = p.nationality.clone();
            }
            *e.votes.entry(kind).or_default() += p.mentions;
            // Ties keep the kind the entity had.
            let best = e.votes.get(&e.kind).copied().unwrap_or(0);
            if let Some((&k, _)) = e.votes.iter().find(|(_, &v)| v > best) {
                e.kind = k;
            }
            e.mentions += p.mentions;
            e.articles.insert(doc.clone());
            *self.contributions.entry((at, doc.clone())).or_default() += p.mentions;
            self.touched.insert(at);
            self.index_names(at);
            local_to_entity.insert((doc, root), at);
        }
        for (doc, roots) in batch.docs {
            let ids = roots
                .iter()
                .map(|&r| {
                    local_to_entity
                        .get(&(doc.clone(), r))
                        .map(|&e| self.entities[e].id.clone())
                })
                .collect();
            self.assignments.insert(doc, ids);
        }
    }

    /// The entities created or changed, their new mentions, and the assignments.
    pub fn finish(self) -> Resolution {
        let Resolver {
            entities,
            touched,
            contributions,
            assignments,
            ..
        } = self;
        let contributions = contributions
            .into_iter()
            .map(|((e, doc), n)| (entities[e].id.clone(), doc, n))
            .collect();
        let entities = entities
            .into_iter()
            .enumerate()
            .filter(|(i, _)| touched.contains(i))
            .map(|(_, e)| {
                let keys = entity_keys(&e);
                (e, keys)
            })
            .collect();
        Resolution {
            entities,
            contributions,
            assignments,
        }
    }
}

/// Merges the local entities of every document into canonical entities, in memory (the store
/// does the same batch by batch, see [`Resolver`]).
pub fn canonicalize(docs: &[(String, &str, &[EntityMention])]) -> CanonicalSet {
    let mut resolver = Resolver::new(Vec::new(), Vec::new());
    resolver.resolve(Batch::new(docs));
    let resolution = resolver.finish();
    let mut entities: Vec<Canonical> = resolution.entities.into_iter().map(|(e, _)| e).collect();
    entities.sort_by(|a, b| a.id.cmp(&b.id));
    CanonicalSet {
        entities,
        assignments: resolution.assignments,
    }
}

/// Whether `short` is written as the initials of `long`'s words: "IRGC" for "Islamic
/// Revolution Guards Corps", "U.N." for "United Nations". Lower-case function words may be
/// skipped or counted, as organisations do both ("UNHCR", "DOD" for "Department of Defense").
fn is_acronym_of(short: &str, long: &str) -> bool {
    acronym_letters(short).is_some_and(|l| initials(long).contains(&l))
}

/// The letters of a name written as an acronym (two to eight capitals, dots allowed).
fn acronym_letters(name: &str) -> Option<String> {
    let letters: String = name.chars().filter(|c| *c != '.').collect();
    ((2..=8).contains(&letters.chars().count()) && letters.chars().all(|c| c.is_ascii_uppercase()))
        .then_some(letters)
}

/// The initials of a name of two or more words: without and with its lower-case words.
fn initials(name: &str) -> Vec<String> {
    let words: Vec<&str> = name
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() < 2 {
        return Vec::new();
    }
    let of = |skip_function_words: bool| -> String {
        words
            .iter()
            .filter(|w| !(skip_function_words && w.starts_with(char::is_lowercase)))
            .filter_map(|w| w.chars().next())
            .map(|c| c.to_ascii_uppercase())
            .collect()
    };
    let mut out = vec![of(true), of(false)];
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn acronyms() {
        use super::is_acronym_of;
        assert!(is_acronym_of("IRGC", "Islamic Revolution Guards Corps"));
        assert!(is_acronym_of("U.N.", "United Nations"));
        assert!(is_acronym_of("DOD", "Department of Defense"));
        assert!(is_acronym_of(
            "UNHCR",
            "United Nations High Commissioner for Refugees"
        ));
        assert!(!is_acronym_of("IS", "Islamic State Army"));
        assert!(!is_acronym_of("ISIS", "Islamic State"));
        assert!(!is_acronym_of("Nato", "North Atlantic Treaty Organization"));
    }

    use super::*;
    use crate::resolve_document;
    use newsdesk_span::Span;

    fn doc(text: &str, names: &[&str]) -> Vec<EntityMention> {
        let mut spans = Vec::new();
        let mut from = 0;
        for name in names {
            let start = from + text[from..].find(name).unwrap();
            spans.push((
                Span::new(text, start, start + name.len()).unwrap(),
                EntityKind::Per,
                0.9,
            ));
            from = start + name.len();
        }
        resolve_document(text, &[Span::new(text, 0, text.len()).unwrap()], &spans)
    }

    #[test]
    fn other_names_of_a_known_organisation_are_one_entity() {
        // The recogniser's kind does not matter: the names are an organisation's.
        let a = "Fighters of Daesh attacked the town.";
        let b = "ISIS claimed the attack on the town.";
        let (ma, mb) = (doc(a, &["Daesh"]), doc(b, &["ISIS"]));
        assert!(ma.iter().chain(&mb).all(|m| m.kind == EntityKind::Org));
        let set = canonicalize(&[("a".into(), a, &ma[..]), ("b".into(), b, &mb[..])]);
        let names: Vec<&str> = set.entities.iter().map(|e| e.canonical.as_str()).collect();
        assert_eq!(names, ["Islamic State"]);
        let aliases: Vec<&str> = set.entities[0].aliases.iter().map(String::as_str).collect();
        assert_eq!(aliases, ["Daesh", "ISIS"]);
    }

    #[test]
    fn same_person_across_documents_once_and_different_people_apart() {
        let a =
            "Austrian Defence Minister Karl Otto Brenner met Danish Defence Minister Jan Novak.";
        let b = "Defence Minister Karl Brenner, speaking in Vienna, thanked Novak. Austrian President Otto Brenner was absent.";
        let c = "Danish Defence Minister Jan Novak said the talks went well.";
        let (ma, mb, mc) = (
            doc(a, &["Karl Otto Brenner", "Jan Novak"]),
            doc(b, &["Karl Brenner", "Novak", "Otto Brenner"]),
            doc(c, &["Jan Novak"]),
        );
        let set = canonicalize(&[
            ("a".into(), a, &ma),
            ("b".into(), b, &mb),
            ("c".into(), c, &mc),
        ]);
        let novak: Vec<_> = set
            .entities
            .iter()
            .filter(|e| e.canonical == "Jan Novak")
            .collect();
        assert_eq!(novak.len(), 1);
        assert_eq!(novak[0].articles.len(), 2, "{novak:?}");
        // "Otto Brenner" the president shares a name part with the minister: not merged.
        let otto = set
            .entities
            .iter()
            .find(|e| e.canonical == "Otto Brenner")
            .expect("kept apart");
        assert!(otto.roles.contains("president"));
        // "Novak" alone in b shares one word with Jan Novak: a single word never merges.
        assert!(set.entities.iter().any(|e| e.canonical == "Novak"));
        // No entity merges two different full names.
        for e in &set.entities {
            let full: Vec<_> = e.aliases.iter().filter(|a| tokens(a).len() >= 2).collect();
            for x in &full {
                for y in &full {
                    assert!(
                        contains_run(&tokens(x), &tokens(y))
                            || contains_run(&tokens(y), &tokens(x)),
                        "{e:?}"
                    );
                }
            }
        }
    }

    /// Mentions of the given names and kinds, in order, resolved within the document.
    fn kinds(text: &str, names: &[(&str, EntityKind)]) -> Vec<EntityMention> {
        let mut spans = Vec::new();
        let mut from = 0;
        for (name, kind) in names {
            let start = from + text[from..].find(name).unwrap();
            spans.push((
                Span::new(text, start, start + name.len()).unwrap(),
                *kind,
                0.9,
            ));
            from = start + name.len();
        }
        resolve_document(text, &[Span::new(text, 0, text.len()).unwrap()], &spans)
    }

    fn named<'a>(set: &'a CanonicalSet, name: &str) -> Vec<&'a Canonical> {
        set.entities
            .iter()
            .filter(|e| e.canonical == name)
            .collect()
    }

    #[test]
    fn a_role_change_is_not_a_conflict_for_the_same_person() {
        let a = "Austrian Foreign Minister Tomas Varga met the envoy.";
        let b = "Austrian President Tomas Varga opened parliament.";
        let c = "Tomas Varga, the Austrian prime minister, resigned.";
        let d = "Danish President Tomas Varga visited the port.";
        let (ma, mb, mc, md) = (
            doc(a, &["Tomas Varga"]),
            doc(b, &["Tomas Varga"]),
            doc(c, &["Tomas Varga"]),
            doc(d, &["Tomas Varga"]),
        );
        let set = canonicalize(&[
            ("a".into(), a, &ma),
            ("b".into(), b, &mb),
            ("c".into(), c, &mc),
            ("d".into(), d, &md),
        ]);
        let varga = named(&set, "Tomas Varga");
        // One Austrian across three offices; the Danish of the same name apart.
        assert_eq!(varga.len(), 2, "{varga:?}");
        let ruritanian = varga
            .iter()
            .find(|e| e.nationality.as_deref() != Some("Denmark"))
            .unwrap();
        assert_eq!(ruritanian.articles.len(), 3, "{ruritanian:?}");
        assert!(ruritanian.roles.contains("president"));
    }

    #[test]
    fn one_name_gets_one_kind_across_the_store_unless_a_title_says_person() {
        let a = "Troops crossed into Jordan. Jordan closed its border.";
        let b = "Jordan said the talks would resume.";
        let c = "Police found the car near Jordan.";
        let d = "President Jordan signed the decree.";
        let (ma, mb, mc, md) = (
            kinds(
                a,
                &[("Jordan", EntityKind::Loc), ("Jordan", EntityKind::Loc)],
            ),
            kinds(b, &[("Jordan", EntityKind::Per)]),
            kinds(c, &[("Jordan", EntityKind::Org)]),
            kinds(d, &[("Jordan", EntityKind::Per)]),
        );
        let set = canonicalize(&[
            ("a".into(), a, &ma),
            ("b".into(), b, &mb),
            ("c".into(), c, &mc),
            ("d".into(), d, &md),
        ]);
        let jordan = named(&set, "Jordan");
        assert_eq!(jordan.len(), 2, "{jordan:?}");
        let place = jordan.iter().find(|e| e.titles.is_empty()).unwrap();
        assert_eq!(place.kind, EntityKind::Loc, "the majority of mentions");
        assert_eq!(place.articles.len(), 3);
        let person = jordan.iter().find(|e| !e.titles.is_empty()).unwrap();
        assert_eq!(person.kind, EntityKind::Per);
        assert_eq!(person.articles.len(), 1);
    }

    #[test]
    fn ministry_variants_of_one_country_are_one_organisation() {
        let a = "The Defense Ministry of Austria denied the report.";
        let b = "Austria's Defence Ministry said the drill was planned.";
        let c = "Austria's Foreign Ministry summoned the envoy.";
        let d = "Denmark's Defence Ministry said nothing.";
        let e = "The Ministry of Defence declined to comment.";
        let org = |text: &'static str, name: &'static str| kinds(text, &[(name, EntityKind::Org)]);
        let docs = [
            ("a", a, org(a, "Defense Ministry of Austria")),
            ("b", b, org(b, "Austria's Defence Ministry")),
            ("c", c, org(c, "Austria's Foreign Ministry")),
            ("d", d, org(d, "Denmark's Defence Ministry")),
            ("e", e, org(e, "Ministry of Defence")),
        ];
        let input: Vec<(String, &str, &[EntityMention])> = docs
            .iter()
            .map(|(id, text, m)| (id.to_string(), *text, &m[..]))
            .collect();
        let set = canonicalize(&input);
        let of = |doc: &str| set.assignments[doc][0].clone().unwrap();
        assert_eq!(of("a"), of("b"), "{:?}", set.entities);
        assert_ne!(of("a"), of("c"), "another portfolio");
        assert_ne!(of("a"), of("d"), "another country");
        assert_ne!(of("a"), of("e"), "no country named: every state has one");
        // A mention whose profile names the country (its nationality) keys the same ministry.
        assert_eq!(
            ministry_key(
                "Ministry of Defence and Armed Forces Logistics",
                Some("Austrian")
            ),
            ministry_key("Defense Ministry of Austria", None)
        );
    }

    /// Resolves one document per batch against a map standing in for the store: the entities
    /// under the batch's lookup keys are loaded, the rest stay unread.
    fn one_batch_per_document(input: &[(String, &str, &[EntityMention])]) -> Vec<Canonical> {
        let mut stored: Vec<Canonical> = Vec::new();
        for d in input {
            let batch = Batch::new(std::slice::from_ref(d));
            let keys = batch.lookup_keys();
            let loaded: Vec<Canonical> = stored
                .iter()
                .filter(|e| entity_keys(e).iter().any(|k| keys.contains(k)))
                .cloned()
                .collect();
            let mut r = Resolver::new(loaded, stored.iter().map(|e| e.id.clone()));
            r.resolve(batch);
            for (e, _) in r.finish().entities {
                match stored.iter_mut().find(|s| s.id == e.id) {
                    Some(s) => *s = e,
                    None => stored.push(e),
                }
            }
        }
        stored
    }

    #[test]
    fn incremental_resolution_does_not_depend_on_batch_size() {
        // The shorter name and the acronym come first, as they may in a later batch.
        let texts = [
            (
                "a",
                "Finance Minister Lena Ortiz spoke.",
                vec![("Lena Ortiz", EntityKind::Per)],
            ),
            (
                "b",
                "Finance Minister Maria Lena Ortiz spoke. The NRC agreed.",
                vec![
                    ("Maria Lena Ortiz", EntityKind::Per),
                    ("NRC", EntityKind::Org),
                ],
            ),
            (
                "c",
                "The National Rail Council met.",
                vec![("National Rail Council", EntityKind::Org)],
            ),
            (
                "d",
                "Troops reached Jordan.",
                vec![("Jordan", EntityKind::Loc)],
            ),
            ("e", "Jordan said no.", vec![("Jordan", EntityKind::Per)]),
            (
                "f",
                "Lena Ortiz left.",
                vec![("Lena Ortiz", EntityKind::Per)],
            ),
        ];
        let mentions: Vec<Vec<EntityMention>> = texts.iter().map(|(_, t, n)| kinds(t, n)).collect();
        let input: Vec<(String, &str, &[EntityMention])> = texts
            .iter()
            .zip(&mentions)
            .map(|((id, t, _), m)| (id.to_string(), *t, &m[..]))
            .collect();
        let summary = |entities: &[Canonical]| {
            let mut v: Vec<(String, EntityKind, Vec<String>)> = entities
                .iter()
                .map(|e| {
                    (
                        e.canonical.clone(),
                        e.kind,
                        e.articles.iter().cloned().collect(),
                    )
                })
                .collect();
            v.sort();
            v
        };
        let whole = canonicalize(&input).entities;
        let incremental = one_batch_per_document(&input);
        assert_eq!(summary(&whole), summary(&incremental));
        let ortiz = whole
            .iter()
            .find(|e| e.canonical == "Maria Lena Ortiz")
            .unwrap();
        assert_eq!(ortiz.articles.len(), 2, "{whole:?}");
        assert!(whole
            .iter()
            .any(|e| e.canonical == "National Rail Council" && e.aliases.contains("NRC")));
    }
}
