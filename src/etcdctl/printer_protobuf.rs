//! `-w protobuf`: the response message's protobuf bytes, as etcdctl writes them to stdout
//! (`printPB`: gogoproto's Marshal, fields in number order, zero values left out, a set
//! sub-message written even when empty). The console shows binary output the way `hexdump -C`
//! shows it; `tests/scenarios*/etcdctl-protobuf.*` hold real etcdctl's bytes shown the same
//! way.
//!
//! What each command writes, as etcdctl 3.4.23 and 3.5.1 do: the KV, watch, member and auth
//! responses whole; the lease responses only their header; `lease revoke` fails (its response
//! type has no Marshal); 3.4's alarm response has no header (etcd 3.4 leaves it unset).
//! Endpoint, snapshot status and check commands keep the default "not supported".
//!
//! Owns: [`ProtobufPrinter`] and the message encodings. Must not touch: other formats.

use std::cell::Cell;

use crate::api::proto_wire::{put_bytes, put_int};
use crate::api::{
    AlarmResponse, DeleteRangeResponse, Event, EventType, KeyValue, LeaseGrantResponse,
    LeaseKeepAliveResponse, LeaseLeasesResponse, LeaseRevokeResponse, LeaseTimeToLiveResponse,
    Member, MemberAddResponse, MemberChangeResponse, MemberListResponse, Permission, PutResponse,
    RangeResponse, ResponseHeader, ResponseOp, TxnResponse, WatchResponse,
};

use super::hexdump::Stream;
use super::printer::{PResult, PrintOpts, Printer};
use super::{Fail, Io, EXIT_BAD_FEATURE};

/// `-w protobuf`.
pub struct ProtobufPrinter {
    pub opts: PrintOpts,
    /// Bytes written so far (a watch writes one message per response: the dump goes on).
    written: Cell<usize>,
}

impl ProtobufPrinter {
    pub fn new(opts: PrintOpts) -> ProtobufPrinter {
        ProtobufPrinter {
            opts,
            written: Cell::new(0),
        }
    }

    /// Writes a message's bytes.
    fn write(&self, io: &mut Io, bytes: &[u8]) -> PResult {
        let mut d = Stream::from(self.written.get());
        d.feed(io, bytes);
        self.written.set(d.finish(io));
        Ok(())
    }

    /// A message that is only a header (`{header}`).
    fn header_only(&self, io: &mut Io, h: &ResponseHeader) -> PResult {
        let b = headed(h);
        self.write(io, &b)
    }

    /// A header and a repeated string field 2 (role list, user get/list).
    fn header_strings(&self, io: &mut Io, h: &ResponseHeader, items: &[String]) -> PResult {
        let mut b = headed(h);
        for s in items {
            put_bytes(&mut b, 2, s.as_bytes(), true);
        }
        self.write(io, &b)
    }
}

/// A sub-message field, written even when empty (a set pointer).
fn put_msg(buf: &mut Vec<u8>, field: u32, msg: &[u8]) {
    put_bytes(buf, field, msg, true);
}

fn put_bool(buf: &mut Vec<u8>, field: u32, v: bool) {
    put_int(buf, field, i64::from(v));
}

/// A response message that starts with its header (field 1).
fn headed(h: &ResponseHeader) -> Vec<u8> {
    let mut b = Vec::new();
    put_msg(&mut b, 1, &header(h));
    b
}

/// `etcdserverpb.ResponseHeader`.
pub fn header(h: &ResponseHeader) -> Vec<u8> {
    let mut b = Vec::new();
    put_int(&mut b, 1, h.cluster_id as i64);
    put_int(&mut b, 2, h.member_id as i64);
    put_int(&mut b, 3, h.revision);
    put_int(&mut b, 4, h.raft_term as i64);
    b
}

/// The header in protobuf's compact text form (what Go's `%v` prints of it).
fn header_text(h: &ResponseHeader) -> String {
    let mut s = String::new();
    for (name, v) in [
        ("cluster_id", h.cluster_id.to_string()),
        ("member_id", h.member_id.to_string()),
        ("revision", h.revision.to_string()),
        ("raft_term", h.raft_term.to_string()),
    ] {
        if v != "0" {
            s.push_str(&format!("{name}:{v} "));
        }
    }
    s
}

/// `mvccpb.KeyValue`.
pub fn key_value(kv: &KeyValue) -> Vec<u8> {
    let mut b = Vec::new();
    put_bytes(&mut b, 1, &kv.key, false);
    put_int(&mut b, 2, kv.create_revision);
    put_int(&mut b, 3, kv.mod_revision);
    put_int(&mut b, 4, kv.version);
    put_bytes(&mut b, 5, &kv.value, false);
    put_int(&mut b, 6, kv.lease);
    b
}

fn event(e: &Event) -> Vec<u8> {
    let mut b = Vec::new();
    put_int(&mut b, 1, i64::from(e.kind == EventType::Delete));
    put_msg(&mut b, 2, &key_value(&e.kv));
    if let Some(p) = &e.prev_kv {
        put_msg(&mut b, 3, &key_value(p));
    }
    b
}

