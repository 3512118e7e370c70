//! The Scenario pane's rows: group headers, fields and the error line under a field being
//! typed, and which row a click lands on. The pane draws these rows; `update` maps clicks
//! with the very same list.

use super::super::app::{App, Mode};
use super::super::fields::FIELDS;
use super::super::layout;

/// A row of the Scenario pane.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    Header(&'static str),
    Field(usize),
    /// Why the input being typed cannot be committed.
    Error(String),
}

pub fn scenario_rows(app: &App) -> Vec<Row> {
    let mut rows = Vec::with_capacity(FIELDS.len() + 10);
    let mut group = "";
    for (i, f) in FIELDS.iter().enumerate() {
        if f.group != group {
            group = f.group;
            rows.push(Row::Header(group));
        }
        rows.push(Row::Field(i));
        if let Mode::Editing(e) = &app.mode
            && e.field == f.id
            && let Some(err) = &e.error
        {
            rows.push(Row::Error(err.clone()));
        }
    }
    rows
}

/// The row index of field `field` (the error line under it, when there is one, counts as
/// the selection so it stays visible).
pub fn selected_row(rows: &[Row], field: usize) -> usize {
    let at = rows.iter().position(|r| *r == Row::Field(field)).unwrap_or(0);
    match rows.get(at + 1) {
        Some(Row::Error(_)) => at + 1,
        _ => at,
    }
}

/// The first row shown in a pane `height` rows tall, keeping the selection in view.
pub fn offset(rows: &[Row], field: usize, height: usize) -> usize {
    layout::list_offset(selected_row(rows, field), rows.len(), height)
}

/// The field on row `row` of a pane `height` rows tall, if that row is a field.
pub fn field_at(app: &App, height: usize, row: usize) -> Option<usize> {
    let rows = scenario_rows(app);
    let off = offset(&rows, app.field, height);
    match rows.get(off + row) {
        Some(Row::Field(i)) => Some(*i),
        _ => None,
    }
}
