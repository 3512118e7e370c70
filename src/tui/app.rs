//! The workbench's state and its `update`: the single source of truth, changed only by
//! messages, answering with effects for the runtime to carry out. No I/O here; the plan is
//! recomputed right here after each edit because it takes about a millisecond.

use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::fields::{self, FIELDS, FieldId, Kind};
use super::keymap::{Action, action_for};
use super::layout::{self, PANES, Pane};
use super::theme::ThemeKind;
use crate::catalog::Catalog;
use crate::engine::evaluate::evaluate;
use crate::engine::plan::{OptionResult, Plan};
pub use crate::report::export::ExportFormat;
use crate::scenario::{FileStamp, LoadedScenario, Scenario};

/// Most edits kept for undo.
const UNDO_DEPTH: usize = 500;

/// The file the scenario belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct FileState {
    pub path: PathBuf,
    /// What the file held when read or last saved; `None` for a file not yet on disk.
    pub stamp: Option<FileStamp>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Editing {
    pub field: FieldId,
    pub input: String,
    /// Cursor position, in characters.
    pub cursor: usize,
    /// Why the input cannot be committed as it stands.
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    Normal,
    Editing(Editing),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Open,
    SaveAs,
    Export(ExportFormat),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: String,
    pub cursor: usize,
    /// Paths the last Tab offered when it could not choose one.
    pub completions: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerFor {
    Field(FieldId),
    Export,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Picker {
    pub target: PickerFor,
    pub items: Vec<fields::Choice>,
    /// Index into `visible()`.
    pub sel: usize,
    pub multi: bool,
    /// Typed letters narrow the list.
    pub filter: String,
}

impl Picker {
    /// Indices of the items that match the filter.
    pub fn visible(&self) -> Vec<usize> {
        let f = self.filter.to_lowercase();
        self.items
            .iter()
            .enumerate()
            .filter(|(_, c)| f.is_empty() || c.label.to_lowercase().contains(&f) || c.note.to_lowercase().contains(&f))
            .map(|(i, _)| i)
            .collect()
    }
}

/// What a confirmation is about; each kind has its own answers (see `confirm_keys`).
#[derive(Debug, Clone, PartialEq)]
pub enum Confirm {
    /// Quit with unsaved changes: save, discard or stay.
    QuitUnsaved,
    /// Open another file with unsaved changes: discard or stay.
    OpenUnsaved(PathBuf),
    /// The file changed on disk since it was read: overwrite or not.
    SaveChanged(PathBuf),
    /// Save as over an existing file.
    SaveExists(PathBuf),
    /// Export over an existing file.
    ExportExists { path: PathBuf, format: ExportFormat },
    /// Unsaved work from an earlier session was found.
    Recover { recovery: PathBuf, scenario: Box<Scenario> },
}

impl Confirm {
    pub fn title(&self) -> &'static str {
        match self {
            Confirm::QuitUnsaved => "Quit",
            Confirm::OpenUnsaved(_) => "Open",
            Confirm::SaveChanged(_) | Confirm::SaveExists(_) => "Save",
            Confirm::ExportExists { .. } => "Export",
            Confirm::Recover { .. } => "Recover unsaved work",
        }
    }

    pub fn text(&self) -> String {
        match self {
            Confirm::QuitUnsaved => "There are unsaved changes.".into(),
            Confirm::OpenUnsaved(p) => format!("There are unsaved changes. Discard them and open {}?", p.display()),
            Confirm::SaveChanged(p) => format!(
                "{} changed on disk since it was opened. Overwrite it with this scenario?",
                p.display()
            ),
            Confirm::SaveExists(p) | Confirm::ExportExists { path: p, .. } => {
                format!("{} already exists. Overwrite it?", p.display())
            }
            Confirm::Recover { recovery, .. } => format!(
                "An earlier session ended with unsaved changes to this scenario; they were kept in {}.",
                recovery.display()
            ),
        }
    }

    /// The answers: key and what it does.
    pub fn answers(&self) -> &'static [(char, &'static str)] {
        match self {
            Confirm::QuitUnsaved => &[('s', "save and quit"), ('d', "discard and quit"), ('n', "stay")],
            Confirm::Recover { .. } => &[('r', "recover them"), ('d', "discard them"), ('n', "decide later")],
            _ => &[('y', "yes"), ('n', "no")],
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Help {
        scroll: u16,
    },
    Confirm(Confirm),
    Prompt(Prompt),
    Picker(Picker),
    /// How a figure was estimated.
    Detail {
        title: String,
        lines: Vec<String>,
        scroll: u16,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

/// The scenario and plan pinned with `b`.
#[derive(Debug, Clone)]
pub struct Baseline {
    pub scenario: Scenario,
    pub plan: Plan,
}

/// What to do once a save succeeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterSave {
    Nothing,
    Quit,
}

/// Why a save did not happen, as the runtime reports it.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveOutcome {
    Saved(FileStamp),
    Changed,
    Exists,
    Failed(String),
}

/// What a write was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Export(ExportFormat),
    Recovery,
}

