//! Listings of the catalog (`llmcap catalog ...`) as text tables and JSON.
//!
//! Figures the catalog marks as estimates carry a `~` in text; in JSON every entry keeps its
//! `source`, `as_of` and `estimate` fields so a script can tell the same.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::table::{Align, Table};
use super::{thousands, usd};
use crate::catalog::{Catalog, Deployment, Weights};

/// Which part of the catalog to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Summary,
    Models,
    Gpus,
    Vms,
    Servers,
    Prices,
    /// The deployment families and the figures behind the platforms beside Azure OpenAI.
    Platforms,
}

fn mark(estimate: bool) -> &'static str {
    if estimate { "~" } else { "" }
}

fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

/// Deployments grouped as a person reads them: `std:G,DZ,R ptu:G,DZ,R batch:G,DZ serverless`.
fn deployments(ds: &[Deployment]) -> String {
    use Deployment as D;
    let groups: [(&str, &[(D, &str)]); 3] = [
        (
            "std",
            &[
                (D::GlobalStandard, "G"),
                (D::DataZoneStandard, "DZ"),
                (D::RegionalStandard, "R"),
            ],
        ),
        (
            "ptu",
            &[
                (D::GlobalProvisioned, "G"),
                (D::DataZoneProvisioned, "DZ"),
                (D::RegionalProvisioned, "R"),
            ],
        ),
        ("batch", &[(D::GlobalBatch, "G"), (D::DataZoneBatch, "DZ")]),
    ];
    let mut parts = Vec::new();
    for (name, members) in groups {
        let have: Vec<&str> = members
            .iter()
            .filter(|(d, _)| ds.contains(d))
            .map(|(_, label)| *label)
            .collect();
        if !have.is_empty() {
            parts.push(format!("{name}:{}", have.join(",")));
        }
    }
    if ds.contains(&D::FoundryServerless) {
        parts.push(crate::vocab::Family::Serverless.label().to_string());
    }
    let dbx: Vec<&str> = [(D::DatabricksPayPerToken, "ppt"), (D::DatabricksProvisioned, "pt")]
        .iter()
        .filter(|(d, _)| ds.contains(d))
        .map(|(_, l)| *l)
        .collect();
    if !dbx.is_empty() {
        parts.push(format!("databricks:{}", dbx.join(",")));
    }
    for (d, name) in [(D::OpenAiApi, "openai-api"), (D::AnthropicApi, "anthropic-api")] {
        if ds.contains(&d) {
            parts.push(name.to_string());
        }
    }
    parts.join(" ")
}

/// Regions shown as columns in the VM table; the rest are counted.
const VM_REGIONS: &[&str] = &["eastus", "eastus2", "westeurope", "northeurope", "swedencentral"];

