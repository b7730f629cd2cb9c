//! Secrets kept out of what the page stores and shows: a password on a command line
//! (`--password`, `--user NAME:PASSWORD`, `--new-user-password`, make-mirror's
//! `--dest-password` and `--dest-user NAME:PASSWORD`, `user add NAME:PASSWORD`, v2's
//! `--username`/`-u`), in `ETCDCTL_PASSWORD`/`ETCDCTL_USER`/`ETCDCTL_USERNAME`, typed at a
//! password prompt, or read from stdin by `user add|passwd --interactive=false`.
//!
//! Each distinct secret gets a pseudonym, `«secret-N»`, the first time it is seen; the stored
//! inputs, the share links, the history, the entries' echo, the lesson attempts and the jobs
//! carry the pseudonym instead. Equal secrets get the same pseudonym and different ones
//! different ones, so a replay of the stored inputs (a share link) makes the same users and
//! the same authentications succeed and fail: the password *is* `«secret-N»` there. While the
//! page lives, a line that uses a pseudonym (recalled with ↑) runs with the real secret
//! ([`Secrets::reveal_line`]); only the count of pseudonyms handed out is stored, so the
//! numbering goes on after a reload and never names two secrets alike. The variables that
//! hold a secret are dropped from the stored state (a reload says to export them again).
//!
//! Not covered (said in the closing notes): a secret inside a file, a variable of another
//! name (`--password=$PW`: the line holds only `$PW`), or the arguments of commands other than
//! `echo`/`printf` piped into `--interactive=false`.
//!
//! Owns: finding secrets in a line or an input, the pseudonyms. Must not touch: running
//! anything (the session does), what etcdctl accepts.

use std::cell::RefCell;
use std::collections::BTreeMap;

use super::timeline::InputRecord;

/// The variables whose value is, or ends with, a secret.
const SECRET_VARS: [&str; 3] = ["ETCDCTL_PASSWORD", "ETCDCTL_USER", "ETCDCTL_USERNAME"];

/// The pseudonyms handed out in this page's life.
#[derive(Clone, Debug, Default)]
pub struct Secrets {
    table: RefCell<Table>,
}

#[derive(Clone, Debug, Default)]
struct Table {
    /// How many pseudonyms were ever handed out (stored: the numbering goes on).
    count: u64,
    by_secret: BTreeMap<String, u64>,
    by_number: BTreeMap<u64, String>,
}

/// Whether `s` is a pseudonym (`«secret-N»`).
pub fn is_pseudonym(s: &str) -> bool {
    number_of(s).is_some()
}

