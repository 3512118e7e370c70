//! Catalog override folders a person (or a shared team folder) might hold: special files,
//! a byte-order mark, names in the wrong case, files that are not applied, impossible
//! dates, prices that would overflow the arithmetic, ids that would become markup or
//! formulas, and an error located at the entry, not at a comment that names it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

mod common;

use std::fs;
use std::time::Duration;

use common::llmcap;
use predicates::prelude::*;

const LIMIT: Duration = Duration::from_secs(20);
const S: &str = "scenarios/support-chatbot.ron";

fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn eval_with(dir: &tempfile::TempDir) -> assert_cmd::assert::Assert {
    llmcap()
        .arg("--catalog")
        .arg(dir.path())
        .args(["eval", S, "--format", "json"])
        .timeout(LIMIT)
        .assert()
}

fn price(model: &str, input: &str, output: &str) -> String {
    format!(
        "[(model: \"{model}\", deployment: GlobalStandard, input: \"{input}\", output: \"{output}\", source: \"test\", as_of: \"2026-01-01\", estimate: false)]"
    )
}

#[test]
fn a_catalog_override_that_is_a_fifo_or_a_device_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("gpus.ron")).unwrap();
    eval_with(&dir)
        .code(2)
        .stderr(predicate::str::contains("not a regular file"));
    let dir = tempfile::tempdir().unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join("vms.ron"))
        .status()
        .is_ok_and(|s| s.success());
    if made {
        eval_with(&dir)
            .code(2)
            .stderr(predicate::str::contains("not a regular file"));
    }
}

#[test]
fn a_byte_order_mark_is_read() {
    let text = fs::read_to_string("assets/catalog/meta.ron").unwrap();
    let dir = folder(&[("meta.ron", &format!("\u{feff}{text}"))]);
    eval_with(&dir).success();
}

#[test]
fn names_in_the_wrong_case_are_refused_and_other_files_are_said() {
    let dir = folder(&[("GPUS.RON", "[]")]);
    eval_with(&dir)
        .code(2)
        .stderr(predicate::str::contains("rename it to gpus.ron"));
    let dir = folder(&[("readme.txt", "notes"), (".#gpus.ron", "lock")]);
    eval_with(&dir).success().stderr(
        predicate::str::contains("readme.txt: a hidden or non-.ron file, not applied").and(predicate::str::contains(
            ".#gpus.ron: a hidden or non-.ron file, not applied",
        )),
    );
}

#[test]
fn impossible_dates_are_refused() {
    let text = fs::read_to_string("assets/catalog/meta.ron")
        .unwrap()
        .replace("as_of: \"2026-07-24\"", "as_of: \"2026-02-31\"");
    let dir = folder(&[("meta.ron", &text)]);
    eval_with(&dir)
        .code(2)
        .stderr(predicate::str::contains("\"2026-02-31\" is not a date"));
    let leap = fs::read_to_string("assets/catalog/meta.ron")
        .unwrap()
        .replace("as_of: \"2026-07-24\"", "as_of: \"2028-02-29\"");
    eval_with(&folder(&[("meta.ron", &leap)])).success();
}

#[test]
fn prices_that_would_overflow_the_arithmetic_are_refused_without_a_panic() {
    for (input, output) in [
        ("100000000000000000000", "0.60"),
        ("0.0000000000000000000000000001", "0.60"),
    ] {
        let dir = folder(&[("prices.ron", &price("gpt-4o-mini", input, output))]);
        eval_with(&dir)
            .code(2)
            .stderr(predicate::str::contains("USD per million tokens").and(predicate::str::contains("panicked").not()));
    }
    let ptu = "[(kind: Global, usd_per_hour: \"79228162514264337593543950335\", one_month_usd: \"260\", one_year_usd: \"2652\", source: \"test\", as_of: \"2026-01-01\", estimate: true)]";
    eval_with(&folder(&[("ptu_prices.ron", ptu)]))
        .code(2)
        .stderr(predicate::str::contains("PTU prices must be at most").and(predicate::str::contains("panicked").not()));
}

#[test]
fn ids_that_would_become_formulas_or_markup_are_refused() {
    let gpus = fs::read_to_string("assets/catalog/gpus.ron").unwrap();
    let start = gpus.find("(\n        id: \"t4\"").unwrap();
    let end = start + gpus[start..].find("\n    ),").unwrap() + "\n    ),".len();
    for id in ["=HYPERLINK(\\\"x\\\")", "<img src=x>", "-2+3", "a|b"] {
        let entry = gpus[start..end].replace("id: \"t4\"", &format!("id: \"{id}\""));
        let dir = folder(&[("gpus.ron", &format!("[\n{entry}\n]"))]);
        eval_with(&dir)
            .code(2)
            .stderr(predicate::str::contains("may hold only letters, digits"));
    }
}

