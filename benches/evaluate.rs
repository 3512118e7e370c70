//! `evaluate` of case-library scenarios, full self-hosted search and break-even included
//! (target: under 1 ms median). Run: `cargo bench --bench evaluate`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark: fail loudly

use criterion::{Criterion, criterion_group, criterion_main};
use llmcap::catalog::Catalog;
use llmcap::engine::evaluate::evaluate;
use llmcap::scenario;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let catalog = Catalog::embedded().unwrap();
    let mut group = c.benchmark_group("evaluate");
    let mut files: Vec<_> = std::fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    for path in files {
        let loaded = scenario::load_file(&path, &catalog).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        group.bench_function(name, |b| {
            b.iter(|| {
                evaluate(
                    black_box(&loaded.scenario),
                    black_box(&catalog),
                    "2026-12-01".parse::<llmcap::date::Date>().unwrap(),
                )
                .unwrap()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
