//! Unit tests of device tokens and the trusted lane (the rows are in `rows.rs`).

use std::string::String;
use std::vec::Vec;

use super::*;
use crate::blob::Payload as _;
use crate::policy::Setting;
use crate::rng::{ChaCha20Rng, Rng as _, SeedableRng};

const NOW: u64 = 1_700_000_000;
const ACCOUNT: &str = "acc-1";

fn ctx() -> Context {
    let mut c = Context::new(&[7; 32], 3).unwrap();
    c.set(Setting::PinIterations, 10_000).unwrap();
    c
}

/// A token issued against `st` (its generation); the issue is recorded in a copy, which is
/// dropped (`issue_records_the_issue` checks the record).
fn token(ctx: &Context, account: &str, now: u64, st: &[u8; STATE_BYTES]) -> Token {
    let mut copy = *st;
    issue_with_rng(ctx, account, now, &mut copy, &mut ChaCha20Rng::from_seed([5; 32])).unwrap()
}

fn failures(st: &[u8; STATE_BYTES]) -> u16 {
    u16::from_le_bytes([st[2], st[3]])
}

const SYMBOLS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

#[test]
fn round_trip() {
    let c = ctx();
    let st = [0u8; STATE_BYTES];
    let t = token(&c, ACCOUNT, NOW, &st);
    assert_eq!(t.as_str().len(), TOKEN_LEN);
    assert!(t.as_str().bytes().all(|b| SYMBOLS.contains(&b)), "{}", t.as_str());
    assert_eq!(std::format!("{t:?}"), "Token(..)");
    let got = check(&c, ACCOUNT, t.as_str(), NOW, &st).unwrap();
    assert_eq!((got.issued_at, got.key_id), (NOW, 3));
    let mut want_id = [0u8; DEVICE_ID_BYTES];
    ChaCha20Rng::from_seed([5; 32]).fill_bytes(&mut want_id);
    assert_eq!(got.device_id, want_id, "the device id is the generator's");
    // Two tokens: different device ids, both valid.
    let other =
        issue_with_rng(&c, ACCOUNT, NOW, &mut st.clone(), &mut ChaCha20Rng::from_seed([6; 32])).unwrap();
    assert_ne!(other.as_str(), t.as_str());
    assert_ne!(check(&c, ACCOUNT, other.as_str(), NOW, &st).unwrap().device_id, want_id);
    // A fresh blob has generation 0.
    assert_eq!(generation(&st), Ok(0));
}

#[test]
fn wrong_account_and_every_altered_symbol() {
    let c = ctx();
    let st = [0u8; STATE_BYTES];
    let t = token(&c, ACCOUNT, NOW, &st);
    assert_eq!(check(&c, "acc-2", t.as_str(), NOW, &st), Err(Error::DeviceUntrusted));
    assert_eq!(check(&c, "acc-", t.as_str(), NOW, &st), Err(Error::DeviceUntrusted));
    assert_eq!(check(&c, "acc-1 ", t.as_str(), NOW, &st), Err(Error::DeviceUntrusted));
    assert_eq!(check(&c, "", t.as_str(), NOW, &st), Err(Error::InvalidArgument));
    let text = t.as_str().as_bytes().to_vec();
    for at in 0..TOKEN_LEN {
        for &sym in SYMBOLS {
            if sym == text[at] {
                continue;
            }
            let mut bad = text.clone();
            bad[at] = sym;
            let bad = String::from_utf8(bad).unwrap();
            let r = check(&c, ACCOUNT, &bad, NOW, &st);
            // Symbols 1–3 carry the key id (bits 8–15): another id is unknown to this context first.
            let ok =
                r == Err(Error::DeviceUntrusted) || ((1..=3).contains(&at) && r == Err(Error::UnknownKey));
            assert!(ok, "symbol {at} → {}: {r:?}", sym as char);
        }
        // Lower case, and a symbol outside the alphabet.
        let mut bad = text.clone();
        bad[at] = bad[at].to_ascii_lowercase();
        if bad[at] != text[at] {
            let bad = String::from_utf8(bad).unwrap();
            assert_eq!(check(&c, ACCOUNT, &bad, NOW, &st), Err(Error::DeviceUntrusted), "{at} lower");
        }
        for sym in [b'0', b'1', b'8', b'=', b' '] {
            let mut bad = text.clone();
            bad[at] = sym;
            let bad = String::from_utf8(bad).unwrap();
            assert_eq!(check(&c, ACCOUNT, &bad, NOW, &st), Err(Error::DeviceUntrusted), "{at} {sym}");
        }
    }
    let s = t.as_str();
    for bad in ["", &s[1..], &s[..TOKEN_LEN - 1], &[s, "A"].concat(), &[s, "="].concat(), &[" ", s].concat()]
    {
        assert_eq!(check(&c, ACCOUNT, bad, NOW, &st), Err(Error::DeviceUntrusted), "{bad:?}");
    }
    // Non-ASCII text of the right byte length.
    let cyr = "Ж".repeat(TOKEN_LEN / 2);
    assert_eq!(check(&c, ACCOUNT, &cyr, NOW, &st), Err(Error::DeviceUntrusted));
}

