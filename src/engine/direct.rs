//! The providers' own APIs (OpenAI, Anthropic) as comparators: token-priced like Azure
//! OpenAI Standard, but outside Azure, so none of Azure's data-zone, region or Government
//! guarantees hold, Microsoft's model matrix and quota tiers do not apply, and compliance
//! rests on the provider's own terms (said with their sources).

use super::context::Ctx;
use super::plan::{Family, OptionResult, Plan};
use crate::catalog::{Deployment, Model};
use crate::date::Date;
use crate::scenario::{Compliance, Customization, Residency};
use crate::text::usd_whole;
use crate::vocab::{Provider, Violation, ViolationKind as K};

/// Where the provider's BAA terms were read (searched 2026-12-02).
const OPENAI_BAA: &str = "OpenAI Help Center, \"How can I get a Business Associate Agreement (BAA) with OpenAI?\" (help.openai.com/en/articles/8660679, as summarised by shieldra.ai, verified 2026-06)";
const ANTHROPIC_BAA: &str = "Anthropic support, \"Covered Models under a Business Associate Agreement (BAA)\" (support.claude.com/en/articles/15455031)";

/// "OpenAI" or "Anthropic".
pub(super) fn provider_name(d: Deployment) -> &'static str {
    match d.provider() {
        Provider::Anthropic => "Anthropic",
        _ => "OpenAI",
    }
}

impl Ctx<'_> {
    /// Hard constraints on a provider's own API for a model.
    pub(super) fn direct_violations(&self, m: &Model, d: Deployment) -> Vec<Violation> {
        let s = self.s;
        let who = provider_name(d);
        let mut v = Vec::new();
        let outside = format!("{who}'s API runs outside Azure: no Azure data zone or region guarantee");
        // OpenAI sells its own data residency; it is not an Azure guarantee, nor priced here.
        let own = if d.provider() == Provider::OpenAi {
            "; OpenAI's own EU and US data residency (billed at 1.1x on gpt-5.x models: LiteLLM regional_processing_uplift_multiplier_eu/us, key gpt-5.5) is OpenAI's commitment, not an Azure one, and is not priced here"
        } else {
            ""
        };
        match &s.residency {
            Residency::Global => {}
            Residency::DataZone(z) => v.push(Violation::of(
                K::Residency,
                format!("DataZone({z:?})"),
                format!("{outside}{own}"),
            )),
            Residency::Region(r) => v.push(Violation::of(
                K::Residency,
                format!("Region({r:?})"),
                format!("{outside}{own}"),
            )),
            Residency::OnPremises => v.push(Violation::of(
                K::Residency,
                "OnPremises",
                "only self-hosting on premises keeps data on site",
            )),
            Residency::AirGapped => v.push(Violation::of(
                K::Residency,
                "AirGapped",
                format!("an air-gapped site cannot reach {who}'s API"),
            )),
        }
        let gov: Vec<String> = s
            .compliance
            .iter()
            .filter(|c| c.needs_government_cloud())
            .map(|c| format!("{c:?}"))
            .collect();
        if !gov.is_empty() || self.government_cloud() {
            let setting = if gov.is_empty() {
                "Azure Government".to_string()
            } else {
                gov.join("/")
            };
            v.push(Violation::of(
                K::Compliance,
                setting,
                format!("{who}'s API is not an Azure Government service: these regimes need Azure Government or self-hosting"),
            ));
        }
        if s.compliance.contains(&Compliance::FedRampModerate) {
            v.push(Violation::of(
                K::Compliance,
                "FedRampModerate",
                format!("the catalog's sources show no FedRAMP Moderate authorisation for {who}'s API"),
            ));
        }
        match s.customization {
            Customization::PromptOnly => {}
            Customization::FullWeights => v.push(Violation::of(
                K::Customization,
                "FullWeights",
                format!("{who}'s API gives no access to the weights"),
            )),
            Customization::HostedFineTune => v.push(Violation::of(
                K::Customization,
                "HostedFineTune",
                format!(
                    "the catalog holds no fine-tuning prices for {who}'s API (training or hosting of a fine-tuned {}), so a fine-tune there is not planned",
                    m.id
                ),
            )),
        }
        self.context_violation(m, &mut v);
        v
    }

    /// The model's lifecycle on a provider's API. The catalog holds Microsoft's retirement
    /// schedule, not the provider's: a model Microsoft has retired on Azure is not planned on
    /// the provider's API either (the conservative reading), and the violation says so.
    pub(super) fn direct_lifecycle(&self, m: &Model, d: Deployment, v: &mut Vec<Violation>) {
        let Some(l) = &m.lifecycle else { return };
        let who = provider_name(d);
        let setting = format!("plan date {}", self.on);
        if let Some(from) = l.available_from.as_deref().and_then(Date::parse_lenient)
            && self.on < from
        {
            v.push(Violation::of(
                K::Availability,
                &setting,
                format!(
                    "{} is not released until {from} (Microsoft's schedule as of {})",
                    m.id, l.as_of
                ),
            ));
        }
        if let Some(retires) = l.retires.as_deref().and_then(Date::parse_lenient)
            && retires.days_since(self.on) <= 0
        {
            v.push(Violation::of(
                K::Retired,
                setting,
                format!(
                    "Microsoft retired {} on Azure on {retires} and the catalog has no {who} shutdown date for it, so it is not planned on {who}'s API either (check {who}'s deprecations page)",
                    m.id
                ),
            ));
        }
    }

    /// What the provider's own terms say about the scenario's regimes (warnings).
    pub(super) fn direct_warnings(&self, d: Deployment) -> Vec<String> {
        let s = self.s;
        let mut w = Vec::new();
        if s.compliance.contains(&Compliance::Hipaa) {
            w.push(match d.provider() {
                Provider::Anthropic => format!(
                    "HIPAA: Anthropic's BAA covers its API only once the BAA is signed and the HIPAA-ready API configuration is used, and not for Claude bought through a cloud provider ({ANTHROPIC_BAA})"
                ),
                _ => format!(
                    "HIPAA: OpenAI signs a BAA for API customers, covering only Zero Data Retention-eligible endpoints with ZDR approved for the organisation; sign it before sending PHI ({OPENAI_BAA})"
                ),
            });
        }
        if s.compliance.contains(&Compliance::Gdpr) {
            w.push(format!(
                "GDPR: {}'s API processes data outside Azure, under {}'s own data processing terms rather than Microsoft's",
                provider_name(d),
                provider_name(d)
            ));
        }
        w
    }
}

