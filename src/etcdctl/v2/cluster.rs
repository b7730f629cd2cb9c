//! `member` (list, add, remove, update) and `cluster-health` under API 2
//! (`ctlv2/command/member_commands.go`, `cluster_health.go`): the v2 members API as the
//! cluster answers it, with the v2 client's texts.

use super::cli::Parsed;
use super::client::{ClientError, Ctx, Exit, EXIT_CLUSTER_NOT_HEALTHY, EXIT_SERVER_ERROR};
use crate::api::v2::{KeysRequest, Method, V2Op};
use crate::api::{Member, Request, Response};

fn members(ctx: &mut Ctx) -> Result<Vec<Member>, ClientError> {
    match ctx.send_raw(Request::MemberList)? {
        Response::MemberList(ml) => {
            let mut m = ml.members;
            crate::sort::sort_by_key(&mut m, |m| m.id);
            Ok(m)
        }
        other => Err(ClientError::Plain(format!(
            "unexpected response {:?}",
            other
        ))),
    }
}

/// What the v2 client makes of a members-API failure: a "not found" keeps its text; any other
/// server error is a 500 from the v2 API, which the client reports for every endpoint as a
/// member without a leader.
fn v2_member_error(ctx: &Ctx, e: &ClientError, raw_id: &str) -> String {
    match e {
        ClientError::Plain(m) if m == "etcdserver: member not found" => {
            format!("No such member: {}", raw_id)
        }
        ClientError::Plain(_) => {
            let errs: Vec<String> = ctx
                .endpoints
                .iter()
                .map(|ep| format!("client: etcd member {} has no leader", ep))
                .collect();
            ClientError::Cluster(errs).message()
        }
        other => other.message(),
    }
}

fn no_args(ctx: &mut Ctx, p: &Parsed) -> Result<(), Exit> {
    if !p.args.is_empty() {
        ctx.err.push_str("No arguments accepted\n");
        return Err(1);
    }
    Ok(())
}

pub fn member_list(ctx: &mut Ctx, p: &Parsed) -> Result<(), Exit> {
    no_args(ctx, p)?;
    ctx.connect(true)?;
    let ms = match members(ctx) {
        Ok(m) => m,
        Err(e) => {
            ctx.err.push_str(&format!("{}\n", e.message()));
            return Err(1);
        }
    };
    let leader = match ctx.send_raw(Request::Status) {
        Ok(Response::Status(s)) if s.leader != 0 => s.leader,
        Ok(_) => {
            ctx.err.push_str("Failed to get leader:  During election\n");
            return Err(1);
        }
        Err(e) => {
            ctx.err
                .push_str(&format!("Failed to get leader:  {}\n", e.message()));
            return Err(1);
        }
    };
    for m in ms {
        if m.name.is_empty() {
            ctx.out.push_str(&format!(
                "{:x}[unstarted]: peerURLs={}\n",
                m.id,
                m.peer_urls.join(",")
            ));
        } else {
            ctx.out.push_str(&format!(
                "{:x}: name={} peerURLs={} clientURLs={} isLeader={}\n",
                m.id,
                m.name,
                m.peer_urls.join(","),
                m.client_urls.join(","),
                m.id == leader
            ));
        }
    }
    Ok(())
}

pub fn member_add(ctx: &mut Ctx, p: &Parsed) -> Result<(), Exit> {
    if p.args.len() != 2 {
        ctx.err
            .push_str("Provide a name and a single member peerURL\n");
        return Err(1);
    }
    ctx.connect(true)?;
    let name = p.args.first().cloned().unwrap_or_default();
    let url = p.args.get(1).cloned().unwrap_or_default();
    let new_id = match ctx.send_raw(Request::MemberAdd {
        peer_urls: vec![url],
        is_learner: false,
    }) {
        Ok(Response::MemberAdd(a)) => a.member.id,
        Ok(_) => 0,
        Err(e) => {
            let msg = v2_member_error(ctx, &e, "");
            ctx.err.push_str(&format!("{}\n", msg));
            return Err(1);
        }
    };
    ctx.out.push_str(&format!(
        "Added member named {} with ID {:x} to cluster\n",
        name, new_id
    ));
    let ms = match members(ctx) {
        Ok(m) => m,
        Err(e) => {
            ctx.err.push_str(&format!("{}\n", e.message()));
            return Err(1);
        }
    };
    let mut conf = Vec::new();
    for m in &ms {
        for u in &m.peer_urls {
            let n = if m.id == new_id {
                name.clone()
            } else {
                m.name.clone()
            };
            conf.push(format!("{}={}", n, u));
        }
    }
    ctx.out.push_str(&format!(
        "\nETCD_NAME={}\nETCD_INITIAL_CLUSTER={}\nETCD_INITIAL_CLUSTER_STATE=\"existing\"\n",
        format!("{:?}", name),
        format!("{:?}", conf.join(","))
    ));
    Ok(())
}

fn parse_id(s: &str) -> Option<u64> {
    u64::from_str_radix(s, 16).ok()
}

