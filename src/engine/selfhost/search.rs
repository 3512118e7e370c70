//! The configuration search of one model: every GPU x precision x tensor-parallel degree
//! that fits in memory and meets the latency targets, with the largest batch a replica
//! serves within them (by bisection). Independent of the place and of the daily volume,
//! so it runs once per model.

use super::SizingInput;
use crate::catalog::{Architecture, Gpu};
use crate::engine::memory::{self, Sequence};
use crate::engine::perf::{Replica, throughput};
use crate::engine::predict::{TP_CHOICES, valid_tps};
use crate::engine::{Precision, supports};
use crate::scenario::{LatencyMode, PrecisionChoice, Scenario};

/// What one replica of a configuration sustains within the latency targets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Capacity {
    pub(super) batch: u64,
    pub(super) rps: f64,
    pub(super) ttft_s: f64,
    pub(super) tpot_s: f64,
}

/// Precisions to try for a model on a GPU. `Auto` means the GPU's best near-lossless format
/// (FP8 where the GPU has it, which dominates 16-bit: half the memory, twice the FLOPs;
/// else 16-bit) and the model's published format. 8- and 4-bit weight-only quantisation
/// lose some quality, so they are tried only when asked for (or published so).
fn precisions(choice: PrecisionChoice, arch: &Architecture, gpu: &Gpu) -> Vec<Precision> {
    let wanted = match choice {
        PrecisionChoice::Auto => {
            let mut v = vec![if supports(gpu, Precision::Fp8) {
                Precision::Fp8
            } else {
                Precision::Bf16
            }];
            if let Some(native) = arch.native_precision
                && !v.contains(&native)
            {
                v.push(native);
            }
            v
        }
        PrecisionChoice::Bf16 => vec![Precision::Bf16],
        PrecisionChoice::Fp8 => vec![Precision::Fp8],
        PrecisionChoice::Int8 => vec![Precision::Int8],
        PrecisionChoice::Int4 => vec![Precision::Int4],
    };
    wanted.into_iter().filter(|p| supports(gpu, *p)).collect()
}

/// Why a configuration misses the latency targets even serving one request at a time. Most
/// of a search's misses are never shown, so the words are written only when asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
enum TooSlow {
    /// Streams `best` tokens/s per request, below the `required` speed.
    Stream { best: f64, required: f64 },
    /// The first token comes after `best_ms`, beyond the `target_ms`.
    FirstToken { best_ms: f64, target_ms: f64 },
}

impl std::fmt::Display for TooSlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TooSlow::Stream { best, required } => write!(
                f,
                "streams {best:.0} tokens/s per request at best, below the {required:.0} required"
            ),
            TooSlow::FirstToken { best_ms, target_ms } => write!(
                f,
                "first token after {best_ms:.0} ms at best, beyond the {target_ms:.0} ms target"
            ),
        }
    }
}

/// Largest batch per replica within the targets, by bisection (step time grows with batch).
fn capacity(
    r: &Replica,
    seq: Sequence,
    max_batch: u64,
    scenario: &Scenario,
    utilization: f64,
) -> Result<Capacity, TooSlow> {
    let interactive = scenario.latency.mode == LatencyMode::Interactive;
    let step_limit = if interactive && scenario.latency.output_tokens_per_s > 0.0 {
        1.0 / scenario.latency.output_tokens_per_s
    } else {
        f64::INFINITY
    };
    let ttft_limit = if interactive {
        scenario.latency.ttft_ms / 1000.0
    } else {
        f64::INFINITY
    };
    let prefill = r.prefill_s(seq.input);
    // Queueing allowance: at design utilisation u a prompt waits on average u/(1-u) prefills.
    let queued_prefill = prefill / (1.0 - utilization);
    let ttft_at = |b: f64| queued_prefill + r.decode_step_s(b, seq.input);
    let ok = |b: u64| {
        let (step, first) = r.decode_steps_s(b as f64, (seq.average_context(), seq.input));
        step <= step_limit && queued_prefill + first <= ttft_limit
    };
    if !ok(1) {
        let step = r.decode_step_s(1.0, seq.average_context());
        return Err(if step > step_limit {
            TooSlow::Stream {
                best: 1.0 / step,
                required: scenario.latency.output_tokens_per_s,
            }
        } else {
            TooSlow::FirstToken {
                best_ms: ttft_at(1.0) * 1000.0,
                target_ms: scenario.latency.ttft_ms,
            }
        });
    }
    let max_batch = max_batch.max(1);
    // The decode step is affine in the batch on each side of the roofline, so the largest
    // batch within the limits has a closed form. For dense models it is exact; for MoE models
    // counting every expert bounds the step from above and counting one token's experts
    // from below, which brackets the answer for the bisection.
    let bound = |weight_batch: f64| -> u64 {
        let avg = r.decode_affine(seq.average_context(), weight_batch);
        let first = r.decode_affine(seq.input, weight_batch);
        let mut b = max_batch as f64;
        if step_limit.is_finite() {
            b = b.min(avg.max_batch(step_limit, 0.0));
        }
        if ttft_limit.is_finite() {
            b = b.min(first.max_batch(ttft_limit, queued_prefill));
        }
        b.floor().clamp(1.0, max_batch as f64) as u64
    };
    let (mut lo, mut hi) = if r.arch().moe.is_some() {
        (bound(max_batch as f64), bound(1.0))
    } else {
        let b = bound(1.0);
        (b, b)
    };
    // Check the bracket against the real step time (the closed form may be off by rounding),
    // keeping `ok(lo)` true, then bisect what is left.
    if !ok(lo) {
        hi = lo - 1;
        lo = 1;
    } else if hi < max_batch && ok(hi + 1) {
        hi = max_batch;
    }
    hi = hi.max(lo);
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if ok(mid) { lo = mid } else { hi = mid - 1 }
    }
    let t = throughput(r, seq.input, seq.output, lo as f64);
    Ok(Capacity {
        batch: lo,
        rps: t.requests_per_s,
        ttft_s: ttft_at(lo as f64),
        tpot_s: t.tpot_s,
    })
}

