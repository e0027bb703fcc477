//! Tests of [`super`]: every generated PIN passes `check`; a chi-square test over 10^6 seeded
//! draws shows uniformity over the accepted set (and catches a sampler that is not uniform);
//! the bounded loop; the refusals.
// Counts of at most 10^6 and draw numbers of at most 64: exact in f64 and i32.
#![allow(clippy::cast_precision_loss, clippy::cast_possible_wrap)]

use super::*;
use crate::pin::check;
use crate::policy::Setting;
use crate::rng::{ChaCha20Rng, SeedableRng};
use rand_chacha::rand_core::{TryCryptoRng, TryRng};
use std::vec::Vec;

fn ctx() -> Context {
    Context::new(&[7; 32], 0).unwrap()
}

/// A birth date whose forms (`DDMM`, `MMYY`, …) are all otherwise acceptable PINs in part.
const BIRTH: &str = "1987-05-25";

/// Which of the `length`-digit PINs `check(ctx, pin, pin, birth)` accepts, by value: the set the
/// generator must be uniform over, computed with the public check (not with `weakness`).
fn accepted_set(c: &Context, length: u32, birth: Option<&str>) -> Vec<bool> {
    let n = length as usize;
    let mut buf = [b'0'; 6];
    (0..10u32.pow(length))
        .map(|v| {
            let mut x = v;
            for d in buf[..n].iter_mut().rev() {
                *d = b'0' + (x % 10) as u8;
                x /= 10;
            }
            let s = core::str::from_utf8(&buf[..n]).unwrap();
            check(c, s, s, birth).is_ok()
        })
        .collect()
}

/// The upper critical value of the chi-square distribution with `df` degrees of freedom at
/// significance 0.001 (Wilson–Hilferty: 148.29 for 99 degrees where the exact value is 148.23,
/// 9,355.86 for 8,937 where it is 9,355.85; see `critical_values_match_the_exact_ones`).
fn chi2_critical_0_001(df: f64) -> f64 {
    const Z: f64 = 3.090_232; // the standard normal's upper 0.001 quantile
    let a = 2.0 / (9.0 * df);
    df * (1.0 - a + Z * a.sqrt()).powi(3)
}

/// The approximation against exact quantiles (the standard table's 148.230 for 99 degrees of
/// freedom; 9,351.758 and 9,355.851 for 8,933 and 8,937, computed from the regularized incomplete
/// gamma function in double precision with Python's standard library).
#[test]
fn critical_values_match_the_exact_ones() {
    for (df, exact) in [(99.0, 148.230), (8_933.0, 9_351.758), (8_937.0, 9_355.851)] {
        let got = chi2_critical_0_001(df);
        assert!((got - exact).abs() < 0.1, "{df}: {got} vs {exact}");
    }
}

/// Pearson's statistic of `counts` against `expected` (bins with zero expectation must be empty,
/// else the statistic is infinite).
fn chi2(counts: &[u64], expected: &[f64]) -> f64 {
    counts
        .iter()
        .zip(expected)
        .map(|(&o, &e)| {
            let o = o as f64;
            if e == 0.0 { if o == 0.0 { 0.0 } else { f64::INFINITY } } else { (o - e) * (o - e) / e }
        })
        .sum()
}

/// Draws `draws` 4-digit PINs with `sample` and returns (chi-square statistic over the accepted
/// set, its critical value at 0.001, how many drawn PINs `check` refuses, how many accepted PINs
/// were never drawn).
fn four_digit_chi2(allowed: &[bool], draws: u32, mut sample: impl FnMut() -> u32) -> (f64, f64, u64, usize) {
    let mut counts = std::vec![0u64; 10_000];
    for _ in 0..draws {
        counts[sample() as usize] += 1;
    }
    let refused: u64 = counts.iter().zip(allowed).filter(|&(_, &a)| !a).map(|(&c, _)| c).sum();
    let missing = counts.iter().zip(allowed).filter(|&(&c, &a)| a && c == 0).count();
    let k = allowed.iter().filter(|&&a| a).count();
    let e = f64::from(draws) / k as f64;
    let expected: Vec<f64> = allowed.iter().map(|&a| if a { e } else { 0.0 }).collect();
    (chi2(&counts, &expected), chi2_critical_0_001((k - 1) as f64), refused, missing)
}

