//! `sed [-n] [-E|-r] [-i[SUFFIX]] [-s] [-e SCRIPT]... [SCRIPT] [FILE...]`: GNU sed 4.9's
//! stream editor for the commands a learner uses on a node — `s/RE/REPL/FLAGS` with any
//! delimiter, `d`, `p`, `q`, with line, `$` and `/RE/` addresses, ranges and `!` — and its
//! error texts (`sed: -e expression #1, char N: unterminated `s' command`, ...).
//!
//! Owns: script parsing, the edit cycle, in-place editing. Must not touch: the regex
//! engine (regex.rs).

use super::{classify, lines, Arg, Ctx};
use crate::node::regex::{Regex, Syntax};

#[derive(Clone, Debug)]
enum Addr {
    Line(u64),
    Last,
    Re(Option<Regex>),
}

#[derive(Clone, Debug)]
enum Cmd {
    /// `s`: regex (None = the last one used), replacement, flags.
    Subst {
        re: Option<Regex>,
        repl: Vec<Repl>,
        global: bool,
        nth: u64,
        print: bool,
    },
    Delete,
    Print,
    Quit,
    /// `=`: the line number.
    LineNo,
    /// `y/abc/xyz/`: transliteration.
    Translate(Vec<(char, char)>),
}

#[derive(Clone, Debug)]
enum Repl {
    Text(String),
    Group(usize),
}

#[derive(Clone, Debug)]
struct Command {
    a1: Option<Addr>,
    a2: Option<Addr>,
    negate: bool,
    cmd: Cmd,
}

struct Opts {
    quiet: bool,
    in_place: Option<String>,
    separate: bool,
    syntax: Syntax,
    scripts: Vec<String>,
    files: Vec<String>,
}

/// GNU sed's usage text (what it prints, to stderr, for a bad command line).
const USAGE: &str = include_str!("sed_usage.txt");

fn parse_args(args: &[String]) -> Result<Opts, String> {
    let mut o = Opts {
        quiet: false,
        in_place: None,
        separate: false,
        syntax: Syntax::Basic,
        scripts: Vec::new(),
        files: Vec::new(),
    };
    let mut operands = Vec::new();
    let mut explicit_script = false;
    let mut i = 0;
    let mut only_operands = false;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        match classify(a, only_operands) {
            Arg::Operand => {
                operands.push(a.clone());
                continue;
            }
            Arg::EndOfOptions => {
                only_operands = true;
                continue;
            }
            Arg::Short => {}
            Arg::Long(name, value) => {
                match name {
                    "quiet" | "silent" => o.quiet = true,
                    "regexp-extended" => o.syntax = Syntax::Extended,
                    "separate" => o.separate = true,
                    "in-place" => o.in_place = Some(value.unwrap_or_default()),
                    "expression" => {
                        let v = match value {
                            Some(v) => v,
                            None if i < args.len() => {
                                i += 1;
                                args[i - 1].clone()
                            }
                            None => {
                                return Err(format!(
                                    "sed: option '--expression' requires an argument\n{}",
                                    USAGE
                                ))
                            }
                        };
                        o.scripts.push(v);
                        explicit_script = true;
                    }
                    _ => return Err(format!("sed: unrecognized option '{}'\n{}", a, USAGE)),
                }
                continue;
            }
        }
        let chars: Vec<char> = a.chars().skip(1).collect();
        let mut k = 0;
        while k < chars.len() {
            match chars[k] {
                'n' => o.quiet = true,
                'E' | 'r' => o.syntax = Syntax::Extended,
                's' => o.separate = true,
                'u' | 'z' => {}
                'i' => {
                    o.in_place = Some(chars[k + 1..].iter().collect());
                    break;
                }
                'e' | 'f' => {
                    let rest: String = chars[k + 1..].iter().collect();
                    let v = if !rest.is_empty() {
                        rest
                    } else if i < args.len() {
                        i += 1;
                        args[i - 1].clone()
                    } else {
                        return Err(format!(
                            "sed: option requires an argument -- '{}'\n{}",
                            chars[k], USAGE
                        ));
                    };
                    if chars[k] == 'e' {
                        o.scripts.push(v);
                    } else {
                        // -f FILE: read by the caller
                        o.scripts.push(format!("\u{0}{}", v));
                    }
                    explicit_script = true;
                    break;
                }
                c => return Err(format!("sed: invalid option -- '{}'\n{}", c, USAGE)),
            }
            k += 1;
        }
    }
    if !explicit_script {
        if operands.is_empty() {
            return Err(USAGE.to_string());
        }
        o.scripts.push(operands.remove(0));
    }
    o.files = operands;
    Ok(o)
}

