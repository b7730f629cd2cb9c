//! The node shell's parser: one command line into a list of pipelines of simple commands,
//! the bash subset a learner types on a node — words with `'…'`, `"…"`, `$'…'` and `\`
//! quoting, `$NAME` / `${NAME}` / `$?`, `~`, `#` comments, `|`, `&&`, `||`, `;`, `&`, and
//! the redirections `>`, `>>`, `<`, `2>`, `2>>`, `&>`, `2>&1`, `>&2` and `<<WORD` (the
//! here-document's lines come in separately, as on the etcdctl console).
//!
//! Owns: syntax and bash's syntax error texts. Must not touch: expansion against the
//! environment or the filesystem (`expand.rs`), running anything.

/// One piece of a word, before expansion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Unquoted text: subject to pathname expansion.
    Lit(String),
    /// Quoted text: taken as it is.
    Quoted(String),
    /// `$NAME` unquoted: its value is split into fields.
    Var(String),
    /// `"$NAME"`: its value stays one piece.
    QVar(String),
    /// `~` at the start of a word: the home directory.
    Tilde,
}

/// A word as typed: its parts in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Word(pub Vec<Part>);

impl Word {
    /// True if any part was quoted (a here-document delimiter then disables expansion).
    pub fn any_quoted(&self) -> bool {
        self.0
            .iter()
            .any(|p| matches!(p, Part::Quoted(_) | Part::QVar(_)))
    }
    /// The text of the word with quotes removed and no expansion (for delimiters).
    pub fn literal(&self) -> String {
        let mut s = String::new();
        for p in &self.0 {
            match p {
                Part::Lit(t) | Part::Quoted(t) => s.push_str(t),
                Part::Var(n) | Part::QVar(n) => {
                    s.push('$');
                    s.push_str(n);
                }
                Part::Tilde => s.push('~'),
            }
        }
        s
    }
}

/// A redirection of one file descriptor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Redirect {
    /// `[fd]>word` or `[fd]>>word`.
    Out { fd: u32, target: Word, append: bool },
    /// `&>word` / `&>>word`: stdout and stderr.
    Both { target: Word, append: bool },
    /// `[fd]<word`.
    In { fd: u32, target: Word },
    /// `[fd]>&n`.
    Dup { fd: u32, to: u32 },
    /// `<<WORD` / `<<-WORD`: stdin from the here-document.
    HereDoc {
        delimiter: String,
        expand: bool,
        strip_tabs: bool,
    },
}

/// A command with its assignments, words and redirections.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Simple {
    pub assigns: Vec<(String, Word)>,
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
}

/// Commands joined by `|`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pipeline(pub Vec<Simple>);

/// How a pipeline is joined to the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Join {
    /// First of the line, or after `;` / `&`.
    Seq,
    And,
    Or,
}

/// A parsed line: pipelines with the operator before each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Script(pub Vec<(Join, Pipeline)>);

impl Script {
    /// The here-document delimiter the line asks for, if any (the first one).
    pub fn heredoc(&self) -> Option<&str> {
        self.0
            .iter()
            .flat_map(|(_, p)| p.0.iter())
            .flat_map(|s| s.redirects.iter())
            .find_map(|r| match r {
                Redirect::HereDoc { delimiter, .. } => Some(delimiter.as_str()),
                _ => None,
            })
    }
}

