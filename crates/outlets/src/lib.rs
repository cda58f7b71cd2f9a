//! A general table of news outlets: their names, the web domains they publish on, the short
//! forms they use in credit lines ("TEHRAN (Tasnim) –", "By Mehr", "(Reuters)") and, for a few,
//! the tagline printed under their masthead. Used to name the outlet of a page, to tell an
//! original outlet from a site that reposts it, and to recognise an article's outlet named in
//! its own text.

#[derive(Debug)]
pub struct Outlet {
    pub name: &'static str,
    pub domains: &'static [&'static str],
    /// Short forms used in credit lines and datelines, matched case-sensitively as whole tokens.
    pub credits: &'static [&'static str],
    pub taglines: &'static [&'static str],
}

macro_rules! outlet {
    ($name:expr, [$($d:expr),*], [$($c:expr),*]) => {
        Outlet { name: $name, domains: &[$($d),*], credits: &[$($c),*], taglines: &[] }
    };
    ($name:expr, [$($d:expr),*], [$($c:expr),*], [$($t:expr),*]) => {
        Outlet { name: $name, domains: &[$($d),*], credits: &[$($c),*], taglines: &[$($t),*] }
    };
}

pub static OUTLETS: &[Outlet] = &[
    // Wire services
    // "Reuter" is how the wire signed its stories off for decades.
    outlet!("Reuters", ["reuters.com"], ["Reuters", "Reuter"]),
    outlet!(
        "Associated Press",
        ["apnews.com", "ap.org"],
        ["AP", "Associated Press"]
    ),
    outlet!(
        "Agence France-Presse",
        ["afp.com"],
        ["AFP", "Agence France-Presse"]
    ),
    outlet!("Xinhua", ["xinhuanet.com", "news.cn"], ["Xinhua"]),
    outlet!("TASS", ["tass.com", "tass.ru"], ["TASS", "Tass"]),
    outlet!("RIA Novosti", ["ria.ru"], ["RIA Novosti", "RIA"]),
    outlet!("Anadolu Agency", ["aa.com.tr"], ["Anadolu Agency", "AA"]),
    outlet!("Deutsche Presse-Agentur", ["dpa.com"], ["dpa", "DPA"]),
    outlet!("ANSA", ["ansa.it"], ["ANSA"]),
    outlet!("EFE", ["efe.com"], ["EFE"]),
    outlet!("Kyodo News", ["kyodonews.net"], ["Kyodo"]),
    outlet!("Yonhap", ["yna.co.kr"], ["Yonhap"]),
    outlet!("Press Trust of India", ["ptinews.com"], ["PTI"]),
    outlet!("Bloomberg", ["bloomberg.com"], ["Bloomberg"]),
    // Iran
    outlet!("Tasnim News Agency", ["tasnimnews.com"], ["Tasnim"]),
    outlet!("Mehr News Agency", ["mehrnews.com"], ["Mehr", "MNA"]),
    outlet!("Islamic Republic News Agency", ["irna.ir"], ["IRNA"]),
    outlet!(
        "Fars News Agency",
        ["farsnews.ir", "farsnews.com"],
        ["Fars", "FNA"]
    ),
    outlet!("Iranian Students' News Agency", ["isna.ir"], ["ISNA"]),
    outlet!("Iran Press", ["iranpress.com"], ["IP", "Iran Press"]),
    outlet!(
        "Press TV",
        ["presstv.ir", "presstv.com"],
        ["Press TV", "PressTV"]
    ),
    outlet!(
        "Islam Times",
        ["islamtimes.org", "islamtimes.com"],
        ["Islam Times"]
    ),
    outlet!("Tehran Times", ["tehrantimes.com"], ["Tehran Times"]),
    outlet!("IRIB News", ["iribnews.ir"], ["IRIB"]),
    outlet!("ABNA", ["abna24.com"], ["ABNA"]),
    outlet!("Iran Front Page", ["ifpnews.com"], ["IFP"]),
    // Arab world, Turkey, Israel
    outlet!("Syrian Arab News Agency", ["sana.sy"], ["SANA"]),
    outlet!(
        "Al Jazeera",
        ["aljazeera.com", "aljazeera.net"],
        ["Al Jazeera"]
    ),
    outlet!("Al Arabiya", ["alarabiya.net"], ["Al Arabiya"]),
    outlet!("Al Mayadeen", ["almayadeen.net"], ["Al Mayadeen"]),
    outlet!(
        "Middle East Monitor",
        ["middleeastmonitor.com"],
        ["MEMO", "Middle East Monitor"],
        ["Creating new perspectives since 2009"]
    ),
    outlet!(
        "Middle East Eye",
        ["middleeasteye.net"],
        ["Middle East Eye", "MEE"]
    ),
    outlet!("Al-Monitor", ["al-monitor.com"], ["Al-Monitor"]),
    outlet!("Asharq Al-Awsat", ["aawsat.com"], ["Asharq Al-Awsat"]),
    outlet!("Arab News", ["arabnews.com"], ["Arab News"]),
    outlet!("The National", ["thenationalnews.com"], ["The National"]),
    outlet!("Gulf News", ["gulfnews.com"], ["Gulf News"]),
    outlet!("Rudaw", ["rudaw.net"], ["Rudaw"]),
    outlet!("Kurdistan 24", ["kurdistan24.net"], ["Kurdistan 24"]),
    outlet!("Daily Sabah", ["dailysabah.com"], ["Daily Sabah"]),
    outlet!("TRT World", ["trtworld.com"], ["TRT World", "TRT"]),
    outlet!(
        "The Times of Israel",
        ["timesofisrael.com"],
        ["Times of Israel"]
    ),
    outlet!(
        "The Jerusalem Post",
        ["jpost.com"],
        ["Jerusalem Post", "JPost"]
    ),
    outlet!("Haaretz", ["haaretz.com"], ["Haaretz"]),
    outlet!("WAFA", ["wafa.ps"], ["WAFA"]),
    outlet!("Saudi Press Agency", ["spa.gov.sa"], ["SPA"]),
    outlet!("Emirates News Agency", ["wam.ae"], ["WAM"]),
    // Russia and Asia
    outlet!("RT", ["rt.com"], ["RT"]),
    outlet!(
        "Sputnik",
        ["sputniknews.com", "sputnikglobe.com"],
        ["Sputnik"]
    ),
    outlet!("Global Times", ["globaltimes.cn"], ["Global Times"]),
    outlet!("South China Morning Post", ["scmp.com"], ["SCMP"]),
    outlet!("Dawn", ["dawn.com"], ["Dawn"]),
    outlet!(
        "The Times of India",
        ["timesofindia.indiatimes.com"],
        ["Times of India", "TOI"]
    ),
    outlet!(
        "Hindustan Times",
        ["hindustantimes.com"],
        ["Hindustan Times"]
    ),
    // Europe and the Americas
    outlet!("BBC News", ["bbc.co.uk", "bbc.com"], ["BBC"]),
    outlet!(
        "The Guardian",
        ["theguardian.com", "guardian.co.uk"],
        ["Guardian"]
    ),
    outlet!("The Independent", ["independent.co.uk"], ["Independent"]),
    outlet!("Financial Times", ["ft.com"], ["FT", "Financial Times"]),
    outlet!("The Economist", ["economist.com"], ["Economist"]),
    outlet!("Deutsche Welle", ["dw.com"], ["DW", "Deutsche Welle"]),
    outlet!("France 24", ["france24.com"], ["France 24"]),
    outlet!("Euronews", ["euronews.com"], ["Euronews"]),
    outlet!("Der Spiegel", ["spiegel.de"], ["Spiegel"]),
    outlet!("Le Monde", ["lemonde.fr"], ["Le Monde"]),
    outlet!(
        "The New York Times",
        ["nytimes.com"],
        ["New York Times", "NYT"],
        ["All the News That's Fit to Print"]
    ),
    outlet!(
        "The Washington Post",
        ["washingtonpost.com"],
        ["Washington Post"],
        ["Democracy Dies in Darkness"]
    ),
    outlet!(
        "The Wall Street Journal",
        ["wsj.com"],
        ["WSJ", "Wall Street Journal"]
    ),
    outlet!("CNN", ["cnn.com"], ["CNN"]),
    outlet!("Fox News", ["foxnews.com"], ["Fox News"]),
    outlet!("NBC News", ["nbcnews.com"], ["NBC News", "NBC"]),
    outlet!("CBS News", ["cbsnews.com"], ["CBS News", "CBS"]),
    outlet!("ABC News", ["abcnews.go.com"], ["ABC News"]),
    outlet!("NPR", ["npr.org"], ["NPR"]),
    outlet!(
        "Politico",
        ["politico.com", "politico.eu"],
        ["Politico", "POLITICO"]
    ),
    outlet!("The Hill", ["thehill.com"], ["The Hill"]),
    outlet!("Breitbart", ["breitbart.com"], ["Breitbart"]),
    outlet!(
        "Voice of America",
        ["voanews.com"],
        ["VOA", "Voice of America"]
    ),
    outlet!("Radio Free Europe/Radio Liberty", ["rferl.org"], ["RFE/RL"]),
];

