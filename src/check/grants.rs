//! Grants: a licence goes to another party, and no two exclusive grants overlap.

use std::collections::HashMap;

use jiff::civil::Date;

use super::{Ctx, format_period, loc, repeated_line};
use crate::diagnostic::{Code, Diagnostic};
use crate::names::{AssetId, GrantId, GrantInfo, Hierarchy, NodeId};
use crate::span::FileId;
use crate::syntax::ast::{Grant, ItemKind};

pub(super) fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let mut exclusive: HashMap<AssetId, Vec<Period>> = HashMap::new();
    for (file, item) in ctx.items() {
        let ItemKind::Grant(g) = &item.kind else {
            continue;
        };
        let owner = || format!("grant `{}`", g.label.name);
        out.extend(repeated_line("from", owner, file, &g.from, |d| d.span));
        out.extend(repeated_line("until", owner, file, &g.until, |d| d.span));
        let Some(id) = ctx.grant_id(file, g) else {
            continue;
        };
        let info = &ctx.model.grants[id.index()];
        out.extend(self_license(g, info, file));
        if let Some(period) = exclusive_period(ctx, g, id, info) {
            exclusive.entry(period.asset).or_default().push(period);
        }
    }
    // Grants of different assets never overlap: only grants of one asset
    // are compared, and within an asset only those whose periods meet.
    let mut groups: Vec<Vec<Period>> = exclusive.into_values().collect();
    groups.sort_by_key(|g| g.first().map(|p| p.grant));
    for mut group in groups {
        overlaps(ctx, &mut group, out);
    }
}

fn self_license(g: &Grant, info: &GrantInfo, file: FileId) -> Option<Diagnostic> {
    let (licensor, licensee) = (info.licensor?, info.licensee?);
    (licensor == licensee).then(|| {
        Diagnostic::new(
            Code::SelfLicense,
            file,
            g.licensee.span,
            format!(
                "grant `{}` licenses `{}` to itself",
                g.label.name, g.licensee.name
            ),
        )
        .with_label("the licensee is the licensor")
        .with_related(loc(file, g.licensor.span), "the licensor")
        .with_help("a party needs no licence from itself: name the party that receives the licence")
    })
}

/// An exclusive grant whose scope can be compared: its asset, field and
/// territory resolved and its dates valid and in order (anything else is
/// reported elsewhere, and comparing it would report it again).
struct Period {
    grant: GrantId,
    asset: AssetId,
    /// `None`: no lower bound (no `from` and no agreement start).
    start: Option<Date>,
    /// `None`: open-ended.
    end: Option<Date>,
    /// The pre-order intervals of its fields and territories (empty: all),
    /// so that the pairwise test is a few integer comparisons.
    fields: Vec<(u32, u32)>,
    territories: Vec<(u32, u32)>,
}

impl Period {
    fn scope_meets(&self, other: &Period) -> bool {
        intervals_meet(&self.fields, &other.fields)
            && intervals_meet(&self.territories, &other.territories)
    }
}

/// Pre-order intervals of a tree are nested or disjoint, so two nodes
/// overlap exactly when their intervals intersect.
fn intervals_meet(a: &[(u32, u32)], b: &[(u32, u32)]) -> bool {
    a.is_empty() || b.is_empty() || a.iter().any(|x| b.iter().any(|y| x.0 <= y.1 && y.0 <= x.1))
}

fn intervals(tree: &Hierarchy, nodes: &[NodeId]) -> Vec<(u32, u32)> {
    nodes
        .iter()
        .filter_map(|n| tree.nodes.get(n.index()).map(|n| (n.enter, n.exit)))
        .collect()
}

fn exclusive_period(ctx: &Ctx, g: &Grant, id: GrantId, info: &GrantInfo) -> Option<Period> {
    let dates_valid = g.from.iter().chain(&g.until).all(|d| d.value.is_some());
    let names_valid =
        info.field.len() == g.field.len() && info.territory.len() == g.territory.len();
    if !info.exclusive() || !dates_valid || !names_valid {
        return None;
    }
    let start = info
        .from
        .or_else(|| ctx.model.agreement.as_ref().and_then(|a| a.effective));
    if let (Some(s), Some(e)) = (info.from, info.until)
        && e < s
    {
        return None;
    }
    Some(Period {
        grant: id,
        asset: info.asset?,
        start,
        end: info.until,
        fields: intervals(&ctx.model.fields, &info.field),
        territories: intervals(&ctx.model.territories, &info.territory),
    })
}

