//! Serde for byte strings (`#[serde(with = "crate::api::bytes")]` on a `Vec<u8>` field):
//! written with `serialize_bytes`, so postcard copies them in one go instead of one element at
//! a time. The encodings are the ones a `Vec<u8>` already had (postcard: length then bytes;
//! JSON: an array of numbers), so stored data reads back either way.
//!
//! Owns: nothing but these functions. Must not touch: any state, any other module.

use serde::de::{Deserializer, SeqAccess, Visitor};
use serde::ser::Serializer;

pub fn serialize<S: Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_bytes(b)
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    d.deserialize_byte_buf(BytesVisitor)
}

struct BytesVisitor;

impl<'de> Visitor<'de> for BytesVisitor {
    type Value = Vec<u8>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a byte string")
    }

    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
        Ok(v.to_vec())
    }

    fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
        Ok(v)
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Vec<u8>, E> {
        Ok(v.as_bytes().to_vec())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u8>, A::Error> {
        let mut v = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 16));
        while let Some(b) = seq.next_element::<u8>()? {
            v.push(b);
        }
        Ok(v)
    }
}

/// Serialises `v` in postcard behind what `buf` already holds, into `buf`'s own allocation
/// (give it the capacity the result needs and nothing is copied again or regrown). Unlike
/// `postcard::to_extend`, byte strings are appended with one copy, not byte by byte (which
/// cost a lot in wasm on 100 MB snapshots).
pub fn postcard_append<T: serde::Serialize + ?Sized>(
    v: &T,
    buf: Vec<u8>,
) -> postcard::Result<Vec<u8>> {
    postcard::serialize_with_flavor(v, Append(buf))
}

struct Append(Vec<u8>);

impl postcard::ser_flavors::Flavor for Append {
    type Output = Vec<u8>;

    fn try_extend(&mut self, data: &[u8]) -> postcard::Result<()> {
        self.0.extend_from_slice(data);
        Ok(())
    }

    fn try_push(&mut self, data: u8) -> postcard::Result<()> {
        self.0.push(data);
        Ok(())
    }

    fn finalize(self) -> postcard::Result<Vec<u8>> {
        Ok(self.0)
    }
}

/// The same encoding for a shared `Arc<[u8]>` (`#[serde(with = "crate::api::bytes::shared")]`).
pub mod shared {
    use std::sync::Arc;

    use serde::de::Deserializer;
    use serde::ser::Serializer;

    pub fn serialize<S: Serializer>(b: &Arc<[u8]>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(b)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<[u8]>, D::Error> {
        super::deserialize(d).map(Arc::from)
    }
}

/// The same encoding for a small-vector value (`#[serde(with = "crate::api::bytes::small")]`).
pub mod small {
    use serde::de::Deserializer;
    use serde::ser::Serializer;
    use smallvec::SmallVec;

    pub fn serialize<S: Serializer>(b: &SmallVec<[u8; 16]>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(b)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<SmallVec<[u8; 16]>, D::Error> {
        super::deserialize(d).map(SmallVec::from_vec)
    }
}

#[cfg(test)]
mod tests {
    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct Plain {
        v: Vec<u8>,
    }

    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct Bytes {
        #[serde(with = "super")]
        v: Vec<u8>,
    }

    #[test]
    fn same_encoding_as_a_vec_in_postcard_and_json() {
        for data in [vec![], vec![0u8, 1, 255], vec![7u8; 300]] {
            let p = Plain { v: data.clone() };
            let b = Bytes { v: data.clone() };
            let (pp, bp) = (
                postcard::to_allocvec(&p).unwrap(),
                postcard::to_allocvec(&b).unwrap(),
            );
            assert_eq!(pp, bp);
            assert_eq!(postcard::from_bytes::<Bytes>(&pp).unwrap(), b);
            let (pj, bj) = (
                serde_json::to_string(&p).unwrap(),
                serde_json::to_string(&b).unwrap(),
            );
            assert_eq!(pj, bj);
            assert_eq!(serde_json::from_str::<Bytes>(&pj).unwrap(), b);
        }
    }
}
