//! Data-driven scenarios for the state machine (MVCC store, txn, compaction, HashKV, watch,
//! leases, auth): `tests/scenarios/mvcc/*.txt`.
//!
//! Each case is a command (plus input lines for `txn`), a `----` line, and the expected
//! output up to a blank line, as etcd's raft `testdata` files. `REWRITE=1 cargo test --test
//! mvcc_scenarios` rewrites the expected outputs (review the diff!).
//!
//! Commands (flags are `--name` or `--name=value`; arguments may be double-quoted):
//! - `put KEY VALUE [--lease=ID] [--prev-kv] [--ignore-value] [--ignore-lease]`
//! - `get KEY [END] [--prefix] [--from-key] [--rev=N] [--limit=N] [--sort=key|version|create|mod|value]
//!   [--order=ascend|descend] [--keys-only] [--count-only] [--min-mod=N] [--max-mod=N]
//!   [--min-create=N] [--max-create=N]`
//! - `del KEY [END] [--prefix] [--from-key] [--prev-kv]`
//! - `txn` with input lines `if TARGET KEY OP VALUE` (TARGET value|version|create|mod|lease,
//!   OP = != < >), `then CMD...`, `else CMD...` (put/get/del as above, one level)
//! - `compact REV`, `hash [REV]`
//! - `lease-grant ID TTL`, `lease-revoke ID`, `lease-keepalive ID`, `lease-ttl ID [--keys]`,
//!   `leases`, `lease-promote [--extend=S]`, `lease-demote`, `lease-expired`, `at SECONDS`
//!   (sets the simulated time for what follows)
//! - `watch NAME KEY [END] [--prefix] [--from-key] [--rev=N] [--prev-kv] [--no-put] [--no-delete]`,
//!   `poll NAME`, `cancel NAME`
//! - `auth REQUEST ARGS...` (user-add NAME PW, grant-role USER ROLE, role-add NAME,
//!   grant-perm ROLE read|write|readwrite KEY [END], enable, disable), `login NAME PW` (token
//!   kept as NAME), `as NAME|- CMD...` (permission check of CMD with NAME's token, then CMD)

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use etcd_playground::api::*;
use etcd_playground::server::apply::{ApplyContext, StateMachine};

struct Runner {
    sm: StateMachine,
    now: Duration,
    watches: BTreeMap<String, i64>,
    tokens: BTreeMap<String, String>,
}

fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            _ => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(cur);
    }
    out
}

struct Args {
    pos: Vec<String>,
    flags: BTreeMap<String, String>,
}

impl Args {
    fn parse(ws: &[String]) -> Args {
        let mut pos = Vec::new();
        let mut flags = BTreeMap::new();
        for w in ws {
            if let Some(f) = w.strip_prefix("--") {
                let (k, v) = f.split_once('=').unwrap_or((f, ""));
                flags.insert(k.to_string(), v.to_string());
            } else {
                pos.push(w.clone());
            }
        }
        Args { pos, flags }
    }
    fn has(&self, f: &str) -> bool {
        self.flags.contains_key(f)
    }
    fn int(&self, f: &str) -> i64 {
        self.flags.get(f).map(|v| v.parse().unwrap()).unwrap_or(0)
    }
    fn p(&self, i: usize) -> Vec<u8> {
        self.pos
            .get(i)
            .map(|s| s.as_bytes().to_vec())
            .unwrap_or_default()
    }
}

fn prefix_end(key: &[u8]) -> Vec<u8> {
    let mut end = key.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xff {
            end.push(last + 1);
            return end;
        }
    }
    vec![0]
}

fn key_range(a: &Args) -> (Vec<u8>, Vec<u8>) {
    let key = a.p(0);
    if a.has("prefix") {
        if key.is_empty() {
            return (vec![0], vec![0]);
        }
        let end = prefix_end(&key);
        return (key, end);
    }
    if a.has("from-key") {
        if key.is_empty() {
            return (vec![0], vec![0]);
        }
        return (key, vec![0]);
    }
    (key, a.p(1))
}

fn kv_line(kv: &KeyValue) -> String {
    format!(
        "{}={} c={} m={} v={} l={}",
        String::from_utf8_lossy(&kv.key),
        String::from_utf8_lossy(&kv.value),
        kv.create_revision,
        kv.mod_revision,
        kv.version,
        kv.lease
    )
}

