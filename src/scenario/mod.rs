//! Scenario file format v1: the workload an architect describes, its RON form, validation
//! into field-level issues, and safe loading and saving.
//!
//! The types mirror `shared/spec/product.md` exactly: field names, defaults and enum variants
//! are a contract that scripts and other tools rely on. Numbers are `f64` in the file (written
//! with or without a decimal point); counts are whole numbers; money and shares that feed
//! money (`engineer_monthly_cost`, `discount`) are `Decimal`, read from a number or a decimal
//! string and always written as a string.

pub mod edit;
pub mod fields;
mod locate;
pub mod routing;
mod store;
mod validate;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::num;

pub use crate::vocab::{Tier, Zone};
pub use locate::locate_field;
pub use routing::{Leg, MAX_LEGS, RouterStep, Routing, RoutingPattern};
pub use store::{
    FileStamp, LoadError, LoadedScenario, SaveError, load_file, parse_str, save_file, to_ron_string, write_atomic,
};
pub use validate::{Issue, validate, validate_with_catalog};

/// The newest scenario format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// One LLM workload and the constraints it must meet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Scenario")]
pub struct Scenario {
    #[serde(with = "num::whole")]
    pub version: u32,
    pub name: String,
    #[serde(default)]
    pub notes: String,
    pub workload: Workload,
    pub traffic: Traffic,
    pub latency: Latency,
    pub residency: Residency,
    #[serde(default)]
    pub compliance: Vec<Compliance>,
    pub quality: Tier,
    #[serde(default)]
    pub models: Vec<String>,
    #[serde(default)]
    pub customization: Customization,
    #[serde(default)]
    pub team: Team,
    #[serde(default)]
    pub pricing: Pricing,
    #[serde(default)]
    pub self_hosting: SelfHosting,
    /// The fine-tune's training job, with `customization: HostedFineTune` (or open weights):
    /// a one-off cost amortised over months. Written only when given, so files without it
    /// round-trip unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "num::present")]
    pub fine_tuning: Option<FineTuning>,
    /// A hybrid plan: a router or a cascade sending requests to legs, each priced with every
    /// deployment option. Written only when given, so files without it round-trip unchanged
    /// and evaluate as one-model plans.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "num::present")]
    pub routing: Option<Routing>,
}

/// A fine-tune's training job: tokens x epochs at a training price the scenario gives (no
/// Azure per-model training price is published, so there is no default), amortised over
/// `amortize_months`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FineTuning {
    /// Tokens in the training file (each epoch passes over all of them).
    #[serde(with = "num::float")]
    pub training_tokens: f64,
    #[serde(with = "num::whole")]
    pub epochs: u32,
    /// Price per million training tokens; none: the training cost is not priced.
    #[serde(skip_serializing_if = "Option::is_none", with = "num::present_money")]
    pub training_usd_per_million: Option<Decimal>,
    /// Months the one-off training cost is spread over in the monthly cost.
    #[serde(with = "num::whole")]
    pub amortize_months: u32,
    /// Open weights: LoRA adapters or a full fine-tune.
    pub method: FineTuneMethod,
}

/// Default months a training job is amortised over.
pub const DEFAULT_AMORTIZE_MONTHS: u32 = 12;

impl Default for FineTuning {
    fn default() -> FineTuning {
        FineTuning {
            training_tokens: 0.0,
            epochs: 1,
            training_usd_per_million: None,
            amortize_months: DEFAULT_AMORTIZE_MONTHS,
            method: FineTuneMethod::Lora,
        }
    }
}

/// How an open-weight model is fine-tuned.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum FineTuneMethod {
    /// Low-rank adapters, served beside the base weights (vLLM multi-LoRA).
    #[default]
    Lora,
    /// Every weight trained: a model of its own.
    Full,
}

impl FineTuneMethod {
    pub const ALL: [FineTuneMethod; 2] = [FineTuneMethod::Lora, FineTuneMethod::Full];
}

/// How much work arrives, per request and per day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Workload {
    #[serde(with = "num::float")]
    pub requests_per_day: f64,
    /// Mean prompt tokens per request.
    #[serde(with = "num::float")]
    pub input_tokens: f64,
    /// Mean completion tokens per request.
    #[serde(with = "num::float")]
    pub output_tokens: f64,
    /// Share (0..1) of prompt tokens served from the prompt cache.
    #[serde(default, with = "num::float")]
    pub cached_input_share: f64,
    /// Hidden thinking tokens per request; billed as output by reasoning models only.
    #[serde(default, with = "num::float")]
    pub reasoning_tokens: f64,
}

/// When the requests arrive over a day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Traffic {
    pub pattern: Pattern,
    /// The busiest minute's rate over the daily mean rate; at least 1.
    #[serde(with = "num::float")]
    pub peak_to_average: f64,
}

