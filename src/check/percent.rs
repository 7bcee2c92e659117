//! Percentages outside shares: royalties and payments are at most 100%.

use super::Ctx;
use crate::diagnostic::{Code, Diagnostic};
use crate::span::FileId;
use crate::syntax::ast::{DutyKind, Expr, ExprKind, ItemKind, LineKind, Percent};

/// 100% in hundredths of a percent.
const FULL: u32 = 10_000;

pub(super) fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let mut stack = Vec::new();
    for (file, item) in ctx.items() {
        match &item.kind {
            ItemKind::Clause(c) => {
                for line in &c.lines {
                    match &line.kind {
                        LineKind::When(e) | LineKind::Unless(e) => {
                            royalties(e, &mut stack, &mut |p| {
                                out.push(over_100(ctx, file, p, "a royalty"));
                            });
                        }
                        LineKind::Duty(d) => {
                            if let DutyKind::Pay(p, _) = &d.kind
                                && p.value > FULL
                            {
                                out.push(over_100(ctx, file, p, "a share of income"));
                            }
                        }
                        _ => {}
                    }
                }
            }
            ItemKind::Scenario(s) => {
                if let Some(p) = &s.action.royalty
                    && p.value > FULL
                {
                    out.push(over_100(ctx, file, p, "a royalty"));
                }
            }
            _ => {}
        }
    }
}

/// Calls `found` on every royalty over 100% compared in a condition.
fn royalties<'e>(e: &'e Expr, stack: &mut Vec<&'e Expr>, found: &mut impl FnMut(&Percent)) {
    stack.clear();
    stack.push(e);
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Or(parts) | ExprKind::And(parts) => stack.extend(parts.iter().rev()),
            ExprKind::Not(inner) => stack.push(inner),
            ExprKind::Royalty(_, p) if p.value > FULL => found(p),
            _ => {}
        }
    }
}

fn over_100(ctx: &Ctx, file: FileId, p: &Percent, what: &str) -> Diagnostic {
    let written = ctx.percent_text(file, p);
    Diagnostic::new(
        Code::PercentOutOfRange,
        file,
        p.span,
        format!("`{written}` is over 100%"),
    )
    .with_label(format!("{what} is at most 100%"))
    .with_help("write a percentage from 0% to 100%")
}

#[cfg(test)]
mod tests {
    use crate::check::test_util::{AGREEMENT, codes};
    use crate::diagnostic::Code;

    fn count(text: &str) -> usize {
        let text =
            format!("{AGREEMENT}party a \"A\"\nasset x {{ class foreground owner a }}\n{text}");
        codes(&text)
            .iter()
            .filter(|c| **c == Code::PercentOutOfRange)
            .count()
    }

    #[test]
    fn royalties_and_payments() {
        assert_eq!(count("clause 1 { permit license when royalty >= 100% }"), 0);
        assert_eq!(count("clause 1 { permit license when royalty >= 150% }"), 1);
        assert_eq!(
            count("clause 1 { permit license when exclusive or not (royalty < 100.5%) }"),
            1
        );
        assert_eq!(
            count("clause 1 { permit license unless royalty > 200% duty pay 120% of income to a }"),
            2
        );
        assert_eq!(
            count(
                "scenario \"s\" { action a license x to b on 2026-01-01 royalty 101%\n expect deny }"
            ),
            1
        );
        assert_eq!(
            count(
                "scenario \"s\" { action a license x to b on 2026-01-01 royalty 99999999999999%\n expect deny }"
            ),
            1
        );
    }
}
