//! Failures that fade, and a budget that a success does not renew (issue 22 §2; `docs/security.md`,
//! "Failures that fade, and a budget a success does not renew"), through the public API:
//!
//! - the fade at its boundary second, for an attempt of every flow that counts (`FAILURE_RESET_SECONDS`);
//! - the budget at its boundary seconds (`BUDGET_GUESSES`, `BUDGET_DRAIN_SECONDS`);
//! - the year: the patient attacker of the issue (up to 14 wrong guesses a day, waiting out every
//!   lock, the owner logging in daily) and an owner who mistypes once a week, per PIN length,
//!   against this release and against the rules before it (the counter a success cleared);
//!   the figures are generated into `docs/security.md` (`PCODES_BLESS=1` rewrites them);
//! - every allowed setting keeps `GUESSES_PER_YEAR`: the fastest attacker the policy allows, for
//!   a year, against each flow with the settings at their most permissive.

use portal_codes::link::{self, Child};
use portal_codes::policy::{GUESSES_PER_YEAR, YEAR_SECONDS};
use portal_codes::rng::{ChaCha20Rng, SeedableRng};
use portal_codes::state::{Kind, State};
use portal_codes::totp::{self, Algorithm, Params};
use portal_codes::{Context, Error, STATE_BYTES, Setting, device, otp, pin, retry_at};

type Blob = [u8; STATE_BYTES];
const T0: u64 = 1_780_000_000;
const DAY: u64 = 86_400;

fn ctx() -> Context {
    let mut c = Context::new(&[0x42; 32], 1).unwrap();
    c.set(Setting::PinIterations, 10_000).unwrap();
    c
}

fn failures(b: &Blob, kind: Kind) -> u16 {
    State::decode(b, kind).unwrap().failures
}

/// A run of four failures fades at exactly `FAILURE_RESET_SECONDS` after its last one: a
/// failure one second earlier is the fifth and locks, one at the boundary starts a new run.
/// For every flow whose attempts count.
#[test]
fn a_run_fades_at_its_boundary_second() {
    let c = ctx();
    let reset = Setting::FailureResetSeconds.default_value();
    let stored = pin::hash(&c, "alice", "4826").unwrap();
    let kid = Child::new("Иванов Иван", "2015-03-01", "M", "112-233-445 95");
    let forged = link::issue(&Context::new(&[0x43; 32], 1).unwrap(), 7, &kid, T0, &mut [0; 64]).unwrap();
    let secret = b"12345678901234567890";
    // (kind, a fresh blob, one wrong attempt at `now`)
    type Try<'a> = Box<dyn Fn(u64, &mut Blob) -> Result<(), Error> + 'a>;
    let mut issued = [0u8; STATE_BYTES];
    link::issue(&c, 7, &kid, T0, &mut issued).unwrap();
    let flows: Vec<(Kind, Blob, Try)> = vec![
        (Kind::Pin, [0; 64], Box::new(|t, b| pin::verify(&c, "alice", "1357", stored.as_str(), t, b))),
        (Kind::Link, issued, Box::new(|t, b| link::redeem(&c, forged.as_str(), &kid, t, b))),
        (
            Kind::Hotp,
            [0; 64],
            Box::new(|t, b| totp::hotp::verify(&c, secret, Algorithm::Sha1, 6, "000000", t, b).map(drop)),
        ),
    ];
    for (kind, fresh, attempt) in &flows {
        let mut b = *fresh;
        for i in 0..4 {
            assert_eq!(attempt(T0 + i, &mut b), Err(Error::Wrong), "{kind:?}");
        }
        let last = T0 + 3;
        let mut early = b;
        assert_eq!(attempt(last + reset - 1, &mut early), Err(Error::Wrong));
        assert_eq!(failures(&early, *kind), 5, "{kind:?}: one second before the fade, the run goes on");
        assert_eq!(retry_at(&early, last + reset - 1), Ok(last + reset - 1 + 900), "{kind:?}: locked");
        let mut at = b;
        assert_eq!(attempt(last + reset, &mut at), Err(Error::Wrong));
        assert_eq!(failures(&at, *kind), 1, "{kind:?}: at the boundary second a new run starts");
        assert_eq!(retry_at(&at, last + reset), Ok(0), "{kind:?}: no lock");
    }

    // A block never fades; 0 = never fades.
    let mut b = [0u8; STATE_BYTES];
    for t in [T0, T0 + 900, T0 + 2700] {
        for _ in 0..5 {
            assert_eq!(pin::verify(&c, "alice", "1357", stored.as_str(), t, &mut b), Err(Error::Wrong));
        }
    }
    assert_eq!(
        pin::verify(&c, "alice", "4826", stored.as_str(), T0 + 10 * YEAR_SECONDS, &mut b),
        Err(Error::Blocked)
    );
    let mut never = ctx();
    never.set(Setting::FailureResetSeconds, 0).unwrap();
    let mut b = [0u8; STATE_BYTES];
    for t in [T0, T0 + 1, T0 + 2, T0 + 3, T0 + YEAR_SECONDS] {
        assert_eq!(pin::verify(&never, "alice", "1357", stored.as_str(), t, &mut b), Err(Error::Wrong));
    }
    assert_eq!(failures(&b, Kind::Pin), 5, "FAILURE_RESET_SECONDS = 0: a year later the run goes on");
}

