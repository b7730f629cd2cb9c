//! A page load's session built in steps: [`Session::opening`], then [`Opening::step`] until
//! it says nothing is left but [`Opening::finish`]. Each step boots one member from its disk,
//! which decodes its snapshot: after the large `/registry` sample that is 141 MB into a
//! keyspace of 100k keys a member, and the page runs each step in a task of its own so that
//! it paints between them. [`Session::open`] takes every step at once; the session is the
//! same either way (nothing else runs on the world in between).
//!
//! Owns: the order of a load's restore. Must not touch: the storage (the page reads it), the
//! world's restore itself (`sim::restore`).

use std::collections::BTreeMap;

use super::persistence::{
    ended_with_the_reload, unset_note, Base, Found, SCHEMA_VERSION, SNAPSHOT_COUNT,
};
use super::timeline::{InputRecord, DISK_FULL, INTERRUPT, JOB_INPUT};
use super::Session;
use crate::playground::lesson::LessonRun;
use crate::playground::Playground;
use crate::sim::Restoring;

/// A session being opened (see the module doc).
pub struct Opening(Stage);

enum Stage {
    Opened(Box<Session>, Option<String>),
    Restoring(Box<Restore>),
}

/// What a restore has to finish the session with.
struct Restore {
    /// The session around the world being restored (its playground is replaced at the end).
    session: Session,
    base: Base,
    world: RestoringPlayground,
    inputs: Vec<InputRecord>,
    lesson: Option<LessonRun>,
    finished: Vec<String>,
    note: Option<String>,
}

/// A playground being restored from a [`Base`]: a node lab's at once, the local lab's world
/// a member at a time.
pub(super) enum RestoringPlayground {
    Ready(Box<Playground>),
    World {
        world: Restoring,
        env: BTreeMap<String, String>,
        hints: bool,
        version: crate::api::EtcdVersion,
    },
}

impl RestoringPlayground {
    /// Boots the next member; false once none is left.
    pub(super) fn step(&mut self) -> bool {
        match self {
            RestoringPlayground::Ready(_) => false,
            RestoringPlayground::World { world, .. } => world.boot_next(),
        }
    }

    pub(super) fn finish(self) -> Playground {
        match self {
            RestoringPlayground::Ready(p) => *p,
            RestoringPlayground::World {
                world,
                env,
                hints,
                version,
            } => {
                let mut p = Playground::from_world(world.finish(), env, hints);
                p.set_etcd_version(version);
                p
            }
        }
    }
}

impl Session {
    /// The session a page load starts with, from what its storage found, in steps (see the
    /// module doc and [`Session::open`]).
    pub fn opening(found: Found) -> Opening {
        let state = match (found.state, found.state_unreadable) {
            (Some(state), _) => state,
            (None, true) => {
                let mut state = Session::new(super::DEFAULT_SEED).state();
                state.settings.snapshot_count = SNAPSHOT_COUNT;
                state
            }
            (None, false) => {
                let mut s = Session::fresh_page();
                let mut note = None;
                if !found.inputs.is_empty() {
                    note = Some(format!(
                        "Migrated the stored playground to schema {}: replayed {} input(s) once; from now on a reload restarts the members from their disks.",
                        SCHEMA_VERSION,
                        found.inputs.len()
                    ));
                    s.replay(found.inputs);
                }
                s.start_persisting();
                let _ = s.take_new_inputs();
                return Opening(Stage::Opened(Box::new(s), note));
            }
        };
        let note = match (
            ended_with_the_reload(&state.jobs),
            unset_note(&state.unset_secrets),
        ) {
            (Some(a), Some(b)) => Some(format!("{a}\n{b}")),
            (a, b) => a.or(b),
        };
        let (lesson, finished) = (state.lesson.clone(), state.lessons_finished.clone());
        let base = Base {
            state,
            disks: found.disks,
        };
        Opening(Stage::Restoring(Box::new(Restore {
            session: Session::restore_shell(&base),
            world: base.restoring(true),
            base,
            inputs: found.inputs,
            lesson,
            finished,
            note,
        })))
    }
}

impl Opening {
    /// Takes the next step (boots a member); false once only [`Opening::finish`] is left.
    pub fn step(&mut self) -> bool {
        match &mut self.0 {
            Stage::Opened(..) => false,
            Stage::Restoring(r) => r.world.step(),
        }
    }

    /// The session, and a note for the console.
    pub fn finish(self) -> (Session, Option<String>) {
        let r = match self.0 {
            Stage::Opened(s, note) => return (*s, note),
            Stage::Restoring(r) => *r,
        };
        let mut s = r.session.restored_with(r.base, r.world.finish());
        s.restore_lesson(r.lesson, &r.finished);
        // (a log stored before secrets were kept out of it is stored again without them)
        let redacted: Vec<InputRecord> = r
            .inputs
            .iter()
            .map(|i| s.secrets.redact_record(i))
            .collect();
        for i in &redacted {
            if i.line != INTERRUPT && i.line != JOB_INPUT && i.line != DISK_FULL {
                s.history.push(&i.line);
            }
        }
        if redacted != r.inputs {
            s.restore_stored = Some(redacted);
        }
        (s, r.note)
    }
}
