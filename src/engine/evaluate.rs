//! `evaluate(&Scenario, &Catalog) -> Plan`: every option x candidate model priced and
//! checked, ranked, one recommendation with its reasons, and the volumes where the answer
//! flips.

use rust_decimal::Decimal;

use super::Constants;
use super::curve::{CostCurve, PtuCurve};
use super::demand::{Demand, HOURS_PER_MONTH, dec};
use super::plan::{
    BreakEven, CatalogRef, CostLine, DemandSummary, Family, Latency, OptionResult, Plan, PtuDetail, Recommendation,
    ScenarioRef, Spillover, money_text,
};
use super::selfhost::{self, CatalogDiscounts, Site};
use crate::catalog::{Catalog, Deployment, Model, PtuKind, TokenPrice, Weights};
use crate::scenario::{Commitment, Compliance, Customization, LatencyMode, PrecisionChoice, Residency, Scenario};
use crate::text::{thousands, usd, usd_whole};
use crate::vocab::{OptionId, Place, Scope, Violation, ViolationKind as K};

/// Everything the option evaluations share.
struct Ctx<'a> {
    s: &'a Scenario,
    catalog: &'a Catalog,
    c: Constants,
    demand: Demand,
    hosted_ttft_ms: f64,
    utilization: f64,
    discounts: CatalogDiscounts,
    /// Where cloud resources are bought: the residency region, else the pricing region.
    region: String,
    market: selfhost::Market<'a>,
    government: bool,
    /// Token counts in `Decimal` for models without and with hidden reasoning, converted
    /// once instead of once per option.
    tokens: [Tokens; 2],
}

/// A request's tokens and a month's, in `Decimal`, for one kind of model.
struct Tokens {
    /// Uncached input, cached input, completion and hidden reasoning tokens a month.
    uncached: Decimal,
    cached: Decimal,
    completion: Decimal,
    reasoning: Decimal,
    /// The same four in millions, as the cost lines print them.
    millions: [String; 4],
    /// (uncached input, cached input, generated) per request.
    per_request: (Decimal, Decimal, Decimal),
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

/// The models a scenario considers: its `models`, or every non-benchmark model at its tier
/// or above.
pub fn candidates<'a>(s: &Scenario, catalog: &'a Catalog) -> Vec<&'a Model> {
    if s.models.is_empty() {
        catalog
            .models
            .iter()
            .filter(|m| !m.benchmark_only && m.tier.meets(s.quality))
            .collect()
    } else {
        s.models.iter().filter_map(|id| catalog.model(id)).collect()
    }
}

