//! Waiting for a slot in a serving replica, as an M/G/c queue.
//!
//! A replica under continuous batching holds at most `c` requests at once (its batch); a
//! request arriving when all are busy waits. With Poisson arrivals the chance of waiting is
//! Erlang's C formula, and the waiting time beyond it is close to exponential with rate
//! `c(1 - rho) / S`, where `S` is how long a request holds its slot. Service times that vary
//! (requests of different lengths) lengthen the wait by the Allen-Cunneen factor
//! `(1 + SCV) / 2`, with SCV the squared coefficient of variation of the service time; SCV 1
//! is the exponential (M/M/c) case.
//!
//! Erlang C is exact (by the Erlang B recursion, O(slots)) for up to [`EXACT_SLOTS`] slots and
//! uses the Halfin-Whitt approximation above, where it is within a few percent of the exact
//! value (it underestimates it at a few hundred slots, so it is not used there).

/// Slots up to which Erlang C is computed exactly.
pub const EXACT_SLOTS: u32 = 4096;

/// Probability that an arrival waits, for `c` slots at offered load `a` (busy slots on
/// average, `a = lambda x S`). 0 for no load, 1 at or beyond saturation.
pub fn erlang_c(c: u32, a: f64) -> f64 {
    let cf = f64::from(c.max(1));
    if a.is_nan() || a <= 0.0 {
        return 0.0;
    }
    if a >= cf {
        return 1.0;
    }
    let rho = a / cf;
    if c <= EXACT_SLOTS {
        // Erlang B by recursion, then C from B (stable for any load).
        let mut b = 1.0;
        for k in 1..=c.max(1) {
            b = a * b / (f64::from(k) + a * b);
        }
        return (b / (1.0 - rho * (1.0 - b))).clamp(0.0, 1.0);
    }
    // Halfin-Whitt: beta = (c - a) / sqrt(a); C ~ 1 / (1 + beta Phi(beta) / phi(beta)).
    let beta = (cf - a) / a.sqrt();
    (1.0 / (1.0 + beta * normal_cdf(beta) / normal_pdf(beta))).clamp(0.0, 1.0)
}

/// The `p`-quantile of the wait for a slot, seconds: 0 when fewer than `1 - p` of arrivals
/// wait at all. `rho` is the load as a share of the replica's capacity (`a / c`), `service_s`
/// how long a request holds its slot and `scv` the service time's squared coefficient of
/// variation. Infinite at or beyond saturation.
pub fn wait_quantile_s(c: u32, rho: f64, service_s: f64, scv: f64, p: f64) -> f64 {
    if rho >= 1.0 {
        return f64::INFINITY;
    }
    let cf = f64::from(c.max(1));
    let waits = erlang_c(c, rho * cf);
    let tail = 1.0 - p;
    if waits <= tail || tail <= 0.0 {
        return if tail <= 0.0 && waits > 0.0 { f64::INFINITY } else { 0.0 };
    }
    (waits / tail).ln() * service_s / (cf * (1.0 - rho)) * (1.0 + scv) / 2.0
}

/// Mean wait for a slot, seconds (Allen-Cunneen); the tests check the quantile against it.
#[cfg(test)]
pub fn mean_wait_s(c: u32, rho: f64, service_s: f64, scv: f64) -> f64 {
    if rho >= 1.0 {
        return f64::INFINITY;
    }
    let cf = f64::from(c.max(1));
    erlang_c(c, rho * cf) * service_s / (cf * (1.0 - rho)) * (1.0 + scv) / 2.0
}

