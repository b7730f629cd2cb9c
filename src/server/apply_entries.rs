//! Applying committed entries (etcd's `applyEntryNormal` / `applyConfChange`): each entry
//! once, in log order; the answer goes to the call that proposed it, if it still waits.
//!
//! Owns: the alarm list, publish and cluster version. Must not touch: the state machine's own
//! rules (`apply`), Raft rules.

use super::apply::ApplyContext;
use super::member::{Env, Member, MemberEvent, Outbox};
use super::payload::{decode_conf_change, digest, ConfChangeContext, Payload};
use crate::api::{
    errors, AlarmAction, AlarmMember, AlarmResponse, AlarmType, CallError, EtcdError, Request,
    Response,
};
use crate::raft::{ConfChangeType, Entry, EntryType};

impl Member {
    pub(super) fn apply_entry(&mut self, e: &Entry, env: &Env, out: &mut Outbox) {
        if e.index <= self.applied {
            return;
        }
        // Always reported: the world checks state machine safety with it.
        out.events.push(MemberEvent::Applied {
            index: e.index,
            term: e.term,
            digest: digest(&e.data),
        });
        match e.entry_type {
            EntryType::Normal => {
                self.applied = e.index;
                if e.data.is_empty() {
                    return;
                }
                let Some(p) = Payload::decode(&e.data) else {
                    return;
                };
                let result = self.apply_payload(e.index, &p, env);
                if let Payload::Request { id, .. } = p {
                    if let Some(call) = self.waiters.remove(&id) {
                        out.answers.push((call, result.map_err(CallError::from)));
                    }
                }
            }
            EntryType::ConfChange => {
                let Some(cc) = decode_conf_change(&e.data) else {
                    self.applied = e.index;
                    return;
                };
                self.node.apply_conf_change(&cc);
                let result = self.apply_conf_change(e.index, &cc, env);
                let rid = postcard::from_bytes::<ConfChangeContext>(&cc.context)
                    .map_or(0, |c| c.request_id);
                if let Some(call) = self.waiters.remove(&rid) {
                    out.answers.push((call, result.map_err(CallError::from)));
                }
                if cc.change_type == ConfChangeType::RemoveNode && cc.node_id == self.config.id {
                    self.removed_self = true;
                    out.events.push(MemberEvent::Removed);
                }
            }
        }
    }

    /// Applies one committed normal entry's payload. `raft_term` is the term the answer's
    /// header reports.
    pub(super) fn apply_payload(
        &mut self,
        index: u64,
        payload: &Payload,
        env: &Env,
    ) -> Result<Response, EtcdError> {
        self.applied = self.applied.max(index);
        let ctx = self.ctx(env);
        match payload {
            Payload::Publish {
                member_id,
                name,
                client_urls,
            }
            | Payload::Attributes {
                member_id,
                name,
                client_urls,
                ..
            } => {
                if let Some(m) = self.members.get_mut(member_id) {
                    m.name = name.clone();
                    m.client_urls = client_urls.clone();
                    self.sm
                        .v2
                        .publish_attributes(*member_id, name, client_urls, env.unix_nanos);
                }
                Ok(Response::Header(self.header()))
            }
            Payload::ClusterVersion(v) => {
                self.cluster_version = Some(v.clone());
                self.sm.v2.set_cluster_version(v, env.unix_nanos);
                Ok(Response::Header(self.header()))
            }
            Payload::Request { req, .. } => self.apply_request(req, &ctx),
        }
    }

    pub(super) fn apply_request(
        &mut self,
        req: &Request,
        ctx: &ApplyContext,
    ) -> Result<Response, EtcdError> {
        match req {
            Request::Alarm {
                action,
                member_id,
                alarm,
            } => {
                // As etcd's applier answers: the alarm activated, or the ones deactivated.
                let changed = match action {
                    AlarmAction::Activate if *alarm != AlarmType::None => {
                        let a = AlarmMember {
                            member_id: *member_id,
                            alarm: *alarm,
                        };
                        if !self.alarms.contains(&a) {
                            self.alarms.push(a.clone());
                        }
                        vec![a]
                    }
                    AlarmAction::Deactivate => {
                        let (gone, kept) =
                            std::mem::take(&mut self.alarms).into_iter().partition(|a| {
                                a.member_id == *member_id
                                    && (a.alarm == *alarm || *alarm == AlarmType::None)
                            });
                        self.alarms = kept;
                        gone
                    }
                    _ => self.alarms.clone(),
                };
                Ok(Response::Alarm(AlarmResponse {
                    header: self.header(),
                    alarms: changed,
                }))
            }
            _ => {
                if self.capped(req) {
                    return Err(errors::no_space());
                }
                let fits = self.quota_available(req);
                let resp = self.sm.apply(req, ctx)?;
                if !fits {
                    // Applied, but past the quota: the alarm goes on, the client is told so.
                    if !self.nospace() {
                        self.raise_nospace();
                    }
                    return Err(errors::no_space());
                }
                Ok(self.stamp(resp))
            }
        }
    }
}
