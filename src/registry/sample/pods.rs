//! Pods of the sample as the kubelet reports them (running, crash-looping or pending), with the
//! events their scheduling and start leave behind.

use rand::Rng;

use super::generator::*;
use super::SampleObject;
use crate::registry::k8stime::rfc3339;
use crate::registry::resources::object_key;

impl Gen {
    /// Writes one pod (and, for a fresh rollout, its events). `node` is an index into
    /// `self.nodes`; `host_network` pods take the node's address.
    ///
    /// Pods and events are nine tenths of the large sample, so they are written straight to
    /// text (in the field order kube-apiserver's JSON serializer uses) rather than through
    /// `serde_json::Value`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn pod(
        &mut self,
        ns: &str,
        name: &str,
        node: usize,
        labels: &str,
        owner_ref: &str,
        container: &Container,
        sa: &str,
        host_network: bool,
        priority: Option<(&str, i64)>,
        events: bool,
    ) -> PodRef {
        let health = if events && self.large {
            match self.rng.gen_range(0..200) {
                0 | 1 => PodHealth::CrashLoop,
                2 => PodHealth::Pending,
                _ => PodHealth::Running,
            }
        } else {
            PodHealth::Running
        };
        let node_name = self
            .nodes
            .get(node)
            .map(|n| n.name.clone())
            .unwrap_or_default();
        let node_ip = self
            .nodes
            .get(node)
            .map(|n| n.ip.clone())
            .unwrap_or_default();
        let ip = if host_network {
            node_ip.clone()
        } else {
            self.pod_ip(node)
        };
        let uid = self.uid();
        let rev = self.next_revision();
        let ts = self.ts();
        let created = self.clock;
        let cname = &container.name;
        let image = &container.image;
        let mut out = String::with_capacity(2600);
        out.push_str(&format!(
            r#"{{"kind":"Pod","apiVersion":"v1","metadata":{{"name":{},"namespace":{},"uid":"{uid}","resourceVersion":"{rev}","creationTimestamp":"{ts}""#,
            js(name), js(ns)));
        if !labels.is_empty() {
            out.push_str(&format!(r#","labels":{labels}"#));
        }
        if !owner_ref.is_empty() {
            out.push_str(&format!(r#","ownerReferences":[{owner_ref}]"#));
        }
        out.push_str(&format!(r#"}},"spec":{{"containers":[{}],"restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst""#, container.json));
        if !sa.is_empty() {
            out.push_str(&format!(
                r#","serviceAccountName":{0},"serviceAccount":{0}"#,
                js(sa)
            ));
        }
        if health != PodHealth::Pending {
            out.push_str(&format!(r#","nodeName":{}"#, js(&node_name)));
        }
        if host_network {
            out.push_str(r#","hostNetwork":true"#);
        }
        out.push_str(r#","securityContext":{},"schedulerName":"default-scheduler","tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}]"#);
        match priority {
            Some((class, value)) => out.push_str(&format!(
                r#","priorityClassName":{},"priority":{value}"#,
                js(class)
            )),
            None => out.push_str(r#","priority":0"#),
        }
        out.push_str(
            r#","enableServiceLinks":true,"preemptionPolicy":"PreemptLowerPriority"},"status":"#,
        );
        if health == PodHealth::Pending {
            out.push_str(&format!(r#"{{"phase":"Pending","conditions":[{{"type":"PodScheduled","status":"False","lastProbeTime":null,"lastTransitionTime":"{ts}","reason":"Unschedulable","message":"0/41 nodes are available: 41 Insufficient cpu. preemption: 0/41 nodes are available: 41 No preemption victims found for incoming pod.."}}],"qosClass":"BestEffort"}}}}"#));
        } else {
            let ready = health == PodHealth::Running;
            let rs = if ready { "True" } else { "False" };
            let started = rfc3339((created + 2 + self.rng.gen_range(0..6)).min(self.now));
            let image_id = format!(
                "{}@sha256:{}",
                image.split(':').next().unwrap_or(""),
                self.hex(64)
            );
            let container_id = format!("containerd://{}", self.hex(64));
            out.push_str(r#"{"phase":"Running","conditions":["#);
            for (i, (t, s)) in [
                ("PodReadyToStartContainers", "True"),
                ("Initialized", "True"),
                ("Ready", rs),
                ("ContainersReady", rs),
                ("PodScheduled", "True"),
            ]
            .iter()
            .enumerate()
            {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&format!(r#"{{"type":"{t}","status":"{s}","lastProbeTime":null,"lastTransitionTime":"{ts}"}}"#));
            }
            out.push_str(&format!(r#"],"hostIP":"{node_ip}","hostIPs":[{{"ip":"{node_ip}"}}],"podIP":"{ip}","podIPs":[{{"ip":"{ip}"}}],"startTime":"{ts}","containerStatuses":[{{"name":{},"#, js(cname)));
            if ready {
                out.push_str(&format!(r#""state":{{"running":{{"startedAt":"{started}"}}}},"lastState":{{}},"ready":true,"restartCount":0,"#));
            } else {
                let restarts = self.rng.gen_range(3..9);
                let finished = rfc3339(self.now - self.rng.gen_range(20..280));
                let msg = format!(
                    "back-off 5m0s restarting failed container={cname} pod={name}_{ns}({uid})"
                );
                out.push_str(&format!(r#""state":{{"waiting":{{"reason":"CrashLoopBackOff","message":{}}}}},"lastState":{{"terminated":{{"exitCode":1,"reason":"Error","startedAt":"{started}","finishedAt":"{finished}","containerID":"{container_id}"}}}},"ready":false,"restartCount":{restarts},"#, js(&msg)));
            }
            out.push_str(&format!(r#""image":{},"imageID":{},"containerID":"{container_id}","started":{ready}}}],"qosClass":"BestEffort"}}}}"#, js(image), js(&image_id)));
        }
        let r = resource("Pod");
        self.out.push(SampleObject {
            key: object_key(r, Some(ns), name),
            value: out.into_bytes(),
            mod_revision: rev,
        });
        if events {
            self.pod_events(ns, name, &uid, &node_name, cname, image, health);
        }
        PodRef {
            name: name.to_string(),
            uid,
            ip,
            node: if health == PodHealth::Pending {
                None
            } else {
                Some(node_name)
            },
            ready: health == PodHealth::Running,
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn pod_events(
        &mut self,
        ns: &str,
        pod: &str,
        uid: &str,
        node: &str,
        cname: &str,
        image: &str,
        health: PodHealth,
    ) {
        let path = format!("spec.containers{{{cname}}}");
        let mut evs: Vec<(&str, String, &str, &str, Option<&str>)> = Vec::new();
        if health == PodHealth::Pending {
            evs.push((
                "FailedScheduling",
                "0/41 nodes are available: 41 Insufficient cpu.".into(),
                "Warning",
                "default-scheduler",
                None,
            ));
        } else {
            evs.push((
                "Scheduled",
                format!("Successfully assigned {ns}/{pod} to {node}"),
                "Normal",
                "default-scheduler",
                None,
            ));
            evs.push((
                "Pulled",
                format!("Container image \"{image}\" already present on machine"),
                "Normal",
                "kubelet",
                Some(&path),
            ));
            evs.push((
                "Created",
                format!("Created container {cname}"),
                "Normal",
                "kubelet",
                Some(&path),
            ));
            evs.push((
                "Started",
                format!("Started container {cname}"),
                "Normal",
                "kubelet",
                Some(&path),
            ));
            if health == PodHealth::CrashLoop {
                evs.push((
                    "BackOff",
                    "Back-off restarting failed container".into(),
                    "Warning",
                    "kubelet",
                    Some(&path),
                ));
            }
        }
        let base = self.clock;
        let mut nanos: u64 = u64::try_from(base)
            .unwrap_or(0)
            .saturating_mul(1_000_000_000);
        let r = resource("Event");
        for (i, (reason, message, typ, component, field)) in evs.into_iter().enumerate() {
            nanos = nanos.saturating_add(self.rng.gen_range(100_000_000..900_000_000));
            let name = format!("{pod}.{nanos:x}");
            let at = rfc3339((base + i64::try_from(i).unwrap_or(0)).min(self.now));
            let ev_uid = self.uid();
            let rev = self.next_revision();
            let field = field
                .map(|f| format!(r#","fieldPath":{}"#, js(f)))
                .unwrap_or_default();
            let (host, instance) = if component == "kubelet" {
                (format!(r#","host":{}"#, js(node)), js(node))
            } else {
                (String::new(), "\"\"".to_string())
            };
            let v = format!(
                r#"{{"kind":"Event","apiVersion":"v1","metadata":{{"name":{},"namespace":{},"uid":"{ev_uid}","resourceVersion":"{rev}","creationTimestamp":"{at}"}},"involvedObject":{{"kind":"Pod","namespace":{},"name":{},"uid":"{uid}","apiVersion":"v1"{field}}},"reason":"{reason}","message":{},"source":{{"component":"{component}"{host}}},"firstTimestamp":"{at}","lastTimestamp":"{at}","count":1,"type":"{typ}","eventTime":null,"reportingComponent":"{component}","reportingInstance":{instance}}}"#,
                js(&name),
                js(ns),
                js(ns),
                js(pod),
                js(&message)
            );
            self.out.push(SampleObject {
                key: object_key(r, Some(ns), &name),
                value: v.into_bytes(),
                mod_revision: rev,
            });
        }
    }
}
