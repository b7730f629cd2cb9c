//! The crate map, enforced. Reads every `.rs` file under `src/`, collects every reference to
//! a module of the crate (`use crate::…` lines, `use crate::{a, b::c}` groups, inline paths
//! such as `crate::sim::TICK`, `super::` chains that climb to the crate root, serde's
//! `with = "crate::…"` attributes, and `etcd_playground::…` in `src/bin`), and fails, naming
//! file and line, on an edge the map does not allow; and fails on a Rust file in `src/` over
//! 1,000 lines.
//!
//! [`ALLOWED`] is the map drawn in `src/lib.rs` (keep the two together). [`PENDING`] lists the
//! edges today's code still has against it, each with who removes it; the list must end
//! empty. An entry that no longer matches anything fails too, so the list only shrinks.
//! Comments are ignored; string literals count only when they are a path (serde attributes).

#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;
use std::path::Path;

/// The longest a Rust file in `src/` may be.
const MAX_LINES: usize = 1000;

/// The crate map, inner to outer: each module and the modules it may import. Mirrors the
/// drawing in `src/lib.rs`. A module may always import itself; `bin` is `src/bin/*`.
const ALLOWED: &[(&str, &[&str])] = &[
    // The protocol: KeyValue, Event, requests and responses, rpctypes errors, byte helpers.
    ("api", &[]),
    // Standalone, like etcd's raft library.
    ("raft", &[]),
    // bbolt's file format (etcd's backend and snapshot files).
    ("bbolt", &[]),
    // The member's disk stores raft entries, as etcd's wal imports raftpb.
    ("persist", &["api", "raft"]),
    ("lease", &["api"]),
    ("auth", &["api"]),
    ("v2store", &["api"]),
    // etcd's mvcc imports its lease package, never the other way round.
    ("mvcc", &["api", "lease"]),
    (
        "server",
        &[
            "api", "raft", "persist", "mvcc", "lease", "auth", "v2store", "bbolt",
        ],
    ),
    // What a client sees of a cluster (the trait etcdctl and kubectl talk to).
    ("cluster", &["api"]),
    // A real etcd through its HTTP/JSON gateway, as a cluster (etcdplay --endpoints).
    ("gateway", &["api", "cluster"]),
    // A process's result (stdout, stderr, exit status): what every console command returns.
    ("process", &[]),
    // The simulated world: members, network, clock; implements the cluster interface.
    (
        "sim",
        &[
            "api", "raft", "persist", "mvcc", "lease", "auth", "v2store", "server", "cluster",
            "bbolt",
        ],
    ),
    // Sample /registry layouts and the key tree.
    ("registry", &["api"]),
    ("etcdctl", &["api", "cluster", "process", "bbolt"]),
    // etcd 3.5's offline tool reuses etcdctl's files, printers and restore.
    (
        "etcdutl",
        &["api", "cluster", "process", "bbolt", "etcdctl"],
    ),
    ("kubectl", &["api", "cluster", "process", "registry"]),
    // The node shell of the kubeadm lab reuses etcdctl's shell lexer.
    ("node", &["api", "cluster", "process", "etcdctl"]),
    (
        "playground",
        &[
            "api", "raft", "persist", "mvcc", "lease", "auth", "v2store", "server", "cluster",
            "sim", "registry", "etcdctl", "etcdutl", "kubectl", "node", "process", "bbolt",
        ],
    ),
    ("transcript", &["playground"]),
    // the page hands the browser's gateway client (`connect URL`) to the playground
    (
        "ui",
        &["api", "registry", "playground", "process", "gateway"],
    ),
    // etcdplay --endpoints builds the gateway's HTTP client and hands it to the playground.
    ("bin", &["playground", "transcript", "ui", "gateway"]),
    ("wasm_alloc", &[]),
    ("sort", &[]),
];

/// Leaf modules every module may import, as it does `std`: each imports nothing of the crate.
const EVERYWHERE: &[&str] = &["sort"];

/// An edge today's code has against the map: from a module to a path prefix, and who removes
/// it. The lead empties this list; it must not grow.
struct Pending {
    from: &'static str,
    to: &'static str,
    by: &'static str,
}

