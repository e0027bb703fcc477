//! The context: keys and settings.
//!
//! Configure, then share. A context has a phase: `CONFIGURING` from `pcodes_ctx_new` until the
//! first call that uses it, `IN_USE` from then on, and `MUTATING` while one call has it to
//! itself (`pcodes_ctx_add_key`, `pcodes_ctx_set`). Besides the phase, the same atomic counts the
//! `pcodes_ctx_get` calls reading the context before its first use (`READER` each). Every use
//! goes through `ctx_ref`, which sets `IN_USE` once (and then costs one `Acquire` load), readers
//! or not; a mutation takes a `CONFIGURING` context without readers to `MUTATING` and back, and is
//! refused once the context is `IN_USE` or while a reader is inside. So `&mut Context` never
//! exists while another thread may hold `&Context`, whatever the host does: the data race becomes
//! `INVALID_ARGUMENT` for the configuration call or the use that meets a configuration call in
//! progress, and a read never makes a use fail (issue 20: `get` used to take `MUTATING` too).

use core::sync::atomic::{AtomicU32, Ordering};

use core::ffi::c_char;

use super::{boundary, bytes, catch_status, non_null, out, pcodes_status, region_of, region_of_bytes};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::policy::Setting;
use std::boxed::Box;

/// New, no reader inside; `pcodes_ctx_add_key` and `pcodes_ctx_set` allowed.
const CONFIGURING: u32 = 0;
/// Used by a flow (possibly on several threads): read-only for good. A bit: readers that came
/// in before it may still be counted.
const IN_USE: u32 = 1;
/// One configuration call has the context to itself (never with `IN_USE` or readers).
const MUTATING: u32 = 2;
/// One `pcodes_ctx_get` reading the context before its first use (the bits above `MUTATING`
/// count them; `IN_USE` and `MUTATING` leave no room for 2^30 threads to overflow them).
const READER: u32 = 4;

/// Opaque context: keys and settings. Configure, then share: create it with `pcodes_ctx_new`,
/// configure it with `pcodes_ctx_add_key`/`pcodes_ctx_set`, then use it from any number of
/// threads; free it with `pcodes_ctx_free` when no thread uses it any more. After the first call
/// that uses the context (any function taking a `const pcodes_ctx *` other than
/// `pcodes_ctx_get`), `pcodes_ctx_add_key` and `pcodes_ctx_set` return
/// `PCODES_STATUS_INVALID_ARGUMENT` and change nothing; to rotate keys or change settings,
/// create a new context. A call that finds another thread inside `pcodes_ctx_add_key`,
/// `pcodes_ctx_set` on the same context (and a configuration call that finds another thread inside
/// `pcodes_ctx_get`) also returns `PCODES_STATUS_INVALID_ARGUMENT` instead of racing with it. A
/// `pcodes_ctx_get` never makes another call fail but a configuration call.
pub struct pcodes_ctx {
    pub(crate) inner: Context,
    /// `CONFIGURING`, `IN_USE` or `MUTATING`, plus `READER` per `pcodes_ctx_get` inside.
    phase: AtomicU32,
}

/// While alive, the caller has the context to itself (`MUTATING`); dropping it (also when a
/// panic unwinds to `boundary`) publishes the changes and makes it `CONFIGURING` again.
struct Exclusive<'a>(&'a AtomicU32);

impl Drop for Exclusive<'_> {
    fn drop(&mut self) {
        self.0.store(CONFIGURING, Ordering::Release);
    }
}

impl Exclusive<'_> {
    /// Takes the context for this call: `CONFIGURING` (no reader) -> `MUTATING`. `Err(phase)`
    /// (`IN_USE`, `MUTATING`, or readers inside) if that is not its phase.
    fn take(phase: &AtomicU32) -> core::result::Result<Exclusive<'_>, u32> {
        phase.compare_exchange(CONFIGURING, MUTATING, Ordering::Acquire, Ordering::Acquire)?;
        Ok(Exclusive(phase))
    }
}

