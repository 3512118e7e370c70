//! The catalog's entry types, as they are written in `assets/catalog/*.ron`.
//!
//! Every entry carries `source` (where the figure comes from), `as_of` (the date of that
//! source, `YYYY-MM-DD`) and `estimate` (true where the source is unconfirmed or the figure
//! is derived; the UI marks such figures with `~`).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::num;
pub use crate::vocab::Deployment;
use crate::vocab::{Tier, Zone};

/// The catalog as a whole: when it was assembled and what it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub name: String,
    /// The date the catalog's figures were last checked as a whole.
    pub as_of: String,
    #[serde(default)]
    pub notes: String,
}

/// An Azure region that prices or residency rules can name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// ARM region name, e.g. `westeurope`.
    pub id: String,
    pub name: String,
    /// The Azure OpenAI data zone the region belongs to, if any.
    #[serde(default)]
    pub zone: Option<Zone>,
    /// An Azure Government region.
    #[serde(default)]
    pub government: bool,
    pub source: String,
    pub as_of: String,
    #[serde(default)]
    pub estimate: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Vendor {
    Nvidia,
    Amd,
}

/// GPU architecture generation; efficiencies are calibrated per family. `Cpu` is a CPU
/// socket serving on its cores and DRAM (vLLM's x86 CPU backend), sized by the same
/// roofline with efficiencies of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum GpuFamily {
    Turing,
    Ampere,
    Ada,
    Hopper,
    Blackwell,
    Cdna3,
    Cpu,
}

impl GpuFamily {
    pub fn id(self) -> &'static str {
        match self {
            GpuFamily::Turing => "turing",
            GpuFamily::Ampere => "ampere",
            GpuFamily::Ada => "ada",
            GpuFamily::Hopper => "hopper",
            GpuFamily::Blackwell => "blackwell",
            GpuFamily::Cdna3 => "cdna3",
            GpuFamily::Cpu => "cpu",
        }
    }
}

/// One accelerator. Throughput figures are dense (no 2:4 sparsity).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gpu {
    pub id: String,
    pub name: String,
    pub vendor: Vendor,
    pub family: GpuFamily,
    /// Device memory, GiB.
    pub memory_gib: f64,
    /// Memory bandwidth, GB/s (10^9 bytes per second).
    pub bandwidth_gb_s: f64,
    /// Dense 16-bit tensor throughput (BF16, or FP16 where the GPU has no BF16), TFLOPS.
    pub bf16_tflops: f64,
    /// Dense FP8 tensor throughput, TFLOPS; `None` where the GPU has no FP8.
    #[serde(default)]
    pub fp8_tflops: Option<f64>,
    /// Dense INT8 tensor throughput, TOPS.
    pub int8_tops: f64,
    /// GPU-to-GPU bandwidth within a node, GB/s (NVLink, Infinity Fabric or PCIe).
    pub link_gb_s: f64,
    /// Human-readable interconnect, e.g. "NVLink 4 (900 GB/s)".
    pub interconnect: String,
    pub tdp_w: f64,
    /// How the part is built into servers, which decides the GPU counts a server of it is
    /// sold with ([`FormFactor::server_gpus`]); absent means not known (any of 1, 2, 4, 8).
    #[serde(default)]
    pub form_factor: Option<FormFactor>,
    /// GiB of `memory_gib` the operating system keeps, on devices whose memory the host
    /// shares (Jetson modules, CPU sockets): the engine sizes with the rest. Absent: none
    /// (a discrete card's memory is its own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_reserved_gib: Option<f64>,
    pub source: String,
    pub as_of: String,
    #[serde(default)]
    pub estimate: bool,
    #[serde(default)]
    pub notes: String,
}

/// How a GPU is mounted: on a vendor baseboard of eight (NVIDIA HGX SXM, AMD OAM) or as a
/// PCIe card a server takes one to eight of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FormFactor {
    /// SXM module on an HGX/DGX 8-GPU baseboard.
    Sxm,
    /// OCP Accelerator Module on an 8-GPU platform (MI300X).
    Oam,
    /// PCIe add-in card.
    Pcie,
    /// A whole device with one accelerator of its own (a Jetson module, a CPU socket): it
    /// is bought one at a time and never joins another in tensor parallelism.
    Device,
}

