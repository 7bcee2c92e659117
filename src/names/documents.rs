//! Documents (§7.9): the instrument and amendment each file belongs to,
//! versions of amended clauses and grants, and the days each is in force;
//! and the fact and event namespaces (§7.1, §7.4).

use std::collections::HashMap;

use jiff::civil::Date;

use super::{
    AmendmentId, AmendmentInfo, DeclaredInfo, EventId, FactId, InForce, InstrumentId,
    InstrumentInfo, LabelRef, Located, Resolver, did_you_mean, loc, unknown,
};
use crate::diagnostic::{Code, Diagnostic};
use crate::span::{FileId, Location};
use crate::syntax::ast::{self, ItemKind};

/// A day a label's version changes: the version starting then, or `None`
/// for a removal.
type VersionEvent = (Option<Date>, Option<LabelRef>);

/// What a file's header makes of its clauses and grants.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Document {
    pub instrument: Option<InstrumentId>,
    pub amendment: Option<AmendmentId>,
}

impl Resolver {
    /// Declares every `instrument` and `amendment` header, one per file.
    pub(super) fn declare_documents(&mut self, files: &[(FileId, &ast::File)]) {
        for &(file, ast) in files {
            let mut header: Option<Location> = None;
            for item in &ast.items {
                let (id_span, what) = match &item.kind {
                    ItemKind::Instrument(i) => (i.id.span, "instrument"),
                    ItemKind::Amendment(a) => (a.label.span, "amendment"),
                    _ => continue,
                };
                if let Some(first) = header {
                    self.diags.push(
                        Diagnostic::new(
                            Code::SecondDocument,
                            file,
                            id_span,
                            format!("a second `instrument` or `amendment` line in one file ({what})"),
                        )
                        .with_label("second header")
                        .with_related(first, "this file's header")
                        .with_help("a file belongs to one document: move these clauses to a file of their own"),
                    );
                    continue;
                }
                header = Some(loc(file, id_span));
                let document = self.documents.entry(file).or_default();
                match &item.kind {
                    ItemKind::Instrument(i) => {
                        if let Some(first) = self.model.instrument_ids.get(&i.id.name) {
                            let first = self.model.instruments[first.index()].name_location;
                            self.diags
                                .push(super::duplicate("instrument", &i.id, file, first));
                            continue;
                        }
                        let id = InstrumentId(self.model.instruments.len() as u32);
                        document.instrument = Some(id);
                        self.model.instrument_ids.insert(i.id.name.clone(), id);
                        self.model.instruments.push(InstrumentInfo {
                            name: i.id.name.clone(),
                            title: i.title.value.clone(),
                            prevails_over: Vec::new(),
                            doc: item.doc.clone(),
                            location: loc(file, item.span),
                            name_location: loc(file, i.id.span),
                        });
                    }
                    ItemKind::Amendment(a) => {
                        let id = AmendmentId(self.model.amendments.len() as u32);
                        document.amendment = Some(id);
                        self.model.amendments.push(AmendmentInfo {
                            label: a.label.name.clone(),
                            title: a.title.value.clone(),
                            effective: a.effective.value,
                            removes: a
                                .removes
                                .iter()
                                .map(|r| Located {
                                    value: r.name.clone(),
                                    location: loc(file, r.span),
                                })
                                .collect(),
                            location: loc(file, item.span),
                            label_location: loc(file, a.label.span),
                        });
                    }
                    _ => {}
                }
            }
        }
    }

