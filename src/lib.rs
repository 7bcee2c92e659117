//! ipcheck: a rule-engine policy checker for intellectual-property clauses.
//!
//! Data flows one way: [`syntax`] (text → tree) → [`names`] (symbol table,
//! resolved model) → [`check`] (semantic errors) → [`decide`] (decisions)
//! → [`report`] (output formats).

// pest without `std` (no per-call stack probe; nesting is bounded before
// parsing) generates code that names `alloc`.
extern crate alloc;

pub mod action_files;
pub mod autofix;
pub mod check;
pub mod cli;
pub mod config;
pub mod dates;
pub mod decide;
pub mod diagnostic;
pub mod diff;
pub mod docs;
pub mod fmt;
pub mod graph;
pub mod lint;
pub mod lsp;
pub mod names;
pub mod partition;
pub mod policy;
pub mod proposal;
pub mod register;
pub mod report;
pub mod source;
pub mod span;
pub mod suggest;
pub mod syntax;
pub mod terms;
pub mod write;
