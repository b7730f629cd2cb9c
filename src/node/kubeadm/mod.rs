//! What `kubeadm init` leaves on a control-plane node: the base directories of a Linux
//! root, `/etc/kubernetes/manifests/*.yaml` (mode 600), `/etc/kubernetes/pki/` and
//! `pki/etcd/` (certificates 644, keys 600; real PEM files generated once at development
//! time by `pki/gen.sh` and shipped as data), `/var/lib/etcd/member/{snap,wal}` (700),
//! kubelet's `/var/lib/kubelet/config.yaml`, `/opt`, `/root`.
//!
//! Owns: the node's initial filesystem. Must not touch: the etcd member's files after
//! start (the lab keeps `/var/lib/etcd/member` in step with the running member).

pub mod external;
pub mod manifests;

use crate::node::fs::{Components, Fs, Millis};
pub use manifests::Params;

/// The kubeadm PKI: path under `/etc/kubernetes/pki`, contents.
pub const PKI: [(&str, &[u8]); 22] = [
    (
        "apiserver-etcd-client.crt",
        include_bytes!("pki/apiserver-etcd-client.crt"),
    ),
    (
        "apiserver-etcd-client.key",
        include_bytes!("pki/apiserver-etcd-client.key"),
    ),
    (
        "apiserver-kubelet-client.crt",
        include_bytes!("pki/apiserver-kubelet-client.crt"),
    ),
    (
        "apiserver-kubelet-client.key",
        include_bytes!("pki/apiserver-kubelet-client.key"),
    ),
    ("apiserver.crt", include_bytes!("pki/apiserver.crt")),
    ("apiserver.key", include_bytes!("pki/apiserver.key")),
    ("ca.crt", include_bytes!("pki/ca.crt")),
    ("ca.key", include_bytes!("pki/ca.key")),
    ("etcd/ca.crt", include_bytes!("pki/etcd/ca.crt")),
    ("etcd/ca.key", include_bytes!("pki/etcd/ca.key")),
    (
        "etcd/healthcheck-client.crt",
        include_bytes!("pki/etcd/healthcheck-client.crt"),
    ),
    (
        "etcd/healthcheck-client.key",
        include_bytes!("pki/etcd/healthcheck-client.key"),
    ),
    ("etcd/peer.crt", include_bytes!("pki/etcd/peer.crt")),
    ("etcd/peer.key", include_bytes!("pki/etcd/peer.key")),
    ("etcd/server.crt", include_bytes!("pki/etcd/server.crt")),
    ("etcd/server.key", include_bytes!("pki/etcd/server.key")),
    (
        "front-proxy-ca.crt",
        include_bytes!("pki/front-proxy-ca.crt"),
    ),
    (
        "front-proxy-ca.key",
        include_bytes!("pki/front-proxy-ca.key"),
    ),
    (
        "front-proxy-client.crt",
        include_bytes!("pki/front-proxy-client.crt"),
    ),
    (
        "front-proxy-client.key",
        include_bytes!("pki/front-proxy-client.key"),
    ),
    ("sa.key", include_bytes!("pki/sa.key")),
    ("sa.pub", include_bytes!("pki/sa.pub")),
];

/// kubelet's configuration file (the part the lab reads: where static pods live and how
/// often kubelet looks).
pub const KUBELET_CONFIG: &str = "apiVersion: kubelet.config.k8s.io/v1beta1\nauthentication:\n  anonymous:\n    enabled: false\n  webhook:\n    cacheTTL: 0s\n    enabled: true\n  x509:\n    clientCAFile: /etc/kubernetes/pki/ca.crt\nauthorization:\n  mode: Webhook\ncgroupDriver: systemd\nclusterDNS:\n- 10.96.0.10\nclusterDomain: cluster.local\ncontainerRuntimeEndpoint: \"\"\nfileCheckFrequency: 0s\nhealthzBindAddress: 127.0.0.1\nhealthzPort: 10248\nkind: KubeletConfiguration\nrotateCertificates: true\nruntimeRequestTimeout: 0s\nstaticPodPath: /etc/kubernetes/manifests\nsyncFrequency: 0s\n";

