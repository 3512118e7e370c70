//! The field registry: every field of scenario format v1 once, with its path in the file,
//! group, label, unit, help text, and (for numbers) its accepted range, whether it is whole,
//! how `+`/`-` step it, and how to read and write it.
//!
//! Validation, the workbench editor and its steps, `sweep --param`, the CLI help and the
//! reports' inputs table all read this table, so a field added to the format is added here
//! once and a range cannot differ between the validator and the editor.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::routing::RouterStep;
use super::{RoutingPattern, Scenario};

#[macro_use]
mod slots;
pub use slots::leg;
use slots::{classifier, leg_value, set_classifier, set_leg_value};

/// Every field, in the order the editor and the reports list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldId {
    Name,
    Notes,
    RequestsPerDay,
    InputTokens,
    OutputTokens,
    CachedInputShare,
    ReasoningTokens,
    Pattern,
    HourlyWeights,
    PeakToAverage,
    LatencyMode,
    TtftMs,
    OutputTokensPerS,
    TtftPercentile,
    Residency,
    Compliance,
    Quality,
    Models,
    Customization,
    PlatformEngineers,
    EngineerMonthlyCost,
    SelfHostingFte,
    PlatformFte,
    RunsDatabricks,
    Region,
    Commitment,
    Discount,
    FoundryContentFilter,
    Precision,
    Gpus,
    Sites,
    MinReplicas,
    Autoscale,
    MemoryUtilization,
    FtTrainingTokens,
    FtEpochs,
    FtTrainingPrice,
    FtAmortizeMonths,
    FtMethod,
    RoutingPattern,
    RouterKind,
    RouterModel,
    RouterInputTokens,
    RouterOutputTokens,
    RouterFee,
    /// A field of routing leg `n` (0-based): one registry slot per possible leg, shown only
    /// while the leg exists.
    Leg(u8, LegField),
}

/// The fields of a routing leg.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LegField {
    Name,
    Share,
    Escalation,
    Quality,
    Models,
    InputTokens,
    OutputTokens,
    ReasoningTokens,
    TtftMs,
    Residency,
    AttemptOutputTokens,
}

/// How a field is edited.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A number: typed (Enter) or stepped with `+`/`-`.
    Number(Number),
    /// Free text (Enter to type).
    Text,
    /// One of a list (Enter opens a picker; `+`/`-` cycle).
    Choice,
    /// Any number of a list (Enter opens a picker with check boxes).
    Multi,
}

/// Kinds compare by how they are edited (a number is a number whatever its range), which is
/// what the editor asks.
impl PartialEq for Kind {
    fn eq(&self, other: &Kind) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

/// A numeric field: its accepted range (inclusive), how it is stored, what the validator
/// calls it, and how `+`/`-` move it.
#[derive(Debug, Clone, Copy)]
pub struct Number {
    pub min: f64,
    pub max: f64,
    /// What the field is, in the validator's "accepted: MIN to MAX (...)" text.
    pub meaning: &'static str,
    pub step: Step,
    pub access: Access,
}

/// How a number is stored in the scenario, with its reader and writer.
#[derive(Debug, Clone, Copy)]
pub enum Access {
    /// `f64`, any value in range.
    Real {
        get: fn(&Scenario) -> f64,
        set: fn(&mut Scenario, f64),
    },
    /// A whole number (`u32`).
    Whole {
        get: fn(&Scenario) -> u32,
        set: fn(&mut Scenario, u32),
    },
    /// Money or a share of money: `Decimal`, never through binary floating point when typed.
    Money {
        get: fn(&Scenario) -> Decimal,
        set: fn(&mut Scenario, Decimal),
    },
}

/// How `+`/`-` move a number (always landing inside the field's range).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Step {
    /// One tenth of the value's decade (100,000 -> 110,000; 1,000,000 -> 1,100,000); the
    /// large step is ten times that. `min_step` keeps small values moving.
    Decade { min_step: f64 },
    /// A fixed step.
    Linear { small: f64, large: f64 },
}

