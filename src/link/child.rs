//! The child's data: which fields are missing, validation (SNILS control number, calendar
//! date) and the keyed canonical fingerprint that link codes are bound to.
//!
//! Canonicalisation is streamed into HMAC-SHA256 character by character, so nothing is allocated
//! (the name's in `src/link/name.rs`). The rules are in `docs/link-code.md`; in short:
//!
//! - **full name**: leading and trailing whitespace removed, every inner run of whitespace
//!   (any Unicode white space, including no-break space) replaced by one ASCII space, every
//!   character lower-cased with [`char::to_lowercase`] (Latin and Cyrillic alike), `ё` folded
//!   to `е`, and the decomposed forms `и` + U+0306 and `е` + U+0308 composed to `й` / `е`;
//! - **birth date**: `YYYY-MM-DD` (surrounding whitespace ignored), a real calendar date;
//! - **sex**: `M`/`F`, also lower case and Cyrillic `М`/`Ж`, canonically `M` or `F`;
//! - **SNILS**: the 11 digits; spaces and hyphens between them are ignored.

use super::name::{Sink, hash_name, trim};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::keys::Purpose;
use crate::mac::{HmacKey, Sha256};

/// Bit of [`Child::check`] for the full name (`PCODES_FIELD_FULL_NAME`).
pub const FIELD_FULL_NAME: u32 = 1;
/// Bit of [`Child::check`] for the birth date (`PCODES_FIELD_BIRTH_DATE`).
pub const FIELD_BIRTH_DATE: u32 = 2;
/// Bit of [`Child::check`] for the sex (`PCODES_FIELD_SEX`).
pub const FIELD_SEX: u32 = 4;
/// Bit of [`Child::check`] for the SNILS (`PCODES_FIELD_SNILS`).
pub const FIELD_SNILS: u32 = 8;

/// Bytes of a child-data fingerprint (the first 15 bytes, 120 bits, of an HMAC-SHA256).
pub const FINGERPRINT_BYTES: usize = 15;

/// Domain-separation prefix of the fingerprint's HMAC input. (State layout version 2 and
/// earlier stored an unkeyed SHA-256 of `"portal-codes/child/v1" 0x00 || …`: anyone who saw a
/// blob could test guesses of the child's data against it, issue 20.)
const FP_DOMAIN: &[u8] = b"portal-codes/child/v2\0";

/// Earliest accepted birth year.
pub const MIN_BIRTH_YEAR: u32 = 1900;

/// SNILS numbers up to this one (001-001-998) were issued before control numbers existed:
/// their two last digits are not checked.
pub const SNILS_UNCHECKED_UP_TO: u32 = 1_001_998;

/// A child's data as the portal holds it. Any field may be blank (then it is missing).
///
/// `Debug` shows which fields are present, never their contents (SNILS and names are personal
/// data).
#[derive(Clone, Copy, Default)]
pub struct Child<'a> {
    /// Full name, e.g. `"Иванов Иван Иванович"`.
    pub full_name: &'a str,
    /// Birth date, `"YYYY-MM-DD"`.
    pub birth_date: &'a str,
    /// Sex: `"M"` or `"F"` (Cyrillic `"М"`/`"Ж"` and lower case accepted).
    pub sex: &'a str,
    /// SNILS, `"112-233-445 95"` or `"11223344595"`.
    pub snils: &'a str,
}

impl core::fmt::Debug for Child<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let m = self.check().err().unwrap_or(0);
        let state = |bit: u32| if m & bit == 0 { "present" } else { "missing" };
        f.debug_struct("Child")
            .field("full_name", &state(FIELD_FULL_NAME))
            .field("birth_date", &state(FIELD_BIRTH_DATE))
            .field("sex", &state(FIELD_SEX))
            .field("snils", &state(FIELD_SNILS))
            .finish()
    }
}

/// A child's data after validation, in canonical form (the name is only trimmed here; the rest
/// of its canonicalisation happens while hashing).
#[derive(Clone, Copy)]
struct Canonical<'a> {
    name: &'a str,
    /// The caller's own bytes (a valid date is its canonical form): not copied.
    date: &'a [u8; 10],
    sex: u8,
    snils: [u8; 11],
}

impl<'a> Child<'a> {
    /// A child from its four fields.
    #[must_use]
    pub const fn new(full_name: &'a str, birth_date: &'a str, sex: &'a str, snils: &'a str) -> Self {
        Self { full_name, birth_date, sex, snils }
    }

