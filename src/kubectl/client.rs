//! What kube-apiserver does against etcd for the commands `kubectl` runs: list a prefix in
//! chunks of 500 at one revision, get one key, create with a txn that the key does not exist,
//! delete with a txn on the key's mod_revision, and a log of each etcd request it made.
//!
//! Owns: kube-apiserver's client of etcd over the [`Cluster`] interface (its endpoint and
//! timeout), [`EtcdRequest`] (one line of "the etcd request" under a kubectl command) and the
//! storage operations. Must not touch: printing, argument parsing.

use std::time::Duration;

use crate::api::{
    CallError, Compare, CompareResult, CompareTarget, DeleteRangeRequest, KeyValue, PutRequest,
    RangeRequest, Request, RequestOp, Response, ResponseOp, TxnRequest,
};
use crate::cluster::Cluster;

/// The endpoint kube-apiserver uses (`--etcd-servers=https://127.0.0.1:2379`).
pub const ETCD_ENDPOINT: &str = "127.0.0.1:2379";
/// How long kube-apiserver waits for one etcd request.
pub const ETCD_TIMEOUT: Duration = Duration::from_secs(5);
/// kube-apiserver lists in pages of this many keys (kubectl's default `--chunk-size`).
pub const CHUNK: i64 = 500;

/// One request to etcd as kube-apiserver sends it: to [`ETCD_ENDPOINT`], no auth token,
/// [`ETCD_TIMEOUT`].
pub fn etcd_call<C: Cluster + ?Sized>(
    cluster: &mut C,
    req: Request,
) -> Result<Response, CallError> {
    cluster.call(ETCD_ENDPOINT, None, req, ETCD_TIMEOUT)
}

/// The cluster's wall clock in Unix seconds (what AGE columns and timestamps count from).
pub fn unix_seconds<C: Cluster + ?Sized>(cluster: &C) -> i64 {
    cluster.unix_nanos().div_euclid(1_000_000_000)
}

/// One etcd request a kubectl command caused, for "show the etcd request".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EtcdRequest {
    /// `Range` or `Txn`.
    pub op: &'static str,
    pub key: String,
    /// Empty for a single key.
    pub range_end: String,
    /// The revision asked for (0: the latest).
    pub revision: i64,
    pub limit: i64,
    /// For a txn: `if mod_revision(key) == N then Delete else Range`.
    pub detail: String,
    /// What came back: `3 keys (more)`, `succeeded`, an error...
    pub result: String,
    /// The store revision in the response header.
    pub header_revision: i64,
}

impl EtcdRequest {
    /// One line: `Range key="/registry/pods/default/" range_end="/registry/pods/default0" limit=500 revision=0 -> 3 keys at revision 412`.
    pub fn line(&self) -> String {
        let mut s = format!("{} key={:?}", self.op, self.key);
        if !self.range_end.is_empty() {
            s.push_str(&format!(" range_end={:?}", self.range_end));
        }
        if self.limit > 0 {
            s.push_str(&format!(" limit={}", self.limit));
        }
        if self.op == "Range" {
            s.push_str(&format!(" revision={}", self.revision));
        }
        if !self.detail.is_empty() {
            s.push_str(&format!(" {}", self.detail));
        }
        s.push_str(&format!(" -> {}", self.result));
        if self.header_revision > 0 {
            s.push_str(&format!(" at revision {}", self.header_revision));
        }
        s
    }
}

/// Why a storage operation failed, worded as kubectl prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// `Error from server: etcdserver: request timed out` and the like.
    Etcd(String),
    /// Nothing answered at the etcd endpoint.
    Unreachable,
}

impl StoreError {
    pub fn message(&self) -> String {
        match self {
            StoreError::Etcd(m) => format!("Error from server: {m}"),
            StoreError::Unreachable => {
                "Error from server: rpc error: code = Unavailable desc = connection refused (etcd at 127.0.0.1:2379 is down)".into()
            }
        }
    }
}