const fn p(from: &'static str, to: &'static str, by: &'static str) -> Pending {
    Pending { from, to, by }
}

const PENDING: &[Pending] = &[];

/// Paths that moved in issue 19, and their homes: no file in `src/`, `tests/`, `benches/`,
/// `examples/` or `fuzz/` may name the old path (nor may `src/` hold a file at it), so a
/// re-export at an old path cannot creep back.
const MOVED: &[(&str, &str)] = &[
    ("server::api", "api"),
    ("server::bytes", "api::bytes"),
    ("playground::Output", "process::Output"),
    ("v2store::error", "api::v2::error"),
    ("v2store::event", "api::v2::event"),
    ("v2store::path", "api::v2::path"),
    ("v2store::V2Request", "api::v2::V2Request"),
    ("v2store::V2Response", "api::v2::V2Response"),
    ("v2store::V2Error", "api::v2::V2Error"),
    ("v2store::KeysRequest", "api::v2::KeysRequest"),
    ("v2store::NodeExtern", "api::v2::NodeExtern"),
];

/// Files allowed over [`MAX_LINES`] until they are split, and who splits them.
const OVERSIZE: &[(&str, &str)] = &[];

// ---- the checker -------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    /// `::`
    Path,
    Punct(char),
    /// A string literal's contents (escapes left as written).
    Str(String),
}