    /// Checks that no field is blank (empty or white space only), as `pcodes_child_check`
    /// does: `Ok` if none is, else the blank fields as `FIELD_*` bits (never 0), which
    /// [`Child::validate`] and the link flows report as [`Error::MissingField`].
    ///
    /// # Errors
    /// The `FIELD_*` bits of the blank fields.
    pub fn check(&self) -> core::result::Result<(), u32> {
        let blank = |s: &str, bit: u32| if trim(s).is_empty() { bit } else { 0 };
        let missing = blank(self.full_name, FIELD_FULL_NAME)
            | blank(self.birth_date, FIELD_BIRTH_DATE)
            | blank(self.sex, FIELD_SEX)
            | blank(self.snils, FIELD_SNILS);
        if missing == 0 { Ok(()) } else { Err(missing) }
    }

    /// Checks that every field is present and valid at `now` (unix seconds).
    ///
    /// # Errors
    /// In this order: [`Error::MissingField`] if any field is blank (see [`Child::check`]),
    /// [`Error::InvalidBirthDate`], [`Error::InvalidArgument`] for a sex other than M/F/М/Ж,
    /// [`Error::InvalidSnils`].
    pub fn validate(&self, now: u64) -> Result<()> {
        self.canonical(now).map(|_| ())
    }

    /// The fingerprint of the canonicalised data under the context's current link key, as
    /// [`crate::link::issue`] stores it: the first 15 bytes of
    /// `HMAC-SHA256(link key, "portal-codes/child/v2" 0x00 || name || 0x00 || date || sex || snils)`
    /// (see the module docs and `docs/link-code.md`). Cosmetic differences (case, spaces,
    /// SNILS punctuation) give the same fingerprint; any real change gives another. It is keyed,
    /// so a fingerprint in a state blob (which is not a secret and may end up in logs) cannot be
    /// checked against guesses of the child's data without the master key.
    ///
    /// # Errors
    /// As [`Child::validate`].
    pub fn fingerprint(&self, ctx: &Context, now: u64) -> Result<[u8; FINGERPRINT_BYTES]> {
        self.keyed_fingerprint(ctx.keys().current(Purpose::Link).1, now)
    }

    /// [`Child::fingerprint`] under the link key `key` (the key whose id the code carries).
    pub(crate) fn keyed_fingerprint(
        &self,
        key: &HmacKey<Sha256>,
        now: u64,
    ) -> Result<[u8; FINGERPRINT_BYTES]> {
        let c = self.canonical(now)?;
        let mut h = key.start();
        let mut out = Sink::new(&mut h);
        out.push(FP_DOMAIN);
        hash_name(&mut out, c.name);
        out.push(&[0]);
        out.push(c.date);
        out.push(&[c.sex]);
        out.push(&c.snils);
        out.flush();
        // The hasher finished where it is (not moved), and the fingerprint copied in two
        // parts, each within one of the 8-byte stores that wrote the digest (a copy straddling
        // two of them waits for both to reach the cache; issue 23).
        let d = key.finish_in_place(&mut h);
        let mut fp = [0u8; FINGERPRINT_BYTES];
        fp[..8].copy_from_slice(&d[..8]);
        fp[8..].copy_from_slice(&d[8..FINGERPRINT_BYTES]);
        Ok(fp)
    }

    // Inlined: returned out of line, the `Result<Canonical>` was written field by field and
    // read back with wider loads, which the CPU cannot forward from its store buffer (issue 23).
    #[inline(always)]
    fn canonical(&self, now: u64) -> Result<Canonical<'a>> {
        // Each field is trimmed once; the parsers below take trimmed text.
        let (name, date, sex, snils) =
            (trim(self.full_name), trim(self.birth_date), trim(self.sex), trim(self.snils));
        if name.is_empty() || date.is_empty() || sex.is_empty() || snils.is_empty() {
            return Err(Error::MissingField);
        }
        let date = parse_trimmed_birth_date(date, now)?;
        let sex = parse_trimmed_sex(sex)?;
        let snils = parse_trimmed_snils(snils)?;
        Ok(Canonical { name, date, sex, snils })
    }
}

#[cfg(test)]
fn parse_sex(s: &str) -> Result<u8> {
    parse_trimmed_sex(trim(s))
}

