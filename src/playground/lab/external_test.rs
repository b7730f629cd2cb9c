//! The external-etcd lab end to end in a playground: the two nodes, `ssh`, etcd.service's
//! backup and restore with the learner's usual mistakes, and persistence across a reload.

use std::time::Duration;

use super::LabKind;
use crate::playground::session::{Base, PlaygroundState, Session};
use crate::playground::Playground;

const TLS: &str = "--endpoints=https://127.0.0.1:2379 --cacert=/etc/etcd/pki/ca.pem --cert=/etc/etcd/pki/etcd.pem --key=/etc/etcd/pki/etcd-key.pem";
const UNIT: &str = "/etc/systemd/system/etcd.service";

fn run(p: &mut Playground, line: &str) -> crate::process::Output {
    p.run(line, None)
}

fn reload(s: &Session) -> Session {
    let json = serde_json::to_string(&s.state()).unwrap();
    let state: PlaygroundState = serde_json::from_str(&json).unwrap();
    Session::restore(Base {
        state,
        disks: Default::default(),
    })
}

#[test]
fn ssh_moves_the_console_between_the_two_nodes() {
    let mut p = Playground::for_lab(LabKind::ExternalEtcd, 1);
    assert_eq!(p.prompt(), "root@controlplane:~#");
    let o = run(&mut p, "ssh etcd-sever");
    assert_eq!(
        (o.stderr.as_str(), o.exit),
        (
            "ssh: Could not resolve hostname etcd-sever: Name or service not known\n",
            255
        )
    );
    assert_eq!(run(&mut p, "ssh").exit, 255);
    // a command given to ssh runs there; the console stays here
    let o = run(&mut p, "ssh etcd-server 'systemctl is-active etcd'");
    assert_eq!((o.stdout.as_str(), o.exit), ("active\n", 0));
    assert_eq!(
        run(&mut p, "ssh etcd-server hostname").stdout,
        "etcd-server\n"
    );
    assert_eq!(run(&mut p, "ssh etcd-server false").exit, 1);
    let o = run(&mut p, "ssh etcd-server systemctl status etcd --no-pager");
    assert!(o.stdout.contains("Active: active (running)"), "{o:?}");
    assert_eq!(p.prompt(), "root@controlplane:~#");
    assert_eq!(run(&mut p, "ssh root@etcd-server").exit, 0);
    assert_eq!(p.prompt(), "root@etcd-server:~#");
    assert_eq!(run(&mut p, "hostname").stdout, "etcd-server\n");
    assert_eq!(run(&mut p, "kubectl get pods").exit, 127, "no kubectl here");
    assert!(run(&mut p, "cat /etc/etcd/pki/ca.pem")
        .stdout
        .starts_with("-----BEGIN CERTIFICATE-----"));
    let o = run(&mut p, "exit");
    assert_eq!(o.stdout, "logout\n");
    assert_eq!(o.stderr, "Connection to etcd-server closed.\n");
    assert_eq!(p.prompt(), "root@controlplane:~#");
    assert_eq!(run(&mut p, "exit").exit, 1, "the lab's own console stays");
    assert_eq!(
        run(&mut p, "systemctl status etcd").stderr,
        "Unit etcd.service could not be found.\n"
    );
    // from the control-plane node etcd answers at etcd-server's address only
    let ctl = "etcdctl --cacert=/etc/kubernetes/pki/etcd/ca.pem --cert=/etc/kubernetes/pki/etcd/etcd.pem --key=/etc/kubernetes/pki/etcd/etcd-key.pem";
    let o = run(
        &mut p,
        &format!("{ctl} --endpoints=https://172.30.1.3:2379 endpoint health"),
    );
    assert_eq!(o.exit, 0, "{o:?}");
    let o = run(
        &mut p,
        &format!("{ctl} --endpoints=https://127.0.0.1:2379 endpoint health"),
    );
    assert_eq!(o.exit, 1, "{o:?}");
}

