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
        r#"data-testid="lab-select""#,
        r#"data-testid="etcd-version""#,
        r#"data-testid="etcd-version-3.4""#,
        r#"data-testid="etcd-version-3.5""#,
    ] {
        assert!(html.contains(needle), "missing {needle} in {html}");
    }
    // Effects do not run under SSR: the input stays disabled until a browser restores.
    assert!(html.contains(r#"data-ready="false""#));
}

mod entries {
    use etcd_playground::playground::session::Entry;
    use etcd_playground::process::Output;
    use etcd_playground::ui::console::view_entry;
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
            ..Default::default()
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
    async fn a_running_job_and_hints() {
        let html = render(Entry {
            id: 4,
            line: "etcdctl watch foo".into(),
            output: Output {
                stdout: "PUT\nfoo\nbar\n".into(),
                ..Default::default()
            },
            running: true,
            hints: vec!["a <b>hint</b>".into()],
            ..Default::default()
        })
        .await;
        assert!(html.contains(r#"data-testid="console-running""#));
        assert!(html.contains("a &lt;b&gt;hint&lt;/b&gt;"));
        let ended = render(Entry {
            id: 5,
            line: "etcdctl watch foo".into(),
            interrupted: true,
            ..Default::default()
        })
        .await;
        assert!(ended.contains("^C") && !ended.contains("console-running"));
    }

    /// `auth enable` before root has the root role: etcd's retry warning reaches the
    /// terminal before "Authentication Enabled" (the order a terminal shows, not stdout
    /// first); the entry is the session's own.
    #[tokio::test]
    async fn streams_show_in_the_order_they_were_written() {
        let mut s = etcd_playground::playground::session::Session::new(1);
        s.run_line("etcdctl user add root --new-user-password=pw");
        s.run_line("etcdctl auth enable");
        let entry = s.entries().last().unwrap().clone();
        assert!(entry.output.stdout.starts_with("Authentication Enabled"));
        let html = render(entry).await;
        let warn = html
            .find("retrying of unary invoker failed")
            .expect("the warning");
        let enabled = html.find("Authentication Enabled").expect("the answer");
        assert!(warn < enabled, "{html}");
        assert!(html.find(r#"class="stderr""#) < html.find(r#"class="stdout""#));
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
            ..Default::default()
        })
        .await;
        assert!(html.contains(r#"data-testid="console-entry""#));
        assert!(html.contains(r#"class="stderr""#));
        assert!(html.contains("exit status 1"));
    }
}

#[tokio::test]
async fn the_page_has_every_contract_attribute() {
    let html = render_app().await;
    for needle in [
        r#"data-testid="play-pause""#,
        r#"data-testid="step""#,
        r#"data-testid="speed""#,
        r#"data-testid="timeline""#,
        r#"data-testid="keyspace-tree""#,
        r#"data-testid="revision-slider""#,
        r#"data-testid="cluster""#,
        r#"data-testid="theme-toggle""#,
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
    for name in ["infra1", "infra2", "infra3"] {
        for needle in [
            format!(r#"data-testid="member-{name}""#),
            format!(r#"data-testid="member-stop-{name}""#),
            format!(r#"data-testid="member-start-{name}""#),
        ] {
            assert!(html.contains(&needle), "missing {needle}");
        }
    }
    // The default world: infra1 leads at term 2, everyone is up.
    assert!(
        html.contains(
            r#"data-testid="member-infra1" data-role="leader" data-up="true" data-term="2""#
        ),
        "{html}"
    );
    assert!(html.contains(r#"data-testid="member-infra2" data-role="follower" data-up="true""#));
}

mod cluster {
    use etcd_playground::playground::session::cluster_model::{
        ClusterModel, FollowerProgress, LogCell, MemberModel, MessageModel, NetModel,
    };
    use etcd_playground::ui::cluster::{ClusterPicture, ClusterProps, Selection};
    use yew::prelude::*;
    use yew::LocalServerRenderer;

    fn member(name: &str, role: &str, running: bool, term: u64) -> MemberModel {
        MemberModel {
            id: name.len() as u64,
            name: name.into(),
            running,
            role: role.into(),
            term,
            vote: "infra1".into(),
            commit: 4,
            applied: 4,
            first_index: 1,
            last_index: 5,
            log: (1..=5)
                .map(|i| LogCell {
                    index: i,
                    term: if i < 3 { 2 } else { 3 },
                    summary: format!("put k{i}"),
                    committed: i <= 4,
                })
                .collect(),
            progress: vec![],
            election_elapsed: 5,
            election_timeout: 10,
        }
    }

    fn model() -> ClusterModel {
        let mut leader = member("infra1", "leader", true, 3);
        leader.progress = vec![
            FollowerProgress {
                name: "infra2".into(),
                state: "replicate".into(),
                matched: 5,
                next: 6,
            },
            FollowerProgress {
                name: "infra3".into(),
                state: "probe".into(),
                matched: 0,
                next: 4,
            },
        ];
        ClusterModel {
            now_ms: 12_000,
            members: vec![
                leader,
                member("infra2", "pre-candidate", true, 3),
                member("infra3", "follower", false, 2),
            ],
            messages: vec![
                MessageModel {
                    from: "infra1".into(),
                    to: "infra2".into(),
                    kind: "MsgApp".into(),
                    term: 3,
                    progress: 500,
                    dropped: false,
                },
                MessageModel {
                    from: "infra2".into(),
                    to: "infra1".into(),
                    kind: "MsgVoteResp".into(),
                    term: 3,
                    progress: 250,
                    dropped: true,
                },
            ],
            net: NetModel {
                partition: vec![
                    vec!["infra1".into(), "infra2".into()],
                    vec!["infra3".into()],
                ],
                loss_pct: 0,
                latency_ms: 1,
                ..Default::default()
            },
        }
    }

    async fn render(selected: Option<Selection>) -> String {
        LocalServerRenderer::<ClusterPicture>::with_props(ClusterProps {
            model: model(),
            selected,
            on_select: Callback::noop(),
            traced: Some((5, 5)),
        })
        .hydratable(false)
        .render()
        .await
    }

    #[tokio::test]
    async fn members_show_role_term_and_whether_they_run() {
        let html = render(None).await;
        assert!(
            html.contains(
                r#"data-testid="member-infra1" data-role="leader" data-up="true" data-term="3""#
            ),
            "{html}"
        );
        assert!(html
            .contains(r#"data-testid="member-infra2" data-role="pre-candidate" data-up="true""#));
        assert!(html.contains(
            r#"data-testid="member-infra3" data-role="follower" data-up="false" data-term="2""#
        ));
        assert!(html.contains(">stopped<"));
        assert!(html.contains("vote infra1<") && html.contains("commit 4 · applied 4"));
    }

    #[tokio::test]
    async fn logs_progress_messages_and_cut_links() {
        let html = render(Some(Selection::Member("infra2".into()))).await;
        // Logs: one row a member, entries carry index and term; the uncommitted one is marked.
        assert!(html.contains(r#"data-testid="log-infra1""#));
        assert_eq!(html.matches(r#"class="entry committed""#).count(), 12);
        // Index 5 is uncommitted everywhere and traced (a selected console entry's write).
        assert_eq!(
            html.matches(r#"class="entry uncommitted traced""#).count(),
            3
        );
        // The leader's view of its followers.
        assert!(
            html.contains("leader's view: replicate · match 5 · next 6")
                && html.contains("leader's view: probe · match 0 · next 4")
        );
        // A message in flight and a dropped one.
        assert!(html.contains(r#"data-kind="MsgApp""#));
        assert!(html.contains(r#"class="msg vote resp dropped""#), "{html}");
        // infra3 is cut off; infra1-infra2 still talk.
        assert!(html.contains(r#"data-testid="link-infra1-infra3" data-cut="true""#));
        assert!(html.contains(r#"data-testid="link-infra1-infra2" data-cut="false""#));
        assert!(html.contains(r#"class="member pre-candidate selected""#));
        // Positions are attributes: no inline style anywhere (the CSP forbids them).
        assert!(!html.contains("style="), "{html}");
    }
}

mod keyspace {
    use std::rc::Rc;

    use etcd_playground::api::KeyValue;
    use etcd_playground::ui::keyspace::{
        DetailProps, KeyDetail, KeyspacePanel, KeyspaceProps, RevisionSlider, SliderProps,
    };
    use std::cell::RefCell;

    use etcd_playground::playground::session::{HistoryRow, KeyDetailModel, KeyspaceData};
    use etcd_playground::registry::tree::KeyTree;
    use yew::prelude::*;
    use yew::LocalServerRenderer;

    const HOSTILE: &str = "<img src=x onerror=alert(1)>";

    fn data(keys: &[&[u8]]) -> KeyspaceData {
        let mut ks: Vec<Vec<u8>> = keys.iter().map(|k| k.to_vec()).collect();
        ks.sort();
        KeyspaceData {
            generation: 1,
            tree: Rc::new(RefCell::new(KeyTree::from_keys(
                ks.iter().map(|k| (k.as_slice(), 0)),
            ))),
            revision: 9,
            ..Default::default()
        }
    }

    async fn panel(d: KeyspaceData) -> String {
        LocalServerRenderer::<KeyspacePanel>::with_props(KeyspaceProps {
            data: d,
            selected_key: None,
            on_select_key: Callback::noop(),
            on_revision: Callback::noop(),
            on_v2: Callback::noop(),
            on_toggle: Callback::noop(),
            on_filter: Callback::noop(),
            on_drill: Callback::noop(),
            on_command: Callback::noop(),
            on_sizes: Callback::noop(),
        })
        .hydratable(false)
        .render()
        .await
    }

    #[tokio::test]
    async fn the_tree_shows_top_level_folders_with_counts_and_hostile_keys_as_text() {
        let long = "k".repeat(5000);
        let html = panel(data(&[
            b"/registry/pods/a",
            b"/registry/pods/b",
            b"foo",
            HOSTILE.as_bytes(),
            long.as_bytes(),
            "ключ/ü".as_bytes(),
            b"bin\xff\x00",
        ]))
        .await;
        assert!(html.contains(r#"data-testid="keyspace-tree""#));
        assert!(html.contains(r#"data-testid="tree-node" data-key="/" data-folder="true""#));
        assert!(html.contains(r#"data-key="foo""#));
        assert!(html.contains(">7 keys<"));
        assert!(html.contains(r#"<span class="badge">2</span>"#));
        assert!(!html.contains("<img"));
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(html.contains("ключ/"));
        assert!(html.contains(r"bin\xff\x00"));
        assert!(html.contains(r#"data-testid="revision-slider""#));
        assert!(html.contains(r#"max="9""#));
    }

    #[tokio::test]
    async fn a_hundred_thousand_keys_render_only_the_rows_in_view() {
        let keys: Vec<Vec<u8>> = (0..100_000)
            .map(|i| format!("k{i:06}").into_bytes())
            .collect();
        let d = KeyspaceData {
            generation: 2,
            tree: Rc::new(RefCell::new(KeyTree::from_keys(
                keys.iter().map(|k| (k.as_slice(), 0)),
            ))),
            revision: 100_001,
            ..Default::default()
        };
        let html = panel(d).await;
        assert!(html.contains(r#"data-rows="100000""#));
        let drawn = html.matches(r#"data-testid="tree-node""#).count();
        assert!(drawn < 60, "{drawn} rows in the DOM");
    }

    #[tokio::test]
    async fn the_slider_marks_compacted_revisions() {
        let html = LocalServerRenderer::<RevisionSlider>::with_props(SliderProps {
            revision: 20,
            at: Some(5),
            compacted: 4,
            on_revision: Callback::noop(),
        })
        .hydratable(false)
        .render()
        .await;
        assert!(html.contains("5 of 20"));
        assert!(html.contains("revisions up to 4 are compacted"));
        assert!(html.contains(r#"class="gone""#));
    }

    async fn detail(d: KeyDetailModel) -> String {
        LocalServerRenderer::<KeyDetail>::with_props(DetailProps { detail: d })
            .hydratable(false)
            .render()
            .await
    }

    fn kv(key: &[u8], value: &[u8]) -> KeyValue {
        KeyValue {
            key: key.to_vec(),
            value: value.to_vec(),
            create_revision: 2,
            mod_revision: 7,
            version: 3,
            lease: 0x694d71ddacfda227,
        }
    }

    #[tokio::test]
    async fn detail_shows_revisions_json_and_the_history_with_deletes() {
        let html = detail(KeyDetailModel {
            key: b"/config".to_vec(),
            kv: Some(kv(b"/config", br#"{"a":[1,2],"b":"<script>"}"#)),
            history: vec![
                HistoryRow {
                    revision: 7,
                    deleted: false,
                    version: 1,
                    create_revision: 7,
                    value: b"new".to_vec(),
                    lease: 0,
                },
                HistoryRow {
                    revision: 5,
                    deleted: true,
                    version: 0,
                    create_revision: 0,
                    value: vec![],
                    lease: 0,
                },
                HistoryRow {
                    revision: 3,
                    deleted: false,
                    version: 2,
                    create_revision: 2,
                    value: b"old".to_vec(),
                    lease: 0,
                },
            ],
            ..Default::default()
        })
        .await;
        assert!(html.contains(r#"data-testid="key-detail""#));
        assert!(html.contains(r#"data-format="json""#));
        assert!(html.contains("\"a\": [\n    1,"), "{html}");
        assert!(!html.contains("<script>"));
        assert!(html.contains(r#"<dd data-testid="detail-mod">7</dd>"#));
        assert!(html.contains("694d71ddacfda227"));
        assert!(html.contains(">DELETE<") && html.contains(">CREATE<") && html.contains(">PUT<"));
    }

    #[tokio::test]
    async fn binary_values_show_as_hex_and_hostile_ones_as_text() {
        let bin = detail(KeyDetailModel {
            key: b"b".to_vec(),
            kv: Some(kv(b"b", b"\x00\x01\xfe")),
            ..Default::default()
        })
        .await;
        assert!(bin.contains(r#"data-format="hex""#) && bin.contains("00 01 fe"));
        let hostile = detail(KeyDetailModel {
            key: HOSTILE.as_bytes().to_vec(),
            kv: Some(kv(HOSTILE.as_bytes(), HOSTILE.as_bytes())),
            ..Default::default()
        })
        .await;
        assert!(!hostile.contains("<img"), "{hostile}");
        assert_eq!(
            hostile
                .matches("&lt;img src=x onerror=alert(1)&gt;")
                .count(),
            2
        );
    }
}

mod actions {
    use etcd_playground::playground::session::commands::{
        isolate_command, move_leader_command, read_local_command,
    };
    use etcd_playground::playground::session::ClusterModel;

    #[test]
    fn buttons_send_console_lines() {
        let w = etcd_playground::sim::World::new(1);
        let m = ClusterModel::from_world(&w);
        assert_eq!(
            isolate_command(&m.members, "infra2"),
            "partition infra2 | infra1 infra3"
        );
        let lead = move_leader_command(&m, "infra3").unwrap();
        assert!(
            lead.starts_with("etcdctl --endpoints=http://127.0.0.1:2379 move-leader "),
            "{lead}"
        );
        assert_eq!(
            read_local_command("infra2").unwrap(),
            "etcdctl --endpoints=http://127.0.0.1:22379 get \"\" --prefix --consistency=s"
        );
    }
}

mod registry {
    use std::rc::Rc;

    use etcd_playground::registry::tree::KeyTree;
    use etcd_playground::ui::registry_view::{
        LayoutProps, RegistryDetail, RegistryDetailProps, RegistryLayout,
    };
    use yew::prelude::*;
    use yew::LocalServerRenderer;

    const HOSTILE: &str = "<img src=x onerror=alert(1)>";

    #[tokio::test]
    async fn a_decoded_object_shows_hostile_names_as_text() {
        let value = format!(
            r#"{{"kind":"Pod","apiVersion":"v1","metadata":{{"name":"{HOSTILE}","namespace":"default","resourceVersion":"7","ownerReferences":[{{"kind":"ReplicaSet","name":"{HOSTILE}"}}]}}}}"#
        );
        let html = LocalServerRenderer::<RegistryDetail>::with_props(RegistryDetailProps {
            object_key: b"/registry/pods/default/x".to_vec(),
            value: value.into_bytes(),
            mod_revision: 7,
            on_select_key: Callback::noop(),
        })
        .hydratable(false)
        .render()
        .await;
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(
            html.contains(r#"data-testid="registry-kind">Pod<"#),
            "{html}"
        );
        // the resourceVersion is explained against the key's mod_revision
        assert!(
            html.contains("7 = this key&#x27;s mod_revision")
                || html.contains("7 = this key's mod_revision"),
            "{html}"
        );
        assert!(html.contains("ReplicaSet &lt;img"), "{html}");
    }

    #[tokio::test]
    async fn the_layout_has_a_block_per_resource_type() {
        let tree = KeyTree::from_keys(
            [
                (&b"/registry/pods/default/a"[..], 100),
                (&b"/registry/pods/kube-system/b"[..], 100),
                (&b"/registry/services/specs/default/kubernetes"[..], 50),
                (&b"/registry/namespaces/default"[..], 10),
            ]
            .into_iter(),
        );
        let summary = Rc::new(tree.resource_summary());
        let html = LocalServerRenderer::<RegistryLayout>::with_props(LayoutProps {
            summary,
            on_drill: Callback::noop(),
        })
        .hydratable(false)
        .render()
        .await;
        assert_eq!(
            html.matches(r#"data-testid="layout-block""#).count(),
            3,
            "{html}"
        );
        assert!(html.contains(r#"data-resource="services/specs""#), "{html}");
        assert!(html.contains("3 resource types, 4 keys"), "{html}");
    }
}

mod labs_and_editor {
    use etcd_playground::playground::session::Entry;
    use etcd_playground::process::Output;
    use etcd_playground::ui::console::view_entry;
    use etcd_playground::ui::editor::{Editor, EditorProps};
    use etcd_playground::ui::lab_select::{LabChoice, LabSelect, LabSelectProps, SelectKind};
    use etcd_playground::ui::labs::Labs;
    use yew::prelude::*;
    use yew::LocalServerRenderer;

    #[tokio::test]
    async fn the_selector_offers_each_lab_and_shows_the_current_one() {
        let labs = etcd_playground::playground::lab::LabKind::ALL
            .iter()
            .map(|k| k.name())
            .map(|n| LabChoice {
                name: n.to_string(),
                title: format!("{n} <b>lab</b>"),
            })
            .collect();
        let html = LocalServerRenderer::<LabSelect>::with_props(LabSelectProps {
            labs,
            current: "kubeadm".into(),
            on_choose: Callback::noop(),
            disabled: false,
            kind: SelectKind::Lab,
        })
        .hydratable(false)
        .render()
        .await;
        assert!(html.contains(r#"data-testid="lab-select""#), "{html}");
        assert!(html.contains(r#"data-testid="lab-option-local""#), "{html}");
        assert!(
            html.contains(r#"data-testid="lab-option-kubeadm""#),
            "{html}"
        );
        assert!(
            html.contains(r#"data-testid="lab-option-external-etcd""#),
            "{html}"
        );
        assert_eq!(html.matches("selected=").count(), 1, "{html}");
        assert!(html.contains(r#"value="kubeadm" selected"#), "{html}");
        assert!(!html.contains("<b>"), "titles are text: {html}");
    }

    #[tokio::test]
    async fn the_release_selector_offers_3_4_and_3_5() {
        let html = LocalServerRenderer::<LabSelect>::with_props(LabSelectProps {
            labs: Labs::version_choices(),
            current: "3.5".into(),
            on_choose: Callback::noop(),
            disabled: false,
            kind: SelectKind::Version,
        })
        .hydratable(false)
        .render()
        .await;
        for needle in [
            r#"data-testid="etcd-version""#,
            r#"data-testid="etcd-version-3.4""#,
            r#"data-testid="etcd-version-3.5""#,
            "etcd 3.4.23",
            "etcd 3.5.1",
            r#"aria-label="etcd release""#,
        ] {
            assert!(html.contains(needle), "missing {needle} in {html}");
        }
        assert!(!html.contains(r#"data-testid="lab-select""#), "{html}");
        assert_eq!(html.matches("selected=").count(), 1, "{html}");
        assert!(html.contains(r#"value="3.5" selected"#), "{html}");
    }

    #[tokio::test]
    async fn the_editor_shows_the_path_and_the_file_as_text() {
        let html = LocalServerRenderer::<Editor>::with_props(EditorProps {
            path: "/etc/kubernetes/manifests/etcd.yaml".into(),
            text: "spec:\n  <script>alert(1)</script>\n".into(),
            on_save: Callback::noop(),
            on_cancel: Callback::noop(),
        })
        .hydratable(false)
        .render()
        .await;
        for needle in [
            r#"data-testid="editor""#,
            r#"data-testid="editor-text""#,
            r#"data-testid="editor-save""#,
            r#"data-testid="editor-cancel""#,
            "/etc/kubernetes/manifests/etcd.yaml",
        ] {
            assert!(html.contains(needle), "missing {needle} in {html}");
        }
        assert!(!html.contains("<script>"), "{html}");
    }

    #[derive(Properties, PartialEq)]
    struct Props {
        entry: Entry,
    }

    #[component]
    fn One(props: &Props) -> Html {
        view_entry(&props.entry)
    }

    #[tokio::test]
    async fn background_output_is_tagged_with_its_job_and_is_text() {
        let html = LocalServerRenderer::<One>::with_props(Props {
            entry: Entry {
                id: 7,
                line: "etcdctl watch foo &".into(),
                output: Output {
                    stdout: "PUT\nfoo\n<i>x</i>\n".into(),
                    ..Default::default()
                },
                job_output: Some(1),
                ..Default::default()
            },
        })
        .hydratable(false)
        .render()
        .await;
        assert!(
            html.contains(r#"data-testid="console-job-output""#),
            "{html}"
        );
        assert!(!html.contains(r#"data-testid="console-entry""#), "{html}");
        assert!(html.contains("[1] etcdctl watch foo &amp;"), "{html}");
        assert!(html.contains("&lt;i&gt;x&lt;/i&gt;"), "{html}");
    }
}

/// A command reading the terminal: its prompts above, its prompt on the input's line, and a
/// password field while a password is read.
mod terminal_input {
    use std::rc::Rc;

    use etcd_playground::playground::completion::Completion;
    use etcd_playground::ui::console::{Console, ConsoleProps, TerminalView};
    use yew::prelude::*;
    use yew::LocalServerRenderer;

    async fn render(terminal: Option<TerminalView>) -> String {
        let props = yew::props!(ConsoleProps {
            entries: Rc::new(Vec::new()),
            ready: true,
            on_run: Callback::noop(),
            on_clear: Callback::noop(),
            on_history: Callback::from(|_| None),
            on_complete: Callback::from(|line| Completion {
                line,
                candidates: Vec::new(),
            }),
            terminal,
        });
        LocalServerRenderer::<Console>::with_props(props)
            .hydratable(false)
            .render()
            .await
    }

    #[tokio::test]
    async fn txn_prompts_show_above_an_input_without_the_shell_prompt() {
        let html = render(Some(TerminalView {
            line: "etcdctl txn -i".into(),
            above: "compares:".into(),
            prompt: String::new(),
            password: false,
        }))
        .await;
        assert!(html.contains(r#"data-testid="terminal-entry""#), "{html}");
        assert!(html.contains("compares:"), "{html}");
        assert!(html.contains(r#"data-testid="terminal-input""#), "{html}");
        assert!(html.contains(r#"data-password="false""#), "{html}");
        assert!(html.contains(r#"type="text""#), "{html}");
        assert!(
            html.contains(r#"<span data-testid="console-prompt" class="prompt"></span>"#),
            "{html}"
        );
    }

    #[tokio::test]
    async fn a_password_is_read_in_a_password_field() {
        let html = render(Some(TerminalView {
            line: "etcdctl user add root".into(),
            above: String::new(),
            prompt: "Password of root: ".into(),
            password: true,
        }))
        .await;
        assert!(html.contains(r#"type="password""#), "{html}");
        assert!(html.contains(r#"data-password="true""#), "{html}");
        assert!(html.contains("Password of root: </span>"), "{html}");
        // the shell's own input otherwise
        let html = render(None).await;
        assert!(
            !html.contains("terminal-input") && html.contains(r#"type="text""#),
            "{html}"
        );
    }
}
