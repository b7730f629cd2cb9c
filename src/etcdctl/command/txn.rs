//! `etcdctl txn`: reads compares, success requests and failure requests from stdin (three
//! sections, each ended by an empty line), with `--interactive` prompts.

use crate::api::EtcdVersion;
use crate::api::{Compare, CompareResult, CompareTarget, Request, RequestOp, Response, TxnRequest};

use super::super::flags::{self, go_quote, Flags, Found};
use super::super::{Fail, Io, EXIT_BAD_CONNECTION, EXIT_INVALID_INPUT};
use super::{bad_args, fail, Ctx};

fn invalid(msg: String) -> Fail {
    Fail::new(EXIT_INVALID_INPUT, msg)
}

/// A line as `bufio.Reader.ReadString('\n')` returns it: an unterminated line is an EOF error.
fn read_line(io: &mut Io) -> Result<String, Fail> {
    match io.read_line_terminated() {
        Some(l) => Ok(l),
        None => Err(invalid("EOF".to_string())),
    }
}

/// etcdctl's `Argify`: words, with "..." and '...' quoting.
pub fn argify(s: &str) -> Vec<String> {
    let cs: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        if cs[i].is_whitespace() {
            i += 1;
            continue;
        }
        if cs[i] == '"' {
            let mut j = i + 1;
            let mut w = String::new();
            let mut closed = false;
            while j < cs.len() {
                if cs[j] == '\\' && j + 1 < cs.len() {
                    if cs[j + 1] == '"' {
                        w.push('"');
                    } else {
                        w.push(cs[j]);
                        w.push(cs[j + 1]);
                    }
                    j += 2;
                    continue;
                }
                if cs[j] == '"' {
                    closed = true;
                    break;
                }
                w.push(cs[j]);
                j += 1;
            }
            if closed {
                out.push(w);
                i = j + 1;
                continue;
            }
            i += 1;
            continue;
        }
        if cs[i] == '\'' {
            if let Some(k) = cs[i + 1..].iter().position(|&c| c == '\'') {
                out.push(
                    cs[i + 1..i + 1 + k]
                        .iter()
                        .collect::<String>()
                        .replace("\\'", "'"),
                );
                i = i + 2 + k;
                continue;
            }
            i += 1;
            continue;
        }
        let mut j = i;
        while j < cs.len() && !cs[j].is_whitespace() {
            j += 1;
        }
        out.push(cs[i..j].iter().collect());
        i = j;
    }
    out
}

/// Reads one Go `%q` operand (double-quoted or back-quoted) from the start of `s`.
fn scan_quoted(s: &str) -> Option<(String, &str)> {
    let s = s.trim_start_matches([' ', '\t']);
    let mut cs = s.char_indices();
    match cs.next()? {
        (_, '`') => {
            let end = s[1..].find('`')?;
            Some((s[1..1 + end].to_string(), &s[2 + end..]))
        }
        (_, '"') => {
            let mut out = String::new();
            let mut esc = false;
            for (i, c) in cs {
                if esc {
                    match c {
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        '\\' => out.push('\\'),
                        '"' => out.push('"'),
                        '\'' => out.push('\''),
                        _ => return None,
                    }
                    esc = false;
                    continue;
                }
                if c == '\\' {
                    esc = true;
                } else if c == '"' {
                    return Some((out, &s[i + 1..]));
                } else {
                    out.push(c);
                }
            }
            None
        }
        _ => None,
    }
}

enum Parsed {
    Cmp(Compare),
    LeasePanic,
}

