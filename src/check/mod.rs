//! Checks: semantic errors in a resolved policy (one file per family).
//!
//! Every check reads the syntax tree for what was written and where, and
//! the model for what it resolved to. A value that an earlier stage (or
//! another check) already reports as wrong is skipped here, so that one
//! mistake yields one diagnostic: an invalid date is `None` in both the tree
//! and the model, and every check below treats `None` as "not stated".

mod agreement;
mod assets;
mod dates;
mod documents;
mod grants;
mod percent;
mod priority;
mod windows;

// The checks of a scenario's action, for actions from outside a policy.
pub(crate) use dates::invalid_date_at;
pub(crate) use windows::action_until_before_on;

use jiff::civil::Date;

use crate::diagnostic::{Code, Diagnostic};
use crate::names::{ClauseId, GrantId, LabelRef, Model};
use crate::source::SourceMap;
use crate::span::{FileId, Location, Span};
use crate::syntax::ast::{self, ItemKind};
use crate::syntax::split;

/// Every semantic error of a policy whose names are resolved. The source
/// text lets messages quote what was written (`2026-02-30` is kept by the
/// tree only as "not a date"), and keeps a missing agreement from being
/// reported when an `agreement` item failed to parse (the syntax error
/// already covers it).
pub fn check(
    files: &[(FileId, &ast::File)],
    model: &Model,
    sources: &SourceMap,
) -> Vec<Diagnostic> {
    run(&Ctx {
        files,
        model,
        sources,
    })
}

fn run(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    agreement::check(ctx, &mut out);
    assets::check(ctx, &mut out);
    dates::check(ctx, &mut out);
    percent::check(ctx, &mut out);
    windows::check(ctx, &mut out);
    priority::check(ctx, &mut out);
    grants::check(ctx, &mut out);
    documents::check(ctx, &mut out);
    out
}

/// What every check reads.
pub(crate) struct Ctx<'a> {
    files: &'a [(FileId, &'a ast::File)],
    model: &'a Model,
    sources: &'a SourceMap,
}

impl<'a> Ctx<'a> {
    /// Every item of the policy, in source order.
    fn items(&self) -> impl Iterator<Item = (FileId, &'a ast::Item)> + 'a {
        self.files
            .iter()
            .flat_map(|&(file, ast)| ast.items.iter().map(move |item| (file, item)))
    }

    /// The source text of a span, when the sources were given.
    fn text(&self, file: FileId, span: Span) -> Option<&'a str> {
        self.sources.get(file)?.text.get(span.range())
    }

    /// The model's id of a written clause; `None` for a clause whose label
    /// was already taken (reported by `names`, not compiled).
    fn clause_id(&self, file: FileId, clause: &ast::Clause) -> Option<ClauseId> {
        match self.model.labels.get(&clause.label.name) {
            Some(LabelRef::Clause(id))
                if self.model.clauses.get(id.index())?.label_location
                    == loc(file, clause.label.span) =>
            {
                Some(*id)
            }
            _ => None,
        }
    }

    /// The model's id of a written grant, like [`Ctx::clause_id`].
    fn grant_id(&self, file: FileId, grant: &ast::Grant) -> Option<GrantId> {
        match self.model.labels.get(&grant.label.name) {
            Some(LabelRef::Grant(id))
                if self.model.grants.get(id.index())?.label_location
                    == loc(file, grant.label.span) =>
            {
                Some(*id)
            }
            _ => None,
        }
    }

    /// The agreement's start and end when it ends before it starts: a
    /// mistake reported once, by the agreement check, and ignored by every
    /// window derived from the agreement.
    fn agreement_reversed(&self) -> bool {
        self.model
            .agreement
            .as_ref()
            .is_some_and(|a| matches!((a.effective, a.expires), (Some(e), Some(x)) if x < e))
    }

    /// A percentage as written, or rebuilt from its value.
    fn percent_text(&self, file: FileId, percent: &ast::Percent) -> String {
        match self.text(file, percent.span) {
            Some(text) => text.to_string(),
            None => ast::percent_text(percent.value),
        }
    }

    /// Does the source of `file` hold an `agreement` item that did not
    /// parse?
    fn has_broken_agreement(&self) -> bool {
        let sources = self.sources;
        self.files.iter().any(|&(file, _)| {
            sources.get(file).is_some_and(|source| {
                split::split_items(&source.text).iter().any(|chunk| {
                    let text = source.text.get(chunk.start..chunk.end).unwrap_or("");
                    starts_with_word(skip_trivia(text), "agreement")
                })
            })
        })
    }
}

/// The text after leading whitespace, a byte-order mark and comments.
fn skip_trivia(mut text: &str) -> &str {
    loop {
        let trimmed = text.trim_start_matches([' ', '\t', '\r', '\n', '\u{FEFF}']);
        if trimmed.starts_with("//") {
            text = trimmed.find('\n').map_or("", |i| &trimmed[i..]);
        } else {
            return trimmed;
        }
    }
}

fn starts_with_word(text: &str, word: &str) -> bool {
    text.strip_prefix(word)
        .is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
}

