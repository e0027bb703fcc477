//! The guess limits hold at every allowed setting (issue 20 §5, `docs/security.md`, "Settings
//! cannot empty the guess limits"): with every setting at its most permissive allowed value,
//! each flow is blocked after exactly `policy::GUESSES_PER_RUN` wrong guesses, and one
//! authenticator-app guess matches at most `policy::CODES_PER_GUESS` codes. (Before the bound,
//! the largest values were `BLOCK_AFTER_FAILURES = LOCK_AFTER_FAILURES = 1000` and
//! `HOTP_LOOK_AHEAD = 1000`.)

use portal_codes::link::{self, Child};
use portal_codes::policy::{CODES_PER_GUESS, GUESSES_PER_RUN};
use portal_codes::rng::{ChaCha20Rng, SeedableRng};
use portal_codes::totp::{self, Algorithm, Params};
use portal_codes::{Context, Error, STATE_BYTES, Setting, otp, pin};

const NOW: u64 = 1_780_000_000;

/// Every setting at the end of its range that favours an attacker.
fn most_permissive() -> Context {
    let mut c = Context::new(&[0x42; 32], 1).unwrap();
    let hi = |s: Setting| s.range().1;
    let lo = |s: Setting| s.range().0;
    for (s, v) in [
        (Setting::BlockAfterFailures, hi(Setting::BlockAfterFailures)),
        (Setting::LockAfterFailures, hi(Setting::LockAfterFailures)),
        (Setting::LockFirstSeconds, lo(Setting::LockFirstSeconds)),
        (Setting::LockRepeatSeconds, lo(Setting::LockRepeatSeconds)),
        (Setting::HotpLookAhead, hi(Setting::HotpLookAhead)),
        (Setting::TotpWindowSteps, hi(Setting::TotpWindowSteps)),
        (Setting::OtpDigits, lo(Setting::OtpDigits)),
        (Setting::OtpMaxAttempts, hi(Setting::OtpMaxAttempts)),
        (Setting::OtpResendSeconds, lo(Setting::OtpResendSeconds)),
        (Setting::OtpMaxSendsPerHour, hi(Setting::OtpMaxSendsPerHour)),
        (Setting::LinkTtlSeconds, hi(Setting::LinkTtlSeconds)),
        (Setting::OtpTtlSeconds, hi(Setting::OtpTtlSeconds)),
        (Setting::PinIterations, lo(Setting::PinIterations)),
    ] {
        c.set(s, v).unwrap();
    }
    c
}

/// Wrong guesses (one every 2 s, so every lock of at least 1 s has ended) until `BLOCKED`; the
/// number answered `WRONG`.
fn wrong_guesses_until_blocked(mut attempt: impl FnMut(u64) -> Result<(), Error>) -> u32 {
    let mut wrong = 0;
    for i in 0..5_000u64 {
        match attempt(NOW + 2 * i) {
            Err(Error::Wrong) => wrong += 1,
            Err(Error::Blocked) => return wrong,
            Err(Error::Locked) => {}
            other => panic!("attempt {i}: {other:?}"),
        }
    }
    panic!("never blocked: {wrong} wrong guesses answered")
}

/// A 6-digit code that is none of `taken`.
fn other_than(taken: &[String]) -> String {
    (0..1_000_000u32).map(|v| format!("{v:06}")).find(|c| !taken.contains(c)).unwrap()
}