/// The budget at its boundary seconds, with runs that fade at once (so only the budget limits):
/// `BUDGET_GUESSES` wrong guesses are answered, the next attempt is `LOCKED` until exactly one
/// drain period after the first charge, then one guess per period; a success does not renew it.
#[test]
fn the_budget_at_its_boundary_seconds() {
    let mut c = ctx();
    c.set(Setting::FailureResetSeconds, 1).unwrap();
    let cap = Setting::BudgetGuesses.default_value();
    let d = Setting::BudgetDrainSeconds.default_value();
    let stored = pin::hash(&c, "alice", "4826").unwrap();
    let verify = |p: &str, t: u64, b: &mut Blob| pin::verify(&c, "alice", p, stored.as_str(), t, b);
    let mut b = [0u8; STATE_BYTES];
    // Guesses one second apart: each run fades before the next guess, so no run ever locks.
    for i in 0..cap - 1 {
        assert_eq!(verify("1357", T0 + 2 * i, &mut b), Err(Error::Wrong), "guess {i}");
        assert_eq!(retry_at(&b, T0 + 2 * i), Ok(0), "guess {i}: not locked");
    }
    // A success does not renew the budget.
    assert_eq!(verify("4826", T0 + 2 * cap, &mut b), Ok(()));
    assert_eq!(State::decode(&b, Kind::Pin).unwrap().budget, u8::try_from(cap - 1).unwrap());
    let last = T0 + 2 * cap + 2;
    assert_eq!(verify("1357", last, &mut b), Err(Error::Wrong), "the last guess of the budget");
    assert_eq!(retry_at(&b, last), Ok(T0 + d), "locked until one guess has drained");
    assert_eq!(verify("4826", T0 + d - 1, &mut b), Err(Error::Locked), "the owner too, until then");
    assert_eq!(verify("1357", T0 + d, &mut b), Err(Error::Wrong), "at the boundary second: one guess");
    assert_eq!(retry_at(&b, T0 + d), Ok(T0 + 2 * d));
    assert_eq!(verify("1357", T0 + 2 * d - 1, &mut b), Err(Error::Locked));
    // Drained in whole periods from the first charge, whatever came between.
    assert_eq!(verify("1357", T0 + 2 * d, &mut b), Err(Error::Wrong));
    assert_eq!(retry_at(&b, T0 + 2 * d), Ok(T0 + 3 * d));
    // After a quiet `cap` periods the whole budget is back.
    let later = T0 + 3 * d + cap * d;
    for i in 0..cap {
        assert_eq!(verify("1357", later + 2 * i, &mut b), Err(Error::Wrong), "refilled: guess {i}");
    }
    assert_eq!(verify("1357", later + 2 * cap, &mut b), Err(Error::Locked));
    // Only a reset empties it.
    portal_codes::reset(&mut b).unwrap();
    assert_eq!(b, [0; STATE_BYTES]);
}

