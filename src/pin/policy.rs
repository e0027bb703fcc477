//! The PIN policy: format, confirmation, and weak PINs (blocklist and pattern rules).
//!
//! [`check`] refuses, in this order:
//!
//! 1. [`Error::PinFormat`]: not exactly one of the allowed lengths (`PIN_LENGTHS`, default 4
//!    and 6) of ASCII digits `0`–`9` (letters, spaces, full-width or Arabic-Indic digits, empty);
//! 2. [`Error::PinMismatch`]: the confirmation differs;
//! 3. [`Error::InvalidBirthDate`]: a birth date was given and is not a real `YYYY-MM-DD` date;
//! 4. [`Error::PinWeak`]: the first [`Weakness`] that applies (see [`weakness`]).
//!
//! The rules are evaluated at run time on the digits (a few dozen integer operations) and the
//! data-driven part is one bitset lookup ([`super::blocklist`]); nothing allocates, and the
//! whole check takes well under 200 ns.

use crate::context::Context;
use crate::error::{Error, Result};

/// Longest PIN any policy allows.
pub const MAX_PIN_LEN: usize = 6;

/// Why a PIN is refused as weak. The numeric values are the C `PCODES_PIN_WEAK_*` reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[repr(i32)]
pub enum Weakness {
    /// On the data-driven blocklist (the most frequently chosen PINs, see [`super::blocklist`]).
    Blocklist = 1,
    /// One digit repeated: `0000`, `777777`.
    RepeatedDigit = 2,
    /// An ascending or descending run, wrapping around 9–0: `1234`, `987654`, `7890`, `8901`.
    Sequence = 3,
    /// Straight lines on a phone keypad: `2580`, `0852`, `147258`, `159357`, `789456`.
    KeypadLine = 4,
    /// A repeated pair or half: `1212`, `121212`, `123123`.
    RepeatedHalves = 5,
    /// A plausible date: `DDMM` or `MMDD` (4 digits), `DDMMYY` (6 digits).
    Date = 6,
    /// A year from 1900 to 2039 (4 digits).
    Year = 7,
    /// Derived from the holder's birth date (see [`weakness`]).
    BirthDate = 8,
}

impl Weakness {
    /// Every reason, in value order.
    pub const ALL: [Weakness; 8] = [
        Weakness::Blocklist,
        Weakness::RepeatedDigit,
        Weakness::Sequence,
        Weakness::KeypadLine,
        Weakness::RepeatedHalves,
        Weakness::Date,
        Weakness::Year,
        Weakness::BirthDate,
    ];

    /// The C value (`PCODES_PIN_WEAK_*`).
    #[must_use]
    pub const fn code(self) -> i32 {
        self as i32
    }

    /// The reason for a C value; `None` for 0 and unknown values.
    #[must_use]
    pub fn from_code(code: i32) -> Option<Self> {
        Self::ALL.iter().copied().find(|w| w.code() == code)
    }

    /// A stable upper-case name, e.g. `"KEYPAD_LINE"` (NUL-terminated for the C API).
    pub(crate) fn name_nul(self) -> &'static str {
        match self {
            Weakness::Blocklist => "BLOCKLIST\0",
            Weakness::RepeatedDigit => "REPEATED_DIGIT\0",
            Weakness::Sequence => "SEQUENCE\0",
            Weakness::KeypadLine => "KEYPAD_LINE\0",
            Weakness::RepeatedHalves => "REPEATED_HALVES\0",
            Weakness::Date => "DATE\0",
            Weakness::Year => "YEAR\0",
            Weakness::BirthDate => "BIRTH_DATE\0",
        }
    }

    /// A stable upper-case name, e.g. `"KEYPAD_LINE"`.
    #[must_use]
    pub fn name(self) -> &'static str {
        let n = self.name_nul();
        &n[..n.len() - 1]
    }
}

/// A calendar date (the holder's birth date).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct BirthDate {
    year: u16,
    month: u8,
    day: u8,
}

