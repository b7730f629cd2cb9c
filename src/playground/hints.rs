//! Console hints: a dimmed line under an etcdctl answer for the classic confusions (a v2
//! command under API 3, `--version`, one-dash long flags, a compacted revision, no answer in
//! time, `get dir/` without `--prefix`, how `-w protobuf` bytes are shown). Never in transcripts.
//!
//! Owns: when a hint shows and its text. Must not touch: running commands.

use std::collections::BTreeMap;

use crate::process::Output;

/// Hint lines for classic confusions (shown dimmed in the page; never in transcripts).
pub(super) fn hints(
    env: &BTreeMap<String, String>,
    args: &[String],
    out: &Output,
    v: crate::api::EtcdVersion,
) -> Vec<String> {
    let mut h = Vec::new();
    let v2 = env.get("ETCDCTL_API").map(|s| s == "2").unwrap_or(false);
    let first = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .map(|s| s.as_str())
        .unwrap_or("");
    let v2_command = matches!(
        first,
        "set"
            | "mk"
            | "mkdir"
            | "rm"
            | "rmdir"
            | "ls"
            | "setdir"
            | "update"
            | "updatedir"
            | "cluster-health"
            | "exec-watch"
    );
    if !v2 && v2_command && out.stderr.contains("unknown command") {
        h.push(format!(
            "hint: `{}` is an etcd v2 command; etcdctl {} speaks v3 by default. Run `export ETCDCTL_API=2` to use the v2 commands.",
            first,
            v.api()
        ));
    }
    if !v2 && out.stderr.starts_with("Error: unknown flag: --version") {
        h.push(format!("hint: etcdctl {} prints its version with `etcdctl version`; `--version` is the v2 flag (`ETCDCTL_API=2 etcdctl --version`).", v.api()));
    }
    if out.stderr.contains("unknown shorthand flag") {
        if let Some(a) = args
            .iter()
            .find(|a| a.len() > 2 && a.starts_with('-') && !a.starts_with("--"))
        {
            h.push(format!(
                "hint: `{a}` has one dash, so etcdctl reads it as one-letter flags ({} ...); long flags take two dashes: `-{a}`.",
                a.chars()
                    .skip(1)
                    .take(3)
                    .map(|c| format!("-{c}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            ));
        }
    }
    if out.stderr.contains("required revision has been compacted") {
        h.push(
            "hint: history before the compacted revision is gone; use a later --rev.".to_string(),
        );
    }
    if out.stderr.contains("context deadline exceeded") {
        h.push("hint: no answer in time: is the member stopped, or has the cluster lost quorum (`start NAME`, `heal`)?".to_string());
    }
    if !v2
        && first == "get"
        && out.exit == 0
        && out.stdout.is_empty()
        && args.iter().filter(|a| !a.starts_with('-')).count() == 2
    {
        if let Some(k) = args.iter().filter(|a| !a.starts_with('-')).nth(1) {
            if k.ends_with('/') && !args.iter().any(|a| a == "--prefix" || a == "--from-key") {
                h.push(format!(
                    "hint: `get {}` reads one key; add --prefix to read every key under it.",
                    k
                ));
            }
        }
    }
    let protobuf = args
        .windows(2)
        .any(|w| matches!(w[0].as_str(), "-w" | "--write-out") && w[1] == "protobuf")
        || args
            .iter()
            .any(|a| a == "-w=protobuf" || a == "--write-out=protobuf" || a == "-wprotobuf");
    if protobuf && out.stdout.starts_with("00000000  ") {
        h.push("hint: -w protobuf writes the response message's raw protobuf bytes; the console shows them as `hexdump -C` would (offset, hex, printable characters).".to_string());
    }
    h
}
