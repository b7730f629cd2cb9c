//! A real etcd as a [`Cluster`](crate::cluster::Cluster), through the HTTP/JSON gateway etcd
//! serves on its client port (grpc-gateway: `POST /v3/kv/range`, `/v3/kv/put`, `/v3/watch`,
//! …, bytes in base64, 64-bit integers as strings). The same etcdctl and printers run over it
//! as over the simulated world (`etcdplay --endpoints URL`).
//!
//! - [`request`]: a [`Request`](crate::api::Request) as a path and a JSON body (or why the
//!   gateway cannot carry it: the v2 API; HashKV goes to 3.5's path, which 3.4 lacks);
//! - [`response`]: the JSON answers as [`Response`](crate::api::Response)s;
//! - [`error`]: the gateway's error bodies and transport failures as the
//!   [`CallError`](crate::api::CallError)s the simulated cluster gives for the same cause;
//! - [`transport`]: HTTP as a small trait (tests answer it without a server);
//! - `http` (native): the trait over a real HTTP client; `fetch` (the page): over the
//!   browser's;
//! - [`clock`]: the real time such a client keeps (the machine's, or the browser's);
//! - `cluster`: [`GatewayCluster`], the trait `Cluster` over a transport, with real time;
//! - [`connect`]: `connect URL`'s probe, and a connector for each console.
//!
//! Owns: the JSON form of the v3 API. Must not touch: what a console prints, the simulation.

pub mod clock;
pub mod connect;
pub mod error;
pub mod request;
pub mod response;
pub mod transport;

mod cluster;
#[cfg(all(target_arch = "wasm32", feature = "ui"))]
pub mod fetch;
#[cfg(not(target_arch = "wasm32"))]
mod http;

pub use cluster::{base_url, GatewayCluster};
#[cfg(not(target_arch = "wasm32"))]
pub use http::HttpTransport;

/// A client of the real cluster at `endpoints` over HTTP (`etcdplay --endpoints`).
#[cfg(not(target_arch = "wasm32"))]
pub fn http_cluster() -> GatewayCluster<HttpTransport> {
    GatewayCluster::new(HttpTransport::default())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
