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

/// The scenario as one model would serve it: every request, no router. A router's traffic
/// keeps each leg's token sizes (the mean over the shares); a cascade's goes straight to the
/// last leg, with its sizes. The model is the last leg's (its tier or models) and the data
/// rules are the scenario's.
pub(super) fn single_model_scenario(s: &Scenario, r: &Routing) -> Scenario {
    let mut x = s.clone();
    x.routing = None;
    let Some(last) = r.legs.last() else { return x };
    let (input, output, reasoning) = match r.pattern {
        RoutingPattern::Router => {
            let shares = r.arriving();
            let total: f64 = shares.iter().sum::<f64>().max(f64::MIN_POSITIVE);
            let mean = |f: &dyn Fn(&Leg) -> f64| r.legs.iter().zip(&shares).map(|(l, w)| f(l) * w).sum::<f64>() / total;
            (
                mean(&|l| l.input_tokens.unwrap_or(s.workload.input_tokens)),
                mean(&|l| l.output_tokens.unwrap_or(s.workload.output_tokens)),
                mean(&|l| l.reasoning_tokens.unwrap_or(s.workload.reasoning_tokens)),
            )
        }
        RoutingPattern::Cascade => (
            last.input_tokens.unwrap_or(s.workload.input_tokens),
            last.output_tokens.unwrap_or(s.workload.output_tokens),
            last.reasoning_tokens.unwrap_or(s.workload.reasoning_tokens),
        ),
    };
    x.workload.input_tokens = round2(input);
    x.workload.output_tokens = round2(output);
    x.workload.reasoning_tokens = round2(reasoning);
    if r.pattern == RoutingPattern::Cascade
        && let Some(t) = last.ttft_ms
    {
        x.latency.ttft_ms = t;
    }
    apply_model_choice(&mut x, last);
    x
}

/// The single-model plan. A cascade's is its last leg's workload, evaluated as it is. A
/// router's is one deployment for all the traffic: sized at the legs' mean request where it
/// is reserved capacity or GPUs, priced leg by leg with each leg's own tokens where it is
/// per token (exact, and a reasoning model thinks its own typical amount where a leg gives
/// no figure), and held to each leg's latency target with that leg's tokens: judged at the
/// mean request, a reasoning model would be too slow for every request whenever a few think
/// long, and fast enough for the ones that do.
fn single_model_plan(
    s: &Scenario,
    r: &Routing,
    single: &Scenario,
    catalog: &Catalog,
    on: Date,
) -> Result<Plan, String> {
    if r.pattern == RoutingPattern::Cascade {
        return evaluate_one(single, catalog, on);
    }
    let arriving = r.arriving();
    // Each leg's requests as the single model would serve them: the leg's tokens and target,
    // the single model's candidates, the scenario's data rules.
    let mut classes: Vec<(String, f64, Vec<OptionResult>)> = Vec::new();
    for (i, leg) in r.legs.iter().enumerate() {
        if arriving[i] <= 0.0 {
            continue;
        }
        let mut class = leg_scenario(s, r, i, arriving[i]);
        class.residency = s.residency.clone();
        class.models = single.models.clone();
        class.quality = single.quality;
        classes.push((leg.name.clone(), arriving[i], options_of(&class, catalog, on)?));
    }
    let judge = |o: &mut OptionResult| {
        let mut per_class = Vec::new();
        // Per token, one deployment costs what its requests cost one by one: each leg's
        // requests are priced with their own tokens (a reasoning model thinks its typical
        // amount where a leg gives no figure), not at the mean request.
        if o.option.billing() == Billing::PerToken {
            let lines: Option<Vec<CostLine>> = classes
                .iter()
                .map(|(name, share, options)| {
                    let c = options.iter().find(|c| c.option == o.option && c.model == o.model)?;
                    Some(CostLine {
                        item: format!("the `{name}` requests ({:.0}%), at their own tokens", share * 100.0),
                        usd: c.monthly_cost_usd?,
                    })
                })
                .collect();
            if let Some(lines) = lines {
                o.monthly_cost_usd = Some(lines.iter().map(|l| l.usd).sum());
                o.cost_breakdown = lines;
            }
        }
        for (name, share, options) in &classes {
            let Some(c) = options.iter().find(|c| c.option == o.option && c.model == o.model) else {
                continue;
            };
            per_class.extend(
                c.violations
                    .iter()
                    .filter(|v| v.kind == ViolationKind::Latency)
                    .map(|v| {
                        let mut v = v.clone();
                        v.detail = format!("for the `{name}` requests ({:.0}%): {}", share * 100.0, v.detail);
                        v
                    }),
            );
        }
        o.violations.retain(|v| v.kind != ViolationKind::Latency);
        o.violations.extend(per_class);
    };
    evaluate_judged(single, catalog, on, Some(&judge))
}

fn single_basis(s: &Scenario, r: &Routing) -> String {
    let last = r.legs.last().map_or("", |l| l.name.as_str());
    match r.pattern {
        RoutingPattern::Router => format!(
            "every request to the `{last}` leg's models on one deployment: priced leg by leg at each leg's own tokens (reserved capacity and GPUs sized at the legs' mean request), each leg's requests held to that leg's latency target, under the scenario's residency ({})",
            crate::scenario::edit::residency_text(&s.residency)
        ),
        RoutingPattern::Cascade => format!(
            "every request straight to the `{last}` leg's models, at its token sizes and latency target, under the scenario's residency ({})",
            crate::scenario::edit::residency_text(&s.residency)
        ),
    }
}

