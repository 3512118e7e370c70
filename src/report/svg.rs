//! Inline SVG charts for the HTML report, written by hand: no fonts to load, no scripts, no
//! external resources, and the same bytes for the same plan. Every chart has a `<title>`
//! and labels its marks in text, so nothing depends on colour alone.

use std::fmt::Write as _;

use super::html::escape;

/// Series colours (colour-blind-safe palette), with the label carried in text too.
const PALETTE: [&str; 8] = [
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#999999", "#000000",
];

/// Compact money for axis labels: $950, $12.3k, $4.1M.
fn short_usd(v: f64) -> String {
    if v >= 1e6 {
        format!("${:.1}M", v / 1e6)
    } else if v >= 1e4 {
        format!("${:.0}k", v / 1e3)
    } else if v >= 1e3 {
        format!("${:.1}k", v / 1e3)
    } else {
        format!("${v:.0}")
    }
}

fn short_count(v: f64) -> String {
    if v >= 1e9 {
        format!("{:.0}B", v / 1e9)
    } else if v >= 1e6 {
        format!("{:.0}M", v / 1e6)
    } else if v >= 1e3 {
        format!("{:.0}k", v / 1e3)
    } else {
        format!("{v:.0}")
    }
}

fn open(width: u32, height: u32, title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" font-family=\"sans-serif\" font-size=\"12\"><title>{}</title>",
        escape(title)
    )
}

/// Horizontal bars, one per item, with the value written at the end of each bar.
pub fn bars(title: &str, items: &[(String, f64)]) -> String {
    let width = 760u32;
    let label_w = 320.0;
    let row = 22.0;
    let height = (items.len() as f64 * row + 40.0) as u32;
    let max = items.iter().map(|i| i.1).fold(0.0, f64::max).max(1e-9);
    let mut s = open(width, height, title);
    let _ = write!(
        s,
        "<text x=\"0\" y=\"14\" font-weight=\"bold\">{}</text>",
        escape(title)
    );
    for (i, (label, v)) in items.iter().enumerate() {
        let y = 28.0 + i as f64 * row;
        let w = (v / max * (f64::from(width) - label_w - 90.0)).max(1.0);
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text><rect x=\"{label_w:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            label_w - 6.0,
            y + 13.0,
            escape(label),
            y + 2.0,
            row - 6.0,
            PALETTE[0],
            label_w + w + 6.0,
            y + 13.0,
            escape(&short_usd(*v))
        );
    }
    s.push_str("</svg>");
    s
}

