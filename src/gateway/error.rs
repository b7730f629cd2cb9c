//! Why a call through the gateway failed, as the [`CallError`] the simulated cluster gives for
//! the same cause, so that etcdctl prints the same text: a member's error (the gateway's body
//! `{"error":"etcdserver: …","code":N,"message":…}`, N the gRPC code) is that error with etcd's
//! wording; nothing answering at the endpoint is [`CallError::Unreachable`] (etcdctl's
//! `context deadline exceeded` once its command timeout ran out); an answer that is not the
//! gateway's says what it was.
//!
//! Owns: the mapping of HTTP answers and transport failures to errors. Must not touch: the
//! wording of etcd's errors (they come from the server as they are).

use serde_json::Value;

use crate::api::{CallError, Code, EtcdError};

use super::transport::TransportError;

/// gRPC's numeric status codes, as the gateway's `code` field carries them.
pub fn code_of(n: i64) -> Code {
    match n {
        1 => Code::Canceled,
        3 => Code::InvalidArgument,
        4 => Code::DeadlineExceeded,
        5 => Code::NotFound,
        6 => Code::AlreadyExists,
        7 => Code::PermissionDenied,
        8 => Code::ResourceExhausted,
        9 => Code::FailedPrecondition,
        10 => Code::Aborted,
        11 => Code::OutOfRange,
        12 => Code::Unimplemented,
        13 => Code::Internal,
        14 => Code::Unavailable,
        15 => Code::DataLoss,
        16 => Code::Unauthenticated,
        _ => Code::Unknown,
    }
}

/// The error a gateway error object stands for: a unary answer's
/// `{"error":…,"code":N,"message":…}`, or a stream's `{"error":{"grpc_code":N,"message":…}}`
/// line; None when `v` is not one.
pub fn gateway_error(v: &Value) -> Option<EtcdError> {
    if let Some(inner) = v.get("error").filter(|e| e.is_object()) {
        return gateway_error(inner);
    }
    let code = v.get("code").or_else(|| v.get("grpc_code"))?.as_i64()?;
    let message = v
        .get("message")
        .or_else(|| v.get("error"))
        .and_then(Value::as_str)
        .unwrap_or("");
    Some(EtcdError::new(code_of(code), message))
}

/// An answer that is not a JSON object from etcd's gateway (a 404 page for a path this etcd
/// does not serve, another server on that port).
pub fn not_the_gateway(url: &str, path: &str, status: u16, body: &str) -> CallError {
    let said = body.trim();
    let said = said.get(..said.len().min(80)).unwrap_or("");
    let msg = if status == 404 && path == "/v3/maintenance/hashkv" {
        "etcd 3.4's JSON gateway does not serve HashKV (its /v3/maintenance/hash is the older Hash RPC; 3.5 serves /v3/maintenance/hashkv): run the real etcdctl endpoint hashkv against this cluster".to_string()
    } else if status == 404 {
        format!("{url} does not serve {path} (HTTP 404): not an etcd v3 JSON gateway, or this etcd release has no such call")
    } else {
        format!("{url}{path} answered HTTP {status} without etcd's JSON error: {said}")
    };
    CallError::Server(EtcdError::new(Code::Unavailable, msg))
}

/// What a transport failure means to a client.
pub fn transport(e: TransportError) -> CallError {
    match e {
        TransportError::Unreachable(_) => CallError::Unreachable,
        TransportError::TimedOut => CallError::DeadlineExceeded,
        TransportError::Other(msg) => CallError::Server(EtcdError::new(Code::Unavailable, msg)),
    }
}

/// A request the gateway cannot carry: the reason, as the error etcdctl prints.
pub fn unsupported(reason: String) -> CallError {
    CallError::Server(EtcdError::new(Code::Unimplemented, reason))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gateway_error_keeps_etcds_words_and_code() {
        let v: Value = serde_json::from_str(
            r#"{"error":"etcdserver: requested lease not found","message":"etcdserver: requested lease not found","code":5}"#,
        )
        .unwrap();
        let e = gateway_error(&v).unwrap();
        assert_eq!(e, crate::api::errors::lease_not_found());
        assert!(gateway_error(&serde_json::json!({"header": {}})).is_none());
    }
}
