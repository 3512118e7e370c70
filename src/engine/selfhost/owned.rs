//! What owning servers costs a month ([`OwnedServer`]): the purchase price spread over the
//! amortisation months, support as a share of the price a year, power (the servers' draw x
//! PUE x 730 h x the electricity price) and colocation (kW of maximum draw x a price per
//! kW-month), from a `servers.ron` entry and the on-premises constants. Built once per
//! evaluation in [`super::Market::new`]; the sizing ranks with the `f64` form and reports
//! the `Decimal` lines, which are computed by the same rule so they agree to the cent.

use rust_decimal::Decimal;

use crate::catalog::{Catalog, Server, ServerSite};
use crate::engine::demand::{HOURS_PER_MONTH, dec};
use crate::text::{usd, usd_whole};

/// The TCO constants of the catalog (`on_prem_*`), read once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Terms {
    months: Decimal,
    support_share: Decimal,
    pue: Decimal,
    usd_per_kwh: Decimal,
    colocation_usd_per_kw_month: Decimal,
}

impl Terms {
    /// `None` when a constant is missing or not a number (the catalog check requires them).
    pub(super) fn from_catalog(catalog: &Catalog) -> Option<Terms> {
        let get = |id: &str| catalog.constant(id).and_then(dec);
        Some(Terms {
            months: get("on_prem_amortization_months")?.max(Decimal::ONE),
            support_share: get("on_prem_support_share_per_year")?,
            pue: get("on_prem_pue")?,
            usd_per_kwh: get("on_prem_usd_per_kwh")?,
            colocation_usd_per_kw_month: get("on_prem_colocation_usd_per_kw_month")?,
        })
    }
}

/// One priced server model and what a month of it costs, in both number types.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnedServer {
    pub(super) id: String,
    pub(super) gpus: u32,
    price: Decimal,
    /// Draw at light load and at the maximum, whole watts (typical = max when the catalog
    /// gives no typical figure), so the draw at a utilisation is exact in both number types.
    typical_w: u64,
    max_w: u64,
    /// Per server-month: amortisation, support and colocation, and power per W drawn, so a
    /// month of n servers is four products (computed once here, not per sizing).
    amortised: Decimal,
    support: Decimal,
    colocation: Decimal,
    power_usd_per_w: Decimal,
    /// The same in `f64`: amortisation + support + colocation, and power per kW drawn.
    fixed_f64: f64,
    power_usd_per_kw_f64: f64,
    /// The parts of the cost lines that do not change with the fleet, written once.
    text: LineText,
}

/// The fixed words of a server's cost lines.
#[derive(Debug, Clone, PartialEq)]
struct LineText {
    /// "x 8 x h100-sxm (NVIDIA DGX H100): $199,000 each, amortised over 60 months"
    servers: String,
    /// "20% of the purchase price a year ($39,800 a server)"
    support: String,
    /// "typical 6.5 + (max 10.2 - 6.5)", or empty without a typical figure
    rule: String,
    /// "10.2"
    max_kw: String,
    /// "x PUE 1.58 x 730 h x $0.0861/kWh"
    power: String,
    /// "x $217.30/kW-month"
    colocation: String,
    /// At the edge: no colocation line, power at PUE 1.
    edge: bool,
}

/// A month of `servers` owned servers at a utilisation, line by line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct OwnedMonth {
    pub(super) servers: u32,
    /// Utilisation the draw was taken at, whole percent.
    pub(super) utilization_pct: u32,
    /// Each server's draw at that utilisation, W.
    pub(super) draw_w: u64,
    pub(super) amortised: Decimal,
    pub(super) support: Decimal,
    pub(super) power: Decimal,
    pub(super) colocation: Decimal,
}

impl OwnedMonth {
    pub(super) fn total(&self) -> Decimal {
        self.amortised + self.support + self.power + self.colocation
    }
}

fn watts(kw: f64) -> u64 {
    // The catalog check bounds `max_kw` to (0, 1000].
    (kw * 1000.0).round().clamp(0.0, 1e6) as u64
}

