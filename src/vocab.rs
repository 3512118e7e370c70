//! The domain's words, defined once: deployment options and their families, where a
//! deployment runs, why an option is ruled out, model tiers and data zones.
//!
//! Every layer (scenario, catalog, engine, report, the workbench) uses these types instead of
//! comparing strings, so the JSON, the CSV, the text reports and the panes cannot disagree on
//! what an option is called or which family it belongs to. The contract strings of
//! `shared/spec/product.md` (option ids, family names) are written here and nowhere else.

use serde::{Deserialize, Serialize, Serializer};

/// Model quality tiers, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Tier {
    Frontier,
    Strong,
    Efficient,
    Compact,
}

impl Tier {
    pub const ALL: [Tier; 4] = [Tier::Frontier, Tier::Strong, Tier::Efficient, Tier::Compact];

    /// True when a model of tier `self` is acceptable for a scenario asking at least `floor`.
    pub fn meets(self, floor: Tier) -> bool {
        self <= floor
    }
}

impl std::fmt::Display for Tier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self, f)
    }
}

/// An Azure OpenAI data zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Zone {
    Us,
    Eu,
    /// Azure Government's USGov data zone (usgovarizona and usgovvirginia).
    UsGov,
}

/// How far a managed deployment may move data: anywhere, within a data zone, or within one
/// region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    Global,
    DataZone,
    Regional,
}

impl Scope {
    /// As Microsoft's deployment-type names write it: "Global", "Data Zone", "Regional".
    pub fn label(self) -> &'static str {
        match self {
            Scope::Global => "Global",
            Scope::DataZone => "Data Zone",
            Scope::Regional => "Regional",
        }
    }
}

/// How a deployment is bought.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Azure OpenAI Standard: pay per token.
    Standard,
    /// Provisioned Throughput Units: capacity reserved by the hour or by commitment.
    Provisioned,
    /// Azure OpenAI Batch: pay per token at a discount, results within 24 hours.
    Batch,
    /// A model-as-a-service endpoint (Foundry serverless, Databricks pay-per-token, a
    /// provider's own API): pay per token.
    Serverless,
    /// Dedicated GPUs a platform runs for the customer (Foundry managed compute, Databricks
    /// GPU serving): billed by the hour, sized like a self-hosted fleet.
    Dedicated,
    /// An open-weight model on GPUs the customer runs.
    SelfHosted,
}

impl Kind {
    /// How the bill grows with volume: the groups break-even volumes are searched between.
    pub fn billing(self) -> Billing {
        match self {
            Kind::Standard | Kind::Batch | Kind::Serverless => Billing::PerToken,
            Kind::Provisioned => Billing::Reserved,
            Kind::Dedicated | Kind::SelfHosted => Billing::GpuHours,
        }
    }
}

/// The three ways a bill grows with volume, which cross each other as volume changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Billing {
    /// Pay per token: linear in volume.
    PerToken,
    /// Reserved capacity in units (PTU, model units): a staircase.
    Reserved,
    /// GPUs by the hour or bought: replicas sized to the load.
    GpuHours,
}

/// Who runs a deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Provider {
    /// Azure OpenAI in Azure AI Foundry (Standard, Provisioned, Batch).
    AzureOpenAi,
    /// Azure AI Foundry's other models: serverless endpoints and managed compute.
    Foundry,
    /// Azure Databricks Model Serving.
    Databricks,
    /// OpenAI directly, outside Azure.
    OpenAi,
    /// Anthropic directly, outside Azure.
    Anthropic,
    /// The customer, on Azure VMs or owned hardware.
    Customer,
}

impl Provider {
    /// True for a provider outside Azure: no Azure region, data zone or Azure Government.
    pub fn outside_azure(self) -> bool {
        matches!(self, Provider::OpenAi | Provider::Anthropic)
    }
}

/// A platform that runs an open model on dedicated GPUs for the customer, billed by the hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Platform {
    /// Azure AI Foundry managed compute (Azure Machine Learning managed online endpoints).
    FoundryManagedCompute,
    /// Azure Databricks Model Serving custom-model GPU endpoints.
    DatabricksServing,
}

