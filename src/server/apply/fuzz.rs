//! An interpreter that reads arbitrary bytes as a sequence of requests against a
//! [`StateMachine`], for fuzzing (`fuzz/fuzz_targets/state_machine.rs`) and for the
//! random-bytes test (`tests/fuzz_ops.rs`). It must never panic; it checks a few invariants
//! (the revision never goes down, a snapshot restores the same store, HashKV is stable).
//!
//! Owns: nothing. Must not touch: anything outside the state machine it builds.

use std::time::Duration;

use super::{ApplyContext, StateMachine};
use crate::api::*;

struct Bytes<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos = self.pos.saturating_add(1);
        b
    }
    fn done(&self) -> bool {
        self.pos >= self.data.len()
    }
    fn small(&mut self, n: u8) -> u8 {
        self.byte() % n.max(1)
    }
    fn int(&mut self) -> i64 {
        match self.small(6) {
            0 => 0,
            1 => i64::from(self.byte()),
            2 => -i64::from(self.byte()),
            3 => i64::MAX - i64::from(self.byte()),
            4 => i64::MIN + i64::from(self.byte()),
            _ => i64::from(self.small(20)),
        }
    }
    fn key(&mut self) -> Vec<u8> {
        const ALPHA: &[u8] = b"ab/\x00\xff";
        let len = self.small(4) as usize;
        (0..len)
            .map(|_| ALPHA[self.small(ALPHA.len() as u8) as usize])
            .collect()
    }
    fn end(&mut self) -> Vec<u8> {
        match self.small(4) {
            0 => Vec::new(),
            1 => vec![0],
            _ => self.key(),
        }
    }
    fn text(&mut self) -> String {
        const WORDS: &[&str] = &["root", "alice", "r", "", "pw", "x"];
        WORDS[self.small(WORDS.len() as u8) as usize].to_string()
    }
}

fn range(b: &mut Bytes<'_>) -> RangeRequest {
    RangeRequest {
        key: b.key(),
        range_end: b.end(),
        limit: b.int(),
        revision: b.int(),
        sort_order: [SortOrder::None, SortOrder::Ascend, SortOrder::Descend][b.small(3) as usize],
        sort_target: [
            SortTarget::Key,
            SortTarget::Version,
            SortTarget::Create,
            SortTarget::Mod,
            SortTarget::Value,
        ][b.small(5) as usize],
        serializable: false,
        keys_only: b.small(2) == 1,
        count_only: b.small(2) == 1,
        min_mod_revision: b.int(),
        max_mod_revision: b.int(),
        min_create_revision: b.int(),
        max_create_revision: b.int(),
    }
}

fn put(b: &mut Bytes<'_>) -> PutRequest {
    PutRequest {
        key: b.key(),
        value: b.key(),
        lease: if b.small(3) == 0 { b.int() } else { 0 },
        prev_kv: b.small(2) == 1,
        ignore_value: b.small(4) == 0,
        ignore_lease: b.small(4) == 0,
    }
}

fn op(b: &mut Bytes<'_>, depth: u8) -> RequestOp {
    match b.small(if depth > 0 { 4 } else { 3 }) {
        0 => RequestOp::Range(range(b)),
        1 => RequestOp::Put(put(b)),
        2 => RequestOp::DeleteRange(DeleteRangeRequest {
            key: b.key(),
            range_end: b.end(),
            prev_kv: b.small(2) == 1,
        }),
        _ => RequestOp::Txn(txn(b, depth - 1)),
    }
}

fn txn(b: &mut Bytes<'_>, depth: u8) -> TxnRequest {
    let nc = b.small(3);
    let compare = (0..nc)
        .map(|_| Compare {
            result: [
                CompareResult::Equal,
                CompareResult::Greater,
                CompareResult::Less,
                CompareResult::NotEqual,
            ][b.small(4) as usize],
            target: match b.small(5) {
                0 => CompareTarget::Version(b.int()),
                1 => CompareTarget::Create(b.int()),
                2 => CompareTarget::Mod(b.int()),
                3 => CompareTarget::Value(b.key()),
                _ => CompareTarget::Lease(b.int()),
            },
            key: b.key(),
            range_end: b.end(),
        })
        .collect();
    let ns = b.small(4);
    let success = (0..ns).map(|_| op(b, depth)).collect();
    let nf = b.small(4);
    let failure = (0..nf).map(|_| op(b, depth)).collect();
    TxnRequest {
        compare,
        success,
        failure,
    }
}

