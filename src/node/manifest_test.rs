//! Tests of the manifest decision: the kubeadm manifest, edited, broken and reverted.

use super::*;
use crate::node::kubeadm::{control_plane, manifests, Params};

const PATH: &str = "/etc/kubernetes/manifests/etcd.yaml";

fn good() -> String {
    manifests::etcd(&Params::default())
}

fn start(text: &str, fs: &Fs) -> Result<EtcdStart, EtcdFailure> {
    let pod = parse_pod(PATH, text.as_bytes()).map_err(EtcdFailure::Exit)?;
    etcd_start(&pod, fs)
}

#[test]
fn kubeadm_manifest_starts_etcd_on_var_lib_etcd() {
    let fs = control_plane(&Params::default(), 0);
    let pod = parse_pod(PATH, good().as_bytes()).unwrap();
    assert_eq!(pod.full_name("controlplane"), "etcd-controlplane");
    assert_eq!(pod.namespace, "kube-system");
    let s = etcd_start(&pod, &fs).unwrap();
    assert_eq!(s.name, "controlplane");
    assert_eq!(s.data_dir, "/var/lib/etcd");
    assert_eq!(s.host_data_dir.as_deref(), Some("/var/lib/etcd"));
    assert_eq!(
        s.listen_client_urls(),
        vec!["https://127.0.0.1:2379", "https://172.30.1.2:2379"]
    );
    assert_eq!(
        s.initial_cluster(),
        vec![(
            "controlplane".to_string(),
            "https://172.30.1.2:2380".to_string()
        )]
    );
    assert!(s.client_cert_auth());
    assert_eq!(
        s.flag("trusted-ca-file"),
        Some("/etc/kubernetes/pki/etcd/ca.crt")
    );
    assert_eq!(s.image, "registry.k8s.io/etcd:3.4.23-0");
    assert!(s.creates.is_empty());
}

#[test]
fn the_restore_edits_move_the_data_dir() {
    let mut fs = control_plane(&Params::default(), 0);
    // the CKA way: only the hostPath changes; the container still sees /var/lib/etcd
    let edited = good().replace(
        "      path: /var/lib/etcd\n",
        "      path: /var/lib/etcd-from-backup\n",
    );
    let s = start(&edited, &fs).unwrap();
    assert_eq!(s.data_dir, "/var/lib/etcd");
    assert_eq!(
        s.host_data_dir.as_deref(),
        Some("/var/lib/etcd-from-backup")
    );
    assert_eq!(
        s.creates,
        vec![("/var/lib/etcd-from-backup".to_string(), true)]
    );
    // the other way: --data-dir and both paths, after the restore made the directory
    fs.mkdir_all(&comps("/var/lib/etcd-from-backup/member"), 0)
        .unwrap();
    let both = good().replace("/var/lib/etcd\n", "/var/lib/etcd-from-backup\n");
    let s = start(&both, &fs).unwrap();
    assert_eq!(s.data_dir, "/var/lib/etcd-from-backup");
    assert_eq!(
        s.host_data_dir.as_deref(),
        Some("/var/lib/etcd-from-backup")
    );
    assert!(s.creates.is_empty());
    // only --data-dir changed: the container path is not under any mount
    let flag_only = good().replace(
        "--data-dir=/var/lib/etcd\n",
        "--data-dir=/var/lib/etcd-from-backup\n",
    );
    let s = start(&flag_only, &fs).unwrap();
    assert_eq!(s.host_data_dir, None);
    // reverted: as before
    assert_eq!(
        start(&good(), &fs).unwrap().host_data_dir.as_deref(),
        Some("/var/lib/etcd")
    );
}

#[test]
fn broken_manifests_give_kubelets_and_etcds_errors() {
    let fs = control_plane(&Params::default(), 0);
    let bad = good().replacen("metadata:", "metadata;", 1);
    let e = parse_pod(PATH, bad.as_bytes()).unwrap_err();
    assert!(
        e.starts_with("/etc/kubernetes/manifests/etcd.yaml: couldn't parse as pod(yaml: line "),
        "{}",
        e
    );
    assert!(e.ends_with("), please check config file"), "{}", e);
    let e = parse_pod(PATH, b"apiVersion: v2\nkind: Pod\n").unwrap_err();
    assert!(
        e.contains("no kind \"Pod\" is registered for version \"v2\""),
        "{}",
        e
    );
    let e = parse_pod(PATH, b"").unwrap_err();
    assert!(e.contains("Object 'Kind' is missing in 'null'"), "{}", e);
    let e = parse_pod(PATH, b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: etcd\n    command: etcd\n").unwrap_err();
    assert!(
        e.contains(
            "cannot unmarshal string into Go struct field Container.spec.containers.command"
        ),
        "{}",
        e
    );
    // a certificate that is not there: etcd exits
    let typo = good().replace(
        "--cert-file=/etc/kubernetes/pki/etcd/server.crt",
        "--cert-file=/etc/kubernetes/pki/etcd/server-certificate.crt",
    );
    assert_eq!(
        start(&typo, &fs),
        Err(EtcdFailure::Exit(
            "open /etc/kubernetes/pki/etcd/server-certificate.crt: no such file or directory"
                .into()
        ))
    );
    let unknown = good().replace(
        "    - --snapshot-count=10000\n",
        "    - --snapshot-counts=10000\n",
    );
    assert_eq!(
        start(&unknown, &fs),
        Err(EtcdFailure::Exit(
            "flag provided but not defined: -snapshot-counts".into()
        ))
    );
    let strict = good()
        .replace(
            "type: DirectoryOrCreate\n    name: etcd-data",
            "type: Directory\n    name: etcd-data",
        )
        .replace(
            "      path: /var/lib/etcd\n",
            "      path: /var/lib/etcd-nosuch\n",
        );
    assert_eq!(
        start(&strict, &fs).unwrap_err().to_string(),
        "MountVolume.SetUp failed for volume \"etcd-data\" : hostPath type check failed: /var/lib/etcd-nosuch is not a directory"
    );
    // a new member (empty data directory) must find its name in --initial-cluster
    let renamed = good()
        .replace("--name=controlplane", "--name=other")
        .replace(
            "      path: /var/lib/etcd\n",
            "      path: /var/lib/etcd-new\n",
        );
    assert_eq!(
        start(&renamed, &fs),
        Err(EtcdFailure::Exit(
            "couldn't find local name \"other\" in the initial cluster configuration".into()
        ))
    );
}

#[test]
fn yaml_errors_read_like_go_yaml() {
    for (text, _) in [
        ("a: b\n c: d\n", ""),
        ("a:\n  - b\n  c: d\n", ""),
        ("metadata;\n  name: x\nspec: {}\n", ""),
        ("a: 'x\n", ""),
        ("a:\n\tb: c\n", ""),
    ] {
        let e = parse_pod("f", text.as_bytes()).unwrap_err();
        eprintln!("{:?} -> {}", text, e);
        assert!(e.contains("yaml: "), "{}", e);
    }
}
