//! jq's filter language, the subset this jq runs: lexer, parser and the check that every
//! builtin named exists (jq's compile errors).
//!
//! Owns: [`Ast`] and compile errors. Must not touch: evaluation.

use super::value::Jv;

// ---- the filter language -----------------------------------------------------------------

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Ast {
    Identity,
    /// `..`
    Recurse,
    Lit(Jv),
    /// `E.key` / `E["key"]` / `E[N]`
    Index(Box<Ast>, Box<Ast>),
    /// `E[from:to]`
    Slice(Box<Ast>, Option<Box<Ast>>, Option<Box<Ast>>),
    /// `E[]`
    Iterate(Box<Ast>),
    /// `E?`
    Try(Box<Ast>),
    Pipe(Box<Ast>, Box<Ast>),
    Comma(Box<Ast>, Box<Ast>),
    Alt(Box<Ast>, Box<Ast>),
    And(Box<Ast>, Box<Ast>),
    Or(Box<Ast>, Box<Ast>),
    Cmp(&'static str, Box<Ast>, Box<Ast>),
    Arith(char, Box<Ast>, Box<Ast>),
    Collect(Option<Box<Ast>>),
    Call(String, Vec<Ast>),
    Format(String),
}

/// A filter jq would not compile: jq's message lines (without `jq: 1 compile error`).
pub(super) struct CompileError(pub(super) String);

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Tok {
    Dot,
    DotDot,
    /// `.name` / `."name"` after a dot: the key
    Field(String),
    Ident(String),
    Format(String),
    Str(String),
    Num(f64),
    Op(&'static str),
}

pub(super) fn syntax_error(filter: &str, unexpected: &str) -> CompileError {
    // at the end of the filter, jq pads the quoted line with a space per character but one
    let pad = if unexpected == "$end" {
        " ".repeat(filter.chars().count().saturating_sub(1))
    } else {
        String::new()
    };
    CompileError(format!(
        "jq: error: syntax error, unexpected {unexpected} (Unix shell quoting issues?) at <top-level>, line 1:\n{filter}{pad}"
    ))
}

pub(super) fn lex(src: &str) -> Result<Vec<Tok>, CompileError> {
    let c: Vec<char> = src.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < c.len() {
        let ch = c[i];
        if ch.is_whitespace() {
            i += 1;
            continue;
        }
        if ch == '#' {
            break;
        }
        if ch == '.' {
            if c.get(i + 1) == Some(&'.') {
                out.push(Tok::DotDot);
                i += 2;
                continue;
            }
            let mut j = i + 1;
            if j < c.len() && (c[j].is_alphabetic() || c[j] == '_') {
                while j < c.len() && (c[j].is_alphanumeric() || c[j] == '_') {
                    j += 1;
                }
                out.push(Tok::Field(c[i + 1..j].iter().collect()));
                i = j;
                continue;
            }
            if c.get(j) == Some(&'"') {
                let (s, k) = lex_string(&c, j, src)?;
                out.push(Tok::Field(s));
                i = k;
                continue;
            }
            out.push(Tok::Dot);
            i += 1;
            continue;
        }
        if ch == '"' {
            let (s, k) = lex_string(&c, i, src)?;
            out.push(Tok::Str(s));
            i = k;
            continue;
        }
        if ch == '@' || ch.is_alphabetic() || ch == '_' || ch == '$' {
            let mut j = i + 1;
            while j < c.len() && (c[j].is_alphanumeric() || c[j] == '_') {
                j += 1;
            }
            let w: String = c[i..j].iter().collect();
            if ch == '$' {
                return Err(CompileError(format!(
                    "jq: error: {w} is not defined at <top-level>, line 1:\n{src}"
                )));
            }
            out.push(if ch == '@' {
                Tok::Format(w)
            } else {
                Tok::Ident(w)
            });
            i = j;
            continue;
        }
        if ch.is_ascii_digit() {
            let mut j = i;
            while j < c.len() && (c[j].is_ascii_digit() || c[j] == '.') {
                j += 1;
            }
            if j < c.len() && (c[j] == 'e' || c[j] == 'E') {
                j += 1;
                if j < c.len() && (c[j] == '+' || c[j] == '-') {
                    j += 1;
                }
                while j < c.len() && c[j].is_ascii_digit() {
                    j += 1;
                }
            }
            let t: String = c[i..j].iter().collect();
            let n = t
                .parse::<f64>()
                .map_err(|_| syntax_error(src, "INVALID_CHARACTER"))?;
            out.push(Tok::Num(n));
            i = j;
            continue;
        }
        let two: String = c[i..(i + 2).min(c.len())].iter().collect();
        let op2 = ["==", "!=", "<=", ">=", "//"]
            .into_iter()
            .find(|o| *o == two);
        if let Some(o) = op2 {
            out.push(Tok::Op(o));
            i += 2;
            continue;
        }
        let op1 = [
            "|", ",", "(", ")", "[", "]", "{", "}", ":", "<", ">", "?", "+", "-", "*", "/",
        ]
        .into_iter()
        .find(|o| o.starts_with(ch));
        match op1 {
            Some(o) => {
                out.push(Tok::Op(o));
                i += 1;
            }
            None => return Err(syntax_error(src, "INVALID_CHARACTER")),
        }
    }
    Ok(out)
}

pub(super) fn lex_string(
    c: &[char],
    start: usize,
    src: &str,
) -> Result<(String, usize), CompileError> {
    let mut s = String::new();
    let mut j = start + 1;
    while j < c.len() {
        match c[j] {
            '"' => return Ok((s, j + 1)),
            '\\' => {
                j += 1;
                match c.get(j) {
                    Some('n') => s.push('\n'),
                    Some('t') => s.push('\t'),
                    Some('r') => s.push('\r'),
                    Some('/') => s.push('/'),
                    Some('\\') => s.push('\\'),
                    Some('"') => s.push('"'),
                    _ => return Err(syntax_error(src, "INVALID_CHARACTER")),
                }
            }
            ch => s.push(ch),
        }
        j += 1;
    }
    Err(syntax_error(src, "$end"))
}

pub(super) struct Parser<'a> {
    toks: Vec<Tok>,
    at: usize,
    src: &'a str,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }
    fn is_op(&self, o: &str) -> bool {
        matches!(self.peek(), Some(Tok::Op(x)) if *x == o)
    }
    fn unexpected(&self) -> CompileError {
        let what = match self.peek() {
            None => "$end".to_string(),
            Some(Tok::Op(o)) => format!("'{o}'"),
            Some(Tok::Ident(_)) => "IDENT".to_string(),
            Some(Tok::Field(_)) => "FIELD".to_string(),
            Some(Tok::Str(_)) => "QQSTRING_START".to_string(),
            Some(Tok::Num(_)) => "LITERAL".to_string(),
            Some(Tok::Format(_)) => "FORMAT".to_string(),
            Some(Tok::Dot) => "'.'".to_string(),
            Some(Tok::DotDot) => "REC".to_string(),
        };
        syntax_error(self.src, &what)
    }
    fn expect(&mut self, o: &str) -> Result<(), CompileError> {
        if self.is_op(o) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }
    fn pipe(&mut self) -> Result<Ast, CompileError> {
        let mut l = self.comma()?;
        while self.is_op("|") {
            self.at += 1;
            let r = self.comma()?;
            l = Ast::Pipe(Box::new(l), Box::new(r));
        }
        Ok(l)
    }
    fn comma(&mut self) -> Result<Ast, CompileError> {
        let mut l = self.alt()?;
        while self.is_op(",") {
            self.at += 1;
            let r = self.alt()?;
            l = Ast::Comma(Box::new(l), Box::new(r));
        }
        Ok(l)
    }
    fn alt(&mut self) -> Result<Ast, CompileError> {
        let l = self.or()?;
        if self.is_op("//") {
            self.at += 1;
            let r = self.alt()?;
            return Ok(Ast::Alt(Box::new(l), Box::new(r)));
        }
        Ok(l)
    }
    fn or(&mut self) -> Result<Ast, CompileError> {
        let mut l = self.and()?;
        while matches!(self.peek(), Some(Tok::Ident(w)) if w == "or") {
            self.at += 1;
            let r = self.and()?;
            l = Ast::Or(Box::new(l), Box::new(r));
        }
        Ok(l)
    }
    fn and(&mut self) -> Result<Ast, CompileError> {
        let mut l = self.cmp()?;
        while matches!(self.peek(), Some(Tok::Ident(w)) if w == "and") {
            self.at += 1;
            let r = self.cmp()?;
            l = Ast::And(Box::new(l), Box::new(r));
        }
        Ok(l)
    }
    fn cmp(&mut self) -> Result<Ast, CompileError> {
        let l = self.sum()?;
        for o in ["==", "!=", "<=", ">=", "<", ">"] {
            if self.is_op(o) {
                self.at += 1;
                let r = self.sum()?;
                return Ok(Ast::Cmp(o, Box::new(l), Box::new(r)));
            }
        }
        Ok(l)
    }
    fn sum(&mut self) -> Result<Ast, CompileError> {
        let mut l = self.product()?;
        loop {
            let op = if self.is_op("+") {
                '+'
            } else if self.is_op("-") {
                '-'
            } else {
                return Ok(l);
            };
            self.at += 1;
            let r = self.product()?;
            l = Ast::Arith(op, Box::new(l), Box::new(r));
        }
    }
    fn product(&mut self) -> Result<Ast, CompileError> {
        let mut l = self.postfix()?;
        loop {
            let op = if self.is_op("*") {
                '*'
            } else if self.is_op("/") {
                '/'
            } else {
                return Ok(l);
            };
            self.at += 1;
            let r = self.postfix()?;
            l = Ast::Arith(op, Box::new(l), Box::new(r));
        }
    }
    fn postfix(&mut self) -> Result<Ast, CompileError> {
        let mut e = self.primary()?;
        loop {
            match self.peek() {
                Some(Tok::Field(k)) => {
                    let k = k.clone();
                    self.at += 1;
                    e = Ast::Index(Box::new(e), Box::new(Ast::Lit(Jv::Str(k))));
                }
                Some(Tok::Dot) if matches!(self.toks.get(self.at + 1), Some(Tok::Op("["))) => {
                    self.at += 1;
                }
                Some(Tok::Op("[")) => {
                    self.at += 1;
                    e = self.bracket(e)?;
                }
                Some(Tok::Op("?")) => {
                    self.at += 1;
                    e = Ast::Try(Box::new(e));
                }
                _ => return Ok(e),
            }
        }
    }
    /// After `[`: `]`, `E]`, `E:E]`, `:E]`, `E:]`.
    fn bracket(&mut self, e: Ast) -> Result<Ast, CompileError> {
        if self.is_op("]") {
            self.at += 1;
            return Ok(Ast::Iterate(Box::new(e)));
        }
        let from = if self.is_op(":") {
            None
        } else {
            Some(Box::new(self.pipe()?))
        };
        if self.is_op(":") {
            self.at += 1;
            let to = if self.is_op("]") {
                None
            } else {
                Some(Box::new(self.pipe()?))
            };
            self.expect("]")?;
            return Ok(Ast::Slice(Box::new(e), from, to));
        }
        self.expect("]")?;
        match from {
            Some(k) => Ok(Ast::Index(Box::new(e), k)),
            None => Err(self.unexpected()),
        }
    }
    fn primary(&mut self) -> Result<Ast, CompileError> {
        let Some(t) = self.peek().cloned() else {
            return Err(self.unexpected());
        };
        self.at += 1;
        match t {
            Tok::Dot => Ok(Ast::Identity),
            Tok::DotDot => Ok(Ast::Recurse),
            Tok::Field(k) => Ok(Ast::Index(
                Box::new(Ast::Identity),
                Box::new(Ast::Lit(Jv::Str(k))),
            )),
            Tok::Str(s) => Ok(Ast::Lit(Jv::Str(s))),
            Tok::Num(n) => Ok(Ast::Lit(Jv::Num(n))),
            Tok::Format(f) => Ok(Ast::Format(f)),
            Tok::Op("(") => {
                let e = self.pipe()?;
                self.expect(")")?;
                Ok(e)
            }
            Tok::Op("[") => {
                if self.is_op("]") {
                    self.at += 1;
                    return Ok(Ast::Collect(None));
                }
                let e = self.pipe()?;
                self.expect("]")?;
                Ok(Ast::Collect(Some(Box::new(e))))
            }
            Tok::Op("-") => {
                let e = self.postfix()?;
                Ok(Ast::Arith(
                    '-',
                    Box::new(Ast::Lit(Jv::Num(0.0))),
                    Box::new(e),
                ))
            }
            Tok::Ident(w) => match w.as_str() {
                "null" => Ok(Ast::Lit(Jv::Null)),
                "true" => Ok(Ast::Lit(Jv::Bool(true))),
                "false" => Ok(Ast::Lit(Jv::Bool(false))),
                _ => {
                    let mut args = Vec::new();
                    if self.is_op("(") {
                        self.at += 1;
                        // every builtin here takes at most one argument
                        args.push(self.pipe()?);
                        self.expect(")")?;
                    }
                    Ok(Ast::Call(w, args))
                }
            },
            _ => {
                self.at -= 1;
                Err(self.unexpected())
            }
        }
    }
}

/// Builtins this jq runs, with their arities.
pub(super) const BUILTINS: [(&str, usize); 21] = [
    ("keys", 0),
    ("keys_unsorted", 0),
    ("length", 0),
    ("select", 1),
    ("map", 1),
    ("has", 1),
    ("tostring", 0),
    ("tonumber", 0),
    ("to_entries", 0),
    ("type", 0),
    ("sort", 0),
    ("add", 0),
    ("first", 0),
    ("last", 0),
    ("empty", 0),
    ("values", 0),
    ("not", 0),
    ("ascii_downcase", 0),
    ("ascii_upcase", 0),
    ("tojson", 0),
    ("fromjson", 0),
];

/// jq 1.6 builtins left out here (a filter using one gets a message saying so, not jq's
/// "not defined").
pub(super) const LEFT_OUT: [&str; 23] = [
    "test",
    "match",
    "capture",
    "sub",
    "gsub",
    "split",
    "join",
    "ltrimstr",
    "rtrimstr",
    "startswith",
    "endswith",
    "contains",
    "inside",
    "paths",
    "leaf_paths",
    "path",
    "del",
    "from_entries",
    "with_entries",
    "group_by",
    "unique",
    "min",
    "max",
];

pub(super) const FORMATS: [&str; 5] = ["@base64d", "@base64", "@text", "@json", "@sh"];

pub(super) fn check(ast: &Ast, src: &str) -> Result<(), CompileError> {
    match ast {
        Ast::Call(name, args) => {
            if !BUILTINS.iter().any(|(n, a)| n == name && *a == args.len()) {
                if LEFT_OUT.contains(&name.as_str()) || name == "reduce" || name == "if" {
                    return Err(CompileError(format!(
                        "jq: error: {name} is a jq builtin this playground's jq does not have (it has paths like .kvs[0].key, |, select, map, keys, length, @base64d...)"
                    )));
                }
                return Err(CompileError(format!(
                    "jq: error: {name}/{} is not defined at <top-level>, line 1:\n{src}",
                    args.len()
                )));
            }
            for a in args {
                check(a, src)?;
            }
            Ok(())
        }
        Ast::Format(f) if !FORMATS.contains(&f.as_str()) => Err(CompileError(format!(
            "jq: error: {} is not a valid format at <top-level>, line 1:\n{src}",
            &f[1..]
        ))),
        Ast::Index(a, b) | Ast::Pipe(a, b) | Ast::Comma(a, b) | Ast::Alt(a, b) => {
            check(a, src)?;
            check(b, src)
        }
        Ast::And(a, b) | Ast::Or(a, b) | Ast::Cmp(_, a, b) | Ast::Arith(_, a, b) => {
            check(a, src)?;
            check(b, src)
        }
        Ast::Slice(a, b, c) => {
            check(a, src)?;
            for x in [b, c].into_iter().flatten() {
                check(x, src)?;
            }
            Ok(())
        }
        Ast::Iterate(a) | Ast::Try(a) => check(a, src),
        Ast::Collect(Some(a)) => check(a, src),
        _ => Ok(()),
    }
}

pub(super) fn compile(src: &str) -> Result<Ast, CompileError> {
    let toks = lex(src)?;
    if toks.is_empty() {
        return Ok(Ast::Identity);
    }
    let mut p = Parser { toks, at: 0, src };
    let ast = p.pipe()?;
    if p.at < p.toks.len() {
        return Err(p.unexpected());
    }
    check(&ast, src)?;
    Ok(ast)
}
