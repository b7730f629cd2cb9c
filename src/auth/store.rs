//! `AuthStore`: users, roles, permissions, enable/disable, simple tokens (etcd's
//! `auth/store.go`).
//!
//! Rules kept from etcd 3.4: auth can be enabled only when the user `root` exists and has the
//! role `root` (the role `root` may be granted without being created; etcdctl creates it);
//! enabling an enabled store or disabling a disabled one is not an error; while auth is on,
//! `root` cannot be deleted, the role `root` cannot be deleted nor revoked from `root`;
//! granting a role a user already has changes nothing; a role's permissions stay sorted by key,
//! and granting the same `[key, range_end)` again only changes its type. Passwords are bcrypt
//! hashes (cost 10 as etcd by default; the salt comes from a seeded RNG).
//!
//! Tokens are etcd's simple tokens, `<16 letters>.<index>`: the letters come from an RNG
//! seeded with the store's state, so every member applying the same log hands out the same
//! token. (etcd 3.4 rejects a token issued before the last auth change with "revision of auth
//! store is old" and clientv3 silently re-authenticates; that round trip is not simulated.)
//!
//! Owns: the auth state. Must not touch: the KV store, the clock, the OS RNG.

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::error::Error;
use super::password;
use super::range_perm::{contains_point, covers_range, KeyInterval};
use crate::api::{AuthRequest, AuthResponse, Permission, PermissionType, ResponseHeader};
use crate::sort::Inserted;

pub const ROOT_USER: &str = "root";
pub const ROOT_ROLE: &str = "root";

/// `authpb.User`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub name: String,
    /// bcrypt hash; `None` for a user added with `--no-password`.
    pub password: Option<String>,
    /// Sorted, without duplicates.
    pub roles: Vec<String>,
    pub no_password: bool,
}

/// `authpb.Permission` as stored: type 0 read, 1 write, 2 readwrite.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredPermission {
    pub perm_type: u8,
    pub key: Vec<u8>,
    pub range_end: Vec<u8>,
}

impl StoredPermission {
    fn to_api(&self) -> Permission {
        let perm_type = match self.perm_type {
            0 => PermissionType::Read,
            1 => PermissionType::Write,
            _ => PermissionType::ReadWrite,
        };
        Permission {
            perm_type,
            key: self.key.clone(),
            range_end: self.range_end.clone(),
        }
    }

    fn reads(&self) -> bool {
        self.perm_type != 1
    }

    fn writes(&self) -> bool {
        self.perm_type != 0
    }
}

/// `authpb.Role`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub name: String,
    /// Sorted by key.
    pub perms: Vec<StoredPermission>,
}

/// The auth store of one member.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AuthStore {
    enabled: bool,
    users: BTreeMap<String, User>,
    roles: BTreeMap<String, Role>,
    /// Bumped by every change (etcd's auth revision).
    revision: u64,
    /// Simple token → user name.
    tokens: BTreeMap<String, String>,
    /// Counts tokens handed out (for token letters and, without a Raft index, the suffix).
    token_seq: u64,
    bcrypt_cost: u32,
    /// Passwords already checked against a hash: a pure speed-up for bcrypt (slow in wasm).
    #[serde(skip)]
    verified: BTreeMap<String, (String, String)>,
}

impl Default for AuthStore {
    fn default() -> Self {
        AuthStore {
            enabled: false,
            users: BTreeMap::new(),
            roles: BTreeMap::new(),
            revision: 1,
            tokens: BTreeMap::new(),
            token_seq: 0,
            bcrypt_cost: password::DEFAULT_COST,
            verified: BTreeMap::new(),
        }
    }
}

impl PartialEq for AuthStore {
    fn eq(&self, o: &Self) -> bool {
        self.enabled == o.enabled
            && self.users == o.users
            && self.roles == o.roles
            && self.revision == o.revision
            && self.tokens == o.tokens
    }
}

fn seed_of(parts: &[&[u8]]) -> u64 {
    // FNV-1a over the parts: a stable seed, the same on every member.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.iter() {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn has_root_role(u: &User) -> bool {
    u.roles.iter().any(|r| r == ROOT_ROLE)
}

impl AuthStore {
    pub fn new() -> Self {
        AuthStore::default()
    }

