//! The one shape every flow has: **decode → gate → facts → decide → count → write back**.
//!
//! 1. [`run`] decodes the blob with the flow's [`Payload`] codec (a foreign or garbled blob is
//!    [`Error::CorruptState`] and is left untouched);
//! 2. the [`Gate`]: for an attempt, [`lockout::check`] refuses a locked or blocked state before
//!    anything about the input is computed (row 1 of every table in `docs/verdicts.md`); for an
//!    attempt whose input can prove itself ([`Gate::LockoutUnlessProven`]: a link code whose tag
//!    verified), after the facts, and only if `decide`'s row is not one that only a proven
//!    input reaches;
//! 3. the flow computes its **facts**: what the keyed computations found about the input (a
//!    tag that verified, a counter that matched, a PIN that matched), all of them, in constant
//!    time, before any verdict is chosen, so that the order of the verdict rows cannot show in
//!    the time;
//! 4. the flow's pure `decide(header, payload, facts, policy, now) -> Outcome` picks the row of
//!    its table: the verdict, whether the try is [`Count`]ed, and the next payload;
//! 5. [`settle`] records the count in the header (the only place that calls
//!    [`lockout::fade`], [`lockout::record_failure`] and [`lockout::record_success`]: a faded
//!    run, the budget), and [`run`] writes the blob
//!    back, also for a refused try (a counted failure must be stored).
//!
//! No flow calls `lockout::*` itself. The decisions are tested table-driven from the rows of
//! `docs/verdicts.md` (`src/flow/rows.rs` reads that page; each flow has its `rows.rs` of scenarios).

use crate::blob::{self, PAYLOAD_AT, Payload, STATE_BYTES, State};
use crate::error::{Error, Result};
use crate::lockout;
use crate::policy::Policy;

#[cfg(test)]
pub(crate) mod rows;

/// What an attempt is worth to the lockout engine (the table's "counted" column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Count {
    /// Not counted: the blob's failures and lock stay as they are.
    No,
    /// One failure: may lock or block ([`lockout::record_failure`]).
    Failure,
    /// A success: the run and any lock are cleared, the budget stays ([`lockout::record_success`]).
    Success,
    /// The success of an attempt already counted as a failure (a PIN's `finish`/`apply` after
    /// `begin`): as `Success`, and that failure's budget charge is given back.
    Refunded,
    /// `Failure` and then `Refunded` on the same blob: a PIN's one-call `verify` that matched
    /// (the blob exactly `begin` + `finish`).
    CountedRefunded,
}

impl Count {
    /// The table's "counted" column this count is shown as (`—` for every kind of success).
    #[cfg(test)]
    pub(crate) fn column(self) -> Count {
        match self {
            Count::Refunded | Count::CountedRefunded => Count::Success,
            c => c,
        }
    }
}

/// Whether the lockout refuses the call before any fact is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gate {
    /// An attempt: `LOCKED` / `BLOCKED` while the lockout engine refuses the state.
    Lockout,
    /// An attempt whose input can prove that its holder got it from the issuer (a link code
    /// whose 40-bit tag verified, issue 22 §3): while the lockout engine refuses the state, the
    /// facts are still computed and `decide` still picks its row; a row that only a proven
    /// input reaches ([`Outcome::proven`]) is answered on its merits and counts nothing (the
    /// lockout stays as it is), every other row is refused `LOCKED` / `BLOCKED`, not counted.
    /// So a run of forged inputs locks out forged inputs only.
    LockoutUnlessProven,
    /// Not an attempt (issuing a link code) or already admitted (the second phase of a PIN
    /// verification, whose first phase passed the gate and was counted).
    Open,
}

/// A flow's decision about one call: the row of its table.
#[derive(Debug)]
#[must_use]
pub(crate) struct Outcome<P, T> {
    /// What the caller is told.
    pub(crate) verdict: Result<T>,
    /// What the try is worth to the lockout engine.
    pub(crate) counted: Count,
    /// The payload to store.
    pub(crate) next: P,
    /// The header's flow-specific wait ([`State::wait_until`]) to store.
    pub(crate) wait_until: u64,
    /// Only an input that proved itself reaches this row ([`Gate::LockoutUnlessProven`]).
    pub(crate) proven: bool,
}

impl<P, T> Outcome<P, T> {
    /// A row whose blob becomes `next`, counted as `counted`; the flow's wait is kept.
    pub(crate) fn new(verdict: Result<T>, counted: Count, header: &State, next: P) -> Self {
        Self { verdict, counted, next, wait_until: header.wait_until, proven: false }
    }

    /// The same row, marked as one that only a proven input reaches ([`Gate::LockoutUnlessProven`]).
    pub(crate) fn proven(mut self) -> Self {
        self.proven = true;
        self
    }