pub fn text(catalog: &Catalog, section: Section) -> String {
    let mut out = String::new();
    match section {
        Section::Summary => {
            let _ = writeln!(
                out,
                "{} (as of {})",
                crate::text::terminal_line(&catalog.meta.name),
                catalog.meta.as_of
            );
            if !catalog.meta.notes.is_empty() {
                let _ = writeln!(out, "{}", crate::text::terminal_line(&catalog.meta.notes));
            }
            for path in &catalog.overrides {
                let _ = writeln!(out, "override: {}", path.display());
            }
            let open = catalog.models.iter().filter(|m| m.weights == Weights::Open).count();
            let mut t = Table::new(&[
                ("section", Align::Left),
                ("entries", Align::Right),
                ("list with", Align::Left),
            ]);
            t.row([
                "models".to_string(),
                catalog.models.len().to_string(),
                format!("llmcap catalog models  ({open} open-weight)"),
            ]);
            t.row([
                "gpus".to_string(),
                catalog.gpus.len().to_string(),
                "llmcap catalog gpus".to_string(),
            ]);
            t.row([
                "vms".to_string(),
                catalog.vms.len().to_string(),
                "llmcap catalog vms".to_string(),
            ]);
            t.row([
                "servers".to_string(),
                format!(
                    "{} ({} priced)",
                    catalog.servers.len(),
                    catalog.servers.iter().filter(|s| s.usd.is_some()).count()
                ),
                "llmcap catalog servers".to_string(),
            ]);
            t.row([
                "token prices".to_string(),
                catalog.prices.len().to_string(),
                "llmcap catalog prices".to_string(),
            ]);
            t.row([
                "PTU tables".to_string(),
                (catalog.ptu.len() + catalog.ptu_prices.len()).to_string(),
                "llmcap catalog prices".to_string(),
            ]);
            t.row([
                "deployment families".to_string(),
                crate::vocab::Family::ALL.len().to_string(),
                "llmcap catalog platforms  (managed compute, Databricks, direct APIs, devices)".to_string(),
            ]);
            t.row(["regions".to_string(), catalog.regions.len().to_string(), String::new()]);
            t.row([
                "availability rows".to_string(),
                catalog.availability.len().to_string(),
                "llmcap catalog --format json".to_string(),
            ]);
            t.row([
                "quota rows".to_string(),
                catalog.quotas.len().to_string(),
                "llmcap catalog --format json".to_string(),
            ]);
            t.row([
                "engine constants".to_string(),
                catalog.constants.len().to_string(),
                "llmcap catalog --format json".to_string(),
            ]);
            out.push('\n');
            out.push_str(&t.render());
            out.push_str("\n~ marks figures the catalog holds as estimates (unconfirmed or derived).\n");
        }
        Section::Models => {
            let mut t = Table::new(&[
                ("id", Align::Left),
                ("tier", Align::Left),
                ("weights", Align::Left),
                ("context", Align::Right),
                ("params", Align::Right),
                ("managed deployments", Align::Left),
                ("retires", Align::Left),
                ("note", Align::Left),
            ]);
            for m in &catalog.models {
                let retires = m.lifecycle.as_ref().and_then(|l| l.retires.clone()).unwrap_or_default();
                let params = m
                    .architecture
                    .as_ref()
                    .map_or(String::new(), |a| match a.active_params_b {
                        Some(act) => format!("{}B/{}B", num(a.params_b), num(act)),
                        None => format!("{}B", num(a.params_b)),
                    });
                let mut deps = deployments(&m.deployments);
                if m.azure_government {
                    deps.push_str(" +gov");
                }
                if m.fine_tuning.is_some() {
                    deps.push_str(" +fine-tune");
                }
                let mut flags = mark(m.estimate).to_string();
                if m.reasoning {
                    flags.push_str(" reasoning");
                }
                if m.benchmark_only {
                    flags.push_str(" benchmark-only");
                }
                t.row([
                    m.id.clone(),
                    m.tier.to_string(),
                    format!("{:?}", m.weights).to_lowercase(),
                    thousands(m.context_tokens),
                    params,
                    deps.trim().to_string(),
                    retires,
                    flags.trim().to_string(),
                ]);
            }
            out.push_str(&t.render());
            out.push_str("\nparams: total/active billions for mixture-of-experts models. std/ptu/batch: Azure OpenAI\nStandard, Provisioned and Batch in G(lobal), DZ (Data Zone), R(egional); databricks: Foundation\nModel APIs pay-per-token (ppt) and provisioned (pt). Open-weight models also run on GPUs: self-hosted,\nFoundry managed compute and Databricks GPU serving (llmcap catalog platforms). ~ estimate.\n");
        }
        Section::Gpus => {
            let mut t = Table::new(&[
                ("id", Align::Left),
                ("memory GiB", Align::Right),
                ("GB/s", Align::Right),
                ("16-bit TFLOPS", Align::Right),
                ("FP8 TFLOPS", Align::Right),
                ("INT8 TOPS", Align::Right),
                ("link GB/s", Align::Right),
                ("TDP W", Align::Right),
                ("family", Align::Left),
                ("engine runs", Align::Left),
                ("note", Align::Left),
            ]);
            for g in &catalog.gpus {
                // The formats the sizing's serving engine runs on this GPU's family.
                let runs: Vec<&str> = catalog
                    .serving_engine()
                    .map(|e| {
                        e.support
                            .iter()
                            .filter(|f| f.families.contains(&g.family))
                            .map(|f| f.format.id())
                            .collect()
                    })
                    .unwrap_or_default();
                t.row([
                    g.id.clone(),
                    num(g.memory_gib),
                    num(g.bandwidth_gb_s),
                    num(g.bf16_tflops),
                    g.fp8_tflops.map_or("-".to_string(), num),
                    num(g.int8_tops),
                    num(g.link_gb_s),
                    num(g.tdp_w),
                    format!("{:?}", g.family),
                    runs.join(" "),
                    mark(g.estimate).to_string(),
                ]);
            }
            out.push_str(&t.render());
            out.push_str(
                "\nDense figures (no sparsity); 16-bit is BF16, or FP16 where the GPU has no BF16 (T4). - : no FP8. \"engine runs\": the formats vLLM runs on the GPU's family (engines.ron). ~ estimate.\n",
            );
        }
        Section::Servers => {
            let mut t = Table::new(&[
                ("id", Align::Left),
                ("GPUs", Align::Left),
                ("price", Align::Right),
                ("support/yr", Align::Right),
                ("typical kW", Align::Right),
                ("max kW", Align::Right),
                ("as of", Align::Left),
                ("", Align::Left),
            ]);
            for s in &catalog.servers {
                t.row([
                    s.id.clone(),
                    format!("{} x {}", s.gpus, s.gpu),
                    s.usd.map_or("-".to_string(), crate::text::usd_whole),
                    s.support_share_per_year
                        .map_or(String::new(), |x| format!("{}%", num(x * 100.0))),
                    s.typical_kw.map_or(String::new(), num),
                    num(s.max_kw),
                    s.as_of.clone(),
                    mark(s.estimate).to_string(),
                ]);
            }
            out.push_str(&t.render());
            out.push_str(
                "
- : no public price found; the GPU is not priced on premises until a servers.ron override gives one
(--catalog DIR). Support left blank: constant on_prem_support_share_per_year. ~ estimate.
",
            );
        }
        Section::Vms => {
            let mut cols: Vec<(&str, Align)> = vec![
                ("size", Align::Left),
                ("GPUs", Align::Left),
                ("vCPU", Align::Right),
                ("RAM GiB", Align::Right),
            ];
            cols.extend(VM_REGIONS.iter().map(|r| (*r, Align::Right)));
            cols.push(("other regions", Align::Right));
            cols.push(("", Align::Left));
            let mut t = Table::new(&cols);
            for v in &catalog.vms {
                let mut row = vec![
                    v.id.clone(),
                    format!("{} x {}", v.gpus, v.gpu),
                    v.vcpus.to_string(),
                    num(v.ram_gib),
                ];
                for r in VM_REGIONS {
                    row.push(v.usd_per_hour.get(*r).map_or("-".to_string(), |p| usd(*p)));
                }
                let others = v
                    .usd_per_hour
                    .keys()
                    .filter(|k| !VM_REGIONS.contains(&k.as_str()))
                    .count();
                row.push(others.to_string());
                row.push(mark(v.estimate).to_string());
                t.row(row);
            }
            out.push_str(&t.render());
            out.push_str("\nLinux pay-as-you-go USD per hour. - : no price in that region. ~ estimate.\n");
            out.push_str("All regions: llmcap catalog vms --format json\n");
        }
        Section::Platforms => platforms_text(catalog, &mut out),
        Section::Prices => {
            let mut t = Table::new(&[
                ("model", Align::Left),
                ("deployment", Align::Left),
                ("input", Align::Right),
                ("cached", Align::Right),
                ("output", Align::Right),
                ("note", Align::Left),
            ]);
            for p in &catalog.prices {
                t.row([
                    p.model.clone(),
                    p.deployment.short().to_string(),
                    usd(p.input),
                    p.cached_input.map_or("-".to_string(), usd),
                    usd(p.output),
                    mark(p.estimate).to_string(),
                ]);
            }
            out.push_str("Token prices, USD per million tokens\n\n");
            out.push_str(&t.render());

            let mut t = Table::new(&[
                ("model", Align::Left),
                ("global min/step", Align::Right),
                ("regional min/step", Align::Right),
                ("input TPM/PTU", Align::Right),
                ("output weight", Align::Right),
                ("latency target", Align::Right),
            ]);
            for p in &catalog.ptu {
                t.row([
                    p.model.clone(),
                    format!("{}/{}", p.global_min, p.global_increment),
                    match (p.regional_min, p.regional_increment) {
                        (Some(m), Some(i)) => format!("{m}/{i}"),
                        _ => "-".to_string(),
                    },
                    thousands(p.input_tpm_per_ptu.round().max(0.0) as u64),
                    format!("{}{}", num(p.output_weight), mark(p.output_weight_estimate)),
                    format!(">{} tok/s", num(p.latency_target_tokens_per_s)),
                ]);
            }
            out.push_str("\nProvisioned throughput (PTU) sizing\n\n");
            out.push_str(&t.render());

            let mut t = Table::new(&[
                ("PTU kind", Align::Left),
                ("per hour", Align::Right),
                ("1-month", Align::Right),
                ("1-year", Align::Right),
                ("note", Align::Left),
            ]);
            for p in &catalog.ptu_prices {
                t.row([
                    format!("{:?}", p.kind),
                    usd(p.usd_per_hour),
                    usd(p.one_month_usd),
                    usd(p.one_year_usd),
                    mark(p.estimate).to_string(),
                ]);
            }
            out.push_str("\nPTU prices, USD per PTU\n\n");
            out.push_str(&t.render());
            let deps: Vec<&str> = Deployment::ALL.iter().map(|d| d.option_id()).collect();
            let _ = write!(
                out,
                "\n~ estimate. - : none in the catalog (cached tokens then bill as input).\nDeployment types: {}\n",
                deps.join(", ")
            );
        }
    }
    out
}

