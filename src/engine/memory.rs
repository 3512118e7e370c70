//! GPU memory of a self-hosted replica, with vLLM's semantics: the engine may use
//! `memory_utilization` of each GPU; weights, activations (the profile run's peak) and the
//! runtime come off the top; what is left is the paged KV cache.

use super::{BLOCK_TOKENS, Constants, GIB, Precision, kv_bytes};
use crate::catalog::{Architecture, Gpu};

/// Total and per-token-active parameters.
pub fn params(arch: &Architecture) -> (f64, f64) {
    let total = arch.params_b * 1e9;
    (total, arch.active_params_b.map_or(total, |a| a * 1e9))
}

/// Parameters outside the routed experts (attention, embeddings, shared experts) and the
/// parameters of all routed experts together, derived from total and active counts:
/// `active = shared + routed * k / E`.
pub fn expert_split(arch: &Architecture) -> (f64, f64) {
    let (total, active) = params(arch);
    match &arch.moe {
        Some(moe) if moe.experts > moe.experts_per_token => {
            let frac = f64::from(moe.experts_per_token) / f64::from(moe.experts);
            let routed = ((total - active) / (1.0 - frac)).clamp(0.0, total);
            (total - routed, routed)
        }
        _ => (total, 0.0),
    }
}

/// Parameters one token computes with, as (outside the routed experts, in routed experts).
pub fn params_active_split(arch: &Architecture) -> (f64, f64) {
    let (shared, routed) = expert_split(arch);
    let (_, active) = params(arch);
    (shared.min(active), (active - shared).max(0.0).min(routed))
}

/// KV-cache bytes per token for the whole model, every layer holding the full context, at
/// the KV precision that goes with `precision`. Multi-head latent attention (DeepSeek V3)
/// caches a compressed latent plus the RoPE key: `layers x (kv_lora_rank + rope_dim)`.
pub fn kv_bytes_per_token(arch: &Architecture, precision: Precision) -> f64 {
    let b = kv_bytes(precision);
    let layers = f64::from(arch.layers);
    match &arch.mla {
        Some(mla) => layers * f64::from(mla.kv_lora_rank + mla.qk_rope_head_dim) * b,
        None => 2.0 * layers * f64::from(arch.kv_heads) * f64::from(arch.head_dim) * b,
    }
}

/// KV bytes per token of one layer on one GPU. KV heads split across tensor-parallel ranks
/// and are replicated when there are more ranks than heads; the MLA latent is replicated.
pub(super) fn kv_layer_token_gpu(arch: &Architecture, precision: Precision, tp: u32) -> f64 {
    let b = kv_bytes(precision);
    match &arch.mla {
        Some(mla) => f64::from(mla.kv_lora_rank + mla.qk_rope_head_dim) * b,
        None => 2.0 * f64::from(arch.kv_heads.div_ceil(tp.max(1))) * f64::from(arch.head_dim) * b,
    }
}

/// Token-layers of cache a sequence of `tokens` holds: local (sliding-window or chunked)
/// layers keep at most their window.
pub(super) fn cached_token_layers(arch: &Architecture, tokens: f64) -> f64 {
    match &arch.local_attention {
        Some(local) => {
            let global = f64::from(arch.layers.saturating_sub(local.layers));
            global * tokens + f64::from(local.layers) * tokens.min(f64::from(local.window))
        }
        None => f64::from(arch.layers) * tokens,
    }
}

/// KV bytes one sequence of `tokens` holds on one GPU, allocated in whole 16-token blocks.
pub fn kv_sequence_bytes_gpu(arch: &Architecture, precision: Precision, tp: u32, tokens: f64) -> f64 {
    let allocated = (tokens / BLOCK_TOKENS).ceil() * BLOCK_TOKENS;
    kv_layer_token_gpu(arch, precision, tp) * cached_token_layers(arch, allocated)
}

/// The memory of one replica (`tp` GPUs), per GPU.
#[derive(Debug, Clone, PartialEq)]
pub struct MemoryPlan {
    pub capacity_gib: f64,
    /// `capacity x memory_utilization`.
    pub usable_gib: f64,
    pub weights_gib: f64,
    pub activations_gib: f64,
    pub runtime_gib: f64,
    /// What is left for the KV cache (negative when weights and overheads do not fit).
    pub kv_budget_gib: f64,
    /// KV cache of one full sequence (prompt + completion) on one GPU.
    pub kv_full_sequence_gib: f64,
    /// Whole-model KV bytes per token at the KV precision.
    pub kv_bytes_per_token: f64,
    /// Sequences the KV budget holds at the steady-state average context (online serving,
    /// requests staggered).
    pub max_concurrency: u64,
    /// Sequences the KV budget holds when each is reserved at its full length: an offline
    /// batch whose requests all start together and grow in lockstep, admitted without
    /// eviction (TensorRT-LLM's default policy; vLLM would preempt beyond it).
    pub max_concurrency_full_length: u64,
    /// What is short, when it does not fit.
    pub shortfall: Option<Shortfall>,
    pub tp: u32,
    pub memory_utilization: f64,
    pub sequence_tokens: f64,
}

