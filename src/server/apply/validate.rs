//! The checks etcd makes on a request before proposing it (`etcdserver/api/v3rpc/key.go`):
//! empty keys, `ignore_value`/`ignore_lease` conflicts, the 128-operation limit of a txn and
//! the duplicate-key rule (no key may be written twice in one txn, nor written and deleted).
//!
//! Owns: nothing. Must not touch: state.

use crate::api::{
    errors, DeleteRangeRequest, EtcdError, PutRequest, RangeRequest, Request, RequestOp, TxnRequest,
};
use crate::lease::MAX_LEASE_TTL;

/// etcd's default `--max-txn-ops`.
pub const MAX_TXN_OPS: usize = 128;

/// Checks one request as etcd's gRPC layer does.
pub fn validate(req: &Request) -> Result<(), EtcdError> {
    match req {
        Request::Range(r) => check_range(r),
        Request::Put(p) => check_put(p),
        Request::DeleteRange(d) => check_delete(d),
        Request::Txn(t) => {
            check_txn(t, MAX_TXN_OPS)?;
            check_intervals(&t.success)?;
            check_intervals(&t.failure)?;
            Ok(())
        }
        Request::LeaseGrant(g) if g.ttl > MAX_LEASE_TTL => Err(errors::lease_ttl_too_large()),
        _ => Ok(()),
    }
}

fn check_range(r: &RangeRequest) -> Result<(), EtcdError> {
    if r.key.is_empty() {
        return Err(errors::empty_key());
    }
    Ok(())
}

fn check_put(p: &PutRequest) -> Result<(), EtcdError> {
    if p.key.is_empty() {
        return Err(errors::empty_key());
    }
    if p.ignore_value && !p.value.is_empty() {
        return Err(errors::value_provided());
    }
    if p.ignore_lease && p.lease != 0 {
        return Err(errors::lease_provided());
    }
    Ok(())
}

fn check_delete(d: &DeleteRangeRequest) -> Result<(), EtcdError> {
    if d.key.is_empty() {
        return Err(errors::empty_key());
    }
    Ok(())
}

fn check_txn(t: &TxnRequest, max_ops: usize) -> Result<(), EtcdError> {
    let opc = t.compare.len().max(t.success.len()).max(t.failure.len());
    if opc > max_ops {
        return Err(errors::too_many_ops());
    }
    if t.compare.iter().any(|c| c.key.is_empty()) {
        return Err(errors::empty_key());
    }
    for op in t.success.iter().chain(t.failure.iter()) {
        match op {
            RequestOp::Range(r) => check_range(r)?,
            RequestOp::Put(p) => check_put(p)?,
            RequestOp::DeleteRange(d) => check_delete(d)?,
            RequestOp::Txn(n) => check_txn(n, max_ops - opc)?,
        }
    }
    Ok(())
}

/// A delete's interval with etcd's affine string bounds (an empty end is +infinity; an empty
/// `range_end` in the request is the single key).
#[derive(Clone, Debug)]
struct Interval {
    begin: Vec<u8>,
    end: Vec<u8>,
}

fn less_affine(a: &[u8], b: &[u8]) -> bool {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => false,
        (false, true) => true,
        (false, false) => a < b,
    }
}

impl Interval {
    fn of_delete(d: &DeleteRangeRequest) -> Self {
        if d.range_end.is_empty() {
            let mut end = d.key.clone();
            end.push(0);
            Interval {
                begin: d.key.clone(),
                end,
            }
        } else {
            Interval {
                begin: d.key.clone(),
                end: d.range_end.clone(),
            }
        }
    }

    fn contains_point(&self, k: &[u8]) -> bool {
        let mut kend = k.to_vec();
        kend.push(0);
        less_affine(&self.begin, &kend) && less_affine(k, &self.end)
    }
}

type PutSet = std::collections::BTreeSet<Vec<u8>>;

fn check_intervals(reqs: &[RequestOp]) -> Result<(), EtcdError> {
    // The common case, a branch of plain puts (or puts and ranges): duplicate keys are the
    // only conflict, found by sorting borrowed keys (no copies, no tree).
    if reqs
        .iter()
        .all(|r| matches!(r, RequestOp::Put(_) | RequestOp::Range(_)))
    {
        let mut keys: Vec<&[u8]> = reqs
            .iter()
            .filter_map(|r| match r {
                RequestOp::Put(p) => Some(p.key.as_slice()),
                _ => None,
            })
            .collect();
        crate::sort::sort(&mut keys);
        if keys.windows(2).any(|w| w.first() == w.get(1)) {
            return Err(errors::duplicate_key());
        }
        return Ok(());
    }
    check_intervals_inner(reqs).map(|_| ())
}

