//! etcdctl's clientv3 as far as the console can see it: endpoint choice, authentication with
//! `--user`/`--password` (and the `Password: ` prompt), the command timeout, and the zap
//! warning `retrying of unary invoker failed` that clientv3 3.4 prints for every failed call.
//!
//! Owns: turning [`Cluster::call`] results into etcdctl's texts. Must not touch: printing of
//! responses.

use std::time::Duration;

use rand::RngCore;

use crate::api::wire_size::{request_len, MAX_CALL_SEND_MSG_SIZE};
use crate::api::{AuthRequest, AuthResponse, CallError, Code, EtcdError, Request, Response};
use crate::cluster::{ClientTls, Cluster};

use super::files::Files;
use super::flags::Flags;
use super::{Console, Fail, Io, EXIT_BAD_ARGS, EXIT_BAD_CONNECTION};

/// A failed call: the gRPC code and the text etcdctl shows after `Error: `.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallFail {
    pub code: Code,
    pub msg: String,
}

impl std::fmt::Display for CallFail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.msg)
    }
}

/// One etcdctl client (what `mustClientFromCmd` builds).
#[derive(Clone, Debug)]
pub struct Client {
    pub endpoints: Vec<String>,
    pub token: Option<String>,
    pub command_timeout: Duration,
    pub dial_timeout: Duration,
    /// The gRPC client target's UUID (`endpoint://client-<uuid>/...`).
    pub uuid: String,
    /// Calls on a dedicated connection to one endpoint (Status, HashKV, Defragment) name
    /// their target `passthrough:///<endpoint>`.
    pub passthrough: bool,
    /// The client's release: 3.5's logger names its lines otherwise.
    pub version: crate::api::EtcdVersion,
    /// The zap logger of 3.5's `endpoint health` client (`"logger":"client"`, epoch `ts`).
    pub health_logger: bool,
}

/// `host:port` of an endpoint URL.
pub fn host_of(endpoint: &str) -> &str {
    let e = endpoint
        .strip_prefix("http://")
        .or_else(|| endpoint.strip_prefix("https://"))
        .unwrap_or(endpoint);
    e.trim_end_matches('/')
}

