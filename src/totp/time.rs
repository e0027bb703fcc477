//! RFC 6238 TOTP: time-based codes with a replay-protected verification window.

use crate::blob::{STATE_BYTES, State};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::flow::{self, Gate, Outcome};

use super::{
    Code, Facts, Keyed, Params, TotpPayload, check_secret, decide, enrolment_digest, facts, same_enrolment,
};

/// The time step of `now` (RFC 6238 §4.2, T0 = 0): `now / period`.
#[must_use]
pub fn step(now: u64, params: &Params) -> u64 {
    now / u64::from(params.period())
}

/// The TOTP code at unix time `now`.
///
/// # Errors
/// [`Error::InvalidArgument`] for a secret outside 10–64 bytes.
pub fn code(secret: &[u8], params: &Params, now: u64) -> Result<Code> {
    crate::diag::clear(); // a call that succeeds leaves no detail behind
    check_secret(secret)?;
    Ok(Keyed::new(params.algorithm(), secret).code(step(now, params), params.digits()))
}

/// Verifies a TOTP code typed by a person at unix time `now`, with `state` a [`Kind::Totp`](crate::blob::Kind::Totp)
/// blob (all zeros for a new enrolment). Returns the drift: matched step − current step.
///
/// Every step from `current − w` to `current + w` (w = `TOTP_WINDOW_STEPS`, clipped at 0 and
/// `u64::MAX`) is computed with the secret keyed once, and compared in constant time; no early
/// exit. The earliest matching step after the last accepted one is accepted and stored; a code
/// that only matches the last accepted step or an earlier one is `AlreadyUsed` (RFC 6238 §5.2).
///
/// # Errors
/// In this order: [`Error::InvalidArgument`] (`now` out of range, secret), [`Error::CorruptState`] (state
/// untouched), [`Error::Blocked`] / [`Error::Locked`], [`Error::Mistyped`] (not exactly the
/// right number of ASCII digits after removing spaces; not counted), [`Error::AlreadyUsed`] (not
/// counted), [`Error::Wrong`] (counted by the lockout engine). The state is written back on
/// every return after it was decoded.
pub fn verify(
    ctx: &Context,
    secret: &[u8],
    params: &Params,
    code: &str,
    now: u64,
    state: &mut [u8; STATE_BYTES],
) -> Result<i32> {
    let (current, attempt) = verify_attempt(ctx, secret, params, code, now)?;
    let at = flow::run(state, Gate::Lockout, ctx.policy(), now, attempt)?;
    drift(at, current)
}

/// The argument checks and the decision of [`verify`] (the window scan, the enrolment, then
/// `decide`), with the current step, for either lane (`device::totp_verify` gates and counts it
/// in the device blob).
#[allow(clippy::type_complexity)] // the one `decide` shape of `flow::run`
pub(crate) fn verify_attempt<'a>(
    ctx: &'a Context,
    secret: &'a [u8],
    params: &'a Params,
    code: &'a str,
    now: u64,
) -> Result<(u64, impl FnOnce(&State, &TotpPayload) -> Result<Outcome<TotpPayload, u64>> + 'a)> {
    crate::clock::check(now)?;
    check_secret(secret)?;
    let policy = ctx.policy();
    let current = step(now, params);
    let w = u64::from(policy.totp_window_steps);
    let window = current.saturating_sub(w)..=current.saturating_add(w);
    Ok((current, move |h: &State, p: &TotpPayload| {
        let keyed = || Keyed::new(params.algorithm(), secret);
        let (alg, digits, period) = (params.algorithm(), params.digits(), params.period());
        let floor = p.0.accepted.then_some(p.0.value);
        let mut f = facts(keyed, digits, code, window.clone(), floor);
        // The enrolment only matters when a code of the window matched (to accept it, or to
        // tell a replay): a wrong code costs no digest. The window does not depend on the blob,
        // so a blob of another enrolment is rescanned as fresh (see `decide`) only then.
        let matched = matches!(f, Facts::Scanned { found: true, .. } | Facts::Scanned { used: true, .. });
        let enrolment = if matched {
            enrolment_digest(crate::blob::Kind::Totp, alg, digits, period, secret)
        } else {
            p.0.enrolment
        };
        if matched && floor.is_some() && !same_enrolment(p.0.enrolment, enrolment) {
            f = facts(keyed, digits, code, window, None);
        }
        Ok(decide(h, p, f, enrolment))
    }))
}

