//! Recovery codes (`pcodes_recovery_*`, issue 22 §1): generate a set, verify/consume a code,
//! count the codes left.

use core::ffi::c_char;

use super::ctx::{ctx_ref, pcodes_ctx};
use super::{
    OutBuf, boundary, bytes, out, pcodes_status, region_of, region_of_bytes, region_of_state, region_of_text,
    state_blob, text,
};
use crate::recovery;

/// Buffer size for one recovery code, `XXXX-XXXX-XXXX` plus NUL: `pcodes_recovery_generate`
/// writes code i at `codes_out + i * PCODES_RECOVERY_CODE_BYTES`.
pub const PCODES_RECOVERY_CODE_BYTES: usize = 15;
const _: () = assert!(PCODES_RECOVERY_CODE_BYTES == recovery::CODE_BYTES);
/// Buffer size for the stored recovery-code string, including the NUL (the longest is 214
/// bytes).
pub const PCODES_RECOVERY_STORED_BYTES: usize = 256;
const _: () = assert!(PCODES_RECOVERY_STORED_BYTES == recovery::STORED_BYTES);
/// Codes in a set unless the host asks for another number.
pub const PCODES_RECOVERY_DEFAULT_COUNT: u32 = 10;
const _: () = assert!(PCODES_RECOVERY_DEFAULT_COUNT == recovery::DEFAULT_COUNT);
/// Most codes in a set.
pub const PCODES_RECOVERY_MAX_COUNT: u32 = 16;
const _: () = assert!(PCODES_RECOVERY_MAX_COUNT == recovery::MAX_COUNT);

/// `PCODES_RECOVERY_CODE_BYTES` as a function (JNA cannot read macros).
#[unsafe(no_mangle)]
pub extern "C" fn pcodes_recovery_code_bytes() -> usize {
    PCODES_RECOVERY_CODE_BYTES
}

/// `PCODES_RECOVERY_STORED_BYTES` as a function (JNA cannot read macros).
#[unsafe(no_mangle)]
pub extern "C" fn pcodes_recovery_stored_bytes() -> usize {
    PCODES_RECOVERY_STORED_BYTES
}

/// Generates a set of `count` recovery codes (1 ..= `PCODES_RECOVERY_MAX_COUNT`, usually
/// `PCODES_RECOVERY_DEFAULT_COUNT`) for `account_id` and records it in `state` (the account's
/// recovery blob; all zeros for a first set). Code i (`XXXX-XXXX-XXXX`, NUL-terminated) is
/// written at `codes_out + i * PCODES_RECOVERY_CODE_BYTES`: show them to the person once, then
/// clear the buffer. `stored_out` gets the string to store for the account (only keyed,
/// peppered, account-bound tags: no code can be read from it). Store `stored_out` and `state`
/// in the same row with one compare-and-swap; the set replaces any earlier one, whose codes
/// are dead from then on. Not an attempt: no lock refuses it, the failure count is kept.
///
/// `codes_out_len` must be at least `count * PCODES_RECOVERY_CODE_BYTES` and `stored_out_len`
/// at least `PCODES_RECOVERY_STORED_BYTES`; both are checked before anything is drawn.
///
/// Returns `OK`, `NULL_ARGUMENT`, `INVALID_ARGUMENT` (bad UTF-8, empty `account_id`, `count`
/// out of range, overlapping buffers), `BUFFER_TOO_SMALL`, `CORRUPT_STATE` (state unchanged),
/// `RNG_FAILURE`, `PEPPER_FAILED` (the tags use the PIN pepper: the callback of
/// `pcodes_pepper_set_callback`, if it serves the current key id, failed; nothing written).
#[allow(clippy::too_many_arguments)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_recovery_generate(
    ctx: *const pcodes_ctx,
    account_id: *const c_char,
    count: u32,
    state: *mut u8,
    state_len: usize,
    codes_out: *mut c_char,
    codes_out_len: usize,
    stored_out: *mut c_char,
    stored_out_len: usize,
) -> pcodes_status {
    const CODES: &super::Arg = arg!(codes_out, codes_out_len, "see PCODES_RECOVERY_CODE_BYTES (15) per code");
    const STORED: &super::Arg = arg!(stored_out, stored_out_len, "see PCODES_RECOVERY_STORED_BYTES (256)");
    boundary(|| {
        // SAFETY: caller passes a live context (or NULL) and a NUL-terminated string (or NULL).
        let (c, account) = unsafe { (ctx_ref(ctx)?, text(account_id, arg!(account_id))?) };
        let codes = OutBuf::new(codes_out, codes_out_len, CODES)?;
        let stored = OutBuf::new(stored_out, stored_out_len, STORED)?;
        no_overlap!(
            writes: [state: region_of_state(state, state_len), codes_out: codes.region(), stored_out: stored.region()],
            reads: [ctx: region_of(ctx), account_id: region_of_text(account)],
        )?;
        if !(1..=PCODES_RECOVERY_MAX_COUNT).contains(&count) {
            return Err(
                crate::Error::InvalidArgument.because(c"count: must be 1 ..= PCODES_RECOVERY_MAX_COUNT (16)")
            );
        }
        codes.room(count as usize * PCODES_RECOVERY_CODE_BYTES)?;
        stored.room(PCODES_RECOVERY_STORED_BYTES)?;
        // SAFETY: caller passes a writable blob of `state_len` bytes (or NULL), disjoint from
        // the other arguments (checked above).
        let st = unsafe { state_blob(state, state_len) }?;
        let set = recovery::generate(c, account, count, st)?;
        // SAFETY: `codes_out_len` writable bytes, disjoint from the inputs (checked above);
        // at least `count` slots of PCODES_RECOVERY_CODE_BYTES (checked above).
        let o = unsafe { super::bytes_mut(codes_out, codes_out_len, CODES) }?;
        for (slot, code) in o.chunks_exact_mut(PCODES_RECOVERY_CODE_BYTES).zip(set.codes()) {
            super::put_text(slot, code.as_str(), CODES)?;
        }
        // SAFETY: `stored_out_len` writable bytes, disjoint from the inputs (checked above).
        unsafe { stored.put(set.stored().as_str()) }
    })
}

