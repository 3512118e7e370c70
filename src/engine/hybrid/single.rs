//! The single-model plan a hybrid plan is compared with.

use super::*;

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
pub(super) fn single_model_plan(
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

pub(super) fn single_basis(s: &Scenario, r: &Routing) -> String {
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
pub(super) fn apply_model_choice(x: &mut Scenario, leg: &Leg) {
    if !leg.models.is_empty() {
        x.models = leg.models.clone();
    } else if leg.quality.is_some() {
        x.models.clear();
    }
    if let Some(q) = leg.quality {
        x.quality = q;
    }
}
