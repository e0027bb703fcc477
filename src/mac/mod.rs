//! HMAC (RFC 2104) with precomputed inner and outer states, over the raw SHA-1, SHA-256 and
//! SHA-512 compression functions of the RustCrypto `sha1`/`sha2` crates (SHA-NI or other
//! hardware support is used by those crates when the CPU has it).
//!
//! Why not the `hmac` crate on the hot paths: a keyed [`HmacKey`] here is two chaining states
//! (inner `H(K ^ ipad)` and outer `H(K ^ opad)`) computed once when a key is set up, so an
//! operation never re-keys, and iterating HMAC over its own output (PBKDF2, see
//! [`HmacKey::iterate`]) is exactly two compressions per round with nothing else in the loop.
//! The states are zeroized on drop. The tests check this module against the `hmac` crate and
//! against the RFC 4231 / RFC 2202 vectors.
//!
//! Three files: `sha` (the [`Algorithm`] trait, [`Sha1`], [`Sha256`], [`Sha512`], [`Hasher`],
//! [`hash`]), `hmac` ([`HmacKey`]: keying, one message, PBKDF2's [`HmacKey::iterate`]) and
//! `lanes` (batches: [`HmacKey::mac_pair`], [`HmacKey::mac_blocks`]), portable code. A fourth,
//! `shani`, interleaves the SHA-256 compressions of up to four independent states on SHA-NI
//! (multi-block PBKDF2), with the portable path as its fallback. Every item is used through
//! this module (`crate::mac::…`).

use subtle::ConstantTimeEq;

mod hmac;
mod lanes;
mod sha;
// The SHA-NI kernels: the one place outside `src/ffi` where `unsafe` is allowed (intrinsics).
#[allow(unsafe_code)]
pub(crate) mod shani;

pub use self::hmac::HmacKey;
pub use self::sha::{Algorithm, Hasher, Sha1, Sha256, Sha512, hash};

/// Constant-time equality of two byte strings (the lengths are not secret).
#[must_use]
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_eq() {
        assert!(ct_eq(b"abc", b"abc"));
        assert!(!ct_eq(b"abc", b"abd"));
        assert!(!ct_eq(b"abc", b"ab"));
    }
}
