//! kubectl's output formats: the column table (Go `tabwriter` as kubectl configures it:
//! minimum cell width 6, padding 3, spaces), `-o json` (4-space indent) and `-o yaml`.
//!
//! Owns: turning rows and objects into text. Must not touch: etcd, argument parsing.

use serde_json::Value;

/// Columns padded like kubectl's tabwriter: each column as wide as its widest cell plus 3
/// (at least 6); the last column is not padded.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let cols = header.len();
    let mut widths = vec![0usize; cols];
    let all = std::iter::once(header.iter().map(|s| s.to_string()).collect::<Vec<_>>()).chain(rows.iter().cloned());
    let all: Vec<Vec<String>> = all.collect();
    for r in &all {
        for (i, c) in r.iter().enumerate().take(cols) {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(c.chars().count() + 3).max(6);
            }
        }
    }
    let mut out = String::new();
    for r in &all {
        let mut line = String::new();
        for (i, c) in r.iter().enumerate().take(cols) {
            if i + 1 == cols {
                line.push_str(c);
            } else {
                let w = widths.get(i).copied().unwrap_or(0);
                line.push_str(c);
                line.push_str(&" ".repeat(w.saturating_sub(c.chars().count())));
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// `-o json`: 4-space indentation, as kubectl prints.
pub fn json(v: &Value) -> String {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    if serde::Serialize::serialize(v, &mut ser).is_err() {
        return String::new();
    }
    let mut s = String::from_utf8_lossy(&buf).into_owned();
    s.push('\n');
    s
}

/// `-o yaml`: block style, keys in order, strings quoted when YAML would read them as
/// something else, multi-line strings as literal blocks.
pub fn yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => yaml_map(m, 0, &mut out),
        Value::Array(a) if !a.is_empty() => yaml_seq(a, 0, &mut out),
        other => {
            out.push_str(&scalar(other, 0));
            out.push('\n');
        }
    }
    out
}

fn yaml_map(m: &serde_json::Map<String, Value>, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    for (k, v) in m {
        out.push_str(&pad);
        out.push_str(&key(k));
        out.push(':');
        yaml_value_after_key(v, indent, out);
    }
}

fn yaml_value_after_key(v: &Value, indent: usize, out: &mut String) {
    match v {
        Value::Object(c) if !c.is_empty() => {
            out.push('\n');
            yaml_map(c, indent + 2, out);
        }
        // Sequences under a key are not indented further (go-yaml's style).
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            yaml_seq(a, indent, out);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other, indent + 2));
            out.push('\n');
        }
    }
}

fn yaml_seq(a: &[Value], indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    for item in a {
        out.push_str(&pad);
        out.push('-');
        match item {
            Value::Object(m) if !m.is_empty() => {
                // First key on the dash's line, the rest indented under it.
                let mut first = true;
                for (k, v) in m {
                    if first {
                        out.push(' ');
                        first = false;
                    } else {
                        out.push_str(&pad);
                        out.push_str("  ");
                    }
                    out.push_str(&key(k));
                    out.push(':');
                    yaml_value_after_key(v, indent + 2, out);
                }
            }
            Value::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                yaml_seq(inner, indent + 2, out);
            }
            other => {
                out.push(' ');
                out.push_str(&scalar(other, indent + 2));
                out.push('\n');
            }
        }
    }
}

fn key(k: &str) -> String {
    if needs_quotes(k) {
        quote(k)
    } else {
        k.to_string()
    }
}

fn scalar(v: &Value, indent: usize) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
        Value::String(s) => {
            if s.contains('\n') && !s.contains('\r') && !s.starts_with(' ') {
                let pad = " ".repeat(indent);
                let body = s.strip_suffix('\n').unwrap_or(s);
                let mut out = String::from(if s.ends_with('\n') { "|" } else { "|-" });
                for line in body.split('\n') {
                    out.push('\n');
                    if !line.is_empty() {
                        out.push_str(&pad);
                        out.push_str(line);
                    }
                }
                out
            } else if needs_quotes(s) {
                quote(s)
            } else {
                s.clone()
            }
        }
    }
}

fn needs_quotes(s: &str) -> bool {
    if s.is_empty() || s.trim() != s {
        return true;
    }
    let lower = s.to_ascii_lowercase();
    if matches!(lower.as_str(), "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~" | "y" | "n") {
        return true;
    }
    if s.parse::<f64>().is_ok() || s.starts_with("0x") || s.starts_with("0o") {
        return true;
    }
    let first = s.chars().next().unwrap_or(' ');
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) && !(first == '-' && s.len() > 1 && !s.starts_with("- ")) {
        return true;
    }
    s.contains(": ") || s.contains(" #") || s.ends_with(':') || s.chars().any(|c| c.is_control())
}

