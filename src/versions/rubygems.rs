//! RubyGems' versions, ordered as `Gem::Version` orders them (through `gem_version`, a port of
//! it: `1.0.a` < `1.0.0.pre` < `1.0.0.rc1` < `1.0` = `1.0.0` < `1.0.1`; a `-` reads as `.pre.`), and its
//! requirements: constraints joined by commas, all of which must hold (`>= 1.2, < 2`), each
//! with one of `=`, `!=`, `>`, `<`, `>=`, `<=` or the pessimistic `~>` (`~> 1.2.3` is
//! `>= 1.2.3, < 1.3`; `~> 1.2` is `>= 1.2, < 2`); a bare version means `=`. Bundler and
//! `gem install` pick the highest version a requirement allows, so a malicious next release
//! spreads through any requirement that admits it, as with npm and Cargo.

use std::str::FromStr;

use gem_version::GemVersion;

use super::ReqCheck;

/// A version, as RubyGems orders them.
pub(super) fn version(text: &str) -> Result<GemVersion, String> {
    match text.trim() {
        "" => Err("an empty RubyGems version".to_string()),
        text => GemVersion::from_str(text).map_err(|_| format!("`{text}` is not a RubyGems version")),
    }
}

/// The numbers a version starts with, before any letters, as `Gem::Version#release` takes
/// them (`1.0.0.rc1`, `1.0.0rc1` and `1.0.0-rc1` → 1, 0, 0). A number past `u32` ends them, as
/// `gem_version` compares such a number as text.
fn release(text: &str) -> Vec<u32> {
    let text = text.trim().replace('-', ".pre.");
    let mut numbers = Vec::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find(|c: char| c.is_ascii_alphanumeric()) {
        rest = &rest[start..];
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        match rest[..digits].parse() {
            Ok(number) if digits > 0 => numbers.push(number),
            _ => break,
        }
        rest = &rest[digits..];
    }
    numbers
}

/// Numbers joined by dots.
fn dotted(numbers: &[u32]) -> String {
    numbers.iter().map(u32::to_string).collect::<Vec<_>>().join(".")
}

#[derive(Debug, Clone, Copy)]
enum Op {
    Eq,
    Ne,
    Gt,
    Lt,
    Ge,
    Le,
}

/// The operators, longest first; `None` is `~>`.
const OPS: [(&str, Option<Op>); 7] = [
    ("~>", None),
    (">=", Some(Op::Ge)),
    ("<=", Some(Op::Le)),
    ("!=", Some(Op::Ne)),
    ("=", Some(Op::Eq)),
    (">", Some(Op::Gt)),
    ("<", Some(Op::Lt)),
];

/// One constraint of a requirement.
enum Constraint {
    Compare(Op, GemVersion),
    /// `~>`: at least `at`, and a release below `below` (`Gem::Version#bump` of `at`).
    Pessimistic {
        at: GemVersion,
        below: GemVersion,
    },
}

impl Constraint {
    fn holds(&self, v: &GemVersion, release: &GemVersion) -> bool {
        match self {
            Constraint::Compare(Op::Eq, at) => v == at,
            Constraint::Compare(Op::Ne, at) => v != at,
            Constraint::Compare(Op::Gt, at) => v > at,
            Constraint::Compare(Op::Lt, at) => v < at,
            Constraint::Compare(Op::Ge, at) => v >= at,
            Constraint::Compare(Op::Le, at) => v <= at,
            Constraint::Pessimistic { at, below } => v >= at && release < below,
        }
    }
}

fn requirement(req: &str) -> Result<Vec<Constraint>, String> {
    let bad = |why: String| format!("`{req}` is not a RubyGems requirement: {why}");
    req.split(',')
        .map(|part| {
            let part = part.trim();
            let (op, text) = OPS
                .iter()
                .find_map(|(sign, op)| part.strip_prefix(sign).map(|rest| (*op, rest.trim())))
                .unwrap_or((Some(Op::Eq), part));
            let at = version(text).map_err(bad)?;
            let Some(op) = op else {
                // `Gem::Version#bump`: the release numbers less the last (unless it is the
                // only one), the new last one up.
                let mut numbers = release(text);
                if numbers.len() > 1 {
                    numbers.pop();
                }
                let last = numbers.last_mut().ok_or_else(|| bad("`~>` needs a number".into()))?;
                *last = last.checked_add(1).ok_or_else(|| bad("a number too large".into()))?;
                return Ok(Constraint::Pessimistic { at, below: version(&dotted(&numbers)).map_err(bad)? });
            };
            Ok(Constraint::Compare(op, at))
        })
        .collect()
}