/// The shape of traffic over the 24 hours of a day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Pattern {
    /// The same rate every hour.
    Steady,
    /// Weight 1.0 from 08:00 to 18:00 and 0.2 otherwise.
    BusinessHours,
    /// 24 relative weights, hour 0 first.
    Custom(#[serde(with = "num::float_vec")] Vec<f64>),
}

impl Pattern {
    /// The hourly weights as written (BusinessHours: 1.0 from 08:00 to 18:00, 0.2 otherwise),
    /// before normalising; a Custom weight that is missing, negative or not finite counts 0.
    pub fn raw_weights(&self) -> [f64; 24] {
        match self {
            Pattern::Steady => [1.0; 24],
            Pattern::BusinessHours => std::array::from_fn(|h| if (8..18).contains(&h) { 1.0 } else { 0.2 }),
            Pattern::Custom(w) => {
                std::array::from_fn(|h| w.get(h).copied().filter(|x| x.is_finite() && *x > 0.0).unwrap_or(0.0))
            }
        }
    }
}

/// What the user of the deployment waits for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Latency {
    pub mode: LatencyMode,
    /// p95 time-to-first-token target in milliseconds.
    #[serde(with = "num::float")]
    pub ttft_ms: f64,
    /// Minimum streaming speed per request, output tokens per second.
    #[serde(with = "num::float")]
    pub output_tokens_per_s: f64,
    /// The percentile `ttft_ms` is a target for (95: p95), checked against the self-hosted
    /// queueing wait at the replicas' actual load.
    #[serde(
        default = "default_ttft_percentile",
        skip_serializing_if = "is_default_percentile",
        with = "num::float"
    )]
    pub ttft_percentile: f64,
}

fn default_ttft_percentile() -> f64 {
    DEFAULT_TTFT_PERCENTILE
}

/// Left out of a written file when it is the default, so files stay readable by builds
/// that predate the field.
fn is_default_percentile(p: &f64) -> bool {
    *p == DEFAULT_TTFT_PERCENTILE
}

/// The percentile a TTFT target means when the scenario does not say.
pub const DEFAULT_TTFT_PERCENTILE: f64 = 95.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LatencyMode {
    /// A person or a service waits for the answer.
    Interactive,
    /// A 24-hour turnaround is acceptable (batch processing).
    Async,
}

/// Where the data may be processed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Residency {
    Global,
    DataZone(Zone),
    Region(String),
    OnPremises,
    AirGapped,
}

