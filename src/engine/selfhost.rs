//! Self-hosting an open-weight model: what sizing needs ([`SizingInput`]), and `size`, which
//! prices every way to buy every configuration in a place and keeps the cheapest with its
//! runner-ups and cost curves. The parts: `search` (which configurations fit and meet the
//! latency targets), `market` (what each GPU costs where), `owned` (what a month of an
//! owned server costs) and `fleet` (replicas, VMs or servers and cost of one configuration
//! as the traffic moves).

mod fleet;
mod market;
mod owned;
mod search;

pub use fleet::{GpuCurve, MAX_REPLICAS, QueueCheck};
pub use market::Market;
pub use owned::OwnedServer;
pub use search::{BatchLimit, Config, Configs, configs};

use rust_decimal::Decimal;
use serde::Serialize;

use super::curve::ops_blocks;
use super::demand::Demand;
use super::memory::{self, Sequence};
use super::perf::Replica;
use super::predict::VramPerGpu;
use super::queue;
use super::{Constants, GIB, Precision};
use crate::catalog::{Architecture, Catalog, Model, ServingEngine};
use crate::scenario::{Commitment, Scenario};
use crate::vocab::{Place, Violation, ViolationKind};
use fleet::Fleet;
use market::Offer;

/// Where the GPUs run, with the region a cloud fleet is bought in.
#[derive(Debug, Clone, PartialEq)]
pub enum Site {
    /// Azure GPU VMs in a region.
    Cloud { region: String },
    /// Owned hardware.
    OnPremises,
    /// Foundry managed compute (Azure ML managed online endpoints): the VM sizes it runs,
    /// at the VMs' price in the region.
    ManagedCompute { region: String },
    /// Azure Databricks GPU serving endpoints in the workspace's region, at DBU/h x $/DBU.
    Databricks { region: String },
}

impl Site {
    /// The region a fleet in the cloud is bought in.
    pub fn region(&self) -> Option<&str> {
        match self {
            Site::Cloud { region } | Site::ManagedCompute { region } | Site::Databricks { region } => Some(region),
            Site::OnPremises => None,
        }
    }
}

/// A configuration that was sized and priced, kept as an alternative to the winner.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Alternative {
    pub gpu: String,
    pub vm: String,
    pub precision: &'static str,
    pub tp: u32,
    /// VMs, or on premises servers, at the peak.
    pub vms_peak: u32,
    /// GPU cost a month (before operations and negotiated discount), to compare with the
    /// chosen configuration's `gpu_monthly_usd`.
    #[serde(serialize_with = "super::plan::money")]
    pub gpu_monthly_usd: Decimal,
}

