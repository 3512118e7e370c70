//! The plan date and where deployments exist: `--as-of` / `LLMCAP_AS_OF`, retired models
//! ruled out with their replacement, the date in every output, and the availability matrix
//! deciding what a residency allows.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

mod common;
use common::llmcap;

use llmcap::catalog::Catalog;
use llmcap::date::Date;
use llmcap::engine::evaluate::evaluate;
use llmcap::engine::plan::Plan;
use llmcap::scenario::{Residency, Scenario, Zone};

fn day(s: &str) -> Date {
    s.parse().unwrap()
}

fn plan_on(s: &Scenario, on: &str) -> Plan {
    evaluate(s, &Catalog::embedded().unwrap(), day(on)).unwrap()
}

fn retired_on(catalog: &Catalog, model: &str, on: Date) -> bool {
    catalog
        .model(model)
        .and_then(|m| m.lifecycle.as_ref())
        .and_then(|l| l.retires.as_deref())
        .is_some_and(|r| day(r) <= on)
}

#[test]
fn todays_plan_recommends_no_retired_model_and_rules_retired_ones_out_with_their_replacement() {
    let catalog = Catalog::embedded().unwrap();
    let on = day("2026-12-01");
    let plan = plan_on(&Scenario::example(), "2026-12-01");
    let r = plan.recommendation.as_ref().unwrap();
    assert!(!retired_on(&catalog, &r.model, on), "{} is retired", r.model);
    for o in plan.options.iter().filter(|o| o.option.deployment().is_some()) {
        if retired_on(&catalog, &o.model, on) {
            assert!(!o.feasible, "{} {} feasible though retired", o.option, o.model);
        }
    }
    let v = violations_of(&plan, "azure-openai/global-standard", "gpt-4o-mini");
    assert!(
        v.contains("retired plan date 2026-12-01: gpt-4o-mini retired on 2026-10-01; Microsoft names gpt-4.1-mini"),
        "{v}"
    );
    assert!(
        r.rationale
            .iter()
            .any(|l| l.starts_with("Not deployable on the plan date 2026-12-01:")),
        "{:?}",
        r.rationale
    );
}

#[test]
fn an_earlier_plan_date_gives_the_same_figures_for_every_model_available_on_both_days() {
    let catalog = Catalog::embedded().unwrap();
    let (then, now) = ("2026-06-18", "2026-12-01");
    let a = plan_on(&Scenario::example(), then);
    let b = plan_on(&Scenario::example(), now);
    assert_eq!(a.options.len(), b.options.len());
    let mut compared = 0;
    for oa in &a.options {
        let ob = b
            .options
            .iter()
            .find(|o| o.option == oa.option && o.model == oa.model)
            .unwrap();
        let lifecycle_free = |o: &llmcap::engine::plan::OptionResult| {
            !o.violations
                .iter()
                .any(|v| v.kind == llmcap::vocab::ViolationKind::Retired)
        };
        if lifecycle_free(oa) && lifecycle_free(ob) {
            assert_eq!(oa.monthly_cost_usd, ob.monthly_cost_usd, "{} {}", oa.option, oa.model);
            assert_eq!(oa.feasible, ob.feasible, "{} {}", oa.option, oa.model);
            compared += 1;
        }
    }
    assert!(compared > 50, "only {compared} options compared");
    // On 2026-06-18 the 2024-2025 models were still deployable.
    assert!(!retired_on(&catalog, "gpt-4o-mini", day(then)));
    let mini = a
        .options
        .iter()
        .find(|o| o.model == "gpt-4o-mini" && o.option.id() == "azure-openai/global-standard")
        .unwrap();
    assert!(mini.feasible, "{:?}", mini.violations);
}