/// The drift of an accepted step `at` from the `current` one: `at − current`.
pub(crate) fn drift(at: u64, current: u64) -> Result<i32> {
    // |at − current| ≤ w ≤ 10.
    let drift =
        if at >= current { i32::try_from(at - current) } else { i32::try_from(current - at).map(|d| -d) };
    drift.map_err(|_| Error::Internal)
}

/// The last accepted step stored in a TOTP blob, or `None` (fresh, or nothing accepted yet).
///
/// # Errors
/// [`Error::CorruptState`] if `state` is not a TOTP blob.
pub fn last_step(state: &[u8; STATE_BYTES]) -> Result<Option<u64>> {
    let (_, p) = crate::blob::read_flow::<TotpPayload>(state)?;
    let c = p.0;
    Ok(c.accepted.then_some(c.value))
}

#[cfg(test)]
mod tests {
    use super::super::Algorithm;
    use super::*;
    use crate::blob::Kind;
    use crate::blob::State;
    use crate::policy::Setting;

    /// RFC 6238 Appendix B seeds: the ASCII "1234567890" repeated to 20, 32 and 64 bytes.
    pub(crate) fn seed(alg: Algorithm) -> &'static [u8] {
        const S: &[u8; 64] = b"1234567890123456789012345678901234567890123456789012345678901234";
        match alg {
            Algorithm::Sha1 => &S[..20],
            Algorithm::Sha256 => &S[..32],
            Algorithm::Sha512 => &S[..64],
        }
    }

    /// RFC 6238 Appendix B, all 18 rows (8 digits, 30 s).
    #[test]
    fn rfc6238_appendix_b() {
        let rows: [(u64, &str, &str, &str); 6] = [
            (59, "94287082", "46119246", "90693936"),
            (1_111_111_109, "07081804", "68084774", "25091201"),
            (1_111_111_111, "14050471", "67062674", "99943326"),
            (1_234_567_890, "89005924", "91819424", "93441116"),
            (2_000_000_000, "69279037", "90698825", "38618901"),
            (20_000_000_000, "65353130", "77737706", "47863826"),
        ];
        for (t, s1, s256, s512) in rows {
            for (alg, want) in [(Algorithm::Sha1, s1), (Algorithm::Sha256, s256), (Algorithm::Sha512, s512)] {
                let p = Params::new(alg, 8, 30).unwrap();
                assert_eq!(code(seed(alg), &p, t).unwrap().as_str(), want, "{alg:?} t={t}");
            }
        }
    }

    #[test]
    fn extreme_times_and_periods() {
        for alg in [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512] {
            for period in [1, 30, 3600] {
                for d in [6, 7, 8] {
                    let p = Params::new(alg, d, period).unwrap();
                    for t in [0, 1, u64::MAX - 1, u64::MAX] {
                        let c = code(seed(alg), &p, t).unwrap();
                        assert_eq!(c.as_str().len(), d as usize);
                    }
                    for t in [crate::clock::MIN_NOW, crate::clock::MAX_NOW] {
                        let c = code(seed(alg), &p, t).unwrap();
                        let ctx = Context::new(&[1; 32], 0).unwrap();
                        let mut st = [0u8; STATE_BYTES];
                        assert_eq!(verify(&ctx, seed(alg), &p, c.as_str(), t, &mut st), Ok(0));
                        assert_eq!(last_step(&st), Ok(Some(t / u64::from(period))));
                    }
                }
            }
        }
    }

    fn ctx() -> Context {
        Context::new(&[3; 32], 0).unwrap()
    }

    #[test]
    fn window_drift_replay_and_lockout() {
        let ctx = ctx();
        let p = Params::default();
        let secret = seed(Algorithm::Sha1);
        let t = 1_700_000_000u64; // step 56_666_666, 20 s into it
        let at = |k: i64| code(secret, &p, t.wrapping_add_signed(30 * k)).unwrap();
        let mut st = [0u8; STATE_BYTES];
        // The app's clock is one step behind.
        assert_eq!(verify(&ctx, secret, &p, at(-1).as_str(), t, &mut st), Ok(-1));
        // The same code again: replay.
        assert_eq!(verify(&ctx, secret, &p, at(-1).as_str(), t, &mut st), Err(Error::AlreadyUsed));
        // The current code is still fresh.
        assert_eq!(verify(&ctx, secret, &p, at(0).as_str(), t + 1, &mut st), Ok(0));
        assert_eq!(verify(&ctx, secret, &p, at(0).as_str(), t + 2, &mut st), Err(Error::AlreadyUsed));
        // One step ahead.
        assert_eq!(verify(&ctx, secret, &p, at(1).as_str(), t + 3, &mut st), Ok(1));
        // Earlier steps within the window are replays even though never used themselves.
        let mut st2 = [0u8; STATE_BYTES];
        assert_eq!(verify(&ctx, secret, &p, at(1).as_str(), t, &mut st2), Ok(1));
        assert_eq!(verify(&ctx, secret, &p, at(0).as_str(), t, &mut st2), Err(Error::AlreadyUsed));
        // Two steps away is outside the default window: wrong, counted.
        let mut st3 = [0u8; STATE_BYTES];
        assert_eq!(verify(&ctx, secret, &p, at(-2).as_str(), t, &mut st3), Err(Error::Wrong));
        assert_eq!(verify(&ctx, secret, &p, at(2).as_str(), t, &mut st3), Err(Error::Wrong));
        let s = State::decode(&st3, Kind::Totp).unwrap();
        assert_eq!((s.failures, last_step(&st3).unwrap()), (2, None));
        // Mistyped is neither counted nor checked.
        assert_eq!(verify(&ctx, secret, &p, "12345", t, &mut st3), Err(Error::Mistyped));
        assert_eq!(State::decode(&st3, Kind::Totp).unwrap().failures, 2);
        // Three more wrong codes lock (5 in a row).
        for i in 0..3 {
            assert_eq!(verify(&ctx, secret, &p, at(-5).as_str(), t + i, &mut st3), Err(Error::Wrong));
        }
        assert_eq!(verify(&ctx, secret, &p, at(0).as_str(), t + 3, &mut st3), Err(Error::Locked));
        assert_eq!(crate::state::retry_at(&st3, t + 3), Ok(t + 2 + 900));
        // After the lock the right code works and clears the count.
        let later = t + 902;
        let c = code(secret, &p, later).unwrap();
        assert_eq!(verify(&ctx, secret, &p, c.as_str(), later, &mut st3), Ok(0));
        assert_eq!(State::decode(&st3, Kind::Totp).unwrap().failures, 0);
    }

    #[test]
    fn wider_and_zero_windows() {
        let mut ctx = ctx();
        let p = Params::new(Algorithm::Sha256, 8, 60).unwrap();
        let secret = seed(Algorithm::Sha256);
        let t = 1_000_000u64;
        ctx.set(Setting::TotpWindowSteps, 3).unwrap();
        for k in [-3i64, 3] {
            let mut st = [0u8; STATE_BYTES];
            let c = code(secret, &p, t.wrapping_add_signed(60 * k)).unwrap();
            assert_eq!(verify(&ctx, secret, &p, c.as_str(), t, &mut st), Ok(i32::try_from(k).unwrap()));
        }
        ctx.set(Setting::TotpWindowSteps, 0).unwrap();
        let mut st = [0u8; STATE_BYTES];
        let c = code(secret, &p, t - 60).unwrap();
        assert_eq!(verify(&ctx, secret, &p, c.as_str(), t, &mut st), Err(Error::Wrong));
        // At time 0 the window is clipped, not wrapped.
        ctx.set(Setting::TotpWindowSteps, 10).unwrap();
        let mut st = [0u8; STATE_BYTES];
        let wrapped = code(secret, &p, u64::MAX).unwrap();
        assert_eq!(verify(&ctx, secret, &p, wrapped.as_str(), 1, &mut st), Err(Error::Wrong));
        // Outside the clock's range: refused, blob untouched.
        for t in [0, crate::clock::MAX_NOW + 1, u64::MAX] {
            assert_eq!(verify(&ctx, secret, &p, wrapped.as_str(), t, &mut st), Err(Error::InvalidArgument));
        }
    }

    #[test]
    fn bad_inputs() {
        let ctx = ctx();
        let p = Params::default();
        let mut st = State::fresh(Kind::Hotp).encode();
        let copy = st;
        assert_eq!(verify(&ctx, &[1; 20], &p, "123456", 100, &mut st), Err(Error::CorruptState));
        assert_eq!(st, copy, "wrong kind left unchanged");
        let mut st = [0u8; STATE_BYTES];
        assert_eq!(verify(&ctx, &[1; 9], &p, "123456", 100, &mut st), Err(Error::InvalidArgument));
        assert_eq!(verify(&ctx, &[1; 65], &p, "123456", 100, &mut st), Err(Error::InvalidArgument));
        assert_eq!(code(&[1; 65], &p, 0).unwrap_err(), Error::InvalidArgument);
        // 10-byte secrets (common in existing enrolments) work.
        let c = code(&[1; 10], &p, 100).unwrap();
        assert_eq!(verify(&ctx, &[1; 10], &p, c.as_str(), 100, &mut st), Ok(0));
    }

    /// Issue 20 §4: the blob is bound to its enrolment. After the period changed from 30 s to
    /// 60 s (or a new secret), the right code used to be refused as already used (its step is
    /// below the step stored under 30 s); now the blob is read as a new enrolment's, and the
    /// lockout failures stay.
    #[test]
    fn a_changed_period_or_secret_is_a_new_enrolment() {
        let ctx = ctx();
        let secret = seed(Algorithm::Sha1);
        let p30 = Params::new(Algorithm::Sha1, 6, 30).unwrap();
        let p60 = Params::new(Algorithm::Sha1, 6, 60).unwrap();
        let t = 1_750_000_000;
        let mut st = [0u8; STATE_BYTES];
        let c30 = code(secret, &p30, t).unwrap();
        assert_eq!(verify(&ctx, secret, &p30, c30.as_str(), t, &mut st), Ok(0));
        assert_eq!(verify(&ctx, secret, &p30, "000000", t, &mut st), Err(Error::Wrong));
        for i in 0..50 {
            let now = t + 120 * i;
            let c60 = code(secret, &p60, now).unwrap();
            assert_eq!(verify(&ctx, secret, &p60, c60.as_str(), now, &mut st), Ok(0), "login {i}");
            assert_eq!(verify(&ctx, secret, &p60, c60.as_str(), now, &mut st), Err(Error::AlreadyUsed));
        }
        // Back to 30 s: a new enrolment again, and the replay protection holds within it.
        let now = t + 120 * 50;
        let c = code(secret, &p30, now).unwrap();
        assert_eq!(verify(&ctx, secret, &p30, c.as_str(), now, &mut st), Ok(0));
        assert_eq!(verify(&ctx, secret, &p30, c.as_str(), now, &mut st), Err(Error::AlreadyUsed));
        // Another secret: the same.
        let other = [0x5au8; 20];
        let c = code(&other, &p30, now).unwrap();
        assert_eq!(verify(&ctx, &other, &p30, c.as_str(), now, &mut st), Ok(0));
    }
}
