//! "How this was estimated" for one option, as plain text: the cost lines, the latency
//! basis, the PTU or GPU sizing arithmetic and the catalog entries behind it with their
//! sources and dates. The workbench's detail overlay draws these lines; an export can print
//! them as they are.

use crate::catalog::Catalog;
use crate::engine::plan::OptionResult;
use crate::text::{usd, usd_cents};

/// How an option's figures were estimated, one line per entry (blank lines between sections,
/// two-space indents inside them): its arithmetic and the catalog entries behind it. The
/// text is raw; whoever shows it makes it printable.
pub fn lines(catalog: &Catalog, o: &OptionResult) -> Vec<String> {
    let mut out = vec![
        format!("Option {} · model {} ({})", o.option, o.model, o.family.label()),
        format!(
            "Monthly cost: {}{}{}",
            o.monthly_cost_usd.map(usd_cents).unwrap_or_else(|| "no price".into()),
            if o.feasible { "" } else { "  (not feasible)" },
            if o.estimate {
                "  (~: rests on a catalog figure marked as an estimate; see the sources below)"
            } else {
                ""
            }
        ),
        String::new(),
        "Cost breakdown".into(),
    ];
    for line in &o.cost_breakdown {
        out.push(format!("  {:<60} {}", line.item, usd_cents(line.usd)));
    }
    out.push(String::new());
    out.push("Latency".into());
    out.push(format!(
        "  TTFT {} · {} tok/s per request",
        o.latency
            .ttft_ms
            .map(|v| format!("{v:.0} ms"))
            .unwrap_or_else(|| "n/a".into()),
        o.latency
            .output_tokens_per_s
            .map(|v| format!("{v:.1}"))
            .unwrap_or_else(|| "n/a".into())
    ));
    out.push(format!("  basis: {}", o.latency.basis));
    if let Some(p) = &o.ptu_detail {
        out.push(String::new());
        out.push("Provisioned throughput (Microsoft's sizing method)".into());
        out.push(format!(
            "  peak {:.0} input-equivalent tokens/min ÷ {:.0} per PTU (output weight {}) = {} PTU; minimum {}, increment {}",
            p.peak_tpm, p.input_tpm_per_ptu, p.output_weight, p.ptu_for_peak, p.minimum, p.increment
        ));
        out.push(format!("  utilisation {:.1}%", p.utilization * 100.0));
        if let Some(b) = p.break_even_utilization {
            out.push(format!(
                "  pays off against pay-as-you-go above {:.1}% utilisation",
                b * 100.0
            ));
        }
        if let Some(s) = &p.spillover {
            out.push(format!(
                "  spillover: baseline {} PTU, {:.1}% of tokens overflow to {}",
                s.baseline_ptu,
                s.overflow_share * 100.0,
                s.overflow_to
            ));
        }
    }
    if let Some(sh) = &o.self_hosted {
        let v = &sh.vram_per_gpu_gib;
        out.push(String::new());
        out.push("GPU sizing".into());
        let vms = if sh.place == crate::vocab::Place::OnPremises {
            "servers"
        } else {
            "VMs"
        };
        out.push(format!(
            "  {} GPU × tp {} ({}), {} replicas at peak, {} {vms} ({}) in {}",
            sh.gpu, sh.tp, sh.precision, sh.replicas_peak, sh.vms_peak, sh.vm, sh.region
        ));
        out.push(format!(
            "  VRAM per GPU, GiB: weights {:.2} + KV cache {:.2} + activations {:.2} + runtime {:.2} = {:.2} of {:.1} (usable {:.1}, KV budget {:.2})",
            v.weights, v.kv_cache, v.activations, v.runtime, v.total, v.capacity, v.usable, v.kv_cache_budget
        ));
        out.push(format!(
            "  per replica: KV holds {} requests, serves {} at once within the targets, {:.3} req/s",
            sh.max_concurrency_per_replica, sh.batch_per_replica, sh.requests_per_s_per_replica
        ));
        out.push(format!(
            "  batch limited by {}; engine {}: max_num_seqs {}, {} batched tokens a step, chunked prefill {}, prefix caching {} ({} of each prompt's tokens prefilled, {} chunk(s) with the batch full), KV cache {}; {} tokens generated a request",
            sh.batch_limited_by,
            sh.engine.name,
            sh.engine.max_num_seqs,
            sh.engine.max_num_batched_tokens,
            if sh.engine.chunked_prefill { "on" } else { "off" },
            if sh.engine.prefix_caching { "on" } else { "off" },
            sh.engine.prompt_tokens_computed,
            sh.engine.prefill_chunks,
            sh.engine.kv_cache,
            sh.generated_tokens
        ));
        out.push(format!(
            "  TTFT p{} {:.0} ms in the busiest hour at {:.1}% load (queue wait {:.0} ms, M/G/c over the fleet's slots), TPOT {:.1} ms; replicas added above {:.0}% load; average utilisation {:.1}%",
            crate::text::fmt_num(sh.ttft_percentile),
            sh.ttft_ms,
            sh.peak_load * 100.0,
            sh.queue_wait_ms,
            sh.tpot_ms,
            sh.max_load * 100.0,
            sh.average_utilization * 100.0
        ));
        out.push(format!(
            "  replicas by hour: {}",
            sh.replicas_by_hour
                .iter()
                .map(|r| r.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        ));
        out.push(format!(
            "  {} per GPU-hour; GPUs {} a month",
            usd(sh.usd_per_gpu_hour),
            usd_cents(sh.gpu_monthly_usd)
        ));
        for a in sh.alternatives.iter().take(5) {
            out.push(format!(
                "  runner-up: {} tp{} {} on {} {vms} ({}): GPUs {}",
                a.gpu,
                a.tp,
                a.precision,
                a.vms_peak,
                a.vm,
                usd_cents(a.gpu_monthly_usd)
            ));
        }
    }
    if !o.violations.is_empty() {
        out.push(String::new());
        out.push("Why it is not feasible".into());
        out.extend(o.violations.iter().map(|v| format!("  ✗ {v}")));
    }
    if !o.warnings.is_empty() {
        out.push(String::new());
        out.push("Warnings".into());
        out.extend(o.warnings.iter().map(|w| format!("  ! {w}")));
    }
    out.push(String::new());
    out.push("Catalog sources".into());
    if let Some(m) = catalog.model(&o.model) {
        out.push(format!("  model {}: {} ({})", m.id, m.source, m.as_of));
    }
    for p in catalog
        .prices
        .iter()
        .filter(|p| p.model == o.model && Some(p.deployment) == o.option.deployment())
    {
        out.push(format!(
            "  price {}{}: in {} / cached {} / out {} per 1M tokens; {} ({})",
            if p.estimate { "~" } else { "" },
            p.deployment.option_id(),
            usd(p.input),
            p.cached_input.map(usd).unwrap_or_else(|| "-".into()),
            usd(p.output),
            p.source,
            p.as_of
        ));
    }
    if let Some(sh) = &o.self_hosted {
        if let Some(g) = catalog.gpu(&sh.gpu) {
            out.push(format!("  GPU {}: {} ({})", g.id, g.source, g.as_of));
        }
        if let Some(vm) = catalog.vm(&sh.vm) {
            out.push(format!("  VM {}: {} ({})", vm.id, vm.source, vm.as_of));
        }
        if let Some(sv) = catalog.server(&sh.vm) {
            out.push(format!("  server {}: {} ({})", sv.id, sv.source, sv.as_of));
        }
    }
    out.push(format!("  catalog as of {}", catalog.meta.as_of));
    out
}
