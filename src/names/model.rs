//! The resolved policy: every name bound to its declaration, every clause
//! compiled to ids, dates and ranges the decision engine can use directly.

use jiff::civil::Date;
use serde::Serialize;

use crate::span::Location;
use crate::syntax::ast::{AssetClass, AssetType, Duration, Exclusivity, Money};
use crate::terms::{ClauseKind, Cmp, Decision};

macro_rules! id_type {
    ($($name:ident),*) => {$(
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub struct $name(pub u32);
        impl $name {
            pub fn index(self) -> usize { self.0 as usize }
        }
    )*};
}
id_type!(
    PartyId,
    GroupId,
    AssetId,
    NodeId,
    ClauseId,
    GrantId,
    FactId,
    EventId,
    InstrumentId,
    AmendmentId
);

/// Names to what they declare: hashed with FNV, which is faster than
/// SipHash on short keys (the policy is the caller's own input).
pub type NameMap<V> = fnv::FnvHashMap<String, V>;

/// The whole policy after name resolution.
#[derive(Debug, Default)]
pub struct Model {
    pub agreement: Option<AgreementInfo>,
    pub parties: Vec<PartyInfo>,
    pub groups: Vec<GroupInfo>,
    /// Party and group names share one namespace.
    pub names: NameMap<NameRef>,
    pub fields: Hierarchy,
    pub territories: Hierarchy,
    pub verbs: Hierarchy,
    pub assets: Vec<AssetInfo>,
    pub asset_ids: NameMap<AssetId>,
    pub grants: Vec<GrantInfo>,
    pub clauses: Vec<ClauseInfo>,
    /// Clause and grant labels share one namespace.
    pub labels: NameMap<LabelRef>,
    pub scenarios: Vec<ScenarioInfo>,
    /// Declared facts (§7.1), their own namespace.
    pub facts: Vec<DeclaredInfo>,
    pub fact_ids: NameMap<FactId>,
    /// Declared events (§7.4), their own namespace.
    pub events: Vec<DeclaredInfo>,
    pub event_ids: NameMap<EventId>,
    pub instruments: Vec<InstrumentInfo>,
    pub instrument_ids: NameMap<InstrumentId>,
    pub amendments: Vec<AmendmentInfo>,
}

/// A fact or an event: its id and what it means.
#[derive(Debug, Clone)]
pub struct DeclaredInfo {
    pub name: String,
    pub description: String,
    pub doc: Option<String>,
    pub location: Location,
    pub name_location: Location,
}

/// One document of the policy (§7.9).
#[derive(Debug, Clone)]
pub struct InstrumentInfo {
    pub name: String,
    pub title: String,
    /// The instruments it prevails over directly.
    pub prevails_over: Vec<InstrumentId>,
    pub doc: Option<String>,
    pub location: Location,
    pub name_location: Location,
}

/// An amendment (§7.9): its file's clauses and grants apply from `effective`.
#[derive(Debug, Clone)]
pub struct AmendmentInfo {
    pub label: String,
    pub title: String,
    pub effective: Option<Date>,
    pub removes: Vec<Located<String>>,
    pub location: Location,
    pub label_location: Location,
}

/// The days a clause or grant version is in force: from `from` (inclusive)
/// up to the day before `ends` (exclusive); `None` is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct InForce {
    pub from: Option<Date>,
    pub ends: Option<Date>,
}

