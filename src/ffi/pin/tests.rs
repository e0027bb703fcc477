use super::*;
use crate::Error;
use crate::ffi::ctx::{PCODES_SETTING_PIN_ITERATIONS, pcodes_ctx_add_key, pcodes_ctx_free, pcodes_ctx_set};
use crate::ffi::state::pcodes_state_retry_at;
use crate::ffi::status::*;
use core::ffi::CStr;
use core::ptr::{null, null_mut};

/// A context with key `id` (and optionally an older key), 10,000 iterations.
fn new_ctx(key: u8, id: u32, old: Option<(u8, u32)>) -> *mut pcodes_ctx {
    let c = crate::ffi::test_support::new_ctx(key, id);
    // SAFETY: pointers to locals; the context is freed by the caller.
    unsafe {
        if let Some((k, i)) = old {
            assert_eq!(pcodes_ctx_add_key(c, [k; 32].as_ptr(), 32, i), PCODES_STATUS_OK);
        }
        assert_eq!(pcodes_ctx_set(c, PCODES_SETTING_PIN_ITERATIONS, 10_000), PCODES_STATUS_OK);
    }
    c
}

fn hash(c: *const pcodes_ctx, acct: &CStr, pin: &CStr) -> [u8; PCODES_PIN_HASH_BYTES] {
    let mut out = [0u8; PCODES_PIN_HASH_BYTES];
    // SAFETY: valid strings and a buffer of the stated size.
    let rc = unsafe { pcodes_pin_hash(c, acct.as_ptr(), pin.as_ptr(), out.as_mut_ptr().cast(), out.len()) };
    assert_eq!(rc, PCODES_STATUS_OK);
    out
}

/// A context with key `key` and the hash of `pin` for the account `"acct"`.
fn hashed(key: u8, pin: &CStr) -> (*mut pcodes_ctx, [u8; PCODES_PIN_HASH_BYTES]) {
    let c = new_ctx(key, 0, None);
    (c, hash(c, c"acct", pin))
}

/// One verification step (`pcodes_pin_verify`, `_begin` or `_finish`) of `pin` for the
/// account `"acct"` hashed as `stored`.
fn step(
    f: unsafe extern "C" fn(
        *const pcodes_ctx,
        *const c_char,
        *const c_char,
        *const c_char,
        u64,
        *mut u8,
        usize,
    ) -> pcodes_status,
    c: *const pcodes_ctx,
    stored: *const c_char,
    now: u64,
    pin: &CStr,
    st: &mut [u8; 64],
) -> pcodes_status {
    // SAFETY: a live context, NUL-terminated strings and a 64-byte blob.
    unsafe { f(c, c"acct".as_ptr(), pin.as_ptr(), stored, now, st.as_mut_ptr(), 64) }
}

#[test]
fn check_reasons_and_errors() {
    let c = new_ctx(1, 0, None);
    let mut why = -1;
    // SAFETY: valid pointers to locals and literals; the context is freed at the end.
    unsafe {
        let chk = |p: &CStr, q: &CStr, b: *const c_char, w: *mut i32| {
            pcodes_pin_check_reason(c, p.as_ptr(), q.as_ptr(), b, w)
        };
        assert_eq!(chk(c"2580", c"2580", null(), &raw mut why), PCODES_STATUS_PIN_WEAK);
        assert_eq!(why, PCODES_PIN_WEAK_KEYPAD_LINE);
        assert_eq!(chk(c"250587", c"250587", c"1987-05-25".as_ptr(), &raw mut why), PCODES_STATUS_PIN_WEAK);
        assert_eq!(why, PCODES_PIN_WEAK_BIRTH_DATE);
        assert_eq!(chk(c"385027", c"385027", c"1987-05-25".as_ptr(), &raw mut why), PCODES_STATUS_OK);
        assert_eq!(why, PCODES_PIN_WEAK_NONE);
        assert_eq!(chk(c"3850", c"3851", null(), &raw mut why), PCODES_STATUS_PIN_MISMATCH);
        assert_eq!(chk(c"38a0", c"38a0", null(), null_mut()), PCODES_STATUS_PIN_FORMAT);
        assert_eq!(
            chk(c"3861", c"3861", c"1987-13-01".as_ptr(), null_mut()),
            PCODES_STATUS_INVALID_BIRTH_DATE
        );
        assert_eq!(pcodes_pin_check(c, c"1111".as_ptr(), c"1111".as_ptr(), null()), PCODES_STATUS_PIN_WEAK);
        assert_eq!(pcodes_pin_check(c, null(), c"1111".as_ptr(), null()), PCODES_STATUS_NULL_ARGUMENT);
        assert_eq!(
            pcodes_pin_check(null(), c"1".as_ptr(), c"1".as_ptr(), null()),
            PCODES_STATUS_NULL_ARGUMENT
        );
        let bad = [0xffu8, 0];
        assert_eq!(
            pcodes_pin_check(c, bad.as_ptr().cast(), c"1".as_ptr(), null()),
            PCODES_STATUS_INVALID_ARGUMENT
        );
        let name = |r| CStr::from_ptr(pcodes_pin_weakness_name(r)).to_str().unwrap();
        assert_eq!(name(PCODES_PIN_WEAK_KEYPAD_LINE), "KEYPAD_LINE");
        assert_eq!(name(0), "NONE");
        assert_eq!(name(99), "UNKNOWN");
        assert_eq!(name(-1), "UNKNOWN");
        for w in crate::pin::Weakness::ALL {
            assert_eq!(name(w.code()), w.name());
        }
        pcodes_ctx_free(c);
    }
    assert_eq!(pcodes_pin_hash_bytes(), 128);
}

