//! Validation of a parsed scenario into field-level issues.
//!
//! Parsing already guarantees the shape (types, known fields, known variants); this checks
//! values: ranges, finiteness, and ids against the catalog. Every issue names the field path,
//! the value found and what is accepted, so a person can fix it without reading the spec.

use std::fmt;

use rust_decimal::Decimal;

use super::fields::{Access, FIELDS, FieldId, Kind, LegField, Number, field};
use super::routing::{MAX_LEGS, Routing, RoutingPattern};
use super::{Pattern, Residency, Scenario};
use crate::catalog::Catalog;
use crate::text::{fmt_num, hint_for, terminal_line};

/// One problem with one field of a scenario.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Issue {
    /// Field path, e.g. `workload.cached_input_share` or `self_hosting.gpus[1]`.
    pub field: String,
    /// The value found, as written back.
    pub value: String,
    /// What is wrong, e.g. "is out of range".
    pub problem: String,
    /// What the field accepts.
    pub accepted: String,
    /// A suggestion, e.g. the closest known ids.
    pub hint: Option<String>,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "field `{}` = {} {}; accepted: {}",
            self.field, self.value, self.problem, self.accepted
        )?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

struct Checker {
    issues: Vec<Issue>,
}

impl Checker {
    fn push(&mut self, field: &str, value: impl fmt::Display, problem: &str, accepted: &str) {
        self.issues.push(Issue {
            field: field.to_string(),
            value: value.to_string(),
            problem: problem.to_string(),
            accepted: accepted.to_string(),
            hint: None,
        });
    }

    /// A finite number within `[min, max]`; `what` describes the field for the message.
    fn range(&mut self, field: &str, value: f64, min: f64, max: f64, what: &str) {
        let accepted = format!("{} to {} ({what})", fmt_num(min), fmt_num(max));
        if !value.is_finite() {
            self.push(field, fmt_num(value), "is not a finite number", &accepted);
        } else if value < 0.0 && min >= 0.0 {
            self.push(field, fmt_num(value), "is negative", &accepted);
        } else if value < min {
            self.push(field, fmt_num(value), "is too small", &accepted);
        } else if value > max {
            self.push(field, fmt_num(value), "is too large", &accepted);
        }
    }

    /// A registered number within its range.
    fn number(&mut self, field: &str, n: &Number, s: &Scenario) {
        match n.access {
            Access::Real { get, .. } => self.range(field, get(s), n.min, n.max, n.meaning),
            Access::Whole { get, .. } => {
                let v = get(s);
                if v == 0 && n.min >= 1.0 {
                    self.push(field, 0, "is zero", &n.accepted());
                } else {
                    self.range(field, f64::from(v), n.min, n.max, n.meaning);
                }
            }
            Access::Money { get, .. } => {
                let bound = |v: f64| crate::num::dec(v).unwrap_or(Decimal::MAX);
                self.decimal_range(field, get(s), bound(n.min), bound(n.max), n.meaning);
            }
        }
    }

    /// A Custom pattern: exactly 24 finite, non-negative weights, not all zero.
    fn pattern(&mut self, pattern: &Pattern) {
        let Pattern::Custom(weights) = pattern else { return };
        let accepted = "exactly 24 finite, non-negative hourly weights, not all zero";
        if weights.len() != 24 {
            self.push(
                "traffic.pattern",
                format!("Custom with {} weights", weights.len()),
                "has the wrong number of weights",
                accepted,
            );
            return;
        }
        for (h, &wt) in weights.iter().enumerate() {
            if !wt.is_finite() || wt < 0.0 {
                self.push(
                    &format!("traffic.pattern[{h}]"),
                    fmt_num(wt),
                    "is not a finite, non-negative weight",
                    accepted,
                );
            }
        }
        if weights.iter().all(|&wt| wt == 0.0) {
            self.push(
                "traffic.pattern",
                "Custom with all weights 0",
                "has no traffic in any hour",
                accepted,
            );
        }
    }

    fn decimal_range(&mut self, field: &str, value: Decimal, min: Decimal, max: Decimal, what: &str) {
        let accepted = format!("{} to {} ({what})", min.normalize(), max.normalize());
        if value < Decimal::ZERO && min >= Decimal::ZERO {
            self.push(field, format!("\"{}\"", value.normalize()), "is negative", &accepted);
        } else if value < min {
            self.push(field, format!("\"{}\"", value.normalize()), "is too small", &accepted);
        } else if value > max {
            self.push(field, format!("\"{}\"", value.normalize()), "is too large", &accepted);
        }
    }
}

