//! The two nodes of a kubeadm cluster with an external etcd: the control-plane node (what
//! `kubeadm init` writes when `etcd.external` is set: no etcd manifest, kube-apiserver
//! pointing at `https://<etcd-server>:2379` with the etcd client certificate in
//! `/etc/kubernetes/pki/etcd/`), and `etcd-server`, where etcd 3.4.23 runs as a systemd
//! service (`/etc/systemd/system/etcd.service`, user `etcd`, certificates in
//! `/etc/etcd/pki/`, data in `/var/lib/etcd`). The PEM files are real ones generated once by
//! `pki-external/gen.sh`.
//!
//! Owns: both nodes' initial filesystems, the unit file's text. Must not touch: what runs on
//! them (the lab).

use super::{comps, dir, file, manifests, Params};
use crate::node::fs::{Fs, Millis};

/// etcd-server's name and address.
pub const ETCD_HOST: &str = "etcd-server";
pub const ETCD_IP: &str = "172.30.1.3";
/// The `etcd` user's uid and gid on etcd-server.
pub const ETCD_UID: u32 = 998;

/// The unit file.
pub const UNIT_PATH: &str = "/etc/systemd/system/etcd.service";

/// The certificates: (file name, contents); the same three files on both nodes.
pub const PKI: [(&str, &[u8]); 3] = [
    ("ca.pem", include_bytes!("pki-external/ca.pem")),
    ("etcd.pem", include_bytes!("pki-external/etcd.pem")),
    ("etcd-key.pem", include_bytes!("pki-external/etcd-key.pem")),
];

/// `/etc/systemd/system/etcd.service` on etcd-server.
pub fn unit_file() -> String {
    let ip = ETCD_IP;
    format!(
        "[Unit]
Description=etcd
Documentation=https://github.com/etcd-io/etcd
After=network.target

[Service]
User=etcd
Group=etcd
Type=notify
ExecStart=/usr/local/bin/etcd \\
  --name etcd-server \\
  --data-dir=/var/lib/etcd \\
  --cert-file=/etc/etcd/pki/etcd.pem \\
  --key-file=/etc/etcd/pki/etcd-key.pem \\
  --trusted-ca-file=/etc/etcd/pki/ca.pem \\
  --client-cert-auth \\
  --peer-cert-file=/etc/etcd/pki/etcd.pem \\
  --peer-key-file=/etc/etcd/pki/etcd-key.pem \\
  --peer-trusted-ca-file=/etc/etcd/pki/ca.pem \\
  --peer-client-cert-auth \\
  --initial-advertise-peer-urls https://{ip}:2380 \\
  --listen-peer-urls https://{ip}:2380 \\
  --listen-client-urls https://{ip}:2379,https://127.0.0.1:2379 \\
  --advertise-client-urls https://{ip}:2379 \\
  --initial-cluster-token etcd-cluster-1 \\
  --initial-cluster etcd-server=https://{ip}:2380 \\
  --initial-cluster-state new
Restart=on-failure
LimitNOFILE=40000

[Install]
WantedBy=multi-user.target
"
    )
}

/// The control-plane node's filesystem: kubeadm's, with etcd external.
pub fn control_plane(p: &Params, t: Millis) -> Fs {
    let mut fs = super::control_plane(p, t);
    let _ = fs.remove_file(&comps("/etc/kubernetes/manifests/etcd.yaml"), t);
    let _ = fs.remove_all(&comps("/var/lib/etcd"), t);
    let _ = fs.remove_all(&comps("/etc/kubernetes/pki/etcd"), t);
    for f in ["apiserver-etcd-client.crt", "apiserver-etcd-client.key"] {
        let _ = fs.remove_file(&comps(&format!("/etc/kubernetes/pki/{f}")), t);
    }
    dir(&mut fs, "/etc/kubernetes/pki/etcd", 0o755, t);
    for (name, data) in PKI {
        let mode = if name.contains("key") { 0o600 } else { 0o644 };
        file(
            &mut fs,
            &format!("/etc/kubernetes/pki/etcd/{name}"),
            data,
            mode,
            t,
        );
    }
    let apiserver = manifests::kube_apiserver(p)
        .replace(
            "--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt",
            "--etcd-cafile=/etc/kubernetes/pki/etcd/ca.pem",
        )
        .replace(
            "--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt",
            "--etcd-certfile=/etc/kubernetes/pki/etcd/etcd.pem",
        )
        .replace(
            "--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key",
            "--etcd-keyfile=/etc/kubernetes/pki/etcd/etcd-key.pem",
        )
        .replace(
            "--etcd-servers=https://127.0.0.1:2379",
            &format!("--etcd-servers=https://{ETCD_IP}:2379"),
        );
    file(
        &mut fs,
        "/etc/kubernetes/manifests/kube-apiserver.yaml",
        apiserver.as_bytes(),
        0o600,
        t,
    );
    file(
        &mut fs,
        "/etc/hosts",
        format!(
            "127.0.0.1 localhost\n{} {}\n{ETCD_IP} {ETCD_HOST}\n",
            p.ip, p.node
        )
        .as_bytes(),
        0o644,
        t,
    );
    for path in fs.walk(&[]) {
        let _ = fs.set_mtime(&path, t);
    }
    fs
}