    /// A row that answers `e` and leaves the blob as it was (not counted).
    pub(crate) fn unchanged(e: Error, header: &State, payload: &P) -> Self
    where
        P: Clone,
    {
        Self::new(Err(e), Count::No, header, payload.clone())
    }

    /// A counted wrong try: the blob becomes `next`, and one failure is recorded.
    pub(crate) fn wrong(header: &State, next: P) -> Self {
        Self::new(Err(Error::Wrong), Count::Failure, header, next)
    }

    /// The same row with the flow's wait set to `wait_until`.
    pub(crate) fn waiting(mut self, wait_until: u64) -> Self {
        self.wait_until = wait_until;
        self
    }
}

/// Gate, decide and count, on decoded state: pure (no blob, no clock, no key). `Err` means the
/// call was refused (the gate, or `decide` refusing a developer's argument) and nothing
/// changes; otherwise the verdict with the new header and payload.
///
/// # Errors
/// [`Error::Locked`] / [`Error::Blocked`] from the gate; whatever `decide` refuses.
#[inline(always)]
pub(crate) fn settle<P, T>(
    header: &State,
    payload: &P,
    gate: Gate,
    policy: &Policy,
    now: u64,
    decide: impl FnOnce(&State, &P) -> Result<Outcome<P, T>>,
) -> Result<(Result<T>, State, P)> {
    // An attempt sees its run as it counts now (a faded run as none); a call already admitted
    // (`Gate::Open`) sees it as stored. A try that is not counted stores the header as it was.
    let refused = if gate == Gate::Open { Ok(()) } else { lockout::check(header, now) };
    if gate == Gate::Lockout {
        refused?;
    }
    let faded_view;
    let view = if refused.is_ok() && gate != Gate::Open && lockout::faded(header, policy, now) {
        let mut v = header.clone();
        lockout::fade(&mut v, policy, now);
        faded_view = v;
        &faded_view
    } else {
        header
    };
    let o = decide(view, payload)?;
    if let Err(e) = refused {
        // `Gate::LockoutUnlessProven` on a locked state: only a proven row is answered, and a
        // locked state never counts anything.
        if !o.proven || o.counted != Count::No {
            return Err(e);
        }
    }
    let mut s = if o.counted == Count::No { header.clone() } else { view.clone() };
    match o.counted {
        Count::No => {}
        Count::Failure => lockout::record_failure(&mut s, policy, now),
        Count::Success => lockout::record_success(&mut s, false),
        Count::Refunded => lockout::record_success(&mut s, true),
        Count::CountedRefunded => {
            lockout::record_failure(&mut s, policy, now);
            lockout::record_success(&mut s, true);
        }
    }
    s.wait_until = o.wait_until;
    Ok((o.verdict, s, o.next))
}

/// The one way every flow reads and writes its blob: decode (a refused blob is left
/// untouched), [`settle`] with the flow's facts and decision, write the new blob (the all-zero
/// blob when the state equals the fresh one). A verdict never carries a developer detail
/// ([`crate::diag`]): one recorded while the facts were computed is cleared.
///
/// # Errors
/// [`Error::CorruptState`]; then as [`settle`] (blob untouched); then the verdict.
#[inline(always)]
pub(crate) fn run<P: Payload, T>(
    blob: &mut [u8; STATE_BYTES],
    gate: Gate,
    policy: &Policy,
    now: u64,
    decide: impl FnOnce(&State, &P) -> Result<Outcome<P, T>>,
) -> Result<T> {
    let (s, p) = blob::read_flow::<P>(blob)?;
    let (verdict, s, p) = settle(&s, &p, gate, policy, now, decide).inspect_err(|e| {
        // The gate's `LOCKED` after the facts were computed (`Gate::LockoutUnlessProven`).
        if is_verdict(*e) {
            crate::diag::clear();
        }
    })?;
    write(blob, &s, &p);
    clear_detail(&verdict);
    verdict
}

/// [`run`] for an attempt in a trusted lane (`crate::device`): two blobs, one attempt. The
/// flow's blob `flow_blob` gives the decision its header and payload and stores the next payload
/// and the flow's wait, but its lockout is neither gated nor counted; the lane's blob
/// `lane_blob` (the account's device blob) is gated and counted under `lane_policy`, its payload
/// kept. Nothing is written unless both blobs decode and the lane's gate admits the attempt; then
/// both are written (the host stores both, in one transaction, with compare-and-swap on each).
///
/// # Errors
/// [`Error::CorruptState`] (either blob; both untouched); then as [`settle`] on the lane's blob
/// (both untouched); then the verdict.
#[inline(always)]
pub(crate) fn run_trusted<P: Payload, L: Payload + Clone, T>(
    flow_blob: &mut [u8; STATE_BYTES],
    lane_blob: &mut [u8; STATE_BYTES],
    lane_policy: &Policy,
    now: u64,
    decide: impl FnOnce(&State, &P) -> Result<Outcome<P, T>>,
) -> Result<T> {
    let (mut fs, fp) = blob::read_flow::<P>(flow_blob)?;
    let (ls, lp) = blob::read_flow::<L>(lane_blob)?;
    let mut flow_next = None;
    let (verdict, ls, lp) = settle(&ls, &lp, Gate::Lockout, lane_policy, now, |lh, lp: &L| {
        let o = decide(&fs, &fp)?;
        flow_next = Some((o.next, o.wait_until));
        Ok(Outcome::new(o.verdict, o.counted, lh, lp.clone()))
    })?;
    let Some((fp, wait_until)) = flow_next else { return Err(Error::Internal) };
    fs.wait_until = wait_until;
    write(flow_blob, &fs, &fp);
    write(lane_blob, &ls, &lp);
    clear_detail(&verdict);
    verdict
}

