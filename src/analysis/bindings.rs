//! Candidate bindings: packages of a language registry that link a native library Debian
//! packages, as the raw inputs show it. The list is for a person to review before adding
//! entries to an alias file's `[bindings]`
//! ([`Aliases`](crate::ingest::side::Aliases)); keystone never applies it.
//!
//! Two kinds of evidence, each against Debian's shared-library packages (named `lib`, the
//! library and its soversion, as Debian Policy 8.1 names them):
//! - a crate whose chosen release declares `links = "X"`, Cargo's key for the native library
//!   a `-sys` crate links: the packages named or providing `libX` and a soversion
//!   (`liblzma5`; zlib1g provides `libz1`), or the shared-library packages of a Debian source
//!   named X (`openssl` → libssl3);
//! - a PyPI package that Debian packages as `python3-<name>`: the shared libraries that
//!   package depends on, the C and C++ runtimes aside ([`RUNTIMES`]).
//!
//! Works on the input records rather than a graph: `links` and `Provides` are not kept in one.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use crate::model::{normalize_name, Ecosystem, Ingested, PackageRecord};

/// The C and C++ runtimes every compiled package links, left out of the PyPI evidence.
pub const RUNTIMES: [&str; 3] = ["libc6", "libgcc-s1", "libstdc++6"];

/// One candidate: a binding, the Debian library it would depend on, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    /// The binding, `ecosystem/name`.
    pub binding: String,
    /// The Debian library, `debian/name`.
    pub library: String,
    /// The evidence, in words (`links = "lzma"`).
    pub evidence: String,
}

/// Flavours Debian appends to a library package built against one of several backends
/// (`libcurl3-gnutls`).
const FLAVOURS: [&str; 5] = ["gnutls", "nss", "openssl", "heimdal", "gcrypt"];

/// `name` without a flavour suffix.
fn stem(name: &str) -> &str {
    name.rsplit_once('-').filter(|(_, flavour)| FLAVOURS.contains(flavour)).map_or(name, |(stem, _)| stem)
}

/// Whether a Debian package name has the shape of a shared-library package's: `lib`, the
/// library, its soversion (so a final digit), maybe a flavour (`libssl3`, `libbz2-1.0`,
/// `libcurl3-gnutls`; not `liblzma-dev`, `libsqlite3-tcl`).
fn is_shared_library(name: &str) -> bool {
    let stem = stem(name);
    stem.starts_with("lib") && stem.ends_with(|c: char| c.is_ascii_digit())
}

/// Whether `name` is Debian's shared-library package name for `library`: `lib`, the library
/// and its soversion, with a hyphen between when the library's name ends in a digit (Debian
/// Policy 8.1: `liblzma5`, `libsqlite3-0`; `libz3-4` is z3's, not z's).
fn names_library(name: &str, library: &str) -> bool {
    let Some(rest) = stem(name).strip_prefix("lib").and_then(|n| n.strip_prefix(library)) else { return false };
    let version = if library.ends_with(|c: char| c.is_ascii_digit()) { rest.strip_prefix('-') } else { Some(rest) };
    version.is_some_and(|v| {
        v.starts_with(|c: char| c.is_ascii_digit()) && v.chars().all(|c| c.is_ascii_digit() || c == '.')
    })
}

