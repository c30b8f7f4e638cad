//! The one integration-test binary: each module is one file of end-to-end tests.
//! Run one file's tests with `cargo test --release --test integration cli::`.

mod common;

mod cli;
mod durability;
mod export;
mod golden;
mod heldout;
mod incremental;
mod pdf;
mod people;
mod query_fuzz;
mod query_semantics;
mod robustness;
mod search;
mod serve;
mod snapshots;
mod tabular;
mod trend;
