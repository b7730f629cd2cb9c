//! Tests of the kubelet model: a good, a broken and a reverted etcd manifest; a moved data
//! directory; a missing certificate in crash-loop back-off; the printers.

use super::*;
use crate::node::kubeadm::{control_plane, manifests, Params};
use crate::node::kubelet_print::{crictl_ps, journalctl, systemctl_status, tabwrite};
use crate::node::time::to_millis;

const ETCD: &str = "/etc/kubernetes/manifests/etcd.yaml";

fn t0() -> Millis {
    to_millis(2024, 5, 1, 9, 12, 0)
}

fn write(fs: &mut Fs, path: &str, text: &str) {
    fs.write(&comps(path), text.as_bytes(), false, 0).unwrap();
}

fn etcd_host_dir(events: &[Event]) -> Option<Option<String>> {
    events.iter().find_map(|e| match e {
        Event::StartEtcd(s) => Some(s.host_data_dir.clone()),
        _ => None,
    })
}

#[test]
fn good_broken_and_reverted_manifest() {
    let mut fs = control_plane(&Params::default(), t0());
    let mut k = Kubelet::new("controlplane", t0());
    let ev = k.tick(&mut fs, t0());
    assert_eq!(etcd_host_dir(&ev), Some(Some("/var/lib/etcd".to_string())));
    assert_eq!(
        k.containers
            .iter()
            .filter(|c| c.state == State::Running)
            .count(),
        4
    );
    assert!(k.etcd_running());
    // a broken manifest is noticed at the next file check, not before
    let good = manifests::etcd(&Params::default());
    write(&mut fs, ETCD, &good.replacen("metadata:", "metadata;", 1));
    assert!(k.tick(&mut fs, t0() + 19_000).is_empty());
    let ev = k.tick(&mut fs, t0() + FILE_CHECK_PERIOD);
    assert_eq!(ev, vec![Event::StopEtcd]);
    assert!(!k.etcd_running());
    let journal = journalctl(&k, None);
    assert!(journal.contains("\"Could not process manifest file\" err=\"/etc/kubernetes/manifests/etcd.yaml: couldn't parse as pod(yaml: line "), "{}", journal);
    assert!(journal
        .contains("\"SyncLoop REMOVE\" source=\"file\" pods=[\"kube-system/etcd-controlplane\"]"));
    // kube-apiserver goes down with etcd
    let api = k
        .containers
        .iter()
        .rev()
        .find(|c| c.name == "kube-apiserver")
        .unwrap();
    assert_eq!(api.state, State::Exited(1));
    // reverted: etcd comes back on the same data
    write(&mut fs, ETCD, &good);
    let ev = k.tick(&mut fs, t0() + 2 * FILE_CHECK_PERIOD);
    assert_eq!(etcd_host_dir(&ev), Some(Some("/var/lib/etcd".to_string())));
    assert!(k.etcd_running());
    // kube-apiserver restarts after its back-off
    k.tick(&mut fs, t0() + 2 * FILE_CHECK_PERIOD + 10_000);
    assert!(k
        .containers
        .iter()
        .any(|c| c.name == "kube-apiserver" && c.state == State::Running && c.attempt > 0));
}

#[test]
fn a_restored_data_dir_and_a_missing_certificate() {
    let mut fs = control_plane(&Params::default(), t0());
    let mut k = Kubelet::new("controlplane", t0());
    k.tick(&mut fs, t0());
    let good = manifests::etcd(&Params::default());
    write(
        &mut fs,
        ETCD,
        &good.replace(
            "      path: /var/lib/etcd\n",
            "      path: /var/lib/etcd-from-backup\n",
        ),
    );
    let ev = k.tick(&mut fs, t0() + FILE_CHECK_PERIOD);
    assert_eq!(ev[0], Event::StopEtcd);
    assert_eq!(
        etcd_host_dir(&ev),
        Some(Some("/var/lib/etcd-from-backup".to_string()))
    );
    // DirectoryOrCreate made the directory
    assert!(fs.is_dir(&comps("/var/lib/etcd-from-backup")));
    // a certificate path with a typo: the container exits and restarts with back-off
    write(
        &mut fs,
        ETCD,
        &good.replace("etcd/server.crt", "etcd/server-cert.crt"),
    );
    let ev = k.tick(&mut fs, t0() + 2 * FILE_CHECK_PERIOD);
    assert_eq!(ev, vec![Event::StopEtcd]);
    assert_eq!(
        k.etcd_problem().as_deref(),
        Some("open /etc/kubernetes/pki/etcd/server-cert.crt: no such file or directory")
    );
    k.tick(&mut fs, t0() + 2 * FILE_CHECK_PERIOD + 10_000);
    let attempts: Vec<u32> = k
        .containers
        .iter()
        .filter(|c| c.name == "etcd" && c.state != State::Running)
        .map(|c| c.attempt)
        .collect();
    assert_eq!(attempts.last(), Some(&1));
    let table = crictl_ps(
        &k,
        true,
        Some("etcd"),
        t0() + 2 * FILE_CHECK_PERIOD + 15_000,
    );
    assert!(table.contains("Exited"), "{}", table);
    assert!(journalctl(&k, None).contains("CrashLoopBackOff: \\\"back-off 10s restarting failed container=etcd pod=etcd-controlplane_kube-system("));
}

#[test]
fn printers() {
    let rows = vec![
        vec!["CONTAINER".to_string(), "IMAGE".into(), "NAME".into()],
        vec![
            "0123456789abc".to_string(),
            "a-rather-long-image-name".into(),
            "etcd".into(),
        ],
    ];
    assert_eq!(
        tabwrite(&rows),
        "CONTAINER           IMAGE                      NAME\n0123456789abc       a-rather-long-image-name   etcd\n"
    );
    let mut fs = control_plane(&Params::default(), t0());
    let mut k = Kubelet::new("controlplane", t0());
    k.tick(&mut fs, t0());
    let ps = crictl_ps(&k, false, None, t0() + 90_000);
    let lines: Vec<&str> = ps.lines().collect();
    assert_eq!(lines.len(), 5);
    assert!(
        lines[0].starts_with(
            "CONTAINER           IMAGE               CREATED              STATE               NAME"
        ),
        "{}",
        ps
    );
    assert!(lines[1].contains("About a minute ago   Running"), "{}", ps);
    assert!(
        lines
            .iter()
            .any(|l| l.ends_with("etcd-controlplane                      kube-system")),
        "{}",
        ps
    );
    let (status, code) = systemctl_status(&k, t0() + 3_600_000);
    assert_eq!(code, 0);
    assert!(
        status.starts_with("● kubelet.service - kubelet: The Kubernetes Node Agent\n"),
        "{}",
        status
    );
    assert!(
        status
            .contains("     Active: active (running) since Wed 2024-05-01 09:12:00 UTC; 1h ago\n"),
        "{}",
        status
    );
    k.stop(t0() + 3_600_000);
    let (status, code) = systemctl_status(&k, t0() + 3_605_000);
    assert_eq!(code, 3);
    assert!(
        status.contains("Active: inactive (dead) since Wed 2024-05-01 10:12:00 UTC; 5s ago"),
        "{}",
        status
    );
    assert!(journalctl(&k, Some(1))
        .ends_with("controlplane systemd[1]: Stopped kubelet: The Kubernetes Node Agent.\n"));
    let ev = k.restart(&mut fs, t0() + 3_700_000);
    assert!(ev.is_empty(), "containers kept running: nothing to start");
}
