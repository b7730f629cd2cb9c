//! Protobuf field numbers of the Kubernetes built-in types the playground encodes (as in the
//! `generated.proto` files of `k8s.io/api` and `k8s.io/apimachinery`).
//!
//! Owns: data only: one [`Message`] per protobuf message, its fields' JSON names, numbers,
//! cardinality and kinds. Heavy subtrees that the sample never fills (volumes, probes,
//! affinity, security contexts, resources) are [`FieldKind::Skip`]: the encoder writes an empty
//! one as an empty message and notes a non-empty one as not encoded.
//! Must not touch: anything; [`super::protobuf`] reads these tables.

#![allow(clippy::all)]

/// How often a field occurs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Card {
    One,
    Repeated,
    /// `map<string, V>`: a repeated entry message `{1: key, 2: value}`.
    Map,
}

/// What a field holds, and so how a JSON value turns into protobuf.
#[derive(Clone, Copy, Debug)]
pub enum FieldKind {
    Str,
    Int,
    Bool,
    Double,
    /// JSON base64 text, protobuf raw bytes.
    Bytes,
    /// `metav1.Time` / `MicroTime`: RFC 3339 text, `{1: seconds, 2: nanos}`.
    Time,
    /// `resource.Quantity`: `{1: string}`.
    Quantity,
    /// `intstr.IntOrString`: `{1: type, 2: intVal, 3: strVal}`.
    IntOrString,
    /// `runtime.RawExtension`: `{1: raw}` holding the JSON text.
    RawExtension,
    Msg(&'static Message),
    /// Not described here.
    Skip,
}

#[derive(Debug)]
pub struct Field {
    pub json: &'static str,
    pub number: u32,
    pub card: Card,
    pub kind: FieldKind,
}

#[derive(Debug)]
pub struct Message {
    pub name: &'static str,
    pub fields: &'static [Field],
}

impl Message {
    pub fn field(&self, json: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.json == json)
    }
}

const fn f(json: &'static str, number: u32, card: Card, kind: FieldKind) -> Field {
    Field { json, number, card, kind }
}

use Card::*;
use FieldKind::*;

/// The root message of a built-in kind, if it is described here.
pub fn message_for_kind(api_version: &str, kind: &str) -> Option<&'static Message> {
    let group = api_version.rsplit_once('/').map(|(g, _)| g).unwrap_or("");
    Some(match (group, kind) {
        ("", "Pod") => &CORE_POD,
        ("", "Node") => &CORE_NODE,
        ("", "Namespace") => &CORE_NAMESPACE,
        ("", "Service") => &CORE_SERVICE,
        ("", "Endpoints") => &CORE_ENDPOINTS,
        ("", "ConfigMap") => &CORE_CONFIG_MAP,
        ("", "Secret") => &CORE_SECRET,
        ("", "ServiceAccount") => &CORE_SERVICE_ACCOUNT,
        ("", "Event") => &CORE_EVENT,
        ("", "RangeAllocation") => &CORE_RANGE_ALLOCATION,
        ("", "PersistentVolume") => &CORE_PERSISTENT_VOLUME,
        ("", "PersistentVolumeClaim") => &CORE_PERSISTENT_VOLUME_CLAIM,
        ("", "ReplicationController") => &CORE_REPLICATION_CONTROLLER,
        ("apps", "Deployment") => &APPS_DEPLOYMENT,
        ("apps", "ReplicaSet") => &APPS_REPLICA_SET,
        ("apps", "DaemonSet") => &APPS_DAEMON_SET,
        ("apps", "StatefulSet") => &APPS_STATEFUL_SET,
        ("apps", "ControllerRevision") => &APPS_CONTROLLER_REVISION,
        ("rbac.authorization.k8s.io", "Role") => &RBAC_ROLE,
        ("rbac.authorization.k8s.io", "RoleBinding") => &RBAC_ROLE_BINDING,
        ("rbac.authorization.k8s.io", "ClusterRole") => &RBAC_CLUSTER_ROLE,
        ("rbac.authorization.k8s.io", "ClusterRoleBinding") => &RBAC_CLUSTER_ROLE_BINDING,
        ("coordination.k8s.io", "Lease") => &COORDINATION_LEASE,
        ("scheduling.k8s.io", "PriorityClass") => &SCHEDULING_PRIORITY_CLASS,
        ("storage.k8s.io", "StorageClass") => &STORAGE_STORAGE_CLASS,
        ("storage.k8s.io", "CSINode") => &STORAGE_CSINODE,
        ("discovery.k8s.io", "EndpointSlice") => &DISCOVERY_ENDPOINT_SLICE,
        ("flowcontrol.apiserver.k8s.io", "FlowSchema") => &FLOWCONTROL_FLOW_SCHEMA,
        ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration") => &FLOWCONTROL_PRIORITY_LEVEL_CONFIGURATION,
        // Types outside k8s.io/api (APIService, CustomResourceDefinition): metadata only.
        (_, "APIService") | (_, "CustomResourceDefinition") => &METADATA_ONLY,
        _ => return None,
    })
}

// ---- k8s.io/apimachinery/pkg/apis/meta/v1 ----------------------------------------------

pub static OBJECT_META: Message = Message { name: "ObjectMeta", fields: &[
    f("name", 1, One, Str), f("generateName", 2, One, Str), f("namespace", 3, One, Str), f("selfLink", 4, One, Str),
    f("uid", 5, One, Str), f("resourceVersion", 6, One, Str), f("generation", 7, One, Int),
    f("creationTimestamp", 8, One, Time), f("deletionTimestamp", 9, One, Time),
    f("deletionGracePeriodSeconds", 10, One, Int), f("labels", 11, Map, Str), f("annotations", 12, Map, Str),
    f("ownerReferences", 13, Repeated, Msg(&OWNER_REFERENCE)), f("finalizers", 14, Repeated, Str),
    f("managedFields", 17, Repeated, Skip)] };
pub static OWNER_REFERENCE: Message = Message { name: "OwnerReference", fields: &[
    f("kind", 1, One, Str), f("name", 3, One, Str), f("uid", 4, One, Str), f("apiVersion", 5, One, Str),
    f("controller", 6, One, Bool), f("blockOwnerDeletion", 7, One, Bool)] };
pub static LABEL_SELECTOR: Message = Message { name: "LabelSelector", fields: &[
    f("matchLabels", 1, Map, Str), f("matchExpressions", 2, Repeated, Msg(&LABEL_SELECTOR_REQUIREMENT))] };
pub static LABEL_SELECTOR_REQUIREMENT: Message = Message { name: "LabelSelectorRequirement", fields: &[
    f("key", 1, One, Str), f("operator", 2, One, Str), f("values", 3, Repeated, Str)] };
pub static CONDITION: Message = Message { name: "Condition", fields: &[
    f("type", 1, One, Str), f("status", 2, One, Str), f("observedGeneration", 3, One, Int),
    f("lastTransitionTime", 4, One, Time), f("reason", 5, One, Str), f("message", 6, One, Str)] };
pub static METADATA_ONLY: Message = Message { name: "Object", fields: &[f("metadata", 1, One, Msg(&OBJECT_META))] };

// ---- k8s.io/api (field numbers from generated.proto) ------------------------------------

pub static CORE_POD: Message = Message { name: "Pod", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("spec", 2, One, Msg(&CORE_POD_SPEC)),
    f("status", 3, One, Msg(&CORE_POD_STATUS))] };
