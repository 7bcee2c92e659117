//! The diagnostic codes of `diff` and `check --base`, all in one place.

use super::Kind;
use crate::diagnostic::Code;

pub const WIDENED: Code = Code::DiffWidened;
pub const NARROWED: Code = Code::DiffNarrowed;
pub const REATTRIBUTED: Code = Code::DiffReattributed;
pub const OBLIGATIONS: Code = Code::DiffObligations;
/// A change in effect of a clause that no scenario covers.
pub const UNCOVERED: Code = Code::DiffUncovered;
/// The diff stopped at its budget: changes may be missing.
pub const INCOMPLETE: Code = Code::DiffIncomplete;
/// A clause or grant that decides no scenario (`test --coverage`, `check`).
pub const NOT_COVERED: Code = Code::CoverageNotCovered;

/// The kinds a `[diff]` table of ipcheck.toml may level.
pub const KIND_NAMES: [&str; 5] = [
    "widened",
    "narrowed",
    "reattributed",
    "obligations",
    "uncovered",
];

pub fn of_kind(kind: Kind) -> Code {
    match kind {
        Kind::Widened => WIDENED,
        Kind::Narrowed => NARROWED,
        Kind::Reattributed => REATTRIBUTED,
        Kind::Obligations => OBLIGATIONS,
    }
}

/// `widened` → `ipl::diff::widened`.
pub fn of_kind_name(name: &str) -> Option<Code> {
    match name {
        "uncovered" => Some(UNCOVERED),
        other => Kind::parse(other).map(of_kind),
    }
}
