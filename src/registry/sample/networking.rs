//! Services of the sample and what follows from them: the `kubernetes` service with its
//! endpoints, and each application's Service with its Endpoints and EndpointSlice.

use serde_json::{json, Value};

use super::generator::*;

impl Gen {
    pub(super) fn kubernetes_service(&mut self) {
        let ip = self.service_ip(Some(0));
        let cp_ip = "192.168.1.10";
        let ports = json!([{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}]);
        let labels = json!({"component": "apiserver", "provider": "kubernetes"});
        let svc_uid = self.simple(
            "Service",
            Some("default"),
            "kubernetes",
            labels.clone(),
            json!({
            "spec": {"clusterIP": ip, "clusterIPs": [ip], "internalTrafficPolicy": "Cluster",
                "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "ports": ports,
                "sessionAffinity": "None", "type": "ClusterIP"},
            "status": {"loadBalancer": {}}}),
        );
        let _ = svc_uid;
        self.simple("Endpoints", Some("default"), "kubernetes", json!({"endpointslice.kubernetes.io/skip-mirror": "true"}), json!({
            "subsets": [{"addresses": [{"ip": cp_ip}], "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}]}));
        self.simple(
            "EndpointSlice",
            Some("default"),
            "kubernetes",
            json!({"kubernetes.io/service-name": "kubernetes"}),
            json!({
            "addressType": "IPv4",
            "endpoints": [{"addresses": [cp_ip], "conditions": {"ready": true}}],
            "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}),
        );
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn service_for(
        &mut self,
        ns: &str,
        name: &str,
        label_key: &str,
        app: &str,
        fixed_ip: Option<u32>,
        ports: &[(&str, i64, &str)],
        pods: &[PodRef],
        node_port: Option<u32>,
    ) {
        let headless = fixed_ip.is_none() && name == "redis";
        let ip = if headless {
            "None".to_string()
        } else {
            self.service_ip(fixed_ip)
        };
        let mut sports: Vec<Value> = ports
            .iter()
            .map(|(n, p, proto)| json!({"name": n, "port": p, "protocol": proto, "targetPort": p}))
            .collect();
        if let (Some(np), Some(first)) = (node_port, sports.first_mut()) {
            first["nodePort"] = json!(np);
            self.node_ports.push(np);
        }
        let mut spec = json!({"clusterIP": ip, "clusterIPs": [ip], "internalTrafficPolicy": "Cluster",
            "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "ports": sports,
            "selector": {label_key: app}, "sessionAffinity": "None",
            "type": if node_port.is_some() { "NodePort" } else { "ClusterIP" }});
        if node_port.is_some() {
            spec["externalTrafficPolicy"] = json!("Cluster");
        }
        let mut labels = json!({label_key: app});
        if ns == "kube-system" {
            labels["kubernetes.io/cluster-service"] = json!("true");
            labels["kubernetes.io/name"] = json!("CoreDNS");
        }
        let svc_uid = self.simple(
            "Service",
            Some(ns),
            name,
            labels.clone(),
            json!({"spec": spec, "status": {"loadBalancer": {}}}),
        );
        let addr = |p: &PodRef| {
            let mut a = json!({"ip": p.ip, "targetRef": {"kind": "Pod", "name": p.name, "namespace": ns, "uid": p.uid}});
            if let Some(n) = &p.node {
                a["nodeName"] = json!(n);
            }
            a
        };
        let ready: Vec<Value> = pods.iter().filter(|p| p.ready).map(addr).collect();
        let not_ready: Vec<Value> = pods
            .iter()
            .filter(|p| !p.ready && p.node.is_some())
            .map(addr)
            .collect();
        let eports: Vec<Value> = ports
            .iter()
            .map(|(n, p, proto)| json!({"name": n, "port": p, "protocol": proto}))
            .collect();
        let mut subset = json!({"addresses": ready, "ports": eports});
        if !not_ready.is_empty() {
            subset["notReadyAddresses"] = json!(not_ready);
        }
        let mut ep_labels = labels.clone();
        if headless {
            ep_labels["service.kubernetes.io/headless"] = json!("");
        }
        let ts = self.ts();
        let (mut m, _) = self.meta(Some(ns), name, ep_labels.clone());
        m["annotations"] = json!({"endpoints.kubernetes.io/last-change-trigger-time": ts});
        self.put("Endpoints", json!({"metadata": m, "subsets": [subset]}));
        let slice_name = format!("{name}-{}", self.safe(5));
        let mut sl_labels = ep_labels;
        sl_labels["endpointslice.kubernetes.io/managed-by"] =
            json!("endpointslice-controller.k8s.io");
        sl_labels["kubernetes.io/service-name"] = json!(name);
        let (mut m, _) = self.meta(Some(ns), &slice_name, sl_labels);
        m["generateName"] = json!(format!("{name}-"));
        m["annotations"] = json!({"endpoints.kubernetes.io/last-change-trigger-time": ts});
        m["ownerReferences"] = json!([owner("v1", "Service", name, &svc_uid)]);
        let endpoints: Vec<Value> = pods.iter().filter(|p| p.node.is_some()).map(|p| {
            json!({"addresses": [p.ip], "conditions": {"ready": p.ready, "serving": p.ready, "terminating": false},
                "nodeName": p.node, "targetRef": {"kind": "Pod", "name": p.name, "namespace": ns, "uid": p.uid}})
        }).collect();
        self.put(
            "EndpointSlice",
            json!({"metadata": m, "addressType": "IPv4", "endpoints": endpoints, "ports": eports}),
        );
    }
}
