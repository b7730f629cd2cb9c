//! The time bar: play/pause, step one event, speed, run until idle, and the timeline that
//! rewinds to an earlier moment (the session replays the seed and the inputs to get there).
//!
//! Owns: the controls' markup; what they do is the session's (through the app's dispatch).

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::playground::session::SPEEDS;

#[derive(Properties, PartialEq)]
pub struct TimeProps {
    pub playing: bool,
    /// Index into [`SPEEDS`].
    pub speed: usize,
    pub now_ms: u64,
    pub horizon_ms: u64,
    pub on_play_pause: Callback<()>,
    pub on_step: Callback<()>,
    pub on_idle: Callback<()>,
    pub on_speed: Callback<usize>,
    pub on_seek: Callback<u64>,
    /// An earlier moment than the newest is shown (the timeline was dragged back).
    #[prop_or_default]
    pub viewing_past: bool,
    /// How many inputs come after the moment shown.
    #[prop_or_default]
    pub inputs_ahead: usize,
    #[prop_or_default]
    pub on_watch_election: Callback<()>,
}

/// `12.345 s`
pub fn seconds(ms: u64) -> String {
    format!("{}.{:03} s", ms / 1000, ms % 1000)
}

#[component]
pub fn TimeBar(props: &TimeProps) -> Html {
    let play = {
        let cb = props.on_play_pause.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let step = {
        let cb = props.on_step.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let idle = {
        let cb = props.on_idle.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let speed = {
        let cb = props.on_speed.clone();
        Callback::from(move |e: Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(i) = s.value().parse::<usize>() {
                cb.emit(i);
            }
        })
    };
    let seek = {
        let cb = props.on_seek.clone();
        Callback::from(move |e: Event| {
            let s: HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = s.value().parse::<f64>() {
                if v.is_finite() && v >= 0.0 {
                    cb.emit(v as u64);
                }
            }
        })
    };
    let watch = {
        let cb = props.on_watch_election.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let back = {
        let cb = props.on_seek.clone();
        let horizon = props.horizon_ms;
        Callback::from(move |_: MouseEvent| cb.emit(horizon))
    };
    let ahead = match props.inputs_ahead {
        0 => String::new(),
        1 => " · 1 later input runs again as time passes".to_string(),
        n => format!(" · {n} later inputs run again as time passes"),
    };
    html! {
        <>
        <div class="timebar" role="toolbar" aria-label="simulated time">
            <button data-testid="play-pause" class={classes!("primary", props.playing.then_some("on"))}
                    onclick={play} aria-pressed={props.playing.to_string()}
                    title="Play or pause simulated time (the page turns wall time into simulated time)">
                { if props.playing { "❚❚ Pause" } else { "▶ Play" } }
            </button>
            <button data-testid="step" onclick={step} title="Advance to the next message delivery (or one 100 ms tick)">
                { "Step" }
            </button>
            <button data-testid="run-idle" onclick={idle} title="Advance until no message is on the wire and every member has applied its log">
                { "Until idle" }
            </button>
            <label class="speed">
                <span>{ "speed" }</span>
                <select data-testid="speed" onchange={speed} aria-label="speed">
                    { for SPEEDS.iter().enumerate().map(|(i, (_, name))| html! {
                        <option value={i.to_string()} selected={i == props.speed}>{ *name }</option>
                    }) }
                </select>
            </label>
            <label class="timeline">
                <span class="now" data-testid="sim-time">{ seconds(props.now_ms) }</span>
                <input type="range" data-testid="timeline" aria-label="timeline: rewind to an earlier moment"
                       min="0" max={props.horizon_ms.to_string()} step="1"
                       value={props.now_ms.to_string()} onchange={seek} />
            </label>
            <button data-testid="watch-election" class="watch-election" onclick={watch}
                    title="Rewind to t = 0, when the members have just started and infra1 campaigns, and play at 1/100× speed: nothing you ran is lost (it runs again as time passes, or return to now)">
                { "watch an election slowly" }
            </button>
        </div>
        if props.viewing_past {
            <div class="time-travel" data-testid="time-travel-banner" role="status">
                <span>{ format!("viewing t = {} — now is {}{ahead}", seconds(props.now_ms), seconds(props.horizon_ms)) }</span>
                <button data-testid="time-travel-return" onclick={back}
                        title="jump back to the newest moment, with everything you ran">
                    { "return to now" }
                </button>
            </div>
        }
        </>
    }
}
