//! etcdctl 3.4.23's and 3.5.1's help texts, exactly as they print them (`etcdctl help CMD`, `CMD --help`,
//! and the usage printed on flag errors), and the command tree and flag definitions read from
//! them: every flag line of a help text (`--rev=0`, `--prefix[=false]`, `-w, --write-out=...`)
//! says the flag's name, shorthand, type and default.
//!
//! Owns: the texts in `help/` (3.4.23) and `help35/` (3.5.1). Must not touch: command behaviour.

/// (command path, help text); the root is "".
pub static HELP: &[(&str, &str)] = &[
    ("alarm", include_str!("help/alarm.txt")),
    ("alarm disarm", include_str!("help/alarm_disarm.txt")),
    ("alarm list", include_str!("help/alarm_list.txt")),
    ("auth", include_str!("help/auth.txt")),
    ("auth disable", include_str!("help/auth_disable.txt")),
    ("auth enable", include_str!("help/auth_enable.txt")),
    ("check", include_str!("help/check.txt")),
    ("check datascale", include_str!("help/check_datascale.txt")),
    ("check perf", include_str!("help/check_perf.txt")),
    ("compaction", include_str!("help/compaction.txt")),
    ("completion", include_str!("help/completion.txt")),
    ("completion bash", include_str!("help/completion_bash.txt")),
    ("completion fish", include_str!("help/completion_fish.txt")),
    (
        "completion powershell",
        include_str!("help/completion_powershell.txt"),
    ),
    ("completion zsh", include_str!("help/completion_zsh.txt")),
    ("defrag", include_str!("help/defrag.txt")),
    ("del", include_str!("help/del.txt")),
    ("elect", include_str!("help/elect.txt")),
    ("endpoint", include_str!("help/endpoint.txt")),
    ("endpoint hashkv", include_str!("help/endpoint_hashkv.txt")),
    ("endpoint health", include_str!("help/endpoint_health.txt")),
    ("endpoint status", include_str!("help/endpoint_status.txt")),
    ("", include_str!("help/etcdctl.txt")),
    ("get", include_str!("help/get.txt")),
    ("help", include_str!("help/help.txt")),
    ("lease", include_str!("help/lease.txt")),
    ("lease grant", include_str!("help/lease_grant.txt")),
    (
        "lease keep-alive",
        include_str!("help/lease_keep-alive.txt"),
    ),
    ("lease list", include_str!("help/lease_list.txt")),
    ("lease revoke", include_str!("help/lease_revoke.txt")),
    (
        "lease timetolive",
        include_str!("help/lease_timetolive.txt"),
    ),
    ("lock", include_str!("help/lock.txt")),
    ("make-mirror", include_str!("help/make-mirror.txt")),
    ("member", include_str!("help/member.txt")),
    ("member add", include_str!("help/member_add.txt")),
    ("member list", include_str!("help/member_list.txt")),
    ("member promote", include_str!("help/member_promote.txt")),
    ("member remove", include_str!("help/member_remove.txt")),
    ("member update", include_str!("help/member_update.txt")),
    ("migrate", include_str!("help/migrate.txt")),
    ("move-leader", include_str!("help/move-leader.txt")),
    ("put", include_str!("help/put.txt")),
    ("role", include_str!("help/role.txt")),
    ("role add", include_str!("help/role_add.txt")),
    ("role delete", include_str!("help/role_delete.txt")),
    ("role get", include_str!("help/role_get.txt")),
    (
        "role grant-permission",
        include_str!("help/role_grant-permission.txt"),
    ),
    ("role list", include_str!("help/role_list.txt")),
    (
        "role revoke-permission",
        include_str!("help/role_revoke-permission.txt"),
    ),
    ("snapshot", include_str!("help/snapshot.txt")),
    (
        "snapshot restore",
        include_str!("help/snapshot_restore.txt"),
    ),
    ("snapshot save", include_str!("help/snapshot_save.txt")),
    ("snapshot status", include_str!("help/snapshot_status.txt")),
    ("txn", include_str!("help/txn.txt")),
    ("user", include_str!("help/user.txt")),
    ("user add", include_str!("help/user_add.txt")),
    ("user delete", include_str!("help/user_delete.txt")),
    ("user get", include_str!("help/user_get.txt")),
    ("user grant-role", include_str!("help/user_grant-role.txt")),
    ("user list", include_str!("help/user_list.txt")),
    ("user passwd", include_str!("help/user_passwd.txt")),
    (
        "user revoke-role",
        include_str!("help/user_revoke-role.txt"),
    ),
    ("version", include_str!("help/version.txt")),
    ("watch", include_str!("help/watch.txt")),
];