/// A leg's tier and models replace the scenario's: its own models where it names them, else
/// its tier's (or the scenario's models when it names neither).
fn apply_model_choice(x: &mut Scenario, leg: &Leg) {
    if !leg.models.is_empty() {
        x.models = leg.models.clone();
    } else if leg.quality.is_some() {
        x.models.clear();
    }
    if let Some(q) = leg.quality {
        x.quality = q;
    }
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// The router step priced: a classifier as a workload of its own (every request, its
/// tokens, its model, the scenario's data rules), or a fee per request.
struct Router {
    cost: RouterCost,
    violations: Vec<String>,
    estimate: bool,
}

/// The router's candidates: one for no router or a fee; for a classifier its cheapest
/// deployment and, when another answers sooner, the quickest (the plan keeps whichever makes
/// the whole cheaper).
fn price_router(s: &Scenario, r: &Routing, catalog: &Catalog, on: Date) -> Result<Vec<Router>, String> {
    match &r.router {
        RouterStep::None => Ok(vec![Router {
            cost: RouterCost {
                kind: "none",
                option: None,
                model: None,
                monthly_cost_usd: Some(Decimal::ZERO),
                added_ms: None,
                warnings: Vec::new(),
            },
            violations: Vec::new(),
            estimate: false,
        }]),
        RouterStep::PerRequest { usd } => {
            let month = Demand::from_scenario(s).requests_per_month();
            Ok(vec![Router {
                cost: RouterCost {
                    kind: "per-request",
                    option: None,
                    model: None,
                    monthly_cost_usd: Some(month * *usd),
                    added_ms: None,
                    warnings: vec![format!(
                        "The router's fee ({} a request) is the scenario's figure; its latency is not known, so the legs' end-to-end times leave it out.",
                        crate::text::usd(*usd)
                    )],
                },
                violations: Vec::new(),
                estimate: false,
            }])
        }
        RouterStep::Classifier {
            model,
            input_tokens,
            output_tokens,
        } => {
            let mut x = s.clone();
            x.routing = None;
            x.fine_tuning = None;
            x.customization = crate::scenario::Customization::PromptOnly;
            x.models = vec![model.clone()];
            x.workload.input_tokens = *input_tokens;
            x.workload.output_tokens = *output_tokens;
            x.workload.cached_input_share = 0.0;
            x.workload.reasoning_tokens = 0.0;
            let options = options_of(&x, catalog, on)?;
            let reasoning = catalog.model(model).is_some_and(|m| m.reasoning);
            let router_of = |o: &OptionResult| {
                let mut cost = RouterCost {
                    kind: "classifier",
                    option: Some(o.option),
                    model: Some(model.clone()),
                    monthly_cost_usd: o.monthly_cost_usd,
                    added_ms: time_to_answer(o, *output_tokens),
                    warnings: Vec::new(),
                };
                if cost.added_ms.is_none() {
                    cost.warnings.push(format!(
                        "The classifier's latency on {} is not known: the legs' end-to-end times leave it out.",
                        o.option
                    ));
                }
                if reasoning {
                    cost.warnings.push(format!(
                        "{model} is a reasoning model: it is planned with its typical hidden reasoning per request, which a one-word label rarely needs (a non-reasoning classifier, or minimal effort, costs less and answers sooner)."
                    ));
                }
                Router {
                    cost,
                    violations: Vec::new(),
                    estimate: o.estimate,
                }
            };
            let feasible: Vec<&OptionResult> = options
                .iter()
                .filter(|o| o.feasible && o.monthly_cost_usd.is_some())
                .collect();
            let Some(cheapest) = feasible.first() else {
                let why = why_none(&options);
                return Ok(vec![Router {
                    cost: RouterCost {
                        kind: "classifier",
                        option: None,
                        model: Some(model.clone()),
                        monthly_cost_usd: None,
                        added_ms: None,
                        warnings: Vec::new(),
                    },
                    violations: vec![format!("router: no feasible option for the classifier {model} ({why})")],
                    estimate: false,
                }]);
            };
            // The cheapest deployment of the classifier, and the quickest: a slow router
            // leaves the legs little of their targets, which can cost more than it saves.
            let mut out = vec![router_of(cheapest)];
            let quickest = feasible
                .iter()
                .filter_map(|o| time_to_answer(o, *output_tokens).map(|t| (t, *o)))
                .min_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((t, q)) = quickest
                && q.option != cheapest.option
                && out[0].cost.added_ms.is_none_or(|c| t < c)
            {
                out.push(router_of(q));
            }
            Ok(out)
        }
    }
}

/// Rounds of raising a gated attempt's streaming speed until its whole answer fits, and
/// halvings of the range between the last speed that did not fit and the first that did.
const GATED_ROUNDS: usize = 3;
const GATED_BISECTIONS: usize = 5;

/// The leg's winner (and with `full` its whole plan). A gated cascade attempt has `limits`:
/// (tokens, ms) pairs, each a number of output tokens it must have written within a time
/// (its whole answer within its target; its attempt within what the later legs leave). The
/// streaming speed it needs is raised from the scenario's until the winner meets every
/// limit, or no option can.
fn pick_leg(
    x: &mut Scenario,
    catalog: &Catalog,
    on: Date,
    full: bool,
    limits: &[(f64, f64)],
) -> Result<(Option<OptionResult>, Option<Plan>), String> {
    let floor = x.latency.output_tokens_per_s;
    // A gated attempt is shown whole: an option whose streaming speed is not known cannot
    // be shown to deliver it in time, so it is not a choice for one.
    let unknown_speed = |o: &mut OptionResult| {
        if o.latency.output_tokens_per_s.is_none() {
            o.violations.push(crate::vocab::Violation::new(
                ViolationKind::Latency,
                "a cascade shows this attempt only after its confidence check, and this option's streaming speed is not known, so the time to its whole answer cannot be checked",
            ));
        }
    };
    let judge: Option<&dyn Fn(&mut OptionResult)> = if limits.is_empty() { None } else { Some(&unknown_speed) };
    // The winner when the leg must stream at least `speed`.
    let pick_at = |x: &mut Scenario, speed: f64| -> Result<(Option<OptionResult>, Option<Plan>), String> {
        x.latency.output_tokens_per_s = speed;
        Ok(if full {
            let p = evaluate_judged(x, catalog, on, judge)?;
            (p.recommended().cloned(), Some(p))
        } else if let Some(j) = judge {
            let mut options = options_of(x, catalog, on)?;
            options.iter_mut().for_each(|o| {
                j(o);
                o.feasible = o.feasible && o.violations.is_empty();
            });
            (
                options.into_iter().find(|o| o.feasible && o.monthly_cost_usd.is_some()),
                None,
            )
        } else {
            (first_feasible(x, catalog, on)?.ok(), None)
        })
    };
    // Whether a pick writes every limited answer in its time, and if not the speed that
    // would (the rest of the answer in the time its first token leaves, a tenth of a token
    // per second to spare against rounding).
    let fits = |o: &OptionResult| -> (bool, Option<f64>) {
        let Some(ttft) = o.latency.ttft_ms else {
            return (true, None);
        };
        let mut need: Option<f64> = None;
        let mut ok = true;
        for &(out, budget) in limits {
            let Some(t) = time_to_answer(o, out) else { continue };
            if t > budget {
                ok = false;
                if ttft < budget {
                    let v = (out - 1.0).max(0.0) / ((budget - ttft) / 1000.0) + 0.1;
                    need = Some(need.map_or(v, |n: f64| n.max(v)));
                }
            }
        }
        (ok, need)
    };
    let mut result = pick_at(x, floor)?;
    if !limits.is_empty() {
        // Raise the required speed until a pick fits (a few rounds: a faster configuration
        // may start later), then bisect down to the least requirement that still fits: the
        // cheapest configuration meeting a speed never costs more than one meeting a higher
        // one, so the least fitting requirement is the cheapest fitting pick.
        let (mut lo, mut hi) = (floor, None::<f64>);
        let mut at_hi = None;
        let mut need = result
            .0
            .as_ref()
            .map(&fits)
            .and_then(|(ok, n)| if ok { None } else { n });
        for _ in 0..GATED_ROUNDS {
            let Some(v) = need.filter(|v| *v > lo) else { break };
            let r = pick_at(x, v)?;
            match r.0.as_ref().map(&fits) {
                Some((true, _)) => {
                    hi = Some(v);
                    at_hi = Some(r);
                    break;
                }
                Some((false, n)) => {
                    lo = v;
                    need = n;
                    result = r;
                }
                None => break,
            }
        }
        if let (Some(mut h), Some(mut best)) = (hi, at_hi) {
            for _ in 0..GATED_BISECTIONS {
                if h - lo <= 0.5 {
                    break;
                }
                let mid = (lo + h) / 2.0;
                let r = pick_at(x, mid)?;
                if r.0.as_ref().is_some_and(|o| fits(o).0) {
                    h = mid;
                    best = r;
                } else {
                    lo = mid;
                }
            }
            result = best;
        }
    }
    x.latency.output_tokens_per_s = floor;
    Ok(result)
}

/// Time from a request's arrival until a deployment has written `output` tokens: its time
/// to first token plus the rest at its streaming speed, ms.
fn time_to_answer(o: &OptionResult, output: f64) -> Option<f64> {
    let ttft = o.latency.ttft_ms?;
    let speed = o.latency.output_tokens_per_s?;
    if speed <= 0.0 {
        return None;
    }
    Some(ttft + (output - 1.0).max(0.0) / speed * 1000.0)
}

/// One leg priced.
struct LegPriced {
    leg: Leg,
    share: f64,
    escalation: Option<f64>,
    scenario: Scenario,
    /// The leg's own winner (the cheapest feasible option).
    pick: Option<OptionResult>,
    /// The leg's full plan, for its rationale (the main evaluation only).
    plan: Option<Plan>,
    /// No request reaches the leg (a share or escalation of 0): it costs nothing.
    idle: bool,
    /// The time to first token the leg's own deployment may take: its target less what the
    /// router or the earlier attempts spent.
    budget_ms: f64,
    /// A cascade attempt shown only after its confidence check (sized for its whole answer).
    gated: bool,
    violations: Vec<String>,
    warnings: Vec<String>,
    latency: LegLatency,
    pool: Option<usize>,
    /// Part of the leg's cost spent on attempts that escalated (cascade).
    escalated: Decimal,
}

impl LegPriced {
    fn cost(&self) -> Option<Decimal> {
        if self.idle {
            return Some(Decimal::ZERO);
        }
        self.pick.as_ref().and_then(|o| o.monthly_cost_usd)
    }

    fn result(&self) -> LegResult {
        let rec = self.plan.as_ref().and_then(|p| p.recommendation.as_ref());
        let mut warnings = self.warnings.clone();
        if let Some(r) = rec {
            warnings.extend(r.warnings.iter().cloned());
        }
        let mut violations = self.violations.clone();
        if self.pick.is_none()
            && !self.idle
            && let Some(p) = &self.plan
        {
            violations.extend(p.infeasible_summary.iter().cloned());
        }
        LegResult {
            name: self.leg.name.clone(),
            share: self.share,
            escalation: self.escalation,
            requests_per_day: self.scenario.workload.requests_per_day,
            option: self.pick.as_ref().map(|o| o.option),
            model: self.pick.as_ref().map(|o| o.model.clone()),
            monthly_cost_usd: self.cost(),
            rationale: rec.map(|r| r.rationale.clone()).unwrap_or_default(),
            warnings,
            feasible: (self.idle || self.pick.is_some()) && self.violations.is_empty(),
            violations,
            estimate: self.pick.as_ref().is_some_and(|o| o.estimate),
            family: self.pick.as_ref().map(|o| o.family),
            input_tokens: self.scenario.workload.input_tokens,
            output_tokens: self.scenario.workload.output_tokens,
            latency: self.latency.clone(),
            pool: self.pool,
        }
    }
}

struct Priced {
    legs: Vec<LegPriced>,
    pools: Vec<Pool>,
    escalated: Decimal,
    warnings: Vec<String>,
}

impl Priced {
    /// Router + legs − what pooling saves; `None` when a leg or the router has no price.
    fn total(&self, router: &Router) -> Option<Decimal> {
        let mut t = router.cost.monthly_cost_usd?;
        for l in &self.legs {
            t += l.cost()?;
        }
        Some(t - self.pools.iter().map(|p| p.saving_usd).sum::<Decimal>())
    }

    fn breakdown(&self, router: &Router) -> Vec<CostLine> {
        let mut out = Vec::new();
        if let (Some(c), Some(m)) = (router.cost.monthly_cost_usd, &router.cost.model) {
            let on = router.cost.option.map(|o| o.to_string()).unwrap_or_default();
            out.push(CostLine {
                item: format!("router: {m} on {on}"),
                usd: c,
            });
        } else if let (Some(c), "per-request") = (router.cost.monthly_cost_usd, router.cost.kind) {
            out.push(CostLine {
                item: "router: fee per request".into(),
                usd: c,
            });
        }
        for l in &self.legs {
            if let (Some(c), Some(o)) = (l.cost(), &l.pick) {
                out.push(CostLine {
                    item: format!("leg {}: {} on {}", l.leg.name, o.model, o.option),
                    usd: c,
                });
            }
        }
        for p in &self.pools {
            out.push(CostLine {
                item: format!(
                    "pooled {} on {} ({}): one deployment",
                    p.model,
                    p.option,
                    p.legs.join(" + ")
                ),
                usd: -p.saving_usd,
            });
        }
        out
    }
}

/// The scenario a leg is: its share of the requests, its sizes, tier, models, target and
/// residency. A cascade leg that escalates `next` of its requests spends its attempt's
/// output on those, so it is sized for the mean.
fn leg_scenario(s: &Scenario, r: &Routing, i: usize, arriving: f64) -> Scenario {
    let leg = &r.legs[i];
    let mut x = s.clone();
    x.routing = None;
    x.name = format!("{} · {}", s.name, leg.name);
    x.workload.requests_per_day = s.workload.requests_per_day * arriving;
    x.workload.input_tokens = leg.input_tokens.unwrap_or(s.workload.input_tokens);
    let full = leg.output_tokens.unwrap_or(s.workload.output_tokens);
    let next = match r.pattern {
        RoutingPattern::Cascade => r.legs.get(i + 1).and_then(|l| l.escalation),
        RoutingPattern::Router => None,
    };
    x.workload.output_tokens = match next {
        Some(e) => {
            let attempt = leg.attempt_output_tokens.unwrap_or(full);
            // At least a token: an attempt that writes nothing still reads its prompt.
            round2(((1.0 - e) * full + e * attempt).max(1.0))
        }
        None => full,
    };
    x.workload.reasoning_tokens = leg.reasoning_tokens.unwrap_or(s.workload.reasoning_tokens);
    if let Some(t) = leg.ttft_ms {
        x.latency.ttft_ms = t;
    }
    if let Some(res) = &leg.residency {
        x.residency = res.clone();
    }
    apply_model_choice(&mut x, leg);
    x
}

/// Prices every leg in order (a cascade's later legs wait on the earlier attempts' time),
/// then pools legs that landed on the same model. `full` keeps each leg's whole plan for
/// its rationale; the break-even search needs only the costs.
fn price_legs(
    s: &Scenario,
    r: &Routing,
    catalog: &Catalog,
    on: Date,
    router: &Router,
    full: bool,
) -> Result<Priced, String> {
    let arriving = r.arriving();
    let mut legs: Vec<LegPriced> = Vec::with_capacity(r.legs.len());
    let mut warnings = Vec::new();
    // Cascade: time the earlier attempts took before this leg starts (escalated requests).
    let mut prior_ms: Option<f64> = Some(0.0);
    let last = r.legs.len().saturating_sub(1);
    // Cascade: each later leg's own first token at its full target, so the attempts before
    // it can leave room for it.
    let mut later_ttft: Vec<Option<f64>> = vec![None; r.legs.len()];
    if r.pattern == RoutingPattern::Cascade {
        for (k, slot) in later_ttft.iter_mut().enumerate().skip(1) {
            let x = leg_scenario(s, r, k, arriving[k]);
            *slot = first_feasible(&x, catalog, on)?.ok().and_then(|o| o.latency.ttft_ms);
        }
    }
    for (i, leg) in r.legs.iter().enumerate() {
        let mut x = leg_scenario(s, r, i, arriving[i]);
        let target = x.latency.ttft_ms;
        // Time spent before the leg's own deployment starts.
        let before = match r.pattern {
            RoutingPattern::Router => router.cost.added_ms.or(Some(0.0)),
            RoutingPattern::Cascade => prior_ms,
        };
        let gated = r.pattern == RoutingPattern::Cascade && i < last;
        let mut violations = Vec::new();
        // The leg's own deployment gets what the target leaves.
        if let Some(b) = before
            && b > 0.0
        {
            x.latency.ttft_ms = target - b;
        }
        let idle = arriving[i] <= 0.0;
        // What the leg's own deployment may take to its first token.
        let budget_ms = x.latency.ttft_ms;
        let (pick, plan) = if idle {
            // No request reaches the leg: nothing is deployed for it.
            (None, None)
        } else if x.latency.ttft_ms <= 0.0 {
            violations.push(format!(
                "{} ms of the {} ms time-to-first-token target are spent before this leg starts ({}), leaving nothing for it",
                fmt_num(before.unwrap_or(0.0).round()),
                fmt_num(target),
                before_what(r)
            ));
            x.latency.ttft_ms = target;
            (None, None)
        } else {
            let full_out = leg.output_tokens.unwrap_or(s.workload.output_tokens);
            let mut limits = Vec::new();
            if gated {
                // An accepted answer is shown whole within the leg's target; an escalated
                // one leaves each later leg its first token, the time to it split evenly
                // between the attempts still to come.
                let spent = before.unwrap_or(0.0);
                limits.push((full_out, x.latency.ttft_ms));
                let attempt = leg.attempt_output_tokens.unwrap_or(full_out);
                let escalation_budget = (i + 1..r.legs.len())
                    .filter(|&k| arriving[k] > 0.0)
                    .filter_map(|k| {
                        let first_token = later_ttft.get(k).copied().flatten()?;
                        let target_k = r.legs[k].ttft_ms.unwrap_or(s.latency.ttft_ms);
                        Some((target_k - first_token - spent) / (k - i) as f64)
                    })
                    .fold(f64::INFINITY, f64::min);
                if escalation_budget.is_finite() {
                    limits.push((attempt, escalation_budget));
                }
            }
            pick_leg(&mut x, catalog, on, full, &limits)?
        };
        x.latency.ttft_ms = target;
        if pick.is_none() && violations.is_empty() && !idle {
            violations.push("no deployment option is feasible for this leg".into());
        }
        let own = pick.as_ref().and_then(|o| o.latency.ttft_ms);
        let speed = pick.as_ref().and_then(|o| o.latency.output_tokens_per_s);
        let full_out = leg.output_tokens.unwrap_or(s.workload.output_tokens);
        // What the user waits for: the leg's first token after what came before, or for a
        // gated cascade attempt the whole answer (it is shown only once its confidence
        // check passes).
        let seen = match (before, pick.as_ref()) {
            (Some(b), Some(o)) if gated => time_to_answer(o, full_out).map(|t| b + t),
            (Some(b), Some(_)) => own.map(|t| b + t),
            _ => None,
        };
        let basis = match (r.pattern, gated, before) {
            (RoutingPattern::Router, _, Some(b)) if b > 0.0 => {
                format!("router {} ms + this leg's time to first token", fmt_num(b.round()))
            }
            (RoutingPattern::Router, _, _) => "this leg's time to first token".to_string(),
            (RoutingPattern::Cascade, true, _) if i == 0 => {
                "the whole first attempt: a cascade shows an answer only after its confidence check".to_string()
            }
            (RoutingPattern::Cascade, true, Some(b)) => format!(
                "earlier attempts {} ms + this attempt written whole (shown after its confidence check)",
                fmt_num(b.round())
            ),
            _ if idle => "no requests reach this leg".to_string(),
            (RoutingPattern::Cascade, false, Some(b)) => format!(
                "earlier attempts {} ms + this leg's time to first token",
                fmt_num(b.round())
            ),
            (_, _, None) => "not known: an earlier step's latency is not known".to_string(),
        };
        if let Some(t) = seen
            && t > target
            && violations.is_empty()
        {
            violations.push(format!(
                "end to end the answer starts after {} ms ({basis}), over the {} ms target",
                fmt_num(t.round()),
                fmt_num(target)
            ));
        }
        if pick.is_some() && seen.is_none() && !idle {
            warnings.push(format!(
                "{}: the end-to-end latency is not known (a part of it has no figure), so its target is not checked.",
                leg.name
            ));
        }
        // The time escalated requests carry into the next leg.
        if r.pattern == RoutingPattern::Cascade {
            let attempt = leg.attempt_output_tokens.unwrap_or(full_out);
            prior_ms = match (prior_ms, pick.as_ref()) {
                (Some(p), Some(o)) => time_to_answer(o, attempt).map(|t| p + t),
                _ => None,
            };
        }
        let escalated = match (r.pattern, r.legs.get(i + 1).and_then(|l| l.escalation), &pick) {
            (RoutingPattern::Cascade, Some(e), Some(o)) => {
                let input = x.workload.input_tokens;
                let attempt = leg.attempt_output_tokens.unwrap_or(full_out);
                let spent = e * (input + attempt);
                let all = (1.0 - e) * (input + full_out) + spent;
                let frac = if all > 0.0 { spent / all } else { 0.0 };
                o.monthly_cost_usd.unwrap_or_default() * dec(frac).unwrap_or_default()
            }
            _ => Decimal::ZERO,
        };
        legs.push(LegPriced {
            leg: leg.clone(),
            share: round6(arriving[i]),
            escalation: match r.pattern {
                RoutingPattern::Cascade if i > 0 => leg.escalation,
                _ => None,
            },
            latency: LegLatency {
                ttft_ms: seen.map(|t| t.round()),
                target_ttft_ms: target,
                leg_ttft_ms: own,
                output_tokens_per_s: speed,
                basis,
            },
            scenario: x,
            pick,
            plan,
            idle,
            budget_ms,
            gated,
            violations,
            warnings: if idle {
                vec!["No requests reach this leg: nothing is deployed for it.".to_string()]
            } else {
                Vec::new()
            },
            pool: None,
            escalated,
        });
    }
    let pools = pool(&mut legs, catalog, on)?;
    let escalated = legs.iter().map(|l| l.escalated).sum();
    Ok(Priced {
        legs,
        pools,
        escalated,
        warnings,
    })
}

fn before_what(r: &Routing) -> &'static str {
    match r.pattern {
        RoutingPattern::Router => "the router",
        RoutingPattern::Cascade => "the earlier attempts",
    }
}

