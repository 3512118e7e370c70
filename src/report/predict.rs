//! The text form of `llmcap predict`: configuration, memory per GPU, speed.

use std::fmt::Write as _;

use super::table::{Align, Table};
use super::thousands;
use crate::engine::predict::Prediction;

fn gib(v: f64) -> String {
    format!("{v:.1}")
}

pub fn text(p: &Prediction) -> String {
    let mut out = String::new();
    let replicas = if p.replicas > 1 {
        format!(", {} replicas of tp {}", p.replicas, p.tp)
    } else {
        format!(", tp {}", p.tp)
    };
    let _ = writeln!(
        out,
        "{} on {} x {} ({}{replicas}): {} tokens in, {} out, {} in flight",
        p.model,
        p.gpus,
        p.gpu,
        p.precision,
        thousands(p.input),
        thousands(p.output),
        thousands(p.concurrency)
    );
    if !p.fits {
        let _ = writeln!(
            out,
            "\nDoes not fit: {}.",
            p.reason.as_deref().unwrap_or("not enough memory")
        );
        if !p.suggestions.is_empty() {
            out.push_str("Would fit:\n");
            for s in &p.suggestions {
                let _ = writeln!(out, "  - {s}");
            }
        }
    }

    let v = &p.vram_per_gpu_gib;
    let mut t = Table::new(&[
        ("memory per GPU", Align::Left),
        ("GiB", Align::Right),
        ("", Align::Left),
    ]);
    t.row(["weights".to_string(), gib(v.weights), String::new()]);
    if p.fits {
        let per_replica = p.concurrency.div_ceil(u64::from(p.replicas.max(1)));
        t.row([
            "KV cache".to_string(),
            gib(v.kv_cache),
            format!(
                "{} sequences; the {} GiB budget holds {}",
                thousands(per_replica.min(p.max_concurrency)),
                gib(v.kv_cache_budget),
                thousands(p.max_concurrency)
            ),
        ]);
    }
    t.row([
        "activations".to_string(),
        gib(v.activations),
        "peak of the profile run".to_string(),
    ]);
    t.row([
        "runtime".to_string(),
        gib(v.runtime),
        "CUDA context, NCCL buffers".to_string(),
    ]);
    t.row([
        "total".to_string(),
        gib(v.total),
        format!(
            "of {} ({} usable at {:.2})",
            gib(v.capacity),
            gib(v.usable),
            p.memory_utilization
        ),
    ]);
    out.push('\n');
    out.push_str(&t.render());

    if let (Some(ttft), Some(tpot), Some(tps), Some(per_req), Some(rps)) = (
        p.ttft_ms,
        p.tpot_ms,
        p.output_tokens_per_s,
        p.output_tokens_per_s_per_request,
        p.requests_per_s,
    ) {
        let mut t = Table::new(&[("speed", Align::Left), ("", Align::Right), ("", Align::Left)]);
        t.row([
            "time to first token".to_string(),
            format!("{ttft:.1}"),
            "ms, no queueing".to_string(),
        ]);
        t.row([
            "time per output token".to_string(),
            format!("{tpot:.1}"),
            "ms".to_string(),
        ]);
        t.row([
            "output tokens/s".to_string(),
            thousands(tps.round().max(0.0) as u64),
            format!("system; {per_req:.1} per request"),
        ]);
        t.row(["requests/s".to_string(), format!("{rps:.2}"), String::new()]);
        out.push('\n');
        out.push_str(&t.render());
    }
    for w in &p.warnings {
        let _ = writeln!(out, "\nnote: {w}");
    }
    let _ = writeln!(
        out,
        "\nKV cache: {} bytes per token for the whole model. Estimates from a roofline model calibrated on published measurements (BENCHMARKS.md).",
        thousands(p.kv_bytes_per_token)
    );
    out
}
