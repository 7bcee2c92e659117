//! Resolving a proposed action (from a scenario, the command line or a
//! file) against the policy's names.

use jiff::civil::Date;

use super::errors::group_not_allowed;
use super::{Action, Model, NameRef, PartyRef, did_you_mean, unknown};
use crate::dates;
use crate::diagnostic::{Code, Diagnostic};
use crate::span::FileId;
use crate::syntax::ast::{self, ActionSyntax, NoticeGiven};

/// Binds every name of an action. Unknown actors, verbs, assets, fields and
/// territories are errors; an undeclared counterparty is an outsider.
pub fn resolve_action(
    model: &Model,
    a: &ActionSyntax,
    file: FileId,
) -> Result<Action, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let actor = a
        .actor
        .as_ref()
        .and_then(|id| match model.names.get(&id.name) {
            Some(NameRef::Party(p)) => Some(*p),
            Some(NameRef::Group(_)) => {
                diags.push(group_not_allowed(id, file, "whoever takes an action"));
                None
            }
            None => {
                let suggestion =
                    did_you_mean(&id.name, model.parties.iter().map(|p| p.name.as_str()));
                diags.push(unknown(
                    Code::UnknownParty,
                    "party",
                    id,
                    file,
                    suggestion,
                    "the actor must be declared with `party` or `third_party`",
                ));
                None
            }
        });
    let verb = a.verb.as_ref().and_then(|id| {
        let found = model.verbs.get(&id.name);
        if found.is_none() {
            let suggestion =
                did_you_mean(&id.name, model.verbs.nodes.iter().map(|n| n.name.as_str()));
            diags.push(unknown(
                Code::UnknownVerb,
                "verb",
                id,
                file,
                suggestion,
                "use a verb of the policy",
            ));
        }
        found
    });
    let asset = a.asset.as_ref().and_then(|id| {
        let found = model.asset_ids.get(&id.name).copied();
        if found.is_none() {
            let suggestion = did_you_mean(&id.name, model.asset_ids.keys().map(String::as_str));
            diags.push(unknown(
                Code::UnknownAsset,
                "asset",
                id,
                file,
                suggestion,
                "name a declared asset",
            ));
        }
        found
    });
    let field = a
        .field
        .as_ref()
        .and_then(|id| node(model, &model.fields, "field", id, file, &mut diags));
    let territory = a
        .territory
        .as_ref()
        .and_then(|id| node(model, &model.territories, "territory", id, file, &mut diags));
    let to =
        a.to.as_ref()
            .and_then(|id| counterparty(model, id, file, &mut diags));
    let date_value = a.date.as_ref().and_then(|d| d.value);
    let mut notice: Vec<(PartyRef, Date)> = Vec::new();
    for (id, given) in a.notice.iter().flatten() {
        let Some(party) = counterparty(model, id, file, &mut diags) else {
            continue;
        };
        let received = match given {
            NoticeGiven::On(day) => *day,
            // A notice reaching before the calendar's start is long enough.
            NoticeGiven::Ahead(d) => {
                date_value.map(|date| dates::sub(date, *d).unwrap_or(Date::MIN))
            }
        };
        if let Some(received) = received {
            notice.push((party, received));
        }
    }
    let parties = |ids: &[ast::Ident], diags: &mut Vec<Diagnostic>| -> Vec<PartyRef> {
        ids.iter()
            .filter_map(|id| counterparty(model, id, file, diags))
            .collect()
    };
    let consents = a.consents.as_ref().map(|ids| parties(ids, &mut diags));
    let consents_pending = parties(&a.consents_pending, &mut diags);
    let objections = a.objections.as_ref().map(|items| {
        items
            .iter()
            .filter_map(|(id, day)| {
                counterparty(model, id, file, &mut diags)
                    .map(|p| (p, day.as_ref().and_then(|d| d.value)))
            })
            .collect()
    });
    let objections_pending = parties(&a.objections_pending, &mut diags);
    let mut facts = Vec::new();
    for (id, value) in a.facts.iter().flatten() {
        match model.fact_ids.get(&id.name) {
            Some(f) => facts.push((*f, *value)),
            None => {
                let suggestion = did_you_mean(&id.name, model.fact_ids.keys().map(String::as_str));
                diags.push(unknown(
                    Code::UnknownFact,
                    "fact",
                    id,
                    file,
                    suggestion,
                    "an action states only facts the policy declares with `fact`",
                ));
            }
        }
    }
    let mut events = Vec::new();
    for (id, day) in &a.events {
        match model.event_ids.get(&id.name) {
            Some(e) => {
                if let Some(d) = day.value {
                    events.push((*e, d));
                }
            }
            None => {
                let suggestion = did_you_mean(&id.name, model.event_ids.keys().map(String::as_str));
                diags.push(unknown(
                    Code::UnknownEvent,
                    "event",
                    id,
                    file,
                    suggestion,
                    "an action states only events the policy declares with `event`",
                ));
            }
        }
    }
    let date = match &a.date {
        Some(d) => d.value,
        None => {
            diags.push(
                Diagnostic::new(
                    Code::IncompleteAction,
                    file,
                    a.span,
                    "the action has no date",
                )
                .with_label("no `on DATE`")
                .with_help("add `on YYYY-MM-DD`: the day the action takes effect"),
            );
            None
        }
    };
    if let (Some(v), None) = (&a.verb, &a.to)
        && matches!(v.name.as_str(), "license" | "sublicense" | "assign")
    {
        diags.push(
            Diagnostic::new(
                Code::IncompleteAction,
                file,
                v.span,
                format!("`{}` needs a counterparty", v.name),
            )
            .with_label("no `to PARTY`")
            .with_help("add `to PARTY`: who receives the licence or the asset"),
        );
    }
    let until = a.until.as_ref().and_then(|d| d.value);
    match (actor, verb, asset, date) {
        (Some(actor), Some(verb), Some(asset), Some(date)) if diags.is_empty() => Ok(Action {
            actor,
            verb,
            asset,
            to,
            field,
            territory,
            date,
            until,
            exclusive: a.exclusive.as_ref().map(|e| e.value),
            sublicensable: a.sublicensable.as_ref().map(|e| e.value),
            royalty: a.royalty.as_ref().map(|r| r.value),
            notice,
            consents,
            consents_pending,
            objections,
            objections_pending,
            facts,
            events,
            income: a.income.as_ref().map(|i| i.value.clone()),
        }),
        _ => Err(diags),
    }
}

fn node(
    _model: &Model,
    tree: &super::Hierarchy,
    noun: &str,
    id: &ast::Ident,
    file: FileId,
    diags: &mut Vec<Diagnostic>,
) -> Option<super::NodeId> {
    let found = tree.get(&id.name);
    if found.is_none() {
        let suggestion = did_you_mean(&id.name, tree.nodes.iter().map(|n| n.name.as_str()));
        let code = if noun == "field" {
            Code::UnknownField
        } else {
            Code::UnknownTerritory
        };
        diags.push(unknown(
            code,
            noun,
            id,
            file,
            suggestion,
            &format!("name a {noun} of the policy's tree"),
        ));
    }
    found
}

/// A declared party, or an outsider; a group is an error.
fn counterparty(
    model: &Model,
    id: &ast::Ident,
    file: FileId,
    diags: &mut Vec<Diagnostic>,
) -> Option<PartyRef> {
    match model.names.get(&id.name) {
        Some(NameRef::Party(p)) => Some(PartyRef::Known(*p)),
        Some(NameRef::Group(_)) => {
            diags.push(group_not_allowed(id, file, "the other party of an action"));
            None
        }
        None => Some(PartyRef::Outsider(id.name.clone())),
    }
}