impl core::fmt::Debug for BirthDate {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Personal data: do not print it.
        f.write_str("BirthDate(..)")
    }
}

const fn is_leap(y: u32) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

const fn days_in_month(month: u32, leap: bool) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    }
}

impl BirthDate {
    /// Parses `YYYY-MM-DD` (a real Gregorian date, year 1000–9999).
    ///
    /// # Errors
    /// [`Error::InvalidBirthDate`] otherwise.
    pub fn parse(s: &str) -> Result<Self> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(Error::InvalidBirthDate);
        }
        let num = |r: core::ops::Range<usize>| -> Result<u32> {
            b[r].iter().try_fold(0u32, |acc, &c| {
                if c.is_ascii_digit() {
                    Ok(acc * 10 + u32::from(c - b'0'))
                } else {
                    Err(Error::InvalidBirthDate)
                }
            })
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        if year < 1000 || day == 0 || day > days_in_month(month, is_leap(year)) {
            return Err(Error::InvalidBirthDate);
        }
        // The ranges were just checked, so the narrowing casts are exact.
        #[allow(clippy::cast_possible_truncation)]
        Ok(Self { year: year as u16, month: month as u8, day: day as u8 })
    }
}

/// The PIN as digits, if it is 1–6 ASCII digits.
fn digits(pin: &str) -> Option<([u8; MAX_PIN_LEN], usize)> {
    let b = pin.as_bytes();
    if b.is_empty() || b.len() > MAX_PIN_LEN || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut d = [0u8; MAX_PIN_LEN];
    for (o, c) in d.iter_mut().zip(b) {
        *o = c - b'0';
    }
    Some((d, b.len()))
}

/// The refusal of a PIN that [`format_ok`] refuses under the context's `PIN_LENGTHS`.
pub(crate) fn format_error() -> Error {
    Error::PinFormat
        .because(c"pin: not one of the lengths PCODES_SETTING_PIN_LENGTHS allows, or not all ASCII digits")
}

/// Whether `pin` has an allowed length (bit `len` of `lengths`) and only ASCII digits.
pub(crate) fn format_ok(pin: &str, lengths: u32) -> bool {
    let n = pin.len();
    n <= MAX_PIN_LEN && lengths >> n & 1 == 1 && pin.bytes().all(|c| c.is_ascii_digit())
}

fn value(d: &[u8]) -> u32 {
    d.iter().fold(0, |acc, &x| acc * 10 + u32::from(x))
}

/// Keypad position (row, column) of a digit: 1 2 3 / 4 5 6 / 7 8 9 / _ 0 _.
const fn key_pos(d: u8) -> (i8, i8) {
    if d == 0 {
        (3, 1)
    } else {
        #[allow(clippy::cast_possible_wrap)]
        let i = (d - 1) as i8;
        (i / 3, i % 3)
    }
}

/// Three or more keys in a straight line of adjacent keys (row, column or diagonal).
fn keypad_line(d: &[u8]) -> bool {
    let (r0, c0) = key_pos(d[0]);
    let (r1, c1) = key_pos(d[1]);
    let (dr, dc) = (r1 - r0, c1 - c0);
    if d.len() < 3 || dr.abs() > 1 || dc.abs() > 1 || (dr == 0 && dc == 0) {
        return false;
    }
    d.windows(2).all(|w| {
        let (a, b) = (key_pos(w[0]), key_pos(w[1]));
        b.0 - a.0 == dr && b.1 - a.1 == dc
    })
}

fn valid_day_month(day: u32, month: u32) -> bool {
    day >= 1 && day <= days_in_month(month, true)
}