impl Platform {
    pub const ALL: [Platform; 2] = [Platform::FoundryManagedCompute, Platform::DatabricksServing];

    pub fn label(self) -> &'static str {
        match self {
            Platform::FoundryManagedCompute => "Foundry managed compute",
            Platform::DatabricksServing => "Databricks GPU serving",
        }
    }

    pub fn provider(self) -> Provider {
        match self {
            Platform::FoundryManagedCompute => Provider::Foundry,
            Platform::DatabricksServing => Provider::Databricks,
        }
    }

    pub fn family(self) -> Family {
        match self {
            Platform::FoundryManagedCompute => Family::ManagedCompute,
            Platform::DatabricksServing => Family::Databricks,
        }
    }
}

/// Where a deployment's compute runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Place {
    /// Microsoft's datacenters (a managed service or Azure VMs).
    Cloud,
    /// Hardware the customer owns.
    OnPremises,
}

impl Place {
    /// The word reports use, also the `vm` and `region` of an owned fleet: `on-premises`.
    pub fn id(self) -> &'static str {
        match self {
            Place::Cloud => "cloud",
            Place::OnPremises => "on-premises",
        }
    }
}

/// The groups options are compared in: the best of each is charted, swept and searched for
/// break-even volumes. Foundry serverless is its own family, `serverless`: it is billed per
/// token like Azure OpenAI Standard (`pay-as-you-go`) but is another platform with other
/// models and guarantees. The same holds for the platforms beside Azure OpenAI: Foundry
/// managed compute (dedicated VMs Microsoft runs), Azure Databricks Model Serving (its three
/// ways of paying are one family: a Databricks shop compares them with each other first) and
/// the providers' own APIs (OpenAI and Anthropic direct, the comparators).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// Azure OpenAI Standard: pay per token.
    PayAsYouGo,
    Provisioned,
    Batch,
    /// Foundry serverless: pay per token on a model-as-a-service endpoint.
    Serverless,
    /// Foundry managed compute: an open model on dedicated VMs Microsoft operates, per hour.
    ManagedCompute,
    /// Azure Databricks Model Serving: GPU endpoints, pay-per-token and provisioned throughput.
    Databricks,
    SelfHosted,
    /// A model provider's own API (OpenAI, Anthropic), outside Azure.
    DirectApi,
}

impl Family {
    pub const ALL: [Family; 8] = [
        Family::PayAsYouGo,
        Family::Provisioned,
        Family::Batch,
        Family::Serverless,
        Family::ManagedCompute,
        Family::Databricks,
        Family::SelfHosted,
        Family::DirectApi,
    ];

    /// The family's name in every output: JSON, CSV, sweeps, reports and panes.
    pub fn label(self) -> &'static str {
        match self {
            Family::PayAsYouGo => "pay-as-you-go",
            Family::Provisioned => "provisioned",
            Family::Batch => "batch",
            Family::Serverless => "serverless",
            Family::ManagedCompute => "managed-compute",
            Family::Databricks => "databricks",
            Family::SelfHosted => "self-hosted",
            Family::DirectApi => "direct-api",
        }
    }

    /// Its position in [`Family::ALL`], for per-family tables and chart colours.
    pub fn index(self) -> usize {
        match self {
            Family::PayAsYouGo => 0,
            Family::Provisioned => 1,
            Family::Batch => 2,
            Family::Serverless => 3,
            Family::ManagedCompute => 4,
            Family::Databricks => 5,
            Family::SelfHosted => 6,
            Family::DirectApi => 7,
        }
    }
}

