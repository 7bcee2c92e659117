//! Assets: a class, owners listed once each, and shares above 0% that total 100%.

use std::collections::HashMap;

use super::{Ctx, loc, repeated_line};
use crate::diagnostic::{Code, Diagnostic};
use crate::span::{FileId, Span};
use crate::syntax::ast::{Asset, ItemKind, Share, Spanned, Word};

pub(super) fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for (file, item) in ctx.items() {
        if let ItemKind::Asset(asset) = &item.kind {
            check_asset(ctx, asset, file, out);
        }
    }
}

fn check_asset(ctx: &Ctx, asset: &Asset, file: FileId, out: &mut Vec<Diagnostic>) {
    let owner = || format!("asset `{}`", asset.id.name);
    out.extend(repeated_line("class", owner, file, &asset.class, word_span));
    out.extend(repeated_line(
        "type",
        owner,
        file,
        &asset.asset_type,
        word_span,
    ));
    out.extend(repeated_line("created", owner, file, &asset.created, |d| {
        d.span
    }));
    if asset.class.is_empty() {
        out.push(missing_class(asset, file));
    }
    match asset.owner_lines.as_slice() {
        [] => out.push(missing_owner(asset, file)),
        [line] => check_shares(ctx, asset, line, file, out),
        [first, second, rest @ ..] => {
            // Several owner lines are one mistake: the shares across them
            // are not checked again.
            let mut diag = Diagnostic::new(
                Code::RepeatedLine,
                file,
                second.span,
                format!("{} has more than one `owner`/`owners` line", owner()),
            )
            .with_label("another owner line")
            .with_related(loc(file, first.span), "first owner line here")
            .with_help("list every owner on one line: `owners catl 60%, bmw 40%`");
            for line in rest {
                diag = diag.with_related(loc(file, line.span), "another owner line here");
            }
            out.push(diag);
        }
    }
}

fn word_span<T>(word: &Word<T>) -> Span {
    match word {
        Word::Known(k) => k.span,
        Word::Unknown(id) => id.span,
    }
}

fn missing_class(asset: &Asset, file: FileId) -> Diagnostic {
    Diagnostic::new(
        Code::MissingClass,
        file,
        asset.id.span,
        format!("asset `{}` has no `class`", asset.id.name),
    )
    .with_label("no `class` line")
    .with_help("add `class background`, `class foreground` or `class sideground`")
}

fn missing_owner(asset: &Asset, file: FileId) -> Diagnostic {
    Diagnostic::new(
        Code::MissingOwner,
        file,
        asset.id.span,
        format!("asset `{}` has no owner", asset.id.name),
    )
    .with_label("no `owner` or `owners` line")
    .with_help("add `owner PARTY`, or `owners P 60%, Q 40%` when it is jointly owned")
}

/// One owner line: each owner once, each share in (0%, 100%], and the
/// shares totalling 100%. The total is only checked when every share is
/// valid and every owner is listed once, so one slip is reported once.
fn check_shares(
    ctx: &Ctx,
    asset: &Asset,
    line: &Spanned<Vec<Share>>,
    file: FileId,
    out: &mut Vec<Diagnostic>,
) {
    let before = out.len();
    // Most assets have one or two owners: a map only pays off for long lists.
    let mut seen: HashMap<&str, Span> = HashMap::new();
    for (i, share) in line.value.iter().enumerate() {
        let name = share.owner.name.as_str();
        let first = if line.value.len() <= 8 {
            line.value[..i]
                .iter()
                .find(|s| s.owner.name == name)
                .map(|s| s.owner.span)
        } else {
            let first = seen.get(name).copied();
            seen.entry(name).or_insert(share.owner.span);
            first
        };
        if let Some(first) = first {
            out.push(duplicate_owner(asset, share, first, file));
        }
        if let Some(p) = &share.percent
            && (p.value == 0 || p.value > 10_000)
        {
            out.push(invalid_share(ctx, share, p, file));
        }
    }
    if out.len() > before {
        return;
    }
    let total: u64 = line
        .value
        .iter()
        .map(|s| u64::from(s.percent.as_ref().map_or(10_000, |p| p.value)))
        .sum();
    if total != 10_000 {
        let shown = crate::syntax::ast::percent_text(u32::try_from(total).unwrap_or(u32::MAX));
        let gap = crate::syntax::ast::percent_text(
            u32::try_from(total.abs_diff(10_000)).unwrap_or(u32::MAX),
        );
        let fix = if total < 10_000 {
            format!("{gap} is unassigned")
        } else {
            format!("{gap} over")
        };
        out.push(
            Diagnostic::new(
                Code::SharesTotal,
                file,
                line.span,
                format!("ownership shares total {shown}, not 100%"),
            )
            .with_label(format!("these shares total {shown}"))
            .with_help(format!(
                "change the shares of `{}` so that they add up to 100% ({fix})",
                asset.id.name
            )),
        );
    }
}

