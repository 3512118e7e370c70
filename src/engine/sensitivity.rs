//! What moves the answer most: each input moved one step down and up (a number by the
//! workbench's `+`/`-` step, residency, quality and commitment to their neighbours), the
//! recommended monthly cost at each, ranked by the larger change (a tornado), and for each
//! number the nearest values either side where the recommendation flips.

use rust_decimal::Decimal;
use serde::Serialize;

use super::evaluate::evaluate;
use super::plan::Plan;
use crate::catalog::Catalog;
use crate::date::Date;
use crate::scenario::fields::{FIELDS, FieldId, Kind, Step, numeric};
use crate::scenario::{Scenario, edit, validate_with_catalog};

/// Doublings (or large steps) tried outward from the current value for a flip, and the
/// halvings that then place it.
const FLIP_SCAN: u32 = 4;
const FLIP_BISECTIONS: u32 = 6;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Sensitivity {
    pub scenario: String,
    pub plan_date: Date,
    pub base: Outcome,
    /// Ranked by `swing_usd`, largest first.
    pub rows: Vec<Row>,
}

/// What the plan recommends and what it costs a month.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Outcome {
    /// `option model`, `the router plan`, or `nothing feasible`.
    pub winner: String,
    #[serde(serialize_with = "super::plan::opt_money")]
    pub monthly_cost_usd: Option<Decimal>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Row {
    pub field: &'static str,
    pub label: String,
    pub value: String,
    /// One step down (or the previous choice); absent at the bottom of the range.
    pub low: Option<Move>,
    pub high: Option<Move>,
    /// The larger change in the recommended monthly cost of the two moves.
    #[serde(serialize_with = "super::plan::money")]
    pub swing_usd: Decimal,
    /// Where, moving this number alone, the recommendation changes: the nearest value
    /// below and above the current one, to within a few percent.
    pub flips: Vec<Flip>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Move {
    pub value: String,
    pub outcome: Outcome,
    #[serde(serialize_with = "super::plan::opt_money")]
    pub delta_usd: Option<Decimal>,
    /// The recommendation is another one.
    pub flips: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Flip {
    /// `below` or `above` the current value.
    pub direction: &'static str,
    pub at: f64,
    pub to: String,
}

fn outcome(plan: &Plan) -> Outcome {
    if let Some(h) = plan.hybrid.as_deref().filter(|h| h.recommended) {
        return Outcome {
            winner: format!("the {} plan", h.pattern),
            monthly_cost_usd: h.monthly_cost_usd,
        };
    }
    match &plan.recommendation {
        Some(r) => Outcome {
            winner: format!("{} {}", r.option, r.model),
            monthly_cost_usd: Some(r.monthly_cost_usd),
        },
        None => Outcome {
            winner: "nothing feasible".to_string(),
            monthly_cost_usd: None,
        },
    }
}

/// Each input of `s` moved a step either way, ranked by how much the recommended monthly
/// cost moves.
pub fn sensitivity(s: &Scenario, catalog: &Catalog, on: Date) -> Result<Sensitivity, String> {
    let base = outcome(&evaluate(s, catalog, on)?);
    let eval = |x: &Scenario| -> Result<Outcome, String> { Ok(outcome(&evaluate(x, catalog, on)?)) };
    let moved = |x: Scenario, id: FieldId| -> Result<Move, String> {
        let o = eval(&x)?;
        Ok(Move {
            value: edit::display(id, &x),
            delta_usd: o.monthly_cost_usd.zip(base.monthly_cost_usd).map(|(a, b)| a - b),
            flips: o.winner != base.winner,
            outcome: o,
        })
    };
    let ids: Vec<FieldId> = FIELDS
        .iter()
        .filter(|f| f.id.applies(s))
        .filter(|f| {
            matches!(f.kind, Kind::Number(_))
                || matches!(f.id, FieldId::Residency | FieldId::Quality | FieldId::Commitment)
        })
        // The training job's fields mean nothing without a fine-tune.
        .filter(|f| s.fine_tuning.is_some() || !f.path.starts_with("fine_tuning."))
        .map(|f| f.id)
        .collect();
    let row_of = |id: FieldId| -> Result<Option<Row>, String> {
        let def = crate::scenario::fields::field(id);
        let (low, high) = match def.kind {
            Kind::Number(_) => {
                let step = |up: bool| -> Option<Scenario> {
                    let mut x = s.clone();
                    edit::step(id, &mut x, catalog, up, false).then_some(x)
                };
                (step(false), step(true))
            }
            _ => {
                let items = edit::choices(id, s, catalog);
                let cur = items.iter().position(|c| c.selected);
                let pick = |k: Option<usize>| -> Option<Scenario> {
                    let k = k?;
                    let mut x = s.clone();
                    (edit::choose(id, &mut x, catalog, k) && validate_with_catalog(&x, catalog).is_empty()).then_some(x)
                };
                (
                    pick(cur.and_then(|c| c.checked_sub(1))),
                    pick(cur.map(|c| c + 1).filter(|k| *k < items.len())),
                )
            }
        };
        if low.is_none() && high.is_none() {
            return Ok(None);
        }
        let low = low.map(|x| moved(x, id)).transpose()?;
        let high = high.map(|x| moved(x, id)).transpose()?;
        let swing = [&low, &high]
            .iter()
            .filter_map(|m| m.as_ref().and_then(|m| m.delta_usd))
            .map(|d| d.abs())
            .max()
            .unwrap_or(Decimal::ZERO);
        let flips = match def.kind {
            Kind::Number(_) => flips(s, id, &base.winner, catalog, &eval)?,
            _ => Vec::new(),
        };
        Ok(Some(Row {
            field: def.path,
            label: format!("{} · {}", def.group, def.label),
            value: edit::display(id, s),
            low,
            high,
            swing_usd: swing,
            flips,
        }))
    };
    let mut rows = Vec::new();
    for id in ids {
        if let Some(r) = row_of(id)? {
            rows.push(r);
        }
    }
    rows.sort_by(|a, b| b.swing_usd.cmp(&a.swing_usd).then_with(|| a.field.cmp(b.field)));
    Ok(Sensitivity {
        scenario: s.name.clone(),
        plan_date: on,
        base,
        rows,
    })
}

/// The nearest values of a number, below and above the current one, where the
/// recommendation changes: outward by doublings (a decade-stepped number) or large steps,
/// then bisection between the last value with the same winner and the first without.
fn flips(
    s: &Scenario,
    id: FieldId,
    winner: &str,
    catalog: &Catalog,
    eval: &dyn Fn(&Scenario) -> Result<Outcome, String>,
) -> Result<Vec<Flip>, String> {
    let Some((_, n)) = numeric().find(|(f, _)| f.id == id) else {
        return Ok(Vec::new());
    };
    let Some(v0) = n.value(s) else { return Ok(Vec::new()) };
    let at = |v: f64| -> Result<Option<Outcome>, String> {
        let mut x = s.clone();
        n.set_f64(&mut x, v);
        if !validate_with_catalog(&x, catalog).is_empty() {
            return Ok(None);
        }
        eval(&x).map(Some)
    };
    let mut out = Vec::new();
    for (direction, up) in [("below", false), ("above", true)] {
        let next = |v: f64, k: u32| -> f64 {
            let x = match n.step {
                Step::Decade { min_step } => {
                    if up {
                        (v * 2.0).max(v + min_step)
                    } else {
                        v / 2.0
                    }
                }
                Step::Linear { large, .. } => {
                    if up {
                        v + large * f64::from(k)
                    } else {
                        v - large * f64::from(k)
                    }
                }
            };
            x.clamp(n.min, n.max)
        };
        let (mut same, mut other) = (v0, None);
        let mut v = v0;
        for k in 1..=FLIP_SCAN {
            let w = next(v, k);
            if w == v {
                break;
            }
            match at(w)? {
                Some(o) if o.winner != winner => {
                    other = Some((w, o.winner));
                    break;
                }
                Some(_) => same = w,
                None => break,
            }
            v = w;
        }
        let Some((mut far, mut to)) = other else { continue };
        for _ in 0..FLIP_BISECTIONS {
            let mid = (same + far) / 2.0;
            let mid = if n.whole() { mid.round() } else { mid };
            if mid == same || mid == far {
                break;
            }
            match at(mid)? {
                Some(o) if o.winner != winner => {
                    far = mid;
                    to = o.winner;
                }
                Some(_) => same = mid,
                None => break,
            }
        }
        out.push(Flip {
            direction,
            at: significant(far),
            to,
        });
    }
    Ok(out)
}

/// Three significant figures: a flip point is located to within a few percent.
fn significant(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    // Through its decimal text, so 0.0156 prints as 0.0156 and not 0.015600000000000001.
    format!("{v:.2e}").parse().unwrap_or(v)
}
