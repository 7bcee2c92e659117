//! Properties the decision semantics guarantee (LANGUAGE.md §5), checked
//! over generated policies and actions:
//! - adding a forbid never turns a deny into a permit or conditional;
//! - stating a fact that was unknown never changes a permit or a deny;
//! - the decision does not depend on the order of a policy's files;
//! - an amendment that replaces nothing (or restates a clause as it is)
//!   decides every action alike.
//!
//! The generated policies use v1 (LANGUAGE.md §7) too: facts, events as
//! time anchors, qualified objections, dated notices, pending answers and
//! parties that join and leave, so monotonicity covers them.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)] // a test may panic

use ipcheck::decide::Engine;
use ipcheck::names::resolve_action;
use ipcheck::policy::{Policy, analyze};
use ipcheck::source::SourceMap;
use ipcheck::span::FileId;
use ipcheck::terms::Decision;
use proptest::prelude::*;

/// The shared small consortium, plus an exclusive grant for the generated
/// licences to run into.
const BASE: &str = concat!(
    include_str!("fixtures/base.ipl"),
    "grant G1 { exclusive license of solo from c to a field ev territory europe from 2026-01-01 until 2027-12-31 }\n",
    "fact needed \"The access is Needed\"\n",
    "event request \"Access request received\"\n",
    "party d \"D\" joined 2026-01-01 left 2027-06-01 defaulting\n",
);

const VERBS: [&str; 7] = [
    "use",
    "research",
    "exploit",
    "sell",
    "license",
    "sublicense",
    "assign",
];
const ASSETS: [&str; 7] = [
    "joint",
    "solo",
    "bg",
    "foreground",
    "background jointly_owned",
    "tagged core",
    "software",
];
const PARTIES: [&str; 11] = [
    "former_parties except defaulting_parties",
    "parties",
    "a",
    "b",
    "c",
    "members",
    "owners",
    "co_owners",
    "third_parties",
    "affiliates of members",
    "anyone except owners",
];
const FIELDS: [&str; 5] = [
    "batteries",
    "ev",
    "stationary",
    "recycling",
    "ev, recycling",
];
const TERRITORIES: [&str; 5] = ["world", "europe", "eu", "cn", "uk, cn"];
const TIMES: [&str; 8] = [
    "during term",
    "until 2026-12-31",
    "from 2027-01-01",
    "until expires + 12 months",
    "after term",
    "from request",
    "until request + 90 days",
    "until expires + 12 months - 1 day",
];
const CONDITIONS: [&str; 14] = [
    "when needed",
    "unless needed",
    "when needed and not exclusive",
    "when request <= expires + 6 months",
    "when objection of parties within 30 days after notice within 90 days before",
    "when consent of any co_owners",
    "when exclusive",
    "when not exclusive and not sublicensable",
    "when royalty >= 3%",
    "unless objection of parties",
    "when consent of co_owners",
    "when notice to parties >= 30 days",
    "when field in batteries or territory in europe",
    "when to in third_parties",
];
const DUTIES: [&str; 7] = [
    "duty share income with co_owners pro_rata",
    "duty notify parties 10 working days before",
    "duty notify co_owners 45 days before",
    "duty obtain consent of co_owners",
    "duty pay 10% of income to owners",
    "duty compensate owners fairly",
    "duty notify parties 30 days before",
];

fn pick(options: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    prop::sample::select(options)
}

/// One clause line of a given kind, as IPL text.
fn clause(kind: &'static str) -> impl Strategy<Value = String> {
    (
        prop::collection::vec(pick(&VERBS), 1..3),
        prop::option::of(pick(&ASSETS)),
        prop::option::of(pick(&PARTIES)),
        prop::option::of(pick(&PARTIES)),
        prop::option::of(pick(&FIELDS)),
        prop::option::of(pick(&TERRITORIES)),
        prop::option::of(pick(&TIMES)),
        prop::option::of(pick(&CONDITIONS)),
        prop::collection::vec(pick(&DUTIES), 0..2),
    )
        .prop_map(
            move |(verbs, asset, by, to, field, territory, time, cond, duties)| {
                let mut verbs = verbs;
                verbs.sort_unstable();
                verbs.dedup();
                let mut lines = vec![format!(
                    "{kind} {}{}",
                    verbs.join(", "),
                    asset.map(|a| format!(" of {a}")).unwrap_or_default()
                )];
                lines.extend(by.map(|p| format!("by {p}")));
                lines.extend(to.map(|p| format!("to {p}")));
                lines.extend(field.map(|f| format!("field {f}")));
                lines.extend(territory.map(|t| format!("territory {t}")));
                lines.extend(time.map(str::to_string));
                lines.extend(cond.map(str::to_string));
                if kind != "forbid" {
                    lines.extend(duties.into_iter().map(str::to_string));
                }
                lines.join("\n  ")
            },
        )
}

