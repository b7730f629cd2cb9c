//! Share links: a session as a URL fragment. The fragment holds the lab (and its etcd release
//! when it is not 3.4: a link made before releases existed has none and opens as 3.4), the seed, every
//! console input with the simulated moment it ran at, and the moment the session was shared,
//! deflated and in URL-safe base64; opening it replays those inputs on a fresh playground,
//! which (the core being deterministic) reaches the same keys, revisions and members.
//!
//! What a link can carry is only console input: a decoded link is checked (sizes, times that
//! only move forward, within [`MAX_SHARED_MS`]) before anything runs, and a link that does not
//! decode gets a sentence saying why, never a panic.
//!
//! Owns: the link format. Must not touch: where the inputs are stored (the page reads them),
//! how they run (the session replays them).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use super::replay::Replay;

/// What a link's replay must reach: the clock, the members and whether each runs, and the
/// newest keyspace (revision and MVCC hash). See [`Session::share_fingerprint`].
pub type ShareFingerprint = (u64, Vec<(String, bool)>, Option<(i64, u32)>);
use super::timeline::InputRecord;
use super::Session;
use crate::api::EtcdVersion;
use crate::playground::lab::LabKind;

/// The fragment's prefix; the digit is the format's version.
pub const PREFIX: &str = "#share=1.";

/// The longest fragment a link may carry (compressed and encoded): past it, export instead.
pub const MAX_LINK_BYTES: usize = 8 * 1024;

/// The most inputs a link replays.
pub const MAX_INPUTS: usize = 5_000;

/// The longest a decoded link may be (its JSON), so a small link cannot inflate into a huge one.
const MAX_DECODED_BYTES: usize = 1 << 20;

/// The latest simulated moment a link may name (a day): a replay lets at most this much
/// time pass.
pub const MAX_SHARED_MS: u64 = 24 * 3600 * 1000;

/// A shared session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shared {
    /// The lab's name (`lab NAME`).
    pub lab: String,
    /// The lab's etcd release (`3.5.1`); absent for 3.4.23 (and in links made before
    /// releases existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etcd: Option<String>,
    pub seed: u64,
    pub inputs: Vec<InputRecord>,
    /// The simulated moment it was shared at (the replay lets time pass until then).
    pub at_ms: u64,
    /// The lesson in progress (its id) and how many of its steps were done: the replay
    /// makes the progress again, and keeps at least this much.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<String>,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub lesson_done: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Why a session cannot become a link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TooLong {
    /// Its compressed fragment would be this many bytes.
    Bytes(usize),
    /// It has this many inputs.
    Inputs(usize),
}

impl std::fmt::Display for TooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TooLong::Bytes(n) => write!(
                f,
                "this session is too long for a link ({n} bytes compressed, at most {MAX_LINK_BYTES}): export it to a file instead"
            ),
            TooLong::Inputs(n) => write!(
                f,
                "this session is too long for a link ({n} inputs, at most {MAX_INPUTS}): export it to a file instead"
            ),
        }
    }
}

/// The fragment (with its `#`) that carries `shared`.
pub fn encode(shared: &Shared) -> Result<String, TooLong> {
    if shared.inputs.len() > MAX_INPUTS {
        return Err(TooLong::Inputs(shared.inputs.len()));
    }
    let json = serde_json::to_vec(shared).unwrap_or_default();
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    let text = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(packed));
    if text.len() > MAX_LINK_BYTES {
        return Err(TooLong::Bytes(text.len()));
    }
    Ok(text)
}

/// Whether a URL fragment is meant as a share link (then [`decode`] says what it holds).
pub fn is_share_fragment(fragment: &str) -> bool {
    fragment.starts_with("#share=")
}

/// Reads a fragment made by [`encode`]; Err says, for the page, why it cannot be opened.
pub fn decode(fragment: &str) -> Result<Shared, String> {
    const BAD: &str = "this share link is damaged or incomplete";
    let Some(body) = fragment.strip_prefix(PREFIX) else {
        return Err(if is_share_fragment(fragment) {
            "this share link was made by another version of the playground".to_string()
        } else {
            "this is not a share link".to_string()
        });
    };
    if body.len() > MAX_LINK_BYTES {
        return Err(format!("{BAD} (longer than a link can be)"));
    }
    let packed = URL_SAFE_NO_PAD
        .decode(body.trim_end_matches('='))
        .map_err(|_| format!("{BAD} (it is not base64)"))?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_DECODED_BYTES)
        .map_err(|_| format!("{BAD} (it does not decompress)"))?;
    let shared: Shared = serde_json::from_slice(&json).map_err(|e| format!("{BAD} ({e})"))?;
    check(&shared)?;
    Ok(shared)
}

