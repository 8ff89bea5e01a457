//! The official crates.io database dump: `db-dump.tar.gz` (streamed, never extracted) or its
//! extracted folder. Three of its Postgres-CSV tables are read, by header name so that columns
//! added in newer dumps are tolerated: `crates.csv` (`id`, `name`), `versions.csv` (`id`,
//! `crate_id`, `num`, `yanked`) and `dependencies.csv` (`version_id` = the dependent release,
//! `crate_id` = the dependency, `kind` 0 normal / 1 build / 2 dev, `optional` `t`/`f`).
//!
//! Latest releases are chosen as for the index ([`super::crates_index`]). Renamed dependencies
//! need no care here: `crate_id` is always the real crate. A tarball is read twice, since the
//! dependencies can only be kept once every crate's latest release is known.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::crates_index::{version_rank, Rank};
use super::{csv_rows, decompress, BadRecords, ReadOptions, Source};
use crate::error::{Error, Location, Result};
use crate::model::{DepKind, Dependency, Ecosystem, Ingested, PackageRecord};
use crate::progress::Progress;

/// The crates.io db-dump format.
#[derive(Debug, Clone, Copy)]
pub struct CratesDump;

/// A CSV table of the dump with the positions of the columns asked for.
struct Table<R: Read> {
    csv: csv::Reader<R>,
    at: PathBuf,
    columns: Vec<usize>,
}

impl<R: Read> Table<R> {
    fn open(reader: R, at: PathBuf, wanted: &[&str]) -> Result<Self> {
        let mut csv = csv::Reader::from_reader(reader);
        let headers =
            csv.headers().map_err(|e| Error::parse(Location::line(&at, 1), format!("expected a CSV header: {e}")))?;
        let columns = wanted
            .iter()
            .map(|w| {
                headers.iter().position(|h| h == *w).ok_or_else(|| {
                    Error::parse(Location::line(&at, 1), format!("expected a column `{w}` in the header"))
                })
            })
            .collect::<Result<_>>()?;
        Ok(Table { csv, at, columns })
    }

    /// Calls `row` with the wanted fields of each row, in the order asked for.
    fn rows(mut self, bad: &mut BadRecords, mut row: impl FnMut(&[&str]) -> Result<(), String>) -> Result<()> {
        let columns = self.columns;
        csv_rows(&mut self.csv, &self.at, bad, |record| {
            let fields: Vec<&str> = columns.iter().map_while(|&c| record.get(c)).collect();
            if fields.len() < columns.len() {
                let wanted = columns.iter().max().map_or(0, |m| m + 1);
                return Err(format!("expected at least {wanted} fields, found {}", record.len()));
            }
            row(&fields)
        })
    }
}

fn id(field: &str, column: &str) -> Result<u64, String> {
    field.parse().map_err(|_| format!("`{column}` is `{field}`, expected an integer id"))
}

fn flag(field: &str, column: &str) -> Result<bool, String> {
    match field {
        "t" => Ok(true),
        "f" => Ok(false),
        _ => Err(format!("`{column}` is `{field}`, expected `t` or `f`")),
    }
}

/// What the first pass learns: crate names and each crate's latest release.
#[derive(Default)]
struct Releases {
    names: HashMap<u64, String>,
    latest: HashMap<u64, (Rank, u64, String)>,
}

/// Where the dump's tables are.
#[derive(Clone, Copy)]
enum Dump<'a> {
    /// A folder or a tarball.
    At(&'a Path),
    /// `crates.csv`, `versions.csv` and `dependencies.csv` in memory, the first named `path`.
    Tables(&'a Path, [&'a [u8]; 3]),
}

/// The tables of [`Dump::Tables`], in order.
const TABLES: [&str; 3] = ["crates.csv", "versions.csv", "dependencies.csv"];

impl Source for CratesDump {
    fn read(&self, path: &Path, opts: &ReadOptions, progress: &dyn Progress) -> Result<Ingested> {
        self.read_dump(Dump::At(path), opts, progress)
    }
}

impl CratesDump {
    /// Reads the dump's `crates.csv`, `versions.csv` and `dependencies.csv` from memory (as
    /// extracted, uncompressed); errors name them `path:data/<table>`.
    pub fn read_tables(
        &self,
        path: &Path,
        tables: [&[u8]; 3],
        opts: &ReadOptions,
        progress: &dyn Progress,
    ) -> Result<Ingested> {
        self.read_dump(Dump::Tables(path, tables), opts, progress)
    }

