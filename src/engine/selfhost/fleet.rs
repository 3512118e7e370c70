//! The fleet arithmetic of one self-hosted configuration ([`GpuCurve`]): replicas hour by
//! hour as the traffic moves, whole VMs, the always-on baseline and the autoscaled burst,
//! or on premises whole owned servers for the peak fleet, and what that costs a month, in `Decimal` for reports and in `f64` for ranking. The
//! methods the sizing search calls in its inner loop are `#[inline]` so they can still be
//! inlined there now that they live in their own module.

use std::sync::Arc;

use rust_decimal::Decimal;

use super::owned::{OwnedMonth, OwnedServer, utilization_pct};
use crate::engine::ceil_u32;
use crate::engine::demand::{Demand, HOURS_PER_MONTH};

/// GPU cost of one configuration in one place as a function of demand: the configuration
/// (GPU, precision, TP, batch) is fixed, replicas follow the traffic.
#[derive(Debug, Clone, PartialEq)]
pub struct GpuCurve {
    pub requests_per_s_per_replica: f64,
    pub utilization: f64,
    pub min_replicas: u32,
    pub autoscale: bool,
    pub tp: u32,
    /// GPUs a VM (cloud) or a server (on premises) has.
    pub vm_gpus: u32,
    /// Price of a VM per hour (cloud) or a server's purchase price (on premises).
    pub unit_price: Decimal,
    /// The same price as `f64`, for ranking.
    pub unit_price_f64: f64,
    pub on_premises: bool,
    /// Commitment discount on the always-on baseline (cloud).
    pub commitment_discount: Decimal,
    /// The same as `f64`, for ranking.
    pub commitment_discount_f64: f64,
    /// The time-to-first-token check on the fleet's queue (none without a TTFT target).
    pub queue: Option<QueueCheck>,
    /// What a month of the server costs (on premises; `None` in the cloud).
    pub owned: Option<Arc<OwnedServer>>,
}

/// The fleet's queue: replicas behind a load balancer that sends each request to the
/// least-busy replica, so the fleet's batch slots form one pool (M/G/c with c = replicas x
/// slots). Random routing would queue more; least-outstanding-requests routing is what
/// production routers for vLLM do.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueueCheck {
    /// Batch slots of one replica.
    pub slots: u32,
    /// How long a request holds its slot, seconds.
    pub service_s: f64,
    /// Squared coefficient of variation of the service time.
    pub scv: f64,
    /// The TTFT percentile as a share (0.95).
    pub percentile: f64,
    /// Seconds the wait for a slot may take at that percentile (the TTFT target less the
    /// first token's own time with the batch full).
    pub budget_s: f64,
}

/// Spare capacity `beta = (c - a) / sqrt(a)` above which fewer than 1% of arrivals wait, for
/// any fleet of more than 64 slots (the exact Erlang C at beta 2.6 is 0.9% at 65 slots and
/// falls with more), so no percentile up to p99 waits at all: the fleet check skips the
/// queue formula there, as it does for most hours.
const NO_WAIT_BETA: f64 = 2.6;

impl QueueCheck {
    /// The wait for a slot at the percentile with `replicas` replicas serving `rate`
    /// requests a second, each at most `per_replica` a second.
    pub fn wait_s(&self, rate: f64, per_replica: f64, replicas: u32) -> f64 {
        if replicas == 0 {
            return f64::INFINITY;
        }
        let rho = rate / (f64::from(replicas) * per_replica);
        crate::engine::queue::wait_quantile_s(
            replicas.saturating_mul(self.slots),
            rho,
            self.service_s,
            self.scv,
            self.percentile,
        )
    }

    /// The fewest replicas, `n` or more, whose pooled wait stays within the budget.
    #[inline]
    fn replicas(&self, rate: f64, per_replica: f64, n: u32) -> u32 {
        if rate <= 0.0 || n >= MAX_REPLICAS {
            return n;
        }
        let ok = |k: u32| {
            let servers = f64::from(k.saturating_mul(self.slots));
            let busy = rate * self.service_s;
            // Many slots with room to spare: nobody waits (see NO_WAIT_BETA).
            if self.percentile <= 0.99 && servers > 64.0 && busy > 0.0 && (servers - busy) / busy.sqrt() >= NO_WAIT_BETA
            {
                return true;
            }
            // The wait's quantile with every arrival waiting (Erlang C at its bound of 1) is
            // an upper bound that needs no Erlang C: within the budget, the check passes.
            let rho = rate / (f64::from(k) * per_replica);
            if rho < 1.0
                && servers > 0.0
                && (1.0 / (1.0 - self.percentile)).ln() * self.service_s / (servers * (1.0 - rho)) * (1.0 + self.scv)
                    / 2.0
                    <= self.budget_s
            {
                return true;
            }
            self.wait_s(rate, per_replica, k) <= self.budget_s
        };
        if ok(n) {
            return n;
        }
        // The wait falls as replicas are added: double until it fits, then bisect.
        let (mut lo, mut hi) = (n, n.max(1));
        while !ok(hi) {
            lo = hi;
            if hi >= MAX_REPLICAS {
                return MAX_REPLICAS;
            }
            hi = hi.saturating_mul(2).min(MAX_REPLICAS);
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if ok(mid) { hi = mid } else { lo = mid }
        }
        hi
    }
}

