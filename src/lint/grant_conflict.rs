//! ## What it does
//! Checks the licence register against the agreement's term: it is an
//! error when an exclusive (or sole) grant lies wholly outside the
//! agreement's term. (A grant by a party without rights in the asset, and
//! one the policy's own clauses deny, are `no_rights_in`'s findings.)
//!
//! ## Why is this bad?
//! Grants record licences already given; the engine trusts them to block
//! other licences. An exclusive grant outside the agreement blocks
//! licences on the strength of a licence the agreement never covered: its
//! dates are most likely a typing error.
//!
//! ## Example
//! ```ipl
//! agreement "Consortium" { effective 2025-01-01 expires 2028-12-31 }
//! party fraunhofer "Fraunhofer"
//! party bmw "BMW"
//! asset model "Cell model" { class foreground type software owner fraunhofer }
//!
//! grant L-1 {
//!   exclusive license of model from fraunhofer to bmw
//!   from 2030-01-01 until 2031-12-31
//! }
//! clause 9.8 "Owners license their results" {
//!   permit license of foreground
//!   by owners
//! }
//! ```
//!
//! ## Use instead
//! ```ipl
//! agreement "Consortium" { effective 2025-01-01 expires 2028-12-31 }
//! party fraunhofer "Fraunhofer"
//! party bmw "BMW"
//! asset model "Cell model" { class foreground type software owner fraunhofer }
//!
//! grant L-1 {
//!   exclusive license of model from fraunhofer to bmw
//!   from 2026-01-01 until 2027-12-31
//! }
//! clause 9.8 "Owners license their results" {
//!   permit license of foreground
//!   by owners
//! }
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::names::GrantInfo;
use crate::span::Location;

use super::context::LintCtx;

pub const CODE: Code = Code::GrantConflict;

pub(crate) fn run(cx: &LintCtx, out: &mut Vec<Diagnostic>) {
    for grant in &cx.model.grants {
        if grant.exclusive() {
            outside_term(cx, grant, out);
        }
    }
}

fn outside_term(cx: &LintCtx, grant: &GrantInfo, out: &mut Vec<Diagnostic>) {
    let Some(agreement) = &cx.model.agreement else {
        return;
    };
    let syntax = cx.grant_syntax(&grant.label);
    let (at, when) = match (
        grant.from,
        grant.until,
        agreement.effective,
        agreement.expires,
    ) {
        (Some(from), _, _, Some(expires)) if from > expires => (
            syntax.and_then(|(file, g)| g.from.first().map(|d| Location { file, span: d.span })),
            format!("it starts on {from}, after the agreement expires on {expires}"),
        ),
        (_, Some(until), Some(effective), _) if until < effective => (
            syntax.and_then(|(file, g)| g.until.first().map(|d| Location { file, span: d.span })),
            format!("it ends on {until}, before the agreement takes effect on {effective}"),
        ),
        _ => return,
    };
    let at = at.unwrap_or(grant.label_location);
    out.push(
        Diagnostic::new(
            CODE,
            at.file,
            at.span,
            format!(
                "exclusive grant `{}` lies outside the agreement's term: {when}",
                grant.label
            ),
        )
        .with_label("outside the term")
        .with_related(agreement.location, "the agreement's term")
        .with_help("check the grant's dates against the agreement's `effective` and `expires`"),
    );
}