impl Number {
    /// The value as `f64` (money converted, for stepping, sweeping and charts only).
    pub fn value(&self, s: &Scenario) -> Option<f64> {
        match self.access {
            Access::Real { get, .. } => Some(get(s)),
            Access::Whole { get, .. } => Some(f64::from(get(s))),
            Access::Money { get, .. } => get(s).to_f64(),
        }
    }

    /// True for fields stored as whole numbers.
    pub fn whole(&self) -> bool {
        matches!(self.access, Access::Whole { .. })
    }

    /// Sets the field from a number, rounding a whole field to the nearest whole number
    /// (clamped to what it can hold) and converting money through its shortest decimal
    /// text. Range checks are the validator's.
    pub fn set_f64(&self, s: &mut Scenario, v: f64) {
        match self.access {
            Access::Real { set, .. } => set(s, v),
            Access::Whole { set, .. } => set(s, v.round().clamp(0.0, f64::from(u32::MAX)) as u32),
            Access::Money { set, .. } => set(s, crate::num::dec(v).unwrap_or(Decimal::MAX)),
        }
    }

    /// The range as the validator states it: `0 to 1 (share off list prices)`.
    pub fn accepted(&self) -> String {
        format!(
            "{} to {} ({})",
            crate::text::fmt_num(self.min),
            crate::text::fmt_num(self.max),
            self.meaning
        )
    }
}

pub struct FieldDef {
    pub id: FieldId,
    pub group: &'static str,
    pub label: &'static str,
    /// The field's path in the file and in validation issues (`workload.requests_per_day`):
    /// issues under it belong to this field.
    pub path: &'static str,
    pub unit: &'static str,
    pub kind: Kind,
    /// One line on what the field means, for the editor's help line and the CLI help.
    pub help: &'static str,
}