pub fn json(catalog: &Catalog, section: Section) -> Result<Value, serde_json::Error> {
    let overrides: Vec<String> = catalog.overrides.iter().map(|p| p.display().to_string()).collect();
    Ok(match section {
        Section::Summary => json!({
            "meta": serde_json::to_value(&catalog.meta)?,
            "overrides": overrides,
            "regions": serde_json::to_value(&catalog.regions)?,
            "gpus": serde_json::to_value(&catalog.gpus)?,
            "vms": serde_json::to_value(&catalog.vms)?,
            "servers": serde_json::to_value(&catalog.servers)?,
            "models": serde_json::to_value(&catalog.models)?,
            "prices": serde_json::to_value(&catalog.prices)?,
            "ptu": serde_json::to_value(&catalog.ptu)?,
            "ptu_prices": serde_json::to_value(&catalog.ptu_prices)?,
            "availability": serde_json::to_value(&catalog.availability)?,
            "quotas": serde_json::to_value(&catalog.quotas)?,
            "constants": serde_json::to_value(&catalog.constants)?,
        }),
        Section::Models => serde_json::to_value(&catalog.models)?,
        Section::Gpus => serde_json::to_value(&catalog.gpus)?,
        Section::Vms => serde_json::to_value(&catalog.vms)?,
        Section::Servers => serde_json::to_value(&catalog.servers)?,
        Section::Platforms => json!({
            "families": families(catalog)
                .into_iter()
                .map(|f| json!({
                    "family": f.family.label(),
                    "options": f.options,
                    "figures": f.figures,
                    "as_of": f.as_of,
                }))
                .collect::<Vec<_>>(),
            "managed_compute_vms": catalog
                .vms
                .iter()
                .filter(|v| v.managed_compute.is_some())
                .map(|v| json!({ "vm": v.id, "gpu": v.gpu, "gpus": v.gpus, "managed_compute": v.managed_compute }))
                .collect::<Vec<_>>(),
            "databricks": serde_json::to_value(&catalog.databricks)?,
            "direct_api_prices": serde_json::to_value(
                catalog.prices.iter().filter(|p| p.deployment.provider().outside_azure()).collect::<Vec<_>>()
            )?,
            "edge_devices": serde_json::to_value(
                catalog.gpus.iter().filter(|g| g.form_factor == Some(crate::catalog::FormFactor::Device)).collect::<Vec<_>>()
            )?,
        }),
        Section::Prices => json!({
            "token_prices": serde_json::to_value(&catalog.prices)?,
            "ptu": serde_json::to_value(&catalog.ptu)?,
            "ptu_prices": serde_json::to_value(&catalog.ptu_prices)?,
        }),
    })
}

