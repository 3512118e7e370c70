//! Volume (and other) sweeps: the scenario evaluated at each step of one numeric field, with
//! the best option of each family and the recommendation per step.

use crate::date::Date;
use rust_decimal::Decimal;
use serde::Serialize;

use super::evaluate::evaluate;
use super::plan::{Plan, money};
use crate::catalog::Catalog;
use crate::scenario::{Scenario, fields, validate};
use crate::vocab::{Family, OptionId};

/// The option families a sweep reports, in column order.
pub const FAMILIES: [Family; 8] = Family::ALL;

/// Sets a sweep field (any numeric field of the registry, by key or path; whole fields are
/// rounded); `Err` for an unknown name, with the list of valid ones.
pub fn set_param(s: &mut Scenario, name: &str, v: f64) -> Result<(), String> {
    let (f, n) = fields::numeric_by_name(name).ok_or_else(|| {
        format!(
            "--param {} is not a numeric scenario field; accepted: {}",
            crate::text::terminal_line(name),
            fields::numeric_keys()
        )
    })?;
    if !f.id.applies(s) {
        return Err(format!(
            "--param {} does not apply to this scenario ({}); accepted here: {}",
            crate::text::terminal_line(name),
            not_applying(s, f),
            fields::numeric()
                .filter(|(g, _)| g.id.applies(s))
                .map(|(g, _)| g.key())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    n.set_f64(s, v);
    Ok(())
}

/// Why a routing field means nothing for a scenario, in words.
fn not_applying(s: &Scenario, f: &fields::FieldDef) -> String {
    let Some(r) = &s.routing else {
        return "it has no routing group".to_string();
    };
    match f.id {
        fields::FieldId::Leg(i, lf) if usize::from(i) >= r.legs.len() => {
            let _ = lf;
            format!("its routing group has {} legs, numbered from 0", r.legs.len())
        }
        fields::FieldId::Leg(_, fields::LegField::Share) => "a share is for a Router's legs".to_string(),
        fields::FieldId::Leg(_, fields::LegField::Escalation) => {
            "an escalation rate is for a Cascade's legs after the first".to_string()
        }
        fields::FieldId::Leg(..) => "attempt tokens are for the legs a Cascade escalates from".to_string(),
        _ => format!("its router is {}", r.router.kind()),
    }
}

/// The best option of a family (or the recommendation) at one step.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Pick {
    pub option: OptionId,
    pub model: String,
    #[serde(serialize_with = "money")]
    pub monthly_cost_usd: Decimal,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Step {
    pub value: f64,
    /// The cheapest feasible option of each family, in [`FAMILIES`] order (null when none).
    pub best: Vec<Option<Pick>>,
    pub recommended: Option<Pick>,
    /// A routed scenario: the hybrid plan at this step (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hybrid: Option<HybridStep>,
}

/// A hybrid plan at one sweep step: its total, its saving against the single model (the
/// step's `recommended`), and each leg's winner.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct HybridStep {
    pub feasible: bool,
    #[serde(serialize_with = "super::plan::opt_money")]
    pub monthly_cost_usd: Option<Decimal>,
    #[serde(serialize_with = "super::plan::opt_money")]
    pub saving_usd: Option<Decimal>,
    pub legs: Vec<LegPick>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LegPick {
    pub name: String,
    pub share: f64,
    pub option: Option<OptionId>,
    pub model: Option<String>,
    #[serde(serialize_with = "super::plan::opt_money")]
    pub monthly_cost_usd: Option<Decimal>,
}

/// Where the best of two families cross between two steps (interpolated).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Crossing {
    pub from: Family,
    pub to: Family,
    pub value: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Sweep {
    pub param: String,
    pub from: f64,
    pub to: f64,
    pub steps: usize,
    pub log: bool,
    pub families: Vec<Family>,
    pub rows: Vec<Step>,
    pub break_even: Vec<Crossing>,
}

fn step_of(value: f64, plan: &Plan) -> Step {
    let best = FAMILIES
        .iter()
        .map(|f| {
            plan.options
                .iter()
                .filter(|o| o.feasible && o.family == *f)
                .filter_map(|o| o.monthly_cost_usd.map(|c| (o, c)))
                .min_by(|a, b| a.1.cmp(&b.1))
                .map(|(o, c)| Pick {
                    option: o.option,
                    model: o.model.clone(),
                    monthly_cost_usd: c,
                })
        })
        .collect();
    Step {
        value,
        best,
        recommended: plan.recommendation.as_ref().map(|r| Pick {
            option: r.option,
            model: r.model.clone(),
            monthly_cost_usd: r.monthly_cost_usd,
        }),
        hybrid: plan.hybrid.as_ref().map(|h| HybridStep {
            feasible: h.feasible,
            monthly_cost_usd: h.monthly_cost_usd,
            saving_usd: plan.single_model.as_ref().and_then(|m| m.saving_usd),
            legs: plan
                .legs
                .iter()
                .map(|l| LegPick {
                    name: l.name.clone(),
                    share: l.share,
                    option: l.option,
                    model: l.model.clone(),
                    monthly_cost_usd: l.monthly_cost_usd,
                })
                .collect(),
        }),
    }
}

/// The values of the steps from `from` to `to`.
pub fn values(from: f64, to: f64, steps: usize, log: bool) -> Vec<f64> {
    // `-0` is 0 (it would print as a "-0" row).
    let (from, to) = (from + 0.0, to + 0.0);
    if steps == 1 {
        return vec![from];
    }
    (0..steps)
        .map(|i| {
            if i == 0 {
                return from;
            }
            if i == steps - 1 {
                return to;
            }
            let t = i as f64 / (steps - 1) as f64;
            let v = if log {
                (from.ln() + t * (to.ln() - from.ln())).exp()
            } else {
                from + t * (to - from)
            };
            significant(v, 10)
        })
        .collect()
}

/// `v` rounded to `digits` significant digits (so steps read 31622.7766, not 31622.776601683773).
fn significant(v: f64, digits: i32) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let scale = 10f64.powi(digits - 1 - v.abs().log10().floor() as i32);
    if !scale.is_finite() || scale == 0.0 {
        return v;
    }
    (v * scale).round() / scale
}

/// Evaluates the scenario at each step. Steps are independent, so they are spread over the
/// machine's cores; the rows come back in step order.
/// What a sweep varies: one numeric field from `from` to `to` in `steps` steps, evenly or
/// (with `log`) geometrically spaced.
#[derive(Debug, Clone, Copy)]
pub struct Axis<'a> {
    pub param: &'a str,
    pub from: f64,
    pub to: f64,
    pub steps: usize,
    pub log: bool,
}

pub fn sweep(s: &Scenario, catalog: &Catalog, on: Date, axis: Axis<'_>) -> Result<Sweep, String> {
    let Axis {
        param,
        from,
        to,
        steps,
        log,
    } = axis;
    if !from.is_finite() || !to.is_finite() {
        return Err("--from and --to must be finite numbers".to_string());
    }
    if from > to {
        return Err(format!(
            "--from {from} is greater than --to {to}; give the smaller value first"
        ));
    }
    if steps == 0 || steps > 100_000 {
        return Err(format!("--steps {steps} is out of range; accepted: 1 to 100000"));
    }
    if log && from <= 0.0 {
        return Err(format!("--log needs positive bounds; --from is {from}"));
    }
    // Both ends must make a valid scenario; the fields' ranges are intervals, so every step
    // between them does too.
    for (flag, v) in [("--from", from), ("--to", to)] {
        let mut probe = s.clone();
        set_param(&mut probe, param, v)?;
        if let Some(issue) = validate(&probe).into_iter().next() {
            return Err(format!("{flag} {v}: {issue}"));
        }
    }
    let xs = values(from, to, steps, log);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let run = |i: usize| -> Result<Step, String> {
        let mut scenario = s.clone();
        set_param(&mut scenario, param, xs[i])?;
        Ok(step_of(xs[i], &evaluate(&scenario, catalog, on)?))
    };
    let mut rows: Vec<Option<Step>> = vec![None; xs.len()];
    if threads > 1 && xs.len() >= 8 {
        let results: Vec<Vec<(usize, Result<Step, String>)>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let run = &run;
                    let n = xs.len();
                    scope.spawn(move || (t..n).step_by(threads).map(|i| (i, run(i))).collect::<Vec<_>>())
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        vec![(usize::MAX, Err("internal error: a sweep thread failed".to_string()))]
                    })
                })
                .collect()
        });
        for (i, r) in results.into_iter().flatten() {
            let step = r?;
            if let Some(slot) = rows.get_mut(i) {
                *slot = Some(step);
            }
        }
    } else {
        for (i, slot) in rows.iter_mut().enumerate() {
            *slot = Some(run(i)?);
        }
    }
    let rows: Vec<Step> = rows.into_iter().flatten().collect();
    let break_even = crossings(&rows, log);
    Ok(Sweep {
        param: param.to_string(),
        from,
        to,
        steps,
        log,
        families: FAMILIES.to_vec(),
        rows,
        break_even,
    })
}

