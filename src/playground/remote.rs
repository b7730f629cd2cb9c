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

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::OnceLock;

use super::{wrappers, Playground};
use crate::api::{Request, Response};
use crate::cluster::{Cluster, Connecting, Probe};
use crate::etcdctl::{Io, Job};
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

/// Makes a client of the real cluster at the endpoints given, once one of them answers; else
/// says why none does, and what to do.
pub type Connector = fn(&[String]) -> Result<Connecting, String>;

/// A connection whose probe is still out: the endpoints, what the console was connected to
/// before, and where the `connect` job leaves the client once the probe answered.
pub struct Arriving {
    endpoints: Vec<String>,
    was: Option<String>,
    slot: Rc<RefCell<Option<Box<dyn Cluster>>>>,
}

/// `connect URL` while its probe is out (the page): a job, so the console shows it running
/// and Ctrl+C gives up. (Never built by the first-visit module, which hands `connect` over.)
#[cfg_attr(feature = "lite", allow(dead_code))]
struct ConnectJob {
    probe: Box<dyn Probe>,
    slot: Rc<RefCell<Option<Box<dyn Cluster>>>>,
}

impl Job for ConnectJob {
    fn poll(&mut self, _cluster: &mut dyn Cluster, io: &mut Io) -> Option<i32> {
        match self.probe.poll()? {
            Ok(cluster) => {
                *self.slot.borrow_mut() = Some(cluster);
                Some(0)
            }
            Err(e) => {
                io.errln(&e);
                Some(1)
            }
        }
    }

    fn interrupt(&mut self, _cluster: &mut dyn Cluster, _io: &mut Io) -> i32 {
        130
    }
}

static CONNECTOR: OnceLock<Connector> = OnceLock::new();

/// What `connect` prints when it fails: `stderr`, exit status 1.
fn failed(stderr: String) -> Output {
    Output {
        stderr: stderr + "\n",
        exit: 1,
        ..Default::default()
    }
}

/// How this console reaches real clusters (`connect URL`): set once by whoever runs it (the
/// native `etcdplay` with its HTTP client, the page with the browser's).
pub fn set_connector(connector: Connector) {
    let _ = CONNECTOR.set(connector);
}