#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    /// Text pasted into the terminal (bracketed paste): typed into whatever takes text.
    Paste(String),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// The autosave timer.
    Tick,
    Saved {
        path: PathBuf,
        scenario: Box<Scenario>,
        outcome: SaveOutcome,
    },
    Loaded(Result<Box<LoadedScenario>, String>),
    Written {
        path: PathBuf,
        purpose: Purpose,
        outcome: SaveOutcome,
    },
    Completions {
        input: String,
        items: Vec<String>,
    },
    /// A recovery file for the current scenario, found by the runtime.
    RecoveryFound {
        recovery: PathBuf,
        scenario: Box<Scenario>,
    },
    /// A message from the runtime (a failed removal, a signal).
    Notice(Level, String),
    /// SIGTERM or SIGHUP: keep the work in the recovery file and leave.
    Terminate,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Save {
        path: PathBuf,
        scenario: Box<Scenario>,
        expected: Option<FileStamp>,
        force: bool,
    },
    Load(PathBuf),
    Write {
        path: PathBuf,
        bytes: Vec<u8>,
        force: bool,
        purpose: Purpose,
    },
    Remove(PathBuf),
    Complete(String),
    Quit,
}

/// The whole state of the workbench.
#[derive(Debug)]
pub struct App {
    pub catalog: Catalog,
    /// The committed scenario.
    pub scenario: Scenario,
    /// What the file holds (or, untitled, the example it started from): dirty when different.
    pub saved: Scenario,
    pub file: Option<FileState>,
    /// The plan on screen: for the scenario, or the last one that had a feasible option.
    pub plan: Option<Plan>,
    /// The plan of the scenario as it stands when that has no feasible option.
    pub current: Option<Plan>,
    /// Why the plan on screen is not the scenario's (invalid input, nothing feasible).
    pub stale: Option<String>,
    /// The cost-against-volume chart of the plan on screen.
    pub chart: Option<super::chart::VolumeChart>,
    pub baseline: Option<Baseline>,
    pub focus: Pane,
    /// Selected row of the Scenario pane, an index into `FIELDS`.
    pub field: usize,
    /// Selected row of the Options pane.
    pub option: usize,
    /// Scroll of the text panes, by pane index.
    pub scroll: [u16; 5],
    pub mode: Mode,
    pub overlays: Vec<Overlay>,
    pub undo: Vec<Scenario>,
    pub redo: Vec<Scenario>,
    pub message: Option<(Level, String)>,
    pub theme: ThemeKind,
    pub size: (u16, u16),
    pub after_save: AfterSave,
    /// Where unsaved work is kept; `None` when there is no place for it.
    pub state_dir: Option<PathBuf>,
    /// The working directory, to name recovery files by absolute path without I/O.
    pub cwd: PathBuf,
    /// The scenario last written to the recovery file.
    pub autosaved: Option<Scenario>,
    /// An earlier session's recovery file the user chose to decide on later: autosave
    /// pauses rather than overwrite it, and nothing removes it.
    pub recovery_kept: bool,
    pub quit: bool,
}

