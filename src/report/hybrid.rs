//! The hybrid plan of a routed scenario (`plan.hybrid`) in words and table cells, written
//! once for the text, Markdown and HTML reports so they cannot disagree: the verdict, a row
//! per leg, the router, pooled capacity, escalated attempts and the seeds' claims.
//!
//! Every string here is raw: leg names come from the scenario file, so each report escapes
//! these strings as it escapes any other text from a file (`terminal_line` for a terminal,
//! `markdown::md` for Markdown and so HTML).

use rust_decimal::Decimal;

use crate::engine::plan::{Claim, Hybrid, LegResult, Plan};
use crate::text::thousands;

/// How a report writes an amount: whole dollars in the text tables, cents elsewhere.
pub(crate) type Money = fn(Decimal) -> String;

/// The hybrid section's data, when the plan has one.
pub(crate) fn of(plan: &Plan) -> Option<&Hybrid> {
    plan.hybrid.as_deref()
}

fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// `~$1,234` for an amount that rests on a catalog estimate.
fn cost(estimate: bool, usd: Decimal, money: Money) -> String {
    format!("{}{}", super::estimate_mark(estimate), money(usd))
}

/// "router" or "cascade" as a reader says it.
fn pattern_name(h: &Hybrid) -> &'static str {
    if h.pattern == "cascade" { "cascade" } else { "router" }
}

/// The single model the hybrid is compared with, `model on option`, if there is one.
fn single_name(plan: &Plan) -> Option<String> {
    let s = plan.single_model.as_ref()?;
    match (&s.model, s.option) {
        (Some(m), Some(o)) => Some(format!("{m} on {o}")),
        _ => None,
    }
}

/// What to build, in one sentence: the hybrid plan or the single model, the two monthly
/// costs and the saving (or the extra cost).
pub(crate) fn verdict(plan: &Plan, h: &Hybrid, money: Money) -> String {
    let pattern = pattern_name(h);
    let single = plan.single_model.as_ref();
    let single_cost = single.and_then(|s| s.monthly_cost_usd);
    let single_mark = super::recommended_is_estimate(plan);
    let name = single_name(plan).unwrap_or_else(|| "the single model".to_string());
    match (h.feasible, h.monthly_cost_usd, single_cost) {
        (true, Some(total), Some(one)) => {
            let saving = single.and_then(|s| s.saving_usd).unwrap_or(one - total);
            let pct = single
                .and_then(|s| s.saving_percent)
                .map_or(String::new(), |p| format!(" ({:.1}%)", p.abs()));
            let both = format!(
                "{} a month against {} for the single model ({name})",
                cost(h.estimate, total, money),
                cost(single_mark, one, money)
            );
            if !h.recommended && money(saving) == money(Decimal::ZERO) {
                format!(
                    "Build the single model: the {pattern} plan costs the same, {} a month, as the single model ({name}), with more to run.",
                    cost(h.estimate, total, money)
                )
            } else if h.recommended {
                format!("Build the {pattern} plan: {both}, saving {}{pct}.", money(saving))
            } else {
                format!(
                    "Build the single model: the {pattern} plan costs {both}, {}{pct} more.",
                    money(saving.abs())
                )
            }
        }
        (true, Some(total), None) => format!(
            "Build the {pattern} plan: {} a month; no single model can serve the same traffic.",
            cost(h.estimate, total, money)
        ),
        (_, _, Some(one)) => format!(
            "Build the single model ({name}, {} a month): the {pattern} plan is not feasible as given.",
            cost(single_mark, one, money)
        ),
        (_, _, None) => format!("Neither the {pattern} plan nor a single model can serve this traffic as given."),
    }
}

/// What the single model is, in words, for the line under the verdict.
pub(crate) fn compared_with(plan: &Plan) -> Option<String> {
    let s = plan.single_model.as_ref()?;
    let name = single_name(plan)?;
    Some(format!("The single model is {name}: {}.", s.basis))
}

/// One leg's row of the legs table.
pub(crate) struct LegRow {
    pub name: String,
    /// Share of all requests reaching the leg; a cascade's escalation rate beside it where
    /// the two differ (a third leg's).
    pub share: String,
    pub requests_per_day: String,
    pub model: String,
    pub option: String,
    pub monthly_cost: String,
    /// End to end (router or earlier attempts included) against the leg's target.
    pub ttft: String,
    /// `pool 1` when the leg shares a deployment with others.
    pub pool: String,
    /// `feasible`, or the first reason it is not.
    pub status: String,
}

