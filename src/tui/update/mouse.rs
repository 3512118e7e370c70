//! The mouse: a click focuses a pane, a tab, a field or an option; the wheel scrolls the pane
//! under the pointer. Hit-tests use the same layout and view-model as the drawing.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Position;

use super::super::app::{App, Mode};
use super::super::layout::{self, Pane};
use super::super::model;
use super::keys::move_by;

/// Clicks and the wheel, when no overlay is open and nothing is being typed.
pub(crate) fn on_mouse(app: &mut App, m: MouseEvent) {
    if !app.overlays.is_empty() || matches!(app.mode, Mode::Editing(_)) {
        return;
    }
    let at = Position::new(m.column, m.row);
    let areas = app.layout();
    if let Some(tabs) = areas.tabs
        && tabs.contains(at)
        && let MouseEventKind::Down(MouseButton::Left) = m.kind
    {
        if let Some(p) = model::tabs::tab_at(tabs, m.column) {
            app.focus = p;
        }
        return;
    }
    let Some((pane, rect)) = areas.panes.iter().find(|(_, r)| r.contains(at)).copied() else {
        return;
    };
    match m.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            app.focus = pane;
            let inner = layout::inner(rect);
            if !inner.contains(at) {
                return;
            }
            let row = usize::from(m.row - inner.y);
            match pane {
                Pane::Scenario => {
                    if let Some(i) = model::scenario::field_at(app, usize::from(inner.height), row) {
                        app.field = i;
                    }
                }
                Pane::Options => {
                    if let Some(i) = model::options::option_at(app, inner.height, row) {
                        app.option = i;
                    }
                }
                _ => {}
            }
        }
        MouseEventKind::ScrollUp | MouseEventKind::ScrollDown => {
            let saved = app.focus;
            app.focus = pane;
            move_by(app, if m.kind == MouseEventKind::ScrollUp { -3 } else { 3 });
            app.focus = saved;
        }
        _ => {}
    }
}