/// What a decoded link must satisfy before any of it runs.
fn check(s: &Shared) -> Result<(), String> {
    if LabKind::parse(&s.lab).is_none() {
        return Err(format!(
            "this share link names a lab the playground does not have ({:?})",
            s.lab
        ));
    }
    if let Some(v) = s
        .etcd
        .as_deref()
        .filter(|v| EtcdVersion::parse(v).is_none())
    {
        return Err(format!(
            "this share link names an etcd release the playground does not have ({v:?}; it has 3.4.23 and 3.5.1)"
        ));
    }
    if s.inputs.len() > MAX_INPUTS {
        return Err(format!(
            "this share link holds {} inputs, more than the {MAX_INPUTS} a link may replay",
            s.inputs.len()
        ));
    }
    let mut last = 0;
    for (i, r) in s.inputs.iter().enumerate() {
        let at = r.at_ms.unwrap_or(last);
        if at < last || at > MAX_SHARED_MS {
            return Err(format!(
                "this share link is damaged: input {} runs at {at} ms, {}",
                i + 1,
                if at < last {
                    "before the one before it"
                } else {
                    "past a day of simulated time"
                }
            ));
        }
        last = at;
    }
    if s.at_ms < last || s.at_ms > MAX_SHARED_MS {
        return Err(format!(
            "this share link is damaged: it was shared at {} ms, before its last input or past a day",
            s.at_ms
        ));
    }
    Ok(())
}

impl Shared {
    /// The lab it runs in.
    pub fn lab(&self) -> LabKind {
        LabKind::parse(&self.lab).unwrap_or_default()
    }

    /// The etcd release its lab runs (3.4.23 when the link names none).
    pub fn etcd_version(&self) -> EtcdVersion {
        self.etcd
            .as_deref()
            .and_then(EtcdVersion::parse)
            .unwrap_or_default()
    }
}

impl Session {
    /// A fresh session of lab `kind` at etcd `version` from `seed`, as the page starts one.
    pub fn fresh_seeded(kind: LabKind, version: EtcdVersion, seed: u64) -> Session {
        if seed == super::persistence::DEFAULT_SEED {
            return Session::fresh_lab_version(kind, version);
        }
        let mut s = Session::new(seed);
        s.playground = crate::playground::Playground::for_lab_version(kind, seed, version);
        s.playground
            .world_mut()
            .set_snapshot_count(super::persistence::SNAPSHOT_COUNT);
        s.horizon_ms = s.now_ms();
        s
    }

    /// What a link of this session holds, given the whole stored input log since the seed
    /// (secrets replaced by their pseudonyms).
    pub fn to_shared(&self, inputs: Vec<InputRecord>) -> Shared {
        Shared {
            lab: self.lab().name().to_string(),
            etcd: Some(self.playground.etcd_version())
                .filter(|v| *v != EtcdVersion::default())
                .map(|v| v.full().to_string()),
            seed: self.seed,
            inputs: inputs
                .iter()
                .map(|r| self.secrets.redact_record(r))
                .collect(),
            at_ms: self.now_ms(),
            lesson: self.lesson().map(|r| r.id.clone()),
            lesson_done: self.lesson().map_or(0, |r| r.done),
        }
    }

    /// Whether the timeline starts at a restored moment (a reload) rather than at the seed:
    /// what ran before it is not in [`Session::inputs`].
    pub fn restored(&self) -> bool {
        self.base.is_some()
    }

    /// The inputs this session ran since its timeline's start (the seed, or the restored
    /// moment after a reload: the page reads the whole log from its storage instead).
    pub fn inputs(&self) -> &[InputRecord] {
        &self.inputs
    }