impl Ctx<'_> {
    /// Hard constraints on a managed deployment of a model.
    fn managed_violations(&self, m: &Model, d: Deployment) -> Vec<Violation> {
        let s = self.s;
        let mut v = Vec::new();
        let global = d.scope() == Some(Scope::Global);
        match &s.residency {
            Residency::Global => {}
            Residency::DataZone(z) => {
                let setting = format!("DataZone({z:?})");
                if global {
                    v.push(Violation::of(
                        K::Residency,
                        &setting,
                        "a Global deployment may process data outside the zone",
                    ));
                }
                if d == Deployment::FoundryServerless {
                    v.push(Violation::of(
                        K::Residency,
                        &setting,
                        format!(
                            "the catalog lists no data-zone guarantee for {}'s serverless endpoint",
                            m.id
                        ),
                    ));
                }
                if !global && d != Deployment::FoundryServerless {
                    match self.catalog.region(&self.region).and_then(|r| r.zone) {
                        Some(rz) if rz == *z => {}
                        _ if self.government => {}
                        _ => v.push(Violation::of(
                            K::Residency,
                            setting,
                            format!("pricing.region {} is not in that data zone", self.region),
                        )),
                    }
                }
            }
            Residency::Region(r) => {
                let setting = format!("Region({r:?})");
                if let Some(scope @ (Scope::Global | Scope::DataZone)) = d.scope() {
                    v.push(Violation::of(
                        K::Residency,
                        &setting,
                        format!("a {} deployment may process data outside the region", scope.label()),
                    ));
                }
                if d == Deployment::FoundryServerless {
                    v.push(Violation::of(
                        K::Residency,
                        setting,
                        format!("the catalog lists no region for {}'s serverless endpoint", m.id),
                    ));
                }
            }
            Residency::OnPremises => v.push(Violation::of(
                K::Residency,
                "OnPremises",
                "only self-hosting on premises keeps data on site",
            )),
            Residency::AirGapped => v.push(Violation::of(
                K::Residency,
                "AirGapped",
                "no managed service is reachable from an air-gapped site",
            )),
        }
        if self.government {
            let regimes = gov_regimes(s);
            let why = if d == Deployment::FoundryServerless {
                Some("Foundry serverless is not offered in Azure Government".to_string())
            } else if !m.azure_government {
                Some(format!("{} is not offered in Azure Government", m.id))
            } else if global {
                Some("Azure Government has no Global deployments".to_string())
            } else if d.family() == Family::Batch {
                Some("Azure Government does not support Batch deployments".to_string())
            } else {
                None
            };
            if let Some(why) = why {
                v.push(Violation::of(K::Compliance, regimes, why));
            }
        }
        match s.customization {
            Customization::PromptOnly => {}
            Customization::FullWeights => v.push(Violation::of(
                K::Customization,
                "FullWeights",
                "a managed deployment gives no access to the weights",
            )),
            Customization::HostedFineTune => {
                if m.fine_tuning.is_none() {
                    v.push(Violation::of(
                        K::Customization,
                        "HostedFineTune",
                        format!("the catalog has no hosted fine-tuning for {}", m.id),
                    ));
                }
            }
        }
        if s.latency.mode == LatencyMode::Interactive && d.family() == Family::Batch {
            v.push(Violation::new(
                K::Latency,
                "Interactive use rules out Batch (results within 24 hours)",
            ));
        }
        self.context_violation(m, &mut v);
        v
    }

    fn context_violation(&self, m: &Model, v: &mut Vec<Violation>) {
        let need = self.demand.input_tokens + self.demand.generated(m.reasoning);
        if need > m.context_tokens as f64 {
            v.push(Violation::new(
                K::Context,
                format!(
                    "a request needs {} tokens; {} holds {}",
                    thousands(need.ceil() as u64),
                    m.id,
                    thousands(m.context_tokens)
                ),
            ));
        }
    }

    /// Token cost lines for a price (cached tokens at the cached price where there is one,
    /// else at the input price; never billed twice).
    fn token_lines(&self, m: &Model, p: &TokenPrice, discount_label: &str) -> Vec<CostLine> {
        let t = &self.tokens[usize::from(m.reasoning)];
        let [uncached, cached, completion, reasoning] = &t.millions;
        let per_m = Decimal::from(1_000_000);
        let mut lines = Vec::with_capacity(4);
        lines.push(CostLine {
            item: format!("input tokens: {uncached} x {}/M{discount_label}", usd(p.input)),
            usd: t.uncached * p.input / per_m,
        });
        if t.cached > Decimal::ZERO {
            let price = p.cached_input.unwrap_or(p.input);
            lines.push(CostLine {
                item: format!(
                    "cached input tokens: {cached} x {}/M{}",
                    usd(price),
                    if p.cached_input.is_none() {
                        " (no cached price: billed as input)"
                    } else {
                        ""
                    }
                ),
                usd: t.cached * price / per_m,
            });
        }
        let output_price = usd(p.output);
        lines.push(CostLine {
            item: format!("output tokens: {completion} x {output_price}/M"),
            usd: t.completion * p.output / per_m,
        });
        if t.reasoning > Decimal::ZERO {
            lines.push(CostLine {
                item: format!("reasoning tokens (billed as output): {reasoning} x {output_price}/M"),
                usd: t.reasoning * p.output / per_m,
            });
        }
        lines
    }

    fn hosted_latency(&self, m: &Model, provisioned: bool) -> Latency {
        let ttft = self.hosted_ttft_ms + self.c.network_rtt_ms;
        match self.catalog.ptu_model(&m.id) {
            Some(p) => Latency {
                ttft_ms: Some(ttft),
                output_tokens_per_s: Some(p.latency_target_tokens_per_s),
                basis: if provisioned {
                    "Microsoft's PTU latency target (99% of requests faster); TTFT: typical hosted TTFT plus network round trip (estimate)".to_string()
                } else {
                    "estimate: Microsoft's PTU latency target taken as the Standard speed; TTFT: typical hosted TTFT plus network round trip".to_string()
                },
            },
            None => Latency {
                ttft_ms: Some(ttft),
                output_tokens_per_s: None,
                basis: "estimate: typical hosted TTFT plus network round trip; the catalog has no speed figure for this model".to_string(),
            },
        }
    }

    fn latency_violations(&self, lat: &Latency, v: &mut Vec<Violation>, w: &mut Vec<String>, m: &Model) {
        if self.s.latency.mode != LatencyMode::Interactive {
            return;
        }
        if let Some(t) = lat.ttft_ms
            && t > self.s.latency.ttft_ms
        {
            v.push(Violation::new(
                K::Latency,
                format!(
                    "first token after about {t:.0} ms (hosted TTFT + network round trip), beyond the {:.0} ms target",
                    self.s.latency.ttft_ms
                ),
            ));
        }
        match lat.output_tokens_per_s {
            Some(speed) if speed < self.s.latency.output_tokens_per_s => v.push(Violation::new(
                K::Latency,
                format!(
                    "{speed:.0} tokens/s per request (Microsoft's target for {}), below the {:.0} required",
                    m.id, self.s.latency.output_tokens_per_s
                ),
            )),
            None if self.s.latency.output_tokens_per_s > 0.0 => w.push(format!(
                "streaming speed not checked: the catalog has no speed figure for {}",
                m.id
            )),
            _ => {}
        }
    }

    /// Pay-as-you-go cost of one request at a price (cached tokens at the cached price where
    /// there is one, else at the input price).
    fn per_request(&self, m: &Model, p: &TokenPrice) -> Decimal {
        let (uncached, cached, generated) = self.tokens[usize::from(m.reasoning)].per_request;
        let cached_price = p.cached_input.unwrap_or(p.input);
        (uncached * p.input + cached * cached_price + generated * p.output) / Decimal::from(1_000_000)
    }

    fn negotiated(&self, lines: &mut Vec<CostLine>) {
        let d = self.s.pricing.discount;
        let total: Decimal = lines.iter().map(|l| l.usd).sum();
        if d > Decimal::ZERO && total > Decimal::ZERO {
            lines.push(CostLine {
                item: format!("negotiated discount {}", percent(d)),
                usd: -(total * d),
            });
        }
    }

    /// A managed option of a model: Standard, Batch, Foundry serverless or Provisioned.
    fn managed(&self, m: &Model, d: Deployment) -> OptionResult {
        let family = d.family();
        let mut violations = self.managed_violations(m, d);
        let mut warnings = Vec::new();
        let latency = self.hosted_latency(m, family == Family::Provisioned);
        self.latency_violations(&latency, &mut violations, &mut warnings, m);
        let mut ptu = None;
        let mut ptu_detail = None;
        let mut curve = None;
        let discount = self.s.pricing.discount;
        // Azure Government has no price of its own in the catalog: priced as Regional.
        let priced_as = if self.government && family == Family::PayAsYouGo {
            Deployment::RegionalStandard
        } else {
            d
        };
        let mut lines = match family {
            Family::Provisioned => match self.provisioned(m, d) {
                Ok((l, n, detail, c)) => {
                    ptu = Some(n);
                    ptu_detail = Some(Box::new(detail));
                    curve = Some(CostCurve::Ptu { ptu: c, discount });
                    Some(l)
                }
                Err(reason) => {
                    violations.push(reason);
                    None
                }
            },
            _ => match self.catalog.price(&m.id, priced_as) {
                Some(p) => {
                    let fixed = match (&m.fine_tuning, self.s.customization) {
                        (Some(ft), Customization::HostedFineTune) => {
                            ft.hosting_usd_per_hour * Decimal::from(HOURS_PER_MONTH)
                        }
                        _ => Decimal::ZERO,
                    };
                    curve = Some(CostCurve::Tokens {
                        per_request: self.per_request(m, p),
                        fixed_month: fixed,
                        discount,
                    });
                    Some(self.token_lines(m, p, ""))
                }
                None => {
                    violations.push(Violation::new(
                        K::Price,
                        format!("the catalog has no price for {} on {}", m.id, d.option_id()),
                    ));
                    None
                }
            },
        };
        if self.government && priced_as != d && lines.is_some() {
            warnings.push(
                "Azure Government: priced at the catalog's Regional Standard price (no Government price)".to_string(),
            );
        }
        if let Some(l) = lines.as_mut() {
            if self.s.customization == Customization::HostedFineTune
                && family != Family::Provisioned
                && let Some(ft) = &m.fine_tuning
            {
                l.push(CostLine {
                    item: format!(
                        "fine-tuned deployment hosting: {}/h x 730 h (estimate)",
                        usd(ft.hosting_usd_per_hour)
                    ),
                    usd: ft.hosting_usd_per_hour * Decimal::from(HOURS_PER_MONTH),
                });
            }
            self.negotiated(l);
        }
        if let Some(p) = self.catalog.price(&m.id, priced_as)
            && p.estimate
            && family != Family::Provisioned
        {
            warnings.push(format!("{} price is an estimate ({})", d.option_id(), p.source));
        }
        let cost = lines.as_ref().map(|l| l.iter().map(|x| x.usd).sum::<Decimal>());
        let option = OptionId::Managed(d);
        OptionResult {
            option,
            model: m.id.clone(),
            family,
            feasible: violations.is_empty() && cost.is_some(),
            estimate: cost.is_some() && self.rests_on_estimate(option, &m.id, None),
            monthly_cost_usd: cost,
            violations,
            warnings,
            cost_breakdown: lines.unwrap_or_default(),
            latency,
            ptu,
            ptu_detail,
            self_hosted: None,
            curve,
        }
    }

    /// Microsoft's PTU sizing, price by commitment, utilisation, break-even utilisation, and
    /// (Global and Data Zone) the cheapest spillover baseline.
    fn provisioned(&self, m: &Model, d: Deployment) -> Result<(Vec<CostLine>, u32, PtuDetail, PtuCurve), Violation> {
        let table = self
            .catalog
            .ptu_model(&m.id)
            .ok_or_else(|| Violation::new(K::Price, format!("the catalog has no PTU sizing figures for {}", m.id)))?;
        let kind = ptu_kind(d);
        let (min, inc) = match kind {
            PtuKind::Regional => match (table.regional_min, table.regional_increment) {
                (Some(a), Some(b)) => (a, b),
                _ => {
                    return Err(Violation::new(
                        K::Price,
                        format!("{} has no Regional provisioned deployment", m.id),
                    ));
                }
            },
            _ => (table.global_min, table.global_increment),
        };
        let price = self
            .catalog
            .ptu_price(kind)
            .ok_or_else(|| Violation::new(K::Price, format!("the catalog has no PTU price for {kind:?}")))?;
        let dm = &self.demand;
        let per_request = dm.uncached_input() + table.output_weight * dm.generated(m.reasoning);
        let hours = Decimal::from(HOURS_PER_MONTH);
        let (unit_month, unit_label) = match self.s.pricing.commitment {
            Commitment::PayAsYouGo => (
                price.usd_per_hour * hours,
                format!("{}/h x 730 h", usd(price.usd_per_hour)),
            ),
            Commitment::OneMonth => (
                price.one_month_usd,
                format!("{}/month (1-month reservation)", usd(price.one_month_usd)),
            ),
            Commitment::OneYear | Commitment::ThreeYear => (
                price.one_year_usd / Decimal::from(12),
                format!("{}/year / 12 (1-year reservation)", usd(price.one_year_usd)),
            ),
        };
        // The pay-as-you-go twin: what spillover pays and what break-even compares with.
        let twin = self.catalog.price(&m.id, d.standard_twin());
        let payg_per_request = twin.map(|p| self.per_request(m, p));
        let curve = PtuCurve::new(
            per_request,
            table.input_tpm_per_ptu,
            (min, inc),
            unit_month,
            if matches!(kind, PtuKind::Global | PtuKind::DataZone) {
                payg_per_request
            } else {
                None
            },
        );
        let sized = curve.size(dm);
        let break_even = payg_per_request.and_then(|c| {
            // One PTU fully used for a month serves this many requests of this mix.
            let requests = table.input_tpm_per_ptu * 60.0 * f64::from(HOURS_PER_MONTH) / per_request.max(1e-9);
            let value = dec(requests)? * c;
            (value > Decimal::ZERO).then(|| (unit_month / value).round_dp(3).try_into().unwrap_or(f64::NAN))
        });
        let mut lines = Vec::new();
        let mut spill = None;
        if sized.chosen < sized.for_peak {
            let to = OptionId::Managed(d.standard_twin());
            lines.push(CostLine {
                item: format!("{} PTU baseline x {unit_label}", sized.chosen),
                usd: sized.ptu_cost,
            });
            lines.push(CostLine {
                item: format!(
                    "spillover to {to}: {:.1}% of tokens at pay-as-you-go prices",
                    sized.overflow_share * 100.0
                ),
                usd: sized.overflow_cost,
            });
            spill = Some(Spillover {
                baseline_ptu: sized.chosen,
                overflow_share: (sized.overflow_share * 1e4).round() / 1e4,
                overflow_to: to,
            });
        } else {
            lines.push(CostLine {
                item: format!("{} PTU x {unit_label}", sized.chosen),
                usd: sized.ptu_cost,
            });
        }
        let mean_tpm = dm.mean_rps * 60.0 * per_request;
        let capacity_tpm = f64::from(sized.chosen) * table.input_tpm_per_ptu;
        let utilization = if capacity_tpm > 0.0 {
            (mean_tpm / capacity_tpm).min(1.0)
        } else {
            0.0
        };
        Ok((
            lines,
            sized.chosen,
            PtuDetail {
                peak_tpm: sized.peak_tpm.round(),
                input_tpm_per_ptu: table.input_tpm_per_ptu,
                output_weight: table.output_weight,
                ptu_for_peak: sized.for_peak,
                minimum: min,
                increment: inc,
                utilization: (utilization * 1e3).round() / 1e3,
                break_even_utilization: break_even,
                spillover: spill,
            },
            curve,
        ))
    }

    /// A self-hosted option of an open-weight model, from its sized configurations.
    fn self_hosted(&self, m: &Model, place: Place, configs: &(Vec<selfhost::Config>, Option<String>)) -> OptionResult {
        let s = self.s;
        let option = OptionId::SelfHosted(place);
        let mut violations = Vec::new();
        let mut warnings = Vec::new();
        let on_prem = place == Place::OnPremises;
        match (&s.residency, on_prem) {
            (Residency::OnPremises | Residency::AirGapped, false) => violations.push(Violation::of(
                K::Residency,
                format!("{:?}", s.residency),
                "cloud VMs are not on premises",
            )),
            (Residency::DataZone(z), false) => match self.catalog.region(&self.region).and_then(|r| r.zone) {
                Some(rz) if rz == *z => {}
                _ => violations.push(Violation::of(
                    K::Residency,
                    format!("DataZone({z:?})"),
                    format!("pricing.region {} is not in that data zone", self.region),
                )),
            },
            _ => {}
        }
        if self.government && !on_prem {
            violations.push(Violation::of(
                K::Compliance,
                gov_regimes(s),
                "the catalog has no GPU VM prices for Azure Government regions",
            ));
        }
        self.context_violation(m, &mut violations);
        let site = if on_prem {
            Site::OnPremises
        } else {
            Site::Cloud {
                region: self.region.clone(),
            }
        };
        let (discount, note) = if on_prem {
            (Decimal::ZERO, None)
        } else {
            selfhost::vm_commitment_discount(&self.discounts, s.pricing.commitment)
        };
        if let Some(n) = note {
            warnings.push(n);
        }
        let latency_basis = "llmcap performance model (BENCHMARKS.md), at the design load".to_string();
        let Some(arch) = m.architecture.as_ref() else {
            violations.push(Violation::new(
                K::Fit,
                format!("the catalog has no architecture for {}", m.id),
            ));
            return self.empty(option, m, Family::SelfHosted, violations, warnings, latency_basis);
        };
        if violations
            .iter()
            .any(|v| matches!(v.kind, K::Residency | K::Compliance))
        {
            return self.empty(option, m, Family::SelfHosted, violations, warnings, latency_basis);
        }
        match selfhost::size(
            self.catalog,
            &self.market,
            s,
            &self.demand,
            m,
            arch,
            &configs.0,
            configs.1.as_deref(),
            &site,
            self.utilization,
            discount,
        ) {
            Ok(sized) => {
                let mut lines: Vec<CostLine> = sized
                    .lines
                    .iter()
                    .map(|(i, u)| CostLine {
                        item: i.clone(),
                        usd: *u,
                    })
                    .collect();
                warnings.extend(sized.notes.iter().cloned());
                self.negotiated(&mut lines);
                let ops = dec(s.team.self_hosting_fte).unwrap_or_default() * s.team.engineer_monthly_cost;
                if ops > Decimal::ZERO {
                    lines.push(CostLine {
                        item: format!(
                            "operations: {} FTE x {}/month",
                            s.team.self_hosting_fte,
                            usd_whole(s.team.engineer_monthly_cost)
                        ),
                        usd: ops,
                    });
                }
                if m.estimate {
                    warnings.push(format!("{}: some architecture figures are estimates", m.id));
                }
                let latency = Latency {
                    ttft_ms: Some(sized.detail.ttft_ms),
                    output_tokens_per_s: Some(if sized.detail.tpot_ms > 0.0 {
                        (1000.0 / sized.detail.tpot_ms * 10.0).round() / 10.0
                    } else {
                        0.0
                    }),
                    basis: latency_basis,
                };
                let cost: Decimal = lines.iter().map(|l| l.usd).sum();
                OptionResult {
                    option,
                    model: m.id.clone(),
                    family: Family::SelfHosted,
                    feasible: violations.is_empty(),
                    estimate: self.rests_on_estimate(option, &m.id, Some(&sized.detail)),
                    monthly_cost_usd: Some(cost),
                    violations,
                    warnings,
                    cost_breakdown: lines,
                    latency,
                    ptu: None,
                    ptu_detail: None,
                    self_hosted: Some(Box::new(sized.detail)),
                    curve: Some(CostCurve::SelfHosted {
                        gpus: sized.curves,
                        ops_month: ops,
                        discount: s.pricing.discount,
                        ops_and_discount_f64: (
                            f64::try_from(ops).unwrap_or(f64::MAX),
                            f64::try_from(s.pricing.discount).unwrap_or(0.0),
                        ),
                    }),
                }
            }
            Err(reason) => {
                violations.push(reason);
                self.empty(option, m, Family::SelfHosted, violations, warnings, latency_basis)
            }
        }
    }

    fn empty(
        &self,
        option: OptionId,
        m: &Model,
        family: Family,
        violations: Vec<Violation>,
        warnings: Vec<String>,
        basis: String,
    ) -> OptionResult {
        OptionResult {
            option,
            model: m.id.clone(),
            family,
            feasible: false,
            estimate: false,
            monthly_cost_usd: None,
            violations,
            warnings,
            cost_breakdown: Vec::new(),
            latency: Latency {
                ttft_ms: None,
                output_tokens_per_s: None,
                basis,
            },
            ptu: None,
            ptu_detail: None,
            self_hosted: None,
            curve: None,
        }
    }

    /// True when a catalog figure behind an option's cost is marked as an estimate: the
    /// option's token price, its PTU sizing or price, or the VM and GPU of its fleet.
    fn rests_on_estimate(&self, option: OptionId, model: &str, fleet: Option<&selfhost::SelfHosted>) -> bool {
        let catalog = self.catalog;
        let deployment = option.deployment();
        let price = deployment.is_some_and(|d| catalog.price(model, d).is_some_and(|p| p.estimate));
        let ptu = deployment.is_some_and(|d| d.family() == Family::Provisioned)
            && (catalog
                .ptu_model(model)
                .is_some_and(|m| m.estimate || m.output_weight_estimate)
                || catalog
                    .ptu_prices
                    .iter()
                    .any(|p| p.estimate && Some(p.kind) == deployment.map(ptu_kind)));
        let fleet = fleet.is_some_and(|sh| {
            catalog.vm(&sh.vm).is_some_and(|v| v.estimate) || catalog.gpu(&sh.gpu).is_some_and(|g| g.estimate)
        });
        price || ptu || fleet
    }

    /// Options a model has: one per managed deployment, and the two self-hosted places for
    /// an open-weight model.
    fn option_count(m: &Model) -> usize {
        m.deployments.len() + if m.weights == Weights::Open { 2 } else { 0 }
    }

    /// Appends every option of a model to `out`.
    fn options_for(&self, m: &Model, out: &mut Vec<OptionResult>) {
        out.extend(m.deployments.iter().map(|d| self.managed(m, *d)));
        if m.weights == Weights::Open {
            // The physics of each configuration is shared by the cloud and on-premises options.
            let configs = match m.architecture.as_ref() {
                Some(arch) => selfhost::configs(
                    self.catalog,
                    &self.market,
                    &self.c,
                    self.s,
                    &self.demand,
                    m,
                    arch,
                    self.utilization,
                ),
                None => (Vec::new(), None),
            };
            out.push(self.self_hosted(m, Place::Cloud, &configs));
            out.push(self.self_hosted(m, Place::OnPremises, &configs));
        }
    }
}