fn range_req(a: &Args) -> RangeRequest {
    let (key, range_end) = key_range(a);
    let sort_target = match a.flags.get("sort").map(String::as_str) {
        Some("version") => SortTarget::Version,
        Some("create") => SortTarget::Create,
        Some("mod") => SortTarget::Mod,
        Some("value") => SortTarget::Value,
        _ => SortTarget::Key,
    };
    let sort_order = match a.flags.get("order").map(String::as_str) {
        Some("ascend") => SortOrder::Ascend,
        Some("descend") => SortOrder::Descend,
        _ => SortOrder::None,
    };
    RangeRequest {
        key,
        range_end,
        limit: a.int("limit"),
        revision: a.int("rev"),
        sort_order,
        sort_target,
        keys_only: a.has("keys-only"),
        count_only: a.has("count-only"),
        min_mod_revision: a.int("min-mod"),
        max_mod_revision: a.int("max-mod"),
        min_create_revision: a.int("min-create"),
        max_create_revision: a.int("max-create"),
        ..Default::default()
    }
}

fn op_of(ws: &[String]) -> RequestOp {
    let a = Args::parse(&ws[1..]);
    match ws[0].as_str() {
        "put" => RequestOp::Put(put_req(&a)),
        "get" => RequestOp::Range(range_req(&a)),
        "del" => RequestOp::DeleteRange(del_req(&a)),
        o => panic!("unknown txn op {o}"),
    }
}

fn put_req(a: &Args) -> PutRequest {
    PutRequest {
        key: a.p(0),
        value: a.p(1),
        lease: a
            .flags
            .get("lease")
            .map(|v| v.parse().unwrap())
            .unwrap_or(0),
        prev_kv: a.has("prev-kv"),
        ignore_value: a.has("ignore-value"),
        ignore_lease: a.has("ignore-lease"),
    }
}

fn del_req(a: &Args) -> DeleteRangeRequest {
    let (key, range_end) = key_range(a);
    DeleteRangeRequest {
        key,
        range_end,
        prev_kv: a.has("prev-kv"),
    }
}

fn print_op(out: &mut String, indent: &str, r: &ResponseOp) {
    match r {
        ResponseOp::Range(g) => {
            for kv in &g.kvs {
                let _ = writeln!(out, "{indent}{}", kv_line(kv));
            }
            let _ = writeln!(
                out,
                "{indent}count={} more={} rev={}",
                g.count, g.more, g.header.revision
            );
        }
        ResponseOp::Put(p) => {
            if let Some(kv) = &p.prev_kv {
                let _ = writeln!(out, "{indent}prev: {}", kv_line(kv));
            }
            let _ = writeln!(out, "{indent}rev={}", p.header.revision);
        }
        ResponseOp::DeleteRange(d) => {
            for kv in &d.prev_kvs {
                let _ = writeln!(out, "{indent}prev: {}", kv_line(kv));
            }
            let _ = writeln!(
                out,
                "{indent}deleted={} rev={}",
                d.deleted, d.header.revision
            );
        }
        ResponseOp::Txn(t) => {
            let _ = writeln!(
                out,
                "{indent}txn succeeded={} rev={}",
                t.succeeded, t.header.revision
            );
            for r in &t.responses {
                print_op(out, &format!("{indent}  "), r);
            }
        }
    }
}

fn print_watch(out: &mut String, rs: &[WatchResponse]) {
    for r in rs {
        let mut flags = String::new();
        if r.created {
            flags.push_str(" created");
        }
        if r.canceled {
            let _ = write!(flags, " canceled compact={}", r.compact_revision);
        }
        let _ = writeln!(out, "resp rev={}{}", r.header.revision, flags);
        for e in &r.events {
            match e.kind {
                EventType::Put => {
                    let _ = writeln!(out, "  PUT {}", kv_line(&e.kv));
                }
                EventType::Delete => {
                    let _ = writeln!(
                        out,
                        "  DELETE {} m={}",
                        String::from_utf8_lossy(&e.kv.key),
                        e.kv.mod_revision
                    );
                }
            }
            if let Some(p) = &e.prev_kv {
                let _ = writeln!(out, "    prev: {}", kv_line(p));
            }
        }
    }
}

impl Runner {
    fn ctx(&self) -> ApplyContext {
        ApplyContext {
            now: self.now,
            ..Default::default()
        }
    }

    fn apply(&mut self, req: Request) -> Result<Response, EtcdError> {
        let ctx = self.ctx();
        self.sm.apply(&req, &ctx)
    }

