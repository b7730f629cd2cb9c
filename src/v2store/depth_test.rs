//! Deep keys (issue 23): what one v2 command may cost is bounded, and the deepest tree the
//! store accepts can be copied, saved, restored, listed and dropped on a small stack.

use super::store::{Store, MAX_DEPTH, MAX_NEW_DIR_BYTES};
use crate::api::v2::error::ECODE_INVALID_FIELD;

const NOW: i64 = 1_700_000_000_000_000_000;

fn deep_key(levels: usize) -> String {
    "/a".repeat(levels)
}

#[test]
fn a_key_deeper_than_the_limit_is_refused_before_anything_is_made() {
    let mut s = Store::new(&["/0", "/1"]);
    let before = s.clone();
    let e = s
        .set(&deep_key(40_000), false, "v", None, false, NOW)
        .unwrap_err();
    assert_eq!(e.error_code, ECODE_INVALID_FIELD);
    assert!(e.cause.contains("40000 levels"), "{}", e.cause);
    assert_eq!(s, before, "nothing created, index unchanged");
    assert!(s
        .set(&deep_key(MAX_DEPTH), false, "v", None, false, NOW)
        .is_ok());
    assert!(s
        .set(&deep_key(MAX_DEPTH + 1), false, "v", None, false, NOW)
        .is_err());
}

#[test]
fn long_names_in_deep_keys_are_bounded_by_bytes() {
    let mut s = Store::new(&["/0", "/1"]);
    let name = "n".repeat(20_000);
    let key = format!("/{name}").repeat(100);
    let e = s.set(&key, false, "v", None, false, NOW).unwrap_err();
    assert_eq!(e.error_code, ECODE_INVALID_FIELD);
    assert!(
        e.cause.contains(&MAX_NEW_DIR_BYTES.to_string()),
        "{}",
        e.cause
    );
    // the same levels, made a few at a time, are fine: existing directories cost nothing
    for depth in [10, 18, 24] {
        let k = format!("/{name}").repeat(depth);
        assert!(s
            .set(&format!("{k}/leaf"), false, "v", None, false, NOW)
            .is_ok());
    }
}

#[test]
fn the_deepest_tree_fits_a_small_stack() {
    let run = || {
        let mut s = Store::new(&["/0", "/1"]);
        s.set(&deep_key(MAX_DEPTH), false, "v", Some(NOW + 1), false, NOW)
            .unwrap();
        let copy = s.clone();
        let bytes = postcard::to_allocvec(&copy).unwrap();
        let back: Store = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, s);
        let listed = back.get("/", true, true, NOW).unwrap();
        assert!(listed.node.nodes.is_some());
        let expired = s.delete_expired_keys(NOW + 2);
        assert_eq!(expired.len(), 1);
        drop(copy);
        drop(back);
    };
    // half of a wasm tab's default 1 MiB stack
    std::thread::Builder::new()
        .stack_size(512 << 10)
        .spawn(run)
        .unwrap()
        .join()
        .unwrap();
}
