//! Tab completion of etcdctl command lines for the page's console: command and subcommand
//! names from etcdctl's command tree, flags of the command being typed (its own and the global
//! ones), and the values of flags with a fixed set (`-w simple|json|fields|table|protobuf`).
//! Under `ETCDCTL_API=2` the v2 (urfave/cli) command set is completed instead.
//!
//! Owns: choosing candidates for the word under the cursor (the last one on the line).
//! Must not touch: running anything; the help texts and flag tables stay in `help`, `flags`
//! and `v2::cli`.

use super::flags::{self, FlagKind};
use super::v2::cli::{self as v2cli, CommandDef, Kind as V2Kind};
use crate::api::EtcdVersion;

/// The words that may follow `-w`/`--write-out`.
const WRITE_OUT: [&str; 5] = ["fields", "json", "protobuf", "simple", "table"];
/// The words that may follow v2's `-o`/`--output`.
const V2_OUTPUT: [&str; 3] = ["extended", "json", "simple"];

/// Candidates for the last word of an etcdctl line. `args` are the words after the program
/// name except the one being completed (`current`); `api` is `ETCDCTL_API` ("" for the
/// default); `v` the etcdctl release. Candidates are sorted and all start with `current`.
pub fn candidates(args: &[String], current: &str, api: &str, v: EtcdVersion) -> Vec<String> {
    let mut out = if api == "2" {
        v2_candidates(args, current)
    } else {
        v3_candidates(args, current, v)
    };
    out.retain(|c| c.starts_with(current));
    crate::sort::sort(&mut out);
    out.dedup();
    out
}

/// What a word before the cursor tells the walk over the command line.
enum Pending {
    /// The next word is a command name or an argument.
    Word,
    /// The next word is the value of this flag.
    Value(String),
}

fn v3_candidates(args: &[String], current: &str, v: EtcdVersion) -> Vec<String> {
    let mut path = String::new();
    let mut pending = Pending::Word;
    let mut dashdash = false;
    for a in args {
        if let Pending::Value(_) = pending {
            pending = Pending::Word;
            continue;
        }
        if a == "--" {
            dashdash = true;
            continue;
        }
        if !dashdash && a.starts_with('-') && a.len() > 1 {
            if !a.contains('=') {
                if let Some(name) = v3_flag_name(&path, a, v) {
                    if v3_flag_takes_value(&path, &name, v) && !is_short_cluster_with_value(a) {
                        pending = Pending::Value(name);
                    }
                }
            }
            continue;
        }
        let child = flags::children(&path, v)
            .into_iter()
            .find(|c| *c == a.as_str());
        if let Some(c) = child {
            path = if path.is_empty() {
                c.to_string()
            } else {
                format!("{path} {c}")
            };
        }
    }
    if let Pending::Value(name) = pending {
        return if name == "write-out" {
            WRITE_OUT.iter().map(|s| s.to_string()).collect()
        } else {
            Vec::new()
        };
    }
    if let Some(value) = current
        .strip_prefix("--write-out=")
        .or_else(|| current.strip_prefix("-w="))
    {
        let prefix = &current[..current.len() - value.len()];
        return WRITE_OUT.iter().map(|w| format!("{prefix}{w}")).collect();
    }
    if current.starts_with('-') && !dashdash {
        let mut names: Vec<String> = v3_flags(&path, v)
            .into_iter()
            .map(|(name, _)| format!("--{name}"))
            .collect();
        if current.len() <= 1 {
            names.push("-w".to_string());
        }
        return names;
    }
    flags::children(&path, v)
        .into_iter()
        .map(|c| c.to_string())
        .collect()
}

/// The flags a v3 command accepts: its own and the global ones, with their kinds.
fn v3_flags(path: &str, v: EtcdVersion) -> Vec<(String, FlagKind)> {
    let mut v: Vec<(String, FlagKind)> = flags::command_flags(path, v)
        .into_iter()
        .chain(flags::command_flags("", v))
        .map(|d| (d.name, d.kind))
        .collect();
    crate::sort::sort_by(&mut v, |a, b| a.0.cmp(&b.0));
    v.dedup_by(|a, b| a.0 == b.0);
    v
}

fn v3_flag_name(path: &str, word: &str, v: EtcdVersion) -> Option<String> {
    if let Some(long) = word.strip_prefix("--") {
        return Some(long.to_string());
    }
    // a shorthand cluster: the last letter decides whether a value follows
    let last = word.chars().last()?;
    flags::command_flags(path, v)
        .into_iter()
        .chain(flags::command_flags("", v))
        .find(|d| d.short == Some(last))
        .map(|d| d.name)
}

