//! The external PIN pepper: the host's callback (HSM, KMS) for the keyed step of PIN hashing.

use core::ffi::c_void;

use super::ctx::{configure, pcodes_ctx};
use super::{boundary, pcodes_status};
use crate::error::Error;
use crate::pin::{Pepper, PepperError};
use std::sync::Arc;

/// Size of the MAC a pepper callback writes: HMAC-SHA256, 32 bytes.
pub const PCODES_PEPPER_MAC_BYTES: usize = 32;
const _: () = assert!(PCODES_PEPPER_MAC_BYTES == crate::pin::pepper::MAC_BYTES);

/// `PCODES_PEPPER_MAC_BYTES` as a function (JNA cannot read macros).
#[unsafe(no_mangle)]
pub extern "C" fn pcodes_pepper_mac_bytes() -> usize {
    PCODES_PEPPER_MAC_BYTES
}

/// The host's keyed step of PIN hashing: writes `HMAC-SHA256(pepper key key_id, message)`, 32
/// bytes, to `mac_out` and returns 0; any other return value means the device failed (the
/// library answers `PCODES_STATUS_PEPPER_FAILED` and ignores `mac_out`). Implement it with
/// PKCS#11 `C_SignInit`/`C_Sign` and `CKM_SHA256_HMAC` under a `CKK_GENERIC_SECRET` key
/// (`CKA_SIGN`, `CKA_SENSITIVE`, not `CKA_EXTRACTABLE`), a cloud KMS's HMAC call, or a certified
/// provider; `key_id` (0–15) is the `k` of the hash string: map it to your key handle or label.
///
/// `message` (`message_len` bytes, valid only during the call) holds no PIN: a domain label, the
/// account id, the hash parameters, the salt and the PBKDF2 output, all `l` blocks of it for a
/// `v=2` hash (`docs/pin.md`; the signature is the one of `v=1`, only the message is longer).
/// `user` is the pointer given to `pcodes_pepper_set_callback`. The callback is called from every thread that
/// uses the context, **concurrently** (it and `user` must be thread-safe, e.g. one PKCS#11 session
/// per thread or a session pool), once per `pcodes_pin_hash` and once per PIN verification
/// (unknown accounts too), never from `pcodes_pin_verify_begin`. It must return (no `longjmp`, no
/// C++ exception across the library).
pub type pcodes_pepper_fn = Option<
    unsafe extern "C" fn(
        user: *mut c_void,
        key_id: u32,
        message: *const u8,
        message_len: usize,
        mac_out: *mut u8,
    ) -> i32,
>;

/// A C callback as a [`Pepper`].
struct Callback {
    f: unsafe extern "C" fn(*mut c_void, u32, *const u8, usize, *mut u8) -> i32,
    user: *mut c_void,
}

// SAFETY: the library never dereferences `user`; it only passes it back to the host's callback,
// which the header requires to be callable from any thread, concurrently, with that pointer.
unsafe impl Send for Callback {}
// SAFETY: as above: sharing `&Callback` only lets threads call the callback, which is
// documented thread-safe together with its `user` pointer.
unsafe impl Sync for Callback {}

impl Pepper for Callback {
    fn mac(&self, key_id: u32, message: &[u8], out: &mut [u8; 32]) -> Result<(), PepperError> {
        // SAFETY: the callback's contract (header): it reads `message_len` bytes at `message` (a
        // live slice) and writes at most 32 bytes at `mac_out` (a live, exclusive 32-byte array),
        // neither kept after it returns.
        let r = unsafe { (self.f)(self.user, key_id, message.as_ptr(), message.len(), out.as_mut_ptr()) };
        if r == 0 { Ok(()) } else { Err(PepperError) }
    }
}

