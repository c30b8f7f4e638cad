//! `callsearch serve` over HTTP, with the binary started on port 0: the API equals the
//! CLI, everything typed or indexed comes back escaped, bad paths and parameters answer
//! 404/400, a commit while serving shows up, the page's facet and call links lead where
//! they say, and a headless Chromium renders the pages.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

/// A running `callsearch serve`, stopped (Ctrl-C) when dropped.
struct Server {
    child: Child,
    addr: String,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start(index: &str, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_callsearch"))
            .args(["serve", "--index", index, "--port", "0"])
            .args(extra)
            .current_dir(root())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("listening on http://") {
                    let _ = tx.send(rest.split('/').next().unwrap_or_default().to_string());
                }
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let addr = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(addr) => addr,
            Err(_) => {
                let _ = child.kill();
                panic!("serve did not start: {}", log.lock().unwrap());
            }
        };
        Server { child, addr, log }
    }

    fn get(&self, path: &str) -> Response {
        get(&self.addr, path)
    }

    /// GET a JSON API path, checking the status first.
    fn json(&self, path: &str, status: u16) -> Value {
        let r = self.get(path);
        assert_eq!(r.status, status, "GET {path}: {}", r.body);
        serde_json::from_str(&r.body)
            .unwrap_or_else(|e| panic!("GET {path}: not JSON ({e}): {}", r.body))
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Ctrl-C, then wait for the exit; returns the exit code.
    fn interrupt(&mut self) -> Option<i32> {
        // SAFETY: sending SIGINT to the child we started.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGINT) };
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

struct Response {
    status: u16,
    headers: String,
    body: String,
}

/// One HTTP/1.1 GET, the request target sent as given (so `/../` stays as typed).
fn get(addr: &str, target: &str) -> Response {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read response");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("a head and a body");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .expect("status");
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        unchunk(body)
    } else {
        body.to_string()
    };
    Response {
        status,
        headers: head.to_ascii_lowercase(),
        body,
    }
}

fn unchunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        body = &rest[n + 2..];
    }
    out
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Drop what differs between two runs of one search.
fn without_timing(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.remove("elapsed_ms");
    }
    v
}

fn shared_server() -> &'static Server {
    static SERVER: std::sync::OnceLock<Server> = std::sync::OnceLock::new();
    SERVER.get_or_init(|| {
        let server = Server::start(corpus_index(), &[]);
        stop_at_exit(server.child.id());
        server
    })
}

/// A static is never dropped: kill the shared server when the test process exits, so
/// no `serve` outlives the tests.
fn stop_at_exit(pid: u32) {
    static PID: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);
    extern "C" fn stop() {
        let pid = PID.load(std::sync::atomic::Ordering::SeqCst);
        if pid > 0 {
            // SAFETY: signals the child this process started.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
    }
    PID.store(pid as i32, std::sync::atomic::Ordering::SeqCst);
    // SAFETY: registers a handler that only sends a signal.
    unsafe { libc::atexit(stop) };
}

#[test]
fn api_search_equals_query_json() {
    let server = shared_server();
    let cases: &[(&str, &[&str], &str)] = &[
        (
            "margin",
            &["--facet", "company", "-n", "5"],
            "facet=company&limit=5",
        ),
        (
            "\"gross margin\"",
            &["--facet", "speaker", "--facet", "quarter"],
            "facet=speaker&facet=quarter",
        ),
        (
            "revenue guidance",
            &["--section", "qa", "--role", "analyst", "--with-question"],
            "section=qa&role=analyst&with_question=true",
        ),
        (
            "*",
            &["--sort", "date", "-n", "7", "--offset", "3"],
            "sort=date&limit=7&offset=3",
        ),
        (
            "eps",
            &["--company", "AXP", "--company", "ORCL", "--facet", "firm"],
            "company=AXP&company=ORCL&facet=firm",
        ),
        (
            "pricing",
            &[
                "--since",
                "2019-01-01",
                "-n",
                "3",
                "--offset",
                "2",
                "--context",
                "1",
            ],
            "since=2019-01-01&limit=3&offset=2&context=1",
        ),
    ];
    for (q, flags, params) in cases {
        let cli = query_json(q, flags);
        cli.check(cli.code == 0 || cli.code == 1, "query ran");
        let api = server.json(&format!("/api/search?q={}&{params}", encode(q)), 200);
        let summary = cli.of_type("summary").pop().expect("a summary line");
        assert!(
            summary["total_hits"].as_u64().unwrap() > 0,
            "{q}: the CLI found hits"
        );
        assert_eq!(
            without_timing(api["summary"].clone()),
            without_timing(summary),
            "{q} {params}: summary"
        );
        assert_eq!(
            api["hits"],
            Value::Array(cli.of_type("hit")),
            "{q} {params}: hits"
        );
        assert_eq!(
            api["facets"],
            Value::Array(cli.of_type("facet")),
            "{q} {params}: facets"
        );
    }
}

