//! `decide` against the SMS table of `docs/verdicts.md`, row by row (`crate::flow::rows`).

use std::vec;

use super::{Facts, Payload, decide};
use crate::blob::Kind;
use crate::flow::Gate;
use crate::flow::rows::{self, Got};
use crate::policy::Policy;

const NOW: u64 = 1_700_000_000;

#[test]
fn decide_follows_the_sms_rows() {
    let policy = Policy::default();
    let h = rows::header(Kind::Otp, 2);
    let live = Payload { digits: 6, issued_at: NOW - 10, tag: [1; 8], ..Payload::none() };
    let used = Payload { used: true, ..live.clone() };
    let expired = Payload { issued_at: NOW - policy.otp_ttl_seconds, ..live.clone() };
    let exhausted = Payload { attempts: u8::try_from(policy.otp_max_attempts).unwrap(), ..live.clone() };
    let cmp = |current, previous| Facts::Compared { current, previous };
    let call =
        |p: &Payload, f: Facts| rows::got(&h, p, Gate::Lockout, NOW, |h, p| decide(h, p, f, &policy, NOW));
    let run = |p: &Payload, f: Facts| call(p, f).0;
    let any = [cmp(true, false), cmp(false, true), cmp(false, false)];
    rows::check(
        "SMS",
        2,
        &[
            (1, &|| rows::gate_rows(&h, &live, NOW, |h, p| decide(h, p, cmp(true, false), &policy, NOW))),
            (2, &|| {
                // Revoked (`state::revoke`): only the send history is left.
                let revoked = Payload { revoked: true, tag: [0; 8], ..live.clone() };
                let states = [Payload::none(), revoked];
                any.iter()
                    .chain(&[Facts::Mistyped])
                    .flat_map(|&f| states.iter().map(move |p| (p, f)))
                    .map(|(p, f)| run(p, f))
                    .collect()
            }),
            (3, &|| vec![run(&live, Facts::Mistyped), run(&used, Facts::Mistyped)]),
            (4, &|| vec![run(&live, Facts::UnknownKey), run(&used, Facts::UnknownKey)]),
            (5, &|| {
                let used_expired = Payload { used: true, ..expired.clone() };
                // Issued by a clock more than MAX_CLOCK_SKEW ahead of this one.
                let future = Payload { issued_at: NOW + crate::clock::MAX_CLOCK_SKEW + 1, ..live.clone() };
                any.iter().flat_map(|&f| [run(&expired, f), run(&used_expired, f), run(&future, f)]).collect()
            }),
            (6, &|| {
                let used_exhausted = Payload { used: true, ..exhausted.clone() };
                any.iter().flat_map(|&f| [run(&exhausted, f), run(&used_exhausted, f)]).collect()
            }),
            (7, &|| vec![run(&used, cmp(true, false)), run(&used, cmp(true, true))]),
            (8, &|| {
                let (g, s, p) = call(&live, cmp(true, false));
                assert!(p.used && s.failures == 0, "used, failures 0");
                vec![g]
            }),
            (9, &|| vec![run(&live, cmp(false, true)), run(&used, cmp(false, true))]),
            (10, &|| {
                [&live, &used]
                    .into_iter()
                    .map(|p| {
                        let (g, s, next) = call(p, cmp(false, false));
                        assert_eq!((next.attempts, s.failures), (p.attempts + 1, h.failures + 1));
                        g
                    })
                    .collect::<vec::Vec<Got>>()
            }),
        ],
    );
}
