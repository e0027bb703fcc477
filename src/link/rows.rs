//! `decide` against the link table of `docs/verdicts.md`, row by row (`crate::flow::rows`).

use std::vec;

use super::{Facts, Match, Payload, decide};
use crate::blob::{Kind, State};
use crate::flow::Gate;
use crate::flow::rows;
use crate::policy::Policy;

const NOW: u64 = 1_700_000_000;

/// Row 1: a locked or blocked record refuses whatever the input, unless its tag verified (also a
/// "verified" fact on a fresh or revoked record: nothing is outstanding there).
fn refused_unless_proven(h: &State, payloads: &[Payload], policy: &Policy) -> vec::Vec<rows::Got> {
    let mut got = vec::Vec::new();
    for blocked in [false, true] {
        let locked = rows::locked(h.clone(), NOW, blocked);
        for p in payloads {
            let latest = Facts::Found { found: Match::Latest, issued: NOW - 10 };
            let nothing = Facts::Found { found: Match::Nothing, issued: NOW - 10 };
            let facts = [Facts::Mistyped, Facts::UnknownKey, nothing];
            for f in facts.into_iter().chain((!p.issued()).then_some(latest)) {
                let run = |h: &State, p: &Payload| decide(h, p, f, policy, NOW);
                got.push(rows::got(&locked, p, Gate::LockoutUnlessProven, NOW, run).0);
            }
        }
    }
    got
}

#[test]
fn decide_follows_the_link_rows() {
    let policy = Policy::default();
    let h = rows::header(Kind::Link, 2);
    let fresh = Payload {
        counter: 0,
        second: 0,
        redeemed: false,
        stale: false,
        revoked: false,
        id: [0; 5],
        fp: [0; 15],
        previous_fp: [0; 15],
    };
    let live = Payload { counter: 3, second: 7, id: [1; 5], fp: [2; 15], previous_fp: [3; 15], ..fresh };
    let used = Payload { redeemed: true, ..live };
    let stale = Payload { stale: true, ..live };
    let found = |m| Facts::Found { found: m, issued: NOW - 10 };
    // The record free, locked and blocked: rows 6–12 are answered alike on all three, and
    // change no header (the lockout is the forged codes').
    let headers = [h.clone(), rows::locked(h.clone(), NOW, false), rows::locked(h.clone(), NOW, true)];
    let call_on = |h: &State, p: &Payload, f: Facts| {
        rows::got(h, p, Gate::LockoutUnlessProven, NOW, |h, p| decide(h, p, f, &policy, NOW))
    };
    let call = |p: &Payload, f: Facts| call_on(&h, p, f);
    let run = |p: &Payload, f: Facts| call(p, f).0;
    // Every header; the header must stay as it was.
    let on_all = |p: &Payload, f: Facts| {
        headers
            .iter()
            .map(|hh| {
                let (g, s, next) = call_on(hh, p, f);
                assert!(s == *hh, "a verified tag leaves the lockout as it was");
                (g, next)
            })
            .collect::<vec::Vec<_>>()
    };
    let all = |p: &Payload, f: Facts| on_all(p, f).into_iter().map(|(g, _)| g).collect::<vec::Vec<_>>();
    let states = [live, used, stale];
    rows::check(
        "Link codes",
        2,
        &[
            (1, &|| {
                let revoked = Payload { counter: 3, revoked: true, fp: [2; 15], ..fresh };
                refused_unless_proven(&h, &[live, used, stale, fresh, revoked], &policy)
            }),
            (2, &|| {
                // Revoked (`state::revoke`): the issue number and data stay, nothing is outstanding.
                let revoked = Payload { counter: 3, revoked: true, fp: [2; 15], ..fresh };
                let facts = [Facts::Mistyped, Facts::UnknownKey, found(Match::Latest), found(Match::Nothing)];
                facts.iter().flat_map(|&f| [run(&fresh, f), run(&revoked, f)]).collect()
            }),
            (3, &|| states.iter().map(|p| run(p, Facts::Mistyped)).collect()),
            (4, &|| states.iter().map(|p| run(p, Facts::UnknownKey)).collect()),
            (5, &|| {
                states
                    .iter()
                    .map(|p| {
                        let (g, s, _) = call(p, found(Match::Nothing));
                        assert_eq!(s.failures, h.failures + 1);
                        g
                    })
                    .collect()
            }),
            (6, &|| {
                [live, used]
                    .iter()
                    .flat_map(|p| on_all(p, found(Match::LatestOldData)))
                    .map(|(g, next)| {
                        assert!(next.stale, "the latest code is dead for good");
                        g
                    })
                    .collect()
            }),
            (7, &|| states.iter().flat_map(|p| all(p, found(Match::PreviousOldData))).collect()),
            (8, &|| states.iter().flat_map(|p| all(p, found(Match::Earlier))).collect()),
            (9, &|| {
                [stale, Payload { redeemed: true, ..stale }]
                    .iter()
                    .flat_map(|p| all(p, found(Match::Latest)))
                    .collect()
            }),
            (10, &|| {
                let expired = Facts::Found { found: Match::Latest, issued: NOW - policy.link_ttl_seconds };
                [found(Match::Latest), expired].into_iter().flat_map(|f| all(&used, f)).collect()
            }),
            (11, &|| {
                let skew = crate::clock::MAX_CLOCK_SKEW;
                let expired = Facts::Found { found: Match::Latest, issued: NOW - policy.link_ttl_seconds };
                // Issued by a clock more than MAX_CLOCK_SKEW ahead of this one.
                let ahead = Facts::Found { found: Match::Latest, issued: NOW + skew + 1 };
                [expired, ahead].into_iter().flat_map(|f| all(&live, f)).collect()
            }),
            (12, &|| {
                // Also issued by a clock exactly MAX_CLOCK_SKEW ahead of this one (tolerated).
                let ahead = Facts::Found { found: Match::Latest, issued: NOW + crate::clock::MAX_CLOCK_SKEW };
                [found(Match::Latest), ahead]
                    .into_iter()
                    .flat_map(|f| on_all(&live, f))
                    .map(|(g, next)| {
                        assert!(next.redeemed, "used (the header as it was: checked by on_all)");
                        g
                    })
                    .collect()
            }),
        ],
    );
}

