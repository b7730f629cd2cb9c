//! The command-line machinery of etcdctl's API 2 half, which is a urfave/cli v1.20 app (not
//! cobra): Go `flag` package parsing (single or double dash, `-flag=value`, bool flags take no
//! separate value, parsing stops at the first non-flag), urfave's reordering of a command's
//! arguments (everything from the first flag on is parsed as flags, the words before it become
//! arguments), and the help templates rendered through Go's `tabwriter` rules.
//!
//! This file knows the shapes of commands and flags only; what a command does lives in the
//! command files.

use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Bool,
    Str,
    Int,
    Duration,
    StrSlice,
}

/// One flag: its names (the first is canonical), its kind and its help line (the part before
/// the tab and the part after it, as urfave renders them).
#[derive(Debug)]
pub struct FlagDef {
    pub names: &'static [&'static str],
    pub kind: Kind,
    pub help: (&'static str, &'static str),
}

/// One command of the app, possibly with subcommands (member, user, role, auth).
#[derive(Debug)]
pub struct CommandDef {
    pub name: &'static str,
    pub usage: &'static str,
    pub args_usage: &'static str,
    pub description: &'static str,
    pub flags: &'static [FlagDef],
    pub subcommands: &'static [CommandDef],
}

const fn flag(
    names: &'static [&'static str],
    kind: Kind,
    left: &'static str,
    right: &'static str,
) -> FlagDef {
    FlagDef {
        names,
        kind,
        help: (left, right),
    }
}

const fn cmd(
    name: &'static str,
    usage: &'static str,
    args_usage: &'static str,
    flags: &'static [FlagDef],
) -> CommandDef {
    CommandDef {
        name,
        usage,
        args_usage,
        description: "",
        flags,
        subcommands: &[],
    }
}

pub static GLOBAL_FLAGS: &[FlagDef] = &[
    flag(&["debug"], Kind::Bool, "--debug", "output cURL commands which can be used to reproduce the request"),
    flag(&["no-sync"], Kind::Bool, "--no-sync", "don't synchronize cluster information before sending request"),
    flag(
        &["output", "o"],
        Kind::Str,
        "--output simple, -o simple",
        "output response in the given format (simple, `extended` or `json`) (default: \"simple\")",
    ),
    flag(&["discovery-srv", "D"], Kind::Str, "--discovery-srv value, -D value", "domain name to query for SRV records describing cluster endpoints"),
    flag(&["insecure-discovery"], Kind::Bool, "--insecure-discovery", "accept insecure SRV records describing cluster endpoints"),
    flag(&["peers", "C"], Kind::Str, "--peers value, -C value", "DEPRECATED - \"--endpoints\" should be used instead"),
    flag(&["endpoint"], Kind::Str, "--endpoint value", "DEPRECATED - \"--endpoints\" should be used instead"),
    flag(
        &["endpoints"],
        Kind::Str,
        "--endpoints value",
        "a comma-delimited list of machine addresses in the cluster (default: \"http://127.0.0.1:2379,http://127.0.0.1:4001\")",
    ),
    flag(&["cert-file"], Kind::Str, "--cert-file value", "identify HTTPS client using this SSL certificate file"),
    flag(&["key-file"], Kind::Str, "--key-file value", "identify HTTPS client using this SSL key file"),
    flag(&["ca-file"], Kind::Str, "--ca-file value", "verify certificates of HTTPS-enabled servers using this CA bundle"),
    flag(&["username", "u"], Kind::Str, "--username value, -u value", "provide username[:password] and prompt if password is not supplied."),
    flag(&["timeout"], Kind::Duration, "--timeout value", "connection timeout per request (default: 2s)"),
    flag(&["total-timeout"], Kind::Duration, "--total-timeout value", "timeout for the command execution (except watch) (default: 5s)"),
    flag(&["help", "h"], Kind::Bool, "--help, -h", "show help"),
    flag(&["version", "v"], Kind::Bool, "--version, -v", "print the version"),
];

/// urfave's help flag, appended to every command's flags when parsing.
pub static HELP_FLAG: FlagDef = flag(&["help", "h"], Kind::Bool, "--help, -h", "show help");

const TTL: FlagDef = flag(
    &["ttl"],
    Kind::Int,
    "--ttl value",
    "key time-to-live in seconds (default: 0)",
);

