//! PIN hash strings, PINs and state blobs: `pin::params`, `needs_rehash`, `verify_begin`,
//! `verify_apply`, and the full `verify` when the string declares few iterations (so that one
//! run stays fast); also the PIN policy check, and generation: any length and birth date, and a
//! generated PIN always passes the check.
#![no_main]

#[path = "common.rs"]
mod common;

use common::{Blob, PIN_VERIFY_ERRORS, check, ctx};
use libfuzzer_sys::fuzz_target;
use portal_codes::rng::{ChaCha20Rng, SeedableRng};
use portal_codes::state::Kind;
use portal_codes::{Error, pin};

fuzz_target!(|input: (Blob, &str, &str, &str, Option<&str>, u64)| {
    let (before, stored, pin_text, account, birth, now) = input;
    let ctx = ctx();
    let params = pin::params(stored);
    assert_eq!(pin::needs_rehash(&ctx, stored).err(), params.err());
    if let Err(e) = params {
        assert_eq!(e, Error::MalformedHash);
    }

    let mut st = before;
    let r = pin::verify_begin(&ctx, pin_text, stored, now, &mut st);
    check(&r, PIN_VERIFY_ERRORS, Kind::Pin, &before, &st, true, now);
    assert_ne!(r, Err(Error::Wrong));
    // The PBKDF2 work of a `v=2` string is its lanes times its iterations.
    let cheap = params.is_ok_and(|p| p.lanes * p.iterations <= 20_000);
    if r.is_ok() && cheap {
        let after_begin = st;
        let verdict = pin::verify_compute(&ctx, account, pin_text, stored).expect("begin admitted it");
        let r = pin::verify_apply(verdict, now, &mut st);
        check(&r, &[Error::Wrong], Kind::Pin, &after_begin, &st, true, now);
    }
    if cheap {
        let mut st = before;
        let r = pin::verify(&ctx, account, pin_text, stored, now, &mut st);
        check(&r, PIN_VERIFY_ERRORS, Kind::Pin, &before, &st, true, now);
    }

    let r = pin::check(&ctx, pin_text, stored, birth);
    if let Err(e) = r {
        assert!([Error::PinFormat, Error::PinMismatch, Error::InvalidBirthDate, Error::PinWeak].contains(&e));
    }

    #[allow(clippy::cast_possible_truncation)] // < 8
    let length = (now % 8) as u32;
    match pin::generate_with_rng(&ctx, length, birth, &mut ChaCha20Rng::seed_from_u64(now)) {
        Ok(p) => assert_eq!(pin::check(&ctx, p.as_str(), p.as_str(), birth), Ok(())),
        Err(e) => assert!([Error::InvalidArgument, Error::InvalidBirthDate].contains(&e), "{e:?}"),
    }
});