/// A line bash would not run, with bash's text (after `bash: `).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError(pub String);

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Word(Word),
    /// An operator: `|`, `||`, `&&`, `;`, `&`, `>`, `>>`, `<`, `<<`, `<<-`, `>&`, `&>`, `&>>`.
    Op(&'static str),
    /// A redirection operator with an explicit descriptor (`2>`).
    FdOp(u32, &'static str),
}

const OPS: [&str; 13] = [
    "&>>", "<<-", "&&", "||", ">>", "<<", ">&", "&>", "|", ";", "&", ">", "<",
];

fn tokenize(line: &str) -> Result<Vec<Tok>, SyntaxError> {
    let chars: Vec<char> = line.chars().collect();
    let n = chars.len();
    let mut toks = Vec::new();
    let mut i = 0;
    let mut parts: Vec<Part> = Vec::new();
    let mut in_word = false;
    let mut lit = String::new();
    // pushes pending unquoted text into the parts
    fn flush_lit(lit: &mut String, parts: &mut Vec<Part>) {
        if !lit.is_empty() {
            parts.push(Part::Lit(std::mem::take(lit)));
        }
    }
    fn end_word(lit: &mut String, parts: &mut Vec<Part>, in_word: &mut bool, toks: &mut Vec<Tok>) {
        flush_lit(lit, parts);
        if *in_word {
            toks.push(Tok::Word(Word(std::mem::take(parts))));
            *in_word = false;
        }
    }
    while i < n {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\r' => {
                end_word(&mut lit, &mut parts, &mut in_word, &mut toks);
                i += 1;
            }
            '\n' => {
                end_word(&mut lit, &mut parts, &mut in_word, &mut toks);
                toks.push(Tok::Op(";"));
                i += 1;
            }
            '#' if !in_word => break,
            '|' | '&' | ';' | '<' | '>' => {
                // a word of digits right before `<`/`>` names a descriptor
                let fd = if matches!(c, '<' | '>')
                    && in_word
                    && parts.is_empty()
                    && !lit.is_empty()
                    && lit.chars().all(|d| d.is_ascii_digit())
                    && lit.len() < 4
                {
                    lit.parse::<u32>().ok()
                } else {
                    None
                };
                if fd.is_some() {
                    lit.clear();
                    in_word = false;
                } else {
                    end_word(&mut lit, &mut parts, &mut in_word, &mut toks);
                }
                let rest: String = chars[i..chars.len().min(i + 3)].iter().collect();
                let op = OPS
                    .iter()
                    .find(|o| rest.starts_with(**o))
                    .copied()
                    .unwrap_or(";");
                i += op.chars().count();
                match fd {
                    Some(fd) => toks.push(Tok::FdOp(fd, op)),
                    None => toks.push(Tok::Op(op)),
                }
            }
            '\'' => {
                in_word = true;
                flush_lit(&mut lit, &mut parts);
                let start = i + 1;
                let end = (start..n)
                    .find(|&j| chars[j] == '\'')
                    .ok_or_else(|| eof_quote('\''))?;
                parts.push(Part::Quoted(chars[start..end].iter().collect()));
                i = end + 1;
            }
            '$' if i + 1 < n && chars[i + 1] == '\'' => {
                in_word = true;
                flush_lit(&mut lit, &mut parts);
                // find the closing quote, skipping backslash escapes
                let mut j = i + 2;
                while j < n && chars[j] != '\'' {
                    j += if chars[j] == '\\' { 2 } else { 1 };
                }
                if j >= n {
                    return Err(eof_quote('\''));
                }
                let raw: String = chars[i..=j].iter().collect();
                let decoded = crate::etcdctl::shell::split(&raw)
                    .ok()
                    .and_then(|l| l.words.into_iter().next());
                parts.push(Part::Quoted(decoded.unwrap_or_default()));
                i = j + 1;
            }
            '"' => {
                in_word = true;
                flush_lit(&mut lit, &mut parts);
                i += 1;
                let mut text = String::new();
                loop {
                    if i >= n {
                        return Err(eof_quote('"'));
                    }
                    let d = chars[i];
                    if d == '"' {
                        i += 1;
                        break;
                    }
                    if d == '\\' && i + 1 < n && matches!(chars[i + 1], '"' | '\\' | '$' | '`') {
                        text.push(chars[i + 1]);
                        i += 2;
                        continue;
                    }
                    if d == '$' {
                        if let Some((name, len)) = var_at(&chars[i..]) {
                            if !text.is_empty() {
                                parts.push(Part::Quoted(std::mem::take(&mut text)));
                            }
                            parts.push(Part::QVar(name));
                            i += len;
                            continue;
                        }
                    }
                    text.push(d);
                    i += 1;
                }
                parts.push(Part::Quoted(text));
            }
            '\\' => {
                if i + 1 < n {
                    if chars[i + 1] != '\n' {
                        in_word = true;
                        flush_lit(&mut lit, &mut parts);
                        parts.push(Part::Quoted(chars[i + 1].to_string()));
                    }
                    i += 2;
                } else {
                    i += 1;
                }
            }
            '$' => {
                in_word = true;
                if let Some((name, len)) = var_at(&chars[i..]) {
                    flush_lit(&mut lit, &mut parts);
                    parts.push(Part::Var(name));
                    i += len;
                } else {
                    lit.push('$');
                    i += 1;
                }
            }
            '~' if !in_word
                && (i + 1 == n || matches!(chars[i + 1], '/' | ' ' | '\t' | ';' | '|' | '&')) =>
            {
                in_word = true;
                parts.push(Part::Tilde);
                i += 1;
            }
            _ => {
                in_word = true;
                lit.push(c);
                i += 1;
            }
        }
    }
    end_word(&mut lit, &mut parts, &mut in_word, &mut toks);
    Ok(toks)
}