/// The parts of a plan against one alternative: a bar per part (a label and a detail line
/// each, or "no feasible option"), the parts stacked into their total, and the
/// alternative's bar, with a dashed line at the alternative's cost across every row so each
/// part and the total read against it. Every value is written in text beside its bar; the
/// stacked segments carry their part's label in a `<title>`.
pub fn parts_against(
    title: &str,
    parts: &[(String, String, Option<f64>)],
    total_label: &str,
    alternative: Option<(&str, &str, f64)>,
) -> String {
    let width = 760u32;
    let (label_w, row, top) = (300.0, 34.0, 28.0);
    let bar_max = f64::from(width) - label_w - 80.0;
    let known: Vec<f64> = parts
        .iter()
        .filter_map(|p| p.2)
        .filter(|v| v.is_finite() && *v >= 0.0)
        .collect();
    // A total only when every part has a price.
    let total = (known.len() == parts.len() && !parts.is_empty()).then(|| known.iter().sum::<f64>());
    let alternative = alternative.filter(|a| a.2.is_finite() && a.2 >= 0.0);
    let rows = parts.len() + 1 + usize::from(alternative.is_some());
    let height = (top + rows as f64 * row + 22.0) as u32;
    let max = known
        .iter()
        .copied()
        .chain(total)
        .chain(alternative.map(|a| a.2))
        .fold(0.0, f64::max)
        .max(1e-9);
    let w_of = |v: f64| (v / max * bar_max).max(1.0);
    let mut s = open(width, height, title);
    let _ = write!(
        s,
        "<text x=\"0\" y=\"14\" font-weight=\"bold\">{}</text>",
        escape(title)
    );
    let label = |s: &mut String, y: f64, name: &str, detail: &str| {
        let _ = write!(
            s,
            "<text x=\"{0:.1}\" y=\"{1:.1}\" text-anchor=\"end\">{2}</text><text x=\"{0:.1}\" y=\"{3:.1}\" text-anchor=\"end\" font-size=\"10\" fill=\"#555\">{4}</text>",
            label_w - 8.0,
            y + 14.0,
            escape(name),
            y + 27.0,
            escape(detail)
        );
    };
    // The alternative's line first, so the bars and their values sit on top of it; each
    // value has a white halo, so the line never runs through its digits.
    let bottom = top + rows as f64 * row;
    if let Some((name, _, v)) = alternative {
        let x = label_w + w_of(v);
        let _ = write!(
            s,
            "<line x1=\"{x:.1}\" y1=\"{top:.1}\" x2=\"{x:.1}\" y2=\"{bottom:.1}\" stroke=\"#333\" stroke-dasharray=\"4 3\"/><text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"end\">{}</text>",
            bottom + 14.0,
            escape(&format!("{name} {}", short_usd(v)))
        );
    }
    let value = |s: &mut String, x: f64, y: f64, text: &str| {
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">{}</text>",
            x + 6.0,
            y + 20.0,
            escape(text)
        );
    };
    for (i, (name, detail, cost)) in parts.iter().enumerate() {
        let y = top + i as f64 * row;
        label(&mut s, y, name, detail);
        match cost.filter(|v| v.is_finite() && *v >= 0.0) {
            Some(v) => {
                let w = w_of(v);
                let _ = write!(
                    s,
                    "<rect x=\"{label_w:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"22\" fill=\"{}\"/>",
                    y + 5.0,
                    PALETTE[i % 6]
                );
                value(&mut s, label_w + w, y, &short_usd(v));
            }
            None => value(&mut s, label_w - 6.0, y, "no feasible option"),
        }
    }
    let y = top + parts.len() as f64 * row;
    label(&mut s, y, total_label, "the parts above, stacked");
    match total {
        Some(t) => {
            let mut x = label_w;
            for (i, (name, _, cost)) in parts.iter().enumerate() {
                let v = cost.unwrap_or(0.0);
                let w = v / max * bar_max;
                let _ = write!(
                    s,
                    "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"22\" fill=\"{}\" stroke=\"#fff\" stroke-width=\"1\"><title>{} {}</title></rect>",
                    y + 5.0,
                    PALETTE[i % 6],
                    escape(name),
                    escape(&short_usd(v))
                );
                x += w;
            }
            value(&mut s, label_w + w_of(t), y, &short_usd(t));
        }
        None => value(&mut s, label_w - 6.0, y, "no total: a part has no feasible option"),
    }
    if let Some((name, detail, v)) = alternative {
        let y = top + (parts.len() + 1) as f64 * row;
        label(&mut s, y, name, detail);
        let w = w_of(v);
        let _ = write!(
            s,
            "<rect x=\"{label_w:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"22\" fill=\"{}\"/>",
            y + 5.0,
            PALETTE[6]
        );
        value(&mut s, label_w + w, y, &short_usd(v));
    }
    s.push_str("</svg>");
    s
}

