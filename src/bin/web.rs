//! The page's entry point: Trunk builds this binary for wasm32 and the browser runs it.

#[cfg(target_arch = "wasm32")]
fn main() {
    etcd_playground::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "the web entry point runs in a browser: use `make run`, or `etcdplay` for a native console"
    );
    std::process::exit(2);
}
