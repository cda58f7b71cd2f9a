//! General knowledge: titles and ranks, countries with their demonyms, and loaded names of
//! states. Nothing here is taken from any article.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Words and phrases that form titles or roles before or after a name, lower-cased.
/// Multi-word entries are matched as a unit; single words combine ("Deputy Foreign Minister").
pub const TITLE_WORDS: &[&str] = &[
    // military ranks and forms
    "general",
    "gen.",
    "gen",
    "lieutenant",
    "lt.",
    "lt",
    "major",
    "maj.",
    "brigadier",
    "brig.",
    "colonel",
    "col.",
    "captain",
    "capt.",
    "commander",
    "admiral",
    "adm.",
    "rear",
    "vice",
    "commodore",
    "marshal",
    "field",
    "sergeant",
    "sgt.",
    "corporal",
    "private",
    "officer",
    "second",
    "first",
    "chief",
    "staff",
    "commander-in-chief",
    // civil and political
    "president",
    "vice-president",
    "prime",
    "minister",
    "deputy",
    "foreign",
    "defence",
    "defense",
    "interior",
    "finance",
    "economy",
    "oil",
    "health",
    "justice",
    "education",
    "trade",
    "secretary",
    "state",
    "ambassador",
    "envoy",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "speaker",
    "chancellor",
    "king",
    "queen",
    "prince",
    "princess",
    "crown",
    "emir",
    "sheikh",
    "sultan",
    "ayatollah",
    "supreme",
    "leader",
    "mayor",
    "governor",
    "senator",
    "sen.",
    "representative",
    "rep.",
    "congressman",
    "congresswoman",
    "chairman",
    "chairwoman",
    "chair",
    "director",
    "director-general",
    "judge",
    "justice",
    "pope",
    "cardinal",
    "bishop",
    "imam",
    "cleric",
    "rabbi",
    "mr.",
    "mrs.",
    "ms.",
    "dr.",
    "prof.",
    "professor",
    "sir",
    "lord",
    "lady",
    "seyed",
    "sayyed",
    "sayed",
    "hojatoleslam",
    "grand",
    "mufti",
    "premier",
    "head",
    "top",
    "acting",
    "former",
    "ex-",
    "new",
    "incoming",
    "outgoing",
    "assistant",
    "adviser",
    "advisor",
    "counselor",
    "attorney",
    "mp",
    "lawmaker",
    "diplomat",
    "negotiator",
    "coordinator",
    "logistics",
    "armed",
    "forces",
    "army",
    "navy",
    "air",
    "force",
    "general-secretary",
    "counterpart",
];

/// Head nouns of roles, for matching descriptions ("the minister", "the Syrian general").
pub const ROLE_HEADS: &[&str] = &[
    "minister",
    "president",
    "general",
    "commander",
    "chief",
    "ambassador",
    "envoy",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "secretary",
    "leader",
    "king",
    "queen",
    "prince",
    "emir",
    "mayor",
    "governor",
    "senator",
    "chairman",
    "director",
    "premier",
    "official",
    "diplomat",
    "admiral",
    "colonel",
    "counterpart",
    "lawmaker",
    "speaker",
    "chancellor",
];

/// Adjectives naming a religious or political current or the groups that follow it ("Takfiri
/// groups", "Salafist fighters"). They name no place, person or organisation: as a name of
/// their own they are miscellaneous, as CoNLL tags religions and ideologies.
pub const IDEOLOGY_ADJECTIVES: &[&str] = &[
    "takfiri",
    "takfiris",
    "salafi",
    "salafist",
    "wahhabi",
    "wahhabist",
    "jihadi",
    "jihadist",
    "islamist",
    "zionist",
    "baathist",
    "ba'athist",
    "marxist",
    "leninist",
    "maoist",
    "trotskyist",
    "communist",
    "socialist",
    "fascist",
    "nazi",
    "neo-nazi",
    "sunni",
    "shia",
    "shiite",
    "shi'ite",
    "alawite",
    "druze",
    "sufi",
    "deobandi",
    "kharijite",
    "khomeinist",
    "kemalist",
    "gaullist",
    "peronist",
    "chavista",
    "bolshevik",
    "anarchist",
];

