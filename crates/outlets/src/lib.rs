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
    outlet!("Reuters", ["reuters.com"], ["Reuters"]),
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
