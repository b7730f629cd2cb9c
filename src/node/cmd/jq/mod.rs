//! `jq [-r] [-c] [-j] [-S] [-e] [-M] FILTER [FILE...]`: the part of jq 1.6 that tutorials pipe
//! etcdctl's `-w json` into — paths (`.`, `.a.b`, `."a"`, `.[N]`, `.[]`, `.[N:M]`, `?`), `|`,
//! `,`, `//`, comparisons, `and`/`or`/`not`, literals, `[...]`, and the builtins `@base64d`,
//! `@base64`, `@text`, `@json`, `keys`, `keys_unsorted`, `length`, `select`, `map`, `has`,
//! `tostring`, `tonumber`, `to_entries`, `type`, `sort`, `add`, `first`, `last`, `empty`,
//! `values`, `ascii_downcase`, `ascii_upcase`. Numbers are doubles printed as jq 1.6 prints them
//! (`14841639068965180000` for a cluster ID: jq 1.6 loses the last digits). Input read as
//! jq 1.6 reads it, key order kept; errors and exit codes as jq 1.6's.
//!
//! A builtin jq has but this one does not gets its own one-line message.
//!
//! Owns: the filter language subset, JSON text as jq prints it. Must not touch: anything else.

use super::Ctx;

mod eval;
mod filter;
mod value;

use eval::{eval, MAX_VALUES};
use filter::{compile, CompileError};
pub use value::number_text;
use value::{dump, parse_inputs, Jv};

// ---- the command -------------------------------------------------------------------------

/// jq's own usage line when no filter is given.
const USAGE: &str = "Usage:\tjq [OPTIONS] FILTER [FILES...]\n\tjq [OPTIONS] --args FILTER [ARGUMENTS...]\n\tjq [OPTIONS] --jsonargs FILTER [JSON_VALUES...]\n\njq is a tool for processing JSON inputs, applying the given filter to\nits JSON text inputs and producing the filter's results as JSON on\nstandard output.\n\nThe simplest filter is ., which copies jq's input to its output\nunmodified (except for formatting, but note that IEEE754 is used\nfor number representation internally, with all that that implies).\n\nFor more advanced filters see the jq(1) manpage (\"man jq\")\nand/or https://stedolan.github.io/jq\n\nExample:\n\n\t$ echo '{\"foo\": 0}' | jq .\n\t{\n\t\t\"foo\": 0\n\t}\n\nFor a listing of options, use jq --help.\n";

