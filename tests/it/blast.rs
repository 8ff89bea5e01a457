//! The `blast` command: the packages a compromise reaches and by which chains, unknown names,
//! a malicious next release (`--new-release`, floating requirements only), the scenarios
//! (`--affected`, `--removed`: stuck, fixable, broken) on a fixture whose answers are worked out
//! by hand, and gateways (dominators).

use keystone::analysis::gateways::{dominators, gateway_flag};
use keystone::analysis::reach::reach;
use keystone::analysis::scenario::{run, Bad, Scenario, Status, Target};
use keystone::graph::Graph;
use keystone::ingest::Format;
use keystone::model::Profile;
use keystone::progress::NoProgress;

use crate::workdir::{assert_ok, fixture, graph_of, path, stderr, stdout, Workdir};

#[test]
fn unknown_names_get_suggestions() {
    let wd = Workdir::new();
    let out = wd.run(&["blast", path(&fixture("Packages")), "liblzma"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no package named `liblzma`"), "{}", stderr(&out));
    assert!(stderr(&out).contains("did you mean: liblzma5"), "{}", stderr(&out));
}

/// Names are read as each registry reads them: crates.io ignores case and takes `-` for `_`,
/// PyPI normalises per PEP 503, Debian ignores case and an `:arch` qualifier; suggestions come
/// from the ecosystem named, and an unknown ecosystem prefix is an error naming the ones there.
#[test]
fn names_are_read_as_registries_read_them() {
    let wd = Workdir::new();
    let snap = wd.path("all.snap");
    let inputs = [fixture("crates-index.jsonl"), fixture("Packages"), fixture("pypi/pypi-api.jsonl")];
    let mut args = vec!["ingest", "-o", path(&snap)];
    args.extend(inputs.iter().map(|p| path(p)));
    assert_ok(&wd.run(&args));
    for (query, first_row) in [
        ("crates/Rand-Core", "crates/rand,1,affected,1,crates/rand > crates/rand_core"),
        ("RAND_CORE", "crates/rand,1,affected,1,crates/rand > crates/rand_core"),
        ("pypi/URLLib3", "pypi/requests,1,affected,0,pypi/requests > pypi/urllib3"),
        ("charset_normalizer", "pypi/requests,1,affected,0,pypi/requests > pypi/charset-normalizer"),
        ("LibLzma5", "debian/postfix,1,affected,1,debian/postfix > debian/liblzma5"),
        ("debian/liblzma5:amd64", "debian/postfix,1,affected,1,debian/postfix > debian/liblzma5"),
    ] {
        let out = wd.run(&["blast", path(&snap), query]);
        assert_ok(&out);
        assert!(stdout(&out).lines().nth(1) == Some(first_row), "{query}: {}", stdout(&out));
    }
    let unknown = wd.run(&["blast", path(&snap), "crates/rand_cor"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("did you mean: crates/rand_core, crates/rand?"), "{}", stderr(&unknown));
    let prefix = wd.run(&["blast", path(&snap), "crate/serde"]);
    assert_eq!(prefix.status.code(), Some(2));
    assert!(
        stderr(&prefix).contains("no ecosystem `crate` (this graph holds crates, debian, pypi)"),
        "{}",
        stderr(&prefix)
    );
}

/// Debian's archive lists one release per package, so a fix is a release it could ship: the
/// first version past the vulnerable range. A dependent whose requirement admits it is
/// fixable; an exact pin inside the range is stuck.
#[test]
fn debian_vulnerable_ranges_count_the_release_that_would_fix_them() {
    let wd = Workdir::new();
    let packages = wd.create(
        "Packages",
        "Package: liblzma5\nVersion: 5.4.1-1\n\n\
         Package: xz-utils\nVersion: 5.4.1-1\nDepends: liblzma5 (= 5.4.1-1)\n\n\
         Package: dpkg\nVersion: 1.21.22\nPre-Depends: liblzma5 (>= 5.4.0)\n\n\
         Package: old\nVersion: 1\nDepends: liblzma5 (<< 5.4.2)\n",
    );
    let out = wd.run(&["blast", path(&packages), "liblzma5", "--affected", ">= 5.4.0, << 5.4.2"]);
    assert_ok(&out);
    assert_eq!(
        stdout(&out),
        "package,depth,status,reach,path\ndpkg,1,fixable,0,dpkg > liblzma5\nold,1,stuck,0,old > liblzma5\n\
         xz-utils,1,stuck,0,xz-utils > liblzma5\n"
    );
    assert!(
        stderr(&out).contains("fixed releases it could get (the input lists one release): 5.4.2"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn new_release_follows_floating_requirements_only() {
    let wd = Workdir::new();
    let input = fixture("crates-index.jsonl");
    // cc pins libc at `=0.2.150`: a malicious libc 0.2.151 reaches getrandom, ash and tokio,
    // but neither cc nor mylib (which depends on libc only through cc).
    let all = wd.run(&["blast", path(&input), "libc"]);
    assert_eq!(stdout(&all).lines().count(), 1 + 5, "{}", stdout(&all));
    let fresh = wd.run(&["blast", path(&input), "libc", "--new-release"]);
    assert_ok(&fresh);
    assert_eq!(
        stdout(&fresh),
        "package,depth,status,reach,path\nash,1,floats,0,ash > libc\ngetrandom,1,floats,0,getrandom > libc\ntokio,1,floats,0,tokio > libc\n"
    );
    assert!(stderr(&fresh).contains("3 packages affected by a malicious next release"), "{}", stderr(&fresh));
    // mylib pins rand exactly at its latest (`=0.9.3`), and is still hit through rand's
    // floating `^0.9` on rand_core.
    let through = wd.run(&["blast", path(&input), "rand_core", "--new-release"]);
    assert_eq!(
        stdout(&through),
        "package,depth,status,reach,path\nrand,1,floats,1,rand > rand_core\nmylib,2,floats,0,mylib > rand > rand_core\n"
    );
    // And the rank column agrees.
    let rank = stdout(&wd.run(&["rank", path(&input)]));
    let libc = rank.lines().find(|l| l.contains(",libc,")).unwrap();
    assert_eq!(libc.split(',').nth(12), Some("3"), "floating_reach: {libc}");
}

fn scenario_graph() -> Graph {
    graph_of(Format::CratesIndex, &fixture("scenarios/crates-index.jsonl"), Profile::default())
}

/// `(package, status)` of everything the scenario hits, sorted.
/// `x` with bad releases `bad`.
fn x(graph: &Graph, bad: Bad) -> Vec<Target> {
    vec![Target { package: graph.find("x").unwrap(), bad }]
}

fn range(r: &str) -> Bad {
    Bad::Range(r.into())
}

fn hits(graph: &Graph, scenario: Scenario, bad: Bad) -> Vec<(String, Status)> {
    let outcome = run(graph, &x(graph, bad), scenario, None, None).unwrap();
    let mut out: Vec<(String, Status)> =
        outcome.search.reached.iter().map(|&v| (graph.name(v).to_string(), outcome.status(v))).collect();
    out.sort();
    out
}

fn named(pairs: &[(&str, Status)]) -> Vec<(String, Status)> {
    let mut out: Vec<(String, Status)> = pairs.iter().map(|(n, s)| (n.to_string(), *s)).collect();
    out.sort();
    out
}

// x has releases 1.0.0, 1.0.1, 1.1.0 (1.2.0 is yanked). pinned =1.0.0, caret ^1.0, tilde
// ~1.0.0, newer ^1.1; app1 → pinned, app2 → caret, app3 → caret + tilde, app4 → newer.

#[test]
fn affected_range_splits_stuck_and_fixable() {
    use Status::*;
    let graph = scenario_graph();
    // 1.0.0 and 1.0.1 are vulnerable: tilde and pinned can only resolve to them; caret can
    // reach 1.1.0; newer never resolves a vulnerable release. app3 is stuck through tilde.
    let expected = named(&[
        ("pinned", Stuck),
        ("tilde", Stuck),
        ("caret", Fixable),
        ("app1", Stuck),
        ("app2", Fixable),
        ("app3", Stuck),
    ]);
    assert_eq!(hits(&graph, Scenario::Affected, range("<1.1.0")), expected);
    let outcome = run(&graph, &x(&graph, range("<1.1.0")), Scenario::Affected, None, None).unwrap();
    assert_eq!(outcome.targets[0].in_range, ["1.0.0", "1.0.1"]);
    assert_eq!(outcome.targets[0].releases, 3, "the yanked 1.2.0 is no release to resolve");
    assert_eq!(outcome.per_depth(), vec![vec![(Stuck, 2), (Fixable, 1)], vec![(Stuck, 2), (Fixable, 1)]]);
}

#[test]
fn removal_breaks_who_has_no_release_left() {
    use Status::Broken;
    let graph = scenario_graph();
    let all = ["pinned", "caret", "tilde", "newer", "app1", "app2", "app3", "app4"];
    assert_eq!(hits(&graph, Scenario::Removed, Bad::All), named(&all.map(|n| (n, Broken))));
    assert_eq!(hits(&graph, Scenario::Removed, range("=1.0.0")), named(&[("pinned", Broken), ("app1", Broken)]));
    assert_eq!(hits(&graph, Scenario::Removed, range(">=1.1.0")), named(&[("newer", Broken), ("app4", Broken)]));
    assert_eq!(hits(&graph, Scenario::Removed, range(">=2")), vec![]);
}

#[test]
fn compromise_hits_every_dependent_and_bad_ranges_are_errors() {
    let graph = scenario_graph();
    assert_eq!(hits(&graph, Scenario::Compromise, Bad::All).len(), 8);
    let err = run(&graph, &x(&graph, range("not a range")), Scenario::Affected, None, None).unwrap_err().to_string();
    assert!(err.contains("not a range") && err.contains("Cargo requirement"), "{err}");
}

#[test]
fn blast_scenarios_write_status_columns() {
    let wd = Workdir::new();
    let input = fixture("scenarios/crates-index.jsonl");
    let out = wd.run(&["blast", path(&input), "x", "--affected", "<1.1.0"]);
    assert_ok(&out);
    let csv = stdout(&out);
    assert!(csv.starts_with("package,depth,status,reach,path\ncaret,1,fixable,2,caret > x\n"), "{csv}");
    let err = stderr(&out);
    assert!(
        err.contains("x 1.1.0: 2 of 3 releases in range (1.0.0, 1.0.1)")
            && err.contains("depth 1: 3 (fixable 1, stuck 2)"),
        "{err}"
    );
    let out = wd.run(&["blast", path(&input), "x", "--removed"]);
    assert!(stdout(&out).lines().skip(1).all(|l| l.contains(",broken,")));
    let out = wd.run(&["blast", path(&input), "x", "--removed", "--affected", "<1"]);
    assert_eq!(out.status.code(), Some(2), "one scenario at a time");
}

#[test]
fn gateways_of_a_diamond() {
    // app1 → gate → x, app2 → gate → x, other → x.
    let wd = Workdir::new();
    let path = wd.create("edges.csv", "dependent,dependency\napp1,gate\napp2,gate\ngate,x\nother,x\n");
    let graph = graph_of(Format::Edges, &path, Profile::default());
    let (x, gate) = (graph.find("x").unwrap(), graph.find("gate").unwrap());
    assert_eq!(dominators(graph.reverse(), graph.forward(), x).gateways, vec![(gate, 2)]);
    let r = reach(graph.reverse(), &NoProgress);
    assert_eq!(r[x as usize], 4);
    assert!(gateway_flag(1, 100, 10_000) && !gateway_flag(2, 100, 10_000) && !gateway_flag(1, 99, 10_000));
}

/// What an incident names blasts as one union: an OSV record (Debian names a source package,
/// whose range is read in Debian's ordering), a project of the alias file, several names; the
/// gateways come with every scenario, and the table can put the most depended-on first.
#[test]
fn an_incident_blasts_as_one_union() {
    let wd = Workdir::new();
    let packages = fixture("Packages");
    // The hand-made record of CVE-2024-3094 affects xz-utils from 5.6.0-0.1: the fixture's
    // 5.4.1-0.2 is outside it, and the command says so.
    let outside = wd.run(&["blast", path(&packages), "--osv", path(&fixture("osv"))]);
    assert_ok(&outside);
    assert_eq!(stdout(&outside), "package,depth,status,reach,path\n");
    let err = stderr(&outside);
    assert!(err.contains("no bad release among the 2 packages named") && err.contains("--compromise"), "{err}");
    // A record whose range holds it: both binary packages of the source are sources.
    let record = wd.path("record.json");
    std::fs::write(
        &record,
        r#"{"id":"TEST-1","affected":[{"package":{"ecosystem":"Debian:12","name":"xz-utils"},
            "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"5.4.0"},{"fixed":"5.4.2-1"}]}]}]}"#,
    )
    .unwrap();
    let summary = wd.path("summary.json");
    let out = wd.run(&["blast", path(&packages), "--osv", path(&record), "--summary", path(&summary)]);
    assert_ok(&out);
    let rows = "libfoo1,1,fixable,1,libfoo1 > xz-utils\npostfix,1,fixable,1,postfix > liblzma5\n\
                bsd-mailx,2,fixable,0,bsd-mailx > postfix > liblzma5\nfoo-tools,2,fixable,0,foo-tools > libfoo1 > xz-utils\n";
    assert_eq!(stdout(&out), format!("package,depth,status,reach,path\n{rows}"));
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    assert_eq!(json["affected"], 4);
    assert_eq!(json["targets"][0]["package"], "liblzma5");
    assert_eq!(json["targets"][1]["fixes"], serde_json::json!(["5.4.2-1"]));
    assert_eq!(
        json["gateways"],
        serde_json::json!([{"gateway": "libfoo1", "dominated": 1}, {"gateway": "postfix", "dominated": 1}])
    );
    // The project of the alias file, and the same packages by name, give the same union.
    let aliases = fixture("../aliases.toml");
    let project = wd.run(&["blast", path(&packages), "--project", "xz", "--aliases", path(&aliases)]);
    let names = wd.run(&["blast", path(&packages), "liblzma5", "xz-utils"]);
    assert_ok(&project);
    assert_eq!(stdout(&project), stdout(&names));
    assert_eq!(stdout(&project), format!("package,depth,status,reach,path\n{}", rows.replace("fixable", "affected")));
    assert!(stderr(&project).contains("gateways") && stderr(&project).contains("libfoo1: 1"), "{}", stderr(&project));
    // Gateways of a removal too.
    let removed = wd.run(&["blast", path(&packages), "--project", "xz", "--aliases", path(&aliases), "--removed"]);
    assert!(stderr(&removed).contains("libfoo1: 1"), "{}", stderr(&removed));
    // By importance: the packages with dependents of their own first.
    let ordered = wd.run(&["blast", path(&packages), "liblzma5", "--order", "importance"]);
    let text = stdout(&ordered);
    let first: Vec<&str> = text.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(first, ["xz-utils", "postfix", "libfoo1", "bsd-mailx", "foo-tools"], "by reach, then depth, then name");
    // Unknown projects get suggestions; an incident must name something.
    let unknown = wd.run(&["blast", path(&packages), "--project", "xz-util"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("no project named `xz-util`; did you mean: xz-utils?"), "{}", stderr(&unknown));
    let nothing = wd.run(&["blast", path(&packages)]);
    assert!(stderr(&nothing).contains("name what the incident hits"), "{}", stderr(&nothing));
}
