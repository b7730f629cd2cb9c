//! The bytes kube-apiserver writes for a built-in object: the `k8s\0` magic followed by a
//! protobuf `runtime.Unknown` (`typeMeta {apiVersion, kind}`, `raw` = the object in protobuf,
//! `contentEncoding`, `contentType`), built here from the object's JSON and annotated segment by
//! segment for the key detail view; and a reader of that envelope for values found in a store.
//!
//! Owns: a small protobuf writer (varints, length-delimited fields) driven by the field tables
//! of [`super::proto_schema`], and the envelope reader. Must not touch: the store, the UI.
//!
//! Fidelity: fields are written in field-number order and map entries in key order, as the
//! apiserver's generated marshallers do, and `ObjectMeta`'s always-present fields are written
//! even when empty. Fields absent from the JSON are left out elsewhere (the generated code
//! also writes empty non-pointer fields), and subtrees the tables do not describe (volumes,
//! probes, affinity...) are listed in [`Encoded::not_encoded`] instead of being encoded.

use serde_json::Value;

use super::k8stime::parse_rfc3339;
use super::proto_schema::{message_for_kind, object_meta, Card, Field, FieldKind, Message};

/// The magic prefix of kube-apiserver's protobuf storage encoding.
pub const MAGIC: &[u8; 4] = b"k8s\0";

/// A run of bytes and what it means. Concatenating every segment's bytes gives the encoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Nesting level: 0 for the envelope, 1 inside `typeMeta` / `raw`, and so on.
    pub depth: u16,
    pub bytes: Vec<u8>,
    pub note: String,
}

/// An object encoded as kube-apiserver stores it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Encoded {
    pub segments: Vec<Segment>,
    /// JSON paths left out because the tables do not describe them.
    pub not_encoded: Vec<String>,
}

impl Encoded {
    pub fn bytes(&self) -> Vec<u8> {
        self.segments
            .iter()
            .flat_map(|s| s.bytes.iter().copied())
            .collect()
    }

    /// `offset  hex bytes  note`, one line a segment, indented by depth; long payloads are
    /// cut after 24 bytes with a count of the rest.
    pub fn annotated_hex(&self) -> String {
        let mut out = String::new();
        let mut offset = 0usize;
        for s in &self.segments {
            let shown: Vec<String> = s
                .bytes
                .iter()
                .take(24)
                .map(|b| format!("{b:02x}"))
                .collect();
            let more = if s.bytes.len() > 24 {
                format!(" …(+{})", s.bytes.len() - 24)
            } else {
                String::new()
            };
            out.push_str(&format!(
                "{offset:06x}  {}{}{}  {}\n",
                "  ".repeat(s.depth as usize),
                shown.join(" "),
                more,
                s.note
            ));
            offset += s.bytes.len();
        }
        out
    }
}

/// Encodes a built-in object's JSON as kube-apiserver stores it (`k8s\0` + `runtime.Unknown`).
/// `None` when the kind is not a built-in type described here (custom resources are JSON).
pub fn encode_object(obj: &Value) -> Option<Encoded> {
    let api_version = obj.get("apiVersion")?.as_str()?;
    let kind = obj.get("kind")?.as_str()?;
    let msg = message_for_kind(api_version, kind)?;
    let mut not_encoded = Vec::new();
    let raw = encode_message(msg, obj, 1, "", &mut not_encoded);
    let raw_len: usize = raw.iter().map(|s| s.bytes.len()).sum();
    let mut segs = vec![Segment {
        depth: 0,
        bytes: MAGIC.to_vec(),
        note: "magic \"k8s\\0\": protobuf storage encoding".into(),
    }];
    let tm = vec![
        str_segment(1, 1, "apiVersion", api_version),
        str_segment(1, 2, "kind", kind),
    ];
    let tm_len: usize = tm.iter().map(|s| s.bytes.len()).sum();
    segs.push(Segment {
        depth: 0,
        bytes: header(1, tm_len),
        note: format!("field 1 typeMeta (TypeMeta, {tm_len} bytes)"),
    });
    segs.extend(tm);
    segs.push(Segment {
        depth: 0,
        bytes: header(2, raw_len),
        note: format!("field 2 raw: the {kind} as protobuf ({raw_len} bytes)"),
    });
    segs.extend(raw);
    segs.push(Segment {
        depth: 0,
        bytes: header(3, 0),
        note: "field 3 contentEncoding: \"\" (none)".into(),
    });
    segs.push(Segment {
        depth: 0,
        bytes: header(4, 0),
        note: "field 4 contentType: \"\" (raw is protobuf)".into(),
    });
    Some(Encoded {
        segments: segs,
        not_encoded,
    })
}

