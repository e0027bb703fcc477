//! The trusted lane of SMS/e-mail codes and TOTP in the model (`tests/model.rs`; rows 7–10 of
//! "Device trust" in `docs/verdicts.md`, docs/device-trust.md "Flows with a trusted lane"): one
//! trusted lane per account (blocked at 10), shared by the SMS code and the TOTP enrolment; the
//! SMS and TOTP models of this file's parent decide the code (their rows after the lock), and
//! only the count moves: `WRONG` counts in the trusted lane, `OK` clears it, the flow's own lock
//! is neither checked nor counted. Driven with random sequences of sends and codes in both lanes,
//! forged tokens, resets and time steps; every status, all three blobs' counters, `retry_at`, the
//! SMS code's state and the TOTP step must agree.

use super::device_model::TrustedLock;
use super::*;
use portal_codes::device;

/// The flow's rows after the lock, with the trusted lane's count: `decide` runs against a free
/// lock (the flow's own lock is set aside: neither checked nor counted), then `WRONG` counts in
/// `lane` and `OK` clears it.
fn in_lane<M, T>(
    lane: &mut TrustedLock,
    model: &mut M,
    own: fn(&mut M) -> &mut Lock,
    now: u64,
    decide: impl FnOnce(&mut M) -> Result<T, Error>,
) -> Result<T, Error> {
    lane.0.check(now)?;
    let kept = std::mem::take(own(model));
    let r = decide(model);
    *own(model) = kept;
    match &r {
        Ok(_) => lane.0.success(),
        Err(Error::Wrong) => lane.fail(now),
        Err(_) => {}
    }
    r
}

/// A send in the trusted lane (row 10): gated by the lane's lock, never counted; the SMS blob's
/// send limits hold, its own lock is set aside.
fn send_in_lane(lane: &TrustedLock, sms: &mut OtpModel, now: u64, code: &str) -> Result<(), Error> {
    lane.0.check(now)?;
    let kept = std::mem::take(&mut sms.lock);
    let r = sms.issue(now, code);
    sms.lock = kept;
    r
}

