//! Drawing: a pure function of the state. Panes build their lines from the plan; the same
//! line builders tell `update` how far a pane can scroll.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Block, BorderType, Borders, Cell, Chart, Clear, Dataset, GraphType, Paragraph, Row as TRow, Table, Wrap,
};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::app::{App, Level, Mode, Overlay, PromptKind, baseline_option};
use super::fields::{self, FIELDS, Kind};
use super::keymap::{KEYMAP, Scope};
use super::layout::{self, PANES, Pane, Screen};
use super::theme::Theme;
use crate::engine::demand::Demand;
use crate::engine::plan::{Family, OptionResult, Plan};
use crate::text::{printable, usd_whole};

/// A row of the Scenario pane.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    Header(&'static str),
    Field(usize),
    /// Why the input being typed cannot be committed.
    Error(String),
}

pub fn scenario_rows(app: &App) -> Vec<Row> {
    let mut rows = Vec::with_capacity(FIELDS.len() + 10);
    let mut group = "";
    for (i, f) in FIELDS.iter().enumerate() {
        if f.group != group {
            group = f.group;
            rows.push(Row::Header(group));
        }
        rows.push(Row::Field(i));
        if let Mode::Editing(e) = &app.mode
            && e.field == f.id
            && let Some(err) = &e.error
        {
            rows.push(Row::Error(err.clone()));
        }
    }
    rows
}

/// The row index of field `field` (the error line under it, when there is one, counts as
/// the selection so it stays visible).
pub fn selected_row(rows: &[Row], field: usize) -> usize {
    let at = rows.iter().position(|r| *r == Row::Field(field)).unwrap_or(0);
    match rows.get(at + 1) {
        Some(Row::Error(_)) => at + 1,
        _ => at,
    }
}

