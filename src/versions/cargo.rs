//! Cargo's requirement rules (`^1.2`, `~1`, `=1.2.3`, `>=1, <2`, bare `1.2` meaning `^1.2`),
//! through the `semver` crate, which implements them.

use super::ReqCheck;

/// Whether a version satisfies `req`.
pub(super) fn matcher(req: &str) -> Result<impl Fn(&str) -> bool, String> {
    let req = semver::VersionReq::parse(req).map_err(|e| format!("`{req}` is not a Cargo requirement: {e}"))?;
    Ok(move |v: &str| semver::Version::parse(v).is_ok_and(|v| req.matches(&v)))
}

/// A version, as Cargo orders them.
pub(super) fn version(text: &str) -> Result<semver::Version, String> {
    semver::Version::parse(text).map_err(|e| format!("`{text}` is not a semver version: {e}"))
}

pub(super) fn check(req: &str, latest: Option<&str>) -> Result<ReqCheck, String> {
    let req = semver::VersionReq::parse(req).map_err(|e| format!("`{req}` is not a Cargo requirement: {e}"))?;
    let Some(latest) = latest else { return Ok(ReqCheck::ANY) };
    let latest = semver::Version::parse(latest).map_err(|e| format!("`{latest}` is not a semver version: {e}"))?;
    let next = semver::Version::new(latest.major, latest.minor, latest.patch + 1);
    Ok(ReqCheck { admits_latest: req.matches(&latest), floats: req.matches(&next) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_tilde_exact_and_ranges() {
        let c = |req, latest| check(req, Some(latest)).unwrap();
        assert_eq!(c("^1.5", "1.5.0"), ReqCheck { admits_latest: true, floats: true });
        assert_eq!(c("1.5", "1.5.0"), ReqCheck { admits_latest: true, floats: true });
        assert_eq!(c("~1.5.0", "1.5.0"), ReqCheck { admits_latest: true, floats: true });
        assert_eq!(c("=1.5.0", "1.5.0"), ReqCheck { admits_latest: true, floats: false });
        assert_eq!(c("=1.4.0", "1.5.0"), ReqCheck { admits_latest: false, floats: false });
        assert_eq!(c(">=1.0, <1.5.1", "1.5.0"), ReqCheck { admits_latest: true, floats: false });
        assert_eq!(c("^0.2", "1.0.0"), ReqCheck { admits_latest: false, floats: false });
        assert!(check("not a req", Some("1.0.0")).is_err());
    }
}