fn parse_compare(line: &str) -> Result<Parsed, Fail> {
    let malformed = || invalid(format!("malformed comparison: {}", line));
    let Some((target, rest)) = line.split_once('(') else {
        return Err(malformed());
    };
    // fmt.Sscanf(rest, "%q) %s %q", &key, &op, &val)
    let mut key = String::new();
    let mut op = String::new();
    let mut val = String::new();
    let mut n = 0;
    let mut serr: Option<String> = None;
    'scan: {
        let Some((k, r)) = scan_quoted(rest) else {
            serr = Some(if rest.trim().is_empty() {
                "unexpected EOF".into()
            } else {
                "expected quoted string".into()
            });
            break 'scan;
        };
        key = k;
        n = 1;
        let Some(r) = r.strip_prefix(')') else {
            serr = Some("input does not match format".into());
            break 'scan;
        };
        let r = r.trim_start_matches([' ', '\t']);
        let end = r.find([' ', '\t']).unwrap_or(r.len());
        if end == 0 {
            serr = Some("unexpected EOF".into());
            break 'scan;
        }
        op = r[..end].to_string();
        n = 2;
        let Some((v, _)) = scan_quoted(&r[end..]) else {
            serr = Some(if r[end..].trim().is_empty() {
                "unexpected EOF".into()
            } else {
                "expected quoted string".into()
            });
            break 'scan;
        };
        val = v;
        n = 3;
    }
    if n != 3 {
        let _ = serr;
        return Err(invalid(format!(
            "malformed comparison: {}; got {}({}) {} {}",
            line,
            target,
            go_quote(&key),
            op,
            go_quote(&val)
        )));
    }
    let result = match op.as_str() {
        "=" => CompareResult::Equal,
        "!=" => CompareResult::NotEqual,
        "<" => CompareResult::Less,
        ">" => CompareResult::Greater,
        _ => CompareResult::Equal,
    };
    let num = |v: &str| {
        flags::parse_int_base10(v)
            .map_err(|_| invalid(format!("invalid txn compare request: {}", line)))
    };
    let target = match target {
        "ver" | "version" => CompareTarget::Version(num(&val)?),
        "c" | "create" => CompareTarget::Create(num(&val)?),
        "m" | "mod" => CompareTarget::Mod(num(&val)?),
        "val" | "value" => CompareTarget::Value(val.into_bytes()),
        "lease" => return Ok(Parsed::LeasePanic),
        other => {
            return Err(invalid(format!(
                "malformed comparison: {} (unknown target {})",
                line, other
            )))
        }
    };
    Ok(Parsed::Cmp(Compare {
        result,
        target,
        key: key.into_bytes(),
        range_end: Vec::new(),
    }))
}