pub static COMMANDS: &[CommandDef] = &[
    CommandDef {
        name: "backup",
        usage: "backup an etcd directory",
        args_usage: " ",
        description: "",
        flags: &[
            flag(&["data-dir"], Kind::Str, "--data-dir value", "Path to the etcd data dir"),
            flag(&["wal-dir"], Kind::Str, "--wal-dir value", "Path to the etcd wal dir"),
            flag(&["backup-dir"], Kind::Str, "--backup-dir value", "Path to the backup dir"),
            flag(&["backup-wal-dir"], Kind::Str, "--backup-wal-dir value", "Path to the backup wal dir"),
            flag(&["with-v3"], Kind::Bool, "--with-v3", "Backup v3 backend data"),
        ],
        subcommands: &[],
    },
    cmd(
        "cluster-health",
        "check the health of the etcd cluster",
        " ",
        &[flag(&["forever", "f"], Kind::Bool, "--forever, -f", "forever check the health every 10 second until CTRL+C")],
    ),
    cmd(
        "mk",
        "make a new key with a given value",
        "<key> <value>",
        &[flag(&["in-order"], Kind::Bool, "--in-order", "create in-order key under directory <key>"), TTL],
    ),
    cmd("mkdir", "make a new directory", "<key>", &[TTL]),
    cmd(
        "rm",
        "remove a key or a directory",
        "<key>",
        &[
            flag(&["dir"], Kind::Bool, "--dir", "removes the key if it is an empty directory or a key-value pair"),
            flag(&["recursive", "r"], Kind::Bool, "--recursive, -r", "removes the key and all child keys(if it is a directory)"),
            flag(&["with-value"], Kind::Str, "--with-value value", "previous value"),
            flag(&["with-index"], Kind::Int, "--with-index value", "previous index (default: 0)"),
        ],
    ),
    cmd("rmdir", "removes the key if it is an empty directory or a key-value pair", "<key>", &[]),
    cmd(
        "get",
        "retrieve the value of a key",
        "<key>",
        &[
            flag(&["sort"], Kind::Bool, "--sort", "returns result in sorted order"),
            flag(&["quorum", "q"], Kind::Bool, "--quorum, -q", "require quorum for get request"),
        ],
    ),
    cmd(
        "ls",
        "retrieve a directory",
        "[key]",
        &[
            flag(&["sort"], Kind::Bool, "--sort", "returns result in sorted order"),
            flag(&["recursive", "r"], Kind::Bool, "--recursive, -r", "returns all key names recursively for the given path"),
            flag(&["p"], Kind::Bool, "-p", "append slash (/) to directories"),
            flag(&["quorum", "q"], Kind::Bool, "--quorum, -q", "require quorum for get request"),
        ],
    ),
    CommandDef {
        name: "set",
        usage: "set the value of a key",
        args_usage: "<key> <value>",
        description: "Set sets the value of a key.\n\n   When <value> begins with '-', <value> is interpreted as a flag.\n   Insert '--' for workaround:\n\n   $ set -- <key> <value>",
        flags: &[
            TTL,
            flag(&["swap-with-value"], Kind::Str, "--swap-with-value value", "previous value"),
            flag(&["swap-with-index"], Kind::Int, "--swap-with-index value", "previous index (default: 0)"),
        ],
        subcommands: &[],
    },
    cmd("setdir", "create a new directory or update an existing directory TTL", "<key>", &[TTL]),
    cmd("update", "update an existing key with a given value", "<key> <value>", &[TTL]),
    cmd("updatedir", "update an existing directory", "<key> <value>", &[TTL]),
    cmd(
        "watch",
        "watch a key for changes",
        "<key>",
        &[
            flag(&["forever", "f"], Kind::Bool, "--forever, -f", "forever watch a key until CTRL+C"),
            flag(&["after-index"], Kind::Int, "--after-index value", "watch after the given index (default: 0)"),
            flag(&["recursive", "r"], Kind::Bool, "--recursive, -r", "returns all values for key and child keys"),
        ],
    ),
    cmd(
        "exec-watch",
        "watch a key for changes and exec an executable",
        "<key> <command> [args...]",
        &[
            flag(&["after-index"], Kind::Int, "--after-index value", "watch after the given index (default: 0)"),
            flag(&["recursive", "r"], Kind::Bool, "--recursive, -r", "watch all values for key and child keys"),
        ],
    ),
    CommandDef {
        name: "member",
        usage: "member add, remove and list subcommands",
        args_usage: "",
        description: "",
        flags: &[],
        subcommands: &[
            cmd("list", "enumerate existing cluster members", " ", &[]),
            cmd("add", "add a new member to the etcd cluster", "<name> <peerURL>", &[]),
            cmd("remove", "remove an existing member from the etcd cluster", "<memberID>", &[]),
            cmd("update", "update an existing member in the etcd cluster", "<memberID> <peerURLs>", &[]),
        ],
    },
    CommandDef {
        name: "user",
        usage: "user add, grant and revoke subcommands",
        args_usage: "",
        description: "",
        flags: &[],
        subcommands: &[
            cmd("add", "add a new user for the etcd cluster", "<user>", &[]),
            cmd("get", "get details for a user", "<user>", &[]),
            cmd("list", "list all current users", "<user>", &[]),
            cmd("remove", "remove a user for the etcd cluster", "<user>", &[]),
            cmd("grant", "grant roles to an etcd user", "<user>", &[ROLES]),
            cmd("revoke", "revoke roles for an etcd user", "<user>", &[ROLES]),
            cmd("passwd", "change password for a user", "<user>", &[]),
        ],
    },
    CommandDef {
        name: "role",
        usage: "role add, grant and revoke subcommands",
        args_usage: "",
        description: "",
        flags: &[],
        subcommands: &[
            cmd("add", "add a new role for the etcd cluster", "<role> ", &[]),
            cmd("get", "get details for a role", "<role>", &[]),
            cmd("list", "list all roles", " ", &[]),
            cmd("remove", "remove a role from the etcd cluster", "<role>", &[]),
            cmd(
                "grant",
                "grant path matches to an etcd role",
                "<role>",
                &[
                    flag(&["path"], Kind::Str, "--path value", "Path granted for the role to access"),
                    flag(&["read"], Kind::Bool, "--read", "Grant read-only access"),
                    flag(&["write"], Kind::Bool, "--write", "Grant write-only access"),
                    flag(&["readwrite", "rw"], Kind::Bool, "--readwrite, --rw", "Grant read-write access"),
                ],
            ),
            cmd(
                "revoke",
                "revoke path matches for an etcd role",
                "<role>",
                &[
                    flag(&["path"], Kind::Str, "--path value", "Path revoked for the role to access"),
                    flag(&["read"], Kind::Bool, "--read", "Revoke read access"),
                    flag(&["write"], Kind::Bool, "--write", "Revoke write access"),
                    flag(&["readwrite", "rw"], Kind::Bool, "--readwrite, --rw", "Revoke read-write access"),
                ],
            ),
        ],
    },
    CommandDef {
        name: "auth",
        usage: "overall auth controls",
        args_usage: "",
        description: "",
        flags: &[],
        subcommands: &[
            cmd("enable", "enable auth access controls", " ", &[]),
            cmd("disable", "disable auth access controls", " ", &[]),
        ],
    },
];

