//! Managed options (Azure OpenAI Standard, Batch and Provisioned, Foundry serverless):
//! token-priced cost lines, Microsoft's PTU sizing with spillover and break-even
//! utilisation, hosted latency, and whether a cost rests on a catalog estimate.

use rust_decimal::Decimal;

use super::context::Ctx;
use super::curve::{CostCurve, PtuCurve};
use super::demand::{HOURS_PER_MONTH, dec};
use super::plan::{CostLine, Family, Latency, OptionResult, PtuDetail, Spillover};
use super::selfhost;
use crate::catalog::{Deployment, Model, PtuKind, QuotaTier, TokenPrice};
use crate::scenario::{Commitment, Customization};
use crate::text::usd;
use crate::vocab::{OptionId, Provider, Scope, Violation, ViolationKind as K};

impl Ctx<'_> {
    /// Token cost lines for a price (cached tokens at the cached price where there is one,
    /// else at the input price; never billed twice).
    fn token_lines(&self, m: &Model, p: &TokenPrice) -> Vec<CostLine> {
        let t = self.tokens_of(m);
        let [uncached, cached, completion, reasoning] = &t.millions;
        let per_m = Decimal::from(1_000_000);
        let mut lines = Vec::with_capacity(4);
        lines.push(CostLine {
            item: format!("input tokens: {uncached} x {}/M", usd(p.input)),
            usd: t.uncached * p.input / per_m,
        });
        if t.cached > Decimal::ZERO {
            let price = p.cached_input.unwrap_or(p.input);
            lines.push(CostLine {
                item: format!(
                    "cached input tokens: {cached} x {}/M{}",
                    usd(price),
                    if p.cached_input.is_none() {
                        " (no cached price: billed as input)"
                    } else {
                        ""
                    }
                ),
                usd: t.cached * price / per_m,
            });
        }
        let output_price = usd(p.output);
        lines.push(CostLine {
            item: format!("output tokens: {completion} x {output_price}/M"),
            usd: t.completion * p.output / per_m,
        });
        if t.reasoning > Decimal::ZERO {
            lines.push(CostLine {
                item: format!("reasoning tokens (billed as output): {reasoning} x {output_price}/M"),
                usd: t.reasoning * p.output / per_m,
            });
        }
        lines
    }

    /// Expected latency of a managed deployment, as a model rather than a constant: the
    /// first token comes after the network round trip, the model's median first-token time
    /// (a client-side measurement, so its own network and queueing are in it: conservative),
    /// the prompt's prefill and, for a reasoning model, every hidden reasoning token at the
    /// model's output speed (reasoning is generated before the first visible token). The
    /// streaming speed is the model's median on Standard deployments and Microsoft's PTU
    /// latency target (99% of requests faster) on provisioned ones. All of it is an
    /// estimate, said with its sources.
    pub(super) fn hosted_latency(&self, m: &Model, provisioned: bool) -> Latency {
        let rtt = self.c.network_rtt_ms;
        let prompt = self.demand.uncached_input();
        let prefill = prompt * self.hosted_prefill_ms_per_token;
        let reasoning = self.reasoning_of(m);
        let ptu = self.catalog.ptu_model(&m.id);
        let (first, first_from, measured_speed) = match &m.hosted_speed {
            Some(h) => (
                h.ttft_ms,
                format!("{} median first token", fmt_ms(h.ttft_ms)),
                Some((h.output_tokens_per_s, h.source.as_str())),
            ),
            None => (
                self.hosted_ttft_ms,
                format!(
                    "{} typical first token (no measurement for {})",
                    fmt_ms(self.hosted_ttft_ms),
                    m.id
                ),
                None,
            ),
        };
        let ptu_speed = ptu.map(|p| p.latency_target_tokens_per_s);
        // The speed reasoning runs at: the measured median, else the PTU floor.
        let think_speed = measured_speed.map(|(v, _)| v).or(ptu_speed);
        let mut parts = vec![
            format!("{} network", fmt_ms(rtt)),
            first_from,
            format!(
                "{} prefill of {} prompt tokens",
                fmt_ms(prefill),
                crate::text::thousands(prompt.round() as u64)
            ),
        ];
        let think = match (reasoning > 0.0, think_speed) {
            (false, _) => 0.0,
            (true, Some(v)) if v > 0.0 => {
                let ms = reasoning / v * 1000.0;
                parts.push(format!(
                    "{} for {} reasoning tokens at {v:.0} tokens/s",
                    fmt_ms(ms),
                    crate::text::thousands(reasoning.round() as u64)
                ));
                ms
            }
            (true, _) => {
                parts.push("reasoning time not included (no speed figure)".to_string());
                0.0
            }
        };
        // Whole milliseconds: the parts are estimates, a fraction would claim a precision
        // they do not have.
        let ttft = (rtt + first + prefill + think).round();
        let (speed, speed_from) = match (provisioned, ptu_speed, measured_speed) {
            (true, Some(v), _) => (Some(v), format!("Microsoft's PTU latency target for {}", m.id)),
            (_, _, Some((v, _))) => (Some(v), format!("median speed measured for {}", m.id)),
            (false, Some(v), None) => (
                Some(v),
                format!(
                    "Microsoft's PTU latency target for {}, taken as the Standard speed",
                    m.id
                ),
            ),
            (_, None, None) => (None, String::new()),
        };
        let source = match measured_speed {
            Some((_, src)) => format!("measured medians: {src}"),
            None => "no measured latency for this model in the catalog".to_string(),
        };
        let ttft_from = parts.join(" + ");
        Latency {
            ttft_ms: Some(ttft),
            output_tokens_per_s: speed,
            basis: format!(
                "estimate: first token = {ttft_from} = {}; speed: {}; {source}",
                fmt_ms(ttft),
                if speed.is_some() {
                    speed_from.as_str()
                } else {
                    "no figure"
                }
            ),
            speed_from,
            ttft_from,
        }
    }

    /// The peak's tokens and requests per minute against the subscription's quota for the
    /// model and type in one region: Tier 1 for a new commercial subscription (quota rises
    /// with usage or on request), Default in Azure Government. A warning, not a violation:
    /// quota can be raised, and a plan can spread over regions.
    fn quota_warning(&self, m: &Model, d: Deployment) -> Option<String> {
        let gov = self.government_cloud();
        let rows: Vec<&crate::catalog::Quota> = self.catalog.quotas(&m.id, d).filter(|q| q.government == gov).collect();
        let first = if gov { QuotaTier::Default } else { QuotaTier::Tier1 };
        let base = rows.iter().find(|q| q.tier == first).or_else(|| {
            // Rows the tier tables omit are in the older Default / Enterprise tables.
            rows.iter().find(|q| q.tier == QuotaTier::Default)
        })?;
        let dm = &self.demand;
        let per_request = dm.input_tokens + dm.output_tokens + self.reasoning_of(m);
        let peak_tpm = dm.peak_rps * 60.0 * per_request;
        let peak_rpm = dm.peak_rps * 60.0;
        let over_tpm = peak_tpm > base.tpm as f64;
        let over_rpm = base.rpm.is_some_and(|r| peak_rpm > r as f64);
        if !over_tpm && !over_rpm {
            return None;
        }
        let what = if over_tpm {
            format!(
                "the peak needs {} tokens a minute, over the {} quota of {} TPM",
                crate::text::short_number(peak_tpm),
                base.tier.label(),
                crate::text::short_number(base.tpm as f64)
            )
        } else {
            format!(
                "the peak sends {} requests a minute, over the {} quota of {} RPM",
                crate::text::short_number(peak_rpm),
                base.tier.label(),
                crate::text::short_number(base.rpm.unwrap_or(0) as f64)
            )
        };
        let fits = |q: &&&crate::catalog::Quota| {
            q.tier > base.tier && q.tpm as f64 >= peak_tpm && q.rpm.is_none_or(|r| r as f64 >= peak_rpm)
        };
        let higher = match rows.iter().filter(fits).min_by_key(|q| q.tier) {
            Some(q) => format!(
                "{} ({} TPM) would cover it",
                q.tier.label(),
                crate::text::short_number(q.tpm as f64)
            ),
            None => {
                "no published tier covers it: spread it over regions or subscriptions, or use provisioned throughput"
                    .to_string()
            }
        };
        Some(format!(
            "quota: {what} for {} {} per subscription and region ({}); {higher}",
            m.id,
            d.label(),
            base.source
        ))
    }

    /// Azure AI Content Safety text records a request is screened as (prompt and
    /// completion, each in records of so many characters) and their price: what Foundry's
    /// default content filter on a serverless endpoint may bill separately.
    fn content_safety_records(&self) -> f64 {
        let chars = self.c.chars_per_token;
        let per_record = self.c.content_safety_chars_per_record.max(1.0);
        let records = |tokens: f64| (tokens * chars / per_record).ceil().max(1.0);
        records(self.demand.input_tokens) + records(self.demand.output_tokens)
    }

    fn content_safety_per_request(&self) -> Decimal {
        dec(self.content_safety_records() * self.c.content_safety_usd_per_1k_records / 1000.0).unwrap_or_default()
    }

    fn content_safety_line(&self, per_request: Decimal) -> CostLine {
        let records = self.content_safety_records();
        CostLine {
            item: format!(
                "content filter (Foundry's default Azure AI Content Safety screening, may be billed separately; can be turned off per endpoint): {} records a request x ${}/1,000 (estimate)",
                crate::text::fmt_num(records),
                crate::text::fmt_num(self.c.content_safety_usd_per_1k_records)
            ),
            usd: per_request * self.demand.requests_per_month(),
        }
    }

    /// Pay-as-you-go cost of one request at a price (cached tokens at the cached price where
    /// there is one, else at the input price).
    fn per_request(&self, m: &Model, p: &TokenPrice) -> Decimal {
        let (uncached, cached, generated) = self.tokens_of(m).per_request;
        let cached_price = p.cached_input.unwrap_or(p.input);
        (uncached * p.input + cached * cached_price + generated * p.output) / Decimal::from(1_000_000)
    }

    /// A managed option of a model: Standard, Batch, Foundry serverless or Provisioned.
    /// `latency` holds the model's hosted latency on Standard and on provisioned types.
    pub(super) fn managed(&self, m: &Model, d: Deployment, latency: &[Latency; 2]) -> OptionResult {
        let family = d.family();
        let mut violations = self.managed_violations(m, d);
        let mut warnings = Vec::new();
        let databricks = d.provider() == Provider::Databricks;
        if d == Deployment::DatabricksPayPerToken {
            // Databricks' own word: shown for its price, never the plan (as the Developer tier).
            violations.push(Violation::new(
                K::Platform,
                "Databricks offers pay-per-token to start with, not for production: it \"is not designed for high-throughput applications or performant production workloads\" (Azure Databricks Foundation Model APIs overview, learn.microsoft.com); provisioned throughput or GPU serving is its production path",
            ));
        }
        // A provider's own API: Microsoft's schedule is only a proxy for its lifecycle, and
        // its compliance terms are its own. Microsoft's retirement schedule is Azure's, not
        // Databricks'.
        let direct = d.provider().outside_azure();
        if direct {
            self.direct_lifecycle(m, d, &mut violations);
            if let Some(why) = self.catalog.price(&m.id, d).and_then(|p| p.withdrawn.as_deref()) {
                violations.push(Violation::new(K::Availability, format!("no longer offered: {why}")));
            }
            warnings.extend(self.direct_warnings(d));
        } else if !databricks {
            self.lifecycle(m, &mut violations, &mut warnings);
        }
        // Where it is created; not asked when the data rules already rule the type out.
        let mut region = None;
        if !violations
            .iter()
            .any(|v| matches!(v.kind, K::Residency | K::Compliance | K::Customization | K::Retired))
        {
            match self.placement(m, d) {
                Ok(p) => {
                    region = p.region;
                    warnings.extend(p.warnings);
                }
                Err(v) => violations.push(v),
            }
        }
        let latency = latency[usize::from(family == Family::Provisioned)].clone();
        if family == Family::PayAsYouGo {
            warnings.extend(self.quota_warning(m, d));
        }
        self.latency_violations(&latency, &mut violations, &mut warnings, m);
        if databricks {
            warnings.push(format!(
                "latency: no Databricks-specific measurement; {}'s hosted latency is used, as for the other managed options",
                m.id
            ));
        }
        let mut ptu = None;
        let mut ptu_detail = None;
        let mut curve = None;
        let discount = self.s.pricing.discount;
        // Azure Government publishes no token prices the catalog could hold: a Government
        // pay-as-you-go option is priced at the commercial Regional Standard figure, else the
        // commercial figure of its own type, and says so.
        let priced_as = if self.government_cloud() && family == Family::PayAsYouGo {
            [Deployment::RegionalStandard, d]
                .into_iter()
                .find(|x| self.catalog.price(&m.id, *x).is_some())
                .unwrap_or(Deployment::RegionalStandard)
        } else {
            d
        };
        let mut dbx_estimate = false;
        let mut lines = match family {
            _ if d == Deployment::DatabricksProvisioned => match self.databricks_provisioned(m) {
                Ok((l, _units, c, est)) => {
                    dbx_estimate = est;
                    curve = Some(CostCurve::Ptu { ptu: c, discount });
                    Some(l)
                }
                Err(reason) => {
                    violations.push(reason);
                    None
                }
            },
            Family::Provisioned => match self.provisioned(m, d) {
                Ok((l, n, detail, c)) => {
                    ptu = Some(n);
                    ptu_detail = Some(Box::new(detail));
                    curve = Some(CostCurve::Ptu { ptu: c, discount });
                    Some(l)
                }
                Err(reason) => {
                    violations.push(reason);
                    None
                }
            },
            _ => match self.databricks_priced(m, priced_as, &mut violations, &mut warnings) {
                Some(p) => {
                    let p = &p;
                    let fixed = match (&m.fine_tuning, self.s.customization) {
                        (Some(ft), Customization::HostedFineTune) if !databricks && !direct => {
                            ft.hosting_usd_per_hour * Decimal::from(HOURS_PER_MONTH)
                        }
                        _ => Decimal::ZERO,
                    };
                    let screening = if d == Deployment::FoundryServerless && self.s.pricing.foundry_content_filter {
                        self.content_safety_per_request()
                    } else {
                        Decimal::ZERO
                    };
                    curve = Some(CostCurve::Tokens {
                        per_request: self.per_request(m, p) + screening,
                        fixed_month: fixed,
                        discount,
                    });
                    let mut l = self.token_lines(m, p);
                    if screening > Decimal::ZERO {
                        l.push(self.content_safety_line(screening));
                    }
                    Some(l)
                }
                None => {
                    violations.push(Violation::new(
                        K::Price,
                        format!("the catalog has no price for {} on {}", m.id, d.option_id()),
                    ));
                    None
                }
            },
        };
        if self.government_cloud() && family == Family::PayAsYouGo && lines.is_some() {
            warnings.push(format!(
                "Azure Government: no Government token price is published in the catalog's sources; priced at the commercial {} price as a stand-in",
                priced_as.label()
            ));
        }
        if let Some(l) = lines.as_mut() {
            if self.s.customization == Customization::HostedFineTune
                && family != Family::Provisioned
                && !databricks
                && !direct
                && let Some(ft) = &m.fine_tuning
            {
                l.push(CostLine {
                    item: format!(
                        "fine-tuned deployment hosting: {}/h x 730 h (estimate)",
                        usd(ft.hosting_usd_per_hour)
                    ),
                    usd: ft.hosting_usd_per_hour * Decimal::from(HOURS_PER_MONTH),
                });
            }
            self.negotiated(l);
        }
        if let Some(p) = self.catalog.price(&m.id, priced_as)
            && p.estimate
            && family != Family::Provisioned
        {
            warnings.push(format!("{} price is an estimate ({})", d.option_id(), p.source));
        }
        let cost = lines.as_ref().map(|l| l.iter().map(|x| x.usd).sum::<Decimal>());
        let option = OptionId::Managed(d);
        OptionResult {
            option,
            model: m.id.clone(),
            family,
            feasible: violations.is_empty() && cost.is_some(),
            estimate: cost.is_some() && (dbx_estimate || self.rests_on_estimate(option, Some(priced_as), &m.id, None)),
            monthly_cost_usd: cost,
            violations,
            warnings,
            cost_breakdown: lines.unwrap_or_default(),
            latency,
            region,
            ptu,
            ptu_detail,
            self_hosted: None,
            curve,
            fine_tuning: None,
        }
    }

    /// Databricks provisioned throughput: model units for the peak's tokens a second, from
    /// the one size Databricks publishes (so many units serve about so many tokens a second
    /// at a reference request), priced at DBU/h per unit x the region's $/DBU, all month.
    /// Returns the lines, the units, the cost curve and whether it rests on an estimate.
    /// The token price of a managed deployment as billed: the catalog's row, except that
    /// Databricks' rows are DBUs at the US $0.07 and are re-priced at the region's $/DBU
    /// (a region without one is a price violation, never the US figure silently).
    fn databricks_priced(
        &self,
        m: &Model,
        d: Deployment,
        violations: &mut Vec<Violation>,
        warnings: &mut Vec<String>,
    ) -> Option<std::borrow::Cow<'_, TokenPrice>> {
        let p = self.catalog.price(&m.id, d)?;
        if d != Deployment::DatabricksPayPerToken {
            return Some(std::borrow::Cow::Borrowed(p));
        }
        let Some(rate) = self.catalog.databricks_dbu(&self.region) else {
            violations.push(Violation::new(
                K::Price,
                format!(
                    "the catalog has no $/DBU for Databricks model serving in {}",
                    self.region
                ),
            ));
            return Some(std::borrow::Cow::Borrowed(p));
        };
        let us: Decimal = DATABRICKS_PRICE_ROW_USD_PER_DBU.parse().unwrap_or(Decimal::ONE);
        if rate.usd_per_dbu == us {
            return Some(std::borrow::Cow::Borrowed(p));
        }
        let f = rate.usd_per_dbu / us;
        warnings.push(format!(
            "Databricks pay-per-token re-priced at {}'s {}/DBU{} (the price rows are DBUs at ${DATABRICKS_PRICE_ROW_USD_PER_DBU})",
            self.region,
            usd(rate.usd_per_dbu),
            if rate.estimate { ", an estimate" } else { "" }
        ));
        let mut q = p.clone();
        q.input = (q.input * f).round_dp(4);
        q.output = (q.output * f).round_dp(4);
        q.cached_input = q.cached_input.map(|c| (c * f).round_dp(4));
        q.estimate |= rate.estimate;
        Some(std::borrow::Cow::Owned(q))
    }

    fn databricks_provisioned(&self, m: &Model) -> Result<(Vec<CostLine>, u32, PtuCurve, bool), Violation> {
        let pt = self.catalog.databricks_provisioned(&m.id).ok_or_else(|| {
            Violation::new(
                K::Price,
                format!("Databricks publishes no throughput per model unit for {}", m.id),
            )
        })?;
        let rate = self.catalog.databricks_dbu(&self.region).ok_or_else(|| {
            Violation::new(
                K::Price,
                format!(
                    "the catalog has no $/DBU for Databricks model serving in {}",
                    self.region
                ),
            )
        })?;
        let per_unit_s = pt.example_tokens_per_s / f64::from(pt.example_units.max(1));
        let dm = &self.demand;
        // Tokens a second as the published example counts them: the prompt and the output.
        let per_request = dm.input_tokens + dm.output_tokens + self.reasoning_of(m);
        let unit_hour = pt.dbu_per_unit_hour * rate.usd_per_dbu;
        let unit_month = unit_hour * Decimal::from(HOURS_PER_MONTH);
        let curve = PtuCurve::new(per_request, per_unit_s * 60.0, (1, 1), unit_month, None);
        let sized = curve.size(dm);
        // Whether the DBU/h figure buys one model unit or one chunk of them is not settled by
        // the sources: Databricks provisions "in chunks of model units". While the catalog
        // entry is an estimate the option is not priced; both readings are shown so the
        // architect can ask Databricks which holds (an override with `estimate: false`
        // prices it per unit).
        if pt.estimate {
            let chunk = pt.example_units.max(1);
            let chunks = sized.chosen.div_ceil(chunk);
            let per_chunk = Decimal::from(chunks) * unit_month;
            return Err(Violation::new(
                K::Price,
                format!(
                    "Databricks' provisioned-throughput price for {} is not confirmed per model unit: {} DBU/h read per unit gives {} model units x {}/h = {}/month; read per chunk of the {} units Databricks' example uses, {} chunk{} = {}/month (pay-per-token on the same platform is the priced alternative); confirm with Databricks and give dbu_per_unit_hour with estimate: false in a databricks.ron override",
                    m.id,
                    pt.dbu_per_unit_hour.normalize(),
                    sized.chosen,
                    usd(unit_hour.round_dp(2)),
                    crate::text::usd_whole(sized.ptu_cost),
                    chunk,
                    chunks,
                    if chunks == 1 { "" } else { "s" },
                    crate::text::usd_whole(per_chunk)
                ),
            ));
        }
        let line = CostLine {
            item: format!(
                "{} model units x {} DBU/h x {}/DBU x 730 h (one unit taken to serve {:.0} tokens/s, from Databricks' {} units ~ {:.0} tokens/s at {} in / {} out, used as tokens/s with no scaling for this request's size; {} DBU/h per model unit, as the catalog override states)",
                sized.chosen,
                pt.dbu_per_unit_hour.normalize(),
                usd(rate.usd_per_dbu),
                per_unit_s,
                pt.example_units,
                pt.example_tokens_per_s,
                pt.example_input_tokens,
                pt.example_output_tokens,
                pt.dbu_per_unit_hour.normalize()
            ),
            usd: sized.ptu_cost,
        };
        Ok((vec![line], sized.chosen, curve, pt.estimate || rate.estimate))
    }

    /// Microsoft's PTU sizing, price by commitment, utilisation, break-even utilisation, and
    /// (Global and Data Zone) the cheapest spillover baseline.
    fn provisioned(&self, m: &Model, d: Deployment) -> Result<(Vec<CostLine>, u32, PtuDetail, PtuCurve), Violation> {
        let table = self
            .catalog
            .ptu_model(&m.id)
            .ok_or_else(|| Violation::new(K::Price, format!("the catalog has no PTU sizing figures for {}", m.id)))?;
        let kind = ptu_kind(d);
        let (min, inc) = match kind {
            PtuKind::Regional => match (table.regional_min, table.regional_increment) {
                (Some(a), Some(b)) => (a, b),
                _ => {
                    return Err(Violation::new(
                        K::Price,
                        format!("{} has no Regional provisioned deployment", m.id),
                    ));
                }
            },
            _ => (table.global_min, table.global_increment),
        };
        let price = self
            .catalog
            .ptu_price(kind)
            .ok_or_else(|| Violation::new(K::Price, format!("the catalog has no PTU price for {kind:?}")))?;
        let dm = &self.demand;
        let per_request = dm.uncached_input() + table.output_weight * (dm.output_tokens + self.reasoning_of(m));
        let hours = Decimal::from(HOURS_PER_MONTH);
        let (unit_month, unit_label) = match self.s.pricing.commitment {
            Commitment::PayAsYouGo => (
                price.usd_per_hour * hours,
                format!("{}/h x 730 h", usd(price.usd_per_hour)),
            ),
            Commitment::OneMonth => (
                price.one_month_usd,
                format!("{}/month (1-month reservation)", usd(price.one_month_usd)),
            ),
            Commitment::OneYear | Commitment::ThreeYear => (
                price.one_year_usd / Decimal::from(12),
                format!("{}/year / 12 (1-year reservation)", usd(price.one_year_usd)),
            ),
        };
        // The pay-as-you-go twin: what spillover pays and what break-even compares with.
        let twin = self.catalog.price(&m.id, d.standard_twin());
        let payg_per_request = twin.map(|p| self.per_request(m, p));
        let curve = PtuCurve::new(
            per_request,
            table.input_tpm_per_ptu,
            (min, inc),
            unit_month,
            if matches!(kind, PtuKind::Global | PtuKind::DataZone) {
                payg_per_request
            } else {
                None
            },
        );
        let sized = curve.size(dm);
        let break_even = payg_per_request.and_then(|c| {
            // One PTU fully used for a month serves this many requests of this mix.
            let requests = table.input_tpm_per_ptu * 60.0 * f64::from(HOURS_PER_MONTH) / per_request.max(1e-9);
            let value = dec(requests)? * c;
            (value > Decimal::ZERO).then(|| (unit_month / value).round_dp(3).try_into().unwrap_or(f64::NAN))
        });
        let mut lines = Vec::new();
        let mut spill = None;
        if sized.chosen < sized.for_peak {
            let to = OptionId::Managed(d.standard_twin());
            lines.push(CostLine {
                item: format!("{} PTU baseline x {unit_label}", sized.chosen),
                usd: sized.ptu_cost,
            });
            lines.push(CostLine {
                item: format!(
                    "spillover to {to}: {} of tokens at pay-as-you-go prices (the busiest minutes of each hour, up to {:.1}x its mean)",
                    if sized.overflow_share > 0.0 && sized.overflow_share < 0.0005 {
                        "under 0.1%".to_string()
                    } else {
                        format!("{:.1}%", sized.overflow_share * 100.0)
                    },
                    super::curve::intra_hour_ratio(dm)
                ),
                usd: sized.overflow_cost,
            });
            spill = Some(Spillover {
                baseline_ptu: sized.chosen,
                overflow_share: (sized.overflow_share * 1e4).round() / 1e4,
                overflow_to: to,
            });
        } else {
            lines.push(CostLine {
                item: format!("{} PTU x {unit_label}", sized.chosen),
                usd: sized.ptu_cost,
            });
        }
        let mean_tpm = dm.mean_rps * 60.0 * per_request;
        let capacity_tpm = f64::from(sized.chosen) * table.input_tpm_per_ptu;
        let utilization = if capacity_tpm > 0.0 {
            (mean_tpm / capacity_tpm).min(1.0)
        } else {
            0.0
        };
        Ok((
            lines,
            sized.chosen,
            PtuDetail {
                peak_tpm: sized.peak_tpm.round(),
                input_tpm_per_ptu: table.input_tpm_per_ptu,
                output_weight: table.output_weight,
                ptu_for_peak: sized.for_peak,
                minimum: min,
                increment: inc,
                utilization: (utilization * 1e3).round() / 1e3,
                break_even_utilization: break_even,
                spillover: spill,
            },
            curve,
        ))
    }

    /// True when a catalog figure behind an option's cost is marked as an estimate: the
    /// token price it is billed at (`priced_as`: Azure Government's pay-as-you-go is billed
    /// at the Regional Standard row), its PTU sizing or price, or the VM and GPU of its fleet.
    pub(super) fn rests_on_estimate(
        &self,
        option: OptionId,
        priced_as: Option<Deployment>,
        model: &str,
        fleet: Option<&selfhost::SelfHosted>,
    ) -> bool {
        let catalog = self.catalog;
        let deployment = option.deployment();
        let price = priced_as.is_some_and(|d| catalog.price(model, d).is_some_and(|p| p.estimate));
        let ptu = deployment.is_some_and(|d| d.family() == Family::Provisioned)
            && (catalog
                .ptu_model(model)
                .is_some_and(|m| m.estimate || m.output_weight_estimate)
                || catalog
                    .ptu_prices
                    .iter()
                    .any(|p| p.estimate && Some(p.kind) == deployment.map(ptu_kind)));
        // Owned servers rest on their price and on the on-premises TCO constants too.
        let fleet = fleet.is_some_and(|sh| {
            catalog.vm(&sh.vm).is_some_and(|v| v.estimate)
                || catalog.gpu(&sh.gpu).is_some_and(|g| g.estimate)
                || catalog.server(&sh.vm).is_some_and(|s| s.estimate)
                || (sh.place == crate::vocab::Place::OnPremises
                    && catalog
                        .constants
                        .iter()
                        .any(|c| c.id.starts_with("on_prem_") && c.estimate))
        });
        let screening = deployment == Some(Deployment::FoundryServerless)
            && self.s.pricing.foundry_content_filter
            && catalog
                .constant_entry("content_safety_usd_per_1k_records")
                .is_some_and(|c| c.estimate);
        price || ptu || fleet || screening
    }
}

/// The PTU price row a provisioned deployment is billed at.
fn ptu_kind(d: Deployment) -> PtuKind {
    match d.scope() {
        Some(Scope::Global) => PtuKind::Global,
        Some(Scope::DataZone) => PtuKind::DataZone,
        _ => PtuKind::Regional,
    }
}

/// The $/DBU Databricks' pay-per-token rows in `prices.ron` are written at (the US default).
const DATABRICKS_PRICE_ROW_USD_PER_DBU: &str = "0.07";

/// "1,234 ms".
fn fmt_ms(ms: f64) -> String {
    format!("{} ms", crate::text::thousands(ms.max(0.0).round() as u64))
}
