//! PINs: policy check, peppered hash, verification with lockout (one call or two phases),
//! dummy verification for unknown accounts, rehash detection.

use core::ffi::c_char;

use super::ctx::{ctx_ref, pcodes_ctx};
use super::{
    OutBuf, Region, boundary, opt_text, out, pcodes_status, region_of, region_of_opt_text, region_of_state,
    region_of_text, state_blob, text,
};
use crate::pin;

/// Buffer size for a stored PIN hash string, including the terminating NUL (the longest
/// string is 102 characters).
pub const PCODES_PIN_HASH_BYTES: usize = 128;
const _: () = assert!(PCODES_PIN_HASH_BYTES == pin::PIN_HASH_BYTES);

/// `PCODES_PIN_HASH_BYTES` as a function (JNA cannot read macros).
#[unsafe(no_mangle)]
pub extern "C" fn pcodes_pin_hash_bytes() -> usize {
    PCODES_PIN_HASH_BYTES
}

/// Why a PIN was refused as weak (`pcodes_pin_check_reason`); 0 = not weak.
pub type pcodes_pin_weakness = i32;
/// Not refused as weak.
pub const PCODES_PIN_WEAK_NONE: pcodes_pin_weakness = 0;
/// On the data-driven blocklist of the most frequently chosen PINs.
pub const PCODES_PIN_WEAK_BLOCKLIST: pcodes_pin_weakness = 1;
/// One digit repeated (0000, 777777).
pub const PCODES_PIN_WEAK_REPEATED_DIGIT: pcodes_pin_weakness = 2;
/// Ascending or descending run, wrapping 9-0 (1234, 987654, 7890).
pub const PCODES_PIN_WEAK_SEQUENCE: pcodes_pin_weakness = 3;
/// Straight lines on a phone keypad (2580, 147258, 159357).
pub const PCODES_PIN_WEAK_KEYPAD_LINE: pcodes_pin_weakness = 4;
/// Repeated pair or half (1212, 121212, 123123).
pub const PCODES_PIN_WEAK_REPEATED_HALVES: pcodes_pin_weakness = 5;
/// A plausible date (DDMM, MMDD, DDMMYY).
pub const PCODES_PIN_WEAK_DATE: pcodes_pin_weakness = 6;
/// A year from 1900 to 2039.
pub const PCODES_PIN_WEAK_YEAR: pcodes_pin_weakness = 7;
/// Derived from the holder's birth date.
pub const PCODES_PIN_WEAK_BIRTH_DATE: pcodes_pin_weakness = 8;

/// Checks a new PIN typed twice: exactly one of the allowed lengths (`PIN_LENGTHS`) of ASCII
/// digits, equal to `confirm`, not on the blocklist, not a pattern (repeated digit, run,
/// keypad line, repeated halves, date, year) and, when `birth_date` (`"YYYY-MM-DD"`, nullable)
/// is given, not derived from it. Checks stop at the first failure in that order.
///
/// Returns `OK`, `NULL_ARGUMENT`, `INVALID_ARGUMENT` (bad UTF-8), `PIN_FORMAT`, `PIN_MISMATCH`,
/// `INVALID_BIRTH_DATE`, `PIN_WEAK`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_pin_check(
    ctx: *const pcodes_ctx,
    pin: *const c_char,
    confirm: *const c_char,
    birth_date: *const c_char,
) -> pcodes_status {
    // SAFETY: forwarded caller contract; a NULL reason pointer is allowed.
    unsafe { pcodes_pin_check_reason(ctx, pin, confirm, birth_date, core::ptr::null_mut()) }
}

