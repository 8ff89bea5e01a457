//! PyPI: golden tests of both formats on `datasets/fixtures/pypi/` (the pypi-deps-db layout as a
//! folder and as a tarball, and JSON API documents), extras and environment markers, bad input,
//! and the requirements a fuzz target found that made `pep508_rs` panic.

use std::io::Cursor;
use std::path::Path;

use keystone::graph::{builder, Graph};
use keystone::ingest::pypi::Markers;
use keystone::ingest::{Format, FormatOptions, Ingest, ReadOptions, Stream};
use keystone::model::Profile;
use keystone::progress::NoProgress;

use crate::workdir::{edge, edge_list, fixture, graph_of, Workdir, OPTIONAL};

const EXTRAS: Profile = OPTIONAL;

/// The graph of `path` read with marker overrides `markers`.
fn graph_with(format: Format, path: &Path, markers: &[(&str, &str)], profile: Profile) -> Graph {
    let markers: Vec<(String, String)> = markers.iter().map(|&(n, v)| (n.to_string(), v.to_string())).collect();
    let options =
        FormatOptions { markers: Markers::new(&markers).expect("markers are valid"), ..FormatOptions::default() };
    let ingested =
        format.reader_with(&options).read(path, &ReadOptions::default(), &NoProgress).expect("fixture reads");
    builder::build(&[ingested], profile, &NoProgress).expect("graph builds")
}

fn read_error(format: Format, path: &Path) -> String {
    format.reader().read(path, &ReadOptions::default(), &NoProgress).unwrap_err().to_string()
}

fn version(g: &Graph, name: &str) -> Option<String> {
    g.version(g.find(name).unwrap()).map(str::to_string)
}

const DEPS_DB_DEFAULT: [&str; 12] = [
    "foo-bar -> six",
    "numpyish -> numpy-base",
    "oldlib -> six",
    "requests -> certifi",
    "requests -> charset-normalizer",
    "requests -> idna",
    "requests -> urllib3",
    "webapp -> foo-bar",
    "webapp -> legacy-dep",
    "webapp -> requests",
    "webapp -> tomli-w",
    "webapp -> typing-extensions",
];

#[test]
fn deps_db_default_graph() {
    let path = fixture("pypi/deps-db");
    assert_eq!(Format::guess(&path), Some(Format::PypiDepsDb));
    let g = graph_of(Format::PypiDepsDb, &path, Profile::default());
    // Not edges: py2-only requirements (pyver 27), win32 and python < 3.8 markers, extras,
    // setup/tests requirements, the prerelease's and the older sdists' or wheels' requirements.
    assert_eq!(edge_list(&g), DEPS_DB_DEFAULT);
    assert_eq!(
        version(&g, "foo-bar").as_deref(),
        Some("1.1.0"),
        "`Foo_Bar` and `foo.bar` are one package; a release beats a higher prerelease; 1.1.0 is an alias of 1.0.0"
    );
    assert_eq!(version(&g, "requests").as_deref(), Some("2.31.0"), "the wheel (an alias) wins at equal versions");
    assert_eq!(version(&g, "oldlib").as_deref(), Some("3.0"), "a newer sdist beats an older wheel");
    assert_eq!(version(&g, "numpyish").as_deref(), Some("1.26.0"));
    assert_eq!(version(&g, "six").as_deref(), Some("1.16.0"));
    assert_eq!(version(&g, "legacy-only"), None, "no PEP 440 version: a package without a release");
    assert_eq!(g.node_count(), 15);

    assert_eq!(edge(&g, "webapp", "foo-bar").1, ">=1.0,<2");
    assert_eq!(edge(&g, "webapp", "requests").1, ">=2.0");
    assert_eq!(edge(&g, "webapp", "tomli-w").1, "");
    let (flags, req) = edge(&g, "webapp", "legacy-dep");
    assert_eq!(req, "legacy-dep>=1.0<2", "an unparsable requirement is kept, whole");
    assert!(flags.unparsed() && flags.admits_latest() && flags.floats());
    let (flags, req) = edge(&g, "oldlib", "six");
    assert_eq!(req, ">=1.16");
    assert!(flags.admits_latest() && flags.floats() && !flags.unparsed());
}

