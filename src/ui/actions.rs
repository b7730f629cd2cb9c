//! What a click on the cluster can do: the member strip (stop, start, isolate, make leader,
//! read the local store) and the member, link and traced-write panels of the detail pane.
//! Every button sends a [`ClusterOp`]; the session turns it into a console line (shown,
//! stored and replayed like a typed one) in which names are data, never shell text.
//!
//! Owns: the markup of the strip and the panels. Never changes the world itself.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::playground::session::cluster_model::{ClusterModel, MemberModel, NetModel};
use crate::playground::session::commands::{move_leader_command, ClusterOp};
use crate::playground::session::{FiredView, WriteTrace};

#[derive(Properties, PartialEq)]
pub struct StripProps {
    pub model: ClusterModel,
    pub on_op: Callback<ClusterOp>,
    pub on_select: Callback<String>,
}

/// One row of buttons a member, always in view under the picture.
#[component]
pub fn MemberStrip(props: &StripProps) -> Html {
    let m = &props.model;
    let send = |op: ClusterOp| {
        let cb = props.on_op.clone();
        Callback::from(move |_: MouseEvent| cb.emit(op.clone()))
    };
    html! {
        <div class="strip" role="group" aria-label="members">
            { for m.members.iter().map(|mm| {
                let name = mm.name.clone();
                let select = {
                    let cb = props.on_select.clone();
                    let name = name.clone();
                    Callback::from(move |_: MouseEvent| cb.emit(name.clone()))
                };
                let lead = move_leader_command(m, &name);
                let is_leader = mm.running && mm.role == "leader";
                html! {
                    <div class={classes!("strip-member", mm.role.clone(), (!mm.running).then_some("down"))}>
                        <button class="who" onclick={select} title="show this member in the detail pane">
                            <span class="dot" aria-hidden="true"></span>{ name.clone() }
                        </button>
                        <button data-testid={format!("member-stop-{name}")} disabled={!mm.running}
                                onclick={send(ClusterOp::Stop(name.clone()))} title={format!("crash {name} (its disk is kept)")}>
                            { "stop" }
                        </button>
                        <button data-testid={format!("member-start-{name}")} disabled={mm.running}
                                onclick={send(ClusterOp::Start(name.clone()))} title={format!("restart {name} from its disk")}>
                            { "start" }
                        </button>
                        <button data-testid={format!("member-isolate-{name}")}
                                onclick={send(ClusterOp::Isolate(name.clone()))}
                                title={format!("cut {name} off from the others")}>
                            { "isolate" }
                        </button>
                        <button data-testid={format!("member-lead-{name}")} disabled={lead.is_none() || is_leader || !mm.running}
                                onclick={send(ClusterOp::Lead(name.clone()))} title={format!("move the leadership to {name}")}>
                            { "lead" }
                        </button>
                        <button data-testid={format!("member-read-{name}")} disabled={!mm.running}
                                onclick={send(ClusterOp::ReadLocal(name.clone()))}
                                title={format!("read every key from {name}'s own store (serializable)")}>
                            { "read" }
                        </button>
                    </div>
                }
            }) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct MemberPanelProps {
    pub member: MemberModel,
}

/// The detail pane for a member: its Raft state, the leader's view of its followers, its log.
#[component]
pub fn MemberPanel(props: &MemberPanelProps) -> Html {
    let m = &props.member;
    html! {
        <section class="member-detail" data-testid="member-detail" aria-label={format!("member {}", m.name)}>
            <h3>{ format!("{} · {}", m.name, if m.running { m.role.as_str() } else { "stopped" }) }</h3>
            <dl class="facts">
                <dt>{ "id" }</dt><dd>{ format!("{:x}", m.id) }</dd>
                <dt>{ "term" }</dt><dd>{ m.term.to_string() }</dd>
                <dt>{ "vote" }</dt><dd>{ if m.vote.is_empty() { "—".to_string() } else { m.vote.clone() } }</dd>
                <dt>{ "commit" }</dt><dd>{ m.commit.to_string() }</dd>
                <dt>{ "applied" }</dt><dd>{ m.applied.to_string() }</dd>
                <dt>{ "log" }</dt><dd>{ format!("{} … {}", m.first_index, m.last_index) }</dd>
                <dt>{ "election timer" }</dt><dd>{ format!("{} / {} ticks", m.election_elapsed, m.election_timeout) }</dd>
            </dl>
            if !m.progress.is_empty() {
                <h4>{ "followers (the leader's view)" }</h4>
                <table class="progress-table">
                    <thead><tr><th>{ "member" }</th><th>{ "state" }</th><th>{ "match" }</th><th>{ "next" }</th></tr></thead>
                    <tbody>
                        { for m.progress.iter().map(|p| html! {
                            <tr><td>{ p.name.clone() }</td><td>{ p.state.clone() }</td>
                                <td>{ p.matched.to_string() }</td><td>{ p.next.to_string() }</td></tr>
                        }) }
                    </tbody>
                </table>
            }
            <h4>{ "newest log entries" }</h4>
            <table class="log-table">
                <thead><tr><th>{ "index" }</th><th>{ "term" }</th><th>{ "entry" }</th></tr></thead>
                <tbody>
                    { for m.log.iter().rev().map(|e| html! {
                        <tr class={classes!((!e.committed).then_some("uncommitted"))}>
                            <td>{ e.index.to_string() }</td><td>{ e.term.to_string() }</td><td>{ e.summary.clone() }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct LinkPanelProps {
    pub a: String,
    pub b: String,
    pub model: ClusterModel,
    pub on_op: Callback<ClusterOp>,
}

/// The detail pane for a link: cut or mend this one link, isolate either end, heal all,
/// and this link's own latency and loss.
#[component]
pub fn LinkPanel(props: &LinkPanelProps) -> Html {
    let net: &NetModel = &props.model.net;
    let (a, b) = (props.a.clone(), props.b.clone());
    let latency = use_state(|| net.latency_of(&a, &b).to_string());
    let loss = use_state(|| net.loss_of(&a, &b).to_string());
    let connected = net.connected(&a, &b);
    let send = |op: ClusterOp| {
        let cb = props.on_op.clone();
        Callback::from(move |_: MouseEvent| cb.emit(op.clone()))
    };
    let set_latency = {
        let cb = props.on_op.clone();
        let v = latency.clone();
        let (a, b) = (a.clone(), b.clone());
        Callback::from(move |_: MouseEvent| {
            cb.emit(ClusterOp::LinkLatency(a.clone(), b.clone(), (*v).clone()))
        })
    };
    let set_loss = {
        let cb = props.on_op.clone();
        let v = loss.clone();
        let (a, b) = (a.clone(), b.clone());
        Callback::from(move |_: MouseEvent| {
            cb.emit(ClusterOp::LinkLoss(a.clone(), b.clone(), (*v).clone()))
        })
    };
    let edit = |h: UseStateHandle<String>| {
        Callback::from(move |e: InputEvent| {
            let i: HtmlInputElement = e.target_unchecked_into();
            h.set(i.value());
        })
    };
    html! {
        <section class="link-detail" data-testid="link-detail" aria-label="link">
            <h3>{ format!("{a} – {b}: {}", if connected { "connected" } else { "cut" }) }</h3>
            <div class="row">
                if net.link_cut(&a, &b) {
                    <button data-testid="link-mend" onclick={send(ClusterOp::Mend(a.clone(), b.clone()))}>{ "mend this link" }</button>
                } else {
                    <button data-testid="link-cut" onclick={send(ClusterOp::Cut(a.clone(), b.clone()))}>{ "cut this link" }</button>
                }
                <button data-testid="link-heal" onclick={send(ClusterOp::HealAll)}>{ "heal all links" }</button>
            </div>
            <div class="row">
                <button data-testid="link-cut-a" onclick={send(ClusterOp::Isolate(a.clone()))}>
                    { format!("isolate {a}") }
                </button>
                <button data-testid="link-cut-b" onclick={send(ClusterOp::Isolate(b.clone()))}>
                    { format!("isolate {b}") }
                </button>
            </div>
            <p class="note">{ "Latency and loss set here apply to this link only (the console's " }
                <code>{ "latency MS" }</code>{ " and " }<code>{ "loss PERCENT" }</code>{ " set every link)." }</p>
            <div class="row">
                <label>{ "latency (ms) " }
                    <input data-testid="link-latency" type="number" min="0" max="60000" value={(*latency).clone()}
                           oninput={edit(latency.clone())} /></label>
                <button data-testid="link-latency-set" onclick={set_latency}>{ "set" }</button>
            </div>
            <div class="row">
                <label>{ "loss (%) " }
                    <input data-testid="link-loss" type="number" min="0" max="100" value={(*loss).clone()}
                           oninput={edit(loss.clone())} /></label>
                <button data-testid="link-loss-set" onclick={set_loss}>{ "set" }</button>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct TracePanelProps {
    pub line: String,
    pub trace: WriteTrace,
    pub model: ClusterModel,
    /// The watch events the write fired.
    #[prop_or_default]
    pub fired: Vec<FiredView>,
}

/// The detail pane for a console entry that wrote: its Raft entries, where they are
/// replicated, committed and applied, and the revisions they made.
#[component]
pub fn TracePanel(props: &TracePanelProps) -> Html {
    let t = &props.trace;
    let last = t.last_index;
    let mark = |ok: bool| if ok { "✓" } else { "—" };
    html! {
        <section class="trace-detail" data-testid="trace-detail" aria-label="traced write">
            <h3>{ props.line.clone() }</h3>
            <dl class="facts">
                <dt>{ "raft entries" }</dt>
                <dd>{ format!("{} … {} (term {})", t.first_index, t.last_index, t.term) }</dd>
                <dt>{ "revisions" }</dt>
                <dd data-testid="trace-revisions">{ match t.revisions {
                    Some((a, b)) if a == b => a.to_string(),
                    Some((a, b)) => format!("{a} … {b}"),
                    None => "none (the store did not change)".to_string(),
                } }</dd>
            </dl>
            <table class="progress-table">
                <thead><tr><th>{ "member" }</th><th>{ "in its log" }</th><th>{ "committed" }</th><th>{ "applied" }</th></tr></thead>
                <tbody>
                    { for props.model.members.iter().map(|m| html! {
                        <tr data-testid={format!("trace-{}", m.name)}>
                            <td>{ m.name.clone() }</td>
                            <td>{ mark(m.last_index >= last) }</td>
                            <td>{ mark(m.commit >= last) }</td>
                            <td>{ mark(m.applied >= last) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <h4>{ "watch events it fired" }</h4>
            if t.revisions.is_none() {
                <p class="note">{ "none: the store did not change" }</p>
            } else if props.fired.is_empty() {
                <p class="note" data-testid="trace-no-watch">{ "none: no watch covered these keys (run " }
                    <code>{ "etcdctl watch KEY" }</code>{ " first, then write again)" }</p>
            } else {
                <ul class="fired" data-testid="trace-watch-events">
                    { for props.fired.iter().map(|f| html! {
                        <li>{ format!("watch {} on {}: {} {} (rev {})", f.watch, f.member,
                            if f.delete { "DELETE" } else { "PUT" },
                            super::keyspace::display_bytes(&f.key), f.revision) }</li>
                    }) }
                </ul>
            }
            <p class="note">{ "The entries are outlined in every member's log in the picture." }</p>
        </section>
    }
}
