//! The case library: each scenario of the seeds pins its outcome (recommended option and
//! model, monthly cost to the cent, feasibility of the others) and its whole eval JSON is a
//! golden file. A change to the catalog or the engine that moves an answer shows up here.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use llmcap::catalog::Catalog;
use llmcap::engine::evaluate::evaluate;
use llmcap::engine::plan::{OptionResult, Plan};
use llmcap::scenario;

/// The plan date the library is pinned on.
const PLAN_DATE: &str = "2026-12-01";

fn plan(name: &str) -> Plan {
    plan_on(name, PLAN_DATE)
}

fn plan_on(name: &str, on: &str) -> Plan {
    let catalog = Catalog::embedded().unwrap();
    let path = format!("scenarios/{name}.ron");
    let loaded = scenario::load_file(std::path::Path::new(&path), &catalog).unwrap();
    evaluate(&loaded.scenario, &catalog, on.parse::<llmcap::date::Date>().unwrap()).unwrap()
}

fn cost(o: &OptionResult) -> String {
    llmcap::engine::plan::money_text(o.monthly_cost_usd.unwrap())
}

fn find<'a>(p: &'a Plan, option: &str, model: &str) -> &'a OptionResult {
    p.options
        .iter()
        .find(|o| o.option.id() == option && o.model == model)
        .unwrap_or_else(|| panic!("{option} {model}"))
}

fn recommended(p: &Plan) -> (&str, &str, String) {
    let r = p.recommendation.as_ref().unwrap();
    (
        r.option.id(),
        r.model.as_str(),
        llmcap::engine::plan::money_text(r.monthly_cost_usd),
    )
}

/// (case, option, model, monthly cost). A routed case pins its single-model plan here (what
/// `recommendation` names); its legs are pinned in tests/hybrid.rs.
const OUTCOMES: &[(&str, &str, &str, &str)] = &[
    (
        "cascade-small-then-large",
        "foundry/serverless",
        "llama-4-maverick",
        "17711.63",
    ),
    ("edge-plus-cloud", "foundry/serverless", "llama-4-maverick", "1149.43"),
    (
        "router-classifier-70-25-5",
        "azure-openai/global-standard",
        "gpt-5.4",
        "50627.02",
    ),
    // Foundry managed compute runs the same VMs as self-hosting with no operations FTE:
    // where a small open model on one GPU suffices it undercuts every token price.
    ("content-moderation", "foundry/managed-compute", "gemma-2-2b", "1151.94"),
    (
        "databricks-shop-serving",
        "databricks/serving-gpu",
        "mistral-nemo-12b",
        "671.54",
    ),
    (
        "developer-copilot",
        "self-hosted/cloud-gpu",
        "llama-3.1-70b",
        "35381.60",
    ),
    // Fine-tuned gpt-4.1-mini on Global Standard: tokens, the $1.70/h hosting fee and the
    // training job's one-off $750 (50M tokens x 3 epochs x $5.00/M) over 12 months.
    (
        "contract-review-fine-tune",
        "azure-openai/global-standard",
        "gpt-4.1-mini",
        "1863.17",
    ),
    (
        "eu-data-zone-claims",
        "azure-openai/data-zone-standard",
        "gpt-5.4",
        "17478.63",
    ),
    (
        "eu-region-hr-assistant",
        "foundry/managed-compute",
        "gemma-2-27b",
        "10457.25",
    ),
    // Sub-100 ms on premises: two $249 Jetson Orin Nano Super kits at the edge (power at
    // PUE 1, no colocation) beat every priced datacenter GPU server; the month is mostly
    // the tenth of an engineer the plant gives the devices.
    (
        "factory-edge-sub-100ms",
        "self-hosted/on-premises",
        "llama-3.2-3b",
        "1511.44",
    ),
    // Only owned edge cards and devices are allowed: the one with a public price (the
    // Jetson Orin Nano Super) misses the 200 ms first token at 400 prompt tokens, and the
    // others (T4, A10, L4, RTX 4090, Jetson AGX Orin) have no public price: nothing is
    // recommended until a servers.ron override gives one.
    ("factory-floor-air-gapped", "", "", ""),
    (
        "foia-redaction-government",
        "self-hosted/on-premises",
        "gemma-2-27b",
        "23724.62",
    ),
    (
        "gov-data-zone-caseworker",
        "azure-openai/data-zone-standard",
        "gpt-5.1",
        "3918.64",
    ),
    (
        "japan-retail-assistant",
        "azure-openai/regional-provisioned",
        "gpt-5.4",
        "146000.00",
    ),
    (
        "managed-compute-team",
        "foundry/managed-compute",
        "gemma-2-27b",
        "9543.87",
    ),
    (
        "north-europe-manufacturer",
        "foundry/managed-compute",
        "gemma-2-2b",
        "1285.53",
    ),
    (
        "radiology-report-drafting",
        "self-hosted/cloud-gpu",
        "llama-3.1-70b",
        "28256.80",
    ),
    (
        "rag-assistant-1m",
        "self-hosted/cloud-gpu",
        "mistral-nemo-12b",
        "34403.11",
    ),
    (
        "risk-report-nightly-batch",
        "azure-openai/regional-standard",
        "gpt-4o-mini",
        "1451.79",
    ),
    // Claude Sonnet 4 at the same token price on Anthropic's API and on Foundry serverless,
    // where the default Content Safety filter may be billed on top: the direct API wins by
    // that line, and the rationale says what the Azure side guarantees instead.
    ("startup-claude-direct", "anthropic/api", "claude-sonnet-4", "6364.69"),
    // OpenAI's API and Azure Global Standard bill gpt-5.4-mini at the same price: the tie
    // goes to Azure, and the rationale says why not call OpenAI directly.
    (
        "startup-openai-direct",
        "azure-openai/global-standard",
        "gpt-5.4-mini",
        "3113.91",
    ),
    (
        "support-chatbot",
        "foundry/managed-compute",
        "mistral-nemo-12b",
        "8043.87",
    ),
];

