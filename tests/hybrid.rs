//! Hybrid plans (routing and cascades): each leg priced with every option, the router and
//! the escalated attempts, pooled capacity, latency end to end, the single-model comparison
//! and the break-even share or escalation rate. Pinned on the plan date of the case library.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

mod common;
use common::{json_of, llmcap};

use llmcap::catalog::Catalog;
use llmcap::engine::evaluate::evaluate;
use llmcap::engine::plan::{Plan, money_text};
use llmcap::scenario::{self, RouterStep, Scenario};
use rust_decimal::Decimal;

const PLAN_DATE: &str = "2026-12-01";

fn catalog() -> Catalog {
    Catalog::embedded().unwrap()
}

fn load(name: &str) -> Scenario {
    let path = format!("scenarios/{name}.ron");
    scenario::load_file(std::path::Path::new(&path), &catalog())
        .unwrap()
        .scenario
}

fn eval(s: &Scenario) -> Plan {
    evaluate(s, &catalog(), PLAN_DATE.parse().unwrap()).unwrap()
}

fn parse(text: &str) -> Scenario {
    scenario::parse_str(text, "test.ron").unwrap()
}

fn money(d: Option<Decimal>) -> String {
    d.map(money_text).unwrap_or_default()
}

/// (leg, option, model, monthly cost) of each leg.
fn legs(p: &Plan) -> Vec<(String, String, String, String)> {
    p.legs
        .iter()
        .map(|l| {
            (
                l.name.clone(),
                l.option.map(|o| o.id().to_string()).unwrap_or_default(),
                l.model.clone().unwrap_or_default(),
                money(l.monthly_cost_usd),
            )
        })
        .collect()
}

fn leg(name: &str, option: &str, model: &str, usd: &str) -> (String, String, String, String) {
    (name.into(), option.into(), model.into(), usd.into())
}

#[test]
fn the_seeds_router_saves_half_against_the_reasoning_model_for_everything() {
    let p = eval(&load("router-classifier-70-25-5"));
    let h = p.hybrid.as_deref().unwrap();
    assert!(h.feasible && h.recommended);
    assert_eq!(h.pattern, "router");
    assert_eq!(
        legs(&p),
        vec![
            leg("simple", "foundry/managed-compute", "mistral-nemo-12b", "8043.87"),
            leg("complex", "foundry/serverless", "llama-4-maverick", "3957.97"),
            leg("reasoning", "azure-openai/global-standard", "gpt-5", "7984.38"),
        ]
    );
    // The classifier reads every request: priced and timed as a workload of its own.
    assert_eq!(h.router.kind, "classifier");
    assert_eq!(h.router.model.as_deref(), Some("phi-4-mini"));
    assert_eq!(money(h.router.monthly_cost_usd), "3586.13");
    let router_ms = h.router.added_ms.unwrap();
    assert!(router_ms > 0.0);
    // Total = router + legs (no pool: every leg is on another model).
    assert!(h.pools.is_empty());
    assert_eq!(money(h.monthly_cost_usd), "23572.34");
    let sum: Decimal =
        p.legs.iter().filter_map(|l| l.monthly_cost_usd).sum::<Decimal>() + h.router.monthly_cost_usd.unwrap();
    assert_eq!(Some(sum), h.monthly_cost_usd);
    // Against the single model for every request.
    let one = p.single_model.as_ref().unwrap();
    assert_eq!(
        (
            one.option.map(|o| o.id()),
            one.model.as_deref(),
            money(one.monthly_cost_usd)
        ),
        (
            Some("azure-openai/global-standard"),
            Some("gpt-5.4"),
            "50627.02".to_string()
        )
    );
    assert_eq!(money(one.saving_usd), "27054.68");
    assert_eq!(one.saving_percent, Some(53.4));
    // The single model is what `recommendation` names, and its rationale opens with the verdict.
    let rec = p.recommendation.as_ref().unwrap();
    assert_eq!(rec.model, "gpt-5.4");
    assert!(rec.rationale[0].contains("build the router"), "{}", rec.rationale[0]);
    // Routing stops paying once more than a fifth of the traffic needs the reasoning leg.
    assert_eq!(h.break_even_share, Some(0.229));
    assert!(h.break_even_note.contains("22.9%"), "{}", h.break_even_note);
    // The seeds' claims: Classifier + Worker holds, Reasoning on Demand falls short.
    let claims: Vec<(&str, &str)> = h.claims.iter().map(|c| (c.pattern, c.verdict)).collect();
    assert_eq!(
        claims,
        vec![("Classifier + Worker", "within"), ("Reasoning on Demand", "below")]
    );
    // Each leg's latency is end to end: the router's time comes first.
    for l in &p.legs {
        let e2e = l.latency.ttft_ms.unwrap();
        assert!(
            (e2e - (router_ms + l.latency.leg_ttft_ms.unwrap())).abs() <= 1.0,
            "{}",
            l.name
        );
        assert!(e2e <= l.latency.target_ttft_ms, "{}", l.name);
    }
}

