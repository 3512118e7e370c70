//! The interactive workbench, in the Elm shape: the model, messages, effects and `update`
//! dispatch in [`app`] (handlers in `update`), the view-model both sides read in [`model`]
//! and [`chart`], drawing in [`view`] and [`panes`], and here the runtime that owns the
//! terminal, turns events into messages and carries out effects.
//!
//! The domain modules never import this one (tests/layering.rs checks it).

pub mod app;
pub mod chart;
pub mod fields;
pub mod keymap;
pub mod layout;
pub mod model;
pub mod panes;
pub mod theme;
mod update;
pub mod view;

use std::collections::VecDeque;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event, EventStream,
    MouseEventKind,
};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
use futures_util::StreamExt;

use crate::catalog::Catalog;
use crate::scenario::{self, LoadError, SaveError, Scenario};
use app::{App, Effect, FileState, Level, Msg, Purpose, SaveOutcome};
pub use theme::ThemeKind;

/// How often unsaved work is written to the recovery file.
pub const AUTOSAVE_EVERY: Duration = Duration::from_secs(2);

/// The workbench for `file` (the built-in example without one). A file that does not exist
/// yet starts from the example and is created by the first save; a file that cannot be read
/// or is invalid is an error, before the terminal is touched.
pub fn app_for(catalog: Catalog, file: Option<&Path>, theme: ThemeKind) -> Result<App, LoadError> {
    let Some(path) = file else {
        return Ok(App::new(catalog, Scenario::example(), None, theme));
    };
    match scenario::load_file(path, &catalog) {
        Ok(loaded) => Ok(App::new(
            catalog,
            loaded.scenario,
            Some(FileState {
                path: loaded.path,
                stamp: Some(loaded.stamp),
            }),
            theme,
        )),
        Err(LoadError::NotFound { .. }) => {
            let mut app = App::new(
                catalog,
                Scenario::example(),
                Some(FileState {
                    path: path.to_path_buf(),
                    stamp: None,
                }),
                theme,
            );
            app.message = Some((
                Level::Info,
                format!(
                    "new file {}: starts from the example; Ctrl-S creates it",
                    path.display()
                ),
            ));
            Ok(app)
        }
        Err(e) => Err(e),
    }
}

/// Where recovery files live: `LLMCAP_STATE_DIR`, else `$XDG_STATE_HOME/llmcap`, else
/// `~/.local/state/llmcap`.
pub fn state_dir() -> Option<PathBuf> {
    let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    var("LLMCAP_STATE_DIR")
        .or_else(|| var("XDG_STATE_HOME").map(|d| d.join("llmcap")))
        .or_else(|| var("HOME").map(|h| h.join(".local/state/llmcap")))
}

/// Set once the terminal has been given back, so the panic hook and the guard's drop (which
/// both run when a panic unwinds) restore it once: leaving the alternate screen a second time
/// would move the cursor back over the panic message.
static RESTORED: AtomicBool = AtomicBool::new(false);

/// Gives the terminal back as it was found: raw mode off, the normal screen, mouse reporting
/// and bracketed paste off, the cursor shown. Idempotent.
fn restore_terminal() {
    if RESTORED.swap(true, Ordering::SeqCst) {
        return;
    }
    let _ = crossterm::terminal::disable_raw_mode();
    let _ = crossterm::execute!(
        io::stdout(),
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

/// Restores the terminal when the workbench ends, whichever way.
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Runs the workbench until the user quits. Errors are terminal failures.
pub fn run(app: App) -> Result<(), String> {
    run_observed(app, &mut |_| {})
}

/// As [`run`], showing `observe` every message before it is handled. For tools around the
/// workbench: examples/panic_probe.rs panics from it to test that a panic inside the loop
/// still gives the terminal back.
pub fn run_observed(mut app: App, observe: &mut dyn FnMut(&Msg)) -> Result<(), String> {
    app.state_dir = state_dir();
    app.cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the event loop: {e}"))?;
    // The hook gives the terminal back before the panic message is printed, so the message
    // lands on the normal screen and stays readable.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous(info);
    }));
    RESTORED.store(false, Ordering::SeqCst);
    let _guard = TerminalGuard;
    crossterm::terminal::enable_raw_mode().map_err(|e| format!("cannot open the terminal: {e}"))?;
    crossterm::execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )
    .map_err(|e| format!("cannot set up the terminal: {e}"))?;
    let mut terminal = ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(io::stdout()))
        .map_err(|e| format!("cannot open the terminal: {e}"))?;
    let size = terminal
        .size()
        .map_err(|e| format!("cannot read the terminal size: {e}"))?;
    app.size = (size.width, size.height);
    rt.block_on(event_loop(&mut terminal, app, observe))
}

