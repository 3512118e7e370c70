//! Only regular files of a sane size are read or replaced: FIFOs, devices, huge files and
//! symlinks in every read and write position, each under a time bound; and the small truths
//! of file input (a byte-order mark, CR-only line ends, `-0`, duplicates, an empty
//! `LLMCAP_CATALOG`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Std;
use std::time::Duration;

use common::llmcap;
use predicates::prelude::*;

const LIMIT: Duration = Duration::from_secs(20);
const S: &str = "scenarios/support-chatbot.ron";

fn mkfifo(p: &Path) -> bool {
    Std::new("mkfifo").arg(p).status().is_ok_and(|s| s.success())
}

/// A character device node in a scratch folder (needs root, as CI has); `None` elsewhere.
fn mknod(p: &Path, major: u32, minor: u32) -> Option<PathBuf> {
    let ok = Std::new("mknod")
        .arg(p)
        .args(["c", &major.to_string(), &minor.to_string()])
        .status()
        .is_ok_and(|s| s.success());
    ok.then(|| p.to_path_buf())
}

fn copy_example(dir: &Path, name: &str) -> PathBuf {
    let f = dir.join(name);
    fs::copy(S, &f).unwrap();
    f
}

#[test]
fn special_files_are_refused_as_scenarios_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("f.ron");
    let mut inputs: Vec<PathBuf> = vec![PathBuf::from("/dev/zero"), PathBuf::from("/dev/urandom")];
    if mkfifo(&fifo) {
        inputs.push(fifo);
    }
    let sparse = dir.path().join("big.ron");
    fs::File::create(&sparse).unwrap().set_len(1 << 30).unwrap();
    inputs.push(sparse);
    for input in &inputs {
        for cmd in [vec!["check"], vec!["eval"], vec!["export", "--format", "json"]] {
            let mut c = llmcap();
            c.args(&cmd[..1]).arg(input).args(&cmd[1..]).timeout(LIMIT);
            c.assert()
                .code(2)
                .stderr(predicate::str::contains("not a regular file").or(predicate::str::contains("more than")));
        }
    }
}

/// The same refusals inside a 256 MiB address space (where `prlimit` exists): nothing is
/// read into memory first.
#[test]
fn special_files_are_refused_within_a_memory_bound() {
    let Ok(bin) = assert_cmd::cargo::cargo_bin("llmcap").canonicalize() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sparse = dir.path().join("big.ron");
    fs::File::create(&sparse).unwrap().set_len(1 << 30).unwrap();
    for input in [Path::new("/dev/zero"), Path::new("/dev/urandom"), sparse.as_path()] {
        let out = Std::new("prlimit")
            .arg(format!("--as={}", 256u64 << 20))
            .arg(&bin)
            .arg("check")
            .arg(input)
            .env_remove("LLMCAP_CATALOG")
            .output();
        let Ok(out) = out else { return };
        assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn exports_write_devices_in_place_and_never_replace_them() {
    let dir = tempfile::tempdir().unwrap();
    let Some(null) = mknod(&dir.path().join("null"), 1, 3) else {
        eprintln!("skipped: mknod needs root");
        return;
    };
    llmcap()
        .args(["export", S, "--format", "json", "-o"])
        .arg(&null)
        .timeout(LIMIT)
        .assert()
        .success();
    use std::os::unix::fs::FileTypeExt;
    assert!(
        fs::metadata(&null).unwrap().file_type().is_char_device(),
        "the device was replaced"
    );
    // A full device is a runtime failure (exit 1), quickly, with nothing read first.
    let full = mknod(&dir.path().join("full"), 1, 7).unwrap();
    llmcap()
        .args(["export", S, "--format", "json", "-o"])
        .arg(&full)
        .timeout(LIMIT)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("No space left"));
    assert!(fs::metadata(&full).unwrap().file_type().is_char_device());
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        2,
        "no temporary file is left"
    );
}

#[test]
fn an_export_to_a_fifo_without_a_reader_fails_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("out.json");
    if !mkfifo(&fifo) {
        return;
    }
    llmcap()
        .args(["export", S, "--format", "json", "-o"])
        .arg(&fifo)
        .timeout(LIMIT)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no process is reading"));
}

#[test]
fn dash_means_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = llmcap()
        .current_dir(dir.path())
        .args(["export"])
        .arg(fs::canonicalize(S).unwrap())
        .args(["--format", "csv", "-o", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("rank,option,model,"));
    assert!(!dir.path().join("-").exists());
}

#[test]
fn dev_stdout_is_standard_output_even_in_a_pipe() {
    let out = llmcap()
        .args(["export", S, "--format", "csv", "-o", "/dev/stdout"])
        .timeout(LIMIT)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("rank,option,model,"));
}

#[test]
fn exports_through_a_symlink_write_the_target() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.json");
    fs::write(&real, "old").unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink("real.json", &link).unwrap();
    llmcap()
        .args(["export", S, "--format", "json", "-o"])
        .arg(&link)
        .assert()
        .success();
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert!(fs::read_to_string(&real).unwrap().starts_with('{'));
}