#[test]
fn the_cascade_prices_its_escalated_attempts_and_finds_its_break_even_rate() {
    let p = eval(&load("cascade-small-then-large"));
    let h = p.hybrid.as_deref().unwrap();
    assert!(h.feasible && h.recommended);
    assert_eq!(
        legs(&p),
        vec![
            leg("small", "foundry/managed-compute", "llama-3.2-1b", "1151.94"),
            leg("large", "foundry/serverless", "llama-4-maverick", "2656.74"),
        ]
    );
    // Every request reaches the first leg; 15% reach the second.
    assert_eq!((p.legs[0].share, p.legs[1].share), (1.0, 0.15));
    assert_eq!(p.legs[1].requests_per_day, 30_000.0);
    assert_eq!(money(h.escalated_attempts_usd), "172.79");
    assert_eq!(money(h.monthly_cost_usd), "3808.68");
    assert_eq!(money(p.single_model.as_ref().unwrap().monthly_cost_usd), "17711.63");
    assert_eq!(h.break_even_escalation_rate, Some(0.935));
    // The answer of a gated first attempt is shown whole: its time includes every token.
    let first = &p.legs[0].latency;
    assert!(first.basis.contains("confidence check"), "{}", first.basis);
    let speed = first.output_tokens_per_s.unwrap();
    let whole = first.leg_ttft_ms.unwrap() + 149.0 / speed * 1000.0;
    assert!((first.ttft_ms.unwrap() - whole).abs() <= 1.0);
    // An escalated request waits for the attempt, then the large leg's first token, and both
    // legs meet the 5 s target.
    for l in &p.legs {
        assert!(l.latency.ttft_ms.unwrap() <= 5000.0, "{}: {:?}", l.name, l.latency);
    }
    assert!(p.legs[1].latency.ttft_ms.unwrap() > first.ttft_ms.unwrap() - 1.0);
    let claim = &h.claims[0];
    assert_eq!((claim.pattern, claim.verdict), ("Small-then-Large", "above"));
}

#[test]
fn at_the_break_even_rate_the_cascade_costs_what_the_single_model_does() {
    let s = load("cascade-small-then-large");
    let p = eval(&s);
    let rate = p.hybrid.as_deref().unwrap().break_even_escalation_rate.unwrap();
    let single = p.single_model.as_ref().unwrap().monthly_cost_usd.unwrap();
    let at = |r: f64| {
        let mut x = s.clone();
        x.routing.as_mut().unwrap().legs[1].escalation = Some(r);
        eval(&x).hybrid.unwrap().monthly_cost_usd.unwrap()
    };
    assert!(at(rate - 0.01) < single, "cheaper just below");
    assert!(at(rate + 0.01) > single, "dearer just above");
    // And more escalation never makes the cascade cheaper.
    let costs: Vec<Decimal> = [0.0, 0.25, 0.5, 0.75, 1.0].iter().map(|r| at(*r)).collect();
    assert!(costs.windows(2).all(|w| w[0] <= w[1]), "{costs:?}");
}

