//! The Markdown summary of an evaluation: reads well raw and rendered, deterministic (no
//! timestamps), so saved summaries diff cleanly.

use std::fmt::Write as _;

use crate::engine::plan::{Hybrid, OptionResult, Plan};
use crate::scenario::fields::{FIELDS, FieldId};
use crate::scenario::{Scenario, edit};
use crate::text::{thousands, usd_cents};

/// Text from a file (a name, an id, a reason quoting one) as inert Markdown on one line:
/// line breaks (CR too, which CommonMark also ends lines at) become spaces, and every
/// character that could start markup is backslash-escaped, so a name can neither forge a
/// heading nor smuggle HTML, a link or a table cell into the report. Hyphens and
/// underscores inside words are left alone: they start nothing there.
pub fn md(s: &str) -> String {
    let s = crate::text::printable(s);
    let chars: Vec<char> = s
        .chars()
        .map(|c| if matches!(c, '\n' | '\r') { ' ' } else { c })
        .collect();
    let tildes = chars.iter().filter(|c| **c == '~').count();
    let mut out = String::with_capacity(s.len() + 8);
    // Still at the start (only spaces so far), and only digits so far: what makes `-`,
    // `+`, `=`, `1.` or `1)` start a list or a heading.
    let (mut at_start, mut only_digits) = (true, true);
    for (i, &c) in chars.iter().enumerate() {
        let word = |j: Option<usize>| j.and_then(|j| chars.get(j)).is_some_and(|c| c.is_alphanumeric());
        let inside_word = word(i.checked_sub(1)) && word(Some(i + 1));
        let special = match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '#' | '|' | '&' => true,
            // Strikethrough (GFM) needs a pair.
            '~' => tildes > 1,
            '!' => chars.get(i + 1) == Some(&'['),
            '_' => !inside_word,
            // What starts a list item or a setext heading, at the start of the text only.
            '-' | '+' | '=' => at_start,
            '.' | ')' => i > 0 && only_digits && chars.get(i + 1).is_none_or(|n| n.is_whitespace()),
            _ => false,
        };
        if special {
            out.push('\\');
        }
        at_start &= c.is_whitespace();
        only_digits &= c.is_ascii_digit();
        out.push(c);
    }
    out
}

/// A table cell: inert text (see [`md`]).
pub(crate) fn cell(s: &str) -> String {
    md(s)
}

fn count(n: f64) -> String {
    thousands(n.round().max(0.0) as u64)
}

