//! The second pass of name resolution: everything that refers to a name,
//! compiled into the model's clauses, grants, assets and scenarios.

use super::*;

impl Resolver {
    /// Second pass: everything that refers to a name.
    pub(super) fn define(&mut self, files: &[(FileId, &ast::File)]) {
        for &(file, ast) in files {
            for item in &ast.items {
                if let ItemKind::Agreement(a) = &item.kind {
                    self.agreement(a, file, item.span);
                }
            }
        }
        for &(file, ast) in files {
            for item in &ast.items {
                match &item.kind {
                    ItemKind::Party(p) => self.affiliation(p, file),
                    ItemKind::Group(g) => self.group_members(g, file),
                    _ => {}
                }
            }
        }
        self.flatten_groups();
        self.define_documents(files);
        let mut asset_index = 0;
        for &(file, ast) in files {
            for (index, item) in ast.items.iter().enumerate() {
                let declared = self.item_labels.get(&(file, index)).copied();
                match (&item.kind, declared) {
                    // Duplicates were reported when declared; only the first
                    // declaration of each name is defined.
                    (ItemKind::Asset(a), _)
                        if self.model.asset_ids.get(&a.id.name) == Some(&AssetId(asset_index)) =>
                    {
                        self.asset(AssetId(asset_index), a, file);
                        asset_index += 1;
                    }
                    (ItemKind::Grant(g), Some(LabelRef::Grant(id))) => self.grant(id, g, file),
                    (ItemKind::Clause(c), Some(LabelRef::Clause(id))) => self.clause(id, c, file),
                    (ItemKind::Scenario(s), _) => self.scenario(s, file, item.span),
                    _ => {}
                }
            }
        }
    }

    pub(super) fn agreement(&mut self, a: &ast::Agreement, file: FileId, span: Span) {
        if let Some(first) = &self.model.agreement {
            self.diags.push(
                Diagnostic::new(
                    Code::DuplicateAgreement,
                    file,
                    a.keyword,
                    "a second `agreement` block",
                )
                .with_label("second agreement")
                .with_related(first.location, "first agreement here")
                .with_help("a policy has exactly one agreement block; merge the two"),
            );
            return;
        }
        let effective = a.effective.first().and_then(|d| d.value);
        let expires = match (a.expires.first(), a.term.first()) {
            (Some(d), _) => d.value,
            (None, Some(term)) => effective.and_then(|e| dates::term_end(e, *term)),
            (None, None) => None,
        };
        self.model.agreement = Some(AgreementInfo {
            title: a.title.value.clone(),
            effective,
            expires,
            open_ended: !a.open_ended.is_empty(),
            include_affiliates: !a.include_affiliates.is_empty(),
            location: loc(file, span),
        });
    }

    pub(super) fn affiliation(&mut self, p: &ast::Party, file: FileId) {
        let (Some(parent), Some(NameRef::Party(me))) =
            (&p.affiliate_of, self.model.names.get(&p.id.name))
        else {
            return;
        };
        let me = *me;
        let declared = self.model.parties[me.index()].location;
        if declared.file != file || !declared.span.contains(p.id.span.start as usize) {
            return; // a duplicate declaration, already reported
        }
        if let Some(parent_id) = self.single_party(parent, file, "an `affiliate of` target") {
            self.model.parties[me.index()].role = PartyRole::Affiliate(parent_id);
        }
    }

    /// Resolves a name that must be one declared party (not a group).
    pub(super) fn single_party(
        &mut self,
        id: &ast::Ident,
        file: FileId,
        role: &str,
    ) -> Option<PartyId> {
        match self.model.names.get(&id.name) {
            Some(NameRef::Party(p)) => Some(*p),
            Some(NameRef::Group(_)) => {
                self.diags.push(errors::group_not_allowed(id, file, role));
                None
            }
            None => {
                self.diags.push(self.unknown_party(id, file));
                None
            }
        }
    }

    pub(super) fn unknown_party(&self, id: &ast::Ident, file: FileId) -> Diagnostic {
        let suggestion = did_you_mean(&id.name, self.model.names.keys().map(String::as_str));
        unknown(
            Code::UnknownParty,
            "party or group",
            id,
            file,
            suggestion,
            "declare it with `party`, `third_party` or `group`",
        )
    }