/// `pcodes_pin_check_reason` gives the answers of `pin::check_reason` and `pin::check` (the
/// status and the reason) over every 4-digit PIN, a sweep of 6-digit ones, malformed PINs,
/// mismatched confirmations and birth dates, good and bad, under two length policies.
#[test]
fn check_reason_answers_as_rust() {
    use crate::ffi::ctx::PCODES_SETTING_PIN_LENGTHS;
    use std::ffi::CString;
    use std::format;
    use std::string::String;
    use std::vec::Vec;

    let mut pins: Vec<String> = (0..10_000).map(|v| format!("{v:04}")).collect();
    pins.extend((0..1_000_000).step_by(97).map(|v| format!("{v:06}")));
    pins.extend(
        ["", "1", "123", "12345", "1234567", "12a4", " 1234", "１２３４", "٣٨٦١", "3861\n"].map(String::from),
    );
    let births =
        [None, Some("1987-05-25"), Some("2000-02-29"), Some("1948-07-03"), Some("1990-02-30"), Some("x")];
    for lengths in [None, Some(1u64 << 6)] {
        let c = new_ctx(3, 0, None);
        if let Some(l) = lengths {
            // SAFETY: a live context, not yet shared.
            assert_eq!(unsafe { pcodes_ctx_set(c, PCODES_SETTING_PIN_LENGTHS, l) }, PCODES_STATUS_OK);
        }
        // SAFETY: made by `new_ctx` and live until freed below.
        let rust_ctx = unsafe { &(*c).inner };
        for (i, pin) in pins.iter().enumerate() {
            let birth = births[i % births.len()];
            let confirm = if i % 13 == 5 { format!("{pin}0") } else { pin.clone() };
            let (p, cf) = (CString::new(pin.as_str()).unwrap(), CString::new(confirm.as_str()).unwrap());
            let b = birth.map(|b| CString::new(b).unwrap());
            let mut why = -1;
            // SAFETY: a live context, NUL-terminated strings (or NULL), a local out slot.
            let rc = unsafe {
                pcodes_pin_check_reason(
                    c,
                    p.as_ptr(),
                    cf.as_ptr(),
                    b.as_ref().map_or(null(), |b| b.as_ptr()),
                    &raw mut why,
                )
            };
            let rust = crate::pin::check_reason(rust_ctx, pin, &confirm, birth);
            let (status, reason) = match rust {
                Ok(()) => (PCODES_STATUS_OK, PCODES_PIN_WEAK_NONE),
                Err((e, w)) => (e.code(), w.map_or(PCODES_PIN_WEAK_NONE, crate::pin::Weakness::code)),
            };
            assert_eq!((rc, why), (status, reason), "{pin:?} {confirm:?} {birth:?}");
            let plain = crate::pin::check(rust_ctx, pin, &confirm, birth);
            assert_eq!(plain.map_or_else(Error::code, |()| PCODES_STATUS_OK), rc, "{pin:?}");
        }
        // SAFETY: made by `new_ctx`, freed once.
        unsafe { pcodes_ctx_free(c) };
    }
}

