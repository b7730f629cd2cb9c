//! The member's backend as a bbolt file, laid out as etcd 3.4 lays it out: what a snapshot
//! downloads (`etcdctl snapshot save`), and what a restore reads back — from this playground
//! or from a real etcd.
//!
//! Buckets: `key` (revision bytes → `mvccpb.KeyValue`, tombstones marked `t`), `meta`
//! (`consistent_index`, the compaction marks; 3.5: `term`, `confState`), `lease` (ID → `leasepb.Lease`), `auth`
//! (`authRevision`, `authEnabled`), `authUsers`, `authRoles` (`authpb` records), `cluster`
//! (`clusterVersion`), `members` (hex ID → the member as JSON), `members_removed`, `alarm`.
//!
//! Owns: [`backend_file`], [`read_backend`]. Must not touch: the page layout (`bbolt`).

use std::collections::BTreeSet;

use super::apply::StateMachine;
use crate::api::proto_wire::{fields, put_bytes, put_int, Value};
use crate::api::{AlarmMember, AlarmType, Member as ApiMember};
use crate::auth::store::{Role, StoredPermission, User};
use crate::bbolt::{self, Bucket, Db, Entry};
use crate::mvcc::hash::marshal_stored;
use crate::mvcc::{KvStore, Revision, StoredKv};

/// What the member keeps beside the state machine in its backend.
pub struct Membership<'a> {
    pub members: Vec<&'a ApiMember>,
    pub removed: &'a BTreeSet<u64>,
    pub cluster_version: Option<&'a str>,
    pub alarms: &'a [AlarmMember],
    /// The index of the last applied entry.
    pub consistent_index: u64,
    /// etcd 3.5 also keeps the raft term and the voters (`meta`'s `term` and `confState`).
    pub raft_meta: Option<RaftMeta>,
}

/// What etcd 3.5 keeps of raft in its backend.
pub struct RaftMeta {
    pub term: u64,
    pub voters: Vec<u64>,
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn json_list(v: &[String]) -> String {
    let items: Vec<String> = v.iter().map(|s| json_str(s)).collect();
    format!("[{}]", items.join(","))
}

/// A member as etcd's membership store marshals it.
fn member_json(m: &ApiMember) -> String {
    let mut s = format!("{{\"id\":{},\"peerURLs\":{}", m.id, json_list(&m.peer_urls));
    if m.is_learner {
        s.push_str(",\"isLearner\":true");
    }
    if !m.name.is_empty() {
        s.push_str(&format!(",\"name\":{}", json_str(&m.name)));
    }
    if !m.client_urls.is_empty() {
        s.push_str(&format!(",\"clientURLs\":{}", json_list(&m.client_urls)));
    }
    s.push('}');
    s
}

fn user_record(u: &User) -> Vec<u8> {
    let mut b = Vec::new();
    put_bytes(&mut b, 1, u.name.as_bytes(), false);
    put_bytes(
        &mut b,
        2,
        u.password.as_deref().unwrap_or("").as_bytes(),
        false,
    );
    for r in &u.roles {
        put_bytes(&mut b, 3, r.as_bytes(), true);
    }
    let mut opts = Vec::new();
    put_int(&mut opts, 1, i64::from(u.no_password));
    put_bytes(&mut b, 4, &opts, true);
    b
}

fn role_record(r: &Role) -> Vec<u8> {
    let mut b = Vec::new();
    put_bytes(&mut b, 1, r.name.as_bytes(), false);
    for p in &r.perms {
        let mut pb = Vec::new();
        put_int(&mut pb, 1, i64::from(p.perm_type));
        put_bytes(&mut pb, 2, &p.key, false);
        put_bytes(&mut pb, 3, &p.range_end, false);
        put_bytes(&mut b, 2, &pb, true);
    }
    b
}

fn alarm_record(a: &AlarmMember) -> Vec<u8> {
    let mut b = Vec::new();
    put_int(&mut b, 1, a.member_id as i64);
    let kind = match a.alarm {
        AlarmType::None => 0,
        AlarmType::NoSpace => 1,
        AlarmType::Corrupt => 2,
    };
    put_int(&mut b, 2, kind);
    b
}

/// Room left after the file for the SHA-256 a snapshot stream appends (no regrowing).
const SHA_ROOM: usize = 32;

/// The backend file of `sm` with `m`, at least `min_size` bytes (the member's DB SIZE).
pub fn backend_file(sm: &StateMachine, m: &Membership<'_>, min_size: usize) -> Vec<u8> {
    let kv = &sm.kv;
    let n = kv.revision_count();
    let mut key = Bucket::with_capacity(
        "key",
        n,
        kv.history()
            .map(|(_, s)| 40 + s.key.len() + s.value.len())
            .sum(),
    );
    for (rev, s) in kv.history() {
        key.put(&rev.to_bytes(s.tombstone), &marshal_stored(s, *rev));
    }
    let mut meta = Bucket::new("meta");
    meta.put(b"consistent_index", &m.consistent_index.to_be_bytes());
    if let Some(r) = &m.raft_meta {
        let voters: Vec<String> = r.voters.iter().map(|v| v.to_string()).collect();
        let conf = format!("{{\"voters\":[{}],\"auto_leave\":false}}", voters.join(","));
        meta.put(b"confState", conf.as_bytes());
        meta.put(b"term", &r.term.to_be_bytes());
    }
    if kv.compact_rev() > 0 {
        let at = Revision::new(kv.compact_rev(), 0).to_bytes(false);
        meta.put(b"scheduledCompactRev", &at);
        meta.put(b"finishedCompactRev", &at);
    }
    let mut lease = Bucket::new("lease");
    for l in sm.lessor.leases() {
        let mut b = Vec::new();
        put_int(&mut b, 1, l.id);
        put_int(&mut b, 2, l.ttl);
        lease.put(&l.id.to_be_bytes(), &b);
    }
    let mut auth = Bucket::new("auth");
    auth.put(b"authRevision", &sm.auth.revision().to_be_bytes());
    if sm.auth.is_enabled() {
        auth.put(b"authEnabled", &[1]);
    }
    let mut users = Bucket::new("authUsers");
    for u in sm.auth.users() {
        users.put(u.name.as_bytes(), &user_record(u));
    }
    let mut roles = Bucket::new("authRoles");
    for r in sm.auth.roles() {
        roles.put(r.name.as_bytes(), &role_record(r));
    }
    let mut cluster = Bucket::new("cluster");
    if let Some(v) = m.cluster_version {
        cluster.put(b"clusterVersion", v.as_bytes());
    }
    let mut members = Bucket::new("members");
    for mb in &m.members {
        members.put(
            format!("{:x}", mb.id).as_bytes(),
            member_json(mb).as_bytes(),
        );
    }
    let mut removed = Bucket::new("members_removed");
    for id in m.removed {
        removed.put(format!("{id:x}").as_bytes(), b"removed");
    }
    let mut alarm = Bucket::new("alarm");
    for a in m.alarms {
        alarm.put(&alarm_record(a), b"");
    }
    let buckets = [
        key, meta, lease, auth, users, roles, cluster, members, removed, alarm,
    ];
    bbolt::write(&buckets, min_size, SHA_ROOM)
}

impl super::member::Member {
    /// This member's backend file (`member/snap/db`; what a snapshot streams), as large as
    /// the DB SIZE it reports.
    pub fn backend_file(&self) -> Vec<u8> {
        let m = Membership {
            members: self.members.values().collect(),
            removed: &self.removed,
            cluster_version: self.cluster_version.as_deref(),
            alarms: &self.alarms,
            consistent_index: self.applied,
            raft_meta: self.version.is_3_5().then(|| RaftMeta {
                term: self.node.raft.term,
                voters: self
                    .members
                    .values()
                    .filter(|m| !m.is_learner)
                    .map(|m| m.id)
                    .collect(),
            }),
        };
        let min = usize::try_from(self.sm.kv.db_size()).unwrap_or(0);
        backend_file(&self.sm, &m, min)
    }
}

fn be_u64(b: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(b.get(..8)?.try_into().ok()?))
}