// ---- The year ----

/// An account the simulation plays against: this release's `pin::verify`, or the rules before
/// layout 4 (a consecutive-failure counter that a success cleared and that never faded).
trait Account {
    fn verify(&mut self, pin: &str, now: u64) -> Result<(), Error>;
    fn retry_at(&self, now: u64) -> u64;
    /// The owner's attempt: the same as anyone's, unless the owner has a trusted device.
    fn owner_verify(&mut self, pin: &str, now: u64) -> Result<(), Error> {
        self.verify(pin, now)
    }
}

/// This release with device trust (issue 22 §3): the attacker, with no device token, as
/// [`Release`]; the owner presents the token of the phone trusted before the year began, which
/// `device::pin_verify` counts in the account's device blob (the trusted lane).
struct Trusted {
    untrusted: Release,
    token: String,
    device: Blob,
}

impl Account for Trusted {
    fn verify(&mut self, p: &str, now: u64) -> Result<(), Error> {
        self.untrusted.verify(p, now)
    }
    fn retry_at(&self, now: u64) -> u64 {
        self.untrusted.retry_at(now)
    }
    fn owner_verify(&mut self, p: &str, now: u64) -> Result<(), Error> {
        let u = &self.untrusted;
        device::pin_verify(&u.ctx, "alice", p, u.stored.as_str(), self.token.as_str(), now, &mut self.device)
    }
}

fn trusted(digits: usize) -> Trusted {
    let mut untrusted = release(digits);
    // A device token lives at most DEVICE_TRUST_SECONDS (the longest allowed: 400 days).
    untrusted.ctx.set(Setting::DeviceTrustSeconds, Setting::DeviceTrustSeconds.range().1).unwrap();
    let mut device = [0; STATE_BYTES];
    let token = device::issue(&untrusted.ctx, "alice", T0, &mut device).unwrap().as_str().to_owned();
    Trusted { untrusted, token, device }
}

/// This release through the two-phase protocol (`verify_begin`, then `verify_apply` of the
/// verdict `verify_compute` gave for that PIN once): the blobs of `pin::verify`, without
/// running PBKDF2 on every one of a year's attempts.
struct Release {
    ctx: Context,
    stored: String,
    right: String,
    verdicts: [pin::PinVerdict; 2],
    blob: Blob,
}

impl Account for Release {
    fn verify(&mut self, p: &str, now: u64) -> Result<(), Error> {
        pin::verify_begin(&self.ctx, p, self.stored.as_str(), now, &mut self.blob)?;
        pin::verify_apply(self.verdicts[usize::from(p == self.right)], now, &mut self.blob)
    }
    fn retry_at(&self, now: u64) -> u64 {
        retry_at(&self.blob, now).unwrap()
    }
}

/// The lockout of 72bc010 and earlier with the default policy (5 / 900 s / 1800 s / 15), as
/// `tests/model.rs` writes it from the docs of that release.
struct Before {
    right: String,
    failures: u32,
    until: u64,
}

impl Account for Before {
    fn verify(&mut self, p: &str, now: u64) -> Result<(), Error> {
        if self.until == u64::MAX {
            return Err(Error::Blocked);
        }
        if now < self.until {
            return Err(Error::Locked);
        }
        if p == self.right {
            (self.failures, self.until) = (0, 0);
            return Ok(());
        }
        self.failures += 1;
        if self.failures >= 15 {
            self.until = u64::MAX;
        } else if self.failures.is_multiple_of(5) {
            self.until = now + if self.failures == 5 { 900 } else { 1800 };
        }
        Err(Error::Wrong)
    }
    fn retry_at(&self, now: u64) -> u64 {
        if self.until > now { self.until } else { 0 }
    }
}

