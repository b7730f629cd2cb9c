//! TEMPORARY stand-in on the ui branch until the etcdctl engineer's Playground lands
//! (taken wholesale from main at that point). Puts and gets go to the world's members,
//! playground commands to the world's controls.

use std::time::Duration;

use crate::server::api::{CallError, PutRequest, RangeRequest, Request, Response};
use crate::sim::World;

/// What one console line printed, and how it ended.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub exit: i32,
}

pub struct Playground {
    world: World,
}

fn ok(s: String) -> Output {
    Output { stdout: s + "\n", ..Default::default() }
}
fn fail(s: String) -> Output {
    Output { stderr: s + "\n", exit: 1, ..Default::default() }
}
fn call_err(e: CallError) -> Output {
    fail(format!("Error: {e:?}"))
}

impl Playground {
    pub fn new(seed: u64) -> Self {
        Playground { world: World::new(seed) }
    }
    pub fn world(&self) -> &World {
        &self.world
    }
    pub fn world_mut(&mut self) -> &mut World {
        &mut self.world
    }
    pub fn is_running(&self) -> bool {
        false
    }
    pub fn poll(&mut self, d: Duration) -> Output {
        self.world.advance(d);
        Output::default()
    }
    pub fn interrupt(&mut self) -> Output {
        Output::default()
    }
    pub fn run(&mut self, line: &str, _stdin: Option<&str>) -> Output {
        let w: Vec<&str> = line.split_whitespace().collect();
        let t = Duration::from_secs(5);
        let ep = "127.0.0.1:2379";
        let r = |x: Result<String, String>| match x {
            Ok(s) => ok(s),
            Err(e) => fail(e),
        };
        match w.as_slice() {
            ["etcdctl", "put", k, v] => {
                let req = Request::Put(PutRequest { key: k.as_bytes().to_vec(), value: v.as_bytes().to_vec(), ..Default::default() });
                match self.world.call(ep, None, req, t) {
                    Ok(_) => ok("OK".into()),
                    Err(e) => call_err(e),
                }
            }
            ["etcdctl", "get", k] => {
                let req = Request::Range(RangeRequest { key: k.as_bytes().to_vec(), ..Default::default() });
                match self.world.call(ep, None, req, t) {
                    Ok(Response::Range(r)) => Output {
                        stdout: r.kvs.iter().map(|kv| format!("{}\n{}\n", String::from_utf8_lossy(&kv.key), String::from_utf8_lossy(&kv.value))).collect(),
                        ..Default::default()
                    },
                    Ok(_) => Output::default(),
                    Err(e) => call_err(e),
                }
            }
            ["etcdctl", "version"] => ok("etcdctl version: 3.4.23\nAPI version: 3.4".into()),
            ["stop", n] => r(self.world.stop(n)),
            ["start", n] => r(self.world.start(n)),
            ["heal"] => r(self.world.heal()),
            ["loss", p] => r(p.trim_end_matches('%').parse().map_err(|_| "bad percent".to_string()).and_then(|p| self.world.set_loss(p))),
            ["latency", m] => r(m.trim_end_matches("ms").parse().map_err(|_| "bad ms".to_string()).and_then(|m| self.world.set_latency(m))),
            ["partition", rest @ ..] => {
                let groups: Vec<Vec<String>> = rest.split(|x| *x == "|").map(|g| g.iter().map(|s| s.to_string()).collect()).collect();
                r(self.world.partition(&groups))
            }
            ["advance", d] => {
                let ms: Option<u64> = if let Some(x) = d.strip_suffix("ms") { x.parse().ok() } else { d.strip_suffix('s').and_then(|x| x.parse::<u64>().ok()).map(|s| s * 1000) };
                match ms {
                    Some(ms) => {
                        self.world.advance(Duration::from_millis(ms));
                        ok(format!("advanced {d}"))
                    }
                    None => fail(format!("bad duration {d}")),
                }
            }
            _ => fail(format!("Error: unknown command \"{}\" for \"etcdctl\"", w.get(1).unwrap_or(&""))),
        }
    }
}
