//! The node's virtual filesystem: a tree of directories and regular files with bytes, each
//! with a mode, an owner (uid/gid, named through the node's user and group tables) and an
//! mtime taken from the simulated clock the caller passes in.
//!
//! Owns: path resolution (`.`, `..`, trailing slashes, intermediate components that are not
//! directories), the POSIX error of every failing operation (as an errno with its C text),
//! size limits (a huge file is refused with `File too large`, a full disk with `No space
//! left on device`) and serde persistence. Must not touch: shell syntax, command texts
//! (`cat: x: ...` belongs to the commands), wall clock.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Simulated time in milliseconds since the Unix epoch (UTC).
pub type Millis = u64;

/// Why an operation failed: the errno a Linux kernel would return.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Errno {
    NoEnt,
    NotDir,
    IsDir,
    Exist,
    NotEmpty,
    FBig,
    NoSpc,
    NameTooLong,
    Inval,
}

impl Errno {
    /// The C library's `strerror` text.
    pub fn text(self) -> &'static str {
        match self {
            Errno::NoEnt => "No such file or directory",
            Errno::NotDir => "Not a directory",
            Errno::IsDir => "Is a directory",
            Errno::Exist => "File exists",
            Errno::NotEmpty => "Directory not empty",
            Errno::FBig => "File too large",
            Errno::NoSpc => "No space left on device",
            Errno::NameTooLong => "File name too long",
            Errno::Inval => "Invalid argument",
        }
    }
}

impl std::fmt::Display for Errno {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text())
    }
}

/// What the filesystem may hold; past these, writes fail with `FBig` / `NoSpc`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Largest regular file, in bytes.
    pub max_file: u64,
    /// All file bytes together.
    pub max_total: u64,
    /// Files and directories together (the inode count).
    pub max_nodes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file: 32 << 20,
            max_total: 128 << 20,
            max_nodes: 100_000,
        }
    }
}

/// Longest file name component, as on ext4.
pub const NAME_MAX: usize = 255;
/// Longest path, as Linux's PATH_MAX.
pub const PATH_MAX: usize = 4096;

/// Mode, owner and modification time of a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// Permission bits (e.g. `0o644`), without the file type.
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub mtime: Millis,
}

/// A file or a directory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Node {
    File {
        meta: Meta,
        data: Vec<u8>,
    },
    Dir {
        meta: Meta,
        entries: BTreeMap<String, Node>,
    },
}

impl Node {
    pub fn meta(&self) -> &Meta {
        match self {
            Node::File { meta, .. } | Node::Dir { meta, .. } => meta,
        }
    }
    fn meta_mut(&mut self) -> &mut Meta {
        match self {
            Node::File { meta, .. } | Node::Dir { meta, .. } => meta,
        }
    }
    pub fn is_dir(&self) -> bool {
        matches!(self, Node::Dir { .. })
    }
    /// Bytes of file data under this node (itself included).
    fn bytes(&self) -> u64 {
        match self {
            Node::File { data, .. } => data.len() as u64,
            Node::Dir { entries, .. } => entries.values().map(Node::bytes).sum(),
        }
    }
    /// Nodes in this subtree (itself included).
    fn count(&self) -> u64 {
        match self {
            Node::File { .. } => 1,
            Node::Dir { entries, .. } => 1 + entries.values().map(Node::count).sum::<u64>(),
        }
    }
}

/// What `stat` tells of a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stat {
    pub is_dir: bool,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// Bytes for a file; 4096 for a directory (one ext4 block).
    pub size: u64,
    pub mtime: Millis,
    /// Hard links: 1 for a file, 2 + subdirectories for a directory.
    pub nlink: u64,
}

impl Stat {
    /// 1 KiB blocks allocated, as `ls -s` and `ls -l`'s `total` count them (4 KiB blocks).
    pub fn blocks_1k(&self) -> u64 {
        self.size.div_ceil(4096) * 4
    }
}

/// An absolute, normalised path: its components from the root.
pub type Components = Vec<String>;

/// Renders components as an absolute path (`/` for the root).
pub fn join(components: &[String]) -> String {
    if components.is_empty() {
        return "/".to_string();
    }
    let mut s = String::new();
    for c in components {
        s.push('/');
        s.push_str(c);
    }
    s
}