#[test]
fn edge_plus_cloud_cuts_api_spend_but_not_the_bill_at_a_stores_volume() {
    let p = eval(&load("edge-plus-cloud"));
    let h = p.hybrid.as_deref().unwrap();
    assert!(h.feasible);
    assert!(
        !h.recommended,
        "the single API model is cheaper at 20,000 queries a day"
    );
    assert_eq!(
        legs(&p),
        vec![
            leg("on-device", "self-hosted/on-premises", "llama-3.2-3b", "1511.44"),
            leg("cloud", "foundry/serverless", "llama-4-maverick", "502.36"),
        ]
    );
    let one = p.single_model.as_ref().unwrap();
    assert_eq!(money(one.saving_usd), "-864.37");
    assert!(one.saving_usd.unwrap() < Decimal::ZERO);
    // The seeds' claim is about API spend, which does fall by more than they say.
    let claim = h.claims.iter().find(|c| c.pattern == "Edge + Cloud").unwrap();
    assert_eq!(
        (claim.basis, claim.measured_percent, claim.verdict),
        ("API spend only", Some(56.3), "above")
    );
    assert!(
        h.rationale.iter().any(|l| l.contains("costs $864 (75.2%) more")),
        "{:?}",
        h.rationale
    );
    assert!(h.break_even_note.starts_with("No break-even"), "{}", h.break_even_note);
    // The device leg keeps its data on premises; the rationale says what the single model
    // is held to.
    assert!(one.basis.contains("Global"), "{}", one.basis);
}

#[test]
fn a_routers_single_model_is_held_to_each_legs_own_target_not_the_mean_request() {
    // With a tenth of the requests thinking 4,000 tokens, the mean request would think 400
    // and miss the 3 s target on every model; per leg, the simple requests think none and
    // the reasoning ones have their minute.
    let mut s = load("router-classifier-70-25-5");
    s.routing.as_mut().unwrap().set_share(2, 0.10);
    let p = eval(&s);
    let rec = p.recommendation.as_ref().unwrap();
    assert_eq!(
        (rec.option.id(), rec.model.as_str()),
        ("azure-openai/global-standard", "gpt-5.4")
    );
    assert!(
        p.single_model
            .as_ref()
            .unwrap()
            .basis
            .contains("held to that leg's latency target")
    );
}

const POOLED: &str = r#"Scenario(version: 1, name: "Two request sizes on one open model",
    workload: (requests_per_day: 50000, input_tokens: 1000, output_tokens: 200),
    traffic: (pattern: Steady, peak_to_average: 1.5),
    latency: (mode: Interactive, ttft_ms: 2000, output_tokens_per_s: 20),
    residency: Global, quality: Efficient, models: ["gemma-2-27b"], self_hosting: (sites: Cloud),
    routing: (pattern: Router, legs: [
        (name: "short", share: 0.5, input_tokens: 500),
        (name: "long", share: 0.5, input_tokens: 1500),
    ]))"#;

#[test]
fn legs_on_the_same_model_share_one_fleet_sized_for_their_combined_peak() {
    let p = eval(&parse(POOLED));
    let h = p.hybrid.as_deref().unwrap();
    assert_eq!(h.pools.len(), 1, "{:?}", h.pools);
    let pool = &h.pools[0];
    assert_eq!(pool.legs, vec!["short".to_string(), "long".to_string()]);
    assert_eq!(pool.model, "gemma-2-27b");
    // Apart, each leg keeps its own minimum of three instances; together one set serves both.
    assert!(pool.pooled_usd < pool.separate_usd);
    assert_eq!(pool.saving_usd, pool.separate_usd - pool.pooled_usd);
    assert!(p.legs.iter().all(|l| l.pool == Some(0)));
    assert_eq!(h.monthly_cost_usd, Some(pool.pooled_usd));
    assert!(
        h.cost_breakdown
            .iter()
            .any(|l| l.item.starts_with("pooled gemma-2-27b") && l.usd < Decimal::ZERO)
    );
    // One model for both is then the same plan: no saving, and no break-even is claimed.
    let one = p.single_model.as_ref().unwrap();
    assert_eq!(one.saving_usd.map(|d| d.round_dp(2)), Some(Decimal::ZERO));
    assert!(h.break_even_share.is_none());
    assert!(p.recommendation.as_ref().unwrap().rationale[0].contains("costs the same"));
}

