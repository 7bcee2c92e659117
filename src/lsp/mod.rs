//! `ipcheck lsp`: a language server for IPL over stdio (diagnostics,
//! hover, navigation, completion, symbols, formatting, code actions,
//! code lenses, rename, folding ranges, semantic tokens and inlay hints), built on `lsp-server`'s synchronous message loop.
//!
//! Every feature works on the policy a document belongs to: all `.ipl`
//! files of its directory, open documents' text winning over the disk's.

pub mod completion;
pub mod convert;
pub mod diagnostics;
pub mod folding;
pub mod formatting;
pub mod hover;
pub mod inlay;
pub mod keywords;
pub mod lens;
pub mod navigation;
pub mod quick_fixes;
pub mod rename;
pub mod semantic;
pub mod server;
pub mod steady;
pub mod symbols;
pub mod transport;
pub mod workspace;

pub use server::{Server, run};
