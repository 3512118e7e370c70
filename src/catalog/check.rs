//! Checking: the self-check the merged catalog runs on load, before anyone uses it:
//! unique ids, resolved references, positive finite numbers, real dates and the
//! constants the engine needs.

use rust_decimal::Decimal;

use super::load::{Anchor, Keyed};
use super::{Catalog, Deployment, Weights};
use crate::text::fmt_num;

/// Constants the engine reads; the catalog refuses to load without them.
pub const REQUIRED_CONSTANTS: &[&str] = &[
    "network_rtt_ms",
    "int4_bits_per_weight",
    "activation_gib_dense",
    "activation_gib_moe",
    "runtime_gib_tp1",
    "runtime_gib_tp_multi",
    "nccl_gib_tp_multi",
    "step_overhead_us",
    "layer_overhead_us",
    "allreduce_latency_us",
    "allreduce_latency_pcie_us",
    "allreduce_bw_efficiency_nvlink",
    "allreduce_bw_efficiency_pcie",
    "kv_read_efficiency",
    "moe_efficiency",
    "hosted_ttft_ms",
    "hosted_prefill_ms_per_token",
    "chars_per_token",
    "content_safety_chars_per_record",
    "content_safety_usd_per_1k_records",
    "self_hosted_target_utilization",
    "service_time_scv",
    "ops_gpus_per_fte",
    "regional_gpu_capacity_warning",
    "vm_discount_one_year",
    "vm_discount_three_year",
    "mbu.ampere",
    "mbu.hopper",
    "mbu.ada",
    "mbu.turing",
    "mbu.blackwell",
    "mbu.cdna3",
    "mbu.cpu",
    "mfu_prefill.ampere",
    "mfu_prefill.hopper",
    "mfu_prefill.ada",
    "mfu_prefill.turing",
    "mfu_prefill.blackwell",
    "mfu_prefill.cdna3",
    "mfu_prefill.cpu",
    "mfu_decode.ampere",
    "mfu_decode.hopper",
    "mfu_decode.ada",
    "mfu_decode.turing",
    "mfu_decode.blackwell",
    "mfu_decode.cdna3",
    "mfu_decode.cpu",
    "on_prem_amortization_months",
    "on_prem_support_share_per_year",
    "on_prem_pue",
    "on_prem_usd_per_kwh",
    "on_prem_colocation_usd_per_kw_month",
];

/// The most a server may cost: far above any real one, low enough that a month of the
/// largest fleet stays inside `Decimal`.
const MAX_SERVER_PRICE: &str = "100000000";

/// Bounds on money figures: wide enough for any real price, narrow enough that a month of
/// the largest workload a scenario allows (1e10 requests a day of 1e7 tokens) cannot
/// overflow `Decimal` and a share of a tiny price cannot underflow to a division by zero.
const MIN_TOKEN_PRICE: &str = "0.000001";
const MAX_TOKEN_PRICE: &str = "1000000";
const MAX_HOURLY_PRICE: &str = "1000000";

fn token_price_ok(v: Decimal) -> bool {
    let (lo, hi) = (
        MIN_TOKEN_PRICE.parse::<Decimal>().unwrap_or(Decimal::ZERO),
        MAX_TOKEN_PRICE.parse::<Decimal>().unwrap_or(Decimal::MAX),
    );
    (lo..=hi).contains(&v)
}

fn max_hourly() -> Decimal {
    MAX_HOURLY_PRICE.parse().unwrap_or(Decimal::MAX)
}

/// Ids are written into reports, CSV cells and file names: letters, digits and `._:/-`,
/// starting with a letter or digit (never a formula character or markup).
fn id_ok(id: &str) -> bool {
    id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && id.len() <= 100
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '/' | '-'))
}

