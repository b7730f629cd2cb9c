//! What a learner reads of kubelet: `crictl ps [-a] [--name RE]` (crictl's tabwriter
//! table: minimum width 20, padding 3, newest first, IDs cut to 13 characters, `CREATED`
//! in go-units' words), `systemctl status kubelet` (systemd 249's layout, with the last
//! journal lines) and `journalctl -u kubelet` (journald's short format).
//!
//! Owns: these three texts. Must not touch: kubelet's state (kubelet.rs).

use crate::node::fs::Millis;
use crate::node::kubelet::{Kubelet, State};
use crate::node::time::{journal_date, systemd_ago, systemd_date};

/// Go's text/tabwriter as crictl sets it up: every cell but the last of a line is padded
/// to its column's width (widest cell + 3, at least 20).
pub fn tabwrite(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; cols];
    for r in rows {
        for (k, cell) in r.iter().enumerate() {
            if k + 1 < r.len() {
                widths[k] = widths[k].max((cell.chars().count() + 3).max(20));
            }
        }
    }
    let mut out = String::new();
    for r in rows {
        for (k, cell) in r.iter().enumerate() {
            if k + 1 < r.len() {
                out.push_str(&format!("{:<w$}", cell, w = widths[k]));
            } else {
                out.push_str(cell);
            }
        }
        out.push('\n');
    }
    out
}

/// go-units' HumanDuration.
pub fn human_duration(ms: Millis) -> String {
    let seconds = ms / 1000;
    let minutes = seconds / 60;
    let hours = (ms as f64 / 3_600_000.0 + 0.5) as u64;
    if seconds < 1 {
        "Less than a second".into()
    } else if seconds == 1 {
        "1 second".into()
    } else if seconds < 60 {
        format!("{} seconds", seconds)
    } else if minutes == 1 {
        "About a minute".into()
    } else if minutes < 60 {
        format!("{} minutes", minutes)
    } else if hours == 1 {
        "About an hour".into()
    } else if hours < 48 {
        format!("{} hours", hours)
    } else if hours < 24 * 7 * 2 {
        format!("{} days", hours / 24)
    } else if hours < 24 * 30 * 2 {
        format!("{} weeks", hours / 24 / 7)
    } else if hours < 24 * 365 * 2 {
        format!("{} months", hours / 24 / 30)
    } else {
        format!("{} years", ms / 3_600_000 / 24 / 365)
    }
}

/// `crictl ps` (`all` for `-a`, `name` for `--name`, a substring here).
pub fn crictl_ps(k: &Kubelet, all: bool, name: Option<&str>, now: Millis) -> String {
    let mut rows = vec![[
        "CONTAINER",
        "IMAGE",
        "CREATED",
        "STATE",
        "NAME",
        "ATTEMPT",
        "POD ID",
        "POD",
        "NAMESPACE",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect::<Vec<_>>()];
    let mut list: Vec<_> = k
        .containers
        .iter()
        .filter(|c| all || c.state == State::Running)
        .filter(|c| name.is_none_or(|n| c.name.contains(n)))
        .collect();
    crate::sort::sort_by(&mut list, |a, b| b.created.cmp(&a.created));
    for c in list {
        rows.push(vec![
            c.id[..13.min(c.id.len())].to_string(),
            image_id(&c.image),
            format!("{} ago", human_duration(now.saturating_sub(c.created))),
            match c.state {
                State::Running => "Running".into(),
                State::Exited(_) => "Exited".into(),
            },
            c.name.clone(),
            c.attempt.to_string(),
            c.pod_id[..13.min(c.pod_id.len())].to_string(),
            c.pod.clone(),
            c.namespace.clone(),
        ]);
    }
    tabwrite(&rows)
}

/// The image's ID as crictl shows it: 13 hex digits of its digest.
fn image_id(image: &str) -> String {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(format!("image:{}", image).as_bytes());
    d.iter().map(|b| format!("{:02x}", b)).collect::<String>()[..13].to_string()
}

const KUBELET_ARGS: &str = "/usr/bin/kubelet --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf --config=/var/lib/kubelet/config.yaml --container-runtime-endpoint=unix:///var/run/containerd/containerd.sock --pod-infra-container-image=registry.k8s.io/pause:3.9";

/// `systemctl status kubelet`: the text and the exit status (0 active, 3 inactive).
pub fn systemctl_status(k: &Kubelet, now: Millis) -> (String, i32) {
    let up = now.saturating_sub(k.since);
    let mut s = String::new();
    s.push_str(if k.active { "● " } else { "○ " });
    s.push_str("kubelet.service - kubelet: The Kubernetes Node Agent\n");
    s.push_str("     Loaded: loaded (/lib/systemd/system/kubelet.service; enabled; vendor preset: enabled)\n");
    s.push_str(
        "    Drop-In: /usr/lib/systemd/system/kubelet.service.d\n             └─10-kubeadm.conf\n",
    );
    if k.active {
        s.push_str(&format!(
            "     Active: active (running) since {}; {} ago\n",
            systemd_date(k.since),
            systemd_ago(up)
        ));
        s.push_str("       Docs: https://kubernetes.io/docs/\n");
        s.push_str(&format!("   Main PID: {} (kubelet)\n", k.pid));
        s.push_str("      Tasks: 13 (limit: 4557)\n");
        s.push_str(&format!(
            "     Memory: {}.{}M\n",
            38 + up / 600_000 % 20,
            up / 1000 % 10
        ));
        s.push_str(&format!("        CPU: {}\n", cpu(up)));
        s.push_str("     CGroup: /system.slice/kubelet.service\n");
        s.push_str(&format!("             └─{} {}\n", k.pid, KUBELET_ARGS));
    } else {
        s.push_str(&format!(
            "     Active: inactive (dead) since {}; {} ago\n",
            systemd_date(k.since),
            systemd_ago(up)
        ));
        s.push_str("       Docs: https://kubernetes.io/docs/\n");
        s.push_str(&format!(
            "    Process: {} ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS (code=exited, status=0/SUCCESS)\n",
            k.pid
        ));
        s.push_str(&format!(
            "   Main PID: {} (code=exited, status=0/SUCCESS)\n",
            k.pid
        ));
    }
    let tail: Vec<&(Millis, String)> = k.journal().iter().rev().take(10).collect();
    if !tail.is_empty() {
        s.push('\n');
        for (t, line) in tail.into_iter().rev() {
            s.push_str(&format!("{} {}\n", journal_date(*t), line));
        }
    }
    (s, if k.active { 0 } else { 3 })
}

/// systemd's CPU time: `850ms`, `12.345s`, `1min 2.345s`.
fn cpu(up: Millis) -> String {
    let ms = up / 50 + 850;
    if ms < 1000 {
        format!("{}ms", ms)
    } else if ms < 60_000 {
        format!("{}.{:03}s", ms / 1000, ms % 1000)
    } else {
        format!("{}min {}.{:03}s", ms / 60_000, ms / 1000 % 60, ms % 1000)
    }
}

/// `journalctl -u kubelet` (`lines` for `-n N`).
pub fn journalctl(k: &Kubelet, lines: Option<usize>) -> String {
    let all = k.journal();
    if all.is_empty() {
        return "-- No entries --\n".into();
    }
    let skip = lines.map(|n| all.len().saturating_sub(n)).unwrap_or(0);
    let mut s = String::new();
    for (t, line) in &all[skip..] {
        s.push_str(&format!("{} {}\n", journal_date(*t), line));
    }
    s
}
