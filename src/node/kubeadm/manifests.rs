//! The static pod manifests kubeadm writes to `/etc/kubernetes/manifests/`: `etcd.yaml`,
//! `kube-apiserver.yaml`, `kube-controller-manager.yaml` and `kube-scheduler.yaml`, laid
//! out as kubeadm 1.30 marshals them (keys in order, flags sorted, `status: {}` at the end;
//! facts from kubeadm's `phases/etcd/local.go` and `phases/controlplane/manifests.go`).
//!
//! Owns: the manifest texts for a node name, address and versions. Must not touch: the
//! filesystem (kubeadm/mod.rs writes them), parsing them back (manifest.rs).

/// What the manifests depend on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Params {
    pub node: String,
    pub ip: String,
    /// etcd's version, e.g. `3.4.23` (the image tag is `3.4.23-0`).
    pub etcd_version: String,
    /// Kubernetes' version, e.g. `v1.30.0`.
    pub k8s_version: String,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            node: "controlplane".into(),
            ip: "172.30.1.2".into(),
            etcd_version: "3.4.23".into(),
            k8s_version: "v1.30.0".into(),
        }
    }
}

fn probe(kind: &str, host: &str, path: &str, port: u32, scheme: &str, failures: u32) -> String {
    format!(
        "    {kind}:\n      failureThreshold: {failures}\n      httpGet:\n        host: {host}\n        path: {path}\n        port: {port}\n        scheme: {scheme}\n      initialDelaySeconds: 10\n      periodSeconds: 10\n      timeoutSeconds: 15\n"
    )
}

/// (name, mountPath / hostPath, hostPath type, readOnly)
type Mount<'a> = (&'a str, &'a str, &'a str, bool);

fn mounts(list: &[Mount]) -> String {
    let mut s = String::from("    volumeMounts:\n");
    for (name, path, _, ro) in list {
        s.push_str(&format!(
            "    - mountPath: {}\n      name: {}\n",
            path, name
        ));
        if *ro {
            s.push_str("      readOnly: true\n");
        }
    }
    s
}

fn volumes(list: &[Mount]) -> String {
    // kubeadm sorts the volumes by name
    let mut sorted: Vec<&Mount> = list.iter().collect();
    crate::sort::sort_by(&mut sorted, |a, b| a.0.cmp(b.0));
    let mut s = String::from("  volumes:\n");
    for (name, path, ty, _) in sorted {
        s.push_str(&format!(
            "  - hostPath:\n      path: {}\n      type: {}\n    name: {}\n",
            path, ty, name
        ));
    }
    s
}

fn header(name: &str, annotation: Option<String>) -> String {
    let mut s = String::from("apiVersion: v1\nkind: Pod\nmetadata:\n");
    if let Some(a) = annotation {
        s.push_str(&format!("  annotations:\n    {}\n", a));
    }
    s.push_str(&format!(
        "  creationTimestamp: null\n  labels:\n    component: {name}\n    tier: control-plane\n  name: {name}\n  namespace: kube-system\nspec:\n  containers:\n  - command:\n    - {name}\n"
    ));
    s
}

fn footer(list: &[Mount]) -> String {
    format!(
        "  hostNetwork: true\n  priorityClassName: system-node-critical\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n{}status: {{}}\n",
        volumes(list)
    )
}

fn flags(list: &[String]) -> String {
    list.iter().map(|f| format!("    - {}\n", f)).collect()
}

