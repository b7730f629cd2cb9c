//! The columns `kubectl get` prints for each resource type (kubectl's table printers:
//! pods NAME READY STATUS RESTARTS AGE, nodes NAME STATUS ROLES AGE VERSION, ...), computed
//! from the stored objects and the simulated time.
//!
//! Owns: one row function per kind. Must not touch: etcd, padding (see `printers`).

use serde_json::Value;

use crate::registry::k8stime::{human_age, parse_rfc3339};

/// The header and one row per object. `namespace` adds kubectl's NAMESPACE column (`-A`);
/// `wide` adds the `-o wide` columns where there are some.
pub fn rows(kind: &str, objects: &[Value], now: i64, namespace: bool, wide: bool) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let mut header: Vec<&'static str> = match kind {
        "Pod" if wide => vec!["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
        "Pod" => vec!["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
        "Node" if wide => vec!["NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"],
        "Node" => vec!["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
        "Namespace" => vec!["NAME", "STATUS", "AGE"],
        "Deployment" => vec!["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
        "ReplicaSet" => vec!["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
        "StatefulSet" => vec!["NAME", "READY", "AGE"],
        "DaemonSet" => vec!["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"],
        "Service" => vec!["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"],
        "Secret" => vec!["NAME", "TYPE", "DATA", "AGE"],
        "ConfigMap" => vec!["NAME", "DATA", "AGE"],
        "ServiceAccount" => vec!["NAME", "SECRETS", "AGE"],
        "Endpoints" => vec!["NAME", "ENDPOINTS", "AGE"],
        "Event" => vec!["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
        "Lease" => vec!["NAME", "HOLDER", "AGE"],
        "PriorityClass" => vec!["NAME", "VALUE", "GLOBAL-DEFAULT", "AGE", "PREEMPTIONPOLICY"],
        "StorageClass" => vec!["NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE"],
        _ => vec!["NAME", "AGE"],
    };
    let mut out = Vec::with_capacity(objects.len());
    for o in objects {
        let mut row = row(kind, o, now, wide);
        if namespace {
            row.insert(0, s(&o["metadata"]["namespace"]));
        }
        out.push(row);
    }
    if namespace {
        header.insert(0, "NAMESPACE");
    }
    (header, out)
}

fn s(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn n(v: &Value) -> i64 {
    v.as_i64().unwrap_or(0)
}

/// kubectl's AGE of an object.
pub fn age(o: &Value, now: i64) -> String {
    match o["metadata"]["creationTimestamp"].as_str().and_then(parse_rfc3339) {
        Some(t) => human_age(now - t),
        None => "<unknown>".into(),
    }
}

fn none_if_empty(v: String) -> String {
    if v.is_empty() {
        "<none>".into()
    } else {
        v
    }
}

fn row(kind: &str, o: &Value, now: i64, wide: bool) -> Vec<String> {
    let name = s(&o["metadata"]["name"]);
    let age = age(o, now);
    match kind {
        "Pod" => {
            let (ready, status, restarts) = pod_summary(o, now);
            let mut r = vec![name, ready, status, restarts, age];
            if wide {
                r.push(none_if_empty(s(&o["status"]["podIP"])));
                r.push(none_if_empty(s(&o["spec"]["nodeName"])));
                r.push("<none>".into());
                r.push("<none>".into());
            }
            r
        }
        "Node" => {
            let ready = o["status"]["conditions"].as_array().into_iter().flatten()
                .find(|c| c["type"] == "Ready").map(|c| c["status"] == "True").unwrap_or(false);
            let mut status = if ready { "Ready".to_string() } else { "NotReady".to_string() };
            if o["spec"]["unschedulable"] == true {
                status.push_str(",SchedulingDisabled");
            }
            let roles: Vec<String> = o["metadata"]["labels"].as_object().into_iter().flatten()
                .filter_map(|(k, _)| k.strip_prefix("node-role.kubernetes.io/").map(str::to_string)).collect();
            let mut r = vec![name, status, none_if_empty(roles.join(",")), age, s(&o["status"]["nodeInfo"]["kubeletVersion"])];
            if wide {
                let addr = |t: &str| o["status"]["addresses"].as_array().into_iter().flatten()
                    .find(|a| a["type"] == t).map(|a| s(&a["address"])).unwrap_or_default();
                r.push(none_if_empty(addr("InternalIP")));
                r.push(none_if_empty(addr("ExternalIP")));
                r.push(s(&o["status"]["nodeInfo"]["osImage"]));
                r.push(s(&o["status"]["nodeInfo"]["kernelVersion"]));
                r.push(s(&o["status"]["nodeInfo"]["containerRuntimeVersion"]));
            }
            r
        }
        "Namespace" => vec![name, s(&o["status"]["phase"]), age],
        "Deployment" => {
            let st = &o["status"];
            vec![name, format!("{}/{}", n(&st["readyReplicas"]), n(&o["spec"]["replicas"])), n(&st["updatedReplicas"]).to_string(),
                 n(&st["availableReplicas"]).to_string(), age]
        }
        "ReplicaSet" => vec![name, n(&o["spec"]["replicas"]).to_string(), n(&o["status"]["replicas"]).to_string(),
                             n(&o["status"]["readyReplicas"]).to_string(), age],
        "StatefulSet" => vec![name, format!("{}/{}", n(&o["status"]["readyReplicas"]), n(&o["spec"]["replicas"])), age],
        "DaemonSet" => {
            let st = &o["status"];
            let sel: Vec<String> = o["spec"]["template"]["spec"]["nodeSelector"].as_object().into_iter().flatten()
                .map(|(k, v)| format!("{k}={}", s(v))).collect();
            vec![name, n(&st["desiredNumberScheduled"]).to_string(), n(&st["currentNumberScheduled"]).to_string(),
                 n(&st["numberReady"]).to_string(), n(&st["updatedNumberScheduled"]).to_string(),
                 n(&st["numberAvailable"]).to_string(), none_if_empty(sel.join(",")), age]
        }
        "Service" => {
            let spec = &o["spec"];
            let ports: Vec<String> = spec["ports"].as_array().into_iter().flatten().map(|p| {
                let proto = p["protocol"].as_str().unwrap_or("TCP");
                match p["nodePort"].as_i64() {
                    Some(np) => format!("{}:{np}/{proto}", n(&p["port"])),
                    None => format!("{}/{proto}", n(&p["port"])),
                }
            }).collect();
            let external = o["status"]["loadBalancer"]["ingress"].as_array().into_iter().flatten()
                .map(|i| s(&i["ip"])).collect::<Vec<_>>().join(",");
            vec![name, s(&spec["type"]), none_if_empty(s(&spec["clusterIP"])), none_if_empty(external),
                 none_if_empty(ports.join(",")), age]
        }
        "Secret" => vec![name, s(&o["type"]), o["data"].as_object().map(|d| d.len()).unwrap_or(0).to_string(), age],
        "ConfigMap" => {
            let d = o["data"].as_object().map(|d| d.len()).unwrap_or(0) + o["binaryData"].as_object().map(|d| d.len()).unwrap_or(0);
            vec![name, d.to_string(), age]
        }
        "ServiceAccount" => vec![name, o["secrets"].as_array().map(|a| a.len()).unwrap_or(0).to_string(), age],
        "Endpoints" => {
            let mut eps = Vec::new();
            for sub in o["subsets"].as_array().into_iter().flatten() {
                for a in sub["addresses"].as_array().into_iter().flatten() {
                    for p in sub["ports"].as_array().into_iter().flatten() {
                        eps.push(format!("{}:{}", s(&a["ip"]), n(&p["port"])));
                    }
                }
            }
            let shown = if eps.len() > 3 { format!("{} + {} more...", eps[..3].join(","), eps.len() - 3) } else { eps.join(",") };
            vec![name, none_if_empty(shown), age]
        }
        "Event" => {
            let last = o["lastTimestamp"].as_str().and_then(parse_rfc3339).map(|t| human_age(now - t)).unwrap_or_else(|| age.clone());
            let io = &o["involvedObject"];
            vec![last, s(&o["type"]), s(&o["reason"]), format!("{}/{}", s(&io["kind"]).to_lowercase(), s(&io["name"])), s(&o["message"])]
        }
        "Lease" => vec![name, s(&o["spec"]["holderIdentity"]), age],
        "PriorityClass" => vec![name, n(&o["value"]).to_string(), (o["globalDefault"] == true).to_string(), age,
                                s(&o["preemptionPolicy"])],
        "StorageClass" => {
            let default = o["metadata"]["annotations"]["storageclass.kubernetes.io/is-default-class"] == "true";
            let shown = if default { format!("{name} (default)") } else { name };
            vec![shown, s(&o["provisioner"]), s(&o["reclaimPolicy"]), s(&o["volumeBindingMode"]),
                 (o["allowVolumeExpansion"] == true).to_string(), age]
        }
        _ => vec![name, age],
    }
}

/// READY, STATUS and RESTARTS of a pod, as kubectl's pod printer works them out.
pub fn pod_summary(o: &Value, now: i64) -> (String, String, String) {
    let statuses = o["status"]["containerStatuses"].as_array().cloned().unwrap_or_default();
    let total = o["spec"]["containers"].as_array().map(|c| c.len()).unwrap_or(0);
    let ready = statuses.iter().filter(|c| c["ready"] == true).count();
    let mut reason = o["status"]["reason"].as_str().or(o["status"]["phase"].as_str()).unwrap_or("Unknown").to_string();
    let mut restarts = 0i64;
    let mut last_restart: Option<i64> = None;
    for c in &statuses {
        restarts += n(&c["restartCount"]);
        if let Some(t) = c["lastState"]["terminated"]["finishedAt"].as_str().and_then(parse_rfc3339) {
            last_restart = Some(last_restart.map_or(t, |l: i64| l.max(t)));
        }
        let st = &c["state"];
        if let Some(r) = st["waiting"]["reason"].as_str().filter(|r| !r.is_empty()) {
            reason = r.to_string();
        } else if let Some(r) = st["terminated"]["reason"].as_str().filter(|r| !r.is_empty()) {
            reason = r.to_string();
        }
    }
    if o["metadata"]["deletionTimestamp"].is_string() {
        reason = "Terminating".into();
    }
    let restarts = match (restarts, last_restart) {
        (r, Some(t)) if r > 0 => format!("{r} ({} ago)", human_age(now - t)),
        (r, _) => r.to_string(),
    };
    (format!("{ready}/{total}"), reason, restarts)
}
