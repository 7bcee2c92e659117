//! The language server's view of IPL's words: their meanings and the
//! word lists completion offers, all from the one word table
//! (`syntax::words`).

use std::sync::LazyLock;

pub use crate::syntax::words::doc;
use crate::syntax::words::{ASSET_CLASSES, ASSET_TYPES};

/// Words starting a top-level item.
pub use crate::syntax::words::ITEMS;

/// Asset filter words (after `of` in a clause head): the classes, the
/// types, and the ownership and tag filters.
pub static FILTERS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut words: Vec<&str> = ASSET_CLASSES
        .iter()
        .chain(ASSET_TYPES.iter())
        .copied()
        .collect();
    words.extend(["jointly_owned", "solely_owned", "tagged"]);
    words
});
