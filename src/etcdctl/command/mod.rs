//! etcdctl's v3 commands, one file each: each parses its own arguments, calls the cluster
//! through [`Client`] and hands the response to the printer.

pub mod alarm;
pub mod auth;
pub mod check;
pub mod compaction;
pub mod defrag;
pub mod del;
pub mod elect;
pub mod endpoint;
pub mod get;
pub mod help;
pub mod lease;
pub mod lock;
pub mod make_mirror;
pub mod member;
pub mod migrate;
pub mod move_leader;
pub mod put;
pub mod role;
pub mod snapshot;
pub mod snapshot_restore;
pub mod txn;
pub mod user;
pub mod version;
pub mod watch;
pub mod watch_interactive;

use crate::cluster::Cluster;

use super::client::{CallFail, Client};
use super::files::Files;
use super::flags::{self, Flags};
use super::printer::{new_printer, PrintOpts, Printer};
use super::{Console, Fail, Io, Status, EXIT_BAD_ARGS, EXIT_ERROR};

/// One invocation's context.
pub struct Ctx<'a> {
    pub cluster: &'a mut dyn Cluster,
    pub console: &'a mut Console,
    /// The files etcdctl opens (certificates, snapshot files, data directories).
    pub files: &'a mut dyn Files,
    pub io: &'a mut Io,
    pub flags: Flags,
    pub path: String,
}

impl Ctx<'_> {
    pub fn args(&self) -> &[String] {
        &self.flags.args
    }
    pub fn write_out(&self) -> String {
        self.flags.str("write-out")
    }
    /// The printer for `-w` (etcdctl's `display`).
    pub fn printer(&self) -> Result<Box<dyn Printer>, Fail> {
        self.printer_with(false)
    }
    pub fn printer_with(&self, value_only: bool) -> Result<Box<dyn Printer>, Fail> {
        new_printer(
            &self.write_out(),
            PrintOpts {
                hex: self.flags.bool("hex"),
                value_only,
                version: self.console.version,
            },
        )
    }
    /// `mustClientFromCmd`.
    pub fn client(&mut self) -> Result<Client, Fail> {
        Client::from_flags(self.cluster, self.console, self.files, self.io, &self.flags)
    }
}

/// An error returned by a call, as `ExitWithError(ExitError, err)` prints it.
pub fn fail(e: CallFail) -> Fail {
    Fail::new(EXIT_ERROR, e.msg)
}

pub fn bad_args(msg: &str) -> Fail {
    Fail::new(EXIT_BAD_ARGS, msg)
}

/// Whether a command path runs something (group commands only print their help).
pub fn runnable(path: &str, v: crate::api::EtcdVersion) -> bool {
    !path.is_empty() && flags::children(path, v).is_empty()
}

/// Runs the command at `ctx.path`.
pub fn dispatch(ctx: &mut Ctx) -> Result<Status, Fail> {
    let done = |r: Result<(), Fail>| r.map(|_| Status::Done(0));
    match ctx.path.as_str() {
        "get" => done(get::run(ctx)),
        "put" => done(put::run(ctx)),
        "del" => done(del::run(ctx)),
        "txn" => done(txn::run(ctx)),
        "compaction" => done(compaction::run(ctx)),
        "watch" => watch::run(ctx),
        "lease grant" => done(lease::grant(ctx)),
        "lease revoke" => done(lease::revoke(ctx)),
        "lease timetolive" => done(lease::time_to_live(ctx)),
        "lease list" => done(lease::list(ctx)),
        "lease keep-alive" => lease::keep_alive(ctx),
        "member list" => done(member::list(ctx)),
        "member add" => done(member::add(ctx)),
        "member remove" => done(member::remove(ctx)),
        "member update" => done(member::update(ctx)),
        "member promote" => done(member::promote(ctx)),
        "endpoint health" => done(endpoint::health(ctx)),
        "endpoint status" => done(endpoint::status(ctx)),
        "endpoint hashkv" => done(endpoint::hashkv(ctx)),
        "alarm list" => done(alarm::list(ctx)),
        "alarm disarm" => done(alarm::disarm(ctx)),
        "defrag" => done(defrag::run(ctx)),
        "snapshot save" => done(snapshot::save(ctx)),
        "snapshot status" => done(snapshot::status(ctx)),
        "snapshot restore" => done(snapshot::restore(ctx)),
        "move-leader" => done(move_leader::run(ctx)),
        "make-mirror" => make_mirror::run(ctx),
        "migrate" => done(migrate::run(ctx)),
        "lock" => lock::run(ctx),
        "elect" => elect::run(ctx),
        "auth enable" => done(auth::enable(ctx)),
        "auth disable" => done(auth::disable(ctx)),
        "auth status" => done(auth::status(ctx)),
        "user add" => done(user::add(ctx)),
        "user delete" => done(user::delete(ctx)),
        "user get" => done(user::get(ctx)),
        "user list" => done(user::list(ctx)),
        "user passwd" => done(user::passwd(ctx)),
        "user grant-role" => done(user::grant_role(ctx)),
        "user revoke-role" => done(user::revoke_role(ctx)),
        "role add" => done(role::add(ctx)),
        "role delete" => done(role::delete(ctx)),
        "role get" => done(role::get(ctx)),
        "role list" => done(role::list(ctx)),
        "role grant-permission" => done(role::grant_permission(ctx)),
        "role revoke-permission" => done(role::revoke_permission(ctx)),
        "version" => done(version::run(ctx)),
        "check perf" => done(check::perf(ctx)),
        "check datascale" => done(check::datascale(ctx)),
        other => Err(Fail::new(
            EXIT_ERROR,
            format!("{} is not available in the playground", other),
        )),
    }
}