/// Splits Rust source into tokens with their line numbers, dropping comments, whitespace,
/// numbers, lifetimes and char literals.
fn lex(src: &str) -> Vec<(Tok, usize)> {
    let c: Vec<char> = src.chars().collect();
    let at = |i: usize| c.get(i).copied().unwrap_or('\0');
    let mut out = Vec::new();
    let (mut i, mut line) = (0usize, 1usize);
    while i < c.len() {
        let ch = c[i];
        if ch == '\n' {
            line += 1;
            i += 1;
        } else if ch.is_whitespace() {
            i += 1;
        } else if ch == '/' && at(i + 1) == '/' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && at(i + 1) == '*' {
            let mut depth = 0usize;
            while i < c.len() {
                if c[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if c[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if ch == '"' {
            let start_line = line;
            let (s, next) = quoted(&c, i + 1, &mut line);
            out.push((Tok::Str(s), start_line));
            i = next;
        } else if ch == '\'' {
            // A char literal ('a', '\n', '\'') or a lifetime ('a): skip either.
            if at(i + 1) == '\\' {
                i += 2;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                i += 1;
            }
        } else if ch.is_alphabetic() || ch == '_' {
            let start = i;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            let word: String = c[start..i].iter().collect();
            let prefix = matches!(word.as_str(), "r" | "b" | "br" | "c" | "cr");
            if prefix && at(i) == '"' {
                let start_line = line;
                let (s, next) = if word.contains('r') {
                    raw(&c, i, 0, &mut line)
                } else {
                    quoted(&c, i + 1, &mut line)
                };
                out.push((Tok::Str(s), start_line));
                i = next;
            } else if prefix && word.contains('r') && at(i) == '#' {
                let mut hashes = 0;
                while at(i + hashes) == '#' {
                    hashes += 1;
                }
                if at(i + hashes) == '"' {
                    let start_line = line;
                    let (s, next) = raw(&c, i + hashes, hashes, &mut line);
                    out.push((Tok::Str(s), start_line));
                    i = next;
                } else {
                    // A raw identifier (r#type): the word after the hash.
                    i += 1;
                }
            } else if word == "b" && at(i) == '\'' {
                // A byte literal: let the char-literal branch skip it.
            } else {
                out.push((Tok::Ident(word), line));
            }
        } else if ch.is_ascii_digit() {
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
        } else if ch == ':' && at(i + 1) == ':' {
            out.push((Tok::Path, line));
            i += 2;
        } else {
            out.push((Tok::Punct(ch), line));
            i += 1;
        }
    }
    out
}

/// A `"…"` literal's contents from `i` (just after the quote); returns them and the index
/// after the closing quote.
fn quoted(c: &[char], mut i: usize, line: &mut usize) -> (String, usize) {
    let mut s = String::new();
    while i < c.len() && c[i] != '"' {
        if c[i] == '\\' {
            s.push(c[i]);
            i += 1;
        }
        if let Some(&ch) = c.get(i) {
            if ch == '\n' {
                *line += 1;
            }
            s.push(ch);
        }
        i += 1;
    }
    (s, i + 1)
}

/// A raw literal whose opening quote is at `i`, closed by a quote and `hashes` hashes.
fn raw(c: &[char], mut i: usize, hashes: usize, line: &mut usize) -> (String, usize) {
    i += 1;
    let mut s = String::new();
    while i < c.len() {
        if c[i] == '"' && (1..=hashes).all(|k| c.get(i + k) == Some(&'#')) {
            return (s, i + 1 + hashes);
        }
        if c[i] == '\n' {
            *line += 1;
        }
        s.push(c[i]);
        i += 1;
    }
    (s, i)
}

/// Where a file sits: its top module (`bin` for `src/bin/*`) and its module path.
fn module_of(rel: &str) -> Option<(String, Vec<String>)> {
    let inner = rel.strip_prefix("src/")?.strip_suffix(".rs")?;
    let mut parts: Vec<String> = inner.split('/').map(str::to_string).collect();
    if parts.first().map(String::as_str) == Some("bin") {
        return Some(("bin".to_string(), Vec::new()));
    }
    if parts.len() > 1 && parts.last().map(String::as_str) == Some("mod") {
        parts.pop();
    }
    if parts == ["lib"] {
        return Some((String::new(), Vec::new()));
    }
    Some((parts.first()?.clone(), parts))
}

/// One reference to a module of the crate: the line and the path from the crate root.
#[derive(Debug, PartialEq)]
struct Ref {
    line: usize,
    path: Vec<String>,
}

/// Every path under the use tree starting at `toks[j]`, appended to `prefix`.
fn use_tree(
    toks: &[(Tok, usize)],
    mut j: usize,
    prefix: Vec<String>,
    out: &mut Vec<Vec<String>>,
) -> usize {
    match toks.get(j).map(|t| &t.0) {
        Some(Tok::Punct('{')) => {
            j += 1;
            while let Some((t, _)) = toks.get(j) {
                match t {
                    Tok::Punct('}') => return j + 1,
                    Tok::Punct(',') => j += 1,
                    _ => {
                        let before = j;
                        j = use_tree(toks, j, prefix.clone(), out);
                        if j == before {
                            j += 1;
                        }
                    }
                }
            }
            j
        }
        Some(Tok::Punct('*')) => {
            let mut p = prefix;
            p.push("*".to_string());
            out.push(p);
            j + 1
        }
        Some(Tok::Ident(_)) => {
            let mut p = prefix;
            while let Some((Tok::Ident(s), _)) = toks.get(j) {
                p.push(s.clone());
                j += 1;
                if toks.get(j).map(|t| &t.0) != Some(&Tok::Path) {
                    break;
                }
                match toks.get(j + 1).map(|t| &t.0) {
                    Some(Tok::Ident(_)) => j += 1,
                    Some(Tok::Punct('{' | '*')) => return use_tree(toks, j + 1, p, out),
                    _ => break,
                }
            }
            out.push(p);
            j
        }
        _ => j,
    }
}

/// The references to crate modules in one file (see the module doc for what counts).
fn references(rel: &str, src: &str) -> Vec<Ref> {
    let Some((top, file_path)) = module_of(rel) else {
        return Vec::new();
    };
    let root_word = if top == "bin" {
        "etcd_playground"
    } else {
        "crate"
    };
    let toks = lex(src);
    let mut refs = Vec::new();
    // Inline modules (`mod tests { … }`) open at a brace depth.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut j = 0usize;
    while j < toks.len() {
        let (t, line) = (&toks[j].0, toks[j].1);
        let after_path = j > 0 && toks[j - 1].0 == Tok::Path;
        let next_is_path = toks.get(j + 1).map(|t| &t.0) == Some(&Tok::Path);
        match t {
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => {
                depth = depth.saturating_sub(1);
                if inline.last().map(|m| m.1) == Some(depth) {
                    inline.pop();
                }
            }
            Tok::Ident(w) if w == "mod" => {
                if let (Some((Tok::Ident(name), _)), Some((Tok::Punct('{'), _))) =
                    (toks.get(j + 1), toks.get(j + 2))
                {
                    inline.push((name.clone(), depth));
                }
            }
            Tok::Ident(w) if w == root_word && next_is_path && !after_path => {
                let mut paths = Vec::new();
                j = use_tree(&toks, j + 2, Vec::new(), &mut paths);
                refs.extend(paths.into_iter().map(|path| Ref { line, path }));
                continue;
            }
            Tok::Ident(w) if w == "super" && next_is_path && !after_path && top != "bin" => {
                let mut k = j;
                let mut ups = 0usize;
                while toks.get(k).map(|t| &t.0) == Some(&Tok::Ident("super".into()))
                    && toks.get(k + 1).map(|t| &t.0) == Some(&Tok::Path)
                {
                    ups += 1;
                    k += 2;
                }
                let here = file_path.len() + inline.len();
                if ups == here {
                    let mut paths = Vec::new();
                    j = use_tree(&toks, k, Vec::new(), &mut paths);
                    refs.extend(paths.into_iter().map(|path| Ref { line, path }));
                    continue;
                }
                j = k;
                continue;
            }
            Tok::Str(s) if top != "bin" && is_path_literal(s) => {
                if let Some(path) = literal_path(&file_path, inline.len(), s) {
                    refs.push(Ref { line, path });
                }
            }
            _ => {}
        }
        j += 1;
    }
    refs
}

/// Whether a string literal is a path (`crate::server::bytes`, `super::bytes`), not prose.
fn is_path_literal(s: &str) -> bool {
    s.contains("::")
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == ':')
}

/// The crate path a path literal names: `crate::…`, or `super::…` climbing to the root from
/// `file_path` plus `inline` inline modules. `None` when it stays inside the module.
fn literal_path(file_path: &[String], inline: usize, s: &str) -> Option<Vec<String>> {
    let segs: Vec<&str> = s.split("::").collect();
    let ups = segs.iter().take_while(|s| **s == "super").count();
    let rest = if segs.first() == Some(&"crate") {
        &segs[1..]
    } else if ups > 0 && ups == file_path.len() + inline {
        &segs[ups..]
    } else {
        return None;
    };
    Some(rest.iter().map(|s| s.to_string()).collect())
}

/// What the checker found: errors, one per line, each naming the file and the line.
fn check(
    files: &[(String, String)],
    allowed: &[(&str, &[&str])],
    pending: &[Pending],
    oversize: &[(&str, &str)],
) -> Vec<String> {
    let mut errors = Vec::new();
    let mut used_pending = BTreeSet::new();
    let mut used_oversize = BTreeSet::new();
    let known = |m: &str| allowed.iter().find(|(name, _)| *name == m);
    for (rel, src) in files {
        let Some((top, _)) = module_of(rel) else {
            continue;
        };
        let lines = src.lines().count();
        if lines > MAX_LINES {
            match oversize.iter().position(|(f, _)| f == rel) {
                Some(i) => {
                    used_oversize.insert(i);
                }
                None => errors.push(format!("{rel}: {lines} lines, over {MAX_LINES}")),
            }
        }
        if top.is_empty() {
            continue; // src/lib.rs declares the modules
        }
        let Some((_, may)) = known(&top) else {
            errors.push(format!(
                "{rel}: module `{top}` is not in the layer map (tests/layers.rs ALLOWED, src/lib.rs)"
            ));
            continue;
        };
        for r in references(rel, src) {
            let Some(to) = r.path.first() else { continue };
            if *to == top || may.contains(&to.as_str()) || EVERYWHERE.contains(&to.as_str()) {
                continue;
            }
            let joined = r.path.join("::");
            if known(to).is_none() {
                errors.push(format!(
                    "{rel}:{}: `crate::{joined}` names `{to}`, which is not a module in the layer map",
                    r.line
                ));
                continue;
            }
            let hit = pending.iter().position(|p| {
                p.from == top && (joined == p.to || joined.starts_with(&format!("{}::", p.to)))
            });
            match hit {
                Some(i) => {
                    used_pending.insert(i);
                }
                None => errors.push(format!(
                    "{rel}:{}: {top} -> {to} (`crate::{joined}`) is not allowed by the layer map",
                    r.line
                )),
            }
        }
    }
    for (i, p) in pending.iter().enumerate() {
        if !used_pending.contains(&i) {
            errors.push(format!(
                "PENDING {} -> {} (removed by {}) no longer occurs: delete it from tests/layers.rs",
                p.from, p.to, p.by
            ));
        }
    }
    for (i, (f, by)) in oversize.iter().enumerate() {
        if !used_oversize.contains(&i) {
            errors.push(format!(
                "OVERSIZE {f} (split by {by}) is no longer over {MAX_LINES} lines: delete it from tests/layers.rs"
            ));
        }
    }
    errors
}

/// Every `.rs` file under `dir`, as (`src/…` path, contents), sorted.
fn read_sources(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            read_sources(root, &path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let rel = rel.to_string_lossy().replace('\\', "/");
            let src = std::fs::read_to_string(&path).unwrap_or_default();
            out.push((rel, src));
        }
    }
    out.sort();
}

#[test]
fn the_crate_follows_the_layer_map() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    read_sources(root, &root.join("src"), &mut files);
    assert!(
        files.len() > 50,
        "found only {} files under src/",
        files.len()
    );
    let errors = check(&files, ALLOWED, PENDING, OVERSIZE);
    assert!(
        errors.is_empty(),
        "layer map violations:\n{}",
        errors.join("\n")
    );
}

/// Every crate path `src` names through `root` (`crate` or `etcd_playground`), with its line.
fn rooted_paths(src: &str, root: &str) -> Vec<(usize, String)> {
    let toks = lex(src);
    let mut out = Vec::new();
    let mut j = 0usize;
    while j < toks.len() {
        let after_path = j > 0 && toks[j - 1].0 == Tok::Path;
        let next_is_path = toks.get(j + 1).map(|t| &t.0) == Some(&Tok::Path);
        if toks[j].0 == Tok::Ident(root.to_string()) && next_is_path && !after_path {
            let line = toks[j].1;
            let mut paths = Vec::new();
            j = use_tree(&toks, j + 2, Vec::new(), &mut paths);
            out.extend(paths.into_iter().map(|p| (line, p.join("::"))));
            continue;
        }
        j += 1;
    }
    out
}

/// References to a [`MOVED`] path: `files` are (path, contents) of `src/` (through `crate` and
/// `super`) and of the other trees (through `etcd_playground`).
fn moved_references(files: &[(String, String)], moved: &[(&str, &str)]) -> Vec<String> {
    let mut errors = Vec::new();
    let is_old = |path: &str| {
        moved
            .iter()
            .find(|(old, _)| path == *old || path.starts_with(&format!("{old}::")))
    };
    for (rel, src) in files {
        let paths: Vec<(usize, String)> = if rel.starts_with("src/") {
            let mut v: Vec<(usize, String)> = references(rel, src)
                .into_iter()
                .map(|r| (r.line, r.path.join("::")))
                .collect();
            v.extend(rooted_paths(src, "etcd_playground"));
            if let Some((_, path)) = module_of(rel) {
                if let Some((old, new)) = is_old(&path.join("::")) {
                    errors.push(format!(
                        "{rel}: `{old}` moved to `crate::{new}`: delete this file"
                    ));
                }
            }
            v
        } else {
            rooted_paths(src, "etcd_playground")
        };
        for (line, path) in paths {
            if let Some((old, new)) = is_old(&path) {
                errors.push(format!("{rel}:{line}: `{path}`: `{old}` moved to `{new}`"));
            }
        }
    }
    errors
}

#[test]
fn nothing_names_a_moved_path() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "tests", "benches", "examples", "fuzz"] {
        read_sources(root, &root.join(dir), &mut files);
    }
    let errors = moved_references(&files, MOVED);
    assert!(errors.is_empty(), "old paths:\n{}", errors.join("\n"));
}

