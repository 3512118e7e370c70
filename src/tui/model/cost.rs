//! The Cost pane's bars: the best option of each kind, with deltas against the baseline, and
//! the break-even volumes. The chart under them is [`crate::tui::chart`].

use ratatui::text::{Line, Span};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::super::app::{App, baseline_option};
use super::super::chart::short_number;
use super::super::theme::Theme;
use super::{cost_text, delta_style, delta_text, wrap};
use crate::engine::plan::{Family, OptionResult, Plan};
use crate::text::printable;

/// The cheapest feasible option of each family, cheapest first.
pub fn family_bests(plan: &Plan) -> Vec<&OptionResult> {
    let mut v: Vec<&OptionResult> = Family::ALL.iter().filter_map(|f| plan.best_of(*f)).collect();
    v.sort_by_key(|o| o.monthly_cost_usd);
    v
}

/// The best option of each kind as bars, cheapest first, and the break-even volumes.
pub fn bars(app: &App, t: &Theme, width: u16) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let Some(plan) = &app.plan else { return out };
    let bests = family_bests(plan);
    let max = bests
        .iter()
        .filter_map(|o| o.monthly_cost_usd)
        .max()
        .unwrap_or(Decimal::ONE)
        .max(Decimal::ONE);
    // Wide enough for every family's name and a space before its bar.
    let label_w = Family::ALL.iter().map(|f| f.label().len()).max().unwrap_or(14) + 1;
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
pub fn short_key(key: &str) -> String {
    let (option, model) = key.split_once(':').unwrap_or((key, ""));
    let option = option.rsplit('/').next().unwrap_or(option);
    printable(&format!("{option} {model}"))
}
