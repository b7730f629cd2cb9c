//! v2 events and the external view of a node (`Event`, `NodeExtern`): what every v2 read,
//! write and watch answers with.
//!
//! Times are unix nanoseconds of the simulated clock; an expiration is rendered as Go renders
//! a `time.Time` in JSON (RFC 3339 with nanoseconds, UTC).

pub const GET: &str = "get";
pub const CREATE: &str = "create";
pub const SET: &str = "set";
pub const UPDATE: &str = "update";
pub const DELETE: &str = "delete";
pub const COMPARE_AND_SWAP: &str = "compareAndSwap";
pub const COMPARE_AND_DELETE: &str = "compareAndDelete";
pub const EXPIRE: &str = "expire";

/// A node as clients see it.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NodeExtern {
    pub key: String,
    /// `None` for directories.
    pub value: Option<String>,
    pub dir: bool,
    /// Unix nanoseconds; `None` for permanent nodes.
    pub expiration: Option<i64>,
    /// Remaining seconds (rounded up); 0 for permanent nodes.
    pub ttl: i64,
    /// Children, for directories listed by a get.
    pub nodes: Option<Vec<NodeExtern>>,
    pub modified_index: u64,
    pub created_index: u64,
}

/// One change (or read) of the store.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Event {
    pub action: String,
    pub node: NodeExtern,
    pub prev_node: Option<NodeExtern>,
    /// The store index when the answer was made (`X-Etcd-Index`).
    pub etcd_index: u64,
    pub refresh: bool,
}

impl Event {
    pub fn new(action: &str, key: &str, modified_index: u64, created_index: u64) -> Event {
        Event {
            action: action.to_string(),
            node: NodeExtern {
                key: key.to_string(),
                modified_index,
                created_index,
                ..NodeExtern::default()
            },
            prev_node: None,
            etcd_index: 0,
            refresh: false,
        }
    }

    /// The index of the change: the node's modified index.
    pub fn index(&self) -> u64 {
        self.node.modified_index
    }

    /// Removes `prefix` (etcd's internal `/1` namespace) from every key of the event.
    pub fn trim_prefix(&mut self, prefix: &str) {
        self.node.trim_prefix(prefix);
        if let Some(p) = self.prev_node.as_mut() {
            p.trim_prefix(prefix);
        }
    }
}

impl NodeExtern {
    pub fn trim_prefix(&mut self, prefix: &str) {
        if let Some(rest) = self.key.strip_prefix(prefix) {
            self.key = rest.to_string();
        }
        if let Some(nodes) = self.nodes.as_mut() {
            for n in nodes {
                n.trim_prefix(prefix);
            }
        }
    }
}

/// `time.Time` as Go's JSON encoder writes it (RFC 3339, nanoseconds without trailing zeros), UTC.
pub fn rfc3339_nano(unix_nanos: i64) -> String {
    let secs = unix_nanos.div_euclid(1_000_000_000);
    let nanos = unix_nanos.rem_euclid(1_000_000_000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let mut s = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        y,
        m,
        d,
        sod / 3600,
        (sod % 3600) / 60,
        sod % 60
    );
    if nanos != 0 {
        let frac = format!("{:09}", nanos);
        s.push('.');
        s.push_str(frac.trim_end_matches('0'));
    }
    s.push('Z');
    s
}

/// Days since 1970-01-01 to a proleptic Gregorian date.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339() {
        assert_eq!(rfc3339_nano(0), "1970-01-01T00:00:00Z");
        assert_eq!(
            rfc3339_nano(1_700_000_000_500_000_000),
            "2023-11-14T22:13:20.5Z"
        );
        assert_eq!(
            rfc3339_nano(951_782_400_000_000_001),
            "2000-02-29T00:00:00.000000001Z"
        );
    }
}