/// The hybrid plan: the verdict, the legs, the router, pools, escalated attempts,
/// break-even, the seeds' claims, warnings and violations, and the cost lines. Leg names and
/// the engine's sentences quoting them are inert text ([`md`], [`cell`]).
fn hybrid(plan: &Plan, h: &Hybrid) -> String {
    use super::hybrid as hy;
    let mut out = String::from("\n## Hybrid plan\n\n");
    let _ = writeln!(out, "**{}**\n", md(&hy::verdict(plan, h, usd_cents)));
    if let Some(c) = hy::compared_with(plan) {
        let _ = writeln!(out, "{}\n", md(&c));
    }
    let pooled = !h.pools.is_empty();
    let _ = writeln!(
        out,
        "| leg | share | requests per day | model | option | per month | TTFT ms end to end / target |{} feasible, or why not |\n|---|--:|--:|---|---|--:|--:|{}---|",
        if pooled { " pool |" } else { "" },
        if pooled { "---|" } else { "" }
    );
    for l in &plan.legs {
        let r = hy::leg_row(l, usd_cents);
        let pool = if pooled {
            format!(" {} |", cell(&r.pool))
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |{pool} {} |",
            cell(&r.name),
            cell(&r.share),
            r.requests_per_day,
            cell(&r.model),
            cell(&r.option),
            cell(&r.monthly_cost),
            cell(&r.ttft),
            cell(&r.status)
        );
    }
    out.push('\n');
    let mut lines = vec![hy::router_line(h, usd_cents)];
    lines.extend(hy::pool_lines(h, usd_cents));
    lines.extend(hy::escalated_line(h, usd_cents));
    if !h.break_even_note.is_empty() {
        lines.push(format!("Break-even: {}", h.break_even_note));
    }
    for l in &lines {
        let _ = writeln!(out, "- {}", md(l));
    }
    if !h.claims.is_empty() {
        out.push_str("\nThe seeds' savings claims, checked against this plan:\n\n| pattern | claimed saving | basis | this plan | verdict |\n|---|--:|---|--:|---|\n");
        for c in &h.claims {
            let [pattern, claimed, basis, measured, verdict] = hy::claim_cells(c).map(|x| cell(&x));
            let _ = writeln!(out, "| {pattern} | {claimed} | {basis} | {measured} | {verdict} |");
        }
    }
    if !h.violations.is_empty() {
        out.push_str("\nNot feasible as given:\n\n");
        for v in &h.violations {
            let _ = writeln!(out, "- {}", md(v));
        }
    }
    if !h.warnings.is_empty() {
        out.push_str("\nHybrid warnings:\n\n");
        for w in &h.warnings {
            let _ = writeln!(out, "- {}", md(w));
        }
    }
    out.push_str("\nHybrid cost breakdown:\n\n| item | USD a month |\n|---|--:|\n");
    for l in &h.cost_breakdown {
        let _ = writeln!(out, "| {} | {} |", cell(&l.item), usd_cents(l.usd));
    }
    let _ = writeln!(out, "| **total** | **{}** |", cell(&hy::total(h, usd_cents)));
    out
}

/// The scenario's inputs, one row per field of the registry, as the workbench shows them.
fn inputs(s: &Scenario, out: &mut String) {
    out.push_str("## Inputs\n\n| | Field | Value |\n|---|---|---|\n");
    let mut group = "";
    for f in FIELDS.iter().filter(|f| listed(f.id, s)) {
        let value = edit::display(f.id, s);
        let value = if f.unit.is_empty() || value.is_empty() {
            value
        } else {
            format!("{value} {}", f.unit)
        };
        let shown_group = if f.group == group { "" } else { f.group };
        group = f.group;
        let _ = writeln!(out, "| {} | {} | {} |", cell(shown_group), cell(f.label), cell(&value));
    }
}

/// Whether the inputs table lists a field: every field that applies to the scenario, so
/// the routing rows (the pattern, the router's and each leg's) only with a routing group,
/// and a leg's rows only for the legs it has.
fn listed(id: FieldId, s: &Scenario) -> bool {
    id.applies(s) && (s.routing.is_some() || id != FieldId::RoutingPattern)
}

fn option_row(i: usize, o: &OptionResult) -> String {
    let cost = o.monthly_cost_usd.map_or("no price".to_string(), |c| {
        format!("{}{}", super::estimate_mark(o.estimate), usd_cents(c))
    });
    let ttft = o.latency.ttft_ms.map_or("-".to_string(), |t| format!("{t:.0}"));
    let tps = o
        .latency
        .output_tokens_per_s
        .map_or("-".to_string(), |t| format!("{t:.0}"));
    let status = if o.feasible {
        "feasible".to_string()
    } else {
        o.violations
            .first()
            .map_or_else(|| "not feasible".to_string(), ToString::to_string)
    };
    format!(
        "| {i} | {} | {} | {} | {ttft} | {tps} | {} |",
        o.option,
        cell(&o.model),
        cost,
        cell(&status)
    )
}

pub fn summary(s: &Scenario, plan: &Plan) -> String {
    crate::text::printable(&parts(s, plan).concat())
}

/// The report in three runs of whole Markdown blocks: up to the recommendation, the hybrid
/// plan (empty without routing), and the rest, so the HTML report can put the hybrid
/// plan's chart right after its section.
pub(super) fn parts(s: &Scenario, plan: &Plan) -> [String; 3] {
    let head = head(s, plan);
    let hybrid = super::hybrid::of(plan).map_or(String::new(), |h| hybrid(plan, h));
    [head, hybrid, rest(plan)]
}

