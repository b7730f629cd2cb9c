//! Protobuf field numbers of the Kubernetes built-in types the playground encodes (as in the
//! `generated.proto` files of `k8s.io/api` and `k8s.io/apimachinery`), kept as data: the text
//! table `proto_schema.txt` beside this file, read once into one [`Message`] per protobuf
//! message (its fields' JSON names, numbers, cardinality and kinds) and the root message of
//! each built-in kind. The table's header says how to read and extend it.
//!
//! Heavy subtrees that the sample never fills (volumes, probes, affinity, security contexts,
//! resources) are [`FieldKind::Skip`]: the encoder writes an empty one as an empty message and
//! notes a non-empty one as not encoded.
//! Owns: the table and its reader. Must not touch: encoding ([`super::protobuf`] reads this).

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The table, one line per kind, message or field.
const TABLE: &str = include_str!("proto_schema.txt");

/// How often a field occurs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Card {
    One,
    Repeated,
    /// `map<string, V>`: a repeated entry message `{1: key, 2: value}`.
    Map,
}

/// What a field holds, and so how a JSON value turns into protobuf.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Str,
    Int,
    Bool,
    Double,
    /// JSON base64 text, protobuf raw bytes.
    Bytes,
    /// `metav1.Time` / `MicroTime`: RFC 3339 text, `{1: seconds, 2: nanos}`.
    Time,
    /// `resource.Quantity`: `{1: string}`.
    Quantity,
    /// `intstr.IntOrString`: `{1: type, 2: intVal, 3: strVal}`.
    IntOrString,
    /// `runtime.RawExtension`: `{1: raw}` holding the JSON text.
    RawExtension,
    Msg(MessageRef),
    /// Not described here.
    Skip,
}

/// A message of the table, by its place there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MessageRef(usize);

impl MessageRef {
    /// The message (an empty one if the table has no such place, which it always has).
    pub fn get(self) -> &'static Message {
        static NONE: Message = Message {
            name: "",
            fields: Vec::new(),
        };
        schema().messages.get(self.0).unwrap_or(&NONE)
    }
}

#[derive(Debug)]
pub struct Field {
    pub json: &'static str,
    pub number: u32,
    pub card: Card,
    pub kind: FieldKind,
}

#[derive(Debug)]
pub struct Message {
    /// The protobuf message's name (`ObjectMeta`, `PodSpec`).
    pub name: &'static str,
    pub fields: Vec<Field>,
}

impl Message {
    /// A field by its JSON name (messages live in the table, read once for the whole run).
    pub fn field(&'static self, json: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.json == json)
    }
}

/// The table, read.
#[derive(Debug)]
struct Schema {
    messages: Vec<Message>,
    /// (group, kind, root message); group `""` is the core group, `"*"` any group.
    kinds: Vec<(&'static str, &'static str, MessageRef)>,
    object_meta: Option<MessageRef>,
}

fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| parse(TABLE).0)
}

/// The root message of a built-in kind, if it is described here.
pub fn message_for_kind(api_version: &str, kind: &str) -> Option<&'static Message> {
    let group = api_version.rsplit_once('/').map(|(g, _)| g).unwrap_or("");
    let kinds = &schema().kinds;
    kinds
        .iter()
        .find(|(g, k, _)| *k == kind && *g == group)
        .or_else(|| kinds.iter().find(|(g, k, _)| *k == kind && *g == "*"))
        .map(|(_, _, m)| m.get())
}

/// `metav1.ObjectMeta`, whose string fields the encoder always writes.
pub fn object_meta() -> Option<&'static Message> {
    schema().object_meta.map(MessageRef::get)
}

