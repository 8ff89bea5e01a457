//! The official crates.io database dump: `db-dump.tar.gz` (streamed, never extracted) or its
//! extracted folder. Six of its Postgres-CSV tables are read, by header name so that columns
//! added in newer dumps are tolerated: `crates.csv` (`id`, `name`, `repository`, the project
//! key), `versions.csv` (`id`, `crate_id`, `num`, `yanked`), `dependencies.csv` (`version_id` =
//! the dependent release, `crate_id` = the dependency, `kind` 0 normal / 1 build / 2 dev,
//! `optional` `t`/`f`), and `crate_owners.csv` (`crate_id`, `owner_id`, `owner_kind` 0 user /
//! 1 team) with `users.csv` (`gh_login`) and `teams.csv` (`login`) for the maintainers.
//! Optional dependencies that a feature switches on are marked (`cargo_features.rs`),
//! from `versions.features` (JSON) and `dependencies.features` (a Postgres array) and
//! `explicit_name` (a rename, the dependency's name in features). A dependency whose `target`
//! no target of [`CargoOptions::targets`] builds is marked never built (see
//! [`super::cargo_targets`]).
//!
//! Latest releases are chosen as for the index ([`super::crates_index`]). Renamed dependencies
//! need no care here: `crate_id` is always the real crate. A tarball is read twice, since the
//! dependencies can only be kept once every crate's latest release is known.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

use super::archive::Archive;
use super::cargo_features::{switch_on, CrateFeatures, FeatureDep};
use super::crates_index::{version_rank, Rank};
use super::{csv_rows, BadRecords, CargoOptions, Ingest, ReadOptions, Stream};
use crate::error::{Error, Location, Result};
use crate::model::{normalize_repository, DepKind, Dependency, Ecosystem, Ingested, PackageRecord};
use crate::progress::{Progress, Work};

/// The crates.io db-dump format.
#[derive(Debug, Clone, Default)]
pub struct CratesDump {
    /// Cargo features and rustc targets.
    pub cargo: CargoOptions,
}

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

/// The elements of a Postgres array literal (`{}`, `{derive}`, `{derive,"a b"}`); NULL is empty.
fn pg_array(field: &str, column: &str) -> Result<Vec<String>, String> {
    let bad = || format!("`{column}` is `{field}`, expected a Postgres array like {{a,b}}");
    if field.is_empty() {
        return Ok(Vec::new());
    }
    let inner = field.strip_prefix('{').and_then(|f| f.strip_suffix('}')).ok_or_else(bad)?;
    let mut items = Vec::new();
    let mut chars = inner.chars().peekable();
    while chars.peek().is_some() {
        let mut item = String::new();
        if chars.next_if_eq(&'"').is_some() {
            loop {
                match chars.next().ok_or_else(bad)? {
                    '\\' => item.push(chars.next().ok_or_else(bad)?),
                    '"' => break,
                    c => item.push(c),
                }
            }
        } else {
            item.extend(std::iter::from_fn(|| chars.next_if(|&c| c != ',')));
        }
        if chars.next().is_some_and(|c| c != ',') {
            return Err(bad());
        }
        items.push(item);
    }
    Ok(items)
}

/// What the first pass learns: crate names, repositories, owners and releases (each crate's
/// latest with its features).
#[derive(Default)]
struct Releases {
    names: HashMap<u64, String>,
    repositories: HashMap<u64, String>,
    latest: HashMap<u64, (Rank, u64, String)>,
    /// Every non-yanked version of each crate.
    all: HashMap<u64, Vec<String>>,
    /// (crate id, owner id, owner is a team).
    owners: Vec<(u64, u64, bool)>,
    users: HashMap<u64, String>,
    teams: HashMap<u64, String>,
    features: HashMap<u64, Vec<(String, Vec<String>)>>,
}

/// Where the dump's tables are.
enum Dump<'a> {
    /// A folder or a tarball, read once per pass.
    At(&'a Path),
    /// The tables a tar stream held (table, location, bytes), read into memory in one pass;
    /// named after the stream.
    Tables(&'a Path, Vec<(&'static str, PathBuf, Vec<u8>)>),
}

impl Dump<'_> {
    fn path(&self) -> &Path {
        match self {
            Dump::At(path) | Dump::Tables(path, _) => path,
        }
    }
}

/// The tables read, in the order of the passes.
const TABLES: [&str; 6] =
    ["crates.csv", "versions.csv", "crate_owners.csv", "users.csv", "teams.csv", "dependencies.csv"];

/// Tables a dump may lack: without them, crates have no maintainers.
const OPTIONAL: [&str; 3] = ["crate_owners.csv", "users.csv", "teams.csv"];

