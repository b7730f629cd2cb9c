//! A member's disk: its write-ahead log, hard state and snapshots, behind a small trait
//! (memory natively, IndexedDB in the browser).