pub fn member_remove(ctx: &mut Ctx, p: &Parsed) -> Result<(), Exit> {
    if p.args.len() != 1 {
        ctx.err.push_str("Provide a single member ID\n");
        return Err(1);
    }
    let removal = p.args.first().cloned().unwrap_or_default();
    ctx.connect(true)?;
    let ms = match members(ctx) {
        Ok(m) => m,
        Err(e) => {
            ctx.err.push_str(&format!(
                "Error while verifying ID against known members: {}\n",
                e.message()
            ));
            return Err(1);
        }
    };
    let mut found = false;
    for m in &ms {
        if format!("{:x}", m.id) == removal {
            found = true;
        }
        if m.name == removal {
            ctx.err.push_str(&format!(
                "Found a member named {}; if this is correct, please use its ID, eg:\n\tetcdctl member remove {:x}\n",
                m.name, m.id
            ));
            ctx.err.push_str("For more details, read the documentation at https://github.com/etcd-io/etcd/blob/master/Documentation/runtime-configuration.md#remove-a-member\n\n");
        }
    }
    if !found {
        ctx.err.push_str(&format!(
            "Couldn't find a member in the cluster with an ID of {}.\n",
            removal
        ));
        return Err(1);
    }
    let id = parse_id(&removal).unwrap_or(0);
    if let Err(e) = ctx.send_raw(Request::MemberRemove { id }) {
        let msg = v2_member_error(ctx, &e, &format!("{:x}", id));
        ctx.err.push_str(&format!(
            "Received an error trying to remove member {}: {}",
            removal, msg
        ));
        return Err(1);
    }
    ctx.out
        .push_str(&format!("Removed member {} from cluster\n", removal));
    Ok(())
}

pub fn member_update(ctx: &mut Ctx, p: &Parsed) -> Result<(), Exit> {
    if p.args.len() != 2 {
        ctx.err.push_str("Provide an ID and a list of comma separated peerURL (0xabcd http://example.com,http://example1.com)\n");
        return Err(1);
    }
    ctx.connect(true)?;
    let mid = p.args.first().cloned().unwrap_or_default();
    let urls: Vec<String> = p
        .args
        .get(1)
        .map(|u| u.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    let id = match parse_id(&mid) {
        Some(id) => id,
        None => {
            ctx.err.push_str(&format!("No such member: {}\n", mid));
            return Err(1);
        }
    };
    if let Err(e) = ctx.send_raw(Request::MemberUpdate {
        id,
        peer_urls: urls,
    }) {
        let msg = v2_member_error(ctx, &e, &format!("{:x}", id));
        ctx.err.push_str(&format!("{}\n", msg));
        return Err(1);
    }
    ctx.out
        .push_str(&format!("Updated member with ID {} in cluster\n", mid));
    Ok(())
}

/// `cluster-health` (one round; `--forever` repeats every 10 s until interrupted, which the
/// playground runs as one round).
pub fn cluster_health(ctx: &mut Ctx, _p: &Parsed) -> Result<(), Exit> {
    ctx.connect(false)?;
    let ms = match members(ctx) {
        Ok(m) => m,
        Err(e) => {
            ctx.out
                .push_str("cluster may be unhealthy: failed to list members\n");
            return Err(ctx.handle_error(EXIT_SERVER_ERROR, &e));
        }
    };
    let mut healthy = 0;
    for m in &ms {
        if m.client_urls.is_empty() {
            ctx.out.push_str(&format!(
                "member {:x} is unreachable: no available published client urls\n",
                m.id
            ));
            continue;
        }
        let mut checked = false;
        for url in &m.client_urls {
            let req = crate::api::v2::V2Request {
                op: V2Op::Keys(KeysRequest {
                    method: Method::Get,
                    path: "/".into(),
                    quorum: true,
                    ..Default::default()
                }),
                credentials: None,
                now: ctx.cluster.unix_nanos(),
            };
            match ctx.cluster.call(
                url,
                None,
                Request::V2(req),
                std::time::Duration::from_secs(1),
            ) {
                Err(crate::api::CallError::Unreachable) => {
                    let hp = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
                    ctx.out.push_str(&format!(
                        "failed to check the health of member {:x} on {}: Get \"{}/health\": dial tcp {}: connect: connection refused\n",
                        m.id, url, url, hp
                    ));
                    continue;
                }
                Ok(_) => {
                    ctx.out.push_str(&format!(
                        "member {:x} is healthy: got healthy result from {}\n",
                        m.id, url
                    ));
                    healthy += 1;
                }
                Err(_) => {
                    ctx.out.push_str(&format!(
                        "member {:x} is unhealthy: got unhealthy result from {}\n",
                        m.id, url
                    ));
                }
            }
            checked = true;
            break;
        }
        if !checked {
            ctx.out.push_str(&format!(
                "member {:x} is unreachable: [{}] are all unreachable\n",
                m.id,
                m.client_urls.join(" ")
            ));
        }
    }
    if healthy == ms.len() {
        ctx.out.push_str("cluster is healthy\n");
        Ok(())
    } else {
        ctx.out.push_str(if healthy == 0 {
            "cluster is unavailable\n"
        } else {
            "cluster is degraded\n"
        });
        Err(EXIT_CLUSTER_NOT_HEALTHY)
    }
}
