//! `evaluate(&Scenario, &Catalog, Date) -> Plan`: the orchestration. Builds the shared context,
//! asks every candidate model for its options (managed and self-hosted), ranks them, then
//! adds the break-even volumes and the recommendation (or why nothing is feasible).
//!
//! The pieces live beside it, one responsibility a module: `context` (what the option
//! evaluations share), `constraints`, `managed`, `self_hosted_option`, `rank`,
//! `break_even` and `recommend`.

use rust_decimal::Decimal;

use super::break_even::break_even;
use super::context::{Ctx, build_ctx};
use super::plan::{CatalogRef, DemandSummary, Family, Latency, OptionResult, Plan, ScenarioRef};
use super::rank::rank;
use super::recommend::{infeasible_summary, recommend};
use super::selfhost;
use crate::catalog::{Catalog, Model, Weights};
use crate::date::Date;
use crate::scenario::Scenario;
use crate::vocab::{Place, Platform};

// Public before the split, so they stay reachable at `engine::evaluate::` for callers.
pub use super::rank::candidates;

impl Ctx<'_> {
    /// Options a model has: one per managed deployment, and the two self-hosted places for
    /// an open-weight model.
    fn option_count(m: &Model) -> usize {
        m.deployments.len() + if m.weights == Weights::Open { 4 } else { 0 }
    }

    /// Appends every option of a model to `out`.
    fn options_for(&self, m: &Model, out: &mut Vec<OptionResult>) {
        if !m.deployments.is_empty() {
            // The same for every Standard (and every provisioned) type of the model: built
            // once, not once per option.
            let has = |f: Family| {
                m.deployments
                    .iter()
                    .any(|d| (d.family() == Family::Provisioned) == (f == Family::Provisioned))
            };
            let latency = [
                if has(Family::PayAsYouGo) {
                    self.hosted_latency(m, false)
                } else {
                    Latency::default()
                },
                if has(Family::Provisioned) {
                    self.hosted_latency(m, true)
                } else {
                    Latency::default()
                },
            ];
            out.extend(m.deployments.iter().map(|d| {
                let mut o = self.managed(m, *d, &latency);
                self.add_fine_tuning(m, &mut o);
                o
            }));
        }
        if m.weights == Weights::Open {
            // The physics of each configuration is shared by the cloud and on-premises options.
            let configs = match m.architecture.as_ref() {
                Some(arch) => selfhost::configs(&self.sizing(m, arch)),
                None => selfhost::Configs::default(),
            };
            // Only the places the scenario allows (`self_hosting.sites`); the rationale says
            // when owned servers were left out.
            let mut places = Vec::with_capacity(2);
            if self.s.offers_cloud_gpus() {
                places.push(Place::Cloud);
            }
            if self.s.offers_on_premises() || self.s.residency.requires_on_premises() {
                places.push(Place::OnPremises);
            }
            for place in places {
                let mut o = self.self_hosted(m, place, &configs);
                self.add_fine_tuning(m, &mut o);
                out.push(o);
            }
            // The platforms that run the same configurations on their own GPU sizes.
            for p in Platform::ALL {
                let mut o = self.dedicated(m, p, &configs);
                self.add_fine_tuning(m, &mut o);
                out.push(o);
            }
        }
    }
}

/// All options x candidate models at a volume, ranked (no recommendation, no break-even).
fn options_at<'a>(
    s: &'a Scenario,
    catalog: &'a Catalog,
    on: Date,
    requests_per_day: f64,
) -> Result<(Ctx<'a>, Vec<OptionResult>), String> {
    let ctx = build_ctx(s, catalog, on, requests_per_day)?;
    let models = candidates(s, catalog);
    // Sized up front: an option is large, and growing the list would copy them all again.
    let mut options = Vec::with_capacity(models.iter().map(|m| Ctx::option_count(m)).sum());
    for m in models {
        ctx.options_for(m, &mut options);
    }
    Ok((ctx, rank(options)))
}

