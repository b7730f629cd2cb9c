//! Command-line parsing as etcdctl's cobra and pflag do it: finding the command in the
//! tree (`stripFlags`, `argsMinusFirstX`), interspersed flags (`--flag=value`,
//! `--flag value`, `-w json`, `-wjson`, shorthand clusters, `--`), typed values with Go's
//! error texts, and "Did you mean this?" suggestions.
//!
//! Flag definitions come from the help texts ([`super::help`]). Owns: parsing only.

use std::collections::{BTreeMap, BTreeSet};

use super::help::help_table;
use crate::api::EtcdVersion;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagKind {
    Bool,
    Str,
    StrSlice,
    Int,
    Duration,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagDef {
    pub name: String,
    pub short: Option<char>,
    pub kind: FlagKind,
    pub default: String,
    /// Defined by the root (a global flag, read from `ETCDCTL_*` too).
    pub global: bool,
}

/// Reads the flag lines of one help text.
pub fn flag_defs(help: &str) -> Vec<FlagDef> {
    let mut defs = Vec::new();
    let mut global = false;
    for line in help.lines() {
        if line.starts_with("GLOBAL OPTIONS:") {
            global = true;
            continue;
        }
        let Some(rest) = line.strip_prefix("  ") else {
            continue;
        };
        let (short, rest) = if let Some(r) = rest.strip_prefix('-').filter(|r| !r.starts_with('-'))
        {
            let mut cs = r.chars();
            let c = cs.next();
            (c, cs.as_str().strip_prefix(", ").unwrap_or(""))
        } else {
            (None, rest.trim_start())
        };
        let Some(rest) = rest.strip_prefix("--") else {
            continue;
        };
        let spec = rest.split('\t').next().unwrap_or("");
        let (name, kind, default) = if let Some(i) = spec.find("[=") {
            let d = spec[i + 2..].trim_end_matches(']');
            (&spec[..i], FlagKind::Bool, d.to_string())
        } else if let Some(i) = spec.find('=') {
            let d = &spec[i + 1..];
            if d.starts_with('"') {
                (&spec[..i], FlagKind::Str, d.trim_matches('"').to_string())
            } else if d.starts_with('[') {
                (
                    &spec[..i],
                    FlagKind::StrSlice,
                    d.trim_start_matches('[').trim_end_matches(']').to_string(),
                )
            } else if d.ends_with('s') || d.ends_with('m') || d.ends_with('h') {
                (&spec[..i], FlagKind::Duration, d.to_string())
            } else {
                (&spec[..i], FlagKind::Int, d.to_string())
            }
        } else {
            continue;
        };
        defs.push(FlagDef {
            name: name.to_string(),
            short,
            kind,
            default,
            global,
        });
    }
    // global options are listed under OPTIONS in the root's own help
    defs
}

/// The help text of a command path ("" is the root).
pub fn help_text(path: &str, v: EtcdVersion) -> Option<&'static str> {
    help_table(v)
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, t)| *t)
}

/// The direct children of a command path, sorted by name.
pub fn children(path: &str, version: EtcdVersion) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = help_table(version)
        .iter()
        .filter_map(|(p, _)| {
            if p.is_empty() {
                return None;
            }
            if path.is_empty() {
                (!p.contains(' ')).then_some(*p)
            } else {
                p.strip_prefix(path)
                    .and_then(|r| r.strip_prefix(' '))
                    .filter(|r| !r.contains(' '))
            }
        })
        .map(|full| full.rsplit(' ').next().unwrap_or(full))
        .collect();
    crate::sort::sort(&mut v);
    v
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{} {}", path, name)
    }
}

/// The flags a command accepts: its own and the inherited global ones.
pub fn command_flags(path: &str, v: EtcdVersion) -> Vec<FlagDef> {
    let help = help_text(path, v).unwrap_or("");
    let mut defs = flag_defs(help);
    if path.is_empty() {
        for d in &mut defs {
            d.global = d.name != "help";
        }
    }
    defs
}

fn takes_no_value(name: &str, defs: &[FlagDef]) -> bool {
    defs.iter()
        .any(|d| d.name == name && d.kind == FlagKind::Bool)
}

