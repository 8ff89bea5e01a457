//! Debian relationship constraints (`>= 2.34`, `<< 3`, `= 1:2.0-1`, and the obsolete `<` and
//! `>` meaning `<=` and `>=`), compared with Debian version ordering through `debversion`.

use std::cmp::Ordering;
use std::str::FromStr;

use debversion::Version;

use super::ReqCheck;

/// A version, as Debian orders them.
pub(super) fn version(text: &str) -> Result<Version, String> {
    Version::from_str(text).map_err(|e| format!("`{text}` is not a Debian version: {e}"))
}

/// One constraint `op version`: the orderings against `version` it allows.
fn constraint(req: &str) -> Result<(&'static [Ordering], Version), String> {
    let req = req.trim();
    let split = req.find(|c: char| !"<>=".contains(c)).unwrap_or(req.len());
    let (op, bound) = (&req[..split], req[split..].trim());
    let allowed: &[Ordering] = match op {
        "<<" => &[Ordering::Less],
        "<=" | "<" => &[Ordering::Less, Ordering::Equal],
        "=" => &[Ordering::Equal],
        ">=" | ">" => &[Ordering::Greater, Ordering::Equal],
        ">>" => &[Ordering::Greater],
        _ => return Err(format!("`{req}` is not a Debian constraint (`<<`, `<=`, `=`, `>=` or `>>` and a version)")),
    };
    Ok((allowed, version(bound)?))
}

/// Whether a version satisfies `req`: one constraint, or several joined by commas (all must
/// hold, as for a vulnerable range `>= 5.6.0, << 5.6.2`).
pub(super) fn matcher(req: &str) -> Result<impl Fn(&str) -> bool, String> {
    let constraints = req.split(',').map(constraint).collect::<Result<Vec<_>, _>>()?;
    Ok(move |v: &str| {
        version(v).is_ok_and(|v| constraints.iter().all(|(allowed, bound)| allowed.contains(&v.cmp(bound))))
    })
}

/// `version` with a higher Debian revision (a native version gets one): the next release of the
/// same upstream version, as a stable update ships it.
fn next_revision(version: &Version) -> Version {
    match &version.debian_revision {
        Some(revision) => Version { debian_revision: Some(format!("{revision}+1")), ..version.clone() },
        None => Version { debian_revision: Some("1".to_string()), ..version.clone() },
    }
}

/// The releases that could fix a dependent when `range` is vulnerable and the archive lists
/// only `current`: the current upstream version with a higher revision, and the first version
/// past each upper bound of the range (`<< B`: B itself; `<= B`: B with a higher revision);
/// those in the range left out.
pub(super) fn fixes(range: &str, current: &str) -> Result<Vec<String>, String> {
    let in_range = matcher(range)?;
    let mut candidates = vec![next_revision(&version(current)?)];
    for part in range.split(',') {
        let (allowed, bound) = constraint(part)?;
        match allowed {
            [Ordering::Less] => candidates.push(bound),
            [Ordering::Less, Ordering::Equal] => candidates.push(next_revision(&bound)),
            _ => {}
        }
    }
    let mut fixes: Vec<String> = candidates.iter().map(ToString::to_string).filter(|v| !in_range(v)).collect();
    fixes.dedup();
    Ok(fixes)
}

pub(super) fn check(req: &str, latest: Option<&str>) -> Result<ReqCheck, String> {
    let (allowed, bound) = constraint(req)?;
    let Some(latest) = latest else { return Ok(ReqCheck::ANY) };
    let latest = version(latest)?;
    let next = next_revision(&latest);
    let admits = |v: &Version| allowed.contains(&v.cmp(&bound));
    Ok(ReqCheck { admits_latest: admits(&latest), floats: admits(&next) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraints() {
        let c = |req, latest| check(req, Some(latest)).unwrap();
        assert_eq!(c(">= 2.34", "2.36-9"), ReqCheck { admits_latest: true, floats: true });
        assert_eq!(c("= 5.4.1-1", "5.4.1-1"), ReqCheck { admits_latest: true, floats: false });
        assert_eq!(c("<< 5.4.1-2", "5.4.1-1"), ReqCheck { admits_latest: true, floats: true });
        assert_eq!(c("<< 5.4.1-1+1", "5.4.1-1"), ReqCheck { admits_latest: true, floats: false });
        assert_eq!(c(">> 1:0", "2.0-1"), ReqCheck { admits_latest: false, floats: false });
        assert!(check("~= 1", Some("1")).is_err());
    }

    #[test]
    fn fixes_past_the_range() {
        // The next revision lies inside `<< 5.4.2`: only the first version past it fixes.
        assert_eq!(fixes(">= 5.4.0, << 5.4.2", "5.4.1-1+deb12u1").unwrap(), ["5.4.2"]);
        assert_eq!(fixes("= 5.4.1-1+deb12u1", "5.4.1-1+deb12u1").unwrap(), ["5.4.1-1+deb12u1+1"]);
        assert_eq!(fixes("<= 5.4.1-1", "5.4.1-1").unwrap(), ["5.4.1-1+1"]);
        // A range that holds every later revision leaves only the first version past it.
        assert_eq!(fixes(">= 5.4.0, << 5.5", "5.4.1-1").unwrap(), ["5.5"]);
        assert!(fixes("~ 1", "1").is_err());
    }
}
