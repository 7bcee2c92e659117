//! Unit tests for the rules of LANGUAGE.md §5, each on a small policy.

use super::*;
use crate::names::resolve_action;
use crate::policy::{Policy, analyze};
use crate::source::SourceMap;
use crate::span::FileId;
use crate::syntax;

const BASE: &str = include_str!("../../tests/fixtures/base.ipl");

fn policy(clauses: &str) -> Policy {
    let mut sources = SourceMap::default();
    sources.add("test.ipl", "test.ipl".into(), format!("{BASE}{clauses}"));
    let policy = analyze(sources);
    let errors: Vec<_> = policy.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    policy
}

fn decide(policy: &Policy, action: &str) -> DecisionRecord {
    let syntax = syntax::parse_action(action, FileId(0)).expect("action parses");
    let action = resolve_action(&policy.model, &syntax, FileId(0)).expect("action resolves");
    Engine::new(&policy.model).decide(&action)
}

fn outcome(record: &DecisionRecord) -> (Decision, Option<&str>) {
    (record.decision, record.decided_by.as_deref())
}

#[test]
fn default_deny_names_near_misses() {
    let p = policy("clause 1 { permit research of joint by a }");
    let r = decide(&p, "b research joint on 2026-01-01");
    assert_eq!(outcome(&r), (Decision::Deny, None));
    assert_eq!(r.near_misses.len(), 1);
    assert_eq!(r.near_misses[0].part, eval::Part::By);
}

#[test]
fn verb_tree_covers_children() {
    let p = policy("clause 1 { permit use of solo by c }");
    assert_eq!(
        outcome(&decide(&p, "c sell solo on 2026-01-01")),
        (Decision::Permit, Some("1"))
    );
    let p = policy("clause 1 { permit sell of solo by c }");
    assert_eq!(
        decide(&p, "c exploit solo on 2026-01-01").decision,
        Decision::Deny
    );
}

#[test]
fn license_does_not_cover_sublicense() {
    let p = policy("clause 1 { permit license of solo by anyone }");
    assert_eq!(
        decide(&p, "b sublicense solo to x on 2026-01-01").decision,
        Decision::Deny
    );
}

#[test]
fn permits_need_containment_forbids_overlap() {
    let p = policy("clause 1 { permit license of solo by c territory eu }");
    assert_eq!(
        decide(&p, "c license solo to x territory europe on 2026-01-01").decision,
        Decision::Deny
    );
    assert_eq!(
        decide(&p, "c license solo to x territory eu on 2026-01-01").decision,
        Decision::Permit
    );
    let p = policy(
        "clause 1 { permit license of solo by c }\nclause 2 { forbid license of solo territory eu }",
    );
    let r = decide(&p, "c license solo to x territory europe on 2026-01-01");
    assert_eq!(outcome(&r), (Decision::Deny, Some("2")));
}

#[test]
fn unknown_scope_makes_a_permit_conditional() {
    let p = policy("clause 1 { permit license of solo by c field ev }");
    let r = decide(&p, "c license solo to x on 2026-01-01");
    assert_eq!(outcome(&r), (Decision::Conditional, Some("1")));
    assert_eq!(r.residual_conditions, ["field ev"]);
}

#[test]
fn time_bounds_are_inclusive() {
    let p = policy("clause 1 { permit research of solo by c from 2026-01-01 until 2026-12-31 }");
    assert_eq!(
        decide(&p, "c research solo on 2026-01-01").decision,
        Decision::Permit
    );
    assert_eq!(
        decide(&p, "c research solo on 2026-12-31").decision,
        Decision::Permit
    );
    assert_eq!(
        decide(&p, "c research solo on 2025-12-31").decision,
        Decision::Deny
    );
    assert_eq!(
        decide(&p, "c research solo on 2027-01-01").decision,
        Decision::Deny
    );
}

