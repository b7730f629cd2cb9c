//! `kubectl` on the console of the local lab: `kubectl exec` into the etcd pod runs etcdctl
//! there (see `wrappers`), anything else is kubectl over the `/registry` keys. The page's
//! first-visit module (feature `lite`) has no kubectl: the playground marks the line for the
//! full module instead.
//!
//! Owns: the console's side of kubectl (hints, the requests shown). Must not touch: kubectl's
//! commands (`kubectl`).

use super::wrappers;
use super::{Output, Playground};
use crate::kubectl;

impl Playground {
    /// `kubectl ...`: `exec` into the etcd pod, or a command over `/registry`.
    pub(super) fn run_kubectl(
        &mut self,
        args: &[String],
        stdin: Option<&str>,
    ) -> (Output, Vec<String>) {
        if wrappers::is_kubectl_exec(args) {
            let exec = match wrappers::parse_kubectl_exec(args) {
                Ok(e) => e,
                Err(out) => return (out, Vec::new()),
            };
            if !wrappers::is_etcd_pod(&exec.pod) {
                // the pod may exist (then it just has no etcdctl), or kubectl says why not
                let get: Vec<String> = ["get", "pod", exec.pod.as_str(), "-n"]
                    .iter()
                    .map(|s| s.to_string())
                    .chain([exec.namespace.clone()])
                    .collect();
                let (_, stderr, code, _) = kubectl::run(&mut self.world, &get);
                let mut hints = Vec::new();
                let out = if code != 0 {
                    if stderr.contains(kubectl::CONNECTION_REFUSED) {
                        hints.push(kubectl::NO_CLUSTER_HINT.to_string());
                    }
                    Output {
                        stderr,
                        exit: code,
                        ..Default::default()
                    }
                } else {
                    Output {
                        stderr: format!("error: this playground runs commands only in the etcd pod (a pod named etcd-...), not in {}\n", exec.pod),
                        exit: 1,
                        ..Default::default()
                    }
                };
                return (out, hints);
            }
            let plan = wrappers::kubectl_exec_plan(&exec);
            return self.run_plan(plan, stdin);
        }
        let (stdout, stderr, exit, requests) = kubectl::run(&mut self.world, args);
        let mut hints = Vec::new();
        if stderr.contains(kubectl::CONNECTION_REFUSED) {
            hints.push(kubectl::NO_CLUSTER_HINT.to_string());
        }
        if self.show_requests {
            self.last_requests = requests
                .iter()
                .map(|r| format!("etcd: {}", r.line()))
                .collect();
        }
        (
            Output {
                stdout,
                stderr,
                exit,
                edit: None,
                order: Vec::new(),
            },
            hints,
        )
    }
}
