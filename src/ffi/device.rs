//! Device trust (`pcodes_device_*`, issue 22 §3): issue and check device tokens, revoke every
//! device of an account, and verify a PIN in the trusted lane (docs/device-trust.md). The
//! trusted lane of SMS/e-mail codes and TOTP/HOTP is in `device_lanes`.

use core::ffi::c_char;

use super::ctx::{ctx_ref, pcodes_ctx};
use super::{
    OutBuf, boundary, bytes, pcodes_status, region_of, region_of_opt_text, region_of_state, region_of_text,
    state_blob, text,
};
use crate::device;

/// Buffer size for a device token: 80 upper-case base32 symbols plus NUL.
pub const PCODES_DEVICE_TOKEN_BYTES: usize = 81;
const _: () = assert!(PCODES_DEVICE_TOKEN_BYTES == device::TOKEN_BYTES);

/// `PCODES_DEVICE_TOKEN_BYTES` as a function (JNA cannot read macros).
#[unsafe(no_mangle)]
pub extern "C" fn pcodes_device_token_bytes() -> usize {
    PCODES_DEVICE_TOKEN_BYTES
}

/// The device blob `(state, state_len)` for reading only.
///
/// # Safety
/// `state` is NULL or valid for reads of `state_len` bytes.
unsafe fn read_blob<'a>(state: *const u8, state_len: usize) -> crate::Result<&'a [u8; crate::STATE_BYTES]> {
    // SAFETY: forwarded caller contract.
    let st = unsafe { bytes(state, state_len, arg!(state, state_len)) }?;
    st.try_into()
        .map_err(|_| crate::Error::CorruptState.because(c"state_len: must be PCODES_STATE_BYTES (64)"))
}

/// Issues a device token for `account_id`, to set as the device's cookie (docs/device-trust.md:
/// only right after a successful verification of the holder, and only when the person asks to
/// trust the device). `state` is the account's device blob (all zeros when fresh): the token
/// carries its device generation, and the issue is recorded in it (one more token issued, the
/// issue time; `pcodes_state_events` then reports `PCODES_EVENT_DEVICE_TRUSTED`). Store `state`
/// with compare-and-swap and set the cookie **only after that write succeeded** (on a lost
/// write, drop the token, re-read and issue again). Writes the token (80 characters of RFC 4648
/// base32, NUL-terminated) to `token_out`; `token_out_len` must be at least
/// `PCODES_DEVICE_TOKEN_BYTES` (checked before anything is drawn).
///
/// Returns `OK`, `NULL_ARGUMENT`, `INVALID_ARGUMENT` (bad UTF-8, empty `account_id`, `now` out
/// of range, overlapping buffers), `BUFFER_TOO_SMALL`, `CORRUPT_STATE` (not a device blob),
/// `RNG_FAILURE`; on every status but `OK` the blob is left unchanged.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_device_issue(
    ctx: *const pcodes_ctx,
    account_id: *const c_char,
    now: u64,
    state: *mut u8,
    state_len: usize,
    token_out: *mut c_char,
    token_out_len: usize,
) -> pcodes_status {
    const TOKEN: &super::Arg = arg!(token_out, token_out_len, "see PCODES_DEVICE_TOKEN_BYTES (81)");
    boundary(|| {
        // SAFETY: caller passes a live context (or NULL) and a NUL-terminated string (or NULL).
        let (c, account) = unsafe { (ctx_ref(ctx)?, text(account_id, arg!(account_id))?) };
        let out = OutBuf::new(token_out, token_out_len, TOKEN)?;
        no_overlap!(
            writes: [state: region_of_state(state, state_len), token_out: out.region()],
            reads: [ctx: region_of(ctx), account_id: region_of_text(account)],
        )?;
        // SAFETY: caller passes a readable and writable blob of `state_len` bytes (or NULL),
        // disjoint from the other arguments (checked above).
        let st = unsafe { state_blob(state, state_len) }?;
        out.room(PCODES_DEVICE_TOKEN_BYTES)?;
        let token = device::issue(c, account, now, st)?;
        // SAFETY: `token_out_len` writable bytes, disjoint from the inputs (checked above).
        unsafe { out.put(token.as_str()) }
    })
}

