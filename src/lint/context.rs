//! What every lint reads: the policy, its partition, the syntax of each
//! clause and grant (for spans the model does not keep), and a few
//! results several lints share.

use std::cell::OnceCell;
use std::collections::HashMap;

use jiff::civil::Date;

use crate::decide::Priority;
use crate::decide::logic::Tri;
use crate::names::{Action, ClauseId, ClauseInfo, GrantInfo, Model};
use crate::partition::Regions;
use crate::policy::Policy;
use crate::span::{FileId, Location, Span};
use crate::syntax::ast::{self, ItemKind};
use crate::terms::ClauseKind;

pub(crate) struct LintCtx<'p> {
    pub policy: &'p Policy,
    pub model: &'p Model,
    pub regions: Regions<'p>,
    pub today: Date,
    /// Priority between clauses, for waivers (`notwithstanding` an oblige).
    priority: Priority,
    clauses: HashMap<&'p str, (FileId, &'p ast::Clause)>,
    grants: HashMap<&'p str, (FileId, &'p ast::Grant)>,
    assets: HashMap<&'p str, (FileId, &'p ast::Asset)>,
    contradictions: OnceCell<Vec<Contradiction>>,
}

impl<'p> LintCtx<'p> {
    pub fn new(policy: &'p Policy, today: Date) -> LintCtx<'p> {
        let mut clauses = HashMap::new();
        let mut grants = HashMap::new();
        let mut assets = HashMap::new();
        for (file, tree) in &policy.syntax {
            for item in &tree.items {
                match &item.kind {
                    ItemKind::Clause(c) => {
                        clauses.entry(c.label.name.as_str()).or_insert((*file, c));
                    }
                    ItemKind::Grant(g) => {
                        grants.entry(g.label.name.as_str()).or_insert((*file, g));
                    }
                    ItemKind::Asset(a) => {
                        assets.entry(a.id.name.as_str()).or_insert((*file, a));
                    }
                    _ => {}
                }
            }
        }
        LintCtx {
            policy,
            model: &policy.model,
            regions: Regions::of(&policy.model),
            today,
            priority: Priority::new(&policy.model),
            clauses,
            grants,
            assets,
            contradictions: OnceCell::new(),
        }
    }

    /// Every clause with its id, in source order.
    pub fn clauses(&self) -> impl Iterator<Item = (ClauseId, &'p ClauseInfo)> {
        self.model
            .clauses
            .iter()
            .enumerate()
            .map(|(i, c)| (ClauseId(i as u32), c))
    }

    pub fn clause(&self, id: ClauseId) -> &'p ClauseInfo {
        self.model.clause(id)
    }

    /// The syntax of a clause, by label.
    pub fn clause_syntax(&self, label: &str) -> Option<(FileId, &'p ast::Clause)> {
        self.clauses.get(label).copied()
    }

    pub fn grant_syntax(&self, label: &str) -> Option<(FileId, &'p ast::Grant)> {
        self.grants.get(label).copied()
    }

    /// The syntax of one version of a grant (an amendment may write the
    /// same label again).
    pub fn grant_version_syntax(&self, grant: &GrantInfo) -> Option<(FileId, &'p ast::Grant)> {
        let at = grant.label_location;
        self.policy
            .syntax
            .iter()
            .filter(|(file, _)| *file == at.file)
            .flat_map(|(file, tree)| tree.items.iter().map(move |item| (*file, item)))
            .find_map(|(file, item)| match &item.kind {
                ItemKind::Grant(g) if g.label.span == at.span => Some((file, g)),
                _ => None,
            })
    }

    /// Does `winner` waive `loser`'s duties (`notwithstanding`, directly or
    /// transitively; instrument precedence never waives, §7.6)?
    pub fn waives(&self, winner: ClauseId, loser: ClauseId) -> bool {
        self.priority.waives(winner, loser)
    }

