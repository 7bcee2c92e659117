//! IPL's words in one table: each word's role, whether the grammar reserves
//! it, and its meaning. The item splitter, the language server (hover,
//! completion, rename) and the editors' TextMate grammar are derived from it;
//! tests check it against the grammar's `kw_*` rules and `keyword` rule.

use std::sync::LazyLock;

/// What a word does in the language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Starts a top-level item when it begins a line.
    Item,
    /// What a clause does: `permit`, `forbid`, `oblige`.
    ClauseKind,
    /// A decision that is not also a clause kind: `conditional`, `deny`.
    Decision,
    /// A built-in set of parties: `parties`, `co_owners`, ….
    Selector,
    /// An asset class: `background`, `foreground`, `sideground`.
    AssetClass,
    /// An asset type: `patent`, `software`, ….
    AssetType,
    /// A built-in verb: `use`, `license`, ….
    Verb,
    /// `true`, `false`.
    Boolean,
    /// A unit of a duration: `days`, `months`, `working`, ….
    Unit,
    /// Any other word of the grammar.
    Keyword,
}

/// One word of the language.
#[derive(Debug, Clone, Copy)]
pub struct Word {
    pub text: &'static str,
    pub role: Role,
    /// Reserved words are never identifiers (the grammar's `keyword` rule).
    pub reserved: bool,
    /// One line on its meaning, from LANGUAGE.md (hovers, completion).
    pub doc: &'static str,
}

const fn word(text: &'static str, role: Role, reserved: bool, doc: &'static str) -> Word {
    Word {
        text,
        role,
        reserved,
        doc,
    }
}

use Role::*;