/// Reads a table; the lines it could not read, as `line N: why`.
fn parse(text: &'static str) -> (Schema, Vec<String>) {
    let mut errors = Vec::new();
    // First pass: every message's place, so that fields can name messages defined later.
    let mut places: BTreeMap<&str, MessageRef> = BTreeMap::new();
    let mut messages = Vec::new();
    for line in text.lines() {
        if let Some(id) = line.strip_prefix("message ") {
            let id = id.trim();
            let name = id.rsplit_once('.').map_or(id, |(_, n)| n);
            places.insert(id, MessageRef(messages.len()));
            messages.push(Message {
                name,
                fields: Vec::new(),
            });
        }
    }
    let mut kinds = Vec::new();
    let mut current: Option<usize> = None;
    for (n, line) in text.lines().enumerate() {
        let words: Vec<&'static str> = line.split_whitespace().collect();
        let mut fail = |why: String| errors.push(format!("line {}: {why}", n + 1));
        match words.as_slice() {
            [] => {}
            [w, ..] if w.starts_with('#') => {}
            ["kind", group, kind, id] => match places.get(id) {
                Some(m) => {
                    let group = if *group == "core" { "" } else { *group };
                    kinds.push((group, *kind, *m));
                }
                None => fail(format!("no message {id}")),
            },
            ["message", id] => current = places.get(id).map(|m| m.0),
            [json, number, rest @ ..] if line.starts_with(' ') => {
                let (card, ty) = match rest {
                    [ty] => (Card::One, *ty),
                    ["repeated", ty] => (Card::Repeated, *ty),
                    ["map", ty] => (Card::Map, *ty),
                    _ => {
                        fail(format!("cannot read field {json}"));
                        continue;
                    }
                };
                let Ok(number) = number.parse::<u32>() else {
                    fail(format!("field {json}: not a number: {number}"));
                    continue;
                };
                let Some(kind) = field_kind(ty, &places) else {
                    fail(format!("field {json}: no type {ty}"));
                    continue;
                };
                match current.and_then(|i| messages.get_mut(i)) {
                    Some(m) => m.fields.push(Field {
                        json,
                        number,
                        card,
                        kind,
                    }),
                    None => fail(format!("field {json} outside a message")),
                }
            }
            _ => fail(format!("cannot read {line:?}")),
        }
    }
    let object_meta = places.get("meta.ObjectMeta").copied();
    (
        Schema {
            messages,
            kinds,
            object_meta,
        },
        errors,
    )
}

fn field_kind(ty: &str, places: &BTreeMap<&str, MessageRef>) -> Option<FieldKind> {
    Some(match ty {
        "string" => FieldKind::Str,
        "int" => FieldKind::Int,
        "bool" => FieldKind::Bool,
        "double" => FieldKind::Double,
        "bytes" => FieldKind::Bytes,
        "Time" => FieldKind::Time,
        "Quantity" => FieldKind::Quantity,
        "IntOrString" => FieldKind::IntOrString,
        "RawExtension" => FieldKind::RawExtension,
        "skip" => FieldKind::Skip,
        id => FieldKind::Msg(*places.get(id)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_reads_without_errors() {
        let (s, errors) = parse(TABLE);
        assert!(errors.is_empty(), "{errors:#?}");
        assert_eq!(s.messages.len(), 155);
        assert_eq!(s.kinds.len(), 31);
        assert!(s.messages.iter().all(|m| !m.fields.is_empty()));
    }

    #[test]
    fn lookups() {
        let pod = message_for_kind("v1", "Pod").unwrap();
        assert_eq!(pod.name, "Pod");
        let spec = pod.field("spec").unwrap();
        assert_eq!((spec.number, spec.card), (2, Card::One));
        let FieldKind::Msg(spec) = spec.kind else {
            panic!("{spec:?}")
        };
        let containers = spec.get().field("containers").unwrap();
        assert_eq!((containers.number, containers.card), (2, Card::Repeated));
        assert!(message_for_kind("apps/v1", "Pod").is_none());
        assert_eq!(
            message_for_kind("apps/v1", "Deployment").unwrap().name,
            "Deployment"
        );
        assert_eq!(
            message_for_kind("apiregistration.k8s.io/v1", "APIService")
                .unwrap()
                .name,
            "Object"
        );
        assert_eq!(object_meta().unwrap().name, "ObjectMeta");
        let labels = object_meta().unwrap().field("labels").unwrap();
        assert_eq!(
            (labels.number, labels.card, labels.kind),
            (11, Card::Map, FieldKind::Str)
        );
    }
}
