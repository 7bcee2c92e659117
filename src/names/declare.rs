//! The first pass of name resolution: every declared name, label and
//! tree node, so that the order of items does not matter.

use super::*;

impl Resolver {
    /// First pass: every declared name, so that order does not matter.
    pub(super) fn declare(&mut self, files: &[(FileId, &ast::File)]) {
        for (name, parent) in BUILTIN_VERBS {
            let parent = parent.and_then(|p| self.model.verbs.get(p));
            add_node(&mut self.model.verbs, name, parent, None);
        }
        self.declare_documents(files);
        // Originals first, then amendments by date: a label an amendment
        // repeats is a new version of the original.
        let mut order: Vec<(FileId, &ast::File)> = files.to_vec();
        order.sort_by_key(|(file, _)| {
            let amendment = self.documents.get(file).and_then(|d| d.amendment);
            (
                amendment.is_some(),
                amendment.and_then(|a| self.model.amendments[a.index()].effective),
            )
        });
        let ranks: FnvHashMap<FileId, u32> = {
            let mut next = 0u32;
            files
                .iter()
                .map(|(file, ast)| {
                    let start = next;
                    next += ast.items.len() as u32;
                    (*file, start)
                })
                .collect()
        };
        for (file, ast) in order {
            let document = self.documents.get(&file).copied().unwrap_or_default();
            for (index, item) in ast.items.iter().enumerate() {
                self.rank = ranks.get(&file).copied().unwrap_or(0) + index as u32;
                let doc = item.doc.clone();
                let location = loc(file, item.span);
                match &item.kind {
                    ItemKind::Party(p) => self.declare_party(p, doc, location, file),
                    ItemKind::Group(g) => {
                        let id = GroupId(self.model.groups.len() as u32);
                        if self.declare_name(&g.id, file, NameRef::Group(id)) {
                            self.model.groups.push(GroupInfo {
                                name: g.id.name.clone(),
                                direct: Vec::new(),
                                member_bits: Vec::new(),
                                size: 0,
                                rank: u32::MAX,
                                doc,
                                location,
                                name_location: loc(file, g.id.span),
                            });
                        }
                    }
                    ItemKind::Asset(a) => self.declare_asset(a, doc, location, file),
                    ItemKind::Tree(tree) => self.declare_tree(tree, file),
                    ItemKind::Grant(g) => {
                        let id = GrantId(self.model.grants.len() as u32);
                        let declared =
                            self.declare_versioned(&g.label, file, LabelRef::Grant(id), document);
                        if let Some(first) = declared {
                            let (order, instrument) = match first {
                                LabelRef::Grant(f) => self
                                    .model
                                    .grants
                                    .get(f.index())
                                    .map_or((self.rank, document.instrument), |g| {
                                        (g.order, g.instrument)
                                    }),
                                LabelRef::Clause(_) => (self.rank, document.instrument),
                            };
                            self.model.grants.push(GrantInfo {
                                label: g.label.name.clone(),
                                exclusivity: g
                                    .exclusivity
                                    .as_ref()
                                    .map(|e| e.value)
                                    .unwrap_or_default(),
                                rights: Vec::new(),
                                sublicensable: g.sublicensable.as_ref().is_some_and(|s| s.value),
                                asset: None,
                                licensor: None,
                                licensee: None,
                                field: Vec::new(),
                                territory: Vec::new(),
                                from: None,
                                until: None,
                                in_force: InForce::default(),
                                version: document.amendment,
                                instrument,
                                order,
                                doc,
                                location,
                                label_location: loc(file, g.label.span),
                            });
                            self.item_labels.insert((file, index), LabelRef::Grant(id));
                        }
                    }
                    ItemKind::Clause(c) => {
                        let id = ClauseId(self.model.clauses.len() as u32);
                        let declared =
                            self.declare_versioned(&c.label, file, LabelRef::Clause(id), document);
                        if let Some(first) = declared {
                            // An amended clause keeps the original's place
                            // in source order and its instrument.
                            let (order, instrument) = match first {
                                LabelRef::Clause(f) => self
                                    .model
                                    .clauses
                                    .get(f.index())
                                    .map_or((self.rank, document.instrument), |c| {
                                        (c.order, c.instrument)
                                    }),
                                LabelRef::Grant(_) => (self.rank, document.instrument),
                            };
                            let kind = c
                                .head()
                                .map_or(crate::terms::ClauseKind::Permit, |h| h.kind.value);
                            self.model.clauses.push(ClauseInfo {
                                label: c.label.name.clone(),
                                title: c.title.as_ref().map(|t| t.value.clone()),
                                doc,
                                kind,
                                verbs: None,
                                assets: None,
                                head: loc(file, c.head().map_or(c.label.span, |h| h.span)),
                                by: Vec::new(),
                                to: Vec::new(),
                                field: Vec::new(),
                                territory: Vec::new(),
                                windows: Vec::new(),
                                conditions: Vec::new(),
                                duties: Vec::new(),
                                notwithstanding: Vec::new(),
                                moving_windows: Vec::new(),
                                instrument,
                                in_force: InForce::default(),
                                version: document.amendment,
                                order,
                                location,
                                label_location: loc(file, c.label.span),
                            });
                            self.item_labels.insert((file, index), LabelRef::Clause(id));
                        }
                    }
                    ItemKind::Fact(f) => self.declare_fact_or_event(f, doc, location, file, true),
                    ItemKind::Event(e) => self.declare_fact_or_event(e, doc, location, file, false),
                    ItemKind::Agreement(_)
                    | ItemKind::Scenario(_)
                    | ItemKind::Instrument(_)
                    | ItemKind::Amendment(_) => {}
                }
            }
        }
        self.model.fields.number();
        self.model.territories.number();
        self.model.verbs.number();
    }

