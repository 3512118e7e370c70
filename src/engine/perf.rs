//! Speed of a self-hosted replica: a roofline with calibrated efficiencies.
//!
//! Prefill is compute-bound (all prompt tokens at once) unless the prompt is tiny. A decode
//! step runs two kinds of kernels one after the other: the weight GEMMs, which read the active
//! weights once and are memory-bound until the batch is large, then compute-bound; and
//! attention, which reads every sequence's KV cache. The two do not overlap, so their times
//! add: with a large batch the step is the GEMMs' compute *plus* the KV read, not the larger
//! of the two. This is what makes long outputs expensive offline: the KV cache read grows
//! with the context while the GEMMs are already compute-bound. Tensor parallelism adds two
//! all-reduces per layer, over NVLink or over PCIe at the share of the link each reaches.
//! Overheads per step and per layer cover scheduling, sampling and kernel launches.

use super::memory::{cached_token_layers, expert_split, kv_layer_token_gpu, params_active_split};
use super::{Constants, Precision, compute_flops};
use crate::catalog::{Architecture, Gpu};

/// One replica's hardware and model, ready to time. The figures every step needs (rates,
/// efficiencies, per-layer constants) are worked out once, in [`Replica::new`]: the sizing
/// search times thousands of steps per evaluation.
#[derive(Debug, Clone, Copy)]
pub struct Replica<'a> {
    arch: &'a Architecture,
    tp: u32,
    /// `tp` as `f64`, at least 1.
    tp_f: f64,
    /// Effective memory bandwidth of one GPU in decode, bytes/s: reading weights, and reading
    /// the KV cache in attention.
    bandwidth_eff: f64,
    kv_bandwidth_eff: f64,
    /// Effective FLOP/s of the replica's GPUs in prefill and in decode.
    prefill_flops: f64,
    decode_flops: f64,
    /// Per-step and per-layer overheads, seconds.
    overhead_s: f64,
    /// The latency part of two all-reduces per layer (0 without tensor parallelism).
    allreduce_latency_s: f64,
    /// Bytes-to-seconds factor of the all-reduce traffic before the link speed (ring
    /// algorithm), and the link's one-way bandwidth.
    allreduce_factor: f64,
    link_bytes_s: f64,
    /// Parameters a token computes with (routed experts weighted by their efficiency).
    effective_active_params: f64,
    /// Shared and routed parameters, the share of experts a token misses (MoE), the MoE
    /// kernel efficiency and the bytes per weight, for the weight traffic of a pass.
    shared_params: f64,
    routed_params: f64,
    expert_miss: Option<f64>,
    moe_efficiency: f64,
    weight_bytes: f64,
    /// KV-cache bytes one token occupies in one layer on one GPU.
    kv_layer_token: f64,
    /// `4 x heads x head_dim`, global and local (windowed) layers and the window.
    attention_width4: f64,
    global_layers: f64,
    local_layers: f64,
    window: f64,
}

impl<'a> Replica<'a> {
    // The configuration search (selfhost::search) builds one per configuration; the hint
    // keeps it inlinable there now that the search is a module of its own.
    #[inline]
    pub fn new(arch: &'a Architecture, gpu: &Gpu, c: &Constants, precision: Precision, tp: u32) -> Replica<'a> {
        let eff = c.efficiency(gpu.family);
        let tp_f = f64::from(tp.max(1));
        // Dense FLOP/s of one GPU at this precision (16-bit for weight-only formats).
        let flops = compute_flops(gpu, precision).unwrap_or(gpu.bf16_tflops * 1e12);
        let layers = f64::from(arch.layers);
        // GPUs joined only by PCIe (no NVLink or Infinity Fabric between them).
        let pcie = gpu.interconnect.starts_with("PCIe");
        let (shared_params, routed_params) = expert_split(arch);
        let expert_miss = match &arch.moe {
            Some(moe) if routed_params > 0.0 => Some(1.0 - f64::from(moe.experts_per_token) / f64::from(moe.experts)),
            _ => None,
        };
        let (active_shared, active_routed) = params_active_split(arch);
        let (local_layers, window) = arch
            .local_attention
            .as_ref()
            .map_or((0.0, f64::INFINITY), |l| (f64::from(l.layers), f64::from(l.window)));
        Replica {
            arch,
            tp,
            tp_f,
            bandwidth_eff: gpu.bandwidth_gb_s * 1e9 * eff.mbu,
            kv_bandwidth_eff: gpu.bandwidth_gb_s * 1e9 * c.kv_read_efficiency,
            prefill_flops: tp_f * flops * eff.mfu_prefill,
            decode_flops: tp_f * flops * eff.mfu_decode,
            overhead_s: c.step_overhead_s + c.layer_overhead_s * layers,
            allreduce_latency_s: if tp > 1 {
                2.0 * layers
                    * if pcie {
                        c.allreduce_latency_pcie_s
                    } else {
                        c.allreduce_latency_s
                    }
            } else {
                0.0
            },
            allreduce_factor: 2.0 * layers * 2.0 * (tp_f - 1.0) / tp_f,
            link_bytes_s: gpu.link_gb_s * 1e9 / 2.0
                * if pcie {
                    c.allreduce_bw_efficiency_pcie
                } else {
                    c.allreduce_bw_efficiency_nvlink
                },
            effective_active_params: active_shared + active_routed / c.moe_efficiency,
            shared_params,
            routed_params,
            expert_miss,
            moe_efficiency: c.moe_efficiency,
            weight_bytes: c.weight_bytes(precision),
            kv_layer_token: kv_layer_token_gpu(arch, precision, tp),
            attention_width4: 4.0 * (f64::from(arch.heads) * f64::from(arch.head_dim)),
            global_layers: layers - local_layers,
            local_layers,
            window,
        }
    }

    /// The model this replica serves.
    pub fn arch(&self) -> &'a Architecture {
        self.arch
    }