const ROLES: FlagDef = flag(
    &["roles"],
    Kind::StrSlice,
    "--roles value",
    "List of roles to grant or revoke",
);

pub fn find_command<'a>(list: &'a [CommandDef], name: &str) -> Option<&'a CommandDef> {
    list.iter().find(|c| c.name == name)
}

/// Parsed flag values (by canonical name) and the remaining arguments.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    values: BTreeMap<&'static str, Vec<String>>,
    pub args: Vec<String>,
}

impl Parsed {
    pub fn bool(&self, name: &str) -> bool {
        self.values
            .get(name)
            .and_then(|v| v.last())
            .map(|s| s == "true")
            .unwrap_or(false)
    }

    pub fn string(&self, name: &str) -> Option<&str> {
        self.values
            .get(name)
            .and_then(|v| v.last())
            .map(String::as_str)
    }

    pub fn int(&self, name: &str) -> i64 {
        self.string(name).and_then(parse_go_int).unwrap_or(0)
    }

    pub fn duration(&self, name: &str) -> Option<std::time::Duration> {
        self.string(name).and_then(parse_go_duration)
    }

    pub fn slice(&self, name: &str) -> Vec<String> {
        self.values.get(name).cloned().unwrap_or_default()
    }

    pub fn is_set(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }
}

