//! Hybrid plans: the optional `routing` group of format v1. A router sends each request to
//! one leg (shares of the traffic), or a cascade tries its legs in order and escalates a
//! share of what reaches each one. Each leg is a workload of its own (token sizes, quality,
//! candidate models, latency target and residency default to the scenario's), priced with
//! every deployment option by the engine.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Residency;
use crate::num;
use crate::vocab::Tier;

/// Legs a routing group may have: the seeds' patterns use two or three.
pub const MAX_LEGS: usize = 5;

/// How requests reach the legs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Routing {
    pub pattern: RoutingPattern,
    /// The step that decides where a request goes (router), or none. A cascade's decision
    /// is the first attempt's own confidence check, so it usually has none.
    #[serde(default, skip_serializing_if = "RouterStep::is_none")]
    pub router: RouterStep,
    /// In order: a router's legs from the cheapest to the most capable (the last is the
    /// single model the plan is compared with); a cascade's in the order they are tried.
    pub legs: Vec<Leg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoutingPattern {
    /// Each request goes to one leg; `share` of the requests go to each.
    Router,
    /// Every request tries the first leg; `escalation` of those reaching a leg go on to the
    /// next one.
    Cascade,
}

impl RoutingPattern {
    pub const ALL: [RoutingPattern; 2] = [RoutingPattern::Router, RoutingPattern::Cascade];

    pub fn id(self) -> &'static str {
        match self {
            RoutingPattern::Router => "router",
            RoutingPattern::Cascade => "cascade",
        }
    }
}

/// What deciding a request's leg costs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub enum RouterStep {
    /// Nothing: the caller already knows (a flag on the request, a product surface).
    #[default]
    None,
    /// A model reads each request and names its leg: priced and timed as a workload of its
    /// own (every request, these tokens).
    Classifier {
        model: String,
        /// Prompt tokens it reads per request (left out: [`DEFAULT_CLASSIFIER_INPUT`]).
        #[serde(default = "default_classifier_input", with = "num::float")]
        input_tokens: f64,
        /// Tokens it writes per request, a label (left out: [`DEFAULT_CLASSIFIER_OUTPUT`]).
        #[serde(default = "default_classifier_output", with = "num::float")]
        output_tokens: f64,
    },
    /// A fixed price per request (a routing service's fee); its latency is not known.
    PerRequest {
        #[serde(with = "num::money")]
        usd: Decimal,
    },
}

impl RouterStep {
    pub fn is_none(&self) -> bool {
        matches!(self, RouterStep::None)
    }

    /// The picker's names for the three kinds.
    pub const KINDS: [&'static str; 3] = ["None", "Classifier", "PerRequest"];

    pub fn kind(&self) -> &'static str {
        match self {
            RouterStep::None => "None",
            RouterStep::Classifier { .. } => "Classifier",
            RouterStep::PerRequest { .. } => "PerRequest",
        }
    }
}

fn default_classifier_input() -> f64 {
    DEFAULT_CLASSIFIER_INPUT
}

fn default_classifier_output() -> f64 {
    DEFAULT_CLASSIFIER_OUTPUT
}

/// Default classifier tokens: a request read once, a label written.
pub const DEFAULT_CLASSIFIER_INPUT: f64 = 500.0;
pub const DEFAULT_CLASSIFIER_OUTPUT: f64 = 5.0;
/// The classifier a new router starts with. The seeds name GPT-4.1-nano, retired on
/// 2026-10-14 (catalog); Phi-4-mini is a current compact model without hidden reasoning, so
/// a one-word label costs only its tokens.
pub const DEFAULT_CLASSIFIER_MODEL: &str = "phi-4-mini";

