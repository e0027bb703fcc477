//! Authenticator apps (HOTP / TOTP), base32, enrolment URI and SVG QR code.

use core::ffi::c_char;

use super::ctx::ctx_ref;
use super::{
    Region, boundary, bytes, bytes_mut, out, pcodes_status, region_of, region_of_bytes, region_of_state,
    region_of_text, state_blob, text, write_text, writes_disjoint,
};
use crate::base32;
use crate::error::Error;
use crate::totp::{self, Algorithm, Params, qr, uri};

/// HMAC hash of an enrolment (`PCODES_ALGORITHM_*`). Any value may be passed; unknown ones are
/// `INVALID_ARGUMENT`.
pub type pcodes_algorithm = i32;

/// HMAC-SHA-1: the default, and the only algorithm every authenticator app supports.
pub const PCODES_ALGORITHM_SHA1: pcodes_algorithm = 1;
/// HMAC-SHA-256.
pub const PCODES_ALGORITHM_SHA256: pcodes_algorithm = 2;
/// HMAC-SHA-512.
pub const PCODES_ALGORITHM_SHA512: pcodes_algorithm = 3;

/// Buffer size for a code: up to 8 digits plus NUL.
pub const PCODES_TOTP_CODE_BYTES: usize = 9;
/// Buffer size that holds any URI `pcodes_totp_uri` writes, plus NUL.
pub const PCODES_TOTP_URI_BYTES: usize = 1024;
/// Buffer size that holds the SVG of any URI (text up to `PCODES_TOTP_URI_BYTES - 1` bytes), plus NUL.
pub const PCODES_TOTP_QR_SVG_BYTES: usize = 157_781;
/// Default length of a new secret, bytes (160 bits).
pub const PCODES_TOTP_SECRET_BYTES: usize = 20;
/// Largest secret accepted anywhere, bytes.
pub const PCODES_TOTP_SECRET_MAX_BYTES: usize = 64;

// Literals above so that cbindgen emits them; they must equal the Rust constants.
const _: () = assert!(
    PCODES_TOTP_URI_BYTES == uri::URI_BYTES
        && PCODES_TOTP_QR_SVG_BYTES == qr::SVG_BYTES
        && PCODES_TOTP_SECRET_BYTES == totp::DEFAULT_SECRET_BYTES
        && PCODES_TOTP_SECRET_MAX_BYTES == totp::MAX_SECRET_BYTES
        && PCODES_TOTP_CODE_BYTES == totp::MAX_DIGITS + 1
);

/// `PCODES_TOTP_CODE_BYTES`.
#[unsafe(no_mangle)]
pub extern "C" fn pcodes_totp_code_bytes() -> usize {
    PCODES_TOTP_CODE_BYTES
}

/// `PCODES_TOTP_URI_BYTES`.
#[unsafe(no_mangle)]
pub extern "C" fn pcodes_totp_uri_bytes() -> usize {
    PCODES_TOTP_URI_BYTES
}

/// `PCODES_TOTP_QR_SVG_BYTES`.
#[unsafe(no_mangle)]
pub extern "C" fn pcodes_totp_qr_svg_bytes() -> usize {
    PCODES_TOTP_QR_SVG_BYTES
}

/// `PCODES_TOTP_SECRET_BYTES`.
#[unsafe(no_mangle)]
pub extern "C" fn pcodes_totp_secret_bytes() -> usize {
    PCODES_TOTP_SECRET_BYTES
}

/// `PCODES_TOTP_SECRET_MAX_BYTES`.
#[unsafe(no_mangle)]
pub extern "C" fn pcodes_totp_secret_max_bytes() -> usize {
    PCODES_TOTP_SECRET_MAX_BYTES
}

/// An enrolment read from an `otpauth://` URI by `pcodes_totp_uri_parse`.
#[repr(C)]
pub struct pcodes_totp_enrolment {
    /// 0 for TOTP, 1 for HOTP.
    pub is_hotp: i32,
    /// `PCODES_ALGORITHM_*`.
    pub algorithm: pcodes_algorithm,
    /// 6–8.
    pub digits: u32,
    /// Seconds per step (30 when the URI has none, and for HOTP).
    pub period: u32,
    /// HOTP initial counter (0 for TOTP).
    pub counter: u64,
    /// Number of valid bytes in `secret` (10–64).
    pub secret_len: usize,
    /// The secret.
    pub secret: [u8; 64],
    /// The issuer, NUL-terminated UTF-8; empty if the URI names none.
    pub issuer: [c_char; 65],
    /// The account name, NUL-terminated UTF-8.
    pub account: [c_char; 129],
}

