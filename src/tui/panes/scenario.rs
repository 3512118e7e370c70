//! The Scenario pane: every field with its value and unit, the editor's input with its
//! cursor, and `Δ was ...` against the baseline. Rows come from [`crate::tui::model::scenario`].

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::super::app::{App, Mode};
use super::super::fields::{self, FIELDS, Kind};
use super::super::model::scenario::{Row, offset, scenario_rows};
use super::super::theme::Theme;
use crate::text::printable;

pub fn draw(app: &App, f: &mut Frame, t: &Theme, area: Rect) {
    let rows = scenario_rows(app);
    let height = area.height as usize;
    let off = offset(&rows, app.field, height);
    let label_w = 15;
    let mut lines = Vec::with_capacity(height);
    let mut cursor: Option<Position> = None;
    for (r, row) in rows.iter().enumerate().skip(off).take(height) {
        match row {
            Row::Header(g) => lines.push(Line::styled(g.to_string(), t.accent.add_modifier(Modifier::BOLD))),
            Row::Error(e) => lines.push(Line::styled(format!("    ✗ {}", printable(e)), t.error)),
            Row::Field(i) => {
                let def = &FIELDS[*i];
                let selected = *i == app.field;
                let marker = if selected { "›" } else { " " };
                let mut spans = vec![Span::raw(format!("{marker} {:<label_w$}", def.label))];
                let editing = match &app.mode {
                    Mode::Editing(e) if e.field == def.id => Some(e),
                    _ => None,
                };
                if let Some(e) = editing {
                    let text = printable(&e.input);
                    let prefix = 2 + label_w as u16 + 1;
                    let before: String = text.chars().take(e.cursor).collect();
                    let x = area.x + prefix + before.chars().count() as u16;
                    if x < area.right() {
                        cursor = Some(Position::new(x, area.y + (r - off) as u16));
                    }
                    spans.push(Span::styled(
                        format!("[{text}]"),
                        t.selection.add_modifier(Modifier::UNDERLINED),
                    ));
                } else {
                    let value = printable(&fields::display(def.id, &app.scenario));
                    let style = if selected { t.selection } else { t.base };
                    spans[0] = spans[0].clone().style(style);
                    let hint = match def.kind {
                        Kind::Choice | Kind::Multi if selected => " ▾",
                        _ => "",
                    };
                    spans.push(Span::styled(
                        format!("{value}{hint}"),
                        style.add_modifier(Modifier::BOLD),
                    ));
                }
                if !def.unit.is_empty() {
                    spans.push(Span::styled(format!(" {}", def.unit), t.muted));
                }
                if let Some(b) = &app.baseline {
                    let was = fields::display(def.id, &b.scenario);
                    if was != fields::display(def.id, &app.scenario) {
                        spans.push(Span::styled(format!("  Δ was {}", printable(&was)), t.warning));
                    }
                }
                lines.push(Line::from(spans));
            }
        }
    }
    f.render_widget(Paragraph::new(lines), area);
    if let Some(p) = cursor {
        f.set_cursor_position(p);
    }
}