fn short_takes_no_value(c: &str, defs: &[FlagDef]) -> bool {
    let mut cs = c.chars();
    let Some(ch) = cs.next() else { return false };
    defs.iter()
        .any(|d| d.short == Some(ch) && d.kind == FlagKind::Bool)
}

/// cobra's `stripFlags`: the non-flag words (candidate command names).
pub fn strip_flags(args: &[String], defs: &[FlagDef]) -> Vec<String> {
    let mut commands = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let s = &args[i];
        i += 1;
        if s == "--" {
            break;
        }
        let long_with_value =
            s.starts_with("--") && !s.contains('=') && !takes_no_value(&s[2..], defs);
        let short_with_value = s.starts_with('-')
            && !s.contains('=')
            && s.chars().count() == 2
            && !short_takes_no_value(&s[1..], defs);
        if long_with_value || short_with_value {
            if args.len() - i <= 1 {
                break;
            }
            i += 1;
            continue;
        }
        if !s.is_empty() && !s.starts_with('-') {
            commands.push(s.clone());
        }
    }
    commands
}

/// cobra's `argsMinusFirstX`.
pub fn args_minus_first(args: &[String], x: &str, defs: &[FlagDef]) -> Vec<String> {
    let mut pos = 0;
    while pos < args.len() {
        let s = &args[pos];
        if s == "--" {
            break;
        }
        if s.starts_with("--") && !s.contains('=') && !takes_no_value(&s[2..], defs) {
            pos += 2;
            continue;
        }
        if !s.starts_with("--")
            && s.starts_with('-')
            && !s.contains('=')
            && s.chars().count() == 2
            && !short_takes_no_value(&s[1..], defs)
        {
            pos += 2;
            continue;
        }
        if !s.starts_with('-') && s == x {
            let mut v = args[..pos].to_vec();
            v.extend_from_slice(&args[pos + 1..]);
            return v;
        }
        pos += 1;
    }
    args.to_vec()
}

/// The result of finding the command: its path and the args left for it.
#[derive(Debug)]
pub enum Found {
    Command {
        path: String,
        args: Vec<String>,
    },
    /// `unknown command "x" for "etcdctl"` with suggestions.
    Unknown {
        name: String,
        suggestions: Vec<String>,
    },
}

/// cobra's `Find` from the root.
pub fn find(args: &[String], v: EtcdVersion) -> Found {
    let mut path = String::new();
    let mut rest = args.to_vec();
    loop {
        let defs = command_flags(&path, v);
        let stripped = strip_flags(&rest, &defs);
        let Some(next) = stripped.first() else { break };
        let kids = children(&path, v);
        // etcdctl enables cobra's prefix matching: a unique prefix names the command
        let name = if kids.iter().any(|k| k == next) {
            next.clone()
        } else {
            let m: Vec<&&str> = kids
                .iter()
                .filter(|k| k.starts_with(next.as_str()))
                .collect();
            match m.as_slice() {
                [one] => one.to_string(),
                _ => break,
            }
        };
        rest = args_minus_first(&rest, next, &defs);
        path = join(&path, &name);
    }
    if path.is_empty() {
        let stripped = strip_flags(&rest, &command_flags("", v));
        if let Some(name) = stripped.first() {
            return Found::Unknown {
                name: name.clone(),
                suggestions: suggestions(name, v),
            };
        }
    }
    Found::Command { path, args: rest }
}

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The root's commands in the order etcdctl registers them (`rootCmd.AddCommand(...)` in
/// `ctlv3/ctl.go`, then cobra's own `help` and `completion`): cobra's `SuggestionsFor` walks
/// them in this order, not sorted.
const REGISTRATION_ORDER: [&str; 24] = [
    "get",
    "put",
    "del",
    "txn",
    "compaction",
    "alarm",
    "defrag",
    "endpoint",
    "move-leader",
    "watch",
    "version",
    "lease",
    "member",
    "snapshot",
    "make-mirror",
    "migrate",
    "lock",
    "elect",
    "auth",
    "user",
    "role",
    "check",
    "help",
    "completion",
];

