//! `load k8s [--large]` in the simulated world: kubectl's loader of the `/registry` sample,
//! run with the world's seed so the same seed writes the same objects.
//!
//! During the large load the members take no snapshot (each would serialise the whole
//! growing store on every member, twice over ~1000 txns); a snapshot is due right after it,
//! taken by the next write or by [`World::snapshot_if_due`] (the page runs it when idle).
//! That is the world's business, not the client's: it is why this lives here and not in
//! `kubectl`. Owns: nothing. Must not touch: the sample itself, kubectl's requests.

use crate::kubectl;
use crate::sim::World;

/// Writes the small (or large) Kubernetes sample into `world` through its etcd; answers the
/// line the console prints.
pub fn load_k8s(world: &mut World, large: bool) -> Result<String, String> {
    let seed = world.seed();
    if !large {
        return kubectl::load_sample(world, seed, false);
    }
    let count = world.snapshot_count();
    world.set_snapshot_count(u64::MAX);
    let r = kubectl::load_sample(world, seed, true);
    world.set_snapshot_count(count);
    r
}
