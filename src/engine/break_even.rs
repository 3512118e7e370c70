//! The volumes (requests a day) at which the best per-token, reserved-capacity and
//! GPU-hour options cross.

use super::demand::Demand;
use super::plan::{BreakEven, Family, OptionResult, Plan};
use crate::scenario::Scenario;
use crate::vocab::Billing;

/// Where the best per-token, reserved-capacity and GPU-hour candidates cross, by bisection
/// over a log scale of requests per day from 1e2 to 1e9.
pub(super) fn break_even(s: &Scenario, plan: &Plan) -> Vec<BreakEven> {
    // The three ways of paying that cross with volume, the cheapest of each whatever its
    // platform: per token (Azure OpenAI Standard, Foundry serverless, Databricks
    // pay-per-token, a provider's API; Batch is left out, it answers another latency),
    // reserved units (PTU, Databricks model units) and GPU hours (owned, or run by a platform).
    let best = |billing: Billing| {
        plan.options
            .iter()
            .filter(|o| {
                o.feasible && o.option.billing() == billing && o.family != Family::Batch && o.monthly_cost_usd.is_some()
            })
            .min_by(|a, b| a.monthly_cost_usd.cmp(&b.monthly_cost_usd))
    };
    let picks: Vec<&OptionResult> = [Billing::PerToken, Billing::Reserved, Billing::GpuHours]
        .into_iter()
        .filter_map(best)
        .collect();
    let tokens_per_request = s.workload.input_tokens + s.workload.output_tokens;
    let mut out = Vec::new();
    for i in 0..picks.len() {
        for j in i + 1..picks.len() {
            let (a, b) = (picks[i], picks[j]);
            let (Some(ca), Some(cb)) = (&a.curve, &b.curve) else {
                continue;
            };
            let diff = |v: f64| -> Option<f64> {
                let d = Demand::with_volume(s, v);
                let x = ca.monthly_f64(&d) - cb.monthly_f64(&d);
                x.is_finite().then_some(x)
            };
            // Scan 4 points a decade, then bisect the first sign change in log space.
            let mut prev: Option<(f64, f64)> = None;
            for k in 0..=28 {
                let v = 10f64.powf(2.0 + f64::from(k) / 4.0);
                let Some(dv) = diff(v) else {
                    prev = None;
                    continue;
                };
                if let Some((pv, pd)) = prev
                    && (pd < 0.0) != (dv < 0.0)
                {
                    let (mut lo, mut hi, mut dlo) = (pv.ln(), v.ln(), pd);
                    // 20 halvings of a quarter decade: a relative precision of 5e-7, below one
                    // request a day at a million a day.
                    for _ in 0..20 {
                        let mid = (lo + hi) / 2.0;
                        match diff(mid.exp()) {
                            Some(dm) if (dm < 0.0) == (dlo < 0.0) => {
                                lo = mid;
                                dlo = dm;
                            }
                            Some(_) => hi = mid,
                            None => break,
                        }
                    }
                    let at = ((lo + hi) / 2.0).exp().round();
                    out.push(BreakEven {
                        from: a.key(),
                        to: b.key(),
                        requests_per_day: at,
                        tokens_per_day: (at * tokens_per_request).round(),
                    });
                    break;
                }
                prev = Some((v, dv));
            }
        }
    }
    out
}
