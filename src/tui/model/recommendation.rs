//! The Recommendation pane's lines: a hybrid plan's block first when the scenario routes its
//! requests (the pattern, its total and saving, a line per leg, the break-even), then the
//! single model's recommendation.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::super::app::App;
use super::super::theme::Theme;
use super::{cost_text, delta_style, delta_text, money, stale_lines, wrap};
use crate::engine::plan::{Hybrid, LegResult, Plan};
use crate::text::printable;

/// The winner, its cost (and its change against the baseline), the rationale and the
/// warnings; or why nothing is feasible. A hybrid plan's block comes first.
pub fn lines(app: &App, t: &Theme, width: u16) -> Vec<Line<'static>> {
    let w = width as usize;
    let mut out = stale_lines(app, t, width);
    let Some(plan) = &app.plan else {
        out.push(Line::raw("No plan yet."));
        return out;
    };
    let hybrid = plan.hybrid.as_deref();
    if let Some(h) = hybrid {
        hybrid_lines(app, plan, h, t, w, &mut out);
        out.push(Line::raw(""));
        out.push(Line::styled(
            "One model for the same traffic",
            t.title.add_modifier(Modifier::UNDERLINED),
        ));
    }
    let base = app.baseline.as_ref().and_then(|b| b.plan.recommendation.as_ref());
    match &plan.recommendation {
        Some(r) => {
            // The star marks the plan to build: the hybrid's when it is recommended.
            let (mark, mark_style) = match hybrid {
                Some(h) if h.recommended => ("○ ", t.muted),
                _ => ("★ ", t.good),
            };
            out.push(Line::from(vec![
                Span::styled(mark, mark_style),
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

/// `70%`, `5%`, `0.5%`, `41.2%`: a share as a person reads it.
pub fn percent(x: f64) -> String {
    if !x.is_finite() {
        return "?%".into();
    }
    let p = x * 100.0;
    if (p - p.round()).abs() < 0.05 {
        format!("{:.0}%", p.round())
    } else {
        format!("{p:.1}%")
    }
}

/// `text` as one line when it fits `w` columns (keeping its alignment), else word-wrapped
/// with continuation lines indented by `indent`.
fn push_fitted(out: &mut Vec<Line<'static>>, style: Style, w: usize, indent: usize, text: String) {
    if text.chars().count() <= w.max(10) {
        out.push(Line::styled(text, style));
    } else {
        out.extend(wrap(&text, w, indent).into_iter().map(|l| Line::styled(l, style)));
    }
}

/// `first` wrapped to `w` columns, each line after the first indented by `indent`.
fn push_para(out: &mut Vec<Line<'static>>, style: Style, w: usize, first: &str, indent: usize, text: &str) {
    let pad = " ".repeat(indent);
    let avail = w.saturating_sub(indent.max(first.chars().count())).max(10);
    for (i, l) in wrap(text, avail, 0).into_iter().enumerate() {
        let lead = if i == 0 { first } else { pad.as_str() };
        out.push(Line::styled(format!("{lead}{l}"), style));
    }
}

/// A hybrid plan's block: the headline (pattern, legs, total, its change against a pinned
/// baseline), the saving against one model, a line per leg, the router, pooled capacity,
/// the break-even, and what makes it infeasible or deserves a warning.
fn hybrid_lines(app: &App, plan: &Plan, h: &Hybrid, t: &Theme, w: usize, out: &mut Vec<Line<'static>>) {
    let (mark, mark_style, verdict) = if !h.feasible {
        ("✗ ", t.error, "  not feasible")
    } else if h.recommended {
        ("★ ", t.good, "")
    } else {
        ("○ ", t.warning, "  costs more than one model")
    };
    let total = match h.monthly_cost_usd {
        Some(c) => format!("{}{} /month", if h.estimate { "~" } else { "" }, money(c)),
        None => "no total".into(),
    };
    let mut head = vec![
        Span::styled(mark, mark_style),
        Span::styled(
            format!("Hybrid {} · {} legs · {total}", printable(h.pattern), plan.legs.len()),
            t.title,
        ),
        Span::styled(verdict, mark_style),
    ];
    let base = app
        .baseline
        .as_ref()
        .and_then(|b| b.plan.hybrid.as_ref())
        .and_then(|b| b.monthly_cost_usd);
    if let (Some(now), Some(was)) = (h.monthly_cost_usd, base) {
        head.push(Span::styled(
            format!("   Δ {} vs baseline {}", delta_text(now, was), money(was)),
            delta_style(t, now, was),
        ));
    }
    out.push(Line::from(head));

    if let Some(one) = &plan.single_model {
        let pct = |p: Option<f64>| p.map_or(String::new(), |p| format!(" ({:.1}%)", p.abs()));
        let text = match (one.monthly_cost_usd, one.saving_usd) {
            (Some(c), Some(d)) if d.is_sign_negative() && !d.is_zero() => format!(
                "  costs {}{} more than one model at {} /month",
                money(-d),
                pct(one.saving_percent),
                money(c)
            ),
            (Some(c), Some(d)) => format!(
                "  saves {}{} against one model at {} /month",
                money(d),
                pct(one.saving_percent),
                money(c)
            ),
            (Some(c), None) => format!("  one model: {} /month", money(c)),
            (None, _) => "  no single model can serve the same traffic".into(),
        };
        let style = match one.saving_usd {
            Some(d) if d.is_sign_negative() && !d.is_zero() => t.worse,
            Some(_) => t.better,
            None => t.muted,
        };
        push_fitted(out, style, w, 4, text);
    }

    let name_w = plan
        .legs
        .iter()
        .map(|l| printable(&l.name).chars().count())
        .max()
        .unwrap_or(0)
        .clamp(4, 14);
    for leg in &plan.legs {
        leg_line(leg, t, w, name_w, out);
    }

    let r = &h.router;
    if r.kind != "none" {
        let on = match (&r.model, r.option) {
            (Some(m), Some(o)) => format!(" {} on {}", printable(m), o.short()),
            (Some(m), None) => format!(" {}", printable(m)),
            _ => String::new(),
        };
        let cost = r.monthly_cost_usd.map_or("no price".to_string(), money);
        let added = r.added_ms.map_or(String::new(), |ms| format!(", +{ms:.0} ms"));
        push_fitted(
            out,
            t.base,
            w,
            4,
            format!("  router: {}{on} · {cost} /month{added}", printable(r.kind)),
        );
    }
    for p in &h.pools {
        let legs: Vec<String> = p.legs.iter().map(|l| printable(l)).collect();
        push_para(
            out,
            t.muted,
            w,
            "  pooled: ",
            4,
            &format!(
                "{} share one {} deployment of {}, {} less than apart",
                legs.join(" + "),
                p.option.short(),
                printable(&p.model),
                money(p.saving_usd)
            ),
        );
    }
    push_para(out, t.base, w, "  ", 4, &break_even_text(plan, h));
    if !h.feasible {
        for v in h.violations.iter().take(3) {
            push_para(out, t.error, w, "  ✗ ", 4, &printable(v));
        }
        if h.violations.len() > 3 {
            out.push(Line::styled(
                format!("    and {} more", h.violations.len() - 3),
                t.error,
            ));
        }
    }
    for warning in &h.warnings {
        push_para(out, t.warning, w, "  ! ", 4, &printable(warning));
    }
}

/// One leg: a mark (`•` served, `✗` not), its name and share, the model on its option, the
/// monthly cost, `pooled` when it shares a deployment; and why it is not feasible.
fn leg_line(leg: &LegResult, t: &Theme, w: usize, name_w: usize, out: &mut Vec<Line<'static>>) {
    let name: String = printable(&leg.name).chars().take(name_w).collect();
    let pick = match (&leg.model, leg.option) {
        (Some(m), Some(o)) => format!("{} on {}", printable(m), o.short()),
        (Some(m), None) => printable(m),
        _ => "no feasible option".into(),
    };
    let cost = match leg.monthly_cost_usd {
        Some(c) => format!("  {}{}", if leg.estimate { "~" } else { "" }, money(c)),
        None if leg.option.is_some() => "  no price".into(),
        None => String::new(),
    };
    let pooled = if leg.pool.is_some() { "  pooled" } else { "" };
    let (mark, style) = if leg.feasible {
        ("•", t.base)
    } else {
        ("✗", t.error)
    };
    let text = format!(
        "  {mark} {name:<name_w$} {:>5}  {pick}{cost}{pooled}",
        percent(leg.share)
    );
    push_fitted(out, style, w, 6, text);
    if !leg.feasible
        && let Some(v) = leg.violations.first()
    {
        push_para(out, t.error, w, "      ", 6, &printable(v));
    }
}

/// Where the hybrid and one model cost the same: a router's share on its last leg, or a
/// cascade's escalation rate to it, beside today's value (so which side the plan is on
/// reads off the line); else the engine's finding in words.
fn break_even_text(plan: &Plan, h: &Hybrid) -> String {
    let last = plan.legs.last();
    let name = last.map_or(String::new(), |l| printable(&l.name));
    let now = |x: Option<f64>| x.map_or(String::new(), |x| format!(" (now {})", percent(x)));
    match (h.break_even_share, h.break_even_escalation_rate) {
        (Some(x), _) => format!(
            "break-even at {} of requests on {name}{}",
            percent(x),
            now(last.map(|l| l.share))
        ),
        (None, Some(x)) => format!(
            "break-even at {} escalating to {name}{}",
            percent(x),
            now(last.and_then(|l| l.escalation))
        ),
        (None, None) if !h.break_even_note.trim().is_empty() => printable(&h.break_even_note),
        (None, None) => "no break-even found".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::percent;

    #[test]
    fn shares_read_as_people_write_them() {
        assert_eq!(percent(0.7), "70%");
        assert_eq!(percent(0.05), "5%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.005), "0.5%");
        assert_eq!(percent(0.412), "41.2%");
        assert_eq!(percent(f64::NAN), "?%");
        assert_eq!(percent(f64::INFINITY), "?%");
    }
}