#[test]
fn term_arithmetic_and_month_clamping() {
    let p = policy(
        "clause 1 { permit research of solo by c until expires + 2 months }\nclause 2 { permit exploit of solo by c during term }\nclause 3 { permit publish of solo by c after term }",
    );
    assert_eq!(
        decide(&p, "c research solo on 2029-02-28").decision,
        Decision::Permit
    );
    assert_eq!(
        decide(&p, "c research solo on 2029-03-01").decision,
        Decision::Deny
    );
    assert_eq!(
        decide(&p, "c exploit solo on 2028-12-31").decision,
        Decision::Permit
    );
    assert_eq!(
        decide(&p, "c exploit solo on 2029-01-01").decision,
        Decision::Deny
    );
    assert_eq!(
        decide(&p, "c publish solo on 2028-12-31").decision,
        Decision::Deny
    );
    assert_eq!(
        decide(&p, "c publish solo on 2029-01-01").decision,
        Decision::Permit
    );
}

#[test]
fn consent_none_differs_from_unstated() {
    let p =
        policy("clause 1 { permit license of joint by owners duty obtain consent of co_owners }");
    let unstated = decide(&p, "a license joint to x on 2026-01-01");
    assert_eq!(unstated.decision, Decision::Conditional);
    assert_eq!(unstated.open_preconditions.len(), 1);
    let none = decide(&p, "a license joint to x on 2026-01-01 consent none");
    // §7.7: the deny names the clause whose precondition is violated.
    assert_eq!(outcome(&none), (Decision::Deny, Some("1")));
    assert_eq!(none.violated_preconditions.len(), 1);
    let given = decide(&p, "a license joint to x on 2026-01-01 consent b");
    assert_eq!(given.decision, Decision::Permit);
}

#[test]
fn notice_preconditions_have_deadlines() {
    let p =
        policy("clause 1 { permit publish of joint by owners duty notify parties 45 days before }");
    let r = decide(
        &p,
        "a publish joint on 2026-06-01 notice b 60 days, c 30 days",
    );
    assert_eq!(r.decision, Decision::Deny);
    let r = decide(&p, "a publish joint on 2026-06-01 notice b 60 days");
    assert_eq!(r.decision, Decision::Conditional);
    assert_eq!(r.open_preconditions.len(), 1);
    assert_eq!(
        r.open_preconditions[0].deadline,
        Some(jiff::civil::date(2026, 4, 17))
    );
    let r = decide(
        &p,
        "a publish joint on 2026-06-01 notice b 2 months, c 45 days",
    );
    assert_eq!(r.decision, Decision::Permit);
}

#[test]
fn duties_owed_to_the_actor_are_void() {
    let p = policy(
        "clause 1 { permit exploit of solo by c duty notify c 30 days before duty pay 10% of income to c }",
    );
    let r = decide(&p, "c exploit solo on 2026-01-01");
    assert_eq!(r.decision, Decision::Permit);
    assert!(r.obligations.is_empty());
}

#[test]
fn precondition_statuses_agree_with_the_outcomes() {
    let p = policy(
        "clause 1 { oblige exploit of solo
                    duty notify b, c 30 days before
                    duty obtain consent of b
                    duty pay 5% of income to c }",
    );
    let clause = &p.model.clauses[0];
    let label: Arc<str> = Arc::from("1");
    for action in [
        "a exploit solo on 2026-06-01",
        "a exploit solo on 2026-06-01 notice b 30 days, c 30 days",
        "a exploit solo on 2026-06-01 notice b 30 days, c 29 days",
        "a exploit solo on 2026-06-01 notice b 60 days, c 60 days consent b",
        "a exploit solo on 2026-06-01 notice b 60 days, c 60 days consent none",
        "a exploit solo on 2026-06-01 notice b 60 days, c 60 days consent none pending b",
    ] {
        let syntax = syntax::parse_action(action, FileId(0)).expect("action parses");
        let action = resolve_action(&p.model, &syntax, FileId(0)).expect("action resolves");
        let ctx = Ctx::new(&p.model, &action);
        for duty in &clause.duties {
            let statuses = duties::outcomes(&ctx, ClauseId(0), &label, duty);
            let open = statuses
                .iter()
                .any(|d| matches!(d.status, DutyStatus::Open | DutyStatus::Violated));
            let unmet = duties::any_precondition(&ctx, duty, |s| s != DutyStatus::Satisfied);
            assert_eq!(unmet, open, "{action:?}: {statuses:#?}");
            let violated = statuses.iter().any(|d| d.status == DutyStatus::Violated);
            let refused = duties::any_precondition(&ctx, duty, |s| s == DutyStatus::Violated);
            assert_eq!(refused, violated, "{action:?}: {statuses:#?}");
        }
    }
}

