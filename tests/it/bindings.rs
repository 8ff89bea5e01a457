//! Bindings: `keystone bindings` lists the candidates raw inputs show (crates declaring
//! `links`, against Debian's library packages), and an alias file's `[bindings]` adds them as
//! edges, so that a native library's reach runs on into the registries that bind it.

use crate::workdir::{assert_ok, path, stderr, stdout, Workdir};

/// Hand-made inputs: Debian's liblzma5 and zlib1g (which provides libz1), and crates binding
/// them, with one crate (`app`) two levels above lzma-sys.
fn inputs(wd: &Workdir) -> [std::path::PathBuf; 2] {
    let packages = wd.create(
        "Packages",
        "Package: liblzma5\nSource: xz-utils\nVersion: 5.4.1-1\n\n\
         Package: liblzma-dev\nSource: xz-utils\nVersion: 5.4.1-1\nDepends: liblzma5\n\n\
         Package: zlib1g\nSource: zlib\nVersion: 1:1.2.13.dfsg-1\nProvides: libz1\n\n\
         Package: libz3-4\nSource: z3\nVersion: 4.8.12-3.1\n\n\
         Package: dpkg\nVersion: 1.21.22\nPre-Depends: liblzma5 (>= 5.4.0), zlib1g\n",
    );
    let index = wd.create(
        "crates-index.jsonl",
        concat!(
            r#"{"name":"lzma-sys","vers":"0.1.20","deps":[],"features":{},"yanked":false,"links":"lzma"}"#,
            "\n",
            r#"{"name":"libz-sys","vers":"1.1.22","deps":[],"features":{},"yanked":false,"links":"z"}"#,
            "\n",
            r#"{"name":"xz2","vers":"0.1.7","deps":[{"name":"lzma-sys","req":"^0.1.20","features":[],"optional":false,"default_features":true,"target":null,"kind":"normal"}],"features":{},"yanked":false}"#,
            "\n",
            r#"{"name":"app","vers":"1.0.0","deps":[{"name":"xz2","req":"^0.1","features":[],"optional":false,"default_features":true,"target":null,"kind":"normal"}],"features":{},"yanked":false}"#,
            "\n",
        ),
    );
    [packages, index]
}

#[test]
fn candidates_come_from_links_and_library_names() {
    let wd = Workdir::new();
    let [packages, index] = inputs(&wd);
    let out = wd.run(&["bindings", path(&packages), path(&index)]);
    assert_ok(&out);
    assert_eq!(
        stdout(&out),
        "binding,library,evidence\n\
         crates/libz-sys,debian/zlib1g,\"links = \"\"z\"\"\"\n\
         crates/lzma-sys,debian/liblzma5,\"links = \"\"lzma\"\"\"\n"
    );
    assert!(stderr(&out).contains("2 candidate bindings to review"), "{}", stderr(&out));
    let snap = wd.path("all.snap");
    assert_ok(&wd.run(&["ingest", path(&packages), path(&index), "-o", path(&snap)]));
    let out = wd.run(&["bindings", path(&snap)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is a snapshot, which keeps neither `links` nor `Provides`"), "{}", stderr(&out));
}

#[test]
fn alias_bindings_carry_reach_across_ecosystems() {
    let wd = Workdir::new();
    let [packages, index] = inputs(&wd);
    let aliases = wd.create(
        "aliases.toml",
        "[bindings]\n\"crates/LZMA_SYS\" = [\"debian/liblzma5\"]\n\"pypi/pycurl\" = [\"debian/libcurl4\"]\n",
    );
    let plain = wd.path("plain.snap");
    assert_ok(&wd.run(&["ingest", path(&packages), path(&index), "-o", path(&plain)]));
    let bound = wd.path("bound.snap");
    let out = wd.run(&["ingest", path(&packages), path(&index), "-o", path(&bound), "--aliases", path(&aliases)]);
    assert_ok(&out);
    assert!(
        stderr(&out).contains(
            "aliases.toml: 1 new edge from bindings (1 binding edge into ecosystems the graph does not hold skipped)"
        ),
        "{}",
        stderr(&out)
    );
    let reached = |out: &std::process::Output| {
        stdout(out).lines().skip(1).map(|l| l.split(',').next().unwrap().to_string()).collect::<Vec<_>>()
    };
    let out = wd.run(&["blast", path(&plain), "debian/liblzma5"]);
    assert_eq!(reached(&out), ["debian/dpkg", "debian/liblzma-dev"]);
    // Baked into the snapshot, or added when a command loads a plain one: the same edges.
    for out in [
        wd.run(&["blast", path(&bound), "debian/liblzma5"]),
        wd.run(&["blast", path(&plain), "debian/liblzma5", "--aliases", path(&aliases)]),
    ] {
        assert_ok(&out);
        assert_eq!(reached(&out), ["debian/dpkg", "debian/liblzma-dev", "crates/lzma-sys", "crates/xz2", "crates/app"]);
        assert!(stdout(&out)
            .contains("crates/app,3,affected,0,crates/app > crates/xz2 > crates/lzma-sys > debian/liblzma5"));
    }
    // A binding naming a package the graph lacks is an error naming the file.
    std::fs::write(&aliases, "[bindings]\n\"crates/lzma-sys\" = [\"debian/liblzma\"]\n").unwrap();
    let out = wd.run(&["blast", path(&plain), "debian/liblzma5", "--aliases", path(&aliases)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("aliases.toml") && stderr(&out).contains("did you mean: debian/liblzma5"),
        "{}",
        stderr(&out)
    );
}
