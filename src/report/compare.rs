//! `llmcap compare`: scenarios as columns, in text and Markdown (JSON is the
//! [`Comparison`] itself). Names and values from files are made inert as in every report.

use std::fmt::Write as _;

use super::markdown::{cell, md};
use super::table::{Align, Table};
use crate::engine::compare::{Comparison, Entry};
use crate::text::{terminal_line, usd_whole};

/// The rows every comparison starts with: what each scenario's plan is.
fn answer_rows(c: &Comparison) -> Vec<(&'static str, Vec<String>)> {
    let each = |f: &dyn Fn(&Entry) -> String| c.scenarios.iter().map(f).collect::<Vec<_>>();
    let mut rows = vec![
        (
            "recommended",
            each(&|e| match (&e.hybrid, &e.recommendation) {
                (Some(h), _) if h.recommended => format!("the {} plan ({} legs)", h.pattern, h.legs),
                (_, Some(r)) => format!("{} {}", r.option, r.model),
                _ => "nothing feasible".to_string(),
            }),
        ),
        (
            "monthly cost",
            each(&|e| match (&e.hybrid, &e.recommendation) {
                (Some(h), _) if h.recommended => h.monthly_cost_usd.map(usd_whole).unwrap_or_default(),
                (_, Some(r)) => format!("{}{}", super::estimate_mark(r.estimate), usd_whole(r.monthly_cost_usd)),
                _ => String::new(),
            }),
        ),
        (
            "family",
            each(&|e| match (&e.hybrid, &e.recommendation) {
                (Some(h), _) if h.recommended => format!("hybrid ({})", h.pattern),
                (_, Some(r)) => r.family.label().to_string(),
                _ => String::new(),
            }),
        ),
        (
            "GPUs at the peak",
            each(&|e| match (&e.hybrid, &e.recommendation) {
                (Some(h), _) if h.recommended => "per leg (eval)".to_string(),
                (_, Some(r)) => r
                    .gpus
                    .map(|g| format!("{g} x {}", r.gpu.clone().unwrap_or_default()))
                    .unwrap_or_else(|| "none (managed)".to_string()),
                _ => String::new(),
            }),
        ),
        (
            "TTFT",
            each(&|e| match (&e.hybrid, &e.recommendation) {
                (Some(h), _) if h.recommended => "per leg (eval)".to_string(),
                (_, Some(r)) => r
                    .ttft_ms
                    .map(|t| format!("{} ms", crate::text::fmt_num(t.round())))
                    .unwrap_or_default(),
                _ => String::new(),
            }),
        ),
    ];
    if c.scenarios.iter().any(|e| e.hybrid.is_some()) {
        rows.push((
            "single model",
            each(&|e| match (&e.hybrid, &e.recommendation) {
                (Some(_), Some(r)) => format!("{} {} {}", r.option, r.model, usd_whole(r.monthly_cost_usd)),
                _ => String::new(),
            }),
        ));
        rows.push((
            "hybrid saving",
            each(&|e| {
                e.hybrid
                    .as_ref()
                    .and_then(|h| h.saving_percent)
                    .map(|p| format!("{p:.1}%"))
                    .unwrap_or_default()
            }),
        ));
    }
    rows
}

/// Scenarios as columns: the answers, then the inputs that differ.
pub fn text(c: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Compared on the plan date {}: {} scenarios\n",
        c.plan_date,
        c.scenarios.len()
    );
    let names: Vec<String> = c.scenarios.iter().map(|e| terminal_line(&e.name)).collect();
    let mut columns: Vec<(&str, Align)> = vec![("", Align::Left)];
    columns.extend(names.iter().map(|n| (n.as_str(), Align::Left)));
    let mut t = Table::new(&columns);
    for (label, values) in answer_rows(c) {
        let mut row = vec![label.to_string()];
        row.extend(values.iter().map(|v| terminal_line(v)));
        t.row(row);
    }
    out.push_str(&t.render());
    for e in c.scenarios.iter().filter(|e| !e.infeasible.is_empty()) {
        let _ = writeln!(
            out,
            "\n{}: {}",
            terminal_line(&e.name),
            terminal_line(&e.infeasible.join(" "))
        );
    }
    if c.differences.is_empty() {
        out.push_str("\nThe inputs are the same in every scenario.\n");
    } else {
        out.push_str("\nInputs that differ\n\n");
        let mut t = Table::new(&columns);
        for d in &c.differences {
            let mut row = vec![d.label.clone()];
            row.extend(d.values.iter().map(|v| clip(&terminal_line(v))));
            t.row(row);
        }
        out.push_str(&t.render());
    }
    out
}

/// The same as a Markdown page: one table of answers, one of differing inputs.
pub fn markdown(c: &Comparison) -> String {
    let mut out = String::from("# Scenarios compared\n\n");
    let _ = writeln!(out, "Plan date {}; money in US dollars a month.\n", c.plan_date);
    let header = |out: &mut String| {
        out.push_str("| |");
        for e in &c.scenarios {
            let _ = write!(out, " {} |", cell(&e.name));
        }
        out.push_str("\n|---|");
        for _ in &c.scenarios {
            out.push_str("---|");
        }
        out.push('\n');
    };
    header(&mut out);
    for (label, values) in answer_rows(c) {
        let _ = write!(out, "| **{label}** |");
        for v in values {
            let _ = write!(out, " {} |", cell(&v));
        }
        out.push('\n');
    }
    for e in c.scenarios.iter().filter(|e| !e.infeasible.is_empty()) {
        let _ = writeln!(out, "\n{}: {}", md(&e.name), md(&e.infeasible.join(" ")));
    }
    out.push_str("\n## Inputs that differ\n\n");
    if c.differences.is_empty() {
        out.push_str("The inputs are the same in every scenario.\n");
    } else {
        header(&mut out);
        for d in &c.differences {
            let _ = write!(out, "| {} |", cell(&d.label));
            for v in &d.values {
                let _ = write!(out, " {} |", cell(v));
            }
            out.push('\n');
        }
    }
    out
}

/// A long text value cut for a terminal column (a list of models, a custom pattern's weights);
/// Markdown and JSON keep it whole.
fn clip(v: &str) -> String {
    const WIDTH: usize = 40;
    if v.chars().count() <= WIDTH {
        return v.to_string();
    }
    let mut out: String = v.chars().take(WIDTH - 1).collect();
    out.push('…');
    out
}
