//! `llmcap sensitivity`: each input a step down and up, ranked by the change in the
//! recommended monthly cost, with the values where the answer flips (golden on the case
//! library's chatbot).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

mod common;
use common::{json_of, llmcap};

const PLAN_DATE: &str = "2026-12-01";

#[test]
fn golden_tornado_of_the_chatbot() {
    let out = llmcap()
        .args(["sensitivity", "scenarios/support-chatbot.ron", "--as-of", PLAN_DATE])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    insta::assert_snapshot!(
        "sensitivity_support_chatbot_text",
        String::from_utf8(out.stdout).unwrap()
    );
}

#[test]
fn rows_are_ranked_by_swing_and_name_their_flips() {
    let json = json_of(llmcap().args([
        "sensitivity",
        "scenarios/support-chatbot.ron",
        "--format",
        "json",
        "--as-of",
        PLAN_DATE,
    ]));
    assert_eq!(json["base"]["winner"], "foundry/managed-compute mistral-nemo-12b");
    let rows = json["rows"].as_array().unwrap();
    let swing = |r: &serde_json::Value| r["swing_usd"].as_str().unwrap().parse::<f64>().unwrap();
    assert!(rows.windows(2).all(|w| swing(&w[0]) >= swing(&w[1])), "ranked");
    // The tier moves the answer most: a step up needs a Strong model, a step down allows a
    // Compact one.
    assert_eq!(rows[0]["field"], "quality");
    assert_eq!(rows[0]["high"]["flips"], true);
    // The volume flips to serverless below some rate and to a self-hosted fleet above one,
    // each nearer than the range's ends.
    let volume = rows.iter().find(|r| r["field"] == "workload.requests_per_day").unwrap();
    let flips = volume["flips"].as_array().unwrap();
    assert_eq!(flips.len(), 2, "{volume}");
    let below = flips[0]["at"].as_f64().unwrap();
    let above = flips[1]["at"].as_f64().unwrap();
    assert!(below < 100_000.0 && above > 100_000.0, "{flips:?}");
    // And the flip points hold: just past each, `eval` names the other winner.
    for (v, winner) in [(below * 0.97, &flips[0]["to"]), (above * 1.03, &flips[1]["to"])] {
        let text = std::fs::read_to_string("scenarios/support-chatbot.ron")
            .unwrap()
            .replacen(
                "requests_per_day: 100000",
                &format!("requests_per_day: {}", v.round()),
                1,
            );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("moved.ron");
        std::fs::write(&path, text).unwrap();
        let plan = json_of(
            llmcap()
                .arg("eval")
                .arg(&path)
                .args(["--format", "json", "--as-of", PLAN_DATE]),
        );
        let got = format!(
            "{} {}",
            plan["recommendation"]["option"].as_str().unwrap(),
            plan["recommendation"]["model"].as_str().unwrap()
        );
        assert_eq!(&got, winner.as_str().unwrap(), "at {v}");
    }
}