/// One `pcodes_ctx_get` before first use: counted (`READER`) while alive, so that no
/// configuration call starts; uses go ahead. Dropping it (also on a panic) counts it out.
struct Reader<'a>(&'a AtomicU32);

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        // Release: the read happens before any later configuration call's Acquire.
        self.0.fetch_sub(READER, Ordering::Release);
    }
}

impl Reader<'_> {
    /// Enters for a read: `Ok(None)` once `IN_USE` (nothing to count: no `&mut Context` is made
    /// any more), `Ok(Some)` counted in before first use, `Err(busy)` while `MUTATING`.
    fn enter(phase: &AtomicU32) -> Result<Option<Reader<'_>>> {
        let mut now = phase.load(Ordering::Acquire);
        loop {
            if now & IN_USE != 0 {
                return Ok(None);
            }
            if now & MUTATING != 0 {
                return Err(busy());
            }
            match phase.compare_exchange_weak(now, now + READER, Ordering::Acquire, Ordering::Acquire) {
                Ok(_) => return Ok(Some(Reader(phase))),
                Err(seen) => now = seen,
            }
        }
    }
}

/// The phase of a non-NULL context.
///
/// # Safety
/// `p` is a pointer from `pcodes_ctx_new` not yet freed.
#[inline(always)]
unsafe fn phase<'a>(p: *const pcodes_ctx) -> &'a AtomicU32 {
    // SAFETY: live by the caller's contract; only the atomic field is borrowed, never the whole
    // struct, so this does not alias a `&mut Context` another thread may hold.
    unsafe { &(*p).phase }
}

/// Setting id (`PCODES_SETTING_*`). Any value may be passed; unknown ones are `INVALID_ARGUMENT`.
pub type pcodes_setting = i32;