/// Go's `strconv.ParseBool`.
fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Go's `strconv.ParseInt(s, 0, 64)`: sign, then `0x`, `0o`, `0b` or leading-`0` octal.
pub fn parse_go_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (radix, digits) =
        if let Some(r) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            (16, r)
        } else if let Some(r) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
            (8, r)
        } else if let Some(r) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
            (2, r)
        } else if body.len() > 1 && body.starts_with('0') {
            (8, &body[1..])
        } else {
            (10, body)
        };
    let digits: String = digits.chars().filter(|c| *c != '_').collect();
    if digits.is_empty() || digits.starts_with('+') || digits.starts_with('-') {
        return None;
    }
    let v = i128::from_str_radix(&digits, radix).ok()?;
    let v = if neg { -v } else { v };
    i64::try_from(v).ok()
}

/// Go's `time.ParseDuration`.
pub fn parse_go_duration(s: &str) -> Option<std::time::Duration> {
    let (neg, mut rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if rest == "0" {
        return Some(std::time::Duration::ZERO);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if num_len == 0 {
            return None;
        }
        let num: f64 = rest.get(..num_len)?.parse().ok()?;
        rest = rest.get(num_len..)?;
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = rest.get(..unit_len)?;
        rest = rest.get(unit_len..)?;
        let mult = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        total += num * mult;
    }
    if neg || !total.is_finite() || total > 9.2e18 {
        return if neg {
            Some(std::time::Duration::ZERO)
        } else {
            None
        };
    }
    Some(std::time::Duration::from_nanos(total as u64))
}

fn lookup<'a>(flags: &[&'a FlagDef], name: &str) -> Option<&'a FlagDef> {
    flags.iter().copied().find(|f| f.names.contains(&name))
}

/// Go `flag.FlagSet.Parse` over `args`: returns the values and the arguments left after the
/// flags, or the error text Go's flag package gives.
pub fn parse_flags(flags: &[&FlagDef], args: &[String]) -> Result<Parsed, String> {
    let mut p = Parsed::default();
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        if arg.len() < 2 || !arg.starts_with('-') {
            break;
        }
        let minuses = if arg.starts_with("--") { 2 } else { 1 };
        if arg == "--" {
            i += 1;
            break;
        }
        let name_full = arg.get(minuses..).unwrap_or("");
        if name_full.is_empty() || name_full.starts_with('-') || name_full.starts_with('=') {
            return Err(format!("bad flag syntax: {}", arg));
        }
        i += 1;
        let (name, value) = match name_full.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (name_full, None),
        };
        let f = match lookup(flags, name) {
            Some(f) => f,
            None => return Err(format!("flag provided but not defined: -{}", name)),
        };
        let key = f.names.first().copied().unwrap_or("");
        let v = match (f.kind, value) {
            (Kind::Bool, Some(v)) => match parse_go_bool(&v) {
                Some(b) => b.to_string(),
                None => {
                    return Err(format!(
                        "invalid boolean value {:?} for -{}: parse error",
                        v, name
                    ))
                }
            },
            (Kind::Bool, None) => "true".to_string(),
            (_, Some(v)) => v,
            (_, None) => match args.get(i) {
                Some(v) => {
                    i += 1;
                    v.clone()
                }
                None => return Err(format!("flag needs an argument: -{}", name)),
            },
        };
        match f.kind {
            Kind::Int if parse_go_int(&v).is_none() => {
                let why = if v
                    .trim_start_matches(['-', '+'])
                    .chars()
                    .all(|c| c.is_ascii_digit())
                    && !v.is_empty()
                {
                    "value out of range"
                } else {
                    "parse error"
                };
                return Err(format!("invalid value {:?} for flag -{}: {}", v, name, why));
            }
            Kind::Duration if parse_go_duration(&v).is_none() => {
                return Err(format!(
                    "invalid value {:?} for flag -{}: parse error",
                    v, name
                ));
            }
            _ => {}
        }
        let slot = p.values.entry(key).or_default();
        if f.kind == Kind::StrSlice {
            slot.push(v);
        } else {
            *slot = vec![v];
        }
    }
    p.args = args.get(i..).unwrap_or(&[]).to_vec();
    Ok(p)
}

