//! Configurable members: a world that starts with no member, and members put into it or taken
//! out of it whole — what a node lab needs when kubelet starts etcd from a data directory
//! (a new cluster bootstrapped from the flags, or a member restored from a snapshot with its
//! own IDs) and stops it again (its disk goes back to the node's files).
//!
//! Owns: [`World::empty`], [`World::add_member`], [`World::remove_member`],
//! [`bootstrap_state`]. Must not touch: the default three-member world (`World::new`), whose
//! history stays byte for byte what it was.

use std::time::Duration;

use super::{bootstrap_disk, Event, Slot, TraceKind, World, TICK};
use crate::persist::{Disk, DiskState, MemoryDisk};
use crate::server::member::MemberConfig;

/// The disk of a member of a new cluster of `configs` (etcd's `StartNode`: one `AddNode` conf
/// change per initial member at term 1, committed).
pub fn bootstrap_state(configs: &[MemberConfig]) -> DiskState {
    bootstrap_disk(configs).load()
}

impl World {
    /// A world with no members (the clock at zero, the network's defaults): members come with
    /// [`World::add_member`].
    pub fn empty(seed: u64) -> World {
        World::empty_at(seed, Duration::ZERO)
    }

    /// [`World::empty`] with the clock at `now` (a node lab reloaded: its member is put back
    /// from its data directory).
    pub fn empty_at(seed: u64, now: Duration) -> World {
        let (mut w, _) = World::blank(seed);
        w.cluster_id = 0;
        w.now = now.min(Duration::from_secs(100 * 365 * 24 * 3600));
        let first = w.now + TICK;
        w.schedule(first, Event::Tick);
        w
    }

    /// Starts a member from `disk` (its own IDs in `config`). A member with the same ID must
    /// not be in the world already. The world's cluster ID becomes the member's.
    pub fn add_member(&mut self, config: MemberConfig, disk: DiskState) -> Result<(), String> {
        self.add_member_listening(config, disk, Vec::new())
    }

    /// [`World::add_member`] with client URLs it also listens on (`--listen-client-urls`).
    pub fn add_member_listening(
        &mut self,
        config: MemberConfig,
        disk: DiskState,
        listen: Vec<String>,
    ) -> Result<(), String> {
        if self.slots.iter().any(|s| s.config.id == config.id) {
            return Err(format!("member {:x} is already in the world", config.id));
        }
        disk.validate()?;
        let id = config.id;
        self.cluster_id = config.cluster_id;
        self.listen.insert(id, listen);
        self.slots.push(Slot {
            config,
            member: None,
            disk: Some(Box::new(MemoryDisk::from_state(disk))),
            up_since: self.now,
            removed: false,
        });
        let i = self.slots.len() - 1;
        self.boot(i);
        if self.slots.get(i).is_none_or(|s| s.member.is_none()) {
            self.slots.pop();
            self.listen.remove(&id);
            return Err("the member's disk does not start a Raft node".to_string());
        }
        self.record(TraceKind::Restarted { member: id });
        Ok(())
    }

    /// Stops a member and takes it out of the world: what its disk holds (None if no such
    /// member). Messages still in flight to it are dropped when they arrive.
    pub fn remove_member(&mut self, id: u64) -> Option<DiskState> {
        let i = self.slots.iter().position(|s| s.config.id == id)?;
        let slot = self.slots.remove(i);
        self.listen.remove(&id);
        let state = match (slot.member, slot.disk) {
            (Some(m), _) => m.into_disk().load(),
            (None, Some(d)) => d.load(),
            (None, None) => DiskState::default(),
        };
        self.record(TraceKind::Crashed { member: id });
        Some(state)
    }

    /// What a member's disk holds now (running or stopped).
    pub fn member_disk(&self, id: u64) -> Option<DiskState> {
        let s = self.slots.iter().find(|s| s.config.id == id)?;
        match (&s.member, &s.disk) {
            (Some(m), _) => Some(m.disk().load()),
            (None, Some(d)) => Some(d.load()),
            _ => None,
        }
    }

    /// Runs the world until a leader committed an entry of its term and every running member
    /// applied it, at most `limit`.
    pub fn run_until_settled(&mut self, limit: Duration) {
        let deadline = self.now + limit;
        self.run_until(deadline, |w| w.settled());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{PutRequest, Request, Response};
    use crate::server::ids;

    fn config(peer: &str, client: &str, token: &str) -> MemberConfig {
        let id = ids::member_id(&[peer], token);
        MemberConfig {
            id,
            name: "controlplane".into(),
            peer_urls: vec![peer.into()],
            client_urls: vec![client.into()],
            cluster_id: ids::cluster_id(&[id]),
        }
    }

    #[test]
    fn one_member_bootstraps_leads_and_comes_back_from_its_disk() {
        let mut w = World::empty(7);
        assert!(w.member_ids().is_empty());
        let c = config(
            "https://172.30.1.2:2380",
            "https://127.0.0.1:2379",
            "etcd-cluster",
        );
        let id = c.id;
        w.add_member(c.clone(), bootstrap_state(std::slice::from_ref(&c)))
            .unwrap();
        w.run_until_settled(Duration::from_secs(10));
        assert_eq!(w.leader(), Some(id));
        assert_eq!(w.cluster_id(), c.cluster_id);
        let put = Request::Put(PutRequest {
            key: b"a".to_vec(),
            value: b"1".to_vec(),
            ..Default::default()
        });
        let r = w.call("127.0.0.1:2379", None, put, Duration::from_secs(5));
        assert!(matches!(r, Ok(Response::Put(_))), "{r:?}");
        let disk = w.remove_member(id).unwrap();
        assert!(w.member_ids().is_empty());
        assert!(w.add_member(c.clone(), disk.clone()).is_ok());
        assert!(w.add_member(c, disk).is_err(), "one member per ID");
        w.run_until_settled(Duration::from_secs(10));
        assert_eq!(w.leader(), Some(id));
        assert!(w.safety_violations().is_empty());
    }
}