    pub(super) fn declare_party(
        &mut self,
        p: &ast::Party,
        doc: Option<String>,
        location: Location,
        file: FileId,
    ) {
        let id = PartyId(self.model.parties.len() as u32);
        if self.declare_name(&p.id, file, NameRef::Party(id)) {
            let role = match p.kind {
                ast::PartyKind::ThirdParty => PartyRole::ThirdParty,
                ast::PartyKind::Party => PartyRole::Signatory,
            };
            let date = |d: &Option<ast::DateLit>| d.as_ref().and_then(|d| d.value);
            self.model.parties.push(PartyInfo {
                name: p.id.name.clone(),
                legal_name: p.legal_name.value.clone(),
                role,
                joined: date(&p.joined),
                left: date(&p.left),
                defaulting: p.defaulting.is_some(),
                affiliation: Window {
                    from: date(&p.affiliate_from),
                    until: date(&p.affiliate_until),
                },
                doc,
                location,
                name_location: loc(file, p.id.span),
            });
        }
    }

    pub(super) fn declare_asset(
        &mut self,
        a: &ast::Asset,
        doc: Option<String>,
        location: Location,
        file: FileId,
    ) {
        if let Some(first) = self.model.asset_ids.get(&a.id.name) {
            let first = self.model.assets[first.index()].name_location;
            self.diags.push(duplicate("asset", &a.id, file, first));
            return;
        }
        let id = AssetId(self.model.assets.len() as u32);
        self.model.asset_ids.insert(a.id.name.clone(), id);
        self.model.assets.push(AssetInfo {
            name: a.id.name.clone(),
            title: a.title.as_ref().map(|t| t.value.clone()),
            class: None,
            asset_type: None,
            owners: Vec::new(),
            tags: a.tags.iter().map(|t| t.name.clone()).collect(),
            created: a.created.first().and_then(|d| d.value),
            doc,
            location,
            name_location: loc(file, a.id.span),
        });
    }

    /// Declares a party or group name; false (and an error) if taken.
    pub(super) fn declare_name(&mut self, id: &ast::Ident, file: FileId, what: NameRef) -> bool {
        if let Some(first) = self.model.names.get(&id.name) {
            let first = match first {
                NameRef::Party(p) => self.model.parties[p.index()].name_location,
                NameRef::Group(g) => self.model.groups[g.index()].name_location,
            };
            self.diags.push(duplicate("name", id, file, first));
            return false;
        }
        self.model.names.insert(id.name.clone(), what);
        true
    }

    pub(super) fn declare_label(&mut self, id: &ast::Ident, file: FileId, what: LabelRef) -> bool {
        if let Some(first) = self.model.labels.get(&id.name) {
            let first = match first {
                LabelRef::Clause(c) => self.model.clauses[c.index()].label_location,
                LabelRef::Grant(g) => self.model.grants[g.index()].label_location,
            };
            self.diags.push(duplicate_label(
                id,
                file,
                first,
                "give each clause and grant its own label",
            ));
            return false;
        }
        self.model.labels.insert(id.name.clone(), what);
        true
    }

    pub(super) fn declare_tree(&mut self, tree: &ast::Tree, file: FileId) {
        let mut stack: Vec<(&ast::Node, Option<NodeId>, bool)> =
            tree.nodes.iter().rev().map(|n| (n, None, true)).collect();
        while let Some((node, parent, root)) = stack.pop() {
            let hierarchy = match tree.kind {
                TreeKind::Fields => &mut self.model.fields,
                TreeKind::Territories => &mut self.model.territories,
                TreeKind::Actions => &mut self.model.verbs,
            };
            let existing = hierarchy.get(&node.id.name);
            let id = match (tree.kind, existing) {
                // In `actions`, a top-level node names the built-in parent.
                (TreeKind::Actions, Some(id)) if root => id,
                (TreeKind::Actions, None) if root => {
                    let builtins = BUILTIN_VERBS.iter().map(|(n, _)| *n);
                    let suggestion = did_you_mean(&node.id.name, builtins);
                    self.diags.push(
                        unknown(
                            Code::UnknownParentVerb,
                            "verb",
                            &node.id,
                            file,
                            suggestion,
                            "new verbs go under a built-in verb: `actions { exploit { lease } }`",
                        )
                        .with_label(match suggestion {
                            Some(s) => format!("not a built-in verb; did you mean `{s}`?"),
                            None => "not a built-in verb".to_string(),
                        }),
                    );
                    continue;
                }
                (_, Some(first)) => {
                    let first_loc = hierarchy.nodes[first.index()].location;
                    let noun = tree.kind.node_noun();
                    let mut diag = Diagnostic::new(
                        Code::DuplicateNode,
                        file,
                        node.id.span,
                        format!("{noun} `{}` is declared twice", node.id.name),
                    )
                    .with_label("second declaration")
                    .with_help(format!(
                        "a {noun} appears once in its tree; remove this one or rename it"
                    ));
                    match first_loc {
                        Some(l) => diag = diag.with_related(l, "first declared here"),
                        None => {
                            diag = diag.with_help(format!("`{}` is a built-in verb", node.id.name))
                        }
                    }
                    self.diags.push(diag);
                    continue;
                }
                (_, None) => add_node(
                    hierarchy,
                    &node.id.name,
                    parent,
                    Some(loc(file, node.id.span)),
                ),
            };
            stack.extend(node.children.iter().rev().map(|c| (c, Some(id), false)));
        }
    }
}
