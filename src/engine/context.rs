//! The context every option evaluation of one plan shares ([`Ctx`]): the scenario, the
//! catalog and its constants, the demand at the volume asked for, the region, the GPU
//! market, and the month's token counts in `Decimal`, all worked out once per evaluation
//! rather than once per option.

use rust_decimal::Decimal;

use super::Constants;
use super::demand::{Demand, dec};
use super::memory::Sequence;
use super::plan::CostLine;
use super::selfhost::{self, CatalogDiscounts, SizingInput};
use crate::catalog::{Architecture, Catalog, Model, ServingEngine};
use crate::date::Date;
use crate::scenario::{Residency, Scenario};
use crate::text::thousands;

/// Everything the option evaluations share.
pub(super) struct Ctx<'a> {
    pub(super) s: &'a Scenario,
    /// The plan date: models retired by then cannot be deployed.
    pub(super) on: Date,
    pub(super) catalog: &'a Catalog,
    pub(super) c: Constants,
    pub(super) demand: Demand,
    pub(super) hosted_ttft_ms: f64,
    /// Time a hosted endpoint takes per prompt token before the first token, ms.
    pub(super) hosted_prefill_ms_per_token: f64,
    pub(super) utilization: f64,
    pub(super) discounts: CatalogDiscounts,
    /// Where cloud resources are bought: the residency region, else the pricing region
    /// (or, where that is outside the residency's data zone, the zone region chosen instead).
    pub(super) region: String,
    /// Why `region` is not the pricing region, when it is not.
    pub(super) region_note: Option<String>,
    /// The residency names a region where no Azure OpenAI deployment can be created.
    pub(super) residency_without_azure_openai: bool,
    pub(super) market: selfhost::Market<'a>,
    pub(super) government: bool,
    /// The serving engine the self-hosted sizing models.
    pub(super) engine: &'a ServingEngine,
    /// GPUs one block of operations effort covers (0: no growth with the fleet).
    pub(super) ops_gpus_per_fte: u32,
    /// Cloud GPUs of one type in one region above which capacity gets a warning.
    pub(super) gpu_capacity_warning: u32,
    /// Token counts in `Decimal` for models without hidden reasoning and with the
    /// scenario's, converted once instead of once per option; see [`Ctx::tokens_of`].
    pub(super) tokens: [std::rc::Rc<Tokens>; 2],
    /// The last per-model allowance's token counts (see [`Ctx::tokens_of`]).
    pub(super) tokens_cache: std::cell::RefCell<Option<(f64, std::rc::Rc<Tokens>)>>,
}

/// A request's tokens and a month's, in `Decimal`, for one kind of model.
#[derive(Clone)]
pub(super) struct Tokens {
    /// Uncached input, cached input, completion and hidden reasoning tokens a month.
    pub(super) uncached: Decimal,
    pub(super) cached: Decimal,
    pub(super) completion: Decimal,
    pub(super) reasoning: Decimal,
    /// The same four in millions, as the cost lines print them.
    pub(super) millions: [String; 4],
    /// (uncached input, cached input, generated) per request.
    pub(super) per_request: (Decimal, Decimal, Decimal),
}

impl Tokens {
    /// The tokens of a request that also spends `reasoning` hidden tokens.
    fn new(d: &Demand, reasoning: f64) -> Tokens {
        let uncached = d.per_month(d.uncached_input());
        let cached = d.per_month(d.input_tokens * d.cached_share);
        let generated_per_request = d.output_tokens + reasoning;
        let generated = d.per_month(generated_per_request);
        let (completion, reasoning) = if reasoning > 0.0 {
            let out = d.per_month(d.output_tokens).min(generated);
            (out, generated - out)
        } else {
            (generated, Decimal::ZERO)
        };
        Tokens {
            uncached,
            cached,
            completion,
            reasoning,
            millions: [uncached, cached, completion, reasoning].map(millions),
            per_request: (
                dec(d.uncached_input()).unwrap_or_default(),
                dec(d.input_tokens * d.cached_share).unwrap_or_default(),
                dec(generated_per_request).unwrap_or_default(),
            ),
        }
    }
}

