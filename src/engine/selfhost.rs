//! Self-hosting an open-weight model: the sizing search over GPU x precision x tensor
//! parallelism, replicas per hour, whole VMs, and what it costs a month.

use rust_decimal::Decimal;
use serde::Serialize;

use super::demand::{Demand, HOURS_PER_MONTH, dec};
use super::memory::{self, Sequence};
use super::perf::{Replica, throughput};
use super::predict::{TP_CHOICES, VramPerGpu, valid_tps};
use super::{Constants, GIB, Precision, ceil_u32, supports};
use crate::catalog::{Architecture, Catalog, Gpu, Model, Vm};
use crate::scenario::{Commitment, LatencyMode, PrecisionChoice, Scenario};
use crate::vocab::{Place, Violation, ViolationKind};

/// Where the GPUs run, with the region a cloud fleet is bought in.
#[derive(Debug, Clone, PartialEq)]
pub enum Site {
    /// Azure GPU VMs in a region.
    Cloud { region: String },
    /// Owned hardware.
    OnPremises,
}

/// A configuration that was sized and priced, kept as an alternative to the winner.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Alternative {
    pub gpu: String,
    pub vm: String,
    pub precision: &'static str,
    pub tp: u32,
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
    /// VM size, or `on-premises` for owned hardware.
    pub vm: String,
    pub region: String,
    pub precision: &'static str,
    pub tp: u32,
    pub replicas_peak: u32,
    pub vms_peak: u32,
    pub gpus_peak: u32,
    /// Requests one replica's KV cache holds at the average context.
    pub max_concurrency_per_replica: u64,
    /// Requests one replica serves at once within the latency targets.
    pub batch_per_replica: u64,
    pub requests_per_s_per_replica: f64,
    pub vram_per_gpu_gib: VramPerGpu,
    /// Time to first token at the design load, with the queueing allowance.
    pub ttft_ms: f64,
    pub tpot_ms: f64,
    pub replicas_by_hour: Vec<u32>,
    /// Average share of the replicas' capacity the traffic uses over the day.
    pub average_utilization: f64,
    #[serde(serialize_with = "super::plan::money")]
    pub usd_per_gpu_hour: Decimal,
    /// GPU cost a month (before operations and negotiated discount).
    #[serde(serialize_with = "super::plan::money")]
    pub gpu_monthly_usd: Decimal,
    pub alternatives: Vec<Alternative>,
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

/// GPU cost of one configuration in one place as a function of demand: the configuration
/// (GPU, precision, TP, batch) is fixed, replicas follow the traffic.
#[derive(Debug, Clone, PartialEq)]
pub struct GpuCurve {
    pub requests_per_s_per_replica: f64,
    pub utilization: f64,
    pub min_replicas: u32,
    pub autoscale: bool,
    pub tp: u32,
    /// GPUs a VM has (cloud), ignored on premises.
    pub vm_gpus: u32,
    /// Price of a VM per hour (cloud) or of a GPU per hour (on premises).
    pub unit_price: Decimal,
    /// The same price as `f64`, for ranking.
    pub unit_price_f64: f64,
    pub on_premises: bool,
    /// Commitment discount on the always-on baseline (cloud).
    pub commitment_discount: Decimal,
    /// The same as `f64`, for ranking.
    pub commitment_discount_f64: f64,
}

/// Replicas in each of a demand's hourly levels (see [`Demand::levels`]) and at the peak;
/// the busiest hour runs the peak fleet.
#[derive(Debug, Clone, Copy)]
struct Fleet {
    by_level: [u32; 24],
    peak: u32,
}

impl GpuCurve {
    /// Replicas for each level of the demand and at the peak.
    fn fleet(&self, demand: &Demand) -> Fleet {
        let peak = self.peak_replicas(demand);
        if !self.autoscale {
            return Fleet {
                by_level: [peak; 24],
                peak,
            };
        }
        let per_replica = self.requests_per_s_per_replica * self.utilization;
        let inverse = if per_replica > 0.0 {
            1.0 / per_replica
        } else {
            f64::INFINITY
        };
        // Every hour between the floor and the peak fleet (a floor above the peak wins).
        let (floor, cap) = (self.min_replicas, peak.max(self.min_replicas));
        let mut by_level = [0u32; 24];
        for (n, (rate, _)) in by_level.iter_mut().zip(demand.levels()) {
            // An idle hour (or a zero rate times an infinite inverse) needs none.
            *n = ceil_u32(rate * inverse).min(MAX_REPLICAS).clamp(floor, cap);
        }
        Fleet { by_level, peak }
    }

