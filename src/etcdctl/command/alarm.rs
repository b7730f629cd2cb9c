//! `etcdctl alarm list|disarm`.

use crate::api::{AlarmAction, AlarmResponse, AlarmType, Request, Response};

use super::super::Fail;
use super::{bad_args, fail, Ctx};

fn alarm_get(ctx: &mut Ctx, client: &super::super::client::Client) -> Result<AlarmResponse, Fail> {
    match client
        .call(
            ctx.cluster,
            ctx.io,
            Request::Alarm {
                action: AlarmAction::Get,
                member_id: 0,
                alarm: AlarmType::None,
            },
        )
        .map_err(fail)?
    {
        Response::Alarm(r) => Ok(r),
        _ => Ok(AlarmResponse::default()),
    }
}

pub fn list(ctx: &mut Ctx) -> Result<(), Fail> {
    if !ctx.args().is_empty() {
        return Err(bad_args("alarm list command accepts no arguments"));
    }
    let client = ctx.client()?;
    let r = alarm_get(ctx, &client)?;
    let p = ctx.printer()?;
    p.alarm(ctx.io, &r, false)
}

pub fn disarm(ctx: &mut Ctx) -> Result<(), Fail> {
    if !ctx.args().is_empty() {
        return Err(bad_args("alarm disarm command accepts no arguments"));
    }
    let client = ctx.client()?;
    // clientv3's AlarmDisarm of "every alarm": list them, then deactivate each
    let listed = alarm_get(ctx, &client)?;
    let mut out = AlarmResponse {
        header: listed.header,
        alarms: Vec::new(),
    };
    for a in &listed.alarms {
        if let Response::Alarm(r) = client
            .call(
                ctx.cluster,
                ctx.io,
                Request::Alarm {
                    action: AlarmAction::Deactivate,
                    member_id: a.member_id,
                    alarm: a.alarm,
                },
            )
            .map_err(fail)?
        {
            out.header = r.header;
            out.alarms.extend(r.alarms);
        }
    }
    let p = ctx.printer()?;
    p.alarm(ctx.io, &out, true)
}