impl FormFactor {
    /// GPU counts a server of this form factor is sold with (catalog-facts-2 section 16:
    /// "8 for SXM and OAM parts, 1-8 for PCIe cards"; NVLink bridges pair PCIe cards, so
    /// 1, 2, 4 or 8).
    pub fn server_gpus(form: Option<FormFactor>) -> &'static [u32] {
        match form {
            Some(FormFactor::Sxm | FormFactor::Oam) => &[8],
            Some(FormFactor::Pcie) | None => &[1, 2, 4, 8],
            Some(FormFactor::Device) => &[1],
        }
    }
}

/// A server bought to run GPUs on premises: how many GPUs of which part it holds, what it
/// costs to buy (absent where no public figure was found: then it cannot be priced and
/// the on-premises option says how to give a price) and what it draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Server {
    pub id: String,
    pub name: String,
    pub gpu: String,
    pub gpus: u32,
    /// Purchase price in USD, hardware only (support is `support_share_per_year`).
    #[serde(default, with = "num::opt_money")]
    pub usd: Option<Decimal>,
    /// Support a year as a share of the purchase price; absent: the catalog constant
    /// `on_prem_support_share_per_year`.
    #[serde(default)]
    pub support_share_per_year: Option<f64>,
    /// Maximum system input power, kW (what the rack circuit and colocation are sized for).
    pub max_kw: f64,
    /// Typical draw at light load, kW; absent: the server is taken to draw `max_kw`.
    #[serde(default)]
    pub typical_kw: Option<f64>,
    /// Where the server runs: in a data centre (colocation and the data centre's PUE apply)
    /// or at the edge, beside the machines it serves (neither applies).
    #[serde(default, skip_serializing_if = "ServerSite::is_datacenter")]
    pub site: ServerSite,
    pub source: String,
    pub as_of: String,
    #[serde(default)]
    pub estimate: bool,
    #[serde(default)]
    pub notes: String,
}

/// Where an owned server runs, which decides what its power and space cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum ServerSite {
    /// A data centre: power at the catalog's PUE, colocation per kW of maximum draw.
    #[default]
    Datacenter,
    /// On the factory floor, in a shop or a kiosk: a device on the site's own power, with
    /// no facility overhead (PUE 1) and no colocation.
    Edge,
}

impl ServerSite {
    pub fn is_datacenter(&self) -> bool {
        *self == ServerSite::Datacenter
    }
}

/// An Azure GPU virtual machine size and its Linux pay-as-you-go price per region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vm {
    /// Azure size name, e.g. `Standard_ND96isr_H100_v5`.
    pub id: String,
    pub gpu: String,
    pub gpus: u32,
    pub vcpus: u32,
    pub ram_gib: f64,
    /// USD per hour by region id.
    #[serde(with = "num::money_map")]
    pub usd_per_hour: BTreeMap<String, Decimal>,
    pub source: String,
    pub as_of: String,
    #[serde(default)]
    pub estimate: bool,
    #[serde(default)]
    pub notes: String,
    /// Whether Azure Machine Learning managed online endpoints (Foundry managed compute) run
    /// this size; absent: they do not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_compute: Option<ManagedCompute>,
}

/// A VM size Foundry managed compute (Azure ML managed online endpoints) runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManagedCompute {
    /// Exempt from the 20% of quota Azure ML reserves for upgrades (the "Skip 20%
    /// Reservation" column): quota for `instances` x vCPUs instead of `ceil(1.2 x instances)`.
    pub skips_quota_reservation: bool,
    pub source: String,
    pub as_of: String,
    #[serde(default)]
    pub estimate: bool,
}

/// An entry of `databricks.ron`: Azure Databricks Model Serving figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Databricks {
    /// A GPU serving size (workload type) of custom-model serving endpoints.
    Serving(DatabricksServing),
    /// The price of a DBU of Serverless Real-Time Inference in a region.
    Dbu(DatabricksDbu),
    /// What one provisioned-throughput model unit of a foundation model serves and costs.
    Provisioned(DatabricksProvisioned),
}

/// A GPU workload type of Databricks custom-model serving.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabricksServing {
    /// The workload type, e.g. `GPU_LARGE_2`.
    pub id: String,
    /// The catalog GPU it carries.
    pub gpu: String,
    pub gpus: u32,
    /// DBUs it consumes an hour.
    #[serde(with = "crate::num::money")]
    pub dbu_per_hour: Decimal,
    pub source: String,
    pub as_of: String,
    #[serde(default)]
    pub estimate: bool,
    #[serde(default)]
    pub notes: String,
}

