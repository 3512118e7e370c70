//! The text summary of an evaluation (`llmcap eval`, and `llmcap FILE` without a terminal):
//! recommendation and reasons, the top options, self-hosted sizing, break-even volumes.

use std::fmt::Write as _;

use super::table::{Align, Table};
use crate::engine::plan::{Hybrid, OptionResult, Plan};
use crate::text::terminal_line as line;
use crate::text::{thousands, usd_cents, usd_whole};
use crate::vocab::Place;

/// How many feasible options the table shows.
const TOP: usize = 12;

fn latency_cell(o: &OptionResult) -> (String, String) {
    (
        o.latency.ttft_ms.map_or("-".to_string(), |t| format!("{t:.0}")),
        o.latency
            .output_tokens_per_s
            .map_or("-".to_string(), |t| format!("{t:.0}")),
    )
}

fn count(n: f64) -> String {
    thousands(n.round().max(0.0) as u64)
}

pub fn summary(plan: &Plan) -> String {
    crate::text::printable(&summary_raw(plan))
}

fn summary_raw(plan: &Plan) -> String {
    let mut out = String::new();
    let d = &plan.demand;
    let _ = writeln!(
        out,
        "{}: {} requests/day ({} a month, peak {:.2}/s); plan date {}, catalog as of {}",
        crate::text::terminal_line(&plan.scenario.name),
        count(d.requests_per_day),
        count(d.requests_per_month),
        d.peak_requests_per_s,
        plan.plan_date,
        plan.catalog.as_of
    );

    // A hybrid plan worth building is the recommendation; the single model follows as the
    // comparison its rationale explains.
    let hybrid_first = super::hybrid::of(plan).filter(|h| h.recommended);
    if let (Some(h), Some(total)) = (hybrid_first, hybrid_first.and_then(|h| h.monthly_cost_usd)) {
        let _ = writeln!(
            out,
            "\nRecommendation: the {} plan ({} legs, below), {}{} a month",
            h.pattern,
            plan.legs.len(),
            super::estimate_mark(h.estimate),
            usd_cents(total)
        );
    }
    match &plan.recommendation {
        Some(r) => {
            let _ = writeln!(
                out,
                "\n{}: {} {}, {}{} a month",
                if hybrid_first.is_some() {
                    "Single model for the same traffic"
                } else {
                    "Recommendation"
                },
                r.option,
                r.model,
                super::estimate_mark(super::recommended_is_estimate(plan)),
                usd_cents(r.monthly_cost_usd)
            );
            // Engine lines may quote a file's text (a leg's name): one line each, inert.
            for line in &r.rationale {
                let _ = writeln!(out, "  - {}", crate::text::terminal_line(line));
            }
            if !r.warnings.is_empty() {
                out.push_str("\nWarnings:\n");
                for w in &r.warnings {
                    let _ = writeln!(out, "  ! {}", crate::text::terminal_line(w));
                }
            }
        }
        None => {
            out.push_str("\nNo recommendation: nothing feasible.\n");
            for line in &plan.infeasible_summary {
                let _ = writeln!(out, "  - {}", crate::text::terminal_line(line));
            }
        }
    }

    if let Some(h) = super::hybrid::of(plan) {
        hybrid(plan, h, &mut out);
    }

    let feasible: Vec<&OptionResult> = plan.options.iter().filter(|o| o.feasible).collect();
    if !feasible.is_empty() {
        let mut t = Table::new(&[
            ("#", Align::Right),
            ("option", Align::Left),
            ("model", Align::Left),
            ("per month", Align::Right),
            ("TTFT ms", Align::Right),
            ("tok/s", Align::Right),
            // PTUs, or VMs at the peak: every column has a name (workshop review C3).
            ("capacity", Align::Left),
        ]);
        for (i, o) in feasible.iter().take(TOP).enumerate() {
            let (ttft, tps) = latency_cell(o);
            let note = match (&o.ptu, &o.self_hosted) {
                (Some(n), _) => format!("{n} PTU"),
                (_, Some(sh)) if sh.place == Place::OnPremises => format!("{} x {} owned", sh.vms_peak, sh.vm),
                (_, Some(sh)) => format!("{} x {}", sh.vms_peak, sh.vm),
                _ => String::new(),
            };
            t.row([
                (i + 1).to_string(),
                o.option.to_string(),
                o.model.clone(),
                o.monthly_cost_usd.map_or("-".to_string(), |c| {
                    format!("{}{}", super::estimate_mark(o.estimate), usd_whole(c))
                }),
                ttft,
                tps,
                note,
            ]);
        }
        out.push_str("\nOptions (cheapest feasible first; ~ rests on a catalog estimate)\n\n");
        out.push_str(&t.render());
        let ruled_out = plan.options.len() - feasible.len();
        if feasible.len() > TOP || ruled_out > 0 {
            let _ = writeln!(
                out,
                "{} more feasible; {ruled_out} ruled out. All of them, with reasons: --format json",
                feasible.len().saturating_sub(TOP)
            );
        }
    }

    if let Some(o) = plan.fleet_option()
        && let Some(sh) = &o.self_hosted
    {
        let place = if sh.place == Place::OnPremises {
            format!(
                "{} owned server{} {} ({} GPUs of {})",
                sh.vms_peak,
                if sh.vms_peak == 1 { "" } else { "s" },
                sh.vm,
                sh.gpus_peak,
                sh.gpu
            )
        } else {
            format!(
                "{} x {} in {} ({} GPUs of {})",
                sh.vms_peak, sh.vm, sh.region, sh.gpus_peak, sh.gpu
            )
        };
        let _ = writeln!(
            out,
            "\nGPU fleet ({}): {} {} on {place}, {}, tp {}: {} a month",
            fleet_role(plan, o),
            o.option,
            o.model,
            sh.precision,
            sh.tp,
            o.monthly_cost_usd.map_or("-".to_string(), |c| format!(
                "{}{}",
                super::estimate_mark(o.estimate),
                usd_whole(c)
            ))
        );
        let v = &sh.vram_per_gpu_gib;
        let _ = writeln!(
            out,
            "  VRAM per GPU: weights {:.1} + KV cache {:.1} + activations {:.1} + runtime {:.1} = {:.1} of {:.0} GiB",
            v.weights, v.kv_cache, v.activations, v.runtime, v.total, v.capacity
        );
        let _ = writeln!(
            out,
            "  {} replica(s) at the peak, {} requests each at once (limited by {}); p{} TTFT {:.0} ms in the busiest hour (queue wait {:.0} ms), {:.1} ms per token; average utilisation {:.0}%",
            sh.replicas_peak,
            sh.batch_per_replica,
            sh.batch_limited_by,
            crate::text::fmt_num(sh.ttft_percentile),
            sh.ttft_ms,
            sh.queue_wait_ms,
            sh.tpot_ms,
            sh.average_utilization * 100.0
        );
        let _ = writeln!(
            out,
            "  engine: {} max_num_seqs {}, {} batched tokens a step; {} tokens generated a request",
            sh.engine.name,
            sh.engine.max_num_seqs,
            crate::text::thousands(u64::from(sh.engine.max_num_batched_tokens)),
            crate::text::fmt_num(sh.generated_tokens)
        );
        for line in &o.cost_breakdown {
            let _ = writeln!(out, "  {:>12}  {}", usd_whole(line.usd), line.item);
        }
        for a in &sh.alternatives {
            let what = if sh.place == Place::OnPremises {
                format!(
                    "{} x {} server{} ({})",
                    a.vms_peak,
                    a.vm,
                    if a.vms_peak == 1 { "" } else { "s" },
                    a.gpu
                )
            } else {
                format!("{} x {} ({})", a.vms_peak, a.vm, a.gpu)
            };
            let _ = writeln!(
                out,
                "  runner-up: {what}, {}, tp {}: GPUs {} a month (chosen: {})",
                a.precision,
                a.tp,
                usd_whole(a.gpu_monthly_usd),
                usd_whole(sh.gpu_monthly_usd)
            );
        }
    }

    if !plan.break_even.is_empty() {
        out.push_str("\nBreak-even (where the best of each kind cross)\n");
        for b in &plan.break_even {
            let _ = writeln!(
                out,
                "  {} = {} at {} requests/day ({} tokens/day)",
                b.from,
                b.to,
                count(b.requests_per_day),
                count(b.tokens_per_day)
            );
        }
    }
    out.push_str(
        "\nMonth = 730 hours. Figures marked estimate in the catalog are shown in --format json with their sources.\n",
    );
    out
}