#[test]
fn every_case_is_in_the_library_and_pins_its_recommendation() {
    let mut files: Vec<String> = std::fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut pinned: Vec<&str> = OUTCOMES.iter().map(|o| o.0).collect();
    pinned.sort();
    assert_eq!(files, pinned, "every scenario file has a pinned outcome");
    for (case, option, model, usd) in OUTCOMES {
        let p = plan(case);
        if option.is_empty() {
            assert!(p.recommendation.is_none(), "{case}");
            assert!(p.options.iter().all(|o| !o.feasible), "{case}");
            continue;
        }
        assert_eq!(recommended(&p), (*option, *model, usd.to_string()), "{case}");
        // The recommendation is the cheapest feasible option, and options are ranked.
        let first = p.options.iter().find(|o| o.feasible).unwrap();
        assert_eq!((first.option.id(), first.model.as_str()), (*option, *model), "{case}");
        let feasible: Vec<_> = p.options.iter().filter(|o| o.feasible).collect();
        assert!(
            feasible
                .windows(2)
                .all(|w| w[0].monthly_cost_usd <= w[1].monthly_cost_usd),
            "{case}: ranking"
        );
        assert!(
            p.options
                .iter()
                .skip(feasible.len())
                .all(|o| !o.feasible && !o.violations.is_empty()),
            "{case}"
        );
    }
}

#[test]
fn chatbot_reproduces_the_seed_figure_on_gpt_4o_mini() {
    // The seed's figure is from before gpt-4o-mini retired (2026-10-01): planned on a day
    // it was still deployable.
    let p = plan_on("support-chatbot", "2026-06-18");
    let o = find(&p, "azure-openai/global-standard", "gpt-4o-mini");
    assert!(o.feasible);
    assert_eq!(cost(o), "1825.00");
    assert_eq!(o.cost_breakdown[0].item, "input tokens: 6,083 M x $0.15/M");
    assert_eq!(o.cost_breakdown[1].item, "output tokens: 1,521 M x $0.60/M");
    assert_eq!(p.demand.input_tokens_per_month, 6_083_333_333.0);
    assert_eq!(p.demand.output_tokens_per_month, 1_520_833_333.0);
    // Data Zone is 10% over Global.
    assert_eq!(
        cost(find(&p, "azure-openai/data-zone-standard", "gpt-4o-mini")),
        "2007.50"
    );
    // Batch is ruled out for an interactive chatbot, but still priced.
    let b = find(&p, "azure-openai/global-batch", "gpt-4o-mini");
    assert!(!b.feasible);
    assert_eq!(cost(b), "912.50");
    // PTU: the peak needs 15.02 PTU (20 in steps of 5); 15 PTU at $1/PTU-hour with the
    // busiest minutes spilling to Global Standard is cheaper. Break-even far above 100%.
    let ptu = find(&p, "azure-openai/global-provisioned", "gpt-4o-mini");
    assert_eq!(ptu.ptu, Some(15));
    assert_eq!(ptu.ptu_detail.as_ref().unwrap().ptu_for_peak, 20);
    assert_eq!(cost(ptu), "10950.01");
    assert_eq!(ptu.ptu_detail.as_ref().unwrap().break_even_utilization, Some(3.003));
    let rationale = p.recommendation.as_ref().unwrap().rationale.join("\n");
    assert!(
        rationale.contains("not at the ~60% of the rule of thumb"),
        "{rationale}"
    );
}

