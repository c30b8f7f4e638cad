//! Files to transcripts to passages: layouts, clean-up, who spoke, and the model.
//!
//! Nothing here knows about tantivy: a layout turns text into a [`model::Transcript`],
//! [`roles::resolve`] settles who each speaker is, and [`passages::passages`] flattens
//! a call into the units that are indexed, searched and printed.

pub mod audit;
pub mod container;
pub mod firms;
pub mod identity;
pub mod layouts;
pub mod merges;
pub mod model;
pub mod parquet_rows;
pub mod passages;
pub mod pdf;
pub mod pdf_repair;
pub mod pdf_text;
pub mod people;
pub mod roles;
pub mod same_call;
pub mod tabular;
pub mod text;

pub use layouts::{LAYOUTS, Layout, ParseError, detect, parse_bytes, parse_file};
