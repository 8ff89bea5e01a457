//! The shared test harness: a [`Workdir`] (a temporary folder to write inputs into and run the
//! `keystone` binary in, after xsv's), helpers to read a run's output, and the graph helpers the
//! golden tests share (fixtures, real dumps, the graph of one input, its sorted edge list).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use keystone::graph::{builder, EdgeFlags, Graph};
use keystone::ingest::{Format, ReadOptions};
use keystone::model::Profile;
use keystone::progress::NoProgress;

/// A temporary folder, removed when dropped, that tests write their inputs into and run
/// `keystone` in.
pub struct Workdir {
    dir: tempfile::TempDir,
}

impl Workdir {
    /// Snapshots in this folder of three sample graphs, by name: `mixed` (the fixtures of
    /// crates.io, Debian, PyPI and npm), `debian` (the embedded bookworm file) and, where the
    /// shared datasets are, `crates` (the crates.io index of 2019).
    pub fn sample_snapshots(&self) -> Vec<(&'static str, PathBuf)> {
        let fixtures = ["crates-index.jsonl", "Packages", "pypi/pypi-api.jsonl", "npm/packuments.jsonl"].map(fixture);
        let debian = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("datasets/debian/bookworm_main_amd64_Packages.xz");
        let mut inputs: Vec<(&str, Vec<PathBuf>)> = vec![("mixed", fixtures.to_vec()), ("debian", vec![debian])];
        if let Some(index) = dataset("cratesio/crates-io-index-2019-11-10.nocksum.jsonl.zst") {
            inputs.push(("crates", vec![index]));
        }
        inputs
            .into_iter()
            .map(|(name, files)| {
                let snap = self.path(&format!("{name}.snap"));
                let mut args = vec!["ingest", "-o", path(&snap)];
                args.extend(files.iter().map(|p| path(p)));
                assert_ok(&self.run(&args));
                (name, snap)
            })
            .collect()
    }

    /// A new, empty folder.
    pub fn new() -> Workdir {
        Workdir { dir: tempfile::tempdir().expect("a temporary folder") }
    }

    /// The folder itself.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// `name` (a relative path) in the folder; nothing is created.
    pub fn path(&self, name: &str) -> PathBuf {
        self.root().join(name)
    }

    /// Writes `contents` to `name` in the folder (creating the folders it is in) and returns
    /// its path.
    pub fn create(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// The `keystone` binary with `args`, to run in the folder.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_keystone"));
        command.args(args).current_dir(self.root());
        command
    }

    /// Runs `keystone` with `args` in the folder.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("keystone runs")
    }

    /// Runs `keystone` with `args` in `sub`, a folder inside this one.
    pub fn run_in(&self, sub: &str, args: &[&str]) -> Output {
        self.command(args).current_dir(self.path(sub)).output().expect("keystone runs")
    }

    /// Every file under the folder, relative to it, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![self.root().to_path_buf()];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let p = entry.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    out.push(p.strip_prefix(self.root()).unwrap().display().to_string());
                }
            }
        }
        out.sort();
        out
    }
}

/// What a run wrote to standard output.
pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// What a run wrote to standard error.
pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// Asserts that a run succeeded, showing its standard error when it did not.
#[track_caller]
pub fn assert_ok(out: &Output) {
    assert!(out.status.success(), "{}", stderr(out));
}

/// A path as a command-line argument.
pub fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A file under `datasets/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/fixtures").join(name)
}

/// A real dump in `../shared/datasets` beside the project. Outside CI, `None` (with a message)
/// when it is absent; in CI (`CI=true`) its absence fails the test.
pub fn dataset(relative: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets").join(relative);
    if path.exists() {
        return Some(path);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{} is missing, and CI must run the real-data tests", path.display());
    }
    eprintln!("skipping: {} is absent", path.display());
    None
}

/// The default profile and development dependencies.
pub const DEV: Profile = Profile { with_dev: true, ..Profile::DEFAULT };
/// The default profile and optional dependencies (PyPI's extras).
pub const OPTIONAL: Profile = Profile { with_optional: true, ..Profile::DEFAULT };

/// The graph of one input under `profile`.
pub fn graph_of(format: Format, path: &Path, profile: Profile) -> Graph {
    let ingested = format.reader().read(path, &ReadOptions::default(), &NoProgress).expect("fixture reads");
    builder::build(&[ingested], profile, &NoProgress).expect("graph builds")
}

/// Every edge as `dependent -> dependency`, sorted; names are qualified (`npm/ms`) when the
/// graph holds several ecosystems.
pub fn edge_list(graph: &Graph) -> Vec<String> {
    let mut edges: Vec<String> = (0..graph.node_count() as u32)
        .flat_map(|v| {
            graph
                .forward()
                .neighbors(v)
                .iter()
                .map(move |&w| format!("{} -> {}", graph.display_name(v), graph.display_name(w)))
        })
        .collect();
    edges.sort();
    edges
}

/// `edges` of `widened` that are not in `base`.
pub fn added(base: &[String], widened: &[String]) -> Vec<String> {
    widened.iter().filter(|e| !base.contains(e)).cloned().collect()
}

/// The flags and requirement of the edge `from -> to`.
pub fn edge<'g>(g: &'g Graph, from: &str, to: &str) -> (EdgeFlags, &'g str) {
    let (v, w) = (g.find(from).unwrap(), g.find(to).unwrap());
    let i = g.forward().neighbors(v).iter().position(|&x| x == w).expect("edge exists");
    (g.edge_flags(v).nth(i).unwrap(), g.edge_req(v, i))
}
