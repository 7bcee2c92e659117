//! `// ipcheck: allow(code, …)` comments: a finding inside an item is
//! dropped when the comment lines right above the item allow its code
//! (with or without the `ipl::lint::` prefix). Doc comments may sit
//! between the allow comment and the item.

use crate::diagnostic::Diagnostic;
use crate::policy::Policy;
use crate::span::{FileId, Span};

use super::PREFIX;

/// The allow comments of a policy, per item.
pub(crate) struct Allows {
    /// Per file: items that carry allow comments, with the lint names.
    items: Vec<(FileId, Span, Vec<String>)>,
}

impl Allows {
    pub fn of(policy: &Policy) -> Allows {
        let mut items = Vec::new();
        for (file, tree) in &policy.syntax {
            let Some(source) = policy.sources.get(*file) else {
                continue;
            };
            for item in &tree.items {
                let before = source.text.get(..item.span.start as usize).unwrap_or("");
                let names = allowed_above(before);
                if !names.is_empty() {
                    items.push((*file, item.span, names));
                }
            }
        }
        Allows { items }
    }

    /// Is the finding inside an item whose comments allow its code?
    pub fn allows(&self, diag: &Diagnostic) -> bool {
        let name = diag.code.name();
        let at = diag.location.span.start as usize;
        self.items.iter().any(|(file, span, names)| {
            *file == diag.location.file && span.contains(at) && names.iter().any(|n| n == name)
        })
    }
}

/// The lint names allowed by the comment lines directly above the end of
/// `before` (the text before an item).
fn allowed_above(before: &str) -> Vec<String> {
    let mut names = Vec::new();
    // The first piece is the item's own line, before the item: skip it.
    for line in before.rsplit('\n').skip(1) {
        let line = line.trim();
        let Some(comment) = line.strip_prefix("//") else {
            break;
        };
        let Some(directive) = comment.trim().strip_prefix("ipcheck:") else {
            continue;
        };
        let Some(list) = directive
            .trim()
            .strip_prefix("allow(")
            .and_then(|rest| rest.split(')').next())
        else {
            continue;
        };
        names.extend(
            list.split(',')
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
                .map(|c| c.strip_prefix(PREFIX).unwrap_or(c).to_string()),
        );
    }
    names
}

#[cfg(test)]
mod tests {
    use super::allowed_above;

    #[test]
    fn reads_the_comment_block_above_an_item() {
        let text = "party a \"A\"\n// ipcheck: allow(dead_permit, ipl::lint::unused)\n/// Doc.\n";
        assert_eq!(allowed_above(text), ["dead_permit", "unused"]);
    }

    #[test]
    fn a_blank_line_or_code_ends_the_block() {
        assert!(allowed_above("// ipcheck: allow(unused)\n\n").is_empty());
        assert!(allowed_above("// ipcheck: allow(unused)\nparty a \"A\"\n").is_empty());
    }
}