/// Every word of IPL, grouped as LANGUAGE.md introduces them.
pub const WORDS: &[Word] = &[
    word(
        "agreement",
        Item,
        true,
        "`agreement \"title\" { … }`: the agreement's title and term; one per policy.",
    ),
    word(
        "effective",
        Keyword,
        true,
        "`effective DATE`: the day the agreement takes effect; in a time, that day.",
    ),
    word(
        "expires",
        Keyword,
        true,
        "`expires DATE`: the agreement's last day; in a time, that day.",
    ),
    word(
        "term",
        Keyword,
        true,
        "`term N years`: the agreement's length (it ends the day before the anniversary); `during term` / `after term` in a clause.",
    ),
    word(
        "open_ended",
        Keyword,
        true,
        "`open_ended`: the agreement has no expiry.",
    ),
    word(
        "party",
        Item,
        true,
        "`party id \"Legal name\" [affiliate of P [from DATE] [until DATE]] [joined DATE] [left DATE [defaulting]]`: a signatory, or an affiliate of one.",
    ),
    word(
        "affiliate",
        Keyword,
        true,
        "`affiliate of P [from DATE] [until DATE]`: this party is an affiliate of P, not a signatory, on those days (inclusive).",
    ),
    word(
        "affiliates",
        Keyword,
        true,
        "`affiliates of PARTIES`: the declared affiliates of those parties.",
    ),
    word(
        "third_party",
        Item,
        true,
        "`third_party id \"Legal name\"`: an outsider that clauses refer to.",
    ),
    word(
        "third_parties",
        Selector,
        true,
        "Selector: declared `third_party` outsiders, any undeclared name, and signatories that are not members on the action's date; `third_parties include affiliates` in the agreement adds affiliates.",
    ),
    word(
        "group",
        Item,
        true,
        "`group id = a, b, …`: a named set of parties (groups may contain groups).",
    ),
    word(
        "fields",
        Item,
        true,
        "`fields { … }`: the tree of fields of use; a node covers its descendants.",
    ),
    word(
        "territories",
        Item,
        true,
        "`territories { … }`: the tree of territories; a node covers its descendants.",
    ),
    word(
        "actions",
        Item,
        true,
        "`actions { exploit { lease } }`: verbs added under built-in parents.",
    ),
    word(
        "asset",
        Item,
        true,
        "`asset id [\"title\"] { class … owners … }`: a piece of intellectual property.",
    ),
    word(
        "class",
        Keyword,
        true,
        "`class background | foreground | sideground`: the asset's class.",
    ),
    word(
        "type",
        Keyword,
        true,
        "`type patent | know_how | software | data | design | copyright | trade_secret`.",
    ),
    word(
        "owner",
        Keyword,
        true,
        "`owner P`: the asset's sole owner (100%).",
    ),
    word(
        "owners",
        Keyword,
        true,
        "In an asset: `owners P 60%, Q 40%` (shares total 100%). As a selector: the owners of the action's asset.",
    ),
    word(
        "tags",
        Keyword,
        true,
        "`tags a, b`: free labels on an asset, used by `tagged` selectors.",
    ),
    word(
        "created",
        Keyword,
        true,
        "`created DATE`: when the asset was created (optional); in a time, the action's asset's `created` date (`when created <= expires`).",
    ),
    word(
        "grant",
        Item,
        true,
        "`grant LABEL { [exclusive|sole|non_exclusive] license of A from P to Q … }`: a licence in force; it permits its licensee the `rights` verbs in its scope and blocks others as its exclusivity says.",
    ),
    word(
        "license",
        Verb,
        false,
        "Verb: grant a licence as owner or licensor (does not cover `sublicense`).",
    ),
    word(
        "sublicense",
        Verb,
        false,
        "Verb: grant a licence onward, as a licensee (does not cover `license`).",
    ),
    word(
        "use",
        Verb,
        false,
        "Built-in verb `use`: any use of an asset; `research` and `exploit` are kinds of use.",
    ),
    word(
        "research",
        Verb,
        false,
        "Built-in verb `research` (a kind of `use`): research and development use.",
    ),
    word(
        "exploit",
        Verb,
        false,
        "Built-in verb `exploit` (a kind of `use`): commercial use; `make`, `sell` and `import` are kinds of exploitation.",
    ),
    word(
        "make",
        Verb,
        false,
        "Built-in verb `make` (a kind of `exploit`): manufacture.",
    ),
    word(
        "sell",
        Verb,
        false,
        "Built-in verb `sell` (a kind of `exploit`): sale or offer for sale.",
    ),
    word(
        "import",
        Verb,
        false,
        "Built-in verb `import` (a kind of `exploit`): importation.",
    ),
    word(
        "assign",
        Verb,
        false,
        "Built-in verb `assign`: transfer of ownership; takes `to PARTY`.",
    ),
    word(
        "publish",
        Verb,
        false,
        "Built-in verb `publish`: dissemination of results.",
    ),
    word(
        "exclusive",
        Keyword,
        true,
        "An exclusive licence: in a grant, it blocks every overlapping licence and everyone's use of its `rights` verbs in its scope but the licensee's (the licensor's too); in a condition, true when the action's licence is exclusive.",
    ),
    word(
        "non_exclusive",
        Keyword,
        true,
        "A non-exclusive licence (the default): a grant that blocks nothing.",
    ),
    word(
        "sole",
        Keyword,
        true,
        "`sole license of …`: a grant that blocks overlapping licences and others' use of its `rights` verbs, but leaves the licensor its own use.",
    ),
    word(
        "rights",
        Keyword,
        true,
        "`rights VERB, …` in a grant: the verbs licensed (and their children); default `exploit`.",
    ),
    word(
        "sublicensable",
        Keyword,
        true,
        "The licensee may sublicense; in a grant, it also permits the licensee `sublicense` of the asset inside the grant's scope; in a condition, true when it may.",
    ),
    word(
        "non_sublicensable",
        Keyword,
        true,
        "The licensee may not sublicense.",
    ),
    word(
        "of",
        Keyword,
        true,
        "Introduces assets (`permit license of foreground`) or parties (`affiliates of`, `consent of`).",
    ),
    word(
        "from",
        Keyword,
        true,
        "Grant: `from P` (the licensor) or `from DATE`; clause: `from TIME`, the window's first day; affiliation: `affiliate of P from DATE`.",
    ),
    word(
        "to",
        Keyword,
        true,
        "`to PARTIES`: the counterparty must be one of these; in an action, the counterparty.",
    ),
    word(
        "clause",
        Item,
        true,
        "`clause LABEL [\"title\"] [notwithstanding L, …] { head lines… }`: a rule.",
    ),
    word(
        "notwithstanding",
        Keyword,
        true,
        "`notwithstanding L`: this clause has priority over clause L (transitively).",
    ),
    word(
        "permit",
        ClauseKind,
        true,
        "A permit clause: the actions inside its scope are allowed (unless blocked by a forbid).",
    ),
    word(
        "forbid",
        ClauseKind,
        true,
        "A forbid clause: the actions overlapping its scope are denied, unless a permit has priority.",
    ),
    word(
        "oblige",
        ClauseKind,
        true,
        "An oblige clause: its duties attach to every action overlapping its scope.",
    ),
    word(
        "any",
        Keyword,
        true,
        "`permit any`: every verb; `consent of any P`: at least one of them consented.",
    ),
    word(
        "anyone",
        Selector,
        true,
        "Selector: every party, declared or not.",
    ),
    word(
        "by",
        Keyword,
        true,
        "`by PARTIES`: the actor must be one of these; in `expect … by L`, the deciding clause or grant.",
    ),
    word(
        "field",
        Keyword,
        true,
        "`field F, …`: the field-of-use scope; `field in F` in a condition.",
    ),
    word(
        "territory",
        Keyword,
        true,
        "`territory T, …`: the territorial scope; `territory in T` in a condition.",
    ),
    word(
        "during",
        Keyword,
        true,
        "`during term`: the action's date lies within the agreement's term.",
    ),
    word(
        "after",
        Keyword,
        true,
        "`after term`: the action's date lies after the agreement expires; `within D after notice`: at most D after the notice the objector received.",
    ),
    word(
        "until",
        Keyword,
        true,
        "`until TIME`: the window's last day; in a condition, the licence's end date; in an action, the licence's end; affiliation: `affiliate of P until DATE`.",
    ),
    word(
        "when",
        Keyword,
        true,
        "`when EXPR`: an extra condition (several are AND-ed).",
    ),
    word(
        "unless",
        Keyword,
        true,
        "`unless EXPR`: the clause does not apply when EXPR holds.",
    ),
    word(
        "duty",
        Keyword,
        true,
        "`duty …`: a precondition (notify, obtain consent) or an obligation (pay, compensate, text).",
    ),
    word(
        "parties",
        Selector,
        true,
        "Selector: the signatories that are members on the action's date (joined, not yet left).",
    ),
    word(
        "co_owners",
        Selector,
        true,
        "Selector: the owners of the action's asset other than the actor.",
    ),
    word(
        "except",
        Keyword,
        true,
        "`PARTIES except PARTIES`: removes parties from the set.",
    ),
    word(
        "tagged",
        Keyword,
        true,
        "`tagged TAG`: assets carrying that tag.",
    ),
    word(
        "jointly_owned",
        Keyword,
        true,
        "Assets with more than one owner.",
    ),
    word(
        "solely_owned",
        Keyword,
        true,
        "Assets with exactly one owner.",
    ),
    word(
        "background",
        AssetClass,
        false,
        "Asset class: IP a party brings to the project.",
    ),
    word(
        "foreground",
        AssetClass,
        false,
        "Asset class: results of the project.",
    ),
    word(
        "sideground",
        AssetClass,
        false,
        "Asset class: IP made alongside the project but outside it.",
    ),
    word(
        "and",
        Keyword,
        true,
        "Both hold (three-valued: unknown unless one is false).",
    ),
    word(
        "or",
        Keyword,
        true,
        "Either holds (three-valued: unknown unless one is true).",
    ),
    word("not", Keyword, true, "Negation (unknown stays unknown)."),
    word(
        "royalty",
        Keyword,
        true,
        "`royalty >= 3%`: the royalty offered; in an action, `royalty 3%`.",
    ),
    word(
        "in",
        Keyword,
        true,
        "`field in F`, `territory in T`, `to in PARTIES`: membership tests.",
    ),
    word(
        "consent",
        Keyword,
        true,
        "`consent of [any] PARTIES`: all (or any) of them consented; in an action, `consent P, Q | none [pending R, …]`.",
    ),
    word(
        "objection",
        Keyword,
        true,
        "`objection of PARTIES [within D after notice] [within D before]`: one of them objected (in time); in an action, `objection P [on DATE], … | none [pending R, …]`.",
    ),
    word(
        "notice",
        Keyword,
        true,
        "`notice to PARTIES >= N days`: notice given; in an action, `notice P 60 days` or `notice P on DATE`; `within D after notice` in an objection.",
    ),
    word(
        "notify",
        Keyword,
        true,
        "`duty notify PARTIES N days before`: precondition, notice of at least N days to each.",
    ),
    word(
        "before",
        Keyword,
        true,
        "`N days before`: ahead of the action's date; `objection of P within D before`: at most D before it.",
    ),
    word(
        "obtain",
        Keyword,
        true,
        "`duty obtain consent of PARTIES`: precondition, each of them consented.",
    ),
    word(
        "pay",
        Keyword,
        true,
        "`duty pay N% of income to PARTIES`: an obligation the action incurs.",
    ),
    word(
        "income",
        Keyword,
        true,
        "`pay N% of income to PARTIES`, `share income with PARTIES pro_rata`: the action's income; in an action, `income 250000 EUR`.",
    ),
    word(
        "compensate",
        Keyword,
        true,
        "`duty compensate PARTIES fairly`: an obligation the action incurs.",
    ),
    word(
        "fairly",
        Keyword,
        true,
        "`compensate PARTIES fairly`: fair compensation is owed.",
    ),
    word(
        "scenario",
        Item,
        true,
        "`scenario \"title\" { action … expect … }`: a policy test.",
    ),
    word(
        "action",
        Keyword,
        true,
        "`action ACTOR VERB ASSET …`: the proposed action of a scenario.",
    ),
    word(
        "expect",
        Keyword,
        true,
        "`expect permit|conditional|deny [by LABEL]`: the decision the scenario must get; `owes DUTY` lines may follow.",
    ),
    word(
        "conditional",
        Decision,
        true,
        "Decision: permitted provided the residual conditions and open preconditions hold.",
    ),
    word(
        "deny",
        Decision,
        true,
        "Decision: denied by a forbid, an exclusive grant, or by default.",
    ),
    word(
        "on",
        Keyword,
        true,
        "`on DATE`: the date the action takes effect; `EVENT on DATE`, `notice P on DATE`, `objection P on DATE`: the day of that fact.",
    ),
    word(
        "none",
        Keyword,
        true,
        "`consent none` / `objection none`: an empty set (stated, not unknown); `pending` may follow.",
    ),
    word(
        "fact",
        Item,
        true,
        "`fact id \"description\"`: a yes/no circumstance only the parties can establish; a condition atom (`when id`); an action states it with `given id` / `given not id`.",
    ),
    word(
        "event",
        Item,
        true,
        "`event id \"description\"`: a dated circumstance; wherever a time may stand (`until id + 90 days`); an action states it with `id on DATE`.",
    ),
    word(
        "instrument",
        Item,
        true,
        "`instrument id \"title\" [prevails over ID, …]`: once in a file, puts its clauses and grants in that document.",
    ),
    word(
        "prevails",
        Keyword,
        true,
        "`prevails over ID, …`: this instrument's clauses have priority over those instruments' clauses (transitively; never waives an oblige).",
    ),
    word(
        "over",
        Keyword,
        true,
        "`prevails over ID, …`: the instruments this one ranks above.",
    ),
    word(
        "amendment",
        Item,
        true,
        "`amendment LABEL \"title\" effective DATE [removes LABEL, …]`: this file's clauses and grants replace (or add) those labels from DATE.",
    ),
    word(
        "removes",
        Keyword,
        true,
        "`removes LABEL, …`: the amendment ends those clauses or grants on its effective date.",
    ),
    word(
        "joined",
        Keyword,
        true,
        "`joined DATE`: the signatory is a member from that day (without it: from the start).",
    ),
    word(
        "left",
        Keyword,
        true,
        "`left DATE [defaulting]`: the signatory is a member up to the day before; from DATE it is a former party.",
    ),
    word(
        "defaulting",
        Keyword,
        true,
        "`left DATE defaulting`: the party left as a defaulting party.",
    ),
    word(
        "former_parties",
        Selector,
        true,
        "Selector: the signatories that left on or before the action's date.",
    ),
    word(
        "defaulting_parties",
        Selector,
        true,
        "Selector: the former parties that left `defaulting`.",
    ),
    word(
        "within",
        Keyword,
        true,
        "`objection of P within D after notice`, `within D before`: the objection's day is at most D after the notice, at most D before the action.",
    ),
    word(
        "given",
        Keyword,
        true,
        "`given ID, not ID, …` in an action: facts stated true or false (others are unknown).",
    ),
    word(
        "pending",
        Keyword,
        true,
        "`consent P pending R`, `objection none pending R`: R has not answered yet (unknown).",
    ),
    word(
        "share",
        Keyword,
        true,
        "`duty share income with PARTIES pro_rata`: each of them is owed its ownership share of the income.",
    ),
    word(
        "with",
        Keyword,
        true,
        "`share income with PARTIES pro_rata`: those who share the income.",
    ),
    word(
        "pro_rata",
        Keyword,
        true,
        "`share income with PARTIES pro_rata`: in proportion to each party's ownership share of the asset.",
    ),
    word(
        "owes",
        Keyword,
        true,
        "`owes DUTY` after `expect`: the decision must carry that duty (with the parties resolved).",
    ),
    word(
        "include",
        Keyword,
        true,
        "`third_parties include affiliates` in the agreement: `third_parties` also contains affiliates.",
    ),
    word("day", Unit, false, "`1 day`: a duration in calendar days."),
    word(
        "days",
        Unit,
        false,
        "`N days`: a duration in calendar days.",
    ),
    word("week", Unit, false, "`1 week`: seven days."),
    word("weeks", Unit, false, "`N weeks`: seven days each."),
    word(
        "month",
        Unit,
        false,
        "`1 month`: to the same day of the next month (or its last day).",
    ),
    word(
        "months",
        Unit,
        false,
        "`N months`: to the same day N months on (or that month's last day).",
    ),
    word(
        "year",
        Unit,
        false,
        "`1 year`: to the same day of the next year.",
    ),
    word(
        "years",
        Unit,
        false,
        "`N years`: to the same day N years on.",
    ),
    word(
        "calendar",
        Unit,
        false,
        "`N calendar days`: the same as `N days`.",
    ),
    word(
        "working",
        Unit,
        false,
        "`N working days`: counts Monday to Friday (no holiday calendar).",
    ),
    word("true", Boolean, true, "Boolean true."),
    word("false", Boolean, true, "Boolean false."),
    word("patent", AssetType, false, "Asset type: a patent."),
    word("know_how", AssetType, false, "Asset type: know-how."),
    word("software", AssetType, false, "Asset type: software."),
    word("data", AssetType, false, "Asset type: data."),
    word("design", AssetType, false, "Asset type: a design."),
    word(
        "copyright",
        AssetType,
        false,
        "Asset type: a copyright work.",
    ),
    word(
        "trade_secret",
        AssetType,
        false,
        "Asset type: a trade secret.",
    ),
];

