//! `awk [-F SEP] 'PROGRAM' [FILE...]`: the one-liners tutorials pipe etcdctl output into, as
//! mawk 1.3.4 (Debian's awk) runs them. PROGRAM is one or more `[PATTERN] [{ print ITEMS }]`
//! rules, where PATTERN is `/regex/`, `!/regex/` or a comparison of `$N`, `NR`, `NF` with a
//! number or a string, and ITEMS are `$N`, `$NF`, `$0`, `NR`, `NF`, strings and numbers,
//! concatenated when side by side and joined by a space at commas. Anything else gets one
//! line saying what this awk runs.
//!
//! Owns: that program subset and awk's field splitting. Must not touch: anything else.

use super::Ctx;
use crate::node::regex::{Regex, Syntax};

#[derive(Clone, Debug, PartialEq)]
enum Item {
    Field(Box<Item>),
    Nr,
    Nf,
    Num(f64),
    Str(String),
}

#[derive(Clone, Debug)]
enum Pattern {
    Always,
    Re(String, bool),
    Cmp(Item, String, Item),
}

#[derive(Clone, Debug)]
struct Rule {
    pattern: Pattern,
    /// None: print the record.
    print: Option<Vec<Vec<Item>>>,
}

const UNSUPPORTED: &str = "awk: this playground's awk runs rules like '{print $2}', '/re/ {print $1, $NF}' or 'NR==2' (print with $N, $NF, NR, NF and strings); use grep, cut or sort for the rest";

struct P {
    c: Vec<char>,
    i: usize,
}

impl P {
    fn ws(&mut self) {
        while self.i < self.c.len()
            && (self.c[self.i] == ' '
                || self.c[self.i] == '\t'
                || self.c[self.i] == ';'
                || self.c[self.i] == '\n')
        {
            self.i += 1;
        }
    }
    fn eat(&mut self, s: &str) -> bool {
        self.ws();
        let t: Vec<char> = s.chars().collect();
        if self.c[self.i..].starts_with(&t) {
            self.i += t.len();
            true
        } else {
            false
        }
    }
    fn item(&mut self) -> Option<Item> {
        self.ws();
        let c = *self.c.get(self.i)?;
        if c == '$' {
            self.i += 1;
            if self.eat("(") {
                let inner = self.item()?;
                if !self.eat(")") {
                    return None;
                }
                return Some(Item::Field(Box::new(inner)));
            }
            let inner = self.item()?;
            return matches!(inner, Item::Num(_) | Item::Nf | Item::Nr)
                .then(|| Item::Field(Box::new(inner)));
        }
        if c == '"' {
            let mut s = String::new();
            self.i += 1;
            while self.i < self.c.len() && self.c[self.i] != '"' {
                if self.c[self.i] == '\\' && self.i + 1 < self.c.len() {
                    self.i += 1;
                    s.push(match self.c[self.i] {
                        'n' => '\n',
                        't' => '\t',
                        o => o,
                    });
                } else {
                    s.push(self.c[self.i]);
                }
                self.i += 1;
            }
            self.i += 1;
            return Some(Item::Str(s));
        }
        if c.is_ascii_digit() {
            let st = self.i;
            while self.i < self.c.len()
                && (self.c[self.i].is_ascii_digit() || self.c[self.i] == '.')
            {
                self.i += 1;
            }
            let t: String = self.c[st..self.i].iter().collect();
            return t.parse().ok().map(Item::Num);
        }
        if self.eat("NR") {
            return Some(Item::Nr);
        }
        if self.eat("NF") {
            return Some(Item::Nf);
        }
        None
    }
    fn print(&mut self) -> Option<Vec<Vec<Item>>> {
        if !self.eat("print") {
            return None;
        }
        let mut list = Vec::new();
        let mut cur = Vec::new();
        loop {
            self.ws();
            match self.c.get(self.i) {
                None | Some('}') => break,
                Some(',') => {
                    self.i += 1;
                    list.push(std::mem::take(&mut cur));
                }
                _ => cur.push(self.item()?),
            }
        }
        if !cur.is_empty() || !list.is_empty() {
            list.push(cur);
        }
        Some(list)
    }
    fn pattern(&mut self) -> Option<Pattern> {
        self.ws();
        let neg = self.eat("!");
        self.ws();
        if self.c.get(self.i) == Some(&'/') {
            self.i += 1;
            let mut re = String::new();
            while self.i < self.c.len() && self.c[self.i] != '/' {
                if self.c[self.i] == '\\' && self.c.get(self.i + 1) == Some(&'/') {
                    self.i += 1;
                }
                re.push(self.c[self.i]);
                self.i += 1;
            }
            self.i += 1;
            return Some(Pattern::Re(re, neg));
        }
        if neg {
            return None;
        }
        if self.c.get(self.i) == Some(&'{') {
            return Some(Pattern::Always);
        }
        let l = self.item()?;
        self.ws();
        for op in ["==", "!=", "<=", ">=", "<", ">", "~"] {
            if self.eat(op) {
                let r = self.item()?;
                return Some(Pattern::Cmp(l, op.to_string(), r));
            }
        }
        None
    }
    fn rules(&mut self) -> Option<Vec<Rule>> {
        let mut out = Vec::new();
        loop {
            self.ws();
            if self.i >= self.c.len() {
                return (!out.is_empty()).then_some(out);
            }
            let pattern = self.pattern()?;
            let print = if self.eat("{") {
                let p = if self.eat("}") {
                    None
                } else {
                    let p = self.print()?;
                    if !self.eat("}") {
                        return None;
                    }
                    Some(p)
                };
                // `{print}` prints the record, `{}` nothing
                match p {
                    None => Some(Vec::new()),
                    Some(l) if l.is_empty() => None,
                    Some(l) => Some(l),
                }
            } else {
                None
            };
            out.push(Rule { pattern, print });
        }
    }
}