/// One leg: a workload with its own sizes and needs. Left-out fields take the scenario's.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Leg {
    /// A short name shown in every report ("simple", "complex", "reasoning").
    pub name: String,
    /// Router: the share (0..1) of all requests sent to this leg; the shares sum to 1.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "num::opt_float")]
    pub share: Option<f64>,
    /// Cascade, every leg but the first: the share (0..1) of the requests reaching the leg
    /// before it that escalate to this one.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "num::opt_float")]
    pub escalation: Option<f64>,
    /// The lowest acceptable tier for this leg's requests.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "num::present")]
    pub quality: Option<Tier>,
    /// Explicit candidate models (replaces the tier's list).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub models: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "num::opt_float")]
    pub input_tokens: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "num::opt_float")]
    pub output_tokens: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "num::opt_float")]
    pub reasoning_tokens: Option<f64>,
    /// This leg's time-to-first-token target (end to end: the router's time, or the
    /// cascade's earlier attempts, included).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "num::opt_float")]
    pub ttft_ms: Option<f64>,
    /// Where this leg's data may be processed: the scenario's, or stricter (an edge leg
    /// that keeps simple queries on premises).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "num::present")]
    pub residency: Option<Residency>,
    /// Cascade: output tokens an attempt at this leg spends on a request it then escalates
    /// (a confidence check reads the whole answer: its full output unless given).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "num::opt_float")]
    pub attempt_output_tokens: Option<f64>,
}