/// USD per DBU of Serverless Real-Time Inference in a region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabricksDbu {
    pub region: String,
    #[serde(with = "crate::num::money")]
    pub usd_per_dbu: Decimal,
    pub source: String,
    pub as_of: String,
    #[serde(default)]
    pub estimate: bool,
    #[serde(default)]
    pub notes: String,
}

/// Provisioned throughput of a Foundation Model API model, in model units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabricksProvisioned {
    pub model: String,
    /// The published example: so many model units serve about so many tokens a second...
    pub example_units: u32,
    pub example_tokens_per_s: f64,
    /// ... at requests of this many input and output tokens.
    pub example_input_tokens: u32,
    pub example_output_tokens: u32,
    /// DBUs an hour of one model unit (see `notes` for how sure that reading is).
    #[serde(with = "crate::num::money")]
    pub dbu_per_unit_hour: Decimal,
    pub source: String,
    pub as_of: String,
    #[serde(default)]
    pub estimate: bool,
    #[serde(default)]
    pub notes: String,
}

/// How a model's weights can be had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Weights {
    /// Downloadable: can be self-hosted and fully fine-tuned.
    Open,
    /// API only.
    Closed,
}

/// Hosted fine-tuning: the per-hour fee for keeping a fine-tuned deployment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FineTuning {
    #[serde(with = "num::money")]
    pub hosting_usd_per_hour: Decimal,
    pub source: String,
    pub as_of: String,
    #[serde(default)]
    pub estimate: bool,
}

/// Multi-head latent attention (DeepSeek V3): the cache holds a compressed latent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mla {
    pub kv_lora_rank: u32,
    pub qk_rope_head_dim: u32,
}

/// Mixture of experts: all experts are resident, `experts_per_token` are active.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Moe {
    /// Routed experts per MoE layer.
    pub experts: u32,
    /// Routed experts each token uses.
    pub experts_per_token: u32,
    #[serde(default)]
    pub shared_experts: u32,
}

/// Layers whose attention only sees a window (sliding window or chunked attention).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalAttention {
    /// Tokens a local layer keeps in its cache.
    pub window: u32,
    /// How many of the model's layers are local; the rest see the whole context.
    pub layers: u32,
}

/// Numeric format of the weights (and, for `Fp8`, of activations and the KV cache).
/// `Int8` and `Int4` are weight-only: they compute at 16 bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Precision {
    Bf16,
    Fp8,
    Int8,
    Int4,
}

impl Precision {
    pub const ALL: [Precision; 4] = [Precision::Bf16, Precision::Fp8, Precision::Int8, Precision::Int4];

    pub fn id(self) -> &'static str {
        match self {
            Precision::Bf16 => "bf16",
            Precision::Fp8 => "fp8",
            Precision::Int8 => "int8",
            Precision::Int4 => "int4",
        }
    }
}

/// What the memory and speed models need to know about an open-weight model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Architecture {
    /// Total parameters, billions (all experts for MoE).
    pub params_b: f64,
    /// Parameters used per token, billions; `None` for dense models (same as total).
    #[serde(default)]
    pub active_params_b: Option<f64>,
    pub layers: u32,
    pub hidden: u32,
    pub heads: u32,
    /// Key/value heads (equal to `heads` for multi-head attention).
    pub kv_heads: u32,
    pub head_dim: u32,
    #[serde(default)]
    pub ffn: Option<u32>,
    #[serde(default)]
    pub vocab: Option<u32>,
    #[serde(default)]
    pub mla: Option<Mla>,
    #[serde(default)]
    pub moe: Option<Moe>,
    #[serde(default)]
    pub local_attention: Option<LocalAttention>,
    /// The format the model is published in, when it is not 16-bit (DeepSeek V3 ships FP8,
    /// gpt-oss MXFP4 experts, counted as `Int4`).
    #[serde(default)]
    pub native_precision: Option<Precision>,
    /// How the published format is encoded when the engine needs to know (gpt-oss:
    /// `Mxfp4`, whose kernels take bfloat16 activations only, so the model never runs on a
    /// GPU without bfloat16).
    #[serde(default)]
    pub native_format: Option<WeightFormat>,
}

