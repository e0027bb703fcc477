//! The Key URI format that authenticator apps scan:
//! `otpauth://totp/Issuer:account?secret=BASE32&issuer=Issuer[&algorithm=SHA256][&digits=8][&period=60]`.
//!
//! [`build`] percent-encodes the issuer and account (every byte except RFC 3986's unreserved
//! `A–Z a–z 0–9 - . _ ~`, so Cyrillic becomes its UTF-8 `%D0%..` escapes and a space `%20`),
//! writes the issuer both as the label prefix and as the `issuer` parameter (as the format
//! recommends), and omits `algorithm`, `digits` and `period` when they are the defaults (SHA1, 6,
//! 30), which the widest set of apps reads correctly.
//!
//! [`parse`] reads such a URI back (TOTP or HOTP) into a fixed-size [`Enrolment`], without
//! allocating; when both the label prefix and the `issuer` parameter are present they must agree.

use zeroize::{Zeroize, Zeroizing};

use crate::base32;
use crate::error::{Error, Result};

mod chars;

use super::{
    Algorithm, DEFAULT_DIGITS, DEFAULT_PERIOD, MAX_SECRET_BYTES, MIN_SECRET_BYTES, Params, check_digits,
    check_secret,
};

/// Longest issuer, in UTF-8 bytes (before percent-encoding).
pub const MAX_ISSUER_BYTES: usize = 64;
/// Longest account name, in UTF-8 bytes (before percent-encoding).
pub const MAX_ACCOUNT_BYTES: usize = 128;
/// A buffer of this size holds any URI [`build`] makes, plus a NUL (worst case 941 + 1).
pub const URI_BYTES: usize = 1024;

/// Appends into a fixed buffer.
struct Out<'o> {
    buf: &'o mut [u8],
    len: usize,
}

impl Out<'_> {
    fn push(&mut self, s: &[u8]) -> Result<()> {
        let end = self.len.checked_add(s.len()).ok_or(Error::BufferTooSmall)?;
        self.buf.get_mut(self.len..end).ok_or(Error::BufferTooSmall)?.copy_from_slice(s);
        self.len = end;
        Ok(())
    }

    fn push_encoded(&mut self, s: &str) -> Result<()> {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        for &b in s.as_bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                self.push(&[b])?;
            } else {
                self.push(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]])?;
            }
        }
        Ok(())
    }

    fn push_u32(&mut self, v: u32) -> Result<()> {
        let mut d = [0u8; 10];
        let mut i = d.len();
        let mut v = v;
        loop {
            i -= 1;
            d[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        self.push(&d[i..])
    }
}

/// The Unicode version whose character database [`is_name_char`] follows.
pub const NAME_CHARS_UNICODE_VERSION: &str = chars::UNICODE_VERSION;

/// Whether `c` may appear in an issuer or account name (apart from `:`, refused separately):
/// not a control (Cc), format (Cf: bidi overrides such as U+202E, zero-width characters, the BOM
/// U+FEFF, tag characters U+E0000–U+E007F), surrogate (Cs), private-use (Co) or unassigned (Cn)
/// character, nor a line or paragraph separator (Zl U+2028, Zp U+2029), by the general
/// categories of Unicode [`NAME_CHARS_UNICODE_VERSION`]. Such characters let a name show as
/// another one in an authenticator app (issue 20). No allocation: a binary search in a table.
#[must_use]
pub fn is_name_char(c: char) -> bool {
    let c = u32::from(c);
    chars::REFUSED
        .binary_search_by(|&(first, last)| {
            if last < c {
                core::cmp::Ordering::Less
            } else if first > c {
                core::cmp::Ordering::Greater
            } else {
                core::cmp::Ordering::Equal
            }
        })
        .is_err()
}

/// The one rule for names, used by both [`build`] and [`parse`] (so that a URI this module
/// reads has names it would also write): 1–`max` bytes of UTF-8 without `:` or any character
/// [`is_name_char`] refuses (controls, format characters, separators, private-use and
/// unassigned code points), an account also not starting with a space.
fn check_name(s: &[u8], max: usize, is_account: bool) -> Result<()> {
    let s = core::str::from_utf8(s).map_err(|_| Error::InvalidArgument)?;
    if s.is_empty()
        || s.len() > max
        || s.chars().any(|c| c == ':' || !is_name_char(c))
        || (is_account && s.starts_with(' '))
    {
        return Err(Error::InvalidArgument);
    }
    Ok(())
}

fn check_issuer(s: &[u8]) -> Result<()> {
    check_name(s, MAX_ISSUER_BYTES, false)
        .map_err(|e| e.because(c"issuer: must be 1 ..= 64 bytes of UTF-8 without ':' or control, format, separator, private-use or unassigned characters"))
}

fn check_account(s: &[u8]) -> Result<()> {
    check_name(s, MAX_ACCOUNT_BYTES, true).map_err(|e| {
        e.because(c"account: must be 1 ..= 128 bytes of UTF-8 without ':' or control, format, separator, private-use or unassigned characters, not starting with a space")
    })
}

/// For [`parse`]: the refusal, with a detail about `uri_text` (replacing any detail of a check
/// shared with [`build`], which names `build`'s arguments).
fn bad(detail: &'static core::ffi::CStr) -> impl Fn(Error) -> Error {
    move |e| e.because(detail)
}

/// Writes the TOTP Key URI for an enrolment into `out`; returns it.
///
/// `issuer` (1–64 bytes) and `account` (1–128 bytes) are UTF-8 without `:` or the characters
/// [`is_name_char`] refuses (controls, format characters such as U+202E, U+2028/U+2029,
/// private-use and unassigned code points), and `account` does not start with a space (readers, [`parse`] included, drop
/// spaces after the label's colon). A buffer of [`URI_BYTES`] is always large enough.
///
/// # Errors
/// [`Error::InvalidArgument`] for a secret outside 10–64 bytes or a bad issuer/account;
/// [`Error::BufferTooSmall`] (contents of `out` unspecified).
pub fn build<'o>(
    secret: &[u8],
    issuer: &str,
    account: &str,
    params: &Params,
    out: &'o mut [u8],
) -> Result<&'o str> {
    crate::diag::clear(); // a call that succeeds leaves no detail behind
    check_secret(secret)?;
    check_issuer(issuer.as_bytes())?;
    check_account(account.as_bytes())?;
    let mut o = Out { buf: out, len: 0 };
    o.push(b"otpauth://totp/")?;
    o.push_encoded(issuer)?;
    o.push(b":")?;
    o.push_encoded(account)?;
    o.push(b"?secret=")?;
    // The secret in base32, wiped when it goes out of scope, on every path.
    let mut b32 = Zeroizing::new([0u8; base32::encoded_len(MAX_SECRET_BYTES)]);
    o.push(base32::encode(secret, &mut *b32)?.as_bytes())?;
    o.push(b"&issuer=")?;
    o.push_encoded(issuer)?;
    if params.algorithm() != Algorithm::Sha1 {
        o.push(b"&algorithm=")?;
        o.push(params.algorithm().uri_name().as_bytes())?;
    }
    if params.digits() != DEFAULT_DIGITS {
        o.push(b"&digits=")?;
        o.push_u32(params.digits())?;
    }
    if params.period() != DEFAULT_PERIOD {
        o.push(b"&period=")?;
        o.push_u32(params.period())?;
    }
    let n = o.len;
    core::str::from_utf8(&o.buf[..n]).map_err(|_| Error::Internal)
}