fn call_err(e: CallError) -> StoreError {
    match e {
        CallError::Unreachable => StoreError::Unreachable,
        CallError::DeadlineExceeded => StoreError::Etcd("etcdserver: request timed out".into()),
        CallError::Server(e) => StoreError::Etcd(e.message),
    }
}

/// The end of the range of every key that starts with `prefix` (etcd's `GetPrefixRangeEnd`).
pub fn prefix_end(prefix: &[u8]) -> Vec<u8> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xff {
            end.push(last + 1);
            return end;
        }
    }
    vec![0]
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The operations, with the log of requests.
pub struct Storage<'a, C: Cluster + ?Sized> {
    pub cluster: &'a mut C,
    pub log: Vec<EtcdRequest>,
}

impl<'a, C: Cluster + ?Sized> Storage<'a, C> {
    pub fn new(cluster: &'a mut C) -> Self {
        Storage {
            cluster,
            log: Vec::new(),
        }
    }

    /// Whether anything lives under `/registry/` (else there is no Kubernetes here). Not
    /// logged: it stands for "is an API server running", which etcd cannot tell.
    pub fn has_registry(&mut self) -> Result<(i64, bool), StoreError> {
        let req = RangeRequest {
            key: b"/registry/".to_vec(),
            range_end: prefix_end(b"/registry/"),
            limit: 1,
            keys_only: true,
            ..Default::default()
        };
        match etcd_call(self.cluster, Request::Range(req)).map_err(call_err)? {
            Response::Range(r) => Ok((r.header.revision, !r.kvs.is_empty())),
            _ => Ok((0, false)),
        }
    }

    /// Every key under `prefix`, in pages of [`CHUNK`] read at one revision, as the apiserver
    /// lists for kubectl's chunked `get`.
    pub fn list(&mut self, prefix: &str) -> Result<(Vec<KeyValue>, i64), StoreError> {
        let end = prefix_end(prefix.as_bytes());
        let mut start = prefix.as_bytes().to_vec();
        let mut revision = 0i64;
        let mut out = Vec::new();
        loop {
            let req = RangeRequest {
                key: start.clone(),
                range_end: end.clone(),
                limit: CHUNK,
                revision,
                ..Default::default()
            };
            let mut entry = EtcdRequest {
                op: "Range",
                key: text(&start),
                range_end: text(&end),
                revision,
                limit: CHUNK,
                detail: String::new(),
                result: String::new(),
                header_revision: 0,
            };
            let resp = etcd_call(self.cluster, Request::Range(req));
            let r = match resp {
                Ok(Response::Range(r)) => r,
                Ok(_) => {
                    entry.result = "unexpected response".into();
                    self.log.push(entry);
                    return Err(StoreError::Etcd("unexpected response".into()));
                }
                Err(e) => {
                    let e = call_err(e);
                    entry.result = e.message();
                    self.log.push(entry);
                    return Err(e);
                }
            };
            entry.result = format!(
                "{} key{}{}",
                r.kvs.len(),
                if r.kvs.len() == 1 { "" } else { "s" },
                if r.more { " (more)" } else { "" }
            );
            entry.header_revision = r.header.revision;
            self.log.push(entry);
            if revision == 0 {
                revision = r.header.revision;
            }
            let more = r.more;
            let last = r.kvs.last().map(|kv| kv.key.clone());
            out.extend(r.kvs);
            match (more, last) {
                (true, Some(mut k)) => {
                    k.push(0);
                    start = k;
                }
                _ => return Ok((out, revision)),
            }
        }
    }

    /// One key.
    pub fn get(&mut self, key: &str) -> Result<(Option<KeyValue>, i64), StoreError> {
        let req = RangeRequest {
            key: key.as_bytes().to_vec(),
            ..Default::default()
        };
        let mut entry = EtcdRequest {
            op: "Range",
            key: key.to_string(),
            range_end: String::new(),
            revision: 0,
            limit: 0,
            detail: String::new(),
            result: String::new(),
            header_revision: 0,
        };
        match etcd_call(self.cluster, Request::Range(req)) {
            Ok(Response::Range(r)) => {
                entry.result = if r.kvs.is_empty() {
                    "not found".into()
                } else {
                    "1 key".into()
                };
                entry.header_revision = r.header.revision;
                self.log.push(entry);
                Ok((r.kvs.into_iter().next(), r.header.revision))
            }
            Ok(_) => Err(StoreError::Etcd("unexpected response".into())),
            Err(e) => {
                let e = call_err(e);
                entry.result = e.message();
                self.log.push(entry);
                Err(e)
            }
        }
    }