/// A model, hosted or open-weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    pub id: String,
    pub name: String,
    pub provider: String,
    pub tier: Tier,
    pub weights: Weights,
    /// Longest prompt plus completion the model accepts, tokens.
    pub context_tokens: u64,
    /// Produces hidden reasoning tokens (billed as output).
    #[serde(default)]
    pub reasoning: bool,
    /// Kept to validate the performance model against published measurements; never a
    /// candidate for a scenario unless named in its `models`.
    #[serde(default)]
    pub benchmark_only: bool,
    /// Managed deployment types the model is offered under.
    #[serde(default)]
    pub deployments: Vec<Deployment>,
    /// Offered by Azure OpenAI in Azure Government regions.
    #[serde(default)]
    pub azure_government: bool,
    #[serde(default)]
    pub fine_tuning: Option<FineTuning>,
    /// When the model can be deployed: its release and retirement dates.
    #[serde(default)]
    pub lifecycle: Option<Lifecycle>,
    /// How fast a hosted endpoint of the model answers (median time to first token, output
    /// speed, typical hidden reasoning).
    #[serde(default)]
    pub hosted_speed: Option<HostedSpeed>,
    #[serde(default)]
    pub architecture: Option<Architecture>,
    pub source: String,
    pub as_of: String,
    #[serde(default)]
    pub estimate: bool,
    #[serde(default)]
    pub notes: String,
}

/// Token prices of one model under one deployment type, USD per million tokens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenPrice {
    pub model: String,
    pub deployment: Deployment,
    #[serde(with = "num::money")]
    pub input: Decimal,
    /// Price of prompt tokens served from the cache; `None` where the catalog has none
    /// (cached tokens are then billed as input).
    #[serde(default, with = "num::opt_money")]
    pub cached_input: Option<Decimal>,
    #[serde(with = "num::money")]
    pub output: Decimal,
    pub source: String,
    pub as_of: String,
    #[serde(default)]
    pub estimate: bool,
    /// Why the price can no longer be bought, with its sources (a provider's own API that
    /// has withdrawn the model); the option is then ruled out with this reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
}

/// Microsoft's PTU sizing figures for one model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PtuModel {
    pub model: String,
    /// Minimum PTU and increment for Global and Data Zone provisioned deployments.
    pub global_min: u32,
    pub global_increment: u32,
    /// Minimum and increment for Regional provisioned; `None` where not offered.
    #[serde(default)]
    pub regional_min: Option<u32>,
    #[serde(default)]
    pub regional_increment: Option<u32>,
    /// Input-equivalent tokens per minute one PTU serves.
    pub input_tpm_per_ptu: f64,
    /// Input tokens one output token counts as.
    pub output_weight: f64,
    /// True where `output_weight` is not stated by Microsoft for this model.
    #[serde(default)]
    pub output_weight_estimate: bool,
    /// Another output weighting a Microsoft page gives for the model, where two disagree;
    /// `output_weight` is the newest table's, this one is said beside it.
    #[serde(default)]
    pub contested_output_weight: Option<f64>,
    /// Longest prompt a provisioned deployment of the model accepts, where Microsoft states
    /// one (tokens).
    #[serde(default)]
    pub max_prompt_tokens: Option<u64>,
    /// Microsoft's latency target: 99% of requests above this many output tokens/s.
    pub latency_target_tokens_per_s: f64,
    pub source: String,
    pub as_of: String,
    #[serde(default)]
    pub estimate: bool,
    #[serde(default)]
    pub notes: String,
}

/// The PTU families of deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PtuKind {
    Global,
    DataZone,
    Regional,
}

/// What one PTU costs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PtuPrice {
    pub kind: PtuKind,
    #[serde(with = "num::money")]
    pub usd_per_hour: Decimal,
    #[serde(with = "num::money")]
    pub one_month_usd: Decimal,
    #[serde(with = "num::money")]
    pub one_year_usd: Decimal,
    pub source: String,
    pub as_of: String,
    #[serde(default)]
    pub estimate: bool,
}

/// A named constant of the planning engine (efficiencies, overheads), with its unit,
/// where it comes from and how well it fits the calibration data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Constant {
    pub id: String,
    pub value: f64,
    pub unit: String,
    pub description: String,
    pub source: String,
    pub as_of: String,
    #[serde(default)]
    pub estimate: bool,
    /// The calibration error where the constant was fitted, e.g. "median 9% on 27 rows".
    #[serde(default)]
    pub fit: Option<String>,
}

