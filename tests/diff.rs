//! `ipcheck diff` on the shipped consortium: each edit is its own change with a witness both policies confirm; reformatting changes nothing; random edits and random actions agree with the reported changes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)] // a test may panic

use ipcheck::diff::{self, Kind, Outcome};
use ipcheck::names::Model;
use ipcheck::policy::{self, Policy};
use ipcheck::source::SourceMap;
use proptest::prelude::*;

const AGREEMENT: &str = include_str!("../policies/ssb-consortium/agreement.ipl");

fn analyze(text: &str) -> Policy {
    let mut sources = SourceMap::default();
    sources.add("agreement.ipl", "agreement.ipl".into(), text.to_string());
    policy::analyze(sources)
}

/// The text without the clause labelled `label`.
fn without_clause(text: &str, label: &str) -> String {
    let head = format!("clause {label} ");
    let Some(start) = text.find(&head) else {
        return text.to_string();
    };
    let end = text[start..]
        .find("\n}\n")
        .map_or(text.len(), |e| start + e + 3);
    format!("{}{}", &text[..start], &text[end..])
}

/// Every witness is decided on both sides exactly as the change says.
fn assert_witnesses(old: &Model, new: &Model, d: &diff::Diff) {
    for c in &d.changes {
        let base = diff::decide_json(old, &c.witness_action).expect("witness reads on base");
        let head = diff::decide_json(new, &c.witness_action).expect("witness reads on head");
        assert_eq!(base, c.base, "base of {:?} at {}", c.kind, c.witness);
        assert_eq!(head, c.head, "head of {:?} at {}", c.kind, c.witness);
        assert_ne!(base, head, "witness {} does not differ", c.witness);
        // The text form says the same.
        assert_eq!(diff::decide_text(old, &c.witness).ok(), Some(base));
        assert_eq!(diff::decide_text(new, &c.witness).ok(), Some(head));
    }
}

#[test]
fn three_edits_are_three_changes_each_confirmed_on_both_sides() {
    let old = analyze(AGREEMENT);
    // A forbid deleted, a permit widened (one field to a whole subtree), a
    // `pay` duty changed.
    let edited = without_clause(AGREEMENT, "9.2")
        .replace(
            "  field stationary\n  territory cn",
            "  field batteries\n  territory cn",
        )
        .replace(
            "duty pay 40% of income to bmw",
            "duty pay 20% of income to bmw",
        );
    let new = analyze(&edited);
    assert!(!old.has_errors() && !new.has_errors());
    let d = diff::diff(&old, &new);
    assert!(d.summary.complete);
    assert_witnesses(&old.model, &new.model, &d);
    let deleted = d
        .changes
        .iter()
        .find(|c| c.base.by.as_deref() == Some("9.2"))
        .expect("the deleted forbid is a change");
    assert_eq!(deleted.kind, Kind::Widened);
    assert_eq!(deleted.clauses, vec!["9.2".to_string()]);
    let widened = d
        .changes
        .iter()
        .find(|c| c.head.by.as_deref() == Some("12.3") && c.base.by.as_deref() == Some("12.2"))
        .expect("the widened permit is a change");
    assert_eq!(widened.kind, Kind::Widened);
    assert!(widened.witness.contains("field ev") || widened.witness.contains("field batteries"));
    let pay = d
        .changes
        .iter()
        .find(|c| c.kind == Kind::Obligations)
        .expect("the pay duty is a change");
    assert!(pay.base.obligations.iter().any(|o| o.duty.contains("40%")));
    assert!(pay.head.obligations.iter().any(|o| o.duty.contains("20%")));
    // Three edits, three distinct changes, widening first.
    assert_eq!(d.changes.first().map(|c| c.kind), Some(Kind::Widened));
    assert_eq!(d.changes.last().map(|c| c.kind), Some(Kind::Obligations));
}

