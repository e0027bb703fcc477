//! Authenticator apps (HOTP / TOTP): the hash algorithms, codes and their verification.
//! Enrolment (secret, `otpauth://` URI, QR code) is in `enrol`.

use core::ffi::c_char;

use super::ctx::ctx_ref;
use super::{
    Arg, OutBuf, boundary, bytes, pcodes_ctx, pcodes_status, region_of, region_of_bytes, region_of_state,
    region_of_text, state_blob, text,
};
use crate::context::Context;
use crate::error::Result;
use crate::totp::{self, Algorithm, Code, Params};

/// HMAC hash of an enrolment (`PCODES_ALGORITHM_*`). Any value may be passed; unknown ones are
/// `INVALID_ARGUMENT`.
pub type pcodes_algorithm = i32;
/// HMAC-SHA-1: the default, and the only algorithm every authenticator app supports.
pub const PCODES_ALGORITHM_SHA1: pcodes_algorithm = 1;
/// HMAC-SHA-256.
pub const PCODES_ALGORITHM_SHA256: pcodes_algorithm = 2;
/// HMAC-SHA-512.
pub const PCODES_ALGORITHM_SHA512: pcodes_algorithm = 3;

/// Buffer size for a code: up to 8 digits plus NUL.
pub const PCODES_TOTP_CODE_BYTES: usize = 9;
const _: () = assert!(PCODES_TOTP_CODE_BYTES == totp::MAX_DIGITS + 1);

/// `PCODES_TOTP_CODE_BYTES`.
#[unsafe(no_mangle)]
pub extern "C" fn pcodes_totp_code_bytes() -> usize {
    PCODES_TOTP_CODE_BYTES
}

/// The TOTP/HOTP parameters from C arguments (unknown algorithm, digits or period:
/// `INVALID_ARGUMENT`).
pub(super) fn params(algorithm: pcodes_algorithm, digits: u32, period: u32) -> Result<Params> {
    Params::new(Algorithm::from_id(algorithm)?, digits, period)
}

/// The body of `pcodes_totp_code` and `pcodes_hotp_code`: `make` computes the code from the
/// secret.
///
/// # Safety
/// As `pcodes_totp_code`.
unsafe fn write_code(
    secret: *const u8,
    secret_len: usize,
    out: *mut c_char,
    out_len: usize,
    make: impl FnOnce(&[u8]) -> Result<Code>,
) -> pcodes_status {
    const OUT: &Arg = arg!(out, out_len, "see PCODES_TOTP_CODE_BYTES");
    boundary(|| {
        // SAFETY: caller passes `secret_len` readable bytes.
        let s = unsafe { bytes(secret, secret_len, arg!(secret, secret_len)) }?;
        let o = OutBuf::new(out, out_len, OUT)?;
        no_overlap!(writes: [out: o.region()], reads: [secret: region_of_bytes(s)])?;
        let code = make(s)?;
        // SAFETY: caller passes `out_len` writable bytes, disjoint from `secret` (checked above).
        unsafe { o.put(code.as_str()) }
    })
}

/// The body of `pcodes_totp_verify` and `pcodes_hotp_verify`: `check` verifies the typed code
/// with the context and the secret, updates the blob and returns the drift.
///
/// # Safety
/// As `pcodes_totp_verify` (`drift_out` nullable).
unsafe fn verify_code(
    ctx: *const pcodes_ctx,
    (secret, secret_len): (*const u8, usize),
    code: *const c_char,
    (state, state_len): (*mut u8, usize),
    drift_out: *mut i32,
    check: impl FnOnce(&Context, &[u8], &str, &mut [u8; crate::state::STATE_BYTES]) -> Result<i32>,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes a live context, `secret_len` readable bytes and a NUL-terminated
        // string (or NULLs).
        let (c, s, code) = unsafe {
            (ctx_ref(ctx)?, bytes(secret, secret_len, arg!(secret, secret_len))?, text(code, arg!(code))?)
        };
        no_overlap!(
            writes: [state: region_of_state(state, state_len), drift_out: region_of(drift_out)],
            reads: [ctx: region_of(ctx), secret: region_of_bytes(s), code: region_of_text(code)],
        )?;
        // SAFETY: caller passes `state_len` readable and writable bytes, disjoint from the other
        // arguments (checked above).
        let drift = check(c, s, code, unsafe { state_blob(state, state_len) }?)?;
        // SAFETY: NULL is allowed and checked by `as_mut`; otherwise a writable i32, disjoint
        // from the other arguments (checked above).
        if let Some(d) = unsafe { drift_out.as_mut() } {
            *d = drift;
        }
        Ok(())
    })
}

