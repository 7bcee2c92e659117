//! ## What it does
//! Finds permits that name an asset tagged `excluded`, by its id or with
//! `tagged excluded`.
//!
//! ## Why is this bad?
//! Consortium agreements list *excluded background*: IP a party brings
//! but keeps out of the access rights. The tag `excluded` records that.
//! A permit that singles such an asset out grants exactly what the
//! agreement withholds; if the exclusion was lifted, the tag should go.
//! (A broad permit such as `of background` is not reported: a forbid on
//! excluded background is the usual way to carve those assets out.)
//!
//! ## Example
//! ```ipl
//! agreement "Consortium" { effective 2025-01-01 expires 2028-12-31 }
//! party umicore "Umicore"
//! party bmw "BMW"
//! asset precursor "Cathode precursor route" {
//!   class background owner umicore tags excluded
//! }
//!
//! clause 9.3 "Access to the precursor route" {
//!   permit research of precursor
//!   by bmw
//! }
//! ```
//!
//! ## Use instead
//! ```ipl
//! agreement "Consortium" { effective 2025-01-01 expires 2028-12-31 }
//! party umicore "Umicore"
//! party bmw "BMW"
//! asset precursor "Cathode precursor route" {
//!   class background owner umicore tags excluded
//! }
//! asset coating "Dry coating" { class background owner umicore }
//!
//! clause 9.2 "Excluded background" {
//!   forbid any of background tagged excluded
//!   by anyone except owners
//! }
//! clause 9.3 "Access to background" {
//!   permit research of background
//!   by bmw
//! }
//! ```

use crate::decide::logic::Tri;
use crate::diagnostic::{Code, Diagnostic};
use crate::names::{AssetId, ClauseId};
use crate::partition::{Question, settle};
use crate::span::Location;
use crate::syntax::ast::{self};
use crate::terms::ClauseKind;

use super::context::LintCtx;

pub const CODE: Code = Code::ExcludedBackgroundPermitted;

/// The tag that marks excluded background.
const EXCLUDED: &str = "excluded";

pub(crate) fn run(cx: &LintCtx, out: &mut Vec<Diagnostic>) {
    let excluded: Vec<AssetId> = cx
        .model
        .assets
        .iter()
        .enumerate()
        .filter(|(_, a)| a.tags.iter().any(|t| t == EXCLUDED))
        .map(|(i, _)| AssetId(i as u32))
        .collect();
    if excluded.is_empty() {
        return;
    }
    for (id, clause) in cx.clauses() {
        if clause.kind != ClauseKind::Permit {
            continue;
        }
        let Some((file, syntax)) = cx.clause_syntax(&clause.label) else {
            continue;
        };
        for selector in syntax.heads.iter().take(1).flat_map(|h| &h.assets) {
            let (span, named) = match selector {
                ast::AssetSelector::Named(name) => {
                    let Some(&asset) = cx.model.asset_ids.get(&name.name) else {
                        continue;
                    };
                    if !excluded.contains(&asset) {
                        continue;
                    }
                    (name.span, vec![asset])
                }
                ast::AssetSelector::Filter(f) => {
                    if f.tag.as_ref().is_none_or(|t| t.name != EXCLUDED) {
                        continue;
                    }
                    let chosen: Vec<AssetId> = excluded
                        .iter()
                        .copied()
                        .filter(|a| cx.regions.selects(id, *a))
                        .collect();
                    (f.span, chosen)
                }
            };
            out.push(report(cx, id, Location { file, span }, &named));
        }
    }
}

fn report(cx: &LintCtx, id: ClauseId, at: Location, assets: &[AssetId]) -> Diagnostic {
    let names: Vec<String> = assets
        .iter()
        .map(|a| format!("`{}`", cx.model.asset(*a).name))
        .collect();
    let mut diag = Diagnostic::new(
        CODE,
        at.file,
        at.span,
        format!(
            "{} explicitly permits excluded background: {}",
            cx.name(id),
            if names.is_empty() {
                "any asset tagged `excluded`".to_string()
            } else {
                names.join(", ")
            }
        ),
    )
    .with_label("tagged `excluded`");
    for &a in assets {
        let asset = cx.model.asset(a);
        let tag = cx.asset_syntax(&asset.name).and_then(|(file, syntax)| {
            let tag = syntax.tags.iter().find(|t| t.name == EXCLUDED)?;
            Some(Location {
                file,
                span: tag.span,
            })
        });
        diag = diag.with_related(
            tag.unwrap_or(asset.location),
            format!("`{}` is excluded background", asset.name),
        );
    }
    let base = [id];
    let witness = assets.iter().find_map(|&a| {
        let question = Question {
            asset: Some(a),
            ..Question::about(&base, &[])
        };
        cx.regions
            .witness(&question, &mut |_, t| {
                settle(t[0] == Tri::True, t[0] == Tri::False)
            })
            .witness()
            .cloned()
    });
    let mut help = format!(
        "excluded background is outside the access rights; remove it from {}, or drop its `excluded` tag if the exclusion was lifted",
        cx.name(id)
    );
    if let Some(w) = witness {
        help.push('\n');
        help.push_str(&cx.witness(&w, &format!("falls under {}", cx.name(id))));
    }
    diag.with_help(help)
}