/// Replicas in each of a demand's hourly levels (see [`Demand::levels`]) and at the peak;
/// the busiest hour runs the peak fleet.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fleet {
    pub(super) by_level: [u32; 24],
    pub(super) peak: u32,
}

impl GpuCurve {
    /// Replicas for each level of the demand and at the peak.
    #[inline]
    pub(super) fn fleet(&self, demand: &Demand) -> Fleet {
        let peak = self.peak_replicas(demand);
        if !self.autoscale {
            return Fleet {
                by_level: [peak; 24],
                peak,
            };
        }
        let per_replica = self.requests_per_s_per_replica * self.utilization;
        let inverse = if per_replica > 0.0 {
            1.0 / per_replica
        } else {
            f64::INFINITY
        };
        // Every hour between the floor and the peak fleet (a floor above the peak wins).
        let (floor, cap) = (self.min_replicas, peak.max(self.min_replicas));
        let mut by_level = [0u32; 24];
        for (n, (rate, _)) in by_level.iter_mut().zip(demand.levels()) {
            // An idle hour (or a zero rate times an infinite inverse) needs none.
            let mut k = ceil_u32(rate * inverse).min(MAX_REPLICAS).clamp(floor, cap);
            if let Some(q) = &self.queue {
                k = q.replicas(*rate, self.requests_per_s_per_replica, k).min(cap);
            }
            *n = k;
        }
        Fleet { by_level, peak }
    }

    /// Replicas in each hour and at the peak.
    #[inline]
    pub fn replicas(&self, demand: &Demand) -> ([u32; 24], u32) {
        let fleet = self.fleet(demand);
        let mut by_hour = demand.level_of_hour.map(|l| fleet.by_level[usize::from(l)]);
        by_hour[demand.busiest_hour] = fleet.peak;
        (by_hour, fleet.peak)
    }

    /// Replicas at the peak.
    #[inline]
    pub fn peak_replicas(&self, demand: &Demand) -> u32 {
        let n = replicas_for(
            demand.peak_rps,
            self.requests_per_s_per_replica,
            self.utilization,
            self.min_replicas,
        );
        match &self.queue {
            Some(q) => q.replicas(demand.peak_rps, self.requests_per_s_per_replica, n),
            None => n,
        }
    }

    /// GPUs bought for `peak` replicas: whole VMs or servers of `vm_gpus` each (what
    /// operations effort is counted on).
    #[inline]
    pub fn gpus_bought(&self, peak: u32) -> u32 {
        peak.div_ceil(self.per_vm()).saturating_mul(self.vm_gpus.max(self.tp))
    }

    fn per_vm(&self) -> u32 {
        (self.vm_gpus / self.tp.max(1)).max(1)
    }

    /// VM-hours a day above the always-on baseline, the baseline and the peak VM count.
    #[inline]
    fn vm_counts(&self, demand: &Demand, fleet: &Fleet) -> (u32, u32, u32) {
        let per_vm = self.per_vm();
        // One replica a VM (the common case) needs no division.
        let vms = |replicas: u32| {
            if per_vm == 1 {
                replicas
            } else {
                replicas.div_ceil(per_vm)
            }
        };
        let (mut total, mut baseline, mut peak) = (0u32, u32::MAX, 0u32);
        let mut add = |vms: u32, hours: u32| {
            total += vms * hours;
            baseline = baseline.min(vms);
            peak = peak.max(vms);
        };
        for (i, (&replicas, &(_, hours))) in fleet.by_level.iter().zip(demand.levels()).enumerate() {
            if i == demand.busiest_level {
                add(vms(fleet.peak), 1);
                if hours > 1 {
                    add(vms(replicas), hours - 1);
                }
            } else {
                add(vms(replicas), hours);
            }
        }
        (total - 24 * baseline, baseline, peak)
    }

