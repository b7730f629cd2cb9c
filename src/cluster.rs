//! The Cluster interface: what a client (etcdctl, kubectl) sees of an etcd cluster, and all
//! it may use of one. The simulated world implements it (`sim::cluster`); a client of a real
//! etcd through its HTTP/JSON gateway can implement it too, so the same consoles run
//! unchanged against either.
//!
//! A client sees: unary calls to an endpoint (v3 and, as [`Request::V2`], v2 requests) with
//! an optional auth token and a timeout; calls handed in without waiting and collected later
//! (many in flight at once); watch streams; which endpoints answer; and the cluster's clock,
//! which only moves when a call waits or the client lets time pass ([`Cluster::advance`]).
//! In the simulation "letting time pass" runs the world; a real backend waits instead (or
//! returns at once when the time already passed, e.g. in a failed dial).
//!
//! Owns: the trait, its identifiers and the client's TLS settings. Must not touch: how a cluster is made (members,
//! network, faults), what a console prints.

use std::time::Duration;

use crate::api::{CallError, Request, Response, WatchCreateRequest, WatchResponse};

/// A request handed in with [`Cluster::submit`], to collect with [`Cluster::take_answer`].
pub type CallId = u64;

/// An open watch stream ([`Cluster::watch`]).
pub type WatchId = u64;

/// A client's TLS settings (etcdctl's `--cacert`, `--cert`, `--key` and the transport flags):
/// the PEM files' bytes as the client read them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientTls {
    /// Whether an endpoint without a scheme is dialled with TLS (a certificate flag was given,
    /// or `--insecure-transport=false`); `https://` always is, `http://` never.
    pub secure_default: bool,
    /// `--cacert` (None: the system's roots).
    pub ca: Option<Vec<u8>>,
    pub cert: Option<Vec<u8>>,
    pub key: Option<Vec<u8>>,
    /// `--insecure-skip-tls-verify`.
    pub skip_verify: bool,
}

/// What `snapshot restore` asks for: the new cluster's members and token.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RestoreSpec {
    /// `--name`: the member the data directory is for.
    pub name: String,
    /// `--initial-cluster` as (name, peer URL) pairs.
    pub initial_cluster: Vec<(String, String)>,
    pub token: String,
}

/// A restored data directory: the new cluster's ID and members (ID, peer URLs), and the
/// files to write under the data directory (paths relative to it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RestoredDir {
    pub cluster_id: u64,
    pub members: Vec<(u64, Vec<String>)>,
    pub files: Vec<(String, Vec<u8>)>,
}

/// An entry `etcdutl backup` replaced with an empty one: what it logs about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DroppedEntry {
    /// "ignoring EntryConfChange raft entry".
    ConfChange,
    /// "ignoring member attribute update on": the entry as protobuf text, the v2 path.
    MemberAttributes { entry: String, path: String },
    /// "ignoring v3 raft entry" (`--with-v3=false`).
    V3,
}

/// What `etcdutl backup` makes of a data directory's WAL (the member's disk, in this
/// cluster's kind of member's format).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BackedUpWal {
    pub dropped: Vec<DroppedEntry>,
    /// The `.snap` file for the backup's `member/snap` (name, bytes), if the source had a
    /// snapshot.
    pub snap_file: Option<(String, Vec<u8>)>,
    /// The backup's WAL file (name, bytes).
    pub wal_file: (String, Vec<u8>),
    /// The hard state's commit index and term (the consistent index a backup without v3
    /// data starts its backend with).
    pub commit: u64,
    pub term: u64,
    /// The backup's one member (`etcdctl-v2-backup`) and its cluster.
    pub member_id: u64,
    pub cluster_id: u64,
    pub member_name: String,
    pub member_peer_url: String,
}

/// What `etcdctl migrate` reads from a data directory's WAL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MigratedWal {
    /// The membership's log lines (JSON), in order.
    pub log: Vec<String>,
    /// The v2 keys (not directories), without the store's `/1`; None: the store has no key
    /// space ("no v2 keys to migrate").
    pub keys: Option<Vec<crate::api::v2::NodeExtern>>,
    /// The consistent index the backend moves up to.
    pub index: u64,
}