fn range(r: &RangeResponse) -> Vec<u8> {
    let mut b = headed(&r.header);
    for kv in &r.kvs {
        put_msg(&mut b, 2, &key_value(kv));
    }
    put_bool(&mut b, 3, r.more);
    put_int(&mut b, 4, r.count);
    b
}

fn put(r: &PutResponse) -> Vec<u8> {
    let mut b = headed(&r.header);
    if let Some(p) = &r.prev_kv {
        put_msg(&mut b, 2, &key_value(p));
    }
    b
}

fn delete(r: &DeleteRangeResponse) -> Vec<u8> {
    let mut b = headed(&r.header);
    put_int(&mut b, 2, r.deleted);
    for kv in &r.prev_kvs {
        put_msg(&mut b, 3, &key_value(kv));
    }
    b
}

fn txn(r: &TxnResponse) -> Vec<u8> {
    let mut b = headed(&r.header);
    put_bool(&mut b, 2, r.succeeded);
    for op in &r.responses {
        let (field, msg) = match op {
            ResponseOp::Range(r) => (1, range(r)),
            ResponseOp::Put(r) => (2, put(r)),
            ResponseOp::DeleteRange(r) => (3, delete(r)),
            ResponseOp::Txn(r) => (4, txn(r)),
        };
        let mut one = Vec::new();
        put_msg(&mut one, field, &msg);
        put_msg(&mut b, 3, &one);
    }
    b
}

fn member(m: &Member) -> Vec<u8> {
    let mut b = Vec::new();
    put_int(&mut b, 1, m.id as i64);
    put_bytes(&mut b, 2, m.name.as_bytes(), false);
    for u in &m.peer_urls {
        put_bytes(&mut b, 3, u.as_bytes(), true);
    }
    for u in &m.client_urls {
        put_bytes(&mut b, 4, u.as_bytes(), true);
    }
    put_bool(&mut b, 5, m.is_learner);
    b
}

/// A header and the member list (field `members_field`).
fn members(h: &ResponseHeader, first: Option<&Member>, list: &[Member]) -> Vec<u8> {
    let mut b = headed(h);
    let list_field = match first {
        Some(m) => {
            put_msg(&mut b, 2, &member(m));
            3
        }
        None => 2,
    };
    for m in list {
        put_msg(&mut b, list_field, &member(m));
    }
    b
}

/// `AuthStatusResponse` (3.5's `auth status`).
pub fn auth_status(h: &ResponseHeader, enabled: bool, auth_revision: u64) -> Vec<u8> {
    let mut b = headed(h);
    put_bool(&mut b, 2, enabled);
    put_int(&mut b, 3, auth_revision as i64);
    b
}

/// Writes `bytes` as the console shows binary output (for commands that print without a
/// printer, as `auth status` does).
pub fn write_bytes(io: &mut Io, bytes: &[u8]) {
    let mut d = Stream::from(0);
    d.feed(io, bytes);
    d.finish(io);
}

