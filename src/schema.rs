//! The tantivy schema in one place: field handles, and passage -> document.
//!
//! Searchable metadata fields use tantivy's `default` tokenizer (lowercase words), so
//! `speaker:russo` and `firm:"jefferies"` match regardless of case and punctuation.
//! `*_facet` fields hold exact values as fast columns for facet counts. The whole
//! passage is stored once, as JSON, in `payload`.

use tantivy::schema::{
    Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{DateTime, TantivyDocument};

use crate::model::Passage;

/// Bumped whenever the fields or their meaning change; an index records the version
/// that wrote it.
pub const SCHEMA_VERSION: u32 = 2;

/// Handles to every field.
#[derive(Clone)]
pub struct Fields {
    pub text: Field,
    pub speaker: Field,
    pub firm: Field,
    pub role: Field,
    pub company: Field,
    pub ticker: Field,
    pub event: Field,
    pub period: Field,
    pub section: Field,
    pub role_class: Field,
    pub date: Field,
    pub year: Field,
    pub turn: Field,
    pub paragraph: Field,
    pub source: Field,
    pub call_id: Field,
    pub format: Field,
    pub asked_by: Field,
    pub asked_by_firm: Field,
    pub speaker_facet: Field,
    pub firm_facet: Field,
    pub company_facet: Field,
    pub role_facet: Field,
    pub period_facet: Field,
    pub rank_key: Field,
    pub browse_key: Field,
    pub boilerplate: Field,
    pub payload: Field,
}

/// Field names users may write as `field:value` in a query.
pub const QUERY_FIELDS: &[&str] = &[
    "text",
    "speaker",
    "firm",
    "role",
    "company",
    "ticker",
    "event",
    "period",
    "section",
    "role_class",
    "date",
    "year",
    "turn",
    "paragraph",
    "asked_by",
    "asked_by_firm",
];

impl Fields {
    /// Build the schema and its field handles.
    pub fn build() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let words = || {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer("default")
                    // Metadata is matched, not ranked by length: no field norms.
                    .set_fieldnorms(false)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
        };
        let prose = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("en_stem")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let exact_fast = STRING | tantivy::schema::FAST;
        let number = INDEXED | tantivy::schema::FAST;
        // Facet-only columns: counted, never searched, so not indexed.
        let fast_only = TextOptions::default().set_fast("raw");
        let fields = Fields {
            text: b.add_text_field("text", prose),
            speaker: b.add_text_field("speaker", words()),
            firm: b.add_text_field("firm", words()),
            role: b.add_text_field("role", words()),
            company: b.add_text_field("company", words()),
            ticker: b.add_text_field("ticker", words()),
            event: b.add_text_field("event", words()),
            period: b.add_text_field("period", words()),
            section: b.add_text_field("section", exact_fast.clone()),
            role_class: b.add_text_field("role_class", exact_fast.clone()),
            date: b.add_date_field("date", number.clone()),
            year: b.add_u64_field("year", number.clone()),
            turn: b.add_u64_field("turn", number.clone()),
            paragraph: b.add_u64_field("paragraph", number.clone()),
            source: b.add_text_field("source", STRING),
            call_id: b.add_text_field("call_id", exact_fast.clone()),
            format: b.add_text_field("format", STRING),
            asked_by: b.add_text_field("asked_by", words()),
            asked_by_firm: b.add_text_field("asked_by_firm", words()),
            speaker_facet: b.add_text_field("speaker_facet", fast_only.clone()),
            firm_facet: b.add_text_field("firm_facet", fast_only.clone()),
            company_facet: b.add_text_field("company_facet", fast_only.clone()),
            role_facet: b.add_text_field("role_facet", exact_fast),
            period_facet: b.add_text_field("period_facet", fast_only),
            rank_key: b.add_u64_field("rank_key", tantivy::schema::FAST),
            browse_key: b.add_u64_field("browse_key", tantivy::schema::FAST),
            boilerplate: b.add_u64_field("boilerplate", tantivy::schema::FAST),
            payload: b.add_text_field("payload", STORED),
        };
        (b.build(), fields)
    }

    /// Look up the handles in an opened index's schema.
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            text: f("text")?,
            speaker: f("speaker")?,
            firm: f("firm")?,
            role: f("role")?,
            company: f("company")?,
            ticker: f("ticker")?,
            event: f("event")?,
            period: f("period")?,
            section: f("section")?,
            role_class: f("role_class")?,
            date: f("date")?,
            year: f("year")?,
            turn: f("turn")?,
            paragraph: f("paragraph")?,
            source: f("source")?,
            call_id: f("call_id")?,
            format: f("format")?,
            asked_by: f("asked_by")?,
            asked_by_firm: f("asked_by_firm")?,
            speaker_facet: f("speaker_facet")?,
            firm_facet: f("firm_facet")?,
            company_facet: f("company_facet")?,
            role_facet: f("role_facet")?,
            period_facet: f("period_facet")?,
            rank_key: f("rank_key")?,
            browse_key: f("browse_key")?,
            boilerplate: f("boilerplate")?,
            payload: f("payload")?,
        })
    }

    /// One passage as a tantivy document.
    pub fn document(&self, p: &Passage) -> TantivyDocument {
        let mut d = TantivyDocument::default();
        d.add_text(self.text, &p.text);
        d.add_text(self.speaker, &p.speaker);
        d.add_text(self.speaker_facet, &p.speaker);
        for firm in [&p.firm, &p.firm_norm].into_iter().flatten() {
            d.add_text(self.firm, firm);
        }
        if let Some(firm) = p.firm_norm.as_ref().or(p.firm.as_ref()) {
            d.add_text(self.firm_facet, firm);
        }
        if let Some(role) = &p.role {
            d.add_text(self.role, role);
        }
        d.add_text(self.role_class, p.role_class.as_str());
        d.add_text(self.role_facet, p.role_class.as_str());
        for title in &p.titles {
            d.add_text(self.role, title);
            if title != p.role_class.as_str() {
                d.add_text(self.role_facet, title);
            }
        }
        self.add_call_fields(&mut d, p);
        d.add_u64(self.turn, p.turn);
        d.add_u64(self.paragraph, p.paragraph);
        d.add_text(self.section, p.section.as_str());
        d.add_u64(self.rank_key, rank_key(&p.passage_id));
        d.add_u64(self.browse_key, browse_key(p));
        d.add_u64(self.boilerplate, u64::from(p.boilerplate));
        if let Some(q) = &p.question {
            d.add_text(self.asked_by, &q.speaker);
            if let Some(firm) = &q.firm {
                d.add_text(self.asked_by_firm, firm);
            }
        }
        d.add_text(
            self.payload,
            serde_json::to_string(p).expect("passages serialise"),
        );
        d
    }

    fn add_call_fields(&self, d: &mut TantivyDocument, p: &Passage) {
        d.add_text(self.source, &p.source);
        d.add_text(self.call_id, &p.call_id);
        d.add_text(self.format, &p.format);
        if let Some(company) = &p.company {
            d.add_text(self.company, company);
            d.add_text(self.company_facet, crate::speakers::normalize_firm(company));
        }
        if let Some(ticker) = &p.ticker {
            d.add_text(self.ticker, ticker);
            d.add_text(self.company, ticker);
        }
        if let Some(event) = &p.event {
            d.add_text(self.event, event);
        }
        if let Some(period) = &p.fiscal_period {
            d.add_text(self.period, period);
            d.add_text(self.period_facet, period);
        }
        if let Some(date) = p.date.as_deref().and_then(parse_day) {
            d.add_date(self.date, date);
            d.add_u64(self.year, u64::from(year_of(p.date.as_deref())));
        }
    }
}

/// A stable tie-break key for equal scores: FNV-1a of the passage id (fixed forever,
/// unlike std's hasher).
pub fn rank_key(passage_id: &str) -> u64 {
    passage_id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
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

fn year_of(date: Option<&str>) -> u16 {
    date.and_then(|d| d.get(..4))
        .and_then(|y| y.parse().ok())
        .unwrap_or(0)
}