/// Every overlapping pair of one asset's exclusive grants: a sweep in order
/// of start date that compares each grant only with the grants still
/// running when it starts.
fn overlaps(ctx: &Ctx, group: &mut [Period], out: &mut Vec<Diagnostic>) {
    group.sort_by_key(|p| (p.start, p.grant));
    let mut running: Vec<&Period> = Vec::new();
    for period in group.iter() {
        if let Some(start) = period.start {
            running.retain(|r| r.end.is_none_or(|end| end >= start));
        }
        for earlier in &running {
            if earlier.scope_meets(period)
                && let Some(diag) = overlap(ctx, earlier, period)
            {
                out.push(diag);
            }
        }
        running.push(period);
    }
}

/// The diagnostic for two exclusive grants of one asset whose periods
/// meet, if their fields and territories overlap too.
fn overlap(ctx: &Ctx, a: &Period, b: &Period) -> Option<Diagnostic> {
    let model = ctx.model;
    let (first, second) = if a.grant < b.grant { (a, b) } else { (b, a) };
    let (g1, g2) = (
        &model.grants[first.grant.index()],
        &model.grants[second.grant.index()],
    );
    let fields = common(&model.fields, &g1.field, &g2.field)?;
    let territories = common(&model.territories, &g1.territory, &g2.territory)?;
    let start = first.start.max(second.start);
    let end = match (first.end, second.end) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    let scope = format!(
        "{}, {}, {}",
        describe(&model.fields, &fields, "field", "fields", "every field"),
        describe(
            &model.territories,
            &territories,
            "territory",
            "territories",
            "every territory"
        ),
        format_period(start, end)
    );
    let asset = &model.asset(first.asset).name;
    Some(
        Diagnostic::new(
            Code::ExclusiveOverlap,
            g2.label_location.file,
            g2.label_location.span,
            format!(
                "exclusive grants `{}` and `{}` of `{asset}` overlap",
                g1.label, g2.label
            ),
        )
        .with_label(format!("both exclusive in {scope}"))
        .with_related(
            g1.label_location,
            format!("`{}` is already exclusive there", g1.label),
        )
        .with_help(
            "only one exclusive licence can cover a field, territory and day; narrow the \
             field, territory or period of one grant, or make one of them `non_exclusive`",
        ),
    )
}

/// The nodes two scopes share (empty: every node), or `None` when they are
/// disjoint. An empty scope covers everything.
fn common(tree: &Hierarchy, a: &[NodeId], b: &[NodeId]) -> Option<Vec<NodeId>> {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => Some(b.to_vec()),
        (_, true) => Some(a.to_vec()),
        _ => {
            let mut shared = Vec::new();
            for &x in a {
                for &y in b {
                    let narrower = if tree.covers(x, y) {
                        y
                    } else if tree.covers(y, x) {
                        x
                    } else {
                        continue;
                    };
                    if !shared.contains(&narrower) {
                        shared.push(narrower);
                    }
                }
            }
            (!shared.is_empty()).then_some(shared)
        }
    }
}

