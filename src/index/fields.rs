//! The field table: every indexed field declared once, and from it the schema, the
//! field handles, the names users may write as `field:value`, facet names and each
//! passage's values. Adding a field is one row in [`field_table!`] plus its value in
//! the model.
//!
//! Searchable metadata fields use tantivy's `default` tokenizer (lowercase words), so
//! `speaker:russo` and `firm:"jefferies"` match regardless of case and punctuation.
//! `*_facet` fields hold exact values as fast columns for facet counts. The whole
//! passage is stored once, as JSON, in `payload`.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{DateTime, TantivyDocument};

use crate::index::keys::{
    browse_key, call_key, parse_day, quarter_of, rank_key, rank_weight, undated_day, year_of,
};
use crate::index::pairs::PAIRS_ANALYZER;
use crate::index::tokenizer::TEXT_ANALYZER;
use crate::transcript::firms::normalize_firm;
use crate::transcript::identity::share_classes;
use crate::transcript::model::{Passage, Transcript};

/// Bumped whenever the fields or their meaning change; an index records the version
/// that wrote it.
pub const SCHEMA_VERSION: u32 = 12;

/// How a field is held by tantivy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Stemmed prose, ranked with field norms: the passage text.
    Prose,
    /// The text's adjacent word pairs (`pairs.rs`), for two-word phrases: frequencies,
    /// no positions, no norms (the text's are used).
    Pairs,
    /// Lowercased words, matched rather than ranked (no field norms).
    Words,
    /// One exact token; with `fast`, also a column for facets and ordering.
    Exact { fast: bool },
    /// A text column only: counted, never searched.
    Column,
    /// A day, searchable by range.
    Date,
    /// A number, searchable and a column.
    Number,
    /// A number column only (ranking and ordering keys).
    Key,
    /// Stored, never searched.
    Stored,
}

/// One row of the table.
pub struct Def {
    pub name: &'static str,
    pub kind: Kind,
    /// Documented for `field:value` in queries (`query --help` lists these).
    pub query: bool,
    /// The name of the facet this field counts, when it is a facet column.
    pub facet: Option<&'static str>,
    /// Adds the passage's values for this field.
    pub value: fn(&Passage, &mut Values),
}

macro_rules! field_table {
    ($($id:ident: $name:literal, $kind:expr, $query:expr, $facet:expr, $value:expr;)*) => {
        /// Every field, in schema order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum F { $($id),* }

        /// Every field's definition, in the order of [`F`].
        pub static TABLE: &[Def] = &[
            $(Def { name: $name, kind: $kind, query: $query, facet: $facet, value: $value }),*
        ];
    };
}

const Q: bool = true;
const NO_FACET: Option<&str> = None;
const EXACT: Kind = Kind::Exact { fast: false };
const EXACT_FAST: Kind = Kind::Exact { fast: true };