impl App {
    pub fn new(catalog: Catalog, scenario: Scenario, file: Option<FileState>, theme: ThemeKind) -> App {
        let mut app = App {
            catalog,
            saved: scenario.clone(),
            scenario,
            file,
            plan: None,
            current: None,
            stale: None,
            chart: None,
            baseline: None,
            focus: Pane::Scenario,
            field: fields::index_of(FieldId::RequestsPerDay),
            option: 0,
            scroll: [0; 5],
            mode: Mode::Normal,
            overlays: Vec::new(),
            undo: Vec::new(),
            redo: Vec::new(),
            message: None,
            theme,
            size: (120, 40),
            after_save: AfterSave::Nothing,
            state_dir: None,
            cwd: PathBuf::from("."),
            autosaved: None,
            recovery_kept: false,
            quit: false,
        };
        let s = app.scenario.clone();
        app.recompute(&s);
        app
    }

    pub fn dirty(&self) -> bool {
        self.scenario != self.saved || self.file.as_ref().is_some_and(|f| f.stamp.is_none())
    }

    /// The plan the Options pane lists: the scenario's own, even when nothing is feasible.
    pub fn options_plan(&self) -> Option<&Plan> {
        self.current.as_ref().or(self.plan.as_ref())
    }

    pub fn selected_field(&self) -> FieldId {
        FIELDS.get(self.field).map(|f| f.id).unwrap_or(FieldId::Name)
    }

    fn info(&mut self, text: impl Into<String>) {
        self.message = Some((Level::Info, text.into()));
    }

    fn error(&mut self, text: impl Into<String>) {
        self.message = Some((Level::Error, text.into()));
    }

    /// Evaluates `s` and puts the result on screen, or keeps the last good plan marked stale.
    fn recompute(&mut self, s: &Scenario) {
        match evaluate(s, &self.catalog) {
            Ok(p) if p.recommendation.is_some() => {
                self.chart = Some(super::chart::volume_chart(s, &p));
                self.plan = Some(p);
                self.current = None;
                self.stale = None;
            }
            Ok(p) => {
                let why = p
                    .infeasible_summary
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "every option breaks a constraint".into());
                self.stale = Some(format!("no feasible option: {why}"));
                if self.plan.is_none() {
                    self.chart = Some(super::chart::volume_chart(s, &p));
                    self.plan = Some(p.clone());
                }
                self.current = Some(p);
            }
            Err(e) => {
                self.stale = Some(format!("cannot evaluate: {e}"));
                self.current = None;
            }
        }
        let n = self.options_plan().map_or(0, |p| p.options.len());
        self.option = self.option.min(n.saturating_sub(1));
    }

    /// Makes `next` the committed scenario, with undo, and recomputes.
    fn commit(&mut self, next: Scenario) {
        if next == self.scenario {
            return;
        }
        let prev = std::mem::replace(&mut self.scenario, next);
        self.undo.push(prev);
        if self.undo.len() > UNDO_DEPTH {
            self.undo.remove(0);
        }
        self.redo.clear();
        let s = self.scenario.clone();
        self.recompute(&s);
    }

    /// Path of the recovery file for the current file (or the untitled scenario).
    pub fn recovery_path(&self) -> Option<PathBuf> {
        let dir = self.state_dir.as_ref()?;
        Some(recovery_path(
            dir,
            &self.cwd,
            self.file.as_ref().map(|f| f.path.as_path()),
        ))
    }

    fn layout(&self) -> layout::Areas {
        layout::areas(Rect::new(0, 0, self.size.0, self.size.1), self.focus)
    }
}

/// The recovery file for a scenario file: named after the file, plus a hash of its absolute
/// path so two `plan.ron` in different folders do not share one.
pub fn recovery_path(state_dir: &Path, cwd: &Path, file: Option<&Path>) -> PathBuf {
    let name = match file {
        None => "untitled.recovery.ron".to_string(),
        Some(p) => {
            let abs = if p.is_absolute() { p.to_path_buf() } else { cwd.join(p) };
            let stem: String = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                        c
                    } else {
                        '_'
                    }
                })
                .take(60)
                .collect();
            let hash = FileStamp::of_bytes(abs.to_string_lossy().as_bytes()).hash();
            format!("{stem}-{:012x}.recovery.ron", hash >> 16)
        }
    };
    state_dir.join("recovery").join(name)
}