fn normal_pdf(x: f64) -> f64 {
    (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// The standard normal distribution function, by Abramowitz and Stegun 7.1.26 (absolute
/// error below 1.5e-7), which std does not provide.
fn normal_cdf(x: f64) -> f64 {
    let z = x.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * z);
    let poly =
        t * (0.254_829_592 + t * (-0.284_496_736 + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * (-z * z).exp();
    if x >= 0.0 { 0.5 * (1.0 + erf) } else { 0.5 * (1.0 - erf) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_slot_is_the_m_m_1_queue() {
        // M/M/1: the chance of waiting is rho, the mean wait rho S / (1 - rho).
        for rho in [0.1, 0.5, 0.9] {
            assert!((erlang_c(1, rho) - rho).abs() < 1e-12);
            let w = mean_wait_s(1, rho, 2.0, 1.0);
            assert!((w - rho * 2.0 / (1.0 - rho)).abs() < 1e-9, "{w}");
        }
    }

    #[test]
    fn erlang_c_matches_published_values() {
        // Textbook values: c = 2, a = 1: C = 1/3; c = 10, a = 8: C = 0.409 (Erlang C table).
        assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-12);
        assert!((erlang_c(10, 8.0) - 0.4092).abs() < 1e-3, "{}", erlang_c(10, 8.0));
        assert_eq!(erlang_c(4, 0.0), 0.0);
        assert_eq!(erlang_c(4, 4.0), 1.0);
        assert_eq!(erlang_c(4, f64::NAN), 0.0);
    }

    #[test]
    fn halfin_whitt_agrees_with_the_exact_formula_where_it_takes_over() {
        // Above EXACT_SLOTS the approximation is used; where they meet they agree closely.
        let c = EXACT_SLOTS;
        for rho in [0.95, 0.98, 0.99, 0.995] {
            let a = rho * f64::from(c);
            let exact = erlang_c(c, a);
            let beta = (f64::from(c) - a) / a.sqrt();
            let approx = 1.0 / (1.0 + beta * normal_cdf(beta) / normal_pdf(beta));
            assert!(
                (exact - approx).abs() < 0.01 + 0.05 * exact,
                "rho {rho}: {exact} vs {approx}"
            );
        }
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.96) - 0.975).abs() < 1e-4);
    }

    #[test]
    fn many_slots_rarely_wait_until_nearly_full() {
        // 256 slots at 80% load: almost no arrival waits, so the p95 wait is zero.
        assert!(erlang_c(256, 0.8 * 256.0) < 1e-3);
        assert_eq!(wait_quantile_s(256, 0.8, 10.0, 1.0, 0.95), 0.0);
        // ... and the wait explodes near saturation.
        assert!(wait_quantile_s(256, 0.999, 10.0, 1.0, 0.95) > 0.0);
        assert!(wait_quantile_s(256, 1.0, 10.0, 1.0, 0.95).is_infinite());
    }

    #[test]
    fn with_spare_capacity_beta_2_6_fewer_than_one_in_a_hundred_wait() {
        // The fleet check's shortcut (selfhost::fleet::NO_WAIT_BETA) relies on this; up to
        // EXACT_SLOTS slots erlang_c is the exact recursion, so this checks the real value.
        for c in [65u32, 100, 256, 1_000, 4_096, 100_000] {
            // a such that (c - a) / sqrt(a) = 2.6: a = ((-2.6 + sqrt(2.6^2 + 4c)) / 2)^2.
            let root = (-2.6 + (2.6f64 * 2.6 + 4.0 * f64::from(c)).sqrt()) / 2.0;
            let a = root * root;
            assert!(erlang_c(c, a) < 0.01, "{c}: {}", erlang_c(c, a));
            assert_eq!(wait_quantile_s(c, a / f64::from(c), 3.0, 1.0, 0.99), 0.0);
        }
    }

    #[test]
    fn the_wait_grows_with_the_load_and_the_spread_and_falls_with_the_slots() {
        let w = |c: u32, rho: f64, scv: f64| wait_quantile_s(c, rho, 5.0, scv, 0.95);
        assert!(w(4, 0.5, 1.0) < w(4, 0.8, 1.0));
        assert!(w(4, 0.8, 1.0) > w(64, 0.8, 1.0));
        assert!(w(4, 0.8, 1.0) < w(4, 0.8, 3.0));
        // The p95 of an M/M/1 wait: P(W > t) = rho exp(-(1 - rho) t / S).
        let rho: f64 = 0.6;
        let t = w(1, rho, 1.0);
        assert!((rho * (-(1.0 - rho) * t / 5.0).exp() - 0.05).abs() < 1e-9, "{t}");
        // The mean and the quantile agree on the M/M/1 shape.
        assert!(mean_wait_s(1, rho, 5.0, 1.0) > 0.0);
    }
}