/// Every option of the scenario on the plan date `on` (models retired by then cannot be
/// deployed), ranked, with the recommendation and the volumes where it flips.
///
/// A scenario with `routing` is a hybrid plan: see `engine::hybrid`.
pub fn evaluate(s: &Scenario, catalog: &Catalog, on: Date) -> Result<Plan, String> {
    match &s.routing {
        Some(r) => super::hybrid::evaluate_routed(s, r, catalog, on),
        None => evaluate_one(s, catalog, on),
    }
}

/// The cheapest feasible priced option of a scenario taken as one model's workload (its
/// `routing` ignored), or why there is none: what a hybrid plan's legs, router and pools
/// are priced with when only the cost is needed.
pub(super) fn first_feasible(
    s: &Scenario,
    catalog: &Catalog,
    on: Date,
) -> Result<Result<OptionResult, String>, String> {
    let (_, mut options) = options_at(s, catalog, on, s.workload.requests_per_day)?;
    let winner = options.iter().position(|o| o.feasible && o.monthly_cost_usd.is_some());
    Ok(match winner {
        Some(i) => Ok(options.swap_remove(i)),
        None => Err(why_none(&options)),
    })
}

/// Why no option is feasible, in the words that matter most: a model retired on the plan
/// date is retired on every deployment; else what rules out the first-ranked option.
pub(super) fn why_none(options: &[OptionResult]) -> String {
    options
        .iter()
        .flat_map(|o| o.violations.iter())
        .find(|v| v.kind == crate::vocab::ViolationKind::Retired)
        .or_else(|| options.first().and_then(|o| o.violations.first()))
        .map_or_else(|| "no option".to_string(), ToString::to_string)
}

/// Evaluates a scenario as one model's workload (`routing` is ignored).
pub(super) fn evaluate_one(s: &Scenario, catalog: &Catalog, on: Date) -> Result<Plan, String> {
    evaluate_judged(s, catalog, on, None)
}

/// Every option of a scenario taken as one model's workload, ranked (no recommendation).
pub(super) fn options_of(s: &Scenario, catalog: &Catalog, on: Date) -> Result<Vec<OptionResult>, String> {
    Ok(options_at(s, catalog, on, s.workload.requests_per_day)?.1)
}

/// [`evaluate_one`], with `judge` revisiting each option's violations (and so its
/// feasibility) before the options are ranked and the recommendation is made: how a
/// single-model plan for a router's traffic is held to each leg's own latency target.
pub(super) fn evaluate_judged(
    s: &Scenario,
    catalog: &Catalog,
    on: Date,
    judge: Option<&dyn Fn(&mut OptionResult)>,
) -> Result<Plan, String> {
    let (ctx, mut options) = options_at(s, catalog, on, s.workload.requests_per_day)?;
    if let Some(judge) = judge {
        for o in &mut options {
            judge(o);
            // Priced and breaking no rule: what feasible means.
            o.feasible = o.violations.is_empty() && o.monthly_cost_usd.is_some();
        }
        options = rank(options);
    }
    let d = &ctx.demand;
    // A model without hidden reasoning generates only the completion.
    let t = &ctx.tokens[0];
    let (uncached, cached, generated) = (t.uncached, t.cached, t.completion);
    let f = |x: Decimal| -> f64 { x.round_dp(0).try_into().unwrap_or(0.0) };
    let mut plan = Plan {
        scenario: ScenarioRef { name: s.name.clone() },
        plan_date: on,
        catalog: CatalogRef {
            as_of: catalog.meta.as_of.clone(),
        },
        recommendation: None,
        options,
        break_even: Vec::new(),
        demand: DemandSummary {
            requests_per_day: d.requests_per_day,
            requests_per_month: f(d.requests_per_month()),
            mean_requests_per_s: (d.mean_rps * 1e4).round() / 1e4,
            peak_requests_per_s: (d.peak_rps * 1e4).round() / 1e4,
            input_tokens_per_month: f(uncached + cached),
            output_tokens_per_month: f(generated),
        },
        infeasible_summary: Vec::new(),
        legs: Vec::new(),
        hybrid: None,
        single_model: None,
    };
    plan.break_even = break_even(s, &plan);
    plan.recommendation = recommend(&ctx, &plan);
    if plan.recommendation.is_none() {
        plan.infeasible_summary = infeasible_summary(s, &plan);
    }
    Ok(plan)
}
