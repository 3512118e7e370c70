//! Open models on GPUs a platform runs for the customer: Foundry managed compute (Azure ML
//! managed online endpoints, billed as the VMs) and Azure Databricks GPU serving (billed in
//! DBUs). Both are sized with the same configurations and queueing as a self-hosted fleet
//! ([`super::selfhost::size`]) on the sizes the platform offers. The platform runs the
//! machines, so `team.self_hosting_fte` is not charged; what the team still does is said,
//! and charged as `team.platform_fte` (no published figure: 0 unless the team gives one).

use rust_decimal::Decimal;

use super::context::Ctx;
use super::curve::CostCurve;
use super::demand::dec;
use super::plan::{CostLine, Latency, OptionResult};
use super::selfhost::{self, Site};
use crate::catalog::Model;
use crate::scenario::{Commitment, Compliance, LatencyMode};
use crate::text::usd;
use crate::vocab::{OptionId, Place, Platform, Violation, ViolationKind as K};

/// Instances Microsoft recommends at least for a production managed online deployment.
const MANAGED_COMPUTE_HA_INSTANCES: u32 = 3;

/// The detail of the platform violation, the same for every Databricks option.
pub(super) const NO_DATABRICKS: &str = "the team does not run Azure Databricks (team.databricks: no): a workspace, Unity Catalog and the skills come first; set team.databricks to compare it";

/// Why Databricks is out in Azure Government.
pub(super) const DATABRICKS_NOT_IN_GOV: &str = "Azure Databricks Model Serving, serverless compute and Foundation Model APIs are not supported in Azure Government (usgovarizona, usgovvirginia; Azure Databricks feature-region support)";

/// What the team still does on managed compute.
pub(super) const MANAGED_COMPUTE_OPS: &str = "operations: Microsoft runs the VMs, the OS and the serving container, so team.self_hosting_fte is not charged; the team still chooses the VM size and instance count, sets the autoscale rules, updates and redeploys the model, monitors the endpoint and requests quota";

/// What the team still does on Databricks serving.
pub(super) const DATABRICKS_OPS: &str = "operations: Databricks runs the serverless GPU endpoint, so team.self_hosting_fte is not charged; the team still packages the model (MLflow or custom vLLM serving, Public Preview), chooses the workload type and scale range, redeploys on model updates and monitors the endpoint";

/// How the remaining work is charged, after [`MANAGED_COMPUTE_OPS`] or [`DATABRICKS_OPS`].
pub(super) fn platform_ops_charge(fte: f64) -> String {
    if fte > 0.0 {
        format!(
            "that work is charged as team.platform_fte ({} FTE)",
            crate::text::fmt_num(fte)
        )
    } else {
        "no operations FTE is charged for that work (team.platform_fte 0; no published figure exists, so set it to the share of an engineer it takes)".to_string()
    }
}

/// Days in a month of 730 hours, as launches are counted.
const DAYS_PER_MONTH: &str = "30.4";