    /// Two all-reduces of `tokens x hidden` 16-bit activations per layer, ring algorithm
    /// over the GPU-to-GPU link (one direction of the quoted bidirectional figure, at the
    /// share an all-reduce reaches on that kind of link).
    pub fn allreduce_s(&self, tokens: f64) -> f64 {
        if self.tp <= 1 {
            return 0.0;
        }
        self.allreduce_latency_s + self.allreduce_transfer_s(tokens)
    }

    /// The bandwidth part of [`Self::allreduce_s`], without the per-call latency.
    fn allreduce_transfer_s(&self, tokens: f64) -> f64 {
        if self.tp <= 1 {
            return 0.0;
        }
        let bytes = tokens * f64::from(self.arch.hidden) * 2.0;
        self.allreduce_factor * bytes / self.link_bytes_s
    }

    /// Attention FLOPs (scores and weighted sum) of `queries` tokens over an average
    /// `context` keys each, summed over layers; local layers see at most their window.
    fn attention_flops(&self, queries: f64, context: f64) -> f64 {
        self.attention_width4 * queries * (self.global_layers * context + self.local_layers * context.min(self.window))
    }

    /// Weight bytes a pass over `tokens` tokens reads per GPU, routed-expert bytes weighted
    /// like the active parameters. Every token picks `experts_per_token` of `experts`, so
    /// the share of routed experts read is `1 - (1 - k/E)^tokens`.
    fn effective_weight_bytes(&self, tokens: f64) -> f64 {
        let routed = match self.expert_miss {
            Some(miss) => self.routed_params * (1.0 - miss.powf(tokens.max(1.0))),
            None => 0.0,
        };
        (self.shared_params + routed / self.moe_efficiency) * self.weight_bytes / self.tp_f
    }

    /// KV-cache bytes one sequence at context `context` reads per GPU in a decode step (no
    /// block rounding).
    fn kv_read_bytes(&self, context: f64) -> f64 {
        self.kv_layer_token * cached_token_layers(self.arch, context)
    }

    /// Compute time of a prompt of `tokens` tokens: the FLOPs at prefill efficiency.
    fn prefill_compute_s(&self, tokens: f64) -> f64 {
        // Causal attention: on average each query sees half the prompt.
        let flops = 2.0 * self.effective_active_params * tokens + self.attention_flops(tokens, tokens / 2.0);
        flops / self.prefill_flops
    }

    /// Time of a forward pass over a prompt of `tokens` tokens on its own (one request):
    /// compute-bound, unless the prompt is so short that reading the weights takes longer.
    pub fn prefill_s(&self, tokens: f64) -> f64 {
        let tokens = tokens.max(1.0);
        let memory = self.effective_weight_bytes(tokens) / self.bandwidth_eff;
        self.prefill_compute_s(tokens).max(memory) + self.allreduce_s(tokens) + self.overhead_s
    }

    /// What a prompt adds to a running batch under continuous batching: its tokens ride
    /// along decode steps that read the weights anyway, so they cost their FLOPs and their
    /// all-reduce traffic, not another pass over the weights.
    pub fn prefill_in_batch_s(&self, tokens: f64) -> f64 {
        let tokens = tokens.max(1.0);
        self.prefill_compute_s(tokens) + self.allreduce_transfer_s(tokens)
    }

    /// One decode step for `batch` sequences at an average context of `context` tokens.
    pub fn decode_step_s(&self, batch: f64, context: f64) -> f64 {
        let batch = batch.max(1.0);
        self.decode_step_given(batch, context, self.effective_weight_bytes(batch))
    }