/// Who stands behind an outlet: general knowledge for judging whether two outlets are
/// independent sources. `None` wherever it is not well known; a guess here would make two
/// outlets look independent or dependent when nobody knows.
#[derive(Debug, PartialEq, Eq)]
pub struct Ownership {
    /// The outlet's name as in [`OUTLETS`].
    pub outlet: &'static str,
    /// ISO 3166-1 alpha-2 code of the country it is based in.
    pub country: Option<&'static str>,
    /// The company, body or government that owns or runs it.
    pub owner: Option<&'static str>,
    /// The state (ISO code) that owns, runs, funds or controls it, when one does: outlets of
    /// one state are not independent confirmations of each other.
    pub state: Option<&'static str>,
}

macro_rules! owned {
    ($outlet:expr, $country:expr, $owner:expr, $state:expr) => {
        Ownership {
            outlet: $outlet,
            country: $country,
            owner: $owner,
            state: $state,
        }
    };
}

pub static OWNERSHIP: &[Ownership] = &[
    owned!("Reuters", Some("GB"), Some("Thomson Reuters"), None),
    owned!(
        "Associated Press",
        Some("US"),
        Some("Associated Press (member cooperative)"),
        None
    ),
    owned!("Agence France-Presse", Some("FR"), None, None),
    owned!(
        "Xinhua",
        Some("CN"),
        Some("State Council of the People's Republic of China"),
        Some("CN")
    ),
    owned!("TASS", Some("RU"), Some("Government of Russia"), Some("RU")),
    owned!(
        "RIA Novosti",
        Some("RU"),
        Some("Rossiya Segodnya"),
        Some("RU")
    ),
    owned!(
        "Anadolu Agency",
        Some("TR"),
        Some("Government of Turkey"),
        Some("TR")
    ),
    owned!("Deutsche Presse-Agentur", Some("DE"), None, None),
    owned!("ANSA", Some("IT"), None, None),
    owned!(
        "EFE",
        Some("ES"),
        Some("SEPI (Spanish state holding company)"),
        Some("ES")
    ),
    owned!("Kyodo News", Some("JP"), None, None),
    owned!("Yonhap", Some("KR"), None, None),
    owned!("Press Trust of India", Some("IN"), None, None),
    owned!("Bloomberg", Some("US"), Some("Bloomberg L.P."), None),
    owned!("Tasnim News Agency", Some("IR"), None, Some("IR")),
    owned!(
        "Mehr News Agency",
        Some("IR"),
        Some("Islamic Development Organization"),
        Some("IR")
    ),
    owned!(
        "Islamic Republic News Agency",
        Some("IR"),
        Some("Government of Iran"),
        Some("IR")
    ),
    owned!("Fars News Agency", Some("IR"), None, Some("IR")),
    owned!(
        "Iranian Students' News Agency",
        Some("IR"),
        Some("Academic Center for Education, Culture and Research"),
        Some("IR")
    ),
    owned!("Iran Press", Some("IR"), None, None),
    owned!(
        "Press TV",
        Some("IR"),
        Some("Islamic Republic of Iran Broadcasting"),
        Some("IR")
    ),
    owned!(
        "Tehran Times",
        Some("IR"),
        Some("Islamic Propagation Organization"),
        Some("IR")
    ),
    owned!(
        "IRIB News",
        Some("IR"),
        Some("Islamic Republic of Iran Broadcasting"),
        Some("IR")
    ),
    owned!("Iran Front Page", Some("IR"), None, None),
    owned!(
        "Syrian Arab News Agency",
        Some("SY"),
        Some("Government of Syria"),
        Some("SY")
    ),
    owned!(
        "Al Jazeera",
        Some("QA"),
        Some("Al Jazeera Media Network"),
        Some("QA")
    ),
    owned!("Al Arabiya", Some("AE"), Some("MBC Group"), None),
    owned!("Al Mayadeen", Some("LB"), None, None),
    owned!("Middle East Monitor", Some("GB"), None, None),
    owned!("Middle East Eye", Some("GB"), None, None),
    owned!("Al-Monitor", Some("US"), None, None),
    owned!(
        "Asharq Al-Awsat",
        Some("GB"),
        Some("Saudi Research and Media Group"),
        None
    ),
    owned!(
        "Arab News",
        Some("SA"),
        Some("Saudi Research and Media Group"),
        None
    ),
    owned!(
        "The National",
        Some("AE"),
        Some("International Media Investments"),
        None
    ),
    owned!("Gulf News", Some("AE"), Some("Al Nisr Publishing"), None),
    owned!("Rudaw", Some("IQ"), None, None),
    owned!("Kurdistan 24", Some("IQ"), None, None),
    owned!(
        "Daily Sabah",
        Some("TR"),
        Some("Turkuvaz Media Group"),
        None
    ),
    owned!(
        "TRT World",
        Some("TR"),
        Some("Turkish Radio and Television Corporation"),
        Some("TR")
    ),
    owned!("The Times of Israel", Some("IL"), None, None),
    owned!("The Jerusalem Post", Some("IL"), None, None),
    owned!("Haaretz", Some("IL"), Some("Haaretz Group"), None),
    owned!(
        "WAFA",
        Some("PS"),
        Some("Palestinian Authority"),
        Some("PS")
    ),
    owned!(
        "Saudi Press Agency",
        Some("SA"),
        Some("Government of Saudi Arabia"),
        Some("SA")
    ),
    owned!(
        "Emirates News Agency",
        Some("AE"),
        Some("Government of the United Arab Emirates"),
        Some("AE")
    ),
    owned!("RT", Some("RU"), Some("TV-Novosti"), Some("RU")),
    owned!("Sputnik", Some("RU"), Some("Rossiya Segodnya"), Some("RU")),
    owned!(
        "Global Times",
        Some("CN"),
        Some("People's Daily"),
        Some("CN")
    ),
    owned!(
        "South China Morning Post",
        Some("HK"),
        Some("Alibaba Group"),
        None
    ),
    owned!("Dawn", Some("PK"), Some("Dawn Media Group"), None),
    owned!(
        "The Times of India",
        Some("IN"),
        Some("The Times Group"),
        None
    ),
    owned!("Hindustan Times", Some("IN"), Some("HT Media"), None),
    owned!(
        "BBC News",
        Some("GB"),
        Some("British Broadcasting Corporation"),
        None
    ),
    owned!(
        "The Guardian",
        Some("GB"),
        Some("Guardian Media Group"),
        None
    ),
    owned!("The Independent", Some("GB"), None, None),
    owned!("Financial Times", Some("GB"), Some("Nikkei"), None),
    owned!(
        "The Economist",
        Some("GB"),
        Some("The Economist Group"),
        None
    ),
    owned!(
        "Deutsche Welle",
        Some("DE"),
        Some("Deutsche Welle (federal public broadcaster)"),
        Some("DE")
    ),
    owned!(
        "France 24",
        Some("FR"),
        Some("France Médias Monde"),
        Some("FR")
    ),
    owned!("Euronews", None, None, None),
    owned!("Der Spiegel", Some("DE"), Some("Spiegel-Verlag"), None),
    owned!("Le Monde", Some("FR"), Some("Groupe Le Monde"), None),
    owned!(
        "The New York Times",
        Some("US"),
        Some("The New York Times Company"),
        None
    ),
    owned!(
        "The Washington Post",
        Some("US"),
        Some("Nash Holdings"),
        None
    ),
    owned!(
        "The Wall Street Journal",
        Some("US"),
        Some("Dow Jones & Company"),
        None
    ),
    owned!("CNN", Some("US"), Some("Warner Bros. Discovery"), None),
    owned!("Fox News", Some("US"), Some("Fox Corporation"), None),
    owned!("NBC News", Some("US"), Some("NBCUniversal"), None),
    owned!("CBS News", Some("US"), Some("Paramount"), None),
    owned!(
        "ABC News",
        Some("US"),
        Some("The Walt Disney Company"),
        None
    ),
    owned!("NPR", Some("US"), None, None),
    owned!("Politico", Some("US"), Some("Axel Springer"), None),
    owned!("The Hill", Some("US"), Some("Nexstar Media Group"), None),
    owned!(
        "Voice of America",
        Some("US"),
        Some("U.S. Agency for Global Media"),
        Some("US")
    ),
    owned!(
        "Radio Free Europe/Radio Liberty",
        Some("US"),
        Some("U.S. Agency for Global Media"),
        Some("US")
    ),
];

