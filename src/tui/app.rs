//! The workbench's model and its `update`: [`App`], the single source of truth, the
//! messages ([`Msg`]) that change it and the effects ([`Effect`]) it asks the runtime to carry
//! out. [`update`] only dispatches; the handlers are in `super::update`. No I/O here; the plan
//! is recomputed right here after each edit because it takes about a millisecond.

use std::path::PathBuf;

use crossterm::event::{KeyEvent, KeyEventKind, MouseEvent};
use ratatui::layout::Rect;

use super::chart::{VolumeChart, volume_chart};
use super::fields::{self, FIELDS, FieldId};
use super::layout::{self, Pane};
use super::model;
use super::theme::ThemeKind;
use super::update::{editing, files, keys, mouse, overlays};
use crate::catalog::Catalog;
use crate::date::Date;
use crate::engine::evaluate::evaluate;
use crate::engine::plan::{OptionResult, Plan};
pub use crate::report::export::ExportFormat;
use crate::scenario::{FileStamp, LoadedScenario, Scenario};

pub use super::update::files::{
    default_export_path, is_recovery_for, recovery_key, recovery_path, recovery_text, slug,
};

pub use super::history::UNDO_DEPTH;
use super::history::{self, UndoEntry};

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
    /// The value shown is the old one, as if selected: the first typed character or paste
    /// replaces it (a number field), any cursor or delete key starts editing it in place.
    pub fresh: bool,
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

/// What a confirmation is about; each kind has its own answers (see [`Confirm::answers`]).
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
    /// The session's own recovery file, written earlier, is gone (removed by hand, or by a
    /// clean-up): the next autosave writes it again.
    RecoveryGone,
    /// SIGTERM, SIGHUP, SIGINT or SIGQUIT: keep the work in the recovery file and leave.
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
    /// Ctrl-Z: give the terminal back and stop until the shell resumes the process.
    Suspend,
    Quit,
}

/// The whole state of the workbench.
#[derive(Debug)]
pub struct App {
    pub catalog: Catalog,
    /// The plan date every evaluation is made on (`--as-of`, else today).
    pub plan_date: Date,
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
    pub chart: Option<VolumeChart>,
    pub baseline: Option<Baseline>,
    pub focus: Pane,
    /// Selected row of the Scenario pane, an index into `FIELDS`: always a field the
    /// scenario shows (see `App::settle_field`).
    pub field: usize,
    /// Selected row of the Options pane.
    pub option: usize,
    /// Scroll of the text panes, by pane index.
    pub scroll: [u16; 5],
    pub mode: Mode,
    pub overlays: Vec<Overlay>,
    /// Edits to undo, newest last, at most [`UNDO_DEPTH`].
    pub undo: Vec<UndoEntry>,
    pub redo: Vec<UndoEntry>,
    pub message: Option<(Level, String)>,
    pub theme: ThemeKind,
    pub size: (u16, u16),
    pub after_save: AfterSave,
    /// Where unsaved work is kept; `None` when there is no place for it.
    pub state_dir: Option<PathBuf>,
    /// The working directory, to name recovery files by absolute path without I/O.
    pub cwd: PathBuf,
    /// This session's part of its recovery file's name (the pid and a random suffix): each
    /// session writes, and removes, only its own recovery file.
    pub session: String,
    /// The scenario last written to this session's recovery file.
    pub autosaved: Option<Scenario>,
    /// Earlier sessions' recovery files whose work was recovered into this one: removed
    /// once this session's own recovery file holds that work, or it is saved or discarded.
    /// Files the user decides on later are not here, and nothing writes or removes them.
    pub adopted: Vec<PathBuf>,
    /// A signal is ending the session.
    pub terminating: bool,
    /// Why unsaved work could not be kept when a signal ended the session.
    pub lost: Option<String>,
    pub quit: bool,
}

impl App {
    pub fn new(
        catalog: Catalog,
        plan_date: Date,
        scenario: Scenario,
        file: Option<FileState>,
        theme: ThemeKind,
    ) -> App {
        let mut app = App {
            catalog,
            plan_date,
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
            session: session_id(),
            autosaved: None,
            adopted: Vec::new(),
            terminating: false,
            lost: None,
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

    pub(crate) fn info(&mut self, text: impl Into<String>) {
        self.message = Some((Level::Info, text.into()));
    }

    pub(crate) fn error(&mut self, text: impl Into<String>) {
        self.message = Some((Level::Error, text.into()));
    }

    /// Evaluates `s` and puts the result on screen, or keeps the last good plan marked stale.
    pub(crate) fn recompute(&mut self, s: &Scenario) {
        match evaluate(s, &self.catalog, self.plan_date) {
            Ok(p) if p.recommendation.is_some() => {
                self.chart = Some(volume_chart(s, &p));
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
                    self.chart = Some(volume_chart(s, &p));
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
    pub(crate) fn commit(&mut self, next: Scenario) {
        if next == self.scenario {
            return;
        }
        let prev = std::mem::replace(&mut self.scenario, next);
        history::push(&mut self.undo, UndoEntry::new(prev, &self.scenario));
        self.redo.clear();
        self.settle_field();
        let s = self.scenario.clone();
        self.recompute(&s);
    }

    /// Moves the Scenario pane's selection off a field the scenario no longer shows (routing
    /// turned off, a leg removed, a router's kind changed) to the nearest one it does.
    pub(crate) fn settle_field(&mut self) {
        self.field = model::scenario::nearest_visible(&self.scenario, self.field);
    }

    /// Path of the recovery file for the current file (or the untitled scenario).
    pub fn recovery_path(&self) -> Option<PathBuf> {
        let dir = self.state_dir.as_ref()?;
        Some(recovery_path(
            dir,
            &self.cwd,
            self.file.as_ref().map(|f| f.path.as_path()),
            &self.session,
        ))
    }

    pub(crate) fn layout(&self) -> layout::Areas {
        layout::areas(Rect::new(0, 0, self.size.0, self.size.1), self.focus)
    }
}

/// The one entry point that changes the state.
pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => {
            // Key releases and repeats reported by some terminals are not presses.
            if key.kind != KeyEventKind::Press {
                return Vec::new();
            }
            keys::on_key(app, key)
        }
        Msg::Paste(text) => {
            editing::on_paste(app, &text);
            Vec::new()
        }
        Msg::Mouse(m) => {
            mouse::on_mouse(app, m);
            Vec::new()
        }
        Msg::Resize(w, h) => {
            app.size = (w, h);
            Vec::new()
        }
        Msg::Tick => files::autosave(app),
        Msg::Saved {
            path,
            scenario,
            outcome,
        } => files::on_saved(app, path, *scenario, outcome),
        Msg::Loaded(result) => files::on_loaded(app, result),
        Msg::Written { path, purpose, outcome } => files::on_written(app, path, purpose, outcome),
        Msg::Completions { input, items } => {
            overlays::on_completions(app, input, items);
            Vec::new()
        }
        Msg::RecoveryFound { recovery, scenario } => files::on_recovery_found(app, recovery, scenario),
        Msg::Notice(level, text) => {
            app.message = Some((level, text));
            Vec::new()
        }
        Msg::RecoveryGone => {
            app.autosaved = None;
            Vec::new()
        }
        Msg::Terminate => files::terminate(app),
    }
}

/// A name for this session, unique among the sessions on one machine: the process id and a
/// random suffix (std's per-process random hash keys), so two apps in one process differ too.
fn session_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    format!("{}-{:06x}", std::process::id(), h.finish() & 0xff_ffff)
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
