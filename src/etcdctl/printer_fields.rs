//! `-w fields`: one `"Name" : value` line per field, strings with Go's `%q`. Commands this
//! printer has no method for print as `simple` does (etcdctl embeds the simple printer).

use crate::api::*;

use super::printer::*;
use super::printer_simple::{alarm_name, SimplePrinter};
use super::{Fail, Io};

pub struct FieldsPrinter {
    pub opts: PrintOpts,
}

fn hdr(io: &mut Io, h: &ResponseHeader) {
    io.outln(&format!("\"ClusterID\" : {}", h.cluster_id));
    io.outln(&format!("\"MemberID\" : {}", h.member_id));
    io.outln(&format!("\"Revision\" : {}", h.revision));
    io.outln(&format!("\"RaftTerm\" : {}", h.raft_term));
}

fn kv(io: &mut Io, pfx: &str, k: &KeyValue) {
    io.outln(&format!("\"{}Key\" : {}", pfx, go_quote_bytes(&k.key)));
    io.outln(&format!(
        "\"{}CreateRevision\" : {}",
        pfx, k.create_revision
    ));
    io.outln(&format!("\"{}ModRevision\" : {}", pfx, k.mod_revision));
    io.outln(&format!("\"{}Version\" : {}", pfx, k.version));
    io.outln(&format!("\"{}Value\" : {}", pfx, go_quote_bytes(&k.value)));
    io.outln(&format!("\"{}Lease\" : {}", pfx, k.lease));
}

/// The Go panic etcdctl 3.4.23 dies with when the fields printer gets a response whose
/// header is nil (`alarm list -w fields`).
pub fn nil_header_panic(io: &mut Io, func: &str, file_line: &str) -> Fail {
    let lines = [
        "panic: runtime error: invalid memory address or nil pointer dereference".to_string(),
        "[signal SIGSEGV: segmentation violation code=0x1 addr=0x10 pc=0xa1b2c3]".to_string(),
        String::new(),
        "goroutine 1 [running]:".to_string(),
        "go.etcd.io/etcd/etcdctl/ctlv3/command.(*fieldsPrinter).hdr(0xc00020e000?, 0x0)".to_string(),
        "\tgo.etcd.io/etcd/etcdctl/ctlv3/command/printer_fields.go:38 +0x1d".to_string(),
        "go.etcd.io/etcd/etcdctl/ctlv3/command.(*fieldsPrinter).Alarm(0xc00020e000?, {0x0?, {0x0?, 0x0?, 0x0?}})".to_string(),
        "\tgo.etcd.io/etcd/etcdctl/ctlv3/command/printer_fields.go:181 +0x3c".to_string(),
        format!("go.etcd.io/etcd/etcdctl/ctlv3/command.{}(0xc000186000?, {{0xc0001a2000?, 0x0?, 0x0?}})", func),
        format!("\tgo.etcd.io/etcd/etcdctl/ctlv3/command/{} +0x125", file_line),
        "github.com/spf13/cobra.(*Command).execute(0xc000186000, {0xc0001a2000, 0x2, 0x2})".to_string(),
        "\tgithub.com/spf13/cobra/command.go:920 +0x847".to_string(),
        "github.com/spf13/cobra.(*Command).ExecuteC(0x1e6a3a0)".to_string(),
        "\tgithub.com/spf13/cobra/command.go:1044 +0x3bd".to_string(),
        "github.com/spf13/cobra.(*Command).Execute(...)".to_string(),
        "\tgithub.com/spf13/cobra/command.go:968".to_string(),
        "go.etcd.io/etcd/etcdctl/ctlv3.Start()".to_string(),
        "\tgo.etcd.io/etcd/etcdctl/ctlv3/ctl_nocov.go:26 +0x3e".to_string(),
        "main.main()".to_string(),
        "\tgo.etcd.io/etcd/etcdctl/main.go:35 +0x1b6".to_string(),
    ];
    for l in lines {
        io.errln(&l);
    }
    Fail::silent(super::EXIT_BAD_CONNECTION)
}

