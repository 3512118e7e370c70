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

/// Parses the measurements CSV (header row first). Errors name the line and column.
pub fn parse_csv(text: &str) -> Result<Vec<Measurement>, String> {
    // Rows may be short (a missing field is reported by name below), so no length check.
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| format!("line 1: {e}"))?.clone();
    if header.is_empty() {
        return Err("line 1: the file is empty; expected a header row".to_string());
    }
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
    let mut record = csv::StringRecord::new();
    loop {
        // The line the next record starts on, for errors the reader itself raises.
        let next_line = reader.position().line() + 1;
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(next_line, |p| p.line());
                return Err(format!("line {line}: {e}"));
            }
        }
        let line = record.position().map_or(next_line, |p| p.line());
        // The reader skips empty lines; a line of only spaces is skipped too.
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let f = &record;
        let get = |i: usize, name: &str| {
            f.get(idx[i])
                .map(str::to_string)
                .ok_or_else(|| format!("line {line}: missing `{name}`"))
        };
        let num = |i: usize, name: &str| -> Result<f64, String> {
            let v = get(i, name)?;
            v.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite() && *x > 0.0)
                .ok_or_else(|| format!("line {line}: `{name}` = {v:?} is not a positive number"))
        };
        let whole = |i: usize, name: &str| -> Result<u64, String> {
            let v = get(i, name)?;
            v.parse::<u64>()
                .map_err(|_| format!("line {line}: `{name}` = {v:?} is not a whole number"))
        };
        let metric = match get(1, "metric")?.as_str() {
            "output_tokens_per_s" => Metric::OutputTokensPerS,
            "output_tokens_per_s_per_request" => Metric::OutputTokensPerSPerRequest,
            "ttft_ms" => Metric::TtftMs,
            other => return Err(format!("line {line}: unknown metric {other:?}")),
        };
        let precision = match get(6, "precision")?.as_str() {
            "bf16" => Precision::Bf16,
            "fp8" => Precision::Fp8,
            "int8" => Precision::Int8,
            "int4" => Precision::Int4,
            other => return Err(format!("line {line}: unknown precision {other:?}")),
        };
        let concurrency = match get(9, "concurrency")?.as_str() {
            "max" => Concurrency::Max,
            _ => Concurrency::Fixed(whole(9, "concurrency")?),
        };
        let small =
            |v: u64, name: &str| u32::try_from(v).map_err(|_| format!("line {line}: `{name}` = {v} is too large"));
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
    req.memory_utilization = memory_utilization(m);
    let p = predict(catalog, &req).map_err(|e| format!("{}: {e}", m.case))?;
    let value = match m.metric {
        Metric::OutputTokensPerS => p.output_tokens_per_s,
        Metric::OutputTokensPerSPerRequest => p.output_tokens_per_s_per_request,
        Metric::TtftMs => p.ttft_ms,
    };
    value.ok_or_else(|| format!("{}: does not fit: {}", m.case, p.reason.unwrap_or_default()))
}

/// The share of GPU memory the measured engine gave its weights, activations and KV cache.
/// vLLM's default is 0.9 of the whole GPU, which is what `predict` assumes. TensorRT-LLM's
/// benchmark gives the KV cache 99% of the memory left free after the weights ("KV Memory
/// Percentage: 99.0%" in the run output of its perf-overview page), which `predict` can only
/// approach with its largest accepted utilisation, 0.98. Without this, configurations whose
/// weights nearly fill the GPUs (70B at fp8 on one H100, at bf16 on two) were predicted to hold
/// a few sequences and came out 50-75% slow.
pub fn memory_utilization(m: &Measurement) -> f64 {
    if m.engine == "TensorRT-LLM" && m.concurrency == Concurrency::Max {
        0.98
    } else {
        0.9
    }
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
    fn errors_name_the_line_past_blank_lines_and_quoted_newlines() {
        let header = "case,metric,model,gpu,gpus,tp,precision,input,output,concurrency,measured,engine,source\n";
        let row = "V1,ttft_ms,llama-2-7b,h100-sxm,1,1,fp8,128,1,4,7.0,TRT,src\n";
        assert!(parse_csv("").unwrap_err().contains("the file is empty"));
        let text = format!("{header}{row}\n   \nV2,ttft_ms,m,g,1,1,fp8,128,1,4,7.0,TRT,\"two\nlines\"\nV3,bogus\n");
        assert_eq!(parse_csv(&text).unwrap_err(), "line 7: unknown metric \"bogus\"");
        let short = format!("{header}{row}V2,ttft_ms,m\n");
        assert_eq!(parse_csv(&short).unwrap_err(), "line 3: missing `precision`");
        let rows = parse_csv(&format!("{header}{row}")).unwrap();
        assert_eq!(rows[0].concurrency, Concurrency::Fixed(4));
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
