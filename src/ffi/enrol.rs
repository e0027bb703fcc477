//! Enrolling an authenticator app: a new secret, the `otpauth://` Key URI (written and read)
//! and its SVG QR code, with their buffer sizes. Codes and verification are in `totp`.

use core::ffi::c_char;

use super::ctx::ctx_ref;
use super::totp::{params, pcodes_algorithm};
use super::{
    OutBuf, boundary, bytes, bytes_mut, out, pcodes_status, region_of, region_of_buf, region_of_bytes,
    region_of_text, room, text,
};
use crate::totp::{self, qr, uri};

/// Buffer size that holds any URI `pcodes_totp_uri` writes, plus NUL.
pub const PCODES_TOTP_URI_BYTES: usize = 1024;
const _: () = assert!(PCODES_TOTP_URI_BYTES == uri::URI_BYTES);
/// Buffer size that holds the SVG of any URI (text up to `PCODES_TOTP_URI_BYTES - 1` bytes), plus NUL.
pub const PCODES_TOTP_QR_SVG_BYTES: usize = 157_781;
const _: () = assert!(PCODES_TOTP_QR_SVG_BYTES == qr::SVG_BYTES);
/// Default length of a new secret, bytes (160 bits).
pub const PCODES_TOTP_SECRET_BYTES: usize = 20;
const _: () = assert!(PCODES_TOTP_SECRET_BYTES == totp::DEFAULT_SECRET_BYTES);
/// Largest secret accepted anywhere, bytes.
pub const PCODES_TOTP_SECRET_MAX_BYTES: usize = 64;
const _: () = assert!(PCODES_TOTP_SECRET_MAX_BYTES == totp::MAX_SECRET_BYTES);

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
        no_overlap!(writes: [secret_out: region_of_buf(secret_out, secret_len, arg!(secret_out, secret_len))?], reads: [ctx: region_of(ctx)])?;
        // SAFETY: caller passes `secret_len` writable bytes, disjoint from the context (checked above).
        let o = unsafe { bytes_mut(secret_out, secret_len, arg!(secret_out, secret_len)) }?;
        totp::secret(o)
    })
}

/// Writes the Key URI an authenticator app scans:
/// `otpauth://totp/Issuer:account?secret=…&issuer=…[&algorithm=…][&digits=…][&period=…]`, with
/// issuer and account percent-encoded (Cyrillic as UTF-8 escapes) and parameters equal to the
/// defaults (SHA1, 6, 30) omitted. `secret` is 10–64 bytes; `issuer` 1–64 and `account` 1–128
/// bytes of UTF-8 without `:`, controls, format characters (bidi overrides, zero-width, BOM,
/// tags), line/paragraph separators, private-use or unassigned code points (Unicode 14.0.0), the
/// account not starting with a space. A
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
        let key = unsafe { bytes(secret, secret_len, arg!(secret, secret_len)) }?;
        // SAFETY: caller passes NUL-terminated strings.
        let (iss, acc) = unsafe { (text(issuer, arg!(issuer))?, text(account, arg!(account))?) };
        let o = OutBuf::new(out, out_len, arg!(out, out_len, "see PCODES_TOTP_URI_BYTES"))?;
        no_overlap!(
            writes: [out: o.region()],
            reads: [secret: region_of_bytes(key), issuer: region_of_text(iss), account: region_of_text(acc)],
        )?;
        let mut buf = [0u8; uri::URI_BYTES];
        let link = uri::build(key, iss, acc, &params(algorithm, digits, period)?, &mut buf)?;
        // SAFETY: caller passes `out_len` writable bytes, disjoint from the inputs (checked above).
        unsafe { o.put(link) }
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
        let link = unsafe { text(uri_text, arg!(uri_text)) }?;
        no_overlap!(writes: [enrolment_out: region_of(enrolment_out)], reads: [uri_text: region_of_text(link)])?;
        // SAFETY: caller passes a writable struct, disjoint from `uri_text` (checked above).
        let dst = unsafe { out(enrolment_out, arg!(enrolment_out)) }?;
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
        const OUT: &super::Arg = arg!(out, out_len, "see PCODES_TOTP_QR_SVG_BYTES");
        // SAFETY: caller passes a NUL-terminated string.
        let t = unsafe { text(text_in, arg!(text_in)) }?;
        no_overlap!(writes: [out: region_of_buf(out, out_len, OUT)?], reads: [text_in: region_of_text(t)])?;
        // SAFETY: caller passes `out_len` writable bytes, disjoint from `t` (checked above).
        let o = unsafe { bytes_mut(out, out_len, OUT) }?;
        let n = qr::svg_len(t)?;
        room(n + 1, o.len(), OUT)?;
        let n = qr::svg(t, &mut o[..n])?.len();
        o[n] = 0;
        Ok(())
    })
}

#[cfg(test)]
#[allow(clippy::borrow_as_ptr, clippy::cast_sign_loss)]
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
        assert_eq!(pcodes_totp_uri_bytes(), 1024);
        assert_eq!(pcodes_totp_qr_svg_bytes(), qr::SVG_BYTES);
        assert_eq!((pcodes_totp_secret_bytes(), pcodes_totp_secret_max_bytes()), (20, 64));
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
}
