//! The diagnostics of name resolution that several places report.

use super::*;

pub(super) fn no_expiry(file: FileId, span: Span, what: &str) -> Diagnostic {
    Diagnostic::new(
        Code::NoExpiry,
        file,
        span,
        format!("`{what}` needs an expiry, but the agreement is open-ended"),
    )
    .with_label("the agreement never expires")
    .with_help("give the agreement `expires DATE` or `term DURATION`, or use a date here")
}

/// A label used a second time, with where it was first used.
pub(super) fn duplicate_label(
    id: &ast::Ident,
    file: FileId,
    first: Location,
    help: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateLabel,
        file,
        id.span,
        format!("label `{}` is used twice", id.name),
    )
    .with_label("second use")
    .with_related(first, "first used here")
    .with_help(help.to_string())
}

pub(super) fn duplicate(what: &str, id: &ast::Ident, file: FileId, first: Location) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateName,
        file,
        id.span,
        format!("{what} `{}` is declared twice", id.name),
    )
    .with_label("second declaration")
    .with_related(first, "first declared here")
    .with_help("every name is declared once per policy; rename or remove one of them")
}

/// A group where one party must stand: `role` says which ("an owner", "the
/// party that acts").
pub(super) fn group_not_allowed(id: &ast::Ident, file: FileId, role: &str) -> Diagnostic {
    Diagnostic::new(
        Code::GroupNotAllowed,
        file,
        id.span,
        format!("`{}` is a group, but {role} must be one party", id.name),
    )
    .with_label("a group")
    .with_help("name a single party here")
}
