//! Keys in the normal mode: the keymap's actions (focus, selection and scroll, steps,
//! undo and redo, baseline, theme, the file commands) and quitting.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;

use super::super::app::{App, Baseline, Confirm, Effect, ExportFormat, Mode, Overlay, Picker, PickerFor, PromptKind};
use super::super::fields::{self, FIELDS, Kind};
use super::super::history::{self, UndoEntry};
use super::super::keymap::{Action, action_for};
use super::super::layout::{self, PANES, Pane};
use super::super::model;
use super::super::theme::ThemeKind;
use super::editing::{on_editing_key, start_edit};
use super::files::save;
use super::legs;
use super::overlays::{on_overlay_key, open_prompt, show_details};

pub(crate) fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    // Ctrl-Z suspends from anywhere, as in a shell; the state (an open field, a dialog)
    // is as it was when the shell resumes the process.
    if action_for(&key) == Some(Action::Suspend) {
        return vec![Effect::Suspend];
    }
    if !app.overlays.is_empty() {
        return on_overlay_key(app, key);
    }
    if let Mode::Editing(_) = app.mode {
        return on_editing_key(app, key);
    }
    let (w, h) = app.size;
    if layout::screen_for(Rect::new(0, 0, w, h)) == layout::Screen::TooSmall {
        // Only quitting makes sense on a screen that shows nothing.
        return match action_for(&key) {
            Some(Action::Quit) => request_quit(app),
            _ => Vec::new(),
        };
    }
    let Some(action) = action_for(&key) else {
        if key.code == KeyCode::Esc {
            app.message = None;
        }
        return Vec::new();
    };
    on_action(app, action)
}

fn on_action(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Quit => return request_quit(app),
        Action::Suspend => return vec![Effect::Suspend],
        Action::Help => app.overlays.push(Overlay::Help { scroll: 0 }),
        Action::NextPane => app.focus = PANES[(app.focus.index() + 1) % PANES.len()],
        Action::PrevPane => app.focus = PANES[(app.focus.index() + PANES.len() - 1) % PANES.len()],
        Action::Pane(i) => app.focus = PANES[i.min(PANES.len() - 1)],
        Action::Up => move_by(app, -1),
        Action::Down => move_by(app, 1),
        Action::PageUp => move_by(app, -10),
        Action::PageDown => move_by(app, 10),
        Action::Top => move_by(app, -100_000),
        Action::Bottom => move_by(app, 100_000),
        Action::Edit => match app.focus {
            Pane::Scenario => start_edit(app),
            _ => show_details(app),
        },
        Action::Details => show_details(app),
        Action::AddLeg => legs::add_leg(app),
        Action::RemoveLeg => legs::remove_leg(app),
        Action::StepUp | Action::StepDown | Action::StepUpLarge | Action::StepDownLarge => {
            if app.focus != Pane::Scenario {
                return Vec::new();
            }
            let up = matches!(action, Action::StepUp | Action::StepUpLarge);
            let large = matches!(action, Action::StepUpLarge | Action::StepDownLarge);
            let id = app.selected_field();
            let mut next = app.scenario.clone();
            if fields::step(id, &mut next, &app.catalog, up, large) {
                app.commit(next);
                app.message = None;
            } else if matches!(fields::field(id).kind, Kind::Text | Kind::Multi) {
                app.info(format!(
                    "{} does not step: press Enter to edit it",
                    fields::field(id).label
                ));
            } else {
                app.info(format!("{} is at its limit", fields::field(id).label));
            }
        }
        Action::Save => return save(app),
        Action::SaveAs => open_prompt(app, PromptKind::SaveAs),
        Action::Open => open_prompt(app, PromptKind::Open),
        Action::Export => {
            let items = ExportFormat::ALL
                .iter()
                .map(|f| fields::Choice {
                    label: f.label().to_string(),
                    note: format!(".{}", f.extension()),
                    selected: false,
                })
                .collect();
            app.overlays.push(Overlay::Picker(Picker {
                target: PickerFor::Export,
                items,
                sel: 0,
                multi: false,
                filter: String::new(),
            }));
        }
        Action::Undo => travel(app, true),
        Action::Redo => travel(app, false),
        Action::PinBaseline => {
            if app.stale.is_some() {
                app.error("not pinned: the plan on screen is stale; fix the scenario first");
            } else if let Some(plan) = &app.plan {
                app.baseline = Some(Baseline {
                    scenario: app.scenario.clone(),
                    plan: plan.clone(),
                });
                app.info("baseline pinned: panes show changes against it (B clears)");
            }
        }
        Action::ClearBaseline => {
            if app.baseline.take().is_some() {
                app.info("baseline cleared");
            }
        }
        Action::Theme => {
            app.theme = match app.theme {
                ThemeKind::Color => ThemeKind::Mono,
                ThemeKind::Mono => ThemeKind::Color,
            };
        }
    }
    Vec::new()
}

