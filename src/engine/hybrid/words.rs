//! The seeds' savings claims checked, and the hybrid plan's verdict and rationale in words.

use super::*;

/// The seeds' claimed savings for the patterns this plan is (module 2, "Practical Model
/// Pairing Patterns"), each checked against what the plan measures.
pub(super) fn claims(
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
pub(super) fn verdict_line(h: &Hybrid, saving: Option<Decimal>, pct: Option<f64>) -> String {
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

pub(super) fn rationale(
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

pub(super) fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
