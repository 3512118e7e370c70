//! The bars around the panes: the tab bar (tabbed layout), the status line and the hint bar,
//! which is generated from the keymap.

use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::super::app::{App, Level, Mode, Overlay};
use super::super::keymap::KEYMAP;
use super::super::layout::PANES;
use super::super::model::tabs::tab_labels;
use super::super::theme::Theme;
use crate::text::printable;

/// The tab bar: every pane's number and title, the focused one bracketed.
pub fn tab_line(app: &App, t: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, label) in tab_labels().into_iter().enumerate() {
        let focused = PANES[i] == app.focus;
        let text = if focused {
            format!("[{label}]")
        } else {
            format!(" {label} ")
        };
        spans.push(Span::styled(
            text,
            if focused {
                t.selection.add_modifier(Modifier::BOLD)
            } else {
                t.muted
            },
        ));
        spans.push(Span::raw(" "));
    }
    Line::from(spans)
}

/// The file, its dirty mark, the catalog date, baseline and STALE marks and the last
/// message.
pub fn status_line(app: &App, t: &Theme) -> Line<'static> {
    let file = match &app.file {
        Some(f) => printable(&f.path.display().to_string()),
        None => "(built-in example, unsaved)".into(),
    };
    let mut spans = vec![Span::styled(format!(" {file}"), t.title)];
    if app.dirty() {
        spans.push(Span::styled(" [+] modified", t.warning.add_modifier(Modifier::BOLD)));
    }
    spans.push(Span::styled(
        format!(" │ plan date {} │ catalog {}", app.plan_date, app.catalog.meta.as_of),
        t.muted,
    ));
    if app.baseline.is_some() {
        spans.push(Span::styled(" │ baseline pinned", t.accent));
    }
    if app.stale.is_some() {
        spans.push(Span::styled(" │ STALE", t.warning.add_modifier(Modifier::BOLD)));
    }
    if let Some((level, text)) = &app.message {
        let style = match level {
            Level::Info => t.base,
            Level::Error => t.error,
        };
        let mark = if *level == Level::Error { "✗ " } else { "" };
        spans.push(Span::styled(format!(" │ {mark}{}", printable(text)), style));
    }
    Line::from(spans)
}

/// The keys that work now, for the overlay or mode on top.
pub fn hint_line(app: &App, t: &Theme) -> Line<'static> {
    let pairs: Vec<(String, String)> = match (app.overlays.last(), &app.mode) {
        (Some(Overlay::Help { .. }), _) => vec![("↑↓".into(), "scroll".into()), ("any key".into(), "close".into())],
        (Some(Overlay::Detail { .. }), _) => vec![("↑↓".into(), "scroll".into()), ("Esc".into(), "close".into())],
        (Some(Overlay::Picker(p)), _) => {
            let mut v = vec![("↑↓".into(), "move".into()), ("type".into(), "filter".into())];
            if p.multi {
                v.push(("Space".into(), "toggle".into()));
            }
            v.extend([("Enter".into(), "choose".into()), ("Esc".into(), "cancel".into())]);
            v
        }
        (Some(Overlay::Prompt(_)), _) => vec![
            ("Enter".into(), "ok".into()),
            ("Tab".into(), "complete".into()),
            ("Esc".into(), "cancel".into()),
        ],
        (Some(Overlay::Confirm(c)), _) => c
            .answers()
            .iter()
            .map(|(k, d)| (k.to_string(), (*d).to_string()))
            .collect(),
        (None, Mode::Editing(_)) => vec![
            ("Enter".into(), "commit".into()),
            ("Esc".into(), "cancel".into()),
            ("←→".into(), "move".into()),
            ("Ctrl-U".into(), "clear".into()),
        ],
        (None, Mode::Normal) => KEYMAP
            .iter()
            .filter_map(|b| {
                let key = b.label.split(' ').next().unwrap_or(b.label);
                b.hint.map(|h| (key.to_string(), h.to_string()))
            })
            .collect(),
    };
    let mut spans = vec![Span::raw(" ")];
    for (k, d) in pairs {
        spans.push(Span::styled(k, t.accent.add_modifier(Modifier::BOLD)));
        spans.push(Span::styled(format!(" {d}  "), t.muted));
    }
    Line::from(spans)
}
