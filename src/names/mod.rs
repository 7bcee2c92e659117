//! Names: the symbol table. Binds every name and label to its declaration
//! and compiles the syntax tree into the [`Model`] the engine decides on.

mod action;
mod declare;
mod define;
mod documents;
mod errors;
pub mod model;

use fnv::FnvHashMap;

use jiff::civil::Date;

pub use action::resolve_action;
pub use model::*;

use errors::{duplicate, duplicate_label, no_expiry};

use crate::dates;
use crate::diagnostic::{Code, Diagnostic, Edit, Fix};
use crate::span::{FileId, Location, Span};
pub use crate::suggest::did_you_mean;
use crate::syntax::ast::{self, AssetClass, AssetType, ItemKind, TreeKind};

/// The built-in verbs: `use { research, exploit { make, sell, import } }`,
/// `license`, `sublicense`, `assign`, `publish`.
pub(crate) const BUILTIN_VERBS: [(&str, Option<&str>); 10] = [
    ("use", None),
    ("research", Some("use")),
    ("exploit", Some("use")),
    ("make", Some("exploit")),
    ("sell", Some("exploit")),
    ("import", Some("exploit")),
    ("license", None),
    ("sublicense", None),
    ("assign", None),
    ("publish", None),
];

/// Resolves the files of one policy, in source order, into a model.
pub fn resolve(files: &[(FileId, &ast::File)]) -> (Model, Vec<Diagnostic>) {
    let mut resolver = Resolver {
        model: Model::default(),
        diags: Vec::new(),
        pending_members: Vec::new(),
        documents: FnvHashMap::default(),
        item_labels: FnvHashMap::default(),
        versions: Vec::new(),
        rank: 0,
    };
    resolver.declare(files);
    resolver.define(files);
    resolver.settle_versions();
    (resolver.model, resolver.diags)
}

/// An "unknown X" diagnostic with a suggestion when there is one.
pub(crate) fn unknown(
    code: Code,
    what: &str,
    id: &ast::Ident,
    file: FileId,
    suggestion: Option<&str>,
    otherwise: &str,
) -> Diagnostic {
    let diag = Diagnostic::new(code, file, id.span, format!("unknown {what} `{}`", id.name));
    match suggestion {
        Some(s) => diag
            .with_label(format!("did you mean `{s}`?"))
            .with_help(format!("write `{s}`, or {otherwise}"))
            .with_fix(Fix::unsafe_(
                format!("Replace with `{s}`"),
                vec![Edit::replace(file, id.span, s)],
            )),
        None => diag
            .with_label(format!("no {what} of this name"))
            .with_help(otherwise.to_string()),
    }
}

struct Resolver {
    model: Model,
    diags: Vec<Diagnostic>,
    /// Each group's direct members, expanded by `flatten_groups`.
    pending_members: Vec<(GroupId, Vec<ast::Ident>, FileId)>,
    /// The instrument and amendment each file belongs to.
    documents: FnvHashMap<FileId, documents::Document>,
    /// The clause or grant each item declared, by file and item index.
    item_labels: FnvHashMap<(FileId, usize), LabelRef>,
    /// Amended versions: (first version, this version, amendment).
    versions: Vec<(LabelRef, LabelRef, AmendmentId)>,
    /// Items seen so far in source order, for `ClauseInfo::order`.
    rank: u32,
}

fn loc(file: FileId, span: Span) -> Location {
    Location { file, span }
}

fn add_node(
    h: &mut Hierarchy,
    name: &str,
    parent: Option<NodeId>,
    location: Option<Location>,
) -> NodeId {
    let id = NodeId(h.nodes.len() as u32);
    h.nodes.push(HierarchyNode {
        name: name.to_string(),
        parent,
        enter: 0,
        exit: 0,
        location,
    });
    h.ids.insert(name.to_string(), id);
    id
}
