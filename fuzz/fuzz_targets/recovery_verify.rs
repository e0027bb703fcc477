//! `recovery::verify` with any blob, stored string, code, account and time, and
//! `recovery::generate_with_rng` with any count: a generated set's first code is accepted once
//! (then `ALREADY_USED`), and a fuzzed code against it answers only documented verdicts.
#![no_main]

#[path = "common.rs"]
mod common;

use common::{Blob, RECOVERY_GENERATE_ERRORS, RECOVERY_VERIFY_ERRORS, check, ctx};
use libfuzzer_sys::fuzz_target;
use portal_codes::recovery;
use portal_codes::rng::{ChaCha20Rng, SeedableRng};
use portal_codes::state::Kind;
use portal_codes::{Error, retry_at};

fuzz_target!(|input: (Blob, &str, &str, &str, u64, u8)| {
    let (before, stored, code, account, now, count) = input;
    let ctx = ctx();
    let mut st = before;
    let r = recovery::verify(&ctx, account, stored, code, now, &mut st);
    // A malformed string or an empty account is refused before the blob is looked at.
    let args_ok = !account.is_empty() && r != Err(Error::MalformedHash) && r != Err(Error::UnknownKey);
    check(&r, RECOVERY_VERIFY_ERRORS, Kind::Recovery, &before, &st, args_ok, now);
    if let Ok(left) = r {
        assert!(left < recovery::MAX_COUNT, "{left}");
        assert_eq!(recovery::remaining(&st), Ok(left));
    }

    let mut st = before;
    let mut rng = ChaCha20Rng::seed_from_u64(now);
    let count = u32::from(count % 18);
    let r = recovery::generate_with_rng(&ctx, account, count, &mut st, &mut rng);
    // `generate` takes no time: check it as if `now` were valid.
    let args_ok = !account.is_empty() && (1..=recovery::MAX_COUNT).contains(&count);
    check(&r, RECOVERY_GENERATE_ERRORS, Kind::Recovery, &before, &st, args_ok, 1_750_000_000);
    let Ok(set) = r else { return };
    assert_eq!(set.codes().len(), count as usize);
    assert_eq!(recovery::remaining(&st), Ok(count));
    if portal_codes::clock::check(now).is_ok() && retry_at(&st, now) == Ok(0) {
        let mut again = st;
        let first = set.codes()[0].as_str();
        let stored = set.stored().as_str();
        assert_eq!(recovery::verify(&ctx, account, stored, first, now, &mut again), Ok(count - 1));
        assert_eq!(recovery::verify(&ctx, account, stored, first, now, &mut again), Err(Error::AlreadyUsed));
        let mut other = st;
        let v = recovery::verify(&ctx, account, stored, code, now, &mut other);
        check(&v, RECOVERY_VERIFY_ERRORS, Kind::Recovery, &st, &other, true, now);
    }
});