#[test]
fn deps_db_extras() {
    let g = graph_of(Format::PypiDepsDb, &fixture("pypi/deps-db"), EXTRAS);
    let mut expected: Vec<&str> = DEPS_DB_DEFAULT.to_vec();
    expected.extend([
        "numpyish -> plotlib",
        "requests -> chardet",
        "requests -> pysocks",
        "webapp -> cryptography",
        "webapp -> sphinx",
    ]);
    expected.sort();
    assert_eq!(edge_list(&g), expected);
}

#[test]
fn deps_db_marker_overrides() {
    let path = fixture("pypi/deps-db");
    // Windows: the win32-only requirements appear.
    let windows = graph_with(
        Format::PypiDepsDb,
        &path,
        &[("sys_platform", "win32"), ("platform_system", "Windows"), ("os_name", "nt")],
        Profile::default(),
    );
    let edges = edge_list(&windows);
    for edge in ["webapp -> colorama", "webapp -> pywin32", "numpyish -> pywin32"] {
        assert!(edges.contains(&edge.to_string()), "{edge} on Windows");
    }
    assert_eq!(edges.len(), DEPS_DB_DEFAULT.len() + 3);
    // Python 3.7: the sdists' pyver 37 entries (aliases of 36), and python_version markers.
    let py37 = graph_with(Format::PypiDepsDb, &path, &[("python_version", "3.7")], Profile::default());
    let edges = edge_list(&py37);
    let webapp: Vec<&String> = edges.iter().filter(|e| e.starts_with("webapp ->")).collect();
    assert_eq!(webapp, ["webapp -> importlib-metadata", "webapp -> requests"]);
    // Python 2.7: pyver 27.
    let py27 = graph_with(Format::PypiDepsDb, &path, &[("python_version", "2.7")], Profile::default());
    assert!(edge_list(&py27).contains(&"foo-bar -> futures".to_string()));

    let err = Markers::new(&[("python".into(), "3".into())]).unwrap_err().to_string();
    assert!(err.contains("unknown marker variable `python`"), "{err}");
}

#[test]
fn deps_db_tarball_equals_folder() {
    let wd = Workdir::new();
    let tarball = wd.path("pypi-deps-db.tar.zst");
    let zst = zstd::Encoder::new(std::fs::File::create(&tarball).unwrap(), 3).unwrap();
    let mut tar = tar::Builder::new(zst);
    tar.append_dir_all("pypi-deps-db-main", fixture("pypi/deps-db")).unwrap();
    tar.into_inner().unwrap().finish().unwrap();
    assert_eq!(Format::guess(&tarball), Some(Format::PypiDepsDb));
    let g = graph_of(Format::PypiDepsDb, &tarball, Profile::default());
    assert_eq!(edge_list(&g), DEPS_DB_DEFAULT);
    assert_eq!(version(&g, "foo-bar").as_deref(), Some("1.1.0"));
    assert_eq!(edge_list(&graph_of(Format::PypiDepsDb, &tarball, EXTRAS)).len(), 17);
}

#[test]
fn json_api_documents() {
    let path = fixture("pypi/pypi-api.jsonl");
    assert_eq!(Format::guess(&path), Some(Format::PypiJson));
    let g = graph_of(Format::PypiJson, &path, Profile::default());
    assert_eq!(
        edge_list(&g),
        [
            "requests -> certifi",
            "requests -> charset-normalizer",
            "requests -> idna",
            "requests -> urllib3",
            "urllib3 -> bad",
        ]
    );
    assert_eq!(version(&g, "requests").as_deref(), Some("2.31.0"), "yanked 2.32.0 and 3.0.0a1 are not the latest");
    assert_eq!(version(&g, "idna").as_deref(), Some("3.4"), "the last document of a package wins");
    assert_eq!(version(&g, "charset-normalizer").as_deref(), Some("3.2.0"));
    assert_eq!(version(&g, "stale").as_deref(), Some("1.1"), "its requirements are unknown: none");
    assert_eq!(version(&g, "urllib3").as_deref(), Some("2.0.4"), "every file yanked: info.version");
    assert_eq!(g.node_count(), 7);
    let (flags, req) = edge(&g, "requests", "idna");
    assert_eq!(req, ">=2.5,<4");
    assert!(flags.admits_latest() && flags.floats());
    assert!(edge(&g, "urllib3", "bad").0.unparsed());

    let extras = edge_list(&graph_of(Format::PypiJson, &path, EXTRAS));
    for edge in ["requests -> chardet", "requests -> pysocks", "urllib3 -> brotli", "urllib3 -> zstandard"] {
        assert!(extras.contains(&edge.to_string()), "{edge} with --with-extras");
    }
    assert_eq!(extras.len(), 10);
    // Not CPython: urllib3's brotli extra is for CPython only.
    let pypy = graph_with(Format::PypiJson, &path, &[("platform_python_implementation", "PyPy")], EXTRAS);
    assert!(!edge_list(&pypy).contains(&"urllib3 -> brotli".to_string()));
}

