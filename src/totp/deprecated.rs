//! The earlier names of the code and verify functions: `totp::totp_code` and friends repeat
//! the module's name, and put TOTP and HOTP side by side where a newcomer picks the wrong one.
//! The documented names are [`time::code`](super::time::code),
//! [`time::verify`](super::time::verify), [`hotp::code`](super::hotp::code) and
//! [`hotp::verify`](super::hotp::verify); these aliases call them and will be removed in a later
//! 0.x release.

use super::{Algorithm, Code, Params, hotp, time};
use crate::blob::STATE_BYTES;
use crate::context::Context;
use crate::error::Result;

/// Old name of [`time::code`].
///
/// # Errors
/// As [`time::code`].
#[deprecated(note = "use `totp::time::code`")]
pub fn totp_code(secret: &[u8], params: &Params, now: u64) -> Result<Code> {
    time::code(secret, params, now)
}

/// Old name of [`time::verify`].
///
/// # Errors
/// As [`time::verify`].
#[deprecated(note = "use `totp::time::verify`")]
pub fn totp_verify(
    ctx: &Context,
    secret: &[u8],
    params: &Params,
    code: &str,
    now: u64,
    state: &mut [u8; STATE_BYTES],
) -> Result<i32> {
    time::verify(ctx, secret, params, code, now, state)
}

/// Old name of [`hotp::code`].
///
/// # Errors
/// As [`hotp::code`].
#[deprecated(note = "use `totp::hotp::code`")]
pub fn hotp_code(secret: &[u8], algorithm: Algorithm, digits: u32, counter: u64) -> Result<Code> {
    hotp::code(secret, algorithm, digits, counter)
}

/// Old name of [`hotp::verify`].
///
/// # Errors
/// As [`hotp::verify`].
#[deprecated(note = "use `totp::hotp::verify`")]
pub fn hotp_verify(
    ctx: &Context,
    secret: &[u8],
    algorithm: Algorithm,
    digits: u32,
    code: &str,
    now: u64,
    state: &mut [u8; STATE_BYTES],
) -> Result<u64> {
    hotp::verify(ctx, secret, algorithm, digits, code, now, state)
}

#[cfg(test)]
mod tests {
    #![allow(deprecated)]
    use super::*;

    /// The old names still answer exactly as the new ones.
    #[test]
    fn old_names_call_the_new_ones() {
        let secret = b"12345678901234567890";
        let ctx = Context::new(&[7; 32], 0).unwrap();
        let p = Params::default();
        assert_eq!(super::super::totp_code(secret, &p, 59).unwrap().as_str(), "287082");
        assert_eq!(totp_code(secret, &p, 59), time::code(secret, &p, 59));
        assert_eq!(hotp_code(secret, Algorithm::Sha1, 6, 9), hotp::code(secret, Algorithm::Sha1, 6, 9));
        let (mut a, mut b) = ([0u8; STATE_BYTES], [0u8; STATE_BYTES]);
        assert_eq!(totp_verify(&ctx, secret, &p, "287082", 59, &mut a), Ok(0));
        assert_eq!(time::verify(&ctx, secret, &p, "287082", 59, &mut b), Ok(0));
        assert_eq!(a, b);
        let (mut a, mut b) = ([0u8; STATE_BYTES], [0u8; STATE_BYTES]);
        assert_eq!(super::super::hotp_verify(&ctx, secret, Algorithm::Sha1, 6, "520489", 59, &mut a), Ok(9));
        assert_eq!(hotp::verify(&ctx, secret, Algorithm::Sha1, 6, "520489", 59, &mut b), Ok(9));
        assert_eq!(a, b);
    }
}