pub(crate) fn loc(file: FileId, span: Span) -> Location {
    Location { file, span }
}

/// A date range in words: `from 2026-01-01 to 2030-12-31`, `from
/// 2026-01-01 on`, `until 2030-12-31`, `at any time`.
pub(crate) fn format_period(from: Option<Date>, until: Option<Date>) -> String {
    match (from, until) {
        (Some(f), Some(u)) if f == u => format!("on {f}"),
        (Some(f), Some(u)) => format!("from {f} to {u}"),
        (Some(f), None) => format!("from {f} on"),
        (None, Some(u)) => format!("until {u}"),
        (None, None) => "at any time".to_string(),
    }
}

/// Every `agreement` block, in source order (the first is the model's).
fn agreements<'a>(
    ctx: &Ctx<'a>,
) -> impl Iterator<Item = (FileId, &'a ast::Item, &'a ast::Agreement)> + 'a {
    ctx.items().filter_map(|(file, item)| match &item.kind {
        ItemKind::Agreement(a) => Some((file, item, a)),
        _ => None,
    })
}

/// A "`X` is given twice" diagnostic for a line that may appear once,
/// pointing at the second one; `None` when it appears at most once.
/// `owner` names what holds the line and is only built when needed.
pub(crate) fn repeated_line<S>(
    keyword: &str,
    owner: impl FnOnce() -> String,
    file: FileId,
    items: &[S],
    span: impl Fn(&S) -> Span,
) -> Option<Diagnostic> {
    let spans: Vec<Span> = match items {
        [_, _, ..] => items.iter().map(span).collect(),
        _ => return None,
    };
    let (first, second) = (spans[0], spans[1]);
    let owner = owner();
    let times = match spans.len() {
        2 => "twice".to_string(),
        n => format!("{n} times"),
    };
    let mut diag = Diagnostic::new(
        Code::RepeatedLine,
        file,
        second,
        format!("`{keyword}` is given {times} in {owner}"),
    )
    .with_label(format!("another `{keyword}`"))
    .with_related(loc(file, first), format!("first `{keyword}` here"))
    .with_help(match spans.len() {
        2 => format!("remove one of the two `{keyword}` lines"),
        _ => format!("keep one `{keyword}` line and remove the others"),
    });
    for other in &spans[2..] {
        diag = diag.with_related(loc(file, *other), format!("another `{keyword}` here"));
    }
    Some(diag)
}

#[cfg(test)]
pub(crate) mod test_util {
    use std::path::PathBuf;

    use crate::diagnostic::{Code, Diagnostic};
    use crate::source::SourceMap;

    /// A valid agreement block, for tests about other things.
    pub const AGREEMENT: &str = "agreement \"A\" { effective 2025-01-01 expires 2028-12-31 }\n";

    fn sources(text: &str) -> SourceMap {
        let mut sources = SourceMap::default();
        sources.add("test.ipl", PathBuf::from("test.ipl"), text);
        sources
    }

    /// Every diagnostic of one file, as `ipcheck lint` finds them.
    pub fn diagnostics(text: &str) -> Vec<Diagnostic> {
        crate::policy::analyze(sources(text)).diagnostics
    }

    /// The codes of every diagnostic, in source order.
    pub fn codes(text: &str) -> Vec<Code> {
        diagnostics(text).iter().map(|d| d.code).collect()
    }

    /// The check diagnostics with the sources given, as quoted messages.
    pub fn with_sources(text: &str) -> Vec<Diagnostic> {
        let sources = sources(text);
        let policy = crate::policy::analyze(sources.clone());
        let refs: Vec<_> = policy.syntax.iter().map(|(id, f)| (*id, f)).collect();
        super::check(&refs, &policy.model, &sources)
    }
}

#[cfg(test)]
mod tests {
    use super::test_util::{AGREEMENT, codes};
    use super::*;
    use crate::syntax::ast::{Duration, DurationUnit};

    #[test]
    fn percentages_and_durations_read_as_written() {
        assert_eq!(ast::percent_text(1250), "12.5%");
        assert_eq!(ast::percent_text(1205), "12.05%");
        assert_eq!(ast::percent_text(10_000), "100%");
        let d = |count, unit| Duration {
            count,
            unit,
            span: Span::default(),
        };
        assert_eq!(d(1, DurationUnit::Years).to_string(), "1 year");
        assert_eq!(d(45, DurationUnit::Days).to_string(), "45 days");
    }

    #[test]
    fn a_clean_policy_has_no_check_errors() {
        let text = format!(
            "{AGREEMENT}party a \"A\"\nparty b \"B\"\n\
             asset x {{ class foreground owners a 50%, b 50% created 2026-01-01 }}\n\
             grant G {{ exclusive license of x from a to b from 2026-01-01 until 2027-01-01 }}\n\
             clause 1 {{ permit use of x during term when royalty >= 3% duty pay 5% of income to a }}\n\
             clause 2 notwithstanding 1 {{ forbid use of x from 2026-01-01 until expires }}\n"
        );
        assert_eq!(codes(&text), Vec::<Code>::new());
    }
}
