//! The recommendation: the cheapest feasible option with its reasons (the constraint path,
//! the cost drivers, the runner-up, the PTU break-even against the ~60% rule of thumb) and
//! the anti-pattern warnings; or, when nothing is feasible, what ruled the options out.

use rust_decimal::Decimal;

use super::context::Ctx;
use super::demand::dec;
use super::plan::{CostLine, Family, Plan, Recommendation};
use crate::scenario::{Compliance, Customization, LatencyMode, PrecisionChoice, Residency, Scenario};
use crate::text::usd_whole;
use crate::vocab::{Place, Scope, ViolationKind as K};

pub(super) fn infeasible_summary(s: &Scenario, plan: &Plan) -> Vec<String> {
    let mut reasons: Vec<(K, usize)> = Vec::new();
    // Options, not violations: an option with two latency violations is ruled out once.
    for o in &plan.options {
        for (i, v) in o.violations.iter().enumerate() {
            if o.violations[..i].iter().any(|w| w.kind == v.kind) {
                continue;
            }
            match reasons.iter_mut().find(|(k, _)| *k == v.kind) {
                Some(r) => r.1 += 1,
                None => reasons.push((v.kind, 1)),
            }
        }
    }
    reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.label().cmp(b.0.label())));
    let mut out = vec![format!(
        "No option is feasible: {} options x models evaluated.",
        plan.options.len()
    )];
    for (k, n) in reasons {
        let example = plan
            .options
            .iter()
            .flat_map(|o| o.violations.iter())
            .find(|v| v.kind == k)
            .map(ToString::to_string)
            .unwrap_or_default();
        out.push(format!("{k}: rules out {n} (e.g. {example})"));
    }
    if let Some(line) = sites_line(s, plan) {
        out.push(line);
    }
    out
}

/// Which self-hosting places were compared, when the scenario left one out.
fn sites_line(s: &Scenario, plan: &Plan) -> Option<String> {
    let self_hosted = plan.options.iter().any(|o| o.family == Family::SelfHosted);
    if !self_hosted {
        return None;
    }
    if s.residency.requires_on_premises() && !s.offers_on_premises() {
        return Some(format!(
            "Owned servers excluded: self_hosting.sites is {:?}, and the residency {:?} allows nothing else (set sites: OnPremises or Both).",
            s.self_hosting.sites, s.residency
        ));
    }
    if !s.offers_on_premises() && !s.residency.requires_on_premises() {
        return Some(format!(
            "Owned servers not compared: self_hosting.sites is {:?} and the residency allows Azure GPU VMs (set sites: Both to compare them).",
            s.self_hosting.sites
        ));
    }
    if !s.offers_cloud_gpus() {
        return Some("Azure GPU VMs not compared: self_hosting.sites is OnPremises.".to_string());
    }
    None
}

