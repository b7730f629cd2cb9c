//! Cluster membership as a member applies it: etcd's checks before a membership change is
//! proposed (`mayAddMember`, `mayRemoveMember`, `mayPromoteMember`, `isLearnerReady`), the conf
//! change a member request becomes, and applying committed conf changes to the member list.
//!
//! Owns: the member list, removed IDs and the cluster version as applied. Must not touch:
//! Raft's own configuration (the Raft node applies the conf change itself), the network.

use super::member::{Env, Member, MemberConfig, Outbox};
use super::payload::{encode_conf_change, ConfChangeContext};
use crate::api::{
    errors, EtcdError, Member as ApiMember, MemberAddResponse, MemberChangeResponse, Request,
    Response,
};
use crate::raft::{ConfChange, ConfChangeType, Entry, EntryType, HardState};
use std::time::Duration;

/// etcd's interval between a member's health checks of its peers before it accepts a
/// membership change (`HealthInterval`).
pub const HEALTH_INTERVAL: Duration = Duration::from_secs(5);

/// Whether a request changes the membership.
pub fn is_member_change(req: &Request) -> bool {
    matches!(
        req,
        Request::MemberAdd { .. }
            | Request::MemberRemove { .. }
            | Request::MemberUpdate { .. }
            | Request::MemberPromote { .. }
    )
}

/// The log every initial member starts with, as etcd's `StartNode` writes it: one `AddNode`
/// conf change per initial member at term 1, committed.
pub fn bootstrap_log(configs: &[MemberConfig]) -> (Vec<Entry>, HardState) {
    let entries: Vec<Entry> = configs
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let member = ApiMember {
                id: c.id,
                name: String::new(),
                peer_urls: c.peer_urls.clone(),
                client_urls: Vec::new(),
                is_learner: false,
            };
            let cc = ConfChange {
                change_type: ConfChangeType::AddNode,
                node_id: c.id,
                context: postcard::to_allocvec(&ConfChangeContext {
                    member,
                    request_id: 0,
                })
                .unwrap_or_default(),
            };
            Entry {
                term: 1,
                index: i as u64 + 1,
                entry_type: EntryType::ConfChange,
                data: encode_conf_change(&cc).into(),
            }
        })
        .collect();
    let hard_state = HardState {
        term: 1,
        vote: 0,
        commit: entries.len() as u64,
    };
    (entries, hard_state)
}

impl Member {
    /// The members as this member knows them, in ID order.
    pub fn cluster_members(&self) -> Vec<ApiMember> {
        self.members.values().cloned().collect()
    }

    /// One member as this member has applied it.
    pub fn cluster_member(&self, id: u64) -> Option<&ApiMember> {
        self.members.get(&id)
    }

    pub fn is_member(&self, id: u64) -> bool {
        self.members.contains_key(&id)
    }

    pub fn is_removed(&self, id: u64) -> bool {
        self.removed.contains(&id)
    }

    pub fn cluster_version(&self) -> Option<&str> {
        self.cluster_version.as_deref()
    }

