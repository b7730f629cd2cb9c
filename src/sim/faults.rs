//! Faults and their repair, as the playground's commands and the page's controls set them:
//! stopping and starting members (and starting one that `member add` announced), partitions,
//! cut links, message loss, latency and jitter. Each is recorded in the trace.
//!
//! A fault that cannot be set returns a [`FaultError`]; the playground writes its text. What
//! a fault did is a line of text the world also records in its trace.
//!
//! Owns: the fault controls and their checks. Must not touch: how messages are delivered
//! (the event loop reads the network settings), etcd's rules, the console's wording of errors.

use std::collections::BTreeSet;
use std::time::Duration;

use super::network::{self, NetConfig};
use super::view::TraceKind;
use super::{endpoint, Slot, World};
use crate::api::Member as ApiMember;
use crate::persist::MemoryDisk;
use crate::server::member::MemberConfig;
use crate::sort::Inserted;

/// Why a fault could not be set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultError {
    /// No member has this name; `members` are the names there are.
    UnknownMember {
        name: String,
        members: Vec<String>,
    },
    /// `start NAME` of a name no member has, and no added member could start as it.
    NotStartable {
        unknown: Box<FaultError>,
        added: Box<FaultError>,
    },
    /// The member found by name is gone (not expected: names and slots change together).
    NoSuchMember,
    AlreadyStopped(String),
    AlreadyRunning(String),
    /// The member applied its own removal: it never starts again.
    Removed(String),
    /// A member already has the name an added member was to start as.
    NameTaken(String),
    /// `member add` announced no member that waits to start.
    NoAddedMember,
    /// This many added members wait to start.
    SeveralAdded(usize),
    /// The added member's peer URLs are not a loopback address with a port.
    PeerUrlNotLoopback(Vec<String>),
    /// The client URL an added member would serve is served by `member` already.
    ClientUrlTaken {
        url: String,
        member: u64,
    },
    /// A member named in two groups of a partition.
    NamedTwice(String),
    /// A partition of fewer than two groups.
    OneGroup,
    /// A link from a member to itself.
    SameMember(String),
    /// A loss over 100%.
    LossOutOfRange(u32),
    /// A latency over 60 s (in ms).
    LatencyOutOfRange(u64),
    /// A jitter over 60 s (in ms).
    JitterOutOfRange(u64),
}

pub(super) fn pairs(ids: &[u64]) -> Vec<(u64, u64)> {
    let mut v = Vec::new();
    for (i, a) in ids.iter().enumerate() {
        for b in ids.iter().skip(i + 1) {
            v.push((*a.min(b), *a.max(b)));
        }
    }
    v
}

impl World {
    pub(super) fn id_by_name(&self, name: &str) -> Result<u64, FaultError> {
        self.slots
            .iter()
            .find(|s| s.config.name == name)
            .map(|s| s.config.id)
            .ok_or_else(|| FaultError::UnknownMember {
                name: name.to_string(),
                members: self.slots.iter().map(|s| s.config.name.clone()).collect(),
            })
    }

    pub(super) fn control(&mut self, text: String) -> Result<String, FaultError> {
        self.record(TraceKind::Control { text: text.clone() });
        Ok(text)
    }

    /// Crashes a member: its volatile state is lost, its disk kept.
    pub fn stop(&mut self, name: &str) -> Result<String, FaultError> {
        let id = self.id_by_name(name)?;
        let slot = self
            .slots
            .iter_mut()
            .find(|s| s.config.id == id)
            .ok_or(FaultError::NoSuchMember)?;
        let Some(m) = slot.member.take() else {
            return Err(FaultError::AlreadyStopped(name.to_string()));
        };
        slot.disk = Some(m.into_disk());
        self.record(TraceKind::Crashed { member: id });
        self.control(format!("stopped {name}"))
    }

