//! Cost as a function of demand, for one option x model with everything else fixed: what
//! break-even search and volume sweeps evaluate thousands of times.

use rust_decimal::Decimal;

use super::ceil_u32;
use super::demand::{Demand, dec};
use super::selfhost::GpuCurve;

/// Provisioned throughput sized from demand by Microsoft's method.
#[derive(Debug, Clone, PartialEq)]
pub struct PtuCurve {
    /// Input-equivalent tokens per request: uncached input + output weight x generated.
    tokens_per_request: f64,
    tpm_per_ptu: f64,
    minimum: u32,
    increment: u32,
    /// Price of one PTU for a month at the scenario's commitment.
    unit_month: Decimal,
    /// Pay-as-you-go cost of one request where spillover is allowed (Global, Data Zone).
    spillover_per_request: Option<Decimal>,
    /// `unit_month` and `spillover_per_request` (0 without spillover) as `f64`.
    prices_f64: (f64, f64),
}

/// The PTU count chosen for a demand, and what it costs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PtuSizing {
    /// Input-equivalent tokens per minute at the peak.
    pub peak_tpm: f64,
    /// PTUs to serve the peak alone.
    pub for_peak: u32,
    /// PTUs deployed (a smaller spillover baseline when that is cheaper).
    pub chosen: u32,
    /// Share of tokens that overflow to pay-as-you-go.
    pub overflow_share: f64,
    pub ptu_cost: Decimal,
    pub overflow_cost: Decimal,
}

/// Baselines below the peak's PTU count worth trying, each with the share of tokens that
/// would overflow it.
struct Baselines {
    peak_tpm: f64,
    for_peak: u32,
    tried: Vec<(u32, f64)>,
}

impl PtuCurve {
    pub fn new(
        tokens_per_request: f64,
        tpm_per_ptu: f64,
        (minimum, increment): (u32, u32),
        unit_month: Decimal,
        spillover_per_request: Option<Decimal>,
    ) -> PtuCurve {
        let f = |d: Decimal| f64::try_from(d).unwrap_or(f64::MAX);
        PtuCurve {
            tokens_per_request,
            tpm_per_ptu,
            minimum,
            increment,
            unit_month,
            spillover_per_request,
            prices_f64: (f(unit_month), spillover_per_request.map_or(0.0, f)),
        }
    }

    /// PTUs for a load: whole PTUs in steps of the increment, at least the minimum, at most
    /// a billion.
    fn ptu_for(&self, tpm: f64) -> u32 {
        let raw = u64::from(ceil_u32(tpm / self.tpm_per_ptu));
        let inc = u64::from(self.increment.max(1));
        let stepped = raw.div_ceil(inc) * inc;
        u32::try_from(stepped.min(1_000_000_000))
            .unwrap_or(u32::MAX)
            .max(self.minimum)
    }