#[test]
fn the_plan_date_comes_from_the_flag_then_the_environment_and_is_in_every_output() {
    let json = llmcap()
        .args([
            "eval",
            "scenarios/support-chatbot.ron",
            "--format",
            "json",
            "--as-of",
            "2026-06-18",
        ])
        .output()
        .unwrap();
    assert!(json.status.success());
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["plan_date"], "2026-06-18");
    // The environment (the helper pins LLMCAP_AS_OF) when there is no flag.
    let v: serde_json::Value = serde_json::from_slice(
        &llmcap()
            .args(["eval", "scenarios/support-chatbot.ron", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(v["plan_date"], common::PLAN_DATE);
    let text = llmcap()
        .args(["eval", "scenarios/support-chatbot.ron"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("plan date 2026-12-01"));
    for format in ["markdown", "html", "csv"] {
        let out = llmcap()
            .args(["export", "scenarios/support-chatbot.ron", "--format", format, "-o", "-"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{format}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("2026-12-01"), "{format}");
    }
}

#[test]
fn a_bad_plan_date_is_refused_with_what_is_accepted() {
    for bad in ["2026-02-30", "yesterday", "2026-1-5", ""] {
        let out = llmcap()
            .args(["eval", "scenarios/support-chatbot.ron", "--as-of", bad])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {err}");
        assert!(err.contains("--as-of") && err.contains("YYYY-MM-DD"), "{bad}: {err}");
    }
    let out = llmcap()
        .env("LLMCAP_AS_OF", "31/12/2026")
        .args(["eval", "scenarios/support-chatbot.ron"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("LLMCAP_AS_OF"));
}

/// Feasible managed options of a plan, as `option model region`.
fn feasible_managed(p: &Plan) -> Vec<String> {
    p.options
        .iter()
        .filter(|o| o.feasible && o.option.deployment().is_some())
        .map(|o| format!("{} {} {}", o.option, o.model, o.region.as_deref().unwrap_or("-")))
        .collect()
}

#[test]
fn a_data_zone_residency_with_a_pricing_region_outside_it_is_resolved_and_said() {
    let mut s = Scenario::example();
    s.residency = Residency::DataZone(Zone::Eu);
    s.pricing.region = "eastus".into();
    let plan = plan_on(&s, "2026-12-01");
    let feasible = feasible_managed(&plan);
    assert!(
        feasible
            .iter()
            .any(|f| f.starts_with("azure-openai/data-zone-standard")),
        "{feasible:#?}"
    );
    let catalog = Catalog::embedded().unwrap();
    for o in plan.options.iter().filter(|o| o.feasible) {
        if let Some(r) = &o.region {
            assert_eq!(
                catalog.region(r).unwrap().zone,
                Some(Zone::Eu),
                "{} {} in {r}",
                o.option,
                o.model
            );
        }
    }
    let r = plan.recommendation.as_ref().unwrap();
    assert!(
        r.rationale
            .iter()
            .any(|l| l.starts_with("pricing.region eastus is outside DataZone(Eu)")),
        "{:?}",
        r.rationale
    );
    // `check` says the same before any evaluation.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zone.ron");
    std::fs::write(&path, llmcap::scenario::to_ron_string(&s).unwrap()).unwrap();
    let out = llmcap().arg("check").arg(&path).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("note: pricing.region eastus is outside DataZone(Eu)"),
        "{text}"
    );
}

#[test]
fn a_region_without_azure_openai_offers_only_self_hosting_and_says_why() {
    let mut s = Scenario::example();
    s.residency = Residency::Region("northeurope".into());
    s.pricing.region = "northeurope".into();
    let plan = plan_on(&s, "2026-12-01");
    assert!(feasible_managed(&plan).is_empty(), "{:#?}", feasible_managed(&plan));
    // gpt-5.1 has Regional Standard elsewhere and is not retired on the plan date.
    s.models = vec!["gpt-5.1".into()];
    let plan = plan_on(&s, "2026-12-01");
    let v = violations_of(&plan, "azure-openai/regional-standard", "gpt-5.1");
    assert!(
        v.contains("no Azure OpenAI deployment of any model can be created in northeurope"),
        "{v}"
    );
}

#[test]
fn regional_standard_exists_only_where_the_matrix_lists_it() {
    let mut s = Scenario::example();
    s.residency = Residency::Region("westeurope".into());
    s.pricing.region = "westeurope".into();
    s.models = vec!["gpt-4.1".into(), "gpt-4.1-mini".into(), "gpt-5".into()];
    let plan = plan_on(&s, "2026-06-18");
    let f = feasible_managed(&plan);
    assert!(
        f.contains(&"azure-openai/regional-standard gpt-4.1-mini westeurope".to_string()),
        "{f:#?}"
    );
    let v = violations_of(&plan, "azure-openai/regional-standard", "gpt-4.1");
    assert!(
        v.contains("Microsoft offers no Regional Standard deployment of gpt-4.1 in westeurope"),
        "{v}"
    );
    // The nearest that exists: Regional Standard gpt-4.1 elsewhere, EU regions first.
    assert!(v.contains("Regional Standard gpt-4.1 exists in swedencentral"), "{v}");
    // gpt-5 has no Regional Standard anywhere: the catalog does not even list the option.
    assert!(
        !plan
            .options
            .iter()
            .any(|o| o.model == "gpt-5" && o.option.id() == "azure-openai/regional-standard")
    );
    assert!(plan.options.iter().any(|o| o.model == "gpt-5"));
}

fn violations_of(p: &Plan, option: &str, model: &str) -> String {
    p.options
        .iter()
        .find(|o| o.option.id() == option && o.model == model)
        .unwrap()
        .violations
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" | ")
}

#[test]
fn a_government_regime_in_a_commercial_region_is_named_as_such_not_as_a_missing_cell() {
    let mut s = Scenario::example();
    s.residency = Residency::Region("eastus".into());
    s.compliance = vec![llmcap::scenario::Compliance::FedRampHigh];
    s.models = vec!["gpt-4o".into()];
    let plan = plan_on(&s, "2026-06-01");
    let v = violations_of(&plan, "azure-openai/regional-standard", "gpt-4o");
    assert!(v.contains("eastus is a commercial region"), "{v}");
    assert!(!v.contains("Microsoft offers no"), "{v}");
    // Government from the residency alone still names the setting.
    s.residency = Residency::Region("usgovvirginia".into());
    s.compliance.clear();
    let plan = plan_on(&s, "2026-06-01");
    let v = violations_of(&plan, "azure-openai/global-standard", "gpt-4o");
    assert!(
        v.contains("compliance Azure Government: Azure Government has no Global deployments"),
        "{v}"
    );
}

#[test]
fn a_model_not_yet_released_is_unavailable_not_retired() {
    let mut s = Scenario::example();
    s.residency = Residency::DataZone(Zone::UsGov);
    s.models = vec!["gpt-5.6-sol".into()];
    let plan = plan_on(&s, "2026-06-01");
    let v = violations_of(&plan, "azure-openai/data-zone-standard", "gpt-5.6-sol");
    assert!(
        v.contains("availability plan date 2026-06-01: gpt-5.6-sol is not released until 2026-07-09"),
        "{v}"
    );
    assert!(!v.contains("retired"), "{v}");
}

#[test]
fn check_notes_follow_the_fine_tuned_schedule() {
    let mut s = Scenario::example();
    s.customization = llmcap::scenario::Customization::HostedFineTune;
    s.models = vec!["gpt-4o".into()];
    let notes = llmcap::engine::notices(&s, &Catalog::embedded().unwrap(), day("2026-12-01"));
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("models: a fine-tuned gpt-4o retires on 2027-10-01")),
        "{notes:?}"
    );
    assert!(!notes.iter().any(|n| n.contains("retired on")), "{notes:?}");
}
