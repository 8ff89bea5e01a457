//! Debian `Packages` files (plain, xz or gzip): RFC 822 stanzas separated by blank lines, read
//! one stanza at a time and parsed with `deb822-fast`.
//!
//! Each binary package's record is its highest version (Debian ordering) when it appears in
//! several stanzas. `Depends` and `Pre-Depends` are [`DepKind::Normal`], `Recommends` is
//! [`DepKind::Recommends`]; every alternative of `a | b` is a dependency; version constraints,
//! `:arch` qualifiers and `[arch]`/`<profile>` restrictions are dropped. `Provides` names become
//! [`PackageRecord::provides`], so that the graph builder can resolve virtual names. The
//! project is the `Source` package (the package's own name when absent), and the maintainers are
//! the addresses in `Maintainer` and `Uploaders` (`Packages` files carry only `Maintainer`).

use rustc_hash::FxHashMap as HashMap;
use std::io::{BufRead, Read};
use std::path::Path;
use std::str::FromStr;

use deb822_fast::borrowed::BorrowedParser;

use super::{decompress, BadRecords, Ingest, ReadOptions, Stream};
use crate::error::{Error, Limit, Location, Result};
use crate::model::{DepKind, Dependency, Ecosystem, Ingested, PackageRecord};
use crate::progress::{Progress, Work};

/// The Debian `Packages` format.
#[derive(Debug, Clone, Copy)]
pub struct Debian;

impl Ingest for Debian {
    fn read_stream(&self, input: Stream, path: &Path, opts: &ReadOptions, progress: &dyn Progress) -> Result<Ingested> {
        progress.phase("read Debian Packages", Work::Bytes(input.meter().clone()));
        let mut reader = decompress::read_ahead(input);
        let mut bad = BadRecords::new(opts);
        let mut best: HashMap<String, (debversion::Version, PackageRecord)> = HashMap::default();
        let mut stanza: Vec<u8> = Vec::new();
        let (mut line_no, mut stanza_line) = (0u64, 1u64);
        let mut line = Vec::new();
        loop {
            line.clear();
            let room = (opts.max_record_bytes + 1).saturating_sub(stanza.len() as u64);
            let n = (&mut reader).take(room).read_until(b'\n', &mut line).map_err(|e| Error::io(path, e))?;
            line_no += 1;
            if stanza.len() + line.len() > opts.max_record_bytes as usize {
                let at = Location::line(path, if stanza.is_empty() { line_no } else { stanza_line });
                return Err(Error::Limit {
                    at,
                    limit: Limit::Record { what: "stanza", max_bytes: opts.max_record_bytes },
                });
            }
            let blank = line.iter().all(u8::is_ascii_whitespace);
            if !blank {
                if stanza.is_empty() {
                    stanza_line = line_no;
                }
                stanza.extend_from_slice(&line);
                if !stanza.ends_with(b"\n") {
                    stanza.push(b'\n');
                }
            }
            if (blank || n == 0) && !stanza.is_empty() {
                match parse_stanza(&stanza) {
                    Ok((version, record)) => match best.get(&record.name) {
                        Some((have, _)) if *have >= version => {}
                        _ => {
                            best.insert(record.name.clone(), (version, record));
                        }
                    },
                    Err((field, message)) => {
                        let line = stanza_line + field.map_or(0, |f| line_of_field(&stanza, f));
                        bad.record(Error::parse(Location::line(path, line), message))?
                    }
                }
                stanza.clear();
            }
            if n == 0 {
                break;
            }
        }
        let mut packages: Vec<PackageRecord> = best.into_values().map(|(_, r)| r).collect();
        packages.sort_unstable_by(|a, b| a.name.cmp(&b.name));
        Ok(Ingested { packages, edges: Vec::new(), skipped: bad.finish() })
    }
}

/// The 0-based line within `stanza` on which `field` starts (0 if it is not found).
fn line_of_field(stanza: &[u8], field: &str) -> u64 {
    stanza
        .split(|&b| b == b'\n')
        .position(|line| line.strip_prefix(field.as_bytes()).is_some_and(|rest| rest.starts_with(b":")))
        .unwrap_or(0) as u64
}

