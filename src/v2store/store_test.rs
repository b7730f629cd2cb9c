//! Tests of the v2 store: the public transcripts' store-level behaviour, and a property test
//! against a naive model (a flat map of paths) for random set/mkdir/rm/CAS/CAD/TTL sequences.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::apply::{ApplierV2, BootstrapMember};
use super::*;
use crate::api::v2::*;

const SEC: i64 = 1_000_000_000;
const T0: i64 = 1_700_000_000 * SEC;

fn cluster() -> ApplierV2 {
    let m = |id: u64, n: &str, p: u16, c: u16| BootstrapMember {
        id,
        name: n.to_string(),
        peer_urls: vec![format!("http://127.0.0.1:{}", p)],
        client_urls: vec![format!("http://127.0.0.1:{}", c)],
    };
    ApplierV2::bootstrap(
        &[
            m(0x8211f1d0f64f3269, "infra1", 12380, 2379),
            m(0x91bc3c398fb3c146, "infra2", 22380, 22379),
            m(0xfd422379fda50e48, "infra3", 32380, 32379),
        ],
        T0,
    )
}

fn keys(k: KeysRequest) -> V2Request {
    V2Request {
        op: V2Op::Keys(k),
        credentials: None,
        now: T0,
    }
}

fn put(path: &str, val: &str) -> V2Request {
    keys(KeysRequest {
        method: Method::Put,
        path: path.into(),
        val: val.into(),
        ..Default::default()
    })
}

fn show(r: V2Response) -> String {
    match r {
        V2Response::Event(e) => format!(
            "{} {} {} {}",
            e.action, e.node.key, e.node.created_index, e.node.modified_index
        ),
        V2Response::Error(e) => e.to_string(),
        other => format!("{:?}", other),
    }
}

#[test]
fn fresh_cluster_is_at_index_7() {
    let mut a = cluster();
    assert_eq!(a.index(), 7);
    assert_eq!(show(a.apply(&put("/message", "hello"))), "set /message 8 8");
    let ls = a.apply(&keys(KeysRequest {
        path: "/".into(),
        recursive: true,
        ..Default::default()
    }));
    match ls {
        V2Response::Event(e) => {
            assert_eq!(e.node.key, "");
            assert_eq!(e.node.nodes.map(|n| n.len()), Some(1));
        }
        other => panic!("{:?}", other),
    }
}

#[test]
fn basics_transcript() {
    let mut a = cluster();
    assert_eq!(show(a.apply(&put("/message", "hello"))), "set /message 8 8");
    let mk = |k: &str, v: &str| {
        keys(KeysRequest {
            method: Method::Put,
            path: k.into(),
            val: v.into(),
            prev_exist: Some(false),
            ..Default::default()
        })
    };
    let upd = |k: &str, v: &str| {
        keys(KeysRequest {
            method: Method::Put,
            path: k.into(),
            val: v.into(),
            prev_exist: Some(true),
            ..Default::default()
        })
    };
    assert_eq!(
        show(a.apply(&put("/message", "hello again"))),
        "set /message 9 9"
    );
    assert_eq!(
        show(a.apply(&mk("/message", "again"))),
        "105: Key already exists (/message) [9]"
    );
    assert_eq!(show(a.apply(&mk("/fresh", "new"))), "create /fresh 10 10");
    assert_eq!(
        show(a.apply(&upd("/message", "updated"))),
        "update /message 9 11"
    );
    assert_eq!(
        show(a.apply(&upd("/missing", "x"))),
        "100: Key not found (/missing) [11]"
    );
    let rm = keys(KeysRequest {
        method: Method::Delete,
        path: "/message".into(),
        ..Default::default()
    });
    assert_eq!(show(a.apply(&rm)), "delete /message 9 12");
    assert_eq!(show(a.apply(&rm)), "100: Key not found (/message) [12]");
    let root = keys(KeysRequest {
        method: Method::Delete,
        path: "/".into(),
        recursive: true,
        ..Default::default()
    });
    assert_eq!(show(a.apply(&root)), "107: Root is read only (/) [12]");
}

