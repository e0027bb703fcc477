//! Unit tests of the SMS / e-mail codes flow: payload codec (also revoked payloads), parsing, codes.

use super::*;
use crate::blob::Payload as _;

impl Payload {
    fn bytes(&self) -> [u8; PAYLOAD_BYTES] {
        let mut b = [0u8; PAYLOAD_BYTES];
        self.encode(&mut b);
        b
    }
}
use crate::rng::{ChaCha20Rng, SeedableRng};

fn sample() -> Payload {
    let mut p = Payload::none();
    p.digits = 6;
    p.used = true;
    p.prev = true;
    p.key_id = 3;
    p.prev_key_id = 15;
    p.attempts = 2;
    p.issued_at = 0x0102_0304_0506_0708;
    p.tag = [0xAA; 8];
    p.prev_tag = [0xBB; 4];
    p.prev_age = 65_535;
    p.n_ages = 9;
    p.ages = [1, 2, 300, 301, 1000, 2048, 3000, 3598, 3599];
    p
}

#[test]
fn payload_round_trip_and_layout() {
    let p = sample();
    let b = p.bytes();
    assert_eq!(Payload::decode(&b).unwrap(), p);
    assert_eq!(b[0], 6);
    assert_eq!(b[1], 0x93, "9 earlier sends, prev, used");
    assert_eq!(b[2], 0xF3);
    assert_eq!(&b[4..12], &0x0102_0304_0506_0708u64.to_le_bytes());
    // First two 12-bit ages 1 and 2 packed little-endian: 0x001, 0x002 -> 01 20 00.
    assert_eq!(&b[26..29], &[0x01, 0x20, 0x00]);
    // The last age (3599 = 0xE0F) sits in bits 96..108.
    assert_eq!(&b[38..40], &[0x0F, 0x0E]);
    for n in 0..=9u8 {
        let mut q = sample();
        q.n_ages = n;
        for a in &mut q.ages[usize::from(n)..] {
            *a = 0;
        }
        assert_eq!(Payload::decode(&q.bytes()).unwrap(), q, "{n}");
    }
    assert_eq!(Payload::decode(&[0; 40]).unwrap(), Payload::none());
    assert_eq!(Payload::none().bytes(), [0; 40]);
}

#[test]
fn corrupt_payloads_are_refused() {
    let good = sample().bytes();
    let cases: &[(usize, u8)] = &[
        (0, 3),     // digits below 4
        (0, 9),     // digits above 8
        (1, 0xA0),  // 10 earlier sends
        (1, 0x94),  // unknown flag
        (39, 0x1E), // spare bits
        (38, 0x11), // last age 0xE11 = 3601 >= HOUR
    ];
    for &(at, v) in cases {
        let mut b = good;
        b[at] = v;
        assert_eq!(Payload::decode(&b), Err(Error::CorruptState), "byte {at} = {v:#x}");
    }
    let mut b = [0u8; 40];
    b[5] = 1;
    assert_eq!(Payload::decode(&b), Err(Error::CorruptState), "nothing issued but data");
    let mut q = sample();
    q.prev = false;
    assert_eq!(Payload::decode(&q.bytes()), Err(Error::CorruptState), "prev tag without flag");
    let mut q = sample();
    q.ages.swap(0, 1);
    assert_eq!(Payload::decode(&q.bytes()), Err(Error::CorruptState), "ages out of order");
    let mut q = sample();
    q.n_ages = 3;
    let mut b = q.bytes();
    b[31] = 1; // an age beyond the count
    assert_eq!(Payload::decode(&b), Err(Error::CorruptState));
    // Each half of the "no replaced code" rule on its own (mutation testing found them
    // untested together only).
    for (tag, age, key) in [([1, 0, 0, 0], 0, 0), ([0; 4], 7, 0), ([0; 4], 0, 4)] {
        let mut q = sample();
        (q.prev, q.prev_tag, q.prev_age, q.prev_key_id) = (false, tag, age, key);
        assert_eq!(Payload::decode(&q.bytes()), Err(Error::CorruptState), "{tag:?} {age} {key}");
    }
    // Ages newest first: equal neighbours are two sends in one second, allowed.
    let mut q = sample();
    q.ages[1] = q.ages[0];
    assert_eq!(Payload::decode(&q.bytes()).unwrap(), q);
    // An earlier send before the epoch (an age older than the issue time) is refused; one
    // exactly at it is not.
    let mut q = sample();
    q.issued_at = 3599;
    assert_eq!(Payload::decode(&q.bytes()), Err(Error::CorruptState), "prev_age 65535 > issued_at");
    q.prev_age = 3599;
    assert_eq!(Payload::decode(&q.bytes()).unwrap(), q, "the oldest send at second 0");
    q.issued_at = 3598;
    assert_eq!(Payload::decode(&q.bytes()), Err(Error::CorruptState), "one second too old");
}