/// The recovery file's text: the scenario, with a header saying what it is.
pub fn recovery_text(app: &App) -> Option<Vec<u8>> {
    let body = crate::scenario::to_ron_string(&app.scenario).ok()?;
    let of = match &app.file {
        Some(f) => f.path.display().to_string(),
        None => "the untitled scenario".to_string(),
    };
    Some(format!("// llmcap recovery file: unsaved changes to {of}\n{body}").into_bytes())
}

fn char_index(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i)
}

/// Line editing shared by the field editor and the prompts. Returns true if the key was a
/// line-editing key.
fn edit_line(input: &mut String, cursor: &mut usize, key: &KeyEvent) -> bool {
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

/// The one entry point that changes the state.
pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => {
            // Key releases and repeats reported by some terminals are not presses.
            if key.kind != KeyEventKind::Press {
                return Vec::new();
            }
            on_key(app, key)
        }
        Msg::Paste(text) => {
            on_paste(app, &text);
            Vec::new()
        }
        Msg::Mouse(m) => {
            on_mouse(app, m);
            Vec::new()
        }
        Msg::Resize(w, h) => {
            app.size = (w, h);
            Vec::new()
        }
        Msg::Tick => autosave(app),
        Msg::Saved {
            path,
            scenario,
            outcome,
        } => on_saved(app, path, *scenario, outcome),
        Msg::Loaded(result) => on_loaded(app, result),
        Msg::Written { path, purpose, outcome } => on_written(app, path, purpose, outcome),
        Msg::Completions { input, items } => {
            on_completions(app, input, items);
            Vec::new()
        }
        Msg::RecoveryFound { recovery, scenario } => {
            let issues = crate::scenario::validate_with_catalog(&scenario, &app.catalog);
            if let Some(first) = issues.first() {
                // Offering it would commit a scenario the validator refuses.
                app.error(format!(
                    "recovery file {} is not valid (kept): {first}",
                    recovery.display()
                ));
                return Vec::new();
            }
            if *scenario == app.scenario {
                // Nothing was lost: the file already holds it.
                return vec![Effect::Remove(recovery)];
            }
            app.overlays
                .push(Overlay::Confirm(Confirm::Recover { recovery, scenario }));
            Vec::new()
        }
        Msg::Notice(level, text) => {
            app.message = Some((level, text));
            Vec::new()
        }
        Msg::Terminate => {
            let mut fx = Vec::new();
            if app.dirty()
                && !app.recovery_kept
                && let (Some(path), Some(bytes)) = (app.recovery_path(), recovery_text(app))
            {
                fx.push(Effect::Write {
                    path,
                    bytes,
                    force: true,
                    purpose: Purpose::Recovery,
                });
            }
            app.quit = true;
            fx.push(Effect::Quit);
            fx
        }
    }
}

fn autosave(app: &mut App) -> Vec<Effect> {
    let Some(path) = app.recovery_path() else {
        return Vec::new();
    };
    if app.recovery_kept {
        return Vec::new();
    }
    if app.dirty() {
        if app.autosaved.as_ref() == Some(&app.scenario) {
            return Vec::new();
        }
        let Some(bytes) = recovery_text(app) else {
            return Vec::new();
        };
        app.autosaved = Some(app.scenario.clone());
        vec![Effect::Write {
            path,
            bytes,
            force: true,
            purpose: Purpose::Recovery,
        }]
    } else if app.autosaved.take().is_some() {
        // Back to what is on disk (saved, or undone): the recovery file has nothing to add.
        vec![Effect::Remove(path)]
    } else {
        Vec::new()
    }
}

fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
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
    let Some(prev) = from.pop() else {
        app.info(if back { "nothing to undo" } else { "nothing to redo" });
        return;
    };
    to.push(std::mem::replace(&mut app.scenario, prev));
    let left = from.len();
    let s = app.scenario.clone();
    app.recompute(&s);
    app.info(format!("{} ({left} more)", if back { "undone" } else { "redone" }));
}

fn request_quit(app: &mut App) -> Vec<Effect> {
    if app.dirty() {
        app.overlays.push(Overlay::Confirm(Confirm::QuitUnsaved));
        Vec::new()
    } else {
        quit_now(app)
    }
}

