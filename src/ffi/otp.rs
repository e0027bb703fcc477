//! One-time codes sent by SMS or e-mail.

use core::ffi::c_char;

use super::ctx::{ctx_ref, pcodes_ctx};
use super::{
    boundary, bytes_mut, pcodes_status, put_text, region_of, region_of_buf, region_of_state, region_of_text,
    room, state_blob, text,
};
use crate::otp;

/// Buffer size that holds any SMS/e-mail code: 8 digits (the largest `OTP_DIGITS`) plus NUL.
pub const PCODES_OTP_CODE_BYTES: usize = 9;
const _: () = assert!(PCODES_OTP_CODE_BYTES == crate::otp::MAX_DIGITS + 1);

/// `PCODES_OTP_CODE_BYTES`, for bindings that cannot read macros.
#[unsafe(no_mangle)]
pub extern "C" fn pcodes_otp_code_bytes() -> usize {
    PCODES_OTP_CODE_BYTES
}

/// Issues (or re-issues) a one-time code for `purpose` (e.g. `"login"`,
/// `"phone-change:+79990001122"`) and writes it, `OTP_DIGITS` ASCII digits zero-padded and
/// NUL-terminated, to `code_out` for the host to send by SMS or e-mail. The state keeps only a
/// keyed hash of (code, purpose, time). Issuing again replaces the outstanding code (the old one
/// then verifies as `SUPERSEDED`). On success the state's wait (`pcodes_state_retry_at`) is when
/// the next send will be allowed.
///
/// `code_out_len` must be at least `OTP_DIGITS + 1`; `PCODES_OTP_CODE_BYTES` always suffices.
/// The buffer is checked before anything is issued, so `BUFFER_TOO_SMALL` changes nothing.
///
/// Returns `OK`, `NULL_ARGUMENT`, `INVALID_ARGUMENT` (bad UTF-8, empty purpose, overlapping
/// buffers), `BUFFER_TOO_SMALL`, `CORRUPT_STATE` (state unchanged), `LOCKED`, `BLOCKED`,
/// `TOO_SOON` (resend cooldown or hourly send limit; see `pcodes_state_retry_at`), `RNG_FAILURE`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_otp_issue(
    ctx: *const pcodes_ctx,
    purpose: *const c_char,
    now: u64,
    state: *mut u8,
    state_len: usize,
    code_out: *mut c_char,
    code_out_len: usize,
) -> pcodes_status {
    const OUT: &super::Arg = arg!(code_out, code_out_len, "see PCODES_OTP_CODE_BYTES");
    boundary(|| {
        // SAFETY: caller passes a live context (or NULL) and a NUL-terminated string (or NULL).
        let (ctx, purpose) = unsafe { (ctx_ref(ctx)?, text(purpose, arg!(purpose))?) };
        no_overlap!(
            writes: [state: region_of_state(state, state_len), code_out: region_of_buf(code_out, code_out_len, OUT)?],
            reads: [ctx: region_of(ctx), purpose: region_of_text(purpose)],
        )?;
        // SAFETY: caller passes a writable blob of `state_len` bytes and a writable buffer of
        // `code_out_len` bytes (or NULLs), disjoint from each other and the inputs (checked above).
        let (st, o) = unsafe { (state_blob(state, state_len)?, bytes_mut(code_out, code_out_len, OUT)?) };
        room(otp::code_len(ctx) + 1, o.len(), OUT)?;
        put_text(o, otp::issue(ctx, purpose, now, st)?.as_str(), OUT)
    })
}

