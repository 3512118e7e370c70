//! Published GPU measurements and how far the performance model is from them.
//!
//! Rows come from `shared/calibration/measurements.csv` (copied to `tests/data/`); each is
//! run through [`predict`], the same code path as `llmcap predict`, so the error reported is
//! the error a user sees.

use super::Precision;
use super::predict::{Concurrency, PredictRequest, predict};
use crate::catalog::Catalog;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Metric {
    /// System output tokens per second at the row's concurrency.
    OutputTokensPerS,
    /// Single-stream decode speed.
    OutputTokensPerSPerRequest,
    /// Time to first token at batch 1.
    TtftMs,
}

impl Metric {
    pub fn id(self) -> &'static str {
        match self {
            Metric::OutputTokensPerS => "output_tokens_per_s",
            Metric::OutputTokensPerSPerRequest => "output_tokens_per_s_per_request",
            Metric::TtftMs => "ttft_ms",
        }
    }
}

/// One published measurement.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    pub case: String,
    pub metric: Metric,
    pub model: String,
    pub gpu: String,
    pub gpus: u32,
    pub tp: u32,
    pub precision: Precision,
    pub input: u64,
    pub output: u64,
    pub concurrency: Concurrency,
    pub measured: f64,
    pub engine: String,
    pub source: String,
}

/// Splits one CSV line, honouring double quotes.
fn split_csv(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// Parses the measurements CSV (header row first). Errors name the line and column.
pub fn parse_csv(text: &str) -> Result<Vec<Measurement>, String> {
    let mut lines = text.lines().enumerate();
    let header = match lines.next() {
        Some((_, h)) => split_csv(h),
        None => return Err("line 1: the file is empty; expected a header row".to_string()),
    };
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("line 1: no `{name}` column"))
    };
    let idx = [
        col("case")?,
        col("metric")?,
        col("model")?,
        col("gpu")?,
        col("gpus")?,
        col("tp")?,
        col("precision")?,
        col("input")?,
        col("output")?,
        col("concurrency")?,
        col("measured")?,
        col("engine")?,
        col("source")?,
    ];
    let mut rows = Vec::new();
    for (n, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let f = split_csv(line);
        let get = |i: usize, name: &str| {
            f.get(idx[i])
                .cloned()
                .ok_or_else(|| format!("line {}: missing `{name}`", n + 1))
        };
        let num = |i: usize, name: &str| -> Result<f64, String> {
            let v = get(i, name)?;
            v.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite() && *x > 0.0)
                .ok_or_else(|| format!("line {}: `{name}` = {v:?} is not a positive number", n + 1))
        };
        let whole = |i: usize, name: &str| -> Result<u64, String> {
            let v = get(i, name)?;
            v.parse::<u64>()
                .map_err(|_| format!("line {}: `{name}` = {v:?} is not a whole number", n + 1))
        };
        let metric = match get(1, "metric")?.as_str() {
            "output_tokens_per_s" => Metric::OutputTokensPerS,
            "output_tokens_per_s_per_request" => Metric::OutputTokensPerSPerRequest,
            "ttft_ms" => Metric::TtftMs,
            other => return Err(format!("line {}: unknown metric {other:?}", n + 1)),
        };
        let precision = match get(6, "precision")?.as_str() {
            "bf16" => Precision::Bf16,
            "fp8" => Precision::Fp8,
            "int8" => Precision::Int8,
            "int4" => Precision::Int4,
            other => return Err(format!("line {}: unknown precision {other:?}", n + 1)),
        };
        let concurrency = match get(9, "concurrency")?.as_str() {
            "max" => Concurrency::Max,
            _ => Concurrency::Fixed(whole(9, "concurrency")?),
        };
        let small =
            |v: u64, name: &str| u32::try_from(v).map_err(|_| format!("line {}: `{name}` = {v} is too large", n + 1));
        rows.push(Measurement {
            case: get(0, "case")?,
            metric,
            model: get(2, "model")?,
            gpu: get(3, "gpu")?,
            gpus: small(whole(4, "gpus")?, "gpus")?,
            tp: small(whole(5, "tp")?, "tp")?,
            precision,
            input: whole(7, "input")?,
            output: whole(8, "output")?,
            concurrency,
            measured: num(10, "measured")?,
            engine: get(11, "engine")?,
            source: get(12, "source")?,
        });
    }
    Ok(rows)
}

/// The model's figure for a measurement, through `predict`.
pub fn predicted(catalog: &Catalog, m: &Measurement) -> Result<f64, String> {
    let mut req = PredictRequest::new(&m.model, &m.gpu, m.input, m.output);
    req.gpus = Some(m.gpus);
    req.tp = Some(m.tp);
    req.precision = Some(m.precision);
    req.concurrency = m.concurrency;
    let p = predict(catalog, &req).map_err(|e| format!("{}: {e}", m.case))?;
    let value = match m.metric {
        Metric::OutputTokensPerS => p.output_tokens_per_s,
        Metric::OutputTokensPerSPerRequest => p.output_tokens_per_s_per_request,
        Metric::TtftMs => p.ttft_ms,
    };
    value.ok_or_else(|| format!("{}: does not fit: {}", m.case, p.reason.unwrap_or_default()))
}

/// Absolute percentage error, as a fraction.
pub fn ape(predicted: f64, measured: f64) -> f64 {
    (predicted - measured).abs() / measured
}

/// Median (mean of the middle two for an even count) of unsorted values.
pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// Nearest-rank percentile (`q` in 0..1) of unsorted values.
pub fn percentile(values: &[f64], q: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return f64::NAN;
    }
    let rank = (q * v.len() as f64).ceil().clamp(1.0, v.len() as f64) as usize;
    v[rank - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_quoted_fields_and_max() {
        let text = "case,metric,model,gpu,gpus,tp,precision,input,output,concurrency,measured,engine,confidence,source\n\
                    V1,ttft_ms,llama-2-7b,h100-sxm,1,1,fp8,128,1,max,7.0,TRT,A,\"a, b\"\n";
        let rows = parse_csv(text).unwrap();
        assert_eq!(rows[0].source, "a, b");
        assert_eq!(rows[0].concurrency, Concurrency::Max);
        assert!(parse_csv("case\n").unwrap_err().contains("no `metric` column"));
        let bad = text.replace("7.0", "-1");
        assert!(parse_csv(&bad).unwrap_err().starts_with("line 2: `measured`"));
    }

    #[test]
    fn statistics() {
        assert_eq!(median(&[3.0, 1.0, 2.0, 10.0]), 2.5);
        assert_eq!(
            percentile(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], 0.9),
            9.0
        );
    }
}
