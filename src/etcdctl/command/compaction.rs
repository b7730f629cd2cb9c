//! `etcdctl compaction REV [--physical]`.

use crate::api::{CompactionRequest, Request};

use super::super::{Fail, EXIT_ERROR};
use super::{bad_args, fail, Ctx};

pub fn run(ctx: &mut Ctx) -> Result<(), Fail> {
    let args = ctx.args().to_vec();
    if args.len() != 1 {
        return Err(bad_args("compaction command needs 1 argument"));
    }
    let rev =
        super::super::flags::parse_int_base10(&args[0]).map_err(|e| Fail::new(EXIT_ERROR, e))?;
    let client = ctx.client()?;
    client
        .call(
            ctx.cluster,
            ctx.io,
            Request::Compaction(CompactionRequest {
                revision: rev,
                physical: ctx.flags.bool("physical"),
            }),
        )
        .map_err(fail)?;
    ctx.io.outln(&format!("compacted revision {}", rev));
    Ok(())
}
