//! What etcd 3.5.1 prints when it cannot start on its data directory as the unit's `User=`
//! (the external-etcd lab's journal): its startup lines up to where it stops, then zap's
//! `fatal` line (exit 1) or `panic` line with Go's goroutine dump (exit 2). Recorded from the
//! real etcd 3.5.1 run as user `etcd` on directories it cannot list, create, write, or whose
//! `member/snap`, `db` or `member/wal` belong to root (`tests/lab/recorded-3.5.1/`).
//!
//! Owns: these failures' texts. Must not touch: which failure happens (`node::etcd_service`),
//! the startup lines (`logs_zap`).

use super::etcd::RunningEtcd;
use super::logs_zap::{s, zap_line, V};
use crate::node::etcd_service::Stage;
use crate::node::fs::Millis;

const REL: &str = "/tmp/etcd-release-3.5.1/etcd/release/etcd/server";
const ZAP: &str =
    "/home/remote/sbatsche/.gvm/pkgsets/go1.16.3/global/pkg/mod/go.uber.org/zap@v1.17.0";
const RUNTIME: &str = "/home/remote/sbatsche/.gvm/gos/go1.16.3/src/runtime/proc.go:225";

/// A zap `stacktrace` field: (function, file:line under the release's `server/`) frames.
fn stack(frames: &[(&str, &str)]) -> String {
    let mut out: Vec<String> = frames
        .iter()
        .map(|(f, at)| format!("go.etcd.io/etcd/server/v3/{f}\n\t{REL}/{at}"))
        .collect();
    out.push(format!("main.main\n\t{REL}/main.go:32"));
    out.push(format!("runtime.main\n\t{RUNTIME}"));
    out.join("\n")
}

/// The frames from `etcdmain.Main` down to `embed.StartEtcd`.
const START: [(&str, &str); 4] = [
    ("embed.StartEtcd", "embed/etcd.go:244"),
    ("etcdmain.startEtcd", "etcdmain/etcd.go:227"),
    ("etcdmain.startEtcdOrProxyV2", "etcdmain/etcd.go:122"),
    ("etcdmain.Main", "etcdmain/main.go:40"),
];

/// zap's `check file permission` warning (a logger with epoch-seconds times).
pub fn permission_warning_zap(at: Millis, dir: &str, mode_text: &str) -> String {
    let err = format!(
        "directory \"{dir}\" exist, but the permission is \"{mode_text}\". The recommended permission is \"-rwx------\" to prevent possible unprivileged access to the data"
    );
    format!(
        "{{\"level\":\"warn\",\"ts\":{}.{:03}0000,\"caller\":\"fileutil/fileutil.go:57\",\"msg\":\"check file permission\",\"error\":{}}}",
        at / 1000,
        at % 1000,
        super::logs_zap::json_str(&err)
    )
}

fn line(at: Millis, level: &str, caller: &str, msg: &str, fields: &[(&str, V)]) -> String {
    zap_line(at, level, caller, msg, fields)
        .trim_end()
        .to_string()
}

/// Go's dump after a zap panic: the message, then the goroutine's frames as the release
/// binary printed them.
fn panic_dump(msg: &str, goroutine: &str, frames: &[(&str, &str)]) -> Vec<String> {
    let mut out = vec![
        format!("panic: {msg}"),
        String::new(),
        format!("goroutine {goroutine} [running]:"),
    ];
    for (f, at) in frames {
        out.push(f.to_string());
        out.push(format!(
            "\t{}",
            at.replace("{REL}", REL).replace("{ZAP}", ZAP)
        ));
    }
    out
}

