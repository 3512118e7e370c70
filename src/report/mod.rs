//! Everything llmcap prints or exports: text tables, listings and the summary reports. Deterministic: the same inputs give the same bytes.

pub mod catalog;
pub mod csv;
pub mod export;
pub mod html;
pub mod markdown;
pub mod predict;
pub mod svg;
pub mod table;
pub mod text;

pub use crate::text::{thousands, usd, usd_whole};