fn head(s: &Scenario, plan: &Plan) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", md(&plan.scenario.name));
    let _ = writeln!(
        out,
        "llmcap capacity plan for {}: what is deployable is decided on that date. Catalog as of {}; a month is 730 hours; money in US dollars.\n",
        plan.plan_date, plan.catalog.as_of
    );
    if !s.notes.trim().is_empty() {
        // Each line of the notes, CR-only and CRLF breaks included, stays inside the quote.
        let notes = s.notes.replace("\r\n", "\n").replace('\r', "\n");
        // Leading spaces would make an indented code block: each line starts at the margin.
        let lines: Vec<String> = notes.trim().lines().map(|l| md(l.trim_start())).collect();
        let _ = writeln!(out, "> {}\n", lines.join("\n> "));
    }
    inputs(s, &mut out);
    let d = &plan.demand;
    let _ = writeln!(
        out,
        "\nDemand: {} requests a month, {:.2} per second on average and {:.2} at the peak; {} input and {} output tokens a month.\n",
        count(d.requests_per_month),
        d.mean_requests_per_s,
        d.peak_requests_per_s,
        count(d.input_tokens_per_month),
        count(d.output_tokens_per_month)
    );

    out.push_str("## Recommendation\n\n");
    let hybrid_first = super::hybrid::of(plan).filter(|h| h.recommended);
    if let (Some(h), Some(total)) = (hybrid_first, hybrid_first.and_then(|h| h.monthly_cost_usd)) {
        let _ = writeln!(
            out,
            "**The {} plan ({} legs, see Hybrid plan): {}{} a month.**\n",
            h.pattern,
            plan.legs.len(),
            super::estimate_mark(h.estimate),
            usd_cents(total)
        );
        out.push_str("The single model for the same traffic, which it is compared with:\n\n");
    }
    match &plan.recommendation {
        Some(r) => {
            let _ = writeln!(
                out,
                "**{} {}: {}{} a month.**\n",
                r.option,
                md(&r.model),
                super::estimate_mark(super::recommended_is_estimate(plan)),
                usd_cents(r.monthly_cost_usd)
            );
            for line in &r.rationale {
                let _ = writeln!(out, "- {}", md(line));
            }
            if !r.warnings.is_empty() {
                out.push_str("\nWarnings:\n\n");
                for w in &r.warnings {
                    let _ = writeln!(out, "- {}", md(w));
                }
            }
            if let Some(o) = plan.recommended() {
                out.push_str("\nCost breakdown:\n\n| item | USD a month |\n|---|--:|\n");
                for l in &o.cost_breakdown {
                    let _ = writeln!(out, "| {} | {} |", cell(&l.item), usd_cents(l.usd));
                }
                let _ = writeln!(out, "| **total** | **{}** |", usd_cents(r.monthly_cost_usd));
            }
        }
        None => {
            for line in &plan.infeasible_summary {
                let _ = writeln!(out, "- {}", md(line));
            }
        }
    }

    out
}