/// Whether `arg` names one of the command's flags (urfave's `argIsFlag`).
fn arg_is_flag(flags: &[&FlagDef], arg: &str) -> bool {
    if arg == "-" || arg == "--" || !arg.starts_with('-') {
        return false;
    }
    let name = arg
        .strip_prefix("--")
        .or_else(|| arg.strip_prefix('-'))
        .unwrap_or(arg);
    let name = name.split('=').next().unwrap_or("");
    flags.iter().any(|f| f.names.contains(&name))
}

/// urfave's argument reordering for a command (`reorderArgs`, urfave/cli 1.22 as etcdctl
/// 3.4.23 is built): known flags move to the front, each taking the next word with it when
/// that word is not itself a flag; a `--` and everything after it stay last.
pub fn reorder(flags: &[&FlagDef], args: &[String]) -> Vec<String> {
    let mut remaining: Vec<String> = Vec::new();
    let mut reordered: Vec<String> = Vec::new();
    let mut next_may_be_value = false;
    for (i, arg) in args.iter().enumerate() {
        if next_may_be_value && !arg_is_flag(flags, arg) {
            next_may_be_value = false;
            reordered.push(arg.clone());
        } else if arg == "--" {
            remaining.insert(0, "--".to_string());
            remaining.extend(args.get(i + 1..).unwrap_or(&[]).iter().cloned());
            break;
        } else if arg_is_flag(flags, arg) {
            reordered.push(arg.clone());
            next_may_be_value = !arg.contains('=');
        } else {
            remaining.push(arg.clone());
        }
    }
    reordered.extend(remaining);
    reordered
}

// ---- help ---------------------------------------------------------------------------------

/// Go's `text/tabwriter` with minwidth 1, tabwidth 8, padding 2, space padding, as urfave
/// uses it: consecutive lines that have a cell in a column are aligned.
pub fn tabwrite(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines.get(i).copied().unwrap_or("");
        if !line.contains('\t') {
            out.push_str(line);
            if i + 1 < lines.len() {
                out.push('\n');
            }
            i += 1;
            continue;
        }
        let mut j = i;
        let mut width = 0;
        while let Some(l) = lines.get(j) {
            match l.split_once('\t') {
                Some((cell, _)) => width = width.max(cell.chars().count()),
                None => break,
            }
            j += 1;
        }
        for l in lines.get(i..j).unwrap_or(&[]) {
            if let Some((cell, rest)) = l.split_once('\t') {
                out.push_str(cell);
                for _ in cell.chars().count()..width + 2 {
                    out.push(' ');
                }
                out.push_str(rest);
            }
            out.push('\n');
        }
        i = j;
    }
    out
}

/// `AppHelpTemplate`.
pub fn app_help(version: crate::api::EtcdVersion) -> String {
    let mut s = format!(
        "NAME:\n   etcdctl - A simple command line client for etcd.\n\nUSAGE:\n   etcdctl [global options] command [command options] [arguments...]\n\nVERSION:\n   {}\n\nCOMMANDS:",
        version.full()
    );
    for c in COMMANDS {
        s.push_str(&format!("\n   {}\t{}", c.name, c.usage));
    }
    s.push_str("\n   help, h\tShows a list of commands or help for one command\n\nGLOBAL OPTIONS:");
    for f in GLOBAL_FLAGS {
        s.push_str(&format!("\n   {}\t{}", f.help.0, f.help.1));
    }
    s.push('\n');
    tabwrite(&s)
}

/// `CommandHelpTemplate` for `etcdctl [parent] name`.
pub fn command_help(parent: Option<&str>, c: &CommandDef) -> String {
    let help_name = match parent {
        Some(p) => format!("etcdctl {} {}", p, c.name),
        None => format!("etcdctl {}", c.name),
    };
    let mut s = format!(
        "NAME:\n   {} - {}\n\nUSAGE:\n   {}",
        help_name, c.usage, help_name
    );
    if !c.flags.is_empty() {
        s.push_str(" [command options]");
    }
    s.push(' ');
    s.push_str(if c.args_usage.is_empty() {
        "[arguments...]"
    } else {
        c.args_usage
    });
    if !c.description.is_empty() {
        s.push_str("\n\nDESCRIPTION:\n   ");
        s.push_str(c.description);
    }
    if !c.flags.is_empty() {
        s.push_str("\n\nOPTIONS:\n   ");
        for f in c.flags {
            s.push_str(&format!("{}\t{}\n   ", f.help.0, f.help.1));
        }
    }
    s.push('\n');
    tabwrite(&s)
}

