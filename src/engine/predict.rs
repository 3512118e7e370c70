//! `llmcap predict`: one open-weight model on one GPU configuration: memory, fit, speed.

use serde::Serialize;

use super::memory::{self, MemoryPlan, Sequence};
use super::perf::{Replica, throughput};
use super::{Constants, GIB, Precision, runs_as, serving_engine};
use crate::catalog::{Architecture, Catalog, Gpu, Model, ServingEngine, Weights};

/// Tensor-parallel degrees tried when none is given; TP stays within one 8-GPU node.
pub const TP_CHOICES: [u32; 4] = [1, 2, 4, 8];
/// Whether a GPU can run at tensor-parallel degree `tp`: a whole device (a Jetson module,
/// a CPU socket) has one accelerator and joins no other.
pub fn tp_possible(gpu: &Gpu, tp: u32) -> bool {
    tp <= 1 || gpu.form_factor != Some(crate::catalog::FormFactor::Device)
}

/// Largest token count accepted for a prompt or a completion.
pub const MAX_TOKENS: u64 = 10_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Concurrency {
    /// Requests in flight across the whole configuration.
    Fixed(u64),
    /// As many as the KV cache holds (offline throughput).
    Max,
}

/// As the flag and the calibration table write it: a number, or `max`.
impl std::fmt::Display for Concurrency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Concurrency::Fixed(n) => write!(f, "{n}"),
            Concurrency::Max => f.write_str("max"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PredictRequest {
    pub model: String,
    pub gpu: String,
    pub gpus: Option<u32>,
    pub tp: Option<u32>,
    pub precision: Option<Precision>,
    pub input: u64,
    pub output: u64,
    pub concurrency: Concurrency,
    pub memory_utilization: f64,
}

impl PredictRequest {
    pub fn new(model: &str, gpu: &str, input: u64, output: u64) -> PredictRequest {
        PredictRequest {
            model: model.to_string(),
            gpu: gpu.to_string(),
            gpus: None,
            tp: None,
            precision: None,
            input,
            output,
            concurrency: Concurrency::Fixed(1),
            memory_utilization: 0.9,
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct VramPerGpu {
    pub weights: f64,
    /// KV cache the requested concurrency occupies.
    pub kv_cache: f64,
    pub activations: f64,
    pub runtime: f64,
    /// Sum of the four above.
    pub total: f64,
    pub capacity: f64,
    /// What vLLM would reserve for the KV cache: usable memory less the rest.
    pub kv_cache_budget: f64,
    /// `capacity x memory_utilization`.
    pub usable: f64,
}

impl VramPerGpu {
    /// The breakdown of a memory plan with `kv_used` GiB of KV cache in use, to 3 decimals.
    pub fn from_plan(plan: &MemoryPlan, kv_used: f64) -> VramPerGpu {
        let r = |v: f64| round(v, 3);
        VramPerGpu {
            weights: r(plan.weights_gib),
            kv_cache: r(kv_used),
            activations: r(plan.activations_gib),
            runtime: r(plan.runtime_gib),
            total: r(plan.weights_gib + kv_used + plan.activations_gib + plan.runtime_gib),
            capacity: r(plan.capacity_gib),
            kv_cache_budget: r(plan.kv_budget_gib.max(0.0)),
            usable: r(plan.usable_gib),
        }
    }
}

/// The answer, in the JSON form of product.md (plus a few extra fields).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Prediction {
    pub model: String,
    pub gpu: String,
    pub gpus: u32,
    pub tp: u32,
    pub precision: &'static str,
    pub input: u64,
    pub output: u64,
    /// Requests in flight across all replicas (for `max`, the number the KV cache holds).
    pub concurrency: u64,
    pub fits: bool,
    pub kv_bytes_per_token: u64,
    pub vram_per_gpu_gib: VramPerGpu,
    /// Sequences one replica's KV cache holds at the average context.
    pub max_concurrency: u64,
    pub ttft_ms: Option<f64>,
    pub tpot_ms: Option<f64>,
    pub output_tokens_per_s: Option<f64>,
    pub output_tokens_per_s_per_request: Option<f64>,
    pub requests_per_s: Option<f64>,
    /// Replicas (`gpus / tp`), each serving an equal share of the concurrency.
    pub replicas: u32,
    pub memory_utilization: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Configurations that would fit, when this one does not.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Invalid input to `predict`: one sentence naming the flag and what is accepted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct PredictError(pub String);

fn round(v: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (v * f).round() / f
}

/// Checks a tensor-parallel degree against the model's attention heads.
pub fn tp_problem(arch: &Architecture, tp: u32) -> Option<String> {
    if tp == 0 || tp > 8 {
        return Some(format!(
            "--tp {tp} is out of range; accepted: 1 to 8 (tensor parallelism stays within one node)"
        ));
    }
    if !arch.heads.is_multiple_of(tp) {
        return Some(format!(
            "--tp {tp} does not divide the model's {} attention heads; accepted: {}",
            arch.heads,
            valid_tps(arch)
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if arch.mla.is_none() && !arch.kv_heads.is_multiple_of(tp) && !tp.is_multiple_of(arch.kv_heads) {
        return Some(format!(
            "--tp {tp} cannot split the model's {} KV heads evenly; accepted: {}",
            arch.kv_heads,
            valid_tps(arch)
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    None
}

/// Tensor-parallel degrees (1 to 8) the model's heads allow.
pub fn valid_tps(arch: &Architecture) -> Vec<u32> {
    (1..=8).filter(|&t| tp_problem_quiet(arch, t)).collect()
}

fn tp_problem_quiet(arch: &Architecture, tp: u32) -> bool {
    arch.heads.is_multiple_of(tp)
        && (arch.mla.is_some() || arch.kv_heads.is_multiple_of(tp) || tp.is_multiple_of(arch.kv_heads))
}

/// The precision used when none is asked for: the model's published format where the GPU
/// runs it, else 16-bit.
pub fn default_precision(engine: &ServingEngine, arch: &Architecture, gpu: &Gpu) -> Precision {
    match arch.native_precision {
        Some(p) if runs_as(engine, gpu, arch, p).is_ok() => p,
        _ => Precision::Bf16,
    }
}

fn open_model<'a>(catalog: &'a Catalog, id: &str) -> Result<(&'a Model, &'a Architecture), PredictError> {
    let model = catalog
        .model(id)
        .ok_or_else(|| PredictError(format!("--model: {}", catalog.unknown_id_message("model", id))))?;
    match (&model.weights, &model.architecture) {
        (Weights::Open, Some(arch)) => Ok((model, arch)),
        _ => Err(PredictError(format!(
            "--model: {} is a hosted model with closed weights; predict covers open-weight models (see `llmcap catalog models`)",
            model.id
        ))),
    }
}

pub fn predict(catalog: &Catalog, req: &PredictRequest) -> Result<Prediction, PredictError> {
    let c = Constants::from_catalog(catalog).map_err(PredictError)?;
    let (model, arch) = open_model(catalog, &req.model)?;
    let gpu = catalog
        .gpu(&req.gpu)
        .ok_or_else(|| PredictError(format!("--gpu: {}", catalog.unknown_id_message("GPU", &req.gpu))))?;

    for (flag, v) in [("--input", req.input), ("--output", req.output)] {
        if v == 0 || v > MAX_TOKENS {
            return Err(PredictError(format!(
                "{flag} {v} is out of range; accepted: 1 to {MAX_TOKENS} tokens"
            )));
        }
    }
    let total = req.input + req.output;
    if total > model.context_tokens {
        return Err(PredictError(format!(
            "--input {} plus --output {} is {total} tokens, beyond {}'s context of {} tokens",
            req.input, req.output, model.id, model.context_tokens
        )));
    }
    if !(0.5..=0.98).contains(&req.memory_utilization) {
        return Err(PredictError(format!(
            "memory utilization {} is out of range; accepted: 0.5 to 0.98",
            req.memory_utilization
        )));
    }
    if let Concurrency::Fixed(n) = req.concurrency
        && !(1..=1_000_000).contains(&n)
    {
        return Err(PredictError(format!(
            "--concurrency {n} is out of range; accepted: 1 to 1000000, or max"
        )));
    }
    let engine = serving_engine(catalog).map_err(PredictError)?;
    let precision = req.precision.unwrap_or_else(|| default_precision(engine, arch, gpu));
    let format = runs_as(engine, gpu, arch, precision);
    if let Err(why) = &format {
        let accepted: Vec<&str> = Precision::ALL
            .iter()
            .filter(|p| runs_as(engine, gpu, arch, **p).is_ok())
            .map(|p| p.id())
            .collect();
        // Name the flag only when it was given: without it the model's own format failed.
        let what = match req.precision {
            Some(p) => format!("--precision {}", p.id()),
            None => format!("--gpu {}", gpu.id),
        };
        return Err(PredictError(format!(
            "{what}: {why}; accepted for {} on it: {}",
            model.id,
            if accepted.is_empty() {
                "none (choose another GPU)".to_string()
            } else {
                accepted.join(", ")
            }
        )));
    }
    if let Some(tp) = req.tp
        && let Some(problem) = tp_problem(arch, tp)
    {
        return Err(PredictError(problem));
    }
    if let Some(g) = req.gpus {
        if g == 0 || g > 4096 {
            return Err(PredictError(format!("--gpus {g} is out of range; accepted: 1 to 4096")));
        }
        if let Some(tp) = req.tp
            && g < tp
        {
            return Err(PredictError(format!(
                "--gpus {g} is fewer than --tp {tp}; a replica needs tp GPUs"
            )));
        }
        if let Some(tp) = req.tp
            && g % tp != 0
        {
            return Err(PredictError(format!(
                "--gpus {g} is not a multiple of --tp {tp}; each replica takes tp GPUs"
            )));
        }
    }

    let seq = Sequence {
        input: req.input as f64,
        output: req.output as f64,
    };
    let plan_at = |tp: u32| memory::plan(arch, gpu, &c, precision, tp, req.memory_utilization, seq);

    // Tensor-parallel degree: as given, or the smallest that fits (within --gpus).
    let candidates: Vec<u32> = TP_CHOICES
        .iter()
        .copied()
        .filter(|&t| tp_problem_quiet(arch, t) && tp_possible(gpu, t) && req.gpus.is_none_or(|g| t <= g && g % t == 0))
        .collect();
    let (tp, plan) = match req.tp {
        Some(tp) => (tp, plan_at(tp)),
        None => {
            let mut chosen = None;
            for &t in &candidates {
                let p = plan_at(t);
                if p.fits() {
                    chosen = Some((t, p));
                    break;
                }
            }
            match chosen {
                Some(x) => x,
                None => {
                    let t = candidates.last().copied().unwrap_or(1);
                    (t, plan_at(t))
                }
            }
        }
    };
    let gpus = req.gpus.unwrap_or(tp);
    let replicas = (gpus / tp.max(1)).max(1);

    let mut warnings = Vec::new();
    let (concurrency_total, per_replica) = match req.concurrency {
        // Offline: every request starts at once and grows to its full length together.
        Concurrency::Max => (
            plan.max_concurrency_full_length * u64::from(replicas),
            plan.max_concurrency_full_length,
        ),
        Concurrency::Fixed(n) => (n, n.div_ceil(u64::from(replicas))),
    };
    let batch = if plan.fits() && per_replica > plan.max_concurrency {
        warnings.push(format!(
            "only {} sequences of this length fit in one replica's KV cache; figures are for {} in flight per replica, the rest would wait",
            plan.max_concurrency, plan.max_concurrency
        ));
        plan.max_concurrency
    } else {
        per_replica
    };
    if let Some(native) = arch.native_precision
        && native != precision
        && req.precision.is_none()
    {
        warnings.push(format!(
            "{} is published as {}, which the {} cannot run; figures are for bf16",
            model.id,
            native.id(),
            gpu.id
        ));
    }

    let replica = Replica::new(arch, gpu, &c, precision, tp);
    let kv_used_gib = batch as f64 * memory::kv_sequence_bytes_gpu(arch, precision, tp, seq.average_context()) / GIB;
    let fits = plan.fits();
    let (ttft, tpot, tps, tps_req, rps) = if fits {
        let t = throughput(&replica, seq.input, seq.output, batch as f64);
        let r = f64::from(replicas);
        (
            Some(round(t.ttft_s * 1000.0, 3)),
            Some(round(t.tpot_s * 1000.0, 3)),
            Some(round(t.output_tokens_per_s * r, 2)),
            Some(round(t.output_tokens_per_s_per_request, 2)),
            Some(round(t.requests_per_s * r, 4)),
        )
    } else {
        (None, None, None, None, None)
    };
    let suggestions = if fits {
        Vec::new()
    } else {
        suggest_fits(engine, arch, gpu, &c, precision, tp, req.memory_utilization, seq)
    };
    let vram = VramPerGpu::from_plan(&plan, if fits { kv_used_gib } else { 0.0 });
    Ok(Prediction {
        model: model.id.clone(),
        gpu: gpu.id.clone(),
        gpus,
        tp,
        // The format the engine runs: `fp16` for 16-bit on a GPU without bfloat16.
        precision: format.map_or(precision.id(), |f| f.id()),
        input: req.input,
        output: req.output,
        concurrency: concurrency_total,
        fits,
        kv_bytes_per_token: plan.kv_bytes_per_token.round() as u64,
        vram_per_gpu_gib: vram,
        max_concurrency: plan.max_concurrency,
        ttft_ms: ttft,
        tpot_ms: tpot,
        output_tokens_per_s: tps,
        output_tokens_per_s_per_request: tps_req,
        requests_per_s: rps,
        replicas,
        memory_utilization: req.memory_utilization,
        reason: plan.reason(&gpu.id),
        suggestions,
        warnings,
    })
}

/// What would fit instead: more GPUs at the same precision, or a smaller precision.
#[allow(clippy::too_many_arguments)] // the request's parts, each needed
fn suggest_fits(
    engine: &ServingEngine,
    arch: &Architecture,
    gpu: &Gpu,
    c: &Constants,
    precision: Precision,
    tp: u32,
    util: f64,
    seq: Sequence,
) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(t) = TP_CHOICES
        .iter()
        .copied()
        .filter(|&t| t > tp && tp_problem_quiet(arch, t) && tp_possible(gpu, t))
        .find(|&t| memory::plan(arch, gpu, c, precision, t, util, seq).fits())
    {
        out.push(format!("fits on {t} x {} at {} (--tp {t})", gpu.id, precision.id()));
    }
    for p in [Precision::Fp8, Precision::Int8, Precision::Int4] {
        if c.weight_bytes(p) >= c.weight_bytes(precision) || runs_as(engine, gpu, arch, p).is_err() {
            continue;
        }
        if let Some(t) = TP_CHOICES
            .iter()
            .copied()
            .filter(|&t| tp_problem_quiet(arch, t) && tp_possible(gpu, t))
            .find(|&t| memory::plan(arch, gpu, c, p, t, util, seq).fits())
        {
            out.push(format!(
                "fits on {t} x {} at {} (--precision {} --tp {t})",
                gpu.id,
                p.id(),
                p.id()
            ));
            break;
        }
    }
    if out.is_empty() {
        out.push(format!(
            "does not fit on up to 8 x {} at any precision; choose a GPU with more memory",
            gpu.id
        ));
    }
    out
}