    /// Builds the conf change for a member request after etcd's checks, or answers the
    /// refusal into `out` (then returns `None`).
    pub(super) fn conf_change_for(
        &mut self,
        req: &Request,
        env: &Env,
        out: &mut Outbox,
        call: u64,
    ) -> Option<ConfChange> {
        if !is_member_change(req) {
            return None;
        }
        if let Err(e) = self.check_member_change(req, env) {
            out.answers.push((call, Err(e.into())));
            return None;
        }
        let (change_type, node_id, member) = match req {
            Request::MemberAdd {
                peer_urls,
                is_learner,
            } => {
                // etcd derives the ID from the URLs and the time; the playground's is random
                // per world seed: it is drawn from the request ID generator's output.
                let id = self.new_member_id(env);
                let m = ApiMember {
                    id,
                    name: String::new(),
                    peer_urls: peer_urls.clone(),
                    client_urls: vec![],
                    is_learner: *is_learner,
                };
                (
                    if *is_learner {
                        ConfChangeType::AddLearnerNode
                    } else {
                        ConfChangeType::AddNode
                    },
                    id,
                    m,
                )
            }
            Request::MemberRemove { id } => (
                ConfChangeType::RemoveNode,
                *id,
                ApiMember {
                    id: *id,
                    ..Default::default()
                },
            ),
            Request::MemberUpdate { id, peer_urls } => {
                let mut m = self.members.get(id).cloned().unwrap_or_default();
                m.peer_urls = peer_urls.clone();
                (ConfChangeType::UpdateNode, *id, m)
            }
            Request::MemberPromote { id } => {
                let mut m = self.members.get(id).cloned().unwrap_or_default();
                m.is_learner = false;
                (ConfChangeType::AddNode, *id, m)
            }
            _ => return None,
        };
        let ctx = ConfChangeContext {
            member,
            request_id: 0,
        };
        Some(ConfChange {
            change_type,
            node_id,
            context: postcard::to_allocvec(&ctx).unwrap_or_default(),
        })
    }

    pub(super) fn new_member_id(&self, env: &Env) -> u64 {
        // etcd hashes the peer URLs, the token and the time; the playground draws the ID from
        // the world's RNG (the recorded IDs of added members are random too).
        let mut id = env.random;
        while id == 0 || self.members.contains_key(&id) || self.removed.contains(&id) {
            id = id
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
        }
        id
    }