#[test]
fn backup_and_restore_with_the_usual_mistakes() {
    let mut p = Playground::for_lab(LabKind::ExternalEtcd, 1);
    run(&mut p, "ssh etcd-server");
    let o = run(
        &mut p,
        &format!("etcdctl {TLS} snapshot save /opt/backup.db"),
    );
    assert_eq!(o.stdout, "Snapshot saved at /opt/backup.db\n", "{o:?}");
    run(&mut p, "exit");
    assert_eq!(run(&mut p, "kubectl delete deploy nginx").exit, 0);
    run(&mut p, "ssh etcd-server");
    let o = run(
        &mut p,
        "etcdctl snapshot restore /opt/backup.db --data-dir /var/lib/etcd-from-backup",
    );
    assert_eq!(o.exit, 0, "{o:?}");
    assert!(run(&mut p, "ls -ld /var/lib/etcd-from-backup")
        .stdout
        .starts_with("drwx------ 3 root root "));
    let sed = format!(
        "sed -i 's#--data-dir=/var/lib/etcd #--data-dir=/var/lib/etcd-from-backup #' {UNIT}"
    );
    assert_eq!(run(&mut p, &sed).exit, 0);
    // no daemon-reload: the warning, and etcd restarts on its old directory
    let o = run(&mut p, "systemctl restart etcd");
    assert_eq!(o.exit, 0);
    assert!(o.stderr.starts_with("Warning: The unit file, source configuration file or drop-ins of etcd.service changed on disk."));
    assert!(run(&mut p, "systemctl status etcd")
        .stdout
        .contains("--data-dir=/var/lib/etcd --cert-file"));
    // daemon-reload, no chown: etcd cannot list the root-owned directory
    assert_eq!(run(&mut p, "systemctl daemon-reload").exit, 0);
    let o = run(&mut p, "systemctl restart etcd");
    assert_eq!(o.exit, 1);
    assert!(o.stderr.starts_with("Job for etcd.service failed"), "{o:?}");
    let o = run(&mut p, "systemctl status etcd");
    assert_eq!(o.exit, 3);
    assert!(
        o.stdout.contains("Active: failed (Result: exit-code)"),
        "{}",
        o.stdout
    );
    assert!(run(&mut p, "journalctl -u etcd")
        .stdout
        .contains("etcd-server etcd[2043]: error listing data dir: /var/lib/etcd-from-backup\n"));
    run(&mut p, "exit");
    assert!(run(&mut p, "kubectl get deploy")
        .stderr
        .starts_with("The connection to the server controlplane:6443 was refused"));
    run(&mut p, "ssh etcd-server");
    assert_eq!(
        run(&mut p, "chown -R etcd:etcd /var/lib/etcd-from-backup").exit,
        0
    );
    assert_eq!(run(&mut p, "systemctl restart etcd").exit, 0);
    assert_eq!(run(&mut p, "systemctl is-active etcd").stdout, "active\n");
    run(&mut p, "exit");
    run(&mut p, "advance 40s");
    assert_eq!(
        run(&mut p, "kubectl get deploy nginx -o name").stdout,
        "deployment.apps/nginx\n"
    );
}

