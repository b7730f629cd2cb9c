//! An interpreter that reads arbitrary bytes as v2 keys requests against an [`ApplierV2`],
//! with deep and long keys among them, for fuzzing (`fuzz/fuzz_targets/v2_paths.rs`) and the
//! random-bytes test (`tests/fuzz_ops.rs`). It must never panic; it checks that the index
//! never goes down, that no key deeper than [`MAX_DEPTH`] is ever stored, and that the store
//! survives a save and restore unchanged.
//!
//! Owns: nothing. Must not touch: anything outside the store it builds.

use super::apply::ApplierV2;
use super::store::{Store, MAX_DEPTH};
use crate::api::v2::{KeysRequest, Method, V2Op, V2Request};

const T0: i64 = 1_700_000_000_000_000_000;

/// The input, read one byte at a time (zeros once it runs out).
struct Bytes<'a>(std::slice::Iter<'a, u8>);

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        self.0.next().copied().unwrap_or(0)
    }
    fn pick<T: Copy>(&mut self, from: &[T]) -> Option<T> {
        let i = usize::from(self.byte()) % from.len().max(1);
        from.get(i).copied()
    }
    /// A key: a few short components, sometimes one repeated to a great depth or length.
    fn path(&mut self) -> String {
        let names = ["a", "b", "_h", ".", "..", "", "x y", "é"];
        let mut p = String::new();
        for _ in 0..self.byte() % 5 {
            p.push('/');
            p.push_str(self.pick(&names).unwrap_or("a"));
        }
        match self.byte() % 4 {
            0 => {
                let levels = self.pick(&[MAX_DEPTH - 2, MAX_DEPTH, MAX_DEPTH + 1, 40_000]);
                p.push_str(&"/d".repeat(levels.unwrap_or(1)));
            }
            1 => {
                let name = "n".repeat(usize::from(self.byte()) * 200);
                for _ in 0..self.byte() % 40 {
                    p.push('/');
                    p.push_str(&name);
                }
            }
            _ => {}
        }
        p
    }
}

fn depth(s: &Store) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(s.root(), 0usize)];
    while let Some((n, d)) = stack.pop() {
        deepest = deepest.max(d);
        if let Some(c) = n.children() {
            stack.extend(c.values().map(|c| (c, d + 1)));
        }
    }
    deepest
}

/// Runs the bytes as requests. Panics only if an invariant breaks (that is a bug).
pub fn run(data: &[u8]) {
    let mut a = ApplierV2::new();
    let mut b = Bytes(data.iter());
    let mut steps = 0u32;
    while !b.0.as_slice().is_empty() && steps < 40 {
        steps += 1;
        let before = a.index();
        let methods = [Method::Get, Method::Put, Method::Post, Method::Delete];
        let method = b.pick(&methods).unwrap_or(Method::Get);
        let req = V2Request {
            op: V2Op::Keys(KeysRequest {
                method,
                path: b.path(),
                val: "v".into(),
                dir: b.byte() % 3 == 0,
                recursive: b.byte() % 2 == 0,
                prev_exist: b.pick(&[None, Some(true), Some(false)]).flatten(),
                expiration: if b.byte() % 4 == 0 {
                    T0 + 1_000_000_000
                } else {
                    0
                },
                ..Default::default()
            }),
            credentials: None,
            now: T0,
        };
        if req.is_read() {
            let _ = a.read(&req);
        } else {
            let _ = a.apply(&req);
        }
        assert!(a.index() >= before, "the index went down");
    }
    // `/1` and the key's levels: the stored tree is never deeper than a key may be
    assert!(
        depth(&a.store) <= MAX_DEPTH + 1,
        "a key deeper than MAX_DEPTH was stored"
    );
    let bytes = postcard::to_allocvec(&a).unwrap_or_default();
    let back: Result<ApplierV2, _> = postcard::from_bytes(&bytes);
    assert!(
        back.is_ok_and(|back| back == a),
        "save and restore changed the store"
    );
}