#[test]
fn offset_pages_through_the_same_ranking() {
    let all = query_json("margin", &["-n", "12"]);
    let page = query_json("margin", &["-n", "4", "--offset", "8"]);
    page.success();
    let ids = |hits: Vec<Value>| -> Vec<String> {
        hits.iter()
            .map(|h| h["passage_id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(page.hits()), ids(all.hits())[8..12].to_vec());
    let summary = &page.of_type("summary")[0];
    assert_eq!(
        (summary["offset"].as_u64(), summary["returned"].as_u64()),
        (Some(8), Some(4))
    );
}

#[test]
fn api_trend_and_call_equal_the_cli() {
    let server = shared_server();
    let cli = callsearch(&[
        "trend",
        "margin",
        "--index",
        corpus_index(),
        "--json",
        "--section",
        "qa",
    ]);
    cli.success();
    let api = server.json("/api/trend?q=margin&section=qa", 200);
    assert_eq!(api["buckets"], Value::Array(cli.of_type("bucket")));
    assert_eq!(api["undated"], Value::Array(cli.of_type("undated")));
    let summary = cli.of_type("summary").pop().unwrap();
    assert_eq!(
        without_timing(api["summary"].clone()),
        without_timing(summary)
    );

    // The call a hit names is the object `parse --json` prints for its file.
    let hit = &query_json("margin", &["-n", "1"]).hits()[0];
    let parsed = callsearch(&["parse", hit["source"].as_str().unwrap(), "--json"]);
    parsed.success();
    let call = server.json(
        &format!("/api/call/{}", hit["call_id"].as_str().unwrap()),
        200,
    );
    assert_eq!(call, serde_json::from_str::<Value>(&parsed.stdout).unwrap());
}

#[test]
fn bad_paths_ids_and_parameters_answer_404_and_400() {
    let server = shared_server();
    for path in [
        "/../etc/passwd",
        "/call/../../etc/passwd",
        "/assets/../Cargo.toml",
        "/nothing",
    ] {
        assert_eq!(server.get(path).status, 404, "{path}");
    }
    for path in [
        "/call/0000000000000000",
        "/api/call/0000000000000000",
        "/api/call/..%2F..%2Fetc%2Fpasswd",
        "/call/%3Cscript%3E",
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.body.contains("<script>"), "{path}: {}", r.body);
    }
    let bad: &[(&str, &str)] = &[
        (
            "/api/search?q=speaker%3A(",
            "invalid query: syntax error in speaker:( (check its quotes, brackets and fields)",
        ),
        (
            "/api/search?q=margin&since=2019-13-01",
            "--since 2019-13-01: there is no month 13 (months are 01 to 12)",
        ),
        (
            "/api/search?q=margin&section=intro",
            "invalid value \"intro\" for --section: possible values: presentation, qa",
        ),
        (
            "/api/search?q=margin&limit=100000",
            "--limit 100000: the server's limit is 100",
        ),
        ("/api/search?q=margin&limt=5", "unknown parameter \"limt\""),
        (
            "/api/search",
            "q: the query is missing (`*` matches every passage)",
        ),
        (
            "/api/trend?q=margin&by=week",
            "invalid value \"week\" for --by: possible values: quarter, year, period",
        ),
    ];
    for (path, message) in bad {
        let v = server.json(path, 400);
        assert_eq!(v["error"], *message, "{path}");
    }
    // The CLI says the same about the same mistake.
    let cli = query_json("margin", &["--since", "2019-13-01"]);
    cli.assert_code(2);
    assert!(cli.stderr.contains(bad[1].1), "{}", cli.stderr);
    let long = "a".repeat(1001);
    assert_eq!(server.get(&format!("/api/search?q={long}")).status, 400);
    assert_eq!(server.get("/?q=margin&page=0").status, 400);
}

#[test]
fn headers_and_access_log() {
    let server = shared_server();
    let r = server.get("/?q=margin");
    assert_eq!(r.status, 200);
    assert!(
        r.headers
            .contains("content-security-policy: default-src 'none'; script-src 'self'"),
        "{}",
        r.headers
    );
    assert!(r.headers.contains("x-content-type-options: nosniff"));
    let css = server.get("/assets/style.css");
    assert!(css.status == 200 && css.body.contains("mark"));
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        server
            .log()
            .lines()
            .any(|l| l.starts_with("GET /?q=margin 200 ")),
        "{}",
        server.log()
    );
}

/// A call whose speaker names and text hold markup.
const HOSTILE: &str = "Evil Corp Q1 2021 Earnings Call Transcript

Call participants:
Jane Doe<script>alert(1)</script> - Chief Executive Officer
Mallory Smith - Evil Bank  -  Analyst

Prepared Remarks:

Operator: Good day, and welcome to the Evil Corp first quarter earnings call.

Jane Doe<script>alert(1)</script>: Revenue from zebrafish grew <script>alert(\"text\")</script> strongly, and margins held.

Questions and Answers:

Operator: Our first question comes from Mallory Smith with Evil Bank.

Mallory Smith: What drove the zebrafish margin <img src=x onerror=alert(2)> this quarter?

Jane Doe<script>alert(1)</script>: Pricing on zebrafish, mostly.
";

#[test]
fn markup_in_queries_speakers_and_transcripts_comes_back_escaped() {
    // A real call with markup in a speaker's name, and a call with markup in its text.
    let seed = String::from_utf8(read(SEED)).unwrap();
    let seed = seed.replace("Carl Russo", "Carl <script>alert(1)</script> Russo");
    let dir = folder_with(&[
        ("evil.txt", HOSTILE.as_bytes()),
        ("seed.txt", seed.as_bytes()),
    ]);
    let index = dir.path().join("index");
    let run = callsearch(&[
        "index",
        dir.path().to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
        "--quiet",
    ]);
    run.success();
    let server = Server::start(index.to_str().unwrap(), &[]);
    let api = server.json("/api/search?q=zebrafish&limit=10", 200);
    let texts: String = api["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| format!("{} {}\n", h["speaker"], h["text"]))
        .collect();
    assert!(
        texts.contains("<script>"),
        "the index holds the markup as text: {texts}"
    );
    let page = server.get("/?q=zebrafish%20%3Cscript%3Ealert(9)%3C%2Fscript%3E");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("class=\"hit\""),
        "hits shown: {}",
        page.body
    );
    assert!(
        !page.body.contains("<script>alert"),
        "nothing unescaped: {}",
        page.body
    );
    assert!(!page.body.contains("<img src=x"), "nothing unescaped");
    assert!(
        page.body.contains("&lt;script&gt;alert(9)"),
        "the query, escaped"
    );
    assert!(
        page.body.contains("&lt;script&gt;alert(\"text\")")
            || page.body.contains("&lt;script&gt;alert(&quot;text&quot;)"),
        "the text, escaped: {}",
        page.body
    );
    let russo = server.json("/api/search?q=margin&speaker=russo&limit=1", 200);
    assert_eq!(
        russo["hits"][0]["speaker"],
        "Carl <script>alert(1)</script> Russo"
    );
    let page = server.get("/?q=margin&speaker=russo");
    assert!(
        page.body
            .contains("<strong>Carl &lt;script&gt;alert(1)&lt;/script&gt; Russo</strong>"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<script>alert"), "the speaker, escaped");
    let call = server.get(&format!(
        "/call/{}",
        russo["hits"][0]["call_id"].as_str().unwrap()
    ));
    assert!(
        call.status == 200
            && call
                .body
                .contains("Carl &lt;script&gt;alert(1)&lt;/script&gt; Russo")
    );
    assert!(
        !call.body.contains("<script>alert"),
        "participants and turns, escaped"
    );
    let call_id = api["hits"][0]["call_id"].as_str().unwrap();
    let call = server.get(&format!("/call/{call_id}"));
    assert_eq!(call.status, 200);
    assert!(
        !call.body.contains("<script>alert") && !call.body.contains("<img src=x"),
        "{}",
        call.body
    );
    assert!(
        call.body.contains("&lt;img src=x onerror=alert(2)&gt;"),
        "{}",
        call.body
    );
}

/// Every `href` in a page that starts with `prefix`, entities decoded.
fn links(html: &str, prefix: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|h| h.starts_with(prefix))
        .map(|h| {
            h.replace("&amp;", "&")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
        })
        .collect()
}

/// The number in the page's `<span class="total">`.
fn page_total(html: &str) -> u64 {
    let at = html.find("<span class=\"total\">").expect("a total") + "<span class=\"total\">".len();
    html[at..]
        .split('<')
        .next()
        .unwrap()
        .parse()
        .expect("a number")
}

#[test]
fn facet_and_call_links_lead_where_they_say() {
    let server = shared_server();
    let page = server.get("/?q=margin");
    assert_eq!(page.status, 200);
    let total = page_total(&page.body);
    assert!(total > 0);
    // Each facet link narrows the search to as many passages as its count says.
    let facets: Vec<&str> = page
        .body
        .split("<div class=\"facet\" data-field=\"")
        .skip(1)
        .collect();
    assert!(facets.len() >= 4, "the sidebar has its facets");
    for facet in facets {
        let field = facet.split('"').next().unwrap();
        let link = &links(facet, "/?")[0];
        let count: u64 = facet
            .split("<span class=\"count\">")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let narrowed = server.get(link);
        assert_eq!(narrowed.status, 200, "{link}: {}", narrowed.body);
        assert_eq!(page_total(&narrowed.body), count, "{field}: {link}");
        assert!(count <= total);
    }
    // Each call link opens the call with the hit marked and the anchor on it.
    let calls = links(&page.body, "/call/");
    assert!(!calls.is_empty());
    for link in calls.iter().take(5) {
        let anchor = link.rsplit_once('#').unwrap().1;
        let call = server.get(link.split('#').next().unwrap());
        assert_eq!(call.status, 200, "{link}");
        assert!(
            call.body
                .contains(&format!("class=\"passage hit\" id=\"{anchor}\"")),
            "{link}"
        );
        assert!(
            call.body.contains("class=\"participant\""),
            "{link}: participants listed"
        );
    }
    // Paging: page 2 starts where page 1 ended.
    if total > 20 {
        let next = &links(&page.body, "/?")
            .into_iter()
            .find(|l| l.contains("page=2"))
            .expect("a next link");
        let second = server.get(next);
        assert!(
            second
                .body
                .contains(&format!("21–{}", (total as usize).min(40))),
            "{next}"
        );
    }
}

#[test]
fn a_commit_while_serving_shows_up_and_the_old_generation_is_let_go() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::copy(root().join(SEED), docs.join("seed.txt")).unwrap();
    let index = dir.path().join("index");
    let idx = index.to_str().unwrap();
    let index_docs = |extra: &[&str]| {
        let mut args = vec!["index", docs.to_str().unwrap(), "--index", idx, "--quiet"];
        args.extend_from_slice(extra);
        callsearch(&args).success();
    };
    index_docs(&[]);
    let server = Server::start(idx, &[]);
    let orcl = "/api/search?q=*&company=ORCL&limit=1";
    assert_eq!(server.json(orcl, 200)["summary"]["total_hits"], 0);
    std::fs::copy(
        root().join("corpus/seekingalpha/CT_ORCL_2019_q1.txt"),
        docs.join("orcl.txt"),
    )
    .unwrap();
    index_docs(&[]);
    let appeared = |server: &Server| {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if server.json(orcl, 200)["summary"]["total_hits"].as_u64() > Some(0) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    };
    assert!(
        appeared(&server),
        "an incremental commit shows up: {}",
        server.log()
    );
    // A rebuild switches generations; the server follows and lets the old one go.
    let before = generations(&index);
    std::fs::remove_file(docs.join("orcl.txt")).unwrap();
    index_docs(&["--rebuild"]);
    let start = Instant::now();
    while server.json(orcl, 200)["summary"]["total_hits"] != 0
        && start.elapsed() < Duration::from_secs(20)
    {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        server.json(orcl, 200)["summary"]["total_hits"],
        0,
        "the rebuild shows up"
    );
    let after_rebuild = generations(&index);
    assert!(
        after_rebuild.len() == 2 && after_rebuild[0] == before[0],
        "the server still held the old generation: {after_rebuild:?}"
    );
    std::thread::sleep(Duration::from_millis(300));
    index_docs(&[]);
    assert_eq!(
        generations(&index),
        vec![after_rebuild[1].clone()],
        "released, so the next run removed it"
    );
}

#[test]
fn ctrl_c_stops_gracefully_and_other_binds_warn() {
    let mut server = Server::start(corpus_index(), &["--bind", "0.0.0.0"]);
    assert!(
        server.log().contains("warning: listening on 0.0.0.0:"),
        "{}",
        server.log()
    );
    assert!(server.log().contains("no authentication"));
    assert_eq!(server.get("/api/search?q=margin").status, 200);
    assert_eq!(server.interrupt(), Some(0), "{}", server.log());
    assert!(server.log().contains("stopped"), "{}", server.log());
}

#[test]
fn serve_without_an_index_is_one_error_line() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none");
    let run = callsearch(&["serve", "--index", missing.to_str().unwrap(), "--port", "0"]);
    run.assert_code(2);
    assert!(
        run.stderr.starts_with("error: no index at"),
        "{}",
        run.stderr
    );
}

/// Chromium's DOM of a page, or `None` (a skip) when Chromium is not installed.
fn chromium() -> Option<&'static str> {
    let found = ["chromium", "chromium-browser"].into_iter().find(|b| {
        Command::new("sh")
            .args(["-c", &format!("command -v {b}")])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if found.is_none() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!(
                "chromium is not installed (CI=true: the browser test must run; .ci/run installs it)"
            );
        }
        eprintln!("skipped: chromium is not installed (apt-get install -y chromium)");
    }
    found
}