/// Programs that make sense on a real cluster: etcdctl, and the console's job control.
const ALLOWED: &[&str] = &[
    "etcdctl",
    "jobs",
    "kill",
    "hints",
    "help",
    "connect",
    "disconnect",
];

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
        self.end_jobs();
        self.console.default_endpoints = Some(endpoints.clone());
        self.remote = Some(Remote { cluster, endpoints });
        Ok(())
    }

    /// Back to the simulated cluster, as it was; false if the console was not connected.
    pub fn disconnect(&mut self) -> bool {
        self.end_jobs();
        self.console.default_endpoints = None;
        self.remote.take().is_some()
    }

    /// Ends the current job and the background ones, on the cluster they run against (a job's
    /// watches and leases are that cluster's): what bash prints for the background ones.
    fn end_jobs(&mut self) -> String {
        let _ = self.interrupt();
        let cluster = cluster(&mut self.remote, &mut self.world);
        let mut text = String::new();
        for line in self.background.kill_all(cluster) {
            text.push_str(&line);
            text.push('\n');
        }
        text
    }

    /// `connect URL[,URL…]`: the console's etcdctl lines (and the page's views) go to the real
    /// cluster there, through the connector this console was given.
    pub(super) fn connect_command(&mut self, args: &[String]) -> Output {
        let endpoints: Vec<String> = args
            .iter()
            .flat_map(|a| a.split(','))
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(str::to_string)
            .collect();
        if endpoints.is_empty() {
            return failed(
                "usage: connect URL[,URL...]: the client URL of a real etcd (e.g. http://127.0.0.1:2379), started with --cors for a page".to_string(),
            );
        }
        if self.node.is_some() {
            return failed(format!(
                "connect: the {} lab's etcd belongs to its node: connect from the local lab",
                self.lab.name()
            ));
        }
        // (the page's first-visit module leaves the gateway client out: the full one connects)
        #[cfg(feature = "lite")]
        {
            self.needs_full("connect").0
        }
        #[cfg(not(feature = "lite"))]
        self.dial(endpoints)
    }

    /// `connect`'s dialling, once its endpoints are known.
    #[cfg(not(feature = "lite"))]
    fn dial(&mut self, endpoints: Vec<String>) -> Output {
        let Some(connector) = CONNECTOR.get() else {
            return failed("connect: this console cannot reach real clusters".to_string());
        };
        let was = self.connected().map(|e| e.join(","));
        match connector(&endpoints) {
            Ok(Connecting::Ready(cluster)) => self.connected_to(cluster, endpoints, was),
            Ok(Connecting::Probing(probe)) => {
                let _ = self.interrupt();
                let slot = Rc::new(RefCell::new(None));
                self.job = Some(super::RunningJob {
                    job: Box::new(ConnectJob {
                        probe,
                        slot: slot.clone(),
                    }),
                });
                self.arriving = Some(Arriving {
                    endpoints,
                    was,
                    slot,
                });
                Output::default()
            }
            Err(e) => failed(e),
        }
    }

    /// Whether a `connect` waits for its probe.
    pub fn connecting(&self) -> bool {
        self.arriving.is_some()
    }

    /// Once a `connect` job ended: the console is connected if its probe answered (what it
    /// prints goes to `out`); else the attempt is forgotten.
    pub(super) fn settle_connection(&mut self, out: &mut Output) {
        if self.job.is_some() {
            return;
        }
        let Some(a) = self.arriving.take() else {
            return;
        };
        let Some(cluster) = a.slot.borrow_mut().take() else {
            return;
        };
        let done = self.connected_to(cluster, a.endpoints, a.was);
        out.stdout.push_str(&done.stdout);
        out.stderr.push_str(&done.stderr);
        if done.exit != 0 {
            out.exit = done.exit;
        }
    }

    /// Connects to `cluster`, which answered at `endpoints`: what `connect` prints.
    fn connected_to(
        &mut self,
        cluster: Box<dyn Cluster>,
        endpoints: Vec<String>,
        was: Option<String>,
    ) -> Output {
        let ended = self.end_jobs();
        if let Err(e) = self.connect(cluster, endpoints.clone()) {
            return failed(format!("connect: {e}"));
        }
        let (cluster_id, members) = self.cluster_ids();
        let names: Vec<String> = members
            .iter()
            .map(|(name, id)| {
                let name = if name.is_empty() { "(unstarted)" } else { name };
                format!("{name} ({id:x})")
            })
            .collect();
        let mut stdout = ended;
        if let Some(was) = was {
            stdout.push_str(&format!("disconnected from {was}\n"));
        }
        stdout.push_str(&format!(
            "connected to the real etcd cluster at {}: cluster {cluster_id:x}, {} member{}: {}\n\
             etcdctl lines now go to it; the simulated cluster is paused as it is (`disconnect` returns to it)\n",
            endpoints.join(","),
            members.len(),
            if members.len() == 1 { "" } else { "s" },
            names.join(", "),
        ));
        Output {
            stdout,
            ..Default::default()
        }
    }

    /// `disconnect`: back to the simulated cluster.
    pub(super) fn disconnect_command(&mut self) -> Output {
        let Some(was) = self.connected().map(|e| e.join(",")) else {
            return Output {
                stderr: "disconnect: not connected to a real cluster (`connect URL` connects)\n"
                    .to_string(),
                exit: 1,
                ..Default::default()
            };
        };
        let ended = self.end_jobs();
        self.disconnect();
        Output {
            stdout: format!(
                "{ended}disconnected from {was}: etcdctl lines go to the simulated cluster again, as it was\n"
            ),
            ..Default::default()
        }
    }

    /// The connection, taken out (a playground rebuilt for the timeline gets it back with
    /// [`Playground::keep_connection`]).
    pub fn take_connection(&mut self) -> Option<Remote> {
        self.remote.take()
    }

    /// Puts back a connection taken out of another playground of the same console.
    pub fn keep_connection(&mut self, remote: Option<Remote>) {
        if let Some(r) = remote {
            self.console.default_endpoints = Some(r.endpoints.clone());
            self.remote = Some(r);
        }
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
