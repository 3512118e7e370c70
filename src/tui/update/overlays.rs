//! Keys while an overlay is on top: help, the "how this was estimated" detail, confirmations,
//! path prompts (with Tab completion) and pickers.

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::super::app::{
    AfterSave, App, Confirm, Effect, ExportFormat, Overlay, Picker, PickerFor, Prompt, PromptKind, Purpose,
};
use super::super::fields;
use super::super::keymap::{Action, action_for};
use super::super::layout::Pane;
use super::super::model;
use super::editing::edit_line;
use super::files::{default_export_path, export_bytes, same_file, save, slug};
use super::keys::{quit_now, request_quit};

pub(crate) fn on_overlay_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let Some(top) = app.overlays.pop() else {
        return Vec::new();
    };
    match top {
        Overlay::Help { scroll } => {
            match action_for(&key) {
                Some(Action::Up) => app.overlays.push(Overlay::Help {
                    scroll: scroll.saturating_sub(1),
                }),
                Some(Action::Down) => app.overlays.push(Overlay::Help {
                    scroll: (scroll + 1).min(model::help_lines().len() as u16),
                }),
                Some(Action::Quit) if key.code == KeyCode::Char('c') => return request_quit(app),
                // Any other key closes the help.
                _ => {}
            }
            Vec::new()
        }
        Overlay::Detail { title, lines, scroll } => {
            let n = lines.len() as u16;
            let scroll = match action_for(&key) {
                Some(Action::Up) => scroll.saturating_sub(1),
                Some(Action::Down) => (scroll + 1).min(n),
                Some(Action::PageUp) => scroll.saturating_sub(10),
                Some(Action::PageDown) => (scroll + 10).min(n),
                _ => return Vec::new(),
            };
            app.overlays.push(Overlay::Detail { title, lines, scroll });
            Vec::new()
        }
        Overlay::Confirm(c) => on_confirm_key(app, c, key),
        Overlay::Prompt(p) => on_prompt_key(app, p, key),
        Overlay::Picker(p) => on_picker_key(app, p, key),
    }
}

fn on_confirm_key(app: &mut App, c: Confirm, key: KeyEvent) -> Vec<Effect> {
    let answer = match key.code {
        KeyCode::Esc => 'n',
        KeyCode::Char(ch) => ch.to_ascii_lowercase(),
        _ => {
            app.overlays.push(Overlay::Confirm(c));
            return Vec::new();
        }
    };
    if !c.answers().iter().any(|(k, _)| *k == answer) {
        app.overlays.push(Overlay::Confirm(c));
        return Vec::new();
    }
    match (c, answer) {
        (Confirm::QuitUnsaved, 's') => {
            app.after_save = AfterSave::Quit;
            save(app)
        }
        (Confirm::QuitUnsaved, 'd') => quit_now(app),
        (Confirm::OpenUnsaved(path), 'y') => {
            let mut fx = Vec::new();
            if app.autosaved.take().is_some()
                && let Some(p) = app.recovery_path()
            {
                fx.push(Effect::Remove(p));
            }
            fx.extend(app.adopted.drain(..).map(Effect::Remove));
            fx.push(Effect::Load(path));
            fx
        }
        (Confirm::SaveChanged(path) | Confirm::SaveExists(path), 'y') => vec![Effect::Save {
            path,
            scenario: Box::new(app.scenario.clone()),
            expected: None,
            force: true,
        }],
        (Confirm::ExportExists { path, format }, 'y') => match export_bytes(app, format) {
            Ok(bytes) => vec![Effect::Write {
                path,
                bytes,
                force: true,
                purpose: Purpose::Export(format),
            }],
            Err(why) => {
                app.error(why);
                Vec::new()
            }
        },
        (Confirm::Recover { scenario, recovery }, 'r') => {
            let next = *scenario;
            app.commit(next);
            // The next autosave copies it into this session's own recovery file; the earlier
            // one goes once that is written (or the work is saved or discarded).
            app.autosaved = None;
            if !app.adopted.contains(&recovery) {
                app.adopted.push(recovery.clone());
            }
            app.info(format!("recovered unsaved work from {}", recovery.display()));
            Vec::new()
        }
        (Confirm::Recover { recovery, .. }, 'd') => {
            app.info("discarded the recovered work");
            vec![Effect::Remove(recovery)]
        }
        (Confirm::Recover { recovery, .. }, _) => {
            app.info(format!(
                "kept {} as it is; this session autosaves to its own file (open the file again to decide)",
                recovery.display()
            ));
            Vec::new()
        }
        (_, _) => {
            if app.after_save == AfterSave::Quit {
                app.after_save = AfterSave::Nothing;
            }
            Vec::new()
        }
    }
}