    fn request_of(&self, ws: &[String], input: &[String]) -> Option<Request> {
        let a = Args::parse(&ws[1..]);
        Some(match ws[0].as_str() {
            "put" => Request::Put(put_req(&a)),
            "get" => Request::Range(range_req(&a)),
            "del" => Request::DeleteRange(del_req(&a)),
            "txn" => {
                let mut t = TxnRequest::default();
                for l in input {
                    let lw = words(l);
                    match lw[0].as_str() {
                        "if" => {
                            // if TARGET KEY [END] OP VALUE
                            let (key, range_end, opw, v) = if lw.len() == 6 {
                                (
                                    lw[2].as_bytes().to_vec(),
                                    lw[3].as_bytes().to_vec(),
                                    &lw[4],
                                    &lw[5],
                                )
                            } else {
                                (lw[2].as_bytes().to_vec(), Vec::new(), &lw[3], &lw[4])
                            };
                            let target = match lw[1].as_str() {
                                "value" => CompareTarget::Value(v.as_bytes().to_vec()),
                                "version" => CompareTarget::Version(v.parse().unwrap()),
                                "create" => CompareTarget::Create(v.parse().unwrap()),
                                "mod" => CompareTarget::Mod(v.parse().unwrap()),
                                "lease" => CompareTarget::Lease(v.parse().unwrap()),
                                o => panic!("bad target {o}"),
                            };
                            let result = match opw.as_str() {
                                "=" => CompareResult::Equal,
                                "!=" => CompareResult::NotEqual,
                                "<" => CompareResult::Less,
                                ">" => CompareResult::Greater,
                                o => panic!("bad op {o}"),
                            };
                            t.compare.push(Compare {
                                result,
                                target,
                                key,
                                range_end,
                            });
                        }
                        "then" => t.success.push(op_of(&lw[1..])),
                        "else" => t.failure.push(op_of(&lw[1..])),
                        o => panic!("bad txn line {o}"),
                    }
                }
                Request::Txn(t)
            }
            "compact" => Request::Compaction(CompactionRequest {
                revision: String::from_utf8(a.p(0)).unwrap().parse::<i64>().unwrap(),
                physical: false,
            }),
            "lease-revoke" => Request::LeaseRevoke {
                id: String::from_utf8(a.p(0)).unwrap().parse().unwrap(),
            },
            _ => return None,
        })
    }

