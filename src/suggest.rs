//! Did-you-mean: the closest of some names to a misspelt one, for the
//! front end's and the configuration's diagnostics.

/// The closest name to `wanted` among `candidates`, if one is close enough
/// to be a likely typo.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    // One typo per three characters; very short names get no guess.
    // Edit distance is quadratic: a name longer than any sensible
    // identifier gets no guess rather than a hang.
    let length = wanted.chars().count();
    if !(3..=64).contains(&length) {
        return None;
    }
    let limit = length / 3;
    candidates
        .into_iter()
        .filter(|c| c.len().abs_diff(wanted.len()) <= limit)
        .map(|c| (strsim::damerau_levenshtein(wanted, c), c))
        .filter(|(d, c)| *d <= limit && *c != wanted)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| c)
}