/// Hands the keyed step of PIN hashing for the key ids in `key_ids` (a bitmask: bit k = key id
/// k, bits 0–15) to the host's `callback` (see `pcodes_pepper_fn`), called with `user`; other key
/// ids keep the in-memory pepper derived from their master key. New PIN hashes are made under the
/// context's current key id, so include it to make them on the device; a stored hash naming a key
/// id in `key_ids` verifies through the callback even if the context holds no master key with that
/// id. Only before the context's first use (like `pcodes_ctx_set`); a second call replaces the
/// first. `user` may be NULL and must stay valid until `pcodes_ctx_free`.
///
/// One callback call per `pcodes_pin_hash` and per PIN verification (the dummy of an unknown
/// account calls it too, with the current key id). When it fails, the PIN call returns
/// `PCODES_STATUS_PEPPER_FAILED`: no verdict, no failure counted, the state blob unchanged (after
/// `pcodes_pin_verify_begin` the pending attempt stays, so `pcodes_pin_verify_finish` can be
/// called again once the device is back).
///
/// Returns `NULL_ARGUMENT` (`ctx` or `callback`), `INVALID_ARGUMENT` (`key_ids` is 0; the
/// context was already used, or another thread is configuring it; nothing changes), `BAD_KEY`
/// (`key_ids` has a bit above 15).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_pepper_set_callback(
    ctx: *mut pcodes_ctx,
    callback: pcodes_pepper_fn,
    user: *mut c_void,
    key_ids: u32,
) -> pcodes_status {
    boundary(|| {
        super::non_null(ctx, arg!(ctx))?;
        let f = callback.ok_or_else(|| Error::NullArgument.because(arg!(callback).null))?;
        if key_ids >> (crate::keys::MAX_KEY_ID + 1) != 0 {
            return Err(Error::BadKey.because(c"key_ids: a bit above 15 (key ids are 0 ..= 15)"));
        }
        let mut ids = [0u32; 16];
        let mut n = 0;
        for k in 0..=crate::keys::MAX_KEY_ID {
            if key_ids & (1 << k) != 0 {
                ids[n] = k;
                n += 1;
            }
        }
        let device: Arc<dyn Pepper> = Arc::new(Callback { f, user });
        // SAFETY: caller passes a live context.
        unsafe { configure(ctx, |c| c.set_pepper(device, &ids[..n])) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::ctx::{PCODES_SETTING_PIN_ITERATIONS, pcodes_ctx_free, pcodes_ctx_set};
    use crate::ffi::pin::{pcodes_pin_hash, pcodes_pin_verify};
    use crate::ffi::status::*;
    use crate::ffi::test_support::new_ctx;
    use core::ptr::{null, null_mut};
    use hmac::{KeyInit, Mac};

    const NOW: u64 = 1_750_000_000;

    /// A context with key id 2 and the fewest iterations (a debug build's PBKDF2 is slow).
    fn fast_ctx() -> *mut pcodes_ctx {
        let ctx = new_ctx(3, 2);
        // SAFETY: a live context.
        assert_eq!(unsafe { pcodes_ctx_set(ctx, PCODES_SETTING_PIN_ITERATIONS, 10_000) }, PCODES_STATUS_OK);
        ctx
    }

    /// A callback computing HMAC-SHA256 with the key `user` points to (32 bytes).
    unsafe extern "C" fn soft(user: *mut c_void, _k: u32, m: *const u8, len: usize, out: *mut u8) -> i32 {
        // SAFETY: `user` is a live [u8; 32] (the tests below), `m`/`len` and `out` by the contract.
        let (key, msg) = unsafe { (&*user.cast::<[u8; 32]>(), core::slice::from_raw_parts(m, len)) };
        let mut h = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(key).unwrap();
        h.update(msg);
        // SAFETY: 32 writable bytes by the contract.
        unsafe { core::ptr::copy_nonoverlapping(h.finalize().into_bytes().as_ptr(), out, 32) };
        0
    }

    unsafe extern "C" fn broken(_: *mut c_void, _: u32, _: *const u8, _: usize, _: *mut u8) -> i32 {
        -1
    }

    #[test]
    fn callback_hashes_verifies_and_fails_uncounted() {
        let mut key = [9u8; 32];
        let ctx = fast_ctx();
        let user = (&raw mut key).cast::<c_void>();
        // SAFETY: live context; the callback and its key outlive it.
        unsafe {
            assert_eq!(pcodes_pepper_set_callback(ctx, None, user, 4), PCODES_STATUS_NULL_ARGUMENT);
            assert_eq!(
                pcodes_pepper_set_callback(null_mut(), Some(soft), user, 4),
                PCODES_STATUS_NULL_ARGUMENT
            );
            assert_eq!(pcodes_pepper_set_callback(ctx, Some(soft), user, 0), PCODES_STATUS_INVALID_ARGUMENT);
            assert_eq!(pcodes_pepper_set_callback(ctx, Some(soft), user, 1 << 16), PCODES_STATUS_BAD_KEY);
            assert_eq!(pcodes_pepper_set_callback(ctx, Some(soft), user, 1 << 2), PCODES_STATUS_OK);
            let mut h = [0u8; 128];
            let (acct, pin) = (c"acct".as_ptr(), c"385027".as_ptr());
            assert_eq!(pcodes_pin_hash(ctx, acct, pin, h.as_mut_ptr().cast(), 128), PCODES_STATUS_OK);
            let hp = h.as_ptr().cast();
            let mut st = [0u8; 64];
            assert_eq!(pcodes_pin_verify(ctx, acct, pin, hp, NOW, st.as_mut_ptr(), 64), PCODES_STATUS_OK);
            let wrong = c"385028".as_ptr();
            assert_eq!(
                pcodes_pin_verify(ctx, acct, wrong, hp, NOW, st.as_mut_ptr(), 64),
                PCODES_STATUS_WRONG
            );
            assert_eq!(
                pcodes_pin_verify(ctx, acct, wrong, null(), NOW, st.as_mut_ptr(), 64),
                PCODES_STATUS_WRONG
            );
            // Used: no more configuration.
            assert_eq!(pcodes_pepper_set_callback(ctx, Some(soft), user, 4), PCODES_STATUS_INVALID_ARGUMENT);
            // Another key on the "device": the same PIN is wrong.
            *user.cast::<[u8; 32]>() = [8; 32];
            assert_eq!(pcodes_pin_verify(ctx, acct, pin, hp, NOW, st.as_mut_ptr(), 64), PCODES_STATUS_WRONG);
            pcodes_ctx_free(ctx);

            let ctx = fast_ctx();
            assert_eq!(pcodes_pepper_set_callback(ctx, Some(broken), null_mut(), 1 << 2), PCODES_STATUS_OK);
            let mut h2 = [7u8; 128];
            assert_eq!(
                pcodes_pin_hash(ctx, acct, pin, h2.as_mut_ptr().cast(), 128),
                PCODES_STATUS_PEPPER_FAILED
            );
            assert_eq!(h2, [7u8; 128], "nothing written");
            let mut st = [0u8; 64];
            for stored in [hp, null()] {
                let s = pcodes_pin_verify(ctx, acct, pin, stored, NOW, st.as_mut_ptr(), 64);
                assert_eq!(s, PCODES_STATUS_PEPPER_FAILED);
                assert_eq!(st, [0u8; 64], "not counted");
            }
            pcodes_ctx_free(ctx);
        }
    }
    /// Recovery codes need no C change: their tags go through the context's callback (the PIN
    /// pepper), and a failing callback is `PEPPER_FAILED` with nothing written and nothing counted.
    #[test]
    fn recovery_codes_go_through_the_callback() {
        use crate::ffi::recovery::{pcodes_recovery_generate, pcodes_recovery_verify};
        let mut key = [9u8; 32];
        let user = (&raw mut key).cast::<c_void>();
        let acct = c"acct".as_ptr();
        let (mut codes, mut stored, mut st) = ([0u8; 2 * 15], [0u8; 256], [0u8; 64]);
        let mut left = 0u32;
        // SAFETY: live contexts; the callbacks and the key outlive them; buffers as sized.
        unsafe {
            let ctx = fast_ctx();
            assert_eq!(pcodes_pepper_set_callback(ctx, Some(soft), user, 1 << 2), PCODES_STATUS_OK);
            let generate = |c, st: &mut [u8; 64], codes: &mut [u8; 30], stored: &mut [u8; 256]| {
                pcodes_recovery_generate(
                    c,
                    acct,
                    2,
                    st.as_mut_ptr(),
                    64,
                    codes.as_mut_ptr().cast(),
                    30,
                    stored.as_mut_ptr().cast(),
                    256,
                )
            };
            assert_eq!(generate(ctx, &mut st, &mut codes, &mut stored), PCODES_STATUS_OK);
            let (sp, cp) = (stored.as_ptr().cast(), codes.as_ptr().cast());
            let mut st2 = st;
            assert_eq!(
                pcodes_recovery_verify(ctx, acct, sp, cp, NOW, st2.as_mut_ptr(), 64, &raw mut left),
                PCODES_STATUS_OK
            );
            assert_eq!(left, 1);
            // Another key on the "device": the same code is wrong.
            *user.cast::<[u8; 32]>() = [8; 32];
            let mut st3 = st;
            let s = pcodes_recovery_verify(ctx, acct, sp, cp, NOW, st3.as_mut_ptr(), 64, &raw mut left);
            assert_eq!(s, PCODES_STATUS_WRONG);
            pcodes_ctx_free(ctx);

            let ctx = fast_ctx();
            assert_eq!(pcodes_pepper_set_callback(ctx, Some(broken), null_mut(), 1 << 2), PCODES_STATUS_OK);
            let before = st;
            let s = pcodes_recovery_verify(ctx, acct, sp, cp, NOW, st.as_mut_ptr(), 64, &raw mut left);
            assert_eq!(s, PCODES_STATUS_PEPPER_FAILED);
            assert_eq!(st, before, "not counted");
            let (mut c2, mut s2) = ([7u8; 30], [7u8; 256]);
            assert_eq!(generate(ctx, &mut st, &mut c2, &mut s2), PCODES_STATUS_PEPPER_FAILED);
            assert_eq!((c2, s2, st), ([7u8; 30], [7u8; 256], before), "nothing written");
            pcodes_ctx_free(ctx);
        }
    }
}