fn any_clause() -> impl Strategy<Value = String> {
    prop_oneof![3 => clause("permit"), 1 => clause("forbid"), 1 => clause("oblige")]
}

/// Clauses with labels 1..n; some permits prevail over an earlier clause.
fn clauses() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec((any_clause(), prop::option::weighted(0.2, 0usize..8)), 1..9).prop_map(
        |items| {
            items
                .into_iter()
                .enumerate()
                .map(|(i, (body, over))| {
                    let label = i + 1;
                    let notwithstanding = match over {
                        Some(target) if target < i => format!(" notwithstanding {}", target + 1),
                        _ => String::new(),
                    };
                    format!("clause {label}{notwithstanding} {{\n  {body}\n}}\n")
                })
                .collect()
        },
    )
}

/// An action's parts: the fixed head and optional facts.
#[derive(Debug, Clone)]
struct ActionParts {
    head: String,
    facts: Vec<String>,
}

impl ActionParts {
    fn text(&self, skip: Option<usize>) -> String {
        let mut text = self.head.clone();
        for (i, fact) in self.facts.iter().enumerate() {
            if Some(i) != skip {
                text.push(' ');
                text.push_str(fact);
            }
        }
        text
    }
}

fn action() -> impl Strategy<Value = ActionParts> {
    (
        pick(&["a", "b", "c", "a_sub", "x", "d"]),
        pick(&VERBS),
        pick(&["joint", "solo", "bg"]),
        pick(&[
            "2025-06-01",
            "2026-06-01",
            "2027-03-01",
            "2029-02-01",
            "2030-01-01",
        ]),
        (
            prop::option::of(pick(&["to x", "to b", "to a", "to newco"])),
            prop::option::of(pick(&[
                "field ev",
                "field stationary",
                "field recycling",
                "field batteries",
            ])),
            prop::option::of(pick(&[
                "territory eu",
                "territory cn",
                "territory europe",
                "territory world",
            ])),
            prop::option::of(pick(&["exclusive", "non_exclusive"])),
            prop::option::of(pick(&["sublicensable", "non_sublicensable"])),
            prop::option::of(pick(&["royalty 2%", "royalty 5%"])),
            prop::option::of(pick(&[
                "notice a 60 days, b 60 days, c 60 days",
                "notice b 10 days",
                "notice a 45 days",
                "notice a on 2026-04-01, b 2 weeks, c on 2026-05-20",
                "notice b on 2026-05-25",
            ])),
            prop::option::of(pick(&[
                "consent none",
                "consent b",
                "consent a, b, c",
                "consent b pending a",
                "consent none pending b, c",
            ])),
            prop::option::of(pick(&[
                "objection none",
                "objection b",
                "objection b on 2026-05-01",
                "objection none pending c",
                "objection c on 2026-04-20 pending b",
            ])),
            prop::option::of(pick(&["given needed", "given not needed"])),
            prop::option::of(pick(&["request on 2026-05-01", "request on 2029-08-01"])),
        ),
    )
        .prop_map(
            |(
                actor,
                verb,
                asset,
                date,
                (
                    to,
                    field,
                    territory,
                    excl,
                    subl,
                    royalty,
                    notice,
                    consent,
                    objection,
                    given,
                    event,
                ),
            )| {
                let head = format!("{actor} {verb} {asset} on {date} until 2027-06-30");
                let facts = [
                    to, field, territory, excl, subl, royalty, notice, consent, objection, given,
                    event,
                ]
                .into_iter()
                .flatten()
                .map(str::to_string)
                .collect();
                ActionParts { head, facts }
            },
        )
}