/// The pattern rules, without the blocklist and the birth date.
fn rule(d: &[u8]) -> Option<Weakness> {
    let n = d.len();
    if d.iter().all(|&x| x == d[0]) {
        return Some(Weakness::RepeatedDigit);
    }
    let step = |s: u8| d.windows(2).all(|w| (w[0] + s) % 10 == w[1]);
    if step(1) || step(9) {
        return Some(Weakness::Sequence);
    }
    let line = match n {
        4 => keypad_line(d),
        6 => keypad_line(&d[..3]) && keypad_line(&d[3..]),
        _ => false,
    };
    if line {
        return Some(Weakness::KeypadLine);
    }
    // A period p of at most half the length: 1212, 121212, 123123.
    if (2..=n / 2).any(|p| n.is_multiple_of(p) && (p..n).all(|i| d[i] == d[i - p])) {
        return Some(Weakness::RepeatedHalves);
    }
    let two = |i: usize| u32::from(d[i]) * 10 + u32::from(d[i + 1]);
    match n {
        4 => {
            let v = value(d);
            if (1900..=2039).contains(&v) {
                return Some(Weakness::Year);
            }
            if valid_day_month(two(0), two(2)) || valid_day_month(two(2), two(0)) {
                return Some(Weakness::Date);
            }
        }
        6 if valid_day_month(two(0), two(2)) => return Some(Weakness::Date),
        _ => {}
    }
    None
}

/// Whether the PIN can be read off the birth date: for 4 digits `DDMM`, `MMDD`, `YYYY`, `MMYY`,
/// `YYMM`, `DDYY`, `YYDD`; for 6 digits `DDMMYY`, `MMDDYY`, `YYMMDD`, `YYDDMM`, `MMYYYY`,
/// `YYYYMM`, `DDYYYY`, `YYYYDD`, and `DMYYYY`/`MDYYYY` when day and month are single digits.
fn from_birth_date(d: &[u8], b: BirthDate) -> bool {
    let v = value(d);
    let (dd, mm, yyyy) = (u32::from(b.day), u32::from(b.month), u32::from(b.year));
    let yy = yyyy % 100;
    let cat = |parts: &[(u32, u32)]| parts.iter().fold(0u32, |acc, &(x, w)| acc * 10u32.pow(w) + x);
    match d.len() {
        4 => [
            cat(&[(dd, 2), (mm, 2)]),
            cat(&[(mm, 2), (dd, 2)]),
            yyyy,
            cat(&[(mm, 2), (yy, 2)]),
            cat(&[(yy, 2), (mm, 2)]),
            cat(&[(dd, 2), (yy, 2)]),
            cat(&[(yy, 2), (dd, 2)]),
        ]
        .contains(&v),
        6 => {
            let short = dd < 10
                && mm < 10
                && (v == cat(&[(dd, 1), (mm, 1), (yyyy, 4)]) || v == cat(&[(mm, 1), (dd, 1), (yyyy, 4)]));
            short
                || [
                    cat(&[(dd, 2), (mm, 2), (yy, 2)]),
                    cat(&[(mm, 2), (dd, 2), (yy, 2)]),
                    cat(&[(yy, 2), (mm, 2), (dd, 2)]),
                    cat(&[(yy, 2), (dd, 2), (mm, 2)]),
                    cat(&[(mm, 2), (yyyy, 4)]),
                    cat(&[(yyyy, 4), (mm, 2)]),
                    cat(&[(dd, 2), (yyyy, 4)]),
                    cat(&[(yyyy, 4), (dd, 2)]),
                ]
                .contains(&v)
        }
        _ => false,
    }
}

/// Why `pin` is weak, or `None` if it is not. `pin` must be 4 or 6 ASCII digits (anything else
/// is `None`: format is [`check`]'s business). Reasons are tried in this order: birth date,
/// repeated digit, sequence, keypad line, repeated halves, year, date, blocklist.
#[must_use]
pub fn weakness(pin: &str, birth_date: Option<BirthDate>) -> Option<Weakness> {
    let (d, n) = digits(pin)?;
    let d = &d[..n];
    if n != 4 && n != 6 {
        return None;
    }
    if birth_date.is_some_and(|b| from_birth_date(d, b)) {
        return Some(Weakness::BirthDate);
    }
    if let Some(w) = rule(d) {
        return Some(w);
    }
    super::blocklist::contains(n, value(d)).then_some(Weakness::Blocklist)
}

