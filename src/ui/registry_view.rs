//! Kubernetes in the keyspace: the picture of what `/registry` holds (a treemap: one box per
//! resource type, its area the type's keys or the bytes of its keys and values; a click opens
//! the folder in the tree), and the decoded view of one `/registry` key (kind, namespace, name, owners and related objects as links to their keys, and the
//! bytes as kube-apiserver really stores them).
//!
//! Owns: the treemap layout (pure, tested natively) and these two views. The decoding itself
//! is `registry::decode`; the summary is `registry::tree::KeyTree::resource_summary`.
//! Object content is data: names and values are shown as text, never as markup.

use std::rc::Rc;

use yew::prelude::*;

use super::decimal::tenths as f;
use crate::api::size::{grouped, humanize};
use crate::registry::decode::{self, Decoded, Link, StorageFormat};
use crate::registry::tree::{NodeId, ResourceSummary};

/// A rectangle of the treemap, in the picture's units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// Squarified treemap (Bruls, Huizing, van Wijk): lays `weights` (largest first for the best
/// shapes) into the rectangle, each area proportional to its weight, rows chosen so the
/// rectangles stay close to squares. Zero or negative weights get empty rectangles.
pub fn squarify(weights: &[f64], area: Rect) -> Vec<Rect> {
    let mut out = vec![
        Rect {
            x: area.x,
            y: area.y,
            w: 0.0,
            h: 0.0
        };
        weights.len()
    ];
    let total: f64 = weights.iter().filter(|w| **w > 0.0).sum();
    if total <= 0.0 || area.w <= 0.0 || area.h <= 0.0 {
        return out;
    }
    let scale = area.w * area.h / total;
    let items: Vec<(usize, f64)> = weights
        .iter()
        .enumerate()
        .filter(|(_, w)| **w > 0.0)
        .map(|(i, w)| (i, w * scale))
        .collect();
    let mut free = area;
    let mut row: Vec<(usize, f64)> = Vec::new();
    let worst = |row: &[(usize, f64)], side: f64| -> f64 {
        let sum: f64 = row.iter().map(|r| r.1).sum();
        if sum <= 0.0 || side <= 0.0 {
            return f64::INFINITY;
        }
        row.iter()
            .map(|r| {
                let a = (side * side * r.1) / (sum * sum);
                a.max(1.0 / a)
            })
            .fold(0.0, f64::max)
    };
    let mut i = 0;
    while i < items.len() {
        let side = free.w.min(free.h);
        let mut with = row.clone();
        with.push(items[i]);
        if row.is_empty() || worst(&with, side) <= worst(&row, side) {
            row = with;
            i += 1;
        } else {
            free = lay_row(&row, free, &mut out);
            row.clear();
        }
    }
    if !row.is_empty() {
        lay_row(&row, free, &mut out);
    }
    out
}

/// Lays one row along the shorter side of `free`; returns what is left.
fn lay_row(row: &[(usize, f64)], free: Rect, out: &mut [Rect]) -> Rect {
    let sum: f64 = row.iter().map(|r| r.1).sum();
    if free.w >= free.h {
        // a column on the left
        let w = if free.h > 0.0 { sum / free.h } else { 0.0 };
        let mut y = free.y;
        for &(i, a) in row {
            let h = if w > 0.0 { a / w } else { 0.0 };
            if let Some(r) = out.get_mut(i) {
                *r = Rect { x: free.x, y, w, h };
            }
            y += h;
        }
        Rect {
            x: free.x + w,
            w: (free.w - w).max(0.0),
            ..free
        }
    } else {
        // a row on top
        let h = if free.w > 0.0 { sum / free.w } else { 0.0 };
        let mut x = free.x;
        for &(i, a) in row {
            let w = if h > 0.0 { a / h } else { 0.0 };
            if let Some(r) = out.get_mut(i) {
                *r = Rect { x, y: free.y, w, h };
            }
            x += w;
        }
        Rect {
            y: free.y + h,
            h: (free.h - h).max(0.0),
            ..free
        }
    }
}

const VIEW_W: f64 = 480.0;
const VIEW_H: f64 = 130.0;

