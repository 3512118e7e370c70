//! The configuration search of one model: every GPU x precision x tensor-parallel degree
//! that fits in memory and meets the latency targets, with the largest batch a replica
//! serves within them (by bisection). Independent of the place and of the daily volume,
//! so it runs once per model.

use super::SizingInput;
use super::fleet::QueueCheck;
use crate::catalog::{Architecture, Gpu, ServingEngine, WeightFormat};
use crate::engine::memory::{self, Sequence};
use crate::engine::perf::{Replica, throughput};
use crate::engine::predict::{TP_CHOICES, valid_tps};
use crate::engine::{Precision, runs_as};
use crate::scenario::{LatencyMode, PrecisionChoice, Scenario};

/// What limits a replica's batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchLimit {
    /// The KV cache holds no more sequences at the average context.
    KvCache,
    /// The engine's `max_num_seqs`.
    MaxNumSeqs,
    /// The streaming-speed target (a larger batch makes every step slower).
    StreamingSpeed,
    /// The time-to-first-token target (a larger batch slows every prefill chunk).
    FirstToken,
}

impl serde::Serialize for BatchLimit {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.describe())
    }
}

impl std::fmt::Display for BatchLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

impl BatchLimit {
    /// A few words for a narrow pane.
    pub fn short(self) -> &'static str {
        match self {
            BatchLimit::KvCache => "KV cache",
            BatchLimit::MaxNumSeqs => "max_num_seqs",
            BatchLimit::StreamingSpeed => "speed target",
            BatchLimit::FirstToken => "TTFT target",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            BatchLimit::KvCache => "the KV cache",
            BatchLimit::MaxNumSeqs => "the engine's max_num_seqs",
            BatchLimit::StreamingSpeed => "the streaming-speed target",
            BatchLimit::FirstToken => "the time-to-first-token target",
        }
    }
}

/// What one replica of a configuration sustains within the latency targets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Capacity {
    /// Requests one replica serves at once (its slots).
    pub(super) batch: u64,
    /// Requests a second with every slot busy.
    pub(super) rps: f64,
    /// Seconds a generated token takes for a request with every slot busy.
    pub(super) tpot_s: f64,
    /// How long a request holds its slot, seconds (`batch / rps`).
    pub(super) service_s: f64,
    /// Prefill chunks a prompt takes with every slot busy.
    pub(super) chunks: u32,
    pub(super) limited_by: BatchLimit,
    pub(super) max_num_seqs: u32,
    pub(super) max_num_batched_tokens: u32,
    /// The fleet's queue check (none without a TTFT target).
    pub(super) queue: Option<QueueCheck>,
}

