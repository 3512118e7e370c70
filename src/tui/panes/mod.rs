//! Drawing, one file per screen region: each pane, the overlays, and the bars around them
//! (tabs, status line, hints). Every function here is pure: it reads the [`App`] and the
//! view-model in [`super::model`] and draws into the frame; `crate::tui::view` composes them.

pub mod bars;
pub mod cost;
pub mod options;
pub mod overlays;
pub mod recommendation;
pub mod scenario;
pub mod sizing;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph};

use super::app::App;
use super::layout::{Pane, Screen};
use super::theme::Theme;

/// The pane's frame: its number and title, thick when focused, STALE when the plan on
/// screen is not the scenario's.
pub fn block<'a>(app: &App, t: &Theme, pane: Pane, screen: Screen) -> Block<'a> {
    let focused = app.focus == pane;
    let n = pane.index() + 1;
    let mut title = format!(" {n} {} ", pane.title());
    if focused && screen == Screen::Full {
        title = format!("▶{title}");
    }
    let stale = app.stale.is_some() && matches!(pane, Pane::Recommendation | Pane::Sizing | Pane::Cost);
    let mut b = Block::default()
        .borders(Borders::ALL)
        .border_type(if focused { BorderType::Thick } else { BorderType::Plain })
        .border_style(if focused { t.focus_border } else { t.border })
        .title(Span::styled(title, t.title));
    if stale {
        b = b.title(Span::styled(" STALE ", t.warning.add_modifier(Modifier::BOLD)));
    }
    b
}

/// A text pane's lines at its scroll, which never runs past the last line.
fn scrolled(app: &App, f: &mut Frame, pane: Pane, lines: Vec<Line<'static>>, inner: Rect) {
    let scroll = app.scroll[pane.index()].min(lines.len().saturating_sub(inner.height as usize) as u16);
    f.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}