pub static CORE_POD_SPEC: Message = Message { name: "PodSpec", fields: &[
    f("volumes", 1, Repeated, Skip),
    f("initContainers", 20, Repeated, Msg(&CORE_CONTAINER)),
    f("containers", 2, Repeated, Msg(&CORE_CONTAINER)),
    f("ephemeralContainers", 34, Repeated, Skip),
    f("restartPolicy", 3, One, Str),
    f("terminationGracePeriodSeconds", 4, One, Int),
    f("activeDeadlineSeconds", 5, One, Int),
    f("dnsPolicy", 6, One, Str),
    f("nodeSelector", 7, Map, Str),
    f("serviceAccountName", 8, One, Str),
    f("serviceAccount", 9, One, Str),
    f("automountServiceAccountToken", 21, One, Bool),
    f("nodeName", 10, One, Str),
    f("hostNetwork", 11, One, Bool),
    f("hostPID", 12, One, Bool),
    f("hostIPC", 13, One, Bool),
    f("shareProcessNamespace", 27, One, Bool),
    f("securityContext", 14, One, Skip),
    f("imagePullSecrets", 15, Repeated, Msg(&CORE_LOCAL_OBJECT_REFERENCE)),
    f("hostname", 16, One, Str),
    f("subdomain", 17, One, Str),
    f("affinity", 18, One, Skip),
    f("schedulerName", 19, One, Str),
    f("tolerations", 22, Repeated, Msg(&CORE_TOLERATION)),
    f("hostAliases", 23, Repeated, Skip),
    f("priorityClassName", 24, One, Str),
    f("priority", 25, One, Int),
    f("dnsConfig", 26, One, Skip),
    f("readinessGates", 28, Repeated, Msg(&CORE_POD_READINESS_GATE)),
    f("runtimeClassName", 29, One, Str),
    f("enableServiceLinks", 30, One, Bool),
    f("preemptionPolicy", 31, One, Str),
    f("overhead", 32, Map, Quantity),
    f("topologySpreadConstraints", 33, Repeated, Skip),
    f("setHostnameAsFQDN", 35, One, Bool),
    f("os", 36, One, Skip),
    f("hostUsers", 37, One, Bool),
    f("schedulingGates", 38, Repeated, Msg(&CORE_POD_SCHEDULING_GATE)),
    f("resourceClaims", 39, Repeated, Skip),
    f("resources", 40, One, Skip),
    f("hostnameOverride", 41, One, Str),
    f("schedulingGroup", 43, One, Msg(&CORE_POD_SCHEDULING_GROUP)),
    f("evictionResponders", 44, Repeated, Msg(&CORE_EVICTION_RESPONDER))] };
pub static CORE_CONTAINER: Message = Message { name: "Container", fields: &[
    f("name", 1, One, Str),
    f("image", 2, One, Str),
    f("command", 3, Repeated, Str),
    f("args", 4, Repeated, Str),
    f("workingDir", 5, One, Str),
    f("ports", 6, Repeated, Msg(&CORE_CONTAINER_PORT)),
    f("envFrom", 19, Repeated, Skip),
    f("env", 7, Repeated, Skip),
    f("resources", 8, One, Skip),
    f("resizePolicy", 23, Repeated, Skip),
    f("restartPolicy", 24, One, Str),
    f("restartPolicyRules", 25, Repeated, Skip),
    f("volumeMounts", 9, Repeated, Skip),
    f("volumeDevices", 21, Repeated, Skip),
    f("livenessProbe", 10, One, Skip),
    f("readinessProbe", 11, One, Skip),
    f("startupProbe", 22, One, Skip),
    f("lifecycle", 12, One, Skip),
    f("terminationMessagePath", 13, One, Str),
    f("terminationMessagePolicy", 20, One, Str),
    f("imagePullPolicy", 14, One, Str),
    f("securityContext", 15, One, Skip),
    f("stdin", 16, One, Bool),
    f("stdinOnce", 17, One, Bool),
    f("tty", 18, One, Bool)] };
pub static CORE_CONTAINER_PORT: Message = Message { name: "ContainerPort", fields: &[
    f("name", 1, One, Str),
    f("hostPort", 2, One, Int),
    f("containerPort", 3, One, Int),
    f("protocol", 4, One, Str),
    f("hostIP", 5, One, Str)] };
pub static CORE_LOCAL_OBJECT_REFERENCE: Message = Message { name: "LocalObjectReference", fields: &[
    f("name", 1, One, Str)] };
pub static CORE_TOLERATION: Message = Message { name: "Toleration", fields: &[
    f("key", 1, One, Str),
    f("operator", 2, One, Str),
    f("value", 3, One, Str),
    f("effect", 4, One, Str),
    f("tolerationSeconds", 5, One, Int)] };
pub static CORE_POD_READINESS_GATE: Message = Message { name: "PodReadinessGate", fields: &[
    f("conditionType", 1, One, Str)] };
pub static CORE_POD_SCHEDULING_GATE: Message = Message { name: "PodSchedulingGate", fields: &[
    f("name", 1, One, Str)] };
pub static CORE_POD_SCHEDULING_GROUP: Message = Message { name: "PodSchedulingGroup", fields: &[
    f("podGroupName", 1, One, Str)] };
pub static CORE_EVICTION_RESPONDER: Message = Message { name: "EvictionResponder", fields: &[
    f("name", 1, One, Str),
    f("priority", 2, One, Int)] };
pub static CORE_POD_STATUS: Message = Message { name: "PodStatus", fields: &[
    f("observedGeneration", 17, One, Int),
    f("phase", 1, One, Str),
    f("conditions", 2, Repeated, Msg(&CORE_POD_CONDITION)),
    f("message", 3, One, Str),
    f("reason", 4, One, Str),
    f("nominatedNodeName", 11, One, Str),
    f("hostIP", 5, One, Str),
    f("hostIPs", 16, Repeated, Msg(&CORE_HOST_IP)),
    f("podIP", 6, One, Str),
    f("podIPs", 12, Repeated, Msg(&CORE_POD_IP)),
    f("startTime", 7, One, Time),
    f("initContainerStatuses", 10, Repeated, Msg(&CORE_CONTAINER_STATUS)),
    f("containerStatuses", 8, Repeated, Msg(&CORE_CONTAINER_STATUS)),
    f("qosClass", 9, One, Str),
    f("ephemeralContainerStatuses", 13, Repeated, Msg(&CORE_CONTAINER_STATUS)),
    f("resize", 14, One, Str),
    f("resourceClaimStatuses", 15, Repeated, Skip),
    f("extendedResourceClaimStatus", 18, One, Skip),
    f("allocatedResources", 19, Map, Quantity),
    f("resources", 20, One, Skip),
    f("nodeAllocatableResourceClaimStatuses", 21, Repeated, Skip),
    f("volumeHealth", 22, Repeated, Skip)] };
pub static CORE_POD_CONDITION: Message = Message { name: "PodCondition", fields: &[
    f("type", 1, One, Str),
    f("observedGeneration", 7, One, Int),
    f("status", 2, One, Str),
    f("lastProbeTime", 3, One, Time),
    f("lastTransitionTime", 4, One, Time),
    f("reason", 5, One, Str),
    f("message", 6, One, Str)] };
pub static CORE_HOST_IP: Message = Message { name: "HostIP", fields: &[
    f("ip", 1, One, Str)] };
pub static CORE_POD_IP: Message = Message { name: "PodIP", fields: &[
    f("ip", 1, One, Str)] };
