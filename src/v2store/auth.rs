//! v2 auth (`v2auth` in etcd 3.4): users and roles kept as JSON documents inside the v2 store
//! under `/2` (`/2/users/<name>`, `/2/roles/<name>`, `/2/enabled`), the built-in `root` role,
//! the `guest` role that `auth enable` creates, and the access checks of the v2 HTTP API.
//!
//! Every change is an ordinary v2 write, so it takes store indexes exactly as in etcd: the
//! first write creates `/2`, `/2/users`, `/2/roles` and `/2/enabled` (four indexes) before
//! its own. Errors are HTTP errors with etcd's `auth: ...` messages ([`AuthError`]).
//! Passwords are kept as salted-free SHA-256 digests (etcd uses bcrypt; the digest never
//! leaves the store, and a password change always counts as a change, as bcrypt's fresh
//! salt makes it in etcd).

use serde::{Deserialize, Serialize};

use super::store::Store;
use crate::api::v2::error::{ECODE_KEY_NOT_FOUND, ECODE_NODE_EXIST};
use crate::sort::Inserted;

pub const STORE_PERMS_PREFIX: &str = "/2";
pub const ROOT_ROLE_NAME: &str = "root";
pub const GUEST_ROLE_NAME: &str = "guest";

/// An HTTP error of the auth API: status and message (`{"message": ...}`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthError {
    pub status: u16,
    pub message: String,
}

fn auth_err(status: u16, msg: String) -> AuthError {
    AuthError {
        status,
        message: format!("auth: {}", msg),
    }
}