#[test]
fn a_reformatted_reordered_recommented_copy_has_no_change() {
    let old = analyze(AGREEMENT);
    let formatted = ipcheck::fmt::format_source(AGREEMENT).expect("formats");
    // Reorder: the last clause first; re-comment.
    let last = formatted.rfind("clause 12.3 ").expect("12.3");
    let (head, tail) = formatted.split_at(last);
    let first = head.find("clause 8.1 ").expect("8.1");
    let reordered = format!(
        "{}// moved up\n{}\n{}",
        &head[..first],
        tail.trim_end(),
        head[first..].replace("// ---- Section 8", "// Section eight")
    );
    let new = analyze(&reordered);
    assert!(!new.has_errors(), "{:?}", new.diagnostics);
    let d = diff::diff(&old, &new);
    assert!(d.changes.is_empty(), "{:?}", d.changes);
    assert_eq!(d.summary.pairs, 0, "fast path: nothing walked");
}

#[test]
fn identical_policies_have_no_change() {
    let old = analyze(AGREEMENT);
    let new = analyze(AGREEMENT);
    assert!(diff::diff(&old, &new).changes.is_empty());
}

// ---- property: random edits, random actions ------------------------------

const LABELS: [&str; 16] = [
    "8.1", "8.2.1", "8.2.2", "8.2.3", "8.2.4", "8.3", "8.3.1", "8.4", "9.2", "9.3", "9.4.1",
    "9.4.2", "9.5", "9.8", "12.2", "12.3",
];

#[derive(Debug, Clone)]
enum Edit {
    Delete(usize),
    Replace(&'static str, &'static str),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..LABELS.len()).prop_map(Edit::Delete),
        prop::sample::select(vec![
            ("field stationary", "field batteries"),
            ("field stationary", "field ev"),
            ("territory cn", "territory asia"),
            ("territory cn", "territory world"),
            ("until 2028-12-31", "until 2027-12-31"),
            ("royalty >= 3%", "royalty >= 5%"),
            (
                "duty pay 40% of income to bmw",
                "duty pay 20% of income to bmw"
            ),
            ("by members\n  during term", "by industry\n  during term"),
            ("until expires + 12 months", "until expires + 6 months"),
            (
                "forbid assign of foreground",
                "forbid assign, license of foreground"
            ),
            ("by anyone except owners", "by third_parties"),
            (
                "duty notify co_owners 45 days before",
                "duty notify co_owners 30 days before"
            ),
            (
                "permit research of foreground\n  by members",
                "permit research of background\n  by members"
            ),
        ])
        .prop_map(|(a, b)| Edit::Replace(a, b)),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = text.to_string();
    for e in edits {
        out = match e {
            Edit::Delete(i) => without_clause(&out, LABELS[*i]),
            Edit::Replace(a, b) => out.replacen(a, b, 1),
        };
    }
    out
}

const PARTIES: [&str; 6] = ["catl", "catl_de", "bmw", "umicore", "fraunhofer", "acme"];
const VERBS: [&str; 7] = [
    "research",
    "exploit",
    "license",
    "sublicense",
    "assign",
    "publish",
    "use",
];
const ASSETS: [&str; 4] = [
    "sulfide_electrolyte",
    "cell_model",
    "dry_coating",
    "cathode_precursor",
];
const FIELDS: [&str; 6] = [
    "batteries",
    "ev",
    "stationary",
    "consumer",
    "recycling",
    "batteries",
];
const TERRITORIES: [&str; 6] = ["world", "eu", "uk", "us", "cn", "asia"];

#[derive(Debug, Clone)]
struct RandomAction {
    actor: usize,
    verb: usize,
    asset: usize,
    to: usize,
    field: usize,
    territory: usize,
    day: i32,
    until: i32,
    exclusive: bool,
    sublicensable: bool,
    royalty: u32,
    objections: u8,
}

