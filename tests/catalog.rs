//! The built-in catalog: every id product.md requires, sources on every entry, and
//! override folders merged by id with errors that point at file:line.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

mod common;
use common::llmcap;

use llmcap::catalog::{Catalog, Deployment, Weights};
use predicates::prelude::*;
use serde_json::Value;
use std::fs;

const GPUS: &[&str] = &[
    "h100-sxm",
    "h100-pcie",
    "h100-nvl",
    "h200",
    "a100-sxm-80gb",
    "a100-pcie-80gb",
    "a100-sxm-40gb",
    "a10",
    "l4",
    "l40s",
    "t4",
    "mi300x",
    "b200",
];
const OPEN_MODELS: &[&str] = &[
    "llama-3.1-8b",
    "llama-3.1-70b",
    "llama-3.3-70b",
    "llama-3.1-405b",
    "llama-3.2-1b",
    "llama-3.2-3b",
    "llama-4-scout",
    "llama-4-maverick",
    "mistral-7b",
    "mixtral-8x7b",
    "mixtral-8x22b",
    "mistral-nemo-12b",
    "mistral-small-24b",
    "mistral-large-2",
    "qwen2.5-7b",
    "qwen2.5-14b",
    "qwen2.5-32b",
    "qwen2.5-72b",
    "phi-3-mini",
    "phi-3-medium",
    "phi-4",
    "phi-4-mini",
    "gemma-2-2b",
    "gemma-2-9b",
    "gemma-2-27b",
    "gemma-3-27b",
    "deepseek-v3",
    "gpt-oss-20b",
    "gpt-oss-120b",
    "llama-2-7b",
    "llama-2-13b",
    "llama-2-70b",
    "gpt-j-6b",
    "mpt-7b",
    "falcon-180b",
];
const HOSTED_MODELS: &[&str] = &[
    "gpt-4o",
    "gpt-4o-mini",
    "gpt-4.1",
    "gpt-4.1-mini",
    "gpt-4.1-nano",
    "o1",
    "o3",
    "o3-mini",
    "o4-mini",
    "gpt-5",
    "gpt-5-mini",
    "gpt-5-nano",
    "claude-opus-4",
    "claude-sonnet-4",
    "claude-haiku-3.5",
];

#[test]
fn every_required_id_is_present() {
    let c = Catalog::embedded().unwrap();
    for id in GPUS {
        assert!(c.gpu(id).is_some(), "GPU {id}");
    }
    for id in OPEN_MODELS {
        let m = c.model(id).unwrap_or_else(|| panic!("model {id}"));
        assert_eq!(m.weights, Weights::Open, "{id}");
        assert!(m.architecture.is_some(), "{id}");
    }
    for id in HOSTED_MODELS {
        let m = c.model(id).unwrap_or_else(|| panic!("model {id}"));
        assert_eq!(m.weights, Weights::Closed, "{id}");
        assert!(!m.deployments.is_empty(), "{id} has no deployment");
    }
    // VMs in East US, with GPU type and count.
    assert!(c.vms.iter().filter(|v| v.usd_per_hour.contains_key("eastus")).count() >= 10);
    assert_eq!(
        c.vm("Standard_ND96isr_H100_v5").map(|v| (v.gpu.as_str(), v.gpus)),
        Some(("h100-sxm", 8))
    );
}

#[test]
fn seed_prices_hold() {
    use rust_decimal::Decimal;
    use std::str::FromStr;
    let c = Catalog::embedded().unwrap();
    let p = c.price("gpt-4o-mini", Deployment::GlobalStandard).unwrap();
    assert_eq!(
        (p.input, p.output),
        (Decimal::from_str("0.15").unwrap(), Decimal::from_str("0.60").unwrap())
    );
    // Every hosted Azure OpenAI model has a Global Standard price; batch is half of it where both are confirmed.
    let g = c.price("gpt-4.1", Deployment::GlobalStandard).unwrap();
    let b = c.price("gpt-4.1", Deployment::GlobalBatch).unwrap();
    assert_eq!(b.input * Decimal::TWO, g.input);
    assert_eq!(b.output * Decimal::TWO, g.output);
    let vm = c.vm("Standard_ND96isr_H100_v5").unwrap();
    assert_eq!(vm.usd_per_hour["eastus"], Decimal::from_str("98.32").unwrap());
    // The facts: H200 and MI300X VMs are not sold in East US; no price is invented for it.
    assert!(
        !c.vm("Standard_ND96isr_H200_v5")
            .unwrap()
            .usd_per_hour
            .contains_key("eastus")
    );
}

