//! NuGet's versions (up to four numbers and a SemVer prerelease: `1.2.3.4-beta.1`; build
//! metadata ignored), and its requirements: a bare version is a minimum (`1.0` is `>= 1.0`),
//! interval notation bounds it (`[1.0,2.0)`, `[1.0]`, `(,2.0]`). NuGet resolves a requirement to
//! the lowest version it allows, so a malicious next release never spreads on its own.

use std::cmp::Ordering;

use super::{interval, ReqCheck};

/// A NuGet version.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Version {
    numbers: [u64; 4],
    pre: semver::Prerelease,
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        // A release sorts after its prereleases.
        self.numbers.cmp(&other.numbers).then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => self.pre.cmp(&other.pre),
        })
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A version, as NuGet orders them.
pub(super) fn version(text: &str) -> Result<Version, String> {
    let bad = |why: &str| format!("`{text}` is not a NuGet version ({why})");
    let text = text.trim();
    let text = text.split_once('+').map_or(text, |(v, _build)| v);
    let (numbers, pre) = text.split_once('-').unwrap_or((text, ""));
    let parts: Vec<&str> = numbers.split('.').collect();
    if parts.len() > 4 {
        return Err(bad("one to four numbers"));
    }
    let mut out = [0u64; 4];
    for (slot, part) in out.iter_mut().zip(&parts) {
        *slot = part.parse().map_err(|_| bad("numbers separated by dots"))?;
    }
    let pre = semver::Prerelease::new(&pre.to_ascii_lowercase()).map_err(|e| bad(&e.to_string()))?;
    Ok(Version { numbers: out, pre })
}

fn intervals(req: &str) -> Result<Vec<interval::Interval<Version>>, String> {
    if interval::is_interval(req) {
        let ranges = interval::parse(req, version)?;
        match ranges.len() {
            1 => Ok(ranges),
            _ => Err(format!("`{req}` is not a NuGet version range (one interval)")),
        }
    } else {
        // A bare version is a minimum.
        interval::parse(&format!("[{},)", req.trim()), version)
    }
}

/// Whether a version satisfies `req`.
pub(super) fn matcher(req: &str) -> Result<impl Fn(&str) -> bool, String> {
    let ranges = intervals(req)?;
    Ok(move |v: &str| version(v).is_ok_and(|v| ranges.iter().any(|r| r.contains(&v))))
}

pub(super) fn check(req: &str, latest: Option<&str>) -> Result<ReqCheck, String> {
    let ranges = intervals(req)?;
    let admits_latest = match latest {
        Some(latest) => {
            let latest = version(latest)?;
            ranges.iter().any(|r| r.contains(&latest))
        }
        None => true,
    };
    Ok(ReqCheck { admits_latest, floats: false })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_minimums_and_intervals() {
        assert!(version("1.0.0-beta").unwrap() < version("1.0.0").unwrap());
        assert_eq!(version("1.0").unwrap(), version("1.0.0.0").unwrap());
        assert!(version("13.0.3").unwrap() < version("13.0.3.1").unwrap());
        let m = matcher("13.0.1").unwrap();
        assert!(m("13.0.3") && !m("12.0.3"));
        let m = matcher("[1.0,2.0)").unwrap();
        assert!(m("1.5") && !m("2.0"));
        assert_eq!(check("[13.0.1,)", Some("13.0.3")), Ok(ReqCheck { admits_latest: true, floats: false }));
        assert!(matcher("1.x").is_err() && matcher("[1.0,2.0),[3.0,)").is_err());
    }
}