/// A script parse error: `-e expression #N, char M: TEXT`.
struct ParseError {
    ch: usize,
    text: String,
}

struct ScriptParser<'a> {
    s: &'a [char],
    i: usize,
    syntax: Syntax,
}

impl ScriptParser<'_> {
    fn err<T>(&self, ch: usize, text: &str) -> Result<T, ParseError> {
        Err(ParseError {
            ch,
            text: text.to_string(),
        })
    }
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }
    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|c| c == ' ' || c == '\t') {
            self.i += 1;
        }
    }

    fn parse(&mut self) -> Result<Vec<Command>, ParseError> {
        let mut out = Vec::new();
        loop {
            while self.peek().is_some_and(|c| c.is_whitespace() || c == ';') {
                self.i += 1;
            }
            if self.peek().is_none() {
                return Ok(out);
            }
            let a1 = self.addr()?;
            let mut a2 = None;
            if a1.is_some() && self.peek() == Some(',') {
                self.i += 1;
                self.skip_ws();
                a2 = self.addr()?;
                if a2.is_none() {
                    return self.err(self.i, "unexpected `,'");
                }
            }
            self.skip_ws();
            let mut negate = false;
            while self.peek() == Some('!') {
                negate = true;
                self.i += 1;
                self.skip_ws();
            }
            let Some(c) = self.peek() else {
                return self.err(self.i, "missing command");
            };
            self.i += 1;
            let cmd = match c {
                's' => self.subst()?,
                'd' => Cmd::Delete,
                'p' => Cmd::Print,
                'q' => Cmd::Quit,
                '=' => Cmd::LineNo,
                'y' => self.translate()?,
                _ => return self.err(self.i, &format!("unknown command: `{}'", c)),
            };
            // after a command: spaces, then `;`, a newline, `}` or the end
            self.skip_ws();
            match self.peek() {
                None | Some(';') | Some('\n') => {}
                Some('}') => {}
                Some(_) => return self.err(self.i + 1, "extra characters after command"),
            }
            out.push(Command {
                a1,
                a2,
                negate,
                cmd,
            });
        }
    }

    fn addr(&mut self) -> Result<Option<Addr>, ParseError> {
        match self.peek() {
            Some(c) if c.is_ascii_digit() => {
                let start = self.i;
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.i += 1;
                }
                let n: String = self.s[start..self.i].iter().collect();
                match n.parse::<u64>() {
                    Ok(0) => self.err(self.i, "invalid usage of line address 0"),
                    Ok(v) => Ok(Some(Addr::Line(v))),
                    Err(_) => self.err(self.i, "expected newer version of sed"),
                }
            }
            Some('$') => {
                self.i += 1;
                Ok(Some(Addr::Last))
            }
            Some('/') | Some('\\') => {
                let delim = if self.peek() == Some('\\') {
                    self.i += 1;
                    match self.peek() {
                        Some(d) => d,
                        None => return self.err(self.i, "unexpected `,'"),
                    }
                } else {
                    '/'
                };
                self.i += 1;
                let Some(pat) = self.delimited(delim) else {
                    return self.err(self.i, "unterminated address regex");
                };
                let mut icase = false;
                while self.peek() == Some('I') {
                    icase = true;
                    self.i += 1;
                }
                Ok(Some(Addr::Re(self.compile(&pat, icase)?)))
            }
            _ => Ok(None),
        }
    }

    fn compile(&self, pat: &str, icase: bool) -> Result<Option<Regex>, ParseError> {
        if pat.is_empty() {
            return Ok(None);
        }
        Regex::new(pat, self.syntax, icase, true)
            .map(Some)
            .map_err(|e| ParseError {
                ch: self.i,
                text: e.0.to_string(),
            })
    }

    /// Text up to the next unescaped `delim` (consumed); `\delim` becomes `delim`. None at
    /// the end of the script.
    fn delimited(&mut self, delim: char) -> Option<String> {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            self.i += 1;
            if c == delim {
                return Some(out);
            }
            if c == '\\' {
                let Some(n) = self.peek() else { return None };
                self.i += 1;
                if n == delim {
                    out.push(n);
                } else if n == '\n' {
                    out.push('\n');
                } else {
                    out.push('\\');
                    out.push(n);
                }
                continue;
            }
            if c == '\n' {
                return None;
            }
            out.push(c);
        }
        None
    }

    fn translate(&mut self) -> Result<Cmd, ParseError> {
        const UNTERMINATED: &str = "unterminated `y' command";
        let Some(delim) = self.peek() else {
            return self.err(self.i, UNTERMINATED);
        };
        self.i += 1;
        let Some(from) = self.delimited(delim) else {
            return self.err(self.i, UNTERMINATED);
        };
        let Some(to) = self.delimited(delim) else {
            return self.err(self.i, UNTERMINATED);
        };
        let unescape = |s: &str| s.replace("\\n", "\n").replace("\\\\", "\\");
        let (from, to): (Vec<char>, Vec<char>) = (
            unescape(&from).chars().collect(),
            unescape(&to).chars().collect(),
        );
        if from.len() != to.len() {
            return self.err(self.i, "strings for `y' command are different lengths");
        }
        Ok(Cmd::Translate(from.into_iter().zip(to).collect()))
    }

    fn subst(&mut self) -> Result<Cmd, ParseError> {
        let Some(delim) = self.peek() else {
            return self.err(self.i, "unterminated `s' command");
        };
        if delim == '\n' || delim == '\\' {
            return self.err(self.i + 1, "unterminated `s' command");
        }
        self.i += 1;
        let Some(pat) = self.delimited(delim) else {
            return self.err(self.i, "unterminated `s' command");
        };
        let Some(rhs) = self.delimited(delim) else {
            return self.err(self.i, "unterminated `s' command");
        };
        let (mut global, mut nth, mut print, mut icase) = (false, 0u64, false, false);
        while let Some(c) = self.peek() {
            match c {
                'g' => global = true,
                'p' => print = true,
                'i' | 'I' => icase = true,
                'm' | 'M' | 'e' => {}
                '0'..='9' => {
                    let start = self.i;
                    while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                        self.i += 1;
                    }
                    let n: String = self.s[start..self.i].iter().collect();
                    nth = n.parse().unwrap_or(u64::MAX);
                    if nth == 0 {
                        return self.err(self.i, "number option to `s' command may not be zero");
                    }
                    continue;
                }
                ';' | '\n' | '}' | ' ' | '\t' => break,
                _ => return self.err(self.i + 1, "unknown option to `s'"),
            }
            self.i += 1;
        }
        let re = self.compile(&pat, icase)?;
        let groups = re.as_ref().map(Regex::groups).unwrap_or(9);
        let repl = parse_repl(&rhs, groups).map_err(|n| ParseError {
            ch: self.i,
            text: format!("invalid reference \\{} on `s' command's RHS", n),
        })?;
        Ok(Cmd::Subst {
            re,
            repl,
            global,
            nth: nth.max(1),
            print,
        })
    }
}