/// Which kind of code a URI enrols.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OtpType {
    /// `otpauth://totp/...`
    Totp,
    /// `otpauth://hotp/...` (with a `counter` parameter).
    Hotp,
}

/// A parsed Key URI. Fixed size, no allocation; its `Debug` output hides the secret, which is
/// zeroized on drop.
#[derive(Clone)]
pub struct Enrolment {
    otp_type: OtpType,
    params: Params,
    counter: u64,
    secret: [u8; MAX_SECRET_BYTES],
    secret_len: u8,
    issuer: [u8; MAX_ISSUER_BYTES],
    issuer_len: u8,
    account: [u8; MAX_ACCOUNT_BYTES],
    account_len: u8,
}

impl core::fmt::Debug for Enrolment {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Enrolment")
            .field("otp_type", &self.otp_type)
            .field("issuer", &self.issuer())
            .field("account", &self.account())
            .field("params", &self.params)
            .field("counter", &self.counter)
            .field("secret", &format_args!("<{} bytes>", self.secret_len))
            .finish_non_exhaustive()
    }
}

impl Drop for Enrolment {
    fn drop(&mut self) {
        self.secret.zeroize();
    }
}

impl Enrolment {
    /// TOTP or HOTP.
    #[must_use]
    pub fn otp_type(&self) -> OtpType {
        self.otp_type
    }

    /// The secret (10–64 bytes).
    #[must_use]
    pub fn secret(&self) -> &[u8] {
        &self.secret[..usize::from(self.secret_len)]
    }

    /// The issuer (from the label prefix or the `issuer` parameter), if any.
    #[must_use]
    pub fn issuer(&self) -> Option<&str> {
        let s = core::str::from_utf8(&self.issuer[..usize::from(self.issuer_len)]).unwrap_or("");
        (!s.is_empty()).then_some(s)
    }

    /// The account name.
    #[must_use]
    pub fn account(&self) -> &str {
        core::str::from_utf8(&self.account[..usize::from(self.account_len)]).unwrap_or("")
    }

