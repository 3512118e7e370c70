//! Fits the performance model's efficiencies to the published measurements and reports how
//! well the fit generalises: each row predicted by a fit that never saw it (leave-one-row-out),
//! each source family predicted by a fit on the others (leave-one-source-out) and each GPU
//! predicted by a fit on the other GPUs (leave-one-GPU-out).
//!
//!     cargo run --release --example calibrate [-- tests/data/measurements.csv]
//!
//! The fitted constants are listed in `PARAMS` with the physical range each may take; GPU
//! families without rows of their own (Turing, Blackwell, CDNA3) keep the literature values
//! in `assets/catalog/constants.ron`. The objective is the sum of absolute log errors (robust
//! to outliers, symmetric in over- and under-prediction). The printed values are what
//! `constants.ron` records.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a tool: fail loudly

use std::collections::BTreeMap;

use llmcap::catalog::Catalog;
use llmcap::engine::validation::{Measurement, Metric, ape, median, parse_csv, percentile, predicted};

/// The fitted constants and the range each may take (a physical range, not a free one).
const PARAMS: &[(&str, f64, f64)] = &[
    ("mbu.ampere", 0.40, 0.90),
    ("mbu.hopper", 0.40, 0.90),
    ("mbu.ada", 0.40, 0.90),
    ("mfu_prefill.ampere", 0.30, 0.85),
    ("mfu_prefill.hopper", 0.25, 0.85),
    ("mfu_prefill.ada", 0.25, 0.85),
    ("mfu_decode.ampere", 0.20, 0.85),
    ("mfu_decode.hopper", 0.20, 0.85),
    ("mfu_decode.ada", 0.20, 0.85),
    ("moe_efficiency", 0.30, 1.00),
    ("allreduce_bw_efficiency_nvlink", 0.30, 1.00),
    ("allreduce_bw_efficiency_pcie", 0.10, 1.00),
    ("kv_read_efficiency", 0.30, 1.00),
];
/// Grid step of each coordinate, as a share of its range.
const STEPS: usize = 70;

fn loss(catalog: &Catalog, rows: &[&Measurement]) -> f64 {
    rows.iter()
        .map(|m| match predicted(catalog, m) {
            Ok(p) => (p / m.measured).ln().abs(),
            Err(_) => 10.0,
        })
        .sum()
}

/// Coordinate descent on a grid of `STEPS` points per range, then on a grid ten times finer
/// around each value, starting from `start`.
fn fit(start: &Catalog, rows: &[&Measurement]) -> Catalog {
    fit_passes(start, rows, 0)
}

/// The fit from pass `first` on: 0 searches each whole range, 1 only the fine grid around the
/// starting values (enough for leave-one-row-out, where one row barely moves the optimum).
fn fit_passes(start: &Catalog, rows: &[&Measurement], first: usize) -> Catalog {
    let mut cat = start.clone();
    let mut best = loss(&cat, rows);
    for pass in first..2 {
        for _sweep in 0..6 {
            let mut improved = false;
            for (id, lo, hi) in PARAMS {
                let Some(current) = cat.constant(id) else { continue };
                let step = (hi - lo) / STEPS as f64;
                let (from, to, step) = if pass == 0 {
                    (*lo, *hi, step)
                } else {
                    ((current - step).max(*lo), (current + step).min(*hi), step / 10.0)
                };
                let mut best_v = current;
                let mut v = from;
                while v <= to + 1e-9 {
                    cat.set_constant(id, v);
                    let l = loss(&cat, rows);
                    if l + 1e-9 < best {
                        best = l;
                        best_v = v;
                        improved = true;
                    }
                    v += step;
                }
                cat.set_constant(id, best_v);
            }
            if !improved {
                break;
            }
        }
    }
    cat
}

type Errors = BTreeMap<Metric, Vec<f64>>;