/// Watts written as kW with no trailing zeros: 8017 -> "8.017", 10200 -> "10.2" (without
/// building a string: the cost lines are written for every owned option).
#[derive(Clone, Copy)]
struct Kw(u64);

impl std::fmt::Display for Kw {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (kw, mut rest, mut digits) = (self.0 / 1000, self.0 % 1000, 3);
        write!(f, "{kw}")?;
        if rest == 0 {
            return Ok(());
        }
        while rest % 10 == 0 {
            rest /= 10;
            digits -= 1;
        }
        write!(f, ".{rest:0digits$}")
    }
}

fn kw_text(w: u64) -> String {
    Kw(w).to_string()
}

/// Utilisation of `replicas`' capacity as whole percent (the draw and the cost line use
/// the same figure).
pub(super) fn utilization_pct(mean_rps: f64, replicas: u32, rps_per_replica: f64) -> u32 {
    let capacity = f64::from(replicas) * rps_per_replica;
    if capacity <= 0.0 || !mean_rps.is_finite() {
        return 0;
    }
    ((mean_rps / capacity) * 100.0).round().clamp(0.0, 100.0) as u32
}

impl OwnedServer {
    /// The server's month, or `None` when the catalog gives it no price.
    pub(super) fn new(server: &Server, gpu: &str, terms: Terms) -> Option<OwnedServer> {
        let price = server.usd?;
        let support_share = server
            .support_share_per_year
            .and_then(dec)
            .unwrap_or(terms.support_share);
        let max_w = watts(server.max_kw);
        let typical_w = server.typical_kw.map_or(max_w, watts).min(max_w);
        let f = |d: Decimal| f64::try_from(d).unwrap_or(f64::MAX);
        // A device at the edge runs on the site's own power beside the machines it serves:
        // no data-centre overhead on its draw (PUE 1) and no colocation.
        let edge = server.site == ServerSite::Edge;
        let pue = if edge { Decimal::ONE } else { terms.pue };
        let amortised = price / terms.months;
        let support = price * support_share / Decimal::from(12);
        let colocation = if edge {
            Decimal::ZERO
        } else {
            Decimal::from(max_w) / Decimal::from(1000) * terms.colocation_usd_per_kw_month
        };
        let power_usd_per_kw = pue * Decimal::from(HOURS_PER_MONTH) * terms.usd_per_kwh;
        let text = LineText {
            servers: format!(
                "x {} x {gpu} ({}): {} each, amortised over {} months",
                server.gpus,
                server.name,
                usd_whole(price),
                terms.months.normalize()
            ),
            support: format!(
                "{}% of the purchase price a year ({} a server)",
                (support_share * Decimal::from(100)).normalize(),
                usd_whole(support * Decimal::from(12))
            ),
            rule: if typical_w < max_w {
                format!(
                    "typical {} + (max {} - {})",
                    kw_text(typical_w),
                    kw_text(max_w),
                    kw_text(typical_w)
                )
            } else {
                String::new()
            },
            max_kw: kw_text(max_w),
            power: format!(
                "x PUE {}{} x 730 h x {}/kWh",
                pue.normalize(),
                if edge {
                    " (at the edge: no data-centre overhead)"
                } else {
                    ""
                },
                usd(terms.usd_per_kwh)
            ),
            colocation: format!("x {}/kW-month", usd(terms.colocation_usd_per_kw_month)),
            edge,
        };
        Some(OwnedServer {
            id: server.id.clone(),
            gpus: server.gpus,
            price,
            typical_w,
            max_w,
            amortised,
            support,
            colocation,
            power_usd_per_w: power_usd_per_kw / Decimal::from(1000),
            fixed_f64: f(amortised + support + colocation),
            power_usd_per_kw_f64: f(power_usd_per_kw),
            text,
        })
    }

    pub(super) fn price(&self) -> Decimal {
        self.price
    }

    /// Each server's draw, W: typical + (max - typical) x utilisation, to the watt. Owned
    /// GPUs idle part of the day and draw less then; the typical figure is the light-load
    /// end and the maximum the full-load end, so the fleet's average utilisation places it.
    fn draw_w(&self, utilization_pct: u32) -> u64 {
        let span = self.max_w - self.typical_w;
        (self.typical_w * 100 + span * u64::from(utilization_pct.min(100)) + 50) / 100
    }