/// Undo (`back`) or redo: the scenario moves between the two histories.
fn travel(app: &mut App, back: bool) {
    let (from, to) = if back {
        (&mut app.undo, &mut app.redo)
    } else {
        (&mut app.redo, &mut app.undo)
    };
    let Some(entry) = from.pop() else {
        app.info(if back { "nothing to undo" } else { "nothing to redo" });
        return;
    };
    let restored = entry.restore(&app.scenario);
    let left_behind = std::mem::replace(&mut app.scenario, restored);
    // Say what changed back, and show it: the first field that differs is selected. Only
    // fields shown on one side or the other count (a removed leg's rows differ from an
    // absent leg's), and the selection lands on one shown now: a leg the undo removed
    // leaves it on the nearest row that is.
    let changed: Vec<usize> = (0..FIELDS.len())
        .filter(|&i| FIELDS[i].id.applies(&left_behind) || FIELDS[i].id.applies(&app.scenario))
        .filter(|&i| fields::display(FIELDS[i].id, &left_behind) != fields::display(FIELDS[i].id, &app.scenario))
        .collect();
    let what = match changed.first() {
        Some(&i) => {
            let f = &FIELDS[i];
            app.field = changed
                .iter()
                .copied()
                .find(|&j| FIELDS[j].id.applies(&app.scenario))
                .unwrap_or(i);
            app.focus = Pane::Scenario;
            let (was, now) = (
                fields::display(f.id, &left_behind),
                fields::display(f.id, &app.scenario),
            );
            let more = match changed.len() - 1 {
                0 => String::new(),
                1 => " and 1 more field".to_string(),
                n => format!(" and {n} more fields"),
            };
            format!(
                ": {} {} → {}{more}",
                model::scenario::field_title(f),
                short(&was),
                short(&now)
            )
        }
        None => String::new(),
    };
    history::push(to, UndoEntry::new(left_behind, &app.scenario));
    let left = from.len();
    app.settle_field();
    let s = app.scenario.clone();
    app.recompute(&s);
    app.info(format!(
        "{}{what} ({left} more)",
        if back { "undone" } else { "redone" }
    ));
}

/// A value for the status line: at most 24 characters.
fn short(v: &str) -> String {
    if v.chars().count() <= 24 {
        v.to_string()
    } else {
        format!("{}…", v.chars().take(23).collect::<String>())
    }
}

pub(crate) fn request_quit(app: &mut App) -> Vec<Effect> {
    if app.dirty() {
        app.overlays.push(Overlay::Confirm(Confirm::QuitUnsaved));
        Vec::new()
    } else {
        quit_now(app)
    }
}

pub(crate) fn quit_now(app: &mut App) -> Vec<Effect> {
    app.quit = true;
    let mut fx = Vec::new();
    // Leaving on purpose: whatever the recovery file held was saved or discarded.
    if app.autosaved.take().is_some()
        && let Some(p) = app.recovery_path()
    {
        fx.push(Effect::Remove(p));
    }
    fx.extend(app.adopted.drain(..).map(Effect::Remove));
    fx.push(Effect::Quit);
    fx
}

/// Moves the selection (Scenario, Options) or scrolls (the other panes).
pub(crate) fn move_by(app: &mut App, delta: i64) {
    let clamp = |cur: usize, len: usize| -> usize {
        let next = cur as i64 + delta;
        next.clamp(0, len.saturating_sub(1) as i64) as usize
    };
    match app.focus {
        // Hidden fields (a leg that does not exist) are not rows: the move counts shown ones.
        Pane::Scenario => app.field = model::scenario::moved(&app.scenario, app.field, delta),
        Pane::Options => {
            let n = app.options_plan().map_or(0, |p| p.options.len());
            app.option = clamp(app.option, n);
        }
        p => {
            let i = p.index();
            let max = i64::from(model::max_scroll(app, p));
            app.scroll[i] = (i64::from(app.scroll[i]) + delta).clamp(0, max) as u16;
        }
    }
}