/// When a model can be deployed, as Microsoft's retirement schedule gives it. Dates are
/// `YYYY-MM-DD`; a plan dated on or after `retires` cannot deploy the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lifecycle {
    /// The first day the model (this version) could be deployed: its version date.
    #[serde(default)]
    pub available_from: Option<String>,
    /// The day deployments of the model stop serving; `None` where no date is published.
    #[serde(default)]
    pub retires: Option<String>,
    /// The model Microsoft names as the replacement, if it names one (a catalog id where the
    /// catalog has it).
    #[serde(default)]
    pub replacement: Option<String>,
    /// The day deployments of a model fine-tuned from this one stop serving, where Microsoft
    /// gives them a later date than the base model's.
    #[serde(default)]
    pub fine_tuned_retires: Option<String>,
    /// Microsoft's lifecycle status as published: `GA`, `Preview`, `Deprecated`, `Legacy`.
    #[serde(default)]
    pub status: String,
    pub source: String,
    pub as_of: String,
    #[serde(default)]
    pub estimate: bool,
    #[serde(default)]
    pub notes: String,
}

impl Lifecycle {
    /// The retirement date that applies to a deployment of the model, or of a model
    /// fine-tuned from it (`fine_tuned`), with whether it is the fine-tuned schedule's.
    pub fn retirement(&self, fine_tuned: bool) -> Option<(&str, bool)> {
        match (&self.fine_tuned_retires, fine_tuned) {
            (Some(d), true) => Some((d, true)),
            _ => self.retires.as_deref().map(|d| (d, false)),
        }
    }
}

/// Measured speed of a hosted endpoint of a model: median time to the first token at the
/// lowest reasoning effort (as a client sees it, network and queue included) and median
/// output speed; and, for a reasoning model, the hidden reasoning tokens a request typically
/// spends, which a scenario without its own `reasoning_tokens` is planned with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostedSpeed {
    /// Median time to the first token without hidden reasoning, ms.
    pub ttft_ms: f64,
    /// Median output speed of one request, tokens/s.
    pub output_tokens_per_s: f64,
    /// Hidden reasoning tokens per request at the model's default effort (reasoning models).
    #[serde(default)]
    pub typical_reasoning_tokens: Option<u32>,
    /// Where `typical_reasoning_tokens` comes from (it is usually derived).
    #[serde(default)]
    pub reasoning_source: String,
    pub source: String,
    pub as_of: String,
    #[serde(default)]
    pub estimate: bool,
    #[serde(default)]
    pub notes: String,
}

/// One cell row of Microsoft's model matrices: the regions where a deployment of one type
/// of one model can be created. A Data Zone row lists the regions a Data Zone deployment can
/// be created in (the zone follows from each region's `zone`). A model, deployment type and
/// region with no row here cannot be deployed, whatever its price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Availability {
    pub model: String,
    pub deployment: Deployment,
    /// The deployment of a model fine-tuned from `model` (Microsoft lists these apart).
    #[serde(default)]
    pub fine_tuned: bool,
    pub regions: Vec<String>,
    /// Said with any option that rests on this row, where the sources disagree about it
    /// (for instance a cell a newer page lists but a retirement table says has gone).
    #[serde(default)]
    pub caveat: Option<String>,
    pub source: String,
    pub as_of: String,
    #[serde(default)]
    pub estimate: bool,
    #[serde(default)]
    pub notes: String,
}

/// The quota levels Microsoft publishes for Azure OpenAI: the usage tiers of the commercial
/// cloud, and the older Default / Enterprise levels (still the only ones in Azure Government
/// and for rows the tier tables omit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum QuotaTier {
    Free,
    Tier1,
    Tier2,
    Tier3,
    Tier4,
    Tier5,
    Tier6,
    Default,
    Enterprise,
}

impl QuotaTier {
    pub fn label(self) -> &'static str {
        match self {
            QuotaTier::Free => "Free",
            QuotaTier::Tier1 => "Tier 1",
            QuotaTier::Tier2 => "Tier 2",
            QuotaTier::Tier3 => "Tier 3",
            QuotaTier::Tier4 => "Tier 4",
            QuotaTier::Tier5 => "Tier 5",
            QuotaTier::Tier6 => "Tier 6",
            QuotaTier::Default => "Default",
            QuotaTier::Enterprise => "Enterprise",
        }
    }
}