/// Every candidate binding the `inputs` show, sorted and without duplicates.
pub fn candidates(inputs: &[Ingested]) -> Vec<Candidate> {
    let records = || inputs.iter().flat_map(|i| &i.packages);
    let debian: Vec<&PackageRecord> = records().filter(|r| r.ecosystem == Ecosystem::Debian).collect();
    // Shared-library packages, or packages providing one's name (zlib1g provides libz1).
    let libraries: Vec<&PackageRecord> = debian
        .iter()
        .copied()
        .filter(|r| is_shared_library(&r.name) || r.provides.iter().any(|p| is_shared_library(p)))
        .collect();
    let library_names: FxHashMap<&str, &PackageRecord> = libraries.iter().map(|r| (r.name.as_str(), *r)).collect();
    let by_name: FxHashMap<&str, &PackageRecord> = debian.iter().map(|r| (r.name.as_str(), *r)).collect();
    let mut out = BTreeSet::new();
    for record in records() {
        let binding = format!("{}/{}", record.ecosystem, record.name);
        match record.ecosystem {
            Ecosystem::Crates => {
                let Some(links) = record.links.as_deref().filter(|l| !l.is_empty()) else { continue };
                let library = links.to_ascii_lowercase();
                let library = library.strip_prefix("lib").unwrap_or(&library);
                let source = |lib: &PackageRecord| {
                    lib.project.as_deref().map(|p| p.strip_prefix("lib").unwrap_or(p)) == Some(library)
                };
                for lib in &libraries {
                    let named =
                        names_library(&lib.name, library) || lib.provides.iter().any(|p| names_library(p, library));
                    if named || source(lib) && is_shared_library(&lib.name) {
                        let evidence = format!("links = \"{links}\"");
                        out.insert(Candidate {
                            binding: binding.clone(),
                            library: format!("debian/{}", lib.name),
                            evidence,
                        });
                    }
                }
            }
            Ecosystem::Pypi => {
                let packaged = format!("python3-{}", normalize_name(Ecosystem::Pypi, &record.name));
                let Some(python3) = by_name.get(packaged.as_str()) else { continue };
                for dep in &python3.deps {
                    let native = library_names.get(dep.name.as_str());
                    if let Some(lib) = native.filter(|lib| !RUNTIMES.contains(&lib.name.as_str())) {
                        let evidence = format!("Debian's {packaged} depends on it");
                        out.insert(Candidate {
                            binding: binding.clone(),
                            library: format!("debian/{}", lib.name),
                            evidence,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DepKind, Dependency};

    fn debian(name: &str, source: &str, provides: &[&str], deps: &[&str]) -> PackageRecord {
        let deps = deps.iter().map(|d| Dependency::new(*d, DepKind::Normal, false, None)).collect();
        PackageRecord {
            project: Some(source.into()),
            provides: provides.iter().map(|p| p.to_string()).collect(),
            ..PackageRecord::new(Ecosystem::Debian, name.into(), None, deps)
        }
    }

    #[test]
    fn links_sources_and_debian_python_packages() {
        let crate_linking = |name: &str, links: &str| PackageRecord {
            links: Some(links.into()),
            ..PackageRecord::new(Ecosystem::Crates, name.into(), None, Vec::new())
        };
        let inputs = [Ingested {
            packages: vec![
                debian("liblzma5", "xz-utils", &[], &[]),
                debian("liblzma-dev", "xz-utils", &[], &[]),
                debian("zlib1g", "zlib", &["libz1"], &[]),
                debian("libssl3", "openssl", &[], &[]),
                debian("libcurl3-gnutls", "curl", &[], &[]),
                debian("libc6", "glibc", &[], &[]),
                debian("python3-pycurl", "pycurl", &[], &["libc6", "libcurl3-gnutls", "python3"]),
                crate_linking("lzma-sys", "lzma"),
                crate_linking("libz-sys", "z"),
                crate_linking("openssl-sys", "openssl"),
                crate_linking("ring", "ring_core_0_17_8_"),
                PackageRecord::new(Ecosystem::Pypi, "PyCurl".into(), None, Vec::new()),
            ],
            edges: Vec::new(),
            skipped: Default::default(),
        }];
        let found: Vec<(String, String)> = candidates(&inputs).into_iter().map(|c| (c.binding, c.library)).collect();
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(
            found,
            [
                pair("crates/libz-sys", "debian/zlib1g"),
                pair("crates/lzma-sys", "debian/liblzma5"),
                pair("crates/openssl-sys", "debian/libssl3"),
                pair("pypi/PyCurl", "debian/libcurl3-gnutls"),
            ]
        );
    }
}