impl std::fmt::Display for Family {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// A managed way to buy a model's tokens: the `deployment` of a catalog price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Deployment {
    GlobalStandard,
    DataZoneStandard,
    RegionalStandard,
    GlobalProvisioned,
    DataZoneProvisioned,
    RegionalProvisioned,
    GlobalBatch,
    DataZoneBatch,
    FoundryServerless,
    /// Databricks Foundation Model APIs, pay-per-token.
    DatabricksPayPerToken,
    /// Databricks Foundation Model APIs, provisioned throughput (model units per hour).
    DatabricksProvisioned,
    /// OpenAI's own API (api.openai.com), outside Azure.
    OpenAiApi,
    /// Anthropic's own API (api.anthropic.com), outside Azure.
    AnthropicApi,
}

impl Deployment {
    pub const ALL: [Deployment; 13] = [
        Deployment::GlobalStandard,
        Deployment::DataZoneStandard,
        Deployment::RegionalStandard,
        Deployment::GlobalProvisioned,
        Deployment::DataZoneProvisioned,
        Deployment::RegionalProvisioned,
        Deployment::GlobalBatch,
        Deployment::DataZoneBatch,
        Deployment::FoundryServerless,
        Deployment::DatabricksPayPerToken,
        Deployment::DatabricksProvisioned,
        Deployment::OpenAiApi,
        Deployment::AnthropicApi,
    ];

    /// The option id of product.md.
    pub fn option_id(self) -> &'static str {
        match self {
            Deployment::GlobalStandard => "azure-openai/global-standard",
            Deployment::DataZoneStandard => "azure-openai/data-zone-standard",
            Deployment::RegionalStandard => "azure-openai/regional-standard",
            Deployment::GlobalProvisioned => "azure-openai/global-provisioned",
            Deployment::DataZoneProvisioned => "azure-openai/data-zone-provisioned",
            Deployment::RegionalProvisioned => "azure-openai/regional-provisioned",
            Deployment::GlobalBatch => "azure-openai/global-batch",
            Deployment::DataZoneBatch => "azure-openai/data-zone-batch",
            Deployment::FoundryServerless => "foundry/serverless",
            Deployment::DatabricksPayPerToken => "databricks/pay-per-token",
            Deployment::DatabricksProvisioned => "databricks/provisioned",
            Deployment::OpenAiApi => "openai/api",
            Deployment::AnthropicApi => "anthropic/api",
        }
    }

    /// Short name for tables: the part of the option id after the slash.
    pub fn short(self) -> &'static str {
        short_of(self.option_id())
    }

    /// As Microsoft's pages name the deployment type: "Regional Standard", "Global Batch".
    pub fn label(self) -> &'static str {
        match self {
            Deployment::GlobalStandard => "Global Standard",
            Deployment::DataZoneStandard => "Data Zone Standard",
            Deployment::RegionalStandard => "Regional Standard",
            Deployment::GlobalProvisioned => "Global Provisioned",
            Deployment::DataZoneProvisioned => "Data Zone Provisioned",
            Deployment::RegionalProvisioned => "Regional Provisioned",
            Deployment::GlobalBatch => "Global Batch",
            Deployment::DataZoneBatch => "Data Zone Batch",
            Deployment::FoundryServerless => "Foundry serverless",
            Deployment::DatabricksPayPerToken => "Databricks pay-per-token",
            Deployment::DatabricksProvisioned => "Databricks provisioned throughput",
            Deployment::OpenAiApi => "OpenAI API",
            Deployment::AnthropicApi => "Anthropic API",
        }
    }

    /// How far an Azure OpenAI deployment may move data; `None` for the other platforms,
    /// whose data rules are their provider's (see [`Deployment::provider`]).
    pub fn scope(self) -> Option<Scope> {
        use Deployment as D;
        match self {
            D::GlobalStandard | D::GlobalProvisioned | D::GlobalBatch => Some(Scope::Global),
            D::DataZoneStandard | D::DataZoneProvisioned | D::DataZoneBatch => Some(Scope::DataZone),
            D::RegionalStandard | D::RegionalProvisioned => Some(Scope::Regional),
            D::FoundryServerless
            | D::DatabricksPayPerToken
            | D::DatabricksProvisioned
            | D::OpenAiApi
            | D::AnthropicApi => None,
        }
    }

    pub fn kind(self) -> Kind {
        use Deployment as D;
        match self {
            D::GlobalStandard | D::DataZoneStandard | D::RegionalStandard => Kind::Standard,
            D::GlobalProvisioned | D::DataZoneProvisioned | D::RegionalProvisioned | D::DatabricksProvisioned => {
                Kind::Provisioned
            }
            D::GlobalBatch | D::DataZoneBatch => Kind::Batch,
            D::FoundryServerless | D::DatabricksPayPerToken | D::OpenAiApi | D::AnthropicApi => Kind::Serverless,
        }
    }

    /// Who runs it, which decides whose data and compliance terms apply.
    pub fn provider(self) -> Provider {
        use Deployment as D;
        match self {
            D::FoundryServerless => Provider::Foundry,
            D::DatabricksPayPerToken | D::DatabricksProvisioned => Provider::Databricks,
            D::OpenAiApi => Provider::OpenAi,
            D::AnthropicApi => Provider::Anthropic,
            _ => Provider::AzureOpenAi,
        }
    }

    pub fn family(self) -> Family {
        match self.provider() {
            Provider::Databricks => return Family::Databricks,
            Provider::OpenAi | Provider::Anthropic => return Family::DirectApi,
            Provider::AzureOpenAi | Provider::Foundry | Provider::Customer => {}
        }
        match self.kind() {
            Kind::Standard => Family::PayAsYouGo,
            Kind::Provisioned => Family::Provisioned,
            Kind::Batch => Family::Batch,
            Kind::Serverless => Family::Serverless,
            Kind::Dedicated => Family::ManagedCompute,
            Kind::SelfHosted => Family::SelfHosted,
        }
    }

    /// The Standard deployment of the same scope: what provisioned capacity spills over to
    /// and is compared with.
    pub fn standard_twin(self) -> Deployment {
        match self.scope() {
            Some(Scope::Global) => Deployment::GlobalStandard,
            Some(Scope::DataZone) => Deployment::DataZoneStandard,
            _ => Deployment::RegionalStandard,
        }
    }
}