/// Whether `word` is an ideology or religious-current adjective (any case).
pub fn is_ideology_adjective(word: &str) -> bool {
    let w = word.trim().to_lowercase().replace('’', "'");
    IDEOLOGY_ADJECTIVES.contains(&w.as_str())
}

/// Whether `word` is a nationality adjective ("Syrian", "Danish"), not a state's name or
/// abbreviation.
pub fn is_demonym(word: &str) -> bool {
    let w = word.trim().to_lowercase();
    w.len() > 3
        && COUNTRIES.iter().any(|(name, demonyms)| {
            demonyms.contains(&w.as_str()) && !name.eq_ignore_ascii_case(&w)
        })
}

/// Countries with their demonyms (lower-case), for nationality.
pub const COUNTRIES: &[(&str, &[&str])] = &[
    ("Afghanistan", &["afghan"]),
    ("Albania", &["albanian"]),
    ("Algeria", &["algerian"]),
    ("Argentina", &["argentine", "argentinian"]),
    ("Armenia", &["armenian"]),
    ("Australia", &["australian"]),
    ("Austria", &["austrian"]),
    ("Azerbaijan", &["azerbaijani", "azeri"]),
    ("Bahrain", &["bahraini"]),
    ("Bangladesh", &["bangladeshi"]),
    ("Belarus", &["belarusian"]),
    ("Belgium", &["belgian"]),
    ("Bolivia", &["bolivian"]),
    ("Bosnia", &["bosnian"]),
    ("Brazil", &["brazilian"]),
    ("Bulgaria", &["bulgarian"]),
    ("Canada", &["canadian"]),
    ("Chile", &["chilean"]),
    ("China", &["chinese"]),
    ("Colombia", &["colombian"]),
    ("Croatia", &["croatian"]),
    ("Cuba", &["cuban"]),
    ("Cyprus", &["cypriot"]),
    ("Czech Republic", &["czech"]),
    ("Denmark", &["danish"]),
    ("Egypt", &["egyptian"]),
    ("Estonia", &["estonian"]),
    ("Ethiopia", &["ethiopian"]),
    ("Finland", &["finnish"]),
    ("France", &["french"]),
    ("Georgia", &["georgian"]),
    ("Germany", &["german"]),
    ("Greece", &["greek"]),
    ("Hungary", &["hungarian"]),
    ("India", &["indian"]),
    ("Indonesia", &["indonesian"]),
    ("Iran", &["iranian", "persian"]),
    ("Iraq", &["iraqi"]),
    ("Ireland", &["irish"]),
    ("Israel", &["israeli"]),
    ("Italy", &["italian"]),
    ("Japan", &["japanese"]),
    ("Jordan", &["jordanian"]),
    ("Kazakhstan", &["kazakh"]),
    ("Kenya", &["kenyan"]),
    ("Kuwait", &["kuwaiti"]),
    ("Latvia", &["latvian"]),
    ("Lebanon", &["lebanese"]),
    ("Libya", &["libyan"]),
    ("Lithuania", &["lithuanian"]),
    ("Malaysia", &["malaysian"]),
    ("Mexico", &["mexican"]),
    ("Morocco", &["moroccan"]),
    ("Netherlands", &["dutch"]),
    ("New Zealand", &["new zealander"]),
    ("Nigeria", &["nigerian"]),
    ("North Korea", &["north korean"]),
    ("Norway", &["norwegian"]),
    ("Oman", &["omani"]),
    ("Pakistan", &["pakistani"]),
    ("Palestine", &["palestinian"]),
    ("Peru", &["peruvian"]),
    ("Philippines", &["filipino", "philippine"]),
    ("Poland", &["polish"]),
    ("Portugal", &["portuguese"]),
    ("Qatar", &["qatari"]),
    ("Romania", &["romanian"]),
    ("Russia", &["russian"]),
    ("Saudi Arabia", &["saudi"]),
    ("Serbia", &["serbian", "serb"]),
    ("Slovakia", &["slovak"]),
    ("Somalia", &["somali"]),
    ("South Africa", &["south african"]),
    ("South Korea", &["south korean", "korean"]),
    ("Spain", &["spanish"]),
    ("Sudan", &["sudanese"]),
    ("Sweden", &["swedish"]),
    ("Switzerland", &["swiss"]),
    ("Syria", &["syrian"]),
    ("Taiwan", &["taiwanese"]),
    ("Tajikistan", &["tajik"]),
    ("Thailand", &["thai"]),
    ("Tunisia", &["tunisian"]),
    ("Turkey", &["turkish"]),
    ("Turkmenistan", &["turkmen"]),
    ("Ukraine", &["ukrainian"]),
    ("United Arab Emirates", &["emirati"]),
    ("United Kingdom", &["british", "uk"]),
    ("United States", &["american", "us", "u.s."]),
    ("Uzbekistan", &["uzbek"]),
    ("Venezuela", &["venezuelan"]),
    ("Vietnam", &["vietnamese"]),
    ("Yemen", &["yemeni"]),
];

