//! `otp::verify` and `otp::issue_with_rng` with any state blob, purpose, input and time.
#![no_main]

#[path = "common.rs"]
mod common;

use common::{Blob, OTP_ISSUE_ERRORS, OTP_VERIFY_ERRORS, check, ctx};
use libfuzzer_sys::fuzz_target;
use portal_codes::otp;
use portal_codes::rng::{ChaCha20Rng, SeedableRng};
use portal_codes::state::Kind;

fuzz_target!(|input: (Blob, &str, &str, u64)| {
    let (before, purpose, code, now) = input;
    let ctx = ctx();
    let mut st = before;
    let r = otp::verify(&ctx, purpose, code, now, &mut st);
    check(&r, OTP_VERIFY_ERRORS, Kind::Otp, &before, &st, !purpose.is_empty(), now);

    let mut st = before;
    let mut rng = ChaCha20Rng::seed_from_u64(now);
    let r = otp::issue_with_rng(&ctx, purpose, now, &mut st, &mut rng);
    check(&r, OTP_ISSUE_ERRORS, Kind::Otp, &before, &st, !purpose.is_empty(), now);
    if let Ok(c) = r {
        let mut again = st;
        let v = otp::verify(&ctx, purpose, c.as_str(), now, &mut again);
        assert!(v.is_ok() || now.checked_add(ctx.policy().otp_ttl_seconds).is_none(), "{v:?}");
    }
});