/// A record's fields: split at runs of blanks (leading and trailing ignored), or at `sep`.
fn split(line: &str, sep: Option<&str>) -> Vec<String> {
    match sep {
        None | Some(" ") => line
            .split([' ', '\t'])
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        Some(s) if line.is_empty() => {
            let _ = s;
            Vec::new()
        }
        Some(s) => line.split(s).map(str::to_string).collect(),
    }
}

enum Val {
    N(f64),
    S(String),
}

fn num_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e16 {
        format!("{}", n as i64)
    } else {
        // mawk's OFMT %.6g
        let s = format!("{:.6e}", n);
        let v: f64 = s.parse().unwrap_or(n);
        format!("{}", v)
    }
}

fn value(it: &Item, fields: &[String], record: &str, nr: usize) -> Val {
    match it {
        Item::Nr => Val::N(nr as f64),
        Item::Nf => Val::N(fields.len() as f64),
        Item::Num(n) => Val::N(*n),
        Item::Str(s) => Val::S(s.clone()),
        Item::Field(k) => {
            let k = match value(k, fields, record, nr) {
                Val::N(n) => n as usize,
                Val::S(s) => s.trim().parse::<f64>().unwrap_or(0.0) as usize,
            };
            if k == 0 {
                Val::S(record.to_string())
            } else {
                Val::S(fields.get(k - 1).cloned().unwrap_or_default())
            }
        }
    }
}

fn text(v: &Val) -> String {
    match v {
        Val::N(n) => num_text(*n),
        Val::S(s) => s.clone(),
    }
}

fn as_number(s: &str) -> Option<f64> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.parse::<f64>().ok()).flatten()
}