fn int(v: &Value<'_>) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i as i64),
        _ => None,
    }
}

fn bytes<'a>(v: &Value<'a>) -> Option<&'a [u8]> {
    match v {
        Value::Bytes(b) => Some(b),
        _ => None,
    }
}

fn text(v: &Value<'_>) -> Option<String> {
    bytes(v).map(|b| String::from_utf8_lossy(b).into_owned())
}

/// A "key" bucket entry: its revision and what it stores.
fn key_entry(e: &Entry<'_>) -> Option<(Revision, StoredKv)> {
    let tombstone = match e.key.len() {
        17 => false,
        18 if e.key[17] == b't' => true,
        _ => return None,
    };
    if e.key[8] != b'_' {
        return None;
    }
    let main = i64::try_from(be_u64(&e.key[..8])?).ok()?;
    let sub = i64::try_from(be_u64(&e.key[9..17])?).ok()?;
    let mut kv = StoredKv {
        key: Vec::new().into(),
        value: Default::default(),
        create_revision: 0,
        version: 0,
        lease: 0,
        tombstone,
        prev: Revision::default(),
    };
    for (f, v) in fields(e.value)? {
        match f {
            1 => kv.key = bytes(&v)?.to_vec().into(),
            2 => kv.create_revision = int(&v)?,
            4 => kv.version = int(&v)?,
            5 => kv.value = bytes(&v)?.into(),
            6 => kv.lease = int(&v)?,
            _ => {}
        }
    }
    if main < 1 || kv.key.is_empty() || (!tombstone && kv.create_revision < 1) {
        return None;
    }
    Some((Revision::new(main, sub), kv))
}

