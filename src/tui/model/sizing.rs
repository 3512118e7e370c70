//! The GPU sizing pane's lines: the cheapest self-hosted configuration, its arithmetic and
//! the VRAM bar with its legend.

use ratatui::text::{Line, Span};

use super::super::app::App;
use super::super::theme::Theme;
use super::{money, push_wrapped, stale_lines};
use crate::engine::plan::{Family, OptionResult, Plan};
use crate::text::printable;

/// The GPU fleet the sizing pane shows: the recommendation's when it runs on GPUs, else the
/// cheapest feasible fleet (self-hosted or platform-run), else the cheapest self-hosted one.
pub fn sizing_option(plan: &Plan) -> Option<&OptionResult> {
    plan.fleet_option().or_else(|| {
        plan.options
            .iter()
            .filter(|o| o.family == Family::SelfHosted && o.self_hosted.is_some())
            .min_by(|a, b| a.monthly_cost_usd.cmp(&b.monthly_cost_usd))
    })
}

fn config_text(o: &OptionResult) -> String {
    match &o.self_hosted {
        Some(sh) => format!(
            "{} × {} tp{} {} · {} replicas",
            sh.gpus_peak, sh.gpu, sh.tp, sh.precision, sh.replicas_peak
        ),
        None => String::new(),
    }
}

/// The parts of the VRAM bar, in order, with the fill character of each.
pub const VRAM_PARTS: [(&str, char); 5] = [
    ("weights", '█'),
    ("KV cache", '▓'),
    ("activations", '▒'),
    ("runtime", '░'),
    ("free", '·'),
];

/// The cheapest self-hosted configuration and its VRAM per GPU as a stacked bar.
pub fn lines(app: &App, t: &Theme, width: u16) -> Vec<Line<'static>> {
    let mut out = stale_lines(app, t, width);
    let Some(plan) = &app.plan else { return out };
    let Some(o) = sizing_option(plan) else {
        out.push(Line::raw(
            "No self-hosted option: no open-weight model among the candidates",
        ));
        out.push(Line::styled("(name one in Models, or lower the Quality tier)", t.muted));
        return out;
    };
    let Some(sh) = &o.self_hosted else { return out };
    out.push(Line::from(vec![
        Span::styled(format!("{} ", printable(&o.model)), t.title),
        Span::raw(format!("on {} ({})", sh.gpu, sh.vm)),
    ]));
    if !o.feasible {
        let why = o.violations.first().map(ToString::to_string).unwrap_or_default();
        push_wrapped(&mut out, t.error, width, format!("✗ not feasible: {}", printable(&why)));
    }
    push_wrapped(
        &mut out,
        t.base,
        width,
        format!(
            "{} precision, tensor-parallel {}, {} GPU{} per replica",
            sh.precision,
            sh.tp,
            sh.tp,
            if sh.tp == 1 { "" } else { "s" }
        ),
    );
    let (lo, hi) = sh
        .replicas_by_hour
        .iter()
        .fold((u32::MAX, 0), |(lo, hi), r| (lo.min(*r), hi.max(*r)));
    push_wrapped(
        &mut out,
        t.base,
        width,
        format!(
            "Peak: {} replica{} = {} GPU{} on {} {}{}; by hour {}-{}",
            sh.replicas_peak,
            if sh.replicas_peak == 1 { "" } else { "s" },
            sh.gpus_peak,
            if sh.gpus_peak == 1 { "" } else { "s" },
            sh.vms_peak,
            // Owned hardware is bought as servers; Databricks serves from endpoints, not VMs.
            if sh.place == crate::vocab::Place::OnPremises {
                "server"
            } else if o.option == crate::vocab::OptionId::Dedicated(crate::vocab::Platform::DatabricksServing) {
                "endpoint"
            } else {
                "VM"
            },
            if sh.vms_peak == 1 { "" } else { "s" },
            if lo == u32::MAX { 0 } else { lo },
            hi
        ),
    );
    push_wrapped(
        &mut out,
        t.base,
        width,
        format!(
            "Per replica: batch {} ({}), {:.2} req/s; p{} TTFT {:.0} ms, {:.1} tok/s",
            sh.batch_per_replica,
            sh.batch_limited_by.short(),
            sh.requests_per_s_per_replica,
            crate::text::fmt_num(sh.ttft_percentile),
            sh.ttft_ms,
            if sh.tpot_ms > 0.0 { 1000.0 / sh.tpot_ms } else { 0.0 }
        ),
    );
    push_wrapped(
        &mut out,
        t.base,
        width,
        format!(
            "Engine {}: max_num_seqs {}, {} tokens/step; queue wait {:.0} ms at {:.0}% load",
            printable(&sh.engine.name),
            sh.engine.max_num_seqs,
            crate::text::thousands(u64::from(sh.engine.max_num_batched_tokens)),
            sh.queue_wait_ms,
            sh.peak_load * 100.0
        ),
    );
    push_wrapped(
        &mut out,
        t.base,
        width,
        format!(
            "GPUs {} /month at {}/GPU-hour; total {}",
            money(sh.gpu_monthly_usd),
            crate::text::usd(sh.usd_per_gpu_hour),
            o.monthly_cost_usd.map(money).unwrap_or_else(|| "no price".into())
        ),
    );
    if let Some(b) = app.baseline.as_ref().and_then(|b| sizing_option(&b.plan))
        && (b.model != o.model || config_text(b) != config_text(o))
    {
        push_wrapped(
            &mut out,
            t.warning,
            width,
            format!("Δ baseline: {} {}", printable(&b.model), config_text(b)),
        );
    }
    let v = &sh.vram_per_gpu_gib;
    out.push(Line::styled(
        format!(
            "VRAM per GPU: {:.1} of {:.0} GiB (usable {:.1})",
            v.total, v.capacity, v.usable
        ),
        t.title,
    ));
    let free = (v.capacity - v.total).max(0.0);
    let parts = [v.weights, v.kv_cache, v.activations, v.runtime, free];
    let bar_w = width.saturating_sub(2).max(1) as f64;
    let mut spans = Vec::new();
    let mut used = 0usize;
    let cap = v.capacity.max(v.total).max(1e-9);
    for (i, (part, (_, ch))) in parts.iter().zip(VRAM_PARTS).enumerate() {
        let n = if i == 4 {
            (bar_w as usize).saturating_sub(used)
        } else {
            ((part / cap * bar_w).round() as usize).min((bar_w as usize).saturating_sub(used))
        };
        used += n;
        spans.push(Span::styled(ch.to_string().repeat(n), t.vram[i]));
    }
    out.push(Line::from(spans));
    // The legend, in as many lines as the width needs.
    let mut legend: Vec<Span> = Vec::new();
    let mut used = 0usize;
    for (i, (part, (name, ch))) in parts.iter().zip(VRAM_PARTS).enumerate() {
        let text = format!("{ch} {name} {part:.1}  ");
        let w = text.chars().count();
        if used > 0 && used + w > width as usize {
            out.push(Line::from(std::mem::take(&mut legend)));
            used = 0;
        }
        used += w;
        legend.push(Span::styled(text, t.vram[i]));
    }
    out.push(Line::from(legend));
    out
}