#[test]
fn hash_verify_lockout_copy_rotation() {
    let c = new_ctx(1, 0, None);
    let h = hash(c, c"acct-1", c"385027");
    let stored = CStr::from_bytes_until_nul(&h).unwrap();
    let mut st = [0u8; 64];
    // SAFETY: valid pointers to locals and literals; contexts are freed at the end.
    unsafe {
        let ver = |c, a: &CStr, p: &CStr, s: *const c_char, now, st: &mut [u8; 64]| {
            pcodes_pin_verify(c, a.as_ptr(), p.as_ptr(), s, now, st.as_mut_ptr(), 64)
        };
        assert_eq!(ver(c, c"acct-1", c"385027", stored.as_ptr(), 100, &mut st), PCODES_STATUS_OK);
        assert_eq!(ver(c, c"acct-2", c"385027", stored.as_ptr(), 100, &mut st), PCODES_STATUS_WRONG);
        for _ in 0..4 {
            assert_eq!(ver(c, c"acct-1", c"000001", stored.as_ptr(), 100, &mut st), PCODES_STATUS_WRONG);
        }
        assert_eq!(ver(c, c"acct-1", c"385027", stored.as_ptr(), 101, &mut st), PCODES_STATUS_LOCKED);
        let mut at = 0;
        assert_eq!(pcodes_state_retry_at(st.as_ptr(), 64, 101, &raw mut at), PCODES_STATUS_OK);
        assert_eq!(at, 1000);
        // Unknown account: NULL stored, with the blob kept for the typed name (required).
        let mut u = [0u8; 64];
        let rc = pcodes_pin_verify(c, c"x".as_ptr(), c"385027".as_ptr(), null(), 100, u.as_mut_ptr(), 64);
        assert_eq!(rc, PCODES_STATUS_WRONG);
        let rc = pcodes_pin_verify(c, c"x".as_ptr(), c"38".as_ptr(), null(), 100, u.as_mut_ptr(), 64);
        assert_eq!(rc, PCODES_STATUS_PIN_FORMAT);
        // The 0.1 header's form (state NULL, "ignored"): deprecated, answers as 0.1 did and
        // counts nothing (docs/c-api.md, "Versions").
        let rc = pcodes_pin_verify(c, c"x".as_ptr(), c"385027".as_ptr(), null(), 100, null_mut(), 0);
        assert_eq!(rc, PCODES_STATUS_WRONG);
        let rc = pcodes_pin_verify(c, c"x".as_ptr(), c"385027".as_ptr(), null(), 0, u.as_mut_ptr(), 64);
        assert_eq!(rc, PCODES_STATUS_INVALID_ARGUMENT, "now = 0");
        // Blob problems.
        let mut short = [0u8; 63];
        let rc =
            pcodes_pin_verify(c, c"a".as_ptr(), c"3850".as_ptr(), stored.as_ptr(), 0, short.as_mut_ptr(), 63);
        assert_eq!(rc, PCODES_STATUS_CORRUPT_STATE);
        let rc = pcodes_pin_verify(c, c"a".as_ptr(), c"3850".as_ptr(), stored.as_ptr(), 100, null_mut(), 64);
        assert_eq!(rc, PCODES_STATUS_NULL_ARGUMENT);
        let mut other = crate::state::State::fresh(crate::state::Kind::Otp).encode();
        let copy = other;
        assert_eq!(ver(c, c"a", c"3850", stored.as_ptr(), 100, &mut other), PCODES_STATUS_CORRUPT_STATE);
        assert_eq!(other, copy);
        let mut fresh = [0u8; 64];
        assert_eq!(
            ver(c, c"a", c"3850", c"$pcodes-pin$x".as_ptr(), 100, &mut fresh),
            PCODES_STATUS_MALFORMED_HASH
        );

        // Rotation: new context with key id 1 current, old key 0 added.
        let c2 = new_ctx(2, 1, Some((1, 0)));
        let mut needs = false;
        let mut st2 = [0u8; 64];
        assert_eq!(ver(c2, c"acct-1", c"385027", stored.as_ptr(), 100, &mut st2), PCODES_STATUS_OK);
        assert_eq!(pcodes_pin_needs_rehash(c2, stored.as_ptr(), &raw mut needs), PCODES_STATUS_OK);
        assert!(needs);
        let h2 = hash(c2, c"acct-1", c"385027");
        let s2 = CStr::from_bytes_until_nul(&h2).unwrap();
        assert_eq!(pcodes_pin_needs_rehash(c2, s2.as_ptr(), &raw mut needs), PCODES_STATUS_OK);
        assert!(!needs);
        // The old context does not hold key 1.
        assert_eq!(ver(c, c"acct-1", c"385027", s2.as_ptr(), 100, &mut st2), PCODES_STATUS_UNKNOWN_KEY);
        assert_eq!(
            pcodes_pin_needs_rehash(c2, c"nope".as_ptr(), &raw mut needs),
            PCODES_STATUS_MALFORMED_HASH
        );
        assert_eq!(pcodes_pin_needs_rehash(c2, s2.as_ptr(), null_mut()), PCODES_STATUS_NULL_ARGUMENT);
        pcodes_ctx_free(c2);
        pcodes_ctx_free(c);
    }
}