pub(crate) fn comps(path: &str) -> Components {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

pub(crate) fn dir(fs: &mut Fs, path: &str, mode: u32, t: Millis) {
    let c = comps(path);
    let _ = fs.mkdir_all(&c, t);
    let _ = fs.chmod(&c, mode);
}

pub(crate) fn file(fs: &mut Fs, path: &str, data: &[u8], mode: u32, t: Millis) {
    let c = comps(path);
    let _ = fs.write(&c, data, false, t);
    let _ = fs.chmod(&c, mode);
    let _ = fs.set_mtime(&c, t);
}

/// The control-plane node's filesystem right after `kubeadm init` at time `t`.
pub fn control_plane(p: &Params, t: Millis) -> Fs {
    let mut fs = Fs::new(t);
    for (d, mode) in [
        ("/bin", 0o755),
        ("/boot", 0o755),
        ("/dev", 0o755),
        ("/etc", 0o755),
        ("/home", 0o755),
        ("/lib", 0o755),
        ("/lib64", 0o755),
        ("/opt", 0o755),
        ("/proc", 0o555),
        ("/root", 0o700),
        ("/run", 0o755),
        ("/sbin", 0o755),
        ("/srv", 0o755),
        ("/sys", 0o555),
        ("/tmp", 0o1777),
        ("/usr", 0o755),
        ("/var", 0o755),
        ("/var/lib", 0o755),
        ("/var/log", 0o755),
        ("/etc/kubernetes", 0o755),
        ("/etc/kubernetes/manifests", 0o755),
        ("/etc/kubernetes/pki", 0o755),
        ("/etc/kubernetes/pki/etcd", 0o755),
        ("/var/lib/kubelet", 0o755),
        ("/var/lib/etcd", 0o700),
        ("/var/lib/etcd/member", 0o700),
        ("/var/lib/etcd/member/snap", 0o700),
        ("/var/lib/etcd/member/wal", 0o700),
    ] {
        dir(&mut fs, d, mode, t);
    }
    file(
        &mut fs,
        "/etc/hostname",
        format!("{}\n", p.node).as_bytes(),
        0o644,
        t,
    );
    file(
        &mut fs,
        "/etc/hosts",
        format!("127.0.0.1 localhost\n{} {}\n", p.ip, p.node).as_bytes(),
        0o644,
        t,
    );
    file(
        &mut fs,
        "/etc/passwd",
        b"root:x:0:0:root:/root:/bin/bash\n",
        0o644,
        t,
    );
    file(&mut fs, "/etc/group", b"root:x:0:\n", 0o644, t);
    for (name, text) in [
        ("etcd.yaml", manifests::etcd(p)),
        ("kube-apiserver.yaml", manifests::kube_apiserver(p)),
        (
            "kube-controller-manager.yaml",
            manifests::kube_controller_manager(p),
        ),
        ("kube-scheduler.yaml", manifests::kube_scheduler(p)),
    ] {
        file(
            &mut fs,
            &format!("/etc/kubernetes/manifests/{}", name),
            text.as_bytes(),
            0o600,
            t,
        );
    }
    for (name, data) in PKI.iter() {
        let mode = if name.ends_with(".crt") { 0o644 } else { 0o600 };
        file(
            &mut fs,
            &format!("/etc/kubernetes/pki/{}", name),
            data,
            mode,
            t,
        );
    }
    file(
        &mut fs,
        "/var/lib/kubelet/config.yaml",
        KUBELET_CONFIG.as_bytes(),
        0o644,
        t,
    );
    // directories last: writing their children moved their mtimes
    for path in fs.walk(&[]) {
        let _ = fs.set_mtime(&path, t);
    }
    fs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_node_has_what_kubeadm_writes() {
        let fs = control_plane(&Params::default(), 0);
        let etcd = fs
            .read(&comps("/etc/kubernetes/manifests/etcd.yaml"))
            .unwrap();
        let text = String::from_utf8_lossy(etcd);
        assert!(text.contains("    - --data-dir=/var/lib/etcd\n"));
        assert!(text.contains(
            "    - --listen-client-urls=https://127.0.0.1:2379,https://172.30.1.2:2379\n"
        ));
        assert!(text.ends_with("    name: etcd-data\nstatus: {}\n"));
        for f in [
            "ca.crt",
            "server.crt",
            "server.key",
            "peer.crt",
            "peer.key",
            "healthcheck-client.crt",
        ] {
            let data = fs
                .read(&comps(&format!("/etc/kubernetes/pki/etcd/{}", f)))
                .unwrap();
            assert!(data.starts_with(b"-----BEGIN "), "{}", f);
        }
        assert_eq!(
            fs.stat(&comps("/etc/kubernetes/pki/etcd/server.key"))
                .unwrap()
                .mode,
            0o600
        );
        assert!(fs.is_dir(&comps("/var/lib/etcd/member/wal")));
        assert!(fs.is_dir(&comps("/opt")));
    }
}