    /// Sets the bcrypt cost (4..=31; etcd's default is 10). Tests use 4 to stay fast.
    pub fn set_bcrypt_cost(&mut self, cost: u32) {
        self.bcrypt_cost = cost.clamp(4, 31);
    }

    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The store a backend file holds: its flag, revision, users and roles (no tokens).
    pub fn restored(enabled: bool, revision: u64, users: Vec<User>, roles: Vec<Role>) -> Self {
        AuthStore {
            enabled,
            revision,
            users: users.into_iter().map(|u| (u.name.clone(), u)).btree_map(),
            roles: roles.into_iter().map(|r| (r.name.clone(), r)).btree_map(),
            ..AuthStore::default()
        }
    }

    /// The users, by name.
    pub fn users(&self) -> impl Iterator<Item = &User> {
        self.users.values()
    }

    /// The roles, by name.
    pub fn roles(&self) -> impl Iterator<Item = &Role> {
        self.roles.values()
    }

    /// How many users and roles there are.
    pub fn users_and_roles(&self) -> usize {
        self.users.len() + self.roles.len()
    }

    pub fn user(&self, name: &str) -> Option<&User> {
        self.users.get(name)
    }

    pub fn role(&self, name: &str) -> Option<&Role> {
        self.roles.get(name)
    }

    fn commit(&mut self) {
        self.revision = self.revision.saturating_add(1);
    }

    /// Adds a user with its password's hash (`None`: `--no-password`).
    fn user_add(&mut self, name: &str, hash: Option<String>) -> Result<(), Error> {
        if name.is_empty() {
            return Err(Error::UserEmpty);
        }
        if self.users.contains_key(name) {
            return Err(Error::UserAlreadyExist);
        }
        self.users.insert(
            name.to_string(),
            User {
                name: name.to_string(),
                no_password: hash.is_none(),
                password: hash,
                roles: Vec::new(),
            },
        );
        self.commit();
        Ok(())
    }

    /// Sets a user's password hash; its tokens end.
    fn change_password(&mut self, name: &str, hash: String) -> Result<(), Error> {
        let u = self.users.get_mut(name).ok_or(Error::UserNotFound)?;
        u.password = Some(hash);
        self.tokens.retain(|_, u| u != name);
        self.commit();
        Ok(())
    }

    /// What a member proposes in place of a request that carries a password: the same
    /// request with the password's bcrypt hash (salted as the apply would salt it now), so
    /// that the log never holds the password. Other requests are returned as they are.
    pub fn seal(&self, req: AuthRequest) -> AuthRequest {
        match req {
            AuthRequest::UserAdd {
                name,
                password,
                no_password: false,
            } => AuthRequest::UserAddHashed {
                hashed_password: self.hash_password(&name, &password),
                name,
            },
            AuthRequest::UserChangePassword { name, password } => {
                AuthRequest::UserChangePasswordHashed {
                    hashed_password: self.hash_password(&name, &password),
                    name,
                }
            }
            AuthRequest::Authenticate { name, .. } => AuthRequest::AuthenticateChecked { name },
            other => other,
        }
    }

    fn hash_password(&self, name: &str, password: &str) -> String {
        let mut rng = ChaCha8Rng::seed_from_u64(seed_of(&[
            name.as_bytes(),
            &self.revision.to_be_bytes(),
            b"salt",
        ]));
        let salt: [u8; 16] = rng.gen();
        password::hash(password.as_bytes(), self.bcrypt_cost, salt)
    }

    /// Checks a user's password (etcd's `CheckPassword`).
    pub fn check_password(&mut self, name: &str, pw: &str) -> Result<(), Error> {
        if !self.enabled {
            return Err(Error::AuthNotEnabled);
        }
        let user = self.users.get(name).ok_or(Error::AuthFailed)?;
        if user.no_password {
            return Err(Error::AuthFailed);
        }
        let hash = user.password.clone().unwrap_or_default();
        if let Some((h, p)) = self.verified.get(name) {
            if *h == hash && p == pw {
                return Ok(());
            }
        }
        if password::verify(pw.as_bytes(), &hash) {
            self.verified
                .insert(name.to_string(), (hash, pw.to_string()));
            Ok(())
        } else {
            Err(Error::AuthFailed)
        }
    }

