//! Any bytes as a state blob: `State::decode` for every kind, `retry_at`, `reset`, `revoke`,
//! `events`, `totp::time::last_step`, and every flow given otherwise valid arguments.
#![no_main]

#[path = "common.rs"]
mod common;

use common::{
    Blob, LINK_ISSUE_ERRORS, OTP_ISSUE_ERRORS, OTP_VERIFY_ERRORS, REDEEM_ERRORS, TOTP_VERIFY_ERRORS, check,
    ctx,
};
use libfuzzer_sys::fuzz_target;
use portal_codes::link::{self, Child};
use portal_codes::rng::{ChaCha20Rng, SeedableRng};
use portal_codes::state::{Kind, State};
use portal_codes::totp::{self, Algorithm, Params};
use portal_codes::{Error, STATE_BYTES, otp};

const KINDS: [Kind; Kind::ALL.len()] = Kind::ALL;

fuzz_target!(|input: (&[u8], u64)| {
    let (bytes, now) = input;
    let any = State::decode_any(bytes);
    let decodable = KINDS.iter().filter(|&&k| State::decode(bytes, k).is_ok()).count();
    match &any {
        Ok(None) => assert_eq!(decodable, KINDS.len()),
        Ok(Some(s)) => {
            assert_eq!(decodable, 1);
            if bytes[1] == portal_codes::state::VERSION {
                assert_eq!(&s.encode()[..], bytes);
            } else {
                // An earlier layout: read upgraded, written as the current one.
                assert_eq!(State::decode_any(&s.encode()), Ok(Some(s.clone())));
            }
        }
        Err(e) => {
            assert_eq!(*e, Error::CorruptState);
            assert_eq!(decodable, 0);
        }
    }
    let now_ok = portal_codes::clock::check(now).is_ok();
    assert_eq!(portal_codes::retry_at(bytes, now).is_ok(), any.is_ok() && now_ok);
    let mut b = bytes.to_vec();
    match portal_codes::reset(&mut b) {
        Ok(()) => {
            let s = State::decode_any(&b).expect("reset writes a valid blob");
            assert!(s.is_none_or(|s| s.failures == 0 && s.locked_until == 0));
        }
        Err(e) => {
            assert_eq!(e, Error::CorruptState);
            assert_eq!(b, bytes);
        }
    }
    // Revocation: refused exactly when no flow reads the blob (then untouched); otherwise the
    // header is kept, the result is valid and revoking again changes nothing.
    for what in 1..=3 {
        let mut b = bytes.to_vec();
        match portal_codes::state::revoke(&mut b, what) {
            Ok(()) => {
                let after = State::decode_any(&b).expect("revoke writes a valid blob");
                if let (Ok(Some(s)), Some(a)) = (&any, &after) {
                    assert_eq!(
                        (a.kind(), a.failures, a.locked_until, a.wait_until),
                        (s.kind(), s.failures, s.locked_until, s.wait_until)
                    );
                }
                let once = b.clone();
                portal_codes::state::revoke(&mut b, what).unwrap();
                assert_eq!(b, once, "revoking twice is revoking once");
                // No event: a revocation kills codes, not counts.
                let e = portal_codes::state::events(
                    &ctx(),
                    bytes,
                    &b,
                    now.clamp(1, portal_codes::clock::MAX_NOW),
                );
                assert_eq!(e.map(|e| e.flags), Ok(0));
            }
            Err(e) => {
                assert_eq!(e, Error::CorruptState);
                assert!(any.is_err());
                assert_eq!(b, bytes);
            }
        }
    }
    let Ok(before) = <Blob>::try_from(bytes) else { return };
    assert_eq!(bytes.len(), STATE_BYTES);
    if totp::time::last_step(&before).is_ok() {
        assert!(State::decode(&before, Kind::Totp).is_ok());
    }

    let ctx = ctx();
    let kid = Child::new("Иванов Иван", "2015-03-01", "M", "112-233-445 95");
    let mut rng = ChaCha20Rng::seed_from_u64(now);
    let code = "0000-0000-0000-0000-0000-0";
    let mut st = before;
    let r = link::redeem(&ctx, code, &kid, now, &mut st);
    check(&r, REDEEM_ERRORS, Kind::Link, &before, &st, true, now);
    let mut st = before;
    let r = link::issue_with_rng(&ctx, 7, &kid, now, &mut st, &mut rng);
    check(&r, LINK_ISSUE_ERRORS, Kind::Link, &before, &st, true, now);
    let mut st = before;
    let r = otp::verify(&ctx, "login", "123456", now, &mut st);
    check(&r, OTP_VERIFY_ERRORS, Kind::Otp, &before, &st, true, now);
    let mut st = before;
    let r = otp::issue_with_rng(&ctx, "login", now, &mut st, &mut rng);
    check(&r, OTP_ISSUE_ERRORS, Kind::Otp, &before, &st, true, now);
    let mut st = before;
    let r = totp::time::verify(&ctx, b"12345678901234567890", &Params::default(), "123456", now, &mut st);
    check(&r, TOTP_VERIFY_ERRORS, Kind::Totp, &before, &st, true, now);
    let mut st = before;
    let r = totp::hotp::verify(&ctx, b"12345678901234567890", Algorithm::Sha1, 6, "123456", now, &mut st);
    check(&r, TOTP_VERIFY_ERRORS, Kind::Hotp, &before, &st, true, now);
});
