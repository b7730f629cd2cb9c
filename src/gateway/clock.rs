//! The real clock a client of a real cluster keeps: a monotonic reading (durations such as
//! etcdctl's `took`), the wall clock (log lines), and waiting. Natively these are the
//! machine's (`Instant`, `SystemTime`, a sleep); in the page the browser's
//! (`performance.now()`, `Date.now()`), and the page never waits: a wait there would freeze
//! it, so [`wait`] says it did not.
//!
//! Owns: which clock each target reads. Must not touch: anything simulated (the simulated
//! world has its own time and never reads these).

use std::time::Duration;

/// A monotonic reading: time since some fixed moment of this process or page.
#[cfg(not(target_arch = "wasm32"))]
pub fn monotonic() -> Duration {
    use std::sync::OnceLock;
    use std::time::Instant;
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    ORIGIN.get_or_init(Instant::now).elapsed()
}

/// Nanoseconds since the Unix epoch.
#[cfg(not(target_arch = "wasm32"))]
pub fn unix_nanos() -> i64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos().min(i64::MAX as u128) as i64)
        .unwrap_or(0)
}

/// Waits `d`; true when it did.
#[cfg(not(target_arch = "wasm32"))]
pub fn wait(d: Duration) -> bool {
    std::thread::sleep(d);
    true
}

#[cfg(all(target_arch = "wasm32", feature = "ui"))]
pub fn monotonic() -> Duration {
    let ms = web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now());
    Duration::from_secs_f64((ms.max(0.0) / 1000.0).min(1e12))
}

#[cfg(all(target_arch = "wasm32", feature = "ui"))]
pub fn unix_nanos() -> i64 {
    (js_sys::Date::now() * 1e6) as i64
}

/// A wasm build without the page's bindings has no clock to read: time stands still.
#[cfg(all(target_arch = "wasm32", not(feature = "ui")))]
pub fn monotonic() -> Duration {
    Duration::ZERO
}

#[cfg(all(target_arch = "wasm32", not(feature = "ui")))]
pub fn unix_nanos() -> i64 {
    0
}

#[cfg(target_arch = "wasm32")]
pub fn wait(_d: Duration) -> bool {
    false
}
