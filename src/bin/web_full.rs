//! The page's full module: the same entry point as `web`, built without the `lite` feature, so it
//! has every part of the playground. Trunk builds it for wasm32 next to the lite module (see
//! index.html); the boot script loads it instead of the lite one when
//! `localStorage['etcdplay-module']` is `'full'` (see scripts/external-loader.mjs).

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
