//! The Cost pane: the bars of [`crate::tui::model::cost`] and, under them, monthly cost
//! against requests/day on log axes from [`crate::tui::chart`], with the break-even points
//! and today's volume marked.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph};

use super::super::app::App;
use super::super::chart::short_number;
use super::super::layout::Pane;
use super::super::model::{cost, stale_lines};
use super::super::theme::{Theme, ThemeKind};
use crate::text::printable;

/// The bars (scrolled) over the chart, which gets whatever height is left.
pub fn draw(app: &App, f: &mut Frame, t: &Theme, area: Rect) {
    let mut bars = stale_lines(app, t, area.width);
    bars.extend(cost::bars(app, t, area.width));
    let bars_h = (bars.len() as u16).min(area.height);
    let [top, chart_area] = Layout::vertical([Constraint::Length(bars_h), Constraint::Min(0)]).areas(area);
    let scroll = app.scroll[Pane::Cost.index()].min(bars.len().saturating_sub(top.height as usize) as u16);
    f.render_widget(Paragraph::new(bars).scroll((scroll, 0)), top);
    if chart_area.height >= 6 && chart_area.width >= 30 {
        draw_volume_chart(app, f, t, chart_area);
    }
}

/// Line marks for the monochrome theme, with the character the legend shows for each.
const SERIES_MARKS: [(Marker, char); 4] = [
    (Marker::Braille, '⠒'),
    (Marker::HalfBlock, '▀'),
    (Marker::Bar, '▄'),
    (Marker::Dot, '•'),
];

fn draw_volume_chart(app: &App, f: &mut Frame, t: &Theme, area: Rect) {
    let Some(chart) = &app.chart else { return };
    let data = &chart.series;
    if !chart.drawable() {
        return;
    }
    let (ylo, yhi) = chart.y_bounds();
    let (xlo, xhi) = chart.x_range;
    let marks = &chart.break_even;
    let now_line = chart.today_line();
    // In the monochrome theme the lines differ by their marks, not by colour.
    let mono = t.kind == ThemeKind::Mono;
    let marker = |i: usize| {
        if mono {
            SERIES_MARKS[i % SERIES_MARKS.len()]
        } else {
            (Marker::Braille, '━')
        }
    };
    // The legend above the plot, as many entries to a line as fit.
    let mut legend: Vec<Line> = Vec::new();
    let mut line: Vec<Span> = Vec::new();
    let mut used = 0usize;
    for (i, (name, _)) in data.iter().enumerate() {
        let text = format!("{} {}  ", marker(i).1, printable(name));
        let w = text.chars().count();
        if used > 0 && used + w > area.width as usize {
            legend.push(Line::from(std::mem::take(&mut line)));
            used = 0;
        }
        used += w;
        line.push(Span::styled(text, t.series[i % t.series.len()]));
    }
    legend.push(Line::from(line));
    let legend_h = (legend.len() as u16).min(area.height.saturating_sub(6));
    let [legend_area, area] = Layout::vertical([Constraint::Length(legend_h), Constraint::Min(0)]).areas(area);
    f.render_widget(Paragraph::new(legend), legend_area);
    let mut datasets: Vec<Dataset> = data
        .iter()
        .enumerate()
        .map(|(i, (_, pts))| {
            Dataset::default()
                .marker(marker(i).0)
                .graph_type(GraphType::Line)
                .style(t.series[i % t.series.len()])
                .data(pts)
        })
        .collect();
    datasets.push(
        Dataset::default()
            .marker(Marker::Dot)
            .graph_type(GraphType::Line)
            .style(t.muted)
            .data(&now_line),
    );
    if !marks.is_empty() {
        datasets.push(
            Dataset::default()
                .marker(Marker::Block)
                .graph_type(GraphType::Scatter)
                .style(t.warning)
                .data(marks),
        );
    }
    let xlabels: Vec<Span> = chart.x_labels().into_iter().map(Span::raw).collect();
    let ylabels: Vec<Span> = chart.y_labels().into_iter().map(Span::raw).collect();
    let chart = Chart::new(datasets)
        .x_axis(
            Axis::default()
                .title(format!(
                    "req/day (log) · today {}",
                    short_number(app.scenario.workload.requests_per_day)
                ))
                .bounds([xlo, xhi])
                .labels(xlabels)
                .style(t.muted),
        )
        .y_axis(
            Axis::default()
                .title("$/month (log)")
                .bounds([ylo, yhi])
                .labels(ylabels)
                .style(t.muted),
        )
        .legend_position(None);
    f.render_widget(chart, area);
}