/// Checks `code` as typed by the person (either case, dashes and spaces ignored) against the
/// account's set: `stored` (the string `pcodes_recovery_generate` wrote) and `state` (its blob),
/// at `now`, and records the attempt in `state`. On `OK` the code is now used and
/// `*remaining_out` is the number of codes left (written only on `OK`). Verdicts, first that
/// applies (docs/verdicts.md): `LOCKED`/`BLOCKED`; `NO_CHALLENGE` (no set in this blob);
/// `SUPERSEDED` (blob and string of different sets: one of them is stale); `MISTYPED` (not 12
/// symbols with a valid check symbol); `WRONG` (not a code of this set for this account:
/// counted by the lockout); `ALREADY_USED` (a code used before: never `OK` twice); `OK`. Only
/// `WRONG` counts. The verdict is final only after the compare-and-swap that stores `state`
/// succeeded.
///
/// Also returns `NULL_ARGUMENT`, `INVALID_ARGUMENT` (bad UTF-8, empty `account_id`, `now` out
/// of range, overlapping buffers), `MALFORMED_HASH` (`stored` is not a recovery-code string),
/// `UNKNOWN_KEY` (written under a key the context does not hold), `CORRUPT_STATE` and
/// `PEPPER_FAILED` (the pepper callback serving the string's key id failed: no verdict, not
/// counted), all with the state unchanged.
#[allow(clippy::too_many_arguments)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_recovery_verify(
    ctx: *const pcodes_ctx,
    account_id: *const c_char,
    stored: *const c_char,
    code: *const c_char,
    now: u64,
    state: *mut u8,
    state_len: usize,
    remaining_out: *mut u32,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes a live context and NUL-terminated strings (or NULLs).
        let (c, account, stored, code) = unsafe {
            (
                ctx_ref(ctx)?,
                text(account_id, arg!(account_id))?,
                text(stored, arg!(stored))?,
                text(code, arg!(code))?,
            )
        };
        super::non_null(remaining_out, arg!(remaining_out))?;
        no_overlap!(
            writes: [state: region_of_state(state, state_len), remaining_out: region_of(remaining_out)],
            reads: [
                ctx: region_of(ctx),
                account_id: region_of_text(account),
                stored: region_of_text(stored),
                code: region_of_text(code),
            ],
        )?;
        // SAFETY: caller passes a writable blob of `state_len` bytes and a writable u32,
        // disjoint from each other and the inputs (checked above).
        let (st, o) = unsafe { (state_blob(state, state_len)?, out(remaining_out, arg!(remaining_out))?) };
        *o = recovery::verify(c, account, stored, code, now, st)?;
        Ok(())
    })
}

