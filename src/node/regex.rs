//! POSIX regular expressions as GNU grep and sed read them: basic (BRE, with GNU's `\+`,
//! `\?`, `\|`) and extended (ERE), bracket expressions with classes, anchors, `\<`, `\>`,
//! `\b`, `\w`, `\s`, intervals, groups and back-references, case folding. Matching is
//! leftmost-longest (as POSIX asks) on a Pike VM, so no input can make it run away; a
//! pattern with back-references runs on a bounded backtracker instead.
//!
//! Owns: parsing (with glibc's error texts, e.g. `Unmatched ( or \(`), compiling and
//! matching. Must not touch: grep's or sed's command-line syntax.

use std::fmt;

/// A compile error with glibc's `regerror` text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegexError(pub &'static str);

impl fmt::Display for RegexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

#[derive(Clone, Debug)]
enum Ast {
    Empty,
    Char(char),
    Any,
    Class(Box<Class>),
    /// `^`, `$`, `\b`, `\B`, `\<`, `\>`
    Assert(Assert),
    Group(Box<Ast>, usize),
    Concat(Vec<Ast>),
    Alt(Vec<Ast>),
    Repeat(Box<Ast>, u32, Option<u32>),
    Backref(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Assert {
    Start,
    End,
    WordB,
    NotWordB,
    WordStart,
    WordEnd,
}

#[derive(Clone, Debug, Default)]
struct Class {
    negate: bool,
    chars: Vec<char>,
    ranges: Vec<(char, char)>,
    named: Vec<&'static str>,
}

fn named_class(name: &str, c: char) -> bool {
    match name {
        "alpha" => c.is_alphabetic(),
        "digit" => c.is_ascii_digit(),
        "alnum" => c.is_alphanumeric(),
        "upper" => c.is_uppercase(),
        "lower" => c.is_lowercase(),
        "space" => c.is_whitespace(),
        "blank" => c == ' ' || c == '\t',
        "punct" => c.is_ascii_punctuation(),
        "print" => !c.is_control(),
        "graph" => !c.is_control() && c != ' ',
        "cntrl" => c.is_control(),
        "xdigit" => c.is_ascii_hexdigit(),
        "word" => c.is_alphanumeric() || c == '_',
        _ => false,
    }
}

impl Class {
    fn matches(&self, c: char, icase: bool) -> bool {
        let test = |c: char| {
            self.chars.contains(&c)
                || self.ranges.iter().any(|&(a, b)| a <= c && c <= b)
                || self.named.iter().any(|n| named_class(n, c))
        };
        let hit = test(c) || (icase && (test(lower(c)) || test(upper(c))));
        hit != self.negate
    }
}

fn lower(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}
fn upper(c: char) -> char {
    c.to_uppercase().next().unwrap_or(c)
}
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Which syntax to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Basic,
    Extended,
}

struct Parser<'a> {
    s: &'a [char],
    i: usize,
    ere: bool,
    groups: usize,
    /// sed reads `\n` and `\t` as newline and tab
    sed: bool,
    open: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }
    fn peek2(&self) -> Option<char> {
        self.s.get(self.i + 1).copied()
    }
    fn at_alt_end(&self) -> bool {
        match (self.peek(), self.peek2()) {
            (None, _) => true,
            (Some('\\'), Some('|')) | (Some('\\'), Some(')')) if !self.ere => true,
            (Some('|'), _) | (Some(')'), _) if self.ere => true,
            _ => false,
        }
    }

    fn alt(&mut self) -> Result<Ast, RegexError> {
        let mut branches = vec![self.concat()?];
        loop {
            match (self.peek(), self.peek2()) {
                (Some('\\'), Some('|')) if !self.ere => self.i += 2,
                (Some('|'), _) if self.ere => self.i += 1,
                _ => break,
            }
            branches.push(self.concat()?);
        }
        Ok(if branches.len() == 1 {
            branches.pop().unwrap_or(Ast::Empty)
        } else {
            Ast::Alt(branches)
        })
    }

    fn concat(&mut self) -> Result<Ast, RegexError> {
        let mut items: Vec<Ast> = Vec::new();
        let branch_start = self.i;
        loop {
            if self.at_alt_end() {
                if self.ere && self.peek() == Some(')') && self.open == 0 {
                    // a lone `)` in an ERE is an ordinary character
                    self.i += 1;
                    items.push(Ast::Char(')'));
                    continue;
                }
                break;
            }
            let first = self.i == branch_start;
            let atom = self.atom(first)?;
            let atom = self.repeats(atom)?;
            items.push(atom);
        }
        Ok(match items.len() {
            0 => Ast::Empty,
            1 => items.pop().unwrap_or(Ast::Empty),
            _ => Ast::Concat(items),
        })
    }

    fn repeats(&mut self, mut atom: Ast) -> Result<Ast, RegexError> {
        loop {
            let (min, max, len) = match (self.peek(), self.peek2()) {
                (Some('*'), _) => (0, None, 1),
                (Some('\\'), Some('+')) if !self.ere => (1, None, 2),
                (Some('\\'), Some('?')) if !self.ere => (0, Some(1), 2),
                (Some('+'), _) if self.ere => (1, None, 1),
                (Some('?'), _) if self.ere => (0, Some(1), 1),
                (Some('\\'), Some('{')) if !self.ere => {
                    self.i += 2;
                    let (a, b) = self.interval()?;
                    atom = Ast::Repeat(Box::new(atom), a, b);
                    continue;
                }
                (Some('{'), _) if self.ere => {
                    // GNU reads a `{` that does not start a valid interval as itself
                    let save = self.i;
                    self.i += 1;
                    match self.interval() {
                        Ok((a, b)) => atom = Ast::Repeat(Box::new(atom), a, b),
                        Err(RegexError("Unmatched \\{")) => {
                            self.i = save;
                            return Ok(atom);
                        }
                        Err(e) => return Err(e),
                    }
                    continue;
                }
                _ => return Ok(atom),
            };
            if matches!(atom, Ast::Assert(Assert::Start)) && self.ere {
                return Err(RegexError("Invalid preceding regular expression"));
            }
            self.i += len;
            atom = Ast::Repeat(Box::new(atom), min, max);
        }
    }

    /// `m`, `m,`, `m,n` then `\}` (BRE) or `}` (ERE).
    fn interval(&mut self) -> Result<(u32, Option<u32>), RegexError> {
        let num = |p: &mut Parser| -> Option<u32> {
            let start = p.i;
            while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                p.i += 1;
            }
            if p.i == start {
                return None;
            }
            p.s[start..p.i]
                .iter()
                .collect::<String>()
                .parse()
                .ok()
                .map(|v: u32| v.min(0x8000))
        };
        let min = num(self);
        let max = if self.peek() == Some(',') {
            self.i += 1;
            num(self)
        } else {
            Some(min.unwrap_or(0))
        };
        let closed = if self.ere {
            if self.peek() == Some('}') {
                self.i += 1;
                true
            } else {
                false
            }
        } else if self.peek() == Some('\\') && self.peek2() == Some('}') {
            self.i += 2;
            true
        } else {
            false
        };
        if !closed {
            return Err(if self.peek().is_none() || self.ere {
                RegexError("Unmatched \\{")
            } else {
                RegexError("Invalid content of \\{\\}")
            });
        }
        let min = min.unwrap_or(0);
        if max.is_some_and(|m| m < min) {
            return Err(RegexError("Invalid content of \\{\\}"));
        }
        if min > 255 || max.is_some_and(|m| m > 255) {
            return Err(RegexError("Regular expression too big"));
        }
        Ok((min, max))
    }

    fn atom(&mut self, first: bool) -> Result<Ast, RegexError> {
        let Some(c) = self.peek() else {
            return Ok(Ast::Empty);
        };
        self.i += 1;
        Ok(match c {
            '.' => Ast::Any,
            '[' => Ast::Class(Box::new(self.bracket()?)),
            '^' if self.ere || first => Ast::Assert(Assert::Start),
            '$' if self.ere || self.at_alt_end() => Ast::Assert(Assert::End),
            '*' if first => Ast::Char('*'),
            '*' if self.ere => return Err(RegexError("Invalid preceding regular expression")),
            '+' | '?' if self.ere && first => Ast::Char(c),
            '{' if self.ere => Ast::Char('{'),
            '(' if self.ere => self.group()?,
            '\\' => {
                let Some(e) = self.peek() else {
                    return Err(RegexError("Trailing backslash"));
                };
                self.i += 1;
                match e {
                    '(' if !self.ere => self.group()?,
                    ')' if !self.ere => return Err(RegexError("Unmatched ) or \\)")),
                    '{' if !self.ere && first => Ast::Char('{'),
                    '{' if !self.ere => {
                        return Err(RegexError("Invalid preceding regular expression"))
                    }
                    '1'..='9' => {
                        let n = e as usize - '0' as usize;
                        if n > self.groups {
                            return Err(RegexError("Invalid back reference"));
                        }
                        Ast::Backref(n)
                    }
                    'w' | 'W' => Ast::Class(Box::new(Class {
                        negate: e == 'W',
                        named: vec!["word"],
                        ..Class::default()
                    })),
                    's' | 'S' => Ast::Class(Box::new(Class {
                        negate: e == 'S',
                        named: vec!["space"],
                        ..Class::default()
                    })),
                    'b' => Ast::Assert(Assert::WordB),
                    'B' => Ast::Assert(Assert::NotWordB),
                    '<' => Ast::Assert(Assert::WordStart),
                    '>' => Ast::Assert(Assert::WordEnd),
                    '`' => Ast::Assert(Assert::Start),
                    '\'' => Ast::Assert(Assert::End),
                    'n' if self.sed => Ast::Char('\n'),
                    't' if self.sed => Ast::Char('\t'),
                    other => Ast::Char(other),
                }
            }
            other => Ast::Char(other),
        })
    }

    fn group(&mut self) -> Result<Ast, RegexError> {
        self.groups += 1;
        let n = self.groups;
        self.open += 1;
        let inner = self.alt()?;
        self.open -= 1;
        let closed = if self.ere {
            if self.peek() == Some(')') {
                self.i += 1;
                true
            } else {
                false
            }
        } else if self.peek() == Some('\\') && self.peek2() == Some(')') {
            self.i += 2;
            true
        } else {
            false
        };
        if !closed {
            return Err(RegexError("Unmatched ( or \\("));
        }
        Ok(Ast::Group(Box::new(inner), n))
    }

    /// After `[`: a bracket expression up to its `]`.
    fn bracket(&mut self) -> Result<Class, RegexError> {
        const UNMATCHED: RegexError = RegexError("Unmatched [, [^, [:, [., or [=");
        let mut cl = Class::default();
        if self.peek() == Some('^') {
            cl.negate = true;
            self.i += 1;
        }
        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                return Err(UNMATCHED);
            };
            self.i += 1;
            if c == ']' && !first {
                return Ok(cl);
            }
            first = false;
            let lo = if c == '[' && matches!(self.peek(), Some(':') | Some('=') | Some('.')) {
                let kind = self.peek().unwrap_or(':');
                self.i += 1;
                let start = self.i;
                while !(self.peek() == Some(kind) && self.peek2() == Some(']')) {
                    if self.peek().is_none() {
                        return Err(UNMATCHED);
                    }
                    self.i += 1;
                }
                let name: String = self.s[start..self.i].iter().collect();
                self.i += 2;
                if kind == ':' {
                    let known = [
                        "alpha", "digit", "alnum", "upper", "lower", "space", "blank", "punct",
                        "print", "graph", "cntrl", "xdigit",
                    ];
                    match known.iter().find(|k| **k == name) {
                        Some(k) => cl.named.push(k),
                        None => return Err(RegexError("Invalid character class name")),
                    }
                    continue;
                }
                match name.chars().next() {
                    Some(ch) if name.chars().count() == 1 => ch,
                    _ => return Err(RegexError("Invalid collation character")),
                }
            } else if c == '\\'
                && self.sed
                && matches!(self.peek(), Some('n') | Some('t') | Some(']') | Some('\\'))
            {
                let e = self.peek().unwrap_or('\\');
                self.i += 1;
                match e {
                    'n' => '\n',
                    't' => '\t',
                    other => other,
                }
            } else {
                c
            };
            if self.peek() == Some('-') && self.peek2().is_some_and(|d| d != ']') {
                self.i += 1;
                let hi = self.peek().unwrap_or(lo);
                self.i += 1;
                if hi < lo {
                    return Err(RegexError("Invalid range end"));
                }
                cl.ranges.push((lo, hi));
            } else {
                cl.chars.push(lo);
            }
        }
    }
}