fn describe(tree: &Hierarchy, nodes: &[NodeId], one: &str, many: &str, every: &str) -> String {
    let names: Vec<String> = nodes
        .iter()
        .map(|n| format!("`{}`", tree.name(*n)))
        .collect();
    match names.len() {
        0 => every.to_string(),
        1 => format!("{one} {}", names[0]),
        _ => format!("{many} {}", names.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use crate::check::test_util::{AGREEMENT, codes, diagnostics};
    use crate::diagnostic::Code;

    const DECLS: &str = "party a \"A\"\nparty b \"B\"\nparty c \"C\"\n\
                         fields { batteries { ev, stationary }, recycling }\n\
                         territories { europe { eu, uk }, asia }\n\
                         asset x { class foreground owner a }\nasset y { class foreground owner a }\n";

    fn overlaps(grants: &str) -> usize {
        codes(&format!("{AGREEMENT}{DECLS}{grants}"))
            .iter()
            .inspect(|c| assert!(c.family() == crate::diagnostic::Family::Check, "{c}"))
            .filter(|c| **c == Code::ExclusiveOverlap)
            .count()
    }

    #[test]
    fn a_party_licensing_itself() {
        assert_eq!(
            codes(&format!(
                "{AGREEMENT}{DECLS}grant G {{ license of x from a to a }}\n"
            )),
            [Code::SelfLicense]
        );
    }

    #[test]
    fn exclusive_grants_overlap_on_field_territory_and_period() {
        let g = |label: &str, asset: &str, to: &str, rest: &str| {
            format!("grant {label} {{ exclusive license of {asset} from a to {to} {rest} }}\n")
        };
        // Same everything.
        assert_eq!(
            overlaps(&(g("G1", "x", "b", "") + &g("G2", "x", "c", ""))),
            1
        );
        // Another asset, field, territory or period: no overlap.
        assert_eq!(
            overlaps(&(g("G1", "x", "b", "") + &g("G2", "y", "c", ""))),
            0
        );
        assert_eq!(
            overlaps(&(g("G1", "x", "b", "field ev") + &g("G2", "x", "c", "field stationary"))),
            0
        );
        assert_eq!(
            overlaps(&(g("G1", "x", "b", "territory eu") + &g("G2", "x", "c", "territory asia"))),
            0
        );
        assert_eq!(
            overlaps(
                &(g("G1", "x", "b", "until 2026-12-31") + &g("G2", "x", "c", "from 2027-01-01"))
            ),
            0
        );
        // A node overlaps its ancestors; bounds are inclusive.
        assert_eq!(
            overlaps(
                &(g("G1", "x", "b", "field batteries territory eu")
                    + &g("G2", "x", "c", "field ev"))
            ),
            1
        );
        assert_eq!(
            overlaps(
                &(g("G1", "x", "b", "until 2026-12-31") + &g("G2", "x", "c", "from 2026-12-31"))
            ),
            1
        );
        // A grant without `from` starts with the agreement.
        assert_eq!(
            overlaps(&(g("G1", "x", "b", "until 2024-12-31") + &g("G2", "x", "c", ""))),
            0
        );
        // Non-exclusive grants may overlap.
        assert_eq!(
            overlaps(&(g("G1", "x", "b", "") + "grant G2 { license of x from a to c }\n")),
            0
        );
        // Three overlapping grants are three pairs.
        assert_eq!(
            overlaps(&(g("G1", "x", "b", "") + &g("G2", "x", "c", "") + &g("G3", "x", "b", ""))),
            3
        );
    }

    #[test]
    fn the_later_grant_is_primary() {
        let text = format!(
            "{AGREEMENT}{DECLS}grant G1 {{ exclusive license of x from a to b from 2027-01-01 field ev }}\n\
             grant G2 {{ exclusive license of x from a to c until 2027-06-30 territory eu }}\n"
        );
        let diags = diagnostics(&text);
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert_eq!(&text[diags[0].location.span.range()], "G2");
        assert_eq!(&text[diags[0].related[0].location.span.range()], "G1");
        assert_eq!(
            diags[0].label.as_deref(),
            Some("both exclusive in field `ev`, territory `eu`, from 2027-01-01 to 2027-06-30")
        );
    }

    #[test]
    fn grants_with_errors_are_not_compared() {
        let text = format!(
            "{AGREEMENT}{DECLS}grant G1 {{ exclusive license of x from a to b }}\n\
             grant G2 {{ exclusive license of x from a to c field evv }}\n\
             grant G3 {{ exclusive license of x from a to c from 2026-02-30 }}\n\
             grant G4 {{ exclusive license of x from a to c from 2027-01-01 until 2026-01-01 }}\n"
        );
        assert_eq!(
            codes(&text),
            [
                Code::UnknownField,
                Code::InvalidDate,
                Code::GrantUntilBeforeFrom
            ]
        );
    }

    #[test]
    fn grants_are_compared_per_asset() {
        let mut text = format!("{AGREEMENT}party a \"A\"\nparty b \"B\"\n");
        for i in 0..1_000 {
            text.push_str(&format!(
                "asset x{i} {{ class foreground owner a }}\n\
                 grant G{i} {{ exclusive license of x{i} from a to b from 2026-01-01 }}\n\
                 grant H{i} {{ exclusive license of x{i} from a to b until 2025-12-31 }}\n"
            ));
        }
        text.push_str("grant K { exclusive license of x500 from a to b from 2027-01-01 }\n");
        let diags = diagnostics(&text);
        assert_eq!(diags.len(), 1);
        assert_eq!(
            diags[0].message,
            "exclusive grants `G500` and `K` of `x500` overlap"
        );
    }
}
