//! `device::check` (the token parser) with any token text, account, time and blob: never a
//! panic, only the documented statuses, the blob never written, and `Ok` only for a token this
//! context issued for that account. A token issued here round-trips (the issue is recorded in a
//! copy of the blob, which a refused issue leaves as it was, and which keeps the generation),
//! and the same token with one fuzzed byte changed is never accepted.
#![no_main]

#[path = "common.rs"]
mod common;

use common::{Blob, DEVICE_CHECK_ERRORS, ctx};
use libfuzzer_sys::fuzz_target;
use portal_codes::device;
use portal_codes::rng::{ChaCha20Rng, SeedableRng};

fuzz_target!(|input: (Blob, &str, &str, u64, u8, u8)| {
    let (blob, token, account, now, at, byte) = input;
    let ctx = ctx();
    let copy = blob;
    let r = device::check(&ctx, account, token, now, &blob);
    assert_eq!(blob, copy);
    match r {
        Ok(_) => panic!("a fuzzed token was accepted: {token:?}"),
        Err(e) => assert!(DEVICE_CHECK_ERRORS.contains(&e), "undocumented status {e:?}"),
    }

    // A real token for the fuzzed account and blob.
    let mut rng = ChaCha20Rng::seed_from_u64(now);
    let mut issued = blob;
    let Ok(t) = device::issue_with_rng(&ctx, account, now, &mut issued, &mut rng) else {
        assert_eq!(issued, blob, "a refused issue writes nothing");
        return;
    };
    assert_eq!(device::generation(&issued), device::generation(&blob));
    let blob = issued;
    assert_eq!(device::check(&ctx, account, t.as_str(), now, &blob).map(|d| d.issued_at), Ok(now));
    let mut altered = t.as_str().as_bytes().to_vec();
    let i = usize::from(at) % altered.len();
    if altered[i] != byte {
        altered[i] = byte;
        if let Ok(text) = core::str::from_utf8(&altered) {
            assert!(device::check(&ctx, account, text, now, &blob).is_err(), "altered at {i}");
        }
    }
});