#[test]
fn sms_and_totp_in_the_trusted_lane_follow_the_model() {
    let mut ctx = with_policy(Context::new(&[0x42; 32], 1).unwrap());
    ctx.set(Setting::DeviceTrustSeconds, 34_560_000).unwrap();
    let p = Params::default();
    let mut free_answers = 0u64;
    // The trusted lane's answers seen, to show the sequences reach its lock (its block at 10 is
    // out of reach under the model's policy: a budget of 8 locks for days, and the run fades).
    let mut seen = std::collections::HashSet::new();
    for seq in 0..sequences() {
        let mut r = ChaCha20Rng::seed_from_u64(9 << 32 | seq);
        let secret: Vec<u8> = (0..20).map(|_| r.next_u32() as u8).collect();
        let (mut sms_blob, mut totp_blob, mut dev_blob): (Blob, Blob, Blob) =
            ([0; STATE_BYTES], [0; STATE_BYTES], [0; STATE_BYTES]);
        let (mut sms, mut app, mut lane) =
            (OtpModel::default(), TotpModel::default(), TrustedLock::default());
        let mut now = T0 + u64::from(r.next_u32() % 1000);
        // One sequence in seven is a thief with the device: every call trusted, codes guessed,
        // long enough to fill the trusted lane's budget.
        let thief = seq % 7 == 3;
        let calls = (8 + r.next_u32() % 32) * if seq % 10 == 0 || thief { 4 } else { 1 };
        for call in 0..calls {
            now = step(&mut r, now);
            let what = format!("sequence {seq}, call {call}");
            // A token issued just now on a copy of the blob (tokens, their expiry, revocation and
            // the issue record: device_model).
            let mut token =
                device::issue(&ctx, "acct", now, &mut dev_blob.clone()).unwrap().as_str().to_owned();
            let forged = r.next_u32() % 12 == 0;
            if forged {
                let c = if token.as_bytes()[40] == b'A' { "B" } else { "A" };
                token.replace_range(40..=40, c);
            }
            let trusted = forged || thief || r.next_u32() % 2 == 0;
            let guess = thief && r.next_u32() % 4 != 0;
            let before = (sms_blob, totp_blob, dev_blob);
            let dev_state = State::decode(&dev_blob, Kind::Device).unwrap();
            match r.next_u32() % 10 {
                0..=2 => {
                    let got = if trusted {
                        device::otp_issue_with_rng(
                            &ctx,
                            "acct",
                            "login",
                            &token,
                            now,
                            &mut sms_blob,
                            &dev_blob,
                            &mut r,
                        )
                    } else {
                        otp::issue_with_rng(&ctx, "login", now, &mut sms_blob, &mut r)
                    };
                    let text = got.as_ref().map(|c| c.as_str().to_owned()).unwrap_or_default();
                    let want = if forged {
                        Err(Error::DeviceUntrusted)
                    } else if trusted {
                        send_in_lane(&lane, &mut sms, now, &text)
                    } else {
                        sms.issue(now, &text)
                    };
                    assert_eq!(got.map(drop), want, "{what}: issue (trusted: {trusted})");
                    if trusted {
                        seen.insert(("send", want.err()));
                    }
                }
                3 if r.next_u32() % 3 == 0 => {
                    if r.next_u32() % 2 == 0 {
                        portal_codes::reset(&mut dev_blob).unwrap();
                        lane = TrustedLock::default();
                    } else {
                        portal_codes::reset(&mut sms_blob).unwrap();
                        sms.lock = Lock::default();
                    }
                    continue;
                }
                3..=6 => {
                    let input = match (r.next_u32() % 8, &sms.code, &sms.previous) {
                        _ if guess => format!("{:06}", r.next_u32() % 1_000_000),
                        (0, _, _) => "12345".to_owned(),
                        (1..=3, Some(c), _) => c.clone(),
                        (4, _, Some(p)) => p.clone(),
                        _ => format!("{:06}", r.next_u32() % 1_000_000),
                    };
                    let got = if trusted {
                        device::otp_verify(
                            &ctx,
                            "acct",
                            "login",
                            &input,
                            &token,
                            now,
                            &mut sms_blob,
                            &mut dev_blob,
                        )
                    } else {
                        otp::verify(&ctx, "login", &input, now, &mut sms_blob)
                    };
                    let want = if forged {
                        Err(Error::DeviceUntrusted)
                    } else if trusted {
                        in_lane(&mut lane, &mut sms, |m| &mut m.lock, now, |m| m.verify(&input, true, now))
                    } else {
                        sms.verify(&input, true, now)
                    };
                    assert_eq!(got, want, "{what}: verify {input} (trusted: {trusted})");
                    if trusted {
                        seen.insert(("sms", want.err()));
                    }
                    let authentic =
                        sms.code.as_deref() == Some(&input) || sms.previous.as_deref() == Some(&input);
                    let counted = if trusted {
                        counted(&dev_state, &dev_blob, Kind::Device)
                    } else {
                        counted(&State::decode(&before.0, Kind::Otp).unwrap(), &sms_blob, Kind::Otp)
                    };
                    let independent: Vec<Error> =
                        OTP_INDEPENDENT.iter().copied().chain([Error::DeviceUntrusted]).collect();
                    free_answers += free_answer(&got, authentic, counted, &independent);
                }
                _ => {
                    let current = now / 30;
                    let (input, matches) = if guess {
                        let input = format!("{:06}", r.next_u32() % 1_000_000);
                        let right = |s: u64| totp::time::code(&secret, &p, s * 30).unwrap().as_str() == input;
                        let matches = (current - 1..=current + 1).filter(|&s| right(s)).collect();
                        (input, matches)
                    } else {
                        totp_input(&mut r, &secret, current, 2)
                    };
                    let got = if trusted {
                        device::totp_verify(
                            &ctx,
                            "acct",
                            &secret,
                            &p,
                            &input,
                            &token,
                            now,
                            &mut totp_blob,
                            &mut dev_blob,
                        )
                    } else {
                        totp::time::verify(&ctx, &secret, &p, &input, now, &mut totp_blob)
                    };
                    let mistyped = input.len() != 6;
                    let want = if forged {
                        Err(Error::DeviceUntrusted)
                    } else if trusted {
                        in_lane(
                            &mut lane,
                            &mut app,
                            |m| &mut m.lock,
                            now,
                            |m| m.verify(mistyped, &matches, current, now),
                        )
                    } else {
                        app.verify(mistyped, &matches, current, now)
                    };
                    assert_eq!(got, want, "{what}: totp {input} (trusted: {trusted})");
                    if trusted {
                        seen.insert(("totp", want.err()));
                    }
                    let counted = if trusted {
                        counted(&dev_state, &dev_blob, Kind::Device)
                    } else {
                        counted(&State::decode(&before.1, Kind::Totp).unwrap(), &totp_blob, Kind::Totp)
                    };
                    let independent: Vec<Error> =
                        APP_INDEPENDENT.iter().copied().chain([Error::DeviceUntrusted]).collect();
                    free_answers += free_answer(&got, !matches.is_empty(), counted, &independent);
                }
            }
            if forged {
                assert_eq!((sms_blob, totp_blob, dev_blob), before, "{what}: a forged token writes nothing");
            }
            same_counters(&sms_blob, Kind::Otp, &sms.lock, sms.wait, now, &what);
            same_counters(&totp_blob, Kind::Totp, &app.lock, 0, now, &what);
            same_counters(&dev_blob, Kind::Device, &lane.0, 0, now, &what);
            assert_eq!(totp::time::last_step(&totp_blob), Ok(app.accepted), "{what}: last step");
        }
    }
    assert_eq!(free_answers, 0, "answers to wrong codes that were not counted");
    let want = [
        ("send", None),
        ("send", Some(Error::TooSoon)),
        ("send", Some(Error::Locked)),
        ("sms", None),
        ("sms", Some(Error::Wrong)),
        ("sms", Some(Error::AlreadyUsed)),
        ("sms", Some(Error::AttemptsExhausted)),
        ("sms", Some(Error::Locked)),
        ("sms", Some(Error::DeviceUntrusted)),
        ("totp", None),
        ("totp", Some(Error::Wrong)),
        ("totp", Some(Error::AlreadyUsed)),
        ("totp", Some(Error::Locked)),
    ];
    for w in want {
        assert!(seen.contains(&w), "the trusted lane never answered {w:?}");
    }
}