pub(super) fn recommend(ctx: &Ctx, plan: &Plan) -> Option<Recommendation> {
    let s = ctx.s;
    let winner = plan
        .options
        .iter()
        .find(|o| o.feasible && o.monthly_cost_usd.is_some())?;
    let cost = winner.monthly_cost_usd?;
    let mut rationale = Vec::new();
    let mut warnings = Vec::new();

    // 1. The constraint path, as in the seeds' decision trees.
    rationale.push(constraint_path(s));
    if let Some(note) = &ctx.region_note {
        rationale.push(format!("{note}."));
    }
    if let Some(line) = retired_line(ctx, plan) {
        rationale.push(line);
    }
    if let Some(line) = sites_line(s, plan) {
        rationale.push(line);
    }
    let ruled_out: usize = plan.options.iter().filter(|o| !o.feasible).count();
    if ruled_out > 0 {
        let mut kinds: Vec<&str> = plan
            .options
            .iter()
            .filter(|o| !o.feasible)
            .filter_map(|o| o.violations.first())
            .map(|v| v.kind.label())
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        rationale.push(format!(
            "{ruled_out} of {} options x models ruled out ({}); {} feasible.",
            plan.options.len(),
            kinds.join(", "),
            plan.options.len() - ruled_out
        ));
    }

    // 2. The winner's cost drivers.
    let mut drivers: Vec<&CostLine> = winner.cost_breakdown.iter().filter(|l| l.usd > Decimal::ZERO).collect();
    drivers.sort_by_key(|l| std::cmp::Reverse(l.usd));
    let drivers: Vec<String> = drivers
        .iter()
        .take(3)
        .map(|l| format!("{} = {}", l.item, usd_whole(l.usd)))
        .collect();
    rationale.push(format!(
        "{} {} at {}/month: {}.",
        winner.option,
        winner.model,
        usd_whole(cost),
        drivers.join("; ")
    ));
    if let Some(sh) = &winner.self_hosted {
        let fleet = if sh.place == Place::OnPremises {
            format!("{} owned server(s) {} ({} GPUs)", sh.vms_peak, sh.vm, sh.gpus_peak)
        } else {
            format!("{} x {} ({} GPUs)", sh.vms_peak, sh.vm, sh.gpus_peak)
        };
        rationale.push(format!(
            "Sizing: {} replica(s) at the peak on {fleet}, {}, tp {}, each serving up to {} requests at once (limited by {}; {} max_num_seqs {}, {} batched tokens a step); average utilisation {:.0}%.",
            sh.replicas_peak,
            sh.precision,
            sh.tp,
            sh.batch_per_replica,
            sh.batch_limited_by,
            sh.engine.name.split(' ').next().unwrap_or("engine"),
            sh.engine.max_num_seqs,
            crate::text::thousands(u64::from(sh.engine.max_num_batched_tokens)),
            sh.average_utilization * 100.0
        ));
        rationale.push(format!(
            "Latency: p{} first token {:.0} ms in the busiest hour at {:.0}% of the replicas' capacity (queue wait {:.0} ms: M/G/c over the fleet's batch slots behind a least-busy load balancer); replicas are added above {:.0}%, or sooner where the wait would pass the target{}.",
            crate::text::fmt_num(sh.ttft_percentile),
            sh.ttft_ms,
            sh.peak_load * 100.0,
            sh.queue_wait_ms,
            sh.max_load * 100.0,
            match s.self_hosting.min_replicas {
                None if winner.family == Family::ManagedCompute && s.latency.mode == LatencyMode::Interactive => {
                    "; at least 3 instances run at all hours (Microsoft recommends 3 or more for a production managed online deployment)".to_string()
                }
                None if s.min_replicas() > 1 => format!(
                    "; at least {} replicas run at all hours (the default for an interactive workload, so one can fail or be upgraded while the other serves)",
                    s.min_replicas()
                ),
                _ => String::new(),
            }
        ));
    }

    match winner.family {
        Family::ManagedCompute => rationale.push(format!(
            "Foundry managed compute: billed as the VMs in the region (no platform surcharge for open models), so no AKS to run; {}; {}.",
            super::dedicated::MANAGED_COMPUTE_OPS,
            super::dedicated::platform_ops_charge(ctx.s.team.platform_fte)
        )),
        Family::Databricks => {
            rationale.push(
                "Databricks: the team already runs Azure Databricks (team.databricks: yes), the condition for serving there; without it the Databricks options are ruled out (platform).".to_string(),
            );
            if winner.self_hosted.is_some() {
                rationale.push(format!(
                    "{}; {}.",
                    super::dedicated::DATABRICKS_OPS,
                    super::dedicated::platform_ops_charge(ctx.s.team.platform_fte)
                ));
            }
        }
        _ => {}
    }

    // 3. Why the runner-up lost, and by how much.
    if let Some(runner) = plan
        .options
        .iter()
        .filter(|o| o.feasible && o.monthly_cost_usd.is_some())
        // The providers' own APIs have their own line below, beside an Azure winner.
        .filter(|o| o.family != Family::DirectApi || winner.family == Family::DirectApi)
        .find(|o| o.key() != winner.key() && (o.family != winner.family || o.model != winner.model))
        && let Some(rc) = runner.monthly_cost_usd
    {
        let more = rc - cost;
        // Checked: a catalog override can make the winner cost next to nothing.
        let pct = more
            .checked_div(cost)
            .and_then(|r| r.checked_mul(Decimal::from(100)))
            .map_or_else(|| "many times".to_string(), |p| format!("{}%", p.round_dp(0)));
        rationale.push(format!(
            "Runner-up: {} {} at {}/month, {} more ({pct}).",
            runner.option,
            runner.model,
            usd_whole(rc),
            usd_whole(more),
        ));
    }

    // 3b. "Why not call OpenAI directly?": the providers' own APIs against Azure.
    if let Some(line) = super::direct::direct_line(plan, winner) {
        rationale.push(line);
    }

    // 4. PTU break-even against the seeds' "~60%" rule of thumb.
    let provisioned = |feasible: bool| {
        plan.options
            .iter()
            .filter(|o| o.family == Family::Provisioned && o.ptu_detail.is_some() && o.monthly_cost_usd.is_some())
            .filter(|o| o.feasible || !feasible)
            .min_by(|a, b| a.monthly_cost_usd.cmp(&b.monthly_cost_usd))
    };
    if let Some(p) = provisioned(true).or_else(|| provisioned(false))
        && let Some(detail) = &p.ptu_detail
        && let Some(be) = detail.break_even_utilization
    {
        let twin = format!(
            "{} Standard",
            p.option
                .deployment()
                .and_then(|d| d.standard_twin().scope())
                .unwrap_or(Scope::Regional)
                .label()
        );
        let verdict = if be > 1.0 {
            format!(
                "never pays off against {twin} at these prices (it would need {:.0}% utilisation)",
                be * 100.0
            )
        } else {
            format!(
                "pays off against {twin} only above {:.0}% utilisation at these prices",
                be * 100.0
            )
        };
        rationale.push(format!(
            "PTU ({} {}{}): {verdict}, not at the ~60% of the rule of thumb; this workload would use {:.0}% of {} PTU.",
            p.option.short(),
            p.model,
            if p.feasible { "" } else { ", ruled out here" },
            detail.utilization * 100.0,
            p.ptu.unwrap_or(0)
        ));
    }

    // 5. Anti-pattern warnings (the seeds) and self-hosting caveats.
    let bursty = s.traffic.peak_to_average >= 2.0 || {
        let w = super::demand::hourly_weights(&s.traffic.pattern);
        let max = w.iter().copied().fold(0.0, f64::max);
        max * 24.0 >= 2.0
    };
    if winner.family == Family::Provisioned {
        if bursty {
            warnings.push("PTU for bursty traffic: capacity is paid for every hour; pay-as-you-go or spillover suits peaks better".to_string());
        }
        warnings.push("Reserving PTU without a load test: measure real token throughput before committing".to_string());
    }
    // An open model on platform-run GPUs: the user-facing caveat of self-hosting holds, and
    // with no `team.platform_fte` the answer rests on that unset input, so say how much of an
    // engineer the platform's remaining work could take before the next family wins.
    if matches!(winner.family, Family::ManagedCompute | Family::Databricks) && winner.self_hosted.is_some() {
        if s.latency.mode == LatencyMode::Interactive {
            warnings.push("No built-in content safety for open models in user-facing use: add Azure AI Content Safety or guardrails (Foundry serverless prices its default filter; a dedicated endpoint has none)".to_string());
        }
        if s.team.platform_fte == 0.0
            && let Some(next) = plan
                .options
                .iter()
                .filter(|o| o.feasible && o.family != winner.family)
                .filter(|o| o.monthly_cost_usd.is_some())
                .min_by(|a, b| a.monthly_cost_usd.cmp(&b.monthly_cost_usd))
            && let Some(next_cost) = next.monthly_cost_usd
            && s.team.engineer_monthly_cost > Decimal::ZERO
        {
            let margin = next_cost - cost;
            let fte = f64::try_from(margin / s.team.engineer_monthly_cost).unwrap_or(0.0);
            warnings.push(format!(
                "{} charges no operations here (team.platform_fte is not set): it stays cheapest while the work it leaves to the team costs under {} a month, {} FTE at {}/month, against {} {} ({}); set team.platform_fte to your estimate",
                winner.option,
                usd_whole(margin),
                crate::text::fmt_num((fte * 100.0).floor() / 100.0),
                usd_whole(s.team.engineer_monthly_cost),
                next.option,
                next.model,
                usd_whole(next_cost)
            ));
        }
    }
    if winner.family == Family::SelfHosted {
        if s.team.platform_engineers < 3 && !owned_devices(ctx, winner) {
            warnings.push(format!(
                "Self-hosting with {} platform engineer(s): running GPU inference in production usually takes 3 or more",
                s.team.platform_engineers
            ));
        }
        if s.latency.mode == LatencyMode::Interactive {
            warnings.push("No built-in content safety for open models in user-facing use: add Azure AI Content Safety or guardrails".to_string());
        }
        if let Some(sh) = &winner.self_hosted
            && sh.average_utilization < 0.3
        {
            warnings.push(if s.residency.requires_on_premises() {
                format!(
                    "Over-provisioned GPUs for intermittent traffic: average utilisation {:.0}%; a smaller device or fewer replicas may do (the residency keeps it on premises)",
                    sh.average_utilization * 100.0
                )
            } else {
                format!(
                    "Over-provisioned GPUs for intermittent traffic: average utilisation {:.0}%; autoscale (KEDA) or a managed option may suit better",
                    sh.average_utilization * 100.0
                )
            });
        }
        let ops = dec(s.team.self_hosting_fte).unwrap_or_default() * s.team.engineer_monthly_cost;
        if let Some(next) = plan
            .options
            .iter()
            .filter(|o| o.feasible && o.family != Family::SelfHosted)
            .filter_map(|o| o.monthly_cost_usd)
            .min()
            && next - cost < ops / Decimal::TWO
        {
            warnings.push(format!(
                "Self-hosting wins by {} a month, less than half the {} operations estimate: the answer turns on that estimate",
                usd_whole(next - cost),
                usd_whole(ops)
            ));
        }
    }
    if let Some(m) = ctx.catalog.model(&winner.model)
        && m.reasoning
        && s.workload.reasoning_tokens == 0.0
        && winner.family != Family::SelfHosted
    {
        match m.hosted_speed.as_ref().and_then(|h| h.typical_reasoning_tokens.map(|t| (t, h))) {
            Some((t, h)) => rationale.push(format!(
                "{} reasons before it answers: planned with {} hidden reasoning tokens a request, the catalog's typical allowance ({}); set workload.reasoning_tokens to plan with your own.",
                m.id,
                crate::text::thousands(u64::from(t)),
                // The derivation's first clause; the whole of it is in `llmcap catalog models`.
                h.reasoning_source.split(':').next().unwrap_or_default().trim()
            )),
            None => warnings.push(format!(
                "{} is a reasoning model: it bills hidden reasoning tokens as output, and the scenario sets reasoning_tokens to 0 with no typical allowance in the catalog; the real cost is higher",
                m.id
            )),
        }
    }
    if let Some(region) = &winner.region {
        rationale.push(format!("{} {} is created in {region}.", winner.option, winner.model));
    }
    if let Some(ft) = &winner.fine_tuning {
        let training = match (ft.training_one_off_usd, ft.amortized_monthly_usd) {
            (Some(x), Some(a)) => format!(
                "training is a one-off {} ({} trained tokens), shown as {}/month over {} months",
                usd_whole(x),
                crate::text::short_number(ft.trained_tokens),
                usd_whole(a),
                ft.months
            ),
            _ => super::fine_tune::NOT_PRICED.to_string(),
        };
        rationale.push(format!(
            "Fine-tune lifecycle: {training}; hosting the fine-tuned deployment {}/month.",
            usd_whole(ft.hosting_monthly_usd)
        ));
        if ft.training_one_off_usd.is_none() {
            warnings.push(format!("fine-tuning: {}", super::fine_tune::NOT_PRICED));
        }
    }
    if s.customization == Customization::HostedFineTune && winner.family != Family::SelfHosted {
        rationale.push(
            "To evaluate a fine-tune before paying for its hosting: Microsoft's Developer tier hosts it with no hosting fee, at Global Standard token prices, for 24 hours, with no SLA and no data residency; never for production, so it is not an option here (Azure OpenAI fine-tuning cost management, ms.date 2026-03-19)."
                .to_string(),
        );
    }
    if s.compliance.contains(&Compliance::Gdpr) && s.residency == Residency::Global {
        warnings.push(
            "GDPR with Global residency: Global deployments may process data outside the EU; consider DataZone(Eu)"
                .to_string(),
        );
    }
    if s.self_hosting.precision == PrecisionChoice::Int4 || s.self_hosting.precision == PrecisionChoice::Int8 {
        warnings.push(
            "Weight-only quantisation (int8/int4) trades some quality for memory: evaluate it on your data".to_string(),
        );
    }
    warnings.extend(winner.warnings.iter().cloned());
    // Each warning once, in the order first given.
    let mut seen = std::collections::HashSet::new();
    warnings.retain(|w| seen.insert(w.clone()));
    Some(Recommendation {
        option: winner.option,
        model: winner.model.clone(),
        monthly_cost_usd: cost,
        rationale,
        warnings,
    })
}

