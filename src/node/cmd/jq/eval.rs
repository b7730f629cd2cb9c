//! Running a compiled jq filter on a value: paths, iteration, comparisons, arithmetic and
//! the builtins, with jq 1.6's error texts and a bound on the values one run builds.
//!
//! Owns: evaluation. Must not touch: parsing, printing.

use super::filter::Ast;
use super::value::{dump, Jv};

// ---- evaluation --------------------------------------------------------------------------

/// At most this many values are built by one filter run (a runaway `..` on a large input).
pub(super) const MAX_VALUES: usize = 1_000_000;

pub(super) type Out = Result<Vec<Jv>, String>;

pub(super) fn index(v: &Jv, k: &Jv) -> Result<Jv, String> {
    match (v, k) {
        (Jv::Obj(_), Jv::Str(s)) => Ok(v.get(s).cloned().unwrap_or(Jv::Null)),
        (Jv::Null, Jv::Str(_) | Jv::Num(_)) => Ok(Jv::Null),
        (Jv::Arr(a), Jv::Num(n)) => {
            let i = n.floor() as i64;
            let i = if i < 0 { a.len() as i64 + i } else { i };
            Ok(usize::try_from(i)
                .ok()
                .and_then(|i| a.get(i))
                .cloned()
                .unwrap_or(Jv::Null))
        }
        (_, Jv::Str(s)) => Err(format!("Cannot index {} with string \"{}\"", v.kind(), s)),
        _ => Err(format!("Cannot index {} with {}", v.kind(), k.kind())),
    }
}