/// The developer detail the last call left is `want` (none is recorded without `std`).
fn expect_detail(want: &str) {
    #[cfg(feature = "std")]
    assert_eq!(crate::diag::last_error_detail(), want);
    #[cfg(not(feature = "std"))]
    let _ = want;
}

fn value(p: &GeneratedPin) -> u32 {
    p.as_str().parse().unwrap()
}

#[test]
fn every_generated_pin_passes_check() {
    let mut rng = ChaCha20Rng::from_seed([1; 32]);
    let mut only4 = ctx();
    only4.set(Setting::PinLengths, 1 << 4).unwrap();
    let mut only6 = ctx();
    only6.set(Setting::PinLengths, 1 << 6).unwrap();
    let c = ctx();
    let cases = [(&c, 4), (&c, 6), (&only4, 4), (&only6, 6)];
    for (c, length) in cases {
        for birth in [None, Some(BIRTH), Some("2000-01-01"), Some("1948-07-03")] {
            for _ in 0..20_000 {
                let p = generate_with_rng(c, length, birth, &mut rng).unwrap();
                assert_eq!(p.len(), length as usize);
                assert!(!p.is_empty() && p.as_str().bytes().all(|b| b.is_ascii_digit()));
                assert_eq!(check(c, p.as_str(), p.as_str(), birth), Ok(()), "{}", p.as_str());
            }
        }
    }
    // The thread's OS-seeded generator too.
    #[cfg(feature = "std")]
    for length in [4, 6] {
        for _ in 0..2_000 {
            let p = generate(&c, length, Some(BIRTH)).unwrap();
            assert_eq!(check(&c, p.as_str(), p.as_str(), Some(BIRTH)), Ok(()));
        }
    }
    expect_detail("");
}

/// 10^6 seeded draws of 4-digit PINs, without and with a birth date: each accepted PIN counted,
/// Pearson's chi-square against the uniform distribution over the accepted set below the
/// critical value at significance 0.001, and no PIN that `check` refuses ever drawn.
#[test]
fn chi_square_uniform_over_the_accepted_4_digit_set() {
    let c = ctx();
    let mut rng = ChaCha20Rng::from_seed([0x23; 32]);
    for birth in [None, Some(BIRTH)] {
        let allowed = accepted_set(&c, 4, birth);
        let (stat, critical, refused, missing) = four_digit_chi2(&allowed, 1_000_000, || {
            value(&generate_with_rng(&c, 4, birth, &mut rng).unwrap())
        });
        std::println!(
            "4 digits, birth {birth:?}: {} accepted PINs, chi-square {stat:.1} (critical {critical:.1} at 0.001)",
            allowed.iter().filter(|&&a| a).count()
        );
        assert_eq!(refused, 0, "a PIN check refuses was drawn");
        assert_eq!(missing, 0, "an accepted PIN was never drawn (about 112 draws each expected)");
        assert!(stat < critical, "not uniform: {stat} >= {critical}");
        // And not suspiciously regular either (lower 0.001 tail: about df - 3.09·sqrt(2·df)).
        let df = (allowed.iter().filter(|&&a| a).count() - 1) as f64;
        assert!(stat > df - 3.1 * (2.0 * df).sqrt(), "too regular: {stat}");
    }
}

/// The chi-square test above can fail: the same statistic for a sampler that moves a refused
/// candidate to the next accepted PIN (a natural shortcut that is not uniform: the PIN after a
/// run of refused ones gets their weight) is far above the critical value, and a sampler that
/// never refuses draws refused PINs.
#[test]
fn the_chi_square_test_catches_samplers_that_are_not_uniform() {
    let c = ctx();
    let allowed = accepted_set(&c, 4, None);
    let mut rng = ChaCha20Rng::from_seed([0x24; 32]);
    let next_accepted = |rng: &mut ChaCha20Rng| {
        let mut v = crate::rng::uniform_below(rng, 10_000);
        while !allowed[v as usize] {
            v = (v + 1) % 10_000;
        }
        v
    };
    let (stat, critical, refused, _) = four_digit_chi2(&allowed, 1_000_000, || next_accepted(&mut rng));
    std::println!("'next accepted' sampler: chi-square {stat:.1} (critical {critical:.1})");
    assert_eq!(refused, 0);
    assert!(stat > critical * 1.5, "the biased sampler passed: {stat} vs {critical}");
    let (_, _, refused, _) =
        four_digit_chi2(&allowed, 100_000, || crate::rng::uniform_below(&mut rng, 10_000));
    assert!(refused > 10_000, "{refused}");
}