#[derive(Properties, PartialEq)]
pub struct LayoutProps {
    pub summary: Rc<Vec<ResourceSummary>>,
    /// A click on a resource type: open its folder in the tree.
    pub on_drill: Callback<NodeId>,
}

/// What `/registry` holds: a treemap of resource types, sized by keys or by bytes, titled
/// and explained in plain words (a newcomer need not know what a treemap is).
#[component]
pub fn RegistryLayout(props: &LayoutProps) -> Html {
    let by_bytes = use_state(|| false);
    let summary = &props.summary;
    let mut order: Vec<&ResourceSummary> = summary.iter().collect();
    let weight = |s: &ResourceSummary| if *by_bytes { s.bytes } else { s.keys } as f64;
    crate::sort::sort_by(&mut order, |a, b| {
        weight(b)
            .partial_cmp(&weight(a))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.resource.cmp(&b.resource))
    });
    let weights: Vec<f64> = order.iter().map(|s| weight(s)).collect();
    let rects = squarify(
        &weights,
        Rect {
            x: 0.0,
            y: 0.0,
            w: VIEW_W,
            h: VIEW_H,
        },
    );
    let total_keys: u64 = summary.iter().map(|s| s.keys).sum();
    let total_bytes: u64 = summary.iter().map(|s| s.bytes).sum();
    let set = |b: bool| {
        let by_bytes = by_bytes.clone();
        Callback::from(move |_: MouseEvent| by_bytes.set(b))
    };
    let blocks = order.iter().zip(rects).enumerate().map(|(i, (s, r))| {
        let onclick = {
            let cb = props.on_drill.clone();
            let node = s.node;
            Callback::from(move |_: MouseEvent| cb.emit(node))
        };
        let onkeydown = {
            let cb = props.on_drill.clone();
            let node = s.node;
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    cb.emit(node);
                }
            })
        };
        let title = format!(
            "{} — {} keys, {} of keys and values ({} bytes){}; click to open it in the tree",
            s.prefix,
            s.keys,
            humanize(s.bytes),
            grouped(s.bytes),
            s.kind
                .as_ref()
                .map(|k| format!(" ({k})"))
                .unwrap_or_default()
        );
        let fits_name = r.w >= 46.0 && r.h >= 16.0;
        let fits_count = r.w >= 46.0 && r.h >= 30.0;
        let count = if *by_bytes {
            humanize(s.bytes)
        } else {
            s.keys.to_string()
        };
        html! {
            <g class={classes!("block", format!("hue{}", i % 8))} data-testid="layout-block"
               data-resource={s.resource.clone()} data-keys={s.keys.to_string()} data-bytes={s.bytes.to_string()}
               tabindex="0" role="button" aria-label={title.clone()} {onclick} {onkeydown}>
                <title>{ title }</title>
                <rect x={f(r.x)} y={f(r.y)} width={f((r.w - 1.0).max(0.0))} height={f((r.h - 1.0).max(0.0))} rx="2" />
                if fits_name {
                    <text x={f(r.x + 4.0)} y={f(r.y + 12.0)} class="name">{ clip(&s.resource, r.w) }</text>
                }
                if fits_count {
                    <text x={f(r.x + 4.0)} y={f(r.y + 25.0)} class="count">{ count }</text>
                }
            </g>
        }
    });
    let explain = if *by_bytes {
        "Each box is one resource type; its area is the bytes its keys and values take in etcd."
    } else {
        "Each box is one resource type; its area is how many keys it has."
    };
    html! {
        <section class="registry-layout" data-testid="registry-layout" aria-labelledby="registry-layout-title">
            <div class="layout-bar">
                <h4 id="registry-layout-title" data-testid="layout-title">{ "What /registry holds" }</h4>
                <span class="spacer"></span>
                <div class="seg" role="group" aria-label="box area by">
                    <button data-testid="layout-by-keys" class={classes!((!*by_bytes).then_some("on"))}
                            aria-pressed={(!*by_bytes).to_string()} onclick={set(false)}>{ "keys" }</button>
                    <button data-testid="layout-by-bytes" class={classes!(by_bytes.then_some("on"))}
                            aria-pressed={by_bytes.to_string()} onclick={set(true)}>{ "bytes" }</button>
                </div>
            </div>
            <p class="layout-explain">
                <span data-testid="layout-total" data-keys={total_keys.to_string()} data-bytes={total_bytes.to_string()}
                      title={format!("{} bytes of keys and values", grouped(total_bytes))}>
                    { format!("/registry: {} resource types, {} keys, {} of keys and values.", summary.len(), total_keys, humanize(total_bytes)) }
                </span>
                { " " }
                <span data-testid="layout-explain">{ explain }{ " Click a box to open its folder in the tree." }</span>
            </p>
            <svg viewBox={format!("0 0 {VIEW_W} {VIEW_H}")} role="img"
                 aria-label={format!("/registry by resource type: one box per type, sized by its {}", if *by_bytes { "bytes" } else { "keys" })}>
                { for blocks }
            </svg>
        </section>
    }
}