    /// Algorithm, digits and period (period is 30 for HOTP, where it has no meaning).
    #[must_use]
    pub fn params(&self) -> Params {
        self.params
    }

    /// The HOTP initial counter (0 for TOTP).
    #[must_use]
    pub fn counter(&self) -> u64 {
        self.counter
    }
}

fn hex_val(b: u8) -> Result<u8> {
    match b {
        b'0'..=b'9' => Ok(b - b'0'),
        b'a'..=b'f' => Ok(b - b'a' + 10),
        b'A'..=b'F' => Ok(b - b'A' + 10),
        _ => Err(Error::InvalidArgument),
    }
}

/// Percent-decodes `s` into `out`; returns the length. The result must be UTF-8.
fn pct_decode(s: &[u8], out: &mut [u8]) -> Result<usize> {
    let mut i = 0;
    let mut n = 0;
    while i < s.len() {
        let b = if s[i] == b'%' {
            let hi = hex_val(*s.get(i + 1).ok_or(Error::InvalidArgument)?)?;
            let lo = hex_val(*s.get(i + 2).ok_or(Error::InvalidArgument)?)?;
            i += 3;
            (hi << 4) | lo
        } else {
            i += 1;
            s[i - 1]
        };
        *out.get_mut(n).ok_or(Error::InvalidArgument)? = b;
        n += 1;
    }
    core::str::from_utf8(&out[..n]).map_err(|_| Error::InvalidArgument)?;
    Ok(n)
}

fn parse_u64(s: &[u8]) -> Result<u64> {
    if s.is_empty() || s.len() > 20 {
        return Err(Error::InvalidArgument);
    }
    let mut v: u64 = 0;
    for &b in s {
        if !b.is_ascii_digit() {
            return Err(Error::InvalidArgument);
        }
        v = v
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(b - b'0')))
            .ok_or(Error::InvalidArgument)?;
    }
    Ok(v)
}

fn small(s: &[u8]) -> Result<u32> {
    u32::try_from(parse_u64(s)?).map_err(|_| Error::InvalidArgument)
}

const DIGITS: &core::ffi::CStr = c"uri_text: digits must be 6 ..= 8";
const PERIOD: &core::ffi::CStr = c"uri_text: period must be 1 ..= 3600";