fn parse_repl(rhs: &str, groups: usize) -> Result<Vec<Repl>, usize> {
    let chars: Vec<char> = rhs.chars().collect();
    let mut out = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '&' => {
                if !text.is_empty() {
                    out.push(Repl::Text(std::mem::take(&mut text)));
                }
                out.push(Repl::Group(0));
            }
            '\\' if i < chars.len() => {
                let e = chars[i];
                i += 1;
                match e {
                    '0'..='9' => {
                        let n = e as usize - '0' as usize;
                        if n > groups {
                            return Err(n);
                        }
                        if !text.is_empty() {
                            out.push(Repl::Text(std::mem::take(&mut text)));
                        }
                        out.push(Repl::Group(n));
                    }
                    'n' => text.push('\n'),
                    't' => text.push('\t'),
                    other => text.push(other),
                }
            }
            other => text.push(other),
        }
    }
    if !text.is_empty() {
        out.push(Repl::Text(text));
    }
    Ok(out)
}

pub fn run(args: &[String], ctx: &mut Ctx) -> i32 {
    let o = match parse_args(args) {
        Ok(o) => o,
        Err(msg) => {
            ctx.err.extend_from_slice(msg.as_bytes());
            if !msg.ends_with('\n') {
                ctx.err.push(b'\n');
            }
            return 1;
        }
    };
    // parse every expression; a -f FILE expression is read here
    let mut commands: Vec<Command> = Vec::new();
    for (n, s) in o.scripts.iter().enumerate() {
        let text = match s.strip_prefix('\u{0}') {
            Some(file) => match ctx.read_file(file) {
                Ok(d) => String::from_utf8_lossy(&d).into_owned(),
                Err(e) => {
                    ctx.eprintln(&format!("sed: couldn't open file {}: {}", file, e));
                    return 1;
                }
            },
            None => s.clone(),
        };
        let chars: Vec<char> = text.chars().collect();
        let mut p = ScriptParser {
            s: &chars,
            i: 0,
            syntax: o.syntax,
        };
        match p.parse() {
            Ok(c) => commands.extend(c),
            Err(e) => {
                ctx.eprintln(&format!(
                    "sed: -e expression #{}, char {}: {}",
                    n + 1,
                    e.ch,
                    e.text
                ));
                return 1;
            }
        }
    }
    if commands
        .iter()
        .any(|c| matches!(c.cmd, Cmd::Subst { re: None, .. }))
        && !has_previous(&commands)
    {
        ctx.eprintln("sed: no previous regular expression");
        return 1;
    }
    if o.in_place.is_some() && o.files.is_empty() {
        ctx.eprintln("sed: no input files");
        return 4;
    }
    let files = if o.files.is_empty() {
        vec!["-".to_string()]
    } else {
        o.files.clone()
    };
    let mut status = 0;
    let mut ed = Editor {
        commands,
        quiet: o.quiet,
        last_re: None,
        in_range: Vec::new(),
        line_no: 0,
        quit: false,
    };
    ed.in_range = vec![false; ed.commands.len()];
    if o.in_place.is_none() && !o.separate {
        // one stream: all readable files in order
        let mut data = Vec::new();
        for f in &files {
            match ctx.read_file(f) {
                Ok(d) => {
                    data.extend_from_slice(&d);
                    if !d.is_empty() && !d.ends_with(b"\n") {
                        data.push(b'\n');
                    }
                }
                Err(e) => {
                    ctx.eprintln(&format!("sed: can't read {}: {}", f, e));
                    status = 2;
                }
            }
        }
        // the final newline is as the last file had it
        let last_has_nl = files
            .iter()
            .rev()
            .find_map(|f| ctx.read_file(f).ok())
            .map(|d| d.is_empty() || d.ends_with(b"\n"))
            .unwrap_or(true);
        if !last_has_nl {
            data.pop();
        }
        let out = ed.run(&data);
        ctx.out.extend_from_slice(&out);
        return status;
    }
    for f in &files {
        let path = match ctx.existing(f) {
            Ok(c) => c,
            Err(e) => {
                ctx.eprintln(&format!("sed: can't read {}: {}", f, e));
                status = 2;
                continue;
            }
        };
        if ctx.fs.is_dir(&path) {
            if o.in_place.is_some() {
                ctx.eprintln(&format!("sed: couldn't edit {}: not a regular file", f));
                status = 4;
            } else {
                ctx.eprintln(&format!("sed: read error on {}: Is a directory", f));
                status = 2;
            }
            continue;
        }
        let data = ctx.fs.read(&path).map(|d| d.to_vec()).unwrap_or_default();
        ed.line_no = 0;
        ed.in_range = vec![false; ed.commands.len()];
        let out = ed.run(&data);
        match &o.in_place {
            Some(suffix) => {
                if !suffix.is_empty() {
                    let backup = if suffix.contains('*') {
                        suffix.replace('*', &f.rsplit('/').next().unwrap_or(f))
                    } else {
                        format!("{}{}", f, suffix)
                    };
                    if let Ok((b, _)) = ctx.resolve(&backup) {
                        let _ = ctx.fs.copy_file(&path, &b, ctx.now);
                    }
                }
                if let Err(e) = ctx.fs.write(&path, &out, false, ctx.now) {
                    ctx.eprintln(&format!("sed: couldn't write to {}: {}", f, e));
                    status = 4;
                }
            }
            None => ctx.out.extend_from_slice(&out),
        }
        if ed.quit {
            break;
        }
    }
    status
}

