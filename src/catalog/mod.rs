//! The catalog: GPUs, VMs and their prices, models and their architectures, token prices,
//! PTU tables and the engine's constants, each with its source and date.
//!
//! The data lives in `assets/catalog/*.ron` and is embedded in the binary, so llmcap runs
//! with no network. A folder of override files (`--catalog DIR` or `LLMCAP_CATALOG`) with
//! the same file names is merged over it: an entry replaces the embedded entry with the same
//! key (its `id`; for prices `model` and `deployment`; for PTU rows `model` or `kind`), and
//! new keys are added. The merged catalog validates itself before anyone uses it.

mod types;

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde::de::DeserializeOwned;

pub use types::*;

use crate::text::{fmt_num, hint_for};

/// Constants the engine reads; the catalog refuses to load without them.
pub const REQUIRED_CONSTANTS: &[&str] = &[
    "network_rtt_ms",
    "int4_bits_per_weight",
    "activation_gib_dense",
    "activation_gib_moe",
    "runtime_gib_tp1",
    "runtime_gib_tp_multi",
    "nccl_gib_tp_multi",
    "step_overhead_us",
    "layer_overhead_us",
    "allreduce_latency_us",
    "moe_efficiency",
    "hosted_ttft_ms",
    "self_hosted_target_utilization",
    "vm_discount_one_year",
    "vm_discount_three_year",
    "mbu.ampere",
    "mbu.hopper",
    "mbu.ada",
    "mbu.turing",
    "mbu.blackwell",
    "mbu.cdna3",
    "mfu_prefill.ampere",
    "mfu_prefill.hopper",
    "mfu_prefill.ada",
    "mfu_prefill.turing",
    "mfu_prefill.blackwell",
    "mfu_prefill.cdna3",
    "mfu_decode.ampere",
    "mfu_decode.hopper",
    "mfu_decode.ada",
    "mfu_decode.turing",
    "mfu_decode.blackwell",
    "mfu_decode.cdna3",
];

/// The files of a catalog, in load order.
pub const FILES: &[&str] = &[
    "meta.ron",
    "regions.ron",
    "gpus.ron",
    "vms.ron",
    "models.ron",
    "prices.ron",
    "ptu.ron",
    "ptu_prices.ron",
    "constants.ron",
];

const EMBEDDED: &[(&str, &str)] = &[
    ("meta.ron", include_str!("../../assets/catalog/meta.ron")),
    ("regions.ron", include_str!("../../assets/catalog/regions.ron")),
    ("gpus.ron", include_str!("../../assets/catalog/gpus.ron")),
    ("vms.ron", include_str!("../../assets/catalog/vms.ron")),
    ("models.ron", include_str!("../../assets/catalog/models.ron")),
    ("prices.ron", include_str!("../../assets/catalog/prices.ron")),
    ("ptu.ron", include_str!("../../assets/catalog/ptu.ron")),
    ("ptu_prices.ron", include_str!("../../assets/catalog/ptu_prices.ron")),
    ("constants.ron", include_str!("../../assets/catalog/constants.ron")),
];

/// Why a catalog could not be loaded. Positions are 1-based line:column in the named file.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("catalog: {path}: cannot read: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("catalog: {path}: is not a folder; --catalog and LLMCAP_CATALOG name a folder of override files ({})", FILES.join(", "))]
    NotAFolder { path: String },
    #[error("catalog: {path}: is not a catalog file; accepted names: {}", FILES.join(", "))]
    UnknownFile { path: String },
    #[error("catalog: {path}:{}:{}: {message}", pos.0, pos.1)]
    Parse {
        path: String,
        pos: (usize, usize),
        message: String,
    },
    #[error("catalog: {}", .problems.join("\ncatalog: "))]
    Invalid { problems: Vec<String> },
}

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
    /// Override files merged over the embedded catalog, in the order applied.
    pub overrides: Vec<PathBuf>,
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
}

/// An entry that can be merged by key.
trait Keyed {
    fn key(&self) -> String;
    /// The text that names the entry in its file, to find its line.
    fn anchor(&self) -> String;
}

