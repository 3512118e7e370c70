//! CSV: the options table (one row per option x model) and sweeps, written by the `csv`
//! crate (RFC 4180 quoting, CRLF line ends). Each table's row is a `Serialize` type, so the
//! header and the cells cannot drift apart.

use serde::Serialize;

use crate::engine::plan::{Hybrid, LegResult, Plan, money_text};
use crate::engine::sweep::{FAMILIES, Sweep};
use crate::vocab::{Family, OptionId};

/// One row of the options table; the field names are the header.
#[derive(Serialize)]
struct OptionRow {
    rank: usize,
    /// Empty only on a leg's row when the leg has no feasible option.
    option: Option<OptionId>,
    model: Text,
    family: Option<Family>,
    feasible: bool,
    monthly_cost_usd: String,
    ttft_ms: Num,
    output_tokens_per_s: Num,
    ptu: Option<u32>,
    gpu: Option<Text>,
    vm: Option<Text>,
    precision: Option<&'static str>,
    tp: Option<u32>,
    replicas_peak: Option<u32>,
    vms_peak: Option<u32>,
    gpus_peak: Option<u32>,
    violations: Text,
    warnings: Text,
    /// The cost rests on a catalog figure marked as an estimate (`~` in the other formats).
    /// After the original columns, so those keep the positions they had.
    estimate: bool,
    /// The Azure region a managed deployment is created in.
    region: Option<Text>,
    /// The plan date the row was decided on (the same on every row).
    plan_date: crate::date::Date,
}

/// The columns a routed plan's table adds after [`OptionRow`]'s: empty on the single-model
/// rows, and on the rows of each leg's winner (and the classifier's) the leg's name
/// (`router` for the classifier) and the share of all requests that reach it.
#[derive(Serialize)]
struct LegColumns {
    leg: Option<Text>,
    share: Num,
}

/// A cell of text that may come from a file (a catalog id, a reason quoting one): a
/// spreadsheet must never read it as a formula, so one starting with `= + - @` or a tab gets
/// a leading `'`, and characters that could drive a terminal (a carriage return among them)
/// become U+FFFD.
struct Text(String);

impl Text {
    fn new(s: &str) -> Text {
        let clean = crate::text::printable(s).replace('\n', " ");
        // (A carriage return never gets here: `printable` has replaced it.)
        if clean.starts_with(['=', '+', '-', '@', '\t']) {
            Text(format!("'{clean}"))
        } else {
            Text(clean)
        }
    }
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// A measurement as people write it (`1100`, `33.5`), empty when there is none.
struct Num(Option<f64>);

impl Serialize for Num {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(v) => s.collect_str(&v),
            None => s.serialize_str(""),
        }
    }
}

fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