/// The chosen configuration, in the `self_hosted` object of the eval JSON.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SelfHosted {
    /// Cloud VMs or owned hardware (the option id says it in the JSON).
    #[serde(skip)]
    pub place: Place,
    pub gpu: String,
    /// VM size, or for owned hardware the server's id in `servers.ron`.
    pub vm: String,
    pub region: String,
    pub precision: &'static str,
    pub tp: u32,
    pub replicas_peak: u32,
    /// VMs, or on premises servers, at the peak.
    pub vms_peak: u32,
    pub gpus_peak: u32,
    /// GPUs in the VMs or servers bought for the peak (operations are counted on these).
    pub gpus_bought: u32,
    /// On premises: servers bought (the same as `vms_peak`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub servers_peak: Option<u32>,
    /// On premises: GPUs in each server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gpus_per_server: Option<u32>,
    /// On premises: one server's month (amortisation, support, power, colocation).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "super::plan::opt_money")]
    pub server_monthly_usd: Option<Decimal>,
    /// On premises: the fleet's power draw at its utilisation, kW (before PUE).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub power_kw: Option<f64>,
    /// Requests one replica's KV cache holds at the average context.
    pub max_concurrency_per_replica: u64,
    /// Requests one replica serves at once within the latency targets.
    pub batch_per_replica: u64,
    /// What stops the batch growing: the KV cache, the engine's max_num_seqs, the
    /// streaming-speed or the time-to-first-token target.
    pub batch_limited_by: BatchLimit,
    /// The serving engine's limits as this configuration runs under them.
    pub engine: Engine,
    /// Requests a second one replica serves with every slot busy.
    pub requests_per_s_per_replica: f64,
    /// Tokens a request generates: the completion plus hidden reasoning.
    pub generated_tokens: f64,
    pub vram_per_gpu_gib: VramPerGpu,
    /// Time to first token at the `ttft_percentile`, in the busiest hour at the load each
    /// replica then carries: prefill beside the sequences decoding, plus the queueing wait.
    pub ttft_ms: f64,
    pub ttft_percentile: f64,
    /// The wait for a batch slot at that percentile and load (M/G/c), ms.
    pub queue_wait_ms: f64,
    /// Share of a replica's capacity used in the busiest hour.
    pub peak_load: f64,
    /// The autoscaling headroom: replicas are added above this share of their capacity, or
    /// sooner where the fleet's pooled queue wait would pass the TTFT target.
    pub max_load: f64,
    pub tpot_ms: f64,
    pub replicas_by_hour: Vec<u32>,
    /// Average share of the replicas' capacity the traffic uses over the day.
    pub average_utilization: f64,
    /// Cloud: the VM's price per GPU. On premises: the owned cost, one server's month over
    /// its GPUs and 730 hours, to compare with the cloud.
    #[serde(serialize_with = "super::plan::money")]
    pub usd_per_gpu_hour: Decimal,
    /// GPU cost a month (before operations and negotiated discount).
    #[serde(serialize_with = "super::plan::money")]
    pub gpu_monthly_usd: Decimal,
    pub alternatives: Vec<Alternative>,
}

/// The serving engine's limits as a configuration runs under them.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Engine {
    pub name: String,
    pub max_num_seqs: u32,
    pub max_num_batched_tokens: u32,
    pub chunked_prefill: bool,
    pub prefix_caching: bool,
    /// Steps a prompt's prefill takes with the batch full.
    pub prefill_chunks: u32,
    /// Prompt tokens a request prefills (the rest are served from the prefix cache).
    pub prompt_tokens_computed: f64,
    /// The KV cache's format: FP8 with FP8 weights, else 16-bit (engine.md section 4).
    pub kv_cache: &'static str,
}

/// The result of sizing one model in one place.
#[derive(Debug, Clone, PartialEq)]
pub struct Sized {
    pub detail: SelfHosted,
    /// GPU cost a month (after commitment discounts, before operations and negotiated discount).
    pub lines: Vec<(String, Decimal)>,
    pub notes: Vec<String>,
    /// GPU cost as a function of demand: the cheapest of these configurations at each
    /// volume (the chosen one first), so break-even search still re-optimises the fleet.
    pub curves: Vec<GpuCurve>,
}

/// What sizing one model needs: the same for the configuration search and for pricing the
/// fleet in each place, so it is gathered once instead of passed argument by argument.
#[derive(Clone, Copy)]
pub struct SizingInput<'a> {
    pub catalog: &'a Catalog,
    pub market: &'a Market<'a>,
    pub constants: &'a Constants,
    pub scenario: &'a Scenario,
    pub demand: &'a Demand,
    pub model: &'a Model,
    pub arch: &'a Architecture,
    /// The serving engine: scheduler limits, chunked prefill, prefix caching, formats.
    pub engine: &'a ServingEngine,
    /// A request as the replica sees it: the prompt, and the generated tokens (the
    /// completion plus the hidden reasoning of a reasoning model).
    pub seq: Sequence,
    /// Hidden reasoning tokens a request generates before its first visible token (part of
    /// `seq.output`).
    pub reasoning: f64,
    /// Prompt tokens a request prefills (the rest come from the engine's prefix cache).
    pub prompt_computed: f64,
    /// Replicas kept running at all hours.
    pub min_replicas: u32,
    /// Operations a month for each block of `ops_gpus_per_block` GPUs bought, the
    /// negotiated discount on GPUs, as `f64`: the ranking compares what a fleet costs in all.
    pub ops_month: f64,
    pub ops_gpus_per_block: u32,
    pub discount: f64,
    /// Autoscaling headroom: the share of a replica's capacity the fleet is sized to use
    /// at most (the queueing check may allow less).
    pub utilization: f64,
}

