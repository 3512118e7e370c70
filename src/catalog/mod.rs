//! The catalog: GPUs, VMs and their prices, models and their architectures, token prices,
//! PTU tables, servers for on premises and the engine's constants, each with its source and date.
//!
//! The data lives in `assets/catalog/*.ron` and is embedded in the binary, so llmcap runs
//! with no network. A folder of override files (`--catalog DIR` or `LLMCAP_CATALOG`) with
//! the same file names is merged over it: an entry replaces the embedded entry with the same
//! key (its `id`; for prices `model` and `deployment`; for PTU rows `model` or `kind`), and
//! new keys are added. The merged catalog validates itself before anyone uses it.
//!
//! Loading and merging the files lives in `load.rs`, the self-check run on every load in
//! `check.rs`; this module keeps the [`Catalog`] type and its lookups.

mod check;
mod load;
mod types;

use std::collections::HashMap;
use std::path::PathBuf;

pub use check::REQUIRED_CONSTANTS;
pub use load::{CatalogError, FILES};
pub use types::*;

use crate::text::hint_for;

/// The id of the serving engine the self-hosted sizing uses.
pub const SIZING_ENGINE: &str = "vllm";

/// The merged, validated catalog.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub meta: Meta,
    pub regions: Vec<Region>,
    pub gpus: Vec<Gpu>,
    pub vms: Vec<Vm>,
    pub models: Vec<Model>,
    pub prices: Vec<TokenPrice>,
    pub ptu: Vec<PtuModel>,
    pub ptu_prices: Vec<PtuPrice>,
    pub constants: Vec<Constant>,
    /// Where each Azure OpenAI model can be deployed, by deployment type and region.
    pub availability: Vec<Availability>,
    /// Azure OpenAI quotas (tokens and requests per minute) by model, type and tier.
    pub quotas: Vec<Quota>,
    /// Serving engines (scheduler limits, prefix caching, hardware support); sizing uses
    /// the entry `vllm` ([`Catalog::serving_engine`]).
    pub engines: Vec<ServingEngine>,
    /// Servers bought for on-premises self-hosting, by GPU.
    pub servers: Vec<Server>,
    /// Azure Databricks Model Serving: GPU serving sizes, $/DBU by region, provisioned
    /// throughput per model unit.
    pub databricks: Vec<Databricks>,
    /// Override files merged over the embedded catalog, in the order applied.
    pub overrides: Vec<PathBuf>,
    /// Files in the override folder that were not applied (not `.ron`), to be said.
    pub ignored: Vec<PathBuf>,
    index: Index,
}

#[derive(Debug, Clone, Default)]
struct Index {
    regions: HashMap<String, usize>,
    gpus: HashMap<String, usize>,
    vms: HashMap<String, usize>,
    models: HashMap<String, usize>,
    /// Per model, each deployment's price (looked up by `&str`, with no key to build).
    prices: HashMap<String, Vec<(Deployment, usize)>>,
    ptu: HashMap<String, usize>,
    ptu_prices: HashMap<PtuKind, usize>,
    constants: HashMap<String, usize>,
    /// Per model, each (deployment, fine-tuned) row of the availability matrix.
    availability: HashMap<String, Vec<(Deployment, bool, usize)>>,
    servers: HashMap<String, usize>,
}