macro_rules! keyed_by_id {
    ($($t:ty),*) => {$(
        impl Keyed for $t {
            fn key(&self) -> String { self.id.clone() }
            fn anchor(&self) -> String { format!("\"{}\"", self.id) }
        }
    )*};
}
keyed_by_id!(Region, Gpu, Vm, Model, Constant);

impl Keyed for TokenPrice {
    fn key(&self) -> String {
        format!("{}/{}", self.model, self.deployment.short())
    }
    fn anchor(&self) -> String {
        format!("\"{}\"", self.model)
    }
}

impl Keyed for PtuModel {
    fn key(&self) -> String {
        self.model.clone()
    }
    fn anchor(&self) -> String {
        format!("\"{}\"", self.model)
    }
}

impl Keyed for PtuPrice {
    fn key(&self) -> String {
        format!("{:?}", self.kind)
    }
    fn anchor(&self) -> String {
        format!("{:?}", self.kind)
    }
}

/// One file's text and where it came from, kept to turn entry keys into line numbers.
struct SourceFile {
    path: String,
    text: String,
}

impl SourceFile {
    fn line_of(&self, anchor: &str) -> Option<(usize, usize)> {
        let offset = self.text.find(anchor)?;
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Some((line, col))
    }

    fn at(&self, anchor: &str) -> String {
        match self.line_of(anchor) {
            Some((l, c)) => format!("{}:{l}:{c}", self.path),
            None => self.path.clone(),
        }
    }
}

fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

fn parse<T: DeserializeOwned>(file: &SourceFile) -> Result<T, CatalogError> {
    ron_options().from_str(&file.text).map_err(|e| CatalogError::Parse {
        path: file.path.clone(),
        pos: (e.span.start.line.max(1), e.span.start.col.max(1)),
        message: e.code.to_string(),
    })
}

/// Replaces entries with the same key and appends new ones; records which file each key
/// came from. Two entries with one key in the same file are an error.
fn merge<T: Keyed>(
    base: &mut Vec<T>,
    incoming: Vec<T>,
    file: usize,
    origin: &mut HashMap<String, usize>,
    sources: &[SourceFile],
    problems: &mut Vec<String>,
) {
    let mut seen = HashSet::new();
    for entry in incoming {
        let key = entry.key();
        if !seen.insert(key.clone()) {
            problems.push(format!(
                "{}: `{key}` is defined twice in this file; keep one",
                sources[file].at(&entry.anchor())
            ));
            continue;
        }
        match base.iter().position(|e| e.key() == key) {
            Some(i) => base[i] = entry,
            None => base.push(entry),
        }
        origin.insert(key, file);
    }
}

impl Catalog {
    /// The catalog built into the binary.
    pub fn embedded() -> Result<Catalog, CatalogError> {
        Catalog::load(None)
    }