/// etcdctl 3.5.1's panic on a `lease(...)` compare (the release binary's build paths).
const LEASE_PANIC_3_5: [&str; 27] = [
    "panic: bad value",
    "",
    "goroutine 1 [running]:",
    "go.etcd.io/etcd/client/v3.mustInt64(...)",
    "\t/tmp/etcd-release-3.5.1/etcd/release/etcd/client/v3/compare.go:130",
    "go.etcd.io/etcd/client/v3.mustInt64orLeaseID(...)",
    "\t/tmp/etcd-release-3.5.1/etcd/release/etcd/client/v3/compare.go:139",
    "go.etcd.io/etcd/client/v3.Compare(0xc0000b8000, 0x5, 0xc0000b8008, 0x5, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, ...)",
    "\t/tmp/etcd-release-3.5.1/etcd/release/etcd/client/v3/compare.go:64 +0x6e5",
    "go.etcd.io/etcd/etcdctl/v3/ctlv3/command.parseCompare(0xc0000b4000, 0x1b, 0x1b, 0x0, 0x0)",
    "\t/tmp/etcd-release-3.5.1/etcd/release/etcd/etcdctl/ctlv3/command/txn_command.go:198 +0x5a5",
    "go.etcd.io/etcd/etcdctl/v3/ctlv3/command.readCompares(0xc0000a8000, 0x0, 0x0, 0x0)",
    "\t/tmp/etcd-release-3.5.1/etcd/release/etcd/etcdctl/ctlv3/command/txn_command.go:88 +0x7a",
    "go.etcd.io/etcd/etcdctl/v3/ctlv3/command.txnCommandFunc(0xc000186000, 0x1e6a3a0, 0x0, 0x0)",
    "\t/tmp/etcd-release-3.5.1/etcd/release/etcd/etcdctl/ctlv3/command/txn_command.go:55 +0x12d",
    "github.com/spf13/cobra.(*Command).execute(0xc000186000, 0x1e6a3a0, 0x0, 0x0, 0xc000186000, 0x1e6a3a0)",
    "\t/home/remote/sbatsche/.gvm/pkgsets/go1.16.3/global/pkg/mod/github.com/spf13/cobra@v1.1.3/command.go:856 +0x2c2",
    "github.com/spf13/cobra.(*Command).ExecuteC(0x1e5f8e0, 0xc000000180, 0x1, 0x1)",
    "\t/home/remote/sbatsche/.gvm/pkgsets/go1.16.3/global/pkg/mod/github.com/spf13/cobra@v1.1.3/command.go:960 +0x375",
    "github.com/spf13/cobra.(*Command).Execute(...)",
    "\t/home/remote/sbatsche/.gvm/pkgsets/go1.16.3/global/pkg/mod/github.com/spf13/cobra@v1.1.3/command.go:897",
    "go.etcd.io/etcd/etcdctl/v3/ctlv3.Start(0xc000100000, 0x1)",
    "\t/tmp/etcd-release-3.5.1/etcd/release/etcd/etcdctl/ctlv3/ctl.go:107 +0x85",
    "go.etcd.io/etcd/etcdctl/v3/ctlv3.MustStart()",
    "\t/tmp/etcd-release-3.5.1/etcd/release/etcd/etcdctl/ctlv3/ctl.go:111 +0x2f",
    "main.main()",
    "\t/tmp/etcd-release-3.5.1/etcd/release/etcd/etcdctl/main.go:59 +0x1b6",
];

/// The Go panic of etcdctl on a `lease(...)` compare (clientv3.mustInt64 of a string).
fn lease_panic(io: &mut Io, v: EtcdVersion) -> Fail {
    if v.is_3_5() {
        for l in LEASE_PANIC_3_5 {
            io.errln(l);
        }
        return Fail::silent(EXIT_BAD_CONNECTION);
    }
    for l in [
        "panic: bad value",
        "",
        "goroutine 1 [running]:",
        "go.etcd.io/etcd/clientv3.mustInt64(...)",
        "\tgo.etcd.io/etcd/clientv3/compare.go:130",
        "go.etcd.io/etcd/clientv3.mustInt64orLeaseID(...)",
        "\tgo.etcd.io/etcd/clientv3/compare.go:139",
        "go.etcd.io/etcd/clientv3.Compare({0x0, 0x0, {0x0, 0x0, 0x0}, {0x0, 0x0}, {0x0, 0x0, 0x0}}, ...)",
        "\tgo.etcd.io/etcd/clientv3/compare.go:64 +0x6a5",
        "go.etcd.io/etcd/etcdctl/ctlv3/command.parseCompare({0xc0000b4000, 0x1b})",
        "\tgo.etcd.io/etcd/etcdctl/ctlv3/command/txn_command.go:197 +0x5c5",
        "go.etcd.io/etcd/etcdctl/ctlv3/command.readCompares(0xc0000a8000?)",
        "\tgo.etcd.io/etcd/etcdctl/ctlv3/command/txn_command.go:87 +0x8d",
        "go.etcd.io/etcd/etcdctl/ctlv3/command.txnCommandFunc(0xc000186000?, {0x1e6a3a0?, 0x0?, 0x0?})",
        "\tgo.etcd.io/etcd/etcdctl/ctlv3/command/txn_command.go:54 +0x12d",
        "github.com/spf13/cobra.(*Command).execute(0xc000186000, {0x1e6a3a0, 0x0, 0x0})",
        "\tgithub.com/spf13/cobra/command.go:920 +0x847",
        "github.com/spf13/cobra.(*Command).ExecuteC(0x1e5f8e0)",
        "\tgithub.com/spf13/cobra/command.go:1044 +0x3bd",
        "github.com/spf13/cobra.(*Command).Execute(...)",
        "\tgithub.com/spf13/cobra/command.go:968",
        "go.etcd.io/etcd/etcdctl/ctlv3.Start()",
        "\tgo.etcd.io/etcd/etcdctl/ctlv3/ctl_nocov.go:26 +0x3e",
        "main.main()",
        "\tgo.etcd.io/etcd/etcdctl/main.go:35 +0x1b6",
    ] {
        io.errln(l);
    }
    Fail::silent(EXIT_BAD_CONNECTION)
}

