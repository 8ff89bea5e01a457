//! Version requirements, checked with each ecosystem's own rules: what a dependency's
//! requirement says about its target's latest release.
//!
//! Two questions are asked of every edge:
//! - does the requirement **admit the latest** release of the target?
//! - does it **float**: would it admit the next patch release after the latest (1.5.0 → 1.5.1;
//!   PyPI: the next micro release; Debian: the same upstream version with a higher revision)?
//!   A requirement that does not float is pinned: a malicious new release cannot reach the
//!   dependent through it. Maven, Go and NuGet resolve requirements their own way (nearest-wins
//!   soft versions, minimal version selection, lowest applicable version), so that only an open
//!   Maven range floats there; RubyGems, like npm and Cargo, takes the highest version allowed.
//!
//! A missing requirement (or `*`) admits everything. When the target's latest release is unknown
//! (a target with no entry), a requirement that parses is taken to admit it and to float.

mod cargo;
mod debian;
mod go;
mod interval;
mod maven;
mod npm;
mod nuget;
mod pypi;
mod rubygems;

use crate::model::{AffectedReleases, Ecosystem, OsvEvent};

/// What a requirement says about its target's latest release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReqCheck {
    /// The latest release satisfies the requirement.
    pub admits_latest: bool,
    /// The next patch release after the latest would satisfy it.
    pub floats: bool,
}

impl ReqCheck {
    /// Both questions answered yes: an unconstrained requirement.
    pub const ANY: ReqCheck = ReqCheck { admits_latest: true, floats: true };
}

/// Which of `versions` requirement (or range) `req` of `ecosystem` admits, by the ecosystem's
/// own rules; a version that cannot be read is not admitted. A missing requirement or `*` admits
/// all. The error says why the requirement could not be read.
///
/// ```
/// use keystone::model::Ecosystem;
/// use keystone::versions::admitted;
/// let v = ["1.4.0", "1.4.1", "1.4.2", "1.5.0"];
/// assert_eq!(admitted(Ecosystem::Npm, Some(">=1.4.1 <1.4.3"), &v), Ok(vec![false, true, true, false]));
/// assert_eq!(admitted(Ecosystem::Crates, Some("=1.4.0"), &v), Ok(vec![true, false, false, false]));
/// ```
pub fn admitted(ecosystem: Ecosystem, req: Option<&str>, versions: &[&str]) -> Result<Vec<bool>, String> {
    let req = match req.map(str::trim) {
        None | Some("") | Some("*") => return Ok(vec![true; versions.len()]),
        Some(req) => req,
    };
    let all = |admits: &dyn Fn(&str) -> bool| versions.iter().map(|v| admits(v)).collect();
    match ecosystem {
        Ecosystem::Crates => cargo::matcher(req).map(|m| all(&m)),
        Ecosystem::Debian => debian::matcher(req).map(|m| all(&m)),
        Ecosystem::Npm => npm::matcher(req).map(|m| all(&m)),
        Ecosystem::Pypi => pypi::matcher(req).map(|m| all(&m)),
        Ecosystem::Maven => maven::matcher(req).map(|m| all(&m)),
        Ecosystem::Go => go::matcher(req).map(|m| all(&m)),
        Ecosystem::Nuget => nuget::matcher(req).map(|m| all(&m)),
        Ecosystem::Rubygems => rubygems::matcher(req).map(|m| all(&m)),
        other => Err(format!("no version rules for {other} requirements")),
    }
}

/// The releases that could fix a dependent of a package whose releases in `range` are
/// vulnerable, when the input lists only its `current` release: none where inputs list every
/// release (crates.io, npm, PyPI: a fix is an existing release outside the range); for Debian,
/// whose archive holds one release per package, the current upstream version with a higher
/// revision and the first version past the range's upper bound.
///
/// ```
/// use keystone::model::Ecosystem;
/// use keystone::versions::fixes;
/// assert_eq!(fixes(Ecosystem::Debian, ">= 5.4.0, << 5.4.2", "5.4.1-1"), Ok(vec!["5.4.2".to_string()]));
/// assert_eq!(fixes(Ecosystem::Debian, "= 5.4.1-1", "5.4.1-1"), Ok(vec!["5.4.1-1+1".to_string()]));
/// assert_eq!(fixes(Ecosystem::Crates, ">=1.0, <1.2", "1.1.0"), Ok(vec![]));
/// ```
pub fn fixes(ecosystem: Ecosystem, range: &str, current: &str) -> Result<Vec<String>, String> {
    match ecosystem {
        Ecosystem::Debian => debian::fixes(range, current),
        _ => Ok(Vec::new()),
    }
}

