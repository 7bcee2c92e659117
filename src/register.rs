//! The licence register as rights in and rights out (LANGUAGE.md §7.8):
//! per asset, who holds which rights where and when, what is still free to
//! license exclusively on a date, and every overlap an exclusive or sole
//! grant blocks. Behind `ipcheck grants`.

use jiff::civil::Date;
use serde::Serialize;

use crate::names::{AssetId, GrantInfo, Hierarchy, Model, NodeId, PartyId};

/// The register of one asset.
#[derive(Debug, Clone, Serialize)]
pub struct AssetRegister {
    pub asset: String,
    pub title: Option<String>,
    /// Owners with their shares, as written (`60%`).
    pub owners: Vec<(String, String)>,
    pub holders: Vec<Holding>,
    /// The field and territory regions no grant in force covers on the
    /// date asked about: where an exclusive licence can still be given.
    pub free: Vec<FreeRegion>,
    pub blocked: Vec<BlockedOverlap>,
}

/// One grant as a holding.
#[derive(Debug, Clone, Serialize)]
pub struct Holding {
    pub grant: String,
    pub licensee: String,
    pub licensor: String,
    pub exclusivity: &'static str,
    pub rights: Vec<String>,
    pub sublicensable: bool,
    /// Empty: every field (territory).
    pub field: Vec<String>,
    pub territory: Vec<String>,
    pub from: Option<Date>,
    pub until: Option<Date>,
    /// The amendment that wrote this version, if any.
    pub version: Option<String>,
}

/// A field with the territories free there: `field medical`, every
/// territory.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FreeRegion {
    /// `None`: every field.
    pub field: Option<String>,
    /// Empty: every territory.
    pub territories: Vec<String>,
}

/// A grant that overlaps an exclusive or sole grant it does not come from.
#[derive(Debug, Clone, Serialize)]
pub struct BlockedOverlap {
    pub grant: String,
    pub blocked_by: String,
    pub exclusivity: &'static str,
    pub from: Option<Date>,
    pub until: Option<Date>,
}

/// The register of every asset (or one), as of `at` for what is free.
pub fn register(model: &Model, asset: Option<AssetId>, at: Date) -> Vec<AssetRegister> {
    let mut by_asset: Vec<Vec<usize>> = vec![Vec::new(); model.assets.len()];
    for (i, g) in model.grants.iter().enumerate() {
        if let Some(a) = g.asset {
            by_asset[a.index()].push(i);
        }
    }
    model
        .assets
        .iter()
        .enumerate()
        .filter(|(i, _)| asset.is_none_or(|a| a.index() == *i))
        .map(|(i, info)| {
            let grants: Vec<&GrantInfo> = by_asset[i].iter().map(|&g| &model.grants[g]).collect();
            AssetRegister {
                asset: info.name.clone(),
                title: info.title.clone(),
                owners: info
                    .owners
                    .iter()
                    .map(|(p, share)| {
                        (
                            party(model, Some(*p)),
                            crate::syntax::ast::percent_text(*share),
                        )
                    })
                    .collect(),
                holders: grants.iter().map(|g| holding(model, g)).collect(),
                free: free(model, &grants, at),
                blocked: blocked(model, &grants),
            }
        })
        .collect()
}

fn party(model: &Model, p: Option<PartyId>) -> String {
    p.map_or_else(|| "?".to_string(), |p| model.party(p).name.clone())
}

fn holding(model: &Model, g: &GrantInfo) -> Holding {
    let names = |tree: &Hierarchy, nodes: &[NodeId]| -> Vec<String> {
        nodes.iter().map(|n| tree.name(*n).to_string()).collect()
    };
    Holding {
        grant: g.label.clone(),
        licensee: party(model, g.licensee),
        licensor: party(model, g.licensor),
        exclusivity: g.exclusivity.as_str(),
        rights: names(&model.verbs, &g.rights),
        sublicensable: g.sublicensable,
        field: names(&model.fields, &g.field),
        territory: names(&model.territories, &g.territory),
        from: g.from,
        until: g.until,
        version: model.amendment_label(g.version).map(str::to_string),
    }
}

/// In force on `date`, by its period and its version.
fn in_force(g: &GrantInfo, date: Date) -> bool {
    g.in_force.on(date) && g.from.is_none_or(|f| f <= date) && g.until.is_none_or(|u| date <= u)
}

/// The leaves of a tree (or one `None` for an empty tree: every value).
fn leaves(tree: &Hierarchy) -> Vec<Option<NodeId>> {
    let out: Vec<Option<NodeId>> = tree
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.enter == n.exit)
        .map(|(i, _)| Some(NodeId(i as u32)))
        .collect();
    if out.is_empty() { vec![None] } else { out }
}

fn covered(tree: &Hierarchy, granted: &[NodeId], leaf: Option<NodeId>) -> bool {
    match leaf {
        None => true,
        Some(l) => granted.is_empty() || granted.iter().any(|&g| tree.covers(g, l)),
    }
}