/// 10^6 seeded draws of 6-digit PINs: none refused by `check`, and the counts per leading pair
/// of digits (100 bins) fit the number of accepted PINs in each bin (chi-square, 0.001).
#[test]
fn six_digit_pins_are_accepted_and_spread_as_the_accepted_set() {
    let c = ctx();
    let allowed = accepted_set(&c, 6, Some(BIRTH));
    let k = allowed.iter().filter(|&&a| a).count();
    let mut per_bin = [0u64; 100];
    for (v, _) in allowed.iter().enumerate().filter(|&(_, &a)| a) {
        per_bin[v / 10_000] += 1;
    }
    let mut rng = ChaCha20Rng::from_seed([0x66; 32]);
    let draws = 1_000_000u32;
    let mut counts = [0u64; 100];
    for _ in 0..draws {
        let v = value(&generate_with_rng(&c, 6, Some(BIRTH), &mut rng).unwrap()) as usize;
        assert!(allowed[v], "{v:06} is refused by check");
        counts[v / 10_000] += 1;
    }
    let expected: Vec<f64> = per_bin.iter().map(|&n| f64::from(draws) * n as f64 / k as f64).collect();
    let stat = chi2(&counts, &expected);
    let critical = chi2_critical_0_001(99.0);
    std::println!(
        "6 digits, birth date: {k} accepted PINs, leading-pair chi-square {stat:.1} (critical {critical:.1})"
    );
    assert!(stat < critical, "{stat} >= {critical}");
}

/// The acceptance rates with the real blocklist and rules, and the bound they give the loop: a
/// birth date removes at most 7 (4 digits) or 10 (6 digits) more PINs (its forms in
/// `policy::from_birth_date`), so even then a working generator runs out of draws with
/// probability below 2^-200. The module docs quote these figures.
#[test]
fn acceptance_rates_bound_the_loop() {
    let c = ctx();
    for (length, forms, floor) in [(4u32, 7usize, 0.893), (6, 10, 0.892)] {
        let space = 10usize.pow(length);
        let plain = accepted_set(&c, length, None).iter().filter(|&&a| a).count();
        let mut removed = 0;
        // A few birth dates remove no more than their forms.
        // (One date for 6 digits, each of whose sets takes 10^6 checks.)
        let dates: &[&str] = if length == 4 {
            &[BIRTH, "2000-01-01", "1948-07-03", "1999-12-31", "2010-10-10"]
        } else {
            &["1948-07-03"]
        };
        for &birth in dates {
            let with = accepted_set(&c, length, Some(birth)).iter().filter(|&&a| a).count();
            assert!(plain - with <= forms, "{birth}: {plain} - {with}");
            removed = removed.max(plain - with);
        }
        let worst = (plain - forms) as f64 / space as f64;
        let miss = (1.0 - worst).powi(GENERATE_MAX_DRAWS as i32);
        std::println!(
            "{length} digits: {plain} of {space} accepted ({:.2} %), a birth date removed up to {removed} more, \
             at least {:.2} % with any birth date; \
             P(no PIN in {GENERATE_MAX_DRAWS} draws) <= 2^{:.1}; mean draws {:.3}",
            plain as f64 * 100.0 / space as f64,
            worst * 100.0,
            miss.log2(),
            1.0 / worst
        );
        assert!(worst >= floor, "{length}: {worst} below the documented {floor}");
        assert!(miss < 2f64.powi(-200), "{length}: {miss}");
    }
}

/// A generator that hands out one value forever, counting the draws.
struct Stuck(u32, u32);