/// What does not fit (the message is built only when someone reads it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortfall {
    /// Weights, activations and runtime exceed the usable memory.
    Weights,
    /// One full sequence's KV cache exceeds what is left.
    KvCache,
}

impl MemoryPlan {
    pub fn fits(&self) -> bool {
        self.shortfall.is_none()
    }

    /// Why it does not fit, in a sentence; `None` when it fits.
    pub fn reason(&self, gpu_id: &str) -> Option<String> {
        let tp = self.tp;
        let tp_word = if tp == 1 { String::new() } else { format!(" at tp {tp}") };
        match self.shortfall? {
            Shortfall::Weights => {
                let in_all = if tp > 1 {
                    format!(" ({:.1} GiB in all)", self.weights_gib * f64::from(tp))
                } else {
                    String::new()
                };
                Some(format!(
                    "weights need {:.1} GiB per GPU{tp_word}{in_all} plus {:.1} GiB of activations and runtime, but one {gpu_id} gives {:.1} GiB usable ({:.0} GiB x {:.2})",
                    self.weights_gib,
                    self.activations_gib + self.runtime_gib,
                    self.usable_gib,
                    self.capacity_gib,
                    self.memory_utilization
                ))
            }
            Shortfall::KvCache => Some(format!(
                "one {:.0}-token sequence needs {:.2} GiB of KV cache per GPU{tp_word}, but only {:.2} GiB is left after weights, activations and runtime",
                self.sequence_tokens,
                self.kv_full_sequence_gib,
                self.kv_budget_gib.max(0.0)
            )),
        }
    }
}

/// Inputs of a memory plan that describe the workload.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sequence {
    /// Prompt tokens.
    pub input: f64,
    /// Generated tokens (completion plus hidden reasoning).
    pub output: f64,
}

impl Sequence {
    pub fn total(&self) -> f64 {
        self.input + self.output
    }
    /// Average context of a sequence in flight: the prompt plus half the generation.
    pub fn average_context(&self) -> f64 {
        self.input + self.output / 2.0
    }
}

/// Weights, activations and runtime per GPU, GiB.
pub fn static_memory_gib(arch: &Architecture, c: &Constants, precision: Precision, tp: u32) -> (f64, f64, f64) {
    let tp_f = f64::from(tp.max(1));
    let (total, _) = params(arch);
    let weights = total * c.weight_bytes(precision) / tp_f / GIB;
    // vLLM's profile run peaks at a few GiB (measured ~5 GiB dense, ~7.5 GiB MoE on H100
    // for 70B-class models). It scales with the hidden size, so smaller models need less,
    // and most of it (MLP and attention activations) is sharded by tensor parallelism; the
    // hidden states and logits (taken here as a quarter) are not.
    let base = if arch.moe.is_some() {
        c.activation_gib_moe
    } else {
        c.activation_gib_dense
    };
    let activations = base * (f64::from(arch.hidden) / 8192.0).clamp(0.25, 1.0) * (0.25 + 0.75 / tp_f);
    let runtime = if tp <= 1 {
        c.runtime_gib_tp1
    } else {
        c.runtime_gib_tp_multi + c.nccl_gib_tp_multi
    };
    (weights, activations, runtime)
}

pub fn plan(
    arch: &Architecture,
    gpu: &Gpu,
    c: &Constants,
    precision: Precision,
    tp: u32,
    memory_utilization: f64,
    seq: Sequence,
) -> MemoryPlan {
    // On a device whose memory the host shares, the operating system's share is not the
    // engine's to use.
    let capacity = gpu.memory_gib - gpu.os_reserved_gib.unwrap_or(0.0);
    let usable = capacity * memory_utilization;
    let (weights, activations, runtime) = static_memory_gib(arch, c, precision, tp);
    let budget = usable - weights - activations - runtime;
    let full = kv_sequence_bytes_gpu(arch, precision, tp, seq.total()) / GIB;
    let per_avg = kv_sequence_bytes_gpu(arch, precision, tp, seq.average_context()) / GIB;
    let holds = |per_sequence: f64| -> u64 {
        if budget > 0.0 && per_sequence > 0.0 {
            // Finite and positive here; capped so the conversion cannot saturate oddly.
            (budget / per_sequence).floor().clamp(0.0, 1e12) as u64
        } else {
            0
        }
    };
    let max_concurrency = holds(per_avg);
    let max_concurrency_full_length = holds(full);
    let shortfall = if weights + activations + runtime > usable {
        Some(Shortfall::Weights)
    } else if full > budget {
        Some(Shortfall::KvCache)
    } else {
        None
    };
    MemoryPlan {
        capacity_gib: capacity,
        usable_gib: usable,
        weights_gib: weights,
        activations_gib: activations,
        runtime_gib: runtime,
        kv_budget_gib: budget,
        kv_full_sequence_gib: full,
        kv_bytes_per_token: kv_bytes_per_token(arch, precision),
        max_concurrency: if shortfall.is_none() { max_concurrency.max(1) } else { 0 },
        max_concurrency_full_length: if shortfall.is_none() {
            max_concurrency_full_length.max(1)
        } else {
            0
        },
        shortfall,
        tp,
        memory_utilization,
        sequence_tokens: seq.total(),
    }
}