    /// Resolves `prevails over` lists and checks amendment dates.
    pub(super) fn define_documents(&mut self, files: &[(FileId, &ast::File)]) {
        for &(file, ast) in files {
            for item in &ast.items {
                let ItemKind::Instrument(i) = &item.kind else {
                    continue;
                };
                let Some(&me) = self.model.instrument_ids.get(&i.id.name) else {
                    continue;
                };
                if self.model.instruments[me.index()].name_location != loc(file, i.id.span) {
                    continue; // a duplicate, already reported
                }
                let mut over = Vec::new();
                for target in &i.prevails_over {
                    match self.model.instrument_ids.get(&target.name) {
                        Some(t) => over.push(*t),
                        None => {
                            let names = self.model.instrument_ids.keys().map(String::as_str);
                            let suggestion = did_you_mean(&target.name, names);
                            self.diags.push(unknown(
                                Code::UnknownInstrument,
                                "instrument",
                                target,
                                file,
                                suggestion,
                                "declare it with `instrument ID \"title\"` at the top of its file",
                            ));
                        }
                    }
                }
                self.model.instruments[me.index()].prevails_over = over;
            }
        }
        let effective = self.model.agreement.as_ref().and_then(|a| a.effective);
        for amendment in &self.model.amendments {
            if let (Some(date), Some(start)) = (amendment.effective, effective)
                && date < start
            {
                let mut diag = Diagnostic::new(
                    Code::AmendmentBeforeAgreement,
                    amendment.label_location.file,
                    amendment.label_location.span,
                    format!(
                        "amendment `{}` takes effect on {date}, before the agreement ({start})",
                        amendment.label
                    ),
                )
                .with_label("effective before the agreement")
                .with_help("an amendment changes an agreement in force: give it a date on or after the agreement's `effective`");
                if let Some(a) = &self.model.agreement {
                    diag = diag.with_related(a.location, "the agreement");
                }
                self.diags.push(diag);
            }
        }
    }

    /// Declares a clause or grant label. In an amendment's file, a label
    /// declared elsewhere is a new version of it. Returns the label's
    /// first version, or `None` (reported) when the item is not declared.
    pub(super) fn declare_versioned(
        &mut self,
        id: &ast::Ident,
        file: FileId,
        what: LabelRef,
        document: Document,
    ) -> Option<LabelRef> {
        let Some(amendment) = document.amendment else {
            return self.declare_label(id, file, what).then_some(what);
        };
        let Some(&first) = self.model.labels.get(&id.name) else {
            return self.declare_label(id, file, what).then_some(what);
        };
        let same_kind = matches!(
            (first, what),
            (LabelRef::Clause(_), LabelRef::Clause(_)) | (LabelRef::Grant(_), LabelRef::Grant(_))
        );
        let first_location = self.label_location(first);
        // The same label twice in one amendment, or a clause for a grant.
        let repeated = self
            .versions
            .iter()
            .find(|(f, _, a)| *f == first && *a == amendment)
            .map(|(_, v, _)| self.label_location(*v));
        if !same_kind || repeated.is_some() {
            let earlier = repeated.unwrap_or(first_location);
            let help = if same_kind {
                "an amendment replaces a label once; merge the two versions"
            } else {
                "an amendment replaces a clause with a clause and a grant with a grant"
            };
            self.diags
                .push(super::duplicate_label(id, file, earlier, help));
            return None;
        }
        let date = self.model.amendments[amendment.index()].effective;
        let same_day = self
            .versions
            .iter()
            .find(|(f, _, a)| *f == first && self.model.amendments[a.index()].effective == date);
        if let Some(&(_, other, other_amendment)) = same_day {
            let other_label = self.model.amendments[other_amendment.index()].label.clone();
            let this_label = self.model.amendments[amendment.index()].label.clone();
            self.diags.push(
                Diagnostic::new(
                    Code::AmendedTwiceSameDay,
                    file,
                    id.span,
                    format!(
                        "`{}` is amended by both `{other_label}` and `{this_label}` on {}",
                        id.name,
                        date.map_or("the same day".to_string(), |d| d.to_string())
                    ),
                )
                .with_label(format!("amended by `{this_label}`"))
                .with_related(self.label_location(other), format!("amended by `{other_label}`"))
                .with_help("two versions of one label cannot take effect on the same day; merge them into one amendment or give them different dates"),
            );
            return None;
        }
        self.versions.push((first, what, amendment));
        Some(first)
    }

    fn label_location(&self, label: LabelRef) -> Location {
        match label {
            LabelRef::Clause(c) => self.model.clauses[c.index()].label_location,
            LabelRef::Grant(g) => self.model.grants[g.index()].label_location,
        }
    }