    /// Authenticates and hands out a simple token. `index` is the Raft index of the entry
    /// (0: use an internal counter).
    pub fn authenticate(&mut self, name: &str, pw: &str, index: u64) -> Result<String, Error> {
        self.check_password(name, pw)?;
        self.hand_out_token(name, index)
    }

    /// Hands out a simple token to a user whose password was checked before the request was
    /// proposed (it may have been deleted, or its password taken away, since).
    fn hand_out_token(&mut self, name: &str, index: u64) -> Result<String, Error> {
        if !self.enabled {
            return Err(Error::AuthNotEnabled);
        }
        match self.users.get(name) {
            Some(u) if !u.no_password => {}
            _ => return Err(Error::AuthFailed),
        }
        self.token_seq = self.token_seq.saturating_add(1);
        let mut rng = ChaCha8Rng::seed_from_u64(seed_of(&[
            name.as_bytes(),
            &self.token_seq.to_be_bytes(),
            &self.revision.to_be_bytes(),
        ]));
        let letters: String = (0..16)
            .map(|_| {
                let i: u8 = rng.gen_range(0..52);
                if i < 26 {
                    char::from(b'a' + i)
                } else {
                    char::from(b'A' + (i - 26))
                }
            })
            .collect();
        let idx = if index == 0 { self.token_seq } else { index };
        let mut token = format!("{letters}.{idx}");
        while self.tokens.contains_key(&token) {
            token.push('x');
        }
        self.tokens.insert(token.clone(), name.to_string());
        Ok(token)
    }

    /// The user a request comes from. `Ok(None)`: auth is off, nothing to check.
    /// `Ok(Some(""))`: auth is on and no token was given.
    pub fn user_of(&self, token: Option<&str>) -> Result<Option<String>, Error> {
        if !self.enabled {
            return Ok(None);
        }
        match token {
            None | Some("") => Ok(Some(String::new())),
            Some(t) => self
                .tokens
                .get(t)
                .cloned()
                .map(Some)
                .ok_or(Error::InvalidAuthToken),
        }
    }

    fn merged(&self, user: &User, write: bool) -> Vec<KeyInterval> {
        let mut out = Vec::new();
        for rn in &user.roles {
            if let Some(r) = self.roles.get(rn) {
                for p in &r.perms {
                    if (write && p.writes()) || (!write && p.reads()) {
                        out.push(KeyInterval::from_permission(&p.key, &p.range_end));
                    }
                }
            }
        }
        out
    }

    /// etcd's `isOpPermitted`: may `user` read (`write` false) or write `[key, range_end)`?
    pub fn is_op_permitted(
        &self,
        user: &str,
        key: &[u8],
        range_end: &[u8],
        write: bool,
    ) -> Result<(), Error> {
        if !self.enabled {
            return Ok(());
        }
        if user.is_empty() {
            return Err(Error::UserEmpty);
        }
        let u = self.users.get(user).ok_or(Error::PermissionDenied)?;
        if has_root_role(u) {
            return Ok(());
        }
        let perms = self.merged(u, write);
        let ok = if range_end.is_empty() {
            contains_point(&perms, key)
        } else {
            covers_range(&perms, key, range_end)
        };
        if ok {
            Ok(())
        } else {
            Err(Error::PermissionDenied)
        }
    }

    /// etcd's `IsAdminPermitted`.
    pub fn is_admin_permitted(&self, user: &str) -> Result<(), Error> {
        if !self.enabled {
            return Ok(());
        }
        if user.is_empty() {
            return Err(Error::UserEmpty);
        }
        let u = self.users.get(user).ok_or(Error::UserNotFound)?;
        if has_root_role(u) {
            Ok(())
        } else {
            Err(Error::PermissionDenied)
        }
    }

    pub fn has_role(&self, user: &str, role: &str) -> bool {
        self.users
            .get(user)
            .map(|u| u.roles.iter().any(|r| r == role))
            .unwrap_or(false)
    }