pub(super) fn cmp_values(a: &Jv, b: &Jv) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let rank = |v: &Jv| match v {
        Jv::Null => 0,
        Jv::Bool(false) => 1,
        Jv::Bool(true) => 2,
        Jv::Num(_) => 3,
        Jv::Str(_) => 4,
        Jv::Arr(_) => 5,
        Jv::Obj(_) => 6,
    };
    match (a, b) {
        (Jv::Num(x), Jv::Num(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        (Jv::Str(x), Jv::Str(y)) => x.cmp(y),
        (Jv::Arr(x), Jv::Arr(y)) => {
            for (p, q) in x.iter().zip(y) {
                let o = cmp_values(p, q);
                if o != Ordering::Equal {
                    return o;
                }
            }
            x.len().cmp(&y.len())
        }
        (Jv::Obj(x), Jv::Obj(y)) => {
            let mut kx: Vec<&String> = x.iter().map(|p| &p.0).collect();
            let mut ky: Vec<&String> = y.iter().map(|p| &p.0).collect();
            crate::sort::sort(&mut kx);
            crate::sort::sort(&mut ky);
            match kx.cmp(&ky) {
                Ordering::Equal => {
                    for k in kx {
                        let o = cmp_values(
                            a.get(k).unwrap_or(&Jv::Null),
                            b.get(k).unwrap_or(&Jv::Null),
                        );
                        if o != Ordering::Equal {
                            return o;
                        }
                    }
                    Ordering::Equal
                }
                o => o,
            }
        }
        _ => rank(a).cmp(&rank(b)),
    }
}

pub(super) fn base64_decode(s: &str) -> Result<Jv, String> {
    use base64::Engine;
    let t = s.trim_end_matches('=');
    let engine = base64::engine::general_purpose::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    match engine.decode(t) {
        Ok(b) => Ok(Jv::Str(String::from_utf8_lossy(&b).into_owned())),
        Err(_) if t.len() % 4 == 1 => Err(format!(
            "{} trailing base64 byte found",
            Jv::Str(s.to_string()).described()
        )),
        Err(_) => Err(format!(
            "{} is not valid base64 data",
            Jv::Str(s.to_string()).described()
        )),
    }
}

pub(super) fn tostring(v: &Jv) -> String {
    match v {
        Jv::Str(s) => s.clone(),
        _ => {
            let mut t = String::new();
            dump(v, &mut t, None, 0, false);
            t
        }
    }
}

pub(super) fn eval(ast: &Ast, v: &Jv, budget: &mut usize) -> Out {
    if *budget == 0 {
        return Err("this playground's jq stops after a million values".into());
    }
    *budget -= 1;
    let one = |x: Jv| Ok(vec![x]);
    match ast {
        Ast::Identity => one(v.clone()),
        Ast::Recurse => {
            let mut out = Vec::new();
            recurse(v, &mut out, budget)?;
            Ok(out)
        }
        Ast::Lit(x) => one(x.clone()),
        Ast::Index(e, k) => {
            let mut out = Vec::new();
            for x in eval(e, v, budget)? {
                for key in eval(k, v, budget)? {
                    out.push(index(&x, &key)?);
                }
            }
            Ok(out)
        }
        Ast::Slice(e, from, to) => {
            let mut out = Vec::new();
            for x in eval(e, v, budget)? {
                let bound =
                    |b: &Option<Box<Ast>>, budget: &mut usize| -> Result<Option<f64>, String> {
                        match b {
                            None => Ok(None),
                            Some(b) => match eval(b, v, budget)?.first() {
                                Some(Jv::Num(n)) => Ok(Some(*n)),
                                Some(Jv::Null) | None => Ok(None),
                                Some(o) => Err(format!(
                                "Start and end indices of an array slice must be numbers, not {}",
                                o.kind()
                            )),
                            },
                        }
                    };
                let (f, t) = (bound(from, budget)?, bound(to, budget)?);
                let clamp = |n: Option<f64>, len: usize, dflt: usize| -> usize {
                    match n {
                        None => dflt,
                        Some(n) => {
                            let n = n.floor() as i64;
                            let n = if n < 0 { len as i64 + n } else { n };
                            n.clamp(0, len as i64) as usize
                        }
                    }
                };
                match &x {
                    Jv::Null => out.push(Jv::Null),
                    Jv::Arr(a) => {
                        let (s, e2) = (clamp(f, a.len(), 0), clamp(t, a.len(), a.len()));
                        out.push(Jv::Arr(a[s..e2.max(s)].to_vec()));
                    }
                    Jv::Str(s) => {
                        let cs: Vec<char> = s.chars().collect();
                        let (a, b) = (clamp(f, cs.len(), 0), clamp(t, cs.len(), cs.len()));
                        out.push(Jv::Str(cs[a..b.max(a)].iter().collect()));
                    }
                    o => return Err(format!("Cannot index {} with object", o.kind())),
                }
            }
            Ok(out)
        }
        Ast::Iterate(e) => {
            let mut out = Vec::new();
            for x in eval(e, v, budget)? {
                match x {
                    Jv::Arr(a) => out.extend(a),
                    Jv::Obj(o) => out.extend(o.into_iter().map(|p| p.1)),
                    o => return Err(format!("Cannot iterate over {}", o.described())),
                }
            }
            Ok(out)
        }
        Ast::Try(e) => Ok(eval(e, v, budget).unwrap_or_default()),
        Ast::Pipe(a, b) => {
            let mut out = Vec::new();
            for x in eval(a, v, budget)? {
                out.extend(eval(b, &x, budget)?);
            }
            Ok(out)
        }
        Ast::Comma(a, b) => {
            let mut out = eval(a, v, budget)?;
            out.extend(eval(b, v, budget)?);
            Ok(out)
        }
        Ast::Alt(a, b) => {
            let l: Vec<Jv> = eval(a, v, budget)
                .unwrap_or_default()
                .into_iter()
                .filter(Jv::truthy)
                .collect();
            if l.is_empty() {
                eval(b, v, budget)
            } else {
                Ok(l)
            }
        }
        Ast::And(a, b) | Ast::Or(a, b) => {
            let is_and = matches!(ast, Ast::And(..));
            let mut out = Vec::new();
            for x in eval(a, v, budget)? {
                if is_and != x.truthy() {
                    out.push(Jv::Bool(!is_and));
                    continue;
                }
                for y in eval(b, v, budget)? {
                    out.push(Jv::Bool(y.truthy()));
                }
            }
            Ok(out)
        }
        Ast::Cmp(op, a, b) => {
            let mut out = Vec::new();
            for y in eval(b, v, budget)? {
                for x in eval(a, v, budget)? {
                    let o = cmp_values(&x, &y);
                    use std::cmp::Ordering::*;
                    let r = match *op {
                        "==" => o == Equal,
                        "!=" => o != Equal,
                        "<" => o == Less,
                        "<=" => o != Greater,
                        ">" => o == Greater,
                        _ => o != Less,
                    };
                    out.push(Jv::Bool(r));
                }
            }
            Ok(out)
        }
        Ast::Arith(op, a, b) => {
            let mut out = Vec::new();
            for y in eval(b, v, budget)? {
                for x in eval(a, v, budget)? {
                    out.push(arith(*op, x, &y)?);
                }
            }
            Ok(out)
        }
        Ast::Collect(e) => match e {
            None => one(Jv::Arr(Vec::new())),
            Some(e) => Ok(vec![Jv::Arr(eval(e, v, budget)?)]),
        },
        Ast::Format(f) => match (f.as_str(), v) {
            ("@base64d", Jv::Str(s)) => Ok(vec![base64_decode(s)?]),
            ("@base64d", o) => Err(format!("{} cannot be base64 decoded", o.described())),
            ("@base64", x) => {
                use base64::Engine;
                let t = tostring(x);
                one(Jv::Str(base64::engine::general_purpose::STANDARD.encode(t)))
            }
            ("@json", x) => {
                let mut t = String::new();
                dump(x, &mut t, None, 0, false);
                one(Jv::Str(t))
            }
            ("@sh", Jv::Str(s)) => one(Jv::Str(format!("'{}'", s.replace('\'', "'\\''")))),
            (_, x) => one(Jv::Str(tostring(x))),
        },
        Ast::Call(name, args) => call(name, args, v, budget),
    }
}

pub(super) fn arith(op: char, x: Jv, y: &Jv) -> Result<Jv, String> {
    match (op, &x, y) {
        ('+', Jv::Null, _) => Ok(y.clone()),
        ('+', _, Jv::Null) => Ok(x),
        ('+', Jv::Num(a), Jv::Num(b)) => Ok(Jv::Num(a + b)),
        ('+', Jv::Str(a), Jv::Str(b)) => Ok(Jv::Str(format!("{a}{b}"))),
        ('+', Jv::Arr(a), Jv::Arr(b)) => Ok(Jv::Arr(a.iter().chain(b).cloned().collect())),
        ('+', Jv::Obj(a), Jv::Obj(b)) => {
            let mut o = a.clone();
            for (k, val) in b {
                match o.iter_mut().find(|p| p.0 == *k) {
                    Some(p) => p.1 = val.clone(),
                    None => o.push((k.clone(), val.clone())),
                }
            }
            Ok(Jv::Obj(o))
        }
        ('-', Jv::Num(a), Jv::Num(b)) => Ok(Jv::Num(a - b)),
        ('*', Jv::Num(a), Jv::Num(b)) => Ok(Jv::Num(a * b)),
        ('/', Jv::Num(_), Jv::Num(b)) if *b == 0.0 => Err(format!(
            "{} and {} cannot be divided because the divisor is zero",
            x.described(),
            y.described()
        )),
        ('/', Jv::Num(a), Jv::Num(b)) => Ok(Jv::Num(a / b)),
        _ => {
            let verb = match op {
                '+' => "added",
                '-' => "subtracted",
                '*' => "multiplied",
                _ => "divided",
            };
            Err(format!(
                "{} and {} cannot be {verb}",
                x.described(),
                y.described()
            ))
        }
    }
}

pub(super) fn recurse(v: &Jv, out: &mut Vec<Jv>, budget: &mut usize) -> Result<(), String> {
    if *budget == 0 {
        return Err("this playground's jq stops after a million values".into());
    }
    *budget -= 1;
    out.push(v.clone());
    match v {
        Jv::Arr(a) => a.iter().try_for_each(|x| recurse(x, out, budget)),
        Jv::Obj(o) => o.iter().try_for_each(|(_, x)| recurse(x, out, budget)),
        _ => Ok(()),
    }
}

pub(super) fn call(name: &str, args: &[Ast], v: &Jv, budget: &mut usize) -> Out {
    let one = |x: Jv| Ok(vec![x]);
    match (name, args) {
        ("empty", _) => Ok(Vec::new()),
        ("not", _) => one(Jv::Bool(!v.truthy())),
        ("select", [f]) => {
            let keep = eval(f, v, budget)?;
            Ok(keep
                .into_iter()
                .filter(Jv::truthy)
                .map(|_| v.clone())
                .collect())
        }
        ("map", [f]) => {
            let items: Vec<Jv> = match v {
                Jv::Arr(a) => a.clone(),
                Jv::Obj(o) => o.iter().map(|p| p.1.clone()).collect(),
                o => return Err(format!("Cannot iterate over {}", o.described())),
            };
            let mut out = Vec::new();
            for x in items {
                out.extend(eval(f, &x, budget)?);
            }
            one(Jv::Arr(out))
        }
        ("has", [f]) => {
            let mut out = Vec::new();
            for k in eval(f, v, budget)? {
                out.push(Jv::Bool(match (v, &k) {
                    (Jv::Obj(_), Jv::Str(s)) => v.get(s).is_some(),
                    (Jv::Arr(a), Jv::Num(n)) => *n >= 0.0 && (*n as usize) < a.len(),
                    _ => {
                        return Err(format!(
                            "Cannot check whether {} has a {} key",
                            v.kind(),
                            k.kind()
                        ))
                    }
                }));
            }
            Ok(out)
        }
        ("keys" | "keys_unsorted", _) => match v {
            Jv::Obj(o) => {
                let mut k: Vec<String> = o.iter().map(|p| p.0.clone()).collect();
                if name == "keys" {
                    crate::sort::sort(&mut k);
                }
                one(Jv::Arr(k.into_iter().map(Jv::Str).collect()))
            }
            Jv::Arr(a) => one(Jv::Arr((0..a.len()).map(|i| Jv::Num(i as f64)).collect())),
            o => Err(format!("{} has no keys", o.described())),
        },
        ("length", _) => match v {
            Jv::Null => one(Jv::Num(0.0)),
            Jv::Bool(_) => Err(format!("{} has no length", v.described())),
            Jv::Num(n) => one(Jv::Num(n.abs())),
            Jv::Str(s) => one(Jv::Num(s.chars().count() as f64)),
            Jv::Arr(a) => one(Jv::Num(a.len() as f64)),
            Jv::Obj(o) => one(Jv::Num(o.len() as f64)),
        },
        ("tostring", _) => one(Jv::Str(tostring(v))),
        ("tojson", _) => {
            let mut t = String::new();
            dump(v, &mut t, None, 0, false);
            one(Jv::Str(t))
        }
        ("fromjson", _) => match v {
            Jv::Str(s) => match serde_json::from_str::<Jv>(s) {
                Ok(x) => one(x),
                Err(_) => Err(format!("{} cannot be parsed as JSON", v.described())),
            },
            o => Err(format!("{} cannot be parsed as JSON", o.described())),
        },
        ("tonumber", _) => match v {
            Jv::Num(_) => one(v.clone()),
            Jv::Str(s) => match s.trim().parse::<f64>() {
                Ok(n) => one(Jv::Num(n)),
                Err(_) => Err(format!("Cannot parse '{s}' as JSON")),
            },
            o => Err(format!("{} cannot be parsed as a number", o.described())),
        },
        ("type", _) => one(Jv::Str(v.kind().to_string())),
        ("to_entries", _) => match v {
            Jv::Obj(o) => one(Jv::Arr(
                o.iter()
                    .map(|(k, x)| {
                        Jv::Obj(vec![
                            ("key".to_string(), Jv::Str(k.clone())),
                            ("value".to_string(), x.clone()),
                        ])
                    })
                    .collect(),
            )),
            o => Err(format!("{} has no keys", o.described())),
        },
        ("sort", _) => match v {
            Jv::Arr(a) => {
                let mut a = a.clone();
                crate::sort::sort_by(&mut a, cmp_values);
                one(Jv::Arr(a))
            }
            o => Err(format!(
                "{} cannot be sorted, as it is not an array",
                o.described()
            )),
        },
        ("add", _) => match v {
            Jv::Arr(a) => {
                let mut acc = Jv::Null;
                for x in a {
                    acc = arith('+', acc, x)?;
                }
                one(acc)
            }
            Jv::Obj(o) => {
                let mut acc = Jv::Null;
                for (_, x) in o {
                    acc = arith('+', acc, x)?;
                }
                one(acc)
            }
            o => Err(format!("Cannot iterate over {}", o.described())),
        },
        ("first" | "last", _) => {
            let k = if name == "first" {
                Jv::Num(0.0)
            } else {
                Jv::Num(-1.0)
            };
            one(index(v, &k)?)
        }
        ("values", _) => Ok(if matches!(v, Jv::Null) {
            Vec::new()
        } else {
            vec![v.clone()]
        }),
        ("ascii_downcase" | "ascii_upcase", _) => match v {
            Jv::Str(s) => one(Jv::Str(if name == "ascii_downcase" {
                s.to_ascii_lowercase()
            } else {
                s.to_ascii_uppercase()
            })),
            o => Err(format!("{name} input must be a string, not {}", o.kind())),
        },
        _ => Err(format!("{name}/{} is not defined", args.len())),
    }
}
