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
    pub mentions: usize,
    pub articles: BTreeSet<String>,
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

/// Two profiles can be one person only if nothing they say conflicts.
fn compatible(a: &Profile, b: &Canonical) -> bool {
    let nationality_ok = match (&a.nationality, &b.nationality) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    };
    let roles_ok = a.roles.is_empty()
        || b.roles.is_empty()
        || a.roles.iter().any(|r| {
            b.roles.contains(r) || r == "minister" || b.roles.iter().any(|x| x == "minister")
        });
    nationality_ok && roles_ok
}

/// Evidence beyond the name: a shared role or nationality.
fn corroborated(a: &Profile, b: &Canonical) -> bool {
    a.roles.iter().any(|r| b.roles.contains(r))
        || (a.nationality.is_some() && a.nationality == b.nationality)
}

/// Merges the local entities of every document into canonical entities.
///
/// Rules, in order: the same kind; for places, organisations and framing references, the same
/// normalised name; for people, the same full name with nothing conflicting, or a name of two
/// or more words contained in a longer one with a shared role or nationality and nothing
/// conflicting. A single shared word never merges two people.
pub fn canonicalize(docs: &[(String, &str, &[EntityMention])]) -> CanonicalSet {
    // Gather every local entity, fullest names first so they anchor the shorter forms.
    let mut locals: Vec<(String, usize, Profile)> = Vec::new();
    for (doc, text, mentions) in docs {
        for (root, profile) in profiles(text, mentions) {
            if profile.name.trim().is_empty() {
                continue;
            }
            locals.push((doc.clone(), root, profile));
        }
    }
    locals.sort_by(|a, b| {
        tokens(&b.2.name)
            .len()
            .cmp(&tokens(&a.2.name).len())
            .then_with(|| a.2.name.cmp(&b.2.name))
            .then_with(|| a.0.cmp(&b.0))
            .then_with(|| a.1.cmp(&b.1))
    });

    let mut entities: Vec<Canonical> = Vec::new();
    let mut index = EntityIndex::default();
    let mut local_to_entity: BTreeMap<(String, usize), usize> = BTreeMap::new();
    for (doc, root, p) in locals.iter_mut() {
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
        let p = &*p;
        let name_tokens = tokens(&p.name);
        // Only entities sharing a word with the name (or whose initials the name spells) can
        // match; the first of them in creation order that does is taken.
        let mut candidates: Vec<usize> = index
            .by_word
            .get(&(kind, name_tokens.first().cloned().unwrap_or_default()))
            .into_iter()
            .flatten()
            .copied()
            .collect();
        if kind == EntityKind::Org {
            if let Some(letters) = acronym_letters(&p.name) {
                candidates.extend(index.by_initials.get(&letters).into_iter().flatten());
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let found = candidates.into_iter().find(|&i| {
            let e = &entities[i];
            if e.kind != kind {
                return false;
            }
            let e_tokens = tokens(&e.canonical);
            if kind != EntityKind::Per {
                return e_tokens == name_tokens
                    || e.aliases.iter().any(|a| tokens(a) == name_tokens)
                    || (kind == EntityKind::Org && is_acronym_of(&p.name, &e.canonical));
            }
            if e_tokens == name_tokens {
                return compatible(p, e);
            }
            name_tokens.len() >= 2
                && contains_run(&e_tokens, &name_tokens)
                && compatible(p, e)
                && corroborated(p, e)
        });
        let at = match found {
            Some(i) => i,
            None => {
                let mut id = slug(kind, &p.name);
                let mut n = 2;
                while index.ids.contains(&id) {
                    id = format!("{}-{n}", slug(kind, &p.name));
                    n += 1;
                }
                index.ids.insert(id.clone());
                index.add_name(kind, &p.name, entities.len());
                if kind == EntityKind::Org {
                    for letters in initials(&p.name) {
                        index
                            .by_initials
                            .entry(letters)
                            .or_default()
                            .push(entities.len());
                    }
                }
                entities.push(Canonical {
                    id,
                    kind,
                    canonical: p.name.clone(),
                    aliases: BTreeSet::new(),
                    titles: BTreeSet::new(),
                    roles: BTreeSet::new(),
                    nationality: None,
                    mentions: 0,
                    articles: BTreeSet::new(),
                });
                entities.len() - 1
            }
        };
        for alias in &p.aliases {
            index.add_name(kind, alias, at);
        }
        let e = &mut entities[at];
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
        if e.nationality.is_none() {
            e.nationality = p.nationality.clone();
        }
        e.mentions += p.mentions;
        e.articles.insert(doc.clone());
        local_to_entity.insert((doc.clone(), *root), at);
    }

    let mut assignments = BTreeMap::new();
    for (doc, _, mentions) in docs {
        let ids: Vec<Option<String>> = (0..mentions.len())
            .map(|i| {
                let r = root_of(mentions, i);
                local_to_entity
                    .get(&(doc.clone(), r))
                    .map(|&e| entities[e].id.clone())
            })
            .collect();
        assignments.insert(doc.clone(), ids);
    }
    for e in &mut entities {
        crate::local::prune_roles(&mut e.roles);
    }
    entities.sort_by(|a, b| a.id.cmp(&b.id));
    CanonicalSet {
        entities,
        assignments,
    }
}

/// Where to look for the entities a name may join, so that merging stays linear in the
/// number of local entities rather than their product with the canonical ones.
#[derive(Default)]
struct EntityIndex {
    /// (kind, word) → entities whose name or an alias has that word.
    by_word: HashMap<(EntityKind, String), Vec<usize>>,
    /// Initials of organisation names → organisations.
    by_initials: HashMap<String, Vec<usize>>,
    ids: HashSet<String>,
}

impl EntityIndex {
    fn add_name(&mut self, kind: EntityKind, name: &str, entity: usize) {
        let words = tokens(name);
        if words.is_empty() {
            self.by_word
                .entry((kind, String::new()))
                .or_default()
                .push(entity);
        }
        for w in words {
            let list = self.by_word.entry((kind, w)).or_default();
            if list.last() != Some(&entity) {
                list.push(entity);
            }
        }
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
}
