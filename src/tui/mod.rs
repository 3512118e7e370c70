//! The interactive workbench, in the Elm shape: the model, messages, effects and `update`
//! dispatch in [`app`] (handlers in `update`), the view-model both sides read in [`model`]
//! and [`chart`], drawing in [`view`] and [`panes`], and here the runtime that owns the
//! terminal, turns events into messages and carries out effects.
//!
//! The domain modules never import this one (tests/layering.rs checks it).

pub mod app;
pub mod chart;
pub mod fields;
pub mod history;
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
pub fn app_for(
    catalog: Catalog,
    plan_date: crate::date::Date,
    file: Option<&Path>,
    theme: ThemeKind,
) -> Result<App, LoadError> {
    let Some(path) = file else {
        return Ok(App::new(catalog, plan_date, Scenario::example(), None, theme));
    };
    match scenario::load_file(path, &catalog) {
        Ok(loaded) => Ok(App::new(
            catalog,
            plan_date,
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
                plan_date,
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

/// Takes the terminal: raw mode, the alternate screen, mouse reporting, bracketed paste.
/// Also after a stop and `fg`, when the shell has put the terminal back in cooked mode
/// behind crossterm's back: raw mode is switched off and on again so it really is raw.
fn take_terminal() -> Result<(), String> {
    let _ = crossterm::terminal::disable_raw_mode();
    crossterm::terminal::enable_raw_mode().map_err(|e| format!("cannot open the terminal: {e}"))?;
    RESTORED.store(false, Ordering::SeqCst);
    crossterm::execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )
    .map_err(|e| format!("cannot set up the terminal: {e}"))
}

/// Restores the terminal when the workbench ends, whichever way.
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Runs the workbench until the user quits or a signal ends it, and returns the exit status
/// for the process: 0 when the user quit; 128 + N when signal N (SIGHUP, SIGINT, SIGQUIT,
/// SIGTERM) ended it and its unsaved work, if any, is in the recovery file; 1 when that work
/// could not be written (the reason is printed on standard error once the terminal is
/// back). Errors are terminal failures.
pub fn run(app: App) -> Result<u8, String> {
    run_observed(app, &mut |_| {})
}

/// As [`run`], showing `observe` every message before it is handled. For tools around the
/// workbench: examples/panic_probe.rs panics from it to test that a panic inside the loop
/// still gives the terminal back.
pub fn run_observed(mut app: App, observe: &mut dyn FnMut(&Msg)) -> Result<u8, String> {
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
    let ended = {
        let _guard = TerminalGuard;
        take_terminal()?;
        let mut terminal = ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(io::stdout()))
            .map_err(|e| format!("cannot open the terminal: {e}"))?;
        let size = terminal
            .size()
            .map_err(|e| format!("cannot read the terminal size: {e}"))?;
        app.size = (size.width, size.height);
        rt.block_on(event_loop(&mut terminal, app, observe))?
    };
    // The guard has given the terminal back: what follows is readable on the normal screen.
    if let Some(why) = ended.lost {
        use std::io::Write;
        let _ = writeln!(io::stderr(), "{}", crate::text::terminal_text(&why));
        return Ok(1);
    }
    Ok(ended
        .signal
        .map_or(0, |n| 128u8.saturating_add(u8::try_from(n).unwrap_or(0))))
}

/// How the event loop ended.
struct Ended {
    /// The signal that ended the session, if one did.
    signal: Option<i32>,
    /// Why unsaved work could not be kept, if it could not.
    lost: Option<String>,
}

/// Ctrl-Z or SIGTSTP: gives the terminal back, stops the process (SIGSTOP, which cannot be
/// caught, since SIGTSTP is handled here), and when the shell resumes it takes the terminal
/// again and redraws everything.
fn suspend(terminal: &mut ratatui::DefaultTerminal) -> Result<Msg, String> {
    restore_terminal();
    signal_hook::low_level::raise(signal_hook::consts::SIGSTOP).map_err(|e| format!("cannot suspend: {e}"))?;
    resume(terminal)
}

/// After SIGCONT: the terminal as the workbench needs it, and a full redraw next (the
/// screen holds whatever the shell printed meanwhile). Returns the size, which may have
/// changed while the process was stopped.
fn resume(terminal: &mut ratatui::DefaultTerminal) -> Result<Msg, String> {
    take_terminal()?;
    let size = terminal
        .size()
        .map_err(|e| format!("cannot read the terminal size: {e}"))?;
    // `resize` clears the screen and forgets the last frame, so the next one is drawn
    // whole. (Not `clear`, which asks the terminal where its cursor is and, with the event
    // stream reading the answer, waits in vain.)
    terminal
        .resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
        .map_err(|e| format!("cannot draw: {e}"))?;
    Ok(Msg::Resize(size.width, size.height))
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
) -> Result<Ended, String> {
    use tokio::signal::unix::{SignalKind, signal};
    let watch = |kind: SignalKind| signal(kind).map_err(|e| format!("cannot watch signals: {e}"));
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + AUTOSAVE_EVERY, AUTOSAVE_EVERY);
    // Signals that end the session: the work is kept, the terminal given back, and the
    // exit status is 128 + the signal.
    let mut term = watch(SignalKind::terminate())?;
    let mut hup = watch(SignalKind::hangup())?;
    let mut int = watch(SignalKind::interrupt())?;
    let mut quit = watch(SignalKind::quit())?;
    // Signals whose default is to end the process without a word: watched only to be
    // ignored, so they cannot leave the terminal raw.
    let mut usr1 = watch(SignalKind::user_defined1())?;
    let mut usr2 = watch(SignalKind::user_defined2())?;
    let mut alrm = watch(SignalKind::alarm())?;
    // Job control.
    let mut tstp = watch(SignalKind::from_raw(libc::SIGTSTP))?;
    let mut cont = watch(SignalKind::from_raw(libc::SIGCONT))?;
    let draw = |terminal: &mut ratatui::DefaultTerminal, app: &App| {
        terminal
            .draw(|f| view::view(app, f))
            .map(|_| ())
            .map_err(|e| format!("cannot draw: {e}"))
    };

    let mut queue: VecDeque<Msg> = check_recovery(&app).into();
    let mut ended_by = None;
    // Draw only when something may have changed: not for pointer motion, nor for a timer
    // tick that had nothing to save.
    let mut changed = true;
    loop {
        while let Some(msg) = queue.pop_front() {
            observe(&msg);
            let tick = matches!(msg, Msg::Tick);
            let effects = dispatch(&mut app, msg);
            if effects.contains(&Effect::Suspend) {
                queue.push_back(suspend(terminal)?);
                changed = true;
            }
            changed |= !tick || !effects.is_empty();
        }
        if app.quit {
            return Ok(Ended {
                signal: ended_by,
                lost: app.lost.take(),
            });
        }
        if changed {
            draw(terminal, &app)?;
            changed = false;
        }
        let first = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(e)) => to_msg(e),
                Some(Err(e)) => return Err(format!("cannot read the terminal: {e}")),
                None => return Ok(Ended { signal: None, lost: None }),
            },
            _ = tick.tick() => {
                // The recovery file written earlier was removed behind this session's back:
                // write it again rather than trust it is there.
                if app.autosaved.is_some()
                    && let Some(p) = app.recovery_path()
                    && std::fs::symlink_metadata(&p).is_err_and(|e| e.kind() == io::ErrorKind::NotFound)
                {
                    queue.push_back(Msg::RecoveryGone);
                }
                Some(Msg::Tick)
            }
            _ = term.recv() => { ended_by = Some(libc::SIGTERM); Some(Msg::Terminate) }
            _ = hup.recv() => { ended_by = Some(libc::SIGHUP); Some(Msg::Terminate) }
            _ = int.recv() => { ended_by = Some(libc::SIGINT); Some(Msg::Terminate) }
            _ = quit.recv() => { ended_by = Some(libc::SIGQUIT); Some(Msg::Terminate) }
            _ = usr1.recv() => None,
            _ = usr2.recv() => None,
            _ = alrm.recv() => None,
            _ = tstp.recv() => Some(suspend(terminal)?),
            // Also after a SIGSTOP from outside, which nothing could catch.
            _ = cont.recv() => Some(resume(terminal)?),
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

/// Recovery files earlier sessions left for the app's scenario.
fn check_recovery(app: &App) -> Vec<Msg> {
    match &app.state_dir {
        Some(dir) => recovery_msgs(dir, &app.cwd, app.file.as_ref().map(|f| f.path.as_path())),
        None => Vec::new(),
    }
}

/// Every recovery file in `state_dir` for `file` (any session's), as messages for `update`:
/// a [`Msg::RecoveryFound`] for each one that reads as a scenario, offered newest first (the
/// newest is sent last, so its question is on top), and a [`Msg::Notice`] for each one that
/// cannot be read: a FIFO, a device, a file too large or not a scenario is reported and left
/// as it is, never waited on. No session writes another session's recovery file, so one
/// reported "(kept)" stays as it is.
pub fn recovery_msgs(state_dir: &Path, cwd: &Path, file: Option<&Path>) -> Vec<Msg> {
    let key = app::recovery_key(cwd, file);
    let folder = state_dir.join("recovery");
    let entries = match std::fs::read_dir(&folder) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => {
            return vec![Msg::Notice(
                Level::Error,
                format!("recovery folder {} cannot be read: {e}", folder.display()),
            )];
        }
    };
    let mut found: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .filter(|e| app::is_recovery_for(&e.file_name().to_string_lossy(), &key))
        .map(|e| {
            // The link's own time for a symlink: nothing is opened here.
            let when = e.metadata().and_then(|m| m.modified()).unwrap_or(std::time::UNIX_EPOCH);
            (when, e.path())
        })
        .collect();
    // Oldest first, so the newest question ends up on top.
    found.sort();
    let mut unreadable = Vec::new();
    let mut offers = Vec::new();
    for (_, path) in found {
        let shown = path.display().to_string();
        // The folder is known (README, state_dir): the name is what tells them apart, and
        // keeps the message within the status line.
        let name = path
            .file_name()
            .map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned());
        let text = match crate::fsio::read_limited(&path, crate::fsio::MAX_INPUT_BYTES) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|_| "is not UTF-8 text".to_string()),
            Err(crate::fsio::ReadError::NotFound) => continue,
            Err(e) => Err(e.to_string()),
        };
        match text.and_then(|t| scenario::parse_str(&t, &shown).map_err(|e| e.to_string())) {
            Ok(s) => offers.push(Msg::RecoveryFound {
                recovery: path,
                scenario: Box::new(s),
            }),
            Err(e) => unreadable.push(format!("{name}: {e}")),
        }
    }
    let mut out = match unreadable.len() {
        0 => Vec::new(),
        1 => vec![Msg::Notice(
            Level::Error,
            format!("recovery file cannot be read (kept): {}", unreadable.join("")),
        )],
        n => vec![Msg::Notice(
            Level::Error,
            format!("{n} recovery files cannot be read (kept): {}", unreadable.join("; ")),
        )],
    };
    out.extend(offers);
    out
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
                // The recovery files belong to the file just opened: look once it is current.
                if let Some(dir) = &app.state_dir {
                    out.extend(recovery_msgs(dir, &app.cwd, Some(&path)));
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
        // Carried out by the event loop, which owns the terminal.
        Effect::Suspend | Effect::Quit => Vec::new(),
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
