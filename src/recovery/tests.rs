//! Unit tests of recovery codes through the whole flow (the rows are in `rows.rs`).

use std::string::{String, ToString};
use std::vec::Vec;

use super::*;
use crate::blob::Payload as _;
use crate::rng::{ChaCha20Rng, SeedableRng};

const NOW: u64 = 1_700_000_000;

fn ctx() -> Context {
    Context::new(&[7; 32], 3).unwrap()
}

fn set(ctx: &Context, account: &str, n: u32, seed: u8, st: &mut [u8; STATE_BYTES]) -> RecoverySet {
    generate_with_rng(ctx, account, n, st, &mut ChaCha20Rng::from_seed([seed; 32])).unwrap()
}

fn failures(st: &[u8; STATE_BYTES]) -> u16 {
    u16::from_le_bytes([st[2], st[3]])
}

#[test]
fn each_code_works_once_and_reports_the_rest() {
    let ctx = ctx();
    let mut st = [0u8; STATE_BYTES];
    let s = set(&ctx, "acc-1", DEFAULT_COUNT, 1, &mut st);
    assert_eq!(s.codes().len(), 10);
    assert_eq!(remaining(&st), Ok(10));
    let stored = s.stored().as_str().to_string();
    assert!(stored.starts_with("$pcodes-recovery$v=1,k=3,n=10$"), "{stored}");
    // Out of order, lower case, without the dashes: each works once.
    for (k, i) in [3, 0, 9, 1, 2, 4, 5, 6, 7, 8].into_iter().enumerate() {
        let typed = s.codes()[i].as_str().to_lowercase().replace('-', "");
        assert_eq!(verify(&ctx, "acc-1", &stored, &typed, NOW, &mut st), Ok(9 - k as u32));
        let before = st;
        assert_eq!(
            verify(&ctx, "acc-1", &stored, s.codes()[i].as_str(), NOW, &mut st),
            Err(Error::AlreadyUsed)
        );
        assert_eq!(st, before, "ALREADY_USED changes nothing");
    }
    assert_eq!(remaining(&st), Ok(0));
}

#[test]
fn codes_look_right_and_are_distinct() {
    let ctx = ctx();
    let mut st = [0u8; STATE_BYTES];
    let s = set(&ctx, "acc", 16, 2, &mut st);
    let texts: Vec<String> = s.codes().iter().map(|c| c.as_str().to_string()).collect();
    for t in &texts {
        assert_eq!(t.len(), CODE_LEN);
        let b = t.as_bytes();
        assert_eq!((b[4], b[9]), (b'-', b'-'), "{t}");
        assert!(t.bytes().all(|c| c == b'-' || ALPHABET.contains(&c)), "{t}");
    }
    let mut sorted = texts.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), 16);
    assert_eq!(std::format!("{:?}", s.codes()[0]), "RecoveryCode(..)");
    assert!(!std::format!("{s:?}").contains(&texts[0][..4]));
}

/// Every single substituted symbol and every swap of unequal neighbours is `MISTYPED`, not
/// counted, blob untouched.
#[test]
fn typos_are_mistyped_and_not_counted() {
    let ctx = ctx();
    let mut st = [0u8; STATE_BYTES];
    let s = set(&ctx, "acc", 3, 3, &mut st);
    let stored = s.stored().as_str().to_string();
    let code: Vec<u8> = s.codes()[0].as_str().bytes().filter(|&c| c != b'-').collect();
    let before = st;
    let mut tried = 0;
    for i in 0..CODE_SYMBOLS {
        for &c in ALPHABET {
            if c != code[i] {
                let mut t = code.clone();
                t[i] = c;
                let t = String::from_utf8(t).unwrap();
                assert_eq!(verify(&ctx, "acc", &stored, &t, NOW, &mut st), Err(Error::Mistyped), "{t}");
                tried += 1;
            }
        }
        if i + 1 < CODE_SYMBOLS && code[i] != code[i + 1] {
            let mut t = code.clone();
            t.swap(i, i + 1);
            let t = String::from_utf8(t).unwrap();
            assert_eq!(verify(&ctx, "acc", &stored, &t, NOW, &mut st), Err(Error::Mistyped), "{t}");
        }
    }
    assert_eq!(tried, 12 * 31);
    for t in ["", "1234", &[s.codes()[0].as_str(), "0"].concat(), "UUUU-UUUU-UUUU"] {
        assert_eq!(verify(&ctx, "acc", &stored, t, NOW, &mut st), Err(Error::Mistyped), "{t}");
    }
    assert_eq!(st, before);
}

