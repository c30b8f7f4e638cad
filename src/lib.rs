//! callsearch: index earnings-call transcripts into per-speaker passages and search them.
//!
//! Data flows one way: files -> [`transcript`] (layouts, model, passages) -> [`index`]
//! (field table, build, store); queries -> [`search`] -> hits -> [`output`] (printers,
//! wire types); [`serve`] answers the same search over HTTP. [`cli`] arguments become [`config`] plans, which [`commands`] run.
//! See `ARCHITECTURE.md`.

pub mod cli;
pub mod commands;
pub mod config;
pub mod error;
pub mod index;
pub mod names;
pub mod output;
pub mod search;
pub mod serve;
pub mod transcript;