#[test]
fn extreme_settings_keep_the_guess_limits() {
    let c = most_permissive();
    let run = GUESSES_PER_RUN;

    // Link codes: a well-formed code under another master key with the same key id.
    let kid = Child::new("Иванов Иван", "2015-03-01", "M", "112-233-445 95");
    let mut st = [0u8; STATE_BYTES];
    link::issue(&c, 7, &kid, NOW, &mut st).unwrap();
    let forged = link::issue(&Context::new(&[0x43; 32], 1).unwrap(), 7, &kid, NOW, &mut [0; 64]).unwrap();
    assert_eq!(
        wrong_guesses_until_blocked(|t| link::redeem(&c, forged.as_str(), &kid, t, &mut st)),
        run,
        "link"
    );

    // SMS codes: a new code whenever the attempts of one are spent; the count goes on.
    let mut st = [0u8; STATE_BYTES];
    let mut rng = ChaCha20Rng::from_seed([9; 32]);
    let mut code = otp::issue_with_rng(&c, "login", NOW, &mut st, &mut rng).unwrap().as_str().to_owned();
    let n = wrong_guesses_until_blocked(|t| {
        let wrong = if code == "0000" { "0001" } else { "0000" };
        match otp::verify(&c, "login", wrong, t, &mut st) {
            Err(Error::AttemptsExhausted) => {
                code = otp::issue_with_rng(&c, "login", t, &mut st, &mut rng)?.as_str().to_owned();
                Err(Error::Locked) // not a guess: ask again
            }
            r => r,
        }
    });
    assert_eq!(n, run, "SMS");

    // PINs (4 digits, the fewest iterations).
    let stored = pin::hash(&c, "alice", "4826").unwrap();
    let mut st = [0u8; STATE_BYTES];
    let n = wrong_guesses_until_blocked(|t| pin::verify(&c, "alice", "1357", stored.as_str(), t, &mut st));
    assert_eq!(n, run, "PIN");

    // HOTP: a guess matches the counters next ..= next + HOTP_LOOK_AHEAD, never more than
    // CODES_PER_GUESS of them.
    let secret = b"12345678901234567890";
    let hotp =
        |counter: u64| totp::hotp::code(secret, Algorithm::Sha1, 6, counter).unwrap().as_str().to_owned();
    let reach = u64::from(CODES_PER_GUESS);
    let fresh = |code: &str| totp::hotp::verify(&c, secret, Algorithm::Sha1, 6, code, NOW, &mut [0; 64]);
    assert_eq!(fresh(&hotp(Setting::HotpLookAhead.range().1)), Ok(Setting::HotpLookAhead.range().1));
    for counter in reach..reach + 30 {
        let code = hotp(counter);
        if (0..reach).all(|k| hotp(k) != code) {
            assert_eq!(fresh(&code), Err(Error::Wrong), "counter {counter} is past every allowed look-ahead");
        }
    }
    let window: Vec<String> = (0..reach).map(hotp).collect();
    let wrong = other_than(&window);
    let mut st = [0u8; STATE_BYTES];
    let n = wrong_guesses_until_blocked(|t| {
        totp::hotp::verify(&c, secret, Algorithm::Sha1, 6, &wrong, t, &mut st).map(drop)
    });
    assert_eq!(n, run, "HOTP");

    // TOTP: the window is current ± TOTP_WINDOW_STEPS, at most CODES_PER_GUESS steps.
    let secret: Vec<u8> = (0u8..20).collect();
    let p = Params::new(Algorithm::Sha1, 6, 30).unwrap();
    let w = Setting::TotpWindowSteps.range().1;
    assert!(2 * w < reach);
    let at = |t: u64| totp::time::code(&secret, &p, t).unwrap().as_str().to_owned();
    let fresh = |code: &str| totp::time::verify(&c, &secret, &p, code, NOW, &mut [0; 64]);
    assert!(fresh(&at(NOW + 30 * w)).is_ok() && fresh(&at(NOW - 30 * w)).is_ok());
    let mut st = [0u8; STATE_BYTES];
    let n = wrong_guesses_until_blocked(|t| {
        let window: Vec<String> = (0..=2 * w).map(|k| at(t + 30 * k - 30 * w)).collect();
        totp::time::verify(&c, &secret, &p, &other_than(&window), t, &mut st).map(drop)
    });
    assert_eq!(n, run, "TOTP");
}
