//! `etcdctl version`.

use super::super::Fail;
use super::Ctx;

pub fn run(ctx: &mut Ctx) -> Result<(), Fail> {
    let v = ctx.console.version;
    ctx.io.outln(&format!("etcdctl version: {}", v.full()));
    ctx.io.outln(&format!("API version: {}", v.api()));
    Ok(())
}