    /// Answers a read (user get/list, role get/list) without changing anything.
    pub fn read(&self, req: &AuthRequest) -> Result<AuthResponse, Error> {
        let h = ResponseHeader::default();
        match req {
            AuthRequest::UserGet { name } => {
                let u = self.users.get(name).ok_or(Error::UserNotFound)?;
                Ok(AuthResponse::UserGet {
                    header: h,
                    roles: u.roles.clone(),
                })
            }
            AuthRequest::Status => Ok(AuthResponse::Status {
                header: h,
                enabled: self.enabled,
                auth_revision: self.revision(),
            }),
            AuthRequest::UserList => Ok(AuthResponse::UserList {
                header: h,
                users: self.users.keys().cloned().collect(),
            }),
            AuthRequest::RoleGet { role } => {
                let r = self.roles.get(role).ok_or(Error::RoleNotFound)?;
                Ok(AuthResponse::RoleGet {
                    header: h,
                    perm: r.perms.iter().map(StoredPermission::to_api).collect(),
                })
            }
            AuthRequest::RoleList => Ok(AuthResponse::RoleList {
                header: h,
                roles: self.roles.keys().cloned().collect(),
            }),
            _ => Err(Error::NotARead),
        }
    }

    /// Applies one auth request (everything but `Authenticate`, which needs the index: see
    /// [`AuthStore::authenticate`]). The header is left for the caller to fill.
    pub fn apply(&mut self, req: &AuthRequest, index: u64) -> Result<AuthResponse, Error> {
        let done = Ok(AuthResponse::Done(ResponseHeader::default()));
        match req {
            AuthRequest::Enable => {
                if self.enabled {
                    return done;
                }
                let root = self.users.get(ROOT_USER).ok_or(Error::RootUserNotExist)?;
                if !has_root_role(root) {
                    return Err(Error::RootRoleNotExist);
                }
                self.enabled = true;
                done
            }
            AuthRequest::Disable => {
                if self.enabled {
                    self.enabled = false;
                    self.tokens.clear();
                    self.commit();
                }
                done
            }
            AuthRequest::Authenticate { name, password } => {
                let token = self.authenticate(name, password, index)?;
                Ok(AuthResponse::Authenticate {
                    header: ResponseHeader::default(),
                    token,
                })
            }
            AuthRequest::UserAdd {
                name,
                password,
                no_password,
            } => {
                let hash = (!*no_password).then(|| self.hash_password(name, password));
                self.user_add(name, hash)?;
                done
            }
            AuthRequest::UserAddHashed {
                name,
                hashed_password,
            } => {
                self.user_add(name, Some(hashed_password.clone()))?;
                done
            }
            AuthRequest::AuthenticateChecked { name } => {
                let token = self.hand_out_token(name, index)?;
                Ok(AuthResponse::Authenticate {
                    header: ResponseHeader::default(),
                    token,
                })
            }
            AuthRequest::UserGet { .. }
            | AuthRequest::UserList
            | AuthRequest::RoleGet { .. }
            | AuthRequest::RoleList
            | AuthRequest::Status => self.read(req),
            AuthRequest::UserDelete { name } => {
                if self.enabled && name == ROOT_USER {
                    return Err(Error::InvalidAuthMgmt);
                }
                self.users.remove(name).ok_or(Error::UserNotFound)?;
                self.tokens.retain(|_, u| u != name);
                self.verified.remove(name);
                self.commit();
                done
            }
            AuthRequest::UserChangePassword { name, password } => {
                if !self.users.contains_key(name) {
                    return Err(Error::UserNotFound);
                }
                let hash = self.hash_password(name, password);
                self.change_password(name, hash)?;
                done
            }
            AuthRequest::UserChangePasswordHashed {
                name,
                hashed_password,
            } => {
                self.change_password(name, hashed_password.clone())?;
                done
            }
            AuthRequest::UserGrantRole { user, role } => {
                if !self.users.contains_key(user) {
                    return Err(Error::UserNotFound);
                }
                if role != ROOT_ROLE && !self.roles.contains_key(role) {
                    return Err(Error::RoleNotFound);
                }
                let Some(u) = self.users.get_mut(user) else {
                    return Err(Error::UserNotFound);
                };
                if let Err(pos) = u.roles.binary_search(role) {
                    u.roles.insert(pos, role.clone());
                    self.commit();
                }
                done
            }
            AuthRequest::UserRevokeRole { name, role } => {
                if self.enabled && name == ROOT_USER && role == ROOT_ROLE {
                    return Err(Error::InvalidAuthMgmt);
                }
                let u = self.users.get_mut(name).ok_or(Error::UserNotFound)?;
                let before = u.roles.len();
                u.roles.retain(|r| r != role);
                if u.roles.len() == before {
                    return Err(Error::RoleNotGranted);
                }
                self.commit();
                done
            }
            AuthRequest::RoleAdd { name } => {
                if name.is_empty() {
                    return Err(Error::RoleEmpty);
                }
                if self.roles.contains_key(name) {
                    return Err(Error::RoleAlreadyExist);
                }
                self.roles.insert(
                    name.clone(),
                    Role {
                        name: name.clone(),
                        perms: Vec::new(),
                    },
                );
                self.commit();
                done
            }
            AuthRequest::RoleDelete { role } => {
                if self.enabled && role == ROOT_ROLE {
                    return Err(Error::InvalidAuthMgmt);
                }
                self.roles.remove(role).ok_or(Error::RoleNotFound)?;
                for u in self.users.values_mut() {
                    u.roles.retain(|r| r != role);
                }
                self.commit();
                done
            }
            AuthRequest::RoleGrantPermission { name, perm } => {
                let r = self.roles.get_mut(name).ok_or(Error::RoleNotFound)?;
                let perm_type = match perm.perm_type {
                    PermissionType::Read => 0,
                    PermissionType::Write => 1,
                    PermissionType::ReadWrite => 2,
                };
                let idx = r.perms.partition_point(|p| p.key < perm.key);
                match r.perms.get_mut(idx) {
                    Some(p) if p.key == perm.key && p.range_end == perm.range_end => {
                        p.perm_type = perm_type
                    }
                    _ => {
                        r.perms.push(StoredPermission {
                            perm_type,
                            key: perm.key.clone(),
                            range_end: perm.range_end.clone(),
                        });
                        // Go's sort.Sort on a nearly sorted slice: a stable sort by key gives
                        // the same order here.
                        crate::sort::sort_by(&mut r.perms, |a, b| a.key.cmp(&b.key));
                    }
                }
                self.commit();
                done
            }
            AuthRequest::RoleRevokePermission {
                role,
                key,
                range_end,
            } => {
                let r = self.roles.get_mut(role).ok_or(Error::RoleNotFound)?;
                let before = r.perms.len();
                r.perms
                    .retain(|p| !(p.key == *key && p.range_end == *range_end));
                if r.perms.len() == before {
                    return Err(Error::PermissionNotGranted);
                }
                self.commit();
                done
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> AuthStore {
        let mut a = AuthStore::new();
        a.set_bcrypt_cost(4);
        a
    }

    fn ok(a: &mut AuthStore, r: AuthRequest) {
        a.apply(&r, 0).unwrap();
    }

    #[test]
    fn sealed_requests_carry_no_password_and_work_as_the_plain_ones() {
        let mut a = store();
        let secret = "Sup3r-secret";
        let add = a.seal(AuthRequest::UserAdd {
            name: "root".into(),
            password: secret.into(),
            no_password: false,
        });
        let grant = AuthRequest::UserGrantRole {
            user: "root".into(),
            role: "root".into(),
        };
        for r in [add, grant, AuthRequest::Enable] {
            assert!(!format!("{r:?}").contains(secret), "{r:?}");
            ok(&mut a, r);
        }
        let auth = a.seal(AuthRequest::Authenticate {
            name: "root".into(),
            password: secret.into(),
        });
        assert!(!format!("{auth:?}").contains(secret));
        assert!(a.check_password("root", secret).is_ok());
        assert!(a.check_password("root", "wrong").is_err());
        assert!(matches!(
            a.apply(&auth, 7),
            Ok(AuthResponse::Authenticate { .. })
        ));
        let change = a.seal(AuthRequest::UserChangePassword {
            name: "root".into(),
            password: "other".into(),
        });
        assert!(!format!("{change:?}").contains("other"));
        ok(&mut a, change);
        assert!(a.check_password("root", "other").is_ok());
        assert!(a.check_password("root", secret).is_err());
        // a user without a password gets no token from a sealed Authenticate
        ok(
            &mut a,
            AuthRequest::UserAdd {
                name: "np".into(),
                password: String::new(),
                no_password: true,
            },
        );
        let np = AuthRequest::AuthenticateChecked { name: "np".into() };
        assert_eq!(a.apply(&np, 8), Err(Error::AuthFailed));
    }

    #[test]
    fn enable_needs_root_with_root_role() {
        let mut a = store();
        assert_eq!(
            a.apply(&AuthRequest::Enable, 0),
            Err(Error::RootUserNotExist)
        );
        ok(
            &mut a,
            AuthRequest::UserAdd {
                name: "root".into(),
                password: "secret".into(),
                no_password: false,
            },
        );
        assert_eq!(
            a.apply(&AuthRequest::Enable, 0),
            Err(Error::RootRoleNotExist)
        );
        ok(
            &mut a,
            AuthRequest::UserGrantRole {
                user: "root".into(),
                role: "root".into(),
            },
        );
        ok(&mut a, AuthRequest::Enable);
        ok(&mut a, AuthRequest::Enable);
        assert_eq!(
            a.apply(
                &AuthRequest::UserDelete {
                    name: "root".into()
                },
                0
            ),
            Err(Error::InvalidAuthMgmt)
        );
        assert_eq!(a.authenticate("root", "wrong", 0), Err(Error::AuthFailed));
        let t = a.authenticate("root", "secret", 22).unwrap();
        assert!(t.ends_with(".22"));
        assert_eq!(a.user_of(Some(&t)).unwrap().as_deref(), Some("root"));
        assert_eq!(a.user_of(Some("bogus.1")), Err(Error::InvalidAuthToken));
        assert_eq!(a.user_of(None).unwrap().as_deref(), Some(""));
        ok(&mut a, AuthRequest::Disable);
        ok(&mut a, AuthRequest::Disable);
        assert_eq!(a.user_of(Some(&t)).unwrap(), None);
        assert_eq!(
            a.authenticate("root", "secret", 0),
            Err(Error::AuthNotEnabled)
        );
    }

    #[test]
    fn permissions_sorted_and_merged() {
        let mut a = store();
        ok(&mut a, AuthRequest::RoleAdd { name: "r".into() });
        let grant = |t, k: &str, e: &str| AuthRequest::RoleGrantPermission {
            name: "r".into(),
            perm: Permission {
                perm_type: t,
                key: k.as_bytes().to_vec(),
                range_end: e.as_bytes().to_vec(),
            },
        };
        ok(&mut a, grant(PermissionType::Read, "/config", "/configz"));
        ok(&mut a, grant(PermissionType::Read, "/app/", "/app0"));
        ok(&mut a, grant(PermissionType::ReadWrite, "/app/", "/app0"));
        let r = a.role("r").unwrap();
        assert_eq!(r.perms.len(), 2);
        assert_eq!(r.perms[0].key, b"/app/");
        assert_eq!(r.perms[0].perm_type, 2);
        ok(
            &mut a,
            AuthRequest::UserAdd {
                name: "u".into(),
                password: "p".into(),
                no_password: false,
            },
        );
        ok(
            &mut a,
            AuthRequest::UserGrantRole {
                user: "u".into(),
                role: "r".into(),
            },
        );
        ok(
            &mut a,
            AuthRequest::UserAdd {
                name: "root".into(),
                password: "p".into(),
                no_password: false,
            },
        );
        ok(
            &mut a,
            AuthRequest::UserGrantRole {
                user: "root".into(),
                role: "root".into(),
            },
        );
        ok(&mut a, AuthRequest::Enable);
        assert!(a.is_op_permitted("u", b"/app/x", b"", true).is_ok());
        assert_eq!(
            a.is_op_permitted("u", b"/config", b"", true),
            Err(Error::PermissionDenied)
        );
        assert!(a.is_op_permitted("u", b"/config", b"", false).is_ok());
        assert_eq!(
            a.is_op_permitted("", b"/config", b"", false),
            Err(Error::UserEmpty)
        );
        assert_eq!(a.is_admin_permitted("u"), Err(Error::PermissionDenied));
        assert!(a.is_admin_permitted("root").is_ok());
        assert_eq!(
            a.apply(
                &AuthRequest::UserRevokeRole {
                    name: "u".into(),
                    role: "nope".into()
                },
                0
            ),
            Err(Error::RoleNotGranted)
        );
        assert_eq!(
            a.apply(
                &AuthRequest::RoleRevokePermission {
                    role: "r".into(),
                    key: b"/x".to_vec(),
                    range_end: vec![]
                },
                0
            ),
            Err(Error::PermissionNotGranted)
        );
        ok(&mut a, AuthRequest::RoleDelete { role: "r".into() });
        assert!(a.user("u").unwrap().roles.is_empty());
    }
}
