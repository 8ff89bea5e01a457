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

/// The numbers a version starts with, before any prerelease letters (`1.0.0.rc1` → 1, 0, 0).
fn release(text: &str) -> Vec<u64> {
    text.replace('-', ".pre.").split('.').map_while(|part| part.parse().ok()).collect()
}

/// Joins numbers into a version.
fn joined(numbers: &[u64]) -> Result<GemVersion, String> {
    let text: Vec<String> = numbers.iter().map(u64::to_string).collect();
    version(&text.join("."))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Gt,
    Lt,
    Ge,
    Le,
    /// `~>`: at least the version, and below its bump.
    Pessimistic,
}

/// One constraint: an operator, its version and, for `~>`, the bump it stays below.
struct Constraint {
    op: Op,
    at: GemVersion,
    bump: Option<GemVersion>,
}

impl Constraint {
    fn holds(&self, v: &GemVersion, release: &GemVersion) -> bool {
        match self.op {
            Op::Eq => *v == self.at,
            Op::Ne => *v != self.at,
            Op::Gt => *v > self.at,
            Op::Lt => *v < self.at,
            Op::Ge => *v >= self.at,
            Op::Le => *v <= self.at,
            Op::Pessimistic => *v >= self.at && self.bump.as_ref().is_some_and(|bump| release < bump),
        }
    }
}

fn requirement(req: &str) -> Result<Vec<Constraint>, String> {
    req.split(',')
        .map(|part| {
            let part = part.trim();
            let ops = [
                ("~>", Op::Pessimistic),
                (">=", Op::Ge),
                ("<=", Op::Le),
                ("!=", Op::Ne),
                ("=", Op::Eq),
                (">", Op::Gt),
                ("<", Op::Lt),
            ];
            let (op, text) = ops
                .iter()
                .find_map(|(sign, op)| part.strip_prefix(sign).map(|rest| (*op, rest.trim())))
                .unwrap_or((Op::Eq, part));
            let at = version(text).map_err(|e| format!("`{req}` is not a RubyGems requirement: {e}"))?;
            // `Gem::Version#bump`: the release numbers less the last (unless it is the only
            // one), the new last one up.
            let bump = match op {
                Op::Pessimistic => {
                    let mut numbers = release(text);
                    if numbers.len() > 1 {
                        numbers.pop();
                    }
                    let last = numbers.last_mut().ok_or_else(|| format!("`{req}`: `~>` needs a number"))?;
                    *last += 1;
                    Some(joined(&numbers)?)
                }
                _ => None,
            };
            Ok(Constraint { op, at, bump })
        })
        .collect()
}

/// Whether `text` satisfies every constraint.
fn satisfies(constraints: &[Constraint], text: &str) -> Result<bool, String> {
    let v = version(text)?;
    let release = joined(&release(text))?;
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
    // The next patch release: the first three release numbers, the third one up.
    let mut next = release(latest);
    next.resize(3, 0);
    next[2] += 1;
    let next: Vec<String> = next.iter().map(u64::to_string).collect();
    Ok(ReqCheck { admits_latest: satisfies(&constraints, latest)?, floats: satisfies(&constraints, &next.join("."))? })
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
    }
}
