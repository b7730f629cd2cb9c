//! The backend quota and the NOSPACE alarm (etcd's `quota.go`, `applierV3Capped`).
//!
//! `--quota-backend-bytes` (0: etcd's default of 2 GiB; negative: no quota) bounds the
//! backend file. A put, a txn that puts, or a lease grant whose cost would take this
//! member's file to the quota is refused with `etcdserver: mvcc: database space exceeded`,
//! and the member proposes the NOSPACE alarm for itself. Applying an entry checks the same
//! quota: a write that crosses it is applied, answered with that error, and raises the alarm
//! if none is on. While a NOSPACE alarm is on anywhere in the cluster, every member refuses
//! to apply puts, txns that put and lease grants; reads, deletes, compaction, defrag and
//! `alarm disarm` still work.
//!
//! Owns: the quota, the costs, when the alarm is raised. Must not touch: the store's size
//! (`mvcc::backend_size`), the alarm list itself (applied like any request).

use super::member::Member;
use super::payload::Payload;
use crate::api::{errors, AlarmAction, AlarmMember, AlarmType, EtcdError, Request, RequestOp};
use crate::raft::Entry;

/// etcd's default quota: 2 GiB.
pub const DEFAULT_QUOTA_BYTES: i64 = 2 * 1024 * 1024 * 1024;

/// etcd's estimates of what a key's metadata and a lease cost in the backend.
const KV_OVERHEAD: i64 = 256;
const LEASE_OVERHEAD: i64 = 64;

fn cost_put(key: &[u8], value: &[u8]) -> i64 {
    KV_OVERHEAD
        .saturating_add(key.len() as i64)
        .saturating_add(value.len() as i64)
}

fn cost_ops(ops: &[RequestOp]) -> i64 {
    ops.iter()
        .map(|op| match op {
            RequestOp::Put(p) => cost_put(&p.key, &p.value),
            _ => 0,
        })
        .fold(0, i64::saturating_add)
}

/// What a request would add to the backend, as etcd estimates it: puts, txns that put
/// (the larger branch) and lease grants cost something; everything else nothing.
pub fn cost(req: &Request) -> i64 {
    match req {
        Request::Put(p) => cost_put(&p.key, &p.value),
        Request::Txn(t) => cost_ops(&t.success).max(cost_ops(&t.failure)),
        Request::LeaseGrant(_) => LEASE_OVERHEAD,
        _ => 0,
    }
}

/// An alarm as etcd prints it (the protobuf text form, trailing space included).
pub fn alarm_text(a: &AlarmMember) -> String {
    let name = match a.alarm {
        AlarmType::None => "NONE",
        AlarmType::NoSpace => "NOSPACE",
        AlarmType::Corrupt => "CORRUPT",
    };
    format!("memberID:{} alarm:{} ", a.member_id, name)
}

impl Member {
    /// Sets `--quota-backend-bytes`.
    pub fn set_quota_backend_bytes(&mut self, bytes: i64) {
        self.quota_backend_bytes = bytes;
    }

    pub fn quota_backend_bytes(&self) -> i64 {
        self.quota_backend_bytes
    }

    /// Whether this member's backend has room for `req` (etcd's `backendQuota.Available`).
    pub(super) fn quota_available(&self, req: &Request) -> bool {
        let c = cost(req);
        if c == 0 || self.quota_backend_bytes < 0 {
            return true;
        }
        let max = if self.quota_backend_bytes == 0 {
            DEFAULT_QUOTA_BYTES
        } else {
            self.quota_backend_bytes
        };
        self.sm.kv.db_size().saturating_add(c) < max
    }

    /// Whether a NOSPACE alarm is on (for any member).
    pub(crate) fn nospace(&self) -> bool {
        self.alarms.iter().any(|a| a.alarm == AlarmType::NoSpace)
    }

    /// Proposes the NOSPACE alarm for this member (also when the page's storage is full).
    pub(crate) fn raise_nospace(&mut self) {
        let p = Payload::Request {
            id: self.next_request_id(),
            req: Request::Alarm {
                action: AlarmAction::Activate,
                member_id: self.config.id,
                alarm: AlarmType::NoSpace,
            },
            auth_token: None,
        };
        self.propose_entry(
            0,
            Entry {
                data: p.encode().into(),
                ..Default::default()
            },
        );
    }

    /// The quota check of a request this member is about to propose: refused (and the alarm
    /// raised) when it does not fit.
    pub(super) fn check_quota(&mut self, req: &Request) -> Result<(), EtcdError> {
        if self.quota_available(req) {
            return Ok(());
        }
        self.raise_nospace();
        Err(errors::no_space())
    }

    /// Whether applying `req` is refused because a NOSPACE alarm is on (`applierV3Capped`).
    pub(super) fn capped(&self, req: &Request) -> bool {
        self.nospace() && cost(req) > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{PutRequest, TxnRequest};

    #[test]
    fn costs_as_etcd_estimates_them() {
        let put = PutRequest {
            key: b"k".to_vec(),
            value: vec![0; 100],
            ..Default::default()
        };
        assert_eq!(cost(&Request::Put(put.clone())), 357);
        let txn = TxnRequest {
            compare: vec![],
            success: vec![RequestOp::Put(put.clone()), RequestOp::Put(put)],
            failure: vec![],
        };
        assert_eq!(cost(&Request::Txn(txn)), 714);
        assert_eq!(cost(&Request::Txn(TxnRequest::default())), 0);
    }

    #[test]
    fn alarms_print_as_etcd_prints_them() {
        let a = AlarmMember {
            member_id: 9372538179322589801,
            alarm: AlarmType::NoSpace,
        };
        assert_eq!(
            alarm_text(&a),
            "memberID:9372538179322589801 alarm:NOSPACE "
        );
    }
}