impl Routing {
    /// The share of all requests that reach each leg: a router's shares, or a cascade's
    /// running product of escalation rates (the first leg sees every request).
    pub fn arriving(&self) -> Vec<f64> {
        match self.pattern {
            RoutingPattern::Router => self.legs.iter().map(|l| l.share.unwrap_or(0.0)).collect(),
            RoutingPattern::Cascade => {
                let mut reach = 1.0;
                self.legs
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        if i > 0 {
                            reach *= l.escalation.unwrap_or(0.0);
                        }
                        reach
                    })
                    .collect()
            }
        }
    }

    /// A new group of the pattern with two legs the scenario's workload fills in: a router
    /// sending 70% to a tier below the scenario's (the seeds' "~70% of traffic" to the
    /// cheap model) and 30% at the scenario's tier; a cascade escalating 20%.
    pub fn starting(pattern: RoutingPattern, quality: Tier) -> Routing {
        let lower = match quality {
            Tier::Frontier => Tier::Strong,
            Tier::Strong => Tier::Efficient,
            Tier::Efficient | Tier::Compact => Tier::Compact,
        };
        let (first, second) = match pattern {
            RoutingPattern::Router => (
                Leg {
                    name: "simple".into(),
                    share: Some(0.7),
                    quality: Some(lower),
                    ..Leg::default()
                },
                Leg {
                    name: "complex".into(),
                    share: Some(0.3),
                    quality: Some(quality),
                    ..Leg::default()
                },
            ),
            RoutingPattern::Cascade => (
                Leg {
                    name: "first".into(),
                    quality: Some(lower),
                    ..Leg::default()
                },
                Leg {
                    name: "escalated".into(),
                    escalation: Some(0.2),
                    quality: Some(quality),
                    ..Leg::default()
                },
            ),
        };
        Routing {
            pattern,
            router: RouterStep::None,
            legs: vec![first, second],
        }
    }

    /// Switches the pattern, keeping the legs and turning shares into escalation rates (or
    /// back) so the same share of requests reaches each leg where that is possible.
    pub fn set_pattern(&mut self, pattern: RoutingPattern) {
        if self.pattern == pattern {
            return;
        }
        let reach = self.arriving();
        self.pattern = pattern;
        match pattern {
            RoutingPattern::Router => {
                // Each leg keeps what it alone handles: what reaches it less what goes on.
                let n = reach.len();
                for (i, leg) in self.legs.iter_mut().enumerate() {
                    let next = if i + 1 < n { reach[i + 1] } else { 0.0 };
                    leg.share = Some(round6((reach[i] - next).max(0.0)));
                    leg.escalation = None;
                    leg.attempt_output_tokens = None;
                }
            }
            RoutingPattern::Cascade => {
                // A leg sees every request the legs from it on handle: it escalates what
                // the later legs handle.
                let rest: Vec<f64> = (0..reach.len()).map(|i| reach[i..].iter().sum()).collect();
                for (i, leg) in self.legs.iter_mut().enumerate() {
                    leg.share = None;
                    leg.escalation = (i > 0).then(|| {
                        let before = rest[i - 1];
                        round6(if before > 0.0 { (rest[i] / before).min(1.0) } else { 0.0 })
                    });
                }
            }
        }
    }

    /// Sets leg `i`'s router share to `v` and scales the other legs so the shares still sum
    /// to 1 (an editor or a sweep moving one share moves the rest with it, in proportion).
    pub fn set_share(&mut self, i: usize, v: f64) {
        if i >= self.legs.len() {
            return;
        }
        let others: f64 = self
            .legs
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, l)| l.share.unwrap_or(0.0))
            .sum();
        let rest = (1.0 - v).max(0.0);
        let count = self.legs.len().saturating_sub(1);
        for (j, leg) in self.legs.iter_mut().enumerate() {
            if j == i {
                leg.share = Some(v);
            } else if others > 0.0 {
                leg.share = Some(round6(leg.share.unwrap_or(0.0) * rest / others));
            } else if count > 0 {
                leg.share = Some(round6(rest / count as f64));
            }
        }
        // Rounding may leave a millionth over or under: the first other leg takes it, so the
        // sum is 1 when `v` is a share.
        if (0.0..=1.0).contains(&v)
            && let Some(j) = (0..self.legs.len()).find(|j| *j != i)
        {
            let sum: f64 = self.legs.iter().map(|l| l.share.unwrap_or(0.0)).sum();
            let fixed = self.legs[j].share.unwrap_or(0.0) + (1.0 - sum);
            self.legs[j].share = Some(round6(fixed.max(0.0)));
        }
    }

    /// Adds a leg after leg `after`: a copy of it, named so no two legs share a name. A
    /// router's new leg starts with no traffic; a cascade's escalates nothing yet.
    pub fn add_leg(&mut self, after: usize) -> Option<usize> {
        if self.legs.len() >= MAX_LEGS {
            return None;
        }
        let at = (after + 1).min(self.legs.len());
        let mut leg = self.legs.get(after).cloned().unwrap_or_default();
        let mut k = self.legs.len() + 1;
        leg.name = loop {
            let name = format!("leg {k}");
            if !self.legs.iter().any(|l| l.name == name) {
                break name;
            }
            k += 1;
        };
        match self.pattern {
            RoutingPattern::Router => leg.share = Some(0.0),
            RoutingPattern::Cascade => {
                leg.share = None;
                leg.escalation = Some(0.0);
            }
        }
        self.legs.insert(at, leg);
        if self.pattern == RoutingPattern::Cascade && at == 0 {
            self.legs[0].escalation = None;
        }
        Some(at)
    }

    /// Removes leg `i` (a routing group keeps at least two). A router gives the removed
    /// share to the others in proportion; a cascade's first leg loses nothing it needs.
    pub fn remove_leg(&mut self, i: usize) -> bool {
        if self.legs.len() <= 2 || i >= self.legs.len() {
            return false;
        }
        self.legs.remove(i);
        match self.pattern {
            RoutingPattern::Router => {
                let keep = self.legs.first().and_then(|l| l.share).unwrap_or(0.0);
                self.set_share(0, keep);
            }
            RoutingPattern::Cascade => {
                if let Some(first) = self.legs.first_mut() {
                    first.escalation = None;
                }
            }
        }
        true
    }
}