fn v3_flag_takes_value(path: &str, name: &str, v: EtcdVersion) -> bool {
    v3_flags(path, v)
        .iter()
        .any(|(n, k)| n == name && *k != FlagKind::Bool)
}

/// `-wjson` carries its value in the same word.
fn is_short_cluster_with_value(word: &str) -> bool {
    !word.starts_with("--") && word.chars().count() > 2 && word.starts_with("-w")
}

fn v2_candidates(args: &[String], current: &str) -> Vec<String> {
    let mut list: &'static [CommandDef] = v2cli::COMMANDS;
    let mut command: Option<&'static CommandDef> = None;
    let mut pending_value: Option<&'static str> = None;
    for a in args {
        if pending_value.take().is_some() {
            continue;
        }
        if a.starts_with('-') && a.len() > 1 {
            if !a.contains('=') {
                let name = a.trim_start_matches('-');
                let defs = command.map(|c| c.flags).unwrap_or(v2cli::GLOBAL_FLAGS);
                if let Some(d) = defs.iter().find(|d| d.names.contains(&name)) {
                    if d.kind != V2Kind::Bool {
                        pending_value = d.names.first().copied();
                    }
                }
            }
            continue;
        }
        if let Some(c) = v2cli::find_command(list, a) {
            command = Some(c);
            list = c.subcommands;
        }
    }
    if let Some(name) = pending_value {
        return if name == "output" {
            V2_OUTPUT.iter().map(|s| s.to_string()).collect()
        } else {
            Vec::new()
        };
    }
    if current.starts_with('-') {
        let defs = command.map(|c| c.flags).unwrap_or(v2cli::GLOBAL_FLAGS);
        return defs
            .iter()
            .filter_map(|d| d.names.first())
            .map(|n| format!("--{n}"))
            .chain(std::iter::once("--help".to_string()))
            .collect();
    }
    list.iter().map(|c| c.name.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    const V34: EtcdVersion = EtcdVersion::V3_4_23;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(|w| w.to_string()).collect()
    }

    #[test]
    fn completes_commands_and_subcommands() {
        assert_eq!(candidates(&[], "pu", "", V34), vec!["put"]);
        assert_eq!(
            candidates(&words("member"), "", "", V34),
            vec!["add", "list", "promote", "remove", "update"]
        );
        assert_eq!(
            candidates(&words("lease"), "t", "", V34),
            vec!["timetolive"]
        );
        assert!(candidates(&[], "", "", V34).contains(&"endpoint".to_string()));
    }

    #[test]
    fn completes_flags_of_the_command_and_global_ones() {
        let c = candidates(&words("get foo"), "--pre", "", V34);
        assert_eq!(c, vec!["--prefix"]);
        let c = candidates(&words("get"), "--end", "", V34);
        assert_eq!(c, vec!["--endpoints"]);
        let c = candidates(&words("put"), "--", "", V34);
        assert!(c.contains(&"--lease".to_string()) && c.contains(&"--prev-kv".to_string()));
        assert!(!c.contains(&"--prefix".to_string()));
    }

    #[test]
    fn completes_write_out_values() {
        assert_eq!(candidates(&words("get foo -w"), "j", "", V34), vec!["json"]);
        assert_eq!(
            candidates(&words("--write-out"), "t", "", V34),
            vec!["table"]
        );
        assert_eq!(
            candidates(&words("get"), "--write-out=f", "", V34),
            vec!["--write-out=fields"]
        );
        // a value already given: back to commands
        assert_eq!(candidates(&words("-w json"), "ge", "", V34), vec!["get"]);
    }

    #[test]
    fn completes_the_v2_command_set() {
        assert_eq!(candidates(&[], "se", "2", V34), vec!["set", "setdir"]);
        assert_eq!(candidates(&words("member"), "l", "2", V34), vec!["list"]);
        assert!(candidates(&words("set"), "--t", "2", V34).contains(&"--ttl".to_string()));
        assert_eq!(candidates(&words("-o"), "j", "2", V34), vec!["json"]);
    }

    #[test]
    fn the_lab_release_decides_the_commands_and_flags() {
        let v35 = EtcdVersion::V3_5_1;
        assert_eq!(candidates(&words("auth"), "s", "", v35), vec!["status"]);
        assert!(candidates(&words("auth"), "s", "", V34).is_empty());
        assert_eq!(
            candidates(&words("get a"), "--cou", "", v35),
            vec!["--count-only"]
        );
        assert!(candidates(&[], "mig", "", v35).is_empty());
    }

    #[test]
    fn nothing_to_offer_is_empty() {
        assert!(candidates(&words("get"), "zz", "", V34).is_empty());
        assert!(candidates(&words("put --lease"), "", "", V34).is_empty());
    }
}