impl Outlet {
    /// Who stands behind this outlet, where the table knows it.
    pub fn ownership(&self) -> Option<&'static Ownership> {
        OWNERSHIP.iter().find(|o| o.outlet == self.name)
    }
}

impl Ownership {
    /// The group whose outlets count as one source under the stricter count: the state that
    /// controls the outlet, or else its owner; `None` when neither is known (the outlet then
    /// stands alone).
    pub fn group(&self) -> Option<String> {
        match (self.state, self.owner) {
            (Some(state), _) => Some(format!("state:{state}")),
            (None, Some(owner)) => Some(format!("owner:{owner}")),
            (None, None) => None,
        }
    }
}

/// The outlet whose domain the host is or is under ("www.tasnimnews.com" → Tasnim).
pub fn by_host(host: &str) -> Option<&'static Outlet> {
    let host = host.trim_start_matches("www.").to_ascii_lowercase();
    OUTLETS.iter().find(|o| {
        o.domains
            .iter()
            .any(|d| host == *d || host.ends_with(&format!(".{d}")))
    })
}

/// The outlet a credit token names ("Tasnim", "IP", "Reuters"), or whose full name it is.
pub fn by_credit(token: &str) -> Option<&'static Outlet> {
    let token = token.trim();
    OUTLETS
        .iter()
        .find(|o| o.credits.contains(&token))
        .or_else(|| OUTLETS.iter().find(|o| o.name.eq_ignore_ascii_case(token)))
}

