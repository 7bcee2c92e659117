//! The table of diagnostic codes: every code ipcheck reports, its family
//! and default severity, in one place.

use std::fmt;

use serde::{Serialize, Serializer};

use super::Severity;

/// The family of a code: the stage that reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    Syntax,
    Names,
    Check,
    Lint,
    Config,
    Source,
    Proposal,
    Eval,
    Test,
    Fmt,
    Report,
    Diff,
    Coverage,
    Internal,
}

impl Family {
    /// Every family, in pipeline order.
    pub const ALL: &'static [Family] = &[
        Family::Syntax,
        Family::Names,
        Family::Check,
        Family::Lint,
        Family::Config,
        Family::Source,
        Family::Proposal,
        Family::Eval,
        Family::Test,
        Family::Fmt,
        Family::Report,
        Family::Diff,
        Family::Coverage,
        Family::Internal,
    ];

    /// `ipl::names`, `ipl::lint`, …
    pub fn prefix(self) -> &'static str {
        match self {
            Family::Syntax => "ipl::syntax",
            Family::Names => "ipl::names",
            Family::Check => "ipl::check",
            Family::Lint => "ipl::lint",
            Family::Config => "ipl::config",
            Family::Source => "ipl::source",
            Family::Proposal => "ipl::proposal",
            Family::Eval => "ipl::eval",
            Family::Test => "ipl::test",
            Family::Fmt => "ipl::fmt",
            Family::Report => "ipl::report",
            Family::Diff => "ipl::diff",
            Family::Coverage => "ipl::coverage",
            Family::Internal => "ipl::internal",
        }
    }
}

macro_rules! family {
    (syntax) => {
        Family::Syntax
    };
    (names) => {
        Family::Names
    };
    (check) => {
        Family::Check
    };
    (lint) => {
        Family::Lint
    };
    (config) => {
        Family::Config
    };
    (source) => {
        Family::Source
    };
    (proposal) => {
        Family::Proposal
    };
    (eval) => {
        Family::Eval
    };
    (test) => {
        Family::Test
    };
    (fmt) => {
        Family::Fmt
    };
    (report) => {
        Family::Report
    };
    (diff) => {
        Family::Diff
    };
    (coverage) => {
        Family::Coverage
    };
}

macro_rules! codes {
    ($( $family:ident :: $name:ident => $variant:ident, $severity:ident; )*) => {
        /// A stable diagnostic code, documented in docs/diagnostics.md or
        /// docs/lints.md under its full name (`ipl::names::unknown_party`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $variant, )*
            /// A defect of ipcheck itself (`ipl::internal`): reported, with
            /// a request to report it, instead of a panic or a silent default.
            Internal,
            /// No code: a snippet drawn inside a decision's explanation,
            /// never reported as a finding.
            Note,
        }

        impl Code {
            /// Every reportable code, in table order (`Note` is not one).
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* Code::Internal ];

            /// The full code: `ipl::names::unknown_party` (`""` for a note).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( Code::$variant => concat!("ipl::", stringify!($family), "::", stringify!($name)), )*
                    Code::Internal => "ipl::internal",
                    Code::Note => "",
                }
            }

            /// The code without its family: `unknown_party`.
            pub const fn name(self) -> &'static str {
                match self {
                    $( Code::$variant => stringify!($name), )*
                    Code::Internal => "internal",
                    Code::Note => "",
                }
            }

            /// The stage that reports it.
            pub const fn family(self) -> Family {
                match self {
                    $( Code::$variant => family!($family), )*
                    Code::Internal => Family::Internal,
                    Code::Note => Family::Report,
                }
            }

            /// The severity it is reported with before configured levels.
            pub const fn default_severity(self) -> Severity {
                match self {
                    $( Code::$variant => Severity::$severity, )*
                    Code::Internal => Severity::Error,
                    Code::Note => Severity::Info,
                }
            }
        }
    };
}