    /// GPU cost a month, as priced lines.
    pub fn lines(&self, demand: &Demand, label: &str) -> Vec<(String, Decimal)> {
        if self.on_premises {
            return match (&self.owned, self.owned_month(demand)) {
                (Some(o), Some(m)) => o.lines(&m),
                _ => Vec::new(),
            };
        }
        let hours = Decimal::from(HOURS_PER_MONTH);
        let fleet = self.fleet(demand);
        let (burst, baseline, _) = self.vm_counts(demand, &fleet);
        let price = self.unit_price;
        let mut lines = Vec::with_capacity(2);
        // A fleet that scales to zero has no always-on part: no zero line for it.
        if baseline > 0 || burst == 0 {
            lines.push((
                if self.commitment_discount > Decimal::ZERO {
                    format!(
                        "GPU VMs always on: {baseline} x {label} at ${}/h less {}% commitment discount, 730 h",
                        price.normalize(),
                        (self.commitment_discount * Decimal::from(100)).normalize()
                    )
                } else {
                    format!(
                        "GPU VMs always on: {baseline} x {label} at ${}/h, 730 h",
                        price.normalize()
                    )
                },
                Decimal::from(baseline) * price * hours * (Decimal::ONE - self.commitment_discount),
            ));
        }
        if burst > 0 {
            lines.push((
                format!(
                    "GPU VMs added by autoscaling: {burst} VM-hours a day x {label} at ${}/h (pay-as-you-go)",
                    price.normalize()
                ),
                Decimal::from(burst) * price * hours / Decimal::from(24),
            ));
        }
        lines
    }

    /// GPU cost a month (the sum of [`Self::lines`], without building their text).
    pub fn cost(&self, demand: &Demand) -> Decimal {
        let hours = Decimal::from(HOURS_PER_MONTH);
        if self.on_premises {
            return self.owned_month(demand).map_or(Decimal::MAX, |m| m.total());
        }
        let (burst, baseline, _) = self.vm_counts(demand, &self.fleet(demand));
        let base = Decimal::from(baseline) * self.unit_price * hours * (Decimal::ONE - self.commitment_discount);
        if burst > 0 {
            base + Decimal::from(burst) * self.unit_price * hours / Decimal::from(24)
        } else {
            base
        }
    }

    /// The same cost in `f64`, for ranking thousands of candidates and locating break-even
    /// points quickly (money that is reported always comes from [`Self::cost`]).
    pub fn cost_f64(&self, demand: &Demand) -> f64 {
        if self.on_premises {
            return self.owned.as_ref().map_or(f64::INFINITY, |o| {
                self.owned_cost_f64(o, self.peak_replicas(demand), mean_rps(demand))
            });
        }
        self.cost_f64_with(demand, &self.fleet(demand))
    }

    /// Whole servers for a peak fleet: a replica's `tp` GPUs sit in one server.
    #[inline]
    pub(super) fn servers_for(&self, peak: u32) -> u32 {
        peak.div_ceil(self.per_vm())
    }

    /// The month of owned servers for the demand: the peak fleet runs all month (it is
    /// bought), drawing power at the day's average utilisation of the servers' capacity
    /// (every replica they hold, so more traffic on the same servers never draws less).
    pub(super) fn owned_month(&self, demand: &Demand) -> Option<OwnedMonth> {
        let o = self.owned.as_ref()?;
        let servers = self.servers_for(self.peak_replicas(demand));
        Some(o.month(servers, self.owned_utilization_pct(servers, mean_rps(demand))))
    }

    #[inline]
    fn owned_utilization_pct(&self, servers: u32, mean_rps: f64) -> u32 {
        let replicas = servers.saturating_mul(self.per_vm());
        utilization_pct(mean_rps, replicas, self.requests_per_s_per_replica)
    }

    /// [`Self::cost_f64`] of owned servers `o` for the peak fleet.
    #[inline]
    pub(super) fn owned_cost_f64(&self, o: &OwnedServer, peak: u32, mean_rps: f64) -> f64 {
        let servers = self.servers_for(peak);
        o.month_f64(servers, self.owned_utilization_pct(servers, mean_rps))
    }

    /// [`Self::cost_f64`] of cloud VMs for replicas already counted.
    #[inline]
    pub(super) fn cost_f64_with(&self, demand: &Demand, fleet: &Fleet) -> f64 {
        let price = self.unit_price_f64;
        let discount = self.commitment_discount_f64;
        let (burst, baseline, _) = self.vm_counts(demand, fleet);
        f64::from(baseline) * price * f64::from(HOURS_PER_MONTH) * (1.0 - discount)
            + f64::from(burst) * price * f64::from(HOURS_PER_MONTH) / 24.0
    }
}

