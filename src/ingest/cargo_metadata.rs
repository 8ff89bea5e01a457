//! `cargo metadata` of a workspace: a saved `--format-version 1` JSON file, or a `Cargo.toml`
//! on which `cargo metadata` is run. Parsed with the `cargo_metadata` crate.
//!
//! When the JSON holds the resolved graph (`resolve`), edges are the resolved dependencies with
//! their kinds, so optional dependencies appear exactly when a feature switched them on. Saved
//! with `--no-deps`, it has no `resolve`, and the declared dependencies of the workspace members
//! are used instead. A crate present in several versions is one package: the union of their
//! dependencies, shown at its highest version. A target-specific dependency that no target of
//! [`CargoOptions::targets`] builds is marked never built (see [`super::cargo_targets`]).

use std::collections::HashMap;
use std::path::Path;

use cargo_metadata::cargo_platform::Platform;
use cargo_metadata::{DependencyKind, Metadata, MetadataCommand, Package, PackageId};

use super::cargo_targets::Targets;
use super::{CargoOptions, Ingest, ReadOptions, Stream};
use crate::error::{Error, Location, Result};
use crate::model::{normalize_repository, DepKind, Dependency, Ecosystem, Ingested, PackageRecord, Skipped};
use crate::progress::{Progress, Work};

/// The `cargo metadata` format.
#[derive(Debug, Clone, Default)]
pub struct CargoMetadata {
    /// The rustc targets (Cargo resolves features itself).
    pub cargo: CargoOptions,
}

impl Ingest for CargoMetadata {
    /// Runs `cargo metadata` on a `Cargo.toml`; reads any other file as its saved JSON.
    fn read(&self, path: &Path, opts: &ReadOptions, progress: &dyn Progress) -> Result<Ingested> {
        if path.file_name().is_some_and(|n| n == "Cargo.toml") {
            progress.phase("run cargo metadata", Work::Unmeasured);
            let metadata = MetadataCommand::new()
                .manifest_path(path)
                .exec()
                .map_err(|e| Error::parse(Location::file(path), format!("`cargo metadata` failed: {e}")))?;
            let packages =
                records(&metadata, &self.cargo.targets).map_err(|m| Error::parse(Location::file(path), m))?;
            return Ok(Ingested { packages, edges: Vec::new(), skipped: Skipped::default() });
        }
        self.read_stream(super::open(path, opts)?, path, opts, progress)
    }

    /// Reads saved `cargo metadata` JSON.
    fn read_stream(
        &self,
        input: Stream,
        path: &Path,
        _opts: &ReadOptions,
        progress: &dyn Progress,
    ) -> Result<Ingested> {
        progress.phase("read cargo metadata JSON", Work::Bytes(input.meter().clone()));
        let metadata = serde_json::from_reader::<_, Metadata>(input).map_err(|e| {
            Error::parse(
                Location::line(path, e.line() as u64),
                format!("expected `cargo metadata --format-version 1` JSON: {e}"),
            )
        })?;
        let packages = records(&metadata, &self.cargo.targets).map_err(|m| Error::parse(Location::file(path), m))?;
        Ok(Ingested { packages, edges: Vec::new(), skipped: Skipped::default() })
    }
}

fn kind_of(kind: DependencyKind) -> DepKind {
    match kind {
        DependencyKind::Development => DepKind::Dev,
        DependencyKind::Build => DepKind::Build,
        DependencyKind::Normal | DependencyKind::Unknown => DepKind::Normal,
    }
}

fn records(metadata: &Metadata, targets: &Targets) -> Result<Vec<PackageRecord>, String> {
    let never_built = |target: Option<&Platform>| target.map(Platform::to_string).filter(|t| !targets.builds(t));
    let by_id: HashMap<&PackageId, &Package> = metadata.packages.iter().map(|p| (&p.id, p)).collect();
    let package = |id: &PackageId| {
        by_id.get(id).copied().ok_or_else(|| format!("`resolve` names package `{id}`, which `packages` does not list"))
    };
    let mut by_name: HashMap<String, (semver::Version, PackageRecord)> = HashMap::new();
    let mut add = |package: &Package, deps: Vec<Dependency>| {
        let (name, version) = (package.name.as_str(), &package.version);
        let entry = by_name.entry(name.to_string()).or_insert_with(|| {
            let mut record = PackageRecord::new(Ecosystem::Crates, name.to_string(), None, Vec::new());
            record.project = package.repository.as_deref().and_then(normalize_repository);
            (version.clone(), record)
        });
        if *version >= entry.0 {
            entry.0 = version.clone();
        }
        entry.1.version = Some(entry.0.to_string());
        entry.1.deps.extend(deps);
    };
    match &metadata.resolve {
        Some(resolve) => {
            for node in &resolve.nodes {
                let node_package = package(&node.id)?;
                let mut deps = Vec::new();
                for dep in &node.deps {
                    let name = package(&dep.pkg)?.name.to_string();
                    // The requirement comes from the declaration the resolver satisfied.
                    let req = node_package.dependencies.iter().find(|d| d.name == name).map(|d| d.req.to_string());
                    let kinds: Vec<(DepKind, Option<String>)> = if dep.dep_kinds.is_empty() {
                        vec![(DepKind::Normal, None)]
                    } else {
                        dep.dep_kinds.iter().map(|k| (kind_of(k.kind), never_built(k.target.as_ref()))).collect()
                    };
                    deps.extend(kinds.into_iter().map(|(kind, never_built)| Dependency {
                        never_built,
                        ..Dependency::new(&name, kind, false, req.clone())
                    }));
                }
                add(node_package, deps);
            }
        }
        None => {
            for package in &metadata.packages {
                let deps = package
                    .dependencies
                    .iter()
                    .map(|d| Dependency {
                        never_built: never_built(d.target.as_ref()),
                        ..Dependency::new(&d.name, kind_of(d.kind), d.optional, Some(d.req.to_string()))
                    })
                    .collect();
                add(package, deps);
            }
        }
    }
    let mut packages: Vec<PackageRecord> = by_name.into_values().map(|(_, r)| r).collect();
    packages.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    Ok(packages)
}
