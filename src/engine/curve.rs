//! Cost as a function of demand, for one option x model with everything else fixed: what
//! break-even search and volume sweeps evaluate thousands of times.

use rust_decimal::Decimal;

use super::demand::{Demand, dec};
use super::selfhost::GpuCurve;

/// Provisioned throughput sized from demand by Microsoft's method.
#[derive(Debug, Clone, PartialEq)]
pub struct PtuCurve {
    /// Input-equivalent tokens per request: uncached input + output weight x generated.
    pub tokens_per_request: f64,
    pub tpm_per_ptu: f64,
    pub minimum: u32,
    pub increment: u32,
    /// Price of one PTU for a month at the scenario's commitment.
    pub unit_month: Decimal,
    /// Pay-as-you-go cost of one request where spillover is allowed (Global, Data Zone).
    pub spillover_per_request: Option<Decimal>,
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

impl PtuCurve {
    fn ptu_for(&self, tpm: f64) -> u32 {
        let raw = (tpm / self.tpm_per_ptu).ceil().max(0.0);
        let inc = f64::from(self.increment.max(1));
        let stepped = (raw / inc).ceil() * inc;
        (stepped.min(1e9) as u32).max(self.minimum)
    }

    pub fn size(&self, demand: &Demand) -> PtuSizing {
        let peak_tpm = demand.peak_rps * 60.0 * self.tokens_per_request;
        let for_peak = self.ptu_for(peak_tpm);
        let cost = |n: u32| Decimal::from(n) * self.unit_month;
        let mut best = PtuSizing {
            peak_tpm,
            for_peak,
            chosen: for_peak,
            overflow_share: 0.0,
            ptu_cost: cost(for_peak),
            overflow_cost: Decimal::ZERO,
        };
        let Some(per_request) = self.spillover_per_request else {
            return best;
        };
        // A baseline below the peak spills the excess of each hour to pay-as-you-go. The
        // total is piecewise linear in the baseline, so its minimum is at the minimum PTU or
        // at one of the hourly loads: try those.
        let hourly_tpm: [f64; 24] = demand.hourly_rps.map(|r| r * 60.0 * self.tokens_per_request);
        let total: f64 = hourly_tpm.iter().sum();
        if total <= 0.0 {
            return best;
        }
        let mut tried: Vec<u32> = hourly_tpm.iter().map(|t| self.ptu_for(*t)).collect();
        tried.push(self.minimum);
        tried.sort_unstable();
        tried.dedup();
        for n in tried.into_iter().filter(|n| *n < for_peak) {
            let capacity = f64::from(n) * self.tpm_per_ptu;
            let over: f64 = hourly_tpm.iter().map(|t| (t - capacity).max(0.0)).sum();
            let share = over / total;
            let overflow = dec(share).unwrap_or_default() * demand.requests_per_month * per_request;
            if cost(n) + overflow < best.ptu_cost + best.overflow_cost {
                best = PtuSizing {
                    peak_tpm,
                    for_peak,
                    chosen: n,
                    overflow_share: share,
                    ptu_cost: cost(n),
                    overflow_cost: overflow,
                };
            }
        }
        best
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
    /// GPUs (after the negotiated discount) plus operations; the cheapest of the
    /// configurations at each demand.
    SelfHosted {
        gpus: Vec<GpuCurve>,
        ops_month: Decimal,
        discount: Decimal,
        /// `ops_month` and `discount` as `f64`, for [`CostCurve::monthly_f64`].
        ops_and_discount_f64: (f64, f64),
    },
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
            CostCurve::Ptu { .. } => f(self.monthly(demand)),
            CostCurve::SelfHosted {
                gpus,
                ops_and_discount_f64: (ops, discount),
                ..
            } => {
                let gpu = gpus.iter().map(|g| g.cost_f64(demand)).fold(f64::INFINITY, f64::min);
                gpu * (1.0 - discount) + ops
            }
        }
    }

    pub fn monthly(&self, demand: &Demand) -> Decimal {
        match self {
            CostCurve::Tokens {
                per_request,
                fixed_month,
                discount,
            } => (demand.requests_per_month * *per_request + *fixed_month) * (Decimal::ONE - *discount),
            CostCurve::Ptu { ptu, discount } => {
                let s = ptu.size(demand);
                (s.ptu_cost + s.overflow_cost) * (Decimal::ONE - *discount)
            }
            CostCurve::SelfHosted {
                gpus,
                ops_month,
                discount,
                ..
            } => {
                let gpu = gpus.iter().map(|g| g.cost(demand)).min().unwrap_or(Decimal::MAX);
                gpu * (Decimal::ONE - *discount) + *ops_month
            }
        }
    }
}