/// The table of [`TABLES`] among `wanted` that an archive member is: `data/<table>` at any
/// depth (the official tarball puts `data/` in a dated folder).
fn table_of(member: &Path, wanted: &[&'static str]) -> Option<&'static str> {
    wanted.iter().copied().find(|table| member.ends_with(Path::new("data").join(table)))
}

impl Ingest for CratesDump {
    /// Reads the dump from a folder, or a tarball streamed once per pass, never extracted.
    fn read(&self, path: &Path, opts: &ReadOptions, progress: &dyn Progress) -> Result<Ingested> {
        self.read_dump(Dump::At(path), opts, progress)
    }

    /// Reads the dump from a tar stream: every table is held in memory (each within
    /// `max_record_bytes`), since the dependencies can only be kept once every crate's latest
    /// release is known. A dump on disk is better read with [`Ingest::read`].
    fn read_stream(&self, input: Stream, path: &Path, opts: &ReadOptions, progress: &dyn Progress) -> Result<Ingested> {
        progress.phase("read crates.io db-dump tables into memory", Work::Bytes(input.meter().clone()));
        let mut tables = Vec::new();
        Archive::Tar(input, path).walk(
            |member| table_of(member, &TABLES),
            |table, reader, member| {
                if tables.iter().all(|(t, _, _)| *t != table) {
                    let bytes = member.read_all(reader, opts.max_record_bytes)?;
                    tables.push((table, member.at, bytes));
                }
                Ok(())
            },
        )?;
        self.read_dump(Dump::Tables(path, tables), opts, progress)
    }
}

impl CratesDump {
    fn read_dump(&self, dump: Dump<'_>, opts: &ReadOptions, progress: &dyn Progress) -> Result<Ingested> {
        let mut bad = BadRecords::new(opts);
        let mut releases = Releases::default();
        let tables = ["crates.csv", "versions.csv", "crate_owners.csv", "users.csv", "teams.csv"];
        let phase = "read crates.io db-dump crates and versions";
        each_table(&dump, opts, &tables, (phase, progress), |name, reader, at| match name {
            "crates.csv" => Table::open(reader, at, &["id", "name", "repository"])?.rows(&mut bad, |f| {
                let crate_id = id(f[0], "id")?;
                releases.names.insert(crate_id, f[1].to_string());
                if let Some(project) = normalize_repository(f[2]) {
                    releases.repositories.insert(crate_id, project);
                }
                Ok(())
            }),
            "crate_owners.csv" => {
                Table::open(reader, at, &["crate_id", "owner_id", "owner_kind"])?.rows(&mut bad, |f| {
                    let team = match f[2] {
                        "0" => false,
                        "1" => true,
                        other => return Err(format!("`owner_kind` is `{other}`, expected 0 (user) or 1 (team)")),
                    };
                    releases.owners.push((id(f[0], "crate_id")?, id(f[1], "owner_id")?, team));
                    Ok(())
                })
            }
            "users.csv" => Table::open(reader, at, &["id", "gh_login"])?.rows(&mut bad, |f| {
                releases.users.insert(id(f[0], "id")?, f[1].to_string());
                Ok(())
            }),
            "teams.csv" => Table::open(reader, at, &["id", "login"])?.rows(&mut bad, |f| {
                releases.teams.insert(id(f[0], "id")?, f[1].to_string());
                Ok(())
            }),
            _ => Table::open(reader, at, &["id", "crate_id", "num", "yanked", "features"])?.rows(&mut bad, |f| {
                let (version_id, crate_id) = (id(f[0], "id")?, id(f[1], "crate_id")?);
                let rank = version_rank(f[2], flag(f[3], "yanked")?)?;
                if rank.is_some() {
                    releases.all.entry(crate_id).or_default().push(f[2].to_string());
                }
                match releases.latest.get(&crate_id) {
                    Some((best, _, _)) if *best >= rank => {}
                    _ => {
                        let table: BTreeMap<String, Vec<String>> = match f[4] {
                            "" => BTreeMap::new(),
                            json => serde_json::from_str(json)
                                .map_err(|e| format!("`features` is not a JSON map of lists: {e}"))?,
                        };
                        releases.features.insert(crate_id, table.into_iter().collect());
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
        let mut feature_deps: HashMap<u64, Vec<FeatureDep>> = HashMap::new();
        let phase = "read crates.io db-dump dependencies";
        each_table(&dump, opts, &["dependencies.csv"], (phase, progress), |_, reader, at| {
            let columns = ["version_id", "crate_id", "kind", "optional", "req", "explicit_name", "features", "target"];
            Table::open(reader, at, &columns)?.rows(&mut bad, |f| {
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
                let feature_dep = FeatureDep {
                    rename: Some(f[5].to_string()).filter(|r| !r.is_empty()),
                    features: pg_array(f[6], "features")?,
                };
                let never_built =
                    Some(f[7]).filter(|t| !t.is_empty() && !self.cargo.targets.builds(t)).map(str::to_string);
                let dep = Dependency { never_built, ..Dependency::new(name.clone(), kind, optional, req) };
                deps.entry(dependent).or_default().push(dep);
                feature_deps.entry(dependent).or_default().push(feature_dep);
                Ok(())
            })
        })?;

        let mut owners: HashMap<u64, Vec<String>> = HashMap::new();
        for &(crate_id, owner, team) in &releases.owners {
            let (table, what) = if team { (&releases.teams, "teams.csv") } else { (&releases.users, "users.csv") };
            let login = table.get(&owner).ok_or_else(|| {
                let message = format!("crate_owners.csv names owner {owner}, which {what} lacks");
                Error::parse(Location::file(dump.path()), message)
            })?;
            owners.entry(crate_id).or_default().push(format!("crates/{login}"));
        }
        let mut crates: Vec<(PackageRecord, CrateFeatures)> = releases
            .names
            .iter()
            .map(|(crate_id, name)| {
                let latest = releases.latest.get(crate_id).filter(|(rank, _, _)| rank.is_some());
                let mut record = PackageRecord::new(
                    Ecosystem::Crates,
                    name.clone(),
                    latest.map(|(_, _, num)| num.clone()),
                    deps.remove(crate_id).unwrap_or_default(),
                );
                record.project = releases.repositories.remove(crate_id);
                record.maintainers = owners.remove(crate_id).unwrap_or_default();
                record.maintainers.sort_unstable();
                record.releases = releases.all.remove(crate_id).unwrap_or_default();
                let table = latest.and_then(|_| releases.features.remove(crate_id)).unwrap_or_default();
                (record, CrateFeatures::new(table, feature_deps.remove(crate_id).unwrap_or_default()))
            })
            .collect();
        crates.sort_unstable_by(|a, b| a.0.name.cmp(&b.0.name));
        let (mut packages, features): (Vec<PackageRecord>, Vec<CrateFeatures>) = crates.into_iter().unzip();
        if self.cargo.features {
            progress.phase("switch on optional dependencies by features", Work::Unmeasured);
            switch_on(&mut packages, &features);
        }
        Ok(Ingested { packages, edges: Vec::new(), skipped: bad.finish() })
    }
}

/// Calls `each` with every table of `wanted` found in `dump` (a folder, a tarball read in one
/// pass, or tables in memory), naming each by its location, as the phase `phase`; a wanted
/// table that is missing is an error, unless it is one of the [`OPTIONAL`] ones.
fn each_table(
    dump: &Dump<'_>,
    opts: &ReadOptions,
    wanted: &[&'static str],
    (phase, progress): (&str, &dyn Progress),
    mut each: impl FnMut(&str, &mut dyn Read, PathBuf) -> Result<()>,
) -> Result<()> {
    let mut missing: Vec<&str> = wanted.to_vec();
    let mut found =
        |table: &'static str, reader: &mut dyn Read, at: PathBuf| match missing.iter().position(|t| *t == table) {
            Some(i) => {
                missing.remove(i);
                each(table, reader, at)
            }
            None => Ok(()),
        };
    match dump {
        Dump::Tables(_, tables) => {
            progress.phase(phase, Work::Unmeasured);
            for (table, at, bytes) in tables.iter().filter(|(table, _, _)| wanted.contains(table)) {
                found(table, &mut bytes.as_slice(), at.clone())?;
            }
        }
        Dump::At(path) => {
            let archive =
                if path.is_dir() { Archive::folder(path)? } else { Archive::Tar(super::open(path, opts)?, path) };
            progress.phase(phase, Work::Bytes(archive.meter()));
            archive.walk(|member| table_of(member, wanted), |table, reader, member| found(table, reader, member.at))?;
        }
    }
    match missing.iter().find(|table| !OPTIONAL.contains(table)) {
        None => Ok(()),
        Some(table) => {
            Err(Error::parse(Location::file(dump.path()), format!("expected a member `data/{table}` in the archive")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::pg_array;

    #[test]
    fn postgres_arrays() {
        assert_eq!(pg_array("{}", "f"), Ok(vec![]));
        assert_eq!(pg_array("", "f"), Ok(vec![]));
        assert_eq!(pg_array("{derive,serde/std}", "f").unwrap(), ["derive", "serde/std"]);
        assert_eq!(pg_array(r#"{"a b","c\"d",e}"#, "f").unwrap(), ["a b", "c\"d", "e"]);
        assert!(pg_array("derive", "f").is_err());
        assert!(pg_array(r#"{"open}"#, "f").is_err());
    }
}
