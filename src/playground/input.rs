//! Console input as a terminal reads it: text typed or pasted is cut into commands. A line
//! that ends with `\` continues on the next line (one command, as bash joins it); a line
//! ending in `<<WORD` takes the following lines up to `WORD` as its stdin (a here-document);
//! every other line is a command of its own; empty lines are skipped.
//!
//! Owns: that cutting. Must not touch: running commands (the playground and the page do it).

/// One command cut from the input: its line(s) as typed (continuations kept, so it shows as
/// it was typed; the shell removes each `\`+newline) and its here-document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InputCommand {
    pub line: String,
    /// The here-document's lines, each ended by a newline (without the terminator line).
    pub stdin: Option<String>,
}

/// Whether a line ends with a `\` that escapes its newline (an odd run of backslashes).
pub fn continues(line: &str) -> bool {
    line.chars().rev().take_while(|c| *c == '\\').count() % 2 == 1
}

/// The here-document terminator of a command ending in `<<WORD` (quotes around WORD allowed).
/// A `<<` inside quotes, escaped, in a comment or in a here-string (`<<<`) is not one.
pub fn heredoc_terminator(line: &str) -> Option<String> {
    let pos = unquoted_heredoc(line)?;
    let word = line.get(pos + 2..)?.trim();
    let word = word.trim_matches(|c| c == '\'' || c == '"');
    (!word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then(|| word.to_string())
}

/// The byte offset of the last `<<` that bash would read as a here-document operator: outside
/// single and double quotes, not escaped by `\\`, before any `#` comment, not part of `<<<`.
fn unquoted_heredoc(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    let mut last = None;
    let mut quote: Option<u8> = None;
    let mut i = 0usize;
    while let Some(&c) = b.get(i) {
        match quote {
            Some(b'\'') => {
                if c == b'\'' {
                    quote = None;
                }
            }
            Some(_) => {
                if c == b'\\' {
                    i += 1;
                } else if c == b'"' {
                    quote = None;
                }
            }
            None => match c {
                b'\\' => i += 1,
                b'\'' | b'"' => quote = Some(c),
                b'#' if i == 0 || b.get(i - 1).is_some_and(u8::is_ascii_whitespace) => break,
                b'<' if b.get(i + 1) == Some(&b'<') => {
                    let run = b[i..].iter().take_while(|&&x| x == b'<').count();
                    if run == 2 {
                        last = Some(i);
                    }
                    i += run;
                    continue;
                }
                _ => {}
            },
        }
        i += 1;
    }
    last
}

/// Cuts `text` into the commands it completes, in order, and the unfinished rest: the last
/// line when no newline ends it, a command whose last line still continues, or a
/// here-document whose terminator has not come yet. The rest is a suffix of `text`.
pub fn split_input(text: &str) -> (Vec<InputCommand>, String) {
    let mut commands = Vec::new();
    // Byte offset where the unfinished part starts.
    let mut done = 0usize;
    let mut pos = 0usize;
    let mut current: Option<String> = None;
    while pos < text.len() {
        let rest = text.get(pos..).unwrap_or("");
        let Some(nl) = rest.find('\n') else {
            break; // a line without its newline: not finished
        };
        let line = rest.get(..nl).unwrap_or("").trim_end_matches('\r');
        pos += nl + 1;
        let mut cmd = match current.take() {
            Some(mut c) => {
                c.push('\n');
                c.push_str(line);
                c
            }
            None => {
                if line.trim().is_empty() {
                    done = pos;
                    continue;
                }
                line.to_string()
            }
        };
        if continues(&cmd) {
            current = Some(cmd);
            continue;
        }
        let mut stdin = None;
        if let Some(term) = heredoc_terminator(&cmd) {
            let mut block = String::new();
            let mut found = false;
            let mut p = pos;
            while p < text.len() {
                let r = text.get(p..).unwrap_or("");
                let Some(nl) = r.find('\n') else {
                    break;
                };
                let l = r.get(..nl).unwrap_or("").trim_end_matches('\r');
                p += nl + 1;
                if l == term {
                    found = true;
                    break;
                }
                block.push_str(l);
                block.push('\n');
            }
            if !found {
                break; // the here-document is still being typed
            }
            pos = p;
            stdin = Some(block);
        }
        cmd.truncate(cmd.trim_end().len());
        commands.push(InputCommand { line: cmd, stdin });
        done = pos;
    }
    (commands, text.get(done..).unwrap_or("").to_string())
}

/// Cuts a whole input (as when Enter is pressed: whatever is typed is finished) into
/// commands. `None` when it is not finished yet: its last line continues with `\`, or a
/// here-document has not met its terminator; then Enter adds a line instead of running.
pub fn complete_input(text: &str) -> Option<Vec<InputCommand>> {
    let (commands, rest) = split_input(&format!("{text}\n"));
    rest.trim().is_empty().then_some(commands)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(cs: &[InputCommand]) -> Vec<&str> {
        cs.iter().map(|c| c.line.as_str()).collect()
    }

    #[test]
    fn continuation_lines_make_one_command() {
        let text = "docker run -d \\\n  --name etcd-gcr-v3.4.33 \\\n  gcr.io/etcd-development/etcd:v3.4.33\netcdctl get foo\n";
        let (cs, rest) = split_input(text);
        assert_eq!(
            lines(&cs),
            vec![
                "docker run -d \\\n  --name etcd-gcr-v3.4.33 \\\n  gcr.io/etcd-development/etcd:v3.4.33",
                "etcdctl get foo"
            ]
        );
        assert_eq!(rest, "");
    }

    #[test]
    fn an_unfinished_tail_stays() {
        let (cs, rest) = split_input("etcdctl put a 1\netcdctl get a");
        assert_eq!(lines(&cs), vec!["etcdctl put a 1"]);
        assert_eq!(rest, "etcdctl get a");
        let (cs, rest) = split_input("a \\\nb \\\n");
        assert!(cs.is_empty());
        assert_eq!(rest, "a \\\nb \\\n");
        assert_eq!(complete_input("a \\"), None);
        assert_eq!(lines(&complete_input("a \\\nb").unwrap()), vec!["a \\\nb"]);
    }

    #[test]
    fn here_documents_take_their_lines() {
        let text = "etcdctl txn <<EOF\nvalue(\"a\") = \"1\"\n\nput a 2\n\nEOF\n\netcdctl get a\n";
        let (cs, rest) = split_input(text);
        assert_eq!(cs.len(), 2);
        assert_eq!(cs[0].line, "etcdctl txn <<EOF");
        assert_eq!(
            cs[0].stdin.as_deref(),
            Some("value(\"a\") = \"1\"\n\nput a 2\n\n")
        );
        assert_eq!(cs[1].line, "etcdctl get a");
        assert_eq!(rest, "");
        assert_eq!(complete_input("etcdctl txn <<EOF\nput a 1"), None);
    }

    #[test]
    fn escaped_backslashes_and_odd_input() {
        assert!(!continues("echo a\\\\"));
        assert!(continues("echo a\\\\\\"));
        let (cs, _) = split_input("\n\r\n  \n\u{1F600} \\\n\\\n\n");
        assert_eq!(lines(&cs), vec!["\u{1F600} \\\n\\"]);
        assert_eq!(heredoc_terminator("cat <<'END'"), Some("END".to_string()));
        assert_eq!(heredoc_terminator("x <<"), None);
    }

    #[test]
    fn heredoc_operator_only_outside_quotes_and_comments() {
        assert_eq!(heredoc_terminator("etcdctl put k \"a<<b\""), None);
        assert_eq!(heredoc_terminator("etcdctl put k 'a<<b'"), None);
        assert_eq!(heredoc_terminator("etcdctl put k a\\<<b"), None);
        assert_eq!(heredoc_terminator("etcdctl put k v # <<EOF"), None);
        assert_eq!(heredoc_terminator("cat <<<EOF"), None);
        assert_eq!(heredoc_terminator("etcdctl put k \"a\\\"<<b\""), None);
        assert_eq!(
            heredoc_terminator("etcdctl put \"k<<\" v <<EOF"),
            Some("EOF".into())
        );
        assert_eq!(
            heredoc_terminator("etcdctl txn <<\"EOF\""),
            Some("EOF".into())
        );
        assert_eq!(heredoc_terminator("x a#b <<EOF"), Some("EOF".into()));
        assert_eq!(heredoc_terminator("é <<EOF"), Some("EOF".into()));
        let (cs, rest) = split_input("etcdctl put k \"a<<b\"\netcdctl get k\n");
        assert_eq!((cs.len(), rest.as_str()), (2, ""));
    }
}