impl TryRng for Stuck {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> core::result::Result<u32, Self::Error> {
        self.1 += 1;
        Ok(self.0)
    }
    fn try_next_u64(&mut self) -> core::result::Result<u64, Self::Error> {
        Ok(u64::from(self.try_next_u32()?))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> core::result::Result<(), Self::Error> {
        dst.fill(0);
        Ok(())
    }
}
impl TryCryptoRng for Stuck {}

/// A broken generator (always a refused PIN, or always a draw above the unbiased zone) gets
/// `RNG_FAILURE` after exactly `GENERATE_MAX_DRAWS` draws: the loop is bounded. A generator that
/// gives an accepted PIN is taken at its first draw.
#[test]
fn a_broken_generator_ends_in_rng_failure() {
    let c = ctx();
    // 0 → "0000" / "000000" (repeated digit); u32::MAX is above the zone for both lengths.
    for (value, length) in [(0, 4), (0, 6), (u32::MAX, 4), (u32::MAX, 6), (1_987, 4)] {
        let mut rng = Stuck(value, 0);
        assert_eq!(generate_with_rng(&c, length, None, &mut rng).map(drop), Err(Error::RngFailure));
        assert_eq!(rng.1, GENERATE_MAX_DRAWS, "{value} {length}");
    }
    // "8725" is accepted, except for a holder born on 1987-05-25.
    let mut rng = Stuck(8_725, 0);
    assert_eq!(generate_with_rng(&c, 4, None, &mut rng).unwrap().as_str(), "8725");
    assert_eq!(rng.1, 1);
    assert_eq!(generate_with_rng(&c, 4, Some(BIRTH), &mut Stuck(8_725, 0)).map(drop), Err(Error::RngFailure));
    // The value modulo 10^length, leading zeros kept: 3·10^9 + 47,385 → "047385" (6 digits),
    // 10^6 + 47 → "0047" (4 digits).
    assert_eq!(generate_with_rng(&c, 6, None, &mut Stuck(3_000_047_385, 0)).unwrap().as_str(), "047385");
    assert_eq!(generate_with_rng(&c, 4, None, &mut Stuck(1_000_047, 0)).unwrap().as_str(), "0047");
}

#[test]
fn refusals() {
    let c = ctx();
    let mut rng = ChaCha20Rng::from_seed([2; 32]);
    for length in [0, 1, 3, 5, 7, 8, 10, u32::MAX] {
        assert_eq!(generate_with_rng(&c, length, None, &mut rng).map(drop), Err(Error::InvalidArgument));
        expect_detail("length: must be 4 or 6");
    }
    let mut only6 = ctx();
    only6.set(Setting::PinLengths, 1 << 6).unwrap();
    assert_eq!(generate_with_rng(&only6, 4, None, &mut rng).map(drop), Err(Error::InvalidArgument));
    expect_detail("length: not allowed by PCODES_SETTING_PIN_LENGTHS");
    assert!(generate_with_rng(&only6, 6, None, &mut rng).is_ok());
    expect_detail("");
    for bad in ["1990-02-30", "1990-2-3", "", "19900203", "1900-02-29", "абвг-де-жз"] {
        assert_eq!(
            generate_with_rng(&c, 4, Some(bad), &mut rng).map(drop),
            Err(Error::InvalidBirthDate),
            "{bad}"
        );
    }
    // The length is checked first, then the birth date, before anything is drawn.
    let mut stuck = Stuck(0, 0);
    assert_eq!(generate_with_rng(&c, 5, Some("x"), &mut stuck).map(drop), Err(Error::InvalidArgument));
    assert_eq!(generate_with_rng(&c, 4, Some("x"), &mut stuck).map(drop), Err(Error::InvalidBirthDate));
    assert_eq!(stuck.1, 0);
    assert_eq!(generate_check(&c, 6, Some(BIRTH)).map(|b| b.is_some()), Ok(true));
}

#[test]
fn debug_hides_the_digits() {
    let p = generate_with_rng(&ctx(), 6, None, &mut Stuck(385_027, 0)).unwrap();
    assert_eq!(p.as_str(), "385027");
    assert_eq!(std::format!("{p:?}"), "GeneratedPin(6 digits)");
    assert_eq!(GENERATE_BYTES, 7);
}
