//! A real browser for the page tests: headless Chromium driven through the DevTools protocol
//! over its WebSocket (one page, attached in flat mode), with what the page logged kept for
//! the checks. Outside CI, [`Chromium::start`] gives `None` (with a message) when no Chromium
//! is installed; in CI (`CI=true`) its absence fails the test.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

/// How long one answer from the browser may take.
const TIMEOUT: Duration = Duration::from_secs(60);

/// A headless Chromium with one page open.
pub struct Chromium {
    child: Child,
    socket: WebSocket<MaybeTlsStream<TcpStream>>,
    session: String,
    next_id: u64,
    /// Every event the page sent, in order.
    events: Vec<Value>,
    _profile: tempfile::TempDir,
}

/// The full path of the first of `names` on `PATH`, if any is there.
fn which(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find_map(|dir| names.iter().map(|n| dir.join(n)).find(|p| p.is_file()))
}

impl Chromium {
    /// Starts Chromium with a blank page, its logs and runtime events on.
    pub fn start() -> Option<Chromium> {
        let Some(binary) = which(&["chromium", "chromium-browser", "google-chrome"]) else {
            assert!(
                std::env::var("CI").map_or(true, |v| v != "true"),
                "CI must run the browser tests: install chromium"
            );
            eprintln!("skipped: no Chromium on PATH");
            return None;
        };
        let profile = tempfile::tempdir().expect("a profile folder");
        let mut child = Command::new(binary)
            .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--remote-debugging-port=0"])
            .args(["--window-size=1280,1600", "--disable-background-networking", "--disable-dev-shm-usage"])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("Chromium starts");
        // It says where its DevTools WebSocket listens on stderr.
        let stderr = BufReader::new(child.stderr.take().expect("stderr"));
        let mut url = None;
        for line in stderr.lines() {
            let line = line.expect("Chromium's stderr");
            if let Some(at) = line.find("ws://") {
                url = Some(line[at..].trim().to_string());
                break;
            }
        }
        let url = url.expect("Chromium names its DevTools WebSocket");
        let (socket, _) = tungstenite::connect(url.as_str()).expect("the DevTools WebSocket");
        if let MaybeTlsStream::Plain(stream) = socket.get_ref() {
            stream.set_read_timeout(Some(TIMEOUT)).expect("a read timeout");
        }
        let mut browser =
            Chromium { child, socket, session: String::new(), next_id: 0, events: Vec::new(), _profile: profile };
        let target = browser.call("Target.createTarget", json!({"url": "about:blank"}));
        let attached = browser.call("Target.attachToTarget", json!({"targetId": target["targetId"], "flatten": true}));
        browser.session = attached["sessionId"].as_str().expect("a session").to_string();
        for domain in ["Page.enable", "Runtime.enable", "Log.enable"] {
            browser.call(domain, json!({}));
        }
        Some(browser)
    }

    /// Sends `method` (to the page, once attached) and waits for its result; events that come
    /// meanwhile are kept.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method, "params": params});
        if !self.session.is_empty() {
            message["sessionId"] = json!(self.session);
        }
        self.socket.send(Message::text(message.to_string())).expect("a DevTools request");
        loop {
            let reply: Value = match self.socket.read().expect("a DevTools answer") {
                Message::Text(text) => serde_json::from_str(&text).expect("DevTools JSON"),
                _ => continue,
            };
            if reply["id"] == id {
                assert!(reply.get("error").is_none(), "{method}: {}", reply["error"]);
                return reply["result"].clone();
            }
            self.events.push(reply);
        }
    }

    /// Opens `path` from `file://` and waits for its load event.
    pub fn open(&mut self, path: &Path) {
        self.navigate(&format!("file://{}", path.display()));
    }

    /// Opens `url` and waits for its load event.
    pub fn navigate(&mut self, url: &str) {
        self.events.retain(|e| e["method"] != "Page.loadEventFired");
        self.call("Page.navigate", json!({"url": url}));
        while !self.events.iter().any(|e| e["method"] == "Page.loadEventFired") {
            let reply: Value = match self.socket.read().expect("the load event") {
                Message::Text(text) => serde_json::from_str(&text).expect("DevTools JSON"),
                _ => continue,
            };
            self.events.push(reply);
        }
    }

    /// The value of the JavaScript expression `js` in the page.
    pub fn eval(&mut self, js: &str) -> Value {
        let result = self.call("Runtime.evaluate", json!({"expression": js, "returnByValue": true}));
        assert!(result.get("exceptionDetails").is_none(), "{js}: {}", result["exceptionDetails"]);
        result["result"]["value"].clone()
    }

    /// Clicks the element `selector` names, as a mouse would, at its centre.
    pub fn click(&mut self, selector: &str) {
        let js = format!(
            "(() => {{ const e = document.querySelector({selector:?}); e.scrollIntoView({{block: 'center'}}); \
             const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()"
        );
        let at = self.eval(&js);
        for kind in ["mousePressed", "mouseReleased"] {
            let event = json!({"type": kind, "x": at[0], "y": at[1], "button": "left", "clickCount": 1});
            self.call("Input.dispatchMouseEvent", event);
        }
    }

    /// Types `text` into the element `selector` names, as a keyboard would (one input event).
    pub fn type_into(&mut self, selector: &str, text: &str) {
        self.click(selector);
        self.call("Input.insertText", json!({"text": text}));
    }

    /// Waits until the JavaScript expression `js` is true in the page (the page's own requests
    /// answered), for at most the timeout.
    pub fn wait_for(&mut self, js: &str) {
        let start = std::time::Instant::now();
        while self.eval(js) != Value::Bool(true) {
            assert!(start.elapsed() < TIMEOUT, "waited too long for {js}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A PNG of the whole page, written to `path`.
    pub fn screenshot(&mut self, path: &Path) {
        let shot = self.call("Page.captureScreenshot", json!({"format": "png", "captureBeyondViewport": true}));
        let data = shot["data"].as_str().expect("screenshot data");
        std::fs::write(path, data_encoding::BASE64.decode(data.as_bytes()).expect("base64"))
            .expect("the screenshot is written");
    }

    /// What the page reported as wrong: exceptions, console errors and warnings, and log
    /// entries of level warning or error (a blocked request among them).
    pub fn errors(&self) -> Vec<String> {
        self.events
            .iter()
            .filter_map(|e| match e["method"].as_str()? {
                "Runtime.exceptionThrown" => Some(e["params"]["exceptionDetails"].to_string()),
                "Runtime.consoleAPICalled" if matches!(e["params"]["type"].as_str(), Some("error" | "warning")) => {
                    Some(e["params"]["args"].to_string())
                }
                "Log.entryAdded" if matches!(e["params"]["entry"]["level"].as_str(), Some("error" | "warning")) => {
                    Some(e["params"]["entry"]["text"].to_string())
                }
                _ => None,
            })
            .collect()
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