/// Greedy word wrap to `width` columns (at least 10), continuation lines indented by `indent`.
pub fn wrap(text: &str, width: usize, indent: usize) -> Vec<String> {
    let width = width.max(10);
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let cur = line.chars().count();
        let w = word.chars().count();
        if cur > 0 && cur + 1 + w > width {
            out.push(std::mem::take(&mut line));
            line = " ".repeat(indent.min(width / 2));
        }
        if !line.is_empty() && !line.ends_with(' ') {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.trim().is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

fn money(d: Decimal) -> String {
    usd_whole(d)
}

/// An option's monthly cost in whole dollars, `~` first when it rests on an estimate.
fn cost_text(o: &OptionResult) -> String {
    match o.monthly_cost_usd {
        Some(c) => format!("{}{}", if o.estimate { "~" } else { "" }, money(c)),
        None => "no price".into(),
    }
}

/// `+$120 (+6.6%)` against a baseline amount.
fn delta_text(now: Decimal, was: Decimal) -> String {
    let d = now - was;
    let sign = if d > Decimal::ZERO { "+" } else { "" };
    let pct = if was.is_zero() {
        String::new()
    } else {
        let p = (d / was * Decimal::from(100)).round_dp(1);
        format!(" ({sign}{p}%)")
    };
    format!("{sign}{}{pct}", usd_whole(d))
}

fn delta_style(t: &Theme, now: Decimal, was: Decimal) -> Style {
    if now > was {
        t.worse
    } else if now < was {
        t.better
    } else {
        t.muted
    }
}

pub fn view(app: &App, f: &mut Frame) {
    let theme = Theme::new(app.theme);
    let area = f.area();
    let areas = layout::areas(area, app.focus);
    if areas.screen == Screen::TooSmall {
        too_small(f, area);
        return;
    }
    if let Some(tabs) = areas.tabs {
        f.render_widget(Paragraph::new(tab_line(app, &theme)), tabs);
    }
    for (pane, rect) in &areas.panes {
        draw_pane(app, f, &theme, *pane, *rect, areas.screen);
    }
    f.render_widget(Paragraph::new(status_line(app, &theme)), areas.status);
    f.render_widget(Paragraph::new(hint_line(app, &theme)), areas.hints);
    if let Some(o) = app.overlays.last() {
        draw_overlay(f, &theme, o, area);
    }
}

fn too_small(f: &mut Frame, area: Rect) {
    let (w, h) = layout::TABS_MIN;
    let text = format!(
        "Terminal too small ({}x{}): llmcap needs at least {w}x{h}. Enlarge the window, or press q to quit.",
        area.width, area.height
    );
    f.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

fn tab_labels() -> Vec<String> {
    PANES
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{} {}", i + 1, p.title()))
        .collect()
}

fn tab_line(app: &App, t: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, label) in tab_labels().into_iter().enumerate() {
        let focused = PANES[i] == app.focus;
        let text = if focused {
            format!("[{label}]")
        } else {
            format!(" {label} ")
        };
        spans.push(Span::styled(
            text,
            if focused {
                t.selection.add_modifier(Modifier::BOLD)
            } else {
                t.muted
            },
        ));
        spans.push(Span::raw(" "));
    }
    Line::from(spans)
}

/// The pane whose tab is at column `x` of the tab bar.
pub fn tab_at(tabs: Rect, x: u16) -> Option<Pane> {
    let mut start = tabs.x;
    for (i, label) in tab_labels().iter().enumerate() {
        let w = label.chars().count() as u16 + 2;
        if x >= start && x < start + w {
            return PANES.get(i).copied();
        }
        start += w + 1;
    }
    None
}

fn block<'a>(app: &App, t: &Theme, pane: Pane, screen: Screen) -> Block<'a> {
    let focused = app.focus == pane;
    let n = pane.index() + 1;
    let mut title = format!(" {n} {} ", pane.title());
    if focused && screen == Screen::Full {
        title = format!("▶{title}");
    }
    let stale = app.stale.is_some() && matches!(pane, Pane::Recommendation | Pane::Sizing | Pane::Cost);
    let mut b = Block::default()
        .borders(Borders::ALL)
        .border_type(if focused { BorderType::Thick } else { BorderType::Plain })
        .border_style(if focused { t.focus_border } else { t.border })
        .title(Span::styled(title, t.title));
    if stale {
        b = b.title(Span::styled(" STALE ", t.warning.add_modifier(Modifier::BOLD)));
    }
    b
}

fn draw_pane(app: &App, f: &mut Frame, t: &Theme, pane: Pane, rect: Rect, screen: Screen) {
    let b = block(app, t, pane, screen);
    let inner = layout::inner(rect);
    match pane {
        Pane::Scenario => {
            let help = fields::field(app.selected_field()).help;
            let b = b.title_bottom(Span::styled(format!(" {help} "), t.muted));
            f.render_widget(b, rect);
            draw_scenario(app, f, t, inner);
        }
        Pane::Options => {
            f.render_widget(b, rect);
            draw_options(app, f, t, inner);
        }
        Pane::Cost => {
            f.render_widget(b, rect);
            draw_cost(app, f, t, inner);
        }
        Pane::Recommendation | Pane::Sizing => {
            f.render_widget(b, rect);
            let lines = pane_lines(app, t, pane, inner.width);
            let scroll = app.scroll[pane.index()].min(lines.len().saturating_sub(inner.height as usize) as u16);
            f.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
        }
    }
}

/// How far a text pane can scroll at the current size.
pub fn max_scroll(app: &App, pane: Pane) -> u16 {
    let area = Rect::new(0, 0, app.size.0, app.size.1);
    let areas = layout::areas(area, pane);
    let Some((_, rect)) = areas.panes.iter().find(|(p, _)| *p == pane) else {
        return 0;
    };
    let inner = layout::inner(*rect);
    let theme = Theme::new(app.theme);
    let n = match pane {
        Pane::Recommendation | Pane::Sizing => pane_lines(app, &theme, pane, inner.width).len(),
        Pane::Cost => cost_bars(app, &theme, inner.width).len(),
        _ => 0,
    };
    n.saturating_sub(inner.height as usize) as u16
}

fn draw_scenario(app: &App, f: &mut Frame, t: &Theme, area: Rect) {
    let rows = scenario_rows(app);
    let height = area.height as usize;
    let sel_row = selected_row(&rows, app.field);
    let off = layout::list_offset(sel_row, rows.len(), height);
    let label_w = 15;
    let mut lines = Vec::with_capacity(height);
    let mut cursor: Option<Position> = None;
    for (r, row) in rows.iter().enumerate().skip(off).take(height) {
        match row {
            Row::Header(g) => lines.push(Line::styled(g.to_string(), t.accent.add_modifier(Modifier::BOLD))),
            Row::Error(e) => lines.push(Line::styled(format!("    ✗ {}", printable(e)), t.error)),
            Row::Field(i) => {
                let def = &FIELDS[*i];
                let selected = *i == app.field;
                let marker = if selected { "›" } else { " " };
                let mut spans = vec![Span::raw(format!("{marker} {:<label_w$}", def.label))];
                let editing = match &app.mode {
                    Mode::Editing(e) if e.field == def.id => Some(e),
                    _ => None,
                };
                if let Some(e) = editing {
                    let text = printable(&e.input);
                    let prefix = 2 + label_w as u16 + 1;
                    let before: String = text.chars().take(e.cursor).collect();
                    let x = area.x + prefix + before.chars().count() as u16;
                    if x < area.right() {
                        cursor = Some(Position::new(x, area.y + (r - off) as u16));
                    }
                    spans.push(Span::styled(
                        format!("[{text}]"),
                        t.selection.add_modifier(Modifier::UNDERLINED),
                    ));
                } else {
                    let value = printable(&fields::display(def.id, &app.scenario));
                    let style = if selected { t.selection } else { t.base };
                    spans[0] = spans[0].clone().style(style);
                    let hint = match def.kind {
                        Kind::Choice | Kind::Multi if selected => " ▾",
                        _ => "",
                    };
                    spans.push(Span::styled(
                        format!("{value}{hint}"),
                        style.add_modifier(Modifier::BOLD),
                    ));
                }
                if !def.unit.is_empty() {
                    spans.push(Span::styled(format!(" {}", def.unit), t.muted));
                }
                if let Some(b) = &app.baseline {
                    let was = fields::display(def.id, &b.scenario);
                    if was != fields::display(def.id, &app.scenario) {
                        spans.push(Span::styled(format!("  Δ was {}", printable(&was)), t.warning));
                    }
                }
                lines.push(Line::from(spans));
            }
        }
    }
    f.render_widget(Paragraph::new(lines), area);
    if let Some(p) = cursor {
        f.set_cursor_position(p);
    }
}

fn stale_lines(app: &App, t: &Theme, width: u16) -> Vec<Line<'static>> {
    let Some(why) = &app.stale else { return Vec::new() };
    wrap(
        &format!("⚠ STALE, showing the last valid plan: {}", printable(why)),
        width as usize,
        2,
    )
    .into_iter()
    .map(|l| Line::styled(l, t.warning.add_modifier(Modifier::BOLD)))
    .collect()
}

fn pane_lines(app: &App, t: &Theme, pane: Pane, width: u16) -> Vec<Line<'static>> {
    match pane {
        Pane::Recommendation => recommendation_lines(app, t, width),
        Pane::Sizing => sizing_lines(app, t, width),
        _ => Vec::new(),
    }
}

