//! The self-hosted option of an open-weight model in a place (Azure GPU VMs or on
//! premises): its constraints, the fleet [`super::selfhost::size`] picks from the
//! configurations, and the cost lines with operations and negotiated discount on top.

use rust_decimal::Decimal;

use super::context::Ctx;
use super::curve::CostCurve;
use super::demand::dec;
use super::plan::{CostLine, Family, Latency, OptionResult};
use super::selfhost::{self, Site};
use crate::catalog::Model;
use crate::text::usd_whole;
use crate::vocab::{OptionId, Place, Violation, ViolationKind as K};

impl Ctx<'_> {
    /// A self-hosted option of an open-weight model, from its sized configurations.
    pub(super) fn self_hosted(&self, m: &Model, place: Place, configs: &selfhost::Configs) -> OptionResult {
        let s = self.s;
        let option = OptionId::SelfHosted(place);
        let mut violations = self.self_hosted_violations(m, place);
        let mut warnings = Vec::new();
        let on_prem = place == Place::OnPremises;
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
            return self.empty(option, m, violations, warnings, latency_basis);
        };
        if violations
            .iter()
            .any(|v| matches!(v.kind, K::Residency | K::Compliance))
        {
            return self.empty(option, m, violations, warnings, latency_basis);
        }
        match selfhost::size(&self.sizing(m, arch), configs, &site, discount) {
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
                    speed_from: "llmcap performance model".to_string(),
                    ttft_from: "llmcap performance model".to_string(),
                };
                let cost: Decimal = lines.iter().map(|l| l.usd).sum();
                OptionResult {
                    option,
                    model: m.id.clone(),
                    family: Family::SelfHosted,
                    feasible: violations.is_empty(),
                    estimate: self.rests_on_estimate(option, None, &m.id, Some(&sized.detail)),
                    monthly_cost_usd: Some(cost),
                    violations,
                    warnings,
                    cost_breakdown: lines,
                    latency,
                    region: None,
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
                self.empty(option, m, violations, warnings, latency_basis)
            }
        }
    }

    fn empty(
        &self,
        option: OptionId,
        m: &Model,
        violations: Vec<Violation>,
        warnings: Vec<String>,
        basis: String,
    ) -> OptionResult {
        OptionResult {
            option,
            model: m.id.clone(),
            family: Family::SelfHosted,
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
                speed_from: String::new(),
                ttft_from: String::new(),
            },
            region: None,
            ptu: None,
            ptu_detail: None,
            self_hosted: None,
            curve: None,
        }
    }
}
