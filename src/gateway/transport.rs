//! What the gateway client needs of HTTP, as a small trait: a POST that answers with a
//! status and a body, and a POST whose answer is a stream of lines (a watch). The native
//! client implements it over a real HTTP library (`http`), the page over the browser's
//! XMLHttpRequest and fetch (`fetch`); tests implement it with canned answers, so the JSON
//! mapping is checked without a server.
//!
//! Owns: the trait and its error kinds. Must not touch: JSON, etcd's semantics.

use std::sync::mpsc::Receiver;
use std::time::Duration;

/// Why a request got no HTTP answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportError {
    /// Nothing answers at the address (refused, no route, unknown host, connect timeout).
    Unreachable(String),
    /// Connected, but the answer did not come within the timeout.
    TimedOut,
    /// Anything else (a broken connection, a malformed answer), with what went wrong.
    Other(String),
}

/// An HTTP answer: its status and its body as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

/// A streamed answer: its status and its body's lines as they arrive (the channel closes
/// when the stream ends or breaks).
pub struct Stream {
    pub status: u16,
    pub lines: Receiver<String>,
    /// Kept as long as the stream and dropped with it: what ends the reading when nobody
    /// reads any more (the page's fetch is aborted then). None natively: the reading thread
    /// ends at the stream's next line.
    pub closer: Option<Box<dyn std::any::Any>>,
}

/// HTTP as the gateway client uses it. `url` is the endpoint's base (`http://host:port`),
/// `path` the gateway's (`/v3/kv/range`), `token` the `Authorization` header's value.
pub trait Transport {
    /// POSTs a JSON `body` and reads the whole answer, waiting at most `timeout`.
    fn post(
        &self,
        url: &str,
        path: &str,
        body: &str,
        token: Option<&str>,
        timeout: Duration,
    ) -> Result<Reply, TransportError>;

    /// POSTs a JSON `body` whose answer streams (no timeout on the stream; connecting waits
    /// at most `connect_timeout`).
    fn open_stream(
        &self,
        url: &str,
        path: &str,
        body: &str,
        token: Option<&str>,
        connect_timeout: Duration,
    ) -> Result<Stream, TransportError>;
}