#[test]
fn per_token_legs_are_never_pooled() {
    let text = POOLED
        .replace("gemma-2-27b", "mistral-nemo-12b")
        .replace("sites: Cloud", "sites: Auto");
    let p = eval(&parse(&text));
    let h = p.hybrid.as_deref().unwrap();
    assert!(
        p.legs
            .iter()
            .all(|l| l.option.map(|o| o.id()) == Some("foundry/serverless"))
    );
    assert!(h.pools.is_empty(), "{:?}", h.pools);
}

#[test]
fn a_router_slower_than_a_legs_target_rules_the_leg_out_and_says_why() {
    let mut s = load("router-classifier-70-25-5");
    let r = s.routing.as_mut().unwrap();
    // The simple leg must start within 200 ms, less than the classifier takes on its
    // quickest deployment (about 274 ms on managed compute).
    r.legs[0].ttft_ms = Some(200.0);
    let p = eval(&s);
    let h = p.hybrid.as_deref().unwrap();
    assert!(!h.feasible && !h.recommended);
    assert!(h.monthly_cost_usd.is_none() || !h.violations.is_empty());
    let v = &p.legs[0].violations;
    assert!(
        v.iter()
            .any(|x| x.contains("spent before this leg starts") && x.contains("the router")),
        "{v:?}"
    );
    assert!(
        h.violations.iter().any(|x| x.starts_with("simple: ")),
        "{:?}",
        h.violations
    );
    // The single model is held to the same 200 ms for those requests, per leg: nothing
    // meets it, and each option says which leg's requests it fails.
    assert!(p.recommendation.is_none());
    assert!(!p.infeasible_summary.is_empty());
    let gpt = p
        .options
        .iter()
        .find(|o| o.option.id() == "azure-openai/global-standard" && o.model == "gpt-5.4")
        .unwrap();
    assert!(
        gpt.violations
            .iter()
            .any(|v| v.detail.starts_with("for the `simple` requests (70%)")),
        "{:?}",
        gpt.violations
    );
}

#[test]
fn a_fee_router_costs_its_fee_and_leaves_latency_unknown() {
    let mut s = load("router-classifier-70-25-5");
    s.routing.as_mut().unwrap().router = RouterStep::PerRequest {
        usd: Decimal::new(2, 4),
    };
    let p = eval(&s);
    let h = p.hybrid.as_deref().unwrap();
    assert_eq!(h.router.kind, "per-request");
    // 100,000 requests a day x 730/24 days x $0.0002.
    assert_eq!(money(h.router.monthly_cost_usd), "608.33");
    assert!(h.router.added_ms.is_none());
    assert!(
        h.warnings.iter().any(|w| w.contains("latency is not known")),
        "{:?}",
        h.warnings
    );
}

#[test]
fn a_file_without_routing_has_no_hybrid_fields_in_its_json() {
    let json = json_of(llmcap().args([
        "eval",
        "scenarios/support-chatbot.ron",
        "--format",
        "json",
        "--as-of",
        PLAN_DATE,
    ]));
    for key in ["legs", "hybrid", "single_model"] {
        assert!(json.get(key).is_none(), "{key}");
    }
    let json = json_of(llmcap().args([
        "eval",
        "scenarios/router-classifier-70-25-5.ron",
        "--format",
        "json",
        "--as-of",
        PLAN_DATE,
    ]));
    let legs = json["legs"].as_array().unwrap();
    assert_eq!(legs.len(), 3);
    for l in legs {
        // Shaped like a recommendation, plus its share.
        for key in ["option", "model", "monthly_cost_usd", "rationale", "warnings", "share"] {
            assert!(l.get(key).is_some(), "{key} in {l}");
        }
        assert!(l["monthly_cost_usd"].is_string());
    }
    assert!(json["hybrid"]["monthly_cost_usd"].is_string());
    assert!(json["single_model"]["saving_percent"].is_number());
}

