//! `kubectl run` and `kubectl create deployment` write their objects through etcd as the
//! cluster would: the Pod (or Deployment, ReplicaSet and pods), each at the next revision with
//! `resourceVersion` equal to its `mod_revision`, and `kubectl get` lists them running.

use etcd_playground::playground::Playground;

fn json(p: &mut Playground, key: &str) -> serde_json::Value {
    let o = p.run(&format!("etcdctl get {key} -w json"), None);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let kv = &v["kvs"][0];
    let value = base64::Engine::decode(
        &base64::engine::general_purpose::STANDARD,
        kv["value"].as_str().unwrap(),
    )
    .unwrap();
    let mut obj: serde_json::Value = serde_json::from_slice(&value).unwrap();
    obj["mod_revision"] = kv["mod_revision"].clone();
    obj
}

#[test]
fn run_writes_a_running_pod_through_etcd() {
    let mut p = Playground::new(5);
    p.run("load k8s", None);
    let o = p.run("kubectl run web --image=nginx", None);
    assert_eq!((o.stdout.as_str(), o.exit), ("pod/web created\n", 0));
    let pod = json(&mut p, "/registry/pods/default/web");
    assert_eq!(pod["kind"], "Pod");
    assert_eq!(pod["metadata"]["labels"]["run"], "web");
    assert_eq!(
        pod["metadata"]["resourceVersion"].as_str().unwrap(),
        pod["mod_revision"].to_string()
    );
    assert!(pod["spec"]["nodeName"]
        .as_str()
        .unwrap()
        .starts_with("node"));
    let o = p.run("kubectl get pods", None);
    assert!(
        o.stdout
            .lines()
            .any(|l| l.starts_with("web ") && l.contains("Running")),
        "{}",
        o.stdout
    );
    let o = p.run("kubectl run web --image=nginx", None);
    assert_eq!(
        (o.stderr.as_str(), o.exit),
        (
            "Error from server (AlreadyExists): pods \"web\" already exists\n",
            1
        )
    );
    let o = p.run(
        "kubectl run bb --image=busybox --restart=Never -- sleep 3600",
        None,
    );
    assert_eq!(o.exit, 0, "{o:?}");
    let bb = json(&mut p, "/registry/pods/default/bb");
    assert_eq!(
        bb["spec"]["containers"][0]["args"],
        serde_json::json!(["sleep", "3600"])
    );
}

#[test]
fn create_deployment_brings_its_replicaset_and_pods() {
    let mut p = Playground::new(5);
    p.run("load k8s", None);
    let before: i64 = json(&mut p, "/registry/namespaces/default")["mod_revision"]
        .as_i64()
        .unwrap();
    assert!(before > 0);
    let o = p.run(
        "kubectl create deployment api --image=registry.k8s.io/echoserver:1.4 --replicas=3 -n demo",
        None,
    );
    assert_eq!(
        (o.stdout.as_str(), o.exit),
        ("deployment.apps/api created\n", 0),
        "{o:?}"
    );
    let keys = p
        .run("etcdctl get /registry/ --prefix --keys-only", None)
        .stdout;
    let rs: Vec<&str> = keys
        .lines()
        .filter(|k| k.starts_with("/registry/replicasets/demo/api-"))
        .collect();
    assert_eq!(rs.len(), 1);
    let pods = keys
        .lines()
        .filter(|k| k.starts_with(&rs[0].replace("replicasets", "pods")))
        .count();
    assert_eq!(pods, 3);
    let dep = json(&mut p, "/registry/deployments/demo/api");
    assert_eq!(dep["spec"]["replicas"], 3);
    assert_eq!(
        dep["spec"]["template"]["spec"]["containers"][0]["name"],
        "echoserver"
    );
    let o = p.run("kubectl get deployments -n demo", None);
    assert!(
        o.stdout.lines().any(|l| l.starts_with("api ")),
        "{}",
        o.stdout
    );
    for (line, err) in [
        ("kubectl create deployment", "error: exactly one NAME is required, got 0\nSee 'kubectl create deployment -h' for help and examples\n"),
        ("kubectl create deployment x", "error: required flag(s) \"image\" not set\n"),
        ("kubectl run y --image=nginx -n nope", "Error from server (NotFound): namespaces \"nope\" not found\n"),
    ] {
        let o = p.run(line, None);
        assert_eq!((o.stderr.as_str(), o.exit), (err, 1), "{line}");
    }
}