#[test]
fn dirs_transcript() {
    let mut a = cluster();
    let mkdir = |k: &str| {
        keys(KeysRequest {
            method: Method::Put,
            path: k.into(),
            dir: true,
            prev_exist: Some(false),
            ..Default::default()
        })
    };
    let del = |k: &str, dir: bool, rec: bool| {
        keys(KeysRequest {
            method: Method::Delete,
            path: k.into(),
            dir,
            recursive: rec,
            ..Default::default()
        })
    };
    assert_eq!(show(a.apply(&mkdir("/services"))), "create /services 8 8");
    assert_eq!(
        show(a.apply(&mkdir("/services"))),
        "105: Key already exists (/services) [8]"
    );
    a.apply(&put("/services/web/host", "web.local"));
    a.apply(&put("/services/web/port", "80"));
    a.apply(&put("/services/db/host", "db.local"));
    let setdir = keys(KeysRequest {
        method: Method::Put,
        path: "/services/cache".into(),
        dir: true,
        ..Default::default()
    });
    assert_eq!(show(a.apply(&setdir)), "set /services/cache 12 12");
    assert_eq!(
        show(a.apply(&setdir)),
        "102: Not a file (/services/cache) [12]"
    );
    let updatedir = keys(KeysRequest {
        method: Method::Put,
        path: "/services/cache".into(),
        dir: true,
        prev_exist: Some(true),
        expiration: T0 + 300 * SEC,
        ..Default::default()
    });
    assert_eq!(show(a.apply(&updatedir)), "update /services/cache 12 13");
    assert_eq!(
        show(a.apply(&del("/services/web", true, false))),
        "108: Directory not empty (/services/web) [13]"
    );
    assert_eq!(
        show(a.apply(&del("/services/web", false, false))),
        "102: Not a file (/services/web) [13]"
    );
    assert_eq!(
        show(a.apply(&del("/services/cache", true, false))),
        "delete /services/cache 12 14"
    );
    assert_eq!(
        show(a.apply(&del("/services/web", false, true))),
        "delete /services/web 9 15"
    );
    assert_eq!(
        show(a.apply(&put("/services", "x"))),
        "102: Not a file (/services) [15]"
    );
    a.apply(&put("/f1", "v"));
    assert_eq!(
        show(a.apply(&put("/f1/child", "v"))),
        "104: Not a directory (/f1) [16]"
    );
    let get = keys(KeysRequest {
        path: "/f1/child".into(),
        ..Default::default()
    });
    assert_eq!(show(a.apply(&get)), "104: Not a directory (/f1) [16]");
}

#[test]
fn cas_and_ttl_transcript() {
    let mut a = cluster();
    a.apply(&put("/lock", "free"));
    let cas = |v: &str, pv: &str, pi: u64| {
        keys(KeysRequest {
            method: Method::Put,
            path: "/lock".into(),
            val: v.into(),
            prev_value: pv.into(),
            prev_index: pi,
            ..Default::default()
        })
    };
    assert_eq!(
        show(a.apply(&cas("taken", "free", 0))),
        "compareAndSwap /lock 8 9"
    );
    assert_eq!(
        show(a.apply(&cas("taken2", "free", 0))),
        "101: Compare failed ([free != taken]) [9]"
    );
    assert_eq!(
        show(a.apply(&cas("mine", "", 9))),
        "compareAndSwap /lock 8 10"
    );
    assert_eq!(
        show(a.apply(&cas("mine2", "", 9))),
        "101: Compare failed ([9 != 10]) [10]"
    );
    assert_eq!(
        show(a.apply(&cas("x", "bad", 1))),
        "101: Compare failed ([bad != mine] [1 != 10]) [10]"
    );
    let cad = keys(KeysRequest {
        method: Method::Delete,
        path: "/lock".into(),
        prev_value: "mine".into(),
        ..Default::default()
    });
    assert_eq!(show(a.apply(&cad)), "compareAndDelete /lock 8 11");

    let ttl = keys(KeysRequest {
        method: Method::Put,
        path: "/session".into(),
        val: "abc".into(),
        expiration: T0 + 2 * SEC,
        ..Default::default()
    });
    match a.apply(&ttl) {
        V2Response::Event(e) => {
            assert_eq!(e.node.ttl, 2);
            assert_eq!(e.node.expiration, Some(T0 + 2 * SEC));
        }
        other => panic!("{:?}", other),
    }
    assert!(a.has_ttl_keys());
    a.apply(&V2Request::sync(T0 + SEC));
    assert_eq!(a.index(), 12);
    a.apply(&V2Request::sync(T0 + 2 * SEC));
    assert_eq!(a.index(), 13);
    assert!(!a.has_ttl_keys());
    let get = keys(KeysRequest {
        path: "/session".into(),
        ..Default::default()
    });
    assert_eq!(show(a.apply(&get)), "100: Key not found (/session) [13]");
}

