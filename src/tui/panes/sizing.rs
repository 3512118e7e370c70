//! The GPU sizing and VRAM pane: the lines of [`crate::tui::model::sizing`], scrolled.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::super::app::App;
use super::super::layout::Pane;
use super::super::model::sizing;
use super::super::theme::Theme;

pub fn draw(app: &App, f: &mut Frame, t: &Theme, inner: Rect) {
    let lines = sizing::lines(app, t, inner.width);
    super::scrolled(app, f, Pane::Sizing, lines, inner);
}
