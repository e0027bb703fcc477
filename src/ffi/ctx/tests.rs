use super::*;
use crate::ffi::status::*;

/// What a binding's test does to check its copy of the settings, for every setting: the
/// default read from a fresh context, the range found by setting each edge and the value just
/// past it; unknown ids are refused (`tests/tables.rs` ties the ids to the constants).
#[test]
fn every_default_and_range_through_the_c_api() {
    let key = [5u8; 32];
    let fresh = || {
        let mut ctx: *mut pcodes_ctx = core::ptr::null_mut();
        // SAFETY: valid pointers to locals.
        assert_eq!(unsafe { pcodes_ctx_new(key.as_ptr(), 32, 0, &raw mut ctx) }, PCODES_STATUS_OK);
        ctx
    };
    let get = |ctx, id| {
        let mut v = u64::MAX;
        // SAFETY: a live context and a local out-parameter.
        let rc = unsafe { pcodes_ctx_get(ctx, id, &raw mut v) };
        if rc == PCODES_STATUS_OK { Ok(v) } else { Err(rc) }
    };
    // SAFETY: each context is live, configured by this thread only, and freed once.
    unsafe {
        for s in Setting::ALL {
            let (id, (lo, hi)) = (s as pcodes_setting, s.range());
            let ctx = fresh();
            assert_eq!(get(ctx, id), Ok(s.default_value()), "{s:?}");
            for v in [lo, hi] {
                assert_eq!(pcodes_ctx_set(ctx, id, v), PCODES_STATUS_OK, "{s:?} = {v}");
                assert_eq!(get(ctx, id), Ok(v), "{s:?}");
            }
            for v in [lo.checked_sub(1), hi.checked_add(1)].into_iter().flatten() {
                assert_eq!(pcodes_ctx_set(ctx, id, v), PCODES_STATUS_INVALID_ARGUMENT, "{s:?} = {v}");
                assert_eq!(get(ctx, id), Ok(hi), "{s:?}: a refused value changes nothing");
            }
            pcodes_ctx_free(ctx);
        }
        let ctx = fresh();
        let past = Setting::ALL[Setting::ALL.len() - 1] as pcodes_setting + 1;
        for id in [0, past, -1, i32::MIN, i32::MAX] {
            assert_eq!(get(ctx, id), Err(PCODES_STATUS_INVALID_ARGUMENT), "id {id}");
            assert_eq!(pcodes_ctx_set(ctx, id, 1), PCODES_STATUS_INVALID_ARGUMENT, "id {id}");
        }
        pcodes_ctx_free(ctx);
    }
}