fn quit_now(app: &mut App) -> Vec<Effect> {
    app.quit = true;
    let mut fx = Vec::new();
    // Leaving on purpose: whatever the recovery file held was saved or discarded.
    if app.autosaved.take().is_some()
        && let Some(p) = app.recovery_path()
    {
        fx.push(Effect::Remove(p));
    }
    fx.push(Effect::Quit);
    fx
}

/// Moves the selection (Scenario, Options) or scrolls (the other panes).
fn move_by(app: &mut App, delta: i64) {
    let clamp = |cur: usize, len: usize| -> usize {
        let next = cur as i64 + delta;
        next.clamp(0, len.saturating_sub(1) as i64) as usize
    };
    match app.focus {
        Pane::Scenario => app.field = clamp(app.field, FIELDS.len()),
        Pane::Options => {
            let n = app.options_plan().map_or(0, |p| p.options.len());
            app.option = clamp(app.option, n);
        }
        p => {
            let i = p.index();
            let max = i64::from(super::model::max_scroll(app, p));
            app.scroll[i] = (i64::from(app.scroll[i]) + delta).clamp(0, max) as u16;
        }
    }
}

fn start_edit(app: &mut App) {
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

fn on_editing_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
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
            if !edit_line(&mut e.input, &mut e.cursor, &key) {
                app.mode = Mode::Editing(e);
                return Vec::new();
            }
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
fn on_paste(app: &mut App, text: &str) {
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
        insert(&mut e.input, &mut e.cursor);
        preview(app, e);
    }
}

fn open_prompt(app: &mut App, kind: PromptKind) {
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

/// A file name from a scenario name: `Customer-support chatbot` -> `customer-support-chatbot`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').chars().take(60).collect::<String>();
    if out.is_empty() { "scenario".into() } else { out }
}

/// Where `llmcap export` would write: next to the scenario as `<stem>.summary.<ext>`; an
/// untitled scenario's summary is named after it, in the working folder.
pub fn default_export_path(app: &App, fmt: ExportFormat) -> PathBuf {
    match &app.file {
        Some(f) => crate::report::export::default_path(&f.path, fmt),
        None => PathBuf::from(format!("{}.summary.{}", slug(&app.scenario.name), fmt.extension())),
    }
}

fn save(app: &mut App) -> Vec<Effect> {
    match &app.file {
        Some(f) => vec![Effect::Save {
            path: f.path.clone(),
            scenario: Box::new(app.scenario.clone()),
            expected: f.stamp.clone(),
            force: false,
        }],
        None => {
            open_prompt(app, PromptKind::SaveAs);
            Vec::new()
        }
    }
}

fn on_saved(app: &mut App, path: PathBuf, scenario: Scenario, outcome: SaveOutcome) -> Vec<Effect> {
    match outcome {
        SaveOutcome::Saved(stamp) => {
            let old_recovery = app.recovery_path();
            app.file = Some(FileState {
                path: path.clone(),
                stamp: Some(stamp),
            });
            app.saved = scenario;
            app.info(format!("saved {}", path.display()));
            let mut fx = Vec::new();
            if app.autosaved.take().is_some()
                && let Some(p) = old_recovery
            {
                fx.push(Effect::Remove(p));
            }
            if app.after_save == AfterSave::Quit {
                app.after_save = AfterSave::Nothing;
                if !app.dirty() {
                    fx.extend(quit_now(app));
                }
            }
            fx
        }
        SaveOutcome::Changed => {
            app.overlays.push(Overlay::Confirm(Confirm::SaveChanged(path)));
            Vec::new()
        }
        SaveOutcome::Exists => {
            app.overlays.push(Overlay::Confirm(Confirm::SaveExists(path)));
            Vec::new()
        }
        SaveOutcome::Failed(why) => {
            app.after_save = AfterSave::Nothing;
            app.error(why);
            Vec::new()
        }
    }
}