/// Checks that need no catalog: ranges and shapes.
pub fn validate(s: &Scenario) -> Vec<Issue> {
    let mut c = Checker { issues: Vec::new() };

    if s.version != super::FORMAT_VERSION {
        c.push(
            "version",
            s.version,
            "is not a format version this build reads",
            &format!("{} (newer files need a newer llmcap)", super::FORMAT_VERSION),
        );
    }

    // A name of only invisible characters is as empty as "" to whoever reads the report.
    if s.name
        .chars()
        .all(|ch| ch.is_whitespace() || crate::text::is_unsafe_char(ch))
    {
        c.push("name", quoted(&s.name), "is empty", "a short name for the scenario");
    } else if s.name.chars().count() > MAX_NAME_CHARS {
        c.push(
            "name",
            quoted(&s.name),
            &format!("is {} characters long", s.name.chars().count()),
            &format!("at most {MAX_NAME_CHARS} characters (put the rest in notes)"),
        );
    }
    if s.notes.chars().count() > MAX_NOTES_CHARS {
        c.push(
            "notes",
            quoted(&s.notes),
            &format!("is {} characters long", s.notes.chars().count()),
            &format!("at most {MAX_NOTES_CHARS} characters"),
        );
    }
    duplicates(&mut c, "models", &s.models);
    duplicates(&mut c, "self_hosting.gpus", &s.self_hosting.gpus);
    duplicates(&mut c, "compliance", &s.compliance);

    // Every field in registry order: numbers against their registered range, and the few
    // fields with a shape of their own.
    for f in FIELDS {
        // A leg's numbers are checked with its group (only those it gives), and rows that
        // mean nothing for this scenario (a classifier's tokens under a fee) not at all.
        if matches!(f.id, FieldId::Leg(..)) || !f.id.applies(s) {
            continue;
        }
        match (&f.kind, f.id) {
            (Kind::Number(n), _) => c.number(f.path, n, s),
            (_, FieldId::HourlyWeights) => c.pattern(&s.traffic.pattern),
            (_, FieldId::Residency) => {
                if let Residency::Region(r) = &s.residency
                    && r.trim().is_empty()
                {
                    c.push(
                        "residency",
                        "Region(\"\")",
                        "names no region",
                        "an Azure region name such as \"westeurope\"",
                    );
                }
            }
            _ => {}
        }
    }

    if let Some(r) = &s.routing {
        routing(&mut c, s, r);
    }

    c.issues
}

/// Longest leg name: a label in tables.
pub const MAX_LEG_NAME_CHARS: usize = 40;

