//! Time windows: a clause's time lines, a grant's period and an action's term must not end before they start.

use jiff::civil::Date;

use super::{Ctx, loc};
use crate::diagnostic::{Code, Diagnostic};
use crate::names::ClauseInfo;
use crate::span::{FileId, Span};
use crate::syntax::ast::{Clause, Grant, ItemKind, Line, LineKind, Scenario, TimeBase};

pub(super) fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let skip_agreement = ctx.agreement_reversed();
    for (file, item) in ctx.items() {
        match &item.kind {
            // One time line alone is never empty (a reversed `during term`
            // is the agreement's mistake): most clauses stop here.
            ItemKind::Clause(c) if c.lines.iter().filter_map(time_line).nth(1).is_some() => {
                let compiled = ctx.clause_id(file, c).map(|id| ctx.model.clause(id));
                if let Some(compiled) = compiled {
                    out.extend(empty_window(c, compiled, file, skip_agreement));
                }
            }
            ItemKind::Grant(g) => out.extend(grant_reversed(g, file)),
            ItemKind::Scenario(s) => out.extend(action_reversed(s, file)),
            _ => {}
        }
    }
}

/// A time line as written: where it is, and whether it reads the
/// agreement's dates.
fn time_line(line: &Line) -> Option<(Span, bool)> {
    match &line.kind {
        LineKind::DuringTerm | LineKind::AfterTerm => Some((line.span, true)),
        LineKind::From(t) | LineKind::Until(t) => {
            Some((line.span, !matches!(t.base, TimeBase::Date(_))))
        }
        _ => None,
    }
}

/// The intersection of a clause's time lines is empty. Bounds taken from
/// the agreement are left out when the agreement itself ends before it
/// starts (`skip_agreement`): that is reported once, on the agreement.
fn empty_window(
    clause: &Clause,
    compiled: &ClauseInfo,
    file: FileId,
    skip_agreement: bool,
) -> Option<Diagnostic> {
    // `names` compiles one window per time line, in order.
    if clause.lines.iter().filter_map(time_line).count() != compiled.windows.len() {
        return None;
    }
    let mut latest_from: Option<(Date, Span)> = None;
    let mut earliest_until: Option<(Date, Span)> = None;
    let lines = clause.lines.iter().filter_map(time_line);
    for (window, (span, derived)) in compiled.windows.iter().zip(lines) {
        if skip_agreement && derived {
            continue;
        }
        if let Some(from) = window.value.from
            && latest_from.is_none_or(|(latest, _)| from > latest)
        {
            latest_from = Some((from, span));
        }
        if let Some(until) = window.value.until
            && earliest_until.is_none_or(|(earliest, _)| until < earliest)
        {
            earliest_until = Some((until, span));
        }
    }
    let ((opens, from_span), (closes, until_span)) = (latest_from?, earliest_until?);
    // One line that ends before it starts (`during term` of a reversed
    // agreement) is the agreement's mistake, not this clause's.
    if opens <= closes || from_span == until_span {
        return None;
    }
    Some(
        Diagnostic::new(
            Code::EmptyWindow,
            file,
            from_span,
            format!(
                "clause `{}` can never apply: its time lines leave no date",
                clause.label.name
            ),
        )
        .with_label(format!("opens on {opens}"))
        .with_related(loc(file, until_span), format!("closes on {closes}"))
        .with_help(
            "an action's date must lie within every time line of a clause at once; \
             correct one of these lines or remove the one that does not belong",
        ),
    )
}

fn grant_reversed(g: &Grant, file: FileId) -> Option<Diagnostic> {
    let (from, until) = (g.from.first()?, g.until.first()?);
    let (start, end) = (from.value?, until.value?);
    (end < start).then(|| {
        Diagnostic::new(
            Code::GrantUntilBeforeFrom,
            file,
            from.span,
            format!(
                "grant `{}` starts on `{start}`, after it ends on `{end}`",
                g.label.name
            ),
        )
        .with_label("starts after the grant's last day")
        .with_related(loc(file, until.span), "the grant's last day")
        .with_help(
            "`from` is the first day of the licence and `until` its last; \
             swap them or correct one of the dates",
        )
    })
}