#[test]
fn ttl_keys_expire_by_the_time_of_the_next_request() {
    let mut a = cluster();
    let ttl = keys(KeysRequest {
        method: Method::Put,
        path: "/t".into(),
        val: "x".into(),
        expiration: T0 + 2 * SEC,
        ..Default::default()
    });
    a.apply(&ttl);
    let mut get = keys(KeysRequest {
        path: "/t".into(),
        ..Default::default()
    });
    get.now = T0 + SEC;
    assert_eq!(show(a.apply(&get)), "get /t 8 8");
    get.now = T0 + 3 * SEC;
    assert_eq!(show(a.apply(&get)), "100: Key not found (/t) [9]");
    let w = V2Request {
        op: V2Op::Keys(KeysRequest {
            path: "/t".into(),
            wait: true,
            since: 9,
            ..Default::default()
        }),
        credentials: None,
        now: T0 + 3 * SEC,
    };
    match a.apply(&w) {
        V2Response::Watch { event: Some(e), .. } => assert_eq!(e.action, "expire"),
        other => panic!("{:?}", other),
    }
}

#[test]
fn in_order_keys_and_watch() {
    let mut a = cluster();
    let post = |v: &str| {
        keys(KeysRequest {
            method: Method::Post,
            path: "/queue".into(),
            val: v.into(),
            ..Default::default()
        })
    };
    assert_eq!(
        show(a.apply(&post("job1"))),
        "create /queue/00000000000000000008 8 8"
    );
    assert_eq!(
        show(a.apply(&post("job2"))),
        "create /queue/00000000000000000009 9 9"
    );
    let w = keys(KeysRequest {
        path: "/queue".into(),
        wait: true,
        since: 2,
        recursive: true,
        ..Default::default()
    });
    match a.apply(&w) {
        V2Response::Watch { event: Some(e), .. } => {
            assert_eq!(e.node.key, "/queue/00000000000000000008");
            assert_eq!(e.etcd_index, 9);
        }
        other => panic!("{:?}", other),
    }
    let w = keys(KeysRequest {
        path: "/queue".into(),
        wait: true,
        recursive: true,
        ..Default::default()
    });
    match a.apply(&w) {
        V2Response::Watch {
            event: None,
            since: 10,
            start_index: 9,
        } => {}
        other => panic!("{:?}", other),
    }
    for i in 0..1100 {
        a.apply(&put("/k", &i.to_string()));
    }
    let w = keys(KeysRequest {
        path: "/k".into(),
        wait: true,
        since: 2,
        ..Default::default()
    });
    assert_eq!(
        show(a.apply(&w)),
        "401: The event in requested index is outdated and cleared (the requested history has been cleared [110/2]) [1109]"
    );
}

#[test]
fn hidden_keys_are_not_listed() {
    let mut a = cluster();
    a.apply(&put("/_hidden", "h"));
    a.apply(&put("/h/_x", "1"));
    let ls = keys(KeysRequest {
        path: "/".into(),
        recursive: true,
        ..Default::default()
    });
    match a.apply(&ls) {
        V2Response::Event(e) => {
            let keys: Vec<String> = e
                .node
                .nodes
                .unwrap_or_default()
                .into_iter()
                .map(|n| n.key)
                .collect();
            assert_eq!(keys, vec!["/h".to_string()]);
        }
        other => panic!("{:?}", other),
    }
    assert_eq!(
        show(a.apply(&keys(KeysRequest {
            path: "/_hidden".into(),
            ..Default::default()
        }))),
        "get /_hidden 8 8"
    );
}

