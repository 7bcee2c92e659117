//! The agreement block: present, with one start, one way to end, ending on or after it starts.

use super::{Ctx, agreements, loc, repeated_line};
use crate::dates;
use crate::diagnostic::{Code, Diagnostic};
use crate::span::{FileId, Span};
use crate::syntax::ast::Agreement;

pub(super) fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    // A second block is reported by `names`; only the first one counts.
    let Some((file, _, a)) = agreements(ctx).next() else {
        out.extend(missing_agreement(ctx));
        return;
    };
    let lines = [
        (
            "effective",
            a.effective.iter().map(|d| d.span).collect::<Vec<_>>(),
        ),
        ("expires", a.expires.iter().map(|d| d.span).collect()),
        ("term", a.term.iter().map(|d| d.span).collect()),
        ("open_ended", a.open_ended.clone()),
    ];
    for (keyword, spans) in &lines {
        let owner = || "the agreement".to_string();
        out.extend(repeated_line(keyword, owner, file, spans, |s| *s));
    }
    if a.effective.is_empty() {
        out.push(missing_effective(a, file));
    }
    let mut ends: Vec<(&str, Span)> = lines[1..]
        .iter()
        .filter_map(|(keyword, spans)| spans.first().map(|s| (*keyword, *s)))
        .collect();
    ends.sort_by_key(|(_, span)| span.start);
    match ends.as_slice() {
        [] => out.push(missing_expiry(a, file)),
        [_] => {}
        [first, second, rest @ ..] => out.push(conflicting_expiry(file, *first, *second, rest)),
    }
    out.extend(expires_before_effective(a, file));
}

fn missing_agreement(ctx: &Ctx) -> Option<Diagnostic> {
    if ctx.has_broken_agreement() {
        return None;
    }
    let &(file, _) = ctx.files.first()?;
    Some(
        Diagnostic::new(
            Code::MissingAgreement,
            file,
            Span::at(0),
            "the policy has no `agreement` block",
        )
        .with_label("no `agreement` block in any file of this policy")
        .with_help(
            "add an `agreement` block with `effective` and `expires`, `term` or `open_ended`, \
             e.g. `agreement \"…\" { effective 2025-01-01 expires 2028-12-31 }`; \
             this points at the start of the first file as there is no block to point at",
        ),
    )
}

/// The `agreement "title"` head, where a missing line is reported.
fn head(a: &Agreement) -> Span {
    if a.title.span.end > a.keyword.start {
        a.keyword.to(a.title.span)
    } else {
        a.keyword
    }
}

fn missing_effective(a: &Agreement, file: FileId) -> Diagnostic {
    Diagnostic::new(
        Code::MissingEffective,
        file,
        head(a),
        "the agreement has no `effective` date",
    )
    .with_label("no `effective` line in this block")
    .with_help("add `effective YYYY-MM-DD`: the first day of the agreement")
}

fn missing_expiry(a: &Agreement, file: FileId) -> Diagnostic {
    Diagnostic::new(
        Code::MissingExpiry,
        file,
        head(a),
        "the agreement does not say when it ends",
    )
    .with_label("no `expires`, `term` or `open_ended` line in this block")
    .with_help(
        "add `expires YYYY-MM-DD` (its last day) or `term 5 years`, \
         or `open_ended` if it never expires",
    )
}

fn conflicting_expiry(
    file: FileId,
    first: (&str, Span),
    second: (&str, Span),
    rest: &[(&str, Span)],
) -> Diagnostic {
    let mut words = vec![first.0, second.0];
    words.extend(rest.iter().map(|(w, _)| *w));
    let listed = match words.as_slice() {
        [a, b] => format!("both `{a}` and `{b}`"),
        _ => {
            let quoted: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
            let (last, init) = quoted.split_last().map_or(("", &[][..]), |(l, i)| (l, i));
            format!("{} and {last}", init.join(", "))
        }
    };
    let mut diag = Diagnostic::new(
        Code::ConflictingExpiry,
        file,
        second.1,
        format!("the agreement gives {listed}"),
    )
    .with_label(format!("`{}` here", second.0))
    .with_related(loc(file, first.1), format!("`{}` here", first.0))
    .with_help("keep exactly one of `expires DATE`, `term DURATION` and `open_ended`");
    for (word, span) in rest {
        diag = diag.with_related(loc(file, *span), format!("`{word}` here"));
    }
    diag
}