impl FieldDef {
    /// The numeric description of a number field.
    pub fn number(&self) -> Option<&Number> {
        match &self.kind {
            Kind::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The key as help lists it: one entry for every leg slot (`legs[N].share`).
    pub fn listed_key(&self) -> String {
        match self.key().strip_prefix("legs[") {
            Some(rest) => format!("legs[N]{}", &rest[rest.find(']').map_or(0, |i| i + 1)..]),
            None => self.key().to_string(),
        }
    }

    /// The name `sweep --param` takes: the last part of the path (`requests_per_day`), or
    /// for the routing group the path within it (`legs[1].share`, `router.input_tokens`),
    /// which no other field shares.
    pub fn key(&self) -> &'static str {
        if let Some(rest) = self.path.strip_prefix("routing.") {
            return rest;
        }
        self.path.rsplit('.').next().unwrap_or(self.path)
    }
}

const fn def(
    id: FieldId,
    group: &'static str,
    label: &'static str,
    path: &'static str,
    unit: &'static str,
    kind: Kind,
    help: &'static str,
) -> FieldDef {
    FieldDef {
        id,
        group,
        label,
        path,
        unit,
        kind,
        help,
    }
}

/// A number field's kind: its range, its meaning in the validator's words, its step and
/// how it is stored.
const fn number(min: f64, max: f64, step: Step, meaning: &'static str, access: Access) -> Kind {
    Kind::Number(Number {
        min,
        max,
        meaning,
        step,
        access,
    })
}

/// Upper bound on requests per day (product.md).
pub const MAX_REQUESTS_PER_DAY: f64 = 1e10;
/// Upper bound on tokens per request for any token count (product.md).
pub const MAX_TOKENS: f64 = 10_000_000.0;
/// A day has 1,440 minutes: the busiest minute cannot carry more than the whole day.
pub const MAX_PEAK_TO_AVERAGE: f64 = 1_440.0;
/// A day, in milliseconds: the loosest meaningful time-to-first-token target.
pub const MAX_TTFT_MS: f64 = 86_400_000.0;
/// Replicas kept running at all times: beyond this no fleet is plausible.
pub const MAX_MIN_REPLICAS: f64 = 10_000.0;
/// Training tokens in a fine-tuning file: a bound on typing, far above Azure's job limit
/// (2 billion tokens x epochs), which the engine checks with its source.
pub const MAX_TRAINING_TOKENS: f64 = 1e12;
/// Epochs of a training job: a bound on typing, not a provider's limit.
pub const MAX_EPOCHS: f64 = 100.0;
/// Months a training job is amortised over: ten years at most.
pub const MAX_AMORTIZE_MONTHS: f64 = 120.0;
/// Training price per million tokens: a bound on typing.
pub const MAX_TRAINING_USD_PER_MILLION: f64 = 10_000.0;

const TOKEN_STEP: Step = Step::Decade { min_step: 1.0 };

/// A router's fee per request: a bound on typing.
pub const MAX_ROUTER_USD_PER_REQUEST: f64 = 1.0;

/// The registry, grouped as product.md lists the groups.
pub const FIELDS: &[FieldDef] = registry!(
    [
        def(
            FieldId::Name,
            "Scenario",
            "Name",
            "name",
            "",
            Kind::Text,
            "Shown in reports and exports",
        ),
        def(
            FieldId::Notes,
            "Scenario",
            "Notes",
            "notes",
            "",
            Kind::Text,
            "Free text kept with the scenario",
        ),
        def(
            FieldId::RequestsPerDay,
            "Workload",
            "Requests",
            "workload.requests_per_day",
            "/day",
            number(
                0.0,
                MAX_REQUESTS_PER_DAY,
                Step::Decade { min_step: 1.0 },
                "requests per day",
                Access::Real {
                    get: |s| s.workload.requests_per_day,
                    set: |s, v| s.workload.requests_per_day = v,
                },
            ),
            "Requests per day, 0 to 1e10",
        ),
        def(
            FieldId::InputTokens,
            "Workload",
            "Input",
            "workload.input_tokens",
            "tok/req",
            number(
                1.0,
                MAX_TOKENS,
                TOKEN_STEP,
                "mean prompt tokens per request",
                Access::Real {
                    get: |s| s.workload.input_tokens,
                    set: |s, v| s.workload.input_tokens = v,
                },
            ),
            "Mean prompt tokens per request",
        ),
        def(
            FieldId::OutputTokens,
            "Workload",
            "Output",
            "workload.output_tokens",
            "tok/req",
            number(
                1.0,
                MAX_TOKENS,
                TOKEN_STEP,
                "mean completion tokens per request",
                Access::Real {
                    get: |s| s.workload.output_tokens,
                    set: |s, v| s.workload.output_tokens = v,
                },
            ),
            "Mean completion tokens per request",
        ),
        def(
            FieldId::CachedInputShare,
            "Workload",
            "Cached input",
            "workload.cached_input_share",
            "share",
            number(
                0.0,
                1.0,
                Step::Linear {
                    small: 0.05,
                    large: 0.25,
                },
                "share of prompt tokens served from cache",
                Access::Real {
                    get: |s| s.workload.cached_input_share,
                    set: |s, v| s.workload.cached_input_share = v,
                },
            ),
            "Share of prompt tokens served from the prompt cache, 0 to 1",
        ),
        def(
            FieldId::ReasoningTokens,
            "Workload",
            "Reasoning",
            "workload.reasoning_tokens",
            "tok/req",
            number(
                0.0,
                MAX_TOKENS,
                TOKEN_STEP,
                "hidden thinking tokens per request",
                Access::Real {
                    get: |s| s.workload.reasoning_tokens,
                    set: |s, v| s.workload.reasoning_tokens = v,
                },
            ),
            "Hidden thinking tokens per request (reasoning models only)",
        ),
        def(
            FieldId::Pattern,
            "Traffic",
            "Pattern",
            "traffic.pattern",
            "",
            Kind::Choice,
            "Steady, BusinessHours (08-18 at 1.0, else 0.2) or Custom hourly weights",
        ),
        def(
            FieldId::HourlyWeights,
            "Traffic",
            "Hourly weights",
            "traffic.pattern",
            "",
            Kind::Text,
            "24 weights, hour 0 first, separated by commas or spaces (makes the pattern Custom)",
        ),
        def(
            FieldId::PeakToAverage,
            "Traffic",
            "Peak/average",
            "traffic.peak_to_average",
            "x",
            number(
                1.0,
                MAX_PEAK_TO_AVERAGE,
                Step::Linear { small: 0.1, large: 1.0 },
                "busiest minute's rate over the daily mean; 1,440 puts a whole day in one minute",
                Access::Real {
                    get: |s| s.traffic.peak_to_average,
                    set: |s, v| s.traffic.peak_to_average = v,
                },
            ),
            "Busiest minute's rate over the daily mean rate, at least 1",
        ),
        def(
            FieldId::LatencyMode,
            "Latency",
            "Mode",
            "latency.mode",
            "",
            Kind::Choice,
            "Interactive, or Async (a 24 h turnaround is acceptable)",
        ),
        def(
            FieldId::TtftMs,
            "Latency",
            "TTFT target",
            "latency.ttft_ms",
            "ms",
            number(
                1.0,
                MAX_TTFT_MS,
                Step::Decade { min_step: 10.0 },
                "p95 time-to-first-token target in milliseconds",
                Access::Real {
                    get: |s| s.latency.ttft_ms,
                    set: |s, v| s.latency.ttft_ms = v,
                },
            ),
            "Time-to-first-token target, p95",
        ),
        def(
            FieldId::OutputTokensPerS,
            "Latency",
            "Streaming",
            "latency.output_tokens_per_s",
            "tok/s",
            number(
                0.0,
                100_000.0,
                Step::Linear {
                    small: 1.0,
                    large: 10.0,
                },
                "minimum streaming speed per request; 0 for none",
                Access::Real {
                    get: |s| s.latency.output_tokens_per_s,
                    set: |s, v| s.latency.output_tokens_per_s = v,
                },
            ),
            "Minimum output tokens per second per request",
        ),
        def(
            FieldId::TtftPercentile,
            "Latency",
            "TTFT p-tile",
            "latency.ttft_percentile",
            "%",
            number(
                50.0,
                99.9,
                Step::Linear { small: 1.0, large: 5.0 },
                "percentile of requests the TTFT target holds for",
                Access::Real {
                    get: |s| s.latency.ttft_percentile,
                    set: |s, v| s.latency.ttft_percentile = v,
                },
            ),
            "The percentile the TTFT target is for (95: p95), 50 to 99.9",
        ),
        def(
            FieldId::Residency,
            "Residency and compliance",
            "Residency",
            "residency",
            "",
            Kind::Choice,
            "Where the data may be processed",
        ),
        def(
            FieldId::Compliance,
            "Residency and compliance",
            "Compliance",
            "compliance",
            "",
            Kind::Multi,
            "Regimes the deployment must satisfy",
        ),
        def(
            FieldId::Quality,
            "Model",
            "Quality",
            "quality",
            "tier",
            Kind::Choice,
            "The lowest acceptable model tier",
        ),
        def(
            FieldId::Models,
            "Model",
            "Models",
            "models",
            "",
            Kind::Multi,
            "Explicit candidates (none: every model of the tier or above)",
        ),
        def(
            FieldId::Customization,
            "Model",
            "Customization",
            "customization",
            "",
            Kind::Choice,
            "PromptOnly, HostedFineTune or FullWeights",
        ),
        def(
            FieldId::PlatformEngineers,
            "Team and pricing",
            "Engineers",
            "team.platform_engineers",
            "people",
            number(
                0.0,
                1e6,
                Step::Linear { small: 1.0, large: 5.0 },
                "platform engineers on the team",
                Access::Whole {
                    get: |s| s.team.platform_engineers,
                    set: |s, v| s.team.platform_engineers = v,
                },
            ),
            "Platform engineers on the team",
        ),
        def(
            FieldId::EngineerMonthlyCost,
            "Team and pricing",
            "Engineer cost",
            "team.engineer_monthly_cost",
            "/month",
            number(
                0.0,
                10_000_000.0,
                Step::Linear {
                    small: 500.0,
                    large: 5_000.0,
                },
                "USD per engineer per month",
                Access::Money {
                    get: |s| s.team.engineer_monthly_cost,
                    set: |s, v| s.team.engineer_monthly_cost = v,
                },
            ),
            "Fully loaded monthly cost of one engineer",
        ),
        def(
            FieldId::SelfHostingFte,
            "Team and pricing",
            "Self-host FTE",
            "team.self_hosting_fte",
            "FTE",
            number(
                0.0,
                1_000.0,
                Step::Linear { small: 0.1, large: 1.0 },
                "full-time engineers to run self-hosting",
                Access::Real {
                    get: |s| s.team.self_hosting_fte,
                    set: |s, v| s.team.self_hosting_fte = v,
                },
            ),
            "Engineers a self-hosted deployment takes to run",
        ),
        def(
            FieldId::PlatformFte,
            "Team and pricing",
            "Platform FTE",
            "team.platform_fte",
            "FTE",
            number(
                0.0,
                1_000.0,
                Step::Linear {
                    small: 0.05,
                    large: 0.5,
                },
                "full-time engineers a platform-run endpoint still takes",
                Access::Real {
                    get: |s| s.team.platform_fte,
                    set: |s, v| s.team.platform_fte = v,
                },
            ),
            "Engineers Foundry managed compute or Databricks GPU serving still takes (the platform runs the machines; 0 unless given)",
        ),
        def(
            FieldId::RunsDatabricks,
            "Team and pricing",
            "Has Databricks",
            "team.databricks",
            "",
            Kind::Choice,
            "Whether the team already runs Azure Databricks (yes: Databricks Model Serving may be recommended; no: shown, not recommended)",
        ),
        def(
            FieldId::Region,
            "Team and pricing",
            "Region",
            "pricing.region",
            "",
            Kind::Choice,
            "Azure region whose prices apply",
        ),
        def(
            FieldId::Commitment,
            "Team and pricing",
            "Commitment",
            "pricing.commitment",
            "",
            Kind::Choice,
            "PayAsYouGo, OneMonth, OneYear or ThreeYear",
        ),
        def(
            FieldId::Discount,
            "Team and pricing",
            "Discount",
            "pricing.discount",
            "share",
            number(
                0.0,
                1.0,
                Step::Linear {
                    small: 0.01,
                    large: 0.1,
                },
                "share off list prices",
                Access::Money {
                    get: |s| s.pricing.discount,
                    set: |s, v| s.pricing.discount = v,
                },
            ),
            "Negotiated discount on list prices, 0 to 1",
        ),
        def(
            FieldId::FoundryContentFilter,
            "Team and pricing",
            "Foundry filter",
            "pricing.foundry_content_filter",
            "",
            Kind::Choice,
            "Price the Content Safety screening Foundry serverless applies by default (on), or not (off: the filter is turned off or not billed)",
        ),
        def(
            FieldId::Precision,
            "Self-hosting",
            "Precision",
            "self_hosting.precision",
            "",
            Kind::Choice,
            "Auto, Bf16, Fp8, Int8 or Int4",
        ),
        def(
            FieldId::Gpus,
            "Self-hosting",
            "GPUs",
            "self_hosting.gpus",
            "",
            Kind::Multi,
            "Allowed GPUs (none: every GPU in the catalog)",
        ),
        def(
            FieldId::Sites,
            "Self-hosting",
            "Runs on",
            "self_hosting.sites",
            "",
            Kind::Choice,
            "Auto (Azure GPU VMs; owned servers when residency requires), Cloud, OnPremises or Both",
        ),
        def(
            FieldId::MinReplicas,
            "Self-hosting",
            "Min replicas",
            "self_hosting.min_replicas",
            "",
            number(
                1.0,
                MAX_MIN_REPLICAS,
                Step::Linear {
                    small: 1.0,
                    large: 10.0,
                },
                "replicas kept running at all times",
                Access::Whole {
                    get: Scenario::min_replicas,
                    set: |s, v| s.self_hosting.min_replicas = Some(v),
                },
            ),
            "Replicas kept running at all hours, 1 to 10,000 (left out: 2 for an interactive workload, 1 for async)",
        ),
        def(
            FieldId::Autoscale,
            "Self-hosting",
            "Autoscale",
            "self_hosting.autoscale",
            "",
            Kind::Choice,
            "Scale replicas with the hourly traffic",
        ),
        def(
            FieldId::MemoryUtilization,
            "Self-hosting",
            "Memory use",
            "self_hosting.memory_utilization",
            "share",
            number(
                0.5,
                0.98,
                Step::Linear {
                    small: 0.01,
                    large: 0.05,
                },
                "share of GPU memory the serving engine may use",
                Access::Real {
                    get: |s| s.self_hosting.memory_utilization,
                    set: |s, v| s.self_hosting.memory_utilization = v,
                },
            ),
            "Share of GPU memory the engine may use, 0.5 to 0.98",
        ),
        def(
            FieldId::FtTrainingTokens,
            "Fine-tuning",
            "Train tokens",
            "fine_tuning.training_tokens",
            "tokens",
            number(
                0.0,
                MAX_TRAINING_TOKENS,
                Step::Decade { min_step: 1_000.0 },
                "tokens in the training file",
                Access::Real {
                    get: |s| s.fine_tuning.as_ref().map_or(0.0, |f| f.training_tokens),
                    set: |s, v| s.fine_tuning_mut().training_tokens = v,
                },
            ),
            "Tokens in the fine-tuning training file (each epoch passes over all of them)",
        ),
        def(
            FieldId::FtEpochs,
            "Fine-tuning",
            "Epochs",
            "fine_tuning.epochs",
            "",
            number(
                1.0,
                MAX_EPOCHS,
                Step::Linear { small: 1.0, large: 5.0 },
                "passes over the training file",
                Access::Whole {
                    get: |s| s.fine_tuning.as_ref().map_or(1, |f| f.epochs),
                    set: |s, v| s.fine_tuning_mut().epochs = v,
                },
            ),
            "Passes over the training file, 1 to 100",
        ),
        def(
            FieldId::FtTrainingPrice,
            "Fine-tuning",
            "Train price",
            "fine_tuning.training_usd_per_million",
            "",
            number(
                0.0,
                MAX_TRAINING_USD_PER_MILLION,
                Step::Linear { small: 0.5, large: 5.0 },
                "USD per million training tokens",
                Access::Money {
                    get: |s| {
                        s.fine_tuning
                            .as_ref()
                            .and_then(|f| f.training_usd_per_million)
                            .unwrap_or(Decimal::ZERO)
                    },
                    set: |s, v| s.fine_tuning_mut().training_usd_per_million = Some(v),
                },
            ),
            "Training price per million tokens; no default (no Azure per-model training price is published)",
        ),
        def(
            FieldId::FtAmortizeMonths,
            "Fine-tuning",
            "Amortise over",
            "fine_tuning.amortize_months",
            "months",
            number(
                1.0,
                MAX_AMORTIZE_MONTHS,
                Step::Linear {
                    small: 1.0,
                    large: 12.0,
                },
                "months the one-off training cost is spread over",
                Access::Whole {
                    get: |s| {
                        s.fine_tuning
                            .as_ref()
                            .map_or(crate::scenario::DEFAULT_AMORTIZE_MONTHS, |f| f.amortize_months)
                    },
                    set: |s, v| s.fine_tuning_mut().amortize_months = v,
                },
            ),
            "Months the one-off training cost is spread over, 1 to 120 (default 12)",
        ),
        def(
            FieldId::FtMethod,
            "Fine-tuning",
            "Method",
            "fine_tuning.method",
            "",
            Kind::Choice,
            "Open weights: Lora (adapters on the base model's GPUs) or Full (every weight trained)",
        ),
        def(
            FieldId::RoutingPattern,
            "Routing",
            "Routing",
            "routing.pattern",
            "",
            Kind::Choice,
            "Off (one model), Router (a share of requests to each leg) or Cascade (try each leg in turn, escalate a share)",
        ),
        def(
            FieldId::RouterKind,
            "Routing",
            "Router",
            "routing.router",
            "",
            Kind::Choice,
            "What decides a request's leg: None, a Classifier model, or a PerRequest fee",
        ),
        def(
            FieldId::RouterModel,
            "Routing",
            "Classifier",
            "routing.router.model",
            "",
            Kind::Choice,
            "The model that reads each request and names its leg",
        ),
        def(
            FieldId::RouterInputTokens,
            "Routing",
            "Router input",
            "routing.router.input_tokens",
            "tok/req",
            number(
                1.0,
                MAX_TOKENS,
                TOKEN_STEP,
                "prompt tokens the classifier reads per request",
                Access::Real {
                    get: |s| classifier(s).0,
                    set: |s, v| set_classifier(s, Some(v), None),
                },
            ),
            "Prompt tokens the classifier reads per request",
        ),
        def(
            FieldId::RouterOutputTokens,
            "Routing",
            "Router output",
            "routing.router.output_tokens",
            "tok/req",
            number(
                1.0,
                MAX_TOKENS,
                TOKEN_STEP,
                "tokens the classifier writes per request",
                Access::Real {
                    get: |s| classifier(s).1,
                    set: |s, v| set_classifier(s, None, Some(v)),
                },
            ),
            "Tokens the classifier writes per request (a label: a few)",
        ),
        def(
            FieldId::RouterFee,
            "Routing",
            "Router fee",
            "routing.router.usd",
            "$/req",
            number(
                0.0,
                MAX_ROUTER_USD_PER_REQUEST,
                Step::Linear {
                    small: 0.0001,
                    large: 0.001,
                },
                "USD per routed request",
                Access::Money {
                    get: |s| match s.routing.as_ref().map(|r| &r.router) {
                        Some(RouterStep::PerRequest { usd }) => *usd,
                        _ => Decimal::ZERO,
                    },
                    set: |s, v| {
                        if let Some(r) = s.routing.as_mut() {
                            r.router = RouterStep::PerRequest { usd: v };
                        }
                    },
                },
            ),
            "A routing service's fee per request, 0 to 1 USD",
        ),
    ],
    [(0, "1"), (1, "2"), (2, "3"), (3, "4"), (4, "5")]
);

pub fn field(id: FieldId) -> &'static FieldDef {
    FIELDS.iter().find(|f| f.id == id).unwrap_or(&FIELDS[0])
}

pub fn index_of(id: FieldId) -> usize {
    FIELDS.iter().position(|f| f.id == id).unwrap_or(0)
}

/// The numeric fields, in registry order: what `sweep --param` can vary.
pub fn numeric() -> impl Iterator<Item = (&'static FieldDef, &'static Number)> {
    FIELDS.iter().filter_map(|f| f.number().map(|n| (f, n)))
}

/// A numeric field by its key (`requests_per_day`) or its full path
/// (`workload.requests_per_day`).
pub fn numeric_by_name(name: &str) -> Option<(&'static FieldDef, &'static Number)> {
    numeric().find(|(f, _)| f.key() == name || f.path == name)
}

/// The keys of the numeric fields, comma-separated, for help and error messages.
pub fn numeric_keys() -> String {
    let mut keys: Vec<String> = Vec::new();
    for (f, _) in numeric() {
        let key = f.listed_key();
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys.join(", ")
}

#[cfg(test)]
mod tests;
