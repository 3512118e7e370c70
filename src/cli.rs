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
    after_help = "Exit status: 0 success, 1 runtime failure, 2 invalid input (bad file, bad flag, unknown id).",
    arg_required_else_help = true
)]
pub struct Cli {
    /// Merge the catalog override files in DIR (gpus.ron, vms.ron, models.ron, prices.ron,
    /// ptu.ron, ptu_prices.ron, constants.ron, regions.ron, meta.ron) over the built-in
    /// catalog; entries replace those with the same id
    #[arg(long, global = true, value_name = "DIR", env = "LLMCAP_CATALOG")]
    pub catalog: Option<PathBuf>,

    /// No colours in output (also when NO_COLOR is set)
    #[arg(long, global = true)]
    pub no_color: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate scenario files: syntax, fields, ranges and ids
    #[command(
        after_help = "Prints `FILE: ok` for each valid file; problems go to stderr as FILE:LINE:COLUMN: message.\nExit status 2 when any file is invalid."
    )]
    Check {
        /// Scenario files (.ron)
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// List the built-in catalog (with overrides merged): models, GPUs, VMs, prices
    Catalog {
        /// What to list; without it, a summary of the whole catalog
        #[arg(value_enum)]
        section: Option<CatalogSection>,
        /// Output format: a text table, or JSON with every entry's source and date
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CatalogSection {
    /// Hosted and open-weight models with tier, context and deployments
    Models,
    /// GPUs with memory, bandwidth and dense throughput
    Gpus,
    /// Azure GPU VM sizes with hourly prices by region
    Vms,
    /// Token prices per deployment type, PTU sizing and PTU prices
    Prices,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}
