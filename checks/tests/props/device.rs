//! The trusted lanes (`device::otp_verify`, `otp_issue_with_rng`, `totp_verify`, `hotp_verify`):
//! two blobs per call, both arbitrary, and a token that is either arbitrary text or one really
//! issued on the device blob. Beside the rules every flow call keeps (`check_flow`), each call
//! must leave **both** blobs unchanged when it refuses `now`, a damaged blob or the token, and
//! write each blob only as a blob of its own kind, which the same call accepts again.

use super::*;
use portal_codes::device;

/// Device blobs: the flows' arbitrary blobs, the same headers with the device kind, and a
/// blob with tokens issued on it (generation and issue record set).
fn device_blob() -> impl Strategy<Value = Blob> {
    prop_oneof![
        2 => blob(),
        2 => blob().prop_map(|mut b| {
            b[0] = Kind::Device as u8;
            b
        }),
        2 => Just([0u8; STATE_BYTES]),
    ]
}

/// What every trusted-lane case draws: the account, a token text (or a real token), whether a
/// code is issued on the SMS blob first, a seed, the time, the flow blob and the device blob.
#[derive(Debug, Clone)]
struct Lane {
    account: String,
    text: String,
    real: bool,
    issued: bool,
    seed: u64,
    now: u64,
    st: Blob,
    dev: Blob,
}

fn lane() -> impl Strategy<Value = Lane> {
    (
        prop_oneof![Just("acct-1".to_owned()), hostile()],
        hostile(),
        any::<bool>(),
        any::<bool>(),
        any::<u64>(),
        time(),
        prop_oneof![blob(), Just([0u8; STATE_BYTES])],
        device_blob(),
    )
        .prop_map(|(account, text, real, issued, seed, now, st, dev)| Lane {
            account,
            text,
            real,
            issued,
            seed,
            now,
            st,
            dev,
        })
}

impl Lane {
    /// The token (issued on `dev` when `real`), with the blobs the call starts from (a code
    /// issued on `st` first when `sms` and `issued`).
    fn prepare(&self, ctx: &Context, sms: bool) -> (String, Blob, Blob) {
        let mut dev = self.dev;
        let token = token(ctx, &self.account, self.now, &mut dev, self.real, self.text.clone(), self.seed);
        let st = if sms { otp_blob(ctx, self.st, self.issued, self.now, self.seed) } else { self.st };
        (token, st, dev)
    }
}

/// The token of a call: arbitrary text, or (when `real`) one issued now for `account` on a copy
/// of `dev` (the copy, with the issue recorded, replaces `dev`), if the blob takes an issue.
fn token(
    ctx: &Context,
    account: &str,
    now: u64,
    dev: &mut Blob,
    real: bool,
    text: String,
    seed: u64,
) -> String {
    if real {
        let mut issued = *dev;
        if let Ok(t) = device::issue_with_rng(ctx, account, now, &mut issued, &mut rng(seed)) {
            *dev = issued;
            return t.as_str().to_owned();
        }
    }
    text
}

/// The SMS-code blob of a call: `st` as drawn, or (when `issued`) with a code issued a minute
/// before `now` on `st` or, if `st` takes no issue, on a new blob, so that verifications reach
/// a code.
fn otp_blob(ctx: &Context, st: Blob, issued: bool, now: u64, seed: u64) -> Blob {
    if !issued {
        return st;
    }
    for mut s in [st, [0u8; STATE_BYTES]] {
        if otp::issue_with_rng(ctx, "login", now.saturating_sub(60), &mut s, &mut rng(seed ^ 1)).is_ok() {
            return s;
        }
    }
    st
}

