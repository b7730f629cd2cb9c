//! The printer interface of etcdctl (`-w simple|json|fields|table|protobuf`): one method per
//! response kind. A format that cannot show a response fails with etcdctl's text
//! (`table not supported as output format`, exit 4).
//!
//! Owns: choosing the printer and what all printers share (key/value text, `--hex`).
//! Printers never execute requests.

use crate::api::*;

use super::{Fail, Io, EXIT_BAD_FEATURE};

/// One endpoint's health check result.
#[derive(Clone, Debug)]
pub struct EpHealth {
    pub ep: String,
    pub health: bool,
    /// Go duration text (`took`).
    pub took: String,
    pub error: String,
}

/// One endpoint's status.
#[derive(Clone, Debug)]
pub struct EpStatus {
    pub ep: String,
    pub resp: StatusResponse,
}

/// One endpoint's KV hash.
#[derive(Clone, Debug)]
pub struct EpHashKv {
    pub ep: String,
    pub resp: HashKvResponse,
}

/// `snapshot status` of a file.
#[derive(Clone, Debug, Default)]
pub struct DbStatus {
    pub hash: u32,
    pub revision: i64,
    pub total_key: i64,
    pub total_size: i64,
}

/// What a printer needs to know besides the response.
#[derive(Clone, Copy, Debug, Default)]
pub struct PrintOpts {
    pub hex: bool,
    pub value_only: bool,
    /// The etcdctl release printing (3.5 names txn responses and streams otherwise).
    pub version: crate::api::EtcdVersion,
}

pub type PResult = Result<(), Fail>;

/// etcdctl's printer interface; every method's default is "not supported in this format".
#[allow(unused_variables)]
pub trait Printer {
    fn name(&self) -> &'static str;
    fn unsupported(&self) -> Fail {
        Fail::new(
            EXIT_BAD_FEATURE,
            format!("{} not supported as output format", self.name()),
        )
    }
    fn del(&self, io: &mut Io, r: &DeleteRangeResponse) -> PResult {
        Err(self.unsupported())
    }
    fn get(&self, io: &mut Io, r: &RangeResponse) -> PResult {
        Err(self.unsupported())
    }
    fn put(&self, io: &mut Io, r: &PutResponse) -> PResult {
        Err(self.unsupported())
    }
    fn txn(&self, io: &mut Io, r: &TxnResponse) -> PResult {
        Err(self.unsupported())
    }
    fn watch(&self, io: &mut Io, r: &WatchResponse) -> PResult {
        Err(self.unsupported())
    }
    fn grant(&self, io: &mut Io, r: &LeaseGrantResponse) -> PResult {
        Err(self.unsupported())
    }
    fn revoke(&self, io: &mut Io, id: i64, r: &LeaseRevokeResponse) -> PResult {
        Err(self.unsupported())
    }
    fn keep_alive(&self, io: &mut Io, r: &LeaseKeepAliveResponse) -> PResult {
        Err(self.unsupported())
    }
    fn time_to_live(&self, io: &mut Io, r: &LeaseTimeToLiveResponse, keys: bool) -> PResult {
        Err(self.unsupported())
    }
    fn leases(&self, io: &mut Io, r: &LeaseLeasesResponse) -> PResult {
        Err(self.unsupported())
    }
    fn member_add(&self, io: &mut Io, r: &MemberAddResponse) -> PResult {
        Err(self.unsupported())
    }
    fn member_remove(&self, io: &mut Io, id: u64, r: &MemberChangeResponse) -> PResult {
        Err(self.unsupported())
    }
    fn member_update(&self, io: &mut Io, id: u64, r: &MemberChangeResponse) -> PResult {
        Err(self.unsupported())
    }
    fn member_promote(&self, io: &mut Io, id: u64, r: &MemberChangeResponse) -> PResult {
        Err(self.unsupported())
    }
    fn member_list(&self, io: &mut Io, r: &MemberListResponse) -> PResult {
        Err(self.unsupported())
    }
    fn endpoint_health(&self, io: &mut Io, r: &[EpHealth]) -> PResult {
        Err(self.unsupported())
    }
    fn endpoint_status(&self, io: &mut Io, r: &[EpStatus]) -> PResult {
        Err(self.unsupported())
    }
    fn endpoint_hashkv(&self, io: &mut Io, r: &[EpHashKv]) -> PResult {
        Err(self.unsupported())
    }
    fn move_leader(&self, io: &mut Io, leader: u64, target: u64, r: &ResponseHeader) -> PResult {
        Err(self.unsupported())
    }
    fn alarm(&self, io: &mut Io, r: &AlarmResponse, disarm: bool) -> PResult {
        Err(self.unsupported())
    }
    fn db_status(&self, io: &mut Io, r: &DbStatus) -> PResult {
        Err(self.unsupported())
    }
    fn role_add(&self, io: &mut Io, role: &str, h: &ResponseHeader) -> PResult {
        Err(self.unsupported())
    }
    fn role_get(
        &self,
        io: &mut Io,
        role: &str,
        h: &ResponseHeader,
        perm: &[Permission],
    ) -> PResult {
        Err(self.unsupported())
    }
    fn role_delete(&self, io: &mut Io, role: &str, h: &ResponseHeader) -> PResult {
        Err(self.unsupported())
    }
    fn role_list(&self, io: &mut Io, h: &ResponseHeader, roles: &[String]) -> PResult {
        Err(self.unsupported())
    }
    fn role_grant_permission(&self, io: &mut Io, role: &str, h: &ResponseHeader) -> PResult {
        Err(self.unsupported())
    }
    fn role_revoke_permission(
        &self,
        io: &mut Io,
        role: &str,
        key: &str,
        end: &str,
        h: &ResponseHeader,
    ) -> PResult {
        Err(self.unsupported())
    }
    fn user_add(&self, io: &mut Io, user: &str, h: &ResponseHeader) -> PResult {
        Err(self.unsupported())
    }
    fn user_get(&self, io: &mut Io, user: &str, h: &ResponseHeader, roles: &[String]) -> PResult {
        Err(self.unsupported())
    }
    fn user_list(&self, io: &mut Io, h: &ResponseHeader, users: &[String]) -> PResult {
        Err(self.unsupported())
    }
    fn user_change_password(&self, io: &mut Io, h: &ResponseHeader) -> PResult {
        Err(self.unsupported())
    }
    fn user_grant_role(&self, io: &mut Io, user: &str, role: &str, h: &ResponseHeader) -> PResult {
        Err(self.unsupported())
    }
    fn user_revoke_role(&self, io: &mut Io, user: &str, role: &str, h: &ResponseHeader) -> PResult {
        Err(self.unsupported())
    }
    fn user_delete(&self, io: &mut Io, user: &str, h: &ResponseHeader) -> PResult {
        Err(self.unsupported())
    }
}