/// Encodes header and payload into `blob` in place (the all-zero blob for a fresh state).
#[inline(always)]
fn write<P: Payload>(blob: &mut [u8; STATE_BYTES], s: &State, p: &P) {
    let header_zero = s.encode_header(blob);
    let payload = &mut blob[PAYLOAD_AT..];
    payload.fill(0);
    p.encode(payload);
    blob::canonicalize_after_header(blob, header_zero && !p.surely_not_zero());
}

/// A verdict never carries a developer detail: one recorded while the facts were computed is
/// cleared (an error that is not a verdict keeps its detail).
#[inline(always)]
fn clear_detail<T>(verdict: &Result<T>) {
    if verdict.as_ref().err().is_none_or(|e| is_verdict(*e)) {
        crate::diag::clear();
    }
}

/// A verdict about the input (its class in `statuses!`): it never carries a developer detail.
fn is_verdict(e: Error) -> bool {
    e.class() == crate::error::StatusClass::Verdict
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blob::Kind;

    /// `Gate::LockoutUnlessProven` on a locked state: an unproven row is refused; a proven row
    /// is answered with the header as it was; a proven row that would count is refused too (a
    /// locked state never counts anything).
    #[test]
    fn a_locked_state_answers_only_proven_rows_and_counts_nothing() {
        let policy = Policy::default();
        let now = 1_700_000_000;
        let mut h = State::fresh(Kind::Link);
        h.failures = 5;
        h.locked_until = now + 60;
        h.last_failure = now - 1;
        let run_on = |h: &State, counted: Count, proven: bool| {
            settle(h, &0u8, Gate::LockoutUnlessProven, &policy, now, |h, _| {
                let o = Outcome::new(Ok(()), counted, h, 1u8);
                Ok(if proven { o.proven() } else { o })
            })
        };
        let run = |counted, proven| run_on(&h, counted, proven);
        assert_eq!(run(Count::No, false).err(), Some(Error::Locked));
        assert_eq!(run(Count::Failure, false).err(), Some(Error::Locked));
        for c in [Count::Failure, Count::Success, Count::Refunded, Count::CountedRefunded] {
            assert_eq!(run(c, true).err(), Some(Error::Locked), "{c:?}");
        }
        let (verdict, s, next) = run(Count::No, true).unwrap();
        assert_eq!((verdict, next), (Ok(()), 1));
        assert!(s == h, "the lockout as it was");
        // Free: every row is decided and counted as under `Gate::Lockout`.
        let mut free = h.clone();
        free.locked_until = 0;
        for proven in [false, true] {
            let (_, s, _) = run_on(&free, Count::Failure, proven).unwrap();
            assert_eq!(s.failures, 6);
        }
    }

    /// An attempt (either lockout gate) sees a faded run as none and counts from it; a call
    /// already admitted (`Gate::Open`) sees the run as stored; a try that is not counted stores
    /// the header as it was, faded or not.
    #[test]
    fn attempts_see_a_faded_run_admitted_calls_the_stored_one() {
        let policy = Policy::default();
        let now = 1_700_000_000;
        let mut h = State::fresh(Kind::Link);
        h.failures = 3;
        h.budget = 3;
        h.budget_at = now - policy.failure_reset_seconds;
        h.last_failure = now - policy.failure_reset_seconds;
        for (gate, seen, counted) in
            [(Gate::Lockout, 0, 1), (Gate::LockoutUnlessProven, 0, 1), (Gate::Open, 3, 4)]
        {
            for count in [Count::No, Count::Failure] {
                let (verdict, s, _) = settle(&h, &0u8, gate, &policy, now, |v, _| {
                    Ok(Outcome::new(Ok(v.failures), count, v, 0u8))
                })
                .unwrap();
                assert_eq!(verdict, Ok(seen), "{gate:?}: the run decide sees");
                if count == Count::No {
                    assert!(s == h, "{gate:?}: not counted, the header as it was");
                } else {
                    assert_eq!(s.failures, counted, "{gate:?}");
                }
            }
        }
    }
}
