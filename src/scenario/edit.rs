//! Editing a scenario one field at a time, as the workbench does: a field's value as shown
//! and as typed, parsing what a person types (`250k`, `2.5e5`, `250,000`), stepping numbers
//! within the registry's ranges, and the pickers' entries. Everything here works on the
//! registry of [`super::fields`], so the editor cannot offer a value the validator refuses.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::fields::{Access, FieldId, Kind, LegField, Step, field, leg};
use super::routing::{self, RouterStep, Routing, RoutingPattern};
use super::{
    Commitment, Compliance, Customization, FineTuneMethod, LatencyMode, Pattern, PrecisionChoice, Residency, Scenario,
    Sites, Tier, Zone, validate_with_catalog,
};
use crate::catalog::Catalog;
use crate::text::fmt_num;

/// A number as the editor shows it: thousands separators for large whole numbers.
pub fn number_text(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() >= 10_000.0 && v.abs() < 1e15 {
        let sign = if v < 0.0 { "-" } else { "" };
        format!("{sign}{}", crate::text::thousands(v.abs() as u64))
    } else {
        fmt_num(v)
    }
}

fn list_text(items: &[String], empty: &str) -> String {
    if items.is_empty() {
        empty.to_string()
    } else {
        items.join(", ")
    }
}

pub fn residency_text(r: &Residency) -> String {
    match r {
        Residency::Global => "Global".into(),
        Residency::DataZone(Zone::Us) => "DataZone(Us)".into(),
        Residency::DataZone(Zone::Eu) => "DataZone(Eu)".into(),
        Residency::DataZone(Zone::UsGov) => "DataZone(UsGov)".into(),
        Residency::Region(r) => format!("Region({r})"),
        Residency::OnPremises => "OnPremises".into(),
        Residency::AirGapped => "AirGapped".into(),
    }
}

fn weights_text(w: &[f64]) -> String {
    w.iter().map(|x| fmt_num(*x)).collect::<Vec<_>>().join(" ")
}