fn params(algorithm: pcodes_algorithm, digits: u32, period: u32) -> crate::Result<Params> {
    Params::new(Algorithm::from_id(algorithm)?, digits, period)
}

/// Fills `secret_out` with a new random secret of `secret_len` bytes (16–64; use
/// `PCODES_TOTP_SECRET_BYTES` = 20 unless you have a reason). `ctx` is required (for
/// uniformity) but its keys are not used.
///
/// Returns `NULL_ARGUMENT`, `INVALID_ARGUMENT` (length; `secret_out` overlaps the context),
/// `RNG_FAILURE`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_totp_secret(
    ctx: *const super::pcodes_ctx,
    secret_out: *mut u8,
    secret_len: usize,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes a live context or NULL.
        let _ = unsafe { ctx_ref(ctx) }?;
        writes_disjoint(&[(secret_out.cast_const(), secret_len)], &[region_of(ctx)])?;
        // SAFETY: caller passes `secret_len` writable bytes.
        let o = unsafe { bytes_mut(secret_out, secret_len) }?;
        totp::generate_secret(o)
    })
}

/// Writes the Key URI an authenticator app scans:
/// `otpauth://totp/Issuer:account?secret=…&issuer=…[&algorithm=…][&digits=…][&period=…]`, with
/// issuer and account percent-encoded (Cyrillic as UTF-8 escapes) and parameters equal to the
/// defaults (SHA1, 6, 30) omitted. `secret` is 10–64 bytes; `issuer` 1–64 and `account` 1–128
/// bytes of UTF-8 without `:` or control characters, the account not starting with a space. A
/// buffer of `PCODES_TOTP_URI_BYTES` always suffices.
///
/// Returns `NULL_ARGUMENT`, `INVALID_ARGUMENT`, `BUFFER_TOO_SMALL`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_totp_uri(
    secret: *const u8,
    secret_len: usize,
    issuer: *const c_char,
    account: *const c_char,
    algorithm: pcodes_algorithm,
    digits: u32,
    period: u32,
    out: *mut c_char,
    out_len: usize,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes `secret_len` readable bytes.
        let key = unsafe { bytes(secret, secret_len) }?;
        // SAFETY: caller passes NUL-terminated strings.
        let (iss, acc) = unsafe { (text(issuer)?, text(account)?) };
        if out.is_null() {
            return Err(Error::NullArgument);
        }
        let o: Region = (out.cast_const().cast(), out_len);
        writes_disjoint(&[o], &[region_of_bytes(key), region_of_text(iss), region_of_text(acc)])?;
        let prm = params(algorithm, digits, period)?;
        let mut buf = [0u8; uri::URI_BYTES];
        let link = uri::build(key, iss, acc, &prm, &mut buf)?;
        // SAFETY: caller passes `out_len` writable bytes.
        unsafe { write_text(out, out_len, link) }
    })
}

/// Reads an `otpauth://totp/…` or `otpauth://hotp/…` URI (for importing enrolments) into
/// `*enrolment_out`. The label may be `Issuer:account` or `account`; when both the label issuer
/// and the `issuer` parameter are present they must agree. `*enrolment_out` is written only on
/// success.
///
/// Returns `NULL_ARGUMENT`, `INVALID_ARGUMENT` (not UTF-8, malformed, issuer mismatch, secret
/// not 10–64 bytes, digits not 6–8, period not 1–3600, HOTP without counter, `*enrolment_out`
/// overlaps `uri_text`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_totp_uri_parse(
    uri_text: *const c_char,
    enrolment_out: *mut pcodes_totp_enrolment,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes a NUL-terminated string.
        let link = unsafe { text(uri_text) }?;
        writes_disjoint(&[region_of(enrolment_out)], &[region_of_text(link)])?;
        // SAFETY: caller passes a writable struct.
        let dst = unsafe { out(enrolment_out) }?;
        // `e` is zeroized when dropped (also on an error).
        let e = uri::parse(link)?;
        // Nothing below can fail, so `*dst` is still written only on success; it is filled in
        // place, leaving no copy of the secret in a local.
        let p = e.params();
        dst.is_hotp = i32::from(e.otp_type() == uri::OtpType::Hotp);
        dst.algorithm = p.algorithm() as i32;
        dst.digits = p.digits();
        dst.period = p.period();
        dst.counter = e.counter();
        dst.secret_len = e.secret().len();
        dst.secret = [0; 64];
        dst.secret[..e.secret().len()].copy_from_slice(e.secret());
        dst.issuer = [0; 65];
        for (d, s) in dst.issuer.iter_mut().zip(e.issuer().unwrap_or("").bytes()) {
            *d = c_char::from_ne_bytes([s]);
        }
        dst.account = [0; 129];
        for (d, s) in dst.account.iter_mut().zip(e.account().bytes()) {
            *d = c_char::from_ne_bytes([s]);
        }
        Ok(())
    })
}

