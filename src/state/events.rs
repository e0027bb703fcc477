//! What a call did to an account's protection (issue 22 §4): [`events`], a pure function of the
//! blob before and after the call, for "someone is trying your PIN" notices and monitoring.
//!
//! It reads only the decoded headers and payloads (no key, no code, nothing secret), so a host
//! can run it wherever the two blobs are: right after the call, or later from its audit log.

use super::kinds;
use crate::blob::{BLOCKED, State};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::policy::Policy;

/// [`Events::flags`] bit: a failure was counted ([`Events::failures_left`] says how many more
/// bring the next lock or block). C `PCODES_EVENT_FAILURE_COUNTED`.
pub const EVENT_FAILURE_COUNTED: u32 = 1;
/// [`Events::flags`] bit: a lock started ([`Events::locked_until`] says until when).
/// C `PCODES_EVENT_LOCK_STARTED`.
pub const EVENT_LOCK_STARTED: u32 = 2;
/// [`Events::flags`] bit: the blob became blocked (until `state::reset`).
/// C `PCODES_EVENT_BLOCKED`.
pub const EVENT_BLOCKED: u32 = 4;
/// [`Events::flags`] bit: counted failures, a lock or a block were cleared (by a success or
/// `state::reset`). C `PCODES_EVENT_CLEARED`.
pub const EVENT_CLEARED: u32 = 8;
/// [`Events::flags`] bit: a recovery code was used ([`Events::recovery_left`] says how many of
/// the set are left). C `PCODES_EVENT_RECOVERY_USED`.
pub const EVENT_RECOVERY_USED: u32 = 16;
/// [`Events::flags`] bit: a new device was trusted: a device token was issued
/// (`device::issue`; [`Events::trusted_at`] says when). C `PCODES_EVENT_DEVICE_TRUSTED`.
pub const EVENT_DEVICE_TRUSTED: u32 = 32;

/// What happened between two blobs of one flow ([`events`]). Each number is meaningful only
/// with its flag, and 0 without it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Events {
    /// `EVENT_*` bits; 0 = nothing happened to the protection.
    pub flags: u32,
    /// With [`EVENT_FAILURE_COUNTED`]: how many more counted failures bring the next lock or
    /// block (the one that reaches it included), from the run's thresholds or the guess budget
    /// (`BUDGET_GUESSES`), whichever is nearer; 0 once blocked or the budget is full.
    pub failures_left: u32,
    /// With [`EVENT_LOCK_STARTED`]: unix seconds at which the lock ends (attempts are allowed
    /// again from that second).
    pub locked_until: u64,
    /// With [`EVENT_RECOVERY_USED`]: codes of the set left unused.
    pub recovery_left: u32,
    /// With [`EVENT_DEVICE_TRUSTED`]: unix seconds at which the token was issued (the `now` of
    /// `device::issue`).
    pub trusted_at: u64,
}

impl Events {
    /// Whether every bit of `flag` (an `EVENT_*` constant) is set.
    #[must_use]
    pub fn has(&self, flag: u32) -> bool {
        flag != 0 && self.flags & flag == flag
    }
}

/// What the call that turned the blob `old` into `new` at `now` did to the protection of the
/// flow: a failure counted, a lock started, a block, a clear, a recovery code used, a device
/// trusted (a device token issued, read from the account's device blob). `old` and
/// `new` are blobs of the same flow (either may be the all-zero fresh blob; both fresh: no
/// event), `now` the time passed to that call, `ctx` the context it used (its lockout
/// settings give [`Events::failures_left`]). Pure: it reads only the two blobs' headers and
/// payloads, no key, no code. Compute it from the blob the call read and the blob whose
/// compare-and-swap succeeded: an event is real only once that write went through.
///
/// For a PIN verified in two phases, pass the blob read before `verify_begin` and the one
/// stored after `verify_finish` / `verify_apply`: `begin` counts every attempt in advance, so
/// its own pair always shows a counted failure, which a right PIN then clears.
///
/// # Errors
/// [`Error::InvalidArgument`] for a `now` outside the clock's range, or blobs of two different
/// flows; [`Error::CorruptState`] if no flow would read one of them.
pub fn events(ctx: &Context, old: &[u8], new: &[u8], now: u64) -> Result<Events> {
    crate::diag::clear(); // a call that succeeds leaves no detail behind
    crate::clock::check(now)?;
    // The details name the blob (the decoder's own say `state`, which this call has two of).
    if old.len() != crate::blob::STATE_BYTES {
        return Err(Error::CorruptState.because(c"old_state_len: must be PCODES_STATE_BYTES (64)"));
    }
    if new.len() != crate::blob::STATE_BYTES {
        return Err(Error::CorruptState.because(c"new_state_len: must be PCODES_STATE_BYTES (64)"));
    }
    let o = State::decode_any(old).map_err(|e| {
        e.because(c"old_state: not a blob any flow reads (unknown kind or version, or damaged)")
    })?;
    let n = State::decode_any(new).map_err(|e| {
        e.because(c"new_state: not a blob any flow reads (unknown kind or version, or damaged)")
    })?;
    let (o, n) = match (o, n) {
        (None, None) => return Ok(Events::default()),
        (Some(o), Some(n)) if o.kind() != n.kind() => {
            return Err(Error::InvalidArgument.because(c"new_state: a blob of another flow than old_state"));
        }
        (Some(o), Some(n)) => (o, n),
        (Some(o), None) => {
            let n = State::fresh(o.kind());
            (o, n)
        }
        (None, Some(n)) => (State::fresh(n.kind()), n),
    };
    Ok(between(&o, &n, ctx.policy(), now))
}

