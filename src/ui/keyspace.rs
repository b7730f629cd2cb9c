//! The keyspace panel: a filter, the v3/v2 switch, the revision slider (compacted revisions
//! marked), the key tree as a virtualised list (only the rows in view are in the DOM), and the
//! detail of the selected key (value, revisions, version, lease, history across generations).
//!
//! Owns: the scroll position. The keys come from the session, which reads them with Range
//! requests into a `registry::tree::KeyTree` (that model owns open folders and the filter).
//! Keys and values are data: they are shown as text, never as markup.

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::registry_view::RegistryLayout;
use crate::api::size::{grouped, humanize};
use crate::playground::session::{KeyDetailModel, KeyspaceData};
use crate::registry::tree::{KeyTree, NodeId};

/// Bytes as text for the screen: UTF-8 as is, control characters and invalid bytes as `\xNN`.
pub fn display_bytes(b: &[u8]) -> String {
    let mut out = String::new();
    for chunk in b.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_control() {
                out.push_str(&format!("\\x{:02x}", u32::from(c)));
            } else {
                out.push(c);
            }
        }
        for x in chunk.invalid() {
            out.push_str(&format!("\\x{x:02x}"));
        }
    }
    out
}

/// Height of one tree row in CSS pixels (`.tree .row` in style.css).
pub const ROW_H: u32 = 22;
/// Rows drawn above and below the visible ones.
const OVERSCAN: usize = 8;

#[derive(Properties, PartialEq)]
pub struct KeyspaceProps {
    pub data: KeyspaceData,
    #[prop_or_default]
    pub selected_key: Option<Vec<u8>>,
    pub on_select_key: Callback<Vec<u8>>,
    pub on_revision: Callback<Option<i64>>,
    pub on_v2: Callback<bool>,
    pub on_toggle: Callback<NodeId>,
    pub on_filter: Callback<String>,
    /// The layout picture's click on a resource type: open that folder alone.
    #[prop_or_default]
    pub on_drill: Callback<NodeId>,
    /// A console line to run (the "load the Kubernetes sample" button).
    #[prop_or_default]
    pub on_command: Callback<String>,
    /// The /registry picture opened or closed: the tree should carry value sizes or not.
    #[prop_or_default]
    pub on_sizes: Callback<bool>,
}