    /// etcd's `mayAddMember` / `mayRemoveMember` / `mayPromoteMember` checks and the
    /// membership validation of `ValidateConfigurationChange`.
    /// Checks a membership change before proposing it, with etcd's errors.
    pub(super) fn check_member_change(&self, req: &Request, env: &Env) -> Result<(), EtcdError> {
        let since = env.now.checked_sub(HEALTH_INTERVAL);
        let connected = |id: u64| -> bool {
            id == self.config.id
                || (since.is_some()
                    && env
                        .connected_since
                        .get(&id)
                        .is_some_and(|t| Some(*t) <= since))
        };
        let started = |m: &ApiMember| !m.name.is_empty();
        let voters: Vec<&ApiMember> = self.members.values().filter(|m| !m.is_learner).collect();
        match req {
            Request::MemberAdd {
                peer_urls,
                is_learner,
            } => {
                if peer_urls.is_empty() {
                    return Err(errors::member_bad_urls());
                }
                if self
                    .members
                    .values()
                    .any(|m| m.peer_urls.iter().any(|u| peer_urls.contains(u)))
                {
                    return Err(errors::peer_url_exist());
                }
                if *is_learner {
                    let learners = self.members.values().filter(|m| m.is_learner).count();
                    if learners >= 1 {
                        return Err(errors::too_many_learners());
                    }
                } else {
                    // IsReadyToAddVotingMember: a quorum of the enlarged cluster has started.
                    let nmembers = voters.len() + 1;
                    let nstarted = voters.iter().filter(|m| started(m)).count();
                    if !(nstarted == 1 && nmembers == 2) && nstarted < nmembers / 2 + 1 {
                        return Err(errors::member_not_enough_started());
                    }
                }
                // isConnectedFullySince: every voting member reachable for HealthInterval.
                if !voters.iter().all(|m| connected(m.id)) {
                    return Err(errors::unhealthy());
                }
                Ok(())
            }
            Request::MemberUpdate { id, .. } => {
                if !self.members.contains_key(id) {
                    return Err(errors::member_not_found());
                }
                Ok(())
            }
            Request::MemberRemove { id } => {
                let Some(m) = self.members.get(id) else {
                    return Err(if self.removed.contains(id) {
                        errors::member_not_found()
                    } else {
                        errors::member_not_found()
                    });
                };
                if m.is_learner {
                    return Ok(());
                }
                // IsReadyToRemoveVotingMember: a quorum of the rest has started.
                let nmembers = voters.len() - 1;
                let nstarted = voters.iter().filter(|v| v.id != *id && started(v)).count();
                if nstarted < nmembers / 2 + 1 {
                    return Err(errors::member_not_enough_started());
                }
                // A member that never connected is safe to remove.
                if *id != self.config.id && !env.connected_since.contains_key(id) {
                    return Ok(());
                }
                let active = voters.iter().filter(|v| connected(v.id)).count();
                if active.saturating_sub(1) < 1 + (voters.len() - 1) / 2 {
                    return Err(errors::unhealthy());
                }
                Ok(())
            }
            Request::MemberPromote { id } => {
                let Some(m) = self.members.get(id) else {
                    return Err(errors::member_not_found());
                };
                if !m.is_learner {
                    return Err(errors::member_not_learner());
                }
                // isLearnerReady: the leader's progress of the learner is within 90% of the
                // leader's own.
                let leader_match = self
                    .node
                    .raft
                    .prs
                    .progress
                    .get(&self.config.id)
                    .map_or(0, |p| p.matched);
                let learner_match = self.node.raft.prs.progress.get(id).map_or(0, |p| p.matched);
                if !self.is_leader()
                    || (learner_match as f64) < (leader_match as f64) * 0.9
                    || learner_match == 0
                {
                    return Err(errors::learner_not_ready());
                }
                let nmembers = voters.len() + 1;
                let nstarted =
                    voters.iter().filter(|m| started(m)).count() + usize::from(started(m));
                if nstarted < nmembers / 2 + 1 {
                    return Err(errors::member_not_enough_started());
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Applies a committed conf change (the Raft node has applied it to its configuration).
    pub(super) fn apply_conf_change(
        &mut self,
        index: u64,
        cc: &ConfChange,
        env: &Env,
    ) -> Result<Response, EtcdError> {
        self.applied = self.applied.max(index);
        let ctx: Option<ConfChangeContext> = postcard::from_bytes(&cc.context).ok();
        let now = env.unix_nanos;
        match cc.change_type {
            ConfChangeType::AddNode | ConfChangeType::AddLearnerNode => {
                let Some(c) = ctx else {
                    return Err(errors::member_bad_urls());
                };
                let is_learner = cc.change_type == ConfChangeType::AddLearnerNode;
                if let Some(old) = self.members.get_mut(&c.member.id) {
                    // A promotion: the learner becomes a voter, keeping its attributes.
                    if !is_learner && old.is_learner {
                        old.is_learner = false;
                        let urls = old.peer_urls.clone();
                        self.sm.v2.member_update(cc.node_id, &urls, false, now);
                    }
                    return Ok(Response::MemberChange(MemberChangeResponse {
                        header: self.header(),
                        members: self.cluster_members(),
                    }));
                }
                let mut m = c.member;
                m.is_learner = is_learner;
                self.sm.v2.member_add(m.id, &m.peer_urls, is_learner, now);
                self.members.insert(m.id, m.clone());
                return Ok(Response::MemberAdd(MemberAddResponse {
                    header: self.header(),
                    member: m,
                    members: self.cluster_members(),
                }));
            }
            ConfChangeType::RemoveNode => {
                if self.members.remove(&cc.node_id).is_some() {
                    self.sm.v2.member_remove(cc.node_id, now);
                }
                self.removed.insert(cc.node_id);
            }
            ConfChangeType::UpdateNode => {
                if let (Some(c), Some(m)) = (ctx, self.members.get_mut(&cc.node_id)) {
                    m.peer_urls = c.member.peer_urls;
                    let (urls, learner) = (m.peer_urls.clone(), m.is_learner);
                    self.sm.v2.member_update(cc.node_id, &urls, learner, now);
                }
            }
        }
        Ok(Response::MemberChange(MemberChangeResponse {
            header: self.header(),
            members: self.cluster_members(),
        }))
    }
}
