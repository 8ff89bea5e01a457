//! npm and libraries.io: golden tests on the fixtures in `datasets/fixtures/npm/` and
//! `datasets/fixtures/libraries-io/`, and a check of the npm reader against the real registry
//! documents in `../shared/datasets/npm/` (skipped when absent, outside CI).

use std::collections::BTreeSet;
use std::path::PathBuf;

use keystone::graph::{EdgeFlags, Graph};
use keystone::ingest::{Format, ReadOptions};
use keystone::model::Profile;
use keystone::progress::NoProgress;

use crate::{dataset, edge_list, fixture, graph_of};

const fn profile(with_dev: bool, with_optional: bool, with_peer: bool) -> Profile {
    Profile { with_dev, with_optional, with_peer, ..Profile::DEFAULT }
}
const DEV: Profile = profile(true, false, false);
const OPTIONAL: Profile = profile(false, true, false);
const PEER: Profile = profile(false, false, true);
const PEER_OPTIONAL: Profile = profile(false, true, true);

fn lines() -> PathBuf {
    fixture("npm/packuments.jsonl")
}

fn libraries_io() -> PathBuf {
    fixture("libraries-io/dependencies-1.6.0-2020-01-12.csv")
}

/// The flags and requirement of the edge `from -> to`.
fn edge<'g>(g: &'g Graph, from: &str, to: &str) -> (EdgeFlags, &'g str) {
    let (v, w) = (g.find(from).unwrap(), g.find(to).unwrap());
    let i = g.forward().neighbors(v).iter().position(|&x| x == w).unwrap();
    (g.edge_flags(v).nth(i).unwrap(), g.edge_req(v, i))
}

/// `edges` of `widened` that are not in `base`.
fn added(base: &[String], widened: &[String]) -> Vec<String> {
    widened.iter().filter(|e| !base.contains(e)).cloned().collect()
}

#[test]
fn packuments_default_graph() {
    let g = graph_of(Format::Npm, &lines(), Profile::default());
    assert_eq!(
        edge_list(&g),
        [
            "@babel/core -> @babel/parser",
            "@babel/core -> semver",
            "app -> @babel/core",
            "app -> debug",
            "app -> express",
            "app -> left-pad",
            "app -> lodash",
            "debug -> ms",
            "express -> cookie",
            "express -> debug",
            "ghost-tag -> lodash",
            "react -> loose-envify",
        ],
        "`my-debug: npm:debug@^4.3.0` is an edge to debug; optional, peer and dev ones are not edges"
    );
    // 11 documents and 4 targets without one (semver, left-pad, cookie, loose-envify).
    assert_eq!(g.node_count(), 15);
    let version = |name: &str| g.version(g.find(name).unwrap());
    assert_eq!(version("app"), Some("2.0.0"));
    assert_eq!(version("express"), Some("4.18.2"), "dist-tags.latest, not the higher `next`");
    assert_eq!(version("npm/@babel/core"), Some("7.23.0"));
    assert_eq!(version("ghost-tag"), Some("2.0.0"), "latest names a missing version: the highest release");
    assert_eq!(version("no-latest"), None, "no latest tag: a package with no release");
    assert_eq!(version("flatmap-stream"), None, "an empty document is still a package");
    assert_eq!(Format::guess(&lines()), Some(Format::Npm));
}

#[test]
fn packuments_widened_graphs() {
    let path = lines();
    let base = edge_list(&graph_of(Format::Npm, &path, Profile::default()));
    let widened = |p| added(&base, &edge_list(&graph_of(Format::Npm, &path, p)));
    assert_eq!(widened(OPTIONAL), ["app -> fsevents"], "listed in both: optional");
    assert_eq!(widened(PEER), ["app -> react"], "react-dom is an optional peer");
    assert_eq!(
        widened(PEER_OPTIONAL),
        ["app -> fsevents", "app -> react", "app -> react-dom"],
        "a peerDependenciesMeta entry without a peer dependency (debug's supports-color) adds nothing"
    );
    assert_eq!(
        widened(DEV),
        [
            "@babel/core -> @babel/helper-transform-fixture-test-runner",
            "app -> local-helper",
            "app -> mocha",
            "debug -> mocha",
            "express -> mocha",
        ]
    );
}