/// Fields a sample with equal bytes would hide: `used = false`, a `prev_age` whose two bytes
/// differ, each flag alone.
#[test]
fn payload_fields_round_trip_alone() {
    for (used, prev_age) in [(false, 0x1234u16), (true, 0x00FF), (false, 0xFF00)] {
        let mut q = sample();
        (q.used, q.prev_age) = (used, prev_age);
        assert_eq!(Payload::decode(&q.bytes()).unwrap(), q, "{used} {prev_age:#x}");
    }
}

/// A revoked payload keeps the digits, the issue time and the send history, and nothing
/// else; the codec refuses a revoked payload that still holds anything of a code.
#[test]
fn revoked_payload_round_trip_and_corruption() {
    let mut p = sample();
    p.revoke(crate::state::REVOKE_RECOVERY);
    assert_eq!(p, sample(), "the recovery flag leaves SMS codes alone");
    p.revoke(crate::state::REVOKE_CODES);
    let b = p.bytes();
    assert_eq!(b[1], 0x94, "9 earlier sends, revoked, nothing else");
    assert_eq!((b[0], &b[4..12], &b[26..]), (6, &sample().bytes()[4..12], &sample().bytes()[26..]));
    assert_eq!(&b[2..4], &[0, 0], "key ids and attempts");
    assert_eq!(&b[12..26], &[0; 14], "tags and the replaced code's age");
    assert_eq!(Payload::decode(&b).unwrap(), p);
    for (at, v) in [(1, 0x95), (1, 0x96), (2, 0x01), (2, 0x10), (3, 1), (12, 1), (19, 1), (20, 1), (24, 1)] {
        let mut x = b;
        x[at] = v;
        assert_eq!(Payload::decode(&x), Err(Error::CorruptState), "byte {at} = {v:#x}");
    }
    let mut none = Payload::none();
    none.revoke(crate::state::REVOKE_CODES);
    assert_eq!(none, Payload::none(), "nothing issued: nothing to revoke");
}

#[test]
fn parse_ignores_spaces_only() {
    let mut b = [0u8; MAX_DIGITS];
    assert_eq!(parse("123456", 6, &mut b), Ok(()));
    assert_eq!(&b[..6], b"123456");
    assert_eq!(parse(" 123 456 ", 6, &mut b), Ok(()));
    for bad in ["12345", "1234567", "12345a", "", "      ", "123-456", "12345\u{663}", "１23456", "123\t456"]
    {
        assert_eq!(parse(bad, 6, &mut b), Err(Error::Mistyped), "{bad:?}");
    }
}

/// `code_len` is the length of what `issue` writes, for every `OTP_DIGITS`.
#[test]
fn code_len_is_the_issued_length() {
    for digits in 4..=8u32 {
        let mut ctx = Context::new(&[5; 32], 0).unwrap();
        ctx.set(crate::policy::Setting::OtpDigits, digits.into()).unwrap();
        let mut st = [0u8; STATE_BYTES];
        let mut rng = ChaCha20Rng::from_seed([2; 32]);
        let c = issue_with_rng(&ctx, "login", 1000, &mut st, &mut rng).unwrap();
        assert_eq!((code_len(&ctx), c.len()), (digits as usize, digits as usize));
    }
}

#[test]
fn code_debug_hides_digits() {
    let ctx = Context::new(&[5; 32], 0).unwrap();
    let mut st = [0u8; STATE_BYTES];
    let c = issue_with_rng(&ctx, "login", 1000, &mut st, &mut ChaCha20Rng::from_seed([1; 32])).unwrap();
    let dbg = std::format!("{c:?}");
    assert_eq!(dbg, "OtpCode(6 digits)");
    assert!(!c.is_empty() && c.len() == 6);
}
