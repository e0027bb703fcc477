//! SMS/e-mail codes and TOTP/HOTP.

use super::*;

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn otp_verify_takes_any_input(
        purpose in prop_oneof![Just("login".to_owned()), hostile()],
        code in hostile(),
        now in time(),
        st in blob(),
    ) {
        let _ = otp_verify_checked(&ctx(), &purpose, &code, now, st)?;
    }

    #[test]
    fn otp_issue_takes_any_input(
        purpose in prop_oneof![Just("login".to_owned()), hostile()],
        now in time(),
        st in blob(),
        seed in any::<u64>(),
    ) {
        let ctx = ctx();
        let before = st;
        let mut st = st;
        let r = otp::issue_with_rng(&ctx, &purpose, now, &mut st, &mut rng(seed)).map(|c| c.as_str().to_owned());
        check_flow(&r, OTP_ISSUE_ERRORS, Kind::Otp, &before, &st, !purpose.is_empty(), now)?;
        if let Ok(code) = &r {
            prop_assert!(code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()));
            let (v, _) = otp_verify_checked(&ctx, &purpose, code, now, st)?;
            // At the end of time the expiry saturates: a code issued then is already expired.
            let want = if now.checked_add(ctx.policy().otp_ttl_seconds).is_some() { Ok(()) } else { Err(Error::Expired) };
            prop_assert_eq!(v, want);
        }
    }

    /// After a real issue: only the code itself (with any spaces) is accepted; anything else is
    /// MISTYPED or WRONG; damaged blobs behave as documented.
    #[test]
    fn otp_real_code_against_hostile_input(
        seed in any::<u64>(),
        input in hostile(),
        spaces in vec(0usize..6, 0..4),
        flips in flips(),
        digits in 4u64..=8,
    ) {
        let mut ctx = ctx();
        ctx.set(Setting::OtpDigits, digits).unwrap();
        let mut st = [0u8; STATE_BYTES];
        let code = otp::issue_with_rng(&ctx, "login", T0, &mut st, &mut rng(seed)).unwrap();
        let (r, after) = otp_verify_checked(&ctx, "login", &input, T0 + 5, st)?;
        if input.replace(' ', "") == code.as_str() {
            prop_assert_eq!(r, Ok(()));
        } else {
            prop_assert!(matches!(r, Err(Error::Mistyped | Error::Wrong)), "{r:?}");
            if r == Err(Error::Mistyped) {
                prop_assert_eq!(after, st, "MISTYPED is not recorded");
            }
        }
        let (r, _) = otp_verify_checked(&ctx, "login", &spaced(code.as_str(), &spaces), T0 + 5, st)?;
        prop_assert_eq!(r, Ok(()));
        let _ = otp_verify_checked(&ctx, "login", code.as_str(), T0 + 5, flip(st, &flips))?;
    }
}

// ---------------------------------------------------------------- TOTP / HOTP

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn totp_verify_takes_any_input(
        secret in vec(any::<u8>(), 0..80),
        p in params(),
        code in hostile(),
        now in time(),
        st in blob(),
    ) {
        let ctx = ctx();
        let before = st;
        let mut st = st;
        let r = totp::time::verify(&ctx, &secret, &p, &code, now, &mut st);
        let secret_ok = (totp::MIN_SECRET_BYTES..=totp::MAX_SECRET_BYTES).contains(&secret.len());
        check_flow(&r, TOTP_VERIFY_ERRORS, Kind::Totp, &before, &st, secret_ok, now)?;
        if !secret_ok {
            prop_assert_eq!(r, Err(Error::InvalidArgument));
        }
        if let Ok(drift) = r {
            prop_assert!(drift.abs() <= 1, "drift {drift} outside the default window");
        }
        prop_assert!(totp::time::last_step(&st).is_ok() || totp::time::last_step(&before).is_err());
    }

    #[test]
    fn totp_code_verifies_once(secret in vec(any::<u8>(), 10..=64), p in params(), now in valid_time()) {
        let ctx = ctx();
        let c = totp::time::code(&secret, &p, now).unwrap();
        prop_assert_eq!(c.as_str().len(), p.digits() as usize);
        let mut st = [0u8; STATE_BYTES];
        prop_assert_eq!(totp::time::verify(&ctx, &secret, &p, c.as_str(), now, &mut st), Ok(0));
        prop_assert_eq!(totp::time::verify(&ctx, &secret, &p, c.as_str(), now, &mut st), Err(Error::AlreadyUsed));
        prop_assert_eq!(totp::time::last_step(&st), Ok(Some(totp::time::step(now, &p))));
    }

    #[test]
    fn hotp_verify_takes_any_input(
        secret in vec(any::<u8>(), 0..80),
        alg in algorithm(),
        digits in prop_oneof![6u32..=8, any::<u32>()],
        code in hostile(),
        now in time(),
        st in blob(),
    ) {
        let ctx = ctx();
        let before = st;
        let mut st = st;
        let r = totp::hotp::verify(&ctx, &secret, alg, digits, &code, now, &mut st);
        let args_ok = (10..=64).contains(&secret.len()) && (6..=8).contains(&digits);
        check_flow(&r, TOTP_VERIFY_ERRORS, Kind::Hotp, &before, &st, args_ok, now)?;
        if !args_ok {
            prop_assert_eq!(r, Err(Error::InvalidArgument));
        }
        if let (Ok(at), Ok(s)) = (r, State::decode(&before, Kind::Hotp)) {
            let next = u64::from_le_bytes(s.payload[..8].try_into().unwrap());
            prop_assert!(at >= next && at <= next.saturating_add(10), "counter {at} outside next {next} + 10");
        }
    }
}