fn percent(v: Decimal) -> String {
    format!("{}%", (v * Decimal::from(100)).round_dp(1).normalize())
}

fn millions(tokens: Decimal) -> String {
    let m = (tokens / Decimal::from(1_000_000)).round_dp(0);
    let n = u64::try_from(m).unwrap_or(u64::MAX);
    format!("{} M", thousands(n))
}

impl Ctx<'_> {
    /// Hidden reasoning tokens a request to a managed deployment of `m` spends: none for a
    /// model that does not reason; the scenario's `reasoning_tokens` where it gives them;
    /// else the catalog's typical allowance for the model (said in the rationale).
    pub(super) fn reasoning_of(&self, m: &Model) -> f64 {
        if !m.reasoning {
            return 0.0;
        }
        if self.demand.reasoning_tokens > 0.0 {
            return self.demand.reasoning_tokens;
        }
        m.hosted_speed
            .as_ref()
            .and_then(|h| h.typical_reasoning_tokens)
            .map_or(0.0, f64::from)
    }

    /// The month's tokens for a managed deployment of `m` (see [`Ctx::reasoning_of`]).
    pub(super) fn tokens_of(&self, m: &Model) -> std::rc::Rc<Tokens> {
        let r = self.reasoning_of(m);
        if r == 0.0 {
            return self.tokens[0].clone();
        }
        if r == self.demand.reasoning_tokens {
            return self.tokens[1].clone();
        }
        // A model's options are evaluated one after another: one entry, keyed by the
        // allowance (the only thing the counts depend on besides the demand), is enough.
        let mut cache = self.tokens_cache.borrow_mut();
        match &*cache {
            Some((key, t)) if *key == r => t.clone(),
            _ => {
                let t = std::rc::Rc::new(Tokens::new(&self.demand, r));
                *cache = Some((r, t.clone()));
                t
            }
        }
    }

    /// What sizing `model` needs from this evaluation.
    pub(super) fn sizing<'b>(&'b self, model: &'b Model, arch: &'b Architecture) -> SizingInput<'b> {
        SizingInput {
            catalog: self.catalog,
            market: &self.market,
            constants: &self.c,
            scenario: self.s,
            demand: &self.demand,
            model,
            arch,
            engine: self.engine,
            seq: Sequence {
                input: self.demand.input_tokens,
                output: self.demand.output_tokens + self.reasoning_of(model),
            },
            reasoning: self.reasoning_of(model),
            prompt_computed: if self.engine.prefix_caching {
                self.demand.uncached_input()
            } else {
                self.demand.input_tokens
            },
            min_replicas: self.s.min_replicas(),
            ops_month: f64::try_from(
                dec(self.s.team.self_hosting_fte).unwrap_or_default() * self.s.team.engineer_monthly_cost,
            )
            .unwrap_or(0.0),
            ops_gpus_per_block: self.ops_gpus_per_fte,
            discount: f64::try_from(self.s.pricing.discount).unwrap_or(0.0),
            utilization: self.utilization,
        }
    }

    /// Appends the scenario's negotiated discount on the lines so far as one negative line;
    /// managed and self-hosted options both take it last, on everything above it.
    pub(super) fn negotiated(&self, lines: &mut Vec<CostLine>) {
        let d = self.s.pricing.discount;
        let total: Decimal = lines.iter().map(|l| l.usd).sum();
        if d > Decimal::ZERO && total > Decimal::ZERO {
            lines.push(CostLine {
                item: format!("negotiated discount {}", percent(d)),
                usd: -(total * d),
            });
        }
    }
}

