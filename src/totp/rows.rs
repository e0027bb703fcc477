//! `decide` against the TOTP and HOTP tables of `docs/verdicts.md`, row by row
//! (`crate::flow::rows`).

use std::vec;

use super::{Counter, CounterPayload, Facts, decide};
use crate::flow::Gate;
use crate::flow::rows;
use crate::state::Kind;

const NOW: u64 = 1_700_000_000;

fn scanned(found: bool, at: u64, used: bool) -> Facts {
    Facts::Scanned { found, at, used }
}

#[test]
fn decide_follows_the_totp_rows() {
    let h = rows::header(Kind::Totp, 2);
    let fresh = CounterPayload::<false>(Counter::default());
    let accepted = CounterPayload::<false>(Counter { value: 40, accepted: true, spent: false });
    let call = |p: &CounterPayload<false>, f| rows::got(&h, p, Gate::Lockout, NOW, |h, p| decide(h, p, f));
    let run = |p: &CounterPayload<false>, f| call(p, f).0;
    rows::check(
        "TOTP",
        2,
        &[
            (1, &|| rows::gate_rows(&h, &accepted, NOW, |h, p| decide(h, p, scanned(true, 41, false)))),
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
    let next = CounterPayload::<true>(Counter { value: 8, accepted: true, spent: false });
    let spent = CounterPayload::<true>(Counter { value: u64::MAX, accepted: true, spent: true });
    let call = |p: &CounterPayload<true>, f| rows::got(&h, p, Gate::Lockout, NOW, |h, p| decide(h, p, f));
    let run = |p: &CounterPayload<true>, f| call(p, f).0;
    rows::check(
        "HOTP",
        2,
        &[
            (1, &|| rows::gate_rows(&h, &next, NOW, |h, p| decide(h, p, scanned(true, 9, false)))),
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
