//! Every C function refuses hostile arguments with a developer detail that names one of its
//! parameters (as the header spells them) and never repeats a secret the caller passed; its
//! verdicts about codes and PINs carry none. The rule itself is `test_support::detail_problem`
//! (which `boundary` also applies to every call of every unit test).

use core::ffi::c_char;
use core::ptr::{null, null_mut};
use std::collections::BTreeMap;
use std::string::String;
use std::vec::Vec;

use super::base32::*;
use super::ctx::*;
use super::device::*;
use super::device_lanes::*;
use super::enrol::*;
use super::link::*;
use super::otp::*;
use super::pepper::*;
use super::pin::*;
use super::pin_generate::*;
use super::recovery::*;
use super::state::*;
use super::status::*;
use super::test_support::{Scratch, detail_problem, header_functions, is_developer_error, new_ctx};
use super::totp::*;

const NOW: u64 = 1_750_000_000;
/// The secrets passed below: no detail may contain any of them.
const PIN: &core::ffi::CStr = c"385027";
const CODE: &core::ffi::CStr = c"94287082";

/// What the probes saw: for each function, the developer-error statuses it returned.
#[derive(Default)]
struct Seen(BTreeMap<&'static str, Vec<i32>>);

impl Seen {
    fn check(&mut self, function: &'static str, status: i32, call: &str) {
        if let Some(problem) = detail_problem(function, status) {
            panic!("{call}: {problem}");
        }
        let detail = crate::diag::last_error_detail();
        for secret in [PIN, CODE, c"ivan@example.ru", c"account-1"] {
            let s = secret.to_str().unwrap();
            assert!(!detail.contains(s), "{call}: the detail {detail:?} repeats {s:?}");
        }
        let e = self.0.entry(function).or_default();
        if is_developer_error(status) {
            e.push(status);
        }
    }
}

/// A pepper callback for the probes (never called: they are all refused).
unsafe extern "C" fn no_device(_: *mut core::ffi::c_void, _: u32, _: *const u8, _: usize, _: *mut u8) -> i32 {
    -1
}

/// Calls a C function and checks the detail it left.
macro_rules! probe {
    ($seen:ident, $f:ident($($a:expr),* $(,)?)) => {{
        // SAFETY: every pointer is NULL on purpose or points to a live local or scratch buffer
        // of at least the size passed with it.
        let status = unsafe { $f($($a),*) };
        $seen.check(stringify!($f), status, stringify!($f($($a),*)));
        status
    }};
}

#[test]
#[allow(clippy::too_many_lines)]
fn every_refusal_names_its_argument() {
    let mut seen = Seen::default();
    let s = &mut seen;
    let ctx = new_ctx(7, 1);
    let cctx = ctx.cast_const();
    let key = [7u8; 32];
    let secret = *b"12345678901234567890";
    let sp = secret.as_ptr();
    let bad = [0xffu8, 0];
    let bad = bad.as_ptr().cast::<c_char>();
    let mut st = [0u8; 64];
    let stp = st.as_mut_ptr();
    let mut big = std::vec![0u8; PCODES_TOTP_QR_SVG_BYTES];
    let out = big.as_mut_ptr().cast::<c_char>();
    let (mut v64, mut v32, mut vsz, mut vb, mut vi) = (0u64, 0u32, 0usize, false, 0i32);
    let mut e = core::mem::MaybeUninit::<pcodes_totp_enrolment>::zeroed();

    // The context. A fresh one for the configuration calls (the shared one gets used).
    let mut c = null_mut();
    let fresh = new_ctx(1, 0);
    probe!(s, pcodes_ctx_new(null(), 32, 0, &raw mut c));
    probe!(s, pcodes_ctx_new(key.as_ptr(), 32, 0, null_mut()));
    probe!(s, pcodes_ctx_new(key.as_ptr(), 31, 0, &raw mut c));
    probe!(s, pcodes_ctx_new(key.as_ptr(), 32, 16, &raw mut c));
    probe!(s, pcodes_ctx_new(key.as_ptr(), 32, 0, key.as_ptr().cast_mut().cast()));
    probe!(s, pcodes_ctx_add_key(null_mut(), key.as_ptr(), 32, 2));
    probe!(s, pcodes_ctx_add_key(fresh, null(), 32, 2));
    probe!(s, pcodes_ctx_add_key(fresh, key.as_ptr(), 32, 0));
    probe!(s, pcodes_ctx_add_key(fresh, key.as_ptr(), 64, 3));
    probe!(s, pcodes_ctx_add_key(fresh, fresh.cast(), 32, 3));
    probe!(s, pcodes_ctx_set(null_mut(), PCODES_SETTING_OTP_DIGITS, 6));
    probe!(s, pcodes_ctx_set(fresh, 0, 6));
    probe!(s, pcodes_ctx_set(fresh, PCODES_SETTING_OTP_DIGITS, 9));
    probe!(s, pcodes_ctx_set(fresh, PCODES_SETTING_PIN_LENGTHS, 0x20));
    probe!(s, pcodes_ctx_get(null(), PCODES_SETTING_OTP_DIGITS, &raw mut v64));
    probe!(s, pcodes_ctx_get(fresh, 99, &raw mut v64));
    probe!(s, pcodes_ctx_get(fresh, PCODES_SETTING_OTP_DIGITS, null_mut()));
    probe!(s, pcodes_ctx_get(fresh, PCODES_SETTING_OTP_DIGITS, fresh.cast()));
    let (mut lo, mut hi) = (0u64, 0u64);
    probe!(s, pcodes_setting_info(PCODES_SETTING_OTP_DIGITS, null_mut(), &raw mut lo, &raw mut hi));
    probe!(s, pcodes_setting_info(PCODES_SETTING_OTP_DIGITS, &raw mut v64, null_mut(), &raw mut hi));
    probe!(s, pcodes_setting_info(PCODES_SETTING_OTP_DIGITS, &raw mut v64, &raw mut lo, null_mut()));
    probe!(s, pcodes_setting_info(PCODES_SETTING_OTP_DIGITS, &raw mut v64, &raw mut lo, &raw mut lo));
    probe!(s, pcodes_setting_info(0, &raw mut v64, &raw mut lo, &raw mut hi));
    probe!(s, pcodes_pepper_set_callback(null_mut(), Some(no_device), null_mut(), 1));
    probe!(s, pcodes_pepper_set_callback(fresh, None, null_mut(), 1));
    probe!(s, pcodes_pepper_set_callback(fresh, Some(no_device), null_mut(), 0));
    probe!(s, pcodes_pepper_set_callback(fresh, Some(no_device), null_mut(), 1 << 16));
    probe!(s, pcodes_totp_secret(fresh, st.as_mut_ptr(), 20)); // first use
    probe!(s, pcodes_pepper_set_callback(fresh, Some(no_device), null_mut(), 1));
    probe!(s, pcodes_ctx_set(fresh, PCODES_SETTING_OTP_DIGITS, 8));
    probe!(s, pcodes_ctx_add_key(fresh, key.as_ptr(), 32, 3));
    // SAFETY: made by `new_ctx`, freed once.
    unsafe { pcodes_ctx_free(fresh) };

    // State blobs.
    probe!(s, pcodes_state_retry_at(null(), 64, NOW, &raw mut v64));
    probe!(s, pcodes_state_retry_at(stp, 63, NOW, &raw mut v64));
    probe!(s, pcodes_state_retry_at(stp, 64, 0, &raw mut v64));
    probe!(s, pcodes_state_retry_at(stp, 64, NOW, null_mut()));
    probe!(s, pcodes_state_retry_at(stp, 64, NOW, stp.cast()));
    probe!(s, pcodes_state_reset(null_mut(), 64));
    probe!(s, pcodes_state_reset(stp, 65));
    let mut junk = [0xEEu8; 64];
    probe!(s, pcodes_state_reset(junk.as_mut_ptr(), 64));
    probe!(s, pcodes_state_revoke(null_mut(), 64, PCODES_REVOKE_CODES));
    probe!(s, pcodes_state_revoke(stp, 65, PCODES_REVOKE_CODES));
    probe!(s, pcodes_state_revoke(stp, 64, 0));
    probe!(s, pcodes_state_revoke(stp, 64, 4));
    probe!(s, pcodes_state_revoke(stp, 64, 8));
    probe!(s, pcodes_state_revoke(junk.as_mut_ptr(), 64, PCODES_REVOKE_CODES));
    let mut ev = pcodes_events::default();
    let evp = &raw mut ev;
    let zero = [0u8; 64];
    let (z, j) = (zero.as_ptr(), junk.as_ptr());
    let mut pin_blob = [0u8; 64];
    pin_blob[..4].copy_from_slice(&[2, 3, 1, 0]); // a PIN blob with one failure
    let mut otp_blob = pin_blob;
    otp_blob[0] = 3;
    probe!(s, pcodes_state_events(null(), z, 64, z, 64, NOW, evp));
    probe!(s, pcodes_state_events(cctx, null(), 64, z, 64, NOW, evp));
    probe!(s, pcodes_state_events(cctx, z, 64, null(), 64, NOW, evp));
    probe!(s, pcodes_state_events(cctx, z, 64, z, 64, NOW, null_mut()));
    probe!(s, pcodes_state_events(cctx, z, 63, z, 64, NOW, evp));
    probe!(s, pcodes_state_events(cctx, z, 64, z, 65, NOW, evp));
    probe!(s, pcodes_state_events(cctx, j, 64, z, 64, NOW, evp));
    probe!(s, pcodes_state_events(cctx, z, 64, j, 64, NOW, evp));
    probe!(s, pcodes_state_events(cctx, z, 64, z, 64, 0, evp));
    probe!(s, pcodes_state_events(cctx, pin_blob.as_ptr(), 64, otp_blob.as_ptr(), 64, NOW, evp));
    probe!(s, pcodes_state_events(cctx, z, 64, z, 64, NOW, z.cast_mut().cast()));

    // SMS / e-mail codes.
    let p = c"login".as_ptr();
    probe!(s, pcodes_otp_issue(null(), p, NOW, stp, 64, out, 9));
    probe!(s, pcodes_otp_issue(cctx, null(), NOW, stp, 64, out, 9));
    probe!(s, pcodes_otp_issue(cctx, bad, NOW, stp, 64, out, 9));
    probe!(s, pcodes_otp_issue(cctx, c"".as_ptr(), NOW, stp, 64, out, 9));
    probe!(s, pcodes_otp_issue(cctx, p, 0, stp, 64, out, 9));
    probe!(s, pcodes_otp_issue(cctx, p, NOW, null_mut(), 64, out, 9));
    probe!(s, pcodes_otp_issue(cctx, p, NOW, stp, 63, out, 9));
    probe!(s, pcodes_otp_issue(cctx, p, NOW, stp, 64, null_mut(), 9));
    probe!(s, pcodes_otp_issue(cctx, p, NOW, stp, 64, out, 6));
    probe!(s, pcodes_otp_issue(cctx, p, NOW, stp, 64, stp.cast(), 9));
    probe!(s, pcodes_otp_issue(cctx, p, NOW, ctx.cast(), 64, out, 9));
    let mut pin_blob = crate::state::State::fresh(crate::state::Kind::Pin).encode();
    probe!(s, pcodes_otp_issue(cctx, p, NOW, pin_blob.as_mut_ptr(), 64, out, 9));
    let mut ost = [0u8; 64];
    let op = ost.as_mut_ptr();
    assert_eq!(probe!(s, pcodes_otp_issue(cctx, p, NOW, op, 64, out, 9)), PCODES_STATUS_OK);
    probe!(s, pcodes_otp_issue(cctx, p, NOW + 1, op, 64, out, 9)); // TOO_SOON: a verdict
    let c = CODE.as_ptr();
    probe!(s, pcodes_otp_verify(null(), p, c, NOW, op, 64));
    probe!(s, pcodes_otp_verify(cctx, null(), c, NOW, op, 64));
    probe!(s, pcodes_otp_verify(cctx, p, null(), NOW, op, 64));
    probe!(s, pcodes_otp_verify(cctx, p, bad, NOW, op, 64));
    probe!(s, pcodes_otp_verify(cctx, p, c, NOW, op, 65));
    probe!(s, pcodes_otp_verify(cctx, p, c, NOW, null_mut(), 64));
    probe!(s, pcodes_otp_verify(cctx, p, c"123456".as_ptr(), NOW, op, 64)); // WRONG: a verdict
    probe!(s, pcodes_otp_verify(cctx, p, c"12".as_ptr(), NOW, op, 64)); // MISTYPED
    // A code issued under a key the verifying context does not hold.
    let other = new_ctx(9, 5);
    probe!(s, pcodes_otp_verify(other, p, c"123456".as_ptr(), NOW, op, 64));

    // Link codes.
    let child = pcodes_child {
        full_name: c"Иванов Иван Иванович".as_ptr(),
        birth_date: c"2015-03-08".as_ptr(),
        sex: c"M".as_ptr(),
        snils: c"112-233-445 95".as_ptr(),
    };
    let ch = &raw const child;
    let bad_child = pcodes_child { snils: bad, ..child };
    let odd_child = pcodes_child { sex: c"X".as_ptr(), ..child };
    probe!(s, pcodes_child_check(null(), &raw mut v32));
    probe!(s, pcodes_child_check(ch, null_mut()));
    probe!(s, pcodes_child_check(&raw const bad_child, &raw mut v32));
    probe!(s, pcodes_child_check(ch, ch.cast_mut().cast()));
    let mut lst = [0u8; 64];
    let lp = lst.as_mut_ptr();
    probe!(s, pcodes_link_issue(null(), 1, ch, NOW, lp, 64, out, 30));
    probe!(s, pcodes_link_issue(cctx, 1, null(), NOW, lp, 64, out, 30));
    probe!(s, pcodes_link_issue(cctx, 1, &raw const bad_child, NOW, lp, 64, out, 30));
    probe!(s, pcodes_link_issue(cctx, 1, &raw const odd_child, NOW, lp, 64, out, 30));
    probe!(s, pcodes_link_issue(cctx, 1, ch, NOW, lp, 64, null_mut(), 30));
    probe!(s, pcodes_link_issue(cctx, 1, ch, NOW, lp, 64, out, 29));
    probe!(s, pcodes_link_issue(cctx, 1, ch, NOW, null_mut(), 64, out, 30));
    probe!(s, pcodes_link_issue(cctx, 1, ch, NOW, lp, 63, out, 30));
    probe!(s, pcodes_link_issue(cctx, 1 << 40, ch, NOW, lp, 64, out, 30));
    probe!(s, pcodes_link_issue(cctx, 1, ch, 1_000_000_000, lp, 64, out, 30));
    probe!(s, pcodes_link_issue(cctx, 1, ch, 0, lp, 64, out, 30));
    probe!(s, pcodes_link_issue(cctx, 1, ch, NOW, lp, 64, lp.cast(), 30));
    let mut code = [0u8; 30];
    let cp = code.as_mut_ptr().cast::<c_char>();
    assert_eq!(probe!(s, pcodes_link_issue(cctx, 1, ch, NOW, lp, 64, cp, 30)), PCODES_STATUS_OK);
    probe!(s, pcodes_link_parse(null(), &raw mut v64));
    probe!(s, pcodes_link_parse(bad, &raw mut v64));
    probe!(s, pcodes_link_parse(cp, null_mut()));
    probe!(s, pcodes_link_parse(cp, cp.cast()));
    probe!(s, pcodes_link_parse(c"AAAAA".as_ptr(), &raw mut v64)); // MISTYPED
    probe!(s, pcodes_link_redeem(null(), cp, ch, NOW, lp, 64));
    probe!(s, pcodes_link_redeem(cctx, null(), ch, NOW, lp, 64));
    probe!(s, pcodes_link_redeem(cctx, bad, ch, NOW, lp, 64));
    probe!(s, pcodes_link_redeem(cctx, cp, null(), NOW, lp, 64));
    probe!(s, pcodes_link_redeem(cctx, cp, &raw const odd_child, NOW, lp, 64));
    probe!(s, pcodes_link_redeem(cctx, cp, ch, 0, lp, 64));
    probe!(s, pcodes_link_redeem(cctx, cp, ch, NOW, null_mut(), 64));
    probe!(s, pcodes_link_redeem(cctx, cp, ch, NOW, lp, 1));
    probe!(s, pcodes_link_redeem(cctx, cp, ch, NOW, cp.cast(), 64));
    probe!(s, pcodes_link_redeem(other, cp, ch, NOW, lp, 64)); // UNKNOWN_KEY
    probe!(s, pcodes_link_redeem(cctx, cp, ch, NOW + 10_000, lp, 64)); // EXPIRED: a verdict

    // PINs.
    let (acct, pin) = (c"account-1".as_ptr(), PIN.as_ptr());
    probe!(s, pcodes_pin_check(null(), pin, pin, null()));
    probe!(s, pcodes_pin_check(cctx, null(), pin, null()));
    probe!(s, pcodes_pin_check(cctx, pin, null(), null()));
    probe!(s, pcodes_pin_check(cctx, pin, bad, null()));
    probe!(s, pcodes_pin_check(cctx, pin, pin, bad));
    probe!(s, pcodes_pin_check(cctx, c"12345".as_ptr(), c"12345".as_ptr(), null())); // PIN_FORMAT
    probe!(s, pcodes_pin_check_reason(cctx, null(), pin, null(), &raw mut vi));
    probe!(s, pcodes_pin_check_reason(cctx, pin, pin, null(), pin.cast_mut().cast()));
    probe!(s, pcodes_pin_check_reason(cctx, c"1111".as_ptr(), c"1111".as_ptr(), null(), &raw mut vi));
    let mut h = [0u8; PCODES_PIN_HASH_BYTES];
    let hp = h.as_mut_ptr().cast::<c_char>();
    probe!(s, pcodes_pin_hash(null(), acct, pin, hp, 128));
    probe!(s, pcodes_pin_hash(cctx, null(), pin, hp, 128));
    probe!(s, pcodes_pin_hash(cctx, bad, pin, hp, 128));
    probe!(s, pcodes_pin_hash(cctx, acct, null(), hp, 128));
    probe!(s, pcodes_pin_hash(cctx, acct, pin, null_mut(), 128));
    probe!(s, pcodes_pin_hash(cctx, acct, pin, hp, 20));
    probe!(s, pcodes_pin_hash(cctx, c"".as_ptr(), pin, hp, 128));
    probe!(s, pcodes_pin_hash(cctx, acct, c"12".as_ptr(), hp, 128));
    probe!(s, pcodes_pin_hash(cctx, acct, pin, acct.cast_mut(), 128));
    assert_eq!(probe!(s, pcodes_pin_hash(cctx, acct, pin, hp, 128)), PCODES_STATUS_OK);
    let mut g = [0u8; PCODES_PIN_GENERATE_BYTES];
    let gp = g.as_mut_ptr().cast::<c_char>();
    let birth = c"1987-05-25".as_ptr();
    probe!(s, pcodes_pin_generate(null(), 6, birth, gp, 7));
    probe!(s, pcodes_pin_generate(cctx, 6, bad, gp, 7));
    probe!(s, pcodes_pin_generate(cctx, 6, birth, null_mut(), 7));
    probe!(s, pcodes_pin_generate(cctx, 6, birth, gp, 6));
    probe!(s, pcodes_pin_generate(cctx, 5, birth, gp, 7));
    probe!(s, pcodes_pin_generate(cctx, 6, c"1987-02-30".as_ptr(), gp, 7)); // INVALID_BIRTH_DATE
    probe!(s, pcodes_pin_generate(cctx, 6, birth, birth.cast_mut(), 7));
    assert_eq!(probe!(s, pcodes_pin_generate(cctx, 6, birth, gp, 7)), PCODES_STATUS_OK);
    let stored = hp.cast_const();
    let malformed = c"$pcodes-pin$x".as_ptr();
    let mut pst = [0u8; 64];
    let pp = pst.as_mut_ptr();
    for f in [pcodes_pin_verify, pcodes_pin_verify_begin, pcodes_pin_verify_finish] {
        // The three share one body; the probes name the first.
        let pcodes_pin_verify = f;
        probe!(s, pcodes_pin_verify(null(), acct, pin, stored, NOW, pp, 64));
        probe!(s, pcodes_pin_verify(cctx, null(), pin, stored, NOW, pp, 64));
        probe!(s, pcodes_pin_verify(cctx, acct, null(), stored, NOW, pp, 64));
        probe!(s, pcodes_pin_verify(cctx, acct, pin, bad, NOW, pp, 64));
        probe!(s, pcodes_pin_verify(cctx, acct, pin, malformed, NOW, pp, 64));
        probe!(s, pcodes_pin_verify(other, acct, pin, stored, NOW, pp, 64));
        probe!(s, pcodes_pin_verify(cctx, acct, pin, stored, 0, pp, 64));
        probe!(s, pcodes_pin_verify(cctx, acct, pin, stored, NOW, null_mut(), 64));
        probe!(s, pcodes_pin_verify(cctx, acct, pin, stored, NOW, pp, 0));
        probe!(s, pcodes_pin_verify(cctx, acct, pin, stored, NOW, op, 64));
        probe!(s, pcodes_pin_verify(cctx, acct, pin, stored, NOW, hp.cast(), 64));
        probe!(s, pcodes_pin_verify(cctx, acct, c"000000".as_ptr(), stored, NOW, pp, 64));
    }
    probe!(s, pcodes_pin_verify_begin(cctx, acct, pin, stored, 0, pp, 64));
    probe!(s, pcodes_pin_verify_finish(cctx, acct, pin, stored, 0, pp, 64));
    probe!(s, pcodes_pin_verify_compute(null(), acct, pin, stored, &raw mut vb));
    probe!(s, pcodes_pin_verify_compute(cctx, acct, pin, null(), &raw mut vb));
    probe!(s, pcodes_pin_verify_compute(cctx, acct, pin, malformed, &raw mut vb));
    probe!(s, pcodes_pin_verify_compute(other, acct, pin, stored, &raw mut vb));
    probe!(s, pcodes_pin_verify_compute(cctx, acct, pin, stored, null_mut()));
    probe!(s, pcodes_pin_verify_compute(cctx, acct, pin, stored, hp.cast()));
    probe!(s, pcodes_pin_verify_apply(1, NOW, null_mut(), 64));
    probe!(s, pcodes_pin_verify_apply(1, NOW, pp, 63));
    probe!(s, pcodes_pin_verify_apply(1, 0, pp, 64));
    probe!(s, pcodes_pin_verify_apply(1, NOW, op, 64));
    probe!(s, pcodes_pin_needs_rehash(null(), stored, &raw mut vb));
    probe!(s, pcodes_pin_needs_rehash(cctx, null(), &raw mut vb));
    probe!(s, pcodes_pin_needs_rehash(cctx, malformed, &raw mut vb));
    probe!(s, pcodes_pin_needs_rehash(cctx, stored, null_mut()));
    probe!(s, pcodes_pin_needs_rehash(cctx, stored, hp.cast()));

    // TOTP / HOTP.
    probe!(s, pcodes_totp_code(null(), 20, 1, 8, 30, 59, out, 9));
    probe!(s, pcodes_totp_code(sp, 9, 1, 8, 30, 59, out, 9));
    probe!(s, pcodes_totp_code(sp, 20, 4, 8, 30, 59, out, 9));
    probe!(s, pcodes_totp_code(sp, 20, 1, 9, 30, 59, out, 9));
    probe!(s, pcodes_totp_code(sp, 20, 1, 8, 0, 59, out, 9));
    probe!(s, pcodes_totp_code(sp, 20, 1, 8, 30, 59, null_mut(), 9));
    probe!(s, pcodes_totp_code(sp, 20, 1, 8, 30, 59, out, 8));
    probe!(s, pcodes_totp_code(sp, 20, 1, 8, 30, 59, sp.cast_mut().cast(), 9));
    probe!(s, pcodes_hotp_code(null(), 20, 1, 6, 0, out, 9));
    probe!(s, pcodes_hotp_code(sp, 65, 1, 6, 0, out, 9));
    probe!(s, pcodes_hotp_code(sp, 20, 0, 6, 0, out, 9));
    probe!(s, pcodes_hotp_code(sp, 20, 1, 5, 0, out, 9));
    probe!(s, pcodes_hotp_code(sp, 20, 1, 6, 0, null_mut(), 9));
    probe!(s, pcodes_hotp_code(sp, 20, 1, 6, 0, out, 6));
    let mut tst = [0u8; 64];
    let tp = tst.as_mut_ptr();
    let mut drift = 0i32;
    let d = &raw mut drift;
    probe!(s, pcodes_totp_verify(null(), sp, 20, 1, 8, 30, c, 59, tp, 64, d));
    probe!(s, pcodes_totp_verify(cctx, null(), 20, 1, 8, 30, c, 59, tp, 64, d));
    probe!(s, pcodes_totp_verify(cctx, sp, 20, 1, 8, 30, null(), 59, tp, 64, d));
    probe!(s, pcodes_totp_verify(cctx, sp, 20, 1, 8, 30, bad, 59, tp, 64, d));
    probe!(s, pcodes_totp_verify(cctx, sp, 20, 9, 8, 30, c, 59, tp, 64, d));
    probe!(s, pcodes_totp_verify(cctx, sp, 20, 1, 4, 30, c, 59, tp, 64, d));
    probe!(s, pcodes_totp_verify(cctx, sp, 20, 1, 8, 3601, c, 59, tp, 64, d));
    probe!(s, pcodes_totp_verify(cctx, sp, 5, 1, 8, 30, c, 59, tp, 64, d));
    probe!(s, pcodes_totp_verify(cctx, sp, 20, 1, 8, 30, c, 0, tp, 64, d));
    probe!(s, pcodes_totp_verify(cctx, sp, 20, 1, 8, 30, c, 59, null_mut(), 64, d));
    probe!(s, pcodes_totp_verify(cctx, sp, 20, 1, 8, 30, c, 59, tp, 60, d));
    probe!(s, pcodes_totp_verify(cctx, sp, 20, 1, 8, 30, c, 59, op, 64, d));
    probe!(s, pcodes_totp_verify(cctx, sp, 20, 1, 8, 30, c, 59, tp, 64, tp.cast()));
    probe!(s, pcodes_totp_verify(cctx, sp, 20, 1, 8, 30, c, 59, sp.cast_mut(), 64, d));
    assert_eq!(probe!(s, pcodes_totp_verify(cctx, sp, 20, 1, 8, 30, c, 59, tp, 64, d)), PCODES_STATUS_OK);
    probe!(s, pcodes_totp_verify(cctx, sp, 20, 1, 8, 30, c, 59, tp, 64, d)); // ALREADY_USED
    let hc = c"755224".as_ptr();
    probe!(s, pcodes_hotp_verify(null(), sp, 20, 1, 6, hc, NOW, tp, 64));
    probe!(s, pcodes_hotp_verify(cctx, null(), 20, 1, 6, hc, NOW, tp, 64));
    probe!(s, pcodes_hotp_verify(cctx, sp, 20, 1, 6, null(), NOW, tp, 64));
    probe!(s, pcodes_hotp_verify(cctx, sp, 20, 7, 6, hc, NOW, tp, 64));
    probe!(s, pcodes_hotp_verify(cctx, sp, 20, 1, 9, hc, NOW, tp, 64));
    probe!(s, pcodes_hotp_verify(cctx, sp, 3, 1, 6, hc, NOW, tp, 64));
    probe!(s, pcodes_hotp_verify(cctx, sp, 20, 1, 6, hc, NOW, tp, 64)); // a TOTP blob
    probe!(s, pcodes_hotp_verify(cctx, sp, 20, 1, 6, hc, NOW, null_mut(), 64));
    probe!(s, pcodes_hotp_verify(cctx, sp, 20, 1, 6, hc, NOW, sp.cast_mut(), 64));
    let mut counter = 0u64;
    let n = &raw mut counter;
    probe!(s, pcodes_hotp_verify_counter(null(), sp, 20, 1, 6, hc, NOW, tp, 64, n));
    probe!(s, pcodes_hotp_verify_counter(cctx, null(), 20, 1, 6, hc, NOW, tp, 64, n));
    probe!(s, pcodes_hotp_verify_counter(cctx, sp, 20, 1, 6, null(), NOW, tp, 64, n));
    probe!(s, pcodes_hotp_verify_counter(cctx, sp, 20, 1, 6, bad, NOW, tp, 64, n));
    probe!(s, pcodes_hotp_verify_counter(cctx, sp, 20, 7, 6, hc, NOW, tp, 64, n));
    probe!(s, pcodes_hotp_verify_counter(cctx, sp, 20, 1, 9, hc, NOW, tp, 64, n));
    probe!(s, pcodes_hotp_verify_counter(cctx, sp, 3, 1, 6, hc, NOW, tp, 64, n));
    probe!(s, pcodes_hotp_verify_counter(cctx, sp, 20, 1, 6, hc, 0, tp, 64, n));
    probe!(s, pcodes_hotp_verify_counter(cctx, sp, 20, 1, 6, hc, NOW, tp, 64, n)); // a TOTP blob
    probe!(s, pcodes_hotp_verify_counter(cctx, sp, 20, 1, 6, hc, NOW, null_mut(), 64, n));
    probe!(s, pcodes_hotp_verify_counter(cctx, sp, 20, 1, 6, hc, NOW, tp, 60, n));
    probe!(s, pcodes_hotp_verify_counter(cctx, sp, 20, 1, 6, hc, NOW, sp.cast_mut(), 64, n));
    probe!(s, pcodes_hotp_verify_counter(cctx, sp, 20, 1, 6, hc, NOW, tp, 64, tp.cast()));
    probe!(s, pcodes_hotp_verify_counter(cctx, sp, 20, 1, 6, hc, NOW, tp, 64, sp.cast_mut().cast()));
    probe!(s, pcodes_hotp_verify_counter(cctx, sp, 20, 1, 6, hc, NOW, tp, 64, hc.cast_mut().cast()));
    let mut hst = [0u8; 64];
    let hsp = hst.as_mut_ptr();
    assert_eq!(
        probe!(s, pcodes_hotp_verify_counter(cctx, sp, 20, 1, 6, hc, NOW, hsp, 64, n)),
        PCODES_STATUS_OK
    );
    assert_eq!(counter, 0);
    probe!(s, pcodes_hotp_verify_counter(cctx, sp, 20, 1, 6, hc, NOW, hsp, 64, n)); // ALREADY_USED

    // Enrolment and base32.
    probe!(s, pcodes_totp_secret(null(), st.as_mut_ptr(), 20));
    probe!(s, pcodes_totp_secret(cctx, null_mut(), 20));
    probe!(s, pcodes_totp_secret(cctx, st.as_mut_ptr(), 15));
    probe!(s, pcodes_totp_secret(cctx, ctx.cast(), 20));
    let (iss, acc) = (c"Portal".as_ptr(), c"ivan@example.ru".as_ptr());
    probe!(s, pcodes_totp_uri(null(), 20, iss, acc, 1, 6, 30, out, 1024));
    probe!(s, pcodes_totp_uri(sp, 20, null(), acc, 1, 6, 30, out, 1024));
    probe!(s, pcodes_totp_uri(sp, 20, iss, null(), 1, 6, 30, out, 1024));
    probe!(s, pcodes_totp_uri(sp, 20, bad, acc, 1, 6, 30, out, 1024));
    probe!(s, pcodes_totp_uri(sp, 20, c"a:b".as_ptr(), acc, 1, 6, 30, out, 1024));
    probe!(s, pcodes_totp_uri(sp, 20, iss, c" x".as_ptr(), 1, 6, 30, out, 1024));
    probe!(s, pcodes_totp_uri(sp, 8, iss, acc, 1, 6, 30, out, 1024));
    probe!(s, pcodes_totp_uri(sp, 20, iss, acc, 5, 6, 30, out, 1024));
    probe!(s, pcodes_totp_uri(sp, 20, iss, acc, 1, 10, 30, out, 1024));
    probe!(s, pcodes_totp_uri(sp, 20, iss, acc, 1, 6, 0, out, 1024));
    probe!(s, pcodes_totp_uri(sp, 20, iss, acc, 1, 6, 30, null_mut(), 1024));
    probe!(s, pcodes_totp_uri(sp, 20, iss, acc, 1, 6, 30, out, 10));
    probe!(s, pcodes_totp_uri(sp, 20, iss, acc, 1, 6, 30, sp.cast_mut().cast(), 1024));
    for uri in [
        c"http://x".as_ptr(),
        c"otpauth://totp/a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=5".as_ptr(),
        c"otpauth://totp/a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&period=0".as_ptr(),
        c"otpauth://totp/a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=MD5".as_ptr(),
        c"otpauth://totp/a?secret=GEZDGNBV".as_ptr(),
        c"otpauth://totp/a?secret=1".as_ptr(),
        c"otpauth://totp/a".as_ptr(),
        c"otpauth://hotp/a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".as_ptr(),
        c"otpauth://totp/A:b?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=B".as_ptr(),
        c"otpauth://totp/a%ZZ?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".as_ptr(),
        c"otpauth://totp/a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=6&digits=6".as_ptr(),
        bad,
        null(),
    ] {
        probe!(s, pcodes_totp_uri_parse(uri, e.as_mut_ptr()));
    }
    let u = c"otpauth://totp/a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    probe!(s, pcodes_totp_uri_parse(u.as_ptr(), null_mut()));
    probe!(s, pcodes_totp_uri_parse(u.as_ptr(), u.as_ptr().cast_mut().cast()));
    probe!(s, pcodes_totp_qr_svg(null(), out, PCODES_TOTP_QR_SVG_BYTES));
    probe!(s, pcodes_totp_qr_svg(bad, out, PCODES_TOTP_QR_SVG_BYTES));
    probe!(s, pcodes_totp_qr_svg(u.as_ptr(), null_mut(), PCODES_TOTP_QR_SVG_BYTES));
    probe!(s, pcodes_totp_qr_svg(u.as_ptr(), out, 100));
    probe!(s, pcodes_totp_qr_svg(u.as_ptr(), u.as_ptr().cast_mut(), PCODES_TOTP_QR_SVG_BYTES));
    let long = std::ffi::CString::new("x".repeat(1024)).unwrap();
    probe!(s, pcodes_totp_qr_svg(long.as_ptr(), out, PCODES_TOTP_QR_SVG_BYTES));
    probe!(s, pcodes_base32_encode(null(), 6, out, 11));
    probe!(s, pcodes_base32_encode(sp, 6, null_mut(), 11));
    probe!(s, pcodes_base32_encode(sp, 6, out, 10));
    probe!(s, pcodes_base32_encode(sp, 6, sp.cast_mut().cast(), 11));
    let mut b = Scratch::new(16);
    let t = b.put(0, b"MZXW6YTBOI\0");
    probe!(s, pcodes_base32_decode(null(), st.as_mut_ptr(), 6, &raw mut vsz));
    probe!(s, pcodes_base32_decode(bad, st.as_mut_ptr(), 6, &raw mut vsz));
    probe!(s, pcodes_base32_decode(c"MZXW1".as_ptr(), st.as_mut_ptr(), 6, &raw mut vsz));
    probe!(s, pcodes_base32_decode(c"M".as_ptr(), st.as_mut_ptr(), 6, &raw mut vsz));
    probe!(s, pcodes_base32_decode(t, null_mut(), 6, &raw mut vsz));
    probe!(s, pcodes_base32_decode(t, st.as_mut_ptr(), 6, null_mut()));
    probe!(s, pcodes_base32_decode(t, st.as_mut_ptr(), 5, &raw mut vsz));
    probe!(s, pcodes_base32_decode(t, b.at(4), 6, &raw mut vsz));
    probe!(s, pcodes_base32_decode(t, st.as_mut_ptr(), 6, st.as_mut_ptr().cast()));

    // Recovery codes.
    let mut rst = [0u8; 64];
    let rp = rst.as_mut_ptr();
    let mut codes = [0u8; 16 * PCODES_RECOVERY_CODE_BYTES];
    let cp = codes.as_mut_ptr().cast::<c_char>();
    let mut rs = [0u8; PCODES_RECOVERY_STORED_BYTES];
    let rsp = rs.as_mut_ptr().cast::<c_char>();
    let acct = c"account-1".as_ptr();
    probe!(s, pcodes_recovery_generate(null(), acct, 10, rp, 64, cp, 150, rsp, 256));
    probe!(s, pcodes_recovery_generate(cctx, null(), 10, rp, 64, cp, 150, rsp, 256));
    probe!(s, pcodes_recovery_generate(cctx, bad, 10, rp, 64, cp, 150, rsp, 256));
    probe!(s, pcodes_recovery_generate(cctx, c"".as_ptr(), 10, rp, 64, cp, 150, rsp, 256));
    probe!(s, pcodes_recovery_generate(cctx, acct, 0, rp, 64, cp, 150, rsp, 256));
    probe!(s, pcodes_recovery_generate(cctx, acct, 17, rp, 64, cp, 240, rsp, 256));
    probe!(s, pcodes_recovery_generate(cctx, acct, 10, null_mut(), 64, cp, 150, rsp, 256));
    probe!(s, pcodes_recovery_generate(cctx, acct, 10, rp, 63, cp, 150, rsp, 256));
    probe!(s, pcodes_recovery_generate(cctx, acct, 10, rp, 64, null_mut(), 150, rsp, 256));
    probe!(s, pcodes_recovery_generate(cctx, acct, 10, rp, 64, cp, 149, rsp, 256));
    probe!(s, pcodes_recovery_generate(cctx, acct, 10, rp, 64, cp, usize::MAX, rsp, 256));
    probe!(s, pcodes_recovery_generate(cctx, acct, 10, rp, 64, cp, 150, null_mut(), 256));
    probe!(s, pcodes_recovery_generate(cctx, acct, 10, rp, 64, cp, 150, rsp, 255));
    probe!(s, pcodes_recovery_generate(cctx, acct, 10, rp, 64, cp, 150, cp, 256));
    probe!(s, pcodes_recovery_generate(cctx, acct, 10, rp, 64, rp.cast(), 150, rsp, 256));
    probe!(s, pcodes_recovery_generate(cctx, acct, 10, junk.as_mut_ptr(), 64, cp, 150, rsp, 256));
    assert_eq!(
        probe!(s, pcodes_recovery_generate(cctx, acct, 10, rp, 64, cp, 150, rsp, 256)),
        PCODES_STATUS_OK
    );
    let (rstored, rcode) = (rsp.cast_const(), cp.cast_const());
    let malformed = c"$pcodes-recovery$x".as_ptr();
    probe!(s, pcodes_recovery_verify(null(), acct, rstored, rcode, NOW, rp, 64, &raw mut v32));
    probe!(s, pcodes_recovery_verify(cctx, null(), rstored, rcode, NOW, rp, 64, &raw mut v32));
    probe!(s, pcodes_recovery_verify(cctx, bad, rstored, rcode, NOW, rp, 64, &raw mut v32));
    probe!(s, pcodes_recovery_verify(cctx, c"".as_ptr(), rstored, rcode, NOW, rp, 64, &raw mut v32));
    probe!(s, pcodes_recovery_verify(cctx, acct, null(), rcode, NOW, rp, 64, &raw mut v32));
    probe!(s, pcodes_recovery_verify(cctx, acct, bad, rcode, NOW, rp, 64, &raw mut v32));
    probe!(s, pcodes_recovery_verify(cctx, acct, malformed, rcode, NOW, rp, 64, &raw mut v32));
    probe!(s, pcodes_recovery_verify(other, acct, rstored, rcode, NOW, rp, 64, &raw mut v32));
    probe!(s, pcodes_recovery_verify(cctx, acct, rstored, null(), NOW, rp, 64, &raw mut v32));
    probe!(s, pcodes_recovery_verify(cctx, acct, rstored, bad, NOW, rp, 64, &raw mut v32));
    probe!(s, pcodes_recovery_verify(cctx, acct, rstored, rcode, 0, rp, 64, &raw mut v32));
    probe!(s, pcodes_recovery_verify(cctx, acct, rstored, rcode, NOW, null_mut(), 64, &raw mut v32));
    probe!(s, pcodes_recovery_verify(cctx, acct, rstored, rcode, NOW, rp, 65, &raw mut v32));
    probe!(s, pcodes_recovery_verify(cctx, acct, rstored, rcode, NOW, rp, 64, null_mut()));
    probe!(s, pcodes_recovery_verify(cctx, acct, rstored, rcode, NOW, rp, 64, rp.cast()));
    probe!(s, pcodes_recovery_verify(cctx, acct, rstored, rcode, NOW, cp.cast(), 64, &raw mut v32));
    probe!(
        s,
        pcodes_recovery_verify(cctx, acct, rstored, c"0000-0000-0000".as_ptr(), NOW, rp, 64, &raw mut v32)
    );
    assert_eq!(
        probe!(s, pcodes_recovery_verify(cctx, acct, rstored, rcode, NOW, rp, 64, &raw mut v32)),
        PCODES_STATUS_OK
    );
    probe!(s, pcodes_recovery_verify(cctx, acct, rstored, rcode, NOW, rp, 64, &raw mut v32)); // ALREADY_USED
    probe!(s, pcodes_recovery_remaining(null(), 64, &raw mut v32));
    probe!(s, pcodes_recovery_remaining(rp, 63, &raw mut v32));
    probe!(s, pcodes_recovery_remaining(rp, 64, null_mut()));
    probe!(s, pcodes_recovery_remaining(rp, 64, rp.cast()));
    probe!(s, pcodes_recovery_remaining(junk.as_ptr(), 64, &raw mut v32));

    // Device trust.
    let mut dst = [0u8; 64];
    let dp = dst.as_mut_ptr();
    let mut tok = [0u8; PCODES_DEVICE_TOKEN_BYTES];
    let tp = tok.as_mut_ptr().cast::<c_char>();
    probe!(s, pcodes_device_issue(null(), acct, NOW, dp, 64, tp, 81));
    probe!(s, pcodes_device_issue(cctx, null(), NOW, dp, 64, tp, 81));
    probe!(s, pcodes_device_issue(cctx, bad, NOW, dp, 64, tp, 81));
    probe!(s, pcodes_device_issue(cctx, c"".as_ptr(), NOW, dp, 64, tp, 81));
    probe!(s, pcodes_device_issue(cctx, acct, 0, dp, 64, tp, 81));
    probe!(s, pcodes_device_issue(cctx, acct, NOW, null_mut(), 64, tp, 81));
    probe!(s, pcodes_device_issue(cctx, acct, NOW, dp, 63, tp, 81));
    probe!(s, pcodes_device_issue(cctx, acct, NOW, junk.as_mut_ptr(), 64, tp, 81));
    probe!(s, pcodes_device_issue(cctx, acct, NOW, dp, 64, null_mut(), 81));
    probe!(s, pcodes_device_issue(cctx, acct, NOW, dp, 64, tp, 80));
    probe!(s, pcodes_device_issue(cctx, acct, NOW, dp, 64, tp, usize::MAX));
    probe!(s, pcodes_device_issue(cctx, acct, NOW, dp, 64, dp.cast(), 81));
    assert_eq!(probe!(s, pcodes_device_issue(cctx, acct, NOW, dp, 64, tp, 81)), PCODES_STATUS_OK);
    let t = tp.cast_const();
    probe!(s, pcodes_device_check(null(), acct, t, NOW, dp, 64));
    probe!(s, pcodes_device_check(cctx, null(), t, NOW, dp, 64));
    probe!(s, pcodes_device_check(cctx, bad, t, NOW, dp, 64));
    probe!(s, pcodes_device_check(cctx, c"".as_ptr(), t, NOW, dp, 64));
    probe!(s, pcodes_device_check(cctx, acct, null(), NOW, dp, 64));
    probe!(s, pcodes_device_check(cctx, acct, bad, NOW, dp, 64));
    probe!(s, pcodes_device_check(cctx, acct, t, 0, dp, 64));
    probe!(s, pcodes_device_check(cctx, acct, t, NOW, null(), 64));
    probe!(s, pcodes_device_check(cctx, acct, t, NOW, dp, 65));
    probe!(s, pcodes_device_check(cctx, acct, t, NOW, junk.as_ptr(), 64));
    probe!(s, pcodes_device_check(other, acct, t, NOW, dp, 64)); // UNKNOWN_KEY
    probe!(s, pcodes_device_check(cctx, acct, c"AAAA".as_ptr(), NOW, dp, 64)); // DEVICE_UNTRUSTED
    assert_eq!(probe!(s, pcodes_device_check(cctx, acct, t, NOW, dp, 64)), PCODES_STATUS_OK);
    let dpin = PIN.as_ptr();
    let dstored = c"$pcodes-pin$junk".as_ptr();
    probe!(s, pcodes_device_pin_verify(null(), acct, dpin, dstored, t, NOW, dp, 64));
    probe!(s, pcodes_device_pin_verify(cctx, null(), dpin, dstored, t, NOW, dp, 64));
    probe!(s, pcodes_device_pin_verify(cctx, bad, dpin, dstored, t, NOW, dp, 64));
    probe!(s, pcodes_device_pin_verify(cctx, acct, null(), dstored, t, NOW, dp, 64));
    probe!(s, pcodes_device_pin_verify(cctx, acct, bad, dstored, t, NOW, dp, 64));
    probe!(s, pcodes_device_pin_verify(cctx, acct, dpin, bad, t, NOW, dp, 64));
    probe!(s, pcodes_device_pin_verify(cctx, acct, dpin, dstored, t, NOW, dp, 64)); // MALFORMED_HASH
    probe!(s, pcodes_device_pin_verify(cctx, acct, dpin, dstored, null(), NOW, dp, 64));
    probe!(s, pcodes_device_pin_verify(cctx, acct, dpin, dstored, bad, NOW, dp, 64));
    probe!(s, pcodes_device_pin_verify(cctx, acct, dpin, dstored, t, 0, dp, 64));
    probe!(s, pcodes_device_pin_verify(cctx, acct, dpin, dstored, t, NOW, null_mut(), 64));
    probe!(s, pcodes_device_pin_verify(cctx, acct, dpin, dstored, t, NOW, dp, 63));
    probe!(s, pcodes_device_pin_verify(cctx, acct, dpin, dstored, t, NOW, junk.as_mut_ptr(), 64));
    probe!(s, pcodes_device_pin_verify(cctx, acct, dpin, dstored, t, NOW, tok.as_mut_ptr(), 64));
    probe!(s, pcodes_device_pin_verify(cctx, acct, c"12".as_ptr(), dstored, t, NOW, dp, 64)); // PIN_FORMAT
    probe_device_lanes(s, cctx, acct, t, dp, bad);
    probe!(s, pcodes_device_revoke_all(null_mut(), 64));
    probe!(s, pcodes_device_revoke_all(dp, 63));
    probe!(s, pcodes_device_revoke_all(junk.as_mut_ptr(), 64));
    assert_eq!(probe!(s, pcodes_device_revoke_all(dp, 64)), PCODES_STATUS_OK);
    probe!(s, pcodes_device_check(cctx, acct, t, NOW, dp, 64)); // DEVICE_REVOKED

    // SAFETY: made by `new_ctx`, freed once.
    unsafe {
        pcodes_ctx_free(other);
        pcodes_ctx_free(ctx);
    }

    // Every status-returning function of the header was probed, and refused something.
    let missing: Vec<String> = header_functions()
        .into_iter()
        .filter(|(name, _)| seen.0.get(name).is_none_or(Vec::is_empty))
        .map(|(name, _)| String::from(name))
        .collect();
    assert!(missing.is_empty(), "never refused anything in this test: {missing:?}");
}

/// TOTP and HOTP alike: `.5` is the period (TOTP) and not passed to HOTP; `.14` the output.
type CodeArgs = (
    *const pcodes_ctx,
    *const c_char,
    *const u8,
    usize,
    i32,
    u32,
    u32,
    *const c_char,
    *const c_char,
    u64,
    *mut u8,
    usize,
    *mut u8,
    usize,
    *mut u8,
);

/// `pcodes_device_totp_verify` with `a`, probed.
fn totp_call(s: &mut Seen, a: CodeArgs) -> i32 {
    let (x, y) = ((a.0, a.1, a.2, a.3, a.4, a.5, a.6), (a.7, a.8, a.9, a.10, a.11, a.12, a.13, a.14.cast()));
    probe!(
        s,
        pcodes_device_totp_verify(x.0, x.1, x.2, x.3, x.4, x.5, x.6, y.0, y.1, y.2, y.3, y.4, y.5, y.6, y.7)
    )
}

/// `pcodes_device_hotp_verify` with `a` (no period), probed.
fn hotp_call(s: &mut Seen, a: CodeArgs) -> i32 {
    let (x, y) = ((a.0, a.1, a.2, a.3, a.4, a.5), (a.7, a.8, a.9, a.10, a.11, a.12, a.13, a.14.cast()));
    probe!(s, pcodes_device_hotp_verify(x.0, x.1, x.2, x.3, x.4, x.5, y.0, y.1, y.2, y.3, y.4, y.5, y.6, y.7))
}

/// The trusted lane of SMS codes and TOTP/HOTP (`src/ffi/device_lanes.rs`): two blobs, the flow's
/// and the device blob `dp`. Each call's arguments are bent one at a time (every bent call is
/// refused), then the verdicts.
#[allow(clippy::too_many_lines)]
fn probe_device_lanes(
    s: &mut Seen,
    cctx: *const pcodes_ctx,
    acct: *const c_char,
    t: *const c_char,
    dp: *mut u8,
    bad: *const c_char,
) {
    type OtpArgs = (
        *const pcodes_ctx,
        *const c_char,
        *const c_char,
        *const c_char,
        *const c_char,
        u64,
        *mut u8,
        usize,
        *mut u8,
        usize,
    );
    type IssueArgs = (
        *const pcodes_ctx,
        *const c_char,
        *const c_char,
        *const c_char,
        u64,
        *mut u8,
        usize,
        *const u8,
        usize,
        *mut c_char,
        usize,
    );
    let mut junk = [0xEEu8; 64];
    let jp = junk.as_mut_ptr();
    let (mut fst, mut cst, mut oc, mut out) = ([0u8; 64], [0u8; 64], [0 as c_char; 9], [0u64; 1]);
    let (fp, cp, op, outp) =
        (fst.as_mut_ptr(), cst.as_mut_ptr(), oc.as_mut_ptr(), out.as_mut_ptr().cast::<u8>());
    let (purpose, code) = (c"login".as_ptr(), CODE.as_ptr());
    let secret = [7u8; 20];
    let sp = secret.as_ptr();

    let verify: OtpArgs = (cctx, acct, purpose, code, t, NOW, fp, 64, dp, 64);
    let bent: [&dyn Fn(&mut OtpArgs); 14] = [
        &|a| a.0 = null(),
        &|a| a.1 = null(),
        &|a| a.1 = bad,
        &|a| a.2 = c"".as_ptr(),
        &|a| a.3 = null(),
        &|a| a.4 = null(),
        &|a| a.5 = 0,
        &|a| a.6 = null_mut(),
        &|a| a.7 = 63,
        &|a| a.8 = null_mut(),
        &|a| a.9 = 65,
        &|a| a.6 = dp,
        &|a| a.8 = jp,
        &|a| a.6 = jp,
    ];
    for bend in bent {
        let mut a = verify;
        bend(&mut a);
        let st = probe!(s, pcodes_device_otp_verify(a.0, a.1, a.2, a.3, a.4, a.5, a.6, a.7, a.8, a.9));
        assert_ne!(st, PCODES_STATUS_OK);
    }
    probe!(s, pcodes_device_otp_verify(cctx, acct, purpose, code, t, NOW, fp, 64, dp, 64)); // NO_CHALLENGE

    let issue: IssueArgs = (cctx, acct, purpose, t, NOW, fp, 64, dp.cast_const(), 64, op, 9);
    let bent: [&dyn Fn(&mut IssueArgs); 12] = [
        &|a| a.0 = null(),
        &|a| a.1 = bad,
        &|a| a.2 = null(),
        &|a| a.3 = null(),
        &|a| a.4 = 0,
        &|a| a.5 = null_mut(),
        &|a| a.7 = null(),
        &|a| a.8 = 63,
        &|a| a.9 = null_mut(),
        &|a| a.10 = 6,
        &|a| a.9 = fp.cast(),
        &|a| a.5 = jp,
    ];
    for bend in bent {
        let mut a = issue;
        bend(&mut a);
        let st = probe!(s, pcodes_device_otp_issue(a.0, a.1, a.2, a.3, a.4, a.5, a.6, a.7, a.8, a.9, a.10));
        assert_ne!(st, PCODES_STATUS_OK);
    }
    let i = issue;
    let st = probe!(s, pcodes_device_otp_issue(i.0, i.1, i.2, i.3, i.4, i.5, i.6, i.7, i.8, i.9, i.10));
    assert_eq!(st, PCODES_STATUS_OK);
    probe!(s, pcodes_device_otp_verify(cctx, acct, purpose, code, t, NOW, fp, 64, dp, 64)); // MISTYPED (8 for 6)

    let base: CodeArgs = (cctx, acct, sp, 20, 1, 6, 30, code, t, NOW, cp, 64, dp, 64, outp);
    let bent: [&dyn Fn(&mut CodeArgs); 17] = [
        &|a| a.0 = null(),
        &|a| a.1 = null(),
        &|a| a.1 = bad,
        &|a| a.2 = null(),
        &|a| a.3 = 9,
        &|a| a.4 = 4,
        &|a| a.5 = 9,
        &|a| a.7 = null(),
        &|a| a.7 = bad,
        &|a| a.8 = null(),
        &|a| a.9 = 0,
        &|a| a.10 = null_mut(),
        &|a| a.11 = 65,
        &|a| a.12 = null_mut(),
        &|a| a.13 = 0,
        &|a| a.14 = cp,
        &|a| a.10 = fp, // an SMS blob: CORRUPT_STATE
    ];
    let bad_period: &dyn Fn(&mut CodeArgs) = &|a| a.6 = 0;
    for (n, bend) in bent.iter().chain([&bad_period]).enumerate() {
        let mut a = base;
        bend(&mut a);
        assert_ne!(totp_call(s, a), PCODES_STATUS_OK, "TOTP {n}");
        if n < bent.len() {
            assert_ne!(hotp_call(s, a), PCODES_STATUS_OK, "HOTP {n}");
        }
    }
    assert_eq!(totp_call(s, base), PCODES_STATUS_MISTYPED); // 8 digits typed for 6
    let mut wrong = base;
    wrong.7 = c"000000".as_ptr();
    assert_eq!(hotp_call(s, wrong), PCODES_STATUS_WRONG);
}

/// The rule applied by `boundary` is live: a developer error without a detail, a detail that
/// names no parameter, and a verdict with a detail are all caught.
#[test]
fn the_rule_catches_what_it_should() {
    crate::diag::clear();
    assert!(detail_problem("pcodes_otp_issue", PCODES_STATUS_NULL_ARGUMENT).is_some(), "no detail");
    let _ = crate::Error::NullArgument.because(c"pin: NULL");
    assert!(detail_problem("pcodes_otp_issue", PCODES_STATUS_NULL_ARGUMENT).is_some(), "not a parameter");
    assert!(detail_problem("pcodes_otp_issue", PCODES_STATUS_WRONG).is_some(), "a verdict with a detail");
    assert!(detail_problem("pcodes_pin_hash", PCODES_STATUS_NULL_ARGUMENT).is_none());
    assert_eq!(super::test_support::params_of("pcodes_otp_issue").len(), 7);
    assert!(header_functions().len() > 30);
}