/// Where the best costs of two families change order between consecutive steps,
/// interpolated linearly (in log space for a log sweep).
fn crossings(rows: &[Step], log: bool) -> Vec<Crossing> {
    let mut out = Vec::new();
    let cost =
        |s: &Step, f: usize| -> Option<f64> { s.best[f].as_ref().and_then(|p| f64::try_from(p.monthly_cost_usd).ok()) };
    for (a, family_a) in FAMILIES.iter().enumerate() {
        for (b, family_b) in FAMILIES.iter().enumerate().skip(a + 1) {
            for w in rows.windows(2) {
                let (Some(a0), Some(b0), Some(a1), Some(b1)) =
                    (cost(&w[0], a), cost(&w[0], b), cost(&w[1], a), cost(&w[1], b))
                else {
                    continue;
                };
                let (d0, d1) = (a0 - b0, a1 - b1);
                if d0 == 0.0 || (d0 < 0.0) == (d1 < 0.0) {
                    continue;
                }
                let t = d0 / (d0 - d1);
                let (x0, x1) = if log {
                    (w[0].value.ln(), w[1].value.ln())
                } else {
                    (w[0].value, w[1].value)
                };
                let x = x0 + t * (x1 - x0);
                out.push(Crossing {
                    from: *family_a,
                    to: *family_b,
                    value: if log { x.exp() } else { x },
                });
            }
        }
    }
    out.sort_by(|x, y| x.value.total_cmp(&y.value));
    out
}

