//! `etcdctl watch -i`: the interactive watch. It reads request lines from the terminal while
//! it runs: `watch [--prefix] [--rev N] [--prev-kv] KEY [RANGE_END] [-- CMD ARGS...]` starts
//! one more watch (its events print as they come, as `etcdctl watch` prints them),
//! `progress` asks every open watch for a progress notification; any other line gets
//! etcdctl's complaint and the job reads on. The end of input (Ctrl+D) ends it with exit 3,
//! a flag it does not know with exit 128, as etcdctl does.
//!
//! Lines given all at once (a here-document, a pipe) are read before any watch answers: as
//! with real etcdctl, the end of input comes first and no event prints.
//!
//! Owns: [`InteractiveWatch`]. Must not touch: how one watch prints (`watch`).

use crate::api::{CallError, Request, Response, WatchCreateRequest};
use crate::cluster::Cluster;

use super::super::printer::{new_printer, PrintOpts};
use super::super::printer_simple::with_prefix;
use super::super::{Io, Job, EXIT_BAD_ARGS, EXIT_INVALID_INPUT};
use super::watch::{canceled, WatchJob};

/// The running `watch -i` and its watches.
pub struct InteractiveWatch {
    pub endpoint: String,
    pub token: Option<String>,
    /// `-w` and `--hex`, for each watch's printer.
    pub output: String,
    pub hex: bool,
    /// The command line's `--prefix`, `--rev`, `--prev-kv`: every watch starts from them.
    pub prefix: bool,
    pub rev: i64,
    pub prev_kv: bool,
    /// The release: 3.5 lowercases "error reading watch request line".
    pub version: crate::api::EtcdVersion,
    /// The lines come from a here-document or a pipe (see the module doc).
    pub piped: bool,
    pub(super) watches: Vec<WatchJob>,
}

/// etcd's `argify`: words, a quoted string one word without its quotes.
fn argify(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line.trim_start();
    while !rest.is_empty() {
        let (word, tail) = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => match rest[1..].find(q) {
                Some(end) => (rest[1..1 + end].to_string(), &rest[end + 2..]),
                None => (rest.to_string(), ""),
            },
            _ => {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                (rest[..end].to_string(), &rest[end..])
            }
        };
        out.push(word);
        rest = tail.trim_start();
    }
    out
}

/// What a `watch` line asks for.
struct WatchLine {
    req: WatchCreateRequest,
    exec: Vec<String>,
}

/// Parses a `watch ...` line's words (after `watch`); Err((exit, message)) ends the job,
/// Ok(Err(text)) is a complaint the job prints and reads on.
type Parsed = Result<Result<WatchLine, String>, (i32, String)>;

impl InteractiveWatch {
    fn parse(&self, line: &str, words: &[String]) -> Parsed {
        let (words, exec) = match words.iter().position(|w| w == "--") {
            Some(i) if i + 1 == words.len() => {
                return Err((
                    EXIT_BAD_ARGS,
                    "bad number of arguments (found separator --, but no commands)".into(),
                ))
            }
            Some(i) => (&words[..i], words[i + 1..].to_vec()),
            None => (words, Vec::new()),
        };
        let (mut prefix, mut rev, mut prev_kv) = (self.prefix, self.rev, self.prev_kv);
        let mut args = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let w = words[i].as_str();
            let (name, inline) = match w.split_once('=') {
                Some((n, v)) if n.starts_with('-') => (n, Some(v)),
                _ => (w, None),
            };
            match name {
                "--prefix" => prefix = inline.is_none_or(|v| v == "true"),
                "--prev-kv" => prev_kv = inline.is_none_or(|v| v == "true"),
                "-i" | "--interactive" | "--progress-notify" => {}
                "--rev" => {
                    let v = match inline {
                        Some(v) => v.to_string(),
                        None => {
                            i += 1;
                            match words.get(i) {
                                Some(v) => v.clone(),
                                None => {
                                    return Err((
                                        EXIT_BAD_ARGS,
                                        "flag needs an argument: --rev".into(),
                                    ))
                                }
                            }
                        }
                    };
                    rev = v.parse().map_err(|_| {
                        (
                            EXIT_BAD_ARGS,
                            format!("invalid argument \"{v}\" for \"--rev\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax"),
                        )
                    })?;
                }
                _ if w.starts_with("--") && w.len() > 2 => {
                    return Err((EXIT_BAD_ARGS, format!("unknown flag: {name}")))
                }
                _ if w.starts_with('-') && w.len() > 1 => {
                    let c = w.chars().nth(1).unwrap_or('-');
                    return Err((
                        EXIT_BAD_ARGS,
                        format!("unknown shorthand flag: '{c}' in {w}"),
                    ));
                }
                _ => args.push(w.to_string()),
            }
            i += 1;
        }
        let Some(key) = args.first() else {
            return Ok(Err(format!(
                "Invalid command {line} (command type or key is not provided)"
            )));
        };
        let mut req = WatchCreateRequest {
            key: key.as_bytes().to_vec(),
            start_revision: rev,
            prev_kv,
            ..Default::default()
        };
        if let Some(end) = args.get(1) {
            if prefix {
                return Ok(Err(format!(
                    "Invalid command {line} (`range_end` and `--prefix` are mutually exclusive)"
                )));
            }
            req.range_end = end.as_bytes().to_vec();
        }
        if prefix {
            (req.key, req.range_end) = with_prefix(&req.key);
        }
        Ok(Ok(WatchLine { req, exec }))
    }

    /// Ends the job: every watch cancelled, the error printed.
    fn end(&mut self, cluster: &mut dyn Cluster, io: &mut Io, code: i32, msg: &str) -> i32 {
        self.interrupt(cluster, io);
        io.errln(&format!("Error: {msg}"));
        code
    }

    /// `progress`: each open watch reports the store's revision.
    fn progress(&mut self, cluster: &mut dyn Cluster, io: &mut Io) {
        if self.watches.iter().all(|w| w.watch.is_none()) {
            return;
        }
        let req = Request::Range(crate::api::RangeRequest {
            key: b"\0".to_vec(),
            count_only: true,
            ..Default::default()
        });
        let timeout = std::time::Duration::from_secs(5);
        let token = self.token.clone();
        if let Ok(Response::Range(r)) = cluster.call(&self.endpoint, token.as_deref(), req, timeout)
        {
            for _ in self.watches.iter().filter(|w| w.watch.is_some()) {
                io.outln(&format!("progress notify: {}", r.header.revision));
            }
        }
    }
}

