//! etcdctl's v2 command set (`ETCDCTL_API=2`). Owner: the v2 engineer.
//!
//! This is the hook the console calls; the body below is a placeholder until the v2
//! command set lands.

use std::collections::BTreeMap;

use crate::sim::World;

use super::{Io, Status, EXIT_INVALID_INPUT};

/// Runs etcdctl 2 with `args` (the words after the program name, e.g. `["set", "/a", "1"]`),
/// the console's environment `env` (`ETCDCTL_*` variables included), and `io` for stdin,
/// stdout and stderr (`io.read_line()`, `io.read_all()`, `io.out()`, `io.errln()`).
/// Returns `Status::Done(exit code)`, or `Status::Running(job)` for a command that keeps
/// running (`watch`, `exec-watch`), polled and interrupted like the v3 ones.
pub fn run(world: &mut World, env: &BTreeMap<String, String>, args: &[String], io: &mut Io) -> Status {
    let _ = (world, env);
    let name = args.iter().find(|a| !a.starts_with('-')).cloned().unwrap_or_default();
    io.errln(&format!("No help topic for '{}'", name));
    Status::Done(EXIT_INVALID_INPUT)
}
