//! The memory and speed models: exact KV figures, the known fit cases, and invariants that
//! must hold for every model and GPU in the catalog.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use llmcap::catalog::{Catalog, Precision, Weights};
use llmcap::engine::Constants;
use llmcap::engine::memory::{self, Sequence, kv_bytes_per_token};
use llmcap::engine::predict::{Concurrency, PredictRequest, predict, valid_tps};
use proptest::prelude::*;

/// KV bytes per token at bf16, full attention, from catalog-facts.md sections 5 and 7.
const KV_BF16: &[(&str, u64)] = &[
    ("llama-3.1-8b", 131_072),
    ("llama-3.1-70b", 327_680),
    ("llama-3.3-70b", 327_680),
    ("llama-3.1-405b", 516_096),
    ("llama-3.2-1b", 32_768),
    ("llama-3.2-3b", 114_688),
    ("llama-4-scout", 196_608),
    ("llama-4-maverick", 196_608),
    ("mistral-7b", 131_072),
    ("mixtral-8x7b", 131_072),
    ("mixtral-8x22b", 229_376),
    ("mistral-nemo-12b", 163_840),
    ("mistral-small-24b", 163_840),
    ("mistral-large-2", 360_448),
    ("qwen2.5-7b", 57_344),
    ("qwen2.5-14b", 196_608),
    ("qwen2.5-32b", 262_144),
    ("qwen2.5-72b", 327_680),
    ("phi-3-mini", 393_216),
    ("phi-3-medium", 204_800),
    ("phi-4", 204_800),
    ("phi-4-mini", 131_072),
    ("gemma-2-2b", 106_496),
    ("gemma-2-9b", 344_064),
    ("gemma-2-27b", 376_832),
    ("gemma-3-27b", 507_904),
    ("deepseek-v3", 70_272),
    ("gpt-oss-20b", 49_152),
    ("gpt-oss-120b", 73_728),
    ("llama-2-7b", 524_288),
    ("llama-2-13b", 819_200),
    ("llama-2-70b", 327_680),
    // Not stated in the facts; derived here from their section-7 architectures
    // (2 x layers x KV heads x head dim x 2 bytes).
    ("gpt-j-6b", 458_752),
    ("mpt-7b", 524_288),
    ("falcon-180b", 163_840),
];

fn catalog() -> Catalog {
    Catalog::embedded().unwrap()
}

#[test]
fn kv_bytes_per_token_match_the_stated_figures() {
    let c = catalog();
    for (id, want) in KV_BF16 {
        let arch = c.model(id).unwrap().architecture.as_ref().unwrap();
        assert_eq!(kv_bytes_per_token(arch, Precision::Bf16) as u64, *want, "{id} bf16");
        assert_eq!(
            kv_bytes_per_token(arch, Precision::Fp8) as u64,
            want / 2,
            "{id} fp8 cache"
        );
        assert_eq!(
            kv_bytes_per_token(arch, Precision::Int4) as u64,
            *want,
            "{id} int4 keeps a 16-bit cache"
        );
    }
    // Every open-weight model in the catalog is covered by the table above.
    let open = c.models.iter().filter(|m| m.weights == Weights::Open).count();
    assert_eq!(open, KV_BF16.len());
}

#[test]
fn predict_reports_the_whole_model_figure() {
    let c = catalog();
    let mut req = PredictRequest::new("llama-3.1-70b", "h100-sxm", 2048, 128);
    req.precision = Some(Precision::Bf16);
    assert_eq!(predict(&c, &req).unwrap().kv_bytes_per_token, 327_680);
    req.precision = Some(Precision::Fp8);
    assert_eq!(predict(&c, &req).unwrap().kv_bytes_per_token, 163_840);
    let req = PredictRequest::new("deepseek-v3", "h200", 2048, 128);
    let p = predict(&c, &req).unwrap();
    assert_eq!(
        (p.precision, p.kv_bytes_per_token),
        ("fp8", 35_136),
        "native FP8 weights and cache"
    );
}

