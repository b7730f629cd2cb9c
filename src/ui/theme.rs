//! The page's colour theme: the system's preference, and the theme chosen set on the root
//! element (`data-theme`, which the style sheet reads).
//!
//! Owns: the two DOM touches. Must not touch: which theme is chosen (the app's state).

/// Whether the system asks for a dark page.
#[cfg(target_arch = "wasm32")]
pub fn system_prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

#[cfg(not(target_arch = "wasm32"))]
pub fn system_prefers_dark() -> bool {
    false
}

/// Sets (or, with None, removes) the root element's `data-theme`.
#[cfg(target_arch = "wasm32")]
pub fn set_attribute(theme: Option<&str>) {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let _ = match theme {
        Some(t) => root.set_attribute("data-theme", t),
        None => root.remove_attribute("data-theme"),
    };
}

#[cfg(not(target_arch = "wasm32"))]
pub fn set_attribute(_theme: Option<&str>) {}
