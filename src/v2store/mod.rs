//! The etcd v2 store: a tree of files and directories with TTLs, compare-and-swap,
//! in-order keys and watches by index, answering with v2 error codes.
