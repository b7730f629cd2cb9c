//! `-w json`: Go's `encoding/json` of the protobuf responses (snake_case names, `omitempty`
//! on every field, bytes as base64) or of clientv3's own structs (flattened headers,
//! `ID`/`TTL`), with field order as Go prints it.

use base64::Engine;

use crate::api::*;

use super::printer::*;
use super::Io;

pub struct JsonPrinter {
    pub opts: PrintOpts,
}

/// A JSON object written in field order, skipping Go's "empty" values when asked.
#[derive(Default)]
pub struct Obj(Vec<(String, String)>);

impl Obj {
    pub fn new() -> Obj {
        Obj::default()
    }
    pub fn raw(mut self, k: &str, v: String) -> Obj {
        self.0.push((k.to_string(), v));
        self
    }
    pub fn num<T: std::fmt::Display + Default + PartialEq>(self, k: &str, v: T) -> Obj {
        if v == T::default() {
            self
        } else {
            self.raw(k, v.to_string())
        }
    }
    pub fn num_always<T: std::fmt::Display>(self, k: &str, v: T) -> Obj {
        self.raw(k, v.to_string())
    }
    pub fn boolean(self, k: &str, v: bool) -> Obj {
        if v {
            self.raw(k, "true".to_string())
        } else {
            self
        }
    }
    pub fn string(self, k: &str, v: &str) -> Obj {
        if v.is_empty() {
            self
        } else {
            self.raw(k, str_json(v))
        }
    }
    pub fn bytes(self, k: &str, v: &[u8]) -> Obj {
        if v.is_empty() {
            self
        } else {
            self.raw(k, b64(v))
        }
    }
    pub fn arr(self, k: &str, items: Vec<String>) -> Obj {
        if items.is_empty() {
            return self;
        }
        // One allocation of the final size (a range of 100,000 keys is hundreds of MB).
        let mut s = String::with_capacity(items.iter().map(|i| i.len() + 1).sum::<usize>() + 1);
        s.push('[');
        for (n, item) in items.into_iter().enumerate() {
            if n > 0 {
                s.push(',');
            }
            s.push_str(&item);
        }
        s.push(']');
        self.raw(k, s)
    }
    pub fn obj(self, k: &str, o: Obj) -> Obj {
        self.raw(k, o.render())
    }
    pub fn render(&self) -> String {
        let size = self
            .0
            .iter()
            .map(|(k, v)| k.len() + v.len() + 4)
            .sum::<usize>()
            + 2;
        let mut s = String::with_capacity(size);
        s.push('{');
        for (n, (k, v)) in self.0.iter().enumerate() {
            if n > 0 {
                s.push(',');
            }
            s.push_str(&str_json(k));
            s.push(':');
            s.push_str(v);
        }
        s.push('}');
        s
    }
}

