//! The files etcdctl opens: certificates (`--cacert`, `--cert`, `--key`), snapshot files
//! (`snapshot save|status|restore`) and the data directory a restore writes. Behind a small
//! trait, so the same etcdctl reads the playground's working directory (`local` lab:
//! [`WorkingDir`], flat names) or a node's filesystem (the lab supplies that one).
//!
//! Errors are the text Go's `os` package puts after `open PATH: ` (`no such file or
//! directory`, `is a directory`...). Owns: [`Files`], [`WorkingDir`]. Must not touch: what the
//! files hold.

use std::collections::BTreeMap;

/// What etcdctl may do with files.
pub trait Files {
    /// A whole file; Err is Go's error text (`no such file or directory`).
    fn read(&self, path: &str) -> Result<Vec<u8>, String>;
    /// Whether a file or directory exists at `path`.
    fn exists(&self, path: &str) -> bool;
    /// Writes a whole file, creating the directories above it (`os.MkdirAll` then
    /// `os.WriteFile`); Err is Go's error text.
    fn write(&mut self, path: &str, data: &[u8]) -> Result<(), String>;
    /// [`write`](Self::write) of bytes the caller gives away (a snapshot of the large sample
    /// is over 100 MB: where the files are kept in memory, they are kept without a copy).
    fn write_owned(&mut self, path: &str, data: Vec<u8>) -> Result<(), String> {
        self.write(path, &data)
    }
    /// Files written by this command (the page offers them as downloads).
    fn written(&mut self, _path: &str) {}
    /// `snapshot restore` wrote `data_dir`: etcd's modes on a real disk (directories 700,
    /// the `.snap` file 644, the others 600), where the files have modes.
    fn restored(&mut self, _data_dir: &str) {}
    /// The names in directory `dir`, sorted (Go's `os.ReadDir`); Err is Go's error text.
    fn list(&self, dir: &str) -> Result<Vec<String>, String>;
    /// `os.MkdirAll(dir)`. Where directories exist only through their files (the
    /// playground's working directory), there is nothing to do.
    fn mkdir_all(&mut self, _dir: &str) -> Result<(), String> {
        Ok(())
    }
    /// Whether a running etcd holds the file open and locked (its `member/snap/db`): bbolt
    /// then waits for the lock.
    fn locked(&self, _path: &str) -> bool {
        false
    }
    /// Whether `os.OpenFile(path, O_CREATE)` would succeed: the directory above it exists
    /// and `path` is not a directory (no directory is made). Err is Go's error text.
    fn can_create(&self, path: &str) -> Result<(), String> {
        if let Some((parent, _)) = path.rsplit_once('/') {
            if !parent.is_empty() {
                if self.read(parent).is_ok() {
                    return Err("not a directory".into());
                }
                if !self.exists(parent) {
                    return Err("no such file or directory".into());
                }
            }
        }
        if self.exists(path) && self.read(path).is_err() {
            return Err("is a directory".into());
        }
        Ok(())
    }
}

/// The playground's working directory: flat names (`backup.db`), or `dir/...` names for the
/// files of a directory (a restored data directory).
pub struct WorkingDir<'a> {
    pub files: &'a mut BTreeMap<String, Vec<u8>>,
    pub written: &'a mut Vec<String>,
}

fn clean(path: &str) -> String {
    let p = path.trim_start_matches("./");
    p.trim_end_matches('/').to_string()
}

impl Files for WorkingDir<'_> {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        let p = clean(path);
        match self.files.get(&p) {
            Some(d) => Ok(d.clone()),
            None if self.exists(&p) => Err("is a directory".into()),
            None => Err("no such file or directory".into()),
        }
    }
    fn exists(&self, path: &str) -> bool {
        let p = clean(path);
        if p.is_empty() || p == "." {
            return true;
        }
        let dir = format!("{p}/");
        self.files.contains_key(&p) || self.files.keys().any(|k| k.starts_with(&dir))
    }
    fn write(&mut self, path: &str, data: &[u8]) -> Result<(), String> {
        self.write_owned(path, data.to_vec())
    }
    fn write_owned(&mut self, path: &str, data: Vec<u8>) -> Result<(), String> {
        let p = clean(path);
        if p.is_empty() || p.starts_with('/') || p.split('/').any(|c| c == "..") {
            return Err("permission denied".into());
        }
        // a name used by a file cannot be a directory
        let mut prefix = String::new();
        for part in p
            .split('/')
            .collect::<Vec<_>>()
            .split_last()
            .map(|x| x.1)
            .unwrap_or(&[])
        {
            prefix.push_str(part);
            if self.files.contains_key(&prefix) {
                return Err("not a directory".into());
            }
            prefix.push('/');
        }
        self.files.insert(p, data);
        Ok(())
    }
    fn written(&mut self, path: &str) {
        self.written.push(path.to_string());
    }
    fn list(&self, dir: &str) -> Result<Vec<String>, String> {
        let d = clean(dir);
        if self.files.contains_key(&d) {
            return Err("not a directory".into());
        }
        let prefix = if d.is_empty() || d == "." {
            String::new()
        } else {
            format!("{d}/")
        };
        let mut names: Vec<String> = self
            .files
            .keys()
            .filter_map(|k| k.strip_prefix(&prefix))
            .map(|rest| rest.split('/').next().unwrap_or(rest).to_string())
            .collect();
        names.dedup();
        if names.is_empty() && !prefix.is_empty() {
            return Err("no such file or directory".into());
        }
        Ok(names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn working_dir_names() {
        let mut files = BTreeMap::new();
        let mut written = Vec::new();
        let mut wd = WorkingDir {
            files: &mut files,
            written: &mut written,
        };
        assert_eq!(wd.read("a.db").unwrap_err(), "no such file or directory");
        wd.write("d/member/snap/db", b"x").unwrap();
        assert!(wd.exists("d") && wd.exists("./d/") && wd.exists("d/member"));
        assert_eq!(wd.read("d").unwrap_err(), "is a directory");
        assert_eq!(wd.read("d/member/snap/db").unwrap(), b"x");
        wd.write("f", b"1").unwrap();
        assert_eq!(wd.write("f/x", b"1").unwrap_err(), "not a directory");
        assert!(wd.write("/etc/x", b"1").is_err());
    }
}
