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
/// order. Bits: 16 for the inverted day number, 24 for the call, 12 for the turn, 12 for
/// the paragraph (turn and paragraph saturate).
pub fn browse_key(p: &Passage) -> u64 {
    let days = p.date.as_deref().and_then(parse_day).map_or(0, |d| {
        (d.into_timestamp_secs() / 86_400).clamp(0, 0xffff) as u64
    });
    let call = u64::from_str_radix(p.call_id.get(..6).unwrap_or("0"), 16).unwrap_or(0);
    ((0xffff - days) << 48) | (call << 24) | (p.turn.min(0xfff) << 12) | p.paragraph.min(0xfff)
}

/// `YYYY-MM-DD` as a tantivy date at midnight UTC.
pub fn parse_day(s: &str) -> Option<DateTime> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let day = time::Date::parse(s, &format).ok()?;
    let ts = day.midnight().assume_utc().unix_timestamp();
    Some(DateTime::from_timestamp_secs(ts))
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
