//! `-w simple`, etcdctl's default output: keys and values on their own lines, one-line
//! confirmations, comma-separated rows.

use crate::api::*;

use super::printer::*;
use super::Io;

pub struct SimplePrinter {
    pub opts: PrintOpts,
}

pub fn alarm_name(a: AlarmType) -> &'static str {
    match a {
        AlarmType::None => "NONE",
        AlarmType::NoSpace => "NOSPACE",
        AlarmType::Corrupt => "CORRUPT",
    }
}

fn perm_lines(io: &mut Io, perm: &[Permission], write: bool) {
    for p in perm {
        let wanted = match p.perm_type {
            PermissionType::Read => !write,
            PermissionType::Write => write,
            PermissionType::ReadWrite => true,
        };
        if !wanted {
            continue;
        }
        let key = String::from_utf8_lossy(&p.key).into_owned();
        if p.range_end.is_empty() {
            io.outln(&format!("\t{}", key));
            continue;
        }
        let end = String::from_utf8_lossy(&p.range_end).into_owned();
        let mut line = if p.range_end != [0] {
            format!("\t[{}, {})", key, end)
        } else {
            format!("\t[{}, <open ended>", key)
        };
        if prefix_range_end(&p.key) == p.range_end {
            line.push_str(&format!(" (prefix {})", key));
        }
        io.outln(&line);
    }
}

/// clientv3's `WithPrefix` on `key`: the key and range end it asks for (an empty key
/// means every key: `\0` to `\0`).
pub fn with_prefix(key: &[u8]) -> (Vec<u8>, Vec<u8>) {
    if key.is_empty() {
        (vec![0], vec![0])
    } else {
        (key.to_vec(), prefix_range_end(key))
    }
}

/// clientv3's `GetPrefixRangeEnd`.
pub fn prefix_range_end(key: &[u8]) -> Vec<u8> {
    let mut end = key.to_vec();
    while let Some(last) = end.last().copied() {
        if last < 0xff {
            if let Some(l) = end.last_mut() {
                *l = last + 1;
            }
            return end;
        }
        end.pop();
    }
    vec![0]
}