/// etcd's `checkIntervals`: returns the puts and deletes of this level and below.
fn check_intervals_inner(reqs: &[RequestOp]) -> Result<(PutSet, Vec<Interval>), EtcdError> {
    let mut dels: Vec<Interval> = reqs
        .iter()
        .filter_map(|r| match r {
            RequestOp::DeleteRange(d) => Some(Interval::of_delete(d)),
            _ => None,
        })
        .collect();
    let hits = |dels: &[Interval], k: &[u8]| dels.iter().any(|iv| iv.contains_point(k));
    let mut puts = PutSet::new();
    for r in reqs {
        let RequestOp::Txn(t) = r else { continue };
        let (puts_then, dels_then) = check_intervals_inner(&t.success)?;
        let (puts_else, dels_else) = check_intervals_inner(&t.failure)?;
        for k in &puts_then {
            if puts.contains(k) || hits(&dels, k) {
                return Err(errors::duplicate_key());
            }
            puts.insert(k.clone());
        }
        for k in &puts_else {
            if puts.contains(k) && !puts_then.contains(k) {
                return Err(errors::duplicate_key());
            }
            if hits(&dels, k) {
                return Err(errors::duplicate_key());
            }
            puts.insert(k.clone());
        }
        dels.extend(dels_then);
        dels.extend(dels_else);
    }
    for r in reqs {
        let RequestOp::Put(p) = r else { continue };
        if puts.contains(&p.key) || hits(&dels, &p.key) {
            return Err(errors::duplicate_key());
        }
        puts.insert(p.key.clone());
    }
    Ok((puts, dels))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(k: &str) -> RequestOp {
        RequestOp::Put(PutRequest {
            key: k.into(),
            value: b"v".to_vec(),
            ..Default::default()
        })
    }

    fn del(k: &str, e: &str) -> RequestOp {
        RequestOp::DeleteRange(DeleteRangeRequest {
            key: k.into(),
            range_end: e.into(),
            prev_kv: false,
        })
    }

    fn txn(success: Vec<RequestOp>, failure: Vec<RequestOp>) -> Request {
        Request::Txn(TxnRequest {
            compare: vec![],
            success,
            failure,
        })
    }

    #[test]
    fn duplicate_keys() {
        assert_eq!(
            validate(&txn(vec![put("a"), put("a")], vec![])),
            Err(errors::duplicate_key())
        );
        assert_eq!(
            validate(&txn(vec![put("a"), del("a", "")], vec![])),
            Err(errors::duplicate_key())
        );
        assert_eq!(
            validate(&txn(vec![put("b"), del("a", "c")], vec![])),
            Err(errors::duplicate_key())
        );
        assert!(validate(&txn(vec![put("a")], vec![put("a")])).is_ok());
        assert!(validate(&txn(vec![del("a", ""), del("a", "")], vec![])).is_ok());
        // a nested txn's then and else may write the same key
        let nested = RequestOp::Txn(TxnRequest {
            compare: vec![],
            success: vec![put("k")],
            failure: vec![put("k")],
        });
        assert!(validate(&txn(vec![nested.clone()], vec![])).is_ok());
        assert_eq!(
            validate(&txn(vec![nested, put("k")], vec![])),
            Err(errors::duplicate_key())
        );
        // from-key delete: etcd compares "\0" literally, so it does not cover later keys
        assert!(validate(&txn(vec![del("a", "\0"), put("b")], vec![])).is_ok());
    }

    #[test]
    fn request_checks() {
        assert_eq!(
            validate(&Request::Range(RangeRequest::default())),
            Err(errors::empty_key())
        );
        let p = PutRequest {
            key: b"k".to_vec(),
            value: b"v".to_vec(),
            ignore_value: true,
            ..Default::default()
        };
        assert_eq!(validate(&Request::Put(p)), Err(errors::value_provided()));
        let p = PutRequest {
            key: b"k".to_vec(),
            lease: 5,
            ignore_lease: true,
            ..Default::default()
        };
        assert_eq!(validate(&Request::Put(p)), Err(errors::lease_provided()));
        let many = (0..129).map(|i| put(&format!("k{i}"))).collect();
        assert_eq!(validate(&txn(many, vec![])), Err(errors::too_many_ops()));
    }
}
