//! The `ipcheck` command line: argument parsing and exit codes, nothing else.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use ipcheck::cli;
use ipcheck::report::human::Style;

/// Checks intellectual-property clauses written in IPL.
#[derive(Parser)]
#[command(name = "ipcheck", version, about)]
struct Args {
    #[command(subcommand)]
    command: Command,
    /// When to colour human output.
    #[arg(long, global = true, value_enum, default_value = "auto")]
    color: ColorChoice,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Finds errors in policies: syntax, names and semantic checks.
    Lint {
        /// Policy files or directories (each directory of `.ipl` files is one policy).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Decides proposed actions against a policy.
    Eval {
        /// The policy: a file, or a directory of `.ipl` files.
        policy: PathBuf,
        /// An action in the action syntax, e.g.
        /// "catl license p to acme field ev territory eu on 2026-06-01" (repeatable).
        #[arg(long = "action", value_name = "ACTION")]
        actions: Vec<String>,
        /// A file of actions: a JSON array, NDJSON (streamed) or TOML `[[action]]` tables.
        #[arg(long = "actions", value_name = "FILE")]
        actions_file: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Show every clause consulted.
        #[arg(long)]
        explain: bool,
        /// Count `conditional` as denied in the exit code.
        #[arg(long)]
        strict: bool,
    },
    /// Runs the scenarios of policies.
    Test {
        /// Policy files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { 2 } else { 0 });
        }
    };
    let style = style(args.color);
    let mut out = std::io::stdout().lock();
    let outcome = match args.command {
        Command::Lint { paths, format } => {
            cli::lint(&paths, matches!(format, Format::Json), style, &mut out)
        }
        Command::Eval {
            policy,
            actions,
            actions_file,
            format,
            explain,
            strict,
        } => {
            let options = cli::EvalOptions {
                actions,
                actions_file,
                json: matches!(format, Format::Json),
                explain,
                strict,
            };
            cli::eval(&policy, &options, style, &mut out, &mut std::io::stderr())
        }
        Command::Test { paths, format } => {
            cli::test(&paths, matches!(format, Format::Json), style, &mut out)
        }
    };
    let _ = out.flush();
    match outcome {
        Ok(code) => ExitCode::from(code as u8),
        Err(cli::CliError::Output(err)) if err.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(cli::Outcome::CouldNotRun as u8)
        }
    }
}

fn style(choice: ColorChoice) -> Style {
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100);
    Style { color, width }
}
