//! Passages to a tantivy index: the field table, the folder, the manifest, the build
//! pipeline and the one walker. The only place that writes an index.

pub mod build;
pub mod compact;
pub mod fields;
pub mod finance_forms;
pub mod generations;
pub mod interrupt;
pub mod keys;
pub mod manifest;
pub mod pairs;
pub mod phases;
pub mod replay;
pub mod store;
pub mod tokenizer;
pub mod walk;

pub use build::{IndexReport, Progress, run};
pub use fields::{F, Fields};
