//! `etcdutl`, etcd 3.5's offline tool: `version`, `snapshot status|restore` (and the
//! deprecated `snapshot save`), `defrag --data-dir`, `backup`. It talks to no cluster: it
//! reads and writes files (the playground's working directory, or a node's filesystem). Its
//! command line is cobra's with pflag's flags, its messages cobra's defaults (`Error: …`,
//! then the usage, then the error again).
//!
//! Under etcd 3.4 there is no etcdutl (the console says so); this module is only reached
//! in a 3.5 lab.
//!
//! Owns: etcdutl's command tree, flags, help texts and exit codes. Must not touch: the
//! restore itself (shared with etcdctl: `etcdctl::command::snapshot_restore`).

mod backup;
mod data_dir;

use std::collections::BTreeMap;

use crate::cluster::Cluster;
use crate::etcdctl::files::Files;
use crate::etcdctl::{Io, EXIT_BAD_ARGS, EXIT_ERROR};

/// (command path, help text as `etcdutl PATH --help` prints it); the root is "".
static HELP: &[(&str, &str)] = &[
    ("", include_str!("help/etcdutl.txt")),
    ("backup", include_str!("help/backup.txt")),
    ("defrag", include_str!("help/defrag.txt")),
    ("help", include_str!("help/help.txt")),
    ("snapshot", include_str!("help/snapshot.txt")),
    (
        "snapshot restore",
        include_str!("help/snapshot_restore.txt"),
    ),
    ("snapshot save", include_str!("help/snapshot_save.txt")),
    ("snapshot status", include_str!("help/snapshot_status.txt")),
    ("version", include_str!("help/version.txt")),
];

fn help(path: &str) -> &'static str {
    HELP.iter()
        .find(|(p, _)| *p == path)
        .map_or("", |(_, t)| *t)
}

/// A flag a help text lists: its name, shorthand and whether it takes a value.
#[derive(Clone, Debug, PartialEq, Eq)]
struct FlagDef {
    name: String,
    short: Option<char>,
    value: bool,
}

/// The flags of `path` (its own and the global `-w`), read from its help text.
fn flag_defs(path: &str) -> Vec<FlagDef> {
    let mut defs = Vec::new();
    for line in help(path).lines().chain(help("").lines()) {
        let t = line.trim_start();
        let (short, rest) = match t.strip_prefix('-') {
            Some(r) if !r.starts_with('-') => {
                let mut cs = r.chars();
                let c = cs.next();
                (c, cs.as_str().trim_start_matches(", "))
            }
            _ => (None, t),
        };
        let Some(rest) = rest.strip_prefix("--") else {
            continue;
        };
        let mut words = rest.split_whitespace();
        let Some(name) = words.next() else { continue };
        if defs.iter().any(|d: &FlagDef| d.name == name) {
            continue;
        }
        defs.push(FlagDef {
            name: name.to_string(),
            short,
            value: words.next() == Some("string"),
        });
    }
    defs
}

/// A parsed command line: its arguments and the flags given.
struct Parsed {
    args: Vec<String>,
    flags: BTreeMap<String, String>,
}

impl Parsed {
    fn str(&self, name: &str) -> String {
        self.flags.get(name).cloned().unwrap_or_default()
    }
    fn bool(&self, name: &str) -> bool {
        matches!(self.flags.get(name).map(String::as_str), Some("true"))
    }
}

/// The command the words name (cobra's `Find`): the longest path of known commands made of
/// the first words that are not flags. Err: an unknown command's name.
fn find(words: &[String]) -> Result<String, String> {
    let every = flag_defs("snapshot restore")
        .into_iter()
        .chain(flag_defs("backup"))
        .collect::<Vec<_>>();
    let mut path = String::new();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        if w == "--" {
            break;
        }
        if let Some(f) = w.strip_prefix("--") {
            if !f.contains('=') && every.iter().any(|d| d.name == f && d.value) {
                i += 1;
            }
        } else if w.len() == 2 && w.starts_with('-') {
            if every.iter().any(|d| d.value && d.short == w.chars().nth(1)) {
                i += 1;
            }
        } else if !w.starts_with('-') {
            let next = if path.is_empty() {
                w.clone()
            } else {
                format!("{path} {w}")
            };
            if HELP.iter().any(|(p, _)| *p == next) {
                path = next;
            } else if path.is_empty() {
                return Err(w.clone());
            } else {
                break;
            }
        }
        i += 1;
    }
    Ok(path)
}