#[test]
fn catalog_gpus_json_lists_every_gpu_with_its_figures() {
    let out = llmcap().args(["catalog", "gpus", "--format", "json"]).output().unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let gpus = v.as_array().unwrap();
    for id in GPUS {
        let g = gpus.iter().find(|g| g["id"] == *id).unwrap_or_else(|| panic!("{id}"));
        for field in ["memory_gib", "bandwidth_gb_s", "bf16_tflops"] {
            assert!(g[field].as_f64().is_some_and(|x| x > 0.0), "{id}.{field}");
        }
        assert!(g.get("fp8_tflops").is_some(), "{id} has no fp8_tflops key");
        assert!(g["source"].as_str().is_some_and(|s| !s.is_empty()), "{id}");
        assert!(g["as_of"].as_str().is_some(), "{id}");
    }
    let h100 = gpus.iter().find(|g| g["id"] == "h100-sxm").unwrap();
    assert_eq!(h100["fp8_tflops"].as_f64(), Some(1978.9));
    let a100 = gpus.iter().find(|g| g["id"] == "a100-sxm-80gb").unwrap();
    assert!(a100["fp8_tflops"].is_null());
}

#[test]
fn every_listing_renders_in_both_formats() {
    for section in [
        None,
        Some("models"),
        Some("gpus"),
        Some("vms"),
        Some("servers"),
        Some("prices"),
        Some("platforms"),
    ] {
        for format in ["text", "json"] {
            let mut cmd = llmcap();
            cmd.arg("catalog");
            if let Some(s) = section {
                cmd.arg(s);
            }
            let out = cmd.args(["--format", format]).output().unwrap();
            assert!(out.status.success(), "{section:?} {format}");
            let text = String::from_utf8(out.stdout).unwrap();
            if format == "json" {
                serde_json::from_str::<Value>(&text).unwrap();
            } else {
                assert!(text.lines().count() > 5, "{section:?}");
            }
        }
    }
    llmcap()
        .args(["catalog", "tpus"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "possible values: models, gpus, vms, servers, prices, platforms",
        ));
}

fn override_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

const GPU_OVERRIDE: &str = r#"[
    (
        id: "h100-sxm", name: "H100 SXM (measured)", vendor: Nvidia, family: Hopper,
        memory_gib: 79.6, bandwidth_gb_s: 3350, bf16_tflops: 989.4, fp8_tflops: 1978.9, int8_tops: 1978.9,
        link_gb_s: 900, interconnect: "NVLink 4", tdp_w: 700, source: "our lab", as_of: "2026-10-01",
    ),
    (
        id: "rtx-6000-ada", name: "RTX 6000 Ada", vendor: Nvidia, family: Ada,
        memory_gib: 48, bandwidth_gb_s: 960, bf16_tflops: 364, fp8_tflops: 728, int8_tops: 728,
        link_gb_s: 64, interconnect: "PCIe Gen4", tdp_w: 300, source: "NVIDIA datasheet", as_of: "2023-08-09", estimate: true,
    ),
]"#;