fn recommendation_lines(app: &App, t: &Theme, width: u16) -> Vec<Line<'static>> {
    let w = width as usize;
    let mut out = stale_lines(app, t, width);
    let Some(plan) = &app.plan else {
        out.push(Line::raw("No plan yet."));
        return out;
    };
    let base = app.baseline.as_ref().and_then(|b| b.plan.recommendation.as_ref());
    match &plan.recommendation {
        Some(r) => {
            out.push(Line::from(vec![
                Span::styled("★ ", t.good),
                Span::styled(format!("{} · {}", r.option, printable(&r.model)), t.title),
            ]));
            let mut cost = vec![
                Span::raw("  "),
                Span::styled(
                    format!(
                        "{} /month",
                        plan.recommended()
                            .map(cost_text)
                            .unwrap_or_else(|| money(r.monthly_cost_usd))
                    ),
                    t.title,
                ),
            ];
            if let Some(b) = base {
                cost.push(Span::styled(
                    format!(
                        "   Δ {} vs baseline {}",
                        delta_text(r.monthly_cost_usd, b.monthly_cost_usd),
                        money(b.monthly_cost_usd)
                    ),
                    delta_style(t, r.monthly_cost_usd, b.monthly_cost_usd),
                ));
            }
            out.push(Line::from(cost));
            if let Some(b) = base
                && (b.option != r.option || b.model != r.model)
            {
                out.push(Line::styled(
                    format!(
                        "  Δ changed: baseline recommended {} · {}",
                        b.option,
                        printable(&b.model)
                    ),
                    t.warning,
                ));
            }
            for reason in &r.rationale {
                for (i, l) in wrap(&printable(reason), w.saturating_sub(2), 2).into_iter().enumerate() {
                    out.push(Line::raw(if i == 0 { format!("• {l}") } else { format!("  {l}") }));
                }
            }
            for warning in &r.warnings {
                for (i, l) in wrap(&printable(warning), w.saturating_sub(2), 2)
                    .into_iter()
                    .enumerate()
                {
                    out.push(Line::styled(
                        if i == 0 { format!("! {l}") } else { format!("  {l}") },
                        t.warning,
                    ));
                }
            }
        }
        None => {
            out.push(Line::styled("✗ No feasible option", t.error));
            for s in &plan.infeasible_summary {
                for l in wrap(&printable(s), w.saturating_sub(2), 2) {
                    out.push(Line::raw(format!("  {l}")));
                }
            }
        }
    }
    out
}