    /// Does the clause prevail over (or waive) any clause at all?
    pub fn prevails_over_any(&self, clause: ClauseId) -> bool {
        self.priority.prevails_over_any(clause)
    }

    /// Does any clause prevail over this one?
    pub fn prevailed_over(&self, clause: ClauseId) -> bool {
        self.priority.prevailed_over(clause)
    }

    /// Can two clause versions be in force on one day? Two versions of
    /// one label never are (an amendment replaces the earlier one).
    pub fn in_force_together(&self, a: ClauseId, b: ClauseId) -> bool {
        let (x, y) = (self.clause(a).in_force, self.clause(b).in_force);
        let starts_before_end = |f: Option<Date>, e: Option<Date>| match (f, e) {
            (Some(f), Some(e)) => f < e,
            _ => true,
        };
        starts_before_end(x.from, y.ends) && starts_before_end(y.from, x.ends)
    }

    pub fn asset_syntax(&self, name: &str) -> Option<(FileId, &'p ast::Asset)> {
        self.assets.get(name).copied()
    }

    /// The source text of a location, without trailing whitespace.
    pub fn text(&self, location: Location) -> &'p str {
        self.policy
            .sources
            .get(location.file)
            .and_then(|f| f.text.get(location.span.range()))
            .unwrap_or("")
            .trim_end()
    }

    /// The location without the trailing whitespace (a line's newline)
    /// the parser's span may include.
    pub fn trim(&self, location: Location) -> Location {
        let start = location.span.start as usize;
        Location {
            file: location.file,
            span: Span::new(start, start + self.text(location).len()),
        }
    }

    /// Where a clause's head line is written, without the whitespace the
    /// parser's span may run on into.
    pub fn head(&self, id: ClauseId) -> Location {
        self.trim(self.clause(id).head)
    }

    /// `clause 9.2`, as messages name a clause.
    pub fn name(&self, id: ClauseId) -> String {
        format!("clause {}", self.clause(id).label)
    }

    /// `clause 1`, `clauses 1 and 2`, `clauses 1, 2 and 3`.
    pub fn names(&self, ids: &[ClauseId]) -> String {
        let labels: Vec<&str> = ids.iter().map(|&c| self.clause(c).label.as_str()).collect();
        match labels.as_slice() {
            [] => String::new(),
            [one] => format!("clause {one}"),
            [rest @ .., last] => format!("clauses {} and {last}", rest.join(", ")),
        }
    }

    /// A witness line for a help text: the action, then what it shows.
    pub fn witness(&self, action: &Action, shows: &str) -> String {
        format!("witness: `{}` {shows}", self.regions.render(action))
    }

    /// Per permit, the forbids with the same scope and no priority
    /// between them (the first few, and how many), in source order,
    /// computed once (contradiction reports them, dead_permit skips those
    /// permits). Never a list per pair: a policy of N copies of a permit
    /// and N of a forbid has N entries of at most
    /// [`CONTRADICTION_NAMES`] forbids each.
    pub fn contradictions(&self) -> &[Contradiction] {
        self.contradictions.get_or_init(|| {
            // The forbids of each scope, and the same split by the days
            // they are in force: a permit no priority touches contradicts
            // every forbid of its scope in force with it, counted per
            // split, so that N permits and N forbids of one scope cost
            // N times the splits, not N².
            let mut groups: HashMap<String, Vec<ClauseId>> = HashMap::new();
            for (id, clause) in self.clauses() {
                if clause.kind == ClauseKind::Forbid {
                    groups.entry(scope_key(clause)).or_default().push(id);
                }
            }
            let splits: HashMap<&str, Vec<InForceSplit>> = groups
                .iter()
                .map(|(key, forbids)| (key.as_str(), self.split_by_in_force(forbids)))
                .collect();
            let mut found = Vec::new();
            for (id, clause) in self.clauses() {
                if clause.kind != ClauseKind::Permit {
                    continue;
                }
                let key = scope_key(clause);
                let (Some(group), Some(splits)) = (groups.get(&key), splits.get(key.as_str()))
                else {
                    continue;
                };
                let mut entry = Contradiction {
                    permit: id,
                    forbids: Vec::new(),
                    count: 0,
                };
                if self.prevails_over_any(id) || self.prevailed_over(id) {
                    for &other in group {
                        if self.in_force_together(id, other)
                            && !self.regions.prevails(id, other)
                            && !self.regions.prevails(other, id)
                        {
                            entry.count += 1;
                            if entry.forbids.len() < CONTRADICTION_NAMES {
                                entry.forbids.push(other);
                            }
                        }
                    }
                } else {
                    for split in splits {
                        if self.in_force_together(id, split.first[0]) {
                            entry.count += split.count;
                            entry.forbids.extend(&split.first);
                        }
                    }
                    entry.forbids.sort_unstable();
                    entry.forbids.truncate(CONTRADICTION_NAMES);
                }
                if entry.count > 0 {
                    found.push(entry);
                }
            }
            found
        })
    }

    /// Forbids (in source order) split by the days they are in force.
    fn split_by_in_force(&self, forbids: &[ClauseId]) -> Vec<InForceSplit> {
        let mut out: Vec<InForceSplit> = Vec::new();
        let mut at: HashMap<crate::names::InForce, usize> = HashMap::new();
        for &f in forbids {
            let index = *at.entry(self.clause(f).in_force).or_insert_with(|| {
                out.push(InForceSplit {
                    count: 0,
                    first: Vec::new(),
                });
                out.len() - 1
            });
            let split = &mut out[index];
            split.count += 1;
            if split.first.len() < CONTRADICTION_NAMES {
                split.first.push(f);
            }
        }
        out
    }

    /// Is the permit one that `contradictions` lists?
    pub fn contradicted(&self, permit: ClauseId) -> bool {
        self.contradictions()
            .binary_search_by_key(&permit, |c| c.permit)
            .is_ok()
    }

    /// The value of a clause on an action.
    pub fn value(&self, id: ClauseId, action: &Action) -> Tri {
        let ctx = crate::decide::eval::Ctx::new(self.model, action);
        ctx.clause(self.clause(id)).tri()
    }
}