/// `pcodes_pin_check`, also telling why a PIN is weak: `*reason_out` (nullable) is set to a
/// `PCODES_PIN_WEAK_*` value when the status is `PIN_WEAK`, else to `PCODES_PIN_WEAK_NONE`
/// (except when it overlaps an input: then it is untouched and the status `INVALID_ARGUMENT`).
///
/// Returns as `pcodes_pin_check`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_pin_check_reason(
    ctx: *const pcodes_ctx,
    pin: *const c_char,
    confirm: *const c_char,
    birth_date: *const c_char,
    reason_out: *mut pcodes_pin_weakness,
) -> pcodes_status {
    boundary(|| {
        // Converted last to first: each refusal records its detail, so the detail left is that of
        // the first refused argument, the one whose status `checked` returns (issue 20 §5: it
        // named the last one).
        // SAFETY: caller passes a live context and NUL-terminated strings (birth_date nullable).
        let (b, cf, p, c) = unsafe {
            (
                opt_text(birth_date, arg!(birth_date)),
                text(confirm, arg!(confirm)),
                text(pin, arg!(pin)),
                ctx_ref(ctx),
            )
        };
        // Checked before any refusal of the inputs, so that `*reason_out` is written (NONE) on
        // every status but this one.
        no_overlap!(
            writes: [reason_out: region_of(reason_out)],
            reads: [
                ctx: region_of(ctx),
                pin: region_of_opt_text(p.as_ref().ok().copied()),
                confirm: region_of_opt_text(cf.as_ref().ok().copied()),
                birth_date: region_of_opt_text(b.as_ref().ok().copied().flatten()),
            ],
        )?;
        let checked = || -> crate::Result<_> { Ok(pin::policy::check_weakness(c?, p?, cf?, b?)) };
        let (verdict, weakness) = checked().unwrap_or_else(|e| (Err(e), None));
        // SAFETY: `reason_out` is NULL or a writable int32_t by this function's contract, disjoint
        // from the inputs (checked above).
        if let Some(r) = unsafe { reason_out.as_mut() } {
            *r = weakness.map_or(PCODES_PIN_WEAK_NONE, pin::Weakness::code);
        }
        verdict
    })
}

/// The name of a `PCODES_PIN_WEAK_*` value, e.g. `"KEYPAD_LINE"`; `"NONE"` for 0, `"UNKNOWN"`
/// for other values. Static storage; never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn pcodes_pin_weakness_name(reason: pcodes_pin_weakness) -> *const c_char {
    let s = match pin::Weakness::from_code(reason) {
        Some(w) => w.name_nul(),
        None if reason == PCODES_PIN_WEAK_NONE => "NONE\0",
        None => "UNKNOWN\0",
    };
    s.as_ptr().cast()
}

/// Hashes `pin` for `account_id` (non-empty) with a fresh salt, the current PIN pepper key,
/// `PIN_LANES` lanes and `PIN_ITERATIONS` (each lane ⌈`PIN_ITERATIONS` / lanes⌉ iterations),
/// writing the self-describing string
/// `$pcodes-pin$v=2,k=<key id>,l=<lanes>,i=<iterations>,n=<length>$<salt>$<tag>` (at most
/// `PCODES_PIN_HASH_BYTES` including NUL) into `out`; the verify functions also read the `v=1`
/// strings of earlier releases. Call `pcodes_pin_check` first when the
/// PIN is being chosen. The buffer size is checked before the (slow) hashing.
///
/// Returns `OK`, `NULL_ARGUMENT`, `INVALID_ARGUMENT` (bad UTF-8, empty account id, `out`
/// overlapping an input), `PIN_FORMAT`, `BUFFER_TOO_SMALL` (nothing written), `RNG_FAILURE`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_pin_hash(
    ctx: *const pcodes_ctx,
    account_id: *const c_char,
    pin: *const c_char,
    out: *mut c_char,
    out_len: usize,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes a live context and NUL-terminated strings.
        let (c, account, typed) =
            unsafe { (ctx_ref(ctx)?, text(account_id, arg!(account_id))?, text(pin, arg!(pin))?) };
        let o = OutBuf::new(out, out_len, arg!(out, out_len, "see PCODES_PIN_HASH_BYTES"))?;
        no_overlap!(
            writes: [out: o.region()],
            reads: [ctx: region_of(ctx), account_id: region_of_text(account), pin: region_of_text(typed)],
        )?;
        o.room(pin::hash_len(c, account, typed)? + 1)?;
        let h = pin::hash(c, account, typed)?;
        // SAFETY: caller passes `out_len` writable bytes, disjoint from the inputs (checked above).
        unsafe { o.put(h.as_str()) }
    })
}

/// The context, account id, PIN and stored hash (if any) of a verification, and the regions of
/// the four arguments.
type VerifyArgs<'a> = (&'a crate::Context, &'a str, &'a str, Option<&'a str>, [Region; 4]);