/// cobra's `SuggestionsFor` over the root's available commands (not `help`).
pub fn suggestions(typed: &str, v: EtcdVersion) -> Vec<String> {
    let mut roots = children("", v);
    crate::sort::sort_by_key(&mut roots, |c| {
        REGISTRATION_ORDER
            .iter()
            .position(|r| r == c)
            .unwrap_or(REGISTRATION_ORDER.len())
    });
    roots
        .into_iter()
        .filter(|c| *c != "help")
        .filter(|c| {
            levenshtein(typed, c) <= 2 || c.to_lowercase().starts_with(&typed.to_lowercase())
        })
        .map(|c| c.to_string())
        .collect()
}

/// The unknown-command error text (with "Did you mean this?").
pub fn unknown_command_message(name: &str, suggestions: &[String]) -> String {
    let mut s = format!("unknown command {} for \"etcdctl\"", go_quote(name));
    if !suggestions.is_empty() {
        s.push_str("\n\nDid you mean this?\n");
        for c in suggestions {
            s.push('\t');
            s.push_str(c);
            s.push('\n');
        }
    }
    s
}

/// Go's `%q` for a string (the common cases).
pub fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Parsed flag values of one command.
#[derive(Clone, Debug, Default)]
pub struct Flags {
    pub defs: Vec<FlagDef>,
    values: BTreeMap<String, String>,
    slices: BTreeMap<String, Vec<String>>,
    changed: BTreeSet<String>,
    /// Positional arguments, in order.
    pub args: Vec<String>,
    /// How many positional arguments came before `--` (cobra's ArgsLenAtDash), if any.
    pub args_len_at_dash: Option<usize>,
    pub help: bool,
}

impl Flags {
    fn def(&self, name: &str) -> Option<&FlagDef> {
        self.defs.iter().find(|d| d.name == name)
    }
    pub fn changed(&self, name: &str) -> bool {
        self.changed.contains(name)
    }
    pub fn str(&self, name: &str) -> String {
        if let Some(v) = self.values.get(name) {
            return v.clone();
        }
        self.def(name)
            .map(|d| d.default.clone())
            .unwrap_or_default()
    }
    pub fn bool(&self, name: &str) -> bool {
        parse_bool(&self.str(name)).unwrap_or(false)
    }
    pub fn int(&self, name: &str) -> i64 {
        parse_int(&self.str(name)).unwrap_or(0)
    }
    pub fn duration(&self, name: &str) -> std::time::Duration {
        parse_duration(&self.str(name)).unwrap_or_default()
    }
    pub fn slice(&self, name: &str) -> Vec<String> {
        if let Some(v) = self.slices.get(name) {
            return v.clone();
        }
        let d = self.str(name);
        if d.is_empty() {
            Vec::new()
        } else {
            d.split(',').map(|s| s.to_string()).collect()
        }
    }
    /// Sets a value from the environment (no error if it does not parse: it is ignored).
    pub fn set_from_env(&mut self, name: &str, value: &str) -> Result<(), String> {
        let Some(def) = self.def(name).cloned() else {
            return Ok(());
        };
        self.set(&def, value)
    }

    fn set(&mut self, def: &FlagDef, value: &str) -> Result<(), String> {
        match def.kind {
            FlagKind::Bool => {
                parse_bool(value)?;
            }
            FlagKind::Int => {
                parse_int(value)?;
            }
            FlagKind::Duration => {
                parse_duration(value)?;
            }
            FlagKind::Str => {}
            FlagKind::StrSlice => {
                let parts: Vec<String> = if value.is_empty() {
                    Vec::new()
                } else {
                    value.split(',').map(|s| s.to_string()).collect()
                };
                if self.changed.contains(&def.name) {
                    self.slices
                        .entry(def.name.clone())
                        .or_default()
                        .extend(parts);
                } else {
                    self.slices.insert(def.name.clone(), parts);
                }
            }
        }
        self.values.insert(def.name.clone(), value.to_string());
        self.changed.insert(def.name.clone());
        Ok(())
    }
}

pub fn parse_bool(s: &str) -> Result<bool, String> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
        _ => Err(format!(
            "strconv.ParseBool: parsing {}: invalid syntax",
            go_quote(s)
        )),
    }
}