    fn run(&mut self, cmd: &str, input: &[String]) -> String {
        let ws = words(cmd);
        let a = Args::parse(&ws[1..]);
        let mut out = String::new();
        let num = |i: usize| -> i64 { a.pos.get(i).map(|s| s.parse().unwrap()).unwrap_or(0) };
        let name = |i: usize| -> String { a.pos.get(i).cloned().unwrap_or_default() };
        let err = |e: EtcdError| format!("error: {}\n", e.message);
        match ws[0].as_str() {
            "at" => {
                self.now = Duration::from_secs(num(0) as u64);
                out.push_str("ok\n");
            }
            "as" => {
                let token = if name(0) == "-" {
                    None
                } else {
                    Some(
                        self.tokens
                            .get(&name(0))
                            .cloned()
                            .unwrap_or_else(|| "bogus.0".into()),
                    )
                };
                let rest = ws[2..].join(" ");
                let rws = words(&rest);
                match self.request_of(&rws, input) {
                    Some(req) => match self.sm.check_permission(token.as_deref(), &req) {
                        Err(e) => return err(e),
                        Ok(()) => return self.run(&rest, input),
                    },
                    None => {
                        let req = match rws[0].as_str() {
                            "hash" => Request::HashKv { revision: 0 },
                            "auth" => Request::Auth(AuthRequest::UserList),
                            o => panic!("as: unsupported {o}"),
                        };
                        if let Err(e) = self.sm.check_permission(token.as_deref(), &req) {
                            return err(e);
                        }
                        return self.run(&rest, input);
                    }
                }
            }
            "put" | "get" | "del" | "txn" | "compact" | "lease-revoke" => {
                let req = self.request_of(&ws, input).unwrap();
                match self.apply(req) {
                    Err(e) => out.push_str(&err(e)),
                    Ok(Response::Put(p)) => print_op(&mut out, "", &ResponseOp::Put(p)),
                    Ok(Response::Range(g)) => print_op(&mut out, "", &ResponseOp::Range(g)),
                    Ok(Response::DeleteRange(d)) => {
                        print_op(&mut out, "", &ResponseOp::DeleteRange(d))
                    }
                    Ok(Response::Txn(t)) => print_op(&mut out, "", &ResponseOp::Txn(t)),
                    Ok(Response::Compaction(c)) => {
                        let _ = writeln!(out, "compacted rev={}", c.header.revision);
                    }
                    Ok(Response::LeaseRevoke(r)) => {
                        let _ = writeln!(out, "revoked rev={}", r.header.revision);
                    }
                    Ok(o) => panic!("unexpected {o:?}"),
                }
            }
            "hash" => match self
                .sm
                .read(&Request::HashKv { revision: num(0) }, &self.ctx())
            {
                Ok(Response::HashKv(h)) => {
                    let _ = writeln!(
                        out,
                        "hash={} compact={} rev={}",
                        h.hash, h.compact_revision, h.header.revision
                    );
                }
                Err(e) => out.push_str(&err(e)),
                Ok(o) => panic!("unexpected {o:?}"),
            },
            "lease-grant" => match self.apply(Request::LeaseGrant(LeaseGrantRequest {
                id: num(0),
                ttl: num(1),
            })) {
                Ok(Response::LeaseGrant(g)) => {
                    let _ = writeln!(out, "id={} ttl={} rev={}", g.id, g.ttl, g.header.revision);
                }
                Err(e) => out.push_str(&err(e)),
                Ok(o) => panic!("unexpected {o:?}"),
            },
            "lease-keepalive" => match self.apply(Request::LeaseKeepAlive { id: num(0) }) {
                Ok(Response::LeaseKeepAlive(k)) => {
                    let _ = writeln!(out, "id={} ttl={}", k.id, k.ttl);
                }
                Err(e) => out.push_str(&err(e)),
                Ok(o) => panic!("unexpected {o:?}"),
            },
            "lease-ttl" => match self.sm.read(
                &Request::LeaseTimeToLive {
                    id: num(0),
                    keys: a.has("keys"),
                },
                &self.ctx(),
            ) {
                Ok(Response::LeaseTimeToLive(t)) => {
                    let keys: Vec<String> = t
                        .keys
                        .iter()
                        .map(|k| String::from_utf8_lossy(k).into_owned())
                        .collect();
                    let _ = writeln!(
                        out,
                        "id={} ttl={} granted={} keys=[{}]",
                        t.id,
                        t.ttl,
                        t.granted_ttl,
                        keys.join(" ")
                    );
                }
                Err(e) => out.push_str(&err(e)),
                Ok(o) => panic!("unexpected {o:?}"),
            },
            "leases" => match self.sm.read(&Request::LeaseLeases, &self.ctx()) {
                Ok(Response::LeaseLeases(l)) => {
                    let _ = writeln!(out, "leases={:?}", l.leases);
                }
                Err(e) => out.push_str(&err(e)),
                Ok(o) => panic!("unexpected {o:?}"),
            },
            "lease-promote" => {
                self.sm
                    .lease_promote(self.now, Duration::from_secs(a.int("extend") as u64));
                out.push_str("ok\n");
            }
            "lease-demote" => {
                self.sm.lease_demote();
                out.push_str("ok\n");
            }
            "lease-expired" => {
                let ids = self.sm.expired_leases(self.now);
                let _ = writeln!(out, "expired={ids:?}");
            }
            "watch" => {
                let (key, range_end) = key_range(&Args::parse(&ws[2..]));
                let req = WatchCreateRequest {
                    key,
                    range_end,
                    start_revision: a.int("rev"),
                    prev_kv: a.has("prev-kv"),
                    no_put: a.has("no-put"),
                    no_delete: a.has("no-delete"),
                    progress_notify: false,
                };
                let id = self.sm.watch_create(req);
                self.watches.insert(name(0), id);
                let rs = self.sm.watch_poll(id);
                print_watch(&mut out, &rs);
            }
            "poll" => {
                let id = self.watches.get(&name(0)).copied().unwrap_or(-1);
                let rs = self.sm.watch_poll(id);
                print_watch(&mut out, &rs);
                if rs.is_empty() {
                    out.push_str("nothing\n");
                }
            }
            "cancel" => {
                let id = self.watches.get(&name(0)).copied().unwrap_or(-1);
                match self.sm.watch_cancel(id) {
                    Some(r) => print_watch(&mut out, &[r]),
                    None => out.push_str("unknown watch\n"),
                }
            }
            "login" => {
                let ctx = self.ctx();
                match self
                    .sm
                    .check_password(&name(0), &name(1))
                    .and_then(|_| self.sm.authenticate(&name(0), &name(1), &ctx))
                {
                    Ok(t) => {
                        self.tokens.insert(name(0), t);
                        out.push_str("ok\n");
                    }
                    Err(e) => out.push_str(&err(e)),
                }
            }
            "auth" => {
                let perm = |t: &str| match t {
                    "read" => PermissionType::Read,
                    "write" => PermissionType::Write,
                    _ => PermissionType::ReadWrite,
                };
                let req = match name(0).as_str() {
                    "user-add" => AuthRequest::UserAdd {
                        name: name(1),
                        password: name(2),
                        no_password: false,
                    },
                    "user-delete" => AuthRequest::UserDelete { name: name(1) },
                    "grant-role" => AuthRequest::UserGrantRole {
                        user: name(1),
                        role: name(2),
                    },
                    "revoke-role" => AuthRequest::UserRevokeRole {
                        name: name(1),
                        role: name(2),
                    },
                    "role-add" => AuthRequest::RoleAdd { name: name(1) },
                    "role-delete" => AuthRequest::RoleDelete { role: name(1) },
                    "grant-perm" => {
                        let (key, range_end) = key_range(&Args::parse(&ws[4..]));
                        AuthRequest::RoleGrantPermission {
                            name: name(1),
                            perm: Permission {
                                perm_type: perm(&name(2)),
                                key,
                                range_end,
                            },
                        }
                    }
                    "role-get" => AuthRequest::RoleGet { role: name(1) },
                    "user-get" => AuthRequest::UserGet { name: name(1) },
                    "user-list" => AuthRequest::UserList,
                    "role-list" => AuthRequest::RoleList,
                    "enable" => AuthRequest::Enable,
                    "disable" => AuthRequest::Disable,
                    o => panic!("auth {o}"),
                };
                match self.apply(Request::Auth(req)) {
                    Err(e) => out.push_str(&err(e)),
                    Ok(Response::Auth(AuthResponse::Done(h))) => {
                        let _ = writeln!(out, "ok rev={}", h.revision);
                    }
                    Ok(Response::Auth(AuthResponse::RoleGet { perm, .. })) => {
                        for p in perm {
                            let _ = writeln!(
                                out,
                                "{:?} [{}, {})",
                                p.perm_type,
                                String::from_utf8_lossy(&p.key),
                                String::from_utf8_lossy(&p.range_end)
                            );
                        }
                    }
                    Ok(Response::Auth(AuthResponse::UserGet { roles, .. })) => {
                        let _ = writeln!(out, "roles={roles:?}");
                    }
                    Ok(Response::Auth(AuthResponse::UserList { users, .. })) => {
                        let _ = writeln!(out, "users={users:?}");
                    }
                    Ok(Response::Auth(AuthResponse::RoleList { roles, .. })) => {
                        let _ = writeln!(out, "roles={roles:?}");
                    }
                    Ok(Response::Auth(r)) => {
                        let _ = writeln!(out, "{r:?}");
                    }
                    Ok(o) => panic!("unexpected {o:?}"),
                }
            }
            o => panic!("unknown command {o}"),
        }
        out
    }
}

