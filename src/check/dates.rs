//! Dates: every date written must be a real calendar date, reported once where written.

use jiff::civil::Date;

use super::Ctx;
use crate::diagnostic::{Code, Diagnostic};
use crate::span::{FileId, Span};
use crate::syntax::ast::{Expr, ExprKind, ItemKind, LineKind, Time, TimeBase};

pub(super) fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let mut stack = Vec::new();
    for (file, item) in ctx.items() {
        let mut invalid: Vec<Span> = Vec::new();
        let mut date = |d: &crate::syntax::ast::DateLit| {
            if d.value.is_none() {
                invalid.push(d.span);
            }
        };
        match &item.kind {
            ItemKind::Agreement(a) => a.effective.iter().chain(&a.expires).for_each(&mut date),
            ItemKind::Asset(a) => a.created.iter().for_each(&mut date),
            ItemKind::Grant(g) => g.from.iter().chain(&g.until).for_each(&mut date),
            ItemKind::Scenario(s) => {
                let a = &s.action;
                a.date
                    .iter()
                    .chain(&a.until)
                    .chain(
                        a.objections
                            .iter()
                            .flatten()
                            .filter_map(|(_, d)| d.as_ref()),
                    )
                    .chain(a.events.iter().map(|(_, d)| d))
                    .for_each(&mut date);
                for (_, given) in a.notice.iter().flatten() {
                    if let crate::syntax::ast::NoticeGiven::On(None) = given {
                        // The builder keeps no span for the day: the
                        // action's is the nearest place.
                        invalid.push(a.span);
                    }
                }
            }
            ItemKind::Party(p) => [&p.joined, &p.left, &p.affiliate_from, &p.affiliate_until]
                .into_iter()
                .flatten()
                .for_each(&mut date),
            ItemKind::Amendment(a) => date(&a.effective),
            ItemKind::Clause(c) => {
                for line in &c.lines {
                    match &line.kind {
                        LineKind::From(t) | LineKind::Until(t) => time(t, &mut invalid),
                        LineKind::When(e) | LineKind::Unless(e) => {
                            expr(e, &mut stack, &mut invalid)
                        }
                        _ => {}
                    }
                }
            }
            ItemKind::Group(_)
            | ItemKind::Tree(_)
            | ItemKind::Fact(_)
            | ItemKind::Event(_)
            | ItemKind::Instrument(_) => {}
        }
        out.extend(
            invalid
                .into_iter()
                .map(|span| invalid_date(ctx, file, span)),
        );
    }
}

fn time(t: &Time, invalid: &mut Vec<Span>) {
    if t.base == TimeBase::Date(None) {
        // The base date is the first thing written in a time.
        let end = (t.span.start + 10).min(t.span.end);
        invalid.push(Span {
            start: t.span.start,
            end,
        });
    }
}

/// Every `until` comparison of a condition, without recursion: the parser
/// bounds nesting, but a flat `a and b and …` may still be long.
fn expr<'e>(e: &'e Expr, stack: &mut Vec<&'e Expr>, invalid: &mut Vec<Span>) {
    stack.clear();
    stack.push(e);
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Or(parts) | ExprKind::And(parts) => stack.extend(parts.iter().rev()),
            ExprKind::Not(inner) => stack.push(inner),
            ExprKind::Until(_, t) => time(t, invalid),
            ExprKind::TimeCmp(l, _, r) => {
                time(l, invalid);
                time(r, invalid);
            }
            _ => {}
        }
    }
}

fn invalid_date(ctx: &Ctx, file: FileId, span: Span) -> Diagnostic {
    invalid_date_at(ctx.text(file, span), file, span)
}

