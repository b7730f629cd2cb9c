//! The `etcdctl` console: a small shell (quoting, environment, here-documents), the etcdctl
//! 3.4 v3 and v2 command sets with their flags, help and error texts, and the printers.
//!
//! Commands never format; printers never execute.
pub mod v2;