/// The node's filesystem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fs {
    root: Node,
    /// User names and their uids (`root` = 0 is always there).
    users: Vec<(String, u32)>,
    /// Group names and their gids.
    groups: Vec<(String, u32)>,
    limits: Limits,
    /// Bytes of all files.
    used: u64,
    /// Files and directories, the root included.
    nodes: u64,
}

impl Default for Fs {
    fn default() -> Self {
        Fs::new(0)
    }
}

impl Fs {
    /// An empty filesystem: a root directory owned by root, mode 755.
    pub fn new(now: Millis) -> Fs {
        Fs {
            root: Node::Dir {
                meta: Meta {
                    mode: 0o755,
                    uid: 0,
                    gid: 0,
                    mtime: now,
                },
                entries: BTreeMap::new(),
            },
            users: vec![("root".into(), 0)],
            groups: vec![("root".into(), 0)],
            limits: Limits::default(),
            used: 0,
            nodes: 1,
        }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
    }
    /// Bytes held by all files.
    pub fn used(&self) -> u64 {
        self.used
    }
    /// Files and directories, the root included.
    pub fn node_count(&self) -> u64 {
        self.nodes
    }

    /// Adds (or renames the id of) a user and its group of the same name.
    pub fn add_user(&mut self, name: &str, uid: u32, gid: u32) {
        self.users.retain(|(n, _)| n != name);
        self.users.push((name.to_string(), uid));
        self.groups.retain(|(n, _)| n != name);
        self.groups.push((name.to_string(), gid));
    }
    pub fn uid_of(&self, name: &str) -> Option<u32> {
        self.users
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, id)| *id)
    }
    pub fn gid_of(&self, name: &str) -> Option<u32> {
        self.groups
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, id)| *id)
    }
    /// The user name of a uid, or the number as text (as `ls -l` prints an unknown owner).
    pub fn user_name(&self, uid: u32) -> String {
        self.users
            .iter()
            .find(|(_, id)| *id == uid)
            .map(|(n, _)| n.clone())
            .unwrap_or_else(|| uid.to_string())
    }
    pub fn group_name(&self, gid: u32) -> String {
        self.groups
            .iter()
            .find(|(_, id)| *id == gid)
            .map(|(n, _)| n.clone())
            .unwrap_or_else(|| gid.to_string())
    }

    /// Resolves `path` (absolute, or relative to `cwd`) to its components, walking the tree
    /// as the kernel does: `..` of the root is the root; every component before the last
    /// must be an existing directory. The last component need not exist. A trailing slash
    /// is reported so that callers can require a directory.
    pub fn resolve(&self, cwd: &[String], path: &str) -> Result<(Components, bool), Errno> {
        if path.is_empty() {
            return Err(Errno::NoEnt);
        }
        if path.len() >= PATH_MAX {
            return Err(Errno::NameTooLong);
        }
        let mut out: Components = if path.starts_with('/') {
            Vec::new()
        } else {
            cwd.to_vec()
        };
        let trailing = path.ends_with('/') && path.trim_matches('/') != "";
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        for part in parts {
            if part.len() > NAME_MAX {
                return Err(Errno::NameTooLong);
            }
            // every step goes through the current position, which must be a directory
            match self.node(&out) {
                Some(n) if n.is_dir() => {}
                Some(_) => return Err(Errno::NotDir),
                None => return Err(Errno::NoEnt),
            }
            match part {
                "." => {}
                ".." => {
                    out.pop();
                }
                name => out.push(name.to_string()),
            }
        }
        Ok((out, trailing))
    }

    /// The node at `path`, if any.
    pub fn node(&self, path: &[String]) -> Option<&Node> {
        let mut cur = &self.root;
        for c in path {
            match cur {
                Node::Dir { entries, .. } => cur = entries.get(c)?,
                Node::File { .. } => return None,
            }
        }
        Some(cur)
    }

    fn node_mut(&mut self, path: &[String]) -> Option<&mut Node> {
        let mut cur = &mut self.root;
        for c in path {
            match cur {
                Node::Dir { entries, .. } => cur = entries.get_mut(c)?,
                Node::File { .. } => return None,
            }
        }
        Some(cur)
    }

    /// The entries of the directory at `path` (None if it is not one).
    fn dir_entries_mut(&mut self, path: &[String]) -> Result<&mut BTreeMap<String, Node>, Errno> {
        match self.node_mut(path) {
            Some(Node::Dir { entries, .. }) => Ok(entries),
            Some(_) => Err(Errno::NotDir),
            None => Err(Errno::NoEnt),
        }
    }

    fn touch_dir(&mut self, path: &[String], now: Millis) {
        if let Some(n) = self.node_mut(path) {
            n.meta_mut().mtime = now;
        }
    }

    pub fn exists(&self, path: &[String]) -> bool {
        self.node(path).is_some()
    }
    pub fn is_dir(&self, path: &[String]) -> bool {
        self.node(path).is_some_and(Node::is_dir)
    }

    pub fn stat(&self, path: &[String]) -> Result<Stat, Errno> {
        let n = self.node(path).ok_or(Errno::NoEnt)?;
        Ok(stat_of(n))
    }

    /// A file's bytes.
    pub fn read(&self, path: &[String]) -> Result<&[u8], Errno> {
        match self.node(path) {
            Some(Node::File { data, .. }) => Ok(data),
            Some(Node::Dir { .. }) => Err(Errno::IsDir),
            None => Err(Errno::NoEnt),
        }
    }

    /// The names in a directory, in byte order, with their stats.
    pub fn list(&self, path: &[String]) -> Result<Vec<(String, Stat)>, Errno> {
        match self.node(path) {
            Some(Node::Dir { entries, .. }) => Ok(entries
                .iter()
                .map(|(k, v)| (k.clone(), stat_of(v)))
                .collect()),
            Some(Node::File { .. }) => Err(Errno::NotDir),
            None => Err(Errno::NoEnt),
        }
    }

    fn check_new_node(&self) -> Result<(), Errno> {
        if self.nodes >= self.limits.max_nodes {
            return Err(Errno::NoSpc);
        }
        Ok(())
    }

    fn check_size(&self, old: u64, new: u64) -> Result<(), Errno> {
        if new > self.limits.max_file {
            return Err(Errno::FBig);
        }
        if self.used - old + new > self.limits.max_total {
            return Err(Errno::NoSpc);
        }
        Ok(())
    }

    /// Writes a file (creating it with `mode` and owner root if missing, replacing or
    /// appending to its bytes otherwise). The parent must be an existing directory.
    pub fn write(
        &mut self,
        path: &[String],
        bytes: &[u8],
        append: bool,
        now: Millis,
    ) -> Result<(), Errno> {
        let (parent, name) = split_last(path)?;
        let old = match self.node(path) {
            Some(Node::Dir { .. }) => return Err(Errno::IsDir),
            Some(Node::File { data, .. }) => Some(data.len() as u64),
            None => None,
        };
        let new_len = if append {
            old.unwrap_or(0) + bytes.len() as u64
        } else {
            bytes.len() as u64
        };
        self.check_size(old.unwrap_or(0), new_len)?;
        if old.is_none() {
            self.check_new_node()?;
        }
        let entries = self.dir_entries_mut(parent)?;
        match entries.get_mut(name) {
            Some(Node::File { meta, data }) => {
                if !append {
                    data.clear();
                }
                data.extend_from_slice(bytes);
                meta.mtime = now;
            }
            _ => {
                entries.insert(
                    name.to_string(),
                    Node::File {
                        meta: Meta {
                            mode: 0o644,
                            uid: 0,
                            gid: 0,
                            mtime: now,
                        },
                        data: bytes.to_vec(),
                    },
                );
                self.nodes += 1;
                self.touch_dir(parent, now);
            }
        }
        self.used = self.used - old.unwrap_or(0) + new_len;
        Ok(())
    }

    /// [`write`](Self::write) of bytes the caller gives away (no copy of a large file).
    /// On an error the bytes come back with it.
    pub fn write_owned(
        &mut self,
        path: &[String],
        data: Vec<u8>,
        now: Millis,
    ) -> Result<(), (Errno, Vec<u8>)> {
        let len = data.len() as u64;
        let old = match self.node(path) {
            Some(Node::File { data, .. }) => data.len() as u64,
            _ => 0,
        };
        if let Err(e) = self.check_size(old, len) {
            return Err((e, data));
        }
        if let Err(e) = self.write(path, b"", false, now) {
            return Err((e, data));
        }
        if let Some(Node::File { data: d, .. }) = self.node_mut(path) {
            *d = data;
        }
        self.used += len;
        Ok(())
    }

    /// Removes a regular file and gives its bytes back.
    pub fn take_file(&mut self, path: &[String], now: Millis) -> Result<Vec<u8>, Errno> {
        match self.node(path) {
            Some(Node::Dir { .. }) => Err(Errno::IsDir),
            Some(Node::File { .. }) => match self.detach(path, now)? {
                Node::File { data, .. } => Ok(data),
                Node::Dir { .. } => Err(Errno::IsDir),
            },
            None => Err(Errno::NoEnt),
        }
    }

    /// Creates one directory (mode 755, owner root). The parent must exist.
    pub fn mkdir(&mut self, path: &[String], now: Millis) -> Result<(), Errno> {
        let (parent, name) = split_last(path)?;
        if self.exists(path) {
            return Err(Errno::Exist);
        }
        self.check_new_node()?;
        let entries = self.dir_entries_mut(parent)?;
        entries.insert(
            name.to_string(),
            Node::Dir {
                meta: Meta {
                    mode: 0o755,
                    uid: 0,
                    gid: 0,
                    mtime: now,
                },
                entries: BTreeMap::new(),
            },
        );
        self.nodes += 1;
        self.touch_dir(parent, now);
        Ok(())
    }

    /// Creates a directory and any missing parents; an existing directory is fine.
    pub fn mkdir_all(&mut self, path: &[String], now: Millis) -> Result<(), Errno> {
        for i in 1..=path.len() {
            match self.node(&path[..i]) {
                Some(n) if n.is_dir() => {}
                Some(_) => {
                    return Err(if i == path.len() {
                        Errno::Exist
                    } else {
                        Errno::NotDir
                    })
                }
                None => self.mkdir(&path[..i], now)?,
            }
        }
        Ok(())
    }

    /// Removes a file (`IsDir` for a directory).
    pub fn remove_file(&mut self, path: &[String], now: Millis) -> Result<(), Errno> {
        match self.node(path) {
            Some(Node::Dir { .. }) => Err(Errno::IsDir),
            Some(Node::File { .. }) => self.detach(path, now).map(|_| ()),
            None => Err(Errno::NoEnt),
        }
    }

    /// Removes an empty directory.
    pub fn remove_dir(&mut self, path: &[String], now: Millis) -> Result<(), Errno> {
        match self.node(path) {
            Some(Node::Dir { entries, .. }) if !entries.is_empty() => Err(Errno::NotEmpty),
            Some(Node::Dir { .. }) if path.is_empty() => Err(Errno::Inval),
            Some(Node::Dir { .. }) => self.detach(path, now).map(|_| ()),
            Some(Node::File { .. }) => Err(Errno::NotDir),
            None => Err(Errno::NoEnt),
        }
    }

    /// Removes a node and everything under it.
    pub fn remove_all(&mut self, path: &[String], now: Millis) -> Result<(), Errno> {
        if path.is_empty() {
            return Err(Errno::Inval);
        }
        self.detach(path, now).map(|_| ())
    }

    /// Takes a node out of the tree, keeping the counters right.
    fn detach(&mut self, path: &[String], now: Millis) -> Result<Node, Errno> {
        let (parent, name) = split_last(path)?;
        let entries = self.dir_entries_mut(parent)?;
        let node = entries.remove(name).ok_or(Errno::NoEnt)?;
        self.used -= node.bytes();
        self.nodes -= node.count();
        self.touch_dir(parent, now);
        Ok(node)
    }

    /// Puts a node into the tree at `path` (whose parent must be a directory), replacing
    /// nothing: the caller removed any previous node.
    fn attach(&mut self, path: &[String], node: Node, now: Millis) -> Result<(), Errno> {
        let (parent, name) = split_last(path)?;
        let (bytes, count) = (node.bytes(), node.count());
        if self.used + bytes > self.limits.max_total {
            return Err(Errno::NoSpc);
        }
        if self.nodes + count > self.limits.max_nodes {
            return Err(Errno::NoSpc);
        }
        let entries = self.dir_entries_mut(parent)?;
        entries.insert(name.to_string(), node);
        self.used += bytes;
        self.nodes += count;
        self.touch_dir(parent, now);
        Ok(())
    }

    /// rename(2): moves `from` to `to`. A directory cannot replace a file nor a non-empty
    /// directory, nor move into itself; a file cannot replace a directory.
    pub fn rename(&mut self, from: &[String], to: &[String], now: Millis) -> Result<(), Errno> {
        let src_dir = match self.node(from) {
            None => return Err(Errno::NoEnt),
            Some(n) => n.is_dir(),
        };
        if from.is_empty() || to.is_empty() {
            return Err(Errno::Inval);
        }
        if from == to {
            return Ok(());
        }
        if to.len() > from.len() && to[..from.len()] == *from {
            return Err(Errno::Inval);
        }
        let (to_parent, _) = split_last(to)?;
        if !self.is_dir(to_parent) {
            return Err(if self.exists(to_parent) {
                Errno::NotDir
            } else {
                Errno::NoEnt
            });
        }
        match self.node(to) {
            Some(Node::Dir { entries, .. }) if src_dir && !entries.is_empty() => {
                return Err(Errno::NotEmpty)
            }
            Some(Node::Dir { .. }) if !src_dir => return Err(Errno::IsDir),
            Some(Node::File { .. }) if src_dir => return Err(Errno::NotDir),
            Some(_) => {
                self.detach(to, now)?;
            }
            None => {}
        }
        let node = self.detach(from, now)?;
        self.attach(to, node, now)
    }

    /// Copies a file's bytes to `to` (created or truncated), as `cp` does without `-p`:
    /// a new file gets the source's mode, an existing one keeps its own.
    pub fn copy_file(&mut self, from: &[String], to: &[String], now: Millis) -> Result<(), Errno> {
        let (data, mode) = match self.node(from) {
            Some(Node::File { data, meta }) => (data.clone(), meta.mode),
            Some(Node::Dir { .. }) => return Err(Errno::IsDir),
            None => return Err(Errno::NoEnt),
        };
        let existed = self.exists(to);
        self.write(to, &data, false, now)?;
        if !existed {
            self.chmod(to, mode)?;
        }
        Ok(())
    }

    /// Sets owner and/or group.
    pub fn chown(
        &mut self,
        path: &[String],
        uid: Option<u32>,
        gid: Option<u32>,
    ) -> Result<(), Errno> {
        let n = self.node_mut(path).ok_or(Errno::NoEnt)?;
        let m = n.meta_mut();
        if let Some(u) = uid {
            m.uid = u;
        }
        if let Some(g) = gid {
            m.gid = g;
        }
        Ok(())
    }

    pub fn chmod(&mut self, path: &[String], mode: u32) -> Result<(), Errno> {
        let n = self.node_mut(path).ok_or(Errno::NoEnt)?;
        n.meta_mut().mode = mode & 0o7777;
        Ok(())
    }

    /// Sets the modification time.
    pub fn set_mtime(&mut self, path: &[String], mtime: Millis) -> Result<(), Errno> {
        let n = self.node_mut(path).ok_or(Errno::NoEnt)?;
        n.meta_mut().mtime = mtime;
        Ok(())
    }

    /// Every path under `path` (itself first), depth first in name order.
    pub fn walk(&self, path: &[String]) -> Vec<Components> {
        let mut out = Vec::new();
        if let Some(n) = self.node(path) {
            walk_into(n, &mut path.to_vec(), &mut out);
        }
        out
    }
}

fn walk_into(n: &Node, at: &mut Components, out: &mut Vec<Components>) {
    out.push(at.clone());
    if let Node::Dir { entries, .. } = n {
        for (k, v) in entries {
            at.push(k.clone());
            walk_into(v, at, out);
            at.pop();
        }
    }
}

fn stat_of(n: &Node) -> Stat {
    match n {
        Node::File { meta, data } => Stat {
            is_dir: false,
            mode: meta.mode,
            uid: meta.uid,
            gid: meta.gid,
            size: data.len() as u64,
            mtime: meta.mtime,
            nlink: 1,
        },
        Node::Dir { meta, entries } => Stat {
            is_dir: true,
            mode: meta.mode,
            uid: meta.uid,
            gid: meta.gid,
            size: 4096,
            mtime: meta.mtime,
            nlink: 2 + entries.values().filter(|e| e.is_dir()).count() as u64,
        },
    }
}

fn split_last(path: &[String]) -> Result<(&[String], &str), Errno> {
    match path.split_last() {
        Some((name, parent)) => Ok((parent, name.as_str())),
        // the root itself: it exists, so creating it fails
        None => Err(Errno::Exist),
    }
}

#[cfg(test)]
#[path = "fs_test.rs"]
mod tests;