/// Checks a new PIN and its confirmation against the context's policy, with the reason as a
/// value of its own: `(verdict, weakness)`, where `weakness` is `Some` exactly when the verdict
/// is `Err(`[`Error::PinWeak`]`)`. This is the whole check (format, confirmation, birth date,
/// weakness, in that order): [`check`] and [`check_reason`] give its answer in their shapes, and
/// `pcodes_pin_check_reason` calls it and returns the verdict as its status and the weakness in
/// `*reason_out` (`PCODES_PIN_WEAK_NONE` for `None`).
///
/// # Errors
/// As [`check`], in the verdict.
pub fn check_weakness(
    ctx: &Context,
    pin: &str,
    confirm: &str,
    birth_date: Option<&str>,
) -> (Result<()>, Option<Weakness>) {
    crate::diag::clear(); // a call that succeeds leaves no detail behind
    if !format_ok(pin, ctx.policy().pin_lengths) {
        return (Err(format_error()), None);
    }
    if !crate::mac::ct_eq(pin.as_bytes(), confirm.as_bytes()) {
        return (Err(Error::PinMismatch), None);
    }
    let birth = match birth_date.map(BirthDate::parse).transpose() {
        Ok(b) => b,
        Err(e) => return (Err(e), None),
    };
    match weakness(pin, birth) {
        Some(w) => (Err(Error::PinWeak), Some(w)),
        None => (Ok(()), None),
    }
}

/// Checks a new PIN and its confirmation against the context's policy; on
/// [`Error::PinWeak`] also says why ([`check_weakness`] in the shape of a `Result`).
///
/// # Errors
/// As [`check`]; the [`Weakness`] is `Some` exactly when the error is [`Error::PinWeak`].
pub fn check_reason(
    ctx: &Context,
    pin: &str,
    confirm: &str,
    birth_date: Option<&str>,
) -> core::result::Result<(), (Error, Option<Weakness>)> {
    let (verdict, weakness) = check_weakness(ctx, pin, confirm, birth_date);
    verdict.map_err(|e| (e, weakness))
}

