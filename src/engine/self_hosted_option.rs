//! The self-hosted option of an open-weight model in a place (Azure GPU VMs or on
//! premises): its constraints, the fleet [`super::selfhost::size`] picks from the
//! configurations, and the cost lines with operations and negotiated discount on top.

use rust_decimal::Decimal;

use super::context::Ctx;
use super::curve::{CostCurve, ops_blocks};
use super::demand::dec;
use super::plan::{CostLine, Family, Latency, OptionResult};
use super::selfhost::{self, Site};
use crate::catalog::{Architecture, Model};
use crate::scenario::LatencyMode;
use crate::text::usd_whole;
use crate::vocab::{OptionId, Place, Violation, ViolationKind as K};

/// Days after which an owned server's purchase price is old enough to say so (three years:
/// a GPU generation).
const STALE_SERVER_PRICE_DAYS: i64 = 3 * 365;

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
        let latency_basis =
            "llmcap performance model (BENCHMARKS.md), in the busiest hour at the replicas' actual load".to_string();
        let Some(arch) = self.sizable(m, &mut violations) else {
            return self.empty(option, m, violations, warnings, latency_basis);
        };
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
                warnings.extend(self.fleet_warnings(&sized.detail));
                self.negotiated(&mut lines);
                let ops = dec(s.team.self_hosting_fte).unwrap_or_default() * s.team.engineer_monthly_cost;
                let blocks = ops_blocks(sized.detail.gpus_bought, self.ops_gpus_per_fte);
                if ops > Decimal::ZERO {
                    let fte = s.team.self_hosting_fte * f64::from(blocks);
                    lines.push(CostLine {
                        item: if blocks > 1 {
                            format!(
                                "operations: {} FTE x {}/month ({} FTE for every {} GPUs bought; {} GPUs)",
                                crate::text::fmt_num(fte),
                                usd_whole(s.team.engineer_monthly_cost),
                                s.team.self_hosting_fte,
                                self.ops_gpus_per_fte,
                                crate::text::thousands(u64::from(sized.detail.gpus_bought))
                            )
                        } else {
                            format!(
                                "operations: {} FTE x {}/month",
                                s.team.self_hosting_fte,
                                usd_whole(s.team.engineer_monthly_cost)
                            )
                        },
                        usd: ops * Decimal::from(blocks),
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
                        ops_gpus_per_block: self.ops_gpus_per_fte,
                        discount: s.pricing.discount,
                        ops_and_discount_f64: (
                            f64::try_from(ops).unwrap_or(f64::MAX),
                            f64::try_from(s.pricing.discount).unwrap_or(0.0),
                        ),
                    }),
                    fine_tuning: None,
                }
            }
            Err(reason) => {
                violations.push(reason);
                self.empty(option, m, violations, warnings, latency_basis)
            }
        }
    }

    /// The model's architecture when a GPU fleet of it can be sized at all, for self-hosting
    /// and for platform-run GPUs alike; else `None`, with the reason in `violations` (no
    /// architecture in the catalog; data rules that already rule the place out; a reasoning
    /// model with no figure for its hidden tokens, which are not guessed at 0: without them
    /// neither a fleet nor its first token can be sized).
    pub(super) fn sizable<'m>(&self, m: &'m Model, violations: &mut Vec<Violation>) -> Option<&'m Architecture> {
        let Some(arch) = m.architecture.as_ref() else {
            violations.push(Violation::new(
                K::Fit,
                format!("the catalog has no architecture for {}", m.id),
            ));
            return None;
        };
        if violations
            .iter()
            .any(|v| matches!(v.kind, K::Residency | K::Compliance))
        {
            return None;
        }
        if m.reasoning && self.reasoning_of(m) == 0.0 {
            violations.push(Violation::of(
                K::Latency,
                "workload.reasoning_tokens 0",
                format!(
                    "{} reasons before it answers and no source gives its reasoning tokens per request, so its fleet and first token cannot be sized; set workload.reasoning_tokens",
                    m.id
                ),
            ));
            return None;
        }
        Some(arch)
    }

    /// What an operator would say about the fleet: a reasoning model sized without its hidden
    /// tokens, a single replica, GPU quota that must be requested, a fleet beyond what one
    /// region plausibly has spare.
    fn fleet_warnings(&self, sh: &selfhost::SelfHosted) -> Vec<String> {
        let s = self.s;
        let mut w = Vec::new();
        if sh.replicas_peak <= 1 && s.latency.mode == LatencyMode::Interactive {
            w.push(
                "one replica: a failed or upgrading replica takes the service down; keep self_hosting.min_replicas at 2 or more for an SLA"
                    .to_string(),
            );
        }
        // An owned server priced from an old figure: the price is a list price of its day,
        // and the part may no longer be sold new.
        if sh.place == Place::OnPremises
            && let Some(server) = self.catalog.server(&sh.vm)
            && let Some(priced) = crate::date::Date::parse_lenient(&server.as_of)
            && self.on.days_since(priced) > STALE_SERVER_PRICE_DAYS
        {
            w.push(format!(
                "{} is priced from a figure of {} ({} years before the plan date): get a current quote, and check the part is still sold new",
                server.name,
                server.as_of,
                self.on.days_since(priced) / 365
            ));
        }
        // What the catalog says of the owned server bought (a developer kit not sold for
        // production, a price of the kit rather than the module): the buyer must see it.
        if sh.place == Place::OnPremises
            && let Some(server) = self.catalog.server(&sh.vm)
            && !server.notes.is_empty()
        {
            w.push(format!(
                "{}: {}",
                server.name,
                crate::text::terminal_line(&server.notes)
            ));
        }
        if sh.place == Place::Cloud {
            if let Some(vm) = self.catalog.vm(&sh.vm) {
                let vcpus = u64::from(sh.vms_peak) * u64::from(vm.vcpus);
                w.push(format!(
                    "GPU quota: request {} vCPUs for {} x {} in {} before deploying (new subscriptions are reported to start at 0 vCPUs for GPU VM families; quota is per region and VM family)",
                    crate::text::thousands(vcpus),
                    sh.vms_peak,
                    sh.vm,
                    sh.region
                ));
            }
            if sh.gpus_peak > self.gpu_capacity_warning {
                w.push(format!(
                    "{} {} GPUs in {} is more than a region is likely to have spare (above {}): confirm capacity with Microsoft, or spread the fleet over regions; quota is a credit limit, not a capacity guarantee",
                    crate::text::thousands(u64::from(sh.gpus_peak)),
                    sh.gpu,
                    sh.region,
                    crate::text::thousands(u64::from(self.gpu_capacity_warning))
                ));
            }
        }
        w
    }

    pub(super) fn empty(
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
            fine_tuning: None,
        }
    }
}
