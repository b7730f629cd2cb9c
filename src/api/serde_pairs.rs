//! Serialises a `BTreeMap` as a list of `(key, value)` pairs, so maps keyed by bytes or by
//! an MVCC revision survive formats (JSON) whose map keys are strings
//! (`#[serde(with = "crate::api::serde_pairs")]`).
//!
//! Owns: nothing but the two functions. Must not touch: any state, any other module.

use std::collections::BTreeMap;

use serde::de::Deserializer;
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

pub fn serialize<K: Serialize, V: Serialize, S: Serializer>(
    m: &BTreeMap<K, V>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_seq(m.iter())
}

pub fn deserialize<'de, K, V, D>(d: D) -> Result<BTreeMap<K, V>, D::Error>
where
    K: Deserialize<'de> + Ord,
    V: Deserialize<'de>,
    D: Deserializer<'de>,
{
    let pairs: Vec<(K, V)> = Vec::deserialize(d)?;
    Ok(pairs.into_iter().collect())
}
