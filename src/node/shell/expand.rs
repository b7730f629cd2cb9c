//! Word expansion in the node shell: `~`, `$NAME` (unquoted values split into fields on
//! blanks), quote removal and pathname expansion (`*`, `?`, `[...]` against the node's
//! filesystem; a pattern that matches nothing stays as typed, as in bash).
//!
//! Owns: turning parsed words into argv. Must not touch: parsing, running commands.

use super::lexer::{Part, Word};
use crate::node::fs::Fs;
use std::collections::BTreeMap;

/// What expansion reads: variables, `$?`, the home directory and the working directory.
pub struct Env<'a> {
    pub vars: &'a BTreeMap<String, String>,
    pub status: i32,
    pub cwd: &'a [String],
    pub fs: &'a Fs,
}

impl Env<'_> {
    fn var(&self, name: &str) -> String {
        match name {
            "?" => self.status.to_string(),
            "$" => "1".to_string(),
            "#" => "0".to_string(),
            "0" => "bash".to_string(),
            _ => self.vars.get(name).cloned().unwrap_or_default(),
        }
    }
}

/// A field being built: each char with whether it was quoted (quoted chars never glob).
type Field = Vec<(char, bool)>;

/// Expands one word into zero or more fields (an unquoted empty variable gives none).
pub fn expand_word(w: &Word, env: &Env) -> Vec<String> {
    let mut fields: Vec<Field> = Vec::new();
    let mut cur: Field = Vec::new();
    // true once the current field holds something that must be kept even if empty
    let mut keep = false;
    for part in &w.0 {
        match part {
            Part::Lit(t) => {
                cur.extend(t.chars().map(|c| (c, false)));
                keep = true;
            }
            Part::Quoted(t) => {
                cur.extend(t.chars().map(|c| (c, true)));
                keep = true;
            }
            Part::QVar(n) => {
                cur.extend(env.var(n).chars().map(|c| (c, true)));
                keep = true;
            }
            Part::Tilde => {
                let home = env
                    .vars
                    .get("HOME")
                    .cloned()
                    .unwrap_or_else(|| "/root".into());
                cur.extend(home.chars().map(|c| (c, true)));
                keep = true;
            }
            Part::Var(n) => {
                let v = env.var(n);
                let starts_blank = v.starts_with([' ', '\t', '\n']);
                let pieces: Vec<&str> = v
                    .split([' ', '\t', '\n'])
                    .filter(|s| !s.is_empty())
                    .collect();
                if pieces.is_empty() {
                    if !v.is_empty() && keep {
                        fields.push(std::mem::take(&mut cur));
                        keep = false;
                    }
                    continue;
                }
                if starts_blank && keep {
                    fields.push(std::mem::take(&mut cur));
                }
                for (k, piece) in pieces.iter().enumerate() {
                    if k > 0 {
                        fields.push(std::mem::take(&mut cur));
                    }
                    cur.extend(piece.chars().map(|c| (c, false)));
                }
                keep = true;
                if v.ends_with([' ', '\t', '\n']) {
                    fields.push(std::mem::take(&mut cur));
                    keep = false;
                }
            }
        }
    }
    if keep || !cur.is_empty() {
        fields.push(cur);
    }
    let mut out = Vec::new();
    for f in fields {
        if f.iter().any(|&(c, q)| !q && matches!(c, '*' | '?' | '[')) {
            let matches = glob(&f, env);
            if !matches.is_empty() {
                out.extend(matches);
                continue;
            }
        }
        out.push(f.iter().map(|&(c, _)| c).collect());
    }
    out
}

