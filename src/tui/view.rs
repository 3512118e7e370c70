//! Drawing's entry point: [`view`] lays the screen out and composes the panes, bars and
//! overlays of [`super::panes`]. A pure function of the state; the view-model it draws is in
//! [`super::model`] and [`super::chart`], where `update` can read it too.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Paragraph, Wrap};

use super::app::App;
use super::fields;
use super::layout::{self, Pane, Screen};
use super::panes::{self, bars, cost, options, overlays, recommendation, scenario, sizing};
use super::theme::Theme;

pub use super::model::help_lines;

/// Draws the whole screen: a pure function of the state.
pub fn view(app: &App, f: &mut Frame) {
    let theme = Theme::new(app.theme);
    let area = f.area();
    let areas = layout::areas(area, app.focus);
    if areas.screen == Screen::TooSmall {
        too_small(f, area);
        return;
    }
    if let Some(tabs) = areas.tabs {
        f.render_widget(Paragraph::new(bars::tab_line(app, &theme)), tabs);
    }
    for (pane, rect) in &areas.panes {
        draw_pane(app, f, &theme, *pane, *rect, areas.screen);
    }
    f.render_widget(Paragraph::new(bars::status_line(app, &theme)), areas.status);
    f.render_widget(Paragraph::new(bars::hint_line(app, &theme)), areas.hints);
    if let Some(o) = app.overlays.last() {
        overlays::draw(f, &theme, o, area);
    }
}

fn too_small(f: &mut Frame, area: Rect) {
    let (w, h) = layout::TABS_MIN;
    let text = format!(
        "Terminal too small ({}x{}): llmcap needs at least {w}x{h}. Enlarge the window, or press q to quit.",
        area.width, area.height
    );
    f.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

fn draw_pane(app: &App, f: &mut Frame, t: &Theme, pane: Pane, rect: Rect, screen: Screen) {
    let b = panes::block(app, t, pane, screen);
    let inner = layout::inner(rect);
    match pane {
        Pane::Scenario => {
            let help = fields::field(app.selected_field()).help;
            let b = b.title_bottom(Span::styled(format!(" {help} "), t.muted));
            f.render_widget(b, rect);
            scenario::draw(app, f, t, inner);
        }
        Pane::Options => {
            f.render_widget(b, rect);
            options::draw(app, f, t, inner);
        }
        Pane::Cost => {
            f.render_widget(b, rect);
            cost::draw(app, f, t, inner);
        }
        Pane::Recommendation => {
            f.render_widget(b, rect);
            recommendation::draw(app, f, t, inner);
        }
        Pane::Sizing => {
            f.render_widget(b, rect);
            sizing::draw(app, f, t, inner);
        }
    }
}
