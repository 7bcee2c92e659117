//! The diagnostic codes of `diff` and `check --base`, all in one place.

use super::Kind;

pub const WIDENED: &str = "ipl::diff::widened";
pub const NARROWED: &str = "ipl::diff::narrowed";
pub const REATTRIBUTED: &str = "ipl::diff::reattributed";
pub const OBLIGATIONS: &str = "ipl::diff::obligations";
/// A change in effect of a clause that no scenario covers.
pub const UNCOVERED: &str = "ipl::diff::uncovered";
/// The diff stopped at its budget: changes may be missing.
pub const INCOMPLETE: &str = "ipl::diff::incomplete";
/// A clause or grant that decides no scenario (`test --coverage`, `check`).
pub const NOT_COVERED: &str = "ipl::coverage::not_covered";

/// The kinds a `[diff]` table of ipcheck.toml may level.
pub const KIND_NAMES: [&str; 5] = [
    "widened",
    "narrowed",
    "reattributed",
    "obligations",
    "uncovered",
];

pub fn of_kind(kind: Kind) -> &'static str {
    match kind {
        Kind::Widened => WIDENED,
        Kind::Narrowed => NARROWED,
        Kind::Reattributed => REATTRIBUTED,
        Kind::Obligations => OBLIGATIONS,
    }
}

/// `widened` → `ipl::diff::widened`.
pub fn of_kind_name(name: &str) -> Option<&'static str> {
    match name {
        "uncovered" => Some(UNCOVERED),
        other => Kind::parse(other).map(of_kind),
    }
}