/// The field's value as the editor shows it (without its unit).
pub fn display(id: FieldId, s: &Scenario) -> String {
    match id {
        FieldId::Name => s.name.clone(),
        FieldId::Notes => s.notes.clone(),
        FieldId::RequestsPerDay => number_text(s.workload.requests_per_day),
        FieldId::InputTokens => number_text(s.workload.input_tokens),
        FieldId::OutputTokens => number_text(s.workload.output_tokens),
        FieldId::CachedInputShare => fmt_num(s.workload.cached_input_share),
        FieldId::ReasoningTokens => number_text(s.workload.reasoning_tokens),
        FieldId::Pattern => match &s.traffic.pattern {
            Pattern::Steady => "Steady".into(),
            Pattern::BusinessHours => "BusinessHours".into(),
            Pattern::Custom(_) => "Custom".into(),
        },
        FieldId::HourlyWeights => match &s.traffic.pattern {
            Pattern::Custom(w) => weights_text(w),
            _ => format!("({})", weights_text(&s.traffic.pattern.raw_weights())),
        },
        FieldId::PeakToAverage => fmt_num(s.traffic.peak_to_average),
        FieldId::LatencyMode => format!("{:?}", s.latency.mode),
        FieldId::TtftMs => number_text(s.latency.ttft_ms),
        FieldId::OutputTokensPerS => fmt_num(s.latency.output_tokens_per_s),
        FieldId::Residency => residency_text(&s.residency),
        FieldId::Compliance => list_text(
            &s.compliance.iter().map(|c| format!("{c:?}")).collect::<Vec<_>>(),
            "none",
        ),
        FieldId::Quality => s.quality.to_string(),
        FieldId::Models => list_text(&s.models, "tier's models"),
        FieldId::Customization => format!("{:?}", s.customization),
        FieldId::PlatformEngineers => s.team.platform_engineers.to_string(),
        FieldId::EngineerMonthlyCost => crate::text::usd_whole(s.team.engineer_monthly_cost),
        FieldId::SelfHostingFte => fmt_num(s.team.self_hosting_fte),
        FieldId::PlatformFte => fmt_num(s.team.platform_fte),
        FieldId::Region => s.pricing.region.clone(),
        FieldId::Commitment => format!("{:?}", s.pricing.commitment),
        FieldId::Discount => s.pricing.discount.normalize().to_string(),
        FieldId::Precision => format!("{:?}", s.self_hosting.precision),
        FieldId::Gpus => list_text(&s.self_hosting.gpus, "any"),
        FieldId::MinReplicas => match s.self_hosting.min_replicas {
            Some(n) => n.to_string(),
            None => format!("auto ({})", s.min_replicas()),
        },
        FieldId::Sites => format!("{:?}", s.self_hosting.sites),
        FieldId::TtftPercentile => fmt_num(s.latency.ttft_percentile),
        FieldId::Autoscale => if s.self_hosting.autoscale { "on" } else { "off" }.into(),
        FieldId::FoundryContentFilter => if s.pricing.foundry_content_filter { "on" } else { "off" }.into(),
        FieldId::RunsDatabricks => if s.team.databricks { "yes" } else { "no" }.into(),
        FieldId::MemoryUtilization => fmt_num(s.self_hosting.memory_utilization),
        FieldId::FtTrainingTokens => number_text(s.fine_tuning_or_default().training_tokens),
        FieldId::FtEpochs => s.fine_tuning_or_default().epochs.to_string(),
        FieldId::FtTrainingPrice => match s.fine_tuning.as_ref().and_then(|f| f.training_usd_per_million) {
            Some(p) => format!("${}/M", p.normalize()),
            None => "not set".into(),
        },
        FieldId::FtAmortizeMonths => s.fine_tuning_or_default().amortize_months.to_string(),
        FieldId::FtMethod => format!("{:?}", s.fine_tuning_or_default().method),
        FieldId::RoutingPattern => match &s.routing {
            None => "Off".into(),
            Some(r) => format!("{:?} ({} legs)", r.pattern, r.legs.len()),
        },
        FieldId::RouterKind => s.routing.as_ref().map_or("", |r| r.router.kind()).into(),
        FieldId::RouterModel => match s.routing.as_ref().map(|r| &r.router) {
            Some(RouterStep::Classifier { model, .. }) => model.clone(),
            _ => String::new(),
        },
        FieldId::RouterInputTokens | FieldId::RouterOutputTokens => {
            number_value(id, s).map(number_text).unwrap_or_default()
        }
        FieldId::RouterFee => match s.routing.as_ref().map(|r| &r.router) {
            Some(RouterStep::PerRequest { usd }) => format!("${}", usd.normalize()),
            _ => String::new(),
        },
        FieldId::Leg(i, f) => leg_display(s, usize::from(i), f, id),
    }
}

/// A leg's field as shown: its own value, or the scenario's it takes (`as scenario (2,000)`).
fn leg_display(s: &Scenario, i: usize, f: LegField, id: FieldId) -> String {
    let Some(l) = leg(s, i) else { return String::new() };
    let inherited = |own: bool, text: String| if own { text } else { format!("as scenario ({text})") };
    let num = || number_value(id, s).map(number_text).unwrap_or_default();
    match f {
        LegField::Name => l.name.clone(),
        LegField::Share | LegField::Escalation => number_value(id, s).map(fmt_num).unwrap_or_default(),
        LegField::Quality => inherited(l.quality.is_some(), l.quality.unwrap_or(s.quality).to_string()),
        LegField::Models if l.models.is_empty() => "tier's models".into(),
        LegField::Models => l.models.join(", "),
        LegField::InputTokens => inherited(l.input_tokens.is_some(), num()),
        LegField::OutputTokens => inherited(l.output_tokens.is_some(), num()),
        LegField::ReasoningTokens => inherited(l.reasoning_tokens.is_some(), num()),
        LegField::TtftMs => inherited(l.ttft_ms.is_some(), num()),
        LegField::Residency => inherited(
            l.residency.is_some(),
            residency_text(l.residency.as_ref().unwrap_or(&s.residency)),
        ),
        LegField::AttemptOutputTokens if l.attempt_output_tokens.is_none() => format!("full output ({})", num()),
        LegField::AttemptOutputTokens => num(),
    }
}

