//! `ipcheck grants`: the licence register as rights in and rights out.

use std::io::Write;
use std::path::Path;

use jiff::civil::Date;

use super::CliError;
use crate::policy;
use crate::register::{AssetRegister, register};
use crate::report::{Format, Outcome};

/// What `ipcheck grants` shows.
#[derive(Debug, Clone)]
pub struct GrantsOptions {
    /// Only this asset.
    pub asset: Option<String>,
    /// The day what is free is computed for.
    pub at: Date,
    pub format: Format,
}

/// Lists, per asset, who holds which rights, what is free to license
/// exclusively on `at`, and every blocked overlap.
pub fn grants(
    path: &Path,
    options: &GrantsOptions,
    out: &mut dyn Write,
) -> Result<Outcome, CliError> {
    let policies = policy::load_path(path)?;
    let mut all: Vec<AssetRegister> = Vec::new();
    for policy in &policies {
        if policy.has_errors() {
            let mut err = Vec::new();
            for d in policy.diagnostics.iter().filter(|d| d.is_error()).take(1) {
                err.push(d.message.clone());
            }
            return Err(CliError::Usage(format!(
                "the policy has errors ({}); run `ipcheck lint` first",
                err.join("; ")
            )));
        }
        let asset = match &options.asset {
            None => None,
            Some(name) => match policy.model.asset_ids.get(name) {
                Some(a) => Some(*a),
                None => {
                    let names = policy.model.asset_ids.keys().map(String::as_str);
                    let hint = crate::names::did_you_mean(name, names)
                        .map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
                    return Err(CliError::Usage(format!("unknown asset `{name}`{hint}")));
                }
            },
        };
        all.extend(register(&policy.model, asset, options.at));
    }
    if options.format == Format::Json {
        let doc = serde_json::json!({ "at": options.at.to_string(), "assets": all });
        serde_json::to_writer_pretty(&mut *out, &doc).map_err(std::io::Error::from)?;
        writeln!(out)?;
    } else {
        human(&all, options.at, out)?;
    }
    let blocked = all.iter().any(|a| !a.blocked.is_empty());
    Ok(if blocked {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

fn human(assets: &[AssetRegister], at: Date, out: &mut dyn Write) -> std::io::Result<()> {
    let scope = |field: &[String], territory: &[String]| {
        let mut parts = Vec::new();
        if !field.is_empty() {
            parts.push(format!("field {}", field.join(", ")));
        }
        if !territory.is_empty() {
            parts.push(format!("territory {}", territory.join(", ")));
        }
        if parts.is_empty() {
            "every field and territory".to_string()
        } else {
            parts.join(", ")
        }
    };
    let period = |from: Option<Date>, until: Option<Date>| match (from, until) {
        (Some(f), Some(u)) => format!("{f} to {u}"),
        (Some(f), None) => format!("from {f}, open-ended"),
        (None, Some(u)) => format!("until {u}"),
        (None, None) => "open-ended".to_string(),
    };
    for (i, a) in assets.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let owners: Vec<String> = a.owners.iter().map(|(p, s)| format!("{p} {s}")).collect();
        match &a.title {
            Some(t) => writeln!(
                out,
                "asset {} \"{t}\", owned by {}",
                a.asset,
                owners.join(", ")
            )?,
            None => writeln!(out, "asset {}, owned by {}", a.asset, owners.join(", "))?,
        }
        if a.holders.is_empty() {
            writeln!(out, "  no grants")?;
        } else {
            writeln!(out, "  rights out:")?;
        }
        for h in &a.holders {
            let sub = if h.sublicensable {
                ", sublicensable"
            } else {
                ""
            };
            let version = h
                .version
                .as_ref()
                .map_or_else(String::new, |v| format!(" (as amended by {v})"));
            writeln!(
                out,
                "    {} {}: {} → {}, {} {}{sub}; {}; {}{version}",
                h.grant,
                h.exclusivity,
                h.licensor,
                h.licensee,
                if h.rights.len() == 1 {
                    "right"
                } else {
                    "rights"
                },
                h.rights.join(", "),
                scope(&h.field, &h.territory),
                period(h.from, h.until),
            )?;
        }
        if a.free.is_empty() {
            writeln!(out, "  free to license exclusively on {at}: nothing")?;
        } else {
            writeln!(out, "  free to license exclusively on {at}:")?;
            for f in &a.free {
                let field = f
                    .field
                    .as_deref()
                    .map_or_else(|| "every field".to_string(), |f| format!("field {f}"));
                let territory = if f.territories.is_empty() {
                    "every territory".to_string()
                } else {
                    format!("territory {}", f.territories.join(", "))
                };
                writeln!(out, "    {field}, {territory}")?;
            }
        }
        for b in &a.blocked {
            writeln!(
                out,
                "  blocked: {} overlaps {} grant {} ({}) and does not come from its licensee",
                b.grant,
                b.exclusivity,
                b.blocked_by,
                period(b.from, b.until)
            )?;
        }
    }
    Ok(())
}
