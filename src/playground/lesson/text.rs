//! A lesson's prose: paragraphs of plain text with `code` spans, *emphasis* and
//! [links](https://...).
//! Nothing else of Markdown: the page draws these pieces as text nodes, code and emphasis
//! elements and links, never as markup, and a link is kept only when it is an `https://` address.
//!
//! Owns: [`Inline`], [`Paragraph`], cutting text into them.

/// A piece of a paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Code(String),
    /// `*a term*` (a word being defined).
    Emphasis(String),
    Link {
        text: String,
        url: String,
    },
}

pub type Paragraph = Vec<Inline>;

/// Cuts lines into paragraphs (an empty line separates them; lines of one paragraph are
/// joined with a space).
pub fn paragraphs(lines: &[&str]) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for l in lines.iter().chain(std::iter::once(&"")) {
        if l.trim().is_empty() {
            if !cur.is_empty() {
                out.push(inline(&cur.join(" ")));
                cur.clear();
            }
        } else {
            cur.push(l.trim());
        }
    }
    out
}

/// Cuts one paragraph's text into its pieces.
pub fn inline(text: &str) -> Paragraph {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            if let Some(end) = rest[1..].find('`') {
                flush(&mut plain, &mut out);
                out.push(Inline::Code(rest[1..1 + end].to_string()));
                rest = &rest[end + 2..];
                continue;
            }
        }
        if c == '*' {
            // `*word*`: not `* ` (a list-like star) and not an empty pair
            let inner = &rest[1..];
            if let Some(end) = inner.find('*') {
                let word = &inner[..end];
                if !word.is_empty() && !word.starts_with(' ') && !word.ends_with(' ') {
                    flush(&mut plain, &mut out);
                    out.push(Inline::Emphasis(word.to_string()));
                    rest = &inner[end + 1..];
                    continue;
                }
            }
        }
        if c == '[' {
            if let Some(link) = link_at(rest) {
                flush(&mut plain, &mut out);
                let (text, url, len) = link;
                out.push(if url.starts_with("https://") {
                    Inline::Link { text, url }
                } else {
                    Inline::Text(text)
                });
                rest = &rest[len..];
                continue;
            }
        }
        plain.push(c);
        rest = &rest[c.len_utf8()..];
    }
    flush(&mut plain, &mut out);
    out
}

/// `[text](url)` at the start of `s`: its text, address and length.
fn link_at(s: &str) -> Option<(String, String, usize)> {
    let close = s.find("](")?;
    let text = &s[1..close];
    if text.contains('[') || text.contains(']') {
        return None;
    }
    let after = &s[close + 2..];
    let end = after.find(')')?;
    let url = &after[..end];
    if url.contains(char::is_whitespace) {
        return None;
    }
    Some((text.to_string(), url.to_string(), close + 2 + end + 1))
}

fn flush(plain: &mut String, out: &mut Paragraph) {
    if !plain.is_empty() {
        out.push(Inline::Text(std::mem::take(plain)));
    }
}

/// The paragraph as plain text (the CLI prints this).
pub fn plain(p: &Paragraph) -> String {
    p.iter()
        .map(|i| match i {
            Inline::Text(t) => t.clone(),
            Inline::Code(c) => format!("`{c}`"),
            Inline::Emphasis(t) => format!("*{t}*"),
            Inline::Link { text, url } => format!("{text} <{url}>"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_links_and_plain_text() {
        let p = inline("Run `etcdctl put a b`, see [the docs](https://etcd.io/docs/) or [x](javascript:alert(1)) [unclosed");
        assert_eq!(
            p,
            vec![
                Inline::Text("Run ".into()),
                Inline::Code("etcdctl put a b".into()),
                Inline::Text(", see ".into()),
                Inline::Link {
                    text: "the docs".into(),
                    url: "https://etcd.io/docs/".into()
                },
                Inline::Text(" or ".into()),
                Inline::Text("x".into()),
                Inline::Text(") [unclosed".into()),
            ]
        );
    }

    #[test]
    fn emphasis_marks_a_term() {
        assert_eq!(
            inline("one *term* here, 2 * 3 * 4, a ** b"),
            vec![
                Inline::Text("one ".into()),
                Inline::Emphasis("term".into()),
                Inline::Text(" here, 2 * 3 * 4, a ** b".into()),
            ]
        );
    }

    #[test]
    fn paragraphs_split_on_empty_lines() {
        let ps = paragraphs(&["one", "two", "", "", "three `x"]);
        assert_eq!(ps.len(), 2);
        assert_eq!(plain(&ps[0]), "one two");
        assert_eq!(plain(&ps[1]), "three `x");
    }
}
