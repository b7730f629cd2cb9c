//! The console connected to a real etcd cluster (`etcdplay --endpoints URL`; later the
//! page's `connect`): etcdctl lines go to a [`Cluster`] that is not the simulated world —
//! the same etcdctl, printers, jobs and shell (pipes, here-documents, `export`) — while the
//! world stays as it was, untouched, for when the console disconnects.
//!
//! While connected, etcdctl's endpoints default to the connected ones (its built-in default
//! `127.0.0.1:2379` is not the real cluster; `--endpoints` or `ETCDCTL_ENDPOINTS` still win:
//! an exported variable stays the user's own, so real etcdctl's refusal of a flag shadowing
//! it keeps its meaning), and the
//! playground's commands that act on the simulation (`stop`, `partition`, `advance`, `load`,
//! kubectl over its `/registry`, …) say that they do not apply to a real cluster.
//!
//! Owns: the connection. Must not touch: how the real cluster is reached (the caller builds
//! the [`Cluster`]: an HTTP client natively, fetch in the page).

use std::collections::BTreeMap;

use super::{wrappers, Playground};
use crate::api::{Request, Response};
use crate::cluster::Cluster;
use crate::process::Output;
use crate::sim::World;

/// A real cluster the console talks to, and its endpoints as given.
pub struct Remote {
    cluster: Box<dyn Cluster>,
    endpoints: Vec<String>,
}

/// The cluster the console's commands talk to: the connected one, else the simulated world.
pub(super) fn cluster<'a>(
    remote: &'a mut Option<Remote>,
    world: &'a mut World,
) -> &'a mut dyn Cluster {
    match remote {
        Some(r) => r.cluster.as_mut(),
        None => world,
    }
}

/// Programs that make sense on a real cluster: etcdctl, and the console's job control.
const ALLOWED: &[&str] = &["etcdctl", "jobs", "kill", "hints", "help"];

/// What a program line prints instead of running while connected, if it may not run: a
/// playground command that acts on the simulation, or etcdctl's v2 API (etcd's gateway
/// serves v3 only).
pub(super) fn refusal(
    remote: &Option<Remote>,
    prog: &str,
    env: &BTreeMap<String, String>,
) -> Option<Output> {
    let r = remote.as_ref()?;
    let program = wrappers::program(prog);
    let why = if !ALLOWED.contains(&program) {
        format!(
            "{prog}: not available while connected to the real cluster at {} (only etcdctl lines go to it)",
            r.endpoints.join(",")
        )
    } else if program == "etcdctl" && env.get("ETCDCTL_API").map(String::as_str) == Some("2") {
        "etcdctl: the v2 API (ETCDCTL_API=2) is not served through etcd's v3 JSON gateway: unset ETCDCTL_API to use v3".to_string()
    } else {
        return None;
    };
    Some(Output {
        stderr: why + "\n",
        exit: 1,
        ..Default::default()
    })
}

impl Playground {
    /// Sends the console's etcdctl lines to `cluster`, a real cluster answering at
    /// `endpoints`; the simulated world is kept as it is. A running job is stopped first.
    /// Only the local lab connects (a node lab's etcd is part of its node).
    pub fn connect(
        &mut self,
        cluster: Box<dyn Cluster>,
        endpoints: Vec<String>,
    ) -> Result<(), String> {
        if self.node.is_some() {
            return Err(format!(
                "the {} lab's etcd belongs to its node: connect from the local lab",
                self.lab.name()
            ));
        }
        if endpoints.is_empty() {
            return Err("connect: no endpoint given".to_string());
        }
        let _ = self.interrupt();
        self.console.default_endpoints = Some(endpoints.clone());
        self.remote = Some(Remote { cluster, endpoints });
        Ok(())
    }

    /// Back to the simulated cluster, as it was; false if the console was not connected.
    pub fn disconnect(&mut self) -> bool {
        let _ = self.interrupt();
        self.console.default_endpoints = None;
        self.remote.take().is_some()
    }

    /// The endpoints of the real cluster the console is connected to.
    pub fn connected(&self) -> Option<&[String]> {
        self.remote.as_ref().map(|r| r.endpoints.as_slice())
    }

    /// The cluster ID and the members (name, ID) of the cluster the console talks to: the
    /// world's, or what the real cluster's member list says (empty if it does not answer).
    pub fn cluster_ids(&mut self) -> (u64, Vec<(String, u64)>) {
        let Some(r) = self.remote.as_mut() else {
            let w = &self.world;
            let ids = w.member_ids();
            let members = ids
                .iter()
                .map(|id| (w.member_name(*id).unwrap_or("").to_string(), *id))
                .collect();
            return (w.cluster_id(), members);
        };
        let timeout = std::time::Duration::from_secs(5);
        for ep in &r.endpoints {
            if let Ok(Response::MemberList(m)) =
                r.cluster.call(ep, None, Request::MemberList, timeout)
            {
                let members = m.members.into_iter().map(|m| (m.name, m.id)).collect();
                return (m.header.cluster_id, members);
            }
        }
        (0, Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Another simulated world stands for the real cluster.
    fn connected() -> Playground {
        let mut p = Playground::new(1);
        let real = Box::new(World::new(2));
        p.connect(real, vec!["127.0.0.1:22379".to_string()])
            .unwrap();
        p
    }

    #[test]
    fn etcdctl_lines_go_to_the_connected_cluster_and_the_world_stays_as_it_was() {
        let mut p = connected();
        assert_eq!(p.run("etcdctl put a 1", None).stdout, "OK\n");
        // without --endpoints etcdctl dials the connected endpoints, not 127.0.0.1:2379
        let o = p.run("etcdctl endpoint status", None);
        assert!(o.stdout.starts_with("127.0.0.1:22379, "), "{o:?}");
        // an explicit endpoint still wins
        let o = p.run("etcdctl --endpoints=127.0.0.1:2379 get a", None);
        assert_eq!(o.stdout, "a\n1\n");
        let o = p.run("stop infra1", None);
        assert_eq!(o.exit, 1);
        assert!(o.stderr.contains("not available while connected"), "{o:?}");
        let o = p.run("ETCDCTL_API=2 etcdctl get /a", None);
        assert!(
            o.stderr.contains("v2 API (ETCDCTL_API=2) is not served"),
            "{o:?}"
        );
        let (cluster, members) = p.cluster_ids();
        assert_eq!(cluster, World::new(2).cluster_id());
        assert_eq!(members.len(), 3);
        assert!(p.disconnect());
        assert_eq!(p.connected(), None);
        // the simulated cluster never saw the put
        let o = p.run("etcdctl get a -w json", None);
        assert!(
            o.stdout.contains("\"revision\":1,") && !o.stdout.contains("kvs"),
            "{o:?}"
        );
    }

    #[test]
    fn a_watch_on_the_connected_cluster_runs_as_a_job() {
        let mut p = connected();
        let o = p.run("etcdctl watch k", None);
        assert!(p.is_running(), "{o:?}");
        let _ = p.poll(std::time::Duration::from_millis(200));
        let end = p.interrupt();
        assert_eq!(end.exit, 0);
        assert!(!p.is_running());
    }
}
