//! callsearch: index earnings-call transcripts into per-speaker passages and search them.

pub mod model;
pub mod parse;
pub mod speakers;
