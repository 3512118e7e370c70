//! The command line (clap): what each subcommand takes, with the help text users read.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "llmcap",
    version,
    about = "Plan the capacity and cost of an LLM deployment",
    long_about = "Plan the capacity and cost of an LLM deployment: Azure OpenAI pay-as-you-go, \
provisioned throughput (PTU), Batch, Foundry serverless, or an open-weight model self-hosted on \
GPUs. Scenarios are RON files; the catalog of prices, GPUs and models is built in.",
    after_help = "Without a command, llmcap opens the interactive workbench on FILE (or on its built-in\nexample, the customer-support chatbot); press ? there for the keys. A FILE that does not exist\nyet is created by the first save. When standard output is not a terminal, it prints the\nsummary instead; `llmcap eval` gives the same with more formats.\n\nExit status: 0 success, 1 runtime failure, 2 invalid input (bad file, bad flag, unknown id);\n128+N when the workbench is ended by signal N (its unsaved work is in the recovery file).",
    subcommand_precedence_over_arg = true
)]
pub struct Cli {
    /// Scenario file (.ron) to open; without it, the built-in example
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// Merge the catalog override files in DIR (gpus.ron, vms.ron, servers.ron, engines.ron,
    /// models.ron, prices.ron, ptu.ron, ptu_prices.ron, availability.ron, quotas.ron, databricks.ron,
    /// constants.ron, regions.ron, meta.ron) over the built-in catalog; entries replace those
    /// with the same id. Also LLMCAP_CATALOG (ignored when
    /// empty)
    #[arg(long, global = true, value_name = "DIR")]
    pub catalog: Option<PathBuf>,

    /// The plan date, YYYY-MM-DD: models retired before it cannot be deployed, those retiring
    /// within 12 months of it are flagged, and every report carries it. Also LLMCAP_AS_OF;
    /// default today (UTC)
    #[arg(long = "as-of", global = true, value_name = "DATE")]
    pub as_of: Option<String>,

    /// No colours in output (also when NO_COLOR is set)
    #[arg(long, global = true)]
    pub no_color: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// The plan date: `--as-of`, else `LLMCAP_AS_OF` unless it is empty, else today.
    pub fn plan_date(&self) -> Result<llmcap::date::Date, String> {
        let (text, from) = match &self.as_of {
            Some(t) => (t.clone(), "--as-of"),
            None => match std::env::var("LLMCAP_AS_OF") {
                Ok(t) if !t.trim().is_empty() => (t, "LLMCAP_AS_OF"),
                Ok(_) | Err(std::env::VarError::NotPresent) => return Ok(llmcap::date::Date::today()),
                Err(std::env::VarError::NotUnicode(_)) => {
                    return Err("LLMCAP_AS_OF: is not a date; accepted: YYYY-MM-DD".to_string());
                }
            },
        };
        text.trim().parse().map_err(|e| format!("{from}: {e}"))
    }

