//! Each leg priced: its scenario, its winner (a cascade's gated attempts sized to show their
//! whole answer in time), its latency end to end, and legs pooled onto one deployment.

use super::*;

/// Rounds of raising a gated attempt's streaming speed until its whole answer fits, and
/// halvings of the range between the last speed that did not fit and the first that did.
pub(super) const GATED_ROUNDS: usize = 3;
pub(super) const GATED_BISECTIONS: usize = 5;

/// The leg's winner (and with `full` its whole plan). A gated cascade attempt has `limits`:
/// (tokens, ms) pairs, each a number of output tokens it must have written within a time
/// (its whole answer within its target; its attempt within what the later legs leave). The
/// streaming speed it needs is raised from the scenario's until the winner meets every
/// limit, or no option can.
pub(super) fn pick_leg(
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

/// One leg priced.
pub(super) struct LegPriced {
    pub(super) leg: Leg,
    pub(super) share: f64,
    pub(super) escalation: Option<f64>,
    pub(super) scenario: Scenario,
    /// The leg's own winner (the cheapest feasible option).
    pub(super) pick: Option<OptionResult>,
    /// The leg's full plan, for its rationale (the main evaluation only).
    pub(super) plan: Option<Plan>,
    /// No request reaches the leg (a share or escalation of 0): it costs nothing.
    pub(super) idle: bool,
    /// The time to first token the leg's own deployment may take: its target less what the
    /// router or the earlier attempts spent.
    pub(super) budget_ms: f64,
    /// A cascade attempt shown only after its confidence check (sized for its whole answer).
    pub(super) gated: bool,
    pub(super) violations: Vec<String>,
    pub(super) warnings: Vec<String>,
    pub(super) latency: LegLatency,
    pub(super) pool: Option<usize>,
    /// Part of the leg's cost spent on attempts that escalated (cascade).
    pub(super) escalated: Decimal,
}

impl LegPriced {
    pub(super) fn cost(&self) -> Option<Decimal> {
        if self.idle {
            return Some(Decimal::ZERO);
        }
        self.pick.as_ref().and_then(|o| o.monthly_cost_usd)
    }

    pub(super) fn result(&self) -> LegResult {
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

pub(super) struct Priced {
    pub(super) legs: Vec<LegPriced>,
    pub(super) pools: Vec<Pool>,
    pub(super) escalated: Decimal,
    pub(super) warnings: Vec<String>,
}

impl Priced {
    /// Router + legs − what pooling saves; `None` when a leg or the router has no price.
    pub(super) fn total(&self, router: &Router) -> Option<Decimal> {
        let mut t = router.cost.monthly_cost_usd?;
        for l in &self.legs {
            t += l.cost()?;
        }
        Some(t - self.pools.iter().map(|p| p.saving_usd).sum::<Decimal>())
    }

    pub(super) fn breakdown(&self, router: &Router) -> Vec<CostLine> {
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
pub(super) fn leg_scenario(s: &Scenario, r: &Routing, i: usize, arriving: f64) -> Scenario {
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
pub(super) fn price_legs(
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

pub(super) fn before_what(r: &Routing) -> &'static str {
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
pub(super) fn pool(legs: &mut [LegPriced], catalog: &Catalog, on: Date) -> Result<Vec<Pool>, String> {
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