#[test]
fn auth_takes_indexes_like_etcd() {
    let mut a = cluster();
    a.apply(&put("/a", "1"));
    let auth = |op: AuthOp, creds: Option<(&str, &str)>| V2Request {
        op: V2Op::Auth(op),
        credentials: creds.map(|(u, p)| Credentials {
            username: u.into(),
            password: p.into(),
        }),
        now: T0,
    };
    assert_eq!(
        a.apply(&auth(AuthOp::Enable, None)),
        V2Response::AuthError {
            status: 409,
            message: "auth: No root user available, please create one".into()
        }
    );
    assert_eq!(
        a.apply(&auth(
            AuthOp::UserPut {
                name: "root".into(),
                password: "rootpw".into()
            },
            None
        )),
        V2Response::Created
    );
    assert_eq!(show(a.apply(&put("/b", "2"))), "set /b 14 14");
    assert_eq!(
        a.apply(&auth(
            AuthOp::UserPut {
                name: "root".into(),
                password: "rootpw".into()
            },
            None
        )),
        V2Response::Done
    );
    a.apply(&auth(
        AuthOp::RoleAdd {
            name: "readers".into(),
        },
        None,
    ));
    a.apply(&auth(
        AuthOp::RoleGrant {
            name: "readers".into(),
            read: vec![],
            write: vec!["/x".into()],
        },
        None,
    ));
    assert_eq!(
        a.apply(&auth(
            AuthOp::RoleRevoke {
                name: "readers".into(),
                read: vec![],
                write: vec!["/y".into()]
            },
            None
        )),
        V2Response::AuthError {
            status: 400,
            message: "auth: Role not updated. Use grant/revoke to update the role.".into()
        }
    );
    a.apply(&auth(
        AuthOp::UserGrant {
            name: "root".into(),
            roles: vec!["readers".into()],
        },
        None,
    ));
    assert_eq!(show(a.apply(&put("/c", "3"))), "set /c 19 19");
    assert_eq!(a.apply(&auth(AuthOp::Enable, None)), V2Response::Done);
    assert_eq!(
        a.apply(&auth(AuthOp::RoleList, None)),
        V2Response::AuthError {
            status: 401,
            message: "Insufficient credentials".into()
        }
    );
    assert_eq!(
        a.apply(&auth(AuthOp::RoleList, Some(("root", "rootpw")))),
        V2Response::Roles(vec!["guest".into(), "readers".into(), "root".into()])
    );
    assert_eq!(show(a.apply(&put("/d", "4"))), "set /d 22 22");
    assert_eq!(
        a.apply(&auth(AuthOp::Disable, Some(("root", "rootpw")))),
        V2Response::Done
    );
    assert_eq!(show(a.apply(&put("/e", "5"))), "set /e 24 24");
}