/// Renders `text` (normally a URI from `pcodes_totp_uri`, at most `PCODES_TOTP_URI_BYTES - 1`
/// bytes) as an SVG QR code (level M, 4-module quiet zone, no fixed size: style it with CSS),
/// NUL-terminated. A buffer of `PCODES_TOTP_QR_SVG_BYTES` always suffices; typical URIs need
/// 5–15 KB (a Cyrillic issuer makes the URI longer).
///
/// Returns `NULL_ARGUMENT`, `INVALID_ARGUMENT` (bad UTF-8, text too long, `out` overlaps
/// `text_in`), `BUFFER_TOO_SMALL`
/// (`out` untouched).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_totp_qr_svg(
    text_in: *const c_char,
    out: *mut c_char,
    out_len: usize,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes a NUL-terminated string.
        let t = unsafe { text(text_in) }?;
        writes_disjoint(&[(out.cast_const().cast(), out_len)], &[region_of_text(t)])?;
        // SAFETY: caller passes `out_len` writable bytes, disjoint from `t` (checked above).
        let o = unsafe { bytes_mut(out.cast::<u8>(), out_len) }?;
        let n = qr::svg_len(t)?;
        if n >= o.len() {
            return Err(Error::BufferTooSmall);
        }
        let n = qr::svg(t, &mut o[..n])?.len();
        o[n] = 0;
        Ok(())
    })
}

/// Writes the TOTP code for unix time `now` (`PCODES_TOTP_CODE_BYTES` suffices). `secret` is
/// 10–64 bytes, `digits` 6–8, `period` 1–3600 s.
///
/// Returns `NULL_ARGUMENT`, `INVALID_ARGUMENT`, `BUFFER_TOO_SMALL`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_totp_code(
    secret: *const u8,
    secret_len: usize,
    algorithm: pcodes_algorithm,
    digits: u32,
    period: u32,
    now: u64,
    out: *mut c_char,
    out_len: usize,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes `secret_len` readable bytes.
        let s = unsafe { bytes(secret, secret_len) }?;
        if out.is_null() {
            return Err(Error::NullArgument);
        }
        writes_disjoint(&[(out.cast_const().cast(), out_len)], &[region_of_bytes(s)])?;
        let c = totp::totp_code(s, &params(algorithm, digits, period)?, now)?;
        // SAFETY: caller passes `out_len` writable bytes.
        unsafe { write_text(out, out_len, c.as_str()) }
    })
}

/// Verifies a TOTP code typed by a person (spaces are ignored) at unix time `now`. Steps
/// current ± `TOTP_WINDOW_STEPS` are accepted; the matched step is stored in `state` (a
/// TOTP blob, all zeros for a new enrolment) and that step or any earlier one is refused
/// afterwards. On `OK`, `*drift_out` (if not NULL) = matched step − current step. `ctx`
/// supplies the policy (window, lockout).
///
/// Returns `NULL_ARGUMENT`, `INVALID_ARGUMENT` (secret not 10–64 bytes, digits, period,
/// algorithm, overlapping buffers), `CORRUPT_STATE` (state untouched), `BLOCKED`, `LOCKED`, `MISTYPED` (not exactly
/// `digits` ASCII digits; not counted), `ALREADY_USED` (not counted), `WRONG` (counted by the
/// lockout engine). The state is written on every return after it was read.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_totp_verify(
    ctx: *const super::pcodes_ctx,
    secret: *const u8,
    secret_len: usize,
    algorithm: pcodes_algorithm,
    digits: u32,
    period: u32,
    code: *const c_char,
    now: u64,
    state: *mut u8,
    state_len: usize,
    drift_out: *mut i32,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes a live context or NULL.
        let c = unsafe { ctx_ref(ctx) }?;
        // SAFETY: caller passes `secret_len` readable bytes.
        let s = unsafe { bytes(secret, secret_len) }?;
        // SAFETY: caller passes a NUL-terminated string.
        let code = unsafe { text(code) }?;
        writes_disjoint(
            &[region_of_state(state, state_len), region_of(drift_out)],
            &[region_of(ctx), region_of_bytes(s), region_of_text(code)],
        )?;
        // SAFETY: caller passes `state_len` readable and writable bytes.
        let st = unsafe { state_blob(state, state_len) }?;
        let p = params(algorithm, digits, period)?;
        let drift = totp::totp_verify(c, s, &p, code, now, st)?;
        // SAFETY: NULL is allowed and checked by `as_mut`; otherwise a writable i32.
        if let Some(d) = unsafe { drift_out.as_mut() } {
            *d = drift;
        }
        Ok(())
    })
}