#[derive(Debug, Default, PartialEq)]
struct Year {
    /// Wrong guesses of the attacker answered `WRONG` (each one a chance at the PIN).
    answered: u64,
    /// Days on which the owner's right PIN was refused (`LOCKED` / `BLOCKED`).
    owner_refused: u64,
    /// The owner's own typos answered.
    typos: u64,
}

/// One year, day by day: from 01:00 the attacker (if any) makes up to 14 wrong guesses, one a
/// second, waiting out every lock that ends before 20:00 (never a 15th: that blocks); at 20:00
/// the owner logs in, first mistyping on every `typo_every`-th day.
fn year(acct: &mut dyn Account, digits: usize, attacker: bool, typo_every: Option<u64>) -> Year {
    let right = if digits == 4 { "4826" } else { "385027" };
    let mut y = Year::default();
    let mut guess = 0u64;
    for day in 0..365 {
        let start = T0 + day * DAY;
        let owner_at = start + 20 * 3600;
        let mut t = start + 3600;
        let mut today = 0;
        while attacker && today < 14 {
            let g = loop {
                guess += 1;
                let g = format!("{:0digits$}", guess % 10u64.pow(digits as u32));
                if g != right {
                    break g;
                }
            };
            match acct.verify(&g, t) {
                Err(Error::Wrong) => {
                    (y.answered, today) = (y.answered + 1, today + 1);
                    t += 1;
                }
                Err(Error::Locked) => {
                    guess -= 1; // not answered: the same guess again
                    let r = acct.retry_at(t);
                    if r >= owner_at {
                        break;
                    }
                    t = r;
                }
                Err(Error::Blocked) => break,
                other => panic!("day {day}: the attacker got {other:?}"),
            }
        }
        if typo_every.is_some_and(|n| day % n == n - 1) {
            let typo = if digits == 4 { "4827" } else { "385028" };
            match acct.owner_verify(typo, owner_at) {
                Err(Error::Wrong) => y.typos += 1,
                Err(Error::Locked | Error::Blocked) => {}
                other => panic!("day {day}: the owner's typo got {other:?}"),
            }
        }
        match acct.owner_verify(right, owner_at + 10) {
            Ok(()) => {}
            Err(Error::Locked | Error::Blocked) => y.owner_refused += 1,
            other => panic!("day {day}: the owner got {other:?}"),
        }
    }
    y
}

fn release(digits: usize) -> Release {
    let ctx = ctx();
    let right = if digits == 4 { "4826" } else { "385027" };
    let stored = pin::hash(&ctx, "alice", right).unwrap().as_str().to_owned();
    let wrong = if digits == 4 { "1357" } else { "135790" };
    let verdicts = [wrong, right].map(|p| pin::verify_compute(&ctx, "alice", p, stored.as_str()).unwrap());
    Release { ctx, stored, right: right.to_owned(), verdicts, blob: [0; 64] }
}

fn before(digits: usize) -> Before {
    Before { right: (if digits == 4 { "4826" } else { "385027" }).to_owned(), failures: 0, until: 0 }
}