pub(crate) fn leg_row(l: &LegResult, money: Money) -> LegRow {
    let mut share = percent(l.share);
    if let Some(e) = l.escalation
        && (e - l.share).abs() > 1e-9
    {
        share.push_str(&format!(" (escalation {})", percent(e)));
    }
    let monthly_cost = match (l.option, l.monthly_cost_usd) {
        (_, Some(c)) => cost(l.estimate, c, money),
        (Some(_), None) => "no price".to_string(),
        (None, None) => "-".to_string(),
    };
    let status = if l.feasible {
        "feasible".to_string()
    } else {
        l.violations
            .first()
            .cloned()
            .unwrap_or_else(|| "not feasible".to_string())
    };
    LegRow {
        name: l.name.clone(),
        share,
        requests_per_day: thousands(l.requests_per_day.round().max(0.0) as u64),
        model: l.model.clone().unwrap_or_else(|| "-".to_string()),
        option: l.option.map_or_else(|| "-".to_string(), |o| o.to_string()),
        monthly_cost,
        ttft: format!(
            "{} / {:.0}",
            l.latency.ttft_ms.map_or("-".to_string(), |t| format!("{t:.0}")),
            l.latency.target_ttft_ms
        ),
        pool: l.pool.map_or(String::new(), |i| format!("pool {}", i + 1)),
        status,
    }
}

/// The step that picks each request's leg, and what it costs.
pub(crate) fn router_line(h: &Hybrid, money: Money) -> String {
    let r = &h.router;
    let price = r.monthly_cost_usd.map_or("no price".to_string(), money);
    match r.kind {
        "classifier" => {
            let model = r.model.as_deref().unwrap_or("the classifier");
            let on = r
                .option
                .map_or_else(|| " (no feasible option)".to_string(), |o| format!(" on {o}"));
            let added = r.added_ms.map_or(String::new(), |ms| {
                format!(", adding ~{ms:.0} ms before each leg starts")
            });
            format!("Router: classifier {model}{on} reads every request, {price} a month{added}.")
        }
        "per-request" => format!("Router: a fee per request, {price} a month; its latency is not known."),
        _ if h.pattern == "cascade" => {
            "Router: none; every request tries the first leg, whose own check escalates it.".to_string()
        }
        _ => "Router: none; the caller knows each request's leg, at no cost.".to_string(),
    }
}

/// One line per pool of legs that share a deployment.
pub(crate) fn pool_lines(h: &Hybrid, money: Money) -> Vec<String> {
    h.pools
        .iter()
        .enumerate()
        .map(|(i, p)| {
            format!(
                "Pool {}: legs {} share {} on {}: {} a month instead of {} as separate deployments, saving {}.",
                i + 1,
                p.legs.join(", "),
                p.model,
                p.option,
                money(p.pooled_usd),
                money(p.separate_usd),
                money(p.saving_usd)
            )
        })
        .collect()
}

/// A cascade's spend on attempts that then escalated (inside the legs' costs).
pub(crate) fn escalated_line(h: &Hybrid, money: Money) -> Option<String> {
    h.escalated_attempts_usd.map(|usd| {
        format!(
            "Escalated attempts: {} a month of the legs' costs pays for first attempts that were then escalated.",
            money(usd)
        )
    })
}

/// One claim's cells: pattern, claimed saving, basis, this plan's saving, verdict.
pub(crate) fn claim_cells(c: &Claim) -> [String; 5] {
    [
        c.pattern.to_string(),
        format!("{:.0}-{:.0}%", c.claimed_low_percent, c.claimed_high_percent),
        c.basis.to_string(),
        c.measured_percent
            .map_or("not measurable".to_string(), |m| format!("{m:.1}%")),
        c.verdict.to_string(),
    ]
}

/// The hybrid plan's total as its cost breakdown's last line.
pub(crate) fn total(h: &Hybrid, money: Money) -> String {
    h.monthly_cost_usd
        .map_or("no price".to_string(), |t| cost(h.estimate, t, money))
}

/// The bars of the HTML chart: each leg and the router (label, detail, cost a month; no
/// cost when the part has no priced option), then the single model's (detail, cost).
pub(crate) struct ChartParts {
    pub parts: Vec<(String, String, Option<f64>)>,
    pub single: Option<(String, f64)>,
}

pub(crate) fn chart_parts(plan: &Plan, h: &Hybrid) -> ChartParts {
    let usd = |d: Decimal| f64::try_from(d).ok().filter(|v| v.is_finite());
    let mut parts: Vec<(String, String, Option<f64>)> = plan
        .legs
        .iter()
        .map(|l| {
            let detail = match (&l.model, l.option) {
                (Some(m), Some(o)) => format!("{m} · {o}"),
                _ => "no feasible option".to_string(),
            };
            (
                format!("{} ({})", l.name, percent(l.share)),
                detail,
                l.monthly_cost_usd.and_then(usd),
            )
        })
        .collect();
    if h.router.kind != "none" {
        let detail = match (&h.router.model, h.router.option) {
            (Some(m), Some(o)) => format!("{m} · {o}"),
            (Some(m), None) => format!("{m}: no feasible option"),
            _ => "fee per request".to_string(),
        };
        parts.push(("router".to_string(), detail, h.router.monthly_cost_usd.and_then(usd)));
    }
    let single = plan.single_model.as_ref().and_then(|s| {
        let c = s.monthly_cost_usd.and_then(usd)?;
        let detail = match (&s.model, s.option) {
            (Some(m), Some(o)) => format!("{m} · {o}"),
            _ => String::new(),
        };
        Some((detail, c))
    });
    ChartParts { parts, single }
}
