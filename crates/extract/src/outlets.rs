//! Outlet lookups for extraction: the general outlet table and the host of a page's URL.

pub use newsdesk_outlets::{at_start, by_credit, by_host, by_tagline, Outlet, OUTLETS};

/// Host of a URL, without `www.`.
pub fn host_of(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    Some(
        parsed
            .host_str()?
            .trim_start_matches("www.")
            .to_ascii_lowercase(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(
            host_of("https://www.example.org/a/b").as_deref(),
            Some("example.org")
        );
        assert_eq!(
            by_host(&host_of("https://www.tasnimnews.com/en").unwrap())
                .unwrap()
                .name,
            "Tasnim News Agency"
        );
    }
}