/// Checks `code` as typed by the person (spaces are ignored) against the outstanding code for
/// `purpose` at `now`, and records the attempt in the state. Verdicts, first that applies (the
/// full table of states and inputs: docs/verdicts.md): `LOCKED`/`BLOCKED`; `NO_CHALLENGE`
/// (nothing issued); `MISTYPED` (not the code's number of ASCII digits); `UNKNOWN_KEY` (issued
/// under a key the context no longer holds); `EXPIRED` (`OTP_TTL_SECONDS` passed, whatever was
/// typed); `ATTEMPTS_EXHAUSTED` (`OTP_MAX_ATTEMPTS` wrong tries on this code, whatever was
/// typed: request a new one); `ALREADY_USED` (this is the code, but it was already accepted;
/// not a proof); `OK` (the code is now used; lockout failures cleared); `SUPERSEDED` (the code
/// this one replaced); `WRONG` (anything else, also after the code was used, and a code issued
/// for another purpose). Only `WRONG` counts, both against the code and in the lockout engine.
///
/// Also returns `NULL_ARGUMENT`, `INVALID_ARGUMENT` (bad UTF-8, empty purpose, `now` out of
/// range, overlapping buffers) and `CORRUPT_STATE` (state unchanged).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_otp_verify(
    ctx: *const pcodes_ctx,
    purpose: *const c_char,
    code: *const c_char,
    now: u64,
    state: *mut u8,
    state_len: usize,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes a live context and NUL-terminated strings (or NULLs).
        let (ctx, purpose, code) =
            unsafe { (ctx_ref(ctx)?, text(purpose, arg!(purpose))?, text(code, arg!(code))?) };
        no_overlap!(
            writes: [state: region_of_state(state, state_len)],
            reads: [ctx: region_of(ctx), purpose: region_of_text(purpose), code: region_of_text(code)],
        )?;
        // SAFETY: caller passes a writable blob of `state_len` bytes or NULL, disjoint from the
        // other arguments (checked above).
        otp::verify(ctx, purpose, code, now, unsafe { state_blob(state, state_len) }?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::ctx::{PCODES_SETTING_OTP_DIGITS, pcodes_ctx_free, pcodes_ctx_set};
    use crate::ffi::state::pcodes_state_retry_at;
    use crate::ffi::status::*;
    use crate::ffi::test_support::cstr;
    use core::ptr::{null, null_mut};

    fn new_ctx() -> *mut pcodes_ctx {
        crate::ffi::test_support::new_ctx(0x42, 1)
    }

    #[test]
    fn size_constant() {
        assert_eq!(pcodes_otp_code_bytes(), 9);
    }

    #[test]
    fn issue_and_verify_through_the_abi() {
        let ctx = new_ctx();
        let mut st = [0u8; 64];
        let mut buf = [0u8; PCODES_OTP_CODE_BYTES];
        // SAFETY: the context and live locals of the stated sizes.
        let issue = |now, st: &mut [u8; 64], buf: &mut [u8; 9]| unsafe {
            pcodes_otp_issue(ctx, c"login".as_ptr(), now, st.as_mut_ptr(), 64, buf.as_mut_ptr().cast(), 9)
        };
        // SAFETY: every pointer below is NULL or points to a live local of the stated size.
        unsafe {
            assert_eq!(issue(1000, &mut st, &mut buf), PCODES_STATUS_OK);
            let code = std::ffi::CString::new(cstr(&buf)).unwrap();
            assert_eq!(code.as_bytes().len(), 6);
            let mut at = 0u64;
            assert_eq!(pcodes_state_retry_at(st.as_ptr(), 64, 1000, &raw mut at), PCODES_STATUS_OK);
            assert_eq!(at, 1060, "next send allowed after the 60 s cooldown");
            let rc = issue(1010, &mut st, &mut buf);
            assert_eq!(rc, PCODES_STATUS_TOO_SOON);
            assert_eq!(cstr(&buf), code.to_str().unwrap(), "output untouched on failure");
            let other = c"phone-change:+79990001122".as_ptr();
            assert_eq!(
                pcodes_otp_verify(ctx, other, code.as_ptr(), 1020, st.as_mut_ptr(), 64),
                PCODES_STATUS_WRONG
            );
            assert_eq!(
                pcodes_otp_verify(ctx, c"login".as_ptr(), c"12 34".as_ptr(), 1020, st.as_mut_ptr(), 64),
                PCODES_STATUS_MISTYPED
            );
            assert_eq!(
                pcodes_otp_verify(ctx, c"login".as_ptr(), code.as_ptr(), 1020, st.as_mut_ptr(), 64),
                PCODES_STATUS_OK
            );
            assert_eq!(
                pcodes_otp_verify(ctx, c"login".as_ptr(), code.as_ptr(), 1021, st.as_mut_ptr(), 64),
                PCODES_STATUS_ALREADY_USED
            );
            pcodes_ctx_free(ctx);
        }
    }

    #[test]
    fn nulls_short_buffers_bad_utf8_and_bad_state() {
        let ctx = new_ctx();
        let mut st = [0u8; 64];
        let mut buf = [0xEEu8; 16];
        let bad = [0xFFu8, 0xFE, 0];
        let p = c"login".as_ptr();
        let b = buf.as_mut_ptr().cast::<c_char>();
        // SAFETY: every pointer below is NULL or points to a live local of at least the stated size.
        unsafe {
            assert_eq!(
                pcodes_otp_issue(null(), p, 1, st.as_mut_ptr(), 64, b, 9),
                PCODES_STATUS_NULL_ARGUMENT
            );
            assert_eq!(
                pcodes_otp_issue(ctx, null(), 1, st.as_mut_ptr(), 64, b, 9),
                PCODES_STATUS_NULL_ARGUMENT
            );
            assert_eq!(pcodes_otp_issue(ctx, p, 1, null_mut(), 64, b, 9), PCODES_STATUS_NULL_ARGUMENT);
            assert_eq!(
                pcodes_otp_issue(ctx, p, 1, st.as_mut_ptr(), 64, null_mut(), 9),
                PCODES_STATUS_NULL_ARGUMENT
            );
            assert_eq!(
                pcodes_otp_issue(ctx, bad.as_ptr().cast(), 1, st.as_mut_ptr(), 64, b, 9),
                PCODES_STATUS_INVALID_ARGUMENT
            );
            assert_eq!(
                pcodes_otp_issue(ctx, c"".as_ptr(), 1, st.as_mut_ptr(), 64, b, 9),
                PCODES_STATUS_INVALID_ARGUMENT
            );
            assert_eq!(pcodes_otp_issue(ctx, p, 1, st.as_mut_ptr(), 63, b, 9), PCODES_STATUS_CORRUPT_STATE);
            // 6 digits need 7 bytes: 6 is too small and nothing is issued.
            assert_eq!(
                pcodes_otp_issue(ctx, p, 1, st.as_mut_ptr(), 64, b, 6),
                PCODES_STATUS_BUFFER_TOO_SMALL
            );
            assert_eq!(
                pcodes_otp_issue(ctx, p, 1, st.as_mut_ptr(), 64, b, 0),
                PCODES_STATUS_BUFFER_TOO_SMALL
            );
            assert_eq!(st, [0; 64], "state untouched");
            assert_eq!(buf, [0xEE; 16], "buffer untouched");
            assert_eq!(pcodes_otp_issue(ctx, p, 1, st.as_mut_ptr(), 64, b, 7), PCODES_STATUS_OK);
            assert_eq!(buf[6], 0);
            // A used context is configured no more: 8 digits take a new one (same key).
            assert_eq!(pcodes_ctx_set(ctx, PCODES_SETTING_OTP_DIGITS, 8), PCODES_STATUS_INVALID_ARGUMENT);
            let ctx8 = new_ctx();
            assert_eq!(pcodes_ctx_set(ctx8, PCODES_SETTING_OTP_DIGITS, 8), PCODES_STATUS_OK);
            assert_eq!(
                pcodes_otp_issue(ctx8, p, 100, st.as_mut_ptr(), 64, b, 8),
                PCODES_STATUS_BUFFER_TOO_SMALL
            );
            assert_eq!(pcodes_otp_issue(ctx8, p, 100, st.as_mut_ptr(), 64, b, 9), PCODES_STATUS_OK);
            assert_eq!(cstr(&buf).len(), 8);
            pcodes_ctx_free(ctx8);

            let c = c"123456".as_ptr();
            assert_eq!(pcodes_otp_verify(null(), p, c, 1, st.as_mut_ptr(), 64), PCODES_STATUS_NULL_ARGUMENT);
            assert_eq!(
                pcodes_otp_verify(ctx, null(), c, 1, st.as_mut_ptr(), 64),
                PCODES_STATUS_NULL_ARGUMENT
            );
            assert_eq!(
                pcodes_otp_verify(ctx, p, null(), 1, st.as_mut_ptr(), 64),
                PCODES_STATUS_NULL_ARGUMENT
            );
            assert_eq!(pcodes_otp_verify(ctx, p, c, 1, null_mut(), 64), PCODES_STATUS_NULL_ARGUMENT);
            assert_eq!(
                pcodes_otp_verify(ctx, p, bad.as_ptr().cast(), 1, st.as_mut_ptr(), 64),
                PCODES_STATUS_INVALID_ARGUMENT
            );
            assert_eq!(
                pcodes_otp_verify(ctx, bad.as_ptr().cast(), c, 1, st.as_mut_ptr(), 64),
                PCODES_STATUS_INVALID_ARGUMENT
            );
            assert_eq!(pcodes_otp_verify(ctx, p, c, 1, st.as_mut_ptr(), 65), PCODES_STATUS_CORRUPT_STATE);

            // Another flow's blob, and a garbled one, are refused and left unchanged.
            let mut other = crate::state::State::fresh(crate::state::Kind::Pin).encode();
            let copy = other;
            assert_eq!(pcodes_otp_verify(ctx, p, c, 1, other.as_mut_ptr(), 64), PCODES_STATUS_CORRUPT_STATE);
            assert_eq!(
                pcodes_otp_issue(ctx, p, 1, other.as_mut_ptr(), 64, b, 9),
                PCODES_STATUS_CORRUPT_STATE
            );
            assert_eq!(other, copy);
            let mut garbled = st;
            garbled[24] = 3; // 3 digits
            let copy = garbled;
            assert_eq!(
                pcodes_otp_verify(ctx, p, c, 1, garbled.as_mut_ptr(), 64),
                PCODES_STATUS_CORRUPT_STATE
            );
            assert_eq!(garbled, copy);

            // A fresh blob has no challenge.
            let mut fresh = [0u8; 64];
            assert_eq!(pcodes_otp_verify(ctx, p, c, 1, fresh.as_mut_ptr(), 64), PCODES_STATUS_NO_CHALLENGE);
            pcodes_ctx_free(ctx);
        }
    }
}