#[test]
fn priority_is_transitive() {
    let p = policy(
        "clause 1 { forbid exploit of solo }\nclause 2 notwithstanding 1 { forbid research of solo }\nclause 3 notwithstanding 2 { permit use of solo by c }",
    );
    assert_eq!(
        outcome(&decide(&p, "c sell solo on 2026-01-01")),
        (Decision::Permit, Some("3"))
    );
    let p = policy("clause 1 { forbid exploit of solo }\nclause 3 { permit use of solo by c }");
    assert_eq!(
        outcome(&decide(&p, "c sell solo on 2026-01-01")),
        (Decision::Deny, Some("1"))
    );
}

#[test]
fn deny_names_the_forbid_of_highest_priority() {
    let p = policy(
        "clause 1 { forbid exploit of solo }\nclause 2 notwithstanding 1 { forbid sell of solo }",
    );
    assert_eq!(
        outcome(&decide(&p, "c sell solo on 2026-01-01")),
        (Decision::Deny, Some("2"))
    );
}

#[test]
fn a_forbid_that_may_apply_blocks_conditionally() {
    let p = policy(
        "clause 1 { permit license of solo by c }\nclause 2 { forbid license of solo when exclusive }",
    );
    let r = decide(&p, "c license solo to x on 2026-01-01");
    assert_eq!(outcome(&r), (Decision::Conditional, Some("1")));
    assert_eq!(r.residual_conditions, ["clause 2 (forbid) does not apply"]);
    assert_eq!(
        decide(&p, "c license solo to x on 2026-01-01 non_exclusive").decision,
        Decision::Permit
    );
    assert_eq!(
        outcome(&decide(&p, "c license solo to x on 2026-01-01 exclusive")),
        (Decision::Deny, Some("2"))
    );
}

#[test]
fn best_permit_wins_and_others_are_alternatives() {
    let p = policy(
        "clause 1 { permit research of solo by c when royalty >= 1% }\nclause 2 { permit research of solo by c }",
    );
    let r = decide(&p, "c research solo on 2026-01-01");
    assert_eq!(outcome(&r), (Decision::Permit, Some("2")));
    assert_eq!(r.alternatives.len(), 1);
    assert_eq!(r.alternatives[0].decision, Decision::Conditional);
}

#[test]
fn exclusive_grants_block_other_licences() {
    let p = policy(
        "grant G1 { exclusive license of solo from c to a field ev territory europe from 2026-01-01 until 2027-12-31 }\nclause 1 { permit license, sublicense of solo by anyone }",
    );
    let r = decide(
        &p,
        "c license solo to b field ev territory eu on 2027-06-01 until 2029-01-01",
    );
    assert_eq!(outcome(&r), (Decision::Deny, Some("G1")));
    assert_eq!(
        decide(
            &p,
            "c license solo to b field ev territory eu on 2028-01-01"
        )
        .decision,
        Decision::Permit
    );
    assert_eq!(
        decide(
            &p,
            "a sublicense solo to b field ev territory eu on 2027-01-01"
        )
        .decision,
        Decision::Permit
    );
    // open-ended licence starting before the grant ends overlaps it
    assert_eq!(
        decide(
            &p,
            "c license solo to b field ev territory eu on 2025-06-01"
        )
        .decision,
        Decision::Deny
    );
    // unstated field: conditional on staying outside the grant's field
    let r = decide(&p, "c license solo to b territory eu on 2026-06-01");
    assert_eq!(r.decision, Decision::Conditional);
    assert_eq!(r.residual_conditions.len(), 1);
}

