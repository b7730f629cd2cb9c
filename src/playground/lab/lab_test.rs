//! The kubeadm lab end to end in a playground: TLS, the data directory, kubelet's reactions,
//! persistence across a reload.

use std::time::Duration;

use super::LabKind;
use crate::playground::session::{Base, Session};
use crate::playground::Playground;

const TLS: &str = "--endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key";

fn ctl(p: &mut Playground, cmd: &str) -> crate::process::Output {
    p.run(&format!("etcdctl {TLS} {cmd}"), None)
}

#[test]
fn a_reload_keeps_the_files_the_keys_and_the_member() {
    let mut s = Session::fresh_lab(LabKind::Kubeadm);
    assert_eq!(s.playground_mut().lab(), LabKind::Kubeadm);
    assert_eq!(ctl(s.playground_mut(), "put k v").stdout, "OK\n");
    s.playground_mut().run("cd /opt && echo hi > note", None);
    let member = ctl(s.playground_mut(), "member list").stdout;
    let state = s.state();
    let json = serde_json::to_string(&state).unwrap();
    let state: crate::playground::session::PlaygroundState = serde_json::from_str(&json).unwrap();
    assert_eq!(state.lab, LabKind::Kubeadm);
    let mut r = Session::restore(Base {
        state,
        disks: Default::default(),
    });
    let p = r.playground_mut();
    assert_eq!(p.lab(), LabKind::Kubeadm);
    assert_eq!(p.prompt(), "root@controlplane:/opt#");
    assert_eq!(p.run("cat note", None).stdout, "hi\n");
    assert_eq!(ctl(p, "get k --print-value-only").stdout, "v\n");
    assert_eq!(ctl(p, "member list").stdout, member);
    assert_eq!(
        p.run("kubectl get deploy nginx -o name", None).stdout,
        "deployment.apps/nginx\n"
    );
}

#[test]
fn the_editor_and_the_prompt() {
    let mut p = Playground::for_lab(LabKind::Kubeadm, 1);
    assert_eq!(p.prompt(), "root@controlplane:~#");
    let o = p.run("vi /etc/kubernetes/manifests/etcd.yaml", None);
    assert_eq!(o.exit, 1);
    assert!(o.stderr.contains("sed -i"), "{o:?}");
    assert_eq!(o.edit, None);
    p.set_editor_available(true);
    let o = p.run("vim /etc/kubernetes/manifests/etcd.yaml", None);
    let e = o.edit.unwrap();
    assert_eq!(e.path, "/etc/kubernetes/manifests/etcd.yaml");
    assert!(e.text.contains("--data-dir=/var/lib/etcd"));
    let o = p.run("nano new.txt", None);
    assert_eq!(o.edit.unwrap().text, "");
    let o = p.save_edit("/root/new.txt", "x\n");
    assert_eq!(o.exit, 0);
    assert_eq!(p.run("cat new.txt", None).stdout, "x\n");
    let o = p.save_edit("/nonexistent/x", "x\n");
    assert_eq!(
        o.stderr,
        "bash: /nonexistent/x: No such file or directory\n"
    );
    assert_eq!(Playground::new(1).prompt(), "$");
    let mut local = Playground::new(1);
    assert_eq!(local.save_edit("x", "y").exit, 1);
    p.run("advance 1s", None);
    assert!(p.world().now() > Duration::ZERO);
}
