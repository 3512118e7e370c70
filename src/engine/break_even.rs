//! The volumes (requests a day) at which the best pay-as-you-go, provisioned and
//! self-hosted options cross.

use super::demand::Demand;
use super::plan::{BreakEven, Family, OptionResult, Plan};
use crate::scenario::Scenario;

/// Where the best pay-as-you-go, provisioned and self-hosted candidates cross, by bisection
/// over a log scale of requests per day from 1e2 to 1e9.
pub(super) fn break_even(s: &Scenario, plan: &Plan) -> Vec<BreakEven> {
    // Pay per token (Azure OpenAI Standard or Foundry serverless, whichever is cheaper),
    // provisioned capacity and owned GPUs: the three ways of paying that cross with volume.
    let per_token: &[Family] = &[Family::PayAsYouGo, Family::Serverless];
    let picks: Vec<&OptionResult> = [per_token, &[Family::Provisioned], &[Family::SelfHosted]]
        .into_iter()
        .filter_map(|f| plan.best_among(f))
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