#[test]
fn hash_buffers_and_arguments() {
    let c = new_ctx(1, 0, None);
    // SAFETY: valid pointers to locals; buffer lengths as stated.
    unsafe {
        let mut small = [7u8; 60];
        let rc = pcodes_pin_hash(c, c"a".as_ptr(), c"3861".as_ptr(), small.as_mut_ptr().cast(), small.len());
        assert_eq!(rc, PCODES_STATUS_BUFFER_TOO_SMALL);
        assert_eq!(small, [7; 60], "untouched");
        let h = hash(c, c"a", c"3861");
        let len = CStr::from_bytes_until_nul(&h).unwrap().to_bytes().len();
        let mut exact = std::vec![0u8; len + 1];
        let rc = pcodes_pin_hash(c, c"a".as_ptr(), c"3861".as_ptr(), exact.as_mut_ptr().cast(), len + 1);
        assert_eq!(rc, PCODES_STATUS_OK);
        let rc = pcodes_pin_hash(c, c"a".as_ptr(), c"3861".as_ptr(), exact.as_mut_ptr().cast(), len);
        assert_eq!(rc, PCODES_STATUS_BUFFER_TOO_SMALL);
        let mut buf = [0u8; 128];
        let p = buf.as_mut_ptr().cast();
        assert_eq!(pcodes_pin_hash(c, c"a".as_ptr(), c"38611".as_ptr(), p, 128), PCODES_STATUS_PIN_FORMAT);
        assert_eq!(
            pcodes_pin_hash(c, c"".as_ptr(), c"3861".as_ptr(), p, 128),
            PCODES_STATUS_INVALID_ARGUMENT
        );
        assert_eq!(pcodes_pin_hash(c, null(), c"3861".as_ptr(), p, 128), PCODES_STATUS_NULL_ARGUMENT);
        assert_eq!(
            pcodes_pin_hash(c, c"a".as_ptr(), c"3861".as_ptr(), null_mut(), 128),
            PCODES_STATUS_NULL_ARGUMENT
        );
        pcodes_ctx_free(c);
    }
}