    pub(super) fn group_members(&mut self, g: &ast::Group, file: FileId) {
        let Some(NameRef::Group(gid)) = self.model.names.get(&g.id.name).copied() else {
            return;
        };
        if self.model.groups[gid.index()].location.file != file
            || !self.model.groups[gid.index()]
                .location
                .span
                .contains(g.id.span.start as usize)
        {
            return;
        }
        for member in &g.members {
            if !self.model.names.contains_key(&member.name) {
                let diag = self.unknown_party(member, file);
                self.diags.push(diag);
            }
        }
        // Stash direct member names; `flatten_groups` expands them.
        self.pending_members.push((gid, g.members.clone(), file));
    }

    pub(super) fn flatten_groups(&mut self) {
        let pending = std::mem::take(&mut self.pending_members);
        let mut direct: Vec<Vec<NameRef>> = vec![Vec::new(); self.model.groups.len()];
        let mut spans: Vec<(FileId, Vec<ast::Ident>)> =
            vec![(FileId(0), Vec::new()); self.model.groups.len()];
        for (gid, members, file) in pending {
            direct[gid.index()] = members
                .iter()
                .filter_map(|m| self.model.names.get(&m.name).copied())
                .collect();
            spans[gid.index()] = (file, members);
        }
        // Kahn's algorithm over "group contains group" edges: what remains
        // afterwards lies on or behind a cycle.
        let n = direct.len();
        let mut waiting_on = vec![0usize; n];
        let mut used_by: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (g, members) in direct.iter().enumerate() {
            for m in members {
                if let NameRef::Group(inner) = m {
                    waiting_on[g] += 1;
                    used_by[inner.index()].push(g);
                }
            }
        }
        let mut ready: Vec<usize> = (0..n).filter(|&g| waiting_on[g] == 0).collect();
        let mut done = vec![false; n];
        let words = self.model.parties.len().div_ceil(64);
        let mut rank = 0u32;
        while let Some(g) = ready.pop() {
            // The union of the members' bits: no list is flattened, so
            // nested groups cost their declarations, not their depth.
            let mut bits = vec![0u64; words];
            for m in &direct[g] {
                match m {
                    NameRef::Party(p) => {
                        if let Some(w) = bits.get_mut(p.index() / 64) {
                            *w |= 1u64 << (p.index() % 64);
                        }
                    }
                    NameRef::Group(inner) => {
                        for (w, inner) in bits
                            .iter_mut()
                            .zip(&self.model.groups[inner.index()].member_bits)
                        {
                            *w |= inner;
                        }
                    }
                }
            }
            let group = &mut self.model.groups[g];
            group.size = bits.iter().map(|w| w.count_ones() as usize).sum();
            group.member_bits = bits;
            // Only groups left undone (on cycles) are read again below.
            group.direct = std::mem::take(&mut direct[g]);
            group.rank = rank;
            rank += 1;
            done[g] = true;
            for &outer in &used_by[g] {
                waiting_on[outer] -= 1;
                if waiting_on[outer] == 0 {
                    ready.push(outer);
                }
            }
        }
        let mut reported = vec![false; n];
        for start in 0..n {
            if done[start] || reported[start] {
                continue;
            }
            // Walk undone groups until one repeats: that loop is a cycle.
            let mut path = vec![start];
            let mut position: FnvHashMap<_, usize> = FnvHashMap::from_iter([(start, 0)]);
            let cycle = loop {
                let Some(current) = path.last().copied() else {
                    break None;
                };
                let next = direct[current].iter().find_map(|m| match m {
                    NameRef::Group(inner) if !done[inner.index()] => Some(inner.index()),
                    _ => None,
                });
                let Some(next) = next else { break None };
                if let Some(&at) = position.get(&next) {
                    break Some(path[at..].to_vec());
                }
                position.insert(next, path.len());
                path.push(next);
            };
            let Some(cycle) = cycle else { continue };
            if cycle.iter().any(|g| reported[*g]) {
                continue;
            }
            for g in &cycle {
                reported[*g] = true;
            }
            let names: Vec<String> = cycle
                .iter()
                .map(|g| format!("`{}`", self.model.groups[*g].name))
                .collect();
            let first = cycle[0];
            let next_name = &self.model.groups[cycle[1 % cycle.len()]].name;
            let (file, members) = &spans[first];
            let at = members
                .iter()
                .find(|m| &m.name == next_name)
                .map_or(Span::default(), |m| m.span);
            let mut diag = Diagnostic::new(
                Code::GroupCycle,
                *file,
                at,
                format!("groups contain each other: {} → {}", names.join(" → "), names[0]),
            )
            .with_label(format!("`{}` contains `{next_name}`", self.model.groups[first].name))
            .with_help("a group may not contain itself, directly or through other groups; remove one of these memberships");
            for (i, g) in cycle.iter().enumerate().skip(1) {
                let next = &self.model.groups[cycle[(i + 1) % cycle.len()]].name;
                let (file, members) = &spans[*g];
                if let Some(m) = members.iter().find(|m| &m.name == next) {
                    diag = diag.with_related(
                        loc(*file, m.span),
                        format!("`{}` contains `{next}`", self.model.groups[*g].name),
                    );
                }
            }
            self.diags.push(diag);
        }
    }

