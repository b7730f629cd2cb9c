//! Compiles the lesson files (`lessons/*.md`, except README.md) into the binary: writes
//! `$OUT_DIR/lessons.rs`, a slice of (file name, text) in the order of `lessons/ORDER`
//! (then any file it does not name, by name). Adding a lesson needs no Rust change.

use std::fs;
use std::path::Path;

fn main() {
    // (the package's directory as cargo runs this script, not as it was compiled: a build
    // script compiled in another checkout sharing the target directory once found no
    // lessons there and wrote an empty list)
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR");
    let dir = Path::new(&root).join("lessons");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the lessons directory {}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") && n != "README.md")
        .collect();
    names.sort();
    let order: Vec<String> = fs::read_to_string(dir.join("ORDER"))
        .unwrap_or_default()
        .lines()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| format!("{l}.md"))
        .collect();
    names.sort_by_key(|n| order.iter().position(|o| o == n).unwrap_or(usize::MAX));
    let mut out = String::from("&[\n");
    for n in &names {
        let path = dir.join(n);
        println!("cargo:rerun-if-changed={}", path.display());
        out.push_str(&format!(
            "    ({n:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    out.push(']');
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("lessons.rs");
    fs::write(dest, out).expect("write lessons.rs");
}
