//! Unit tests of the formatter's pieces: comment attachment, layout rules, the printer.

use pest::Parser as _;

use super::format_source;
use super::tokens::Tokens;
use crate::syntax::{IplParser, Rule, split};

fn fmt(text: &str) -> String {
    match format_source(text) {
        Ok(out) => out,
        Err(diags) => panic!("{diags:#?}"),
    }
}

/// The tokens of a text, with comments attached.
fn with_tokens(text: &str, check: impl FnOnce(&Tokens<'_>)) {
    let parsed: Vec<_> = split::split_items(text)
        .into_iter()
        .map(|c| {
            let pairs = IplParser::parse(Rule::item_alone, &text[c.start..c.end]);
            (c.start, pairs.unwrap_or_else(|e| panic!("{e}")))
        })
        .collect();
    match Tokens::collect(text, &parsed) {
        Ok(tokens) => check(&tokens),
        Err(m) => panic!("{m:?}"),
    }
}

#[test]
fn tokens_are_leaves_and_punctuation_without_commas() {
    with_tokens("group g = a, b // c\n", |t| {
        let texts: Vec<&str> = (0..t.toks.len()).map(|i| t.tok_text(i)).collect();
        assert_eq!(texts, ["group", "g", "=", "a", "b"]);
        assert_eq!(t.toks[4].trailing, Some(0));
        assert_eq!(t.comment_text(0), "// c");
    });
    with_tokens(
        "clause 1 { permit use when (exclusive) until expires + 1 year }",
        |t| {
            let texts: Vec<&str> = (0..t.toks.len()).map(|i| t.tok_text(i)).collect();
            assert_eq!(
                texts,
                [
                    "clause",
                    "1",
                    "{",
                    "permit",
                    "use",
                    "when",
                    "(",
                    "exclusive",
                    ")",
                    "until",
                    "expires",
                    "+",
                    "1",
                    "year",
                    "}"
                ]
            );
        },
    );
}

#[test]
fn a_comment_after_code_trails_it_and_any_other_leads_the_next_token() {
    let text = "// head\n\nparty a \"A\" // tail   \n// own\n\n// own 2\nparty b \"B\"\n// end\n";
    with_tokens(text, |t| {
        assert_eq!(t.toks[0].leading, [0]);
        assert!(t.toks[0].blank_after_leading);
        assert_eq!(t.toks[2].trailing, Some(1));
        assert_eq!(t.comment_text(1), "// tail");
        assert_eq!(t.toks[3].leading, [2, 3]);
        assert!(!t.comments[2].blank_before);
        assert!(t.comments[3].blank_before);
        assert!(!t.toks[3].blank_after_leading);
        assert_eq!(t.trailer, [4]);
    });
}

#[test]
fn a_comment_after_a_comma_at_line_start_trails_the_token_before() {
    with_tokens("group g = a\n, // x\nb\n", |t| {
        assert_eq!(t.toks[3].trailing, Some(0));
        assert!(t.toks[4].leading.is_empty());
    });
}

#[test]
fn comment_ranges_count_leading_and_trailing_comments_between_tokens() {
    with_tokens("group g = a, // x\n b,\n // y\n c\n", |t| {
        // tokens: group g = a b c
        assert!(t.comments_within(3, 5));
        assert!(!t.comments_within(4, 4));
        assert!(
            t.comments_within(5, 5),
            "leading comments of the first count"
        );
        assert!(!t.comments_inside(5, 5));
        assert!(t.comments_inside(3, 4));
    });
}

#[test]
fn small_items_take_one_line_and_blocks_one_line_per_line() {
    assert_eq!(fmt("party   a\n \"A\""), "party a \"A\"\n");
    assert_eq!(
        fmt("third_party t \"T\"\ngroup g=a,b"),
        "third_party t \"T\"\n\ngroup g = a, b\n"
    );
    assert_eq!(
        fmt("clause 1 { permit use by owners }"),
        "clause 1 {\n  permit use\n  by owners\n}\n"
    );
    assert_eq!(fmt("clause 1 {\n\n}\n"), "clause 1 {}\n");
}

#[test]
fn runs_of_parties_and_groups_are_aligned_without_blank_lines() {
    assert_eq!(
        fmt("party a \"A\"\n\n\nparty bbb \"B\"\ngroup g = a\ngroup gg = a\n"),
        "party a   \"A\"\nparty bbb \"B\"\n\ngroup g  = a\ngroup gg = a\n"
    );
}

#[test]
fn agreement_and_asset_values_are_aligned() {
    assert_eq!(
        fmt("agreement \"A\" { effective 2025-01-01 term 5 years open_ended }"),
        "agreement \"A\" {\n  effective 2025-01-01\n  term      5 years\n  open_ended\n}\n"
    );
    assert_eq!(
        fmt("asset x { class foreground owner a tags t }"),
        "asset x {\n  class foreground\n  owner a\n  tags  t\n}\n"
    );
}

#[test]
fn a_list_too_wide_for_its_line_takes_one_element_per_line() {
    let names: Vec<String> = (0..20).map(|i| format!("party_{i}")).collect();
    let out = fmt(&format!("group g = {}\n", names.join(", ")));
    assert!(
        out.starts_with("group g =\n  party_0,\n  party_1,\n"),
        "{out}"
    );
    assert!(out.ends_with("  party_19\n"), "{out}");
    assert!(out.lines().all(|l| l.len() <= super::MAX_WIDTH));
}

#[test]
fn a_list_that_fits_exactly_in_100_columns_stays_on_its_line() {
    // `group g = ` and 15 names: 10 + 14 * (4 + 2) + 6 = 100 columns.
    let mut names: Vec<String> = (0..14).map(|i| format!("n{i:02}x")).collect();
    names.push("last_1".to_string());
    let line = format!("group g = {}", names.join(", "));
    assert_eq!(line.len(), 100);
    assert_eq!(fmt(&line), format!("{line}\n"));
    let too_long = format!("{line}2");
    assert!(fmt(&too_long).starts_with("group g =\n  n00x,\n"));
}

#[test]
fn conditions_keep_their_parentheses_and_never_break_for_width() {
    let cond = (0..30)
        .map(|i| format!("royalty >= {i}%"))
        .collect::<Vec<_>>()
        .join(" or ");
    let out = fmt(&format!(
        "clause 1 {{ permit use when not ({cond}) and not not exclusive }}"
    ));
    assert_eq!(
        out,
        format!("clause 1 {{\n  permit use\n  when not ({cond}) and not not exclusive\n}}\n")
    );
}

#[test]
fn trees_of_leaves_stay_on_one_line_when_they_fit() {
    assert_eq!(fmt("fields{a b,c,}"), "fields { a, b, c }\n");
    assert_eq!(fmt("fields { a {} }"), "fields {\n  a {}\n}\n");
    assert_eq!(
        fmt("territories { w { e { x }, long_name { y } } }"),
        "territories {\n  w {\n    e         { x }\n    long_name { y }\n  }\n}\n"
    );
}

#[test]
fn the_action_of_a_scenario_fills_lines_under_its_actor() {
    let notice: Vec<String> = (0..12).map(|i| format!("party_{i} {i} days")).collect();
    let out = fmt(&format!(
        "scenario \"s\" {{ action a license x to b on 2026-01-01 notice {} expect permit }}",
        notice.join(", ")
    ));
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[1].starts_with("  action a license x to b on 2026-01-01 notice party_0 0 days,"));
    assert!(lines[2].starts_with("         party_"), "{out}");
    assert!(lines.iter().all(|l| l.len() <= super::MAX_WIDTH), "{out}");
}

