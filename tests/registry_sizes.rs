//! Issue 21: the page shows one size for the same bytes. `load k8s` says how much it wrote,
//! the /registry picture ("What /registry holds") totals it and sizes each box, and a key's
//! detail shows its own size: all count the bytes of keys and values as stored in etcd, and
//! all write them the same way (`api::size::humanize`). Driven as the page drives its session.
#![cfg(all(not(target_arch = "wasm32"), feature = "ui"))]

use std::rc::Rc;
use std::time::Duration;

use etcd_playground::api::size::humanize;
use etcd_playground::api::{RangeRequest, Request, Response};
use etcd_playground::playground::session::{Action, Session};
use etcd_playground::registry::tree::ResourceSummary;
use etcd_playground::ui::registry_view::{LayoutProps, RegistryLayout};
use yew::prelude::*;
use yew::LocalServerRenderer;

/// An action as the page applies it: then the keyspace read it asks for.
fn act(s: &mut Session, a: Action) {
    let applied = s.apply(a);
    s.refresh(applied.refresh);
}

/// What the console printed for the last line.
fn last_output(s: &Session) -> String {
    let e = s.entries().last().expect("an entry");
    format!("{}{}", e.output.stdout, e.output.stderr)
}

/// The bytes of keys and values under `prefix`, read with their values from the leader.
fn stored_bytes(s: &mut Session, prefix: &str) -> (u64, u64) {
    let mut end = prefix.as_bytes().to_vec();
    if let Some(last) = end.last_mut() {
        *last += 1;
    }
    let req = RangeRequest {
        key: prefix.as_bytes().to_vec(),
        range_end: end,
        ..Default::default()
    };
    let world = s.playground_mut().world_mut();
    let Ok(Response::Range(r)) = world.call(
        "127.0.0.1:2379",
        None,
        Request::Range(req),
        Duration::from_secs(5),
    ) else {
        panic!("the range failed");
    };
    let bytes = r
        .kvs
        .iter()
        .map(|kv| (kv.key.len() + kv.value.len()) as u64)
        .sum();
    (r.kvs.len() as u64, bytes)
}

fn summary(s: &Session) -> Vec<ResourceSummary> {
    s.keyspace().tree.borrow().resource_summary()
}

fn layout_html(summary: Vec<ResourceSummary>) -> String {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime")
        .block_on(
            LocalServerRenderer::<RegistryLayout>::with_props(LayoutProps {
                summary: Rc::new(summary),
                on_drill: Callback::noop(),
            })
            .hydratable(false)
            .render(),
        )
}

#[test]
fn the_load_message_the_picture_and_the_key_detail_agree() {
    let mut s = Session::new(1);
    act(&mut s, Action::Run("load k8s".into()));
    let msg = last_output(&s);
    let (keys, bytes) = stored_bytes(&mut s, "/registry/");
    assert!(keys > 300, "{keys}");

    // The picture opens: the session reads the value sizes too.
    act(&mut s, Action::KeySizes(true));
    let sum = summary(&s);
    let (sum_keys, sum_bytes) = sum
        .iter()
        .fold((0, 0), |(k, b), r| (k + r.keys, b + r.bytes));
    assert_eq!(
        (sum_keys, sum_bytes),
        (keys, bytes),
        "the picture's totals are the stored keys and values, byte for byte"
    );
    // The message says the same figure, in the same words, as the picture's total line.
    let total = format!("{keys} keys ({} of keys and values)", humanize(bytes));
    assert!(msg.contains(&total), "{msg} lacks {total}");
    let html = layout_html(sum.clone());
    let line = format!("{keys} keys, {} of keys and values", humanize(bytes));
    assert!(html.contains(&line), "{html} lacks {line}");
    assert!(html.contains(&format!(r#"data-bytes="{bytes}""#)), "{html}");
    assert!(html.contains("What /registry holds"), "{html}");

    // A box's size is the sum of its keys' sizes as each key's detail shows them.
    let ns = sum
        .iter()
        .find(|r| r.resource == "namespaces")
        .expect("a namespaces box")
        .clone();
    let names: Vec<Vec<u8>> = {
        let tree = s.keyspace().tree.borrow();
        let node = tree.node(ns.node).expect("the folder");
        node.children.iter().map(|c| tree.path(*c)).collect()
    };
    assert_eq!(names.len() as u64, ns.keys);
    let mut detail_sum = 0;
    for k in names {
        act(&mut s, Action::SelectKey(k.clone()));
        let d = s.detail().expect("a detail");
        let kv = d.kv.as_ref().expect("the key's value");
        detail_sum += (d.key.len() + kv.value.len()) as u64;
    }
    assert_eq!(detail_sum, ns.bytes);

    // One value changes: only that size is read again, and the totals still agree.
    act(
        &mut s,
        Action::Run("etcdctl put /registry/namespaces/demo 0123456789".into()),
    );
    let (keys2, bytes2) = stored_bytes(&mut s, "/registry/");
    let sum2 = summary(&s);
    assert_eq!(keys2, keys);
    assert_ne!(bytes2, bytes);
    assert_eq!(sum2.iter().map(|r| r.bytes).sum::<u64>(), bytes2);
    let ns2 = sum2.iter().find(|r| r.resource == "namespaces").unwrap();
    assert_eq!(
        ns2.bytes as i64 - ns.bytes as i64,
        bytes2 as i64 - bytes as i64,
        "the namespaces box grew by what the value did"
    );
}

#[test]
fn without_the_picture_no_value_is_read() {
    let mut s = Session::new(1);
    act(&mut s, Action::Run("load k8s".into()));
    let (_, bytes) = stored_bytes(&mut s, "/registry/");
    let key_bytes: u64 = summary(&s).iter().map(|r| r.bytes).sum();
    assert!(key_bytes < bytes / 4, "keys only: {key_bytes} of {bytes}");
    act(&mut s, Action::KeySizes(true));
    act(&mut s, Action::KeySizes(false));
    act(&mut s, Action::KeySizes(true));
    assert_eq!(summary(&s).iter().map(|r| r.bytes).sum::<u64>(), bytes);
}