#[test]
fn role_globs_limit_writes() {
    let mut a = cluster();
    let auth = |op: AuthOp, creds: Option<(&str, &str)>| V2Request {
        op: V2Op::Auth(op),
        credentials: creds.map(|(u, p)| Credentials {
            username: u.into(),
            password: p.into(),
        }),
        now: T0,
    };
    a.apply(&auth(
        AuthOp::UserPut {
            name: "root".into(),
            password: "rootpw".into(),
        },
        None,
    ));
    a.apply(&auth(
        AuthOp::UserPut {
            name: "reader".into(),
            password: "readerpw".into(),
        },
        None,
    ));
    a.apply(&auth(
        AuthOp::RoleAdd {
            name: "readers".into(),
        },
        None,
    ));
    a.apply(&auth(
        AuthOp::RoleGrant {
            name: "readers".into(),
            read: vec!["/public/*".into()],
            write: vec![],
        },
        None,
    ));
    a.apply(&auth(
        AuthOp::UserGrant {
            name: "reader".into(),
            roles: vec!["readers".into()],
        },
        None,
    ));
    a.apply(&put("/public/motd", "hi"));
    a.apply(&auth(AuthOp::Enable, None));
    let mut get = keys(KeysRequest {
        path: "/public/motd".into(),
        ..Default::default()
    });
    get.credentials = Some(Credentials {
        username: "reader".into(),
        password: "readerpw".into(),
    });
    assert!(matches!(a.apply(&get), V2Response::Event(_)));
    let mut set = put("/public/motd", "changed");
    set.credentials = get.credentials.clone();
    assert_eq!(
        show(a.apply(&set)),
        "110: The request requires user authentication (Insufficient credentials) [0]"
    );
}

// ---- the model ----------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct MNode {
    dir: bool,
    value: String,
    created: u64,
    modified: u64,
    expire: Option<i64>,
}

/// A flat map from full path to node, with the rules spelled out directly.
#[derive(Default, Debug)]
struct Model {
    nodes: BTreeMap<String, MNode>,
    index: u64,
}

fn ancestors(p: &str) -> Vec<String> {
    let parts: Vec<&str> = p.split('/').filter(|s| !s.is_empty()).collect();
    (1..parts.len())
        .map(|i| format!("/{}", parts[..i].join("/")))
        .collect()
}

impl Model {
    /// Error code and cause of walking to `p` (100 / 104), if any.
    fn walk(&self, p: &str) -> Result<(), (u32, String)> {
        let mut all = ancestors(p);
        all.push(p.to_string());
        let mut parent_is_file: Option<String> = None;
        for a in all {
            if let Some(f) = parent_is_file {
                return Err((104, f));
            }
            match self.nodes.get(&a) {
                None => return Err((100, a)),
                Some(n) if !n.dir => parent_is_file = Some(a),
                _ => {}
            }
        }
        Ok(())
    }

    fn check_parents(&self, p: &str) -> Result<(), (u32, String)> {
        for a in ancestors(p) {
            if let Some(n) = self.nodes.get(&a) {
                if !n.dir {
                    return Err((104, a));
                }
            }
        }
        Ok(())
    }

    fn make_parents(&mut self, p: &str, idx: u64) {
        for a in ancestors(p) {
            self.nodes.entry(a).or_insert(MNode {
                dir: true,
                value: String::new(),
                created: idx,
                modified: idx,
                expire: None,
            });
        }
    }

    fn remove_tree(&mut self, p: &str) {
        let prefix = format!("{}/", p);
        self.nodes.retain(|k, _| k != p && !k.starts_with(&prefix));
    }

    fn has_children(&self, p: &str) -> bool {
        let prefix = format!("{}/", p);
        self.nodes.keys().any(|k| k.starts_with(&prefix))
    }

