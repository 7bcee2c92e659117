//! The documentation of diagnostic codes, embedded from docs/diagnostics.md
//! and docs/lints.md: what `ipcheck explain` prints, what SARIF rules
//! carry, and the list of codes a configuration may name.

use crate::diagnostic::Code;

/// The pages that document codes, with their text (build.rs copies them;
/// a missing page is empty).
const PAGES: [(&str, &str); 2] = [
    (
        "diagnostics.md",
        include_str!(concat!(env!("OUT_DIR"), "/diagnostics.md")),
    ),
    (
        "lints.md",
        include_str!(concat!(env!("OUT_DIR"), "/lints.md")),
    ),
];

/// One code's documentation.
#[derive(Debug, Clone, Copy)]
pub struct Section {
    pub code: &'static str,
    /// The page under docs/ that holds it.
    pub page: &'static str,
    /// The section without its heading.
    pub body: &'static str,
}

impl Section {
    /// The first paragraph, on one line.
    pub fn description(&self) -> String {
        self.body
            .trim_start()
            .split("\n\n")
            .next()
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The first sentence of the description.
    pub fn summary(&self) -> String {
        let description = self.description();
        match description.find(". ") {
            Some(end) => description[..=end].to_string(),
            None => description,
        }
    }
}

/// Every documented code, in document order.
pub fn sections() -> Vec<Section> {
    PAGES
        .iter()
        .flat_map(|(page, text)| page_sections(page, text))
        .collect()
}

/// The sections of one page. A section starts at a `### ipl::…` heading
/// and runs to the next heading of level 1 to 3.
fn page_sections(page: &'static str, text: &'static str) -> Vec<Section> {
    let mut sections = Vec::new();
    let mut current: Option<(&'static str, usize)> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let heading = line.trim_end();
        let level = heading.bytes().take_while(|&b| b == b'#').count();
        if (1..=3).contains(&level) && heading.as_bytes().get(level) == Some(&b' ') {
            if let Some((code, start)) = current.take() {
                sections.push(Section {
                    code,
                    page,
                    body: &text[start..offset],
                });
            }
            let title = heading[level..].trim();
            if level == 3 && title.starts_with("ipl::") {
                current = Some((title, offset + line.len()));
            }
        }
        offset += line.len();
    }
    if let Some((code, start)) = current {
        sections.push(Section {
            code,
            page,
            body: &text[start..],
        });
    }
    sections
}

/// The documentation of one code.
pub fn section(code: &str) -> Option<Section> {
    sections().into_iter().find(|s| s.code == code)
}

/// The code closest to a mistyped one.
pub fn suggest(code: &str) -> Option<Code> {
    let limit = (code.chars().count() / 3).max(2);
    Code::ALL
        .iter()
        .map(|c| (strsim::damerau_levenshtein(code, c.as_str()), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)))
        .map(|(_, c)| c)
        // A bare name (`unknown_party`) matches the code it ends with.
        .or_else(|| Code::ALL.iter().copied().find(|c| c.name() == code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_found_by_code() {
        let s = section(Code::UnknownParty.as_str()).expect("documented");
        assert!(!s.summary().is_empty());
        assert!(s.body.contains("```ipl"));
        // A typo, built so that the source holds no unknown code literal.
        let typo = format!("ipl::names::{}", "unknown_pary");
        assert_eq!(suggest(&typo), Some(Code::UnknownParty));
        assert_eq!(suggest("unknown_party"), Some(Code::UnknownParty));
    }
}