#[component]
pub fn KeyspacePanel(props: &KeyspaceProps) -> Html {
    let d = &props.data;
    let show_layout = use_state(|| false);
    let has_registry = !d.v2 && d.tree.borrow().find(b"/registry").is_some();
    let summary = {
        let tree = d.tree.clone();
        use_memo(
            (d.generation, *show_layout && has_registry),
            move |(_, on)| {
                if *on {
                    tree.borrow().resource_summary()
                } else {
                    Vec::new()
                }
            },
        )
    };
    // The picture shows bytes: while it is open the session reads the value sizes too.
    {
        let on_sizes = props.on_sizes.clone();
        let want = *show_layout && has_registry;
        use_effect_with((want, d.sizes), move |(want, sizes)| {
            if want != sizes {
                on_sizes.emit(*want);
            }
        });
    }
    let toggle_layout = {
        let show_layout = show_layout.clone();
        Callback::from(move |_: MouseEvent| show_layout.set(!*show_layout))
    };
    // The folder a click on the picture opened: scrolled to and marked in the tree.
    let reveal = use_state(|| None::<Reveal>);
    let on_drill = {
        let (cb, reveal, tree) = (props.on_drill.clone(), reveal.clone(), d.tree.clone());
        Callback::from(move |id: NodeId| {
            let prefix = tree.borrow().folder_prefix(id);
            let seq = reveal.as_ref().map_or(1, |r| r.seq + 1);
            cb.emit(id);
            reveal.set(Some(Reveal { prefix, seq }));
        })
    };
    let on_row_click = {
        let reveal = reveal.clone();
        Callback::from(move |_: ()| {
            if reveal.is_some() {
                reveal.set(None);
            }
        })
    };
    let load_sample = {
        let cb = props.on_command.clone();
        Callback::from(move |_: MouseEvent| cb.emit("load k8s".to_string()))
    };
    let on_filter = {
        let cb = props.on_filter.clone();
        Callback::from(move |e: InputEvent| {
            let i: HtmlInputElement = e.target_unchecked_into();
            cb.emit(i.value());
        })
    };
    let v3 = {
        let cb = props.on_v2.clone();
        Callback::from(move |_: MouseEvent| cb.emit(false))
    };
    let v2 = {
        let cb = props.on_v2.clone();
        Callback::from(move |_: MouseEvent| cb.emit(true))
    };
    html! {
        <section class="keyspace" aria-label="keyspace">
            <div class="ks-bar">
                <div class="seg" role="group" aria-label="API">
                    <button data-testid="keyspace-v3" class={classes!((!d.v2).then_some("on"))} onclick={v3}
                            aria-pressed={(!d.v2).to_string()}>{ "v3" }</button>
                    <button data-testid="keyspace-v2" class={classes!(d.v2.then_some("on"))} onclick={v2}
                            aria-pressed={d.v2.to_string()}>{ "v2" }</button>
                </div>
                <input class="filter" data-testid="keyspace-filter" type="search" placeholder="filter keys"
                       aria-label="filter keys" value={d.filter.clone()} oninput={on_filter} />
                <span class="count" data-testid="key-count">{ count_label(d.tree.borrow().key_count()) }</span>
                if has_registry {
                    <button class={classes!("small", show_layout.then_some("on"))} data-testid="registry-layout-toggle"
                            aria-pressed={show_layout.to_string()} onclick={toggle_layout}
                            title="a picture of /registry: one box per resource type, sized by its keys or its bytes">
                        { "what's in /registry" }
                    </button>
                } else if !d.v2 {
                    <button class="small" data-testid="load-k8s" onclick={load_sample}
                            title="write a small kubeadm-style cluster's /registry keys through Raft (the console's `load k8s`)">
                        { "load k8s sample" }
                    </button>
                }
            </div>
            if has_registry && *show_layout {
                <RegistryLayout summary={std::rc::Rc::new((*summary).clone())} {on_drill} />
            }
            if !d.v2 {
                <RevisionSlider revision={d.revision} at={d.at} compacted={d.compacted}
                                on_revision={props.on_revision.clone()} />
            }
            if let Some(e) = &d.error {
                <div class="ks-error" data-testid="keyspace-error" role="alert">{ e.clone() }</div>
            }
            <TreeView tree={d.tree.clone()} generation={d.generation} filtering={!d.filter.is_empty()}
                      selected={props.selected_key.clone()} reveal={(*reveal).clone()} {on_row_click}
                      on_toggle={props.on_toggle.clone()} on_select={props.on_select_key.clone()} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct SliderProps {
    pub revision: i64,
    pub at: Option<i64>,
    pub compacted: i64,
    pub on_revision: Callback<Option<i64>>,
}

#[component]
pub fn RevisionSlider(props: &SliderProps) -> Html {
    let max = props.revision.max(1);
    let value = props.at.unwrap_or(max);
    let onchange = {
        let cb = props.on_revision.clone();
        Callback::from(move |e: Event| {
            let i: HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = i.value().parse::<i64>() {
                cb.emit(if v >= max { None } else { Some(v) });
            }
        })
    };
    let live = {
        let cb = props.on_revision.clone();
        Callback::from(move |_: MouseEvent| cb.emit(None))
    };
    // The compacted part of the range, drawn under the slider.
    let frac = if max > 1 {
        ((props.compacted.clamp(0, max) - 1).max(0) as f64 / (max - 1) as f64).clamp(0.0, 1.0)
    } else {
        0.0
    };
    html! {
        <div class="revslider" data-compacted={props.compacted.to_string()}>
            <label>
                <span>{ "revision" }</span>
                <input type="range" data-testid="revision-slider" min="1" max={max.to_string()} step="1"
                       value={value.to_string()} {onchange}
                       aria-label="show the store at revision" aria-valuetext={format!("revision {value}")} />
                <span class="revlabel" data-testid="revision-label">
                    { if props.at.is_some() { format!("{value} of {max}") } else { format!("{max} (newest)") } }
                </span>
                if props.at.is_some() {
                    <button class="small" data-testid="revision-live" onclick={live}>{ "newest" }</button>
                }
            </label>
            <svg class="compacted-bar" viewBox="0 0 100 4" preserveAspectRatio="none" aria-hidden="true">
                <rect class="kept" x="0" y="0" width="100" height="4" />
                if props.compacted > 0 {
                    <rect class="gone" x="0" y="0" width={super::decimal::fixed(frac * 100.0, 2)} height="4" />
                }
            </svg>
            if props.compacted > 0 {
                <span class="note">{ format!("revisions up to {} are compacted", props.compacted) }</span>
            }
        </div>
    }
}

/// A folder to bring into view and mark: its path with the trailing `/` (node ids change
/// when the keys are read again), and a count that makes each click a new request.
#[derive(Clone, Debug, PartialEq)]
pub struct Reveal {
    pub prefix: Vec<u8>,
    pub seq: u64,
}

#[derive(Properties)]
pub struct TreeProps {
    pub tree: Rc<RefCell<KeyTree>>,
    /// Bumped by the session on every change of the tree (keys, open folders, filter).
    pub generation: u64,
    pub filtering: bool,
    pub selected: Option<Vec<u8>>,
    /// The folder the /registry picture opened: scrolled into view and marked.
    #[prop_or_default]
    pub reveal: Option<Reveal>,
    pub on_toggle: Callback<NodeId>,
    pub on_select: Callback<Vec<u8>>,
    /// Any row clicked (the picture's mark goes).
    #[prop_or_default]
    pub on_row_click: Callback<()>,
}

impl PartialEq for TreeProps {
    fn eq(&self, o: &Self) -> bool {
        self.generation == o.generation
            && Rc::ptr_eq(&self.tree, &o.tree)
            && self.selected == o.selected
            && self.reveal == o.reveal
    }
}

/// One drawn row, copied out of the tree.
struct RowView {
    id: NodeId,
    depth: u16,
    folder: bool,
    open: bool,
    is_key: bool,
    label: String,
    path: Vec<u8>,
    count: u64,
}

#[component]
pub fn TreeView(props: &TreeProps) -> Html {
    let scroll = use_state(|| 0u32);
    let view_h = use_state(|| 480u32);
    let onscroll = {
        let scroll = scroll.clone();
        let view_h = view_h.clone();
        Callback::from(move |e: Event| {
            let el: web_sys::Element = e.target_unchecked_into();
            scroll.set(el.scroll_top().max(0) as u32);
            view_h.set(el.client_height().max(0) as u32);
        })
    };
    // A folder opened from the picture: once it is among the rows, scroll the list so it
    // sits in the middle (the list is virtualised: its row may not be drawn yet), and bring
    // the list itself into the window.
    let list = use_node_ref();
    let revealed = use_mut_ref(|| 0u64);
    {
        let (list, tree, scroll, view_h) = (
            list.clone(),
            props.tree.clone(),
            scroll.clone(),
            view_h.clone(),
        );
        let revealed = revealed.clone();
        use_effect_with(
            (props.reveal.clone(), props.generation),
            move |(reveal, _)| {
                let Some(r) = reveal.as_ref().filter(|r| *revealed.borrow() != r.seq) else {
                    return;
                };
                let path = r.prefix.strip_suffix(b"/").unwrap_or(&r.prefix);
                let index = {
                    let mut t = tree.borrow_mut();
                    t.find(path)
                        .filter(|id| t.node(*id).is_some_and(|n| n.expanded))
                        .and_then(|id| t.row_index(id))
                };
                let (Some(i), Some(el)) = (index, list.cast::<web_sys::Element>()) else {
                    return;
                };
                *revealed.borrow_mut() = r.seq;
                let h = el.client_height().max(0) as u32;
                let top = (i as u32 * ROW_H + ROW_H / 2).saturating_sub(h / 2);
                el.set_scroll_top(i32::try_from(top).unwrap_or(i32::MAX));
                scroll.set(el.scroll_top().max(0) as u32);
                view_h.set(h);
                // The page itself (narrow screens stack the panes): scroll it, not the
                // panel (whose overflow is hidden), until the list is in the window.
                if let Some(w) = web_sys::window() {
                    let (r, inner) = (el.get_bounding_client_rect(), w.inner_height());
                    let vh = inner.ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
                    if r.top() < 0.0 || (vh > 0.0 && r.bottom() > vh) {
                        w.scroll_by_with_x_and_y(0.0, r.top() - 8.0);
                    }
                }
            },
        );
    }
    let (total, rows) = {
        let mut t = props.tree.borrow_mut();
        let total = t.visible_len();
        let first = ((*scroll / ROW_H) as usize)
            .saturating_sub(OVERSCAN)
            .min(total);
        let count = (*view_h / ROW_H) as usize + 2 * OVERSCAN + 1;
        let window: Vec<_> = t.window(first, count).to_vec();
        let rows: Vec<RowView> = window
            .iter()
            .filter_map(|r| {
                let n = t.node(r.node)?;
                let mut label = display_bytes(&n.name);
                if r.is_folder {
                    if label.is_empty() && r.depth == 0 {
                        label = "/".into();
                    } else {
                        label.push('/');
                    }
                }
                Some(RowView {
                    id: r.node,
                    depth: r.depth,
                    folder: r.is_folder,
                    open: r.expanded,
                    is_key: n.is_key,
                    label,
                    path: if n.is_key {
                        t.path(r.node)
                    } else {
                        t.folder_prefix(r.node)
                    },
                    count: t.matching(r.node),
                })
            })
            .collect();
        (total, (first, rows))
    };
    let (first, rows) = rows;
    let above = first as u32 * ROW_H;
    let below = total.saturating_sub(first + rows.len()) as u32 * ROW_H;
    html! {
        <div class="tree" data-testid="keyspace-tree" ref={list} {onscroll} role="tree"
             aria-label="keys" data-rows={total.to_string()}>
            // Spacers are SVGs because their height is an attribute, not an inline style.
            <svg class="spacer" width="1" height={above.to_string()} aria-hidden="true"></svg>
            { for rows.into_iter().map(|r| view_row(props, r)) }
            <svg class="spacer" width="1" height={below.to_string()} aria-hidden="true"></svg>
            if total == 0 {
                <div class="empty">{ if props.filtering { "no key matches" } else { "no keys" } }</div>
            }
        </div>
    }
}

fn view_row(props: &TreeProps, r: RowView) -> Html {
    let selected = if r.folder {
        props.reveal.as_ref().is_some_and(|v| v.prefix == r.path)
    } else {
        r.is_key && props.selected.as_deref() == Some(r.path.as_slice())
    };
    let onclick = {
        let toggle = props.on_toggle.clone();
        let select = props.on_select.clone();
        let clicked = props.on_row_click.clone();
        let (id, folder, is_key, path) = (r.id, r.folder, r.is_key, r.path.clone());
        Callback::from(move |_: MouseEvent| {
            clicked.emit(());
            if folder {
                toggle.emit(id);
            }
            if is_key {
                select.emit(path.clone());
            }
        })
    };
    let key_text = display_bytes(&r.path);
    let pad = format!("d{}", r.depth.min(12));
    html! {
        <div class={classes!("row", pad, r.folder.then_some("folder"), selected.then_some("selected"))}
             data-testid="tree-node" data-key={key_text.clone()} data-folder={r.folder.to_string()}
             key={r.id} role="treeitem" aria-expanded={r.folder.then(|| r.open.to_string())}
             aria-selected={selected.to_string()}>
            <button class="rowbtn" {onclick} title={key_text}>
                <span class="twisty" aria-hidden="true">{ if r.folder { if r.open { "▾" } else { "▸" } } else { " " } }</span>
                <span class="label">{ r.label }</span>
                if r.folder {
                    <span class="badge">{ r.count.to_string() }</span>
                }
            </button>
        </div>
    }
}

/// How a value reads: pretty JSON when it is JSON, text when it is text, else a hex dump.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValueView {
    Json(String),
    Text(String),
    Hex(String),
}

pub fn value_view(v: &[u8]) -> ValueView {
    match std::str::from_utf8(v) {
        Ok(s) => {
            let t = s.trim_start();
            if t.starts_with('{') || t.starts_with('[') {
                if let Ok(j) = serde_json::from_str::<serde_json::Value>(s) {
                    if let Ok(p) = serde_json::to_string_pretty(&j) {
                        return ValueView::Json(p);
                    }
                }
            }
            if s.chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
            {
                ValueView::Hex(hex_dump(v))
            } else {
                ValueView::Text(s.to_string())
            }
        }
        Err(_) => ValueView::Hex(hex_dump(v)),
    }
}

/// 16 bytes a line: offset, hex, and the printable ASCII.
pub fn hex_dump(v: &[u8]) -> String {
    let mut out = String::new();
    for (i, chunk) in v.chunks(16).take(256).enumerate() {
        let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
        let ascii: String = chunk
            .iter()
            .map(|b| {
                if b.is_ascii_graphic() || *b == b' ' {
                    *b as char
                } else {
                    '.'
                }
            })
            .collect();
        out.push_str(&format!(
            "{:08x}  {:<47}  {}\n",
            i * 16,
            hex.join(" "),
            ascii
        ));
    }
    if v.len() > 16 * 256 {
        out.push_str(&format!("… {} bytes in all\n", v.len()));
    }
    out
}

fn view_value(v: &[u8]) -> Html {
    match value_view(v) {
        ValueView::Json(s) => html! { <pre class="value json" data-format="json">{ s }</pre> },
        ValueView::Text(s) => html! { <pre class="value text" data-format="text">{ s }</pre> },
        ValueView::Hex(s) => html! { <pre class="value hex" data-format="hex">{ s }</pre> },
    }
}

#[derive(Properties, PartialEq)]
pub struct DetailProps {
    pub detail: KeyDetailModel,
}

#[component]
pub fn KeyDetail(props: &DetailProps) -> Html {
    let d = &props.detail;
    html! {
        <section class="key-detail" data-testid="key-detail" aria-label="key detail">
            <h3 class="key" data-testid="detail-key">{ display_bytes(&d.key) }</h3>
            if let Some(r) = d.at_revision {
                <div class="at">{ format!("as of revision {r}") }</div>
            }
            if let Some(e) = &d.error {
                <div class="error" role="alert">{ e.clone() }</div>
            }
            if let (Some(kv), Some(ttl)) = (&d.kv, d.v2_ttl) {
                <dl class="facts">
                    <dt>{ "createdIndex" }</dt><dd data-testid="detail-create">{ kv.create_revision.to_string() }</dd>
                    <dt>{ "modifiedIndex" }</dt><dd data-testid="detail-mod">{ kv.mod_revision.to_string() }</dd>
                    <dt>{ "ttl" }</dt><dd>{ if ttl == 0 { "permanent".to_string() } else { format!("{ttl} s") } }</dd>
                    { size_fact(&d.key, &kv.value) }
                </dl>
                <div class="valuebox" data-testid="detail-value">{ view_value(&kv.value) }</div>
            } else if let Some(kv) = &d.kv {
                <dl class="facts">
                    <dt>{ "create_revision" }</dt><dd data-testid="detail-create">{ kv.create_revision.to_string() }</dd>
                    <dt>{ "mod_revision" }</dt><dd data-testid="detail-mod">{ kv.mod_revision.to_string() }</dd>
                    <dt>{ "version" }</dt><dd data-testid="detail-version">{ kv.version.to_string() }</dd>
                    <dt>{ "lease" }</dt><dd>{ if kv.lease == 0 { "none".to_string() } else { format!("{:x}", kv.lease) } }</dd>
                    { size_fact(&d.key, &kv.value) }
                </dl>
                <div class="valuebox" data-testid="detail-value">{ view_value(&kv.value) }</div>
            } else if d.error.is_none() {
                <div class="absent">{ "no such key at this revision" }</div>
            }
            if !d.history.is_empty() {
                <h4>{ "history" }</h4>
                <table class="history" data-testid="key-history">
                    <thead><tr><th>{ "rev" }</th><th>{ "event" }</th><th>{ "ver" }</th><th>{ "value" }</th></tr></thead>
                    <tbody>
                        { for d.history.iter().map(|h| html! {
                            <tr class={classes!(h.deleted.then_some("deleted"))}>
                                <td>{ h.revision.to_string() }</td>
                                <td>{ if h.deleted { "DELETE" } else if h.version == 1 { "CREATE" } else { "PUT" } }</td>
                                <td>{ if h.deleted { String::new() } else { h.version.to_string() } }</td>
                                <td class="v">{ if h.deleted { String::new() } else { short(&h.value) } }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                if d.history_truncated {
                    <div class="note">{
                        if d.compacted > 0 {
                            format!("revisions up to {} are compacted: any earlier history is gone", d.compacted)
                        } else {
                            "older revisions are not shown".to_string()
                        }
                    }</div>
                }
            }
        </section>
    }
}

/// The key's size as the /registry picture counts it: its key and its value, in bytes.
fn size_fact(key: &[u8], value: &[u8]) -> Html {
    let (k, v) = (key.len() as u64, value.len() as u64);
    html! {
        <>
            <dt>{ "size" }</dt>
            <dd data-testid="detail-size" data-bytes={(k + v).to_string()}
                title="what this key takes in etcd: the key's bytes and the value's, as the /registry picture counts them">
                { format!("{} (key {} + value {} bytes)", humanize(k + v), grouped(k), grouped(v)) }
            </dd>
        </>
    }
}

fn short(v: &[u8]) -> String {
    let s = display_bytes(v);
    let mut out: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_json_text_or_hex() {
        assert_eq!(
            value_view(b"{\"a\":1}"),
            ValueView::Json("{\n  \"a\": 1\n}".into())
        );
        assert_eq!(value_view(b"plain"), ValueView::Text("plain".into()));
        assert_eq!(
            value_view(b"{not json"),
            ValueView::Text("{not json".into())
        );
        let ValueView::Hex(h) = value_view(b"\x00\xffab") else {
            panic!()
        };
        assert_eq!(
            h,
            "00000000  00 ff 61 62                                      ..ab\n"
        );
    }
}

/// "1 key", "2 keys".
fn count_label(n: u64) -> String {
    if n == 1 {
        "1 key".to_string()
    } else {
        format!("{n} keys")
    }
}
