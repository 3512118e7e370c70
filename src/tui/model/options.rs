//! The Options table's geometry: one header row above the options, scrolled to keep the
//! selected one in view. The pane draws with it; `update` maps clicks with it.

use super::super::app::App;
use super::super::layout;

/// How many option rows fit under the header in a pane `height` rows tall.
pub fn visible_rows(height: u16) -> usize {
    usize::from(height.saturating_sub(1))
}

/// The first option shown in a pane `height` rows tall.
pub fn offset(app: &App, height: u16) -> usize {
    let n = app.options_plan().map_or(0, |p| p.options.len());
    layout::list_offset(app.option, n, visible_rows(height))
}

/// The option on row `row` (0 is the header) of a pane `height` rows tall.
pub fn option_at(app: &App, height: u16, row: usize) -> Option<usize> {
    let n = app.options_plan().map_or(0, |p| p.options.len());
    let off = offset(app, height);
    (row >= 1 && off + row - 1 < n).then(|| off + row - 1)
}