fn rest(plan: &Plan) -> String {
    let mut out = String::new();
    out.push_str("\n## Options\n\nEvery option and candidate model, cheapest feasible first; ~ marks a cost that rests on a catalog figure held as an estimate.\n\n");
    out.push_str("| # | option | model | per month | TTFT ms | tokens/s | feasible, or why not |\n|--:|---|---|--:|--:|--:|---|\n");
    for (i, o) in plan.options.iter().enumerate() {
        let _ = writeln!(out, "{}", option_row(i + 1, o));
    }

    if let Some(o) = plan.fleet_option()
        && let Some(sh) = &o.self_hosted
    {
        out.push_str("\n## GPU sizing\n\n");
        let _ = writeln!(
            out,
            "GPU fleet ({}): {} {}, {} a month.\n",
            super::text::fleet_role(plan, o),
            o.option,
            md(&o.model),
            o.monthly_cost_usd.map_or("-".to_string(), usd_cents)
        );
        // Owned hardware is bought as servers, not VMs.
        let (vm, vms) = if sh.place == crate::vocab::Place::OnPremises {
            ("server", "servers at peak")
        } else {
            ("VM", "VMs at peak")
        };
        let _ = writeln!(
            out,
            "| GPU | {vm} | region | precision | TP | replicas at peak | {vms} | GPUs at peak | requests at once per replica | TTFT ms | ms per token |\n|---|---|---|---|--:|--:|--:|--:|--:|--:|--:|"
        );
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.0} | {:.1} |",
            cell(&sh.gpu),
            cell(&sh.vm),
            cell(&sh.region),
            sh.precision,
            sh.tp,
            sh.replicas_peak,
            sh.vms_peak,
            sh.gpus_peak,
            sh.batch_per_replica,
            sh.ttft_ms,
            sh.tpot_ms
        );
        let _ = writeln!(
            out,
            "\nEach replica serves up to {} requests at once, limited by {} ({} max_num_seqs {}, {} batched tokens a step); {} tokens generated a request. Time to first token is the p{} in the busiest hour at {:.0}% of the replicas' capacity, with a queue wait of {:.0} ms (M/G/c over the fleet's batch slots).",
            sh.batch_per_replica,
            sh.batch_limited_by,
            cell(&sh.engine.name),
            sh.engine.max_num_seqs,
            crate::text::thousands(u64::from(sh.engine.max_num_batched_tokens)),
            crate::text::fmt_num(sh.generated_tokens),
            crate::text::fmt_num(sh.ttft_percentile),
            sh.peak_load * 100.0,
            sh.queue_wait_ms
        );
        let v = &sh.vram_per_gpu_gib;
        out.push_str("\nVRAM per GPU (GiB):\n\n| weights | KV cache | activations | runtime | total | capacity |\n|--:|--:|--:|--:|--:|--:|\n");
        let _ = writeln!(
            out,
            "| {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.0} |",
            v.weights, v.kv_cache, v.activations, v.runtime, v.total, v.capacity
        );
        if !sh.alternatives.is_empty() {
            let _ = writeln!(
                out,
                "\nRunner-up configurations (GPU cost a month):\n\n| GPU | {vm} | precision | TP | GPU cost |\n|---|---|---|--:|--:|"
            );
            for a in &sh.alternatives {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |",
                    cell(&a.gpu),
                    cell(&a.vm),
                    a.precision,
                    a.tp,
                    usd_cents(a.gpu_monthly_usd)
                );
            }
        }
    }

    out.push_str("\n## Break-even\n\n");
    if plan.break_even.is_empty() {
        out.push_str("The best pay-as-you-go, provisioned and self-hosted options do not cross between 100 and 1,000,000,000 requests a day.\n");
    } else {
        out.push_str("| from | to | requests per day | tokens per day |\n|---|---|--:|--:|\n");
        for b in &plan.break_even {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                cell(&b.from),
                cell(&b.to),
                count(b.requests_per_day),
                count(b.tokens_per_day)
            );
        }
    }

    out.push_str("\n## Assumptions\n\n");
    let _ = writeln!(
        out,
        "- A month is 730 hours; requests a month are requests a day x 730 / 24."
    );
    let _ = writeln!(
        out,
        "- Prices and figures come from llmcap's catalog as of {}; each entry records its source, and those marked estimate are unconfirmed or derived (see `llmcap catalog --format json`).",
        plan.catalog.as_of
    );
    let _ = writeln!(
        out,
        "- Hosted time to first token is a typical figure plus the network round trip; streaming speed is Microsoft's PTU latency target where the catalog has one."
    );
    let _ = writeln!(
        out,
        "- Self-hosted speed and memory come from llmcap's performance model, calibrated on published measurements (median error on unseen rows 8-15%)."
    );
    out
}