    fn read_dump(&self, path: Dump<'_>, opts: &ReadOptions, progress: &dyn Progress) -> Result<Ingested> {
        let mut bad = BadRecords::new(opts);
        let mut releases = Releases::default();
        progress.phase("read crates.io db-dump crates and versions", None);
        each_table(path, opts, &["crates.csv", "versions.csv"], |name, reader, at| match name {
            "crates.csv" => Table::open(reader, at, &["id", "name"])?.rows(&mut bad, |f| {
                releases.names.insert(id(f[0], "id")?, f[1].to_string());
                Ok(())
            }),
            _ => Table::open(reader, at, &["id", "crate_id", "num", "yanked"])?.rows(&mut bad, |f| {
                let (version_id, crate_id) = (id(f[0], "id")?, id(f[1], "crate_id")?);
                let rank = version_rank(f[2], flag(f[3], "yanked")?)?;
                match releases.latest.get(&crate_id) {
                    Some((best, _, _)) if *best >= rank => {}
                    _ => {
                        releases.latest.insert(crate_id, (rank, version_id, f[2].to_string()));
                    }
                }
                Ok(())
            }),
        })?;

        let chosen: HashMap<u64, u64> = releases
            .latest
            .iter()
            .filter(|(_, (rank, _, _))| rank.is_some())
            .map(|(&crate_id, &(_, version_id, _))| (version_id, crate_id))
            .collect();
        let mut deps: HashMap<u64, Vec<Dependency>> = HashMap::new();
        progress.phase("read crates.io db-dump dependencies", None);
        each_table(path, opts, &["dependencies.csv"], |_, reader, at| {
            Table::open(reader, at, &["version_id", "crate_id", "kind", "optional", "req"])?.rows(&mut bad, |f| {
                let Some(&dependent) = chosen.get(&id(f[0], "version_id")?) else {
                    return Ok(());
                };
                let target = id(f[1], "crate_id")?;
                let name =
                    releases.names.get(&target).ok_or_else(|| format!("`crate_id` {target} is not in crates.csv"))?;
                let kind = match f[2] {
                    "0" => DepKind::Normal,
                    "1" => DepKind::Build,
                    "2" => DepKind::Dev,
                    other => return Err(format!("`kind` is `{other}`, expected 0 (normal), 1 (build) or 2 (dev)")),
                };
                let optional = flag(f[3], "optional")?;
                let req = Some(f[4].to_string()).filter(|r| !r.is_empty());
                deps.entry(dependent).or_default().push(Dependency {
                    name: name.clone(),
                    ecosystem: None,
                    req,
                    kind,
                    optional,
                });
                Ok(())
            })
        })?;

        let mut packages: Vec<PackageRecord> = releases
            .names
            .iter()
            .map(|(crate_id, name)| {
                let latest = releases.latest.get(crate_id).filter(|(rank, _, _)| rank.is_some());
                PackageRecord {
                    ecosystem: Ecosystem::Crates,
                    name: name.clone(),
                    version: latest.map(|(_, _, num)| num.clone()),
                    deps: deps.remove(crate_id).unwrap_or_default(),
                    provides: Vec::new(),
                }
            })
            .collect();
        packages.sort_unstable_by(|a, b| a.name.cmp(&b.name));
        Ok(Ingested { packages, skipped: bad.finish() })
    }
}

/// Calls `each` with every table of `wanted` found in the dump at `path` (a folder, or a tarball
/// read in one pass), naming each by its location; a wanted table that is missing is an error.
fn each_table(
    dump: Dump<'_>,
    opts: &ReadOptions,
    wanted: &[&str],
    mut each: impl FnMut(&str, &mut dyn Read, PathBuf) -> Result<()>,
) -> Result<()> {
    let path = match dump {
        Dump::At(path) => path,
        Dump::Tables(path, tables) => {
            for name in wanted {
                let bytes = TABLES.iter().position(|t| t == name).map_or(&[][..], |i| tables[i]);
                each(name, &mut &*bytes, PathBuf::from(format!("{}:data/{name}", path.display())))?;
            }
            return Ok(());
        }
    };
    let mut missing: Vec<&str> = wanted.to_vec();
    if path.is_dir() {
        for name in wanted {
            let file = path.join("data").join(name);
            let mut reader = File::open(&file).map_err(|e| Error::io(&file, e))?;
            each(name, &mut reader, file)?;
        }
        return Ok(());
    }
    let mut archive = tar::Archive::new(decompress::read_ahead(decompress::open_with(path, opts)?));
    for entry in archive.entries().map_err(|e| Error::io(path, e))? {
        let mut entry = entry.map_err(|e| Error::io(path, e))?;
        let member = entry.path().map_err(|e| Error::io(path, e))?.into_owned();
        let Some(pos) = missing.iter().position(|w| member.ends_with(Path::new("data").join(w))) else {
            continue;
        };
        let name = missing.remove(pos);
        let at = PathBuf::from(format!("{}:{}", path.display(), member.display()));
        each(name, &mut entry, at)?;
    }
    match missing.first() {
        None => Ok(()),
        Some(name) => {
            Err(Error::parse(Location::file(path), format!("expected a member `data/{name}` in the archive")))
        }
    }
}
