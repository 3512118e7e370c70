//! Managed options (Azure OpenAI Standard, Batch and Provisioned, Foundry serverless):
//! token-priced cost lines, Microsoft's PTU sizing with spillover and break-even
//! utilisation, hosted latency, and whether a cost rests on a catalog estimate.

use rust_decimal::Decimal;

use super::context::Ctx;
use super::curve::{CostCurve, PtuCurve};
use super::demand::{HOURS_PER_MONTH, dec};
use super::plan::{CostLine, Family, Latency, OptionResult, PtuDetail, Spillover};
use super::selfhost;
use crate::catalog::{Deployment, Model, PtuKind, TokenPrice};
use crate::scenario::{Commitment, Customization};
use crate::text::usd;
use crate::vocab::{OptionId, Scope, Violation, ViolationKind as K};

impl Ctx<'_> {
    /// Token cost lines for a price (cached tokens at the cached price where there is one,
    /// else at the input price; never billed twice).
    fn token_lines(&self, m: &Model, p: &TokenPrice) -> Vec<CostLine> {
        let t = &self.tokens[usize::from(m.reasoning)];
        let [uncached, cached, completion, reasoning] = &t.millions;
        let per_m = Decimal::from(1_000_000);
        let mut lines = Vec::with_capacity(4);
        lines.push(CostLine {
            item: format!("input tokens: {uncached} x {}/M", usd(p.input)),
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

    /// Expected latency of a managed deployment: Microsoft's PTU speed target where the
    /// catalog has one, and the typical hosted TTFT plus the network round trip.
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

    /// Pay-as-you-go cost of one request at a price (cached tokens at the cached price where
    /// there is one, else at the input price).
    fn per_request(&self, m: &Model, p: &TokenPrice) -> Decimal {
        let (uncached, cached, generated) = self.tokens[usize::from(m.reasoning)].per_request;
        let cached_price = p.cached_input.unwrap_or(p.input);
        (uncached * p.input + cached * cached_price + generated * p.output) / Decimal::from(1_000_000)
    }

    /// A managed option of a model: Standard, Batch, Foundry serverless or Provisioned.
    pub(super) fn managed(&self, m: &Model, d: Deployment) -> OptionResult {
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
                    Some(self.token_lines(m, p))
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
            estimate: cost.is_some() && self.rests_on_estimate(option, Some(priced_as), &m.id, None),
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

    /// True when a catalog figure behind an option's cost is marked as an estimate: the
    /// token price it is billed at (`priced_as`: Azure Government's pay-as-you-go is billed
    /// at the Regional Standard row), its PTU sizing or price, or the VM and GPU of its fleet.
    pub(super) fn rests_on_estimate(
        &self,
        option: OptionId,
        priced_as: Option<Deployment>,
        model: &str,
        fleet: Option<&selfhost::SelfHosted>,
    ) -> bool {
        let catalog = self.catalog;
        let deployment = option.deployment();
        let price = priced_as.is_some_and(|d| catalog.price(model, d).is_some_and(|p| p.estimate));
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
}

/// The PTU price row a provisioned deployment is billed at.
fn ptu_kind(d: Deployment) -> PtuKind {
    match d.scope() {
        Some(Scope::Global) => PtuKind::Global,
        Some(Scope::DataZone) => PtuKind::DataZone,
        _ => PtuKind::Regional,
    }
}
