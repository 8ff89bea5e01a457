//! npm's requirement rules (`^1.2.3`, `~1.2`, `1.x`, `>=1 <2`, `1.0 - 2.0`, `a || b`, a pinned
//! `1.2.3`), through the `nodejs-semver` crate, which implements node-semver's range grammar.
//! The `latest` dist-tag admits every version; other tags, URLs and `file:` specs do not parse.
//!
//! As in npm, a prerelease satisfies a range only when a comparator names a prerelease of the
//! same `major.minor.patch`.

use nodejs_semver::{Range, Version};

use super::ReqCheck;

/// Whether a version satisfies range `req`.
pub(super) fn matcher(req: &str) -> Result<impl Fn(&str) -> bool, String> {
    let req = req.trim();
    let range = if req == "latest" { Range::any() } else { parse_range(req)? };
    Ok(move |v: &str| Version::parse(v).is_ok_and(|v| range.satisfies(&v)))
}

fn parse_range(req: &str) -> Result<Range, String> {
    Range::parse(req).map_err(|_| format!("`{req}` is not an npm version range"))
}

/// A version, as npm orders them.
pub(super) fn version(text: &str) -> Result<Version, String> {
    Version::parse(text).map_err(|_| format!("`{text}` is not a semver version"))
}

pub(super) fn check(req: &str, latest: Option<&str>) -> Result<ReqCheck, String> {
    let req = req.trim();
    if req == "latest" {
        return Ok(ReqCheck::ANY);
    }
    let range = parse_range(req)?;
    let Some(latest) = latest else { return Ok(ReqCheck::ANY) };
    let latest = Version::parse(latest).map_err(|_| format!("`{latest}` is not a semver version"))?;
    let next = Version::new(latest.major(), latest.minor(), latest.patch() + 1, Vec::new(), Vec::new());
    Ok(ReqCheck { admits_latest: range.satisfies(&latest), floats: range.satisfies(&next) })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PINNED: ReqCheck = ReqCheck { admits_latest: true, floats: false };
    const NEITHER: ReqCheck = ReqCheck { admits_latest: false, floats: false };

    fn c(req: &str, latest: &str) -> ReqCheck {
        check(req, Some(latest)).unwrap()
    }

    #[test]
    fn caret_tilde_and_pinned() {
        assert_eq!(c("^1.2.3", "1.5.0"), ReqCheck::ANY);
        assert_eq!(c("^1.2.3", "2.0.0"), NEITHER);
        assert_eq!(c("^0.2.3", "0.2.9"), ReqCheck::ANY);
        assert_eq!(c("^0.2.3", "0.3.0"), NEITHER);
        assert_eq!(c("~1.2.3", "1.2.7"), ReqCheck::ANY);
        assert_eq!(c("~1.2.3", "1.3.0"), NEITHER);
        assert_eq!(c("1.2.3", "1.2.3"), PINNED);
        assert_eq!(c("=1.2.3", "1.2.3"), PINNED);
        assert_eq!(c("1.2.3", "1.2.4"), NEITHER);
    }

    #[test]
    fn ranges_x_ranges_unions_and_hyphens() {
        assert_eq!(c(">=1 <1.5.1", "1.5.0"), PINNED);
        assert_eq!(c(">=1 <1.5.1", "1.4.0"), ReqCheck::ANY);
        assert_eq!(c("1.x", "1.9.9"), ReqCheck::ANY);
        assert_eq!(c("1.x", "2.0.0"), NEITHER);
        assert_eq!(c("1.2.x", "1.2.0"), ReqCheck::ANY);
        assert_eq!(c("^1.0.0 || ^2.0.0", "2.1.0"), ReqCheck::ANY);
        assert_eq!(c("1.2.3 || 3.0.0", "3.0.0"), PINNED);
        assert_eq!(c("1.0.0 - 1.5.0", "1.5.0"), PINNED);
        assert_eq!(c("1.0.0 - 1.5", "1.5.0"), ReqCheck::ANY);
    }

    #[test]
    fn unconstrained_and_unknown_latest() {
        for req in ["*", "", "x", "latest", ">=0.0.0"] {
            assert_eq!(c(req, "3.1.4"), ReqCheck::ANY, "{req}");
        }
        assert_eq!(check("1.2.3", None).unwrap(), ReqCheck::ANY, "a range that parses, no latest");
    }

    #[test]
    fn prereleases_follow_npm() {
        assert_eq!(c("^1.0.0", "1.1.0-rc.1"), ReqCheck { admits_latest: false, floats: true });
        assert_eq!(c("^1.1.0-rc.0", "1.1.0-rc.1"), ReqCheck::ANY);
    }

    #[test]
    fn garbage_is_an_error() {
        for req in ["not a range", "git+https://github.com/a/b.git", "file:../x", "next", "^^1", "1.2.3.4"] {
            assert!(check(req, Some("1.0.0")).is_err(), "{req}");
        }
        assert!(check("^1", Some("one")).is_err());
    }
}