/// The journal lines of a start that stops at `stage` with etcd's `message` (the text
/// `check_data_dir` gives, as etcd 3.4 words it), after the startup lines `startup`; and
/// the exit status. `warnings`: the permission warnings etcd logs before it stops.
pub fn failed_start_zap(
    startup: &[String],
    e: &RunningEtcd,
    stage: Stage,
    message: &str,
    at: Millis,
    warnings: Vec<String>,
) -> (i32, Vec<String>) {
    let dir = e.host_data_dir.clone().unwrap_or_default();
    let dir = dir.trim_end_matches('/');
    let upto = |msg: &str| {
        let m = format!("\"msg\":\"{msg}\"");
        let end = startup
            .iter()
            .position(|l| l.contains(&m))
            .map_or(startup.len(), |i| i + 1);
        startup[..end].to_vec()
    };
    if stage == Stage::Listing {
        let mut lines = upto("Running: ");
        lines.push(line(
            at,
            "fatal",
            "etcdmain/etcd.go:434",
            "failed to list data directory",
            &[
                ("dir", s(dir)),
                ("error", s(format!("open {dir}: permission denied"))),
                (
                    "stacktrace",
                    s(stack(&[
                        ("etcdmain.identifyDataDirOrDie", "etcdmain/etcd.go:434"),
                        ("etcdmain.startEtcdOrProxyV2", "etcdmain/etcd.go:113"),
                        ("etcdmain.Main", "etcdmain/main.go:40"),
                    ])),
                ),
            ],
        ));
        return (1, lines);
    }
    let mut lines = upto("starting an etcd server");
    lines.extend(warnings);
    if let Some(err) = message.strip_prefix("create snapshot directory error: ") {
        let mut frames = vec![("etcdserver.NewServer", "etcdserver/server.go:358")];
        frames.extend(START);
        lines.push(line(
            at,
            "fatal",
            "etcdserver/server.go:358",
            "failed to create snapshot directory",
            &[
                ("path", s(format!("{dir}/member/snap"))),
                ("error", s(err)),
                ("stacktrace", s(stack(&frames))),
            ],
        ));
        return (1, lines);
    }
    if let Some(err) = message.strip_prefix("create wal error: ") {
        lines.push(line(
            at,
            "info",
            "etcdserver/backend.go:81",
            "opened backend db",
            &[
                ("path", s(format!("{dir}/member/snap/db"))),
                ("took", s("128.001µs")),
            ],
        ));
        lines.push(line(
            at,
            "warn",
            "wal/wal.go:179",
            "failed to rename the temporary WAL directory",
            &[
                ("tmp-dir-path", s(format!("{dir}/member/wal.tmp"))),
                ("dir-path", s(format!("{dir}/member/wal"))),
                ("error", s(err)),
            ],
        ));
        let mut frames = vec![
            ("etcdserver.startNode", "etcdserver/raft.go:433"),
            ("etcdserver.NewServer", "etcdserver/server.go:467"),
        ];
        frames.extend(START);
        lines.push(line(
            at,
            "panic",
            "etcdserver/raft.go:433",
            "failed to create WAL",
            &[("error", s(err)), ("stacktrace", s(stack(&frames)))],
        ));
        lines.extend(panic_dump(
            "failed to create WAL",
            "1",
            &[
                ("go.uber.org/zap/zapcore.(*CheckedEntry).Write(0xc00011c480, 0xc000018680, 0x1, 0x1)", "{ZAP}/zapcore/entry.go:234 +0x58d"),
                ("go.uber.org/zap.(*Logger).Panic(0xc000420190, 0x1211b86, 0x14, 0xc000018680, 0x1, 0x1)", "{ZAP}/logger.go:227 +0x85"),
                ("go.etcd.io/etcd/server/v3/etcdserver.startNode(0x7ffcb315299c, 0xb, 0x0, 0x0, 0x0, 0x0, 0xc000444a20, 0x1, 0x1, 0xc000444ea0, ...)", "{REL}/etcdserver/raft.go:433 +0x2c7"),
                ("go.etcd.io/etcd/server/v3/etcdserver.NewServer(0x7ffcb315299c, 0xb, 0x0, 0x0, 0x0, 0x0, 0xc000444a20, 0x1, 0x1, 0xc000444ea0, ...)", "{REL}/etcdserver/server.go:467 +0x4628"),
                ("go.etcd.io/etcd/server/v3/embed.StartEtcd(0xc0003fc000, 0xc0003fc600, 0x0, 0x0)", "{REL}/embed/etcd.go:244 +0xef8"),
                ("go.etcd.io/etcd/server/v3/etcdmain.startEtcd(0xc0003fc000, 0x1203b54, 0x6, 0xc0000e4101, 0x2)", "{REL}/etcdmain/etcd.go:227 +0x32"),
                ("go.etcd.io/etcd/server/v3/etcdmain.startEtcdOrProxyV2(0xc00003a0e0, 0xe, 0xe)", "{REL}/etcdmain/etcd.go:122 +0x257a"),
                ("go.etcd.io/etcd/server/v3/etcdmain.Main(0xc00003a0e0, 0xe, 0xe)", "{REL}/etcdmain/main.go:40 +0x11f"),
                ("main.main()", "{REL}/main.go:32 +0x45"),
            ],
        ));
        return (2, lines);
    }
    if stage == Stage::Backend {
        let db = format!("{dir}/member/snap/db");
        lines.push(line(
            at,
            "panic",
            "backend/backend.go:182",
            "failed to open database",
            &[
                ("path", s(db.clone())),
                ("error", s(format!("open {db}: permission denied"))),
                (
                    "stacktrace",
                    s([
                        ("mvcc/backend.newBackend", "mvcc/backend/backend.go:182"),
                        ("mvcc/backend.New", "mvcc/backend/backend.go:156"),
                        ("etcdserver.newBackend", "etcdserver/backend.go:55"),
                        ("etcdserver.openBackend.func1", "etcdserver/backend.go:76"),
                    ]
                    .iter()
                    .map(|(f, at)| format!("go.etcd.io/etcd/server/v3/{f}\n\t{REL}/{at}"))
                    .collect::<Vec<_>>()
                    .join("\n")),
                ),
            ],
        ));
        lines.extend(panic_dump(
            "failed to open database",
            "130",
            &[
                ("go.uber.org/zap/zapcore.(*CheckedEntry).Write(0xc00046c480, 0xc000402380, 0x2, 0x2)", "{ZAP}/zapcore/entry.go:234 +0x58d"),
                ("go.uber.org/zap.(*Logger).Panic(0xc00040e1e0, 0x1215344, 0x17, 0xc000402380, 0x2, 0x2)", "{ZAP}/logger.go:227 +0x85"),
                ("go.etcd.io/etcd/server/v3/mvcc/backend.newBackend(0xc000049200, 0x1e, 0x5f5e100, 0x2710, 0x1204d14, 0x7, 0x280000000, 0xc00040e1e0, 0x0, 0x1380280, ...)", "{REL}/mvcc/backend/backend.go:182 +0x3db"),
                ("go.etcd.io/etcd/server/v3/mvcc/backend.New(...)", "{REL}/mvcc/backend/backend.go:156"),
                ("go.etcd.io/etcd/server/v3/etcdserver.newBackend(0x7ffd91c409a5, 0xb, 0x0, 0x0, 0x0, 0x0, 0xc0001ca7e0, 0x1, 0x1, 0xc0001caea0, ...)", "{REL}/etcdserver/backend.go:55 +0x1f8"),
                ("go.etcd.io/etcd/server/v3/etcdserver.openBackend.func1(0xc0004d6240, 0xc0000d4600, 0x1380280, 0xc0001cb560)", "{REL}/etcdserver/backend.go:76 +0x98"),
            ],
        ));
        lines.push("created by go.etcd.io/etcd/server/v3/etcdserver.openBackend".to_string());
        lines.push(format!("\t{REL}/etcdserver/backend.go:75 +0x12b"));
        return (2, lines);
    }
    // the data directory itself cannot be made or written: the server closes, then main
    // gives up
    let urls = |u: &[String]| V::L(u.to_vec());
    for (msg, caller) in [
        ("closing etcd server", "embed/etcd.go:367"),
        ("closed etcd server", "embed/etcd.go:369"),
    ] {
        lines.push(line(
            at,
            "info",
            caller,
            msg,
            &[
                ("name", s(e.name.clone())),
                ("data-dir", s(dir)),
                ("advertise-peer-urls", urls(&e.peer_urls)),
                ("advertise-client-urls", urls(&e.client_urls)),
            ],
        ));
    }
    lines.push(line(
        at,
        "warn",
        "etcdmain/etcd.go:145",
        "failed to start etcd",
        &[("error", s(message))],
    ));
    lines.push(line(
        at,
        "fatal",
        "etcdmain/etcd.go:203",
        "discovery failed",
        &[
            ("error", s(message)),
            (
                "stacktrace",
                s(stack(&[
                    ("etcdmain.startEtcdOrProxyV2", "etcdmain/etcd.go:203"),
                    ("etcdmain.Main", "etcdmain/main.go:40"),
                ])),
            ),
        ],
    ));
    (1, lines)
}