/// Lines on log-log axes: monthly cost against requests per day, with vertical markers.
pub fn cost_vs_volume(
    title: &str,
    volumes: &[f64],
    series: &[(String, Vec<Option<f64>>)],
    marks: &[(f64, String)],
) -> String {
    let (width, height) = (860u32, 360u32);
    let (left, right, top, bottom) = (70.0, 280.0, 30.0, 40.0);
    let plot_w = f64::from(width) - left - right;
    let plot_h = f64::from(height) - top - bottom;
    let mut s = open(width, height, title);
    let _ = write!(
        s,
        "<text x=\"0\" y=\"14\" font-weight=\"bold\">{}</text>",
        escape(title)
    );
    let (Some(&x_min), Some(&x_max)) = (volumes.first(), volumes.last()) else {
        s.push_str("</svg>");
        return s;
    };
    let costs: Vec<f64> = series
        .iter()
        .flat_map(|(_, v)| v.iter().flatten().copied())
        .filter(|c| c.is_finite() && *c > 0.0)
        .collect();
    if costs.is_empty() || !x_min.is_finite() || !x_max.is_finite() {
        // Nothing to draw on a log scale (every cost is zero, say with a 100% discount).
        let _ = write!(
            s,
            "<text x=\"{left:.1}\" y=\"{:.1}\">no positive costs to plot</text></svg>",
            top + 20.0
        );
        return s;
    }
    let y_min = costs.iter().copied().fold(f64::INFINITY, f64::min).max(1.0);
    let y_max = costs.iter().copied().fold(0.0, f64::max).max(y_min * 10.0);
    let (lx0, lx1) = (x_min.max(1.0).log10(), x_max.max(x_min * 10.0).log10());
    // Whole decades, bounded: the axis loops below step through them one by one.
    let (ly0, ly1) = (
        y_min.log10().floor().clamp(0.0, 30.0),
        y_max.log10().ceil().clamp(1.0, 31.0),
    );
    let px = |x: f64| left + (x.max(1.0).log10() - lx0) / (lx1 - lx0) * plot_w;
    let py = |y: f64| top + plot_h - (y.max(1.0).log10() - ly0) / (ly1 - ly0) * plot_h;
    // Axes and decade grid lines.
    let _ = write!(
        s,
        "<rect x=\"{left:.1}\" y=\"{top:.1}\" width=\"{plot_w:.1}\" height=\"{plot_h:.1}\" fill=\"none\" stroke=\"#999\"/>"
    );
    for decade in (lx0.ceil().clamp(0.0, 30.0) as i32)..=(lx1.floor().clamp(0.0, 30.0) as i32) {
        let d = f64::from(decade);
        let x = px(10f64.powf(d));
        let _ = write!(
            s,
            "<line x1=\"{x:.1}\" y1=\"{top:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#eee\"/><text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            top + plot_h,
            top + plot_h + 16.0,
            short_count(10f64.powf(d))
        );
    }
    for decade in (ly0 as i32)..=(ly1 as i32) {
        let d = f64::from(decade);
        let y = py(10f64.powf(d));
        let _ = write!(
            s,
            "<line x1=\"{left:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#eee\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left + plot_w,
            left - 6.0,
            y + 4.0,
            short_usd(10f64.powf(d))
        );
    }
    let _ = write!(
        s,
        "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">requests per day (log scale)</text><text x=\"12\" y=\"{:.1}\" transform=\"rotate(-90 12 {:.1})\" text-anchor=\"middle\">USD a month (log scale)</text>",
        left + plot_w / 2.0,
        height - 4,
        top + plot_h / 2.0,
        top + plot_h / 2.0
    );
    for (i, (label, ys)) in series.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        let mut path = String::new();
        let mut last = None;
        for (x, y) in volumes.iter().zip(ys) {
            match y {
                Some(y) if *y > 0.0 => {
                    let cmd = if last.is_none() { 'M' } else { 'L' };
                    let _ = write!(path, "{cmd}{:.1},{:.1} ", px(*x), py(*y));
                    last = Some((px(*x), py(*y)));
                }
                _ => last = None,
            }
        }
        if !path.is_empty() {
            let dash = if i % 2 == 1 { " stroke-dasharray=\"6 3\"" } else { "" };
            let _ = write!(
                s,
                "<path d=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/>",
                path.trim_end()
            );
        }
        // Legend, in text, beside the plot.
        let ly = top + 14.0 + i as f64 * 18.0;
        let _ = write!(
            s,
            "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{colour}\" stroke-width=\"3\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            left + plot_w + 10.0,
            ly - 4.0,
            left + plot_w + 30.0,
            ly - 4.0,
            left + plot_w + 36.0,
            ly,
            escape(label)
        );
    }
    for (i, (x, label)) in marks.iter().enumerate() {
        if !x.is_finite() || *x < x_min || *x > x_max {
            continue;
        }
        // Stagger the labels so neighbouring markers do not overwrite each other.
        let label_y = top + 10.0 + (i % 3) as f64 * 12.0;
        let _ = write!(
            s,
            "<line x1=\"{0:.1}\" y1=\"{1:.1}\" x2=\"{0:.1}\" y2=\"{2:.1}\" stroke=\"#333\" stroke-dasharray=\"2 3\"/><text x=\"{3:.1}\" y=\"{4:.1}\" font-size=\"10\">{5}</text>",
            px(*x),
            top,
            top + plot_h,
            px(*x) + 3.0,
            label_y,
            escape(label)
        );
    }
    s.push_str("</svg>");
    s
}

