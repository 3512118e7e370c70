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
fn no_arguments_evaluates_the_built_in_example() {
    let out = Command::cargo_bin("llmcap")
        .unwrap()
        .env_remove("LLMCAP_CATALOG")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("Customer-support chatbot: 100,000 requests/day"),
        "{text}"
    );
    assert!(text.contains("Recommendation: "), "{text}");
}

#[test]
fn a_file_argument_and_global_flags_work_with_subcommands() {
    let run = |args: &[&str]| {
        Command::cargo_bin("llmcap")
            .unwrap()
            .env_remove("LLMCAP_CATALOG")
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["scenarios/support-chatbot.ron"]);
    assert!(out.status.success());
    assert_eq!(out.stdout, run(&["eval", "scenarios/support-chatbot.ron"]).stdout);
    assert!(
        run(&["--no-color", "check", "scenarios/support-chatbot.ron"])
            .status
            .success()
    );
    let out = run(&["missing.ron"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: missing.ron: no such file\n"
    );
}

#[test]
fn predict_help() {
    insta::assert_snapshot!(help(&["predict", "--help"]));
}