/// `flow::run` and the developer detail, seen through `link::redeem`.
#[cfg(feature = "std")]
mod detail {
    use crate::Context;
    use crate::diag::last_error_detail;
    use crate::error::Error;
    use crate::link::{self, Child};

    /// A verdict leaves no developer detail behind in Rust either, even one a fact recorded
    /// (a child whose sex no longer parses, seen by `link::redeem`), while a developer error
    /// keeps its own (an unknown key id).
    #[test]
    fn verdicts_clear_the_detail_developer_errors_keep_it() {
        let ctx = Context::new(&[0x42; 32], 1).unwrap();
        let kid = Child::new("Иванов Иван", "2015-03-01", "M", "112-233-445 95");
        let mut st = [0u8; crate::STATE_BYTES];
        let code = link::issue(&ctx, 7, &kid, 1_750_000_000, &mut st).unwrap();
        let odd = Child::new("Иванов Иван", "2015-03-01", "?", "112-233-445 95");
        let r = link::redeem(&ctx, code.as_str(), &odd, 1_750_000_010, &mut st);
        assert_eq!(r, Err(Error::DataChanged));
        assert_eq!(last_error_detail(), "", "a verdict carries no detail");
        let other = Context::new(&[0x42; 32], 9).unwrap();
        let r = link::redeem(&other, code.as_str(), &kid, 1_750_000_020, &mut st);
        assert_eq!(r, Err(Error::UnknownKey));
        assert!(last_error_detail().starts_with("code: "), "{}", last_error_detail());
        assert_eq!(link::redeem(&ctx, "0000", &kid, 1_750_000_030, &mut st), Err(Error::Mistyped));
        assert_eq!(last_error_detail(), "");
    }

    /// On a locked record the facts are computed before the gate: a detail one of them
    /// recorded (an unknown key id) does not stay behind the `LOCKED` verdict.
    #[test]
    fn locked_after_the_facts_leaves_no_detail() {
        let ctx = Context::new(&[0x42; 32], 1).unwrap();
        let kid = Child::new("Иванов Иван", "2015-03-01", "M", "112-233-445 95");
        let mut st = [0u8; crate::STATE_BYTES];
        let _code = link::issue(&ctx, 7, &kid, 1_750_000_000, &mut st).unwrap();
        let mut h = crate::blob::State::decode(&st, crate::blob::Kind::Link).unwrap();
        h.failures = 5;
        h.locked_until = 1_750_000_900;
        h.encode_header(&mut st);
        let other = Context::new(&[0x42; 32], 9).unwrap();
        let foreign = link::issue(&other, 7, &kid, 1_750_000_000, &mut [0; crate::STATE_BYTES]).unwrap();
        let r = link::redeem(&ctx, foreign.as_str(), &kid, 1_750_000_020, &mut st);
        assert_eq!(r, Err(Error::Locked));
        assert_eq!(last_error_detail(), "", "LOCKED is a verdict: no detail");
    }
}