/// The PTU price row a provisioned deployment is billed at.
fn ptu_kind(d: Deployment) -> PtuKind {
    match d.scope() {
        Some(Scope::Global) => PtuKind::Global,
        Some(Scope::DataZone) => PtuKind::DataZone,
        _ => PtuKind::Regional,
    }
}

fn gov_regimes(s: &Scenario) -> String {
    let v: Vec<String> = s
        .compliance
        .iter()
        .filter(|c| c.needs_government_cloud())
        .map(|c| format!("{c:?}"))
        .collect();
    v.join("/")
}

fn build_ctx<'a>(s: &'a Scenario, catalog: &'a Catalog, requests_per_day: f64) -> Result<Ctx<'a>, String> {
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

/// Feasible first, then cheapest, then by option and model id. The sort orders positions,
/// then each option is moved into place: sorting the options themselves moves them many
/// times (about 100 k more instructions on content-moderation, callgrind).
fn rank(options: Vec<OptionResult>) -> Vec<OptionResult> {
    let mut order: Vec<usize> = (0..options.len()).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (&options[i], &options[j]);
        b.feasible
            .cmp(&a.feasible)
            .then_with(|| match (a.monthly_cost_usd, b.monthly_cost_usd) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then_with(|| a.option.id().cmp(b.option.id()))
            .then_with(|| a.model.cmp(&b.model))
    });
    let mut slots: Vec<Option<OptionResult>> = options.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// All options x candidate models at a volume, ranked (no recommendation, no break-even).
fn options_at<'a>(
    s: &'a Scenario,
    catalog: &'a Catalog,
    requests_per_day: f64,
) -> Result<(Ctx<'a>, Vec<OptionResult>), String> {
    let ctx = build_ctx(s, catalog, requests_per_day)?;
    let models = candidates(s, catalog);
    // Sized up front: an option is large, and growing the list would copy them all again.
    let mut options = Vec::with_capacity(models.iter().map(|m| Ctx::option_count(m)).sum());
    for m in models {
        ctx.options_for(m, &mut options);
    }
    Ok((ctx, rank(options)))
}

