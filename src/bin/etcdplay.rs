//! `etcdplay`: the playground's console natively. No arguments: a REPL on stdin.
//! `etcdplay transcript FILE`: run a conformance scenario and print its transcript.
fn main() {}
