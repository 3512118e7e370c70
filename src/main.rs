//! The `llmcap` binary: parse the command line, run one command, map the outcome to an exit
//! status (0 success, 1 runtime failure, 2 invalid input). Errors are printed once, here.

mod cli;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use cli::{CatalogSection, Cli, Command, ConcurrencyArg, EvalFormat, Format, PrecisionArg, SweepFormat};
use llmcap::catalog::{Catalog, CatalogError, Precision};
use llmcap::engine::predict::{Concurrency, PredictRequest, predict};
use llmcap::report::catalog::{self as catalog_report, Section};
use llmcap::scenario;
use llmcap::text::{terminal_line, terminal_text};

/// A failure with its exit status: invalid input (2) or a runtime failure (1).
enum Failure {
    Invalid(String),
    Runtime(String),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => code,
        Err(Failure::Invalid(msg)) => {
            eprintln!("{}", terminal_text(&prefix_lines(&msg)));
            ExitCode::from(2)
        }
        Err(Failure::Runtime(msg)) => {
            eprintln!("{}", terminal_text(&prefix_lines(&msg)));
            ExitCode::from(1)
        }
    }
}

fn prefix_lines(msg: &str) -> String {
    msg.lines()
        .map(|l| format!("error: {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn load_catalog(cli: &Cli) -> Result<Catalog, Failure> {
    let dir = cli.catalog_dir();
    let catalog = Catalog::load(dir.as_deref());
    if let Ok(c) = &catalog {
        // A file the user put there but llmcap does not read must not pass unnoticed.
        for p in &c.ignored {
            eprintln!(
                "warning: catalog: {}: a hidden or non-.ron file, not applied",
                terminal_line(&p.display().to_string())
            );
        }
    }
    catalog.map_err(|e| match (&e, &dir) {
        // A broken override is the user's input; a broken built-in catalog is our bug.
        (CatalogError::Invalid { .. } | CatalogError::Parse { .. }, None) => {
            Failure::Runtime(format!("{e}\n(the built-in catalog is broken: please report this)"))
        }
        _ => Failure::Invalid(e.to_string()),
    })
}

/// The plan date: `--as-of`, else `LLMCAP_AS_OF` unless it is empty, else today (UTC).
fn plan_date(cli: &Cli) -> Result<llmcap::date::Date, Failure> {
    cli.plan_date().map_err(Failure::Invalid)
}

/// Writes to standard output, the one place text leaves for a terminal: nothing in it can
/// drive the terminal (see `text::terminal_text`).
fn write_out(text: &str) -> Result<(), Failure> {
    let text = terminal_text(text);
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`llmcap catalog | head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Runtime(format!("cannot write to standard output: {e}"))),
    }
}

/// Pretty JSON with a final newline.
fn to_json<T: serde::Serialize>(value: &T) -> Result<String, Failure> {
    let s = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::Runtime(format!("cannot encode the result as JSON: {e}")))?;
    let mut s = llmcap::text::json_safe(&s);
    s.push('\n');
    Ok(s)
}

fn run(cli: &Cli) -> Result<ExitCode, Failure> {
    if let (Some(file), Some(_)) = (&cli.file, &cli.command) {
        return Err(Failure::Invalid(format!(
            "{}: give a scenario FILE or a command, not both (e.g. `llmcap eval {}`)",
            terminal_line(&file.display().to_string()),
            terminal_line(&file.display().to_string())
        )));
    }
    let Some(command) = &cli.command else {
        // `llmcap [FILE]`: the workbench on a terminal; the text summary otherwise (a pipe, a
        // script, CI), so nothing waits for keys that will never come.
        let catalog = load_catalog(cli)?;
        use std::io::IsTerminal;
        if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
            let no_color = cli.no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            let theme = if no_color {
                llmcap::tui::ThemeKind::Mono
            } else {
                llmcap::tui::ThemeKind::Color
            };
            let app = llmcap::tui::app_for(catalog, plan_date(cli)?, cli.file.as_deref(), theme)
                .map_err(|e| Failure::Invalid(e.to_string()))?;
            // 0, or 128 + N after signal N, or 1 when a signal's unsaved work could not be
            // kept (the workbench has said why).
            let code = llmcap::tui::run(app).map_err(Failure::Runtime)?;
            return Ok(ExitCode::from(code));
        }
        let scenario = match &cli.file {
            Some(file) => {
                scenario::load_file(file, &catalog)
                    .map_err(|e| Failure::Invalid(e.to_string()))?
                    .scenario
            }
            None => scenario::Scenario::example(),
        };
        let plan = llmcap::engine::evaluate::evaluate(&scenario, &catalog, plan_date(cli)?)
            .map_err(|e| Failure::Runtime(format!("cannot evaluate the scenario: {e}")))?;
        write_out(&llmcap::report::text::summary(&plan))?;
        return Ok(ExitCode::SUCCESS);
    };
    match command {
        Command::Check { files } => {
            let catalog = load_catalog(cli)?;
            let on = plan_date(cli)?;
            let mut failed = Vec::new();
            let mut ok = String::new();
            for path in files {
                match scenario::load_file(path, &catalog) {
                    Ok(loaded) => {
                        ok.push_str(&format!(
                            "{}: ok ({})\n",
                            terminal_line(&path.display().to_string()),
                            terminal_line(&loaded.scenario.name)
                        ));
                        for n in llmcap::engine::notices(&loaded.scenario, &catalog, on) {
                            ok.push_str(&format!("  note: {}\n", terminal_line(&n)));
                        }
                    }
                    Err(e) => failed.push(e.to_string()),
                }
            }
            write_out(&ok)?;
            if failed.is_empty() {
                Ok(ExitCode::SUCCESS)
            } else {
                Err(Failure::Invalid(failed.join("\n")))
            }
        }
        Command::Compare { files, format } => {
            let catalog = load_catalog(cli)?;
            let on = plan_date(cli)?;
            let mut items = Vec::with_capacity(files.len());
            for file in files {
                let loaded = scenario::load_file(file, &catalog).map_err(|e| Failure::Invalid(e.to_string()))?;
                let plan = llmcap::engine::evaluate::evaluate(&loaded.scenario, &catalog, on)
                    .map_err(|e| Failure::Runtime(format!("cannot evaluate {}: {e}", file.display())))?;
                items.push((file.display().to_string(), loaded.scenario, plan));
            }
            let c = llmcap::engine::compare::compare(on, &items);
            let text = match format {
                EvalFormat::Json => to_json(&c)?,
                EvalFormat::Text => llmcap::report::compare::text(&c),
                EvalFormat::Markdown => llmcap::report::compare::markdown(&c),
            };
            write_out(&text)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Sensitivity { file, format } => {
            let catalog = load_catalog(cli)?;
            let loaded = scenario::load_file(file, &catalog).map_err(|e| Failure::Invalid(e.to_string()))?;
            let t = llmcap::engine::sensitivity::sensitivity(&loaded.scenario, &catalog, plan_date(cli)?)
                .map_err(|e| Failure::Runtime(format!("cannot evaluate {}: {e}", file.display())))?;
            let text = match format {
                EvalFormat::Json => to_json(&t)?,
                EvalFormat::Text => llmcap::report::sensitivity::text(&t),
                EvalFormat::Markdown => llmcap::report::sensitivity::markdown(&t),
            };
            write_out(&text)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval { file, format } => {
            let catalog = load_catalog(cli)?;
            let loaded = scenario::load_file(file, &catalog).map_err(|e| Failure::Invalid(e.to_string()))?;
            let plan = llmcap::engine::evaluate::evaluate(&loaded.scenario, &catalog, plan_date(cli)?)
                .map_err(|e| Failure::Runtime(format!("cannot evaluate {}: {e}", file.display())))?;
            let text = match format {
                EvalFormat::Json => to_json(&plan)?,
                EvalFormat::Text => llmcap::report::text::summary(&plan),
                EvalFormat::Markdown => llmcap::report::markdown::summary(&loaded.scenario, &plan),
            };
            write_out(&text)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export { file, format, output } => {
            let catalog = load_catalog(cli)?;
            let loaded = scenario::load_file(file, &catalog).map_err(|e| Failure::Invalid(e.to_string()))?;
            let format = llmcap::report::export::ExportFormat::from(*format);
            let to_stdout = output.as_deref() == Some(std::path::Path::new("-"));
            let out_path = match output {
                Some(p) => p.clone(),
                None => llmcap::report::export::default_path(file, format),
            };
            // Never overwrite the scenario itself.
            let same = match (std::fs::canonicalize(file), std::fs::canonicalize(&out_path)) {
                (Ok(a), Ok(b)) => a == b,
                _ => false,
            };
            if same && !to_stdout {
                return Err(Failure::Invalid(format!(
                    "{}: this is the scenario file itself; choose another -o",
                    terminal_line(&out_path.display().to_string())
                )));
            }
            let plan = llmcap::engine::evaluate::evaluate(&loaded.scenario, &catalog, plan_date(cli)?)
                .map_err(|e| Failure::Runtime(format!("cannot evaluate {}: {e}", file.display())))?;
            let text = format
                .render(&loaded.scenario, &plan)
                .map_err(|e| Failure::Runtime(format!("cannot encode the result as JSON: {e}")))?;
            if to_stdout {
                write_out(&text)?;
                return Ok(ExitCode::SUCCESS);
            }
            scenario::write_atomic(&out_path, text.as_bytes(), None, true).map_err(|e| match e {
                // A missing folder is a wrong -o; a full disk or a refused write is not.
                scenario::SaveError::NoFolder { .. } => Failure::Invalid(e.to_string()),
                _ => Failure::Runtime(e.to_string()),
            })?;
            write_out(&format!("{}\n", terminal_line(&out_path.display().to_string())))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Sweep {
            file,
            param,
            from,
            to,
            steps,
            log,
            format,
        } => {
            let catalog = load_catalog(cli)?;
            let loaded = scenario::load_file(file, &catalog).map_err(|e| Failure::Invalid(e.to_string()))?;
            let sweep = llmcap::engine::sweep::sweep(
                &loaded.scenario,
                &catalog,
                plan_date(cli)?,
                llmcap::engine::sweep::Axis {
                    param,
                    from: *from,
                    to: *to,
                    steps: *steps,
                    log: *log,
                },
            )
            .map_err(Failure::Invalid)?;
            let text = match format {
                SweepFormat::Csv => llmcap::report::csv::sweep(&sweep),
                SweepFormat::Json => to_json(&sweep)?,
            };
            write_out(&text)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Predict(a) => {
            let catalog = load_catalog(cli)?;
            let req = PredictRequest {
                model: a.model.clone(),
                gpu: a.gpu.clone(),
                gpus: a.gpus,
                tp: a.tp,
                precision: a.precision.map(|p| match p {
                    PrecisionArg::Bf16 => Precision::Bf16,
                    PrecisionArg::Fp8 => Precision::Fp8,
                    PrecisionArg::Int8 => Precision::Int8,
                    PrecisionArg::Int4 => Precision::Int4,
                }),
                input: a.input,
                output: a.output,
                concurrency: match a.concurrency {
                    ConcurrencyArg::Fixed(n) => Concurrency::Fixed(n),
                    ConcurrencyArg::Max => Concurrency::Max,
                },
                memory_utilization: a.memory_utilization,
            };
            let p = predict(&catalog, &req).map_err(|e| Failure::Invalid(e.to_string()))?;
            let text = match a.format {
                Format::Text => llmcap::report::predict::text(&p),
                Format::Json => to_json(&p)?,
            };
            write_out(&text)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Catalog { section, format } => {
            let catalog = load_catalog(cli)?;
            let section = match section {
                None => Section::Summary,
                Some(CatalogSection::Models) => Section::Models,
                Some(CatalogSection::Gpus) => Section::Gpus,
                Some(CatalogSection::Vms) => Section::Vms,
                Some(CatalogSection::Servers) => Section::Servers,
                Some(CatalogSection::Prices) => Section::Prices,
                Some(CatalogSection::Platforms) => Section::Platforms,
            };
            let text = match format {
                Format::Text => catalog_report::text(&catalog, section),
                Format::Json => {
                    let value = catalog_report::json(&catalog, section)
                        .map_err(|e| Failure::Runtime(format!("cannot encode the catalog as JSON: {e}")))?;
                    to_json(&value)?
                }
            };
            write_out(&text)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
