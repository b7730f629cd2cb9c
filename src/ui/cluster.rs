//! The cluster picture (SVG): the three members with role, term, vote, commit and applied
//! index and their election timers; the links between them (cut ones dashed) with the
//! leader's view of each follower; messages moving along the links and dropped ones falling;
//! and every member's log below, entries aligned by index, coloured by term, committed solid.
//!
//! Owns: drawing. Clicking a member or a link selects it (the detail pane offers the actions).
//! Positions are SVG attributes, never inline styles (the page's CSP forbids those).

use yew::prelude::*;

use super::decimal::{fixed, tenths as f};
use crate::playground::session::cluster_model::{
    term_hue, ClusterModel, MemberModel, MessageModel, LOG_SHOWN,
};

/// What the detail pane shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    Member(String),
    /// Two member names, in name order.
    Link(String, String),
    Key,
    /// A console entry whose write is traced.
    Entry(usize),
}

const W: f64 = 800.0;
const H: f64 = 290.0;
const R: f64 = 30.0;

/// Where a member sits: the first at the top, the next two below left and right, members
/// added later in the top corners, then along the bottom.
fn place(i: usize) -> (f64, f64) {
    match i {
        0 => (215.0, 48.0),
        1 => (90.0, 196.0),
        2 => (340.0, 196.0),
        3 => (80.0, 48.0),
        4 => (370.0, 48.0),
        k => (40.0 + 70.0 * (k - 5) as f64, 262.0),
    }
}

fn position(model: &ClusterModel, name: &str) -> Option<(f64, f64)> {
    model.members.iter().position(|m| m.name == name).map(place)
}

#[derive(Properties, PartialEq)]
pub struct ClusterProps {
    pub model: ClusterModel,
    #[prop_or_default]
    pub selected: Option<Selection>,
    pub on_select: Callback<Selection>,
    /// Log indexes to highlight (a traced write), inclusive.
    #[prop_or_default]
    pub traced: Option<(u64, u64)>,
}

#[component]
pub fn ClusterPicture(props: &ClusterProps) -> Html {
    let m = &props.model;
    let mut links = Vec::new();
    for i in 0..m.members.len() {
        for j in (i + 1)..m.members.len() {
            if let (Some(a), Some(b)) = (m.members.get(i), m.members.get(j)) {
                links.push(view_link(m, a, b, props));
            }
        }
    }
    html! {
        <svg class="cluster" data-testid="cluster" viewBox={format!("0 0 {W} {H}")}
             preserveAspectRatio="xMidYMin meet" role="group" aria-label="Raft cluster">
            <g class="links">{ for links }</g>
            <g class="messages">{ for m.messages.iter().filter_map(|msg| view_message(m, msg)) }</g>
            <g class="members">
                { for m.members.iter().enumerate().map(|(i, mm)| view_member(i, mm, props)) }
            </g>
            { view_logs(m, props.traced) }
            { legend() }
        </svg>
    }
}

fn view_link(m: &ClusterModel, a: &MemberModel, b: &MemberModel, props: &ClusterProps) -> Html {
    let (Some((x1, y1)), Some((x2, y2))) = (position(m, &a.name), position(m, &b.name)) else {
        return html! {};
    };
    let cut = !m.net.connected(&a.name, &b.name);
    let sel = Selection::Link(a.name.clone(), b.name.clone());
    let selected = props.selected.as_ref() == Some(&sel);
    let class = classes!("link", cut.then_some("cut"), selected.then_some("selected"));
    let onclick = {
        let cb = props.on_select.clone();
        let sel = sel.clone();
        Callback::from(move |_: MouseEvent| cb.emit(sel.clone()))
    };
    let onkeydown = {
        let cb = props.on_select.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                cb.emit(sel.clone());
            }
        })
    };
    let label = format!(
        "link {} – {}{}",
        a.name,
        b.name,
        if cut { " (cut)" } else { "" }
    );
    // a link's own latency or loss, written beside its middle
    let (lat, loss) = (
        m.net.latency_of(&a.name, &b.name),
        m.net.loss_of(&a.name, &b.name),
    );
    let mut notes = Vec::new();
    if lat != m.net.latency_ms {
        notes.push(format!("{lat} ms"));
    }
    if loss != m.net.loss_pct {
        notes.push(format!("{loss}% loss"));
    }
    let note = (!notes.is_empty()).then(|| {
        // beside the middle of the link, on the side away from the picture's centre
        let (mx, my) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0);
        let n = m.members.len().max(1) as f64;
        let (cx, cy) = m
            .members
            .iter()
            .filter_map(|o| position(m, &o.name))
            .fold((0.0, 0.0), |(sx, sy), (x, y)| (sx + x / n, sy + y / n));
        let (dx, dy) = (mx - cx, my - cy);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        let (lx, ly) = (mx + dx / len * 22.0, my + dy / len * 22.0 + 4.0);
        let anchor = if dx / len < -0.3 {
            "end"
        } else if dx / len > 0.3 {
            "start"
        } else {
            "middle"
        };
        html! {
            <text class="link-note" data-testid={format!("link-note-{}-{}", a.name, b.name)}
                  x={f(lx)} y={f(ly)} text-anchor={anchor}>
                { notes.join(" · ") }
            </text>
        }
    });
    html! {
        <g {class} data-testid={format!("link-{}-{}", a.name, b.name)} data-cut={cut.to_string()}
           tabindex="0" role="button" aria-label={label.clone()} {onclick} {onkeydown}>
            <title>{ label }</title>
            <line class="wire" x1={f(x1)} y1={f(y1)} x2={f(x2)} y2={f(y2)} />
            <line class="hit" x1={f(x1)} y1={f(y1)} x2={f(x2)} y2={f(y2)} />
            { for note }
        </g>
    }
}