/// `/etc/kubernetes/manifests/etcd.yaml`.
pub fn etcd(p: &Params) -> String {
    let ip = &p.ip;
    let mut s = header(
        "etcd",
        Some(format!(
            "kubeadm.kubernetes.io/etcd.advertise-client-urls: https://{}:2379",
            ip
        )),
    );
    s.push_str(&flags(&[
        format!("--advertise-client-urls=https://{}:2379", ip),
        "--cert-file=/etc/kubernetes/pki/etcd/server.crt".into(),
        "--client-cert-auth=true".into(),
        "--data-dir=/var/lib/etcd".into(),
        "--experimental-initial-corrupt-check=true".into(),
        "--experimental-watch-progress-notify-interval=5s".into(),
        format!("--initial-advertise-peer-urls=https://{}:2380", ip),
        format!("--initial-cluster={}=https://{}:2380", p.node, ip),
        "--key-file=/etc/kubernetes/pki/etcd/server.key".into(),
        format!(
            "--listen-client-urls=https://127.0.0.1:2379,https://{}:2379",
            ip
        ),
        "--listen-metrics-urls=http://127.0.0.1:2381".into(),
        format!("--listen-peer-urls=https://{}:2380", ip),
        format!("--name={}", p.node),
        "--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt".into(),
        "--peer-client-cert-auth=true".into(),
        "--peer-key-file=/etc/kubernetes/pki/etcd/peer.key".into(),
        "--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt".into(),
        "--snapshot-count=10000".into(),
        "--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt".into(),
    ]));
    s.push_str(&format!(
        "    image: registry.k8s.io/etcd:{}-0\n    imagePullPolicy: IfNotPresent\n",
        p.etcd_version
    ));
    s.push_str(&probe(
        "livenessProbe",
        "127.0.0.1",
        "/health?exclude=NOSPACE&serializable=true",
        2381,
        "HTTP",
        8,
    ));
    s.push_str("    name: etcd\n    resources:\n      requests:\n        cpu: 100m\n        memory: 100Mi\n");
    s.push_str(&probe(
        "startupProbe",
        "127.0.0.1",
        "/health?serializable=false",
        2381,
        "HTTP",
        24,
    ));
    let list: [Mount; 2] = [
        ("etcd-data", "/var/lib/etcd", "DirectoryOrCreate", false),
        (
            "etcd-certs",
            "/etc/kubernetes/pki/etcd",
            "DirectoryOrCreate",
            false,
        ),
    ];
    s.push_str(&mounts(&list));
    s.push_str(&footer(&list));
    s
}

const CA_MOUNTS: [Mount<'static>; 4] = [
    ("ca-certs", "/etc/ssl/certs", "DirectoryOrCreate", true),
    (
        "etc-ca-certificates",
        "/etc/ca-certificates",
        "DirectoryOrCreate",
        true,
    ),
    (
        "usr-local-share-ca-certificates",
        "/usr/local/share/ca-certificates",
        "DirectoryOrCreate",
        true,
    ),
    (
        "usr-share-ca-certificates",
        "/usr/share/ca-certificates",
        "DirectoryOrCreate",
        true,
    ),
];

/// `/etc/kubernetes/manifests/kube-apiserver.yaml`.
pub fn kube_apiserver(p: &Params) -> String {
    let ip = &p.ip;
    let pki = "/etc/kubernetes/pki";
    let mut s = header(
        "kube-apiserver",
        Some(format!(
            "kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint: {}:6443",
            ip
        )),
    );
    s.push_str(&flags(&[
        format!("--advertise-address={}", ip),
        "--allow-privileged=true".into(),
        "--authorization-mode=Node,RBAC".into(),
        format!("--client-ca-file={}/ca.crt", pki),
        "--enable-admission-plugins=NodeRestriction".into(),
        "--enable-bootstrap-token-auth=true".into(),
        format!("--etcd-cafile={}/etcd/ca.crt", pki),
        format!("--etcd-certfile={}/apiserver-etcd-client.crt", pki),
        format!("--etcd-keyfile={}/apiserver-etcd-client.key", pki),
        "--etcd-servers=https://127.0.0.1:2379".into(),
        format!(
            "--kubelet-client-certificate={}/apiserver-kubelet-client.crt",
            pki
        ),
        format!("--kubelet-client-key={}/apiserver-kubelet-client.key", pki),
        "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname".into(),
        format!("--proxy-client-cert-file={}/front-proxy-client.crt", pki),
        format!("--proxy-client-key-file={}/front-proxy-client.key", pki),
        "--requestheader-allowed-names=front-proxy-client".into(),
        format!("--requestheader-client-ca-file={}/front-proxy-ca.crt", pki),
        "--requestheader-extra-headers-prefix=X-Remote-Extra-".into(),
        "--requestheader-group-headers=X-Remote-Group".into(),
        "--requestheader-username-headers=X-Remote-User".into(),
        "--secure-port=6443".into(),
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local".into(),
        format!("--service-account-key-file={}/sa.pub", pki),
        format!("--service-account-signing-key-file={}/sa.key", pki),
        "--service-cluster-ip-range=10.96.0.0/12".into(),
        format!("--tls-cert-file={}/apiserver.crt", pki),
        format!("--tls-private-key-file={}/apiserver.key", pki),
    ]));
    s.push_str(&format!(
        "    image: registry.k8s.io/kube-apiserver:{}\n    imagePullPolicy: IfNotPresent\n",
        p.k8s_version
    ));
    s.push_str(&probe("livenessProbe", ip, "/livez", 6443, "HTTPS", 8));
    s.push_str(&format!(
        "    name: kube-apiserver\n    readinessProbe:\n      failureThreshold: 3\n      httpGet:\n        host: {ip}\n        path: /readyz\n        port: 6443\n        scheme: HTTPS\n      periodSeconds: 1\n      timeoutSeconds: 15\n    resources:\n      requests:\n        cpu: 250m\n"
    ));
    s.push_str(&probe("startupProbe", ip, "/livez", 6443, "HTTPS", 24));
    let list: [Mount; 5] = [
        CA_MOUNTS[0],
        CA_MOUNTS[1],
        ("k8s-certs", pki, "DirectoryOrCreate", true),
        CA_MOUNTS[2],
        CA_MOUNTS[3],
    ];
    s.push_str(&mounts(&list));
    s.push_str(&footer(&list));
    s
}