/// `SubcommandHelpTemplate` for a command with subcommands (`etcdctl member`).
pub fn subcommand_help(c: &CommandDef) -> String {
    let mut s = format!(
        "NAME:\n   etcdctl {} - {}\n\nUSAGE:\n   etcdctl {} command [command options] [arguments...]\n\nCOMMANDS:",
        c.name, c.usage, c.name
    );
    for sc in c.subcommands {
        s.push_str(&format!("\n   {}\t{}", sc.name, sc.usage));
    }
    s.push_str("\n\nOPTIONS:\n   --help, -h\tshow help\n   \n");
    tabwrite(&s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let p = format!(
            "{}/tests/scenarios/v2/help/{}",
            env!("CARGO_MANIFEST_DIR"),
            name
        );
        std::fs::read_to_string(p).unwrap()
    }

    #[test]
    fn help_texts_match_etcdctl() {
        assert_eq!(app_help(Default::default()), fixture("app.txt"));
        for c in COMMANDS {
            assert_eq!(
                command_help(None, c),
                fixture(&format!("{}.txt", c.name)),
                "{}",
                c.name
            );
        }
        let member = find_command(COMMANDS, "member").unwrap();
        assert_eq!(subcommand_help(member), fixture("member-h.txt"));
        assert_eq!(
            subcommand_help(find_command(COMMANDS, "user").unwrap()),
            fixture("user-none.txt")
        );
        let list = find_command(member.subcommands, "list").unwrap();
        assert_eq!(
            command_help(Some("member"), list),
            fixture("member-list-h.txt")
        );
        let user = find_command(COMMANDS, "user").unwrap();
        let grant = find_command(user.subcommands, "grant").unwrap();
        assert_eq!(
            command_help(Some("user"), grant),
            fixture("user-grant-h.txt")
        );
    }

    #[test]
    fn flags_parse_like_go() {
        let c = find_command(COMMANDS, "watch").unwrap();
        let mut fl: Vec<&FlagDef> = c.flags.iter().collect();
        fl.push(&HELP_FLAG);
        let args: Vec<String> = ["--forever", "/k", "--after-index", "1"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let p = parse_flags(&fl, &reorder(&fl, &args)).unwrap();
        assert!(p.bool("forever"));
        assert_eq!(p.int("after-index"), 0);
        assert_eq!(p.args, vec!["/k", "--after-index", "1"]);
        let args: Vec<String> = ["/k", "--after-index", "1"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let p = parse_flags(&fl, &reorder(&fl, &args)).unwrap();
        assert_eq!(p.int("after-index"), 1);
        assert_eq!(p.args, vec!["/k"]);
        let s = find_command(COMMANDS, "set").unwrap();
        let fl: Vec<&FlagDef> = s.flags.iter().collect();
        let args: Vec<String> = ["--ttl", "abc", "/k", "v"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            parse_flags(&fl, &reorder(&fl, &args)).unwrap_err(),
            "invalid value \"abc\" for flag -ttl: parse error"
        );
        let args: Vec<String> = ["--bogus", "/k"].iter().map(|s| s.to_string()).collect();
        assert_eq!(
            parse_flags(&fl, &reorder(&fl, &args)).unwrap_err(),
            "flag provided but not defined: -bogus"
        );
        let args: Vec<String> = ["--", "/k", "-v"].iter().map(|s| s.to_string()).collect();
        assert_eq!(
            parse_flags(&fl, &reorder(&fl, &args)).unwrap().args,
            vec!["/k", "-v"]
        );
        let args: Vec<String> = ["/k", "--bogus", "v"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            parse_flags(&fl, &reorder(&fl, &args)).unwrap().args,
            vec!["/k", "--bogus", "v"]
        );
        let e = find_command(COMMANDS, "exec-watch").unwrap();
        let fl: Vec<&FlagDef> = e.flags.iter().collect();
        let args: Vec<String> = ["--after-index", "7", "/w/a", "--", "echo", "hello"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            parse_flags(&fl, &reorder(&fl, &args)).unwrap().args,
            vec!["/w/a", "echo", "hello"]
        );
        assert_eq!(
            parse_go_duration("1m30s"),
            Some(std::time::Duration::from_secs(90))
        );
        assert_eq!(parse_go_int("0x10"), Some(16));
    }
}
