//! Applying fixes: the edits that diagnostics carry, applied to a
//! policy's files in rounds (a fixed syntax error lets the lints run),
//! for `ipcheck lint --fix`.

use std::sync::Arc;

use crate::diagnostic::{Applicability, Code, Diagnostic, Edit};
use crate::lint::{self, LintOptions};
use crate::policy::{self, Policy};
use crate::source::SourceMap;
use crate::span::FileId;

/// At most this many rounds of analysing and fixing: each round fixes
/// what the previous one uncovered, and a fix never undoes another, so a
/// policy settles in a round or two.
const ROUNDS: usize = 8;

/// A policy after its fixes: the analysis of the fixed text (with lints)
/// and, per file, the text before and after.
pub struct Fixed {
    pub policy: Policy,
    /// `(file, original text, fixed text)` for each file that changed.
    pub changed: Vec<(FileId, Arc<str>, Arc<str>)>,
    /// How many fixes were applied.
    pub applied: usize,
}

/// Every diagnostic of the policy, lints included (lints run on a policy
/// without errors).
fn analysed(sources: SourceMap, options: &LintOptions) -> Policy {
    let mut policy = policy::analyze(sources);
    let findings = lint::lint(&policy, options);
    policy.diagnostics.extend(findings);
    policy::sort_diagnostics(&mut policy.diagnostics);
    policy
}

/// Applies the fixes of `policy`'s diagnostics that `wanted` admits
/// (safe ones, or unsafe ones too), re-analysing between rounds. A fix
/// is applied whole or not at all; one that overlaps a fix already taken
/// this round waits for the next. Files that could not be read as UTF-8
/// are never rewritten.
pub fn fix(policy: Policy, options: &LintOptions, wanted: Applicability) -> Fixed {
    let original: Vec<Arc<str>> = policy
        .sources
        .files
        .iter()
        .map(|f| f.text.clone())
        .collect();
    let unreadable: Vec<FileId> = policy
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::InvalidUtf8)
        .map(|d| d.location.file)
        .collect();
    let mut policy = analysed(policy.sources, options);
    let mut applied = 0;
    for _ in 0..ROUNDS {
        let taken = chosen(&policy.diagnostics, wanted, &unreadable);
        if taken.is_empty() {
            break;
        }
        let mut sources = SourceMap::default();
        for (index, file) in policy.sources.files.iter().enumerate() {
            let id = FileId(index as u32);
            let edits: Vec<&Edit> = taken
                .iter()
                .flat_map(|d| d.fix.iter().flat_map(|f| f.edits.iter()))
                .filter(|e| e.location.file == id)
                .collect();
            let (text, _) = crate::diagnostic::apply(&file.text, &edits);
            sources.add(file.name.clone(), file.path.clone(), text);
        }
        applied += taken.len();
        policy = analysed(sources, options);
    }
    let changed = policy
        .sources
        .files
        .iter()
        .enumerate()
        .filter_map(|(index, file)| {
            let before = original.get(index)?;
            (**before != *file.text)
                .then(|| (FileId(index as u32), before.clone(), file.text.clone()))
        })
        .collect();
    Fixed {
        policy,
        changed,
        applied,
    }
}

/// The diagnostics whose fixes are applied this round: admitted by
/// `wanted`, in unreadable files never, and none overlapping another.
fn chosen<'d>(
    diagnostics: &'d [Diagnostic],
    wanted: Applicability,
    unreadable: &[FileId],
) -> Vec<&'d Diagnostic> {
    let mut taken: Vec<&Diagnostic> = Vec::new();
    let mut claimed: Vec<&Edit> = Vec::new();
    for diag in diagnostics {
        let Some(fix) = &diag.fix else { continue };
        let admitted = fix.applicability <= wanted
            && !fix.edits.is_empty()
            && fix
                .edits
                .iter()
                .all(|e| !unreadable.contains(&e.location.file));
        let overlaps = fix.edits.iter().any(|e| {
            claimed.iter().any(|c| {
                c.location.file == e.location.file
                    && c.location.span.start <= e.location.span.end
                    && e.location.span.start <= c.location.span.end
            })
        });
        if admitted && !overlaps {
            claimed.extend(fix.edits.iter());
            taken.push(diag);
        }
    }
    taken
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(text: &str, wanted: Applicability) -> (String, usize, Vec<Code>) {
        let mut sources = SourceMap::default();
        sources.add("p.ipl", "p.ipl".into(), text);
        let today = jiff::civil::Date::new(2026, 1, 1).unwrap_or_default();
        let out = fix(policy::analyze(sources), &LintOptions { today }, wanted);
        let text = out
            .policy
            .sources
            .files
            .first()
            .map(|f| f.text.to_string())
            .unwrap_or_default();
        let codes = out.policy.diagnostics.iter().map(|d| d.code).collect();
        (text, out.applied, codes)
    }

    const HEAD: &str = "agreement \"A\" { effective 2025-01-01 expires 2028-12-31 }\nparty catl \"CATL\"\nparty bmw \"BMW\"\nasset x \"X\" { class foreground owner catl }\n";

    #[test]
    fn safe_fixes_are_applied_and_unsafe_ones_only_when_asked() {
        // A missing comma (safe) and a typo (unsafe).
        let text = format!("{HEAD}clause 1 {{\n  permit use of x\n  by catl bmw\n  to bwm\n}}\n");
        let (safe, n, codes) = fixed(&text, Applicability::Safe);
        assert!(safe.contains("by catl, bmw\n  to bwm"), "{safe}");
        assert_eq!(n, 1);
        assert!(codes.contains(&Code::UnknownParty), "{codes:?}");
        let (all, _, codes) = fixed(&text, Applicability::Unsafe);
        assert!(all.contains("by catl, bmw\n  to bmw"), "{all}");
        assert!(
            !codes
                .iter()
                .any(|c| c.family() == crate::diagnostic::Family::Names)
        );
    }

    #[test]
    fn a_clean_policy_is_left_alone() {
        let text = format!("{HEAD}clause 1 {{\n  permit use of x\n  by catl\n}}\n");
        let (out, n, _) = fixed(&text, Applicability::Unsafe);
        assert_eq!((out.as_str(), n), (text.as_str(), 0));
    }
}