/// One sized configuration: where it fits and what a replica sustains. Independent of
/// the place and of the daily volume, so it is computed once per model.
#[derive(Debug, Clone)]
pub struct Config {
    pub(super) gpu: usize,
    pub(super) precision: Precision,
    pub(super) tp: u32,
    pub(super) plan: memory::MemoryPlan,
    pub(super) cap: Capacity,
}

/// The configurations of a model that fit and meet the latency targets, found once per
/// model and shared by the cloud and on-premises options.
#[derive(Debug, Clone, Default)]
pub struct Configs {
    pub list: Vec<Config>,
    /// Why the first configuration that fits misses the targets, for the message when none
    /// meets them.
    pub first_miss: Option<String>,
}

/// Every configuration of the model that fits and meets the latency targets, and why the
/// first that fits misses them (for the message when none meets them).
pub fn configs(input: &SizingInput) -> Configs {
    let SizingInput {
        catalog,
        market,
        constants: c,
        scenario,
        demand,
        model,
        arch,
        utilization,
    } = *input;
    let seq = Sequence {
        input: demand.input_tokens,
        output: demand.generated(model.reasoning),
    };
    let tps: Vec<u32> = valid_tps(arch).into_iter().filter(|t| TP_CHOICES.contains(t)).collect();
    let mut out = Vec::new();
    let mut why = None;
    for (gi, gpu) in catalog.gpus.iter().enumerate() {
        if !scenario.self_hosting.gpus.is_empty() && !scenario.self_hosting.gpus.contains(&gpu.id) {
            continue;
        }
        // A GPU no VM offers and no on-premises rate prices cannot be part of any option.
        if !market.buyable(gi) {
            continue;
        }
        for precision in precisions(scenario.self_hosting.precision, arch, gpu) {
            // The two smallest degrees that fit and meet the targets: a larger one only adds
            // all-reduce traffic and GPUs, so two are enough to find the cheapest.
            let mut taken = 0;
            for &tp in &tps {
                if taken == 2 {
                    break;
                }
                let plan = memory::plan(
                    arch,
                    gpu,
                    c,
                    precision,
                    tp,
                    scenario.self_hosting.memory_utilization,
                    seq,
                );
                if !plan.fits() {
                    continue;
                }
                let r = Replica::new(arch, gpu, c, precision, tp);
                match capacity(&r, seq, plan.max_concurrency, scenario, utilization) {
                    Ok(cap) => {
                        taken += 1;
                        out.push(Config {
                            gpu: gi,
                            precision,
                            tp,
                            plan,
                            cap,
                        });
                    }
                    Err(e) => {
                        why.get_or_insert_with(|| {
                            format!("{} at {} on {tp} x {}: {e}", model.id, precision.id(), gpu.id)
                        });
                    }
                }
            }
        }
    }
    Configs {
        list: out,
        first_miss: why,
    }
}