/// Sizes the model in `place` from its configurations; `Err` says why nothing works.
pub fn size(
    input: &SizingInput,
    configs: &Configs,
    place: &Site,
    commitment_discount: Decimal,
) -> Result<Sized, Violation> {
    let SizingInput {
        catalog,
        market,
        constants,
        scenario,
        demand,
        model,
        arch,
        seq,
        min_replicas,
        utilization,
        ..
    } = *input;
    let why = configs.first_miss.as_deref();
    let unsupported = configs.unsupported.as_slice();
    let configs = configs.list.as_slice();
    let on_premises = matches!(place, Site::OnPremises);
    let discount_f64 = f64::try_from(commitment_discount).unwrap_or(0.0);
    // Without the owned server's terms (the ranking passes them itself, with no reference
    // count to touch per configuration); `curve_of` adds them.
    let bare_curve = |ci: usize, offer: &Offer| GpuCurve {
        requests_per_s_per_replica: configs[ci].cap.rps,
        // The autoscaling headroom; the queue check adds replicas where the pooled wait at
        // the TTFT percentile would pass the target first.
        utilization,
        queue: configs[ci].cap.queue,
        min_replicas,
        autoscale: scenario.self_hosting.autoscale,
        tp: configs[ci].tp,
        vm_gpus: offer.gpus,
        unit_price: offer.price,
        unit_price_f64: offer.price_f64,
        on_premises,
        commitment_discount: if on_premises {
            Decimal::ZERO
        } else {
            commitment_discount
        },
        commitment_discount_f64: if on_premises { 0.0 } else { discount_f64 },
        owned: None,
    };
    let curve_of = |ci: usize, offer: &Offer| GpuCurve {
        owned: offer.owned.clone(),
        ..bare_curve(ci, offer)
    };
    let mean_rps = fleet::mean_rps(demand);
    // Every way to buy every configuration: (cost, TP, offer id's order, precision, config,
    // offer). Cheapest first; ties go to the smaller TP, then by VM id and precision, then
    // in catalog order (config and offer positions), so the order is total.
    let mut ranked: Vec<(f64, u32, u32, Precision, usize, usize)> = Vec::with_capacity(2 * configs.len());
    let mut too_many = false;
    for (ci, cfg) in configs.iter().enumerate() {
        let offers = market.offers(cfg.gpu, place);
        if offers.is_empty() {
            continue;
        }
        // Replicas depend on the configuration only; each offer just prices them.
        let mut curve = bare_curve(ci, &offers[0]);
        let fleet = if on_premises {
            // Owned servers cost the peak fleet all month: the hours do not matter.
            Fleet {
                by_level: [0; 24],
                peak: curve.peak_replicas(demand),
            }
        } else {
            curve.fleet(demand)
        };
        if fleet.peak >= MAX_REPLICAS {
            too_many = true;
            continue;
        }
        // A replica's GPUs sit in one VM or server.
        for (oi, offer) in offers.iter().enumerate().filter(|(_, o)| o.gpus >= cfg.tp) {
            (curve.vm_gpus, curve.unit_price, curve.unit_price_f64) = (offer.gpus, offer.price, offer.price_f64);
            let gpu_cost = if let Some(o) = &offer.owned {
                curve.owned_cost_f64(o, fleet.peak, mean_rps)
            } else {
                curve.cost_f64_with(demand, &fleet)
            };
            // What the option will cost in all: GPUs after the negotiated discount, plus the
            // operations the fleet's size takes (the same sum as the cost curve's).
            let blocks = ops_blocks(curve.gpus_bought(fleet.peak), input.ops_gpus_per_block);
            let cost = gpu_cost * (1.0 - input.discount) + input.ops_month * f64::from(blocks);
            ranked.push((cost, cfg.tp, offer.id_order, cfg.precision, ci, oi));
        }
    }
    let offer_of = |ci: usize, oi: usize| &market.offers(configs[ci].gpu, place)[oi];
    ranked.sort_unstable_by(|a, b| {
        a.0.total_cmp(&b.0)
            .then_with(|| (a.1, a.2, a.3, a.4, a.5).cmp(&(b.1, b.2, b.3, b.4, b.5)))
    });
    let Some(&(.., best_ci, best_oi)) = ranked.first() else {
        if too_many {
            return Err(Violation::new(
                ViolationKind::Fit,
                format!(
                    "{} would need more than {} replicas at the peak",
                    model.id,
                    crate::text::thousands(u64::from(MAX_REPLICAS))
                ),
            ));
        }
        // A model that fits but only where no server is priced is a price problem; one
        // that misses the latency targets everywhere says that first.
        if on_premises
            && (!configs.is_empty() || why.is_none())
            && let Some(v) = unpriced_violation(catalog, scenario, market, model, configs)
        {
            return Err(v);
        }
        return Err(no_config_reason(catalog, scenario, model, place, why, unsupported));
    };
    let best_offer = offer_of(best_ci, best_oi);

    let cfg = &configs[best_ci];
    let gpu = &catalog.gpus[cfg.gpu];
    let curve = curve_of(best_ci, best_offer);
    let label = if on_premises {
        gpu.id.clone()
    } else {
        best_offer.id.clone()
    };
    let lines = curve.lines(demand, &label);
    let gpu_cost: Decimal = lines.iter().map(|l| l.1).sum();
    let (mut by_hour, peak) = curve.replicas(demand);
    if on_premises {
        // Owned servers run, and are paid for, all day: the fleet is the peak's every hour.
        by_hour = [peak; 24];
    }
    let served: f64 = by_hour.iter().map(|n| f64::from(*n) * cfg.cap.rps).sum();
    let used: f64 = demand.hourly_rps.iter().sum();
    let average_utilization = if served > 0.0 { used / served } else { 0.0 };
    let vms_peak = peak.div_ceil((best_offer.gpus / cfg.tp).max(1));
    let owned = curve.owned.as_ref().zip(curve.owned_month(demand));
    // The queueing wait where it is longest: in the busiest hour, at the load each replica
    // then carries (the fleet is sized so that it stays within the target at every hour).
    let peak_load = if peak > 0 && cfg.cap.rps > 0.0 {
        (demand.peak_rps / f64::from(peak) / cfg.cap.rps).min(1.0)
    } else {
        0.0
    };
    // The fleet's slots form one pool behind the load balancer (see `QueueCheck`).
    let slots = u32::try_from(cfg.cap.batch).unwrap_or(u32::MAX).saturating_mul(peak);
    let percentile = (scenario.latency.ttft_percentile / 100.0).clamp(0.5, 0.999);
    let wait_s = queue::wait_quantile_s(
        slots,
        peak_load,
        cfg.cap.service_s,
        constants.service_time_scv,
        percentile,
    );
    // The first token at that load: the prompt's chunks beside the sequences decoding on
    // average (not the full batch), plus the wait.
    let busy = (peak_load * cfg.cap.batch as f64).max(1.0);
    let r = Replica::new(arch, gpu, constants, cfg.precision, cfg.tp);
    let prompt = search::Prompt {
        computed: input.prompt_computed,
        budget: if input.engine.chunked_prefill {
            f64::from(cfg.cap.max_num_batched_tokens)
        } else {
            f64::INFINITY
        },
    };
    let ttft_s = search::FirstToken::new(&r, prompt, seq, input.reasoning).at(&r, busy)
        + if wait_s.is_finite() { wait_s } else { 0.0 };
    let kv_used = (cfg.cap.batch as f64)
        * memory::kv_sequence_bytes_gpu(arch, cfg.precision, cfg.tp, seq.average_context())
        / GIB;
    let p = &cfg.plan;
    let region = match place.region() {
        Some(region) => region.to_string(),
        None => Place::OnPremises.id().to_string(),
    };
    let mut detail = SelfHosted {
        place: if on_premises { Place::OnPremises } else { Place::Cloud },
        gpu: gpu.id.clone(),
        vm: best_offer.id.clone(),
        region,
        precision: cfg.format.id(),
        tp: cfg.tp,
        replicas_peak: peak,
        vms_peak,
        gpus_peak: peak * cfg.tp,
        gpus_bought: curve.gpus_bought(peak),
        max_concurrency_per_replica: p.max_concurrency,
        batch_per_replica: cfg.cap.batch,
        batch_limited_by: cfg.cap.limited_by,
        engine: Engine {
            name: input.engine.name.clone(),
            max_num_seqs: cfg.cap.max_num_seqs,
            max_num_batched_tokens: cfg.cap.max_num_batched_tokens,
            chunked_prefill: input.engine.chunked_prefill,
            prefix_caching: input.engine.prefix_caching,
            prefill_chunks: cfg.cap.chunks,
            prompt_tokens_computed: input.prompt_computed.round(),
            kv_cache: match cfg.format {
                crate::catalog::WeightFormat::Fp8 => "fp8",
                crate::catalog::WeightFormat::Fp16 => "fp16",
                _ => "bf16",
            },
        },
        requests_per_s_per_replica: (cfg.cap.rps * 1e4).round() / 1e4,
        generated_tokens: seq.output.round(),
        vram_per_gpu_gib: VramPerGpu::from_plan(p, kv_used),
        ttft_ms: (ttft_s * 1e4).round() / 10.0,
        ttft_percentile: scenario.latency.ttft_percentile,
        queue_wait_ms: if wait_s.is_finite() {
            (wait_s * 1e4).round() / 10.0
        } else {
            0.0
        },
        peak_load: (peak_load * 1e3).round() / 1e3,
        max_load: (curve.utilization * 1e3).round() / 1e3,
        tpot_ms: (cfg.cap.tpot_s * 1e4).round() / 10.0,
        replicas_by_hour: by_hour.to_vec(),
        average_utilization: (average_utilization * 1e3).round() / 1e3,
        servers_peak: owned.map(|_| vms_peak),
        gpus_per_server: owned.map(|_| best_offer.gpus),
        server_monthly_usd: owned.map(|(_, m)| (m.total() / Decimal::from(m.servers.max(1))).round_dp(2)),
        power_kw: owned.map(|(o, m)| o.fleet_kw(&m)),
        usd_per_gpu_hour: if let Some((_, m)) = owned {
            (m.total()
                / Decimal::from(m.servers.max(1) * best_offer.gpus)
                / Decimal::from(super::demand::HOURS_PER_MONTH))
            .round_dp(4)
        } else {
            (best_offer.price / Decimal::from(best_offer.gpus)).round_dp(4)
        },
        gpu_monthly_usd: gpu_cost,
        alternatives: Vec::new(),
    };
    // Runner-up configurations: the next cheapest with a different GPU, VM or precision (an
    // offer's index names its VM among the GPU's offers).
    let mut seen = vec![(cfg.gpu, best_oi, cfg.precision)];
    for &(.., ci, oi) in ranked.iter().skip(1) {
        let offer = offer_of(ci, oi);
        let c2 = &configs[ci];
        let key = (c2.gpu, oi, c2.precision);
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let alt = curve_of(ci, offer);
        let (_, alt_peak) = alt.replicas(demand);
        detail.alternatives.push(Alternative {
            gpu: catalog.gpus[c2.gpu].id.clone(),
            vm: offer.id.clone(),
            precision: c2.format.id(),
            tp: c2.tp,
            vms_peak: alt_peak.div_ceil((offer.gpus / c2.tp).max(1)),
            gpu_monthly_usd: alt.cost(demand),
        });
        if detail.alternatives.len() == 3 {
            break;
        }
    }
    let notes = if on_premises {
        market.unpriced_note(catalog, &scenario.self_hosting.gpus)
    } else {
        Vec::new()
    };
    // One curve per GPU type (its cheapest configuration and VM size here), for
    // re-optimising the fleet at other volumes.
    let mut curves = vec![curve];
    let mut kept = vec![cfg.gpu];
    for &(.., ci, oi) in ranked.iter().skip(1) {
        let key = configs[ci].gpu;
        if !kept.contains(&key) {
            kept.push(key);
            curves.push(curve_of(ci, offer_of(ci, oi)));
        }
    }
    Ok(Sized {
        detail,
        lines,
        notes,
        curves,
    })
}