#[test]
fn an_error_points_at_the_entry_not_at_a_comment_naming_it() {
    let text = format!(
        "// This file corrects gpt-4o-mini: \"gpt-4o-mini\" GlobalStandard.\n{}\n",
        price("gpt-4o-mini", "0", "0.60").replace("[(", "[\n    (")
    );
    let dir = folder(&[("prices.ron", &text)]);
    eval_with(&dir)
        .code(2)
        .stderr(predicate::str::contains("prices.ron:3:").and(predicate::str::contains("prices.ron:1:").not()));
}

#[test]
fn thousands_of_entries_merge_quickly_and_problems_are_capped() {
    let entry = |i: usize, value: &str| {
        format!(
            "(id: \"test_constant_{i}\", value: {value}, unit: \"x\", description: \"t\", source: \"test\", as_of: \"2026-01-01\", estimate: false),"
        )
    };
    let good: String = (0..40_000).map(|i| entry(i, "1")).collect();
    let dir = folder(&[("constants.ron", &format!("[{good}]"))]);
    eval_with(&dir).success();
    let bad: String = (0..4_000).map(|i| entry(i, "-1")).collect();
    let dir = folder(&[("constants.ron", &format!("// test_constant_1 is named here\n[{bad}]"))]);
    let out = llmcap()
        .arg("--catalog")
        .arg(dir.path())
        .args(["check", S])
        .timeout(LIMIT)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 51, "{}", err.lines().last().unwrap_or(""));
    assert!(err.contains("... and 3950 more problems"));
}

fn server(id: &str, gpu: &str, gpus: u32, usd: &str) -> String {
    format!(
        "[(id: \"{id}\", name: \"test server\", gpu: \"{gpu}\", gpus: {gpus}, {usd} max_kw: 3.0, source: \"test\", as_of: \"2026-01-01\", estimate: true)]"
    )
}

#[test]
fn a_server_with_a_gpu_count_its_part_is_not_sold_in_is_refused() {
    // H100 SXM comes on 8-GPU baseboards only.
    let dir = folder(&[("servers.ron", &server("hgx-4x-h100", "h100-sxm", 4, "usd: 150000,"))]);
    eval_with(&dir).code(2).stderr(
        predicate::str::contains("servers.ron:1:")
            .and(predicate::str::contains("`hgx-4x-h100`"))
            .and(predicate::str::contains("h100-sxm is sold in servers of 8 GPUs")),
    );
    // A PCIe card comes 1, 2, 4 or 8 to a server, never 3.
    let dir = folder(&[("servers.ron", &server("pcie-3x-l4", "l4", 3, ""))]);
    eval_with(&dir)
        .code(2)
        .stderr(predicate::str::contains("l4 is sold in servers of 1, 2, 4, 8 GPUs"));
}

#[test]
fn a_server_of_an_unknown_gpu_is_refused() {
    let dir = folder(&[("servers.ron", &server("mystery-box", "h900", 8, "usd: 1,"))]);
    eval_with(&dir).code(2).stderr(
        predicate::str::contains("`mystery-box`")
            .and(predicate::str::contains("`gpu` = \"h900\" is not a GPU in gpus.ron")),
    );
}

#[test]
fn a_server_price_given_in_an_override_prices_the_gpu_on_premises() {
    let scenario = fs::read_to_string("scenarios/factory-floor-air-gapped.ron").unwrap();
    let dir = folder(&[("servers.ron", &server("pcie-4x-t4", "t4", 4, "usd: 30000,"))]);
    let cases = tempfile::tempdir().unwrap();
    fs::write(cases.path().join("case.ron"), scenario).unwrap();
    let out = llmcap()
        .arg("--catalog")
        .arg(dir.path())
        .args(["eval", "--format", "json", "--as-of", "2026-12-01"])
        .arg(cases.path().join("case.ron"))
        .timeout(LIMIT)
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let owned: Vec<&serde_json::Value> = json["options"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["option"] == "self-hosted/on-premises" && o["feasible"] == true)
        .collect();
    assert!(!owned.is_empty(), "an owned t4 server makes on premises feasible");
    let sh = &owned[0]["self_hosted"];
    assert_eq!(sh["vm"], "pcie-4x-t4");
    assert_eq!(sh["gpus_per_server"], 4);
    assert_eq!(sh["servers_peak"], sh["vms_peak"]);
}