fn tag(number: u32, wire: u8) -> Vec<u8> {
    varint((u64::from(number) << 3) | u64::from(wire))
}

fn header(number: u32, len: usize) -> Vec<u8> {
    let mut b = tag(number, 2);
    b.extend(varint(len as u64));
    b
}

pub fn varint(mut v: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(10);
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return out;
        }
        out.push(byte | 0x80);
    }
}

fn str_segment(depth: u16, number: u32, name: &str, s: &str) -> Segment {
    let mut b = header(number, s.len());
    b.extend_from_slice(s.as_bytes());
    let shown: String = s.chars().take(60).collect();
    let cut = if s.chars().count() > 60 { "…" } else { "" };
    Segment {
        depth,
        bytes: b,
        note: format!("field {number} {name}: {shown:?}{cut}"),
    }
}

fn bytes_segment(depth: u16, number: u32, name: &str, b: &[u8]) -> Segment {
    let mut out = header(number, b.len());
    out.extend_from_slice(b);
    Segment {
        depth,
        bytes: out,
        note: format!("field {number} {name}: {} bytes", b.len()),
    }
}

fn varint_segment(depth: u16, number: u32, name: &str, v: i64, shown: &str) -> Segment {
    let mut b = tag(number, 0);
    b.extend(varint(v as u64));
    Segment {
        depth,
        bytes: b,
        note: format!("field {number} {name}: {shown}"),
    }
}

fn nested(
    depth: u16,
    number: u32,
    name: &str,
    type_name: &str,
    children: Vec<Segment>,
) -> Vec<Segment> {
    let len: usize = children.iter().map(|s| s.bytes.len()).sum();
    let mut out = vec![Segment {
        depth,
        bytes: header(number, len),
        note: format!("field {number} {name} ({type_name}, {len} bytes)"),
    }];
    out.extend(children);
    out
}

/// The fields of one message, in field-number order.
fn encode_message(
    msg: &'static Message,
    v: &Value,
    depth: u16,
    path: &str,
    skipped: &mut Vec<String>,
) -> Vec<Segment> {
    let Some(obj) = v.as_object() else {
        return Vec::new();
    };
    let mut fields: Vec<(&'static Field, &Value)> = Vec::new();
    for (k, val) in obj {
        if path.is_empty() && (k == "apiVersion" || k == "kind") {
            continue;
        }
        match msg.field(k) {
            Some(f) => fields.push((f, val)),
            None => skipped.push(format!("{path}{k}")),
        }
    }
    // ObjectMeta's string fields, generation and creationTimestamp are always written.
    if object_meta().is_some_and(|m| std::ptr::eq(msg, m)) {
        for name in [
            "name",
            "generateName",
            "namespace",
            "selfLink",
            "uid",
            "resourceVersion",
            "generation",
            "creationTimestamp",
        ] {
            if !obj.contains_key(name) {
                if let Some(f) = msg.field(name) {
                    let empty: &'static Value = match name {
                        "generation" => &ZERO,
                        "creationTimestamp" => &NULL_TIME,
                        _ => &EMPTY_STR,
                    };
                    fields.push((f, empty));
                }
            }
        }
    }
    crate::sort::sort_by_key(&mut fields, |(f, _)| f.number);
    let mut out = Vec::new();
    for (f, val) in fields {
        let p = format!("{path}{}", f.json);
        match f.card {
            Card::One => out.extend(encode_value(f, val, depth, &p, skipped)),
            Card::Repeated => {
                if let Some(items) = val.as_array() {
                    for (i, item) in items.iter().enumerate() {
                        out.extend(encode_value(f, item, depth, &format!("{p}[{i}]"), skipped));
                    }
                }
            }
            Card::Map => {
                if let Some(m) = val.as_object() {
                    // serde_json's map is ordered by key, as the generated marshallers sort.
                    for (k, item) in m {
                        let mut entry = vec![str_segment(depth + 1, 1, "key", k)];
                        let value_field = super::proto_schema::Field {
                            json: "value",
                            number: 2,
                            card: Card::One,
                            kind: f.kind,
                        };
                        entry.extend(encode_value(
                            &value_field,
                            item,
                            depth + 1,
                            &format!("{p}.{k}"),
                            skipped,
                        ));
                        out.extend(nested(
                            depth,
                            f.number,
                            &format!("{}[{k:?}]", f.json),
                            "map entry",
                            entry,
                        ));
                    }
                }
            }
        }
    }
    out
}

