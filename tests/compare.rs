//! `llmcap compare`: two to four scenarios as columns, their answers and the inputs that
//! differ, in text, Markdown and JSON (golden files on the case library).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

mod common;
use common::{json_of, llmcap};

const PLAN_DATE: &str = "2026-12-01";

fn run(files: &[&str], format: &str) -> String {
    let out = llmcap()
        .arg("compare")
        .args(files)
        .args(["--format", format, "--as-of", PLAN_DATE])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

const PAIR: [&str; 2] = ["scenarios/support-chatbot.ron", "scenarios/eu-data-zone-claims.ron"];
const WITH_ROUTER: [&str; 3] = [
    "scenarios/support-chatbot.ron",
    "scenarios/router-classifier-70-25-5.ron",
    "scenarios/cascade-small-then-large.ron",
];

#[test]
fn golden_comparisons_of_case_files() {
    insta::assert_snapshot!("compare_pair_text", run(&PAIR, "text"));
    insta::assert_snapshot!("compare_pair_markdown", run(&PAIR, "markdown"));
    insta::assert_snapshot!("compare_routed_text", run(&WITH_ROUTER, "text"));
}

#[test]
fn json_has_each_scenarios_answer_and_the_differences() {
    let json = json_of(
        llmcap()
            .arg("compare")
            .args(PAIR)
            .args(["--format", "json", "--as-of", PLAN_DATE]),
    );
    let scenarios = json["scenarios"].as_array().unwrap();
    assert_eq!(scenarios.len(), 2);
    assert_eq!(scenarios[0]["name"], "Customer-support chatbot");
    for s in scenarios {
        let r = &s["recommendation"];
        assert!(
            r["option"].is_string() && r["model"].is_string() && r["monthly_cost_usd"].is_string(),
            "{s}"
        );
    }
    let diffs = json["differences"].as_array().unwrap();
    let fields: Vec<&str> = diffs.iter().map(|d| d["field"].as_str().unwrap()).collect();
    assert!(
        fields.contains(&"residency") && fields.contains(&"workload.requests_per_day"),
        "{fields:?}"
    );
    assert!(!fields.contains(&"name") && !fields.contains(&"notes"));
    // The values are as the workbench shows them, one per scenario.
    let residency = diffs.iter().find(|d| d["field"] == "residency").unwrap();
    assert_eq!(residency["values"], serde_json::json!(["Global", "DataZone(Eu)"]));
    // Fields both scenarios share are not listed.
    assert!(!fields.contains(&"traffic.pattern"));
    // A routed scenario's hybrid plan is named beside its single model.
    let json = json_of(
        llmcap()
            .arg("compare")
            .args(WITH_ROUTER)
            .args(["--format", "json", "--as-of", PLAN_DATE]),
    );
    assert_eq!(json["scenarios"][1]["hybrid"]["pattern"], "router");
    assert_eq!(json["scenarios"][1]["hybrid"]["recommended"], true);
    assert!(json["scenarios"][0].get("hybrid").is_none());
}

#[test]
fn one_file_or_five_is_refused_with_the_accepted_count() {
    for files in [&PAIR[..1], &["a.ron", "b.ron", "c.ron", "d.ron", "e.ron"][..]] {
        let out = llmcap().arg("compare").args(files).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let e = String::from_utf8(out.stderr).unwrap();
        assert!(e.starts_with("error: ") && e.contains("Usage: llmcap compare"), "{e}");
        assert!(!e.contains("panicked"));
    }
    // A bad file names itself.
    let out = llmcap()
        .args(["compare", PAIR[0], "scenarios/nope.ron"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("nope.ron"));
}