#[test]
fn moved_paths_are_found_everywhere() {
    let files = [
        (
            "src/sim/a.rs".to_string(),
            "use crate::server::api::Request;\n".to_string(),
        ),
        (
            "src/server/bytes.rs".to_string(),
            "//! re-export\n".to_string(),
        ),
        (
            "tests/t.rs".to_string(),
            "use etcd_playground::{playground::Output, api::X};\n".to_string(),
        ),
        (
            "src/server/apply.rs".to_string(),
            "use super::api::Request;\n".to_string(),
        ),
        (
            "benches/b.rs".to_string(),
            "use etcd_playground::server::apply::X;\n".to_string(),
        ),
    ];
    let e = moved_references(&files, MOVED);
    assert_eq!(e.len(), 3, "{e:?}");
    assert!(
        e[0].starts_with("src/sim/a.rs:1: `server::api::Request`"),
        "{e:?}"
    );
    assert!(
        e[1].starts_with("src/server/bytes.rs: `server::bytes` moved"),
        "{e:?}"
    );
    assert!(
        e[2].starts_with("tests/t.rs:1: `playground::Output`"),
        "{e:?}"
    );
}

#[test]
fn every_module_in_lib_rs_is_in_the_map() {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs"))
        .unwrap_or_default();
    let toks = lex(&lib);
    let mut missing = Vec::new();
    for w in toks.windows(3) {
        if let [(Tok::Ident(m), _), (Tok::Ident(name), _), (Tok::Punct(';'), _)] = w {
            if m == "mod" && !ALLOWED.iter().any(|(n, _)| n == name) {
                missing.push(name.clone());
            }
        }
    }
    assert!(
        missing.is_empty(),
        "modules missing from ALLOWED: {missing:?}"
    );
}

