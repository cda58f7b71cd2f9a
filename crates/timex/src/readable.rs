//! TIMEX3 values in words a reader knows: `2024-12-18TMO` → "18 Dec 2024, morning",
//! `2025-SP` → "spring 2025", `P3D` → "3 days", `FUTURE_REF` → "future, unspecified".
//!
//! This is for people reading a report; JSON output keeps the TIMEX3 value. A value this does
//! not recognise is returned as it is, so nothing is ever hidden behind a wrong paraphrase.

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// A readable form of a TIMEX3 value.
pub fn describe(value: &str) -> String {
    describe_known(value).unwrap_or_else(|| value.to_string())
}

fn describe_known(value: &str) -> Option<String> {
    match value {
        "PRESENT_REF" => return Some("now, the present".into()),
        "PAST_REF" => return Some("past, unspecified".into()),
        "FUTURE_REF" => return Some("future, unspecified".into()),
        _ => {}
    }
    if let Some(rest) = value.strip_prefix('P') {
        return duration(rest);
    }
    let (date, time) = match value.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (value, None),
    };
    let day = calendar(date)?;
    match time {
        None => Some(day),
        Some(t) => Some(format!("{day}, {}", clock(t)?)),
    }
}

fn number(s: &str) -> Option<u32> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// `2024-12-18`, `2024-12`, `2024`, `2025-SP`, `2025-Q1`, `2025-H2`, `2023-W18`, `2023-W18-WE`,
/// `199` (a decade), `19` (a century), `XXXX-12-25`, `XXXX-WXX-3`.
fn calendar(date: &str) -> Option<String> {
    let parts: Vec<&str> = date.split('-').collect();
    let year = parts[0];
    if year == "XXXX" {
        calendar_of_year(&parts, None)
    } else {
        let n = number(year)?;
        let era = match year.len() {
            4 => return calendar_of_year(&parts, Some(n.to_string())),
            3 => format!("{n}0s"),
            2 => format!("{n}00s"),
            1 => format!("{n}000s"),
            _ => return None,
        };
        (parts.len() == 1).then_some(era)
    }
}

/// The rest of a date whose year is known (`Some`) or unknown (`XXXX`).
fn calendar_of_year(parts: &[&str], year_text: Option<String>) -> Option<String> {
    let with_year = |s: String| match &year_text {
        Some(y) => format!("{s} {y}"),
        None => format!("{s}, year unknown"),
    };
    match parts {
        [_] => year_text.clone(),
        [_, second] => {
            if let Some(m) = number(second) {
                let month = MONTHS.get(m.checked_sub(1)? as usize)?;
                return Some(with_year(month.to_string()));
            }
            let named = match *second {
                "SP" => "spring".to_string(),
                "SU" => "summer".to_string(),
                "FA" => "autumn".to_string(),
                "WI" => "winter".to_string(),
                q if q.starts_with('Q') => {
                    let n = number(&q[1..])?;
                    let ord =
                        ["first", "second", "third", "fourth"].get(n.checked_sub(1)? as usize)?;
                    format!("{ord} quarter of")
                }
                h if h.starts_with('H') => {
                    let n = number(&h[1..])?;
                    let ord = ["first", "second"].get(n.checked_sub(1)? as usize)?;
                    format!("{ord} half of")
                }
                w if w.starts_with('W') => {
                    let week = number(&w[1..])?;
                    // The days a reader can check it against: "week 18 of 2023 (1–7 May)".
                    let days = year_text
                        .as_deref()
                        .and_then(|y| y.parse::<i16>().ok())
                        .and_then(|y| {
                            let monday = jiff::civil::ISOWeekDate::new(
                                y,
                                i8::try_from(week).ok()?,
                                jiff::civil::Weekday::Monday,
                            )
                            .ok()?
                            .date();
                            let sunday = monday.checked_add(jiff::Span::new().days(6)).ok()?;
                            let name = |d: jiff::civil::Date| MONTHS[d.month() as usize - 1];
                            Some(if monday.month() == sunday.month() {
                                format!(" ({}–{} {})", monday.day(), sunday.day(), name(sunday))
                            } else {
                                format!(
                                    " ({} {} – {} {})",
                                    monday.day(),
                                    name(monday),
                                    sunday.day(),
                                    name(sunday)
                                )
                            })
                        });
                    return Some(format!(
                        "{}{}",
                        with_year(format!("week {week} of")),
                        days.unwrap_or_default()
                    ));
                }
                _ => return None,
            };
            Some(with_year(named))
        }
        [_, "WXX", wd] => {
            let day = WEEKDAYS.get(number(wd)?.checked_sub(1)? as usize)?;
            Some(match &year_text {
                Some(y) => format!("a {day} in {y}"),
                None => format!("a {day}, date unknown"),
            })
        }
        [_, w, "WE"] if w.starts_with('W') => Some(with_year(format!(
            "weekend of week {} of",
            number(&w[1..])?
        ))),
        [_, m, d] => {
            let month = MONTHS.get(number(m)?.checked_sub(1)? as usize)?;
            let day = number(d)?;
            (1..=31)
                .contains(&day)
                .then(|| with_year(format!("{day} {month}")))
        }
        _ => None,
    }
}

