//! The lockout engine shared by every flow: a run of failures that fades, and a long-horizon
//! guess budget that a success does not renew (issue 22 §2), per state blob.
//!
//! With the default policy (5 / 900 s / 1800 s / 15; runs fade after 86,400 s; budget 36 guesses,
//! one drains every 518,400 s = 6 days):
//!
//! | failures in the run | effect |
//! |---|---|
//! | 5 | locked for `LOCK_FIRST_SECONDS` (15 min) |
//! | 10, 15, … (every further run of `LOCK_AFTER_FAILURES`) | locked for `LOCK_REPEAT_SECONDS` (30 min) |
//! | `BLOCK_AFTER_FAILURES` (15) | blocked until [`state::reset`](crate::state::reset) |
//!
//! **The run** ([`fade`]): a run whose latest counted failure is `FAILURE_RESET_SECONDS` or more
//! before `now` no longer counts — the next failure starts a new run at 1, and an expired lock
//! is cleared. A block never fades. A success clears the run.
//!
//! **The budget** ([`record_failure`]): every counted failure charges one guess; one drains
//! every `BUDGET_DRAIN_SECONDS` (whole periods, counted from `budget_at`, so no part of a period
//! is lost when charges come between). A failure that leaves `BUDGET_GUESSES` charged locks the
//! blob until one has drained, so no attempt is answered while the drained level is
//! `BUDGET_GUESSES` or more. A success does **not** clear it; only the success of an attempt
//! that was itself charged beforehand (a PIN's `verify_begin`) gives that one charge back
//! ([`record_success`]), and [`state::reset`](crate::state::reset) empties it. So at most
//! `BUDGET_GUESSES + ⌈T / BUDGET_DRAIN_SECONDS⌉` failures are counted in any T seconds
//! ([`GUESSES_PER_YEAR`](crate::policy::GUESSES_PER_YEAR) in a year), and an owner whose
//! failures are at least one drain period apart is never refused by it.
//!
//! While locked or blocked, attempts are refused with [`Error::Locked`] / [`Error::Blocked`]
//! before anything is checked, and are not counted. The attempt that reaches a threshold itself
//! gets its own verdict (e.g. `WRONG`); the next one gets `LOCKED`. A lock ends at
//! `locked_until` exactly: at that second attempts are allowed again. Everything is a pure
//! function of (state, policy, now), applied by the flow runner (`flow::settle`) and nowhere
//! else.

use crate::blob::{BLOCKED, MAX_LOCK_SECONDS, State};
use crate::error::{Error, Result};
use crate::policy::Policy;

/// Refuses the attempt if the state is locked at `now` or blocked (a spent budget is a lock).
///
/// # Errors
/// [`Error::Blocked`] or [`Error::Locked`].
pub fn check(state: &State, now: u64) -> Result<()> {
    if state.locked_until == BLOCKED {
        Err(Error::Blocked)
    } else if now < state.locked_until {
        Err(Error::Locked)
    } else {
        Ok(())
    }
}

/// Whether the run of failures of `state` has faded at `now`: its latest failure is known and
/// `FAILURE_RESET_SECONDS` (not 0) or more before `now`, and it is not blocked.
#[must_use]
pub fn faded(state: &State, policy: &Policy, now: u64) -> bool {
    let reset = policy.failure_reset_seconds;
    state.failures != 0
        && reset != 0
        && state.locked_until != BLOCKED
        && state.last_failure != 0
        && now.saturating_sub(state.last_failure) >= reset
}

/// The run as it counts at `now`: a faded run reads as no failures, and its lock, if it has
/// ended, as none. The budget is not touched.
pub fn fade(state: &mut State, policy: &Policy, now: u64) {
    if faded(state, policy, now) {
        state.failures = 0;
        if state.locked_until <= now {
            state.locked_until = 0;
        }
    }
}

/// The budget drained to `now`: the guesses still charged, and the clock they count from.
#[must_use]
pub fn drained(state: &State, policy: &Policy, now: u64) -> (u8, u64) {
    let d = policy.budget_drain_seconds.max(1);
    let periods = now.saturating_sub(state.budget_at) / d;
    match u64::from(state.budget).checked_sub(periods) {
        Some(left @ 1..) => (u8::try_from(left).unwrap_or(u8::MAX), state.budget_at + periods * d),
        _ => (0, now),
    }
}