/// A labelled line of a chart: one value (or a gap) per point.
pub type Series = (String, Vec<Option<f64>>);

/// Monthly cost of the best option of each family against requests per day, from the plan's
/// cost curves (each option fixed, self-hosted fleets re-sized): cheap enough for charts, and
/// the same curves that locate the plan's break-even points. Returns the volumes (log-spaced,
/// spanning the scenario's volume and every break-even point) and one series per family.
pub fn volume_series(s: &Scenario, plan: &Plan, points: usize) -> (Vec<f64>, Vec<Series>) {
    let here = s.workload.requests_per_day.max(1.0);
    let mut lo = here / 100.0;
    let mut hi = here * 100.0;
    for b in &plan.break_even {
        lo = lo.min(b.requests_per_day / 3.0);
        hi = hi.max(b.requests_per_day * 3.0);
    }
    let (lo, hi) = (lo.clamp(10.0, 1e9), hi.clamp(100.0, 1e10));
    let volumes = values(lo, hi.max(lo * 10.0), points.max(2), true);
    let mut series = Vec::new();
    for f in FAMILIES {
        let Some(best) = plan
            .options
            .iter()
            .filter(|o| o.feasible && o.family == f && o.curve.is_some())
            .min_by(|a, b| a.monthly_cost_usd.cmp(&b.monthly_cost_usd))
        else {
            continue;
        };
        let Some(curve) = &best.curve else { continue };
        let ys = volumes
            .iter()
            .map(|v| {
                let c = curve.monthly_f64(&super::demand::Demand::with_volume(s, *v));
                c.is_finite().then_some(c)
            })
            .collect();
        series.push((format!("{}: {}", f.label(), best.model), ys));
    }
    (volumes, series)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_span_the_range() {
        assert_eq!(values(1.0, 3.0, 3, false), vec![1.0, 2.0, 3.0]);
        let v = values(100.0, 10_000.0, 3, true);
        assert!((v[1] - 1_000.0).abs() < 1e-9);
        assert_eq!(values(5.0, 5.0, 1, false), vec![5.0]);
        assert_eq!(values(1e4, 1e8, 9, true)[..3], [1e4, 31622.77660, 1e5]);
    }

    #[test]
    fn unknown_params_list_the_valid_ones() {
        let mut s = Scenario::example();
        let e = set_param(&mut s, "volume", 1.0).unwrap_err();
        assert!(
            e.starts_with("--param volume is not a numeric scenario field; accepted: requests_per_day, input_tokens")
        );
    }
}
