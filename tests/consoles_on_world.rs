//! The consoles against the simulated world, through the Cluster interface: kubectl over a
//! world (and its scenario files under `tests/scenarios/kubectl/`), the `load k8s` sample, and
//! etcdctl API 2 on any command line. The consoles' own unit tests use in-memory fakes; these
//! check them against the real thing.

use std::time::Duration;

use etcd_playground::api::{RangeRequest, Request, Response};
use etcd_playground::etcdctl::v2::{self, Outcome};
use etcd_playground::kubectl;
use etcd_playground::playground::load::load_k8s;
use etcd_playground::sim::World;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;

const ETCD: &str = kubectl::client::ETCD_ENDPOINT;
const TIMEOUT: Duration = kubectl::client::ETCD_TIMEOUT;

#[test]
fn through_the_world() {
    let mut w = World::new(3);
    let (_, err, exit, _) = kubectl::run(&mut w, &["get".to_string(), "pods".to_string()]);
    assert_eq!(
        (err.as_str(), exit),
        (format!("{}\n", kubectl::CONNECTION_REFUSED).as_str(), 1)
    );
    let msg = load_k8s(&mut w, false).unwrap();
    assert!(
        msg.starts_with("loaded the small Kubernetes sample: 3"),
        "{msg}"
    );
    assert!(load_k8s(&mut w, false).is_err());
    let argv = |s: &str| s.split_whitespace().map(String::from).collect::<Vec<_>>();
    let (out, err, exit, reqs) = kubectl::run(&mut w, &argv("get pods -n kube-system"));
    assert_eq!(exit, 0, "{err}");
    assert_eq!(out.lines().count(), 10);
    assert!(reqs[0].header_revision > 300);
    // resourceVersion is the mod_revision in the real store.
    let r = w
        .call(
            ETCD,
            None,
            Request::Range(RangeRequest {
                key: b"/registry/namespaces/demo".to_vec(),
                ..Default::default()
            }),
            TIMEOUT,
        )
        .unwrap();
    let Response::Range(r) = r else { panic!() };
    let v: Value = serde_json::from_slice(&r.kvs[0].value).unwrap();
    assert_eq!(
        v["metadata"]["resourceVersion"],
        r.kvs[0].mod_revision.to_string()
    );
    let (out, _, exit, _) = kubectl::run(&mut w, &argv("delete pod redis-1 -n demo"));
    assert_eq!((out.as_str(), exit), ("pod \"redis-1\" deleted\n", 0));
    let (_, err, exit, _) = kubectl::run(&mut w, &argv("get pod redis-1 -n demo"));
    assert_eq!(
        (err.as_str(), exit),
        (
            "Error from server (NotFound): pods \"redis-1\" not found\n",
            1
        )
    );
}

/// Replays `tests/scenarios/kubectl/*.txt` through a World: the commands (lines starting with
/// `$ `) are run, and the transcript they print must equal the file. `KUBECTL_BLESS=1`
/// rewrites the files from the current output.
#[test]
fn scenario_files() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/kubectl");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let mut w = World::new(1);
        let mut out = String::new();
        for line in text.lines() {
            if line.starts_with('#') && !line.starts_with("# etcd:") {
                out.push_str(line);
                out.push('\n');
                continue;
            }
            let Some(cmd) = line.strip_prefix("$ ") else {
                continue;
            };
            out.push_str(line);
            out.push('\n');
            if cmd == "load k8s" {
                out.push_str(&load_k8s(&mut w, false).unwrap());
                out.push('\n');
                continue;
            }
            let argv: Vec<String> = cmd.split_whitespace().map(String::from).collect();
            let (so, se, exit, reqs) = kubectl::run(&mut w, &argv);
            out.push_str(&so);
            for l in se.lines() {
                out.push_str(&format!("! {l}\n"));
            }
            if exit != 0 {
                out.push_str(&format!("? {exit}\n"));
            }
            for r in reqs {
                out.push_str(&format!("# etcd: {}\n", r.line()));
            }
        }
        if std::env::var_os("KUBECTL_BLESS").is_some() {
            std::fs::write(&path, &out).unwrap();
        } else {
            assert_eq!(
                out,
                text,
                "{} differs (KUBECTL_BLESS=1 to accept)",
                path.display()
            );
        }
    }
}

