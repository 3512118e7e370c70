//! Files: saving (with its conflict checks), opening, exporting, the autosave to the
//! recovery file and what the runtime reports back about each of them.

use std::path::{Path, PathBuf};

use super::super::app::{
    AfterSave, App, Confirm, Effect, ExportFormat, FileState, Mode, Overlay, PromptKind, Purpose, SaveOutcome,
};
use super::keys::quit_now;
use super::overlays::open_prompt;
use crate::engine::evaluate::evaluate;
use crate::scenario::{FileStamp, LoadedScenario, Scenario};

/// The part of a recovery file's name that says which scenario file it belongs to: the
/// file's name plus a hash of its canonical path, so `./x.ron`, `x.ron`, `/abs/x.ron`,
/// `sub/../x.ron` and a symlink to it all have the same key, and two `plan.ron` in
/// different folders do not. A file not created yet is named by its canonical folder. (This
/// looks at the file system: `canonicalize` resolves links.)
pub fn recovery_key(cwd: &Path, file: Option<&Path>) -> String {
    let Some(p) = file else {
        return "untitled".to_string();
    };
    let canonical = canonical_path(&if p.is_absolute() { p.to_path_buf() } else { cwd.join(p) });
    let stem: String = canonical
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
    let hash = FileStamp::of_bytes(canonical.to_string_lossy().as_bytes()).hash();
    format!("{stem}-{:012x}", hash >> 16)
}

/// `abs` with links and `.`/`..` resolved: the file's own canonical path, else its folder's
/// plus its name (a file not created yet), else `abs` with `.` and `..` removed by hand.
fn canonical_path(abs: &Path) -> PathBuf {
    if let Ok(c) = std::fs::canonicalize(abs) {
        return c;
    }
    let lexical = lexical_normal(abs);
    if let (Some(dir), Some(name)) = (lexical.parent(), lexical.file_name())
        && let Ok(d) = std::fs::canonicalize(dir)
    {
        return d.join(name);
    }
    lexical
}