// The C side of the `settings!` table of `src/policy.rs`, written out because cbindgen needs
// literals. GENERATED from that table by `src/ffi/tables.rs` (which fails when this block is not
// what it generates; refresh with `PCODES_BLESS=1 cargo test --all-features --lib tables`); the
// `const _` at its end fails the build when it is edited by hand.
// BEGIN GENERATED: settings
/// Link-code validity, seconds. Default 600, range 60–86400.
pub const PCODES_SETTING_LINK_TTL_SECONDS: pcodes_setting = 1;
/// SMS/e-mail code validity, seconds. Default 300, range 30–3600.
pub const PCODES_SETTING_OTP_TTL_SECONDS: pcodes_setting = 2;
/// SMS/e-mail code length. Default 6, range 4–8.
pub const PCODES_SETTING_OTP_DIGITS: pcodes_setting = 3;
/// Wrong tries allowed per SMS/e-mail code. Default 3, range 1–10.
pub const PCODES_SETTING_OTP_MAX_ATTEMPTS: pcodes_setting = 4;
/// Minimum seconds between two sends. Default 60, range 0–3600.
pub const PCODES_SETTING_OTP_RESEND_SECONDS: pcodes_setting = 5;
/// Sends allowed per rolling hour. Default 5, range 1–10.
pub const PCODES_SETTING_OTP_MAX_SENDS_PER_HOUR: pcodes_setting = 6;
/// PBKDF2 iterations for new PIN hashes (single-lane: each of the `PIN_LANES` blocks runs ⌈value / lanes⌉). Default 600000, range 10000–10000000.
pub const PCODES_SETTING_PIN_ITERATIONS: pcodes_setting = 7;
/// Allowed PIN lengths, bit n = length n (4, 6, or both). Default 0x50; 0x10, 0x40 or 0x50.
pub const PCODES_SETTING_PIN_LENGTHS: pcodes_setting = 8;
/// Consecutive failures that lock. Default 5, range 1–20.
pub const PCODES_SETTING_LOCK_AFTER_FAILURES: pcodes_setting = 9;
/// First lock, seconds. Default 900, range 1–604800.
pub const PCODES_SETTING_LOCK_FIRST_SECONDS: pcodes_setting = 10;
/// Every later lock, seconds. Default 1800, range 1–604800.
pub const PCODES_SETTING_LOCK_REPEAT_SECONDS: pcodes_setting = 11;
/// Consecutive failures that block until `pcodes_state_reset`. Default 15, range 1–20.
pub const PCODES_SETTING_BLOCK_AFTER_FAILURES: pcodes_setting = 12;
/// TOTP steps accepted either side of the current one. Default 1, range 0–10.
pub const PCODES_SETTING_TOTP_WINDOW_STEPS: pcodes_setting = 13;
/// HOTP counters looked ahead. Default 10, range 0–20.
pub const PCODES_SETTING_HOTP_LOOK_AHEAD: pcodes_setting = 14;
/// PBKDF2 blocks (lanes) of new PIN hashes, computed together; the attacker's work stays `PIN_ITERATIONS`. Default 3, range 1–4.
pub const PCODES_SETTING_PIN_LANES: pcodes_setting = 15;
/// Seconds after which a run of failures fades (0 = never). Default 86400, range 0–31536000.
pub const PCODES_SETTING_FAILURE_RESET_SECONDS: pcodes_setting = 16;
/// Capacity of the guess budget a success does not renew. Default 36, range 2–36.
pub const PCODES_SETTING_BUDGET_GUESSES: pcodes_setting = 17;
/// Seconds in which one guess drains from the budget. Default 518400, range 518400–15552000.
pub const PCODES_SETTING_BUDGET_DRAIN_SECONDS: pcodes_setting = 18;
/// Device-token validity, seconds. Default 7776000, range 3600–34560000.
pub const PCODES_SETTING_DEVICE_TRUST_SECONDS: pcodes_setting = 19;
const _: () = {
    assert!(PCODES_SETTING_LINK_TTL_SECONDS == Setting::LinkTtlSeconds as pcodes_setting);
    assert!(PCODES_SETTING_OTP_TTL_SECONDS == Setting::OtpTtlSeconds as pcodes_setting);
    assert!(PCODES_SETTING_OTP_DIGITS == Setting::OtpDigits as pcodes_setting);
    assert!(PCODES_SETTING_OTP_MAX_ATTEMPTS == Setting::OtpMaxAttempts as pcodes_setting);
    assert!(PCODES_SETTING_OTP_RESEND_SECONDS == Setting::OtpResendSeconds as pcodes_setting);
    assert!(PCODES_SETTING_OTP_MAX_SENDS_PER_HOUR == Setting::OtpMaxSendsPerHour as pcodes_setting);
    assert!(PCODES_SETTING_PIN_ITERATIONS == Setting::PinIterations as pcodes_setting);
    assert!(PCODES_SETTING_PIN_LENGTHS == Setting::PinLengths as pcodes_setting);
    assert!(PCODES_SETTING_LOCK_AFTER_FAILURES == Setting::LockAfterFailures as pcodes_setting);
    assert!(PCODES_SETTING_LOCK_FIRST_SECONDS == Setting::LockFirstSeconds as pcodes_setting);
    assert!(PCODES_SETTING_LOCK_REPEAT_SECONDS == Setting::LockRepeatSeconds as pcodes_setting);
    assert!(PCODES_SETTING_BLOCK_AFTER_FAILURES == Setting::BlockAfterFailures as pcodes_setting);
    assert!(PCODES_SETTING_TOTP_WINDOW_STEPS == Setting::TotpWindowSteps as pcodes_setting);
    assert!(PCODES_SETTING_HOTP_LOOK_AHEAD == Setting::HotpLookAhead as pcodes_setting);
    assert!(PCODES_SETTING_PIN_LANES == Setting::PinLanes as pcodes_setting);
    assert!(PCODES_SETTING_FAILURE_RESET_SECONDS == Setting::FailureResetSeconds as pcodes_setting);
    assert!(PCODES_SETTING_BUDGET_GUESSES == Setting::BudgetGuesses as pcodes_setting);
    assert!(PCODES_SETTING_BUDGET_DRAIN_SECONDS == Setting::BudgetDrainSeconds as pcodes_setting);
    assert!(PCODES_SETTING_DEVICE_TRUST_SECONDS == Setting::DeviceTrustSeconds as pcodes_setting);
    assert!(Setting::ALL.len() == 19);
};
// END GENERATED: settings