#[test]
fn stale_temporary_files_are_removed_by_the_next_write() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o.json");
    let stale = dir.path().join(".o.json.abc123.tmp");
    let fresh = dir.path().join(".o.json.def456.tmp");
    let theirs = dir.path().join(".o.json.my-notes.tmp");
    fs::write(&stale, "partial").unwrap();
    fs::write(&fresh, "in progress").unwrap();
    fs::write(&theirs, "a person's file").unwrap();
    let old = std::time::SystemTime::now() - Duration::from_secs(3600);
    for f in [&stale, &theirs] {
        fs::File::options()
            .write(true)
            .open(f)
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
    llmcap()
        .args(["export", S, "--format", "json", "-o"])
        .arg(&out)
        .assert()
        .success();
    assert!(!stale.exists(), "an hour-old temporary file is removed");
    assert!(fresh.exists(), "a fresh one may belong to another write in progress");
    assert!(
        theirs.exists(),
        "a file not named as llmcap names its temporaries is never removed"
    );
}

#[test]
fn a_byte_order_mark_and_cr_only_line_ends_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(S).unwrap();
    let bom = dir.path().join("bom.ron");
    fs::write(&bom, format!("\u{feff}{text}")).unwrap();
    llmcap().arg("check").arg(&bom).assert().success();
    let cr = dir.path().join("cr.ron");
    fs::write(&cr, text.replace('\n', "\r")).unwrap();
    llmcap().arg("check").arg(&cr).assert().success();
    // And an error in a CR-only file points at the right line.
    let bad = dir.path().join("cr-bad.ron");
    fs::write(
        &bad,
        text.replace("peak_to_average: 2.0", "peak_to_average: 0.5")
            .replace('\n', "\r"),
    )
    .unwrap();
    let line = text.lines().position(|l| l.contains("peak_to_average")).unwrap() + 1;
    llmcap()
        .arg("check")
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!("cr-bad.ron:{line}:")));
}

#[test]
fn a_nul_byte_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("nul.ron");
    fs::write(&f, b"Scenario(\0)").unwrap();
    llmcap()
        .arg("check")
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("byte 9 is a NUL character"));
}

#[test]
fn minus_zero_reads_as_zero() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("z.ron");
    let text = fs::read_to_string(S)
        .unwrap()
        .replace("output_tokens_per_s: 20", "output_tokens_per_s: -0.0")
        .replace("requests_per_day: 100000", "requests_per_day: -0");
    fs::write(&f, text).unwrap();
    let out = llmcap().args(["eval", "--format", "json"]).arg(&f).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("-0.0") && !text.contains("\"-0\""), "a -0 in the output");
}

#[test]
fn duplicate_ids_are_refused_naming_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("d.ron");
    let text = fs::read_to_string(S).unwrap().replace(
        "quality: Efficient,",
        "quality: Efficient, models: [\"gpt-4o-mini\", \"gpt-4o\", \"gpt-4o-mini\"],",
    );
    fs::write(&f, text).unwrap();
    llmcap()
        .arg("check")
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "field `models[2]` = \"gpt-4o-mini\" repeats models[0]",
        ));
}

#[test]
fn thousands_of_unknown_ids_are_reported_quickly_and_briefly() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("u.ron");
    let ids: Vec<String> = (0..100_000).map(|i| format!("\"no-such-model-{i}\"")).collect();
    let text = fs::read_to_string(S).unwrap().replace(
        "quality: Efficient,",
        &format!("quality: Efficient, models: [{}],", ids.join(", ")),
    );
    fs::write(&f, text).unwrap();
    let out = llmcap().arg("check").arg(&f).timeout(LIMIT).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 51, "50 problems and a count");
    assert!(
        err.contains("... and 99950 more problems"),
        "{}",
        err.lines().last().unwrap_or("")
    );
}

#[test]
fn an_empty_llmcap_catalog_means_none() {
    llmcap().env("LLMCAP_CATALOG", "").args(["check", S]).assert().success();
}

#[test]
fn copies_of_the_example_are_fine() {
    // Guards the helpers above: a plain copy is read as before.
    let dir = tempfile::tempdir().unwrap();
    let f = copy_example(dir.path(), "plain.ron");
    llmcap().arg("check").arg(&f).assert().success();
}

#[test]
fn parse_messages_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(S).unwrap();
    for (from, to, expected) in [
        (
            "requests_per_day: 100000",
            "requests_per_day: 0x10",
            "hexadecimal numbers are not accepted",
        ),
        (
            "quality: Efficient,",
            "quality: Efficient, team: (3, 15000, 1.0),",
            "expected a field name, found `3`",
        ),
        (
            "quality: Efficient,",
            "quality: Efficient, team: (engineer_monthly_cost: 1e300),",
            "1e300 is too large",
        ),
    ] {
        let f = dir.path().join("p.ron");
        fs::write(&f, text.replace(from, to)).unwrap();
        llmcap()
            .arg("check")
            .arg(&f)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(expected));
    }
    let f = dir.path().join("ext.ron");
    fs::write(&f, format!("#![enable(bogus)]\n{text}")).unwrap();
    llmcap()
        .arg("check")
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no RON extension named `bogus`").and(predicate::str::contains("[0]").not()));
}