fn eof_quote(q: char) -> SyntaxError {
    SyntaxError(format!("unexpected EOF while looking for matching `{}'", q))
}

/// `$NAME`, `${NAME}` or `$?` at the start of `s`: the name and the length consumed.
fn var_at(s: &[char]) -> Option<(String, usize)> {
    match s.get(1)? {
        '?' | '$' | '#' | '0' => Some((s[1].to_string(), 2)),
        '{' => {
            let end = s.iter().position(|&c| c == '}')?;
            let name: String = s[2..end].iter().collect();
            if crate::etcdctl::shell::is_name(&name) || name == "?" {
                Some((name, end + 1))
            } else {
                None
            }
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

fn unexpected(t: Option<&Tok>) -> SyntaxError {
    let shown = match t {
        None => "newline".to_string(),
        Some(Tok::Op(o)) => o.to_string(),
        Some(Tok::FdOp(fd, o)) => format!("{}{}", fd, o),
        Some(Tok::Word(w)) => w.literal(),
    };
    SyntaxError(format!("syntax error near unexpected token `{}'", shown))
}

/// Parses one line.
pub fn parse(line: &str) -> Result<Script, SyntaxError> {
    let toks = tokenize(line)?;
    let mut script = Script::default();
    let mut join = Join::Seq;
    let mut pipeline = Pipeline::default();
    let mut cmd = Simple::default();
    let mut i = 0;
    // true once the current command has a word or redirection
    let mut started = false;
    while i < toks.len() {
        match &toks[i] {
            Tok::Word(w) => {
                let text = w.literal();
                let assign = match (&w.0.first(), text.split_once('=')) {
                    (Some(Part::Lit(first)), Some((name, _)))
                        if cmd.words.is_empty()
                            && crate::etcdctl::shell::is_name(name)
                            && first.contains('=') =>
                    {
                        Some(name.to_string())
                    }
                    _ => None,
                };
                match assign {
                    Some(name) => cmd
                        .assigns
                        .push((name.clone(), strip_prefix(w, name.len() + 1))),
                    None => cmd.words.push(w.clone()),
                }
                started = true;
                i += 1;
            }
            Tok::Op(op @ (">" | ">>" | "<" | "&>" | "&>>" | "<<" | "<<-" | ">&")) => {
                let fd_default = if op.starts_with('<') { 0 } else { 1 };
                let r = redirect(fd_default, op, toks.get(i + 1))?;
                cmd.redirects.push(r);
                started = true;
                i += 2;
            }
            Tok::FdOp(fd, op) => {
                if matches!(*op, "|" | "||" | "&&" | ";" | "&" | "&>" | "&>>") {
                    return Err(unexpected(Some(&toks[i])));
                }
                let r = redirect(*fd, op, toks.get(i + 1))?;
                cmd.redirects.push(r);
                started = true;
                i += 2;
            }
            Tok::Op(op) => {
                if !started {
                    return Err(unexpected(Some(&toks[i])));
                }
                pipeline.0.push(std::mem::take(&mut cmd));
                started = false;
                match *op {
                    "|" => {
                        if i + 1 == toks.len() {
                            return Err(SyntaxError("syntax error: unexpected end of file".into()));
                        }
                    }
                    "&&" | "||" => {
                        script.0.push((join, std::mem::take(&mut pipeline)));
                        join = if *op == "&&" { Join::And } else { Join::Or };
                        if i + 1 == toks.len() {
                            return Err(SyntaxError("syntax error: unexpected end of file".into()));
                        }
                    }
                    _ => {
                        script.0.push((join, std::mem::take(&mut pipeline)));
                        join = Join::Seq;
                    }
                }
                i += 1;
            }
        }
    }
    if started {
        pipeline.0.push(cmd);
    }
    if !pipeline.0.is_empty() {
        script.0.push((join, pipeline));
    }
    Ok(script)
}

/// The value part of an assignment word (`NAME=` removed from its first part).
fn strip_prefix(w: &Word, n: usize) -> Word {
    let mut parts = w.0.clone();
    if let Some(Part::Lit(first)) = parts.first_mut() {
        *first = first.chars().skip(n).collect();
        if first.is_empty() {
            parts.remove(0);
        }
    }
    Word(parts)
}

fn redirect(fd: u32, op: &str, next: Option<&Tok>) -> Result<Redirect, SyntaxError> {
    let word = match next {
        Some(Tok::Word(w)) => w.clone(),
        other => return Err(unexpected(other)),
    };
    Ok(match op {
        ">" => Redirect::Out {
            fd,
            target: word,
            append: false,
        },
        ">>" => Redirect::Out {
            fd,
            target: word,
            append: true,
        },
        "<" => Redirect::In { fd, target: word },
        "&>" => Redirect::Both {
            target: word,
            append: false,
        },
        "&>>" => Redirect::Both {
            target: word,
            append: true,
        },
        ">&" => match word.literal().parse::<u32>() {
            Ok(to) if !word.any_quoted() => Redirect::Dup { fd, to },
            // `>&file` is `&>file`
            _ => Redirect::Both {
                target: word,
                append: false,
            },
        },
        _ => Redirect::HereDoc {
            delimiter: word.literal(),
            expand: !word.any_quoted(),
            strip_tabs: op == "<<-",
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lits(s: &Simple) -> Vec<String> {
        s.words.iter().map(Word::literal).collect()
    }

    #[test]
    fn words_quotes_and_vars() {
        let s = parse(r#"echo 'a b' "c $HOME d" e\ f $'g\th' ${X}y"#).unwrap();
        let cmd = &s.0[0].1 .0[0];
        assert_eq!(
            lits(cmd),
            vec!["echo", "a b", "c $HOME d", "e f", "g\th", "$Xy"]
        );
        assert_eq!(cmd.words[2].0[1], Part::QVar("HOME".into()));
    }

    #[test]
    fn operators_and_redirections() {
        let s = parse("cat a|grep -v x > out 2>&1 && ls; echo done # note").unwrap();
        assert_eq!(s.0.len(), 3);
        assert_eq!(s.0[0].1 .0.len(), 2);
        assert_eq!(s.0[1].0, Join::And);
        let grep = &s.0[0].1 .0[1];
        assert_eq!(grep.redirects.len(), 2);
        assert_eq!(grep.redirects[1], Redirect::Dup { fd: 2, to: 1 });
        let h = parse("cat > /tmp/f <<'EOF'").unwrap();
        assert_eq!(h.heredoc(), Some("EOF"));
        assert!(matches!(
            h.0[0].1 .0[0].redirects[1],
            Redirect::HereDoc { expand: false, .. }
        ));
    }

    #[test]
    fn assignments_and_errors() {
        let s = parse("ETCDCTL_API=3 etcdctl get x").unwrap();
        assert_eq!(s.0[0].1 .0[0].assigns[0].0, "ETCDCTL_API");
        assert_eq!(
            parse("ls |").unwrap_err().0,
            "syntax error: unexpected end of file"
        );
        assert_eq!(
            parse("| ls").unwrap_err().0,
            "syntax error near unexpected token `|'"
        );
        assert_eq!(
            parse("echo >").unwrap_err().0,
            "syntax error near unexpected token `newline'"
        );
        assert_eq!(
            parse("echo 'x").unwrap_err().0,
            "unexpected EOF while looking for matching `''"
        );
        assert!(parse("").unwrap().0.is_empty());
        assert!(parse("   # only a comment").unwrap().0.is_empty());
    }
}
