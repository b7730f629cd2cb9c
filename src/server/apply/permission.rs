//! The auth check of every request kind (etcd's `etcdserver/apply_auth.go`,
//! `v3_server.go` and the maintenance server's admin checks).
//!
//! Range needs read over `[key, range_end)`; put needs write on the key (and read with
//! `prev_kv`, and write on every key of the lease it attaches); delete-range needs write
//! (and read with `prev_kv`); a txn needs read for every compare and the above for every op of
//! both branches; revoking a lease needs write on its keys; HashKV, defragment, snapshot and
//! every auth change need the root role; a user may get itself, and a role it has.
//!
//! Owns: nothing. Must not touch: state.

use crate::api::{AuthRequest, EtcdError, Request, RequestOp};
use crate::auth::{self, AuthStore};
use crate::lease::Lessor;

fn lease_puts(
    auth: &AuthStore,
    lessor: &Lessor,
    user: &str,
    lease: i64,
) -> Result<(), auth::Error> {
    if let Some(l) = lessor.lookup(lease) {
        for k in &l.keys {
            auth.is_op_permitted(user, k, b"", true)?;
        }
    }
    Ok(())
}

fn txn_ops(auth: &AuthStore, user: &str, ops: &[RequestOp]) -> Result<(), auth::Error> {
    for op in ops {
        match op {
            RequestOp::Range(r) => auth.is_op_permitted(user, &r.key, &r.range_end, false)?,
            RequestOp::Put(p) => auth.is_op_permitted(user, &p.key, b"", true)?,
            RequestOp::DeleteRange(d) => {
                if d.prev_kv {
                    auth.is_op_permitted(user, &d.key, &d.range_end, false)?;
                }
                auth.is_op_permitted(user, &d.key, &d.range_end, true)?;
            }
            // etcd 3.4 does not descend into nested txns here.
            RequestOp::Txn(_) => {}
        }
    }
    Ok(())
}

pub fn check(
    auth: &AuthStore,
    lessor: &Lessor,
    token: Option<&str>,
    req: &Request,
) -> Result<(), EtcdError> {
    permitted(auth, lessor, token, req).map_err(EtcdError::from)
}

fn permitted(
    auth: &AuthStore,
    lessor: &Lessor,
    token: Option<&str>,
    req: &Request,
) -> Result<(), auth::Error> {
    let Some(user) = auth.user_of(token)? else {
        return Ok(());
    };
    let user = user.as_str();
    match req {
        Request::Range(r) => auth.is_op_permitted(user, &r.key, &r.range_end, false),
        Request::Put(p) => {
            auth.is_op_permitted(user, &p.key, b"", true)?;
            lease_puts(auth, lessor, user, p.lease)?;
            if p.prev_kv {
                auth.is_op_permitted(user, &p.key, b"", false)?;
            }
            Ok(())
        }
        Request::DeleteRange(d) => {
            auth.is_op_permitted(user, &d.key, &d.range_end, true)?;
            if d.prev_kv {
                auth.is_op_permitted(user, &d.key, &d.range_end, false)?;
            }
            Ok(())
        }
        Request::Txn(t) => {
            for c in &t.compare {
                auth.is_op_permitted(user, &c.key, &c.range_end, false)?;
            }
            txn_ops(auth, user, &t.success)?;
            txn_ops(auth, user, &t.failure)
        }
        Request::LeaseRevoke { id } => lease_puts(auth, lessor, user, *id),
        Request::HashKv { .. } | Request::Defragment | Request::Snapshot => {
            auth.is_admin_permitted(user)
        }
        Request::Auth(a) => match a {
            AuthRequest::Authenticate { .. } | AuthRequest::AuthenticateChecked { .. } => Ok(()),
            // any user may ask; without one, an enabled auth says the name is empty
            AuthRequest::Status if auth.is_enabled() && user.is_empty() => {
                Err(crate::auth::error::Error::UserEmpty)
            }
            AuthRequest::Status => Ok(()),
            AuthRequest::UserGet { name } => match auth.is_admin_permitted(user) {
                Err(e) if name != user => Err(e),
                _ => Ok(()),
            },
            AuthRequest::RoleGet { role } => match auth.is_admin_permitted(user) {
                Err(e) if !auth.has_role(user, role) => Err(e),
                _ => Ok(()),
            },
            _ => auth.is_admin_permitted(user),
        },
        _ => Ok(()),
    }
}