    fn txn(
        &mut self,
        key: &str,
        detail: String,
        t: TxnRequest,
    ) -> Result<(bool, i64, Vec<ResponseOp>), StoreError> {
        let mut entry = EtcdRequest {
            op: "Txn",
            key: key.to_string(),
            range_end: String::new(),
            revision: 0,
            limit: 0,
            detail,
            result: String::new(),
            header_revision: 0,
        };
        match etcd_call(self.cluster, Request::Txn(t)) {
            Ok(Response::Txn(r)) => {
                entry.result = if r.succeeded {
                    "succeeded".into()
                } else {
                    "compare failed".into()
                };
                entry.header_revision = r.header.revision;
                self.log.push(entry);
                Ok((r.succeeded, r.header.revision, r.responses))
            }
            Ok(_) => Err(StoreError::Etcd("unexpected response".into())),
            Err(e) => {
                let e = call_err(e);
                entry.result = e.message();
                self.log.push(entry);
                Err(e)
            }
        }
    }

    /// Creates a key that must not exist (`mod_revision == 0`), as the apiserver's create does.
    /// `Ok(false)` if it already existed.
    pub fn create(&mut self, key: &str, value: Vec<u8>) -> Result<(bool, i64), StoreError> {
        let k = key.as_bytes().to_vec();
        let t = TxnRequest {
            compare: vec![Compare {
                result: CompareResult::Equal,
                target: CompareTarget::Mod(0),
                key: k.clone(),
                range_end: Vec::new(),
            }],
            success: vec![RequestOp::Put(PutRequest {
                key: k.clone(),
                value,
                ..Default::default()
            })],
            failure: vec![RequestOp::Range(RangeRequest {
                key: k,
                ..Default::default()
            })],
        };
        let (ok, rev, _) = self.txn(
            key,
            "if mod_revision(key) == 0 then Put else Range".into(),
            t,
        )?;
        Ok((ok, rev))
    }

    /// Deletes a key if it is still at `mod_revision`, as the apiserver's delete does.
    pub fn delete(&mut self, key: &str, mod_revision: i64) -> Result<(bool, i64), StoreError> {
        let k = key.as_bytes().to_vec();
        let t = TxnRequest {
            compare: vec![Compare {
                result: CompareResult::Equal,
                target: CompareTarget::Mod(mod_revision),
                key: k.clone(),
                range_end: Vec::new(),
            }],
            success: vec![RequestOp::DeleteRange(DeleteRangeRequest {
                key: k.clone(),
                ..Default::default()
            })],
            failure: vec![RequestOp::Range(RangeRequest {
                key: k,
                ..Default::default()
            })],
        };
        let (ok, rev, _) = self.txn(
            key,
            format!("if mod_revision(key) == {mod_revision} then DeleteRange else Range"),
            t,
        )?;
        Ok((ok, rev))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_ends() {
        assert_eq!(prefix_end(b"/registry/pods/"), b"/registry/pods0".to_vec());
        assert_eq!(prefix_end(b"a\xff"), b"b".to_vec());
        assert_eq!(prefix_end(b"\xff"), vec![0]);
    }

    #[test]
    fn request_lines() {
        let r = EtcdRequest {
            op: "Range",
            key: "/registry/pods/default/".into(),
            range_end: "/registry/pods/default0".into(),
            revision: 0,
            limit: 500,
            detail: String::new(),
            result: "3 keys".into(),
            header_revision: 412,
        };
        assert_eq!(r.line(), "Range key=\"/registry/pods/default/\" range_end=\"/registry/pods/default0\" limit=500 revision=0 -> 3 keys at revision 412");
    }
}