fn message_class(kind: &str) -> &'static str {
    let k = kind.trim_end_matches("Resp");
    match k {
        "MsgApp" => "app",
        "MsgHeartbeat" => "hb",
        "MsgVote" => "vote",
        "MsgPreVote" => "prevote",
        "MsgSnap" => "snap",
        _ => "other",
    }
}

fn view_message(m: &ClusterModel, msg: &MessageModel) -> Option<Html> {
    let (x1, y1) = position(m, &msg.from)?;
    let (x2, y2) = position(m, &msg.to)?;
    let resp = msg.kind.ends_with("Resp");
    let class = classes!(
        "msg",
        message_class(&msg.kind),
        resp.then_some("resp"),
        msg.dropped.then_some("dropped")
    );
    let title = format!("{} {} → {} (term {})", msg.kind, msg.from, msg.to, msg.term);
    let (x, y, opacity) = if msg.dropped {
        // Falls from the middle of the link and fades.
        let t = f64::from(msg.progress) / 1000.0;
        ((x1 + x2) / 2.0, (y1 + y2) / 2.0 + 60.0 * t, 1.0 - t)
    } else {
        let t = f64::from(msg.progress) / 1000.0;
        (x1 + (x2 - x1) * t, y1 + (y2 - y1) * t, 1.0)
    };
    Some(html! {
        <circle {class} cx={f(x)} cy={f(y)} r="6" opacity={fixed(opacity, 2)}
                data-kind={msg.kind.clone()}>
            <title>{ title }</title>
        </circle>
    })
}

fn view_member(i: usize, mm: &MemberModel, props: &ClusterProps) -> Html {
    let (x, y) = place(i);
    let sel = Selection::Member(mm.name.clone());
    let selected = props.selected.as_ref() == Some(&sel);
    let class = classes!(
        "member",
        mm.role.clone(),
        (!mm.running).then_some("down"),
        selected.then_some("selected")
    );
    let onclick = {
        let cb = props.on_select.clone();
        let sel = sel.clone();
        Callback::from(move |_: MouseEvent| cb.emit(sel.clone()))
    };
    let onkeydown = {
        let cb = props.on_select.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                cb.emit(sel.clone());
            }
        })
    };
    // The election timer as a ring that fills up to its randomized timeout.
    let circumference = 2.0 * std::f64::consts::PI * (R + 6.0);
    let frac = if mm.election_timeout == 0 || mm.role == "leader" || !mm.running {
        0.0
    } else {
        (mm.election_elapsed as f64 / mm.election_timeout as f64).clamp(0.0, 1.0)
    };
    let dash = format!("{} {}", f(circumference * frac), f(circumference));
    let role = if mm.running {
        mm.role.clone()
    } else {
        "stopped".to_string()
    };
    let vote = if mm.vote.is_empty() {
        "—".to_string()
    } else {
        mm.vote.clone()
    };
    let label = format!(
        "{}: {role}, term {}, voted {vote}, commit {}, applied {}",
        mm.name, mm.term, mm.commit, mm.applied
    );
    let below = y + R + 16.0;
    html! {
        <g {class} data-testid={format!("member-{}", mm.name)} data-role={mm.role.clone()}
           data-up={mm.running.to_string()} data-term={mm.term.to_string()}
           tabindex="0" role="button" aria-label={label.clone()} {onclick} {onkeydown}>
            <title>{ label }</title>
            <circle class="timer-track" cx={f(x)} cy={f(y)} r={f(R + 6.0)} />
            <circle class="timer" cx={f(x)} cy={f(y)} r={f(R + 6.0)} stroke-dasharray={dash}
                    transform={format!("rotate(-90 {} {})", f(x), f(y))} data-testid={format!("timer-{}", mm.name)} />
            <circle class="body" cx={f(x)} cy={f(y)} r={f(R)} />
            <text class="name" x={f(x)} y={f(y - 3.0)} text-anchor="middle">{ mm.name.clone() }</text>
            <text class="term" x={f(x)} y={f(y + 13.0)} text-anchor="middle">{ format!("term {}", mm.term) }</text>
            <text class="role" x={f(x)} y={f(below)} text-anchor="middle">{ role }</text>
            <text class="stats" x={f(x)} y={f(below + 14.0)} text-anchor="middle">{ format!("vote {vote}") }</text>
            <text class="stats" x={f(x)} y={f(below + 27.0)} text-anchor="middle">
                { format!("commit {} · applied {}", mm.commit, mm.applied) }
            </text>
        </g>
    }
}