impl Printer for FieldsPrinter {
    fn name(&self) -> &'static str {
        "fields"
    }
    fn del(&self, io: &mut Io, r: &DeleteRangeResponse) -> PResult {
        hdr(io, &r.header);
        io.outln(&format!("\"Deleted\" : {}", r.deleted));
        for p in &r.prev_kvs {
            kv(io, "Prev", p);
        }
        Ok(())
    }
    fn get(&self, io: &mut Io, r: &RangeResponse) -> PResult {
        hdr(io, &r.header);
        for k in &r.kvs {
            kv(io, "", k);
        }
        io.outln(&format!("\"More\" : {}", r.more));
        io.outln(&format!("\"Count\" : {}", r.count));
        Ok(())
    }
    fn put(&self, io: &mut Io, r: &PutResponse) -> PResult {
        hdr(io, &r.header);
        if let Some(p) = &r.prev_kv {
            kv(io, "Prev", p);
        }
        Ok(())
    }
    fn txn(&self, io: &mut Io, r: &TxnResponse) -> PResult {
        hdr(io, &r.header);
        io.outln(&format!("\"Succeeded\" : {}", r.succeeded));
        for op in &r.responses {
            match op {
                ResponseOp::DeleteRange(d) => self.del(io, d)?,
                ResponseOp::Put(p) => self.put(io, p)?,
                ResponseOp::Range(g) => self.get(io, g)?,
                ResponseOp::Txn(t) => self.txn(io, t)?,
            }
        }
        Ok(())
    }
    fn watch(&self, io: &mut Io, r: &WatchResponse) -> PResult {
        hdr(io, &r.header);
        for e in &r.events {
            io.outln(&format!(
                "\"Type\" : {}",
                match e.kind {
                    EventType::Put => "PUT",
                    EventType::Delete => "DELETE",
                }
            ));
            if let Some(p) = &e.prev_kv {
                kv(io, "Prev", p);
            }
            kv(io, "", &e.kv);
        }
        Ok(())
    }
    fn grant(&self, io: &mut Io, r: &LeaseGrantResponse) -> PResult {
        hdr(io, &r.header);
        io.outln(&format!("\"ID\" : {}", r.id));
        io.outln(&format!("\"TTL\" : {}", r.ttl));
        Ok(())
    }
    fn revoke(&self, io: &mut Io, _id: i64, r: &LeaseRevokeResponse) -> PResult {
        hdr(io, &r.header);
        Ok(())
    }
    fn keep_alive(&self, io: &mut Io, r: &LeaseKeepAliveResponse) -> PResult {
        hdr(io, &r.header);
        io.outln(&format!("\"ID\" : {}", r.id));
        io.outln(&format!("\"TTL\" : {}", r.ttl));
        Ok(())
    }
    fn time_to_live(&self, io: &mut Io, r: &LeaseTimeToLiveResponse, _keys: bool) -> PResult {
        hdr(io, &r.header);
        io.outln(&format!("\"ID\" : {}", r.id));
        io.outln(&format!("\"TTL\" : {}", r.ttl));
        io.outln(&format!("\"GrantedTTL\" : {}", r.granted_ttl));
        for k in &r.keys {
            io.outln(&format!("\"Key\" : {}", go_quote_bytes(k)));
        }
        Ok(())
    }
    fn leases(&self, io: &mut Io, r: &LeaseLeasesResponse) -> PResult {
        hdr(io, &r.header);
        for l in &r.leases {
            io.outln(&format!("\"ID\" : {}", l));
        }
        Ok(())
    }
    fn member_add(&self, io: &mut Io, r: &MemberAddResponse) -> PResult {
        SimplePrinter { opts: self.opts }.member_add(io, r)
    }
    fn member_remove(&self, io: &mut Io, id: u64, r: &MemberChangeResponse) -> PResult {
        SimplePrinter { opts: self.opts }.member_remove(io, id, r)
    }
    fn member_update(&self, io: &mut Io, id: u64, r: &MemberChangeResponse) -> PResult {
        SimplePrinter { opts: self.opts }.member_update(io, id, r)
    }
    fn member_promote(&self, io: &mut Io, id: u64, r: &MemberChangeResponse) -> PResult {
        SimplePrinter { opts: self.opts }.member_promote(io, id, r)
    }
    fn member_list(&self, io: &mut Io, r: &MemberListResponse) -> PResult {
        hdr(io, &r.header);
        for m in &r.members {
            io.outln(&format!("\"ID\" : {}", m.id));
            io.outln(&format!("\"Name\" : {}", go_quote_bytes(m.name.as_bytes())));
            for u in &m.peer_urls {
                io.outln(&format!("\"PeerURL\" : {}", go_quote_bytes(u.as_bytes())));
            }
            for u in &m.client_urls {
                io.outln(&format!("\"ClientURL\" : {}", go_quote_bytes(u.as_bytes())));
            }
            io.outln(&format!("\"IsLearner\" : {}", m.is_learner));
            io.outln("");
        }
        Ok(())
    }
    fn endpoint_health(&self, io: &mut Io, r: &[EpHealth]) -> PResult {
        for h in r {
            io.outln(&format!(
                "\"Endpoint\" : {}",
                go_quote_bytes(h.ep.as_bytes())
            ));
            io.outln(&format!("\"Health\" : {}", h.health));
            io.outln(&format!("\"Took\" : {}", h.took));
            io.outln(&format!("\"Error\" : {}", h.error));
            io.outln("");
        }
        Ok(())
    }
    fn endpoint_status(&self, io: &mut Io, r: &[EpStatus]) -> PResult {
        for s in r {
            hdr(io, &s.resp.header);
            io.outln(&format!(
                "\"Version\" : {}",
                go_quote_bytes(s.resp.version.as_bytes())
            ));
            io.outln(&format!("\"DBSize\" : {}", s.resp.db_size));
            io.outln(&format!("\"Leader\" : {}", s.resp.leader));
            io.outln(&format!("\"IsLearner\" : {}", s.resp.is_learner));
            io.outln(&format!("\"RaftIndex\" : {}", s.resp.raft_index));
            io.outln(&format!("\"RaftTerm\" : {}", s.resp.raft_term));
            io.outln(&format!(
                "\"RaftAppliedIndex\" : {}",
                s.resp.raft_applied_index
            ));
            io.outln(&format!("\"Errors\" : [{}]", s.resp.errors.join(" ")));
            io.outln(&format!(
                "\"Endpoint\" : {}",
                go_quote_bytes(s.ep.as_bytes())
            ));
            io.outln("");
        }
        Ok(())
    }
    fn endpoint_hashkv(&self, io: &mut Io, r: &[EpHashKv]) -> PResult {
        for h in r {
            hdr(io, &h.resp.header);
            io.outln(&format!(
                "\"Endpoint\" : {}",
                go_quote_bytes(h.ep.as_bytes())
            ));
            io.outln(&format!("\"Hash\" : {}", h.resp.hash));
            io.outln("");
        }
        Ok(())
    }
    fn move_leader(&self, io: &mut Io, leader: u64, target: u64, r: &ResponseHeader) -> PResult {
        SimplePrinter { opts: self.opts }.move_leader(io, leader, target, r)
    }
    fn alarm(&self, io: &mut Io, r: &AlarmResponse, disarm: bool) -> PResult {
        if self.opts.version.is_3_5() {
            hdr(io, &r.header);
            for a in &r.alarms {
                io.outln(&format!("\"MemberID\" : {}", a.member_id));
                io.outln(&format!("\"AlarmType\" : {}", alarm_name(a.alarm)));
                io.outln("");
            }
            return Ok(());
        }
        // etcdctl 3.4.23's alarm response has no header: the fields printer dereferences nil.
        if disarm {
            Err(nil_header_panic(
                io,
                "alarmDisarmCommandFunc",
                "alarm_command.go:57",
            ))
        } else {
            Err(nil_header_panic(
                io,
                "alarmListCommandFunc",
                "alarm_command.go:80",
            ))
        }
    }
    fn db_status(&self, io: &mut Io, r: &DbStatus) -> PResult {
        io.outln(&format!("\"Hash\" : {}", r.hash));
        io.outln(&format!("\"Revision\" : {}", r.revision));
        io.outln(&format!("\"Keys\" : {}", r.total_key));
        io.outln(&format!("\"Size\" : {}", r.total_size));
        Ok(())
    }
    fn role_add(&self, io: &mut Io, _role: &str, h: &ResponseHeader) -> PResult {
        hdr(io, h);
        Ok(())
    }
    fn role_get(
        &self,
        io: &mut Io,
        _role: &str,
        h: &ResponseHeader,
        perm: &[Permission],
    ) -> PResult {
        hdr(io, h);
        for p in perm {
            let t = match p.perm_type {
                PermissionType::Read => "READ",
                PermissionType::Write => "WRITE",
                PermissionType::ReadWrite => "READWRITE",
            };
            io.outln(&format!("\"PermType\" :  {}", t));
            io.outln(&format!("\"Key\" : {}", go_quote_bytes(&p.key)));
            io.outln(&format!("\"RangeEnd\" : {}", go_quote_bytes(&p.range_end)));
        }
        Ok(())
    }
    fn role_delete(&self, io: &mut Io, _role: &str, h: &ResponseHeader) -> PResult {
        hdr(io, h);
        Ok(())
    }
    fn role_list(&self, io: &mut Io, h: &ResponseHeader, roles: &[String]) -> PResult {
        hdr(io, h);
        let mut s = String::from("\"Roles\" :");
        for r in roles {
            s.push(' ');
            s.push_str(&go_quote_bytes(r.as_bytes()));
        }
        io.outln(&s);
        Ok(())
    }
    fn role_grant_permission(&self, io: &mut Io, _role: &str, h: &ResponseHeader) -> PResult {
        hdr(io, h);
        Ok(())
    }
    fn role_revoke_permission(
        &self,
        io: &mut Io,
        _r: &str,
        _k: &str,
        _e: &str,
        h: &ResponseHeader,
    ) -> PResult {
        hdr(io, h);
        Ok(())
    }
    fn user_add(&self, io: &mut Io, _user: &str, h: &ResponseHeader) -> PResult {
        hdr(io, h);
        Ok(())
    }
    fn user_change_password(&self, io: &mut Io, h: &ResponseHeader) -> PResult {
        hdr(io, h);
        Ok(())
    }
    fn user_grant_role(&self, io: &mut Io, _u: &str, _r: &str, h: &ResponseHeader) -> PResult {
        hdr(io, h);
        Ok(())
    }
    fn user_revoke_role(&self, io: &mut Io, _u: &str, _r: &str, h: &ResponseHeader) -> PResult {
        hdr(io, h);
        Ok(())
    }
    fn user_delete(&self, io: &mut Io, _u: &str, h: &ResponseHeader) -> PResult {
        hdr(io, h);
        Ok(())
    }
}

#[allow(dead_code)]
fn _alarm_name_used() -> &'static str {
    alarm_name(AlarmType::None)
}