field_table! {
    Text: "text", Kind::Prose, false, NO_FACET, |p, v| v.text(&p.text);
    TextPairs: "text_pairs", Kind::Pairs, false, NO_FACET, |p, v| v.text(&p.text);
    Speaker: "speaker", Kind::Words, Q, NO_FACET, speaker_words;
    Firm: "firm", Kind::Words, Q, NO_FACET, |p, v| v.texts([&p.firm, &p.firm_norm]);
    Role: "role", Kind::Words, Q, NO_FACET, role_words;
    Company: "company", Kind::Words, Q, NO_FACET, company_words;
    Ticker: "ticker", Kind::Words, Q, NO_FACET, |p, v| v.texts([&p.ticker]);
    Event: "event", Kind::Words, Q, NO_FACET, |p, v| v.texts([&p.event]);
    Period: "period", Kind::Words, Q, NO_FACET, |p, v| v.texts([&p.fiscal_period]);
    Section: "section", EXACT_FAST, Q, Some("section"), |p, v| v.text(p.section.as_str());
    RoleClass: "role_class", EXACT_FAST, Q, NO_FACET, |p, v| v.text(p.role_class.as_str());
    Date: "date", Kind::Date, false, NO_FACET, |p, v| v.date(Some(day(p).unwrap_or_else(undated_day)));
    Year: "year", Kind::Number, false, Some("year"), year;
    Turn: "turn", Kind::Number, false, NO_FACET, |p, v| v.u64(p.turn);
    Paragraph: "paragraph", Kind::Number, false, NO_FACET, |p, v| v.u64(p.paragraph);
    Source: "source", EXACT, false, NO_FACET, |p, v| v.text(&p.source);
    CallId: "call_id", EXACT_FAST, false, NO_FACET, |p, v| v.text(&p.call_id);
    Format: "format", EXACT, false, NO_FACET, |p, v| v.text(&p.format);
    Container: "container", EXACT, Q, NO_FACET, |p, v| v.texts([&p.container]);
    AskedBy: "asked_by", Kind::Words, Q, NO_FACET, asked_by;
    AskedByFirm: "asked_by_firm", Kind::Words, Q, NO_FACET, asked_by_firm;
    SpeakerFacet: "speaker_facet", Kind::Column, false, Some("speaker"), |p, v| v.text(&p.speaker);
    FirmFacet: "firm_facet", Kind::Column, false, Some("firm"), firm_facet;
    CompanyFacet: "company_facet", Kind::Column, false, Some("company"), company_facet;
    RoleFacet: "role_facet", EXACT_FAST, false, Some("role"), role_facet;
    PeriodFacet: "period_facet", Kind::Column, false, Some("period"), |p, v| v.texts([&p.fiscal_period]);
    QuarterFacet: "quarter_facet", Kind::Column, false, Some("quarter"), quarter_facet;
    CallKey: "call_key", Kind::Key, false, NO_FACET, |p, v| v.u64(call_key(&p.call_id));
    RankKey: "rank_key", Kind::Key, false, NO_FACET, |p, v| v.u64(rank_key(&p.passage_id));
    BrowseKey: "browse_key", Kind::Key, false, NO_FACET, |p, v| v.u64(browse_key(p));
    Weight: "weight", Kind::Key, false, NO_FACET, |p, v| v.u64(rank_weight(p));
    Payload: "payload", Kind::Stored, false, NO_FACET, payload;
    // The parsed call (`parse --json`'s object) without its paragraphs' words, which its
    // passages hold, on its first passage only: see `Fields::add_call_record`.
    CallRecord: "call_record", Kind::Stored, false, NO_FACET, |_, _| {};
}

impl F {
    /// This field's row in the table.
    pub fn def(self) -> &'static Def {
        &TABLE[self as usize]
    }

    /// The field's name in the schema and in queries.
    pub fn name(self) -> &'static str {
        self.def().name
    }
}

/// The names documented for `field:value` queries, in table order.
pub fn query_field_names() -> Vec<&'static str> {
    TABLE.iter().filter(|d| d.query).map(|d| d.name).collect()
}

/// Handles to every field of an index, by [`F`].
#[derive(Clone)]
pub struct Fields {
    handles: Vec<Field>,
}

impl std::ops::Index<F> for Fields {
    type Output = Field;

    fn index(&self, f: F) -> &Field {
        &self.handles[f as usize]
    }
}

impl Fields {
    /// Build the schema and its field handles.
    pub fn build() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let handles = TABLE.iter().map(|d| add(&mut b, d)).collect();
        (b.build(), Fields { handles })
    }

    /// Look up the handles in an opened index's schema.
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        let handles = TABLE.iter().map(|d| schema.get_field(d.name));
        Ok(Fields {
            handles: handles.collect::<tantivy::Result<_>>()?,
        })
    }

    /// Store the call on the document of its first passage, so the web app's call page
    /// and `/api/call/<id>` read it from the index, never from the source file; its
    /// paragraphs' words are read back from its passages (`stored::call_of`). It
    /// lives and dies with the call's passages: a changed or removed file replaces or
    /// deletes them all, and a rebuild writes it into the new generation.
    pub fn add_call_record(&self, first_passage: &mut TantivyDocument, t: &Transcript) {
        let record = crate::transcript::passages::record_of_call(t);
        let json = serde_json::to_string(&record).expect("transcripts serialise");
        first_passage.add_text(self[F::CallRecord], json);
    }

    /// One passage as a tantivy document.
    pub fn document(&self, p: &Passage) -> TantivyDocument {
        let mut doc = TantivyDocument::default();
        for (def, &field) in TABLE.iter().zip(&self.handles) {
            (def.value)(
                p,
                &mut Values {
                    doc: &mut doc,
                    field,
                },
            );
        }
        doc
    }
}

