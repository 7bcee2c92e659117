//! Lints: risky drafting found by static analysis of a valid policy
//! (warnings unless stated), one lint per file.

use jiff::civil::Date;

use crate::diagnostic::Diagnostic;
use crate::policy::Policy;

/// Settings that lints depend on.
#[derive(Debug, Clone, Copy)]
pub struct LintOptions {
    /// The date `expired-clause` compares against.
    pub today: Date,
}

/// Every lint finding for a policy. Runs only on policies without errors
/// (a broken policy's analysis would mislead).
pub fn lint(policy: &Policy, options: &LintOptions) -> Vec<Diagnostic> {
    let _ = options;
    if policy.has_errors() {
        return Vec::new();
    }
    Vec::new()
}