/// Runs `check` on a variant of the router case and returns stderr (exit 2 asserted).
fn check_fails(from: &str, to: &str) -> String {
    let text = std::fs::read_to_string("scenarios/router-classifier-70-25-5.ron").unwrap();
    assert!(text.contains(from), "{from}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("routed.ron");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    let out = llmcap().arg("check").arg(&path).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr.replace(&format!("{}/", dir.path().display()), "")
}

#[test]
fn routing_errors_name_the_leg_field_with_its_line_and_column() {
    let e = check_fails("share: 0.70", "share: 0.80");
    assert!(e.contains("routing.legs"), "{e}");
    assert!(e.contains("sum to 1"), "{e}");
    let e = check_fails("share: 0.25", "share: 1.25");
    assert!(e.contains("routing.legs[1].share") && e.contains("0 to 1"), "{e}");
    assert!(e.contains("routed.ron:"), "{e}");
    let e = check_fails("share: 0.25, quality: Strong", "escalation: 0.25, quality: Strong");
    assert!(e.contains("routing.legs[1]"), "{e}");
    let e = check_fails(r#"name: "complex""#, r#"name: "simple""#);
    assert!(e.contains("routing.legs[1].name") && e.contains("repeats"), "{e}");
    let e = check_fails(r#"model: "phi-4-mini""#, r#"model: "phi-4-mimi""#);
    assert!(e.contains("routing.router.model") && e.contains("phi-4-mini"), "{e}");
    let e = check_fails("quality: Efficient),", "quality: Efficient, models: [\"gpt-9\"]),");
    assert!(e.contains("routing.legs[0].models[0]"), "{e}");
    let e = check_fails("pattern: Router", "pattern: Roter");
    assert!(e.contains("Router") && e.contains("Cascade"), "{e}");
}

#[test]
fn cascade_rules_are_checked_leg_by_leg() {
    let base = std::fs::read_to_string("scenarios/cascade-small-then-large.ron").unwrap();
    let issues = |from: &str, to: &str| -> Vec<String> {
        assert!(base.contains(from), "{from}");
        let s = parse(&base.replacen(from, to, 1));
        scenario::validate(&s)
            .iter()
            .map(|i| format!("{} {}", i.field, i.problem))
            .collect()
    };
    let v = issues("escalation: 0.15", "escalation: 1.5");
    assert!(v.iter().any(|i| i.starts_with("routing.legs[1].escalation")), "{v:?}");
    let v = issues(
        r#"(name: "small", quality: Compact)"#,
        r#"(name: "small", quality: Compact, escalation: 0.2)"#,
    );
    assert!(v.iter().any(|i| i.contains("first leg")), "{v:?}");
    let v = issues("escalation: 0.15, ", "");
    assert!(
        v.iter().any(|i| i.starts_with("routing.legs[1].escalation is missing")),
        "{v:?}"
    );
    let v = issues(r#"(name: "large", "#, r#"(name: "large", attempt_output_tokens: 10, "#);
    assert!(v.iter().any(|i| i.contains("never escalates")), "{v:?}");
    // A leg may keep its data closer than the scenario, never further.
    let v = issues("residency: Global,", "residency: OnPremises,");
    assert!(v.is_empty(), "{v:?}");
    let text = base
        .replacen("residency: Global,", "residency: DataZone(Eu),", 1)
        .replacen(r#"(name: "small", "#, r#"(name: "small", residency: Global, "#, 1);
    let v: Vec<String> = scenario::validate(&parse(&text))
        .iter()
        .map(|i| i.field.clone())
        .collect();
    assert_eq!(v, vec!["routing.legs[0].residency".to_string()]);
}

#[test]
fn a_routed_file_round_trips_and_files_without_routing_write_none() {
    for name in [
        "router-classifier-70-25-5",
        "cascade-small-then-large",
        "edge-plus-cloud",
    ] {
        let s = load(name);
        let text = scenario::to_ron_string(&s).unwrap();
        assert_eq!(parse(&text), s, "{name}");
    }
    let text = scenario::to_ron_string(&load("support-chatbot")).unwrap();
    assert!(!text.contains("routing"), "{text}");
}

#[test]
fn sweeping_the_escalation_rate_shows_the_hybrid_at_each_step() {
    let json = json_of(llmcap().args([
        "sweep",
        "scenarios/cascade-small-then-large.ron",
        "--param",
        "legs[1].escalation",
        "--from",
        "0",
        "--to",
        "1",
        "--steps",
        "3",
        "--format",
        "json",
        "--as-of",
        PLAN_DATE,
    ]));
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    let costs: Vec<f64> = rows
        .iter()
        .map(|r| r["hybrid"]["monthly_cost_usd"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(costs.windows(2).all(|w| w[0] < w[1]), "{costs:?}");
    // At no escalation the cascade is its first leg alone.
    assert_eq!(rows[0]["hybrid"]["monthly_cost_usd"], "1151.94");
    assert_eq!(rows[0]["hybrid"]["legs"][1]["share"], 0.0);
    // A router's share sweep moves the other shares with it.
    let json = json_of(llmcap().args([
        "sweep",
        "scenarios/router-classifier-70-25-5.ron",
        "--param",
        "legs[2].share",
        "--from",
        "0.05",
        "--to",
        "0.15",
        "--steps",
        "2",
        "--format",
        "json",
        "--as-of",
        PLAN_DATE,
    ]));
    for r in json["rows"].as_array().unwrap() {
        let total: f64 = r["hybrid"]["legs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["share"].as_f64().unwrap())
            .sum();
        assert!((total - 1.0).abs() < 1e-6, "{r}");
    }
    // A field the scenario does not have is refused with the ones it has.
    let out = llmcap()
        .args([
            "sweep",
            "scenarios/cascade-small-then-large.ron",
            "--param",
            "legs[1].share",
        ])
        .args(["--from", "0", "--to", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let e = String::from_utf8(out.stderr).unwrap();
    assert!(
        e.contains("a share is for a Router") && e.contains("legs[1].escalation"),
        "{e}"
    );
}

#[test]
fn a_leg_no_request_reaches_deploys_nothing() {
    let text = POOLED
        .replace("share: 0.5, input_tokens: 500", "share: 1.0, input_tokens: 500")
        .replace("share: 0.5, input_tokens: 1500", "share: 0.0, input_tokens: 1500");
    let p = eval(&parse(&text));
    let h = p.hybrid.as_deref().unwrap();
    let idle = &p.legs[1];
    // A GPU fleet would keep its minimum instances; a leg without traffic has none.
    assert_eq!(idle.monthly_cost_usd, Some(Decimal::ZERO));
    assert!(idle.option.is_none());
    assert!(idle.feasible && idle.violations.is_empty(), "{:?}", idle.violations);
    assert!(idle.warnings.iter().any(|w| w.contains("nothing is deployed")));
    assert_eq!(h.monthly_cost_usd, p.legs[0].monthly_cost_usd);
    assert!(h.feasible);
}

#[test]
fn a_leg_on_premises_needs_an_open_weight_candidate() {
    let base = std::fs::read_to_string("scenarios/edge-plus-cloud.ron").unwrap();
    let text = base.replacen(r#"models: ["llama-3.2-3b"]"#, r#"models: ["gpt-5.4-mini"]"#, 1);
    assert_ne!(text, base);
    let issues = scenario::validate_with_catalog(&parse(&text), &catalog());
    let i = issues
        .iter()
        .find(|i| i.field == "routing.legs[0].models")
        .unwrap_or_else(|| panic!("{issues:?}"));
    assert!(
        i.problem.contains("open-weight") && i.problem.contains("OnPremises"),
        "{i}"
    );
    assert!(scenario::validate_with_catalog(&load("edge-plus-cloud"), &catalog()).is_empty());
}

#[test]
fn at_the_break_even_share_the_router_costs_what_the_single_model_does() {
    let s = load("router-classifier-70-25-5");
    let p = eval(&s);
    let share = p.hybrid.as_deref().unwrap().break_even_share.unwrap();
    let at = |x: f64| {
        let mut m = s.clone();
        let r = m.routing.as_mut().unwrap();
        let moved = r.legs[0].share.unwrap() + r.legs[2].share.unwrap();
        r.legs[2].share = Some(x);
        r.legs[0].share = Some(moved - x);
        let p = eval(&m);
        (
            p.hybrid.unwrap().monthly_cost_usd.unwrap(),
            p.single_model.unwrap().monthly_cost_usd.unwrap(),
        )
    };
    // The single model is held to the same traffic mix, so it moves too: compare with the
    // original single-model cost, which is what the break-even is against.
    let single = p.single_model.as_ref().unwrap().monthly_cost_usd.unwrap();
    assert!(at(share - 0.01).0 < single, "cheaper just below");
    assert!(at(share + 0.01).0 > single, "dearer just above");
}

#[test]
fn a_routed_sweep_in_csv_adds_the_hybrid_and_each_leg_after_the_usual_columns() {
    let out = llmcap()
        .args([
            "sweep",
            "scenarios/cascade-small-then-large.ron",
            "--param",
            "legs[1].escalation",
        ])
        .args(["--from", "0", "--to", "1", "--steps", "3", "--as-of", PLAN_DATE])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("legs[1].escalation,pay_as_you_go_usd,"), "{header}");
    assert!(
        header.ends_with(
            "recommended_usd,hybrid_usd,hybrid_saving_usd,hybrid_feasible,small.share,small.model,small.usd,large.share,large.model,large.usd"
        ),
        "{header}"
    );
    let first: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(first[first.len() - 9..first.len() - 6], ["1151.94", "16559.69", "true"]);
    // A sweep of a file without routing keeps its columns.
    let out = llmcap()
        .args(["sweep", "scenarios/support-chatbot.ron", "--param", "requests_per_day"])
        .args(["--from", "1000", "--to", "2000", "--steps", "2", "--as-of", PLAN_DATE])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().next().unwrap().ends_with("recommended_usd"), "{text}");
}

#[test]
fn legs_on_one_fine_tuned_deployment_pay_its_hosting_and_training_once() {
    let base = std::fs::read_to_string("scenarios/contract-review-fine-tune.ron").unwrap();
    let text = base.replacen(
        "\n)",
        "\n    routing: (pattern: Router, legs: [(name: \"short\", share: 0.6, input_tokens: 3000), (name: \"long\", share: 0.4)]),\n)",
        1,
    );
    assert_ne!(text, base);
    let p = eval(&parse(&text));
    let h = p.hybrid.as_deref().unwrap();
    // Both legs land on the fine-tuned gpt-4.1-mini: pooled, the deployment's hosting fee
    // and the amortised training job are paid once, as by the single model.
    assert_eq!(h.pools.len(), 1, "{:?}", h.pools);
    let single = p.single_model.as_ref().unwrap().monthly_cost_usd.unwrap();
    let total = h.monthly_cost_usd.unwrap();
    assert!(total <= single + Decimal::ONE, "{total} vs {single}");
    assert!(h.pools[0].separate_usd > total);
}

#[test]
fn a_slow_cheap_classifier_gives_way_to_a_quick_one_when_that_makes_the_plan_cheaper() {
    let text = r#"Scenario(version: 1, name: "P",
        workload: (requests_per_day: 30000, input_tokens: 1000, output_tokens: 200),
        traffic: (pattern: BusinessHours, peak_to_average: 2.0),
        latency: (mode: Interactive, ttft_ms: 1100, output_tokens_per_s: 20),
        residency: Global, quality: Efficient,
        routing: (pattern: Router, router: Classifier(model: "phi-4-mini"),
            legs: [(name: "a", share: 0.5, input_tokens: 900), (name: "b", share: 0.5)]))"#;
    let p = eval(&parse(text));
    let h = p.hybrid.as_deref().unwrap();
    // Serverless answers in about a second, leaving the legs 50 ms and only GPU fleets;
    // managed compute answers in about 270 ms and leaves them the serverless options.
    assert_eq!(h.router.option.map(|o| o.id()), Some("foundry/managed-compute"));
    assert!(h.router.added_ms.unwrap() < 400.0);
    assert!(
        h.router
            .warnings
            .iter()
            .any(|w| w.contains("quickest deployment rather than the cheapest"))
    );
    assert!(
        p.legs
            .iter()
            .all(|l| l.option.map(|o| o.id()) == Some("foundry/serverless"))
    );
    assert!(h.monthly_cost_usd.unwrap() < Decimal::from(10_000));
    // Left out, the classifier's tokens take their defaults.
    let Some(RouterStep::Classifier {
        input_tokens,
        output_tokens,
        ..
    }) = parse(text).routing.map(|r| r.router)
    else {
        panic!()
    };
    assert_eq!((input_tokens, output_tokens), (500.0, 5.0));
}

#[test]
fn a_cascade_with_nothing_escalating_costs_what_its_first_leg_does_just_above_it() {
    let s = load("cascade-small-then-large");
    let at = |e: f64| {
        let mut x = s.clone();
        x.routing.as_mut().unwrap().legs[1].escalation = Some(e);
        eval(&x)
    };
    let (zero, tiny) = (at(0.0), at(0.0001));
    assert_eq!(zero.legs[0].option, tiny.legs[0].option);
    assert_eq!(zero.legs[0].monthly_cost_usd, tiny.legs[0].monthly_cost_usd);
    // A gated attempt needs a known streaming speed to be shown in time.
    assert!(zero.legs[0].latency.output_tokens_per_s.is_some());
}

#[test]
fn a_legs_region_must_exist_and_stay_in_the_scenarios_data_zone() {
    let base = std::fs::read_to_string("scenarios/cascade-small-then-large.ron").unwrap();
    let zone = base.replacen("residency: Global,", "residency: DataZone(Eu),", 1);
    let issues = |leg_residency: &str| -> Vec<String> {
        let text = zone.replacen(
            r#"(name: "small", "#,
            &format!(r#"(name: "small", residency: {leg_residency}, "#),
            1,
        );
        scenario::validate_with_catalog(&parse(&text), &catalog())
            .iter()
            .map(|i| format!("{} {}", i.field, i.problem))
            .collect()
    };
    assert!(issues(r#"Region("swedencentral")"#).is_empty());
    let v = issues(r#"Region("eastus")"#);
    assert!(
        v.iter().any(|i| i.contains("outside the scenario's data zone Eu")),
        "{v:?}"
    );
    let v = issues(r#"Region("nowhere")"#);
    assert!(v.iter().any(|i| i.contains("not a known region")), "{v:?}");
    // Leg names a reader cannot tell apart are refused too.
    let text = base.replacen(r#"(name: "large""#, r#"(name: "Small ""#, 1);
    let v: Vec<String> = scenario::validate(&parse(&text))
        .iter()
        .map(|i| i.problem.clone())
        .collect();
    assert!(v.iter().any(|p| p.contains("repeats routing.legs[0].name")), "{v:?}");
}

#[test]
fn check_notes_a_retired_classifier_or_leg_model() {
    let text = std::fs::read_to_string("scenarios/router-classifier-70-25-5.ron")
        .unwrap()
        .replacen(
            r#"Classifier(model: "phi-4-mini", "#,
            r#"Classifier(model: "gpt-4.1-nano", "#,
            1,
        )
        .replacen(
            r#"(name: "simple", share: 0.70, quality: Efficient)"#,
            r#"(name: "simple", share: 0.70, models: ["gpt-4o-mini"])"#,
            1,
        );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("retired.ron");
    std::fs::write(&path, text).unwrap();
    let out = llmcap()
        .args(["check", "--as-of", PLAN_DATE])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let notes = String::from_utf8(out.stdout).unwrap();
    assert!(
        notes.contains("note: routing.router.model: gpt-4.1-nano retired on 2026-10-14"),
        "{notes}"
    );
    assert!(
        notes.contains("note: routing.legs[0].models: gpt-4o-mini retired on 2026-10-01"),
        "{notes}"
    );
}