/// `/etc/kubernetes/manifests/kube-controller-manager.yaml`.
pub fn kube_controller_manager(p: &Params) -> String {
    let conf = "/etc/kubernetes/controller-manager.conf";
    let pki = "/etc/kubernetes/pki";
    let mut s = header("kube-controller-manager", None);
    s.push_str(&flags(&[
        "--allocate-node-cidrs=true".into(),
        format!("--authentication-kubeconfig={}", conf),
        format!("--authorization-kubeconfig={}", conf),
        "--bind-address=127.0.0.1".into(),
        format!("--client-ca-file={}/ca.crt", pki),
        "--cluster-cidr=10.244.0.0/16".into(),
        "--cluster-name=kubernetes".into(),
        format!("--cluster-signing-cert-file={}/ca.crt", pki),
        format!("--cluster-signing-key-file={}/ca.key", pki),
        "--controllers=*,bootstrapsigner,tokencleaner".into(),
        format!("--kubeconfig={}", conf),
        "--leader-elect=true".into(),
        format!("--requestheader-client-ca-file={}/front-proxy-ca.crt", pki),
        format!("--root-ca-file={}/ca.crt", pki),
        format!("--service-account-private-key-file={}/sa.key", pki),
        "--service-cluster-ip-range=10.96.0.0/12".into(),
        "--use-service-account-credentials=true".into(),
    ]));
    s.push_str(&format!(
        "    image: registry.k8s.io/kube-controller-manager:{}\n    imagePullPolicy: IfNotPresent\n",
        p.k8s_version
    ));
    s.push_str(&probe(
        "livenessProbe",
        "127.0.0.1",
        "/healthz",
        10257,
        "HTTPS",
        8,
    ));
    s.push_str(
        "    name: kube-controller-manager\n    resources:\n      requests:\n        cpu: 200m\n",
    );
    s.push_str(&probe(
        "startupProbe",
        "127.0.0.1",
        "/healthz",
        10257,
        "HTTPS",
        24,
    ));
    let list: [Mount; 7] = [
        CA_MOUNTS[0],
        CA_MOUNTS[1],
        (
            "flexvolume-dir",
            "/usr/libexec/kubernetes/kubelet-plugins/volume/exec",
            "DirectoryOrCreate",
            false,
        ),
        ("k8s-certs", pki, "DirectoryOrCreate", true),
        ("kubeconfig", conf, "FileOrCreate", true),
        CA_MOUNTS[2],
        CA_MOUNTS[3],
    ];
    s.push_str(&mounts(&list));
    s.push_str(&footer(&list));
    s
}

/// `/etc/kubernetes/manifests/kube-scheduler.yaml`.
pub fn kube_scheduler(p: &Params) -> String {
    let conf = "/etc/kubernetes/scheduler.conf";
    let mut s = header("kube-scheduler", None);
    s.push_str(&flags(&[
        format!("--authentication-kubeconfig={}", conf),
        format!("--authorization-kubeconfig={}", conf),
        "--bind-address=127.0.0.1".into(),
        format!("--kubeconfig={}", conf),
        "--leader-elect=true".into(),
    ]));
    s.push_str(&format!(
        "    image: registry.k8s.io/kube-scheduler:{}\n    imagePullPolicy: IfNotPresent\n",
        p.k8s_version
    ));
    s.push_str(&probe(
        "livenessProbe",
        "127.0.0.1",
        "/healthz",
        10259,
        "HTTPS",
        8,
    ));
    s.push_str("    name: kube-scheduler\n    resources:\n      requests:\n        cpu: 100m\n");
    s.push_str(&probe(
        "startupProbe",
        "127.0.0.1",
        "/healthz",
        10259,
        "HTTPS",
        24,
    ));
    let list: [Mount; 1] = [("kubeconfig", conf, "FileOrCreate", true)];
    s.push_str(&mounts(&list));
    s.push_str(&footer(&list));
    s
}