/// One horizontal stacked bar: parts of a whole, with the capacity as the frame.
pub fn stacked(title: &str, parts: &[(String, f64)], capacity: f64) -> String {
    let (width, height) = (760u32, 90u32);
    let (left, bar_w) = (10.0, 740.0);
    let total = capacity.max(parts.iter().map(|p| p.1).sum::<f64>()).max(1e-9);
    let mut s = open(width, height, title);
    let _ = write!(
        s,
        "<text x=\"0\" y=\"14\" font-weight=\"bold\">{}</text>",
        escape(title)
    );
    let mut x = left;
    for (i, (label, v)) in parts.iter().enumerate() {
        let w = v / total * bar_w;
        let _ = write!(
            s,
            "<rect x=\"{x:.1}\" y=\"24\" width=\"{w:.1}\" height=\"26\" fill=\"{}\"/>",
            PALETTE[i % PALETTE.len()]
        );
        let lx = left + (i as f64) * (bar_w / parts.len().max(1) as f64);
        let _ = write!(
            s,
            "<rect x=\"{lx:.1}\" y=\"60\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{:.1}\" y=\"69\" font-size=\"11\">{} {v:.1} GiB</text>",
            PALETTE[i % PALETTE.len()],
            lx + 14.0,
            escape(label)
        );
        x += w;
    }
    let _ = write!(
        s,
        "<rect x=\"{left:.1}\" y=\"24\" width=\"{bar_w:.1}\" height=\"26\" fill=\"none\" stroke=\"#333\"/></svg>"
    );
    s
}

/// 24 vertical bars: the share of a day's requests in each hour.
pub fn hourly(title: &str, weights: &[f64; 24]) -> String {
    let (width, height) = (760u32, 160u32);
    let (left, top, plot_h) = (30.0, 24.0, 100.0);
    let max = weights.iter().copied().fold(0.0, f64::max).max(1e-9);
    let mut s = open(width, height, title);
    let _ = write!(
        s,
        "<text x=\"0\" y=\"14\" font-weight=\"bold\">{}</text>",
        escape(title)
    );
    let col = 30.0;
    for (h, w) in weights.iter().enumerate() {
        let bh = w / max * plot_h;
        let x = left + h as f64 * col;
        let _ = write!(
            s,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"{}\"><title>{h:02}:00 {:.1}%</title></rect><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">{h:02}</text>",
            top + plot_h - bh,
            col - 6.0,
            PALETTE[0],
            w * 100.0,
            x + (col - 6.0) / 2.0,
            top + plot_h + 14.0
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_money_is_short() {
        let s = bars("A & B", &[("x<y".to_string(), 1234.0)]);
        assert!(s.contains("<title>A &amp; B</title>") && s.contains("x&lt;y"));
        assert_eq!(short_usd(950.0), "$950");
        assert_eq!(short_usd(12_345.0), "$12k");
        assert_eq!(short_usd(4_100_000.0), "$4.1M");
        assert_eq!(short_count(2_500_000.0), "2M");
    }

    #[test]
    fn zero_and_infinite_costs_do_not_hang() {
        let zero = vec![("free".to_string(), vec![Some(0.0), Some(0.0)])];
        assert!(cost_vs_volume("t", &[1.0, 10.0], &zero, &[]).contains("no positive costs"));
        let wild = vec![("x".to_string(), vec![Some(f64::INFINITY), Some(1e300)])];
        assert!(cost_vs_volume("t", &[1.0, 1e9], &wild, &[(f64::NAN, "m".into())]).ends_with("</svg>"));
    }

    #[test]
    fn parts_stack_into_their_total_beside_the_alternative() {
        let parts = vec![
            ("a<b".to_string(), "m · o".to_string(), Some(100.0)),
            ("router".to_string(), "r".to_string(), Some(50.0)),
        ];
        let s = parts_against("t", &parts, "hybrid", Some(("single & one", "x", 300.0)));
        assert!(s.contains("a&lt;b") && s.contains("single &amp; one $300"), "{s}");
        // Two part bars, two stacked segments, the alternative's bar.
        assert_eq!(s.matches("<rect").count(), 5, "{s}");
        assert!(s.contains(">$150</text>"), "the total is written: {s}");
        let missing = vec![
            ("a".to_string(), String::new(), None),
            ("b".to_string(), String::new(), Some(1.0)),
        ];
        let s = parts_against("t", &missing, "hybrid", None);
        assert!(s.contains("no feasible option") && s.contains("no total") && s.ends_with("</svg>"));
        assert!(parts_against("t", &[], "hybrid", None).ends_with("</svg>"));
    }

    #[test]
    fn empty_inputs_make_valid_svg() {
        assert!(cost_vs_volume("t", &[], &[], &[]).ends_with("</svg>"));
        assert!(bars("t", &[]).ends_with("</svg>"));
    }
}