/// One deployment option of the `eval` contract: a managed deployment, or self-hosting in a
/// place. Serialised as its option id (`azure-openai/global-standard`, `self-hosted/cloud-gpu`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OptionId {
    Managed(Deployment),
    /// An open model on GPUs a platform runs (Foundry managed compute, Databricks GPU
    /// serving), sized like a self-hosted fleet.
    Dedicated(Platform),
    SelfHosted(Place),
}

impl OptionId {
    /// Every option, in the order the engine evaluates them for a model.
    pub const ALL: [OptionId; 17] = [
        OptionId::Managed(Deployment::GlobalStandard),
        OptionId::Managed(Deployment::DataZoneStandard),
        OptionId::Managed(Deployment::RegionalStandard),
        OptionId::Managed(Deployment::GlobalProvisioned),
        OptionId::Managed(Deployment::DataZoneProvisioned),
        OptionId::Managed(Deployment::RegionalProvisioned),
        OptionId::Managed(Deployment::GlobalBatch),
        OptionId::Managed(Deployment::DataZoneBatch),
        OptionId::Managed(Deployment::FoundryServerless),
        OptionId::Managed(Deployment::DatabricksPayPerToken),
        OptionId::Managed(Deployment::DatabricksProvisioned),
        OptionId::Managed(Deployment::OpenAiApi),
        OptionId::Managed(Deployment::AnthropicApi),
        OptionId::Dedicated(Platform::FoundryManagedCompute),
        OptionId::Dedicated(Platform::DatabricksServing),
        OptionId::SelfHosted(Place::Cloud),
        OptionId::SelfHosted(Place::OnPremises),
    ];