fn no_config_reason(
    catalog: &Catalog,
    scenario: &Scenario,
    model: &Model,
    place: &Site,
    why: Option<&str>,
    unsupported: &[String],
) -> Violation {
    // No VM priced in the region at all says more than any configuration's miss.
    match place {
        Site::Cloud { region } if !catalog.vms.iter().any(|v| v.usd_per_hour.contains_key(region)) => {
            return Violation::new(
                ViolationKind::Price,
                format!("the catalog has no GPU VM prices in {region}"),
            );
        }
        Site::ManagedCompute { region }
            if !catalog
                .vms
                .iter()
                .any(|v| v.managed_compute.is_some() && v.usd_per_hour.contains_key(region)) =>
        {
            return Violation::new(
                ViolationKind::Price,
                format!("the catalog has no price in {region} for a VM size managed compute runs"),
            );
        }
        Site::Databricks { region } if catalog.databricks_dbu(region).is_none() => {
            return Violation::new(
                ViolationKind::Price,
                format!("the catalog has no $/DBU for Databricks model serving in {region}"),
            );
        }
        _ => {}
    }
    if let Some(first) = why {
        return Violation::new(
            ViolationKind::Latency,
            format!("no configuration meets the targets (e.g. {first})"),
        );
    }
    if let Some(first) = unsupported.first() {
        return Violation::new(
            ViolationKind::Fit,
            format!("no allowed GPU runs {} (e.g. {first})", model.id),
        );
    }
    match place {
        Site::ManagedCompute { region } => Violation::new(
            ViolationKind::Fit,
            format!(
                "{} does not fit on any VM size managed compute runs that is priced in {region} (no H200, MI300X or B200 sizes)",
                model.id
            ),
        ),
        Site::Databricks { .. } => Violation::new(
            ViolationKind::Fit,
            format!(
                "{} does not fit on a Databricks GPU serving size (1 x T4, or 1, 2, 4 or 8 x A100 80GB){}",
                model.id,
                if scenario.self_hosting.gpus.is_empty() {
                    String::new()
                } else {
                    format!(" among the allowed GPUs ({})", scenario.self_hosting.gpus.join(", "))
                }
            ),
        ),
        Site::Cloud { region } => {
            if !scenario.self_hosting.gpus.is_empty() {
                Violation::new(
                    ViolationKind::Fit,
                    format!(
                        "{} does not fit on the allowed GPUs ({}) in any VM size priced in {region}",
                        model.id,
                        scenario.self_hosting.gpus.join(", ")
                    ),
                )
            } else {
                Violation::new(
                    ViolationKind::Fit,
                    format!("{} does not fit on any GPU VM priced in {region}", model.id),
                )
            }
        }
        Site::OnPremises => Violation::new(
            ViolationKind::Fit,
            format!(
                "{} does not fit on up to 8 of any allowed GPU the catalog lists a server for",
                model.id
            ),
        ),
    }
}

