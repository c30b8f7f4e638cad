//! Keys derived from a passage for ordering: the score tie-break, the browse order,
//! and the day and year of a call.

use tantivy::DateTime;

use crate::transcript::model::Passage;

/// A stable tie-break key for equal scores: FNV-1a of the passage id (fixed forever,
/// unlike std's hasher).
pub fn rank_key(passage_id: &str) -> u64 {
    passage_id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Score multiplier for boilerplate when demotion is on.
pub const BOILERPLATE_WEIGHT: f32 = 0.25;

/// Passages shorter than this many words rank lower, in proportion: a fragment
/// (`And if you look at our gross margin guidance. Go ahead`) must not beat a paragraph.
pub const FULL_LENGTH_WORDS: usize = 25;

/// A passage's prior in thousandths, applied to its score when demotion is on:
/// boilerplate x 0.25, and fragments x 0.4 to 1 by length.
pub fn rank_weight(p: &Passage) -> u64 {
    let words = p.text.split_whitespace().count().min(FULL_LENGTH_WORDS);
    let length = 0.4 + 0.6 * words as f32 / FULL_LENGTH_WORDS as f32;
    let boiler = if p.boilerplate {
        BOILERPLATE_WEIGHT
    } else {
        1.0
    };
    (1000.0 * length * boiler).round() as u64
}

/// The order of `*` listings, ascending: newest call first, then each call in speaking
/// order. A call without a date sits where its fiscal period puts it ([`period_day`]);
/// calls with neither come last. Bits: 16 for the inverted day number, 24 for the call,
/// 12 for the turn, 12 for the paragraph (turn and paragraph saturate).
pub fn browse_key(p: &Passage) -> u64 {
    let day = (p.date.as_deref().and_then(parse_day))
        .or_else(|| p.fiscal_period.as_deref().and_then(period_day));
    let days = day.map_or(0, |d| {
        (d.into_timestamp_secs() / 86_400).clamp(0, 0xffff) as u64
    });
    let call = u64::from_str_radix(p.call_id.get(..6).unwrap_or("0"), 16).unwrap_or(0);
    ((0xffff - days) << 48) | (call << 24) | (p.turn.min(0xfff) << 12) | p.paragraph.min(0xfff)
}

/// Where an undated call of a fiscal period is placed in date order (for ordering only,
/// never shown): four weeks after the period ends, as if the fiscal year were the
/// calendar year, which is when most calls of that period are held. `Q3 2022` ->
/// 2022-10-28, `H1 2022` -> 2022-07-28, `Q4 2022`, `H2 2022` and `FY 2022` -> 2023-01-28.
pub fn period_day(period: &str) -> Option<DateTime> {
    let (label, year) = period.trim().split_once(' ')?;
    let year: i32 = year.trim().parse().ok()?;
    let quarter = match label.to_ascii_uppercase().as_str() {
        "Q1" => 1,
        "Q2" | "H1" => 2,
        "Q3" => 3,
        "Q4" | "H2" | "FY" => 4,
        _ => return None,
    };
    let (year, month) = match quarter {
        4 => (year + 1, 1),
        q => (year, 3 * q + 1),
    };
    parse_day(&format!("{year:04}-{month:02}-28"))
}

/// The `date` value of a passage whose call has no date: past every day a passage can
/// hold (tantivy's dates are nanoseconds in an `i64`: 1678 to 2262), so every date
/// range leaves it out (`query::date_range` ends below it) and the undated passages
/// are one posting list (`undated.rs`). A column where every passage has a value is
/// read without an optional index: with undated passages left empty, the date range
/// took most of a date-filtered query's time.
pub fn undated_day() -> DateTime {
    DateTime::from_timestamp_secs(UNDATED_SECS)
}

/// 2262-01-01 at midnight UTC.
const UNDATED_SECS: i64 = 9_214_646_400;
/// 1678-01-01 at midnight UTC, the first day a passage can hold.
const EARLIEST_SECS: i64 = -9_214_560_000;

/// A `date` column value as a day: `None` for an undated passage.
pub fn dated(day: DateTime) -> Option<DateTime> {
    (day.into_timestamp_secs() < UNDATED_SECS).then_some(day)
}

/// `YYYY-MM-DD` as a tantivy date at midnight UTC; `None` outside 1678-2261, which
/// tantivy cannot hold.
pub fn parse_day(s: &str) -> Option<DateTime> {
    let ts = day_secs(s)?;
    (EARLIEST_SECS..UNDATED_SECS)
        .contains(&ts)
        .then(|| DateTime::from_timestamp_secs(ts))
}

/// A day typed in a date filter as a bound: any valid `YYYY-MM-DD`, days out of
/// tantivy's range taken as its ends (`9999-12-31` is after every dated passage).
pub fn day_bound(s: &str) -> Option<DateTime> {
    let ts = day_secs(s)?.clamp(EARLIEST_SECS, UNDATED_SECS);
    Some(DateTime::from_timestamp_secs(ts))
}

fn day_secs(s: &str) -> Option<i64> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let day = time::Date::parse(s, &format).ok()?;
    Some(day.midnight().assume_utc().unix_timestamp())
}