pub fn evaluate(s: &Scenario, catalog: &Catalog) -> Result<Plan, String> {
    let (ctx, options) = options_at(s, catalog, s.workload.requests_per_day)?;
    let d = &ctx.demand;
    // A model without hidden reasoning generates only the completion.
    let t = &ctx.tokens[0];
    let (uncached, cached, generated) = (t.uncached, t.cached, t.completion);
    let f = |x: Decimal| -> f64 { x.round_dp(0).try_into().unwrap_or(0.0) };
    let mut plan = Plan {
        scenario: ScenarioRef { name: s.name.clone() },
        catalog: CatalogRef {
            as_of: catalog.meta.as_of.clone(),
        },
        recommendation: None,
        options,
        break_even: Vec::new(),
        demand: DemandSummary {
            requests_per_day: d.requests_per_day,
            requests_per_month: f(d.requests_per_month()),
            mean_requests_per_s: (d.mean_rps * 1e4).round() / 1e4,
            peak_requests_per_s: (d.peak_rps * 1e4).round() / 1e4,
            input_tokens_per_month: f(uncached + cached),
            output_tokens_per_month: f(generated),
        },
        infeasible_summary: Vec::new(),
    };
    plan.break_even = break_even(s, &plan);
    plan.recommendation = recommend(&ctx, &plan);
    if plan.recommendation.is_none() {
        plan.infeasible_summary = infeasible_summary(&plan);
    }
    Ok(plan)
}