static ZERO: Value = Value::Null;
static NULL_TIME: Value = Value::Null;
static EMPTY_STR: Value = Value::Null;

fn encode_value(
    f: &Field,
    val: &Value,
    depth: u16,
    path: &str,
    skipped: &mut Vec<String>,
) -> Vec<Segment> {
    let n = f.number;
    let name = f.json;
    // Always-written ObjectMeta fields arrive as null when absent.
    if val.is_null() {
        return match (f.kind, f.card) {
            (FieldKind::Str, Card::One) if is_meta_always(name) => {
                vec![str_segment(depth, n, name, "")]
            }
            (FieldKind::Int, Card::One) if name == "generation" => {
                vec![varint_segment(depth, n, name, 0, "0")]
            }
            (FieldKind::Time, Card::One) if name == "creationTimestamp" => {
                nested(depth, n, name, "Time", Vec::new())
            }
            _ => Vec::new(),
        };
    }
    match f.kind {
        FieldKind::Str => {
            let s = match val {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            vec![str_segment(depth, n, name, &s)]
        }
        FieldKind::Int => {
            let i = val
                .as_i64()
                .or_else(|| val.as_str().and_then(|s| s.parse().ok()))
                .unwrap_or(0);
            vec![varint_segment(depth, n, name, i, &i.to_string())]
        }
        FieldKind::Bool => {
            let b = val.as_bool().unwrap_or(false);
            vec![varint_segment(depth, n, name, i64::from(b), &b.to_string())]
        }
        FieldKind::Double => {
            let d = val.as_f64().unwrap_or(0.0);
            let mut b = tag(n, 1);
            b.extend_from_slice(&d.to_le_bytes());
            vec![Segment {
                depth,
                bytes: b,
                note: format!("field {n} {name}: {d}"),
            }]
        }
        FieldKind::Bytes => {
            let text = val.as_str().unwrap_or("");
            let raw = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, text)
                .unwrap_or_default();
            vec![bytes_segment(depth, n, name, &raw)]
        }
        FieldKind::Time => {
            let text = val.as_str().unwrap_or("");
            let (secs, nanos) = parse_time(text);
            let mut kids = Vec::new();
            if secs != 0 {
                kids.push(varint_segment(
                    depth + 1,
                    1,
                    "seconds",
                    secs,
                    &format!("{secs} ({text})"),
                ));
            }
            if nanos != 0 {
                kids.push(varint_segment(
                    depth + 1,
                    2,
                    "nanos",
                    nanos,
                    &nanos.to_string(),
                ));
            }
            nested(depth, n, name, "Time", kids)
        }
        FieldKind::Quantity => {
            let s = match val {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            nested(
                depth,
                n,
                name,
                "Quantity",
                vec![str_segment(depth + 1, 1, "string", &s)],
            )
        }
        FieldKind::IntOrString => {
            let kids = match val {
                Value::Number(num) => {
                    let i = num.as_i64().unwrap_or(0);
                    vec![
                        varint_segment(depth + 1, 1, "type", 0, "0 (Int)"),
                        varint_segment(depth + 1, 2, "intVal", i, &i.to_string()),
                        str_segment(depth + 1, 3, "strVal", ""),
                    ]
                }
                other => {
                    let s = other
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| other.to_string());
                    vec![
                        varint_segment(depth + 1, 1, "type", 1, "1 (String)"),
                        varint_segment(depth + 1, 2, "intVal", 0, "0"),
                        str_segment(depth + 1, 3, "strVal", &s),
                    ]
                }
            };
            nested(depth, n, name, "IntOrString", kids)
        }
        FieldKind::RawExtension => {
            let text = val.to_string();
            nested(
                depth,
                n,
                name,
                "RawExtension",
                vec![bytes_segment(depth + 1, 1, "raw (JSON)", text.as_bytes())],
            )
        }
        FieldKind::Msg(m) => {
            let m = m.get();
            let kids = encode_message(m, val, depth + 1, &format!("{path}."), skipped);
            nested(depth, n, name, m.name, kids)
        }
        FieldKind::Skip => {
            if val.as_object().is_some_and(|o| o.is_empty()) {
                nested(depth, n, name, "message", Vec::new())
            } else {
                skipped.push(path.to_string());
                Vec::new()
            }
        }
    }
}

