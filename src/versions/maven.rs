//! Maven's versions, ordered as Maven's `ComparableVersion` orders them (through
//! `mvn_version`, a port of it: `1.0-alpha` < `1.0-beta` < `1.0-rc` < `1.0-SNAPSHOT` < `1.0` <
//! `1.0-sp`), and its requirements: a range in interval notation (`[2.0,3.0)`) is a hard
//! requirement, which Maven resolves to the highest version it allows; a plain version
//! (`2.17.1`) is a soft one, which nearest-wins resolution keeps as written. So a malicious next
//! release spreads by itself only through an open range.

use mvn_version::ComparableVersion;

use super::{interval, ReqCheck};

/// A version, as Maven orders them. Property references (`${project.version}`) and the
/// deprecated `LATEST` and `RELEASE` name no version keystone can read.
pub(super) fn version(text: &str) -> Result<ComparableVersion, String> {
    match text.trim() {
        "" => Err("an empty Maven version".to_string()),
        text if text.contains("${") || text == "LATEST" || text == "RELEASE" => {
            Err(format!("`{text}` is not a Maven version keystone can read"))
        }
        text => Ok(ComparableVersion::new(text)),
    }
}

/// The release after `latest`: its leading numbers (padded to three) with the third one up.
fn next(latest: &str) -> Result<ComparableVersion, String> {
    let mut numbers: Vec<u64> = latest.split(['.', '-']).map_while(|part| part.parse().ok()).take(3).collect();
    numbers.resize(3, 0);
    numbers[2] = numbers[2].saturating_add(1);
    version(&format!("{}.{}.{}", numbers[0], numbers[1], numbers[2]))
}

/// Whether a version satisfies `req`: in one of its intervals, or equal to its soft version.
pub(super) fn matcher(req: &str) -> Result<impl Fn(&str) -> bool, String> {
    let (soft, ranges) = requirement(req)?;
    Ok(move |v: &str| {
        let Ok(v) = version(v) else { return false };
        soft.as_ref().is_some_and(|s| *s == v) || ranges.iter().any(|r| r.contains(&v))
    })
}

type Requirement = (Option<ComparableVersion>, Vec<interval::Interval<ComparableVersion>>);

fn requirement(req: &str) -> Result<Requirement, String> {
    if interval::is_interval(req) {
        Ok((None, interval::parse(req, version)?))
    } else {
        Ok((Some(version(req)?), Vec::new()))
    }
}

pub(super) fn check(req: &str, latest: Option<&str>) -> Result<ReqCheck, String> {
    let (soft, ranges) = requirement(req)?;
    let Some(latest) = latest else { return Ok(ReqCheck { admits_latest: true, floats: soft.is_none() }) };
    let next = next(latest)?;
    let latest = version(latest)?;
    Ok(match soft {
        Some(soft) => ReqCheck { admits_latest: soft == latest, floats: false },
        None => ReqCheck {
            admits_latest: ranges.iter().any(|r| r.contains(&latest)),
            floats: ranges.iter().any(|r| r.contains(&next)),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparable_version_order_and_ranges() {
        let order = ["1.0-alpha-1", "1.0-beta", "1.0-rc1", "1.0-SNAPSHOT", "1.0", "1.0-sp", "1.0.1", "2.0"];
        for pair in order.windows(2) {
            assert!(version(pair[0]).unwrap() < version(pair[1]).unwrap(), "{pair:?}");
        }
        let m = matcher("[2.0,2.17.1)").unwrap();
        assert!(m("2.14.1") && !m("2.17.1") && !m("1.9"));
        let m = matcher("(,1.0],[1.2,)").unwrap();
        assert!(m("0.9") && !m("1.1") && m("1.3"));
        assert!(matcher("[1.5]").unwrap()("1.5") && !matcher("[1.5]").unwrap()("1.5.1"));
        assert!(matcher("[1.0,").is_err() && matcher("[1.0,2.0),").is_err() && matcher("[1,2)[3,)").is_err());
        // Soft: kept as written; a range floats to new releases it allows.
        assert_eq!(check("2.17.1", Some("2.17.1")), Ok(ReqCheck { admits_latest: true, floats: false }));
        assert_eq!(check("2.14.1", Some("2.17.1")), Ok(ReqCheck { admits_latest: false, floats: false }));
        assert_eq!(check("[2.0,3.0)", Some("2.17.1")), Ok(ReqCheck { admits_latest: true, floats: true }));
        assert_eq!(check("[2.0,2.17.1]", Some("2.17.1")), Ok(ReqCheck { admits_latest: true, floats: false }));
        assert_eq!(check("[0.9,)", Some("0.9.5")), Ok(ReqCheck { admits_latest: true, floats: true }));
        assert!(check("${log4j.version}", Some("2.17.1")).is_err() && check("LATEST", None).is_err());
    }
}
