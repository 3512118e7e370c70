//! Hybrid plans: a scenario with `routing` is priced leg by leg. Each leg is a workload of
//! its own (its share of the requests, its token sizes, tier, models, latency target and
//! residency) evaluated with every deployment option; the plan adds the router's cost,
//! shows what a cascade's escalated attempts cost, pools legs that land on the same model
//! into one deployment when that is cheaper, checks each leg's latency end to end, and
//! compares the whole with the best single-model plan for the same traffic.
//!
//! The single-model plan is what `options`, `recommendation` and `break_even` report for a
//! routed scenario: every request sent to the last leg's models (a router's legs run from
//! the cheapest to the most capable; a cascade's last leg is where it escalates to).

use rust_decimal::Decimal;

use super::demand::{Demand, dec};
use super::evaluate::{evaluate_judged, evaluate_one, first_feasible, options_of, why_none};
use super::plan::{Claim, CostLine, Hybrid, LegLatency, LegResult, OptionResult, Plan, Pool, RouterCost, SingleModel};
use crate::catalog::Catalog;
use crate::date::Date;
use crate::scenario::{Leg, RouterStep, Routing, RoutingPattern, Scenario};
use crate::text::{fmt_num, usd_whole};
use crate::vocab::{Billing, OptionId, ViolationKind};

mod break_even;
mod legs;
mod router;
mod single;
mod words;

use break_even::*;
use legs::*;
use router::*;
use single::*;
use words::*;

/// Evaluates a routed scenario: the single-model plan as `options` and `recommendation`,
/// with the legs, the hybrid's totals and the comparison beside it.
pub(super) fn evaluate_routed(s: &Scenario, r: &Routing, catalog: &Catalog, on: Date) -> Result<Plan, String> {
    let single = single_model_scenario(s, r);
    let mut plan = single_model_plan(s, r, &single, catalog, on)?;
    plan.scenario.name = s.name.clone();

    let mut routers = price_router(s, r, catalog, on)?;
    let chosen = if routers.len() > 1 {
        let mut best: Option<(usize, Decimal)> = None;
        for (k, rt) in routers.iter().enumerate() {
            let p = price_legs(s, r, catalog, on, rt, false)?;
            let served = p.legs.iter().all(|l| l.violations.is_empty());
            if let (true, Some(t)) = (served, p.total(rt))
                && best.is_none_or(|(_, b)| t < b)
            {
                best = Some((k, t));
            }
        }
        best.map_or(0, |b| b.0)
    } else {
        0
    };
    if chosen > 0
        && let (Some(cheap), Some(opt)) = (routers[0].cost.monthly_cost_usd, routers[0].cost.option)
    {
        let note = format!(
            "The classifier runs on its quickest deployment rather than the cheapest ({opt} at {}/month, ~{} ms): the time it saves lets the legs run on cheaper options.",
            usd_whole(cheap),
            routers[0].cost.added_ms.map_or("?".to_string(), |m| fmt_num(m.round()))
        );
        routers[chosen].cost.warnings.push(note);
    }
    let router = routers.swap_remove(chosen);
    let priced = price_legs(s, r, catalog, on, &router, true)?;
    let single_cost = plan.recommendation.as_ref().map(|x| x.monthly_cost_usd);

    let mut violations: Vec<String> = router.violations.clone();
    for l in &priced.legs {
        violations.extend(l.violations.iter().map(|v| format!("{}: {v}", l.leg.name)));
    }
    let total = priced.total(&router);
    let feasible = violations.is_empty() && total.is_some();
    let recommended = feasible && total.zip(single_cost).is_none_or(|(t, c)| t < c);
    let (saving, saving_pct) = match (single_cost, total) {
        (Some(c), Some(t)) => {
            let d = c - t;
            let pct = if c > Decimal::ZERO {
                f64::try_from(d / c).ok().map(|x| (x * 1000.0).round() / 10.0)
            } else {
                None
            };
            (Some(d), pct)
        }
        _ => (None, None),
    };

    let mut h = Hybrid {
        pattern: r.pattern.id(),
        feasible,
        recommended,
        monthly_cost_usd: total,
        router: router.cost.clone(),
        pools: priced.pools.clone(),
        escalated_attempts_usd: (r.pattern == RoutingPattern::Cascade).then_some(priced.escalated),
        cost_breakdown: priced.breakdown(&router),
        break_even_escalation_rate: None,
        break_even_share: None,
        break_even_note: String::new(),
        claims: Vec::new(),
        rationale: Vec::new(),
        warnings: router.cost.warnings.clone(),
        violations,
        estimate: priced.legs.iter().any(|l| l.pick.as_ref().is_some_and(|o| o.estimate)) || router.estimate,
    };

    // Where the plan stops paying.
    if let (Some(c), true) = (single_cost, feasible) {
        let (rate, note) = break_even(s, r, catalog, on, &router, &priced, c)?;
        match r.pattern {
            RoutingPattern::Cascade => h.break_even_escalation_rate = rate,
            RoutingPattern::Router => h.break_even_share = rate,
        }
        h.break_even_note = note;
    } else if !feasible {
        h.break_even_note = "No break-even: the hybrid plan is not feasible as given.".into();
    } else {
        h.break_even_note = "No break-even: no single model can serve the traffic.".into();
    }

    let legs: Vec<LegResult> = priced.legs.iter().map(LegPriced::result).collect();
    h.claims = claims(catalog, r, &legs, &priced, &router, &plan, saving_pct);
    h.rationale = rationale(r, &legs, &h, &plan, saving, saving_pct);
    h.warnings.extend(priced.warnings.iter().cloned());

    plan.single_model = Some(SingleModel {
        option: plan.recommendation.as_ref().map(|x| x.option),
        model: plan.recommendation.as_ref().map(|x| x.model.clone()),
        monthly_cost_usd: single_cost,
        saving_usd: saving,
        saving_percent: saving_pct,
        basis: single_basis(s, r),
    });
    if let Some(rec) = plan.recommendation.as_mut() {
        rec.rationale.insert(0, verdict_line(&h, saving, saving_pct));
    }
    plan.legs = legs;
    plan.hybrid = Some(Box::new(h));
    Ok(plan)
}

pub(super) fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

pub(super) fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}