fn constraint_path(s: &Scenario) -> String {
    let mut parts = Vec::new();
    parts.push(match &s.residency {
        Residency::Global => "Residency Global: any Azure region".to_string(),
        Residency::DataZone(z) => format!("Residency DataZone({z:?}): Global deployments out"),
        Residency::Region(r) => format!("Residency Region({r:?}): only Regional and self-hosted in {r}"),
        Residency::OnPremises => "Residency OnPremises: self-hosting on premises only".to_string(),
        Residency::AirGapped => "Residency AirGapped: self-hosting on premises only, nothing managed".to_string(),
    });
    let gov: Vec<String> = s
        .compliance
        .iter()
        .filter(|c| c.needs_government_cloud())
        .map(|c| format!("{c:?}"))
        .collect();
    if !gov.is_empty() {
        parts.push(format!("{}: Azure Government models or self-hosting", gov.join("/")));
    } else if !s.compliance.is_empty() {
        let c: Vec<String> = s.compliance.iter().map(|c| format!("{c:?}")).collect();
        parts.push(format!("{}: met by Azure's commercial cloud", c.join("/")));
    }
    parts.push(match s.customization {
        Customization::PromptOnly => "prompt-only: any model".to_string(),
        Customization::HostedFineTune => "hosted fine-tuning: fine-tunable hosted models or open weights".to_string(),
        Customization::FullWeights => "full weights: open-weight models only".to_string(),
    });
    parts.push(match s.latency.mode {
        LatencyMode::Interactive => format!(
            "interactive (first token within {:.0} ms, {:.0} tokens/s): Batch out",
            s.latency.ttft_ms, s.latency.output_tokens_per_s
        ),
        LatencyMode::Async => "asynchronous: Batch allowed".to_string(),
    });
    parts.push(format!("quality {} or better", s.quality));
    format!("{}.", parts.join("; "))
}