#[test]
fn constraints_rule_out_what_they_must() {
    // Air-gapped: only on-premises self-hosting could be feasible, and the allowed edge
    // cards have no server price: each says so and how to give one, rather than borrowing
    // a cloud GPU-hour.
    let p = plan("factory-floor-air-gapped");
    assert!(
        p.options
            .iter()
            .filter(|o| o.feasible)
            .all(|o| o.option.id() == "self-hosted/on-premises")
    );
    let owned: Vec<_> = p
        .options
        .iter()
        .filter(|o| o.option.id() == "self-hosted/on-premises")
        .collect();
    assert!(!owned.is_empty());
    for o in owned {
        let why: Vec<String> = o.violations.iter().map(ToString::to_string).collect();
        assert!(
            why.iter()
                .any(|v| v.contains("no server price for") && v.contains("servers.ron override")),
            "{}: {why:?}",
            o.model
        );
    }
    // FedRAMP High: only Azure Government models among managed options, never Foundry or Global.
    let p = plan("foia-redaction-government");
    for o in p.options.iter().filter(|o| o.feasible) {
        assert!(
            !o.option.id().starts_with("foundry/") && !o.option.id().contains("global"),
            "{} {}",
            o.option,
            o.model
        );
        if o.option.id().starts_with("azure-openai/") {
            assert!(
                ["gpt-4o", "gpt-4o-mini", "o3-mini"].contains(&o.model.as_str()),
                "{}",
                o.model
            );
        }
    }
    assert!(
        find(&p, "self-hosted/cloud-gpu", "llama-3.1-70b").violations[0]
            .to_string()
            .starts_with("compliance")
    );
    // Region residency: no Global or Data Zone options; Foundry without a listed region is out.
    let p = plan("radiology-report-drafting");
    for o in p.options.iter().filter(|o| o.feasible) {
        assert!(
            !o.option.id().contains("global")
                && !o.option.id().contains("data-zone")
                && o.option.id() != "foundry/serverless"
        );
    }
    // Full-fine-tuning is not asked; hosted fine-tuning adds the hosting fee to Standard.
    let ft = find(&p, "azure-openai/regional-standard", "gpt-4.1");
    assert!(
        ft.cost_breakdown
            .iter()
            .any(|l| l.item.starts_with("fine-tuned deployment hosting"))
    );
    // Data Zone residency: no Global option is feasible.
    let p = plan("risk-report-nightly-batch");
    assert!(
        p.options
            .iter()
            .filter(|o| o.feasible)
            .all(|o| !o.option.id().contains("global") && o.option.id() != "foundry/serverless")
    );
    // An 800 ms first-token target rules out every hosted option (hosted TTFT + round trip).
    let p = plan("developer-copilot");
    assert!(
        p.options
            .iter()
            .filter(|o| o.feasible)
            .all(|o| o.option.id().starts_with("self-hosted/") || o.option.id() == "foundry/managed-compute")
    );
}

/// The startup case with its scenario changed by `edit`, on the pinned plan date.
fn startup_with(edit: impl FnOnce(&mut scenario::Scenario)) -> Plan {
    let catalog = Catalog::embedded().unwrap();
    let path = std::path::Path::new("scenarios/startup-openai-direct.ron");
    let mut s = scenario::load_file(path, &catalog).unwrap().scenario;
    edit(&mut s);
    evaluate(&s, &catalog, PLAN_DATE.parse::<llmcap::date::Date>().unwrap()).unwrap()
}

fn violations(o: &OptionResult) -> Vec<String> {
    o.violations.iter().map(ToString::to_string).collect()
}