fn add(b: &mut tantivy::schema::SchemaBuilder, d: &Def) -> Field {
    let words = |tokenizer: &str, norms: bool| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_fieldnorms(norms)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    match d.kind {
        Kind::Prose => b.add_text_field(d.name, words(TEXT_ANALYZER, true)),
        Kind::Pairs => b.add_text_field(
            d.name,
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(PAIRS_ANALYZER)
                    .set_fieldnorms(false)
                    .set_index_option(IndexRecordOption::WithFreqs),
            ),
        ),
        // Metadata is matched, not ranked by length: no field norms.
        Kind::Words => b.add_text_field(d.name, words("default", false)),
        Kind::Exact { fast: true } => b.add_text_field(d.name, STRING | FAST),
        Kind::Exact { fast: false } => b.add_text_field(d.name, STRING),
        // Facet-only columns: counted, never searched, so not indexed.
        Kind::Column => b.add_text_field(d.name, TextOptions::default().set_fast("raw")),
        Kind::Date => b.add_date_field(d.name, INDEXED | FAST),
        Kind::Number => b.add_u64_field(d.name, INDEXED | FAST),
        Kind::Key => b.add_u64_field(d.name, FAST),
        Kind::Stored => b.add_text_field(d.name, STORED),
    }
}

/// Where a row's value function puts the passage's values for its field.
pub struct Values<'a> {
    doc: &'a mut TantivyDocument,
    field: Field,
}

impl Values<'_> {
    fn text(&mut self, s: &str) {
        self.doc.add_text(self.field, s);
    }

    fn texts<const N: usize>(&mut self, values: [&Option<String>; N]) {
        for s in values.into_iter().flatten() {
            self.text(s);
        }
    }

    fn u64(&mut self, n: u64) {
        self.doc.add_u64(self.field, n);
    }

    fn date(&mut self, day: Option<DateTime>) {
        if let Some(day) = day {
            self.doc.add_date(self.field, day);
        }
    }
}

fn day(p: &Passage) -> Option<DateTime> {
    p.date.as_deref().and_then(parse_day)
}

/// The calendar year, for calls with a valid date.
fn year(p: &Passage, v: &mut Values) {
    if day(p).is_some() {
        v.u64(u64::from(year_of(p.date.as_deref())));
    }
}

/// The calendar quarter of the call date (`2019-Q1`), for calls with a valid date.
fn quarter_facet(p: &Passage, v: &mut Values) {
    if let Some(q) = p.date.as_deref().and_then(quarter_of) {
        v.text(&q);
    }
}

/// The canonical name, and the spelling this call lists when it differs: raw
/// spellings stay searchable.
fn speaker_words(p: &Passage, v: &mut Values) {
    v.text(&p.speaker);
    if !p.speaker_raw.is_empty() && p.speaker_raw != p.speaker {
        v.text(&p.speaker_raw);
    }
}

/// The canonical company, the file's own name for it, the ticker and the tickers of
/// its other share classes, so `--company apple`, `--company aapl` and `--company goog`
/// find one set.
fn company_words(p: &Passage, v: &mut Values) {
    v.texts([&p.company, &p.company_raw, &p.ticker]);
    for other in p.ticker.as_deref().map(share_classes).unwrap_or_default() {
        if Some(other) != p.ticker.as_deref() {
            v.text(other);
        }
    }
}

/// The role as written, then each normalised title.
fn role_words(p: &Passage, v: &mut Values) {
    v.texts([&p.role]);
    for title in &p.titles {
        v.text(title);
    }
}

/// The role class, then each title that is not the class itself.
fn role_facet(p: &Passage, v: &mut Values) {
    v.text(p.role_class.as_str());
    for title in p.titles.iter().filter(|t| *t != p.role_class.as_str()) {
        v.text(title);
    }
}

/// The normalised firm, or the firm as written when it has no normal form.
fn firm_facet(p: &Passage, v: &mut Values) {
    if let Some(firm) = p.firm_norm.as_ref().or(p.firm.as_ref()) {
        v.text(firm);
    }
}

fn company_facet(p: &Passage, v: &mut Values) {
    if let Some(company) = &p.company {
        v.text(&normalize_firm(company));
    }
}

fn asked_by(p: &Passage, v: &mut Values) {
    if let Some(q) = &p.question {
        v.text(&q.speaker);
    }
}

fn asked_by_firm(p: &Passage, v: &mut Values) {
    if let Some(q) = &p.question {
        v.texts([&q.firm]);
    }
}

fn payload(p: &Passage, v: &mut Values) {
    v.text(&serde_json::to_string(p).expect("passages serialise"));
}