/// The context behind a pointer, for a call that uses it: the only way the flows reach a
/// context. Marks it `IN_USE` (read-only for good) on first use; refuses with
/// `InvalidArgument` while another thread has it to itself (`MUTATING`).
///
/// # Safety
/// `p` is NULL or a pointer from `pcodes_ctx_new` not yet freed.
#[inline(always)]
pub(crate) unsafe fn ctx_ref<'a>(p: *const pcodes_ctx) -> Result<&'a Context> {
    non_null(p, arg!(ctx))?;
    // SAFETY: non-NULL, and live by the caller's contract.
    let phase = unsafe { phase(p) };
    // The hot path: one Acquire load (it synchronises with the Release that ended the last
    // configuration call, through the release sequence of the first use's read-modify-write).
    if phase.load(Ordering::Acquire) != IN_USE {
        first_use(phase)?;
    }
    // SAFETY: `IN_USE` is final: no `&mut Context` is made any more (`configure` refuses), and
    // every earlier one was dropped before the Release this thread has synchronised with.
    Ok(unsafe { &(*p).inner })
}

/// Sets `IN_USE` (readers inside or not); `IN_USE` already (another thread was first, or readers
/// are still counted) is fine; `MUTATING` is refused.
#[cold]
#[inline(never)]
fn first_use(phase: &AtomicU32) -> Result<()> {
    let mut now = phase.load(Ordering::Acquire);
    loop {
        if now & IN_USE != 0 {
            return Ok(());
        }
        if now & MUTATING != 0 {
            return Err(busy());
        }
        match phase.compare_exchange_weak(now, now | IN_USE, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => return Ok(()),
            Err(seen) => now = seen,
        }
    }
}

/// The refusal while another thread has the context to itself.
#[cold]
fn busy() -> Error {
    Error::InvalidArgument
        .because(c"ctx: another thread is configuring it (pcodes_ctx_add_key, _set) or reading it (_get)")
}

/// The setting for a C id.
fn setting(id: pcodes_setting) -> Result<Setting> {
    Setting::from_id(id)
        .ok_or_else(|| Error::InvalidArgument.because(c"setting: not a PCODES_SETTING_* value"))
}

/// Runs `f` on the context with it to itself: the only way to a `&mut Context`. Refused with
/// `InvalidArgument` (nothing changes) once the context is `IN_USE`, or while another thread
/// has it.
///
/// # Safety
/// `p` is NULL or a pointer from `pcodes_ctx_new` not yet freed.
pub(crate) unsafe fn configure<R>(
    p: *mut pcodes_ctx,
    f: impl FnOnce(&mut Context) -> Result<R>,
) -> Result<R> {
    non_null(p, arg!(ctx))?;
    // SAFETY: non-NULL, and live by the caller's contract.
    let _exclusive = Exclusive::take(unsafe { phase(p) }).map_err(|phase| {
        if phase & IN_USE != 0 {
            Error::InvalidArgument
                .because(c"ctx: already used; configure a context before its first use, or create a new one")
        } else {
            busy()
        }
    })?;
    // SAFETY: `MUTATING` is set by this call only, and no thread makes a reference to `inner`
    // in that phase; earlier `&Context`s (from `pcodes_ctx_get`) ended before the Release
    // (`Reader::drop`) we acquired. Only the `inner` field is borrowed, not the atomic other threads may read.
    f(unsafe { &mut (*p).inner })
}