/// Checks a device token presented for `account_id` against the account's device blob `state`
/// (read, not written). Returns, first that applies: `DEVICE_UNTRUSTED` (not a token: length,
/// alphabet, format), `UNKNOWN_KEY` (its key id is not in the context), `DEVICE_UNTRUSTED` (the
/// MAC does not verify: forged, altered, or another account's), `DEVICE_REVOKED` (issued before
/// the last `pcodes_device_revoke_all`), `EXPIRED` (`PCODES_SETTING_DEVICE_TRUST_SECONDS` have
/// passed since its issue), `OK`. None is counted. Also `NULL_ARGUMENT`, `INVALID_ARGUMENT`
/// (bad UTF-8, empty `account_id`, `now` out of range), `CORRUPT_STATE`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_device_check(
    ctx: *const pcodes_ctx,
    account_id: *const c_char,
    token: *const c_char,
    now: u64,
    state: *const u8,
    state_len: usize,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes a live context and NUL-terminated strings (or NULLs).
        let (c, account, token) =
            unsafe { (ctx_ref(ctx)?, text(account_id, arg!(account_id))?, text(token, arg!(token))?) };
        // SAFETY: caller passes a readable blob of `state_len` bytes (or NULL).
        let st = unsafe { read_blob(state, state_len) }?;
        device::check(c, account, token, now, st).map(drop)
    })
}

/// Revokes every device token of the account: adds one to the device generation in its device
/// blob `state` (store it with compare-and-swap; from then on every token issued before is
/// `DEVICE_REVOKED`). The trusted lane's failures and lock are kept.
///
/// Returns `OK`, `NULL_ARGUMENT`, `CORRUPT_STATE` (state unchanged).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_device_revoke_all(state: *mut u8, state_len: usize) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes a readable and writable blob of `state_len` bytes (or NULL).
        let st = unsafe { state_blob(state, state_len) }?;
        device::revoke_all(st)
    })
}

