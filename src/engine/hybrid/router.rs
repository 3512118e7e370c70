//! The router step: a classifier priced and timed as a workload of its own, or a fee.

use super::*;

/// The router step priced: a classifier as a workload of its own (every request, its
/// tokens, its model, the scenario's data rules), or a fee per request.
pub(super) struct Router {
    pub(super) cost: RouterCost,
    pub(super) violations: Vec<String>,
    pub(super) estimate: bool,
}

/// The router's candidates: one for no router or a fee; for a classifier its cheapest
/// deployment and, when another answers sooner, the quickest (the plan keeps whichever makes
/// the whole cheaper).
pub(super) fn price_router(s: &Scenario, r: &Routing, catalog: &Catalog, on: Date) -> Result<Vec<Router>, String> {
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

/// Time from a request's arrival until a deployment has written `output` tokens: its time
/// to first token plus the rest at its streaming speed, ms.
pub(super) fn time_to_answer(o: &OptionResult, output: f64) -> Option<f64> {
    let ttft = o.latency.ttft_ms?;
    let speed = o.latency.output_tokens_per_s?;
    if speed <= 0.0 {
        return None;
    }
    Some(ttft + (output - 1.0).max(0.0) / speed * 1000.0)
}