    /// Decode steps for `batch` sequences at two average contexts: the weight traffic,
    /// which depends on the batch only (a power for MoE models), is worked out once.
    pub fn decode_steps_s(&self, batch: f64, contexts: (f64, f64)) -> (f64, f64) {
        let batch = batch.max(1.0);
        let weights = self.effective_weight_bytes(batch);
        (
            self.decode_step_given(batch, contexts.0, weights),
            self.decode_step_given(batch, contexts.1, weights),
        )
    }

    fn decode_step_given(&self, batch: f64, context: f64, weight_bytes: f64) -> f64 {
        // The weight GEMMs: the weights once, or the batch's FLOPs once it is large.
        let gemm =
            (weight_bytes / self.bandwidth_eff).max(2.0 * self.effective_active_params * batch / self.decode_flops);
        // Attention, after them: every sequence's KV cache, or its FLOPs.
        let attention = (batch * self.kv_read_bytes(context) / self.kv_bandwidth_eff)
            .max(self.attention_flops(batch, context) / self.decode_flops);
        gemm + attention + self.allreduce_s(batch) + self.overhead_s
    }
}

/// A dense model's decode step as a function of the batch `B`:
/// `step(B) = fixed + max(weights, compute_slope x B) + memory_slope x B`: the weight GEMMs
/// (the weights once, or the batch's FLOPs), then attention and the all-reduce traffic, which
/// grow with every sequence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DecodeAffine {
    /// Per-step and per-layer overheads and all-reduce latency, seconds.
    pub fixed: f64,
    /// Reading the weights once, seconds.
    pub weights: f64,
    /// One more sequence's attention (its KV-cache read, or its attention FLOPs when those
    /// take longer) plus its all-reduce traffic, seconds.
    pub memory_slope: f64,
    /// One more sequence's GEMM FLOPs, seconds.
    pub compute_slope: f64,
}

impl DecodeAffine {
    /// The largest (real) batch whose step, plus `extra` seconds, stays within `limit`.
    pub fn max_batch(&self, limit: f64, extra: f64) -> f64 {
        // max(w, c B) + m B <= room holds when both w + m B and (c + m) B do.
        let room = limit - extra - self.fixed;
        let by_memory = (room - self.weights) / self.memory_slope.max(1e-18);
        let by_compute = room / (self.compute_slope + self.memory_slope).max(1e-18);
        by_memory.min(by_compute)
    }
}

impl Replica<'_> {
    /// The decode step in affine form, exact for dense models. For MoE models the weight
    /// traffic grows with the batch as more experts are touched; it is taken here as that of
    /// a `weight_batch`-token step, which bounds the true step from above (for a larger
    /// `weight_batch`) or below (for a smaller one).
    pub fn decode_affine(&self, context: f64, weight_batch: f64) -> DecodeAffine {
        let bw = self.bandwidth_eff;
        let comm_per = self.allreduce_transfer_s(1.0);
        DecodeAffine {
            fixed: self.overhead_s + self.allreduce_latency_s,
            weights: self.effective_weight_bytes(weight_batch) / bw,
            memory_slope: (self.kv_read_bytes(context) / self.kv_bandwidth_eff)
                .max(self.attention_flops(1.0, context) / self.decode_flops)
                + comm_per,
            compute_slope: 2.0 * self.effective_active_params / self.decode_flops,
        }
    }
}

/// Steady-state figures of a replica serving `batch` requests at a time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Throughput {
    pub ttft_s: f64,
    pub tpot_s: f64,
    /// Output tokens per second of the replica.
    pub output_tokens_per_s: f64,
    /// Output tokens per second one request sees while it streams.
    pub output_tokens_per_s_per_request: f64,
    pub requests_per_s: f64,
}

/// Continuous batching at a fixed concurrency: while `batch` requests are in flight, each
/// request costs its prompt's share of the steps it rides on and `output` decode steps shared
/// by the batch, so `tokens/s = B x O / (B x t_prefill + O x t_step(B))` with `t_prefill` the
/// prompt's marginal cost in a running batch. Time to first token (no queueing) is a prefill
/// on its own plus one decode step, as engine.md defines it.
pub fn throughput(r: &Replica, input: f64, output: f64, batch: f64) -> Throughput {
    let batch = batch.max(1.0);
    let output = output.max(1.0);
    let t_step = r.decode_step_s(batch, input + output / 2.0);
    let cycle = batch * r.prefill_in_batch_s(input) + output * t_step;
    let tokens_per_s = batch * output / cycle;
    Throughput {
        ttft_s: r.prefill_s(input) + r.decode_step_s(1.0, input),
        tpot_s: t_step,
        output_tokens_per_s: tokens_per_s,
        output_tokens_per_s_per_request: 1.0 / t_step,
        requests_per_s: tokens_per_s / output,
    }
}