/// A share of `10^digits` values, as the docs print it.
fn share(n: u64, digits: usize) -> String {
    let ppm = n as f64 * 100.0 / 10f64.powi(digits as i32);
    let s = format!("{ppm:.4}");
    format!("{} %", s.trim_end_matches('0').trim_end_matches('.'))
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// The issue's figures, played through `pin::verify` for a year per PIN length, asserted and
/// generated into `docs/security.md`.
#[test]
fn a_year_against_the_patient_attacker_and_the_typing_owner() {
    let mut rows = String::from(
        "| one year, default policy | PIN length | wrong guesses answered | share of all PINs of that length | days the owner was refused |\n|---|---|---|---|---|\n",
    );
    for digits in [4, 6] {
        let old = year(&mut before(digits), digits, true, None);
        assert_eq!(
            (old.answered, old.owner_refused),
            (14 * 365, 0),
            "the rules before layout 4: the issue's 5,110"
        );
        let new = year(&mut release(digits), digits, true, None);
        assert!(new.answered <= u64::from(GUESSES_PER_YEAR), "{digits} digits: {new:?}");
        let cap = Setting::BudgetGuesses.default_value();
        let d = Setting::BudgetDrainSeconds.default_value();
        assert!(new.answered <= cap + YEAR_SECONDS.div_ceil(d), "{new:?}");
        rows += &format!(
            "| attacker (≤ 14 wrong guesses a day, waiting out every lock) and the owner daily, **rules before layout 4** | {digits} | {} | {} | {} |\n",
            thousands(old.answered),
            share(old.answered, digits),
            old.owner_refused
        );
        rows += &format!(
            "| the same, **this release**, the owner without a trusted device | {digits} | {} | {} | {} |\n",
            new.answered,
            share(new.answered, digits),
            new.owner_refused
        );
        let dev = year(&mut trusted(digits), digits, true, Some(7));
        // The owner's successes go to the trusted lane, so the untrusted run is never cleared:
        // the attacker's guesses stop at its block (15), below the budget's bound.
        assert!(dev.answered <= new.answered, "device trust gives the attacker nothing: {dev:?}");
        assert_eq!(dev.owner_refused, 0, "{digits} digits, the owner's trusted device: {dev:?}");
        assert_eq!(dev.typos, 365 / 7, "every typo answered");
        rows += &format!(
            "| the same, **this release**, the owner with a trusted device (`device::pin_verify`) mistyping once every 7 days | {digits} | {} | {} | 0 |\n",
            dev.answered,
            share(dev.answered, digits)
        );
        for every in [7, 6] {
            let owner = year(&mut release(digits), digits, false, Some(every));
            assert_eq!(owner.owner_refused, 0, "{digits} digits, a typo every {every} days: {owner:?}");
            assert_eq!(owner.typos, 365 / every, "every typo answered");
            rows += &format!(
                "| the owner alone, daily, mistyping once every {every} days, this release | {digits} | {} typos | — | 0 |\n",
                owner.typos
            );
        }
    }
    splice_into_security_md("year", &rows);
}

fn splice_into_security_md(name: &str, block: &str) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/security.md");
    let text = std::fs::read_to_string(path).unwrap();
    let begin = format!("<!-- BEGIN GENERATED: {name} ");
    let end = format!("<!-- END GENERATED: {name} -->");
    let b = text.find(&begin).unwrap_or_else(|| panic!("docs/security.md has no `{begin}`"));
    let after_begin = b + text[b..].find('\n').unwrap() + 1;
    let e = text.find(&end).unwrap_or_else(|| panic!("docs/security.md has no `{end}`"));
    let new = format!("{}{block}{}", &text[..after_begin], &text[e..]);
    if std::env::var_os("PCODES_BLESS").is_some() {
        std::fs::write(path, new).unwrap();
    } else {
        assert!(
            new == text,
            "docs/security.md: the generated `{name}` figures are stale (PCODES_BLESS=1 rewrites them)"
        );
    }
}

// ---- Every allowed setting keeps the yearly bound ----

/// The settings that favour an attacker most: the largest budget and the fastest drain, runs
/// that fade after one second, the shortest locks, the most tries per SMS code.
fn most_permissive() -> Context {
    let mut c = ctx();
    let hi = |s: Setting| s.range().1;
    let lo = |s: Setting| s.range().0;
    for (s, v) in [
        (Setting::BudgetGuesses, hi(Setting::BudgetGuesses)),
        (Setting::BudgetDrainSeconds, lo(Setting::BudgetDrainSeconds)),
        (Setting::FailureResetSeconds, 1),
        (Setting::BlockAfterFailures, hi(Setting::BlockAfterFailures)),
        (Setting::LockAfterFailures, hi(Setting::LockAfterFailures)),
        (Setting::LockFirstSeconds, lo(Setting::LockFirstSeconds)),
        (Setting::LockRepeatSeconds, lo(Setting::LockRepeatSeconds)),
        (Setting::OtpDigits, lo(Setting::OtpDigits)),
        (Setting::OtpMaxAttempts, hi(Setting::OtpMaxAttempts)),
        (Setting::OtpResendSeconds, lo(Setting::OtpResendSeconds)),
        (Setting::OtpMaxSendsPerHour, hi(Setting::OtpMaxSendsPerHour)),
        (Setting::LinkTtlSeconds, hi(Setting::LinkTtlSeconds)),
    ] {
        c.set(s, v).unwrap();
    }
    c
}

