//! Replays the page runs a step at a time (`playground::session::replay`), with its turn to
//! paint between slices: a share link's, when the share button checks it and when the page
//! opens it. A link holding a long command (`load k8s large`, or one stopped by Ctrl+C) replays
//! its steps one by one, so no frame waits for the whole replay and the console answers
//! meanwhile.
//!
//! Owns: the slices and how often their progress shows. Must not touch: what a replay does,
//! the session in view (the caller puts the replayed one in place).

use yew::Callback;

use super::persistence::{turn_if_due, OpenTimes, SessionRef, Slot};
use super::share::page_address;
use super::share::LinkState;
use super::storage;
use crate::playground::session::replay::Replay;
use crate::playground::session::Session;

/// How often a replay in progress shows how far it got.
const SHOW_MS: f64 = 250.0;

/// Runs `replay` on `s` to its end (or until `s` needs the full module), a slice at a time;
/// `progress` runs after a slice at most every [`SHOW_MS`]. Whether it ran at all: whether
/// the replay outlasted one show.
pub async fn drive(
    s: &mut Session,
    replay: &mut Replay,
    mut progress: impl FnMut(&Replay, &Session),
) -> bool {
    let mut since = OpenTimes::now();
    let mut shown = since;
    let mut showed = false;
    while replay.step(s) {
        if s.handing_over() {
            // (the full module replays it: see `persistence::replace_session`)
            break;
        }
        if OpenTimes::now() - shown > SHOW_MS {
            progress(replay, s);
            showed = true;
            shown = OpenTimes::now();
        }
        turn_if_due(&mut since).await;
    }
    showed
}

/// The share link of the session in view (read from its whole stored input log), or why
/// there is none, handed to `done`. The link is checked by replaying it in a session of its
/// own, a step at a time with the page's turn to paint between slices; meanwhile `done` hears
/// how far the check got, at most every [`SHOW_MS`].
pub fn share_link(session: SessionRef, slot: Slot, done: Callback<LinkState>) {
    let p = slot.borrow().clone();
    wasm_bindgen_futures::spawn_local(async move {
        let inputs = match &p {
            // (the inputs only: the members' disks can be hundreds of MB)
            Some(p) => match storage::load(&p.db).await {
                Ok(inputs) if inputs.unreadable.is_empty() => inputs.records,
                Ok(_) => {
                    return done.emit(LinkState::Ready(Err(
                        "some stored console lines cannot be read, so this session cannot be replayed: export it instead".to_string(),
                    )))
                }
                Err(e) => {
                    return done.emit(LinkState::Ready(Err(format!(
                        "the stored session cannot be read: {e}"
                    ))))
                }
            },
            None => session.borrow().inputs().to_vec(),
        };
        // (what the session in view shows now: lines run while the check replays do not count)
        let (link, shared, want) = {
            let s = session.borrow();
            match s.share_link_unchecked(inputs) {
                Ok((link, shared)) => (link, shared, s.share_fingerprint()),
                Err(e) => return done.emit(LinkState::Ready(Err(e))),
            }
        };
        let (mut again, mut replay) = Session::start_shared(&shared);
        drive(&mut again, &mut replay, |replay, _| {
            let (replayed, total) = replay.progress();
            done.emit(LinkState::Checking { replayed, total });
        })
        .await;
        again.end_shared(&shared);
        let checked =
            Session::check_share_replay(&want, &again).map(|_| format!("{}{link}", page_address()));
        done.emit(LinkState::Ready(checked));
    });
}