/// The inputs of a PIN verification (`stored` nullable) and their regions, for `no_overlap!`.
///
/// # Safety
/// `ctx` is NULL or live; the strings are NULL or NUL-terminated, valid for the call.
unsafe fn verify_args<'a>(
    ctx: *const pcodes_ctx,
    account_id: *const c_char,
    pin: *const c_char,
    stored: *const c_char,
) -> crate::Result<VerifyArgs<'a>> {
    // SAFETY: forwarded caller contract.
    let (c, a, p, s) = unsafe {
        (
            ctx_ref(ctx)?,
            text(account_id, arg!(account_id))?,
            text(pin, arg!(pin))?,
            opt_text(stored, arg!(stored))?,
        )
    };
    Ok((c, a, p, s, [region_of(ctx), region_of_text(a), region_of_text(p), region_of_opt_text(s)]))
}

/// Which verification step to run.
#[derive(Clone, Copy)]
enum Step {
    Whole,
    Begin,
    Finish,
}

/// # Safety
/// The pointers as documented on `pcodes_pin_verify`.
#[allow(clippy::too_many_arguments)]
unsafe fn verify_step(
    step: Step,
    ctx: *const pcodes_ctx,
    account_id: *const c_char,
    pin: *const c_char,
    stored: *const c_char,
    now: u64,
    state: *mut u8,
    state_len: usize,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: forwarded caller contract.
        let (c, a, p, s, [r0, r1, r2, r3]) = unsafe { verify_args(ctx, account_id, pin, stored) }?;
        no_overlap!(
            writes: [state: region_of_state(state, state_len)],
            reads: [ctx: r0, account_id: r1, pin: r2, stored: r3],
        )?;
        if s.is_none() && state.is_null() {
            return previous_header_unknown_account(step, c, a, p, now);
        }
        let stored = s.map_or(pin::Stored::UnknownAccount, pin::Stored::Hash);
        // SAFETY: caller passes a readable and writable blob of `state_len` bytes, disjoint from
        // the inputs (checked above).
        let st = unsafe { state_blob(state, state_len) }?;
        match step {
            Step::Whole => pin::verify(c, a, p, stored, now, st),
            Step::Begin => pin::verify_begin(c, p, stored, now, st),
            Step::Finish => pin::verify_finish(c, a, p, stored, now, st),
        }
    })
}

/// **Deprecated** (kept until the next SONAME; docs/c-api.md, "Versions"): the 0.1 header let an
/// unknown account (`stored = NULL`) pass `state = NULL`, "ignored". Such a call still answers as
/// that release did: the same PBKDF2 work in a throw-away fresh blob, `WRONG` (`OK` for begin,
/// `PIN_FORMAT` for a malformed PIN), nothing counted anywhere.
fn previous_header_unknown_account(
    step: Step,
    c: &crate::Context,
    account: &str,
    typed: &str,
    now: u64,
) -> crate::Result<()> {
    let mut scratch = [0u8; crate::state::STATE_BYTES];
    let unknown = pin::Stored::UnknownAccount;
    match step {
        Step::Begin => pin::verify_begin(c, typed, unknown, now, &mut scratch),
        Step::Whole | Step::Finish => pin::verify(c, account, typed, unknown, now, &mut scratch),
    }
}

/// Verifies `pin` for `account_id` against `stored` in one call, counting a wrong PIN in the
/// account's state blob (kind PIN) and clearing the count on success. The failure is recorded
/// before PBKDF2 runs, in the blob written back; store it with compare-and-swap. For hosts
/// that may run attempts for one account in parallel without a row lock, use
/// `pcodes_pin_verify_begin` + `pcodes_pin_verify_finish` instead.
///
/// Unknown account: pass `stored = NULL` and the blob the host keeps for the name that was
/// typed (e.g. a row keyed by the login name; required: the 0.1 form with `state = NULL` is
/// deprecated and counts nothing). The call does the same PBKDF2 work
/// with the current settings, counts and locks in that blob exactly like a wrong PIN on a real
/// account and returns `WRONG` (or `LOCKED`/`BLOCKED`), so neither the status, the blob nor
/// the response time tells which accounts exist.
///
/// Returns `OK`, `NULL_ARGUMENT`, `INVALID_ARGUMENT` (bad UTF-8, `now` out of range, the blob
/// overlapping an input), `CORRUPT_STATE` (blob left unchanged), `LOCKED`, `BLOCKED` (see
/// `pcodes_state_retry_at`), `MALFORMED_HASH`, `UNKNOWN_KEY`, `PIN_FORMAT` (not 4 or 6 ASCII
/// digits; not counted), `WRONG` (counted).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_pin_verify(
    ctx: *const pcodes_ctx,
    account_id: *const c_char,
    pin: *const c_char,
    stored: *const c_char,
    now: u64,
    state: *mut u8,
    state_len: usize,
) -> pcodes_status {
    // SAFETY: forwarded caller contract.
    unsafe { verify_step(Step::Whole, ctx, account_id, pin, stored, now, state, state_len) }
}

