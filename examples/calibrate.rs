//! Fits the performance model's efficiencies to the published measurements and reports how
//! well the fit generalises (leave-one-out: each row predicted by a fit that never saw it).
//!
//!     cargo run --release --example calibrate [-- tests/data/measurements.csv]
//!
//! Only GPU families with enough rows are fitted (Ampere and Hopper), plus one global MoE
//! efficiency (every MoE row, on three families, is slower than dense kernels); the rest keep the
//! literature values in `assets/catalog/constants.ron`. The objective is the sum of absolute
//! log errors (robust to outliers, symmetric in over- and under-prediction); each constant
//! stays within a physical range. The printed values are what `constants.ron` records.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a tool: fail loudly

use std::collections::BTreeMap;

use llmcap::catalog::Catalog;
use llmcap::engine::validation::{Measurement, Metric, ape, median, parse_csv, percentile, predicted};

/// The fitted constants and the range each may take.
const PARAMS: &[(&str, f64, f64)] = &[
    ("mbu.ampere", 0.40, 0.90),
    ("mbu.hopper", 0.40, 0.90),
    ("mfu_prefill.ampere", 0.30, 0.85),
    ("mfu_prefill.hopper", 0.25, 0.85),
    ("mfu_decode.ampere", 0.20, 0.85),
    ("mfu_decode.hopper", 0.20, 0.85),
    ("moe_efficiency", 0.30, 1.00),
];
const STEP: f64 = 0.01;

fn loss(catalog: &Catalog, rows: &[&Measurement]) -> f64 {
    rows.iter()
        .map(|m| match predicted(catalog, m) {
            Ok(p) => (p / m.measured).ln().abs(),
            Err(_) => 10.0,
        })
        .sum()
}

/// Coordinate descent on a 0.01 grid, starting from the catalog's values.
fn fit(base: &Catalog, rows: &[&Measurement]) -> Catalog {
    let mut cat = base.clone();
    let mut best = loss(&cat, rows);
    for _sweep in 0..6 {
        let mut improved = false;
        for (id, lo, hi) in PARAMS {
            let current = cat.constant(id).unwrap();
            let mut best_v = current;
            let mut v = *lo;
            while v <= hi + 1e-9 {
                cat.set_constant(id, v);
                let l = loss(&cat, rows);
                if l + 1e-9 < best {
                    best = l;
                    best_v = v;
                    improved = true;
                }
                v += STEP;
            }
            cat.set_constant(id, best_v);
        }
        if !improved {
            break;
        }
    }
    cat
}

fn report(title: &str, errors: &BTreeMap<Metric, Vec<f64>>) {
    println!("\n{title}\n| metric | rows | median | p90 |\n|---|--:|--:|--:|");
    let mut all = Vec::new();
    for (m, e) in errors {
        all.extend(e.iter().copied());
        println!(
            "| {} | {} | {:.1}% | {:.1}% |",
            m.id(),
            e.len(),
            median(e) * 100.0,
            percentile(e, 0.9) * 100.0
        );
    }
    println!(
        "| all | {} | {:.1}% | {:.1}% |",
        all.len(),
        median(&all) * 100.0,
        percentile(&all, 0.9) * 100.0
    );
}

fn errors(cat: &Catalog, rows: &[Measurement]) -> BTreeMap<Metric, Vec<f64>> {
    let mut out: BTreeMap<Metric, Vec<f64>> = BTreeMap::new();
    for m in rows {
        out.entry(m.metric)
            .or_default()
            .push(ape(predicted(cat, m).unwrap(), m.measured));
    }
    out
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "tests/data/measurements.csv".to_string());
    let rows = parse_csv(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let base = Catalog::embedded().unwrap();

    report("Catalog as shipped", &errors(&base, &rows));

    let all: Vec<&Measurement> = rows.iter().collect();
    let fitted = fit(&base, &all);
    println!("\nFitted on all {} rows:", rows.len());
    for (id, _, _) in PARAMS {
        println!(
            "  {id:<22} {:.2}  (was {:.2})",
            fitted.constant(id).unwrap(),
            base.constant(id).unwrap()
        );
    }
    let in_sample = errors(&fitted, &rows);
    report("In-sample (fitted on every row)", &in_sample);

    let mut loo: BTreeMap<Metric, Vec<f64>> = BTreeMap::new();
    let mut spread: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for (i, held_out) in rows.iter().enumerate() {
        let train: Vec<&Measurement> = rows
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, m)| m)
            .collect();
        let cat = fit(&base, &train);
        let e = ape(predicted(&cat, held_out).unwrap(), held_out.measured);
        loo.entry(held_out.metric).or_default().push(e);
        for (id, _, _) in PARAMS {
            let v = cat.constant(id).unwrap();
            let s = spread.entry(id).or_insert((v, v));
            *s = (s.0.min(v), s.1.max(v));
        }
    }
    report("Leave-one-out (each row predicted by a fit without it)", &loo);
    println!("\nRange of each constant across the {} leave-one-out fits:", rows.len());
    for (id, (lo, hi)) in &spread {
        println!("  {id:<22} {lo:.2} to {hi:.2}");
    }
}
