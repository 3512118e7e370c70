//! The context every option evaluation of one plan shares ([`Ctx`]): the scenario, the
//! catalog and its constants, the demand at the volume asked for, the region, the GPU
//! market, and the month's token counts in `Decimal`, all worked out once per evaluation
//! rather than once per option.

use rust_decimal::Decimal;

use super::Constants;
use super::demand::{Demand, dec};
use super::plan::CostLine;
use super::selfhost::{self, CatalogDiscounts, SizingInput};
use crate::catalog::{Architecture, Catalog, Model};
use crate::scenario::{Residency, Scenario};
use crate::text::thousands;

/// Everything the option evaluations share.
pub(super) struct Ctx<'a> {
    pub(super) s: &'a Scenario,
    pub(super) catalog: &'a Catalog,
    pub(super) c: Constants,
    pub(super) demand: Demand,
    pub(super) hosted_ttft_ms: f64,
    pub(super) utilization: f64,
    pub(super) discounts: CatalogDiscounts,
    /// Where cloud resources are bought: the residency region, else the pricing region.
    pub(super) region: String,
    pub(super) market: selfhost::Market<'a>,
    pub(super) government: bool,
    /// Token counts in `Decimal` for models without and with hidden reasoning, converted
    /// once instead of once per option.
    pub(super) tokens: [Tokens; 2],
}

/// A request's tokens and a month's, in `Decimal`, for one kind of model.
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
    fn new(d: &Demand, reasoning_model: bool) -> Tokens {
        let (uncached, cached, generated) = d.tokens_per_month(reasoning_model);
        let (completion, reasoning) = if reasoning_model && d.reasoning_tokens > 0.0 {
            let share = dec(d.output_tokens / d.generated(true)).unwrap_or(Decimal::ONE);
            let out = generated * share;
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
                dec(d.generated(reasoning_model)).unwrap_or_default(),
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
pub(super) fn build_ctx<'a>(s: &'a Scenario, catalog: &'a Catalog, requests_per_day: f64) -> Result<Ctx<'a>, String> {
    let c = Constants::from_catalog(catalog)?;
    let get = |id: &str| {
        catalog
            .constant(id)
            .ok_or_else(|| format!("the catalog has no constant `{id}`"))
    };
    let disc = |id: &str| -> Result<Decimal, String> { Ok(dec(get(id)?.clamp(0.0, 0.95)).unwrap_or_default()) };
    let region = match &s.residency {
        Residency::Region(r) => r.clone(),
        _ => s.pricing.region.clone(),
    };
    let demand = Demand::with_volume(s, requests_per_day);
    Ok(Ctx {
        s,
        catalog,
        market: selfhost::Market::new(catalog, &region),
        tokens: [Tokens::new(&demand, false), Tokens::new(&demand, true)],
        demand,
        hosted_ttft_ms: get("hosted_ttft_ms")?,
        utilization: get("self_hosted_target_utilization")?.clamp(0.1, 0.95),
        discounts: CatalogDiscounts {
            one_year: disc("vm_discount_one_year")?,
            three_year: disc("vm_discount_three_year")?,
        },
        region,
        government: s.compliance.iter().any(|c| c.needs_government_cloud()),
        c,
    })
}
