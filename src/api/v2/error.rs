//! v2 errors: etcd's numbered error codes with their fixed messages (`v2error` in etcd 3.4).
//!
//! An error carries the code, the message belonging to that code, a cause (usually the key)
//! and the store index at the time of the error; etcdctl prints it as
//! `<code>: <message> (<cause>) [<index>]`.

use std::fmt;

pub const ECODE_KEY_NOT_FOUND: u32 = 100;
pub const ECODE_TEST_FAILED: u32 = 101;
pub const ECODE_NOT_FILE: u32 = 102;
pub const ECODE_NOT_DIR: u32 = 104;
pub const ECODE_NODE_EXIST: u32 = 105;
pub const ECODE_ROOT_R_ONLY: u32 = 107;
pub const ECODE_DIR_NOT_EMPTY: u32 = 108;
pub const ECODE_UNAUTHORIZED: u32 = 110;
pub const ECODE_PREV_VALUE_REQUIRED: u32 = 201;
pub const ECODE_TTL_NAN: u32 = 202;
pub const ECODE_INDEX_NAN: u32 = 203;
pub const ECODE_INVALID_FIELD: u32 = 209;
pub const ECODE_INVALID_FORM: u32 = 210;
pub const ECODE_REFRESH_VALUE: u32 = 211;
pub const ECODE_REFRESH_TTL_REQUIRED: u32 = 212;
pub const ECODE_RAFT_INTERNAL: u32 = 300;
pub const ECODE_LEADER_ELECT: u32 = 301;
pub const ECODE_WATCHER_CLEARED: u32 = 400;
pub const ECODE_EVENT_INDEX_CLEARED: u32 = 401;

/// The fixed message of an error code, as etcd 3.4 words it.
pub fn message(code: u32) -> &'static str {
    match code {
        100 => "Key not found",
        101 => "Compare failed",
        102 => "Not a file",
        103 => "Reached the max number of peers in the cluster",
        104 => "Not a directory",
        105 => "Key already exists",
        106 => "The prefix of given key is a keyword in etcd",
        107 => "Root is read only",
        108 => "Directory not empty",
        109 => "Peer address has existed",
        110 => "The request requires user authentication",
        200 => "Value is Required in POST form",
        201 => "PrevValue is Required in POST form",
        202 => "The given TTL in POST form is not a number",
        203 => "The given index in POST form is not a number",
        204 => "Value or TTL is required in POST form",
        205 => "The given timeout in POST form is not a number",
        206 => "Name is required in POST form",
        207 => "Index or value is required",
        208 => "Index and value cannot both be specified",
        209 => "Invalid field",
        210 => "Invalid POST form",
        211 => "Value provided on refresh",
        212 => "A TTL must be provided on refresh",
        300 => "Raft Internal Error",
        301 => "During Leader Election",
        400 => "watcher is cleared due to etcd recovery",
        401 => "The event in requested index is outdated and cleared",
        402 => "Standby Internal Error",
        403 => "Invalid active size",
        404 => "Standby remove delay",
        500 => "Client Internal Error",
        _ => "",
    }
}

/// One v2 error (`v2error.Error`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct V2Error {
    pub error_code: u32,
    pub message: String,
    pub cause: String,
    pub index: u64,
}

impl V2Error {
    pub fn new(error_code: u32, cause: impl Into<String>, index: u64) -> V2Error {
        V2Error {
            error_code,
            message: message(error_code).to_string(),
            cause: cause.into(),
            index,
        }
    }
}

/// The client's rendering (`client.Error`): `100: Key not found (/foo) [7]`.
impl fmt::Display for V2Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} ({}) [{}]",
            self.error_code, self.message, self.cause, self.index
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_match_etcd() {
        assert_eq!(
            V2Error::new(100, "/missing", 11).to_string(),
            "100: Key not found (/missing) [11]"
        );
        assert_eq!(
            V2Error::new(105, "/message", 9).to_string(),
            "105: Key already exists (/message) [9]"
        );
        assert_eq!(
            V2Error::new(101, "[free != taken]", 9).to_string(),
            "101: Compare failed ([free != taken]) [9]"
        );
        assert_eq!(
            V2Error::new(102, "/services/cache", 12).to_string(),
            "102: Not a file (/services/cache) [12]"
        );
        assert_eq!(
            V2Error::new(104, "/f1", 11).to_string(),
            "104: Not a directory (/f1) [11]"
        );
        assert_eq!(
            V2Error::new(107, "/", 9).to_string(),
            "107: Root is read only (/) [9]"
        );
        assert_eq!(
            V2Error::new(108, "/services/web", 13).to_string(),
            "108: Directory not empty (/services/web) [13]"
        );
        assert_eq!(
            V2Error::new(110, "Insufficient credentials", 0).to_string(),
            "110: The request requires user authentication (Insufficient credentials) [0]"
        );
        assert_eq!(
            V2Error::new(401, "the requested history has been cleared [1008/7]", 2008).to_string(),
            "401: The event in requested index is outdated and cleared (the requested history has been cleared [1008/7]) [2008]"
        );
    }
}
