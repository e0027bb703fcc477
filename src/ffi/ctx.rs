//! The context: keys and settings.

use super::{boundary, bytes, out, pcodes_status, region_of, region_of_bytes, writes_disjoint};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::policy::Setting;
use std::boxed::Box;

/// Opaque context: keys and settings. Create with `pcodes_ctx_new`, configure with
/// `pcodes_ctx_add_key`/`pcodes_ctx_set`, then share it read-only between threads; free it with
/// `pcodes_ctx_free`. Configuring while other threads use it is a data race.
pub struct pcodes_ctx {
    pub(crate) inner: Context,
}

/// Setting id (`PCODES_SETTING_*`). Any value may be passed; unknown ones are `INVALID_ARGUMENT`.
pub type pcodes_setting = i32;

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
/// PBKDF2 iterations for new PIN hashes. Default 600000, range 10000–10000000.
pub const PCODES_SETTING_PIN_ITERATIONS: pcodes_setting = 7;
/// Allowed PIN lengths, bit n = length n. Default (1<<4)|(1<<6) = 0x50; 0x10, 0x40 or 0x50.
pub const PCODES_SETTING_PIN_LENGTHS: pcodes_setting = 8;
/// Consecutive failures that lock. Default 5, range 1–1000.
pub const PCODES_SETTING_LOCK_AFTER_FAILURES: pcodes_setting = 9;
/// First lock, seconds. Default 900, range 1–604800.
pub const PCODES_SETTING_LOCK_FIRST_SECONDS: pcodes_setting = 10;
/// Every later lock, seconds. Default 1800, range 1–604800.
pub const PCODES_SETTING_LOCK_REPEAT_SECONDS: pcodes_setting = 11;
/// Consecutive failures that block until `pcodes_state_reset`. Default 15, range 1–1000.
pub const PCODES_SETTING_BLOCK_AFTER_FAILURES: pcodes_setting = 12;
/// TOTP steps accepted either side of the current one. Default 1, range 0–10.
pub const PCODES_SETTING_TOTP_WINDOW_STEPS: pcodes_setting = 13;
/// HOTP counters looked ahead. Default 10, range 0–1000.
pub const PCODES_SETTING_HOTP_LOOK_AHEAD: pcodes_setting = 14;

/// The context behind a pointer.
///
/// # Safety
/// `p` is NULL or a pointer from `pcodes_ctx_new` not yet freed.
pub(crate) unsafe fn ctx_ref<'a>(p: *const pcodes_ctx) -> Result<&'a Context> {
    // SAFETY: NULL is checked by `as_ref`; liveness is the caller's contract.
    unsafe { p.as_ref() }.map(|c| &c.inner).ok_or(Error::NullArgument)
}

/// # Safety
/// As [`ctx_ref`], and not used by another thread during the call.
unsafe fn ctx_mut<'a>(p: *mut pcodes_ctx) -> Result<&'a mut Context> {
    // SAFETY: NULL is checked by `as_mut`; liveness and exclusivity are the caller's contract.
    unsafe { p.as_mut() }.map(|c| &mut c.inner).ok_or(Error::NullArgument)
}

/// Creates a context whose issuing key is `key` (32–64 bytes of a random master secret) with
/// id `key_id` (0–15). Settings start at their defaults. On success `*ctx_out` owns the
/// context (free it with `pcodes_ctx_free`); on failure `*ctx_out` is set to NULL.
///
/// Returns `NULL_ARGUMENT`, `BAD_KEY`, `INVALID_ARGUMENT` (`ctx_out` overlaps `key`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_ctx_new(
    key: *const u8,
    key_len: usize,
    key_id: u32,
    ctx_out: *mut *mut pcodes_ctx,
) -> pcodes_status {
    boundary(|| {
        if ctx_out.is_null() {
            return Err(Error::NullArgument);
        }
        // SAFETY: caller passes a writable pointer slot; no reference to it or to `key` is live.
        unsafe { ctx_out.write(core::ptr::null_mut()) };
        // SAFETY: caller passes `key_len` readable bytes.
        let k = unsafe { bytes(key, key_len) }?;
        writes_disjoint(&[region_of(ctx_out)], &[region_of_bytes(k)])?;
        let inner = Context::new(k, key_id)?;
        // SAFETY: as above; disjoint from `key` (checked above).
        let slot = unsafe { out(ctx_out) }?;
        *slot = Box::into_raw(Box::new(pcodes_ctx { inner }));
        Ok(())
    })
}

/// Adds a verify-only key (key rotation): codes and hashes made under it keep verifying, while
/// everything new is made under the key given to `pcodes_ctx_new`.
///
/// Returns `NULL_ARGUMENT`, `BAD_KEY`, `INVALID_ARGUMENT` (the id is already present; `key`
/// overlaps the context).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_ctx_add_key(
    ctx: *mut pcodes_ctx,
    key: *const u8,
    key_len: usize,
    key_id: u32,
) -> pcodes_status {
    boundary(|| {
        if ctx.is_null() {
            return Err(Error::NullArgument);
        }
        // SAFETY: caller passes `key_len` readable bytes.
        let k = unsafe { bytes(key, key_len) }?;
        writes_disjoint(&[region_of(ctx.cast_const())], &[region_of_bytes(k)])?;
        // SAFETY: caller passes a live, unshared context, disjoint from `key` (checked above).
        let c = unsafe { ctx_mut(ctx) }?;
        c.add_key(k, key_id)
    })
}

