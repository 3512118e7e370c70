//! The hard constraints an option must meet, as violations: data residency, compliance
//! regimes (Azure Government), customization, latency targets and the model's context
//! window, for managed deployments and for self-hosting in a place.

use super::context::Ctx;
use super::plan::{Family, Latency};
use crate::catalog::{Deployment, Model};
use crate::scenario::{Customization, LatencyMode, Residency, Scenario};
use crate::text::thousands;
use crate::vocab::{Place, Provider, Scope, Violation, ViolationKind as K, Zone};

impl Ctx<'_> {
    /// Hard constraints on a managed deployment of a model.
    pub(super) fn managed_violations(&self, m: &Model, d: Deployment) -> Vec<Violation> {
        if d.provider().outside_azure() {
            return self.direct_violations(m, d);
        }
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
        if self.government_cloud() {
            let regimes = gov_regimes(s);
            let why = if d == Deployment::FoundryServerless {
                Some("Foundry serverless is not offered in Azure Government".to_string())
            } else if d.provider() == Provider::Databricks {
                Some(super::dedicated::DATABRICKS_NOT_IN_GOV.to_string())
            } else if global {
                Some("Azure Government has no Global deployments".to_string())
            } else if d.family() == Family::Batch {
                Some("Azure Government does not support Batch deployments".to_string())
            } else if s.customization == Customization::HostedFineTune {
                Some(
                    "fine-tuning is not supported in Azure Government (Foundry feature availability across clouds, as of 2025-10-21: catalog-facts-2 section 11)"
                        .to_string(),
                )
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
            Customization::HostedFineTune if d.provider() == Provider::Databricks => v.push(Violation::of(
                K::Customization,
                "HostedFineTune",
                format!("the catalog has no Databricks fine-tuning price for {}", m.id),
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
        if d.provider() == Provider::Databricks {
            self.databricks_platform(&mut v);
            if d == Deployment::DatabricksPayPerToken && !self.government_cloud() {
                self.pay_per_token_region(m, &mut v);
            }
            // Databricks names HIPAA for provisioned throughput, not for pay-per-token.
            if d == Deployment::DatabricksPayPerToken && s.compliance.contains(&crate::scenario::Compliance::Hipaa) {
                v.push(Violation::of(
                    K::Compliance,
                    "Hipaa",
                    "Databricks names compliance certifications such as HIPAA for provisioned-throughput endpoints, not for pay-per-token (Azure Databricks Foundation Model APIs overview, learn.microsoft.com)",
                ));
            }
        }
        self.context_violation(m, &mut v);
        v
    }

    /// Where Databricks Foundation Model APIs serve a model pay-per-token: in the EU only
    /// Llama 3.3 70B (and GTE); the catalog has no region data outside the US and the EU.
    fn pay_per_token_region(&self, m: &Model, v: &mut Vec<Violation>) {
        match self.catalog.region(&self.region).and_then(|r| r.zone) {
            Some(Zone::Us) => {}
            Some(Zone::Eu) if m.id == "llama-3.3-70b" => {}
            Some(Zone::Eu) => v.push(Violation::of(
                K::Availability,
                format!("region {}", self.region),
                format!(
                    "in the EU only Llama 3.3 70B (and GTE Large) are served pay-per-token by Databricks Foundation Model APIs, not {} (learn.microsoft.com azure/databricks supported-models)",
                    m.id
                ),
            )),
            _ => v.push(Violation::of(
                K::Availability,
                format!("region {}", self.region),
                "the catalog has Databricks pay-per-token region data for US and EU regions only",
            )),
        }
    }

    /// A request that does not fit the model's context window: its input plus everything it
    /// generates, hidden reasoning included.
    pub(super) fn context_violation(&self, m: &Model, v: &mut Vec<Violation>) {
        let need = self.demand.input_tokens + self.demand.output_tokens + self.reasoning_of(m);
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

    /// Interactive targets against an option's expected latency. A missing speed figure is a
    /// warning rather than a violation: the catalog not knowing a speed rules nothing out.
    pub(super) fn latency_violations(&self, lat: &Latency, v: &mut Vec<Violation>, w: &mut Vec<String>, m: &Model) {
        if self.s.latency.mode != LatencyMode::Interactive {
            return;
        }
        if let Some(t) = lat.ttft_ms
            && t > self.s.latency.ttft_ms
        {
            v.push(Violation::new(
                K::Latency,
                format!(
                    "first token after about {t:.0} ms (estimate: {}), beyond the {:.0} ms target",
                    lat.ttft_from, self.s.latency.ttft_ms
                ),
            ));
        }
        match lat.output_tokens_per_s {
            Some(speed) if speed < self.s.latency.output_tokens_per_s => v.push(Violation::new(
                K::Latency,
                format!(
                    "{speed:.0} tokens/s per request ({}), below the {:.0} required",
                    lat.speed_from, self.s.latency.output_tokens_per_s
                ),
            )),
            None if self.s.latency.output_tokens_per_s > 0.0 => w.push(format!(
                "streaming speed not checked: the catalog has no speed figure for {}",
                m.id
            )),
            _ => {}
        }
    }

    /// Hard constraints on a self-hosted option of a model in a place.
    pub(super) fn self_hosted_violations(&self, m: &Model, place: Place) -> Vec<Violation> {
        let s = self.s;
        let mut violations = Vec::new();
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
        if on_prem && !s.offers_on_premises() {
            violations.push(Violation::of(
                K::Residency,
                format!("self_hosting.sites {:?}", s.self_hosting.sites),
                "excludes owned servers, which the residency requires",
            ));
        }
        if self.government_cloud() && !on_prem {
            violations.push(Violation::of(
                K::Compliance,
                gov_regimes(s),
                "the catalog has no GPU VM prices for Azure Government regions",
            ));
        }
        self.context_violation(m, &mut violations);
        violations
    }
}

/// The scenario's regimes that need Azure Government, as the setting a violation names
/// ("Azure Government" when the residency, not a regime, puts the plan there).
fn gov_regimes(s: &Scenario) -> String {
    let v: Vec<String> = s
        .compliance
        .iter()
        .filter(|c| c.needs_government_cloud())
        .map(|c| format!("{c:?}"))
        .collect();
    if v.is_empty() {
        "Azure Government".to_string()
    } else {
        v.join("/")
    }
}
