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

mod entries {
    use etcd_playground::playground::Output;
    use etcd_playground::ui::console::{view_entry, Entry};
    use yew::prelude::*;
    use yew::LocalServerRenderer;

    #[derive(Properties, PartialEq)]
    struct Props {
        entry: Entry,
    }

    #[component]
    fn One(props: &Props) -> Html {
        view_entry(&props.entry)
    }

    async fn render(entry: Entry) -> String {
        LocalServerRenderer::<One>::with_props(Props { entry })
            .hydratable(false)
            .render()
            .await
    }

    #[tokio::test]
    async fn hostile_keys_and_values_render_as_text() {
        let hostile = "<img src=x onerror=alert(1)>";
        let html = render(Entry {
            id: 0,
            line: format!("etcdctl put '{hostile}' v"),
            output: Output {
                stdout: format!("{hostile}\n<script>alert(2)</script>\n"),
                ..Default::default()
            },
        })
        .await;
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{html}"
        );
    }

    #[tokio::test]
    async fn errors_show_stderr_and_the_exit_status() {
        let html = render(Entry {
            id: 3,
            line: "etcdctl foo".into(),
            output: Output {
                stderr: "Error: unknown command \"foo\" for \"etcdctl\"\n".into(),
                exit: 1,
                ..Default::default()
            },
        })
        .await;
        assert!(html.contains(r#"data-testid="console-entry""#));
        assert!(html.contains(r#"class="stderr""#));
        assert!(html.contains("exit status 1"));
    }
}