/// Changes a setting (`PCODES_SETTING_*`; ranges in their descriptions).
///
/// Returns `NULL_ARGUMENT`, `INVALID_ARGUMENT` (unknown setting or value out of range; nothing
/// changes).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_ctx_set(
    ctx: *mut pcodes_ctx,
    setting: pcodes_setting,
    value: u64,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes a live, unshared context.
        let c = unsafe { ctx_mut(ctx) }?;
        c.set(Setting::from_id(setting).ok_or(Error::InvalidArgument)?, value)
    })
}

/// Reads a setting into `*value_out`.
///
/// Returns `NULL_ARGUMENT`, `INVALID_ARGUMENT` (unknown setting; `value_out` overlaps the
/// context).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_ctx_get(
    ctx: *const pcodes_ctx,
    setting: pcodes_setting,
    value_out: *mut u64,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes a live context.
        let c = unsafe { ctx_ref(ctx) }?;
        writes_disjoint(&[region_of(value_out)], &[region_of(ctx)])?;
        // SAFETY: caller passes a writable u64, disjoint from the context (checked above).
        let o = unsafe { out(value_out) }?;
        *o = c.get(Setting::from_id(setting).ok_or(Error::InvalidArgument)?);
        Ok(())
    })
}

/// Frees a context; its key material is zeroized. NULL is fine. Freeing twice is undefined
/// behaviour, as with `free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_ctx_free(ctx: *mut pcodes_ctx) {
    let _ = boundary(|| {
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
mod tests {
    use super::*;
    use crate::ffi::status::*;

    #[test]
    fn every_setting_constant_maps_to_its_setting() {
        let consts = [
            PCODES_SETTING_LINK_TTL_SECONDS,
            PCODES_SETTING_OTP_TTL_SECONDS,
            PCODES_SETTING_OTP_DIGITS,
            PCODES_SETTING_OTP_MAX_ATTEMPTS,
            PCODES_SETTING_OTP_RESEND_SECONDS,
            PCODES_SETTING_OTP_MAX_SENDS_PER_HOUR,
            PCODES_SETTING_PIN_ITERATIONS,
            PCODES_SETTING_PIN_LENGTHS,
            PCODES_SETTING_LOCK_AFTER_FAILURES,
            PCODES_SETTING_LOCK_FIRST_SECONDS,
            PCODES_SETTING_LOCK_REPEAT_SECONDS,
            PCODES_SETTING_BLOCK_AFTER_FAILURES,
            PCODES_SETTING_TOTP_WINDOW_STEPS,
            PCODES_SETTING_HOTP_LOOK_AHEAD,
        ];
        for (c, s) in consts.iter().zip(Setting::ALL) {
            assert_eq!(*c, s as i32);
        }
    }

    #[test]
    fn lifecycle_and_errors() {
        let key = [5u8; 32];
        let mut ctx: *mut pcodes_ctx = core::ptr::null_mut();
        // SAFETY: valid pointers to locals; the context is freed once at the end.
        unsafe {
            assert_eq!(pcodes_ctx_new(key.as_ptr(), 31, 0, &raw mut ctx), PCODES_STATUS_BAD_KEY);
            assert!(ctx.is_null());
            assert_eq!(pcodes_ctx_new(core::ptr::null(), 32, 0, &raw mut ctx), PCODES_STATUS_NULL_ARGUMENT);
            assert_eq!(
                pcodes_ctx_new(key.as_ptr(), 32, 0, core::ptr::null_mut()),
                PCODES_STATUS_NULL_ARGUMENT
            );
            assert_eq!(pcodes_ctx_new(key.as_ptr(), 32, 1, &raw mut ctx), PCODES_STATUS_OK);
            assert_eq!(pcodes_ctx_add_key(ctx, key.as_ptr(), 32, 16), PCODES_STATUS_BAD_KEY);
            assert_eq!(pcodes_ctx_add_key(ctx, key.as_ptr(), 32, 1), PCODES_STATUS_INVALID_ARGUMENT);
            assert_eq!(pcodes_ctx_add_key(ctx, key.as_ptr(), 32, 0), PCODES_STATUS_OK);
            let mut v = 0u64;
            assert_eq!(pcodes_ctx_get(ctx, PCODES_SETTING_OTP_DIGITS, &raw mut v), PCODES_STATUS_OK);
            assert_eq!(v, 6);
            assert_eq!(pcodes_ctx_set(ctx, PCODES_SETTING_OTP_DIGITS, 9), PCODES_STATUS_INVALID_ARGUMENT);
            assert_eq!(pcodes_ctx_set(ctx, 0, 1), PCODES_STATUS_INVALID_ARGUMENT);
            assert_eq!(pcodes_ctx_set(ctx, i32::MIN, 1), PCODES_STATUS_INVALID_ARGUMENT);
            assert_eq!(pcodes_ctx_get(ctx, 99, &raw mut v), PCODES_STATUS_INVALID_ARGUMENT);
            assert_eq!(pcodes_ctx_get(ctx, 1, core::ptr::null_mut()), PCODES_STATUS_NULL_ARGUMENT);
            assert_eq!(pcodes_ctx_set(core::ptr::null_mut(), 1, 600), PCODES_STATUS_NULL_ARGUMENT);
            assert_eq!(pcodes_ctx_set(ctx, PCODES_SETTING_OTP_DIGITS, 8), PCODES_STATUS_OK);
            assert_eq!(pcodes_ctx_get(ctx, PCODES_SETTING_OTP_DIGITS, &raw mut v), PCODES_STATUS_OK);
            assert_eq!(v, 8);
            pcodes_ctx_free(ctx);
            pcodes_ctx_free(core::ptr::null_mut());
        }
    }
}
