//! The trusted lane for SMS/e-mail codes and TOTP/HOTP (issue 22 §3, docs/device-trust.md):
//! an attacker without a device token blocks the untrusted lane and the owner, with its token,
//! still gets and confirms a code; single use and replay protection hold across both lanes; the
//! device holder has one allowance for every flow. The TOTP/HOTP codes the owner types come from
//! `oathtool` (Debian `oathtool`), an independent implementation: a missing `oathtool` fails the
//! test unless `PCODES_ALLOW_SKIP=1`, where it says so and passes.

use std::process::Command;

use portal_codes::rng::{ChaCha20Rng, SeedableRng};
use portal_codes::state::{Kind, State};
use portal_codes::totp::{self, Algorithm, Params};
use portal_codes::{Context, Error, STATE_BYTES, Setting, device, otp, pin, state};

const T0: u64 = 1_780_000_000;
const SECRET: &[u8] = b"12345678901234567890";

fn ctx() -> Context {
    let mut c = Context::new(&[0x42; 32], 1).unwrap();
    c.set(Setting::PinIterations, 10_000).unwrap();
    c
}

fn failures(blob: &[u8; STATE_BYTES], kind: Kind) -> u16 {
    State::decode(blob, kind).unwrap().failures
}

fn rng() -> ChaCha20Rng {
    ChaCha20Rng::from_seed([9; 32])
}

/// The code `oathtool` computes (`--totp` at `now`, or `--hotp` at `counter`), or `None` when
/// it is not installed and `PCODES_ALLOW_SKIP=1`.
fn oathtool(totp: bool, at: u64) -> Option<String> {
    let hex: String = SECRET.iter().map(|b| format!("{b:02x}")).collect();
    let mut cmd = Command::new("oathtool");
    if totp {
        cmd.args(["--totp", "-N", &format!("@{at}")]);
    } else {
        cmd.args(["--hotp", "-c", &at.to_string()]);
    }
    match cmd.arg(&hex).output() {
        Ok(o) if o.status.success() => Some(String::from_utf8(o.stdout).unwrap().trim().to_owned()),
        _ => {
            let skip = std::env::var("PCODES_ALLOW_SKIP").as_deref() == Ok("1");
            assert!(skip, "oathtool (Debian package oathtool) is required (set PCODES_ALLOW_SKIP=1 to skip)");
            println!("skipped: oathtool not installed");
            None
        }
    }
}

/// The attacker (no token) guesses SMS codes in the untrusted lane as fast as the policy lets
/// it, asking for a new code whenever its guesses spent one, until the SMS blob is blocked. The
/// owner, with a token, still gets a code and confirms it in the trusted lane.
#[test]
fn an_attacker_without_a_token_blocks_the_untrusted_lane_only() {
    let c = ctx();
    let (mut sms, mut dev) = ([0u8; STATE_BYTES], [0u8; STATE_BYTES]);
    let token = device::issue(&c, "owner", T0, &mut dev).unwrap();
    let token = token.as_str();
    // The owner's code is out; the attacker's three wrong guesses spend it (a limit of the
    // design: the code's own attempts bound the guesses at it in both lanes).
    let owners = otp::issue(&c, "login", T0, &mut sms).unwrap();
    for i in 0..3 {
        assert_eq!(otp::verify(&c, "login", "000000", T0 + i, &mut sms), Err(Error::Wrong));
    }
    let before = (sms, dev);
    let r = device::otp_verify(&c, "owner", "login", owners.as_str(), token, T0 + 3, &mut sms, &mut dev);
    assert_eq!(r, Err(Error::AttemptsExhausted));
    assert_eq!((sms, dev), before, "not counted in either blob");
    // The attacker goes on until the untrusted lane is blocked.
    let (mut now, mut last_send, mut answered) = (T0 + 4, T0, 3);
    while state::retry_at(&sms, now).unwrap() != u64::MAX {
        now = now.max(state::retry_at(&sms, now).unwrap());
        if otp::issue(&c, "login", now, &mut sms).is_ok() {
            last_send = now;
            while let Err(Error::Wrong) = otp::verify(&c, "login", "000000", now, &mut sms) {
                answered += 1;
            }
        }
        now += 1;
        assert!(now < T0 + 30 * 86_400, "the untrusted lane blocks within a month");
    }
    assert_eq!(otp::issue(&c, "login", now + 3600, &mut sms).unwrap_err(), Error::Blocked);
    assert_eq!(otp::verify(&c, "login", "000000", now, &mut sms), Err(Error::Blocked));
    println!("attacker: {answered} answered guesses, untrusted lane blocked at +{} s", now - T0);
    assert!(answered <= 15, "{answered}");
    // The owner asks for a code through its trusted device. The resend limits of the SMS blob
    // hold in both lanes (they bound what the account's SMS cost, whoever asks)...
    let soon = last_send + 1;
    let r = device::otp_issue(&c, "owner", "login", token, soon, &mut sms, &dev);
    assert_eq!(r.unwrap_err(), Error::TooSoon);
    // ...and then it gets one, and confirms it, while the untrusted lane stays blocked.
    let later = last_send + 3600;
    let code = device::otp_issue(&c, "owner", "login", token, later, &mut sms, &dev).unwrap();
    let dev_before = dev;
    device::otp_issue(&c, "owner", "login", "forged", later, &mut sms, &dev).unwrap_err();
    assert_eq!(dev, dev_before, "issuing does not write the device blob");
    assert_eq!(
        device::otp_verify(&c, "owner", "login", code.as_str(), token, later, &mut sms, &mut dev),
        Ok(())
    );
    assert_eq!(otp::verify(&c, "login", code.as_str(), later, &mut sms), Err(Error::Blocked));
    assert_eq!(state::retry_at(&sms, later), Ok(u64::MAX), "the untrusted lane is not cleared");
    assert_eq!(failures(&dev, Kind::Device), 0);
}

