//! The `ingest` command and reading inputs: one snapshot that every command then runs on, one
//! snapshot holding several ecosystems (linked across them), bad input in any format (named by
//! file and line, nothing written, or skipped with `--skip-bad`), and tarballs whose member
//! names point outside (read in memory, never written).

use std::path::Path;

use keystone::graph::snapshot;
use keystone::ingest::Format;
use keystone::model::Profile;

use crate::workdir::{assert_ok, edge_list, fixture, graph_of, path, stderr, stdout, Workdir};

#[test]
fn ingest_then_every_command_on_the_snapshot() {
    let wd = Workdir::new();
    let snap = wd.path("debian.snap");
    let out = wd.run(&["ingest", path(&fixture("Packages")), "-o", path(&snap)]);
    assert_ok(&out);
    assert!(stderr(&out).contains("14 packages, 19 edges"), "{}", stderr(&out));

    let from_raw = wd.run(&["rank", path(&fixture("Packages"))]);
    let from_snap = wd.run(&["rank", path(&snap)]);
    assert_eq!(stdout(&from_raw), stdout(&from_snap));

    let blast = wd.run(&["blast", path(&snap), "liblzma5"]);
    assert_ok(&blast);
    assert!(stderr(&blast).contains("liblzma5 5.4.1-0.2: 5 packages affected"), "{}", stderr(&blast));
    assert_eq!(
        stdout(&blast),
        "package,depth,status,reach,path\n\
         postfix,1,affected,1,postfix > liblzma5\n\
         xz-utils,1,affected,2,xz-utils > liblzma5\n\
         bsd-mailx,2,affected,0,bsd-mailx > postfix > liblzma5\n\
         libfoo1,2,affected,1,libfoo1 > xz-utils > liblzma5\n\
         foo-tools,3,affected,0,foo-tools > libfoo1 > xz-utils > liblzma5\n"
    );
    let limited = wd.run(&["blast", path(&snap), "debian/liblzma5", "--max-depth", "1"]);
    assert_eq!(stdout(&limited).lines().count(), 3);

    let why = wd.run(&["why", path(&snap), "foo-tools", "liblzma5"]);
    assert_eq!(why.status.code(), Some(0));
    assert_eq!(stdout(&why), "foo-tools > libfoo1 > xz-utils > liblzma5\n");
    let not = wd.run(&["why", path(&snap), "liblzma5", "foo-tools"]);
    assert_eq!(not.status.code(), Some(1));
    assert!(stdout(&not).contains("liblzma5 does not depend on foo-tools"));

    let stats = wd.run(&["stats", path(&snap)]);
    assert!(stats.status.success());
    let text = stdout(&stats);
    assert!(text.contains("packages: 14 (debian: 14)"), "{text}");
    assert!(text.contains("cycles: 1 components holding 2 packages"), "{text}");

    // 19 edges, and a row for each of the 4 packages without dependencies.
    let edges = wd.run(&["edges", path(&snap)]);
    assert_eq!(stdout(&edges).lines().count(), 1 + 19 + 4);

    // Shaping flags belong to ingest, not to a snapshot.
    let refused = wd.run(&["rank", path(&snap), "--with-dev"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("apply when ingesting"));
}

#[test]
fn one_snapshot_holds_several_ecosystems() {
    let wd = Workdir::new();
    // Cross-ecosystem links: the libc crate binds Debian's libc6; an npm package named `cc`
    // makes the bare name `cc` ambiguous.
    let links = wd.create("links.csv", "dependent,dependency\ncrates/libc,debian/libc6\nnpm/cc,npm/ms\n");
    let snap = wd.path("all.snap");
    let inputs = [fixture("crates-index.jsonl"), fixture("Packages"), fixture("npm/packuments.jsonl"), links];
    let mut args = vec!["ingest", "-o", path(&snap)];
    args.extend(inputs.iter().map(|p| path(p)));
    let out = wd.run(&args);
    assert_ok(&out);

    let stats = stdout(&wd.run(&["stats", path(&snap)]));
    assert!(stats.contains("crates: 12, debian: 14, npm: "), "{stats}");

    let blast = wd.run(&["blast", path(&snap), "debian/libc6"]);
    assert_ok(&blast);
    let text = stdout(&blast);
    assert!(text.contains("\ncrates/libc,1,affected,5,crates/libc > debian/libc6\n"), "{text}");
    assert!(text.contains("\ncrates/tokio,2,affected,0,crates/tokio > crates/libc > debian/libc6\n"), "{text}");

    let why = wd.run(&["why", path(&snap), "crates/mylib", "libc6"]);
    assert_eq!(stdout(&why), "crates/mylib > crates/cc > crates/libc > debian/libc6\n");

    let ambiguous = wd.run(&["blast", path(&snap), "cc"]);
    assert_eq!(ambiguous.status.code(), Some(2));
    assert!(stderr(&ambiguous).contains("crates/cc, npm/cc"), "{}", stderr(&ambiguous));

    // The mixed graph's edge list reads back as the same graph.
    let edges = wd.path("edges.csv");
    assert_ok(&wd.run(&["edges", path(&snap), "-o", path(&edges)]));
    let again = wd.path("again.snap");
    assert_ok(&wd.run(&["ingest", path(&edges), "-o", path(&again)]));
    assert_eq!(stdout(&wd.run(&["edges", path(&again)])), std::fs::read_to_string(&edges).unwrap());
}

#[test]
fn bad_input_names_file_and_line_and_writes_nothing() {
    let wd = Workdir::new();
    let cases: [(&str, &str, &str); 4] = [
        ("bad.jsonl", "{\"name\":\"a\",\"vers\":\"1.0.0\",\"deps\":[],\"yanked\":false}\nnot json\n", "bad.jsonl:2:"),
        ("Packages", "Package: a\nVersion: 1\n\nPackage: b\nVersion: 1\nDepends: c (>= 1), (broken\n", "Packages:6:"),
        ("edges.csv", "a,b\nb,c,weird-kind\n", "edges.csv:2:"),
        ("more-edges.csv", "a,b\nonly-one-field\n", "more-edges.csv:2:"),
    ];
    for (name, content, location) in cases {
        let input = wd.create(name, content);
        let output = wd.path(&format!("{name}.out.csv"));
        let out = wd.run(&["rank", path(&input), "-o", path(&output)]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert!(stderr(&out).contains(location), "{name}: {}", stderr(&out));
        assert!(!output.exists(), "{name}: nothing may be written");
        let skipped = wd.run(&["rank", path(&input), "--skip-bad", "-o", path(&output)]);
        assert!(skipped.status.success(), "{name}: {}", stderr(&skipped));
        assert!(stderr(&skipped).contains("skipped 1 bad record;"), "{name}: {}", stderr(&skipped));
    }
    let unknown = wd.create("mystery.bin", "x");
    let out = wd.run(&["rank", path(&unknown)]);
    assert!(stderr(&out).contains("pass --format"), "{}", stderr(&out));
}

/// A ustar header for `name` (written byte for byte: `tar::Builder` itself refuses `..` and
/// absolute names, as a hostile archive would not).
fn raw_member(name: &str, data: &[u8]) -> Vec<u8> {
    let mut header = tar::Header::new_ustar();
    header.as_ustar_mut().unwrap().name[..name.len()].copy_from_slice(name.as_bytes());
    header.set_size(data.len() as u64);
    header.set_mode(0o644);
    header.set_entry_type(tar::EntryType::Regular);
    header.set_cksum();
    let mut out = header.as_bytes().to_vec();
    out.extend_from_slice(data);
    out.resize(out.len().next_multiple_of(512), 0);
    out
}

fn tarball(members: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut out: Vec<u8> = members.iter().flat_map(|(name, data)| raw_member(name, data)).collect();
    out.extend_from_slice(&[0; 1024]);
    out
}

#[test]
fn tarball_members_named_outside_are_read_in_memory_never_written() {
    let wd = Workdir::new();
    let work = wd.path("work/a/b");
    std::fs::create_dir_all(&work).unwrap();
    let outside = wd.path("outside");
    let data = |name: &str| std::fs::read(fixture("crates-db-dump/data").join(name)).unwrap();
    let absolute = format!("{}/data/crates.csv", outside.display());
    let db_dump = tarball(&[
        (absolute.as_str(), data("crates.csv")),
        ("../../escaped/data/versions.csv", data("versions.csv")),
        ("x/../../../escaped/data/dependencies.csv", data("dependencies.csv")),
    ]);
    std::fs::write(work.join("db-dump.tar"), &db_dump).unwrap();
    let pypi = |name: &str| std::fs::read(fixture("pypi/deps-db").join(name)).unwrap();
    let deps_db = tarball(&[
        ("/pypi-escaped/sdist/00.json", pypi("sdist/00.json")),
        ("../../pypi-escaped/sdist/01.json", pypi("sdist/01.json")),
        ("../../../../../../../../pypi-escaped/wheel/00.json", pypi("wheel/00.json")),
    ]);
    std::fs::write(work.join("pypi-deps-db.tar"), &deps_db).unwrap();

    for (input, snap, folder, format) in [
        ("db-dump.tar", "crates.snap", fixture("crates-db-dump"), Format::CratesDump),
        ("pypi-deps-db.tar", "pypi.snap", fixture("pypi/deps-db"), Format::PypiDepsDb),
    ] {
        let out = wd.run_in("work/a/b", &["ingest", input, "-o", snap]);
        assert!(out.status.success(), "{input}: {}", stderr(&out));
        // The members were read in memory, by name, as the folder's files are.
        let from_tar = snapshot::load(&work.join(snap)).unwrap();
        assert_eq!(edge_list(&from_tar), edge_list(&graph_of(format, &folder, Profile::default())));
    }
    // Nothing was written but the two snapshots, inside or outside the working folder.
    assert_eq!(
        wd.files(),
        ["work/a/b/crates.snap", "work/a/b/db-dump.tar", "work/a/b/pypi-deps-db.tar", "work/a/b/pypi.snap"]
    );
    assert!(!Path::new("/pypi-escaped").exists());

    // A bad row in such a member is reported under the member's name as written.
    let mut versions = data("versions.csv");
    versions.extend_from_slice(b"not,a,version,row\n");
    let broken = tarball(&[(absolute.as_str(), data("crates.csv")), ("../../escaped/data/versions.csv", versions)]);
    std::fs::write(work.join("db-dump-broken.tar"), broken).unwrap();
    let out = wd.run_in("work/a/b", &["rank", "db-dump-broken.tar", "-o", "rank.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("db-dump-broken.tar:../../escaped/data/versions.csv:"), "{}", stderr(&out));
    assert!(!work.join("rank.csv").exists());
}

/// Inputs that cannot be read say why: no such file, a folder of no known layout, a file that
/// is neither a snapshot nor of a known name, and a file with no records at all.
#[test]
fn unreadable_inputs_say_why() {
    let wd = Workdir::new();
    let empty = wd.create("Packages", "");
    let garbage = wd.create("garbage.bin", "\x00\x01 not a graph");
    std::fs::create_dir(wd.path("folder")).unwrap();
    for (input, expected) in [
        ("nothing-here.csv", "nothing-here.csv: no such file or folder"),
        ("folder", "folder: a folder keystone does not read: expected a crates.io db-dump (data/crates.csv)"),
        (path(&garbage), "garbage.bin: not a snapshot (which starts with `KEYSTONE`), and the name does not tell"),
        (path(&empty), "Packages: holds no package records, read as debian"),
    ] {
        let out = wd.run(&["rank", input]);
        assert_eq!(out.status.code(), Some(2), "{input}");
        assert!(stderr(&out).contains(expected), "{input}: {}", stderr(&out));
    }
}

/// Records the phases a read went through, with the byte meters they showed.
#[derive(Default)]
struct Phases(std::sync::Mutex<Vec<(String, keystone::progress::Work)>>);

impl keystone::progress::Progress for Phases {
    fn phase(&self, name: &str, work: keystone::progress::Work) {
        self.0.lock().unwrap().push((name.to_string(), work));
    }
    fn advance(&self, _: u64) {}
}

#[test]
fn reading_phases_count_the_bytes_read_as_stored_out_of_their_size() {
    use keystone::progress::Work;
    let debian = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/debian/bookworm_main_amd64_Packages.xz");
    let inputs = [
        (Format::Debian, debian),
        (Format::CratesIndex, fixture("crates-index-tree")),
        (Format::CratesDump, fixture("crates-db-dump")),
    ];
    for (format, input) in inputs {
        let phases = Phases::default();
        format.reader().read(&input, &Default::default(), &phases).unwrap();
        let phases = phases.0.into_inner().unwrap();
        let meters: Vec<_> = phases
            .iter()
            .filter_map(|(name, work)| match work {
                Work::Bytes(meter) => Some((name, meter)),
                _ => None,
            })
            .collect();
        assert!(!meters.is_empty(), "{format}: {:?}", phases.iter().map(|p| &p.0).collect::<Vec<_>>());
        for (name, meter) in meters {
            // A file's size; a folder's files' sizes, known before any is read.
            let stored = match input.is_dir() {
                false => std::fs::metadata(&input).unwrap().len(),
                true => meter.total().filter(|&total| total > 0).unwrap(),
            };
            assert_eq!(meter.total(), Some(stored), "{format}: {name}");
            assert_eq!(meter.read(), stored, "{format}: {name} read all of it, as stored");
        }
    }
}
