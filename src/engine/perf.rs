//! Speed of a self-hosted replica: a roofline with calibrated efficiencies.
//!
//! Prefill is compute-bound (all prompt tokens at once) unless the prompt is tiny; a decode
//! step reads the active weights and every sequence's KV cache once and is memory-bound
//! until the batch is large. Tensor parallelism adds two all-reduces per layer. Overheads per
//! step and per layer cover scheduling, sampling and kernel launches.

use super::memory::{kv_read_bytes_gpu, params_active_split, params_touched};
use super::{Constants, Efficiency, Precision, compute_flops};
use crate::catalog::{Architecture, Gpu};

/// One replica's hardware and model, ready to time.
#[derive(Debug, Clone, Copy)]
pub struct Replica<'a> {
    pub arch: &'a Architecture,
    pub gpu: &'a Gpu,
    pub c: &'a Constants,
    pub precision: Precision,
    pub tp: u32,
}

impl Replica<'_> {
    fn eff(&self) -> Efficiency {
        self.c.efficiency(self.gpu.family)
    }

    fn tp_f(&self) -> f64 {
        f64::from(self.tp.max(1))
    }

    /// Dense FLOP/s of one GPU at this precision (16-bit for weight-only formats).
    fn flops(&self) -> f64 {
        compute_flops(self.gpu, self.precision).unwrap_or(self.gpu.bf16_tflops * 1e12)
    }

    fn bandwidth(&self) -> f64 {
        self.gpu.bandwidth_gb_s * 1e9
    }

    /// Two all-reduces of `tokens x hidden` 16-bit activations per layer, ring algorithm
    /// over the GPU-to-GPU link (one direction of the quoted bidirectional figure).
    pub fn allreduce_s(&self, tokens: f64) -> f64 {
        if self.tp <= 1 {
            return 0.0;
        }
        2.0 * f64::from(self.arch.layers) * self.c.allreduce_latency_s + self.allreduce_transfer_s(tokens)
    }

    /// The bandwidth part of [`Self::allreduce_s`], without the per-call latency.
    fn allreduce_transfer_s(&self, tokens: f64) -> f64 {
        if self.tp <= 1 {
            return 0.0;
        }
        let tp = self.tp_f();
        let bytes = tokens * f64::from(self.arch.hidden) * 2.0;
        let link = self.gpu.link_gb_s * 1e9 / 2.0;
        2.0 * f64::from(self.arch.layers) * 2.0 * (tp - 1.0) / tp * bytes / link
    }

    /// Attention FLOPs (scores and weighted sum) of `queries` tokens over an average
    /// `context` keys each, summed over layers; local layers see at most their window.
    fn attention_flops(&self, queries: f64, context: f64) -> f64 {
        let width = f64::from(self.arch.heads) * f64::from(self.arch.head_dim);
        let (local_layers, window) = self
            .arch
            .local_attention
            .as_ref()
            .map_or((0.0, f64::INFINITY), |l| (f64::from(l.layers), f64::from(l.window)));
        let global_layers = f64::from(self.arch.layers) - local_layers;
        4.0 * width * queries * (global_layers * context + local_layers * context.min(window))
    }

    /// Parameters a token computes with, routed-expert parameters weighted by how much
    /// slower grouped expert kernels run than dense ones.
    fn effective_active_params(&self) -> f64 {
        let (shared, routed) = params_active_split(self.arch);
        shared + routed / self.c.moe_efficiency
    }

    /// Weight bytes a pass over `tokens` tokens reads per GPU, routed-expert bytes weighted
    /// like [`Self::effective_active_params`].
    fn effective_weight_bytes(&self, tokens: f64) -> f64 {
        let (shared, routed) = params_touched(self.arch, tokens);
        (shared + routed / self.c.moe_efficiency) * self.c.weight_bytes(self.precision) / self.tp_f()
    }

    fn overhead_s(&self) -> f64 {
        self.c.step_overhead_s + self.c.layer_overhead_s * f64::from(self.arch.layers)
    }

    /// Compute time of a prompt of `tokens` tokens: the FLOPs at prefill efficiency.
    fn prefill_compute_s(&self, tokens: f64) -> f64 {
        // Causal attention: on average each query sees half the prompt.
        let flops = 2.0 * self.effective_active_params() * tokens + self.attention_flops(tokens, tokens / 2.0);
        flops / (self.tp_f() * self.flops() * self.eff().mfu_prefill)
    }

    /// Time of a forward pass over a prompt of `tokens` tokens on its own (one request):
    /// compute-bound, unless the prompt is so short that reading the weights takes longer.
    pub fn prefill_s(&self, tokens: f64) -> f64 {
        let tokens = tokens.max(1.0);
        let memory = self.effective_weight_bytes(tokens) / (self.bandwidth() * self.eff().mbu);
        self.prefill_compute_s(tokens).max(memory) + self.allreduce_s(tokens) + self.overhead_s()
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
        let eff = self.eff();
        let kv_bytes = batch * kv_read_bytes_gpu(self.arch, self.precision, self.tp, context);
        let memory = (self.effective_weight_bytes(batch) + kv_bytes) / (self.bandwidth() * eff.mbu);
        let flops = 2.0 * self.effective_active_params() * batch + self.attention_flops(batch, context);
        let compute = flops / (self.tp_f() * self.flops() * eff.mfu_decode);
        memory.max(compute) + self.allreduce_s(batch) + self.overhead_s()
    }
}

/// A dense model's decode step as a function of the batch `B`:
/// `step(B) = fixed + max(weights + memory_slope x B, compute_slope x B)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DecodeAffine {
    /// Per-step and per-layer overheads and all-reduce latency, seconds.
    pub fixed: f64,
    /// Reading the weights once, seconds.
    pub weights: f64,
    /// Reading one more sequence's KV cache, plus its all-reduce traffic, seconds.
    pub memory_slope: f64,
    /// One more sequence's FLOPs, plus its all-reduce traffic, seconds.
    pub compute_slope: f64,
}

impl DecodeAffine {
    /// The largest (real) batch whose step, plus `extra` seconds, stays within `limit`.
    pub fn max_batch(&self, limit: f64, extra: f64) -> f64 {
        let room = limit - extra - self.fixed;
        let by_memory = (room - self.weights) / self.memory_slope.max(1e-18);
        let by_compute = room / self.compute_slope.max(1e-18);
        by_memory.min(by_compute)
    }
}

impl Replica<'_> {
    /// The decode step in affine form, exact for dense models. For MoE models the weight
    /// traffic grows with the batch as more experts are touched; it is taken here as that of
    /// a `weight_batch`-token step, which bounds the true step from above (for a larger
    /// `weight_batch`) or below (for a smaller one).
    pub fn decode_affine(&self, context: f64, weight_batch: f64) -> DecodeAffine {
        let eff = self.eff();
        let bw = self.bandwidth() * eff.mbu;
        let comm_latency = if self.tp > 1 {
            2.0 * f64::from(self.arch.layers) * self.c.allreduce_latency_s
        } else {
            0.0
        };
        let comm_per = self.allreduce_transfer_s(1.0);
        DecodeAffine {
            fixed: self.overhead_s() + comm_latency,
            weights: self.effective_weight_bytes(weight_batch) / bw,
            memory_slope: kv_read_bytes_gpu(self.arch, self.precision, self.tp, context) / bw + comm_per,
            compute_slope: (2.0 * self.effective_active_params() + self.attention_flops(1.0, context))
                / (self.tp_f() * self.flops() * eff.mfu_decode)
                + comm_per,
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