fn parse_trimmed_sex(s: &str) -> Result<u8> {
    match s {
        "M" | "m" | "М" | "м" => Ok(b'M'),
        "F" | "f" | "Ж" | "ж" => Ok(b'F'),
        _ => Err(Error::InvalidArgument.because(c"child: sex must be M, F, М or Ж")),
    }
}

/// The 11 digits of a SNILS; spaces and hyphens are ignored. The control number (last two
/// digits) is checked for numbers above 001-001-998.
#[cfg(test)]
fn parse_snils(s: &str) -> Result<[u8; 11]> {
    parse_trimmed_snils(trim(s))
}

/// The 11 digits of a SNILS in one of its two usual shapes, `NNN-NNN-NNN NN` or eleven bare
/// digits, read at fixed places; `None` for any other text (then the general loop decides).
#[inline(always)]
fn snils_digits_at_fixed_places(s: &[u8]) -> Option<[u8; 11]> {
    let d: [u8; 11] = if let Ok(t) = <&[u8; 14]>::try_from(s) {
        if t[3] != b'-' || t[7] != b'-' || t[11] != b' ' {
            return None;
        }
        // The digits of `NNN-NNN-NNN NN`, as an array literal: `array::map` over their places
        // was an out-of-line call that returned the array through memory (issue 23).
        [t[0], t[1], t[2], t[4], t[5], t[6], t[8], t[9], t[10], t[12], t[13]]
    } else {
        *<&[u8; 11]>::try_from(s).ok()?
    };
    d.iter().all(u8::is_ascii_digit).then_some(d)
}

#[inline(always)] // its array returned in registers, not through memory (issue 23)
fn parse_trimmed_snils(s: &str) -> Result<[u8; 11]> {
    match snils_digits_at_fixed_places(s.as_bytes()) {
        Some(d) => snils_checked(d),
        None => parse_snils_loop(s),
    }
}

/// [`parse_trimmed_snils`] a byte at a time: every shape (spaces and hyphens anywhere).
fn parse_snils_loop(s: &str) -> Result<[u8; 11]> {
    let mut d = [0u8; 11];
    let mut n = 0;
    for &b in s.as_bytes() {
        match b {
            b'0'..=b'9' => {
                if n == d.len() {
                    return Err(Error::InvalidSnils);
                }
                d[n] = b;
                n += 1;
            }
            b' ' | b'-' => {}
            _ => return Err(Error::InvalidSnils),
        }
    }
    if n != d.len() {
        return Err(Error::InvalidSnils);
    }
    snils_checked(d)
}

/// Eleven ASCII digits as a SNILS if its number is not 0 and its control number holds (or is
/// not checked, up to [`SNILS_UNCHECKED_UP_TO`]).
#[inline(always)]
fn snils_checked(d: [u8; 11]) -> Result<[u8; 11]> {
    let number = d[..9].iter().fold(0u32, |a, &b| a * 10 + u32::from(b - b'0'));
    if number == 0 {
        return Err(Error::InvalidSnils);
    }
    let control = u32::from(d[9] - b'0') * 10 + u32::from(d[10] - b'0');
    if number > SNILS_UNCHECKED_UP_TO && control != snils_control(&d) {
        return Err(Error::InvalidSnils);
    }
    Ok(d)
}

/// The SNILS control number of the first nine (ASCII) digits: the sum of digit × weight with
/// weights 9 down to 1; below 100 it is the sum, 100 and 101 give 00, above 101 the sum mod 101
/// (where 100 again gives 00).
pub(crate) fn snils_control(digits: &[u8]) -> u32 {
    let sum: u32 = digits[..9].iter().zip((1..=9u32).rev()).map(|(&b, w)| u32::from(b - b'0') * w).sum();
    match sum {
        0..100 => sum,
        100 | 101 => 0,
        _ => match sum % 101 {
            100 => 0,
            r => r,
        },
    }
}

/// Days from 1970-01-01 to the proleptic Gregorian date `y-m-d` (H. Hinnant's `days_from_civil`).
pub(crate) fn days_from_civil(y: u32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn is_leap(y: u32) -> bool {
    y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400))
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A strict `YYYY-MM-DD` date, year 1900 or later, not after the UTC date of `now` plus one day
/// (the portal's users live in time zones up to UTC+12, where "today" may already be tomorrow
/// in UTC).
#[cfg(test)]
fn parse_birth_date(text: &str, now: u64) -> Result<[u8; 10]> {
    parse_trimmed_birth_date(trim(text), now).copied()
}

