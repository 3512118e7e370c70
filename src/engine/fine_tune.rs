//! A fine-tune as a lifecycle: the one-off training job (training tokens x epochs x the
//! scenario's training price, amortised over months), the fine-tuned deployment's hosting,
//! Azure's training-job limit, and what open weights add (LoRA adapters or a full fine-tune).
//! No Azure per-model training price is published (catalog-facts-2 section 11), so the
//! price is the scenario's input and is never defaulted.

use rust_decimal::Decimal;

use super::context::Ctx;
use super::curve::CostCurve;
use super::demand::{HOURS_PER_MONTH, dec};
use super::plan::{CostLine, Family, FineTuneCost, OptionResult};
use crate::catalog::Model;
use crate::scenario::{Customization, FineTuneMethod};
use crate::text::{short_number, usd, usd_whole};
use crate::vocab::{OptionId, Violation, ViolationKind as K};

/// Azure OpenAI's limit on one training job: 2 billion tokens x epochs.
pub(super) const JOB_LIMIT_TRAINED_TOKENS: f64 = 2e9;
const JOB_LIMIT_SOURCE: &str = "Azure OpenAI quotas and limits (catalog-facts-2 section 11, Limits, as of 2026-02-17)";

/// The warning and line text when the scenario gives no training price.
pub(super) const NOT_PRICED: &str = "training cost not priced: set fine_tuning.training_usd_per_million";

impl Ctx<'_> {
    /// Adds the fine-tune's training job to an option that serves a fine-tuned model: a
    /// managed Azure OpenAI deployment of a fine-tunable model with `HostedFineTune`, or an
    /// open-weight model on GPUs (self-hosted or platform-run) with `HostedFineTune` or
    /// `FullWeights`. Without a `fine_tuning` group such an option says its training job is
    /// not priced. The scenario's per-token training price is Azure OpenAI's way of billing
    /// a job; a fine-tune on GPUs is GPU-hours, which the catalog cannot estimate (no
    /// sourced training utilisation), so it is not priced there either.
    pub(super) fn add_fine_tuning(&self, m: &Model, o: &mut OptionResult) {
        let customization = self.s.customization;
        // Open weights on GPUs, whoever runs them: the customer, or a platform (Foundry
        // managed compute, Databricks GPU serving).
        let self_hosted = matches!(o.option, OptionId::SelfHosted(_) | OptionId::Dedicated(_));
        let managed_fine_tune = matches!(o.option, OptionId::Managed(d) if !d.provider().outside_azure())
            && customization == Customization::HostedFineTune
            && m.fine_tuning.is_some();
        let open_fine_tune = self_hosted && customization != Customization::PromptOnly;
        if !managed_fine_tune && !open_fine_tune {
            return;
        }
        let Some(ft) = &self.s.fine_tuning else {
            o.warnings.push(format!(
                "fine-tuning: the training job is not priced: add a fine_tuning group (training_tokens, epochs{}) to count it",
                if managed_fine_tune { ", training_usd_per_million" } else { "" }
            ));
            return;
        };
        let trained = ft.training_tokens * f64::from(ft.epochs);
        let months = ft.amortize_months.max(1);
        // The per-token price is how Azure OpenAI bills a training job; on GPUs it is hours.
        let price = ft.training_usd_per_million.filter(|_| managed_fine_tune);
        let one_off = price
            .and_then(|p| Some(dec(trained)? * p / Decimal::from(1_000_000)))
            .map(|x| x.round_dp(2));
        let amortized = one_off.map(|x| (x / Decimal::from(months)).round_dp(2));
        let hosting = match (&m.fine_tuning, o.family) {
            (Some(h), Family::PayAsYouGo) if managed_fine_tune => {
                h.hosting_usd_per_hour * Decimal::from(HOURS_PER_MONTH)
            }
            _ => Decimal::ZERO,
        };
        let job = format!(
            "{} tokens x {} epoch{}",
            short_number(ft.training_tokens),
            ft.epochs,
            if ft.epochs == 1 { "" } else { "s" }
        );
        match (one_off, amortized, price) {
            (Some(x), Some(a), Some(p)) => {
                o.cost_breakdown.push(CostLine {
                    item: format!(
                        "fine-tuning training (one-off {}, amortised over {months} months): {job} x {}/M (the scenario's price, applied to each fine-tunable candidate: training prices differ by model)",
                        usd_whole(x),
                        usd(p)
                    ),
                    usd: a,
                });
                if let Some(c) = o.monthly_cost_usd.as_mut() {
                    *c += a;
                }
                if let Some(base) = o.curve.take() {
                    o.curve = Some(CostCurve::Plus {
                        base: Box::new(base),
                        fixed_month: a,
                    });
                }
            }
            _ if self_hosted => {
                let why = "a job on GPUs is billed in GPU-hours, and the catalog has no sourced training utilisation (MFU) to turn 6 x parameters x tokens FLOPs into them; the per-token training price is Azure OpenAI's and does not apply";
                o.cost_breakdown.push(CostLine {
                    item: format!("fine-tuning training ({job}) on GPUs: not priced ({why})"),
                    usd: Decimal::ZERO,
                });
                o.warnings
                    .push(format!("fine-tuning: the training job on GPUs is not priced: {why}"));
            }
            _ => {
                o.cost_breakdown.push(CostLine {
                    item: format!("fine-tuning training ({job}): {NOT_PRICED}"),
                    usd: Decimal::ZERO,
                });
                o.warnings.push(format!(
                    "fine-tuning: {NOT_PRICED} (no Azure per-model training price is published: catalog-facts-2 section 11)"
                ));
            }
        }
        if managed_fine_tune && trained > JOB_LIMIT_TRAINED_TOKENS {
            o.violations.push(Violation::of(
                K::Customization,
                "fine_tuning",
                format!(
                    "a training job of {job} = {} trained tokens is over the 2 billion (tokens x epochs) a job may have ({JOB_LIMIT_SOURCE}): split the data or lower the epochs",
                    short_number(trained)
                ),
            ));
            o.feasible = false;
        }
        if self_hosted {
            o.warnings.push(match ft.method {
                FineTuneMethod::Lora => "fine-tuning (LoRA): the adapters are served on the base model's GPUs (vLLM multi-LoRA); their memory is small and not modelled (it depends on the adapter rank, which the scenario does not give)".to_string(),
                FineTuneMethod::Full => "fine-tuning (full): every weight is trained, so the fine-tune is a model of its own, served on a fleet sized as for the base model".to_string(),
            });
        }
        o.fine_tuning = Some(FineTuneCost {
            training_one_off_usd: one_off,
            amortized_monthly_usd: amortized,
            months,
            hosting_monthly_usd: hosting,
            trained_tokens: trained,
        });
    }
}
