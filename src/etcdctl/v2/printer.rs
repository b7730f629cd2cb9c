//! The three output formats of etcdctl's API 2 (`printResponseKey` in `ctlv2/command/format.go`):
//! `simple` (the value), `extended` (an RFC 2822 style header block) and `json` (the client's
//! `Response` as Go's `encoding/json` writes it). Printers never execute anything.

use crate::api::v2::event::rfc3339_nano;
use crate::api::v2::{Event, NodeExtern};

pub use crate::api::go_json::go_json_string;

/// `client.Node` in JSON.
pub fn node_json(n: &NodeExtern) -> String {
    let mut s = String::from("{");
    s.push_str(&format!("\"key\":{}", go_json_string(&n.key)));
    if n.dir {
        s.push_str(",\"dir\":true");
    }
    s.push_str(&format!(
        ",\"value\":{}",
        go_json_string(n.value.as_deref().unwrap_or(""))
    ));
    match n.nodes.as_ref().filter(|v| !v.is_empty()) {
        Some(children) => {
            let parts: Vec<String> = children.iter().map(node_json).collect();
            s.push_str(&format!(",\"nodes\":[{}]", parts.join(",")));
        }
        None => s.push_str(",\"nodes\":null"),
    }
    s.push_str(&format!(
        ",\"createdIndex\":{},\"modifiedIndex\":{}",
        n.created_index, n.modified_index
    ));
    if let Some(t) = n.expiration {
        s.push_str(&format!(",\"expiration\":\"{}\"", rfc3339_nano(t)));
    }
    if n.ttl != 0 {
        s.push_str(&format!(",\"ttl\":{}", n.ttl));
    }
    s.push('}');
    s
}

/// `client.Response` in JSON.
pub fn response_json(e: &Event) -> String {
    let prev = match &e.prev_node {
        Some(p) => node_json(p),
        None => "null".to_string(),
    };
    format!(
        "{{\"action\":{},\"node\":{},\"prevNode\":{}}}",
        go_json_string(&e.action),
        node_json(&e.node),
        prev
    )
}

/// What `printResponseKey` writes: (stdout, stderr).
pub fn print_response_key(e: &Event, format: &str) -> (String, String) {
    let value = e.node.value.as_deref().unwrap_or("");
    match format {
        "simple" => {
            if e.action != "delete" {
                (format!("{}\n", value), String::new())
            } else {
                let pv = e
                    .prev_node
                    .as_ref()
                    .and_then(|p| p.value.as_deref())
                    .unwrap_or("");
                (format!("PrevNode.Value: {}\n", pv), String::new())
            }
        }
        "extended" => {
            let mut s = format!(
                "Key: {}\nCreated-Index: {}\nModified-Index: {}\n",
                e.node.key, e.node.created_index, e.node.modified_index
            );
            if let Some(p) = &e.prev_node {
                s.push_str(&format!(
                    "PrevNode.Value: {}\n",
                    p.value.as_deref().unwrap_or("")
                ));
            }
            s.push_str(&format!("TTL: {}\nIndex: {}\n", e.node.ttl, e.etcd_index));
            if e.action != "delete" {
                s.push('\n');
                s.push_str(value);
                s.push('\n');
            }
            (s, String::new())
        }
        "json" => (format!("{}\n", response_json(e)), String::new()),
        other => (
            String::new(),
            format!("Unsupported output format: {}\n", other),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_like_go() {
        assert_eq!(
            go_json_string("a<b>&\"\n"),
            "\"a\\u003cb\\u003e\\u0026\\\"\\n\""
        );
        let e = Event {
            action: "set".into(),
            node: NodeExtern {
                key: "/plain".into(),
                value: Some("value".into()),
                created_index: 14,
                modified_index: 14,
                ..Default::default()
            },
            ..Default::default()
        };
        assert_eq!(
            response_json(&e),
            r#"{"action":"set","node":{"key":"/plain","value":"value","nodes":null,"createdIndex":14,"modifiedIndex":14},"prevNode":null}"#
        );
    }
}