/// The routing group: two to five legs with unique names; a router's shares (every leg) sum
/// to 1; a cascade's escalation rates (every leg but the first) are shares; the fields of
/// the other pattern are refused rather than ignored; a leg's own numbers in their ranges;
/// a leg's residency no looser than the scenario's.
fn routing(c: &mut Checker, s: &Scenario, r: &Routing) {
    let n = r.legs.len();
    if !(2..=MAX_LEGS).contains(&n) {
        c.push(
            "routing.legs",
            format!("{n} legs"),
            "is not a hybrid plan",
            &format!("2 to {MAX_LEGS} legs (one model needs no routing group)"),
        );
    }
    let pattern = format!("{:?}", r.pattern);
    for (i, leg) in r.legs.iter().enumerate() {
        let at = |f: &str| format!("routing.legs[{i}].{f}");
        if leg
            .name
            .chars()
            .all(|ch| ch.is_whitespace() || crate::text::is_unsafe_char(ch))
        {
            c.push(
                &at("name"),
                quoted(&leg.name),
                "is empty",
                "a short name for the leg (simple, complex)",
            );
        } else if leg.name.chars().count() > MAX_LEG_NAME_CHARS {
            c.push(
                &at("name"),
                quoted(&leg.name),
                "is too long",
                &format!("at most {MAX_LEG_NAME_CHARS} characters"),
            );
        } else if let Some(first) = r.legs[..i].iter().position(|l| same_name(&l.name, &leg.name)) {
            c.push(
                &at("name"),
                quoted(&leg.name),
                &format!("repeats routing.legs[{first}].name"),
                "a name of its own for each leg",
            );
        }
        let refuse = |c: &mut Checker, f: &str, v: f64, why: &str, accepted: &str| {
            c.push(&at(f), fmt_num(v), why, accepted);
        };
        match r.pattern {
            RoutingPattern::Router => {
                if leg.share.is_none() {
                    c.push(
                        &at("share"),
                        "nothing",
                        "is missing",
                        "the share (0 to 1) of requests the router sends to this leg",
                    );
                }
                if let Some(e) = leg.escalation {
                    refuse(
                        c,
                        "escalation",
                        e,
                        "is for a Cascade",
                        "a `share` for each leg of a Router",
                    );
                }
                if let Some(a) = leg.attempt_output_tokens {
                    refuse(
                        c,
                        "attempt_output_tokens",
                        a,
                        "is for a Cascade",
                        "nothing, for a Router's leg",
                    );
                }
            }
            RoutingPattern::Cascade => {
                if let Some(v) = leg.share {
                    refuse(
                        c,
                        "share",
                        v,
                        "is for a Router",
                        "an `escalation` rate for each leg after a Cascade's first",
                    );
                }
                match (i, leg.escalation) {
                    (0, Some(e)) => refuse(
                        c,
                        "escalation",
                        e,
                        "is given for the first leg, which takes every request",
                        "no escalation on the first leg of a Cascade",
                    ),
                    (0, None) => {}
                    (_, None) => c.push(
                        &at("escalation"),
                        "nothing",
                        "is missing",
                        "the share (0 to 1) of the previous leg's requests that escalate to this one",
                    ),
                    (_, Some(_)) => {}
                }
                if i + 1 == n
                    && let Some(a) = leg.attempt_output_tokens
                {
                    refuse(
                        c,
                        "attempt_output_tokens",
                        a,
                        "is given for the last leg, which never escalates",
                        "attempt tokens on the legs a Cascade escalates from",
                    );
                }
            }
        }
        // The leg's own numbers, against the registry's ranges.
        for (f, v) in [
            (LegField::Share, leg.share),
            (LegField::Escalation, leg.escalation),
            (LegField::InputTokens, leg.input_tokens),
            (LegField::OutputTokens, leg.output_tokens),
            (LegField::ReasoningTokens, leg.reasoning_tokens),
            (LegField::TtftMs, leg.ttft_ms),
            (LegField::AttemptOutputTokens, leg.attempt_output_tokens),
        ] {
            let slot = u8::try_from(i.min(MAX_LEGS - 1)).unwrap_or(0);
            if let (Some(v), Some(num)) = (v, field(FieldId::Leg(slot, f)).number()) {
                let path = at(field(FieldId::Leg(slot, f)).key().rsplit('.').next().unwrap_or(""));
                c.range(&path, v, num.min, num.max, num.meaning);
            }
        }
        duplicates(c, &at("models"), &leg.models);
        if let Some(own) = &leg.residency
            && !narrows(&s.residency, own)
        {
            c.push(
                &at("residency"),
                crate::scenario::edit::residency_text(own),
                &format!(
                    "is looser than the scenario's {}",
                    crate::scenario::edit::residency_text(&s.residency)
                ),
                "the scenario's residency or a stricter one (OnPremises, AirGapped, a region inside its data zone)",
            );
        }
    }
    if r.pattern == RoutingPattern::Router {
        let sum: f64 = r.legs.iter().filter_map(|l| l.share).sum();
        if r.legs.iter().all(|l| l.share.is_some_and(f64::is_finite)) && (sum - 1.0).abs() > SHARE_TOLERANCE {
            c.push(
                "routing.legs",
                format!("shares summing to {}", fmt_num(sum)),
                "do not cover every request once",
                &format!("router shares that sum to 1 ({pattern}: every request goes to exactly one leg)"),
            );
        }
    }
}

/// How far a router's shares may miss 1: rounding in a hand-written file (three legs at
/// 0.33333 miss by 1e-5), never a request in a hundred thousand.
pub const SHARE_TOLERANCE: f64 = 2e-5;

/// Two leg names a reader cannot tell apart: equal but for case and surrounding spaces.
fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// Whether a leg's residency keeps data at least as close as the scenario's: the same, owned
/// hardware under anything, air-gapped under on-premises, anything under Global, a region
/// under a data zone (whether the region is in the zone is the catalog's to say).
pub fn narrows(scenario: &Residency, leg: &Residency) -> bool {
    use Residency::*;
    match (scenario, leg) {
        (a, b) if a == b => true,
        (Global, _) => true,
        (_, AirGapped) => true,
        (OnPremises, _) | (AirGapped, _) => false,
        (_, OnPremises) => true,
        (DataZone(_), Region(_)) => true,
        _ => false,
    }
}