    /// A month of `servers` of these at a utilisation.
    pub(super) fn month(&self, servers: u32, utilization_pct: u32) -> OwnedMonth {
        let n = Decimal::from(servers);
        let draw_w = self.draw_w(utilization_pct);
        OwnedMonth {
            servers,
            utilization_pct,
            draw_w,
            amortised: n * self.amortised,
            support: n * self.support,
            power: Decimal::from(u64::from(servers) * draw_w) * self.power_usd_per_w,
            colocation: n * self.colocation,
        }
    }

    /// [`OwnedMonth::total`] in `f64`, for ranking.
    #[inline]
    pub(super) fn month_f64(&self, servers: u32, utilization_pct: u32) -> f64 {
        let draw_kw = self.draw_w(utilization_pct) as f64 / 1000.0;
        f64::from(servers) * (self.fixed_f64 + draw_kw * self.power_usd_per_kw_f64)
    }

    /// The month as cost lines; their sum is [`OwnedMonth::total`].
    pub(super) fn lines(&self, m: &OwnedMonth) -> Vec<(String, Decimal)> {
        let t = &self.text;
        let servers = m.servers;
        let plural = if servers == 1 { "" } else { "s" };
        let mut lines = Vec::with_capacity(4);
        lines.push((format!("owned servers: {servers} {}", t.servers), m.amortised));
        if m.support > Decimal::ZERO {
            lines.push((format!("support: {}", t.support), m.support));
        } else if t.edge {
            lines.push((
                "support: none (no support figure is published for the device; give `support_share_per_year` in a servers.ron override)".to_string(),
                m.support,
            ));
        }
        let fleet_w = u64::from(servers) * m.draw_w;
        let power = if t.rule.is_empty() {
            format!(
                "power: {} kW ({servers} server{plural} x {} kW max; no typical draw in the catalog) {}",
                Kw(fleet_w),
                t.max_kw,
                t.power
            )
        } else {
            format!(
                "power: {} kW ({servers} server{plural} x {} kW: {} x {}% utilisation of the servers) {}",
                Kw(fleet_w),
                Kw(m.draw_w),
                t.rule,
                m.utilization_pct,
                t.power
            )
        };
        lines.push((power, m.power));
        if t.edge {
            lines.push((
                "colocation: none (at the edge, on the site's own floor space and power)".to_string(),
                m.colocation,
            ));
            return lines;
        }
        lines.push((
            format!(
                "colocation: {} kW ({servers} server{plural} x {} kW max) {}",
                Kw(u64::from(servers) * self.max_w),
                t.max_kw,
                t.colocation
            ),
            m.colocation,
        ));
        lines
    }

