//! CSV: the options table (one row per option x model) and sweeps, written by the `csv`
//! crate (RFC 4180 quoting, CRLF line ends). Each table's row is a `Serialize` type, so the
//! header and the cells cannot drift apart.

use serde::Serialize;

use crate::engine::plan::{Plan, money_text};
use crate::engine::sweep::{FAMILIES, Sweep};
use crate::vocab::{Family, OptionId};

/// One row of the options table; the field names are the header.
#[derive(Serialize)]
struct OptionRow {
    rank: usize,
    option: OptionId,
    model: Text,
    family: Family,
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

pub fn options(plan: &Plan) -> String {
    let mut w = writer();
    for (i, o) in plan.options.iter().enumerate() {
        let sh = o.self_hosted.as_deref();
        let row = OptionRow {
            rank: i + 1,
            option: o.option,
            model: Text::new(&o.model),
            family: o.family,
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
        let _ = w.serialize(row);
    }
    finish(w)
}

/// The sweep table: the swept value, the best of each family, the recommendation. Its
/// columns depend on the families, so it is written as records with a header built from
/// the same list.
pub fn sweep(s: &Sweep) -> String {
    let mut w = writer();
    let mut header = vec![s.param.clone()];
    header.extend(FAMILIES.iter().map(|f| format!("{}_usd", f.label().replace('-', "_"))));
    header.extend(["recommended_option", "recommended_model", "recommended_usd"].map(str::to_string));
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