impl Job for InteractiveWatch {
    fn poll(&mut self, cluster: &mut dyn Cluster, io: &mut Io) -> Option<i32> {
        for w in &mut self.watches {
            // a watch the server cancelled ends etcdctl
            if let Some(code) = w.poll(cluster, io) {
                self.interrupt(cluster, io);
                return Some(code);
            }
        }
        None
    }

    fn interrupt(&mut self, cluster: &mut dyn Cluster, io: &mut Io) -> i32 {
        for w in &mut self.watches {
            w.interrupt(cluster, io);
        }
        self.watches.clear();
        0
    }

    fn reads_input(&self) -> bool {
        true
    }

    fn input(&mut self, cluster: &mut dyn Cluster, io: &mut Io, line: Option<&str>) -> Option<i32> {
        let Some(line) = line else {
            let msg = if self.version.is_3_5() {
                "error reading watch request line: EOF"
            } else {
                "Error reading watch request line: EOF"
            };
            return Some(self.end(cluster, io, EXIT_INVALID_INPUT, msg));
        };
        let words = argify(line);
        match words.first().map(String::as_str) {
            None => io.errln(&format!(
                "Invalid command: {line} (watch and progress supported)"
            )),
            Some("watch") => match self.parse(line, &words[1..]) {
                Err((code, msg)) => return Some(self.end(cluster, io, code, &msg)),
                Ok(Err(complaint)) => io.errln(&complaint),
                Ok(Ok(w)) => {
                    let printer = match new_printer(
                        &self.output,
                        PrintOpts {
                            hex: self.hex,
                            value_only: false,
                            ..Default::default()
                        },
                    ) {
                        Ok(p) => p,
                        Err(f) => return Some(self.end(cluster, io, f.code, &f.msg)),
                    };
                    let token = self.token.clone();
                    match cluster.watch(&self.endpoint, token.as_deref(), w.req) {
                        Ok(id) => self.watches.push(WatchJob {
                            printer,
                            watch: Some(id),
                            exec: w.exec,
                        }),
                        Err(CallError::Server(e)) => {
                            let reason =
                                format!("rpc error: code = {} desc = {}", e.code, e.message);
                            let code = canceled(cluster, io, None, &reason);
                            self.interrupt(cluster, io);
                            return Some(code);
                        }
                        // no member answers: the watch waits for a connection
                        Err(_) => self.watches.push(WatchJob {
                            printer,
                            watch: None,
                            exec: w.exec,
                        }),
                    }
                    if self.piped {
                        return None;
                    }
                    return self.poll(cluster, io);
                }
            },
            Some("progress") => self.progress(cluster, io),
            Some(_) => io.errln(&format!("Invalid command {line} (only support watch)")),
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::argify;

    #[test]
    fn argify_keeps_quoted_words_whole() {
        assert_eq!(argify("watch  'a b' \"c\" d"), ["watch", "a b", "c", "d"]);
        assert!(argify("   ").is_empty());
    }
}
