//! The field editor: starting an edit (a line editor, or a picker for choices), the line
//! editing shared with the prompts, the live preview of every valid keystroke, committing or
//! cancelling, and pasted text.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::super::app::{App, Editing, Effect, Mode, Overlay, Picker, PickerFor};
use super::super::fields::{self, Kind};
use crate::scenario::Scenario;

fn char_index(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i)
}

/// Line editing shared by the field editor and the prompts. Returns true if the key was a
/// line-editing key.
pub(crate) fn edit_line(input: &mut String, cursor: &mut usize, key: &KeyEvent) -> bool {
    let len = input.chars().count();
    *cursor = (*cursor).min(len);
    match key.code {
        KeyCode::Char(c) if !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {
            input.insert(char_index(input, *cursor), c);
            *cursor += 1;
        }
        KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
            input.replace_range(..char_index(input, *cursor), "");
            *cursor = 0;
        }
        KeyCode::Backspace if *cursor > 0 => {
            let at = char_index(input, *cursor - 1);
            input.remove(at);
            *cursor -= 1;
        }
        KeyCode::Delete if *cursor < len => {
            let at = char_index(input, *cursor);
            input.remove(at);
        }
        KeyCode::Left => *cursor = cursor.saturating_sub(1),
        KeyCode::Right => *cursor = (*cursor + 1).min(len),
        KeyCode::Home => *cursor = 0,
        KeyCode::End => *cursor = len,
        KeyCode::Backspace | KeyCode::Delete => {}
        _ => return false,
    }
    true
}

pub(crate) fn start_edit(app: &mut App) {
    let id = app.selected_field();
    match fields::field(id).kind {
        Kind::Number(_) | Kind::Text => {
            let input = fields::edit_text(id, &app.scenario);
            let cursor = input.chars().count();
            app.mode = Mode::Editing(Editing {
                field: id,
                input,
                cursor,
                error: None,
                // Typing `1m` over 1,000,000 means 1m, not 1000001m.
                fresh: matches!(fields::field(id).kind, Kind::Number(_)),
            });
            app.message = None;
        }
        Kind::Choice | Kind::Multi => {
            let items = fields::choices(id, &app.scenario, &app.catalog);
            let sel = items.iter().position(|c| c.selected).unwrap_or(0);
            app.overlays.push(Overlay::Picker(Picker {
                target: PickerFor::Field(id),
                multi: fields::field(id).kind == Kind::Multi,
                items,
                sel,
                filter: String::new(),
            }));
        }
    }
}

/// The scenario with the editor's input applied, or why it cannot be.
fn tentative(app: &App, e: &Editing) -> Result<Scenario, String> {
    let mut next = app.scenario.clone();
    fields::set_text(e.field, &mut next, &e.input)?;
    let issues = fields::issues_for(e.field, &next, &app.catalog);
    match issues.into_iter().next() {
        Some(i) => Err(i),
        None => Ok(next),
    }
}

pub(crate) fn on_editing_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let Mode::Editing(mut e) = std::mem::replace(&mut app.mode, Mode::Normal) else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Esc => {
            // Back to the committed scenario and its plan.
            let s = app.scenario.clone();
            app.recompute(&s);
            app.info("edit cancelled");
            return Vec::new();
        }
        KeyCode::Enter => match tentative(app, &e) {
            Ok(next) => {
                app.commit(next);
                app.message = None;
                return Vec::new();
            }
            Err(why) => {
                // Not committed: the field keeps its value and the editor stays open.
                e.error = Some(why);
                app.mode = Mode::Editing(e);
                return Vec::new();
            }
        },
        _ => {
            let typed = matches!(key.code, KeyCode::Char(_))
                && !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
            if e.fresh && typed {
                e.input.clear();
                e.cursor = 0;
            }
            if !edit_line(&mut e.input, &mut e.cursor, &key) {
                app.mode = Mode::Editing(e);
                return Vec::new();
            }
            e.fresh = false;
        }
    }
    preview(app, e);
    Vec::new()
}

/// Every change to the typed text recomputes the panes from it, when it is valid.
fn preview(app: &mut App, mut e: Editing) {
    match tentative(app, &e) {
        Ok(next) => {
            e.error = None;
            app.recompute(&next);
        }
        Err(why) => {
            app.stale = Some(format!("{}: {why}", fields::field(e.field).label));
            e.error = Some(why);
        }
    }
    app.mode = Mode::Editing(e);
}

/// Pasted text goes where typed text would: the field being edited, a prompt, a picker's
/// filter. Line breaks and other control characters become spaces; elsewhere it is dropped,
/// so a paste can never be read as a burst of commands.
pub(crate) fn on_paste(app: &mut App, text: &str) {
    let clean: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let insert = |input: &mut String, cursor: &mut usize| {
        let at = char_index(input, *cursor);
        input.insert_str(at, &clean);
        *cursor += clean.chars().count();
    };
    match app.overlays.last_mut() {
        Some(Overlay::Prompt(p)) => {
            insert(&mut p.input, &mut p.cursor);
            p.completions.clear();
            return;
        }
        Some(Overlay::Picker(p)) => {
            p.filter.push_str(&clean);
            p.sel = 0;
            return;
        }
        Some(_) => return,
        None => {}
    }
    if let Mode::Editing(mut e) = std::mem::replace(&mut app.mode, Mode::Normal) {
        if e.fresh {
            e.input.clear();
            e.cursor = 0;
            e.fresh = false;
        }
        insert(&mut e.input, &mut e.cursor);
        preview(app, e);
    }
}