/// A token of another format byte with a valid MAC (made here with the library's own MAC) is
/// still refused: only format 1 is read.
#[test]
fn other_formats_are_refused() {
    let c = ctx();
    let st = [0u8; STATE_BYTES];
    let t = token(&c, ACCOUNT, NOW, &st);
    let mut raw = [0u8; RAW_BYTES];
    RFC4648.decode(t.as_str().as_bytes(), &mut raw).unwrap();
    for format in [0u8, 2, 255] {
        raw[0] = format;
        let tag = mac(&c, 3, ACCOUNT, &raw[..SIGNED_BYTES]).unwrap();
        raw[SIGNED_BYTES..].copy_from_slice(&tag);
        let mut text = [0u8; TOKEN_LEN];
        let text = RFC4648.encode(&raw, &mut text).unwrap();
        assert_eq!(check(&c, ACCOUNT, text, NOW, &st), Err(Error::DeviceUntrusted), "format {format}");
    }
}

#[test]
fn expires_at_the_boundary_second() {
    let mut c = ctx();
    let st = [0u8; STATE_BYTES];
    let t = token(&c, ACCOUNT, NOW, &st);
    let ttl = c.get(Setting::DeviceTrustSeconds);
    assert_eq!(ttl, 90 * 86_400, "the default: 90 days");
    assert!(check(&c, ACCOUNT, t.as_str(), NOW + ttl - 1, &st).is_ok());
    assert_eq!(check(&c, ACCOUNT, t.as_str(), NOW + ttl, &st), Err(Error::Expired));
    assert_eq!(check(&c, ACCOUNT, t.as_str(), crate::clock::MAX_NOW, &st), Err(Error::Expired));
    // Issued by a clock ahead: tolerated up to MAX_CLOCK_SKEW.
    let skew = crate::clock::MAX_CLOCK_SKEW;
    assert!(check(&c, ACCOUNT, t.as_str(), NOW - skew, &st).is_ok());
    assert_eq!(check(&c, ACCOUNT, t.as_str(), NOW - skew - 1, &st), Err(Error::Expired));
    // The setting is read when the token is checked.
    c.set(Setting::DeviceTrustSeconds, 3_600).unwrap();
    assert!(check(&c, ACCOUNT, t.as_str(), NOW + 3_599, &st).is_ok());
    assert_eq!(check(&c, ACCOUNT, t.as_str(), NOW + 3_600, &st), Err(Error::Expired));
    assert_eq!(c.set(Setting::DeviceTrustSeconds, 3_599), Err(Error::InvalidArgument));
    assert_eq!(c.set(Setting::DeviceTrustSeconds, 400 * 86_400 + 1), Err(Error::InvalidArgument));
    assert_eq!(check(&c, ACCOUNT, t.as_str(), 0, &st), Err(Error::InvalidArgument));
}