/// A routing group of the pattern with `n` legs (at most [`MAX_LEGS`]) and every optional
/// field of a leg given: for tests that walk every field, and as a starting point in code.
pub fn with_every_field(pattern: RoutingPattern, n: usize) -> Routing {
    let n = n.clamp(2, MAX_LEGS);
    let legs = (0..n)
        .map(|i| Leg {
            name: format!("leg {}", i + 1),
            share: (pattern == RoutingPattern::Router).then(|| {
                round6(
                    1.0 / n as f64
                        + if i == 0 {
                            1.0 - (1.0 / n as f64 * 1e6).round() / 1e6 * n as f64
                        } else {
                            0.0
                        },
                )
            }),
            escalation: (pattern == RoutingPattern::Cascade && i > 0).then_some(0.5),
            quality: Some(Tier::Efficient),
            models: vec!["gpt-4.1-mini".to_string()],
            input_tokens: Some(1_000.0),
            output_tokens: Some(200.0),
            reasoning_tokens: Some(0.0),
            ttft_ms: Some(3_000.0),
            residency: Some(Residency::Global),
            attempt_output_tokens: (pattern == RoutingPattern::Cascade && i + 1 < n).then_some(100.0),
        })
        .collect();
    Routing {
        pattern,
        router: RouterStep::Classifier {
            model: DEFAULT_CLASSIFIER_MODEL.to_string(),
            input_tokens: DEFAULT_CLASSIFIER_INPUT,
            output_tokens: DEFAULT_CLASSIFIER_OUTPUT,
        },
        legs,
    }
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    fn router(shares: &[f64]) -> Routing {
        Routing {
            pattern: RoutingPattern::Router,
            router: RouterStep::None,
            legs: shares
                .iter()
                .enumerate()
                .map(|(i, s)| Leg {
                    name: format!("l{i}"),
                    share: Some(*s),
                    ..Leg::default()
                })
                .collect(),
        }
    }

    #[test]
    fn moving_one_share_moves_the_others_in_proportion() {
        let mut r = router(&[0.7, 0.25, 0.05]);
        r.set_share(2, 0.1);
        let s: Vec<f64> = r.legs.iter().map(|l| l.share.unwrap()).collect();
        assert!((s.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{s:?}");
        assert_eq!(s[2], 0.1);
        // 0.7 : 0.25 kept over the remaining 0.9.
        assert!((s[0] / s[1] - 2.8).abs() < 1e-4, "{s:?}");
    }

    #[test]
    fn a_cascade_reaches_each_leg_by_the_product_of_escalations() {
        let mut r = router(&[0.0, 0.0, 0.0]);
        r.pattern = RoutingPattern::Cascade;
        for l in &mut r.legs {
            l.share = None;
        }
        r.legs[1].escalation = Some(0.3);
        r.legs[2].escalation = Some(0.5);
        assert_eq!(r.arriving(), vec![1.0, 0.3, 0.15]);
    }

    #[test]
    fn switching_patterns_keeps_what_each_leg_handles() {
        let mut r = router(&[0.7, 0.25, 0.05]);
        r.set_pattern(RoutingPattern::Cascade);
        let reach = r.arriving();
        assert!(
            (reach[1] - 0.3).abs() < 1e-6 && (reach[2] - 0.05).abs() < 1e-6,
            "{reach:?}"
        );
        r.set_pattern(RoutingPattern::Router);
        let s: Vec<f64> = r.legs.iter().map(|l| l.share.unwrap()).collect();
        assert!((s[0] - 0.7).abs() < 1e-6 && (s[1] - 0.25).abs() < 1e-6 && (s[2] - 0.05).abs() < 1e-6);
    }

    #[test]
    fn legs_are_added_with_unique_names_and_removed_down_to_two() {
        let mut r = router(&[0.6, 0.4]);
        assert_eq!(r.add_leg(0), Some(1));
        assert_eq!(r.legs[1].name, "leg 3");
        assert_eq!(r.legs[1].share, Some(0.0));
        assert!(r.remove_leg(1));
        assert!(!r.remove_leg(0), "two legs stay");
        let sum: f64 = r.legs.iter().map(|l| l.share.unwrap()).sum();
        assert!((sum - 1.0).abs() < 1e-9);
    }
}