#[test]
fn overrides_replace_by_id_and_add_new_entries() {
    let dir = override_dir(&[("gpus.ron", GPU_OVERRIDE)]);
    let c = Catalog::load(Some(dir.path())).unwrap();
    assert_eq!(c.gpu("h100-sxm").unwrap().memory_gib, 79.6);
    assert!(c.gpu("rtx-6000-ada").is_some());
    assert_eq!(c.gpus.len(), Catalog::embedded().unwrap().gpus.len() + 1);
    assert_eq!(c.overrides.len(), 1);

    // The same through the flag and through the environment variable.
    let out = llmcap()
        .args(["catalog", "gpus", "--catalog"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("rtx-6000-ada"));
    let out = llmcap()
        .env("LLMCAP_CATALOG", dir.path())
        .args(["catalog", "gpus"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("rtx-6000-ada"));
}

#[test]
fn an_override_makes_a_scenario_id_known() {
    let dir = override_dir(&[("gpus.ron", GPU_OVERRIDE)]);
    let s = fs::read_to_string("scenarios/support-chatbot.ron").unwrap().replace(
        "quality: Efficient,",
        "quality: Efficient, self_hosting: (gpus: [\"rtx-6000-ada\"]),",
    );
    let elsewhere = tempfile::tempdir().unwrap();
    let f = elsewhere.path().join("s.ron");
    fs::write(&f, s).unwrap();
    llmcap()
        .arg("check")
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a known GPU id"));
    llmcap()
        .arg("--catalog")
        .arg(dir.path())
        .arg("check")
        .arg(&f)
        .assert()
        .success();
}

fn override_error(files: &[(&str, &str)]) -> String {
    let dir = override_dir(files);
    let out = llmcap()
        .arg("--catalog")
        .arg(dir.path())
        .arg("catalog")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let e = String::from_utf8(out.stderr).unwrap();
    assert!(!e.contains("panicked"), "{e}");
    e.replace(&format!("{}/", dir.path().display()), "")
}

#[test]
fn broken_overrides_name_file_and_line() {
    let e = override_error(&[(
        "gpus.ron",
        "[\n    (\n        id: \"x\",\n        nme: \"typo\",\n    ),\n]",
    )]);
    assert!(
        e.starts_with("error: catalog: gpus.ron:4:9: Unexpected field named `nme`"),
        "{e}"
    );

    let bad_value = GPU_OVERRIDE.replace("memory_gib: 79.6", "memory_gib: -1");
    let e = override_error(&[("gpus.ron", &bad_value)]);
    assert!(
        e.contains("catalog: gpus.ron:3:13: `h100-sxm`: `memory_gib` = -1 must be a positive, finite number"),
        "{e}"
    );

    let dup = "[\n(id: \"eastus\", name: \"a\", source: \"s\", as_of: \"2026-01-01\"),\n(id: \"eastus\", name: \"b\", source: \"s\", as_of: \"2026-01-01\"),\n]";
    let e = override_error(&[("regions.ron", dup)]);
    assert!(
        e.contains("regions.ron:2:6: `eastus` is defined twice in this file"),
        "{e}"
    );

    let vm = "[(id: \"Standard_X\", gpu: \"h999\", gpus: 1, vcpus: 4, ram_gib: 16, usd_per_hour: {\"eastus\": \"0\"}, source: \"s\", as_of: \"2026-13-01\")]";
    let e = override_error(&[("vms.ron", vm)]);
    assert!(
        e.contains("vms.ron:1:7: `Standard_X`: `gpu` = \"h999\" is not a GPU in gpus.ron"),
        "{e}"
    );
    assert!(e.contains("price in eastus is 0; a price must be positive"), "{e}");
    assert!(e.contains("`as_of` = \"2026-13-01\" is not a date"), "{e}");

    let e = override_error(&[(
        "prices.ron",
        "[(model: \"gpt-9\", deployment: GlobalStandard, input: 1, output: 2, source: \"s\", as_of: \"2026-01-01\")]",
    )]);
    assert!(e.contains("`model` = \"gpt-9\" is not in models.ron"), "{e}");

    let e = override_error(&[(
        "constants.ron",
        "[(id: \"mbu.hopper\", value: NaN, unit: \"ratio\", description: \"d\", source: \"s\", as_of: \"2026-01-01\")]",
    )]);
    assert!(
        e.contains("`mbu.hopper`: `value` = NaN must be a finite, non-negative number"),
        "{e}"
    );

    let e = override_error(&[("gpu.ron", "[]")]);
    assert!(
        e.contains("gpu.ron: is not a catalog file; accepted names: meta.ron, regions.ron, gpus.ron"),
        "{e}"
    );
}

#[test]
fn override_folder_must_exist() {
    llmcap()
        .args(["--catalog", "/nonexistent/llmcap-catalog", "catalog"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "catalog: /nonexistent/llmcap-catalog: is not a folder",
        ));
}

#[test]
fn catalog_gpus_lists_the_edge_and_cpu_devices_with_their_sources() {
    let catalog = llmcap::catalog::Catalog::embedded().unwrap();
    for id in [
        "rtx-4090",
        "jetson-agx-orin-64gb",
        "jetson-orin-nano-super",
        "epyc-9554",
    ] {
        let g = catalog.gpu(id).unwrap_or_else(|| panic!("{id}"));
        assert!(!g.source.is_empty() && g.estimate, "{id}: sourced, marked estimate");
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_llmcap"))
        .args(["catalog", "gpus", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "jetson-orin-nano-super",
        "epyc-9554",
        "ahelpme.com",
        "brojogopalsapui.com",
    ] {
        assert!(text.contains(needle), "{needle}");
    }
    // Only the device with a sourced price is priced; the others say how to give one.
    let priced: Vec<&str> = catalog
        .servers
        .iter()
        .filter(|s| {
            [
                "rtx-4090",
                "jetson-agx-orin-64gb",
                "jetson-orin-nano-super",
                "epyc-9554",
            ]
            .contains(&s.gpu.as_str())
        })
        .filter(|s| s.usd.is_some())
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(priced, ["jetson-orin-nano-super-devkit"]);
}

#[test]
fn catalog_platforms_lists_every_family_with_its_figures_and_dates() {
    let out = llmcap().args(["catalog", "platforms"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for family in llmcap::vocab::Family::ALL {
        let row = text
            .lines()
            .find(|l| l.starts_with(&format!("{} ", family.label())))
            .unwrap_or_else(|| panic!("no row for {family}: {text}"));
        // Every family names its options and the newest date of its figures.
        for o in llmcap::vocab::OptionId::ALL.iter().filter(|o| o.family() == family) {
            assert!(row.contains(o.id()), "{row}");
        }
        assert!(row.trim_end().ends_with(|c: char| c.is_ascii_digit()), "{row}");
    }
    for section in [
        "Foundry managed compute",
        "GPU serving sizes",
        "USD per DBU",
        "provisioned throughput",
        "Whole devices",
    ] {
        assert!(text.contains(section), "{section}");
    }
    assert!(
        text.contains("Standard_NC24ads_A100_v4")
            && text.contains("GPU_LARGE_2")
            && text.contains("jetson-orin-nano-super")
    );
    let out = llmcap()
        .args(["catalog", "platforms", "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["families"].as_array().unwrap().len(),
        llmcap::vocab::Family::ALL.len()
    );
    assert!(
        v["managed_compute_vms"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["managed_compute"]["source"].is_string())
    );
    assert!(
        v["direct_api_prices"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["source"].is_string() && p["as_of"].is_string())
    );
    assert!(!v["databricks"].as_array().unwrap().is_empty());
}
