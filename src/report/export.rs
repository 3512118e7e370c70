//! The summary snapshots `llmcap export` and the workbench's `x` write: one list of formats,
//! one renderer and one default file name, so the two cannot drift apart.

use std::path::{Path, PathBuf};

use crate::engine::plan::Plan;
use crate::scenario::Scenario;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Markdown,
    Html,
    Json,
    Csv,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 4] = [
        ExportFormat::Markdown,
        ExportFormat::Html,
        ExportFormat::Json,
        ExportFormat::Csv,
    ];

    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Markdown => "md",
            ExportFormat::Html => "html",
            ExportFormat::Json => "json",
            ExportFormat::Csv => "csv",
        }
    }

    /// What the format holds, for menus.
    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Markdown => "Markdown",
            ExportFormat::Html => "HTML with charts",
            ExportFormat::Json => "JSON (as eval)",
            ExportFormat::Csv => "CSV (options table)",
        }
    }

    /// The document: Markdown report, self-contained HTML, the `eval` JSON (pretty, with a
    /// final newline) or the options table as CSV.
    pub fn render(self, s: &Scenario, plan: &Plan) -> Result<String, serde_json::Error> {
        Ok(match self {
            ExportFormat::Markdown => super::markdown::summary(s, plan),
            ExportFormat::Html => super::html::report(s, plan),
            ExportFormat::Csv => super::csv::options(plan),
            ExportFormat::Json => {
                let mut text = crate::text::json_safe(&serde_json::to_string_pretty(plan)?);
                text.push('\n');
                text
            }
        })
    }
}

/// Where a summary of `scenario_file` goes by default: beside it, `<stem>.summary.<ext>`.
pub fn default_path(scenario_file: &Path, format: ExportFormat) -> PathBuf {
    let stem = scenario_file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scenario".to_string());
    scenario_file.with_file_name(format!("{stem}.summary.{}", format.extension()))
}
