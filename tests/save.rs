//! Saving is atomic and never clobbers a file that changed on disk since it was read.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use llmcap::catalog::Catalog;
use llmcap::scenario::{self, SaveError, Scenario};
use std::fs;
use std::path::Path;

fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

#[test]
fn save_new_then_reload_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.ron");
    let s = Scenario::example();
    scenario::save_file(&path, &s, None, false).unwrap();
    let loaded = scenario::load_file(&path, &Catalog::embedded().unwrap()).unwrap();
    assert_eq!(loaded.scenario, s);
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn refuses_to_overwrite_an_existing_file_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("taken.ron");
    fs::write(&path, "someone else's file").unwrap();
    let err = scenario::save_file(&path, &Scenario::example(), None, false).unwrap_err();
    assert!(matches!(err, SaveError::Exists { .. }), "{err}");
    assert!(err.to_string().ends_with(
        "taken.ron: not saved: a file of that name already exists; choose another name (or force the overwrite)"
    ));
    assert_eq!(fs::read_to_string(&path).unwrap(), "someone else's file");
    scenario::save_file(&path, &Scenario::example(), None, true).unwrap();
    assert!(fs::read_to_string(&path).unwrap().starts_with("Scenario("));
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn refuses_to_clobber_a_file_changed_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.ron");
    fs::copy("scenarios/support-chatbot.ron", &path).unwrap();
    let catalog = Catalog::embedded().unwrap();
    let loaded = scenario::load_file(&path, &catalog).unwrap();

    // Someone edits the file after we loaded it.
    let theirs = fs::read_to_string(&path).unwrap().replace("100000", "250000");
    fs::write(&path, &theirs).unwrap();

    let mut mine = loaded.scenario.clone();
    mine.workload.output_tokens = 800.0;
    let err = scenario::save_file(&path, &mine, Some(&loaded.stamp), false).unwrap_err();
    assert!(matches!(err, SaveError::Changed { .. }), "{err}");
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        theirs,
        "the other edit must survive byte for byte"
    );
    assert!(leftovers(dir.path()).is_empty());

    // Unchanged since load: saving goes through and returns the new stamp, which then
    // protects the next save.
    let reloaded = scenario::load_file(&path, &catalog).unwrap();
    let stamp = scenario::save_file(&path, &mine, Some(&reloaded.stamp), false).unwrap();
    let again = scenario::save_file(&path, &mine, Some(&stamp), false).unwrap();
    assert_eq!(stamp, again);
    assert_eq!(scenario::load_file(&path, &catalog).unwrap().scenario, mine);
}

#[test]
fn a_missing_folder_is_a_clear_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no/such/dir/s.ron");
    let err = scenario::save_file(&path, &Scenario::example(), None, false).unwrap_err();
    assert!(matches!(err, SaveError::NoFolder { .. }), "{err}");
    assert!(err.to_string().contains("the folder"), "{err}");
    assert!(!dir.path().join("no").exists());
}

#[test]
fn saving_over_a_directory_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let err = scenario::save_file(dir.path(), &Scenario::example(), None, true).unwrap_err();
    assert!(err.to_string().contains("not saved"), "{err}");
}

#[cfg(unix)]
#[test]
fn keeps_the_permissions_of_the_file_it_replaces() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    scenario::save_file(&path, &Scenario::example(), None, false).unwrap();
    assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o644);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    scenario::save_file(&path, &Scenario::example(), None, true).unwrap();
    assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
}

#[cfg(unix)]
#[test]
fn saving_through_a_symlink_writes_the_target_and_keeps_the_link_and_owner() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.ron");
    let link = dir.path().join("link.ron");
    let mut s = Scenario::example();
    scenario::save_file(&real, &s, None, false).unwrap();
    std::os::unix::fs::symlink("real.ron", &link).unwrap();
    let before = fs::metadata(&real).unwrap();
    let loaded = scenario::load_file(&link, &Catalog::embedded().unwrap()).unwrap();
    s.workload.requests_per_day = 123_456.0;
    scenario::save_file(&link, &s, Some(&loaded.stamp), false).unwrap();
    assert!(
        fs::symlink_metadata(&link).unwrap().file_type().is_symlink(),
        "the link was replaced"
    );
    assert!(fs::read_to_string(&real).unwrap().contains("123456"));
    let after = fs::metadata(&real).unwrap();
    assert_eq!(
        (after.uid(), after.gid(), after.mode()),
        (before.uid(), before.gid(), before.mode())
    );
    // The conflict check reads the target too: a change behind the link is caught.
    fs::write(&real, "changed by someone else").unwrap();
    let err = scenario::save_file(&link, &s, Some(&loaded.stamp), false).unwrap_err();
    assert!(matches!(err, SaveError::Changed { .. }), "{err}");
    assert!(leftovers(dir.path()).is_empty());
}