/// The self-hosted option the sizing pane shows: the cheapest feasible one, else the cheapest.
fn sizing_option(plan: &Plan) -> Option<&OptionResult> {
    plan.best_of(Family::SelfHosted).or_else(|| {
        plan.options
            .iter()
            .filter(|o| o.family == Family::SelfHosted && o.self_hosted.is_some())
            .min_by(|a, b| a.monthly_cost_usd.cmp(&b.monthly_cost_usd))
    })
}

fn config_text(o: &OptionResult) -> String {
    match &o.self_hosted {
        Some(sh) => format!(
            "{} × {} tp{} {} · {} replicas",
            sh.gpus_peak, sh.gpu, sh.tp, sh.precision, sh.replicas_peak
        ),
        None => String::new(),
    }
}

const VRAM_PARTS: [(&str, char); 5] = [
    ("weights", '█'),
    ("KV cache", '▓'),
    ("activations", '▒'),
    ("runtime", '░'),
    ("free", '·'),
];

fn push_wrapped(out: &mut Vec<Line<'static>>, style: Style, width: u16, text: String) {
    out.extend(
        wrap(&text, width as usize, 2)
            .into_iter()
            .map(|l| Line::styled(l, style)),
    );
}

fn sizing_lines(app: &App, t: &Theme, width: u16) -> Vec<Line<'static>> {
    let mut out = stale_lines(app, t, width);
    let Some(plan) = &app.plan else { return out };
    let Some(o) = sizing_option(plan) else {
        out.push(Line::raw(
            "No self-hosted option: no open-weight model among the candidates",
        ));
        out.push(Line::styled("(name one in Models, or lower the Quality tier)", t.muted));
        return out;
    };
    let Some(sh) = &o.self_hosted else { return out };
    out.push(Line::from(vec![
        Span::styled(format!("{} ", printable(&o.model)), t.title),
        Span::raw(format!("on {} ({})", sh.gpu, sh.vm)),
    ]));
    if !o.feasible {
        let why = o.violations.first().map(ToString::to_string).unwrap_or_default();
        push_wrapped(&mut out, t.error, width, format!("✗ not feasible: {}", printable(&why)));
    }
    push_wrapped(
        &mut out,
        t.base,
        width,
        format!(
            "{} precision, tensor-parallel {}, {} GPU{} per replica",
            sh.precision,
            sh.tp,
            sh.tp,
            if sh.tp == 1 { "" } else { "s" }
        ),
    );
    let (lo, hi) = sh
        .replicas_by_hour
        .iter()
        .fold((u32::MAX, 0), |(lo, hi), r| (lo.min(*r), hi.max(*r)));
    push_wrapped(
        &mut out,
        t.base,
        width,
        format!(
            "Peak: {} replica{} = {} GPU{} on {} VM{}; by hour {}-{}",
            sh.replicas_peak,
            if sh.replicas_peak == 1 { "" } else { "s" },
            sh.gpus_peak,
            if sh.gpus_peak == 1 { "" } else { "s" },
            sh.vms_peak,
            if sh.vms_peak == 1 { "" } else { "s" },
            if lo == u32::MAX { 0 } else { lo },
            hi
        ),
    );
    push_wrapped(
        &mut out,
        t.base,
        width,
        format!(
            "Per replica: batch {}, {:.2} req/s; TTFT {:.0} ms, {:.1} tok/s",
            sh.batch_per_replica,
            sh.requests_per_s_per_replica,
            sh.ttft_ms,
            if sh.tpot_ms > 0.0 { 1000.0 / sh.tpot_ms } else { 0.0 }
        ),
    );
    push_wrapped(
        &mut out,
        t.base,
        width,
        format!(
            "GPUs {} /month at {}/GPU-hour; total {}",
            money(sh.gpu_monthly_usd),
            crate::text::usd(sh.usd_per_gpu_hour),
            o.monthly_cost_usd.map(money).unwrap_or_else(|| "no price".into())
        ),
    );
    if let Some(b) = app.baseline.as_ref().and_then(|b| sizing_option(&b.plan))
        && (b.model != o.model || config_text(b) != config_text(o))
    {
        push_wrapped(
            &mut out,
            t.warning,
            width,
            format!("Δ baseline: {} {}", printable(&b.model), config_text(b)),
        );
    }
    let v = &sh.vram_per_gpu_gib;
    out.push(Line::styled(
        format!(
            "VRAM per GPU: {:.1} of {:.0} GiB (usable {:.1})",
            v.total, v.capacity, v.usable
        ),
        t.title,
    ));
    let free = (v.capacity - v.total).max(0.0);
    let parts = [v.weights, v.kv_cache, v.activations, v.runtime, free];
    let bar_w = width.saturating_sub(2).max(1) as f64;
    let mut spans = Vec::new();
    let mut used = 0usize;
    let cap = v.capacity.max(v.total).max(1e-9);
    for (i, (part, (_, ch))) in parts.iter().zip(VRAM_PARTS).enumerate() {
        let n = if i == 4 {
            (bar_w as usize).saturating_sub(used)
        } else {
            ((part / cap * bar_w).round() as usize).min((bar_w as usize).saturating_sub(used))
        };
        used += n;
        spans.push(Span::styled(ch.to_string().repeat(n), t.vram[i]));
    }
    out.push(Line::from(spans));
    // The legend, in as many lines as the width needs.
    let mut legend: Vec<Span> = Vec::new();
    let mut used = 0usize;
    for (i, (part, (name, ch))) in parts.iter().zip(VRAM_PARTS).enumerate() {
        let text = format!("{ch} {name} {part:.1}  ");
        let w = text.chars().count();
        if used > 0 && used + w > width as usize {
            out.push(Line::from(std::mem::take(&mut legend)));
            used = 0;
        }
        used += w;
        legend.push(Span::styled(text, t.vram[i]));
    }
    out.push(Line::from(legend));
    out
}