/// Verifies `pin` for `account_id` from a trusted device: checks `token` against the account's
/// device blob `state`, then compares the PIN as `pcodes_pin_verify` does (`stored = NULL`: an
/// unknown account) but counts and locks in the device blob (the trusted lane, blocked after
/// `min(BLOCK_AFTER_FAILURES, 2 × LOCK_AFTER_FAILURES)` failures) instead of the PIN blob, which
/// is not passed. The verdict is final only after the compare-and-swap that stores `state`
/// succeeded.
///
/// Returns, first that applies (docs/verdicts.md, "Device trust"): the token's statuses of
/// `pcodes_device_check` (`DEVICE_UNTRUSTED`, `UNKNOWN_KEY`, `DEVICE_REVOKED`, `EXPIRED`; nothing
/// computed or counted: drop the cookie and call `pcodes_pin_verify` on the PIN blob); `LOCKED`,
/// `BLOCKED` (the trusted lane; see `pcodes_state_retry_at` on `state`); `PIN_FORMAT`,
/// `MALFORMED_HASH`, `UNKNOWN_KEY` (not counted); `WRONG` (counted); `OK`. Also
/// `NULL_ARGUMENT`, `INVALID_ARGUMENT` (bad UTF-8, empty `account_id`, `now` out of range, the
/// blob overlapping an input), `CORRUPT_STATE` (state unchanged), `PEPPER_FAILED`.
#[allow(clippy::too_many_arguments)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_device_pin_verify(
    ctx: *const pcodes_ctx,
    account_id: *const c_char,
    pin: *const c_char,
    stored: *const c_char,
    token: *const c_char,
    now: u64,
    state: *mut u8,
    state_len: usize,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes a live context and NUL-terminated strings (or NULLs; `stored`
        // may be NULL).
        let (c, account, p, s, t) = unsafe {
            (
                ctx_ref(ctx)?,
                text(account_id, arg!(account_id))?,
                text(pin, arg!(pin))?,
                super::opt_text(stored, arg!(stored))?,
                text(token, arg!(token))?,
            )
        };
        no_overlap!(
            writes: [state: region_of_state(state, state_len)],
            reads: [
                ctx: region_of(ctx),
                account_id: region_of_text(account),
                pin: region_of_text(p),
                stored: region_of_opt_text(s),
                token: region_of_text(t),
            ],
        )?;
        let stored = s.map_or(crate::pin::Stored::UnknownAccount, crate::pin::Stored::Hash);
        // SAFETY: caller passes a readable and writable blob of `state_len` bytes, disjoint from
        // the inputs (checked above).
        let st = unsafe { state_blob(state, state_len) }?;
        device::pin_verify(c, account, p, stored, t, now, st)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::ctx::pcodes_ctx_free;
    use crate::ffi::ctx::{PCODES_SETTING_PIN_ITERATIONS, pcodes_ctx_set};
    use crate::ffi::pin::{pcodes_pin_hash, pcodes_pin_verify};
    use crate::ffi::status::*;
    use crate::ffi::test_support::new_ctx;
    use core::ptr::{null, null_mut};

    const NOW: u64 = 1_750_000_000;

    #[test]
    fn size_constant() {
        assert_eq!(pcodes_device_token_bytes(), 81);
    }

    /// Issuing writes the device blob (one token, at NOW: payload bytes 8..17), which
    /// `pcodes_state_events` reports as `PCODES_EVENT_DEVICE_TRUSTED`; a refusal writes nothing.
    #[test]
    fn issue_records_and_events_tell_through_the_abi() {
        use crate::ffi::state::{PCODES_EVENT_DEVICE_TRUSTED, pcodes_events, pcodes_state_events};
        let ctx = new_ctx(0x42, 1);
        let (mut dev, mut tok) = ([0u8; 64], [0u8; 81]);
        let mut ev = pcodes_events::default();
        // SAFETY: live context, NUL-terminated strings, buffers of the stated sizes.
        unsafe {
            let t = tok.as_mut_ptr().cast();
            let r = pcodes_device_issue(ctx, c"".as_ptr(), NOW, dev.as_mut_ptr(), 64, t, 81);
            assert_eq!(r, PCODES_STATUS_INVALID_ARGUMENT);
            assert_eq!(dev, [0; 64], "a refusal writes nothing");
            let r = pcodes_device_issue(ctx, c"acc-1".as_ptr(), NOW, dev.as_mut_ptr(), 64, t, 81);
            assert_eq!(r, PCODES_STATUS_OK);
            assert_eq!(dev[24 + 8..24 + 12], 1u32.to_le_bytes());
            assert_eq!(dev[24 + 12..24 + 17], NOW.to_le_bytes()[..5]);
            let zero = [0u8; 64];
            let r = pcodes_state_events(ctx, zero.as_ptr(), 64, dev.as_ptr(), 64, NOW, &raw mut ev);
            assert_eq!(r, PCODES_STATUS_OK);
            assert_eq!((ev.flags, ev.trusted_at), (PCODES_EVENT_DEVICE_TRUSTED, NOW));
            pcodes_ctx_free(ctx);
        }
    }

    /// Issue, check, the two lanes, revoke, through the ABI.
    #[test]
    fn the_trusted_lane_through_the_abi() {
        let ctx = new_ctx(0x42, 1);
        let acct = c"acc-1";
        let (mut dev, mut pin_st) = ([0u8; 64], [0u8; 64]);
        let mut tok = [0x55u8; 81];
        let mut hash = [0u8; 128];
        // SAFETY: live context, NUL-terminated strings, buffers of the stated sizes.
        unsafe {
            assert_eq!(pcodes_ctx_set(ctx, PCODES_SETTING_PIN_ITERATIONS, 10_000), PCODES_STATUS_OK);
            assert_eq!(
                pcodes_device_issue(
                    ctx,
                    acct.as_ptr(),
                    NOW,
                    dev.as_mut_ptr(),
                    64,
                    tok.as_mut_ptr().cast(),
                    80
                ),
                PCODES_STATUS_BUFFER_TOO_SMALL
            );
            assert_eq!((tok, dev), ([0x55; 81], [0; 64]), "untouched");
            assert_eq!(
                pcodes_device_issue(
                    ctx,
                    acct.as_ptr(),
                    NOW,
                    dev.as_mut_ptr(),
                    64,
                    tok.as_mut_ptr().cast(),
                    81
                ),
                PCODES_STATUS_OK
            );
            assert_eq!(tok[80], 0);
            let t = tok.as_ptr().cast::<c_char>();
            assert_eq!(pcodes_device_check(ctx, acct.as_ptr(), t, NOW, dev.as_ptr(), 64), PCODES_STATUS_OK);
            let other = c"acc-2";
            assert_eq!(
                pcodes_device_check(ctx, other.as_ptr(), t, NOW, dev.as_ptr(), 64),
                PCODES_STATUS_DEVICE_UNTRUSTED
            );
            let pin = c"385027";
            assert_eq!(pcodes_pin_hash(ctx, acct.as_ptr(), pin.as_ptr(), hash.as_mut_ptr().cast(), 128), 0);
            let h = hash.as_ptr().cast::<c_char>();
            let wrong = c"000000";
            // An attacker without a token blocks the PIN blob (each guess after the last lock ended).
            for i in 0..15 {
                let now = NOW + i * 2_000;
                let r =
                    pcodes_pin_verify(ctx, acct.as_ptr(), wrong.as_ptr(), h, now, pin_st.as_mut_ptr(), 64);
                assert_eq!(r, PCODES_STATUS_WRONG);
            }
            assert_eq!(
                pcodes_pin_verify(ctx, acct.as_ptr(), pin.as_ptr(), h, NOW + 30_000, pin_st.as_mut_ptr(), 64),
                PCODES_STATUS_BLOCKED
            );
            let verify = |p: &core::ffi::CStr, s: *const c_char, dev: &mut [u8; 64]| {
                pcodes_device_pin_verify(
                    ctx,
                    acct.as_ptr(),
                    p.as_ptr(),
                    s,
                    t,
                    NOW + 30_000,
                    dev.as_mut_ptr(),
                    64,
                )
            };
            assert_eq!(verify(pin, h, &mut dev), PCODES_STATUS_OK, "the owner is in");
            assert_eq!(verify(wrong, h, &mut dev), PCODES_STATUS_WRONG);
            assert_eq!(verify(pin, null(), &mut dev), PCODES_STATUS_WRONG, "unknown account");
            assert_eq!(u16::from_le_bytes([dev[2], dev[3]]), 2);
            assert_eq!(pcodes_device_revoke_all(dev.as_mut_ptr(), 64), PCODES_STATUS_OK);
            let before = dev;
            assert_eq!(verify(pin, h, &mut dev), PCODES_STATUS_DEVICE_REVOKED);
            assert_eq!(dev, before, "nothing counted");
            assert_eq!(pcodes_device_revoke_all(pin_st.as_mut_ptr(), 64), PCODES_STATUS_CORRUPT_STATE);
            assert_eq!(pcodes_device_revoke_all(null_mut(), 64), PCODES_STATUS_NULL_ARGUMENT);
            assert_eq!(
                pcodes_device_pin_verify(
                    ctx,
                    acct.as_ptr(),
                    pin.as_ptr(),
                    h,
                    null(),
                    NOW,
                    dev.as_mut_ptr(),
                    64
                ),
                PCODES_STATUS_NULL_ARGUMENT
            );
            assert_eq!(
                pcodes_device_check(ctx, acct.as_ptr(), t, NOW, dev.as_ptr(), 63),
                PCODES_STATUS_CORRUPT_STATE
            );
            pcodes_ctx_free(ctx);
        }
    }
}