/// What a client sees of an etcd cluster.
pub trait Cluster {
    /// Time since the client's view of the cluster began (durations: `took`, keep-alive
    /// schedules).
    fn now(&self) -> Duration;

    /// The cluster's wall clock, nanoseconds since the Unix epoch (log timestamps, ages).
    fn unix_nanos(&self) -> i64;

    /// Lets `d` of time pass.
    fn advance(&mut self, d: Duration);

    /// Lets time pass until nothing the clients sent is in flight any more, or `limit`
    /// passed (a bulk load waits on its submitted calls this way).
    fn run_until_idle(&mut self, limit: Duration);

    /// The ID of the member answering at a client endpoint (`127.0.0.1:2379`,
    /// `http://localhost:22379`, ...) right now; `None` when nothing answers there (unknown
    /// address, or the member is stopped).
    fn member_at(&self, endpoint: &str) -> Option<u64>;

    /// Sends one request to the member at `endpoint` and waits for its answer, at most
    /// `timeout`. `auth_token` is what `Authenticate` handed out.
    fn call(
        &mut self,
        endpoint: &str,
        auth_token: Option<&str>,
        req: Request,
        timeout: Duration,
    ) -> Result<Response, CallError>;

    /// Hands a request to the member at `endpoint` without waiting; its answer is collected
    /// with [`Cluster::take_answer`] as time passes. Requests only the leader serves (lease
    /// keep-alive, time-to-live, lease list) may be refused here: use [`Cluster::call`].
    fn submit(
        &mut self,
        endpoint: &str,
        auth_token: Option<&str>,
        req: Request,
    ) -> Result<CallId, CallError>;

    /// The answer to a submitted call, once it arrived (then it is forgotten).
    fn take_answer(&mut self, call: CallId) -> Option<Result<Response, CallError>>;

    /// Opens a watch stream on the member at `endpoint`; its responses (the `created` one
    /// first) come from [`Cluster::watch_poll`] as time passes.
    fn watch(
        &mut self,
        endpoint: &str,
        auth_token: Option<&str>,
        req: WatchCreateRequest,
    ) -> Result<WatchId, CallError>;

    /// The responses of a watch since the last poll (nothing once the stream broke).
    fn watch_poll(&mut self, watch: WatchId) -> Vec<WatchResponse>;

    /// Closes a watch stream.
    fn watch_cancel(&mut self, watch: WatchId);

    /// The TLS settings of the client whose calls follow; a cluster that serves TLS checks
    /// them on every connection (a failed handshake looks like an endpoint that never
    /// answers). Plain-HTTP clusters ignore them.
    fn set_client_tls(&mut self, _tls: ClientTls) {}

    /// The data directory `snapshot restore` writes for `blob` (a snapshot this cluster's
    /// kind of member answered): the backend's and WAL's formats are the member's, not the
    /// client's.
    fn restore_data_dir(&self, _blob: &[u8], _spec: &RestoreSpec) -> Result<RestoredDir, String> {
        Err("snapshot restore is not supported by this cluster".to_string())
    }

    /// `etcdutl backup` of a WAL file (`snap_file_found`: the source's `member/snap` holds a
    /// `.snap` file), made now; Err is why the WAL does not read.
    fn backup_wal(
        &self,
        _wal: &[u8],
        _snap_file_found: bool,
        _with_v3: bool,
    ) -> Result<BackedUpWal, String> {
        Err("etcdutl backup is not supported by this cluster".to_string())
    }

    /// `etcdctl migrate`'s reading of a WAL file (`snap_file_found`: the data directory's
    /// `member/snap` holds a `.snap` file); Err is why the WAL does not read.
    fn migrate_wal(&self, _wal: &[u8], _snap_file_found: bool) -> Result<MigratedWal, String> {
        Err("etcdctl migrate is not supported by this cluster".to_string())
    }
}

/// A client of a real cluster on its way (`connect URL`): at once, or once its probe answers
/// (the page's HTTP is asynchronous).
pub enum Connecting {
    Ready(Box<dyn Cluster>),
    Probing(Box<dyn Probe>),
}

/// A connection's probe in flight.
pub trait Probe {
    /// The client once an endpoint answered, or why none did; None while it waits.
    fn poll(&mut self) -> Option<Result<Box<dyn Cluster>, String>>;
}