#[test]
fn all_docs_gives_the_same_graph() {
    let all_docs = fixture("npm/_all_docs.json");
    assert_eq!(Format::guess(&all_docs), Some(Format::Npm));
    for p in [Profile::default(), DEV, PEER_OPTIONAL] {
        let (a, b) = (graph_of(Format::Npm, &lines(), p), graph_of(Format::Npm, &all_docs, p));
        assert_eq!(edge_list(&a), edge_list(&b));
        assert_eq!(a.node_count(), b.node_count(), "the design document is no package");
        for v in 0..a.node_count() as u32 {
            assert_eq!((a.name(v), a.version(v)), (b.name(v), b.version(v)));
        }
    }
}

#[test]
fn packument_requirements_and_edge_flags() {
    let g = graph_of(Format::Npm, &lines(), Profile::default());
    let (pinned, req) = edge(&g, "app", "lodash");
    assert_eq!(req, "4.17.21");
    assert!(pinned.admits_latest() && !pinned.floats() && !pinned.unparsed(), "a pinned 1.2.3 does not float");
    let (caret, req) = edge(&g, "app", "express");
    assert_eq!(req, "^4.18.2");
    assert!(caret.admits_latest() && caret.floats() && !caret.unparsed(), "^1.2.3 floats");
    let (alias, req) = edge(&g, "app", "debug");
    assert_eq!(req, "^4.3.0", "the alias's range, checked against debug's latest 4.3.4");
    assert!(alias.admits_latest() && alias.floats() && !alias.unparsed());
    let (old, req) = edge(&g, "express", "debug");
    assert_eq!(req, "2.6.9");
    assert!(!old.admits_latest() && !old.floats() && !old.unparsed(), "pinned below debug's latest");
    let (stale, _) = edge(&g, "debug", "ms");
    assert!(!stale.admits_latest() && !stale.floats(), "2.1.2 against ms 2.1.3");
    let (git, req) = edge(&g, "app", "left-pad");
    assert_eq!(req, "git+https://github.com/stevemao/left-pad.git#v1.3.0");
    assert!(git.unparsed(), "a git URL is kept verbatim and is no range");
    let (scoped, req) = edge(&g, "npm/app", "npm/@babel/core");
    assert_eq!(req, "^7.22.0");
    assert!(scoped.admits_latest() && scoped.floats());
}

#[test]
fn bad_packument_lines_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("packuments.jsonl");
    let good = std::fs::read_to_string(lines()).unwrap();
    let bad = r#"{"name":"broken","dist-tags":{"latest":"1.0.0"},"versions":{"1.0.0":{"dependencies":["a"]}}}"#;
    std::fs::write(&path, format!("{good}{bad}\nnot json\n")).unwrap();
    let err = Format::Npm.reader().read(&path, &ReadOptions::default(), &NoProgress).unwrap_err().to_string();
    let at = format!("{}:{}: `broken` version `1.0.0`: expected", path.display(), good.lines().count() + 1);
    assert!(err.starts_with(&at), "{err}");
    let opts = ReadOptions { skip_bad: true, ..ReadOptions::default() };
    let read = Format::Npm.reader().read(&path, &opts, &NoProgress).unwrap();
    assert_eq!(read.skipped.count, 2);
    assert_eq!(read.packages.len(), 11);
}

#[test]
fn libraries_io_default_graph() {
    let path = libraries_io();
    assert_eq!(Format::guess(&path), Some(Format::LibrariesIo));
    let g = graph_of(Format::LibrariesIo, &path, Profile::default());
    assert_eq!(
        edge_list(&g),
        [
            "crates/tokio -> crates/autocfg",
            "crates/tokio -> crates/pin-project-lite",
            "npm/debug -> npm/ms",
            "npm/express -> npm/cookie",
            "npm/express -> npm/debug",
            "pypi/jupyterlab-widgets -> npm/@jupyter-widgets/base",
            "pypi/requests -> pypi/certifi",
            "pypi/requests -> pypi/idna",
            "pypi/requests -> pypi/urllib3",
            "rubygems/sprockets -> rubygems/concurrent-ruby",
            "rubygems/sprockets -> rubygems/rack",
        ]
    );
    let version = |name: &str| g.version(g.find(name).unwrap());
    assert_eq!(version("npm/express"), Some("4.18.2"), "a release above a prerelease with a higher ID");
    assert_eq!(version("npm/debug"), Some("4.3.10"), "semver order, not Version ID or text order");
    assert_eq!(version("crates/tokio"), Some("1.33.0"));
    assert_eq!(version("crates/serde"), Some("1.0.190"));
    assert_eq!(version("pypi/requests"), Some("2.31.0"));
    assert_eq!(version("pypi/urllib3"), Some("2.0.0"), "PEP 440 order, not Version ID");
    assert_eq!(version("rubygems/sprockets"), Some("3.7.2"), "no version rules: the highest Version ID");
    assert_eq!(edge(&g, "rubygems/sprockets", "rubygems/rack").1, "> 1, < 3");
    let (cross, req) = edge(&g, "pypi/jupyterlab-widgets", "npm/@jupyter-widgets/base");
    assert_eq!(req, "^6.0.6");
    assert!(cross.admits_latest() && !cross.unparsed(), "checked by npm rules");
    assert_eq!(edge(&g, "pypi/requests", "pypi/urllib3").1, "<3,>=1.21.1", "requirements verbatim");
}