/// Writes the HOTP code for `counter` (`PCODES_TOTP_CODE_BYTES` suffices). `secret` is 10–64
/// bytes, `digits` 6–8.
///
/// Returns `NULL_ARGUMENT`, `INVALID_ARGUMENT`, `BUFFER_TOO_SMALL`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_hotp_code(
    secret: *const u8,
    secret_len: usize,
    algorithm: pcodes_algorithm,
    digits: u32,
    counter: u64,
    out: *mut c_char,
    out_len: usize,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes `secret_len` readable bytes.
        let s = unsafe { bytes(secret, secret_len) }?;
        if out.is_null() {
            return Err(Error::NullArgument);
        }
        writes_disjoint(&[(out.cast_const().cast(), out_len)], &[region_of_bytes(s)])?;
        let c = totp::hotp_code(s, Algorithm::from_id(algorithm)?, digits, counter)?;
        // SAFETY: caller passes `out_len` writable bytes.
        unsafe { write_text(out, out_len, c.as_str()) }
    })
}

/// Verifies a HOTP code against the counter stored in `state` (a HOTP blob; all zeros starts at
/// counter 0): counters `next … next + HOTP_LOOK_AHEAD` are checked, and on a match the stored
/// counter moves past it. The last accepted code again is `ALREADY_USED`.
///
/// Returns `NULL_ARGUMENT`, `INVALID_ARGUMENT`, `CORRUPT_STATE` (state untouched), `BLOCKED`,
/// `LOCKED`, `MISTYPED` (not counted), `ALREADY_USED` (not counted), `WRONG` (counted). The
/// state is written on every return after it was read.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_hotp_verify(
    ctx: *const super::pcodes_ctx,
    secret: *const u8,
    secret_len: usize,
    algorithm: pcodes_algorithm,
    digits: u32,
    code: *const c_char,
    now: u64,
    state: *mut u8,
    state_len: usize,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes a live context or NULL.
        let c = unsafe { ctx_ref(ctx) }?;
        // SAFETY: caller passes `secret_len` readable bytes.
        let s = unsafe { bytes(secret, secret_len) }?;
        // SAFETY: caller passes a NUL-terminated string.
        let code = unsafe { text(code) }?;
        writes_disjoint(
            &[region_of_state(state, state_len)],
            &[region_of(ctx), region_of_bytes(s), region_of_text(code)],
        )?;
        // SAFETY: caller passes `state_len` readable and writable bytes.
        let st = unsafe { state_blob(state, state_len) }?;
        totp::hotp_verify(c, s, Algorithm::from_id(algorithm)?, digits, code, now, st).map(|_| ())
    })
}

/// Encodes `len` bytes as RFC 4648 base32 without padding, NUL-terminated (needs
/// `ceil(8 * len / 5) + 1` bytes). Not in place: `out` must not overlap `data`.
///
/// Returns `NULL_ARGUMENT`, `INVALID_ARGUMENT` (`out` overlaps `data`; `out` untouched),
/// `BUFFER_TOO_SMALL` (`out` untouched).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_base32_encode(
    data: *const u8,
    len: usize,
    out: *mut c_char,
    out_len: usize,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes `len` readable bytes.
        let d = unsafe { bytes(data, len) }?;
        writes_disjoint(&[(out.cast_const().cast(), out_len)], &[region_of_bytes(d)])?;
        // SAFETY: caller passes `out_len` writable bytes, disjoint from `d` (checked above).
        let o = unsafe { bytes_mut(out.cast::<u8>(), out_len) }?;
        let n = base32::encoded_len(len);
        if n >= o.len() {
            return Err(Error::BufferTooSmall);
        }
        base32::encode(d, &mut o[..n])?;
        o[n] = 0;
        Ok(())
    })
}