fn on_prompt_key(app: &mut App, mut p: Prompt, key: KeyEvent) -> Vec<Effect> {
    match key.code {
        KeyCode::Esc => Vec::new(),
        KeyCode::Tab => {
            let input = p.input.clone();
            app.overlays.push(Overlay::Prompt(p));
            vec![Effect::Complete(input)]
        }
        KeyCode::Enter => {
            let text = p.input.trim().to_string();
            if text.is_empty() {
                app.overlays.push(Overlay::Prompt(p));
                return Vec::new();
            }
            let path = PathBuf::from(&text);
            match p.kind {
                PromptKind::Open => {
                    if app.dirty() {
                        app.overlays.push(Overlay::Confirm(Confirm::OpenUnsaved(path)));
                        Vec::new()
                    } else {
                        vec![Effect::Load(path)]
                    }
                }
                PromptKind::SaveAs => {
                    // Saving over the file that is open is a plain save, with its conflict check.
                    let expected = match &app.file {
                        Some(f) if same_file(app, &f.path, &path) => f.stamp.clone(),
                        _ => None,
                    };
                    vec![Effect::Save {
                        path,
                        scenario: Box::new(app.scenario.clone()),
                        expected,
                        force: false,
                    }]
                }
                PromptKind::Export(format) => {
                    if app.file.as_ref().is_some_and(|f| same_file(app, &f.path, &path)) {
                        app.error(format!(
                            "{}: this is the scenario file itself; choose another name",
                            path.display()
                        ));
                        app.overlays.push(Overlay::Prompt(p));
                        return Vec::new();
                    }
                    match export_bytes(app, format) {
                        Ok(bytes) => vec![Effect::Write {
                            path,
                            bytes,
                            force: false,
                            purpose: Purpose::Export(format),
                        }],
                        Err(why) => {
                            app.error(why);
                            Vec::new()
                        }
                    }
                }
            }
        }
        _ => {
            if edit_line(&mut p.input, &mut p.cursor, &key) {
                p.completions.clear();
            }
            app.overlays.push(Overlay::Prompt(p));
            Vec::new()
        }
    }
}

fn on_picker_key(app: &mut App, mut p: Picker, key: KeyEvent) -> Vec<Effect> {
    let visible = p.visible();
    let n = visible.len();
    match key.code {
        KeyCode::Esc => return Vec::new(),
        // Letters filter (j and k included: `japaneast`), so the vim-like moves are Ctrl-P/N.
        KeyCode::Up => p.sel = p.sel.saturating_sub(1),
        KeyCode::Char('p') if key.modifiers.contains(KeyModifiers::CONTROL) => p.sel = p.sel.saturating_sub(1),
        KeyCode::Down => p.sel = (p.sel + 1).min(n.saturating_sub(1)),
        KeyCode::Char('n') if key.modifiers.contains(KeyModifiers::CONTROL) => {
            p.sel = (p.sel + 1).min(n.saturating_sub(1));
        }
        KeyCode::PageUp => p.sel = p.sel.saturating_sub(10),
        KeyCode::PageDown => p.sel = (p.sel + 10).min(n.saturating_sub(1)),
        KeyCode::Char(' ') if p.multi => {
            if let Some(item) = visible.get(p.sel).and_then(|i| p.items.get_mut(*i)) {
                item.selected = !item.selected;
            }
        }
        KeyCode::Backspace => {
            p.filter.pop();
            p.sel = 0;
        }
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
            p.filter.push(c);
            p.sel = 0;
        }
        KeyCode::Enter => return pick(app, p, &visible),
        _ => {}
    }
    app.overlays.push(Overlay::Picker(p));
    Vec::new()
}