/// The agreement ends before it starts: `expires` before `effective`, or a
/// term that ends before its first day (`term 0 days`).
fn expires_before_effective(a: &Agreement, file: FileId) -> Option<Diagnostic> {
    let effective = a.effective.first()?;
    let start = effective.value?;
    if let Some(expires) = a.expires.first() {
        let end = expires.value?;
        return (end < start).then(|| {
            Diagnostic::new(
                Code::ExpiresBeforeEffective,
                file,
                effective.span,
                format!("the agreement takes effect on `{start}`, after it expires on `{end}`"),
            )
            .with_label("takes effect after the agreement's last day")
            .with_related(loc(file, expires.span), "the agreement's last day")
            .with_help(
                "`effective` is the first day of the agreement and `expires` its last; \
                 swap them or correct one of the dates",
            )
        });
    }
    let term = a.term.first()?;
    let Some(end) = dates::term_end(start, *term) else {
        // Past the calendar's end: `during term` would never hold.
        return Some(
            Diagnostic::new(
                Code::DateOutOfRange,
                file,
                term.span,
                format!("a term of `{term}` from `{start}` ends after 9999-12-31"),
            )
            .with_label("ends past the last date ipcheck can reckon with")
            .with_related(loc(file, effective.span), "the agreement takes effect here")
            .with_help(
                "give a term that ends by 9999-12-31, or `open_ended` for an agreement without an end",
            ),
        );
    };
    (end < start).then(|| {
        Diagnostic::new(
            Code::ExpiresBeforeEffective,
            file,
            term.span,
            format!(
                "a term of `{}` ends before the agreement takes effect",
                term
            ),
        )
        .with_label(format!("ends on {end}, the day before `effective`"))
        .with_related(loc(file, effective.span), "the agreement takes effect here")
        .with_help("give a term of at least `1 day`")
    })
}

#[cfg(test)]
mod tests {
    use crate::check::test_util::{codes, diagnostics, with_sources};
    use crate::diagnostic::Code;

    fn check_codes(text: &str) -> Vec<Code> {
        codes(text)
            .into_iter()
            .filter(|c| c.family() == crate::diagnostic::Family::Check)
            .collect()
    }

    #[test]
    fn a_term_past_the_year_9999_is_an_error() {
        assert_eq!(
            codes("agreement \"A\" { effective 2025-01-01 term 9000 years }"),
            [Code::DateOutOfRange]
        );
        assert!(codes("agreement \"A\" { effective 2025-01-01 term 7974 years }").is_empty());
    }

    #[test]
    fn a_policy_without_an_agreement_is_reported_once() {
        let diags = diagnostics("party a \"A\"\nparty b \"B\"\n");
        let codes: Vec<_> = diags.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::MissingAgreement]);
        assert!(diags[0].location.span.is_empty());
        assert_eq!(diags[0].location.span.start, 0);
    }

    #[test]
    fn a_broken_agreement_is_not_also_missing() {
        // The syntax error covers it; the sources show it was written.
        let text = "agreement \"A\" { effective }\nparty a \"A\"\n";
        assert_eq!(codes(text), [Code::UnexpectedToken]);
        assert!(with_sources(text).is_empty());
    }

    #[test]
    fn missing_lines() {
        assert_eq!(
            check_codes("agreement \"A\" { expires 2028-12-31 }"),
            [Code::MissingEffective]
        );
        assert_eq!(
            check_codes("agreement \"A\" { effective 2025-01-01 }"),
            [Code::MissingExpiry]
        );
        assert_eq!(
            check_codes("agreement \"A\" { effective 2025-01-01 open_ended }"),
            Vec::<Code>::new()
        );
        assert_eq!(
            check_codes("agreement \"A\" { effective 2025-01-01 term 3 years }"),
            Vec::<Code>::new()
        );
    }

    #[test]
    fn two_ways_to_end_conflict_once() {
        let diags = diagnostics(
            "agreement \"A\" { effective 2025-01-01 expires 2028-12-31 term 2 years open_ended }",
        );
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert_eq!(diags[0].code, Code::ConflictingExpiry);
        assert_eq!(diags[0].related.len(), 2);
        assert_eq!(
            diags[0].message,
            "the agreement gives `expires`, `term` and `open_ended`"
        );
    }

    #[test]
    fn repeated_lines_point_at_the_second() {
        let text =
            "agreement \"A\" { effective 2025-01-01 effective 2025-02-01 expires 2028-12-31 }";
        let diags = diagnostics(text);
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert_eq!(diags[0].code, Code::RepeatedLine);
        assert_eq!(&text[diags[0].location.span.range()], "2025-02-01");
    }

    #[test]
    fn ending_before_the_start() {
        assert_eq!(
            check_codes("agreement \"A\" { effective 2025-01-01 expires 2024-12-31 }"),
            [Code::ExpiresBeforeEffective]
        );
        assert_eq!(
            check_codes("agreement \"A\" { effective 2025-01-01 expires 2025-01-01 }"),
            Vec::<Code>::new()
        );
        assert_eq!(
            check_codes("agreement \"A\" { effective 2025-01-01 term 0 days }"),
            [Code::ExpiresBeforeEffective]
        );
    }

    #[test]
    fn an_invalid_date_is_not_reported_again() {
        assert_eq!(
            check_codes("agreement \"A\" { effective 2025-02-30 expires 2024-12-31 }"),
            [Code::InvalidDate]
        );
    }
}