/// The year of a `YYYY-MM-DD` date, 0 when there is none.
pub fn year_of(date: Option<&str>) -> u16 {
    date.and_then(|d| d.get(..4))
        .and_then(|y| y.parse().ok())
        .unwrap_or(0)
}

/// A call's id as a number, for counting distinct calls from a fast column: the id is
/// 16 hex digits, so this is the id itself (an id of another form is hashed).
pub fn call_key(call_id: &str) -> u64 {
    u64::from_str_radix(call_id, 16).unwrap_or_else(|_| rank_key(call_id))
}

/// The calendar quarter of a `YYYY-MM-DD` date: `2019-Q1`.
pub fn quarter_of(date: &str) -> Option<String> {
    let day = parse_day(date)?;
    Some(quarter_label(day_quarter(day.into_timestamp_secs())))
}

/// The calendar year and quarter (1 to 4) of a timestamp in seconds.
pub fn day_quarter(secs: i64) -> (i32, u8) {
    let date =
        time::OffsetDateTime::from_unix_timestamp(secs).map_or(time::Date::MIN, |t| t.date());
    (date.year(), (u8::from(date.month()) - 1) / 3 + 1)
}

/// The label of a calendar quarter, as facets and trends show it.
pub fn quarter_label((year, quarter): (i32, u8)) -> String {
    format!("{year}-Q{quarter}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_undated_value_is_the_day_after_the_last_a_passage_can_hold() {
        let last = parse_day("2261-12-31").unwrap();
        let gap = undated_day().into_timestamp_secs() - last.into_timestamp_secs();
        assert_eq!(gap, 86_400);
        assert_eq!(dated(last), Some(last));
        assert!(dated(parse_day("1970-01-01").unwrap()).is_some());
        assert_eq!(dated(undated_day()), None);
        assert_eq!(parse_day("2262-01-01"), None);
        assert_eq!(day_bound("9999-12-31"), Some(undated_day()));
        let first = parse_day("1678-01-01").unwrap();
        assert_eq!(parse_day("1677-12-31"), None);
        assert_eq!(day_bound("0001-01-01"), Some(first));
        // The ends round-trip through tantivy's nanoseconds.
        for day in [first, last, undated_day()] {
            let nanos = day.into_timestamp_nanos();
            assert_eq!(DateTime::from_timestamp_nanos(nanos), day);
            assert_eq!(nanos / 1_000_000_000, day.into_timestamp_secs());
        }
    }

    fn passage(date: Option<&str>, period: Option<&str>, call_id: &str) -> Passage {
        serde_json::from_value(serde_json::json!({
            "passage_id": format!("{call_id}-1-1"), "call_id": call_id, "source": "s",
            "format": "f", "ticker": null, "company": null, "event": null,
            "fiscal_period": period, "date": date, "section": "qa", "speaker": "x",
            "firm": null, "firm_norm": null, "role": null, "role_class": "analyst",
            "titles": [], "turn": 1, "paragraph": 1, "text": "t", "boilerplate": false,
            "question": null
        }))
        .unwrap()
    }

    #[test]
    fn undated_calls_browse_by_fiscal_period_among_dated_ones() {
        // Newest first: a dated Nov 2022 call, the undated Q3 2022 call (placed
        // 2022-10-28), a dated Aug 2022 call, then a call with neither.
        let nov = browse_key(&passage(
            Some("2022-11-03"),
            Some("Q3 2022"),
            "aa00000000000000",
        ));
        let q3 = browse_key(&passage(None, Some("Q3 2022"), "bb00000000000000"));
        let aug = browse_key(&passage(
            Some("2022-08-02"),
            Some("Q2 2022"),
            "cc00000000000000",
        ));
        let none = browse_key(&passage(None, None, "0000000000000000"));
        assert!(
            nov < q3 && q3 < aug && aug < none,
            "{nov} {q3} {aug} {none}"
        );
        // FY and H2 sort with the fourth quarter, H1 with the second.
        let day = |s: &str| period_day(s).map(|d| d.into_timestamp_secs() / 86_400);
        assert_eq!(day("FY 2022"), day("Q4 2022"));
        assert_eq!(day("H2 2022"), day("Q4 2022"));
        assert_eq!(day("H1 2022"), day("Q2 2022"));
        assert_eq!(period_day("Q4 2022"), parse_day("2023-01-28"));
        assert_eq!(period_day("2022"), None);
        assert_eq!(period_day("Q5 2022"), None);
    }
}
