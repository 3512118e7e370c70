//! Hostile input at scale: whatever bytes a scenario or catalog file holds, llmcap answers
//! with a result or an error that points somewhere, never a panic; whatever valid scenario it
//! is given, every report comes out with finite numbers and no negative money.
//!
//! CI runs 1,000 cases per property (256 for catalog overrides), 3,256 in all. For the long run recorded in BENCHMARKS.md:
//! `LLMCAP_FUZZ_CASES=100000 cargo test --release --test robustness`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

mod common;
use common::cases;

use std::sync::OnceLock;

use llmcap::catalog::Catalog;
use llmcap::engine::evaluate::evaluate;
use llmcap::report;
use llmcap::scenario::{self, LoadError, Pattern, Residency, Scenario, validate_with_catalog};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| Catalog::embedded().unwrap())
}

fn case_files() -> &'static Vec<(String, String)> {
    static F: OnceLock<Vec<(String, String)>> = OnceLock::new();
    F.get_or_init(|| {
        let mut v: Vec<(String, String)> = std::fs::read_dir("scenarios")
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "ron"))
            .map(|p| (p.display().to_string(), std::fs::read_to_string(&p).unwrap()))
            .collect();
        v.sort();
        v
    })
}

/// Runs everything a file can reach: parse, validate, evaluate, every report format.
fn exercise(text: &str) {
    match scenario::parse_str(text, "fuzz.ron") {
        Ok(s) => {
            if validate_with_catalog(&s, catalog()).is_empty() {
                check_reports(&s);
            }
        }
        Err(e) => {
            let msg = e.to_string();
            assert!(msg.starts_with("fuzz.ron"), "error without the file name: {msg}");
            if let LoadError::Parse { pos, .. } | LoadError::Version { pos, .. } = &e {
                assert!(pos.0 >= 1 && pos.1 >= 1, "{msg}");
                assert!(msg.starts_with(&format!("fuzz.ron:{}:{}: ", pos.0, pos.1)), "{msg}");
            }
        }
    }
}

fn check_reports(s: &Scenario) {
    // With LLMCAP_FUZZ_TRACE=FILE each input is written there first: a run that hangs leaves
    // the culprit behind.
    if let Ok(path) = std::env::var("LLMCAP_FUZZ_TRACE") {
        let name = format!("{path}.{:?}", std::thread::current().id()).replace(['(', ')'], "");
        let _ = std::fs::write(name, scenario::to_ron_string(s).unwrap_or_default());
    }
    let started = std::time::Instant::now();
    let plan = evaluate(s, catalog(), "2026-12-01".parse::<llmcap::date::Date>().unwrap()).unwrap();
    if started.elapsed().as_secs_f64() > 2.0 {
        eprintln!(
            "SLOW {:?}: {}",
            started.elapsed(),
            scenario::to_ron_string(s).unwrap_or_default().replace('\n', " ")
        );
    }
    for o in &plan.options {
        if let Some(c) = o.monthly_cost_usd {
            assert!(c >= Decimal::ZERO, "{} {}: {c}", o.option, o.model);
        }
        for l in &o.cost_breakdown {
            // Lines may be negative only as a discount.
            assert!(
                l.usd >= Decimal::ZERO || l.item.starts_with("negotiated discount"),
                "{}",
                l.item
            );
        }
        for v in [o.latency.ttft_ms, o.latency.output_tokens_per_s].into_iter().flatten() {
            assert!(v.is_finite() && v >= 0.0, "{} {}: {v}", o.option, o.model);
        }
    }
    let json = serde_json::to_string(&plan).unwrap();
    let back: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(back["options"].is_array());
    let text = report::text::summary(&plan);
    let md = report::markdown::summary(s, &plan);
    let html = report::html::report(s, &plan);
    let csv = report::csv::options(&plan);
    for (name, out) in [("text", &text), ("markdown", &md), ("html", &html), ("csv", &csv)] {
        for bad in ["NaN", "inf ", "-0.00"] {
            // The reports quote the scenario's own name, notes and leg names; only figures
            // are judged.
            let leg_names = s.routing.iter().flat_map(|r| r.legs.iter().map(|l| l.name.as_str()));
            if s.name.contains(bad) || s.notes.contains(bad) || leg_names.clone().any(|n| n.contains(bad)) {
                continue;
            }
            if let Some(i) = out.find(bad) {
                let from = out[..i].char_indices().rev().nth(80).map_or(0, |c| c.0);
                let to = out[i..].char_indices().nth(60).map_or(out.len(), |c| i + c.0);
                panic!("{name} report has {bad:?}: {:?}", &out[from..to]);
            }
        }
    }
    roxmltree::Document::parse_with_options(
        &html,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .unwrap();
}

/// A byte-level mutation of a text: flip, insert, delete or duplicate a span.
fn mutate(text: &str, ops: &[(u8, usize, u8)]) -> Vec<u8> {
    let mut b = text.as_bytes().to_vec();
    for &(kind, at, byte) in ops {
        if b.is_empty() {
            b.push(byte);
            continue;
        }
        let i = at % b.len();
        match kind % 5 {
            0 => b[i] = byte,
            1 => b.insert(i, byte),
            2 => {
                b.remove(i);
            }
            3 => {
                let end = (i + 1 + usize::from(byte) % 40).min(b.len());
                let span: Vec<u8> = b[i..end].to_vec();
                b.splice(i..i, span);
            }
            _ => {
                // Swap in a token that RON knows: shapes, numbers, names.
                let tokens: [&[u8]; 12] = [
                    b"(", b")", b"[", b"]", b",", b":", b"\"", b"1e309", b"-0", b"NaN", b"Custom(", b"//",
                ];
                let t = tokens[usize::from(byte) % tokens.len()];
                b.splice(i..i, t.iter().copied());
            }
        }
    }
    b
}

/// Random RON-like text from a small grammar of values.
fn ron_value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| format!("{f:?}")),
        "[a-zA-Z_][a-zA-Z0-9_]{0,12}".prop_map(|s| s),
        "\"[^\"\\\\]{0,20}\"".prop_map(|s| s),
        Just("true".to_string()),
        Just("()".to_string()),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec(("[a-z_]{1,18}", inner.clone()), 0..6).prop_map(|v| format!(
                "({})",
                v.into_iter()
                    .map(|(k, x)| format!("{k}: {x}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            ("[A-Z][a-zA-Z]{0,10}", inner).prop_map(|(n, x)| format!("{n}({x})")),
        ]
    })
}

