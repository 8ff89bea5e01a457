//! Go modules' versions: semantic versions written with a `v` (`v1.2.3`, pseudo-versions
//! `v0.0.0-20230101120000-abcdef123456`, `+incompatible`), through `semver`. A requirement
//! (`v1.2.3`, as `go.mod` writes it) is a minimum: minimal version selection builds with the
//! highest minimum any module of the build asks for, and never with a newer release by itself,
//! so a malicious next release never spreads on its own.

use super::ReqCheck;

/// A version, as Go orders them; the `v` may be left out, as OSV records leave it.
pub(super) fn version(text: &str) -> Result<semver::Version, String> {
    let text = text.trim();
    let bare = text.strip_prefix('v').unwrap_or(text);
    semver::Version::parse(bare).map_err(|e| format!("`{text}` is not a Go module version: {e}"))
}

/// Whether a version satisfies the minimum `req`.
pub(super) fn matcher(req: &str) -> Result<impl Fn(&str) -> bool, String> {
    let minimum = version(req)?;
    Ok(move |v: &str| version(v).is_ok_and(|v| v >= minimum))
}

pub(super) fn check(req: &str, latest: Option<&str>) -> Result<ReqCheck, String> {
    let minimum = version(req)?;
    let admits_latest = match latest {
        Some(latest) => version(latest)? >= minimum,
        None => true,
    };
    Ok(ReqCheck { admits_latest, floats: false })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimums_never_float() {
        assert!(version("v0.0.0-20230101120000-abcdef123456").unwrap() < version("v0.1.0").unwrap());
        assert!(version("v2.0.0+incompatible").is_ok());
        assert!(version("1.2.3").is_ok(), "OSV writes Go versions without the v");
        assert!(version("latest").is_err());
        let m = matcher("v0.17.0").unwrap();
        assert!(m("v0.17.0") && m("v0.20.1") && !m("v0.16.9"));
        assert_eq!(check("v0.17.0", Some("v0.20.0")), Ok(ReqCheck { admits_latest: true, floats: false }));
    }
}