/// All checks, including ids against the catalog (unknown ids come with close matches).
pub fn validate_with_catalog(s: &Scenario, catalog: &Catalog) -> Vec<Issue> {
    let mut issues = validate(s);
    // Close matches are looked for only among the first unknown ids and for ids of a sane
    // length: a generated file with thousands of long unknown ids must not take minutes.
    let mut suggested = 0usize;
    let mut unknown = |field: String, id: &str, kind: &str, suggest: &dyn Fn(&str) -> Vec<String>, list_cmd: &str| {
        let suggestions = if suggested < MAX_SUGGESTED && id.len() <= MAX_ID_LEN {
            suggested += 1;
            suggest(id)
        } else {
            Vec::new()
        };
        issues.push(Issue {
            field,
            value: quoted(id),
            problem: format!("is not a known {kind} id"),
            accepted: format!("an id from `llmcap catalog {list_cmd}`"),
            hint: hint_for(&suggestions),
        });
    };
    for (i, id) in s.models.iter().enumerate() {
        if catalog.model(id).is_none() {
            unknown(
                format!("models[{i}]"),
                id,
                "model",
                &|id| catalog.suggest_models(id),
                "models",
            );
        }
    }
    for (i, id) in s.self_hosting.gpus.iter().enumerate() {
        if catalog.gpu(id).is_none() {
            unknown(
                format!("self_hosting.gpus[{i}]"),
                id,
                "GPU",
                &|id| catalog.suggest_gpus(id),
                "gpus",
            );
        }
    }
    if catalog.region(&s.pricing.region).is_none() {
        unknown(
            "pricing.region".to_string(),
            &s.pricing.region,
            "region",
            &|id| catalog.suggest_regions(id),
            "vms",
        );
    }
    if let Some(r) = &s.routing {
        for (i, leg) in r.legs.iter().enumerate() {
            for (k, id) in leg.models.iter().enumerate() {
                if catalog.model(id).is_none() {
                    unknown(
                        format!("routing.legs[{i}].models[{k}]"),
                        id,
                        "model",
                        &|id| catalog.suggest_models(id),
                        "models",
                    );
                }
            }
        }
        if let crate::scenario::RouterStep::Classifier { model, .. } = &r.router
            && catalog.model(model).is_none()
        {
            unknown(
                "routing.router.model".to_string(),
                model,
                "model",
                &|id| catalog.suggest_models(id),
                "models",
            );
        }
    }
    if let Residency::Region(r) = &s.residency
        && !r.trim().is_empty()
        && catalog.region(r).is_none()
    {
        unknown(
            "residency".to_string(),
            r,
            "region",
            &|id| catalog.suggest_regions(id),
            "vms",
        );
    }
    let mut closed_legs = Vec::new();
    if let Some(r) = &s.routing {
        // A leg is satisfiable in principle: a leg kept on owned hardware needs a candidate
        // with open weights (a closed model runs only where its provider serves it).
        for (i, leg) in r.legs.iter().enumerate() {
            let residency = leg.residency.as_ref().unwrap_or(&s.residency);
            if !residency.requires_on_premises() {
                continue;
            }
            let quality = leg.quality.unwrap_or(s.quality);
            let models: Vec<&crate::catalog::Model> = if !leg.models.is_empty() {
                leg.models.iter().filter_map(|id| catalog.model(id)).collect()
            } else if leg.quality.is_none() && !s.models.is_empty() {
                s.models.iter().filter_map(|id| catalog.model(id)).collect()
            } else {
                catalog
                    .models
                    .iter()
                    .filter(|m| !m.benchmark_only && m.tier.meets(quality))
                    .collect()
            };
            // Point at what the file says: the leg's models, its residency, or the leg.
            let at = if !leg.models.is_empty() {
                format!("routing.legs[{i}].models")
            } else if leg.residency.is_some() {
                format!("routing.legs[{i}].residency")
            } else {
                format!("routing.legs[{i}].name")
            };
            if !models.is_empty() && models.iter().all(|m| m.weights != crate::catalog::Weights::Open) {
                closed_legs.push(Issue {
                    field: at,
                    value: quoted(&models.iter().map(|m| m.id.as_str()).collect::<Vec<_>>().join(", ")),
                    problem: format!(
                        "has no open-weight model, and the leg's residency ({}) needs owned hardware",
                        crate::scenario::edit::residency_text(residency)
                    ),
                    accepted: "an open-weight model for a leg on premises (llmcap catalog models: weights open)".into(),
                    hint: None,
                });
            }
        }
    }
    // A leg's own region exists, and inside the scenario's data zone it stays in the zone.
    if let Some(r) = &s.routing {
        for (i, leg) in r.legs.iter().enumerate() {
            let Some(Residency::Region(id)) = &leg.residency else {
                continue;
            };
            let field = format!("routing.legs[{i}].residency");
            match catalog.region(id) {
                None => closed_legs.push(Issue {
                    field,
                    value: quoted(id),
                    problem: "is not a known region id".into(),
                    accepted: "an id from `llmcap catalog vms`".into(),
                    hint: hint_for(&catalog.suggest_regions(id)),
                }),
                Some(region) => {
                    if let Residency::DataZone(zone) = &s.residency
                        && region.zone != Some(*zone)
                    {
                        closed_legs.push(Issue {
                            field,
                            value: format!("Region({id})"),
                            problem: format!("is outside the scenario's data zone {zone:?}"),
                            accepted: format!("a region of the {zone:?} data zone, OnPremises or AirGapped"),
                            hint: None,
                        });
                    }
                }
            }
        }
    }
    issues.extend(closed_legs);
    issues
}