pub fn run(args: &[String], ctx: &mut Ctx) -> i32 {
    let (mut raw, mut compact, mut join, mut sort, mut exit_status, mut tab) =
        (false, false, false, false, false, false);
    let mut indent = 2usize;
    let mut filter: Option<String> = None;
    let mut files: Vec<String> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        i += 1;
        // options may come after the filter too (`jq .kvs -r`)
        if a == "-" || !a.starts_with('-') {
            if filter.is_none() {
                filter = Some(a.to_string());
            } else {
                files.push(a.to_string());
            }
            continue;
        }
        match a {
            "--raw-output" => raw = true,
            "--compact-output" => compact = true,
            "--join-output" => {
                raw = true;
                join = true
            }
            "--sort-keys" => sort = true,
            "--exit-status" => exit_status = true,
            "--monochrome-output" | "--color-output" | "--unbuffered" | "--ascii-output" => {}
            "--tab" => tab = true,
            "--indent" => {
                match args.get(i).and_then(|n| n.parse::<usize>().ok()) {
                    Some(n) if n <= 7 => indent = n,
                    _ => {
                        ctx.eprintln("jq: Cannot indent more than 7 characters");
                        ctx.err.extend_from_slice(USAGE.as_bytes());
                        return 2;
                    }
                }
                i += 1;
            }
            long if long.starts_with("--") => {
                ctx.eprintln(&format!("jq: Unknown option: {long}"));
                ctx.err.extend_from_slice(USAGE.as_bytes());
                return 2;
            }
            short => {
                for c in short.chars().skip(1) {
                    match c {
                        'r' => raw = true,
                        'c' => compact = true,
                        'j' => {
                            raw = true;
                            join = true
                        }
                        'S' => sort = true,
                        'e' => exit_status = true,
                        'M' | 'C' | 'a' => {}
                        _ => {
                            ctx.eprintln(&format!("jq: Unknown option: {short}"));
                            ctx.err.extend_from_slice(USAGE.as_bytes());
                            return 2;
                        }
                    }
                }
            }
        }
    }
    let Some(filter) = filter else {
        ctx.err.extend_from_slice(USAGE.as_bytes());
        return 2;
    };
    let ast = match compile(&filter) {
        Ok(a) => a,
        Err(CompileError(msg)) => {
            ctx.eprintln(&msg);
            if msg.contains(" at <top-level>") {
                ctx.eprintln("jq: 1 compile error");
            }
            return 3;
        }
    };
    let mut input = Vec::new();
    let mut status = 0;
    if files.is_empty() {
        input.extend_from_slice(ctx.stdin);
    } else {
        for f in &files {
            match ctx.read_file(f) {
                Ok(d) => input.extend_from_slice(&d),
                Err(e) => {
                    ctx.eprintln(&format!("jq: error: Could not open file {f}: {e}"));
                    status = 2;
                }
            }
        }
    }
    let (values, parse_err) = parse_inputs(&input);
    let ind = if compact {
        None
    } else if tab {
        Some(1)
    } else {
        Some(indent)
    };
    let mut last: Option<bool> = None;
    let mut budget = MAX_VALUES;
    for (v, line) in values {
        match eval(&ast, &v, &mut budget) {
            Ok(outs) => {
                for o in outs {
                    last = Some(o.truthy());
                    let mut t = String::new();
                    match (&o, raw) {
                        (Jv::Str(s), true) => t.push_str(s),
                        _ => {
                            dump(&o, &mut t, ind, 0, sort);
                            if tab {
                                t = t.replace("\n ", "\n\t");
                            }
                        }
                    }
                    if !join {
                        t.push('\n');
                    }
                    ctx.print(&t);
                }
            }
            Err(msg) => {
                let file = if files.is_empty() {
                    "<stdin>"
                } else {
                    files[files.len() - 1].as_str()
                };
                ctx.eprintln(&format!("jq: error (at {file}:{line}): {msg}"));
                status = 5;
            }
        }
    }
    if let Some(e) = parse_err {
        ctx.eprintln(&e);
        return 4;
    }
    if status != 0 {
        return status;
    }
    if exit_status {
        return match last {
            Some(true) => 0,
            Some(false) => 1,
            None => 4,
        };
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_jq_1_6() {
        for (d, t) in [
            (1e-5, "1e-05"),
            (1e17, "1e+17"),
            (123456789012345678.0, "123456789012345680"),
            (14841639068965178418.0, "14841639068965180000"),
            (0.1, "0.1"),
            (1.5e300, "1.5e+300"),
            (3.0, "3"),
            (-2.5, "-2.5"),
            (0.001, "0.001"),
        ] {
            assert_eq!(number_text(d), t);
        }
    }

    #[test]
    fn filters() {
        let v: Jv =
            serde_json::from_str(r#"{"kvs":[{"key":"YQ==","n":1},{"key":"Yg==","n":2}]}"#).unwrap();
        let run = |f: &str| {
            let ast = compile(f).map_err(|e| e.0).unwrap();
            eval(&ast, &v, &mut 1000).unwrap()
        };
        assert_eq!(run(".kvs[0].key|@base64d"), vec![Jv::Str("a".into())]);
        assert_eq!(
            run(".kvs[] | select(.n > 1) | .key"),
            vec![Jv::Str("Yg==".into())]
        );
        assert_eq!(run(".kvs | length"), vec![Jv::Num(2.0)]);
        assert_eq!(run("[.kvs[].n] | add"), vec![Jv::Num(3.0)]);
        assert_eq!(run(".nope // \"x\""), vec![Jv::Str("x".into())]);
        assert!(compile("test(\"a\")").is_err());
        assert!(compile(".a[").is_err());
    }
}
