//! Scenarios side by side: each one's answer in a few figures (winner, monthly cost, GPUs,
//! latency; a hybrid plan's total where there is one), and the inputs that differ between
//! them, field by field from the registry. What `llmcap compare` prints and exports.

use rust_decimal::Decimal;
use serde::Serialize;

use super::plan::{Family, Plan, opt_money};
use crate::date::Date;
use crate::scenario::fields::{FIELDS, FieldId};
use crate::scenario::{Scenario, edit};
use crate::vocab::OptionId;

/// The most scenarios a comparison holds: four columns still fit a page and a terminal.
pub const MAX_COMPARED: usize = 4;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Comparison {
    pub plan_date: Date,
    pub scenarios: Vec<Entry>,
    /// The inputs whose values are not the same in every scenario, in registry order.
    pub differences: Vec<Difference>,
}

/// One scenario's answer, shaped like `eval`'s summary.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Entry {
    /// Where it was read from (as given).
    pub file: String,
    pub name: String,
    /// The single model (or the one model) the plan recommends; `None` when nothing is
    /// feasible.
    pub recommendation: Option<Winner>,
    /// A routed scenario's hybrid plan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hybrid: Option<HybridWinner>,
    /// Why nothing is feasible (the first lines of the plan's summary).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub infeasible: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Winner {
    pub option: OptionId,
    pub model: String,
    pub family: Family,
    #[serde(serialize_with = "super::plan::money")]
    pub monthly_cost_usd: Decimal,
    /// The cost rests on a catalog estimate.
    pub estimate: bool,
    /// GPUs at the peak when the winner runs on GPUs.
    pub gpus: Option<u32>,
    /// The GPU and VM (or server) of a GPU fleet.
    pub gpu: Option<String>,
    pub vm: Option<String>,
    pub ttft_ms: Option<f64>,
    pub output_tokens_per_s: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct HybridWinner {
    pub pattern: &'static str,
    pub legs: usize,
    #[serde(serialize_with = "opt_money")]
    pub monthly_cost_usd: Option<Decimal>,
    /// Worth building: feasible and cheaper than the single model.
    pub recommended: bool,
    pub saving_percent: Option<f64>,
}

/// One input that differs: its path, its label, and its value in each scenario ("" where
/// the field means nothing for that scenario, such as a leg it does not have).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Difference {
    pub field: &'static str,
    pub label: String,
    pub values: Vec<String>,
}

/// Compares scenarios already evaluated on the same plan date: `(file, scenario, plan)`.
pub fn compare(plan_date: Date, items: &[(String, Scenario, Plan)]) -> Comparison {
    let scenarios = items.iter().map(|(file, _, plan)| entry(file, plan)).collect();
    let mut differences = Vec::new();
    // The names head the columns and the notes are prose: neither is an input to compare.
    for f in FIELDS
        .iter()
        .filter(|f| !matches!(f.id, FieldId::Name | FieldId::Notes))
    {
        // The routing pattern row is "Off" in a scenario without routing: that differs
        // only when another scenario routes.
        let values: Vec<String> = items
            .iter()
            .map(|(_, s, _)| {
                if !f.id.applies(s) {
                    return String::new();
                }
                let v = edit::display(f.id, s);
                if f.unit.is_empty() || v.is_empty() {
                    v
                } else {
                    format!("{v} {}", f.unit)
                }
            })
            .collect();
        if values.windows(2).any(|w| w[0] != w[1]) {
            differences.push(Difference {
                field: f.path,
                label: format!("{} · {}", f.group, f.label),
                values,
            });
        }
    }
    Comparison {
        plan_date,
        scenarios,
        differences,
    }
}

fn entry(file: &str, plan: &Plan) -> Entry {
    let recommendation = plan.recommendation.as_ref().map(|r| {
        let o = plan.recommended();
        let sh = o.and_then(|o| o.self_hosted.as_deref());
        Winner {
            option: r.option,
            model: r.model.clone(),
            family: r.option.family(),
            monthly_cost_usd: r.monthly_cost_usd,
            estimate: o.is_some_and(|o| o.estimate),
            gpus: sh.map(|s| s.gpus_peak),
            gpu: sh.map(|s| s.gpu.clone()),
            vm: sh.map(|s| s.vm.clone()),
            ttft_ms: o.and_then(|o| o.latency.ttft_ms),
            output_tokens_per_s: o.and_then(|o| o.latency.output_tokens_per_s),
        }
    });
    Entry {
        file: file.to_string(),
        name: plan.scenario.name.clone(),
        recommendation,
        hybrid: plan.hybrid.as_deref().map(|h| HybridWinner {
            pattern: h.pattern,
            legs: plan.legs.len(),
            monthly_cost_usd: h.monthly_cost_usd,
            recommended: h.recommended,
            saving_percent: plan.single_model.as_ref().and_then(|m| m.saving_percent),
        }),
        infeasible: plan.infeasible_summary.iter().take(2).cloned().collect(),
    }
}