impl Residency {
    /// Residencies only owned hardware satisfies.
    pub fn requires_on_premises(&self) -> bool {
        matches!(self, Residency::OnPremises | Residency::AirGapped)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Compliance {
    Hipaa,
    Gdpr,
    FedRampModerate,
    FedRampHigh,
    Il4,
    Il5,
    Itar,
}

impl Compliance {
    /// Regimes that only Azure Government (or self-hosting) satisfies.
    pub fn needs_government_cloud(self) -> bool {
        matches!(
            self,
            Compliance::FedRampHigh | Compliance::Il4 | Compliance::Il5 | Compliance::Itar
        )
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Customization {
    #[default]
    PromptOnly,
    HostedFineTune,
    FullWeights,
}

/// The people who would run a self-hosted deployment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Team {
    #[serde(with = "num::whole")]
    pub platform_engineers: u32,
    #[serde(with = "num::money")]
    pub engineer_monthly_cost: Decimal,
    /// Full-time engineers a self-hosted deployment takes to run.
    #[serde(with = "num::float")]
    pub self_hosting_fte: f64,
    /// Engineers a platform-run GPU deployment (Foundry managed compute, Databricks GPU
    /// serving) still takes: the platform runs the machines, the team still sizes, updates,
    /// monitors and scales the endpoint. No published figure exists, so it is the team's
    /// judgement; 0 unless given (and written only when given).
    #[serde(with = "num::float", skip_serializing_if = "is_zero")]
    pub platform_fte: f64,
    /// The team already runs Azure Databricks (a workspace, Unity Catalog, the skills): the
    /// seeds' condition for serving on Databricks. Without it Databricks options are shown
    /// but not recommended.
    #[serde(skip_serializing_if = "is_false")]
    pub databricks: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

impl Default for Team {
    fn default() -> Self {
        Team {
            platform_engineers: 2,
            engineer_monthly_cost: Decimal::from(15_000),
            self_hosting_fte: 1.0,
            platform_fte: 0.0,
            databricks: false,
        }
    }
}

/// Where and how compute is bought.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Pricing {
    pub region: String,
    pub commitment: Commitment,
    /// Negotiated discount (0..1) applied to list prices.
    #[serde(with = "num::money")]
    pub discount: Decimal,
    /// Bill the Azure AI Content Safety screening Foundry applies by default to serverless
    /// endpoints (Microsoft: "you might be billed separately"); off when the endpoint's
    /// filter is turned off.
    pub foundry_content_filter: bool,
}

impl Default for Pricing {
    fn default() -> Self {
        Pricing {
            region: "eastus".to_string(),
            commitment: Commitment::PayAsYouGo,
            discount: Decimal::ZERO,
            foundry_content_filter: true,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Commitment {
    #[default]
    PayAsYouGo,
    OneMonth,
    OneYear,
    ThreeYear,
}

/// Choices for an open-weight model served on GPUs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SelfHosting {
    pub precision: PrecisionChoice,
    /// Allowed GPU ids; empty means every GPU in the catalog.
    pub gpus: Vec<String>,
    /// Where self-hosting may run: Azure GPU VMs, owned servers, or both (left out of a
    /// written file when `Auto`, so files stay readable by builds that predate it).
    #[serde(skip_serializing_if = "Sites::is_auto")]
    pub sites: Sites,
    /// Replicas kept running at all hours; `None` (the field left out) is 2 for an
    /// interactive workload, so one replica can fail or be upgraded while the other serves,
    /// and 1 for an async one ([`Scenario::min_replicas`]).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "num::opt_whole")]
    pub min_replicas: Option<u32>,
    pub autoscale: bool,
    /// Share of GPU memory the engine may use (vLLM's `gpu_memory_utilization`).
    #[serde(with = "num::float")]
    pub memory_utilization: f64,
}

impl Default for SelfHosting {
    fn default() -> Self {
        SelfHosting {
            precision: PrecisionChoice::Auto,
            gpus: Vec::new(),
            sites: Sites::Auto,
            min_replicas: None,
            autoscale: true,
            memory_utilization: 0.9,
        }
    }
}

/// Where a self-hosted deployment may run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sites {
    /// Azure GPU VMs; owned servers only when the residency requires them (`OnPremises`,
    /// `AirGapped`).
    #[default]
    Auto,
    /// Azure GPU VMs only.
    Cloud,
    /// Owned servers only.
    OnPremises,
    /// Both, compared.
    Both,
}

impl Sites {
    pub const ALL: [Sites; 4] = [Sites::Auto, Sites::Cloud, Sites::OnPremises, Sites::Both];

    fn is_auto(&self) -> bool {
        *self == Sites::Auto
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PrecisionChoice {
    #[default]
    Auto,
    Bf16,
    Fp8,
    Int8,
    Int4,
}

impl Scenario {
    /// Replicas kept running at all hours: the scenario's `min_replicas`, else 2 for an
    /// interactive workload (redundancy against a failed or upgrading replica) and 1 for an
    /// async one.
    pub fn min_replicas(&self) -> u32 {
        self.self_hosting.min_replicas.unwrap_or(match self.latency.mode {
            LatencyMode::Interactive => 2,
            LatencyMode::Async => 1,
        })
    }

    /// Whether owned servers are offered: when the scenario allows them, or when the
    /// residency leaves nothing else (`OnPremises`, `AirGapped`) and the scenario does not
    /// exclude them.
    pub fn offers_on_premises(&self) -> bool {
        match self.self_hosting.sites {
            Sites::OnPremises | Sites::Both => true,
            Sites::Cloud => false,
            Sites::Auto => self.residency.requires_on_premises(),
        }
    }

    /// Whether Azure GPU VMs are offered for self-hosting.
    pub fn offers_cloud_gpus(&self) -> bool {
        self.self_hosting.sites != Sites::OnPremises
    }

    /// The built-in example: the customer-support chatbot of the seeds.
    pub fn example() -> Scenario {
        Scenario {
            version: FORMAT_VERSION,
            name: "Customer-support chatbot".to_string(),
            notes: String::new(),
            workload: Workload {
                requests_per_day: 100_000.0,
                input_tokens: 2_000.0,
                output_tokens: 500.0,
                cached_input_share: 0.0,
                reasoning_tokens: 0.0,
            },
            traffic: Traffic {
                pattern: Pattern::BusinessHours,
                peak_to_average: 2.0,
            },
            latency: Latency {
                mode: LatencyMode::Interactive,
                ttft_ms: 2_000.0,
                output_tokens_per_s: 20.0,
                ttft_percentile: DEFAULT_TTFT_PERCENTILE,
            },
            residency: Residency::Global,
            compliance: Vec::new(),
            quality: Tier::Efficient,
            models: Vec::new(),
            customization: Customization::PromptOnly,
            team: Team::default(),
            pricing: Pricing::default(),
            self_hosting: SelfHosting::default(),
            fine_tuning: None,
            routing: None,
        }
    }

    /// The fine-tuning group as given, or its defaults (for the editor's rows).
    pub fn fine_tuning_or_default(&self) -> FineTuning {
        self.fine_tuning.clone().unwrap_or_default()
    }

    /// The fine-tuning group, created with its defaults when the file had none.
    pub fn fine_tuning_mut(&mut self) -> &mut FineTuning {
        self.fine_tuning.get_or_insert_with(FineTuning::default)
    }
}
