//! The cap on repeated findings: a policy with 100,000 unused nodes lists
//! the first [`SHOWN_PER_CODE`] and then one note, "and 99,900 more
//! `ipl::lint::unused` findings", in every format but JSON (which lists
//! every finding). Capped findings still count in the summary and the exit
//! code.

use std::collections::HashMap;
use std::io;

use super::Emitter;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::source::SourceMap;

/// How many findings of one code a policy shows.
pub const SHOWN_PER_CODE: usize = 100;

/// The code of the note that says how many findings were left out.
pub const MORE_FINDINGS: Code = Code::ReportMoreFindings;

/// Counts findings per code in the current policy.
pub struct Cap {
    limit: usize,
    seen: HashMap<Code, usize>,
    /// Per capped code, in order of first omission: the first finding left
    /// out and how many were.
    omitted: Vec<(Diagnostic, usize)>,
    /// The sources of the current policy, kept once a finding is left out
    /// (the note points at the first one).
    sources: Option<SourceMap>,
}

impl Cap {
    pub fn new(limit: usize) -> Cap {
        Cap {
            limit,
            seen: HashMap::new(),
            omitted: Vec::new(),
            sources: None,
        }
    }

    /// Whether to show `diag`; if not, it is counted for the note.
    pub fn shows(&mut self, diag: &Diagnostic, sources: &SourceMap) -> bool {
        if diag.code.is_note() || diag.code == MORE_FINDINGS {
            return true;
        }
        let seen = self.seen.entry(diag.code).or_insert(0);
        *seen += 1;
        if *seen <= self.limit {
            return true;
        }
        match self.omitted.iter_mut().find(|(d, _)| d.code == diag.code) {
            Some((_, n)) => *n += 1,
            None => self.omitted.push((diag.clone(), 1)),
        }
        if self.sources.is_none() {
            self.sources = Some(sources.clone());
        }
        false
    }

    /// A new policy: counts start again.
    pub fn next_policy(&mut self) {
        self.seen.clear();
    }

    /// Emits one note per code with findings left out since the last flush.
    pub fn flush(&mut self, emitter: &mut dyn Emitter) -> io::Result<()> {
        let sources = self.sources.take().unwrap_or_default();
        for (first, n) in std::mem::take(&mut self.omitted) {
            emitter.diagnostic(&note(&first, n, self.limit), &sources)?;
        }
        Ok(())
    }
}

/// "and 99,900 more `ipl::lint::unused` findings", at the first one left
/// out.
pub fn note(first: &Diagnostic, omitted: usize, limit: usize) -> Diagnostic {
    let noun = if omitted == 1 { "finding" } else { "findings" };
    Diagnostic {
        code: MORE_FINDINGS,
        severity: Severity::Info,
        message: format!("and {} more `{}` {noun}", thousands(omitted), first.code),
        location: first.location,
        label: Some("the first not listed".to_string()),
        related: Vec::new(),
        help: Some(format!(
            "a policy lists the first {limit} findings of each code; `--format json` lists every one"
        )),
        fix: None,
    }
}

/// `99900` as `99,900`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(99_900), "99,900");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
