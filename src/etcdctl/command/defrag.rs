//! `etcdctl defrag [--cluster]`.

use crate::api::Request;

use super::super::{Fail, EXIT_ERROR};
use super::endpoint::endpoints_from_cluster;
use super::Ctx;

pub fn run(ctx: &mut Ctx) -> Result<(), Fail> {
    if !ctx.flags.str("data-dir").is_empty() {
        return Err(Fail::new(
            EXIT_ERROR,
            "defragmenting a data directory is not available in the playground",
        ));
    }
    let base = ctx.client()?;
    let eps = endpoints_from_cluster(ctx, &base)?;
    let mut failures = 0;
    for ep in eps {
        match base
            .with_endpoint(&ep)
            .call(ctx.cluster, ctx.io, Request::Defragment)
        {
            Ok(_) => ctx
                .io
                .outln(&format!("Finished defragmenting etcd member[{}]", ep)),
            Err(e) => {
                ctx.io
                    .errln(&format!("Failed to defragment etcd member[{}] ({})", ep, e));
                failures += 1;
            }
        }
    }
    if failures > 0 {
        return Err(Fail::silent(EXIT_ERROR));
    }
    Ok(())
}
