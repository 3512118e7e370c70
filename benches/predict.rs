//! `predict` computation time (target: under 20 microseconds). Run: `cargo bench --bench predict`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark: fail loudly

use criterion::{Criterion, criterion_group, criterion_main};
use llmcap::catalog::Catalog;
use llmcap::engine::predict::{Concurrency, PredictRequest, predict};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let catalog = Catalog::embedded().unwrap();
    let mut group = c.benchmark_group("predict");

    let mut dense = PredictRequest::new("llama-3.1-70b", "h100-sxm", 2048, 128);
    dense.concurrency = Concurrency::Fixed(64);
    group.bench_function("llama-3.1-70b/h100-sxm default tp, 64 in flight", |b| {
        b.iter(|| predict(black_box(&catalog), black_box(&dense)).unwrap())
    });

    let mut moe = PredictRequest::new("deepseek-v3", "h200", 1000, 1000);
    moe.concurrency = Concurrency::Max;
    group.bench_function("deepseek-v3/h200 offline max", |b| {
        b.iter(|| predict(black_box(&catalog), black_box(&moe)).unwrap())
    });

    let mut misfit = PredictRequest::new("llama-3.1-405b", "l4", 2048, 128);
    misfit.tp = Some(8);
    group.bench_function("llama-3.1-405b/l4 does not fit (suggestions)", |b| {
        b.iter(|| predict(black_box(&catalog), black_box(&misfit)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