fn random_action() -> impl Strategy<Value = RandomAction> {
    (
        (0..5usize, 0..VERBS.len(), 0..ASSETS.len(), 0..PARTIES.len()),
        (
            0..FIELDS.len(),
            0..TERRITORIES.len(),
            0..2900i32,
            0..3500i32,
        ),
        (any::<bool>(), any::<bool>(), 0..700u32, 0..16u8),
    )
        .prop_map(
            |(
                (actor, verb, asset, to),
                (field, territory, day, until),
                (exclusive, sublicensable, royalty, objections),
            )| {
                RandomAction {
                    actor,
                    verb,
                    asset,
                    to,
                    field,
                    territory,
                    day,
                    until,
                    exclusive,
                    sublicensable,
                    royalty,
                    objections,
                }
            },
        )
}

impl RandomAction {
    fn text(&self) -> String {
        let start = jiff::civil::date(2024, 6, 1);
        let date = start
            .checked_add(jiff::Span::new().days(self.day as i64))
            .unwrap_or(start);
        let until = date
            .checked_add(jiff::Span::new().days(self.until as i64))
            .unwrap_or(date);
        let objectors: Vec<&str> = ["catl", "bmw", "umicore", "fraunhofer"]
            .iter()
            .enumerate()
            .filter(|(i, _)| self.objections & (1 << i) != 0)
            .map(|(_, p)| *p)
            .collect();
        let objection = if objectors.is_empty() {
            "objection none".to_string()
        } else {
            format!("objection {}", objectors.join(", "))
        };
        format!(
            "{} {} {} to {} field {} territory {} on {date} until {until} {} {} royalty {}.{:02}% {objection}",
            PARTIES[self.actor],
            VERBS[self.verb],
            ASSETS[self.asset],
            PARTIES[self.to],
            FIELDS[self.field],
            TERRITORIES[self.territory],
            if self.exclusive {
                "exclusive"
            } else {
                "non_exclusive"
            },
            if self.sublicensable {
                "sublicensable"
            } else {
                "non_sublicensable"
            },
            self.royalty / 100,
            self.royalty % 100,
        )
    }
}

/// The key a change is merged under, for an action's two outcomes.
fn key(base: &Outcome, head: &Outcome) -> (Kind, String, String) {
    let rank = |o: &Outcome| match o.decision {
        ipcheck::terms::Decision::Deny => 0,
        ipcheck::terms::Decision::Conditional => 1,
        ipcheck::terms::Decision::Permit => 2,
    };
    let kind = if rank(head) > rank(base) {
        Kind::Widened
    } else if rank(head) < rank(base) {
        Kind::Narrowed
    } else if base.by != head.by {
        Kind::Reattributed
    } else {
        Kind::Obligations
    };
    let side = |o: &Outcome| {
        if kind == Kind::Obligations {
            format!("{o:?}")
        } else {
            format!("{:?} {:?}", o.decision, o.by)
        }
    };
    (kind, side(base), side(head))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_differing_action_is_inside_a_reported_change(
        edits in prop::collection::vec(edit(), 1..4),
        actions in prop::collection::vec(random_action(), 150),
    ) {
        let old = analyze(AGREEMENT);
        let text = apply(AGREEMENT, &edits);
        let new = analyze(&text);
        prop_assume!(!new.has_errors());
        let d = diff::diff(&old, &new);
        prop_assert!(d.summary.complete);
        assert_witnesses(&old.model, &new.model, &d);
        let keys: Vec<(Kind, String, String)> =
            d.changes.iter().map(|c| key(&c.base, &c.head)).collect();
        for a in &actions {
            let text = a.text();
            let (Ok(base), Ok(head)) = (diff::decide_text(&old.model, &text), diff::decide_text(&new.model, &text)) else {
                continue;
            };
            if base == head {
                continue;
            }
            let k = key(&base, &head);
            prop_assert!(
                keys.contains(&k),
                "`{}` is {:?} then {:?}, in no reported change (edits {:?}); changes: {:?}",
                text, base, head, edits, keys
            );
        }
    }
}