/// A random UUID (version 4) from the console's RNG.
pub fn new_uuid(console: &mut Console) -> String {
    let mut b = [0u8; 16];
    console.rng.fill_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{:02x}", x)).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// zap's ISO8601 time: `2024-01-01T00:00:05.500Z`.
pub fn iso8601(unix_nanos: i64) -> String {
    let secs = unix_nanos.div_euclid(1_000_000_000);
    let ms = unix_nanos.rem_euclid(1_000_000_000) / 1_000_000;
    let (y, mo, d) = civil(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        y,
        mo,
        d,
        sod / 3600,
        sod % 3600 / 60,
        sod % 60,
        ms
    )
}

/// zap's epoch time: seconds as Go's shortest float text (`1704067246.58`).
pub fn epoch_seconds(unix_nanos: i64) -> String {
    format!("{}", unix_nanos as f64 / 1e9)
}

/// A JSON string literal.
pub fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

/// `authCfgFromCmd`: the user and password of `--user` (and `--password`), asking
/// `Password: ` when `--user` names no password; `None` without `--user`.
pub fn auth_from_flags(flags: &Flags, io: &mut Io) -> Option<(String, String)> {
    let user = flags.str("user");
    if user.is_empty() {
        return None;
    }
    // with --password the whole --user value is the name
    let pw = flags.str("password");
    if !pw.is_empty() {
        return Some((user, pw));
    }
    Some(match user.split_once(':') {
        Some((n, p)) => (n.to_string(), p.to_string()),
        None => {
            io.out("Password: ");
            let line = io.read_password().unwrap_or_default();
            io.out("\n");
            (user, line)
        }
    })
}

impl Client {
    /// Builds the client from the global flags, authenticating if `--user` is set.
    pub fn from_flags(
        cluster: &mut dyn Cluster,
        console: &mut Console,
        files: &mut dyn Files,
        io: &mut Io,
        flags: &Flags,
    ) -> Result<Client, Fail> {
        cluster.set_client_tls(client_tls(files, flags)?);
        let mut c = Client {
            endpoints: match &console.default_endpoints {
                Some(eps) if !flags.changed("endpoints") => eps.clone(),
                _ => flags.slice("endpoints"),
            },
            token: None,
            command_timeout: flags.duration("command-timeout"),
            dial_timeout: flags.duration("dial-timeout"),
            uuid: new_uuid(console),
            passthrough: false,
            version: console.version,
            health_logger: false,
        };
        if c.endpoints.is_empty() {
            c.endpoints.push("127.0.0.1:2379".to_string());
        }
        if let Some((name, password)) = auth_from_flags(flags, io) {
            let req = Request::Auth(AuthRequest::Authenticate { name, password });
            match c.call(cluster, io, req) {
                Ok(Response::Auth(AuthResponse::Authenticate { token, .. })) => {
                    c.token = Some(token)
                }
                Ok(_) => {}
                Err(e) => return Err(Fail::new(EXIT_BAD_CONNECTION, e.msg)),
            }
        }
        Ok(c)
    }

    /// The client for one endpoint (endpoint status/health/hashkv, defrag, ...).
    pub fn with_endpoint(&self, ep: &str) -> Client {
        let mut c = self.clone();
        c.endpoints = vec![ep.to_string()];
        c.passthrough = true;
        c
    }

    /// The address etcd 3.5's resolver target names (a Go pointer: any hex number).
    fn target_addr(&self) -> String {
        format!("c000{}", self.uuid.get(..6).unwrap_or("3f4000"))
    }

    /// The endpoint requests go to: the first one a member answers at.
    pub fn pick(&self, cluster: &dyn Cluster) -> String {
        for e in &self.endpoints {
            if cluster.member_at(e).is_some() {
                return e.clone();
            }
        }
        self.endpoints.first().cloned().unwrap_or_default()
    }

    /// The zap warning line clientv3's retry interceptor prints for a failed unary call.
    pub fn warn(&self, cluster: &dyn Cluster, io: &mut Io, code: &str, desc: &str) {
        let first = self.endpoints.first().map(|s| s.as_str()).unwrap_or("");
        if self.version.is_3_5() {
            // etcd 3.5's client: one resolver target for every call, its address in hex
            let target = format!(
                "etcd-endpoints://0x{}/{}",
                self.target_addr(),
                host_of(first)
            );
            let (ts, logger) = if self.health_logger {
                (epoch_seconds(cluster.unix_nanos()), "client")
            } else {
                (
                    format!("\"{}\"", iso8601(cluster.unix_nanos())),
                    "etcd-client",
                )
            };
            io.errln(&format!(
                "{{\"level\":\"warn\",\"ts\":{},\"logger\":\"{}\",\"caller\":\"v3/retry_interceptor.go:62\",\"msg\":\"retrying of unary invoker failed\",\"target\":{},\"attempt\":0,\"error\":{}}}",
                ts,
                logger,
                json_str(&target),
                json_str(&format!("rpc error: code = {} desc = {}", code, desc))
            ));
            return;
        }
        let target = if self.passthrough {
            format!("passthrough:///{}", first)
        } else {
            format!("endpoint://client-{}/{}", self.uuid, host_of(first))
        };
        io.errln(&format!(
            "{{\"level\":\"warn\",\"ts\":\"{}\",\"caller\":\"clientv3/retry_interceptor.go:62\",\"msg\":\"retrying of unary invoker failed\",\"target\":{},\"attempt\":0,\"error\":{}}}",
            iso8601(cluster.unix_nanos()),
            json_str(&target),
            json_str(&format!("rpc error: code = {} desc = {}", code, desc))
        ));
    }

    /// One unary call; a failure prints the warning line and comes back as etcdctl's text.
    pub fn call(
        &self,
        cluster: &mut dyn Cluster,
        io: &mut Io,
        req: Request,
    ) -> Result<Response, CallFail> {
        if let Err(desc) = check_send_size(&req) {
            self.warn(cluster, io, "ResourceExhausted", &desc);
            return Err(too_large_to_send(desc));
        }
        let ep = self.pick(cluster);
        match cluster.call(&ep, self.token.as_deref(), req, self.command_timeout) {
            Ok(r) => Ok(r),
            Err(CallError::Server(EtcdError { code, message })) => {
                self.warn(cluster, io, &code.to_string(), &message);
                Err(CallFail { code, msg: message })
            }
            Err(CallError::Unreachable) => {
                cluster.advance(self.command_timeout);
                if self.version.is_3_5() {
                    let host = host_of(self.endpoints.first().map(|s| s.as_str()).unwrap_or(""))
                        .to_string();
                    self.warn(cluster, io, "DeadlineExceeded", &format!("latest balancer error: last connection error: connection error: desc = \"transport: Error while dialing dial tcp {}: connect: connection refused\"", host));
                } else if self.passthrough {
                    let host = host_of(self.endpoints.first().map(|s| s.as_str()).unwrap_or(""))
                        .to_string();
                    self.warn(cluster, io, "DeadlineExceeded", &format!("latest balancer error: connection error: desc = \"transport: Error while dialing dial tcp {}: connect: connection refused\"", host));
                } else {
                    self.warn(
                        cluster,
                        io,
                        "DeadlineExceeded",
                        "latest balancer error: all SubConns are in TransientFailure",
                    );
                }
                Err(CallFail {
                    code: Code::DeadlineExceeded,
                    msg: "context deadline exceeded".to_string(),
                })
            }
            Err(CallError::DeadlineExceeded) => {
                self.warn(cluster, io, "DeadlineExceeded", "context deadline exceeded");
                Err(CallFail {
                    code: Code::DeadlineExceeded,
                    msg: "context deadline exceeded".to_string(),
                })
            }
        }
    }

    /// A call whose failure is printed without the warning line (streams: keep-alive, watch).
    pub fn call_quiet(
        &self,
        cluster: &mut dyn Cluster,
        req: Request,
    ) -> Result<Response, CallFail> {
        check_send_size(&req).map_err(too_large_to_send)?;
        let ep = self.pick(cluster);
        match cluster.call(&ep, self.token.as_deref(), req, self.command_timeout) {
            Ok(r) => Ok(r),
            Err(CallError::Server(EtcdError { code, message })) => {
                Err(CallFail { code, msg: message })
            }
            Err(CallError::Unreachable) => {
                cluster.advance(self.command_timeout);
                Err(CallFail {
                    code: Code::DeadlineExceeded,
                    msg: "context deadline exceeded".to_string(),
                })
            }
            Err(CallError::DeadlineExceeded) => Err(CallFail {
                code: Code::DeadlineExceeded,
                msg: "context deadline exceeded".to_string(),
            }),
        }
    }
}

/// gRPC's check before sending: a message over clientv3's 2 MiB send limit is never sent; the
/// error's description names its marshalled size.
fn check_send_size(req: &Request) -> Result<(), String> {
    let size = request_len(req);
    if size > MAX_CALL_SEND_MSG_SIZE {
        return Err(format!(
            "trying to send message larger than max ({size} vs. {MAX_CALL_SEND_MSG_SIZE})"
        ));
    }
    Ok(())
}

/// A gRPC status clientv3 does not translate: etcdctl shows it whole.
fn too_large_to_send(desc: String) -> CallFail {
    CallFail {
        code: Code::ResourceExhausted,
        msg: format!("rpc error: code = ResourceExhausted desc = {desc}"),
    }
}

/// The client's TLS settings from `--cacert`, `--cert`, `--key` (each file read now: a missing
/// one is `open PATH: no such file or directory`, exit 128, as `mustClientFromCmd` fails),
/// `--insecure-transport` and `--insecure-skip-tls-verify`.
pub fn client_tls(files: &dyn Files, flags: &Flags) -> Result<ClientTls, Fail> {
    let read = |name: &str| -> Result<Option<Vec<u8>>, Fail> {
        let path = flags.str(name);
        if path.is_empty() {
            return Ok(None);
        }
        files
            .read(&path)
            .map(Some)
            .map_err(|e| Fail::new(EXIT_BAD_ARGS, format!("open {path}: {e}")))
    };
    // etcdctl loads the key pair first, then the CA
    let cert = read("cert")?;
    let key = read("key")?;
    let ca = read("cacert")?;
    let any = cert.is_some() || key.is_some() || ca.is_some();
    Ok(ClientTls {
        secure_default: any || flags.str("insecure-transport") == "false",
        ca,
        cert,
        key,
        skip_verify: flags.bool("insecure-skip-tls-verify"),
    })
}

/// Go's `time.Duration.String()`.
pub fn go_duration(d: Duration) -> String {
    let ns = d.as_nanos();
    if ns == 0 {
        return "0s".to_string();
    }
    let trim = |s: String| -> String {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    if ns < 1_000 {
        return format!("{}ns", ns);
    }
    if ns < 1_000_000 {
        return format!("{}µs", trim(format!("{:.3}", ns as f64 / 1e3)));
    }
    if ns < 1_000_000_000 {
        return format!("{}ms", trim(format!("{:.6}", ns as f64 / 1e6)));
    }
    let total_s = ns / 1_000_000_000;
    let frac = ns % 1_000_000_000;
    let h = total_s / 3600;
    let m = total_s % 3600 / 60;
    let s = total_s % 60;
    let sec = if frac == 0 {
        format!("{}", s)
    } else {
        trim(format!("{}.{:09}", s, frac))
    };
    if h > 0 {
        format!("{}h{}m{}s", h, m, sec)
    } else if m > 0 {
        format!("{}m{}s", m, sec)
    } else {
        format!("{}s", sec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_format() {
        assert_eq!(
            iso8601(1_704_067_205_500_000_000),
            "2024-01-01T00:00:05.500Z"
        );
    }

    #[test]
    fn hosts() {
        assert_eq!(host_of("http://127.0.0.1:2379"), "127.0.0.1:2379");
        assert_eq!(host_of("127.0.0.1:1"), "127.0.0.1:1");
    }
}