/// Free (field leaf, territory leaf) cells on `date`, merged into whole
/// subtrees: each field with the territories free there, fields with the
/// same free territories merged up their tree.
fn free(model: &Model, grants: &[&GrantInfo], date: Date) -> Vec<FreeRegion> {
    // Any licence in force takes its scope out: an exclusive licence
    // cannot be given where another licensee already holds rights.
    let blocking: Vec<&&GrantInfo> = grants.iter().filter(|g| in_force(g, date)).collect();
    let fields = leaves(&model.fields);
    let territories = leaves(&model.territories);
    // For each field leaf, the set of free territory leaves.
    let free_of = |field: Option<NodeId>| -> Vec<Option<NodeId>> {
        territories
            .iter()
            .copied()
            .filter(|&t| {
                !blocking.iter().any(|g| {
                    covered(&model.fields, &g.field, field)
                        && covered(&model.territories, &g.territory, t)
                })
            })
            .collect()
    };
    let per_field: Vec<(Option<NodeId>, Vec<Option<NodeId>>)> =
        fields.iter().map(|&f| (f, free_of(f))).collect();
    let all_fields_same = per_field.windows(2).all(|w| w[0].1 == w[1].1);
    let summarise = |free: &[Option<NodeId>]| -> Vec<String> {
        if free.len() == territories.len() {
            return Vec::new();
        }
        let set: Vec<NodeId> = free.iter().flatten().copied().collect();
        maximal(&model.territories, &set)
    };
    if all_fields_same {
        let free = per_field
            .first()
            .map(|(_, t)| t.clone())
            .unwrap_or_default();
        if free.is_empty() {
            return Vec::new();
        }
        return vec![FreeRegion {
            field: None,
            territories: summarise(&free),
        }];
    }
    // Group field leaves by their free territories, then name each group
    // by the largest subtrees it fills.
    let mut groups: Vec<(Vec<Option<NodeId>>, Vec<NodeId>)> = Vec::new();
    for (field, free) in per_field {
        if free.is_empty() {
            continue;
        }
        let Some(field) = field else { continue };
        match groups.iter_mut().find(|(t, _)| *t == free) {
            Some((_, fs)) => fs.push(field),
            None => groups.push((free, vec![field])),
        }
    }
    let mut out = Vec::new();
    for (free, fields) in groups {
        for f in maximal(&model.fields, &fields) {
            out.push(FreeRegion {
                field: Some(f),
                territories: summarise(&free),
            });
        }
    }
    out
}

/// The largest subtrees whose leaves all lie in `leaves_in`, by name.
fn maximal(tree: &Hierarchy, leaves_in: &[NodeId]) -> Vec<String> {
    let is_leaf = |n: &crate::names::HierarchyNode| n.enter == n.exit;
    let full = |node: usize| -> bool {
        let n = &tree.nodes[node];
        tree.nodes
            .iter()
            .enumerate()
            .filter(|(_, m)| is_leaf(m) && n.enter <= m.enter && m.enter <= n.exit)
            .all(|(i, _)| leaves_in.contains(&NodeId(i as u32)))
    };
    let mut out = Vec::new();
    for (i, node) in tree.nodes.iter().enumerate() {
        let parent_full = node.parent.is_some_and(|p| full(p.index()));
        if full(i) && !parent_full {
            out.push(node.name.clone());
        }
    }
    out
}

/// Grants overlapping an exclusive or sole grant of the same asset, unless
/// granted by that grant's licensee: swept by start date, so that grants
/// far apart in time are never compared.
fn blocked(model: &Model, grants: &[&GrantInfo]) -> Vec<BlockedOverlap> {
    let mut order: Vec<usize> = (0..grants.len()).collect();
    order.sort_by_key(|&i| grants[i].from);
    let mut out = Vec::new();
    for (k, &i) in order.iter().enumerate() {
        for &j in &order[k + 1..] {
            let (a, b) = (grants[i], grants[j]);
            // `b` starts no earlier than `a`; past `a`'s end nothing later overlaps.
            if let (Some(end), Some(start)) = (a.until, b.from)
                && start > end
            {
                break;
            }
            for (x, y) in [(a, b), (b, a)] {
                if x.exclusive()
                    && y.licensor != x.licensee
                    && scopes_overlap(model, x, y)
                    && versions_meet(x, y)
                {
                    out.push(BlockedOverlap {
                        grant: y.label.clone(),
                        blocked_by: x.label.clone(),
                        exclusivity: x.exclusivity.as_str(),
                        from: latest(x.from, y.from),
                        until: earliest(x.until, y.until),
                    });
                }
            }
        }
    }
    out.sort_by(|p, q| (&p.blocked_by, &p.grant).cmp(&(&q.blocked_by, &q.grant)));
    out
}

/// Two versions of the same grant are never in force together.
fn versions_meet(x: &GrantInfo, y: &GrantInfo) -> bool {
    x.label != y.label
}

fn scopes_overlap(model: &Model, x: &GrantInfo, y: &GrantInfo) -> bool {
    let period = x.from.is_none_or(|f| y.until.is_none_or(|u| f <= u))
        && y.from.is_none_or(|f| x.until.is_none_or(|u| f <= u));
    // Nodes overlap when one covers the other; an empty list covers all.
    let nodes = |tree: &Hierarchy, a: &[NodeId], b: &[NodeId]| {
        a.is_empty() || b.is_empty() || a.iter().any(|&m| b.iter().any(|&n| tree.overlaps(m, n)))
    };
    period
        && nodes(&model.fields, &x.field, &y.field)
        && nodes(&model.territories, &x.territory, &y.territory)
}

fn latest(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

fn earliest(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}
