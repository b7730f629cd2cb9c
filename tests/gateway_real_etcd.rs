//! `etcdplay --endpoints` against a real etcd 3.4.23, compared with the real etcdctl 3.4.23.
//!
//! The test starts Debian's `/usr/bin/etcd` (one member, free loopback ports, data under the
//! temporary directory), runs [`SCENARIO`] with the real `/usr/bin/etcdctl`, stops it, starts
//! a fresh one exactly alike (same name, URLs and token, so the same cluster and member IDs),
//! runs the same scenario through `etcdplay --endpoints URL transcript FILE`, and compares
//! the two transcripts command by command after normalising what differs between two runs
//! of the same commands on real etcd too: log timestamps, gRPC client UUIDs, lease IDs
//! (numbered by first appearance, as the corpus does), remaining TTLs, `took`, database
//! size and raft indexes. Every etcd started is stopped at the end, on failure too.
//!
//! Skipped, with the reason printed, when `/usr/bin/etcd` or `/usr/bin/etcdctl` is absent
//! (`scripts/setup.sh test` installs both).

#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use etcd_playground::etcdctl::shell;
use etcd_playground::transcript::{parse_scenario, render_command, split_timeout, IdTracker, Step};

const ETCD: &str = "/usr/bin/etcd";
const ETCDCTL: &str = "/usr/bin/etcdctl";

/// The commands compared (FORMAT.md's scenario format). A line without `--endpoints` goes to
/// the cluster: etcdplay dials the endpoints it was started with, real etcdctl gets them as
/// `--endpoints URL`.
const SCENARIO: &str = r#"# put and get in every form the slice maps
$ etcdctl put foo bar
$ etcdctl put foo2 baz --prev-kv
$ etcdctl put /registry/pods/a '{"kind":"Pod"}'
$ etcdctl put /registry/pods/b x
$ etcdctl get foo
$ etcdctl get foo -w json
$ etcdctl get foo -w fields
$ etcdctl get foo --prefix
$ etcdctl get /registry --prefix --keys-only
$ etcdctl get /registry --prefix --limit 1 -w json
$ etcdctl get "" --prefix --sort-by=MODIFY --order=DESCEND --keys-only
$ etcdctl get foo --rev=2
$ etcdctl get foo --consistency=s --print-value-only
$ etcdctl get --from-key /registry/pods/b
$ etcdctl get missing
$ etcdctl put foo bar2 --prev-kv -w json
$ etcdctl get foo --hex
$ etcdctl del foo2 --prev-kv
$ etcdctl del /registry --prefix
$ etcdctl del nothing
$ etcdctl txn <<EOF
value("foo") = "bar2"
version("foo") > "0"

put x y
get foo

del nothing

EOF
$ etcdctl txn -w json <<EOF
mod("foo") < "0"

put never here

put x z
get foo

EOF
$ etcdctl watch foo --rev=1 --prev-kv  # timeout 1
$ etcdctl compaction 5
$ etcdctl get foo --rev=3
$ etcdctl get foo --rev=100
$ etcdctl compaction 4
$ etcdctl lease grant 600
$ etcdctl put leased v --lease=<LEASE_ID:1>
$ etcdctl lease timetolive <LEASE_ID:1> --keys
$ etcdctl lease timetolive <LEASE_ID:1> -w json
$ etcdctl lease list
$ etcdctl lease keep-alive --once <LEASE_ID:1>
$ etcdctl lease revoke <LEASE_ID:1>
$ etcdctl get leased
$ etcdctl lease revoke 1234
$ etcdctl lease timetolive 1234
$ etcdctl put k v --lease=1234
$ etcdctl put k --ignore-value
$ etcdctl member list
$ etcdctl member list -w table
$ etcdctl member list -w json
$ etcdctl endpoint status -w table
$ etcdctl endpoint health
$ etcdctl alarm list
$ etcdctl snapshot save backup.db
$ etcdctl snapshot status backup.db -w table
$ etcdctl move-leader 1
$ etcdctl defrag
$ etcdctl user add root:rootpw
$ etcdctl role add reader
$ etcdctl role grant-permission reader read foo
$ etcdctl role get reader
$ etcdctl user grant-role root root
$ etcdctl auth enable
$ etcdctl get foo
$ etcdctl --user root:wrong get foo
$ etcdctl --user root:rootpw get foo
$ etcdctl --user root:rootpw user list
$ etcdctl --user root:rootpw auth disable
$ etcdctl --endpoints=127.0.0.1:1 --command-timeout=1s get foo
"#;