#[test]
fn wrong_codes_count_toward_the_lockout() {
    let ctx = ctx();
    let mut st = [0u8; STATE_BYTES];
    let s = set(&ctx, "acc", 10, 4, &mut st);
    let stored = s.stored().as_str().to_string();
    // A well-formed code that is not in the set: another set's code.
    let mut other_st = [0u8; STATE_BYTES];
    let other = set(&ctx, "acc", 10, 5, &mut other_st);
    let wrong = other.codes()[0].as_str().to_string();
    for k in 1..=5u16 {
        assert_eq!(verify(&ctx, "acc", &stored, &wrong, NOW, &mut st), Err(Error::Wrong));
        assert_eq!(failures(&st), k);
    }
    assert_eq!(verify(&ctx, "acc", &stored, s.codes()[0].as_str(), NOW, &mut st), Err(Error::Locked));
    let later = NOW + 900;
    assert_eq!(verify(&ctx, "acc", &stored, s.codes()[0].as_str(), later, &mut st), Ok(9));
    assert_eq!(failures(&st), 0, "a success clears the count");
}

/// The tags are bound to the account and the set: another account's string, a string moved to
/// another account, and an old set after regeneration verify nothing.
#[test]
fn bound_to_account_and_set() {
    let ctx = ctx();
    let mut st_a = [0u8; STATE_BYTES];
    let a = set(&ctx, "alice", 10, 6, &mut st_a);
    let stored_a = a.stored().as_str().to_string();
    // Bob's blob and string, then Alice's string copied onto Bob's row with Alice's blob.
    let mut st = st_a;
    assert_eq!(verify(&ctx, "bob", &stored_a, a.codes()[0].as_str(), NOW, &mut st), Err(Error::Wrong));
    // Regenerating: the blob moves to the new set; the old string is refused before any code
    // is compared, and the old codes are wrong under the new string.
    let mut st = st_a;
    let b = set(&ctx, "alice", 10, 7, &mut st);
    let stored_b = b.stored().as_str().to_string();
    let before = st;
    assert_eq!(verify(&ctx, "alice", &stored_a, a.codes()[1].as_str(), NOW, &mut st), Err(Error::Superseded));
    assert_eq!(st, before);
    assert_eq!(verify(&ctx, "alice", &stored_b, a.codes()[1].as_str(), NOW, &mut st), Err(Error::Wrong));
    assert_eq!(verify(&ctx, "alice", &stored_b, b.codes()[1].as_str(), NOW, &mut st), Ok(9));
    // The new string with the old blob (a stale blob): refused too.
    let mut stale = st_a;
    assert_eq!(
        verify(&ctx, "alice", &stored_b, b.codes()[2].as_str(), NOW, &mut stale),
        Err(Error::Superseded)
    );
    // A fresh blob has no set.
    let mut fresh = [0u8; STATE_BYTES];
    assert_eq!(
        verify(&ctx, "alice", &stored_b, b.codes()[2].as_str(), NOW, &mut fresh),
        Err(Error::NoChallenge)
    );
}

/// Regenerating keeps the lockout count (it is not an attempt), and `state::reset` keeps the
/// used codes used.
#[test]
fn generate_keeps_failures_and_reset_keeps_used_codes() {
    let ctx = ctx();
    let mut st = [0u8; STATE_BYTES];
    let s = set(&ctx, "acc", 4, 8, &mut st);
    let stored = s.stored().as_str().to_string();
    assert_eq!(verify(&ctx, "acc", &stored, s.codes()[0].as_str(), NOW, &mut st), Ok(3));
    assert_eq!(verify(&ctx, "acc", &stored, "0000-0000-0000", NOW, &mut st), Err(Error::Wrong));
    crate::state::reset(&mut st).unwrap();
    assert_eq!(failures(&st), 0);
    assert_eq!(verify(&ctx, "acc", &stored, s.codes()[0].as_str(), NOW, &mut st), Err(Error::AlreadyUsed));
    assert_eq!(verify(&ctx, "acc", &stored, "0000-0000-0000", NOW, &mut st), Err(Error::Wrong));
    let _ = set(&ctx, "acc", 4, 9, &mut st);
    assert_eq!((failures(&st), remaining(&st)), (1, Ok(4)));
}

