//! What etcdctl reads from a terminal: `txn` (with `-i` its three prompts), the password
//! prompts (`user add NAME`, `user passwd NAME`, `--user NAME` without a password) and
//! `put KEY` (the value up to Ctrl+D).
//!
//! A console cannot stop a command halfway and resume it when the next line is typed: the
//! command runs once, over everything typed (as a here-document). [`probe`] says, before
//! that, whether the command reads the terminal at all and, over the lines typed so far,
//! whether it would still be reading: it runs only the command's reading part (the same
//! functions the command runs: `txn::read_input`, `user::add_input`, ...), over an [`Io`]
//! that echoes as a terminal does, and never the cluster. What that run printed is what
//! the terminal shows so far (prompts and echoed lines; a password is not echoed).
//!
//! Owns: which commands read the terminal. Must not touch: the cluster, the console's state.

use std::collections::BTreeMap;

use super::command::{self, put, txn, user};
use super::flags::{self, Flags, Found};
use super::{client, env_globals, Io, Want};
use crate::api::EtcdVersion;

/// Where a command stands over the lines typed so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reading {
    /// What the terminal shows of the command so far: its prompts and the echoed lines.
    pub shown: String,
    /// What it waits for; `None`: it has what it reads (or stops at what was typed).
    pub want: Option<Want>,
}

/// The v3 command `args` names, with the flags the environment adds; `None` when it only
/// prints help or an error.
fn command_flags(
    env: &BTreeMap<String, String>,
    args: &[String],
    v: EtcdVersion,
) -> Option<(String, Flags)> {
    let api = env.get("ETCDCTL_API").map(String::as_str).unwrap_or("");
    if !api.is_empty() && api != "3" {
        return None;
    }
    let Found::Command { path, args } = flags::find(args, v) else {
        return None;
    };
    let mut fl = flags::parse(&path, &args, v).ok()?;
    if fl.help || path == "help" || !command::runnable(&path, v) {
        return None;
    }
    env_globals(&mut fl, env);
    Some((path, fl))
}

/// Commands that never build a client (so never ask for `--user`'s password).
const NO_CLIENT: [&str; 3] = ["version", "snapshot status", "snapshot restore"];

/// etcdctl `args` (after the program name) in environment `env`, over `typed` (lines
/// typed at the terminal so far): `None` when the command does not read the terminal.
pub fn probe(env: &BTreeMap<String, String>, args: &[String], typed: &str) -> Option<Reading> {
    probe_of(env, args, typed, EtcdVersion::default())
}

/// [`probe`] for etcdctl release `v` (its commands and flags).
pub fn probe_of(
    env: &BTreeMap<String, String>,
    args: &[String],
    typed: &str,
    v: EtcdVersion,
) -> Option<Reading> {
    let (path, fl) = command_flags(env, args, v)?;
    let mut io = Io::terminal(typed);
    match path.as_str() {
        "txn" => {
            let _ = txn::read_input(&fl, &mut io, v);
        }
        "user add" => {
            if user::add_input(&fl, &mut io).is_ok() {
                client::auth_from_flags(&fl, &mut io);
            }
        }
        "user passwd" => {
            if user::passwd_input(&fl, &mut io).is_ok() {
                client::auth_from_flags(&fl, &mut io);
            }
        }
        "put" => {
            if put::put_op(&fl, &mut io).is_ok() {
                client::auth_from_flags(&fl, &mut io);
            }
        }
        p if NO_CLIENT.contains(&p) => return None,
        _ => {
            client::auth_from_flags(&fl, &mut io);
        }
    }
    let reads = !typed.is_empty() || io.starved.is_some();
    if io.starved.is_some() {
        io.stdout.truncate(io.shown_when_starved);
    }
    reads.then_some(Reading {
        shown: io.stdout,
        want: io.starved,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    fn at(args: &str, typed: &str) -> Option<Reading> {
        probe(&BTreeMap::new(), &words(args), typed)
    }

    #[test]
    fn txn_reads_three_sections() {
        let r = at("txn -i", "").unwrap();
        assert_eq!(r.shown, "compares:\n");
        assert_eq!(r.want, Some(Want::Line));
        let r = at("txn -i", "mod(\"k\") > \"0\"\n\nput k v\n").unwrap();
        assert_eq!(
            r.shown,
            "compares:\nmod(\"k\") > \"0\"\n\nsuccess requests (get, put, del):\nput k v\n"
        );
        assert_eq!(r.want, Some(Want::Line));
        let r = at("txn -i", "\nput k v\n\n\n").unwrap();
        assert_eq!(r.want, None);
        // without -i: no prompts, still read
        assert_eq!(at("txn", "").unwrap().shown, "");
        assert_eq!(at("txn", "").unwrap().want, Some(Want::Line));
    }

    #[test]
    fn a_bad_line_ends_the_reading() {
        assert_eq!(at("txn -i", "bad\n").unwrap().want, None);
        assert_eq!(at("txn -i", "\nfrob k\n").unwrap().want, None);
        assert_eq!(at("txn extra", ""), None);
    }

    #[test]
    fn passwords_are_not_echoed() {
        let r = at("user add bob", "").unwrap();
        assert_eq!(r.shown, "Password of bob: ");
        assert_eq!(r.want, Some(Want::Password));
        let r = at("user add bob", "s3cret\n").unwrap();
        assert_eq!(
            r.shown,
            "Password of bob: \nType password of bob again for confirmation: "
        );
        assert!(!r.shown.contains("s3cret"));
        assert_eq!(at("user add bob", "s3cret\ns3cret\n").unwrap().want, None);
        assert_eq!(at("user add bob:pw", ""), None);
        assert_eq!(at("user add bob --new-user-password=x", ""), None);
        let r = at("get k --user root", "").unwrap();
        assert_eq!(
            (r.shown.as_str(), r.want),
            ("Password: ", Some(Want::Password))
        );
        assert_eq!(at("get k --user root:pw", ""), None);
        assert_eq!(at("get k", ""), None);
        assert_eq!(at("version --user root", ""), None);
        let env = BTreeMap::from([("ETCDCTL_USER".to_string(), "root".to_string())]);
        assert!(
            probe(&env, &words("user passwd bob"), "a\na\n")
                .unwrap()
                .want
                == Some(Want::Password)
        );
    }

    #[test]
    fn put_without_a_value_reads_to_the_end() {
        assert_eq!(at("put k", "").unwrap().want, Some(Want::Line));
        assert_eq!(at("put k", "v\n").unwrap().shown, "v\n");
        assert_eq!(at("put k v", ""), None);
    }
}
