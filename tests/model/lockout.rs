//! The lockout engine's model (`src/lockout.rs`'s docs and the lockout table of
//! `docs/verdicts.md`), shared by every flow's model in `tests/model.rs`.

use super::*;

/// `FAILURE_RESET_SECONDS`, `BUDGET_GUESSES` and `BUDGET_DRAIN_SECONDS` of every context here
/// ([`with_policy`]): a run fades within the sequences' time steps, the budget fills within a
/// sequence, and one guess drains in the rare multi-day steps (6 days: the least allowed).
pub(crate) const FADE: u64 = 3_000;
pub(crate) const CAP: u64 = 8;
pub(crate) const DRAIN: u64 = 518_400;

/// `ctx` with the model's lockout settings.
pub(crate) fn with_policy(mut ctx: Context) -> Context {
    ctx.set(Setting::FailureResetSeconds, FADE).unwrap();
    ctx.set(Setting::BudgetGuesses, CAP).unwrap();
    ctx.set(Setting::BudgetDrainSeconds, DRAIN).unwrap();
    ctx
}

/// The lockout rows of `docs/verdicts.md` and `src/lockout.rs`'s docs with the default locks
/// (5 / 900 s / 1800 s / 15) and the model's fade and budget: a run fades `FADE` seconds after
/// its last failure (never when blocked, never while its time is unknown); every counted
/// failure charges the budget, one guess drains every `DRAIN` seconds in whole periods from the
/// budget's clock, a full budget locks until one has drained; a success clears the run, not
/// the budget, except its own charge when it was charged before (a PIN's begin).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Lock {
    pub(crate) failures: u32,
    pub(crate) until: u64,
    /// The latest counted failure (0: none since the last clear).
    pub(crate) last: u64,
    /// Guesses charged, as of `clock`.
    pub(crate) budget: u64,
    pub(crate) clock: u64,
}

impl Lock {
    pub(crate) fn check(&self, now: u64) -> Result<(), Error> {
        if self.until == u64::MAX {
            Err(Error::Blocked)
        } else if now < self.until {
            Err(Error::Locked)
        } else {
            Ok(())
        }
    }
    /// The run as an attempt at `now` sees it.
    pub(crate) fn faded(&self, now: u64) -> u32 {
        let gone = self.until != u64::MAX && self.last != 0 && now >= self.last + FADE;
        if gone { 0 } else { self.failures }
    }
    pub(crate) fn fail(&mut self, now: u64) {
        self.fail_blocking_at(now, 15);
    }
    /// [`Lock::fail`] with the block at `block` failures (the trusted lane's is lower).
    pub(crate) fn fail_blocking_at(&mut self, now: u64, block: u32) {
        SEEN.with(|s| {
            let mut s = s.get();
            s.fades += u64::from(self.failures != 0 && self.faded(now) == 0);
            s.drains += u64::from(self.budget != 0 && now >= self.clock + DRAIN);
            s.budget_locks += u64::from(self.budget + 1 >= CAP);
            SEEN.set(s);
        });
        self.failures = self.faded(now) + 1;
        let periods = now.saturating_sub(self.clock) / DRAIN;
        if self.budget > periods {
            self.budget -= periods;
            self.clock += periods * DRAIN;
        } else {
            (self.budget, self.clock) = (0, now);
        }
        self.clock = self.clock.min(now); // a clock behind the budget's moves it back

        self.budget += 1;
        self.last = now;
        if self.until == u64::MAX {
            return;
        }
        let mut until = if self.until > now { self.until } else { 0 };
        if self.failures >= block {
            self.until = u64::MAX;
            return;
        }
        if self.failures.is_multiple_of(5) {
            until = until.max(now + if self.failures == 5 { 900 } else { 1800 });
        }
        if self.budget >= CAP {
            until = until.max(self.clock + (self.budget - CAP + 1) * DRAIN);
        }
        self.until = until;
    }
    pub(crate) fn success(&mut self) {
        self.clear(false);
    }
    /// A success that gives back its own earlier charge (`refund`), or not.
    pub(crate) fn clear(&mut self, refund: bool) {
        (self.failures, self.until) = (0, 0);
        if refund {
            self.budget -= 1;
        }
        if self.budget == 0 {
            (self.last, self.clock) = (0, 0);
        }
    }
    pub(crate) fn retry_at(&self, wait: u64, now: u64) -> u64 {
        let t = self.until.max(wait);
        if t > now { t } else { 0 }
    }
}

/// What this thread's sequences went through: the model's rules must all have been exercised.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Seen {
    fades: u64,
    drains: u64,
    budget_locks: u64,
}

thread_local! {
    static SEEN: std::cell::Cell<Seen> = const { std::cell::Cell::new(Seen { fades: 0, drains: 0, budget_locks: 0 }) };
}

/// At the end of a flow's test: its sequences faded runs, drained and filled budgets.
pub(crate) fn assert_rules_exercised(flow: &str) {
    let s = SEEN.with(std::cell::Cell::get);
    assert!(s.fades > 0 && s.drains > 0 && s.budget_locks > 0, "{flow}: {s:?}");
}
