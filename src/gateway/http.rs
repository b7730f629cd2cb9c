//! The native [`Transport`]: plain HTTP/1.1 with `ureq` (a small blocking client, its TLS and
//! compression features off). A streamed answer is read line by line on a thread of its own
//! and handed over through a channel; the thread ends when the stream does or when nobody
//! reads the channel any more (at the stream's next line).
//!
//! Not in the wasm build (the page will speak to the gateway with the browser's fetch).
//! Owns: the HTTP library. Must not touch: JSON, etcd's semantics.

use std::io::{BufRead, BufReader};
use std::sync::mpsc;
use std::time::Duration;

use super::transport::{Reply, Stream, Transport, TransportError};

/// The largest answer read (a range over a large keyspace is read in pages anyway).
const MAX_BODY: u64 = 1 << 30;

/// HTTP through one `ureq` agent (its connections are kept and reused).
pub struct HttpTransport {
    agent: ureq::Agent,
}

impl Default for HttpTransport {
    fn default() -> Self {
        let config = ureq::Agent::config_builder()
            // the gateway's errors come with 4xx/5xx statuses and a JSON body to read
            .http_status_as_error(false)
            // a proxy from the environment has no business between etcdctl and etcd
            .proxy(None)
            .build();
        HttpTransport {
            agent: config.into(),
        }
    }
}

fn failure(e: ureq::Error) -> TransportError {
    match kind_of(e) {
        TransportError::Unreachable(why) => TransportError::Unreachable(format!(
            "nothing answers there ({why}): is etcd running, listening on that address (--listen-client-urls)?"
        )),
        other => other,
    }
}

fn kind_of(e: ureq::Error) -> TransportError {
    use std::io::ErrorKind;
    match e {
        ureq::Error::Timeout(ureq::Timeout::Connect | ureq::Timeout::Resolve) => {
            TransportError::Unreachable(e.to_string())
        }
        ureq::Error::Timeout(_) => TransportError::TimedOut,
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => {
            TransportError::Unreachable(e.to_string())
        }
        ureq::Error::Io(io)
            if matches!(
                io.kind(),
                ErrorKind::ConnectionRefused
                    | ErrorKind::ConnectionReset
                    | ErrorKind::HostUnreachable
                    | ErrorKind::NetworkUnreachable
                    | ErrorKind::AddrNotAvailable
            ) =>
        {
            TransportError::Unreachable(io.to_string())
        }
        ureq::Error::Io(io) if io.kind() == ErrorKind::TimedOut => TransportError::TimedOut,
        other => TransportError::Other(other.to_string()),
    }
}

impl HttpTransport {
    fn request(
        &self,
        url: &str,
        path: &str,
        token: Option<&str>,
        global: Option<Duration>,
        connect: Duration,
    ) -> ureq::RequestBuilder<ureq::typestate::WithBody> {
        let mut r = self
            .agent
            .post(format!("{url}{path}"))
            .config()
            .timeout_global(global)
            .timeout_connect(Some(connect))
            .build()
            .content_type("application/json");
        if let Some(t) = token {
            r = r.header("Authorization", t);
        }
        r
    }
}

impl Transport for HttpTransport {
    fn post(
        &self,
        url: &str,
        path: &str,
        body: &str,
        token: Option<&str>,
        timeout: Duration,
    ) -> Result<Reply, TransportError> {
        let mut resp = self
            .request(url, path, token, Some(timeout), timeout)
            .send(body)
            .map_err(failure)?;
        let status = resp.status().as_u16();
        let body = resp
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_string()
            .map_err(failure)?;
        Ok(Reply { status, body })
    }

    fn open_stream(
        &self,
        url: &str,
        path: &str,
        body: &str,
        token: Option<&str>,
        connect_timeout: Duration,
    ) -> Result<Stream, TransportError> {
        let resp = self
            .request(url, path, token, None, connect_timeout)
            .send(body)
            .map_err(failure)?;
        let status = resp.status().as_u16();
        let reader = resp.into_body().into_with_config().limit(MAX_BODY).reader();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(reader).lines() {
                let Ok(line) = line else { return };
                if !line.trim().is_empty() && tx.send(line).is_err() {
                    return;
                }
            }
        });
        Ok(Stream {
            status,
            lines: rx,
            closer: None,
        })
    }
}