/// The rules of one trusted-lane call: `allowed` are the flow's own statuses, to which the
/// token's (`device::check`) and the trusted lane's lock are added.
fn check_lane<T: std::fmt::Debug>(
    r: &Result<T, Error>,
    allowed: &[Error],
    flow: (Kind, &Blob, &Blob),
    dev: (&Blob, &Blob),
    now: u64,
) -> Result<(), TestCaseError> {
    let (kind, before, after) = flow;
    if let Err(e) = r {
        prop_assert!(
            allowed.contains(e)
                || DEVICE_CHECK_ERRORS.contains(e)
                || matches!(e, Error::Locked | Error::Blocked),
            "undocumented error {e:?}"
        );
    }
    let unchanged = portal_codes::clock::check(now).is_err()
        || matches!(r, Err(Error::CorruptState | Error::DeviceUntrusted | Error::DeviceRevoked));
    if portal_codes::clock::check(now).is_err() {
        prop_assert_eq!(r.as_ref().err(), Some(&Error::InvalidArgument), "now {} out of range", now);
    }
    if unchanged {
        prop_assert_eq!(before, after, "{:?}: the flow blob changed", r);
        prop_assert_eq!(dev.0, dev.1, "{:?}: the device blob changed", r);
    }
    if before != after {
        prop_assert!(State::decode(after, kind).is_ok(), "wrote a flow blob of another kind: {after:?}");
    }
    if dev.0 != dev.1 {
        prop_assert!(State::decode(dev.1, Kind::Device).is_ok(), "wrote a device blob of another kind");
        prop_assert_eq!(
            device::generation(dev.1),
            device::generation(dev.0),
            "a verify moved the generation"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(192))]

    #[test]
    fn trusted_otp_verify_takes_any_input(
        c in lane(),
        code in prop_oneof![Just("123456".to_owned()), hostile()],
    ) {
        let ctx = ctx();
        let (token, st, dev) = c.prepare(&ctx, true);
        let (account, now) = (c.account.as_str(), c.now);
        let (mut s, mut d) = (st, dev);
        let r = device::otp_verify(&ctx, account, "login", &code, &token, now, &mut s, &mut d);
        check_lane(&r, OTP_VERIFY_ERRORS, (Kind::Otp, &st, &s), (&dev, &d), now)?;
        if r != Err(Error::CorruptState) && (s, d) != (st, dev) {
            let r2 = device::otp_verify(&ctx, account, "login", &code, &token, now, &mut s, &mut d);
            prop_assert_ne!(r2, Err(Error::CorruptState), "the lane refused its own blobs");
        }
    }

    #[test]
    fn trusted_otp_issue_takes_any_input(c in lane()) {
        let ctx = ctx();
        let (token, st, dev) = c.prepare(&ctx, true);
        let (account, now) = (c.account.as_str(), c.now);
        let mut s = st;
        let r = device::otp_issue_with_rng(&ctx, account, "login", &token, now, &mut s, &dev, &mut rng(c.seed))
            .map(|c| c.as_str().to_owned());
        check_lane(&r, OTP_ISSUE_ERRORS, (Kind::Otp, &st, &s), (&dev, &dev), now)?;
        if let Ok(code) = &r {
            // The code issued in the trusted lane is the account's code in both lanes.
            let (mut a, mut b, mut d) = (s, s, dev);
            let want = if now.checked_add(ctx.policy().otp_ttl_seconds).is_some() { Ok(()) } else { Err(Error::Expired) };
            prop_assert_eq!(device::otp_verify(&ctx, account, "login", code, &token, now, &mut a, &mut d), want);
            // The untrusted lane may be locked (that is what the trusted issue is for), but the
            // code is never WRONG there.
            let u = otp::verify(&ctx, "login", code, now, &mut b);
            prop_assert!(u == want || matches!(u, Err(Error::Locked | Error::Blocked)), "untrusted lane: {u:?}");
        }
    }

    #[test]
    fn trusted_totp_and_hotp_verify_take_any_input(
        c in lane(),
        secret in prop_oneof![3 => Just(vec![7u8; 20]), 1 => vec(any::<u8>(), 0..80)],
        p in params(),
        digits in "[0-9]{8}",
        code in prop_oneof![2 => Just(None), 1 => hostile().prop_map(Some)],
    ) {
        let ctx = ctx();
        let (token, st, dev) = c.prepare(&ctx, false);
        let (account, now) = (c.account.as_str(), c.now);
        // Mostly a well-formed code (of the parameters' length), so that the window is scanned.
        let code = code.unwrap_or_else(|| digits[..p.digits() as usize].to_owned());
        let (mut s, mut d) = (st, dev);
        let r = device::totp_verify(&ctx, account, &secret, &p, &code, &token, now, &mut s, &mut d);
        check_lane(&r, TOTP_VERIFY_ERRORS, (Kind::Totp, &st, &s), (&dev, &d), now)?;
        if let Ok(drift) = r {
            prop_assert!(drift.abs() <= 1, "drift {drift} outside the default window");
        }
        let (mut s, mut d) = (st, dev);
        let r = device::hotp_verify(&ctx, account, &secret, p.algorithm(), p.digits(), &code, &token, now, &mut s, &mut d);
        check_lane(&r, TOTP_VERIFY_ERRORS, (Kind::Hotp, &st, &s), (&dev, &d), now)?;
    }
}