fn duplicate_owner(asset: &Asset, share: &Share, first: Span, file: FileId) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateOwner,
        file,
        share.owner.span,
        format!(
            "`{}` is listed twice as an owner of `{}`",
            share.owner.name, asset.id.name
        ),
    )
    .with_label("listed again")
    .with_related(loc(file, first), "first listed here")
    .with_help(format!(
        "list `{}` once, with its whole share",
        share.owner.name
    ))
}

fn invalid_share(
    ctx: &Ctx,
    share: &Share,
    percent: &crate::syntax::ast::Percent,
    file: FileId,
) -> Diagnostic {
    let written = ctx.percent_text(file, percent);
    let (message, label, help) = if percent.value == 0 {
        (
            format!("`{}` has a share of `{written}`", share.owner.name),
            "a share must be above 0%".to_string(),
            format!(
                "remove `{}` from the owners, or give it a share above 0%",
                share.owner.name
            ),
        )
    } else {
        (
            format!(
                "the share of `{}` is `{written}`, over 100%",
                share.owner.name
            ),
            "a share must be at most 100%".to_string(),
            format!(
                "give `{}` its share of the asset, at most 100%, so that the shares total 100%",
                share.owner.name
            ),
        )
    };
    Diagnostic::new(Code::InvalidShare, file, percent.span, message)
        .with_label(label)
        .with_help(help)
}

#[cfg(test)]
mod tests {
    use crate::check::test_util::{AGREEMENT, diagnostics};
    use crate::diagnostic::Code;

    fn check_codes(asset: &str) -> Vec<Code> {
        let text = format!("{AGREEMENT}party a \"A\"\nparty b \"B\"\n{asset}\n");
        diagnostics(&text).iter().map(|d| d.code).collect()
    }

    #[test]
    fn complete_assets_pass() {
        let none = Vec::<Code>::new();
        assert_eq!(check_codes("asset x { class foreground owner a }"), none);
        assert_eq!(
            check_codes("asset x { class foreground owners a 87.5%, b 12.5% }"),
            none
        );
        assert_eq!(
            check_codes("asset x { class foreground owners a 100% }"),
            none
        );
    }

    #[test]
    fn missing_class_and_owner() {
        assert_eq!(check_codes("asset x { owner a }"), [Code::MissingClass]);
        assert_eq!(
            check_codes("asset x { class background }"),
            [Code::MissingOwner]
        );
    }

    #[test]
    fn repeated_lines() {
        assert_eq!(
            check_codes("asset x { class foreground class background owner a }"),
            [Code::RepeatedLine]
        );
        assert_eq!(
            check_codes("asset x { class foreground type patent type data owner a }"),
            [Code::RepeatedLine]
        );
        assert_eq!(
            check_codes(
                "asset x { class foreground owner a created 2026-01-01 created 2026-01-02 }"
            ),
            [Code::RepeatedLine]
        );
        // Two owner lines are one mistake, whatever the shares add up to.
        assert_eq!(
            check_codes("asset x { class foreground owner a owner b }"),
            [Code::RepeatedLine]
        );
    }

    #[test]
    fn shares_are_checked_once() {
        assert_eq!(
            check_codes("asset x { class foreground owners a 60%, a 40% }"),
            [Code::DuplicateOwner]
        );
        assert_eq!(
            check_codes("asset x { class foreground owners a 100%, b 0% }"),
            [Code::InvalidShare]
        );
        assert_eq!(
            check_codes("asset x { class foreground owners a 150%, b 10% }"),
            [Code::InvalidShare]
        );
        let text = format!(
            "{AGREEMENT}party a \"A\"\nparty b \"B\"\n\
             asset x {{ class foreground owners a 60%, b 30% }}\n"
        );
        let diags = diagnostics(&text);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, Code::SharesTotal);
        assert_eq!(diags[0].message, "ownership shares total 90%, not 100%");
        assert_eq!(&text[diags[0].location.span.range()], "owners a 60%, b 30%");
    }

    #[test]
    fn an_unknown_owner_still_counts_its_share() {
        assert_eq!(
            check_codes("asset x { class foreground owners a 60%, zz 30% }"),
            [Code::SharesTotal, Code::UnknownParty]
        );
    }
}