/// Expands a here-document's body: `$NAME` and `${NAME}` (and `\$` for a literal dollar).
pub fn expand_heredoc(body: &str, env: &Env) -> String {
    let chars: Vec<char> = body.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && i + 1 < chars.len() && matches!(chars[i + 1], '$' | '\\' | '`') {
            out.push(chars[i + 1]);
            i += 2;
            continue;
        }
        if c == '$' {
            if let Some((name, len)) = heredoc_var(&chars[i..]) {
                out.push_str(&env.var(&name));
                i += len;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

fn heredoc_var(s: &[char]) -> Option<(String, usize)> {
    match s.get(1)? {
        '?' => Some(("?".into(), 2)),
        '{' => {
            let end = s.iter().position(|&c| c == '}')?;
            Some((s[2..end].iter().collect(), end + 1))
        }
        c if c.is_ascii_alphabetic() || *c == '_' => {
            let len = s[1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                .count();
            Some((s[1..1 + len].iter().collect(), 1 + len))
        }
        _ => None,
    }
}

/// Pathname expansion of one field: the matching paths in byte order, or none.
fn glob(field: &Field, env: &Env) -> Vec<String> {
    let absolute = field.first().is_some_and(|&(c, _)| c == '/');
    let comps: Vec<Field> = field
        .split(|&(c, _)| c == '/')
        .filter(|c| !c.is_empty())
        .map(|c| c.to_vec())
        .collect();
    // each candidate: (components from the root, text as it will be printed)
    let mut cands: Vec<(Vec<String>, String)> = vec![(
        if absolute {
            Vec::new()
        } else {
            env.cwd.to_vec()
        },
        if absolute { "/".into() } else { String::new() },
    )];
    for (k, comp) in comps.iter().enumerate() {
        let last = k + 1 == comps.len();
        let is_pattern = comp
            .iter()
            .any(|&(c, q)| !q && matches!(c, '*' | '?' | '['));
        let mut next = Vec::new();
        for (at, shown) in &cands {
            if is_pattern {
                let Ok(entries) = env.fs.list(at) else {
                    continue;
                };
                for (name, st) in entries {
                    if name.starts_with('.')
                        && comp.first() != Some(&('.', false))
                        && comp.first() != Some(&('.', true))
                    {
                        continue;
                    }
                    if !last && !st.is_dir {
                        continue;
                    }
                    let name_chars: Vec<char> = name.chars().collect();
                    if fnmatch(comp, &name_chars) {
                        let mut p = at.clone();
                        p.push(name.clone());
                        next.push((p, format!("{}{}", shown, name)));
                    }
                }
            } else {
                let name: String = comp.iter().map(|&(c, _)| c).collect();
                let mut p = at.clone();
                match name.as_str() {
                    "." => {}
                    ".." => {
                        p.pop();
                    }
                    _ => p.push(name.clone()),
                }
                if env.fs.exists(&p) {
                    next.push((p, format!("{}{}", shown, name)));
                }
            }
        }
        if !last {
            for (_, shown) in next.iter_mut() {
                shown.push('/');
            }
        }
        cands = next;
        if cands.is_empty() {
            return Vec::new();
        }
    }
    if field.last().is_some_and(|&(c, _)| c == '/') {
        cands.retain(|(p, _)| env.fs.is_dir(p));
        for (_, shown) in cands.iter_mut() {
            if !shown.ends_with('/') {
                shown.push('/');
            }
        }
    }
    let mut out: Vec<String> = cands.into_iter().map(|(_, s)| s).collect();
    crate::sort::sort(&mut out);
    out
}

/// Shell pattern matching of a name: `*`, `?`, `[...]` (with `!`/`^` and ranges); quoted
/// characters match only themselves.
pub fn fnmatch(pat: &[(char, bool)], name: &[char]) -> bool {
    let (mut p, mut s) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while s < name.len() {
        if p < pat.len() {
            let (c, q) = pat[p];
            if !q && c == '*' {
                star = Some((p, s));
                p += 1;
                continue;
            }
            if !q && c == '?' {
                p += 1;
                s += 1;
                continue;
            }
            if !q && c == '[' {
                if let Some((matched, len)) = bracket(&pat[p..], name[s]) {
                    if matched {
                        p += len;
                        s += 1;
                        continue;
                    }
                } else if name[s] == '[' {
                    p += 1;
                    s += 1;
                    continue;
                }
            } else if c == name[s] {
                p += 1;
                s += 1;
                continue;
            }
        }
        match star {
            Some((sp, ss)) => {
                p = sp + 1;
                s = ss + 1;
                star = Some((sp, ss + 1));
            }
            None => return false,
        }
    }
    pat[p..].iter().all(|&(c, q)| !q && c == '*')
}

/// A bracket expression at the start of `pat`: whether `c` matches and its length, or None
/// if it is not a complete bracket expression (then `[` is an ordinary character).
fn bracket(pat: &[(char, bool)], c: char) -> Option<(bool, usize)> {
    let mut i = 1;
    let negate = matches!(pat.get(1), Some(&('!', false)) | Some(&('^', false)));
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    while i < pat.len() {
        let (pc, _) = pat[i];
        if pc == ']' && !first {
            return Some((matched != negate, i + 1));
        }
        first = false;
        if i + 2 < pat.len() && pat[i + 1].0 == '-' && pat[i + 2].0 != ']' {
            if pc <= c && c <= pat[i + 2].0 {
                matched = true;
            }
            i += 3;
        } else {
            if pc == c {
                matched = true;
            }
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::shell::lexer::parse;

    fn unq(s: &str) -> Vec<(char, bool)> {
        s.chars().map(|c| (c, false)).collect()
    }

    #[test]
    fn patterns() {
        let n = |s: &str| s.chars().collect::<Vec<_>>();
        assert!(fnmatch(&unq("*.crt"), &n("ca.crt")));
        assert!(!fnmatch(&unq("*.crt"), &n("ca.key")));
        assert!(fnmatch(&unq("s?rver.*"), &n("server.key")));
        assert!(fnmatch(&unq("[a-c]*"), &n("ca.crt")));
        assert!(!fnmatch(&unq("[!a-c]*"), &n("ca.crt")));
        assert!(fnmatch(&unq("a*b*c"), &n("axxbyyc")));
        assert!(fnmatch(&[('*', true)], &n("*")));
        assert!(!fnmatch(&[('*', true)], &n("x")));
        assert!(fnmatch(&unq("[x"), &n("[x")));
    }

    #[test]
    fn fields_and_globs() {
        let mut fs = Fs::new(0);
        for d in ["/p", "/p/etcd"] {
            let c = fs.resolve(&[], d).unwrap().0;
            fs.mkdir(&c, 0).unwrap();
        }
        for f in ["/p/ca.crt", "/p/ca.key", "/p/etcd/server.crt", "/p/.hidden"] {
            let c = fs.resolve(&[], f).unwrap().0;
            fs.write(&c, b"", false, 0).unwrap();
        }
        let mut vars = BTreeMap::new();
        vars.insert("X".to_string(), " a  b ".to_string());
        vars.insert("E".to_string(), String::new());
        let env = Env {
            vars: &vars,
            status: 3,
            cwd: &["p".to_string()],
            fs: &fs,
        };
        let ex = |line: &str| -> Vec<String> {
            let s = parse(line).unwrap();
            s.0[0].1 .0[0]
                .words
                .iter()
                .flat_map(|w| expand_word(w, &env))
                .collect()
        };
        assert_eq!(ex("echo $X"), vec!["echo", "a", "b"]);
        assert_eq!(ex("echo \"$X\""), vec!["echo", " a  b "]);
        assert_eq!(ex("echo $E \"$E\" $?"), vec!["echo", "", "3"]);
        assert_eq!(ex("ls /p/*.crt"), vec!["ls", "/p/ca.crt"]);
        assert_eq!(ex("ls *"), vec!["ls", "ca.crt", "ca.key", "etcd"]);
        assert_eq!(ex("ls */*.crt '*'"), vec!["ls", "etcd/server.crt", "*"]);
        assert_eq!(ex("ls /p/*.none"), vec!["ls", "/p/*.none"]);
        assert_eq!(ex("ls /*/"), vec!["ls", "/p/"]);
        assert_eq!(ex("cd ~/x"), vec!["cd", "/root/x"]);
    }
}
