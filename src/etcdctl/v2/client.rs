//! What one etcdctl API 2 invocation works with (`ctlv2/command/util.go` and the `client`
//! package of etcd 3.4): the global flags, the terminal (stdout, stderr, typed input), the
//! endpoints and the cluster sync, and sending v2 requests to a member through
//! [`Cluster::call`], with the client's error texts and etcdctl's exit codes.

use std::time::Duration;

use super::cli::Parsed;
use crate::api::v2::{Credentials, V2Op, V2Request, V2Response};
use crate::api::{CallError, Request, Response};
use crate::cluster::Cluster;

pub const EXIT_BAD_ARGS: i32 = 1;
pub const EXIT_BAD_CONNECTION: i32 = 2;
pub const EXIT_SERVER_ERROR: i32 = 4;
pub const EXIT_CLUSTER_NOT_HEALTHY: i32 = 5;

/// How a command ended early: with this exit status (its output is already written).
pub type Exit = i32;

/// A failed request to the cluster: one error per endpoint tried (`client.ClusterError`), or
/// one plain error.
#[derive(Clone, Debug)]
pub enum ClientError {
    Cluster(Vec<String>),
    Plain(String),
}

impl ClientError {
    /// What `fmt.Fprintln(os.Stderr, "Error: ", err)` and `cerr.Detail()` print.
    pub fn render(&self) -> String {
        match self {
            ClientError::Plain(m) => format!("Error:  {}\n", m),
            ClientError::Cluster(errs) => {
                let mut s =
                    String::from("Error:  client: etcd cluster is unavailable or misconfigured");
                for (i, e) in errs.iter().enumerate() {
                    s.push_str(&format!("; error #{}: {}\n", i, e));
                }
                s.push('\n');
                for (i, e) in errs.iter().enumerate() {
                    s.push_str(&format!("error #{}: {}\n", i, e));
                }
                s.push('\n');
                s
            }
        }
    }

    /// The text of `err.Error()`.
    pub fn message(&self) -> String {
        match self {
            ClientError::Plain(m) => m.clone(),
            ClientError::Cluster(errs) => {
                let mut s = String::from("client: etcd cluster is unavailable or misconfigured");
                for (i, e) in errs.iter().enumerate() {
                    s.push_str(&format!("; error #{}: {}\n", i, e));
                }
                s
            }
        }
    }

    /// Whether every error is a connection error (`isConnectionError`).
    pub fn is_connection(&self) -> bool {
        match self {
            ClientError::Cluster(errs) => errs.iter().all(|e| e.starts_with("dial tcp")),
            ClientError::Plain(_) => false,
        }
    }
}

/// One invocation's cluster, flags, terminal and output.
pub struct Ctx<'a> {
    pub cluster: &'a mut dyn Cluster,
    pub global: Parsed,
    pub env: &'a dyn Fn(&str) -> Option<String>,
    stdin: Option<&'a str>,
    stdin_pos: usize,
    pub out: String,
    pub err: String,
    /// Endpoints after the cluster sync.
    pub endpoints: Vec<String>,
    pub credentials: Option<Credentials>,
    /// The etcdctl release (3.5 exits 128 on a missing argument).
    pub version: crate::api::EtcdVersion,
}

/// `host:port` of an endpoint URL, for `dial tcp` errors.
fn host_port(url: &str) -> &str {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    rest.split('/').next().unwrap_or(rest)
}