#[derive(Clone, Debug)]
enum Inst {
    Char(char),
    Any,
    Class(Box<Class>),
    Assert(Assert),
    Split(usize, usize),
    Jmp(usize),
    Save(usize),
    Backref(usize),
    Match,
}

/// A compiled regular expression.
#[derive(Clone, Debug)]
pub struct Regex {
    prog: Vec<Inst>,
    groups: usize,
    icase: bool,
    backrefs: bool,
}

/// Capture positions (char indexes): group 0 is the whole match.
pub type Captures = Vec<Option<(usize, usize)>>;

const MAX_PROGRAM: usize = 20_000;

impl Regex {
    /// Compiles a pattern. `sed` turns on sed's `\n` and `\t`.
    pub fn new(pattern: &str, syntax: Syntax, icase: bool, sed: bool) -> Result<Regex, RegexError> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut p = Parser {
            s: &chars,
            i: 0,
            ere: syntax == Syntax::Extended,
            groups: 0,
            sed,
            open: 0,
        };
        let ast = p.alt()?;
        if p.i < chars.len() {
            // only an unmatched `\)` / `)` stops the parser early
            return Err(RegexError("Unmatched ) or \\)"));
        }
        let mut prog = vec![Inst::Save(0)];
        let mut backrefs = false;
        compile(&ast, &mut prog, &mut backrefs)?;
        prog.push(Inst::Save(1));
        prog.push(Inst::Match);
        if prog.len() > MAX_PROGRAM {
            return Err(RegexError("Regular expression too big"));
        }
        Ok(Regex {
            prog,
            groups: p.groups,
            icase,
            backrefs,
        })
    }

    /// The leftmost-longest match in `text` starting at or after `from` (`^` still means
    /// position 0 of `text`).
    pub fn find_at(&self, text: &[char], from: usize) -> Option<Captures> {
        if self.backrefs {
            return self.backtrack_find(text, from);
        }
        self.pike(text, from)
    }

    /// The number of groups (`\(…\)` / `(…)`).
    pub fn groups(&self) -> usize {
        self.groups
    }

    pub fn is_match(&self, text: &[char]) -> bool {
        self.find_at(text, 0).is_some()
    }

    fn char_eq(&self, a: char, b: char) -> bool {
        a == b || (self.icase && lower(a) == lower(b))
    }

    fn assert_ok(a: Assert, text: &[char], i: usize) -> bool {
        let before = i > 0 && is_word(text[i - 1]);
        let after = i < text.len() && is_word(text[i]);
        match a {
            Assert::Start => i == 0,
            Assert::End => i == text.len(),
            Assert::WordB => before != after,
            Assert::NotWordB => before == after,
            Assert::WordStart => !before && after,
            Assert::WordEnd => before && !after,
        }
    }

    fn pike(&self, text: &[char], from: usize) -> Option<Captures> {
        let nslots = 2 * (self.groups + 1);
        let mut clist: Vec<(usize, Vec<Option<usize>>)> = Vec::new();
        let mut best: Option<Vec<Option<usize>>> = None;
        let mut seen = vec![usize::MAX; self.prog.len()];
        let mut i = from;
        loop {
            // a new thread at this position, while nothing has matched yet
            if best.is_none() {
                let mut nlist = std::mem::take(&mut clist);
                self.add(&mut nlist, &mut seen, i, 0, vec![None; nslots], text, i);
                clist = nlist;
            }
            if clist.is_empty() {
                if best.is_some() || i >= text.len() {
                    break;
                }
                i += 1;
                continue;
            }
            let mut nlist: Vec<(usize, Vec<Option<usize>>)> = Vec::new();
            let step = i + 1;
            for (pc, caps) in std::mem::take(&mut clist) {
                match &self.prog[pc] {
                    Inst::Match => {
                        let better = match &best {
                            None => true,
                            Some(b) => caps[0] < b[0] || (caps[0] == b[0] && caps[1] > b[1]),
                        };
                        if better {
                            best = Some(caps.clone());
                        }
                    }
                    Inst::Char(c) if i < text.len() && self.char_eq(text[i], *c) => {
                        self.add(&mut nlist, &mut seen, step, pc + 1, caps, text, step)
                    }
                    Inst::Any if i < text.len() => {
                        self.add(&mut nlist, &mut seen, step, pc + 1, caps, text, step)
                    }
                    Inst::Class(cl) if i < text.len() && cl.matches(text[i], self.icase) => {
                        self.add(&mut nlist, &mut seen, step, pc + 1, caps, text, step)
                    }
                    _ => {}
                }
            }
            // threads that started after the best match's start can no longer win
            if let Some(b) = &best {
                nlist.retain(|(_, c)| c[0] <= b[0]);
            }
            clist = nlist;
            if i >= text.len() {
                break;
            }
            i += 1;
        }
        best.map(|slots| to_captures(&slots))
    }

    /// Follows the empty transitions from `pc` at position `pos`, adding the threads that
    /// wait on a character (or match) to `list` in priority order.
    #[allow(clippy::too_many_arguments)]
    fn add(
        &self,
        list: &mut Vec<(usize, Vec<Option<usize>>)>,
        seen: &mut [usize],
        gen: usize,
        pc: usize,
        mut caps: Vec<Option<usize>>,
        text: &[char],
        pos: usize,
    ) {
        // an explicit stack keeps deep programs from overflowing the call stack
        let mut stack: Vec<(usize, Vec<Option<usize>>)> = vec![(pc, std::mem::take(&mut caps))];
        while let Some((pc, mut caps)) = stack.pop() {
            if seen[pc] == gen {
                continue;
            }
            seen[pc] = gen;
            match &self.prog[pc] {
                Inst::Jmp(t) => stack.push((*t, caps)),
                Inst::Split(a, b) => {
                    stack.push((*b, caps.clone()));
                    stack.push((*a, caps));
                }
                Inst::Save(s) => {
                    if *s < caps.len() {
                        caps[*s] = Some(pos);
                    }
                    stack.push((pc + 1, caps));
                }
                Inst::Assert(a) => {
                    if Self::assert_ok(*a, text, pos) {
                        stack.push((pc + 1, caps));
                    }
                }
                _ => list.push((pc, caps)),
            }
        }
    }

    /// Backtracking search for patterns with back-references (bounded work; longest match
    /// among those found at the leftmost start).
    fn backtrack_find(&self, text: &[char], from: usize) -> Option<Captures> {
        let nslots = 2 * (self.groups + 1);
        let mut fuel: u64 = 2_000_000;
        for start in from..=text.len() {
            let mut best: Option<Vec<Option<usize>>> = None;
            let mut slots = vec![None; nslots];
            self.bt(0, start, text, &mut slots, &mut best, &mut fuel, 0);
            if let Some(b) = best {
                return Some(to_captures(&b));
            }
            if fuel == 0 {
                return None;
            }
        }
        None
    }

    #[allow(clippy::too_many_arguments)]
    fn bt(
        &self,
        pc: usize,
        i: usize,
        text: &[char],
        slots: &mut Vec<Option<usize>>,
        best: &mut Option<Vec<Option<usize>>>,
        fuel: &mut u64,
        depth: usize,
    ) {
        if *fuel == 0 || depth > 2_000 {
            *fuel = 0;
            return;
        }
        *fuel -= 1;
        match &self.prog[pc] {
            Inst::Match => {
                if best.as_ref().is_none_or(|b| slots[1] > b[1]) {
                    *best = Some(slots.clone());
                }
            }
            Inst::Char(c) => {
                if i < text.len() && self.char_eq(text[i], *c) {
                    self.bt(pc + 1, i + 1, text, slots, best, fuel, depth + 1);
                }
            }
            Inst::Any => {
                if i < text.len() {
                    self.bt(pc + 1, i + 1, text, slots, best, fuel, depth + 1);
                }
            }
            Inst::Class(cl) => {
                if i < text.len() && cl.matches(text[i], self.icase) {
                    self.bt(pc + 1, i + 1, text, slots, best, fuel, depth + 1);
                }
            }
            Inst::Assert(a) => {
                if Self::assert_ok(*a, text, i) {
                    self.bt(pc + 1, i, text, slots, best, fuel, depth + 1);
                }
            }
            Inst::Jmp(t) => self.bt(*t, i, text, slots, best, fuel, depth + 1),
            Inst::Split(a, b) => {
                self.bt(*a, i, text, slots, best, fuel, depth + 1);
                self.bt(*b, i, text, slots, best, fuel, depth + 1);
            }
            Inst::Save(s) => {
                let old = slots[*s];
                slots[*s] = Some(i);
                self.bt(pc + 1, i, text, slots, best, fuel, depth + 1);
                slots[*s] = old;
            }
            Inst::Backref(n) => {
                let (Some(a), Some(b)) = (
                    slots.get(2 * n).copied().flatten(),
                    slots.get(2 * n + 1).copied().flatten(),
                ) else {
                    return;
                };
                let len = b.saturating_sub(a);
                if i + len <= text.len() && (0..len).all(|k| self.char_eq(text[i + k], text[a + k]))
                {
                    self.bt(pc + 1, i + len, text, slots, best, fuel, depth + 1);
                }
            }
        }
    }
}