/// [`events`] on decoded states of one kind. Both states are read as the lockout sees them at
/// `now`: a run that had faded counts as none (so its restart at 1 is a counted failure, a
/// success after it clears nothing, and a call that left a faded run as it was shows nothing).
fn between(o: &State, n: &State, policy: &Policy, now: u64) -> Events {
    // Both as the lockout sees them at `now`: a call that counted a failure stamped it `now`, so
    // its run has not faded; a call that counted nothing (a revocation) left the old run as it was.
    let (mut o, mut n) = (o.clone(), n.clone());
    crate::lockout::fade(&mut o, policy, now);
    crate::lockout::fade(&mut n, policy, now);
    let (o, n) = (&o, &n);
    let mut e = Events::default();
    if counted(o, n) {
        e.flags |= EVENT_FAILURE_COUNTED;
        // The run's next threshold, or the long-horizon budget's, whichever comes first.
        let budget_left =
            policy.budget_guesses.saturating_sub(u32::from(crate::lockout::drained(n, policy, now).0));
        e.failures_left = failures_left(policy, n.failures).min(budget_left);
    }
    if n.locked_until == BLOCKED {
        if o.locked_until != BLOCKED {
            e.flags |= EVENT_BLOCKED;
        }
    } else if n.locked_until != o.locked_until && n.locked_until > now {
        e.flags |= EVENT_LOCK_STARTED;
        e.locked_until = n.locked_until;
    }
    if (o.failures != 0 || o.locked_until != 0) && n.failures == 0 && n.locked_until == 0 {
        e.flags |= EVENT_CLEARED;
    }
    if let (Some((set_o, left_o)), Some((set_n, left_n))) = (kinds::recovery_left(o), kinds::recovery_left(n))
        && set_o == set_n
        && left_n < left_o
    {
        e.flags |= EVENT_RECOVERY_USED;
        e.recovery_left = left_n;
    }
    if let (Some((issued_o, _)), Some((issued_n, at_n))) =
        (kinds::devices_issued(o), kinds::devices_issued(n))
        && issued_n > issued_o
    {
        e.flags |= EVENT_DEVICE_TRUSTED;
        e.trusted_at = at_n;
    }
    e
}

/// Whether a failure was counted between the two states: the lockout engine only ever raises
/// the count by one per call, and only a success or a reset lowers it (to 0).
fn counted(o: &State, n: &State) -> bool {
    n.failures != 0 && n.failures != o.failures
}