/// The `ipl::check::invalid_date` error for a date written as `written`
/// at `span` (also for actions from outside a policy).
pub(crate) fn invalid_date_at(written: Option<&str>, file: FileId, span: Span) -> Diagnostic {
    let message = match written {
        Some(text) => format!("`{text}` is not a calendar date"),
        None => "this is not a calendar date".to_string(),
    };
    let (label, help) = match written.and_then(parts) {
        Some((_, month, _)) if !(1..=12).contains(&month) => (
            format!("there is no month {month:02}"),
            "months run from 01 to 12: write the date as YYYY-MM-DD".to_string(),
        ),
        Some((year, month, day)) => match Date::new(year, month, 1) {
            Ok(first) => {
                let days = first.days_in_month();
                (
                    format!("{} has {days} days", month_name(year, month)),
                    format!(
                        "write a day from 01 to {days} for {}",
                        month_name(year, month)
                    ),
                )
            }
            Err(_) => (
                format!("there is no day {day:02} in this month"),
                "write a real calendar date as YYYY-MM-DD".to_string(),
            ),
        },
        None => (
            "no such date".to_string(),
            "write a date that exists, as YYYY-MM-DD: months run from 01 to 12, \
             days from 01 to the month's last day (28 to 31)"
                .to_string(),
        ),
    };
    Diagnostic::new(Code::InvalidDate, file, span, message)
        .with_label(label)
        .with_help(help)
}

/// `2026-02-30` as (2026, 2, 30).
fn parts(text: &str) -> Option<(i16, i8, i8)> {
    Some((
        text.get(0..4)?.parse().ok()?,
        text.get(5..7)?.parse().ok()?,
        text.get(8..10)?.parse().ok()?,
    ))
}

fn month_name(year: i16, month: i8) -> String {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let name = usize::try_from(month - 1)
        .ok()
        .and_then(|i| NAMES.get(i))
        .copied()
        .unwrap_or("this month");
    format!("{name} {year}")
}

#[cfg(test)]
mod tests {
    use crate::check::test_util::{AGREEMENT, codes, with_sources};
    use crate::diagnostic::Code;

    fn invalid_dates(text: &str) -> usize {
        codes(text)
            .iter()
            .filter(|c| **c == Code::InvalidDate)
            .count()
    }

    #[test]
    fn every_place_a_date_is_written() {
        let text = "agreement \"A\" { effective 2025-02-30 expires 2028-12-31 }\n\
             party a \"A\"\nparty b \"B\"\n\
             asset x { class foreground owner a created 2026-13-01 }\n\
             grant G { license of x from a to b from 2026-04-31 until 2027-02-29 }\n\
             clause 1 { permit use from 2026-06-31 until 2026-00-10 when until <= 2026-09-31 + 1 year }\n\
             scenario \"s\" { action a use x on 2026-11-31 until 2027-02-29\n expect deny }\n";
        assert_eq!(invalid_dates(text), 9, "{:#?}", codes(text));
    }

    #[test]
    fn leap_days_are_dates() {
        let text = format!(
            "{AGREEMENT}party a \"A\"\nasset x {{ class foreground owner a created 2028-02-29 }}\n"
        );
        assert_eq!(invalid_dates(&text), 0);
    }

    #[test]
    fn nothing_downstream_reports_an_invalid_date_again() {
        let text = "agreement \"A\" { effective 2025-01-01 expires 2028-12-31 }\n\
                    party a \"A\"\nparty b \"B\"\n\
                    asset x { class foreground owner a }\n\
                    grant G { exclusive license of x from a to b from 2027-02-30 until 2026-01-01 }\n\
                    grant H { exclusive license of x from a to b from 2026-01-01 }\n\
                    clause 1 { permit use from 2027-02-30 until 2026-01-01 }\n";
        assert_eq!(codes(text), [Code::InvalidDate, Code::InvalidDate]);
    }

    #[test]
    fn the_message_quotes_the_date_and_the_help_the_days() {
        let diags = with_sources(&format!(
            "{AGREEMENT}party a \"A\"\nasset x {{ class foreground owner a created 2026-02-30 }}\n\
             clause 1 {{ permit use until 2026-13-01 + 1 month }}\n"
        ));
        assert_eq!(diags.len(), 2, "{diags:#?}");
        assert_eq!(diags[0].message, "`2026-02-30` is not a calendar date");
        assert_eq!(
            diags[0].help.as_deref(),
            Some("write a day from 01 to 28 for February 2026")
        );
        assert_eq!(diags[1].message, "`2026-13-01` is not a calendar date");
        assert_eq!(diags[1].label.as_deref(), Some("there is no month 13"));
    }
}
