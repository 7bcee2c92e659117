//! The `ipcheck` command line: argument parsing and exit codes, nothing else.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args as ClapArgs, Parser, Subcommand, ValueEnum};

use ipcheck::cli::{self, ReportOptions};
use ipcheck::report::human::Style;
use ipcheck::report::{FailOn, Format};

/// Checks intellectual-property clauses written in IPL.
#[derive(Parser)]
#[command(name = "ipcheck", version, about)]
struct Args {
    #[command(subcommand)]
    command: Command,
    /// When to colour human output (`auto` honours `NO_COLOR`).
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
enum FormatArg {
    Human,
    Json,
    Sarif,
    Github,
    Markdown,
    Junit,
    Gitlab,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOnArg {
    Error,
    Warning,
}

/// The reporting options every command takes.
#[derive(ClapArgs)]
struct ReportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: FormatArg,
    /// The least severity that makes the exit code 1 [default: the
    /// configuration's `fail_on`, else error].
    #[arg(long, value_enum)]
    fail_on: Option<FailOnArg>,
    /// Write the report to this file (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Finds errors in policies: syntax, names, semantic checks and lints.
    Lint {
        /// Policy files or directories (each directory of `.ipl` files is one policy).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The date date-relative lints compare against [default: today].
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        today: Option<jiff::civil::Date>,
        /// Apply the safe fixes (a missing comma, a line break between two
        /// items, a `notwithstanding` that decides nothing), then report
        /// what is left.
        #[arg(long)]
        fix: bool,
        /// With `--fix`: print the changes as a unified diff and write
        /// nothing (exit 1 when there is something to fix).
        #[arg(long, requires = "fix")]
        diff: bool,
        /// With `--fix`: also apply fixes that change what the policy means
        /// (did-you-mean names, an added `notwithstanding`).
        #[arg(long, requires = "fix")]
        unsafe_fixes: bool,
        #[command(flatten)]
        report: ReportArgs,
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
        /// Show every clause consulted.
        #[arg(long)]
        explain: bool,
        /// Count `conditional` as denied in the exit code (`--fail-on warning`).
        #[arg(long)]
        strict: bool,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// Runs the scenarios of policies.
    Test {
        /// Policy files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Also list the clauses and grants that decide no scenario.
        #[arg(long)]
        coverage: bool,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// Checks a repository before merging: every policy's diagnostics and
    /// lints, its scenarios, and the decisions on its proposals.
    Check {
        /// A directory of the repository (`ipcheck.toml` is searched upward
        /// from it), or one file: a `.ipl` file or a proposal, to check
        /// only the policy it belongs to.
        #[arg(default_value = ".", value_name = "DIR|FILE")]
        dir: PathBuf,
        /// The date date-relative checks compare against [default: the
        /// configuration's `today`, else today].
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        today: Option<jiff::civil::Date>,
        /// Also report what the change since this git revision does to
        /// each policy in effect (docs/ci.md).
        #[arg(long, value_name = "REF")]
        base: Option<String>,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// What a change to a policy does in effect: every kind of action
    /// whose decision differs, with a witness (docs/cli.md).
    Diff {
        /// `OLD NEW` (files or directories); with `--base`, the paths to
        /// compare with their state at REF [default: .].
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Compare with the policies as of this git revision.
        #[arg(long, value_name = "REF")]
        base: Option<String>,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// Rewrites policy files in the canonical layout (docs/formatting.md).
    Fmt {
        /// Files, or directories (every `.ipl` file below them); `-` reads standard input.
        paths: Vec<PathBuf>,
        /// Writes nothing: prints a diff of what would change, exits 1 if a file needs formatting.
        #[arg(long)]
        check: bool,
        /// Formats standard input to standard output.
        #[arg(long)]
        stdin: bool,
    },
    /// Lists the licence register: per asset, who holds which rights, what
    /// is free to license exclusively, and every blocked overlap.
    Grants {
        /// The policy: a file, or a directory of `.ipl` files.
        policy: PathBuf,
        /// Only this asset.
        #[arg(long, value_name = "ASSET")]
        asset: Option<String>,
        /// The day what is free is computed for [default: today].
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        at: Option<jiff::civil::Date>,
        /// `human` or `json`.
        #[arg(long, value_enum, default_value = "human")]
        format: FormatArg,
    },
    /// Prints the documentation of a diagnostic code.
    Explain {
        /// A code such as `ipl::names::unknown_party`.
        code: String,
    },
    /// Runs the language server for editors, on standard input and output.
    Lsp,
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { 2 } else { 0 });
        }
    };
    let color = args.color;
    if let Command::Lsp = args.command {
        // Before stdout is locked: the server writes to it from a thread.
        return ExitCode::from(ipcheck::lsp::run());
    }
    // Buffered: a report of 100,000 decisions is many small writes, which a
    // line-buffered stdout would pass to the system one line at a time.
    let mut stdout = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    let mut stderr = std::io::stderr();
    let outcome = match args.command {
        Command::Lint {
            paths,
            today,
            fix,
            diff,
            unsafe_fixes,
            report,
        } => {
            let options = report_options(&report, color);
            let fixes = cli::FixOptions {
                fix,
                diff,
                unsafe_fixes,
            };
            cli::with_output(report.output.as_deref(), true, &mut stdout, |out| {
                cli::lint(&paths, today, fixes, &options, out, &mut stderr)
            })
        }
        Command::Eval {
            policy,
            actions,
            actions_file,
            explain,
            strict,
            report,
        } => {
            let options = cli::EvalOptions {
                actions,
                actions_file,
                explain,
                strict,
            };
            let report_opts = report_options(&report, color);
            cli::with_output(report.output.as_deref(), false, &mut stdout, |out| {
                cli::eval(&policy, &options, &report_opts, out, &mut stderr)
            })
        }
        Command::Test {
            paths,
            coverage,
            report,
        } => {
            let options = report_options(&report, color);
            cli::with_output(report.output.as_deref(), true, &mut stdout, |out| {
                cli::test_with(&paths, coverage, &options, out)
            })
        }
        Command::Check {
            dir,
            today,
            base,
            report,
        } => {
            let options = report_options(&report, color);
            let check = cli::CheckOptions { today, base };
            cli::with_output(report.output.as_deref(), true, &mut stdout, |out| {
                cli::check(&dir, &check, &options, out)
            })
        }
        Command::Diff {
            paths,
            base,
            report,
        } => {
            let options = report_options(&report, color);
            let diff = cli::DiffOptions { paths, base };
            cli::with_output(report.output.as_deref(), true, &mut stdout, |out| {
                cli::diff(&diff, &options, out)
            })
        }
        Command::Explain { code } => cli::explain(&code, &mut stdout, &mut std::io::stderr()),
        Command::Grants {
            policy,
            asset,
            at,
            format,
        } => {
            let options = cli::GrantsOptions {
                asset,
                at: at.unwrap_or_else(cli::today),
                format: if matches!(format, FormatArg::Json) {
                    Format::Json
                } else {
                    Format::Human
                },
            };
            cli::grants(&policy, &options, &mut stdout)
        }
        Command::Fmt {
            paths,
            check,
            stdin,
        } => {
            let options = cli::FmtOptions {
                paths,
                check,
                stdin,
            };
            let mut input = std::io::stdin().lock();
            cli::fmt(
                &options,
                style(color, true),
                &mut input,
                &mut stdout,
                &mut stderr,
            )
        }
        Command::Lsp => Ok(cli::Outcome::Clean), // served above
    };
    let _ = stdout.flush();
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

fn parse_date(text: &str) -> Result<jiff::civil::Date, String> {
    ipcheck::syntax::parse_date(text)
        .filter(|_| text.len() == 10)
        .ok_or_else(|| format!("`{text}` is not a date; write YYYY-MM-DD"))
}

fn report_options(report: &ReportArgs, color: ColorChoice) -> ReportOptions {
    let format = match report.format {
        FormatArg::Human => Format::Human,
        FormatArg::Json => Format::Json,
        FormatArg::Sarif => Format::Sarif,
        FormatArg::Github => Format::Github,
        FormatArg::Markdown => Format::Markdown,
        FormatArg::Junit => Format::Junit,
        FormatArg::Gitlab => Format::Gitlab,
    };
    ReportOptions {
        format,
        style: style(color, report.output.is_none()),
        fail_on: report.fail_on.map(|f| match f {
            FailOnArg::Error => FailOn::Error,
            FailOnArg::Warning => FailOn::Warning,
        }),
        step_summary: std::env::var_os("GITHUB_STEP_SUMMARY")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from),
        root: None,
        links: ipcheck::report::paths::Links::from_env(),
    }
}

/// Colour and width for human output: `--color`, `NO_COLOR`, whether
/// standard output is a terminal, `COLUMNS`, the terminal's width.
fn style(choice: ColorChoice, to_stdout: bool) -> Style {
    let terminal = to_stdout && std::io::stdout().is_terminal();
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .or_else(|| {
            terminal
                .then(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
                .flatten()
        })
        .unwrap_or(100);
    Style { color, width }
}
