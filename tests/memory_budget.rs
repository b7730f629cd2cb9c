//! What the page's session allocates to answer a command over a store of a few MB (issue 23:
//! with the large /registry sample, `snapshot save` and `get --prefix -w json` took GBs and
//! trapped the page's wasm). Counted, not timed: this binary's global allocator counts the
//! live bytes and their peak, so the figures are the same on every run and machine.
//!
//! The store: 200 keys of 20,000 bytes (4 MB of values). Measured peaks above the live bytes
//! before the command (old code → now):
//! - `etcdctl snapshot save s.db`: 48.9 MB → 8.0 MB (the file went through JSON, which writes
//!   bytes as arrays of numbers, into a regrown buffer, copied twice more; now postcard,
//!   written once into its final size, and the file keeps those bytes: about twice the data);
//! - `etcdctl get /big --prefix -w json`: 30.8 MB → 4.3 MB (the whole JSON text was built as a
//!   list of objects, joined, rendered and copied into stdout; now the page's playground
//!   builds the head its console entry keeps and counts the rest: about the range response).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use etcd_playground::playground::session::Session;

/// The system allocator, counting the bytes live and the most that were live at once.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(n: usize) {
    let now = LIVE.fetch_add(n, Ordering::SeqCst) + n;
    PEAK.fetch_max(now, Ordering::SeqCst);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            // the old and the new block may both be live while the bytes are copied
            grew(new_size);
            LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// The counters are the process's: one measurement at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

const KEYS: usize = 200;
const VALUE_BYTES: usize = 20_000;
const DATA: usize = KEYS * VALUE_BYTES;

/// A session (the page's console, without persistence) over `KEYS` keys of `VALUE_BYTES`.
fn session() -> Session {
    let mut s = Session::new(1);
    let value = "x".repeat(VALUE_BYTES);
    for i in 0..KEYS {
        s.run_line(&format!("etcdctl put /big/{i:04} {value}"));
    }
    // whatever the world still had to do after the puts
    s.run_line("etcdctl get /none");
    s
}

/// The most bytes live at once while `line` ran, above those live before it; and its
/// entry's output.
fn peak_of(s: &mut Session, line: &str) -> (usize, String) {
    let before = LIVE.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    s.run_line(line);
    let peak = PEAK.load(Ordering::SeqCst) - before;
    let e = s.entries().last().expect("an entry");
    (peak, format!("{}{}", e.output.stdout, e.output.stderr))
}

#[test]
fn snapshot_save_costs_about_twice_the_data() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut s = session();
    let (peak, out) = peak_of(&mut s, "etcdctl snapshot save s.db");
    assert!(out.starts_with("Snapshot saved at s.db\n"), "{out}");
    println!("snapshot save: peak {peak} bytes above the live ones, for {DATA} bytes of values");
    // old: 48.9 MB (12 times the data); 8.0 MB with the playground's own format; 8.8 MB as a
    // bbolt file (the pairs, then the file written into a buffer of its exact size)
    assert!(peak < 3 * DATA, "snapshot save: peak {peak} bytes");
    let (_, out) = peak_of(&mut s, "etcdctl snapshot status s.db -w json");
    assert!(out.contains("\"totalKey\":206"), "{out}");
}

#[test]
fn get_json_builds_only_what_the_entry_keeps() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut s = session();
    let (peak, out) = peak_of(&mut s, "etcdctl get /big --prefix -w json");
    println!("get -w json: peak {peak} bytes above the live ones, for {DATA} bytes of values");
    assert!(out.starts_with("{\"header\":{\"cluster_id\":"), "{out}");
    assert!(
        out.ends_with(" bytes not shown\n") && out.contains("… output truncated: "),
        "{}",
        &out[out.len().saturating_sub(200)..]
    );
    // old: 30.8 MB (7.7 times the data); now 4.3 MB
    assert!(peak < 2 * DATA, "get -w json: peak {peak} bytes");
}
