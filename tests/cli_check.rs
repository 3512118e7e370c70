//! `llmcap check`: every bad input of issue 2 exits 2 with one clear message naming the
//! file, the field and (where the file has one) the line:column. Never a panic.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

mod common;
use common::llmcap;

use predicates::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};

const CASE: &str = "scenarios/support-chatbot.ron";

fn case_text() -> String {
    fs::read_to_string(CASE).unwrap()
}

/// Writes `text` as `name` in a fresh temp dir and returns its path (dir kept alive by the caller).
fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    fs::write(&p, bytes).unwrap();
    p
}

/// Runs `check` on a variant of the case file and returns stderr, asserting exit 2,
/// nothing on stdout and no panic.
fn check_fails(name: &str, bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), name, bytes);
    let out = llmcap().arg("check").arg(&path).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
    assert!(
        out.stdout.is_empty(),
        "{name}: stdout {:?}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    assert!(stderr.starts_with("error: "), "{name}: {stderr}");
    // Messages name the file they are about (tempdir path, so only the file name is stable).
    assert!(stderr.contains(name), "{name}: {stderr}");
    stderr.replace(&format!("{}/", dir.path().display()), "")
}

fn variant(from: &str, to: &str) -> Vec<u8> {
    let text = case_text();
    assert!(text.contains(from), "case file lacks {from:?}");
    text.replacen(from, to, 1).into_bytes()
}

#[test]
fn the_case_library_checks_clean() {
    let files: Vec<PathBuf> = fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    assert!(!files.is_empty());
    llmcap()
        .arg("check")
        .args(&files)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "support-chatbot.ron: ok (Customer-support chatbot)",
        ))
        .stderr("");
}

#[test]
fn empty_file() {
    let e = check_fails("empty.ron", b"");
    assert_eq!(
        e,
        "error: empty.ron: is empty; expected `Scenario(version: 1, ...)`; scenarios/support-chatbot.ron is a complete example\n"
    );
}

#[test]
fn truncated_files() {
    let text = case_text();
    // Cut inside a string, and cut at a structural point.
    let inside_string = &text[..text.find("6.08 B").unwrap()];
    let e = check_fails("cut1.ron", inside_string.as_bytes());
    assert!(
        e.contains("cut1.ron:6:12: field `notes`: this string is never closed"),
        "{e}"
    );
    let structural = &text[..text.find("traffic:").unwrap()];
    let e = check_fails("cut2.ron", structural.as_bytes());
    assert!(e.contains("cut2.ron:"), "{e}");
    assert!(e.contains("truncated"), "{e}");
}

#[test]
fn binary_bytes() {
    let e = check_fails("binary.ron", b"\x00\x01\x02\xff\xfe\x80 not text");
    assert!(e.contains("binary.ron: is not a text file"), "{e}");
    let e = check_fails("nul.ron", b"Scenario(\x00)");
    assert!(e.contains("nul.ron: is not a text file"), "{e}");
}