    fn apply(&mut self, op: &Op) -> Result<(u64, u64), (u32, String)> {
        let next = self.index + 1;
        match op {
            Op::Set(p, v, ttl) | Op::Mk(p, v, ttl) => {
                self.check_parents(p)?;
                if let Some(n) = self.nodes.get(p) {
                    if matches!(op, Op::Mk(..)) {
                        return Err((105, p.clone()));
                    }
                    if n.dir {
                        return Err((102, p.clone()));
                    }
                }
                self.make_parents(p, next);
                self.nodes.insert(
                    p.clone(),
                    MNode {
                        dir: false,
                        value: v.clone(),
                        created: next,
                        modified: next,
                        expire: *ttl,
                    },
                );
                self.index = next;
                Ok((next, next))
            }
            Op::Mkdir(p) => {
                self.check_parents(p)?;
                if self.nodes.contains_key(p) {
                    return Err((105, p.clone()));
                }
                self.make_parents(p, next);
                self.nodes.insert(
                    p.clone(),
                    MNode {
                        dir: true,
                        value: String::new(),
                        created: next,
                        modified: next,
                        expire: None,
                    },
                );
                self.index = next;
                Ok((next, next))
            }
            Op::Rm(p, dir, rec) => {
                self.walk(p)?;
                let n = self.nodes.get(p).cloned().ok_or((100, p.clone()))?;
                if n.dir {
                    if !dir && !rec {
                        return Err((102, p.clone()));
                    }
                    if !rec && self.has_children(p) {
                        return Err((108, p.clone()));
                    }
                }
                self.remove_tree(p);
                self.index = next;
                Ok((n.created, next))
            }
            Op::Cas(p, pv, pi, v) => {
                self.walk(p)?;
                let cur = self.index;
                let n = self.nodes.get_mut(p).ok_or((100, p.clone()))?;
                if n.dir {
                    return Err((102, p.clone()));
                }
                let vm = pv.is_empty() || *pv == n.value;
                let im = *pi == 0 || *pi == n.modified;
                if !(vm && im) {
                    let _ = cur;
                    return Err((101, String::new()));
                }
                n.value = v.clone();
                n.modified = next;
                n.expire = None;
                let created = n.created;
                self.index = next;
                Ok((created, next))
            }
            Op::Cad(p, pv, pi) => {
                self.walk(p)?;
                let n = self.nodes.get(p).cloned().ok_or((100, p.clone()))?;
                if n.dir {
                    return Err((102, p.clone()));
                }
                let vm = pv.is_empty() || *pv == n.value;
                let im = *pi == 0 || *pi == n.modified;
                if !(vm && im) {
                    return Err((101, String::new()));
                }
                self.remove_tree(p);
                self.index = next;
                Ok((n.created, next))
            }
            Op::Sync(t) => {
                loop {
                    let due = self
                        .nodes
                        .iter()
                        .filter_map(|(k, n)| n.expire.filter(|e| *e <= *t).map(|e| (e, k.clone())))
                        .min();
                    match due {
                        Some((_, k)) => {
                            self.remove_tree(&k);
                            self.index += 1;
                        }
                        None => break,
                    }
                }
                Ok((0, self.index))
            }
        }
    }
}

#[derive(Clone, Debug)]
enum Op {
    Set(String, String, Option<i64>),
    Mk(String, String, Option<i64>),
    Mkdir(String),
    Rm(String, bool, bool),
    Cas(String, String, u64, String),
    Cad(String, String, u64),
    Sync(i64),
}

fn arb_path() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "/a", "/b", "/a/x", "/a/y", "/b/z", "/a/x/q", "/_h", "/a/_h",
    ])
    .prop_map(String::from)
}

fn arb_value() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["", "1", "2", "v"]).prop_map(String::from)
}

fn arb_ttl() -> impl Strategy<Value = Option<i64>> {
    prop_oneof![Just(None), (1i64..5).prop_map(|s| Some(T0 + s * SEC))]
}

fn arb_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (arb_path(), arb_value(), arb_ttl()).prop_map(|(p, v, t)| Op::Set(p, v, t)),
        (arb_path(), arb_value(), arb_ttl()).prop_map(|(p, v, t)| Op::Mk(p, v, t)),
        arb_path().prop_map(Op::Mkdir),
        (arb_path(), any::<bool>(), any::<bool>()).prop_map(|(p, d, r)| Op::Rm(p, d, r)),
        (arb_path(), arb_value(), 0u64..14, arb_value())
            .prop_map(|(p, pv, pi, v)| Op::Cas(p, pv, pi, v)),
        (arb_path(), arb_value(), 0u64..14).prop_map(|(p, pv, pi)| Op::Cad(p, pv, pi)),
        (0i64..6).prop_map(|s| Op::Sync(T0 + s * SEC)),
    ]
}