/// Decodes RFC 4648 base32 (either case; spaces, tabs, line breaks and trailing `=` ignored)
/// into `out`; `*written_out` = bytes written.
///
/// Returns `NULL_ARGUMENT`, `INVALID_ARGUMENT` (bad UTF-8, a character outside the alphabet,
/// impossible length, `out` or `*written_out` overlaps `text_in` or each other),
/// `BUFFER_TOO_SMALL` (`out` untouched).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_base32_decode(
    text_in: *const c_char,
    out: *mut u8,
    out_len: usize,
    written_out: *mut usize,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes a NUL-terminated string.
        let t = unsafe { text(text_in) }?;
        writes_disjoint(&[(out.cast_const(), out_len), region_of(written_out)], &[region_of_text(t)])?;
        // SAFETY: caller passes `out_len` writable bytes, disjoint from `t` (checked above).
        let o = unsafe { bytes_mut(out, out_len) }?;
        // SAFETY: caller passes a writable size_t.
        let w = unsafe { super::out(written_out) }?;
        let n = base32::RFC4648.decoded_len(t.as_bytes())?;
        if n > o.len() {
            return Err(Error::BufferTooSmall);
        }
        *w = base32::decode(t, &mut o[..n])?;
        Ok(())
    })
}

#[cfg(test)]
#[allow(clippy::too_many_lines, clippy::borrow_as_ptr, clippy::cast_sign_loss)]
mod tests {
    use super::*;
    use crate::ffi::ctx::pcodes_ctx_free;
    use crate::ffi::status::*;
    use crate::ffi::test_support::cstr;
    use core::ptr::{null, null_mut};

    const SEED: &[u8] = b"12345678901234567890";

    fn new_ctx() -> *mut super::super::pcodes_ctx {
        crate::ffi::test_support::new_ctx(5, 0)
    }

    #[test]
    fn sizes() {
        assert_eq!(pcodes_totp_code_bytes(), 9);
        assert_eq!(pcodes_totp_uri_bytes(), 1024);
        assert_eq!(pcodes_totp_qr_svg_bytes(), qr::SVG_BYTES);
        assert_eq!((pcodes_totp_secret_bytes(), pcodes_totp_secret_max_bytes()), (20, 64));
    }

    #[test]
    fn codes_and_bad_arguments() {
        let mut out = [0u8; 9];
        // SAFETY: all pointers are NULL or live locals of the stated sizes.
        unsafe {
            assert_eq!(
                pcodes_totp_code(SEED.as_ptr(), 20, 1, 8, 30, 59, out.as_mut_ptr().cast(), 9),
                PCODES_STATUS_OK
            );
            assert_eq!(cstr(&out), "94287082");
            assert_eq!(
                pcodes_hotp_code(SEED.as_ptr(), 20, 1, 6, 9, out.as_mut_ptr().cast(), 9),
                PCODES_STATUS_OK
            );
            assert_eq!(cstr(&out), "520489");
            let o = out.as_mut_ptr().cast();
            for alg in [0, 4, -1, i32::MAX] {
                assert_eq!(
                    pcodes_totp_code(SEED.as_ptr(), 20, alg, 6, 30, 0, o, 9),
                    PCODES_STATUS_INVALID_ARGUMENT
                );
                assert_eq!(
                    pcodes_hotp_code(SEED.as_ptr(), 20, alg, 6, 0, o, 9),
                    PCODES_STATUS_INVALID_ARGUMENT
                );
            }
            assert_eq!(
                pcodes_totp_code(SEED.as_ptr(), 20, 1, 5, 30, 0, o, 9),
                PCODES_STATUS_INVALID_ARGUMENT
            );
            assert_eq!(pcodes_totp_code(SEED.as_ptr(), 20, 1, 6, 0, 0, o, 9), PCODES_STATUS_INVALID_ARGUMENT);
            assert_eq!(
                pcodes_totp_code(SEED.as_ptr(), 20, 1, 6, 3601, 0, o, 9),
                PCODES_STATUS_INVALID_ARGUMENT
            );
            assert_eq!(pcodes_totp_code(SEED.as_ptr(), 9, 1, 6, 30, 0, o, 9), PCODES_STATUS_INVALID_ARGUMENT);
            assert_eq!(pcodes_totp_code(null(), 20, 1, 6, 30, 0, o, 9), PCODES_STATUS_NULL_ARGUMENT);
            assert_eq!(
                pcodes_totp_code(SEED.as_ptr(), 20, 1, 6, 30, 0, null_mut(), 9),
                PCODES_STATUS_NULL_ARGUMENT
            );
            let mut small = [7u8; 6];
            assert_eq!(
                pcodes_totp_code(SEED.as_ptr(), 20, 1, 6, 30, 0, small.as_mut_ptr().cast(), 6),
                PCODES_STATUS_BUFFER_TOO_SMALL
            );
            assert_eq!(small, [7; 6]);
            assert_eq!(pcodes_hotp_code(SEED.as_ptr(), 20, 1, 6, u64::MAX, o, 9), PCODES_STATUS_OK);
            assert_eq!(pcodes_totp_code(SEED.as_ptr(), 20, 3, 8, 1, u64::MAX, o, 9), PCODES_STATUS_OK);
        }
    }

