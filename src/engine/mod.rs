//! The planning engine: pure functions from a scenario (or a `predict` request) and the
//! catalog to numbers. No I/O, no clock, no UI types.
//!
//! Physics is `f64` (bytes, seconds, tokens); money is `Decimal`. Every constant comes from
//! the catalog (`constants.ron`), so a user can see and override it.

pub mod compare;
pub mod curve;
pub mod demand;
pub mod evaluate;
pub mod memory;
pub mod perf;
pub mod plan;
pub mod predict;
pub mod selfhost;
pub mod sensitivity;
pub mod sweep;
pub mod validation;

// The parts of `evaluate`, split by responsibility; their public items are re-exported
// from `evaluate`.
mod availability;
pub use availability::notices;
mod break_even;
mod constraints;
mod context;
mod dedicated;
mod direct;
mod fine_tune;
mod hybrid;
mod managed;
mod queue;
mod rank;
mod recommend;
mod self_hosted_option;

use crate::catalog::{Architecture, Catalog, Gpu, GpuFamily, ServingEngine, WeightFormat};

pub use crate::catalog::Precision;

/// Bytes in a GiB.
pub const GIB: f64 = 1_073_741_824.0;
/// vLLM's KV-cache block: memory is handed out 16 tokens at a time.
pub const BLOCK_TOKENS: f64 = 16.0;

/// The engine's constants, read from the catalog once per evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct Constants {
    pub network_rtt_ms: f64,
    /// Characters of text per token, to turn tokens into Content Safety text records.
    pub chars_per_token: f64,
    pub content_safety_chars_per_record: f64,
    pub content_safety_usd_per_1k_records: f64,
    pub int4_bits_per_weight: f64,
    pub activation_gib_dense: f64,
    pub activation_gib_moe: f64,
    pub runtime_gib_tp1: f64,
    pub runtime_gib_tp_multi: f64,
    pub nccl_gib_tp_multi: f64,
    pub step_overhead_s: f64,
    pub layer_overhead_s: f64,
    pub allreduce_latency_s: f64,
    /// Latency term of one all-reduce between GPUs joined only by PCIe, seconds.
    pub allreduce_latency_pcie_s: f64,
    /// Share of the link's one-way bandwidth an all-reduce reaches, over NVLink (or
    /// Infinity Fabric) and over PCIe.
    pub allreduce_bw_efficiency_nvlink: f64,
    pub allreduce_bw_efficiency_pcie: f64,
    /// Share of the memory bandwidth attention kernels reach reading the KV cache in decode.
    pub kv_read_efficiency: f64,
    /// Share of dense-kernel efficiency that routed-expert (MoE) weights reach.
    pub moe_efficiency: f64,
    /// Squared coefficient of variation of a request's time in its batch slot (queueing).
    pub service_time_scv: f64,
    families: [(GpuFamily, Efficiency); 7],
}

/// How close a GPU family gets to its datasheet in practice.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Efficiency {
    /// Memory bandwidth utilisation in decode.
    pub mbu: f64,
    /// Model FLOPs utilisation in prefill.
    pub mfu_prefill: f64,
    /// FLOPs utilisation ceiling in decode.
    pub mfu_decode: f64,
}

const FAMILIES: [GpuFamily; 7] = [
    GpuFamily::Turing,
    GpuFamily::Ampere,
    GpuFamily::Ada,
    GpuFamily::Hopper,
    GpuFamily::Blackwell,
    GpuFamily::Cdna3,
    GpuFamily::Cpu,
];

impl Constants {
    /// Reads every constant the engine needs. The catalog refuses to load without them, so
    /// this only fails for a catalog built by hand in code.
    pub fn from_catalog(catalog: &Catalog) -> Result<Constants, String> {
        let get = |id: &str| {
            catalog
                .constant(id)
                .ok_or_else(|| format!("the catalog has no engine constant `{id}`"))
        };
        let fam = |f: GpuFamily| -> Result<(GpuFamily, Efficiency), String> {
            Ok((
                f,
                Efficiency {
                    mbu: get(&format!("mbu.{}", f.id()))?,
                    mfu_prefill: get(&format!("mfu_prefill.{}", f.id()))?,
                    mfu_decode: get(&format!("mfu_decode.{}", f.id()))?,
                },
            ))
        };
        Ok(Constants {
            network_rtt_ms: get("network_rtt_ms")?,
            chars_per_token: get("chars_per_token")?,
            content_safety_chars_per_record: get("content_safety_chars_per_record")?,
            content_safety_usd_per_1k_records: get("content_safety_usd_per_1k_records")?,
            int4_bits_per_weight: get("int4_bits_per_weight")?,
            activation_gib_dense: get("activation_gib_dense")?,
            activation_gib_moe: get("activation_gib_moe")?,
            runtime_gib_tp1: get("runtime_gib_tp1")?,
            runtime_gib_tp_multi: get("runtime_gib_tp_multi")?,
            nccl_gib_tp_multi: get("nccl_gib_tp_multi")?,
            step_overhead_s: get("step_overhead_us")? * 1e-6,
            layer_overhead_s: get("layer_overhead_us")? * 1e-6,
            allreduce_latency_s: get("allreduce_latency_us")? * 1e-6,
            allreduce_latency_pcie_s: get("allreduce_latency_pcie_us")? * 1e-6,
            allreduce_bw_efficiency_nvlink: get("allreduce_bw_efficiency_nvlink")?.clamp(0.01, 1.0),
            allreduce_bw_efficiency_pcie: get("allreduce_bw_efficiency_pcie")?.clamp(0.01, 1.0),
            kv_read_efficiency: get("kv_read_efficiency")?.clamp(0.05, 1.0),
            moe_efficiency: get("moe_efficiency")?.clamp(0.05, 1.0),
            service_time_scv: get("service_time_scv")?.clamp(0.0, 100.0),
            families: [
                fam(FAMILIES[0])?,
                fam(FAMILIES[1])?,
                fam(FAMILIES[2])?,
                fam(FAMILIES[3])?,
                fam(FAMILIES[4])?,
                fam(FAMILIES[5])?,
                fam(FAMILIES[6])?,
            ],
        })
    }