    /// The option id of product.md.
    pub fn id(self) -> &'static str {
        match self {
            OptionId::Managed(d) => d.option_id(),
            OptionId::Dedicated(Platform::FoundryManagedCompute) => "foundry/managed-compute",
            OptionId::Dedicated(Platform::DatabricksServing) => "databricks/serving-gpu",
            OptionId::SelfHosted(Place::Cloud) => "self-hosted/cloud-gpu",
            OptionId::SelfHosted(Place::OnPremises) => "self-hosted/on-premises",
        }
    }

    /// The option named by an id of product.md.
    pub fn from_id(id: &str) -> Option<OptionId> {
        OptionId::ALL.into_iter().find(|o| o.id() == id)
    }

    /// The part of the id after the slash, for narrow tables: `global-standard`, `cloud-gpu`.
    pub fn short(self) -> &'static str {
        short_of(self.id())
    }

    pub fn family(self) -> Family {
        match self {
            OptionId::Managed(d) => d.family(),
            OptionId::Dedicated(p) => p.family(),
            OptionId::SelfHosted(_) => Family::SelfHosted,
        }
    }

    pub fn kind(self) -> Kind {
        match self {
            OptionId::Managed(d) => d.kind(),
            OptionId::Dedicated(_) => Kind::Dedicated,
            OptionId::SelfHosted(_) => Kind::SelfHosted,
        }
    }

    pub fn billing(self) -> Billing {
        self.kind().billing()
    }

    pub fn provider(self) -> Provider {
        match self {
            OptionId::Managed(d) => d.provider(),
            OptionId::Dedicated(p) => p.provider(),
            OptionId::SelfHosted(_) => Provider::Customer,
        }
    }

    pub fn place(self) -> Place {
        match self {
            OptionId::Managed(_) | OptionId::Dedicated(_) => Place::Cloud,
            OptionId::SelfHosted(p) => p,
        }
    }

    pub fn deployment(self) -> Option<Deployment> {
        match self {
            OptionId::Managed(d) => Some(d),
            OptionId::Dedicated(_) | OptionId::SelfHosted(_) => None,
        }
    }

    pub fn platform(self) -> Option<Platform> {
        match self {
            OptionId::Dedicated(p) => Some(p),
            _ => None,
        }
    }
}

impl std::fmt::Display for OptionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for OptionId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// The part of an option id after the slash, where that alone says which option it is; the
/// providers' APIs and Databricks' options keep their platform in the name (`openai-api`,
/// `databricks-ppt`), or a narrow table would show `api` twice and two `provisioned`.
fn short_of(id: &'static str) -> &'static str {
    match id {
        "openai/api" => "openai-api",
        "anthropic/api" => "anthropic-api",
        "databricks/pay-per-token" => "databricks-ppt",
        "databricks/provisioned" => "databricks-pt",
        "databricks/serving-gpu" => "databricks-gpu",
        _ => id.rsplit('/').next().unwrap_or(id),
    }
}

/// What rules an option out, the first word of every violation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ViolationKind {
    Residency,
    Compliance,
    Customization,
    Latency,
    Context,
    Price,
    Fit,
    /// Microsoft offers no such deployment of the model there (the availability matrix).
    Availability,
    /// The model is retired (or not yet released) on the plan date.
    Retired,
    /// The demand exceeds what the subscription may use (quota).
    Quota,
    /// The option needs a platform the team does not run (an Azure Databricks workspace).
    Platform,
}

impl ViolationKind {
    pub fn label(self) -> &'static str {
        match self {
            ViolationKind::Residency => "residency",
            ViolationKind::Compliance => "compliance",
            ViolationKind::Customization => "customization",
            ViolationKind::Latency => "latency",
            ViolationKind::Context => "context",
            ViolationKind::Price => "price",
            ViolationKind::Fit => "fit",
            ViolationKind::Availability => "availability",
            ViolationKind::Retired => "retired",
            ViolationKind::Quota => "quota",
            ViolationKind::Platform => "platform",
        }
    }
}

impl std::fmt::Display for ViolationKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Why one option is not feasible: its kind, the setting that caused it where there is one
/// (`DataZone(Eu)`, `FedRampHigh`), and the reason in words. Written as
/// `kind setting: detail` (or `kind: detail`), which is how the JSON's `violations` read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub kind: ViolationKind,
    pub setting: Option<String>,
    pub detail: String,
}