impl Catalog {
    fn build_index(&mut self) {
        fn by_key<T>(v: &[T], key: impl Fn(&T) -> String) -> HashMap<String, usize> {
            v.iter().enumerate().map(|(i, e)| (key(e), i)).collect()
        }
        self.index = Index {
            regions: by_key(&self.regions, |e| e.id.clone()),
            gpus: by_key(&self.gpus, |e| e.id.clone()),
            vms: by_key(&self.vms, |e| e.id.clone()),
            models: by_key(&self.models, |e| e.id.clone()),
            prices: self
                .prices
                .iter()
                .enumerate()
                .fold(HashMap::new(), |mut index, (i, p)| {
                    let list: &mut Vec<(Deployment, usize)> = index.entry(p.model.clone()).or_default();
                    // A later entry for the same deployment replaces the earlier one.
                    match list.iter_mut().find(|(d, _)| *d == p.deployment) {
                        Some(entry) => entry.1 = i,
                        None => list.push((p.deployment, i)),
                    }
                    index
                }),
            ptu: by_key(&self.ptu, |e| e.model.clone()),
            ptu_prices: self.ptu_prices.iter().enumerate().map(|(i, p)| (p.kind, i)).collect(),
            constants: by_key(&self.constants, |e| e.id.clone()),
            availability: self
                .availability
                .iter()
                .enumerate()
                .fold(HashMap::new(), |mut index, (i, a)| {
                    let list: &mut Vec<(Deployment, bool, usize)> = index.entry(a.model.clone()).or_default();
                    match list
                        .iter_mut()
                        .find(|(d, f, _)| *d == a.deployment && *f == a.fine_tuned)
                    {
                        Some(entry) => entry.2 = i,
                        None => list.push((a.deployment, a.fine_tuned, i)),
                    }
                    index
                }),
            servers: by_key(&self.servers, |e| e.id.clone()),
        };
    }

    pub fn region(&self, id: &str) -> Option<&Region> {
        self.index.regions.get(id).map(|&i| &self.regions[i])
    }
    pub fn gpu(&self, id: &str) -> Option<&Gpu> {
        self.index.gpus.get(id).map(|&i| &self.gpus[i])
    }
    pub fn vm(&self, id: &str) -> Option<&Vm> {
        self.index.vms.get(id).map(|&i| &self.vms[i])
    }
    /// Databricks GPU serving sizes, in catalog order.
    pub fn databricks_serving(&self) -> impl Iterator<Item = &DatabricksServing> {
        self.databricks.iter().filter_map(|d| match d {
            Databricks::Serving(e) => Some(e),
            _ => None,
        })
    }
    /// USD per DBU of Databricks Serverless Real-Time Inference in a region.
    pub fn databricks_dbu(&self, region: &str) -> Option<&DatabricksDbu> {
        self.databricks.iter().find_map(|d| match d {
            Databricks::Dbu(e) if e.region == region => Some(e),
            _ => None,
        })
    }
    /// What a Databricks provisioned-throughput model unit of a model serves.
    pub fn databricks_provisioned(&self, model: &str) -> Option<&DatabricksProvisioned> {
        self.databricks.iter().find_map(|d| match d {
            Databricks::Provisioned(e) if e.model == model => Some(e),
            _ => None,
        })
    }
    pub fn server(&self, id: &str) -> Option<&Server> {
        self.index.servers.get(id).map(|&i| &self.servers[i])
    }
    pub fn model(&self, id: &str) -> Option<&Model> {
        self.index.models.get(id).map(|&i| &self.models[i])
    }
    pub fn price(&self, model: &str, deployment: Deployment) -> Option<&TokenPrice> {
        let list = self.index.prices.get(model)?;
        list.iter()
            .find(|(d, _)| *d == deployment)
            .map(|&(_, i)| &self.prices[i])
    }
    pub fn ptu_model(&self, model: &str) -> Option<&PtuModel> {
        self.index.ptu.get(model).map(|&i| &self.ptu[i])
    }
    pub fn ptu_price(&self, kind: PtuKind) -> Option<&PtuPrice> {
        self.index.ptu_prices.get(&kind).map(|&i| &self.ptu_prices[i])
    }
    /// The matrix row for a model's deployment type (of the fine-tuned model when
    /// `fine_tuned`); `None` where Microsoft lists no such deployment anywhere.
    pub fn availability(&self, model: &str, deployment: Deployment, fine_tuned: bool) -> Option<&Availability> {
        let list = self.index.availability.get(model)?;
        list.iter()
            .find(|(d, f, _)| *d == deployment && *f == fine_tuned)
            .map(|&(_, _, i)| &self.availability[i])
    }