fn report(title: &str, errors: &Errors) {
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

/// Error of one row; a row the model says does not fit counts as 100%.
fn row_error(cat: &Catalog, m: &Measurement) -> f64 {
    predicted(cat, m).map_or(1.0, |p| ape(p, m.measured))
}

fn errors(cat: &Catalog, rows: &[Measurement]) -> Errors {
    let mut out: Errors = BTreeMap::new();
    for m in rows {
        out.entry(m.metric).or_default().push(row_error(cat, m));
    }
    out
}

/// The publication a row comes from, so that one document's rows are held out together.
fn source_family(m: &Measurement) -> String {
    let s = &m.source;
    if s.contains("perf-overview") && s.contains("0.14.0") {
        "TensorRT-LLM perf-overview v0.14".to_string()
    } else if s.contains("perf-overview") {
        "TensorRT-LLM perf-overview v1.0".to_string()
    } else if s.contains("performance.md") {
        "TensorRT-LLM performance.md v0.5-v0.6".to_string()
    } else if s.contains("Falcon") {
        "TensorRT-LLM H200 blog".to_string()
    } else if s.contains("Databricks") {
        "Databricks blog".to_string()
    } else {
        m.engine.clone()
    }
}

/// Fits without each group in turn and predicts the group's rows. `threads` fits run at once.
type Held = (
    Errors,
    BTreeMap<String, (usize, f64)>,
    BTreeMap<&'static str, (f64, f64)>,
);

fn held_out(
    start: &Catalog,
    rows: &[Measurement],
    first_pass: usize,
    group: impl Fn(usize, &Measurement) -> String,
) -> Held {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, m) in rows.iter().enumerate() {
        groups.entry(group(i, m)).or_default().push(i);
    }
    let keys: Vec<(String, Vec<usize>)> = groups.into_iter().collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).max(1);
    let chunk = keys.len().div_ceil(threads).max(1);
    let results: Vec<(String, Vec<(usize, f64)>, Vec<f64>)> = std::thread::scope(|s| {
        let handles: Vec<_> = keys
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|(name, held)| {
                            let train: Vec<&Measurement> = rows
                                .iter()
                                .enumerate()
                                .filter(|(j, _)| !held.contains(j))
                                .map(|(_, m)| m)
                                .collect();
                            // Warm start from the all-rows fit: the same optimum, found sooner.
                            let cat = fit_passes(start, &train, first_pass);
                            let errs = held.iter().map(|&i| (i, row_error(&cat, &rows[i]))).collect();
                            let values = PARAMS
                                .iter()
                                .map(|(id, _, _)| cat.constant(id).unwrap_or(f64::NAN))
                                .collect();
                            (name.clone(), errs, values)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let mut out: Errors = BTreeMap::new();
    let mut per_group = BTreeMap::new();
    let mut spread: BTreeMap<&'static str, (f64, f64)> = BTreeMap::new();
    for (name, errs, values) in results {
        let e: Vec<f64> = errs.iter().map(|(_, e)| *e).collect();
        per_group.insert(name, (e.len(), median(&e)));
        for (i, e) in errs {
            out.entry(rows[i].metric).or_default().push(e);
        }
        for ((id, _, _), v) in PARAMS.iter().zip(values) {
            let s = spread.entry(*id).or_insert((v, v));
            *s = (s.0.min(v), s.1.max(v));
        }
    }
    (out, per_group, spread)
}

fn groups_table(title: &str, per_group: &BTreeMap<String, (usize, f64)>) {
    println!("\n{title}\n| held out | rows | median error |\n|---|--:|--:|");
    for (name, (n, med)) in per_group {
        println!("| {name} | {n} | {:.1}% |", med * 100.0);
    }
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
        if let (Some(v), Some(was)) = (fitted.constant(id), base.constant(id)) {
            println!("  {id:<32} {v:.3}  (was {was:.3})");
        }
    }
    report("In-sample (fitted on every row)", &errors(&fitted, &rows));
    if std::env::var_os("CALIBRATE_QUICK").is_some() {
        // Signed errors of the fitted model, for reading where it is biased.
        for m in &rows {
            let p = predicted(&fitted, m).unwrap_or(f64::NAN);
            println!(
                "ROW {} {} {} {} tp{} {} {}/{} {:?} meas {:.1} pred {:.1} err {:+.1}%",
                m.case,
                m.metric.id(),
                m.model,
                m.gpu,
                m.tp,
                m.precision.id(),
                m.input,
                m.output,
                m.concurrency,
                m.measured,
                p,
                (p / m.measured - 1.0) * 100.0
            );
        }
        return;
    }

    // Warm-started from the all-rows fit, refined on the fine grid.
    let (loo, _, spread) = held_out(&fitted, &rows, 1, |i, _| format!("{i:05}"));
    report("Leave-one-row-out (each row predicted by a fit without it)", &loo);
    println!(
        "\nRange of each constant across the {} leave-one-row-out fits:",
        rows.len()
    );
    for (id, (lo, hi)) in &spread {
        println!("  {id:<32} {lo:.3} to {hi:.3}");
    }

    let (loso, per_source, _) = held_out(&fitted, &rows, 0, |_, m| source_family(m));
    report(
        "Leave-one-source-out (each publication predicted by a fit on the others)",
        &loso,
    );
    groups_table("Per source held out", &per_source);

    let (logo, per_gpu, _) = held_out(&fitted, &rows, 0, |_, m| m.gpu.clone());
    report(
        "Leave-one-GPU-out (each GPU predicted by a fit on the other GPUs)",
        &logo,
    );
    groups_table("Per GPU held out", &per_gpu);
}
