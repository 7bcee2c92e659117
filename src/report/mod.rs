//! Reports: one emitter per output format.

pub mod human;
pub mod json;