    /// The PTUs for the peak and, where spillover is allowed, the smaller baselines to try.
    /// A baseline below the peak spills what exceeds it to pay-as-you-go, minute by minute
    /// within each hour (see [`overflow_share`]). The monthly total is convex in the
    /// baseline (PTU cost grows linearly, the overflow shrinks ever more slowly), so the
    /// cheapest baseline is found by bisection on the PTU grid; it, its neighbours and the
    /// minimum are the ones tried.
    fn baselines(&self, demand: &Demand) -> Baselines {
        let peak_tpm = demand.peak_rps * 60.0 * self.tokens_per_request;
        let for_peak = self.ptu_for(peak_tpm);
        let mut out = Baselines {
            peak_tpm,
            for_peak,
            tried: Vec::new(),
        };
        let (unit, per_request) = self.prices_f64;
        if self.spillover_per_request.is_none() || peak_tpm <= 0.0 {
            return out;
        }
        // Hours at the same rate overflow alike: one term per level of the day.
        let mut levels = [(0.0, 0u32); 24];
        for (slot, (rate, hours)) in levels.iter_mut().zip(demand.levels()) {
            *slot = (rate * 60.0 * self.tokens_per_request, *hours);
        }
        let levels = &levels[..demand.levels().len()];
        let ratio = intra_hour_ratio(demand);
        let share = |n: u32| overflow_share(levels, ratio, f64::from(n) * self.tpm_per_ptu);
        let requests = demand.requests_per_month_f64();
        let cost = |n: u32| f64::from(n) * unit + share(n) * requests * per_request;
        let inc = self.increment.max(1);
        // Steps of the grid above the minimum: baseline(i) = minimum + i x increment.
        let at = |i: u32| self.minimum.saturating_add(i.saturating_mul(inc));
        let top = for_peak.saturating_sub(self.minimum) / inc;
        let (mut lo, mut hi) = (0u32, top);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if cost(at(mid + 1)) >= cost(at(mid)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        let mut tried = vec![self.minimum, at(lo.saturating_sub(1)), at(lo), at(lo + 1)];
        tried.sort_unstable();
        tried.dedup();
        out.tried = tried
            .into_iter()
            .filter(|n| *n < for_peak)
            .map(|n| (n, share(n)))
            .collect();
        out
    }

    /// Monthly cost in `f64` of `n` PTUs with `share` of the tokens overflowing.
    fn cost_f64(&self, n: u32, share: f64, demand: &Demand) -> f64 {
        let (unit, per_request) = self.prices_f64;
        f64::from(n) * unit + share * demand.requests_per_month_f64() * per_request
    }

    /// The cheapest monthly cost in `f64` (what [`Self::size`] chooses, within 1e-14).
    fn monthly_f64(&self, demand: &Demand) -> f64 {
        self.cheapest_f64(&self.baselines(demand), demand)
    }

    fn cheapest_f64(&self, b: &Baselines, demand: &Demand) -> f64 {
        b.tried
            .iter()
            .map(|(n, share)| self.cost_f64(*n, *share, demand))
            .fold(self.cost_f64(b.for_peak, 0.0, demand), f64::min)
    }

    pub fn size(&self, demand: &Demand) -> PtuSizing {
        let b = self.baselines(demand);
        let cost = |n: u32| Decimal::from(n) * self.unit_month;
        let mut best = PtuSizing {
            peak_tpm: b.peak_tpm,
            for_peak: b.for_peak,
            chosen: b.for_peak,
            overflow_share: 0.0,
            ptu_cost: cost(b.for_peak),
            overflow_cost: Decimal::ZERO,
        };
        let Some(per_request) = self.spillover_per_request else {
            return best;
        };
        // Money is compared in `Decimal`, but converting each share to `Decimal` is slow. The
        // same totals in `f64` are within 1e-14 of them, so a baseline more than 1e-9 above
        // the cheapest `f64` total cannot be the cheapest: only the others are priced exactly.
        let cheapest = self.cheapest_f64(&b, demand);
        let within = cheapest + cheapest.abs() * 1e-9 + 1e-9;
        for &(n, share) in &b.tried {
            if self.cost_f64(n, share, demand) > within {
                continue;
            }
            let overflow = dec(share).unwrap_or_default() * demand.requests_per_month() * per_request;
            if cost(n) + overflow < best.ptu_cost + best.overflow_cost {
                best = PtuSizing {
                    chosen: n,
                    overflow_share: share,
                    ptu_cost: cost(n),
                    overflow_cost: overflow,
                    ..best
                };
            }
        }
        best
    }
}

/// How far the busiest minute rises above its hour's mean: the scenario's peak over the
/// busiest hour's mean rate (at least 1).
pub fn intra_hour_ratio(demand: &Demand) -> f64 {
    let busiest = demand.hourly_rps.iter().copied().fold(0.0, f64::max);
    if busiest > 0.0 {
        (demand.peak_rps / busiest).max(1.0)
    } else {
        1.0
    }
}

/// Share of the day's tokens above `capacity` (tokens per minute), when the rate within
/// each hour spreads evenly from a low up to the hour's peak, the hour's mean times `ratio`
/// (the busiest minute of the scenario, scaled to each hour). Up to twice the mean the
/// minutes run evenly between `2 x mean - peak` and the peak; beyond that some minutes are
/// idle and the rest run evenly between zero and the peak, so the mean is kept either way.
///
/// `levels` are the day's distinct hourly means (tokens per minute), each with its hours.
pub fn overflow_share(levels: &[(f64, u32)], ratio: f64, capacity: f64) -> f64 {
    let total: f64 = levels.iter().map(|&(mean, hours)| mean * f64::from(hours)).sum();
    if total <= 0.0 {
        return 0.0;
    }
    let over: f64 = levels
        .iter()
        .map(|&(mean, hours)| {
            let peak = mean * ratio;
            let excess = if ratio <= 2.0 {
                uniform_excess(2.0 * mean - peak, peak, capacity)
            } else {
                2.0 / ratio * uniform_excess(0.0, peak, capacity)
            };
            excess * f64::from(hours)
        })
        .sum();
    (over / total).clamp(0.0, 1.0)
}

/// `E[max(0, X - c)]` for `X` uniform on `[a, b]`.
fn uniform_excess(a: f64, b: f64, c: f64) -> f64 {
    if b <= a {
        return (a - c).max(0.0);
    }
    if c >= b {
        0.0
    } else if c <= a {
        (a + b) / 2.0 - c
    } else {
        (b - c) * (b - c) / (2.0 * (b - a))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum CostCurve {
    /// Pay per token: requests x cost per request, plus a fixed monthly fee (fine-tuned
    /// deployment hosting).
    Tokens {
        per_request: Decimal,
        fixed_month: Decimal,
        discount: Decimal,
    },
    Ptu {
        ptu: PtuCurve,
        discount: Decimal,
    },
    /// Another curve plus a fixed monthly amount outside its discount: a one-off (a
    /// fine-tune's training job) amortised over months.
    Plus {
        base: Box<CostCurve>,
        fixed_month: Decimal,
    },
    /// GPUs (after the negotiated discount) plus operations; the cheapest of the
    /// configurations at each demand.
    SelfHosted {
        gpus: Vec<GpuCurve>,
        /// Operations a month for each block of `ops_gpus_per_block` GPUs at the peak (the
        /// team's FTE x engineer cost); one block however small the fleet.
        ops_month: Decimal,
        /// GPUs one block of operations covers; 0: operations do not grow with the fleet.
        ops_gpus_per_block: u32,
        discount: Decimal,
        /// `ops_month` and `discount` as `f64`, for [`CostCurve::monthly_f64`].
        ops_and_discount_f64: (f64, f64),
    },
}

/// Blocks of operations effort a fleet of `gpus` GPUs (at the peak) takes: one, plus one for
/// every further `per_block` GPUs; always one when `per_block` is 0.
pub fn ops_blocks(gpus: u32, per_block: u32) -> u32 {
    if per_block == 0 {
        1
    } else {
        gpus.div_ceil(per_block).max(1)
    }
}

impl CostCurve {
    /// Monthly cost in `f64`: fast, for locating where curves cross. Reported money comes
    /// from [`Self::monthly`].
    pub fn monthly_f64(&self, demand: &Demand) -> f64 {
        let f = |d: Decimal| -> f64 { d.try_into().unwrap_or(f64::MAX) };
        match self {
            CostCurve::Tokens {
                per_request,
                fixed_month,
                discount,
            } => {
                let requests = demand.requests_per_day * f64::from(super::demand::HOURS_PER_MONTH) / 24.0;
                (requests * f(*per_request) + f(*fixed_month)) * (1.0 - f(*discount))
            }
            CostCurve::Ptu { ptu, discount } => ptu.monthly_f64(demand) * (1.0 - f(*discount)),
            CostCurve::Plus { base, fixed_month } => base.monthly_f64(demand) + f(*fixed_month),
            CostCurve::SelfHosted {
                gpus,
                ops_gpus_per_block,
                ops_and_discount_f64: (ops, discount),
                ..
            } => gpus
                .iter()
                .map(|g| {
                    let blocks = ops_blocks(g.gpus_bought(g.peak_replicas(demand)), *ops_gpus_per_block);
                    g.cost_f64(demand) * (1.0 - discount) + ops * f64::from(blocks)
                })
                .fold(f64::INFINITY, f64::min),
        }
    }

    pub fn monthly(&self, demand: &Demand) -> Decimal {
        match self {
            CostCurve::Tokens {
                per_request,
                fixed_month,
                discount,
            } => (demand.requests_per_month() * *per_request + *fixed_month) * (Decimal::ONE - *discount),
            CostCurve::Ptu { ptu, discount } => {
                let s = ptu.size(demand);
                (s.ptu_cost + s.overflow_cost) * (Decimal::ONE - *discount)
            }
            CostCurve::Plus { base, fixed_month } => base.monthly(demand) + *fixed_month,
            CostCurve::SelfHosted {
                gpus,
                ops_month,
                ops_gpus_per_block,
                discount,
                ..
            } => gpus
                .iter()
                .map(|g| {
                    let blocks = ops_blocks(g.gpus_bought(g.peak_replicas(demand)), *ops_gpus_per_block);
                    g.cost(demand) * (Decimal::ONE - *discount) + *ops_month * Decimal::from(blocks)
                })
                .min()
                .unwrap_or(Decimal::MAX),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Pattern, Scenario};

    /// Every baseline priced in `Decimal`, as `size` did before it skipped the ones `f64`
    /// shows cannot win: the first cheapest, the peak's count on a tie.
    fn exhaustive(curve: &PtuCurve, demand: &Demand) -> (u32, Decimal) {
        let b = curve.baselines(demand);
        let cost = |n: u32| Decimal::from(n) * curve.unit_month;
        let mut best = (b.for_peak, cost(b.for_peak));
        let per_request = curve.spillover_per_request.unwrap_or_default();
        for (n, share) in b.tried {
            let total = cost(n) + dec(share).unwrap_or_default() * demand.requests_per_month() * per_request;
            if total < best.1 {
                best = (n, total);
            }
        }
        best
    }

    #[test]
    fn pricing_only_the_candidates_f64_cannot_rule_out_finds_the_same_baseline() {
        let mut s = Scenario::example();
        let patterns = [
            Pattern::Steady,
            Pattern::BusinessHours,
            Pattern::Custom((0..24).map(|h| f64::from((h * 7) % 11 + 1)).collect()),
        ];
        let mut spilled = 0;
        for pattern in patterns {
            s.traffic.pattern = pattern;
            for (i, volume) in [1e3, 3.3e4, 1e5, 328_767.0, 1e6, 2.5e6, 1e7, 4.2e7, 1e8]
                .into_iter()
                .enumerate()
            {
                let demand = Demand::with_volume(&s, volume);
                let spill = Decimal::new(4 + i as i64, 6);
                let curve = PtuCurve::new(1_400.0, 37_000.0, (15, 5), Decimal::new(73_000, 2), Some(spill));
                let sized = curve.size(&demand);
                let (n, total) = exhaustive(&curve, &demand);
                assert_eq!(sized.chosen, n, "{volume} requests a day");
                assert_eq!(sized.ptu_cost + sized.overflow_cost, total, "{volume} requests a day");
                let f = f64::try_from(total).unwrap_or_default();
                assert!(
                    (curve.monthly_f64(&demand) - f).abs() <= f * 1e-12,
                    "{volume} requests a day"
                );
                spilled += usize::from(n < sized.for_peak);
            }
        }
        // The cases must exercise spillover, not only the peak's count.
        assert!(spilled >= 6, "only {spilled} cases chose a spillover baseline");
    }

    #[test]
    fn bisection_finds_the_cheapest_baseline_of_the_whole_grid() {
        let mut s = Scenario::example();
        for (pattern, p2a) in [
            (Pattern::Steady, 1.0),
            (Pattern::Steady, 1.6),
            (Pattern::BusinessHours, 2.0),
            (Pattern::BusinessHours, 5.0),
            (
                Pattern::Custom((0..24).map(|h| f64::from((h * 5) % 7 + 1)).collect()),
                3.0,
            ),
        ] {
            s.traffic.pattern = pattern;
            s.traffic.peak_to_average = p2a;
            for volume in [2e4, 1e5, 1e6, 7e6] {
                let demand = Demand::with_volume(&s, volume);
                let curve = PtuCurve::new(
                    1_400.0,
                    37_000.0,
                    (15, 5),
                    Decimal::new(73_000, 2),
                    Some(Decimal::new(6, 6)),
                );
                let b = curve.baselines(&demand);
                // Hour by hour, which the day's levels must add up to.
                let hourly: Vec<(f64, u32)> = demand.hourly_rps.iter().map(|r| (r * 60.0 * 1_400.0, 1)).collect();
                let ratio = intra_hour_ratio(&demand);
                let cost = |n: u32| {
                    f64::from(n) * 730.0
                        + overflow_share(&hourly, ratio, f64::from(n) * 37_000.0)
                            * demand.requests_per_month_f64()
                            * 6e-6
                };
                let best = (0..)
                    .map(|i| 15 + 5 * i)
                    .take_while(|n| *n <= b.for_peak)
                    .min_by(|a, c| cost(*a).total_cmp(&cost(*c)))
                    .unwrap();
                let chosen = curve.size(&demand).chosen;
                assert!(
                    (cost(chosen) - cost(best)).abs() <= cost(best) * 1e-9,
                    "{p2a} {volume}: chose {chosen}, the grid's best is {best}"
                );
            }
        }
    }

    #[test]
    fn a_baseline_below_the_peak_overflows_within_the_hour_even_on_a_steady_day() {
        // Steady traffic whose busiest minute is 1.6 x the mean: the hourly means are all
        // equal, so a baseline at the mean overflows only inside the hour.
        let hourly = [(1_000.0, 24)];
        assert_eq!(overflow_share(&hourly, 1.0, 1_000.0), 0.0);
        let share = overflow_share(&hourly, 1.6, 1_000.0);
        // Uniform on [400, 1600]: E[max(0, X - 1000)] = 600^2 / 2400 = 150 of a mean of 1000.
        assert!((share - 0.15).abs() < 1e-12, "{share}");
        assert_eq!(overflow_share(&hourly, 1.6, 1_600.0), 0.0);
        // Bursts beyond twice the mean: idle minutes and the rest up to the peak, mean kept.
        let spiky = overflow_share(&hourly, 4.0, 0.0);
        assert!((spiky - 1.0).abs() < 1e-12, "{spiky}");
    }
}