    /// Replicas in each hour and at the peak.
    pub fn replicas(&self, demand: &Demand) -> ([u32; 24], u32) {
        let fleet = self.fleet(demand);
        let mut by_hour = demand.level_of_hour.map(|l| fleet.by_level[usize::from(l)]);
        by_hour[demand.busiest_hour] = fleet.peak;
        (by_hour, fleet.peak)
    }

    /// Replicas at the peak.
    pub fn peak_replicas(&self, demand: &Demand) -> u32 {
        replicas_for(
            demand.peak_rps,
            self.requests_per_s_per_replica,
            self.utilization,
            self.min_replicas,
        )
    }

    fn per_vm(&self) -> u32 {
        (self.vm_gpus / self.tp.max(1)).max(1)
    }

    /// VM-hours a day above the always-on baseline, the baseline and the peak VM count.
    fn vm_counts(&self, demand: &Demand, fleet: &Fleet) -> (u32, u32, u32) {
        let per_vm = self.per_vm();
        // One replica a VM (the common case) needs no division.
        let vms = |replicas: u32| {
            if per_vm == 1 {
                replicas
            } else {
                replicas.div_ceil(per_vm)
            }
        };
        let (mut total, mut baseline, mut peak) = (0u32, u32::MAX, 0u32);
        let mut add = |vms: u32, hours: u32| {
            total += vms * hours;
            baseline = baseline.min(vms);
            peak = peak.max(vms);
        };
        for (i, (&replicas, &(_, hours))) in fleet.by_level.iter().zip(demand.levels()).enumerate() {
            if i == demand.busiest_level {
                add(vms(fleet.peak), 1);
                if hours > 1 {
                    add(vms(replicas), hours - 1);
                }
            } else {
                add(vms(replicas), hours);
            }
        }
        (total - 24 * baseline, baseline, peak)
    }

    /// GPU cost a month, as priced lines.
    pub fn lines(&self, demand: &Demand, label: &str) -> Vec<(String, Decimal)> {
        let hours = Decimal::from(HOURS_PER_MONTH);
        let fleet = self.fleet(demand);
        if self.on_premises {
            // Owned GPUs cost the same idle or busy: the peak fleet, all month.
            let gpus = fleet.peak * self.tp;
            return vec![(
                format!(
                    "owned GPUs: {gpus} x {label} x ${} per GPU-hour x 730 h",
                    self.unit_price.normalize()
                ),
                Decimal::from(gpus) * self.unit_price * hours,
            )];
        }
        let (burst, baseline, _) = self.vm_counts(demand, &fleet);
        let price = self.unit_price;
        let mut lines = vec![(
            if self.commitment_discount > Decimal::ZERO {
                format!(
                    "GPU VMs always on: {baseline} x {label} at ${}/h less {}% commitment discount, 730 h",
                    price.normalize(),
                    (self.commitment_discount * Decimal::from(100)).normalize()
                )
            } else {
                format!(
                    "GPU VMs always on: {baseline} x {label} at ${}/h, 730 h",
                    price.normalize()
                )
            },
            Decimal::from(baseline) * price * hours * (Decimal::ONE - self.commitment_discount),
        )];
        if burst > 0 {
            lines.push((
                format!(
                    "GPU VMs added by autoscaling: {burst} VM-hours a day at ${}/h (pay-as-you-go)",
                    price.normalize()
                ),
                Decimal::from(burst) * price * hours / Decimal::from(24),
            ));
        }
        lines
    }