pub static CORE_CONTAINER_STATUS: Message = Message { name: "ContainerStatus", fields: &[
    f("name", 1, One, Str),
    f("state", 2, One, Msg(&CORE_CONTAINER_STATE)),
    f("lastState", 3, One, Msg(&CORE_CONTAINER_STATE)),
    f("ready", 4, One, Bool),
    f("restartCount", 5, One, Int),
    f("image", 6, One, Str),
    f("imageID", 7, One, Str),
    f("containerID", 8, One, Str),
    f("started", 9, One, Bool),
    f("allocatedResources", 10, Map, Quantity),
    f("resources", 11, One, Skip),
    f("volumeMounts", 12, Repeated, Skip),
    f("user", 13, One, Skip),
    f("allocatedResourcesStatus", 14, Repeated, Skip),
    f("stopSignal", 15, One, Str)] };
pub static CORE_CONTAINER_STATE: Message = Message { name: "ContainerState", fields: &[
    f("waiting", 1, One, Msg(&CORE_CONTAINER_STATE_WAITING)),
    f("running", 2, One, Msg(&CORE_CONTAINER_STATE_RUNNING)),
    f("terminated", 3, One, Msg(&CORE_CONTAINER_STATE_TERMINATED))] };
pub static CORE_CONTAINER_STATE_WAITING: Message = Message { name: "ContainerStateWaiting", fields: &[
    f("reason", 1, One, Str),
    f("message", 2, One, Str)] };
pub static CORE_CONTAINER_STATE_RUNNING: Message = Message { name: "ContainerStateRunning", fields: &[
    f("startedAt", 1, One, Time)] };
pub static CORE_CONTAINER_STATE_TERMINATED: Message = Message { name: "ContainerStateTerminated", fields: &[
    f("exitCode", 1, One, Int),
    f("signal", 2, One, Int),
    f("reason", 3, One, Str),
    f("message", 4, One, Str),
    f("startedAt", 5, One, Time),
    f("finishedAt", 6, One, Time),
    f("containerID", 7, One, Str)] };
pub static CORE_NODE: Message = Message { name: "Node", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("spec", 2, One, Msg(&CORE_NODE_SPEC)),
    f("status", 3, One, Msg(&CORE_NODE_STATUS))] };
pub static CORE_NODE_SPEC: Message = Message { name: "NodeSpec", fields: &[
    f("podCIDR", 1, One, Str),
    f("podCIDRs", 7, Repeated, Str),
    f("providerID", 3, One, Str),
    f("unschedulable", 4, One, Bool),
    f("taints", 5, Repeated, Msg(&CORE_TAINT)),
    f("configSource", 6, One, Msg(&CORE_NODE_CONFIG_SOURCE)),
    f("externalID", 2, One, Str),
    f("podPreemptionPolicy", 8, One, Msg(&CORE_NODE_POD_PREEMPTION_POLICY))] };
pub static CORE_TAINT: Message = Message { name: "Taint", fields: &[
    f("key", 1, One, Str),
    f("value", 2, One, Str),
    f("effect", 3, One, Str),
    f("timeAdded", 4, One, Time)] };
pub static CORE_NODE_CONFIG_SOURCE: Message = Message { name: "NodeConfigSource", fields: &[
    f("configMap", 2, One, Msg(&CORE_CONFIG_MAP_NODE_CONFIG_SOURCE))] };
pub static CORE_CONFIG_MAP_NODE_CONFIG_SOURCE: Message = Message { name: "ConfigMapNodeConfigSource", fields: &[
    f("namespace", 1, One, Str),
    f("name", 2, One, Str),
    f("uid", 3, One, Str),
    f("resourceVersion", 4, One, Str),
    f("kubeletConfigKey", 5, One, Str)] };
pub static CORE_NODE_POD_PREEMPTION_POLICY: Message = Message { name: "NodePodPreemptionPolicy", fields: &[
    f("disableResizePreemption", 1, Repeated, Str)] };
pub static CORE_NODE_STATUS: Message = Message { name: "NodeStatus", fields: &[
    f("capacity", 1, Map, Quantity),
    f("allocatable", 2, Map, Quantity),
    f("phase", 3, One, Str),
    f("conditions", 4, Repeated, Msg(&CORE_NODE_CONDITION)),
    f("addresses", 5, Repeated, Msg(&CORE_NODE_ADDRESS)),
    f("daemonEndpoints", 6, One, Msg(&CORE_NODE_DAEMON_ENDPOINTS)),
    f("nodeInfo", 7, One, Msg(&CORE_NODE_SYSTEM_INFO)),
    f("images", 8, Repeated, Skip),
    f("volumesInUse", 9, Repeated, Str),
    f("volumesAttached", 10, Repeated, Msg(&CORE_ATTACHED_VOLUME)),
    f("config", 11, One, Skip),
    f("runtimeHandlers", 12, Repeated, Skip),
    f("features", 13, One, Skip),
    f("declaredFeatures", 14, Repeated, Str)] };
pub static CORE_NODE_CONDITION: Message = Message { name: "NodeCondition", fields: &[
    f("type", 1, One, Str),
    f("status", 2, One, Str),
    f("lastHeartbeatTime", 3, One, Time),
    f("lastTransitionTime", 4, One, Time),
    f("reason", 5, One, Str),
    f("message", 6, One, Str)] };
pub static CORE_NODE_ADDRESS: Message = Message { name: "NodeAddress", fields: &[
    f("type", 1, One, Str),
    f("address", 2, One, Str)] };
pub static CORE_NODE_DAEMON_ENDPOINTS: Message = Message { name: "NodeDaemonEndpoints", fields: &[
    f("kubeletEndpoint", 1, One, Msg(&CORE_DAEMON_ENDPOINT))] };
pub static CORE_DAEMON_ENDPOINT: Message = Message { name: "DaemonEndpoint", fields: &[
    f("Port", 1, One, Int)] };
pub static CORE_NODE_SYSTEM_INFO: Message = Message { name: "NodeSystemInfo", fields: &[
    f("machineID", 1, One, Str),
    f("systemUUID", 2, One, Str),
    f("bootID", 3, One, Str),
    f("kernelVersion", 4, One, Str),
    f("osImage", 5, One, Str),
    f("containerRuntimeVersion", 6, One, Str),
    f("kubeletVersion", 7, One, Str),
    f("kubeProxyVersion", 8, One, Str),
    f("operatingSystem", 9, One, Str),
    f("architecture", 10, One, Str),
    f("swap", 11, One, Skip)] };
pub static CORE_ATTACHED_VOLUME: Message = Message { name: "AttachedVolume", fields: &[
    f("name", 1, One, Str),
    f("devicePath", 2, One, Str)] };
pub static CORE_NAMESPACE: Message = Message { name: "Namespace", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("spec", 2, One, Msg(&CORE_NAMESPACE_SPEC)),
    f("status", 3, One, Msg(&CORE_NAMESPACE_STATUS))] };
pub static CORE_NAMESPACE_SPEC: Message = Message { name: "NamespaceSpec", fields: &[
    f("finalizers", 1, Repeated, Str)] };
pub static CORE_NAMESPACE_STATUS: Message = Message { name: "NamespaceStatus", fields: &[
    f("phase", 1, One, Str),
    f("conditions", 2, Repeated, Msg(&CORE_NAMESPACE_CONDITION))] };
pub static CORE_NAMESPACE_CONDITION: Message = Message { name: "NamespaceCondition", fields: &[
    f("type", 1, One, Str),
    f("status", 2, One, Str),
    f("lastTransitionTime", 4, One, Time),
    f("reason", 5, One, Str),
    f("message", 6, One, Str)] };
pub static CORE_SERVICE: Message = Message { name: "Service", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("spec", 2, One, Msg(&CORE_SERVICE_SPEC)),
    f("status", 3, One, Msg(&CORE_SERVICE_STATUS))] };
