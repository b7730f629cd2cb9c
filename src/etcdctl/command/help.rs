//! `etcdctl help [command]`.

use super::super::flags::{self, Found};
use super::super::{Io, Status};

pub fn run(f: &flags::Flags, io: &mut Io, v: crate::api::EtcdVersion) -> Status {
    if f.args.is_empty() {
        io.out(flags::help_text("", v).unwrap_or(""));
        return Status::Done(0);
    }
    match flags::find(&f.args, v) {
        Found::Command { path, .. } if !path.is_empty() => {
            io.out(flags::help_text(&path, v).unwrap_or(""));
        }
        _ => {
            // the root's usage, printed before its help flag exists
            let root = flags::help_text("", v).unwrap_or("");
            let text: String = root
                .split_inclusive('\n')
                .filter(|l| !l.starts_with("  -h, --help"))
                .collect();
            io.out(&text);
            io.errln(&format!("Unknown help topic [`{}`]", f.args.join("` `")));
        }
    }
    Status::Done(0)
}