/// Where the best pay-as-you-go, provisioned and self-hosted candidates cross, by bisection
/// over a log scale of requests per day from 1e2 to 1e9.
fn break_even(s: &Scenario, plan: &Plan) -> Vec<BreakEven> {
    // Pay per token (Azure OpenAI Standard or Foundry serverless, whichever is cheaper),
    // provisioned capacity and owned GPUs: the three ways of paying that cross with volume.
    let per_token: &[Family] = &[Family::PayAsYouGo, Family::Serverless];
    let picks: Vec<&OptionResult> = [per_token, &[Family::Provisioned], &[Family::SelfHosted]]
        .into_iter()
        .filter_map(|f| plan.best_among(f))
        .collect();
    let tokens_per_request = s.workload.input_tokens + s.workload.output_tokens;
    let mut out = Vec::new();
    for i in 0..picks.len() {
        for j in i + 1..picks.len() {
            let (a, b) = (picks[i], picks[j]);
            let (Some(ca), Some(cb)) = (&a.curve, &b.curve) else {
                continue;
            };
            let diff = |v: f64| -> Option<f64> {
                let d = Demand::with_volume(s, v);
                let x = ca.monthly_f64(&d) - cb.monthly_f64(&d);
                x.is_finite().then_some(x)
            };
            // Scan 4 points a decade, then bisect the first sign change in log space.
            let mut prev: Option<(f64, f64)> = None;
            for k in 0..=28 {
                let v = 10f64.powf(2.0 + f64::from(k) / 4.0);
                let Some(dv) = diff(v) else {
                    prev = None;
                    continue;
                };
                if let Some((pv, pd)) = prev
                    && (pd < 0.0) != (dv < 0.0)
                {
                    let (mut lo, mut hi, mut dlo) = (pv.ln(), v.ln(), pd);
                    // 20 halvings of a quarter decade: a relative precision of 5e-7, below one
                    // request a day at a million a day.
                    for _ in 0..20 {
                        let mid = (lo + hi) / 2.0;
                        match diff(mid.exp()) {
                            Some(dm) if (dm < 0.0) == (dlo < 0.0) => {
                                lo = mid;
                                dlo = dm;
                            }
                            Some(_) => hi = mid,
                            None => break,
                        }
                    }
                    let at = ((lo + hi) / 2.0).exp().round();
                    out.push(BreakEven {
                        from: a.key(),
                        to: b.key(),
                        requests_per_day: at,
                        tokens_per_day: (at * tokens_per_request).round(),
                    });
                    break;
                }
                prev = Some((v, dv));
            }
        }
    }
    out
}

