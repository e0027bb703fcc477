use super::*;

#[test]
fn algorithm_ids() {
    assert_eq!(Algorithm::from_id(1), Ok(Algorithm::Sha1));
    assert_eq!(Algorithm::from_id(2), Ok(Algorithm::Sha256));
    assert_eq!(Algorithm::from_id(3), Ok(Algorithm::Sha512));
    for bad in [0, 4, -1, i32::MIN, i32::MAX] {
        assert_eq!(Algorithm::from_id(bad), Err(Error::InvalidArgument));
    }
}

#[test]
fn params_ranges() {
    for d in [6, 7, 8] {
        for p in [1, 30, 3600] {
            assert!(Params::new(Algorithm::Sha256, d, p).is_ok());
        }
    }
    for (d, p) in [(5, 30), (9, 30), (0, 30), (u32::MAX, 30), (6, 0), (6, 3601), (6, u32::MAX)] {
        assert_eq!(Params::new(Algorithm::Sha1, d, p), Err(Error::InvalidArgument), "{d} {p}");
    }
}

#[test]
fn input_parsing() {
    assert_eq!(parse_input("123456", 6), Ok(123_456));
    assert_eq!(parse_input(" 123 456 ", 6), Ok(123_456));
    assert_eq!(parse_input("00000001", 8), Ok(1));
    for bad in ["12345", "1234567", "12345a", "１２３４５６", "123-456", "", "      ", "+12345"] {
        assert_eq!(parse_input(bad, 6), Err(Error::Mistyped), "{bad:?}");
    }
}

#[test]
fn code_formatting_and_debug() {
    let c = Code::new(4_287, 6);
    assert_eq!(c.as_str(), "004287");
    assert_eq!(std::format!("{c:?}"), "Code(6 digits)");
    assert_eq!(Code::new(99_999_999, 8).as_str(), "99999999");
    assert_eq!(Code::new(u32::MAX, 6).as_str(), "967295", "the last digits of any value");
    assert_eq!(Code::new(1_000_000, 7).as_str(), "1000000");
}

/// `reduce` against `%`.
#[test]
fn reduce_is_remainder() {
    for d in 6..=8u32 {
        for v in [0, 1, 999_999, 1_000_000, 99_999_999, 100_000_000, u32::MAX] {
            assert_eq!(reduce(v, d), v % 10u32.pow(d));
        }
    }
}

/// TOTP and HOTP payloads refuse bytes their flows never write (issue 13: they used to be
/// accepted and carried along).
#[test]
fn payloads_refuse_stray_bytes() {
    use crate::blob::{PAYLOAD_BYTES, Payload as _};
    let ok = |b: &[u8; PAYLOAD_BYTES], hotp: bool| {
        if hotp { HotpPayload::decode(b).is_ok() } else { TotpPayload::decode(b).is_ok() }
    };
    let mut accepted = [0u8; PAYLOAD_BYTES];
    accepted[..8].copy_from_slice(&77u64.to_le_bytes());
    accepted[8] = 1;
    assert!(ok(&[0; PAYLOAD_BYTES], false) && ok(&[0; PAYLOAD_BYTES], true));
    assert!(ok(&accepted, false) && ok(&accepted, true));
    let mut spent = [0u8; PAYLOAD_BYTES];
    spent[..8].copy_from_slice(&u64::MAX.to_le_bytes());
    spent[8] = 3;
    assert!(ok(&spent, true) && !ok(&spent, false), "spent is HOTP's only");
    for hotp in [false, true] {
        // Bytes 9..17 hold the enrolment digest of an accepted blob (issue 20 §4); a blob
        // that accepted nothing has none.
        for at in 9..17 {
            let mut b = accepted;
            b[at] = 1;
            assert!(ok(&b, hotp), "enrolment byte {at}");
            let mut b = [0u8; PAYLOAD_BYTES];
            b[at] = 1;
            assert!(!ok(&b, hotp), "an enrolment without an acceptance, byte {at}");
        }
        for at in 17..PAYLOAD_BYTES {
            let mut b = accepted;
            b[at] = 1;
            assert!(!ok(&b, hotp), "stray byte {at}");
        }
        let mut b = accepted;
        b[8] = 4;
        assert!(!ok(&b, hotp), "unknown flag");
        let mut b = spent;
        b[8] = 2;
        assert!(!ok(&b, hotp), "spent without accepted");
        let mut b = spent;
        b[0] = 0xFE;
        assert!(!ok(&b, hotp), "spent below the last counter");
    }
    let mut b = [0u8; PAYLOAD_BYTES];
    b[0] = 5;
    assert!(!ok(&b, false) && !ok(&b, true), "a step or counter without the accepted flag");
    let mut b = [0u8; PAYLOAD_BYTES];
    b[8] = 1;
    assert!(ok(&b, false), "TOTP step 0 accepted");
    assert!(!ok(&b, true), "a HOTP counter of 0 after an acceptance");
}

#[test]
fn secret_generation() {
    use crate::rng::SeedableRng;
    let mut rng = crate::rng::ChaCha20Rng::from_seed([1; 32]);
    let mut a = [0u8; 20];
    secret_with_rng(&mut a, &mut rng).unwrap();
    let mut b = [0u8; 20];
    secret_with_rng(&mut b, &mut rng).unwrap();
    assert_ne!(a, b);
    assert_ne!(a, [0; 20]);
    let mut short = [0u8; 15];
    assert_eq!(secret_with_rng(&mut short, &mut rng), Err(Error::InvalidArgument));
    let mut long = [0u8; 65];
    assert_eq!(secret_with_rng(&mut long, &mut rng), Err(Error::InvalidArgument));
    #[cfg(feature = "std")]
    {
        let mut s = [0u8; 64];
        secret(&mut s).unwrap();
        assert_ne!(s, [0; 64]);
    }
}