    #[test]
    fn verify_flow_and_state_errors() {
        let ctx = new_ctx();
        let now = 1_700_000_000u64;
        let mut st = [0u8; 64];
        let mut code = [0u8; 9];
        let mut drift = 99i32;
        // SAFETY: pointers are live locals / the context above.
        unsafe {
            assert_eq!(
                pcodes_totp_code(SEED.as_ptr(), 20, 1, 6, 30, now + 30, code.as_mut_ptr().cast(), 9),
                PCODES_STATUS_OK
            );
            let c = code.as_ptr().cast();
            assert_eq!(
                pcodes_totp_verify(ctx, SEED.as_ptr(), 20, 1, 6, 30, c, now, st.as_mut_ptr(), 64, &mut drift),
                PCODES_STATUS_OK
            );
            assert_eq!(drift, 1);
            assert_eq!(
                pcodes_totp_verify(ctx, SEED.as_ptr(), 20, 1, 6, 30, c, now, st.as_mut_ptr(), 64, null_mut()),
                PCODES_STATUS_ALREADY_USED
            );
            assert_eq!(
                pcodes_totp_verify(
                    ctx,
                    SEED.as_ptr(),
                    20,
                    1,
                    6,
                    30,
                    c"12 34".as_ptr(),
                    now,
                    st.as_mut_ptr(),
                    64,
                    null_mut()
                ),
                PCODES_STATUS_MISTYPED
            );
            let bad = [0xffu8, 0];
            assert_eq!(
                pcodes_totp_verify(
                    ctx,
                    SEED.as_ptr(),
                    20,
                    1,
                    6,
                    30,
                    bad.as_ptr().cast(),
                    now,
                    st.as_mut_ptr(),
                    64,
                    null_mut()
                ),
                PCODES_STATUS_INVALID_ARGUMENT
            );
            assert_eq!(
                pcodes_totp_verify(ctx, SEED.as_ptr(), 20, 7, 6, 30, c, now, st.as_mut_ptr(), 64, null_mut()),
                PCODES_STATUS_INVALID_ARGUMENT
            );
            assert_eq!(
                pcodes_totp_verify(
                    null(),
                    SEED.as_ptr(),
                    20,
                    1,
                    6,
                    30,
                    c,
                    now,
                    st.as_mut_ptr(),
                    64,
                    null_mut()
                ),
                PCODES_STATUS_NULL_ARGUMENT
            );
            assert_eq!(
                pcodes_totp_verify(ctx, SEED.as_ptr(), 20, 1, 6, 30, c, now, null_mut(), 64, null_mut()),
                PCODES_STATUS_NULL_ARGUMENT
            );
            assert_eq!(
                pcodes_totp_verify(ctx, SEED.as_ptr(), 20, 1, 6, 30, c, now, st.as_mut_ptr(), 63, null_mut()),
                PCODES_STATUS_CORRUPT_STATE
            );
            // A HOTP blob is the wrong kind for TOTP, and the other way round; both untouched.
            let mut hst = [0u8; 64];
            assert_eq!(
                pcodes_hotp_verify(
                    ctx,
                    SEED.as_ptr(),
                    20,
                    1,
                    6,
                    c"755224".as_ptr(),
                    now,
                    hst.as_mut_ptr(),
                    64
                ),
                PCODES_STATUS_OK
            );
            let copy = hst;
            assert_eq!(
                pcodes_totp_verify(
                    ctx,
                    SEED.as_ptr(),
                    20,
                    1,
                    6,
                    30,
                    c,
                    now,
                    hst.as_mut_ptr(),
                    64,
                    null_mut()
                ),
                PCODES_STATUS_CORRUPT_STATE
            );
            assert_eq!(hst, copy);
            let copy = st;
            assert_eq!(
                pcodes_hotp_verify(
                    ctx,
                    SEED.as_ptr(),
                    20,
                    1,
                    6,
                    c"287082".as_ptr(),
                    now,
                    st.as_mut_ptr(),
                    64
                ),
                PCODES_STATUS_CORRUPT_STATE
            );
            assert_eq!(st, copy);
            assert_eq!(
                pcodes_hotp_verify(
                    ctx,
                    SEED.as_ptr(),
                    20,
                    1,
                    6,
                    c"287082".as_ptr(),
                    now,
                    hst.as_mut_ptr(),
                    64
                ),
                PCODES_STATUS_OK
            );
            assert_eq!(
                pcodes_hotp_verify(
                    ctx,
                    SEED.as_ptr(),
                    20,
                    1,
                    6,
                    c"287082".as_ptr(),
                    now,
                    hst.as_mut_ptr(),
                    64
                ),
                PCODES_STATUS_ALREADY_USED
            );
            assert_eq!(
                pcodes_hotp_verify(
                    ctx,
                    SEED.as_ptr(),
                    20,
                    0,
                    6,
                    c"287082".as_ptr(),
                    now,
                    hst.as_mut_ptr(),
                    64
                ),
                PCODES_STATUS_INVALID_ARGUMENT
            );
            // Wrong codes lock after five.
            for _ in 0..5 {
                assert_eq!(
                    pcodes_hotp_verify(
                        ctx,
                        SEED.as_ptr(),
                        20,
                        1,
                        6,
                        c"000000".as_ptr(),
                        now,
                        hst.as_mut_ptr(),
                        64
                    ),
                    PCODES_STATUS_WRONG
                );
            }
            assert_eq!(
                pcodes_hotp_verify(
                    ctx,
                    SEED.as_ptr(),
                    20,
                    1,
                    6,
                    c"359152".as_ptr(),
                    now,
                    hst.as_mut_ptr(),
                    64
                ),
                PCODES_STATUS_LOCKED
            );
            pcodes_ctx_free(ctx);
        }
    }