/// Legs whose winners run the same model on the same deployment option are tried as one
/// deployment of it, sized for their combined load: request-weighted token sizes, the
/// tightest of their time budgets (each leg's target less what the router or the earlier
/// attempts took), one rounding up of PTUs or replicas, one set of minimum replicas, one
/// fine-tuned deployment's hosting fee. A pool is kept when it costs less than the legs
/// apart (per-token prices without a fixed part add up the same, so they never pool). A
/// cascade's gated attempts are sized for their whole answer and are not pooled.
fn pool(legs: &mut [LegPriced], catalog: &Catalog, on: Date) -> Result<Vec<Pool>, String> {
    let mut pools = Vec::new();
    let mut seen: Vec<(String, OptionId)> = Vec::new();
    for i in 0..legs.len() {
        let Some(key) = legs[i].pick.as_ref().map(|o| (o.model.clone(), o.option)) else {
            continue;
        };
        if seen.contains(&key) || legs[i].gated {
            continue;
        }
        seen.push(key.clone());
        let members: Vec<usize> = (0..legs.len())
            .filter(|&j| !legs[j].gated)
            .filter(|&j| {
                legs[j]
                    .pick
                    .as_ref()
                    .is_some_and(|o| (o.model.as_str(), o.option) == (key.0.as_str(), key.1))
            })
            .filter(|&j| legs[j].scenario.residency == legs[i].scenario.residency)
            .collect();
        if members.len() < 2 {
            continue;
        }
        let requests: f64 = members
            .iter()
            .map(|&j| legs[j].scenario.workload.requests_per_day)
            .sum();
        if requests <= 0.0 {
            continue;
        }
        let mean = |f: &dyn Fn(&Scenario) -> f64| {
            members
                .iter()
                .map(|&j| f(&legs[j].scenario) * legs[j].scenario.workload.requests_per_day)
                .sum::<f64>()
                / requests
        };
        let mut x = legs[i].scenario.clone();
        x.name = format!("{} (pooled)", x.name);
        x.workload.requests_per_day = requests;
        x.workload.input_tokens = round2(mean(&|s| s.workload.input_tokens));
        x.workload.output_tokens = round2(mean(&|s| s.workload.output_tokens).max(1.0));
        x.workload.reasoning_tokens = round2(mean(&|s| s.workload.reasoning_tokens));
        x.workload.cached_input_share = mean(&|s| s.workload.cached_input_share);
        x.latency.ttft_ms = members.iter().map(|&j| legs[j].budget_ms).fold(f64::INFINITY, f64::min);
        x.models = vec![key.0.clone()];
        let separate: Decimal = members.iter().filter_map(|&j| legs[j].cost()).sum();
        let pooled = options_of(&x, catalog, on)?
            .into_iter()
            .find(|o| o.option == key.1 && o.feasible && o.monthly_cost_usd.is_some());
        let Some(cost) = pooled.and_then(|o| o.monthly_cost_usd) else {
            continue;
        };
        // A saving below a cent, or below a hundredth of a percent, is rounding.
        let floor = (separate / Decimal::from(10_000)).max(Decimal::new(1, 2));
        if separate - cost < floor {
            continue;
        }
        let at = pools.len();
        for &j in &members {
            legs[j].pool = Some(at);
        }
        pools.push(Pool {
            model: key.0,
            option: key.1,
            legs: members.iter().map(|&j| legs[j].leg.name.clone()).collect(),
            separate_usd: separate,
            pooled_usd: cost,
            saving_usd: separate - cost,
        });
    }
    Ok(pools)
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// The last leg's escalation rate (cascade) or share (router, taken from the first leg) at
/// which the hybrid costs what the single model does: a scan of the range, then bisection
/// of the first crossing to a thousandth.
fn break_even(
    s: &Scenario,
    r: &Routing,
    catalog: &Catalog,
    on: Date,
    router: &Router,
    priced: &Priced,
    single: Decimal,
) -> Result<(Option<f64>, String), String> {
    let n = r.legs.len();
    if n < 2 {
        return Ok((None, String::new()));
    }
    let last_name = r.legs[n - 1].name.clone();
    let first_name = r.legs[0].name.clone();
    let (lo_v, hi_v) = match r.pattern {
        RoutingPattern::Cascade => (0.0, 1.0),
        RoutingPattern::Router => (0.0, r.legs[0].share.unwrap_or(0.0) + r.legs[n - 1].share.unwrap_or(0.0)),
    };
    let with = |v: f64| -> Routing {
        let mut m = r.clone();
        match m.pattern {
            RoutingPattern::Cascade => m.legs[n - 1].escalation = Some(v),
            RoutingPattern::Router => {
                m.legs[0].share = Some(hi_v - v);
                m.legs[n - 1].share = Some(v);
            }
        }
        m
    };
    // The legs the search moves: a cascade's last (its volume), a router's first and last.
    let moving: Vec<usize> = match r.pattern {
        RoutingPattern::Cascade => vec![n - 1],
        RoutingPattern::Router => vec![0, n - 1],
    };
    // Fast path: when only those legs' volumes move (no pool to re-form; a cascade's
    // escalating leg spends its full output on an attempt, so its own tokens do not move),
    // each moving leg's cost at another volume is the cheapest of its feasible options'
    // cost curves (configuration fixed, replicas or PTUs re-counted), as the volume
    // break-even search does. Otherwise each point re-prices the legs.
    let escalating_is_whole = r.pattern == RoutingPattern::Router || {
        let l = &r.legs[n - 2];
        l.attempt_output_tokens
            .is_none_or(|a| a == l.output_tokens.unwrap_or(s.workload.output_tokens))
    };
    let fast = priced.pools.is_empty()
        && escalating_is_whole
        && moving
            .iter()
            .all(|&k| priced.legs[k].plan.is_some() && !priced.legs[k].idle);
    let fixed: Option<f64> = if fast {
        let mut t = router.cost.monthly_cost_usd.and_then(|c| f64::try_from(c).ok());
        for (k, l) in priced.legs.iter().enumerate() {
            if !moving.contains(&k) {
                t = t.zip(l.cost().and_then(|c| f64::try_from(c).ok())).map(|(a, b)| a + b);
            }
        }
        t
    } else {
        None
    };
    let single_f = f64::try_from(single).unwrap_or(f64::MAX);
    // Hybrid less single: negative while the hybrid is cheaper.
    let diff = |v: f64| -> Result<Option<f64>, String> {
        if let Some(base) = fixed {
            let m = with(v);
            let reach = m.arriving();
            let mut t = base;
            for &k in &moving {
                let Some(c) = leg_curve_cost(&priced.legs[k], s.workload.requests_per_day * reach[k]) else {
                    return Ok(None);
                };
                t += c;
            }
            // Within a cent counts as equal: a tie is not a crossing.
            return Ok(Some(((t - single_f) * 100.0).round() / 100.0));
        }
        let m = with(v);
        let p = price_legs(s, &m, catalog, on, router, false)?;
        let feasible = p.legs.iter().all(|l| l.violations.is_empty());
        // Within a cent counts as equal: a tie is not a crossing.
        Ok(p.total(router)
            .filter(|_| feasible)
            .and_then(|t| f64::try_from((t - single).round_dp(2)).ok()))
    };
    let steps = 8;
    let mut prev: Option<(f64, f64)> = None;
    let what = match r.pattern {
        RoutingPattern::Cascade => format!("of `{}` requests escalating to `{last_name}`", r.legs[n - 2].name),
        RoutingPattern::Router => format!("of requests on `{last_name}` (taken from `{first_name}`)"),
    };
    let pattern = r.pattern.id();
    // A cascade's single model (straight to its last leg) does not move with the rate; a
    // router's would move with the mix, so its break-even is against the plan as it stands.
    let against = match r.pattern {
        RoutingPattern::Cascade => "the single model",
        RoutingPattern::Router => "the single model at today's mix",
    };
    let mut first: Option<f64> = None;
    for k in 0..=steps {
        let v = lo_v + (hi_v - lo_v) * f64::from(k) / f64::from(steps);
        let Some(d) = diff(v)? else {
            prev = None;
            continue;
        };
        first.get_or_insert(d);
        if let Some((pv, pd)) = prev
            && pd * d < 0.0
        {
            let (mut a, mut b, mut da) = (pv, v, pd);
            while b - a > 5e-4 {
                let mid = (a + b) / 2.0;
                match diff(mid)? {
                    Some(dm) if dm * da > 0.0 => {
                        a = mid;
                        da = dm;
                    }
                    Some(_) => b = mid,
                    None => break,
                }
            }
            let at = ((a + b) / 2.0 * 1000.0).round() / 1000.0;
            let (side, verb) = if pd < 0.0 { ("more", "more") } else { ("less", "more") };
            let note = format!(
                "With {side} than {:.1}% {what}, the {pattern} costs {verb} than {against} ({}): the break-even.",
                at * 100.0,
                usd_whole(single)
            );
            return Ok((Some(at), note));
        }
        if d != 0.0 {
            prev = Some((v, d));
        }
    }
    let note = match first {
        Some(d) if d == 0.0 && prev.is_none() => format!(
            "No break-even: the {pattern} costs the same as the single model with anywhere from {:.0}% to {:.0}% {what}.",
            lo_v * 100.0,
            hi_v * 100.0
        ),
        Some(d) if d < 0.0 => format!(
            "No break-even: the {pattern} costs less than {against} with anywhere from {:.0}% to {:.0}% {what}.",
            lo_v * 100.0,
            hi_v * 100.0
        ),
        Some(_) => format!(
            "No break-even: the {pattern} never costs less than {against} ({}) with anywhere from {:.0}% to {:.0}% {what}.",
            usd_whole(single),
            lo_v * 100.0,
            hi_v * 100.0
        ),
        None => format!("No break-even: the {pattern} is not feasible with any share {what}."),
    };
    Ok((None, note))
}

/// A leg's cost at another daily volume: nothing at none, else the cheapest of its feasible
/// options' cost curves (`None` when it has none).
fn leg_curve_cost(l: &LegPriced, requests_per_day: f64) -> Option<f64> {
    if requests_per_day <= 0.0 {
        return Some(0.0);
    }
    let plan = l.plan.as_ref()?;
    let d = Demand::with_volume(&l.scenario, requests_per_day);
    plan.options
        .iter()
        .filter(|o| o.feasible && o.monthly_cost_usd.is_some())
        .filter_map(|o| o.curve.as_ref().map(|c| c.monthly_f64(&d)))
        .filter(|x| x.is_finite())
        .min_by(f64::total_cmp)
}

/// The seeds' claimed savings for the patterns this plan is (module 2, "Practical Model
/// Pairing Patterns"), each checked against what the plan measures.
fn claims(
    catalog: &Catalog,
    r: &Routing,
    legs: &[LegResult],
    priced: &Priced,
    router: &Router,
    plan: &Plan,
    saving_pct: Option<f64>,
) -> Vec<Claim> {
    let verdict = |m: Option<f64>, lo: f64, hi: f64| match m {
        None => "not measured",
        Some(x) if x < lo => "below",
        Some(x) if x > hi => "above",
        Some(_) => "within",
    };
    let mut out = Vec::new();
    let mut add = |pattern: &'static str, lo: f64, hi: f64, basis: &'static str, m: Option<f64>| {
        out.push(Claim {
            pattern,
            claimed_low_percent: lo,
            claimed_high_percent: hi,
            basis,
            measured_percent: m,
            verdict: verdict(m, lo, hi),
        });
    };
    // Edge + Cloud: a leg on owned hardware beside one that is not.
    let local = |l: &LegResult| l.option == Some(OptionId::SelfHosted(crate::vocab::Place::OnPremises));
    let edge = legs.iter().any(local) && legs.iter().any(|l| !local(l));
    match r.pattern {
        RoutingPattern::Cascade => add("Small-then-Large", 50.0, 70.0, "all costs", saving_pct),
        RoutingPattern::Router => {
            if matches!(r.router, RouterStep::Classifier { .. }) {
                add("Classifier + Worker", 40.0, 60.0, "all costs", saving_pct);
            }
            let catalog_reasoning = |l: &LegResult| {
                l.model
                    .as_deref()
                    .and_then(|m| catalog.model(m))
                    .is_some_and(|m| m.reasoning)
            };
            if let Some(last) = legs.last()
                && catalog_reasoning(last)
                && legs[..legs.len() - 1].iter().any(|l| !catalog_reasoning(l))
            {
                add("Reasoning on Demand", 60.0, 80.0, "all costs", saving_pct);
            }
        }
    }
    if edge {
        // API spend: what is billed per token, before and after.
        let per_token = |o: Option<OptionId>| o.is_some_and(|o| o.billing() == Billing::PerToken);
        let single_api = plan
            .recommendation
            .as_ref()
            .filter(|x| per_token(Some(x.option)))
            .map(|x| x.monthly_cost_usd);
        let mut hybrid_api = Decimal::ZERO;
        for l in &priced.legs {
            if per_token(l.pick.as_ref().map(|o| o.option)) {
                hybrid_api += l.cost().unwrap_or_default();
            }
        }
        if per_token(router.cost.option) {
            hybrid_api += router.cost.monthly_cost_usd.unwrap_or_default();
        }
        let m = single_api
            .filter(|c| *c > Decimal::ZERO)
            .and_then(|c| f64::try_from((c - hybrid_api) / c).ok())
            .map(|x| (x * 1000.0).round() / 10.0);
        add("Edge + Cloud", 30.0, 50.0, "API spend only", m);
    }
    out
}

/// The line that opens the single-model recommendation's rationale: how the hybrid plan
/// compares.
fn verdict_line(h: &Hybrid, saving: Option<Decimal>, pct: Option<f64>) -> String {
    match (h.feasible, h.monthly_cost_usd, saving, pct) {
        (true, Some(t), Some(d), _) if d.round_dp(2).is_zero() => format!(
            "The {} plan (legs below) costs the same as this single model ({}/month): routing changes nothing on cost here.",
            h.pattern,
            usd_whole(t)
        ),
        (true, Some(t), Some(d), Some(p)) if d > Decimal::ZERO => format!(
            "The {} plan (legs below) costs {}/month, {} ({p:.1}%) less than this single model: build the {}.",
            h.pattern,
            usd_whole(t),
            usd_whole(d),
            h.pattern
        ),
        (true, Some(t), Some(d), Some(p)) => format!(
            "The {} plan (legs below) costs {}/month, {} ({:.1}%) more than this single model: routing pays here only for what the single model lacks (quality, latency, where the data stays).",
            h.pattern,
            usd_whole(t),
            usd_whole(-d),
            -p
        ),
        (true, Some(t), _, _) => format!(
            "The {} plan costs {}/month; no single model can serve all the traffic.",
            h.pattern,
            usd_whole(t)
        ),
        _ => format!(
            "The {} plan is not feasible as given ({}); this single model is the plan.",
            h.pattern,
            h.violations
                .first()
                .map_or("a leg has no priced option", String::as_str)
        ),
    }
}

fn rationale(
    r: &Routing,
    legs: &[LegResult],
    h: &Hybrid,
    plan: &Plan,
    saving: Option<Decimal>,
    pct: Option<f64>,
) -> Vec<String> {
    let mut out = Vec::new();
    let single = plan
        .recommendation
        .as_ref()
        .map(|x| format!("{} on {} ({})", x.model, x.option, usd_whole(x.monthly_cost_usd)));
    out.push(match (h.monthly_cost_usd, &single, saving, pct) {
        (Some(t), Some(one), Some(d), _) if d.round_dp(2).is_zero() => format!(
            "{} plan, {} legs: {}/month, the same as {one} for every request.",
            capital(h.pattern),
            legs.len(),
            usd_whole(t)
        ),
        (Some(t), Some(one), Some(d), Some(p)) if d >= Decimal::ZERO => format!(
            "{} plan, {} legs: {}/month against {one} for every request: saves {} ({p:.1}%).",
            capital(h.pattern),
            legs.len(),
            usd_whole(t),
            usd_whole(d)
        ),
        (Some(t), Some(one), Some(d), Some(p)) => format!(
            "{} plan, {} legs: {}/month against {one} for every request: costs {} ({:.1}%) more.",
            capital(h.pattern),
            legs.len(),
            usd_whole(t),
            usd_whole(-d),
            -p
        ),
        (Some(t), None, _, _) => format!(
            "{} plan, {} legs: {}/month; no single model can serve every request.",
            capital(h.pattern),
            legs.len(),
            usd_whole(t)
        ),
        _ => format!(
            "{} plan, {} legs: not feasible as given.",
            capital(h.pattern),
            legs.len()
        ),
    });
    for l in legs {
        let traffic = format!(
            "{:.1}% of requests, {} a day",
            l.share * 100.0,
            crate::text::thousands(l.requests_per_day.round() as u64)
        );
        out.push(match (&l.model, l.option, l.monthly_cost_usd) {
            (Some(m), Some(o), Some(c)) => format!(
                "{} ({traffic}): {m} on {o} at {}/month{}.",
                l.name,
                usd_whole(c),
                l.pool.map_or(String::new(), |_| ", in a pooled deployment".to_string())
            ),
            _ if l.requests_per_day <= 0.0 => format!("{} ({traffic}): no requests, nothing deployed.", l.name),
            _ => format!("{} ({traffic}): no feasible option.", l.name),
        });
    }
    match (&r.router, h.router.monthly_cost_usd) {
        (RouterStep::Classifier { model, .. }, Some(c)) => out.push(format!(
            "Router: {model} reads every request{}: {}/month{}.",
            h.router.option.map_or(String::new(), |o| format!(" on {o}")),
            usd_whole(c),
            h.router.added_ms.map_or(String::new(), |ms| format!(
                ", adding ~{} ms before each leg starts",
                fmt_num(ms.round())
            ))
        )),
        (RouterStep::PerRequest { usd }, Some(c)) => out.push(format!(
            "Router: a fee of {} a request, {}/month.",
            crate::text::usd(*usd),
            usd_whole(c)
        )),
        _ => {}
    }
    for p in &h.pools {
        out.push(format!(
            "Pooled: {} ({}) share one {} deployment sized for their combined peak: {} instead of {} apart.",
            p.legs.join(" and "),
            p.model,
            p.option,
            usd_whole(p.pooled_usd),
            usd_whole(p.separate_usd)
        ));
    }
    if let Some(e) = h.escalated_attempts_usd
        && e > Decimal::ZERO
    {
        out.push(format!(
            "Attempts that escalated cost {}/month: the price of trying the cheaper leg first.",
            usd_whole(e)
        ));
    }
    if !h.break_even_note.is_empty() {
        out.push(h.break_even_note.clone());
    }
    for c in &h.claims {
        let measured = c
            .measured_percent
            .map_or("cannot be measured".to_string(), |m| format!("{m:.1}%"));
        out.push(format!(
            "The seeds claim {}–{}% savings for {} ({}); this plan: {measured}, {} the claim.",
            c.claimed_low_percent, c.claimed_high_percent, c.pattern, c.basis, c.verdict
        ));
    }
    for l in legs {
        if let (Some(t), false) = (l.latency.ttft_ms, l.violations.iter().any(|v| v.contains("end to end"))) {
            out.push(format!(
                "{}: answer starts ~{} ms end to end ({}), target {} ms.",
                l.name,
                fmt_num(t),
                l.latency.basis,
                fmt_num(l.latency.target_ttft_ms)
            ));
        }
    }
    out
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
