//! bcrypt password hashes in the format Go's `golang.org/x/crypto/bcrypt` writes
//! (`$2a$<cost>$<22-char salt><31-char hash>`), built on the `bcrypt` crate's core function.
//! The salt comes from the caller (a seeded RNG), never from the OS.
//!
//! Owns: the hash format. Must not touch: anything else.

use base64::alphabet::BCRYPT;
use base64::engine::general_purpose::NO_PAD;
use base64::engine::GeneralPurpose;
use base64::Engine;

const BCRYPT_B64: GeneralPurpose = GeneralPurpose::new(&BCRYPT, NO_PAD);

/// etcd's default bcrypt cost (`bcrypt.DefaultCost`).
pub const DEFAULT_COST: u32 = 10;

fn raw(password: &[u8], cost: u32, salt: [u8; 16]) -> [u8; 24] {
    // Go's bcrypt hashes at most 72 bytes, NUL-terminated.
    let mut p: Vec<u8> = password.iter().copied().take(72).collect();
    if p.len() < 72 {
        p.push(0);
    }
    bcrypt::bcrypt(cost.clamp(4, 31), salt, &p)
}

/// Hashes `password` with `cost` and `salt`.
pub fn hash(password: &[u8], cost: u32, salt: [u8; 16]) -> String {
    let cost = cost.clamp(4, 31);
    let out = raw(password, cost, salt);
    format!(
        "$2a${:02}${}{}",
        cost,
        BCRYPT_B64.encode(salt),
        BCRYPT_B64.encode(&out[..23])
    )
}

/// Whether `password` matches `hashed` (false for a malformed hash).
pub fn verify(password: &[u8], hashed: &str) -> bool {
    let parts: Vec<&str> = hashed.split('$').collect();
    let [_, _, cost, rest] = parts.as_slice() else {
        return false;
    };
    let Ok(cost) = cost.parse::<u32>() else {
        return false;
    };
    if !(4..=31).contains(&cost) || rest.len() != 53 || !rest.is_ascii() {
        return false;
    }
    let Ok(salt_vec) = BCRYPT_B64.decode(&rest[..22]) else {
        return false;
    };
    let Ok(salt) = <[u8; 16]>::try_from(salt_vec.as_slice()) else {
        return false;
    };
    hash(password, cost, salt) == hashed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let h = hash(b"secret", 4, [7; 16]);
        assert!(h.starts_with("$2a$04$"));
        assert_eq!(h.len(), 60);
        assert!(verify(b"secret", &h));
        assert!(!verify(b"wrong", &h));
        assert!(!verify(b"secret", "garbage"));
        assert!(!verify(b"secret", "$2a$99$xx"));
    }

    #[test]
    fn known_vector() {
        // The classic OpenBSD/John-the-Ripper test vector.
        assert!(verify(
            b"U*U",
            "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"
        ));
    }
}