    /// GPU cost a month (the sum of [`Self::lines`], without building their text).
    pub fn cost(&self, demand: &Demand) -> Decimal {
        let hours = Decimal::from(HOURS_PER_MONTH);
        if self.on_premises {
            return Decimal::from(self.peak_replicas(demand) * self.tp) * self.unit_price * hours;
        }
        let (burst, baseline, _) = self.vm_counts(demand, &self.fleet(demand));
        let base = Decimal::from(baseline) * self.unit_price * hours * (Decimal::ONE - self.commitment_discount);
        if burst > 0 {
            base + Decimal::from(burst) * self.unit_price * hours / Decimal::from(24)
        } else {
            base
        }
    }

    /// The same cost in `f64`, for ranking thousands of candidates and locating break-even
    /// points quickly (money that is reported always comes from [`Self::cost`]).
    pub fn cost_f64(&self, demand: &Demand) -> f64 {
        if self.on_premises {
            return self.owned_cost_f64(self.peak_replicas(demand));
        }
        self.cost_f64_with(demand, &self.fleet(demand))
    }

    /// [`Self::cost_f64`] of owned GPUs for the peak fleet.
    fn owned_cost_f64(&self, peak: u32) -> f64 {
        f64::from(peak * self.tp) * self.unit_price_f64 * f64::from(HOURS_PER_MONTH)
    }

    /// [`Self::cost_f64`] of cloud VMs for replicas already counted.
    fn cost_f64_with(&self, demand: &Demand, fleet: &Fleet) -> f64 {
        let price = self.unit_price_f64;
        let discount = self.commitment_discount_f64;
        let (burst, baseline, _) = self.vm_counts(demand, fleet);
        f64::from(baseline) * price * f64::from(HOURS_PER_MONTH) * (1.0 - discount)
            + f64::from(burst) * price * f64::from(HOURS_PER_MONTH) / 24.0
    }
}

/// What one replica of a configuration sustains within the latency targets.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Capacity {
    batch: u64,
    rps: f64,
    ttft_s: f64,
    tpot_s: f64,
}

/// Precisions to try for a model on a GPU. `Auto` means the GPU's best near-lossless format
/// (FP8 where the GPU has it, which dominates 16-bit: half the memory, twice the FLOPs;
/// else 16-bit) and the model's published format. 8- and 4-bit weight-only quantisation
/// lose some quality, so they are tried only when asked for (or published so).
fn precisions(choice: PrecisionChoice, arch: &Architecture, gpu: &Gpu) -> Vec<Precision> {
    let wanted = match choice {
        PrecisionChoice::Auto => {
            let mut v = vec![if supports(gpu, Precision::Fp8) {
                Precision::Fp8
            } else {
                Precision::Bf16
            }];
            if let Some(native) = arch.native_precision
                && !v.contains(&native)
            {
                v.push(native);
            }
            v
        }
        PrecisionChoice::Bf16 => vec![Precision::Bf16],
        PrecisionChoice::Fp8 => vec![Precision::Fp8],
        PrecisionChoice::Int8 => vec![Precision::Int8],
        PrecisionChoice::Int4 => vec![Precision::Int4],
    };
    wanted.into_iter().filter(|p| supports(gpu, *p)).collect()
}

/// Why a configuration misses the latency targets even serving one request at a time. Most
/// of a search's misses are never shown, so the words are written only when asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
enum TooSlow {
    /// Streams `best` tokens/s per request, below the `required` speed.
    Stream { best: f64, required: f64 },
    /// The first token comes after `best_ms`, beyond the `target_ms`.
    FirstToken { best_ms: f64, target_ms: f64 },
}

impl std::fmt::Display for TooSlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TooSlow::Stream { best, required } => write!(
                f,
                "streams {best:.0} tokens/s per request at best, below the {required:.0} required"
            ),
            TooSlow::FirstToken { best_ms, target_ms } => write!(
                f,
                "first token after {best_ms:.0} ms at best, beyond the {target_ms:.0} ms target"
            ),
        }
    }
}