/// One deployment family in the platforms listing: its options and what the catalog holds
/// for it, with the newest date among those figures.
struct FamilyFigures {
    family: crate::vocab::Family,
    options: Vec<&'static str>,
    figures: String,
    as_of: String,
}

fn newest<'a>(dates: impl Iterator<Item = &'a str>) -> String {
    dates.max().unwrap_or("").to_string()
}

fn families(catalog: &Catalog) -> Vec<FamilyFigures> {
    use crate::catalog::{Databricks, FormFactor};
    use crate::vocab::{Family, OptionId};
    let prices_of = |f: Family| catalog.prices.iter().filter(move |p| p.deployment.family() == f);
    Family::ALL
        .into_iter()
        .map(|family| {
            let options: Vec<&'static str> =
                OptionId::ALL.iter().filter(|o| o.family() == family).map(|o| o.id()).collect();
            let (figures, as_of) = match family {
                Family::PayAsYouGo | Family::Batch | Family::Serverless | Family::DirectApi => (
                    format!("{} token prices", prices_of(family).count()),
                    newest(prices_of(family).map(|p| p.as_of.as_str())),
                ),
                Family::Provisioned => (
                    format!("{} PTU tables, {} PTU prices", catalog.ptu.len(), catalog.ptu_prices.len()),
                    newest(
                        catalog
                            .ptu
                            .iter()
                            .map(|p| p.as_of.as_str())
                            .chain(catalog.ptu_prices.iter().map(|p| p.as_of.as_str())),
                    ),
                ),
                Family::ManagedCompute => {
                    let vms: Vec<_> = catalog.vms.iter().filter_map(|v| v.managed_compute.as_ref()).collect();
                    (
                        format!("{} VM sizes for managed online endpoints, billed as the VM", vms.len()),
                        newest(vms.iter().map(|m| m.as_of.as_str())),
                    )
                }
                Family::Databricks => {
                    let count = |f: fn(&Databricks) -> bool| catalog.databricks.iter().filter(|d| f(d)).count();
                    (
                        format!(
                            "{} GPU serving sizes, $/DBU in {} regions, {} pay-per-token prices, {} provisioned-throughput entr{}",
                            count(|d| matches!(d, Databricks::Serving(_))),
                            count(|d| matches!(d, Databricks::Dbu(_))),
                            prices_of(family).count(),
                            count(|d| matches!(d, Databricks::Provisioned(_))),
                            if count(|d| matches!(d, Databricks::Provisioned(_))) == 1 { "y" } else { "ies" }
                        ),
                        newest(
                            catalog
                                .databricks
                                .iter()
                                .map(|d| match d {
                                    Databricks::Serving(e) => e.as_of.as_str(),
                                    Databricks::Dbu(e) => e.as_of.as_str(),
                                    Databricks::Provisioned(e) => e.as_of.as_str(),
                                })
                                .chain(prices_of(family).map(|p| p.as_of.as_str())),
                        ),
                    )
                }
                Family::SelfHosted => {
                    let devices = catalog.gpus.iter().filter(|g| g.form_factor == Some(FormFactor::Device)).count();
                    (
                        format!(
                            "{} GPU VM sizes, {} servers ({} priced), {} whole devices (Jetson modules, CPU sockets)",
                            catalog.vms.len(),
                            catalog.servers.len(),
                            catalog.servers.iter().filter(|s| s.usd.is_some()).count(),
                            devices
                        ),
                        newest(
                            catalog
                                .vms
                                .iter()
                                .map(|v| v.as_of.as_str())
                                .chain(catalog.servers.iter().map(|s| s.as_of.as_str())),
                        ),
                    )
                }
            };
            FamilyFigures {
                family,
                options,
                figures,
                as_of,
            }
        })
        .collect()
}