    /// Restarts a stopped member from its disk; a name no member has yet starts the member
    /// that `member add` announced (see [`World::start_added`]).
    pub fn start(&mut self, name: &str) -> Result<String, FaultError> {
        let id = match self.id_by_name(name) {
            Ok(id) => id,
            Err(e) => {
                return self
                    .start_added(name)
                    .map_err(|added| FaultError::NotStartable {
                        unknown: Box::new(e),
                        added: Box::new(added),
                    })
            }
        };
        let i = self
            .slots
            .iter()
            .position(|s| s.config.id == id)
            .ok_or(FaultError::NoSuchMember)?;
        let slot = self.slots.get(i).ok_or(FaultError::NoSuchMember)?;
        if slot.member.is_some() {
            return Err(FaultError::AlreadyRunning(name.to_string()));
        }
        if slot.removed {
            return Err(FaultError::Removed(name.to_string()));
        }
        self.boot(i);
        self.record(TraceKind::Restarted { member: id });
        self.control(format!("started {name}"))
    }

    /// Starts, as `name`, the member that `member add` put in the cluster and that no process
    /// plays yet, as etcd does with `--initial-cluster-state existing`: an empty disk, a client
    /// URL on the port below its peer URL's (peer :42380, client :42379). It learns the log (or
    /// a snapshot) from the leader, then publishes its name and client URL.
    pub fn start_added(&mut self, name: &str) -> Result<String, FaultError> {
        if name.is_empty() || self.slots.iter().any(|s| s.config.name == name) {
            return Err(FaultError::NameTaken(name.to_string()));
        }
        let unstarted = self.added_not_started();
        let m = match unstarted.as_slice() {
            [] => return Err(FaultError::NoAddedMember),
            [one] => one.clone(),
            _ => return Err(FaultError::SeveralAdded(unstarted.len())),
        };
        self.boot_joining(&m, name)
    }

    /// The members the cluster's configuration holds (as the leader, or else a running
    /// member, applied it) that no slot runs: added by `member add`, not started yet.
    pub fn added_not_started(&self) -> Vec<ApiMember> {
        let known = self
            .leader()
            .or_else(|| {
                self.slots
                    .iter()
                    .find(|s| s.member.is_some())
                    .map(|s| s.config.id)
            })
            .and_then(|id| self.member(id))
            .map(|m| m.cluster_members())
            .unwrap_or_default();
        known
            .into_iter()
            .filter(|m| !self.slots.iter().any(|s| s.config.id == m.id))
            .collect()
    }

    /// Adds a slot for a member the cluster knows (from `member add`) and boots it with an
    /// empty disk: it catches up from the leader by log or snapshot.
    pub(super) fn boot_joining(&mut self, m: &ApiMember, name: &str) -> Result<String, FaultError> {
        let client_urls: Vec<String> = m
            .peer_urls
            .iter()
            .filter_map(|u| {
                let port = endpoint::loopback_port(u)?;
                Some(format!("http://127.0.0.1:{}", port.checked_sub(1)?))
            })
            .take(1)
            .collect();
        if client_urls.is_empty() {
            return Err(FaultError::PeerUrlNotLoopback(m.peer_urls.clone()));
        }
        if let Some(taken) = client_urls.first().and_then(|u| self.resolve_endpoint(u)) {
            return Err(FaultError::ClientUrlTaken {
                url: client_urls.join(","),
                member: taken,
            });
        }
        self.slots.push(Slot {
            config: MemberConfig {
                id: m.id,
                name: name.to_string(),
                peer_urls: m.peer_urls.clone(),
                client_urls: client_urls.clone(),
                cluster_id: self.cluster_id,
            },
            member: None,
            disk: Some(Box::new(MemoryDisk::new())),
            up_since: self.now,
            removed: false,
        });
        let i = self.slots.len() - 1;
        self.boot(i);
        self.record(TraceKind::Restarted { member: m.id });
        self.control(format!(
            "started {name} ({:x}, joining the existing cluster; clients: {})",
            m.id,
            client_urls.join(",")
        ))
    }