/// The context of one evaluation at `requests_per_day`: the constants, the region, the
/// demand, the GPU market and the token counts, worked out here once so no option repeats
/// them.
pub(super) fn build_ctx<'a>(
    s: &'a Scenario,
    catalog: &'a Catalog,
    on: Date,
    requests_per_day: f64,
) -> Result<Ctx<'a>, String> {
    let c = Constants::from_catalog(catalog)?;
    let engine = super::serving_engine(catalog)?;
    let get = |id: &str| {
        catalog
            .constant(id)
            .ok_or_else(|| format!("the catalog has no constant `{id}`"))
    };
    let disc = |id: &str| -> Result<Decimal, String> { Ok(dec(get(id)?.clamp(0.0, 0.95)).unwrap_or_default()) };
    let (region, region_note) = resolve_region(s, catalog);
    let demand = Demand::with_volume(s, requests_per_day);
    Ok(Ctx {
        s,
        on,
        catalog,
        market: selfhost::Market::new(catalog, &region),
        tokens: [
            std::rc::Rc::new(Tokens::new(&demand, 0.0)),
            std::rc::Rc::new(Tokens::new(&demand, demand.reasoning_tokens)),
        ],
        tokens_cache: std::cell::RefCell::new(None),
        demand,
        hosted_ttft_ms: get("hosted_ttft_ms")?,
        hosted_prefill_ms_per_token: get("hosted_prefill_ms_per_token")?,
        utilization: get("self_hosted_target_utilization")?.clamp(0.1, 0.95),
        discounts: CatalogDiscounts {
            one_year: disc("vm_discount_one_year")?,
            three_year: disc("vm_discount_three_year")?,
        },
        residency_without_azure_openai: matches!(&s.residency, Residency::Region(r) if !catalog.hosts_azure_openai(r)),
        region,
        region_note,
        government: s.compliance.iter().any(|c| c.needs_government_cloud()),
        engine,
        ops_gpus_per_fte: get("ops_gpus_per_fte")?.clamp(0.0, 1e9) as u32,
        gpu_capacity_warning: get("regional_gpu_capacity_warning")?.clamp(0.0, 1e9) as u32,
        c,
    })
}

/// Where a plan buys its cloud resources: the residency's region; the pricing region when it
/// is inside the residency's data zone; else the zone region with the most GPU sizes priced
/// (the cheapest of those on the sizes they all price), with the reason in words.
pub fn resolve_region(s: &Scenario, catalog: &Catalog) -> (String, Option<String>) {
    let pricing = &s.pricing.region;
    let zone = match &s.residency {
        Residency::Region(r) => return (r.clone(), None),
        Residency::DataZone(z) => *z,
        _ => return (pricing.clone(), None),
    };
    if catalog.region(pricing).and_then(|r| r.zone) == Some(zone) {
        return (pricing.clone(), None);
    }
    let in_zone: Vec<&str> = catalog
        .regions
        .iter()
        .filter(|r| r.zone == Some(zone))
        .map(|r| r.id.as_str())
        .collect();
    let priced = |r: &str| catalog.vms.iter().filter(|v| v.usd_per_hour.contains_key(r)).count();
    let most = in_zone.iter().map(|r| priced(r)).max().unwrap_or(0);
    let widest: Vec<&str> = in_zone.iter().copied().filter(|r| priced(r) == most).collect();
    // Per-GPU prices of the sizes every one of the widest regions prices.
    let common = |r: &str| -> f64 {
        catalog
            .vms
            .iter()
            .filter(|v| widest.iter().all(|w| v.usd_per_hour.contains_key(*w)))
            .filter_map(|v| {
                let p: f64 = v.usd_per_hour.get(r)?.to_string().parse().ok()?;
                Some(p / f64::from(v.gpus.max(1)))
            })
            .sum()
    };
    let Some(best) = widest
        .iter()
        .copied()
        .min_by(|a, b| common(a).total_cmp(&common(b)).then(a.cmp(b)))
        .or_else(|| in_zone.first().copied())
    else {
        return (pricing.clone(), None);
    };
    let why = if most > 0 {
        format!(
            "pricing.region {pricing} is outside DataZone({zone:?}): cloud resources are priced in {best}, the zone region with the most GPU sizes priced ({most}){}; set pricing.region to one of {} to choose",
            if widest.len() > 1 {
                " and the cheapest of those"
            } else {
                ""
            },
            in_zone.join(", ")
        )
    } else {
        format!(
            "pricing.region {pricing} is outside DataZone({zone:?}): planned in {best}; set pricing.region to one of {} to choose",
            in_zone.join(", ")
        )
    };
    (best.to_string(), Some(why))
}