/// `llmcap catalog platforms`: every family with its options, then the figures of the
/// platforms beside Azure OpenAI, each with its source and date.
fn platforms_text(catalog: &Catalog, out: &mut String) {
    use crate::catalog::{Databricks, FormFactor};
    let mut t = Table::new(&[
        ("family", Align::Left),
        ("options", Align::Left),
        ("figures in the catalog", Align::Left),
        ("newest", Align::Left),
    ]);
    for f in families(catalog) {
        t.row([f.family.label().to_string(), f.options.join(", "), f.figures, f.as_of]);
    }
    out.push_str("Deployment families\n\n");
    out.push_str(&t.render());

    let mut t = Table::new(&[
        ("VM size", Align::Left),
        ("GPUs", Align::Left),
        ("20% quota reserve", Align::Left),
        ("as of", Align::Left),
        ("source", Align::Left),
    ]);
    for v in &catalog.vms {
        if let Some(mc) = &v.managed_compute {
            t.row([
                v.id.clone(),
                format!("{} x {}", v.gpus, v.gpu),
                if mc.skips_quota_reservation {
                    "exempt"
                } else {
                    "reserved"
                }
                .to_string(),
                mc.as_of.clone(),
                format!("{}{}", mark(mc.estimate), crate::text::terminal_line(&mc.source)),
            ]);
        }
    }
    out.push_str("\nFoundry managed compute (Azure ML managed online endpoints): VM sizes, priced as in `llmcap catalog vms`\n\n");
    out.push_str(&t.render());

    let mut sizes = Table::new(&[
        ("workload type", Align::Left),
        ("GPUs", Align::Left),
        ("DBU/h", Align::Right),
        ("as of", Align::Left),
        ("source", Align::Left),
    ]);
    let mut rates = Table::new(&[
        ("region", Align::Left),
        ("$/DBU", Align::Right),
        ("as of", Align::Left),
        ("source", Align::Left),
    ]);
    let mut units = Table::new(&[
        ("model", Align::Left),
        ("published example", Align::Left),
        ("DBU/h a unit", Align::Right),
        ("as of", Align::Left),
        ("source", Align::Left),
    ]);
    for d in &catalog.databricks {
        match d {
            Databricks::Serving(e) => sizes.row([
                e.id.clone(),
                format!("{} x {}", e.gpus, e.gpu),
                e.dbu_per_hour.normalize().to_string(),
                e.as_of.clone(),
                format!("{}{}", mark(e.estimate), crate::text::terminal_line(&e.source)),
            ]),
            Databricks::Dbu(e) => rates.row([
                e.region.clone(),
                format!("{}{}", mark(e.estimate), usd(e.usd_per_dbu)),
                e.as_of.clone(),
                crate::text::terminal_line(&e.source),
            ]),
            Databricks::Provisioned(e) => units.row([
                e.model.clone(),
                format!(
                    "{} units ~ {} tokens/s at {} in / {} out",
                    e.example_units,
                    num(e.example_tokens_per_s),
                    e.example_input_tokens,
                    e.example_output_tokens
                ),
                format!("{}{}", mark(e.estimate), e.dbu_per_unit_hour.normalize()),
                e.as_of.clone(),
                crate::text::terminal_line(&e.source),
            ]),
        }
    }
    out.push_str("\nAzure Databricks Model Serving: GPU serving sizes\n\n");
    out.push_str(&sizes.render());
    out.push_str("\nAzure Databricks: USD per DBU (Serverless Real-Time Inference) by region\n\n");
    out.push_str(&rates.render());
    out.push_str(
        "\nAzure Databricks Foundation Model APIs: provisioned throughput (only where a unit's size is published)\n\n",
    );
    out.push_str(&units.render());

    let mut t = Table::new(&[
        ("device", Align::Left),
        ("memory GiB", Align::Right),
        ("GB/s", Align::Right),
        ("family", Align::Left),
        ("as of", Align::Left),
        ("source", Align::Left),
    ]);
    for g in catalog
        .gpus
        .iter()
        .filter(|g| g.form_factor == Some(FormFactor::Device))
    {
        t.row([
            g.id.clone(),
            num(g.memory_gib),
            num(g.bandwidth_gb_s),
            g.family.id().to_string(),
            g.as_of.clone(),
            format!("{}{}", mark(g.estimate), crate::text::terminal_line(&g.source)),
        ]);
    }
    out.push_str("\nWhole devices: edge modules and CPU sockets (owned; priced where `llmcap catalog servers` has a price; workstation cards such as the RTX 4090 are in `llmcap catalog gpus`)\n\n");
    out.push_str(&t.render());
    out.push_str("\nThe providers' own APIs (openai/api, anthropic/api) and Databricks pay-per-token are token prices: llmcap catalog prices. ~ estimate.\n");
}
