//! pest's errors as diagnostics: "unexpected X, expected A or B" at the
//! offending token, with the grammar's rules named as a reader knows them.

use super::*;
use crate::diagnostic::{Code, Diagnostic, Edit, Fix};
use crate::span::{FileId, Span};

/// Turns a pest error into one diagnostic: "unexpected X, expected A or B",
/// pointing at the offending token.
pub(super) fn syntax_error(
    err: &pest::error::Error<Rule>,
    text: &str,
    offset: usize,
    file: FileId,
    what: &str,
) -> Diagnostic {
    use pest::error::{ErrorVariant, InputLocation};
    let pos = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let found = token_at(text, pos);
    // At the end of the item, point just after its last token, not at the
    // next item.
    let pos = if found.is_empty() {
        text[..pos.min(text.len())].trim_end().len()
    } else {
        pos
    };
    if let Some(diag) = label_error(text, pos, found, offset, file) {
        return diag;
    }
    let mut expected: Vec<&str> = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            positives.iter().map(|r| rule_name(*r)).collect()
        }
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    expected.retain(|name| *name != UNNAMED);
    expected.sort_unstable();
    expected.dedup();
    let found_text = if found.is_empty() {
        format!("end of {what}")
    } else {
        format!("`{}`", shorten(&text[pos..pos + found.len()]))
    };
    if let Some(word) = continued_list_word(text, pos, found) {
        let guess = crate::suggest::did_you_mean(
            word,
            crate::syntax::words::WORDS
                .iter()
                .filter(|w| w.reserved)
                .map(|w| w.text),
        );
        let help = match guess {
            Some(guess) => format!(
                "did you mean `{guess}`? A list goes on over line breaks, so a misspelt word \
                 at the start of a line becomes one more item of the list above"
            ),
            None => format!(
                "a list goes on over line breaks: if `{word}` begins a new line, check its \
                 spelling; if it belongs to the list, the list cannot be followed by {found_text}"
            ),
        };
        return Diagnostic::new(
            Code::UnexpectedToken,
            file,
            Span::new(offset + pos, offset + pos + found.len()),
            format!(
                "unexpected {found_text}: `{word}` was read as one more item of the list on the line above"
            ),
        )
        .with_label("not expected here")
        .with_help(help);
    }
    let message = if expected.is_empty() {
        format!("unexpected {found_text} in {what}")
    } else {
        format!("unexpected {found_text}, expected {}", join_or(&expected))
    };
    let code = if found.is_empty() {
        Code::UnexpectedEnd
    } else {
        Code::UnexpectedToken
    };
    let span = Span::new(offset + pos, offset + pos + found.len());
    let help = if expected.len() <= 3 && !expected.is_empty() {
        format!("write {} here", join_or(&expected))
    } else if found.is_empty() {
        "the item is incomplete: close every `{` with `}` and finish the last line".to_string()
    } else {
        "see docs/language.md for what may appear here".to_string()
    };
    Diagnostic::new(code, file, span, message)
        .with_label(if found.is_empty() {
            format!("{what} ends here")
        } else {
            "not expected here".to_string()
        })
        .with_help(help)
}

/// The word that a bare line break made one more item of a list: the only
/// word before `pos` on its line, not a reserved word, with the line above
/// ending in a name (a list item; not `,`, `{`, `}` or a string).
fn continued_list_word<'t>(text: &'t str, pos: usize, found: &str) -> Option<&'t str> {
    if found.is_empty() {
        return None;
    }
    let before = text.get(..pos)?;
    let line_start = before.rfind('\n')? + 1;
    let word = before[line_start..].trim();
    let is_word = !word.is_empty()
        && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && crate::syntax::words::lookup(word).is_none_or(|w| !w.reserved);
    let above = before[..line_start - 1]
        .lines()
        .rev()
        .map(|l| l.split("//").next().unwrap_or("").trim())
        .find(|l| !l.is_empty())?;
    let ends_in_item = above.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
    (is_word && ends_in_item).then_some(word)
}

