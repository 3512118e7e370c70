//! Validation of a parsed scenario into field-level issues.
//!
//! Parsing already guarantees the shape (types, known fields, known variants); this checks
//! values: ranges, finiteness, and ids against the catalog. Every issue names the field path,
//! the value found and what is accepted, so a person can fix it without reading the spec.

use std::fmt;

use rust_decimal::Decimal;

use super::fields::{Access, FIELDS, FieldId, Kind, Number};
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

    c.issues
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
