//! `keystone report`: the committee's JSON on the Debian fixture (answers worked out by hand)
//! and on the embedded Debian graph with the Omega list and the xz advisory, bad side files,
//! and the page in a real browser (headless Chromium).

use serde_json::Value;

use crate::browser::Chromium;
use crate::workdir::{assert_ok, dataset, fixture, path, stderr, Workdir};

const ALIASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/aliases.toml");
const XZ_OSV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/fixtures/osv");

fn read_json(path: &std::path::Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The fixture's projects by score, each with its evidence: glibc (libc6: 7 direct dependents,
/// 2 more at depth 2), gcc-12 (two members, reached through libc6), xz-utils (liblzma5 and
/// xz-utils; libfoo1 and postfix directly, foo-tools and bsd-mailx behind them). A list names
/// glibc by package name; the spotlight includes postfix and excludes gcc-12, each shown with
/// its rationale.
#[test]
fn report_json_on_the_fixture() {
    let wd = Workdir::new();
    let list = wd.create("list.csv", "ecosystem,name\ndebian,LIBC6\ndebian,no-such-package\nnpm,left-pad\n");
    let spotlight = wd.create(
        "spotlight.csv",
        "project,action,rationale,added_by,added_at\n\
         postfix,include,Mail delivery on every server,committee,2026-11-30\n\
         gcc-12,exclude,Funded already,committee,2026-11-30\n",
    );
    let out = wd.path("report.json");
    let list_arg = format!("Fund={}", path(&list));
    let packages = fixture("Packages");
    let args = ["report", path(&packages), "--top", "2", "--listed-by", &list_arg];
    assert_ok(&wd.run(&[&args[..], &["--spotlight", path(&spotlight), "-o", path(&out)]].concat()));
    let report = read_json(&out);
    let shortlist = report["shortlist"].as_array().unwrap();
    let projects: Vec<&str> = shortlist.iter().map(|c| c["project"].as_str().unwrap()).collect();
    assert_eq!(projects, ["glibc", "xz-utils", "postfix"], "gcc-12 excluded, postfix included");
    let glibc = &shortlist[0];
    assert_eq!(
        (glibc["rank"].as_u64(), glibc["reach"].as_u64(), glibc["direct_dependents"].as_u64()),
        (Some(1), Some(9), Some(7))
    );
    assert_eq!(glibc["reach_by_depth"], serde_json::json!([7, 2]));
    assert_eq!(glibc["listed_by"], serde_json::json!([{"list": "Fund", "sources": []}]));
    assert_eq!(glibc["score"]["score"].as_f64(), Some(1.0));
    let xz = &shortlist[1];
    assert_eq!(xz["members"], serde_json::json!(["liblzma5", "xz-utils"]));
    assert_eq!((xz["reach"].as_u64(), xz["direct_dependents"].as_u64()), (Some(4), Some(2)));
    assert_eq!(xz["reach_by_depth"], serde_json::json!([2, 2]));
    assert_eq!(xz["listed_by"], serde_json::json!([]));
    assert_eq!(shortlist[2]["spotlight"]["rationale"], "Mail delivery on every server");
    assert_eq!(report["excluded"][0]["project"], "gcc-12");
    assert_eq!(report["excluded"][0]["rationale"], "Funded already");
    let list = &report["lists"][0];
    assert_eq!(
        (list["rows"].as_u64(), list["rows_in_scope"].as_u64(), list["matched_by_name"].as_u64()),
        (Some(3), Some(2), Some(1))
    );
    assert_eq!(list["unmatched_examples"], serde_json::json!(["line 3: debian no-such-package"]));
    // Blind spots: the highest-reach projects the list does not name, glibc not among them.
    let blind: Vec<&str> =
        report["blind_spots"].as_array().unwrap().iter().map(|b| b["project"].as_str().unwrap()).collect();
    assert_eq!(&blind[..2], ["gcc-12", "xz-utils"]);
    // The provenance names every input with its hash.
    let inputs = report["provenance"]["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 3);
    assert!(inputs.iter().all(|i| i["sha256"].as_str().is_some_and(|h| h.len() == 64)));
    // The same command writes the same bytes.
    let first = std::fs::read(&out).unwrap();
    assert_ok(&wd.run(&[&args[..], &["--spotlight", path(&spotlight), "-o", path(&out)]].concat()));
    assert!(std::fs::read(&out).unwrap() == first, "the report changed between two runs");
}

/// On the embedded Debian graph with the Omega top 10k list and the xz record, xz is in the top
/// 10 with dpkg as its gateway, the advisory, and "listed by Omega (Debian Popularity
/// Contest)"; the blind spots are high-reach projects Omega does not name.
#[test]
fn report_on_debian_with_the_omega_list_and_the_xz_record() {
    let Some(omega) = dataset("lists/alpha-omega-omega-top10k-2023-08.csv.zst") else { return };
    let wd = Workdir::new();
    let out = wd.path("report.json");
    let list = format!("Omega={}", path(&omega));
    let run = wd.run(&[
        "report",
        "--aliases",
        ALIASES,
        "--osv",
        XZ_OSV,
        "--listed-by",
        &list,
        "--top",
        "20",
        "-o",
        path(&out),
    ]);
    assert_ok(&run);
    let report = read_json(&out);
    let shortlist = report["shortlist"].as_array().unwrap();
    let xz = shortlist.iter().find(|c| c["project"] == "xz").expect("xz is shortlisted");
    assert!(xz["rank"].as_u64().unwrap() <= 10, "{}", xz["rank"]);
    assert_eq!(xz["top_gateway"], "dpkg");
    assert_eq!(xz["gateway_flag"], true);
    assert_eq!(xz["advisories"], serde_json::json!([{"id": "DEBIAN-CVE-2024-3094", "aliases": ["CVE-2024-3094"]}]));
    assert_eq!(xz["listed_by"], serde_json::json!([{"list": "Omega", "sources": ["Debian Popularity Contest"]}]));
    // Its top package's floating reach is the one `rank` gives liblzma5.
    let rank = crate::workdir::stdout(&wd.run(&["rank", "--top", "10"]));
    let header: Vec<&str> = rank.lines().next().unwrap().split(',').collect();
    let row: Vec<&str> = rank.lines().find(|l| l.split(',').nth(1) == Some("liblzma5")).unwrap().split(',').collect();
    let floating = row[header.iter().position(|&h| h == "floating_reach").unwrap()];
    assert_eq!(
        (xz["top_package"].as_str(), xz["top_package_floating_reach"].to_string()),
        (Some("liblzma5"), floating.to_string())
    );
    let blind = report["blind_spots"].as_array().unwrap();
    assert!(blind.len() >= 10);
    for b in blind {
        let listed = shortlist.iter().find(|c| c["project"] == b["project"]).map(|c| c["listed_by"].clone());
        assert!(listed.is_none_or(|l| l == serde_json::json!([])), "{b}");
        assert!(b["reach"].as_u64().unwrap() >= 1000, "{b}");
    }
    assert!(stderr(&run).is_empty() || !stderr(&run).contains("not matched"), "{}", stderr(&run));
}

/// Bad side files stop the report before anything is written, naming the file, line and field.
#[test]
fn report_refuses_bad_side_files() {
    let wd = Workdir::new();
    let out = wd.path("report.html");
    let packages = fixture("Packages");
    let cases = [
        (
            "spotlight.csv",
            "project,action,rationale,added_by,added_at\nglibc,include,,me,2026-11-30\n",
            "--spotlight",
            "spotlight.csv:2: `rationale` is empty",
        ),
        (
            "spotlight2.csv",
            "project,action,rationale,added_by\nglibc,include,why,me\n",
            "--spotlight",
            "spotlight2.csv:2",
        ),
        (
            "spotlight3.csv",
            "project,action,rationale,added_by,added_at\nglibc,promote,why,me,now\n",
            "--spotlight",
            "include or exclude",
        ),
        (
            "spotlight4.csv",
            "project,action,rationale,added_by,added_at\nnope,include,why,me,now\n",
            "--spotlight",
            "`nope` is not a project",
        ),
        (
            "list.csv",
            "package,downloads\nx,1\n",
            "--listed-by",
            "list.csv:1: expected the header of a known list layout",
        ),
    ];
    for (name, text, flag, says) in cases {
        let file = wd.create(name, text);
        let value = if flag == "--listed-by" { format!("L={}", path(&file)) } else { path(&file).to_string() };
        let run = wd.run(&["report", path(&packages), flag, &value, "-o", path(&out)]);
        assert!(!run.status.success() && stderr(&run).contains(says), "{name}: {}", stderr(&run));
        assert!(!out.exists(), "no page is half-written");
    }
    let run = wd.run(&["report", path(&packages), "-o", path(&wd.path("report.pdf"))]);
    assert!(stderr(&run).contains(".html (the page) or .json"), "{}", stderr(&run));
    // An advisory naming no package of the graph is a note, not an error.
    let osv = wd.create("osv.jsonl", r#"{"id":"GHSA-x","affected":[{"package":{"ecosystem":"npm","name":"colors"}}]}"#);
    let run = wd.run(&["report", path(&packages), "--osv", path(&osv), "-o", path(&out)]);
    assert_ok(&run);
    assert!(
        stderr(&run).contains("GHSA-x: npm colors not matched: the graph holds no npm packages"),
        "{}",
        stderr(&run)
    );
}

/// The page in headless Chromium, from `file://`: no console errors and no network requests;
/// the shortlist has its rows; sorting by reach reorders them; the chart has one mark per
/// point (and a ring for each of the first ten); a card opens. A screenshot is written to the
/// target folder.
#[test]
fn report_page_in_a_real_browser() {
    let Some(mut browser) = Chromium::start() else { return };
    let wd = Workdir::new();
    let (page, json) = (wd.path("report.html"), wd.path("report.json"));
    for out in [&page, &json] {
        assert_ok(&wd.run(&["report", "--aliases", ALIASES, "--osv", XZ_OSV, "--top", "30", "-o", path(out)]));
    }
    let report = read_json(&json);
    browser.open(&page);
    assert_eq!(browser.eval("document.querySelectorAll('#shortlist-table tbody tr').length"), 30);
    assert_eq!(browser.eval("performance.getEntriesByType('resource').length"), 0, "no request leaves the page");
    // Sorting by reach, largest first.
    browser.click("button[data-sort='reach']");
    let reaches = browser
        .eval("Array.from(document.querySelectorAll('#shortlist-table tbody tr')).map(r => Number(r.dataset.reach))");
    let reaches: Vec<u64> = reaches.as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
    let mut sorted = reaches.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(reaches, sorted);
    let ranks = browser
        .eval("Array.from(document.querySelectorAll('#shortlist-table tbody tr')).map(r => Number(r.dataset.rank))");
    assert!(ranks != serde_json::json!((1..=30).collect::<Vec<u32>>()), "sorting by reach changed the order");
    // One mark per point, and a ring around each of the first ten projects' top packages.
    let points = report["chart"]["points"].as_array().unwrap();
    let ringed = points.iter().filter(|p| p["shortlisted"].as_u64().is_some_and(|r| r <= 10)).count();
    let marks = browser.eval("document.querySelector('#xz-shape + figure svg').querySelectorAll('circle').length");
    assert_eq!(marks, (points.len() + ringed) as u64);
    // A card opens from its row's link; the search filters the rows.
    assert_eq!(browser.eval("document.getElementById('card-1').open"), false);
    browser.click("a[href='#card-1']");
    assert_eq!(browser.eval("document.getElementById('card-1').open"), true);
    browser.eval("const s = document.getElementById('search'); s.value = 'xz'; s.dispatchEvent(new Event('input'))");
    assert_eq!(browser.eval("Array.from(document.querySelectorAll('#shortlist-table tbody tr')).filter(r => !r.hidden).map(r => r.dataset.project)"), serde_json::json!(["xz"]));
    browser.screenshot(&std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-screenshot.png"));
    assert_eq!(browser.errors(), Vec::<String>::new(), "the page reported errors");
}

/// On a snapshot of four ecosystems, each project is ranked within its ecosystem too (each
/// ecosystem's first scores 1), and the ecosystems whose inputs give no project are said.
#[test]
fn report_ranks_within_each_ecosystem_of_a_mixed_snapshot() {
    let wd = Workdir::new();
    let snap = wd.path("mixed.snap");
    let fixtures = ["crates-index.jsonl", "Packages", "pypi/pypi-api.jsonl", "npm/packuments.jsonl"].map(fixture);
    let mut args = vec!["ingest", "-o", path(&snap)];
    args.extend(fixtures.iter().map(|p| path(p)));
    assert_ok(&wd.run(&args));
    let (page, json) = (wd.path("report.html"), wd.path("report.json"));
    for out in [&page, &json] {
        assert_ok(&wd.run(&["report", path(&snap), "--top", "40", "-o", path(out)]));
    }
    let report = read_json(&json);
    let shortlist = report["shortlist"].as_array().unwrap();
    for ecosystem in ["crates", "debian", "npm", "pypi"] {
        let within: Vec<u64> = shortlist
            .iter()
            .filter(|c| c["ecosystem"] == ecosystem)
            .map(|c| c["ecosystem_rank"].as_u64().unwrap())
            .collect();
        assert_eq!(within, (1..=within.len() as u64).collect::<Vec<_>>(), "{ecosystem}");
        let first = shortlist.iter().find(|c| c["ecosystem"] == ecosystem).unwrap();
        assert_eq!(first["score"]["score"].as_f64(), Some(1.0), "{ecosystem}");
    }
    let without: Vec<&str> = report["ecosystems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["packages_with_project"] == 0)
        .map(|e| e["ecosystem"].as_str().unwrap())
        .collect();
    assert_eq!(without, ["crates", "npm", "pypi"]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert_eq!(html.matches("no project information").count(), 3);
}

/// OSV records read the same from a folder of `.json` files, a zip of them (as osv.dev ships
/// each ecosystem), and JSON lines.
#[test]
fn osv_records_from_a_folder_a_zip_or_json_lines() {
    use std::io::Write;
    let wd = Workdir::new();
    let record = std::fs::read_to_string(std::path::Path::new(XZ_OSV).join("DEBIAN-CVE-2024-3094.json")).unwrap();
    let zipped = wd.path("Debian.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zipped).unwrap());
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("DEBIAN-CVE-2024-3094.json", stored).unwrap();
    zip.write_all(record.as_bytes()).unwrap();
    zip.finish().unwrap();
    let value: Value = serde_json::from_str(&record).unwrap();
    let lines = wd.create("osv.jsonl", format!("{value}\n"));
    let packages = fixture("Packages");
    let advisories = |osv: &std::path::Path| {
        let out = wd.path("report.json");
        assert_ok(&wd.run(&["report", path(&packages), "--top", "3", "--osv", path(osv), "-o", path(&out)]));
        let report = read_json(&out);
        let xz = report["shortlist"].as_array().unwrap().iter().find(|c| c["project"] == "xz-utils").cloned().unwrap();
        xz["advisories"].clone()
    };
    let expected = serde_json::json!([{"id": "DEBIAN-CVE-2024-3094", "aliases": ["CVE-2024-3094"]}]);
    for osv in [std::path::Path::new(XZ_OSV), &zipped, &lines] {
        assert_eq!(advisories(osv), expected, "{}", osv.display());
    }
    let broken = wd.create("broken.zip", "not a zip");
    let run = wd.run(&["report", path(&packages), "--osv", path(&broken), "-o", path(&wd.path("r.json"))]);
    assert!(stderr(&run).contains("broken.zip: expected a zip of OSV records"), "{}", stderr(&run));
}