/// Largest batch per replica within the targets, by bisection (step time grows with batch).
fn capacity(
    r: &Replica,
    seq: Sequence,
    max_batch: u64,
    scenario: &Scenario,
    utilization: f64,
) -> Result<Capacity, TooSlow> {
    let interactive = scenario.latency.mode == LatencyMode::Interactive;
    let step_limit = if interactive && scenario.latency.output_tokens_per_s > 0.0 {
        1.0 / scenario.latency.output_tokens_per_s
    } else {
        f64::INFINITY
    };
    let ttft_limit = if interactive {
        scenario.latency.ttft_ms / 1000.0
    } else {
        f64::INFINITY
    };
    let prefill = r.prefill_s(seq.input);
    // Queueing allowance: at design utilisation u a prompt waits on average u/(1-u) prefills.
    let queued_prefill = prefill / (1.0 - utilization);
    let ttft_at = |b: f64| queued_prefill + r.decode_step_s(b, seq.input);
    let ok = |b: u64| {
        let (step, first) = r.decode_steps_s(b as f64, (seq.average_context(), seq.input));
        step <= step_limit && queued_prefill + first <= ttft_limit
    };
    if !ok(1) {
        let step = r.decode_step_s(1.0, seq.average_context());
        return Err(if step > step_limit {
            TooSlow::Stream {
                best: 1.0 / step,
                required: scenario.latency.output_tokens_per_s,
            }
        } else {
            TooSlow::FirstToken {
                best_ms: ttft_at(1.0) * 1000.0,
                target_ms: scenario.latency.ttft_ms,
            }
        });
    }
    let max_batch = max_batch.max(1);
    // The decode step is affine in the batch on each side of the roofline, so the largest
    // batch within the limits has a closed form. For dense models it is exact; for MoE models
    // counting every expert bounds the step from above and counting one token's experts
    // from below, which brackets the answer for the bisection.
    let bound = |weight_batch: f64| -> u64 {
        let avg = r.decode_affine(seq.average_context(), weight_batch);
        let first = r.decode_affine(seq.input, weight_batch);
        let mut b = max_batch as f64;
        if step_limit.is_finite() {
            b = b.min(avg.max_batch(step_limit, 0.0));
        }
        if ttft_limit.is_finite() {
            b = b.min(first.max_batch(ttft_limit, queued_prefill));
        }
        b.floor().clamp(1.0, max_batch as f64) as u64
    };
    let (mut lo, mut hi) = if r.arch().moe.is_some() {
        (bound(max_batch as f64), bound(1.0))
    } else {
        let b = bound(1.0);
        (b, b)
    };
    // Check the bracket against the real step time (the closed form may be off by rounding),
    // keeping `ok(lo)` true, then bisect what is left.
    if !ok(lo) {
        hi = lo - 1;
        lo = 1;
    } else if hi < max_batch && ok(hi + 1) {
        hi = max_batch;
    }
    hi = hi.max(lo);
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if ok(mid) { lo = mid } else { hi = mid - 1 }
    }
    let t = throughput(r, seq.input, seq.output, lo as f64);
    Ok(Capacity {
        batch: lo,
        rps: t.requests_per_s,
        ttft_s: ttft_at(lo as f64),
        tpot_s: t.tpot_s,
    })
}

/// Replicas beyond which a configuration is not a plan but a fantasy; keeping counts below it
/// also keeps GPU counts (x TP 8) and daily VM-hours (x 24) within `u32`.
pub const MAX_REPLICAS: u32 = 100_000_000;

fn replicas_for(rate: f64, per_replica: f64, utilization: f64, min: u32) -> u32 {
    if rate <= 0.0 {
        return min.min(MAX_REPLICAS);
    }
    ceil_u32(rate / (per_replica * utilization)).max(min).min(MAX_REPLICAS)
}

/// Where an owned GPU-hour's price comes from.
enum OnPremRate<'a> {
    /// A catalog constant `on_prem_usd_per_gpu_hour.<gpu>`.
    Catalog(Decimal),
    /// The cheapest cloud pay-as-you-go GPU-hour: (rate, VM, region).
    CloudEquivalent(Decimal, &'a Vm, &'a str),
}

