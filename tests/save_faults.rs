//! Saving onto a full disk and into a read-only folder, for real: a small tmpfs is mounted,
//! filled, or remounted read-only. The file on disk must stay byte for byte as it was, no
//! temporary file may be left behind, and the workbench must say what failed and keep the
//! work unsaved (and in its recovery file).
//!
//! Mounting needs privileges (root, or CAP_SYS_ADMIN); where they are missing the tests say
//! so and pass, since the permission bits alone do not stop root from writing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use llmcap::catalog::Catalog;
use llmcap::scenario::{self, SaveError, Scenario};
use llmcap::tui::app::{Level, Msg};
use llmcap::tui::fields::{self, FieldId};
use llmcap::tui::{ThemeKind, app_for, dispatch};

/// A tmpfs of `size` mounted on a fresh folder; unmounted on drop.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            eprintln!("cannot mount a tmpfs here (needs root): skipping");
            return None;
        }
        Some(SmallDisk { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn remount_read_only(&self) {
        let st = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(self.path())
            .status()
            .unwrap();
        assert!(st.success());
    }

    /// Fills the disk: writes until the file system refuses.
    fn fill(&self) {
        let mut f = fs::File::create(self.path().join("filler")).unwrap();
        let block = vec![0u8; 4096];
        use std::io::Write;
        while f.write_all(&block).is_ok() {}
        let _ = f.sync_all();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn setup(disk: &SmallDisk) -> (PathBuf, Vec<u8>) {
    let path = disk.path().join("chat.ron");
    fs::copy("scenarios/support-chatbot.ron", &path).unwrap();
    let bytes = fs::read(&path).unwrap();
    (path, bytes)
}

/// A scenario whose text is larger than any free space left.
fn bigger(s: &Scenario) -> Scenario {
    let mut s = s.clone();
    s.notes = "x".repeat(256 * 1024);
    s
}

#[test]
fn a_full_disk_leaves_the_file_as_it_was() {
    let Some(disk) = SmallDisk::mount("256k") else { return };
    let (path, before) = setup(&disk);
    let loaded = scenario::load_file(&path, &Catalog::embedded().unwrap()).unwrap();
    disk.fill();
    let err = scenario::save_file(&path, &bigger(&loaded.scenario), Some(&loaded.stamp), false).unwrap_err();
    assert!(matches!(err, SaveError::Io { .. }), "{err}");
    assert!(err.to_string().contains("chat.ron: not saved: "), "{err}");
    assert_eq!(fs::read(&path).unwrap(), before, "the file is untouched");
    assert_eq!(files(disk.path()), ["chat.ron", "filler"], "no temporary file left");
}

#[test]
fn a_read_only_folder_leaves_the_file_as_it_was() {
    let Some(disk) = SmallDisk::mount("1m") else { return };
    let (path, before) = setup(&disk);
    let loaded = scenario::load_file(&path, &Catalog::embedded().unwrap()).unwrap();
    disk.remount_read_only();
    let err = scenario::save_file(&path, &loaded.scenario, Some(&loaded.stamp), true).unwrap_err();
    assert!(err.to_string().contains("chat.ron: not saved: "), "{err}");
    assert!(err.to_string().to_lowercase().contains("read-only"), "{err}");
    assert_eq!(fs::read(&path).unwrap(), before);
    assert_eq!(files(disk.path()), ["chat.ron"]);
}

#[test]
fn the_workbench_reports_a_failed_save_and_keeps_the_work() {
    let Some(disk) = SmallDisk::mount("1m") else { return };
    let (path, before) = setup(&disk);
    let state = tempfile::tempdir().unwrap();
    let mut app = app_for(
        Catalog::embedded().unwrap(),
        "2026-12-01".parse::<llmcap::date::Date>().unwrap(),
        Some(&path),
        ThemeKind::Color,
    )
    .unwrap();
    app.state_dir = Some(state.path().to_path_buf());
    app.field = fields::index_of(FieldId::RequestsPerDay);
    let key = |code: KeyCode, m: KeyModifiers| Msg::Key(KeyEvent::new(code, m));
    dispatch(&mut app, key(KeyCode::Char('+'), KeyModifiers::NONE));
    dispatch(&mut app, Msg::Tick);
    disk.remount_read_only();
    dispatch(&mut app, key(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let (level, text) = app.message.clone().unwrap();
    assert_eq!(level, Level::Error);
    assert!(text.contains("chat.ron: not saved: "), "{text}");
    assert!(app.dirty(), "still unsaved");
    assert_eq!(fs::read(&path).unwrap(), before);
    // The edit is safe in the recovery file meanwhile.
    let kept = fs::read_to_string(app.recovery_path().unwrap()).unwrap();
    assert!(kept.contains("requests_per_day: 110000"));
    // Quitting still asks; "save and quit" fails the same way and does not quit.
    dispatch(&mut app, key(KeyCode::Char('q'), KeyModifiers::NONE));
    dispatch(&mut app, key(KeyCode::Char('s'), KeyModifiers::NONE));
    assert!(!app.quit, "a failed save must not quit");
    assert!(app.message.as_ref().unwrap().1.contains("not saved"));
}