fn draw_options(app: &App, f: &mut Frame, t: &Theme, area: Rect) {
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
    let height = area.height.saturating_sub(1) as usize;
    let off = layout::list_offset(app.option, plan.options.len(), height);
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

/// The cheapest feasible option of each family, cheapest first.
fn family_bests(plan: &Plan) -> Vec<&OptionResult> {
    let mut v: Vec<&OptionResult> = Family::ALL.iter().filter_map(|f| plan.best_of(*f)).collect();
    v.sort_by_key(|o| o.monthly_cost_usd);
    v
}

fn cost_bars(app: &App, t: &Theme, width: u16) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let Some(plan) = &app.plan else { return out };
    let bests = family_bests(plan);
    let max = bests
        .iter()
        .filter_map(|o| o.monthly_cost_usd)
        .max()
        .unwrap_or(Decimal::ONE)
        .max(Decimal::ONE);
    let label_w = 14usize;
    let amount_w = 11usize;
    let bar_w = (width as usize).saturating_sub(label_w + amount_w + 4).max(1);
    let rec = plan.recommended();
    for o in bests {
        let cost = o.monthly_cost_usd.unwrap_or_default();
        let n = ((cost / max).to_f64().unwrap_or(0.0) * bar_w as f64).round().max(1.0) as usize;
        let star = rec.is_some_and(|r| std::ptr::eq(r, o));
        let mut spans = vec![
            Span::raw(format!(
                "{}{:<label_w$}",
                if star { "★" } else { " " },
                o.family.label()
            )),
            Span::styled("█".repeat(n.min(bar_w)), t.series[o.family.index()]),
            Span::raw(format!(" {:>amount_w$}", cost_text(o))),
        ];
        if let Some(b) = baseline_option(app, o).and_then(|b| b.monthly_cost_usd)
            && b != cost
        {
            spans.push(Span::styled(
                format!(" Δ{}", delta_text(cost, b)),
                delta_style(t, cost, b),
            ));
        }
        out.push(Line::from(spans));
    }
    if out.is_empty() {
        out.push(Line::raw("No feasible option to chart"));
    }
    for b in &plan.break_even {
        let text = format!(
            "× {}/day: {} ⇄ {}",
            short_number(b.requests_per_day),
            short_key(&b.from),
            short_key(&b.to)
        );
        out.extend(
            wrap(&text, width as usize, 2)
                .into_iter()
                .map(|l| Line::styled(l, t.warning)),
        );
    }
    out
}

