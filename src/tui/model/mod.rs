//! The view-model: what each pane shows, as data that does not touch a `Frame`. The panes
//! draw it and `update` reads it for hit-tests and scroll bounds, so the two agree by
//! construction and `update` never imports drawing code. Lines carry semantic styles from the
//! theme but no positions.

pub mod cost;
pub mod help;
pub mod options;
pub mod recommendation;
pub mod scenario;
pub mod sizing;
pub mod tabs;

use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use rust_decimal::Decimal;

use super::app::App;
use super::layout::{self, Pane};
use super::theme::Theme;
use crate::engine::plan::OptionResult;
use crate::text::{printable, usd_whole};

pub use help::help_lines;

/// The lines a scrolling text pane shows at `width` columns.
pub fn pane_lines(app: &App, t: &Theme, pane: Pane, width: u16) -> Vec<Line<'static>> {
    match pane {
        Pane::Recommendation => recommendation::lines(app, t, width),
        Pane::Sizing => sizing::lines(app, t, width),
        _ => Vec::new(),
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
        Pane::Cost => cost::bars(app, &theme, inner.width).len(),
        _ => 0,
    };
    n.saturating_sub(inner.height as usize) as u16
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

pub fn money(d: Decimal) -> String {
    usd_whole(d)
}

/// An option's monthly cost in whole dollars, `~` first when it rests on an estimate.
pub fn cost_text(o: &OptionResult) -> String {
    match o.monthly_cost_usd {
        Some(c) => format!("{}{}", if o.estimate { "~" } else { "" }, money(c)),
        None => "no price".into(),
    }
}

/// `+$120 (+6.6%)` against a baseline amount.
pub fn delta_text(now: Decimal, was: Decimal) -> String {
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

pub fn delta_style(t: &Theme, now: Decimal, was: Decimal) -> Style {
    if now > was {
        t.worse
    } else if now < was {
        t.better
    } else {
        t.muted
    }
}

/// The warning that the plan on screen is not the scenario's, wrapped to `width`.
pub fn stale_lines(app: &App, t: &Theme, width: u16) -> Vec<Line<'static>> {
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

/// `text` wrapped to `width`, every line in `style`.
pub fn push_wrapped(out: &mut Vec<Line<'static>>, style: Style, width: u16, text: String) {
    out.extend(
        wrap(&text, width as usize, 2)
            .into_iter()
            .map(|l| Line::styled(l, style)),
    );
}
