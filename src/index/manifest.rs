//! The record of what an index holds, per source file, for incremental runs.
//!
//! Written atomically (temporary file, then rename) after each commit, tagged with the
//! commit's opstamp, so a crash between the two is detected and the files re-checked.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::transcript::identity::CallPeople;

pub const MANIFEST_FILE: &str = "callsearch-manifest.json";

/// What one source file contributed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    pub size: u64,
    pub mtime_ns: u128,
    /// blake3 of the file's bytes, 16 hex digits.
    pub hash: String,
    /// The call's speech fingerprint, when the file is a call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_id: Option<String>,
    pub passages: u64,
    /// The file whose copy of this call is indexed, when this one is a duplicate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
    /// Why the file is not indexed, when it is not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
    /// For a dataset: the `source` of each call it gave (`calls.csv#row=12`), so a
    /// changed or removed file takes all of them out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<String>,
    /// For a dataset: what each of its calls is, as the fields below are for a file
    /// holding one call (an index written before datasets had them re-reads its
    /// datasets once).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calls: Vec<PartEntry>,
    /// The call's company and people as listed: the archive-wide names come from these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub people: Option<CallPeople>,
    /// The fingerprint of the canonical names the file's passages were written with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
}

/// One call of a dataset: its `source`, and what [`FileEntry`] records of a file's call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartEntry {
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_id: Option<String>,
    pub passages: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub people: Option<CallPeople>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
}

/// One call a manifest entry records: a file's own, or one of a dataset's.
#[derive(Debug, Clone, Copy)]
pub struct CallView<'a> {
    /// The passages' `source`: the file's key, or `calls.csv#row=12`.
    pub source: &'a str,
    pub call_id: Option<&'a str>,
    pub passages: u64,
    pub duplicate_of: Option<&'a str>,
    pub people: Option<&'a CallPeople>,
    pub identity: Option<&'a str>,
}

impl CallView<'_> {
    /// Indexed: not left out as another call's copy, and with passages.
    pub fn held(&self) -> bool {
        self.duplicate_of.is_none() && self.passages > 0
    }
}

impl FileEntry {
    /// A dataset recorded before its calls were (`parts` without `calls`).
    pub fn needs_calls(&self) -> bool {
        self.calls.is_empty() && !self.parts.is_empty()
    }

    /// The calls this entry records (none for a skipped file): the dataset's calls, or
    /// the file's one call under the file's key.
    pub fn call_views<'a>(&'a self, key: &'a str) -> Vec<CallView<'a>> {
        if self.skipped.is_some() {
            return Vec::new();
        }
        if !self.parts.is_empty() {
            return (self.calls.iter())
                .map(|c| CallView {
                    source: &c.source,
                    call_id: c.call_id.as_deref(),
                    passages: c.passages,
                    duplicate_of: c.duplicate_of.as_deref(),
                    people: c.people.as_ref(),
                    identity: c.identity.as_deref(),
                })
                .collect();
        }
        vec![CallView {
            source: key,
            call_id: self.call_id.as_deref(),
            passages: self.passages,
            duplicate_of: self.duplicate_of.as_deref(),
            people: self.people.as_ref(),
            identity: self.identity.as_deref(),
        }]
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Manifest {
    pub schema_version: u32,
    pub opstamp: u64,
    pub files: BTreeMap<String, FileEntry>,
}

impl Manifest {
    /// Load the manifest, or an empty one when there is none or it does not match the
    /// index's last commit (then every file is parsed again).
    pub fn load(dir: &Path, opstamp: u64) -> Manifest {
        let loaded = std::fs::read(dir.join(MANIFEST_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice::<Manifest>(&b).ok());
        match loaded {
            Some(m) if m.opstamp == opstamp => m,
            _ => Manifest::default(),
        }
    }

    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        let tmp = dir.join(format!("{MANIFEST_FILE}.tmp"));
        let json = serde_json::to_vec(self).map_err(std::io::Error::other)?;
        std::fs::write(&tmp, json)?;
        std::fs::File::open(&tmp)?.sync_all()?;
        std::fs::rename(&tmp, dir.join(MANIFEST_FILE))
    }

    /// The indexed file holding a call, if any.
    pub fn holder_of(&self, call_id: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|(_, e)| e.duplicate_of.is_none() && e.call_id.as_deref() == Some(call_id))
            .map(|(p, _)| p.as_str())
    }
}