/// Valid scenarios at the edges of every range the format allows.
fn extreme_scenario() -> impl Strategy<Value = Scenario> {
    let big = prop_oneof![Just(0.0), Just(1.0), Just(1e10), 0.0f64..1e10];
    let tokens = prop_oneof![Just(1.0), Just(10_000_000.0), 1.0f64..10_000_000.0];
    (
        big,
        tokens.clone(),
        tokens,
        prop_oneof![Just(0.0), Just(1.0), 0.0f64..1.0],
        prop_oneof![Just(1.0), Just(1440.0), 1.0f64..1440.0],
        prop_oneof![Just(1.0), Just(86_400_000.0), 1.0f64..86_400_000.0],
        prop_oneof![Just(0.0), Just(100_000.0), 0.0f64..100_000.0],
        prop_oneof![
            Just(Residency::Global),
            Just(Residency::AirGapped),
            Just(Residency::Region("swedencentral".into())),
            Just(Residency::Region("usgovarizona".into()))
        ],
        prop_oneof![
            Just(Pattern::Steady),
            prop::collection::vec(prop_oneof![Just(0.0), 0.0f64..1e6], 24).prop_map(|mut w| {
                w[0] += 1.0;
                Pattern::Custom(w)
            })
        ],
        (
            1u32..10_000,
            0u32..=100,
            0.5f64..0.98,
            prop_oneof![Just(0u64), Just(10_000_000u64), 0u64..10_000_000],
        ),
    )
        .prop_map(
            |(rpd, input, output, cached, peak, ttft, tps, residency, pattern, (min_replicas, discount, mem, cost))| {
                let mut s = Scenario::example();
                s.workload.requests_per_day = rpd;
                s.workload.input_tokens = input;
                s.workload.output_tokens = output;
                s.workload.cached_input_share = cached;
                s.workload.reasoning_tokens = 0.0;
                s.traffic.peak_to_average = peak;
                s.traffic.pattern = pattern;
                s.latency.ttft_ms = ttft;
                s.latency.output_tokens_per_s = tps;
                s.residency = residency;
                s.quality = llmcap::scenario::Tier::Compact;
                s.self_hosting.min_replicas = Some(min_replicas);
                s.self_hosting.memory_utilization = mem;
                s.pricing.discount = Decimal::new(i64::from(discount), 2);
                s.team.engineer_monthly_cost = Decimal::from(cost);
                s
            },
        )
}

proptest! {
    #![proptest_config(cases(1000))]

    #[test]
    fn mutated_case_files_never_panic(file in 0usize..64, ops in prop::collection::vec((any::<u8>(), any::<usize>(), any::<u8>()), 1..6)) {
        let files = case_files();
        let (_, text) = &files[file % files.len()];
        let bytes = mutate(text, &ops);
        // Files that are not UTF-8 are refused before parsing; the rest go all the way.
        if let Ok(text) = String::from_utf8(bytes) {
            exercise(&text);
        }
    }

    #[test]
    fn random_ron_shapes_never_panic(body in ron_value(), named in any::<bool>()) {
        let text = if named { format!("Scenario{body}") } else { body };
        exercise(&text);
    }

    #[test]
    fn extreme_valid_scenarios_report_sane_figures(s in extreme_scenario()) {
        prop_assume!(validate_with_catalog(&s, catalog()).is_empty());
        check_reports(&s);
        // And they survive a save and a load unchanged.
        let text = scenario::to_ron_string(&s).unwrap();
        prop_assert_eq!(scenario::parse_str(&text, "mem").unwrap(), s);
    }
}

proptest! {
    #![proptest_config(cases(256))]

    /// Override files with mutated bytes: a clean catalog or an error that names the file.
    #[test]
    fn mutated_catalog_overrides_never_panic(file in 0usize..9, ops in prop::collection::vec((any::<u8>(), any::<usize>(), any::<u8>()), 1..4)) {
        let names = llmcap::catalog::FILES;
        let name = names[file % names.len()];
        let original = std::fs::read_to_string(format!("assets/catalog/{name}")).unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(name), mutate(&original, &ops)).unwrap();
        match Catalog::load(Some(dir.path())) {
            Ok(c) => {
                // A mutation that still parses must leave a usable catalog.
                let _ = evaluate(&Scenario::example(), &c, "2026-12-01".parse::<llmcap::date::Date>().unwrap());
            }
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(msg.starts_with("catalog: "), "{}", msg);
                prop_assert!(msg.contains(name) || msg.contains("constants.ron") || msg.contains(".ron"), "{}", msg);
            }
        }
    }
}