#[test]
fn not_ron_at_all() {
    let e = check_fails("json.ron", br#"{"version": 1, "name": "x"}"#);
    assert!(e.contains("json.ron:1:1: this is not a scenario file"), "{e}");
}

#[test]
fn wrong_type_for_a_field() {
    let e = check_fails(
        "type.ron",
        &variant("requests_per_day: 100000", "requests_per_day: \"lots\""),
    );
    assert_eq!(
        e,
        "error: type.ron:8:26: field `workload.requests_per_day`: expected a number; hint: write a number such as 2000 or 0.5\n"
    );
    let e = check_fails(
        "count.ron",
        &variant(
            "quality: Efficient,",
            "quality: Efficient, self_hosting: (min_replicas: 1.5),",
        ),
    );
    assert!(
        e.contains("field `self_hosting.min_replicas`: 1.5 is not a whole number"),
        "{e}"
    );
}

#[test]
fn missing_required_field() {
    let e = check_fails("missing.ron", &variant("        output_tokens: 500,\n", ""));
    assert_eq!(
        e,
        "error: missing.ron:10:5: field `workload.output_tokens`: is required but missing; hint: every required field is shown in scenarios/support-chatbot.ron\n"
    );
}

#[test]
fn unknown_field_lists_the_known_ones() {
    let e = check_fails(
        "unknown.ron",
        &variant(
            "    residency: Global,\n",
            "    residency: Global,\n    budget: 5000,\n",
        ),
    );
    assert!(
        e.starts_with("error: unknown.ron:22:5: unknown field `budget`; hint: known fields here: `version`, `name`"),
        "{e}"
    );
    assert!(e.contains("`self_hosting`"), "{e}");
    let e = check_fails(
        "unknown2.ron",
        &variant("output_tokens: 500,", "output_tokens: 500, prompt_tokens: 3,"),
    );
    assert!(
        e.contains("unknown field `prompt_tokens`; hint: known fields here: `requests_per_day`, `input_tokens`"),
        "{e}"
    );
}

#[test]
fn unknown_enum_variant() {
    let e = check_fails("variant.ron", &variant("pattern: BusinessHours", "pattern: Weekdays"));
    assert_eq!(
        e,
        "error: variant.ron:13:18: field `traffic.pattern`: unknown value `Weekdays`; hint: accepted: `Steady`, `BusinessHours`, `Custom`\n"
    );
    let e = check_fails("zone.ron", &variant("residency: Global", "residency: DataZone(Asia)"));
    assert!(
        e.contains("field `residency`: unknown value `Asia`; hint: accepted: `Us`, `Eu`"),
        "{e}"
    );
}

#[test]
fn negative_non_finite_and_absurd_numbers() {
    let cases = [
        (
            "neg.ron",
            "input_tokens: 2000",
            "input_tokens: -2000",
            "neg.ron:9:9: field `workload.input_tokens` = -2000 is negative; accepted: 1 to 10000000",
        ),
        (
            "nan.ron",
            "input_tokens: 2000",
            "input_tokens: NaN",
            "nan.ron:9:9: field `workload.input_tokens` = NaN is not a finite number",
        ),
        (
            "inf.ron",
            "output_tokens: 500",
            "output_tokens: inf",
            "inf.ron:10:9: field `workload.output_tokens` = inf is not a finite number",
        ),
        (
            "huge.ron",
            "requests_per_day: 100000",
            "requests_per_day: 1e300",
            "huge.ron:8:9: field `workload.requests_per_day` = 1e300 is too large; accepted: 0 to 10000000000 (requests per day)",
        ),
        (
            "tokens.ron",
            "output_tokens: 500",
            "output_tokens: 20000000",
            "tokens.ron:10:9: field `workload.output_tokens` = 20000000 is too large; accepted: 1 to 10000000",
        ),
        (
            "ttft.ron",
            "ttft_ms: 2000",
            "ttft_ms: -1",
            "ttft.ron:18:9: field `latency.ttft_ms` = -1 is negative",
        ),
    ];
    for (name, from, to, want) in cases {
        let e = check_fails(name, &variant(from, to));
        assert!(e.contains(want), "{name}: {e}");
    }
}

#[test]
fn cached_share_and_peak_ratio_ranges() {
    let e = check_fails(
        "cached.ron",
        &variant(
            "output_tokens: 500,",
            "output_tokens: 500,\n        cached_input_share: 1.5,",
        ),
    );
    assert_eq!(
        e,
        "error: cached.ron:11:9: field `workload.cached_input_share` = 1.5 is too large; accepted: 0 to 1 (share of prompt tokens served from cache)\n"
    );
    let e = check_fails("peak.ron", &variant("peak_to_average: 2.0", "peak_to_average: 0.5"));
    assert!(
        e.starts_with("error: peak.ron:14:9: field `traffic.peak_to_average` = 0.5 is too small; accepted: 1 to 1440"),
        "{e}"
    );
}

#[test]
fn custom_pattern_shape() {
    let w23 = format!("pattern: Custom([{}])", vec!["1"; 23].join(", "));
    let e = check_fails("w23.ron", &variant("pattern: BusinessHours", &w23));
    assert!(e.contains("w23.ron:13:9: field `traffic.pattern` = Custom with 23 weights has the wrong number of weights; accepted: exactly 24"), "{e}");
    let zeros = format!("pattern: Custom([{}])", vec!["0"; 24].join(", "));
    let e = check_fails("zeros.ron", &variant("pattern: BusinessHours", &zeros));
    assert!(
        e.contains("zeros.ron:13:9: field `traffic.pattern` = Custom with all weights 0 has no traffic in any hour"),
        "{e}"
    );
    let mut w = vec!["1"; 24];
    w[5] = "-2";
    let neg = format!("pattern: Custom([{}])", w.join(", "));
    let e = check_fails("negw.ron", &variant("pattern: BusinessHours", &neg));
    assert!(
        e.contains("negw.ron:13:41: field `traffic.pattern[5]` = -2 is not a finite, non-negative weight"),
        "{e}"
    );
}

#[test]
fn unknown_ids_suggest_close_matches() {
    let e = check_fails(
        "model.ron",
        &variant(
            "quality: Efficient,",
            "quality: Efficient,\n    models: [\"gpt-4o-mini\", \"llama-3-70b\"],",
        ),
    );
    assert_eq!(
        e,
        "error: model.ron:23:29: field `models[1]` = \"llama-3-70b\" is not a known model id; accepted: an id from `llmcap catalog models` (did you mean one of `llama-3.1-70b`, `llama-3.3-70b`, `llama-2-70b`?)\n"
    );
    let e = check_fails(
        "gpu.ron",
        &variant(
            "quality: Efficient,",
            "quality: Efficient,\n    self_hosting: (gpus: [\"h100\"]),",
        ),
    );
    assert!(e.contains("gpu.ron:23:27: field `self_hosting.gpus[0]` = \"h100\" is not a known GPU id; accepted: an id from `llmcap catalog gpus` (did you mean one of `h100-nvl`, `h100-sxm`, `h100-pcie`?)"), "{e}");
    let e = check_fails(
        "region.ron",
        &variant("residency: Global", "residency: Region(\"westeurop\")"),
    );
    assert!(
        e.contains("field `residency` = \"westeurop\" is not a known region id"),
        "{e}"
    );
    assert!(e.contains("`westeurope`"), "{e}");
}

#[test]
fn other_value_rules() {
    let cases = [
        (
            "disc.ron",
            "pricing: (discount: 1.5)",
            "field `pricing.discount` = \"1.5\" is too large; accepted: 0 to 1",
        ),
        (
            "mem.ron",
            "self_hosting: (memory_utilization: 0.99)",
            "field `self_hosting.memory_utilization` = 0.99 is too large; accepted: 0.5 to 0.98",
        ),
        (
            "repl.ron",
            "self_hosting: (min_replicas: 0)",
            "field `self_hosting.min_replicas` = 0 is zero; accepted: 1 to 10000",
        ),
        (
            "money.ron",
            "team: (engineer_monthly_cost: \"lots\")",
            "field `team.engineer_monthly_cost`: \"lots\" is not a decimal amount",
        ),
        ("name.ron", "name: \"\"", "field `name` = \"\" is empty"),
    ];
    for (name, add, want) in cases {
        let bytes = if add.starts_with("name:") {
            variant("name: \"Customer-support chatbot\"", add)
        } else {
            variant("quality: Efficient,", &format!("quality: Efficient,\n    {add},"))
        };
        let e = check_fails(name, &bytes);
        assert!(e.contains(want), "{name}: {e}");
    }
}

#[test]
fn newer_format_version_is_refused() {
    let e = check_fails("v2.ron", &variant("version: 1,", "version: 2,\n    budget: 1,"));
    assert_eq!(
        e,
        "error: v2.ron:4:5: field `version` = 2: this file uses scenario format version 2, but this build of llmcap reads version 1; upgrade llmcap to open it\n"
    );
    let e = check_fails("v0.ron", &variant("version: 1,", "version: 0,"));
    assert!(
        e.contains("v0.ron:4:5: field `version` = 0 is not a format version this build reads"),
        "{e}"
    );
}

#[test]
fn directory_and_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("adir.ron");
    fs::create_dir(&sub).unwrap();
    llmcap()
        .arg("check")
        .arg(&sub)
        .assert()
        .code(2)
        .stderr(predicate::str::ends_with(
            "adir.ron: is a directory; expected a scenario file (.ron)\n",
        ));
    llmcap()
        .arg("check")
        .arg(dir.path().join("nope.ron"))
        .assert()
        .code(2)
        .stderr(predicate::str::ends_with("nope.ron: no such file\n"));
}

#[test]
fn good_and_bad_files_together_report_both() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(
        dir.path(),
        "bad.ron",
        &variant("peak_to_average: 2.0", "peak_to_average: 0.5"),
    );
    llmcap()
        .arg("check")
        .arg(CASE)
        .arg(&bad)
        .assert()
        .code(2)
        .stdout(predicate::str::contains("support-chatbot.ron: ok"))
        .stderr(predicate::str::contains(
            "bad.ron:14:9: field `traffic.peak_to_average`",
        ));
}

#[test]
fn check_needs_a_file() {
    llmcap()
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("FILE"));
}