fn is_meta_always(name: &str) -> bool {
    matches!(
        name,
        "name" | "generateName" | "namespace" | "selfLink" | "uid" | "resourceVersion"
    )
}

/// Seconds and nanoseconds of `2026-11-25T06:00:00Z` or `2026-11-25T06:00:00.123456Z`.
fn parse_time(text: &str) -> (i64, i64) {
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) => (format!("{w}Z"), f.trim_end_matches('Z')),
        None => (text.to_string(), ""),
    };
    let secs = parse_rfc3339(&whole).unwrap_or(0);
    let digits: String = frac
        .chars()
        .take_while(char::is_ascii_digit)
        .take(9)
        .collect();
    let nanos = if digits.is_empty() {
        0
    } else {
        format!("{digits:0<9}").parse::<i64>().unwrap_or(0)
    };
    (secs, nanos)
}

// ---- reading -----------------------------------------------------------------------------

/// The `runtime.Unknown` envelope of a stored value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    pub api_version: String,
    pub kind: String,
    pub raw_len: usize,
    pub content_encoding: String,
    pub content_type: String,
}

/// Reads the envelope of a `k8s\0`-prefixed value; `None` if it is not one or is malformed.
pub fn read_envelope(value: &[u8]) -> Option<Envelope> {
    let body = value.strip_prefix(MAGIC.as_slice())?;
    let mut env = Envelope {
        api_version: String::new(),
        kind: String::new(),
        raw_len: 0,
        content_encoding: String::new(),
        content_type: String::new(),
    };
    for (number, payload) in fields(body)? {
        let text = || String::from_utf8_lossy(payload).into_owned();
        match number {
            1 => {
                for (n, p) in fields(payload)? {
                    match n {
                        1 => env.api_version = String::from_utf8_lossy(p).into_owned(),
                        2 => env.kind = String::from_utf8_lossy(p).into_owned(),
                        _ => {}
                    }
                }
            }
            2 => env.raw_len = payload.len(),
            3 => env.content_encoding = text(),
            4 => env.content_type = text(),
            _ => {}
        }
    }
    Some(env)
}