pub static CORE_SERVICE_SPEC: Message = Message { name: "ServiceSpec", fields: &[
    f("ports", 1, Repeated, Msg(&CORE_SERVICE_PORT)),
    f("selector", 2, Map, Str),
    f("clusterIP", 3, One, Str),
    f("clusterIPs", 18, Repeated, Str),
    f("type", 4, One, Str),
    f("externalIPs", 5, Repeated, Str),
    f("sessionAffinity", 7, One, Str),
    f("loadBalancerIP", 8, One, Str),
    f("loadBalancerSourceRanges", 9, Repeated, Str),
    f("externalName", 10, One, Str),
    f("externalTrafficPolicy", 11, One, Str),
    f("healthCheckNodePort", 12, One, Int),
    f("publishNotReadyAddresses", 13, One, Bool),
    f("sessionAffinityConfig", 14, One, Msg(&CORE_SESSION_AFFINITY_CONFIG)),
    f("ipFamilies", 19, Repeated, Str),
    f("ipFamilyPolicy", 17, One, Str),
    f("allocateLoadBalancerNodePorts", 20, One, Bool),
    f("loadBalancerClass", 21, One, Str),
    f("internalTrafficPolicy", 22, One, Str),
    f("trafficDistribution", 23, One, Str)] };
pub static CORE_SERVICE_PORT: Message = Message { name: "ServicePort", fields: &[
    f("name", 1, One, Str),
    f("protocol", 2, One, Str),
    f("appProtocol", 6, One, Str),
    f("port", 3, One, Int),
    f("targetPort", 4, One, IntOrString),
    f("nodePort", 5, One, Int)] };
pub static CORE_SESSION_AFFINITY_CONFIG: Message = Message { name: "SessionAffinityConfig", fields: &[
    f("clientIP", 1, One, Msg(&CORE_CLIENT_IPCONFIG))] };
pub static CORE_CLIENT_IPCONFIG: Message = Message { name: "ClientIPConfig", fields: &[
    f("timeoutSeconds", 1, One, Int)] };
pub static CORE_SERVICE_STATUS: Message = Message { name: "ServiceStatus", fields: &[
    f("loadBalancer", 1, One, Msg(&CORE_LOAD_BALANCER_STATUS)),
    f("conditions", 2, Repeated, Msg(&CONDITION))] };
pub static CORE_LOAD_BALANCER_STATUS: Message = Message { name: "LoadBalancerStatus", fields: &[
    f("ingress", 1, Repeated, Msg(&CORE_LOAD_BALANCER_INGRESS))] };
pub static CORE_LOAD_BALANCER_INGRESS: Message = Message { name: "LoadBalancerIngress", fields: &[
    f("ip", 1, One, Str),
    f("hostname", 2, One, Str),
    f("ipMode", 3, One, Str),
    f("ports", 4, Repeated, Msg(&CORE_PORT_STATUS))] };
pub static CORE_PORT_STATUS: Message = Message { name: "PortStatus", fields: &[
    f("port", 1, One, Int),
    f("protocol", 2, One, Str),
    f("error", 3, One, Str)] };
pub static CORE_ENDPOINTS: Message = Message { name: "Endpoints", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("subsets", 2, Repeated, Msg(&CORE_ENDPOINT_SUBSET))] };
pub static CORE_ENDPOINT_SUBSET: Message = Message { name: "EndpointSubset", fields: &[
    f("addresses", 1, Repeated, Msg(&CORE_ENDPOINT_ADDRESS)),
    f("notReadyAddresses", 2, Repeated, Msg(&CORE_ENDPOINT_ADDRESS)),
    f("ports", 3, Repeated, Msg(&CORE_ENDPOINT_PORT))] };
pub static CORE_ENDPOINT_ADDRESS: Message = Message { name: "EndpointAddress", fields: &[
    f("ip", 1, One, Str),
    f("hostname", 3, One, Str),
    f("nodeName", 4, One, Str),
    f("targetRef", 2, One, Msg(&CORE_OBJECT_REFERENCE))] };
pub static CORE_OBJECT_REFERENCE: Message = Message { name: "ObjectReference", fields: &[
    f("kind", 1, One, Str),
    f("namespace", 2, One, Str),
    f("name", 3, One, Str),
    f("uid", 4, One, Str),
    f("apiVersion", 5, One, Str),
    f("resourceVersion", 6, One, Str),
    f("fieldPath", 7, One, Str)] };
pub static CORE_ENDPOINT_PORT: Message = Message { name: "EndpointPort", fields: &[
    f("name", 1, One, Str),
    f("port", 2, One, Int),
    f("protocol", 3, One, Str),
    f("appProtocol", 4, One, Str)] };
pub static CORE_CONFIG_MAP: Message = Message { name: "ConfigMap", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("immutable", 4, One, Bool),
    f("data", 2, Map, Str),
    f("binaryData", 3, Map, Bytes)] };
pub static CORE_SECRET: Message = Message { name: "Secret", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("immutable", 5, One, Bool),
    f("data", 2, Map, Bytes),
    f("stringData", 4, Map, Str),
    f("type", 3, One, Str)] };
pub static CORE_SERVICE_ACCOUNT: Message = Message { name: "ServiceAccount", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("secrets", 2, Repeated, Msg(&CORE_OBJECT_REFERENCE)),
    f("imagePullSecrets", 3, Repeated, Msg(&CORE_LOCAL_OBJECT_REFERENCE)),
    f("automountServiceAccountToken", 4, One, Bool)] };
pub static CORE_EVENT: Message = Message { name: "Event", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("involvedObject", 2, One, Msg(&CORE_OBJECT_REFERENCE)),
    f("reason", 3, One, Str),
    f("message", 4, One, Str),
    f("source", 5, One, Msg(&CORE_EVENT_SOURCE)),
    f("firstTimestamp", 6, One, Time),
    f("lastTimestamp", 7, One, Time),
    f("count", 8, One, Int),
    f("type", 9, One, Str),
    f("eventTime", 10, One, Time),
    f("series", 11, One, Msg(&CORE_EVENT_SERIES)),
    f("action", 12, One, Str),
    f("related", 13, One, Msg(&CORE_OBJECT_REFERENCE)),
    f("reportingComponent", 14, One, Str),
    f("reportingInstance", 15, One, Str)] };
pub static CORE_EVENT_SOURCE: Message = Message { name: "EventSource", fields: &[
    f("component", 1, One, Str),
    f("host", 2, One, Str)] };
pub static CORE_EVENT_SERIES: Message = Message { name: "EventSeries", fields: &[
    f("count", 1, One, Int),
    f("lastObservedTime", 2, One, Time)] };
pub static CORE_RANGE_ALLOCATION: Message = Message { name: "RangeAllocation", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("range", 2, One, Str),
    f("data", 3, One, Bytes)] };
pub static CORE_PERSISTENT_VOLUME: Message = Message { name: "PersistentVolume", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("spec", 2, One, Msg(&CORE_PERSISTENT_VOLUME_SPEC)),
    f("status", 3, One, Msg(&CORE_PERSISTENT_VOLUME_STATUS))] };
pub static CORE_PERSISTENT_VOLUME_SPEC: Message = Message { name: "PersistentVolumeSpec", fields: &[
    f("capacity", 1, Map, Quantity),
    f("persistentVolumeSource", 2, One, Skip),
    f("accessModes", 3, Repeated, Str),
    f("claimRef", 4, One, Msg(&CORE_OBJECT_REFERENCE)),
    f("persistentVolumeReclaimPolicy", 5, One, Str),
    f("storageClassName", 6, One, Str),
    f("mountOptions", 7, Repeated, Str),
    f("volumeMode", 8, One, Str),
    f("nodeAffinity", 9, One, Skip),
    f("volumeAttributesClassName", 10, One, Str)] };