impl Catalog {
    /// Every rule the rest of llmcap relies on: numbers positive and finite, dates real,
    /// references resolved, required entries present.
    pub(super) fn check(&self, at: &dyn Fn(&'static str, &str, &Anchor) -> String, problems: &mut Vec<String>) {
        fn date_ok(d: &str) -> bool {
            let parts: Vec<&str> = d.split('-').collect();
            if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
                return false;
            }
            let (Ok(y), Ok(m), Ok(day)) = (
                parts[0].parse::<u32>(),
                parts[1].parse::<u32>(),
                parts[2].parse::<u32>(),
            ) else {
                return false;
            };
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let days = match m {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                2 if leap => 29,
                2 => 28,
                _ => 0,
            };
            (2000..=2100).contains(&y) && (1..=days).contains(&day)
        }
        if !date_ok(&self.meta.as_of) {
            problems.push(format!(
                "meta.ron: `as_of` = {:?} is not a date; accepted: YYYY-MM-DD",
                self.meta.as_of
            ));
        }
        if self.serving_engine().is_none() {
            problems.push(format!(
                "engines.ron: no engine `{}`; the self-hosted sizing needs its scheduler limits and hardware support",
                super::SIZING_ENGINE
            ));
        }
        let mut bad = |kind: &'static str, key: &str, anchor: &Anchor, msg: String| {
            problems.push(format!(
                "{}: `{}`: {msg}",
                at(kind, key, anchor),
                crate::text::terminal_line(key)
            ));
        };
        let pos = |v: f64| v.is_finite() && v > 0.0;
        macro_rules! need {
            ($kind:literal, $e:expr, $cond:expr, $($msg:tt)*) => {
                if !$cond {
                    bad($kind, &$e.key(), &$e.anchor(), format!($($msg)*));
                }
            };
        }
        macro_rules! provenance {
            ($kind:literal, $e:expr) => {
                need!(
                    $kind,
                    $e,
                    !$e.source.trim().is_empty(),
                    "`source` is empty; every figure needs its source"
                );
                need!(
                    $kind,
                    $e,
                    date_ok(&$e.as_of),
                    "`as_of` = {:?} is not a date; accepted: YYYY-MM-DD",
                    $e.as_of
                );
            };
        }