#[test]
fn affiliates_and_third_parties() {
    let p = policy(
        "clause 1 { permit research of solo by affiliates of members }\nclause 2 { permit license of solo by c to third_parties }",
    );
    assert_eq!(
        decide(&p, "a_sub research solo on 2026-01-01").decision,
        Decision::Permit
    );
    assert_eq!(
        decide(&p, "a research solo on 2026-01-01").decision,
        Decision::Deny
    );
    assert_eq!(
        decide(&p, "c license solo to someone_new on 2026-01-01").decision,
        Decision::Permit
    );
    assert_eq!(
        decide(&p, "c license solo to x on 2026-01-01").decision,
        Decision::Permit
    );
    assert_eq!(
        decide(&p, "c license solo to a on 2026-01-01").decision,
        Decision::Deny
    );
}

#[test]
fn oblige_duties_apply_to_the_permit() {
    let p = policy(
        "clause 1 { permit assign of joint by owners }\nclause 2 { oblige assign of foreground duty notify parties 30 days before }",
    );
    let r = decide(
        &p,
        "a assign joint to x on 2026-06-01 notice b 30 days, c 30 days",
    );
    assert_eq!(r.decision, Decision::Permit);
    let r = decide(
        &p,
        "a assign joint to x on 2026-06-01 notice b 10 days, c 30 days",
    );
    assert_eq!(r.decision, Decision::Deny);
    let r = decide(&p, "a assign joint to x on 2026-06-01 notice b 30 days");
    assert_eq!(r.decision, Decision::Conditional);
}

#[test]
fn kleene_conditions() {
    let p = policy("clause 1 { permit license of solo by c when exclusive or royalty >= 5% }");
    assert_eq!(
        decide(&p, "c license solo to x on 2026-01-01 exclusive").decision,
        Decision::Permit
    );
    assert_eq!(
        decide(&p, "c license solo to x on 2026-01-01 non_exclusive").decision,
        Decision::Conditional
    );
    assert_eq!(
        decide(
            &p,
            "c license solo to x on 2026-01-01 non_exclusive royalty 4%"
        )
        .decision,
        Decision::Deny
    );
}

#[test]
fn acceptance_scenarios_pass() {
    let paths: Vec<std::path::PathBuf> = ["agreement.ipl", "scenarios.ipl"]
        .iter()
        .map(|f| format!("{}/policies/ssb-consortium/{f}", env!("CARGO_MANIFEST_DIR")).into())
        .collect();
    let policy = crate::policy::load_files(&paths).unwrap();
    assert!(!policy.has_errors());
    let engine = Engine::new(&policy.model);
    assert_eq!(policy.model.scenarios.len(), 23);
    for s in &policy.model.scenarios {
        let r = engine.decide(s.action.as_ref().unwrap());
        assert_eq!(r.decision, s.expect, "{}: {r:#?}", s.title);
        if let Some(by) = &s.expect_by {
            assert_eq!(
                r.decided_by.as_deref(),
                Some(by.as_str()),
                "{}: {r:#?}",
                s.title
            );
        }
    }
}

// ---- v1 (LANGUAGE.md §7) ------------------------------------------------

#[test]
fn a_fact_settles_a_permit_and_its_residual_quotes_the_description() {
    let p = policy(
        "fact needed \"The access is Needed for the party's own work\"
         clause 9.2 { permit research of bg by parties except owners when needed }",
    );
    let unknown = decide(&p, "a research bg on 2026-01-01");
    assert_eq!(outcome(&unknown), (Decision::Conditional, Some("9.2")));
    assert!(
        unknown.residual_conditions[0].contains("Needed for the party's own work"),
        "{:?}",
        unknown.residual_conditions
    );
    assert_eq!(
        decide(&p, "a research bg on 2026-01-01 given needed").decision,
        Decision::Permit
    );
    assert_eq!(
        decide(&p, "a research bg on 2026-01-01 given not needed").decision,
        Decision::Deny
    );
}