/// Unknown ids that get close-match suggestions, and the longest id that does.
const MAX_SUGGESTED: usize = 20;
const MAX_ID_LEN: usize = 100;

/// An id or name as an issue quotes it: in double quotes, cut to 80 characters, with
/// anything that could drive a terminal or forge a line escaped.
fn quoted(id: &str) -> String {
    let mut cut: String = id.chars().take(80).collect();
    if cut.len() < id.len() {
        cut.push('…');
    }
    format!("\"{}\"", terminal_line(&cut))
}

/// The longest name and notes a scenario may carry: a name is a title, notes a paragraph
/// or two; anything longer is a mistake (and would be copied into every undo step and
/// report).
pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_NOTES_CHARS: usize = 65_536;

/// Ids that appear twice in one list (`models`, `self_hosting.gpus`): each repeat is an
/// issue naming the first place.
fn duplicates<T: std::hash::Hash + Eq + fmt::Debug>(c: &mut Checker, field: &str, items: &[T]) {
    let mut first_at: std::collections::HashMap<&T, usize> = std::collections::HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let first = *first_at.entry(item).or_insert(i);
        if first != i {
            c.push(
                &format!("{field}[{i}]"),
                quoted(format!("{item:?}").trim_matches('"')),
                &format!("repeats {field}[{first}]"),
                "each entry once",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(s: &Scenario) -> Vec<String> {
        validate(s).into_iter().map(|i| i.field).collect()
    }

    #[test]
    fn example_is_valid() {
        assert!(validate(&Scenario::example()).is_empty());
    }

    #[test]
    fn flags_each_range_rule() {
        let mut s = Scenario::example();
        s.workload.requests_per_day = 1e300;
        s.workload.cached_input_share = 1.5;
        s.workload.input_tokens = -3.0;
        s.workload.output_tokens = f64::NAN;
        s.traffic.peak_to_average = 0.5;
        s.pricing.discount = Decimal::new(15, 1);
        s.self_hosting.memory_utilization = 0.99;
        s.self_hosting.min_replicas = Some(0);
        assert_eq!(
            fields(&s),
            [
                "workload.requests_per_day",
                "workload.input_tokens",
                "workload.output_tokens",
                "workload.cached_input_share",
                "traffic.peak_to_average",
                "pricing.discount",
                "self_hosting.min_replicas",
                "self_hosting.memory_utilization",
            ]
        );
        let msg = validate(&s)[3].to_string();
        assert_eq!(
            msg,
            "field `workload.cached_input_share` = 1.5 is too large; accepted: 0 to 1 (share of prompt tokens served from cache)"
        );
    }

    #[test]
    fn custom_pattern_needs_24_nonzero_weights() {
        let mut s = Scenario::example();
        s.traffic.pattern = Pattern::Custom(vec![1.0; 23]);
        assert_eq!(fields(&s), ["traffic.pattern"]);
        s.traffic.pattern = Pattern::Custom(vec![0.0; 24]);
        assert_eq!(fields(&s), ["traffic.pattern"]);
        let mut w = vec![1.0; 24];
        w[5] = f64::INFINITY;
        w[7] = -1.0;
        s.traffic.pattern = Pattern::Custom(w);
        assert_eq!(fields(&s), ["traffic.pattern[5]", "traffic.pattern[7]"]);
    }

    #[test]
    fn numbers_print_as_written() {
        assert_eq!(fmt_num(1e300), "1e300");
        assert_eq!(fmt_num(100000.0), "100000");
        assert_eq!(fmt_num(0.5), "0.5");
        assert_eq!(fmt_num(f64::NEG_INFINITY), "-inf");
    }
}