fn lexical_normal(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// This session's recovery file for a scenario file (or the untitled scenario):
/// `recovery/<key>.<session>.recovery.ron` under the state folder.
pub fn recovery_path(state_dir: &Path, cwd: &Path, file: Option<&Path>, session: &str) -> PathBuf {
    let key = recovery_key(cwd, file);
    state_dir.join("recovery").join(format!("{key}.{session}.recovery.ron"))
}

/// Whether `name` is a recovery file for `key`, of any session (or of a version of llmcap
/// before recovery files were per session: `<key>.recovery.ron`).
pub fn is_recovery_for(name: &str, key: &str) -> bool {
    name.strip_prefix(key)
        .and_then(|rest| rest.strip_prefix('.'))
        .is_some_and(|rest| rest.ends_with("recovery.ron") && !rest.contains('/'))
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

pub(crate) fn autosave(app: &mut App) -> Vec<Effect> {
    let Some(path) = app.recovery_path() else {
        return Vec::new();
    };
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

pub(crate) fn save(app: &mut App) -> Vec<Effect> {
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

pub(crate) fn on_saved(app: &mut App, path: PathBuf, scenario: Scenario, outcome: SaveOutcome) -> Vec<Effect> {
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
            // Work recovered from earlier sessions is in the file now.
            fx.extend(app.adopted.drain(..).map(Effect::Remove));
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

pub(crate) fn on_loaded(app: &mut App, result: Result<Box<LoadedScenario>, String>) -> Vec<Effect> {
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
            app.adopted.clear();
            app.mode = Mode::Normal;
            app.settle_field();
            app.plan = None;
            let s = app.scenario.clone();
            app.recompute(&s);
            // A pinned baseline is kept (pin A, open B: the panes compare them), and said.
            match &app.baseline {
                Some(b) => app.info(format!(
                    "opened {}; deltas are against the baseline \"{}\" (B clears it)",
                    loaded.path.display(),
                    b.scenario.name
                )),
                None => app.info(format!("opened {}", loaded.path.display())),
            }
        }
        Err(why) => app.error(why),
    }
    Vec::new()
}

pub(crate) fn on_written(app: &mut App, path: PathBuf, purpose: Purpose, outcome: SaveOutcome) -> Vec<Effect> {
    match (purpose, outcome) {
        (Purpose::Export(_), SaveOutcome::Saved(_)) => app.info(format!("exported {}", path.display())),
        (Purpose::Export(format), SaveOutcome::Exists) => {
            app.overlays
                .push(Overlay::Confirm(Confirm::ExportExists { path, format }));
        }
        (Purpose::Export(_), SaveOutcome::Changed) => app.error(format!("{}: not exported", path.display())),
        (Purpose::Export(_), SaveOutcome::Failed(why)) => app.error(why),
        (Purpose::Recovery, SaveOutcome::Saved(_)) => {
            // The work recovered from earlier sessions' files is in this session's own now.
            return app.adopted.drain(..).map(Effect::Remove).collect();
        }
        (Purpose::Recovery, SaveOutcome::Failed(why)) => {
            app.autosaved = None;
            if app.terminating {
                let shown = path.display().to_string();
                let why = why.strip_prefix(&format!("{shown}: ")).unwrap_or(&why);
                let why = why.strip_prefix("not saved: ").unwrap_or(why);
                app.lost = Some(format!("unsaved changes could not be written to {shown}: {why}"));
            }
            app.error(format!("autosave failed: {why}"));
        }
        (Purpose::Recovery, _) => {}
    }
    Vec::new()
}

pub(crate) fn export_bytes(app: &App, format: ExportFormat) -> Result<Vec<u8>, String> {
    let plan = evaluate(&app.scenario, &app.catalog, app.plan_date)
        .map_err(|e| format!("not exported: cannot evaluate: {e}"))?;
    let text = format
        .render(&app.scenario, &plan)
        .map_err(|e| format!("not exported: {e}"))?;
    Ok(text.into_bytes())
}

pub(crate) fn same_file(app: &App, a: &Path, b: &Path) -> bool {
    let abs = |p: &Path| {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            app.cwd.join(p)
        }
    };
    abs(a) == abs(b)
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

/// A recovery file from an earlier session: offered when it is valid and differs from what
/// the file holds, removed when it adds nothing.
pub(crate) fn on_recovery_found(app: &mut App, recovery: PathBuf, scenario: Box<Scenario>) -> Vec<Effect> {
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

/// A signal that ends the session (SIGTERM, SIGHUP, SIGINT, SIGQUIT): the work goes to
/// this session's recovery file, then the workbench leaves. When it cannot be kept,
/// `app.lost` says why, for the runtime to print once the terminal is back.
pub(crate) fn terminate(app: &mut App) -> Vec<Effect> {
    let mut fx = Vec::new();
    app.terminating = true;
    if app.dirty() {
        match (app.recovery_path(), recovery_text(app)) {
            (Some(path), Some(bytes)) => fx.push(Effect::Write {
                path,
                bytes,
                force: true,
                purpose: Purpose::Recovery,
            }),
            (None, _) => {
                app.lost = Some(
                    "unsaved changes could not be written to a recovery file: no state folder \
                     (set LLMCAP_STATE_DIR, XDG_STATE_HOME or HOME)"
                        .to_string(),
                );
            }
            (Some(path), None) => {
                app.lost = Some(format!(
                    "unsaved changes could not be written to {}: the scenario cannot be written as RON",
                    path.display()
                ));
            }
        }
    }
    app.quit = true;
    fx.push(Effect::Quit);
    fx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_a_path_has_one_recovery_key() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("sub")).unwrap();
        let file = root.join("plan.ron");
        // Not created yet: named by its canonical folder.
        let before = recovery_key(root, Some(Path::new("plan.ron")));
        std::fs::write(&file, "x").unwrap();
        std::os::unix::fs::symlink(&file, root.join("sub/link.ron")).unwrap();
        let key = recovery_key(root, Some(&file));
        assert_eq!(before, key, "the same key before and after the file exists");
        assert!(key.starts_with("plan-"), "{key}");
        for spelling in [
            "plan.ron",
            "./plan.ron",
            "sub/../plan.ron",
            "sub/link.ron",
            "./sub/./link.ron",
        ] {
            assert_eq!(recovery_key(root, Some(Path::new(spelling))), key, "{spelling}");
        }
        // From another working folder, by absolute path.
        assert_eq!(recovery_key(Path::new("/"), Some(&file)), key);
        // Another file of the same name elsewhere is another key.
        let other = root.join("sub/plan.ron");
        std::fs::write(&other, "y").unwrap();
        assert_ne!(recovery_key(root, Some(&other)), key);
        assert_eq!(recovery_key(root, None), "untitled");
    }

    #[test]
    fn recovery_files_are_per_session() {
        let state = Path::new("/state");
        let cwd = Path::new("/nowhere");
        let f = Some(Path::new("/nowhere/plan.ron"));
        let a = recovery_path(state, cwd, f, "100-aaaaaa");
        let b = recovery_path(state, cwd, f, "200-bbbbbb");
        assert_ne!(a, b, "two sessions on one file never share a recovery file");
        let key = recovery_key(cwd, f);
        for p in [&a, &b] {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            assert!(is_recovery_for(&name, &key), "{name}");
        }
        // Files from before recovery files were per session are found too.
        assert!(is_recovery_for(&format!("{key}.recovery.ron"), &key));
        // Another file's, a file set aside, a temporary file are not.
        assert!(!is_recovery_for(&format!("{key}x.1.recovery.ron"), &key));
        assert!(!is_recovery_for(&format!("{key}.1.recovery.ron.unreadable"), &key));
        assert!(!is_recovery_for(&format!("{key}.1.recovery.ron.tmp123"), &key));
        let untitled = recovery_path(state, cwd, None, "100-aaaaaa");
        assert_eq!(untitled, Path::new("/state/recovery/untitled.100-aaaaaa.recovery.ron"));
    }
}