    #[test]
    fn secret_uri_parse_and_qr() {
        let ctx = new_ctx();
        let mut secret = [0u8; 20];
        let mut u = [0u8; PCODES_TOTP_URI_BYTES];
        // SAFETY: pointers are live locals / the context above.
        unsafe {
            assert_eq!(pcodes_totp_secret(ctx, secret.as_mut_ptr(), 20), PCODES_STATUS_OK);
            assert_ne!(secret, [0; 20]);
            assert_eq!(pcodes_totp_secret(ctx, secret.as_mut_ptr(), 15), PCODES_STATUS_INVALID_ARGUMENT);
            assert_eq!(pcodes_totp_secret(null(), secret.as_mut_ptr(), 20), PCODES_STATUS_NULL_ARGUMENT);
            assert_eq!(pcodes_totp_secret(ctx, null_mut(), 20), PCODES_STATUS_NULL_ARGUMENT);
            let issuer = c"Госуслуги";
            let account = c"ivan@example.ru";
            let up = u.as_mut_ptr().cast();
            assert_eq!(
                pcodes_totp_uri(SEED.as_ptr(), 20, issuer.as_ptr(), account.as_ptr(), 2, 8, 60, up, 1024),
                PCODES_STATUS_OK
            );
            let text = std::string::String::from(cstr(&u));
            assert!(text.starts_with("otpauth://totp/%D0%93"), "{text}");
            assert!(text.ends_with("&algorithm=SHA256&digits=8&period=60"), "{text}");
            assert_eq!(
                pcodes_totp_uri(SEED.as_ptr(), 20, issuer.as_ptr(), account.as_ptr(), 9, 6, 30, up, 1024),
                PCODES_STATUS_INVALID_ARGUMENT
            );
            assert_eq!(
                pcodes_totp_uri(SEED.as_ptr(), 20, c"a:b".as_ptr(), account.as_ptr(), 1, 6, 30, up, 1024),
                PCODES_STATUS_INVALID_ARGUMENT
            );
            assert_eq!(
                pcodes_totp_uri(SEED.as_ptr(), 20, null(), account.as_ptr(), 1, 6, 30, up, 1024),
                PCODES_STATUS_NULL_ARGUMENT
            );
            assert_eq!(
                pcodes_totp_uri(SEED.as_ptr(), 20, issuer.as_ptr(), account.as_ptr(), 1, 6, 30, up, 20),
                PCODES_STATUS_BUFFER_TOO_SMALL
            );

            let mut e = core::mem::MaybeUninit::<pcodes_totp_enrolment>::zeroed().assume_init();
            assert_eq!(pcodes_totp_uri_parse(u.as_ptr().cast(), &mut e), PCODES_STATUS_OK);
            assert_eq!((e.is_hotp, e.algorithm, e.digits, e.period, e.secret_len), (0, 2, 8, 60, 20));
            assert_eq!(&e.secret[..20], SEED);
            let iss: std::vec::Vec<u8> = e.issuer.iter().map(|&c| c as u8).collect();
            assert_eq!(cstr(&iss), "Госуслуги");
            let acc: std::vec::Vec<u8> = e.account.iter().map(|&c| c as u8).collect();
            assert_eq!(cstr(&acc), "ivan@example.ru");
            assert_eq!(
                pcodes_totp_uri_parse(
                    c"otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP&issuer=B".as_ptr(),
                    &mut e
                ),
                PCODES_STATUS_INVALID_ARGUMENT
            );
            assert_eq!(pcodes_totp_uri_parse(null(), &mut e), PCODES_STATUS_NULL_ARGUMENT);
            assert_eq!(pcodes_totp_uri_parse(u.as_ptr().cast(), null_mut()), PCODES_STATUS_NULL_ARGUMENT);

            let mut svg = std::vec![0u8; PCODES_TOTP_QR_SVG_BYTES];
            assert_eq!(
                pcodes_totp_qr_svg(u.as_ptr().cast(), svg.as_mut_ptr().cast(), svg.len()),
                PCODES_STATUS_OK
            );
            let s = std::string::String::from(cstr(&svg));
            assert!(s.starts_with("<svg") && s.ends_with("</svg>\n"));
            let mut small = std::vec![7u8; s.len()];
            assert_eq!(
                pcodes_totp_qr_svg(u.as_ptr().cast(), small.as_mut_ptr().cast(), s.len()),
                PCODES_STATUS_BUFFER_TOO_SMALL
            );
            assert!(small.iter().all(|&b| b == 7), "untouched");
            let mut exact = std::vec![0u8; s.len() + 1];
            assert_eq!(
                pcodes_totp_qr_svg(u.as_ptr().cast(), exact.as_mut_ptr().cast(), s.len() + 1),
                PCODES_STATUS_OK
            );
            assert_eq!(
                pcodes_totp_qr_svg(null(), exact.as_mut_ptr().cast(), 10),
                PCODES_STATUS_NULL_ARGUMENT
            );
            let long = std::ffi::CString::new("x".repeat(1024)).unwrap();
            assert_eq!(
                pcodes_totp_qr_svg(long.as_ptr(), svg.as_mut_ptr().cast(), svg.len()),
                PCODES_STATUS_INVALID_ARGUMENT
            );
            pcodes_ctx_free(ctx);
        }
    }

