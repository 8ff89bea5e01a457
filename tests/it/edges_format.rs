//! Edge lists (`dependent,dependency[,kind]` CSV): the golden graph of `edges.csv`, its
//! dependency kinds included.

use keystone::ingest::Format;
use keystone::model::Profile;

use crate::workdir::{edge_list, fixture, graph_of};

#[test]
fn edge_list_kinds() {
    let path = fixture("edges.csv");
    assert_eq!(
        edge_list(&graph_of(Format::Edges, &path, Profile::default())),
        [
            "app -> log",
            "app -> web",
            "build-helper -> cc",
            "crypto -> tls",
            "http -> log",
            "tls -> crypto",
            "web -> http"
        ]
    );
    let all = Profile { with_dev: true, with_optional: true, ..Profile::default() };
    assert_eq!(edge_list(&graph_of(Format::Edges, &path, all)).len(), 9);
}

/// `keystone edges` writes the whole graph (isolated packages, versions, projects,
/// maintainers, releases, requirements and their flags), and `--format edges` reads it back
/// into the same graph: every ranking of the round trip is byte-identical to the original's,
/// on a graph of several ecosystems, Debian bookworm and crates.io 2019.
#[test]
fn the_edges_table_reads_back_into_the_same_graph() {
    use crate::workdir::{assert_ok, path, stdout, Workdir};
    let wd = Workdir::new();
    let snapshots: Vec<_> = wd.sample_snapshots().into_iter().map(|(_, snap)| snap).collect();
    for snap in &snapshots {
        let table = wd.path("edges.csv.zst");
        assert_ok(&wd.run(&["edges", path(snap), "-o", path(&table)]));
        for command in [&["rank"][..], &["rank", "--by", "project"], &["rank", "--by", "account"], &["stats"]] {
            // The same output, or the same refusal (a graph with no maintainers has no accounts).
            let run = |input: &std::path::Path| {
                let mut args = vec![command[0], path(input)];
                args.extend(&command[1..]);
                let out = wd.run(&args);
                format!("{:?} {}", out.status.code(), stdout(&out))
            };
            // The profile is not an edge's: `stats` names it, and the table's edges are all normal.
            let strip = |text: String| text.replace("normal+build", "normal");
            assert!(strip(run(snap)) == strip(run(&table)), "{} {command:?}", path(snap));
        }
    }
}

/// The generic shape's corners: a quoted line is read as CSV, the header counts only on line
/// 1, a qualified name belongs to its ecosystem (so `npm/a` and `a` are two packages even on
/// consecutive rows of the same dependent), blank lines and CRLF endings are nothing, and a bad
/// line is an error naming it.
#[test]
fn generic_edge_lists_read_quotes_qualified_names_and_say_which_line_is_bad() {
    use keystone::ingest::ReadOptions;
    use keystone::progress::NoProgress;
    let wd = crate::workdir::Workdir::new();
    let path = wd.create(
        "edges.csv",
        "dependent,dependency\r\nnpm/a,x\r\na,x\n\n\"b,c\",\" a \"\ndependent,dependency\nnpm/a,y,dev\n",
    );
    assert_eq!(
        edge_list(&graph_of(Format::Edges, &path, Profile { with_dev: true, ..Profile::default() })),
        [
            "generic/a -> generic/x",
            "generic/b,c -> generic/a",
            "generic/dependent -> generic/dependency",
            "npm/a -> generic/x",
            "npm/a -> generic/y"
        ]
    );
    for (text, line, says) in [
        ("a,b\nc\n", 2, "expected 2 or 3 fields"),
        ("a,b\n,c\n", 2, "non-empty"),
        ("a,b\na,b,c,d\n", 2, "found 4"),
        ("a,b\na,b,sometimes\n", 2, "or optional"),
        ("a,b\n\n\"a\",\"\"\n", 3, "non-empty"),
    ] {
        let bad = wd.create("bad.csv", text);
        let err = Format::Edges.reader().read(&bad, &ReadOptions::default(), &NoProgress).unwrap_err().to_string();
        assert!(err.contains(&format!("bad.csv:{line}")) && err.contains(says), "{text:?}: {err}");
    }
    let invalid = wd.create("invalid.csv", b"a,b\nc,\xff\n");
    let err = Format::Edges.reader().read(&invalid, &ReadOptions::default(), &NoProgress).unwrap_err().to_string();
    assert!(err.contains("invalid.csv:2") && err.contains("UTF-8"), "{err}");
}