fn user_entry(e: &Entry<'_>) -> Option<User> {
    let mut u = User {
        name: String::new(),
        password: None,
        roles: Vec::new(),
        no_password: false,
    };
    for (f, v) in fields(e.value)? {
        match f {
            1 => u.name = text(&v)?,
            2 => u.password = Some(text(&v)?).filter(|p| !p.is_empty()),
            3 => u.roles.push(text(&v)?),
            4 => {
                for (of, ov) in fields(bytes(&v)?)? {
                    if of == 1 {
                        u.no_password = int(&ov)? != 0;
                    }
                }
            }
            _ => {}
        }
    }
    crate::sort::sort(&mut u.roles);
    u.roles.dedup();
    Some(u).filter(|u| !u.name.is_empty())
}

fn role_entry(e: &Entry<'_>) -> Option<Role> {
    let mut r = Role {
        name: String::new(),
        perms: Vec::new(),
    };
    for (f, v) in fields(e.value)? {
        match f {
            1 => r.name = text(&v)?,
            2 => {
                let mut p = StoredPermission {
                    perm_type: 0,
                    key: Vec::new(),
                    range_end: Vec::new(),
                };
                for (pf, pv) in fields(bytes(&v)?)? {
                    match pf {
                        1 => p.perm_type = u8::try_from(int(&pv)?).ok().filter(|t| *t <= 2)?,
                        2 => p.key = bytes(&pv)?.to_vec(),
                        3 => p.range_end = bytes(&pv)?.to_vec(),
                        _ => {}
                    }
                }
                r.perms.push(p);
            }
            _ => {}
        }
    }
    crate::sort::sort_by(&mut r.perms, |a, b| a.key.cmp(&b.key));
    Some(r).filter(|r| !r.name.is_empty())
}

/// Why a bucket's entry is refused.
fn bad(bucket: &str, i: usize) -> String {
    format!("invalid database: entry {i} of bucket \"{bucket}\" does not read as etcd wrote it")
}

fn entries<'a>(db: &Db<'a>, name: &str) -> Result<Vec<Entry<'a>>, String> {
    Ok(db.bucket(name.as_bytes())?.unwrap_or_default())
}

/// The state machine in a snapshot file's database: a bbolt file, or the member state the
/// playground's earlier files held.
pub fn state_of(db: &[u8]) -> Result<StateMachine, String> {
    match Db::open(db) {
        Ok(db) => read_backend(&db),
        Err(_) => StateMachine::from_raft_snapshot(db).map_err(|_| "invalid database".to_string()),
    }
}

/// The state machine a backend file holds (the v2 store is not in it: a fresh one).
pub fn read_backend(db: &Db<'_>) -> Result<StateMachine, String> {
    let mut sm = StateMachine::new();
    let mut revs = Vec::new();
    for (i, e) in entries(db, "key")?.iter().enumerate() {
        revs.push(key_entry(e).ok_or_else(|| bad("key", i))?);
    }
    let mut compact = -1;
    for e in entries(db, "meta")? {
        if e.key == b"finishedCompactRev" {
            compact = be_u64(e.value)
                .and_then(|v| i64::try_from(v).ok())
                .ok_or_else(|| bad("meta", 0))?;
        }
    }
    sm.kv = KvStore::from_bucket(revs, compact);
    for (i, e) in entries(db, "lease")?.iter().enumerate() {
        let f = fields(e.value).ok_or_else(|| bad("lease", i))?;
        let get = |n| f.iter().find(|(k, _)| *k == n).and_then(|(_, v)| int(v));
        let id = get(1).unwrap_or(0);
        let ttl = get(2).unwrap_or(0);
        sm.lessor
            .grant(id, ttl, std::time::Duration::ZERO)
            .map_err(|_| bad("lease", i))?;
    }
    // each key's lease is the one its newest put names
    let mut leases: std::collections::BTreeMap<&[u8], i64> = std::collections::BTreeMap::new();
    for (_, s) in sm.kv.history().filter(|(_, s)| !s.tombstone) {
        leases.insert(&s.key, s.lease);
    }
    for (k, lease) in leases {
        if lease != 0 && sm.kv.key_index(k).is_some_and(|ki| ki.is_live()) {
            let _ = sm.lessor.attach(lease, k);
        }
    }
    let (mut enabled, mut revision) = (false, 1);
    for e in entries(db, "auth")? {
        match e.key {
            b"authEnabled" => enabled = e.value == [1],
            b"authRevision" => revision = be_u64(e.value).ok_or_else(|| bad("auth", 0))?,
            _ => {}
        }
    }
    let mut users = Vec::new();
    for (i, e) in entries(db, "authUsers")?.iter().enumerate() {
        users.push(user_entry(e).ok_or_else(|| bad("authUsers", i))?);
    }
    let mut roles = Vec::new();
    for (i, e) in entries(db, "authRoles")?.iter().enumerate() {
        roles.push(role_entry(e).ok_or_else(|| bad("authRoles", i))?);
    }
    sm.auth = crate::auth::AuthStore::restored(enabled, revision, users, roles);
    Ok(sm)
}

#[cfg(test)]
#[path = "backend_file_test.rs"]
mod tests;
