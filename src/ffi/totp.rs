//! Authenticator apps (HOTP / TOTP): the hash algorithms, codes and their verification.
//! Enrolment (secret, `otpauth://` URI, QR code) is in `enrol`.

use core::ffi::c_char;

use super::ctx::ctx_ref;
use super::{
    Arg, OutBuf, Region, boundary, bytes, pcodes_ctx, pcodes_status, region_of, region_of_bytes,
    region_of_state, region_of_text, state_blob, text,
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

/// Buffer size for a TOTP code: up to 8 digits plus NUL.
pub const PCODES_TOTP_CODE_BYTES: usize = 9;
const _: () = assert!(PCODES_TOTP_CODE_BYTES == totp::MAX_DIGITS + 1);

/// `PCODES_TOTP_CODE_BYTES`.
#[unsafe(no_mangle)]
pub extern "C" fn pcodes_totp_code_bytes() -> usize {
    PCODES_TOTP_CODE_BYTES
}

/// Buffer size for a HOTP code: up to 8 digits plus NUL (the same size as
/// `PCODES_TOTP_CODE_BYTES`; use this one for `pcodes_hotp_code`).
pub const PCODES_HOTP_CODE_BYTES: usize = 9;
const _: () = assert!(PCODES_HOTP_CODE_BYTES == totp::MAX_DIGITS + 1);

/// `PCODES_HOTP_CODE_BYTES`.
#[unsafe(no_mangle)]
pub extern "C" fn pcodes_hotp_code_bytes() -> usize {
    PCODES_HOTP_CODE_BYTES
}

/// The TOTP/HOTP parameters from C arguments (unknown algorithm, digits or period:
/// `INVALID_ARGUMENT`).
pub(super) fn params(algorithm: pcodes_algorithm, digits: u32, period: u32) -> Result<Params> {
    Params::new(Algorithm::from_id(algorithm)?, digits, period)
}

/// The body of `pcodes_totp_code` and `pcodes_hotp_code`: `make` computes the code from the
/// secret; `out_arg` names the output and its size in a refusal.
///
/// # Safety
/// As `pcodes_totp_code`.
unsafe fn write_code(
    secret: *const u8,
    secret_len: usize,
    (out, out_len, out_arg): (*mut c_char, usize, &'static Arg),
    make: impl FnOnce(&[u8]) -> Result<Code>,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes `secret_len` readable bytes.
        let s = unsafe { bytes(secret, secret_len, arg!(secret, secret_len)) }?;
        let o = OutBuf::new(out, out_len, out_arg)?;
        no_overlap!(writes: [out: o.region()], reads: [secret: region_of_bytes(s)])?;
        let code = make(s)?;
        // SAFETY: caller passes `out_len` writable bytes, disjoint from `secret` (checked above).
        unsafe { o.put(code.as_str()) }
    })
}

/// The regions a verification writes (the state, the nullable out-parameter) and reads (the
/// context, the secret, the code), for `no_overlap!` with the caller's header names.
type VerifyRegions = ([Region; 2], [Region; 3]);

/// The body of `pcodes_totp_verify` and `pcodes_hotp_verify_counter`: `check` verifies the typed
/// code with the context and the secret, updates the blob and returns what `value_out` (nullable)
/// receives on `OK` (the drift, the counter); `overlap` checks the no-overlap rule naming the
/// function's own parameters.
///
/// # Safety
/// As `pcodes_totp_verify` (`value_out` nullable, else valid for a write of `T`).
unsafe fn verify_code<T>(
    ctx: *const pcodes_ctx,
    (secret, secret_len): (*const u8, usize),
    code: *const c_char,
    (state, state_len): (*mut u8, usize),
    value_out: *mut T,
    overlap: impl FnOnce(VerifyRegions) -> Result<()>,
    check: impl FnOnce(&Context, &[u8], &str, &mut [u8; crate::state::STATE_BYTES]) -> Result<T>,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes a live context, `secret_len` readable bytes and a NUL-terminated
        // string (or NULLs).
        let (c, s, code) = unsafe {
            (ctx_ref(ctx)?, bytes(secret, secret_len, arg!(secret, secret_len))?, text(code, arg!(code))?)
        };
        overlap((
            [region_of_state(state, state_len), region_of(value_out)],
            [region_of(ctx), region_of_bytes(s), region_of_text(code)],
        ))?;
        // SAFETY: caller passes `state_len` readable and writable bytes, disjoint from the other
        // arguments (checked above).
        let value = check(c, s, code, unsafe { state_blob(state, state_len) }?)?;
        // SAFETY: NULL is allowed and checked by `as_mut`; otherwise valid for a write of `T`,
        // disjoint from the other arguments (checked above).
        if let Some(v) = unsafe { value_out.as_mut() } {
            *v = value;
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
    let out = (out, out_len, arg!(out, out_len, "see PCODES_TOTP_CODE_BYTES"));
    // SAFETY: forwarded caller contract.
    unsafe {
        write_code(secret, secret_len, out, |s| totp::time::code(s, &params(algorithm, digits, period)?, now))
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
    let overlap = |([st, d], [c, s, t]): VerifyRegions| no_overlap!(writes: [state: st, drift_out: d], reads: [ctx: c, secret: s, code: t]);
    let check = |c: &Context, s: &[u8], code: &str, st: &mut _| {
        totp::time::verify(c, s, &params(algorithm, digits, period)?, code, now, st)
    };
    // SAFETY: forwarded caller contract.
    unsafe { verify_code(ctx, (secret, secret_len), code, (state, state_len), drift_out, overlap, check) }
}

/// Writes the HOTP code for `counter` (`PCODES_HOTP_CODE_BYTES` suffices). `secret` is 10–64
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
    let out = (out, out_len, arg!(out, out_len, "see PCODES_HOTP_CODE_BYTES"));
    // SAFETY: forwarded caller contract.
    unsafe {
        write_code(secret, secret_len, out, |s| {
            totp::hotp::code(s, Algorithm::from_id(algorithm)?, digits, counter)
        })
    }
}

/// Verifies a HOTP code against the counter stored in `state` (a HOTP blob; all zeros starts at
/// counter 0): counters `next … next + HOTP_LOOK_AHEAD` are checked, and on a match the stored
/// counter moves past it. The last accepted code again is `ALREADY_USED`. The same as
/// `pcodes_hotp_verify_counter` with `counter_out = NULL`; call that one to learn which counter
/// matched.
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
    // SAFETY: forwarded caller contract; a NULL `counter_out` is allowed.
    unsafe {
        pcodes_hotp_verify_counter(
            ctx,
            secret,
            secret_len,
            algorithm,
            digits,
            code,
            now,
            state,
            state_len,
            core::ptr::null_mut(),
        )
    }
}

