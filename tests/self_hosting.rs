//! Self-hosting as an operator would build it: queueing from the real load, the serving
//! engine's limits, the hardware support matrix, reasoning and prefix caching in the sizing,
//! where self-hosting may run, redundancy and a fleet whose operations grow with it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use llmcap::catalog::Catalog;
use llmcap::engine::demand::Demand;
use llmcap::engine::evaluate::evaluate;
use llmcap::engine::plan::{OptionResult, Plan};
use llmcap::engine::selfhost::SelfHosted;
use llmcap::scenario::{self, LatencyMode, Pattern, Residency, Scenario, Sites};

const PLAN_DATE: &str = "2026-12-01";

fn catalog() -> Catalog {
    Catalog::embedded().unwrap()
}

fn eval(s: &Scenario) -> Plan {
    evaluate(s, &catalog(), PLAN_DATE.parse().unwrap()).unwrap()
}

fn option<'a>(p: &'a Plan, option: &str, model: &str) -> &'a OptionResult {
    p.options
        .iter()
        .find(|o| o.option.id() == option && o.model == model)
        .unwrap_or_else(|| panic!("no {option} {model}"))
}

fn fleet(o: &OptionResult) -> &SelfHosted {
    o.self_hosted
        .as_deref()
        .unwrap_or_else(|| panic!("{} {}: {:?}", o.option.id(), o.model, o.violations))
}

/// One open model on the given GPUs, interactive.
fn on(model: &str, gpus: &[&str], requests_per_day: f64) -> Scenario {
    let mut s = Scenario::example();
    s.models = vec![model.to_string()];
    s.self_hosting.gpus = gpus.iter().map(|g| (*g).to_string()).collect();
    s.workload.requests_per_day = requests_per_day;
    s
}

#[test]
fn a_small_model_at_a_small_load_is_not_sharded() {
    // The queueing wait comes from the replica's real load: a 3B model at 2% of a T4's
    // capacity answers from one GPU; the old fixed-80% allowance pushed it to tp 4.
    let mut s = on("llama-3.2-3b", &["t4"], 2_000.0);
    // Log lines: short prompts, one-word answers (the factory-floor case's shape).
    s.workload.input_tokens = 300.0;
    s.workload.output_tokens = 20.0;
    s.latency.ttft_ms = 200.0;
    s.latency.output_tokens_per_s = 0.0;
    let p = eval(&s);
    let sh = fleet(option(&p, "self-hosted/cloud-gpu", "llama-3.2-3b"));
    assert_eq!(sh.tp, 1, "{sh:?}");
    assert!(sh.ttft_ms <= 200.0, "{}", sh.ttft_ms);
    assert!(sh.peak_load < 0.2, "{}", sh.peak_load);
    assert_eq!(sh.queue_wait_ms, 0.0);
}

#[test]
fn a_target_met_unloaded_is_not_ruled_out_by_a_fixed_queue() {
    // Llama 70B on 4 x A100 answers a 2,000-token prompt in well under 2 s unloaded.
    let mut s = on("llama-3.1-70b", &["a100-sxm-80gb"], 20_000.0);
    s.latency.ttft_ms = 2_000.0;
    s.latency.output_tokens_per_s = 15.0;
    let p = eval(&s);
    let o = option(&p, "self-hosted/cloud-gpu", "llama-3.1-70b");
    assert!(o.feasible, "{:?}", o.violations);
    assert!(fleet(o).ttft_ms <= 2_000.0);
}

#[test]
fn the_batch_never_passes_the_engines_limits() {
    let c = catalog();
    let engine = c.serving_engine().unwrap();
    for volume in [1e3, 1e5, 1e7] {
        for gpu in ["a100-sxm-80gb", "h100-nvl", "mi300x", "l4"] {
            let mut s = on("llama-3.1-8b", &[gpu], volume);
            s.latency.output_tokens_per_s = 1.0;
            s.latency.ttft_ms = 60_000.0;
            let p = eval(&s);
            let o = option(&p, "self-hosted/cloud-gpu", "llama-3.1-8b");
            let Some(sh) = o.self_hosted.as_deref() else {
                continue; // no VM for this GPU in the region
            };
            let limits = engine.limits_for(c.gpu(gpu).unwrap()).unwrap();
            assert!(sh.batch_per_replica <= u64::from(limits.max_num_seqs), "{gpu}: {sh:?}");
            assert_eq!(sh.engine.max_num_seqs, limits.max_num_seqs);
            assert_eq!(sh.engine.max_num_batched_tokens, limits.max_num_batched_tokens);
        }
    }
    // vLLM's defaults: 256 sequences on an A100 (excluded by name), 1,024 on an H100 NVL.
    assert_eq!(
        engine.limits_for(c.gpu("a100-sxm-80gb").unwrap()).unwrap().max_num_seqs,
        256
    );
    assert_eq!(
        engine.limits_for(c.gpu("h100-nvl").unwrap()).unwrap().max_num_seqs,
        1024
    );
    assert_eq!(
        engine.limits_for(c.gpu("t4").unwrap()).unwrap().max_num_batched_tokens,
        2048
    );
}

