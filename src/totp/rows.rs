//! `decide` against the TOTP and HOTP tables of `docs/verdicts.md`, row by row
//! (`crate::flow::rows`).

use std::vec;

use super::{Counter, CounterPayload, ENROLMENT_BYTES, Facts, decide};
use crate::blob::Kind;
use crate::flow::Gate;
use crate::flow::rows;

const NOW: u64 = 1_700_000_000;
/// The enrolment every scenario types against.
const E: [u8; ENROLMENT_BYTES] = [9; ENROLMENT_BYTES];

fn scanned(found: bool, at: u64, used: bool) -> Facts {
    Facts::Scanned { found, at, used }
}

#[test]
fn decide_follows_the_totp_rows() {
    let h = rows::header(Kind::Totp, 2);
    let fresh = CounterPayload::<false>(Counter::default());
    let accepted = CounterPayload::<false>(Counter { value: 40, accepted: true, spent: false, enrolment: E });
    let call = |p: &CounterPayload<false>, f| rows::got(&h, p, Gate::Lockout, NOW, |h, p| decide(h, p, f, E));
    let run = |p: &CounterPayload<false>, f| call(p, f).0;
    rows::check(
        "TOTP",
        2,
        &[
            (1, &|| rows::gate_rows(&h, &accepted, NOW, |h, p| decide(h, p, scanned(true, 41, false), E))),
            (2, &|| vec![run(&fresh, Facts::Mistyped), run(&accepted, Facts::Mistyped)]),
            (3, &|| {
                [(fresh, 39), (accepted, 41)]
                    .iter()
                    .map(|(p, at)| {
                        let (g, s, next) = call(p, scanned(true, *at, true));
                        assert_eq!((next.0.value, next.0.accepted, s.failures), (*at, true, 0));
                        g
                    })
                    .collect()
            }),
            (4, &|| vec![run(&accepted, scanned(false, 0, true))]),
            (5, &|| vec![run(&fresh, scanned(false, 0, false)), run(&accepted, scanned(false, 0, false))]),
        ],
    );
}

#[test]
fn decide_follows_the_hotp_rows() {
    let h = rows::header(Kind::Hotp, 2);
    let fresh = CounterPayload::<true>(Counter::default());
    let next = CounterPayload::<true>(Counter { value: 8, accepted: true, spent: false, enrolment: E });
    let spent =
        CounterPayload::<true>(Counter { value: u64::MAX, accepted: true, spent: true, enrolment: E });
    let call = |p: &CounterPayload<true>, f| rows::got(&h, p, Gate::Lockout, NOW, |h, p| decide(h, p, f, E));
    let run = |p: &CounterPayload<true>, f| call(p, f).0;
    rows::check(
        "HOTP",
        2,
        &[
            (1, &|| rows::gate_rows(&h, &next, NOW, |h, p| decide(h, p, scanned(true, 9, false), E))),
            (2, &|| [fresh, next, spent].iter().map(|p| run(p, Facts::Mistyped)).collect()),
            (3, &|| {
                [scanned(true, 3, false), scanned(false, 0, true), scanned(false, 0, false)]
                    .map(|f| run(&spent, f))
                    .to_vec()
            }),
            (4, &|| {
                [(fresh, 2, 3, false), (next, 9, 10, false), (next, u64::MAX, u64::MAX, true)]
                    .iter()
                    .map(|(p, at, value, spent)| {
                        let (g, s, n) = call(p, scanned(true, *at, false));
                        assert_eq!((n.0.value, n.0.spent, s.failures), (*value, *spent, 0));
                        g
                    })
                    .collect()
            }),
            (5, &|| vec![run(&next, scanned(false, 0, true))]),
            (6, &|| vec![run(&fresh, scanned(false, 0, false)), run(&next, scanned(false, 0, false))]),
        ],
    );
}

/// Issue 20 §4: a blob bound to another enrolment (another secret, or the period changed) is read
/// as fresh — the right code is accepted, not refused as already used — and the accepted code
/// binds the blob to the new enrolment; the lockout header is kept. A blob not bound yet (zero,
/// written before blobs were bound) counts as this enrolment.
#[test]
fn a_new_enrolment_starts_a_new_replay_history() {
    let h = rows::header(Kind::Totp, 2);
    let old = CounterPayload::<false>(Counter { value: 40, accepted: true, spent: false, enrolment: [1; 8] });
    let (g, s, next) = rows::got(&h, &old, crate::flow::Gate::Lockout, NOW, |h, p| {
        decide(h, p, scanned(true, 40, false), E)
    });
    assert_eq!((g.status, s.failures, next.0.value, next.0.enrolment), ("OK", 0, 40, E));
    let (g, s, next) = rows::got(&h, &old, crate::flow::Gate::Lockout, NOW, |h, p| {
        decide(h, p, scanned(false, 0, false), E)
    });
    assert_eq!((g.status, s.failures, next), ("WRONG", 3, CounterPayload::default()), "fresh, lockout kept");
    let unbound = CounterPayload::<false>(Counter { enrolment: [0; 8], ..old.0 });
    let (g, _, _) = rows::got(&h, &unbound, crate::flow::Gate::Lockout, NOW, |h, p| {
        decide(h, p, scanned(false, 0, true), E)
    });
    assert_eq!(g.status, "ALREADY_USED", "an unbound blob keeps its history");
}
