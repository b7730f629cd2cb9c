//! A real etcd cluster as a [`Cluster`], through its HTTP/JSON gateway: every call is a POST
//! to the endpoint it names (`127.0.0.1:2379`, `http://10.0.0.5:2379`; plain HTTP only), and
//! every answer — headers included — is the real cluster's.
//!
//! Time is the real one: [`Cluster::now`] is the time since this client was made (etcdctl's
//! `took`, keep-alive schedules), [`Cluster::unix_nanos`] the machine's clock (log lines).
//! Natively, letting time pass ([`Cluster::advance`]) waits, less what a failed call already
//! waited (a connect that timed out stands for the command timeout etcdctl then lets pass).
//! The page cannot wait (that would freeze it): there `advance` moves this client's clock
//! on by `d` at once, and the page's timer lets the real time pass between its calls.
//! Submitted calls are made at once (their answers wait to be taken), so nothing is ever in
//! flight for [`Cluster::run_until_idle`]. A watch is a stream read on its own thread.
//!
//! Owns: endpoints as URLs, the answers and watches of this client. Must not touch: how
//! requests and answers are written (`request`, `response`), what a console prints.

use std::collections::BTreeMap;
use std::sync::mpsc::TryRecvError;
use std::time::Duration;

use serde_json::Value;

use super::clock;
use super::transport::{Reply, Stream, Transport};
use super::{error, request, response};
use crate::api::{CallError, Code, EtcdError, Request, Response, WatchCreateRequest};
use crate::api::{ResponseHeader, WatchResponse};
use crate::cluster::{CallId, ClientTls, Cluster, WatchId};

/// How long [`Cluster::member_at`] waits for an endpoint's status.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// How long a submitted call may take (etcdctl's default command timeout).
const SUBMIT_TIMEOUT: Duration = Duration::from_secs(5);

/// A real cluster behind its gateway, over the transport `T`.
pub struct GatewayCluster<T: Transport> {
    transport: T,
    /// The monotonic clock's reading when this client was made.
    started: Duration,
    /// Time [`Cluster::advance`] moved this client's clock on without waiting (the page).
    skipped: Duration,
    tls: ClientTls,
    /// Whether `https://` endpoints are dialled (the browser does TLS for the page; the
    /// native client speaks plain HTTP only).
    https: bool,
    /// What the last failed call waited: the next [`Cluster::advance`] waits that much less.
    waited: Duration,
    next_id: u64,
    answers: BTreeMap<CallId, Result<Response, CallError>>,
    watches: BTreeMap<WatchId, Stream>,
}

impl<T: Transport> GatewayCluster<T> {
    pub fn new(transport: T) -> Self {
        GatewayCluster {
            transport,
            started: clock::monotonic(),
            skipped: Duration::ZERO,
            tls: ClientTls::default(),
            https: false,
            waited: Duration::ZERO,
            next_id: 1,
            answers: BTreeMap::new(),
            watches: BTreeMap::new(),
        }
    }

    /// The same, dialling `https://` endpoints too (its transport does TLS: the browser's).
    pub fn with_https(mut self) -> Self {
        self.https = true;
        self
    }

    /// The transport calls go through.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// The base URL an etcdctl endpoint dials, or why this client cannot dial it.
    pub fn base_url(&self, endpoint: &str) -> Result<String, CallError> {
        if self.https {
            if let Some(host) = endpoint.trim().strip_prefix("https://") {
                let host = host.split('/').next().unwrap_or("");
                if !host.is_empty() {
                    return Ok(format!("https://{host}"));
                }
            }
        }
        base_url(endpoint, self.tls.secure_default)
    }

    fn take_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }
}

fn refuse(msg: String) -> CallError {
    CallError::Server(EtcdError::new(Code::Unavailable, msg))
}

/// `http://host:port` for an endpoint (`host:port`, `http://host:port[/]`); TLS endpoints
/// (`https://`, or no scheme with a certificate flag) and other schemes are refused with
/// what to do instead.
pub fn base_url(endpoint: &str, secure_default: bool) -> Result<String, CallError> {
    let e = endpoint.trim();
    let (scheme, rest) = match e.split_once("://") {
        Some((s, r)) => (s, r),
        None if secure_default => ("https", e),
        None => ("http", e),
    };
    let host = rest.split('/').next().unwrap_or("");
    match scheme {
        "http" if !host.is_empty() => Ok(format!("http://{host}")),
        "https" => Err(refuse(format!(
            "{endpoint}: TLS endpoints are not supported by etcdplay --endpoints yet (plain http:// only); run the real etcdctl with --cacert/--cert/--key for this one"
        ))),
        _ => Err(refuse(format!(
            "{endpoint}: not an endpoint etcdplay can dial (use http://HOST:PORT)"
        ))),
    }
}