/// Tokens and requests per minute one subscription may use of one model and deployment type
/// in one region (Azure Government: `government: true`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quota {
    pub model: String,
    pub deployment: Deployment,
    pub tier: QuotaTier,
    #[serde(default)]
    pub government: bool,
    pub tpm: u64,
    /// Requests per minute (a table that gives requests per 10 seconds is converted).
    #[serde(default)]
    pub rpm: Option<u64>,
    pub source: String,
    pub as_of: String,
    #[serde(default)]
    pub estimate: bool,
    #[serde(default)]
    pub notes: String,
}

/// A numeric format a serving engine's kernels run weights in, as its hardware table names
/// them. llmcap's [`Precision`] maps onto these per GPU: `Bf16` runs as `Fp16` on parts
/// without bfloat16, and a model published in MXFP4 (gpt-oss) runs its `Int4` as `Mxfp4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WeightFormat {
    Bf16,
    Fp16,
    /// FP8 weights and activations (W8A8).
    Fp8,
    /// 8-bit integer weights (computed at 16 bits).
    Int8,
    /// 4-bit integer weights, AWQ or GPTQ (computed at 16 bits).
    Int4,
    /// OCP microscaling 4-bit (gpt-oss experts); bfloat16 activations only.
    Mxfp4,
}

impl WeightFormat {
    pub fn id(self) -> &'static str {
        match self {
            WeightFormat::Bf16 => "bf16",
            WeightFormat::Fp16 => "fp16",
            WeightFormat::Fp8 => "fp8",
            WeightFormat::Int8 => "int8",
            WeightFormat::Int4 => "int4",
            WeightFormat::Mxfp4 => "mxfp4",
        }
    }
}

/// Which GPU families an engine runs a format on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormatSupport {
    pub format: WeightFormat,
    pub families: Vec<GpuFamily>,
    #[serde(default)]
    pub notes: String,
}

/// The engine's scheduler defaults for a class of GPU: at most `max_num_seqs` sequences in
/// a batch and `max_num_batched_tokens` tokens (decode tokens plus prefill chunks) a step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchedulerLimit {
    /// Applies only to GPUs of these families, where any are named (the CPU backend has
    /// defaults of its own) ...
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub families: Vec<GpuFamily>,
    /// ... with at least this much memory, GiB ...
    pub min_memory_gib: f64,
    /// ... except these GPU ids (vLLM excludes A100 by device name).
    #[serde(default)]
    pub except: Vec<String>,
    pub max_num_seqs: u32,
    pub max_num_batched_tokens: u32,
}

/// A serving engine as the sizing models it: scheduler limits by GPU class, chunked prefill,
/// prefix caching and which formats run on which hardware. The sizing uses the entry `vllm`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServingEngine {
    pub id: String,
    pub name: String,
    pub version: String,
    /// Tried in order; the first whose class the GPU is in applies.
    pub limits: Vec<SchedulerLimit>,
    /// Long prompts are split into chunks of the step's token budget left after decoding.
    pub chunked_prefill: bool,
    /// Repeated prompt prefixes are served from the KV cache instead of being recomputed.
    pub prefix_caching: bool,
    pub support: Vec<FormatSupport>,
    pub source: String,
    pub as_of: String,
    #[serde(default)]
    pub estimate: bool,
    #[serde(default)]
    pub notes: String,
}

impl ServingEngine {
    /// The scheduler limits for a GPU (the last entry when no class matches).
    pub fn limits_for(&self, gpu: &Gpu) -> Option<&SchedulerLimit> {
        self.limits
            .iter()
            .find(|l| {
                (l.families.is_empty() || l.families.contains(&gpu.family))
                    && gpu.memory_gib >= l.min_memory_gib
                    && !l.except.contains(&gpu.id)
            })
            .or_else(|| self.limits.last())
    }

    /// True when the engine runs `format` on the GPU's family.
    pub fn runs(&self, format: WeightFormat, gpu: &Gpu) -> bool {
        self.support
            .iter()
            .any(|s| s.format == format && s.families.contains(&gpu.family))
    }
}
