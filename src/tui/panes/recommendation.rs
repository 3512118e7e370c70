//! The Recommendation pane: the lines of [`crate::tui::model::recommendation`], scrolled.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::super::app::App;
use super::super::layout::Pane;
use super::super::model::recommendation;
use super::super::theme::Theme;

pub fn draw(app: &App, f: &mut Frame, t: &Theme, inner: Rect) {
    let lines = recommendation::lines(app, t, inner.width);
    super::scrolled(app, f, Pane::Recommendation, lines, inner);
}
