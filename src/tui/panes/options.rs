//! The Options pane: every option x model ranked, with cost, its delta against the baseline,
//! latency and why it is not feasible. Narrow panes get short names.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Modifier;
use ratatui::text::Span;
use ratatui::widgets::{Cell, Row as TRow, Table};
use rust_decimal::Decimal;

use super::super::app::{App, baseline_option};
use super::super::model::{cost_text, delta_style, delta_text, options};
use super::super::theme::Theme;
use crate::text::{printable, usd_whole};

pub fn draw(app: &App, f: &mut Frame, t: &Theme, area: Rect) {
    let Some(plan) = app.options_plan() else { return };
    let with_base = app.baseline.is_some();
    // Narrow panes get the short option names and deltas without percentages.
    let wide = area.width >= if with_base { 120 } else { 100 };
    let header: Vec<&str> = if with_base {
        vec![
            "",
            "Option",
            "Model",
            "Monthly",
            if wide { "Δ baseline" } else { "Δ base" },
            "TTFT",
            "tok/s",
            "Status",
        ]
    } else {
        vec!["", "Option", "Model", "Monthly", "TTFT", "tok/s", "Status"]
    };
    let height = options::visible_rows(area.height);
    let off = options::offset(app, area.height);
    let rows = plan.options.iter().enumerate().skip(off).take(height).map(|(i, o)| {
        let selected = i == app.option;
        let status = if o.feasible {
            "ok".to_string()
        } else {
            format!(
                "✗ {}",
                o.violations
                    .first()
                    .map(|v| printable(&v.to_string()))
                    .unwrap_or_default()
            )
        };
        let mut cells = vec![
            Cell::from(if selected { "›" } else { " " }),
            Cell::from(if wide { o.option.id() } else { o.option.short() }),
            Cell::from(printable(&o.model)),
            Cell::from(cost_text(o)),
        ];
        if with_base {
            let d = match (baseline_option(app, o), o.monthly_cost_usd) {
                (Some(b), Some(now)) => match b.monthly_cost_usd {
                    Some(was) if was != now => {
                        let text = if wide {
                            delta_text(now, was)
                        } else {
                            let d = now - was;
                            format!("{}{}", if d > Decimal::ZERO { "+" } else { "" }, usd_whole(d))
                        };
                        Cell::from(Span::styled(text, delta_style(t, now, was)))
                    }
                    Some(_) => Cell::from("="),
                    None => Cell::from("new price"),
                },
                (None, _) => Cell::from("new"),
                (Some(_), None) => Cell::from("-"),
            };
            cells.push(d);
        }
        cells.push(Cell::from(
            o.latency
                .ttft_ms
                .map(|v| format!("{v:.0} ms"))
                .unwrap_or_else(|| "-".into()),
        ));
        cells.push(Cell::from(
            o.latency
                .output_tokens_per_s
                .map(|v| format!("{v:.0}"))
                .unwrap_or_else(|| "-".into()),
        ));
        cells.push(Cell::from(status));
        let style = if selected {
            t.selection
        } else if o.feasible {
            t.base
        } else {
            t.muted
        };
        TRow::new(cells).style(style)
    });
    // Short option names take 20 columns where the pane has them and still leaves the status
    // 12 (an 80-column screen), else 16: with 1 + 16 + 15 + 8 + 7 + 5 and the gaps, the
    // 70 columns a 120-column screen gives this pane leave the status 11 (8 fewer with a
    // baseline's delta column).
    let roomy = area.width >= if with_base { 87 } else { 78 };
    let option_width = match (wide, roomy) {
        (true, _) => 33,
        (false, true) => 20,
        (false, false) => 16,
    };
    let mut widths = vec![
        Constraint::Length(1),
        Constraint::Length(option_width),
        Constraint::Length(if wide || roomy { 18 } else { 15 }),
        Constraint::Length(if wide { 11 } else { 8 }),
    ];
    if with_base {
        widths.push(Constraint::Length(if wide { 18 } else { 8 }));
    }
    widths.extend([
        Constraint::Length(if wide { 8 } else { 7 }),
        Constraint::Length(if wide { 6 } else { 5 }),
        Constraint::Min(3),
    ]);
    let table = Table::new(rows, widths)
        .header(TRow::new(header).style(t.title.add_modifier(Modifier::UNDERLINED)))
        .column_spacing(1);
    f.render_widget(table, area);
}