/// The birth date check on trimmed text (the strict `YYYY-MM-DD` above). The date is the text
/// itself (its canonical form), borrowed: a copy returned out of the
/// function went through memory and was read back by wider loads than the stores that wrote
/// it, which the CPU cannot forward from its store buffer (issue 23).
#[inline(always)]
fn parse_trimmed_birth_date(text: &str, now: u64) -> Result<&[u8; 10]> {
    let bytes = text.as_bytes();
    let shape = bytes.len() == 10
        && bytes
            .iter()
            .enumerate()
            .all(|(i, &c)| if i == 4 || i == 7 { c == b'-' } else { c.is_ascii_digit() });
    if !shape {
        return Err(Error::InvalidBirthDate);
    }
    let num = |r: core::ops::Range<usize>| bytes[r].iter().fold(0u32, |a, &c| a * 10 + u32::from(c - b'0'));
    let (year, month, day) = (num(0..4), num(5..7), num(8..10));
    if year < MIN_BIRTH_YEAR || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Err(Error::InvalidBirthDate);
    }
    let today = i64::try_from(now / 86_400).unwrap_or(i64::MAX);
    if days_from_civil(year, month, day) > today.saturating_add(1) {
        return Err(Error::InvalidBirthDate);
    }
    <&[u8; 10]>::try_from(bytes).map_err(|_| Error::InvalidBirthDate)
}

#[cfg(test)]
#[allow(clippy::cast_possible_truncation)]
mod tests {
    use super::*;

    const NOW: u64 = 1_750_000_000; // 2025-06-15

    fn child<'a>(name: &'a str, date: &'a str, sex: &'a str, snils: &'a str) -> Child<'a> {
        Child::new(name, date, sex, snils)
    }

    fn ctx() -> Context {
        Context::new(&[0x42; 32], 1).unwrap()
    }

    #[test]
    fn missing_fields_are_reported_as_bits() {
        assert_eq!(Child::default().check(), Err(15));
        let c = child("Иванов Иван", " \t", "М", "");
        assert_eq!(c.check(), Err(FIELD_BIRTH_DATE | FIELD_SNILS));
        assert_eq!(c.validate(NOW), Err(Error::MissingField));
        assert_eq!(child("x", "2015-01-01", "\u{a0}", "112-233-445 95").check(), Err(FIELD_SEX));
        let dbg = std::format!("{c:?}");
        assert!(!dbg.contains("Иван") && dbg.contains("snils: \"missing\""), "{dbg}");
    }