/// etcd-server's filesystem: etcd installed by hand as a systemd service.
pub fn etcd_server(p: &Params, t: Millis) -> Fs {
    let mut fs = Fs::new(t);
    fs.add_user("etcd", ETCD_UID, ETCD_UID);
    for (d, mode) in [
        ("/bin", 0o755),
        ("/etc", 0o755),
        ("/home", 0o755),
        ("/lib", 0o755),
        ("/opt", 0o755),
        ("/proc", 0o555),
        ("/root", 0o700),
        ("/run", 0o755),
        ("/sbin", 0o755),
        ("/tmp", 0o1777),
        ("/usr", 0o755),
        ("/usr/local", 0o755),
        ("/usr/local/bin", 0o755),
        ("/var", 0o755),
        ("/var/lib", 0o755),
        ("/var/log", 0o755),
        ("/etc/systemd", 0o755),
        ("/etc/systemd/system", 0o755),
        ("/etc/etcd", 0o755),
        ("/etc/etcd/pki", 0o755),
        ("/var/lib/etcd", 0o700),
    ] {
        dir(&mut fs, d, mode, t);
    }
    let _ = fs.chown(&comps("/var/lib/etcd"), Some(ETCD_UID), Some(ETCD_UID));
    file(
        &mut fs,
        "/etc/hostname",
        format!("{ETCD_HOST}\n").as_bytes(),
        0o644,
        t,
    );
    file(
        &mut fs,
        "/etc/hosts",
        format!(
            "127.0.0.1 localhost\n{ETCD_IP} {ETCD_HOST}\n{} {}\n",
            p.ip, p.node
        )
        .as_bytes(),
        0o644,
        t,
    );
    file(
        &mut fs,
        "/etc/passwd",
        format!(
            "root:x:0:0:root:/root:/bin/bash\netcd:x:{ETCD_UID}:{ETCD_UID}::/var/lib/etcd:/usr/sbin/nologin\n"
        )
        .as_bytes(),
        0o644,
        t,
    );
    file(
        &mut fs,
        "/etc/group",
        format!("root:x:0:\netcd:x:{ETCD_UID}:\n").as_bytes(),
        0o644,
        t,
    );
    file(&mut fs, UNIT_PATH, unit_file().as_bytes(), 0o644, t);
    for (name, data) in PKI {
        let path = format!("/etc/etcd/pki/{name}");
        let mode = if name.contains("key") { 0o600 } else { 0o644 };
        file(&mut fs, &path, data, mode, t);
        let _ = fs.chown(&comps(&path), Some(ETCD_UID), Some(ETCD_UID));
    }
    for path in fs.walk(&[]) {
        let _ = fs.set_mtime(&path, t);
    }
    fs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_nodes() {
        let p = Params::default();
        let cp = control_plane(&p, 0);
        assert!(!cp.exists(&comps("/etc/kubernetes/manifests/etcd.yaml")));
        let api = cp
            .read(&comps("/etc/kubernetes/manifests/kube-apiserver.yaml"))
            .unwrap();
        let api = String::from_utf8_lossy(api);
        assert!(
            api.contains("    - --etcd-servers=https://172.30.1.3:2379\n"),
            "{api}"
        );
        assert!(api.contains("--etcd-cafile=/etc/kubernetes/pki/etcd/ca.pem"));
        let es = etcd_server(&p, 0);
        let st = es.stat(&comps("/var/lib/etcd")).unwrap();
        assert_eq!((st.uid, st.mode), (ETCD_UID, 0o700));
        assert!(es.read(&comps(UNIT_PATH)).is_ok());
        assert_eq!(es.user_name(ETCD_UID), "etcd");
    }
}