fn to_msg(e: Event) -> Option<Msg> {
    match e {
        Event::Key(k) => Some(Msg::Key(k)),
        // Clicks and the wheel; motion (reported because capture asks for all events) is not
        // used, and would otherwise cost a frame per cell the pointer crosses.
        Event::Mouse(m) if !matches!(m.kind, MouseEventKind::Moved | MouseEventKind::Drag(_)) => Some(Msg::Mouse(m)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        Event::Paste(text) => Some(Msg::Paste(text)),
        _ => None,
    }
}

async fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    mut app: App,
    observe: &mut dyn FnMut(&Msg),
) -> Result<(), String> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + AUTOSAVE_EVERY, AUTOSAVE_EVERY);
    let mut term = signal(SignalKind::terminate()).map_err(|e| format!("cannot watch signals: {e}"))?;
    let mut hup = signal(SignalKind::hangup()).map_err(|e| format!("cannot watch signals: {e}"))?;
    let draw = |terminal: &mut ratatui::DefaultTerminal, app: &App| {
        terminal
            .draw(|f| view::view(app, f))
            .map(|_| ())
            .map_err(|e| format!("cannot draw: {e}"))
    };

    let mut queue: VecDeque<Msg> = check_recovery(&app).into_iter().collect();
    // Draw only when something may have changed: not for pointer motion, nor for a timer
    // tick that had nothing to save.
    let mut changed = true;
    loop {
        while let Some(msg) = queue.pop_front() {
            observe(&msg);
            let tick = matches!(msg, Msg::Tick);
            let effects = dispatch(&mut app, msg);
            changed |= !tick || !effects.is_empty();
        }
        if app.quit {
            return Ok(());
        }
        if changed {
            draw(terminal, &app)?;
            changed = false;
        }
        let first = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(e)) => to_msg(e),
                Some(Err(e)) => return Err(format!("cannot read the terminal: {e}")),
                None => return Ok(()),
            },
            _ = tick.tick() => Some(Msg::Tick),
            _ = term.recv() => Some(Msg::Terminate),
            _ = hup.recv() => Some(Msg::Terminate),
        };
        queue.extend(first);
        // Take everything already waiting before drawing again: a burst of keys or a
        // resize storm costs one frame.
        // (A zero timeout, not `now_or_never`: the stream must keep this task's waker, or
        // an event arriving later would sit unseen until the next one.)
        while let Ok(Some(Ok(e))) = tokio::time::timeout(Duration::ZERO, events.next()).await {
            queue.extend(to_msg(e));
        }
    }
}

/// Handles one message and carries out its effects, and theirs, before the next message: a
/// save's outcome must be known before the key typed after Ctrl-S is read. Returns the
/// effects carried out.
pub fn dispatch(app: &mut App, msg: Msg) -> Vec<Effect> {
    let mut done = Vec::new();
    let mut pending = VecDeque::from([msg]);
    while let Some(m) = pending.pop_front() {
        for effect in app::update(app, m) {
            done.push(effect.clone());
            pending.extend(run_effect(app, effect));
        }
    }
    done
}

