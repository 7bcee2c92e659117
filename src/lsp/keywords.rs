//! IPL's reserved words with one line each on their meaning (from
//! LANGUAGE.md), for hovers and completion details.

/// `(keyword, meaning)`; multi-word phrases are listed under each word.
pub const KEYWORDS: &[(&str, &str)] = &[
    (
        "agreement",
        "`agreement \"title\" { … }`: the agreement's title and term; one per policy.",
    ),
    (
        "effective",
        "`effective DATE`: the day the agreement takes effect; in a time, that day.",
    ),
    (
        "expires",
        "`expires DATE`: the agreement's last day; in a time, that day.",
    ),
    (
        "term",
        "`term N years`: the agreement's length (it ends the day before the anniversary); `during term` / `after term` in a clause.",
    ),
    ("open_ended", "`open_ended`: the agreement has no expiry."),
    (
        "party",
        "`party id \"Legal name\" [affiliate of P [from DATE] [until DATE]] [joined DATE] [left DATE [defaulting]]`: a signatory, or an affiliate of one.",
    ),
    (
        "affiliate",
        "`affiliate of P [from DATE] [until DATE]`: this party is an affiliate of P, not a signatory, on those days (inclusive).",
    ),
    (
        "affiliates",
        "`affiliates of PARTIES`: the declared affiliates of those parties.",
    ),
    (
        "third_party",
        "`third_party id \"Legal name\"`: an outsider that clauses refer to.",
    ),
    (
        "third_parties",
        "Selector: declared `third_party` outsiders, any undeclared name, and signatories that are not members on the action's date; `third_parties include affiliates` in the agreement adds affiliates.",
    ),
    (
        "group",
        "`group id = a, b, …`: a named set of parties (groups may contain groups).",
    ),
    (
        "fields",
        "`fields { … }`: the tree of fields of use; a node covers its descendants.",
    ),
    (
        "territories",
        "`territories { … }`: the tree of territories; a node covers its descendants.",
    ),
    (
        "actions",
        "`actions { exploit { lease } }`: verbs added under built-in parents.",
    ),
    (
        "asset",
        "`asset id [\"title\"] { class … owners … }`: a piece of intellectual property.",
    ),
    (
        "class",
        "`class background | foreground | sideground`: the asset's class.",
    ),
    (
        "type",
        "`type patent | know_how | software | data | design | copyright | trade_secret`.",
    ),
    ("owner", "`owner P`: the asset's sole owner (100%)."),
    (
        "owners",
        "In an asset: `owners P 60%, Q 40%` (shares total 100%). As a selector: the owners of the action's asset.",
    ),
    (
        "tags",
        "`tags a, b`: free labels on an asset, used by `tagged` selectors.",
    ),
    (
        "created",
        "`created DATE`: when the asset was created (optional); in a time, the action's asset's `created` date (`when created <= expires`).",
    ),
    (
        "grant",
        "`grant LABEL { [exclusive|sole|non_exclusive] license of A from P to Q … }`: a licence in force; it permits its licensee the `rights` verbs in its scope and blocks others as its exclusivity says.",
    ),
    (
        "license",
        "Verb: grant a licence as owner or licensor (does not cover `sublicense`).",
    ),
    (
        "sublicense",
        "Verb: grant a licence onward, as a licensee (does not cover `license`).",
    ),
    (
        "exclusive",
        "An exclusive licence: in a grant, it blocks every overlapping licence and everyone's use of its `rights` verbs in its scope but the licensee's (the licensor's too); in a condition, true when the action's licence is exclusive.",
    ),
    (
        "non_exclusive",
        "A non-exclusive licence (the default): a grant that blocks nothing.",
    ),
    (
        "sole",
        "`sole license of …`: a grant that blocks overlapping licences and others' use of its `rights` verbs, but leaves the licensor its own use.",
    ),
    (
        "rights",
        "`rights VERB, …` in a grant: the verbs licensed (and their children); default `exploit`.",
    ),
    (
        "sublicensable",
        "The licensee may sublicense; in a grant, it also permits the licensee `sublicense` of the asset inside the grant's scope; in a condition, true when it may.",
    ),
    ("non_sublicensable", "The licensee may not sublicense."),
    (
        "of",
        "Introduces assets (`permit license of foreground`) or parties (`affiliates of`, `consent of`).",
    ),
    (
        "from",
        "Grant: `from P` (the licensor) or `from DATE`; clause: `from TIME`, the window's first day; affiliation: `affiliate of P from DATE`.",
    ),
    (
        "to",
        "`to PARTIES`: the counterparty must be one of these; in an action, the counterparty.",
    ),
    (
        "clause",
        "`clause LABEL [\"title\"] [notwithstanding L, …] { head lines… }`: a rule.",
    ),
    (
        "notwithstanding",
        "`notwithstanding L`: this clause has priority over clause L (transitively).",
    ),
    (
        "permit",
        "A permit clause: the actions inside its scope are allowed (unless blocked by a forbid).",
    ),
    (
        "forbid",
        "A forbid clause: the actions overlapping its scope are denied, unless a permit has priority.",
    ),
    (
        "oblige",
        "An oblige clause: its duties attach to every action overlapping its scope.",
    ),
    (
        "any",
        "`permit any`: every verb; `consent of any P`: at least one of them consented.",
    ),
    ("anyone", "Selector: every party, declared or not."),
    (
        "by",
        "`by PARTIES`: the actor must be one of these; in `expect … by L`, the deciding clause or grant.",
    ),
    (
        "field",
        "`field F, …`: the field-of-use scope; `field in F` in a condition.",
    ),
    (
        "territory",
        "`territory T, …`: the territorial scope; `territory in T` in a condition.",
    ),
    (
        "during",
        "`during term`: the action's date lies within the agreement's term.",
    ),
    (
        "after",
        "`after term`: the action's date lies after the agreement expires; `within D after notice`: at most D after the notice the objector received.",
    ),
    (
        "until",
        "`until TIME`: the window's last day; in a condition, the licence's end date; in an action, the licence's end; affiliation: `affiliate of P until DATE`.",
    ),
    (
        "when",
        "`when EXPR`: an extra condition (several are AND-ed).",
    ),
    (
        "unless",
        "`unless EXPR`: the clause does not apply when EXPR holds.",
    ),
    (
        "duty",
        "`duty …`: a precondition (notify, obtain consent) or an obligation (pay, compensate, text).",
    ),
    (
        "parties",
        "Selector: the signatories that are members on the action's date (joined, not yet left).",
    ),
    (
        "co_owners",
        "Selector: the owners of the action's asset other than the actor.",
    ),
    (
        "except",
        "`PARTIES except PARTIES`: removes parties from the set.",
    ),
    ("tagged", "`tagged TAG`: assets carrying that tag."),
    ("jointly_owned", "Assets with more than one owner."),
    ("solely_owned", "Assets with exactly one owner."),
    (
        "background",
        "Asset class: IP a party brings to the project.",
    ),
    ("foreground", "Asset class: results of the project."),
    (
        "sideground",
        "Asset class: IP made alongside the project but outside it.",
    ),
    (
        "and",
        "Both hold (three-valued: unknown unless one is false).",
    ),
    (
        "or",
        "Either holds (three-valued: unknown unless one is true).",
    ),
    ("not", "Negation (unknown stays unknown)."),
    (
        "royalty",
        "`royalty >= 3%`: the royalty offered; in an action, `royalty 3%`.",
    ),
    (
        "in",
        "`field in F`, `territory in T`, `to in PARTIES`: membership tests.",
    ),
    (
        "consent",
        "`consent of [any] PARTIES`: all (or any) of them consented; in an action, `consent P, Q | none [pending R, …]`.",
    ),
    (
        "objection",
        "`objection of PARTIES [within D after notice] [within D before]`: one of them objected (in time); in an action, `objection P [on DATE], … | none [pending R, …]`.",
    ),
    (
        "notice",
        "`notice to PARTIES >= N days`: notice given; in an action, `notice P 60 days` or `notice P on DATE`; `within D after notice` in an objection.",
    ),
    (
        "notify",
        "`duty notify PARTIES N days before`: precondition, notice of at least N days to each.",
    ),
    (
        "before",
        "`N days before`: ahead of the action's date; `objection of P within D before`: at most D before it.",
    ),
    (
        "obtain",
        "`duty obtain consent of PARTIES`: precondition, each of them consented.",
    ),
    (
        "pay",
        "`duty pay N% of income to PARTIES`: an obligation the action incurs.",
    ),
    (
        "income",
        "`pay N% of income to PARTIES`, `share income with PARTIES pro_rata`: the action's income; in an action, `income 250000 EUR`.",
    ),
    (
        "compensate",
        "`duty compensate PARTIES fairly`: an obligation the action incurs.",
    ),
    (
        "fairly",
        "`compensate PARTIES fairly`: fair compensation is owed.",
    ),
    (
        "scenario",
        "`scenario \"title\" { action … expect … }`: a policy test.",
    ),
    (
        "action",
        "`action ACTOR VERB ASSET …`: the proposed action of a scenario.",
    ),
    (
        "expect",
        "`expect permit|conditional|deny [by LABEL]`: the decision the scenario must get; `owes DUTY` lines may follow.",
    ),
    (
        "conditional",
        "Decision: permitted provided the residual conditions and open preconditions hold.",
    ),
    (
        "deny",
        "Decision: denied by a forbid, an exclusive grant, or by default.",
    ),
    (
        "on",
        "`on DATE`: the date the action takes effect; `EVENT on DATE`, `notice P on DATE`, `objection P on DATE`: the day of that fact.",
    ),
    (
        "none",
        "`consent none` / `objection none`: an empty set (stated, not unknown); `pending` may follow.",
    ),
    (
        "fact",
        "`fact id \"description\"`: a yes/no circumstance only the parties can establish; a condition atom (`when id`); an action states it with `given id` / `given not id`.",
    ),
    (
        "event",
        "`event id \"description\"`: a dated circumstance; wherever a time may stand (`until id + 90 days`); an action states it with `id on DATE`.",
    ),
    (
        "instrument",
        "`instrument id \"title\" [prevails over ID, …]`: once in a file, puts its clauses and grants in that document.",
    ),
    (
        "prevails",
        "`prevails over ID, …`: this instrument's clauses have priority over those instruments' clauses (transitively; never waives an oblige).",
    ),
    (
        "over",
        "`prevails over ID, …`: the instruments this one ranks above.",
    ),
    (
        "amendment",
        "`amendment LABEL \"title\" effective DATE [removes LABEL, …]`: this file's clauses and grants replace (or add) those labels from DATE.",
    ),
    (
        "removes",
        "`removes LABEL, …`: the amendment ends those clauses or grants on its effective date.",
    ),
    (
        "joined",
        "`joined DATE`: the signatory is a member from that day (without it: from the start).",
    ),
    (
        "left",
        "`left DATE [defaulting]`: the signatory is a member up to the day before; from DATE it is a former party.",
    ),
    (
        "defaulting",
        "`left DATE defaulting`: the party left as a defaulting party.",
    ),
    (
        "former_parties",
        "Selector: the signatories that left on or before the action's date.",
    ),
    (
        "defaulting_parties",
        "Selector: the former parties that left `defaulting`.",
    ),
    (
        "within",
        "`objection of P within D after notice`, `within D before`: the objection's day is at most D after the notice, at most D before the action.",
    ),
    (
        "given",
        "`given ID, not ID, …` in an action: facts stated true or false (others are unknown).",
    ),
    (
        "pending",
        "`consent P pending R`, `objection none pending R`: R has not answered yet (unknown).",
    ),
    (
        "share",
        "`duty share income with PARTIES pro_rata`: each of them is owed its ownership share of the income.",
    ),
    (
        "with",
        "`share income with PARTIES pro_rata`: those who share the income.",
    ),
    (
        "pro_rata",
        "`share income with PARTIES pro_rata`: in proportion to each party's ownership share of the asset.",
    ),
    (
        "owes",
        "`owes DUTY` after `expect`: the decision must carry that duty (with the parties resolved).",
    ),
    (
        "include",
        "`third_parties include affiliates` in the agreement: `third_parties` also contains affiliates.",
    ),
    ("calendar", "`N calendar days`: the same as `N days`."),
    (
        "working",
        "`N working days`: counts Monday to Friday (no holiday calendar).",
    ),
    ("true", "Boolean true."),
    ("false", "Boolean false."),
    ("patent", "Asset type: a patent."),
    ("know_how", "Asset type: know-how."),
    ("software", "Asset type: software."),
    ("data", "Asset type: data."),
    ("design", "Asset type: a design."),
    ("copyright", "Asset type: a copyright work."),
    ("trade_secret", "Asset type: a trade secret."),
];

/// The meaning of a reserved word.
pub fn doc(word: &str) -> Option<&'static str> {
    KEYWORDS.iter().find(|(k, _)| *k == word).map(|(_, d)| *d)
}

/// Words starting a top-level item.
pub const ITEMS: &[&str] = &crate::syntax::split::ITEM_KEYWORDS;

/// Asset filter words (after `of` in a clause head).
pub const FILTERS: &[&str] = &[
    "background",
    "foreground",
    "sideground",
    "patent",
    "know_how",
    "software",
    "data",
    "design",
    "copyright",
    "trade_secret",
    "jointly_owned",
    "solely_owned",
    "tagged",
];
