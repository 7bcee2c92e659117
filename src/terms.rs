//! The terms every stage shares: what a clause does, what a decision is,
//! how a comparison compares. The syntax tree, the model, the engine and the
//! reports all speak them; none of them owns them.

use serde::Serialize;

/// What a clause does to the actions it concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClauseKind {
    #[default]
    Permit,
    Forbid,
    Oblige,
}

impl ClauseKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ClauseKind::Permit => "permit",
            ClauseKind::Forbid => "forbid",
            ClauseKind::Oblige => "oblige",
        }
    }
}

/// How a condition compares a value with a bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Cmp {
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "==")]
    Eq,
    #[serde(rename = "!=")]
    Ne,
}

impl Cmp {
    pub fn as_str(self) -> &'static str {
        match self {
            Cmp::Ge => ">=",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Lt => "<",
            Cmp::Eq => "==",
            Cmp::Ne => "!=",
        }
    }
    /// Applies the comparison to two ordered values.
    pub fn holds<T: Ord>(self, left: T, right: T) -> bool {
        match self {
            Cmp::Ge => left >= right,
            Cmp::Le => left <= right,
            Cmp::Gt => left > right,
            Cmp::Lt => left < right,
            Cmp::Eq => left == right,
            Cmp::Ne => left != right,
        }
    }
}

/// The outcome of deciding an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Permit,
    Conditional,
    Deny,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Permit => "permit",
            Decision::Conditional => "conditional",
            Decision::Deny => "deny",
        }
    }
}