    pub(super) fn asset(&mut self, id: AssetId, a: &ast::Asset, file: FileId) {
        let class = a
            .class
            .first()
            .and_then(|w| self.word(w, file, "class", &AssetClass::ALL));
        let asset_type = a
            .asset_type
            .first()
            .and_then(|w| self.word(w, file, "type", &AssetType::ALL));
        let mut owners = Vec::new();
        for line in &a.owner_lines {
            for share in &line.value {
                if let Some(p) = self.single_party(&share.owner, file, "an owner") {
                    owners.push((p, share.percent.as_ref().map_or(10_000, |p| p.value)));
                }
            }
        }
        let info = &mut self.model.assets[id.index()];
        info.class = class;
        info.asset_type = asset_type;
        info.owners = owners;
    }

    pub(super) fn word<T: Copy>(
        &mut self,
        word: &ast::Word<T>,
        file: FileId,
        what: &str,
        all: &[(&'static str, T)],
    ) -> Option<T> {
        match word {
            ast::Word::Known(k) => Some(k.value),
            ast::Word::Unknown(id) => {
                let suggestion = did_you_mean(&id.name, all.iter().map(|(w, _)| *w));
                let choices: Vec<&str> = all.iter().map(|(w, _)| *w).collect();
                self.diags.push(unknown(
                    Code::UnknownAssetWord,
                    &format!("asset {what}"),
                    id,
                    file,
                    suggestion,
                    &format!("an asset's {what} is one of {}", choices.join(", ")),
                ));
                None
            }
        }
    }

    pub(super) fn grant(&mut self, id: GrantId, g: &ast::Grant, file: FileId) {
        let asset = self.asset_ref(&g.asset, file);
        let licensor = self.single_party(&g.licensor, file, "a licensor");
        let licensee = self.single_party(&g.licensee, file, "a licensee");
        let field = self.nodes(TreeKind::Fields, &g.field, file);
        let territory = self.nodes(TreeKind::Territories, &g.territory, file);
        let rights = if g.rights.is_empty() {
            self.model.verbs.get("exploit").into_iter().collect()
        } else {
            self.nodes(TreeKind::Actions, &g.rights, file)
        };
        let info = &mut self.model.grants[id.index()];
        info.rights = rights;
        info.asset = asset;
        info.licensor = licensor;
        info.licensee = licensee;
        info.field = field;
        info.territory = territory;
        info.from = g.from.first().and_then(|d| d.value);
        info.until = g.until.first().and_then(|d| d.value);
    }

    pub(super) fn asset_ref(&mut self, id: &ast::Ident, file: FileId) -> Option<AssetId> {
        let found = self.model.asset_ids.get(&id.name).copied();
        if found.is_none() {
            let suggestion =
                did_you_mean(&id.name, self.model.asset_ids.keys().map(String::as_str));
            self.diags.push(unknown(
                Code::UnknownAsset,
                "asset",
                id,
                file,
                suggestion,
                "declare it with `asset`",
            ));
        }
        found
    }

    pub(super) fn hierarchy(&self, kind: TreeKind) -> &Hierarchy {
        match kind {
            TreeKind::Fields => &self.model.fields,
            TreeKind::Territories => &self.model.territories,
            TreeKind::Actions => &self.model.verbs,
        }
    }

    pub(super) fn node(&mut self, kind: TreeKind, id: &ast::Ident, file: FileId) -> Option<NodeId> {
        let hierarchy = self.hierarchy(kind);
        let found = hierarchy.get(&id.name);
        if found.is_none() {
            let suggestion =
                did_you_mean(&id.name, hierarchy.nodes.iter().map(|n| n.name.as_str()));
            let (code, how) = match kind {
                TreeKind::Fields => (Code::UnknownField, "add it to the `fields` tree"),
                TreeKind::Territories => {
                    (Code::UnknownTerritory, "add it to the `territories` tree")
                }
                TreeKind::Actions => (
                    Code::UnknownVerb,
                    "use a built-in verb or add one under a built-in parent: `actions { exploit { lease } }`",
                ),
            };
            self.diags
                .push(unknown(code, kind.node_noun(), id, file, suggestion, how));
        }
        found
    }

    pub(super) fn nodes(
        &mut self,
        kind: TreeKind,
        ids: &[ast::Ident],
        file: FileId,
    ) -> Vec<NodeId> {
        ids.iter()
            .filter_map(|id| self.node(kind, id, file))
            .collect()
    }

    pub(super) fn clause(&mut self, id: ClauseId, c: &ast::Clause, file: FileId) {
        if c.heads.is_empty() {
            self.diags.push(
                Diagnostic::new(
                    Code::MissingHead,
                    file,
                    c.label.span,
                    format!("clause `{}` has no `permit`, `forbid` or `oblige` line", c.label.name),
                )
                .with_label("this clause says nothing")
                .with_help("start the clause body with what it covers, e.g. `permit license of foreground`"),
            );
        }
        for extra in c.heads.iter().skip(1) {
            self.diags.push(
                Diagnostic::new(
                    Code::SecondHead,
                    file,
                    extra.kind.span,
                    format!("clause `{}` has a second head line", c.label.name),
                )
                .with_label("second head")
                .with_related(loc(file, c.heads[0].span), "first head here")
                .with_help("a clause has exactly one `permit`, `forbid` or `oblige` line; split it into two clauses"),
            );
        }
        let mut compiled = std::mem::take(&mut self.model.clauses[id.index()]);
        if let Some(head) = c.head() {
            compiled.verbs = match head.any_verb {
                Some(_) => None,
                None => Some(self.nodes(TreeKind::Actions, &head.verbs, file)),
            };
            compiled.assets = (!head.assets.is_empty()).then(|| {
                head.assets
                    .iter()
                    .filter_map(|sel| match sel {
                        ast::AssetSelector::Named(name) => {
                            self.asset_ref(name, file).map(AssetSelector::Asset)
                        }
                        ast::AssetSelector::Filter(f) => Some(AssetSelector::Filter(AssetFilter {
                            class: f.class,
                            asset_type: f.asset_type,
                            jointly_owned: f.jointly_owned,
                            tag: f.tag.as_ref().map(|t| t.name.clone()),
                        })),
                    })
                    .collect()
            });
        }
        for line in &c.lines {
            let location = loc(file, line.span);
            match &line.kind {
                ast::LineKind::By(p) => {
                    let value = self.parties(p, file);
                    compiled.by.push(Located { value, location });
                }
                ast::LineKind::To(p) => {
                    let value = self.parties(p, file);
                    compiled.to.push(Located { value, location });
                }
                ast::LineKind::Field(ids) => {
                    let value = self.nodes(TreeKind::Fields, ids, file);
                    compiled.field.push(Located { value, location });
                }
                ast::LineKind::Territory(ids) => {
                    let value = self.nodes(TreeKind::Territories, ids, file);
                    compiled.territory.push(Located { value, location });
                }
                ast::LineKind::DuringTerm => {
                    let (from, until) = self.term_window(file, line.span, "during term");
                    compiled.windows.push(Located {
                        value: Window { from, until },
                        location,
                    });
                }
                ast::LineKind::AfterTerm => {
                    let (_, until) = self.term_window(file, line.span, "after term");
                    let from = until.and_then(|u| u.tomorrow().ok());
                    compiled.windows.push(Located {
                        value: Window { from, until: None },
                        location,
                    });
                }
                ast::LineKind::From(t) | ast::LineKind::Until(t) => {
                    let from = matches!(line.kind, ast::LineKind::From(_));
                    match self.time_expr(t, file) {
                        Some(TimeExpr {
                            anchor: Anchor::Date(date),
                            ..
                        }) => {
                            let value = if from {
                                Window {
                                    from: Some(date),
                                    until: None,
                                }
                            } else {
                                Window {
                                    from: None,
                                    until: Some(date),
                                }
                            };
                            compiled.windows.push(Located { value, location });
                        }
                        Some(moving) => {
                            let date = TimeExpr {
                                anchor: Anchor::ActionDate,
                                offsets: Vec::new(),
                            };
                            let cmp = if from {
                                crate::terms::Cmp::Ge
                            } else {
                                crate::terms::Cmp::Le
                            };
                            compiled.moving_windows.push(Located {
                                value: Cond::TimeCmp(date, cmp, moving),
                                location,
                            });
                        }
                        // Already reported; an open window keeps the clause alive.
                        None => compiled.windows.push(Located {
                            value: Window::default(),
                            location,
                        }),
                    }
                }
                ast::LineKind::When(e) => {
                    let value = self.cond(e, file);
                    compiled.conditions.push(Located { value, location });
                }
                ast::LineKind::Unless(e) => {
                    let value = Cond::Not(Box::new(self.cond(e, file)));
                    compiled.conditions.push(Located { value, location });
                }
                ast::LineKind::Duty(d) => {
                    let value = self.duty(d, file);
                    compiled.duties.push(Located { value, location });
                }
            }
        }
        for target in &c.notwithstanding {
            match self.model.labels.get(&target.name) {
                Some(LabelRef::Clause(other)) => {
                    compiled.notwithstanding.push(Located { value: *other, location: loc(file, target.span) })
                }
                Some(LabelRef::Grant(_)) => self.diags.push(
                    Diagnostic::new(
                        Code::NotwithstandingGrant,
                        file,
                        target.span,
                        format!("`{}` is a grant; `notwithstanding` names clauses", target.name),
                    )
                    .with_label("a grant, not a clause")
                    .with_help("a grant records a licence already given and cannot be overridden by a clause; name the clause this one should prevail over"),
                ),
                None => {
                    let labels = self.model.clauses.iter().map(|c| c.label.as_str());
                    let suggestion = did_you_mean(&target.name, labels);
                    self.diags.push(unknown(
                        Code::UnknownLabel,
                        "clause",
                        target,
                        file,
                        suggestion,
                        "name a clause declared in this policy",
                    ));
                }
            }
        }
        self.model.clauses[id.index()] = compiled;
    }

    /// The agreement's term as a window; reports a missing expiry.
    pub(super) fn term_window(
        &mut self,
        file: FileId,
        span: Span,
        what: &str,
    ) -> (Option<Date>, Option<Date>) {
        let Some(agreement) = &self.model.agreement else {
            return (None, None);
        };
        if agreement.open_ended && what == "after term" {
            self.diags.push(no_expiry(file, span, what));
        }
        (agreement.effective, agreement.expires)
    }

    /// A point in time: fixed when it starts from a date, `effective` or
    /// `expires` (offsets applied now), else relative to the action.
    pub(super) fn time_expr(&mut self, t: &ast::Time, file: FileId) -> Option<TimeExpr> {
        let offsets: Vec<(bool, ast::Duration)> =
            t.offsets.iter().map(|o| (o.minus, o.duration)).collect();
        let anchor = match &t.base {
            ast::TimeBase::Created => Anchor::Created,
            ast::TimeBase::Event(id) => match self.model.event_ids.get(&id.name) {
                Some(e) => Anchor::Event(*e),
                None => {
                    self.diags.push(self.unknown_event(id, file));
                    return None;
                }
            },
            _ => {
                return self.time(t, file).map(|d| TimeExpr {
                    anchor: Anchor::Date(d),
                    offsets: Vec::new(),
                });
            }
        };
        Some(TimeExpr { anchor, offsets })
    }

    pub(super) fn unknown_event(&self, id: &ast::Ident, file: FileId) -> Diagnostic {
        let suggestion = did_you_mean(&id.name, self.model.event_ids.keys().map(String::as_str));
        unknown(
            Code::UnknownEvent,
            "event",
            id,
            file,
            suggestion,
            "declare it with `event ID \"what happened\"`",
        )
    }

    pub(super) fn unknown_fact(&self, id: &ast::Ident, file: FileId) -> Diagnostic {
        let suggestion = did_you_mean(&id.name, self.model.fact_ids.keys().map(String::as_str));
        unknown(
            Code::UnknownFact,
            "fact",
            id,
            file,
            suggestion,
            "declare it with `fact ID \"what it means\"`",
        )
    }

    /// A fixed point in time (`created` and events are not fixed: `None`,
    /// reported by the caller).
    pub(super) fn time(&mut self, t: &ast::Time, file: FileId) -> Option<Date> {
        let base = match &t.base {
            ast::TimeBase::Date(d) => *d,
            ast::TimeBase::Effective => self.model.agreement.as_ref().and_then(|a| a.effective),
            ast::TimeBase::Expires => {
                let agreement = self.model.agreement.as_ref()?;
                if agreement.open_ended && agreement.expires.is_none() {
                    self.diags.push(no_expiry(file, t.span, "expires"));
                }
                agreement.expires
            }
            ast::TimeBase::Created | ast::TimeBase::Event(_) => None,
        }?;
        let mut shifted = Some(base);
        for offset in &t.offsets {
            shifted = shifted.and_then(|d| dates::shift(d, offset.minus, offset.duration));
        }
        if shifted.is_none() {
            self.diags.push(
                Diagnostic::new(
                    Code::DateOutOfRange,
                    file,
                    t.span,
                    "this date lies beyond the calendar",
                )
                .with_label("outside 0001-01-01 to 9999-12-31")
                .with_help("use a shorter duration"),
            );
        }
        shifted
    }

    pub(super) fn parties(&mut self, p: &ast::Parties, file: FileId) -> PartySet {
        let include = p
            .include
            .iter()
            .filter_map(|i| self.list_item(p, i, file))
            .collect();
        let except = p
            .except
            .iter()
            .filter_map(|i| self.list_item(p, i, file))
            .collect();
        PartySet { include, except }
    }

    /// One item of a party list. An unknown name that follows the item
    /// before it across a bare line break says so: the line break made it
    /// one more party of the list (`by a, b` then `tu c` on the next line).
    fn list_item(
        &mut self,
        list: &ast::Parties,
        item: &ast::PartyItem,
        file: FileId,
    ) -> Option<PartySelector> {
        let before = self.diags.len();
        let selector = self.party_selector(item, file);
        if let ast::PartyItem::Named(id) = item
            && list.continued.contains(&id.span)
            && self.diags.len() > before
            && let Some(diag) = self.diags.last_mut()
            && diag.code == Code::UnknownParty
        {
            diag.message = format!(
                "unknown party or group `{}`, read as one more item of the list on the line above",
                id.name
            );
            diag.label = Some("a line break continues the list above".to_string());
            let asked = diag.help.take().unwrap_or_default();
            let word = crate::syntax::words::closest_reserved(&id.name);
            if let Some(word) = word {
                diag.fix = Some(Fix::unsafe_(
                    format!("Replace `{}` with `{word}`", id.name),
                    vec![Edit::replace(file, id.span, word)],
                ));
            }
            diag.help = Some(match word {
                Some(word) => format!(
                    "did you mean `{word}`? A party list goes on over line breaks, so a \
                     misspelt word at the start of a line becomes one more party"
                ),
                None => format!(
                    "a party list goes on over line breaks: if `{}` begins a new line of the \
                     clause, check its spelling; otherwise {asked}",
                    id.name
                ),
            });
        }
        selector
    }

    pub(super) fn party_selector(
        &mut self,
        item: &ast::PartyItem,
        file: FileId,
    ) -> Option<PartySelector> {
        Some(match item {
            ast::PartyItem::Named(id) => match self.model.names.get(&id.name) {
                Some(NameRef::Party(p)) => PartySelector::Party(*p),
                Some(NameRef::Group(g)) => PartySelector::Group(*g),
                None => {
                    let diag = self.unknown_party(id, file);
                    self.diags.push(diag);
                    return None;
                }
            },
            ast::PartyItem::Anyone(_) => PartySelector::Anyone,
            ast::PartyItem::Parties(_) => PartySelector::Signatories,
            ast::PartyItem::ThirdParties(_) => PartySelector::ThirdParties,
            ast::PartyItem::Owners(_) => PartySelector::Owners,
            ast::PartyItem::CoOwners(_) => PartySelector::CoOwners,
            ast::PartyItem::FormerParties(_) => PartySelector::FormerParties,
            ast::PartyItem::DefaultingParties(_) => PartySelector::DefaultingParties,
            ast::PartyItem::AffiliatesOf(inner, _) => {
                PartySelector::AffiliatesOf(Box::new(self.party_selector(inner, file)?))
            }
        })
    }

    pub(super) fn cond(&mut self, e: &ast::Expr, file: FileId) -> Cond {
        use ast::ExprKind as E;
        match &e.kind {
            E::Or(parts) => Cond::Or(parts.iter().map(|p| self.cond(p, file)).collect()),
            E::And(parts) => Cond::And(parts.iter().map(|p| self.cond(p, file)).collect()),
            E::Not(inner) => Cond::Not(Box::new(self.cond(inner, file))),
            E::Bool(b) => Cond::Bool(*b),
            E::Exclusive => Cond::Exclusive,
            E::Sublicensable => Cond::Sublicensable,
            E::Royalty(cmp, pct) => Cond::Royalty(*cmp, pct.value),
            E::Until(cmp, t) => match self.time_expr(t, file) {
                Some(TimeExpr {
                    anchor: Anchor::Date(date),
                    ..
                }) => Cond::Until(*cmp, date),
                Some(moving) => Cond::TimeCmp(
                    TimeExpr {
                        anchor: Anchor::ActionUntil,
                        offsets: Vec::new(),
                    },
                    *cmp,
                    moving,
                ),
                // The missing date is already reported; keep the clause alive.
                None => Cond::Bool(true),
            },
            E::TimeCmp(left, cmp, right) => {
                match (self.time_expr(left, file), self.time_expr(right, file)) {
                    (Some(l), Some(r)) => Cond::TimeCmp(l, *cmp, r),
                    _ => Cond::Bool(true),
                }
            }
            E::Fact(id) => match self.model.fact_ids.get(&id.name) {
                Some(f) => Cond::Fact(*f),
                None => {
                    let diag = self.unknown_fact(id, file);
                    self.diags.push(diag);
                    Cond::Bool(true)
                }
            },
            E::FieldIn(id) => self
                .node(TreeKind::Fields, id, file)
                .map_or(Cond::Bool(false), Cond::FieldIn),
            E::TerritoryIn(id) => self
                .node(TreeKind::Territories, id, file)
                .map_or(Cond::Bool(false), Cond::TerritoryIn),
            E::ToIn(p) => Cond::ToIn(self.parties(p, file)),
            E::ConsentOf { any, parties } => Cond::ConsentOf {
                any: *any,
                parties: self.parties(parties, file),
            },
            E::ObjectionOf {
                parties,
                after_notice,
                before,
            } => Cond::ObjectionOf {
                parties: self.parties(parties, file),
                after_notice: *after_notice,
                before: *before,
            },
            E::NoticeTo(p, cmp, d) => Cond::NoticeTo(self.parties(p, file), *cmp, *d),
        }
    }

    pub(super) fn duty(&mut self, d: &ast::Duty, file: FileId) -> Duty {
        match &d.kind {
            ast::DutyKind::Notify(p, dur) => Duty::Notify(self.parties(p, file), *dur),
            ast::DutyKind::ObtainConsent(p) => Duty::ObtainConsent(self.parties(p, file)),
            ast::DutyKind::Pay(pct, p) => Duty::Pay(pct.value, self.parties(p, file)),
            ast::DutyKind::Compensate(p) => Duty::Compensate(self.parties(p, file)),
            ast::DutyKind::Share(p) => Duty::Share(self.parties(p, file)),
            ast::DutyKind::Text(t) => Duty::Text(t.value.clone()),
        }
    }

    pub(super) fn scenario(&mut self, s: &ast::Scenario, file: FileId, span: Span) {
        let action = match resolve_action(&self.model, &s.action, file) {
            Ok(a) => Some(a),
            Err(diags) => {
                self.diags.extend(diags);
                None
            }
        };
        if let Some(by) = &s.expect_by
            && !self.model.labels.contains_key(&by.name)
        {
            let suggestion = did_you_mean(&by.name, self.model.labels.keys().map(String::as_str));
            self.diags.push(unknown(
                Code::UnknownLabel,
                "clause or grant",
                by,
                file,
                suggestion,
                "name a clause or grant declared in this policy",
            ));
        }
        let owes = s
            .owes
            .iter()
            .map(|d| Located {
                value: self.duty(d, file),
                location: loc(file, d.span),
            })
            .collect();
        self.model.scenarios.push(ScenarioInfo {
            title: s.title.value.clone(),
            action,
            expect: s.expect.value,
            expect_by: s.expect_by.as_ref().map(|b| b.name.clone()),
            owes,
            location: loc(file, span),
            action_location: loc(file, s.action.span),
            expect_location: loc(
                file,
                s.expect
                    .span
                    .to(s.expect_by.as_ref().map_or(s.expect.span, |b| b.span)),
            ),
        });
    }
}