/// Writes the TOTP code for unix time `now` (`PCODES_TOTP_CODE_BYTES` suffices). `secret` is
/// 10–64 bytes, `digits` 6–8, `period` 1–3600 s.
///
/// Returns `NULL_ARGUMENT`, `INVALID_ARGUMENT`, `BUFFER_TOO_SMALL`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_totp_code(
    secret: *const u8,
    secret_len: usize,
    algorithm: pcodes_algorithm,
    digits: u32,
    period: u32,
    now: u64,
    out: *mut c_char,
    out_len: usize,
) -> pcodes_status {
    // SAFETY: forwarded caller contract.
    unsafe {
        write_code(secret, secret_len, out, out_len, |s| {
            totp::totp_code(s, &params(algorithm, digits, period)?, now)
        })
    }
}

/// Verifies a TOTP code typed by a person (spaces are ignored) at unix time `now`. Steps
/// current ± `TOTP_WINDOW_STEPS` are accepted; the matched step is stored in `state` (a
/// TOTP blob, all zeros for a new enrolment) and that step or any earlier one is refused
/// afterwards. On `OK`, `*drift_out` (if not NULL) = matched step − current step. `ctx`
/// supplies the policy (window, lockout).
///
/// Returns `NULL_ARGUMENT`, `INVALID_ARGUMENT` (secret not 10–64 bytes, digits, period,
/// algorithm, overlapping buffers), `CORRUPT_STATE` (state untouched), `BLOCKED`, `LOCKED`, `MISTYPED` (not exactly
/// `digits` ASCII digits; not counted), `ALREADY_USED` (not counted), `WRONG` (counted by the
/// lockout engine). The state is written on every return after it was read.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_totp_verify(
    ctx: *const pcodes_ctx,
    secret: *const u8,
    secret_len: usize,
    algorithm: pcodes_algorithm,
    digits: u32,
    period: u32,
    code: *const c_char,
    now: u64,
    state: *mut u8,
    state_len: usize,
    drift_out: *mut i32,
) -> pcodes_status {
    let check = |c: &Context, s: &[u8], code: &str, st: &mut _| {
        totp::totp_verify(c, s, &params(algorithm, digits, period)?, code, now, st)
    };
    // SAFETY: forwarded caller contract.
    unsafe { verify_code(ctx, (secret, secret_len), code, (state, state_len), drift_out, check) }
}

/// Writes the HOTP code for `counter` (`PCODES_TOTP_CODE_BYTES` suffices). `secret` is 10–64
/// bytes, `digits` 6–8.
///
/// Returns `NULL_ARGUMENT`, `INVALID_ARGUMENT`, `BUFFER_TOO_SMALL`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_hotp_code(
    secret: *const u8,
    secret_len: usize,
    algorithm: pcodes_algorithm,
    digits: u32,
    counter: u64,
    out: *mut c_char,
    out_len: usize,
) -> pcodes_status {
    // SAFETY: forwarded caller contract.
    unsafe {
        write_code(secret, secret_len, out, out_len, |s| {
            totp::hotp_code(s, Algorithm::from_id(algorithm)?, digits, counter)
        })
    }
}