pub static CORE_PERSISTENT_VOLUME_STATUS: Message = Message { name: "PersistentVolumeStatus", fields: &[
    f("phase", 1, One, Str),
    f("message", 2, One, Str),
    f("reason", 3, One, Str),
    f("lastPhaseTransitionTime", 4, One, Time)] };
pub static CORE_PERSISTENT_VOLUME_CLAIM: Message = Message { name: "PersistentVolumeClaim", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("spec", 2, One, Msg(&CORE_PERSISTENT_VOLUME_CLAIM_SPEC)),
    f("status", 3, One, Msg(&CORE_PERSISTENT_VOLUME_CLAIM_STATUS))] };
pub static CORE_PERSISTENT_VOLUME_CLAIM_SPEC: Message = Message { name: "PersistentVolumeClaimSpec", fields: &[
    f("accessModes", 1, Repeated, Str),
    f("selector", 4, One, Msg(&LABEL_SELECTOR)),
    f("resources", 2, One, Msg(&CORE_VOLUME_RESOURCE_REQUIREMENTS)),
    f("volumeName", 3, One, Str),
    f("storageClassName", 5, One, Str),
    f("volumeMode", 6, One, Str),
    f("dataSource", 7, One, Msg(&CORE_TYPED_LOCAL_OBJECT_REFERENCE)),
    f("dataSourceRef", 8, One, Msg(&CORE_TYPED_OBJECT_REFERENCE)),
    f("volumeAttributesClassName", 9, One, Str)] };
pub static CORE_VOLUME_RESOURCE_REQUIREMENTS: Message = Message { name: "VolumeResourceRequirements", fields: &[
    f("limits", 1, Map, Quantity),
    f("requests", 2, Map, Quantity)] };
pub static CORE_TYPED_LOCAL_OBJECT_REFERENCE: Message = Message { name: "TypedLocalObjectReference", fields: &[
    f("apiGroup", 1, One, Str),
    f("kind", 2, One, Str),
    f("name", 3, One, Str)] };
pub static CORE_TYPED_OBJECT_REFERENCE: Message = Message { name: "TypedObjectReference", fields: &[
    f("apiGroup", 1, One, Str),
    f("kind", 2, One, Str),
    f("name", 3, One, Str),
    f("namespace", 4, One, Str)] };
pub static CORE_PERSISTENT_VOLUME_CLAIM_STATUS: Message = Message { name: "PersistentVolumeClaimStatus", fields: &[
    f("phase", 1, One, Str),
    f("accessModes", 2, Repeated, Str),
    f("capacity", 3, Map, Quantity),
    f("conditions", 4, Repeated, Msg(&CORE_PERSISTENT_VOLUME_CLAIM_CONDITION)),
    f("allocatedResources", 5, Map, Quantity),
    f("allocatedResourceStatuses", 7, Map, Str),
    f("currentVolumeAttributesClassName", 8, One, Str),
    f("modifyVolumeStatus", 9, One, Msg(&CORE_MODIFY_VOLUME_STATUS)),
    f("healthStatus", 10, One, Msg(&CORE_VOLUME_HEALTH_STATUS))] };
pub static CORE_PERSISTENT_VOLUME_CLAIM_CONDITION: Message = Message { name: "PersistentVolumeClaimCondition", fields: &[
    f("type", 1, One, Str),
    f("status", 2, One, Str),
    f("lastProbeTime", 3, One, Time),
    f("lastTransitionTime", 4, One, Time),
    f("reason", 5, One, Str),
    f("message", 6, One, Str)] };
pub static CORE_MODIFY_VOLUME_STATUS: Message = Message { name: "ModifyVolumeStatus", fields: &[
    f("targetVolumeAttributesClassName", 1, One, Str),
    f("status", 2, One, Str)] };
pub static CORE_VOLUME_HEALTH_STATUS: Message = Message { name: "VolumeHealthStatus", fields: &[
    f("healthConditions", 1, Repeated, Msg(&CORE_VOLUME_HEALTH_CONDITION)),
    f("lastTransitionTime", 2, One, Time)] };
pub static CORE_VOLUME_HEALTH_CONDITION: Message = Message { name: "VolumeHealthCondition", fields: &[
    f("status", 1, One, Str),
    f("reason", 2, One, Str),
    f("message", 3, One, Str)] };
pub static CORE_REPLICATION_CONTROLLER: Message = Message { name: "ReplicationController", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("spec", 2, One, Msg(&CORE_REPLICATION_CONTROLLER_SPEC)),
    f("status", 3, One, Msg(&CORE_REPLICATION_CONTROLLER_STATUS))] };
pub static CORE_REPLICATION_CONTROLLER_SPEC: Message = Message { name: "ReplicationControllerSpec", fields: &[
    f("replicas", 1, One, Int),
    f("minReadySeconds", 4, One, Int),
    f("selector", 2, Map, Str),
    f("template", 3, One, Msg(&CORE_POD_TEMPLATE_SPEC))] };
pub static CORE_POD_TEMPLATE_SPEC: Message = Message { name: "PodTemplateSpec", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("spec", 2, One, Msg(&CORE_POD_SPEC))] };
pub static CORE_REPLICATION_CONTROLLER_STATUS: Message = Message { name: "ReplicationControllerStatus", fields: &[
    f("replicas", 1, One, Int),
    f("fullyLabeledReplicas", 2, One, Int),
    f("readyReplicas", 4, One, Int),
    f("availableReplicas", 5, One, Int),
    f("observedGeneration", 3, One, Int),
    f("conditions", 6, Repeated, Msg(&CORE_REPLICATION_CONTROLLER_CONDITION))] };
pub static CORE_REPLICATION_CONTROLLER_CONDITION: Message = Message { name: "ReplicationControllerCondition", fields: &[
    f("type", 1, One, Str),
    f("status", 2, One, Str),
    f("lastTransitionTime", 3, One, Time),
    f("reason", 4, One, Str),
    f("message", 5, One, Str)] };
pub static APPS_DEPLOYMENT: Message = Message { name: "Deployment", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("spec", 2, One, Msg(&APPS_DEPLOYMENT_SPEC)),
    f("status", 3, One, Msg(&APPS_DEPLOYMENT_STATUS))] };
pub static APPS_DEPLOYMENT_SPEC: Message = Message { name: "DeploymentSpec", fields: &[
    f("replicas", 1, One, Int),
    f("selector", 2, One, Msg(&LABEL_SELECTOR)),
    f("template", 3, One, Msg(&CORE_POD_TEMPLATE_SPEC)),
    f("strategy", 4, One, Msg(&APPS_DEPLOYMENT_STRATEGY)),
    f("minReadySeconds", 5, One, Int),
    f("revisionHistoryLimit", 6, One, Int),
    f("paused", 7, One, Bool),
    f("progressDeadlineSeconds", 9, One, Int)] };
pub static APPS_DEPLOYMENT_STRATEGY: Message = Message { name: "DeploymentStrategy", fields: &[
    f("type", 1, One, Str),
    f("rollingUpdate", 2, One, Msg(&APPS_ROLLING_UPDATE_DEPLOYMENT))] };
pub static APPS_ROLLING_UPDATE_DEPLOYMENT: Message = Message { name: "RollingUpdateDeployment", fields: &[
    f("maxUnavailable", 1, One, IntOrString),
    f("maxSurge", 2, One, IntOrString)] };
pub static APPS_DEPLOYMENT_STATUS: Message = Message { name: "DeploymentStatus", fields: &[
    f("observedGeneration", 1, One, Int),
    f("replicas", 2, One, Int),
    f("updatedReplicas", 3, One, Int),
    f("readyReplicas", 7, One, Int),
    f("availableReplicas", 4, One, Int),
    f("unavailableReplicas", 5, One, Int),
    f("terminatingReplicas", 9, One, Int),
    f("conditions", 6, Repeated, Msg(&APPS_DEPLOYMENT_CONDITION)),
    f("collisionCount", 8, One, Int)] };
