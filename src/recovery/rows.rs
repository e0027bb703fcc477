//! `decide` against the recovery table of `docs/verdicts.md`, row by row (`crate::flow::rows`).

use std::vec;
use std::vec::Vec;

use super::{Facts, Payload, decide};
use crate::blob::Kind;
use crate::flow::Gate;
use crate::flow::rows::{self, Got};

const NOW: u64 = 1_700_000_000;

#[test]
fn decide_follows_the_recovery_rows() {
    let h = rows::header(Kind::Recovery, 2);
    let set = Payload { set_id: [9; 8], count: 10, used: 0b10 };
    let all_used = Payload { used: 0x3FF, ..set.clone() };
    let facts = |matched| Facts { set_id: set.set_id, count: set.count, matched };
    let call = |p: &Payload, f: Facts| rows::got(&h, p, Gate::Lockout, NOW, |h, p| decide(h, p, &f));
    let run = |p: &Payload, f: Facts| call(p, f).0;
    let inputs = [facts(None), facts(Some(0)), facts(Some(1)), facts(Some(2))];
    rows::check(
        "Recovery",
        2,
        &[
            (1, &|| rows::gate_rows(&h, &set, NOW, |h, p| decide(h, p, &facts(Some(1))))),
            (2, &|| inputs.iter().map(|&f| run(&Payload::NONE, f)).collect()),
            (3, &|| {
                // Another set id, or the same id with another count (an edited string).
                let other = Payload { set_id: [8; 8], ..set.clone() };
                let recount = Payload { count: 9, used: 0, ..set.clone() };
                inputs.iter().flat_map(|&f| [run(&other, f), run(&recount, f)]).collect()
            }),
            (4, &|| vec![run(&set, facts(None)), run(&all_used, facts(None))]),
            (5, &|| {
                [&set, &all_used]
                    .into_iter()
                    .map(|p| {
                        let (g, s, next) = call(p, facts(Some(0)));
                        assert_eq!(
                            (s.failures, &next),
                            (h.failures + 1, p),
                            "failures + 1, codes as they were"
                        );
                        g
                    })
                    .collect::<Vec<Got>>()
            }),
            (6, &|| {
                vec![
                    run(&set, facts(Some(2))),
                    run(&all_used, facts(Some(1))),
                    run(&all_used, facts(Some(0x200))),
                ]
            }),
            (7, &|| {
                let (g, s, next) = call(&set, facts(Some(1)));
                assert_eq!((next.used, s.failures), (0b11, 0), "code 0 used, failures 0");
                let (g2, _, next2) = call(&next, facts(Some(0x200)));
                assert_eq!(next2.used, 0x203);
                assert_eq!((next.remaining(), next2.remaining()), (8, 7));
                // Two slots with one tag (only a forged string has them): the unused one is
                // taken and the used one stays used, never released again.
                let (g3, _, next3) = call(&set, facts(Some(0b11)));
                assert_eq!(next3.used, 0b11, "a used code stays used");
                vec![g, g2, g3]
            }),
        ],
    );
}
