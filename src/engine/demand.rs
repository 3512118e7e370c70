//! Demand: how many requests arrive when, and how many tokens a month they carry.
//!
//! A month is 730 hours (Azure's billing convention), so requests per month are
//! `requests_per_day x 730 / 24`. Rates are requests per second; the peak is the busiest
//! minute, `max(mean x peak_to_average, busiest hour's mean)`.

use std::cell::OnceCell;

use rust_decimal::Decimal;

use crate::scenario::{Pattern, Scenario};

/// Hours in a billing month.
pub const HOURS_PER_MONTH: u32 = 730;

pub use crate::num::dec;

/// The hourly weights of a pattern as written, before normalising (see
/// [`Pattern::raw_weights`]).
pub fn raw_weights(pattern: &Pattern) -> [f64; 24] {
    pattern.raw_weights()
}

/// The hourly weights of a pattern, normalised to sum to 1.
pub fn hourly_weights(pattern: &Pattern) -> [f64; 24] {
    let raw = raw_weights(pattern);
    let sum: f64 = raw.iter().sum();
    if sum > 0.0 {
        raw.map(|w| w / sum)
    } else {
        [1.0 / 24.0; 24]
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Demand {
    pub requests_per_day: f64,
    /// Requests a month as money is counted, built when first asked for: break-even and
    /// sweeps evaluate thousands of demands in `f64` and never need it.
    requests_per_month: OnceCell<Decimal>,
    /// Share of the day's requests in each hour (sums to 1).
    pub weights: [f64; 24],
    pub mean_rps: f64,
    /// Mean rate within each hour.
    pub hourly_rps: [f64; 24],
    /// The busiest minute's rate.
    pub peak_rps: f64,
    /// The hour with the highest mean rate (the first such hour).
    pub busiest_hour: usize,
    /// The distinct hourly rates, each with the number of hours at it, in order of first
    /// appearance (one level for a steady day, two for business hours): fleet sizing
    /// counts replicas once per level instead of once per hour.
    levels: [(f64, u32); 24],
    level_count: usize,
    /// The level each hour belongs to.
    pub level_of_hour: [u8; 24],
    /// The level the busiest hour belongs to.
    pub busiest_level: usize,
    pub input_tokens: f64,
    pub cached_share: f64,
    pub output_tokens: f64,
    pub reasoning_tokens: f64,
}

impl Demand {
    pub fn from_scenario(s: &Scenario) -> Demand {
        Demand::with_volume(s, s.workload.requests_per_day)
    }

    /// The scenario's demand at another daily volume (for sweeps and break-even search).
    pub fn with_volume(s: &Scenario, requests_per_day: f64) -> Demand {
        let weights = hourly_weights(&s.traffic.pattern);
        let mean = requests_per_day / 86_400.0;
        let hourly_rps = weights.map(|w| requests_per_day * w / 3_600.0);
        let busiest = (0..24).fold(0, |b, h| if hourly_rps[h] > hourly_rps[b] { h } else { b });
        let busiest_hour = hourly_rps[busiest];
        let mut levels = [(0.0, 0); 24];
        let mut level_count = 0;
        let mut busiest_level = 0;
        let mut level_of_hour = [0u8; 24];
        for (h, &rate) in hourly_rps.iter().enumerate() {
            let i = match levels[..level_count].iter().position(|l| l.0 == rate) {
                Some(i) => i,
                None => {
                    levels[level_count] = (rate, 0);
                    level_count += 1;
                    level_count - 1
                }
            };
            levels[i].1 += 1;
            level_of_hour[h] = i as u8;
            if h == busiest {
                busiest_level = i;
            }
        }
        Demand {
            requests_per_day,
            requests_per_month: OnceCell::new(),
            weights,
            mean_rps: mean,
            hourly_rps,
            peak_rps: (mean * s.traffic.peak_to_average).max(busiest_hour),
            busiest_hour: busiest,
            levels,
            level_count,
            level_of_hour,
            busiest_level,
            input_tokens: s.workload.input_tokens,
            cached_share: s.workload.cached_input_share,
            output_tokens: s.workload.output_tokens,
            reasoning_tokens: s.workload.reasoning_tokens,
        }
    }

    /// The distinct hourly rates and the hours at each (see `levels`).
    pub fn levels(&self) -> &[(f64, u32)] {
        &self.levels[..self.level_count]
    }

    /// Requests a month: `requests_per_day x 730 / 24`, exact in decimal.
    pub fn requests_per_month(&self) -> Decimal {
        *self.requests_per_month.get_or_init(|| {
            dec(self.requests_per_day)
                .and_then(|r| r.checked_mul(Decimal::from(HOURS_PER_MONTH)))
                .map(|r| r / Decimal::from(24))
                .unwrap_or(Decimal::ZERO)
        })
    }

    /// Requests a month in `f64`, for ranking and break-even search.
    pub fn requests_per_month_f64(&self) -> f64 {
        self.requests_per_day * f64::from(HOURS_PER_MONTH) / 24.0
    }

    /// Prompt tokens not served from the cache, per request.
    pub fn uncached_input(&self) -> f64 {
        self.input_tokens * (1.0 - self.cached_share)
    }

    /// Generated tokens per request for a model: completion plus hidden reasoning where the
    /// model reasons.
    pub fn generated(&self, reasoning_model: bool) -> f64 {
        self.output_tokens + if reasoning_model { self.reasoning_tokens } else { 0.0 }
    }

    /// Tokens per month, as (uncached input, cached input, generated), for a model.
    pub fn tokens_per_month(&self, reasoning_model: bool) -> (Decimal, Decimal, Decimal) {
        (
            self.per_month(self.uncached_input()),
            self.per_month(self.input_tokens * self.cached_share),
            self.per_month(self.generated(reasoning_model)),
        )
    }

    /// A per-request count (tokens) over a month, exact in decimal.
    pub fn per_month(&self, per_request: f64) -> Decimal {
        dec(per_request)
            .and_then(|t| t.checked_mul(self.requests_per_month()))
            .unwrap_or(Decimal::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_chatbot_carries_6_08_billion_input_tokens_a_month() {
        let d = Demand::from_scenario(&Scenario::example());
        let (input, cached, output) = d.tokens_per_month(false);
        assert_eq!(input.round_dp(0), Decimal::from(6_083_333_333u64));
        assert_eq!(cached, Decimal::ZERO);
        assert_eq!(output.round_dp(0), Decimal::from(1_520_833_333u64));
        // Business hours: 10 hours at weight 1, 14 at 0.2 -> the busiest hour has 1/12.8 of the day.
        assert!((d.hourly_rps[9] - 100_000.0 / 12.8 / 3600.0).abs() < 1e-9);
        assert!((d.peak_rps - 100_000.0 * 2.0 / 86_400.0).abs() < 1e-9);
    }

    #[test]
    fn decimals_keep_what_was_typed() {
        assert_eq!(dec(0.3).unwrap().to_string(), "0.3");
        assert_eq!(dec(1e10).unwrap(), Decimal::from(10_000_000_000u64));
        assert!(dec(f64::NAN).is_none());
        assert!(dec(1e300).is_none());
    }
}