/// Runs the bytes as requests. Panics only if an invariant breaks (that is a bug).
pub fn run(data: &[u8]) {
    let mut sm = StateMachine::new();
    sm.set_bcrypt_cost(4);
    let mut b = Bytes { data, pos: 0 };
    let mut now = Duration::ZERO;
    let mut watches: Vec<i64> = Vec::new();
    let mut tokens: Vec<String> = Vec::new();
    let mut steps = 0u32;
    while !b.done() && steps < 200 {
        steps += 1;
        let ctx = ApplyContext {
            member_id: 1,
            now,
            index: u64::from(steps),
        };
        let before = sm.revision();
        let req = match b.small(16) {
            0 | 1 => Request::Put(put(&mut b)),
            2 => Request::Range(range(&mut b)),
            3 => Request::DeleteRange(DeleteRangeRequest {
                key: b.key(),
                range_end: b.end(),
                prev_kv: b.small(2) == 1,
            }),
            4 | 5 => Request::Txn(txn(&mut b, 2)),
            6 => Request::Compaction(CompactionRequest {
                revision: b.int(),
                physical: false,
            }),
            7 => Request::LeaseGrant(LeaseGrantRequest {
                ttl: b.int(),
                id: b.int(),
            }),
            8 => Request::LeaseRevoke { id: b.int() },
            9 => Request::LeaseKeepAlive { id: b.int() },
            10 => Request::LeaseTimeToLive {
                id: b.int(),
                keys: true,
            },
            11 => Request::HashKv { revision: b.int() },
            12 => {
                let a = match b.small(12) {
                    0 => AuthRequest::Enable,
                    1 => AuthRequest::Disable,
                    2 => AuthRequest::UserAdd {
                        name: b.text(),
                        password: b.text(),
                        no_password: b.small(2) == 1,
                    },
                    3 => AuthRequest::UserGrantRole {
                        user: b.text(),
                        role: b.text(),
                    },
                    4 => AuthRequest::RoleAdd { name: b.text() },
                    5 => AuthRequest::RoleGrantPermission {
                        name: b.text(),
                        perm: Permission {
                            perm_type: [
                                PermissionType::Read,
                                PermissionType::Write,
                                PermissionType::ReadWrite,
                            ][b.small(3) as usize],
                            key: b.key(),
                            range_end: b.end(),
                        },
                    },
                    6 => AuthRequest::UserDelete { name: b.text() },
                    7 => AuthRequest::RoleDelete { role: b.text() },
                    8 => AuthRequest::UserRevokeRole {
                        name: b.text(),
                        role: b.text(),
                    },
                    9 => AuthRequest::RoleRevokePermission {
                        role: b.text(),
                        key: b.key(),
                        range_end: b.end(),
                    },
                    10 => AuthRequest::UserChangePassword {
                        name: b.text(),
                        password: b.text(),
                    },
                    _ => AuthRequest::Authenticate {
                        name: b.text(),
                        password: b.text(),
                    },
                };
                Request::Auth(a)
            }
            13 => {
                match b.small(4) {
                    0 => {
                        let id = sm.watch_create(WatchCreateRequest {
                            key: b.key(),
                            range_end: b.end(),
                            start_revision: b.int(),
                            progress_notify: false,
                            no_put: b.small(3) == 0,
                            no_delete: b.small(3) == 0,
                            prev_kv: b.small(2) == 1,
                        });
                        watches.push(id);
                    }
                    1 => {
                        let i = b.byte() as usize;
                        if let Some(id) = watches.get(i % watches.len().max(1)) {
                            let _ = sm.watch_cancel(*id);
                        }
                    }
                    _ => {
                        for id in &watches {
                            let _ = sm.watch_poll(*id);
                        }
                    }
                }
                continue;
            }
            14 => {
                now = now.saturating_add(Duration::from_millis(u64::from(b.byte()) * 100));
                match b.small(3) {
                    0 => sm.lease_promote(now, Duration::from_secs(1)),
                    1 => sm.lease_demote(),
                    _ => {
                        for id in sm.expired_leases(now) {
                            let _ = sm.apply(&Request::LeaseRevoke { id }, &ctx);
                        }
                    }
                }
                continue;
            }
            _ => {
                // permission checks with a known or made-up token, then the request
                let token = match b.small(3) {
                    0 => None,
                    1 => tokens.get(b.byte() as usize % tokens.len().max(1)).cloned(),
                    _ => Some("bogus.1".to_string()),
                };
                let r = Request::Range(range(&mut b));
                let _ = sm.check_permission(token.as_deref(), &r);
                let _ = sm.check_permission(token.as_deref(), &Request::Txn(txn(&mut b, 1)));
                continue;
            }
        };
        let _ = StateMachine::validate(&req);
        let _ = sm.check_permission(None, &req);
        let res = sm.apply(&req, &ctx);
        if let Ok(Response::Auth(AuthResponse::Authenticate { token, .. })) = &res {
            tokens.push(token.clone());
        }
        let _ = sm.read(&req, &ctx);
        assert!(sm.revision() >= before, "revision went down");
    }
    let snap = StateMachine::from_snapshot(&sm.to_snapshot()).expect("snapshot restores");
    assert_eq!(snap.kv, sm.kv, "snapshot restores the store");
    assert_eq!(snap.kv.hash_by_rev(0).ok(), sm.kv.hash_by_rev(0).ok());
    // The Raft snapshot's encoding carries the same state.
    let raft = StateMachine::from_raft_snapshot(&sm.to_raft_snapshot()).expect("raft snapshot");
    assert_eq!(
        raft.to_snapshot(),
        sm.to_snapshot(),
        "raft snapshot restores everything"
    );
    let json = StateMachine::from_raft_snapshot(&sm.to_snapshot()).expect("JSON still reads");
    assert_eq!(json.kv, sm.kv);
}
