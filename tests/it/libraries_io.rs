//! libraries.io dependency CSVs: golden tests on `datasets/fixtures/libraries-io/` (several
//! platforms in one file, each with its own version rules) under the default profile and the
//! widened ones, and a platform keystone does not know (named by file and line, or skipped).

use std::path::PathBuf;

use keystone::ingest::{Format, ReadOptions};
use keystone::model::Profile;
use keystone::progress::NoProgress;

use crate::workdir::{added, assert_ok, edge, edge_list, fixture, graph_of, path, stdout, Workdir, DEV, OPTIONAL};

fn libraries_io() -> PathBuf {
    fixture("libraries-io/dependencies-1.6.0-2020-01-12.csv")
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
    let wd = Workdir::new();
    let good = std::fs::read_to_string(libraries_io()).unwrap();
    let atom = "90000099,Atom,atom-beautify,4001,0.33.4,8001,loophole,NPM,runtime,false,^1.1.0,1009\n";
    let path = wd.create("dependencies-1.6.0-2020-01-12.csv", format!("{good}{atom}"));
    let err = Format::LibrariesIo.reader().read(&path, &ReadOptions::default(), &NoProgress).unwrap_err();
    let line = good.lines().count() + 1;
    assert!(err.to_string().starts_with(&format!("{}:{line}: platform `Atom`", path.display())), "{err}");
    let opts = ReadOptions { skip_bad: true, ..ReadOptions::default() };
    let read = Format::LibrariesIo.reader().read(&path, &opts, &NoProgress).unwrap();
    assert_eq!(read.skipped.count, 1);
    assert_eq!(read.packages.len(), 8);
}

/// ecosyste.ms's dependencies CSV reads as libraries.io's does, and Maven, Go and NuGet answer
/// "does a malicious next release spread by itself?" by their own resolution rules: only an
/// open Maven range floats (a plain Maven version is soft and kept as written; Go's minimal
/// version selection and NuGet's lowest applicable version never pick a new release by
/// themselves). NuGet ids ignore case.
#[test]
fn ecosystems_csv_reads_like_libraries_io_with_each_ecosystems_rules() {
    let wd = Workdir::new();
    let input = fixture("ecosystems/dependencies-2025-01-01.csv");
    let rank = wd.run(&["rank", path(&input)]);
    assert_ok(&rank);
    let text = stdout(&rank);
    let row = |name: &str| -> Vec<String> {
        let line = text.lines().find(|l| l.split(',').nth(1) == Some(name)).unwrap_or_else(|| panic!("{name}: {text}"));
        line.split(',').map(str::to_string).collect()
    };
    // (direct dependents, reach, floating reach)
    let figures = |name: &str| {
        let r = row(name);
        (r[4].clone(), r[5].clone(), r[12].clone())
    };
    // log4j-core: elasticsearch (soft 2.17.1), old (soft 2.14.1) and ranged ([2.0,3.0)) depend
    // on it, and app through elasticsearch; the test-scoped dependent is no edge by default.
    assert_eq!(figures("org.apache.logging.log4j:log4j-core"), ("3".into(), "4".into(), "1".into()));
    assert_eq!(figures("golang.org/x/net"), ("1".into(), "1".into(), "0".into()));
    assert_eq!(figures("Newtonsoft.Json"), ("2".into(), "2".into(), "0".into()));
    assert!(!text.contains("newtonsoft.json"), "one NuGet package whatever the case: {text}");
    let why = wd.run(&["why", path(&input), "com.example:app", "org.apache.logging.log4j:log4j-api"]);
    assert_eq!(
        stdout(&why),
        "maven/com.example:app > maven/org.elasticsearch:elasticsearch > maven/org.apache.logging.log4j:log4j-api\n"
    );
    let blast = wd.run(&["blast", path(&input), "maven/org.apache.logging.log4j:log4j-core", "--new-release"]);
    assert_eq!(
        stdout(&blast),
        "package,depth,status,reach,path\nmaven/com.example:ranged,1,floats,0,maven/com.example:ranged > maven/org.apache.logging.log4j:log4j-core\n"
    );
}