    /// What a replay of a link must reach to be this session: the clock, which members run,
    /// and the newest keyspace among them (its revision and MVCC hash, as `etcdctl endpoint
    /// hashkv` gives). Not the Raft logs, nor how far each follower got: after a reload (a
    /// power cycle) the members elected a leader again, which adds entries and shifts
    /// heartbeats that a replay from the seed does not, with the same keys.
    ///
    /// Only one member's keyspace is hashed: the first running one at the newest revision.
    /// Members at one revision hold the same keyspace (the state machine is deterministic), and
    /// the hash reads every key and value (about 100 MB after the large sample, 0.3-0.6 s in
    /// the page), so hashing each running member took three times as long for the same answer.
    pub fn share_fingerprint(&self) -> ShareFingerprint {
        let world = self.world();
        let views = world.member_views();
        let kv_of = |id| world.member(id).map(|m| &m.sm.kv);
        let newest = views
            .iter()
            .filter(|m| m.running)
            .filter_map(|m| kv_of(m.id))
            .reduce(|a, b| if b.rev() > a.rev() { b } else { a })
            .and_then(|kv| kv.hash_by_rev(0).ok())
            .map(|h| (h.current_rev, h.hash));
        let members = views.into_iter().map(|m| (m.name, m.running)).collect();
        (self.now_ms(), members, newest)
    }

    /// The link of this session (its fragment), given its whole stored input log, checked by
    /// replaying it: Err says why there is none (too long, or a log that no longer replays to
    /// this state, as after a rewind past a reload or a cut history).
    pub fn share_link(&self, inputs: Vec<InputRecord>) -> Result<String, String> {
        let (link, shared) = self.share_link_unchecked(inputs)?;
        let (mut again, mut replay) = Session::start_shared(&shared);
        while replay.step(&mut again) {}
        again.end_shared(&shared);
        Session::check_share_replay(&self.share_fingerprint(), &again)?;
        Ok(link)
    }

    /// The link of this session's `inputs` and what it holds, before the check that it
    /// replays to what is on screen ([`Session::check_share_replay`] on a session that
    /// replayed it, as [`Session::share_link`] does whole).
    pub fn share_link_unchecked(
        &self,
        inputs: Vec<InputRecord>,
    ) -> Result<(String, Shared), String> {
        let shared = self.to_shared(inputs);
        let link = encode(&shared).map_err(|e| e.to_string())?;
        Ok((link, shared))
    }

    /// Whether `replayed`, a session that replayed a session's link, reached `want`, what that
    /// session showed ([`Session::share_fingerprint`]).
    pub fn check_share_replay(want: &ShareFingerprint, replayed: &Session) -> Result<(), String> {
        if replayed.share_fingerprint() != *want {
            return Err("this session's stored history no longer replays to what you see (it was rewound or cut, or a password typed before a reload was used again after it: the page keeps no password, so the replay cannot know it was the same): export it to a file instead".to_string());
        }
        Ok(())
    }

    /// Opens a link: a fresh session replays its inputs and lets time pass to the moment it
    /// was shared.
    pub fn from_shared(shared: &Shared) -> Session {
        let (mut s, mut replay) = Session::start_shared(shared);
        while replay.step(&mut s) {}
        s.end_shared(shared);
        s
    }

    /// A link's fresh session, its lesson attached, and the replay of its inputs still to
    /// run (the page runs it in slices between frames), then [`Session::end_shared`].
    pub fn start_shared(shared: &Shared) -> (Session, Replay) {
        let mut s = Session::fresh_seeded(shared.lab(), shared.etcd_version(), shared.seed);
        let lesson = shared
            .lesson
            .as_deref()
            .and_then(crate::playground::lesson::find)
            .filter(|l| l.lab == shared.lab() && l.seed == shared.seed);
        if let Some(l) = lesson {
            s.attach_lesson(l);
        }
        (s, Replay::new(shared.inputs.clone()))
    }

    /// After the replay of `shared`'s inputs: time passes to the moment it was shared, and the
    /// lesson's progress is the link's.
    pub fn end_shared(&mut self, shared: &Shared) {
        let now = self.now_ms();
        if shared.at_ms > now {
            self.pass(std::time::Duration::from_millis(shared.at_ms - now));
        }
        self.touch_horizon();
        self.lesson_saw_time();
        if let Some(run) = &mut self.lesson {
            let steps = run.lesson().map_or(0, |l| l.steps.len());
            run.done = run.done.max(shared.lesson_done.min(steps));
            if run.done > 0 {
                run.pending_setup = 0;
            }
        }
    }
}