/// What the message colours mean.
fn legend() -> Html {
    let items = [
        ("app", "append"),
        ("hb", "heartbeat"),
        ("vote", "vote"),
        ("prevote", "pre-vote"),
        ("snap", "snapshot"),
        ("dropped", "dropped"),
    ];
    let y = H - 10.0;
    // Each label's width at 10px, roughly 6px a letter.
    let mut x = 440.0;
    let xs: Vec<f64> = items
        .iter()
        .map(|(_, t)| {
            let here = x;
            x += 20.0 + 6.0 * t.len() as f64;
            here
        })
        .collect();
    html! {
        <g class="legend" aria-hidden="true">
            { for items.iter().zip(xs).map(|((class, text), x)| {
                html! {
                    <g>
                        <circle class={classes!("msg", *class)} cx={f(x)} cy={f(y - 4.0)} r="5" />
                        <text class="legend-text" x={f(x + 8.0)} y={f(y)}>{ *text }</text>
                    </g>
                }
            }) }
            <text class="legend-text" x="440" y={f(y - 16.0)}>{ "messages (hollow: a response)" }</text>
        </g>
    }
}

/// Every member's newest log entries, one row each, columns aligned by index.
fn view_logs(m: &ClusterModel, traced: Option<(u64, u64)>) -> Html {
    let leader = m.leader();
    let top = 62.0;
    // rows share the height above the legend when members were added
    let row_h = ((H - top - 40.0) / m.members.len().max(1) as f64).min(44.0);
    let cell_w = 27.0;
    let x0 = 500.0;
    let last = m.members.iter().map(|mm| mm.last_index).max().unwrap_or(0);
    let first_col = last.saturating_sub(LOG_SHOWN as u64 - 1).max(1);
    let cols: Vec<u64> = (first_col..=last).collect();
    html! {
        <g class="logs" data-testid="logs">
            <text class="logs-title" x={f(x0 - 64.0)} y={f(top - 26.0)}>{ "log (index, coloured by term)" }</text>
            { for cols.iter().enumerate().map(|(c, idx)| html! {
                <text class="idx" x={f(x0 + cell_w * c as f64 + cell_w / 2.0 - 1.0)} y={f(top - 8.0)} text-anchor="middle">
                    { idx.to_string() }
                </text>
            }) }
            { for m.members.iter().enumerate().map(|(r, mm)| {
                let y = top + row_h * r as f64;
                html! {
                    <g class={classes!("logrow", (!mm.running).then_some("down"))} data-testid={format!("log-{}", mm.name)}>
                        <text class="who" x={f(x0 - 64.0)} y={f(y + 19.0)}>{ mm.name.clone() }</text>
                        if let Some(p) = leader.and_then(|l| l.progress.iter().find(|p| p.name == mm.name)) {
                            <text class={classes!("prog", p.state.clone())} x={f(x0)} y={f(y + (row_h - 3.0).min(39.0))}
                                  data-testid={format!("progress-{}", mm.name)}>
                                { format!("leader's view: {} · match {} · next {}", p.state, p.matched, p.next) }
                            </text>
                        }
                        { for mm.log.iter().filter(|e| e.index >= first_col).map(|e| {
                            let c = (e.index - first_col) as f64;
                            let x = x0 + cell_w * c;
                            let hue = term_hue(e.term);
                            let hit = traced.is_some_and(|(a, b)| e.index >= a && e.index <= b);
                            let class = classes!("entry", if e.committed { "committed" } else { "uncommitted" }, hit.then_some("traced"));
                            html! {
                                <g {class} data-index={e.index.to_string()} data-term={e.term.to_string()}>
                                    <title>{ format!("index {} · term {} · {}{}", e.index, e.term, e.summary,
                                        if e.committed { "" } else { " (not committed)" }) }</title>
                                    <rect x={f(x + 1.0)} y={f(y + 2.0)} width={f(cell_w - 3.0)} height="26" rx="3"
                                          fill={format!("hsl({hue} 65% 55%)")} />
                                    <text x={f(x + cell_w / 2.0 - 0.5)} y={f(y + 19.0)} text-anchor="middle">{ e.term.to_string() }</text>
                                </g>
                            }
                        }) }
                    </g>
                }
            }) }
        </g>
    }
}