/// A code accepted in one lane is `ALREADY_USED` in the other, both ways; a trusted wrong code
/// counts in the device blob and against the code, not in the SMS blob's lockout header.
#[test]
fn an_sms_code_is_used_once_across_both_lanes() {
    let c = ctx();
    let (mut sms, mut dev) = ([0u8; STATE_BYTES], [0u8; STATE_BYTES]);
    let token = device::issue(&c, "acc", T0, &mut dev).unwrap();
    let t = token.as_str();
    let code = otp::issue(&c, "login", T0, &mut sms).unwrap();
    assert_eq!(otp::verify(&c, "login", "000000", T0, &mut sms), Err(Error::Wrong));
    assert_eq!(
        device::otp_verify(&c, "acc", "login", "000000", t, T0, &mut sms, &mut dev),
        Err(Error::Wrong)
    );
    assert_eq!((failures(&sms, Kind::Otp), failures(&dev, Kind::Device)), (1, 1));
    assert_eq!(device::otp_verify(&c, "acc", "login", code.as_str(), t, T0 + 1, &mut sms, &mut dev), Ok(()));
    assert_eq!(
        (failures(&sms, Kind::Otp), failures(&dev, Kind::Device)),
        (1, 0),
        "only the device lane clears"
    );
    assert_eq!(otp::verify(&c, "login", code.as_str(), T0 + 2, &mut sms), Err(Error::AlreadyUsed));
    let r = device::otp_verify(&c, "acc", "login", code.as_str(), t, T0 + 2, &mut sms, &mut dev);
    assert_eq!(r, Err(Error::AlreadyUsed));
    // The other way round, with a new code; and the code's attempts are shared: the third wrong
    // try (one untrusted, two trusted) spends it.
    let code = otp::issue(&c, "login", T0 + 100, &mut sms).unwrap();
    assert_eq!(otp::verify(&c, "login", code.as_str(), T0 + 101, &mut sms), Ok(()));
    let r = device::otp_verify(&c, "acc", "login", code.as_str(), t, T0 + 102, &mut sms, &mut dev);
    assert_eq!(r, Err(Error::AlreadyUsed));
    let code = otp::issue(&c, "login", T0 + 200, &mut sms).unwrap();
    assert_eq!(otp::verify(&c, "login", "111111", T0 + 201, &mut sms), Err(Error::Wrong));
    for i in 0..2 {
        let r = device::otp_verify(&c, "acc", "login", "111111", t, T0 + 202 + i, &mut sms, &mut dev);
        assert_eq!(r, Err(Error::Wrong));
    }
    let r = device::otp_verify(&c, "acc", "login", code.as_str(), t, T0 + 210, &mut sms, &mut dev);
    assert_eq!(r, Err(Error::AttemptsExhausted));
    // Purpose, expiry and a superseded code answer as in the untrusted lane.
    let old = otp::issue(&c, "login", T0 + 300, &mut sms).unwrap();
    let new =
        device::otp_issue_with_rng(&c, "acc", "login", t, T0 + 400, &mut sms, &dev, &mut rng()).unwrap();
    let r = device::otp_verify(&c, "acc", "login", old.as_str(), t, T0 + 401, &mut sms, &mut dev);
    assert_eq!(r, Err(Error::Superseded));
    let r = device::otp_verify(&c, "acc", "phone-change", new.as_str(), t, T0 + 401, &mut sms, &mut dev);
    assert_eq!(r, Err(Error::Wrong));
    let r = device::otp_verify(&c, "acc", "login", new.as_str(), t, T0 + 400 + 300, &mut sms, &mut dev);
    assert_eq!(r, Err(Error::Expired));
}

