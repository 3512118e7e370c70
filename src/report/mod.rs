//! Everything llmcap prints or exports: text tables, listings and the summary reports. Deterministic: the same inputs give the same bytes.

pub mod catalog;
pub mod compare;
pub mod csv;
pub mod estimate;
pub mod export;
pub mod html;
pub(crate) mod hybrid;
pub mod markdown;
pub mod predict;
pub mod sensitivity;
pub mod svg;
pub mod table;
pub mod text;

pub use crate::text::{thousands, usd, usd_whole};

/// `~` before a cost that rests on a catalog figure marked as an estimate, as every report
/// and the workbench write it.
pub fn estimate_mark(estimate: bool) -> &'static str {
    if estimate { "~" } else { "" }
}

/// Whether the plan's recommended option rests on an estimate.
pub(crate) fn recommended_is_estimate(plan: &crate::engine::plan::Plan) -> bool {
    plan.recommended().is_some_and(|o| o.estimate)
}