/// Records one failure at `now` (on the run as [`fade`] left it), locking or blocking if it
/// reaches a threshold, and charging the budget (a lock until one guess has drained when it is
/// full). An ended lock is cleared.
pub fn record_failure(state: &mut State, policy: &Policy, now: u64) {
    state.failures = state.failures.saturating_add(1);
    let (level, at) = drained(state, policy, now);
    // A failure stamped before the budget's clock (servers whose clocks differ) moves the clock
    // back to it: the clock is never after the last failure (layout 4 stores it before it).
    let at = at.min(now);
    state.budget = level.saturating_add(1);
    state.budget_at = at;
    state.last_failure = now;
    if state.locked_until == BLOCKED {
        return;
    }
    // A lock still in force stays (never the case behind the gate); an ended one goes.
    let mut until = if state.locked_until > now { state.locked_until } else { 0 };
    let n = u32::from(state.failures);
    if n >= policy.block_after_failures {
        state.locked_until = BLOCKED;
        return;
    }
    if n.checked_rem(policy.lock_after_failures) == Some(0) {
        let secs = if n == policy.lock_after_failures {
            policy.lock_first_seconds
        } else {
            policy.lock_repeat_seconds
        };
        // Never turn a lock into a block by overflow.
        until = until.max(now.saturating_add(secs).min(BLOCKED - 1));
    }
    let cap = u64::from(policy.budget_guesses);
    if u64::from(state.budget) >= cap {
        // The drained level falls below the capacity after `budget − cap + 1` periods.
        let periods = u64::from(state.budget) - cap + 1;
        let ends = at.saturating_add(periods.saturating_mul(policy.budget_drain_seconds));
        until = until.max(ends.min(now.saturating_add(MAX_LOCK_SECONDS)).min(BLOCKED - 1));
    }
    state.locked_until = until;
}