#[test]
fn a_reload_keeps_both_nodes_the_session_and_the_unit_state() {
    let mut s = Session::fresh_lab(LabKind::ExternalEtcd);
    let p = s.playground_mut();
    assert_eq!(p.lab(), LabKind::ExternalEtcd);
    run(p, "cd /opt && echo on-controlplane > note");
    run(p, "ssh etcd-server");
    assert_eq!(run(p, &format!("etcdctl {TLS} put k v")).stdout, "OK\n");
    run(p, "cd /opt && echo on-etcd-server > note");
    let sed = format!(
        "sed -i 's/--initial-cluster-state new/--initial-cluster-state new --debug/' {UNIT}"
    );
    run(p, &sed);
    let mut r = reload(&s);
    let p = r.playground_mut();
    assert_eq!(p.lab(), LabKind::ExternalEtcd);
    assert_eq!(p.prompt(), "root@etcd-server:/opt#");
    assert_eq!(run(p, "cat note").stdout, "on-etcd-server\n");
    assert_eq!(
        run(p, &format!("etcdctl {TLS} get k --print-value-only")).stdout,
        "v\n"
    );
    // systemd still has the unit it loaded: the edit is not in force
    assert!(run(p, "systemctl status etcd")
        .stderr
        .starts_with("Warning: The unit file"));
    assert_eq!(run(p, "systemctl is-active etcd").stdout, "active\n");
    run(p, "exit");
    assert_eq!(run(p, "cat /opt/note").stdout, "on-controlplane\n");
    assert_eq!(
        run(p, "kubectl get deploy nginx -o name").stdout,
        "deployment.apps/nginx\n"
    );
    // a failed unit stays failed across a reload, and kube-apiserver stays down
    run(p, "ssh etcd-server");
    run(p, "systemctl stop etcd");
    run(p, "exit");
    let mut r2 = reload(&r);
    let p = r2.playground_mut();
    assert_eq!(p.prompt(), "root@controlplane:/opt#");
    assert!(run(p, "kubectl get deploy").exit != 0);
    run(p, "ssh etcd-server");
    assert_eq!(run(p, "systemctl is-active etcd").stdout, "inactive\n");
    assert_eq!(run(p, "systemctl start etcd").exit, 0);
    assert_eq!(
        run(p, &format!("etcdctl {TLS} get k --print-value-only")).stdout,
        "v\n"
    );
}

#[test]
fn the_editor_saves_on_the_node_in_view() {
    let mut p = Playground::for_lab(LabKind::ExternalEtcd, 1);
    p.set_editor_available(true);
    run(&mut p, "ssh etcd-server");
    let o = run(&mut p, &format!("vi {UNIT}"));
    let e = o.edit.unwrap();
    assert!(e.text.contains("--data-dir=/var/lib/etcd \\\n"));
    let text = e
        .text
        .replace("--data-dir=/var/lib/etcd ", "--data-dir=/var/lib/etcd-new ");
    assert_eq!(p.save_edit(&e.path, &text).exit, 0);
    run(&mut p, "systemctl daemon-reload");
    // etcd (user etcd) may not create a directory in /var/lib (root's)
    assert_eq!(run(&mut p, "systemctl restart etcd").exit, 1);
    assert!(run(&mut p, "journalctl -u etcd -n 12")
        .stdout
        .contains("cannot access data directory: mkdir /var/lib/etcd-new: permission denied\n"));
    // made by root (mode 755): etcd can list it, not write in it
    run(&mut p, "mkdir /var/lib/etcd-new");
    assert_eq!(run(&mut p, "systemctl restart etcd").exit, 1);
    let j = run(&mut p, "journalctl -u etcd -n 12").stdout;
    assert!(j.contains("]: check file permission: directory \"/var/lib/etcd-new\" exist, but the permission is \"drwxr-xr-x\". The recommended permission is \"-rwx------\" to prevent possible unprivileged access to the data.\n"), "{j}");
    assert!(
        j.contains(
            "]: cannot access data directory: open /var/lib/etcd-new/.touch: permission denied\n"
        ),
        "{j}"
    );
    run(&mut p, "rmdir /var/lib/etcd-new");
    // made by root and given to etcd, it is a new empty member's
    run(
        &mut p,
        "mkdir /var/lib/etcd-new && chown etcd:etcd /var/lib/etcd-new",
    );
    assert_eq!(run(&mut p, "systemctl restart etcd").exit, 0);
    assert!(run(&mut p, "ls -l /var/lib/etcd-new")
        .stdout
        .contains("drwx------ 4 etcd etcd 4096"));
    run(&mut p, "exit");
    assert!(
        !run(&mut p, &format!("cat {UNIT}")).stderr.is_empty(),
        "not on controlplane"
    );
    p.run("advance 1s", None);
    assert!(p.world().now() > Duration::ZERO);
}

