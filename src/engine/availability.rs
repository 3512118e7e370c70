//! Whether a managed deployment can be created at all: on the plan date (a retired model
//! cannot; one not yet released cannot either), and where (Microsoft's model matrix by
//! deployment type and region, Azure Government and fine-tuned models included). An option
//! with no cell is infeasible with a reason that names the source, and what does exist
//! nearby.

use super::context::Ctx;
use crate::catalog::{Availability, Deployment, Model, Region};
use crate::date::Date;
use crate::scenario::{Customization, Residency};
use crate::vocab::{Scope, Violation, ViolationKind as K, Zone};

/// A model retiring within this many days of the plan date is flagged.
pub(super) const RETIREMENT_NOTICE_DAYS: i64 = 365;

/// An availability matrix older than this many days on the plan date is flagged.
pub(super) const MATRIX_STALE_DAYS: i64 = 183;

/// Regions listed in a suggestion before "and N more".
const LISTED: usize = 4;

/// Where a managed deployment is created, and anything its user must hear about it.
#[derive(Debug, Default)]
pub(super) struct Placement {
    /// The region the deployment is created in; `None` for Foundry serverless, whose
    /// endpoints the catalog places nowhere in particular.
    pub(super) region: Option<String>,
    pub(super) warnings: Vec<String>,
}