/// `NewPrinter`: the printer for `-w`, or etcdctl's "unsupported output format".
pub fn new_printer(format: &str, opts: PrintOpts) -> Result<Box<dyn Printer>, Fail> {
    match format {
        "simple" => Ok(Box::new(super::printer_simple::SimplePrinter { opts })),
        "json" => Ok(Box::new(super::printer_json::JsonPrinter { opts })),
        "fields" => Ok(Box::new(super::printer_fields::FieldsPrinter { opts })),
        "table" => Ok(Box::new(super::printer_table::TablePrinter { opts })),
        "protobuf" => Ok(Box::new(super::printer_protobuf::ProtobufPrinter::new(
            opts,
        ))),
        _ => Err(Fail::new(EXIT_BAD_FEATURE, "unsupported output format")),
    }
}

/// Bytes as etcdctl shows them: the raw string, or `\xNN` per byte with `--hex`.
pub fn bytes_text(b: &[u8], hex: bool) -> String {
    if hex {
        b.iter().map(|x| format!("\\x{:02x}", x)).collect()
    } else {
        String::from_utf8_lossy(b).into_owned()
    }
}

/// `printKV`: key line (unless value-only) and value line.
pub fn print_kv(io: &mut Io, opts: PrintOpts, kv: &KeyValue) {
    if !opts.value_only {
        io.outln(&bytes_text(&kv.key, opts.hex));
    }
    io.outln(&bytes_text(&kv.value, opts.hex));
}

/// Go's `%q` of a byte string (as etcdctl's fields printer shows keys and values).
pub fn go_quote_bytes(b: &[u8]) -> String {
    let s = String::from_utf8_lossy(b);
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\x0b' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// humanize.Bytes: SI units, e.g. `20 kB`, `1.2 MB`, `953 B` (the page writes sizes the same way).
pub fn humanize_bytes(n: u64) -> String {
    crate::api::size::humanize(n)
}

/// The member list rows shared by simple and table output.
pub fn member_rows(r: &MemberListResponse) -> Vec<Vec<String>> {
    r.members
        .iter()
        .map(|m| {
            vec![
                format!("{:x}", m.id),
                if m.name.is_empty() {
                    "unstarted".to_string()
                } else {
                    "started".to_string()
                },
                m.name.clone(),
                m.peer_urls.join(","),
                m.client_urls.join(","),
                m.is_learner.to_string(),
            ]
        })
        .collect()
}

/// The endpoint status rows shared by simple and table output.
pub fn status_rows(r: &[EpStatus]) -> Vec<Vec<String>> {
    r.iter()
        .map(|s| {
            vec![
                s.ep.clone(),
                format!("{:x}", s.resp.header.member_id),
                s.resp.version.clone(),
                humanize_bytes(s.resp.db_size.max(0) as u64),
                (s.resp.leader == s.resp.header.member_id).to_string(),
                s.resp.is_learner.to_string(),
                s.resp.raft_term.to_string(),
                s.resp.raft_index.to_string(),
                s.resp.raft_applied_index.to_string(),
                s.resp.errors.join(", "),
            ]
        })
        .collect()
}

pub fn db_status_row(d: &DbStatus) -> Vec<String> {
    vec![
        format!("{:x}", d.hash),
        d.revision.to_string(),
        d.total_key.to_string(),
        humanize_bytes(d.total_size.max(0) as u64),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn humanize() {
        assert_eq!(humanize_bytes(20480), "20 kB");
        assert_eq!(humanize_bytes(1_200_000), "1.2 MB");
        assert_eq!(humanize_bytes(953), "953 B");
    }

    #[test]
    fn hex() {
        assert_eq!(bytes_text(b"a\tb", true), "\\x61\\x09\\x62");
    }
}