/// `foundry/serverless:phi-4` -> `serverless phi-4`.
fn short_key(key: &str) -> String {
    let (option, model) = key.split_once(':').unwrap_or((key, ""));
    let option = option.rsplit('/').next().unwrap_or(option);
    printable(&format!("{option} {model}"))
}

fn short_number(v: f64) -> String {
    let (d, suffix) = if v >= 1e9 {
        (v / 1e9, "B")
    } else if v >= 1e6 {
        (v / 1e6, "M")
    } else if v >= 1e3 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    if d >= 10.0 || d.fract() == 0.0 {
        format!("{d:.0}{suffix}")
    } else {
        format!("{d:.1}{suffix}")
    }
}

fn draw_cost(app: &App, f: &mut Frame, t: &Theme, area: Rect) {
    let mut bars = stale_lines(app, t, area.width);
    bars.extend(cost_bars(app, t, area.width));
    let bars_h = (bars.len() as u16).min(area.height);
    let [top, chart_area] = Layout::vertical([Constraint::Length(bars_h), Constraint::Min(0)]).areas(area);
    let scroll = app.scroll[Pane::Cost.index()].min(bars.len().saturating_sub(top.height as usize) as u16);
    f.render_widget(Paragraph::new(bars).scroll((scroll, 0)), top);
    if chart_area.height >= 6 && chart_area.width >= 30 {
        draw_volume_chart(app, f, t, chart_area);
    }
}

/// Points on the cost-against-volume chart.
const CHART_POINTS: usize = 96;

/// The chart's data for a plan and the scenario it was computed from, in log10 space: built
/// once per plan (in `update`), not once per frame.
pub fn volume_chart(s: &crate::scenario::Scenario, plan: &Plan) -> VolumeChart {
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
    let (ymin, ymax) = chart.y_range;
    if !ymin.is_finite() || data.is_empty() {
        return;
    }
    let (ylo, yhi) = (ymin.floor(), ymax.ceil().max(ymin.floor() + 1.0));
    let (xlo, xhi) = chart.x_range;
    let marks = &chart.break_even;
    let now_x = chart.today;
    let now_line = [(now_x, ylo), (now_x, yhi)];
    // In the monochrome theme the lines differ by their marks, not by colour.
    let mono = t.kind == super::theme::ThemeKind::Mono;
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
    let xlabels: Vec<Span> = [xlo, (xlo + xhi) / 2.0, xhi]
        .iter()
        .map(|x| Span::raw(short_number(10f64.powf(*x))))
        .collect();
    let ylabels: Vec<Span> = [ylo, (ylo + yhi) / 2.0, yhi]
        .iter()
        .map(|y| Span::raw(format!("${}", short_number(10f64.powf(*y)))))
        .collect();
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

fn status_line(app: &App, t: &Theme) -> Line<'static> {
    let file = match &app.file {
        Some(f) => printable(&f.path.display().to_string()),
        None => "(built-in example, unsaved)".into(),
    };
    let mut spans = vec![Span::styled(format!(" {file}"), t.title)];
    if app.dirty() {
        spans.push(Span::styled(" [+] modified", t.warning.add_modifier(Modifier::BOLD)));
    }
    spans.push(Span::styled(format!(" │ catalog {}", app.catalog.meta.as_of), t.muted));
    if app.baseline.is_some() {
        spans.push(Span::styled(" │ baseline pinned", t.accent));
    }
    if app.stale.is_some() {
        spans.push(Span::styled(" │ STALE", t.warning.add_modifier(Modifier::BOLD)));
    }
    if let Some((level, text)) = &app.message {
        let style = match level {
            Level::Info => t.base,
            Level::Error => t.error,
        };
        let mark = if *level == Level::Error { "✗ " } else { "" };
        spans.push(Span::styled(format!(" │ {mark}{}", printable(text)), style));
    }
    Line::from(spans)
}