#[test]
fn the_kubeadm_lab_has_no_etcd_server() {
    let mut p = Playground::for_lab(LabKind::Kubeadm, 1);
    let o = run(&mut p, "ssh etcd-server");
    assert_eq!(
        (o.stderr.as_str(), o.exit),
        (
            "ssh: Could not resolve hostname etcd-server: Name or service not known\n",
            255
        )
    );
    assert!(run(&mut p, "ssh etcd-server hostname")
        .stderr
        .starts_with("ssh: Could not resolve hostname etcd-server"));
    assert_eq!(
        run(&mut p, "ssh controlplane hostname").stdout,
        "controlplane\n"
    );
    assert_eq!(p.prompt(), "root@controlplane:~#");
}

#[test]
fn a_broken_unit_file_gets_systemds_errors() {
    let mut p = Playground::for_lab(LabKind::ExternalEtcd, 1);
    run(&mut p, "ssh etcd-server");
    let o = run(
        &mut p,
        &format!("echo '[Service]' > {UNIT}; echo 'nonsense' >> {UNIT}"),
    );
    assert_eq!(o.exit, 0, "{o:?}");
    assert_eq!(run(&mut p, "systemctl daemon-reload").exit, 0);
    let o = run(&mut p, "systemctl restart etcd");
    assert_eq!(
        o.stderr,
        "Failed to restart etcd.service: Unit etcd.service has a bad unit file setting.\nSee system logs and 'systemctl status etcd.service' for details.\n"
    );
    let j = run(&mut p, "journalctl -u etcd -n 2").stdout;
    assert!(
        j.contains(&format!("{UNIT}:2: Missing '=', ignoring line.\n")),
        "{j}"
    );
    assert!(
        j.contains(
            "etcd.service: Service has no ExecStart=, ExecStop=, or SuccessAction=. Refusing.\n"
        ),
        "{j}"
    );
    // an ExecStart etcd's flags reject
    run(
        &mut p,
        &format!(
            "echo '[Service]' > {UNIT}; echo 'ExecStart=/usr/local/bin/etcd --name' >> {UNIT}"
        ),
    );
    run(&mut p, "systemctl daemon-reload");
    assert_eq!(run(&mut p, "systemctl restart etcd").exit, 1);
    assert!(run(&mut p, "journalctl -u etcd")
        .stdout
        .contains("error verifying flags, flag needs an argument: -name. See 'etcd --help'.\n"));
    // the unit file removed
    run(&mut p, &format!("rm {UNIT}"));
    run(&mut p, "systemctl daemon-reload");
    assert_eq!(
        run(&mut p, "systemctl start etcd").stderr,
        "Failed to start etcd.service: Unit etcd.service not found.\n"
    );
    assert_eq!(run(&mut p, "systemctl cat etcd").exit, 1);
    assert_eq!(run(&mut p, "systemctl").exit, 1);
    assert_eq!(run(&mut p, "systemctl frobnicate etcd").exit, 1);
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    const WORDS: &[&str] = &[
        "ssh",
        "etcd-server",
        "controlplane",
        "exit",
        "logout",
        "systemctl",
        "daemon-reload",
        "restart",
        "start",
        "stop",
        "status",
        "cat",
        "is-active",
        "enable",
        "disable",
        "etcd",
        "etcd.service",
        "journalctl",
        "-u",
        "-n",
        "3",
        "sed",
        "-i",
        "s/etcd/x/",
        UNIT,
        "chown",
        "-R",
        "etcd:etcd",
        "/var/lib/etcd",
        "/var/lib/etcd-from-backup",
        "etcdctl",
        "snapshot",
        "restore",
        "/opt/b.db",
        "--data-dir",
        "rm",
        "-rf",
        "echo",
        ">",
        "'['",
        "ExecStart=",
        "kubectl",
        "get",
        "deploy",
        "advance",
        "5s",
        "hostname",
        ";",
        "&&",
    ];

    fn line() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(WORDS), 1..7).prop_map(|w| w.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn random_lines_on_both_nodes_never_panic(lines in prop::collection::vec(line(), 1..12)) {
            let mut p = Playground::for_lab(LabKind::ExternalEtcd, 1);
            for l in &lines {
                let _ = p.run(l, None);
            }
            let _ = p.prompt();
        }
    }
}
