//! PINs: policy check, verification, hash round trips.

use super::*;

/// A context with the lowest PBKDF2 iteration count, so that debug builds stay quick.
fn pin_ctx() -> Context {
    let mut c = ctx();
    c.set(Setting::PinIterations, 10_000).unwrap();
    c
}

/// One real stored hash: PIN "4831" of account "acct-1".
fn real_hash() -> &'static str {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| {
        pin::hash_with_rng(&pin_ctx(), "acct-1", "4831", &mut rng(1)).unwrap().as_str().to_owned()
    })
}

/// Stored strings: hostile text, and the real hash with one character substituted (which keeps
/// the iteration count at four digits and the lanes at most 4, so no case costs more than 10x
/// the real one).
fn stored_hash() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => hostile(),
        1 => (any::<proptest::sample::Index>(), "[0-9A-Za-z+/=$,.]").prop_map(|(at, c)| {
            let mut s: Vec<char> = real_hash().chars().collect();
            let i = at.index(s.len());
            s[i] = c.chars().next().unwrap();
            s.into_iter().collect()
        }),
        1 => Just(String::new()).prop_map(|_| real_hash().to_owned()),
    ]
}

fn pin_input() -> impl Strategy<Value = String> {
    prop_oneof![Just("4831".to_owned()), "[0-9]{4}", "[0-9]{6}", hostile()]
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn pin_check_takes_any_input(
        pin in pin_input(),
        same in any::<bool>(),
        confirm in pin_input(),
        birth in proptest::option::of(prop_oneof![Just("1990-04-12".to_owned()), "[0-9]{4}-[0-9]{2}-[0-9]{2}", hostile()]),
        lengths in prop_oneof![Just(16u64), Just(64), Just(80)],
    ) {
        let mut ctx = ctx();
        ctx.set(Setting::PinLengths, lengths).unwrap();
        let confirm = if same { pin.clone() } else { confirm };
        let r = pin::check_reason(&ctx, &pin, &confirm, birth.as_deref());
        prop_assert_eq!(pin::check(&ctx, &pin, &confirm, birth.as_deref()), r.map_err(|(e, _)| e));
        match r {
            Ok(()) => {
                prop_assert!(pin.bytes().all(|b| b.is_ascii_digit()));
                prop_assert!(lengths & (1 << pin.len()) != 0);
                prop_assert_eq!(&pin, &confirm);
            }
            Err((e, w)) => {
                prop_assert!(
                    [Error::PinFormat, Error::PinMismatch, Error::InvalidBirthDate, Error::PinWeak].contains(&e),
                    "{e:?}"
                );
                prop_assert_eq!(w.is_some(), e == Error::PinWeak);
            }
        }
        let b = birth.as_deref().map(pin::BirthDate::parse);
        if let Some(Err(e)) = b {
            prop_assert_eq!(e, Error::InvalidBirthDate);
        }
        if let Some(Ok(d)) = b {
            prop_assert_eq!(format!("{d:?}"), "BirthDate(..)");
        }
        let w = pin::weakness(&pin, b.and_then(Result::ok));
        if w.is_some() {
            prop_assert!((pin.len() == 4 || pin.len() == 6) && pin.bytes().all(|b| b.is_ascii_digit()));
        }
    }

}

// PBKDF2 runs in these (10,000 iterations, ~60 ms in a debug build): few cases by default.
proptest! {
    #![proptest_config(config(32))]

    /// Any stored string, PIN and blob: documented errors only, CORRUPT_STATE untouched, OK only
    /// for the real hash and PIN; the other entry points agree on malformed strings.
    #[test]
    fn pin_verify_takes_any_input(
        stored in stored_hash(),
        pin in pin_input(),
        account in prop_oneof![Just("acct-1".to_owned()), hostile()],
        now in time(),
        st in prop_oneof![Just([0u8; STATE_BYTES]), blob()],
    ) {
        let ctx = pin_ctx();
        let malformed = pin::params(&stored).is_err();
        if malformed {
            prop_assert_eq!(pin::params(&stored).err(), Some(Error::MalformedHash));
            prop_assert_eq!(pin::needs_rehash(&ctx, &stored), Err(Error::MalformedHash));
        }
        let mut b = st;
        let r = pin::verify(&ctx, &account, &pin, &stored, now, &mut b);
        check_flow(&r, PIN_VERIFY_ERRORS, Kind::Pin, &st, &b, true, now)?;
        if r.is_ok() {
            prop_assert!(stored == real_hash() && pin == "4831" && account == "acct-1");
        }
        let now_ok = portal_codes::clock::check(now).is_ok();
        if malformed && now_ok && r != Err(Error::CorruptState) && !matches!(r, Err(Error::Locked | Error::Blocked)) {
            // The PIN's format is checked before anything that depends on the account.
            let format_ok = matches!(pin.len(), 4 | 6) && pin.bytes().all(|b| b.is_ascii_digit());
            prop_assert_eq!(r, Err(if format_ok { Error::MalformedHash } else { Error::PinFormat }));
        }
        // Two phases on a copy: begin never computes, finish only after begin.
        let mut b = st;
        let r1 = pin::verify_begin(&ctx, &pin, &stored, now, &mut b);
        check_flow(&r1, PIN_VERIFY_ERRORS, Kind::Pin, &st, &b, true, now)?;
        prop_assert_ne!(r1, Err(Error::Wrong));
        if r1.is_ok() {
            let before = b;
            let r2 = pin::verify_finish(&ctx, &account, &pin, &stored, now, &mut b);
            check_flow(&r2, PIN_VERIFY_ERRORS, Kind::Pin, &before, &b, true, now)?;
            prop_assert_eq!(r2.is_ok(), r.is_ok());
        }
    }

}

proptest! {
    #![proptest_config(config(6))]

    /// hash → verify round trip, the parameters it declares, and a wrong PIN.
    #[test]
    fn pin_hash_verify_round_trip(pin in "[0-9]{4}|[0-9]{6}", account in name(64), seed in any::<u64>()) {
        let ctx = pin_ctx();
        let h = pin::hash_with_rng(&ctx, &account, &pin, &mut rng(seed)).unwrap();
        let p = pin::params(h.as_str()).unwrap();
        // The default three lanes of ⌈10,000 / 3⌉ iterations (a `v=2` string).
        prop_assert_eq!((p.version, p.lanes, p.iterations), (2, 3, 3_334));
        prop_assert_eq!((p.length as usize, p.key_id), (pin.len(), 3));
        prop_assert_eq!(pin::needs_rehash(&ctx, h.as_str()), Ok(false));
        let mut st = [0u8; STATE_BYTES];
        prop_assert_eq!(pin::verify(&ctx, &account, &pin, h.as_str(), T0, &mut st), Ok(()));
        let other = change_first_digit(&pin);
        prop_assert_eq!(pin::verify(&ctx, &account, &other, h.as_str(), T0, &mut st), Err(Error::Wrong));
        prop_assert!(!format!("{h:?}").contains(&h.as_str()[h.as_str().len() - 43..]), "Debug shows the tag");
    }
}

fn change_first_digit(pin: &str) -> String {
    let mut b = pin.as_bytes().to_vec();
    b[0] = b'0' + (b[0] - b'0' + 1) % 10;
    String::from_utf8(b).unwrap()
}