#[test]
fn broken_json_names_file_and_line() {
    let wd = Workdir::new();
    let db = wd.path("db");
    wd.create("db/wheel/00.json", "{}");
    wd.create("db/sdist/00.json", "{\n  \"six\": {\n    \"1.0\": {\"27\": {\"install_requires\": [}}\n  }\n}\n");
    let err = read_error(Format::PypiDepsDb, &db);
    assert!(err.contains("sdist/00.json:3:"), "{err}");

    let tarball = wd.path("db.tar");
    let mut tar = tar::Builder::new(std::fs::File::create(&tarball).unwrap());
    tar.append_dir_all(".", &db).unwrap();
    tar.finish().unwrap();
    let err = read_error(Format::PypiDepsDb, &tarball);
    assert!(err.contains("db.tar:sdist/00.json:3:"), "{err}");

    let lines = wd.create("pypi.jsonl", "{\"info\": {\"name\": \"a\", \"version\": \"1\"}}\n{\"info\": \n");
    let err = read_error(Format::PypiJson, &lines);
    assert!(err.contains("pypi.jsonl:2:"), "{err}");

    let alias = wd.create("alias/sdist/00.json", "{\"six\": {\"1.0\": \"0.9\"}}");
    let err = read_error(Format::PypiDepsDb, alias.parent().unwrap().parent().unwrap());
    assert!(err.contains("sdist/00.json: package `six`: version `1.0`: alias `0.9` names no entry"), "{err}");
}

#[test]
fn nameless_requirement_is_a_bad_record() {
    let wd = Workdir::new();
    let text = "{\"info\": {\"name\": \"a\", \"version\": \"1.0\", \"requires_dist\": [\">=1.0\"]}}\n\
                {\"info\": {\"name\": \"b\", \"version\": \"1.0\", \"requires_dist\": [\"a\"]}}\n";
    let path = wd.create("pypi.jsonl", text);
    let err = read_error(Format::PypiJson, &path);
    assert!(err.contains("pypi.jsonl:1: requirement `>=1.0`"), "{err}");
    let opts = ReadOptions { skip_bad: true, ..ReadOptions::default() };
    let read = Format::PypiJson.reader().read(&path, &opts, &NoProgress).unwrap();
    assert_eq!(read.skipped.count, 1);
    let g = builder::build(&[read], Profile::default(), &NoProgress).unwrap();
    assert_eq!(edge_list(&g), ["b -> a"]);
}

#[test]
fn fuzz_finding_requirements_that_panicked_pep508_rs() {
    // `pep508_rs` 0.9 panicked (a string sliced inside a character) on a non-ASCII character
    // where `and`/`or` may follow a marker expression, and (an `expect`) on a name or an extra
    // ending in `-`, `_` or `.` before another character. Such a requirement is still an edge,
    // on the name it starts with, with its text as an unreadable requirement.
    let requires = [
        "foo ; python_version >= \"3\" é",
        "bar (>=1) ; extra == 'x' ü",
        "baz>=2",
        "qux- >=1",
        "quux[x-] (>=1)",
        "q_.'",
    ];
    let doc = serde_json::json!({
        "info": {"name": "app", "version": "1.0", "requires_dist": requires},
        "releases": {"1.0": [{"yanked": false}]},
    });
    let line = Stream::new(Cursor::new(doc.to_string().into_bytes()));
    let read = keystone::ingest::pypi::PypiJson::default().read_stream(
        line,
        Path::new("pypi.jsonl"),
        &ReadOptions::default(),
        &NoProgress,
    );
    let read = read.unwrap();
    let deps: Vec<(&str, Option<&str>)> =
        read.packages[0].deps.iter().map(|d| (d.name.as_str(), d.req.as_deref())).collect();
    let names: Vec<&str> = deps.iter().map(|d| d.0).collect();
    assert_eq!(names, ["foo", "bar", "baz", "qux", "quux", "q"]);
    assert_eq!(deps[2].1, Some(">=2"));
    for (dep, text) in deps.iter().zip(requires).filter(|(d, _)| d.0 != "baz") {
        assert_eq!(dep.1, Some(text));
    }
}