/// Whether `text` satisfies every constraint.
fn satisfies(constraints: &[Constraint], text: &str) -> Result<bool, String> {
    let v = version(text)?;
    let release = version(&dotted(&release(text)))?;
    Ok(constraints.iter().all(|c| c.holds(&v, &release)))
}

/// Whether a version satisfies `req`.
pub(super) fn matcher(req: &str) -> Result<impl Fn(&str) -> bool, String> {
    let constraints = requirement(req)?;
    Ok(move |v: &str| satisfies(&constraints, v).unwrap_or(false))
}

pub(super) fn check(req: &str, latest: Option<&str>) -> Result<ReqCheck, String> {
    let constraints = requirement(req)?;
    let Some(latest) = latest else { return Ok(ReqCheck::ANY) };
    // The next patch release: the first three release numbers, the third one up; and, for a
    // latest of four numbers or more (Rails' `7.1.3.4`), the last one up.
    let numbers = release(latest);
    let mut patch = numbers.clone();
    patch.resize(3, 0);
    patch[2] = patch[2].saturating_add(1);
    let mut last = numbers.clone();
    if let Some(n) = last.last_mut().filter(|_| numbers.len() > 3) {
        *n = n.saturating_add(1);
    }
    let admits = |numbers: &[u32]| satisfies(&constraints, &dotted(numbers));
    let floats = admits(&patch)? || (numbers.len() > 3 && admits(&last)?);
    Ok(ReqCheck { admits_latest: satisfies(&constraints, latest)?, floats })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gem_versions_and_requirements() {
        let order = ["1.0.a", "1.0.0.pre", "1.0.0.rc1", "1.0", "1.0.1", "1.1", "2"];
        for pair in order.windows(2) {
            assert!(version(pair[0]).unwrap() < version(pair[1]).unwrap(), "{pair:?}");
        }
        assert_eq!(version("1.0").unwrap(), version("1.0.0").unwrap());
        assert_eq!(version("1.0.0-rc1").unwrap(), version("1.0.0.pre.rc1").unwrap());
        let m = matcher("~> 1.2.3").unwrap();
        assert!(m("1.2.3") && m("1.2.9") && !m("1.3.0") && !m("1.2.2") && !m("1.3.0.pre"));
        let m = matcher("~> 1.2").unwrap();
        assert!(m("1.2") && m("1.9.9") && !m("2.0"));
        let m = matcher(">= 1.0, < 2").unwrap();
        assert!(m("1.5") && !m("2.0") && !m("0.9"));
        assert!(matcher("1.0").unwrap()("1.0.0") && !matcher("!= 1.0").unwrap()("1.0"));
        // Bundler takes the highest allowed: a range floats, an exact version does not.
        assert_eq!(check("~> 7.1", Some("7.1.3")), Ok(ReqCheck { admits_latest: true, floats: true }));
        assert_eq!(check("= 7.1.3", Some("7.1.3")), Ok(ReqCheck { admits_latest: true, floats: false }));
        assert_eq!(check("~> 6.0", Some("7.1.3")), Ok(ReqCheck { admits_latest: false, floats: false }));
        assert!(matcher(">= one").is_err() && matcher("~> ").is_err());
        assert!(matcher("~> 4294967295").is_err());
        assert_eq!(check(">= 1", Some("1.0.4294967295")), Ok(ReqCheck::ANY));
        // Letters end the release numbers wherever they stand, as Ruby's segments do.
        assert!(!matcher("~> 1.2.3rc1").unwrap()("1.3") && !matcher("~> 1.2.0").unwrap()("1.3b"));
        // A four-number release floats through a requirement that admits the next one.
        assert_eq!(check("~> 7.1.3.4", Some("7.1.3.4")), Ok(ReqCheck::ANY));
        assert_eq!(check("< 7.1.4", Some("7.1.3.4")), Ok(ReqCheck::ANY));
    }
}