fn quote(s: &str) -> String {
    if s.chars().any(|c| c.is_control()) {
        return serde_json::to_string(s).unwrap_or_default();
    }
    format!("'{}'", s.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tables_pad_like_kubectl() {
        let t = table(&["NAME", "READY", "STATUS", "RESTARTS", "AGE"], &[vec!["nginx-7c5ddbdf54-abcde".into(), "1/1".into(), "Running".into(), "0".into(), "5m".into()]]);
        assert_eq!(t, "NAME                     READY   STATUS    RESTARTS   AGE\nnginx-7c5ddbdf54-abcde   1/1     Running   0          5m\n");
        let t = table(&["NAME", "AGE"], &[vec!["a".into(), "1s".into()]]);
        assert_eq!(t, "NAME   AGE\na      1s\n");
    }

    #[test]
    fn yaml_like_kubectl() {
        let v = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"labels": {"app": "web"}, "name": "p", "resourceVersion": "12"},
            "spec": {"containers": [{"image": "nginx", "name": "web", "ports": [{"containerPort": 80}]}], "x": [], "e": {}},
            "data": {"Corefile": ".:53 {\n    errors\n}\n", "empty": "", "t": "true", "n": "0"}});
        assert_eq!(yaml(&v), "apiVersion: v1\ndata:\n  Corefile: |\n    .:53 {\n        errors\n    }\n  empty: ''\n  'n': '0'\n  t: 'true'\nkind: Pod\nmetadata:\n  labels:\n    app: web\n  name: p\n  resourceVersion: '12'\nspec:\n  containers:\n  - image: nginx\n    name: web\n    ports:\n    - containerPort: 80\n  e: {}\n  x: []\n");
    }

    #[test]
    fn json_indent() {
        assert_eq!(json(&json!({"a": [1]})), "{\n    \"a\": [\n        1\n    ]\n}\n");
    }
}

/// Go's `text/tabwriter` (flags 0, pad char ' '): cells end at `\t`; a column's width is
/// fixed per block of consecutive lines that have a cell in that column (widest cell plus
/// `padding`, at least `minwidth`); the text after a line's last tab is not aligned.
/// `kubectl describe` writes through one with minwidth 0 and padding 2.
pub fn tabwriter(text: &str, minwidth: usize, padding: usize) -> String {
    let lines: Vec<Vec<&str>> = text.split_inclusive('\n')
        .map(|l| l.strip_suffix('\n').unwrap_or(l).split('\t').collect())
        .collect();
    let ends_with_newline: Vec<bool> = text.split_inclusive('\n').map(|l| l.ends_with('\n')).collect();
    let mut out = String::new();
    let mut widths: Vec<usize> = Vec::new();
    format_block(&lines, 0, lines.len(), &mut widths, minwidth, padding, &mut out, &ends_with_newline);
    out
}

#[allow(clippy::too_many_arguments)]
fn format_block(lines: &[Vec<&str>], mut line0: usize, line1: usize, widths: &mut Vec<usize>, minwidth: usize,
                padding: usize, out: &mut String, nl: &[bool]) {
    let column = widths.len();
    let mut this = line0;
    while this < line1 {
        let cells = lines.get(this).map(|l| l.len()).unwrap_or(0);
        if column + 1 >= cells {
            this += 1;
            continue;
        }
        write_lines(lines, line0, this, widths, out, nl);
        line0 = this;
        let mut width = minwidth;
        while this < line1 {
            let Some(line) = lines.get(this) else { break };
            if column + 1 >= line.len() {
                break;
            }
            let w = line.get(column).map(|c| c.chars().count()).unwrap_or(0) + padding;
            width = width.max(w);
            this += 1;
        }
        widths.push(width);
        format_block(lines, line0, this, widths, minwidth, padding, out, nl);
        widths.pop();
        line0 = this;
    }
    write_lines(lines, line0, line1, widths, out, nl);
}

fn write_lines(lines: &[Vec<&str>], from: usize, to: usize, widths: &[usize], out: &mut String, nl: &[bool]) {
    for i in from..to {
        let Some(line) = lines.get(i) else { continue };
        for (j, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if j + 1 < line.len() {
                let w = widths.get(j).copied().unwrap_or(0);
                out.push_str(&" ".repeat(w.saturating_sub(cell.chars().count())));
            }
        }
        if nl.get(i).copied().unwrap_or(false) {
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tabwriter_tests {
    use super::tabwriter;

    #[test]
    fn blocks_align_separately() {
        let t = "Name:\tx\nService Account:\tdefault\nIPs:\n  IP:\t1.2.3.4\nControlled By:\tReplicaSet/r\n";
        assert_eq!(tabwriter(t, 0, 2), "Name:             x\nService Account:  default\nIPs:\n  IP:           1.2.3.4\nControlled By:  ReplicaSet/r\n");
        let t = "Labels:\ta=b\n\tc=d\n";
        assert_eq!(tabwriter(t, 0, 2), "Labels:  a=b\n         c=d\n");
    }
}