/// Verifies a HOTP code against the counter stored in `state` (a HOTP blob; all zeros starts at
/// counter 0): counters `next … next + HOTP_LOOK_AHEAD` are checked, and on a match the stored
/// counter moves past it. The last accepted code again is `ALREADY_USED`.
///
/// Returns `NULL_ARGUMENT`, `INVALID_ARGUMENT`, `CORRUPT_STATE` (state untouched), `BLOCKED`,
/// `LOCKED`, `MISTYPED` (not counted), `ALREADY_USED` (not counted), `WRONG` (counted). The
/// state is written on every return after it was read.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_hotp_verify(
    ctx: *const pcodes_ctx,
    secret: *const u8,
    secret_len: usize,
    algorithm: pcodes_algorithm,
    digits: u32,
    code: *const c_char,
    now: u64,
    state: *mut u8,
    state_len: usize,
) -> pcodes_status {
    let check = |c: &Context, s: &[u8], code: &str, st: &mut _| {
        totp::hotp_verify(c, s, Algorithm::from_id(algorithm)?, digits, code, now, st).map(|_| 0)
    };
    // SAFETY: forwarded caller contract.
    unsafe { verify_code(ctx, (secret, secret_len), code, (state, state_len), core::ptr::null_mut(), check) }
}

#[cfg(test)]
#[allow(clippy::too_many_lines, clippy::borrow_as_ptr, clippy::cast_sign_loss)]
mod tests {
    use super::*;
    use crate::ffi::ctx::pcodes_ctx_free;
    use crate::ffi::status::*;
    use crate::ffi::test_support::cstr;
    use core::ptr::{null, null_mut};

    const SEED: &[u8] = b"12345678901234567890";

    fn new_ctx() -> *mut pcodes_ctx {
        crate::ffi::test_support::new_ctx(5, 0)
    }

    #[test]
    fn sizes() {
        assert_eq!(pcodes_totp_code_bytes(), 9);
    }

    #[test]
    fn codes_and_bad_arguments() {
        let mut out = [0u8; 9];
        // SAFETY: all pointers are NULL or live locals of the stated sizes.
        unsafe {
            assert_eq!(
                pcodes_totp_code(SEED.as_ptr(), 20, 1, 8, 30, 59, out.as_mut_ptr().cast(), 9),
                PCODES_STATUS_OK
            );
            assert_eq!(cstr(&out), "94287082");
            assert_eq!(
                pcodes_hotp_code(SEED.as_ptr(), 20, 1, 6, 9, out.as_mut_ptr().cast(), 9),
                PCODES_STATUS_OK
            );
            assert_eq!(cstr(&out), "520489");
            let o = out.as_mut_ptr().cast();
            for alg in [0, 4, -1, i32::MAX] {
                assert_eq!(
                    pcodes_totp_code(SEED.as_ptr(), 20, alg, 6, 30, 0, o, 9),
                    PCODES_STATUS_INVALID_ARGUMENT
                );
                assert_eq!(
                    pcodes_hotp_code(SEED.as_ptr(), 20, alg, 6, 0, o, 9),
                    PCODES_STATUS_INVALID_ARGUMENT
                );
            }
            assert_eq!(
                pcodes_totp_code(SEED.as_ptr(), 20, 1, 5, 30, 0, o, 9),
                PCODES_STATUS_INVALID_ARGUMENT
            );
            assert_eq!(pcodes_totp_code(SEED.as_ptr(), 20, 1, 6, 0, 0, o, 9), PCODES_STATUS_INVALID_ARGUMENT);
            assert_eq!(
                pcodes_totp_code(SEED.as_ptr(), 20, 1, 6, 3601, 0, o, 9),
                PCODES_STATUS_INVALID_ARGUMENT
            );
            assert_eq!(pcodes_totp_code(SEED.as_ptr(), 9, 1, 6, 30, 0, o, 9), PCODES_STATUS_INVALID_ARGUMENT);
            assert_eq!(pcodes_totp_code(null(), 20, 1, 6, 30, 0, o, 9), PCODES_STATUS_NULL_ARGUMENT);
            assert_eq!(
                pcodes_totp_code(SEED.as_ptr(), 20, 1, 6, 30, 0, null_mut(), 9),
                PCODES_STATUS_NULL_ARGUMENT
            );
            let mut small = [7u8; 6];
            assert_eq!(
                pcodes_totp_code(SEED.as_ptr(), 20, 1, 6, 30, 0, small.as_mut_ptr().cast(), 6),
                PCODES_STATUS_BUFFER_TOO_SMALL
            );
            assert_eq!(small, [7; 6]);
            assert_eq!(pcodes_hotp_code(SEED.as_ptr(), 20, 1, 6, u64::MAX, o, 9), PCODES_STATUS_OK);
            assert_eq!(pcodes_totp_code(SEED.as_ptr(), 20, 3, 8, 1, u64::MAX, o, 9), PCODES_STATUS_OK);
        }
    }