/// The fastest attacker: a wrong guess every second, or at the second the blob's `retry_at`
/// names; the number answered `WRONG` in 365 days.
fn guesses_in_a_year(blob: &mut Blob, mut attempt: impl FnMut(u64, &mut Blob) -> Result<(), Error>) -> u64 {
    let (mut t, mut answered) = (T0, 0);
    while t < T0 + YEAR_SECONDS {
        match attempt(t, blob) {
            Err(Error::Wrong) => {
                answered += 1;
                t += 1;
            }
            Err(Error::Locked) => t = retry_at(blob, t).unwrap().max(t + 1),
            other => panic!("at {t}: {other:?}"),
        }
    }
    answered
}

#[test]
fn every_allowed_setting_keeps_the_yearly_bound() {
    let c = most_permissive();
    let bound = u64::from(GUESSES_PER_YEAR);
    let stored = pin::hash(&c, "alice", "4826").unwrap();
    let n = guesses_in_a_year(&mut [0; 64], |t, b| pin::verify(&c, "alice", "1357", stored.as_str(), t, b));
    assert!(n <= bound, "PIN: {n}");
    assert!(n >= u64::from(GUESSES_PER_YEAR) - 10, "PIN: {n}: the attacker did use the budget");

    let kid = Child::new("Иванов Иван", "2015-03-01", "M", "112-233-445 95");
    let forged = link::issue(&Context::new(&[0x43; 32], 1).unwrap(), 7, &kid, T0, &mut [0; 64]).unwrap();
    let mut st = [0u8; STATE_BYTES];
    link::issue(&c, 7, &kid, T0, &mut st).unwrap();
    let n = guesses_in_a_year(&mut st, |t, b| link::redeem(&c, forged.as_str(), &kid, t, b));
    assert!(n <= bound, "link: {n}");

    let secret = b"12345678901234567890";
    let n = guesses_in_a_year(&mut [0; 64], |t, b| {
        totp::hotp::verify(&c, secret, Algorithm::Sha1, 6, "000000", t, b).map(drop)
    });
    assert!(n <= bound, "HOTP: {n}");
    let p = Params::new(Algorithm::Sha1, 6, 30).unwrap();
    let secret: Vec<u8> = (0u8..20).collect();
    let n = guesses_in_a_year(&mut [0; 64], |t, b| {
        let window: Vec<String> = (0..3)
            .map(|k| totp::time::code(&secret, &p, t + 30 * k - 30).unwrap().as_str().to_owned())
            .collect();
        let wrong = (0..1000u32).map(|v| format!("{v:06}")).find(|g| !window.contains(g)).unwrap();
        totp::time::verify(&c, &secret, &p, &wrong, t, b).map(drop)
    });
    assert!(n <= bound, "TOTP: {n}");

    // SMS codes: a new code whenever one's tries are spent (the sends per hour permitting).
    let mut rng = ChaCha20Rng::from_seed([9; 32]);
    let mut st = [0u8; STATE_BYTES];
    let mut code = otp::issue_with_rng(&c, "login", T0, &mut st, &mut rng).unwrap().as_str().to_owned();
    let n = guesses_in_a_year(&mut st, |t, b| {
        let wrong = if code == "0000" { "0001" } else { "0000" };
        match otp::verify(&c, "login", wrong, t, b) {
            Err(Error::AttemptsExhausted | Error::Expired) => {
                match otp::issue_with_rng(&c, "login", t, b, &mut rng) {
                    Ok(new) => {
                        code = new.as_str().to_owned();
                        Err(Error::Locked)
                    }
                    Err(Error::Locked | Error::TooSoon) => Err(Error::Locked),
                    Err(e) => Err(e),
                }
            }
            r => r,
        }
    });
    assert!(n <= bound, "SMS: {n}");
}
