//! The console's small shell: bash-like word splitting (quotes, `$'...'` ANSI-C quoting,
//! backslash escapes, adjacent parts joined, `#` comments), `NAME=VALUE` prefixes, and the
//! here-document marker `<<EOF` (its lines come in separately as stdin).
//!
//! Owns: turning one command line into words. Must not touch: etcdctl semantics.

/// One command line split into words.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Line {
    pub words: Vec<String>,
    /// The here-document terminator if the line ended with `<<WORD`.
    pub heredoc: Option<String>,
    /// The comment text after an unquoted `#` at the start of a word (without the `#`).
    pub comment: Option<String>,
}

/// Why a line could not be split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShellError {
    UnterminatedQuote(char),
}

impl std::fmt::Display for ShellError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShellError::UnterminatedQuote(q) => {
                write!(f, "unexpected EOF while looking for matching `{}'", q)
            }
        }
    }
}

/// Splits a line into words as bash does for the subset in FORMAT.md 2.1.
pub fn split(line: &str) -> Result<Line, ShellError> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Line::default();
    let mut i = 0usize;
    let n = chars.len();
    let mut cur = String::new();
    let mut in_word = false;
    // a `<<` seen: the next word is the heredoc terminator
    let mut want_heredoc = false;
    let push = |out: &mut Line, cur: &mut String, in_word: &mut bool, want_heredoc: &mut bool| {
        if *in_word {
            let w = std::mem::take(cur);
            if *want_heredoc {
                out.heredoc = Some(w.trim_matches(|c| c == '\'' || c == '"').to_string());
                *want_heredoc = false;
            } else {
                out.words.push(w);
            }
            *in_word = false;
        }
    };
    while i < n {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\r' | '\n' => {
                push(&mut out, &mut cur, &mut in_word, &mut want_heredoc);
                i += 1;
            }
            '#' if !in_word => {
                let rest: String = chars[i + 1..].iter().collect();
                out.comment = Some(rest);
                break;
            }
            '<' if !in_word && i + 1 < n && chars[i + 1] == '<' => {
                i += 2;
                while i < n && (chars[i] == ' ' || chars[i] == '\t') {
                    i += 1;
                }
                let mut w = String::new();
                while i < n && !matches!(chars[i], ' ' | '\t') {
                    w.push(chars[i]);
                    i += 1;
                }
                out.heredoc = Some(w.trim_matches(|c| c == '\'' || c == '"').to_string());
                want_heredoc = false;
            }
            '\'' => {
                in_word = true;
                i += 1;
                loop {
                    if i >= n {
                        return Err(ShellError::UnterminatedQuote('\''));
                    }
                    if chars[i] == '\'' {
                        i += 1;
                        break;
                    }
                    cur.push(chars[i]);
                    i += 1;
                }
            }
            '"' => {
                in_word = true;
                i += 1;
                loop {
                    if i >= n {
                        return Err(ShellError::UnterminatedQuote('"'));
                    }
                    let d = chars[i];
                    if d == '"' {
                        i += 1;
                        break;
                    }
                    if d == '\\' && i + 1 < n && matches!(chars[i + 1], '"' | '\\' | '$' | '`') {
                        cur.push(chars[i + 1]);
                        i += 2;
                        continue;
                    }
                    cur.push(d);
                    i += 1;
                }
            }
            '$' if i + 1 < n && chars[i + 1] == '\'' => {
                in_word = true;
                i += 2;
                loop {
                    if i >= n {
                        return Err(ShellError::UnterminatedQuote('\''));
                    }
                    let d = chars[i];
                    if d == '\'' {
                        i += 1;
                        break;
                    }
                    if d == '\\' && i + 1 < n {
                        let e = chars[i + 1];
                        i += 2;
                        match e {
                            'n' => cur.push('\n'),
                            't' => cur.push('\t'),
                            'r' => cur.push('\r'),
                            'a' => cur.push('\x07'),
                            'b' => cur.push('\x08'),
                            'e' | 'E' => cur.push('\x1b'),
                            'f' => cur.push('\x0c'),
                            'v' => cur.push('\x0b'),
                            '0'..='7' => {
                                let mut v = e.to_digit(8).unwrap_or(0);
                                let mut k = 0;
                                while k < 2 && i < n && chars[i].is_digit(8) {
                                    v = v * 8 + chars[i].to_digit(8).unwrap_or(0);
                                    i += 1;
                                    k += 1;
                                }
                                cur.push(char::from_u32(v & 0xff).unwrap_or('?'));
                            }
                            'x' => {
                                let mut v = 0u32;
                                let mut k = 0;
                                while k < 2 && i < n && chars[i].is_ascii_hexdigit() {
                                    v = v * 16 + chars[i].to_digit(16).unwrap_or(0);
                                    i += 1;
                                    k += 1;
                                }
                                if k == 0 {
                                    cur.push('\\');
                                    cur.push('x');
                                } else {
                                    cur.push(char::from_u32(v).unwrap_or('?'));
                                }
                            }
                            '\\' | '\'' | '"' | '?' => cur.push(e),
                            other => {
                                cur.push('\\');
                                cur.push(other);
                            }
                        }
                        continue;
                    }
                    cur.push(d);
                    i += 1;
                }
            }
            '\\' => {
                if i + 1 < n {
                    // `\<newline>` is a line continuation: bash removes it, word and all
                    if chars[i + 1] != '\n' {
                        in_word = true;
                        cur.push(chars[i + 1]);
                    }
                    i += 2;
                } else {
                    i += 1;
                }
            }
            _ => {
                in_word = true;
                cur.push(c);
                i += 1;
            }
        }
    }
    push(&mut out, &mut cur, &mut in_word, &mut want_heredoc);
    Ok(out)
}