/// Other names of countries, for "of Syria", "the US", "the Islamic Republic of Iran".
pub const COUNTRY_ALIASES: &[(&str, &str)] = &[
    ("us", "United States"),
    ("u.s.", "United States"),
    ("usa", "United States"),
    ("america", "United States"),
    ("united states of america", "United States"),
    ("uk", "United Kingdom"),
    ("britain", "United Kingdom"),
    ("great britain", "United Kingdom"),
    ("islamic republic of iran", "Iran"),
    ("islamic republic", "Iran"),
    ("syrian arab republic", "Syria"),
    ("russian federation", "Russia"),
    ("uae", "United Arab Emirates"),
    ("kingdom of saudi arabia", "Saudi Arabia"),
    ("people's republic of china", "China"),
    ("republic of turkey", "Turkey"),
    ("türkiye", "Turkey"),
    ("dprk", "North Korea"),
];

/// Organisations known under several names (canonical name first, then the other names and
/// spellings, matched case-sensitively as whole names). Only unambiguous names: "IS" or
/// "Wagner" alone could be anything.
pub const ORGANISATIONS: &[(&str, &[&str])] = &[
    (
        "Islamic State",
        &[
            "ISIS",
            "ISIL",
            "Daesh",
            "Da'esh",
            "DAESH",
            "Islamic State of Iraq and the Levant",
            "Islamic State of Iraq and Syria",
            "Islamic State group",
        ],
    ),
    (
        "al-Qaeda",
        &[
            "al Qaeda", "Al Qaeda", "Al-Qaeda", "al-Qaida", "Al-Qaida", "al Qaida",
        ],
    ),
    (
        "Hezbollah",
        &["Hizbollah", "Hizballah", "Hizbullah", "Hezbolla"],
    ),
    (
        "Houthis",
        &["Houthi", "Ansar Allah", "Ansarallah", "Houthi movement"],
    ),
    (
        "Hayat Tahrir al-Sham",
        &["HTS", "Hayat Tahrir al-Sham (HTS)"],
    ),
    ("Kurdistan Workers' Party", &["PKK"]),
    ("Syrian Democratic Forces", &["SDF"]),
    (
        "Popular Mobilization Forces",
        &[
            "PMF",
            "PMU",
            "Popular Mobilisation Forces",
            "Hashd al-Shaabi",
        ],
    ),
    (
        "Islamic Revolutionary Guard Corps",
        &[
            "IRGC",
            "Islamic Revolution Guards Corps",
            "Islamic Revolutionary Guards Corps",
            "Revolutionary Guards",
            "Revolutionary Guard",
        ],
    ),
    (
        "North Atlantic Treaty Organization",
        &["NATO", "North Atlantic Treaty Organisation"],
    ),
    ("United Nations", &["UN", "U.N."]),
    ("European Union", &["EU", "E.U."]),
    ("International Atomic Energy Agency", &["IAEA"]),
    (
        "Organization of the Petroleum Exporting Countries",
        &["OPEC", "Organisation of the Petroleum Exporting Countries"],
    ),
    (
        "Shanghai Cooperation Organisation",
        &["SCO", "Shanghai Cooperation Organization"],
    ),
    ("Gulf Cooperation Council", &["GCC"]),
    ("Arab League", &["League of Arab States"]),
];

