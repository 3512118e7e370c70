//! `llmcap export` and `llmcap sweep`: golden files for every format on two cases, HTML
//! that parses as XML with no scripts or external resources, monotonic sweeps, and bad
//! flags that exit 2 and write nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

mod common;
use common::{json_of, llmcap};

use std::fs;
use std::path::{Path, PathBuf};

const CASES: [&str; 2] = ["support-chatbot", "foia-redaction-government"];

/// Copies a case into a temp dir and returns (dir, scenario path).
fn case_copy(case: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("{case}.ron"));
    fs::copy(format!("scenarios/{case}.ron"), &path).unwrap();
    (dir, path)
}

fn export(path: &Path, format: &str) -> String {
    let out = llmcap()
        .arg("export")
        .arg(path)
        .args(["--format", format])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let written = PathBuf::from(String::from_utf8(out.stdout).unwrap().trim());
    let ext = match format {
        "markdown" => "md",
        other => other,
    };
    assert_eq!(
        written,
        path.with_file_name(format!("{}.summary.{ext}", path.file_stem().unwrap().to_string_lossy()))
    );
    fs::read_to_string(written).unwrap()
}

#[test]
fn golden_files_for_every_format() {
    for case in CASES {
        let (_dir, path) = case_copy(case);
        for format in ["markdown", "html", "json", "csv"] {
            let text = export(&path, format);
            insta::assert_snapshot!(format!("export_{}_{format}", case.replace('-', "_")), text);
        }
        // The scenario itself is untouched.
        assert_eq!(
            fs::read(&path).unwrap(),
            fs::read(format!("scenarios/{case}.ron")).unwrap()
        );
    }
}

#[test]
fn exports_are_deterministic() {
    let (_dir, path) = case_copy("support-chatbot");
    for format in ["markdown", "html", "json", "csv"] {
        assert_eq!(export(&path, format), export(&path, format), "{format}");
    }
}

#[test]
fn html_is_well_formed_and_self_contained() {
    for case in CASES {
        let (_dir, path) = case_copy(case);
        let html = export(&path, "html");
        let doc = roxmltree::Document::parse_with_options(
            &html,
            roxmltree::ParsingOptions {
                allow_dtd: true,
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("{case}: not well-formed: {e}"));
        let names: Vec<&str> = doc
            .descendants()
            .filter(|n| n.is_element())
            .map(|n| n.tag_name().name())
            .collect();
        assert!(!names.contains(&"script"), "{case}");
        assert!(names.iter().filter(|n| **n == "svg").count() >= 3, "{case}: charts");
        for n in doc.descendants().filter(|n| n.is_element()) {
            for a in n.attributes() {
                let v = a.value();
                assert!(
                    !(v.contains("http://") || v.contains("https://")) || a.name() == "xmlns",
                    "{case}: external resource in <{} {}={v}>",
                    n.tag_name().name(),
                    a.name()
                );
            }
            assert!(
                !["link", "img", "iframe", "object", "embed"].contains(&n.tag_name().name()),
                "{case}"
            );
        }
        assert!(html.contains("<table>") && html.contains("Break-even"), "{case}");
    }
}

#[test]
fn csv_has_one_row_per_option_and_model() {
    let (_dir, path) = case_copy("support-chatbot");
    let csv = export(&path, "csv");
    let json = export(&path, "json");
    let plan: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rows = csv.lines().count() - 1;
    assert_eq!(rows, plan["options"].as_array().unwrap().len());
    assert!(csv.starts_with("rank,option,model,family,feasible,monthly_cost_usd"));
    assert!(csv.contains("azure-openai/global-standard,gpt-5.4,pay-as-you-go,true,40484.58,1493,100.5,"));
    // After the original columns: the region and the plan date, on every row.
    assert!(csv.lines().next().unwrap().ends_with(",estimate,region,plan_date"));
    assert!(csv.lines().skip(1).all(|l| l.ends_with(",2026-12-01")));
}

#[test]
fn output_path_rules() {
    let (dir, path) = case_copy("support-chatbot");
    // -o elsewhere.
    let out = dir.path().join("report.md");
    llmcap()
        .arg("export")
        .arg(&path)
        .args(["--format", "markdown", "-o"])
        .arg(&out)
        .assert()
        .success();
    assert!(
        fs::read_to_string(&out)
            .unwrap()
            .starts_with("# Customer-support chatbot")
    );
    // Never the scenario itself.
    let before = fs::read(&path).unwrap();
    let res = llmcap()
        .arg("export")
        .arg(&path)
        .args(["--format", "json", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&res.stderr).contains("is the scenario file itself"));
    assert_eq!(fs::read(&path).unwrap(), before);
    // A folder that does not exist: exit 2, nothing written.
    let missing = dir.path().join("no/such/dir/out.html");
    let res = llmcap()
        .arg("export")
        .arg(&path)
        .args(["--format", "html", "-o"])
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&res.stderr).contains("not saved: the folder"),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    assert!(!dir.path().join("no").exists());
    // A bad format value.
    llmcap()
        .arg("export")
        .arg(&path)
        .args(["--format", "pdf"])
        .assert()
        .code(2);
}