/// Records a success: the run and any lock are cleared; the budget stays, but `refund` (the
/// success of an attempt that was charged as a failure beforehand: a PIN's `verify_begin`)
/// gives that charge back. A state left with nothing to remember reads as fresh.
pub fn record_success(state: &mut State, refund: bool) {
    state.failures = 0;
    state.locked_until = 0;
    if refund {
        state.budget = state.budget.saturating_sub(1);
    }
    if state.budget == 0 {
        state.budget_at = 0;
        state.last_failure = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blob::Kind;
    use crate::policy::Setting;

    fn fail(s: &mut State, p: &Policy, now: u64) -> Result<()> {
        check(s, now)?;
        record_failure(s, p, now);
        Ok(())
    }

    /// Every transition with the default policy, at the exact boundary seconds:
    /// free → locked 900 s → free → locked 1800 s → free → blocked → reset → free.
    #[test]
    fn full_cycle_at_boundary_seconds() {
        let p = Policy::default();
        let mut s = State::fresh(Kind::Pin);
        let t0 = 1_700_000_000;
        for i in 0..4 {
            fail(&mut s, &p, t0 + i).unwrap();
            assert_eq!(s.locked_until, 0);
        }
        fail(&mut s, &p, t0 + 10).unwrap(); // 5th failure locks
        assert_eq!(s.failures, 5);
        assert_eq!(s.locked_until, t0 + 10 + 900);
        assert_eq!(s.retry_at(t0 + 10), t0 + 910);
        assert_eq!(check(&s, t0 + 909), Err(Error::Locked));
        assert_eq!(fail(&mut s, &p, t0 + 909), Err(Error::Locked));
        assert_eq!(s.failures, 5, "refused attempts are not counted");
        assert_eq!(check(&s, t0 + 910), Ok(()), "free at the lock's last second + 1");
        assert_eq!(s.retry_at(t0 + 910), 0);

        let t1 = t0 + 910;
        for i in 0..4 {
            fail(&mut s, &p, t1 + i).unwrap();
        }
        assert_eq!(s.failures, 9);
        fail(&mut s, &p, t1 + 4).unwrap(); // 10th: repeat lock
        assert_eq!(s.locked_until, t1 + 4 + 1800);
        assert_eq!(check(&s, t1 + 1803), Err(Error::Locked));
        assert_eq!(check(&s, t1 + 1804), Ok(()));

        let t2 = t1 + 1804;
        for i in 0..4 {
            fail(&mut s, &p, t2 + i).unwrap();
        }
        assert_eq!(s.failures, 14);
        fail(&mut s, &p, t2 + 4).unwrap(); // 15th blocks
        assert_eq!(s.locked_until, BLOCKED);
        assert_eq!(check(&s, u64::MAX), Err(Error::Blocked));
        assert_eq!(s.retry_at(t2 + 1_000_000), u64::MAX);

        let mut b = s.encode();
        crate::state::reset(&mut b).unwrap();
        let mut s = State::decode(&b, Kind::Pin).unwrap();
        assert_eq!(check(&s, t2 + 5), Ok(()));
        // After a reset the next run locks for the *first* period again.
        for i in 0..5 {
            fail(&mut s, &p, t2 + 5 + i).unwrap();
        }
        assert_eq!(s.locked_until, t2 + 9 + 900);
    }

    #[test]
    fn success_clears_the_count() {
        let p = Policy::default();
        let mut s = State::fresh(Kind::Otp);
        for i in 0..4 {
            fail(&mut s, &p, i).unwrap();
        }
        record_success(&mut s, false);
        assert_eq!(s.failures, 0);
        for i in 0..4 {
            fail(&mut s, &p, 10 + i).unwrap();
        }
        assert_eq!(s.locked_until, 0, "four after a success do not lock");
        fail(&mut s, &p, 20).unwrap();
        assert_eq!(s.locked_until, 920);
    }

    #[test]
    fn custom_policies_and_extremes() {
        let mut p = Policy::default();
        p.set(Setting::LockAfterFailures, 1).unwrap();
        p.set(Setting::BlockAfterFailures, 3).unwrap();
        p.set(Setting::LockFirstSeconds, 1).unwrap();
        p.set(Setting::LockRepeatSeconds, 2).unwrap();
        let mut s = State::fresh(Kind::Totp);
        fail(&mut s, &p, 100).unwrap();
        assert_eq!(s.locked_until, 101);
        assert_eq!(check(&s, 100), Err(Error::Locked));
        fail(&mut s, &p, 101).unwrap();
        assert_eq!(s.locked_until, 103);
        fail(&mut s, &p, 103).unwrap();
        assert_eq!(s.locked_until, BLOCKED);

        // Block threshold below the lock threshold: blocks first.
        let mut p = Policy::default();
        p.set(Setting::BlockAfterFailures, 2).unwrap();
        let mut s = State::fresh(Kind::Totp);
        fail(&mut s, &p, 0).unwrap();
        fail(&mut s, &p, 0).unwrap();
        assert_eq!(check(&s, 0), Err(Error::Blocked));

        // A lock near the end of time saturates but never reads as a block.
        let p = Policy::default();
        let mut s = State::fresh(Kind::Totp);
        for _ in 0..5 {
            fail(&mut s, &p, u64::MAX - 10).unwrap();
        }
        assert_eq!(s.locked_until, u64::MAX - 1);
        assert_eq!(check(&s, u64::MAX - 10), Err(Error::Locked));

        // The counter saturates instead of wrapping to zero.
        let mut s = State::fresh(Kind::Totp);
        s.failures = u16::MAX;
        record_failure(&mut s, &p, 0);
        assert_eq!(s.failures, u16::MAX);
        assert_eq!(s.locked_until, BLOCKED);
    }

    /// What the flow runner does for a wrong attempt: the gate, the fade, the count.
    fn attempt(s: &mut State, p: &Policy, now: u64) -> Result<()> {
        check(s, now)?;
        fade(s, p, now);
        record_failure(s, p, now);
        Ok(())
    }

    /// Issue 22 §2: a run fades at exactly `FAILURE_RESET_SECONDS` after its last failure — one
    /// second earlier the next failure continues it; a lock that outlasts the fade still
    /// holds; an unknown last failure (layouts 1–3) and a block never fade; 0 = never.
    #[test]
    fn a_run_fades_at_its_boundary_second() {
        let p = Policy::default();
        let r = p.failure_reset_seconds;
        let t0 = 1_700_000_000;
        let mut s = State::fresh(Kind::Pin);
        for i in 0..4 {
            attempt(&mut s, &p, t0 + i).unwrap();
        }
        let last = t0 + 3;
        assert!(!faded(&s, &p, last + r - 1) && faded(&s, &p, last + r));
        let mut early = s.clone();
        attempt(&mut early, &p, last + r - 1).unwrap();
        assert_eq!((early.failures, early.locked_until), (5, last + r - 1 + 900));
        let mut at = s.clone();
        attempt(&mut at, &p, last + r).unwrap();
        assert_eq!((at.failures, at.locked_until, at.last_failure), (1, 0, last + r));

        // A lock longer than the fade: refused until it ends, then the run has faded.
        let mut q = Policy::default();
        q.set(Setting::FailureResetSeconds, 60).unwrap();
        let mut s = State::fresh(Kind::Otp);
        for _ in 0..5 {
            attempt(&mut s, &q, t0).unwrap();
        }
        assert_eq!(attempt(&mut s, &q, t0 + 899), Err(Error::Locked));
        attempt(&mut s, &q, t0 + 900).unwrap();
        assert_eq!((s.failures, s.locked_until), (1, 0), "faded, and the ended lock cleared");

        // Unknown time (an upgraded run without a lock): continues, then fades from then on.
        let mut s = State::fresh(Kind::Totp);
        s.failures = 4;
        assert!(!faded(&s, &p, u64::MAX));
        attempt(&mut s, &p, t0 + 10 * r).unwrap();
        assert_eq!((s.failures, s.locked_until), (5, t0 + 10 * r + 900));

        // A block never fades; 0 = never.
        let mut s = State::fresh(Kind::Link);
        s.failures = 15;
        s.locked_until = BLOCKED;
        s.last_failure = t0;
        assert!(!faded(&s, &p, t0 + 100 * r));
        let mut never = Policy::default();
        never.set(Setting::FailureResetSeconds, 0).unwrap();
        let mut s = State::fresh(Kind::Hotp);
        attempt(&mut s, &never, t0).unwrap();
        assert!(!faded(&s, &never, u64::MAX));
    }

    /// The budget at its boundary seconds: `BUDGET_GUESSES` charges lock until one period after
    /// the budget's clock; whole periods drain from that clock, so a charge between does not
    /// lose the part-period already run (the owner's daily `begin`s would otherwise stop the
    /// drain).
    #[test]
    fn the_budget_at_its_boundary_seconds() {
        let mut p = Policy::default();
        p.set(Setting::FailureResetSeconds, 1).unwrap();
        let (cap, d) = (u64::from(p.budget_guesses), p.budget_drain_seconds);
        let t0 = 1_700_000_000;
        let mut s = State::fresh(Kind::Pin);
        for i in 0..cap - 1 {
            attempt(&mut s, &p, t0 + 2 * i).unwrap();
            assert_eq!(s.locked_until, 0, "charge {i}");
        }
        assert_eq!((u64::from(s.budget), s.budget_at), (cap - 1, t0));
        attempt(&mut s, &p, t0 + 2 * cap).unwrap();
        assert_eq!((u64::from(s.budget), s.locked_until), (cap, t0 + d), "full: locked one period");
        assert_eq!(drained(&s, &p, t0 + d - 1), (u8::try_from(cap).unwrap(), t0));
        assert_eq!(attempt(&mut s, &p, t0 + d - 1), Err(Error::Locked));
        attempt(&mut s, &p, t0 + d).unwrap();
        assert_eq!((s.budget_at, s.locked_until), (t0 + d, t0 + 2 * d));

        // No part-period lost: a charge half-way keeps the clock.
        let mut s = State::fresh(Kind::Pin);
        attempt(&mut s, &p, t0).unwrap();
        attempt(&mut s, &p, t0 + d / 2).unwrap();
        assert_eq!((s.budget, s.budget_at), (2, t0));
        attempt(&mut s, &p, t0 + d).unwrap();
        assert_eq!((s.budget, s.budget_at), (2, t0 + d), "one drained at exactly t0 + d");
        // Empty after as many periods as charges: the clock restarts at the next charge.
        attempt(&mut s, &p, t0 + 3 * d).unwrap();
        assert_eq!((s.budget, s.budget_at), (1, t0 + 3 * d));
    }

    #[test]
    fn a_success_keeps_the_budget_and_a_charged_success_gives_its_charge_back() {
        let p = Policy::default();
        let mut s = State::fresh(Kind::Pin);
        for i in 0..3 {
            attempt(&mut s, &p, 100 + i).unwrap();
        }
        let mut plain = s.clone();
        record_success(&mut plain, false);
        assert_eq!((plain.failures, plain.locked_until, plain.budget, plain.budget_at), (0, 0, 3, 100));
        let mut charged = s.clone();
        record_success(&mut charged, true);
        assert_eq!(charged.budget, 2, "the success's own charge (PIN `begin`) comes back");
        let mut one = State::fresh(Kind::Pin);
        attempt(&mut one, &p, 100).unwrap();
        record_success(&mut one, true);
        assert_eq!(one, State::fresh(Kind::Pin), "nothing left: fresh");

        // A success at capacity (the `begin` that filled it) clears the budget's lock with the charge.
        let mut q = Policy::default();
        q.set(Setting::BudgetGuesses, 2).unwrap();
        let mut s = State::fresh(Kind::Pin);
        attempt(&mut s, &q, 100).unwrap();
        attempt(&mut s, &q, 200).unwrap();
        assert_eq!(s.locked_until, 100 + q.budget_drain_seconds);
        record_success(&mut s, true);
        assert_eq!((s.budget, s.locked_until), (1, 0));
    }
}