/// What a request without the needed rights gets (`writeNoAuth`).
pub fn insufficient_credentials() -> AuthError {
    AuthError {
        status: 401,
        message: "Insufficient credentials".to_string(),
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub user: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub password: String,
    #[serde(default)]
    pub roles: Option<Vec<String>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RwPermission {
    pub read: Option<Vec<String>>,
    pub write: Option<Vec<String>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permissions {
    pub kv: RwPermission,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub role: String,
    pub permissions: Permissions,
}

fn all_access(name: &str) -> Role {
    Role {
        role: name.to_string(),
        permissions: Permissions {
            kv: RwPermission {
                read: Some(vec!["/*".to_string()]),
                write: Some(vec!["/*".to_string()]),
            },
        },
    }
}

impl Role {
    /// `HasKeyAccess`: a pattern ending in `*` matches by prefix, any other exactly.
    pub fn has_key_access(&self, key: &str, write: bool) -> bool {
        if self.role == ROOT_ROLE_NAME {
            return true;
        }
        self.list(write)
            .iter()
            .any(|pat| match pat.strip_suffix('*') {
                Some(prefix) => key.starts_with(prefix),
                None => key == pat,
            })
    }

    /// `HasRecursiveAccess`: only `*` patterns grant access to a subtree.
    pub fn has_recursive_access(&self, key: &str, write: bool) -> bool {
        if self.role == ROOT_ROLE_NAME {
            return true;
        }
        self.list(write).iter().any(|pat| {
            pat.strip_suffix('*')
                .map(|p| key.starts_with(p))
                .unwrap_or(false)
        })
    }

    fn list(&self, write: bool) -> &[String] {
        let l = if write {
            &self.permissions.kv.write
        } else {
            &self.permissions.kv.read
        };
        l.as_deref().unwrap_or(&[])
    }
}

pub fn hash_password(password: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(password.as_bytes());
    digest.iter().map(|b| format!("{:02x}", b)).collect()
}

fn merge_list(
    current: &Option<Vec<String>>,
    add: &[String],
    remove: &[String],
    dup: impl Fn(&str) -> AuthError,
    strict_remove: Option<&dyn Fn(&str) -> AuthError>,
) -> Result<Vec<String>, AuthError> {
    let mut set: std::collections::BTreeSet<String> = current.iter().flatten().cloned().btree_set();
    for a in add {
        if !set.insert(a.clone()) {
            return Err(dup(a));
        }
    }
    for r in remove {
        if !set.remove(r) {
            if let Some(f) = strict_remove {
                return Err(f(r));
            }
        }
    }
    Ok(set.into_iter().collect())
}

/// The auth store over a v2 [`Store`] at a given time.
pub struct AuthStore<'a> {
    pub store: &'a mut Store,
    pub now: i64,
}

impl AuthStore<'_> {
    fn get(&self, res: &str) -> Result<String, u32> {
        let p = format!("{}{}", STORE_PERMS_PREFIX, res);
        match self.store.get(&p, false, false, self.now) {
            Ok(e) => Ok(e.node.value.unwrap_or_default()),
            Err(e) => Err(e.error_code),
        }
    }

    fn list(&self, res: &str) -> Result<Vec<String>, u32> {
        let p = format!("{}{}", STORE_PERMS_PREFIX, res);
        match self.store.get(&p, false, false, self.now) {
            Ok(e) => Ok(e
                .node
                .nodes
                .unwrap_or_default()
                .into_iter()
                .map(|n| n.key.rsplit('/').next().unwrap_or("").to_string())
                .collect()),
            Err(e) => Err(e.error_code),
        }
    }

    /// `ensureAuthDirectories`: `/2`, `/2/users`, `/2/roles` and `/2/enabled=false`.
    fn ensure_auth_directories(&mut self) {
        let now = self.now;
        for res in ["/2", "/2/users/", "/2/roles/"] {
            let _ = self.store.create(res, true, "", false, None, now);
        }
        let _ = self
            .store
            .create("/2/enabled", false, "false", false, None, now);
    }

    fn set_resource(&mut self, res: &str, value: String, prev_exist: bool) -> Result<(), u32> {
        self.ensure_auth_directories();
        let p = format!("{}{}", STORE_PERMS_PREFIX, res);
        let r = if prev_exist {
            self.store.update(&p, &value, None, false, self.now)
        } else {
            self.store.create(&p, false, &value, false, None, self.now)
        };
        r.map(|_| ()).map_err(|e| e.error_code)
    }

    fn delete_resource(&mut self, res: &str) -> Result<(), u32> {
        self.ensure_auth_directories();
        let p = format!("{}{}", STORE_PERMS_PREFIX, res);
        self.store
            .delete(&p, false, false, self.now)
            .map(|_| ())
            .map_err(|e| e.error_code)
    }

    pub fn auth_enabled(&self) -> bool {
        matches!(self.get("/enabled").as_deref(), Ok("true"))
    }

    pub fn get_user(&self, name: &str) -> Result<User, AuthError> {
        let v = self
            .get(&format!("/users/{}", name))
            .map_err(|_| auth_err(404, format!("User {} does not exist.", name)))?;
        let mut u: User = serde_json::from_str(&v).map_err(|e| AuthError {
            status: 500,
            message: e.to_string(),
        })?;
        if u.user == ROOT_ROLE_NAME {
            attach_root_role(&mut u);
        }
        Ok(u)
    }

    pub fn get_role(&self, name: &str) -> Result<Role, AuthError> {
        if name == ROOT_ROLE_NAME {
            return Ok(all_access(ROOT_ROLE_NAME));
        }
        let v = self
            .get(&format!("/roles/{}", name))
            .map_err(|_| auth_err(404, format!("Role {} does not exist.", name)))?;
        serde_json::from_str(&v).map_err(|e| AuthError {
            status: 500,
            message: e.to_string(),
        })
    }

    pub fn all_users(&self) -> Vec<String> {
        let mut v = self.list("/users/").unwrap_or_default();
        crate::sort::sort(&mut v);
        v
    }

    pub fn all_roles(&self) -> Vec<String> {
        let mut v = vec![ROOT_ROLE_NAME.to_string()];
        v.extend(self.list("/roles/").unwrap_or_default());
        crate::sort::sort(&mut v);
        v
    }

    /// `CreateOrUpdateUser` (what `user add` and `user passwd` send).
    pub fn create_or_update_user(&mut self, name: &str, password: &str) -> Result<bool, AuthError> {
        if self.get_user(name).is_ok() {
            self.update_user(name, password, &[], &[])?;
            return Ok(false);
        }
        self.create_user(name, password)?;
        Ok(true)
    }

    pub fn create_user(&mut self, name: &str, password: &str) -> Result<(), AuthError> {
        let mut u = User {
            user: name.to_string(),
            password: String::new(),
            roles: None,
        };
        if name == ROOT_ROLE_NAME {
            attach_root_role(&mut u);
        }
        if password.is_empty() {
            return Err(auth_err(
                400,
                format!("Cannot create user {} with an empty password", name),
            ));
        }
        u.password = hash_password(password);
        let json = serde_json::to_string(&u).unwrap_or_default();
        match self.set_resource(&format!("/users/{}", name), json, false) {
            Err(ECODE_NODE_EXIST) => Err(auth_err(409, format!("User {} already exists.", name))),
            Err(c) => Err(AuthError {
                status: 500,
                message: format!("v2 error {}", c),
            }),
            Ok(()) => Ok(()),
        }
    }

    pub fn delete_user(&mut self, name: &str) -> Result<(), AuthError> {
        if self.auth_enabled() && name == ROOT_ROLE_NAME {
            return Err(auth_err(
                403,
                "Cannot delete root user while auth is enabled.".to_string(),
            ));
        }
        match self.delete_resource(&format!("/users/{}", name)) {
            Err(ECODE_KEY_NOT_FOUND) => Err(auth_err(404, format!("User {} does not exist", name))),
            Err(c) => Err(AuthError {
                status: 500,
                message: format!("v2 error {}", c),
            }),
            Ok(()) => Ok(()),
        }
    }

    /// `UpdateUser`: a new password and/or granted and revoked roles.
    pub fn update_user(
        &mut self,
        name: &str,
        password: &str,
        grant: &[String],
        revoke: &[String],
    ) -> Result<User, AuthError> {
        let old = self.get_user(name)?;
        let roles = merge_list(
            &old.roles,
            grant,
            revoke,
            |g| {
                auth_err(
                    409,
                    format!("Granting duplicate role {} for user {}", g, name),
                )
            },
            Some(&|r: &str| {
                auth_err(
                    409,
                    format!("Revoking ungranted role {} for user {}", r, name),
                )
            }),
        )?;
        let new = User {
            user: old.user.clone(),
            password: if password.is_empty() {
                old.password.clone()
            } else {
                hash_password(password)
            },
            roles: Some(roles),
        };
        if new == old && password.is_empty() {
            return Err(auth_err(
                400,
                "User not updated. Use grant/revoke/password to update the user.".to_string(),
            ));
        }
        let json = serde_json::to_string(&new).unwrap_or_default();
        self.set_resource(&format!("/users/{}", name), json, true)
            .map_err(|c| AuthError {
                status: 500,
                message: format!("v2 error {}", c),
            })?;
        Ok(new)
    }

    pub fn create_role(&mut self, name: &str, role: Role) -> Result<(), AuthError> {
        if name == ROOT_ROLE_NAME {
            return Err(auth_err(
                403,
                format!("Cannot modify role {}: is root role.", name),
            ));
        }
        let json = serde_json::to_string(&role).unwrap_or_default();
        match self.set_resource(&format!("/roles/{}", name), json, false) {
            Err(ECODE_NODE_EXIST) => Err(auth_err(409, format!("Role {} already exists.", name))),
            Err(c) => Err(AuthError {
                status: 500,
                message: format!("v2 error {}", c),
            }),
            Ok(()) => Ok(()),
        }
    }

    pub fn delete_role(&mut self, name: &str) -> Result<(), AuthError> {
        if name == ROOT_ROLE_NAME {
            return Err(auth_err(
                403,
                format!("Cannot modify role {}: is root role.", name),
            ));
        }
        match self.delete_resource(&format!("/roles/{}", name)) {
            Err(ECODE_KEY_NOT_FOUND) => Err(auth_err(404, format!("Role {} doesn't exist.", name))),
            Err(c) => Err(AuthError {
                status: 500,
                message: format!("v2 error {}", c),
            }),
            Ok(()) => Ok(()),
        }
    }

    /// `UpdateRole` with a grant or a revoke of key patterns.
    pub fn update_role(
        &mut self,
        name: &str,
        grant: Option<&RwPermission>,
        revoke: Option<&RwPermission>,
    ) -> Result<Role, AuthError> {
        if name == ROOT_ROLE_NAME {
            return Err(auth_err(
                403,
                format!("Cannot modify role {}: is root role.", name),
            ));
        }
        let old = self.get_role(name)?;
        let mut kv = old.permissions.kv.clone();
        if let Some(g) = grant {
            kv.read = Some(merge_list(
                &kv.read,
                g.read.as_deref().unwrap_or(&[]),
                &[],
                |p| auth_err(409, format!("Granting duplicate read permission {}", p)),
                None,
            )?);
            kv.write = Some(merge_list(
                &kv.write,
                g.write.as_deref().unwrap_or(&[]),
                &[],
                |p| auth_err(409, format!("Granting duplicate write permission {}", p)),
                None,
            )?);
        }
        if let Some(r) = revoke {
            kv.read = Some(merge_list(
                &kv.read,
                &[],
                r.read.as_deref().unwrap_or(&[]),
                |_| insufficient_credentials(),
                None,
            )?);
            kv.write = Some(merge_list(
                &kv.write,
                &[],
                r.write.as_deref().unwrap_or(&[]),
                |_| insufficient_credentials(),
                None,
            )?);
        }
        let new = Role {
            role: old.role.clone(),
            permissions: Permissions { kv },
        };
        if new == old {
            return Err(auth_err(
                400,
                "Role not updated. Use grant/revoke to update the role.".to_string(),
            ));
        }
        let json = serde_json::to_string(&new).unwrap_or_default();
        self.set_resource(&format!("/roles/{}", name), json, true)
            .map_err(|c| AuthError {
                status: 500,
                message: format!("v2 error {}", c),
            })?;
        Ok(new)
    }

    pub fn enable_auth(&mut self) -> Result<(), AuthError> {
        if self.auth_enabled() {
            return Err(auth_err(409, "already enabled".to_string()));
        }
        if self.get_user(ROOT_ROLE_NAME).is_err() {
            return Err(auth_err(
                409,
                "No root user available, please create one".to_string(),
            ));
        }
        if self.get_role(GUEST_ROLE_NAME).is_err() {
            self.create_role(GUEST_ROLE_NAME, all_access(GUEST_ROLE_NAME))?;
        }
        self.set_resource("/enabled", "true".to_string(), true)
            .map_err(|c| AuthError {
                status: 500,
                message: format!("v2 error {}", c),
            })
    }

    pub fn disable_auth(&mut self) -> Result<(), AuthError> {
        if !self.auth_enabled() {
            return Err(auth_err(409, "already disabled".to_string()));
        }
        self.set_resource("/enabled", "false".to_string(), true)
            .map_err(|c| AuthError {
                status: 500,
                message: format!("v2 error {}", c),
            })
    }

    /// The user behind basic-auth credentials, if the password is right (`userFromBasicAuth`).
    pub fn authenticate(&self, name: &str, password: &str) -> Option<User> {
        let u = self.get_user(name).ok()?;
        if u.password == hash_password(password) {
            Some(u)
        } else {
            None
        }
    }

    /// `hasRootAccess`.
    pub fn has_root_access(&self, creds: Option<(&str, &str)>) -> bool {
        if !self.auth_enabled() {
            return true;
        }
        let u = match creds.and_then(|(n, p)| self.authenticate(n, p)) {
            Some(u) => u,
            None => return false,
        };
        u.roles.iter().flatten().any(|r| r == ROOT_ROLE_NAME)
    }

    /// `hasKeyPrefixAccess`: `key` is the user key (without the `/1` namespace).
    pub fn has_key_prefix_access(
        &self,
        creds: Option<(&str, &str)>,
        key: &str,
        recursive: bool,
        write: bool,
    ) -> bool {
        if !self.auth_enabled() {
            return true;
        }
        let user = match creds {
            None => {
                return self
                    .get_role(GUEST_ROLE_NAME)
                    .map(|r| r.has_key_access(key, write))
                    .unwrap_or(false);
            }
            Some((n, p)) => match self.authenticate(n, p) {
                Some(u) => u,
                None => return false,
            },
        };
        user.roles
            .iter()
            .flatten()
            .any(|rn| match self.get_role(rn) {
                Ok(role) => {
                    if recursive {
                        role.has_recursive_access(key, write)
                    } else {
                        role.has_key_access(key, write)
                    }
                }
                Err(_) => false,
            })
    }
}

fn attach_root_role(u: &mut User) {
    let roles = u.roles.get_or_insert_with(Vec::new);
    if !roles.iter().any(|r| r == ROOT_ROLE_NAME) {
        roles.push(ROOT_ROLE_NAME.to_string());
    }
}