// The table: family::name => Variant, default severity.
codes! {
    // ipl::syntax
    syntax::day_kind_without_days => DayKindWithoutDays, Error;
    syntax::invalid_label => InvalidLabel, Error;
    syntax::invalid_utf8 => InvalidUtf8, Error;
    syntax::items_on_one_line => ItemsOnOneLine, Error;
    syntax::missing_separator => MissingSeparator, Error;
    syntax::repeated_action_part => RepeatedActionPart, Error;
    syntax::repeated_filter_word => RepeatedFilterWord, Error;
    syntax::too_deep => TooDeep, Error;
    syntax::unclosed_item => UnclosedItem, Error;
    syntax::unexpected_end => UnexpectedEnd, Error;
    syntax::unexpected_token => UnexpectedToken, Error;
    // ipl::names
    names::bad_action_record => BadActionRecord, Error;
    names::bad_action_value => BadActionValue, Error;
    names::date_out_of_range => DateOutOfRange, Error;
    names::duplicate_agreement => DuplicateAgreement, Error;
    names::duplicate_label => DuplicateLabel, Error;
    names::duplicate_name => DuplicateName, Error;
    names::duplicate_node => DuplicateNode, Error;
    names::group_cycle => GroupCycle, Error;
    names::group_not_allowed => GroupNotAllowed, Error;
    names::incomplete_action => IncompleteAction, Error;
    names::missing_head => MissingHead, Error;
    names::no_expiry => NoExpiry, Error;
    names::notwithstanding_grant => NotwithstandingGrant, Error;
    names::second_document => SecondDocument, Error;
    names::second_head => SecondHead, Error;
    names::unknown_asset => UnknownAsset, Error;
    names::unknown_asset_word => UnknownAssetWord, Error;
    names::unknown_event => UnknownEvent, Error;
    names::unknown_fact => UnknownFact, Error;
    names::unknown_field => UnknownField, Error;
    names::unknown_instrument => UnknownInstrument, Error;
    names::unknown_label => UnknownLabel, Error;
    names::unknown_parent_verb => UnknownParentVerb, Error;
    names::unknown_party => UnknownParty, Error;
    names::unknown_territory => UnknownTerritory, Error;
    names::unknown_verb => UnknownVerb, Error;
    // ipl::check
    check::action_until_before_on => ActionUntilBeforeOn, Error;
    check::affiliation_outside_term => AffiliationOutsideTerm, Error;
    check::amended_twice_same_day => AmendedTwiceSameDay, Error;
    check::amendment_before_agreement => AmendmentBeforeAgreement, Error;
    check::conflicting_expiry => ConflictingExpiry, Error;
    check::duplicate_owner => DuplicateOwner, Error;
    check::empty_window => EmptyWindow, Error;
    check::exclusive_overlap => ExclusiveOverlap, Error;
    check::expires_before_effective => ExpiresBeforeEffective, Error;
    check::grant_until_before_from => GrantUntilBeforeFrom, Error;
    check::invalid_date => InvalidDate, Error;
    check::invalid_share => InvalidShare, Error;
    check::left_before_joined => LeftBeforeJoined, Error;
    check::missing_agreement => MissingAgreement, Error;
    check::missing_class => MissingClass, Error;
    check::missing_effective => MissingEffective, Error;
    check::missing_expiry => MissingExpiry, Error;
    check::missing_owner => MissingOwner, Error;
    check::notwithstanding_prevailing => NotwithstandingPrevailing, Error;
    check::owes_no_duty => OwesNoDuty, Error;
    check::percent_out_of_range => PercentOutOfRange, Error;
    check::precedence_cycle => PrecedenceCycle, Error;
    check::priority_cycle => PriorityCycle, Error;
    check::repeated_line => RepeatedLine, Error;
    check::self_license => SelfLicense, Error;
    check::shares_total => SharesTotal, Error;
    // ipl::lint
    lint::contradiction => Contradiction, Error;
    lint::dead_permit => DeadPermit, Warning;
    lint::departed_group_member => DepartedGroupMember, Warning;
    lint::empty_selector => EmptySelector, Warning;
    lint::escaped_duty => EscapedDuty, Warning;
    lint::excluded_background_permitted => ExcludedBackgroundPermitted, Warning;
    lint::expired_clause => ExpiredClause, Warning;
    lint::grant_conflict => GrantConflict, Error;
    lint::income_overcommitted => IncomeOvercommitted, Error;
    lint::no_rights_in => NoRightsIn, Warning;
    lint::shadowed_clause => ShadowedClause, Warning;
    lint::unused => Unused, Info;
    lint::useless_notwithstanding => UselessNotwithstanding, Warning;
    // ipl::config
    config::bad_value => ConfigBadValue, Error;
    config::fixed_level => ConfigFixedLevel, Error;
    config::no_policy => ConfigNoPolicy, Error;
    config::no_proposals => ConfigNoProposals, Warning;
    config::outside_repo => ConfigOutsideRepo, Error;
    config::parent_config => ConfigParentConfig, Info;
    config::syntax => ConfigSyntax, Error;
    config::unknown_code => ConfigUnknownCode, Error;
    config::unknown_key => ConfigUnknownKey, Error;
    config::unreadable => ConfigUnreadable, Error;
    // ipl::source
    source::link_outside => SourceLinkOutside, Warning;
    source::not_walked => SourceNotWalked, Warning;
    source::outside_repo => SourceOutsideRepo, Error;
    source::unreadable => SourceUnreadable, Error;
    // ipl::proposal
    proposal::conditional => ProposalConditional, Warning;
    proposal::denied => ProposalDenied, Error;
    proposal::invalid => ProposalInvalid, Error;
    proposal::unexpected_decision => ProposalUnexpectedDecision, Error;
    // ipl::eval
    eval::conditional => EvalConditional, Warning;
    eval::denied => EvalDenied, Error;
    // ipl::test
    test::scenario_failed => TestScenarioFailed, Error;
    // ipl::fmt
    fmt::internal_error => FmtInternalError, Error;
    // ipl::report
    report::more_findings => ReportMoreFindings, Info;
    report::lint_skipped => ReportLintSkipped, Info;
    // ipl::diff
    diff::widened => DiffWidened, Warning;
    diff::narrowed => DiffNarrowed, Warning;
    diff::reattributed => DiffReattributed, Warning;
    diff::obligations => DiffObligations, Warning;
    diff::uncovered => DiffUncovered, Warning;
    diff::incomplete => DiffIncomplete, Warning;
    // ipl::coverage
    coverage::not_covered => CoverageNotCovered, Warning;
}

impl Code {
    /// The code with this full name (`ipl::lint::unused`), if it exists.
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == text)
    }

    /// The lint with this name (`unused` or `ipl::lint::unused`).
    pub fn lint(text: &str) -> Option<Code> {
        let name = text.strip_prefix("ipl::lint::").unwrap_or(text);
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.family() == Family::Lint && c.name() == name)
    }

    /// A note, not a finding.
    pub fn is_note(self) -> bool {
        self == Code::Note
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_families_match_their_prefix() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
            if *code == Code::Internal {
                continue;
            }
            let (family, name) = code.as_str().rsplit_once("::").unwrap_or_default();
            assert_eq!(family, code.family().prefix());
            assert_eq!(name, code.name());
            assert_eq!(Code::parse(code.as_str()), Some(*code));
        }
        assert_eq!(Code::lint("unused"), Some(Code::Unused));
        assert_eq!(Code::lint("unknown_party"), None);
    }
}
