//! The trusted lanes (`device::otp_verify`, `otp_issue_with_rng`, `totp_verify`, `hotp_verify`)
//! with any flow blob, device blob, code, time and token, the token either the fuzzed text or
//! one really issued on the device blob (`real`): only documented statuses; a refused `now`, a
//! damaged blob or a refused token leaves **both** blobs as they were; each blob is written only
//! as a blob of its own kind, with the device generation kept (checks/tests/props/device.rs
//! states the same rules for proptest).
#![no_main]

#[path = "common.rs"]
mod common;

use common::{Blob, DEVICE_CHECK_ERRORS, OTP_ISSUE_ERRORS, OTP_VERIFY_ERRORS, TOTP_VERIFY_ERRORS, ctx};
use libfuzzer_sys::fuzz_target;
use portal_codes::rng::{ChaCha20Rng, SeedableRng};
use portal_codes::state::{Kind, State};
use portal_codes::totp::{Algorithm, Params};
use portal_codes::{Error, device};

/// The rules of one call (see the module).
fn lane<T: core::fmt::Debug>(
    r: &Result<T, Error>,
    allowed: &[Error],
    flow: (Kind, &Blob, &Blob),
    dev: (&Blob, &Blob),
    now: u64,
) {
    if let Err(e) = r {
        let ok = allowed.contains(e)
            || DEVICE_CHECK_ERRORS.contains(e)
            || matches!(e, Error::Locked | Error::Blocked);
        assert!(ok, "undocumented status {e:?}");
    }
    let bad_now = portal_codes::clock::check(now).is_err();
    if bad_now {
        assert!(matches!(r, Err(Error::InvalidArgument)), "now out of range was accepted");
    }
    if bad_now || matches!(r, Err(Error::CorruptState | Error::DeviceUntrusted | Error::DeviceRevoked)) {
        assert_eq!(flow.1, flow.2, "{r:?} changed the flow blob");
        assert_eq!(dev.0, dev.1, "{r:?} changed the device blob");
    }
    if flow.1 != flow.2 {
        assert!(State::decode(flow.2, flow.0).is_ok(), "wrote a flow blob of another kind");
    }
    if dev.0 != dev.1 {
        assert!(State::decode(dev.1, Kind::Device).is_ok(), "wrote a device blob of another kind");
        assert_eq!(device::generation(dev.1), device::generation(dev.0), "a verify moved the generation");
    }
}

fuzz_target!(|input: (Blob, Blob, &str, &str, &str, u64, bool, u8)| {
    let (st, dev, account, code, text, now, real, which) = input;
    let ctx = ctx();
    let mut rng = ChaCha20Rng::seed_from_u64(now);
    let mut dev = dev;
    let mut token = text.to_owned();
    if real {
        let mut issued = dev;
        if let Ok(t) = device::issue_with_rng(&ctx, account, now, &mut issued, &mut rng) {
            dev = issued;
            token = t.as_str().to_owned();
        }
    }
    let (mut s, mut d) = (st, dev);
    match which % 4 {
        0 => {
            let r = device::otp_verify(&ctx, account, "login", code, &token, now, &mut s, &mut d);
            lane(&r, OTP_VERIFY_ERRORS, (Kind::Otp, &st, &s), (&dev, &d), now);
        }
        1 => {
            let r = device::otp_issue_with_rng(&ctx, account, "login", &token, now, &mut s, &dev, &mut rng);
            lane(&r, OTP_ISSUE_ERRORS, (Kind::Otp, &st, &s), (&dev, &dev), now);
        }
        2 => {
            let p = Params::new(Algorithm::Sha1, 6, 30).expect("valid parameters");
            let r = device::totp_verify(&ctx, account, &[7; 20], &p, code, &token, now, &mut s, &mut d);
            lane(&r, TOTP_VERIFY_ERRORS, (Kind::Totp, &st, &s), (&dev, &d), now);
        }
        _ => {
            let r = device::hotp_verify(
                &ctx,
                account,
                &[7; 20],
                Algorithm::Sha1,
                6,
                code,
                &token,
                now,
                &mut s,
                &mut d,
            );
            lane(&r, TOTP_VERIFY_ERRORS, (Kind::Hotp, &st, &s), (&dev, &d), now);
        }
    }
});