/// `pcodes_setting_info` and `pcodes_setting_name` give every row of the table; unknown ids
/// and NULL or overlapping outputs are refused with nothing written.
#[test]
fn setting_info_and_name_are_the_table() {
    let info = |id| {
        let (mut d, mut lo, mut hi) = (7u64, 7u64, 7u64);
        // SAFETY: three distinct local out-parameters.
        let rc = unsafe { pcodes_setting_info(id, &raw mut d, &raw mut lo, &raw mut hi) };
        (rc, d, lo, hi)
    };
    let name = |id| {
        // SAFETY: the returned pointer is a static NUL-terminated string.
        unsafe { core::ffi::CStr::from_ptr(pcodes_setting_name(id)) }.to_str().unwrap()
    };
    for s in Setting::ALL {
        let (lo, hi) = s.range();
        assert_eq!(info(s as pcodes_setting), (PCODES_STATUS_OK, s.default_value(), lo, hi), "{s:?}");
        assert_eq!(name(s as pcodes_setting), s.name());
        assert!(s.name().starts_with("PCODES_SETTING_"));
    }
    assert_eq!(name(PCODES_SETTING_OTP_DIGITS), "PCODES_SETTING_OTP_DIGITS");
    for id in [0, 20, -1, i32::MIN, i32::MAX] {
        assert_eq!(info(id), (PCODES_STATUS_INVALID_ARGUMENT, 7, 7, 7), "id {id}");
        assert_eq!(name(id), "PCODES_SETTING_UNKNOWN");
    }
    let mut v = [0u64; 2];
    let p = v.as_mut_ptr();
    // SAFETY: valid local out-parameters, NULL or overlapping on purpose.
    unsafe {
        assert_eq!(pcodes_setting_info(1, core::ptr::null_mut(), p, p.add(1)), PCODES_STATUS_NULL_ARGUMENT);
        assert_eq!(pcodes_setting_info(1, p, core::ptr::null_mut(), p.add(1)), PCODES_STATUS_NULL_ARGUMENT);
        assert_eq!(pcodes_setting_info(1, p, p.add(1), core::ptr::null_mut()), PCODES_STATUS_NULL_ARGUMENT);
        assert_eq!(pcodes_setting_info(1, p, p.add(1), p), PCODES_STATUS_INVALID_ARGUMENT);
    }
    assert_eq!(v, [0, 0]);
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
        assert_eq!(pcodes_ctx_new(key.as_ptr(), 32, 0, core::ptr::null_mut()), PCODES_STATUS_NULL_ARGUMENT);
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

/// Issue 20: `pcodes_ctx_new` refusing a `ctx_out` that overlaps the key writes nothing (it
/// used to write NULL first, zeroing 8 bytes of the caller's key); other failures still
/// leave `*ctx_out` NULL.
#[test]
fn ctx_new_writes_nothing_when_ctx_out_overlaps_the_key() {
    let mut block = [0xa5u64; 8]; // 64 bytes, aligned for a pointer
    let slots = block.as_mut_ptr();
    let base = slots.cast::<u8>();
    for at in [0, 8, 24] {
        // SAFETY: key and slot lie inside `block`, live for the call; no reference to it is
        // alive during the call.
        let rc = unsafe { pcodes_ctx_new(base, 32, 1, slots.wrapping_add(at / 8).cast::<*mut pcodes_ctx>()) };
        assert_eq!(rc, PCODES_STATUS_INVALID_ARGUMENT, "ctx_out at {at}");
        assert_eq!(crate::diag::last_error_detail().split_once(':').map(|p| p.0), Some("ctx_out"));
        assert_eq!(block, [0xa5u64; 8], "ctx_out at {at}: the key was written");
    }
    let mut ctx: *mut pcodes_ctx = core::ptr::dangling_mut();
    // SAFETY: a live 31-byte key and a live slot.
    assert_eq!(unsafe { pcodes_ctx_new(base, 31, 1, &raw mut ctx) }, PCODES_STATUS_BAD_KEY);
    assert!(ctx.is_null(), "BAD_KEY still sets NULL");
    ctx = core::ptr::dangling_mut();
    // SAFETY: a NULL key and a live slot.
    assert_eq!(
        unsafe { pcodes_ctx_new(core::ptr::null(), 32, 1, &raw mut ctx) },
        PCODES_STATUS_NULL_ARGUMENT
    );
    assert!(ctx.is_null(), "NULL_ARGUMENT still sets NULL");
}

/// Issue 20: `pcodes_ctx_get` racing with the first use never makes that use fail (the read
/// used to take the context to itself, and a flow call meeting it answered
/// `INVALID_ARGUMENT` in about one round in seven). Many rounds, each a fresh context, one
/// thread reading while another makes the first use; later uses and reads never fail either.
#[test]
fn a_read_never_makes_the_first_use_fail() {
    use core::sync::atomic::{AtomicBool, AtomicPtr};
    use std::sync::Barrier;

    let start = Barrier::new(2);
    for round in 0..2000 {
        let shared = AtomicPtr::new(crate::ffi::test_support::new_ctx(3, 1));
        let used = AtomicBool::new(false);
        std::thread::scope(|s| {
            let reader = s.spawn(|| {
                let c = shared.load(Ordering::Relaxed);
                let mut v = 0u64;
                start.wait();
                let mut n = 0;
                while !used.load(Ordering::Acquire) || n < 8 {
                    // SAFETY: the context outlives the scope; `v` is a live local.
                    let rc = unsafe { pcodes_ctx_get(c, PCODES_SETTING_OTP_DIGITS, &raw mut v) };
                    assert_eq!((rc, v), (PCODES_STATUS_OK, 6), "round {round}: a read failed");
                    n += 1;
                }
            });
            let c = shared.load(Ordering::Relaxed);
            let mut secret = [0u8; 20];
            start.wait();
            // SAFETY: the context outlives the scope; `secret` is a live local.
            let rcs: [i32; 4] = core::array::from_fn(|_| unsafe {
                crate::ffi::enrol::pcodes_totp_secret(c, secret.as_mut_ptr(), 20)
            });
            used.store(true, Ordering::Release);
            reader.join().unwrap();
            assert_eq!(rcs, [PCODES_STATUS_OK; 4], "round {round}: a use failed beside a read");
        });
        let c = shared.load(Ordering::Relaxed);
        // SAFETY: both threads are done; the context is freed once.
        unsafe {
            assert_eq!((*c).phase.load(Ordering::Relaxed), IN_USE, "round {round}: readers counted out");
            assert_eq!(pcodes_ctx_set(c, PCODES_SETTING_OTP_DIGITS, 8), PCODES_STATUS_INVALID_ARGUMENT);
            pcodes_ctx_free(c);
        }
    }
}

/// A configuration call that finds a reader inside (before first use) is refused and changes
/// nothing; once the reader is out it goes through.
#[test]
fn configuring_while_a_read_is_inside_is_refused() {
    let ctx = crate::ffi::test_support::new_ctx(5, 1);
    let key = [5u8; 32];
    let mut v = 0u64;
    // SAFETY: valid pointers to locals; the context is freed once. The count is set by hand
    // to what another thread inside `pcodes_ctx_get` would have made it.
    unsafe {
        (*ctx).phase.store(READER, Ordering::Relaxed);
        assert_eq!(pcodes_ctx_set(ctx, PCODES_SETTING_OTP_DIGITS, 8), PCODES_STATUS_INVALID_ARGUMENT);
        assert_eq!(pcodes_ctx_add_key(ctx, key.as_ptr(), 32, 2), PCODES_STATUS_INVALID_ARGUMENT);
        assert_eq!(pcodes_ctx_get(ctx, PCODES_SETTING_OTP_DIGITS, &raw mut v), PCODES_STATUS_OK);
        assert_eq!(v, 6, "unchanged");
        assert_eq!((*ctx).phase.load(Ordering::Relaxed), READER, "the other reader is still counted");
        (*ctx).phase.store(CONFIGURING, Ordering::Relaxed);
        assert_eq!(pcodes_ctx_set(ctx, PCODES_SETTING_OTP_DIGITS, 8), PCODES_STATUS_OK);
        pcodes_ctx_free(ctx);
    }
}

/// The keys and a setting of a live context, read through the Rust side.
///
/// # Safety
/// `ctx` is live and no configuration call runs on it.
unsafe fn snapshot(ctx: *const pcodes_ctx) -> ([bool; 16], u64) {
    // SAFETY: per this function's contract.
    let c = unsafe { &(*ctx).inner };
    (core::array::from_fn(|i| c.keys().contains(i as u32)), c.get(Setting::OtpDigits))
}

/// Configure, then share: `pcodes_ctx_get` does not count as a use, a flow call does; after
/// it `add_key` and `set` are refused and change nothing; `get` still works.
#[test]
fn configuring_after_first_use_is_refused() {
    let key = [5u8; 32];
    let mut ctx: *mut pcodes_ctx = core::ptr::null_mut();
    let mut v = 0u64;
    let mut secret = [0u8; 20];
    // SAFETY: valid pointers to locals; the context is freed once at the end.
    unsafe {
        assert_eq!(pcodes_ctx_new(key.as_ptr(), 32, 1, &raw mut ctx), PCODES_STATUS_OK);
        assert_eq!(pcodes_ctx_get(ctx, PCODES_SETTING_OTP_DIGITS, &raw mut v), PCODES_STATUS_OK);
        assert_eq!(pcodes_ctx_set(ctx, PCODES_SETTING_OTP_DIGITS, 8), PCODES_STATUS_OK, "get is no use");
        assert_eq!(pcodes_ctx_add_key(ctx, key.as_ptr(), 32, 2), PCODES_STATUS_OK);
        // Refused configuration calls do not count as a use either.
        assert_eq!(pcodes_ctx_set(ctx, PCODES_SETTING_OTP_DIGITS, 9), PCODES_STATUS_INVALID_ARGUMENT);
        assert_eq!(pcodes_ctx_set(ctx, PCODES_SETTING_OTP_DIGITS, 7), PCODES_STATUS_OK);

        // First use; even a call that fails on its other arguments is a use.
        let r = crate::ffi::enrol::pcodes_totp_secret(ctx, secret.as_mut_ptr(), 20);
        assert_eq!(r, PCODES_STATUS_OK);
        let before = snapshot(ctx);
        assert_eq!(before.1, 7);
        assert!(before.0[1] && before.0[2] && !before.0[3]);
        assert_eq!(pcodes_ctx_add_key(ctx, key.as_ptr(), 32, 3), PCODES_STATUS_INVALID_ARGUMENT);
        assert_eq!(pcodes_ctx_set(ctx, PCODES_SETTING_OTP_DIGITS, 6), PCODES_STATUS_INVALID_ARGUMENT);
        assert_eq!(pcodes_ctx_set(ctx, PCODES_SETTING_OTP_DIGITS, 7), PCODES_STATUS_INVALID_ARGUMENT);
        assert_eq!(snapshot(ctx), before, "unchanged");
        assert_eq!(pcodes_ctx_get(ctx, PCODES_SETTING_OTP_DIGITS, &raw mut v), PCODES_STATUS_OK);
        assert_eq!(v, 7);
        // NULL is still NULL_ARGUMENT.
        assert_eq!(pcodes_ctx_set(core::ptr::null_mut(), 1, 600), PCODES_STATUS_NULL_ARGUMENT);
        pcodes_ctx_free(ctx);

        // A failed flow call is a use too.
        assert_eq!(pcodes_ctx_new(key.as_ptr(), 32, 1, &raw mut ctx), PCODES_STATUS_OK);
        let r = crate::ffi::enrol::pcodes_totp_secret(ctx, secret.as_mut_ptr(), 3);
        assert_eq!(r, PCODES_STATUS_INVALID_ARGUMENT);
        assert_eq!(pcodes_ctx_set(ctx, PCODES_SETTING_OTP_DIGITS, 8), PCODES_STATUS_INVALID_ARGUMENT);
        pcodes_ctx_free(ctx);
    }
}

/// While one call has the context to itself (`MUTATING`), every other call is refused rather
/// than racing with it: uses, configuration calls and `get` alike.
#[test]
fn calls_during_a_configuration_call_are_refused() {
    let ctx = crate::ffi::test_support::new_ctx(5, 1);
    let (key, mut v, mut secret) = ([5u8; 32], 0u64, [0u8; 20]);
    // SAFETY: valid pointers to locals; the context is freed once at the end. The phase is
    // set by hand to what another thread inside `pcodes_ctx_set` would have made it.
    unsafe {
        (*ctx).phase.store(MUTATING, Ordering::Relaxed);
        let r = crate::ffi::enrol::pcodes_totp_secret(ctx, secret.as_mut_ptr(), 20);
        assert_eq!(r, PCODES_STATUS_INVALID_ARGUMENT);
        assert_eq!(
            pcodes_ctx_get(ctx, PCODES_SETTING_OTP_DIGITS, &raw mut v),
            PCODES_STATUS_INVALID_ARGUMENT
        );
        assert_eq!(pcodes_ctx_set(ctx, PCODES_SETTING_OTP_DIGITS, 8), PCODES_STATUS_INVALID_ARGUMENT);
        assert_eq!(pcodes_ctx_add_key(ctx, key.as_ptr(), 32, 2), PCODES_STATUS_INVALID_ARGUMENT);
        assert_eq!((*ctx).phase.load(Ordering::Relaxed), MUTATING, "left to its owner");
        (*ctx).phase.store(CONFIGURING, Ordering::Relaxed);
        assert_eq!(pcodes_ctx_set(ctx, PCODES_SETTING_OTP_DIGITS, 8), PCODES_STATUS_OK);
        assert_eq!((*ctx).phase.load(Ordering::Relaxed), CONFIGURING, "released");
        assert_eq!(crate::ffi::enrol::pcodes_totp_secret(ctx, secret.as_mut_ptr(), 20), PCODES_STATUS_OK);
        assert_eq!((*ctx).phase.load(Ordering::Relaxed), IN_USE);
        pcodes_ctx_free(ctx);
    }
}

/// One thread keeps using the context while another keeps configuring it, from the same
/// start: no data race is possible (the configuring thread is refused from the first use on;
/// a use that meets a configuration call in progress is refused), every status is `OK` or
/// `INVALID_ARGUMENT`, and once refused, configuration stays refused.
#[test]
fn configuring_while_another_thread_uses_the_context() {
    use core::sync::atomic::AtomicPtr;
    use std::sync::Barrier;
    use std::vec::Vec;

    for round in 0..20 {
        let key = [9u8; 32];
        let mut ctx: *mut pcodes_ctx = core::ptr::null_mut();
        // SAFETY: valid pointers to locals.
        assert_eq!(unsafe { pcodes_ctx_new(key.as_ptr(), 32, 0, &raw mut ctx) }, PCODES_STATUS_OK);
        let shared = AtomicPtr::new(ctx);
        let start = Barrier::new(2);
        let (uses, configs) = std::thread::scope(|s| {
            let user = s.spawn(|| {
                let c = shared.load(Ordering::Relaxed);
                let mut secret = [0u8; 20];
                start.wait();
                // Until 50 uses got through (a use meeting a configuration call is refused,
                // and the configurer stops after 200 calls).
                let (mut rcs, mut ok) = (Vec::new(), 0);
                while ok < 50 && rcs.len() < 10_000_000 {
                    // SAFETY: the context outlives the scope; `secret` is a live local.
                    let rc = unsafe { crate::ffi::enrol::pcodes_totp_secret(c, secret.as_mut_ptr(), 20) };
                    ok += usize::from(rc == PCODES_STATUS_OK);
                    rcs.push(rc);
                }
                rcs
            });
            let configurer = s.spawn(|| {
                let c = shared.load(Ordering::Relaxed);
                start.wait();
                let mut rcs = Vec::new();
                for i in 0..200u32 {
                    // SAFETY: the context outlives the scope; `key` is a live local.
                    rcs.push(unsafe {
                        if i % 20 == 0 {
                            pcodes_ctx_add_key(c, key.as_ptr(), 32, 1 + i / 20)
                        } else {
                            pcodes_ctx_set(c, PCODES_SETTING_OTP_DIGITS, 6 + u64::from(i % 3))
                        }
                    });
                }
                rcs
            });
            (user.join().unwrap(), configurer.join().unwrap())
        });
        let valid = [PCODES_STATUS_OK, PCODES_STATUS_INVALID_ARGUMENT];
        assert!(uses.iter().chain(&configs).all(|rc| valid.contains(rc)), "round {round}");
        assert!(uses.contains(&PCODES_STATUS_OK), "round {round}: the user got through");
        let first_refusal = configs.iter().position(|&rc| rc != PCODES_STATUS_OK).unwrap_or(configs.len());
        assert!(
            configs[first_refusal..].iter().all(|&rc| rc == PCODES_STATUS_INVALID_ARGUMENT),
            "round {round}: configured again after a use: {configs:?}"
        );
        // SAFETY: both threads are done; the context is freed once.
        unsafe {
            assert_eq!((*ctx).phase.load(Ordering::Relaxed), IN_USE);
            assert_eq!(pcodes_ctx_add_key(ctx, key.as_ptr(), 32, 15), PCODES_STATUS_INVALID_ARGUMENT);
            pcodes_ctx_free(ctx);
        }
    }
}

/// Issue 20 §5: `pcodes_ctx_free` returns no status, so it must not erase the detail of the
/// failing call before it (a host that frees, then logs, would log nothing).
#[test]
fn free_keeps_the_detail_of_the_call_before() {
    let c = crate::ffi::test_support::new_ctx(0x42, 1);
    // SAFETY: a live context, freed once.
    unsafe {
        assert_eq!(pcodes_ctx_set(c, 9999, 1), crate::ffi::status::PCODES_STATUS_INVALID_ARGUMENT);
        let before =
            core::ffi::CStr::from_ptr(crate::ffi::status::pcodes_last_error_detail()).to_bytes().to_vec();
        assert!(!before.is_empty());
        pcodes_ctx_free(c);
        let after =
            core::ffi::CStr::from_ptr(crate::ffi::status::pcodes_last_error_detail()).to_bytes().to_vec();
        assert_eq!(before, after);
    }
}
