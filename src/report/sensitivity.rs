//! `llmcap sensitivity`: the tornado in text and Markdown (JSON is the [`Sensitivity`]
//! itself). Bars are drawn in characters so the ranking reads in a pipe or a file.

use std::fmt::Write as _;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::markdown::{cell, md};
use super::table::{Align, Table};
use crate::engine::sensitivity::{Move, Row, Sensitivity};
use crate::text::{fmt_num, terminal_line, usd_whole};

/// Width of the longest tornado bar, in characters.
const BAR: usize = 20;

fn delta(d: Option<Decimal>) -> String {
    match d {
        Some(d) if d > Decimal::ZERO => format!("+{}", usd_whole(d)),
        Some(d) if d < Decimal::ZERO => format!("-{}", usd_whole(-d)),
        Some(_) => "±$0".to_string(),
        None => "n/a".to_string(),
    }
}

fn side(m: &Option<Move>) -> String {
    match m {
        None => "(at its bound)".to_string(),
        Some(m) => format!(
            "{} → {}{}",
            m.value,
            delta(m.delta_usd),
            if m.flips {
                format!(" ({})", m.outcome.winner)
            } else {
                String::new()
            }
        ),
    }
}

fn flips(r: &Row) -> String {
    r.flips
        .iter()
        .map(|f| format!("{} {}: {}", f.direction, fmt_num(f.at), f.to))
        .collect::<Vec<_>>()
        .join("; ")
}

fn bar(r: &Row, max: Decimal) -> String {
    if max <= Decimal::ZERO {
        return String::new();
    }
    let n = (r.swing_usd / max * Decimal::from(BAR)).round().to_usize().unwrap_or(0);
    "█".repeat(n.max(usize::from(r.swing_usd > Decimal::ZERO)))
}

/// The inputs ranked by how far a step moves the recommended monthly cost.
pub fn text(t: &Sensitivity) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {} at {} a month (plan date {})\nEach input one step down and up, ranked by the change in the recommended monthly cost.\n",
        terminal_line(&t.scenario),
        terminal_line(&t.base.winner),
        t.base.monthly_cost_usd.map_or("no price".to_string(), usd_whole),
        t.plan_date
    );
    let max = t.rows.first().map_or(Decimal::ZERO, |r| r.swing_usd);
    let mut table = Table::new(&[
        ("input", Align::Left),
        ("now", Align::Right),
        ("swing", Align::Right),
        ("", Align::Left),
        ("one step down", Align::Left),
        ("one step up", Align::Left),
        ("the answer flips", Align::Left),
    ]);
    for r in &t.rows {
        table.row([
            r.label.clone(),
            terminal_line(&r.value),
            usd_whole(r.swing_usd),
            bar(r, max),
            terminal_line(&side(&r.low)),
            terminal_line(&side(&r.high)),
            terminal_line(&flips(r)),
        ]);
    }
    out.push_str(&table.render());
    out
}

pub fn markdown(t: &Sensitivity) -> String {
    let mut out = String::from("# Sensitivity\n\n");
    let _ = writeln!(
        out,
        "**{}**: {} at {} a month (plan date {}). Each input one step down and up, ranked by the change in the recommended monthly cost.\n",
        md(&t.scenario),
        md(&t.base.winner),
        t.base.monthly_cost_usd.map_or("no price".to_string(), usd_whole),
        t.plan_date
    );
    out.push_str(
        "| input | now | swing | one step down | one step up | the answer flips |\n|---|--:|--:|---|---|---|\n",
    );
    for r in &t.rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            cell(&r.label),
            cell(&r.value),
            usd_whole(r.swing_usd),
            cell(&side(&r.low)),
            cell(&side(&r.high)),
            cell(&flips(r))
        );
    }
    out
}
