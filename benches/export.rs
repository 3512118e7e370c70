//! A 1,000-step sweep (1,000 full evaluations; target under 1 s) and an HTML export
//! (target under 50 ms). Run: `cargo bench --bench export`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark: fail loudly

use criterion::{Criterion, criterion_group, criterion_main};
use llmcap::catalog::Catalog;
use llmcap::engine::evaluate::evaluate;
use llmcap::engine::sweep::sweep;
use llmcap::scenario;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let catalog = Catalog::embedded().unwrap();
    let s = scenario::load_file(Path::new("scenarios/support-chatbot.ron"), &catalog)
        .unwrap()
        .scenario;
    let mut group = c.benchmark_group("export");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    group.bench_function("sweep requests_per_day, 1000 steps (support-chatbot)", |b| {
        b.iter(|| {
            sweep(
                black_box(&s),
                &catalog,
                "2026-12-01".parse::<llmcap::date::Date>().unwrap(),
                llmcap::engine::sweep::Axis {
                    param: "requests_per_day",
                    from: 1e3,
                    to: 1e8,
                    steps: 1000,
                    log: true,
                },
            )
            .unwrap()
        })
    });
    group.finish();

    let mut group = c.benchmark_group("export");
    let plan = evaluate(&s, &catalog, "2026-12-01".parse::<llmcap::date::Date>().unwrap()).unwrap();
    group.bench_function("html report (support-chatbot, plan given)", |b| {
        b.iter(|| llmcap::report::html::report(black_box(&s), black_box(&plan)))
    });
    group.bench_function("html report (support-chatbot, evaluate included)", |b| {
        b.iter(|| {
            llmcap::report::html::report(
                black_box(&s),
                &evaluate(
                    black_box(&s),
                    &catalog,
                    "2026-12-01".parse::<llmcap::date::Date>().unwrap(),
                )
                .unwrap(),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