    /// Splits the members into groups that only reach each other; members not named form
    /// one more group.
    pub fn partition(&mut self, groups: &[Vec<String>]) -> Result<String, FaultError> {
        let mut sets = Vec::new();
        let mut seen = BTreeSet::new();
        for g in groups {
            let mut set = BTreeSet::new();
            for name in g {
                let id = self.id_by_name(name)?;
                if !seen.insert(id) {
                    return Err(FaultError::NamedTwice(name.clone()));
                }
                set.insert(id);
            }
            if !set.is_empty() {
                sets.push(set);
            }
        }
        let rest: BTreeSet<u64> = self
            .member_ids()
            .into_iter()
            .filter(|id| !seen.contains(id))
            .btree_set();
        if !rest.is_empty() {
            sets.push(rest);
        }
        if sets.len() < 2 {
            return Err(FaultError::OneGroup);
        }
        let text = sets
            .iter()
            .map(|g| {
                g.iter()
                    .filter_map(|id| self.member_name(*id))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join(" | ");
        self.set_partition(Some(sets));
        self.control(format!("partitioned: {text}"))
    }

    pub(super) fn set_partition(&mut self, p: Option<Vec<BTreeSet<u64>>>) {
        self.change_net(|net| net.partition = p);
    }

    /// Changes which links are up, noting when each link that comes back came back.
    pub(super) fn change_net(&mut self, change: impl FnOnce(&mut NetConfig)) {
        let ids = self.member_ids();
        let before: Vec<(u64, u64, bool)> = pairs(&ids)
            .into_iter()
            .map(|(a, b)| (a, b, self.connected(a, b)))
            .collect();
        change(&mut self.net);
        for (a, b, was) in before {
            if !was && self.connected(a, b) {
                self.link_up_since.insert((a, b), self.now);
            }
        }
    }

    /// Removes every partition and every cut link.
    pub fn heal(&mut self) -> Result<String, FaultError> {
        self.change_net(|net| {
            net.partition = None;
            net.cut.clear();
        });
        self.control("network healed".to_string())
    }

    /// Cuts the link between two members (both directions); other links stay.
    pub fn cut_link(&mut self, a: &str, b: &str) -> Result<String, FaultError> {
        let key = self.link_by_names(a, b)?;
        self.change_net(|net| {
            net.cut.insert(key);
        });
        self.control(format!("link {a} – {b} cut"))
    }

    /// Mends one cut link (a partition, if any, stays).
    pub fn heal_link(&mut self, a: &str, b: &str) -> Result<String, FaultError> {
        let key = self.link_by_names(a, b)?;
        self.change_net(|net| {
            net.cut.remove(&key);
        });
        self.control(format!("link {a} – {b} healed"))
    }

    /// Drops this percentage of the messages between two members.
    pub fn set_link_loss(&mut self, a: &str, b: &str, pct: u32) -> Result<String, FaultError> {
        let key = self.link_by_names(a, b)?;
        if pct > 100 {
            return Err(FaultError::LossOutOfRange(pct));
        }
        self.net.link_loss.insert(key, pct);
        self.control(format!("message loss between {a} and {b} set to {pct}%"))
    }

    pub(super) fn link_by_names(&self, a: &str, b: &str) -> Result<(u64, u64), FaultError> {
        let (ia, ib) = (self.id_by_name(a)?, self.id_by_name(b)?);
        if ia == ib {
            return Err(FaultError::SameMember(a.to_string()));
        }
        Ok(network::link(ia, ib))
    }

    /// Drops this percentage of messages.
    pub fn set_loss(&mut self, pct: u32) -> Result<String, FaultError> {
        if pct > 100 {
            return Err(FaultError::LossOutOfRange(pct));
        }
        self.net.loss_pct = pct;
        self.net.link_loss.clear();
        self.control(format!("message loss set to {pct}%"))
    }

    /// Sets the one-way latency of every link.
    pub fn set_latency(&mut self, ms: u64) -> Result<String, FaultError> {
        if ms > 60_000 {
            return Err(FaultError::LatencyOutOfRange(ms));
        }
        self.net.latency = Duration::from_millis(ms);
        self.net.link_latency.clear();
        self.control(format!("latency set to {ms} ms"))
    }

    /// Sets the one-way latency of the link between two members (both directions).
    pub fn set_link_latency(&mut self, a: &str, b: &str, ms: u64) -> Result<String, FaultError> {
        let key = self.link_by_names(a, b)?;
        if ms > 60_000 {
            return Err(FaultError::LatencyOutOfRange(ms));
        }
        self.net.link_latency.insert(key, Duration::from_millis(ms));
        self.control(format!("latency between {a} and {b} set to {ms} ms"))
    }

    /// Adds up to `ms` of random extra delay per message (which reorders messages).
    pub fn set_jitter(&mut self, ms: u64) -> Result<String, FaultError> {
        if ms > 60_000 {
            return Err(FaultError::JitterOutOfRange(ms));
        }
        self.net.jitter = Duration::from_millis(ms);
        self.control(format!("jitter set to {ms} ms"))
    }
}