fn load(files: &[String]) -> Policy {
    let mut sources = SourceMap::default();
    for (i, text) in files.iter().enumerate() {
        sources.add(
            format!("f{i}.ipl"),
            format!("f{i}.ipl").into(),
            text.as_str(),
        );
    }
    analyze(sources)
}

fn decide(policy: &Policy, action: &str) -> Option<Decision> {
    let syntax = ipcheck::syntax::parse_action(action, FileId(0)).ok()?;
    let action = resolve_action(&policy.model, &syntax, FileId(0)).ok()?;
    Some(Engine::new(&policy.model).decide(&action).decision)
}

fn valid(policy: &Policy) -> bool {
    !policy.has_errors()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn adding_a_forbid_never_lifts_a_deny(clauses in clauses(), forbid in clause("forbid"), action in action()) {
        let text = format!("{BASE}{}", clauses.concat());
        let policy = load(std::slice::from_ref(&text));
        prop_assume!(valid(&policy));
        let before = decide(&policy, &action.text(None));
        prop_assume!(before == Some(Decision::Deny));
        let more = load(&[format!("{text}clause extra {{\n  {forbid}\n}}\n")]);
        prop_assume!(valid(&more));
        prop_assert_eq!(decide(&more, &action.text(None)), Some(Decision::Deny));
    }

    #[test]
    fn stating_a_fact_never_changes_permit_or_deny(clauses in clauses(), action in action(), which in 0usize..11) {
        prop_assume!(!action.facts.is_empty());
        let which = which % action.facts.len();
        let policy = load(&[format!("{BASE}{}", clauses.concat())]);
        prop_assume!(valid(&policy));
        let unknown = decide(&policy, &action.text(Some(which)));
        let stated = decide(&policy, &action.text(None));
        prop_assume!(unknown.is_some() && stated.is_some());
        if unknown != Some(Decision::Conditional) {
            prop_assert_eq!(unknown, stated, "stating `{}` changed the decision", action.facts[which]);
        }
    }

    #[test]
    fn file_order_does_not_change_the_decision(clauses in clauses(), action in action()) {
        let split = clauses.len() / 2;
        let first = format!("{BASE}{}", clauses[..split].concat());
        let second = clauses[split..].concat();
        let forward = load(&[first.clone(), second.clone()]);
        let backward = load(&[second, first]);
        prop_assume!(valid(&forward) && valid(&backward));
        prop_assert_eq!(decide(&forward, &action.text(None)), decide(&backward, &action.text(None)));
    }

    #[test]
    fn an_amendment_that_changes_nothing_decides_alike(
        clauses in clauses(),
        action in action(),
        restated in 0usize..8,
        effective in pick(&["2025-01-01", "2026-06-01", "2027-03-01"]),
    ) {
        let base = format!("{BASE}{}", clauses.concat());
        let policy = load(std::slice::from_ref(&base));
        prop_assume!(valid(&policy));
        let clause = &clauses[restated % clauses.len()];
        let amendments = [
            format!("amendment A1 \"Nothing\" effective {effective}\n"),
            format!("amendment A1 \"Restated\" effective {effective}\n{clause}"),
        ];
        let before = decided(&policy, &action.text(None));
        for amendment in amendments {
            let amended = load(&[base.clone(), amendment.clone()]);
            prop_assert!(valid(&amended), "{:?}", amended.diagnostics);
            prop_assert_eq!(&decided(&amended, &action.text(None)), &before, "{}", amendment);
        }
    }
}

/// The decision and what decided it.
fn decided(policy: &Policy, action: &str) -> Option<(Decision, Option<String>)> {
    let syntax = ipcheck::syntax::parse_action(action, FileId(0)).ok()?;
    let action = resolve_action(&policy.model, &syntax, FileId(0)).ok()?;
    let record = Engine::new(&policy.model).decide(&action);
    Some((record.decision, record.decided_by.map(|by| by.to_string())))
}
