//! The last 1000 events of the store (`EventHistory` in etcd), which watches by index are
//! answered from. An index older than the window answers error 401.

use std::collections::VecDeque;

use crate::api::v2::error::{V2Error, ECODE_EVENT_INDEX_CLEARED};
use crate::api::v2::event::{Event, DELETE, EXPIRE};
use crate::api::v2::path::clean;

pub const HISTORY_CAPACITY: usize = 1000;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EventHistory {
    queue: VecDeque<Event>,
    capacity: usize,
    pub start_index: u64,
    pub last_index: u64,
}

impl Default for EventHistory {
    fn default() -> Self {
        EventHistory::new(HISTORY_CAPACITY)
    }
}

impl EventHistory {
    pub fn new(capacity: usize) -> EventHistory {
        EventHistory {
            queue: VecDeque::new(),
            capacity: capacity.max(1),
            start_index: 0,
            last_index: 0,
        }
    }

    pub fn add(&mut self, e: Event) {
        if self.queue.len() >= self.capacity {
            self.queue.pop_front();
        }
        self.last_index = e.index();
        self.queue.push_back(e);
        self.start_index = self.queue.front().map(|e| e.index()).unwrap_or(0);
    }

    /// The first event at or after `index` that concerns `key` (`scan`). `hidden_after`:
    /// events after this index are filtered as a live watcher would see them (hidden keys
    /// under a recursive watch are skipped).
    pub fn scan(
        &self,
        key: &str,
        recursive: bool,
        index: u64,
        hidden_after: u64,
    ) -> Result<Option<&Event>, V2Error> {
        if index < self.start_index {
            return Err(V2Error::new(
                ECODE_EVENT_INDEX_CLEARED,
                format!(
                    "the requested history has been cleared [{}/{}]",
                    self.start_index, index
                ),
                0,
            ));
        }
        if index > self.last_index {
            return Ok(None);
        }
        let mut prefix = clean(key);
        if !prefix.ends_with('/') {
            prefix.push('/');
        }
        for e in self.queue.iter().filter(|e| e.index() >= index) {
            if e.refresh {
                continue;
            }
            let exact = e.node.key == key;
            let mut ok = exact;
            if recursive && e.node.key.starts_with(&prefix) {
                ok = ok || e.index() <= hidden_after || !is_hidden(key, &e.node.key);
            }
            if e.action == DELETE || e.action == EXPIRE {
                if let Some(p) = &e.prev_node {
                    if p.dir && key.starts_with(&p.key) {
                        ok = true;
                    }
                }
            }
            if ok {
                return Ok(Some(e));
            }
        }
        Ok(None)
    }
}

/// Whether `key_path` lies under a hidden component below `watch_path` (`isHidden`).
pub fn is_hidden(watch_path: &str, key_path: &str) -> bool {
    if watch_path.len() > key_path.len() {
        return false;
    }
    let rest = key_path.get(watch_path.len()..).unwrap_or("");
    clean(&format!("/{}", rest)).contains("/_")
}