#[test]
fn refusals_leave_the_blob() {
    let ctx = ctx();
    let mut st = [0u8; STATE_BYTES];
    let s = set(&ctx, "acc", 2, 10, &mut st);
    let stored = s.stored().as_str().to_string();
    let c = s.codes()[0].as_str().to_string();
    let before = st;
    assert_eq!(verify(&ctx, "", &stored, &c, NOW, &mut st), Err(Error::InvalidArgument));
    assert_eq!(verify(&ctx, "acc", &stored, &c, 0, &mut st), Err(Error::InvalidArgument));
    assert_eq!(verify(&ctx, "acc", "$pcodes-pin$", &c, NOW, &mut st), Err(Error::MalformedHash));
    let other_key = Context::new(&[8; 32], 4).unwrap();
    assert_eq!(verify(&other_key, "acc", &stored, &c, NOW, &mut st), Err(Error::UnknownKey));
    assert_eq!(st, before);
    let mut otp_blob = [0u8; STATE_BYTES];
    otp_blob[0] = Kind::Otp as u8;
    otp_blob[1] = blob::VERSION;
    otp_blob[2] = 1;
    let copy = otp_blob;
    assert_eq!(verify(&ctx, "acc", &stored, &c, NOW, &mut otp_blob), Err(Error::CorruptState));
    assert_eq!(
        generate_with_rng(&ctx, "acc", 3, &mut otp_blob, &mut ChaCha20Rng::from_seed([0; 32])).err(),
        Some(Error::CorruptState)
    );
    assert_eq!(otp_blob, copy);
    for n in [0, 17, u32::MAX] {
        let r = generate_with_rng(&ctx, "acc", n, &mut st, &mut ChaCha20Rng::from_seed([0; 32]));
        assert_eq!(r.err(), Some(Error::InvalidArgument), "{n}");
    }
    assert_eq!(
        generate_with_rng(&ctx, "", 3, &mut st, &mut ChaCha20Rng::from_seed([0; 32])).err(),
        Some(Error::InvalidArgument)
    );
    assert_eq!(st, before);
    // A key added later (rotation) still verifies a set made under the old current key.
    let mut rotated = Context::new(&[8; 32], 4).unwrap();
    rotated.add_key(&[7; 32], 3).unwrap();
    assert_eq!(verify(&rotated, "acc", &stored, &c, NOW, &mut st), Ok(1));
}

/// A change made to a payload.
type Damage<'a> = &'a dyn Fn(&mut [u8; PAYLOAD_BYTES]);

#[test]
fn payload_codec() {
    let p = Payload { set_id: [1, 2, 3, 4, 5, 6, 7, 8], count: 16, used: 0x8001 };
    let mut b = [0u8; PAYLOAD_BYTES];
    p.encode(&mut b);
    assert_eq!(&b[..11], &[1, 2, 3, 4, 5, 6, 7, 8, 16, 0x01, 0x80]);
    assert_eq!(Payload::decode(&b), Ok(p));
    assert_eq!(Payload::decode(&[0; PAYLOAD_BYTES]), Ok(Payload::NONE));
    let bad: [Damage<'_>; 6] = [
        &|b| b[..8].fill(0),             // no set id, but a count
        &|b| b[8] = 0,                   // no codes
        &|b| b[8] = 17,                  // too many
        &|b| b[39] = 1,                  // spare bytes
        &|b| (b[8], b[10]) = (15, 0x80), // a used bit past the count
        &|b| {
            *b = {
                let mut z = [0; PAYLOAD_BYTES];
                z[9] = 1;
                z
            }
        }, // used bits, no set
    ];
    for (i, f) in bad.iter().enumerate() {
        let mut x = b;
        f(&mut x);
        assert_eq!(Payload::decode(&x), Err(Error::CorruptState), "case {i}");
    }
    assert_eq!(Payload::upgrade(2, &State::fresh(Kind::Recovery), &b), Err(Error::CorruptState));
}

/// The display form's check symbol is the link code's check over 13 leading zero symbols:
/// computed here independently, as Σ αⁱ·sᵢ = 0 over positions 13..25.
#[test]
fn check_symbol_is_the_weighted_sum() {
    use crate::link::code::{WEIGHTS, gf_mul};
    for data in [0u64, 1, DATA_MASK, 0x0012_3456_789A_BCDE & DATA_MASK] {
        let c = display(data);
        let vals: Vec<u8> = c
            .as_str()
            .bytes()
            .filter(|&b| b != b'-')
            .map(|b| u8::try_from(ALPHABET.iter().position(|&a| a == b).unwrap()).unwrap())
            .collect();
        let sum = vals.iter().enumerate().fold(0u8, |acc, (i, &s)| acc ^ gf_mul(WEIGHTS[13 + i], s));
        assert_eq!(sum, 0, "{}", c.as_str());
        let packed = read_short(c.as_str(), CODE_SYMBOLS).unwrap();
        assert_eq!((packed >> 5) as u64, data);
    }
}