#[test]
fn the_startup_case_compares_openai_direct_with_azure() {
    let p = plan("startup-openai-direct");
    let direct = find(&p, "openai/api", "gpt-5.4-mini");
    assert!(direct.feasible, "{:?}", violations(direct));
    assert_eq!(cost(direct), "3113.91");
    // Outside Azure: no region, no Azure quota tiers.
    assert!(direct.region.is_none());
    assert!(
        direct.warnings.iter().all(|w| !w.starts_with("quota")),
        "{:?}",
        direct.warnings
    );
    let r = p.recommendation.as_ref().unwrap();
    let line = r
        .rationale
        .iter()
        .find(|l| l.starts_with("Why not call OpenAI directly?"))
        .unwrap_or_else(|| panic!("{:#?}", r.rationale));
    assert!(
        line.contains("openai/api gpt-5.4-mini costs $3,114/month, the same as the best Azure option, azure-openai/global-standard gpt-5.4-mini"),
        "{line}"
    );
}

#[test]
fn direct_apis_are_ruled_out_by_azure_data_and_government_rules() {
    // An EU data zone: the providers' APIs give no Azure data-zone guarantee.
    let p = startup_with(|s| {
        s.residency = scenario::Residency::DataZone(llmcap::vocab::Zone::Eu);
        // Reasoning models' first token comes late; a relaxed target leaves Data Zone feasible.
        s.latency.ttft_ms = 60_000.0;
    });
    let direct = find(&p, "openai/api", "gpt-5.4-mini");
    assert!(!direct.feasible);
    assert!(
        violations(direct)[0].contains("OpenAI's API runs outside Azure: no Azure data zone or region guarantee"),
        "{:?}",
        violations(direct)
    );
    // The line says what rules the direct API out, with the money it would save or cost.
    let r = p.recommendation.as_ref().unwrap();
    assert!(
        r.rationale
            .iter()
            .any(|l| l.starts_with("Why not call OpenAI directly?") && l.contains("ruled out: residency DataZone(Eu)")),
        "{:#?}",
        r.rationale
    );
    // FedRAMP High needs Azure Government: every direct option is out.
    let p = startup_with(|s| s.compliance = vec![scenario::Compliance::FedRampHigh]);
    for o in p.options.iter().filter(|o| o.option.id() == "openai/api") {
        assert!(!o.feasible);
        assert!(
            violations(o)
                .iter()
                .any(|v| v.starts_with("compliance FedRampHigh") && v.contains("not an Azure Government service")),
            "{:?}",
            violations(o)
        );
    }
    // Hosted fine-tuning: the catalog has no fine-tuning price for the direct API.
    let p = startup_with(|s| s.customization = scenario::Customization::HostedFineTune);
    assert!(
        violations(find(&p, "openai/api", "gpt-5.4-mini"))
            .iter()
            .any(|v| v.starts_with("customization HostedFineTune") && v.contains("no fine-tuning prices"))
    );
}

#[test]
fn hipaa_on_a_direct_api_is_a_baa_warning_with_its_condition() {
    let p = startup_with(|s| s.compliance = vec![scenario::Compliance::Hipaa]);
    let direct = find(&p, "openai/api", "gpt-5.4-mini");
    assert!(direct.feasible, "{:?}", violations(direct));
    assert!(
        direct
            .warnings
            .iter()
            .any(|w| w.starts_with("HIPAA: OpenAI signs a BAA")
                && w.contains("Zero Data Retention")
                && w.contains("help.openai.com")),
        "{:?}",
        direct.warnings
    );
    let p = startup_with(|s| {
        s.compliance = vec![scenario::Compliance::Hipaa];
        s.models = vec!["claude-sonnet-4".to_string()];
    });
    let claude = find(&p, "anthropic/api", "claude-sonnet-4");
    assert!(
        claude
            .warnings
            .iter()
            .any(|w| w.starts_with("HIPAA: Anthropic's BAA") && w.contains("HIPAA-ready")),
        "{:?}",
        claude.warnings
    );
    // A model the provider has withdrawn is not planned on its API.
    let p = startup_with(|s| s.models = vec!["claude-haiku-3.5".to_string()]);
    assert!(
        violations(find(&p, "anthropic/api", "claude-haiku-3.5"))
            .iter()
            .any(|v| v.starts_with("availability") && v.contains("no longer offered"))
    );
}