/// Phase 1 of a two-phase verification (same arguments as `pcodes_pin_verify`). Checks the
/// lock, the stored string, its key id and the PIN's format, then writes the blob with this
/// attempt pre-counted as a failure plus one pending-attempt credit. Cheap (no PBKDF2).
///
/// Host protocol: (1) read the row: stored hash and blob `old`; (2) call this; on anything but
/// `OK` stop with that status (store the blob if it changed); (3) store the blob with
/// `UPDATE ... SET state = new WHERE id = ? AND state = old`; if no row was updated, another
/// attempt raced: start again at (1); (4) call `pcodes_pin_verify_finish` on the stored blob;
/// (5) store its blob with compare-and-swap again. The verdict of (4) is final even if (5)
/// loses a race (the attempt was paid for in (3)); after `OK`, re-read and call finish again
/// to clear the counter, or leave it (only stricter). Parallel wrong guesses can thus never
/// get past `LOCK_AFTER_FAILURES`. With `stored = NULL` (unknown account) it does the same with
/// the blob kept for the typed name (required), exactly as for a real account.
///
/// Returns `OK`, `NULL_ARGUMENT`, `INVALID_ARGUMENT`, `CORRUPT_STATE`, `LOCKED`, `BLOCKED`,
/// `MALFORMED_HASH`, `UNKNOWN_KEY`, `PIN_FORMAT` (none of these is counted).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_pin_verify_begin(
    ctx: *const pcodes_ctx,
    account_id: *const c_char,
    pin: *const c_char,
    stored: *const c_char,
    now: u64,
    state: *mut u8,
    state_len: usize,
) -> pcodes_status {
    // SAFETY: forwarded caller contract.
    unsafe { verify_step(Step::Begin, ctx, account_id, pin, stored, now, state, state_len) }
}

/// Phase 2 (see `pcodes_pin_verify_begin` for the host protocol): consumes a pending-attempt
/// credit, runs PBKDF2 and compares in constant time. `OK` clears the failures and any lock;
/// `WRONG` keeps the failure counted in phase 1. The lock is not checked again. With
/// `stored = NULL` it does the dummy work and returns `WRONG`. `OK` also clears every other
/// pending attempt (their finish then answers `NO_CHALLENGE`: start again with begin).
///
/// Returns `OK`, `NULL_ARGUMENT`, `INVALID_ARGUMENT`, `CORRUPT_STATE`, `NO_CHALLENGE` (no
/// pending attempt in the blob: call begin first; nothing computed), `MALFORMED_HASH`,
/// `UNKNOWN_KEY`, `PIN_FORMAT`, `WRONG`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_pin_verify_finish(
    ctx: *const pcodes_ctx,
    account_id: *const c_char,
    pin: *const c_char,
    stored: *const c_char,
    now: u64,
    state: *mut u8,
    state_len: usize,
) -> pcodes_status {
    // SAFETY: forwarded caller contract.
    unsafe { verify_step(Step::Finish, ctx, account_id, pin, stored, now, state, state_len) }
}