/// Which of `versions` an OSV record's `affected` entry names, by the ecosystem's version
/// ordering: those in any range (from an `introduced` event up to the next `fixed` one, or up to
/// and including a `last_affected` one; `introduced: "0"` is the first release) and those listed
/// by name. An entry with no range and no version affects every release. A release that cannot
/// be read is affected only when listed by name; an event version that cannot be read is an
/// error, which says why.
///
/// ```
/// use keystone::model::{AffectedReleases, Ecosystem, OsvEvent};
/// use keystone::versions::osv_affected;
/// let range = vec![OsvEvent::Introduced("5.6.0-0.1".into()), OsvEvent::Fixed("5.6.1+really5.4.5-1".into())];
/// let affected = AffectedReleases { ranges: vec![range], versions: vec![] };
/// let v = ["5.4.1-0.2", "5.6.0-0.2", "5.6.1-1", "5.6.1+really5.4.5-1"];
/// assert_eq!(osv_affected(Ecosystem::Debian, &affected, &v), Ok(vec![false, true, true, false]));
/// ```
pub fn osv_affected(ecosystem: Ecosystem, affected: &AffectedReleases, versions: &[&str]) -> Result<Vec<bool>, String> {
    if affected.ranges.is_empty() && affected.versions.is_empty() {
        return Ok(vec![true; versions.len()]);
    }
    match ecosystem {
        Ecosystem::Crates => in_osv(cargo::version, affected, versions),
        Ecosystem::Debian => in_osv(debian::version, affected, versions),
        Ecosystem::Npm => in_osv(npm::version, affected, versions),
        Ecosystem::Pypi => in_osv(pypi::version, affected, versions),
        Ecosystem::Maven => in_osv(maven::version, affected, versions),
        Ecosystem::Go => in_osv(go::version, affected, versions),
        Ecosystem::Nuget => in_osv(nuget::version, affected, versions),
        Ecosystem::Rubygems => in_osv(rubygems::version, affected, versions),
        other => Err(format!("no version rules for {other} releases")),
    }
}

fn in_osv<V: Ord>(
    parse: fn(&str) -> Result<V, String>,
    affected: &AffectedReleases,
    versions: &[&str],
) -> Result<Vec<bool>, String> {
    // Each range's events in version order; `None` is the `"0"` before every release.
    let ranges = affected
        .ranges
        .iter()
        .map(|events| {
            let mut parsed = events
                .iter()
                .map(|event| {
                    let (OsvEvent::Introduced(at) | OsvEvent::Fixed(at) | OsvEvent::LastAffected(at)) = event;
                    let first = matches!(event, OsvEvent::Introduced(_)) && at == "0";
                    Ok((if first { None } else { Some(parse(at)?) }, event))
                })
                .collect::<Result<Vec<_>, String>>()?;
            parsed.sort_by(|a, b| a.0.cmp(&b.0));
            Ok(parsed)
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(versions
        .iter()
        .map(|text| {
            let listed = affected.versions.iter().any(|v| v == text);
            let Ok(v) = parse(text) else { return listed };
            let v = Some(v);
            listed
                || ranges.iter().any(|events| {
                    let mut on = false;
                    for (at, event) in events.iter().take_while(|(at, _)| *at <= v) {
                        match event {
                            OsvEvent::Introduced(_) => on = true,
                            OsvEvent::Fixed(_) => on = false,
                            OsvEvent::LastAffected(_) => on &= *at == v,
                        }
                    }
                    on
                })
        })
        .collect())
}

/// Checks requirement `req` of ecosystem `ecosystem` against the target's `latest` version.
/// The error says why the requirement or the version could not be read.
pub fn check(ecosystem: Ecosystem, req: Option<&str>, latest: Option<&str>) -> Result<ReqCheck, String> {
    let req = match req.map(str::trim) {
        None | Some("") | Some("*") => return Ok(ReqCheck::ANY),
        Some(req) => req,
    };
    match ecosystem {
        Ecosystem::Crates => cargo::check(req, latest),
        Ecosystem::Debian => debian::check(req, latest),
        Ecosystem::Npm => npm::check(req, latest),
        Ecosystem::Pypi => pypi::check(req, latest),
        Ecosystem::Maven => maven::check(req, latest),
        Ecosystem::Go => go::check(req, latest),
        Ecosystem::Nuget => nuget::check(req, latest),
        Ecosystem::Rubygems => rubygems::check(req, latest),
        other => Err(format!("no version rules for {other} requirements")),
    }
}
