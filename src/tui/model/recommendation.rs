//! The Recommendation pane's lines.

use ratatui::text::{Line, Span};

use super::super::app::App;
use super::super::theme::Theme;
use super::{cost_text, delta_style, delta_text, money, stale_lines, wrap};
use crate::text::printable;

/// The winner, its cost (and its change against the baseline), the rationale and the
/// warnings; or why nothing is feasible.
pub fn lines(app: &App, t: &Theme, width: u16) -> Vec<Line<'static>> {
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