/// Precisions to try for a model on a GPU. `Auto` means the GPU's best near-lossless format
/// (FP8 where the engine runs it on this GPU, which dominates 16-bit: half the memory, twice
/// the FLOPs; else 16-bit) and the model's published format. 8- and 4-bit weight-only
/// quantisation lose some quality, so they are tried only when asked for (or published so).
/// A precision the engine cannot run on the GPU (the hardware support matrix in
/// `engines.ron`) is never tried.
fn precisions(
    engine: &ServingEngine,
    choice: PrecisionChoice,
    arch: &Architecture,
    gpu: &Gpu,
) -> Vec<(Precision, WeightFormat)> {
    let runs = |p: Precision| runs_as(engine, gpu, arch, p).ok().map(|f| (p, f));
    let wanted: Vec<Precision> = match choice {
        PrecisionChoice::Auto => {
            let mut v = vec![if runs(Precision::Fp8).is_some() {
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
    wanted.into_iter().filter_map(runs).collect()
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

/// What the capacity search needs besides the replica: the request, the engine's limits on
/// this GPU and the latency targets.
#[derive(Debug, Clone, Copy)]
pub(super) struct Targets {
    /// Seconds a decode step may take (the streaming-speed target), or infinity.
    step_limit: f64,
    /// Seconds to first token at the percentile, or infinity.
    ttft_limit: f64,
    /// The TTFT percentile as a share (0.95).
    percentile: f64,
    /// Squared coefficient of variation of the service time.
    scv: f64,
}

impl Targets {
    pub(super) fn of(scenario: &Scenario, scv: f64) -> Targets {
        let interactive = scenario.latency.mode == LatencyMode::Interactive;
        Targets {
            step_limit: if interactive && scenario.latency.output_tokens_per_s > 0.0 {
                1.0 / scenario.latency.output_tokens_per_s
            } else {
                f64::INFINITY
            },
            ttft_limit: if interactive {
                scenario.latency.ttft_ms / 1000.0
            } else {
                f64::INFINITY
            },
            percentile: (scenario.latency.ttft_percentile / 100.0).clamp(0.5, 0.999),
            scv: scv.max(0.0),
        }
    }
}

/// A request's prompt as the engine processes it: `tokens` in the context, `computed` of them
/// prefilled (the rest come from the prefix cache), in chunks of at most `budget` tokens a
/// step less the decode tokens riding along.
#[derive(Debug, Clone, Copy)]
pub(super) struct Prompt {
    pub(super) computed: f64,
    pub(super) budget: f64,
}

impl Prompt {
    /// Steps the prompt's prefill takes with `batch` sequences decoding (infinite when they
    /// leave no room in the step's token budget).
    fn chunks(&self, batch: f64) -> f64 {
        let room = self.budget - batch;
        if room < 1.0 {
            return f64::INFINITY;
        }
        (self.computed / room).ceil().max(1.0)
    }
}

/// Time to first visible token with `batch` sequences decoding and no wait for a slot: the
/// prompt's chunks on their own (each a forward pass), plus what the decoding sequences add to
/// each chunk's step (their KV reads and FLOPs beyond one sequence's), plus the first decode
/// step, plus the hidden reasoning tokens a reasoning model generates before it answers, each
/// at the time a token takes in the running batch. With one sequence and no reasoning it is
/// engine.md's unloaded TTFT, a prefill plus one decode step.
#[derive(Debug, Clone, Copy)]
pub(super) struct FirstToken {
    prompt: Prompt,
    /// Average context of the sequences decoding.
    context: f64,
    /// The prompt's chunks on their own, seconds.
    alone_s: f64,
    /// One decode step of one sequence, seconds.
    step_one_s: f64,
    /// A prompt's prefill work inside a running batch, spread over the tokens a request
    /// generates: every sequence's step also carries its share of the others' prompts.
    pub(super) prefill_per_token_s: f64,
    /// Hidden reasoning tokens generated before the first visible one.
    reasoning: f64,
}

impl FirstToken {
    /// The parts that do not depend on the batch, worked out once per configuration.
    pub(super) fn new(r: &Replica, prompt: Prompt, seq: Sequence, reasoning: f64) -> FirstToken {
        let alone_chunks = prompt.chunks(0.0);
        let context = seq.average_context();
        FirstToken {
            prompt,
            context,
            alone_s: alone_chunks * r.prefill_s(prompt.computed / alone_chunks),
            step_one_s: r.decode_step_s(1.0, context),
            prefill_per_token_s: r.prefill_in_batch_s(prompt.computed) / seq.output.max(1.0),
            reasoning: reasoning.max(0.0),
        }
    }

    /// Seconds one generated token takes for a request in a batch of `batch`: the decode
    /// step plus the batch's prompts' prefill chunks that ride on the same steps (chunked
    /// prefill), `cycle / output` of the continuous-batching cycle.
    pub(super) fn token_s(&self, r: &Replica, batch: f64) -> f64 {
        self.times(r, batch).0
    }

    /// Seconds to the first visible token with `batch` sequences decoding.
    pub(super) fn at(&self, r: &Replica, batch: f64) -> f64 {
        self.times(r, batch).1
    }

    /// ([`Self::token_s`], [`Self::at`]) from one decode step: the search asks for both at
    /// every batch it tries.
    pub(super) fn times(&self, r: &Replica, batch: f64) -> (f64, f64) {
        let batch = batch.max(1.0);
        let step = r.decode_step_s(batch, self.context);
        let token = step + batch * self.prefill_per_token_s;
        let first = self.alone_s
            + self.prompt.chunks(batch) * (step - self.step_one_s).max(0.0)
            + step
            + self.reasoning * token;
        (token, first)
    }
}

/// Largest batch per replica within the targets and the engine's limits, by bisection (step
/// time and TTFT grow with the batch).
fn capacity(
    r: &Replica,
    seq: Sequence,
    reasoning: f64,
    prompt: Prompt,
    kv_batch: u64,
    (max_num_seqs, max_num_batched_tokens): (u32, u32),
    t: &Targets,
) -> Result<Capacity, TooSlow> {
    let context = seq.average_context();
    let first = FirstToken::new(r, prompt, seq, reasoning);
    // Without a TTFT target the first token is not timed in the search.
    let ok = |b: u64| {
        let (token, ttft) = first.times(r, b as f64);
        token <= t.step_limit && ttft <= t.ttft_limit
    };
    if !ok(1) {
        let step = first.token_s(r, 1.0);
        return Err(if step > t.step_limit {
            TooSlow::Stream {
                best: 1.0 / step,
                required: 1.0 / t.step_limit,
            }
        } else {
            TooSlow::FirstToken {
                best_ms: first.at(r, 1.0) * 1000.0,
                target_ms: t.ttft_limit * 1000.0,
            }
        });
    }
    // The engine admits at most max_num_seqs sequences, and the KV cache holds kv_batch.
    let seqs = u64::from(max_num_seqs.max(1));
    let max_batch = kv_batch.max(1).min(seqs);
    // The decode step is affine in the batch on each side of the roofline, so the streaming
    // limit has a closed form; for MoE models counting one token's experts bounds the step
    // from below, so the bound is an upper bracket either way.
    let mut hi = max_batch;
    if t.step_limit.is_finite() {
        // The time per token is the step plus the batch's prefill share, both affine in the
        // batch: the share adds to the per-sequence slope.
        let mut affine = r.decode_affine(context, 1.0);
        affine.memory_slope += first.prefill_per_token_s;
        let bound = affine.max_batch(t.step_limit, 0.0);
        hi = hi.min(bound.floor().clamp(1.0, max_batch as f64) as u64);
    }
    let mut lo = 1;
    if ok(hi) {
        lo = hi;
    }
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if ok(mid) { lo = mid } else { hi = mid - 1 }
    }
    let batch = lo;
    let limited_by = if batch == max_batch {
        if kv_batch <= seqs {
            BatchLimit::KvCache
        } else {
            BatchLimit::MaxNumSeqs
        }
    } else if first.token_s(r, (batch + 1) as f64) > t.step_limit {
        BatchLimit::StreamingSpeed
    } else {
        BatchLimit::FirstToken
    };
    let at = |batch: u64, limited_by: BatchLimit| {
        let b = batch as f64;
        let tp = throughput(r, seq.input, seq.output, b);
        // `throughput` prefills the whole prompt; the prefix cache spares part of it.
        let cycle =
            b / tp.requests_per_s - b * (r.prefill_in_batch_s(seq.input) - r.prefill_in_batch_s(prompt.computed));
        let rps = b / cycle.max(1e-12);
        let service_s = b / rps;
        let service_ttft = first.at(r, b);
        Capacity {
            batch,
            rps,
            tpot_s: first.token_s(r, b),
            service_s,
            chunks: prompt.chunks(b).min(f64::from(u32::MAX)) as u32,
            limited_by,
            max_num_seqs,
            max_num_batched_tokens,
            queue: t.ttft_limit.is_finite().then_some(QueueCheck {
                slots: u32::try_from(batch).unwrap_or(u32::MAX),
                service_s,
                scv: t.scv,
                percentile: t.percentile,
                budget_s: t.ttft_limit - service_ttft,
            }),
        }
    };
    // The largest batch within the targets: the fleet's queue check (`QueueCheck`) then adds
    // replicas where the wait for a slot would pass the TTFT target.
    Ok(at(batch, limited_by))
}

/// One sized configuration: where it fits and what a replica sustains. Independent of
/// the place and of the daily volume, so it is computed once per model.
#[derive(Debug, Clone)]
pub struct Config {
    pub(super) gpu: usize,
    pub(super) precision: Precision,
    /// The format the engine runs `precision` in on this GPU (`fp16` for 16-bit on a T4).
    pub(super) format: WeightFormat,
    pub(super) tp: u32,
    pub(super) plan: memory::MemoryPlan,
    pub(super) cap: Capacity,
}

impl Configs {
    /// Only the configurations that serve the weights as the model is published: its native
    /// format (MXFP4 for gpt-oss), else 16-bit (bf16, or fp16 where the GPU has no bf16).
    /// What a catalog deployment on a managed platform runs; a quantised variant is a
    /// custom model and container of the team's own.
    pub fn as_published(&self, native: Option<WeightFormat>) -> Configs {
        let published = |f: WeightFormat| match native {
            Some(n) => f == n,
            None => matches!(f, WeightFormat::Bf16 | WeightFormat::Fp16),
        };
        Configs {
            list: self.list.iter().filter(|c| published(c.format)).cloned().collect(),
            first_miss: self.first_miss.clone(),
            unsupported: self.unsupported.clone(),
        }
    }
}

/// The configurations of a model that fit and meet the latency targets, found once per
/// model and shared by the cloud and on-premises options.
#[derive(Debug, Clone, Default)]
pub struct Configs {
    pub list: Vec<Config>,
    /// Why the first configuration that fits misses the targets, for the message when none
    /// meets them.
    pub first_miss: Option<String>,
    /// GPUs the engine cannot run the model on at any allowed precision, with why (the first
    /// few), for the message when nothing fits.
    pub unsupported: Vec<String>,
}

/// Every configuration of the model that fits and meets the latency targets, and why the
/// first that fits misses them (for the message when none meets them).
pub fn configs(input: &SizingInput) -> Configs {
    let SizingInput {
        catalog,
        market,
        constants: c,
        engine,
        scenario,
        model,
        arch,
        seq,
        reasoning,
        prompt_computed,
        ..
    } = *input;
    let tps: Vec<u32> = valid_tps(arch).into_iter().filter(|t| TP_CHOICES.contains(t)).collect();
    let targets = Targets::of(scenario, c.service_time_scv);
    let mut out = Vec::new();
    let mut why = None;
    let mut unsupported = Vec::new();
    for (gi, gpu) in catalog.gpus.iter().enumerate() {
        if !scenario.self_hosting.gpus.is_empty() && !scenario.self_hosting.gpus.contains(&gpu.id) {
            continue;
        }
        // A GPU no VM offers and no on-premises rate prices cannot be part of any option.
        if !market.buyable(gi) {
            continue;
        }
        let tried = precisions(engine, scenario.self_hosting.precision, arch, gpu);
        if tried.is_empty() {
            if unsupported.len() < 3 {
                let p = match scenario.self_hosting.precision {
                    PrecisionChoice::Auto => arch.native_precision.unwrap_or(Precision::Bf16),
                    PrecisionChoice::Bf16 => Precision::Bf16,
                    PrecisionChoice::Fp8 => Precision::Fp8,
                    PrecisionChoice::Int8 => Precision::Int8,
                    PrecisionChoice::Int4 => Precision::Int4,
                };
                if let Err(e) = runs_as(engine, gpu, arch, p) {
                    unsupported.push(e);
                }
            }
            continue;
        }
        let Some(limits) = engine.limits_for(gpu) else {
            continue;
        };
        let budget = if engine.chunked_prefill {
            f64::from(limits.max_num_batched_tokens)
        } else {
            // Without chunked prefill a step takes a whole prompt (vLLM sets the budget to
            // max_model_len).
            f64::INFINITY
        };
        let prompt = Prompt {
            computed: prompt_computed,
            budget,
        };
        for (precision, format) in tried {
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
                let engine_limits = (limits.max_num_seqs, limits.max_num_batched_tokens);
                match capacity(
                    &r,
                    seq,
                    reasoning,
                    prompt,
                    plan.max_concurrency,
                    engine_limits,
                    &targets,
                ) {
                    Ok(cap) => {
                        taken += 1;
                        out.push(Config {
                            gpu: gi,
                            precision,
                            format,
                            tp,
                            plan,
                            cap,
                        });
                    }
                    Err(e) => {
                        why.get_or_insert_with(|| format!("{} at {} on {tp} x {}: {e}", model.id, format.id(), gpu.id));
                    }
                }
            }
        }
    }
    Configs {
        list: out,
        first_miss: why,
        unsupported,
    }
}