impl Ctx<'_> {
    /// The platform condition of every Databricks option.
    pub(super) fn databricks_platform(&self, v: &mut Vec<Violation>) {
        if !self.s.team.databricks {
            v.push(Violation::of(K::Platform, "team.databricks", NO_DATABRICKS));
        }
    }

    /// Hard constraints on a dedicated option: those of cloud VMs in the region, the
    /// platform's own absence from Azure Government, and (Databricks) the team's platform.
    fn dedicated_violations(&self, m: &Model, platform: Platform) -> Vec<Violation> {
        let mut v = self.self_hosted_violations(m, Place::Cloud);
        if platform == Platform::DatabricksServing {
            for x in v.iter_mut().filter(|x| x.kind == K::Compliance) {
                x.detail = DATABRICKS_NOT_IN_GOV.to_string();
            }
            self.databricks_platform(&mut v);
        }
        v
    }

    /// A dedicated option of an open-weight model, from its sized configurations.
    pub(super) fn dedicated(&self, m: &Model, platform: Platform, configs: &selfhost::Configs) -> OptionResult {
        let s = self.s;
        let option = OptionId::Dedicated(platform);
        let mut violations = self.dedicated_violations(m, platform);
        let mut warnings = Vec::new();
        let region = self.region.clone();
        let (site, (discount, note)) = match platform {
            Platform::FoundryManagedCompute => (
                Site::ManagedCompute { region },
                selfhost::vm_commitment_discount(&self.discounts, s.pricing.commitment),
            ),
            Platform::DatabricksServing => (
                Site::Databricks { region },
                (
                    Decimal::ZERO,
                    (s.pricing.commitment != Commitment::PayAsYouGo).then(|| {
                        "Databricks serving priced at list DBU rates: pre-purchase (DBCU) discounts are not in the catalog".to_string()
                    }),
                ),
            ),
        };
        warnings.extend(note);
        let basis = format!(
            "llmcap performance model (BENCHMARKS.md) on {}'s GPU sizes, in the busiest hour at the replicas' actual load",
            platform.label()
        );
        let Some(arch) = self.sizable(m, &mut violations) else {
            return self.dedicated_empty(option, m, violations, warnings, basis);
        };
        let mut input = self.sizing(m, arch);
        // The platform runs the machines: the team's remaining work is `team.platform_fte`,
        // flat (it does not grow with the fleet the way running GPUs does).
        let ops = dec(s.team.platform_fte).unwrap_or_default() * s.team.engineer_monthly_cost;
        input.ops_month = f64::try_from(ops).unwrap_or(0.0);
        input.ops_gpus_per_block = 0;
        let explicit = s.self_hosting.min_replicas.is_some();
        let interactive = s.latency.mode == LatencyMode::Interactive;
        let ha = platform == Platform::FoundryManagedCompute && interactive && !explicit;
        let scale_to_zero = platform == Platform::DatabricksServing && !interactive && !explicit;
        if ha {
            input.min_replicas = input.min_replicas.max(MANAGED_COMPUTE_HA_INSTANCES);
        }
        if scale_to_zero {
            input.min_replicas = 0;
        }
        // A catalog deployment on managed compute serves the weights as published; a
        // quantised variant would be the team's own model and container, which is the work
        // managed compute is chosen to avoid. Databricks' custom serving runs what vLLM runs.
        let published;
        let configs = if platform == Platform::FoundryManagedCompute {
            published = configs.as_published(arch.native_format);
            if published.list.is_empty() && !configs.list.is_empty() {
                violations.push(Violation::new(
                    K::Fit,
                    format!(
                        "Foundry managed compute serves {} as published ({}): no such configuration on its VM sizes meets the targets; a quantised variant would be a custom model and container of the team's own (self-hosting sizes it)",
                        m.id,
                        arch.native_format.map_or("16-bit", |f| f.id())
                    ),
                ));
                return self.dedicated_empty(option, m, violations, warnings, basis);
            }
            &published
        } else {
            configs
        };
        let sized = match selfhost::size(&input, configs, &site, discount) {
            Ok(sized) => sized,
            Err(reason) => {
                violations.push(reason);
                return self.dedicated_empty(option, m, violations, warnings, basis);
            }
        };
        let sh = &sized.detail;
        let mut lines: Vec<CostLine> = sized
            .lines
            .iter()
            .map(|(i, u)| CostLine {
                item: i.clone(),
                usd: *u,
            })
            .collect();
        let mut estimate = self.rests_on_estimate(option, None, &m.id, Some(sh));
        match platform {
            Platform::FoundryManagedCompute => {
                if ha {
                    warnings.push(format!(
                        "at least {MANAGED_COMPUTE_HA_INSTANCES} instances: Microsoft recommends 3 or more for a production deployment (high availability); set self_hosting.min_replicas to choose"
                    ));
                }
                warnings.extend(self.managed_compute_quota(sh));
                warnings.push(format!(
                    "{MANAGED_COMPUTE_OPS}; {}",
                    platform_ops_charge(s.team.platform_fte)
                ));
            }
            Platform::DatabricksServing => {
                if let Some(size) = self.catalog.databricks_serving().find(|d| d.id == sh.vm) {
                    estimate |= size.estimate;
                    let rate = self.catalog.databricks_dbu(&sh.region);
                    if let Some(r) = rate {
                        estimate |= r.estimate;
                        lines.iter_mut().for_each(|l| {
                            // Serverless GPU endpoints, billed in DBUs: not VMs.
                            l.item =
                                l.item
                                    .replacen("GPU VMs", "GPU serving", 1)
                                    .replacen("VM-hours", "endpoint-hours", 1);
                            l.item = l.item.replacen(
                                &format!("x {}", size.id),
                                &format!(
                                    "x Databricks {} ({} x {}, {} DBU/h x {}/DBU{})",
                                    size.id,
                                    size.gpus,
                                    size.gpu,
                                    size.dbu_per_hour.normalize(),
                                    usd(r.usd_per_dbu),
                                    if r.estimate { ", estimate" } else { "" }
                                ),
                                1,
                            );
                        });
                    }
                    if !size.notes.is_empty() {
                        warnings.push(format!("Databricks {}: {}", size.id, size.notes));
                    }
                }
                let launches_a_day = launches(&sh.replicas_by_hour);
                if launches_a_day > 0 {
                    let per_launch = self.catalog.constant_entry("databricks_launch_usd").map(|c| {
                        estimate |= c.estimate;
                        dec(c.value).unwrap_or_default()
                    });
                    match per_launch {
                        Some(p) => {
                            let days: Decimal = DAYS_PER_MONTH.parse().unwrap_or(Decimal::ZERO);
                            lines.push(CostLine {
                                item: format!(
                                    "scale-to-zero launches: {launches_a_day} a day (idle hours to serving) x {DAYS_PER_MONTH} days x {}/launch (estimate; at most 2 charged an hour)",
                                    usd(p)
                                ),
                                usd: Decimal::from(launches_a_day) * days * p,
                            });
                        }
                        None => violations.push(Violation::new(
                            K::Price,
                            "the catalog has no Databricks launch charge (constant databricks_launch_usd) for an endpoint that scales to zero",
                        )),
                    }
                }
                if scale_to_zero {
                    warnings.push(
                        "scale-to-zero: an asynchronous workload lets the endpoint stop in idle hours; the first request after one waits for a cold start".to_string(),
                    );
                } else if interactive && self.demand.hourly_rps.iter().any(|r| *r <= 0.0) {
                    warnings.push(
                        "scale-to-zero not assumed: an interactive workload keeps its minimum replicas in idle hours (a cold start would break the first-token target)".to_string(),
                    );
                }
                warnings.push(format!(
                    "Databricks model serving regions are not in the catalog's sources: check that {} offers GPU serving",
                    sh.region
                ));
                if s.compliance.contains(&Compliance::Hipaa) {
                    warnings.push("compliance: Databricks names HIPAA among the certifications of provisioned-throughput endpoints (Azure Databricks Foundation Model APIs overview, learn.microsoft.com); the sources say nothing of GPU serving endpoints: confirm the workspace's compliance security profile covers Model Serving before PHI reaches it".to_string());
                }
                if s.compliance.contains(&Compliance::FedRampModerate) {
                    warnings.push("compliance: commercial Azure Databricks is in the FedRAMP High and IL2 audit scope (azure-docs azure-services-in-fedramp-auditscope.md, 2023-07-26); check that scope covers Model Serving".to_string());
                }
                warnings.push(format!(
                    "{DATABRICKS_OPS}; {}",
                    platform_ops_charge(s.team.platform_fte)
                ));
            }
        }
        self.negotiated(&mut lines);
        if ops > Decimal::ZERO {
            lines.push(CostLine {
                item: format!(
                    "operations: {} FTE x {}/month (team.platform_fte: what the platform leaves to the team)",
                    crate::text::fmt_num(s.team.platform_fte),
                    crate::text::usd_whole(s.team.engineer_monthly_cost)
                ),
                usd: ops,
            });
        }
        if m.estimate {
            warnings.push(format!("{}: some architecture figures are estimates", m.id));
        }
        if sh.replicas_peak <= 1 && interactive && !ha {
            warnings.push(
                "one replica: a failed or upgrading replica takes the service down; keep self_hosting.min_replicas at 2 or more for an SLA"
                    .to_string(),
            );
        }
        let latency = Latency {
            ttft_ms: Some(sh.ttft_ms),
            output_tokens_per_s: Some(if sh.tpot_ms > 0.0 {
                (1000.0 / sh.tpot_ms * 10.0).round() / 10.0
            } else {
                0.0
            }),
            basis,
            speed_from: "llmcap performance model".to_string(),
            ttft_from: "llmcap performance model".to_string(),
        };
        let cost: Decimal = lines.iter().map(|l| l.usd).sum();
        OptionResult {
            option,
            model: m.id.clone(),
            family: platform.family(),
            feasible: violations.is_empty(),
            estimate,
            monthly_cost_usd: Some(cost),
            violations,
            warnings,
            cost_breakdown: lines,
            latency,
            region: None,
            ptu: None,
            ptu_detail: None,
            self_hosted: Some(Box::new(sized.detail)),
            fine_tuning: None,
            curve: Some(CostCurve::SelfHosted {
                gpus: sized.curves,
                ops_month: ops,
                ops_gpus_per_block: 0,
                discount: s.pricing.discount,
                ops_and_discount_f64: (
                    f64::try_from(ops).unwrap_or(f64::MAX),
                    f64::try_from(s.pricing.discount).unwrap_or(0.0),
                ),
            }),
        }
    }

    /// The GPU quota to request for a managed online deployment: Azure ML reserves 20% of
    /// the quota for upgrades on most sizes (`ceil(1.2 x instances)`), not on the exempt ones.
    fn managed_compute_quota(&self, sh: &selfhost::SelfHosted) -> Option<String> {
        let vm = self.catalog.vm(&sh.vm)?;
        let mc = vm.managed_compute.as_ref()?;
        let instances = u64::from(sh.vms_peak);
        let (counted, how) = if mc.skips_quota_reservation {
            (
                instances,
                format!(
                    "{instances} instances x {} vCPUs ({} skips the 20% reservation)",
                    vm.vcpus, vm.id
                ),
            )
        } else {
            let reserved = (instances * 6).div_ceil(5);
            (
                reserved,
                format!(
                    "ceil(1.2 x {instances}) = {reserved} instances x {} vCPUs: Azure Machine Learning reserves 20% of the quota for upgrades on {}",
                    vm.vcpus, vm.id
                ),
            )
        };
        Some(format!(
            "GPU quota (Azure Machine Learning): request {} vCPUs for {} in {} before deploying, {how} (new subscriptions are reported to start at 0 vCPUs for GPU VM families; quota is per region and VM family)",
            crate::text::thousands(counted * u64::from(vm.vcpus)),
            vm.id,
            sh.region
        ))
    }

    fn dedicated_empty(
        &self,
        option: OptionId,
        m: &Model,
        violations: Vec<Violation>,
        warnings: Vec<String>,
        basis: String,
    ) -> OptionResult {
        let mut o = self.empty(option, m, violations, warnings, basis);
        if let Some(p) = option.platform() {
            o.family = p.family();
        }
        o
    }
}

/// Times a day the fleet starts from zero: hours with replicas after an hour with none (the
/// day wraps round).
fn launches(by_hour: &[u32]) -> u32 {
    let n = by_hour.len();
    (0..n)
        .filter(|&h| by_hour[h] > 0 && by_hour[(h + n - 1) % n] == 0)
        .count() as u32
}

#[cfg(test)]
mod tests {
    use super::launches;

    #[test]
    fn launches_count_starts_from_zero_round_the_day() {
        assert_eq!(launches(&[1; 24]), 0);
        assert_eq!(launches(&[0; 24]), 0);
        let mut h = [0u32; 24];
        h[2] = 1;
        h[3] = 2;
        h[10] = 1;
        assert_eq!(launches(&h), 2);
        let mut w = [1u32; 24];
        w[23] = 0;
        assert_eq!(launches(&w), 1);
    }
}