fn has_previous(commands: &[Command]) -> bool {
    commands.iter().any(|c| {
        matches!(c.cmd, Cmd::Subst { re: Some(_), .. })
            || matches!(c.a1, Some(Addr::Re(Some(_))))
            || matches!(c.a2, Some(Addr::Re(Some(_))))
    })
}

struct Editor {
    commands: Vec<Command>,
    quiet: bool,
    last_re: Option<Regex>,
    in_range: Vec<bool>,
    line_no: u64,
    quit: bool,
}

impl Editor {
    fn matches(&mut self, a: &Addr, line: &[char], is_last: bool) -> bool {
        match a {
            Addr::Line(n) => self.line_no == *n,
            Addr::Last => is_last,
            Addr::Re(re) => {
                if let Some(r) = re {
                    self.last_re = Some(r.clone());
                }
                self.last_re.as_ref().is_some_and(|r| r.is_match(line))
            }
        }
    }

    fn selected(&mut self, k: usize, line: &[char], is_last: bool) -> bool {
        let c = self.commands[k].clone();
        let hit = match (&c.a1, &c.a2) {
            (None, _) => true,
            (Some(a), None) => self.matches(a, line, is_last),
            (Some(a), Some(b)) => {
                if self.in_range[k] {
                    // the range ends at a line matching the second address (or past a number)
                    let end = match b {
                        Addr::Line(n) => self.line_no >= *n,
                        other => self.matches(other, line, is_last),
                    };
                    if end {
                        self.in_range[k] = false;
                    }
                    true
                } else if self.matches(a, line, is_last) {
                    let ends_now = matches!(b, Addr::Line(n) if *n <= self.line_no);
                    self.in_range[k] = !ends_now;
                    true
                } else {
                    false
                }
            }
        };
        hit != c.negate
    }

