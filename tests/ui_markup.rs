//! Markup of the page rendered natively with Yew's server-side rendering: the stable
//! `data-testid` attributes the browser tests rely on, and text that stays text.
#![cfg(all(not(target_arch = "wasm32"), feature = "ui"))]

use etcd_playground::ui::app::App;
use yew::LocalServerRenderer;

async fn render_app() -> String {
    LocalServerRenderer::<App>::new()
        .hydratable(false)
        .render()
        .await
}

#[tokio::test]
async fn the_page_has_a_title_a_help_link_and_a_console() {
    let html = render_app().await;
    for needle in [
        "etcd playground",
        r#"data-testid="help-link""#,
        r#"data-testid="console""#,
        r#"data-testid="console-output""#,
        r#"data-testid="console-input""#,
    ] {
        assert!(html.contains(needle), "missing {needle} in {html}");
    }
    // Effects do not run under SSR: the input stays disabled until a browser restores.
    assert!(html.contains(r#"data-ready="false""#));
}