#[test]
fn a_qualified_objection_counts_within_its_days_only() {
    let p = policy(
        "clause 1 { permit publish of joint by owners }
         clause 2 { forbid publish of joint
                    when objection of parties within 30 days after notice within 90 days before }",
    );
    let at = |objection: &str| {
        let record = decide(
            &p,
            &format!(
                "a publish joint on 2026-06-01 notice b on 2026-04-01, c on 2026-04-01 objection {objection}"
            ),
        );
        (record.decision, record.decided_by.map(|by| by.to_string()))
    };
    // The 30th day after the notice counts, the 31st does not.
    let by = |label: &str| Some(label.to_string());
    assert_eq!(at("b on 2026-05-01"), (Decision::Deny, by("2")));
    assert_eq!(at("b on 2026-05-02"), (Decision::Permit, by("1")));
    // After the action's date an objection does not count; undated, the
    // qualifiers are unknown.
    assert_eq!(at("b on 2026-06-02"), (Decision::Permit, by("1")));
    assert_eq!(at("b").0, Decision::Conditional);
    // 90 days before 2026-08-30 is 2026-06-01: an objection of 2026-06-01 holds.
    let late = decide(
        &p,
        "a publish joint on 2026-08-30 notice b on 2026-05-15, c on 2026-05-15 objection b on 2026-06-01",
    );
    assert_eq!(outcome(&late), (Decision::Deny, Some("2")));
}

#[test]
fn pending_answers_are_unknown_and_others_are_refusals() {
    let p = policy("clause 1 { permit license of joint by owners duty obtain consent of parties }");
    let both = "a license joint to x on 2026-01-01";
    assert_eq!(
        decide(&p, &format!("{both} consent b, c")).decision,
        Decision::Permit
    );
    assert_eq!(
        decide(&p, &format!("{both} consent b pending c")).decision,
        Decision::Conditional
    );
    assert_eq!(
        outcome(&decide(&p, &format!("{both} consent none pending c"))),
        (Decision::Deny, Some("1"))
    );
}

#[test]
fn events_anchor_time_lines_with_chained_offsets() {
    let p = policy(
        "event request \"Access request\"
         clause 1 { permit research of joint by parties except owners
                    from request until request + 1 month - 1 day }",
    );
    let research = |date: &str, request: &str| {
        decide(&p, &format!("c research joint on {date}{request}")).decision
    };
    assert_eq!(
        research("2026-02-27", " request on 2026-01-28"),
        Decision::Permit
    );
    assert_eq!(
        research("2026-02-28", " request on 2026-01-28"),
        Decision::Deny
    );
    assert_eq!(
        research("2026-01-27", " request on 2026-01-28"),
        Decision::Deny
    );
    assert_eq!(research("2026-02-01", ""), Decision::Conditional);
}

#[test]
fn parties_follow_their_membership_and_affiliations_their_days() {
    let p = policy(
        "party late \"Late\" joined 2026-01-01 left 2027-01-01 defaulting
         party b_us \"B US\" affiliate of b from 2025-01-01 until 2025-12-31
         clause 1 { permit research of bg by parties }
         clause 2 { permit research of bg by affiliates of b }
         clause 3 { oblige assign of joint duty notify parties 30 days before }
         clause 4 { permit assign of joint by owners }",
    );
    assert_eq!(
        decide(&p, "late research bg on 2025-12-31").decision,
        Decision::Deny
    );
    assert_eq!(
        decide(&p, "late research bg on 2026-06-01").decision,
        Decision::Permit
    );
    assert_eq!(
        decide(&p, "late research bg on 2027-01-01").decision,
        Decision::Deny
    );
    assert_eq!(
        decide(&p, "b_us research bg on 2025-06-01").decision,
        Decision::Permit
    );
    assert_eq!(
        decide(&p, "b_us research bg on 2026-01-01").decision,
        Decision::Deny
    );
    // Nobody notifies a party that has left: notice to b and c suffices.
    let notice = "a assign joint to x on 2027-03-01 notice b 30 days, c 30 days";
    assert_eq!(decide(&p, notice).decision, Decision::Permit);
    let before = "a assign joint to x on 2026-03-01 notice b 30 days, c 30 days";
    assert_eq!(decide(&p, before).decision, Decision::Conditional);
}

#[test]
fn a_waiver_drops_the_obliges_duties_precedence_does_not() {
    let p = policy(
        "clause 1 { oblige assign of joint duty notify parties 45 days before }
         clause 2 { permit assign of joint by owners }
         clause 3 notwithstanding 1 { permit assign of joint by owners to x }",
    );
    let waived = decide(&p, "a assign joint to x on 2026-01-01 notice b 1 day");
    assert_eq!(outcome(&waived), (Decision::Permit, Some("3")));
    let bound = decide(&p, "a assign joint to newco on 2026-01-01 notice b 1 day");
    assert_eq!(outcome(&bound), (Decision::Deny, Some("1")));
}