fn hint_line(app: &App, t: &Theme) -> Line<'static> {
    let pairs: Vec<(String, String)> = match (app.overlays.last(), &app.mode) {
        (Some(Overlay::Help { .. }), _) => vec![("↑↓".into(), "scroll".into()), ("any key".into(), "close".into())],
        (Some(Overlay::Detail { .. }), _) => vec![("↑↓".into(), "scroll".into()), ("Esc".into(), "close".into())],
        (Some(Overlay::Picker(p)), _) => {
            let mut v = vec![("↑↓".into(), "move".into()), ("type".into(), "filter".into())];
            if p.multi {
                v.push(("Space".into(), "toggle".into()));
            }
            v.extend([("Enter".into(), "choose".into()), ("Esc".into(), "cancel".into())]);
            v
        }
        (Some(Overlay::Prompt(_)), _) => vec![
            ("Enter".into(), "ok".into()),
            ("Tab".into(), "complete".into()),
            ("Esc".into(), "cancel".into()),
        ],
        (Some(Overlay::Confirm(c)), _) => c
            .answers()
            .iter()
            .map(|(k, d)| (k.to_string(), (*d).to_string()))
            .collect(),
        (None, Mode::Editing(_)) => vec![
            ("Enter".into(), "commit".into()),
            ("Esc".into(), "cancel".into()),
            ("←→".into(), "move".into()),
            ("Ctrl-U".into(), "clear".into()),
        ],
        (None, Mode::Normal) => KEYMAP
            .iter()
            .filter_map(|b| {
                let key = b.label.split(' ').next().unwrap_or(b.label);
                b.hint.map(|h| (key.to_string(), h.to_string()))
            })
            .collect(),
    };
    let mut spans = vec![Span::raw(" ")];
    for (k, d) in pairs {
        spans.push(Span::styled(k, t.accent.add_modifier(Modifier::BOLD)));
        spans.push(Span::styled(format!(" {d}  "), t.muted));
    }
    Line::from(spans)
}

/// The help overlay's lines, generated from the keymap.
pub fn help_lines() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for scope in [Scope::Global, Scope::Move, Scope::Edit, Scope::Files, Scope::Workshop] {
        out.push((scope.title().to_string(), String::new()));
        for b in KEYMAP.iter().filter(|b| b.scope == scope) {
            out.push((format!("  {}", b.label), b.desc.to_string()));
        }
    }
    out.push(("Marks".into(), String::new()));
    out.push((
        "  ~".into(),
        "The figure rests on a catalog entry marked as an estimate".into(),
    ));
    out.push(("  ✗ !".into(), "Not feasible (and why); a warning".into()));
    out.push(("  Δ".into(), "A change against the pinned baseline".into()));
    out.push(("Mouse".into(), String::new()));
    out.push(("  click".into(), "Focus a pane, select a field or an option".into()));
    out.push(("  wheel".into(), "Scroll the pane under the pointer".into()));
    out
}

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h)
}

fn overlay_block<'a>(t: &Theme, title: String) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .border_style(t.focus_border)
        .title(Span::styled(format!(" {title} "), t.title))
}