fn to_request(op: &Op) -> V2Request {
    let k = |m: Method, p: &str| KeysRequest {
        method: m,
        path: p.to_string(),
        ..Default::default()
    };
    match op {
        Op::Set(p, v, t) => keys(KeysRequest {
            val: v.clone(),
            expiration: t.unwrap_or(0),
            ..k(Method::Put, p)
        }),
        Op::Mk(p, v, t) => keys(KeysRequest {
            val: v.clone(),
            expiration: t.unwrap_or(0),
            prev_exist: Some(false),
            ..k(Method::Put, p)
        }),
        Op::Mkdir(p) => keys(KeysRequest {
            dir: true,
            prev_exist: Some(false),
            ..k(Method::Put, p)
        }),
        Op::Rm(p, d, r) => keys(KeysRequest {
            dir: *d,
            recursive: *r,
            ..k(Method::Delete, p)
        }),
        Op::Cas(p, pv, pi, v) => {
            if pv.is_empty() && *pi == 0 {
                // not a compare at all in etcd's terms; make it a pure index compare
                keys(KeysRequest {
                    val: v.clone(),
                    prev_index: 1,
                    ..k(Method::Put, p)
                })
            } else {
                keys(KeysRequest {
                    val: v.clone(),
                    prev_value: pv.clone(),
                    prev_index: *pi,
                    ..k(Method::Put, p)
                })
            }
        }
        Op::Cad(p, pv, pi) => {
            if pv.is_empty() && *pi == 0 {
                keys(KeysRequest {
                    prev_index: 1,
                    ..k(Method::Delete, p)
                })
            } else {
                keys(KeysRequest {
                    prev_value: pv.clone(),
                    prev_index: *pi,
                    ..k(Method::Delete, p)
                })
            }
        }
        Op::Sync(t) => V2Request::sync(*t),
    }
}

fn normalize_op(op: Op) -> Op {
    match op {
        Op::Cas(p, pv, pi, v) if pv.is_empty() && pi == 0 => Op::Cas(p, pv, 1, v),
        Op::Cad(p, pv, pi) if pv.is_empty() && pi == 0 => Op::Cad(p, pv, 1),
        o => o,
    }
}

/// Every node of the real store under `/1`, as (user path, dir, value, created, modified).
fn dump(a: &ApplierV2) -> Vec<(String, bool, String, u64, u64)> {
    fn walk(n: &node::Node, out: &mut Vec<(String, bool, String, u64, u64)>) {
        for c in n.children().into_iter().flat_map(|c| c.values()) {
            out.push((
                c.path.trim_start_matches("/1").to_string(),
                c.is_dir(),
                c.value().to_string(),
                c.created_index,
                c.modified_index,
            ));
            walk(c, out);
        }
    }
    let mut out = Vec::new();
    if let Some(ns) = a.store.root().children().and_then(|c| c.get("1")) {
        walk(ns, &mut out);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn store_matches_model(ops in prop::collection::vec(arb_op(), 1..40)) {
        let mut a = cluster();
        let mut m = Model { index: 7, ..Model::default() };
        for op in ops {
            let op = normalize_op(op);
            let got = a.apply(&to_request(&op));
            let want = m.apply(&op);
            match (&got, &want) {
                (V2Response::Event(e), Ok((created, modified))) => {
                    prop_assert_eq!(e.node.modified_index, *modified, "{:?}", op);
                    prop_assert_eq!(e.node.created_index, *created, "{:?}", op);
                }
                (V2Response::Done, Ok(_)) => {}
                (V2Response::Error(e), Err((code, cause))) => {
                    prop_assert_eq!(e.error_code, *code, "{:?}", op);
                    if *code != 101 {
                        prop_assert_eq!(&e.cause, cause, "{:?}", op);
                    }
                    prop_assert_eq!(e.index, m.index, "{:?}", op);
                }
                _ => prop_assert!(false, "{:?}: store {:?}, model {:?}", op, got, want),
            }
            prop_assert_eq!(a.index(), m.index);
            let want_nodes: Vec<(String, bool, String, u64, u64)> =
                m.nodes.iter().map(|(k, n)| (k.clone(), n.dir, n.value.clone(), n.created, n.modified)).collect();
            let mut got_nodes = dump(&a);
            got_nodes.sort();
            prop_assert_eq!(got_nodes, want_nodes);
        }
    }
}
