//! `decide` against the link table of `docs/verdicts.md`, row by row (`crate::flow::rows`).

use std::vec;

use super::{Facts, Match, Payload, decide};
use crate::blob::Kind;
use crate::flow::Gate;
use crate::flow::rows;
use crate::policy::Policy;

const NOW: u64 = 1_700_000_000;

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
    let call =
        |p: &Payload, f: Facts| rows::got(&h, p, Gate::Lockout, NOW, |h, p| decide(h, p, f, &policy, NOW));
    let run = |p: &Payload, f: Facts| call(p, f).0;
    let states = [live, used, stale];
    rows::check(
        "Link codes",
        2,
        &[
            (1, &|| rows::gate_rows(&h, &live, NOW, |h, p| decide(h, p, found(Match::Latest), &policy, NOW))),
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
                    .map(|p| {
                        let (g, _, next) = call(p, found(Match::LatestOldData));
                        assert!(next.stale, "the latest code is dead for good");
                        g
                    })
                    .collect()
            }),
            (7, &|| states.iter().map(|p| run(p, found(Match::PreviousOldData))).collect()),
            (8, &|| states.iter().map(|p| run(p, found(Match::Earlier))).collect()),
            (9, &|| {
                vec![
                    run(&stale, found(Match::Latest)),
                    run(&Payload { redeemed: true, ..stale }, found(Match::Latest)),
                ]
            }),
            (10, &|| {
                vec![
                    run(&used, found(Match::Latest)),
                    run(&used, Facts::Found { found: Match::Latest, issued: NOW - policy.link_ttl_seconds }),
                ]
            }),
            (11, &|| {
                let skew = crate::clock::MAX_CLOCK_SKEW;
                vec![
                    run(&live, Facts::Found { found: Match::Latest, issued: NOW - policy.link_ttl_seconds }),
                    // Issued by a clock more than MAX_CLOCK_SKEW ahead of this one.
                    run(&live, Facts::Found { found: Match::Latest, issued: NOW + skew + 1 }),
                ]
            }),
            (12, &|| {
                let (g, s, next) = call(&live, found(Match::Latest));
                assert!(next.redeemed && s.failures == 0, "used, failures 0");
                vec![g]
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
}