/// Creates a context whose issuing key is `key` (32–64 bytes of a random master secret) with
/// id `key_id` (0–15). Settings start at their defaults. On success `*ctx_out` owns the
/// context (free it with `pcodes_ctx_free`); on failure `*ctx_out` is set to NULL, except for
/// `INVALID_ARGUMENT`, when nothing is written (`ctx_out` may lie inside the caller's key).
///
/// Returns `NULL_ARGUMENT`, `BAD_KEY`, `INVALID_ARGUMENT` (`ctx_out` overlaps `key`; `key_len`
/// above `PTRDIFF_MAX`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_ctx_new(
    key: *const u8,
    key_len: usize,
    key_id: u32,
    ctx_out: *mut *mut pcodes_ctx,
) -> pcodes_status {
    boundary(|| {
        non_null(ctx_out, arg!(ctx_out))?;
        // SAFETY: caller passes `key_len` readable bytes.
        let k = unsafe { bytes(key, key_len, arg!(key, key_len)) };
        // A refusal of `ctx_out` itself writes nothing: it may overlap the caller's key.
        match k {
            Ok(k) => no_overlap!(writes: [ctx_out: region_of(ctx_out)], reads: [key: region_of_bytes(k)])?,
            Err(e) if e == Error::InvalidArgument => return Err(e),
            Err(_) => {}
        }
        // SAFETY: caller passes a writable pointer slot, disjoint from `key` (checked above; a
        // NULL key is no memory); no reference to it is live.
        unsafe { ctx_out.write(core::ptr::null_mut()) };
        let inner = Context::new(k?, key_id)?;
        // SAFETY: as above; disjoint from `key` (checked above), which is no longer used.
        unsafe {
            ctx_out.write(Box::into_raw(Box::new(pcodes_ctx { inner, phase: AtomicU32::new(CONFIGURING) })));
        };
        Ok(())
    })
}

/// Adds a verify-only key (key rotation): codes and hashes made under it keep verifying, while
/// everything new is made under the key given to `pcodes_ctx_new`. Only before the context's
/// first use (see `pcodes_ctx`): afterwards create a new context with both keys.
///
/// Returns `NULL_ARGUMENT`, `BAD_KEY`, `INVALID_ARGUMENT` (the id is already present; `key`
/// overlaps the context; the context was already used, or another thread is configuring it:
/// nothing changes).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_ctx_add_key(
    ctx: *mut pcodes_ctx,
    key: *const u8,
    key_len: usize,
    key_id: u32,
) -> pcodes_status {
    boundary(|| {
        non_null(ctx, arg!(ctx))?;
        // SAFETY: caller passes `key_len` readable bytes.
        let k = unsafe { bytes(key, key_len, arg!(key, key_len)) }?;
        no_overlap!(writes: [ctx: region_of(ctx.cast_const())], reads: [key: region_of_bytes(k)])?;
        // SAFETY: caller passes a live context, disjoint from `key` (checked above).
        unsafe { configure(ctx, |c| c.add_key(k, key_id)) }
    })
}

/// Changes a setting (`PCODES_SETTING_*`; ranges in their descriptions). Only before the
/// context's first use (see `pcodes_ctx`): afterwards create a new context.
///
/// Returns `NULL_ARGUMENT`, `INVALID_ARGUMENT` (unknown setting or value out of range; the
/// context was already used, or another thread is configuring it; nothing changes).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_ctx_set(
    ctx: *mut pcodes_ctx,
    setting: pcodes_setting,
    value: u64,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes a live context.
        unsafe { configure(ctx, |c| c.set(self::setting(setting)?, value)) }
    })
}

/// Reads a setting into `*value_out`. Allowed at any time and does not count as a use; it never
/// makes a concurrent use fail (a `pcodes_ctx_add_key` or `pcodes_ctx_set` that finds it inside
/// is refused instead).
///
/// Returns `NULL_ARGUMENT`, `INVALID_ARGUMENT` (unknown setting; `value_out` overlaps the
/// context; another thread is inside `pcodes_ctx_add_key` or `pcodes_ctx_set`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_ctx_get(
    ctx: *const pcodes_ctx,
    setting: pcodes_setting,
    value_out: *mut u64,
) -> pcodes_status {
    boundary(|| {
        non_null(ctx, arg!(ctx))?;
        no_overlap!(writes: [value_out: region_of(value_out)], reads: [ctx: region_of(ctx)])?;
        // SAFETY: caller passes a writable u64, disjoint from the context (checked above).
        let o = unsafe { out(value_out, arg!(value_out)) }?;
        let s = self::setting(setting)?;
        // SAFETY: non-NULL, and live by the caller's contract.
        let phase = unsafe { phase(ctx) };
        let _reader = Reader::enter(phase)?;
        // SAFETY: either this call is counted as a reader (set above), when no configuration call
        // starts, or the context is `IN_USE`, when no `&mut Context` is ever made; both
        // synchronised with the last configuration call by the Acquire in `enter`.
        *o = unsafe { &(*ctx).inner }.get(s);
        Ok(())
    })
}