fn pick(app: &mut App, p: Picker, visible: &[usize]) -> Vec<Effect> {
    let chosen = visible.get(p.sel).copied();
    match p.target {
        PickerFor::Export => {
            if let Some(fmt) = chosen.and_then(|i| ExportFormat::ALL.get(i)) {
                open_prompt(app, PromptKind::Export(*fmt));
            }
        }
        PickerFor::Field(id) => {
            let mut next = app.scenario.clone();
            let changed = if p.multi {
                let checked: Vec<bool> = p.items.iter().map(|c| c.selected).collect();
                fields::choose_many(id, &mut next, &app.catalog, &checked)
            } else {
                match chosen {
                    Some(i) => fields::choose(id, &mut next, &app.catalog, i),
                    None => {
                        app.overlays.push(Overlay::Picker(p));
                        return Vec::new();
                    }
                }
            };
            if changed {
                let issues = fields::issues_for(id, &next, &app.catalog);
                if let Some(first) = issues.first() {
                    app.error(format!("{}: {first}", fields::field(id).label));
                } else {
                    app.commit(next);
                    app.message = None;
                }
            }
        }
    }
    Vec::new()
}

/// Explanations of how the figures of the selected option were estimated.
pub(crate) fn show_details(app: &mut App) {
    let opt = match app.focus {
        Pane::Options => app.options_plan().and_then(|p| p.options.get(app.option)),
        Pane::Sizing => app
            .plan
            .as_ref()
            .and_then(|p| p.best_of(crate::engine::plan::Family::SelfHosted)),
        _ => app.plan.as_ref().and_then(|p| p.recommended()),
    };
    let Some(opt) = opt else {
        app.info("no option to explain here");
        return;
    };
    let title = format!("How {} · {} was estimated", opt.option, opt.model);
    let lines = crate::report::estimate::lines(&app.catalog, opt);
    app.overlays.push(Overlay::Detail {
        title,
        lines,
        scroll: 0,
    });
}

pub(crate) fn open_prompt(app: &mut App, kind: PromptKind) {
    let input = match (kind, &app.file) {
        (PromptKind::SaveAs, Some(f)) => f.path.display().to_string(),
        (PromptKind::SaveAs, None) => format!("{}.ron", slug(&app.scenario.name)),
        (PromptKind::Export(fmt), _) => default_export_path(app, fmt).display().to_string(),
        (PromptKind::Open, Some(f)) => match f.path.parent() {
            Some(d) if !d.as_os_str().is_empty() => format!("{}/", d.display()),
            _ => String::new(),
        },
        (PromptKind::Open, None) => String::new(),
    };
    let cursor = input.chars().count();
    app.overlays.push(Overlay::Prompt(Prompt {
        kind,
        input,
        cursor,
        completions: Vec::new(),
    }));
}

pub(crate) fn on_completions(app: &mut App, input: String, items: Vec<String>) {
    let Some(Overlay::Prompt(p)) = app.overlays.last_mut() else {
        return;
    };
    if p.input != input {
        return;
    }
    match items.as_slice() {
        [] => p.completions = vec!["(no match)".into()],
        [one] => {
            p.input = one.clone();
            p.cursor = p.input.chars().count();
            p.completions.clear();
        }
        many => {
            let mut prefix = many[0].clone();
            for m in &many[1..] {
                while !m.starts_with(&prefix) {
                    prefix.pop();
                }
            }
            if prefix.len() > p.input.len() {
                p.input = prefix;
                p.cursor = p.input.chars().count();
            }
            p.completions = many.to_vec();
        }
    }
}
