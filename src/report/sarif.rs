//! SARIF 2.1.0 for code scanning: one rule per diagnostic code (its
//! documentation as help, a link to it), one result per finding with
//! 1-based regions in code points, related locations, and fingerprints
//! that survive lines moving: code, file and the flagged text.
//!
//! Files are named relative to the repository root (`%SRCROOT%`, given in
//! `originalUriBaseIds`), so that the results land on the right files
//! whatever the working directory. A result's message links its related
//! places (`[deny by 8.4](1)`), which code scanning shows in the alert.
//! The fingerprint is given both as `primaryLocationLineHash` (the key
//! GitHub reads; it only computes its own when it is missing) and as
//! `ipcheck/v1`.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hasher;
use std::io::{self, Write};

use serde::Serialize;

use super::json::Region;
use super::paths::{Paths, encode_path};
use super::{DecisionEntry, EmitOptions, Emitter, NotRun, Outcome, ScenarioResult, Summary};
use crate::diagnostic::{Code, Diagnostic, Severity, docs_url};
use crate::source::SourceMap;
use crate::span::Location;

pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The key of ipcheck's fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "ipcheck/v1";

/// The key GitHub code scanning reads to track an alert across commits.
pub const GITHUB_FINGERPRINT_KEY: &str = "primaryLocationLineHash";

/// The base of relative artifact URIs.
pub const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
pub struct Log {
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    pub version: &'static str,
    pub runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    pub tool: Tool,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub original_uri_base_ids: BTreeMap<&'static str, BaseUri>,
    pub invocations: Vec<Invocation>,
    pub column_kind: &'static str,
    pub results: Vec<SarifResult>,
}

#[derive(Serialize)]
pub struct BaseUri {
    pub uri: String,
}