        for r in &self.regions {
            provenance!("regions", r);
            need!(
                "regions",
                r,
                id_ok(&r.id),
                "`id` = {:?} may hold only letters, digits and . _ : / -, starting with a letter or digit",
                r.id
            );
        }
        for g in &self.gpus {
            provenance!("gpus", g);
            need!(
                "gpus",
                g,
                id_ok(&g.id),
                "`id` = {:?} may hold only letters, digits and . _ : / -, starting with a letter or digit",
                g.id
            );
            for (name, v) in [
                ("memory_gib", g.memory_gib),
                ("bandwidth_gb_s", g.bandwidth_gb_s),
                ("bf16_tflops", g.bf16_tflops),
                ("int8_tops", g.int8_tops),
                ("link_gb_s", g.link_gb_s),
                ("tdp_w", g.tdp_w),
            ] {
                need!(
                    "gpus",
                    g,
                    pos(v),
                    "`{name}` = {} must be a positive, finite number",
                    fmt_num(v)
                );
            }
            if let Some(f) = g.fp8_tflops {
                need!(
                    "gpus",
                    g,
                    pos(f),
                    "`fp8_tflops` = {} must be a positive, finite number",
                    fmt_num(f)
                );
            }
            if let Some(r) = g.os_reserved_gib {
                need!(
                    "gpus",
                    g,
                    r.is_finite() && r >= 0.0 && r < g.memory_gib,
                    "`os_reserved_gib` = {} must be 0 or more and less than `memory_gib`",
                    fmt_num(r)
                );
            }
        }
        for v in &self.vms {
            provenance!("vms", v);
            need!(
                "vms",
                v,
                id_ok(&v.id),
                "`id` = {:?} may hold only letters, digits and . _ : / -, starting with a letter or digit",
                v.id
            );
            need!(
                "vms",
                v,
                self.gpu(&v.gpu).is_some(),
                "`gpu` = {:?} is not a GPU in gpus.ron",
                v.gpu
            );
            need!(
                "vms",
                v,
                v.gpus >= 1 && v.vcpus >= 1,
                "`gpus` and `vcpus` must be at least 1"
            );
            need!("vms", v, pos(v.ram_gib), "`ram_gib` must be a positive, finite number");
            need!("vms", v, !v.usd_per_hour.is_empty(), "`usd_per_hour` names no region");
            for (region, price) in &v.usd_per_hour {
                need!(
                    "vms",
                    v,
                    self.region(region).is_some(),
                    "price for unknown region {region:?}; add it to regions.ron"
                );
                need!(
                    "vms",
                    v,
                    *price > Decimal::ZERO,
                    "price in {region} is {price}; a price must be positive (leave a region out when it has none)"
                );
                need!(
                    "vms",
                    v,
                    *price <= max_hourly(),
                    "price in {region} is {price}; at most {MAX_HOURLY_PRICE} USD an hour"
                );
            }
        }
        for d in &self.databricks {
            let (source, as_of) = match d {
                super::Databricks::Serving(e) => (&e.source, &e.as_of),
                super::Databricks::Dbu(e) => (&e.source, &e.as_of),
                super::Databricks::Provisioned(e) => (&e.source, &e.as_of),
            };
            need!(
                "databricks",
                d,
                !source.trim().is_empty(),
                "`source` is empty; every figure needs its source"
            );
            need!(
                "databricks",
                d,
                date_ok(as_of),
                "`as_of` = {:?} is not a date; accepted: YYYY-MM-DD",
                as_of
            );
            match d {
                super::Databricks::Serving(e) => {
                    need!(
                        "databricks",
                        d,
                        self.gpu(&e.gpu).is_some(),
                        "`gpu` = {:?} is not a GPU in gpus.ron",
                        e.gpu
                    );
                    need!("databricks", d, (1..=8).contains(&e.gpus), "`gpus` must be 1 to 8");
                    need!(
                        "databricks",
                        d,
                        e.dbu_per_hour > Decimal::ZERO && e.dbu_per_hour <= Decimal::from(100_000),
                        "`dbu_per_hour` must be positive, at most 100,000"
                    );
                }
                super::Databricks::Dbu(e) => {
                    need!(
                        "databricks",
                        d,
                        self.region(&e.region).is_some(),
                        "`region` = {:?} is not a region in regions.ron",
                        e.region
                    );
                    need!(
                        "databricks",
                        d,
                        e.usd_per_dbu > Decimal::ZERO && e.usd_per_dbu <= Decimal::from(100),
                        "`usd_per_dbu` must be positive, at most 100"
                    );
                }
                super::Databricks::Provisioned(e) => {
                    need!(
                        "databricks",
                        d,
                        self.model(&e.model).is_some(),
                        "`model` = {:?} is not a model in models.ron",
                        e.model
                    );
                    need!(
                        "databricks",
                        d,
                        e.example_units >= 1 && pos(e.example_tokens_per_s),
                        "`example_units` must be at least 1 and `example_tokens_per_s` a positive, finite number"
                    );
                    need!(
                        "databricks",
                        d,
                        e.dbu_per_unit_hour > Decimal::ZERO && e.dbu_per_unit_hour <= Decimal::from(100_000),
                        "`dbu_per_unit_hour` must be positive, at most 100,000"
                    );
                }
            }
        }
        for m in &self.models {
            provenance!("models", m);
            need!(
                "models",
                m,
                id_ok(&m.id),
                "`id` = {:?} may hold only letters, digits and . _ : / -, starting with a letter or digit",
                m.id
            );
            need!("models", m, m.context_tokens > 0, "`context_tokens` must be positive");
            match (&m.weights, &m.architecture) {
                (Weights::Open, None) => bad(
                    "models",
                    &m.key(),
                    &m.anchor(),
                    "open-weight model without `architecture`".into(),
                ),
                (Weights::Closed, Some(_)) => bad(
                    "models",
                    &m.key(),
                    &m.anchor(),
                    "closed model with an `architecture`; only open-weight models are self-hosted".into(),
                ),
                _ => {}
            }
            if let Some(a) = &m.architecture {
                need!("models", m, pos(a.params_b), "`architecture.params_b` must be positive");
                need!(
                    "models",
                    m,
                    a.active_params_b.is_none_or(|x| pos(x) && x <= a.params_b),
                    "`architecture.active_params_b` must be positive and at most `params_b`"
                );
                need!(
                    "models",
                    m,
                    a.layers > 0 && a.hidden > 0 && a.heads > 0 && a.head_dim > 0,
                    "`layers`, `hidden`, `heads` and `head_dim` must be positive"
                );
                need!(
                    "models",
                    m,
                    a.kv_heads > 0 && a.kv_heads <= a.heads,
                    "`kv_heads` must be from 1 to `heads`"
                );
                need!(
                    "models",
                    m,
                    a.local_attention
                        .as_ref()
                        .is_none_or(|l| l.window > 0 && l.layers <= a.layers),
                    "`local_attention` needs a positive window and at most `layers` layers"
                );
                need!(
                    "models",
                    m,
                    a.moe
                        .as_ref()
                        .is_none_or(|e| e.experts > 0 && e.experts_per_token > 0 && e.experts_per_token <= e.experts),
                    "`moe.experts_per_token` must be from 1 to `moe.experts`"
                );
                need!(
                    "models",
                    m,
                    a.moe.is_some() == a.active_params_b.is_some(),
                    "a MoE model gives `active_params_b` and `moe` together; a dense one neither"
                );
            }
            if m.azure_government {
                need!(
                    "models",
                    m,
                    m.deployments
                        .iter()
                        .any(|d| d.provider() == crate::vocab::Provider::AzureOpenAi),
                    "`azure_government` needs an Azure OpenAI deployment in `deployments`"
                );
            }
            if let Some(l) = &m.lifecycle {
                need!(
                    "models",
                    m,
                    !l.source.trim().is_empty() && date_ok(&l.as_of),
                    "`lifecycle` needs a `source` and an `as_of` date"
                );
                for (name, d) in [
                    ("available_from", &l.available_from),
                    ("retires", &l.retires),
                    ("fine_tuned_retires", &l.fine_tuned_retires),
                ] {
                    if let Some(d) = d {
                        need!(
                            "models",
                            m,
                            date_ok(d),
                            "`lifecycle.{name}` = {d:?} is not a date; accepted: YYYY-MM-DD"
                        );
                    }
                }
                if let (Some(a), Some(b)) = (&l.available_from, &l.retires) {
                    need!(
                        "models",
                        m,
                        a < b,
                        "`lifecycle.available_from` ({a}) must come before `retires` ({b})"
                    );
                }
                if let Some(r) = &l.replacement {
                    need!(
                        "models",
                        m,
                        id_ok(r) && r != &m.id,
                        "`lifecycle.replacement` = {r:?} must name another model"
                    );
                }
            }
            if let Some(h) = &m.hosted_speed {
                need!(
                    "models",
                    m,
                    pos(h.ttft_ms)
                        && h.ttft_ms <= 600_000.0
                        && pos(h.output_tokens_per_s)
                        && h.output_tokens_per_s <= 100_000.0,
                    "`hosted_speed` needs a positive `ttft_ms` (at most 600000) and `output_tokens_per_s` (at most 100000)"
                );
                need!(
                    "models",
                    m,
                    !h.source.trim().is_empty() && date_ok(&h.as_of),
                    "`hosted_speed` needs a `source` and an `as_of` date"
                );
                if h.typical_reasoning_tokens.is_some() {
                    need!(
                        "models",
                        m,
                        m.reasoning && !h.reasoning_source.trim().is_empty(),
                        "`hosted_speed.typical_reasoning_tokens` needs `reasoning: true` and a `reasoning_source`"
                    );
                }
            }
            if let Some(ft) = &m.fine_tuning {
                need!(
                    "models",
                    m,
                    ft.hosting_usd_per_hour > Decimal::ZERO && ft.hosting_usd_per_hour <= max_hourly(),
                    "`fine_tuning.hosting_usd_per_hour` must be positive and at most {MAX_HOURLY_PRICE}"
                );
                need!(
                    "models",
                    m,
                    date_ok(&ft.as_of) && !ft.source.trim().is_empty(),
                    "`fine_tuning` needs a `source` and an `as_of` date"
                );
            }
        }
        for a in &self.availability {
            provenance!("availability", a);
            match self.model(&a.model) {
                None => bad(
                    "availability",
                    &a.key(),
                    &a.anchor(),
                    format!("`model` = {:?} is not in models.ron", a.model),
                ),
                Some(m) => need!(
                    "availability",
                    a,
                    a.fine_tuned || m.deployments.contains(&a.deployment),
                    "model {} does not list {:?} in its `deployments`",
                    m.id,
                    a.deployment
                ),
            }
            need!(
                "availability",
                a,
                a.deployment != Deployment::FoundryServerless,
                "the matrix is Azure OpenAI's: Foundry serverless has no rows in it"
            );
            for r in &a.regions {
                match self.region(r) {
                    None => bad(
                        "availability",
                        &a.key(),
                        &a.anchor(),
                        format!("region {r:?} is not in regions.ron"),
                    ),
                    Some(region) => {
                        if a.deployment.scope() == Some(crate::vocab::Scope::DataZone) {
                            need!(
                                "availability",
                                a,
                                region.zone.is_some(),
                                "a Data Zone deployment is created in a data zone's region; {r} has no `zone`"
                            );
                        }
                    }
                }
            }
        }
        for q in &self.quotas {
            provenance!("quotas", q);
            need!(
                "quotas",
                q,
                self.model(&q.model).is_some(),
                "`model` = {:?} is not in models.ron",
                q.model
            );
            need!(
                "quotas",
                q,
                q.tpm > 0 && q.rpm.is_none_or(|r| r > 0),
                "`tpm` and `rpm` must be positive"
            );
        }
        for e in &self.engines {
            provenance!("engines", e);
            need!(
                "engines",
                e,
                !e.limits.is_empty(),
                "`limits` is empty; give at least one scheduler limit (the last applies to every GPU no other matches)"
            );
            for l in &e.limits {
                need!(
                    "engines",
                    e,
                    l.max_num_seqs > 0 && l.max_num_batched_tokens > 0 && l.max_num_seqs <= l.max_num_batched_tokens,
                    "limits: `max_num_seqs` {} and `max_num_batched_tokens` {} must be positive, with no more sequences than batched tokens (vLLM caps max_num_seqs at max_num_batched_tokens)",
                    l.max_num_seqs,
                    l.max_num_batched_tokens
                );
                need!(
                    "engines",
                    e,
                    l.min_memory_gib.is_finite() && l.min_memory_gib >= 0.0,
                    "limits: `min_memory_gib` = {} must be a finite number, 0 or more",
                    fmt_num(l.min_memory_gib)
                );
                for g in &l.except {
                    need!(
                        "engines",
                        e,
                        self.gpu(g).is_some(),
                        "limits: `except` names {:?}, which is not in gpus.ron",
                        g
                    );
                }
            }
        }
        // Every Azure OpenAI deployment a model lists has its row of the matrix (or the
        // option could never be placed and would say so on every plan). Foundry serverless
        // and the providers' own APIs are placed in no Azure region: they have no row.
        for m in &self.models {
            for d in &m.deployments {
                if d.provider() == crate::vocab::Provider::AzureOpenAi {
                    need!(
                        "models",
                        m,
                        self.availability(&m.id, *d, false).is_some(),
                        "lists {:?} in `deployments` but availability.ron has no row for it",
                        d
                    );
                }
            }
        }
        for p in &self.prices {
            provenance!("prices", p);
            match self.model(&p.model) {
                None => bad(
                    "prices",
                    &p.key(),
                    &p.anchor(),
                    format!("`model` = {:?} is not in models.ron", p.model),
                ),
                Some(m) => need!(
                    "prices",
                    p,
                    m.deployments.contains(&p.deployment),
                    "model {} does not list {:?} in its `deployments`",
                    m.id,
                    p.deployment
                ),
            }
            need!(
                "prices",
                p,
                p.input > Decimal::ZERO && p.output > Decimal::ZERO,
                "`input` and `output` must be positive (a missing price is left out, never 0)"
            );
            need!(
                "prices",
                p,
                [Some(p.input), Some(p.output), p.cached_input]
                    .into_iter()
                    .flatten()
                    .all(|v| v <= Decimal::ZERO || token_price_ok(v)),
                "token prices must be from {} to {} USD per million tokens",
                MIN_TOKEN_PRICE,
                MAX_TOKEN_PRICE
            );
            need!(
                "prices",
                p,
                p.cached_input.is_none_or(|c| c > Decimal::ZERO && c <= p.input),
                "`cached_input` must be positive and at most `input`"
            );
        }
        for t in &self.ptu {
            provenance!("ptu", t);
            match self.model(&t.model) {
                None => bad(
                    "ptu",
                    &t.key(),
                    &t.anchor(),
                    format!("`model` = {:?} is not in models.ron", t.model),
                ),
                Some(m) => need!(
                    "ptu",
                    t,
                    m.deployments.iter().any(|d| matches!(
                        d,
                        Deployment::GlobalProvisioned
                            | Deployment::DataZoneProvisioned
                            | Deployment::RegionalProvisioned
                    )),
                    "model {} lists no provisioned deployment",
                    m.id
                ),
            }
            need!(
                "ptu",
                t,
                t.global_min > 0 && t.global_increment > 0,
                "`global_min` and `global_increment` must be positive"
            );
            need!(
                "ptu",
                t,
                t.regional_min.is_some() == t.regional_increment.is_some()
                    && t.regional_min != Some(0)
                    && t.regional_increment != Some(0),
                "`regional_min` and `regional_increment` are both positive or both absent"
            );
            need!(
                "ptu",
                t,
                pos(t.input_tpm_per_ptu),
                "`input_tpm_per_ptu` must be positive"
            );
            need!(
                "ptu",
                t,
                t.output_weight.is_finite() && t.output_weight >= 1.0,
                "`output_weight` must be at least 1"
            );
            need!(
                "ptu",
                t,
                pos(t.latency_target_tokens_per_s),
                "`latency_target_tokens_per_s` must be positive"
            );
        }
        for p in &self.ptu_prices {
            provenance!("ptu_prices", p);
            need!(
                "ptu_prices",
                p,
                p.usd_per_hour > Decimal::ZERO && p.one_month_usd > Decimal::ZERO && p.one_year_usd > Decimal::ZERO,
                "every PTU price must be positive"
            );
            need!(
                "ptu_prices",
                p,
                p.usd_per_hour <= max_hourly()
                    && p.one_month_usd <= max_hourly() * Decimal::from(730)
                    && p.one_year_usd <= max_hourly() * Decimal::from(8760),
                "PTU prices must be at most {} USD an hour (and the month and year at that rate)",
                MAX_HOURLY_PRICE
            );
        }
        for c in &self.constants {
            provenance!("constants", c);
            need!(
                "constants",
                c,
                id_ok(&c.id),
                "`id` = {:?} may hold only letters, digits and . _ : / -, starting with a letter or digit",
                c.id
            );
            need!(
                "constants",
                c,
                c.value.is_finite() && c.value >= 0.0,
                "`value` = {} must be a finite, non-negative number",
                fmt_num(c.value)
            );
        }
        for sv in &self.servers {
            provenance!("servers", sv);
            need!(
                "servers",
                sv,
                id_ok(&sv.id),
                "`id` = {:?} may hold only letters, digits and . _ : / -, starting with a letter or digit",
                sv.id
            );
            match self.gpu(&sv.gpu) {
                None => bad(
                    "servers",
                    &sv.key(),
                    &sv.anchor(),
                    format!("`gpu` = {:?} is not a GPU in gpus.ron", sv.gpu),
                ),
                Some(g) => {
                    let sold = super::FormFactor::server_gpus(g.form_factor);
                    need!(
                        "servers",
                        sv,
                        sold.contains(&sv.gpus),
                        "`gpus` = {}: {} is sold in servers of {} GPUs",
                        sv.gpus,
                        g.id,
                        sold.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
                    );
                }
            }
            if let Some(p) = sv.usd {
                need!(
                    "servers",
                    sv,
                    p > Decimal::ZERO && p <= MAX_SERVER_PRICE.parse().unwrap_or(Decimal::MAX),
                    "`usd` = {p} must be positive and at most {MAX_SERVER_PRICE} (leave it out when no price is known)"
                );
            }
            need!(
                "servers",
                sv,
                pos(sv.max_kw) && sv.max_kw <= 1000.0,
                "`max_kw` = {} must be positive and at most 1000",
                fmt_num(sv.max_kw)
            );
            if let Some(t) = sv.typical_kw {
                need!(
                    "servers",
                    sv,
                    pos(t) && t <= sv.max_kw,
                    "`typical_kw` = {} must be positive and at most `max_kw`",
                    fmt_num(t)
                );
            }
            if let Some(share) = sv.support_share_per_year {
                need!(
                    "servers",
                    sv,
                    share.is_finite() && (0.0..=1.0).contains(&share),
                    "`support_share_per_year` = {} must be from 0 to 1",
                    fmt_num(share)
                );
            }
        }
        if self.constant("on_prem_amortization_months").is_some_and(|m| m < 1.0) {
            problems.push("constants.ron: `on_prem_amortization_months` must be at least 1".to_string());
        }
        for id in REQUIRED_CONSTANTS {
            if self.constant(id).is_none() {
                problems.push(format!("constants.ron: required constant `{id}` is missing"));
            }
        }
    }
}