#[test]
fn trailing_comments_never_swallow_code() {
    // Every comment ends its line: the code after it moves to the next.
    let out = fmt(
        "clause 1 { permit use when not // a\n exclusive and ( // b\n sublicensable // c\n ) }",
    );
    assert_eq!(
        out,
        "clause 1 {\n  permit use\n  when not // a\n    exclusive and ( // b\n    sublicensable) // c\n}\n"
    );
    assert_eq!(fmt(&out), out);
}

#[test]
fn two_trailing_comments_do_not_share_a_line() {
    let out = fmt("clause 1 { permit use when (exclusive // a\n) // b\n }");
    assert_eq!(
        out,
        "clause 1 {\n  permit use\n  when (exclusive // a\n    ) // b\n}\n"
    );
    assert_eq!(fmt(&out), out);
}

#[test]
fn labels_that_are_item_keywords_never_start_a_line() {
    // A label may be `clause` or `party`; at the start of a line it would
    // begin a new item.
    let labels: Vec<String> = (0..30).map(|i| format!("party.{i}")).collect();
    let text = format!(
        "clause 1 notwithstanding clause, party, {} {{ permit use }}\n",
        labels.join(", ")
    );
    let out = fmt(&text);
    assert!(
        out.lines()
            .next()
            .is_some_and(|l| l.len() > super::MAX_WIDTH)
    );
    assert_eq!(fmt(&out), out);
}

#[test]
fn the_result_is_checked_against_the_original() {
    assert!(super::verify::check("party a \"A\"\n", "party a \"A\"\n").is_ok());
    let changed = super::verify::check("party a \"A\"\n", "party b \"A\"\n");
    assert!(changed.is_err());
    let lost = super::verify::check("party a \"A\" // x\n", "party a \"A\"\n");
    assert!(lost.is_err());
}