pub static APPS_DEPLOYMENT_CONDITION: Message = Message { name: "DeploymentCondition", fields: &[
    f("type", 1, One, Str),
    f("status", 2, One, Str),
    f("lastUpdateTime", 6, One, Time),
    f("lastTransitionTime", 7, One, Time),
    f("reason", 4, One, Str),
    f("message", 5, One, Str)] };
pub static APPS_REPLICA_SET: Message = Message { name: "ReplicaSet", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("spec", 2, One, Msg(&APPS_REPLICA_SET_SPEC)),
    f("status", 3, One, Msg(&APPS_REPLICA_SET_STATUS))] };
pub static APPS_REPLICA_SET_SPEC: Message = Message { name: "ReplicaSetSpec", fields: &[
    f("replicas", 1, One, Int),
    f("minReadySeconds", 4, One, Int),
    f("selector", 2, One, Msg(&LABEL_SELECTOR)),
    f("template", 3, One, Msg(&CORE_POD_TEMPLATE_SPEC))] };
pub static APPS_REPLICA_SET_STATUS: Message = Message { name: "ReplicaSetStatus", fields: &[
    f("replicas", 1, One, Int),
    f("fullyLabeledReplicas", 2, One, Int),
    f("readyReplicas", 4, One, Int),
    f("availableReplicas", 5, One, Int),
    f("terminatingReplicas", 7, One, Int),
    f("observedGeneration", 3, One, Int),
    f("conditions", 6, Repeated, Msg(&APPS_REPLICA_SET_CONDITION))] };
pub static APPS_REPLICA_SET_CONDITION: Message = Message { name: "ReplicaSetCondition", fields: &[
    f("type", 1, One, Str),
    f("status", 2, One, Str),
    f("lastTransitionTime", 3, One, Time),
    f("reason", 4, One, Str),
    f("message", 5, One, Str)] };
pub static APPS_DAEMON_SET: Message = Message { name: "DaemonSet", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("spec", 2, One, Msg(&APPS_DAEMON_SET_SPEC)),
    f("status", 3, One, Msg(&APPS_DAEMON_SET_STATUS))] };
pub static APPS_DAEMON_SET_SPEC: Message = Message { name: "DaemonSetSpec", fields: &[
    f("selector", 1, One, Msg(&LABEL_SELECTOR)),
    f("template", 2, One, Msg(&CORE_POD_TEMPLATE_SPEC)),
    f("updateStrategy", 3, One, Msg(&APPS_DAEMON_SET_UPDATE_STRATEGY)),
    f("minReadySeconds", 4, One, Int),
    f("revisionHistoryLimit", 6, One, Int)] };
pub static APPS_DAEMON_SET_UPDATE_STRATEGY: Message = Message { name: "DaemonSetUpdateStrategy", fields: &[
    f("type", 1, One, Str),
    f("rollingUpdate", 2, One, Msg(&APPS_ROLLING_UPDATE_DAEMON_SET))] };
pub static APPS_ROLLING_UPDATE_DAEMON_SET: Message = Message { name: "RollingUpdateDaemonSet", fields: &[
    f("maxUnavailable", 1, One, IntOrString),
    f("maxSurge", 2, One, IntOrString)] };
pub static APPS_DAEMON_SET_STATUS: Message = Message { name: "DaemonSetStatus", fields: &[
    f("currentNumberScheduled", 1, One, Int),
    f("numberMisscheduled", 2, One, Int),
    f("desiredNumberScheduled", 3, One, Int),
    f("numberReady", 4, One, Int),
    f("observedGeneration", 5, One, Int),
    f("updatedNumberScheduled", 6, One, Int),
    f("numberAvailable", 7, One, Int),
    f("numberUnavailable", 8, One, Int),
    f("collisionCount", 9, One, Int),
    f("conditions", 10, Repeated, Msg(&APPS_DAEMON_SET_CONDITION))] };
pub static APPS_DAEMON_SET_CONDITION: Message = Message { name: "DaemonSetCondition", fields: &[
    f("type", 1, One, Str),
    f("status", 2, One, Str),
    f("lastTransitionTime", 3, One, Time),
    f("reason", 4, One, Str),
    f("message", 5, One, Str)] };
pub static APPS_STATEFUL_SET: Message = Message { name: "StatefulSet", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("spec", 2, One, Msg(&APPS_STATEFUL_SET_SPEC)),
    f("status", 3, One, Msg(&APPS_STATEFUL_SET_STATUS))] };
pub static APPS_STATEFUL_SET_SPEC: Message = Message { name: "StatefulSetSpec", fields: &[
    f("replicas", 1, One, Int),
    f("selector", 2, One, Msg(&LABEL_SELECTOR)),
    f("template", 3, One, Msg(&CORE_POD_TEMPLATE_SPEC)),
    f("volumeClaimTemplates", 4, Repeated, Msg(&CORE_PERSISTENT_VOLUME_CLAIM)),
    f("serviceName", 5, One, Str),
    f("podManagementPolicy", 6, One, Str),
    f("updateStrategy", 7, One, Msg(&APPS_STATEFUL_SET_UPDATE_STRATEGY)),
    f("revisionHistoryLimit", 8, One, Int),
    f("minReadySeconds", 9, One, Int),
    f("persistentVolumeClaimRetentionPolicy", 10, One, Msg(&APPS_STATEFUL_SET_PERSISTENT_VOLUME_CLAIM_RETENTION_POLICY)),
    f("ordinals", 11, One, Msg(&APPS_STATEFUL_SET_ORDINALS))] };
pub static APPS_STATEFUL_SET_UPDATE_STRATEGY: Message = Message { name: "StatefulSetUpdateStrategy", fields: &[
    f("type", 1, One, Str),
    f("rollingUpdate", 2, One, Msg(&APPS_ROLLING_UPDATE_STATEFUL_SET_STRATEGY))] };
pub static APPS_ROLLING_UPDATE_STATEFUL_SET_STRATEGY: Message = Message { name: "RollingUpdateStatefulSetStrategy", fields: &[
    f("partition", 1, One, Int),
    f("maxUnavailable", 2, One, IntOrString)] };
pub static APPS_STATEFUL_SET_PERSISTENT_VOLUME_CLAIM_RETENTION_POLICY: Message = Message { name: "StatefulSetPersistentVolumeClaimRetentionPolicy", fields: &[
    f("whenDeleted", 1, One, Str),
    f("whenScaled", 2, One, Str)] };
pub static APPS_STATEFUL_SET_ORDINALS: Message = Message { name: "StatefulSetOrdinals", fields: &[
    f("start", 1, One, Int)] };
pub static APPS_STATEFUL_SET_STATUS: Message = Message { name: "StatefulSetStatus", fields: &[
    f("observedGeneration", 1, One, Int),
    f("replicas", 2, One, Int),
    f("readyReplicas", 3, One, Int),
    f("currentReplicas", 4, One, Int),
    f("updatedReplicas", 5, One, Int),
    f("currentRevision", 6, One, Str),
    f("updateRevision", 7, One, Str),
    f("collisionCount", 9, One, Int),
    f("conditions", 10, Repeated, Msg(&APPS_STATEFUL_SET_CONDITION)),
    f("availableReplicas", 11, One, Int)] };
