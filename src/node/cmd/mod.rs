//! The node's commands (coreutils, GNU grep and sed, bash's `echo`), each in its own file,
//! run over the virtual filesystem with the texts and exit codes of the real tools.
//!
//! Owns: the command context (`Ctx`: filesystem, working directory, clock, stdin, the
//! stdout/stderr buffers), the table of command names, and the quoting helpers that GNU
//! tools use in their messages. Must not touch: shell syntax, redirections, builtins that
//! change the shell's state (`cd`, `export`: those live in `shell`).

mod awk;
mod base64;
mod cat;
mod chown;
mod cp_mv;
mod cut;
mod echo;
mod grep;
mod head_tail;
mod hexdump;
pub mod jq;
mod ls;
mod mkdir;
mod printf;
mod rm;
mod sed;
mod sort;
mod strings;
mod touch;
mod wc;

use crate::node::fs::{Components, Errno, Fs, Millis};

/// What a command runs with, and where its output goes.
pub struct Ctx<'a> {
    pub fs: &'a mut Fs,
    pub cwd: &'a [String],
    pub now: Millis,
    pub stdin: &'a [u8],
    pub out: Vec<u8>,
    pub err: Vec<u8>,
}

impl Ctx<'_> {
    /// Resolves a path typed by the user against the working directory.
    pub fn resolve(&self, path: &str) -> Result<(Components, bool), Errno> {
        self.fs.resolve(self.cwd, path)
    }
    pub fn print(&mut self, s: &str) {
        self.out.extend_from_slice(s.as_bytes());
    }
    /// One line on stderr.
    pub fn eprintln(&mut self, s: &str) {
        self.err.extend_from_slice(s.as_bytes());
        self.err.push(b'\n');
    }
    /// Resolves a path that must name an existing node (with a trailing slash, a directory).
    pub fn existing(&self, path: &str) -> Result<Components, Errno> {
        let (c, trailing) = self.resolve(path)?;
        match self.fs.node(&c) {
            None => Err(Errno::NoEnt),
            Some(n) if trailing && !n.is_dir() => Err(Errno::NotDir),
            Some(_) => Ok(c),
        }
    }
    /// Reads a file named by the user (`-` is stdin).
    pub fn read_file(&self, path: &str) -> Result<Vec<u8>, Errno> {
        if path == "-" {
            return Ok(self.stdin.to_vec());
        }
        let c = self.existing(path)?;
        self.fs.read(&c).map(|b| b.to_vec())
    }
}

/// The commands this module runs.
pub const NAMES: [&str; 27] = [
    "cat", "ls", "mkdir", "rm", "rmdir", "cp", "mv", "chown", "grep", "egrep", "sed", "echo",
    "head", "tail", "wc", "touch", "chmod", "jq", "base64", "hexdump", "hd", "xxd", "strings",
    "sort", "cut", "awk", "printf",
];

/// Runs a command by name; None if it is not one of ours.
pub fn run(name: &str, args: &[String], ctx: &mut Ctx) -> Option<i32> {
    Some(match name {
        "cat" => cat::run(args, ctx),
        "ls" => ls::run(args, ctx),
        "mkdir" => mkdir::run(args, ctx),
        "rmdir" => mkdir::rmdir(args, ctx),
        "rm" => rm::run(args, ctx),
        "cp" => cp_mv::cp(args, ctx),
        "mv" => cp_mv::mv(args, ctx),
        "chown" => chown::chown(args, ctx),
        "chmod" => chown::chmod(args, ctx),
        "grep" => grep::run(args, ctx, false),
        "egrep" => grep::run(args, ctx, true),
        "sed" => sed::run(args, ctx),
        "echo" => echo::run(args, ctx),
        "head" => head_tail::head(args, ctx),
        "tail" => head_tail::tail(args, ctx),
        "wc" => wc::run(args, ctx),
        "touch" => touch::run(args, ctx),
        "jq" => jq::run(args, ctx),
        "base64" => base64::run(args, ctx),
        "hexdump" | "hd" => hexdump::hexdump(name, args, ctx),
        "xxd" => hexdump::xxd(args, ctx),
        "strings" => strings::run(args, ctx),
        "sort" => sort::run(args, ctx),
        "cut" => cut::run(args, ctx),
        "awk" => awk::run(args, ctx),
        "printf" => printf::run(args, ctx),
        _ => return None,
    })
}

/// GNU's `quote()` in a UTF-8 locale: ‘name’.
pub fn lquote(s: &str) -> String {
    format!("\u{2018}{}\u{2019}", s)
}

