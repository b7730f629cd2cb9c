//! Page-wide keys: Esc closes the open dialogs (help, share, the lesson and time-travel
//! questions, where it answers "cancel"). Keys of one widget stay with it (the console's,
//! the editor's own Esc).
//!
//! Owns: the document's keydown listener while the app is mounted.

use yew::prelude::*;

/// Calls `on_escape` when Esc is pressed anywhere in the page (and nothing handled it).
#[hook]
#[allow(dropping_copy_types)]
pub fn use_escape(on_escape: Callback<()>) {
    // (again when the callback changes: it closes over the dialogs open now)
    use_effect_with(on_escape, move |on_escape| {
        // dropping the listener (in wasm) removes it from the document; natively it is `()`
        let listener = listen(on_escape.clone());
        move || drop(listener)
    });
}

#[cfg(target_arch = "wasm32")]
fn listen(on_escape: Callback<()>) -> Option<Listener> {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let document = web_sys::window()?.document()?;
    let closure =
        Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
            if e.key() == "Escape" && !e.default_prevented() {
                on_escape.emit(());
            }
        });
    document
        .add_event_listener_with_callback("keydown", closure.as_ref().unchecked_ref())
        .ok()?;
    Some(Listener { document, closure })
}

#[cfg(not(target_arch = "wasm32"))]
fn listen(_on_escape: Callback<()>) -> Option<()> {
    None
}

/// The listener; dropping it removes it from the document.
#[cfg(target_arch = "wasm32")]
struct Listener {
    document: web_sys::Document,
    closure: wasm_bindgen::closure::Closure<dyn Fn(web_sys::KeyboardEvent)>,
}

#[cfg(target_arch = "wasm32")]
impl Drop for Listener {
    fn drop(&mut self) {
        use wasm_bindgen::JsCast;
        let _ = self
            .document
            .remove_event_listener_with_callback("keydown", self.closure.as_ref().unchecked_ref());
    }
}