/// A TOTP step (a HOTP counter) accepted in one lane is not accepted again in the other; codes
/// from `oathtool`.
#[test]
fn totp_and_hotp_replays_are_refused_across_both_lanes() {
    let c = ctx();
    let p = Params::new(Algorithm::Sha1, 6, 30).unwrap();
    let (mut st, mut dev) = ([0u8; STATE_BYTES], [0u8; STATE_BYTES]);
    let token = device::issue(&c, "acc", T0, &mut dev).unwrap();
    let t = token.as_str();
    let Some(now_code) = oathtool(true, T0) else { return };
    assert_eq!(now_code, totp::time::code(SECRET, &p, T0).unwrap().as_str(), "agrees with oathtool");
    assert_eq!(device::totp_verify(&c, "acc", SECRET, &p, &now_code, t, T0, &mut st, &mut dev), Ok(0));
    assert_eq!(totp::time::verify(&c, SECRET, &p, &now_code, T0 + 1, &mut st), Err(Error::AlreadyUsed));
    let next = oathtool(true, T0 + 30).unwrap();
    assert_eq!(totp::time::verify(&c, SECRET, &p, &next, T0 + 30, &mut st), Ok(0));
    let r = device::totp_verify(&c, "acc", SECRET, &p, &next, t, T0 + 31, &mut st, &mut dev);
    assert_eq!(r, Err(Error::AlreadyUsed));
    // One step behind (the app's clock is late): the drift, from the trusted lane.
    let late = oathtool(true, T0 + 60).unwrap();
    assert_eq!(device::totp_verify(&c, "acc", SECRET, &p, &late, t, T0 + 90, &mut st, &mut dev), Ok(-1));
    // A wrong code counts in the device blob only.
    let r = device::totp_verify(&c, "acc", SECRET, &p, "000000", t, T0 + 120, &mut st, &mut dev);
    assert_eq!(r, Err(Error::Wrong));
    assert_eq!((failures(&st, Kind::Totp), failures(&dev, Kind::Device)), (0, 1));

    let mut h = [0u8; STATE_BYTES];
    let c0 = oathtool(false, 0).unwrap();
    let trusted = |code: &str, h: &mut [u8; STATE_BYTES], dev: &mut [u8; STATE_BYTES]| {
        device::hotp_verify(&c, "acc", SECRET, Algorithm::Sha1, 6, code, t, T0, h, dev)
    };
    assert_eq!(trusted(&c0, &mut h, &mut dev), Ok(0));
    assert_eq!(failures(&dev, Kind::Device), 0, "a success clears the trusted lane");
    assert_eq!(totp::hotp::verify(&c, SECRET, Algorithm::Sha1, 6, &c0, T0, &mut h), Err(Error::AlreadyUsed));
    let c3 = oathtool(false, 3).unwrap();
    assert_eq!(totp::hotp::verify(&c, SECRET, Algorithm::Sha1, 6, &c3, T0, &mut h), Ok(3));
    assert_eq!(trusted(&c3, &mut h, &mut dev), Err(Error::AlreadyUsed));
    assert_eq!(trusted(&oathtool(false, 4).unwrap(), &mut h, &mut dev), Ok(4));
}