fn fits(c: &Catalog, model: &str, gpu: &str, tp: u32, precision: Precision) -> bool {
    let mut req = PredictRequest::new(model, gpu, 2048, 128);
    req.tp = Some(tp);
    req.precision = Some(precision);
    predict(c, &req).unwrap().fits
}

#[test]
fn known_fit_cases() {
    let c = catalog();
    assert!(!fits(&c, "llama-3.1-70b", "h100-sxm", 1, Precision::Bf16));
    assert!(fits(&c, "llama-3.1-70b", "h100-sxm", 2, Precision::Bf16));
    assert!(!fits(&c, "llama-3.1-405b", "h100-sxm", 8, Precision::Bf16));
    assert!(fits(&c, "llama-3.1-405b", "h100-sxm", 8, Precision::Fp8));
    assert!(fits(&c, "llama-3.1-405b", "h200", 8, Precision::Bf16));
    // gpt-oss-120b in its published MXFP4 form fits one 80 GB GPU; at bf16 it does not.
    assert!(fits(&c, "gpt-oss-120b", "h100-sxm", 1, Precision::Int4));
    assert!(!fits(&c, "gpt-oss-120b", "h100-sxm", 1, Precision::Bf16));
    // gpt-oss-20b runs in 16 GB, on a GPU whose engine runs MXFP4 (an L4, Ada).
    assert!(fits(&c, "gpt-oss-20b", "l4", 1, Precision::Int4));
}

#[test]
fn the_hardware_support_matrix_is_enforced() {
    let c = catalog();
    let run = |model: &str, gpu: &str, p: Precision| {
        let mut req = PredictRequest::new(model, gpu, 2048, 128);
        req.precision = Some(p);
        predict(&c, &req)
    };
    // MXFP4 needs compute capability 8.0 and bfloat16 activations: never on a T4, at any
    // precision (vLLM issue #23203).
    for p in Precision::ALL {
        let e = run("gpt-oss-20b", "t4", p).unwrap_err().to_string();
        assert!(e.contains("t4 (turing) cannot run"), "{e}");
    }
    // FP8 W8A8 only on Ada, Hopper, CDNA3 and Blackwell.
    for gpu in ["t4", "a10", "a100-sxm-80gb"] {
        let e = run("llama-3.1-8b", gpu, Precision::Fp8).unwrap_err().to_string();
        assert!(e.contains("cannot run fp8"), "{gpu}: {e}");
    }
    for gpu in ["l4", "l40s", "h100-sxm", "mi300x", "b200"] {
        assert!(run("llama-3.1-8b", gpu, Precision::Fp8).is_ok(), "{gpu}");
    }
    // A T4 has no bfloat16: 16-bit runs as fp16, and says so.
    assert_eq!(run("llama-3.1-8b", "t4", Precision::Bf16).unwrap().precision, "fp16");
    assert_eq!(run("llama-3.1-8b", "a10", Precision::Bf16).unwrap().precision, "bf16");
    // AWQ/GPTQ int4 is not in vLLM's table for AMD GPUs.
    assert!(run("llama-3.1-8b", "mi300x", Precision::Int4).is_err());
    // gpt-oss runs its experts as MXFP4 where the engine can.
    assert_eq!(
        run("gpt-oss-20b", "h100-sxm", Precision::Int4).unwrap().precision,
        "mxfp4"
    );
}

#[test]
fn default_tp_is_the_smallest_that_fits_and_explains_misfits() {
    let c = catalog();
    let mut req = PredictRequest::new("llama-3.1-70b", "h100-sxm", 2048, 128);
    req.precision = Some(Precision::Bf16);
    let p = predict(&c, &req).unwrap();
    assert_eq!((p.tp, p.gpus, p.fits), (2, 2, true));

    req.tp = Some(1);
    let p = predict(&c, &req).unwrap();
    assert!(!p.fits);
    assert!(p.output_tokens_per_s.is_none() && p.ttft_ms.is_none());
    let reason = p.reason.unwrap();
    assert!(reason.starts_with("weights need 131.5 GiB per GPU"), "{reason}");
    assert_eq!(p.suggestions[0], "fits on 2 x h100-sxm at bf16 (--tp 2)");
    assert!(p.suggestions[1].contains("at fp8"), "{:?}", p.suggestions);

    let json = serde_json::to_value(predict(&c, &req).unwrap()).unwrap();
    assert!(json["output_tokens_per_s"].is_null());
    assert_eq!(json["fits"], false);
}