/// A case with its scenario changed by `edit`, on the pinned plan date.
fn case_with(name: &str, edit: impl FnOnce(&mut scenario::Scenario)) -> Plan {
    let catalog = Catalog::embedded().unwrap();
    let path = format!("scenarios/{name}.ron");
    let mut s = scenario::load_file(std::path::Path::new(&path), &catalog)
        .unwrap()
        .scenario;
    edit(&mut s);
    evaluate(&s, &catalog, PLAN_DATE.parse::<llmcap::date::Date>().unwrap()).unwrap()
}

#[test]
fn a_fine_tune_shows_its_training_as_a_one_off_amortised() {
    let p = plan("contract-review-fine-tune");
    let o = find(&p, "azure-openai/global-standard", "gpt-4.1-mini");
    let line = o
        .cost_breakdown
        .iter()
        .find(|l| {
            l.item
                .starts_with("fine-tuning training (one-off $750, amortised over 12 months)")
        })
        .unwrap_or_else(|| panic!("{:#?}", o.cost_breakdown));
    assert_eq!(llmcap::engine::plan::money_text(line.usd), "62.50");
    let ft = o.fine_tuning.as_ref().unwrap();
    assert_eq!(
        ft.training_one_off_usd.map(llmcap::engine::plan::money_text).as_deref(),
        Some("750.00")
    );
    assert_eq!(ft.months, 12);
    assert_eq!(llmcap::engine::plan::money_text(ft.hosting_monthly_usd), "1241.00");
    // The JSON carries the group after the existing fields.
    let json = serde_json::to_value(o).unwrap();
    assert_eq!(json["fine_tuning"]["training_one_off_usd"], "750.00");
    assert_eq!(json["fine_tuning"]["amortized_monthly_usd"], "62.50");
    // The sweep's curve carries the amortised share too.
    let demand = llmcap::engine::demand::Demand::with_volume(
        &scenario::load_file(
            std::path::Path::new("scenarios/contract-review-fine-tune.ron"),
            &Catalog::embedded().unwrap(),
        )
        .unwrap()
        .scenario,
        5000.0,
    );
    assert_eq!(
        o.curve.as_ref().unwrap().monthly(&demand).round_dp(2),
        o.monthly_cost_usd.unwrap().round_dp(2)
    );
    // The Developer tier is for evaluating, never an option.
    let r = p.recommendation.as_ref().unwrap();
    assert!(
        r.rationale
            .iter()
            .any(|l| l.contains("Developer tier") && l.contains("never for production"))
    );
    assert!(p.options.iter().all(|o| !o.option.id().contains("developer")));
}

#[test]
fn a_fine_tune_without_a_price_or_over_the_job_limit_says_so() {
    // No training price: the line says what to set, the plan warns, nothing is invented.
    let p = case_with("contract-review-fine-tune", |s| {
        s.fine_tuning.as_mut().unwrap().training_usd_per_million = None;
    });
    let o = find(&p, "azure-openai/global-standard", "gpt-4.1-mini");
    assert!(o.cost_breakdown.iter().any(|l| {
        l.item
            .contains("training cost not priced: set fine_tuning.training_usd_per_million")
            && l.usd.is_zero()
    }));
    assert!(o.fine_tuning.as_ref().unwrap().training_one_off_usd.is_none());
    let r = p.recommendation.as_ref().unwrap();
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("training cost not priced: set fine_tuning.training_usd_per_million")),
        "{:?}",
        r.warnings
    );
    // 1 billion tokens x 3 epochs is over Azure's 2 billion a job.
    let p = case_with("contract-review-fine-tune", |s| {
        s.fine_tuning.as_mut().unwrap().training_tokens = 1e9;
    });
    let o = find(&p, "azure-openai/global-standard", "gpt-4.1-mini");
    assert!(!o.feasible);
    assert!(
        violations(o)
            .iter()
            .any(|v| v.starts_with("customization fine_tuning") && v.contains("over the 2 billion")),
        "{:?}",
        violations(o)
    );
    // Azure Government: no fine-tuning there.
    let p = case_with("contract-review-fine-tune", |s| {
        s.compliance = vec![scenario::Compliance::FedRampHigh];
    });
    assert!(
        p.options
            .iter()
            .filter(|o| o.option.id().starts_with("azure-openai/"))
            .all(|o| !o.feasible)
    );
    assert!(
        violations(find(&p, "azure-openai/regional-standard", "gpt-4.1-mini"))
            .iter()
            .any(|v| v.contains("fine-tuning is not supported in Azure Government"))
    );
    // Open weights with LoRA: the adapters' memory is said not to be modelled.
    let p = case_with("contract-review-fine-tune", |s| {
        s.models = vec!["llama-3.1-8b".to_string()]
    });
    let o = find(&p, "self-hosted/cloud-gpu", "llama-3.1-8b");
    assert!(
        o.warnings
            .iter()
            .any(|w| w.starts_with("fine-tuning (LoRA)") && w.contains("not modelled"))
    );
    // On GPUs the job is GPU-hours: the scenario's per-token price is Azure OpenAI's and is
    // not applied, and the line says why.
    assert!(
        o.cost_breakdown.iter().any(|l| l
            .item
            .starts_with("fine-tuning training (50M tokens x 3 epochs) on GPUs: not priced")),
        "{:?}",
        o.cost_breakdown
    );
    assert!(o.fine_tuning.as_ref().unwrap().training_one_off_usd.is_none());
    // Without a fine_tuning group at all, a fine-tuned option says its training is not priced.
    let p = case_with("contract-review-fine-tune", |s| s.fine_tuning = None);
    let o = find(&p, "azure-openai/global-standard", "gpt-4.1-mini");
    assert!(
        o.warnings
            .iter()
            .any(|w| w.starts_with("fine-tuning: the training job is not priced: add a fine_tuning group")),
        "{:?}",
        o.warnings
    );
}

