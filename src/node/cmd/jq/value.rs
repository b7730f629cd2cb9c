//! jq's values: JSON read as jq 1.6 reads it (key order kept, every number a double, its
//! parse errors) and written as it writes it (layout, escapes, number text).
//!
//! Owns: [`Jv`] and JSON text. Must not touch: filters.

/// A JSON value as jq holds it: object keys in input order, every number a double.
#[derive(Clone, Debug, PartialEq)]
pub enum Jv {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Jv>),
    Obj(Vec<(String, Jv)>),
}

impl Jv {
    pub(super) fn kind(&self) -> &'static str {
        match self {
            Jv::Null => "null",
            Jv::Bool(_) => "boolean",
            Jv::Num(_) => "number",
            Jv::Str(_) => "string",
            Jv::Arr(_) => "array",
            Jv::Obj(_) => "object",
        }
    }
    pub(super) fn truthy(&self) -> bool {
        !matches!(self, Jv::Null | Jv::Bool(false))
    }
    pub(super) fn get(&self, key: &str) -> Option<&Jv> {
        match self {
            Jv::Obj(kv) => kv.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    /// jq's `(kind) (value)` text in error messages: `string ("5")`, `null (null)`.
    pub(super) fn described(&self) -> String {
        let mut t = String::new();
        dump(self, &mut t, None, 0, false);
        // jq 1.6 cuts the text to fit 14 bytes: 11 of it and "..."
        if t.len() > 14 {
            let mut cut = 11;
            while !t.is_char_boundary(cut) {
                cut -= 1;
            }
            t.truncate(cut);
            t.push_str("...");
        }
        format!("{} ({})", self.kind(), t)
    }
}

// ---- input -------------------------------------------------------------------------------

impl<'de> serde::Deserialize<'de> for Jv {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Jv, D::Error> {
        d.deserialize_any(JvVisitor)
    }
}

pub(super) struct JvVisitor;

impl<'de> serde::de::Visitor<'de> for JvVisitor {
    type Value = Jv;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Jv, E> {
        Ok(Jv::Null)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Jv, E> {
        Ok(Jv::Bool(b))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Jv, E> {
        Ok(Jv::Num(n as f64))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Jv, E> {
        Ok(Jv::Num(n as f64))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Jv, E> {
        Ok(Jv::Num(n))
    }
    fn visit_str<E>(self, s: &str) -> Result<Jv, E> {
        Ok(Jv::Str(s.to_string()))
    }
    fn visit_string<E>(self, s: String) -> Result<Jv, E> {
        Ok(Jv::Str(s))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Jv, A::Error> {
        let mut v = Vec::new();
        while let Some(x) = a.next_element()? {
            v.push(x);
        }
        Ok(Jv::Arr(v))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Jv, A::Error> {
        let mut v: Vec<(String, Jv)> = Vec::new();
        while let Some((k, x)) = a.next_entry::<String, Jv>()? {
            // a repeated key keeps its first place and takes the last value, as jq does
            match v.iter_mut().find(|(kk, _)| *kk == k) {
                Some(slot) => slot.1 = x,
                None => v.push((k, x)),
            }
        }
        Ok(Jv::Obj(v))
    }
}

/// The values of a JSON text, each with the line it ends on; or jq's parse error text.
pub(super) fn parse_inputs(text: &[u8]) -> (Vec<(Jv, usize)>, Option<String>) {
    let mut out = Vec::new();
    let mut it = serde_json::Deserializer::from_slice(text).into_iter::<Jv>();
    loop {
        match it.next() {
            None => return (out, None),
            Some(Ok(v)) => {
                let end = it.byte_offset();
                let line = 1 + text[..end].iter().filter(|b| **b == b'\n').count();
                out.push((v, line));
            }
            Some(Err(_)) => {
                let start = it.byte_offset();
                return (out, Some(parse_error(text, start)));
            }
        }
    }
}

/// jq 1.6's complaint about text that is not JSON (etcdctl's simple output, typically): the
/// bad token, located just after the character that ended it.
pub(super) fn parse_error(text: &[u8], start: usize) -> String {
    let mut i = start;
    while i < text.len() && text[i].is_ascii_whitespace() {
        i += 1;
    }
    let tok_start = i;
    while i < text.len() && !text[i].is_ascii_whitespace() && !b"[]{},:\"".contains(&text[i]) {
        i += 1;
    }
    if i == tok_start || i >= text.len() {
        let (line, col) = position(text, text.len());
        return format!("parse error: Unfinished JSON term at EOF at line {line}, column {col}");
    }
    let what = match text[tok_start] {
        b't' | b'f' | b'n' => "Invalid literal",
        _ => "Invalid numeric literal",
    };
    let (line, col) = position(text, i + 1);
    format!("parse error: {what} at line {line}, column {col}")
}

pub(super) fn position(text: &[u8], upto: usize) -> (usize, usize) {
    let upto = upto.min(text.len());
    let line = 1 + text[..upto].iter().filter(|b| **b == b'\n').count();
    let col = upto
        - text[..upto]
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |p| p + 1);
    (line, col)
}

// ---- output ------------------------------------------------------------------------------

/// A double as jq 1.6 prints it (David Gay's shortest digits, `g`-like layout).
pub fn number_text(d: f64) -> String {
    if d.is_nan() {
        return "null".into();
    }
    let d = d.clamp(f64::MIN, f64::MAX);
    if d == 0.0 {
        return if d.is_sign_negative() { "-0" } else { "0" }.into();
    }
    let e = format!("{:e}", d.abs());
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let decpt: i64 = exp.parse::<i64>().unwrap_or(0) + 1;
    let n = digits.len() as i64;
    let mut s = String::new();
    if d < 0.0 {
        s.push('-');
    }
    if decpt <= -4 || decpt > n + 15 {
        s.push_str(&digits[..1]);
        if n > 1 {
            s.push('.');
            s.push_str(&digits[1..]);
        }
        let x = decpt - 1;
        s.push('e');
        s.push(if x < 0 { '-' } else { '+' });
        s.push_str(&format!("{:02}", x.abs()));
    } else if decpt <= 0 {
        s.push_str("0.");
        for _ in decpt..0 {
            s.push('0');
        }
        s.push_str(&digits);
    } else if decpt >= n {
        s.push_str(&digits);
        for _ in n..decpt {
            s.push('0');
        }
    } else {
        s.push_str(&digits[..decpt as usize]);
        s.push('.');
        s.push_str(&digits[decpt as usize..]);
    }
    s
}

pub(super) fn string_text(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Writes `v` as jq does: `indent` Some(n) pretty-prints with n spaces.
pub(super) fn dump(v: &Jv, out: &mut String, indent: Option<usize>, level: usize, sort: bool) {
    let nl = |out: &mut String, level: usize| {
        if let Some(n) = indent {
            out.push('\n');
            for _ in 0..n * level {
                out.push(' ');
            }
        }
    };
    match v {
        Jv::Null => out.push_str("null"),
        Jv::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Jv::Num(d) => out.push_str(&number_text(*d)),
        Jv::Str(s) => string_text(s, out),
        Jv::Arr(a) if a.is_empty() => out.push_str("[]"),
        Jv::Obj(o) if o.is_empty() => out.push_str("{}"),
        Jv::Arr(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                nl(out, level + 1);
                dump(x, out, indent, level + 1, sort);
            }
            nl(out, level);
            out.push(']');
        }
        Jv::Obj(o) => {
            let mut pairs: Vec<&(String, Jv)> = o.iter().collect();
            if sort {
                crate::sort::sort_by(&mut pairs, |a, b| a.0.cmp(&b.0));
            }
            out.push('{');
            for (i, (k, x)) in pairs.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                nl(out, level + 1);
                string_text(k, out);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                dump(x, out, indent, level + 1, sort);
            }
            nl(out, level);
            out.push('}');
        }
    }
}
