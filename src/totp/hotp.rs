//! RFC 4226 HOTP: counter-based codes.

use crate::blob::{STATE_BYTES, State};
use crate::context::Context;
#[cfg(doc)]
use crate::error::Error; // names the statuses in the docs
use crate::error::Result;
use crate::flow::{self, Gate, Outcome};

use super::{
    Algorithm, Code, HotpPayload, Keyed, check_digits, check_secret, decide, enrolment_digest, facts,
    same_enrolment,
};

/// The HOTP code for `counter` (RFC 4226 §5.3).
///
/// # Errors
/// [`Error::InvalidArgument`] for a secret outside 10–64 bytes or digits outside 6–8.
pub fn code(secret: &[u8], algorithm: Algorithm, digits: u32, counter: u64) -> Result<Code> {
    crate::diag::clear(); // a call that succeeds leaves no detail behind
    check_secret(secret)?;
    check_digits(digits)?;
    Ok(Keyed::new(algorithm, secret).code(counter, digits))
}

/// An authenticator secret keyed once, for generating many codes from it (a test harness, a
/// token emulator, a printed list of counter-based backup codes): each code then costs two
/// compressions instead of four. [`code`] and [`verify`] key the secret themselves. The key
/// material is zeroized on drop and never shown by `Debug`.
pub struct HotpKey {
    keyed: Keyed,
}

impl core::fmt::Debug for HotpKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("HotpKey(..)")
    }
}

impl HotpKey {
    /// Keys `secret` (10–64 bytes) for `algorithm`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a secret outside 10–64 bytes.
    pub fn new(secret: &[u8], algorithm: Algorithm) -> Result<Self> {
        crate::diag::clear(); // a call that succeeds leaves no detail behind
        check_secret(secret)?;
        Ok(Self { keyed: Keyed::new(algorithm, secret) })
    }

    /// The HOTP code for `counter` (RFC 4226 §5.3), as [`code`] gives it.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for digits outside 6–8.
    pub fn code(&self, digits: u32, counter: u64) -> Result<Code> {
        crate::diag::clear(); // a call that succeeds leaves no detail behind
        check_digits(digits)?;
        Ok(self.keyed.code(counter, digits))
    }
}

/// Verifies a HOTP code against the counter stored in `state` (a [`Kind::Hotp`](crate::blob::Kind::Hotp) blob; all
/// zeros starts at counter 0) and returns the matched counter.
///
/// The counters `next ..= next + HOTP_LOOK_AHEAD` are all computed (the secret is keyed once;
/// no early exit) and compared in constant time; the earliest match is accepted and the stored
/// counter moves past it. A code equal to the last accepted counter's is `AlreadyUsed`.
///
/// # Errors
/// In this order: [`Error::InvalidArgument`] (`now` out of range, secret, digits), [`Error::CorruptState`] (state
/// untouched), [`Error::Blocked`] / [`Error::Locked`], [`Error::Mistyped`] (not exactly `digits`
/// ASCII digits after removing spaces; not counted), [`Error::AlreadyUsed`] (the last accepted
/// code again, or the counter space is spent; not counted), [`Error::Wrong`] (counted by the
/// lockout engine). The state is written back on every return after it was decoded.
pub fn verify(
    ctx: &Context,
    secret: &[u8],
    algorithm: Algorithm,
    digits: u32,
    code: &str,
    now: u64,
    state: &mut [u8; STATE_BYTES],
) -> Result<u64> {
    flow::run(
        state,
        Gate::Lockout,
        ctx.policy(),
        now,
        verify_attempt(ctx, secret, algorithm, digits, code, now)?,
    )
}

