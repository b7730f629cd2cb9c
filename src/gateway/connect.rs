//! `connect URL[,URL…]`: a client of the real cluster at those endpoints, handed out once one
//! of them answers as etcd's v3 JSON gateway (a status request), else why none does, with what
//! to do about it. The native console dials with its HTTP client, the page with the browser's.
//!
//! Owns: the probe and its messages. Must not touch: what the console does once connected
//! (the playground's `remote`).

use std::time::Duration;

use serde_json::Value;

use super::cluster::GatewayCluster;
use super::transport::{Transport, TransportError};
use super::{error, response};
use crate::api::{CallError, ResponseHeader};
#[cfg(any(not(target_arch = "wasm32"), feature = "ui"))]
use crate::cluster::Connecting;
#[cfg(all(target_arch = "wasm32", feature = "ui"))]
use crate::cluster::{Cluster, Probe};

/// How long the probe waits for an endpoint's status.
const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// `cluster` once one of `endpoints` answers as etcd's gateway; else a line per endpoint
/// saying why it does not.
pub fn probe<T: Transport>(
    cluster: GatewayCluster<T>,
    endpoints: &[String],
) -> Result<GatewayCluster<T>, String> {
    let mut why = Vec::new();
    for ep in endpoints {
        match answers(&cluster, ep) {
            Ok(()) => return Ok(cluster),
            Err(e) => why.push(format!("connect: {ep}: {e}")),
        }
    }
    if why.is_empty() {
        why.push("connect: no endpoint given".to_string());
    }
    Err(why.join("\n"))
}

/// Whether the endpoint answers a status request as etcd's gateway does.
fn answers<T: Transport>(cluster: &GatewayCluster<T>, endpoint: &str) -> Result<(), String> {
    let url = cluster
        .base_url(endpoint)
        .map_err(|e| call_error_text(&e))?;
    match cluster
        .transport()
        .post(&url, STATUS, "{}", None, PROBE_TIMEOUT)
    {
        Ok(r) => judge(&url, r),
        Err(e) => Err(failure_text(&url, e)),
    }
}

/// The path the probe asks.
const STATUS: &str = "/v3/maintenance/status";

/// What a transport failure of the probe means.
fn failure_text(url: &str, e: TransportError) -> String {
    match e {
        // (the transport says why, and what to do: it knows what it can tell apart)
        TransportError::Unreachable(detail) => detail,
        TransportError::TimedOut => {
            format!("{url} did not answer within {}s", PROBE_TIMEOUT.as_secs())
        }
        TransportError::Other(e) => format!("{url}: {e}"),
    }
}

/// Whether a status answer is etcd's gateway's.
fn judge(url: &str, reply: super::transport::Reply) -> Result<(), String> {
    let v = serde_json::from_str::<Value>(&reply.body).ok();
    if let Some(v) = v.filter(Value::is_object) {
        // an etcd error (a member without a leader, auth) still says that etcd answers
        if error::gateway_error(&v).is_some() {
            return Ok(());
        }
        let h: ResponseHeader = response::header(&v);
        if (200..300).contains(&reply.status) && h.cluster_id != 0 {
            return Ok(());
        }
    }
    Err(call_error_text(&error::not_the_gateway(
        url,
        STATUS,
        reply.status,
        &reply.body,
    )))
}

fn call_error_text(e: &CallError) -> String {
    match e {
        CallError::Server(e) => e.message.clone(),
        other => format!("{other:?}"),
    }
}

/// The native console's connector: its HTTP client (plain `http://`).
#[cfg(not(target_arch = "wasm32"))]
pub fn native(endpoints: &[String]) -> Result<Connecting, String> {
    let c = probe(super::http_cluster(), endpoints)?;
    Ok(Connecting::Ready(Box::new(c)))
}

/// The page's connector: the browser's HTTP (`http://` and `https://`, CORS permitting).
/// The probe is asynchronous, with a timeout (a synchronous request could hang the page on
/// an address that never answers): `connect` runs as a job until it answers.
#[cfg(all(target_arch = "wasm32", feature = "ui"))]
pub fn page(endpoints: &[String]) -> Result<Connecting, String> {
    let cluster = GatewayCluster::new(super::fetch::FetchTransport).with_https();
    let mut urls = Vec::new();
    for ep in endpoints {
        let url = cluster
            .base_url(ep)
            .map_err(|e| format!("connect: {ep}: {}", call_error_text(&e)))?;
        urls.push((ep.clone(), url));
    }
    let answers = urls
        .into_iter()
        .map(|(ep, url)| {
            let answer = super::fetch::post_later(&url, STATUS, "{}", PROBE_TIMEOUT);
            (ep, url, answer)
        })
        .collect();
    Ok(Connecting::Probing(Box::new(PageProbe {
        cluster: Some(cluster),
        answers,
    })))
}

/// The page's probes in flight, one per endpoint.
#[cfg(all(target_arch = "wasm32", feature = "ui"))]
struct PageProbe {
    cluster: Option<GatewayCluster<super::fetch::FetchTransport>>,
    answers: Vec<(String, String, super::fetch::Later)>,
}

#[cfg(all(target_arch = "wasm32", feature = "ui"))]
impl Probe for PageProbe {
    fn poll(&mut self) -> Option<Result<Box<dyn Cluster>, String>> {
        // the first endpoint that answers wins; the others are waited for only while none has
        let mut why = Vec::new();
        let mut waiting = false;
        for (ep, url, answer) in &self.answers {
            match answer.borrow().as_ref() {
                None => waiting = true,
                Some(Ok(reply)) => match judge(url, reply.clone()) {
                    Ok(()) => {
                        let c = self.cluster.take()?;
                        return Some(Ok(Box::new(c)));
                    }
                    Err(e) => why.push(format!("connect: {ep}: {e}")),
                },
                Some(Err(e)) => {
                    why.push(format!("connect: {ep}: {}", failure_text(url, e.clone())))
                }
            }
        }
        if waiting {
            return None;
        }
        if why.is_empty() {
            why.push("connect: no endpoint given".to_string());
        }
        Some(Err(why.join("\n")))
    }
}