#[test]
fn revoke_all_kills_earlier_tokens_only() {
    let c = ctx();
    let mut st = [0u8; STATE_BYTES];
    let old = token(&c, ACCOUNT, NOW, &st);
    revoke_all(&mut st).unwrap();
    assert_eq!(generation(&st), Ok(1));
    assert_eq!(check(&c, ACCOUNT, old.as_str(), NOW, &st), Err(Error::DeviceRevoked));
    let new = token(&c, ACCOUNT, NOW + 1, &st);
    assert!(check(&c, ACCOUNT, new.as_str(), NOW + 1, &st).is_ok());
    // A blob rolled back to generation 0 refuses the newer token too: the generation must be equal.
    assert_eq!(check(&c, ACCOUNT, new.as_str(), NOW + 1, &[0; STATE_BYTES]), Err(Error::DeviceRevoked));
    // Only an authentic token learns it was revoked.
    assert_eq!(check(&c, "acc-2", old.as_str(), NOW, &st), Err(Error::DeviceUntrusted));
    // A reset keeps the generation; revoking keeps the trusted lane's count.
    let h = crate::pin::hash_with_rng(&c, ACCOUNT, "385027", &mut ChaCha20Rng::from_seed([1; 32])).unwrap();
    assert_eq!(
        pin_verify(&c, ACCOUNT, "111111", h.as_str(), new.as_str(), NOW + 2, &mut st),
        Err(Error::Wrong)
    );
    revoke_all(&mut st).unwrap();
    assert_eq!((generation(&st), failures(&st)), (Ok(2), 1));
    crate::state::reset(&mut st).unwrap();
    assert_eq!((generation(&st), failures(&st)), (Ok(2), 0));
    // The generation saturates instead of wrapping back to a revoked one.
    let mut top = State::fresh(Kind::Device);
    Payload { generation: u64::MAX, issued: 0, issued_at: 0 }.encode(&mut top.payload);
    let mut b = top.encode();
    revoke_all(&mut b).unwrap();
    assert_eq!(generation(&b), Ok(u64::MAX));
}

#[test]
fn unknown_key_and_rotation() {
    let c = ctx();
    let st = [0u8; STATE_BYTES];
    let t = token(&c, ACCOUNT, NOW, &st);
    let other = Context::new(&[7; 32], 4).unwrap();
    assert_eq!(check(&other, ACCOUNT, t.as_str(), NOW, &st), Err(Error::UnknownKey));
    // Same id, other master key: a forgery.
    let forged = Context::new(&[8; 32], 3).unwrap();
    assert_eq!(check(&forged, ACCOUNT, t.as_str(), NOW, &st), Err(Error::DeviceUntrusted));
    // Rotation: the new current key 4, the old 3 kept for verifying.
    let mut rotated = Context::new(&[9; 32], 4).unwrap();
    rotated.add_key(&[7; 32], 3).unwrap();
    assert_eq!(check(&rotated, ACCOUNT, t.as_str(), NOW, &st).map(|t| t.key_id), Ok(3));
    assert_eq!(token(&rotated, ACCOUNT, NOW, &st).as_str().len(), TOKEN_LEN);
    assert_eq!(
        check(&rotated, ACCOUNT, token(&rotated, ACCOUNT, NOW, &st).as_str(), NOW, &st).map(|t| t.key_id),
        Ok(4)
    );
}

#[test]
fn blobs_of_other_flows_are_refused_and_left() {
    let c = ctx();
    let mut pin = State::fresh(Kind::Pin).encode();
    pin[2] = 1;
    let copy = pin;
    assert_eq!(
        issue_with_rng(&c, ACCOUNT, NOW, &mut pin, &mut ChaCha20Rng::from_seed([6; 32])).err(),
        Some(Error::CorruptState)
    );
    assert_eq!(generation(&pin), Err(Error::CorruptState));
    assert_eq!(revoke_all(&mut pin), Err(Error::CorruptState));
    let t = token(&c, ACCOUNT, NOW, &[0; STATE_BYTES]);
    assert_eq!(pin_verify(&c, ACCOUNT, "3850", "x", t.as_str(), NOW, &mut pin), Err(Error::CorruptState));
    assert_eq!(pin, copy);
    let mut stray = State::fresh(Kind::Device).encode();
    stray[63] = 1;
    assert_eq!(Payload::decode(&[0; PAYLOAD_BYTES]), Ok(Payload { generation: 0, issued: 0, issued_at: 0 }));
    assert_eq!(check(&c, ACCOUNT, t.as_str(), NOW, &stray), Err(Error::CorruptState));
    let stray_copy = stray;
    assert_eq!(
        issue_with_rng(&c, ACCOUNT, NOW, &mut stray, &mut ChaCha20Rng::from_seed([6; 32])).err(),
        Some(Error::CorruptState)
    );
    assert_eq!(stray, stray_copy, "left as it was");
    let mut fresh = [0; STATE_BYTES];
    assert_eq!(
        issue_with_rng(&c, "", NOW, &mut fresh, &mut ChaCha20Rng::from_seed([6; 32])).err(),
        Some(Error::InvalidArgument)
    );
    assert_eq!(
        issue_with_rng(&c, ACCOUNT, 0, &mut fresh, &mut ChaCha20Rng::from_seed([6; 32])).err(),
        Some(Error::InvalidArgument)
    );
    assert_eq!(fresh, [0; STATE_BYTES], "a refused issue records nothing");
}