    #[test]
    fn verify_flow_and_state_errors() {
        let ctx = new_ctx();
        let now = 1_700_000_000u64;
        let mut st = [0u8; 64];
        let mut code = [0u8; 9];
        let mut drift = 99i32;
        let k = SEED.as_ptr();
        // SAFETY (both closures): the pointers passed are live locals / the context above, or
        // NULL on purpose.
        let tv = |ctx, alg, code: *const c_char, st: *mut u8, len, drift: *mut i32| unsafe {
            pcodes_totp_verify(ctx, k, 20, alg, 6, 30, code, now, st, len, drift)
        };
        let hv = |alg, code: &core::ffi::CStr, st: &mut [u8; 64]| unsafe {
            pcodes_hotp_verify(ctx, k, 20, alg, 6, code.as_ptr(), now, st.as_mut_ptr(), 64)
        };
        // SAFETY: pointers are live locals / the context above.
        unsafe {
            assert_eq!(
                pcodes_totp_code(k, 20, 1, 6, 30, now + 30, code.as_mut_ptr().cast(), 9),
                PCODES_STATUS_OK
            );
        }
        let c = code.as_ptr().cast();
        let s = st.as_mut_ptr();
        assert_eq!(tv(ctx, 1, c, s, 64, &raw mut drift), PCODES_STATUS_OK);
        assert_eq!(drift, 1);
        assert_eq!(tv(ctx, 1, c, s, 64, null_mut()), PCODES_STATUS_ALREADY_USED);
        assert_eq!(tv(ctx, 1, c"12 34".as_ptr(), s, 64, null_mut()), PCODES_STATUS_MISTYPED);
        let bad = [0xffu8, 0];
        assert_eq!(tv(ctx, 1, bad.as_ptr().cast(), s, 64, null_mut()), PCODES_STATUS_INVALID_ARGUMENT);
        assert_eq!(tv(ctx, 7, c, s, 64, null_mut()), PCODES_STATUS_INVALID_ARGUMENT);
        assert_eq!(tv(null(), 1, c, s, 64, null_mut()), PCODES_STATUS_NULL_ARGUMENT);
        assert_eq!(tv(ctx, 1, c, null_mut(), 64, null_mut()), PCODES_STATUS_NULL_ARGUMENT);
        assert_eq!(tv(ctx, 1, c, s, 63, null_mut()), PCODES_STATUS_CORRUPT_STATE);
        // A HOTP blob is the wrong kind for TOTP, and the other way round; both untouched.
        let mut hst = [0u8; 64];
        assert_eq!(hv(1, c"755224", &mut hst), PCODES_STATUS_OK);
        let copy = hst;
        assert_eq!(tv(ctx, 1, c, hst.as_mut_ptr(), 64, null_mut()), PCODES_STATUS_CORRUPT_STATE);
        assert_eq!(hst, copy);
        let copy = st;
        assert_eq!(hv(1, c"287082", &mut st), PCODES_STATUS_CORRUPT_STATE);
        assert_eq!(st, copy);
        assert_eq!(hv(1, c"287082", &mut hst), PCODES_STATUS_OK);
        assert_eq!(hv(1, c"287082", &mut hst), PCODES_STATUS_ALREADY_USED);
        assert_eq!(hv(0, c"287082", &mut hst), PCODES_STATUS_INVALID_ARGUMENT);
        // Wrong codes lock after five.
        for _ in 0..5 {
            assert_eq!(hv(1, c"000000", &mut hst), PCODES_STATUS_WRONG);
        }
        assert_eq!(hv(1, c"359152", &mut hst), PCODES_STATUS_LOCKED);
        // SAFETY: made by `new_ctx`, freed once.
        unsafe { pcodes_ctx_free(ctx) };
    }
}