/// Phase 2a, for hosts that store the phase-2 blob with compare-and-swap and may lose a race:
/// runs PBKDF2, the keyed step and the constant-time comparison without touching any state,
/// and sets `*match_out`. Record the result with `pcodes_pin_verify_apply`, which is cheap and
/// can be retried on a freshly read blob, so a lost race never costs a second PBKDF2.
/// (`pcodes_pin_verify_finish` is this followed by apply.) Contract: call it only for an
/// attempt whose begin blob was stored; it reads no state, so it must never be exposed to
/// users any other way (it is an oracle for whoever holds the stored hash, who could compute
/// the same offline). With `stored = NULL` (an unknown account) it does the same work as for a
/// real account and sets `*match_out = false`, like `pcodes_pin_verify_finish`.
///
/// Returns `OK`, `NULL_ARGUMENT`, `INVALID_ARGUMENT`, `PIN_FORMAT`, `MALFORMED_HASH`,
/// `UNKNOWN_KEY`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_pin_verify_compute(
    ctx: *const pcodes_ctx,
    account_id: *const c_char,
    pin: *const c_char,
    stored: *const c_char,
    match_out: *mut bool,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: forwarded caller contract.
        let (c, account, typed, hashed, [r0, r1, r2, r3]) =
            unsafe { verify_args(ctx, account_id, pin, stored) }?;
        // An unknown account (`stored = NULL`) does the dummy work and never matches, as in Rust.
        let hashed = hashed.map_or(pin::Stored::UnknownAccount, pin::Stored::Hash);
        no_overlap!(writes: [match_out: region_of(match_out)], reads: [ctx: r0, account_id: r1, pin: r2, stored: r3])?;
        // SAFETY: caller passes a writable bool, disjoint from the inputs (checked above).
        let o = unsafe { out(match_out, arg!(match_out)) }?;
        *o = pin::compute_match(c, account, typed, hashed)?;
        Ok(())
    })
}

/// Phase 2b: records the result of `pcodes_pin_verify_compute` in the blob: consumes a
/// pending-attempt credit (from `pcodes_pin_verify_begin`); a match clears the failures and any
/// lock. Cheap; on a lost compare-and-swap, re-read the blob and call it again.
///
/// `matched` is the byte `pcodes_pin_verify_compute` wrote: 0 (no match) or 1 (match); any other
/// value is `INVALID_ARGUMENT` and changes nothing (a C `bool` of the previous header passes the
/// same way, so compiled hosts keep working).
///
/// Returns `OK` (matched), `WRONG` (did not match; the failure counted in phase 1 stays),
/// `NULL_ARGUMENT`, `INVALID_ARGUMENT` (`matched` not 0 or 1), `CORRUPT_STATE` (left unchanged),
/// `NO_CHALLENGE` (no pending attempt; nothing recorded).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_pin_verify_apply(
    matched: u8,
    now: u64,
    state: *mut u8,
    state_len: usize,
) -> pcodes_status {
    boundary(|| {
        // Read as a byte, never as a Rust `bool`: a caller (JNA, ctypes) may pass any value, and
        // only 0 and 1 mean something. Same size and calling convention as the C `bool` of the
        // previous header, so compiled hosts keep working.
        let matched = match matched {
            0 => false,
            1 => true,
            _ => {
                return Err(crate::Error::InvalidArgument
                    .because(c"matched: must be 0 or 1 (what pcodes_pin_verify_compute wrote)"));
            }
        };
        // SAFETY: caller passes a readable and writable blob of `state_len` bytes.
        let st = unsafe { state_blob(state, state_len) }?;
        pin::apply_match(matched, now, st)
    })
}

/// Sets `*needs_out` to true when `stored` should be replaced by a new `pcodes_pin_hash` of the
/// PIN just verified: its key id is not the current one (including a key this context no
/// longer holds), its lanes differ from `PIN_LANES` or its iterations from what
/// `PIN_ITERATIONS` gives each lane, or its format version is old (every `v=1` string).
///
/// Returns `OK`, `NULL_ARGUMENT`, `INVALID_ARGUMENT` (bad UTF-8, `needs_out` overlapping an
/// input), `MALFORMED_HASH`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_pin_needs_rehash(
    ctx: *const pcodes_ctx,
    stored: *const c_char,
    needs_out: *mut bool,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes a live context and a NUL-terminated string.
        let (c, s) = unsafe { (ctx_ref(ctx)?, text(stored, arg!(stored))?) };
        no_overlap!(writes: [needs_out: region_of(needs_out)], reads: [ctx: region_of(ctx), stored: region_of_text(s)])?;
        // SAFETY: caller passes a writable bool, disjoint from the inputs (checked above).
        let o = unsafe { out(needs_out, arg!(needs_out)) }?;
        *o = pin::needs_rehash(c, s)?;
        Ok(())
    })
}

#[cfg(test)]
mod tests;