/// The rationale's "why not call the provider directly?" line: the best direct-API option
/// against the best option on Azure, in dollars and percent, and what rules the direct API
/// out where something does. Written when a direct API wins, or when the best direct API
/// (feasible, or ruled out only by Azure's residency and compliance guarantees) is within a
/// quarter of the winner's cost.
pub(super) fn direct_line(plan: &Plan, winner: &OptionResult) -> Option<String> {
    let priced = |o: &&OptionResult| o.monthly_cost_usd.is_some();
    let direct = plan
        .options
        .iter()
        .filter(priced)
        .filter(|o| o.family == Family::DirectApi)
        // Only what the provider still offers on the plan date, and what fails nothing but
        // the guarantees Azure gives (residency, compliance), is an alternative: one too slow
        // or too small for the workload would be no answer either way.
        .filter(|o| {
            o.violations
                .iter()
                .all(|v| matches!(v.kind, K::Residency | K::Compliance))
        })
        .min_by_key(|o| (!o.feasible, o.monthly_cost_usd))?;
    let on_azure = plan
        .options
        .iter()
        .filter(priced)
        .filter(|o| o.feasible && !o.option.provider().outside_azure())
        .filter(|o| o.option != crate::vocab::OptionId::SelfHosted(crate::vocab::Place::OnPremises))
        .min_by_key(|o| o.monthly_cost_usd)?;
    let (dc, ac, wc) = (
        direct.monthly_cost_usd?,
        on_azure.monthly_cost_usd?,
        winner.monthly_cost_usd?,
    );
    let near = dc <= wc * rust_decimal::Decimal::new(125, 2);
    if winner.family != Family::DirectApi && !near {
        return None;
    }
    let who = direct.option.deployment().map_or("the provider", provider_name);
    let diff = dc - ac;
    let pct = diff
        .abs()
        .checked_div(ac)
        .and_then(|r| r.checked_mul(rust_decimal::Decimal::from(100)))
        .map_or_else(|| "many times".to_string(), |p| format!("{}%", p.round_dp(0)));
    let compare = if diff.is_zero() {
        "the same as".to_string()
    } else if diff < rust_decimal::Decimal::ZERO {
        format!("{} ({pct}) less than", usd_whole(-diff))
    } else {
        format!("{} ({pct}) more than", usd_whole(diff))
    };
    let tail = if !direct.feasible {
        match direct.violations.split_first() {
            Some((v, rest)) => {
                let mut more: Vec<&str> = rest
                    .iter()
                    .map(|x| x.kind.label())
                    .filter(|k| *k != v.kind.label())
                    .collect();
                more.dedup();
                if more.is_empty() {
                    format!("; ruled out: {v}")
                } else {
                    format!("; ruled out: {v} (and by {})", more.join(", "))
                }
            }
            None => String::new(),
        }
    } else if winner.family == Family::DirectApi {
        format!(
            "; it runs outside Azure (no Azure data zone, region or Government cloud), under {who}'s own data terms"
        )
    } else {
        String::new()
    };
    Some(format!(
        "Why not call {who} directly? {} {} {} {}/month, {compare} the best Azure option, {} {} at {}/month{tail}.",
        direct.option,
        direct.model,
        if direct.feasible { "costs" } else { "would cost" },
        usd_whole(dc),
        on_azure.option,
        on_azure.model,
        usd_whole(ac),
    ))
}
