//! Format-neutral transcript model: what every layout parser produces.

use serde::{Deserialize, Serialize};

/// Whether a file is a verbatim call or a vendor's summary of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Call,
    Brief,
}

/// Which side of the call a participant is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Corporate,
    Analyst,
}

/// The broad class of a speaker, used for filtering and ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RoleClass {
    Executive,
    Analyst,
    Operator,
    Other,
}

impl RoleClass {
    pub fn as_str(self) -> &'static str {
        match self {
            RoleClass::Executive => "executive",
            RoleClass::Analyst => "analyst",
            RoleClass::Operator => "operator",
            RoleClass::Other => "other",
        }
    }
}

/// The part of the call a turn belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    Presentation,
    Qa,
}

impl Section {
    pub fn as_str(self) -> &'static str {
        match self {
            Section::Presentation => "presentation",
            Section::Qa => "qa",
        }
    }
}

/// A person listed in the transcript's header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Participant {
    pub name: String,
    pub firm: Option<String>,
    pub role: Option<String>,
    pub side: Side,
}

/// One speaker's uninterrupted turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    pub speaker: String,
    pub firm: Option<String>,
    /// The firm with legal suffixes and research-division tails removed, for faceting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firm_norm: Option<String>,
    pub role: Option<String>,
    pub role_class: RoleClass,
    /// Normalised titles found in the role (`ceo`, `cfo`, `ir`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub titles: Vec<String>,
    pub section: Section,
    pub paragraphs: Vec<String>,
}

impl Turn {
    /// A turn as a layout reads it from a header; `roles::resolve` fills in the rest.
    pub fn new(speaker: &str, firm: Option<String>, role: Option<String>) -> Turn {
        Turn {
            speaker: speaker.to_string(),
            firm,
            firm_norm: None,
            role,
            role_class: RoleClass::Other,
            titles: Vec::new(),
            section: Section::Presentation,
            paragraphs: Vec::new(),
        }
    }
}

/// One parsed transcript file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transcript {
    pub format: String,
    /// What the text came wrapped in (`gzip`), when anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    /// For a PDF: the text extractor used (`pdf-extract`, `pdftotext`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extractor: Option<String>,
    /// For a call in a dataset: its place in the file (`row=12`, `transcript=123456`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    pub kind: Kind,
    pub ticker: Option<String>,
    pub company: Option<String>,
    pub event: Option<String>,
    pub fiscal_period: Option<String>,
    /// Event date as `YYYY-MM-DD`.
    pub date: Option<String>,
    pub participants: Vec<Participant>,
    pub turns: Vec<Turn>,
}

impl Transcript {
    pub fn new(format: &str) -> Self {
        Transcript {
            format: format.to_string(),
            container: None,
            extractor: None,
            part: None,
            kind: Kind::Call,
            ticker: None,
            company: None,
            event: None,
            fiscal_period: None,
            date: None,
            participants: Vec::new(),
            turns: Vec::new(),
        }
    }

    /// Each turn as (speaker, role class, section, paragraphs): what layout tests check.
    #[cfg(test)]
    pub fn outline(&self) -> Vec<(&str, RoleClass, Section, usize)> {
        (self.turns.iter())
            .map(|x| {
                (
                    x.speaker.as_str(),
                    x.role_class,
                    x.section,
                    x.paragraphs.len(),
                )
            })
            .collect()
    }

    /// Number of paragraphs over all turns: the passages this file yields.
    pub fn passage_count(&self) -> usize {
        self.turns.iter().map(|t| t.paragraphs.len()).sum()
    }
}

/// The question an answer passage responds to: the closest preceding analyst turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionRef {
    pub speaker: String,
    pub firm: Option<String>,
    pub turn: u64,
    /// Every paragraph of the question turn, separated by blank lines.
    pub text: String,
}

/// One paragraph of one turn, flattened with its call's metadata: the unit we index,
/// search, print and export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Passage {
    pub passage_id: String,
    pub call_id: String,
    pub source: String,
    /// The file name's bytes in hex, when they are not UTF-8 (`source` is then lossy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_bytes: Option<String>,
    pub format: String,
    /// What the call's file came wrapped in (`pdf`, `gzip`), when anything.
    #[serde(default)]
    pub container: Option<String>,
    pub ticker: Option<String>,
    pub company: Option<String>,
    pub event: Option<String>,
    pub fiscal_period: Option<String>,
    pub date: Option<String>,
    pub section: Section,
    /// The person's canonical name across the archive (the most frequent spelling).
    pub speaker: String,
    /// The name as this call lists it.
    #[serde(default)]
    pub speaker_raw: String,
    /// The company as this file names it; `company` is the archive's one name for it.
    #[serde(default)]
    pub company_raw: Option<String>,
    /// The firm as listed; `firm_norm` is its canonical name.
    pub firm: Option<String>,
    pub firm_norm: Option<String>,
    pub role: Option<String>,
    pub role_class: RoleClass,
    pub titles: Vec<String>,
    /// 1-based turn number within the call.
    pub turn: u64,
    /// 1-based paragraph number within the turn.
    pub paragraph: u64,
    pub text: String,
    /// Operator lines and safe-harbor boilerplate rank lower by default.
    pub boilerplate: bool,
    pub question: Option<QuestionRef>,
    /// For a question in the Q&A: who answered it, in order of first answer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answered_by: Vec<String>,
}
