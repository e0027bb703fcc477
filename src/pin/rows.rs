//! `decide_begin` / `decide_finish` / `decide_verify` against the PIN table of
//! `docs/verdicts.md`, row by row (`crate::flow::rows`).

use std::vec;

use super::{Payload, decide_begin, decide_finish, decide_verify};
use crate::blob::{Kind, STATE_BYTES};
use crate::error::Error;
use crate::flow::rows::{self, Got};
use crate::flow::{Count, Gate};

const NOW: u64 = 1_700_000_000;

#[test]
fn decide_follows_the_pin_rows() {
    let h = rows::header(Kind::Pin, 3);
    let none = Payload { pending: 0 };
    let two = Payload { pending: 2 };
    let refusals = [Error::MalformedHash, Error::UnknownKey, Error::PinFormat];
    let begin = |p: &Payload, a| rows::got(&h, p, Gate::Lockout, NOW, |h, p| decide_begin(h, p, a));
    let finish = |p: &Payload, m| rows::got(&h, p, Gate::Open, NOW, |h, p| decide_finish(h, p, m));
    rows::check(
        "PINs",
        3,
        &[
            (1, &|| rows::gate_rows(&h, &two, NOW, |h, p| decide_begin(h, p, Ok(())))),
            (2, &|| refusals.iter().map(|&e| begin(&two, Err(e)).0).collect()),
            (3, &|| {
                let (g, s, p) = begin(&two, Ok(()));
                assert_eq!((s.failures, p.pending), (4, 3), "failures + 1, pending + 1");
                vec![g]
            }),
            (4, &|| [Ok(true), Ok(false), Err(Error::MalformedHash)].map(|m| finish(&none, m).0).to_vec()),
            (5, &|| refusals.iter().map(|&e| finish(&two, Err(e)).0).collect()),
            (6, &|| {
                let (g, s, p) = finish(&two, Ok(false));
                assert_eq!((s.failures, p.pending), (3, 1), "pending − 1, the failure stays");
                vec![g]
            }),
            (7, &|| {
                let (g, s, p) = finish(&two, Ok(true));
                assert_eq!((s.failures, s.locked_until, p.pending), (0, 0, 0));
                vec![g]
            }),
            (8, &|| {
                let mut s = h.clone();
                s.locked_until = NOW + 5;
                s.payload[0] = 2; // two pending credits
                let mut b = s.encode();
                crate::state::reset(&mut b).unwrap();
                assert_eq!(b, [0; STATE_BYTES], "failures 0, lock cleared, pending 0");
                vec![Got { status: "OK", counted: Count::Success, unchanged: false }]
            }),
        ],
    );
}

/// The one-call form is `begin` then `finish` on the same blob (the table's last line).
#[test]
fn verify_is_begin_then_finish() {
    for failures in [0u16, 3, 4, 14, u16::MAX] {
        for pending in [0u16, 1, failures] {
            let h = rows::header(Kind::Pin, failures);
            let p = Payload { pending: pending.min(failures) };
            for matched in [true, false] {
                let (one, s1, p1) = rows::got(&h, &p, Gate::Open, NOW, |h, p| decide_verify(h, p, matched));
                let (_, hb, pb) = rows::got(&h, &p, Gate::Open, NOW, |h, p| decide_begin(h, p, Ok(())));
                let (two, s2, p2) =
                    rows::got(&hb, &pb, Gate::Open, NOW, |h, p| decide_finish(h, p, Ok(matched)));
                assert_eq!((one.status, s1, p1), (two.status, s2, p2), "{failures} {pending} {matched}");
            }
        }
    }
}