fn infeasible_summary(plan: &Plan) -> Vec<String> {
    let mut reasons: Vec<(K, usize)> = Vec::new();
    for o in &plan.options {
        for v in &o.violations {
            match reasons.iter_mut().find(|(k, _)| *k == v.kind) {
                Some(r) => r.1 += 1,
                None => reasons.push((v.kind, 1)),
            }
        }
    }
    reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.label().cmp(b.0.label())));
    let mut out = vec![format!(
        "No option is feasible: {} options x models evaluated.",
        plan.options.len()
    )];
    for (k, n) in reasons {
        let example = plan
            .options
            .iter()
            .flat_map(|o| o.violations.iter())
            .find(|v| v.kind == k)
            .map(ToString::to_string)
            .unwrap_or_default();
        out.push(format!("{k}: rules out {n} (e.g. {example})"));
    }
    out
}

fn recommend(ctx: &Ctx, plan: &Plan) -> Option<Recommendation> {
    let s = ctx.s;
    let winner = plan
        .options
        .iter()
        .find(|o| o.feasible && o.monthly_cost_usd.is_some())?;
    let cost = winner.monthly_cost_usd?;
    let mut rationale = Vec::new();
    let mut warnings = Vec::new();

    // 1. The constraint path, as in the seeds' decision trees.
    rationale.push(constraint_path(s));
    let ruled_out: usize = plan.options.iter().filter(|o| !o.feasible).count();
    if ruled_out > 0 {
        let mut kinds: Vec<&str> = plan
            .options
            .iter()
            .filter(|o| !o.feasible)
            .filter_map(|o| o.violations.first())
            .map(|v| v.kind.label())
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        rationale.push(format!(
            "{ruled_out} of {} options x models ruled out ({}); {} feasible.",
            plan.options.len(),
            kinds.join(", "),
            plan.options.len() - ruled_out
        ));
    }

    // 2. The winner's cost drivers.
    let mut drivers: Vec<&CostLine> = winner.cost_breakdown.iter().filter(|l| l.usd > Decimal::ZERO).collect();
    drivers.sort_by_key(|l| std::cmp::Reverse(l.usd));
    let drivers: Vec<String> = drivers
        .iter()
        .take(3)
        .map(|l| format!("{} = {}", l.item, usd_whole(l.usd)))
        .collect();
    rationale.push(format!(
        "{} {} at {}/month: {}.",
        winner.option,
        winner.model,
        usd_whole(cost),
        drivers.join("; ")
    ));
    if let Some(sh) = &winner.self_hosted {
        let fleet = if sh.place == Place::OnPremises {
            format!("{} owned {} GPU(s)", sh.gpus_peak, sh.gpu)
        } else {
            format!("{} x {} ({} GPUs)", sh.vms_peak, sh.vm, sh.gpus_peak)
        };
        rationale.push(format!(
            "Sizing: {} replica(s) at the peak on {fleet}, {}, tp {}, each serving {} requests at once; average utilisation {:.0}%.",
            sh.replicas_peak,
            sh.precision,
            sh.tp,
            sh.batch_per_replica,
            sh.average_utilization * 100.0
        ));
    }

    // 3. Why the runner-up lost, and by how much.
    if let Some(runner) = plan
        .options
        .iter()
        .filter(|o| o.feasible && o.monthly_cost_usd.is_some())
        .find(|o| o.key() != winner.key() && (o.family != winner.family || o.model != winner.model))
        && let Some(rc) = runner.monthly_cost_usd
    {
        let more = rc - cost;
        let pct = if cost > Decimal::ZERO {
            more / cost * Decimal::from(100)
        } else {
            Decimal::ZERO
        };
        rationale.push(format!(
            "Runner-up: {} {} at {}/month, {} more ({}%).",
            runner.option,
            runner.model,
            usd_whole(rc),
            usd_whole(more),
            pct.round_dp(0)
        ));
    }

    // 4. PTU break-even against the seeds' "~60%" rule of thumb.
    let provisioned = |feasible: bool| {
        plan.options
            .iter()
            .filter(|o| o.family == Family::Provisioned && o.ptu_detail.is_some() && o.monthly_cost_usd.is_some())
            .filter(|o| o.feasible || !feasible)
            .min_by(|a, b| a.monthly_cost_usd.cmp(&b.monthly_cost_usd))
    };
    if let Some(p) = provisioned(true).or_else(|| provisioned(false))
        && let Some(detail) = &p.ptu_detail
        && let Some(be) = detail.break_even_utilization
    {
        let twin = format!(
            "{} Standard",
            p.option
                .deployment()
                .and_then(|d| d.standard_twin().scope())
                .unwrap_or(Scope::Regional)
                .label()
        );
        let verdict = if be > 1.0 {
            format!(
                "never pays off against {twin} at these prices (it would need {:.0}% utilisation)",
                be * 100.0
            )
        } else {
            format!(
                "pays off against {twin} only above {:.0}% utilisation at these prices",
                be * 100.0
            )
        };
        rationale.push(format!(
            "PTU ({} {}{}): {verdict}, not at the ~60% of the rule of thumb; this workload would use {:.0}% of {} PTU.",
            p.option.short(),
            p.model,
            if p.feasible { "" } else { ", ruled out here" },
            detail.utilization * 100.0,
            p.ptu.unwrap_or(0)
        ));
    }

    // 5. Anti-pattern warnings (the seeds) and self-hosting caveats.
    let bursty = s.traffic.peak_to_average >= 2.0 || {
        let w = super::demand::hourly_weights(&s.traffic.pattern);
        let max = w.iter().copied().fold(0.0, f64::max);
        max * 24.0 >= 2.0
    };
    if winner.family == Family::Provisioned {
        if bursty {
            warnings.push("PTU for bursty traffic: capacity is paid for every hour; pay-as-you-go or spillover suits peaks better".to_string());
        }
        warnings.push("Reserving PTU without a load test: measure real token throughput before committing".to_string());
    }
    if winner.family == Family::SelfHosted {
        if s.team.platform_engineers < 3 {
            warnings.push(format!(
                "Self-hosting with {} platform engineer(s): running GPU inference in production usually takes 3 or more",
                s.team.platform_engineers
            ));
        }
        if s.latency.mode == LatencyMode::Interactive {
            warnings.push("No built-in content safety for open models in user-facing use: add Azure AI Content Safety or guardrails".to_string());
        }
        if let Some(sh) = &winner.self_hosted
            && sh.average_utilization < 0.3
        {
            warnings.push(format!(
                "Over-provisioned GPUs for intermittent traffic: average utilisation {:.0}%; autoscale (KEDA) or a managed option may suit better",
                sh.average_utilization * 100.0
            ));
        }
        let ops = dec(s.team.self_hosting_fte).unwrap_or_default() * s.team.engineer_monthly_cost;
        if let Some(next) = plan
            .options
            .iter()
            .filter(|o| o.feasible && o.family != Family::SelfHosted)
            .filter_map(|o| o.monthly_cost_usd)
            .min()
            && next - cost < ops / Decimal::TWO
        {
            warnings.push(format!(
                "Self-hosting wins by {} a month, less than half the {} operations estimate: the answer turns on that estimate",
                usd_whole(next - cost),
                usd_whole(ops)
            ));
        }
    }
    if let Some(m) = ctx.catalog.model(&winner.model)
        && m.reasoning
        && s.workload.reasoning_tokens == 0.0
    {
        warnings.push(format!(
            "{} is a reasoning model: it bills hidden reasoning tokens as output, and the scenario sets reasoning_tokens to 0; the real cost is higher",
            m.id
        ));
    }
    if s.compliance.contains(&Compliance::Gdpr) && s.residency == Residency::Global {
        warnings.push(
            "GDPR with Global residency: Global deployments may process data outside the EU; consider DataZone(Eu)"
                .to_string(),
        );
    }
    if s.self_hosting.precision == PrecisionChoice::Int4 || s.self_hosting.precision == PrecisionChoice::Int8 {
        warnings.push(
            "Weight-only quantisation (int8/int4) trades some quality for memory: evaluate it on your data".to_string(),
        );
    }
    warnings.extend(winner.warnings.iter().cloned());
    warnings.dedup();
    Some(Recommendation {
        option: winner.option,
        model: winner.model.clone(),
        monthly_cost_usd: cost,
        rationale,
        warnings,
    })
}

