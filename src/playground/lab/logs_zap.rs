//! What etcd 3.5.1 prints when it starts (kubelet's container log, systemd's journal): zap's
//! JSON lines on stderr, `{"level":"info","ts":"…","caller":"…","msg":"…",…}`, as recorded
//! from the real etcd 3.5.1 started with kubeadm's flags (and the external-etcd unit's), on a
//! node with a default route. As for 3.4, etcd's Raft lines (`"logger":"raft"`) are left out;
//! times step by a fraction of a millisecond a line from the container's start, and what
//! follows the election comes a second later. A restart is the one etcd makes on a data
//! directory whose WAL it replays (a directory written by `snapshot restore` prints its
//! snapshot lines instead; not simulated).
//!
//! Owns: [`etcd_startup_zap`], zap's field encoding. Must not touch: the member, the files.

use super::etcd::RunningEtcd;
use crate::node::fs::Millis;
use crate::node::manifest::EtcdStart;
use crate::node::time::civil;

/// A zap field's value: a string, a raw JSON value (number, bool), or a list of strings.
pub enum V {
    S(String),
    R(String),
    L(Vec<String>),
}

pub fn s(v: impl Into<String>) -> V {
    V::S(v.into())
}

pub fn r(v: impl ToString) -> V {
    V::R(v.to_string())
}