/// Checks a new PIN (typed twice) against the context's policy: format, confirmation,
/// blocklist and patterns, and, when `birth_date` (`YYYY-MM-DD`) is given, PINs derived from it.
///
/// # Errors
/// [`Error::PinFormat`], [`Error::PinMismatch`], [`Error::InvalidBirthDate`],
/// [`Error::PinWeak`] (see the module docs for the order).
pub fn check(ctx: &Context, pin: &str, confirm: &str, birth_date: Option<&str>) -> Result<()> {
    check_weakness(ctx, pin, confirm, birth_date).0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Setting;
    use std::collections::BTreeMap;
    use std::format;
    use std::string::{String, ToString};

    fn ctx() -> Context {
        Context::new(&[7; 32], 0).unwrap()
    }

    #[test]
    fn format_and_mismatch() {
        let c = ctx();
        for bad in ["", "1", "123", "12345", "1234567", "12a4", "12 4", " 1234", "１２３４", "١٢٣٤", "12.4"]
        {
            assert_eq!(check(&c, bad, bad, None), Err(Error::PinFormat), "{bad:?}");
        }
        assert_eq!(check(&c, "3861", "3862", None), Err(Error::PinMismatch));
        assert_eq!(check(&c, "3861", "38612", None), Err(Error::PinMismatch));
        assert_eq!(check(&c, "3861", "3861", None), Ok(()));
        assert_eq!(check(&c, "385027", "385027", None), Ok(()));
        let mut only6 = ctx();
        only6.set(Setting::PinLengths, 1 << 6).unwrap();
        assert_eq!(check(&only6, "3861", "3861", None), Err(Error::PinFormat));
        assert_eq!(check(&c, "3861", "3861", Some("1990-02-30")), Err(Error::InvalidBirthDate));
        assert_eq!(check(&c, "3861", "3861", Some("1990-2-3")), Err(Error::InvalidBirthDate));
        assert_eq!(check(&c, "3861", "3861", Some("2000-02-29")), Ok(()));
        assert_eq!(check(&c, "3861", "3861", Some("1900-02-29")), Err(Error::InvalidBirthDate));
    }

    /// Each rule refusing an example, with the reason reported.
    #[test]
    fn each_rule_refuses_an_example() {
        let c = ctx();
        let cases = [
            ("1234", Weakness::Sequence, None),
            ("7890", Weakness::Sequence, None),
            ("890123", Weakness::Sequence, None),
            ("3210", Weakness::Sequence, None),
            ("0000", Weakness::RepeatedDigit, None),
            ("555555", Weakness::RepeatedDigit, None),
            ("2580", Weakness::KeypadLine, None),
            ("0852", Weakness::KeypadLine, None),
            ("147258", Weakness::KeypadLine, None),
            ("159357", Weakness::KeypadLine, None),
            ("963852", Weakness::KeypadLine, None),
            ("4747", Weakness::RepeatedHalves, None),
            ("838383", Weakness::RepeatedHalves, None),
            ("497497", Weakness::RepeatedHalves, None),
            ("1987", Weakness::Year, None),
            ("2039", Weakness::Year, None),
            ("3112", Weakness::Date, None),
            ("1231", Weakness::Date, None),
            ("2902", Weakness::Date, None),
            ("310893", Weakness::Date, None),
            ("8725", Weakness::BirthDate, Some("1987-05-25")),
            ("250587", Weakness::BirthDate, Some("1987-05-25")),
            ("051987", Weakness::BirthDate, Some("1987-05-25")),
            ("371948", Weakness::BirthDate, Some("1948-07-03")),
            ("1325", Weakness::Blocklist, None),
            ("777000", Weakness::Blocklist, None),
        ];
        for (pin, why, birth) in cases {
            assert_eq!(check_reason(&c, pin, pin, birth), Err((Error::PinWeak, Some(why))), "{pin}");
            assert_eq!(check(&c, pin, pin, birth), Err(Error::PinWeak), "{pin}");
        }
        // The birth-date rule needs the birth date.
        assert_eq!(check(&c, "8725", "8725", None), Ok(()));
        assert_eq!(check(&c, "8725", "8725", Some("1987-05-26")), Ok(()));
        // Not weak: no rule and not on the list.
        for pin in ["3861", "385027", "7319", "846204"] {
            assert_eq!(weakness(pin, None), None, "{pin}");
        }
    }

    #[test]
    fn weakness_names_and_codes() {
        for (i, w) in Weakness::ALL.iter().enumerate() {
            assert_eq!(w.code(), i32::try_from(i).unwrap() + 1);
            assert_eq!(Weakness::from_code(w.code()), Some(*w));
            assert!(w.name().chars().all(|c| c.is_ascii_uppercase() || c == '_'));
        }
        assert_eq!(Weakness::from_code(0), None);
        assert_eq!(Weakness::KeypadLine.name(), "KEYPAD_LINE");
        assert_eq!(format!("{:?}", BirthDate::parse("1990-01-02").unwrap()), "BirthDate(..)");
    }

    /// The pattern rules re-derived independently, by generating each rule's PINs as strings,
    /// and compared with the run-time rules over the whole 4- and 6-digit spaces.
    #[test]
    fn rules_match_an_independent_derivation_exhaustively() {
        let mut expected: BTreeMap<String, Weakness> = BTreeMap::new();
        let mut add = |s: String, w: Weakness| {
            expected.entry(s).or_insert(w);
        };
        // Generated in priority order, so the first insertion wins like the run-time order.
        for n in [4usize, 6] {
            for c in '0'..='9' {
                add(c.to_string().repeat(n), Weakness::RepeatedDigit);
            }
        }
        for n in [4usize, 6] {
            for start in 0..10u32 {
                let up: String =
                    (0..n as u32).map(|i| char::from_digit((start + i) % 10, 10).unwrap()).collect();
                let down: String = (0..n as u32)
                    .map(|i| char::from_digit((start + 10 - i % 10) % 10, 10).unwrap())
                    .collect();
                add(up, Weakness::Sequence);
                add(down, Weakness::Sequence);
            }
        }
        let lines3 = ["123", "456", "789", "147", "258", "369", "159", "357", "580"];
        let mut lines: std::vec::Vec<String> = std::vec::Vec::new();
        for l in lines3 {
            lines.push(l.into());
            lines.push(l.chars().rev().collect());
        }
        add("2580".into(), Weakness::KeypadLine);
        add("0852".into(), Weakness::KeypadLine);
        for a in &lines {
            for b in &lines {
                add(format!("{a}{b}"), Weakness::KeypadLine);
            }
        }
        for x in 0..100 {
            add(format!("{x:02}{x:02}"), Weakness::RepeatedHalves);
            add(format!("{x:02}{x:02}{x:02}"), Weakness::RepeatedHalves);
        }
        for x in 0..1000 {
            add(format!("{x:03}{x:03}"), Weakness::RepeatedHalves);
        }
        for y in 1900..=2039 {
            add(format!("{y}"), Weakness::Year);
        }
        let mdays = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        for (m, &days) in (1..=12).zip(&mdays) {
            for d in 1..=days {
                add(format!("{d:02}{m:02}"), Weakness::Date);
                add(format!("{m:02}{d:02}"), Weakness::Date);
                for y in 0..100 {
                    add(format!("{d:02}{m:02}{y:02}"), Weakness::Date);
                }
            }
        }
        let mut counts = [0usize; 2];
        for (i, n) in [4usize, 6].into_iter().enumerate() {
            for v in 0..10u32.pow(n as u32) {
                let s = format!("{v:0n$}");
                let d: std::vec::Vec<u8> = s.bytes().map(|c| c - b'0').collect();
                let got = rule(&d);
                assert_eq!(got, expected.get(&s).copied(), "{s}");
                counts[i] += usize::from(got.is_some());
            }
        }
        std::println!("pattern rules cover {} of 10^4 and {} of 10^6 PINs", counts[0], counts[1]);
    }

    /// Size and coverage of the whole weak-PIN check (blocklist ∪ rules), and its speed.
    #[test]
    fn coverage_report() {
        for n in [4usize, 6] {
            let space = 10u32.pow(n as u32);
            let (mut list, mut rules, mut union) = (0u32, 0u32, 0u32);
            for v in 0..space {
                let s = format!("{v:0n$}");
                let d: std::vec::Vec<u8> = s.bytes().map(|c| c - b'0').collect();
                let l = super::super::blocklist::contains(n, v);
                let r = rule(&d).is_some();
                list += u32::from(l);
                rules += u32::from(r);
                union += u32::from(l || r);
                assert_eq!(weakness(&s, None).is_some(), l || r);
            }
            let pct = |x: u32| f64::from(x) * 100.0 / f64::from(space);
            std::println!(
                "{n}-digit: bitset {} bytes; blocklist {list} ({:.1}%), rules {rules} ({:.1}%), refused in all {union} ({:.1}%)",
                space / 8,
                pct(list),
                pct(rules),
                pct(union)
            );
            assert!((8.0..20.0).contains(&pct(union)), "{n}: {}", pct(union));
        }
        let c = ctx();
        let pins = ["385027", "846204", "147258", "3861", "250587"];
        let rounds = 20_000u32;
        let t = std::time::Instant::now();
        for i in 0..rounds {
            let p = pins[i as usize % pins.len()];
            let _ = core::hint::black_box(check(&c, core::hint::black_box(p), p, Some("1987-05-25")));
        }
        let ns = t.elapsed().as_nanos() / u128::from(rounds);
        std::println!("pin check: {ns} ns per call (this build's profile)");
    }
}
