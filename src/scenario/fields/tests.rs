use crate::scenario::routing;

use super::*;

/// Leaf paths of a scenario as serialised: an object whose path the registry names is
/// a leaf (enums with data such as `DataZone(Eu)` are one field).
fn leaves(v: &serde_json::Value, path: &str, known: &[&str], out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(map) if !known.contains(&path) => {
            for (k, v) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                leaves(v, &p, known, out);
            }
        }
        // A list of groups (routing legs): each element's fields, by index.
        serde_json::Value::Array(items) if !items.is_empty() && items.iter().all(|x| x.is_object()) => {
            for (i, item) in items.iter().enumerate() {
                leaves(item, &format!("{path}[{i}]"), known, out);
            }
        }
        _ => out.push(path.to_string()),
    }
}

/// A scenario where every routing field applies: a router (shares) or a cascade
/// (escalations, attempts) with every leg slot filled.
fn routed(pattern: RoutingPattern) -> Scenario {
    let mut s = Scenario::example();
    s.routing = Some(routing::with_every_field(pattern, crate::scenario::MAX_LEGS));
    s
}

/// The fixture a field applies in, if any.
fn fixture_for(id: FieldId) -> Option<Scenario> {
    let plain = Scenario::example();
    if id.applies(&plain) && !matches!(id, FieldId::RoutingPattern) {
        return Some(plain);
    }
    let mut fee = routed(RoutingPattern::Router);
    if let Some(r) = fee.routing.as_mut() {
        r.router = RouterStep::PerRequest {
            usd: Decimal::new(1, 4),
        };
    }
    [routed(RoutingPattern::Router), routed(RoutingPattern::Cascade), fee]
        .into_iter()
        .find(|s| id.applies(s))
}

#[test]
fn every_field_of_the_format_is_registered_once() {
    let known: Vec<&str> = FIELDS.iter().map(|f| f.path).collect();
    // A scenario with every optional group and enum-with-data filled in.
    let mut s = Scenario::example();
    s.residency = crate::scenario::Residency::DataZone(crate::vocab::Zone::Eu);
    s.traffic.pattern = crate::scenario::Pattern::Custom(vec![1.0; 24]);
    s.self_hosting.min_replicas = Some(3);
    // Fields written only when they differ from their default.
    s.self_hosting.sites = crate::scenario::Sites::Both;
    s.latency.ttft_percentile = 99.0;
    s.team.databricks = true;
    s.team.platform_fte = 0.5;
    s.fine_tuning = Some(crate::scenario::FineTuning {
        training_usd_per_million: Some(Decimal::TWO),
        ..crate::scenario::FineTuning::default()
    });
    let mut found = Vec::new();
    leaves(&serde_json::to_value(&s).unwrap_or_default(), "", &known, &mut found);
    // Both patterns (a cascade's escalations and attempts, a router's shares), with a
    // classifier; the fee's variant is checked below.
    for pattern in RoutingPattern::ALL {
        let mut r = s.clone();
        let mut g = routing::with_every_field(pattern, crate::scenario::MAX_LEGS);
        // Every slot carries every leg field (a cascade's first escalation and last
        // attempt are refused by the validator, but they are slots of the format).
        for l in &mut g.legs {
            l.escalation = l.escalation.or(Some(0.5));
            l.attempt_output_tokens = l.attempt_output_tokens.or(Some(10.0));
        }
        r.routing = Some(g);
        leaves(&serde_json::to_value(&r).unwrap_or_default(), "", &known, &mut found);
    }
    // The router is one row for its kind and one a field of its variant: the variants'
    // fields are the registry's `routing.router.*`.
    let router_fields = [
        "routing.router.model",
        "routing.router.input_tokens",
        "routing.router.output_tokens",
        "routing.router.usd",
    ];
    found.extend(router_fields.iter().map(|p| p.to_string()));
    let fee = serde_json::to_value(RouterStep::PerRequest { usd: Decimal::ONE }).unwrap_or_default();
    assert!(fee["PerRequest"]["usd"].is_string(), "{fee}");
    let classifier =
        serde_json::to_value(routing::with_every_field(RoutingPattern::Router, 2).router).unwrap_or_default();
    for f in ["model", "input_tokens", "output_tokens"] {
        assert!(!classifier["Classifier"][f].is_null(), "{classifier}");
    }
    for leaf in &found {
        assert!(
            leaf == "version" || known.contains(&leaf.as_str()),
            "scenario field `{leaf}` is missing from the registry"
        );
    }
    for path in &known {
        assert!(
            found.iter().any(|l| l == path),
            "registry path `{path}` is not a scenario field"
        );
    }
    // The pattern has two editor rows (its kind and its weights); every other path one.
    let mut ids: Vec<&str> = known.clone();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), FIELDS.len() - 1);
}

#[test]
fn numeric_fields_read_back_what_they_set() {
    for (f, n) in numeric() {
        let Some(mut s) = fixture_for(f.id) else { continue };
        let v = if n.whole() {
            n.max.min(7.0).max(n.min)
        } else {
            (n.min + n.max) / 2.0
        };
        n.set_f64(&mut s, v);
        let back = n.value(&s).unwrap_or(f64::NAN);
        assert!(
            (back - v).abs() <= 1e-9 * v.abs().max(1.0),
            "{}: set {v}, read {back}",
            f.path
        );
        assert!(n.min <= n.max, "{}", f.path);
    }
}

/// The validator refuses exactly what the registry's range excludes, at both ends.
#[test]
fn the_validator_holds_every_number_to_its_registered_range() {
    let issues_at = |s: &Scenario, path: &str| {
        crate::scenario::validate(s)
            .into_iter()
            .filter(|i| i.field == path)
            .count()
    };
    for (f, n) in numeric() {
        for (v, ok) in [
            (n.min, true),
            (n.max, true),
            (n.max * 2.0 + 1.0, false),
            (n.min - 1.0, false),
        ] {
            if v < 0.0 && n.whole() {
                continue; // a whole field cannot hold a negative number at all
            }
            let Some(mut s) = fixture_for(f.id) else { continue };
            n.set_f64(&mut s, v);
            let found = issues_at(&s, f.path);
            assert_eq!(found == 0, ok, "{} = {v}: {found} issues", f.path);
        }
    }
}

#[test]
fn sweep_names_are_keys_or_paths() {
    // 20 scenario numbers, the classifier's two and the fee, and 7 for each leg slot.
    assert_eq!(numeric().count(), 20 + 3 + 7 * crate::scenario::MAX_LEGS);
    assert!(numeric_by_name("legs[1].share").is_some());
    assert!(numeric_by_name("routing.legs[1].share").is_some());
    assert!(numeric_by_name("router.input_tokens").is_some());
    assert!(
        numeric_keys().contains("legs[N].share, legs[N].escalation"),
        "{}",
        numeric_keys()
    );
    assert!(!numeric_keys().contains("legs[1]"));
    assert!(numeric_by_name("requests_per_day").is_some());
    assert!(numeric_by_name("workload.requests_per_day").is_some());
    assert!(numeric_by_name("residency").is_none());
    assert!(numeric_keys().starts_with("requests_per_day, input_tokens, output_tokens"));
}