impl Printer for SimplePrinter {
    fn name(&self) -> &'static str {
        "simple"
    }
    fn del(&self, io: &mut Io, r: &DeleteRangeResponse) -> PResult {
        io.outln(&r.deleted.to_string());
        for kv in &r.prev_kvs {
            print_kv(io, self.opts, kv);
        }
        Ok(())
    }
    fn get(&self, io: &mut Io, r: &RangeResponse) -> PResult {
        for kv in &r.kvs {
            print_kv(io, self.opts, kv);
        }
        Ok(())
    }
    fn put(&self, io: &mut Io, r: &PutResponse) -> PResult {
        io.outln("OK");
        if let Some(kv) = &r.prev_kv {
            print_kv(io, self.opts, kv);
        }
        Ok(())
    }
    fn txn(&self, io: &mut Io, r: &TxnResponse) -> PResult {
        io.outln(if r.succeeded { "SUCCESS" } else { "FAILURE" });
        for op in &r.responses {
            io.outln("");
            match op {
                ResponseOp::DeleteRange(d) => self.del(io, d)?,
                ResponseOp::Put(p) => self.put(io, p)?,
                ResponseOp::Range(g) => self.get(io, g)?,
                ResponseOp::Txn(_) => io.outln("unexpected response"),
            }
        }
        Ok(())
    }
    fn watch(&self, io: &mut Io, r: &WatchResponse) -> PResult {
        for e in &r.events {
            io.outln(match e.kind {
                EventType::Put => "PUT",
                EventType::Delete => "DELETE",
            });
            if let Some(p) = &e.prev_kv {
                print_kv(io, self.opts, p);
            }
            print_kv(io, self.opts, &e.kv);
        }
        Ok(())
    }
    fn grant(&self, io: &mut Io, r: &LeaseGrantResponse) -> PResult {
        io.outln(&format!("lease {:016x} granted with TTL({}s)", r.id, r.ttl));
        Ok(())
    }
    fn revoke(&self, io: &mut Io, id: i64, _r: &LeaseRevokeResponse) -> PResult {
        io.outln(&format!("lease {:016x} revoked", id));
        Ok(())
    }
    fn keep_alive(&self, io: &mut Io, r: &LeaseKeepAliveResponse) -> PResult {
        io.outln(&format!(
            "lease {:016x} keepalived with TTL({})",
            r.id, r.ttl
        ));
        Ok(())
    }
    fn time_to_live(&self, io: &mut Io, r: &LeaseTimeToLiveResponse, keys: bool) -> PResult {
        if r.granted_ttl == 0 && r.ttl == -1 {
            io.outln(&format!("lease {:016x} already expired", r.id));
            return Ok(());
        }
        let mut txt = format!(
            "lease {:016x} granted with TTL({}s), remaining({}s)",
            r.id, r.granted_ttl, r.ttl
        );
        if keys {
            let ks: Vec<String> = r
                .keys
                .iter()
                .map(|k| String::from_utf8_lossy(k).into_owned())
                .collect();
            txt.push_str(&format!(", attached keys([{}])", ks.join(" ")));
        }
        io.outln(&txt);
        Ok(())
    }
    fn leases(&self, io: &mut Io, r: &LeaseLeasesResponse) -> PResult {
        io.outln(&format!("found {} leases", r.leases.len()));
        for l in &r.leases {
            io.outln(&format!("{:016x}", l));
        }
        Ok(())
    }
    fn member_add(&self, io: &mut Io, r: &MemberAddResponse) -> PResult {
        io.outln(&format!(
            "Member {:>16x} added to cluster {:>16x}",
            r.member.id, r.header.cluster_id
        ));
        Ok(())
    }
    fn member_remove(&self, io: &mut Io, id: u64, r: &MemberChangeResponse) -> PResult {
        io.outln(&format!(
            "Member {:>16x} removed from cluster {:>16x}",
            id, r.header.cluster_id
        ));
        Ok(())
    }
    fn member_update(&self, io: &mut Io, id: u64, r: &MemberChangeResponse) -> PResult {
        io.outln(&format!(
            "Member {:>16x} updated in cluster {:>16x}",
            id, r.header.cluster_id
        ));
        Ok(())
    }
    fn member_promote(&self, io: &mut Io, id: u64, r: &MemberChangeResponse) -> PResult {
        io.outln(&format!(
            "Member {:>16x} promoted in cluster {:>16x}",
            id, r.header.cluster_id
        ));
        Ok(())
    }
    fn member_list(&self, io: &mut Io, r: &MemberListResponse) -> PResult {
        for row in member_rows(r) {
            io.outln(&row.join(", "));
        }
        Ok(())
    }
    fn endpoint_health(&self, io: &mut Io, r: &[EpHealth]) -> PResult {
        for h in r {
            if h.error.is_empty() {
                let line = format!(
                    "{} is healthy: successfully committed proposal: took = {}",
                    h.ep, h.took
                );
                // etcdctl 3.5 prints healthy endpoints on stdout
                if self.opts.version.is_3_5() {
                    io.outln(&line);
                } else {
                    io.errln(&line);
                }
            } else {
                io.errln(&format!(
                    "{} is unhealthy: failed to commit proposal: {}",
                    h.ep, h.error
                ));
            }
        }
        Ok(())
    }
    fn endpoint_status(&self, io: &mut Io, r: &[EpStatus]) -> PResult {
        for row in status_rows(r) {
            io.outln(&row.join(", "));
        }
        Ok(())
    }
    fn endpoint_hashkv(&self, io: &mut Io, r: &[EpHashKv]) -> PResult {
        for h in r {
            io.outln(&format!("{}, {}", h.ep, h.resp.hash));
        }
        Ok(())
    }
    fn move_leader(&self, io: &mut Io, leader: u64, target: u64, _r: &ResponseHeader) -> PResult {
        io.outln(&format!(
            "Leadership transferred from {:x} to {:x}",
            leader, target
        ));
        Ok(())
    }
    fn alarm(&self, io: &mut Io, r: &AlarmResponse, _disarm: bool) -> PResult {
        for a in &r.alarms {
            io.outln(&format!(
                "memberID:{} alarm:{} ",
                a.member_id,
                alarm_name(a.alarm)
            ));
        }
        Ok(())
    }
    fn db_status(&self, io: &mut Io, r: &DbStatus) -> PResult {
        io.outln(&db_status_row(r).join(", "));
        Ok(())
    }
    fn role_add(&self, io: &mut Io, role: &str, _h: &ResponseHeader) -> PResult {
        io.outln(&format!("Role {} created", role));
        Ok(())
    }
    fn role_get(
        &self,
        io: &mut Io,
        role: &str,
        _h: &ResponseHeader,
        perm: &[Permission],
    ) -> PResult {
        io.outln(&format!("Role {}", role));
        io.outln("KV Read:");
        perm_lines(io, perm, false);
        io.outln("KV Write:");
        perm_lines(io, perm, true);
        Ok(())
    }
    fn role_delete(&self, io: &mut Io, role: &str, _h: &ResponseHeader) -> PResult {
        io.outln(&format!("Role {} deleted", role));
        Ok(())
    }
    fn role_list(&self, io: &mut Io, _h: &ResponseHeader, roles: &[String]) -> PResult {
        for r in roles {
            io.outln(r);
        }
        Ok(())
    }
    fn role_grant_permission(&self, io: &mut Io, role: &str, _h: &ResponseHeader) -> PResult {
        io.outln(&format!("Role {} updated", role));
        Ok(())
    }
    fn role_revoke_permission(
        &self,
        io: &mut Io,
        role: &str,
        key: &str,
        end: &str,
        _h: &ResponseHeader,
    ) -> PResult {
        if end.is_empty() {
            io.outln(&format!(
                "Permission of key {} is revoked from role {}",
                key, role
            ));
        } else if end != "\0" {
            io.outln(&format!(
                "Permission of range [{}, {}) is revoked from role {}",
                key, end, role
            ));
        } else {
            io.outln(&format!(
                "Permission of range [{}, <open ended> is revoked from role {}",
                key, role
            ));
        }
        Ok(())
    }
    fn user_add(&self, io: &mut Io, user: &str, _h: &ResponseHeader) -> PResult {
        io.outln(&format!("User {} created", user));
        Ok(())
    }
    fn user_get(&self, io: &mut Io, user: &str, _h: &ResponseHeader, roles: &[String]) -> PResult {
        io.outln(&format!("User: {}", user));
        let mut s = String::from("Roles:");
        for r in roles {
            s.push(' ');
            s.push_str(r);
        }
        io.outln(&s);
        Ok(())
    }
    fn user_list(&self, io: &mut Io, _h: &ResponseHeader, users: &[String]) -> PResult {
        for u in users {
            io.outln(u);
        }
        Ok(())
    }
    fn user_change_password(&self, io: &mut Io, _h: &ResponseHeader) -> PResult {
        io.outln("Password updated");
        Ok(())
    }
    fn user_grant_role(&self, io: &mut Io, user: &str, role: &str, _h: &ResponseHeader) -> PResult {
        io.outln(&format!("Role {} is granted to user {}", role, user));
        Ok(())
    }
    fn user_revoke_role(
        &self,
        io: &mut Io,
        user: &str,
        role: &str,
        _h: &ResponseHeader,
    ) -> PResult {
        io.outln(&format!("Role {} is revoked from user {}", role, user));
        Ok(())
    }
    fn user_delete(&self, io: &mut Io, user: &str, _h: &ResponseHeader) -> PResult {
        io.outln(&format!("User {} deleted", user));
        Ok(())
    }
}
