//! Lints: risky drafting found by static analysis of a valid policy
//! (warnings unless stated), one lint per file.
//!
//! Most lints ask the [`partition`](crate::partition) exact questions
//! about a few clauses at a time ("can this permit apply unblocked?") and
//! explain themselves with a *witness*: one action, in action syntax, that
//! shows the problem. Each lint file's doc comment is its documentation
//! (docs/lints.md is generated from them).
//!
//! A finding is silenced by a comment right above the item it points into:
//! `// ipcheck: allow(dead_permit, ipl::lint::unused)`. Levels configured
//! in `ipcheck.toml` (`[lints]`) apply to the findings afterwards, like to
//! any other diagnostic ([`config::Levels`](crate::config::Levels)).

mod context;
mod contradiction;
mod dead_permit;
mod departed_group_member;
mod empty_selector;
mod escaped_duty;
mod excluded_background_permitted;
mod expired_clause;
mod fixes;
mod grant_conflict;
mod income_overcommitted;
mod no_rights_in;
mod shadowed_clause;
mod suppress;
mod unused;
mod useless_notwithstanding;

use jiff::civil::Date;

use crate::diagnostic::{Code, Diagnostic};
use crate::policy::Policy;
use context::LintCtx;

/// The prefix of every lint code.
pub const PREFIX: &str = "ipl::lint::";

/// One lint: its code, default severity and what runs it.
pub struct Lint {
    /// `ipl::lint::NAME`; NAME is also the lint's file name.
    pub code: Code,
    run: fn(&LintCtx, &mut Vec<Diagnostic>),
}

impl Lint {
    /// The code without its prefix: `dead_permit`.
    pub fn name(&self) -> &'static str {
        self.code.name()
    }
}

/// Every lint, in the order they run (and are documented).
pub const LINTS: &[Lint] = &[
    Lint {
        code: dead_permit::CODE,
        run: dead_permit::run,
    },
    Lint {
        code: shadowed_clause::CODE,
        run: shadowed_clause::run,
    },
    Lint {
        code: contradiction::CODE,
        run: contradiction::run,
    },
    Lint {
        code: useless_notwithstanding::CODE,
        run: useless_notwithstanding::run,
    },
    Lint {
        code: empty_selector::CODE,
        run: empty_selector::run,
    },
    Lint {
        code: expired_clause::CODE,
        run: expired_clause::run,
    },
    Lint {
        code: grant_conflict::CODE,
        run: grant_conflict::run,
    },
    Lint {
        code: no_rights_in::CODE,
        run: no_rights_in::run,
    },
    Lint {
        code: escaped_duty::CODE,
        run: escaped_duty::run,
    },
    Lint {
        code: departed_group_member::CODE,
        run: departed_group_member::run,
    },
    Lint {
        code: income_overcommitted::CODE,
        run: income_overcommitted::run,
    },
    Lint {
        code: unused::CODE,
        run: unused::run,
    },
    Lint {
        code: excluded_background_permitted::CODE,
        run: excluded_background_permitted::run,
    },
];

/// Settings that lints depend on.
#[derive(Debug, Clone, Copy)]
pub struct LintOptions {
    /// The date `expired_clause` compares against.
    pub today: Date,
}

/// Every lint finding for a policy, in source order, minus those allowed
/// by comments. Runs only on policies without errors (a broken policy's
/// analysis would mislead).
pub fn lint(policy: &Policy, options: &LintOptions) -> Vec<Diagnostic> {
    lint_timed(policy, options).0
}

/// The note that a lint ran out of its budget: where it stopped is not
/// known to be clean.
fn skipped(policy: &Policy, lint: &Lint) -> Diagnostic {
    let file = policy
        .model
        .clauses
        .first()
        .map_or(crate::span::FileId(0), |c| c.head.file);
    Diagnostic::new(
        Code::ReportLintSkipped,
        file,
        crate::span::Span::default(),
        format!(
            "lint `{}` stopped at its budget: the questions after that point were not answered",
            lint.name()
        ),
    )
    .with_help(format!(
        "the findings of `{}` listed are real, but others may be missing; each lint may do {} units of work (clause evaluations) on one policy, see docs/performance.md",
        lint.name(),
        crate::report::cap::thousands(crate::partition::LINT_BUDGET as usize)
    ))
}

/// What one lint cost on one policy.
#[derive(Debug, Clone, Copy)]
pub struct LintCost {
    pub name: &'static str,
    pub time: std::time::Duration,
    /// Units of work of its questions (see [`crate::partition::LINT_BUDGET`]).
    pub work: u64,
}

/// [`lint`], with what each lint cost (in [`LINTS`] order; empty for a
/// policy with errors): for benchmarks and growth curves.
pub fn lint_timed(policy: &Policy, options: &LintOptions) -> (Vec<Diagnostic>, Vec<LintCost>) {
    if policy.has_errors() {
        return (Vec::new(), Vec::new());
    }
    let cx = LintCtx::new(policy, options.today);
    let allows = suppress::Allows::of(policy);
    let mut out = Vec::new();
    let mut times = Vec::with_capacity(LINTS.len());
    for lint in LINTS {
        let mut found = Vec::new();
        let start = std::time::Instant::now();
        cx.regions.start_budget(crate::partition::LINT_BUDGET);
        (lint.run)(&cx, &mut found);
        times.push(LintCost {
            name: lint.name(),
            time: start.elapsed(),
            work: cx.regions.work(),
        });
        if cx.regions.out_of_budget() {
            found.push(skipped(policy, lint));
        }
        out.extend(
            found
                .into_iter()
                .filter(|d| !allows.allows(d))
                .map(|d| Diagnostic {
                    severity: d.code.default_severity(),
                    ..d
                }),
        );
    }
    crate::policy::sort_diagnostics(&mut out);
    (out, times)
}