    /// The fleet's draw at a utilisation, kW (for the JSON detail).
    pub(super) fn fleet_kw(&self, m: &OwnedMonth) -> f64 {
        (u64::from(m.servers) * m.draw_w) as f64 / 1000.0
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

    use std::sync::Arc;

    use rust_decimal::Decimal;

    use super::{OwnedServer, Terms};
    use crate::catalog::Catalog;
    use crate::engine::Constants;
    use crate::engine::demand::Demand;
    use crate::engine::selfhost::{GpuCurve, Market, Site, SizingInput, configs, size};
    use crate::scenario::Scenario;
    use crate::vocab::ViolationKind;

    fn dgx(catalog: &Catalog) -> OwnedServer {
        let s = catalog.server("dgx-h100").unwrap();
        OwnedServer::new(s, "h100-sxm", Terms::from_catalog(catalog).unwrap()).unwrap()
    }

    fn curve(owned: &OwnedServer, tp: u32, rps: f64) -> GpuCurve {
        GpuCurve {
            requests_per_s_per_replica: rps,
            utilization: 0.8,
            min_replicas: 1,
            autoscale: true,
            tp,
            vm_gpus: owned.gpus,
            unit_price: owned.price(),
            unit_price_f64: 0.0,
            on_premises: true,
            commitment_discount: Decimal::ZERO,
            commitment_discount_f64: 0.0,
            queue: None,
            owned: Some(Arc::new(owned.clone())),
        }
    }

    #[test]
    fn kilowatts_are_written_without_trailing_zeros() {
        for (w, text) in [
            (8017, "8.017"),
            (10200, "10.2"),
            (6500, "6.5"),
            (24051, "24.051"),
            (30600, "30.6"),
            (14000, "14"),
            (50, "0.05"),
        ] {
            assert_eq!(super::kw_text(w), text);
        }
    }

    #[test]
    fn power_and_colocation_are_their_own_lines_and_state_the_draw_rule() {
        let catalog = Catalog::embedded().unwrap();
        let o = dgx(&catalog);
        // 41% utilisation: 6.5 + (10.2 - 6.5) x 0.41 = 8.017 kW a server.
        let m = o.month(3, 41);
        assert_eq!(m.draw_w, 8017);
        let lines = o.lines(&m);
        let text: Vec<&str> = lines.iter().map(|l| l.0.as_str()).collect();
        assert_eq!(
            text,
            [
                "owned servers: 3 x 8 x h100-sxm (NVIDIA DGX H100): $199,000 each, amortised over 60 months",
                "support: 20% of the purchase price a year ($39,800 a server)",
                "power: 24.051 kW (3 servers x 8.017 kW: typical 6.5 + (max 10.2 - 6.5) x 41% utilisation of the servers) x PUE 1.58 x 730 h x $0.0861/kWh",
                "colocation: 30.6 kW (3 servers x 10.2 kW max) x $217.30/kW-month",
            ]
        );
        let usd: Vec<Decimal> = lines.iter().map(|l| l.1).collect();
        assert_eq!(usd[0], Decimal::from(9950));
        assert_eq!(usd[1], Decimal::from(9950));
        assert_eq!(
            usd[2],
            "24.051".parse::<Decimal>().unwrap()
                * "1.58".parse::<Decimal>().unwrap()
                * Decimal::from(730)
                * "0.0861".parse::<Decimal>().unwrap()
        );
        assert_eq!(usd[3], "6649.38".parse::<Decimal>().unwrap());
        assert_eq!(usd.iter().sum::<Decimal>(), m.total());
        assert!((o.month_f64(3, 41) - f64::try_from(m.total()).unwrap()).abs() < 0.005);
    }

    #[test]
    fn tp4_replicas_pack_two_to_an_eight_gpu_server() {
        let catalog = Catalog::embedded().unwrap();
        let o = dgx(&catalog);
        let d = Demand::with_volume(&Scenario::example(), 100_000.0);
        // 2.5 replicas' worth of peak traffic at the design utilisation: 3 replicas of 4 GPUs.
        let c = curve(&o, 4, d.peak_rps / (0.8 * 2.5));
        assert_eq!(c.peak_replicas(&d), 3);
        let m = c.owned_month(&d).unwrap();
        assert_eq!(m.servers, 2, "3 replicas x 4 GPUs fill 2 servers of 8");
        assert!(c.lines(&d, "")[0].0.starts_with("owned servers: 2 x 8 x h100-sxm"));
        // TP 8 needs a server per replica.
        let c8 = curve(&o, 8, d.peak_rps / (0.8 * 2.5));
        assert_eq!(c8.owned_month(&d).unwrap().servers, 3);
    }

    #[test]
    fn curve_cost_is_the_sum_of_its_lines_to_the_cent_at_every_volume() {
        let catalog = Catalog::embedded().unwrap();
        let o = dgx(&catalog);
        for volume in [0.0, 10.0, 5e3, 1e5, 3.3e6, 7e7] {
            let d = Demand::with_volume(&Scenario::example(), volume);
            for tp in [1, 2, 4, 8] {
                let c = curve(&o, tp, 0.37);
                let lines: Decimal = c.lines(&d, "").iter().map(|l| l.1).sum();
                let cost = c.cost(&d);
                assert_eq!(lines, cost, "{volume} a day, tp {tp}");
                let f = c.cost_f64(&d);
                assert!(
                    (f - f64::try_from(cost).unwrap()).abs() < 0.005,
                    "{volume} a day, tp {tp}: {f} vs {cost}"
                );
            }
        }
    }

    /// Sizes llama-3.1-8b on premises on the allowed GPUs at a volume.
    fn size_on_prem(
        catalog: &Catalog,
        gpus: &[&str],
        volume: f64,
    ) -> Result<crate::engine::selfhost::Sized, crate::vocab::Violation> {
        let mut s = Scenario::example();
        s.self_hosting.gpus = gpus.iter().map(|g| g.to_string()).collect();
        // One replica may be enough here: the packing, not the redundancy, is under test.
        s.self_hosting.min_replicas = Some(1);
        let c = Constants::from_catalog(catalog).unwrap();
        let market = Market::new(catalog, "eastus");
        let demand = Demand::with_volume(&s, volume);
        let model = catalog.model("llama-3.1-8b").unwrap();
        let input = SizingInput {
            catalog,
            market: &market,
            constants: &c,
            scenario: &s,
            demand: &demand,
            model,
            arch: model.architecture.as_ref().unwrap(),
            engine: catalog.serving_engine().unwrap(),
            seq: crate::engine::memory::Sequence {
                input: demand.input_tokens,
                output: demand.output_tokens,
            },
            reasoning: 0.0,
            prompt_computed: demand.input_tokens,
            min_replicas: s.min_replicas(),
            ops_month: 0.0,
            ops_gpus_per_block: 0,
            discount: 0.0,
            utilization: 0.8,
        };
        size(&input, &configs(&input), &Site::OnPremises, Decimal::ZERO)
    }

    #[test]
    fn a_pcie_part_buys_the_server_size_that_is_cheapest_for_the_fleet() {
        let mut catalog = Catalog::embedded().unwrap();
        // Per GPU the 4-card server is cheapest, but one card alone costs less than a
        // half-empty 4-card server.
        for (id, usd) in [
            ("pcie-1x-l40s", 30_000),
            ("pcie-2x-l40s", 50_000),
            ("pcie-4x-l40s", 60_000),
            ("pcie-8x-l40s", 200_000),
        ] {
            let i = catalog.servers.iter().position(|s| s.id == id).unwrap();
            catalog.servers[i].usd = Some(Decimal::from(usd));
        }
        let (mut small, mut four) = (false, false);
        for volume in [1e3, 2e4, 5e4, 1e5, 2e5, 3e5, 4e5] {
            let sized = size_on_prem(&catalog, &["l40s"], volume).unwrap();
            let sh = &sized.detail;
            let gpus = sh.replicas_peak * sh.tp;
            if gpus == 1 {
                assert_eq!(sh.vm, "pcie-1x-l40s", "{volume}");
                small = true;
            }
            if (3..=4).contains(&gpus) {
                assert_eq!((sh.vm.as_str(), sh.vms_peak), ("pcie-4x-l40s", 1), "{volume}");
                assert_eq!(sh.gpus_per_server, Some(4));
                four = true;
            }
            let lines: Decimal = sized.lines.iter().map(|l| l.1).sum();
            assert_eq!(lines, sh.gpu_monthly_usd);
            // The cost curve break-even and sweeps read prices the chosen fleet the same.
            let d = Demand::with_volume(&Scenario::example(), volume);
            assert_eq!(sized.curves[0].cost(&d), sh.gpu_monthly_usd, "{volume}");
        }
        assert!(small && four, "the volumes reach both a one-GPU and a four-GPU fleet");
    }

    #[test]
    fn a_gpu_without_a_server_price_is_a_price_violation_naming_the_override() {
        let catalog = Catalog::embedded().unwrap();
        let err = size_on_prem(&catalog, &["l40s"], 1e4).unwrap_err();
        assert_eq!(err.kind, ViolationKind::Price);
        let text = err.to_string();
        assert!(text.contains("no server price for l40s (pcie-1x-l40s"), "{text}");
        assert!(text.contains("servers.ron override (--catalog DIR)"), "{text}");
        // Never a cloud GPU-hour in its place.
        assert!(text.contains("does not stand in a cloud GPU-hour"), "{text}");
    }
}