impl Violation {
    pub fn new(kind: ViolationKind, detail: impl Into<String>) -> Violation {
        Violation {
            kind,
            setting: None,
            detail: detail.into(),
        }
    }

    /// A violation caused by a named setting (`residency DataZone(Eu): ...`).
    pub fn of(kind: ViolationKind, setting: impl Into<String>, detail: impl Into<String>) -> Violation {
        Violation {
            kind,
            setting: Some(setting.into()),
            detail: detail.into(),
        }
    }
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.setting {
            Some(s) => write!(f, "{} {s}: {}", self.kind, self.detail),
            None => write!(f, "{}: {}", self.kind, self.detail),
        }
    }
}

impl Serialize for Violation {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_ids_are_unique_and_round_trip() {
        for o in OptionId::ALL {
            assert_eq!(OptionId::from_id(o.id()), Some(o), "{o}");
        }
        let mut ids: Vec<&str> = OptionId::ALL.iter().map(|o| o.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), OptionId::ALL.len());
    }

    #[test]
    fn families_follow_the_kind_of_deployment() {
        use Deployment as D;
        assert_eq!(D::GlobalStandard.family(), Family::PayAsYouGo);
        assert_eq!(D::DataZoneProvisioned.family(), Family::Provisioned);
        assert_eq!(D::GlobalBatch.family(), Family::Batch);
        assert_eq!(D::FoundryServerless.family(), Family::Serverless);
        assert_eq!(OptionId::SelfHosted(Place::OnPremises).family(), Family::SelfHosted);
        assert_eq!(D::DatabricksPayPerToken.family(), Family::Databricks);
        assert_eq!(
            OptionId::Dedicated(Platform::DatabricksServing).family(),
            Family::Databricks
        );
        assert_eq!(
            OptionId::Dedicated(Platform::FoundryManagedCompute).family(),
            Family::ManagedCompute
        );
        assert_eq!(D::OpenAiApi.family(), Family::DirectApi);
        assert_eq!(D::AnthropicApi.family(), Family::DirectApi);
        assert!(D::OpenAiApi.provider().outside_azure() && !D::DatabricksProvisioned.provider().outside_azure());
        assert_eq!(D::DatabricksProvisioned.kind().billing(), Billing::Reserved);
        assert_eq!(
            OptionId::Dedicated(Platform::FoundryManagedCompute).billing(),
            Billing::GpuHours
        );
        for (i, f) in Family::ALL.iter().enumerate() {
            assert_eq!(f.index(), i);
        }
        // Every family has at least one option.
        for f in Family::ALL {
            assert!(OptionId::ALL.iter().any(|o| o.family() == f), "{f}");
        }
    }

    #[test]
    fn short_names_are_unique() {
        let mut shorts: Vec<&str> = OptionId::ALL.iter().map(|o| o.short()).collect();
        shorts.sort_unstable();
        shorts.dedup();
        assert_eq!(shorts.len(), OptionId::ALL.len(), "{shorts:?}");
    }

    #[test]
    fn standard_twins_keep_the_scope() {
        use Deployment as D;
        assert_eq!(D::GlobalProvisioned.standard_twin(), D::GlobalStandard);
        assert_eq!(D::DataZoneProvisioned.standard_twin(), D::DataZoneStandard);
        assert_eq!(D::RegionalProvisioned.standard_twin(), D::RegionalStandard);
    }

    #[test]
    fn violations_read_as_before() {
        let v = Violation::of(
            ViolationKind::Residency,
            "DataZone(Eu)",
            "a Global deployment may leave",
        );
        assert_eq!(v.to_string(), "residency DataZone(Eu): a Global deployment may leave");
        let v = Violation::new(ViolationKind::Latency, "too slow");
        assert_eq!(v.to_string(), "latency: too slow");
        assert_eq!(serde_json::to_string(&v).unwrap_or_default(), "\"latency: too slow\"");
    }
}