/// An answer to `req` from its HTTP reply: the decoded response, or the member's error.
fn answer(
    req: &Request,
    url: &str,
    post: &request::Post,
    reply: Reply,
) -> Result<Response, CallError> {
    let foreign = || error::not_the_gateway(url, post.path, reply.status, &reply.body);
    // a unary answer is one object; a stream's, one {"result":…} or {"error":…} a line
    let mut objects = Vec::new();
    for line in reply.body.lines().filter(|l| !l.trim().is_empty()) {
        let v = serde_json::from_str::<Value>(line)
            .ok()
            .filter(Value::is_object)
            .ok_or_else(foreign)?;
        if let Some(e) = error::gateway_error(&v) {
            return Err(CallError::Server(e));
        }
        objects.push(match (post.answer, v.get("result")) {
            (request::Answer::Stream, Some(r)) => r.clone(),
            _ => v,
        });
        if post.answer == request::Answer::Unary {
            break;
        }
    }
    if objects.is_empty() || !(200..300).contains(&reply.status) {
        return Err(foreign());
    }
    response::decode_all(req, &objects).ok_or_else(foreign)
}

impl<T: Transport> Cluster for GatewayCluster<T> {
    fn now(&self) -> Duration {
        clock::monotonic()
            .saturating_sub(self.started)
            .saturating_add(self.skipped)
    }

    fn unix_nanos(&self) -> i64 {
        clock::unix_nanos()
    }

    fn advance(&mut self, d: Duration) {
        let rest = d.saturating_sub(self.waited);
        self.waited = self.waited.saturating_sub(d);
        if !rest.is_zero() && !clock::wait(rest) {
            self.skipped = self.skipped.saturating_add(rest);
        }
    }

    fn run_until_idle(&mut self, _limit: Duration) {}

    fn member_at(&self, endpoint: &str) -> Option<u64> {
        let url = self.base_url(endpoint).ok()?;
        let reply = self
            .transport
            .post(&url, "/v3/maintenance/status", "{}", None, PROBE_TIMEOUT)
            .ok()?;
        let v: Value = serde_json::from_str(&reply.body).ok()?;
        let h: ResponseHeader = response::header(&v);
        ((200..300).contains(&reply.status) && h.member_id != 0).then_some(h.member_id)
    }

    fn call(
        &mut self,
        endpoint: &str,
        auth_token: Option<&str>,
        req: Request,
        timeout: Duration,
    ) -> Result<Response, CallError> {
        self.waited = Duration::ZERO;
        let url = self.base_url(endpoint)?;
        let post = request::encode(&req).map_err(error::unsupported)?;
        let start = clock::monotonic();
        let body = post.body.to_string();
        match self
            .transport
            .post(&url, post.path, &body, auth_token, timeout)
        {
            Ok(reply) => answer(&req, &url, &post, reply),
            Err(e) => {
                self.waited = clock::monotonic().saturating_sub(start);
                Err(error::transport(e))
            }
        }
    }

    fn submit(
        &mut self,
        endpoint: &str,
        auth_token: Option<&str>,
        req: Request,
    ) -> Result<CallId, CallError> {
        let answer = self.call(endpoint, auth_token, req, SUBMIT_TIMEOUT);
        if answer == Err(CallError::Unreachable) {
            return Err(CallError::Unreachable);
        }
        let id = self.take_id();
        self.answers.insert(id, answer);
        Ok(id)
    }

    fn take_answer(&mut self, call: CallId) -> Option<Result<Response, CallError>> {
        self.answers.remove(&call)
    }

    fn watch(
        &mut self,
        endpoint: &str,
        auth_token: Option<&str>,
        req: WatchCreateRequest,
    ) -> Result<WatchId, CallError> {
        let url = self.base_url(endpoint)?;
        let post = request::watch(&req);
        let stream = self
            .transport
            .open_stream(
                &url,
                post.path,
                &post.body.to_string(),
                auth_token,
                PROBE_TIMEOUT,
            )
            .map_err(error::transport)?;
        if !(200..300).contains(&stream.status) {
            let body: Vec<String> = stream.lines.iter().collect();
            let body = body.join("\n");
            let e = serde_json::from_str::<Value>(&body)
                .ok()
                .and_then(|v| error::gateway_error(&v));
            return Err(match e {
                Some(e) => CallError::Server(e),
                None => error::not_the_gateway(&url, post.path, stream.status, &body),
            });
        }
        let id = self.take_id();
        self.watches.insert(id, stream);
        Ok(id)
    }

    fn watch_poll(&mut self, watch: WatchId) -> Vec<WatchResponse> {
        let Some(Stream { lines, .. }) = self.watches.get(&watch) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut broken = false;
        loop {
            match lines.try_recv() {
                Ok(line) => match serde_json::from_str::<Value>(&line) {
                    Ok(v) => match v.get("result") {
                        Some(r) => out.push(response::watch_response(r)),
                        None => broken = true,
                    },
                    Err(_) => broken = true,
                },
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    broken = true;
                    break;
                }
            }
        }
        if broken {
            self.watches.remove(&watch);
        }
        out
    }

    fn watch_cancel(&mut self, watch: WatchId) {
        // the page's stream is aborted as it is dropped; the native reading thread ends at the
        // stream's next line, finding nobody listening
        self.watches.remove(&watch);
    }

    fn set_client_tls(&mut self, tls: ClientTls) {
        self.tls = tls;
    }
}