/// The finished text of a writer (CSV of strings and numbers is always UTF-8).
fn finish(w: csv::Writer<Vec<u8>>) -> String {
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The options table. A routed plan's (`plan.hybrid`) has two more columns, `leg` and
/// `share`, and after the single-model rows one row per leg's winner (rank 1 within its
/// leg; latency end to end, router or earlier attempts included) and one for a classifier
/// router. Any other plan's table is as it has always been.
pub fn options(plan: &Plan) -> String {
    let mut w = writer();
    let routed = plan.hybrid.as_deref();
    for (i, o) in plan.options.iter().enumerate() {
        let sh = o.self_hosted.as_deref();
        let row = OptionRow {
            rank: i + 1,
            option: Some(o.option),
            model: Text::new(&o.model),
            family: Some(o.family),
            feasible: o.feasible,
            monthly_cost_usd: o.monthly_cost_usd.map_or(String::new(), money_text),
            estimate: o.estimate,
            region: o.region.as_deref().map(Text::new),
            plan_date: plan.plan_date,
            ttft_ms: Num(o.latency.ttft_ms),
            output_tokens_per_s: Num(o.latency.output_tokens_per_s),
            ptu: o.ptu,
            gpu: sh.map(|s| Text::new(&s.gpu)),
            vm: sh.map(|s| Text::new(&s.vm)),
            precision: sh.map(|s| s.precision),
            tp: sh.map(|s| s.tp),
            replicas_peak: sh.map(|s| s.replicas_peak),
            vms_peak: sh.map(|s| s.vms_peak),
            gpus_peak: sh.map(|s| s.gpus_peak),
            violations: Text::new(
                &o.violations
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            warnings: Text::new(&o.warnings.join("; ")),
        };
        // Serialising a flat row of strings and numbers into memory cannot fail.
        let _ = match routed {
            None => w.serialize(row),
            Some(_) => w.serialize((
                row,
                LegColumns {
                    leg: None,
                    share: Num(None),
                },
            )),
        };
    }
    if let Some(h) = routed {
        for l in &plan.legs {
            let _ = w.serialize((
                leg_row(plan, l),
                LegColumns {
                    leg: Some(Text::new(&l.name)),
                    share: Num(Some(l.share)),
                },
            ));
        }
        if let Some(row) = router_row(plan, h) {
            let _ = w.serialize((
                row,
                LegColumns {
                    leg: Some(Text::new("router")),
                    share: Num(Some(1.0)),
                },
            ));
        }
    }
    finish(w)
}

/// A row with only the columns every row has; the rest empty.
fn bare_row(plan: &Plan, option: Option<OptionId>, model: &str) -> OptionRow {
    OptionRow {
        rank: 1,
        option,
        model: Text::new(model),
        family: option.map(OptionId::family),
        feasible: false,
        monthly_cost_usd: String::new(),
        ttft_ms: Num(None),
        output_tokens_per_s: Num(None),
        ptu: None,
        gpu: None,
        vm: None,
        precision: None,
        tp: None,
        replicas_peak: None,
        vms_peak: None,
        gpus_peak: None,
        violations: Text::new(""),
        warnings: Text::new(""),
        estimate: false,
        region: None,
        plan_date: plan.plan_date,
    }
}

/// A leg's winner (or, with none, the leg's reasons).
fn leg_row(plan: &Plan, l: &LegResult) -> OptionRow {
    OptionRow {
        family: l.family.or(l.option.map(OptionId::family)),
        feasible: l.feasible,
        monthly_cost_usd: l.monthly_cost_usd.map_or(String::new(), money_text),
        ttft_ms: Num(l.latency.ttft_ms),
        output_tokens_per_s: Num(l.latency.output_tokens_per_s),
        violations: Text::new(&l.violations.join("; ")),
        warnings: Text::new(&l.warnings.join("; ")),
        estimate: l.estimate,
        ..bare_row(plan, l.option, l.model.as_deref().unwrap_or(""))
    }
}

/// A classifier router's row: the model that reads every request (a fee or no router has
/// no option to list).
fn router_row(plan: &Plan, h: &Hybrid) -> Option<OptionRow> {
    let r = &h.router;
    if r.kind != "classifier" {
        return None;
    }
    let priced = r.option.is_some() && r.monthly_cost_usd.is_some();
    // The router's reasons are the hybrid plan's lines that name it.
    let violations: Vec<&str> = h
        .violations
        .iter()
        .map(String::as_str)
        .filter(|v| v.starts_with("router:"))
        .collect();
    Some(OptionRow {
        feasible: priced && violations.is_empty(),
        monthly_cost_usd: r.monthly_cost_usd.map_or(String::new(), money_text),
        ttft_ms: Num(r.added_ms.map(|ms| (ms * 10.0).round() / 10.0)),
        violations: Text::new(&violations.join("; ")),
        warnings: Text::new(&r.warnings.join("; ")),
        // The plan does not say whether the router's own price is an estimate, only whether
        // anything in the hybrid is: it is the router's when no leg's is.
        estimate: priced && h.estimate && !plan.legs.iter().any(|l| l.estimate),
        ..bare_row(plan, r.option, r.model.as_deref().unwrap_or(""))
    })
}

/// The sweep table: the swept value, the best of each family, the recommendation. Its
/// columns depend on the families, so it is written as records with a header built from
/// the same list.
pub fn sweep(s: &Sweep) -> String {
    let mut w = writer();
    let mut header = vec![s.param.clone()];
    header.extend(FAMILIES.iter().map(|f| format!("{}_usd", f.label().replace('-', "_"))));
    header.extend(["recommended_option", "recommended_model", "recommended_usd"].map(str::to_string));
    // A routed scenario's sweep: the hybrid plan's total, its saving against the single model
    // (`recommended_usd`) and each leg's winner, after the columns every sweep has.
    let legs: Vec<String> = s
        .rows
        .first()
        .and_then(|r| r.hybrid.as_ref())
        .map(|h| h.legs.iter().map(|l| Text::new(&l.name).0).collect())
        .unwrap_or_default();
    let routed = s.rows.iter().any(|r| r.hybrid.is_some());
    if routed {
        header.extend(["hybrid_usd", "hybrid_saving_usd", "hybrid_feasible"].map(str::to_string));
        for name in &legs {
            header.extend([format!("{name}.share"), format!("{name}.model"), format!("{name}.usd")]);
        }
    }
    let _ = w.write_record(&header);
    for r in &s.rows {
        let mut cells = vec![format!("{}", r.value)];
        cells.extend(
            r.best
                .iter()
                .map(|b| b.as_ref().map_or(String::new(), |p| money_text(p.monthly_cost_usd))),
        );
        match &r.recommended {
            Some(p) => cells.extend([
                p.option.to_string(),
                Text::new(&p.model).0,
                money_text(p.monthly_cost_usd),
            ]),
            None => cells.extend([String::new(), String::new(), String::new()]),
        }
        if routed {
            let money = |d: Option<rust_decimal::Decimal>| d.map_or(String::new(), money_text);
            match &r.hybrid {
                Some(h) => {
                    cells.extend([money(h.monthly_cost_usd), money(h.saving_usd), h.feasible.to_string()]);
                    for l in &h.legs {
                        cells.extend([
                            format!("{}", l.share),
                            l.model.as_deref().map_or(String::new(), |m| Text::new(m).0),
                            money(l.monthly_cost_usd),
                        ]);
                    }
                }
                None => cells.extend(std::iter::repeat_n(String::new(), 3 + 3 * legs.len())),
            }
        }
        let _ = w.write_record(&cells);
    }
    finish(w)
}

#[cfg(test)]
mod tests {
    use super::Text;

    #[test]
    fn cells_never_start_with_a_formula_character_or_carry_controls() {
        for s in ["=HYPERLINK(\"x\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx"] {
            let t = Text::new(s).0;
            assert!(t.starts_with('\''), "{t:?}");
            assert!(!t.chars().any(|c| c != '\t' && crate::text::is_unsafe_char(c)), "{t:?}");
        }
        assert_eq!(Text::new("gpt-4o-mini").0, "gpt-4o-mini");
        // A carriage return is a control: it is replaced, so nothing is left to neutralise.
        assert_eq!(Text::new("\r=1+1").0, "\u{FFFD}=1+1");
        assert_eq!(Text::new("a\nb\u{1b}[2J").0, "a b\u{FFFD}[2J");
    }
}