    pub(super) fn declare_fact_or_event(
        &mut self,
        d: &ast::Declared,
        doc: Option<String>,
        location: Location,
        file: FileId,
        fact: bool,
    ) {
        let noun = if fact { "fact" } else { "event" };
        let first = if fact {
            self.model
                .fact_ids
                .get(&d.id.name)
                .map(|f| self.model.facts[f.index()].name_location)
        } else {
            self.model
                .event_ids
                .get(&d.id.name)
                .map(|e| self.model.events[e.index()].name_location)
        };
        if let Some(first) = first {
            self.diags.push(super::duplicate(noun, &d.id, file, first));
            return;
        }
        let info = DeclaredInfo {
            name: d.id.name.clone(),
            description: d.description.value.clone(),
            doc,
            location,
            name_location: loc(file, d.id.span),
        };
        if fact {
            let id = FactId(self.model.facts.len() as u32);
            self.model.fact_ids.insert(d.id.name.clone(), id);
            self.model.facts.push(info);
        } else {
            let id = EventId(self.model.events.len() as u32);
            self.model.event_ids.insert(d.id.name.clone(), id);
            self.model.events.push(info);
        }
    }

    /// Sets the days each version of an amended clause or grant is in
    /// force, and ends the ones an amendment `removes`.
    pub(super) fn settle_versions(&mut self) {
        // Per first version: (date, the version starting then, or None for
        // a removal).
        let mut timeline: HashMap<LabelRef, Vec<VersionEvent>> = HashMap::new();
        for &(first, version, amendment) in &self.versions {
            let date = self.model.amendments[amendment.index()].effective;
            timeline
                .entry(first)
                .or_default()
                .push((date, Some(version)));
        }
        for amendment in &self.model.amendments {
            for removed in &amendment.removes {
                match self.model.labels.get(&removed.value) {
                    Some(first) => timeline
                        .entry(*first)
                        .or_default()
                        .push((amendment.effective, None)),
                    None => {
                        let labels = self.model.labels.keys().map(String::as_str);
                        let suggestion = did_you_mean(&removed.value, labels);
                        let id = ast::Ident {
                            name: removed.value.clone(),
                            span: removed.location.span,
                        };
                        self.diags.push(unknown(
                            Code::UnknownLabel,
                            "clause or grant",
                            &id,
                            removed.location.file,
                            suggestion,
                            "`removes` names a clause or grant of the policy",
                        ));
                    }
                }
            }
        }
        // A label first written in an amendment starts on its date.
        let starts: Vec<(LabelRef, Option<Date>)> = self
            .model
            .labels
            .values()
            .filter_map(|&label| {
                let version = match label {
                    LabelRef::Clause(c) => self.model.clauses[c.index()].version,
                    LabelRef::Grant(g) => self.model.grants[g.index()].version,
                };
                version.map(|a| (label, self.model.amendments[a.index()].effective))
            })
            .collect();
        for (label, from) in starts {
            self.set_in_force(label, InForce { from, ends: None });
        }
        for (first, mut events) in timeline {
            events.sort_by_key(|(date, _)| *date);
            let mut current = Some(first);
            let mut current_from = self.in_force_of(first).from;
            for (date, next) in events {
                if let Some(c) = current {
                    self.set_in_force(
                        c,
                        InForce {
                            from: current_from,
                            ends: date,
                        },
                    );
                }
                current = next;
                current_from = date;
            }
            if let Some(c) = current {
                self.set_in_force(
                    c,
                    InForce {
                        from: current_from,
                        ends: None,
                    },
                );
            }
        }
    }

    fn in_force_of(&self, label: LabelRef) -> InForce {
        match label {
            LabelRef::Clause(c) => self.model.clauses[c.index()].in_force,
            LabelRef::Grant(g) => self.model.grants[g.index()].in_force,
        }
    }

    fn set_in_force(&mut self, label: LabelRef, in_force: InForce) {
        match label {
            LabelRef::Clause(c) => self.model.clauses[c.index()].in_force = in_force,
            LabelRef::Grant(g) => self.model.grants[g.index()].in_force = in_force,
        }
    }
}