/// The hybrid plan of a routed scenario, after the (single-model) recommendation: the
/// verdict, a row per leg, the router, pools, escalated attempts, break-even, the seeds'
/// claims, warnings and violations, and the cost lines. Leg names come from the file, so
/// every line and cell holding one is a [`line`]: nothing in it can start a new line or
/// drive the terminal.
fn hybrid(plan: &Plan, h: &Hybrid, out: &mut String) {
    use super::hybrid as hy;
    let _ = writeln!(
        out,
        "\nHybrid plan ({}, {} legs)\n  {}",
        h.pattern,
        plan.legs.len(),
        line(&hy::verdict(plan, h, usd_cents))
    );
    if let Some(c) = hy::compared_with(plan) {
        let _ = writeln!(out, "  {}", line(&c));
    }
    // The pool column only when legs share a deployment.
    let pooled = !h.pools.is_empty();
    let mut columns = vec![
        ("leg", Align::Left),
        ("share", Align::Right),
        ("requests/day", Align::Right),
        ("model", Align::Left),
        ("option", Align::Left),
        ("per month", Align::Right),
        ("TTFT ms / target", Align::Right),
    ];
    if pooled {
        columns.push(("pool", Align::Left));
    }
    columns.push(("feasible, or why not", Align::Left));
    let mut t = Table::new(&columns);
    for l in &plan.legs {
        let r = hy::leg_row(l, usd_whole);
        let mut cells = vec![
            r.name,
            r.share,
            r.requests_per_day,
            r.model,
            r.option,
            r.monthly_cost,
            r.ttft,
        ];
        if pooled {
            cells.push(r.pool);
        }
        cells.push(r.status);
        t.row(cells.iter().map(|c| line(c)));
    }
    out.push('\n');
    out.push_str(&t.render());
    out.push('\n');
    let _ = writeln!(out, "{}", line(&hy::router_line(h, usd_whole)));
    for p in hy::pool_lines(h, usd_whole) {
        let _ = writeln!(out, "{}", line(&p));
    }
    if let Some(e) = hy::escalated_line(h, usd_whole) {
        let _ = writeln!(out, "{}", line(&e));
    }
    if !h.break_even_note.is_empty() {
        let _ = writeln!(out, "Break-even: {}", line(&h.break_even_note));
    }
    if !h.claims.is_empty() {
        out.push_str("\nThe seeds' savings claims, checked against this plan\n\n");
        let mut c = Table::new(&[
            ("pattern", Align::Left),
            ("claimed", Align::Right),
            ("basis", Align::Left),
            ("this plan", Align::Right),
            ("verdict", Align::Left),
        ]);
        for claim in &h.claims {
            c.row(hy::claim_cells(claim).map(|x| line(&x)));
        }
        out.push_str(&c.render());
    }
    if !h.violations.is_empty() {
        out.push_str("\nNot feasible as given:\n");
        for v in &h.violations {
            let _ = writeln!(out, "  - {}", line(v));
        }
    }
    if !h.warnings.is_empty() {
        out.push_str("\nHybrid warnings:\n");
        for w in &h.warnings {
            let _ = writeln!(out, "  ! {}", line(w));
        }
    }
    out.push_str("\nHybrid cost a month:\n");
    for l in &h.cost_breakdown {
        let _ = writeln!(out, "  {:>12}  {}", usd_whole(l.usd), line(&l.item));
    }
    let _ = writeln!(out, "  {:>12}  total", hy::total(h, usd_whole));
}

/// Why the sizing section shows this fleet: it is the recommendation, or the cheapest fleet.
pub(super) fn fleet_role(plan: &Plan, o: &OptionResult) -> &'static str {
    match plan.recommendation.as_ref() {
        Some(r) if r.option == o.option && r.model == o.model => "recommended",
        _ => "cheapest on GPUs",
    }
}