/// Issuing records the issue in the device blob (issue 22 §4, "a new device was trusted"): one
/// more token issued and its time, in the documented bytes; the generation and the trusted
/// lane's lockout stay; issuing is not refused while the lane is locked; the count saturates.
#[test]
fn issue_records_the_issue() {
    let c = ctx();
    let issued = |b: &[u8; STATE_BYTES]| {
        let p = &b[crate::blob::PAYLOAD_AT..];
        let mut t = [0u8; 8];
        t[..5].copy_from_slice(&p[12..17]);
        (
            u32::from_le_bytes(p[8..12].try_into().unwrap()),
            u64::from_le_bytes(t),
            p[17..].iter().all(|&x| x == 0),
        )
    };
    let mut st = [0u8; STATE_BYTES];
    revoke_all(&mut st).unwrap();
    let first = issue_with_rng(&c, ACCOUNT, NOW, &mut st, &mut ChaCha20Rng::from_seed([6; 32])).unwrap();
    assert_eq!(issued(&st), (1, NOW, true));
    assert_eq!(generation(&st), Ok(1), "the generation stays");
    // Locked by five wrong PINs: issuing still works and keeps the lock.
    let h = crate::pin::hash_with_rng(&c, ACCOUNT, "385027", &mut ChaCha20Rng::from_seed([1; 32])).unwrap();
    for i in 0..5 {
        let r = pin_verify(&c, ACCOUNT, "000000", h.as_str(), first.as_str(), NOW + i, &mut st);
        assert_eq!(r, Err(Error::Wrong));
    }
    let before = State::decode(&st, Kind::Device).unwrap();
    assert!(before.locked_until > NOW + 4);
    let second =
        issue_with_rng(&c, ACCOUNT, NOW + 1_000_000, &mut st, &mut ChaCha20Rng::from_seed([7; 32])).unwrap();
    assert_eq!(issued(&st), (2, NOW + 1_000_000, true));
    let after = State::decode(&st, Kind::Device).unwrap();
    assert_eq!(
        (after.failures, after.locked_until, after.budget, after.last_failure),
        (before.failures, before.locked_until, before.budget, before.last_failure),
        "the lockout is kept"
    );
    // Both tokens check against the blob that recorded them.
    assert!(check(&c, ACCOUNT, first.as_str(), NOW + 1_000_000, &st).is_ok());
    assert!(check(&c, ACCOUNT, second.as_str(), NOW + 1_000_000, &st).is_ok());
    // A reset or a revocation keeps the record; the latest issue time is the latest call's.
    crate::state::reset(&mut st).unwrap();
    revoke_all(&mut st).unwrap();
    assert_eq!(issued(&st), (2, NOW + 1_000_000, true));
    token(&c, ACCOUNT, NOW, &st); // a copy: `st` unchanged
    issue_with_rng(&c, ACCOUNT, NOW + 5, &mut st, &mut ChaCha20Rng::from_seed([8; 32])).unwrap();
    assert_eq!(issued(&st), (3, NOW + 5, true), "an earlier clock's issue is the latest one");
    // The count saturates.
    let mut top = State::fresh(Kind::Device);
    Payload { generation: 4, issued: u32::MAX, issued_at: NOW }.encode(&mut top.payload);
    let mut b = top.encode();
    issue_with_rng(&c, ACCOUNT, NOW + 9, &mut b, &mut ChaCha20Rng::from_seed([6; 32])).unwrap();
    assert_eq!((issued(&b), generation(&b)), ((u32::MAX, NOW + 9, true), Ok(4)));
}

