//! Reports: one emitter per output format.

pub mod decision;
pub mod human;
pub mod json;