#[test]
fn concurrency_beyond_the_kv_cache_is_capped_with_a_warning() {
    let c = catalog();
    let mut req = PredictRequest::new("llama-3.1-70b", "h100-sxm", 8000, 2000);
    req.tp = Some(2);
    req.precision = Some(Precision::Bf16);
    req.concurrency = Concurrency::Fixed(500);
    let p = predict(&c, &req).unwrap();
    assert!(p.fits);
    assert!(p.max_concurrency < 500);
    assert!(
        p.warnings.iter().any(|w| w.contains("fit in one replica's KV cache")),
        "{:?}",
        p.warnings
    );
}

fn constants() -> Constants {
    Constants::from_catalog(&catalog()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// More tensor-parallel GPUs never give a replica less memory for the KV cache.
    #[test]
    fn more_gpus_never_less_memory_per_replica(model_i in 0usize..35, gpu_i in 0usize..13, input in 1u64..32_000, output in 1u64..4_000) {
        let c = catalog();
        let k = constants();
        let open: Vec<_> = c.models.iter().filter(|m| m.weights == Weights::Open).collect();
        let arch = open[model_i % open.len()].architecture.as_ref().unwrap();
        let gpu = &c.gpus[gpu_i % c.gpus.len()];
        let seq = Sequence { input: input as f64, output: output as f64 };
        let tps = valid_tps(arch);
        let mut last = f64::NEG_INFINITY;
        for tp in tps.into_iter().filter(|t| [1, 2, 4, 8].contains(t)) {
            let plan = memory::plan(arch, gpu, &k, Precision::Bf16, tp, 0.9, seq);
            let replica_budget = plan.kv_budget_gib * f64::from(tp);
            prop_assert!(replica_budget >= last - 1e-9, "tp {tp}: {replica_budget} < {last}");
            last = replica_budget;
            prop_assert!(plan.weights_gib > 0.0 && plan.weights_gib.is_finite());
        }
    }

    /// Up to the memory limit, more requests in flight never lower system throughput,
    /// and every figure stays finite and positive.
    #[test]
    fn higher_concurrency_never_lowers_throughput(model_i in 0usize..35, gpu_i in 0usize..13, input in 1u64..8_000, output in 1u64..2_000) {
        let c = catalog();
        let open: Vec<_> = c.models.iter().filter(|m| m.weights == Weights::Open).collect();
        let model = open[model_i % open.len()];
        let gpu = &c.gpus[gpu_i % c.gpus.len()];
        prop_assume!(input + output <= model.context_tokens);
        let mut req = PredictRequest::new(&model.id, &gpu.id, input, output);
        // A pair the engine cannot run at all (gpt-oss on a T4) is refused, and says why.
        let first = match predict(&c, &req) {
            Ok(p) => p,
            Err(e) => {
                prop_assert!(e.to_string().contains("cannot run"), "{e}");
                return Ok(());
            }
        };
        prop_assume!(first.fits);
        let mut last = 0.0;
        let max = first.max_concurrency.min(4096);
        for b in [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096].into_iter().filter(|b| *b <= max) {
            req.concurrency = Concurrency::Fixed(b);
            let p = predict(&c, &req).unwrap();
            let tps = p.output_tokens_per_s.unwrap();
            prop_assert!(tps.is_finite() && tps > 0.0);
            prop_assert!(p.ttft_ms.unwrap() > 0.0 && p.tpot_ms.unwrap() > 0.0);
            prop_assert!(tps >= last * (1.0 - 1e-9), "{} on {}: {b} in flight gives {tps} < {last}", model.id, gpu.id);
            last = tps;
        }
    }
}