fn to_captures(slots: &[Option<usize>]) -> Captures {
    slots
        .chunks(2)
        .map(
            |c| match (c.first().copied().flatten(), c.get(1).copied().flatten()) {
                (Some(a), Some(b)) if a <= b => Some((a, b)),
                _ => None,
            },
        )
        .collect()
}

fn compile(ast: &Ast, prog: &mut Vec<Inst>, backrefs: &mut bool) -> Result<(), RegexError> {
    if prog.len() > MAX_PROGRAM {
        return Err(RegexError("Regular expression too big"));
    }
    match ast {
        Ast::Empty => {}
        Ast::Char(c) => prog.push(Inst::Char(*c)),
        Ast::Any => prog.push(Inst::Any),
        Ast::Class(c) => prog.push(Inst::Class(c.clone())),
        Ast::Assert(a) => prog.push(Inst::Assert(*a)),
        Ast::Backref(n) => {
            *backrefs = true;
            prog.push(Inst::Backref(*n));
        }
        Ast::Group(inner, n) => {
            prog.push(Inst::Save(2 * n));
            compile(inner, prog, backrefs)?;
            prog.push(Inst::Save(2 * n + 1));
        }
        Ast::Concat(items) => {
            for it in items {
                compile(it, prog, backrefs)?;
            }
        }
        Ast::Alt(branches) => {
            let mut jumps = Vec::new();
            for (k, b) in branches.iter().enumerate() {
                if k + 1 < branches.len() {
                    let split = prog.len();
                    prog.push(Inst::Split(split + 1, 0));
                    compile(b, prog, backrefs)?;
                    jumps.push(prog.len());
                    prog.push(Inst::Jmp(0));
                    let next = prog.len();
                    prog[split] = Inst::Split(split + 1, next);
                } else {
                    compile(b, prog, backrefs)?;
                }
            }
            let end = prog.len();
            for j in jumps {
                prog[j] = Inst::Jmp(end);
            }
        }
        Ast::Repeat(inner, min, max) => {
            for _ in 0..*min {
                compile(inner, prog, backrefs)?;
            }
            match max {
                None => {
                    // x*: L: split body, out; body; jmp L
                    let split = prog.len();
                    prog.push(Inst::Split(split + 1, 0));
                    compile(inner, prog, backrefs)?;
                    prog.push(Inst::Jmp(split));
                    let out = prog.len();
                    prog[split] = Inst::Split(split + 1, out);
                }
                Some(max) => {
                    let mut splits = Vec::new();
                    for _ in *min..*max {
                        splits.push(prog.len());
                        prog.push(Inst::Split(0, 0));
                        compile(inner, prog, backrefs)?;
                    }
                    let out = prog.len();
                    for s in splits {
                        prog[s] = Inst::Split(s + 1, out);
                    }
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, syn: Syntax, t: &str) -> Option<(usize, usize)> {
        let re = Regex::new(p, syn, false, false).unwrap();
        let chars: Vec<char> = t.chars().collect();
        re.find_at(&chars, 0).and_then(|c| c[0])
    }

    #[test]
    fn basic_and_extended() {
        use Syntax::*;
        assert_eq!(m("data-dir", Basic, "--data-dir=/var"), Some((2, 10)));
        assert_eq!(m("a*", Basic, "baaa"), Some((0, 0)));
        assert_eq!(m("ba*", Basic, "xbaaa"), Some((1, 5)));
        assert_eq!(m("a\\|ab", Basic, "abcd"), Some((0, 2)));
        assert_eq!(m("a|ab", Extended, "abcd"), Some((0, 2)));
        assert_eq!(m("a|ab", Basic, "a|ab"), Some((0, 4)));
        assert_eq!(m("^etcd", Basic, "  etcd"), None);
        assert_eq!(m("crt$", Basic, "ca.crt"), Some((3, 6)));
        assert_eq!(m("[0-9]\\{3\\}", Basic, "port 2379"), Some((5, 8)));
        assert_eq!(m("[0-9]{3,}", Extended, "port 2379"), Some((5, 9)));
        assert_eq!(m("(ab)+", Extended, "xababx"), Some((1, 5)));
        assert_eq!(m("\\(a\\)\\1", Basic, "xaay"), Some((1, 3)));
        assert_eq!(m("\\<etcd\\>", Basic, "etcdctl etcd"), Some((8, 12)));
        assert_eq!(m("[[:digit:]]+", Extended, "v3.4"), Some((1, 2)));
        assert_eq!(m("*a", Basic, "x*a"), Some((1, 3)));
        assert_eq!(m("a\\+", Basic, "baa"), Some((1, 3)));
    }

    #[test]
    fn errors() {
        use Syntax::*;
        let e = |p: &str, s| Regex::new(p, s, false, false).unwrap_err().0;
        assert_eq!(e("(", Extended), "Unmatched ( or \\(");
        assert_eq!(e("\\(", Basic), "Unmatched ( or \\(");
        assert_eq!(e("\\)", Basic), "Unmatched ) or \\)");
        assert_eq!(e("[a", Basic), "Unmatched [, [^, [:, [., or [=");
        assert_eq!(e("a\\", Basic), "Trailing backslash");
        assert_eq!(e("[z-a]", Basic), "Invalid range end");
        assert_eq!(e("[[:nope:]]", Basic), "Invalid character class name");
        assert_eq!(e("\\1", Basic), "Invalid back reference");
        assert_eq!(e("a\\{1", Basic), "Unmatched \\{");
    }

    #[test]
    fn case_folding_and_pathological_input() {
        let re = Regex::new("ETCD", Syntax::Basic, true, false).unwrap();
        assert!(re.is_match(&"an etcd pod".chars().collect::<Vec<_>>()));
        let re = Regex::new("(a*)*b", Syntax::Extended, false, false).unwrap();
        let text: Vec<char> = "a".repeat(5000).chars().collect();
        assert!(!re.is_match(&text));
    }
}