impl Printer for ProtobufPrinter {
    fn name(&self) -> &'static str {
        "protobuf"
    }
    fn del(&self, io: &mut Io, r: &DeleteRangeResponse) -> PResult {
        self.write(io, &delete(r))
    }
    fn get(&self, io: &mut Io, r: &RangeResponse) -> PResult {
        // key by key: a large range is dumped without its bytes held whole
        let mut d = Stream::from(self.written.get());
        let mut b = headed(&r.header);
        d.feed(io, &b);
        for kv in &r.kvs {
            b.clear();
            put_msg(&mut b, 2, &key_value(kv));
            d.feed(io, &b);
        }
        b.clear();
        put_bool(&mut b, 3, r.more);
        put_int(&mut b, 4, r.count);
        d.feed(io, &b);
        self.written.set(d.finish(io));
        Ok(())
    }
    fn put(&self, io: &mut Io, r: &PutResponse) -> PResult {
        self.write(io, &put(r))
    }
    fn txn(&self, io: &mut Io, r: &TxnResponse) -> PResult {
        self.write(io, &txn(r))
    }
    fn watch(&self, io: &mut Io, r: &WatchResponse) -> PResult {
        // etcdctl rebuilds the response from what clientv3 kept of it
        let mut b = headed(&r.header);
        put_bool(&mut b, 3, r.created);
        put_bool(&mut b, 4, r.canceled);
        put_int(&mut b, 5, r.compact_revision);
        for e in &r.events {
            put_msg(&mut b, 11, &event(e));
        }
        self.write(io, &b)
    }
    fn grant(&self, io: &mut Io, r: &LeaseGrantResponse) -> PResult {
        self.header_only_raw(io, &r.header)
    }
    fn revoke(&self, _io: &mut Io, _id: i64, r: &LeaseRevokeResponse) -> PResult {
        let tail = if self.opts.version.is_3_5() {
            " {} [] 0"
        } else {
            ""
        };
        Err(Fail::new(
            EXIT_BAD_FEATURE,
            format!(
                "marshal unsupported for type clientv3.LeaseRevokeResponse ({{{}{}}})",
                header_text(&r.header),
                tail
            ),
        ))
    }
    fn keep_alive(&self, io: &mut Io, r: &LeaseKeepAliveResponse) -> PResult {
        self.header_only_raw(io, &r.header)
    }
    fn time_to_live(&self, io: &mut Io, r: &LeaseTimeToLiveResponse, _keys: bool) -> PResult {
        self.header_only_raw(io, &r.header)
    }
    fn leases(&self, io: &mut Io, r: &LeaseLeasesResponse) -> PResult {
        self.header_only_raw(io, &r.header)
    }
    fn member_add(&self, io: &mut Io, r: &MemberAddResponse) -> PResult {
        self.write(io, &members(&r.header, Some(&r.member), &r.members))
    }
    fn member_remove(&self, io: &mut Io, _id: u64, r: &MemberChangeResponse) -> PResult {
        self.write(io, &members(&r.header, None, &r.members))
    }
    fn member_update(&self, io: &mut Io, _id: u64, r: &MemberChangeResponse) -> PResult {
        self.write(io, &members(&r.header, None, &r.members))
    }
    fn member_promote(&self, io: &mut Io, _id: u64, r: &MemberChangeResponse) -> PResult {
        self.write(io, &members(&r.header, None, &r.members))
    }
    fn member_list(&self, io: &mut Io, r: &MemberListResponse) -> PResult {
        self.write(io, &members(&r.header, None, &r.members))
    }
    fn move_leader(&self, io: &mut Io, _leader: u64, _target: u64, r: &ResponseHeader) -> PResult {
        self.header_only(io, r)
    }
    fn alarm(&self, io: &mut Io, r: &AlarmResponse, _disarm: bool) -> PResult {
        let mut b = Vec::new();
        if self.opts.version.is_3_5() {
            put_msg(&mut b, 1, &header(&r.header));
        }
        for a in &r.alarms {
            let mut m = Vec::new();
            put_int(&mut m, 1, a.member_id as i64);
            put_int(&mut m, 2, a.alarm as i64);
            put_msg(&mut b, 2, &m);
        }
        self.write(io, &b)
    }
    fn role_add(&self, io: &mut Io, _role: &str, h: &ResponseHeader) -> PResult {
        self.header_only(io, h)
    }
    fn role_get(&self, io: &mut Io, _: &str, h: &ResponseHeader, ps: &[Permission]) -> PResult {
        let mut b = headed(h);
        for p in ps {
            let mut m = Vec::new();
            put_int(&mut m, 1, p.perm_type as i64);
            put_bytes(&mut m, 2, &p.key, false);
            put_bytes(&mut m, 3, &p.range_end, false);
            put_msg(&mut b, 2, &m);
        }
        self.write(io, &b)
    }
    fn role_delete(&self, io: &mut Io, _role: &str, h: &ResponseHeader) -> PResult {
        self.header_only(io, h)
    }
    fn role_list(&self, io: &mut Io, h: &ResponseHeader, roles: &[String]) -> PResult {
        self.header_strings(io, h, roles)
    }
    fn role_grant_permission(&self, io: &mut Io, _role: &str, h: &ResponseHeader) -> PResult {
        self.header_only(io, h)
    }
    fn role_revoke_permission(
        &self,
        io: &mut Io,
        _: &str,
        _: &str,
        _: &str,
        h: &ResponseHeader,
    ) -> PResult {
        self.header_only(io, h)
    }
    fn user_add(&self, io: &mut Io, _user: &str, h: &ResponseHeader) -> PResult {
        self.header_only(io, h)
    }
    fn user_get(&self, io: &mut Io, _user: &str, h: &ResponseHeader, roles: &[String]) -> PResult {
        self.header_strings(io, h, roles)
    }
    fn user_list(&self, io: &mut Io, h: &ResponseHeader, users: &[String]) -> PResult {
        self.header_strings(io, h, users)
    }
    fn user_change_password(&self, io: &mut Io, h: &ResponseHeader) -> PResult {
        self.header_only(io, h)
    }
    fn user_grant_role(&self, io: &mut Io, _: &str, _: &str, h: &ResponseHeader) -> PResult {
        self.header_only(io, h)
    }
    fn user_revoke_role(&self, io: &mut Io, _: &str, _: &str, h: &ResponseHeader) -> PResult {
        self.header_only(io, h)
    }
    fn user_delete(&self, io: &mut Io, _user: &str, h: &ResponseHeader) -> PResult {
        self.header_only(io, h)
    }
}

impl ProtobufPrinter {
    /// The lease commands: etcdctl marshals the bare `ResponseHeader`, not the response.
    fn header_only_raw(&self, io: &mut Io, h: &ResponseHeader) -> PResult {
        self.write(io, &header(h))
    }
}