/// Parses one request line (`put k v`, `get k --prefix`, `del k`) as etcdctl's txn does.
fn parse_request(line: &str, io: &mut Io, v: EtcdVersion) -> Result<RequestOp, Fail> {
    let args = argify(line);
    if args.len() < 2 {
        return Err(invalid(format!("invalid txn compare request: {}", line)));
    }
    let bad = || invalid(format!("invalid txn request: {}", line));
    let (path, rest) = match flags::find(&args, v) {
        Found::Command { path, args } if matches!(path.as_str(), "put" | "get" | "del") => {
            (path, args)
        }
        _ => return Err(bad()),
    };
    let fl = flags::parse(&path, &rest, v).map_err(|_| bad())?;
    // only the command's own flags exist in txn's request parser
    if fl.defs.iter().any(|d| d.global && fl.changed(&d.name)) {
        return Err(bad());
    }
    match path.as_str() {
        "get" => Ok(RequestOp::Range(super::get::get_op(&fl)?)),
        "del" => Ok(RequestOp::DeleteRange(super::del::del_op(&fl)?)),
        _ => Ok(RequestOp::Put(super::put::put_op(&fl, io)?)),
    }
}

/// `txnCommandFunc` up to the commit: the password `--user` asks for, then the compares,
/// the success and the failure requests (with their prompts under `--interactive`).
/// [`run`] commits what it returns; over what was typed so far it tells the console
/// whether the command still reads ([`Io::starved`]).
pub fn read_input(fl: &Flags, io: &mut Io, v: EtcdVersion) -> Result<TxnRequest, Fail> {
    if !fl.args.is_empty() {
        return Err(bad_args("txn command does not accept argument"));
    }
    let _ = super::super::client::auth_from_flags(fl, io);
    read_txn(io, fl.bool("interactive"), v)
}

fn read_txn(io: &mut Io, interactive: bool, v: EtcdVersion) -> Result<TxnRequest, Fail> {
    let mut txn = TxnRequest::default();
    if interactive {
        io.outln("compares:");
    }
    loop {
        let line = read_line(io)?;
        let line = line.trim();
        if line.is_empty() {
            break;
        }
        match parse_compare(line)? {
            Parsed::Cmp(c) => txn.compare.push(c),
            Parsed::LeasePanic => return Err(lease_panic(io, v)),
        }
    }
    for section in 0..2 {
        if interactive {
            io.outln(if section == 0 {
                "success requests (get, put, del):"
            } else {
                "failure requests (get, put, del):"
            });
        }
        loop {
            let line = read_line(io)?;
            let line = line.trim().to_string();
            if line.is_empty() {
                break;
            }
            let op = parse_request(&line, io, v)?;
            if section == 0 {
                txn.success.push(op);
            } else {
                txn.failure.push(op);
            }
        }
    }
    Ok(txn)
}

pub fn run(ctx: &mut Ctx) -> Result<(), Fail> {
    if !ctx.args().is_empty() {
        return Err(bad_args("txn command does not accept argument"));
    }
    let client = ctx.client()?;
    let txn = read_txn(ctx.io, ctx.flags.bool("interactive"), ctx.console.version)?;
    let resp = client
        .call(ctx.cluster, ctx.io, Request::Txn(txn))
        .map_err(fail)?;
    let p = ctx.printer()?;
    if let Response::Txn(r) = resp {
        p.txn(ctx.io, &r)?;
    }
    Ok(())
}