// ---- the checker, on synthetic sources ---------------------------------------------------

const MAP: &[(&str, &[&str])] = &[
    ("api", &[]),
    ("mvcc", &["api"]),
    ("server", &["api", "mvcc"]),
    ("sim", &["api", "mvcc", "server"]),
    ("ui", &["sim"]),
    ("bin", &["ui"]),
];

fn one(rel: &str, src: &str) -> Vec<String> {
    check(&[(rel.to_string(), src.to_string())], MAP, &[], &[])
}

/// Synthetic files and what the checker must say about them: the errors it reports, each
/// starting with the given text (none: the file is clean).
const CASES: &[(&str, &str, &[&str])] = &[
    // A forbidden edge, named by file and line.
    (
        "src/mvcc/kvstore.rs",
        "//! doc\n\nuse crate::server::api::KeyValue;\n",
        &["src/mvcc/kvstore.rs:3: mvcc -> server"],
    ),
    // Allowed edges and a module's references to itself.
    (
        "src/server/apply.rs",
        "use crate::mvcc::KvStore;\nuse crate::api::Event;\nuse crate::server::x;\n",
        &[],
    ),
    // Groups, nested groups.
    (
        "src/mvcc/a.rs",
        "use crate::{api::KeyValue, sim::{World, TICK}};\n",
        &["src/mvcc/a.rs:1: mvcc -> sim", "src/mvcc/a.rs:1: mvcc -> sim"],
    ),
    // Inline paths, turbofish.
    (
        "src/mvcc/a.rs",
        "fn f() {\n    let t = crate::ui::x::<u8>();\n}\n",
        &["src/mvcc/a.rs:2: mvcc -> ui"],
    ),
    // `super::` climbing to the crate root from a nested file…
    (
        "src/mvcc/a/b.rs",
        "use super::super::super::server::Member;\n",
        &["src/mvcc/a/b.rs:1: mvcc -> server"],
    ),
    // …or staying inside the module, counting inline modules.
    (
        "src/mvcc/a/b.rs",
        "use super::super::c::X;\nmod tests {\n    use super::super::super::api::Y;\n    use super::*;\n}\n",
        &[],
    ),
    (
        "src/mvcc/a.rs",
        "mod tests {\n    use super::super::super::sim::W;\n}\nuse super::super::sim::V;\n",
        &["src/mvcc/a.rs:2: mvcc -> sim", "src/mvcc/a.rs:4: mvcc -> sim"],
    ),
    // serde's `with = "…"` names a module.
    (
        "src/mvcc/a.rs",
        "struct S {\n    #[serde(with = \"crate::server::bytes\")]\n    k: Vec<u8>,\n}\n",
        &["src/mvcc/a.rs:2: mvcc -> server"],
    ),
    // Binaries name the library by its crate name.
    (
        "src/bin/web.rs",
        "use etcd_playground::sim::World;\nuse crate::local;\n",
        &["src/bin/web.rs:1: bin -> sim"],
    ),
    ("src/bin/web.rs", "fn main() { etcd_playground::ui::start(); }\n", &[]),
    // Comments, prose in strings, raw strings, char literals and lifetimes do not count…
    (
        "src/mvcc/a.rs",
        "//! see [`crate::sim::World`]\n// use crate::sim;\n/* crate::ui /* nested */ crate::sim */\n\
         const U: &str = \"http://x // crate::sim\";\nconst R: &str = r#\"see crate::ui\"#;\n\
         const C: char = '\"'; const D: char = '{'; const B: u8 = b'}';\nfn f<'a>(x: &'a str) {}\n",
        &[],
    ),
    // …and a `//` inside a string does not start a comment.
    (
        "src/mvcc/a.rs",
        "const U: &str = \"http://x\"; use crate::sim::W;\n",
        &["src/mvcc/a.rs:1: mvcc -> sim"],
    ),
    // Modules the map does not know.
    (
        "src/newmod/x.rs",
        "fn f() {}\n",
        &["src/newmod/x.rs: module `newmod` is not in the layer map"],
    ),
    (
        "src/mvcc/a.rs",
        "use crate::nowhere::X;\n",
        &["src/mvcc/a.rs:1: `crate::nowhere::X` names `nowhere`"],
    ),
];