#[test]
fn self_hosted_options_carry_their_sizing() {
    let p = plan("developer-copilot");
    let o = p
        .options
        .iter()
        .find(|o| o.feasible && o.option.id() == "self-hosted/cloud-gpu")
        .unwrap();
    let sh = o.self_hosted.as_ref().unwrap();
    assert!(sh.replicas_peak >= 1 && sh.gpus_peak >= sh.tp && sh.batch_per_replica >= 1);
    assert!(sh.ttft_ms <= 800.0, "meets the target: {}", sh.ttft_ms);
    assert!(1000.0 / sh.tpot_ms >= 40.0 - 1e-9, "meets the speed: {}", sh.tpot_ms);
    let v = &sh.vram_per_gpu_gib;
    assert!(v.total <= v.capacity && v.weights > 0.0);
    assert!(o.cost_breakdown.iter().any(|l| l.item.starts_with("operations")));
}

#[test]
fn golden_json_for_every_case() {
    for (case, _, _, _) in OUTCOMES {
        let json = serde_json::to_string_pretty(&plan(case)).unwrap();
        insta::assert_snapshot!(format!("case_{}", case.replace('-', "_")), json);
    }
}

#[test]
fn an_edge_device_answers_the_sub_100ms_branch_priced_as_owned_at_the_edge() {
    let p = plan("factory-edge-sub-100ms");
    let (option, model, _) = recommended(&p);
    let r = find(&p, option, model);
    let sh = r.self_hosted.as_ref().unwrap();
    assert_eq!(sh.vm, "jetson-orin-nano-super-devkit");
    assert_eq!(sh.tp, 1);
    let lines: Vec<&str> = r.cost_breakdown.iter().map(|l| l.item.as_str()).collect();
    assert!(lines.iter().any(|l| l.contains("PUE 1 (at the edge")), "{lines:?}");
    assert!(
        lines.iter().any(|l| l.starts_with("colocation: none (at the edge")),
        "{lines:?}"
    );
    assert!(lines.iter().any(|l| l.starts_with("support: none")), "{lines:?}");
    // A datacenter server could serve it too, at a far higher hardware month (a DGX A100
    // amortised is thousands a month): the devices cost $11 beside the $1,500 of operations.
    assert!(r.monthly_cost_usd.unwrap() < rust_decimal::Decimal::from(1_600));
}

fn rationale(p: &Plan) -> String {
    p.recommendation.as_ref().unwrap().rationale.join("\n")
}