/// The text a field's editor starts with: the value as the user would type it.
pub fn edit_text(id: FieldId, s: &Scenario) -> String {
    match id {
        FieldId::HourlyWeights => weights_text(&s.traffic.pattern.raw_weights()),
        FieldId::EngineerMonthlyCost => s.team.engineer_monthly_cost.normalize().to_string(),
        _ => match field(id).kind {
            Kind::Number(_) => number_value(id, s).map(fmt_num).unwrap_or_default(),
            _ => display(id, s),
        },
    }
}

/// The current value of a numeric field, as f64 (money converted only for stepping).
pub fn number_value(id: FieldId, s: &Scenario) -> Option<f64> {
    field(id).number()?.value(s)
}

/// Reads a number as people type it: `100000`, `100,000`, `100_000`, `1e5`, `2.5k`, `3M`.
pub fn parse_number(input: &str) -> Result<f64, String> {
    let t: String = input.trim().chars().filter(|c| *c != ',' && *c != '_').collect();
    if t.is_empty() {
        return Err("type a number".into());
    }
    let (body, mult) = match t.chars().last() {
        Some('k' | 'K') => (&t[..t.len() - 1], 1e3),
        Some('m' | 'M') => (&t[..t.len() - 1], 1e6),
        Some('b' | 'B' | 'g' | 'G') => (&t[..t.len() - 1], 1e9),
        _ => (t.as_str(), 1.0),
    };
    match body.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v * mult),
        Ok(_) => Err(format!("`{}` is not a finite number", input.trim())),
        Err(_) => Err(format!(
            "`{}` is not a number (e.g. 250000, 2.5e5 or 250k)",
            input.trim()
        )),
    }
}

fn parse_decimal(input: &str) -> Result<Decimal, String> {
    let t: String = input
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '_' && *c != '$')
        .collect();
    Decimal::from_str(&t)
        .or_else(|_| Decimal::from_scientific(&t))
        .map_err(|_| format!("`{}` is not a decimal amount (e.g. 15000 or 0.15)", input.trim()))
}

fn whole(v: f64, what: &str) -> Result<u32, String> {
    if v.fract() != 0.0 || !(0.0..=f64::from(u32::MAX)).contains(&v) {
        Err(format!("{what} is a whole number from 0 to {}", u32::MAX))
    } else {
        Ok(v as u32)
    }
}

/// Sets a typed field from text. A parse error leaves the scenario untouched; range checks
/// are the validator's job (see [`issues_for`]).
pub fn set_text(id: FieldId, s: &mut Scenario, input: &str) -> Result<(), String> {
    match id {
        FieldId::Name => {
            let t = input.trim();
            if t.is_empty() {
                return Err("the name cannot be empty".into());
            }
            s.name = t.to_string();
        }
        FieldId::Notes => s.notes = input.to_string(),
        FieldId::Leg(i, LegField::Name) => {
            let t = input.trim();
            if t.is_empty() {
                return Err("a leg needs a name".into());
            }
            let i = usize::from(i);
            let Some(r) = s.routing.as_mut().filter(|r| i < r.legs.len()) else {
                return Err("the scenario has no such leg".into());
            };
            if r.legs.iter().enumerate().any(|(j, l)| j != i && l.name == t) {
                return Err(format!("another leg is already named `{t}`"));
            }
            r.legs[i].name = t.to_string();
        }
        FieldId::HourlyWeights => {
            let parts: Vec<&str> = input
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|p| !p.is_empty())
                .collect();
            if parts.len() != 24 {
                return Err(format!(
                    "{} weights given; exactly 24 are needed, hour 0 first",
                    parts.len()
                ));
            }
            let mut w = Vec::with_capacity(24);
            for p in parts {
                w.push(parse_number(p)?);
            }
            s.traffic.pattern = Pattern::Custom(w);
        }
        _ => {
            let def = field(id);
            let Some(n) = def.number() else {
                return Err(format!("{} is chosen from a list: press Enter", def.label));
            };
            match n.access {
                Access::Money { set, .. } => set(s, parse_decimal(input)?),
                Access::Whole { set, .. } => set(s, whole(parse_number(input)?, def.label)?),
                Access::Real { set, .. } => set(s, parse_number(input)?),
            }
        }
    }
    Ok(())
}