/// The canonical name of a well-known organisation that `name` names ("Daesh" → "Islamic
/// State"), ignoring a leading "the".
pub fn organisation_of(name: &str) -> Option<&'static str> {
    static INDEX: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
        ORGANISATIONS
            .iter()
            .flat_map(|(canonical, others)| {
                std::iter::once((*canonical, *canonical))
                    .chain(others.iter().map(|o| (*o, *canonical)))
            })
            .collect()
    });
    let n = name.trim();
    let n = n
        .strip_prefix("the ")
        .or_else(|| n.strip_prefix("The "))
        .unwrap_or(n);
    INDEX.get(n).copied()
}

/// Loaded or renamed references to a state, kept as framing marks.
pub const FRAMINGS: &[(&str, &str)] = &[
    ("the zionist regime", "Israel"),
    ("the zionist entity", "Israel"),
    ("the zionist enemy", "Israel"),
    ("the israeli regime", "Israel"),
    ("the occupying regime", "Israel"),
    ("the occupation regime", "Israel"),
    ("the israeli enemy", "Israel"),
    ("the usurping regime", "Israel"),
    ("the great satan", "United States"),
    ("the global arrogance", "United States"),
    ("the syrian regime", "Syria"),
    ("the assad regime", "Syria"),
    ("the iranian regime", "Iran"),
    ("the mullah regime", "Iran"),
    ("the kyiv regime", "Ukraine"),
    ("the kiev regime", "Ukraine"),
    ("the putin regime", "Russia"),
];

static COUNTRY_INDEX: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
    let mut index = HashMap::new();
    for (name, demonyms) in COUNTRIES {
        index.insert(name.to_lowercase(), *name);
        for d in *demonyms {
            index.insert(d.to_string(), *name);
        }
    }
    for (alias, country) in COUNTRY_ALIASES {
        index.entry(alias.to_string()).or_insert(*country);
    }
    index
});

static TITLE_INDEX: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| TITLE_WORDS.iter().copied().collect());

/// The country a word or phrase names: a country name, an alias, or a demonym.
pub fn country_of(word: &str) -> Option<&'static str> {
    let w = word.trim().trim_end_matches("'s").trim_end_matches("’s");
    if w.is_empty() {
        return None;
    }
    // Called for every word near a name: avoid allocating for the common lower-case case.
    if w.chars().all(|c| !c.is_uppercase()) {
        return COUNTRY_INDEX.get(w).copied();
    }
    COUNTRY_INDEX.get(&w.to_lowercase()).copied()
}

pub fn is_title_word(word: &str) -> bool {
    if word.chars().all(|c| !c.is_uppercase()) {
        return TITLE_INDEX.contains(word);
    }
    TITLE_INDEX.contains(word.to_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_by_name_alias_and_demonym() {
        assert_eq!(country_of("Syrian"), Some("Syria"));
        assert_eq!(country_of("Iran's"), Some("Iran"));
        assert_eq!(country_of("U.S."), Some("United States"));
        assert_eq!(country_of("Islamic Republic of Iran"), Some("Iran"));
        assert_eq!(country_of("Ministry"), None);
    }
}