/// pflag's parse of `words` for `path` (the command's own words skipped).
fn parse(path: &str, words: &[String]) -> Result<Parsed, String> {
    let defs = flag_defs(path);
    let mut own: Vec<&str> = path.split(' ').filter(|s| !s.is_empty()).collect();
    own.reverse();
    let mut p = Parsed {
        args: Vec::new(),
        flags: BTreeMap::new(),
    };
    let mut i = 0;
    while i < words.len() {
        let w = words[i].clone();
        i += 1;
        if w == "--" {
            p.args.extend(words[i..].iter().cloned());
            break;
        }
        let (def, inline) = if let Some(long) = w.strip_prefix("--") {
            let (name, v) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            match defs.iter().find(|d| d.name == name) {
                Some(d) => (d, v),
                None => return Err(format!("unknown flag: --{name}")),
            }
        } else if w.starts_with('-') && w.len() > 1 {
            let c = w.chars().nth(1).unwrap_or('-');
            let rest = &w[1 + c.len_utf8()..];
            let v = (!rest.is_empty()).then(|| rest.trim_start_matches('=').to_string());
            match defs.iter().find(|d| d.short == Some(c)) {
                Some(d) => (d, v),
                None => return Err(format!("unknown shorthand flag: '{c}' in {w}")),
            }
        } else {
            if own.last() == Some(&w.as_str()) {
                own.pop();
            } else {
                p.args.push(w);
            }
            continue;
        };
        let value = match (inline, def.value) {
            (Some(v), _) => v,
            (None, false) => "true".to_string(),
            (None, true) => match words.get(i) {
                Some(v) => {
                    i += 1;
                    v.clone()
                }
                None => return Err(format!("flag needs an argument: --{}", def.name)),
            },
        };
        p.flags.insert(def.name.clone(), value);
    }
    Ok(p)
}

/// cobra's failure of a command line: the error, the command's usage, the error again.
fn usage_error(io: &mut Io, path: &str, msg: &str) -> i32 {
    io.errln(&format!("Error: {msg}"));
    io.err(help(path));
    io.errln("");
    io.errln(&format!("Error: {msg}"));
    EXIT_ERROR
}

/// The flags a command requires (`MarkFlagRequired`).
fn required(path: &str) -> &'static [&'static str] {
    match path {
        "snapshot restore" | "defrag" => &["data-dir"],
        "backup" => &["backup-dir", "data-dir"],
        _ => &[],
    }
}

/// Runs `etcdutl ARGS` over `files`; the exit status.
pub fn run(cluster: &mut dyn Cluster, files: &mut dyn Files, args: &[String], io: &mut Io) -> i32 {
    let path = match find(args) {
        Ok(p) => p,
        Err(name) => {
            let msg = format!("unknown command \"{name}\" for \"etcdutl\"");
            io.errln(&format!("Error: {msg}"));
            io.errln("Run 'etcdutl --help' for usage.");
            io.errln(&format!("Error: {msg}"));
            return EXIT_ERROR;
        }
    };
    let p = match parse(&path, args) {
        Ok(p) => p,
        Err(e) => return usage_error(io, &path, &e),
    };
    if path == "snapshot save" {
        io.errln(
            "Command \"save\" is deprecated, Use `etcdctl snapshot save` to download snapshot",
        );
    }
    if p.bool("help") {
        io.out(help(&path));
        return 0;
    }
    if path == "help" {
        let topic = find(&p.args).unwrap_or_default();
        io.out(help(&topic));
        return 0;
    }
    if path.is_empty() || path == "snapshot" {
        io.out(help(&path));
        return 0;
    }
    let missing: Vec<String> = required(&path)
        .iter()
        .filter(|f| !p.flags.contains_key(**f))
        .map(|f| format!("\"{f}\""))
        .collect();
    if !missing.is_empty() {
        let msg = format!("required flag(s) {} not set", missing.join(", "));
        return usage_error(io, &path, &msg);
    }
    let r = match path.as_str() {
        "version" => {
            io.outln("etcdutl version: 3.5.1");
            io.outln("API version: 3.5");
            Ok(())
        }
        "snapshot save" => Err((
            EXIT_BAD_ARGS,
            "In order to download snapshot use: `etcdctl snapshot save ...`".to_string(),
        )),
        "snapshot status" => data_dir::status(files, &p, io),
        "snapshot restore" => data_dir::restore(cluster, files, &p, io),
        "defrag" => data_dir::defrag(cluster, files, &p, io),
        "backup" => backup::backup(cluster, files, &p, io),
        _ => Ok(()),
    };
    match r {
        Ok(()) => 0,
        Err((code, msg)) => {
            if !msg.is_empty() {
                io.errln(&format!("Error: {msg}"));
            }
            code
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn finds_commands_and_flags() {
        assert_eq!(
            find(&w("snapshot status a.db -w json")).unwrap(),
            "snapshot status"
        );
        assert_eq!(
            find(&w("-w json snapshot restore a.db")).unwrap(),
            "snapshot restore"
        );
        assert_eq!(find(&w("bogus")).unwrap_err(), "bogus");
        let p = parse(
            "snapshot restore",
            &w("snapshot restore a.db --data-dir=d --skip-hash-check"),
        )
        .unwrap();
        assert_eq!(p.args, vec!["a.db"]);
        assert_eq!(p.str("data-dir"), "d");
        assert!(p.bool("skip-hash-check"));
        let p = parse("snapshot status", &w("snapshot status a.db -wjson")).unwrap();
        assert_eq!(p.str("write-out"), "json");
        assert!(parse("snapshot status", &w("snapshot status --hex")).is_err());
        let defs = flag_defs("backup");
        assert!(defs.iter().any(|d| d.name == "with-v3" && !d.value));
        assert!(defs
            .iter()
            .any(|d| d.name == "write-out" && d.value && d.short == Some('w')));
    }
}