fn on_loaded(app: &mut App, result: Result<Box<LoadedScenario>, String>) -> Vec<Effect> {
    match result {
        Ok(loaded) => {
            let loaded = *loaded;
            app.scenario = loaded.scenario.clone();
            app.saved = loaded.scenario;
            app.file = Some(FileState {
                path: loaded.path.clone(),
                stamp: Some(loaded.stamp),
            });
            app.undo.clear();
            app.redo.clear();
            app.autosaved = None;
            app.recovery_kept = false;
            app.mode = Mode::Normal;
            app.plan = None;
            let s = app.scenario.clone();
            app.recompute(&s);
            app.info(format!("opened {}", loaded.path.display()));
        }
        Err(why) => app.error(why),
    }
    Vec::new()
}

fn on_written(app: &mut App, path: PathBuf, purpose: Purpose, outcome: SaveOutcome) -> Vec<Effect> {
    match (purpose, outcome) {
        (Purpose::Export(_), SaveOutcome::Saved(_)) => app.info(format!("exported {}", path.display())),
        (Purpose::Export(format), SaveOutcome::Exists) => {
            app.overlays
                .push(Overlay::Confirm(Confirm::ExportExists { path, format }));
        }
        (Purpose::Export(_), SaveOutcome::Changed) => app.error(format!("{}: not exported", path.display())),
        (Purpose::Export(_), SaveOutcome::Failed(why)) => app.error(why),
        (Purpose::Recovery, SaveOutcome::Saved(_)) => {}
        (Purpose::Recovery, SaveOutcome::Failed(why)) => {
            app.autosaved = None;
            app.error(format!("autosave failed: {why}"));
        }
        (Purpose::Recovery, _) => {}
    }
    Vec::new()
}

fn on_completions(app: &mut App, input: String, items: Vec<String>) {
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

fn export_bytes(app: &App, format: ExportFormat) -> Result<Vec<u8>, String> {
    let plan = evaluate(&app.scenario, &app.catalog).map_err(|e| format!("not exported: cannot evaluate: {e}"))?;
    let text = format
        .render(&app.scenario, &plan)
        .map_err(|e| format!("not exported: {e}"))?;
    Ok(text.into_bytes())
}

fn same_file(app: &App, a: &Path, b: &Path) -> bool {
    let abs = |p: &Path| {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            app.cwd.join(p)
        }
    };
    abs(a) == abs(b)
}

fn on_overlay_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
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
                    scroll: (scroll + 1).min(super::model::help_lines().len() as u16),
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
            app.autosaved = Some(app.scenario.clone());
            app.info(format!("recovered unsaved work from {}", recovery.display()));
            Vec::new()
        }
        (Confirm::Recover { recovery, .. }, 'd') => {
            app.info("discarded the recovered work");
            vec![Effect::Remove(recovery)]
        }
        (Confirm::Recover { recovery, .. }, _) => {
            app.recovery_kept = true;
            app.info(format!(
                "kept {}; autosave is paused so it is not overwritten (open the file again to decide)",
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
        KeyCode::Up => p.sel = p.sel.saturating_sub(1),
        KeyCode::Down => p.sel = (p.sel + 1).min(n.saturating_sub(1)),
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
fn show_details(app: &mut App) {
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

fn on_mouse(app: &mut App, m: MouseEvent) {
    if !app.overlays.is_empty() || matches!(app.mode, Mode::Editing(_)) {
        return;
    }
    let at = Position::new(m.column, m.row);
    let areas = app.layout();
    if let Some(tabs) = areas.tabs
        && tabs.contains(at)
        && let MouseEventKind::Down(MouseButton::Left) = m.kind
    {
        if let Some(p) = super::model::tabs::tab_at(tabs, m.column) {
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
                    if let Some(i) = super::model::scenario::field_at(app, usize::from(inner.height), row) {
                        app.field = i;
                    }
                }
                Pane::Options => {
                    if let Some(i) = super::model::options::option_at(app, inner.height, row) {
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

/// The option a baseline held under the same key, for deltas.
pub fn baseline_option<'a>(app: &'a App, o: &OptionResult) -> Option<&'a OptionResult> {
    app.baseline
        .as_ref()?
        .plan
        .options
        .iter()
        .find(|b| b.option == o.option && b.model == o.model)
}
