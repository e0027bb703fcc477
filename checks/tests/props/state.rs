//! State blobs, contexts and statuses.

use super::*;

proptest! {
    #![proptest_config(config(512))]

    /// Layout 4's lockout header (bytes 2..16: failures, budget, lock, last failure, the
    /// budget's clock): any bytes that decode are written back as exactly those bytes, and a lock
    /// ends at its decoded second (issue 22 §2: the header is relative to the last failure).
    #[test]
    fn layout_4_headers_round_trip(header in vec(any::<u8>(), 14), now in valid_time()) {
        let mut b = [0u8; STATE_BYTES];
        b[0] = Kind::Hotp as u8;
        b[1] = portal_codes::state::VERSION;
        b[2..16].copy_from_slice(&header);
        if let Ok(Some(s)) = State::decode_any(&b) {
            prop_assert_eq!(s.encode(), b);
            let t = s.locked_until;
            prop_assert_eq!(portal_codes::retry_at(&b, now), Ok(if t > now { t } else { 0 }));
        }
    }

    /// retry_at and reset on any bytes of any length: CORRUPT_STATE exactly when no kind can
    /// decode them (then untouched); reset clears failures and lock and keeps everything else.
    #[test]
    fn retry_at_and_reset_take_any_bytes(
        bytes in prop_oneof![blob().prop_map(|b| b.to_vec()), vec(any::<u8>(), 0..130)],
        now in valid_time(),
        bad_now in prop_oneof![Just(0u64), (portal_codes::clock::MAX_NOW + 1)..=u64::MAX],
    ) {
        prop_assert_eq!(portal_codes::retry_at(&bytes, bad_now), Err(Error::InvalidArgument));
        let decoded = State::decode_any(&bytes);
        let r = portal_codes::retry_at(&bytes, now);
        let mut b = bytes.clone();
        let z = portal_codes::reset(&mut b);
        match decoded {
            Err(e) => {
                prop_assert_eq!(e, Error::CorruptState);
                prop_assert_eq!(r, Err(Error::CorruptState));
                prop_assert_eq!(z, Err(Error::CorruptState));
                prop_assert_eq!(&b, &bytes);
            }
            Ok(None) => {
                prop_assert_eq!((r, z), (Ok(0), Ok(())));
                prop_assert_eq!(&b, &bytes);
            }
            Ok(Some(s)) => {
                let t = s.locked_until.max(s.wait_until);
                prop_assert_eq!(r, Ok(if t > now { t } else { 0 }));
                prop_assert_eq!(z, Ok(()));
                // A PIN blob's pending attempts go with its failures; a state equal to the
                // fresh one is written as zeros.
                let payload = if s.kind() == Kind::Pin { [0; 40] } else { s.payload };
                match State::decode_any(&b).unwrap() {
                    Some(after) => {
                        prop_assert_eq!((after.kind(), after.failures, after.locked_until), (s.kind(), 0, 0));
                        // Layout 4: the guess budget and the last failure go too.
                        prop_assert_eq!((after.budget, after.budget_at, after.last_failure), (0, 0, 0));
                        prop_assert_eq!((after.wait_until, after.payload), (s.wait_until, payload));
                    }
                    None => prop_assert!(s.wait_until == 0 && payload == [0; 40]),
                }
                let again = b.clone();
                prop_assert_eq!(portal_codes::reset(&mut b), Ok(()));
                prop_assert_eq!(&b, &again, "reset is idempotent");
                prop_assert_eq!(portal_codes::retry_at(&b, now), Ok(if s.wait_until > now { s.wait_until } else { 0 }));
            }
        }
    }

    /// revoke and events on any bytes: CORRUPT_STATE exactly when no kind can decode them (the
    /// blob then untouched); otherwise the kind and the header (failures, lock, wait) are kept,
    /// the result decodes, revoking again changes nothing, and the pair shows no event.
    #[test]
    fn revoke_and_events_take_any_bytes(
        bytes in prop_oneof![blob().prop_map(|b| b.to_vec()), vec(any::<u8>(), 0..130)],
        what in 1u32..=3,
        now in valid_time(),
    ) {
        use portal_codes::state::{events, revoke};
        let ctx = Context::new(&[0x42; 32], 1).unwrap();
        let decoded = State::decode_any(&bytes);
        let mut b = bytes.clone();
        let r = revoke(&mut b, what);
        match decoded {
            Err(e) => {
                prop_assert_eq!((e, r), (Error::CorruptState, Err(Error::CorruptState)));
                prop_assert_eq!(&b, &bytes);
                let fresh = [0u8; STATE_BYTES];
                prop_assert!(events(&ctx, &bytes, &fresh, now).is_err());
                prop_assert!(events(&ctx, &fresh, &bytes, now).is_err());
            }
            Ok(before) => {
                prop_assert_eq!(r, Ok(()));
                let after = State::decode_any(&b).unwrap();
                let header = |s: &Option<State>| s.as_ref().map(|s| (s.kind(), s.failures, s.locked_until, s.wait_until));
                match (&before, &after) {
                    (Some(_), Some(_)) => prop_assert_eq!(header(&before), header(&after)),
                    (Some(s), None) => prop_assert!(s.failures == 0 && s.locked_until == 0 && s.wait_until == 0),
                    (None, a) => prop_assert!(a.is_none()),
                }
                let once = b.clone();
                prop_assert_eq!(revoke(&mut b, what), Ok(()));
                prop_assert_eq!(&b, &once, "revoking twice is revoking once");
                prop_assert_eq!(events(&ctx, &bytes, &b, now).map(|e| e.flags), Ok(0));
            }
        }
    }

    /// A blob decodes for at most one kind, and the kind-specific readers agree with it.
    #[test]
    fn state_decode_is_exclusive(st in blob()) {
        let kinds = Kind::ALL;
        let ok: Vec<_> = kinds.iter().filter(|&&k| State::decode(&st, k).is_ok()).collect();
        if st == [0; STATE_BYTES] {
            prop_assert_eq!(ok.len(), kinds.len());
        } else {
            prop_assert!(ok.len() <= 1);
            if let [k] = ok[..] {
                // A blob of an earlier layout is read upgraded and written as the current one.
                let s = State::decode(&st, *k).unwrap();
                let written = s.encode();
                if st[1] == portal_codes::state::VERSION {
                    prop_assert_eq!(written, st);
                } else {
                    prop_assert_eq!(written[1], portal_codes::state::VERSION);
                    prop_assert_eq!(State::decode(&written, *k).unwrap(), s);
                }
            }
        }
        for k in kinds {
            if let Err(e) = State::decode(&st, k) {
                prop_assert_eq!(e, Error::CorruptState);
            }
        }
        let r = totp::time::last_step(&st);
        if r.is_ok() {
            prop_assert!(State::decode(&st, Kind::Totp).is_ok());
        }
        if State::decode(&st, Kind::Totp).is_err() {
            prop_assert_eq!(r, Err(Error::CorruptState));
        }
    }

    #[test]
    fn ct_eq_is_equality(a in vec(any::<u8>(), 0..40), b in vec(any::<u8>(), 0..40), same in any::<bool>()) {
        let b = if same { a.clone() } else { b };
        prop_assert_eq!(mac::ct_eq(&a, &b), a == b);
    }

    /// Context set-up and the status tables take any values.
    #[test]
    fn context_and_status_take_any_values(
        master in vec(any::<u8>(), 0..100),
        key_id in prop_oneof![0u32..20, any::<u32>()],
        setting in prop_oneof![0i32..16, any::<i32>()],
        value in prop_oneof![0u64..20_000, any::<u64>()],
        code in prop_oneof![0i32..1000, any::<i32>()],
        tag in hostile(),
    ) {
        let good = (32..=64).contains(&master.len()) && key_id <= 15;
        let c = Context::new(&master, key_id);
        prop_assert_eq!(c.as_ref().err(), if good { None } else { Some(&Error::BadKey) });
        let mut ctx = ctx();
        if let Some(s) = Setting::from_id(setting) {
            let before = ctx.get(s);
            let (lo, hi) = s.range();
            match ctx.set(s, value) {
                Ok(()) => {
                    prop_assert!((lo..=hi).contains(&value));
                    prop_assert_eq!(ctx.get(s), value);
                }
                Err(e) => {
                    prop_assert_eq!(e, Error::InvalidArgument);
                    prop_assert_eq!(ctx.get(s), before);
                }
            }
        }
        let name = portal_codes::error::status_name(code);
        prop_assert!(name.starts_with("PCODES_STATUS_"));
        let lang = Lang::from_tag(&tag);
        prop_assert!(!portal_codes::error::status_message(code, lang).is_empty());
        prop_assert_eq!(Error::from_code(code).map(Error::code), Error::from_code(code).map(|_| code));
    }
}