/// "Retired by the plan date 2026-12-01: gpt-4o (2026-10-01; replacement gpt-5.1), o1 (...)":
/// the candidates whose managed deployments the calendar rules out, so a missing familiar
/// model is explained once rather than per option.
fn retired_line(ctx: &Ctx, plan: &Plan) -> Option<String> {
    let mut seen: Vec<&str> = Vec::new();
    for o in &plan.options {
        // A provider's own API is ruled out on Microsoft's base-model date (direct.rs),
        // whatever the fine-tuned date; the Azure options say what Microsoft retired.
        if o.family != Family::DirectApi
            && o.violations.iter().any(|v| v.kind == K::Retired)
            && !seen.contains(&o.model.as_str())
        {
            seen.push(&o.model);
        }
    }
    if seen.is_empty() {
        return None;
    }
    let items: Vec<String> = seen
        .iter()
        .filter_map(|id| ctx.catalog.model(id))
        .filter_map(|m| {
            let l = m.lifecycle.as_ref()?;
            let (retires, _) = l.retirement(ctx.s.customization == Customization::HostedFineTune)?;
            let when = format!("retired {retires}");
            Some(match &l.replacement {
                Some(rep) => format!("{} ({when}; replacement {rep})", m.id),
                None => format!("{} ({when})", m.id),
            })
        })
        .collect();
    Some(format!(
        "Not deployable on the plan date {}: {} (Microsoft's retirement schedule).",
        ctx.on,
        items.join(", ")
    ))
}

/// True when the winner runs on whole edge devices (Jetson modules, CPU sockets), which a
/// site's own engineers look after rather than a GPU platform team.
fn owned_devices(ctx: &Ctx, o: &super::plan::OptionResult) -> bool {
    o.self_hosted.as_ref().is_some_and(|sh| {
        ctx.catalog
            .gpu(&sh.gpu)
            .is_some_and(|g| g.form_factor == Some(crate::catalog::FormFactor::Device))
    })
}