fn chromium_run(browser: &str, args: &[&str]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn chromium_renders_the_search_and_call_pages() {
    let Some(browser) = chromium() else { return };
    let server = shared_server();
    let url = format!("http://{}/?q=margin", server.addr);
    let dom = chromium_run(browser, &["--dump-dom", &url]);
    let api = server.json("/api/search?q=margin&facet=speaker&facet_limit=10", 200);
    let hits = dom.matches("<div class=\"hit\"").count() as u64;
    let expected = api["summary"]["total_hits"].as_u64().unwrap().min(20);
    assert_eq!(hits, expected, "the DOM holds a page of hits");
    assert!(dom.contains("<mark>"), "highlighted snippets");
    let first = &api["facets"][0]["counts"][0];
    let shown = format!(
        "<span class=\"value\">{}</span> <span class=\"count\">{}</span>",
        first["value"].as_str().unwrap(),
        first["count"]
    );
    assert!(
        dom.contains(&shown),
        "the DOM holds the facet counts: {shown}"
    );
    assert!(dom.contains(&format!(
        "<span class=\"total\">{}</span>",
        api["summary"]["total_hits"]
    )));

    let hit = &api["hits"][0];
    let (call_id, pid) = (
        hit["call_id"].as_str().unwrap(),
        hit["passage_id"].as_str().unwrap(),
    );
    let call_url = format!(
        "http://{}/call/{call_id}?hit={pid}&q=margin#{pid}",
        server.addr
    );
    let call = chromium_run(browser, &["--dump-dom", &call_url]);
    assert!(
        call.contains(&format!("<p class=\"passage hit\" id=\"{pid}\"><mark>")),
        "the hit is marked"
    );
    assert!(
        call.contains("class=\"participant\""),
        "participants listed"
    );

    let shot = tempfile::tempdir().unwrap();
    let png = shot.path().join("search.png");
    chromium_run(
        browser,
        &[
            &format!("--screenshot={}", png.display()),
            "--window-size=1280,900",
            &url,
        ],
    );
    let bytes = std::fs::read(&png).expect("a screenshot");
    assert!(
        bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000,
        "a PNG of the page"
    );
    if let Ok(keep) = std::env::var("SERVE_SCREENSHOT_DIR") {
        let keep = Path::new(&keep);
        std::fs::copy(&png, keep.join("serve.png")).unwrap();
        chromium_run(
            browser,
            &[
                &format!("--screenshot={}", keep.join("serve-call.png").display()),
                "--window-size=1280,900",
                // Headless Chromium paints a blank page when the URL scrolls to a
                // fragment; without it the page's script scrolls to the hit instead.
                call_url.split('#').next().unwrap_or(&call_url),
            ],
        );
    }
}
