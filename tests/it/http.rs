//! A `keystone serve` process for the tests and the load benchmark, and a small HTTP/1.1
//! client over one kept-alive connection (only what the server's answers need: a
//! `content-length` body).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A `keystone serve` process on an ephemeral loopback port.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// What it printed on stderr so far.
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `keystone serve ARGS --addr 127.0.0.1:0` and waits until it listens.
    pub fn start(args: &[&str]) -> Server {
        Server::start_at(args, "127.0.0.1:0")
    }

    /// Starts `keystone serve ARGS --addr ADDR` and waits until it listens.
    pub fn start_at(args: &[&str], addr: &str) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_keystone"))
            .arg("serve")
            .args(args)
            .args(["--addr", addr])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("keystone serve starts");
        let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut addr = None;
        for line in lines.by_ref() {
            let line = line.expect("stderr is UTF-8");
            stderr.lock().unwrap().push_str(&format!("{line}\n"));
            if let Some(rest) = line.split_once(" on http://").map(|(_, r)| r) {
                addr = Some(rest.split('/').next().unwrap().to_string());
                break;
            }
        }
        let addr = addr.unwrap_or_else(|| panic!("serve did not listen:\n{}", stderr.lock().unwrap()));
        let sink = stderr.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                sink.lock().unwrap().push_str(&format!("{line}\n"));
            }
        });
        Server { child, addr, stderr }
    }

    /// One request on a fresh connection.
    pub fn get(&self, target: &str) -> Response {
        Connection::open(&self.addr).request("GET", target)
    }

    /// Its resident memory, in kB (from `/proc`).
    pub fn rss_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).expect("/proc status");
        let line = status.lines().find(|l| l.starts_with("VmRSS:")).expect("a VmRSS line");
        line.split_whitespace().nth(1).and_then(|kb| kb.parse().ok()).expect("kB")
    }

    /// What it printed on stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Sends Ctrl-C (SIGINT) and waits for it to exit.
    pub fn interrupt(mut self) -> (ExitStatus, String) {
        let status = Command::new("kill").args(["-INT", &self.child.id().to_string()]).status().expect("kill runs");
        assert!(status.success());
        let status = self.child.wait().expect("serve exits");
        // The stderr thread ends with the process.
        std::thread::sleep(Duration::from_millis(100));
        (status, self.stderr())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One kept-alive connection.
pub struct Connection {
    stream: BufReader<TcpStream>,
    host: String,
}

/// An answer.
#[derive(Debug)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.text()))
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

impl Connection {
    /// Connects to `addr`.
    pub fn open(addr: &str) -> Connection {
        let stream = TcpStream::connect(addr).expect("the server accepts");
        stream.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
        stream.set_nodelay(true).unwrap();
        Connection { stream: BufReader::new(stream), host: addr.to_string() }
    }

    /// Sends `method target` and reads the answer.
    pub fn request(&mut self, method: &str, target: &str) -> Response {
        let head = format!("{method} {target} HTTP/1.1\r\nHost: {}\r\nAccept: */*\r\n\r\n", self.host);
        self.stream.get_mut().write_all(head.as_bytes()).expect("the request is sent");
        let mut line = String::new();
        self.stream.read_line(&mut line).expect("a status line");
        let status =
            line.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("status line `{line}`"));
        let mut headers = Vec::new();
        loop {
            line.clear();
            self.stream.read_line(&mut line).expect("a header line");
            let text = line.trim_end();
            if text.is_empty() {
                break;
            }
            let (name, value) = text.split_once(':').expect("a header");
            headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
        }
        let length: usize = headers.iter().find(|(n, _)| n == "content-length").map_or(0, |(_, v)| v.parse().unwrap());
        let mut body = vec![0; if method == "HEAD" { 0 } else { length }];
        self.stream.read_exact(&mut body).expect("the body");
        Response { status, headers, body }
    }

    /// `GET target`.
    pub fn get(&mut self, target: &str) -> Response {
        self.request("GET", target)
    }
}