    #[test]
    fn base32_functions() {
        let mut out = [0u8; 17];
        let mut w = 0usize;
        // SAFETY: pointers are live locals of the stated sizes.
        unsafe {
            assert_eq!(
                pcodes_base32_encode(b"foobar".as_ptr(), 6, out.as_mut_ptr().cast(), 11),
                PCODES_STATUS_OK
            );
            assert_eq!(cstr(&out), "MZXW6YTBOI");
            let mut small = [7u8; 10];
            assert_eq!(
                pcodes_base32_encode(b"foobar".as_ptr(), 6, small.as_mut_ptr().cast(), 10),
                PCODES_STATUS_BUFFER_TOO_SMALL
            );
            assert_eq!(small, [7; 10]);
            assert_eq!(pcodes_base32_encode(b"".as_ptr(), 0, out.as_mut_ptr().cast(), 1), PCODES_STATUS_OK);
            assert_eq!(out[0], 0);
            assert_eq!(
                pcodes_base32_encode(null(), 0, out.as_mut_ptr().cast(), 1),
                PCODES_STATUS_NULL_ARGUMENT
            );
            let mut d = [0u8; 6];
            assert_eq!(
                pcodes_base32_decode(c"mzxw 6ytb oi======".as_ptr(), d.as_mut_ptr(), 6, &mut w),
                PCODES_STATUS_OK
            );
            assert_eq!((&d[..], w), (&b"foobar"[..], 6));
            let mut d5 = [7u8; 5];
            assert_eq!(
                pcodes_base32_decode(c"MZXW6YTBOI".as_ptr(), d5.as_mut_ptr(), 5, &mut w),
                PCODES_STATUS_BUFFER_TOO_SMALL
            );
            assert_eq!(d5, [7; 5]);
            assert_eq!(
                pcodes_base32_decode(c"MZXW1".as_ptr(), d.as_mut_ptr(), 6, &mut w),
                PCODES_STATUS_INVALID_ARGUMENT
            );
            assert_eq!(
                pcodes_base32_decode(c"MZXW".as_ptr(), d.as_mut_ptr(), 6, null_mut()),
                PCODES_STATUS_NULL_ARGUMENT
            );
            let bad = [b'M', 0xff, 0];
            assert_eq!(
                pcodes_base32_decode(bad.as_ptr().cast(), d.as_mut_ptr(), 6, &mut w),
                PCODES_STATUS_INVALID_ARGUMENT
            );
        }
    }
}