fn number_of(s: &str) -> Option<u64> {
    let digits = s.strip_prefix("«secret-")?.strip_suffix('»')?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

impl Secrets {
    /// Pseudonyms go on from `count` (what a stored state says was handed out).
    pub fn continuing_from(count: u64) -> Secrets {
        Secrets {
            table: RefCell::new(Table {
                count,
                ..Table::default()
            }),
        }
    }

    /// How many pseudonyms were handed out so far.
    pub fn count(&self) -> u64 {
        self.table.borrow().count
    }

    /// The pseudonym of `secret` (empty and pseudonyms stay as they are).
    pub fn pseudonym(&self, secret: &str) -> String {
        if secret.is_empty() || is_pseudonym(secret) {
            return secret.to_string();
        }
        let mut t = self.table.borrow_mut();
        let n = match t.by_secret.get(secret) {
            Some(n) => *n,
            None => {
                t.count = t.count.saturating_add(1);
                let n = t.count;
                t.by_secret.insert(secret.to_string(), n);
                t.by_number.insert(n, secret.to_string());
                n
            }
        };
        format!("«secret-{n}»")
    }

    /// `line` with every secret it holds replaced by its pseudonym.
    pub fn redact_line(&self, line: &str) -> String {
        let found = find(line);
        let mut out = String::with_capacity(line.len());
        let mut at = 0;
        for s in &found.spans {
            out.push_str(line.get(at..s.start).unwrap_or(""));
            out.push_str(&quote(&s.keep));
            out.push_str(&self.pseudonym(&s.secret));
            at = s.end;
        }
        out.push_str(line.get(at..).unwrap_or(""));
        out
    }

    /// An input as it may be stored: its line redacted, and the lines of its stdin that are
    /// secrets (typed at a password prompt, or read by `--interactive=false`) too.
    pub fn redact_record(&self, r: &InputRecord) -> InputRecord {
        let found = find(&r.line);
        let stdin = r.stdin.as_ref().map(|stdin| {
            let mut lines: Vec<String> = stdin.split('\n').map(str::to_string).collect();
            let mut secret_lines = r.secret_lines.clone();
            if found.stdin_first_line {
                secret_lines.push(0);
            }
            for i in secret_lines {
                if let Some(l) = lines.get_mut(i) {
                    // the here-document's last line is followed by its newline only
                    *l = self.pseudonym(l);
                }
            }
            lines.join("\n")
        });
        InputRecord {
            line: self.redact_line(&r.line),
            stdin,
            at_ms: r.at_ms,
            steps: r.steps,
            secret_lines: Vec::new(),
        }
    }

    /// `line` with each pseudonym handed out in this page's life replaced by its secret
    /// (quoted for the shell): a recalled line runs as it was first typed. Pseudonyms from
    /// before a reload stay (they are the secret a replay uses).
    pub fn reveal_line(&self, line: &str) -> String {
        if !line.contains('«') {
            return line.to_string();
        }
        let t = self.table.borrow();
        let mut out = String::with_capacity(line.len());
        let mut rest = line;
        while let Some(i) = rest.find("«secret-") {
            out.push_str(rest.get(..i).unwrap_or(""));
            let tail = rest.get(i..).unwrap_or("");
            let token = tail.find('»').and_then(|j| tail.get(..j + '»'.len_utf8()));
            match token.and_then(|tok| Some((tok, t.by_number.get(&number_of(tok)?)?))) {
                Some((tok, secret)) => {
                    out.push_str(&quote(secret));
                    rest = tail.get(tok.len()..).unwrap_or("");
                }
                None => {
                    out.push('«');
                    rest = tail.get('«'.len_utf8()..).unwrap_or("");
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// Removes the variables that hold a secret from `vars` (`ETCDCTL_USER` only with a
/// password in it); says which were removed.
pub fn drop_secret_vars(vars: &mut BTreeMap<String, String>) -> Vec<String> {
    let mut dropped = Vec::new();
    for name in SECRET_VARS {
        let holds = vars.get(name).is_some_and(|v| {
            name == "ETCDCTL_PASSWORD" && !v.is_empty() || v.split_once(':').is_some()
        });
        if holds {
            vars.remove(name);
            dropped.push(name.to_string());
        }
    }
    dropped
}

/// A secret in a line: the word at `start..end` becomes `keep` (quoted) and the pseudonym.
#[derive(Debug, PartialEq)]
struct Span {
    start: usize,
    end: usize,
    keep: String,
    secret: String,
}

#[derive(Debug, Default)]
struct Found {
    spans: Vec<Span>,
    /// `user add|passwd --interactive=false` reads its password from stdin's first line.
    stdin_first_line: bool,
}

/// A word of a line: where it is and what the shell makes of it (quotes removed).
#[derive(Debug)]
struct Word {
    start: usize,
    end: usize,
    value: String,
    /// It has a `$` or a backquote outside single quotes: its value is not what is typed.
    expands: bool,
}

enum Token {
    Word(Word),
    /// `|`: the next command reads this one's output.
    Pipe,
    /// Anything else that ends a command (`;`, `&`, `&&`, `||`, a newline, a redirection).
    End,
}

/// Cuts a line into words and operators as bash reads them (quotes, `\`, comments).
fn tokens(line: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = line.char_indices().peekable();
    let mut word: Option<Word> = None;
    let flush = |word: &mut Option<Word>, end: usize, out: &mut Vec<Token>| {
        if let Some(mut w) = word.take() {
            w.end = end;
            out.push(Token::Word(w));
        }
    };
    while let Some((i, c)) = chars.next() {
        match c {
            ' ' | '\t' | '\r' => flush(&mut word, i, &mut out),
            '#' if word.is_none() => {
                // a comment runs to the end of the line
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        out.push(Token::End);
                        break;
                    }
                }
            }
            '\n' | ';' | '&' | '(' | ')' | '<' | '>' => {
                flush(&mut word, i, &mut out);
                out.push(Token::End);
            }
            '|' => {
                flush(&mut word, i, &mut out);
                if chars.peek().is_some_and(|(_, c)| *c == '|') {
                    chars.next();
                    out.push(Token::End);
                } else {
                    out.push(Token::Pipe);
                }
            }
            _ => {
                let cur = word.get_or_insert(Word {
                    start: i,
                    end: i,
                    value: String::new(),
                    expands: false,
                });
                match c {
                    '\\' => {
                        if let Some((_, n)) = chars.next() {
                            if n != '\n' {
                                cur.value.push(n);
                            }
                        }
                    }
                    '\'' => {
                        for (_, n) in chars.by_ref() {
                            if n == '\'' {
                                break;
                            }
                            cur.value.push(n);
                        }
                    }
                    '"' => {
                        while let Some((_, n)) = chars.next() {
                            match n {
                                '"' => break,
                                '\\' => match chars.peek() {
                                    Some((_, e @ ('"' | '\\' | '$' | '`'))) => {
                                        cur.value.push(*e);
                                        chars.next();
                                    }
                                    _ => cur.value.push('\\'),
                                },
                                '$' | '`' => {
                                    cur.expands = true;
                                    cur.value.push(n);
                                }
                                _ => cur.value.push(n),
                            }
                        }
                    }
                    '$' | '`' => {
                        cur.expands = true;
                        cur.value.push(c);
                    }
                    _ => cur.value.push(c),
                }
            }
        }
    }
    flush(&mut word, line.len(), &mut out);
    out
}

/// The secrets `line` holds, in order.
fn find(line: &str) -> Found {
    let mut found = Found::default();
    let mut command: Vec<Word> = Vec::new();
    // the words of the command piped into the current one (none: not piped)
    let mut piped_from: Vec<Word> = Vec::new();
    let mut toks = tokens(line).into_iter();
    loop {
        let tok = toks.next();
        if let Some(Token::Word(w)) = tok {
            command.push(w);
            continue;
        }
        if scan_command(&command, &mut found) {
            if piped_from.is_empty() {
                found.stdin_first_line = true;
            } else {
                // `echo PASSWORD | etcdctl user add NAME --interactive=false`
                scan_echo(&piped_from, &mut found);
            }
        }
        piped_from = std::mem::take(&mut command);
        match tok {
            Some(Token::Pipe) => {}
            None => break,
            _ => piped_from.clear(),
        }
    }
    crate::sort::sort_by_key(&mut found.spans, |s| s.start);
    found.spans.dedup_by_key(|s| s.start);
    found
}

/// Adds the secrets of one command's words; says whether it is `user add|passwd` reading
/// its password from stdin (`--interactive=false`).
fn scan_command(words: &[Word], found: &mut Found) -> bool {
    for w in words {
        if let Some((name, value)) = w.value.split_once('=') {
            if SECRET_VARS.contains(&name) {
                let whole = name == "ETCDCTL_PASSWORD";
                push(found, w, &format!("{name}="), value, whole);
            }
        }
    }
    let Some(at) = words
        .iter()
        .position(|w| w.value.rsplit('/').next() == Some("etcdctl"))
    else {
        return false;
    };
    let mut positional: Vec<&str> = Vec::new();
    let mut user_arg = None;
    let mut interactive_false = false;
    let mut i = at + 1;
    while let Some(w) = words.get(i) {
        i += 1;
        let v = w.value.as_str();
        let flag = v.strip_prefix("--").or_else(|| v.strip_prefix('-'));
        let Some(flag) = flag.filter(|f| !f.is_empty()) else {
            if positional.len() >= 2 && positional[positional.len() - 2..] == ["user", "add"] {
                user_arg.get_or_insert(w);
            }
            positional.push(v);
            continue;
        };
        let (name, inline) = match flag.split_once('=') {
            Some((n, val)) => (n, Some(val)),
            None => (flag, None),
        };
        let whole = match name {
            "password" | "new-user-password" | "dest-password" => true,
            "user" | "username" | "u" | "dest-user" => false,
            "interactive" => {
                interactive_false |= inline == Some("false");
                continue;
            }
            _ => continue,
        };
        match inline {
            Some(val) => {
                let keep = v.len() - val.len();
                push(found, w, v.get(..keep).unwrap_or(""), val, whole);
            }
            None => {
                if let Some(next) = words.get(i) {
                    push(found, next, "", &next.value, whole);
                    i += 1;
                }
            }
        }
    }
    if let Some(w) = user_arg {
        push(found, w, "", &w.value, false);
    }
    let sub = positional
        .windows(2)
        .any(|p| p.first() == Some(&"user") && matches!(p.get(1), Some(&"add") | Some(&"passwd")));
    sub && interactive_false
}

/// `echo WORD…` or `printf WORD…` piped into a command that reads a password: its words.
fn scan_echo(words: &[Word], found: &mut Found) {
    if !matches!(
        words.first().map(|w| w.value.as_str()),
        Some("echo") | Some("printf")
    ) {
        return;
    }
    for w in words.iter().skip(1).filter(|w| !w.value.starts_with('-')) {
        push(found, w, "", &w.value, true);
    }
}

/// The secret of word `w` whose text (quotes removed) is `keep` then `value`: all of it
/// (`whole`) or what follows its first `:` (`NAME:PASSWORD`; none without a `:`).
fn push(found: &mut Found, w: &Word, keep: &str, value: &str, whole: bool) {
    if w.expands {
        return;
    }
    let (keep, secret) = if whole {
        (keep.to_string(), value)
    } else {
        match value.split_once(':') {
            Some((name, pw)) => (format!("{keep}{name}:"), pw),
            None => return,
        }
    };
    if secret.is_empty() || is_pseudonym(secret) {
        return;
    }
    found.spans.push(Span {
        start: w.start,
        end: w.end,
        keep,
        secret: secret.to_string(),
    });
}

/// `s` as one shell word (quoted only when it must be).
fn quote(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_@%+=:,./-«»".contains(c);
    if s.chars().all(plain) {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[cfg(test)]
#[path = "secrets_tests.rs"]
mod tests;