    pub fn efficiency(&self, family: GpuFamily) -> Efficiency {
        self.families
            .iter()
            .find(|(f, _)| *f == family)
            .map_or(self.families[1].1, |(_, e)| *e)
    }

    /// Bytes per stored weight at a precision.
    pub fn weight_bytes(&self, p: Precision) -> f64 {
        match p {
            Precision::Bf16 => 2.0,
            Precision::Fp8 | Precision::Int8 => 1.0,
            Precision::Int4 => self.int4_bits_per_weight / 8.0,
        }
    }
}

/// Bytes per KV-cache element: FP8 models keep an FP8 cache, everything else 16 bits.
pub fn kv_bytes(p: Precision) -> f64 {
    match p {
        Precision::Fp8 => 1.0,
        _ => 2.0,
    }
}

/// Dense tensor throughput used for a precision, FLOP/s; `None` where the GPU cannot run it.
/// Weight-only int8/int4 dequantise to 16 bits and compute there.
pub fn compute_flops(gpu: &Gpu, p: Precision) -> Option<f64> {
    match p {
        Precision::Fp8 => gpu.fp8_tflops.map(|t| t * 1e12),
        _ => Some(gpu.bf16_tflops * 1e12),
    }
}

/// The format a serving engine runs a model's weights in at `p` on a GPU, from the engine's
/// hardware support matrix (`engines.ron`), or why it cannot:
/// - 16-bit runs as bfloat16, or as float16 on parts without bfloat16 (T4: `--dtype half`);
/// - a model published in MXFP4 (gpt-oss) runs its 4-bit experts as MXFP4, and its kernels
///   take bfloat16 activations only, so it never runs where bfloat16 does not;
/// - FP8 also needs the GPU's FP8 throughput in the catalog (the speed model computes in it).
pub fn runs_as(engine: &ServingEngine, gpu: &Gpu, arch: &Architecture, p: Precision) -> Result<WeightFormat, String> {
    let mxfp4_model = arch.native_format == Some(WeightFormat::Mxfp4);
    let cannot = |what: &str, format: WeightFormat| {
        let on: Vec<&str> = engine
            .support
            .iter()
            .filter(|s| s.format == format)
            .flat_map(|s| s.families.iter().map(|f| f.id()))
            .collect();
        format!(
            "{} ({}) cannot run {what} in {} (it runs {} on: {})",
            gpu.id,
            gpu.family.id(),
            engine.name,
            format.id(),
            if on.is_empty() {
                "none".to_string()
            } else {
                on.join(", ")
            }
        )
    };
    if mxfp4_model && !engine.runs(WeightFormat::Bf16, gpu) {
        return Err(cannot(
            "this model: its MXFP4 kernels take bfloat16 activations only, and bfloat16",
            WeightFormat::Bf16,
        ));
    }
    let format = match p {
        Precision::Bf16 if engine.runs(WeightFormat::Bf16, gpu) => WeightFormat::Bf16,
        Precision::Bf16 => WeightFormat::Fp16,
        Precision::Fp8 => WeightFormat::Fp8,
        Precision::Int8 => WeightFormat::Int8,
        Precision::Int4 if mxfp4_model && arch.native_precision == Some(Precision::Int4) => WeightFormat::Mxfp4,
        Precision::Int4 => WeightFormat::Int4,
    };
    if !engine.runs(format, gpu) {
        return Err(cannot(format.id(), format));
    }
    if format == WeightFormat::Fp8 && gpu.fp8_tflops.is_none() {
        return Err(format!(
            "{} has no FP8 throughput in gpus.ron, so FP8 cannot be timed on it",
            gpu.id
        ));
    }
    Ok(format)
}

/// The serving engine the sizing models, or why the catalog lacks it (only a catalog built
/// by hand in code can: loading refuses one without it).
pub fn serving_engine(catalog: &Catalog) -> Result<&ServingEngine, String> {
    catalog.serving_engine().ok_or_else(|| {
        format!(
            "the catalog has no serving engine `{}` (engines.ron)",
            crate::catalog::SIZING_ENGINE
        )
    })
}

/// `ceil` for a non-negative count, saturating at `u32::MAX`: NaN and negatives give 0.
/// (`f64::ceil` is a library call on the baseline x86-64 target; replica counting does this
/// 24 times per curve, PTU sizing once per hour.)
pub(crate) fn ceil_u32(x: f64) -> u32 {
    // `as` saturates: NaN and negatives give 0, anything beyond `u32::MAX` gives `u32::MAX`.
    let n = x as u32;
    n.saturating_add(u32::from(f64::from(n) < x))
}

#[cfg(test)]
mod tests {
    use super::ceil_u32;

    #[test]
    fn ceil_counts() {
        assert_eq!(ceil_u32(0.0), 0);
        assert_eq!(ceil_u32(-3.0), 0);
        assert_eq!(ceil_u32(f64::NAN), 0);
        assert_eq!(ceil_u32(1.0), 1);
        assert_eq!(ceil_u32(1.000001), 2);
        assert_eq!(ceil_u32(41.5), 42);
        assert_eq!(ceil_u32(4_294_967_295.5), u32::MAX);
        assert_eq!(ceil_u32(1e12), u32::MAX);
        assert_eq!(ceil_u32(f64::INFINITY), u32::MAX);
    }
}
