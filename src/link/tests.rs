//! Unit tests of the link codes flow: payload codec (also revoked payloads), parsing, codes.

use super::*;

/// The head is the fields of the module docs' table, most significant first, at their
/// widths (4, 40, 24 and 12 bits: whole hex digits, so the expected bytes are the fields
/// written as 1, 10, 6 and 3 hex digits one after the other); and the same bytes as the
/// first two published vectors of `docs/link-code.md` (tests/link.rs checks their codes).
#[test]
fn head_packs_fields() {
    let by_widths = |k: u8, r: u64, m: u32, x: u16| {
        let s = std::format!("{k:01x}{r:010x}{m:06x}{x:03x}");
        let b: std::vec::Vec<u8> =
            (0..20).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect();
        b
    };
    assert_eq!(head(0xF, MAX_RECORD_ID, MAX_MINUTES, 0xfff), [0xff; 10]);
    assert_eq!(head(0, 0, 0, 0), [0; 10]);
    assert_eq!(head(1, 2, 3, 4), [0x10, 0, 0, 0, 0, 0x20, 0, 0, 0x30, 0x04]);
    let mut x = 7u64;
    for _ in 0..1000 {
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let (k, r, m, rnd) =
            ((x >> 60) as u8, (x >> 20) & MAX_RECORD_ID, (x as u32) & MAX_MINUTES, (x >> 7) as u16 & 0xfff);
        assert_eq!(head(k, r, m, rnd).to_vec(), by_widths(k, r, m, rnd), "{k} {r} {m} {rnd}");
    }
    // The first 16 symbols (80 bits) of the published vectors 1 and 3 of `docs/link-code.md`,
    // read with Crockford's alphabet written out here: key 0, record 1, 1750000000 (minute
    // 2_869_386 since EPOCH), random 0; key 3, record 4815162342, 1767225600, random 0x5a3.
    let published = |code: &str| {
        let v = code
            .chars()
            .filter(|&c| c != '-')
            .take(16)
            .fold(0u128, |a, c| (a << 5) | "0123456789ABCDEFGHJKMNPQRSTVWXYZ".find(c).unwrap() as u128);
        v.to_be_bytes()[6..].to_vec()
    };
    assert_eq!(head(0, 1, 2_869_386, 0).to_vec(), published("00000-0002A-Y8H80-07N4M-RHSF4"));
    assert_eq!(head(3, 4_815_162_342, 3_156_480, 0x5a3).to_vec(), published("608Z0-65YCC-1A01D-37V5S-DFRSS"));
}

#[test]
fn decode_inverts_display() {
    let h = head(9, 123_456_789_012, 2_000_000, 0xabc);
    let t = [1, 2, 3, 4, 5];
    let c = display(&h, t);
    let d = decode(c.as_str()).unwrap();
    assert_eq!((d.key_id, d.record_id, d.minutes), (9, 123_456_789_012, 2_000_000));
    assert_eq!((d.head, d.tag), (h, t));
    assert_eq!(std::format!("{c:?}"), "LinkCode(..)");
}

