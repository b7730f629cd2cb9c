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
use crate::cluster::Cluster;

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
    let path = "/v3/maintenance/status";
    let reply = match cluster
        .transport()
        .post(&url, path, "{}", None, PROBE_TIMEOUT)
    {
        Ok(r) => r,
        // (the transport says why, and what to do: it knows what it can tell apart)
        Err(TransportError::Unreachable(detail)) => return Err(detail),
        Err(TransportError::TimedOut) => {
            return Err(format!(
                "{url} did not answer within {}s",
                PROBE_TIMEOUT.as_secs()
            ))
        }
        Err(TransportError::Other(e)) => return Err(format!("{url}: {e}")),
    };
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
        &url,
        path,
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
pub fn native(endpoints: &[String]) -> Result<Box<dyn Cluster>, String> {
    let c = probe(super::http_cluster(), endpoints)?;
    Ok(Box::new(c))
}

/// The page's connector: the browser's HTTP (`http://` and `https://`, CORS permitting).
#[cfg(all(target_arch = "wasm32", feature = "ui"))]
pub fn page(endpoints: &[String]) -> Result<Box<dyn Cluster>, String> {
    let c = probe(
        GatewayCluster::new(super::fetch::FetchTransport).with_https(),
        endpoints,
    )?;
    Ok(Box::new(c))
}
