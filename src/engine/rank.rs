//! Which models a scenario considers, and the order options are reported in.

use super::plan::OptionResult;
use crate::catalog::{Catalog, Model};
use crate::scenario::Scenario;

/// The models a scenario considers: its `models`, or every non-benchmark model at its tier
/// or above.
pub fn candidates<'a>(s: &Scenario, catalog: &'a Catalog) -> Vec<&'a Model> {
    if s.models.is_empty() {
        catalog
            .models
            .iter()
            .filter(|m| !m.benchmark_only && m.tier.meets(s.quality))
            .collect()
    } else {
        s.models.iter().filter_map(|id| catalog.model(id)).collect()
    }
}

/// Feasible first, then cheapest, then by option and model id. The sort orders positions,
/// then each option is moved into place: sorting the options themselves moves them many
/// times (about 100 k more instructions on content-moderation, callgrind).
pub(super) fn rank(options: Vec<OptionResult>) -> Vec<OptionResult> {
    let mut order: Vec<usize> = (0..options.len()).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (&options[i], &options[j]);
        b.feasible
            .cmp(&a.feasible)
            .then_with(|| match (a.monthly_cost_usd, b.monthly_cost_usd) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            // At the same price an Azure option ranks before a provider's own API: the
            // same bill with Azure's residency and compliance terms.
            .then_with(|| {
                a.option
                    .provider()
                    .outside_azure()
                    .cmp(&b.option.provider().outside_azure())
            })
            .then_with(|| a.option.id().cmp(b.option.id()))
            .then_with(|| a.model.cmp(&b.model))
    });
    let mut slots: Vec<Option<OptionResult>> = options.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}