/// The payload codec: the layout-4 payload of the first device release (bytes 8.. zero) still
/// reads as "none issued"; anything `encode` never writes is refused.
#[test]
fn payload_codec_round_trips_and_refuses_garbage() {
    let zero = [0u8; PAYLOAD_BYTES];
    assert_eq!(Payload::decode(&zero), Ok(Payload { generation: 0, issued: 0, issued_at: 0 }));
    let mut old = zero;
    old[..8].copy_from_slice(&0x0102_0304_0506_0708u64.to_le_bytes());
    assert_eq!(
        Payload::decode(&old),
        Ok(Payload { generation: 0x0102_0304_0506_0708, issued: 0, issued_at: 0 })
    );
    let max = crate::clock::MAX_NOW;
    for p in [
        Payload { generation: 1, issued: 1, issued_at: 1 },
        Payload { generation: u64::MAX, issued: 0x0403_0201, issued_at: 0x05_0403_0201 },
        Payload { generation: 0, issued: u32::MAX, issued_at: max },
    ] {
        let mut b = [0u8; PAYLOAD_BYTES];
        p.encode(&mut b);
        assert_eq!(Payload::decode(&b), Ok(p));
        assert_eq!(p.devices_issued(), Some((p.issued, p.issued_at)));
    }
    let with = |count: u32, at: u64| {
        let mut b = zero;
        b[8..12].copy_from_slice(&count.to_le_bytes());
        b[12..17].copy_from_slice(&at.to_le_bytes()[..5]);
        b
    };
    assert!(Payload::decode(&with(1, max)).is_ok());
    for (what, b) in [
        ("a time without a count", with(0, NOW)),
        ("a count without a time", with(3, 0)),
        ("a time after MAX_NOW", with(3, max + 1)),
        ("the top time byte", with(3, 0xFF_0000_0000)),
    ] {
        assert_eq!(Payload::decode(&b), Err(Error::CorruptState), "{what}");
    }
    for at in 17..PAYLOAD_BYTES {
        let mut b = with(1, NOW);
        b[at] = 1;
        assert_eq!(Payload::decode(&b), Err(Error::CorruptState), "byte {at}");
    }
}

/// The two lanes: a guessing run without a token blocks the PIN blob and leaves the trusted lane
/// free; the trusted lane locks and blocks on its own (at 10 with the defaults), and neither
/// touches the other.
#[test]
fn the_lanes_are_separate() {
    let c = ctx();
    let h = crate::pin::hash_with_rng(&c, ACCOUNT, "385027", &mut ChaCha20Rng::from_seed([1; 32])).unwrap();
    let h = h.as_str();
    let (mut pin_st, mut dev) = ([0u8; STATE_BYTES], [0u8; STATE_BYTES]);
    let t = token(&c, ACCOUNT, NOW, &dev);
    let mut now = NOW;
    let mut answered = 0;
    while crate::state::retry_at(&pin_st, now).unwrap() != u64::MAX {
        now = now.max(crate::state::retry_at(&pin_st, now).unwrap());
        assert_eq!(crate::pin::verify(&c, ACCOUNT, "000000", h, now, &mut pin_st), Err(Error::Wrong));
        answered += 1;
    }
    assert_eq!(answered, 15, "the untrusted lane as before");
    assert_eq!(crate::pin::verify(&c, ACCOUNT, "385027", h, now, &mut pin_st), Err(Error::Blocked));
    assert_eq!(pin_verify(&c, ACCOUNT, "385027", h, t.as_str(), now, &mut dev), Ok(()), "the owner is in");
    assert_eq!(dev, [0; STATE_BYTES], "a success on a fresh lane leaves it fresh");
    assert_eq!(crate::state::retry_at(&pin_st, now), Ok(u64::MAX), "and does not unblock the untrusted lane");

    // The trusted lane's own allowance: locked at 5, blocked at 10 (min(15, 2 × 5)).
    let p = trusted_policy(c.policy());
    assert_eq!(p.block_after_failures, 10);
    let pin_copy = pin_st;
    let mut trusted = 0;
    loop {
        let r = crate::state::retry_at(&dev, now).unwrap();
        if r == u64::MAX {
            break;
        }
        now = now.max(r);
        assert_eq!(pin_verify(&c, ACCOUNT, "000000", h, t.as_str(), now, &mut dev), Err(Error::Wrong));
        trusted += 1;
        if trusted == 5 {
            assert_eq!(pin_verify(&c, ACCOUNT, "385027", h, t.as_str(), now, &mut dev), Err(Error::Locked));
            assert_eq!(crate::state::retry_at(&dev, now), Ok(now + 900));
        }
    }
    assert_eq!(trusted, 10);
    assert_eq!(failures(&dev), 10);
    assert_eq!(pin_verify(&c, ACCOUNT, "385027", h, t.as_str(), now, &mut dev), Err(Error::Blocked));
    assert_eq!(pin_st, pin_copy, "the trusted lane never touches the PIN blob");
    // A success before the block clears the trusted lane only.
    let mut d2 = [0u8; STATE_BYTES];
    for _ in 0..4 {
        pin_verify(&c, ACCOUNT, "000000", h, t.as_str(), now, &mut d2).unwrap_err();
    }
    assert_eq!(failures(&d2), 4);
    pin_verify(&c, ACCOUNT, "385027", h, t.as_str(), now, &mut d2).unwrap();
    // The run is cleared; the four charges of the guess budget stay (layout 4: a success does
    // not renew it).
    let s = State::decode(&d2, Kind::Device).unwrap();
    assert_eq!((s.failures, s.locked_until, s.budget), (0, 0, 4));
}