/// The word's entry, if it is one of IPL's.
pub fn lookup(text: &str) -> Option<&'static Word> {
    WORDS.iter().find(|w| w.text == text)
}

/// The meaning of a word of the language.
pub fn doc(text: &str) -> Option<&'static str> {
    lookup(text).map(|w| w.doc)
}

/// The reserved word closest to a misspelt one (`unles` → `unless`).
pub fn closest_reserved(text: &str) -> Option<&'static str> {
    crate::suggest::did_you_mean(text, WORDS.iter().filter(|w| w.reserved).map(|w| w.text))
}

/// The words of one role, in the table's order.
pub fn with_role(role: Role) -> impl Iterator<Item = &'static str> {
    WORDS.iter().filter(move |w| w.role == role).map(|w| w.text)
}

/// The words that start a top-level item.
pub static ITEMS: LazyLock<Vec<&'static str>> = LazyLock::new(|| with_role(Item).collect());

/// Does this word start a top-level item?
pub fn starts_item(text: &str) -> bool {
    ITEMS.contains(&text)
}

/// What a clause does: `permit`, `forbid`, `oblige`.
pub static CLAUSE_KINDS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| with_role(ClauseKind).collect());

/// The asset classes.
pub static ASSET_CLASSES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| with_role(AssetClass).collect());