/// Go's `strconv.ParseInt(s, 0, 64)`.
pub fn parse_int(s: &str) -> Result<i64, String> {
    let err = |what: &str| format!("strconv.ParseInt: parsing {}: {}", go_quote(s), what);
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, digits) =
        if let Some(r) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            (16, r)
        } else if let Some(r) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
            (2, r)
        } else if let Some(r) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
            (8, r)
        } else if body.len() > 1 && body.starts_with('0') {
            (8, &body[1..])
        } else {
            (10, body)
        };
    let digits: String = digits.chars().filter(|&c| c != '_').collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(err("invalid syntax"));
    }
    let v = u128::from_str_radix(&digits, radix).map_err(|_| err("value out of range"))?;
    if neg {
        if v > 1u128 << 63 {
            return Err(err("value out of range"));
        }
        Ok((-(v as i128)) as i64)
    } else {
        if v > i64::MAX as u128 {
            return Err(err("value out of range"));
        }
        Ok(v as i64)
    }
}

/// Go's `time.ParseDuration`.
pub fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let err = || format!("time: invalid duration {}", go_quote(s));
    let body = s.strip_prefix('+').unwrap_or(s);
    if body == "0" {
        return Ok(std::time::Duration::ZERO);
    }
    if body.is_empty() || body.starts_with('-') {
        return Err(err());
    }
    let mut total = 0f64;
    let mut rest = body;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if num_len == 0 {
            return Err(err());
        }
        let num: f64 = rest[..num_len].parse().map_err(|_| err())?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let mult = match unit {
            "ns" => 1e-9,
            "us" | "µs" | "μs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return Err(err()),
        };
        total += num * mult;
    }
    Ok(std::time::Duration::from_secs_f64(total.min(1e12)))
}

/// A pflag parse failure: the message cobra prints after `Error: `.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagError(pub String);

fn flag_display(def: &FlagDef) -> String {
    match def.short {
        Some(c) => format!("-{}, --{}", c, def.name),
        None => format!("--{}", def.name),
    }
}

/// pflag's interspersed parse of a command's args.
pub fn parse(path: &str, args: &[String], v: EtcdVersion) -> Result<Flags, FlagError> {
    let defs = command_flags(path, v);
    let mut f = Flags {
        defs: defs.clone(),
        ..Default::default()
    };
    let mut i = 0;
    let set = |f: &mut Flags, def: &FlagDef, v: &str| -> Result<(), FlagError> {
        f.set(def, v).map_err(|e| {
            FlagError(format!(
                "invalid argument {} for {} flag: {}",
                go_quote(v),
                go_quote(&flag_display(def)),
                e
            ))
        })
    };
    while i < args.len() {
        let s = args[i].clone();
        i += 1;
        if s.len() < 2 || !s.starts_with('-') {
            f.args.push(s);
            continue;
        }
        if let Some(long) = s.strip_prefix("--") {
            if long.is_empty() {
                f.args_len_at_dash = Some(f.args.len());
                f.args.extend_from_slice(&args[i..]);
                break;
            }
            if long.starts_with('-') || long.starts_with('=') {
                return Err(FlagError(format!("bad flag syntax: {}", s)));
            }
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let Some(def) = defs.iter().find(|d| d.name == name).cloned() else {
                if name == "help" {
                    f.help = true;
                    continue;
                }
                return Err(FlagError(format!("unknown flag: --{}", name)));
            };
            let v = match value {
                Some(v) => v,
                None if def.kind == FlagKind::Bool => "true".to_string(),
                None if i < args.len() => {
                    i += 1;
                    args[i - 1].clone()
                }
                None => return Err(FlagError(format!("flag needs an argument: {}", s))),
            };
            set(&mut f, &def, &v)?;
            if def.name == "help" && f.bool("help") {
                f.help = true;
            }
        } else {
            let mut shorts: String = s[1..].to_string();
            while !shorts.is_empty() {
                let c = shorts.chars().next().unwrap_or('-');
                let clen = c.len_utf8();
                let Some(def) = defs.iter().find(|d| d.short == Some(c)).cloned() else {
                    if c == 'h' {
                        f.help = true;
                        shorts = shorts[clen..].to_string();
                        continue;
                    }
                    return Err(FlagError(format!(
                        "unknown shorthand flag: '{}' in -{}",
                        c, shorts
                    )));
                };
                let after = &shorts[clen..];
                let v;
                if after.len() > 1 && after.starts_with('=') {
                    v = after[1..].to_string();
                    shorts = String::new();
                } else if def.kind == FlagKind::Bool {
                    v = "true".to_string();
                    shorts = after.to_string();
                } else if !after.is_empty() {
                    v = after.to_string();
                    shorts = String::new();
                } else if i < args.len() {
                    v = args[i].clone();
                    i += 1;
                    shorts = String::new();
                } else {
                    return Err(FlagError(format!(
                        "flag needs an argument: '{}' in -{}",
                        c, shorts
                    )));
                }
                set(&mut f, &def, &v)?;
                if def.name == "help" && f.bool("help") {
                    f.help = true;
                }
            }
        }
    }
    Ok(f)
}

