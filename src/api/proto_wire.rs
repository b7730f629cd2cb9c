//! The protobuf wire format, as much as the stored records need: etcd keeps `mvccpb.KeyValue`,
//! `leasepb.Lease`, `authpb.User` and `authpb.Role` in its backend encoded this way (proto3,
//! fields in number order, zero values left out).
//!
//! Owns: varints, tags, length-delimited fields. Must not touch: what a message means.

/// Appends a varint.
pub fn put_varint(buf: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        buf.push((v as u8) | 0x80);
        v >>= 7;
    }
    buf.push(v as u8);
}

/// An integer field (varint wire type), left out when zero.
pub fn put_int(buf: &mut Vec<u8>, field: u32, v: i64) {
    if v != 0 {
        put_varint(buf, u64::from(field) << 3);
        put_varint(buf, v as u64);
    }
}

/// A length-delimited field; `always`: written even when empty (a set sub-message).
pub fn put_bytes(buf: &mut Vec<u8>, field: u32, b: &[u8], always: bool) {
    if always || !b.is_empty() {
        put_varint(buf, (u64::from(field) << 3) | 2);
        put_varint(buf, b.len() as u64);
        buf.extend_from_slice(b);
    }
}

/// A field's value as read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value<'a> {
    Int(u64),
    Bytes(&'a [u8]),
    /// A fixed 32- or 64-bit field (not used by the records here; skipped).
    Fixed,
}

fn varint(b: &[u8], at: &mut usize) -> Option<u64> {
    let mut v: u64 = 0;
    for shift in (0..64).step_by(7) {
        let byte = *b.get(*at)?;
        *at += 1;
        v |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some(v);
        }
    }
    None
}

/// The fields of a message in order: (number, value); None if the bytes are not a message.
pub fn fields(b: &[u8]) -> Option<Vec<(u32, Value<'_>)>> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < b.len() {
        let tag = varint(b, &mut at)?;
        let field = u32::try_from(tag >> 3).ok().filter(|&f| f > 0)?;
        let v = match tag & 7 {
            0 => Value::Int(varint(b, &mut at)?),
            1 | 5 => {
                at = at.checked_add(if tag & 7 == 1 { 8 } else { 4 })?;
                if at > b.len() {
                    return None;
                }
                Value::Fixed
            }
            2 => {
                let len = usize::try_from(varint(b, &mut at)?).ok()?;
                let end = at.checked_add(len)?;
                let v = b.get(at..end)?;
                at = end;
                Value::Bytes(v)
            }
            _ => return None,
        };
        out.push((field, v));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_written_reads_back() {
        let mut b = Vec::new();
        put_bytes(&mut b, 1, b"foo", false);
        put_int(&mut b, 2, 300);
        put_int(&mut b, 3, 0);
        put_int(&mut b, 6, -1);
        put_bytes(&mut b, 4, b"", true);
        assert_eq!(
            fields(&b).unwrap(),
            [
                (1, Value::Bytes(b"foo")),
                (2, Value::Int(300)),
                (6, Value::Int(u64::MAX)),
                (4, Value::Bytes(b"")),
            ]
        );
        assert_eq!(fields(&[0x0a, 0x05, b'a']), None);
        assert_eq!(fields(&[0x07]), None);
        assert_eq!(fields(&[0x08, 0xff]), None);
    }
}
