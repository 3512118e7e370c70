//! The cost-against-volume chart's view-model: one series of points per kind of option, the
//! break-even marks, the axis ranges and labels, all in log10 space. Built once per plan in
//! `update` (it sweeps the volume), drawn by the Cost pane every frame.

use crate::engine::demand::Demand;
use crate::engine::plan::Plan;
use crate::scenario::Scenario;

/// Points on the cost-against-volume chart.
const CHART_POINTS: usize = 96;

/// What the cost-against-volume chart draws, precomputed.
#[derive(Debug, Clone, PartialEq)]
pub struct VolumeChart {
    /// One line per kind of option: its name and (log10 requests/day, log10 $/month) points.
    pub series: Vec<(String, Vec<(f64, f64)>)>,
    pub break_even: Vec<(f64, f64)>,
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    /// log10 of the plan's requests/day.
    pub today: f64,
}

/// The chart's data for a plan and the scenario it was computed from, in log10 space: built
/// once per plan (in `update`), not once per frame.
pub fn volume_chart(s: &Scenario, plan: &Plan) -> VolumeChart {
    let (volumes, series) = crate::engine::sweep::volume_series(s, plan, CHART_POINTS);
    let log = |v: f64| v.max(1e-9).log10();
    let mut out = VolumeChart {
        series: Vec::new(),
        break_even: Vec::new(),
        x_range: (
            volumes.first().map_or(0.0, |v| log(*v)),
            volumes.last().map_or(1.0, |v| log(*v)),
        ),
        y_range: (f64::INFINITY, f64::NEG_INFINITY),
        today: log(plan.demand.requests_per_day.max(1.0)),
    };
    for (name, ys) in series {
        let pts: Vec<(f64, f64)> = volumes
            .iter()
            .zip(&ys)
            .filter_map(|(x, y)| y.filter(|y| *y > 0.0).map(|y| (log(*x), log(y))))
            .collect();
        for (_, y) in &pts {
            out.y_range = (out.y_range.0.min(*y), out.y_range.1.max(*y));
        }
        out.series.push((name, pts));
    }
    for b in &plan.break_even {
        if let Some(c) = plan
            .options
            .iter()
            .find(|o| o.key() == b.from)
            .and_then(|o| o.curve.as_ref())
        {
            let y = c.monthly_f64(&Demand::with_volume(s, b.requests_per_day));
            if y.is_finite() && y > 0.0 {
                out.break_even.push((log(b.requests_per_day), log(y)));
            }
        }
    }
    out
}

impl VolumeChart {
    /// Whether there is anything to plot.
    pub fn drawable(&self) -> bool {
        self.y_range.0.is_finite() && !self.series.is_empty()
    }

    /// The y axis bounds: whole decades around the data, at least one decade tall.
    pub fn y_bounds(&self) -> (f64, f64) {
        let (ymin, ymax) = self.y_range;
        (ymin.floor(), ymax.ceil().max(ymin.floor() + 1.0))
    }

    /// The vertical line at today's volume, from the bottom of the y axis to its top.
    pub fn today_line(&self) -> [(f64, f64); 2] {
        let (ylo, yhi) = self.y_bounds();
        [(self.today, ylo), (self.today, yhi)]
    }

    /// Labels at the left, middle and right of the x axis (requests/day).
    pub fn x_labels(&self) -> [String; 3] {
        let (xlo, xhi) = self.x_range;
        [xlo, (xlo + xhi) / 2.0, xhi].map(|x| short_number(10f64.powf(x)))
    }

    /// Labels at the bottom, middle and top of the y axis ($/month).
    pub fn y_labels(&self) -> [String; 3] {
        let (ylo, yhi) = self.y_bounds();
        [ylo, (ylo + yhi) / 2.0, yhi].map(|y| format!("${}", short_number(10f64.powf(y))))
    }
}

pub use crate::text::short_number;