/// `pcodes_hotp_verify`, also telling which counter matched: on `OK`, `*counter_out` (if not
/// NULL) = the counter of the accepted code (the stored counter is now one past it). On any
/// other status `*counter_out` is untouched. `counter_out` must not overlap any other argument
/// (`INVALID_ARGUMENT`, nothing written).
///
/// Returns as `pcodes_hotp_verify`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_hotp_verify_counter(
    ctx: *const pcodes_ctx,
    secret: *const u8,
    secret_len: usize,
    algorithm: pcodes_algorithm,
    digits: u32,
    code: *const c_char,
    now: u64,
    state: *mut u8,
    state_len: usize,
    counter_out: *mut u64,
) -> pcodes_status {
    let overlap = |([st, n], [c, s, t]): VerifyRegions| no_overlap!(writes: [state: st, counter_out: n], reads: [ctx: c, secret: s, code: t]);
    let check = |c: &Context, s: &[u8], code: &str, st: &mut _| {
        totp::hotp::verify(c, s, Algorithm::from_id(algorithm)?, digits, code, now, st)
    };
    // SAFETY: forwarded caller contract.
    unsafe { verify_code(ctx, (secret, secret_len), code, (state, state_len), counter_out, overlap, check) }
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
        assert_eq!(pcodes_hotp_code_bytes(), 9);
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

    /// `pcodes_hotp_verify_counter` reports the matched counter, as `totp::hotp::verify` returns
    /// it, and leaves `*counter_out` alone on every other status; `pcodes_hotp_verify` is the same
    /// call without it.
    #[test]
    fn hotp_verify_counter_reports_the_match() {
        let ctx = new_ctx();
        let now = 1_700_000_000u64;
        let k = SEED.as_ptr();
        // SAFETY: the pointers passed are live locals / the context above, or NULL on purpose.
        let hv = |code: &core::ffi::CStr, st: &mut [u8; 64], n: *mut u64| unsafe {
            pcodes_hotp_verify_counter(ctx, k, 20, 1, 6, code.as_ptr(), now, st.as_mut_ptr(), 64, n)
        };
        let (mut st, mut rust_st) = ([0u8; 64], [0u8; 64]);
        let mut n = 77u64;
        // RFC 4226 appendix D: counter 3 is 969429, 4 is 338314, 9 is 520489.
        assert_eq!(hv(c"969429", &mut st, &raw mut n), PCODES_STATUS_OK);
        assert_eq!(n, 3);
        // SAFETY: made by `new_ctx`, live.
        let rc = unsafe { &(*ctx).inner };
        assert_eq!(totp::hotp::verify(rc, SEED, Algorithm::Sha1, 6, "969429", now, &mut rust_st), Ok(3));
        assert_eq!(st, rust_st, "the same blob as Rust's");
        n = 77;
        assert_eq!(hv(c"969429", &mut st, &raw mut n), PCODES_STATUS_ALREADY_USED);
        assert_eq!(hv(c"000000", &mut st, &raw mut n), PCODES_STATUS_WRONG);
        assert_eq!(hv(c"12 34", &mut st, &raw mut n), PCODES_STATUS_MISTYPED);
        assert_eq!(n, 77, "untouched unless OK");
        assert_eq!(hv(c"338314", &mut st, null_mut()), PCODES_STATUS_OK, "NULL counter_out");
        assert_eq!(hv(c"520489", &mut st, &raw mut n), PCODES_STATUS_OK);
        assert_eq!(n, 9);
        // The old function is the new one without the counter.
        let mut old = [0u8; 64];
        // SAFETY: as above.
        let rc =
            unsafe { pcodes_hotp_verify(ctx, k, 20, 1, 6, c"520489".as_ptr(), now, old.as_mut_ptr(), 64) };
        assert_eq!(rc, PCODES_STATUS_OK);
        let mut new = [0u8; 64];
        assert_eq!(hv(c"520489", &mut new, null_mut()), PCODES_STATUS_OK);
        assert_eq!(old, new);
        // SAFETY: made by `new_ctx`, freed once.
        unsafe { pcodes_ctx_free(ctx) };
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