/// How many contradicting forbids a finding names (the count says the
/// rest).
pub(crate) const CONTRADICTION_NAMES: usize = 10;

/// Forbids of one scope in force on the same days.
struct InForceSplit {
    count: usize,
    /// The first [`CONTRADICTION_NAMES`], in source order (never empty).
    first: Vec<ClauseId>,
}

/// A permit and the forbids that cover exactly its actions with no
/// priority either way.
#[derive(Debug)]
pub(crate) struct Contradiction {
    pub permit: ClauseId,
    /// The first [`CONTRADICTION_NAMES`] of them, in source order.
    pub forbids: Vec<ClauseId>,
    /// All of them.
    pub count: usize,
}

/// Everything that decides which actions a clause covers, as a string
/// that is equal for two clauses exactly when they are written alike
/// (lines in any order).
fn scope_key(clause: &ClauseInfo) -> String {
    fn sorted<T: std::fmt::Debug>(items: impl IntoIterator<Item = T>) -> Vec<String> {
        let mut v: Vec<String> = items.into_iter().map(|i| format!("{i:?}")).collect();
        v.sort();
        v.dedup();
        v
    }
    let verbs = clause.verbs.as_ref().map(sorted);
    let assets = clause.assets.as_ref().map(sorted);
    format!(
        "{verbs:?}|{assets:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
        sorted(clause.by.iter().map(|l| &l.value)),
        sorted(clause.to.iter().map(|l| &l.value)),
        sorted(clause.field.iter().map(|l| sorted(&l.value))),
        sorted(clause.territory.iter().map(|l| sorted(&l.value))),
        sorted(clause.windows.iter().map(|l| l.value)),
        sorted(clause.conditions.iter().map(|l| &l.value)),
    )
}