#[derive(Serialize)]
pub struct Tool {
    pub driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Driver {
    pub name: &'static str,
    pub version: &'static str,
    pub information_uri: &'static str,
    pub rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    pub id: String,
    pub name: String,
    pub short_description: Message,
    pub full_description: Message,
    pub help: Help,
    pub help_uri: String,
    pub default_configuration: Configuration,
}

#[derive(Serialize)]
pub struct Help {
    pub text: String,
    pub markdown: String,
}

#[derive(Serialize)]
pub struct Configuration {
    pub level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Invocation {
    pub execution_successful: bool,
    pub exit_code: u8,
    /// What the run could not do: the policies not run.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
pub struct Notification {
    pub level: &'static str,
    pub message: Message,
}

#[derive(Serialize, Clone)]
pub struct Message {
    pub text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifResult {
    pub rule_id: String,
    pub rule_index: usize,
    pub level: &'static str,
    pub message: Message,
    pub locations: Vec<SarifLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related_locations: Vec<SarifLocation>,
    pub partial_fingerprints: BTreeMap<String, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<usize>,
    pub physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhysicalLocation {
    pub artifact_location: ArtifactLocation,
    pub region: SarifRegion,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactLocation {
    pub uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifRegion {
    pub start_line: u32,
    pub start_column: u32,
    pub end_line: u32,
    /// Exclusive, as SARIF defines it.
    pub end_column: u32,
    pub snippet: Message,
}

/// Gathers results and writes the log at the end.
pub struct SarifEmitter<'w> {
    out: &'w mut dyn Write,
    paths: Paths,
    notifications: Vec<Notification>,
    rules: Vec<Rule>,
    rule_index: HashMap<Code, usize>,
    results: Vec<SarifResult>,
    /// How often each fingerprint has been seen: the occurrence number
    /// tells identical flagged lines apart.
    seen: HashMap<String, usize>,
}

impl<'w> SarifEmitter<'w> {
    pub fn new(options: &EmitOptions, out: &'w mut dyn Write) -> SarifEmitter<'w> {
        SarifEmitter {
            out,
            paths: options.paths.clone(),
            notifications: Vec::new(),
            rules: Vec::new(),
            rule_index: HashMap::new(),
            results: Vec::new(),
            seen: HashMap::new(),
        }
    }

    fn rule(&mut self, code: Code, severity: Severity) -> usize {
        if let Some(&i) = self.rule_index.get(&code) {
            return i;
        }
        let section = crate::docs::section(code.as_str());
        let summary = section.map_or_else(|| code.to_string(), |s| s.summary());
        let description = section.map_or_else(|| code.to_string(), |s| s.description());
        let body = section.map_or_else(String::new, |s| s.body.trim().to_string());
        let name = code.name().to_string();
        self.rules.push(Rule {
            id: code.to_string(),
            name,
            short_description: Message { text: summary },
            full_description: Message { text: description },
            help: Help {
                text: format!("{body}\n\nipcheck explain {code}"),
                markdown: body,
            },
            help_uri: docs_url(code),
            default_configuration: Configuration {
                level: level(severity),
            },
        });
        let i = self.rules.len() - 1;
        self.rule_index.insert(code, i);
        i
    }

    fn add(&mut self, diag: &Diagnostic, sources: &SourceMap) {
        let rule_index = self.rule(diag.code, diag.severity);
        let fingerprint = fingerprint(diag.code, diag.location, sources);
        let seen = self.seen.entry(fingerprint.clone()).or_insert(0);
        *seen += 1;
        let related: Vec<SarifLocation> = diag
            .related
            .iter()
            .filter_map(|r| {
                physical(r.location, sources, &self.paths).map(|p| (p, r.message.clone()))
            })
            .enumerate()
            .map(|(i, (p, message))| SarifLocation {
                id: Some(i + 1),
                physical_location: p,
                message: Some(Message { text: message }),
            })
            .collect();
        // The message links each related place, so that the alert shows
        // the deciding clause; brackets of the text itself are escaped.
        let mut text = if related.is_empty() {
            diag.message.clone()
        } else {
            escape_brackets(&diag.message)
        };
        if let Some(help) = &diag.help {
            let help = if related.is_empty() {
                help.clone()
            } else {
                escape_brackets(help)
            };
            text.push_str(&format!("\nhelp: {help}"));
        }
        // `[text](N)` is SARIF's embedded link to related location N.
        for r in &related {
            let m = r.message.as_ref().map_or("", |m| m.text.as_str());
            text.push_str(&format!(
                "\n[{}]({}): {}:{}",
                escape_brackets(m),
                r.id.unwrap_or(0),
                r.physical_location.artifact_location.uri,
                r.physical_location.region.start_line
            ));
        }
        let print = format!("{fingerprint}:{seen}");
        self.results.push(SarifResult {
            rule_id: diag.code.to_string(),
            rule_index,
            level: level(diag.severity),
            message: Message { text },
            locations: physical(diag.location, sources, &self.paths)
                .map(|p| SarifLocation {
                    id: None,
                    physical_location: p,
                    message: diag.label.clone().map(|text| Message { text }),
                })
                .into_iter()
                .collect(),
            related_locations: related,
            partial_fingerprints: BTreeMap::from([
                (FINGERPRINT_KEY.to_string(), print.clone()),
                (GITHUB_FINGERPRINT_KEY.to_string(), print),
            ]),
        });
    }
}

/// Escapes what SARIF's plain-text messages would read as a link.
fn escape_brackets(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('[', "\\[")
        .replace(']', "\\]")
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A location in a real file as SARIF sees it; `None` for text that has no
/// file (an action given on the command line).
fn physical(location: Location, sources: &SourceMap, paths: &Paths) -> Option<PhysicalLocation> {
    if !super::is_real_file(location, sources) {
        return None;
    }
    let region = Region::of(location, sources);
    let file = sources.get(location.file)?;
    let artifact_location = match paths.relative(&file.path) {
        Some(rel) => ArtifactLocation {
            uri: encode_path(&rel),
            uri_base_id: Some(SRCROOT),
        },
        None => artifact(&region.file),
    };
    Some(PhysicalLocation {
        artifact_location,
        region: SarifRegion {
            start_line: region.line,
            start_column: region.column,
            end_line: region.end_line,
            end_column: region.end_column,
            snippet: Message {
                text: super::flagged_text(location, sources),
            },
        },
    })
}

/// A relative name resolves against the checkout (`%SRCROOT%`); an
/// absolute one becomes a `file://` URI.
fn artifact(name: &str) -> ArtifactLocation {
    let encoded = encode_path(name);
    if name.starts_with('/') {
        ArtifactLocation {
            uri: format!("file://{encoded}"),
            uri_base_id: None,
        }
    } else if name.as_bytes().get(1) == Some(&b':') {
        // A Windows drive path.
        ArtifactLocation {
            uri: format!("file:///{encoded}"),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: encoded,
            uri_base_id: Some(SRCROOT),
        }
    }
}

/// The fingerprint of a finding, without its occurrence number: FNV-1a
/// over the code, the file name and the flagged lines' text (each line
/// trimmed), so that it does not change when lines above are added or
/// removed, or the lines re-indented.
pub fn fingerprint(code: Code, location: Location, sources: &SourceMap) -> String {
    let file = sources.get(location.file).map_or("", |f| f.name.as_str());
    let flagged = super::flagged_text(location, sources);
    let text: Vec<&str> = flagged.lines().map(str::trim).collect();
    let mut hasher = fnv::FnvHasher::default();
    for part in [code.as_str(), file, &text.join("\n")] {
        hasher.write(part.as_bytes());
        hasher.write_u8(0);
    }
    format!("{:016x}", hasher.finish())
}

impl Emitter for SarifEmitter<'_> {
    fn diagnostic(&mut self, diag: &Diagnostic, sources: &SourceMap) -> io::Result<()> {
        self.add(diag, sources);
        Ok(())
    }

    fn scenario(&mut self, result: &ScenarioResult, sources: &SourceMap) -> io::Result<()> {
        if let Some(failure) = &result.failure {
            self.add(failure, sources);
        }
        Ok(())
    }

    fn decision(&mut self, entry: &DecisionEntry, sources: &SourceMap) -> io::Result<()> {
        if let Some(finding) = &entry.finding {
            self.add(finding, sources);
        }
        Ok(())
    }

    fn not_run(&mut self, not_run: &NotRun) -> io::Result<()> {
        self.notifications.push(Notification {
            level: "error",
            message: Message {
                text: not_run.sentence(),
            },
        });
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        let outcome = summary.outcome.unwrap_or(Outcome::CouldNotRun);
        let original_uri_base_ids = self
            .paths
            .root()
            .map(|root| {
                let mut uri = format!(
                    "file://{}",
                    encode_path(&root.to_string_lossy().replace('\\', "/"))
                );
                if !uri.ends_with('/') {
                    uri.push('/');
                }
                BTreeMap::from([(SRCROOT, BaseUri { uri })])
            })
            .unwrap_or_default();
        let log = Log {
            schema: SARIF_SCHEMA,
            version: "2.1.0",
            runs: vec![Run {
                tool: Tool {
                    driver: Driver {
                        name: "ipcheck",
                        version: env!("CARGO_PKG_VERSION"),
                        information_uri: "https://github.com/ipcheck/ipcheck",
                        rules: std::mem::take(&mut self.rules),
                    },
                },
                original_uri_base_ids,
                invocations: vec![Invocation {
                    execution_successful: outcome != Outcome::CouldNotRun,
                    exit_code: outcome as u8,
                    tool_execution_notifications: std::mem::take(&mut self.notifications),
                }],
                column_kind: "unicodeCodePoints",
                results: std::mem::take(&mut self.results),
            }],
        };
        let text = serde_json::to_string_pretty(&log).map_err(io::Error::other)?;
        writeln!(self.out, "{text}")
    }
}