    /// The embedded catalog with the override files of `dir` merged over it.
    pub fn load(dir: Option<&Path>) -> Result<Catalog, CatalogError> {
        let mut sources: Vec<SourceFile> = EMBEDDED
            .iter()
            .map(|(name, text)| SourceFile {
                path: format!("assets/catalog/{name} (built in)"),
                text: (*text).to_string(),
            })
            .collect();
        let mut overrides = Vec::new();
        if let Some(dir) = dir {
            let display = dir.display().to_string();
            if !dir.is_dir() {
                return Err(CatalogError::NotAFolder { path: display });
            }
            let mut entries: Vec<PathBuf> = fs::read_dir(dir)
                .map_err(|source| CatalogError::Io {
                    path: display.clone(),
                    source,
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "ron"))
                .collect();
            entries.sort();
            for path in entries {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if !FILES.contains(&name.as_str()) {
                    return Err(CatalogError::UnknownFile {
                        path: path.display().to_string(),
                    });
                }
                let text = fs::read_to_string(&path).map_err(|source| CatalogError::Io {
                    path: path.display().to_string(),
                    source,
                })?;
                sources.push(SourceFile {
                    path: path.display().to_string(),
                    text,
                });
                overrides.push(path);
            }
        }

        let mut meta: Option<Meta> = None;
        let mut cat = Catalog {
            meta: Meta {
                name: String::new(),
                as_of: String::new(),
                notes: String::new(),
            },
            regions: Vec::new(),
            gpus: Vec::new(),
            vms: Vec::new(),
            models: Vec::new(),
            prices: Vec::new(),
            ptu: Vec::new(),
            ptu_prices: Vec::new(),
            constants: Vec::new(),
            overrides,
            index: Index::default(),
        };
        let mut origins: HashMap<&'static str, HashMap<String, usize>> = HashMap::new();
        let mut problems = Vec::new();
        for i in 0..sources.len() {
            let name = Path::new(&sources[i].path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let name = name.split(' ').next().unwrap_or_default().to_string();
            macro_rules! take {
                ($field:ident, $kind:literal) => {{
                    let incoming = parse(&sources[i])?;
                    let origin = origins.entry($kind).or_default();
                    merge(&mut cat.$field, incoming, i, origin, &sources, &mut problems);
                }};
            }
            match name.as_str() {
                "meta.ron" => meta = Some(parse(&sources[i])?),
                "regions.ron" => take!(regions, "regions"),
                "gpus.ron" => take!(gpus, "gpus"),
                "vms.ron" => take!(vms, "vms"),
                "models.ron" => take!(models, "models"),
                "prices.ron" => take!(prices, "prices"),
                "ptu.ron" => take!(ptu, "ptu"),
                "ptu_prices.ron" => take!(ptu_prices, "ptu_prices"),
                "constants.ron" => take!(constants, "constants"),
                _ => {
                    return Err(CatalogError::UnknownFile {
                        path: sources[i].path.clone(),
                    });
                }
            }
        }
        if let Some(m) = meta {
            cat.meta = m;
        }
        cat.build_index();
        let at = |kind: &'static str, key: &str, anchor: &str| -> String {
            match origins.get(kind).and_then(|o| o.get(key)) {
                Some(&i) => sources[i].at(anchor),
                None => format!("{kind}.ron"),
            }
        };
        cat.check(&at, &mut problems);
        if problems.is_empty() {
            Ok(cat)
        } else {
            Err(CatalogError::Invalid { problems })
        }
    }

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
        };
    }

    /// Every rule the rest of llmcap relies on: numbers positive and finite, dates real,
    /// references resolved, required entries present.
    fn check(&self, at: &dyn Fn(&'static str, &str, &str) -> String, problems: &mut Vec<String>) {
        fn date_ok(d: &str) -> bool {
            let parts: Vec<&str> = d.split('-').collect();
            if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
                return false;
            }
            let (Ok(y), Ok(m), Ok(day)) = (
                parts[0].parse::<u32>(),
                parts[1].parse::<u32>(),
                parts[2].parse::<u32>(),
            ) else {
                return false;
            };
            (2000..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&day)
        }
        if !date_ok(&self.meta.as_of) {
            problems.push(format!(
                "meta.ron: `as_of` = {:?} is not a date; accepted: YYYY-MM-DD",
                self.meta.as_of
            ));
        }
        let mut bad = |kind: &'static str, key: &str, anchor: &str, msg: String| {
            problems.push(format!("{}: `{key}`: {msg}", at(kind, key, anchor)));
        };
        let pos = |v: f64| v.is_finite() && v > 0.0;
        macro_rules! need {
            ($kind:literal, $e:expr, $cond:expr, $($msg:tt)*) => {
                if !$cond {
                    bad($kind, &$e.key(), &$e.anchor(), format!($($msg)*));
                }
            };
        }
        macro_rules! provenance {
            ($kind:literal, $e:expr) => {
                need!(
                    $kind,
                    $e,
                    !$e.source.trim().is_empty(),
                    "`source` is empty; every figure needs its source"
                );
                need!(
                    $kind,
                    $e,
                    date_ok(&$e.as_of),
                    "`as_of` = {:?} is not a date; accepted: YYYY-MM-DD",
                    $e.as_of
                );
            };
        }

        for r in &self.regions {
            provenance!("regions", r);
        }
        for g in &self.gpus {
            provenance!("gpus", g);
            for (name, v) in [
                ("memory_gib", g.memory_gib),
                ("bandwidth_gb_s", g.bandwidth_gb_s),
                ("bf16_tflops", g.bf16_tflops),
                ("int8_tops", g.int8_tops),
                ("link_gb_s", g.link_gb_s),
                ("tdp_w", g.tdp_w),
            ] {
                need!(
                    "gpus",
                    g,
                    pos(v),
                    "`{name}` = {} must be a positive, finite number",
                    fmt_num(v)
                );
            }
            if let Some(f) = g.fp8_tflops {
                need!(
                    "gpus",
                    g,
                    pos(f),
                    "`fp8_tflops` = {} must be a positive, finite number",
                    fmt_num(f)
                );
            }
        }
        for v in &self.vms {
            provenance!("vms", v);
            need!(
                "vms",
                v,
                self.gpu(&v.gpu).is_some(),
                "`gpu` = {:?} is not a GPU in gpus.ron",
                v.gpu
            );
            need!(
                "vms",
                v,
                v.gpus >= 1 && v.vcpus >= 1,
                "`gpus` and `vcpus` must be at least 1"
            );
            need!("vms", v, pos(v.ram_gib), "`ram_gib` must be a positive, finite number");
            need!("vms", v, !v.usd_per_hour.is_empty(), "`usd_per_hour` names no region");
            for (region, price) in &v.usd_per_hour {
                need!(
                    "vms",
                    v,
                    self.region(region).is_some(),
                    "price for unknown region {region:?}; add it to regions.ron"
                );
                need!(
                    "vms",
                    v,
                    *price > Decimal::ZERO,
                    "price in {region} is {price}; a price must be positive (leave a region out when it has none)"
                );
            }
        }
        for m in &self.models {
            provenance!("models", m);
            need!("models", m, m.context_tokens > 0, "`context_tokens` must be positive");
            match (&m.weights, &m.architecture) {
                (Weights::Open, None) => bad(
                    "models",
                    &m.key(),
                    &m.anchor(),
                    "open-weight model without `architecture`".into(),
                ),
                (Weights::Closed, Some(_)) => bad(
                    "models",
                    &m.key(),
                    &m.anchor(),
                    "closed model with an `architecture`; only open-weight models are self-hosted".into(),
                ),
                _ => {}
            }
            if let Some(a) = &m.architecture {
                need!("models", m, pos(a.params_b), "`architecture.params_b` must be positive");
                need!(
                    "models",
                    m,
                    a.active_params_b.is_none_or(|x| pos(x) && x <= a.params_b),
                    "`architecture.active_params_b` must be positive and at most `params_b`"
                );
                need!(
                    "models",
                    m,
                    a.layers > 0 && a.hidden > 0 && a.heads > 0 && a.head_dim > 0,
                    "`layers`, `hidden`, `heads` and `head_dim` must be positive"
                );
                need!(
                    "models",
                    m,
                    a.kv_heads > 0 && a.kv_heads <= a.heads,
                    "`kv_heads` must be from 1 to `heads`"
                );
                need!(
                    "models",
                    m,
                    a.local_attention
                        .as_ref()
                        .is_none_or(|l| l.window > 0 && l.layers <= a.layers),
                    "`local_attention` needs a positive window and at most `layers` layers"
                );
                need!(
                    "models",
                    m,
                    a.moe
                        .as_ref()
                        .is_none_or(|e| e.experts > 0 && e.experts_per_token > 0 && e.experts_per_token <= e.experts),
                    "`moe.experts_per_token` must be from 1 to `moe.experts`"
                );
                need!(
                    "models",
                    m,
                    a.moe.is_some() == a.active_params_b.is_some(),
                    "a MoE model gives `active_params_b` and `moe` together; a dense one neither"
                );
            }
            if m.azure_government {
                need!(
                    "models",
                    m,
                    m.deployments.iter().any(|d| *d != Deployment::FoundryServerless),
                    "`azure_government` needs an Azure OpenAI deployment in `deployments`"
                );
            }
            if let Some(ft) = &m.fine_tuning {
                need!(
                    "models",
                    m,
                    ft.hosting_usd_per_hour > Decimal::ZERO,
                    "`fine_tuning.hosting_usd_per_hour` must be positive"
                );
                need!(
                    "models",
                    m,
                    date_ok(&ft.as_of) && !ft.source.trim().is_empty(),
                    "`fine_tuning` needs a `source` and an `as_of` date"
                );
            }
        }
        for p in &self.prices {
            provenance!("prices", p);
            match self.model(&p.model) {
                None => bad(
                    "prices",
                    &p.key(),
                    &p.anchor(),
                    format!("`model` = {:?} is not in models.ron", p.model),
                ),
                Some(m) => need!(
                    "prices",
                    p,
                    m.deployments.contains(&p.deployment),
                    "model {} does not list {:?} in its `deployments`",
                    m.id,
                    p.deployment
                ),
            }
            need!(
                "prices",
                p,
                p.input > Decimal::ZERO && p.output > Decimal::ZERO,
                "`input` and `output` must be positive (a missing price is left out, never 0)"
            );
            need!(
                "prices",
                p,
                p.cached_input.is_none_or(|c| c > Decimal::ZERO && c <= p.input),
                "`cached_input` must be positive and at most `input`"
            );
        }
        for t in &self.ptu {
            provenance!("ptu", t);
            match self.model(&t.model) {
                None => bad(
                    "ptu",
                    &t.key(),
                    &t.anchor(),
                    format!("`model` = {:?} is not in models.ron", t.model),
                ),
                Some(m) => need!(
                    "ptu",
                    t,
                    m.deployments.iter().any(|d| matches!(
                        d,
                        Deployment::GlobalProvisioned
                            | Deployment::DataZoneProvisioned
                            | Deployment::RegionalProvisioned
                    )),
                    "model {} lists no provisioned deployment",
                    m.id
                ),
            }
            need!(
                "ptu",
                t,
                t.global_min > 0 && t.global_increment > 0,
                "`global_min` and `global_increment` must be positive"
            );
            need!(
                "ptu",
                t,
                t.regional_min.is_some() == t.regional_increment.is_some()
                    && t.regional_min != Some(0)
                    && t.regional_increment != Some(0),
                "`regional_min` and `regional_increment` are both positive or both absent"
            );
            need!(
                "ptu",
                t,
                pos(t.input_tpm_per_ptu),
                "`input_tpm_per_ptu` must be positive"
            );
            need!(
                "ptu",
                t,
                t.output_weight.is_finite() && t.output_weight >= 1.0,
                "`output_weight` must be at least 1"
            );
            need!(
                "ptu",
                t,
                pos(t.latency_target_tokens_per_s),
                "`latency_target_tokens_per_s` must be positive"
            );
        }
        for p in &self.ptu_prices {
            provenance!("ptu_prices", p);
            need!(
                "ptu_prices",
                p,
                p.usd_per_hour > Decimal::ZERO && p.one_month_usd > Decimal::ZERO && p.one_year_usd > Decimal::ZERO,
                "every PTU price must be positive"
            );
        }
        for c in &self.constants {
            provenance!("constants", c);
            need!(
                "constants",
                c,
                c.value.is_finite() && c.value >= 0.0,
                "`value` = {} must be a finite, non-negative number",
                fmt_num(c.value)
            );
        }
        for id in REQUIRED_CONSTANTS {
            if self.constant(id).is_none() {
                problems.push(format!("constants.ron: required constant `{id}` is missing"));
            }
        }
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
    pub fn constant_entry(&self, id: &str) -> Option<&Constant> {
        self.index.constants.get(id).map(|&i| &self.constants[i])
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
        let mut msg = format!("unknown {kind} id `{id}`");
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