impl OnPremRate<'_> {
    fn rate(&self) -> Decimal {
        match self {
            OnPremRate::Catalog(r) | OnPremRate::CloudEquivalent(r, _, _) => *r,
        }
    }

    fn note(&self, gpu: &Gpu) -> String {
        match self {
            OnPremRate::Catalog(r) => format!("owned {} at ${r} per GPU-hour (catalog)", gpu.id),
            OnPremRate::CloudEquivalent(r, vm, region) => format!(
                "owned {} priced at the cloud-equivalent ${r} per GPU-hour ({} in {region}); give an amortised rate as constant on_prem_usd_per_gpu_hour.{} to override",
                gpu.id, vm.id, gpu.id
            ),
        }
    }
}

/// Per-GPU-hour price for owned hardware: a catalog constant `on_prem_usd_per_gpu_hour.<gpu>`
/// if present, else the cheapest cloud pay-as-you-go GPU-hour in any region.
fn on_prem_rate<'a>(catalog: &'a Catalog, gpu: &Gpu) -> Option<OnPremRate<'a>> {
    if let Some(v) = catalog
        .constants
        .iter()
        .find(|k| k.id.strip_prefix("on_prem_usd_per_gpu_hour.") == Some(gpu.id.as_str()))
        .and_then(|k| dec(k.value))
    {
        return Some(OnPremRate::Catalog(v));
    }
    catalog
        .vms
        .iter()
        .filter(|v| v.gpu == gpu.id)
        .flat_map(|v| {
            v.usd_per_hour
                .iter()
                .map(move |(r, p)| (*p / Decimal::from(v.gpus), v, r))
        })
        .min_by(|a, b| a.0.cmp(&b.0))
        .map(|(rate, vm, region)| OnPremRate::CloudEquivalent(rate.round_dp(4), vm, region.as_str()))
}

/// One way to buy a GPU: a VM size in the region, or owned GPUs.
#[derive(Debug, Clone)]
struct Offer {
    /// VM id, or `on-premises`.
    id: String,
    /// GPUs a VM has (8 for owned hardware, which is bought by the GPU).
    gpus: u32,
    /// Price per VM-hour, or per owned GPU-hour.
    price: Decimal,
    /// The same as `f64`, for ranking.
    price_f64: f64,
    /// Where `id` sorts among the market's offer ids, so ranking compares ids as numbers.
    id_order: u32,
}

fn offer(id: String, gpus: u32, price: Decimal) -> Offer {
    let price_f64 = f64::try_from(price).unwrap_or(f64::MAX);
    Offer {
        id,
        gpus,
        price,
        price_f64,
        id_order: 0,
    }
}

/// What each GPU costs in the evaluation's region and on premises, indexed like
/// `catalog.gpus`; built once per evaluation.
pub struct Market<'a> {
    /// (VM id, GPUs per VM, price per VM-hour) in the region.
    cloud: Vec<Vec<Offer>>,
    /// Price per owned GPU-hour and where it comes from.
    on_prem: Vec<Option<OnPremRate<'a>>>,
    /// The same as a one-entry offer list (or none), so both places hand out slices.
    on_prem_offers: Vec<Vec<Offer>>,
}