/// A stanza's record and version, or the field at fault (if one is) and what is wrong.
fn parse_stanza(bytes: &[u8]) -> Result<(debversion::Version, PackageRecord), (Option<&'static str>, String)> {
    let whole = |message: String| (None, message);
    let text = std::str::from_utf8(bytes).map_err(|e| whole(format!("stanza is not valid UTF-8: {e}")))?;
    let mut paragraphs = BorrowedParser::new(text)
        .parse_all()
        .map_err(|e| whole(format!("expected an RFC 822 stanza of `Field: value` lines: {e}")))?;
    let para = paragraphs
        .pop()
        .filter(|_| paragraphs.is_empty())
        .ok_or_else(|| whole("expected exactly one stanza".into()))?;
    let field = |name: &str| para.get(name).map(|lines| lines.join(" "));
    let name = field("Package").ok_or_else(|| whole("stanza has no `Package` field".into()))?.trim().to_string();
    if !is_package_name(&name) {
        return Err((Some("Package"), format!("`Package: {name}` is not a valid Debian package name")));
    }
    let version_text = field("Version").ok_or_else(|| whole(format!("package `{name}` has no `Version` field")))?;
    let version = debversion::Version::from_str(version_text.trim()).map_err(|e| {
        (Some("Version"), format!("package `{name}` has `Version: {version_text}`, not a Debian version: {e}"))
    })?;
    let mut deps = Vec::new();
    for (field_name, kind) in
        [("Pre-Depends", DepKind::Normal), ("Depends", DepKind::Normal), ("Recommends", DepKind::Recommends)]
    {
        if let Some(value) = field(field_name) {
            for (target, req) in relations(&value, field_name, true).map_err(|m| (Some(field_name), m))? {
                deps.push(Dependency::new(target, kind, false, req));
            }
        }
    }
    let provides = match field("Provides") {
        Some(value) => relations(&value, "Provides", false)
            .map_err(|m| (Some("Provides"), m))?
            .into_iter()
            .map(|(name, _)| name)
            .collect(),
        None => Vec::new(),
    };
    let source = field("Source").and_then(|s| s.split_whitespace().next().map(str::to_string));
    let mut record = PackageRecord::new(Ecosystem::Debian, name, Some(version_text.trim().to_string()), deps);
    record.provides = provides;
    record.project = Some(source.unwrap_or_else(|| record.name.clone()));
    record.maintainers =
        ["Maintainer", "Uploaders"].iter().filter_map(|f| field(f)).flat_map(|v| accounts(&v)).collect();
    record.maintainers.sort_unstable();
    record.maintainers.dedup();
    record.releases = vec![version_text.trim().to_string()];
    Ok((version, record))
}

/// The accounts of a `Maintainer` or `Uploaders` value (`Name <address>, …`): `debian/` and the
/// lower-cased address, or the name where no address is given. Names may hold commas when
/// quoted, so entries are split after each `>`.
fn accounts(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = value;
    while !rest.trim().is_empty() {
        let (entry, after) = match rest.find('>') {
            Some(end) => (&rest[..=end], &rest[end + 1..]),
            None => (rest, ""),
        };
        let entry = entry.trim().trim_start_matches(',').trim();
        let id = match (entry.rfind('<'), entry.ends_with('>')) {
            (Some(start), true) => &entry[start + 1..entry.len() - 1],
            _ => entry,
        };
        if !id.trim().is_empty() {
            out.push(format!("debian/{}", id.trim().to_lowercase()));
        }
        rest = after;
    }
    out
}

/// The package names and version constraints of a relationship field
/// (`a (>= 1) | b:any, c [amd64]` gives `a` with `>= 1`, `b`, `c`).
fn relations(value: &str, field: &str, alternatives: bool) -> Result<Vec<(String, Option<String>)>, String> {
    let mut names = Vec::new();
    for clause in value.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        let options: Vec<&str> = if alternatives { clause.split('|').collect() } else { vec![clause] };
        for option in options {
            let option = option.trim();
            let end = option.find(|c: char| c.is_whitespace() || "([<".contains(c)).unwrap_or(option.len());
            let name = option[..end].split(':').next().unwrap_or_default();
            let expected = || format!("`{field}` has `{option}`, expected a package name with optional `(op version)`");
            if !is_package_name(name) {
                return Err(expected());
            }
            let rest = option[end..].trim_start();
            let req = match rest.strip_prefix('(') {
                Some(inner) => Some(inner.split_once(')').ok_or_else(expected)?.0.trim().to_string()),
                None => None,
            };
            names.push((name.to_string(), req));
        }
    }
    Ok(names)
}

/// Debian policy 5.6.1: lower-case letters, digits, `+ - .`; at least two characters, starting
/// with an alphanumeric. (One-letter names are tolerated: old archives hold a few.)
fn is_package_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "+-.".contains(c))
}
