//! The deterministic world: a virtual clock, one seeded RNG, a network between the members
//! (latency, loss, reordering, partitions) and members that crash and restart from their disk.
//!
//! Owns: time, randomness, message delivery, the event trace the UI animates.
//! Must not touch: the DOM, wall-clock time, threads or I/O.
