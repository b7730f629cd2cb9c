//! Serde for byte strings (`#[serde(with = "crate::api::bytes")]` on a `Vec<u8>` field):
//! written with `serialize_bytes`, so postcard copies them in one go instead of one element at
//! a time. The encodings are the ones a `Vec<u8>` already had (postcard: length then bytes;
//! JSON: an array of numbers), so stored data reads back either way.
//!
//! Also [`Pieces`]: a postcard encoding written a piece at a time (counted, then written in
//! place), for the snapshots of a large store.
//!
//! Owns: nothing but these functions and `Pieces`. Must not touch: any state, any other
//! module.

use std::mem::MaybeUninit;
use std::sync::Arc;

use postcard::ser_flavors::Flavor;
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

/// Where a postcard encoding written a piece at a time goes: only counted (to learn its
/// length first), or written into a shared allocation of that length (hundreds of MB after the
/// large `/registry` sample: filled in place, never regrown, and shared as it is once full,
/// without the copy an `Arc<[u8]>` made from a `Vec` costs). Postcard writes a sequence as its
/// length and then its elements, and a struct as its fields one after the other, so pieces
/// put one after the other give the bytes the whole value gives.
pub enum Pieces {
    Count(usize),
    Fill {
        data: Arc<[MaybeUninit<u8>]>,
        /// The bytes before it are written.
        at: usize,
    },
}

impl Pieces {
    /// Ready to write `len` bytes.
    pub fn fill(len: usize) -> Pieces {
        Pieces::Fill {
            data: Arc::new_uninit_slice(len),
            at: 0,
        }
    }

    /// Writes `v` behind what was written so far (an error once the allocation is full).
    pub fn put<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> postcard::Result<()> {
        match self {
            Pieces::Count(n) => {
                let more =
                    postcard::serialize_with_flavor(v, postcard::ser_flavors::Size::default())?;
                *n = n.saturating_add(more);
                Ok(())
            }
            Pieces::Fill { data, at } => {
                let into = Arc::get_mut(data).ok_or(postcard::Error::SerializeBufferFull)?;
                postcard::serialize_with_flavor(v, Filling { into, at })
            }
        }
    }

    /// Writes `raw` as it is (not as a byte string: no length before it).
    pub fn put_raw(&mut self, raw: &[u8]) -> postcard::Result<()> {
        match self {
            Pieces::Count(n) => {
                *n = n.saturating_add(raw.len());
                Ok(())
            }
            Pieces::Fill { data, at } => {
                let into = Arc::get_mut(data).ok_or(postcard::Error::SerializeBufferFull)?;
                Filling { into, at }.try_extend(raw)
            }
        }
    }

    /// Bytes written (or counted) so far.
    pub fn written(&self) -> usize {
        match self {
            Pieces::Count(n) => *n,
            Pieces::Fill { at, .. } => *at,
        }
    }

    /// The bytes written, once every byte of the allocation is (None: not full, or only
    /// counted).
    pub fn finish(self) -> Option<Arc<[u8]>> {
        match self {
            Pieces::Fill { data, at } if at == data.len() => {
                // SAFETY: `Filling` writes the allocation's bytes in order, each once, and
                // `at` counts them: all `at == len` of them are initialised.
                Some(unsafe { data.assume_init() })
            }
            _ => None,
        }
    }
}

/// A postcard flavor writing into `into` from `at` on, moving `at` past what it wrote.
struct Filling<'a> {
    into: &'a mut [MaybeUninit<u8>],
    at: &'a mut usize,
}

impl postcard::ser_flavors::Flavor for Filling<'_> {
    type Output = ();

    fn try_extend(&mut self, data: &[u8]) -> postcard::Result<()> {
        let end = self.at.saturating_add(data.len());
        let dst = self
            .into
            .get_mut(*self.at..end)
            .ok_or(postcard::Error::SerializeBufferFull)?;
        for (d, s) in dst.iter_mut().zip(data) {
            d.write(*s);
        }
        *self.at = end;
        Ok(())
    }

    fn try_push(&mut self, data: u8) -> postcard::Result<()> {
        self.try_extend(&[data])
    }

    fn finalize(self) -> postcard::Result<()> {
        Ok(())
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

    /// Pieces fill exactly the length counted: the bytes are the whole value's; a piece past
    /// the end is an error, and an allocation not filled is not handed out.
    #[test]
    fn pieces_fill_what_was_counted() {
        use super::Pieces;
        let value = (7u64, "key", vec![1u8, 2, 3], -5i64);
        let whole = postcard::to_allocvec(&value).unwrap();
        let mut count = Pieces::Count(0);
        count.put_raw(b"MAGIC").unwrap();
        count.put(&value).unwrap();
        assert_eq!(count.written(), 5 + whole.len());
        let mut fill = Pieces::fill(count.written());
        fill.put_raw(b"MAGIC").unwrap();
        fill.put(&value).unwrap();
        assert_eq!(fill.written(), count.written());
        assert!(fill.put(&1u8).is_err(), "full");
        let bytes = fill.finish().unwrap();
        assert_eq!(&bytes[..5], b"MAGIC");
        assert_eq!(&bytes[5..], &whole[..]);
        let mut short = Pieces::fill(whole.len() + 1);
        short.put(&value).unwrap();
        assert!(short.finish().is_none(), "one byte never written");
        assert!(Pieces::Count(3).finish().is_none());
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
