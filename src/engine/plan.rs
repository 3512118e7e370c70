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
    /// A hybrid plan (a scenario with `routing`): each leg's winner, in the order of the
    /// file. `options`, `recommendation` and `break_even` are then the single-model plan for
    /// the same traffic, which `single_model` compares the hybrid with.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub legs: Vec<LegResult>,
    /// The hybrid plan's totals: router, pooled capacity, escalated attempts, latency end
    /// to end, the break-even share or escalation rate and the seeds' savings claims.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hybrid: Option<Box<Hybrid>>,
    /// The best one-model plan for the same traffic and the hybrid's saving against it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub single_model: Option<SingleModel>,
}

/// One leg of a hybrid plan: its traffic and its winner, shaped like a recommendation.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LegResult {
    pub name: String,
    /// Share of all requests that reach the leg (a router's share; a cascade's product of
    /// escalation rates).
    pub share: f64,
    /// Cascade: the share of the previous leg's requests that escalate to this one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub escalation: Option<f64>,
    pub requests_per_day: f64,
    /// `None` (null) when no option is feasible for the leg; `violations` say why.
    pub option: Option<OptionId>,
    pub model: Option<String>,
    #[serde(serialize_with = "opt_money")]
    pub monthly_cost_usd: Option<Decimal>,
    pub rationale: Vec<String>,
    pub warnings: Vec<String>,
    pub feasible: bool,
    /// Why the leg cannot be served, or what it misses end to end (latency through the
    /// router or the earlier attempts).
    pub violations: Vec<String>,
    pub estimate: bool,
    pub family: Option<Family>,
    /// Mean tokens of a request the leg is sized for (a cascade's attempt that escalates
    /// spends `attempt_output_tokens`, so its mean output is below a full answer).
    pub input_tokens: f64,
    pub output_tokens: f64,
    pub latency: LegLatency,
    /// Index into `hybrid.pools` when the leg shares capacity with others.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pool: Option<usize>,
}

/// A leg's latency end to end: what the router or the earlier attempts add to the leg's own
/// time to first token, against the leg's target.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct LegLatency {
    /// Until the user sees the answer begin, router or earlier attempts included; `None`
    /// when a part of it is not known.
    pub ttft_ms: Option<f64>,
    pub target_ttft_ms: f64,
    /// The leg's deployment alone.
    pub leg_ttft_ms: Option<f64>,
    pub output_tokens_per_s: Option<f64>,
    /// What the end-to-end figure adds up, in words.
    pub basis: String,
}

/// The hybrid plan's totals.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hybrid {
    /// `router` or `cascade`.
    pub pattern: &'static str,
    /// Every leg and the router have a feasible option and every end-to-end latency target
    /// holds.
    pub feasible: bool,
    /// Feasible, and cheaper than the single-model plan (or no single model can serve the
    /// traffic): the plan to build.
    pub recommended: bool,
    /// `None` (null) when a leg or the router has no feasible priced option.
    #[serde(serialize_with = "opt_money")]
    pub monthly_cost_usd: Option<Decimal>,
    pub router: RouterCost,
    /// Legs on the same model served from one PTU pool or GPU fleet, sized for their
    /// combined load (one rounding up, one set of minimum replicas), when that is cheaper.
    pub pools: Vec<Pool>,
    /// Cascade: what the attempts that escalated cost (inside the legs' costs, shown so the
    /// price of trying the small model first is visible).
    #[serde(serialize_with = "opt_money", skip_serializing_if = "Option::is_none")]
    pub escalated_attempts_usd: Option<Decimal>,
    pub cost_breakdown: Vec<CostLine>,
    /// Cascade: the last leg's escalation rate above which the cascade costs more than
    /// sending every request to the last leg's model (`None`: it never crosses in 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub break_even_escalation_rate: Option<f64>,
    /// Router: the share of requests on the last leg (taken from the first) above which the
    /// plan costs more than the single-model plan as it stands (at today's mix; one model
    /// serving the new mix would cost more too, so the router pays at least up to here).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub break_even_share: Option<f64>,
    /// The break-even search's finding in words (also when nothing crosses).
    pub break_even_note: String,
    /// The seeds' savings claims for this pattern, checked against this plan.
    pub claims: Vec<Claim>,
    pub rationale: Vec<String>,
    pub warnings: Vec<String>,
    pub violations: Vec<String>,
    pub estimate: bool,
}

/// The step that picks a request's leg, and what it costs.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RouterCost {
    /// `none`, `classifier` or `per-request`.
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub option: Option<OptionId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(serialize_with = "opt_money")]
    pub monthly_cost_usd: Option<Decimal>,
    /// What the router adds before a leg starts: its time to first token and its label
    /// written; `None` for no router and for a fee whose latency is not known.
    pub added_ms: Option<f64>,
    pub warnings: Vec<String>,
}

/// Legs that share one deployment of a model.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Pool {
    pub model: String,
    pub option: OptionId,
    pub legs: Vec<String>,
    /// The legs' costs had each its own deployment.
    #[serde(serialize_with = "money")]
    pub separate_usd: Decimal,
    #[serde(serialize_with = "money")]
    pub pooled_usd: Decimal,
    #[serde(serialize_with = "money")]
    pub saving_usd: Decimal,
}

/// A savings figure the seeds claim for a pattern, and what this plan measures.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Claim {
    pub pattern: &'static str,
    pub claimed_low_percent: f64,
    pub claimed_high_percent: f64,
    /// What is compared: every cost, or (Edge + Cloud) API spend only.
    pub basis: &'static str,
    /// This plan's saving on that basis, percent (`None` when it cannot be measured).
    pub measured_percent: Option<f64>,
    /// `below`, `within` or `above` the claimed range.
    pub verdict: &'static str,
}

/// The single-model plan the hybrid is compared with.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SingleModel {
    pub option: Option<OptionId>,
    pub model: Option<String>,
    #[serde(serialize_with = "opt_money")]
    pub monthly_cost_usd: Option<Decimal>,
    /// Single-model cost less the hybrid's (negative: the hybrid costs more).
    #[serde(serialize_with = "opt_money")]
    pub saving_usd: Option<Decimal>,
    pub saving_percent: Option<f64>,
    /// Which traffic the single model serves, in words.
    pub basis: String,
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