/// Writes to `*remaining_out` the number of codes of the set recorded in `state` that were not
/// used yet (0 for a fresh blob).
///
/// Returns `OK`, `NULL_ARGUMENT`, `INVALID_ARGUMENT` (overlapping buffers), `CORRUPT_STATE`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_recovery_remaining(
    state: *const u8,
    state_len: usize,
    remaining_out: *mut u32,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes a readable blob of `state_len` bytes (or NULL).
        let st = unsafe { bytes(state, state_len, arg!(state, state_len)) }?;
        no_overlap!(writes: [remaining_out: region_of(remaining_out)], reads: [state: region_of_bytes(st)])?;
        let st: &[u8; crate::STATE_BYTES] = st
            .try_into()
            .map_err(|_| crate::Error::CorruptState.because(c"state_len: must be PCODES_STATE_BYTES (64)"))?;
        // SAFETY: caller passes a writable u32, disjoint from the blob (checked above).
        let o = unsafe { out(remaining_out, arg!(remaining_out)) }?;
        *o = recovery::remaining(st)?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::ctx::pcodes_ctx_free;
    use crate::ffi::status::*;
    use crate::ffi::test_support::{cstr, new_ctx};
    use core::ptr::{null, null_mut};

    #[test]
    fn size_constants() {
        assert_eq!((pcodes_recovery_code_bytes(), pcodes_recovery_stored_bytes()), (15, 256));
    }

    #[test]
    fn generate_verify_remaining_through_the_abi() {
        let ctx = new_ctx(0x42, 1);
        let mut st = [0u8; 64];
        let mut codes = [0xAAu8; 16 * 15];
        let mut stored = [0u8; 256];
        let acc = c"acct-1".as_ptr();
        // SAFETY: the context and live locals of the stated sizes (or NULLs).
        unsafe {
            let generate = |n: u32,
                            st: &mut [u8; 64],
                            codes: &mut [u8; 240],
                            codes_len: usize,
                            stored: &mut [u8; 256],
                            stored_len: usize| {
                pcodes_recovery_generate(
                    ctx,
                    acc,
                    n,
                    st.as_mut_ptr(),
                    64,
                    codes.as_mut_ptr().cast(),
                    codes_len,
                    stored.as_mut_ptr().cast(),
                    stored_len,
                )
            };
            assert_eq!(
                generate(10, &mut st, &mut codes, 149, &mut stored, 256),
                PCODES_STATUS_BUFFER_TOO_SMALL
            );
            assert_eq!(
                generate(10, &mut st, &mut codes, 150, &mut stored, 255),
                PCODES_STATUS_BUFFER_TOO_SMALL
            );
            assert_eq!(
                generate(0, &mut st, &mut codes, 240, &mut stored, 256),
                PCODES_STATUS_INVALID_ARGUMENT
            );
            assert_eq!(
                generate(17, &mut st, &mut codes, 240, &mut stored, 256),
                PCODES_STATUS_INVALID_ARGUMENT
            );
            assert_eq!((st, codes[0], stored[0]), ([0; 64], 0xAA, 0), "nothing drawn or written");
            assert_eq!(generate(10, &mut st, &mut codes, 150, &mut stored, 256), PCODES_STATUS_OK);
            let s = std::ffi::CString::new(cstr(&stored)).unwrap();
            assert!(s.to_str().unwrap().starts_with("$pcodes-recovery$v=1,k=1,n=10$"));
            let code = |i: usize| std::ffi::CString::new(cstr(&codes[i * 15..(i + 1) * 15])).unwrap();
            assert_eq!(code(9).as_bytes().len(), 14);
            let mut left = 99u32;
            let verify = |c: &std::ffi::CString, st: &mut [u8; 64], left: &mut u32| {
                pcodes_recovery_verify(
                    ctx,
                    acc,
                    s.as_ptr(),
                    c.as_ptr(),
                    1_750_000_000,
                    st.as_mut_ptr(),
                    64,
                    left,
                )
            };
            assert_eq!(verify(&code(3), &mut st, &mut left), PCODES_STATUS_OK);
            assert_eq!(left, 9);
            left = 77;
            assert_eq!(verify(&code(3), &mut st, &mut left), PCODES_STATUS_ALREADY_USED);
            assert_eq!(left, 77, "written only on OK");
            assert_eq!(verify(&c"0000-0000-0000".into(), &mut st, &mut left), PCODES_STATUS_WRONG);
            assert_eq!(verify(&c"0000-0000-0001".into(), &mut st, &mut left), PCODES_STATUS_MISTYPED);
            assert_eq!(pcodes_recovery_remaining(st.as_ptr(), 64, &raw mut left), PCODES_STATUS_OK);
            assert_eq!(left, 9);
            assert_eq!(
                pcodes_recovery_remaining(st.as_ptr(), 63, &raw mut left),
                PCODES_STATUS_CORRUPT_STATE
            );
            assert_eq!(pcodes_recovery_remaining(null(), 64, &raw mut left), PCODES_STATUS_NULL_ARGUMENT);
            assert_eq!(pcodes_recovery_remaining(st.as_ptr(), 64, null_mut()), PCODES_STATUS_NULL_ARGUMENT);
            let none = pcodes_recovery_verify(
                ctx,
                acc,
                s.as_ptr(),
                code(4).as_ptr(),
                1_750_000_000,
                st.as_mut_ptr(),
                64,
                null_mut(),
            );
            assert_eq!(none, PCODES_STATUS_NULL_ARGUMENT);
            pcodes_ctx_free(ctx);
        }
    }
}