pub fn run(args: &[String], ctx: &mut Ctx) -> i32 {
    let mut sep: Option<String> = None;
    let mut program: Option<String> = None;
    let mut files = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if program.is_some() {
            files.push(a.clone());
        } else if a == "-F" {
            sep = args.get(i).cloned();
            i += 1;
        } else if let Some(s) = a.strip_prefix("-F") {
            sep = Some(s.to_string());
        } else if a == "--" {
            continue;
        } else if a.starts_with('-') && a.len() > 1 {
            ctx.eprintln(&format!("awk: this playground's awk knows -F, not {a}"));
            return 2;
        } else {
            program = Some(a.clone());
        }
    }
    let sep = sep.map(|s| {
        if s == "\\t" || s == "t" {
            "\t".to_string()
        } else {
            s
        }
    });
    let Some(program) = program else {
        ctx.eprintln("usage: awk [-F SEP] 'PROGRAM' [FILE...]");
        return 2;
    };
    let mut p = P {
        c: program.chars().collect(),
        i: 0,
    };
    let Some(rules) = p.rules() else {
        ctx.eprintln(UNSUPPORTED);
        return 2;
    };
    let mut regexes = Vec::new();
    for r in &rules {
        if let Pattern::Re(re, _) = &r.pattern {
            match Regex::new(re, Syntax::Extended, false, false) {
                Ok(x) => regexes.push(Some(x)),
                Err(_) => {
                    ctx.eprintln(&format!(
                        "awk: line 1: regular expression compile failed (missing operand)\n{re}"
                    ));
                    return 2;
                }
            }
        } else {
            regexes.push(None);
        }
    }
    let mut data = Vec::new();
    if files.is_empty() {
        data.extend_from_slice(ctx.stdin);
    }
    for f in &files {
        match ctx.read_file(f) {
            Ok(d) => data.extend_from_slice(&d),
            Err(_) => {
                ctx.eprintln(&format!("awk: cannot open {f} (No such file or directory)"));
                return 2;
            }
        }
    }
    let text_all = String::from_utf8_lossy(&data).into_owned();
    let mut out = String::new();
    for (n, line) in text_all.lines().enumerate() {
        let nr = n + 1;
        let fields = split(line, sep.as_deref());
        for (r, re) in rules.iter().zip(&regexes) {
            let hit = match (&r.pattern, re) {
                (Pattern::Always, _) => true,
                (Pattern::Re(_, neg), Some(re)) => {
                    let chars: Vec<char> = line.chars().collect();
                    re.is_match(&chars) != *neg
                }
                (Pattern::Re(..), None) => false,
                (Pattern::Cmp(l, op, rr), _) => {
                    let (a, b) = (value(l, &fields, line, nr), value(rr, &fields, line, nr));
                    let num = |v: &Val| match v {
                        Val::N(n) => Some(*n),
                        Val::S(s) => as_number(s),
                    };
                    let ord = match (num(&a), num(&b), &b) {
                        (Some(x), Some(y), _)
                            if !matches!(b, Val::S(_)) || matches!(rr, Item::Field(_)) =>
                        {
                            x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal)
                        }
                        _ => text(&a).cmp(&text(&b)),
                    };
                    use std::cmp::Ordering::*;
                    match op.as_str() {
                        "==" => ord == Equal,
                        "!=" => ord != Equal,
                        "<" => ord == Less,
                        "<=" => ord != Greater,
                        ">" => ord == Greater,
                        ">=" => ord != Less,
                        _ => Regex::new(&text(&b), Syntax::Extended, false, false)
                            .is_ok_and(|re| re.is_match(&text(&a).chars().collect::<Vec<_>>())),
                    }
                }
            };
            if !hit {
                continue;
            }
            match &r.print {
                None => {
                    out.push_str(line);
                    out.push('\n');
                }
                Some(list) if list.is_empty() => {}
                Some(list) => {
                    let parts: Vec<String> = list
                        .iter()
                        .map(|cat| {
                            cat.iter()
                                .map(|it| text(&value(it, &fields, line, nr)))
                                .collect()
                        })
                        .collect();
                    out.push_str(&parts.join(" "));
                    out.push('\n');
                }
            }
        }
    }
    ctx.print(&out);
    0
}
