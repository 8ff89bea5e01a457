//! npm packuments: golden tests on the fixtures in `datasets/fixtures/npm/` (one document per
//! line, and `_all_docs`) under the default profile and the widened ones (optional, peer, dev),
//! requirements and edge flags, bad lines, and the maintainers and repository a packument
//! carries.

use std::path::PathBuf;

use keystone::ingest::{Format, ReadOptions};
use keystone::model::Profile;
use keystone::progress::NoProgress;

use crate::workdir::{added, edge, edge_list, fixture, graph_of, Workdir, DEV, OPTIONAL};

const PEER: Profile = Profile { with_peer: true, ..Profile::DEFAULT };
const PEER_OPTIONAL: Profile = Profile { with_optional: true, with_peer: true, ..Profile::DEFAULT };

fn lines() -> PathBuf {
    fixture("npm/packuments.jsonl")
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
    let wd = Workdir::new();
    let good = std::fs::read_to_string(lines()).unwrap();
    let bad = r#"{"name":"broken","dist-tags":{"latest":"1.0.0"},"versions":{"1.0.0":{"dependencies":["a"]}}}"#;
    let path = wd.create("packuments.jsonl", format!("{good}{bad}\nnot json\n"));
    let err = Format::Npm.reader().read(&path, &ReadOptions::default(), &NoProgress).unwrap_err().to_string();
    let at = format!("{}:{}: `broken` version `1.0.0`: expected", path.display(), good.lines().count() + 1);
    assert!(err.starts_with(&at), "{err}");
    let opts = ReadOptions { skip_bad: true, ..ReadOptions::default() };
    let read = Format::Npm.reader().read(&path, &opts, &NoProgress).unwrap();
    assert_eq!(read.skipped.count, 2);
    assert_eq!(read.packages.len(), 11);
}

#[test]
fn npm_maintainers_and_repository() {
    let wd = Workdir::new();
    let doc = r#"{"name":"a","dist-tags":{"latest":"1.0.0"},"maintainers":[{"name":"sub","email":"s@x"},"Jo Doe <j@x>",7],"versions":{"0.9.0":{},"1.0.0":{"repository":{"type":"git","url":"git+https://github.com/Org/A.git"},"dependencies":{"b":"^1"}}}}"#;
    let path = wd.create("docs.jsonl", format!("{doc}\n"));
    let graph = graph_of(Format::Npm, &path, Profile::default());
    let a = graph.find("a").unwrap();
    assert_eq!(graph.maintainers(a).collect::<Vec<_>>(), ["npm/Jo Doe", "npm/sub"]);
    assert_eq!(graph.project(a), Some("github.com/org/a"));
    assert_eq!(graph.releases(a), ["0.9.0", "1.0.0"]);
}