pub fn str_json(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

pub fn b64(b: &[u8]) -> String {
    format!(
        "\"{}\"",
        base64::engine::general_purpose::STANDARD.encode(b)
    )
}

pub fn header(h: &ResponseHeader) -> Obj {
    Obj::new()
        .num("cluster_id", h.cluster_id)
        .num("member_id", h.member_id)
        .num("revision", h.revision)
        .num("raft_term", h.raft_term)
}

/// A clientv3 struct with the header embedded (fields flattened).
fn flat_header(h: &ResponseHeader) -> Obj {
    header(h)
}

pub fn kv(k: &KeyValue) -> Obj {
    Obj::new()
        .bytes("key", &k.key)
        .num("create_revision", k.create_revision)
        .num("mod_revision", k.mod_revision)
        .num("version", k.version)
        .bytes("value", &k.value)
        .num("lease", k.lease)
}

fn range_obj(r: &RangeResponse) -> Obj {
    Obj::new()
        .obj("header", header(&r.header))
        .arr("kvs", r.kvs.iter().map(|k| kv(k).render()).collect())
        .boolean("more", r.more)
        .num("count", r.count)
}

/// [`range_obj`]'s text, written into `io` one key at a time: a range of the large sample
/// is hundreds of MB of JSON, and the page keeps only its head (`io` counts the rest).
fn write_range(io: &mut Io, r: &RangeResponse) {
    io.out("{\"header\":");
    io.out(&header(&r.header).render());
    if !r.kvs.is_empty() {
        io.out(",\"kvs\":[");
        for (n, k) in r.kvs.iter().enumerate() {
            if n > 0 {
                io.out(",");
            }
            io.out(&kv(k).render());
        }
        io.out("]");
    }
    if r.more {
        io.out(",\"more\":true");
    }
    if r.count != 0 {
        io.out(&format!(",\"count\":{}", r.count));
    }
    io.out("}\n");
}

fn put_obj(r: &PutResponse) -> Obj {
    let o = Obj::new().obj("header", header(&r.header));
    match &r.prev_kv {
        Some(p) => o.obj("prev_kv", kv(p)),
        None => o,
    }
}

fn del_obj(r: &DeleteRangeResponse) -> Obj {
    Obj::new()
        .obj("header", header(&r.header))
        .num("deleted", r.deleted)
        .arr(
            "prev_kvs",
            r.prev_kvs.iter().map(|k| kv(k).render()).collect(),
        )
}

/// A txn response; `snake` names the oneof's fields as etcdctl 3.5 does (`response_put`;
/// 3.4: `ResponsePut`).
fn txn_obj(r: &TxnResponse, snake: bool) -> Obj {
    let pick = |go: &'static str, proto: &'static str| if snake { proto } else { go };
    let ops = r
        .responses
        .iter()
        .map(|op| {
            let (name, o) = match op {
                ResponseOp::Range(g) => (pick("ResponseRange", "response_range"), range_obj(g)),
                ResponseOp::Put(p) => (pick("ResponsePut", "response_put"), put_obj(p)),
                ResponseOp::DeleteRange(d) => (
                    pick("ResponseDeleteRange", "response_delete_range"),
                    del_obj(d),
                ),
                ResponseOp::Txn(t) => (pick("ResponseTxn", "response_txn"), txn_obj(t, snake)),
            };
            Obj::new().obj("Response", Obj::new().obj(name, o)).render()
        })
        .collect();
    Obj::new()
        .obj("header", header(&r.header))
        .boolean("succeeded", r.succeeded)
        .arr("responses", ops)
}

pub fn member(m: &Member) -> Obj {
    Obj::new()
        .num("ID", m.id)
        .string("name", &m.name)
        .arr(
            "peerURLs",
            m.peer_urls.iter().map(|u| str_json(u)).collect(),
        )
        .arr(
            "clientURLs",
            m.client_urls.iter().map(|u| str_json(u)).collect(),
        )
        .boolean("isLearner", m.is_learner)
}

fn members(ms: &[Member]) -> Vec<String> {
    ms.iter().map(|m| member(m).render()).collect()
}

fn out(io: &mut Io, o: Obj) -> PResult {
    io.outln(&o.render());
    Ok(())
}

fn perm_type(p: PermissionType) -> i32 {
    match p {
        PermissionType::Read => 0,
        PermissionType::Write => 1,
        PermissionType::ReadWrite => 2,
    }
}

fn alarm_num(a: AlarmType) -> i32 {
    match a {
        AlarmType::None => 0,
        AlarmType::NoSpace => 1,
        AlarmType::Corrupt => 2,
    }
}

fn status_obj(r: &StatusResponse) -> Obj {
    Obj::new()
        .obj("header", header(&r.header))
        .string("version", &r.version)
        .num("dbSize", r.db_size)
        .num("leader", r.leader)
        .num("raftIndex", r.raft_index)
        .num("raftTerm", r.raft_term)
        .num("raftAppliedIndex", r.raft_applied_index)
        .arr("errors", r.errors.iter().map(|e| str_json(e)).collect())
        .num("dbSizeInUse", r.db_size_in_use)
        .boolean("isLearner", r.is_learner)
}

fn event(e: &Event) -> Obj {
    let o = Obj::new().num(
        "type",
        match e.kind {
            EventType::Put => 0,
            EventType::Delete => 1,
        },
    );
    let o = o.obj("kv", kv(&e.kv));
    match &e.prev_kv {
        Some(p) => o.obj("prev_kv", kv(p)),
        None => o,
    }
}

impl Printer for JsonPrinter {
    fn name(&self) -> &'static str {
        "json"
    }
    fn del(&self, io: &mut Io, r: &DeleteRangeResponse) -> PResult {
        out(io, del_obj(r))
    }
    fn get(&self, io: &mut Io, r: &RangeResponse) -> PResult {
        write_range(io, r);
        Ok(())
    }
    fn put(&self, io: &mut Io, r: &PutResponse) -> PResult {
        out(io, put_obj(r))
    }
    fn txn(&self, io: &mut Io, r: &TxnResponse) -> PResult {
        out(io, txn_obj(r, self.opts.version.is_3_5()))
    }
    fn watch(&self, io: &mut Io, r: &WatchResponse) -> PResult {
        let events = if r.events.is_empty() {
            "[]".to_string()
        } else {
            format!(
                "[{}]",
                r.events
                    .iter()
                    .map(|e| event(e).render())
                    .collect::<Vec<_>>()
                    .join(",")
            )
        };
        out(
            io,
            Obj::new()
                .obj("Header", header(&r.header))
                .raw("Events", events)
                .num_always("CompactRevision", r.compact_revision)
                .num_always("Canceled", r.canceled)
                .num_always("Created", r.created),
        )
    }
    fn grant(&self, io: &mut Io, r: &LeaseGrantResponse) -> PResult {
        out(
            io,
            flat_header(&r.header)
                .num_always("ID", r.id)
                .num_always("TTL", r.ttl)
                .raw("Error", str_json(&r.error)),
        )
    }
    fn revoke(&self, io: &mut Io, _id: i64, r: &LeaseRevokeResponse) -> PResult {
        out(io, Obj::new().obj("header", header(&r.header)))
    }
    fn keep_alive(&self, io: &mut Io, r: &LeaseKeepAliveResponse) -> PResult {
        out(
            io,
            flat_header(&r.header)
                .num_always("ID", r.id)
                .num_always("TTL", r.ttl),
        )
    }
    fn time_to_live(&self, io: &mut Io, r: &LeaseTimeToLiveResponse, _keys: bool) -> PResult {
        let keys = if r.keys.is_empty() {
            "null".to_string()
        } else {
            format!(
                "[{}]",
                r.keys.iter().map(|k| b64(k)).collect::<Vec<_>>().join(",")
            )
        };
        out(
            io,
            flat_header(&r.header)
                .num_always("id", r.id)
                .num_always("ttl", r.ttl)
                .num_always("granted-ttl", r.granted_ttl)
                .raw("keys", keys),
        )
    }
    fn leases(&self, io: &mut Io, r: &LeaseLeasesResponse) -> PResult {
        let ls = if r.leases.is_empty() {
            "[]".to_string()
        } else {
            format!(
                "[{}]",
                r.leases
                    .iter()
                    .map(|l| format!("{{\"id\":{}}}", l))
                    .collect::<Vec<_>>()
                    .join(",")
            )
        };
        out(io, flat_header(&r.header).raw("leases", ls))
    }
    fn member_add(&self, io: &mut Io, r: &MemberAddResponse) -> PResult {
        out(
            io,
            Obj::new()
                .obj("header", header(&r.header))
                .obj("member", member(&r.member))
                .arr("members", members(&r.members)),
        )
    }
    fn member_remove(&self, io: &mut Io, _id: u64, r: &MemberChangeResponse) -> PResult {
        out(
            io,
            Obj::new()
                .obj("header", header(&r.header))
                .arr("members", members(&r.members)),
        )
    }
    fn member_update(&self, io: &mut Io, _id: u64, r: &MemberChangeResponse) -> PResult {
        out(
            io,
            Obj::new()
                .obj("header", header(&r.header))
                .arr("members", members(&r.members)),
        )
    }
    fn member_promote(&self, io: &mut Io, _id: u64, r: &MemberChangeResponse) -> PResult {
        out(
            io,
            Obj::new()
                .obj("header", header(&r.header))
                .arr("members", members(&r.members)),
        )
    }
    fn member_list(&self, io: &mut Io, r: &MemberListResponse) -> PResult {
        out(
            io,
            Obj::new()
                .obj("header", header(&r.header))
                .arr("members", members(&r.members)),
        )
    }
    fn endpoint_health(&self, io: &mut Io, r: &[EpHealth]) -> PResult {
        let items: Vec<String> = r
            .iter()
            .map(|h| {
                Obj::new()
                    .raw("endpoint", str_json(&h.ep))
                    .raw("health", h.health.to_string())
                    .string("took", &h.took)
                    .string("error", &h.error)
                    .render()
            })
            .collect();
        io.outln(&format!("[{}]", items.join(",")));
        Ok(())
    }
    fn endpoint_status(&self, io: &mut Io, r: &[EpStatus]) -> PResult {
        let items: Vec<String> = r
            .iter()
            .map(|s| {
                Obj::new()
                    .raw("Endpoint", str_json(&s.ep))
                    .obj("Status", status_obj(&s.resp))
                    .render()
            })
            .collect();
        io.outln(&format!("[{}]", items.join(",")));
        Ok(())
    }
    fn endpoint_hashkv(&self, io: &mut Io, r: &[EpHashKv]) -> PResult {
        let items: Vec<String> = r
            .iter()
            .map(|h| {
                Obj::new()
                    .raw("Endpoint", str_json(&h.ep))
                    .obj(
                        "HashKV",
                        Obj::new()
                            .obj("header", header(&h.resp.header))
                            .num("hash", h.resp.hash)
                            .num("compact_revision", h.resp.compact_revision),
                    )
                    .render()
            })
            .collect();
        io.outln(&format!("[{}]", items.join(",")));
        Ok(())
    }
    fn move_leader(&self, io: &mut Io, _leader: u64, _target: u64, h: &ResponseHeader) -> PResult {
        out(io, Obj::new().obj("header", header(h)))
    }
    fn alarm(&self, io: &mut Io, r: &AlarmResponse, _disarm: bool) -> PResult {
        let items = r
            .alarms
            .iter()
            .map(|a| {
                Obj::new()
                    .num("memberID", a.member_id)
                    .num("alarm", alarm_num(a.alarm))
                    .render()
            })
            .collect();
        // etcd 3.4 answers alarm requests without a header; 3.5 with one
        if self.opts.version.is_3_5() {
            out(
                io,
                Obj::new()
                    .obj("header", header(&r.header))
                    .arr("alarms", items),
            )
        } else {
            out(io, Obj::new().arr("alarms", items))
        }
    }
    fn db_status(&self, io: &mut Io, r: &DbStatus) -> PResult {
        out(
            io,
            Obj::new()
                .num_always("hash", r.hash)
                .num_always("revision", r.revision)
                .num_always("totalKey", r.total_key)
                .num_always("totalSize", r.total_size),
        )
    }
    fn role_add(&self, io: &mut Io, _role: &str, h: &ResponseHeader) -> PResult {
        out(io, Obj::new().obj("header", header(h)))
    }
    fn role_get(
        &self,
        io: &mut Io,
        _role: &str,
        h: &ResponseHeader,
        perm: &[Permission],
    ) -> PResult {
        let ps = perm
            .iter()
            .map(|p| {
                Obj::new()
                    .num("permType", perm_type(p.perm_type))
                    .bytes("key", &p.key)
                    .bytes("range_end", &p.range_end)
                    .render()
            })
            .collect();
        out(io, Obj::new().obj("header", header(h)).arr("perm", ps))
    }
    fn role_delete(&self, io: &mut Io, _role: &str, h: &ResponseHeader) -> PResult {
        out(io, Obj::new().obj("header", header(h)))
    }
    fn role_list(&self, io: &mut Io, h: &ResponseHeader, roles: &[String]) -> PResult {
        out(
            io,
            Obj::new()
                .obj("header", header(h))
                .arr("roles", roles.iter().map(|r| str_json(r)).collect()),
        )
    }
    fn role_grant_permission(&self, io: &mut Io, _role: &str, h: &ResponseHeader) -> PResult {
        out(io, Obj::new().obj("header", header(h)))
    }
    fn role_revoke_permission(
        &self,
        io: &mut Io,
        _r: &str,
        _k: &str,
        _e: &str,
        h: &ResponseHeader,
    ) -> PResult {
        out(io, Obj::new().obj("header", header(h)))
    }
    fn user_add(&self, io: &mut Io, _user: &str, h: &ResponseHeader) -> PResult {
        out(io, Obj::new().obj("header", header(h)))
    }
    fn user_get(&self, io: &mut Io, _user: &str, h: &ResponseHeader, roles: &[String]) -> PResult {
        out(
            io,
            Obj::new()
                .obj("header", header(h))
                .arr("roles", roles.iter().map(|r| str_json(r)).collect()),
        )
    }
    fn user_list(&self, io: &mut Io, h: &ResponseHeader, users: &[String]) -> PResult {
        out(
            io,
            Obj::new()
                .obj("header", header(h))
                .arr("users", users.iter().map(|r| str_json(r)).collect()),
        )
    }
    fn user_change_password(&self, io: &mut Io, h: &ResponseHeader) -> PResult {
        out(io, Obj::new().obj("header", header(h)))
    }
    fn user_grant_role(&self, io: &mut Io, _u: &str, _r: &str, h: &ResponseHeader) -> PResult {
        out(io, Obj::new().obj("header", header(h)))
    }
    fn user_revoke_role(&self, io: &mut Io, _u: &str, _r: &str, h: &ResponseHeader) -> PResult {
        out(io, Obj::new().obj("header", header(h)))
    }
    fn user_delete(&self, io: &mut Io, _u: &str, h: &ResponseHeader) -> PResult {
        out(io, Obj::new().obj("header", header(h)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(n: usize, more: bool, count: i64) -> RangeResponse {
        RangeResponse {
            header: ResponseHeader {
                cluster_id: 1,
                member_id: 2,
                revision: 3,
                raft_term: 4,
            },
            kvs: (0..n)
                .map(|i| KeyValue {
                    key: format!("k{i}").into_bytes(),
                    value: vec![b'v'; i * 3],
                    create_revision: i as i64,
                    mod_revision: 2,
                    version: 1,
                    lease: 0,
                })
                .collect(),
            more,
            count,
        }
    }

    #[test]
    fn a_range_is_written_as_its_object_renders() {
        for r in [range(0, false, 0), range(3, true, 5), range(50, false, 50)] {
            let mut io = Io::default();
            write_range(&mut io, &r);
            assert_eq!(io.stdout, range_obj(&r).render() + "\n");
            assert_eq!(io.skipped, [0, 0]);
        }
    }

    #[test]
    fn past_its_limit_a_range_is_counted_not_kept() {
        let r = range(200, false, 200);
        let full = range_obj(&r).render() + "\n";
        let mut io = Io {
            limit: Some(1000),
            ..Default::default()
        };
        write_range(&mut io, &r);
        assert_eq!(io.stdout, full[..1000]);
        assert_eq!(io.skipped, [full.len() - 1000, 0]);
    }
}