/// A token that does not check changes nothing and runs no PBKDF2; a refused PIN is not counted.
#[test]
fn a_bad_token_costs_nothing_and_counts_nothing() {
    let c = ctx();
    let h = crate::pin::hash_with_rng(&c, ACCOUNT, "385027", &mut ChaCha20Rng::from_seed([1; 32])).unwrap();
    let h = h.as_str();
    let mut dev = [0u8; STATE_BYTES];
    revoke_all(&mut dev).unwrap();
    let good = issue_with_rng(&c, ACCOUNT, NOW, &mut dev, &mut ChaCha20Rng::from_seed([5; 32])).unwrap();
    let copy = dev;
    let stale = token(&c, ACCOUNT, NOW, &[0; STATE_BYTES]);
    let other = token(&c, "acc-2", NOW, &dev);
    for (t, e) in [
        ("garbage", Error::DeviceUntrusted),
        (other.as_str(), Error::DeviceUntrusted),
        (stale.as_str(), Error::DeviceRevoked),
    ] {
        let work = crate::pin::pbkdf2::work::of(|| {
            assert_eq!(pin_verify(&c, ACCOUNT, "385027", h, t, NOW, &mut dev), Err(e));
        });
        assert_eq!(work, 0, "{e:?}: no PBKDF2");
        assert_eq!(dev, copy);
    }
    let ttl = c.get(Setting::DeviceTrustSeconds);
    assert_eq!(pin_verify(&c, ACCOUNT, "385027", h, good.as_str(), NOW + ttl, &mut dev), Err(Error::Expired));
    for (pin, stored, e) in [("38502", h, Error::PinFormat), ("385027", "$junk", Error::MalformedHash)] {
        assert_eq!(pin_verify(&c, ACCOUNT, pin, stored, good.as_str(), NOW, &mut dev), Err(e));
    }
    assert_eq!(dev, copy, "not counted");
    let work = crate::pin::pbkdf2::work::of(|| {
        assert_eq!(pin_verify(&c, ACCOUNT, "385028", h, good.as_str(), NOW, &mut dev), Err(Error::Wrong));
    });
    assert!(work >= 10_000, "a valid token's attempt runs the PIN's PBKDF2: {work}");
    assert_eq!(failures(&dev), 1);
}

