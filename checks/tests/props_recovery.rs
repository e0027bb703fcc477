//! Property tests of recovery codes (issue 22 §1), beside `props/` (kept apart for size):
//! `recovery::verify` and `generate_with_rng` never panic and answer only the errors they
//! document, with any blob, stored string, code, account and time; a refused call leaves the
//! blob as it was; a blob the flow wrote is one it reads again; and a damaged stored string
//! loses at least one code.

#[path = "../../tests/support/mod.rs"]
mod support;

use proptest::prelude::*;

use portal_codes::recovery;
use portal_codes::rng::{ChaCha20Rng, SeedableRng};
use portal_codes::state::{Kind, State};
use portal_codes::{Context, Error, STATE_BYTES};
use support::errors::{RECOVERY_GENERATE_ERRORS, RECOVERY_VERIFY_ERRORS};

type Blob = [u8; STATE_BYTES];
const T0: u64 = 1_750_000_000;

fn ctx() -> Context {
    let mut c = Context::new(&[0x5a; 32], 3).unwrap();
    c.add_key(&[0xa5; 48], 9).unwrap();
    c
}

/// A real set (blob, string, codes) for "acct", with `used` of its codes used.
fn set(seed: u64, count: u32, used: usize) -> (Blob, String, Vec<String>) {
    let ctx = ctx();
    let mut st = [0u8; STATE_BYTES];
    let s = recovery::generate_with_rng(&ctx, "acct", count, &mut st, &mut ChaCha20Rng::seed_from_u64(seed))
        .unwrap();
    let codes: Vec<String> = s.codes().iter().map(|c| c.as_str().to_owned()).collect();
    for c in codes.iter().take(used) {
        recovery::verify(&ctx, "acct", s.stored().as_str(), c, T0, &mut st).unwrap();
    }
    (st, s.stored().as_str().to_owned(), codes)
}

/// Blobs: real recovery blobs, the same with one byte changed, and any bytes with a recovery
/// header.
fn blob() -> impl Strategy<Value = Blob> {
    prop_oneof![
        (any::<u64>(), 1u32..=16, 0usize..16).prop_map(|(s, n, u)| set(s, n, u.min(n as usize)).0),
        ((any::<u64>(), 1u32..=16), 0usize..64, any::<u8>()).prop_map(|((s, n), at, v)| {
            let mut b = set(s, n, 0).0;
            b[at] = v;
            b
        }),
        any::<[u8; 32]>().prop_map(|r| {
            let mut b = [0u8; STATE_BYTES];
            b[0] = Kind::Recovery as u8;
            b[1] = portal_codes::state::VERSION;
            b[24..56].copy_from_slice(&r);
            b
        }),
        Just([0u8; STATE_BYTES]),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9A-Za-z\\- \u{410}-\u{44f}]{0,20}",
        "\\$pcodes-recovery\\$v=1,k=(3|9|15),n=[0-9]{1,2}\\$[A-Za-z0-9+/]{0,12}\\$[A-Za-z0-9+/]{0,40}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn verify_takes_any_input(
        before in blob(),
        stored in text(),
        code in text(),
        account in prop_oneof![Just(String::from("acct")), any::<String>()],
        now in prop_oneof![Just(0u64), Just(u64::MAX), Just(T0), any::<u64>()],
        real_string in any::<bool>(),
    ) {
        let ctx = ctx();
        let stored = if real_string { set(1, 4, 0).1 } else { stored };
        let mut st = before;
        let r = recovery::verify(&ctx, &account, &stored, &code, now, &mut st);
        if let Err(e) = r {
            prop_assert!(RECOVERY_VERIFY_ERRORS.contains(&e), "undocumented {e:?}");
        }
        if matches!(r, Err(Error::InvalidArgument | Error::CorruptState | Error::MalformedHash | Error::UnknownKey)) {
            prop_assert_eq!(st, before, "a refused call changed the blob");
        }
        if st != before {
            prop_assert!(State::decode(&st, Kind::Recovery).is_ok(), "wrote a blob it cannot read");
            let mut again = st;
            prop_assert_ne!(recovery::verify(&ctx, &account, &stored, &code, now, &mut again), Err(Error::CorruptState));
        }
        if r.is_ok() {
            prop_assert!(real_string, "a code verified against a string that is not a generated one");
        }
    }

    #[test]
    fn generate_takes_any_blob_and_count(before in blob(), count in any::<u32>(), seed in any::<u64>()) {
        let ctx = ctx();
        let mut st = before;
        let r = recovery::generate_with_rng(&ctx, "acct", count, &mut st, &mut ChaCha20Rng::seed_from_u64(seed));
        match r {
            Err(e) => {
                prop_assert!(RECOVERY_GENERATE_ERRORS.contains(&e), "undocumented {e:?}");
                prop_assert_eq!(st, before);
            }
            Ok(s) => {
                prop_assert_eq!(s.codes().len(), count as usize);
                prop_assert_eq!(recovery::remaining(&st), Ok(count));
                let old = State::decode(&before, Kind::Recovery).map(|h| h.failures);
                prop_assert_eq!(old, State::decode(&st, Kind::Recovery).map(|h| h.failures), "failures kept");
            }
        }
    }

    /// One byte of a real string changed (its parameters, set id or one tag): at least one code
    /// of the set no longer verifies (every byte is inside some tag or bound into all of them),
    /// and nothing panics.
    #[test]
    fn a_damaged_string_loses_a_code(seed in any::<u64>(), at in 0usize..200, byte in 0x21u8..0x7f) {
        let (st, stored, codes) = set(seed, 3, 0);
        let mut b = stored.clone().into_bytes();
        let at = at % b.len();
        prop_assume!(b[at] != byte);
        b[at] = byte;
        let damaged = String::from_utf8(b).unwrap();
        let ctx = ctx();
        let mut accepted = 0;
        for c in &codes {
            let mut s = st;
            accepted += usize::from(recovery::verify(&ctx, "acct", &damaged, c, T0, &mut s).is_ok());
        }
        prop_assert!(accepted < codes.len(), "{damaged} verified every code");
    }
}