impl<'a> Ctx<'a> {
    pub fn new(
        cluster: &'a mut dyn Cluster,
        global: Parsed,
        env: &'a dyn Fn(&str) -> Option<String>,
        stdin: Option<&'a str>,
    ) -> Ctx<'a> {
        Ctx {
            cluster,
            global,
            env,
            stdin,
            stdin_pos: 0,
            out: String::new(),
            err: String::new(),
            endpoints: vec![],
            credentials: None,
            version: crate::api::EtcdVersion::default(),
        }
    }

    /// The exit status of a usage error (`key required`): 1 in 3.4, 128 in 3.5.
    pub fn bad_args(&self) -> Exit {
        if self.version.is_3_5() {
            128
        } else {
            EXIT_BAD_ARGS
        }
    }

    pub fn output_format(&self) -> String {
        self.global.string("output").unwrap_or("simple").to_string()
    }

    /// Prints a client error and ends with `code` (`handleError`).
    pub fn handle_error(&mut self, code: i32, e: &ClientError) -> Exit {
        self.err.push_str(&e.render());
        code
    }

    pub fn fail(&mut self, code: i32, msg: &str) -> Exit {
        self.err.push_str(&format!("Error:  {}\n", msg));
        code
    }

    /// Reads one line typed at the terminal after printing `prompt` (`speakeasy.Ask`): with no
    /// terminal input at all, `stty` complains twice and the answer is empty.
    pub fn ask(&mut self, prompt: &str) -> String {
        self.out.push_str(prompt);
        self.out.push('\n');
        match self.stdin {
            None => {
                self.err
                    .push_str("stty: 'standard input': Inappropriate ioctl for device\n");
                self.err
                    .push_str("stty: 'standard input': Inappropriate ioctl for device\n");
                String::new()
            }
            Some(s) => {
                let rest = s.get(self.stdin_pos..).unwrap_or("");
                let (line, used) = match rest.find('\n') {
                    Some(i) => (rest.get(..i).unwrap_or(""), i + 1),
                    None => (rest, rest.len()),
                };
                self.stdin_pos += used;
                line.trim_end_matches('\r').to_string()
            }
        }
    }

    /// Everything left on stdin (`ioutil.ReadAll`).
    pub fn read_all(&mut self) -> String {
        let rest = self
            .stdin
            .and_then(|s| s.get(self.stdin_pos..))
            .unwrap_or("")
            .to_string();
        self.stdin_pos += rest.len();
        rest
    }

    /// `getEndpoints`: flags, then environment, then etcdctl's default; a missing scheme
    /// becomes `http`.
    fn configured_endpoints(&self) -> Result<Vec<String>, String> {
        let pick = |flag: &str, env: &str| -> Option<String> {
            self.global
                .string(flag)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .or_else(|| (self.env)(env).filter(|s| !s.is_empty()))
        };
        let s = pick("endpoints", "ETCDCTL_ENDPOINTS")
            .or_else(|| pick("endpoint", "ETCDCTL_ENDPOINT"))
            .or_else(|| pick("peers", "ETCDCTL_PEERS"))
            .unwrap_or_else(|| "http://127.0.0.1:2379,http://127.0.0.1:4001".to_string());
        s.split(',')
            .map(|ep| {
                let is_scheme_char =
                    |c: char| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.';
                match ep.find(':') {
                    Some(i) => {
                        let head = ep.get(..i).unwrap_or("");
                        let has_scheme =
                            head.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                                && head.chars().all(is_scheme_char);
                        if has_scheme {
                            Ok(ep.to_string())
                        } else if i == 0 {
                            Err(format!("parse {:?}: missing protocol scheme", ep))
                        } else if !head.contains('/') {
                            Err(format!(
                                "parse {:?}: first path segment in URL cannot contain colon",
                                ep
                            ))
                        } else {
                            Ok(format!("http://{}", ep))
                        }
                    }
                    None => Ok(format!("http://{}", ep)),
                }
            })
            .collect()
    }

    /// `newClient` + `mustNewClient`: endpoints, credentials (prompting for a password when
    /// `--username` has none) and, unless `--no-sync`, the sync to the cluster's client URLs.
    pub fn connect(&mut self, sync: bool) -> Result<(), Exit> {
        let eps = match self.configured_endpoints() {
            Ok(e) => e,
            Err(msg) => {
                self.err.push_str(&msg);
                self.err.push('\n');
                return Err(1);
            }
        };
        let uflag = self
            .global
            .string("username")
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .or_else(|| (self.env)("ETCDCTL_USERNAME"));
        if let Some(u) = uflag.filter(|s| !s.is_empty()) {
            let (name, pass) = match u.split_once(':') {
                Some((n, p)) => (n.to_string(), p.to_string()),
                None => {
                    let p = self.ask("Password: ");
                    (u.clone(), p)
                }
            };
            self.credentials = Some(Credentials {
                username: name,
                password: pass,
            });
        }
        self.endpoints = eps;
        if sync && !self.global.bool("no-sync") {
            match self.send_raw(Request::MemberList) {
                Ok(Response::MemberList(ml)) => {
                    let urls: Vec<String> = ml
                        .members
                        .iter()
                        .flat_map(|m| m.client_urls.iter().cloned())
                        .collect();
                    if !urls.is_empty() {
                        self.endpoints = urls;
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    if e.is_connection() {
                        return Err(self.handle_error(EXIT_BAD_CONNECTION, &e));
                    }
                }
            }
        }
        Ok(())
    }

    fn timeout(&self) -> Duration {
        self.global
            .duration("timeout")
            .unwrap_or(Duration::from_secs(2))
    }

    /// Sends a request to the first endpoint that answers (`httpClusterClient.Do`).
    pub fn send_raw(&mut self, req: Request) -> Result<Response, ClientError> {
        let timeout = self.timeout();
        let mut errs = Vec::new();
        for ep in self.endpoints.clone() {
            if !ep.starts_with("http://") && !ep.starts_with("https://") {
                let scheme = ep.split(':').next().unwrap_or("");
                errs.push(format!("unsupported protocol scheme {:?}", scheme));
                continue;
            }
            match self.cluster.call(&ep, None, req.clone(), timeout) {
                Ok(r) => return Ok(r),
                Err(CallError::Unreachable) => errs.push(format!(
                    "dial tcp {}: connect: connection refused",
                    host_port(&ep)
                )),
                Err(CallError::DeadlineExceeded) => {
                    errs.push(format!("client: endpoint {} exceeded header timeout", ep));
                    return Err(ClientError::Cluster(errs));
                }
                // an HTTP 500 (etcd 3.5's failed `updatedir`): the client tries the next member
                Err(CallError::Server(e)) if e.code == crate::api::Code::Internal => {
                    errs.push(format!("client: etcd member {} has no leader", ep))
                }
                Err(CallError::Server(e)) => return Err(ClientError::Plain(e.message)),
            }
        }
        Err(ClientError::Cluster(errs))
    }

    /// Sends one v2 request with this invocation's credentials.
    pub fn send(&mut self, op: V2Op) -> Result<V2Response, ClientError> {
        let req = V2Request {
            op,
            credentials: self.credentials.clone(),
            now: self.cluster.unix_nanos(),
        };
        match self.send_raw(Request::V2(req))? {
            Response::V2(r) => Ok(r),
            other => Err(ClientError::Plain(format!(
                "unexpected response {:?}",
                other
            ))),
        }
    }
}
