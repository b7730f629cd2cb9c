//! Lines known to keep the page busy for seconds (`load k8s large`): the console says such a
//! line runs before it runs — the line runs a moment later, once the page has shown that —
//! so a learner sees at once what the page is doing instead of a page that stopped answering.
//!
//! Owns: which lines take long, and the delay. Must not touch: what they do.

use gloo_timers::callback::Timeout;
use yew::prelude::*;

/// How long the page has to show the line before it runs (a frame or two).
const PAINT_MS: u32 = 40;

/// Whether `line` is one that can keep the page busy for seconds.
pub fn takes_long(line: &str) -> bool {
    line.trim_start().starts_with("load ")
}

/// Shows `line` as running (`working`), then runs it a moment later.
pub fn run_after_paint(
    line: String,
    working: UseStateHandle<Option<String>>,
    run: impl FnOnce(String) + 'static,
) {
    working.set(Some(line.clone()));
    Timeout::new(PAINT_MS, move || {
        run(line);
        working.set(None);
    })
    .forget();
}

/// The console's line while such a line runs.
pub fn view(line: &str) -> Html {
    html! {
        <div class="status working" data-testid="console-working" aria-live="polite">
            { format!("running `{line}`… the page answers again when it is done") }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_take_long_and_etcdctl_lines_do_not() {
        assert!(takes_long("load k8s large"));
        assert!(takes_long("  load k8s"));
        assert!(!takes_long("etcdctl put load x"));
        assert!(!takes_long("loader"));
    }
}