/// `MO`, `AF`, `EV`, `NI`, `DT` (parts of the day) or `14:30`.
fn clock(t: &str) -> Option<String> {
    let part = match t {
        "MO" => "morning",
        "MI" => "midday",
        "AF" => "afternoon",
        "EV" => "evening",
        "NI" => "night",
        "DT" => "daytime",
        _ => {
            let (h, m) = t.split_once(':')?;
            let (h, m) = (number(h)?, number(m.get(..2)?)?);
            return (h < 24 && m < 60).then(|| format!("{h:02}:{m:02}"));
        }
    };
    Some(part.to_string())
}

/// The part after `P`: `3D`, `2W`, `1Y`, `6M`, `T3H`, `T30M`, `XD` (some days), `1WE`.
fn duration(rest: &str) -> Option<String> {
    let (rest, time) = match rest.strip_prefix('T') {
        Some(r) => (r, true),
        None => (rest, false),
    };
    let unit_at = rest.find(|c: char| c.is_ascii_alphabetic() && c != 'X')?;
    let (amount, unit) = rest.split_at(unit_at);
    let name = match (unit, time) {
        ("S", true) => "second",
        ("M", true) => "minute",
        ("H", true) => "hour",
        ("D", false) => "day",
        ("W", false) => "week",
        ("WE", false) => "weekend",
        ("M", false) => "month",
        ("Y", false) => "year",
        ("DE", false) => "decade",
        ("CE", false) => "century",
        _ => return None,
    };
    if amount == "X" {
        return Some(format!("some {name}s"));
    }
    let plural = if amount == "1" { "" } else { "s" };
    // Fractions are written as TIMEX3 writes them ("1.5").
    let valid = !amount.is_empty()
        && amount.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && amount.bytes().filter(|b| *b == b'.').count() <= 1;
    valid.then(|| format!("{amount} {name}{plural}"))
}

#[cfg(test)]
mod tests {
    use super::describe;

    #[test]
    fn raw_timex_values_are_shown_in_words() {
        for (value, words) in [
            ("2024-12-18TMO", "18 Dec 2024, morning"),
            ("2024-12-18", "18 Dec 2024"),
            ("2024-12-18T14:30", "18 Dec 2024, 14:30"),
            ("2025-SP", "spring 2025"),
            ("2025-FA", "autumn 2025"),
            ("2025-Q1", "first quarter of 2025"),
            ("2025-H2", "second half of 2025"),
            ("2023-W18", "week 18 of 2023 (1–7 May)"),
            ("2024-W05", "week 5 of 2024 (29 Jan – 4 Feb)"),
            ("2023-W18-WE", "weekend of week 18 of 2023"),
            ("2023-05", "May 2023"),
            ("2023", "2023"),
            ("199", "1990s"),
            ("19", "1900s"),
            ("XXXX-12-25", "25 Dec, year unknown"),
            ("XXXX-WXX-3", "a Wednesday, date unknown"),
            ("P3D", "3 days"),
            ("P1W", "1 week"),
            ("PT3H", "3 hours"),
            ("P1.5Y", "1.5 years"),
            ("PXD", "some days"),
            ("FUTURE_REF", "future, unspecified"),
            ("PAST_REF", "past, unspecified"),
        ] {
            assert_eq!(describe(value), words, "{value}");
        }
    }

    #[test]
    fn values_it_does_not_know_are_shown_as_they_are() {
        for value in [
            "2024-13-01",
            "2024-02-40",
            "P3Q",
            "banana",
            "2024-12-18TZZ",
            "",
        ] {
            assert_eq!(describe(value), value);
        }
    }
}