#[test]
fn two_phase() {
    let (c, h) = hashed(1, c"3861");
    let s = CStr::from_bytes_until_nul(&h).unwrap().as_ptr();
    let begin = |p: &CStr, st: &mut [u8; 64]| step(pcodes_pin_verify_begin, c, s, 50, p, st);
    let finish = |p: &CStr, st: &mut [u8; 64]| step(pcodes_pin_verify_finish, c, s, 50, p, st);
    let mut st = [0u8; 64];
    // SAFETY: valid pointers to locals and literals; the context is freed at the end.
    unsafe {
        assert_eq!(finish(c"3861", &mut st), PCODES_STATUS_NO_CHALLENGE);
        assert_eq!(begin(c"3861", &mut st), PCODES_STATUS_OK);
        assert_eq!(
            crate::pin::verify_begin(&(*c).inner, "3861", "x", 50, &mut [0; 64]),
            Err(Error::MalformedHash)
        );
        assert_eq!(finish(c"3861", &mut st), PCODES_STATUS_OK);
        assert_eq!(st[2], 0, "failures cleared");
        for _ in 0..5 {
            assert_eq!(begin(c"0000", &mut st), PCODES_STATUS_OK);
        }
        assert_eq!(begin(c"0000", &mut st), PCODES_STATUS_LOCKED);
        assert_eq!(finish(c"0000", &mut st), PCODES_STATUS_WRONG);
        assert_eq!(begin(c"0", &mut st), PCODES_STATUS_LOCKED, "lock first");
        // Dummy path: the blob counts like a real account's.
        let n = null();
        let mut u = [0u8; 64];
        assert_eq!(
            pcodes_pin_verify_begin(c, c"x".as_ptr(), c"3861".as_ptr(), n, 100, u.as_mut_ptr(), 64),
            PCODES_STATUS_OK
        );
        assert_eq!(u[2], 1, "pre-counted");
        assert_eq!(
            pcodes_pin_verify_finish(c, c"x".as_ptr(), c"3861".as_ptr(), n, 100, u.as_mut_ptr(), 64),
            PCODES_STATUS_WRONG
        );
        pcodes_ctx_free(c);
    }
}

#[test]
fn compute_then_apply() {
    let (c, stored) = hashed(2, c"385027");
    let sp: *const c_char = stored.as_ptr().cast();
    let mut st = [0u8; 64];
    let mut matched = true;
    let begin = |p: &CStr, st: &mut [u8; 64]| step(pcodes_pin_verify_begin, c, sp, 100, p, st);
    // SAFETY: valid pointers to locals and literals; the context is freed at the end.
    unsafe {
        assert_eq!(pcodes_pin_verify_apply(1, 100, st.as_mut_ptr(), 64), PCODES_STATUS_NO_CHALLENGE);
        assert_eq!(begin(c"111111", &mut st), PCODES_STATUS_OK);
        assert_eq!(
            pcodes_pin_verify_compute(c, c"acct".as_ptr(), c"111111".as_ptr(), sp, &raw mut matched),
            PCODES_STATUS_OK
        );
        assert!(!matched);
        // A lost race: the verdict is applied to the re-read blob, no second PBKDF2.
        let snapshot = st;
        assert_eq!(pcodes_pin_verify_apply(u8::from(matched), 100, st.as_mut_ptr(), 64), PCODES_STATUS_WRONG);
        st = snapshot;
        assert_eq!(pcodes_pin_verify_apply(u8::from(matched), 100, st.as_mut_ptr(), 64), PCODES_STATUS_WRONG);
        assert_eq!(
            pcodes_pin_verify_apply(u8::from(matched), 100, st.as_mut_ptr(), 64),
            PCODES_STATUS_NO_CHALLENGE
        );
        assert_eq!(begin(c"385027", &mut st), PCODES_STATUS_OK);
        assert_eq!(
            pcodes_pin_verify_compute(c, c"acct".as_ptr(), c"385027".as_ptr(), sp, &raw mut matched),
            PCODES_STATUS_OK
        );
        assert!(matched);
        assert_eq!(pcodes_pin_verify_apply(u8::from(matched), 100, st.as_mut_ptr(), 64), PCODES_STATUS_OK);
        assert_eq!(crate::state::State::decode(&st, crate::state::Kind::Pin).unwrap().failures, 0);
        assert_eq!(
            pcodes_pin_verify_compute(c, c"acct".as_ptr(), c"385027".as_ptr(), sp, null_mut()),
            PCODES_STATUS_NULL_ARGUMENT
        );
        assert_eq!(
            pcodes_pin_verify_compute(c, c"acct".as_ptr(), c"12".as_ptr(), sp, &raw mut matched),
            PCODES_STATUS_PIN_FORMAT
        );
        assert_eq!(pcodes_pin_verify_apply(1, 100, st.as_mut_ptr(), 63), PCODES_STATUS_CORRUPT_STATE);
        assert_eq!(pcodes_pin_verify_apply(1, 100, null_mut(), 64), PCODES_STATUS_NULL_ARGUMENT);
        pcodes_ctx_free(c);
    }
}

