//! `etcdctl version`.

use super::super::Fail;
use super::Ctx;

pub fn run(ctx: &mut Ctx) -> Result<(), Fail> {
    ctx.io.outln("etcdctl version: 3.4.23");
    ctx.io.outln("API version: 3.4");
    Ok(())
}