    /// The quota rows for a model's deployment type.
    pub fn quotas<'a>(&'a self, model: &'a str, deployment: Deployment) -> impl Iterator<Item = &'a Quota> {
        self.quotas
            .iter()
            .filter(move |q| q.deployment == deployment && q.model == model)
    }

    /// True when some Azure OpenAI deployment of some model can be created in the region.
    pub fn hosts_azure_openai(&self, region: &str) -> bool {
        self.availability.iter().any(|a| a.regions.iter().any(|r| r == region))
    }

    pub fn constant_entry(&self, id: &str) -> Option<&Constant> {
        self.index.constants.get(id).map(|&i| &self.constants[i])
    }
    /// The serving engine the self-hosted sizing models (`vllm`); the catalog refuses to
    /// load without it.
    pub fn serving_engine(&self) -> Option<&ServingEngine> {
        self.engines.iter().find(|e| e.id == SIZING_ENGINE)
    }

    pub fn constant(&self, id: &str) -> Option<f64> {
        self.constant_entry(id).map(|c| c.value)
    }

    /// Changes the value of an existing constant in memory (what-if studies, fitting).
    /// Returns false, changing nothing, for an unknown id or a value that is not finite and
    /// non-negative.
    pub fn set_constant(&mut self, id: &str, value: f64) -> bool {
        match self.index.constants.get(id) {
            Some(&i) if value.is_finite() && value >= 0.0 => {
                self.constants[i].value = value;
                true
            }
            _ => false,
        }
    }

    pub fn suggest_models(&self, query: &str) -> Vec<String> {
        suggest(query, self.models.iter().map(|m| m.id.as_str()))
    }
    pub fn suggest_gpus(&self, query: &str) -> Vec<String> {
        suggest(query, self.gpus.iter().map(|g| g.id.as_str()))
    }
    pub fn suggest_regions(&self, query: &str) -> Vec<String> {
        suggest(query, self.regions.iter().map(|r| r.id.as_str()))
    }

    /// "unknown GPU `h100`; did you mean ...?" for command-line flags.
    pub fn unknown_id_message(&self, kind: &str, id: &str) -> String {
        let suggestions = match kind {
            "model" => self.suggest_models(id),
            "GPU" => self.suggest_gpus(id),
            _ => self.suggest_regions(id),
        };
        let mut msg = format!("unknown {kind} id `{}`", crate::text::terminal_line(id));
        if let Some(h) = hint_for(&suggestions) {
            msg.push_str("; ");
            msg.push_str(&h);
        }
        msg
    }
}

/// Up to three known ids closest to `query`: substring matches first, then by
/// Jaro-Winkler similarity.
pub fn suggest<'a>(query: &str, ids: impl Iterator<Item = &'a str>) -> Vec<String> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(f64, &str)> = ids
        .map(|id| {
            let l = id.to_lowercase();
            let sim = strsim::jaro_winkler(&q, &l);
            let bonus = if l.contains(&q) || q.contains(&l) { 0.2 } else { 0.0 };
            (sim + bonus, id)
        })
        .filter(|(s, _)| *s >= 0.82)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, id)| id.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_find_close_ids() {
        let ids = [
            "llama-3.1-70b",
            "llama-3.3-70b",
            "llama-3.1-8b",
            "h100-sxm",
            "h100-pcie",
            "h100-nvl",
            "h200",
        ];
        assert_eq!(
            suggest("llama-3-70b", ids.iter().copied())[..2],
            ["llama-3.1-70b", "llama-3.3-70b"]
        );
        assert_eq!(
            suggest("h100", ids.iter().copied()),
            ["h100-nvl", "h100-sxm", "h100-pcie"]
        );
        assert!(suggest("zzzz", ids.iter().copied()).is_empty());
    }
}
