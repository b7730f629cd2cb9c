//! Which etcd release a lab runs (3.4.23 or 3.5.1): choosing it for a playground, and
//! `etcdutl`, which only etcd 3.5 ships (under 3.4 the shell does not find it, and a hint
//! says why).
//!
//! Owns: the playground's release and its etcdutl. Must not touch: what differs between the
//! releases (the consoles and the members ask the [`EtcdVersion`] they are handed).

use std::collections::BTreeMap;

#[cfg(not(feature = "lite"))]
use super::ETCDCTL_STARTUP;
use super::{lab, EtcdVersion, Output, Playground};
#[cfg(not(feature = "lite"))]
use crate::etcdctl::files::WorkingDir;
#[cfg(not(feature = "lite"))]
use crate::etcdctl::Io;
use crate::sim::World;

/// The hint under `etcdutl` in a 3.4 lab.
pub const NO_ETCDUTL_HINT: &str = "etcdutl ships with etcd 3.5 and later; this lab runs etcd 3.4.23, where `etcdctl snapshot status` and `etcdctl snapshot restore` do its work (a 3.5 lab in etcdplay: `lab local --etcd 3.5`)";

impl Playground {
    /// The playground of a lab whose etcd is the release `version`.
    pub fn for_lab_version(kind: lab::LabKind, seed: u64, version: EtcdVersion) -> Playground {
        let mut p = match kind {
            lab::LabKind::Local if version != EtcdVersion::default() => {
                let world = World::new_with(seed, version);
                Playground::from_world(world, BTreeMap::new(), true)
            }
            lab::LabKind::Kubeadm => Playground::kubeadm_lab(seed, version),
            lab::LabKind::ExternalEtcd => Playground::external_etcd_lab(seed, version),
            _ => Playground::for_lab(kind, seed),
        };
        p.set_etcd_version(version);
        p
    }

    /// Makes this lab's etcd the release `v` (members, etcdctl, etcdutl).
    pub fn set_etcd_version(&mut self, v: EtcdVersion) {
        // (the page's first-visit module runs 3.4 only: 3.5 is the full module's)
        #[cfg(feature = "lite")]
        if v != EtcdVersion::default() {
            self.full_only = Some("etcd 3.5");
            return;
        }
        self.version = v;
        self.console.version = v;
        self.world.set_etcd_version(v);
    }

    /// The etcd release this lab runs.
    pub fn etcd_version(&self) -> EtcdVersion {
        self.version
    }

    /// `etcdutl ARGS` in the playground's working directory (3.5), or the shell's
    /// complaint with a hint (3.4).
    pub(super) fn run_etcdutl(&mut self, args: &[String]) -> (Output, Vec<String>) {
        if !self.version.is_3_5() {
            let out = Output {
                stderr: "bash: etcdutl: command not found\n".to_string(),
                exit: 127,
                ..Default::default()
            };
            return (out, vec![NO_ETCDUTL_HINT.to_string()]);
        }
        self.etcdutl_3_5(args)
    }

    /// etcdutl 3.5 (the page's first-visit module has no 3.5: see `take_full_only`).
    #[cfg(feature = "lite")]
    fn etcdutl_3_5(&mut self, _args: &[String]) -> (Output, Vec<String>) {
        self.needs_full("etcdutl")
    }

    #[cfg(not(feature = "lite"))]
    fn etcdutl_3_5(&mut self, args: &[String]) -> (Output, Vec<String>) {
        self.world.advance(ETCDCTL_STARTUP);
        let mut io = Io::without_tty();
        io.limit = self.output_limit;
        let console = &mut self.console;
        let mut files = std::mem::take(&mut console.files);
        let mut written = std::mem::take(&mut console.written);
        let exit = {
            let mut wd = WorkingDir {
                files: &mut files,
                written: &mut written,
            };
            crate::etcdutl::run(&mut self.world, &mut wd, args, &mut io)
        };
        console.files = files;
        console.written = written;
        let out = Output {
            stdout: io.stdout,
            stderr: io.stderr,
            order: io.order,
            exit,
            ..Default::default()
        };
        (out, Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playground::session::persistence::Base;
    use crate::playground::session::{PlaygroundState, Session};

    #[test]
    fn a_3_5_lab_is_kept_as_3_5_and_old_records_read_as_3_4() {
        let mut s = Session::fresh_lab_version(lab::LabKind::Local, EtcdVersion::V3_5_1);
        s.playground_mut().run("etcdctl put k v", None);
        let state = s.state();
        assert_eq!(state.etcd_version, EtcdVersion::V3_5_1);
        let json = serde_json::to_string(&state).unwrap();
        // a record stored before releases existed has no `etcd_version`: 3.4.23
        let mut old: serde_json::Value = serde_json::from_str(&json).unwrap();
        old.as_object_mut().unwrap().remove("etcd_version");
        let old: PlaygroundState = serde_json::from_value(old).unwrap();
        assert_eq!(old.etcd_version, EtcdVersion::V3_4_23);
        let state: PlaygroundState = serde_json::from_str(&json).unwrap();
        let disks = s.playground().world().disk_states();
        let mut r = Session::restore(Base { state, disks });
        let p = r.playground_mut();
        assert_eq!(p.etcd_version(), EtcdVersion::V3_5_1);
        assert_eq!(
            p.run("etcdctl version", None).stdout,
            "etcdctl version: 3.5.1\nAPI version: 3.5\n"
        );
        assert_eq!(
            p.run("etcdctl get k --print-value-only", None).stdout,
            "v\n"
        );
        let status = p.run("etcdctl endpoint status", None).stdout;
        assert!(status.contains(", 3.5.1, "), "{status}");
    }

    #[test]
    fn etcdutl_is_not_found_under_3_4() {
        let mut p = Playground::new(1);
        let o = p.run("etcdutl version", None);
        assert_eq!(
            (o.exit, o.stderr.as_str()),
            (127, "bash: etcdutl: command not found\n")
        );
        assert_eq!(p.hints(), [NO_ETCDUTL_HINT.to_string()]);
    }
}