/// The allowed GPUs no priced server can hold a configuration of (a replica's GPUs sit in
/// one server), each with the servers the catalog lists without a price that could, in
/// catalog order: the GPUs among the configurations, and the GPUs that only unpriced
/// servers offer (which the search leaves out, not knowing whether the model fits).
fn unpriced_gpus<'a>(
    catalog: &'a Catalog,
    scenario: &Scenario,
    market: &Market<'a>,
    configs: &[Config],
) -> Vec<(&'a str, Vec<&'a str>)> {
    let mut out: Vec<(usize, Vec<&str>)> = Vec::new();
    let allowed = &scenario.self_hosting.gpus;
    for (gi, gpu) in catalog.gpus.iter().enumerate() {
        if !market.buyable(gi)
            && (allowed.is_empty() || allowed.contains(&gpu.id))
            && let Some(ids) = market.unpriced.get(gi)
            && !ids.is_empty()
        {
            out.push((gi, ids.iter().map(|(id, _)| *id).collect()));
        }
    }
    for c in configs {
        let held = |gpus: u32| gpus >= c.tp;
        if market.offers(c.gpu, &Site::OnPremises).iter().any(|o| held(o.gpus)) {
            continue;
        }
        let ids = market.unpriced.get(c.gpu).map_or(&[][..], Vec::as_slice);
        for &(id, _) in ids.iter().filter(|(_, gpus)| held(*gpus)) {
            match out.iter_mut().find(|(g, _)| *g == c.gpu) {
                Some((_, list)) if list.contains(&id) => {}
                Some((_, list)) => list.push(id),
                None => out.push((c.gpu, vec![id])),
            }
        }
    }
    out.sort_by_key(|(g, _)| *g);
    out.into_iter()
        .map(|(g, ids)| (catalog.gpus[g].id.as_str(), ids))
        .collect()
}