/// Parses a Key URI (`otpauth://totp/...` or `otpauth://hotp/...`).
///
/// Accepted: scheme and type in any case; a label `Issuer:account` or `account` (the colon may
/// be written `%3A` and followed by spaces); parameters `secret` (required, base32 in any case,
/// padding allowed, 10–64 bytes), `issuer`, `algorithm` (`SHA1`/`SHA256`/`SHA512`, any case),
/// `digits` (6–8), `period` (1–3600), `counter` (required for HOTP); other parameters (such as
/// `image`) are ignored. `+` is a literal plus sign (RFC 3986), not a space.
///
/// Issuer and account must satisfy the same rule as in [`build`] after percent-decoding (and,
/// for the account, after dropping spaces that follow the label's colon): no `:` (a second
/// colon in the label is refused) and no character [`is_name_char`] refuses, so `%00`, `%0A` or
/// `%E2%80%AE` (U+202E) is refused.
///
/// # Errors
/// [`Error::InvalidArgument`] for anything else: another scheme or type, bad percent-escapes or
/// UTF-8, an issuer over 64 or an account over 128 bytes, an empty issuer or account, a name
/// with `:` or a character [`is_name_char`] refuses, a repeated parameter, a missing secret, out-of-range
/// values, or a label issuer that differs from the `issuer` parameter.
#[allow(clippy::too_many_lines, clippy::many_single_char_names, clippy::cast_possible_truncation)] // lengths ≤ 128
pub fn parse(uri: &str) -> Result<Enrolment> {
    crate::diag::clear(); // a call that succeeds leaves no detail behind
    let b = uri.as_bytes();
    let b = match b.iter().position(|&c| c == b'#') {
        Some(i) => &b[..i],
        None => b,
    };
    let not_otpauth = bad(c"uri_text: not an otpauth://totp/ or otpauth://hotp/ URI");
    if b.len() < 15 || !b[..10].eq_ignore_ascii_case(b"otpauth://") || b[14] != b'/' {
        return Err(not_otpauth(Error::InvalidArgument));
    }
    let otp_type = match &b[10..14] {
        t if t.eq_ignore_ascii_case(b"totp") => OtpType::Totp,
        t if t.eq_ignore_ascii_case(b"hotp") => OtpType::Hotp,
        _ => return Err(not_otpauth(Error::InvalidArgument)),
    };
    let rest = &b[15..];
    let (label, query) = match rest.iter().position(|&c| c == b'?') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &[][..]),
    };

    let mut e = Enrolment {
        otp_type,
        params: Params::default(),
        counter: 0,
        secret: [0; MAX_SECRET_BYTES],
        secret_len: 0,
        issuer: [0; MAX_ISSUER_BYTES],
        issuer_len: 0,
        account: [0; MAX_ACCOUNT_BYTES],
        account_len: 0,
    };

    // Label.
    let mut lbuf = [0u8; MAX_ISSUER_BYTES + 1 + 16 + MAX_ACCOUNT_BYTES];
    let ln =
        pct_decode(label, &mut lbuf).map_err(bad(c"uri_text: bad percent-escape or UTF-8 in the label"))?;
    let label = &lbuf[..ln];
    let (prefix, account) = match label.iter().position(|&c| c == b':') {
        Some(i) => {
            let mut acc = &label[i + 1..];
            while let [b' ', tail @ ..] = acc {
                acc = tail;
            }
            (Some(&label[..i]), acc)
        }
        None => (None, label),
    };
    check_account(account).map_err(bad(
        c"uri_text: the label's account is empty, too long, or has ':' or a refused character (control, format, separator, private-use, unassigned)",
    ))?;
    e.account[..account.len()].copy_from_slice(account);
    e.account_len = account.len() as u8;
    if let Some(p) = prefix {
        check_issuer(p).map_err(bad(
            c"uri_text: the label's issuer is empty, too long, or has ':' or a refused character (control, format, separator, private-use, unassigned)",
        ))?;
        e.issuer[..p.len()].copy_from_slice(p);
        e.issuer_len = p.len() as u8;
    }

    // Parameters.
    let (mut algorithm, mut digits, mut period, mut counter) = (None, None, None, None);
    let mut have_secret = false;
    let mut have_issuer = false;
    // Holds each decoded value in turn, the secret's base32 text included: wiped when `parse`
    // returns, on every path (the decoded secret itself is in `e`, which `Enrolment`'s `Drop`
    // wipes when an error drops it).
    let mut vbuf = Zeroizing::new([0u8; 512]);
    for pair in query.split(|&c| c == b'&').filter(|p| !p.is_empty()) {
        let (k, v) = match pair.iter().position(|&c| c == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &[][..]),
        };
        let vn = pct_decode(v, &mut *vbuf)
            .map_err(bad(c"uri_text: bad percent-escape or UTF-8 in a parameter"))?;
        let v = &vbuf[..vn];
        let dup = |seen: bool| {
            if seen {
                Err(Error::InvalidArgument.because(c"uri_text: a parameter is repeated"))
            } else {
                Ok(())
            }
        };
        if k.eq_ignore_ascii_case(b"secret") {
            dup(have_secret)?;
            have_secret = true;
            let secret = bad(c"uri_text: secret is not base32 of 10 ..= 64 bytes");
            let n = base32::RFC4648.decoded_len(v).map_err(&secret)?;
            if !(MIN_SECRET_BYTES..=MAX_SECRET_BYTES).contains(&n) {
                return Err(secret(Error::InvalidArgument));
            }
            e.secret_len = base32::RFC4648.decode(v, &mut e.secret).map_err(&secret)? as u8;
        } else if k.eq_ignore_ascii_case(b"issuer") {
            dup(have_issuer)?;
            have_issuer = true;
            check_issuer(v)
                .map_err(bad(c"uri_text: issuer is empty, too long, or has ':' or a refused character (control, format, separator, private-use, unassigned)"))?;
            if prefix.is_some() {
                if e.issuer() != core::str::from_utf8(v).ok() {
                    return Err(
                        Error::InvalidArgument.because(c"uri_text: issuer differs from the label's issuer")
                    );
                }
            } else {
                e.issuer[..v.len()].copy_from_slice(v);
                e.issuer_len = v.len() as u8;
            }
        } else if k.eq_ignore_ascii_case(b"algorithm") {
            dup(algorithm.is_some())?;
            algorithm = Some(match v {
                a if a.eq_ignore_ascii_case(b"SHA1") => Algorithm::Sha1,
                a if a.eq_ignore_ascii_case(b"SHA256") => Algorithm::Sha256,
                a if a.eq_ignore_ascii_case(b"SHA512") => Algorithm::Sha512,
                _ => {
                    return Err(
                        Error::InvalidArgument.because(c"uri_text: algorithm is not SHA1, SHA256 or SHA512")
                    );
                }
            });
        } else if k.eq_ignore_ascii_case(b"digits") {
            dup(digits.is_some())?;
            digits = Some(small(v).map_err(bad(DIGITS))?);
        } else if k.eq_ignore_ascii_case(b"period") {
            dup(period.is_some())?;
            period = Some(small(v).map_err(bad(PERIOD))?);
        } else if k.eq_ignore_ascii_case(b"counter") {
            dup(counter.is_some())?;
            counter = Some(parse_u64(v).map_err(bad(c"uri_text: counter is not a number 0 ..= 2^64 - 1"))?);
        }
    }
    if !have_secret {
        return Err(Error::InvalidArgument.because(c"uri_text: no secret parameter"));
    }
    check_secret(e.secret()).map_err(bad(c"uri_text: secret is not base32 of 10 ..= 64 bytes"))?;
    let digits = digits.unwrap_or(DEFAULT_DIGITS);
    check_digits(digits).map_err(bad(DIGITS))?;
    e.params = Params::new(algorithm.unwrap_or_default(), digits, period.unwrap_or(DEFAULT_PERIOD))
        .map_err(bad(PERIOD))?;
    match (otp_type, counter) {
        (OtpType::Hotp, Some(c)) => e.counter = c,
        (OtpType::Hotp, None) => {
            return Err(Error::InvalidArgument.because(c"uri_text: an hotp URI needs a counter"));
        }
        (OtpType::Totp, _) => {}
    }
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(secret: &[u8], issuer: &str, account: &str, p: &Params) -> std::string::String {
        let mut buf = [0u8; URI_BYTES];
        build(secret, issuer, account, p, &mut buf).unwrap().into()
    }

    #[test]
    fn defaults_are_omitted() {
        let u = uri(b"12345678901234567890", "Portal", "ivan@example.ru", &Params::default());
        assert_eq!(
            u,
            "otpauth://totp/Portal:ivan%40example.ru?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Portal"
        );
        let p = Params::new(Algorithm::Sha512, 8, 60).unwrap();
        let u = uri(b"12345678901234567890", "Portal", "ivan", &p);
        assert!(u.ends_with("&issuer=Portal&algorithm=SHA512&digits=8&period=60"), "{u}");
        let p = Params::new(Algorithm::Sha256, 6, 30).unwrap();
        assert!(uri(&[0; 16], "P", "a", &p).ends_with("&issuer=P&algorithm=SHA256"));
    }

    #[test]
    fn cyrillic_and_reserved_characters_are_percent_encoded() {
        let u = uri(&[0xAB; 10], "Госуслуги Дети", "Иванов И.И. <a&b=c?d/e#f%g+h>", &Params::default());
        assert_eq!(
            u,
            "otpauth://totp/%D0%93%D0%BE%D1%81%D1%83%D1%81%D0%BB%D1%83%D0%B3%D0%B8%20%D0%94%D0%B5%D1%82%D0%B8:\
             %D0%98%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2%20%D0%98.%D0%98.%20%3Ca%26b%3Dc%3Fd%2Fe%23f%25g%2Bh%3E\
             ?secret=VOV2XK5LVOV2XK5L\
             &issuer=%D0%93%D0%BE%D1%81%D1%83%D1%81%D0%BB%D1%83%D0%B3%D0%B8%20%D0%94%D0%B5%D1%82%D0%B8"
        );
        let e = parse(&u).unwrap();
        assert_eq!(e.issuer(), Some("Госуслуги Дети"));
        assert_eq!(e.account(), "Иванов И.И. <a&b=c?d/e#f%g+h>");
        assert_eq!(e.secret(), &[0xAB; 10]);
        // Unreserved characters stay as they are.
        assert!(
            uri(&[0; 16], "A-Z.a_z~09", "x", &Params::default()).starts_with("otpauth://totp/A-Z.a_z~09:x?")
        );
    }

    #[test]
    fn bad_names_are_refused() {
        let p = Params::default();
        let mut buf = [0u8; URI_BYTES];
        for (i, a) in [("", "a"), ("a", ""), ("a:b", "c"), ("a", "b:c"), ("a\n", "b"), ("a", "b\u{7f}")] {
            assert_eq!(build(&[0; 16], i, a, &p, &mut buf), Err(Error::InvalidArgument), "{i:?} {a:?}");
        }
        let long_i = "я".repeat(33);
        assert_eq!(build(&[0; 16], &long_i, "a", &p, &mut buf), Err(Error::InvalidArgument));
        assert_eq!(build(&[0; 9], "a", "a", &p, &mut buf), Err(Error::InvalidArgument));
        let mut small = [0u8; 40];
        assert_eq!(build(&[0; 16], "a", "b", &p, &mut small), Err(Error::BufferTooSmall));
    }

    #[test]
    fn worst_case_fits_uri_bytes() {
        let p = Params::new(Algorithm::Sha512, 8, 3600).unwrap();
        let issuer = "я".repeat(32);
        let account = "ю".repeat(64);
        assert_eq!((issuer.len(), account.len()), (64, 128));
        let u = uri(&[0xff; 64], &issuer, &account, &p);
        assert_eq!(u.len(), 941);
        assert!(u.len() < URI_BYTES);
        let e = parse(&u).unwrap();
        assert_eq!((e.issuer(), e.account()), (Some(issuer.as_str()), account.as_str()));
    }

    #[test]
    fn parse_variants() {
        let e = parse("otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30").unwrap();
        assert_eq!(
            (e.issuer(), e.account(), e.params(), e.otp_type()),
            (Some("ACME Co"), "john.doe@email.com", Params::default(), OtpType::Totp)
        );
        assert_eq!(e.secret().len(), 20);
        let e = parse("OTPAUTH://TOTP/Example%3A%20alice?secret=jbsw y3dp ehpk 3pxp===&algorithm=sha256&digits=8&period=60&image=x").unwrap();
        assert_eq!((e.issuer(), e.account()), (Some("Example"), "alice"));
        assert_eq!(e.params(), Params::new(Algorithm::Sha256, 8, 60).unwrap());
        assert_eq!(e.secret(), b"Hello!\xde\xad\xbe\xef");
        let e = parse("otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&issuer=Example").unwrap();
        assert_eq!((e.issuer(), e.account()), (Some("Example"), "alice"));
        let e = parse("otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP").unwrap();
        assert_eq!((e.issuer(), e.account()), (None, "alice"));
        let e = parse("otpauth://hotp/X:y?secret=JBSWY3DPEHPK3PXP&counter=18446744073709551615").unwrap();
        assert_eq!((e.otp_type(), e.counter()), (OtpType::Hotp, u64::MAX));
        let dbg = std::format!("{e:?}");
        assert!(dbg.contains("<10 bytes>") && !dbg.contains("72, 101"), "{dbg}");
    }

    /// Percent-encodes as `build` does.
    fn enc(s: &str) -> std::string::String {
        let mut buf = [0u8; 3 * 200];
        let mut o = Out { buf: &mut buf, len: 0 };
        o.push_encoded(s).unwrap();
        let n = o.len;
        std::string::String::from_utf8(buf[..n].to_vec()).unwrap()
    }

    /// `build` and `parse` accept exactly the same names: for names made of every control
    /// character, `:`, ordinary, reserved and Cyrillic characters, empty and over-long ones,
    /// `build` accepts `(issuer, account)` iff `parse` accepts the URI that spells them, in each
    /// label shape (with the issuer in the label, in the parameter, or both), and then gives them
    /// back. Readers drop spaces after the label's colon, so there the account `parse` must give
    /// back is the one without them.
    #[test]
    fn build_and_parse_accept_the_same_names() {
        let mut chars: std::vec::Vec<char> =
            (0u32..0x20).chain(0x7f..0xa0).filter_map(char::from_u32).collect();
        chars.extend([
            ':', 'a', ' ', '%', '&', '=', '?', '#', '+', '/', '@', 'я', 'Ж', '\u{a0}', '\u{2028}', '😀',
        ]);
        let mut names: std::vec::Vec<std::string::String> = std::vec::Vec::new();
        for c in chars {
            names.extend([
                std::format!("{c}"),
                std::format!("a{c}b"),
                std::format!("{c}b"),
                std::format!("ab{c}"),
            ]);
        }
        for (len, ch) in [
            (0, "a"),
            (64, "a"),
            (65, "a"),
            (128, "a"),
            (129, "a"),
            (32, "я"),
            (33, "я"),
            (64, "я"),
            (65, "я"),
        ] {
            names.push(ch.repeat(len));
        }
        let p = Params::default();
        let mut buf = [0u8; URI_BYTES];
        let mut checked = 0;
        for name in &names {
            for (issuer, account) in [(name.as_str(), "alice"), ("Portal", name.as_str())] {
                let secret = "secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
                let (i, a) = (enc(issuer), enc(account));
                let dropped = account.trim_start_matches(' ');
                for (uri, want) in [
                    (std::format!("otpauth://totp/{i}:{a}?{secret}&issuer={i}"), dropped),
                    (std::format!("otpauth://totp/{i}:{a}?{secret}"), dropped),
                    (std::format!("otpauth://totp/{a}?{secret}&issuer={i}"), account),
                ] {
                    let built = build(b"12345678901234567890", issuer, want, &p, &mut buf).is_ok();
                    let parsed = parse(&uri);
                    assert_eq!(built, parsed.is_ok(), "{issuer:?} {want:?}: {uri}");
                    if let Ok(e) = parsed {
                        assert_eq!((e.issuer(), e.account()), (Some(issuer), want), "{uri}");
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000, "{checked}");
        // Spot checks that the rule is the intended one, not only the same on both sides.
        assert!(build(&[0; 16], "Госуслуги", "Иван Петров", &p, &mut buf).is_ok());
        for bad in ["\u{0}", "\n", "\u{7f}", "\u{9f}", "a:b", ""] {
            assert!(build(&[0; 16], bad, "x", &p, &mut buf).is_err(), "{bad:?}");
        }
    }

    /// Issue 20: names could hold characters that make them show as other names (a bidi
    /// override, zero-width characters, the BOM, tag characters), break lines (U+2028/U+2029), or
    /// mean nothing yet (private-use, unassigned). `build` and `parse` refuse them all, as issuer
    /// and as account, in the label and in the `issuer` parameter; other characters still pass.
    #[test]
    fn names_refuse_format_separator_private_use_and_unassigned_characters() {
        let refused = [
            '\u{202E}',
            '\u{202D}',
            '\u{202A}',
            '\u{2066}',
            '\u{2069}',
            '\u{200E}',
            '\u{061C}', // bidi
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{2060}',
            '\u{00AD}',
            '\u{180E}', // zero-width
            '\u{FEFF}', // BOM
            '\u{E0001}',
            '\u{E0041}',
            '\u{E007F}', // tags
            '\u{2028}',
            '\u{2029}', // Zl, Zp
            '\u{E000}',
            '\u{F8FF}',
            '\u{F0000}',
            '\u{10FFFD}', // Co
            '\u{0378}',
            '\u{FFFE}',
            '\u{FFFF}',
            '\u{10FFFF}',
            '\u{E0080}',
            '\u{2FFFF}', // Cn
            '\u{0}',
            '\u{1B}',
            '\u{85}', // Cc, as before
        ];
        let p = Params::default();
        let mut buf = [0u8; URI_BYTES];
        let secret = "secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        for c in refused {
            assert!(!is_name_char(c), "U+{:04X}", u32::from(c));
            let name = std::format!("Port{c}al");
            assert_eq!(
                build(&[1; 20], &name, "alice", &p, &mut buf).err(),
                Some(Error::InvalidArgument),
                "{name:?}"
            );
            assert_eq!(
                build(&[1; 20], "Portal", &name, &p, &mut buf).err(),
                Some(Error::InvalidArgument),
                "{name:?}"
            );
            let n = enc(&name);
            for uri in [
                std::format!("otpauth://totp/{n}:alice?{secret}"),
                std::format!("otpauth://totp/Portal:{n}?{secret}"),
                std::format!("otpauth://totp/{n}?{secret}"),
                std::format!("otpauth://totp/alice?{secret}&issuer={n}"),
                std::format!("otpauth://hotp/{n}?{secret}&counter=1"),
            ] {
                assert_eq!(parse(&uri).map(|_| ()), Err(Error::InvalidArgument), "{uri}");
            }
        }
        for ok in ['a', 'я', 'Ж', 'ё', ' ', '\u{A0}', '\u{2010}', '\u{2014}', '中', '😀', '\u{301}', '€', '№']
        {
            assert!(is_name_char(ok), "U+{:04X}", u32::from(ok));
            let name = std::format!("Port{ok}al");
            let uri = build(&[1; 20], &name, &name, &p, &mut buf).unwrap();
            let uri = std::string::String::from(uri);
            let e = parse(&uri).unwrap();
            assert_eq!((e.issuer(), e.account()), (Some(name.as_str()), name.as_str()));
        }
    }

    /// The table behind [`is_name_char`]: sorted, disjoint and non-adjacent ranges of code
    /// points; it refuses every control character Rust knows (`char::is_control`, Cc) and the
    /// surrogates; the cited Unicode version is the one the generator wrote.
    #[test]
    fn refused_table_is_well_formed() {
        let t = chars::REFUSED;
        assert!(t.len() > 600, "{}", t.len());
        for w in t.windows(2) {
            assert!(w[0].0 <= w[0].1 && w[0].1 + 1 < w[1].0, "{:X?} {:X?}", w[0], w[1]);
        }
        assert!(t[t.len() - 1].1 <= 0x10_FFFF);
        assert!(t.iter().any(|&(a, b)| a <= 0xD800 && 0xDFFF <= b), "surrogates");
        for c in (0..=0x10_FFFFu32).filter_map(char::from_u32) {
            if c.is_control() {
                assert!(!is_name_char(c), "U+{:04X}", u32::from(c));
            }
        }
        assert_eq!(NAME_CHARS_UNICODE_VERSION, "14.0.0");
        assert!((0..=0x10_FFFFu32).filter_map(char::from_u32).filter(|&c| is_name_char(c)).count() > 140_000);
    }

    /// `%00` and `%0A` were accepted by `parse` in the issuer and the account, in the label and
    /// in the `issuer` parameter, although `build` refuses them.
    #[test]
    fn parse_refuses_nul_and_newline_in_names() {
        let s = "secret=JBSWY3DPEHPK3PXP";
        for c in ["%00", "%0A", "%0a", "%0D", "%1F", "%7F", "%C2%85"] {
            for uri in [
                std::format!("otpauth://totp/Iss{c}:alice?{s}"),
                std::format!("otpauth://totp/{c}Iss:alice?{s}"),
                std::format!("otpauth://totp/Iss:ali{c}ce?{s}"),
                std::format!("otpauth://totp/Iss:alice{c}?{s}"),
                std::format!("otpauth://totp/ali{c}ce?{s}"),
                std::format!("otpauth://totp/alice?{s}&issuer=Iss{c}"),
                std::format!("otpauth://totp/alice?issuer={c}&{s}"),
                std::format!("otpauth://totp/Iss{c}:alice?{s}&issuer=Iss{c}"),
                std::format!("otpauth://hotp/Iss:ali{c}ce?{s}&counter=1"),
            ] {
                assert_eq!(parse(&uri).map(|_| ()), Err(Error::InvalidArgument), "{uri}");
            }
        }
        // The same URIs without the bad byte are fine.
        assert!(parse(&std::format!("otpauth://totp/Iss:alice?{s}&issuer=Iss")).is_ok());
        assert!(parse(&std::format!("otpauth://totp/alice?{s}&issuer=Iss")).is_ok());
        // A second colon in the label is a `:` in the account.
        assert_eq!(parse(&std::format!("otpauth://totp/a:b:c?{s}")).map(|_| ()), Err(Error::InvalidArgument));
    }

    /// An error after the secret was read (a later bad parameter, a bad name, a missing HOTP
    /// counter) is still the documented error; the secret and its text are wiped on that path
    /// too, by their types (`Zeroizing` buffer, `Enrolment`'s `Drop`), not by the error paths.
    #[test]
    fn errors_after_the_secret_was_decoded() {
        let good = "otpauth://totp/Iss:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        assert_eq!(parse(good).unwrap().secret(), b"12345678901234567890");
        for tail in [
            "&digits=x",
            "&digits=9",
            "&period=0",
            "&algorithm=MD5",
            "&issuer=Other",
            "&issuer=Iss%00",
            "&secret=GEZDGNBVGY3TQOJQ",
            "&issuer=Iss&issuer=Iss",
            "&counter=1&counter=2",
            "&x=%zz",
        ] {
            let uri = std::format!("{good}{tail}");
            assert_eq!(parse(&uri).map(|_| ()), Err(Error::InvalidArgument), "{uri}");
        }
        let hotp = "otpauth://hotp/Iss:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        assert_eq!(parse(hotp).map(|_| ()), Err(Error::InvalidArgument), "no counter");
        assert_eq!(parse(&std::format!("{hotp}&counter=5")).unwrap().counter(), 5);
    }

    #[test]
    fn parse_refusals() {
        for bad in [
            "",
            "http://totp/a?secret=JBSWY3DPEHPK3PXP",
            "otpauth://motp/a?secret=JBSWY3DPEHPK3PXP",
            "otpauth://totp/a",
            "otpauth://totp/a?issuer=b",
            "otpauth://totp/?secret=JBSWY3DPEHPK3PXP",
            "otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP&issuer=B",
            "otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP&issuer=",
            "otpauth://totp/:b?secret=JBSWY3DPEHPK3PXP",
            "otpauth://totp/a?secret=JBSWY3DPEHPK3PX",
            "otpauth://totp/a?secret=JBSWY3DPEHPK3P1P",
            "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&secret=JBSWY3DPEHPK3PXP",
            "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&digits=5",
            "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&digits=9",
            "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&digits=4294967302",
            "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&period=0",
            "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&period=3601",
            "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&algorithm=MD5",
            "otpauth://totp/a%?secret=JBSWY3DPEHPK3PXP",
            "otpauth://totp/a%zz?secret=JBSWY3DPEHPK3PXP",
            "otpauth://totp/a%FF?secret=JBSWY3DPEHPK3PXP",
            "otpauth://hotp/a?secret=JBSWY3DPEHPK3PXP",
            "otpauth://hotp/a?secret=JBSWY3DPEHPK3PXP&counter=-1",
            "otpauth://hotp/a?secret=JBSWY3DPEHPK3PXP&counter=18446744073709551616",
        ] {
            assert_eq!(parse(bad).map(|_| ()), Err(Error::InvalidArgument), "{bad}");
        }
        // A 65-byte secret.
        let mut b = [0u8; 120];
        let s = base32::encode(&[1; 65], &mut b).unwrap();
        assert_eq!(
            parse(&std::format!("otpauth://totp/a?secret={s}")).map(|_| ()),
            Err(Error::InvalidArgument)
        );
    }
}