#[test]
fn checker_finds_exactly_the_forbidden_references() {
    for (rel, src, want) in CASES {
        let got = one(rel, src);
        let matches =
            got.len() == want.len() && got.iter().zip(*want).all(|(g, w)| g.starts_with(w));
        assert!(matches, "{rel}: {src:?}\n  got:  {got:?}\n  want: {want:?}");
    }
}

#[test]
fn checker_catches_oversized_files() {
    let big = "fn f() {}\n".repeat(MAX_LINES + 1);
    let e = one("src/mvcc/big.rs", &big);
    assert!(
        e.len() == 1 && e[0] == "src/mvcc/big.rs: 1001 lines, over 1000",
        "{e:?}"
    );
    assert!(one("src/mvcc/big.rs", &"fn f() {}\n".repeat(MAX_LINES)).is_empty());
    let files = [("src/mvcc/big.rs".to_string(), big)];
    assert!(check(&files, MAP, &[], &[("src/mvcc/big.rs", "someone")]).is_empty());
    let e = check(&files[..0], MAP, &[], &[("src/mvcc/big.rs", "someone")]);
    assert!(
        e.len() == 1 && e[0].starts_with("OVERSIZE src/mvcc/big.rs"),
        "{e:?}"
    );
}

#[test]
fn checker_accepts_pending_edges_and_reports_stale_ones() {
    let files = [(
        "src/mvcc/a.rs".to_string(),
        "use crate::server::api::KeyValue;\n".to_string(),
    )];
    let pending = [p("mvcc", "server::api", "lead")];
    assert!(check(&files, MAP, &pending, &[]).is_empty());
    let narrower = [p("mvcc", "server::apply", "lead")];
    assert_eq!(check(&files, MAP, &narrower, &[]).len(), 2);
    let stale = [p("mvcc", "server::api", "lead"), p("ui", "api", "session")];
    let e = check(&files, MAP, &stale, &[]);
    assert!(
        e.len() == 1 && e[0].starts_with("PENDING ui -> api"),
        "{e:?}"
    );
}