/// A recovery file for the app's scenario, if an earlier session left one.
fn check_recovery(app: &App) -> Option<Msg> {
    let path = app.recovery_path()?;
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
        Err(e) => {
            return Some(Msg::Notice(
                Level::Error,
                format!("recovery file {} cannot be read (kept): {e}", path.display()),
            ));
        }
    };
    match scenario::parse_str(&text, &path.display().to_string()) {
        Ok(s) => Some(Msg::RecoveryFound {
            recovery: path,
            scenario: Box::new(s),
        }),
        Err(e) => Some(Msg::Notice(
            Level::Error,
            format!("recovery file is unreadable (kept): {e}"),
        )),
    }
}

fn outcome(r: Result<scenario::FileStamp, SaveError>) -> SaveOutcome {
    match r {
        Ok(stamp) => SaveOutcome::Saved(stamp),
        Err(SaveError::Changed { .. }) => SaveOutcome::Changed,
        Err(SaveError::Exists { .. }) => SaveOutcome::Exists,
        Err(e) => SaveOutcome::Failed(e.to_string()),
    }
}

/// Carries out one effect; what it learns comes back as messages.
pub fn run_effect(app: &App, effect: Effect) -> Vec<Msg> {
    match effect {
        Effect::Save {
            path,
            scenario,
            expected,
            force,
        } => {
            let result = scenario::save_file(&path, &scenario, expected.as_ref(), force);
            vec![Msg::Saved {
                path,
                scenario,
                outcome: outcome(result),
            }]
        }
        Effect::Load(path) => match scenario::load_file(&path, &app.catalog) {
            Ok(loaded) => {
                let mut out = vec![Msg::Loaded(Ok(Box::new(loaded)))];
                // The recovery file belongs to the file just opened: look once it is current.
                if let Some(dir) = &app.state_dir {
                    let recovery = app::recovery_path(dir, &app.cwd, Some(&path));
                    if recovery.exists() {
                        out.push(Msg::Notice(
                            Level::Info,
                            format!("unsaved work for this file is in {}", recovery.display()),
                        ));
                        if let Ok(text) = std::fs::read_to_string(&recovery)
                            && let Ok(s) = scenario::parse_str(&text, &recovery.display().to_string())
                        {
                            out.push(Msg::RecoveryFound {
                                recovery,
                                scenario: Box::new(s),
                            });
                        }
                    }
                }
                out
            }
            Err(e) => vec![Msg::Loaded(Err(e.to_string()))],
        },
        Effect::Write {
            path,
            bytes,
            force,
            purpose,
        } => {
            if purpose == Purpose::Recovery
                && let Some(dir) = path.parent()
                && let Err(e) = std::fs::create_dir_all(dir)
            {
                return vec![Msg::Written {
                    path: path.clone(),
                    purpose,
                    outcome: SaveOutcome::Failed(format!("{}: {e}", dir.display())),
                }];
            }
            let result = scenario::write_atomic(&path, &bytes, None, force);
            vec![Msg::Written {
                path,
                purpose,
                outcome: outcome(result),
            }]
        }
        Effect::Remove(path) => match std::fs::remove_file(&path) {
            Ok(()) => Vec::new(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(e) => vec![Msg::Notice(
                Level::Error,
                format!("cannot remove {}: {e}", path.display()),
            )],
        },
        Effect::Complete(input) => vec![Msg::Completions {
            items: complete_path(&input),
            input,
        }],
        Effect::Quit => Vec::new(),
    }
}

/// Paths that start with `input`: entries of its folder, folders with a trailing `/`.
pub fn complete_path(input: &str) -> Vec<String> {
    let (dir, prefix) = match input.rfind('/') {
        Some(i) => (&input[..=i], &input[i + 1..]),
        None => ("", input),
    };
    let read_from = if dir.is_empty() { Path::new(".") } else { Path::new(dir) };
    let Ok(entries) = std::fs::read_dir(read_from) else {
        return Vec::new();
    };
    let mut out: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if !name.starts_with(prefix) || (name.starts_with('.') && !prefix.starts_with('.')) {
                return None;
            }
            let is_dir = e.file_type().map(|t| t.is_dir()).unwrap_or(false);
            Some(format!("{dir}{name}{}", if is_dir { "/" } else { "" }))
        })
        .collect();
    out.sort();
    out.truncate(200);
    out
}