pub static APPS_STATEFUL_SET_CONDITION: Message = Message { name: "StatefulSetCondition", fields: &[
    f("type", 1, One, Str),
    f("status", 2, One, Str),
    f("lastTransitionTime", 3, One, Time),
    f("reason", 4, One, Str),
    f("message", 5, One, Str)] };
pub static APPS_CONTROLLER_REVISION: Message = Message { name: "ControllerRevision", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("data", 2, One, RawExtension),
    f("revision", 3, One, Int)] };
pub static RBAC_ROLE: Message = Message { name: "Role", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("rules", 2, Repeated, Msg(&RBAC_POLICY_RULE))] };
pub static RBAC_POLICY_RULE: Message = Message { name: "PolicyRule", fields: &[
    f("verbs", 1, Repeated, Str),
    f("apiGroups", 2, Repeated, Str),
    f("resources", 3, Repeated, Str),
    f("resourceNames", 4, Repeated, Str),
    f("nonResourceURLs", 5, Repeated, Str)] };
pub static RBAC_ROLE_BINDING: Message = Message { name: "RoleBinding", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("subjects", 2, Repeated, Msg(&RBAC_SUBJECT)),
    f("roleRef", 3, One, Msg(&RBAC_ROLE_REF))] };
pub static RBAC_SUBJECT: Message = Message { name: "Subject", fields: &[
    f("kind", 1, One, Str),
    f("apiGroup", 2, One, Str),
    f("name", 3, One, Str),
    f("namespace", 4, One, Str)] };
pub static RBAC_ROLE_REF: Message = Message { name: "RoleRef", fields: &[
    f("apiGroup", 1, One, Str),
    f("kind", 2, One, Str),
    f("name", 3, One, Str)] };
pub static RBAC_CLUSTER_ROLE: Message = Message { name: "ClusterRole", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("rules", 2, Repeated, Msg(&RBAC_POLICY_RULE)),
    f("aggregationRule", 3, One, Msg(&RBAC_AGGREGATION_RULE))] };
pub static RBAC_AGGREGATION_RULE: Message = Message { name: "AggregationRule", fields: &[
    f("clusterRoleSelectors", 1, Repeated, Msg(&LABEL_SELECTOR))] };
pub static RBAC_CLUSTER_ROLE_BINDING: Message = Message { name: "ClusterRoleBinding", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("subjects", 2, Repeated, Msg(&RBAC_SUBJECT)),
    f("roleRef", 3, One, Msg(&RBAC_ROLE_REF))] };
pub static COORDINATION_LEASE: Message = Message { name: "Lease", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("spec", 2, One, Msg(&COORDINATION_LEASE_SPEC))] };
pub static COORDINATION_LEASE_SPEC: Message = Message { name: "LeaseSpec", fields: &[
    f("holderIdentity", 1, One, Str),
    f("leaseDurationSeconds", 2, One, Int),
    f("acquireTime", 3, One, Time),
    f("renewTime", 4, One, Time),
    f("leaseTransitions", 5, One, Int),
    f("strategy", 6, One, Str),
    f("preferredHolder", 7, One, Str)] };
pub static SCHEDULING_PRIORITY_CLASS: Message = Message { name: "PriorityClass", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("value", 2, One, Int),
    f("globalDefault", 3, One, Bool),
    f("description", 4, One, Str),
    f("preemptionPolicy", 5, One, Str)] };
pub static STORAGE_STORAGE_CLASS: Message = Message { name: "StorageClass", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("provisioner", 2, One, Str),
    f("parameters", 3, Map, Str),
    f("reclaimPolicy", 4, One, Str),
    f("mountOptions", 5, Repeated, Str),
    f("allowVolumeExpansion", 6, One, Bool),
    f("volumeBindingMode", 7, One, Str),
    f("allowedTopologies", 8, Repeated, Msg(&CORE_TOPOLOGY_SELECTOR_TERM))] };
pub static CORE_TOPOLOGY_SELECTOR_TERM: Message = Message { name: "TopologySelectorTerm", fields: &[
    f("matchLabelExpressions", 1, Repeated, Msg(&CORE_TOPOLOGY_SELECTOR_LABEL_REQUIREMENT))] };
pub static CORE_TOPOLOGY_SELECTOR_LABEL_REQUIREMENT: Message = Message { name: "TopologySelectorLabelRequirement", fields: &[
    f("key", 1, One, Str),
    f("values", 2, Repeated, Str)] };
pub static STORAGE_CSINODE: Message = Message { name: "CSINode", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("spec", 2, One, Msg(&STORAGE_CSINODE_SPEC)),
    f("status", 3, One, Msg(&STORAGE_CSINODE_STATUS))] };
pub static STORAGE_CSINODE_SPEC: Message = Message { name: "CSINodeSpec", fields: &[
    f("drivers", 1, Repeated, Msg(&STORAGE_CSINODE_DRIVER))] };
pub static STORAGE_CSINODE_DRIVER: Message = Message { name: "CSINodeDriver", fields: &[
    f("name", 1, One, Str),
    f("nodeID", 2, One, Str),
    f("topologyKeys", 3, Repeated, Str),
    f("allocatable", 4, One, Msg(&STORAGE_VOLUME_NODE_RESOURCES))] };
pub static STORAGE_VOLUME_NODE_RESOURCES: Message = Message { name: "VolumeNodeResources", fields: &[
    f("count", 1, One, Int)] };
pub static STORAGE_CSINODE_STATUS: Message = Message { name: "CSINodeStatus", fields: &[
    f("storageHealth", 1, Repeated, Msg(&STORAGE_STORAGE_HEALTH))] };
pub static STORAGE_STORAGE_HEALTH: Message = Message { name: "StorageHealth", fields: &[
    f("name", 1, One, Str),
    f("healthConditions", 2, Repeated, Msg(&STORAGE_STORAGE_HEALTH_CONDITION))] };
pub static STORAGE_STORAGE_HEALTH_CONDITION: Message = Message { name: "StorageHealthCondition", fields: &[
    f("status", 1, One, Str),
    f("reason", 2, One, Str),
    f("message", 3, One, Str),
    f("accessMode", 4, One, Str),
    f("volumeMode", 5, One, Str),
    f("lastTransitionTime", 6, One, Time)] };
pub static DISCOVERY_ENDPOINT_SLICE: Message = Message { name: "EndpointSlice", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("addressType", 4, One, Str),
    f("endpoints", 2, Repeated, Msg(&DISCOVERY_ENDPOINT)),
    f("ports", 3, Repeated, Msg(&DISCOVERY_ENDPOINT_PORT))] };
pub static DISCOVERY_ENDPOINT: Message = Message { name: "Endpoint", fields: &[
    f("addresses", 1, Repeated, Str),
    f("conditions", 2, One, Msg(&DISCOVERY_ENDPOINT_CONDITIONS)),
    f("hostname", 3, One, Str),
    f("targetRef", 4, One, Msg(&CORE_OBJECT_REFERENCE)),
    f("deprecatedTopology", 5, Map, Str),
    f("nodeName", 6, One, Str),
    f("zone", 7, One, Str),
    f("hints", 8, One, Msg(&DISCOVERY_ENDPOINT_HINTS))] };
pub static DISCOVERY_ENDPOINT_CONDITIONS: Message = Message { name: "EndpointConditions", fields: &[
    f("ready", 1, One, Bool),
    f("serving", 2, One, Bool),
    f("terminating", 3, One, Bool)] };
pub static DISCOVERY_ENDPOINT_HINTS: Message = Message { name: "EndpointHints", fields: &[
    f("forZones", 1, Repeated, Msg(&DISCOVERY_FOR_ZONE)),
    f("forNodes", 2, Repeated, Msg(&DISCOVERY_FOR_NODE))] };