/// The outlet whose masthead tagline this line is.
pub fn by_tagline(line: &str) -> Option<&'static Outlet> {
    let line = line.trim();
    OUTLETS
        .iter()
        .find(|o| o.taglines.iter().any(|t| t.eq_ignore_ascii_case(line)))
}

/// The outlet name at the start of `s` ("Iran PressIran News: …" starts with "Iran Press"),
/// with the byte length it covers. Only multi-character names, to keep "AP" from matching "APPLE".
pub fn at_start(s: &str) -> Option<(&'static Outlet, usize)> {
    let mut best: Option<(&'static Outlet, usize)> = None;
    for o in OUTLETS {
        for name in o.credits.iter().chain(std::iter::once(&o.name)) {
            if name.len() >= 4 && s.starts_with(name) && best.is_none_or(|(_, n)| name.len() > n) {
                best = Some((o, name.len()));
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        assert_eq!(
            by_host("www.tasnimnews.com").unwrap().name,
            "Tasnim News Agency"
        );
        assert_eq!(by_host("en.mehrnews.com").unwrap().name, "Mehr News Agency");
        assert!(by_host("notmehrnews.com").is_none());
        assert_eq!(by_credit("Reuters").unwrap().name, "Reuters");
        assert_eq!(by_credit("Islam Times").unwrap().name, "Islam Times");
        assert_eq!(
            at_start("Iran PressIran News: x").unwrap().0.name,
            "Iran Press"
        );
        assert!(at_start("APPLE").is_none());
    }

    #[test]
    fn ownership_names_listed_outlets_once_with_valid_country_codes() {
        let mut seen = std::collections::BTreeSet::new();
        for o in OWNERSHIP {
            assert!(
                OUTLETS.iter().any(|x| x.name == o.outlet),
                "{} is not an outlet",
                o.outlet
            );
            assert!(seen.insert(o.outlet), "{} listed twice", o.outlet);
            for code in [o.country, o.state].into_iter().flatten() {
                assert!(
                    code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()),
                    "{code}"
                );
            }
        }
    }

    #[test]
    fn outlets_of_one_state_or_owner_share_a_group_and_unknowns_stand_alone() {
        let group = |name: &str| {
            by_credit(name)
                .and_then(|o| o.ownership())
                .and_then(|o| o.group())
        };
        assert_eq!(group("RIA Novosti"), group("Sputnik"));
        assert_eq!(group("TASS"), group("RT"));
        assert_eq!(group("Arab News"), group("Asharq Al-Awsat"));
        assert_ne!(group("Reuters"), group("Associated Press"));
        assert_eq!(group("Middle East Monitor"), None);
    }

    #[test]
    fn every_domain_and_credit_is_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for o in OUTLETS {
            for d in o.domains {
                assert!(seen.insert(d.to_string()), "duplicate domain {d}");
            }
        }
        let mut credits = std::collections::BTreeSet::new();
        for o in OUTLETS {
            for c in o.credits {
                assert!(credits.insert(c.to_string()), "duplicate credit {c}");
            }
        }
    }
}