/// The large load takes no member snapshot on the way (each would serialise the whole growing
/// store on every member): right after it a snapshot is due, the interval is back as it was,
/// and `snapshot_if_due` takes it once, with every key still there.
#[test]
fn large_load_holds_snapshots_back() {
    let mut w = World::new(3);
    w.set_snapshot_count(500);
    let msg = load_k8s(&mut w, true).unwrap();
    assert!(
        msg.starts_with("loaded the large Kubernetes sample"),
        "{msg}"
    );
    assert_eq!(w.snapshot_count(), 500);
    assert!(w.snapshot_due());
    assert!(w.snapshot_if_due());
    assert!(!w.snapshot_due());
    assert!(!w.snapshot_if_due());
    let r = w
        .call(
            ETCD,
            None,
            Request::Range(RangeRequest {
                key: b"/registry/".to_vec(),
                range_end: b"/registry0".to_vec(),
                count_only: true,
                ..Default::default()
            }),
            TIMEOUT,
        )
        .unwrap();
    let Response::Range(r) = r else { panic!() };
    assert!(r.count > 100_000, "{}", r.count);
}

fn words() -> impl Strategy<Value = Vec<String>> {
    let token = prop::sample::select(vec![
        "set",
        "get",
        "mk",
        "mkdir",
        "setdir",
        "update",
        "updatedir",
        "rm",
        "rmdir",
        "ls",
        "watch",
        "exec-watch",
        "member",
        "list",
        "add",
        "remove",
        "user",
        "role",
        "auth",
        "enable",
        "disable",
        "grant",
        "revoke",
        "help",
        "h",
        "--ttl",
        "1",
        "-1",
        "0x10",
        "abc",
        "--dir",
        "-r",
        "--recursive",
        "--sort",
        "-p",
        "--swap-with-value",
        "--swap-with-index",
        "--with-value",
        "--with-index",
        "--after-index",
        "--forever",
        "--in-order",
        "/a",
        "/a/b",
        "/",
        "",
        "_h",
        "/_x",
        "--",
        "-",
        "-o",
        "json",
        "extended",
        "simple",
        "--roles",
        "--path",
        "/public/*",
        "--read",
        "--write",
        "--rw",
        "--endpoints",
        "http://127.0.0.1:1",
        "127.0.0.1:2379",
        "--username",
        "root:pw",
        "--help",
        "-h",
        "--version",
        "--bogus",
        "=",
        "--ttl=",
        "-ttl=5",
        "echo",
        "cluster-health",
        "passwd",
    ])
    .prop_map(String::from);
    prop::collection::vec(token, 0..7)
}

/// Any command line, however odd, ends with an exit status and never panics.
#[test]
fn no_panic_on_any_command_line() {
    let world = std::cell::RefCell::new(World::new(7));
    let mut runner = TestRunner::new(Config {
        cases: 300,
        ..Config::default()
    });
    runner
        .run(&words(), |args| {
            let env = |_: &str| None;
            let mut world = world.borrow_mut();
            if std::env::var("V2_FUZZ_SHOW").is_ok() {
                eprintln!("{:?}", args);
            }
            match v2::run(
                &mut *world,
                &args,
                &env,
                Some("pw\nmore\n"),
                Default::default(),
            ) {
                Outcome::Done(_) => {}
                Outcome::Running(_, mut task) => {
                    world.advance(std::time::Duration::from_millis(300));
                    let _ = task.poll(&mut *world);
                }
            }
            Ok(())
        })
        .unwrap();
}