#[test]
fn managed_compute_charges_the_platform_fte_not_the_self_hosting_one_and_says_what_remains() {
    let p = plan("managed-compute-team");
    let r = rationale(&p);
    assert!(r.contains("team.self_hosting_fte is not charged"), "{r}");
    assert!(r.contains("autoscale rules") && r.contains("requests quota"), "{r}");
    assert!(r.contains("charged as team.platform_fte (0.1 FTE)"), "{r}");
    assert!(r.contains("at least 3 instances"), "{r}");
    let mc = find(&p, "foundry/managed-compute", "gemma-2-27b");
    let ops: Vec<_> = mc
        .cost_breakdown
        .iter()
        .filter(|l| l.item.starts_with("operations"))
        .collect();
    assert_eq!(ops.len(), 1, "{:?}", mc.cost_breakdown);
    assert!(
        ops[0].item.contains("0.1 FTE x $15,000/month (team.platform_fte"),
        "{}",
        ops[0].item
    );
    assert_eq!(ops[0].usd, rust_decimal::Decimal::from(1_500));
    assert!(mc.self_hosted.as_ref().unwrap().vms_peak >= 3);
    // The same configuration self-hosted pays the self-hosting FTE, which is what it loses by.
    let sh = find(&p, "self-hosted/cloud-gpu", "gemma-2-27b");
    assert!(sh.cost_breakdown.iter().any(|l| l.item.contains("0.5 FTE")));
    assert!(sh.monthly_cost_usd > mc.monthly_cost_usd);
    // An exempt A100 size asks for instances x vCPUs, no 20% reservation.
    assert!(
        mc.warnings
            .iter()
            .any(|w| w.contains("request 72 vCPUs") && w.contains("skips the 20% reservation")),
        "{:?}",
        mc.warnings
    );
}

#[test]
fn without_a_platform_fte_managed_compute_says_it_charges_no_operations() {
    // The support chatbot gives no team.platform_fte: nothing is invented for it, and the
    // plan says so where managed compute wins.
    let p = plan("support-chatbot");
    let (option, model, _) = recommended(&p);
    assert_eq!(option, "foundry/managed-compute");
    let r = rationale(&p);
    assert!(
        r.contains("no operations FTE is charged for that work (team.platform_fte 0"),
        "{r}"
    );
    let mc = find(&p, option, model);
    assert!(!mc.cost_breakdown.iter().any(|l| l.item.starts_with("operations")));
}

#[test]
fn databricks_serving_wins_for_a_databricks_shop_and_says_why() {
    let p = plan("databricks-shop-serving");
    let r = rationale(&p);
    assert!(r.contains("team.databricks: yes"), "{r}");
    assert!(r.contains("no operations FTE is charged"), "{r}");
    // Asynchronous with idle hours: the endpoint scales to zero and pays its launches.
    let o = find(&p, "databricks/serving-gpu", "mistral-nemo-12b");
    let launch = o
        .cost_breakdown
        .iter()
        .find(|l| l.item.starts_with("scale-to-zero launches: 1 a day"))
        .expect("a launch line");
    assert_eq!(llmcap::engine::plan::money_text(launch.usd), "2.13");
    assert!(o.self_hosted.as_ref().unwrap().replicas_by_hour.contains(&0));
}

#[test]
fn without_databricks_every_databricks_option_has_the_platform_violation() {
    let p = plan("support-chatbot");
    let dbx: Vec<_> = p
        .options
        .iter()
        .filter(|o| o.option.id().starts_with("databricks/"))
        .collect();
    assert!(dbx.iter().any(|o| o.option.id() == "databricks/serving-gpu"));
    assert!(dbx.iter().any(|o| o.option.id() == "databricks/pay-per-token"));
    assert!(dbx.iter().any(|o| o.option.id() == "databricks/provisioned"));
    for o in dbx {
        assert!(!o.feasible);
        assert!(
            o.violations.iter().any(|v| v.to_string()
                == "platform team.databricks: the team does not run Azure Databricks (team.databricks: no): a workspace, Unity Catalog and the skills come first; set team.databricks to compare it"),
            "{} {}: {:?}",
            o.option,
            o.model,
            o.violations
        );
    }
}

#[test]
fn azure_government_rules_databricks_out() {
    for case in ["foia-redaction-government", "gov-data-zone-caseworker"] {
        let p = plan(case);
        for o in p.options.iter().filter(|o| o.option.id().starts_with("databricks/")) {
            assert!(
                o.violations
                    .iter()
                    .any(|v| v.to_string().starts_with("compliance") && v.to_string().contains("Azure Government")),
                "{case} {} {}: {:?}",
                o.option,
                o.model,
                o.violations
            );
        }
    }
}