/// Counted failures from `failures` until the next lock or the block (the one that reaches it
/// included); 0 once blocked.
fn failures_left(policy: &Policy, failures: u16) -> u32 {
    let f = u32::from(failures);
    let lock = policy.lock_after_failures.max(1);
    let next_lock = (f / lock).saturating_add(1).saturating_mul(lock);
    next_lock.min(policy.block_after_failures).saturating_sub(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blob::Kind;
    use crate::policy::Setting;

    #[test]
    fn failures_left_counts_to_the_next_threshold() {
        let p = Policy::default(); // 5 / 15
        let want = [5, 4, 3, 2, 1, 5, 4, 3, 2, 1, 5, 4, 3, 2, 1, 0, 0];
        for (f, w) in want.iter().enumerate() {
            assert_eq!(failures_left(&p, f as u16), *w, "{f}");
        }
        assert_eq!(failures_left(&p, u16::MAX), 0);
        let mut p = Policy::default();
        p.set(Setting::LockAfterFailures, 20).unwrap();
        p.set(Setting::BlockAfterFailures, 3).unwrap();
        assert_eq!([0, 1, 2, 3].map(|f| failures_left(&p, f)), [3, 2, 1, 0], "the block comes first");
    }

    #[test]
    fn header_transitions() {
        let p = Policy::default();
        let s = |failures, locked_until| {
            let mut s = State::fresh(Kind::Otp);
            (s.failures, s.locked_until) = (failures, locked_until);
            s
        };
        let e = between(&s(0, 0), &s(1, 0), &p, 100);
        assert_eq!(e, Events { flags: EVENT_FAILURE_COUNTED, failures_left: 4, ..Events::default() });
        let e = between(&s(4, 0), &s(5, 1000), &p, 100);
        assert_eq!(e.flags, EVENT_FAILURE_COUNTED | EVENT_LOCK_STARTED);
        assert_eq!((e.failures_left, e.locked_until), (5, 1000));
        let e = between(&s(14, 0), &s(15, BLOCKED), &p, 100);
        assert_eq!((e.flags, e.failures_left), (EVENT_FAILURE_COUNTED | EVENT_BLOCKED, 0));
        assert_eq!(between(&s(15, BLOCKED), &s(15, BLOCKED), &p, 100), Events::default(), "refused: nothing");
        assert_eq!(between(&s(5, 1000), &s(5, 1000), &p, 100), Events::default());
        for old in [s(15, BLOCKED), s(5, 1000), s(3, 0), s(5, 90)] {
            assert_eq!(between(&old, &s(0, 0), &p, 100).flags, EVENT_CLEARED, "{old:?}");
        }
        assert_eq!(between(&s(0, 0), &s(0, 0), &p, 100), Events::default());
        // A lock that is already over at `now` is not reported as starting.
        assert_eq!(between(&s(4, 0), &s(5, 100), &p, 100).flags, EVENT_FAILURE_COUNTED);
    }

    /// The old blob is read as the lockout saw it at `now` (issue 22 §2 with §4): a run that
    /// had faded restarts as a counted failure and a success after it clears nothing; the
    /// budget bounds `failures_left`.
    #[test]
    fn faded_runs_and_the_budget() {
        let p = Policy::default();
        let day = p.failure_reset_seconds;
        let mut old = State::fresh(Kind::Pin);
        crate::lockout::record_failure(&mut old, &p, 1_000);
        assert_eq!(old.failures, 1);
        let mut new = old.clone();
        crate::lockout::fade(&mut new, &p, 1_000 + day);
        crate::lockout::record_failure(&mut new, &p, 1_000 + day);
        assert_eq!(new.failures, 1, "a new run of one");
        let e = between(&old, &new, &p, 1_000 + day);
        assert_eq!((e.flags, e.failures_left), (EVENT_FAILURE_COUNTED, 4));
        let e = between(&old, &new, &p, 1_000 + day - 1);
        assert_eq!(e.flags, 0, "one second before the fade the same count is no new failure");
        let mut ok = old.clone();
        crate::lockout::record_success(&mut ok, false);
        assert_eq!(between(&old, &ok, &p, 1_000 + day).flags, 0, "nothing left to clear");
        assert_eq!(between(&old, &ok, &p, 1_000 + day - 1).flags, EVENT_CLEARED);

        // Failures spread so that no run reaches a lock, each fading: the budget's left comes first.
        let mut s = State::fresh(Kind::Pin);
        let mut t = 10_000;
        let (mut first, mut prev, mut n) = (None, 0, 0);
        let last = loop {
            let before = s.clone();
            crate::lockout::fade(&mut s, &p, t);
            crate::lockout::record_failure(&mut s, &p, t);
            let e = between(&before, &s, &p, t);
            assert!(e.has(EVENT_FAILURE_COUNTED), "{e:?}");
            if e.has(EVENT_LOCK_STARTED) || n > 200 {
                break e;
            }
            first.get_or_insert(e.failures_left);
            (prev, n) = (e.failures_left, n + 1);
            t += day; // a fade apart, less than a drain period
        };
        assert!(last.has(EVENT_LOCK_STARTED), "the budget locks: {last:?}");
        assert_eq!(last.failures_left, 0, "the budget is full: {last:?}");
        assert_eq!(prev, 1, "the one before said one more");
        assert_eq!(first, Some(4), "a run of one, the budget far");
    }

    #[test]
    fn has_needs_every_bit() {
        let e = Events { flags: EVENT_FAILURE_COUNTED | EVENT_BLOCKED, ..Events::default() };
        assert!(e.has(EVENT_BLOCKED) && e.has(EVENT_FAILURE_COUNTED | EVENT_BLOCKED));
        assert!(!e.has(EVENT_CLEARED) && !e.has(EVENT_BLOCKED | EVENT_CLEARED) && !e.has(0));
    }

    #[test]
    fn pairs_are_checked() {
        let ctx = Context::new(&[1; 32], 0).unwrap();
        let otp = State::fresh(Kind::Otp);
        let mut otp1 = otp.clone();
        otp1.failures = 1;
        let mut pin1 = State::fresh(Kind::Pin);
        pin1.failures = 1;
        let zero = [0u8; 64];
        assert_eq!(events(&ctx, &zero, &zero, 100), Ok(Events::default()));
        assert_eq!(events(&ctx, &zero, &otp1.encode(), 100).unwrap().flags, EVENT_FAILURE_COUNTED);
        assert_eq!(events(&ctx, &otp1.encode(), &zero, 100).unwrap().flags, EVENT_CLEARED);
        assert_eq!(events(&ctx, &otp1.encode(), &pin1.encode(), 100), Err(Error::InvalidArgument));
        assert_eq!(events(&ctx, &zero, &zero, 0), Err(Error::InvalidArgument), "now");
        assert_eq!(events(&ctx, &zero[..63], &zero, 100), Err(Error::CorruptState));
        let mut bad = otp1.encode();
        bad[1] = 99;
        assert_eq!(events(&ctx, &zero, &bad, 100), Err(Error::CorruptState));
        assert_eq!(events(&ctx, &bad, &zero, 100), Err(Error::CorruptState));
    }
}
