//! The v2 side of one member (`applierV2store` plus the checks of etcd's v2 HTTP handlers):
//! turns [`V2Request`]s into store operations under the `/1` namespace, checks v2 auth,
//! expires TTL keys on SYNC, and keeps the cluster data etcd writes under `/0`.
//!
//! The member owns one [`ApplierV2`] inside its state machine and feeds it committed
//! requests in log order; every member computes the same answers and the same index.

use super::auth::{insufficient_credentials, AuthError, AuthStore, RwPermission};
use super::store::Store;
use super::{STORE_CLUSTER_PREFIX, STORE_KEYS_PREFIX};
use crate::api::v2::error::{V2Error, ECODE_UNAUTHORIZED};
use crate::api::v2::event::Event;
use crate::api::v2::path::{clean, join};
use crate::api::v2::*;

/// The cluster version etcd 3.4 records under `/0/version`.
pub const CLUSTER_VERSION: &str = "3.4.0";

/// One member of the initial cluster, for [`ApplierV2::bootstrap`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BootstrapMember {
    pub id: u64,
    pub name: String,
    pub peer_urls: Vec<String>,
    pub client_urls: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ApplierV2 {
    pub store: Store,
}

impl Default for ApplierV2 {
    fn default() -> Self {
        ApplierV2::new()
    }
}

fn quote_list(urls: &[String]) -> String {
    serde_json::to_string(urls).unwrap_or_else(|_| "[]".to_string())
}

impl ApplierV2 {
    /// An empty store with etcd's namespaces `/0` and `/1` (index 0).
    pub fn new() -> ApplierV2 {
        ApplierV2 {
            store: Store::new(&[STORE_CLUSTER_PREFIX, STORE_KEYS_PREFIX]),
        }
    }

    /// The store of a freshly started cluster: every member added (one index each), every
    /// member's attributes published (one each), the cluster version set (one): index 7 for
    /// three members, so the first user write gets index 8.
    pub fn bootstrap(members: &[BootstrapMember], now: i64) -> ApplierV2 {
        let mut a = ApplierV2::new();
        for m in members {
            a.member_add(m.id, &m.peer_urls, false, now);
        }
        for m in members {
            a.publish_attributes(m.id, &m.name, &m.client_urls, now);
        }
        a.set_cluster_version(CLUSTER_VERSION, now);
        a
    }

    fn member_key(id: u64) -> String {
        format!("/0/members/{:x}", id)
    }

    fn raft_attributes(peer_urls: &[String], is_learner: bool) -> String {
        if is_learner {
            format!(
                "{{\"peerURLs\":{},\"isLearner\":true}}",
                quote_list(peer_urls)
            )
        } else {
            format!("{{\"peerURLs\":{}}}", quote_list(peer_urls))
        }
    }

    /// A member joins (conf change applied): `/0/members/<id>/raftAttributes`, one index.
    pub fn member_add(&mut self, id: u64, peer_urls: &[String], is_learner: bool, now: i64) {
        let p = format!("{}/raftAttributes", Self::member_key(id));
        let _ = self.store.create(
            &p,
            false,
            &Self::raft_attributes(peer_urls, is_learner),
            false,
            None,
            now,
        );
    }

    /// A member leaves: its directory goes (one index) and `/0/removed_members/<id>` is
    /// created (one index).
    pub fn member_remove(&mut self, id: u64, now: i64) {
        let _ = self.store.delete(&Self::member_key(id), true, true, now);
        let _ = self.store.create(
            &format!("/0/removed_members/{:x}", id),
            false,
            "",
            false,
            None,
            now,
        );
    }

    /// A member's peer URLs change (or a learner is promoted): one index.
    pub fn member_update(&mut self, id: u64, peer_urls: &[String], is_learner: bool, now: i64) {
        let p = format!("{}/raftAttributes", Self::member_key(id));
        let _ = self.store.update(
            &p,
            &Self::raft_attributes(peer_urls, is_learner),
            None,
            false,
            now,
        );
    }

    /// A started member publishes its name and client URLs: one index.
    pub fn publish_attributes(&mut self, id: u64, name: &str, client_urls: &[String], now: i64) {
        let p = format!("{}/attributes", Self::member_key(id));
        let v = format!(
            "{{\"name\":{},\"clientURLs\":{}}}",
            serde_json::to_string(name).unwrap_or_default(),
            quote_list(client_urls)
        );
        let _ = self.store.set(&p, false, &v, None, false, now);
    }

    pub fn set_cluster_version(&mut self, version: &str, now: i64) {
        let _ = self
            .store
            .set("/0/version", false, version, None, false, now);
    }