/// A label cut to what fits in `w` units (about 6 units a character).
fn clip(s: &str, w: f64) -> String {
    let max = ((w - 8.0) / 6.0).floor().max(1.0) as usize;
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

#[derive(Properties, PartialEq)]
pub struct RegistryDetailProps {
    pub object_key: Vec<u8>,
    pub value: Vec<u8>,
    pub mod_revision: i64,
    /// A click on an owner or related object: select its key.
    pub on_select_key: Callback<Vec<u8>>,
}

/// What a `/registry` key holds, as Kubernetes sees it.
#[component]
pub fn RegistryDetail(props: &RegistryDetailProps) -> Html {
    let d: Decoded = decode::decode(&props.object_key, &props.value);
    let show_bytes = use_state(|| false);
    let link = |l: &Link| {
        let cb = props.on_select_key.clone();
        let key = l.key.clone().into_bytes();
        let onclick = Callback::from(move |_: MouseEvent| cb.emit(key.clone()));
        html! {
            <li>
                <span class="relation">{ format!("{}: ", l.relation) }</span>
                <button class="linkbutton" data-testid="registry-link" data-key={l.key.clone()} {onclick}
                        title={l.key.clone()}>{ format!("{} {}", l.kind, l.name) }</button>
            </li>
        }
    };
    let rv_note = match d.resource_version.as_deref().map(str::parse::<i64>) {
        Some(Ok(rv)) if rv == props.mod_revision => {
            Some(format!("{rv} = this key's mod_revision: kube-apiserver reports etcd's revision as the object's resourceVersion"))
        }
        Some(Ok(rv)) => Some(format!(
            "{rv} (the key's mod_revision is {}: the stored object was written by hand, not by kube-apiserver)",
            props.mod_revision
        )),
        Some(Err(_)) => d.resource_version.clone(),
        None => None,
    };
    let bytes_view = if *show_bytes {
        let text = match (&d.format, &d.object) {
            (StorageFormat::Json, Some(obj)) if d.kind.as_deref() == Some("Secret") => {
                let enc = decode::encrypted_view(&props.object_key, obj);
                Some(crate::ui::keyspace::hex_dump(&enc))
            }
            (StorageFormat::Json, Some(obj)) => {
                decode::protobuf_view(obj).map(|e| e.annotated_hex())
            }
            _ => Some(crate::ui::keyspace::hex_dump(&props.value)),
        };
        let caption = match (&d.format, &d.object) {
            (StorageFormat::Json, Some(_)) if d.kind.as_deref() == Some("Secret") => {
                "With encryption at rest (aescbc), kube-apiserver would store this secret as below (illustrative ciphertext):"
            }
            (StorageFormat::Json, Some(_)) => {
                "kube-apiserver's default protobuf storage of this object, field by field:"
            }
            _ => "The stored bytes:",
        };
        text.map(|t| {
            html! {
                <div class="stored-bytes" data-testid="registry-bytes">
                    <p class="note">{ caption }</p>
                    <pre class="value hex">{ t }</pre>
                </div>
            }
        })
    } else {
        None
    };
    let toggle = {
        let show_bytes = show_bytes.clone();
        Callback::from(move |_: MouseEvent| show_bytes.set(!*show_bytes))
    };
    html! {
        <section class="registry-detail" data-testid="registry-detail" aria-label="Kubernetes object">
            <h4>{ "Kubernetes object" }</h4>
            <dl class="facts">
                if let Some(k) = &d.kind {
                    <dt>{ "kind" }</dt><dd data-testid="registry-kind">{ k.clone() }</dd>
                }
                if let Some(v) = &d.api_version {
                    <dt>{ "apiVersion" }</dt><dd>{ v.clone() }</dd>
                }
                if let Some(ns) = &d.namespace {
                    <dt>{ "namespace" }</dt><dd data-testid="registry-namespace">{ ns.clone() }</dd>
                }
                if let Some(n) = &d.name {
                    <dt>{ "name" }</dt><dd data-testid="registry-name">{ n.clone() }</dd>
                }
                if let Some(u) = &d.uid {
                    <dt>{ "uid" }</dt><dd>{ u.clone() }</dd>
                }
                if let Some(rv) = rv_note {
                    <dt>{ "resourceVersion" }</dt><dd data-testid="registry-rv">{ rv }</dd>
                }
            </dl>
            <p class="note" data-testid="registry-format">{ d.format.explain() }</p>
            if !d.owners.is_empty() {
                <h5>{ "owned by" }</h5>
                <ul class="links">{ for d.owners.iter().map(link) }</ul>
            }
            if !d.related.is_empty() {
                <h5>{ "related" }</h5>
                <ul class="links">{ for d.related.iter().map(link) }</ul>
            }
            <button class="small" data-testid="registry-bytes-toggle" onclick={toggle}
                    aria-expanded={show_bytes.to_string()}>
                { if *show_bytes { "hide the bytes" } else { "show the bytes as Kubernetes stores them" } }
            </button>
            { for bytes_view }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area() -> Rect {
        Rect {
            x: 0.0,
            y: 0.0,
            w: 400.0,
            h: 200.0,
        }
    }

    #[test]
    fn areas_are_proportional_and_inside() {
        let w = [50.0, 25.0, 12.5, 6.25, 6.25];
        let rects = squarify(&w, area());
        let total: f64 = w.iter().sum();
        for (r, wt) in rects.iter().zip(w) {
            let want = 400.0 * 200.0 * wt / total;
            assert!(
                (r.w * r.h - want).abs() < 1e-6 * want.max(1.0),
                "{r:?} {want}"
            );
            assert!(r.x >= -1e-9 && r.y >= -1e-9);
            assert!(
                r.x + r.w <= 400.0 + 1e-6 && r.y + r.h <= 200.0 + 1e-6,
                "{r:?}"
            );
        }
        // no two overlap
        for (i, a) in rects.iter().enumerate() {
            for b in &rects[i + 1..] {
                let ox = (a.x + a.w).min(b.x + b.w) - a.x.max(b.x);
                let oy = (a.y + a.h).min(b.y + b.h) - a.y.max(b.y);
                assert!(ox <= 1e-6 || oy <= 1e-6, "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn squarified_shapes_are_not_slivers() {
        let w = vec![1.0; 16];
        for r in squarify(&w, area()) {
            let ratio = (r.w / r.h).max(r.h / r.w);
            assert!(ratio < 3.0, "{r:?}");
        }
    }

    #[test]
    fn degenerate_inputs_give_empty_rects() {
        assert!(squarify(&[], area()).is_empty());
        let r = squarify(&[0.0, -1.0, f64::NAN], area());
        assert_eq!(r.len(), 3);
        assert!(r.iter().all(|r| r.w * r.h == 0.0));
        let r = squarify(
            &[1.0, 2.0],
            Rect {
                x: 0.0,
                y: 0.0,
                w: 0.0,
                h: 10.0,
            },
        );
        assert!(r.iter().all(|r| r.w == 0.0 && r.h == 0.0));
    }

    #[test]
    fn labels_fit_their_box() {
        assert_eq!(clip("apiregistration.k8s.io/apiservices", 60.0), "apiregi…");
        assert_eq!(clip("pods", 60.0), "pods");
    }
}
