//! llmcap: plan the capacity and cost of an LLM deployment.
//!
//! The library is the domain: scenario files, the catalog, and (in later modules) the
//! planning engine and reports. It has no terminal types, so scripts, tests and the TUI all
//! see the same answers.

pub mod catalog;
pub mod engine;
pub(crate) mod num;
pub mod report;
pub mod scenario;
pub mod text;