fn draw_overlay(f: &mut Frame, t: &Theme, o: &Overlay, area: Rect) {
    match o {
        Overlay::Help { scroll } => {
            let lines: Vec<Line> = help_lines()
                .into_iter()
                .map(|(k, d)| {
                    if d.is_empty() {
                        Line::styled(k, t.accent.add_modifier(Modifier::BOLD))
                    } else {
                        Line::from(vec![Span::styled(format!("{k:<18}"), t.title), Span::raw(d)])
                    }
                })
                .collect();
            let r = centered(area, 100, lines.len() as u16 + 2);
            f.render_widget(Clear, r);
            let inner_h = r.height.saturating_sub(2);
            let scroll = (*scroll).min((lines.len() as u16).saturating_sub(inner_h));
            f.render_widget(
                Paragraph::new(lines)
                    .scroll((scroll, 0))
                    .block(overlay_block(t, "Keys (any key closes)".into())),
                r,
            );
        }
        Overlay::Detail { title, lines, scroll } => {
            let r = centered(
                area,
                area.width.saturating_sub(8).max(20),
                area.height.saturating_sub(4),
            );
            f.render_widget(Clear, r);
            let body: Vec<Line> = lines.iter().map(|l| Line::raw(printable(l))).collect();
            f.render_widget(
                Paragraph::new(body)
                    .wrap(Wrap { trim: false })
                    .scroll((*scroll, 0))
                    .block(overlay_block(t, printable(title))),
                r,
            );
        }
        Overlay::Confirm(c) => {
            let w = 72.min(area.width);
            let text = wrap(&printable(&c.text()), w.saturating_sub(4) as usize, 0);
            let mut lines: Vec<Line> = text.into_iter().map(Line::raw).collect();
            lines.push(Line::raw(""));
            let mut answers = Vec::new();
            for (k, d) in c.answers() {
                answers.push(Span::styled(format!("[{k}]"), t.accent.add_modifier(Modifier::BOLD)));
                answers.push(Span::raw(format!(" {d}   ")));
            }
            lines.push(Line::from(answers));
            let r = centered(area, w, lines.len() as u16 + 2);
            f.render_widget(Clear, r);
            f.render_widget(Paragraph::new(lines).block(overlay_block(t, c.title().into())), r);
        }
        Overlay::Prompt(p) => {
            let title = match p.kind {
                PromptKind::Open => "Open scenario file".to_string(),
                PromptKind::SaveAs => "Save as".to_string(),
                PromptKind::Export(fmt) => format!("Export {} to", fmt.label()),
            };
            let w = 76.min(area.width);
            let shown = p.completions.len().min(8);
            let r = centered(area, w, 3 + shown as u16 + u16::from(shown > 0));
            f.render_widget(Clear, r);
            let input = printable(&p.input);
            let inner_w = r.width.saturating_sub(2) as usize;
            // Keep the end of a long path visible.
            let skip = p.cursor.saturating_sub(inner_w.saturating_sub(1));
            let visible: String = input.chars().skip(skip).collect();
            let mut lines = vec![Line::raw(visible)];
            if shown > 0 {
                lines.push(Line::styled("─".repeat(inner_w), t.muted));
                for c in p.completions.iter().take(shown) {
                    lines.push(Line::styled(printable(c), t.muted));
                }
            }
            f.render_widget(Paragraph::new(lines).block(overlay_block(t, title)), r);
            let x = r.x + 1 + (p.cursor - skip) as u16;
            if x < r.right().saturating_sub(1) {
                f.set_cursor_position(Position::new(x, r.y + 1));
            }
        }
        Overlay::Picker(p) => {
            let visible = p.visible();
            let title = match p.target {
                super::app::PickerFor::Export => "Export a summary".to_string(),
                super::app::PickerFor::Field(id) => format!("{}: choose", fields::field(id).label),
            };
            let h = (visible.len() as u16 + 4).min(area.height.saturating_sub(2)).max(5);
            let r = centered(area, 72, h);
            f.render_widget(Clear, r);
            let list_h = r.height.saturating_sub(4) as usize;
            let off = layout::list_offset(p.sel, visible.len(), list_h);
            let mut lines = vec![Line::from(vec![
                Span::styled("filter: ", t.muted),
                Span::raw(printable(&p.filter)),
            ])];
            lines.push(Line::raw(""));
            for (row, idx) in visible.iter().enumerate().skip(off).take(list_h) {
                let Some(c) = p.items.get(*idx) else { continue };
                let mark = match (p.multi, c.selected) {
                    (true, true) => "[x]",
                    (true, false) => "[ ]",
                    (false, true) => "(•)",
                    (false, false) => "( )",
                };
                let cursor = if row == p.sel { "›" } else { " " };
                let style = if row == p.sel { t.selection } else { t.base };
                lines.push(Line::from(vec![
                    Span::styled(format!("{cursor} {mark} {:<22}", printable(&c.label)), style),
                    Span::styled(format!(" {}", printable(&c.note)), t.muted),
                ]));
            }
            if visible.is_empty() {
                lines.push(Line::styled("  (nothing matches the filter)", t.muted));
            }
            f.render_widget(
                Paragraph::new(lines)
                    .alignment(Alignment::Left)
                    .block(overlay_block(t, title)),
                r,
            );
        }
    }
}
