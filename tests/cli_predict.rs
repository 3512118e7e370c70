//! `llmcap predict`: the JSON contract of product.md, the text form, and bad flags (exit 2,
//! one clear message, no panic).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

mod common;
use common::{json_of, llmcap};

use predicates::prelude::*;
use serde_json::Value;

fn predict_json(args: &[&str]) -> Value {
    json_of(llmcap().arg("predict").args(args).args(["--format", "json"]))
}

#[test]
fn json_has_every_contract_field() {
    let v = predict_json(&[
        "--model",
        "llama-3.1-70b",
        "--gpu",
        "h100-sxm",
        "--gpus",
        "2",
        "--tp",
        "2",
        "--precision",
        "fp8",
        "--input",
        "2048",
        "--output",
        "128",
        "--concurrency",
        "64",
    ]);
    for key in [
        "model",
        "gpu",
        "gpus",
        "tp",
        "precision",
        "input",
        "output",
        "concurrency",
        "fits",
        "kv_bytes_per_token",
        "vram_per_gpu_gib",
        "max_concurrency",
        "ttft_ms",
        "tpot_ms",
        "output_tokens_per_s",
        "output_tokens_per_s_per_request",
        "requests_per_s",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    for key in ["weights", "kv_cache", "activations", "runtime", "total", "capacity"] {
        assert!(
            v["vram_per_gpu_gib"][key].as_f64().is_some(),
            "missing vram_per_gpu_gib.{key}"
        );
    }
    assert_eq!(v["model"], "llama-3.1-70b");
    assert_eq!((v["gpus"].as_u64(), v["tp"].as_u64()), (Some(2), Some(2)));
    assert_eq!(v["precision"], "fp8");
    assert_eq!(v["concurrency"], 64);
    assert_eq!(v["fits"], true);
    assert_eq!(v["kv_bytes_per_token"], 163_840);
    assert_eq!(v["vram_per_gpu_gib"]["capacity"], 80.0);
    let w = v["vram_per_gpu_gib"]["weights"].as_f64().unwrap();
    assert!((w - 70.6e9 / 2.0 / 1_073_741_824.0).abs() < 0.01, "{w}");
    assert!(v["output_tokens_per_s"].as_f64().unwrap() > 0.0);
}

#[test]
fn defaults_gpus_to_tp_and_tp_to_the_smallest_that_fits() {
    let v = predict_json(&[
        "--model",
        "llama-3.1-70b",
        "--gpu",
        "a100-sxm-80gb",
        "--input",
        "1000",
        "--output",
        "200",
    ]);
    assert_eq!(
        (v["tp"].as_u64(), v["gpus"].as_u64(), v["precision"].as_str()),
        (Some(2), Some(2), Some("bf16"))
    );
    let v = predict_json(&[
        "--model",
        "llama-3.1-8b",
        "--gpu",
        "a10",
        "--input",
        "1000",
        "--output",
        "200",
        "--concurrency",
        "max",
    ]);
    assert_eq!(v["tp"], 1);
    assert_eq!(
        v["concurrency"].as_u64(),
        v["max_concurrency"]
            .as_u64()
            .map(|m| m.min(v["concurrency"].as_u64().unwrap()))
    );
}

#[test]
fn not_fitting_says_what_is_short_and_what_would_fit() {
    let v = predict_json(&[
        "--model",
        "llama-3.1-405b",
        "--gpu",
        "h100-sxm",
        "--tp",
        "8",
        "--precision",
        "bf16",
        "--input",
        "2048",
        "--output",
        "128",
    ]);
    assert_eq!(v["fits"], false);
    assert!(v["output_tokens_per_s"].is_null() && v["ttft_ms"].is_null());
    assert!(
        v["reason"]
            .as_str()
            .unwrap()
            .starts_with("weights need 94.5 GiB per GPU at tp 8 (756.0 GiB in all)"),
        "{}",
        v["reason"]
    );
    assert_eq!(
        v["suggestions"][0],
        "fits on 8 x h100-sxm at fp8 (--precision fp8 --tp 8)"
    );

    llmcap()
        .args([
            "predict",
            "--model",
            "llama-3.1-70b",
            "--gpu",
            "h100-sxm",
            "--tp",
            "1",
            "--precision",
            "bf16",
            "--input",
            "2048",
            "--output",
            "128",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("Does not fit: weights need 131.5 GiB per GPU"))
        .stdout(predicate::str::contains("fits on 2 x h100-sxm at bf16 (--tp 2)"));
}

#[test]
fn text_form_reads_as_a_table() {
    let out = llmcap()
        .args([
            "predict",
            "--model",
            "llama-3.1-8b",
            "--gpu",
            "l4",
            "--input",
            "1000",
            "--output",
            "200",
            "--concurrency",
            "16",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("llama-3.1-8b on 1 x l4 (bf16, tp 1): 1,000 tokens in, 200 out, 16 in flight"),
        "{text}"
    );
    for line in [
        "weights",
        "KV cache",
        "activations",
        "runtime",
        "total",
        "time to first token",
        "output tokens/s",
    ] {
        assert!(text.contains(line), "missing {line}:\n{text}");
    }
}

fn bad(args: &[&str], message: &str) {
    let out = llmcap().arg("predict").args(args).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(stderr.contains(message), "{args:?}:\n{stderr}");
    assert!(!stderr.contains("panicked"));
    assert!(out.stdout.is_empty());
}

/// (arguments, part of the message): each exits 2 with that message and prints nothing.
const BAD_FLAGS: &[(&str, &str)] = &[
    (
        "--model llama-3-70b --gpu h100-sxm --input 1000 --output 100",
        "--model: unknown model id `llama-3-70b`; did you mean one of `llama-3.1-70b`, `llama-3.3-70b`",
    ),
    (
        "--model llama-3.1-8b --gpu h100 --input 1000 --output 100",
        "--gpu: unknown GPU id `h100`; did you mean one of `h100-nvl`, `h100-sxm`, `h100-pcie`?",
    ),
    (
        "--model gpt-4o --gpu h100-sxm --input 1000 --output 100",
        "gpt-4o is a hosted model with closed weights",
    ),
    (
        "--model llama-3.1-70b --gpu h100-sxm --tp 3 --input 1000 --output 100",
        "--tp 3 does not divide the model's 64 attention heads; accepted: 1, 2, 4, 8",
    ),
    (
        "--model llama-3.1-70b --gpu h100-sxm --tp 16 --input 1000 --output 100",
        "--tp 16 is out of range; accepted: 1 to 8",
    ),
    (
        "--model llama-3.1-70b --gpu h100-sxm --tp 4 --gpus 2 --input 1000 --output 100",
        "--gpus 2 is fewer than --tp 4",
    ),
    (
        "--model llama-3.1-70b --gpu h100-sxm --tp 4 --gpus 6 --input 1000 --output 100",
        "--gpus 6 is not a multiple of --tp 4",
    ),
    (
        "--model llama-3.1-70b --gpu a100-sxm-80gb --precision fp8 --input 1000 --output 100",
        "--precision fp8: a100-sxm-80gb (ampere) cannot run fp8 in vLLM (it runs fp8 on: ada, hopper, cdna3, blackwell); accepted for llama-3.1-70b on it: bf16, int8, int4",
    ),
    (
        "--model llama-3.1-8b --gpu l4 --concurrency 0 --input 1000 --output 100",
        "expected a whole number of requests (1 or more) or `max`",
    ),
    (
        "--model llama-3.1-8b --gpu l4 --concurrency lots --input 1000 --output 100",
        "expected a whole number of requests",
    ),
    (
        "--model llama-3.1-8b --gpu l4 --input 0 --output 10",
        "--input 0 is out of range; accepted: 1 to 10000000 tokens",
    ),
    (
        "--model llama-3.1-8b --gpu l4 --input 10 --output 99999999999",
        "--output 99999999999 is out of range",
    ),
    ("--model llama-3.1-8b --gpu l4 --input -5 --output 10", "--input"),
    (
        "--model phi-4 --gpu l4 --input 16000 --output 1000",
        "--input 16000 plus --output 1000 is 17000 tokens, beyond phi-4's context of 16384 tokens",
    ),
    (
        "--model llama-3.1-8b --gpu l4 --memory-utilization 0.99 --input 1000 --output 100",
        "memory utilization 0.99 is out of range; accepted: 0.5 to 0.98",
    ),
    ("--model llama-3.1-8b --gpu l4 --output 10", "--input <N>"),
];

#[test]
fn bad_flags_exit_2_with_a_clear_message() {
    for (args, message) in BAD_FLAGS {
        bad(&args.split_whitespace().collect::<Vec<_>>(), message);
    }
}

#[test]
fn counts_accept_the_workbench_number_syntax() {
    let run = |input: &str, output: &str| {
        let out = llmcap()
            .args([
                "predict",
                "--model",
                "llama-3.1-8b",
                "--gpu",
                "h100-sxm",
                "--format",
                "json",
            ])
            .args(["--input", input, "--output", output, "--concurrency", "1k"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    };
    assert_eq!(run("2k", "0.5k"), run("2000", "500"));
    assert_eq!(run("2,000", "5e2"), run("2000", "500"));
    let out = llmcap()
        .args([
            "predict",
            "--model",
            "llama-3.1-8b",
            "--gpu",
            "h100-sxm",
            "--input",
            "1.5",
            "--output",
            "1",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a whole number"));
    let sweep = |from: &str, to: &str| {
        llmcap()
            .args([
                "sweep",
                "scenarios/support-chatbot.ron",
                "--param",
                "requests_per_day",
                "--steps",
                "3",
            ])
            .args(["--from", from, "--to", to])
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(sweep("10k", "1M"), sweep("10000", "1000000"));
}