/// zap's JSON string: `"` and `\` escaped, control characters as `\n`, `\t`, `\u00XX`.
pub fn json_str(v: &str) -> String {
    let mut o = String::from('"');
    for c in v.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' => o.push_str("\\t"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// Go's `time.Duration.String()` of `ns` nanoseconds: `900ms`, `1s`, `147.53µs`, `1h0m0s`.
pub fn go_duration(ns: u64) -> String {
    crate::etcdctl::client::go_duration(std::time::Duration::from_nanos(ns))
}

/// zap's time: `2024-01-01T00:00:00.123Z`.
fn zap_date(ms: Millis) -> String {
    let c = civil(ms);
    format!(
        "{}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        c.year,
        c.month,
        c.day,
        c.hour,
        c.minute,
        c.second,
        c.micros / 1000
    )
}

/// One zap line: level, time, caller, message, then the fields in order.
pub fn zap_line(ts: Millis, level: &str, caller: &str, msg: &str, fields: &[(&str, V)]) -> String {
    let mut o = format!(
        "{{\"level\":\"{level}\",\"ts\":\"{}\",\"caller\":\"{caller}\",\"msg\":{}",
        zap_date(ts),
        json_str(msg)
    );
    for (k, v) in fields {
        o.push_str(&format!(",\"{k}\":"));
        match v {
            V::S(x) => o.push_str(&json_str(x)),
            V::R(x) => o.push_str(x),
            V::L(xs) => {
                let items: Vec<String> = xs.iter().map(|x| json_str(x)).collect();
                o.push_str(&format!("[{}]", items.join(",")));
            }
        }
    }
    o.push_str("}\n");
    o
}

/// The lines of one start, each a little after the one before.
struct Log {
    out: String,
    us: u64,
}

impl Log {
    fn line(&mut self, at: Millis, level: &str, caller: &str, msg: &str, fields: &[(&str, V)]) {
        self.us += 370;
        let ts = at + (self.us % 900_000) / 1000;
        self.out.push_str(&zap_line(ts, level, caller, msg, fields));
    }
}

fn hosts(urls: &[String]) -> Vec<String> {
    urls.iter()
        .map(|u| {
            u.split_once("://")
                .map_or(u.as_str(), |(_, h)| h)
                .to_string()
        })
        .collect()
}

/// A `--flag` in milliseconds (heartbeat, election) as nanoseconds.
fn ms_flag(spec: &EtcdStart, name: &str, default: u64) -> u64 {
    spec.flag(name)
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(default)
        .saturating_mul(1_000_000)
}

/// `--auto-compaction-retention` as etcd 3.5 reads it: hours (periodic) or a revision count
/// (revision), or a Go duration written as such.
fn retention(spec: &EtcdStart, mode: &str) -> String {
    let v = spec.flag("auto-compaction-retention").unwrap_or("0");
    match (v.parse::<u64>(), mode) {
        (Ok(n), "revision") => go_duration(n),
        (Ok(n), _) => go_duration(n.saturating_mul(3_600_000_000_000)),
        (Err(_), _) => v.to_string(),
    }
}

/// etcd 3.5.1's startup lines for the member started at `at` from `spec`: a new member
/// (`fresh`) or one restarting on a data directory it already has.
pub fn etcd_startup_zap(spec: &EtcdStart, e: &RunningEtcd, at: Millis, fresh: bool) -> String {
    let f = |n: &str| spec.flag(n).unwrap_or("").to_string();
    let list = |n: &str| -> Vec<String> {
        f(n).split(',')
            .filter(|u| !u.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut log = Log {
        out: String::new(),
        us: 0,
    };
    let (id, cid) = (format!("{:x}", e.id), format!("{:x}", e.cluster_id));
    let dir = spec.data_dir.trim_end_matches('/').to_string();
    log.line(
        at,
        "info",
        "etcdmain/etcd.go:72",
        "Running: ",
        &[("args", V::L(spec.argv.clone()))],
    );
    if !fresh {
        log.line(
            at,
            "info",
            "etcdmain/etcd.go:115",
            "server has been already initialized",
            &[("data-dir", s(&spec.data_dir)), ("dir-type", s("member"))],
        );
    }
    let listen_peer = list("listen-peer-urls");
    let listen_peer = if listen_peer.is_empty() {
        vec!["http://localhost:2380".to_string()]
    } else {
        listen_peer
    };
    log.line(
        at,
        "info",
        "embed/etcd.go:131",
        "configuring peer listeners",
        &[("listen-peer-urls", V::L(listen_peer.clone()))],
    );
    let tls = |cert: &str, key: &str, ca: &str, auth: &str| {
        format!(
            "cert = {}, key = {}, client-cert=, client-key=, trusted-ca = {}, client-cert-auth = {}, crl-file = ",
            f(cert),
            f(key),
            f(ca),
            spec.flag(auth) == Some("true")
        )
    };
    if spec.flag("peer-cert-file").is_some() {
        let t = tls(
            "peer-cert-file",
            "peer-key-file",
            "peer-trusted-ca-file",
            "peer-client-cert-auth",
        );
        log.line(
            at,
            "info",
            "embed/etcd.go:478",
            "starting with peer TLS",
            &[("tls-info", s(t)), ("cipher-suites", V::L(Vec::new()))],
        );
    }
    let listen_client = spec.listen_client_urls();
    log.line(
        at,
        "info",
        "embed/etcd.go:139",
        "configuring client listeners",
        &[("listen-client-urls", V::L(listen_client.clone()))],
    );
    let heartbeat = ms_flag(spec, "heartbeat-interval", 100);
    let election = ms_flag(spec, "election-timeout", 1000);
    let ticks = election / heartbeat.max(1);
    let snapshot_count = spec.flag("snapshot-count").unwrap_or("100000").to_string();
    let quota = spec
        .flag("quota-backend-bytes")
        .and_then(|q| q.parse::<u64>().ok())
        .filter(|q| *q > 0);
    let quota_bytes = quota.unwrap_or(2_147_483_648);
    let mode = spec
        .flag("auto-compaction-mode")
        .unwrap_or("periodic")
        .to_string();
    let retain = retention(spec, &mode);
    let wal = f("wal-dir");
    let metrics = list("listen-metrics-urls");
    log.line(
        at,
        "info",
        "embed/etcd.go:307",
        "starting an etcd server",
        &[
            ("etcd-version", s("3.5.1")),
            ("git-sha", s("e8732fb5f")),
            ("go-version", s("go1.16.3")),
            ("go-os", s("linux")),
            ("go-arch", s("amd64")),
            ("max-cpu-set", r(4)),
            ("max-cpu-available", r(4)),
            ("member-initialized", r(!fresh)),
            ("name", s(&spec.name)),
            ("data-dir", s(&spec.data_dir)),
            ("wal-dir", s(&wal)),
            ("wal-dir-dedicated", s(&wal)),
            ("member-dir", s(format!("{dir}/member"))),
            (
                "force-new-cluster",
                r(spec.flag("force-new-cluster") == Some("true")),
            ),
            ("heartbeat-interval", s(go_duration(heartbeat))),
            ("election-timeout", s(go_duration(election))),
            ("initial-election-tick-advance", r(true)),
            ("snapshot-count", r(&snapshot_count)),
            ("snapshot-catchup-entries", r(5000)),
            (
                "initial-advertise-peer-urls",
                V::L(spec.initial_advertise_peer_urls()),
            ),
            ("listen-peer-urls", V::L(listen_peer.clone())),
            ("advertise-client-urls", V::L(spec.advertise_client_urls())),
            ("listen-client-urls", V::L(listen_client.clone())),
            ("listen-metrics-urls", V::L(metrics.clone())),
            ("cors", V::L(vec!["*".to_string()])),
            ("host-whitelist", V::L(vec!["*".to_string()])),
            (
                "initial-cluster",
                s(if fresh {
                    spec.flag("initial-cluster").map_or_else(
                        || format!("{}=http://localhost:2380", spec.name),
                        str::to_string,
                    )
                } else {
                    String::new()
                }),
            ),
            (
                "initial-cluster-state",
                s(spec.flag("initial-cluster-state").unwrap_or("new")),
            ),
            (
                "initial-cluster-token",
                s(if fresh {
                    spec.flag("initial-cluster-token").unwrap_or("etcd-cluster")
                } else {
                    ""
                }),
            ),
            ("quota-size-bytes", r(quota_bytes)),
            ("pre-vote", r(spec.flag("pre-vote") != Some("false"))),
            (
                "initial-corrupt-check",
                r(spec.flag("experimental-initial-corrupt-check") == Some("true")),
            ),
            ("corrupt-check-time-interval", s("0s")),
            ("auto-compaction-mode", s(&mode)),
            ("auto-compaction-retention", s(&retain)),
            ("auto-compaction-interval", s(&retain)),
            ("discovery-url", s("")),
            ("discovery-proxy", s("")),
            ("downgrade-check-interval", s("5s")),
        ],
    );
    let took = 140_000 + (at % 700) * 1_000 + at % 997;
    log.line(
        at,
        "info",
        "etcdserver/backend.go:81",
        "opened backend db",
        &[
            ("path", s(format!("{dir}/member/snap/db"))),
            ("took", s(go_duration(took))),
        ],
    );
    if fresh {
        log.line(
            at,
            "info",
            "etcdserver/raft.go:448",
            "starting local member",
            &[("local-member-id", s(&id)), ("cluster-id", s(&cid))],
        );
    } else {
        log.line(
            at,
            "info",
            "etcdserver/server.go:526",
            "No snapshot found. Recovering WAL from scratch!",
            &[],
        );
        log.line(
            at,
            "info",
            "etcdserver/raft.go:483",
            "restarting local member",
            &[
                ("cluster-id", s(&cid)),
                ("local-member-id", s(&id)),
                ("commit-index", r(e.start_commit)),
            ],
        );
    }
    log.line(
        at,
        "warn",
        "auth/store.go:1220",
        "simple token is not cryptographically signed",
        &[],
    );
    let rev = if fresh { 1 } else { e.start_rev.max(1) };
    log.line(
        at,
        "info",
        "mvcc/kvstore.go:415",
        "kvstore restored",
        &[("current-rev", r(rev))],
    );
    match quota {
        None => log.line(
            at,
            "info",
            "etcdserver/quota.go:94",
            "enabled backend quota with default value",
            &[
                ("quota-name", s("v3-applier")),
                ("quota-size-bytes", r(quota_bytes)),
                ("quota-size", s(crate::api::size::humanize(quota_bytes))),
            ],
        ),
        Some(q) => log.line(
            at,
            "info",
            "etcdserver/quota.go:108",
            "enabled backend quota",
            &[
                ("quota-name", s("v3-applier")),
                ("quota-size-bytes", r(q)),
                ("quota-size", s(crate::api::size::humanize(q))),
            ],
        ),
    }
    if !fresh && spec.flag("experimental-initial-corrupt-check") == Some("true") {
        log.line(
            at,
            "info",
            "etcdserver/corrupt.go:46",
            "starting initial corruption check",
            &[("local-member-id", s(&id)), ("timeout", s("7s"))],
        );
        log.line(
            at,
            "info",
            "etcdserver/corrupt.go:116",
            "initial corruption checking passed; no corruption",
            &[("local-member-id", s(&id))],
        );
    }
    log.line(
        at,
        "info",
        "etcdserver/server.go:843",
        "starting etcd server",
        &[
            ("local-member-id", s(&id)),
            ("local-server-version", s("3.5.1")),
            ("cluster-version", s("to_be_decided")),
        ],
    );
    let added = [
        ("cluster-id", s(&cid)),
        ("local-member-id", s(&id)),
        ("added-peer-id", s(&id)),
        ("added-peer-peer-urls", V::L(e.peer_urls.clone())),
    ];
    let peer_hosts = hosts(&listen_peer);
    let serving_peer = |log: &mut Log| {
        for h in &peer_hosts {
            log.line(
                at,
                "info",
                "embed/etcd.go:580",
                "serving peer traffic",
                &[("address", s(h))],
            );
            log.line(
                at,
                "info",
                "embed/etcd.go:552",
                "cmux::serve",
                &[("address", s(h))],
            );
        }
    };
    let client_tls = |log: &mut Log| {
        if spec.flag("cert-file").is_some() {
            let t = tls(
                "cert-file",
                "key-file",
                "trusted-ca-file",
                "client-cert-auth",
            );
            log.line(
                at,
                "info",
                "embed/etcd.go:687",
                "starting with client TLS",
                &[("tls-info", s(t)), ("cipher-suites", V::L(Vec::new()))],
            );
        }
    };
    let now_serving = |log: &mut Log| {
        log.line(
            at,
            "info",
            "embed/etcd.go:276",
            "now serving peer/client/metrics",
            &[
                ("local-member-id", s(&id)),
                (
                    "initial-advertise-peer-urls",
                    V::L(spec.initial_advertise_peer_urls()),
                ),
                ("listen-peer-urls", V::L(listen_peer.clone())),
                ("advertise-client-urls", V::L(spec.advertise_client_urls())),
                ("listen-client-urls", V::L(listen_client.clone())),
                ("listen-metrics-urls", V::L(metrics.clone())),
            ],
        );
        for m in &metrics {
            log.line(
                at,
                "info",
                "embed/etcd.go:762",
                "serving metrics",
                &[("address", s(m))],
            );
        }
    };
    let version = [("cluster-version", s("3.5"))];
    let set_version = [
        ("cluster-id", s(&cid)),
        ("local-member-id", s(&id)),
        ("cluster-version", s("3.5")),
    ];
    if fresh {
        log.line(
            at,
            "info",
            "etcdserver/server.go:728",
            "started as single-node; fast-forwarding election ticks",
            &[
                ("local-member-id", s(&id)),
                ("forward-ticks", r(ticks.saturating_sub(1))),
                (
                    "forward-duration",
                    s(go_duration(heartbeat * ticks.saturating_sub(1))),
                ),
                ("election-ticks", r(ticks)),
                ("election-timeout", s(go_duration(election))),
            ],
        );
        log.line(
            at,
            "info",
            "membership/cluster.go:421",
            "added member",
            &added,
        );
        client_tls(&mut log);
        serving_peer(&mut log);
        now_serving(&mut log);
    } else {
        client_tls(&mut log);
        now_serving(&mut log);
        log.line(
            at,
            "info",
            "etcdserver/server.go:744",
            "starting initial election tick advance",
            &[("election-ticks", r(ticks))],
        );
        serving_peer(&mut log);
        log.line(
            at,
            "info",
            "membership/cluster.go:421",
            "added member",
            &added,
        );
        log.line(
            at,
            "info",
            "membership/cluster.go:584",
            "set initial cluster version",
            &set_version,
        );
        log.line(
            at,
            "info",
            "api/capability.go:75",
            "enabled capabilities for version",
            &version,
        );
    }
    let later = at + 1000;
    if fresh {
        log.line(
            later,
            "info",
            "etcdserver/server.go:2476",
            "setting up initial cluster version using v2 API",
            &version,
        );
        log.line(
            later,
            "info",
            "membership/cluster.go:584",
            "set initial cluster version",
            &set_version,
        );
        log.line(
            later,
            "info",
            "api/capability.go:75",
            "enabled capabilities for version",
            &version,
        );
        log.line(
            later,
            "info",
            "etcdserver/server.go:2500",
            "cluster version is updated",
            &version,
        );
    }
    log.line(
        later,
        "info",
        "etcdserver/server.go:2027",
        "published local member to cluster through raft",
        &[
            ("local-member-id", s(&id)),
            (
                "local-member-attributes",
                s(format!(
                    "{{Name:{} ClientURLs:[{}]}}",
                    spec.name,
                    spec.advertise_client_urls().join(" ")
                )),
            ),
            ("request-path", s(format!("/0/members/{id}/attributes"))),
            ("cluster-id", s(&cid)),
            ("publish-timeout", s("7s")),
        ],
    );
    for (u, h) in listen_client.iter().zip(hosts(&listen_client)) {
        log.line(
            later,
            "info",
            "embed/serve.go:98",
            "ready to serve client requests",
            &[],
        );
        if u.starts_with("https://") {
            log.line(
                later,
                "info",
                "embed/serve.go:188",
                "serving client traffic securely",
                &[("address", s(h))],
            );
        } else {
            log.line(
                later,
                "info",
                "embed/serve.go:140",
                "serving client traffic insecurely; this is strongly discouraged!",
                &[("address", s(h))],
            );
        }
    }
    log.line(
        later,
        "info",
        "etcdmain/main.go:47",
        "notifying init daemon",
        &[],
    );
    log.line(
        later,
        "info",
        "etcdmain/main.go:53",
        "successfully notified init daemon",
        &[],
    );
    log.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations_and_sizes() {
        assert_eq!(go_duration(900_000_000), "900ms");
        assert_eq!(go_duration(1_000_000_000), "1s");
        assert_eq!(go_duration(147_530), "147.53µs");
        assert_eq!(go_duration(3_600_000_000_000), "1h0m0s");
        assert_eq!(crate::api::size::humanize(2_147_483_648), "2.1 GB");
        assert_eq!(crate::api::size::humanize(20_480), "20 kB");
        assert_eq!(json_str("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
    }

    #[test]
    fn kubeadm_etcd_logs_as_3_5_at_3_5() {
        use crate::api::EtcdVersion;
        use crate::playground::Playground;
        let mut p =
            Playground::for_lab_version(super::super::LabKind::Kubeadm, 1, EtcdVersion::V3_5_1);
        let o = p.run("kubectl logs etcd-controlplane -n kube-system", None);
        let lines: Vec<&str> = o.stdout.lines().collect();
        assert_eq!(lines.len(), 29, "{}", o.stdout);
        assert!(lines.iter().all(|l| l.starts_with("{\"level\":\"")));
        assert!(lines[0].contains(r#""msg":"Running: ","args":["etcd","--advertise"#));
        assert!(o.stdout.contains(r#""etcd-version":"3.5.1""#));
        assert!(!o.stdout.contains("3.4"));
        // kubelet restarts etcd on its data directory: the restart's lines
        p.run(
            "sed -i s/snapshot-count=10000/snapshot-count=10001/ /etc/kubernetes/manifests/etcd.yaml",
            None,
        );
        p.run("advance 30s", None);
        let o = p.run("kubectl logs etcd-controlplane -n kube-system", None);
        assert!(o
            .stdout
            .contains(r#""msg":"server has been already initialized""#));
        assert!(o.stdout.contains(r#""msg":"restarting local member""#));
    }
}

/// What etcd 3.5.1 prints when SIGTERM stops it (recorded from a real single-member etcd;
/// gRPC's reconnect warning, which races with the listeners closing, is left out).
pub fn etcd_stop_zap(e: &RunningEtcd, at: Millis) -> Vec<String> {
    let id = format!("{:x}", e.id);
    let dir = e.host_data_dir.clone().unwrap_or_default();
    let server = |msg: &str, caller: &str, at: Millis| {
        zap_line(
            at,
            "info",
            caller,
            msg,
            &[
                ("name", s(e.name.clone())),
                ("data-dir", s(dir.clone())),
                ("advertise-peer-urls", V::L(e.peer_urls.clone())),
                ("advertise-client-urls", V::L(e.client_urls.clone())),
            ],
        )
    };
    let mut out = vec![
        zap_line(
            at,
            "info",
            "osutil/interrupt_unix.go:64",
            "received signal; shutting down",
            &[("signal", s("terminated"))],
        ),
        server("closing etcd server", "embed/etcd.go:367", at),
        zap_line(
            at + 2,
            "info",
            "etcdserver/server.go:1438",
            "skipped leadership transfer for single voting member cluster",
            &[
                ("local-member-id", s(id.clone())),
                ("current-leader-member-id", s(id)),
            ],
        ),
    ];
    for u in &e.peer_urls {
        let address = u.split("://").nth(1).unwrap_or(u).to_string();
        for (msg, caller) in [
            ("stopping serving peer traffic", "embed/etcd.go:562"),
            ("stopped serving peer traffic", "embed/etcd.go:567"),
        ] {
            out.push(zap_line(
                at + 4,
                "info",
                caller,
                msg,
                &[("address", s(address.clone()))],
            ));
        }
    }
    out.push(server("closed etcd server", "embed/etcd.go:369", at + 4));
    // zap ends each line; the journal keeps lines without it
    out.iter().map(|l| l.trim_end().to_string()).collect()
}
