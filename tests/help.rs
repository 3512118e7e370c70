//! The `--help` texts are part of what users read: pinned as golden files.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use assert_cmd::Command;

fn help(args: &[&str]) -> String {
    let out = Command::cargo_bin("llmcap")
        .unwrap()
        .env_remove("LLMCAP_CATALOG")
        .env("COLUMNS", "100")
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn top_level_help() {
    insta::assert_snapshot!(help(&["--help"]));
}

#[test]
fn check_help() {
    insta::assert_snapshot!(help(&["check", "--help"]));
}

#[test]
fn catalog_help() {
    insta::assert_snapshot!(help(&["catalog", "--help"]));
}

#[test]
fn no_arguments_shows_help_and_fails() {
    let out = Command::cargo_bin("llmcap")
        .unwrap()
        .env_remove("LLMCAP_CATALOG")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Usage: llmcap"));
}

#[test]
fn predict_help() {
    insta::assert_snapshot!(help(&["predict", "--help"]));
}
