//! Where a hybrid plan stops paying: the last leg's escalation rate or share at which it
//! costs what the single model does.

use super::*;

/// The last leg's escalation rate (cascade) or share (router, taken from the first leg) at
/// which the hybrid costs what the single model does: a scan of the range, then bisection
/// of the first crossing to a thousandth.
pub(super) fn break_even(
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
pub(super) fn leg_curve_cost(l: &LegPriced, requests_per_day: f64) -> Option<f64> {
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
