//! Invariants of `evaluate` over random valid scenarios.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use std::sync::OnceLock;

use llmcap::catalog::Catalog;
use llmcap::engine::evaluate::evaluate;
use llmcap::scenario::{
    Commitment, Compliance, Customization, LatencyMode, Pattern, PrecisionChoice, Residency, Scenario, Tier, Zone,
    validate,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| Catalog::embedded().unwrap())
}

fn residency() -> impl Strategy<Value = Residency> {
    prop_oneof![
        Just(Residency::Global),
        Just(Residency::DataZone(Zone::Us)),
        Just(Residency::DataZone(Zone::Eu)),
        Just(Residency::DataZone(Zone::UsGov)),
        Just(Residency::Region("westeurope".into())),
        Just(Residency::Region("eastus".into())),
        Just(Residency::Region("japaneast".into())),
        Just(Residency::Region("northeurope".into())),
        Just(Residency::Region("swedencentral".into())),
        Just(Residency::Region("usgovvirginia".into())),
        Just(Residency::OnPremises),
        Just(Residency::AirGapped),
    ]
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        (
            1.0f64..5e7,
            1.0f64..20_000.0,
            1.0f64..4_000.0,
            0.0f64..1.0,
            0.0f64..2_000.0,
        ),
        (
            prop_oneof![
                Just(Pattern::Steady),
                Just(Pattern::BusinessHours),
                prop::collection::vec(0.0f64..5.0, 24).prop_map(|mut w| {
                    w[3] += 0.1;
                    Pattern::Custom(w)
                })
            ],
            1.0f64..20.0,
        ),
        (
            prop_oneof![Just(LatencyMode::Interactive), Just(LatencyMode::Async)],
            100.0f64..20_000.0,
            0.0f64..80.0,
        ),
        residency(),
        prop::sample::subsequence(
            vec![
                Compliance::Hipaa,
                Compliance::Gdpr,
                Compliance::FedRampHigh,
                Compliance::Itar,
            ],
            0..2,
        ),
        prop_oneof![
            Just(Tier::Frontier),
            Just(Tier::Strong),
            Just(Tier::Efficient),
            Just(Tier::Compact)
        ],
        prop_oneof![
            Just(Customization::PromptOnly),
            Just(Customization::HostedFineTune),
            Just(Customization::FullWeights)
        ],
        (
            prop_oneof![
                Just(Commitment::PayAsYouGo),
                Just(Commitment::OneMonth),
                Just(Commitment::OneYear),
                Just(Commitment::ThreeYear)
            ],
            0u32..30,
        ),
        (
            prop_oneof![
                Just(PrecisionChoice::Auto),
                Just(PrecisionChoice::Fp8),
                Just(PrecisionChoice::Int4)
            ],
            1u32..4,
            any::<bool>(),
            0.6f64..0.95,
        ),
    )
        .prop_map(
            |(w, t, l, residency, compliance, quality, customization, (commitment, discount_pct), sh)| {
                let mut s = Scenario::example();
                s.workload.requests_per_day = w.0;
                s.workload.input_tokens = w.1.round();
                s.workload.output_tokens = w.2.round();
                s.workload.cached_input_share = w.3;
                s.workload.reasoning_tokens = w.4.round();
                s.traffic.pattern = t.0;
                s.traffic.peak_to_average = t.1;
                s.latency.mode = l.0;
                s.latency.ttft_ms = l.1;
                s.latency.output_tokens_per_s = l.2;
                s.residency = residency;
                s.compliance = compliance;
                s.quality = quality;
                s.customization = customization;
                s.pricing.commitment = commitment;
                s.pricing.discount = Decimal::new(i64::from(discount_pct), 2);
                s.self_hosting.precision = sh.0;
                s.self_hosting.min_replicas = Some(sh.1);
                s.self_hosting.autoscale = sh.2;
                s.self_hosting.memory_utilization = sh.3;
                s
            },
        )
}