/// How to price a server the catalog has no price for.
pub(super) const HOW_TO_PRICE: &str = "give a purchase price as `usd` on a server of the GPU (`llmcap catalog servers` lists them) in a servers.ron override (--catalog DIR); llmcap does not stand in a cloud GPU-hour for one";

fn list_unpriced(gpus: &[(&str, Vec<&str>)]) -> String {
    gpus.iter()
        .map(|(g, ids)| format!("{g} ({})", ids.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The `Price` violation when the model fits only on GPUs whose servers have no price.
fn unpriced_violation(
    catalog: &Catalog,
    scenario: &Scenario,
    market: &Market,
    model: &Model,
    configs: &[Config],
) -> Option<Violation> {
    let gpus = unpriced_gpus(catalog, scenario, market, configs);
    // With no configuration at all the model did not fit on any GPU that was searched; the
    // unpriced ones were not tried.
    let fit = if configs.is_empty() {
        format!(
            "{} does not fit on any allowed GPU with a priced server, and ",
            model.id
        )
    } else {
        String::new()
    };
    (!gpus.is_empty()).then(|| {
        Violation::new(
            ViolationKind::Price,
            format!(
                "{fit}the catalog has no server price for {}: {HOW_TO_PRICE}",
                list_unpriced(&gpus)
            ),
        )
    })
}

/// The commitment discount on always-on VMs for a scenario's commitment.
pub fn vm_commitment_discount(c: &CatalogDiscounts, commitment: Commitment) -> (Decimal, Option<String>) {
    match commitment {
        Commitment::PayAsYouGo => (Decimal::ZERO, None),
        Commitment::OneMonth => (
            Decimal::ZERO,
            Some("Azure VMs have no one-month reservation; GPU VMs priced pay-as-you-go".to_string()),
        ),
        Commitment::OneYear => (c.one_year, None),
        Commitment::ThreeYear => (c.three_year, None),
    }
}

/// VM reservation discounts from the catalog.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CatalogDiscounts {
    pub one_year: Decimal,
    pub three_year: Decimal,
}
