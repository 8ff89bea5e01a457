//! The lists a funding committee brings to a report: funders' and foundations' lists of
//! projects (`--listed-by`), and the committee's own spotlight file of overrides, each with
//! its rationale (`--spotlight`). Each reader names the file and line of a bad entry.
//!
//! A list file is CSV in one of three layouts, told apart by its header:
//! - the Alpha-Omega "Omega top 10k" list as published: `Ecosystem, Package Name, URL, …,
//!   Source, …` (its ecosystems as it names them: `debian`, `npm`, `pypi`, `cargo`, `github`,
//!   …; a `github` row names a repository by its URL);
//! - `ecosystem,name`: one package per row, in keystone's ecosystem names;
//! - `repository`: one repository address per row.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::side::read_toml;
use super::ReadOptions;
use crate::error::{Error, Location, Result};

/// One row of a list: what it names, and which of the list's own sources put it there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListEntry {
    /// The file's line.
    pub line: u64,
    /// The ecosystem as the list writes it (`debian`, `cargo`, `github`); empty for a
    /// repository list.
    pub ecosystem: String,
    /// The package name; empty when the row names only a repository.
    pub name: String,
    /// The repository or package address, if the row gives one.
    pub url: Option<String>,
    /// The list's own source for the row (Omega's `Debian Popularity Contest`), if it says.
    pub source: Option<String>,
}

/// Reads a list file in any of the layouts of the module docs.
pub fn read_list(path: &Path) -> Result<Vec<ListEntry>> {
    let reader = super::open(path, &ReadOptions::default())?;
    let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let header: Vec<String> = csv
        .headers()
        .map_err(|e| Error::parse(Location::line(path, 1), format!("expected a CSV header: {e}")))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let at = |name: &str| header.iter().position(|h| h == name);
    let (ecosystem, name, url, source) = match (at("ecosystem"), at("package name"), at("name"), at("repository")) {
        (Some(e), Some(n), _, _) => (Some(e), Some(n), at("url"), at("source")),
        (Some(e), None, Some(n), _) => (Some(e), Some(n), None, None),
        (None, None, None, Some(r)) => (None, None, Some(r), None),
        _ => {
            return Err(Error::parse(
                Location::line(path, 1),
                format!(
                    "expected the header of a known list layout: the Omega top 10k list \
                     (`Ecosystem,Package Name,URL,…,Source`), `ecosystem,name`, or `repository`; found `{}`",
                    header.join(",")
                ),
            ))
        }
    };
    let mut entries = Vec::new();
    for (i, row) in csv.records().enumerate() {
        let line = i as u64 + 2;
        let row = row.map_err(|e| Error::parse(Location::line(path, line), format!("unreadable row: {e}")))?;
        let cell = |at: Option<usize>| at.and_then(|i| row.get(i)).map(str::trim).unwrap_or("").to_string();
        let optional = |at: Option<usize>| Some(cell(at)).filter(|c| !c.is_empty());
        let entry = ListEntry {
            line,
            ecosystem: cell(ecosystem),
            name: cell(name),
            url: optional(url),
            source: optional(source),
        };
        if entry.name.is_empty() && entry.url.is_none() {
            return Err(Error::parse(
                Location::line(path, line),
                "expected a package name or a repository".to_string(),
            ));
        }
        entries.push(entry);
    }
    Ok(entries)
}

/// What a spotlight row asks of the shortlist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Shown in the shortlist, marked, whatever its score.
    Include,
    /// Taken off the shortlist and listed apart.
    Exclude,
}

/// One override of the committee, every field required. A report shows it without its
/// action, which the place it is shown in says.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Spotlight {
    /// The project, as `rank --by project` names it.
    pub project: String,
    /// Include or exclude.
    #[serde(skip_serializing)]
    pub action: Action,
    /// Why, in a sentence the page shows.
    pub rationale: String,
    /// Who decided.
    pub added_by: String,
    /// When (as written, e.g. `2026-11-30`).
    pub added_at: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpotlightFile {
    spotlight: Vec<Spotlight>,
}

/// Reads a spotlight file: TOML (`[[spotlight]]` tables) when its name ends in `.toml`, else
/// CSV with the header `project,action,rationale,added_by,added_at`. A missing or empty field
/// is an error naming the line and the field.
pub fn read_spotlight(path: &Path) -> Result<Vec<Spotlight>> {
    if path.extension().is_some_and(|e| e == "toml") {
        let file: SpotlightFile = read_toml(path)?;
        for (i, s) in file.spotlight.iter().enumerate() {
            if let Some(field) = empty_field(s) {
                let at = Location::file(path);
                return Err(Error::parse(at, format!("spotlight entry {}: `{field}` is empty", i + 1)));
            }
        }
        return Ok(file.spotlight);
    }
    let reader = super::open(path, &ReadOptions::default())?;
    let mut csv = csv::ReaderBuilder::new().from_reader(reader);
    let mut out = Vec::new();
    for (i, row) in csv.deserialize::<Spotlight>().enumerate() {
        let line = i as u64 + 2;
        let row = row.map_err(|e| {
            Error::parse(
                Location::line(path, line),
                format!("expected `project,action,rationale,added_by,added_at` (action include or exclude): {e}"),
            )
        })?;
        if let Some(field) = empty_field(&row) {
            return Err(Error::parse(
                Location::line(path, line),
                format!("`{field}` is empty; every field is required"),
            ));
        }
        out.push(row);
    }
    Ok(out)
}

/// The first empty field of `s`, if any.
fn empty_field(s: &Spotlight) -> Option<&'static str> {
    [("project", &s.project), ("rationale", &s.rationale), ("added_by", &s.added_by), ("added_at", &s.added_at)]
        .into_iter()
        .find(|(_, value)| value.trim().is_empty())
        .map(|(field, _)| field)
}