/// A setting's default and allowed range, read from the library (so that a binding need not copy
/// the table): `*default_out` is what `pcodes_ctx_get` reads on a new context, `*min_out` and
/// `*max_out` the smallest and largest value `pcodes_ctx_set` accepts (for a bitmask such as
/// `PCODES_SETTING_PIN_LENGTHS` not every value in between). Needs no context.
///
/// Returns `NULL_ARGUMENT`, `INVALID_ARGUMENT` (unknown setting; outputs overlap; nothing
/// written).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_setting_info(
    setting: pcodes_setting,
    default_out: *mut u64,
    min_out: *mut u64,
    max_out: *mut u64,
) -> pcodes_status {
    boundary(|| {
        non_null(default_out, arg!(default_out))?;
        non_null(min_out, arg!(min_out))?;
        non_null(max_out, arg!(max_out))?;
        no_overlap!(
            writes: [
                default_out: region_of(default_out),
                min_out: region_of(min_out),
                max_out: region_of(max_out),
            ],
            reads: [],
        )?;
        let s = self::setting(setting)?;
        let (lo, hi) = s.range();
        // SAFETY: caller passes three writable u64s, pairwise disjoint (checked above).
        let (d, min, max) = unsafe {
            (out(default_out, arg!(default_out))?, out(min_out, arg!(min_out))?, out(max_out, arg!(max_out))?)
        };
        (*d, *min, *max) = (s.default_value(), lo, hi);
        Ok(())
    })
}

/// The setting's name, e.g. `"PCODES_SETTING_OTP_DIGITS"`; `"PCODES_SETTING_UNKNOWN"` for ids
/// not in the table. Static storage; never NULL; never free it. Does not clear the developer
/// detail.
#[unsafe(no_mangle)]
pub extern "C" fn pcodes_setting_name(setting: pcodes_setting) -> *const c_char {
    let mut name = "PCODES_SETTING_UNKNOWN\0";
    let _ = catch_status(|| {
        if let Some(s) = Setting::from_id(setting) {
            name = s.name_nul();
        }
        Ok(())
    });
    name.as_ptr().cast()
}

/// Frees a context; its key material is zeroized. NULL is fine. Leaves the developer detail of
/// the call before it (it returns no status). Freeing twice is undefined
/// behaviour, as with `free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_ctx_free(ctx: *mut pcodes_ctx) {
    // Returns no status, so it leaves the developer detail of the call before it alone (issue
    // 20 §5: freeing a context between a failing call and reading its detail erased it).
    let _ = catch_status(|| {
        if !ctx.is_null() {
            // SAFETY: a non-NULL pointer came from `Box::into_raw` in `pcodes_ctx_new` and is
            // freed once, by the caller's contract. Dropping zeroizes the derived keys.
            unsafe { core::ptr::drop_in_place(ctx) };
            // Destructors wipe only live values. The block can also hold stale copies of key
            // material where no destructor looks: the unused payload bytes of empty key slots and
            // padding, copied in from the stack when the context was built and moved into its
            // box (tests/zeroize.rs shows this happening to a boxed `Context`). So wipe all of it.
            // SAFETY: the block is still allocated, exclusively ours, and `size_of::<pcodes_ctx>()`
            // bytes long; after `drop_in_place` its bytes are viewed as `MaybeUninit<u8>`.
            let block = unsafe {
                core::slice::from_raw_parts_mut(
                    ctx.cast::<core::mem::MaybeUninit<u8>>(),
                    core::mem::size_of::<pcodes_ctx>(),
                )
            };
            zeroize::Zeroize::zeroize(block);
            // SAFETY: the same allocation; `MaybeUninit<pcodes_ctx>` has `pcodes_ctx`'s layout and
            // no destructor, so this only frees the memory.
            drop(unsafe { Box::from_raw(ctx.cast::<core::mem::MaybeUninit<pcodes_ctx>>()) });
        }
        Ok(())
    });
}

#[cfg(test)]
mod tests;
