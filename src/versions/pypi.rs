//! PyPI's requirement rules (PEP 440 specifiers: `>=2.0,<3`, `~=1.5`, `==1.5.*`, `!=1.4`),
//! through `pep440_rs`. The next release after the latest is its next micro release: the
//! release segments padded to three, the third one up, pre/post/dev/local parts dropped.

use std::str::FromStr;

use pep440_rs::{Version, VersionSpecifiers};

use super::ReqCheck;

fn specifiers(req: &str) -> Result<VersionSpecifiers, String> {
    VersionSpecifiers::from_str(req).map_err(|_| format!("`{req}` is not a PEP 440 version specifier"))
}

/// Whether a version satisfies specifiers `req`.
pub(super) fn matcher(req: &str) -> Result<impl Fn(&str) -> bool, String> {
    let specifiers = specifiers(req)?;
    Ok(move |v: &str| Version::from_str(v).is_ok_and(|v| specifiers.contains(&v)))
}

/// A version, as PEP 440 orders them.
pub(super) fn version(text: &str) -> Result<Version, String> {
    Version::from_str(text).map_err(|e| format!("`{text}` is not a PEP 440 version: {e}"))
}

pub(super) fn check(req: &str, latest: Option<&str>) -> Result<ReqCheck, String> {
    let specifiers = specifiers(req)?;
    let Some(latest) = latest else { return Ok(ReqCheck::ANY) };
    let latest = Version::from_str(latest).map_err(|e| format!("`{latest}` is not a PEP 440 version: {e}"))?;
    let mut release = latest.release().to_vec();
    release.resize(release.len().max(3), 0);
    release.truncate(3);
    release[2] = release[2].saturating_add(1);
    let next = Version::new(release).with_epoch(latest.epoch());
    Ok(ReqCheck { admits_latest: specifiers.contains(&latest), floats: specifiers.contains(&next) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specifiers() {
        let c = |req, latest| check(req, Some(latest)).unwrap();
        assert_eq!(c("==1.5.0", "1.5.0"), ReqCheck { admits_latest: true, floats: false });
        assert_eq!(c(">=1.0", "1.5.0"), ReqCheck { admits_latest: true, floats: true });
        assert_eq!(c("~=1.5", "1.5.0"), ReqCheck { admits_latest: true, floats: true });
        assert_eq!(c("==1.5.*", "1.5.0"), ReqCheck { admits_latest: true, floats: true });
        assert_eq!(c("<1.5.1", "1.5.0"), ReqCheck { admits_latest: true, floats: false });
        assert_eq!(c(">=2.0,<3", "1.5"), ReqCheck { admits_latest: false, floats: false });
        assert_eq!(c("~=1.5.0", "1.5"), ReqCheck { admits_latest: true, floats: true });
        assert_eq!(c("==1.5", "1.5.0rc1.post2+local"), ReqCheck { admits_latest: false, floats: false });
        assert_eq!(c("<1!1.5.1", "1!1.5.0"), ReqCheck { admits_latest: true, floats: false });
        assert_eq!(c("<1.2.4", "1.2.3.4"), ReqCheck { admits_latest: true, floats: false });
        assert_eq!(check(">=1.0", None), Ok(ReqCheck::ANY));
        assert!(check("garbage", Some("1.0")).is_err());
        assert!(check("garbage", None).is_err());
        assert!(check(">=1.0", Some("not a version")).is_err());
    }
}