/// The asset types.
pub static ASSET_TYPES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| with_role(AssetType).collect());

/// The built-in verbs.
pub static VERBS: LazyLock<Vec<&'static str>> = LazyLock::new(|| with_role(Verb).collect());

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use pest::Parser;

    use super::super::parser::{IplParser, Rule, is_keyword};
    use super::*;
    use crate::syntax::ast::{AssetClass, AssetType, Duration, DurationUnit};
    use crate::terms::{ClauseKind, Decision};

    fn words(role: Role) -> BTreeSet<&'static str> {
        with_role(role).collect()
    }

    #[test]
    fn every_word_is_listed_once() {
        let mut seen = BTreeSet::new();
        for w in WORDS {
            assert!(seen.insert(w.text), "`{}` is listed twice", w.text);
            assert!(!w.doc.is_empty(), "`{}` has no meaning", w.text);
        }
    }

    /// Every `kw_X` rule of the grammar is the word X of the table, and
    /// the builder skips exactly those rules.
    #[test]
    fn the_grammar_keyword_rules_are_the_table() {
        for rule in Rule::all_rules() {
            let name = format!("{rule:?}");
            let word = name.strip_prefix("kw_");
            assert_eq!(
                is_keyword(*rule),
                word.is_some(),
                "parser::is_keyword disagrees with the grammar on `{name}`"
            );
            if let Some(word) = word {
                assert!(
                    lookup(word).is_some(),
                    "grammar rule {name}: `{word}` is not in WORDS"
                );
                let whole = IplParser::parse(*rule, word)
                    .is_ok_and(|mut p| p.next().is_some_and(|p| p.as_str() == word));
                assert!(whole, "rule {name} does not match `{word}`");
            }
        }
    }

    /// A word is reserved exactly when the grammar's `keyword` rule takes it
    /// whole; and every reserved word has its own `kw_` rule.
    #[test]
    fn reserved_words_are_the_keyword_rule() {
        let kw_rules: BTreeSet<String> = Rule::all_rules()
            .iter()
            .filter_map(|r| format!("{r:?}").strip_prefix("kw_").map(str::to_owned))
            .collect();
        for w in WORDS {
            let taken = IplParser::parse(Rule::keyword, w.text)
                .is_ok_and(|mut p| p.next().is_some_and(|p| p.as_str() == w.text));
            assert_eq!(
                taken, w.reserved,
                "`{}`: reserved in WORDS is {}, in the grammar {taken}",
                w.text, w.reserved
            );
            if w.reserved {
                assert!(
                    kw_rules.contains(w.text),
                    "reserved `{}` has no kw_{} rule",
                    w.text,
                    w.text
                );
            }
        }
    }

    #[test]
    fn the_closed_sets_of_the_tree_and_the_model_are_the_table() {
        let classes: BTreeSet<_> = AssetClass::ALL.iter().map(|(w, _)| *w).collect();
        assert_eq!(classes, words(Role::AssetClass));
        let types: BTreeSet<_> = AssetType::ALL.iter().map(|(w, _)| *w).collect();
        assert_eq!(types, words(Role::AssetType));
        let verbs: BTreeSet<_> = crate::names::BUILTIN_VERBS
            .iter()
            .map(|(w, _)| *w)
            .collect();
        assert_eq!(verbs, words(Role::Verb));
        let kinds: BTreeSet<_> = [ClauseKind::Permit, ClauseKind::Forbid, ClauseKind::Oblige]
            .map(ClauseKind::as_str)
            .into_iter()
            .collect();
        assert_eq!(kinds, words(Role::ClauseKind));
        for d in [Decision::Permit, Decision::Conditional, Decision::Deny] {
            assert!(
                lookup(d.as_str()).is_some(),
                "decision `{}` is not in WORDS",
                d.as_str()
            );
        }
        let units = [
            DurationUnit::Days,
            DurationUnit::CalendarDays,
            DurationUnit::WorkingDays,
            DurationUnit::Weeks,
            DurationUnit::Months,
            DurationUnit::Years,
        ];
        for unit in units {
            for count in [1, 2] {
                let text = Duration {
                    count,
                    unit,
                    span: Default::default(),
                }
                .to_string();
                for word in text.split(' ').skip(1) {
                    assert_eq!(
                        lookup(word).map(|w| w.role),
                        Some(Role::Unit),
                        "unit word `{word}`"
                    );
                }
            }
        }
    }

    /// The TextMate scope of each role, in the order the patterns are tried.
    const SCOPES: [(Role, &str); 10] = [
        (Role::Item, "storage.type.item.ipl"),
        (Role::ClauseKind, "keyword.control.clause-kind.ipl"),
        (Role::Decision, "constant.language.decision.ipl"),
        (Role::Selector, "variable.language.selector.ipl"),
        (Role::AssetClass, "support.type.asset-class.ipl"),
        (Role::AssetType, "support.type.asset-type.ipl"),
        (Role::Verb, "support.function.verb.ipl"),
        (Role::Boolean, "constant.language.boolean.ipl"),
        (Role::Unit, "keyword.other.unit.ipl"),
        (Role::Keyword, "keyword.other.ipl"),
    ];

    /// The `keywords` entry of the TextMate grammar's repository, as the
    /// committed file writes it.
    fn textmate_keywords() -> String {
        let patterns: Vec<String> = SCOPES
            .iter()
            .map(|(role, scope)| {
                let words: Vec<&str> = with_role(*role).collect();
                format!(
                    "        {{\n          \"name\": \"{scope}\",\n          \"match\": \"\\\\b({})\\\\b\"\n        }}",
                    words.join("|")
                )
            })
            .collect();
        format!(
            "    \"keywords\": {{\n      \"patterns\": [\n{}\n      ]\n    }}",
            patterns.join(",\n")
        )
    }

    /// The editors' grammar holds the table's words; `IPCHECK_BLESS=1`
    /// rewrites its `keywords` entry (and the VS Code package's copy).
    #[test]
    fn the_textmate_grammar_is_generated_from_the_table() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let path = root.join("editors/ipl.tmLanguage.json");
        let text = std::fs::read_to_string(&path).unwrap();
        let start = text.find("    \"keywords\": {\n").unwrap();
        let end = start + text[start..].find("\n    }").unwrap() + "\n    }".len();
        let wanted = textmate_keywords();
        if text[start..end] == wanted {
            return;
        }
        if std::env::var_os("IPCHECK_BLESS").is_some() {
            let fresh = format!("{}{wanted}{}", &text[..start], &text[end..]);
            std::fs::write(&path, &fresh).unwrap();
            std::fs::write(
                root.join("editors/vscode/syntaxes/ipl.tmLanguage.json"),
                &fresh,
            )
            .unwrap();
            return;
        }
        panic!(
            "editors/ipl.tmLanguage.json is stale: its keywords are not the word table's; \
             run `IPCHECK_BLESS=1 cargo test --lib words` to regenerate it"
        );
    }
}
