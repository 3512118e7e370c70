//! The overlays: help, the "how this was estimated" detail (lines built by
//! [`crate::report::estimate`]), confirmations, path prompts and pickers.

use ratatui::Frame;
use ratatui::layout::{Alignment, Position, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Wrap};

use super::super::app::{Overlay, PickerFor, PromptKind};
use super::super::fields;
use super::super::layout;
use super::super::model::{help_lines, wrap};
use super::super::theme::Theme;
use crate::text::printable;

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h)
}

fn overlay_block<'a>(t: &Theme, title: String) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .border_style(t.focus_border)
        .title(Span::styled(format!(" {title} "), t.title))
}

/// The overlay on top of the stack, centred over `area`.
pub fn draw(f: &mut Frame, t: &Theme, o: &Overlay, area: Rect) {
    match o {
        Overlay::Help { scroll } => {
            let lines: Vec<Line> = help_lines()
                .into_iter()
                .map(|(k, d)| {
                    if d.is_empty() {
                        Line::styled(k, t.accent.add_modifier(Modifier::BOLD))
                    } else {
                        Line::from(vec![Span::styled(format!("{k:<18}"), t.title), Span::raw(d)])
                    }
                })
                .collect();
            let r = centered(area, 100, lines.len() as u16 + 2);
            f.render_widget(Clear, r);
            let inner_h = r.height.saturating_sub(2);
            let scroll = (*scroll).min((lines.len() as u16).saturating_sub(inner_h));
            f.render_widget(
                Paragraph::new(lines)
                    .scroll((scroll, 0))
                    .block(overlay_block(t, "Keys (any key closes)".into())),
                r,
            );
        }
        Overlay::Detail { title, lines, scroll } => {
            let r = centered(
                area,
                area.width.saturating_sub(8).max(20),
                area.height.saturating_sub(4),
            );
            f.render_widget(Clear, r);
            let body: Vec<Line> = lines.iter().map(|l| Line::raw(printable(l))).collect();
            f.render_widget(
                Paragraph::new(body)
                    .wrap(Wrap { trim: false })
                    .scroll((*scroll, 0))
                    .block(overlay_block(t, printable(title))),
                r,
            );
        }
        Overlay::Confirm(c) => {
            let w = 72.min(area.width);
            let text = wrap(&printable(&c.text()), w.saturating_sub(4) as usize, 0);
            let mut lines: Vec<Line> = text.into_iter().map(Line::raw).collect();
            lines.push(Line::raw(""));
            let mut answers = Vec::new();
            for (k, d) in c.answers() {
                answers.push(Span::styled(format!("[{k}]"), t.accent.add_modifier(Modifier::BOLD)));
                answers.push(Span::raw(format!(" {d}   ")));
            }
            lines.push(Line::from(answers));
            let r = centered(area, w, lines.len() as u16 + 2);
            f.render_widget(Clear, r);
            f.render_widget(Paragraph::new(lines).block(overlay_block(t, c.title().into())), r);
        }
        Overlay::Prompt(p) => {
            let title = match p.kind {
                PromptKind::Open => "Open scenario file".to_string(),
                PromptKind::SaveAs => "Save as".to_string(),
                PromptKind::Export(fmt) => format!("Export {} to", fmt.label()),
            };
            let w = 76.min(area.width);
            let shown = p.completions.len().min(8);
            let r = centered(area, w, 3 + shown as u16 + u16::from(shown > 0));
            f.render_widget(Clear, r);
            let input = printable(&p.input);
            let inner_w = r.width.saturating_sub(2) as usize;
            // Keep the end of a long path visible.
            let skip = p.cursor.saturating_sub(inner_w.saturating_sub(1));
            let visible: String = input.chars().skip(skip).collect();
            let mut lines = vec![Line::raw(visible)];
            if shown > 0 {
                lines.push(Line::styled("─".repeat(inner_w), t.muted));
                for c in p.completions.iter().take(shown) {
                    lines.push(Line::styled(printable(c), t.muted));
                }
            }
            f.render_widget(Paragraph::new(lines).block(overlay_block(t, title)), r);
            let x = r.x + 1 + (p.cursor - skip) as u16;
            if x < r.right().saturating_sub(1) {
                f.set_cursor_position(Position::new(x, r.y + 1));
            }
        }
        Overlay::Picker(p) => {
            let visible = p.visible();
            let title = match p.target {
                PickerFor::Export => "Export a summary".to_string(),
                PickerFor::Field(id) => format!("{}: choose", fields::field(id).label),
            };
            let h = (visible.len() as u16 + 4).min(area.height.saturating_sub(2)).max(5);
            let r = centered(area, 72, h);
            f.render_widget(Clear, r);
            let list_h = r.height.saturating_sub(4) as usize;
            let off = layout::list_offset(p.sel, visible.len(), list_h);
            let mut lines = vec![Line::from(vec![
                Span::styled("filter: ", t.muted),
                Span::raw(printable(&p.filter)),
                Span::styled(
                    if p.filter.is_empty() {
                        "(type to filter; ↑↓ or Ctrl-P/Ctrl-N move)"
                    } else {
                        "  (↑↓ or Ctrl-P/Ctrl-N move)"
                    },
                    t.muted,
                ),
            ])];
            lines.push(Line::raw(""));
            for (row, idx) in visible.iter().enumerate().skip(off).take(list_h) {
                let Some(c) = p.items.get(*idx) else { continue };
                let mark = match (p.multi, c.selected) {
                    (true, true) => "[x]",
                    (true, false) => "[ ]",
                    (false, true) => "(•)",
                    (false, false) => "( )",
                };
                let cursor = if row == p.sel { "›" } else { " " };
                let style = if row == p.sel { t.selection } else { t.base };
                lines.push(Line::from(vec![
                    Span::styled(format!("{cursor} {mark} {:<22}", printable(&c.label)), style),
                    Span::styled(format!(" {}", printable(&c.note)), t.muted),
                ]));
            }
            if visible.is_empty() {
                lines.push(Line::styled("  (nothing matches the filter)", t.muted));
            }
            f.render_widget(
                Paragraph::new(lines)
                    .alignment(Alignment::Left)
                    .block(overlay_block(t, title)),
                r,
            );
        }
    }
}