fn read_varint(b: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v: u64 = 0;
    for shift in (0..64).step_by(7) {
        let byte = *b.get(*pos)?;
        *pos += 1;
        v |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

/// The length-delimited fields of a message (other wire types are skipped).
fn fields(b: &[u8]) -> Option<Vec<(u64, &[u8])>> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < b.len() {
        let key = read_varint(b, &mut pos)?;
        match key & 7 {
            0 => {
                read_varint(b, &mut pos)?;
            }
            1 => pos = pos.checked_add(8)?,
            2 => {
                let len = usize::try_from(read_varint(b, &mut pos)?).ok()?;
                let end = pos.checked_add(len)?;
                out.push((key >> 3, b.get(pos..end)?));
                pos = end;
            }
            5 => pos = pos.checked_add(4)?,
            _ => return None,
        }
    }
    (pos == b.len()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn varints() {
        assert_eq!(varint(0), vec![0]);
        assert_eq!(varint(1), vec![1]);
        assert_eq!(varint(300), vec![0xac, 0x02]);
        assert_eq!(varint(u64::MAX).len(), 10);
    }

    #[test]
    fn namespace_envelope_bytes() {
        let ns = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "demo",
            "uid": "u", "creationTimestamp": "1970-01-01T00:00:10Z"}, "spec": {"finalizers": ["kubernetes"]},
            "status": {"phase": "Active"}});
        let e = encode_object(&ns).unwrap();
        let b = e.bytes();
        let mut want: Vec<u8> = b"k8s\0".to_vec();
        want.extend([0x0a, 0x0f, 0x0a, 0x02, b'v', b'1', 0x12, 0x09]);
        want.extend(b"Namespace");
        assert_eq!(&b[..want.len()], &want[..]);
        assert!(b.ends_with(&[0x1a, 0x00, 0x22, 0x00]));
        // metadata: name, generateName "", namespace "", selfLink "", uid, resourceVersion "",
        // generation 0, creationTimestamp {seconds 10}.
        let meta: Vec<u8> = [
            &[0x0a, 0x04][..],
            b"demo",
            &[
                0x12, 0, 0x1a, 0, 0x22, 0, 0x2a, 1, b'u', 0x32, 0, 0x38, 0, 0x42, 2, 0x08, 10,
            ],
        ]
        .concat();
        let mut raw = vec![0x0a, meta.len() as u8];
        raw.extend(&meta);
        raw.extend([0x12, 0x0c, 0x0a, 0x0a]);
        raw.extend(b"kubernetes");
        raw.extend([0x1a, 0x08, 0x0a, 0x06]);
        raw.extend(b"Active");
        let start = want.len() + 2;
        assert_eq!(&b[start..start + raw.len()], &raw[..]);
        assert!(e.not_encoded.is_empty());
        let env = read_envelope(&b).unwrap();
        assert_eq!(
            (env.api_version.as_str(), env.kind.as_str(), env.raw_len),
            ("v1", "Namespace", raw.len())
        );
        assert!(e
            .annotated_hex()
            .contains("field 2 raw: the Namespace as protobuf"));
    }

    #[test]
    fn int_or_string_maps_and_unknown_fields() {
        let svc = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "x", "labels": {"b": "2", "a": "1"}},
            "spec": {"ports": [{"port": 80, "targetPort": 8080}, {"port": 81, "targetPort": "http"}], "bogus": 1}});
        let e = encode_object(&svc).unwrap();
        assert_eq!(e.not_encoded, vec!["spec.bogus".to_string()]);
        let notes: Vec<&str> = e.segments.iter().map(|s| s.note.as_str()).collect();
        let a = notes
            .iter()
            .position(|n| n.contains("labels[\"a\"]"))
            .unwrap();
        let b = notes
            .iter()
            .position(|n| n.contains("labels[\"b\"]"))
            .unwrap();
        assert!(a < b);
        assert!(notes.iter().any(|n| n.contains("strVal: \"http\"")));
        assert!(notes.iter().any(|n| n.contains("intVal: 8080")));
    }

    #[test]
    fn custom_resources_and_garbage_are_not_encoded() {
        assert_eq!(
            encode_object(&json!({"apiVersion": "example.com/v1", "kind": "Widget"})),
            None
        );
        assert_eq!(encode_object(&json!("x")), None);
        assert_eq!(read_envelope(b"{\"kind\":\"Pod\"}"), None);
        assert_eq!(read_envelope(b"k8s\0\x0a\xff"), None);
        assert_eq!(read_envelope(b"k8s\0\x0a"), None);
    }

    #[test]
    fn every_sample_object_encodes() {
        use crate::registry::sample::{generate, SampleOptions, SampleSize};
        let s = generate(&SampleOptions::new(5, SampleSize::Small, 2, 1_795_586_400));
        for o in &s.objects {
            let v: Value = serde_json::from_slice(&o.value).unwrap();
            let custom = o.key.starts_with("/registry/snapshot.storage.k8s.io/");
            match encode_object(&v) {
                Some(e) => {
                    assert!(!custom);
                    let env = read_envelope(&e.bytes()).unwrap();
                    assert_eq!(env.kind, v["kind"]);
                    assert!(env.raw_len > 10, "{}", o.key);
                }
                None => assert!(custom, "{} not encoded", o.key),
            }
        }
    }

    #[test]
    fn times_with_fractions() {
        assert_eq!(parse_time("1970-01-01T00:00:10.5Z"), (10, 500_000_000));
        assert_eq!(parse_time("1970-01-01T00:00:10.000123Z"), (10, 123_000));
        assert_eq!(parse_time("junk"), (0, 0));
    }
}