/// One trusted lane per account: a device holder's wrong SMS codes, TOTP codes and PINs count
/// in the same allowance, and its lock refuses every flow's trusted call.
#[test]
fn one_allowance_for_every_flow_of_the_device_holder() {
    let c = ctx();
    let p = Params::default();
    let hash = pin::hash_with_rng(&c, "acc", "385027", &mut rng()).unwrap();
    let (mut sms, mut tp, mut dev) = ([0u8; STATE_BYTES], [0u8; STATE_BYTES], [0u8; STATE_BYTES]);
    let token = device::issue(&c, "acc", T0, &mut dev).unwrap();
    let t = token.as_str();
    let code = otp::issue(&c, "login", T0, &mut sms).unwrap();
    for _ in 0..2 {
        let r = device::otp_verify(&c, "acc", "login", "000000", t, T0, &mut sms, &mut dev);
        assert_eq!(r, Err(Error::Wrong));
    }
    for _ in 0..2 {
        assert_eq!(
            device::totp_verify(&c, "acc", SECRET, &p, "000000", t, T0, &mut tp, &mut dev),
            Err(Error::Wrong)
        );
    }
    assert_eq!(device::pin_verify(&c, "acc", "000000", hash.as_str(), t, T0, &mut dev), Err(Error::Wrong));
    assert_eq!(failures(&dev, Kind::Device), 5);
    let (sms_before, tp_before, dev_before) = (sms, tp, dev);
    let right = totp::time::code(SECRET, &p, T0 + 1).unwrap();
    assert_eq!(
        device::otp_verify(&c, "acc", "login", code.as_str(), t, T0 + 1, &mut sms, &mut dev),
        Err(Error::Locked)
    );
    let r = device::totp_verify(&c, "acc", SECRET, &p, right.as_str(), t, T0 + 1, &mut tp, &mut dev);
    assert_eq!(r, Err(Error::Locked));
    let r = device::otp_issue_with_rng(&c, "acc", "login", t, T0 + 100, &mut sms, &dev, &mut rng());
    assert_eq!(r.unwrap_err(), Error::Locked);
    assert_eq!((sms, tp, dev), (sms_before, tp_before, dev_before), "a refused call writes nothing");
    // The untrusted lanes never saw those failures.
    assert_eq!((failures(&sms, Kind::Otp), failures(&tp, Kind::Totp)), (0, 0));
    assert_eq!(otp::verify(&c, "login", code.as_str(), T0 + 2, &mut sms), Ok(()));
}

/// Any error of the token check, a damaged blob or a developer's argument changes neither blob.
#[test]
fn refusals_write_nothing() {
    let c = ctx();
    let p = Params::default();
    let (mut sms, mut dev) = ([0u8; STATE_BYTES], [0u8; STATE_BYTES]);
    let token = device::issue(&c, "acc", T0, &mut dev).unwrap();
    let t = token.as_str();
    otp::issue(&c, "login", T0, &mut sms).unwrap();
    let mut revoked = dev;
    device::revoke_all(&mut revoked).unwrap();
    let mut totp_blob = [0u8; STATE_BYTES];
    let ttl = c.policy().device_trust_seconds;
    for (account, tok, now, dev_in, want) in [
        ("acc", "not a token", T0, dev, Error::DeviceUntrusted),
        ("other", t, T0, dev, Error::DeviceUntrusted),
        ("acc", t, T0, revoked, Error::DeviceRevoked),
        ("acc", t, T0 + ttl, dev, Error::Expired),
        ("", t, T0, dev, Error::InvalidArgument),
        ("acc", t, 0, dev, Error::InvalidArgument),
    ] {
        let (mut s, mut d) = (sms, dev_in);
        assert_eq!(device::otp_verify(&c, account, "login", "123456", tok, now, &mut s, &mut d), Err(want));
        assert_eq!((s, d), (sms, dev_in), "{want:?}");
        let mut tb = totp_blob;
        assert_eq!(
            device::totp_verify(&c, account, SECRET, &p, "123456", tok, now, &mut tb, &mut d),
            Err(want)
        );
        let r =
            device::hotp_verify(&c, account, SECRET, Algorithm::Sha1, 6, "123456", tok, now, &mut tb, &mut d);
        assert_eq!(r, Err(want));
        assert_eq!((tb, d), (totp_blob, dev_in), "{want:?}");
    }
    // A blob of another kind: CorruptState, both untouched.
    let (mut s, mut d) = (sms, dev);
    assert_eq!(
        device::otp_verify(&c, "acc", "login", "123456", t, T0, &mut d, &mut s),
        Err(Error::CorruptState)
    );
    assert_eq!((s, d), (sms, dev));
    assert_eq!(
        device::totp_verify(&c, "acc", SECRET, &p, "123456", t, T0, &mut s, &mut d),
        Err(Error::CorruptState)
    );
    assert_eq!((s, d), (sms, dev));
    assert_eq!(
        device::otp_verify(&c, "acc", "", "123456", t, T0, &mut s, &mut d),
        Err(Error::InvalidArgument)
    );
    assert_eq!((s, d), (sms, dev));
    let r =
        device::hotp_verify(&c, "acc", SECRET, Algorithm::Sha1, 5, "123456", t, T0, &mut totp_blob, &mut d);
    assert_eq!(r, Err(Error::InvalidArgument));
    assert_eq!((totp_blob, d), ([0; STATE_BYTES], dev));
}