impl<'a> Market<'a> {
    pub fn new(catalog: &'a Catalog, region: &str) -> Market<'a> {
        let place = Site::Cloud {
            region: region.to_string(),
        };
        let on_prem: Vec<Option<OnPremRate>> = catalog.gpus.iter().map(|g| on_prem_rate(catalog, g)).collect();
        let mut market = Market {
            cloud: catalog.gpus.iter().map(|g| offers(catalog, g, &place)).collect(),
            on_prem_offers: on_prem
                .iter()
                .map(|r| {
                    r.as_ref()
                        .map(|rate| vec![offer(Place::OnPremises.id().to_string(), 8, rate.rate())])
                        .unwrap_or_default()
                })
                .collect(),
            on_prem,
        };
        let mut ids: Vec<String> = market
            .cloud
            .iter()
            .chain(&market.on_prem_offers)
            .flatten()
            .map(|o| o.id.clone())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        for o in market.cloud.iter_mut().chain(&mut market.on_prem_offers).flatten() {
            o.id_order = ids
                .binary_search(&o.id)
                .map_or(u32::MAX, |i| u32::try_from(i).unwrap_or(u32::MAX));
        }
        market
    }

    fn offers(&self, gpu: usize, place: &Site) -> &[Offer] {
        let list = match place {
            Site::Cloud { .. } => self.cloud.get(gpu),
            Site::OnPremises => self.on_prem_offers.get(gpu),
        };
        list.map_or(&[], Vec::as_slice)
    }

    /// Whether any option could buy this GPU (a cloud VM anywhere gives it an owned rate).
    fn buyable(&self, gpu: usize) -> bool {
        self.on_prem.get(gpu).is_some_and(Option::is_some)
    }
}

/// One sized configuration: where it fits and what a replica sustains. Independent of
/// the place and of the daily volume, so it is computed once per model.
#[derive(Debug, Clone)]
pub struct Config {
    gpu: usize,
    precision: Precision,
    tp: u32,
    plan: memory::MemoryPlan,
    cap: Capacity,
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
    /// Share of a replica's capacity the fleet is sized to use (also the queueing allowance).
    pub utilization: f64,
}

/// The configurations of a model that fit and meet the latency targets, found once per
/// model and shared by the cloud and on-premises options.
#[derive(Debug, Clone, Default)]
pub struct Configs {
    pub list: Vec<Config>,
    /// Why the first configuration that fits misses the targets, for the message when none
    /// meets them.
    pub first_miss: Option<String>,
}

/// Every configuration of the model that fits and meets the latency targets, and why the
/// first that fits misses them (for the message when none meets them).
pub fn configs(input: &SizingInput) -> Configs {
    let SizingInput {
        catalog,
        market,
        constants: c,
        scenario,
        demand,
        model,
        arch,
        utilization,
    } = *input;
    let seq = Sequence {
        input: demand.input_tokens,
        output: demand.generated(model.reasoning),
    };
    let tps: Vec<u32> = valid_tps(arch).into_iter().filter(|t| TP_CHOICES.contains(t)).collect();
    let mut out = Vec::new();
    let mut why = None;
    for (gi, gpu) in catalog.gpus.iter().enumerate() {
        if !scenario.self_hosting.gpus.is_empty() && !scenario.self_hosting.gpus.contains(&gpu.id) {
            continue;
        }
        // A GPU no VM offers and no on-premises rate prices cannot be part of any option.
        if !market.buyable(gi) {
            continue;
        }
        for precision in precisions(scenario.self_hosting.precision, arch, gpu) {
            // The two smallest degrees that fit and meet the targets: a larger one only adds
            // all-reduce traffic and GPUs, so two are enough to find the cheapest.
            let mut taken = 0;
            for &tp in &tps {
                if taken == 2 {
                    break;
                }
                let plan = memory::plan(
                    arch,
                    gpu,
                    c,
                    precision,
                    tp,
                    scenario.self_hosting.memory_utilization,
                    seq,
                );
                if !plan.fits() {
                    continue;
                }
                let r = Replica::new(arch, gpu, c, precision, tp);
                match capacity(&r, seq, plan.max_concurrency, scenario, utilization) {
                    Ok(cap) => {
                        taken += 1;
                        out.push(Config {
                            gpu: gi,
                            precision,
                            tp,
                            plan,
                            cap,
                        });
                    }
                    Err(e) => {
                        why.get_or_insert_with(|| {
                            format!("{} at {} on {tp} x {}: {e}", model.id, precision.id(), gpu.id)
                        });
                    }
                }
            }
        }
    }
    Configs {
        list: out,
        first_miss: why,
    }
}

/// What can be bought with a GPU in a place: (VM id, GPUs per VM, price per VM-hour), or
/// for owned hardware one entry priced per GPU-hour.
fn offers(catalog: &Catalog, gpu: &Gpu, place: &Site) -> Vec<Offer> {
    match place {
        Site::Cloud { region } => catalog
            .vms
            .iter()
            .filter(|v: &&Vm| v.gpu == gpu.id)
            .filter_map(|v| v.usd_per_hour.get(region).map(|p| offer(v.id.clone(), v.gpus, *p)))
            .collect(),
        Site::OnPremises => match on_prem_rate(catalog, gpu) {
            Some(r) => vec![offer(Place::OnPremises.id().to_string(), 8, r.rate())],
            None => Vec::new(),
        },
    }
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
        scenario,
        demand,
        model,
        arch,
        utilization,
        ..
    } = *input;
    let why = configs.first_miss.as_deref();
    let configs = configs.list.as_slice();
    let seq = Sequence {
        input: demand.input_tokens,
        output: demand.generated(model.reasoning),
    };
    let on_premises = matches!(place, Site::OnPremises);
    let discount_f64 = f64::try_from(commitment_discount).unwrap_or(0.0);
    let curve_of = |ci: usize, offer: &Offer| GpuCurve {
        requests_per_s_per_replica: configs[ci].cap.rps,
        utilization,
        min_replicas: scenario.self_hosting.min_replicas,
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
    };
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
        let mut curve = curve_of(ci, &offers[0]);
        let fleet = if on_premises {
            // Owned GPUs cost the peak fleet all month: the hours do not matter.
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
        for (oi, offer) in offers
            .iter()
            .enumerate()
            .filter(|(_, o)| on_premises || o.gpus >= cfg.tp)
        {
            (curve.vm_gpus, curve.unit_price, curve.unit_price_f64) = (offer.gpus, offer.price, offer.price_f64);
            let cost = if on_premises {
                curve.owned_cost_f64(fleet.peak)
            } else {
                curve.cost_f64_with(demand, &fleet)
            };
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
        return Err(no_config_reason(catalog, scenario, model, place, why));
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
    let (by_hour, peak) = curve.replicas(demand);
    let served: f64 = by_hour.iter().map(|n| f64::from(*n) * cfg.cap.rps).sum();
    let used: f64 = demand.hourly_rps.iter().sum();
    let average_utilization = if served > 0.0 { used / served } else { 0.0 };
    let vms_peak = if on_premises {
        peak * cfg.tp
    } else {
        peak.div_ceil((best_offer.gpus / cfg.tp).max(1))
    };
    let kv_used = (cfg.cap.batch as f64)
        * memory::kv_sequence_bytes_gpu(arch, cfg.precision, cfg.tp, seq.average_context())
        / GIB;
    let p = &cfg.plan;
    let region = match place {
        Site::Cloud { region } => region.clone(),
        Site::OnPremises => Place::OnPremises.id().to_string(),
    };
    let mut detail = SelfHosted {
        place: if on_premises { Place::OnPremises } else { Place::Cloud },
        gpu: gpu.id.clone(),
        vm: best_offer.id.clone(),
        region,
        precision: cfg.precision.id(),
        tp: cfg.tp,
        replicas_peak: peak,
        vms_peak,
        gpus_peak: peak * cfg.tp,
        max_concurrency_per_replica: p.max_concurrency,
        batch_per_replica: cfg.cap.batch,
        requests_per_s_per_replica: (cfg.cap.rps * 1e4).round() / 1e4,
        vram_per_gpu_gib: VramPerGpu::from_plan(p, kv_used),
        ttft_ms: (cfg.cap.ttft_s * 1e4).round() / 10.0,
        tpot_ms: (cfg.cap.tpot_s * 1e4).round() / 10.0,
        replicas_by_hour: by_hour.to_vec(),
        average_utilization: (average_utilization * 1e3).round() / 1e3,
        usd_per_gpu_hour: if on_premises {
            best_offer.price
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
            precision: c2.precision.id(),
            tp: c2.tp,
            vms_peak: if on_premises {
                alt_peak * c2.tp
            } else {
                alt_peak.div_ceil((offer.gpus / c2.tp).max(1))
            },
            gpu_monthly_usd: alt.cost(demand),
        });
        if detail.alternatives.len() == 3 {
            break;
        }
    }
    let notes = if on_premises {
        market.on_prem[cfg.gpu]
            .as_ref()
            .map(|r| vec![r.note(gpu)])
            .unwrap_or_default()
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
) -> Violation {
    if let Some(first) = why {
        return Violation::new(
            ViolationKind::Latency,
            format!("no configuration meets the targets (e.g. {first})"),
        );
    }
    match place {
        Site::Cloud { region } => {
            let any_vm = catalog.vms.iter().any(|v| v.usd_per_hour.contains_key(region));
            if !any_vm {
                Violation::new(
                    ViolationKind::Price,
                    format!("the catalog has no GPU VM prices in {region}"),
                )
            } else if !scenario.self_hosting.gpus.is_empty() {
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
                "{} does not fit on up to 8 of any allowed GPU with an on-premises price",
                model.id
            ),
        ),
    }
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

#[cfg(test)]
mod tests {
    use super::Demand;
    use crate::scenario::{Pattern, Scenario};
    use rust_decimal::Decimal;

    #[test]
    fn replica_counts_stay_bounded() {
        assert_eq!(super::replicas_for(1e15, 0.001, 0.8, 1), super::MAX_REPLICAS);
        assert_eq!(super::replicas_for(0.0, 1.0, 0.8, 3), 3);
        assert_eq!(super::replicas_for(10.0, 1.0, 0.5, 1), 20);
    }

    /// Replicas and VM counts hour by hour, as the fleet was sized before hours with the
    /// same rate were counted once.
    fn hour_by_hour(curve: &super::GpuCurve, d: &Demand) -> ([u32; 24], (u32, u32, u32)) {
        let peak = curve.peak_replicas(d);
        let mut by_hour = [peak; 24];
        if curve.autoscale {
            let inverse = 1.0 / (curve.requests_per_s_per_replica * curve.utilization);
            let cap = peak.max(curve.min_replicas);
            for (n, rate) in by_hour.iter_mut().zip(&d.hourly_rps) {
                *n = super::ceil_u32(rate * inverse)
                    .min(super::MAX_REPLICAS)
                    .clamp(curve.min_replicas, cap);
            }
            by_hour[d.busiest_hour] = peak;
        }
        let per_vm = (curve.vm_gpus / curve.tp).max(1);
        let vms = by_hour.map(|n| n.div_ceil(per_vm));
        let (low, high) = (
            vms.iter().min().copied().unwrap_or(0),
            vms.iter().max().copied().unwrap_or(0),
        );
        (by_hour, (vms.iter().sum::<u32>() - 24 * low, low, high))
    }

    #[test]
    fn counting_each_hourly_level_once_gives_the_hour_by_hour_fleet() {
        let mut s = Scenario::example();
        let patterns = [
            Pattern::Steady,
            Pattern::BusinessHours,
            Pattern::Custom((0..24).map(|h| f64::from((h * 5) % 7)).collect()),
            Pattern::Custom((0..24).map(|h| f64::from(h + 1)).collect()),
            Pattern::Custom([vec![0.0; 5], vec![1.0], vec![0.0; 18]].concat()),
        ];
        let mut checked = 0;
        for pattern in patterns {
            s.traffic.pattern = pattern;
            for volume in [0.0, 40.0, 5e3, 1e5, 3.3e6, 7e7] {
                let d = Demand::with_volume(&s, volume);
                for (autoscale, min_replicas, tp, vm_gpus) in [
                    (true, 1, 1, 1),
                    (true, 0, 2, 8),
                    (true, 3, 1, 4),
                    (false, 1, 4, 8),
                    (true, 2, 8, 8),
                ] {
                    let curve = super::GpuCurve {
                        requests_per_s_per_replica: 0.37,
                        utilization: 0.8,
                        min_replicas,
                        autoscale,
                        tp,
                        vm_gpus,
                        unit_price: Decimal::new(1234, 2),
                        unit_price_f64: 12.34,
                        on_premises: false,
                        commitment_discount: Decimal::ZERO,
                        commitment_discount_f64: 0.0,
                    };
                    let (by_hour, counts) = hour_by_hour(&curve, &d);
                    assert_eq!(curve.replicas(&d).0, by_hour, "{volume} a day");
                    assert_eq!(curve.vm_counts(&d, &curve.fleet(&d)), counts, "{volume} a day");
                    checked += usize::from(counts.0 > 0);
                }
            }
        }
        // Autoscaling must have added VMs above the baseline in a good share of the cases.
        assert!(checked >= 20, "only {checked} cases scaled");
    }
}