/// Splits leading `NAME=VALUE` words off a command.
pub fn split_assignments(words: &[String]) -> (Vec<(String, String)>, Vec<String>) {
    let mut env = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        match w.split_once('=') {
            Some((name, value)) if is_name(name) => {
                env.push((name.to_string(), value.to_string()));
                i += 1;
            }
            _ => break,
        }
    }
    (env, words[i..].to_vec())
}

/// A shell variable name.
pub fn is_name(s: &str) -> bool {
    let mut cs = s.chars();
    match cs.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        split(s).unwrap().words
    }

    #[test]
    fn line_continuations_vanish() {
        assert_eq!(
            w("docker run \\\n  -d \\\n  img"),
            vec!["docker", "run", "-d", "img"]
        );
        assert_eq!(w("a\\\nb"), vec!["ab"]);
    }

    #[test]
    fn quotes_and_joining() {
        assert_eq!(
            w(r#"etcdctl put "key with spaces" 'it"s'"#),
            vec!["etcdctl", "put", "key with spaces", "it\"s"]
        );
        assert_eq!(w(r#"a"b"'c'd"#), vec!["abcd"]);
        assert_eq!(w(r#"put empty """#), vec!["put", "empty", ""]);
        assert_eq!(w(r#""a\"b\\c\$d\e""#), vec!["a\"b\\c$d\\e"]);
    }

    #[test]
    fn ansi_c() {
        assert_eq!(
            w(r"put multi $'line one\nline two'"),
            vec!["put", "multi", "line one\nline two"]
        );
        assert_eq!(w(r"$'a\tb\x41\'\\'"), vec!["a\tbA'\\"]);
    }

    #[test]
    fn comments_and_heredoc() {
        let l = split("etcdctl watch foo  # timeout 2").unwrap();
        assert_eq!(l.words, vec!["etcdctl", "watch", "foo"]);
        assert_eq!(l.comment.as_deref(), Some(" timeout 2"));
        let l = split("etcdctl txn <<EOF").unwrap();
        assert_eq!(l.words, vec!["etcdctl", "txn"]);
        assert_eq!(l.heredoc.as_deref(), Some("EOF"));
        assert_eq!(w("a#b"), vec!["a#b"]);
    }

    #[test]
    fn assignments() {
        let (env, rest) = split_assignments(&w("ETCDCTL_API=2 etcdctl get /foo"));
        assert_eq!(env, vec![("ETCDCTL_API".to_string(), "2".to_string())]);
        assert_eq!(rest, vec!["etcdctl", "get", "/foo"]);
    }

    #[test]
    fn unterminated() {
        assert!(split("a 'b").is_err());
    }
}