#[test]
fn databricks_pay_per_token_and_provisioned_follow_their_sources() {
    let p = plan("support-chatbot");
    let ppt = find(&p, "databricks/pay-per-token", "llama-3.3-70b");
    assert!(
        ppt.cost_breakdown[0].item.contains("$0.50/M"),
        "{:?}",
        ppt.cost_breakdown
    );
    // Maverick has a published unit size but an unconfirmed price basis: not priced, with
    // both readings in the violation.
    let pt = find(&p, "databricks/provisioned", "llama-4-maverick");
    assert!(!pt.feasible && pt.monthly_cost_usd.is_none());
    let v = pt
        .violations
        .iter()
        .map(|v| v.to_string())
        .find(|v| v.starts_with("price:"))
        .unwrap();
    assert!(
        v.contains("not confirmed per model unit") && v.contains("read per chunk of the 50 units"),
        "{v}"
    );
    let other = find(&p, "databricks/provisioned", "llama-3.3-70b");
    assert!(
        other
            .violations
            .iter()
            .any(|v| v.to_string() == "price: Databricks publishes no throughput per model unit for llama-3.3-70b")
    );
    // In the EU only Llama 3.3 70B is served pay-per-token.
    let p = plan("eu-data-zone-claims");
    assert!(
        find(&p, "databricks/pay-per-token", "gpt-oss-120b")
            .violations
            .iter()
            .any(|v| v.to_string().contains("in the EU only Llama 3.3 70B"))
    );
    assert!(
        !find(&p, "databricks/pay-per-token", "llama-3.3-70b")
            .violations
            .iter()
            .any(|v| v.kind == llmcap::vocab::ViolationKind::Availability)
    );
}

#[test]
fn managed_compute_on_a_t4_asks_for_the_20_percent_reservation() {
    let p = plan("content-moderation");
    let o = find(&p, "foundry/managed-compute", "gemma-2-2b");
    let sh = o.self_hosted.as_ref().unwrap();
    assert_eq!((sh.vm.as_str(), sh.vms_peak), ("Standard_NC4as_T4_v3", 3));
    assert!(
        o.warnings.iter().any(|w| w.contains("request 16 vCPUs")
            && w.contains("ceil(1.2 x 3) = 4 instances x 4 vCPUs")
            && w.contains("reserves 20% of the quota")),
        "{:?}",
        o.warnings
    );
}

#[test]
fn databricks_pay_per_token_says_it_is_not_its_production_path_and_is_out_under_hipaa() {
    // The radiology case asks for HIPAA.
    let p = plan("radiology-report-drafting");
    let ppt: Vec<_> = p
        .options
        .iter()
        .filter(|o| o.option.id() == "databricks/pay-per-token")
        .collect();
    assert!(!ppt.is_empty());
    for o in ppt {
        assert!(
            o.violations
                .iter()
                .any(|v| v.to_string().starts_with("compliance Hipaa: Databricks names")),
            "{} {:?}",
            o.model,
            o.violations
        );
    }
    let p = plan("support-chatbot");
    let ppt = find(&p, "databricks/pay-per-token", "llama-3.3-70b");
    assert!(
        ppt.violations
            .iter()
            .any(|v| v.kind == llmcap::vocab::ViolationKind::Platform
                && v.detail.contains("not designed for high-throughput applications")),
        "{:?}",
        ppt.violations
    );
}

#[test]
fn anthropic_direct_wins_claude_by_foundrys_content_filter_and_says_so() {
    let p = plan("startup-claude-direct");
    let r = rationale(&p);
    assert!(r.contains("Why not call Anthropic directly?"), "{r}");
    assert!(
        r.contains("less than the best Azure option, foundry/serverless claude-sonnet-4"),
        "{r}"
    );
    let direct = find(&p, "anthropic/api", "claude-sonnet-4");
    let foundry = find(&p, "foundry/serverless", "claude-sonnet-4");
    let filter: rust_decimal::Decimal = foundry
        .cost_breakdown
        .iter()
        .filter(|l| l.item.starts_with("content filter"))
        .map(|l| l.usd)
        .sum();
    assert!(filter > rust_decimal::Decimal::ZERO);
    // The whole difference is Foundry's filter: the token lines are the same.
    assert_eq!(
        foundry.monthly_cost_usd.unwrap() - direct.monthly_cost_usd.unwrap(),
        filter
    );
    // With the filter off (turned off, or not billed) the two tie and Azure wins the tie.
    let p = case_with("startup-claude-direct", |s| s.pricing.foundry_content_filter = false);
    assert_eq!(recommended(&p).0, "foundry/serverless");
}