/// Every `f64` a plan reports, with a label.
fn figures(plan: &llmcap::engine::plan::Plan) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    let d = &plan.demand;
    for (k, v) in [
        ("requests_per_day", d.requests_per_day),
        ("requests_per_month", d.requests_per_month),
        ("mean_rps", d.mean_requests_per_s),
        ("peak_rps", d.peak_requests_per_s),
        ("input_tokens_per_month", d.input_tokens_per_month),
        ("output_tokens_per_month", d.output_tokens_per_month),
    ] {
        out.push((k.to_string(), v));
    }
    for b in &plan.break_even {
        out.push((format!("break-even {}", b.from), b.requests_per_day));
        out.push((format!("break-even tokens {}", b.from), b.tokens_per_day));
    }
    for o in &plan.options {
        let key = format!("{} {}", o.option, o.model);
        if let Some(p) = &o.ptu_detail {
            for v in [p.peak_tpm, p.input_tpm_per_ptu, p.output_weight, p.utilization] {
                out.push((format!("{key} ptu"), v));
            }
            if let Some(b) = p.break_even_utilization {
                out.push((format!("{key} ptu break-even"), b));
            }
            if let Some(sp) = &p.spillover {
                out.push((format!("{key} spillover"), sp.overflow_share));
            }
        }
        if let Some(sh) = &o.self_hosted {
            let v = &sh.vram_per_gpu_gib;
            for x in [
                sh.requests_per_s_per_replica,
                sh.ttft_ms,
                sh.tpot_ms,
                sh.average_utilization,
                v.weights,
                v.kv_cache,
                v.activations,
                v.runtime,
                v.total,
                v.capacity,
            ] {
                out.push((format!("{key} self-hosted"), x));
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn any_valid_scenario_evaluates_with_sane_figures(s in scenario()) {
        prop_assume!(validate(&s).is_empty());
        let plan = evaluate(&s, catalog(), "2026-12-01".parse::<llmcap::date::Date>().unwrap()).unwrap();
        prop_assert!(!plan.options.is_empty());
        for o in &plan.options {
            if let Some(c) = o.monthly_cost_usd {
                prop_assert!(c >= Decimal::ZERO, "{} {} costs {c}", o.option, o.model);
            }
            if o.feasible {
                prop_assert!(o.violations.is_empty() && o.monthly_cost_usd.is_some());
            } else {
                prop_assert!(!o.violations.is_empty(), "{} {} infeasible without a reason", o.option, o.model);
            }
            for v in [o.latency.ttft_ms, o.latency.output_tokens_per_s].into_iter().flatten() {
                prop_assert!(v.is_finite() && v >= 0.0);
            }
            // Batch is never feasible for interactive use.
            if o.option.id().ends_with("-batch") && s.latency.mode == LatencyMode::Interactive {
                prop_assert!(!o.feasible);
            }
            // No Global option under Data Zone or Region residency.
            if matches!(s.residency, Residency::DataZone(_) | Residency::Region(_)) && o.option.id().contains("global") {
                prop_assert!(!o.feasible, "{} under {:?}", o.option, s.residency);
            }
            // Only self-hosting on premises under AirGapped (and OnPremises).
            if matches!(s.residency, Residency::AirGapped | Residency::OnPremises) {
                prop_assert!(!o.feasible || o.option.id() == "self-hosted/on-premises", "{}", o.option);
            }
        }
        match &plan.recommendation {
            Some(r) => prop_assert!(r.monthly_cost_usd >= Decimal::ZERO && !r.rationale.is_empty()),
            None => prop_assert!(!plan.infeasible_summary.is_empty()),
        }
        // Every figure the plan reports is finite (serde_json would write NaN as null).
        for (what, v) in figures(&plan) {
            prop_assert!(v.is_finite() && v >= 0.0, "{what} = {v}");
        }
    }

    /// More requests a day never cost less, for any option and model feasible at both volumes.
    #[test]
    fn cost_never_falls_as_volume_rises(s in scenario(), factor in 1.01f64..50.0) {
        prop_assume!(validate(&s).is_empty());
        let mut more = s.clone();
        more.workload.requests_per_day = (s.workload.requests_per_day * factor).min(1e10);
        let a = evaluate(&s, catalog(), "2026-12-01".parse::<llmcap::date::Date>().unwrap()).unwrap();
        let b = evaluate(&more, catalog(), "2026-12-01".parse::<llmcap::date::Date>().unwrap()).unwrap();
        for oa in a.options.iter().filter(|o| o.feasible) {
            if let Some(ob) = b.options.iter().find(|o| o.option == oa.option && o.model == oa.model && o.feasible) {
                prop_assert!(
                    ob.monthly_cost_usd >= oa.monthly_cost_usd,
                    "{} {}: {:?} at {} but {:?} at {}",
                    oa.option, oa.model, oa.monthly_cost_usd, s.workload.requests_per_day, ob.monthly_cost_usd, more.workload.requests_per_day
                );
            }
        }
    }

    /// No feasible managed option lacks a cell of Microsoft's matrix: on any plan date, every
    /// feasible Azure OpenAI option names a region its model's row lists for that type (the
    /// fine-tuned row when fine-tuning), a region the residency and the cloud allow, and its
    /// model is not retired (nor unreleased) on that date.
    #[test]
    fn no_feasible_managed_option_lacks_a_matrix_cell(s in scenario(), day in 0i64..1_100) {
        prop_assume!(validate(&s).is_empty());
        let on = "2026-01-01".parse::<llmcap::date::Date>().unwrap().add_days(day);
        let plan = evaluate(&s, catalog(), on).unwrap();
        let c = catalog();
        let government = s.compliance.iter().any(|x| x.needs_government_cloud())
            || s.residency == Residency::DataZone(Zone::UsGov)
            || matches!(&s.residency, Residency::Region(r) if c.region(r).is_some_and(|r| r.government));
        for o in plan.options.iter().filter(|o| o.feasible) {
            let Some(d) = o.option.deployment() else { continue };
            if d == llmcap::catalog::Deployment::FoundryServerless {
                prop_assert!(!government, "Foundry serverless {} feasible in Azure Government", o.model);
                continue;
            }
            // A provider's own API: outside Azure, so only with Global residency and never
            // in Azure Government, and placed in no Azure region.
            if d.provider().outside_azure() {
                prop_assert!(!government && s.residency == Residency::Global, "{} {} feasible", o.option, o.model);
                prop_assert!(o.region.is_none(), "{} {} placed in an Azure region", o.option, o.model);
                continue;
            }
            let fine_tuned = s.customization == Customization::HostedFineTune;
            let row = c.availability(&o.model, d, fine_tuned);
            prop_assert!(row.is_some(), "{} {} feasible with no matrix row", o.option, o.model);
            let region = o.region.as_deref();
            prop_assert!(region.is_some(), "{} {} feasible with no region", o.option, o.model);
            let region = region.unwrap();
            prop_assert!(row.unwrap().regions.iter().any(|r| r == region), "{} {} in {region}: no cell", o.option, o.model);
            let r = c.region(region).unwrap();
            prop_assert_eq!(r.government, government, "{} {} in {}", o.option, o.model, region);
            match &s.residency {
                Residency::Region(x) => prop_assert_eq!(x.as_str(), region),
                Residency::DataZone(z) => prop_assert_eq!(r.zone, Some(*z)),
                _ => {}
            }
            if let Some(l) = &c.model(&o.model).unwrap().lifecycle {
                if let Some((retires, _)) = l.retirement(s.customization == Customization::HostedFineTune) {
                    prop_assert!(on.to_string().as_str() < retires, "{} retired {retires}, feasible on {on}", o.model);
                }
                if let Some(from) = &l.available_from {
                    prop_assert!(on.to_string() >= *from, "{} released {from}, feasible on {on}", o.model);
                }
            }
        }
    }
}
