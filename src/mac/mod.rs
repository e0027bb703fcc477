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
//! `shani`, interleaves the SHA-256 (and, in `shani::sha1`, SHA-1) compressions of up to four
//! independent states on SHA-NI (multi-block PBKDF2; SHA-1's [`Algorithm::compress_lanes`]
//! for the TOTP/HOTP window), with the portable path as its fallback. Every item is used
//! through this module (`crate::mac::…`).

mod hmac;
mod lanes;
mod sha;
// The SHA-NI kernels: the one place outside `src/ffi` where `unsafe` is allowed (intrinsics).
#[allow(unsafe_code)]
pub(crate) mod shani;

pub use self::hmac::HmacKey;
pub use self::sha::{Algorithm, Hasher, Sha1, Sha256, Sha512, hash};

/// Constant-time equality of two byte strings (the lengths are not secret): the differences
/// are ORed together and pass one optimisation barrier before the one comparison. (`subtle`'s
/// slice comparison passes every byte's result through its own barrier, a store and a load
/// each: issue 23.)
#[must_use]
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let d = a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y));
    core::hint::black_box(d) == 0
}

/// All ones if `a == b`, else 0, without a branch or a table on the values: the difference is
/// folded into its top bit and passes one optimisation barrier, so the compiler cannot turn
/// the masks computed from it into branches (the TOTP/HOTP window scan, `crate::totp::scan`;
/// link tags and issue ids as 40-bit numbers, `crate::link`).
#[must_use]
#[inline(always)]
pub(crate) fn eq_mask(a: u64, b: u64) -> u64 {
    let d = a ^ b;
    // d | -d has its top bit set exactly when d ≠ 0.
    let ne = core::hint::black_box((d | d.wrapping_neg()) >> 63);
    ne.wrapping_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_eq() {
        assert!(ct_eq(b"abc", b"abc"));
        assert!(!ct_eq(b"abc", b"abd"));
        assert!(!ct_eq(b"abc", b"ab"));
        assert!(ct_eq(b"", b""));
        // Every single-bit difference at every position, against `==`.
        let a = [0x5a_u8; 17];
        for i in 0..a.len() {
            for bit in 0..8 {
                let mut b = a;
                b[i] ^= 1 << bit;
                assert!(!ct_eq(&a, &b), "{i} {bit}");
                assert!(!ct_eq(&b, &a), "{i} {bit}");
            }
        }
    }

    #[test]
    fn eq_mask_is_all_ones_exactly_when_equal() {
        let edges =
            [0u64, 1, 2, 0x7fff_ffff, 0x8000_0000, 999_999, 1 << 40, 1 << 63, (1 << 63) + 1, u64::MAX];
        for &a in &edges {
            for &b in &edges {
                assert_eq!(eq_mask(a, b), if a == b { u64::MAX } else { 0 }, "{a} {b}");
            }
            for bit in 0..64 {
                assert_eq!(eq_mask(a, a ^ (1 << bit)), 0, "{a} {bit}");
            }
        }
        let mut x = 7u64;
        for _ in 0..10_000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let (a, b) = (x >> 32, x & 0xffff_ffff);
            assert_eq!(eq_mask(a, b), if a == b { u64::MAX } else { 0 });
            assert_eq!(eq_mask(a, a), u64::MAX);
        }
    }
}