/// etcdctl 3.5.1's help texts (`auth status` added; `completion` and `migrate` gone).
pub static HELP35: &[(&str, &str)] = &[
    ("alarm", include_str!("help35/alarm.txt")),
    ("alarm disarm", include_str!("help35/alarm_disarm.txt")),
    ("alarm list", include_str!("help35/alarm_list.txt")),
    ("auth", include_str!("help35/auth.txt")),
    ("auth disable", include_str!("help35/auth_disable.txt")),
    ("auth enable", include_str!("help35/auth_enable.txt")),
    ("auth status", include_str!("help35/auth_status.txt")),
    ("check", include_str!("help35/check.txt")),
    (
        "check datascale",
        include_str!("help35/check_datascale.txt"),
    ),
    ("check perf", include_str!("help35/check_perf.txt")),
    ("compaction", include_str!("help35/compaction.txt")),
    ("defrag", include_str!("help35/defrag.txt")),
    ("del", include_str!("help35/del.txt")),
    ("elect", include_str!("help35/elect.txt")),
    ("endpoint", include_str!("help35/endpoint.txt")),
    (
        "endpoint hashkv",
        include_str!("help35/endpoint_hashkv.txt"),
    ),
    (
        "endpoint health",
        include_str!("help35/endpoint_health.txt"),
    ),
    (
        "endpoint status",
        include_str!("help35/endpoint_status.txt"),
    ),
    ("", include_str!("help35/etcdctl.txt")),
    ("get", include_str!("help35/get.txt")),
    ("help", include_str!("help35/help.txt")),
    ("lease", include_str!("help35/lease.txt")),
    ("lease grant", include_str!("help35/lease_grant.txt")),
    (
        "lease keep-alive",
        include_str!("help35/lease_keep-alive.txt"),
    ),
    ("lease list", include_str!("help35/lease_list.txt")),
    ("lease revoke", include_str!("help35/lease_revoke.txt")),
    (
        "lease timetolive",
        include_str!("help35/lease_timetolive.txt"),
    ),
    ("lock", include_str!("help35/lock.txt")),
    ("make-mirror", include_str!("help35/make-mirror.txt")),
    ("member", include_str!("help35/member.txt")),
    ("member add", include_str!("help35/member_add.txt")),
    ("member list", include_str!("help35/member_list.txt")),
    ("member promote", include_str!("help35/member_promote.txt")),
    ("member remove", include_str!("help35/member_remove.txt")),
    ("member update", include_str!("help35/member_update.txt")),
    ("move-leader", include_str!("help35/move-leader.txt")),
    ("put", include_str!("help35/put.txt")),
    ("role", include_str!("help35/role.txt")),
    ("role add", include_str!("help35/role_add.txt")),
    ("role delete", include_str!("help35/role_delete.txt")),
    ("role get", include_str!("help35/role_get.txt")),
    (
        "role grant-permission",
        include_str!("help35/role_grant-permission.txt"),
    ),
    ("role list", include_str!("help35/role_list.txt")),
    (
        "role revoke-permission",
        include_str!("help35/role_revoke-permission.txt"),
    ),
    ("snapshot", include_str!("help35/snapshot.txt")),
    (
        "snapshot restore",
        include_str!("help35/snapshot_restore.txt"),
    ),
    ("snapshot save", include_str!("help35/snapshot_save.txt")),
    (
        "snapshot status",
        include_str!("help35/snapshot_status.txt"),
    ),
    ("txn", include_str!("help35/txn.txt")),
    ("user", include_str!("help35/user.txt")),
    ("user add", include_str!("help35/user_add.txt")),
    ("user delete", include_str!("help35/user_delete.txt")),
    ("user get", include_str!("help35/user_get.txt")),
    (
        "user grant-role",
        include_str!("help35/user_grant-role.txt"),
    ),
    ("user list", include_str!("help35/user_list.txt")),
    ("user passwd", include_str!("help35/user_passwd.txt")),
    (
        "user revoke-role",
        include_str!("help35/user_revoke-role.txt"),
    ),
    ("version", include_str!("help35/version.txt")),
    ("watch", include_str!("help35/watch.txt")),
];

/// The help texts of the etcdctl release `v`.
pub fn help_table(v: crate::api::EtcdVersion) -> &'static [(&'static str, &'static str)] {
    // (the page's first-visit module, feature `lite`, runs 3.4 only and leaves 3.5's out)
    if v.is_3_5() && cfg!(not(feature = "lite")) {
        HELP35
    } else {
        HELP
    }
}
