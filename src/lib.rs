//! llmcap: plan the capacity and cost of an LLM deployment.
//!
//! The domain (scenario files, the catalog, the planning engine and reports) has no terminal
//! types, so scripts, tests and the TUI all see the same answers; `tui` is the interactive
//! workbench on top of it.

pub mod catalog;
pub mod date;
pub mod engine;
pub mod fsio;
pub(crate) mod num;
pub mod report;
pub mod scenario;
pub mod text;
pub mod tui;
pub mod vocab;