/// The characters a label may hold after its first (a letter or digit).
fn label_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '(' | ')')
}

/// An error right after the label of an item's head (`clause GA 30.1 {`,
/// `grant L/2026 {`): the label stopped at a character a label cannot hold,
/// so say what a label is rather than list what may follow it.
fn label_error(
    text: &str,
    pos: usize,
    found: &str,
    offset: usize,
    file: FileId,
) -> Option<Diagnostic> {
    let before = text.get(..pos)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let head = &before[line_start..];
    let mut words = head.split_whitespace();
    let keyword = words.next()?;
    let label = words.next()?;
    if words.next().is_some() || !matches!(keyword, "clause" | "grant" | "amendment") {
        return None;
    }
    let next = found.chars().next()?;
    if next == '"' || next == '{' || found.starts_with("notwithstanding") {
        return None;
    }
    let spaced = head.ends_with(char::is_whitespace);
    // The rest of the would-be label: up to the title, the `{` or the end
    // of the line.
    let rest = &text[pos..];
    let end = rest.find(['"', '{', '\n']).unwrap_or(rest.len());
    let written = format!(
        "{label}{}{}",
        if spaced { " " } else { "" },
        rest[..end].trim_end()
    );
    let (message, label_text) = if spaced {
        (
            format!("`{keyword} {written}`: a label is one word, without spaces"),
            "the label ends before this word".to_string(),
        )
    } else {
        let bad = rest.chars().find(|c| !label_char(*c)).unwrap_or(next);
        (
            format!("`{bad}` cannot be part of the label `{written}`"),
            format!("`{bad}` is not a label character"),
        )
    };
    let mut fixed = String::new();
    for c in written.chars() {
        let c = if label_char(c) { c } else { '-' };
        if !(c == '-' && fixed.ends_with('-')) {
            fixed.push(c);
        }
    }
    let fixed = fixed.trim_end_matches('-').to_string();
    let label_start = offset + line_start + head.find(label).unwrap_or(0);
    let written_end = offset + pos + rest[..end].trim_end().len();
    let width = rest.chars().next().map_or(1, char::len_utf8);
    let at = if spaced { found.len() } else { width };
    Some(
        Diagnostic::new(
            Code::InvalidLabel,
            file,
            Span::new(offset + pos, offset + pos + at),
            message,
        )
        .with_label(label_text)
        .with_help(format!(
            "a label holds letters, digits, `.`, `_`, `-`, `(` and `)` and starts with a letter or digit: \
             write `{keyword} {fixed}`, and keep `{written}` in the title if the agreement numbers it so"
        ))
        .with_fix(Fix::unsafe_(
            format!("Write the label as `{fixed}`"),
            vec![Edit::replace(file, Span::new(label_start, written_end), fixed.clone())],
        )),
    )
}

/// The token starting at `pos`: a word, a number, or one character.
fn token_at(text: &str, pos: usize) -> &str {
    let rest = text.get(pos..).unwrap_or("");
    let rest = rest
        .trim_end_matches(['\r', '\n', ' ', '\t'])
        .get(..)
        .unwrap_or(rest);
    let word_len = rest
        .find(|c: char| {
            !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-' || c == '%')
        })
        .unwrap_or(rest.len());
    if word_len > 0 {
        &rest[..word_len]
    } else {
        rest.chars().next().map_or("", |c| &rest[..c.len_utf8()])
    }
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 40 {
        let head: String = s.chars().take(37).collect();
        format!("{head}...")
    } else {
        s.to_string()
    }
}

fn join_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

const UNNAMED: &str = "something else";

