//! `etcdctl move-leader TARGET`: finds the leader among `--endpoints` and asks it to
//! transfer leadership.

use crate::api::{Request, Response};

use super::super::Fail;
use super::put::parse_hex_u64;
use super::{bad_args, fail, Ctx};

pub fn run(ctx: &mut Ctx) -> Result<(), Fail> {
    let args = ctx.args().to_vec();
    if args.len() != 1 {
        return Err(bad_args("move-leader command needs 1 argument"));
    }
    let target = parse_hex_u64(&args[0]).map_err(|e| bad_args(&e))?;
    let base = ctx.client()?;
    let eps = base.endpoints.clone();
    let mut leader = None;
    for ep in &eps {
        let c = base.with_endpoint(ep);
        match c.call(ctx.cluster, ctx.io, Request::Status).map_err(fail)? {
            Response::Status(s) if s.header.member_id == s.leader => {
                leader = Some((c, s.leader));
                break;
            }
            _ => {}
        }
    }
    let Some((mut lc, leader_id)) = leader else {
        return Err(bad_args(&format!(
            "no leader endpoint given at [{}]",
            eps.join(" ")
        )));
    };
    lc.passthrough = false;
    let resp = lc
        .call(
            ctx.cluster,
            ctx.io,
            Request::MoveLeader { target_id: target },
        )
        .map_err(fail)?;
    let h = match resp {
        Response::Header(h) => h,
        _ => Default::default(),
    };
    let p = ctx.printer()?;
    p.move_leader(ctx.io, leader_id, target, &h)
}
