//! `totp::time::verify` and `totp::hotp::verify` with any secret, parameters, input, state and time.
#![no_main]

#[path = "common.rs"]
mod common;

use common::{Blob, TOTP_VERIFY_ERRORS, check, ctx};
use libfuzzer_sys::fuzz_target;
use portal_codes::state::Kind;
use portal_codes::totp::{self, Algorithm, Params};

fuzz_target!(|input: (Blob, &[u8], u8, u32, u32, &str, u64)| {
    let (before, secret, alg, digits, period, code, now) = input;
    let ctx = ctx();
    let alg = match alg % 3 {
        0 => Algorithm::Sha1,
        1 => Algorithm::Sha256,
        _ => Algorithm::Sha512,
    };
    let secret_ok = (10..=64).contains(&secret.len());
    let mut st = before;
    let r = totp::hotp::verify(&ctx, secret, alg, digits, code, now, &mut st);
    check(&r, TOTP_VERIFY_ERRORS, Kind::Hotp, &before, &st, secret_ok && (6..=8).contains(&digits), now);

    let Ok(params) = Params::new(alg, digits, period) else { return };
    let mut st = before;
    let r = totp::time::verify(&ctx, secret, &params, code, now, &mut st);
    check(&r, TOTP_VERIFY_ERRORS, Kind::Totp, &before, &st, secret_ok, now);
    if let Ok(drift) = r {
        assert!(drift.abs() <= 1);
    }
});