#[test]
fn gpt_oss_never_lands_on_a_t4_and_a_t4_runs_fp16() {
    let mut s = on("gpt-oss-20b", &["t4"], 10_000.0);
    s.workload.reasoning_tokens = 500.0;
    let p = eval(&s);
    let o = option(&p, "self-hosted/cloud-gpu", "gpt-oss-20b");
    assert!(!o.feasible);
    assert!(
        o.violations[0].to_string().contains("t4 (turing) cannot run"),
        "{:?}",
        o.violations
    );
    let p = eval(&on("llama-3.1-8b", &["t4"], 10_000.0));
    let sh = fleet(option(&p, "self-hosted/cloud-gpu", "llama-3.1-8b"));
    assert!(["fp16", "int4", "int8"].contains(&sh.precision), "{}", sh.precision);
    assert_ne!(sh.precision, "bf16");
    // In the whole case library no configuration puts MXFP4 or FP8 on a T4.
    for entry in std::fs::read_dir("scenarios").unwrap() {
        let path = entry.unwrap().path();
        let loaded = scenario::load_file(&path, &catalog()).unwrap();
        for o in eval(&loaded.scenario).options {
            if let Some(sh) = o.self_hosted.as_deref()
                && sh.gpu == "t4"
            {
                assert!(
                    !["mxfp4", "fp8", "bf16"].contains(&sh.precision),
                    "{}: {sh:?}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn reasoning_tokens_are_generated_by_the_fleet() {
    let mut s = on("gpt-oss-120b", &["h100-nvl"], 2_000_000.0);
    s.workload.output_tokens = 300.0;
    s.latency.ttft_ms = 600_000.0;
    s.workload.reasoning_tokens = 100.0;
    let plain = eval(&s);
    let o = option(&plain, "self-hosted/cloud-gpu", "gpt-oss-120b");
    assert_eq!(fleet(o).generated_tokens, 400.0);
    s.workload.reasoning_tokens = 2_400.0;
    let reasoning = eval(&s);
    let r = fleet(option(&reasoning, "self-hosted/cloud-gpu", "gpt-oss-120b"));
    assert_eq!(r.generated_tokens, 2_700.0);
    assert!(
        r.gpus_peak > fleet(o).gpus_peak,
        "{} vs {}",
        r.gpus_peak,
        fleet(o).gpus_peak
    );
}

#[test]
fn the_prefix_cache_spares_prefill_work() {
    let mut s = on("llama-3.1-70b", &["h100-sxm"], 200_000.0);
    s.workload.input_tokens = 8_000.0;
    let cold = eval(&s);
    let c = fleet(option(&cold, "self-hosted/cloud-gpu", "llama-3.1-70b")).clone();
    s.workload.cached_input_share = 0.75;
    let warm = eval(&s);
    let w = fleet(option(&warm, "self-hosted/cloud-gpu", "llama-3.1-70b")).clone();
    assert_eq!(c.engine.prompt_tokens_computed, 8_000.0);
    assert_eq!(w.engine.prompt_tokens_computed, 2_000.0);
    assert!(w.requests_per_s_per_replica > c.requests_per_s_per_replica);
    assert!(w.gpus_peak <= c.gpus_peak);
    assert!(w.ttft_ms < c.ttft_ms);
}

#[test]
fn owned_servers_are_offered_only_where_the_scenario_allows_them() {
    let has = |s: &Scenario, place: &str| {
        eval(s)
            .options
            .iter()
            .any(|o| o.option.id() == format!("self-hosted/{place}"))
    };
    let mut s = on("llama-3.1-8b", &[], 10_000.0);
    assert!(
        has(&s, "cloud-gpu") && !has(&s, "on-premises"),
        "Global: cloud only by default"
    );
    s.self_hosting.sites = Sites::Both;
    assert!(has(&s, "cloud-gpu") && has(&s, "on-premises"));
    s.self_hosting.sites = Sites::OnPremises;
    assert!(!has(&s, "cloud-gpu") && has(&s, "on-premises"));
    s.self_hosting.sites = Sites::Auto;
    s.residency = Residency::Region("westeurope".into());
    assert!(!has(&s, "on-premises"), "a cloud region is not a reason to buy servers");
    s.residency = Residency::AirGapped;
    assert!(has(&s, "on-premises"), "air-gapped: owned servers by default");
    // Excluding owned servers where nothing else meets the residency says so.
    s.self_hosting.sites = Sites::Cloud;
    let p = eval(&s);
    let o = option(&p, "self-hosted/on-premises", "llama-3.1-8b");
    assert!(
        o.violations[0].to_string().contains("self_hosting.sites Cloud"),
        "{:?}",
        o.violations
    );
    assert!(p.recommendation.is_none());
    // The rationale says when owned servers were left out.
    let mut s = on("llama-3.1-8b", &[], 1_000_000.0);
    s.models = vec!["llama-3.1-8b".into()];
    let p = eval(&s);
    let r = p.recommendation.unwrap();
    assert!(
        r.rationale.iter().any(|l| l.starts_with("Owned servers not compared")),
        "{:?}",
        r.rationale
    );
}

#[test]
fn an_interactive_fleet_keeps_two_replicas() {
    let mut s = on("llama-3.1-8b", &["a10"], 500.0);
    assert_eq!(s.min_replicas(), 2);
    let p = eval(&s);
    let sh = fleet(option(&p, "self-hosted/cloud-gpu", "llama-3.1-8b"));
    assert!(sh.replicas_by_hour.iter().all(|n| *n >= 2), "{:?}", sh.replicas_by_hour);
    s.latency.mode = LatencyMode::Async;
    assert_eq!(s.min_replicas(), 1);
    // An explicit single replica for an interactive SLA is allowed, with a warning.
    s.latency.mode = LatencyMode::Interactive;
    s.self_hosting.min_replicas = Some(1);
    let p = eval(&s);
    let o = option(&p, "self-hosted/cloud-gpu", "llama-3.1-8b");
    assert_eq!(fleet(o).replicas_peak, 1);
    assert!(
        o.warnings.iter().any(|w| w.starts_with("one replica")),
        "{:?}",
        o.warnings
    );
}

#[test]
fn operations_quota_and_capacity_grow_with_the_fleet() {
    let mut s = on("llama-3.1-70b", &["h100-sxm"], 60_000_000.0);
    s.traffic.pattern = Pattern::Steady;
    let p = eval(&s);
    let o = option(&p, "self-hosted/cloud-gpu", "llama-3.1-70b");
    let sh = fleet(o);
    assert!(sh.gpus_peak > 512, "{}", sh.gpus_peak);
    let ops = o
        .cost_breakdown
        .iter()
        .find(|l| l.item.starts_with("operations"))
        .unwrap();
    let blocks = sh.gpus_bought.div_ceil(256);
    assert!(sh.gpus_bought >= sh.gpus_peak);
    assert_eq!(
        ops.usd,
        s.team.engineer_monthly_cost * rust_decimal::Decimal::from(blocks)
    );
    assert!(ops.item.contains("for every 256 GPUs bought"), "{}", ops.item);
    assert!(
        o.warnings.iter().any(|w| w.starts_with("GPU quota: request")),
        "{:?}",
        o.warnings
    );
    assert!(
        o.warnings.iter().any(|w| w.contains("confirm capacity with Microsoft")),
        "{:?}",
        o.warnings
    );
    // The cost curve used for break-even and sweeps prices operations the same way.
    let demand = Demand::with_volume(&s, s.workload.requests_per_day);
    let curve = o.curve.as_ref().unwrap();
    assert_eq!(curve.monthly(&demand), o.monthly_cost_usd.unwrap());
}

/// For every self-hosted fleet of the case library, at its volume and at ten times it:
/// never fewer GPUs than the peak rate over a replica's rate needs (a hand calculation from
/// the engine-limited batch), never more than twice that (or the redundancy floor).
#[test]
fn fleets_stay_within_twice_the_hand_calculation() {
    let c = catalog();
    let mut checked = 0;
    for entry in std::fs::read_dir("scenarios").unwrap() {
        let path = entry.unwrap().path();
        let loaded = scenario::load_file(&path, &c).unwrap();
        for factor in [1.0, 10.0] {
            let mut s = loaded.scenario.clone();
            s.workload.requests_per_day *= factor;
            let demand = Demand::with_volume(&s, s.workload.requests_per_day);
            for o in eval(&s).options.iter().filter(|o| o.feasible) {
                let Some(sh) = o.self_hosted.as_deref() else { continue };
                let hand = (demand.peak_rps / sh.requests_per_s_per_replica).ceil() as u32;
                let floor = hand.max(s.min_replicas()) * sh.tp;
                assert!(
                    sh.gpus_peak >= hand * sh.tp,
                    "{}: {} {}: {sh:?}",
                    path.display(),
                    o.option.id(),
                    o.model
                );
                assert!(
                    sh.gpus_peak <= 2 * floor,
                    "{}: {} {}: {} GPUs against {floor} by hand",
                    path.display(),
                    o.option.id(),
                    o.model,
                    sh.gpus_peak
                );
                if s.latency.mode == LatencyMode::Interactive {
                    assert!(sh.ttft_ms <= s.latency.ttft_ms + 1e-6, "{}: {sh:?}", path.display());
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 20, "only {checked} fleets checked");
}

/// The fleet chosen is the cheapest in all (GPUs and the operations its size takes), so the
/// option's cost is what the cost curve (break-even, sweeps) says at the same volume.
#[test]
fn the_cheapest_fleet_counts_its_operations() {
    for (model, sites, volume) in [
        ("llama-3.2-1b", Sites::OnPremises, 1e9),
        ("llama-3.1-8b", Sites::Cloud, 2e8),
        ("llama-3.1-70b", Sites::Both, 3e7),
    ] {
        let mut s = on(model, &[], volume);
        s.self_hosting.sites = sites;
        let p = eval(&s);
        let demand = Demand::with_volume(&s, volume);
        for o in p.options.iter().filter(|o| o.feasible && o.self_hosted.is_some()) {
            let curve = o.curve.as_ref().unwrap();
            assert_eq!(
                curve.monthly(&demand),
                o.monthly_cost_usd.unwrap(),
                "{model} {}",
                o.option.id()
            );
        }
    }
}

/// A reasoning model's hidden tokens come before its first visible token: a self-hosted
/// fleet that streams 3,000 of them cannot answer within seconds.
#[test]
fn reasoning_delays_the_first_visible_token() {
    let mut s = on("gpt-oss-120b", &["h100-sxm"], 10_000.0);
    s.workload.reasoning_tokens = 3_000.0;
    s.latency.ttft_ms = 2_000.0;
    let p = eval(&s);
    let o = option(&p, "self-hosted/cloud-gpu", "gpt-oss-120b");
    assert!(!o.feasible, "{:?}", o.self_hosted);
    s.latency.ttft_ms = 120_000.0;
    let p = eval(&s);
    let sh = fleet(option(&p, "self-hosted/cloud-gpu", "gpt-oss-120b"));
    // 3,000 tokens one after another: no GPU streams gpt-oss-120b at 400 tokens/s a request.
    assert!(sh.ttft_ms >= 3_000.0 / 400.0 * 1000.0, "{}", sh.ttft_ms);
    assert!(sh.ttft_ms <= 120_000.0);
    // Without a reasoning figure gpt-oss is not sized at all.
    s.workload.reasoning_tokens = 0.0;
    let p = eval(&s);
    let o = option(&p, "self-hosted/cloud-gpu", "gpt-oss-120b");
    assert!(
        o.violations[0].to_string().contains("set workload.reasoning_tokens"),
        "{:?}",
        o.violations
    );
}

/// The streaming speed a request sees includes the other requests' prefill chunks riding
/// on the same steps: generated tokens over the time a request holds its slot.
#[test]
fn streaming_speed_counts_the_prefill_riding_on_each_step() {
    for entry in std::fs::read_dir("scenarios").unwrap() {
        let path = entry.unwrap().path();
        let loaded = scenario::load_file(&path, &catalog()).unwrap();
        let s = &loaded.scenario;
        if s.latency.mode != LatencyMode::Interactive || s.latency.output_tokens_per_s <= 0.0 {
            continue;
        }
        for o in eval(s).options.iter().filter(|o| o.feasible) {
            let Some(sh) = o.self_hosted.as_deref() else { continue };
            let slot_s = sh.batch_per_replica as f64 / sh.requests_per_s_per_replica;
            let speed = sh.generated_tokens / slot_s;
            assert!(
                speed >= s.latency.output_tokens_per_s * 0.99,
                "{}: {} streams {speed:.1} tok/s against {}",
                path.display(),
                o.model,
                s.latency.output_tokens_per_s
            );
        }
    }
}

/// An owned server priced from a figure years old says so: its price is a list price of its
/// day, and the part may no longer be sold new.
#[test]
fn an_old_server_price_is_flagged() {
    let path = std::path::Path::new("scenarios/foia-redaction-government.ron");
    let loaded = scenario::load_file(path, &catalog()).unwrap();
    let p = eval(&loaded.scenario);
    let stale = p
        .options
        .iter()
        .filter(|o| o.feasible && o.option.id() == "self-hosted/on-premises")
        .filter(|o| o.self_hosted.as_deref().is_some_and(|sh| sh.vm == "dgx-a100-320gb"))
        .all(|o| o.warnings.iter().any(|w| w.contains("get a current quote")));
    assert!(stale);
    let r = p.recommendation.unwrap();
    assert!(
        r.warnings.iter().any(|w| w.contains("get a current quote")),
        "{:?}",
        r.warnings
    );
}

/// Edge and CPU device classes (issue #16 part 4).
mod devices {
    use llmcap::catalog::Catalog;
    use llmcap::engine::Constants;
    use llmcap::engine::Precision;
    use llmcap::engine::memory::{self, Sequence};
    use llmcap::engine::perf::{Replica, throughput};

    fn decode_tokens_per_s(model: &str, gpu: &str) -> f64 {
        let catalog = Catalog::embedded().unwrap();
        let c = Constants::from_catalog(&catalog).unwrap();
        let arch = catalog.model(model).unwrap().architecture.as_ref().unwrap();
        let gpu = catalog.gpu(gpu).unwrap();
        let r = Replica::new(arch, gpu, &c, Precision::Int4, 1);
        throughput(&r, 128.0, 128.0, 1.0).output_tokens_per_s_per_request
    }

    #[test]
    fn a_cpu_decodes_an_8b_int4_model_within_the_published_range() {
        // Published llama.cpp figures for 12-channel DDR5 Genoa (460.8 GB/s a socket):
        // DeepSeek-R1-Distill-Llama-8B Q4_K_M at 27.8 tokens/s on a dual EPYC 9334
        // (dev.to/leaseweb, 'CPU Inference on AMD EPYC 9334'); the ceiling is the socket's
        // bandwidth over the int4 weights (460.8 / 4.27 GB, 108 tokens/s).
        let t = decode_tokens_per_s("llama-3.1-8b", "epyc-9554");
        assert!((27.8..108.0).contains(&t), "{t}");
        // And the measurement mbu.cpu was taken from: Phi-4 14B Q4_K_M at 28.74 tokens/s on
        // one EPYC 9554 (ahelpme.com), within 25% (the catalog's int4 is 4.25 bits a
        // weight, Q4_K_M about 4.9).
        let phi4 = decode_tokens_per_s("phi-4", "epyc-9554");
        assert!((phi4 / 28.74 - 1.0).abs() < 0.25, "{phi4}");
    }

    #[test]
    fn a_device_is_never_offered_a_model_that_does_not_fit_its_memory() {
        let catalog = Catalog::embedded().unwrap();
        let c = Constants::from_catalog(&catalog).unwrap();
        let seq = Sequence {
            input: 64.0,
            output: 4.0,
        };
        // llama-3.1-8b at int4 needs more than the 6 GiB the Orin Nano Super leaves after the
        // OS share, and a whole device never joins another in tensor parallelism.
        let gpu = catalog.gpu("jetson-orin-nano-super").unwrap();
        let arch = catalog.model("llama-3.1-8b").unwrap().architecture.as_ref().unwrap();
        assert!(!memory::plan(arch, gpu, &c, Precision::Int4, 1, 0.9, seq).fits());
        assert!(!llmcap::engine::predict::tp_possible(gpu, 2));
        let mut s = llmcap::scenario::Scenario::example();
        s.models = vec!["llama-3.1-8b".to_string()];
        s.residency = llmcap::scenario::Residency::OnPremises;
        s.self_hosting.gpus = vec!["jetson-orin-nano-super".to_string()];
        s.self_hosting.precision = llmcap::scenario::PrecisionChoice::Int4;
        let p = llmcap::engine::evaluate::evaluate(&s, &catalog, "2026-12-01".parse().unwrap()).unwrap();
        let owned: Vec<_> = p
            .options
            .iter()
            .filter(|o| o.option.id() == "self-hosted/on-premises")
            .collect();
        assert!(!owned.is_empty());
        assert!(
            owned.iter().all(|o| !o.feasible),
            "an 8B model is never put on an 8 GB device"
        );
    }
}