/// The readable name of a grammar rule, for "expected …" lists.
pub fn rule_name(rule: Rule) -> &'static str {
    use Rule::*;
    match rule {
        EOI => "end of input",
        item | agreement | party | third_party | group | tree | asset | grant | clause
        | scenario | fact | event | instrument | amendment => {
            "an item (`agreement`, `party`, `third_party`, `group`, `fields`, `territories`, `actions`, `asset`, `grant`, `clause`, `scenario`, `fact`, `event`, `instrument` or `amendment`)"
        }
        include_affiliates | kw_include => "`third_parties include affiliates`",
        affiliation_from => "`from`",
        affiliation_until => "`until`",
        joined | kw_joined => "`joined`",
        left | kw_left => "`left`",
        defaulting | kw_defaulting => "`defaulting`",
        kw_fact => "`fact`",
        kw_event => "`event`",
        kw_instrument => "`instrument`",
        prevails_over | kw_prevails => "`prevails over`",
        kw_over => "`over`",
        kw_amendment => "`amendment`",
        removes | kw_removes => "`removes`",
        rights_line | kw_rights => "`rights`",
        grant_sublicensable => "`sublicensable` or `non_sublicensable`",
        kw_sole => "`sole`",
        sel_former_parties | kw_former_parties => "`former_parties`",
        sel_defaulting_parties | kw_defaulting_parties => "`defaulting_parties`",
        time_created => "`created`",
        time_event => "an event",
        offset_plus | offset_minus => "`+` or `-` and a duration",
        cmp_time => "a comparison of dates",
        fact_ref => "a fact",
        within_after_notice | within_before | kw_within => "`within`",
        duty_share | kw_share => "`share income with`",
        kw_with => "`with`",
        kw_pro_rata => "`pro_rata`",
        owes_line | kw_owes => "`owes`",
        notice_on => "`on` and a date",
        objection_item => "a party",
        pending | kw_pending => "`pending`",
        action_names => "a name",
        act_given | kw_given => "`given`",
        given_item => "a fact",
        act_income => "`income`",
        currency => "a currency (`EUR`)",
        act_event => "an event and its day",
        day_kind => "`calendar` or `working`",
        effective_line | kw_effective => "`effective`",
        expires_line | kw_expires => "`expires`",
        term_line | kw_term => "`term`",
        open_ended | kw_open_ended => "`open_ended`",
        affiliate_of | kw_affiliate => "`affiliate of`",
        tree_kind => "`fields`, `territories` or `actions`",
        nodes | node => "a tree node",
        class_line | kw_class => "`class`",
        type_line | kw_type => "`type`",
        owner_line | kw_owner => "`owner`",
        owners_line | kw_owners => "`owners`",
        share => "an owner and a share",
        tags_line | kw_tags => "`tags`",
        created_line | kw_created => "`created`",
        grant_from | from_line | kw_from => "`from`",
        grant_until | until_line | kw_until => "`until`",
        exclusivity => "`exclusive` or `non_exclusive`",
        kw_license => "`license`",
        notwithstanding | kw_notwithstanding => "`notwithstanding`",
        head | clause_kind => "`permit`, `forbid` or `oblige`",
        verbs => "a verb or `any`",
        assets | asset_ref | asset_filter => "an asset or an asset filter",
        ownership => "`jointly_owned` or `solely_owned`",
        tagged | kw_tagged => "`tagged`",
        by_line | kw_by => "`by`",
        to_line | kw_to | act_to => "`to`",
        field_line | kw_field | act_field => "`field`",
        territory_line | kw_territory | act_territory => "`territory`",
        during_term | kw_during => "`during term`",
        after_term | kw_after => "`after term`",
        when_line | kw_when => "`when`",
        unless_line | kw_unless => "`unless`",
        duty_line | kw_duty => "`duty`",
        parties | party_list | affiliates | sel_anyone | sel_parties | sel_third_parties
        | sel_owners | sel_co_owners | party_ref => "a party, a group or a party selector",
        time | time_effective | time_expires => "a date, `effective` or `expires`",
        expr | conj | unary | atom => "a condition",
        not | kw_not => "`not`",
        kw_and => "`and`",
        kw_or => "`or`",
        cmp => "a comparison (`>=`, `<=`, `>`, `<`, `==`, `!=`)",
        flag_exclusive | kw_exclusive => "`exclusive`",
        flag_sublicensable | kw_sublicensable => "`sublicensable`",
        bool_lit | kw_true | kw_false => "`true` or `false`",
        cmp_royalty | kw_royalty | act_royalty => "`royalty`",
        cmp_until => "`until`",
        in_field | in_territory | kw_in => "`in`",
        to_in => "`to in`",
        consent_of | kw_consent | act_consent => "`consent`",
        any_of | kw_any => "`any`",
        objection_of | kw_objection | act_objection => "`objection`",
        notice_to | kw_notice | act_notice => "`notice`",
        duty_notify | kw_notify => "`notify`",
        duty_consent | kw_obtain => "`obtain consent of`",
        duty_pay | kw_pay => "`pay`",
        duty_compensate | kw_compensate => "`compensate`",
        duty_text => "a duty (`notify`, `obtain consent of`, `pay`, `compensate` or a quoted text)",
        kw_fairly => "`fairly`",
        kw_income => "`income`",
        kw_before => "`before`",
        expectation | kw_expect => "`expect`",
        decision | kw_permit | kw_conditional | kw_deny => "`permit`, `conditional` or `deny`",
        kw_forbid => "`forbid`",
        kw_oblige => "`oblige`",
        action | kw_action => "`action`",
        act_on | kw_on => "`on`",
        act_until => "`until`",
        act_exclusive => "`exclusive` or `non_exclusive`",
        act_sublicensable => "`sublicensable` or `non_sublicensable`",
        notice_item => "a party and a notice period",
        kw_none => "`none`",
        kw_of => "`of`",
        ident_list | ident => "a name",
        label => "a label (`8.2.3`, `L-2026-01`)",
        string | string_body => "a quoted string",
        date => "a date (YYYY-MM-DD)",
        percent | number => "a percentage (`3%`)",
        duration | count => "a duration (`45 days`)",
        unit => "`days`, `weeks`, `months` or `years`",
        asset_class => "`background`, `foreground` or `sideground`",
        asset_type => {
            "an asset type (`patent`, `know_how`, `software`, `data`, `design`, `copyright`, `trade_secret`)"
        }
        kw_agreement => "`agreement`",
        kw_party => "`party`",
        kw_affiliates => "`affiliates of`",
        kw_third_party => "`third_party`",
        kw_third_parties => "`third_parties`",
        kw_group => "`group`",
        kw_fields => "`fields`",
        kw_territories => "`territories`",
        kw_actions => "`actions`",
        kw_asset => "`asset`",
        kw_grant => "`grant`",
        kw_non_exclusive => "`non_exclusive`",
        kw_non_sublicensable => "`non_sublicensable`",
        kw_clause => "`clause`",
        kw_anyone => "`anyone`",
        kw_parties => "`parties`",
        kw_co_owners => "`co_owners`",
        kw_except => "`except`",
        kw_jointly_owned => "`jointly_owned`",
        kw_solely_owned => "`solely_owned`",
        kw_scenario => "`scenario`",
        // Rules no message names: they never reach "expected …" alone.
        WHITESPACE | COMMENT | item_alone | agreement_line | party_attr | asset_line
        | grant_line | clause_line | asset_item | filter_part | filter_word | party_item
        | party_base | time_base | time_offset | primary | duty | action_alone | action_part
        | keyword => UNNAMED,
    }
}

pub fn nesting_too_deep(file: FileId, span: Span) -> Diagnostic {
    Diagnostic::new(Code::TooDeep, file, span, "nesting too deep")
        .with_label("nested more than 64 levels here")
        .with_help("split the condition or the tree into simpler parts")
}