fn constraint_path(s: &Scenario) -> String {
    let mut parts = Vec::new();
    parts.push(match &s.residency {
        Residency::Global => "Residency Global: any Azure region".to_string(),
        Residency::DataZone(z) => format!("Residency DataZone({z:?}): Global deployments out"),
        Residency::Region(r) => format!("Residency Region({r:?}): only Regional and self-hosted in {r}"),
        Residency::OnPremises => "Residency OnPremises: self-hosting on premises only".to_string(),
        Residency::AirGapped => "Residency AirGapped: self-hosting on premises only, nothing managed".to_string(),
    });
    let gov: Vec<String> = s
        .compliance
        .iter()
        .filter(|c| c.needs_government_cloud())
        .map(|c| format!("{c:?}"))
        .collect();
    if !gov.is_empty() {
        parts.push(format!("{}: Azure Government models or self-hosting", gov.join("/")));
    } else if !s.compliance.is_empty() {
        let c: Vec<String> = s.compliance.iter().map(|c| format!("{c:?}")).collect();
        parts.push(format!("{}: met by Azure's commercial cloud", c.join("/")));
    }
    parts.push(match s.customization {
        Customization::PromptOnly => "prompt-only: any model".to_string(),
        Customization::HostedFineTune => "hosted fine-tuning: fine-tunable hosted models or open weights".to_string(),
        Customization::FullWeights => "full weights: open-weight models only".to_string(),
    });
    parts.push(match s.latency.mode {
        LatencyMode::Interactive => format!(
            "interactive (first token within {:.0} ms, {:.0} tokens/s): Batch out",
            s.latency.ttft_ms, s.latency.output_tokens_per_s
        ),
        LatencyMode::Async => "asynchronous: Batch allowed".to_string(),
    });
    parts.push(format!("quality {} or better", s.quality));
    format!("{}.", parts.join("; "))
}

/// A one-line summary of an option's cost, for tables.
pub fn cost_label(o: &OptionResult) -> String {
    match o.monthly_cost_usd {
        Some(c) => money_text(c),
        None => "no price".to_string(),
    }
}