pub static DISCOVERY_FOR_ZONE: Message = Message { name: "ForZone", fields: &[
    f("name", 1, One, Str)] };
pub static DISCOVERY_FOR_NODE: Message = Message { name: "ForNode", fields: &[
    f("name", 1, One, Str)] };
pub static DISCOVERY_ENDPOINT_PORT: Message = Message { name: "EndpointPort", fields: &[
    f("name", 1, One, Str),
    f("protocol", 2, One, Str),
    f("port", 3, One, Int),
    f("appProtocol", 4, One, Str)] };
pub static FLOWCONTROL_FLOW_SCHEMA: Message = Message { name: "FlowSchema", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("spec", 2, One, Msg(&FLOWCONTROL_FLOW_SCHEMA_SPEC)),
    f("status", 3, One, Msg(&FLOWCONTROL_FLOW_SCHEMA_STATUS))] };
pub static FLOWCONTROL_FLOW_SCHEMA_SPEC: Message = Message { name: "FlowSchemaSpec", fields: &[
    f("priorityLevelConfiguration", 1, One, Msg(&FLOWCONTROL_PRIORITY_LEVEL_CONFIGURATION_REFERENCE)),
    f("matchingPrecedence", 2, One, Int),
    f("distinguisherMethod", 3, One, Msg(&FLOWCONTROL_FLOW_DISTINGUISHER_METHOD)),
    f("rules", 4, Repeated, Msg(&FLOWCONTROL_POLICY_RULES_WITH_SUBJECTS))] };
pub static FLOWCONTROL_PRIORITY_LEVEL_CONFIGURATION_REFERENCE: Message = Message { name: "PriorityLevelConfigurationReference", fields: &[
    f("name", 1, One, Str)] };
pub static FLOWCONTROL_FLOW_DISTINGUISHER_METHOD: Message = Message { name: "FlowDistinguisherMethod", fields: &[
    f("type", 1, One, Str)] };
pub static FLOWCONTROL_POLICY_RULES_WITH_SUBJECTS: Message = Message { name: "PolicyRulesWithSubjects", fields: &[
    f("subjects", 1, Repeated, Msg(&FLOWCONTROL_SUBJECT)),
    f("resourceRules", 2, Repeated, Msg(&FLOWCONTROL_RESOURCE_POLICY_RULE)),
    f("nonResourceRules", 3, Repeated, Msg(&FLOWCONTROL_NON_RESOURCE_POLICY_RULE))] };
pub static FLOWCONTROL_SUBJECT: Message = Message { name: "Subject", fields: &[
    f("kind", 1, One, Str),
    f("user", 2, One, Msg(&FLOWCONTROL_USER_SUBJECT)),
    f("group", 3, One, Msg(&FLOWCONTROL_GROUP_SUBJECT)),
    f("serviceAccount", 4, One, Msg(&FLOWCONTROL_SERVICE_ACCOUNT_SUBJECT))] };
pub static FLOWCONTROL_USER_SUBJECT: Message = Message { name: "UserSubject", fields: &[
    f("name", 1, One, Str)] };
pub static FLOWCONTROL_GROUP_SUBJECT: Message = Message { name: "GroupSubject", fields: &[
    f("name", 1, One, Str)] };
pub static FLOWCONTROL_SERVICE_ACCOUNT_SUBJECT: Message = Message { name: "ServiceAccountSubject", fields: &[
    f("namespace", 1, One, Str),
    f("name", 2, One, Str)] };
pub static FLOWCONTROL_RESOURCE_POLICY_RULE: Message = Message { name: "ResourcePolicyRule", fields: &[
    f("verbs", 1, Repeated, Str),
    f("apiGroups", 2, Repeated, Str),
    f("resources", 3, Repeated, Str),
    f("clusterScope", 4, One, Bool),
    f("namespaces", 5, Repeated, Str)] };
pub static FLOWCONTROL_NON_RESOURCE_POLICY_RULE: Message = Message { name: "NonResourcePolicyRule", fields: &[
    f("verbs", 1, Repeated, Str),
    f("nonResourceURLs", 6, Repeated, Str)] };
pub static FLOWCONTROL_FLOW_SCHEMA_STATUS: Message = Message { name: "FlowSchemaStatus", fields: &[
    f("conditions", 1, Repeated, Msg(&FLOWCONTROL_FLOW_SCHEMA_CONDITION))] };
pub static FLOWCONTROL_FLOW_SCHEMA_CONDITION: Message = Message { name: "FlowSchemaCondition", fields: &[
    f("type", 1, One, Str),
    f("status", 2, One, Str),
    f("lastTransitionTime", 3, One, Time),
    f("reason", 4, One, Str),
    f("message", 5, One, Str)] };
pub static FLOWCONTROL_PRIORITY_LEVEL_CONFIGURATION: Message = Message { name: "PriorityLevelConfiguration", fields: &[
    f("metadata", 1, One, Msg(&OBJECT_META)),
    f("spec", 2, One, Msg(&FLOWCONTROL_PRIORITY_LEVEL_CONFIGURATION_SPEC)),
    f("status", 3, One, Msg(&FLOWCONTROL_PRIORITY_LEVEL_CONFIGURATION_STATUS))] };
pub static FLOWCONTROL_PRIORITY_LEVEL_CONFIGURATION_SPEC: Message = Message { name: "PriorityLevelConfigurationSpec", fields: &[
    f("type", 1, One, Str),
    f("limited", 2, One, Msg(&FLOWCONTROL_LIMITED_PRIORITY_LEVEL_CONFIGURATION)),
    f("exempt", 3, One, Msg(&FLOWCONTROL_EXEMPT_PRIORITY_LEVEL_CONFIGURATION))] };
pub static FLOWCONTROL_LIMITED_PRIORITY_LEVEL_CONFIGURATION: Message = Message { name: "LimitedPriorityLevelConfiguration", fields: &[
    f("nominalConcurrencyShares", 1, One, Int),
    f("limitResponse", 2, One, Msg(&FLOWCONTROL_LIMIT_RESPONSE)),
    f("lendablePercent", 3, One, Int),
    f("borrowingLimitPercent", 4, One, Int)] };
pub static FLOWCONTROL_LIMIT_RESPONSE: Message = Message { name: "LimitResponse", fields: &[
    f("type", 1, One, Str),
    f("queuing", 2, One, Msg(&FLOWCONTROL_QUEUING_CONFIGURATION))] };
pub static FLOWCONTROL_QUEUING_CONFIGURATION: Message = Message { name: "QueuingConfiguration", fields: &[
    f("queues", 1, One, Int),
    f("handSize", 2, One, Int),
    f("queueLengthLimit", 3, One, Int)] };
pub static FLOWCONTROL_EXEMPT_PRIORITY_LEVEL_CONFIGURATION: Message = Message { name: "ExemptPriorityLevelConfiguration", fields: &[
    f("nominalConcurrencyShares", 1, One, Int),
    f("lendablePercent", 2, One, Int)] };
pub static FLOWCONTROL_PRIORITY_LEVEL_CONFIGURATION_STATUS: Message = Message { name: "PriorityLevelConfigurationStatus", fields: &[
    f("conditions", 1, Repeated, Msg(&FLOWCONTROL_PRIORITY_LEVEL_CONFIGURATION_CONDITION))] };
pub static FLOWCONTROL_PRIORITY_LEVEL_CONFIGURATION_CONDITION: Message = Message { name: "PriorityLevelConfigurationCondition", fields: &[
    f("type", 1, One, Str),
    f("status", 2, One, Str),
    f("lastTransitionTime", 3, One, Time),
    f("reason", 4, One, Str),
    f("message", 5, One, Str)] };
