//! Calibration report: every published measurement in tests/data/measurements.csv is run
//! through `predict` (the same code path as `llmcap predict`), and the absolute percentage
//! error is reported per row, with the median and 90th percentile per metric. The test fails
//! when a metric's median error on these (fitted) rows exceeds 15%; the error on rows a fit
//! never saw is reported by `cargo run --release --example calibrate` (BENCHMARKS.md).
//!
//! `cargo test --test calibration -- --nocapture` prints the table recorded in BENCHMARKS.md.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use std::collections::BTreeMap;

use llmcap::catalog::Catalog;
use llmcap::engine::validation::{Metric, ape, median, parse_csv, percentile, predicted};

const MEDIAN_BOUND: f64 = 0.15;

#[test]
fn calibration_report() {
    let catalog = Catalog::embedded().unwrap();
    let rows = parse_csv(&std::fs::read_to_string("tests/data/measurements.csv").unwrap()).unwrap();
    assert!(rows.len() >= 229, "expected the published rows, found {}", rows.len());
    let mut by_metric: BTreeMap<Metric, Vec<f64>> = BTreeMap::new();
    println!(
        "| case | metric | model | GPU | tp | prec | in | out | conc | measured | predicted | error | engine |\n|---|---|---|---|--:|---|--:|--:|--:|--:|--:|--:|---|"
    );
    for r in &rows {
        let p = predicted(&catalog, r).unwrap();
        let err = ape(p, r.measured);
        by_metric.entry(r.metric).or_default().push(err);
        let conc = r.concurrency;
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.1} | {:.1} | {:.1}% | {} |",
            r.case,
            r.metric.id(),
            r.model,
            r.gpu,
            r.tp,
            r.precision.id(),
            r.input,
            r.output,
            conc,
            r.measured,
            p,
            err * 100.0,
            r.engine
        );
    }
    println!("\n| metric | rows | median | p90 |\n|---|--:|--:|--:|");
    let mut failures = Vec::new();
    let mut all = Vec::new();
    for (metric, errs) in &by_metric {
        all.extend(errs.iter().copied());
        let med = median(errs);
        println!(
            "| {} | {} | {:.1}% | {:.1}% |",
            metric.id(),
            errs.len(),
            med * 100.0,
            percentile(errs, 0.9) * 100.0
        );
        if med > MEDIAN_BOUND {
            failures.push(format!(
                "{}: median {:.1}% > {:.0}%",
                metric.id(),
                med * 100.0,
                MEDIAN_BOUND * 100.0
            ));
        }
    }
    println!(
        "| all | {} | {:.1}% | {:.1}% |",
        all.len(),
        median(&all) * 100.0,
        percentile(&all, 0.9) * 100.0
    );
    // Every metric of the issue is represented.
    for m in [
        Metric::OutputTokensPerS,
        Metric::OutputTokensPerSPerRequest,
        Metric::TtftMs,
    ] {
        assert!(
            by_metric.get(&m).is_some_and(|v| v.len() >= 5),
            "too few rows for {}",
            m.id()
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("; "));
}