impl InForce {
    pub fn on(&self, date: Date) -> bool {
        self.from.is_none_or(|f| f <= date) && self.ends.is_none_or(|e| date < e)
    }
    pub fn always(&self) -> bool {
        self.from.is_none() && self.ends.is_none()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum NameRef {
    Party(PartyId),
    Group(GroupId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum LabelRef {
    Clause(ClauseId),
    Grant(GrantId),
}

#[derive(Debug, Clone)]
pub struct AgreementInfo {
    pub title: String,
    pub effective: Option<Date>,
    /// `None` when open-ended (or not yet known because of an error).
    pub expires: Option<Date>,
    pub open_ended: bool,
    /// `third_parties include affiliates`.
    pub include_affiliates: bool,
    pub location: Location,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyRole {
    Signatory,
    Affiliate(PartyId),
    ThirdParty,
}

#[derive(Debug, Clone)]
pub struct PartyInfo {
    pub name: String,
    pub legal_name: String,
    pub role: PartyRole,
    /// A signatory's membership: from `joined` to the day before `left`.
    pub joined: Option<Date>,
    pub left: Option<Date>,
    pub defaulting: bool,
    /// The days an affiliation holds (inclusive).
    pub affiliation: Window,
    pub doc: Option<String>,
    pub location: Location,
    /// Where its name is written in the declaration.
    pub name_location: Location,
}

impl PartyInfo {
    /// Is it a signatory that is a member on `date`?
    pub fn member_on(&self, date: Date) -> bool {
        self.role == PartyRole::Signatory
            && self.joined.is_none_or(|j| j <= date)
            && self.left.is_none_or(|l| date < l)
    }
    /// Is it a signatory that left on or before `date`?
    pub fn former_on(&self, date: Date) -> bool {
        self.role == PartyRole::Signatory && self.left.is_some_and(|l| l <= date)
    }
    /// The party it is an affiliate of on `date`.
    pub fn affiliate_of_on(&self, date: Date) -> Option<PartyId> {
        match self.role {
            PartyRole::Affiliate(parent) if self.affiliation.contains(date) => Some(parent),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct GroupInfo {
    pub name: String,
    /// The parties and groups its declaration lists, in order (empty for
    /// a group on or behind a cycle, which has no members).
    pub direct: Vec<NameRef>,
    /// Every party in the group, nested groups included, as a set over
    /// party ids (`has` in constant time). Kept as bits, never as a
    /// flattened list: nested groups would make that list quadratic.
    pub member_bits: Vec<u64>,
    /// How many parties are members.
    pub size: usize,
    /// Its place in an order where every group comes after the groups it
    /// lists (`u32::MAX` on a cycle): walking ranks downwards visits a
    /// group before the groups nested in it.
    pub rank: u32,
    pub doc: Option<String>,
    pub location: Location,
    /// Where its name is written in the declaration.
    pub name_location: Location,
}

impl GroupInfo {
    /// Is the party a member (directly or through a nested group)?
    pub fn has(&self, party: PartyId) -> bool {
        let i = party.index();
        self.member_bits
            .get(i / 64)
            .is_some_and(|w| w & (1u64 << (i % 64)) != 0)
    }

    /// The members in increasing id order.
    pub fn members(&self) -> impl Iterator<Item = PartyId> + '_ {
        bit_members(&self.member_bits)
    }
}

/// The parties of a set of party-id bits, in increasing order.
pub fn bit_members(bits: &[u64]) -> impl Iterator<Item = PartyId> + '_ {
    bits.iter().enumerate().flat_map(|(w, &word)| {
        let mut rest = word;
        std::iter::from_fn(move || {
            if rest == 0 {
                return None;
            }
            let bit = rest.trailing_zeros();
            rest &= rest - 1;
            Some(PartyId((w * 64) as u32 + bit))
        })
    })
}

/// A tree of fields, territories or verbs. Node `a` covers `b` when `b`
/// lies in `a`'s pre-order interval.
#[derive(Debug, Default, Clone)]
pub struct Hierarchy {
    pub nodes: Vec<HierarchyNode>,
    pub ids: NameMap<NodeId>,
}

#[derive(Debug, Clone)]
pub struct HierarchyNode {
    pub name: String,
    pub parent: Option<NodeId>,
    /// Pre-order number and the largest pre-order number below it.
    pub enter: u32,
    pub exit: u32,
    /// `None` for built-in verbs.
    pub location: Option<Location>,
}

impl Hierarchy {
    pub fn get(&self, name: &str) -> Option<NodeId> {
        self.ids.get(name).copied()
    }
    pub fn name(&self, id: NodeId) -> &str {
        self.nodes.get(id.index()).map_or("?", |n| n.name.as_str())
    }
    /// Does `outer` cover `inner` (itself or an ancestor of it)?
    pub fn covers(&self, outer: NodeId, inner: NodeId) -> bool {
        match (self.nodes.get(outer.index()), self.nodes.get(inner.index())) {
            (Some(o), Some(i)) => o.enter <= i.enter && i.enter <= o.exit,
            _ => false,
        }
    }
    /// Do the two nodes share any descendant (one covers the other)?
    pub fn overlaps(&self, a: NodeId, b: NodeId) -> bool {
        self.covers(a, b) || self.covers(b, a)
    }
    /// Numbers nodes in pre-order; call after adding every node.
    pub fn number(&mut self) {
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); self.nodes.len()];
        let mut roots = Vec::new();
        for (i, node) in self.nodes.iter().enumerate() {
            match node.parent {
                Some(p) => children[p.index()].push(i),
                None => roots.push(i),
            }
        }
        let mut counter = 0u32;
        // Iterative DFS: a deep tree must not exhaust the stack.
        let mut stack: Vec<(usize, bool)> = roots.into_iter().rev().map(|r| (r, false)).collect();
        while let Some((node, done)) = stack.pop() {
            if done {
                self.nodes[node].exit = counter.saturating_sub(1);
                continue;
            }
            self.nodes[node].enter = counter;
            counter += 1;
            stack.push((node, true));
            stack.extend(children[node].iter().rev().map(|&c| (c, false)));
        }
    }
}

#[derive(Debug, Clone)]
pub struct AssetInfo {
    pub name: String,
    pub title: Option<String>,
    pub class: Option<AssetClass>,
    pub asset_type: Option<AssetType>,
    /// Owners with shares in hundredths of a percent.
    pub owners: Vec<(PartyId, u32)>,
    pub tags: Vec<String>,
    pub created: Option<Date>,
    pub doc: Option<String>,
    pub location: Location,
    /// Where its name is written in the declaration.
    pub name_location: Location,
}

impl AssetInfo {
    pub fn is_owner(&self, party: PartyId) -> bool {
        self.owners.iter().any(|(p, _)| *p == party)
    }
    /// A party's ownership share of the asset, in hundredths of a percent;
    /// `None` for a party that owns none of it.
    pub fn share_of(&self, party: &PartyRef) -> Option<u32> {
        let PartyRef::Known(id) = party else {
            return None;
        };
        self.owners
            .iter()
            .find(|(owner, _)| owner == id)
            .map(|(_, s)| *s)
    }
    pub fn jointly_owned(&self) -> bool {
        self.owners.len() > 1
    }
}

#[derive(Debug, Clone)]
pub struct GrantInfo {
    pub label: String,
    pub exclusivity: Exclusivity,
    /// The verbs licensed (`rights`); `exploit` when not written.
    pub rights: Vec<NodeId>,
    pub sublicensable: bool,
    pub asset: Option<AssetId>,
    pub licensor: Option<PartyId>,
    pub licensee: Option<PartyId>,
    /// Empty: every field (or territory).
    pub field: Vec<NodeId>,
    pub territory: Vec<NodeId>,
    pub from: Option<Date>,
    /// `None`: open-ended.
    pub until: Option<Date>,
    /// The days this version of the grant is in force (amendments).
    pub in_force: InForce,
    /// The amendment that wrote this version, if any.
    pub version: Option<AmendmentId>,
    pub instrument: Option<InstrumentId>,
    /// Its place in source order (an amended grant keeps the original's).
    pub order: u32,
    pub doc: Option<String>,
    pub location: Location,
    pub label_location: Location,
}

impl GrantInfo {
    pub fn exclusive(&self) -> bool {
        self.exclusivity.blocks()
    }
}

/// A value with the source place it came from.
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub value: T,
    pub location: Location,
}

#[derive(Debug, Clone, Default)]
pub struct ClauseInfo {
    pub label: String,
    pub title: Option<String>,
    pub doc: Option<String>,
    pub kind: ClauseKind,
    /// `None`: any verb.
    pub verbs: Option<Vec<NodeId>>,
    /// `None`: any asset.
    pub assets: Option<Vec<AssetSelector>>,
    pub head: Location,
    pub by: Vec<Located<PartySet>>,
    pub to: Vec<Located<PartySet>>,
    pub field: Vec<Located<Vec<NodeId>>>,
    pub territory: Vec<Located<Vec<NodeId>>>,
    /// Each time line is an inclusive window on the action's date.
    pub windows: Vec<Located<Window>>,
    /// `when` lines as written, `unless` lines negated.
    pub conditions: Vec<Located<Cond>>,
    pub duties: Vec<Located<Duty>>,
    /// Clauses this one names in `notwithstanding`.
    pub notwithstanding: Vec<Located<ClauseId>>,
    /// Time lines over events or `created`: conditions on the action's
    /// date, reported as time lines (after `windows` in line order).
    pub moving_windows: Vec<Located<Cond>>,
    pub instrument: Option<InstrumentId>,
    /// The days this version is in force (amendments).
    pub in_force: InForce,
    /// The amendment that wrote this version, if any.
    pub version: Option<AmendmentId>,
    /// Its place in source order: the first version's id (an amended
    /// clause keeps the place of the clause it amends).
    pub order: u32,
    pub location: Location,
    pub label_location: Location,
}

/// An inclusive date window; a missing bound is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Window {
    pub from: Option<Date>,
    pub until: Option<Date>,
}

impl Window {
    pub fn contains(&self, date: Date) -> bool {
        self.from.is_none_or(|f| f <= date) && self.until.is_none_or(|u| date <= u)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssetSelector {
    Asset(AssetId),
    Filter(AssetFilter),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssetFilter {
    pub class: Option<AssetClass>,
    pub asset_type: Option<AssetType>,
    pub jointly_owned: Option<bool>,
    pub tag: Option<String>,
}

impl AssetFilter {
    pub fn matches(&self, asset: &AssetInfo) -> bool {
        self.class.is_none_or(|c| asset.class == Some(c))
            && self.asset_type.is_none_or(|t| asset.asset_type == Some(t))
            && self
                .jointly_owned
                .is_none_or(|j| asset.jointly_owned() == j)
            && self
                .tag
                .as_ref()
                .is_none_or(|t| asset.tags.iter().any(|x| x == t))
    }
}

/// A set of parties, relative to an action (owners, co-owners).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PartySet {
    pub include: Vec<PartySelector>,
    pub except: Vec<PartySelector>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartySelector {
    Party(PartyId),
    Group(GroupId),
    Anyone,
    /// `parties`: the signatories.
    Signatories,
    /// Declared third parties and undeclared names.
    ThirdParties,
    Owners,
    CoOwners,
    /// Signatories that left on or before the action's date.
    FormerParties,
    /// Former parties that left `defaulting`.
    DefaultingParties,
    AffiliatesOf(Box<PartySelector>),
}

/// Where a point in time starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Date(Date),
    /// The action's asset's `created` date.
    Created,
    Event(EventId),
    /// The action's own date.
    ActionDate,
    /// The action's `until` (open-ended: later than any date).
    ActionUntil,
}

/// A point in time relative to the action: an anchor plus offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeExpr {
    pub anchor: Anchor,
    /// Each offset with `true` for a subtraction.
    pub offsets: Vec<(bool, Duration)>,
}

/// A condition, evaluated in three-valued logic.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    And(Vec<Cond>),
    Or(Vec<Cond>),
    Not(Box<Cond>),
    Bool(bool),
    Exclusive,
    Sublicensable,
    Royalty(Cmp, u32),
    Until(Cmp, Date),
    FieldIn(NodeId),
    TerritoryIn(NodeId),
    ToIn(PartySet),
    ConsentOf {
        any: bool,
        parties: PartySet,
    },
    ObjectionOf {
        parties: PartySet,
        after_notice: Option<Duration>,
        before: Option<Duration>,
    },
    NoticeTo(PartySet, Cmp, Duration),
    Fact(FactId),
    /// Two points in time compared: `request <= expires + 12 months`.
    TimeCmp(TimeExpr, Cmp, TimeExpr),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Duty {
    /// Precondition: notice of at least the duration to each party.
    Notify(PartySet, Duration),
    /// Precondition: each party consented.
    ObtainConsent(PartySet),
    /// Obligation: a share of income, in hundredths of a percent.
    Pay(u32, PartySet),
    Compensate(PartySet),
    /// Obligation: each party's ownership share of the income.
    Share(PartySet),
    Text(String),
}

/// A party named in an action: declared, or an outsider by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(untagged)]
pub enum PartyRef {
    Known(PartyId),
    Outsider(String),
}

/// A proposed action with every name resolved. `None` means unknown.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub actor: PartyId,
    pub verb: NodeId,
    pub asset: AssetId,
    pub to: Option<PartyRef>,
    pub field: Option<NodeId>,
    pub territory: Option<NodeId>,
    pub date: Date,
    pub until: Option<Date>,
    pub exclusive: Option<bool>,
    pub sublicensable: Option<bool>,
    pub royalty: Option<u32>,
    /// The day each party received notice; a party not listed has
    /// unknown notice.
    pub notice: Vec<(PartyRef, Date)>,
    /// `None`: unknown; `Some`: exactly these consented (and the pending
    /// ones have not answered yet).
    pub consents: Option<Vec<PartyRef>>,
    pub consents_pending: Vec<PartyRef>,
    /// Each objection with its day, when stated.
    pub objections: Option<Vec<(PartyRef, Option<Date>)>>,
    pub objections_pending: Vec<PartyRef>,
    /// Facts stated; any other is unknown.
    pub facts: Vec<(FactId, bool)>,
    /// Event days stated; any other is unknown.
    pub events: Vec<(EventId, Date)>,
    pub income: Option<Money>,
}

impl Action {
    /// A bare action: every optional attribute unknown.
    pub fn new(actor: PartyId, verb: NodeId, asset: AssetId, date: Date) -> Action {
        Action {
            actor,
            verb,
            asset,
            to: None,
            field: None,
            territory: None,
            date,
            until: None,
            exclusive: None,
            sublicensable: None,
            royalty: None,
            notice: Vec::new(),
            consents: None,
            consents_pending: Vec::new(),
            objections: None,
            objections_pending: Vec::new(),
            facts: Vec::new(),
            events: Vec::new(),
            income: None,
        }
    }
    pub fn fact(&self, fact: FactId) -> Option<bool> {
        self.facts.iter().find(|(f, _)| *f == fact).map(|(_, v)| *v)
    }
    pub fn event(&self, event: EventId) -> Option<Date> {
        self.events
            .iter()
            .find(|(e, _)| *e == event)
            .map(|(_, d)| *d)
    }
}

#[derive(Debug, Clone)]
pub struct ScenarioInfo {
    pub title: String,
    /// `None` when the action could not be resolved (reported).
    pub action: Option<Action>,
    pub expect: Decision,
    pub expect_by: Option<String>,
    /// `owes` lines: duties the decision must carry.
    pub owes: Vec<Located<Duty>>,
    pub location: Location,
    pub action_location: Location,
    pub expect_location: Location,
}

impl Model {
    pub fn party(&self, id: PartyId) -> &PartyInfo {
        &self.parties[id.index()]
    }
    pub fn asset(&self, id: AssetId) -> &AssetInfo {
        &self.assets[id.index()]
    }
    pub fn clause(&self, id: ClauseId) -> &ClauseInfo {
        &self.clauses[id.index()]
    }
    pub fn party_id(&self, name: &str) -> Option<PartyId> {
        match self.names.get(name) {
            Some(NameRef::Party(p)) => Some(*p),
            _ => None,
        }
    }
    /// The display name of a party reference.
    pub fn party_name<'a>(&'a self, party: &'a PartyRef) -> &'a str {
        match party {
            PartyRef::Known(id) => &self.party(*id).name,
            PartyRef::Outsider(name) => name,
        }
    }
    pub fn grant(&self, id: GrantId) -> &GrantInfo {
        &self.grants[id.index()]
    }
    pub fn fact_id(&self, name: &str) -> Option<FactId> {
        self.fact_ids.get(name).copied()
    }
    pub fn event_id(&self, name: &str) -> Option<EventId> {
        self.event_ids.get(name).copied()
    }
    /// The amendment label of a version, for "as amended by A1".
    pub fn amendment_label(&self, version: Option<AmendmentId>) -> Option<&str> {
        version.and_then(|v| self.amendments.get(v.index()).map(|a| a.label.as_str()))
    }
    /// Up to `limit` members of a group in the order its declaration
    /// lists them, nested groups expanded where they are listed (for
    /// hover and completion, which show a few names).
    pub fn group_members_listed(&self, group: GroupId, limit: usize) -> Vec<PartyId> {
        let mut out = Vec::new();
        let mut seen = vec![0u64; self.parties.len().div_ceil(64)];
        let mut stack: Vec<(GroupId, usize)> = vec![(group, 0)];
        while let Some((g, next)) = stack.pop() {
            if out.len() >= limit {
                break;
            }
            let Some(member) = self
                .groups
                .get(g.index())
                .and_then(|info| info.direct.get(next))
            else {
                continue;
            };
            stack.push((g, next + 1));
            match *member {
                NameRef::Party(p) => {
                    let (w, bit) = (p.index() / 64, 1u64 << (p.index() % 64));
                    if let Some(word) = seen.get_mut(w)
                        && *word & bit == 0
                    {
                        *word |= bit;
                        out.push(p);
                    }
                }
                NameRef::Group(inner) => stack.push((inner, 0)),
            }
        }
        out
    }
    pub fn label_of(&self, label: &LabelRef) -> &str {
        match label {
            LabelRef::Clause(c) => &self.clauses[c.index()].label,
            LabelRef::Grant(g) => &self.grants[g.index()].label,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::analyze;
    use crate::source::SourceMap;

    fn model(text: &str) -> Model {
        let mut sources = SourceMap::default();
        sources.add("t.ipl", "t.ipl".into(), text.to_string());
        analyze(sources).model
    }

    fn group(m: &Model, name: &str) -> GroupId {
        match m.names.get(name) {
            Some(NameRef::Group(g)) => *g,
            _ => panic!("no group {name}"),
        }
    }

    fn names(m: &Model, parties: &[PartyId]) -> Vec<String> {
        parties.iter().map(|p| m.party(*p).name.clone()).collect()
    }

    #[test]
    fn nested_groups_keep_bits_size_and_listed_order() {
        let m = model(
            "party a \"A\"\nparty b \"B\"\nparty c \"C\"\nparty d \"D\"\n\
             group inner = c, a\ngroup outer = d, inner, a, b\ngroup top = outer, inner\n",
        );
        let top = group(&m, "top");
        let info = &m.groups[top.index()];
        assert_eq!(info.size, 4);
        // Ids ascending from the bits; declaration order when listed.
        assert_eq!(
            names(&m, &info.members().collect::<Vec<_>>()),
            ["a", "b", "c", "d"]
        );
        assert_eq!(
            names(&m, &m.group_members_listed(top, 10)),
            ["d", "c", "a", "b"]
        );
        assert_eq!(names(&m, &m.group_members_listed(top, 2)), ["d", "c"]);
        // Every group comes after the groups it lists.
        let rank = |n: &str| m.groups[group(&m, n).index()].rank;
        assert!(rank("inner") < rank("outer") && rank("outer") < rank("top"));
    }

    #[test]
    fn a_group_on_a_cycle_has_no_members() {
        let m = model("party a \"A\"\ngroup x = a, y\ngroup y = x\n");
        let x = group(&m, "x");
        assert_eq!(m.groups[x.index()].size, 0);
        assert_eq!(m.groups[x.index()].rank, u32::MAX);
        assert!(m.group_members_listed(x, 10).is_empty());
    }
}