    /// The catalog override folder: `--catalog`, else `LLMCAP_CATALOG` unless it is empty
    /// (a script that exports the variable empty means "none").
    pub fn catalog_dir(&self) -> Option<PathBuf> {
        self.catalog.clone().or_else(|| {
            std::env::var_os("LLMCAP_CATALOG")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate a scenario: every deployment option priced and checked, the recommendation
    /// with its reasons, and the volumes where the answer flips
    Eval {
        /// Scenario file (.ron)
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Output format: a text summary, the JSON contract, or Markdown
        #[arg(long, value_enum, default_value_t = EvalFormat::Text)]
        format: EvalFormat,
    },
    /// Write a summary of a scenario's evaluation to a file: Markdown, self-contained HTML
    /// with charts, JSON (as eval) or CSV (the options table)
    #[command(
        after_help = "Without -o the summary is written next to the scenario as <name>.summary.<md|html|json|csv>;\nthe scenario file itself is never overwritten. The write is atomic."
    )]
    Export {
        /// Scenario file (.ron)
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Where to write [default: next to FILE]; `-` for standard output. An existing OUT is
        /// replaced (atomically; a symlink is written through, a device written in place)
        #[arg(short = 'o', long = "output", value_name = "OUT")]
        output: Option<PathBuf>,
    },
    /// Evaluate a scenario over a range of one numeric field: the best option of each kind
    /// and the recommendation at every step
    #[command(
        after_help = sweep_after_help()
    )]
    Sweep {
        /// Scenario file (.ron)
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The field to vary
        #[arg(long, value_name = "NAME")]
        param: String,
        /// First value (written as in the workbench: 1e4, 10k, 10,000)
        #[arg(long, value_name = "X", allow_negative_numbers = true, value_parser = parse_real)]
        from: f64,
        /// Last value
        #[arg(long, value_name = "Y", allow_negative_numbers = true, value_parser = parse_real)]
        to: f64,
        /// Number of steps, ends included
        #[arg(long, value_name = "N", default_value_t = 20)]
        steps: usize,
        /// Space the steps evenly on a log scale (bounds must be positive)
        #[arg(long)]
        log: bool,
        #[arg(long, value_enum, default_value_t = SweepFormat::Csv)]
        format: SweepFormat,
    },
    /// Scenarios side by side: each one's winner, monthly cost, GPUs and latency, and the
    /// inputs that differ between them
    #[command(
        after_help = "Example: llmcap compare scenarios/support-chatbot.ron scenarios/eu-data-zone-claims.ron --format markdown"
    )]
    Compare {
        /// Two to four scenario files (.ron)
        #[arg(required = true, num_args = 2..=4, value_name = "FILE")]
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = EvalFormat::Text)]
        format: EvalFormat,
    },
    /// What moves the answer most: each input one step down and up, ranked by the change
    /// in the recommended monthly cost, with the values where the recommendation flips
    Sensitivity {
        /// Scenario file (.ron)
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = EvalFormat::Text)]
        format: EvalFormat,
    },
    /// Validate scenario files: syntax, fields, ranges and ids
    #[command(
        after_help = "Prints `FILE: ok` for each valid file; problems go to stderr as FILE:LINE:COLUMN: message.\nExit status 2 when any file is invalid."
    )]
    Check {
        /// Scenario files (.ron)
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Memory, fit and speed of one open-weight model on one GPU configuration
    #[command(
        after_help = "Examples:\n  llmcap predict --model llama-3.1-70b --gpu h100-sxm --input 2048 --output 128 --concurrency 64\n  llmcap predict --model llama-3.1-8b --gpu l4 --precision int4 --input 1000 --output 200\n  llmcap predict --model deepseek-v3 --gpu h200 --tp 8 --input 1000 --output 1000 --concurrency max"
    )]
    Predict(PredictArgs),
    /// List the built-in catalog (with overrides merged): models, GPUs, VMs, servers, prices
    Catalog {
        /// What to list; without it, a summary of the whole catalog
        #[arg(value_enum)]
        section: Option<CatalogSection>,
        /// Output format: a text table, or JSON with every entry's source and date
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Debug, clap::Args)]
pub struct PredictArgs {
    /// Open-weight model id (llmcap catalog models)
    #[arg(long, value_name = "ID")]
    pub model: String,
    /// GPU id (llmcap catalog gpus)
    #[arg(long, value_name = "ID")]
    pub gpu: String,
    /// GPUs in all; a multiple of --tp, each group of tp GPUs a replica [default: --tp]
    #[arg(long, value_name = "N")]
    pub gpus: Option<u32>,
    /// Tensor-parallel degree [default: the smallest of 1, 2, 4, 8 that fits]
    #[arg(long, value_name = "N")]
    pub tp: Option<u32>,
    /// Weight precision; int8 and int4 are weight-only [default: the model's published
    /// format where the GPU runs it, else bf16]
    #[arg(long, value_enum)]
    pub precision: Option<PrecisionArg>,
    /// Prompt tokens per request (2000, 2k, 2,000)
    #[arg(long, value_name = "N", value_parser = parse_count)]
    pub input: u64,
    /// Output tokens per request
    #[arg(long, value_name = "N", value_parser = parse_count)]
    pub output: u64,
    /// Requests in flight across all GPUs, or `max` for as many as the KV cache holds
    /// (offline throughput)
    #[arg(long, value_name = "N|max", default_value = "1", value_parser = parse_concurrency)]
    pub concurrency: ConcurrencyArg,
    /// Share of GPU memory the serving engine may use (vLLM's gpu_memory_utilization)
    #[arg(long, value_name = "SHARE", default_value_t = 0.9)]
    pub memory_utilization: f64,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PrecisionArg {
    Bf16,
    Fp8,
    Int8,
    Int4,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConcurrencyArg {
    Fixed(u64),
    Max,
}

fn parse_concurrency(s: &str) -> Result<ConcurrencyArg, String> {
    if s.eq_ignore_ascii_case("max") {
        return Ok(ConcurrencyArg::Max);
    }
    match parse_count(s) {
        Ok(n) if n >= 1 => Ok(ConcurrencyArg::Fixed(n)),
        _ => Err("expected a whole number of requests (1 or more) or `max`".to_string()),
    }
}

/// A number as the workbench reads it (`250000`, `250,000`, `2.5e5`, `250k`).
fn parse_real(s: &str) -> Result<f64, String> {
    llmcap::scenario::edit::parse_number(s)
}

/// A whole, non-negative number in the workbench's syntax (`2000`, `2k`, `2,000`).
fn parse_count(s: &str) -> Result<u64, String> {
    let v = parse_real(s)?;
    if v < 0.0 || v.fract() != 0.0 || v > 9e15 {
        return Err(format!(
            "`{}` is not a whole number of 0 or more",
            llmcap::text::terminal_line(s.trim())
        ));
    }
    Ok(v as u64)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CatalogSection {
    /// Hosted and open-weight models with tier, context and deployments
    Models,
    /// GPUs with memory, bandwidth and dense throughput
    Gpus,
    /// Azure GPU VM sizes with hourly prices by region
    Vms,
    /// Servers for on-premises self-hosting: GPUs per server, purchase price, power
    Servers,
    /// Token prices per deployment type, PTU sizing and PTU prices
    Prices,
    /// Deployment families, and the figures of Foundry managed compute, Databricks and edge devices
    Platforms,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Markdown,
    Html,
    Json,
    Csv,
}

impl From<ExportFormat> for llmcap::report::export::ExportFormat {
    fn from(f: ExportFormat) -> Self {
        match f {
            ExportFormat::Markdown => Self::Markdown,
            ExportFormat::Html => Self::Html,
            ExportFormat::Json => Self::Json,
            ExportFormat::Csv => Self::Csv,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SweepFormat {
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// The sweep's help: every numeric field of the registry with its range, so the list cannot
/// drift from what `--param` accepts.
fn sweep_after_help() -> String {
    let mut out = String::from("NAME is one of (also accepted as the full path, e.g. workload.requests_per_day):\n");
    let mut listed: Vec<String> = Vec::new();
    for (f, n) in llmcap::scenario::fields::numeric() {
        // A routing leg's fields once, for every leg: legs[N].share with N from 0.
        let key = f.listed_key();
        if listed.contains(&key) {
            continue;
        }
        listed.push(key.clone());
        out.push_str(&format!(
            "  {:<30} {} to {}{}{}\n",
            key,
            llmcap::scenario::edit::number_text(n.min),
            llmcap::scenario::edit::number_text(n.max),
            if f.unit.is_empty() { "" } else { " " },
            f.unit
        ));
    }
    out.push_str(&format!(
        "\nrouter.* and legs[N].* exist in a scenario with a routing group: N is a leg's place from 0 (up to {}); a router share (legs[N].share) moves the other legs' shares with it so they still sum to 1.\n",
        llmcap::scenario::MAX_LEGS - 1
    ));
    out.push_str(
        "\nExamples:\n  llmcap sweep scenarios/support-chatbot.ron --param requests_per_day --from 1e4 --to 1e8 --steps 41 --log\n  llmcap sweep scenarios/cascade-small-then-large.ron --param legs[1].escalation --from 0 --to 1 --steps 11",
    );
    out
}