    /// Runs the script over the input; returns the output.
    fn run(&mut self, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let all = lines(data);
        for (idx, raw) in all.iter().enumerate() {
            if self.quit {
                break;
            }
            self.line_no += 1;
            let has_nl = raw.ends_with(b"\n");
            let body = if has_nl { &raw[..raw.len() - 1] } else { raw };
            let mut space: Vec<char> = String::from_utf8_lossy(body).chars().collect();
            let is_last = idx + 1 == all.len();
            let mut deleted = false;
            for k in 0..self.commands.len() {
                if !self.selected(k, &space, is_last) {
                    continue;
                }
                match self.commands[k].cmd.clone() {
                    Cmd::Delete => {
                        deleted = true;
                        break;
                    }
                    Cmd::Print => emit(&mut out, &space, true),
                    Cmd::LineNo => out.extend_from_slice(format!("{}\n", self.line_no).as_bytes()),
                    Cmd::Translate(map) => {
                        for ch in space.iter_mut() {
                            if let Some((_, t)) = map.iter().find(|(f, _)| f == ch) {
                                *ch = *t;
                            }
                        }
                    }
                    Cmd::Quit => {
                        self.quit = true;
                        break;
                    }
                    Cmd::Subst {
                        re,
                        repl,
                        global,
                        nth,
                        print,
                    } => {
                        if let Some(r) = re {
                            self.last_re = Some(r);
                        }
                        let Some(r) = self.last_re.clone() else {
                            continue;
                        };
                        if let Some(new) = substitute(&r, &space, &repl, global, nth) {
                            space = new;
                            if print {
                                emit(&mut out, &space, true);
                            }
                        }
                    }
                }
            }
            if !deleted && !self.quiet {
                emit(&mut out, &space, has_nl);
            }
        }
        out
    }
}

fn emit(out: &mut Vec<u8>, space: &[char], newline: bool) {
    let s: String = space.iter().collect();
    out.extend_from_slice(s.as_bytes());
    if newline {
        out.push(b'\n');
    }
}

/// One `s` over a line: the new text, or None if nothing was replaced.
fn substitute(
    re: &Regex,
    text: &[char],
    repl: &[Repl],
    global: bool,
    nth: u64,
) -> Option<Vec<char>> {
    let mut out: Vec<char> = Vec::new();
    let mut pos = 0;
    let mut count = 0u64;
    let mut replaced = false;
    let mut prev_end: Option<usize> = None;
    while pos <= text.len() {
        let Some(caps) = re.find_at(text, pos) else {
            break;
        };
        let Some((a, b)) = caps[0] else { break };
        // an empty match right after the previous match does not count
        if a == b && prev_end == Some(a) {
            if a < text.len() {
                out.push(text[a]);
            }
            pos = a + 1;
            continue;
        }
        count += 1;
        out.extend_from_slice(&text[pos..a]);
        if count >= nth {
            for r in repl {
                match r {
                    Repl::Text(t) => out.extend(t.chars()),
                    Repl::Group(g) => {
                        if let Some(Some((x, y))) = caps.get(*g) {
                            out.extend_from_slice(&text[*x..*y]);
                        }
                    }
                }
            }
            replaced = true;
        } else {
            out.extend_from_slice(&text[a..b]);
        }
        prev_end = Some(b);
        if a == b {
            if a < text.len() {
                out.push(text[a]);
            }
            pos = a + 1;
        } else {
            pos = b;
        }
        if replaced && !global {
            break;
        }
    }
    if !replaced {
        return None;
    }
    if pos < text.len() {
        out.extend_from_slice(&text[pos..]);
    }
    Some(out)
}
