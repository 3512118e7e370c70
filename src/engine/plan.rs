//! The result of evaluating a scenario, in the `eval` JSON form of product.md.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Serialize, Serializer};

use super::curve::CostCurve;
use super::selfhost::SelfHosted;
pub use crate::vocab::Family;
use crate::vocab::{OptionId, Violation};

/// Money as a decimal string with two decimals (half away from zero).
pub fn money<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&money_text(*d))
}

pub fn money_text(d: Decimal) -> String {
    let mut r = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    if r.is_zero() {
        // Never "-0.00": a discount on nothing is nothing.
        r = Decimal::ZERO;
    }
    r.rescale(2);
    r.to_string()
}

pub fn opt_money<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => money(d, s),
        None => s.serialize_none(),
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CostLine {
    pub item: String,
    #[serde(serialize_with = "money")]
    pub usd: Decimal,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Latency {
    pub ttft_ms: Option<f64>,
    pub output_tokens_per_s: Option<f64>,
    /// Where the figures come from.
    pub basis: String,
    /// Where the speed figure comes from, in words ("Microsoft's PTU latency target for
    /// gpt-4.1"), for the violation that cites it.
    #[serde(skip)]
    pub speed_from: String,
    /// What the time to first token adds up, in words, for the violation that cites it.
    #[serde(skip)]
    pub ttft_from: String,
}

/// Provisioned-throughput details.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PtuDetail {
    /// Input-equivalent tokens per minute at the peak.
    pub peak_tpm: f64,
    pub input_tpm_per_ptu: f64,
    pub output_weight: f64,
    /// PTUs to serve the peak on their own.
    pub ptu_for_peak: u32,
    pub minimum: u32,
    pub increment: u32,
    /// Mean demand over provisioned capacity.
    pub utilization: f64,
    /// Utilisation at which this PTU price equals pay-as-you-go for the same tokens.
    pub break_even_utilization: Option<f64>,
    /// With spillover: the PTU baseline chosen and the share of tokens that overflow to
    /// pay-as-you-go.
    pub spillover: Option<Spillover>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Spillover {
    pub baseline_ptu: u32,
    pub overflow_share: f64,
    pub overflow_to: OptionId,
}

/// One option x model.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OptionResult {
    pub option: OptionId,
    pub model: String,
    pub family: Family,
    pub feasible: bool,
    /// `None` (null) when the option has no price in the catalog.
    #[serde(serialize_with = "opt_money")]
    pub monthly_cost_usd: Option<Decimal>,
    pub violations: Vec<Violation>,
    pub warnings: Vec<String>,
    /// The cost rests on a catalog figure marked as an estimate (a token price, PTU sizing
    /// or price, the VM or GPU of the fleet): reports mark it `~`.
    pub estimate: bool,
    pub cost_breakdown: Vec<CostLine>,
    pub latency: Latency,
    /// The Azure region a managed deployment is created in (absent for Foundry serverless
    /// and self-hosting, and where no region allows the option).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ptu: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ptu_detail: Option<Box<PtuDetail>>,
    pub self_hosted: Option<Box<SelfHosted>>,
    /// Cost as a function of demand (configuration fixed), for break-even and sweeps.
    #[serde(skip)]
    pub curve: Option<CostCurve>,
    /// A fine-tune's lifecycle costs: the one-off training job, its amortised share and the
    /// fine-tuned deployment's hosting. Absent without a `fine_tuning` group, so `eval` JSON
    /// stays as it was for every other scenario.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fine_tuning: Option<FineTuneCost>,
}

/// A fine-tune's costs on one option. Money is `null` where the scenario gives no training
/// price (nothing is invented).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FineTuneCost {
    #[serde(serialize_with = "opt_money")]
    pub training_one_off_usd: Option<Decimal>,
    #[serde(serialize_with = "opt_money")]
    pub amortized_monthly_usd: Option<Decimal>,
    pub months: u32,
    #[serde(serialize_with = "money")]
    pub hosting_monthly_usd: Decimal,
    /// Training tokens x epochs: what a training job is billed and limited by.
    pub trained_tokens: f64,
}

impl OptionResult {
    /// `option:model`, the key break-even points use.
    pub fn key(&self) -> String {
        format!("{}:{}", self.option, self.model)
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Recommendation {
    pub option: OptionId,
    pub model: String,
    #[serde(serialize_with = "money")]
    pub monthly_cost_usd: Decimal,
    pub rationale: Vec<String>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BreakEven {
    pub from: String,
    pub to: String,
    pub requests_per_day: f64,
    pub tokens_per_day: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ScenarioRef {
    pub name: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CatalogRef {
    pub as_of: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DemandSummary {
    pub requests_per_day: f64,
    pub requests_per_month: f64,
    pub mean_requests_per_s: f64,
    pub peak_requests_per_s: f64,
    pub input_tokens_per_month: f64,
    pub output_tokens_per_month: f64,
}

/// Everything `eval` reports.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Plan {
    pub scenario: ScenarioRef,
    /// The day the plan is for (`--as-of`, else today): what is deployable is decided on it.
    pub plan_date: crate::date::Date,
    pub catalog: CatalogRef,
    /// `None` (null) when no option is feasible; `infeasible_summary` then says why.
    pub recommendation: Option<Recommendation>,
    pub options: Vec<OptionResult>,
    pub break_even: Vec<BreakEven>,
    pub demand: DemandSummary,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub infeasible_summary: Vec<String>,
}

impl Plan {
    /// The option x model the recommendation names.
    pub fn recommended(&self) -> Option<&OptionResult> {
        let r = self.recommendation.as_ref()?;
        self.options.iter().find(|o| o.option == r.option && o.model == r.model)
    }

    /// The option whose GPU fleet the sizing views show: the recommendation when it runs on
    /// GPUs (self-hosted, or a platform's: Foundry managed compute, Databricks GPU serving),
    /// else the cheapest feasible GPU fleet of any of them.
    pub fn fleet_option(&self) -> Option<&OptionResult> {
        if let Some(r) = self.recommended()
            && r.self_hosted.is_some()
        {
            return Some(r);
        }
        self.options
            .iter()
            .filter(|o| o.feasible && o.self_hosted.is_some() && o.monthly_cost_usd.is_some())
            .min_by(|a, b| a.monthly_cost_usd.cmp(&b.monthly_cost_usd))
    }

    /// The cheapest feasible option of a family.
    pub fn best_of(&self, family: Family) -> Option<&OptionResult> {
        self.best_among(&[family])
    }

    /// The cheapest feasible option of any of these families (the first of equals in rank
    /// order).
    pub fn best_among(&self, families: &[Family]) -> Option<&OptionResult> {
        self.options
            .iter()
            .filter(|o| o.feasible && families.contains(&o.family) && o.monthly_cost_usd.is_some())
            .min_by(|a, b| a.monthly_cost_usd.cmp(&b.monthly_cost_usd))
    }
}

#[cfg(test)]
mod tests {
    use super::money_text;
    use rust_decimal::Decimal;

    #[test]
    fn money_text_never_negative_zero() {
        assert_eq!(money_text(-Decimal::ZERO), "0.00");
        assert_eq!(money_text(Decimal::new(-4, 3)), "0.00");
        assert_eq!(money_text(Decimal::new(-5, 3)), "-0.01");
        assert_eq!(money_text(Decimal::new(1_140_625, 3)), "1140.63");
    }
}