#[test]
fn payload_round_trip_and_corruption() {
    let mut raw = [0u8; PAYLOAD_BYTES];
    let fresh = <Payload as blob::Payload>::decode(&raw).unwrap();
    assert!(!fresh.issued());
    let p = Payload {
        counter: 7,
        second: 59,
        redeemed: true,
        stale: true,
        revoked: false,
        id: [1, 2, 3, 4, 5],
        fp: [7; FINGERPRINT_BYTES],
        previous_fp: [8; FINGERPRINT_BYTES],
    };
    blob::Payload::encode(&p, &mut raw);
    assert!(<Payload as blob::Payload>::decode(&raw).unwrap() == p);
    assert_eq!(raw[0], 0x3B | 0xC0, "second 59, redeemed, stale");
    assert_eq!(&raw[1..5], &[7, 0, 0, 0]);
    // Every byte of the issue counter (a counter with four different bytes).
    let big = Payload { counter: 0x0403_0201, ..p };
    let mut b = [0u8; PAYLOAD_BYTES];
    blob::Payload::encode(&big, &mut b);
    assert_eq!(&b[1..5], &[1, 2, 3, 4]);
    assert!(<Payload as blob::Payload>::decode(&b).unwrap() == big);
    let mut x = raw;
    x[0] = 60;
    assert_eq!(<Payload as blob::Payload>::decode(&x).err(), Some(Error::CorruptState), "second 60");
    let mut x = [0u8; PAYLOAD_BYTES];
    x[20] = 1;
    assert_eq!(
        <Payload as blob::Payload>::decode(&x).err(),
        Some(Error::CorruptState),
        "data without an issue"
    );
    // Revoked: byte 0 is 0x3F, the issue number and the latest data stay, the issue id and
    // the previous data go; anything else with byte 0 = 0x3F is refused.
    let mut r = p;
    blob::Payload::revoke(&mut r, crate::state::REVOKE_RECOVERY);
    assert!(r == p, "the recovery flag leaves link codes alone");
    blob::Payload::revoke(&mut r, crate::state::REVOKE_CODES);
    let mut rb = [0u8; PAYLOAD_BYTES];
    blob::Payload::encode(&r, &mut rb);
    assert_eq!(
        (rb[0], &rb[1..5], &rb[5..10], &rb[10..25]),
        (0x3F, &[7, 0, 0, 0][..], &[0; 5][..], &[7; 15][..])
    );
    assert_eq!(&rb[25..], &[0; 15]);
    assert!(<Payload as blob::Payload>::decode(&rb).unwrap() == r && !r.issued());
    for (at, v) in [(0, 0x7F), (0, 0xBF), (0, 0xFF), (5, 1), (9, 1), (25, 1), (39, 1)] {
        let mut x = rb;
        x[at] = v;
        assert_eq!(
            <Payload as blob::Payload>::decode(&x).err(),
            Some(Error::CorruptState),
            "byte {at} = {v:#x}"
        );
    }
    let mut fresh = <Payload as blob::Payload>::decode(&[0; PAYLOAD_BYTES]).unwrap();
    blob::Payload::revoke(&mut fresh, crate::state::REVOKE_CODES);
    assert!(!fresh.revoked && fresh.counter == 0, "nothing issued: nothing to revoke");
    let mut first = p;
    first.counter = 1;
    blob::Payload::encode(&first, &mut raw);
    assert_eq!(
        <Payload as blob::Payload>::decode(&raw).err(),
        Some(Error::CorruptState),
        "previous data at issue 1"
    );
}

/// `surely_not_zero` is `true` only for payloads whose encoding has a non-zero byte (the
/// fresh-blob check of `flow::write` skips reading those back): every field alone, and random
/// payloads.
#[test]
fn surely_not_zero_only_when_the_encoding_is_not() {
    use crate::blob::Payload as _;
    let zero = Payload::decode(&[0; PAYLOAD_BYTES]).unwrap();
    let mut cases = std::vec![zero];
    for counter in [0, 1, 0x100, 0x1_0000, 0x100_0000, u32::MAX] {
        cases.push(Payload { counter, ..zero });
    }
    cases.push(Payload { second: 1, ..zero });
    cases.push(Payload { redeemed: true, ..zero });
    cases.push(Payload { stale: true, revoked: true, ..zero });
    cases.push(Payload { id: [0, 0, 0, 0, 1], fp: [1; FINGERPRINT_BYTES], ..zero });
    let mut x = 11u64;
    for _ in 0..2000 {
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let b = x.to_le_bytes();
        cases.push(Payload {
            counter: if x.is_multiple_of(4) { 0 } else { (x >> 32) as u32 },
            second: b[1] % 60,
            redeemed: b[2] & 1 != 0,
            stale: b[2] & 2 != 0,
            revoked: b[2] & 4 != 0,
            id: [b[3], 0, 0, 0, b[4] & 1],
            fp: [b[5] & b[6] & 1; FINGERPRINT_BYTES],
            previous_fp: [0; FINGERPRINT_BYTES],
        });
    }
    let mut seen = [0usize; 2];
    for p in &cases {
        let mut b = [0u8; PAYLOAD_BYTES];
        p.encode(&mut b);
        if p.surely_not_zero() {
            assert_ne!(b, [0; PAYLOAD_BYTES], "{p:?}");
        }
        seen[usize::from(p.surely_not_zero())] += 1;
    }
    assert!(seen[0] > 0 && seen[1] > 0, "{seen:?}");
}
