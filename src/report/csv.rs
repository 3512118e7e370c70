//! CSV: the options table (one row per option x model) and sweeps. RFC 4180 quoting.

use crate::engine::plan::{Plan, money_text};
use crate::engine::sweep::{FAMILIES, Sweep, family_of};

/// One CSV field, quoted when it holds a comma, a quote or a line break.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn line(cells: &[String]) -> String {
    let mut l = cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(",");
    l.push_str("\r\n");
    l
}

fn num(v: Option<f64>) -> String {
    v.map_or(String::new(), |x| format!("{x}"))
}

pub fn options(plan: &Plan) -> String {
    crate::text::printable(&options_raw(plan))
}

fn options_raw(plan: &Plan) -> String {
    let header = [
        "rank",
        "option",
        "model",
        "family",
        "feasible",
        "monthly_cost_usd",
        "ttft_ms",
        "output_tokens_per_s",
        "ptu",
        "gpu",
        "vm",
        "precision",
        "tp",
        "replicas_peak",
        "vms_peak",
        "gpus_peak",
        "violations",
        "warnings",
    ];
    let mut out = line(&header.map(str::to_string));
    for (i, o) in plan.options.iter().enumerate() {
        let sh = o.self_hosted.as_ref();
        out.push_str(&line(&[
            (i + 1).to_string(),
            o.option.to_string(),
            o.model.clone(),
            family_of(o.option).to_string(),
            o.feasible.to_string(),
            o.monthly_cost_usd.map_or(String::new(), money_text),
            num(o.latency.ttft_ms),
            num(o.latency.output_tokens_per_s),
            o.ptu.map_or(String::new(), |n| n.to_string()),
            sh.map_or(String::new(), |s| s.gpu.clone()),
            sh.map_or(String::new(), |s| s.vm.clone()),
            sh.map_or(String::new(), |s| s.precision.to_string()),
            sh.map_or(String::new(), |s| s.tp.to_string()),
            sh.map_or(String::new(), |s| s.replicas_peak.to_string()),
            sh.map_or(String::new(), |s| s.vms_peak.to_string()),
            sh.map_or(String::new(), |s| s.gpus_peak.to_string()),
            o.violations.join("; "),
            o.warnings.join("; "),
        ]));
    }
    out
}

pub fn sweep(s: &Sweep) -> String {
    let mut header = vec![s.param.clone()];
    header.extend(FAMILIES.iter().map(|f| format!("{}_usd", f.replace('-', "_"))));
    header.extend(["recommended_option", "recommended_model", "recommended_usd"].map(str::to_string));
    let mut out = line(&header);
    for r in &s.rows {
        let mut cells = vec![format!("{}", r.value)];
        cells.extend(
            r.best
                .iter()
                .map(|b| b.as_ref().map_or(String::new(), |p| money_text(p.monthly_cost_usd))),
        );
        match &r.recommended {
            Some(p) => cells.extend([p.option.to_string(), p.model.clone(), money_text(p.monthly_cost_usd)]),
            None => cells.extend([String::new(), String::new(), String::new()]),
        }
        out.push_str(&line(&cells));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