/// The argument checks and the decision of [`verify`] (the look-ahead scan, then `decide`), for
/// either lane (`device::hotp_verify` gates and counts it in the device blob).
pub(crate) fn verify_attempt<'a>(
    ctx: &'a Context,
    secret: &'a [u8],
    algorithm: Algorithm,
    digits: u32,
    code: &'a str,
    now: u64,
) -> Result<impl FnOnce(&State, &HotpPayload) -> Result<Outcome<HotpPayload, u64>> + 'a> {
    crate::clock::check(now)?;
    check_secret(secret)?;
    check_digits(digits)?;
    let policy = ctx.policy();
    Ok(move |h: &State, p: &HotpPayload| {
        let enrolment = enrolment_digest(crate::blob::Kind::Hotp, algorithm, digits, 0, secret);
        // A blob of another enrolment is read as fresh (see `decide`).
        let c = if same_enrolment(p.0.enrolment, enrolment) { p.0 } else { super::Counter::default() };
        // With a previous acceptance, also look at the last accepted counter to tell a replay
        // (the codec guarantees `value ≥ 1` then). A spent blob computes nothing.
        let floor = if c.accepted { c.value.checked_sub(1) } else { None };
        let first = floor.unwrap_or(c.value);
        let ahead = u64::from(policy.hotp_look_ahead);
        #[allow(clippy::reversed_empty_ranges)] // deliberately empty: nothing to scan
        let window = if c.spent { 1..=0 } else { first..=c.value.saturating_add(ahead) };
        let keyed = || Keyed::new(algorithm, secret);
        Ok(decide(h, p, facts(keyed, digits, code, window, floor), enrolment))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blob::{Kind, State};
    use crate::error::Error;
    use crate::policy::Setting;

    const SECRET: &[u8] = b"12345678901234567890";

    /// RFC 4226 Appendix D: counters 0–9, HMAC-SHA-1, 6 digits.
    pub(crate) const RFC4226: [&str; 10] =
        ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];

    #[test]
    fn rfc4226_appendix_d() {
        for (c, want) in RFC4226.iter().enumerate() {
            assert_eq!(code(SECRET, Algorithm::Sha1, 6, c as u64).unwrap().as_str(), *want);
        }
    }

    /// The pre-keyed generator gives the RFC 4226 vectors too, for every algorithm agrees
    /// with keying per call, and refuses what `code` refuses.
    #[test]
    fn pre_keyed_generator() {
        let k = HotpKey::new(SECRET, Algorithm::Sha1).unwrap();
        for (c, want) in RFC4226.iter().enumerate() {
            assert_eq!(k.code(6, c as u64).unwrap().as_str(), *want);
        }
        for alg in [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512] {
            let k = HotpKey::new(SECRET, alg).unwrap();
            for counter in [0, 1, 1 << 33, u64::MAX] {
                for digits in 6..=8 {
                    let want = code(SECRET, alg, digits, counter).unwrap();
                    assert_eq!(k.code(digits, counter).unwrap().as_str(), want.as_str());
                }
            }
        }
        assert_eq!(k.code(5, 0).unwrap_err(), Error::InvalidArgument);
        assert_eq!(HotpKey::new(&SECRET[..9], Algorithm::Sha1).unwrap_err(), Error::InvalidArgument);
        assert_eq!(std::format!("{k:?}"), "HotpKey(..)");
    }

    fn ctx() -> Context {
        Context::new(&[7; 32], 0).unwrap()
    }

    #[test]
    fn verify_advances_and_refuses_replays() {
        let ctx = ctx();
        let mut st = [0u8; STATE_BYTES];
        assert_eq!(verify(&ctx, SECRET, Algorithm::Sha1, 6, RFC4226[0], 1, &mut st), Ok(0));
        assert_eq!(verify(&ctx, SECRET, Algorithm::Sha1, 6, RFC4226[0], 2, &mut st), Err(Error::AlreadyUsed));
        // Skipping ahead within the look-ahead window (10).
        assert_eq!(verify(&ctx, SECRET, Algorithm::Sha1, 6, "399 871", 3, &mut st), Ok(8));
        assert_eq!(verify(&ctx, SECRET, Algorithm::Sha1, 6, RFC4226[8], 4, &mut st), Err(Error::AlreadyUsed));
        // An older one (counter 5) is below the window: wrong, and counted.
        assert_eq!(verify(&ctx, SECRET, Algorithm::Sha1, 6, RFC4226[5], 5, &mut st), Err(Error::Wrong));
        assert_eq!(State::decode(&st, Kind::Hotp).unwrap().failures, 1);
        assert_eq!(verify(&ctx, SECRET, Algorithm::Sha1, 6, RFC4226[9], 6, &mut st), Ok(9));
        let s = State::decode(&st, Kind::Hotp).unwrap();
        assert_eq!((s.failures, &s.payload[..9]), (0, &[10, 0, 0, 0, 0, 0, 0, 0, 1][..]));
        assert_eq!(verify(&ctx, SECRET, Algorithm::Sha1, 6, "12345", 7, &mut st), Err(Error::Mistyped));
        assert_eq!(State::decode(&st, Kind::Hotp).unwrap().failures, 0, "mistyped is not counted");
    }

    #[test]
    fn look_ahead_limit() {
        let mut ctx = ctx();
        let mut st = [0u8; STATE_BYTES];
        let c11 = code(SECRET, Algorithm::Sha1, 6, 11).unwrap();
        assert_eq!(verify(&ctx, SECRET, Algorithm::Sha1, 6, c11.as_str(), 1, &mut st), Err(Error::Wrong));
        let c10 = code(SECRET, Algorithm::Sha1, 6, 10).unwrap();
        assert_eq!(verify(&ctx, SECRET, Algorithm::Sha1, 6, c10.as_str(), 1, &mut st), Ok(10));
        ctx.set(Setting::HotpLookAhead, 0).unwrap();
        let c12 = code(SECRET, Algorithm::Sha1, 6, 12).unwrap();
        assert_eq!(verify(&ctx, SECRET, Algorithm::Sha1, 6, c12.as_str(), 1, &mut st), Err(Error::Wrong));
        let c11 = code(SECRET, Algorithm::Sha1, 6, 11).unwrap();
        assert_eq!(verify(&ctx, SECRET, Algorithm::Sha1, 6, c11.as_str(), 1, &mut st), Ok(11));
    }

    #[test]
    fn counter_at_the_end_of_its_range() {
        let ctx = ctx();
        let mut s = State::fresh(Kind::Hotp);
        s.payload[..8].copy_from_slice(&(u64::MAX - 1).to_le_bytes());
        s.payload[8] = 1; // counter u64::MAX - 2 was accepted
        let mut st = s.encode();
        let last = code(SECRET, Algorithm::Sha512, 8, u64::MAX).unwrap();
        assert_eq!(verify(&ctx, SECRET, Algorithm::Sha512, 8, last.as_str(), 1, &mut st), Ok(u64::MAX));
        assert_eq!(
            verify(&ctx, SECRET, Algorithm::Sha512, 8, last.as_str(), 1, &mut st),
            Err(Error::AlreadyUsed)
        );
    }

    #[test]
    fn corrupt_and_wrong_kind_state_untouched() {
        let ctx = ctx();
        let mut st = State::fresh(Kind::Totp).encode();
        let copy = st;
        assert_eq!(verify(&ctx, SECRET, Algorithm::Sha1, 6, "755224", 1, &mut st), Err(Error::CorruptState));
        assert_eq!(st, copy);
        assert_eq!(code(&SECRET[..9], Algorithm::Sha1, 6, 0).unwrap_err(), Error::InvalidArgument);
        assert_eq!(code(SECRET, Algorithm::Sha1, 9, 0).unwrap_err(), Error::InvalidArgument);
    }
}