/// The validator's complaints about one field, as short lines.
pub fn issues_for(id: FieldId, s: &Scenario, catalog: &Catalog) -> Vec<String> {
    let path = field(id).path;
    validate_with_catalog(s, catalog)
        .into_iter()
        .filter(|i| {
            i.field == path || i.field.starts_with(&format!("{path}.")) || i.field.starts_with(&format!("{path}["))
        })
        .map(|i| {
            let mut line = format!("{} {}; accepted: {}", i.value, i.problem, i.accepted);
            if let Some(h) = i.hint {
                line.push_str(&format!(" ({h})"));
            }
            line
        })
        .collect()
}

fn decade_step(v: f64, up: bool, min_step: f64) -> f64 {
    // Going down from a power of ten uses the decade below: 1,000,000 -> 990,000.
    let probe = if up { v } else { v * (1.0 - 1e-9) };
    if probe <= 0.0 {
        return min_step;
    }
    let exp = probe.log10().floor() - 1.0;
    10f64.powf(exp).max(min_step)
}

/// Moves a number (or cycles a choice) by one step; `large` is the Shift step. Returns false
/// when the field does not step (text, lists) or is already at its bound.
pub fn step(id: FieldId, s: &mut Scenario, catalog: &Catalog, up: bool, large: bool) -> bool {
    match field(id).kind {
        Kind::Number(n) => {
            let Some(v) = n.value(s) else { return false };
            let (lo, hi) = (n.min, n.max);
            let delta = match n.step {
                Step::Decade { min_step } => {
                    let d = decade_step(v, up, min_step);
                    if large { d * 10.0 } else { d }
                }
                Step::Linear { small, large: l } => {
                    if large {
                        l
                    } else {
                        small
                    }
                }
            };
            let raw = if up { v + delta } else { v - delta };
            // Snap to the step's grid so 0.30000000000000004 shows as 0.3.
            let snapped = (raw / delta).round() * delta;
            let decimals = (-delta.log10().floor()).max(0.0) as i32;
            let scale = 10f64.powi(decimals);
            let next = ((snapped * scale).round() / scale).clamp(lo, hi);
            if next == v {
                return false;
            }
            // The validator reads the same bounds; checking also keeps a step from producing
            // a scenario another rule (a catalog id, say) refuses.
            let mut stepped = s.clone();
            if set_text(id, &mut stepped, &fmt_num(next)).is_err() || !issues_for(id, &stepped, catalog).is_empty() {
                return false;
            }
            *s = stepped;
            true
        }
        Kind::Choice => {
            let items = choices(id, s, catalog);
            if items.is_empty() {
                return false;
            }
            let cur = items.iter().position(|c| c.selected).unwrap_or(0);
            let n = items.len();
            let next = if up { (cur + 1) % n } else { (cur + n - 1) % n };
            choose(id, s, catalog, next)
        }
        Kind::Text | Kind::Multi => false,
    }
}

/// One entry of a picker.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub label: String,
    /// A second column: what the entry is (model tier, GPU memory, region name).
    pub note: String,
    pub selected: bool,
}

fn choice(label: impl Into<String>, note: impl Into<String>, selected: bool) -> Choice {
    Choice {
        label: label.into(),
        note: note.into(),
        selected,
    }
}

const PATTERNS: [&str; 3] = ["Steady", "BusinessHours", "Custom"];
const TIERS: [Tier; 4] = Tier::ALL;
const MODES: [LatencyMode; 2] = [LatencyMode::Interactive, LatencyMode::Async];
const CUSTOMIZATIONS: [Customization; 3] = [
    Customization::PromptOnly,
    Customization::HostedFineTune,
    Customization::FullWeights,
];
const COMMITMENTS: [Commitment; 4] = [
    Commitment::PayAsYouGo,
    Commitment::OneMonth,
    Commitment::OneYear,
    Commitment::ThreeYear,
];
const PRECISIONS: [PrecisionChoice; 5] = [
    PrecisionChoice::Auto,
    PrecisionChoice::Bf16,
    PrecisionChoice::Fp8,
    PrecisionChoice::Int8,
    PrecisionChoice::Int4,
];
pub const COMPLIANCE: [Compliance; 7] = [
    Compliance::Hipaa,
    Compliance::Gdpr,
    Compliance::FedRampModerate,
    Compliance::FedRampHigh,
    Compliance::Il4,
    Compliance::Il5,
    Compliance::Itar,
];

