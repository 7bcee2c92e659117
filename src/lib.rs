//! ipcheck: a rule-engine policy checker for intellectual-property clauses.
//!
//! Data flows one way: [`syntax`] (text → tree) → [`names`] (symbol table,
//! resolved model) → [`check`] (semantic errors) → [`decide`] (decisions)
//! → [`report`] (output formats).

pub mod actions;
pub mod check;
pub mod cli;
pub mod dates;
pub mod decide;
pub mod diagnostic;
pub mod lint;
pub mod names;
pub mod policy;
pub mod report;
pub mod source;
pub mod span;
pub mod syntax;