    /// Whether the leader must keep proposing SYNC requests.
    pub fn has_ttl_keys(&self) -> bool {
        self.store.has_ttl_keys()
    }

    pub fn index(&self) -> u64 {
        self.store.index()
    }

    /// A key of the v2 keyspace as this member's store holds it, without expiring anything:
    /// `Some(Some(value))` for a key, `Some(None)` for a directory, `None` when absent
    /// (lessons' checks read it; `now` 0 sees TTL keys not yet expired by a SYNC).
    pub fn peek(&self, key: &str) -> Option<Option<String>> {
        let p = join(STORE_KEYS_PREFIX, &clean(key));
        let e = self.store.get(&p, false, false, 0).ok()?;
        let node = e.node;
        Some(if node.dir { None } else { node.value })
    }

    /// Serves a read-only request ([`V2Request::is_read`]) from this member's store. A keys
    /// get or watch is answered in place; anything else (or a get while auth is on, or while
    /// a TTL node is due) is answered as if applied on a copy, leaving the store unchanged.
    pub fn read(&self, req: &V2Request) -> V2Response {
        if let V2Op::Keys(k) = &req.op {
            let due = self.store.next_expiry().is_some_and(|t| t <= req.now);
            let auth_on = self
                .store
                .get("/2/enabled", false, false, req.now)
                .ok()
                .and_then(|e| e.node.value)
                .as_deref()
                == Some("true");
            if k.method == Method::Get && !due && !auth_on {
                return keys_read(&self.store, k, req.now);
            }
        }
        self.clone().apply(req)
    }

    /// Applies (or, for reads, serves) one request.
    ///
    /// Before a keys or auth request, every TTL node whose time has come by the request's
    /// `now` expires, as the leader's periodic SYNC would have done by then; this keeps expiry
    /// right even while no SYNC is proposed (SYNC still expires keys nobody asks about, and
    /// wakes watches on them).
    pub fn apply(&mut self, req: &V2Request) -> V2Response {
        let creds = req
            .credentials
            .as_ref()
            .map(|c| (c.username.as_str(), c.password.as_str()));
        if !matches!(req.op, V2Op::Sync { .. }) && req.now > 0 {
            self.store.delete_expired_keys(req.now);
        }
        match &req.op {
            V2Op::Sync { time } => {
                self.store.delete_expired_keys(*time);
                V2Response::Done
            }
            V2Op::Keys(k) => self.keys(k, creds, req.now),
            V2Op::Auth(op) => match self.auth(op, creds, req.now) {
                Ok(r) => r,
                Err(e) => V2Response::AuthError {
                    status: e.status,
                    message: e.message,
                },
            },
        }
    }

    fn keys(&mut self, k: &KeysRequest, creds: Option<(&str, &str)>, now: i64) -> V2Response {
        let user_key = clean(&k.path);
        let write = k.method != Method::Get;
        {
            let auth = AuthStore {
                store: &mut self.store,
                now,
            };
            if !auth.has_key_prefix_access(creds, &user_key, k.recursive, write) {
                return V2Response::Error(V2Error::new(
                    ECODE_UNAUTHORIZED,
                    "Insufficient credentials",
                    0,
                ));
            }
        }
        let p = join(STORE_KEYS_PREFIX, &user_key);
        let expire = if k.expiration != 0 {
            Some(k.expiration)
        } else {
            None
        };
        if k.method == Method::Get {
            return keys_read(&self.store, k, now);
        }
        let s = &mut self.store;
        let result: Result<Event, V2Error> = match k.method {
            Method::Get => return keys_read(s, k, now),
            Method::Post => s.create(&p, k.dir, &k.val, true, expire, now),
            Method::Put => match k.prev_exist {
                Some(true) => {
                    if k.prev_index == 0 && k.prev_value.is_empty() {
                        s.update(&p, &k.val, expire, k.refresh, now)
                    } else {
                        s.compare_and_swap(
                            &p,
                            &k.prev_value,
                            k.prev_index,
                            &k.val,
                            expire,
                            k.refresh,
                            now,
                        )
                    }
                }
                Some(false) => s.create(&p, k.dir, &k.val, false, expire, now),
                None if k.prev_index > 0 || !k.prev_value.is_empty() => s.compare_and_swap(
                    &p,
                    &k.prev_value,
                    k.prev_index,
                    &k.val,
                    expire,
                    k.refresh,
                    now,
                ),
                None => s.set(&p, k.dir, &k.val, expire, k.refresh, now),
            },
            Method::Delete => {
                if k.prev_index > 0 || !k.prev_value.is_empty() {
                    s.compare_and_delete(&p, &k.prev_value, k.prev_index, now)
                } else {
                    s.delete(&p, k.dir, k.recursive, now)
                }
            }
        };
        match result {
            Ok(mut e) => {
                e.trim_prefix(STORE_KEYS_PREFIX);
                V2Response::Event(e)
            }
            Err(e) => V2Response::Error(trim_error(e)),
        }
    }