fn residencies(catalog: &Catalog) -> Vec<Residency> {
    let mut out = vec![
        Residency::Global,
        Residency::DataZone(Zone::Us),
        Residency::DataZone(Zone::Eu),
        Residency::DataZone(Zone::UsGov),
    ];
    out.extend(catalog.regions.iter().map(|r| Residency::Region(r.id.clone())));
    out.push(Residency::OnPremises);
    out.push(Residency::AirGapped);
    out
}

/// What a picker for the field offers, with the current value(s) selected.
pub fn choices(id: FieldId, s: &Scenario, catalog: &Catalog) -> Vec<Choice> {
    match id {
        FieldId::Pattern => {
            let cur = display(id, s);
            PATTERNS.iter().map(|p| choice(*p, "", *p == cur)).collect()
        }
        FieldId::LatencyMode => MODES
            .iter()
            .map(|m| choice(format!("{m:?}"), "", *m == s.latency.mode))
            .collect(),
        FieldId::Quality => TIERS
            .iter()
            .map(|t| choice(t.to_string(), "", *t == s.quality))
            .collect(),
        FieldId::Customization => CUSTOMIZATIONS
            .iter()
            .map(|c| choice(format!("{c:?}"), "", *c == s.customization))
            .collect(),
        FieldId::Commitment => COMMITMENTS
            .iter()
            .map(|c| choice(format!("{c:?}"), "", *c == s.pricing.commitment))
            .collect(),
        FieldId::Precision => PRECISIONS
            .iter()
            .map(|p| choice(format!("{p:?}"), "", *p == s.self_hosting.precision))
            .collect(),
        FieldId::Sites => Sites::ALL
            .iter()
            .map(|x| choice(format!("{x:?}"), "", *x == s.self_hosting.sites))
            .collect(),
        FieldId::Autoscale => vec![
            choice("on", "", s.self_hosting.autoscale),
            choice("off", "", !s.self_hosting.autoscale),
        ],
        FieldId::FoundryContentFilter => vec![
            choice("on", "", s.pricing.foundry_content_filter),
            choice("off", "", !s.pricing.foundry_content_filter),
        ],
        FieldId::FtMethod => {
            let now = s.fine_tuning_or_default().method;
            FineTuneMethod::ALL
                .iter()
                .map(|m| choice(format!("{m:?}"), "", *m == now))
                .collect()
        }
        FieldId::RunsDatabricks => vec![
            choice("yes", "", s.team.databricks),
            choice("no", "", !s.team.databricks),
        ],
        FieldId::Residency => residencies(catalog)
            .into_iter()
            .map(|r| {
                let note = match &r {
                    Residency::Region(id) => catalog.region(id).map(|x| x.name.clone()).unwrap_or_default(),
                    _ => String::new(),
                };
                choice(residency_text(&r), note, r == s.residency)
            })
            .collect(),
        FieldId::Region => catalog
            .regions
            .iter()
            .map(|r| choice(r.id.clone(), r.name.clone(), r.id == s.pricing.region))
            .collect(),
        FieldId::Compliance => COMPLIANCE
            .iter()
            .map(|c| choice(format!("{c:?}"), "", s.compliance.contains(c)))
            .collect(),
        FieldId::Models => catalog
            .models
            .iter()
            .map(|m| {
                let kind = if m.architecture.is_some() {
                    "open weights"
                } else {
                    "hosted"
                };
                choice(
                    m.id.clone(),
                    format!("{} · {} · {kind}", m.name, m.tier),
                    s.models.contains(&m.id),
                )
            })
            .collect(),
        FieldId::Gpus => catalog
            .gpus
            .iter()
            .map(|g| {
                choice(
                    g.id.clone(),
                    format!("{} · {:.0} GiB", g.name, g.memory_gib),
                    s.self_hosting.gpus.contains(&g.id),
                )
            })
            .collect(),
        FieldId::RoutingPattern => {
            let now = s.routing.as_ref().map(|r| r.pattern);
            let mut out = vec![choice("Off", "one model for every request", now.is_none())];
            out.push(choice(
                "Router",
                "a share of requests to each leg",
                now == Some(RoutingPattern::Router),
            ));
            out.push(choice(
                "Cascade",
                "try each leg in turn, escalate a share",
                now == Some(RoutingPattern::Cascade),
            ));
            out
        }
        FieldId::RouterKind => {
            let now = s.routing.as_ref().map(|r| r.router.kind());
            RouterStep::KINDS
                .iter()
                .zip([
                    "the caller knows the leg",
                    "a model names the leg",
                    "a fixed fee per request",
                ])
                .map(|(k, note)| choice(*k, note, now == Some(*k)))
                .collect()
        }
        FieldId::RouterModel => {
            let now = display(id, s);
            catalog
                .models
                .iter()
                .map(|m| choice(m.id.clone(), format!("{} · {}", m.name, m.tier), m.id == now))
                .collect()
        }
        FieldId::Leg(i, LegField::Quality) => {
            let own = leg(s, usize::from(i)).and_then(|l| l.quality);
            let mut out = vec![choice("as scenario", s.quality.to_string(), own.is_none())];
            out.extend(TIERS.iter().map(|t| choice(t.to_string(), "", own == Some(*t))));
            out
        }
        FieldId::Leg(i, LegField::Residency) => {
            let own = leg(s, usize::from(i)).and_then(|l| l.residency.clone());
            let mut out = vec![choice("as scenario", residency_text(&s.residency), own.is_none())];
            out.extend(
                residencies(catalog)
                    .into_iter()
                    .map(|r| choice(residency_text(&r), "", own.as_ref() == Some(&r))),
            );
            out
        }
        FieldId::Leg(i, LegField::Models) => {
            let own = leg(s, usize::from(i)).map(|l| l.models.clone()).unwrap_or_default();
            catalog
                .models
                .iter()
                .map(|m| choice(m.id.clone(), format!("{} · {}", m.name, m.tier), own.contains(&m.id)))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// Applies entry `index` of a single-choice picker. Returns false if nothing changed.
pub fn choose(id: FieldId, s: &mut Scenario, catalog: &Catalog, index: usize) -> bool {
    let before = s.clone();
    match id {
        FieldId::Pattern => match index {
            0 => s.traffic.pattern = Pattern::Steady,
            1 => s.traffic.pattern = Pattern::BusinessHours,
            2 => {
                if !matches!(s.traffic.pattern, Pattern::Custom(_)) {
                    // Start from the current shape so the switch changes nothing until edited.
                    let w = s.traffic.pattern.raw_weights();
                    s.traffic.pattern = Pattern::Custom(w.to_vec());
                }
            }
            _ => return false,
        },
        FieldId::LatencyMode => s.latency.mode = *MODES.get(index).unwrap_or(&s.latency.mode),
        FieldId::Quality => s.quality = *TIERS.get(index).unwrap_or(&s.quality),
        FieldId::Customization => s.customization = *CUSTOMIZATIONS.get(index).unwrap_or(&s.customization),
        FieldId::Commitment => s.pricing.commitment = *COMMITMENTS.get(index).unwrap_or(&s.pricing.commitment),
        FieldId::Precision => s.self_hosting.precision = *PRECISIONS.get(index).unwrap_or(&s.self_hosting.precision),
        FieldId::Sites => s.self_hosting.sites = *Sites::ALL.get(index).unwrap_or(&s.self_hosting.sites),
        FieldId::Autoscale => s.self_hosting.autoscale = index == 0,
        FieldId::FoundryContentFilter => s.pricing.foundry_content_filter = index == 0,
        FieldId::RunsDatabricks => s.team.databricks = index == 0,
        FieldId::FtMethod => {
            if let Some(m) = FineTuneMethod::ALL.get(index) {
                s.fine_tuning_mut().method = *m;
            }
        }
        FieldId::Residency => {
            if let Some(r) = residencies(catalog).into_iter().nth(index) {
                s.residency = r;
            }
        }
        FieldId::Region => {
            if let Some(r) = catalog.regions.get(index) {
                s.pricing.region = r.id.clone();
            }
        }
        FieldId::RoutingPattern => match index {
            0 => s.routing = None,
            1 | 2 => {
                let p = RoutingPattern::ALL[index - 1];
                match s.routing.as_mut() {
                    Some(r) => r.set_pattern(p),
                    None => s.routing = Some(Routing::starting(p, s.quality)),
                }
            }
            _ => return false,
        },
        FieldId::RouterKind => {
            let Some(r) = s.routing.as_mut() else { return false };
            r.router = match index {
                0 => RouterStep::None,
                1 if matches!(r.router, RouterStep::Classifier { .. }) => return false,
                1 => RouterStep::Classifier {
                    model: routing::DEFAULT_CLASSIFIER_MODEL.to_string(),
                    input_tokens: routing::DEFAULT_CLASSIFIER_INPUT,
                    output_tokens: routing::DEFAULT_CLASSIFIER_OUTPUT,
                },
                2 if matches!(r.router, RouterStep::PerRequest { .. }) => return false,
                2 => RouterStep::PerRequest { usd: Decimal::ZERO },
                _ => return false,
            };
        }
        FieldId::RouterModel => {
            let Some(m) = catalog.models.get(index) else {
                return false;
            };
            if let Some(RouterStep::Classifier { model, .. }) = s.routing.as_mut().map(|r| &mut r.router) {
                *model = m.id.clone();
            }
        }
        FieldId::Leg(i, LegField::Quality) => {
            let tier = index.checked_sub(1).and_then(|k| TIERS.get(k).copied());
            if index > TIERS.len() {
                return false;
            }
            if let Some(l) = s.routing.as_mut().and_then(|r| r.legs.get_mut(usize::from(i))) {
                l.quality = tier;
            }
        }
        FieldId::Leg(i, LegField::Residency) => {
            let r = match index {
                0 => None,
                k => match residencies(catalog).into_iter().nth(k - 1) {
                    Some(r) => Some(r),
                    None => return false,
                },
            };
            if let Some(l) = s.routing.as_mut().and_then(|x| x.legs.get_mut(usize::from(i))) {
                l.residency = r;
            }
        }
        _ => return false,
    }
    *s != before
}

/// Sets a multi-choice field to the checked entries of its picker.
pub fn choose_many(id: FieldId, s: &mut Scenario, catalog: &Catalog, checked: &[bool]) -> bool {
    let before = s.clone();
    let pick = |i: usize| checked.get(i).copied().unwrap_or(false);
    match id {
        FieldId::Compliance => {
            s.compliance = COMPLIANCE
                .iter()
                .enumerate()
                .filter(|(i, _)| pick(*i))
                .map(|(_, c)| *c)
                .collect();
        }
        FieldId::Models => {
            s.models = catalog
                .models
                .iter()
                .enumerate()
                .filter(|(i, _)| pick(*i))
                .map(|(_, m)| m.id.clone())
                .collect();
        }
        FieldId::Leg(i, LegField::Models) => {
            let models: Vec<String> = catalog
                .models
                .iter()
                .enumerate()
                .filter(|(i, _)| pick(*i))
                .map(|(_, m)| m.id.clone())
                .collect();
            if let Some(l) = s.routing.as_mut().and_then(|r| r.legs.get_mut(usize::from(i))) {
                l.models = models;
            }
        }
        FieldId::Gpus => {
            s.self_hosting.gpus = catalog
                .gpus
                .iter()
                .enumerate()
                .filter(|(i, _)| pick(*i))
                .map(|(_, g)| g.id.clone())
                .collect();
        }
        _ => return false,
    }
    *s != before
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::fields::FIELDS;

    fn cat() -> Catalog {
        Catalog::embedded().unwrap()
    }

    #[test]
    fn every_field_of_the_format_has_a_row() {
        // One row per leaf of format v1 (version excluded; the pattern has two rows).
        // The routing group adds its pattern and router rows and 11 rows per leg slot.
        assert_eq!(FIELDS.len(), 39 + 6 + 11 * crate::scenario::MAX_LEGS);
        let mut s = Scenario::example();
        s.routing = Some(routing::with_every_field(
            RoutingPattern::Cascade,
            crate::scenario::MAX_LEGS,
        ));
        for f in FIELDS.iter().filter(|f| f.id.applies(&s)) {
            assert!(!display(f.id, &s).is_empty() || f.id == FieldId::Notes, "{:?}", f.id);
        }
    }

    #[test]
    fn numbers_parse_as_people_type_them() {
        assert_eq!(parse_number("100,000").unwrap(), 100_000.0);
        assert_eq!(parse_number("2.5k").unwrap(), 2_500.0);
        assert_eq!(parse_number("3M").unwrap(), 3e6);
        assert_eq!(parse_number(" 1e5 ").unwrap(), 1e5);
        assert!(parse_number("abc").unwrap_err().contains("not a number"));
        assert!(parse_number("").is_err());
        assert!(parse_number("inf").is_err());
    }

    #[test]
    fn decade_steps_move_within_the_decade_and_across_it() {
        let c = cat();
        let mut s = Scenario::example();
        assert!(step(FieldId::RequestsPerDay, &mut s, &c, true, false));
        assert_eq!(s.workload.requests_per_day, 110_000.0);
        s.workload.requests_per_day = 1_000_000.0;
        assert!(step(FieldId::RequestsPerDay, &mut s, &c, false, false));
        assert_eq!(s.workload.requests_per_day, 990_000.0);
        assert!(step(FieldId::RequestsPerDay, &mut s, &c, true, true));
        assert_eq!(s.workload.requests_per_day, 1_100_000.0, "on the large step's grid");
    }

    #[test]
    fn steps_stay_in_range_and_on_the_grid() {
        let c = cat();
        let mut s = Scenario::example();
        for _ in 0..30 {
            step(FieldId::CachedInputShare, &mut s, &c, true, false);
        }
        assert_eq!(s.workload.cached_input_share, 1.0);
        assert!(!step(FieldId::CachedInputShare, &mut s, &c, true, false));
        for _ in 0..3 {
            step(FieldId::CachedInputShare, &mut s, &c, false, false);
        }
        assert_eq!(s.workload.cached_input_share, 0.85);
        s.self_hosting.min_replicas = Some(1);
        assert!(!step(FieldId::MinReplicas, &mut s, &c, false, false));
        assert!(validate_with_catalog(&s, &c).is_empty());
    }

    #[test]
    fn steps_never_leave_the_valid_range() {
        let c = cat();
        for f in FIELDS.iter().filter(|f| matches!(f.kind, Kind::Number(_))) {
            for (up, large) in [(false, false), (false, true), (true, true), (true, false)] {
                let mut s = Scenario::example();
                for _ in 0..400 {
                    step(f.id, &mut s, &c, up, large);
                    let issues = validate_with_catalog(&s, &c);
                    assert!(issues.is_empty(), "{:?} up={up} large={large}: {issues:?}", f.id);
                }
            }
        }
    }

    #[test]
    fn choices_cycle_and_pick() {
        let c = cat();
        let mut s = Scenario::example();
        assert!(step(FieldId::Quality, &mut s, &c, true, false));
        assert_eq!(s.quality, Tier::Compact);
        assert!(step(FieldId::Quality, &mut s, &c, true, false));
        assert_eq!(s.quality, Tier::Frontier);
        let items = choices(FieldId::Residency, &s, &c);
        let we = items.iter().position(|i| i.label == "Region(westeurope)").unwrap();
        assert!(choose(FieldId::Residency, &mut s, &c, we));
        assert_eq!(s.residency, Residency::Region("westeurope".into()));
    }

    #[test]
    fn custom_pattern_starts_from_the_current_shape() {
        let c = cat();
        let mut s = Scenario::example();
        assert!(choose(FieldId::Pattern, &mut s, &c, 2));
        let Pattern::Custom(w) = &s.traffic.pattern else {
            panic!()
        };
        assert_eq!(w.len(), 24);
        assert!(
            set_text(FieldId::HourlyWeights, &mut s, "1 2 3")
                .unwrap_err()
                .contains("3 weights")
        );
    }

    #[test]
    fn range_problems_are_reported_per_field() {
        let c = cat();
        let mut s = Scenario::example();
        set_text(FieldId::CachedInputShare, &mut s, "1.5").unwrap();
        let issues = issues_for(FieldId::CachedInputShare, &s, &c);
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert!(issues[0].contains("1.5"));
        assert!(issues_for(FieldId::InputTokens, &s, &c).is_empty());
    }
}