fn run_file(path: &std::path::Path) -> (String, String) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut sm = StateMachine::new();
    sm.set_bcrypt_cost(4);
    let mut r = Runner {
        sm,
        now: Duration::ZERO,
        watches: BTreeMap::new(),
        tokens: BTreeMap::new(),
    };
    let mut rewritten = String::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if l.trim().is_empty() || l.starts_with('#') {
            rewritten.push_str(l);
            rewritten.push('\n');
            i += 1;
            continue;
        }
        let cmd = l.to_string();
        let mut input = Vec::new();
        i += 1;
        while i < lines.len() && lines[i] != "----" {
            input.push(lines[i].to_string());
            i += 1;
        }
        i += 1; // ----
        while i < lines.len() && !lines[i].is_empty() {
            i += 1;
        }
        let out = r.run(&cmd, &input);
        rewritten.push_str(&cmd);
        rewritten.push('\n');
        for l in &input {
            rewritten.push_str(l);
            rewritten.push('\n');
        }
        rewritten.push_str("----\n");
        rewritten.push_str(&out);
    }
    (text, rewritten)
}

#[test]
fn scenarios() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/mvcc");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().map(|e| e == "txt").unwrap_or(false))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut failures = Vec::new();
    for f in &files {
        let (orig, got) = run_file(f);
        if std::env::var("REWRITE").is_ok() {
            std::fs::write(f, &got).unwrap();
        } else if orig != got {
            let first = orig
                .lines()
                .zip(got.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            failures.push(format!(
                "{}: first difference at line {}\n--- expected\n{}\n--- got\n{}",
                f.display(),
                first + 1,
                orig.lines().nth(first).unwrap_or(""),
                got.lines().nth(first).unwrap_or("")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
