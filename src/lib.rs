//! callsearch: index earnings-call transcripts into per-speaker passages and search them.
//!
//! Data flows one way: files -> [`parse`] -> [`model`] -> [`passages`] -> [`schema`] ->
//! [`index`]; queries -> [`search`] -> hits -> [`output`].

pub mod app;
pub mod cli;
pub mod config;
pub mod error;
pub mod export;
pub mod facets;
pub mod index;
pub mod manifest;
pub mod model;
pub mod output;
pub mod parse;
pub mod passages;
pub mod progress;
pub mod rank;
pub mod report;
pub mod schema;
pub mod search;
pub mod speakers;
pub mod store;
pub mod tokenizer;