#[test]
fn exclusive_grants_permit_their_licensee_and_block_the_licensor_sole_ones_do_not() {
    let p = policy(
        "grant E-1 { exclusive license of solo from c to b field ev from 2026-01-01 until 2027-12-31 sublicensable }
         grant S-1 { sole license of bg from b to a field stationary from 2026-01-01 until 2027-12-31 rights use }
         clause 1 { permit exploit of solo, bg by owners }",
    );
    assert_eq!(
        outcome(&decide(&p, "b make solo field ev on 2026-06-01")),
        (Decision::Permit, Some("E-1"))
    );
    assert_eq!(
        outcome(&decide(&p, "c make solo field ev on 2026-06-01")),
        (Decision::Deny, Some("E-1"))
    );
    assert_eq!(
        outcome(&decide(&p, "c make solo field recycling on 2026-06-01")),
        (Decision::Permit, Some("1"))
    );
    assert_eq!(
        decide(&p, "c make solo on 2026-06-01").decision,
        Decision::Conditional
    );
    // The sole licensor keeps its own use.
    assert_eq!(
        outcome(&decide(&p, "b make bg field stationary on 2026-06-01")),
        (Decision::Permit, Some("1"))
    );
    // Sublicences within the grant's end only.
    let sub = "b sublicense solo to newco field ev on 2026-06-01";
    assert_eq!(
        decide(&p, &format!("{sub} until 2027-12-31")).decision,
        Decision::Permit
    );
    assert_eq!(
        decide(&p, &format!("{sub} until 2028-01-01")).decision,
        Decision::Deny
    );
    assert_eq!(decide(&p, sub).decision, Decision::Deny);
}

#[test]
fn an_amendment_replaces_a_clause_from_its_day_and_the_decision_cites_it() {
    let mut sources = SourceMap::default();
    sources.add(
        "a.ipl",
        "a.ipl".into(),
        format!("{BASE}clause 1 {{ permit research of joint by parties }}\nclause 2 {{ permit publish of joint by owners }}\n"),
    );
    sources.add(
        "b.ipl",
        "b.ipl".into(),
        "amendment A1 \"First\" effective 2027-01-01 removes 2\nclause 1 { permit research of joint by owners }\n".to_string(),
    );
    let p = analyze(sources);
    assert!(!p.has_errors(), "{:?}", p.diagnostics);
    assert_eq!(
        decide(&p, "c research joint on 2026-12-31").decision,
        Decision::Permit
    );
    assert_eq!(
        decide(&p, "c research joint on 2027-01-01").decision,
        Decision::Deny
    );
    let amended = decide(&p, "a research joint on 2027-01-01");
    assert_eq!(outcome(&amended), (Decision::Permit, Some("1")));
    assert_eq!(amended.decided_by_version.as_deref(), Some("A1"));
    assert!(
        amended.summary.contains("(as amended by A1)"),
        "{}",
        amended.summary
    );
    assert_eq!(
        decide(&p, "a publish joint on 2026-12-31").decision,
        Decision::Permit
    );
    assert_eq!(
        decide(&p, "a publish joint on 2027-01-01").decision,
        Decision::Deny
    );
}

#[test]
fn income_gives_payments_their_amounts_and_shares_pro_rata() {
    let p = policy(
        "clause 1 { permit license of joint by owners duty share income with owners pro_rata duty pay 5% of income to c }",
    );
    let record = decide(&p, "b license joint to x on 2026-01-01 income 1000.50 EUR");
    let owed: Vec<(&str, Option<&str>)> = record
        .obligations
        .iter()
        .map(|d| (d.duty.as_str(), d.amount.as_deref()))
        .collect();
    assert_eq!(
        owed,
        [
            (
                "pay 60% of income to `a` (its ownership share)",
                Some("600.30 EUR")
            ),
            ("pay 5% of income to `c`", Some("50.02 EUR")),
        ]
    );
}
