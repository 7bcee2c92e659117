//! The policy shapes of issues 17 and 18 whose cost grew faster than the
//! input, generated at any size (benches/scale.rs measures them,
//! tests/scale.rs checks their findings). `n` is the number of clauses.

#![allow(dead_code)] // each user takes what it needs

use std::fmt::Write;

/// Every shape, by name.
pub const SHAPES: &[&str] = &[
    "consent",
    "contradiction",
    "notwithstanding",
    "fields",
    "groups",
    "similar",
];

const HEAD: &str = "agreement \"A\" {\n  effective 2025-01-01\n  expires 2030-12-31\n}\n";

/// The policy of one shape with `n` clauses.
pub fn generate(shape: &str, n: usize) -> String {
    match shape {
        "consent" => consent(n),
        "contradiction" => contradiction(n),
        "notwithstanding" => notwithstanding(n),
        "fields" => fields(n),
        "groups" => groups(n),
        "similar" => similar(n),
        _ => panic!("no shape {shape}"),
    }
}

fn parties(out: &mut String, n: usize) {
    for k in 0..n {
        writeln!(out, "party p{k} \"P{k}\"").unwrap();
    }
}

fn asset(out: &mut String) {
    out.push_str("asset x \"X\" {\n  class foreground\n  type patent\n  owner p0\n}\n");
}

/// `n` parties; `n / 2` permits `by pK when consent of pK+1` and as many
/// forbids `by pK when objection of pK+3, pK+5` (issue 17's reproducer).
pub fn consent(n: usize) -> String {
    let n = n.max(2) & !1;
    let mut out = String::from(HEAD);
    parties(&mut out, n);
    asset(&mut out);
    for k in (0..n).step_by(2) {
        write!(
            out,
            "clause c{k} {{\n  permit license of x\n  by p{k}\n  when consent of p{}\n}}\n\
             clause d{k} {{\n  forbid license of x\n  by p{k}\n  when objection of p{}, p{}\n}}\n",
            (k + 1) % n,
            (k + 3) % n,
            (k + 5) % n
        )
        .unwrap();
    }
    out
}

/// `n / 2` permits and `n / 2` forbids of one scope, no priority between
/// them (issue 18: one diagnostic per pair before).
pub fn contradiction(n: usize) -> String {
    let mut out = String::from(HEAD);
    parties(&mut out, 2);
    asset(&mut out);
    for k in 0..n / 2 {
        writeln!(out, "clause p{k} {{\n  permit make of x\n  by p1\n}}").unwrap();
    }
    for k in 0..n / 2 {
        writeln!(out, "clause f{k} {{\n  forbid make of x\n  by p1\n}}").unwrap();
    }
    out
}

/// A chain: clause K is `notwithstanding` clause K-1, permits and forbids
/// in turn, each by two neighbouring parties (so each meets the clauses
/// before and after it).
pub fn notwithstanding(n: usize) -> String {
    let mut out = String::from(HEAD);
    parties(&mut out, n + 1);
    asset(&mut out);
    for k in 0..n {
        let kind = if k % 2 == 0 { "permit" } else { "forbid" };
        let over = if k == 0 {
            String::new()
        } else {
            format!(" notwithstanding n{}", k - 1)
        };
        writeln!(
            out,
            "clause n{k}{over} {{\n  {kind} make of x\n  by p{k}, p{}\n}}",
            k + 1
        )
        .unwrap();
    }
    out
}

/// A field tree of `n` nodes (groups of ten leaves) and one permit per
/// field: each leaf's permit is shadowed by its group's.
pub fn fields(n: usize) -> String {
    let groups = n.div_ceil(11).max(1);
    let mut out = String::from(HEAD);
    parties(&mut out, 2);
    asset(&mut out);
    let mut names = Vec::new();
    out.push_str("fields {\n");
    for g in 0..groups {
        names.push(format!("g{g}"));
        let leaves: Vec<String> = (0..10).map(|l| format!("f{g}_{l}")).collect();
        writeln!(out, "  g{g} {{ {} }}", leaves.join(", ")).unwrap();
        names.extend(leaves);
    }
    out.push_str("}\n");
    for (k, field) in names.iter().take(n).enumerate() {
        writeln!(
            out,
            "clause c{k} {{\n  permit make of x\n  by p1\n  field {field}\n}}"
        )
        .unwrap();
    }
    out
}

/// Nested groups: group K holds group K-1 and party K; clause K permits
/// group K to make `x`, every permit shadowed by the one of the next
/// group (which holds it), and one forbid for the innermost group.
pub fn groups(n: usize) -> String {
    let mut out = String::from(HEAD);
    parties(&mut out, n);
    asset(&mut out);
    out.push_str("group g0 = p0\n");
    for k in 1..n {
        writeln!(out, "group g{k} = g{}, p{k}", k - 1).unwrap();
    }
    for k in 0..n {
        writeln!(out, "clause c{k} {{\n  permit research of x\n  by g{k}\n}}").unwrap();
    }
    out
}

/// `n` clauses alike but for their actor (one of 100 parties), field
/// (one of 20) and asset (one of 10): each scope is written `n / 100`
/// times, and every copy after the first is shadowed.
pub fn similar(n: usize) -> String {
    let mut out = String::from(HEAD);
    parties(&mut out, 100);
    for a in 0..10 {
        writeln!(
            out,
            "asset a{a} \"A{a}\" {{\n  class foreground\n  type patent\n  owner p{a}\n}}"
        )
        .unwrap();
    }
    out.push_str("fields {\n");
    for g in 0..4 {
        let leaves: Vec<String> = (0..5).map(|l| format!("f{}", g * 5 + l)).collect();
        writeln!(out, "  h{g} {{ {} }}", leaves.join(", ")).unwrap();
    }
    out.push_str("}\n");
    for k in 0..n {
        writeln!(
            out,
            "clause s{k} {{\n  permit make of a{}\n  by p{}\n  field f{}\n}}",
            k % 10,
            k % 100,
            k % 20
        )
        .unwrap();
    }
    out
}