fn action_reversed(s: &Scenario, file: FileId) -> Option<Diagnostic> {
    action_until_before_on(&s.action, file)
}

/// `ipl::check::action_until_before_on` for any action (a scenario's, or
/// one given to `eval`).
pub(crate) fn action_until_before_on(
    action: &crate::syntax::ast::ActionSyntax,
    file: FileId,
) -> Option<Diagnostic> {
    let (on, until) = (action.date.as_ref()?, action.until.as_ref()?);
    let (start, end): (Date, Date) = (on.value?, until.value?);
    (end < start).then(|| {
        Diagnostic::new(
            Code::ActionUntilBeforeOn,
            file,
            on.span,
            format!("the action takes effect on `{start}`, after its term ends on `{end}`"),
        )
        .with_label("takes effect after the term's last day")
        .with_related(loc(file, until.span), "the term's last day")
        .with_help(
            "`on` is the day the action takes effect and `until` the last day of the licence \
             it grants; swap them or correct one of the dates",
        )
    })
}

#[cfg(test)]
mod tests {
    use crate::check::test_util::{AGREEMENT, codes, diagnostics};
    use crate::diagnostic::Code;

    fn check_codes(text: &str) -> Vec<Code> {
        let text = format!(
            "{AGREEMENT}party a \"A\"\nparty b \"B\"\nasset x {{ class foreground owner a }}\n{text}"
        );
        codes(&text)
    }

    #[test]
    fn clause_windows() {
        let none = Vec::<Code>::new();
        assert_eq!(
            check_codes("clause 1 { permit use from 2026-01-01 until 2026-01-01 }"),
            none
        );
        assert_eq!(
            check_codes("clause 1 { permit use during term until expires + 1 year }"),
            none
        );
        assert_eq!(
            check_codes("clause 1 { permit use from 2027-01-01 until 2026-12-31 }"),
            [Code::EmptyWindow]
        );
        assert_eq!(
            check_codes("clause 1 { permit use during term after term }"),
            [Code::EmptyWindow]
        );
        assert_eq!(
            check_codes("clause 1 { permit use from expires + 1 day until 2028-12-31 }"),
            [Code::EmptyWindow]
        );
    }

    #[test]
    fn the_window_points_at_the_latest_from_and_the_earliest_until() {
        let text = format!(
            "{AGREEMENT}clause 1 {{\n  permit use\n  from 2026-01-01\n  until 2027-06-30\n  from 2027-01-01\n  until 2026-06-30\n  until 2026-09-30\n}}\n"
        );
        let diags = diagnostics(&text);
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert_eq!(&text[diags[0].location.span.range()], "from 2027-01-01");
        assert_eq!(
            &text[diags[0].related[0].location.span.range()],
            "until 2026-06-30"
        );
    }

    #[test]
    fn a_reversed_agreement_is_not_reported_again_by_its_clauses() {
        let text = "agreement \"A\" { effective 2025-01-01 expires 2024-12-31 }\n\
                    clause 1 { permit use during term }\n\
                    clause 2 { permit use from effective until expires }\n\
                    clause 3 { permit use from 2026-01-01 until 2025-01-01 }\n";
        assert_eq!(
            codes(text),
            [Code::ExpiresBeforeEffective, Code::EmptyWindow]
        );
    }

    #[test]
    fn grant_and_action_periods() {
        assert_eq!(
            check_codes("grant G { license of x from a to b from 2026-01-01 until 2025-12-31 }"),
            [Code::GrantUntilBeforeFrom]
        );
        assert_eq!(
            check_codes("grant G { license of x from a to b from 2026-01-01 until 2026-01-01 }"),
            Vec::<Code>::new()
        );
        assert_eq!(
            check_codes(
                "scenario \"s\" { action a license x to b on 2026-06-01 until 2026-05-31\n expect deny }"
            ),
            [Code::ActionUntilBeforeOn]
        );
    }
}