fn sweep_json(args: &[&str]) -> serde_json::Value {
    json_of(
        llmcap()
            .arg("sweep")
            .arg("scenarios/support-chatbot.ron")
            .args(args)
            .args(["--format", "json"]),
    )
}

#[test]
fn volume_sweeps_rise_monotonically_and_report_crossings() {
    let v = sweep_json(&[
        "--param",
        "requests_per_day",
        "--from",
        "1000",
        "--to",
        "100000000",
        "--steps",
        "21",
        "--log",
    ]);
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 21);
    assert_eq!(rows[0]["value"], 1000.0);
    assert_eq!(rows[20]["value"], 100000000.0);
    for family in 0..llmcap::vocab::Family::ALL.len() {
        let costs: Vec<f64> = rows
            .iter()
            .filter_map(|r| {
                r["best"][family]["monthly_cost_usd"]
                    .as_str()
                    .map(|s| s.parse().unwrap())
            })
            .collect();
        assert!(costs.windows(2).all(|w| w[1] >= w[0]), "family {family}: {costs:?}");
    }
    // Serverless wins at low volume, GPUs at high volume (at 100M a day a quantised fleet the
    // team runs, which Foundry managed compute, serving weights as published, cannot match):
    // they cross.
    assert_eq!(rows[0]["recommended"]["option"], "foundry/serverless");
    assert_eq!(rows[20]["recommended"]["option"], "self-hosted/cloud-gpu");
    let crossings = v["break_even"].as_array().unwrap();
    assert!(
        crossings
            .iter()
            .any(|c| c["from"] == "serverless" && c["to"] == "self-hosted"),
        "{crossings:?}"
    );
    assert!(
        crossings
            .iter()
            .any(|c| c["from"] == "serverless" && c["to"] == "managed-compute"),
        "{crossings:?}"
    );
}

#[test]
fn sweep_csv_matches_eval_at_the_scenario_volume() {
    let out = llmcap()
        .args([
            "sweep",
            "scenarios/support-chatbot.ron",
            "--param",
            "requests_per_day",
            "--from",
            "100000",
            "--to",
            "100000",
            "--steps",
            "1",
        ])
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        csv.lines().nth(1).unwrap(),
        "100000,40484.58,47492.58,,12622.92,8043.87,,20362.58,40484.58,foundry/managed-compute,mistral-nemo-12b,8043.87"
    );
}

fn sweep_fails(args: &[&str], message: &str) {
    let out = llmcap()
        .arg("sweep")
        .arg("scenarios/support-chatbot.ron")
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(stderr.contains(message), "{args:?}: {stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn bad_sweep_flags_exit_2() {
    sweep_fails(
        &["--param", "volume", "--from", "1", "--to", "2"],
        "--param volume is not a numeric scenario field; accepted: requests_per_day",
    );
    sweep_fails(
        &["--param", "requests_per_day", "--from", "10", "--to", "1"],
        "--from 10 is greater than --to 1",
    );
    sweep_fails(
        &[
            "--param",
            "requests_per_day",
            "--from",
            "1",
            "--to",
            "10",
            "--steps",
            "0",
        ],
        "--steps 0 is out of range",
    );
    sweep_fails(
        &["--param", "requests_per_day", "--from", "0", "--to", "10", "--log"],
        "--log needs positive bounds",
    );
    sweep_fails(
        &["--param", "cached_input_share", "--from", "0", "--to", "1.5"],
        "--to 1.5: field `workload.cached_input_share` = 1.5 is too large",
    );
    sweep_fails(
        &["--param", "peak_to_average", "--from", "-2", "--to", "3"],
        "--from -2: field `traffic.peak_to_average`",
    );
}

#[test]
fn eval_text_and_json_show_the_fine_tune_training() {
    let v = json_of(llmcap().args(["eval", "scenarios/contract-review-fine-tune.ron", "--format", "json"]));
    let o = &v["options"][0];
    assert_eq!(o["fine_tuning"]["training_one_off_usd"], "750.00", "{o}");
    assert_eq!(o["fine_tuning"]["amortized_monthly_usd"], "62.50");
    assert!(o["cost_breakdown"].as_array().unwrap().iter().any(|l| {
        l["item"]
            .as_str()
            .unwrap()
            .starts_with("fine-tuning training (one-off $750, amortised over 12 months)")
    }));
    // Scenarios without the group have no such field: the JSON is as it was.
    let v = json_of(llmcap().args(["eval", "scenarios/support-chatbot.ron", "--format", "json"]));
    assert!(
        v["options"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o.get("fine_tuning").is_none())
    );
    let out = llmcap()
        .args(["eval", "scenarios/contract-review-fine-tune.ron"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("training is a one-off $750 (150M trained tokens), shown as $63/month over 12 months"),
        "{text}"
    );
}