impl Ctx<'_> {
    /// The model's lifecycle on the plan date, for its managed deployments (open weights
    /// stay self-hostable whatever the provider's schedule): retired or not yet released is a
    /// violation; retiring within a year a warning.
    pub(super) fn lifecycle(&self, m: &Model, v: &mut Vec<Violation>, w: &mut Vec<String>) {
        let Some(l) = &m.lifecycle else { return };
        let setting = format!("plan date {}", self.on);
        if let Some(from) = l.available_from.as_deref().and_then(Date::parse_lenient)
            && self.on < from
        {
            v.push(Violation::of(
                K::Availability,
                &setting,
                format!(
                    "{} is not released until {from} (Microsoft's retirement schedule as of {})",
                    m.id, l.as_of
                ),
            ));
        }
        let Some((date, fine)) = l.retirement(self.s.customization == Customization::HostedFineTune) else {
            return;
        };
        let Some(retires) = Date::parse_lenient(date) else {
            return;
        };
        let what = if fine {
            format!("a fine-tuned {}", m.id)
        } else {
            m.id.clone()
        };
        let successor = match &l.replacement {
            Some(r) => format!("; Microsoft names {r} as its replacement"),
            None => "; Microsoft names no replacement".to_string(),
        };
        let days = retires.days_since(self.on);
        if days <= 0 {
            v.push(Violation::of(
                K::Retired,
                setting,
                format!(
                    "{what} retired on {retires}{successor} (retirement schedule as of {})",
                    l.as_of
                ),
            ));
        } else if days <= RETIREMENT_NOTICE_DAYS {
            w.push(format!(
                "{what} retires on {retires}, {days} days after the plan date{successor}"
            ));
        }
    }

    /// Whether the plan's data rules allow a deployment in this region: Azure Government
    /// regions for a Government plan and only then, the residency region or zone.
    fn allows(&self, r: &Region) -> bool {
        if r.government != self.government_cloud() {
            return false;
        }
        match &self.s.residency {
            Residency::Global => true,
            Residency::DataZone(z) => r.zone == Some(*z),
            Residency::Region(id) => r.id == *id,
            Residency::OnPremises | Residency::AirGapped => false,
        }
    }

    /// True when the plan runs in Azure Government: a compliance regime needs it, or the
    /// residency names a Government region or the USGov data zone.
    pub(super) fn government_cloud(&self) -> bool {
        self.government
            || match &self.s.residency {
                Residency::DataZone(z) => *z == Zone::UsGov,
                Residency::Region(r) => self.catalog.region(r).is_some_and(|r| r.government),
                _ => false,
            }
    }

    /// Where the deployment can be created: the pricing region when it has the cell, else
    /// the first region the matrix and the plan's data rules both allow (said in a warning
    /// where the region matters: Regional and Data Zone types). A violation when none does.
    pub(super) fn placement(&self, m: &Model, d: Deployment) -> Result<Placement, Violation> {
        // Foundry serverless endpoints and the providers' own APIs have no Azure region.
        if d == Deployment::FoundryServerless || d.provider().outside_azure() {
            return Ok(Placement::default());
        }
        // A Databricks endpoint lives in the workspace's region.
        if d.provider() == crate::vocab::Provider::Databricks {
            return Ok(Placement {
                region: Some(self.region.clone()),
                warnings: Vec::new(),
            });
        }
        let fine_tuned = self.s.customization == Customization::HostedFineTune;
        let Some(row) = self.catalog.availability(&m.id, d, fine_tuned) else {
            return Err(self.no_such_type(m, d, fine_tuned));
        };
        let offered = |r: &Region| row.regions.contains(&r.id);
        let chosen = self
            .catalog
            .region(&self.region)
            .filter(|r| self.allows(r) && offered(r))
            .or_else(|| self.catalog.regions.iter().find(|r| self.allows(r) && offered(r)));
        let Some(region) = chosen else {
            return Err(self.not_here(m, d, row));
        };
        let mut warnings = Vec::new();
        if region.id != self.region && d.scope() != Some(Scope::Global) {
            let why = match self.catalog.region(&self.region) {
                Some(r) if offered(r) && r.government => {
                    format!(
                        "pricing.region {} is an Azure Government region and this plan is commercial",
                        r.id
                    )
                }
                Some(r) if offered(r) && self.government_cloud() => {
                    format!(
                        "pricing.region {} is a commercial region and this plan runs in Azure Government",
                        r.id
                    )
                }
                Some(r) if offered(r) => format!("pricing.region {} is outside the residency", r.id),
                _ => format!(
                    "{} {} is not offered in {} (Microsoft's model matrix, as of {})",
                    d.label(),
                    m.id,
                    self.region,
                    row.as_of
                ),
            };
            warnings.push(format!("{why}: {} {} is created in {}", d.label(), m.id, region.id));
        }
        if let Some(c) = &row.caveat {
            warnings.push(c.clone());
        }
        if let Some(matrix) = Date::parse_lenient(&row.as_of) {
            let age = self.on.days_since(matrix);
            if age > MATRIX_STALE_DAYS {
                warnings.push(format!(
                    "where {} {} can be created is as Microsoft listed it on {}, {} months before the plan date: check the current model matrix",
                    d.label(),
                    m.id,
                    row.as_of,
                    age / 30
                ));
            }
        }
        Ok(Placement {
            region: Some(region.id.clone()),
            warnings,
        })
    }

    /// The model has no row for the deployment type at all.
    fn no_such_type(&self, m: &Model, d: Deployment, fine_tuned: bool) -> Violation {
        let what = if fine_tuned {
            format!("a fine-tuned {}", m.id)
        } else {
            m.id.clone()
        };
        let others: Vec<&str> = Deployment::ALL
            .iter()
            .filter(|&&o| o != d && self.catalog.availability(&m.id, o, fine_tuned).is_some())
            .map(|o| o.label())
            .collect();
        let tail = if others.is_empty() {
            String::new()
        } else {
            format!("; it is offered as {}", others.join(", "))
        };
        Violation::of(
            K::Availability,
            d.label(),
            format!(
                "Microsoft offers no {} deployment of {what} in any region{tail}",
                d.label()
            ),
        )
    }

    /// The model has the deployment type, but not where the plan may put it.
    fn not_here(&self, m: &Model, d: Deployment, row: &Availability) -> Violation {
        let fine = if row.fine_tuned { "a fine-tuned " } else { "" };
        let (setting, place) = match &self.s.residency {
            Residency::Region(r) => (format!("Region({r:?})"), r.clone()),
            Residency::DataZone(z) => (format!("DataZone({z:?})"), format!("the {} data zone", zone_name(*z))),
            _ if self.government_cloud() => ("Azure Government".to_string(), "Azure Government".to_string()),
            _ => (d.label().to_string(), "any commercial region".to_string()),
        };
        if let Residency::Region(r) = &self.s.residency
            && self.residency_without_azure_openai
        {
            // Nothing nearby to suggest by type: no type exists there.
            return Violation::of(
                K::Availability,
                setting,
                format!(
                    "no Azure OpenAI deployment of any model can be created in {r} (it is in none of Microsoft's model matrices)"
                ),
            );
        }
        let mut detail = match &self.s.residency {
            Residency::Region(r)
                if self
                    .catalog
                    .region(r)
                    .is_some_and(|x| x.government != self.government_cloud()) =>
            {
                return Violation::of(
                    K::Compliance,
                    setting,
                    format!(
                        "the compliance regimes need Azure Government, and {r} is a commercial region: no Azure Government deployment can be created there (Government regions: {})",
                        self.catalog
                            .regions
                            .iter()
                            .filter(|x| x.government)
                            .map(|x| x.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
            Residency::Region(r) if !self.catalog.hosts_azure_openai(r) => format!(
                "no Azure OpenAI deployment of any model can be created in {r} (it is in none of Microsoft's model matrices)"
            ),
            _ => format!(
                "Microsoft offers no {} deployment of {fine}{} in {place} (model matrix as of {})",
                d.label(),
                m.id,
                row.as_of
            ),
        };
        // What does exist: the same type elsewhere (nearest first: the residency's zone),
        // and other types of the model here.
        let zone = match &self.s.residency {
            Residency::Region(r) => self.catalog.region(r).and_then(|r| r.zone),
            Residency::DataZone(z) => Some(*z),
            _ => None,
        };
        let gov = self.government_cloud();
        let mut elsewhere: Vec<&Region> = self
            .catalog
            .regions
            .iter()
            .filter(|r| r.government == gov && row.regions.contains(&r.id))
            .collect();
        elsewhere.sort_by_key(|r| zone.is_none() || r.zone != zone);
        if !elsewhere.is_empty() {
            detail.push_str(&format!(
                "; {} {fine}{} exists in {}",
                d.label(),
                m.id,
                listed(&elsewhere)
            ));
        }
        let here: Vec<&str> = Deployment::ALL
            .iter()
            .filter(|&&o| o != d && o != Deployment::FoundryServerless)
            .filter(|&&o| {
                self.catalog.availability(&m.id, o, row.fine_tuned).is_some_and(|a| {
                    self.catalog
                        .regions
                        .iter()
                        .any(|r| self.allows(r) && a.regions.contains(&r.id))
                })
            })
            .map(|o| o.label())
            .collect();
        if !here.is_empty() {
            detail.push_str(&format!("; in {place} it is offered as {}", here.join(", ")));
        }
        Violation::of(K::Availability, setting, detail)
    }
}

fn zone_name(z: Zone) -> &'static str {
    match z {
        Zone::Us => "US",
        Zone::Eu => "EU",
        Zone::UsGov => "USGov",
    }
}

/// "eastus, eastus2, westus, westus3 and 5 more".
fn listed(regions: &[&Region]) -> String {
    let shown: Vec<&str> = regions.iter().take(LISTED).map(|r| r.id.as_str()).collect();
    match regions.len().saturating_sub(LISTED) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

/// What `llmcap check` says about a valid scenario on a plan date, so nothing the planner
/// will decide silently surprises its author: a pricing region the residency overrides, a
/// residency region with no Azure OpenAI, and named models retired or retiring.
pub fn notices(s: &crate::scenario::Scenario, catalog: &crate::catalog::Catalog, on: Date) -> Vec<String> {
    let mut out = Vec::new();
    if let (_, Some(why)) = super::context::resolve_region(s, catalog) {
        out.push(why);
    }
    if let Residency::Region(r) = &s.residency
        && !catalog.hosts_azure_openai(r)
    {
        out.push(format!(
            "residency Region({r:?}): no Azure OpenAI deployment of any model can be created in {r} (it is in none of Microsoft's model matrices); only self-hosting there can meet it"
        ));
    }
    if let Residency::Region(r) = &s.residency
        && s.compliance.iter().any(|c| c.needs_government_cloud())
        && catalog.region(r).is_some_and(|x| !x.government)
    {
        out.push(format!(
            "residency Region({r:?}) is a commercial region, and the compliance regimes need Azure Government: no managed deployment can meet both"
        ));
    }
    // The models the scenario names: its own, each routing leg's and the classifier.
    let mut named: Vec<(String, &String)> = s.models.iter().map(|id| ("models".to_string(), id)).collect();
    if let Some(r) = &s.routing {
        for (i, leg) in r.legs.iter().enumerate() {
            named.extend(leg.models.iter().map(|id| (format!("routing.legs[{i}].models"), id)));
        }
        if let crate::scenario::RouterStep::Classifier { model, .. } = &r.router {
            named.push(("routing.router.model".to_string(), model));
        }
    }
    for (field, id) in named {
        let Some(l) = catalog.model(id).and_then(|m| m.lifecycle.as_ref()) else {
            continue;
        };
        if let Some(from) = l.available_from.as_deref().and_then(Date::parse_lenient)
            && on < from
        {
            out.push(format!(
                "{field}: {id} is not released until {from}, after the plan date {on}: its managed deployments are ruled out"
            ));
        }
        let Some((date, fine)) = l.retirement(s.customization == Customization::HostedFineTune) else {
            continue;
        };
        let Some(retires) = Date::parse_lenient(date) else {
            continue;
        };
        let what = if fine { format!("a fine-tuned {id}") } else { id.clone() };
        let successor = l
            .replacement
            .as_ref()
            .map(|r| format!("; Microsoft names {r}"))
            .unwrap_or_default();
        let days = retires.days_since(on);
        if days <= 0 {
            out.push(format!(
                "{field}: {what} retired on {retires}, before the plan date {on}: its managed deployments are ruled out{successor}"
            ));
        } else if days <= RETIREMENT_NOTICE_DAYS {
            out.push(format!(
                "{field}: {what} retires on {retires}, {days} days after the plan date{successor}"
            ));
        }
    }
    out
}