/// Requests a second averaged over the day.
#[inline]
pub(super) fn mean_rps(demand: &Demand) -> f64 {
    demand.hourly_rps.iter().sum::<f64>() / 24.0
}

/// Replicas beyond which a configuration is not a plan but a fantasy; keeping counts below it
/// also keeps GPU counts (x TP 8) and daily VM-hours (x 24) within `u32`.
pub const MAX_REPLICAS: u32 = 100_000_000;

fn replicas_for(rate: f64, per_replica: f64, utilization: f64, min: u32) -> u32 {
    if rate <= 0.0 {
        return min.min(MAX_REPLICAS);
    }
    ceil_u32(rate / (per_replica * utilization)).max(min).min(MAX_REPLICAS)
}

#[cfg(test)]
mod tests {
    use super::Demand;
    use crate::scenario::{Pattern, Scenario};
    use rust_decimal::Decimal;

    #[test]
    fn replica_counts_stay_bounded() {
        assert_eq!(super::replicas_for(1e15, 0.001, 0.8, 1), super::MAX_REPLICAS);
        assert_eq!(super::replicas_for(0.0, 1.0, 0.8, 3), 3);
        assert_eq!(super::replicas_for(10.0, 1.0, 0.5, 1), 20);
    }

    /// Replicas and VM counts hour by hour, as the fleet was sized before hours with the
    /// same rate were counted once.
    fn hour_by_hour(curve: &super::GpuCurve, d: &Demand) -> ([u32; 24], (u32, u32, u32)) {
        let peak = curve.peak_replicas(d);
        let mut by_hour = [peak; 24];
        if curve.autoscale {
            let inverse = 1.0 / (curve.requests_per_s_per_replica * curve.utilization);
            let cap = peak.max(curve.min_replicas);
            for (n, rate) in by_hour.iter_mut().zip(&d.hourly_rps) {
                *n = super::ceil_u32(rate * inverse)
                    .min(super::MAX_REPLICAS)
                    .clamp(curve.min_replicas, cap);
            }
            by_hour[d.busiest_hour] = peak;
        }
        let per_vm = (curve.vm_gpus / curve.tp).max(1);
        let vms = by_hour.map(|n| n.div_ceil(per_vm));
        let (low, high) = (
            vms.iter().min().copied().unwrap_or(0),
            vms.iter().max().copied().unwrap_or(0),
        );
        (by_hour, (vms.iter().sum::<u32>() - 24 * low, low, high))
    }

    #[test]
    fn counting_each_hourly_level_once_gives_the_hour_by_hour_fleet() {
        let mut s = Scenario::example();
        let patterns = [
            Pattern::Steady,
            Pattern::BusinessHours,
            Pattern::Custom((0..24).map(|h| f64::from((h * 5) % 7)).collect()),
            Pattern::Custom((0..24).map(|h| f64::from(h + 1)).collect()),
            Pattern::Custom([vec![0.0; 5], vec![1.0], vec![0.0; 18]].concat()),
        ];
        let mut checked = 0;
        for pattern in patterns {
            s.traffic.pattern = pattern;
            for volume in [0.0, 40.0, 5e3, 1e5, 3.3e6, 7e7] {
                let d = Demand::with_volume(&s, volume);
                for (autoscale, min_replicas, tp, vm_gpus) in [
                    (true, 1, 1, 1),
                    (true, 0, 2, 8),
                    (true, 3, 1, 4),
                    (false, 1, 4, 8),
                    (true, 2, 8, 8),
                ] {
                    let curve = super::GpuCurve {
                        requests_per_s_per_replica: 0.37,
                        utilization: 0.8,
                        min_replicas,
                        autoscale,
                        tp,
                        vm_gpus,
                        unit_price: Decimal::new(1234, 2),
                        unit_price_f64: 12.34,
                        on_premises: false,
                        commitment_discount: Decimal::ZERO,
                        commitment_discount_f64: 0.0,
                        queue: None,
                        owned: None,
                    };
                    let (by_hour, counts) = hour_by_hour(&curve, &d);
                    assert_eq!(curve.replicas(&d).0, by_hour, "{volume} a day");
                    assert_eq!(curve.vm_counts(&d, &curve.fleet(&d)), counts, "{volume} a day");
                    checked += usize::from(counts.0 > 0);
                }
            }
        }
        // Autoscaling must have added VMs above the baseline in a good share of the cases.
        assert!(checked >= 20, "only {checked} cases scaled");
    }
}