#[test]
fn libraries_io_widened_graphs() {
    let path = libraries_io();
    let base = edge_list(&graph_of(Format::LibrariesIo, &path, Profile::default()));
    let widened = |p| added(&base, &edge_list(&graph_of(Format::LibrariesIo, &path, p)));
    assert_eq!(
        widened(DEV),
        ["crates/serde -> crates/serde_derive", "crates/tokio -> crates/tokio-test", "npm/express -> npm/mocha"]
    );
    assert_eq!(
        widened(OPTIONAL),
        [
            "crates/serde -> crates/serde_derive",
            "npm/debug -> npm/supports-color",
            "pypi/requests -> pypi/PySocks",
            "pypi/urllib3 -> pypi/brotli",
        ],
        "`Optional Dependency` true, and npm's `Optional` kind"
    );
}

#[test]
fn libraries_io_unknown_platform_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dependencies-1.6.0-2020-01-12.csv");
    let good = std::fs::read_to_string(libraries_io()).unwrap();
    let atom = "90000099,Atom,atom-beautify,4001,0.33.4,8001,loophole,NPM,runtime,false,^1.1.0,1009\n";
    std::fs::write(&path, format!("{good}{atom}")).unwrap();
    let err = Format::LibrariesIo.reader().read(&path, &ReadOptions::default(), &NoProgress).unwrap_err();
    let line = good.lines().count() + 1;
    assert!(err.to_string().starts_with(&format!("{}:{line}: platform `Atom`", path.display())), "{err}");
    let opts = ReadOptions { skip_bad: true, ..ReadOptions::default() };
    let read = Format::LibrariesIo.reader().read(&path, &opts, &NoProgress).unwrap();
    assert_eq!(read.skipped.count, 1);
    assert_eq!(read.packages.len(), 8);
}

/// The names under `field` of a package.json, if it has that field.
fn names(manifest: &serde_json::Value, field: &str) -> BTreeSet<String> {
    manifest[field].as_object().into_iter().flatten().map(|(name, _)| name.clone()).collect()
}

#[test]
fn real_packuments_latest_dependencies() {
    let Some(path) = dataset("npm/registry-packuments-12pkgs-2026-11-22.jsonl.zst") else {
        return;
    };
    let g = graph_of(Format::Npm, &path, Profile::default());
    let dev = graph_of(Format::Npm, &path, DEV);
    let text = String::from_utf8(zstd::decode_all(std::fs::File::open(&path).unwrap()).unwrap()).unwrap();
    let mut documents = 0;
    for line in text.lines() {
        let doc: serde_json::Value = serde_json::from_str(line).unwrap();
        let name = doc["name"].as_str().unwrap();
        let latest = doc["dist-tags"]["latest"].as_str();
        let manifest = latest.map_or(&serde_json::Value::Null, |v| &doc["versions"][v]);
        // npm installs an entry of both `dependencies` and `optionalDependencies` as optional.
        let optional = names(manifest, "optionalDependencies");
        let expected: BTreeSet<String> = &names(manifest, "dependencies") - &optional;
        let expected_dev: BTreeSet<String> = &expected | &names(manifest, "devDependencies");
        for (graph, expected) in [(&g, expected), (&dev, expected_dev)] {
            let v = graph.find(&format!("npm/{name}")).unwrap();
            assert_eq!(graph.version(v), latest, "{name}");
            let edges: BTreeSet<String> =
                graph.forward().neighbors(v).iter().map(|&w| graph.name(w).to_string()).collect();
            assert_eq!(edges, expected, "{name} {latest:?}");
        }
        documents += 1;
    }
    assert_eq!(documents, 12);
    assert_eq!(g.version(g.find("flatmap-stream").unwrap()), None);
    assert_eq!(g.forward().neighbors(g.find("express").unwrap()).len(), 28);
    assert_eq!(g.version(g.find("typescript").unwrap()), Some("7.0.2"));
}