/// Issue 19 / 20: the lost-race protocol (begin, compute, apply) works for an unknown
/// account (`stored = NULL`) as in Rust: compute does the dummy work and reports no match,
/// apply answers `WRONG`, and the blob is the one-call verify's.
#[test]
fn compute_and_apply_for_an_unknown_account() {
    let c = new_ctx(0x42, 2, None);
    let (acct, pin) = (c"nobody".as_ptr(), c"385027".as_ptr());
    // SAFETY: pointers to locals and a live context.
    unsafe {
        let mut two = [0u8; 64];
        assert_eq!(
            pcodes_pin_verify_begin(c, acct, pin, null(), 100, two.as_mut_ptr(), 64),
            PCODES_STATUS_OK
        );
        let mut matched = true;
        assert_eq!(pcodes_pin_verify_compute(c, acct, pin, null(), &raw mut matched), PCODES_STATUS_OK);
        assert!(!matched);
        assert_eq!(
            pcodes_pin_verify_apply(u8::from(matched), 100, two.as_mut_ptr(), 64),
            PCODES_STATUS_WRONG
        );
        let mut one = [0u8; 64];
        assert_eq!(pcodes_pin_verify(c, acct, pin, null(), 100, one.as_mut_ptr(), 64), PCODES_STATUS_WRONG);
        assert_eq!(one, two, "the same blob as the one-call verify");
        let mut rust = [0u8; 64];
        let ctx = crate::ffi::ctx::ctx_ref(c).unwrap();
        let unknown = crate::pin::Stored::UnknownAccount;
        assert_eq!(crate::pin::compute_match(ctx, "nobody", "385027", unknown), Ok(false));
        assert_eq!(
            crate::pin::verify(ctx, "nobody", "385027", crate::pin::Stored::UnknownAccount, 100, &mut rust),
            Err(Error::Wrong)
        );
        assert_eq!(rust, one, "Rust and C agree");
        pcodes_ctx_free(c);
    }
}

/// Issue 20 §5: `matched` is read as a byte; 2 (what JNA or ctypes may pass for "true") is
/// `INVALID_ARGUMENT` with a detail and the blob is left as it was (it was a Rust `bool`:
/// undefined behaviour).
#[test]
fn apply_refuses_a_matched_byte_other_than_0_or_1() {
    let c = new_ctx(0x42, 2, None);
    // SAFETY: pointers to locals and a live context.
    unsafe {
        let mut st = [0u8; 64];
        let (acct, pin) = (c"nobody".as_ptr(), c"385027".as_ptr());
        assert_eq!(pcodes_pin_verify_begin(c, acct, pin, null(), 100, st.as_mut_ptr(), 64), PCODES_STATUS_OK);
        let before = st;
        for bad in [2u8, 0x80, 0xFF] {
            assert_eq!(
                pcodes_pin_verify_apply(bad, 100, st.as_mut_ptr(), 64),
                PCODES_STATUS_INVALID_ARGUMENT
            );
            assert_eq!(st, before, "nothing recorded");
            let d = CStr::from_ptr(crate::ffi::status::pcodes_last_error_detail()).to_str().unwrap();
            assert!(d.starts_with("matched: "), "{d}");
        }
        assert_eq!(pcodes_pin_verify_apply(0, 100, st.as_mut_ptr(), 64), PCODES_STATUS_WRONG);
        pcodes_ctx_free(c);
    }
}

/// Issue 20 §5: with several bad arguments, the detail names the one whose status is
/// returned (the first), not the last one converted.
#[test]
fn check_reason_names_the_first_refused_argument() {
    let c = new_ctx(0x42, 2, None);
    let mut reason = 0;
    // SAFETY: NULLs and pointers to locals.
    unsafe {
        let detail = || CStr::from_ptr(crate::ffi::status::pcodes_last_error_detail()).to_str().unwrap();
        let rc = pcodes_pin_check_reason(null(), null(), null(), c"bad\xff".as_ptr(), &raw mut reason);
        assert_eq!(rc, PCODES_STATUS_NULL_ARGUMENT);
        assert!(detail().starts_with("ctx: "), "{}", detail());
        let rc = pcodes_pin_check_reason(c, null(), null(), null(), &raw mut reason);
        assert_eq!(rc, PCODES_STATUS_NULL_ARGUMENT);
        assert!(detail().starts_with("pin: "), "{}", detail());
        pcodes_ctx_free(c);
    }
}