/// A fresh one-member etcd, stopped (and its data removed) when dropped.
struct Etcd {
    child: Child,
    dir: PathBuf,
    url: String,
}

impl Drop for Etcd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

impl Etcd {
    /// Starts etcd on `client`/`peer` and waits until it serves.
    fn start(client: u16, peer: u16, tag: &str) -> Etcd {
        let dir =
            std::env::temp_dir().join(format!("etcdplay-gateway-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("http://127.0.0.1:{client}");
        let peer_url = format!("http://127.0.0.1:{peer}");
        let child = Command::new(ETCD)
            .args(["--name", "infra1", "--data-dir"])
            .arg(dir.join("data"))
            .args([
                "--listen-client-urls",
                &url,
                "--advertise-client-urls",
                &url,
            ])
            .args(["--listen-peer-urls", &peer_url])
            .args(["--initial-advertise-peer-urls", &peer_url])
            .args(["--initial-cluster", &format!("infra1={peer_url}")])
            .args(["--initial-cluster-token", "etcd-cluster-1"])
            .args(["--initial-cluster-state", "new"])
            .args(["--heartbeat-interval", "10", "--election-timeout", "100"])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join("etcd.log")).unwrap())
            .spawn()
            .expect("etcd starts");
        let etcd = Etcd { child, dir, url };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let ok = Command::new(ETCDCTL)
                .args([
                    "--endpoints",
                    &etcd.url,
                    "--command-timeout=1s",
                    "endpoint",
                    "health",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if ok {
                return etcd;
            }
            assert!(
                Instant::now() < deadline,
                "etcd did not become healthy: {}",
                std::fs::read_to_string(etcd.dir.join("etcd.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// The scenario run by the real etcdctl against `url`: its transcript.
fn real_transcript(etcd: &Etcd, steps: &[Step], members: &[(String, u64)], cluster: u64) -> String {
    let url = &etcd.url;
    let known: Vec<u64> = members.iter().map(|(_, id)| *id).collect();
    let mut ids = IdTracker::default();
    let mut out = String::new();
    for step in steps {
        let (body, timeout) = split_timeout(&step.command);
        let line = ids.substitute(body, members);
        let words = shell::split(&line).expect("a scenario line splits").words;
        let (assign, rest) = shell::split_assignments(&words);
        assert_eq!(rest.first().map(String::as_str), Some("etcdctl"), "{line}");
        let stdin = step.stdin.as_ref().map(|b| {
            b.iter()
                .map(|l| ids.substitute(l, members) + "\n")
                .collect::<String>()
        });
        let mut cmd = Command::new(ETCDCTL);
        if !rest.iter().any(|w| w.starts_with("--endpoints")) {
            cmd.arg(format!("--endpoints={url}"));
        }
        let mut child = cmd
            .args(&rest[1..])
            .current_dir(&etcd.dir)
            .envs(assign)
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("etcdctl runs");
        if let Some(text) = &stdin {
            let mut w = child.stdin.take().unwrap();
            w.write_all(text.as_bytes()).unwrap();
        }
        if let Some(t) = timeout {
            std::thread::sleep(Duration::from_secs_f64(t));
            let _ = Command::new("kill")
                .args(["-INT", &child.id().to_string()])
                .status();
        }
        let o = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
        ids.scan(&stdout, &known, cluster);
        ids.scan(&stderr, &known, cluster);
        render_command(&mut out, step, &stdout, &stderr);
        // a command stopped by its timeout has no exit status in a transcript
        match o.status.code() {
            Some(code) if code != 0 && timeout.is_none() => out.push_str(&format!("? {code}\n")),
            _ => {}
        }
    }
    out
}

/// Splits a transcript into its commands' blocks.
fn blocks(t: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in t.lines() {
        if l.starts_with("$ ") || out.is_empty() {
            out.push(String::new());
        }
        let b = out.last_mut().unwrap();
        b.push_str(l);
        b.push('\n');
    }
    out
}

/// Replaces every match of a simple pattern: `prefix`, then the longest run of characters
/// that `keep` accepts, with `prefix` + `with`.
fn replace_runs(s: &str, prefix: &str, keep: impl Fn(char) -> bool, with: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find(prefix) {
        out.push_str(&rest[..i + prefix.len()]);
        let tail = &rest[i + prefix.len()..];
        let n = tail.find(|c: char| !keep(c)).unwrap_or(tail.len());
        if n > 0 {
            out.push_str(with);
        }
        rest = &tail[n..];
    }
    out.push_str(rest);
    out
}

/// What two runs of the same commands on real etcd differ in, replaced by placeholders.
fn normalize(t: &str, members: &[(String, u64)], cluster: u64) -> String {
    let known: Vec<u64> = members.iter().map(|(_, id)| *id).collect();
    let mut ids = IdTracker::default();
    ids.scan(t, &known, cluster);
    let mut s = t.to_string();
    for (n, lease) in ids.leases.iter().enumerate() {
        let tag = format!("<LEASE_{}>", n + 1);
        s = s.replace(&format!("{lease:x}"), &tag);
        s = s.replace(&lease.to_string(), &tag);
    }
    let ts = |c: char| c.is_ascii_alphanumeric() || "-:.".contains(c);
    s = replace_runs(&s, "\"ts\":\"", ts, "<TS>");
    s = replace_runs(&s, "\"ts\":", |c| c.is_ascii_digit() || c == '.', "<TS>");
    s = replace_runs(
        &s,
        "endpoint://client-",
        |c| c.is_ascii_hexdigit() || c == '-',
        "<UUID>",
    );
    s = replace_runs(&s, "remaining(", |c| c.is_ascii_digit(), "<TTL>");
    s = replace_runs(&s, "\"ttl\":", |c| c.is_ascii_digit(), "<TTL>");
    s = replace_runs(&s, "took = ", |c| !c.is_whitespace(), "<DURATION>");
    s = replace_runs(
        &s,
        "\"took\":",
        |c| c.is_ascii_digit() || c == '.',
        "<DURATION>",
    );
    s = replace_runs(&s, "\"size\":\"", |c| c != '"', "<SIZE>");
    let mut out = String::new();
    let mut header: Vec<String> = Vec::new();
    for l in s.lines() {
        if l.starts_with('+') && l.ends_with('+') {
            continue; // table borders: widths follow the normalized cells
        }
        if l.starts_with('|') && l.ends_with('|') {
            let cells: Vec<String> = l.split('|').map(|c| c.trim().to_string()).collect();
            if header.is_empty()
                || cells
                    .iter()
                    .any(|c| ["ENDPOINT", "ID", "HASH"].contains(&c.as_str()))
            {
                header = cells.clone();
                out.push_str(&cells.join("|"));
            } else {
                let volatile = [
                    "DB SIZE",
                    "RAFT INDEX",
                    "RAFT APPLIED INDEX",
                    "HASH",
                    "TOTAL SIZE",
                ];
                let row: Vec<&str> = cells
                    .iter()
                    .zip(header.iter().chain(std::iter::repeat(&String::new())))
                    .map(|(c, h)| {
                        if volatile.contains(&h.as_str()) {
                            "<N>"
                        } else {
                            c
                        }
                    })
                    .collect();
                out.push_str(&row.join("|"));
            }
        } else {
            header.clear();
            out.push_str(l);
        }
        out.push('\n');
    }
    out
}

/// Reads the cluster's member (name, ID) pairs and cluster ID from real etcdctl's JSON.
fn cluster_ids(url: &str) -> (Vec<(String, u64)>, u64) {
    let o = Command::new(ETCDCTL)
        .args(["--endpoints", url, "member", "list", "-w", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("member list JSON");
    let cluster = v["header"]["cluster_id"].as_u64().unwrap();
    let members = v["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let name = m["name"].as_str().unwrap_or("").to_string();
            (name, m["ID"].as_u64().unwrap())
        })
        .collect();
    (members, cluster)
}

#[test]
fn etcdplay_endpoints_prints_what_real_etcdctl_prints() {
    for tool in [ETCD, ETCDCTL] {
        if !Path::new(tool).exists() {
            eprintln!("skipped: {tool} not found (scripts/setup.sh test installs Debian's etcd-server and etcd-client)");
            return;
        }
    }
    let steps = parse_scenario(SCENARIO).unwrap();
    let client = free_port();
    let peer = std::iter::repeat_with(free_port)
        .find(|p| *p != client)
        .unwrap();

    let (want, members, cluster) = {
        let etcd = Etcd::start(client, peer, "etcdctl");
        let (members, cluster) = cluster_ids(&etcd.url);
        (
            real_transcript(&etcd, &steps, &members, cluster),
            members,
            cluster,
        )
    };

    let got = {
        let etcd = Etcd::start(client, peer, "etcdplay");
        let (again, _) = cluster_ids(&etcd.url);
        assert_eq!(again, members, "a fresh etcd alike has the same IDs");
        let file = etcd.dir.join("scenario.txt");
        std::fs::write(&file, SCENARIO).unwrap();
        let o = Command::new(env!("CARGO_BIN_EXE_etcdplay"))
            .args(["--endpoints", &etcd.url, "transcript"])
            .arg(&file)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let transcript = String::from_utf8(o.stdout).unwrap();
        // what the gateway cannot serve says so (real etcdctl answers these over gRPC)
        let o = Command::new(env!("CARGO_BIN_EXE_etcdplay"))
            .args(["--endpoints", &etcd.url])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                let lines = "etcdctl endpoint hashkv\nETCDCTL_API=2 etcdctl get /x\n";
                c.stdin.take().unwrap().write_all(lines.as_bytes())?;
                c.wait_with_output()
            })
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("Error: etcd 3.4's JSON gateway does not serve HashKV"),
            "{err}"
        );
        assert!(
            err.contains("the v2 API (ETCDCTL_API=2) is not served"),
            "{err}"
        );
        connect_and_disconnect(&etcd.url);
        transcript
    };

    let want = blocks(&normalize(&want, &members, cluster));
    let got = blocks(&normalize(&got, &members, cluster));
    assert_eq!(want.len(), steps.len(), "{want:#?}");
    let mut failed = Vec::new();
    for (i, w) in want.iter().enumerate() {
        let g = got.get(i).map(String::as_str).unwrap_or("(missing)\n");
        if g != w {
            failed.push(format!(
                "--- real etcdctl\n{w}+++ etcdplay --endpoints\n{g}"
            ));
        }
    }
    println!(
        "gateway: {}/{} commands match real etcdctl",
        want.len() - failed.len(),
        want.len()
    );
    assert!(failed.is_empty(), "\n{}", failed.join("\n"));
}

/// `connect URL` in the REPL: etcdctl lines go to the real etcd, `disconnect` comes back to
/// the simulated cluster as it was, and an endpoint where nothing answers says so.
fn connect_and_disconnect(url: &str) {
    let dead = format!("http://127.0.0.1:{}", free_port());
    let lines = format!(
        "etcdctl put sim-only 1\nconnect {url}\netcdctl put from-console hello\netcdctl get sim-only\nstop infra1\ndisconnect\netcdctl get sim-only --print-value-only\netcdctl get from-console\nconnect {dead}\ndisconnect\n"
    );
    let o = Command::new(env!("CARGO_BIN_EXE_etcdplay"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin.take().unwrap().write_all(lines.as_bytes())?;
            c.wait_with_output()
        })
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    let real = Command::new(ETCDCTL)
        .args([
            "--endpoints",
            url,
            "get",
            "from-console",
            "--print-value-only",
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&real.stdout),
        "hello\n",
        "{out}{err}"
    );
    assert!(
        out.contains(&format!(
            "connected to the real etcd cluster at {url}: cluster "
        )),
        "{out}"
    );
    assert!(out.contains("1 member: infra1 ("), "{out}");
    assert!(
        err.contains("stop: not available while connected to the real cluster"),
        "{err}"
    );
    assert!(
        out.contains(&format!(
            "disconnected from {url}: etcdctl lines go to the simulated cluster again"
        )),
        "{out}"
    );
    // the simulated cluster kept its key and never saw the real one's
    let after = out.split("disconnected from").nth(1).unwrap_or("");
    assert!(
        after.contains("\n1\n") && !after.contains("from-console"),
        "{out}"
    );
    assert!(
        err.contains(&format!("connect: {dead}: nothing answers there")),
        "{err}"
    );
    assert!(
        err.contains("disconnect: not connected to a real cluster"),
        "{err}"
    );
}
