//! `keystone serve` over HTTP on an ephemeral loopback port: every endpoint, every error
//! status, answers equal to the command line's (also under concurrent requests), Ctrl-C, the
//! page in a real browser, and the crates.io snapshot.

use serde_json::{json, Value};

use crate::browser::Chromium;
use crate::http::{Connection, Server};
use crate::workdir::{assert_ok, dataset, fixture, path, stdout, Workdir};

const ALIASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/aliases.toml");

fn fixture_server() -> Server {
    Server::start(&[path(&fixture("Packages")), "--aliases", ALIASES])
}

#[test]
fn serve_answers_every_endpoint_as_the_command_line_does() {
    let server = fixture_server();
    let wd = Workdir::new();
    let packages = fixture("Packages");

    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert_eq!(page.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(page.text().contains("keystone: who breaks?") && page.text().contains("14 packages"), "{}", page.text());
    assert!(page.header("content-security-policy").unwrap().contains("connect-src 'self'"));
    let info = server.get("/api/info").json();
    assert_eq!((info["packages"].as_u64(), info["max_page"].as_u64()), (Some(14), Some(1000)));

    // Search as you type: names starting with the text, the most depended-on first; projects.
    let found = server.get("/api/search?q=LIBLZ").json();
    assert_eq!(
        found["packages"][0],
        json!({"package": "liblzma5", "ecosystem": "debian", "version": "5.4.1-0.2", "reach": 5})
    );
    assert_eq!(server.get("/api/search?q=xz").json()["projects"][0]["project"], "xz");
    let typo = server.get("/api/search?q=liblzmq5").json();
    assert_eq!((typo["packages"].as_array().unwrap().len(), &typo["suggestions"][0]), (0, &json!("liblzma5")));

    // Cards: a package's facts and its project's card, as the report has it.
    let card = server.get("/api/card?package=liblzma5").json();
    assert_eq!(
        (&card["package"]["project"], &card["card"]["project"], &card["card"]["reach"]),
        (&json!("xz"), &json!("xz"), &json!(4))
    );
    let html = server.get("/card?project=xz");
    assert!(html.text().starts_with("<details class=\"card\"") && html.text().contains("<svg"), "{}", html.text());

    // Blast: the summary, the rows and the downloads equal the command's files.
    let (summary, rows, parquet) = (wd.path("s.json"), wd.path("rows.jsonl"), wd.path("rows.parquet"));
    let cli = ["blast", path(&packages), "--project", "xz", "--aliases", ALIASES, "--order", "importance"];
    let csv = wd.run(&[&cli[..], &["--summary", path(&summary)]].concat());
    assert_ok(&csv);
    assert_ok(&wd.run(&[&cli[..], &["-o", path(&rows)]].concat()));
    assert_ok(&wd.run(&[&cli[..], &["-o", path(&parquet)]].concat()));
    let blast = server.get("/api/blast?project=xz&order=importance").json();
    let expected: Value = serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    assert_eq!(blast["summary"], expected);
    let lines: Vec<Value> =
        std::fs::read_to_string(&rows).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(blast["rows"], json!(lines));
    assert_eq!(
        (blast["total"].as_u64(), blast["offset"].as_u64(), blast["limit"].as_u64()),
        (Some(4), Some(0), Some(50))
    );
    assert!(blast["depth_chart"].as_str().unwrap().starts_with("<svg"));
    let page2 = server.get("/api/blast?project=xz&order=importance&offset=1&limit=2").json();
    assert_eq!(page2["rows"], json!(lines[1..3]));
    let download = server.get("/api/blast.csv?project=xz&order=importance");
    assert_eq!((download.status, download.text()), (200, stdout(&csv)));
    assert_eq!(download.header("content-disposition"), Some("attachment; filename=\"blast.csv\""));
    assert_eq!(
        server.get("/api/blast.jsonl?project=xz&order=importance").text(),
        std::fs::read_to_string(&rows).unwrap()
    );
    let served = server.get("/api/blast.parquet?project=xz&order=importance");
    assert!(served.body.starts_with(b"PAR1") && served.body.ends_with(b"PAR1"));
    // Every scenario, a range and a depth bound, as the command gives them.
    for (query, args) in [
        ("package=liblzma5&scenario=affected&range=%3E%3D%205.4", vec!["liblzma5", "--affected", ">= 5.4"]),
        ("package=liblzma5,xz-utils&scenario=removed", vec!["liblzma5", "xz-utils", "--removed"]),
        ("package=liblzma5&scenario=new_release&max_depth=1", vec!["liblzma5", "--new-release", "--max-depth", "1"]),
    ] {
        let cli = wd.run(&[&["blast", path(&packages)][..], &args].concat());
        assert_eq!(server.get(&format!("/api/blast.csv?{query}")).text(), stdout(&cli), "{query}");
    }

    // Why, as the command says it.
    let why = server.get("/api/why?from=foo-tools&to=liblzma5").json();
    let cli = stdout(&wd.run(&["why", path(&packages), "foo-tools", "liblzma5"]));
    assert_eq!(
        why["chain"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect::<Vec<_>>().join(" > ") + "\n",
        cli
    );
    assert_eq!(server.get("/api/why?from=liblzma5&to=foo-tools").json()["chain"], Value::Null);
}

#[test]
fn bad_requests_get_json_errors_that_say_what_was_wrong() {
    let server = fixture_server();
    let error = |target: &str, status: u16| {
        let answer = server.get(target);
        assert_eq!(answer.status, status, "{target}: {}", answer.text());
        assert_eq!(answer.header("content-type"), Some("application/json"), "{target}");
        answer.json()
    };
    let unknown = error("/api/blast?package=liblzm", 404);
    assert!(unknown["error"].as_str().unwrap().contains("no package named `liblzm`"));
    assert_eq!(unknown["suggestions"][0], "liblzma5");
    assert_eq!(error("/api/card?project=xz2", 404)["suggestions"], json!(["xz"]));
    let range = error("/api/blast?package=liblzma5&scenario=affected&range=%3E%3E%3E5", 400);
    assert!(
        range["error"].as_str().unwrap().contains("the range for liblzma5: `>>>5` is not a Debian constraint"),
        "{range}"
    );
    assert!(error("/api/blast?package=liblzma5&scenario=affected", 400)["error"]
        .as_str()
        .unwrap()
        .contains("needs a `range`"));
    assert!(error("/api/blast?package=liblzma5&scenario=meteor", 400)["error"]
        .as_str()
        .unwrap()
        .contains("not a scenario"));
    assert!(error("/api/blast?package=liblzma5&max_depth=deep", 400)["error"].as_str().unwrap().contains("max_depth"));
    assert!(error("/api/blast", 400)["error"].as_str().unwrap().contains("name what the incident hits"));
    assert!(error("/api/search", 400)["error"].as_str().unwrap().contains("q"));
    assert!(error("/api/blast?package=liblzma5&limit=100000", 400)["error"].as_str().unwrap().contains("1000 rows"));
    let long = format!("/api/search?q={}", "a".repeat(5000));
    assert!(error(&long, 414)["error"].as_str().unwrap().contains("at most 2048"));
    assert!(error("/api/nothing", 404)["error"].as_str().unwrap().contains("no route"));
    let mut connection = Connection::open(&server.addr);
    let post = connection.request("POST", "/api/blast?package=liblzma5");
    assert_eq!(post.status, 405);
    assert!(post.json()["error"].as_str().unwrap().contains("read-only"));
    // The connection stays usable after errors.
    assert_eq!(connection.get("/api/info").status, 200);
}

/// Sixteen connections at once, each asking a mix of blasts, searches and chains, get exactly
/// the answers one connection gets alone; then Ctrl-C stops the server cleanly.
#[test]
fn concurrent_requests_get_the_same_answers_and_ctrl_c_stops_cleanly() {
    let server = fixture_server();
    let targets: Vec<String> = ["liblzma5", "libc6", "xz-utils", "postfix", "libfoo1"]
        .iter()
        .flat_map(|p| {
            [
                format!("/api/blast?package={p}&order=importance"),
                format!("/api/blast.csv?package={p}&scenario=removed"),
                format!("/api/search?q={}", &p[..3]),
                format!("/api/why?from=foo-tools&to={p}"),
            ]
        })
        .collect();
    let alone: Vec<(u16, Vec<u8>)> = targets.iter().map(|t| server.get(t)).map(|r| (r.status, r.body)).collect();
    let before = server.rss_kb();
    std::thread::scope(|scope| {
        for worker in 0..16 {
            let (targets, alone, addr) = (&targets, &alone, &server.addr);
            scope.spawn(move || {
                let mut connection = Connection::open(addr);
                for round in 0..5 {
                    for (i, target) in targets.iter().enumerate().skip((worker + round) % targets.len()) {
                        let answer = connection.get(target);
                        assert_eq!((answer.status, &answer.body), (alone[i].0, &alone[i].1), "{target}");
                    }
                }
            });
        }
    });
    eprintln!("server memory: {before} kB before the concurrent requests, {} kB after", server.rss_kb());
    let (status, stderr) = server.interrupt();
    assert!(status.success(), "{stderr}");
    assert!(stderr.contains("keystone serve: stopped"), "{stderr}");
}

#[test]
fn serve_warns_loudly_off_loopback() {
    let server = Server::start_at(&[path(&fixture("Packages"))], "0.0.0.0:0");
    assert!(server.stderr().contains("WARNING: listening on 0.0.0.0:"), "{}", server.stderr());
    let on_loopback = fixture_server();
    assert!(!on_loopback.stderr().contains("WARNING"), "{}", on_loopback.stderr());
}

/// The crates.io index as a snapshot, served: the page, a search, serde's blast and a chain.
#[test]
fn serve_answers_on_the_crates_io_snapshot() {
    let Some(index) = dataset("cratesio/crates-io-index-2025-09-28.nocksum.jsonl.zst") else { return };
    let wd = Workdir::new();
    let snap = wd.path("crates.snap");
    assert_ok(&wd.run(&["ingest", path(&index), "-o", path(&snap)]));
    let server = Server::start(&[path(&snap)]);
    assert_eq!(server.get("/").status, 200);
    // serde_core first: serde's dependents stand on it too.
    let found = server.get("/api/search?q=serd").json();
    assert_eq!(
        (&found["packages"][0]["package"], &found["packages"][1]["package"]),
        (&json!("serde_core"), &json!("serde"))
    );
    let blast = server.get("/api/blast?package=serde&order=importance&limit=5").json();
    let affected = blast["summary"]["affected"].as_u64().unwrap();
    assert!(affected > 50_000, "{affected}");
    assert_eq!(blast["rows"].as_array().unwrap().len(), 5);
    assert!(blast["summary"]["gateways"].as_array().unwrap().len() > 3);
    let why = server.get("/api/why?from=reqwest&to=serde").json();
    assert_eq!(why["chain"], json!(["reqwest", "serde"]));
    eprintln!("crates.io: serde hits {affected}; first by importance: {}", blast["rows"][0]["package"]);
}

/// The page in headless Chromium: type a name, pick a suggestion, run a blast, see the chart
/// and the first rows, follow a chain; nothing logged as an error; a screenshot.
#[test]
fn serve_page_in_a_real_browser() {
    let Some(mut browser) = Chromium::start() else { return };
    let server = Server::start(&["--aliases", ALIASES]);
    browser.navigate(&format!("http://{}/", server.addr));
    browser.type_into("#q", "liblzma");
    browser.wait_for("document.querySelectorAll('#suggestions li').length > 0");
    assert_eq!(browser.eval("document.querySelector('#suggestions li span').textContent"), "liblzma5");
    browser.click("#suggestions li:first-child");
    browser.wait_for("document.querySelector('#card details') !== null");
    assert_eq!(browser.eval("document.querySelector('#targets .chip').textContent.startsWith('liblzma5')"), true);
    assert!(browser.eval("document.querySelector('#card summary').textContent").as_str().unwrap().contains("xz"));
    browser.click("#order");
    browser.eval("document.getElementById('order').value = 'importance'");
    browser.click("#run");
    browser.wait_for("document.querySelectorAll('#affected tbody tr').length > 0");
    assert_eq!(browser.eval("document.querySelectorAll('#affected tbody tr').length"), 50);
    assert_eq!(browser.eval("document.querySelector('#affected tbody td').textContent"), "dpkg");
    assert!(browser
        .eval("document.getElementById('summary').textContent")
        .as_str()
        .unwrap()
        .starts_with("36049 packages affected"));
    assert!(browser.eval("document.querySelectorAll('#depth-chart svg rect').length").as_u64().unwrap() > 5);
    assert!(browser.eval("document.getElementById('gateways').textContent").as_str().unwrap().contains("dpkg (11"));
    assert_eq!(browser.eval("document.getElementById('page').textContent"), "rows 1–50 of 36049");
    browser.click("#next");
    browser.wait_for("document.getElementById('page').textContent.startsWith('rows 51')");
    // Follow the third row's chain.
    browser.click("#affected tbody tr:nth-child(3) button.why");
    browser.wait_for("document.querySelector('#chain svg') !== null");
    let chain = browser.eval("document.querySelector('#chain svg').getAttribute('aria-label')");
    assert!(chain.as_str().unwrap().ends_with("depends on liblzma5"), "{chain}");
    assert!(browser.eval("document.querySelectorAll('#chain svg rect').length").as_u64().unwrap() >= 2);
    // A name that is not there is said, with suggestions.
    browser.eval("document.getElementById('why-from').value = 'liblzm'");
    browser.click("#why-form button");
    browser.wait_for("document.getElementById('error').textContent.length > 0");
    assert!(browser.eval("document.getElementById('error').textContent").as_str().unwrap().contains("did you mean"));
    browser.screenshot(&std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("serve-screenshot.png"));
    let errors: Vec<String> = browser.errors().into_iter().filter(|e| !e.contains("404")).collect();
    assert_eq!(errors, Vec::<String>::new(), "the page reported errors");
}