    fn auth(
        &mut self,
        op: &AuthOp,
        creds: Option<(&str, &str)>,
        now: i64,
    ) -> Result<V2Response, AuthError> {
        let mut a = AuthStore {
            store: &mut self.store,
            now,
        };
        // Enable/disable need root only to change; everything else needs root once enabled.
        let needs_root = !matches!(op, AuthOp::Enabled);
        if needs_root && !a.has_root_access(creds) {
            return Err(insufficient_credentials());
        }
        Ok(match op {
            AuthOp::Enabled => V2Response::AuthEnabled(a.auth_enabled()),
            AuthOp::Enable => {
                a.enable_auth()?;
                V2Response::Done
            }
            AuthOp::Disable => {
                a.disable_auth()?;
                V2Response::Done
            }
            AuthOp::UserList => {
                let users = a.all_users();
                for u in &users {
                    a.get_user(u)?;
                }
                V2Response::Users(users)
            }
            AuthOp::UserGet { name } => {
                let u = a.get_user(name)?;
                let roles = u.roles.unwrap_or_default();
                for r in &roles {
                    a.get_role(r)?;
                }
                V2Response::User(UserInfo {
                    user: u.user,
                    roles,
                })
            }
            AuthOp::UserPut { name, password } => {
                if a.create_or_update_user(name, password)? {
                    V2Response::Created
                } else {
                    V2Response::Done
                }
            }
            AuthOp::UserRemove { name } => {
                a.delete_user(name)?;
                V2Response::Done
            }
            AuthOp::UserGrant { name, roles } => {
                a.update_user(name, "", roles, &[])?;
                V2Response::Done
            }
            AuthOp::UserRevoke { name, roles } => {
                a.update_user(name, "", &[], roles)?;
                V2Response::Done
            }
            AuthOp::RoleList => {
                let roles = a.all_roles();
                for r in &roles {
                    a.get_role(r)?;
                }
                V2Response::Roles(roles)
            }
            AuthOp::RoleGet { name } => {
                let r = a.get_role(name)?;
                V2Response::Role(RoleInfo {
                    role: r.role,
                    read: r.permissions.kv.read.unwrap_or_default(),
                    write: r.permissions.kv.write.unwrap_or_default(),
                })
            }
            AuthOp::RoleAdd { name } => {
                a.create_role(
                    name,
                    super::auth::Role {
                        role: name.clone(),
                        ..Default::default()
                    },
                )?;
                V2Response::Created
            }
            AuthOp::RoleRemove { name } => {
                a.delete_role(name)?;
                V2Response::Done
            }
            AuthOp::RoleGrant { name, read, write } => {
                let g = RwPermission {
                    read: Some(read.clone()),
                    write: Some(write.clone()),
                };
                a.update_role(name, Some(&g), None)?;
                V2Response::Done
            }
            AuthOp::RoleRevoke { name, read, write } => {
                let r = RwPermission {
                    read: Some(read.clone()),
                    write: Some(write.clone()),
                };
                a.update_role(name, None, Some(&r))?;
                V2Response::Done
            }
        })
    }
}

/// A keys get or watch, answered from the store as it is.
fn keys_read(s: &Store, k: &KeysRequest, now: i64) -> V2Response {
    let p = join(STORE_KEYS_PREFIX, &clean(&k.path));
    if k.wait {
        let start = if k.watch_start_index == 0 {
            s.index()
        } else {
            k.watch_start_index
        };
        return match s.watch(&p, k.recursive, k.since, start) {
            Ok((event, since)) => V2Response::Watch {
                event: event.map(|mut e| {
                    e.trim_prefix(STORE_KEYS_PREFIX);
                    e
                }),
                since,
                start_index: start,
            },
            Err(e) => V2Response::Error(trim_error(e)),
        };
    }
    match s.get(&p, k.recursive, k.sorted, now) {
        Ok(mut e) => {
            e.trim_prefix(STORE_KEYS_PREFIX);
            V2Response::Event(e)
        }
        Err(e) => V2Response::Error(trim_error(e)),
    }
}

/// Removes the `/1` namespace from an error's cause (`trimErrorPrefix`).
fn trim_error(mut e: V2Error) -> V2Error {
    if let Some(rest) = e.cause.strip_prefix(STORE_KEYS_PREFIX) {
        e.cause = rest.to_string();
    }
    e
}