/// Go's `strconv.ParseInt(s, 10, 64)`.
pub fn parse_int_base10(s: &str) -> Result<i64, String> {
    let err = |what: &str| format!("strconv.ParseInt: parsing {}: {}", go_quote(s), what);
    let body = s
        .strip_prefix('-')
        .or_else(|| s.strip_prefix('+'))
        .unwrap_or(s);
    if body.is_empty() || !body.chars().all(|c| c.is_ascii_digit()) {
        return Err(err("invalid syntax"));
    }
    s.parse::<i64>().map_err(|_| err("value out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;
    const V34: EtcdVersion = EtcdVersion::V3_4_23;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn defs_from_help() {
        let d = command_flags("get", V34);
        let rev = d.iter().find(|d| d.name == "rev").unwrap();
        assert_eq!(rev.kind, FlagKind::Int);
        let w = d.iter().find(|d| d.name == "write-out").unwrap();
        assert_eq!(w.short, Some('w'));
        assert!(w.global);
        let e = d.iter().find(|d| d.name == "endpoints").unwrap();
        assert_eq!(e.kind, FlagKind::StrSlice);
        assert_eq!(
            d.iter().find(|d| d.name == "prefix").unwrap().kind,
            FlagKind::Bool
        );
        assert_eq!(
            d.iter().find(|d| d.name == "dial-timeout").unwrap().kind,
            FlagKind::Duration
        );
    }

    #[test]
    fn find_commands() {
        match find(&s(&["--endpoints", "x", "lease", "grant", "10"]), V34) {
            Found::Command { path, args } => {
                assert_eq!(path, "lease grant");
                assert_eq!(args, s(&["--endpoints", "x", "10"]));
            }
            f => panic!("{:?}", f),
        }
        match find(&s(&["--bogus", "get", "a"]), V34) {
            Found::Unknown { name, suggestions } => {
                assert_eq!(name, "a");
                assert_eq!(suggestions, s(&["alarm", "auth"]));
            }
            f => panic!("{:?}", f),
        }
        match find(&s(&["gett", "foo"]), V34) {
            Found::Unknown { suggestions, .. } => assert_eq!(suggestions, s(&["get"])),
            f => panic!("{:?}", f),
        }
    }

    #[test]
    fn parse_flags() {
        let f = parse(
            "get",
            &s(&["a", "--rev=3", "-wjson", "--prefix", "--limit", "2", "b"]),
            V34,
        )
        .unwrap();
        assert_eq!(f.args, s(&["a", "b"]));
        assert_eq!(f.int("rev"), 3);
        assert_eq!(f.str("write-out"), "json");
        assert!(f.bool("prefix"));
        assert_eq!(f.int("limit"), 2);
        let e = parse("get", &s(&["a", "--rev=abc"]), V34).unwrap_err();
        assert_eq!(e.0, "invalid argument \"abc\" for \"--rev\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax");
        assert_eq!(
            parse("lease grant", &s(&["-5"]), V34).unwrap_err().0,
            "unknown shorthand flag: '5' in -5"
        );
        assert_eq!(
            parse("get", &s(&["--bogus"]), V34).unwrap_err().0,
            "unknown flag: --bogus"
        );
        let f = parse("put", &s(&["--", "-dash", "value"]), V34).unwrap();
        assert_eq!(f.args, s(&["-dash", "value"]));
    }
}
