//! `link::redeem` and `link::issue_with_rng` with any state blob, code, child data and time.
#![no_main]

#[path = "common.rs"]
mod common;

use common::{Blob, LINK_ISSUE_ERRORS, REDEEM_ERRORS, check, ctx};
use libfuzzer_sys::fuzz_target;
use portal_codes::link::{self, Child};
use portal_codes::rng::{ChaCha20Rng, SeedableRng};
use portal_codes::state::Kind;

fuzz_target!(|input: (Blob, &str, [&str; 4], u64, u64)| {
    let (before, code, f, now, record_id) = input;
    let ctx = ctx();
    let child = Child::new(f[0], f[1], f[2], f[3]);
    let mut st = before;
    let r = link::redeem(&ctx, code, &child, now, &mut st);
    check(&r, REDEEM_ERRORS, Kind::Link, &before, &st, true, now);

    let mut st = before;
    let mut rng = ChaCha20Rng::seed_from_u64(now);
    let r = link::issue_with_rng(&ctx, record_id, &child, now, &mut st, &mut rng);
    check(&r, LINK_ISSUE_ERRORS, Kind::Link, &before, &st, true, now);
    if let Ok(c) = r {
        assert_eq!(link::parse(c.as_str()), Ok(record_id));
        assert_eq!(link::redeem(&ctx, c.as_str(), &child, now, &mut st), Ok(()));
    }
});