/// GNU's shell-escape-always quoting (what `ls`, `rm`, `cp` print): 'name', with a quote
/// inside written as '\'' and control characters as $'\n'.
pub fn shq(s: &str) -> String {
    if s.chars().any(|c| c.is_control()) {
        let mut o = String::from("'");
        for c in s.chars() {
            if c.is_control() {
                let esc = match c {
                    '\n' => "\\n".to_string(),
                    '\t' => "\\t".to_string(),
                    '\r' => "\\r".to_string(),
                    other => format!("\\{:03o}", other as u32),
                };
                o.push_str(&format!("'$'{}''", esc));
            } else if c == '\'' {
                o.push_str("'\\''");
            } else {
                o.push(c);
            }
        }
        o.push('\'');
        // GNU drops the empty '' pieces around an escape
        return o.replace("''$'", "$'").replace("'''", "'");
    }
    if s.contains('\'')
        && !s.contains('"')
        && !s.contains('$')
        && !s.contains('`')
        && !s.contains('\\')
    {
        return format!("\"{}\"", s);
    }
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// Shell-escape quoting only when needed (what `cat`, `grep`, `wc` print): bare if the name
/// has no character a shell would treat specially.
pub fn shq_if_needed(s: &str) -> String {
    let safe = !s.is_empty()
        && s.chars().all(|c| {
            c.is_alphanumeric() || "/._-+,:@%^=".contains(c) || (!c.is_ascii() && !c.is_control())
        });
    let starts_ok = !s.starts_with('~') && !s.starts_with('#');
    if safe && starts_ok {
        s.to_string()
    } else {
        shq(s)
    }
}

/// Splits `-abc` style arguments into options and operands; `--` ends options. Options
/// that take a value (named in `with_value`) consume the rest of their word or the next.
/// Returns (flags in order with optional values, operands) or the offending option.
pub struct Parsed {
    pub flags: Vec<(char, Option<String>)>,
    pub long: Vec<(String, Option<String>)>,
    pub operands: Vec<String>,
}

pub enum OptError {
    /// An option letter not known: `invalid option -- 'x'`.
    Invalid(char),
    /// A long option not known: `unrecognized option '--x'`.
    Unrecognized(String),
    /// An option that needs a value got none: `option requires an argument -- 'x'`.
    Missing(char),
}

pub fn parse_opts(
    args: &[String],
    letters: &str,
    with_value: &str,
    longs: &[&str],
) -> Result<Parsed, OptError> {
    let mut p = Parsed {
        flags: Vec::new(),
        long: Vec::new(),
        operands: Vec::new(),
    };
    let mut i = 0;
    let mut only_operands = false;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        let (name, value) = match classify(a, only_operands) {
            Arg::Operand => {
                p.operands.push(a.clone());
                continue;
            }
            Arg::EndOfOptions => {
                only_operands = true;
                continue;
            }
            Arg::Long(name, value) => (name, value),
            Arg::Short => {
                parse_short(a, &args[..], &mut i, letters, with_value, &mut p)?;
                continue;
            }
        };
        // unique prefixes are accepted, as getopt_long does
        let hits: Vec<&&str> = longs.iter().filter(|l| l.starts_with(name)).collect();
        match hits.iter().find(|l| ***l == name).or(if hits.len() == 1 {
            hits.first()
        } else {
            None
        }) {
            Some(l) => p.long.push((l.to_string(), value)),
            None => return Err(OptError::Unrecognized(a.clone())),
        }
    }
    Ok(p)
}

/// A command-line word as getopt sees it.
pub enum Arg<'a> {
    Operand,
    /// `--`
    EndOfOptions,
    /// `--name` or `--name=value`
    Long(&'a str, Option<String>),
    /// `-abc`
    Short,
}

pub fn classify(a: &str, only_operands: bool) -> Arg<'_> {
    if only_operands || a == "-" || !a.starts_with('-') {
        return Arg::Operand;
    }
    if a == "--" {
        return Arg::EndOfOptions;
    }
    match a.strip_prefix("--") {
        Some(long) => match long.split_once('=') {
            Some((n, v)) => Arg::Long(n, Some(v.to_string())),
            None => Arg::Long(long, None),
        },
        None => Arg::Short,
    }
}

/// One `-abc` word: flags, or a flag that takes the rest of the word (or the next word).
fn parse_short(
    a: &str,
    args: &[String],
    i: &mut usize,
    letters: &str,
    with_value: &str,
    p: &mut Parsed,
) -> Result<(), OptError> {
    let chars: Vec<char> = a.chars().skip(1).collect();
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k];
        if with_value.contains(c) {
            let rest: String = chars[k + 1..].iter().collect();
            let v = if !rest.is_empty() {
                rest
            } else if *i < args.len() {
                *i += 1;
                args[*i - 1].clone()
            } else {
                return Err(OptError::Missing(c));
            };
            p.flags.push((c, Some(v)));
            return Ok(());
        }
        if !letters.contains(c) {
            return Err(OptError::Invalid(c));
        }
        p.flags.push((c, None));
        k += 1;
    }
    Ok(())
}

impl Parsed {
    pub fn has(&self, c: char) -> bool {
        self.flags.iter().any(|(f, _)| *f == c)
    }
    pub fn has_long(&self, name: &str) -> bool {
        self.long.iter().any(|(l, _)| l == name)
    }
}

/// Prints getopt's complaint and the `Try '… --help'` line; returns the usage exit code.
pub fn opt_error(ctx: &mut Ctx, cmd: &str, e: OptError, code: i32) -> i32 {
    match e {
        OptError::Invalid(c) => ctx.eprintln(&format!("{}: invalid option -- '{}'", cmd, c)),
        OptError::Unrecognized(s) => ctx.eprintln(&format!("{}: unrecognized option '{}'", cmd, s)),
        OptError::Missing(c) => {
            ctx.eprintln(&format!("{}: option requires an argument -- '{}'", cmd, c))
        }
    }
    try_help(ctx, cmd);
    code
}

pub fn try_help(ctx: &mut Ctx, cmd: &str) {
    ctx.eprintln(&format!("Try '{} --help' for more information.", cmd));
}

/// Splits bytes into lines, each with its newline if it had one.
pub fn lines(data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in data.iter().enumerate() {
        if *b == b'\n' {
            out.push(&data[start..=i]);
            start = i + 1;
        }
    }
    if start < data.len() {
        out.push(&data[start..]);
    }
    out
}
