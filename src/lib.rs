//! ipcheck: a rule-engine policy checker for intellectual-property clauses.
//!
//! Data flows one way: [`syntax`] (text → tree) → [`names`] (symbol table,
//! resolved model) → [`check`] (semantic errors) → [`decide`] (decisions)
//! → [`report`] (output formats).

pub mod diagnostic;
pub mod span;
pub mod syntax;