/// The token's MAC recomputed by Python (`hmac`, `hashlib`, `base64`) from the master key: the
/// key derivation, the message and the encoding.
#[test]
fn token_agrees_with_python() {
    let c = ctx();
    let mut st = [0u8; STATE_BYTES];
    revoke_all(&mut st).unwrap();
    revoke_all(&mut st).unwrap();
    let t = token(&c, "user@example.org", NOW, &st);
    let script = std::format!(
        r#"
import base64, hashlib, hmac, struct
raw = base64.b32decode("{t}")
master = bytes([7] * 32)
dk = hmac.new(master, b"portal-codes/v1/device-token\x00" + bytes([raw[1]]), hashlib.sha256).digest()
acct = "user@example.org".encode()
msg = b"portal-codes/device-token/v1\x00" + struct.pack(">I", len(acct)) + acct + raw[:34]
ok = hmac.compare_digest(hmac.new(dk, msg, hashlib.sha256).digest()[:16], raw[34:])
print(ok, len(raw), raw[0], raw[1], struct.unpack(">Q", raw[2:10])[0], struct.unpack(">Q", raw[26:34])[0])
"#,
        t = t.as_str()
    );
    match std::process::Command::new("python3").arg("-c").arg(&script).output() {
        Ok(o) if o.status.success() => {
            let want = std::format!("True 50 1 3 {NOW} 2");
            assert_eq!(String::from_utf8(o.stdout).unwrap().trim(), want);
        }
        other => {
            assert!(
                std::env::var("PCODES_ALLOW_SKIP").as_deref() == Ok("1"),
                "python3 required (set PCODES_ALLOW_SKIP=1 to skip): {other:?}"
            );
            std::println!("skipped: python3 not installed");
        }
    }
}

/// The trusted lane's policy for every lock / block setting: never larger than the untrusted
/// block, and never 0.
#[test]
fn trusted_policy_is_smaller_and_never_empty() {
    let mut p = Policy::default();
    let mut seen = Vec::new();
    for lock in 1..=20 {
        for block in 1..=20 {
            p.set(Setting::LockAfterFailures, lock).unwrap();
            p.set(Setting::BlockAfterFailures, block).unwrap();
            let t = trusted_policy(&p);
            assert!(t.block_after_failures >= 1 && t.block_after_failures <= p.block_after_failures);
            assert!(t.block_after_failures <= 2 * p.lock_after_failures);
            assert_eq!(t.lock_after_failures, p.lock_after_failures);
            seen.push(t.block_after_failures);
        }
    }
    assert!(seen.contains(&20) && seen.contains(&1));
}

/// `state::revoke` on a device blob (cargo-mutants survivors of the payload's `revoke`): only
/// `REVOKE_DEVICES` adds one to the generation, the other flags leave every byte as it was.
#[test]
fn state_revoke_moves_the_generation_for_devices_only() {
    let mut st = [0u8; STATE_BYTES];
    issue_with_rng(&ctx(), ACCOUNT, NOW, &mut st, &mut ChaCha20Rng::from_seed([6; 32])).unwrap();
    let copy = st;
    for what in [crate::state::REVOKE_CODES, crate::state::REVOKE_RECOVERY] {
        crate::state::revoke(&mut st, what).unwrap();
        assert_eq!(st, copy, "flags {what}");
    }
    crate::state::revoke(&mut st, crate::state::REVOKE_DEVICES).unwrap();
    assert_eq!(generation(&st), Ok(1));
    crate::state::revoke(&mut st, crate::state::REVOKE_DEVICES | crate::state::REVOKE_CODES).unwrap();
    assert_eq!(generation(&st), Ok(2));
    assert_eq!(
        st[crate::blob::PAYLOAD_AT + 8..],
        copy[crate::blob::PAYLOAD_AT + 8..],
        "the issue record kept"
    );
}

/// No release before layout 4 wrote a device blob: one that claims an earlier layout is
/// refused (a cargo-mutants survivor of the payload's `upgrade`), layout 4 is read.
#[test]
fn device_blobs_of_earlier_layouts_are_refused() {
    for version in 1..crate::blob::VERSION {
        let mut b = [0u8; STATE_BYTES];
        (b[0], b[1]) = (Kind::Device as u8, version);
        assert_eq!(generation(&b), Err(Error::CorruptState), "layout {version}");
        assert_eq!(crate::state::retry_at(&b, NOW), Err(Error::CorruptState), "layout {version}");
    }
    let mut b = [0u8; STATE_BYTES];
    (b[0], b[1]) = (Kind::Device as u8, crate::blob::VERSION);
    assert_eq!(generation(&b), Ok(0));
}