    /// Control numbers computed by hand from the published algorithm.
    /// The fixed-place reader of the two usual SNILS shapes gives what the byte loop gives:
    /// random numbers in both shapes (valid and with a wrong control number), and every ASCII
    /// byte at every position of both shapes.
    #[test]
    fn snils_fixed_places_agree_with_the_loop() {
        let mut x = 3u64;
        for _ in 0..20_000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let n = (x >> 20) % 1_000_000_000;
            let c = if x & 1 == 0 {
                let d: std::vec::Vec<u8> = std::format!("{n:09}").into_bytes();
                snils_control(&d)
            } else {
                (x >> 8) as u32 % 100
            };
            let bare = std::format!("{n:09}{c:02}");
            let shown = std::format!("{}-{}-{} {}", &bare[..3], &bare[3..6], &bare[6..9], &bare[9..]);
            for t in [&bare, &shown] {
                assert!(snils_digits_at_fixed_places(t.as_bytes()).is_some(), "{t}");
                assert_eq!(parse_trimmed_snils(t), parse_snils_loop(t), "{t}");
            }
        }
        for t in ["112-233-445 95", "11223344595"] {
            for at in 0..t.len() {
                for b in 0u8..128 {
                    let mut v = t.as_bytes().to_vec();
                    v[at] = b;
                    let v = std::string::String::from_utf8(v).unwrap();
                    assert_eq!(parse_trimmed_snils(&v), parse_snils_loop(&v), "{v:?}");
                }
            }
        }
        for t in ["112 233 445 95", "112-233-44595", "1122334459", ""] {
            assert!(snils_digits_at_fixed_places(t.as_bytes()).is_none(), "{t}");
        }
    }

    #[test]
    fn snils_control_numbers() {
        assert_eq!(parse_snils("112-233-445 95").unwrap(), *b"11223344595");
        assert_eq!(parse_snils("11223344595").unwrap(), *b"11223344595");
        assert_eq!(parse_snils(" 112 233 445-95 ").unwrap(), *b"11223344595");
        assert_eq!(parse_snils("112-233-445 96"), Err(Error::InvalidSnils));
        assert_eq!(parse_snils("1122334459"), Err(Error::InvalidSnils), "10 digits");
        assert_eq!(parse_snils("112233445950"), Err(Error::InvalidSnils), "12 digits");
        assert_eq!(parse_snils("112.233.445 95"), Err(Error::InvalidSnils));
        assert_eq!(parse_snils("１12-233-445 95"), Err(Error::InvalidSnils), "fullwidth digit");
        assert_eq!(parse_snils("000-000-000 00"), Err(Error::InvalidSnils));
        // 087-654-303 00: sum = 0*9+8*8+7*7+6*6+5*5+4*4+3*3+0*2+3*1 = 202 → 202 mod 101 = 0.
        assert_eq!(snils_control(b"087654303"), 0);
        // 999-999-999: sum = 9*45 = 405 → 405 mod 101 = 1.
        assert_eq!(snils_control(b"999999999"), 1);
        // 900-000-090: sum = 9*9 + 9*2 = 99 → 99; then 100 and 101 → 00, 102 → 01.
        assert_eq!(snils_control(b"900000090"), 81 + 18);
        assert_eq!(snils_control(b"900000091"), 0);
        assert_eq!(snils_control(b"900000092"), 0, "sum 101");
        assert_eq!(snils_control(b"900000093"), 1, "sum 102");
    }

    #[test]
    fn snils_control_edge_sums() {
        // Build digit strings with a chosen weighted sum and check the mapping.
        for target in 0u32..=405 {
            // Greedy: weights 9..1, digits 0..9.
            let mut rest = target;
            let mut d = [b'0'; 9];
            for (i, w) in (1..=9u32).rev().enumerate() {
                let k = (rest / w).min(9);
                d[i] = b'0' + k as u8;
                rest -= k * w;
            }
            if rest != 0 {
                continue;
            }
            let expect = if target < 100 {
                target
            } else if target <= 101 || target % 101 == 100 {
                0
            } else {
                target % 101
            };
            assert_eq!(snils_control(&d), expect, "sum {target}");
        }
    }

    #[test]
    fn low_snils_numbers_are_not_checked() {
        assert!(parse_snils("001-001-998 77").is_ok());
        assert!(parse_snils("000-000-001 00").is_ok());
        assert_eq!(parse_snils("001-001-999 77"), Err(Error::InvalidSnils));
        let c = snils_control(b"001001999");
        let s = std::format!("001-001-999 {c:02}");
        assert!(parse_snils(&s).is_ok());
    }

    #[test]
    fn calendar() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2020, 1, 1), 18_262);
        assert_eq!(days_from_civil(1900, 1, 1), -25_567);
        let ok = |s: &str| parse_birth_date(s, NOW).is_ok();
        assert!(ok("2000-02-29") && ok("2024-02-29") && ok("1904-02-29"));
        assert!(!ok("1900-02-29") && !ok("2023-02-29") && !ok("2100-02-29"));
        assert!(ok("2023-04-30") && !ok("2023-04-31") && !ok("2023-13-01") && !ok("2023-00-10"));
        assert!(!ok("2023-01-00") && !ok("2023-1-01") && !ok("2023/01/01") && !ok("20230101"));
        assert!(!ok("1899-12-31") && ok("1900-01-01") && ok(" 2015-06-01 "));
        assert!(!ok("２０２３-01-01"));
        // NOW is 2025-06-15 (UTC); one day of tolerance for time zones east of UTC.
        assert!(ok("2025-06-15") && ok("2025-06-16") && !ok("2025-06-17") && !ok("9999-12-31"));
    }

    #[test]
    fn sex_forms() {
        for s in ["M", "m", "М", "м", " M "] {
            assert_eq!(parse_sex(s), Ok(b'M'), "{s}");
        }
        for s in ["F", "f", "Ж", "ж"] {
            assert_eq!(parse_sex(s), Ok(b'F'), "{s}");
        }
        for s in ["X", "MF", "male", "Ф", "W"] {
            assert_eq!(parse_sex(s), Err(Error::InvalidArgument), "{s}");
        }
    }

    #[test]
    fn validation_order() {
        assert_eq!(child("A", "2015-02-30", "X", "1").validate(NOW), Err(Error::InvalidBirthDate));
        assert_eq!(child("A", "2015-02-28", "X", "1").validate(NOW), Err(Error::InvalidArgument));
        assert_eq!(child("A", "2015-02-28", "F", "1").validate(NOW), Err(Error::InvalidSnils));
        assert_eq!(child("A", "2015-02-28", "F", "11223344595").validate(NOW), Ok(()));
    }

    #[test]
    fn cosmetic_differences_keep_the_fingerprint() {
        let base = child("Иванов Иван Иванович", "2015-03-08", "M", "112-233-445 95")
            .fingerprint(&ctx(), NOW)
            .unwrap();
        for (name, date, sex, snils) in [
            ("  иванов   ИВАН\tиванович ", "2015-03-08", "m", "11223344595"),
            ("ИВАНОВ\u{a0}ИВАН\nИВАНОВИЧ", " 2015-03-08", "М", "112 233 445 95"),
            ("Иванов Иван Иванович", "2015-03-08", "м", "112-233-44595"),
        ] {
            assert_eq!(child(name, date, sex, snils).fingerprint(&ctx(), NOW).unwrap(), base, "{name}");
        }
        let different = [
            child("Иванов Иван Петрович", "2015-03-08", "M", "112-233-445 95"),
            child("Иванова Иван Иванович", "2015-03-08", "M", "112-233-445 95"),
            child("ИвановИван Иванович", "2015-03-08", "M", "112-233-445 95"),
            child("Иванов Иван Иванович", "2015-03-09", "M", "112-233-445 95"),
            child("Иванов Иван Иванович", "2015-03-08", "F", "112-233-445 95"),
            child("Иванов Иван Иванович", "2015-03-08", "M", "087-654-303 00"),
            child("Иванов-Иван Иванович", "2015-03-08", "M", "112-233-445 95"),
        ];
        for c in different {
            assert_ne!(c.fingerprint(&ctx(), NOW).unwrap(), base);
        }
    }

    #[test]
    fn yo_and_decomposed_letters() {
        let fp = |n: &str| child(n, "2016-01-01", "F", "112-233-445 95").fingerprint(&ctx(), NOW).unwrap();
        let a = fp("Алёна Сергеевна Королёва");
        assert_eq!(a, fp("Алена Сергеевна Королева"));
        assert_eq!(a, fp("АЛЁНА СЕРГЕЕВНА КОРОЛЁВА"));
        assert_eq!(a, fp("Але\u{308}на Сергеевна Короле\u{308}ва"));
        let b = fp("Йоханссон Майя");
        assert_eq!(b, fp("И\u{306}оханссон Маи\u{306}я"));
        assert_eq!(b, fp("йоханссон МАЙЯ"));
        assert_ne!(b, fp("Иоханссон Майя"), "й and и differ");
        assert_eq!(fp("Anna-Maria O'Neil"), fp("ANNA-MARIA o'neil"));
    }

    /// The fingerprint is an HMAC under the link key of the context's current key (issue 20):
    /// not the unkeyed SHA-256 that layout version 2 stored, different under another master key
    /// or key id, the same under the same key; and the same as `keyed_fingerprint` with that
    /// key.
    #[test]
    fn fingerprint_is_keyed() {
        let c = child("Иванов Иван", "2015-03-01", "M", "112-233-445 95");
        let fp = c.fingerprint(&ctx(), NOW).unwrap();
        let unkeyed = crate::mac::hash::<Sha256>(&[
            b"portal-codes/child/v1\0",
            "иванов иван".as_bytes(),
            b"\0",
            b"2015-03-01M11223344595",
        ]);
        assert_ne!(fp[..], unkeyed[..FINGERPRINT_BYTES]);
        assert_eq!(fp, c.fingerprint(&ctx(), NOW).unwrap());
        assert_ne!(fp, c.fingerprint(&Context::new(&[0x43; 32], 1).unwrap(), NOW).unwrap(), "master key");
        assert_ne!(fp, c.fingerprint(&Context::new(&[0x42; 32], 2).unwrap(), NOW).unwrap(), "key id");
        let mut rotated = Context::new(&[0x17; 32], 2).unwrap();
        rotated.add_key(&[0x42; 32], 1).unwrap();
        let old = rotated.keys().get(Purpose::Link, 1).unwrap();
        assert_eq!(c.keyed_fingerprint(old, NOW).unwrap(), fp, "a verify-only key gives its own fingerprint");
        assert_ne!(c.fingerprint(&rotated, NOW).unwrap(), fp, "the current key is used");
    }
}
