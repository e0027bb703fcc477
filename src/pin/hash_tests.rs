//! The stored hash string across its versions (issue 23 §1): `v=2` strings with `PIN_LANES`
//! lanes, each `⌈PIN_ITERATIONS / lanes⌉` iterations, all blocks under the pepper's HMAC; `v=1`
//! strings (every earlier release) still verify and need a rehash; the whole string of both
//! versions recomputed by an independent Python reader written from `docs/pin.md`.

use super::pbkdf2::tests::{hex, python_stdin};
use super::pbkdf2::work;
use super::*;
use crate::policy::Setting;
use crate::rng::{ChaCha20Rng, SeedableRng};
use std::string::String;
use std::vec::Vec;

const KEY: [u8; 32] = [0x42; 32];
const T0: u64 = 1_700_000_000;

fn ctx(work: u32, lanes: u32) -> Context {
    let mut c = Context::new(&KEY, 2).unwrap();
    c.set(Setting::PinIterations, work.into()).unwrap();
    c.set(Setting::PinLanes, lanes.into()).unwrap();
    c
}

fn rng() -> ChaCha20Rng {
    ChaCha20Rng::from_seed([23; 32])
}

/// A `v=1` string as every earlier release wrote it (one 32-byte block, the `v1` domain),
/// made with this crate's own keyed step.
fn v1_hash(c: &Context, account: &str, pin: &str, iterations: u32) -> PinHash {
    let p =
        HashParams { version: 1, key_id: 2, lanes: 1, iterations, length: u32::try_from(pin.len()).unwrap() };
    let salt = [0x11; SALT_BYTES];
    let t = hash::tag(hash::pepper(c, 2).unwrap(), account, pin, &p, &salt).unwrap();
    hash::format(&p, &salt, &t)
}

/// New hashes are `v=2` with the setting's lanes and `⌈work / lanes⌉` iterations per lane (the
/// PBKDF2 work, counted exactly, is `lanes × iterations ≥ PIN_ITERATIONS`); each verifies, needs
/// no rehash until `PIN_LANES` or `PIN_ITERATIONS` changes, and keeps verifying after.
#[test]
fn lanes_and_iterations_follow_the_settings() {
    for lanes in 1..=MAX_LANES {
        for work in [10_000u32, 10_001, 20_003] {
            let c = ctx(work, lanes);
            let per_lane = work.div_ceil(lanes);
            let mut h = None;
            let done = work::of(|| h = Some(hash_with_rng(&c, "acct", "385027", &mut rng()).unwrap()));
            let h = h.unwrap();
            let want = std::format!("$pcodes-pin$v=2,k=2,l={lanes},i={per_lane},n=6$");
            assert!(h.as_str().starts_with(&want), "{h} vs {want}");
            assert_eq!(done, u64::from(lanes * per_lane), "{h}");
            assert!(lanes * per_lane >= work && lanes * per_lane < work + lanes);
            assert_eq!(hash_len(&c, "acct", "385027"), Ok(h.as_str().len()));
            let p = params(h.as_str()).unwrap();
            assert_eq!((p.version, p.lanes, p.iterations), (2, lanes, per_lane));
            let mut st = [0u8; STATE_BYTES];
            assert_eq!(verify(&c, "acct", "385027", h.as_str(), T0, &mut st), Ok(()));
            assert_eq!(verify(&c, "acct", "385028", h.as_str(), T0, &mut st), Err(Error::Wrong));
            assert_eq!(needs_rehash(&c, h.as_str()), Ok(false));
            let other = ctx(work, lanes % MAX_LANES + 1);
            assert_eq!(needs_rehash(&other, h.as_str()), Ok(true), "lanes changed");
            assert_eq!(verify(&other, "acct", "385027", h.as_str(), T0, &mut st), Ok(()));
            let more = ctx(work + lanes, lanes);
            assert_eq!(needs_rehash(&more, h.as_str()), Ok(true), "work changed");
            assert_eq!(verify(&more, "acct", "385027", h.as_str(), T0, &mut st), Ok(()));
        }
    }
    // The default: OWASP's 600,000 single-lane iterations, split over the default lanes.
    let c = Context::new(&KEY, 2).unwrap();
    let lanes = c.get(Setting::PinLanes);
    assert_eq!(lanes, Setting::PinLanes.default_value());
    assert_eq!(c.get(Setting::PinIterations), 600_000);
    assert_eq!(
        hash_len(&c, "a", "3861").unwrap(),
        "$pcodes-pin$v=2,k=2,l=3,i=200000,n=4$".len() + 22 + 1 + 43
    );
}

/// `v=1` strings keep verifying (right and wrong PIN, copied to another account) and always
/// answer `needs_rehash`; the rehash is `v=2`. (`tests/upgrade.rs` does the same with the
/// strings earlier releases wrote.)
#[test]
fn v1_strings_verify_and_need_a_rehash() {
    let c = ctx(10_000, 2);
    let h1 = v1_hash(&c, "acct", "3861", 10_000);
    assert!(h1.as_str().starts_with("$pcodes-pin$v=1,k=2,i=10000,n=4$"), "{h1}");
    let mut st = [0u8; STATE_BYTES];
    assert_eq!(verify(&c, "acct", "3861", h1.as_str(), T0, &mut st), Ok(()));
    assert_eq!(verify(&c, "acct", "3862", h1.as_str(), T0, &mut st), Err(Error::Wrong));
    assert_eq!(verify(&c, "other", "3861", h1.as_str(), T0, &mut st), Err(Error::Wrong));
    assert_eq!(needs_rehash(&c, h1.as_str()), Ok(true));
    // Even with one lane and the same work, a `v=1` string is older than `v=2`.
    assert_eq!(needs_rehash(&ctx(10_000, 1), h1.as_str()), Ok(true));
    assert_eq!(params(h1.as_str()).map(|p| (p.version, p.lanes)), Ok((1, 1)));
    let h2 = hash_with_rng(&c, "acct", "3861", &mut rng()).unwrap();
    assert_eq!(params(h2.as_str()).map(|p| p.version), Ok(2));
    assert_eq!(needs_rehash(&c, h2.as_str()), Ok(false));
    // One lane `v=2` and `v=1` of the same PIN, salt and iterations are different tags (domain,
    // `l` byte): a `v=1` string relabelled `v=2,l=1` does not verify.
    let relabelled = h1.as_str().replace("v=1,k=2,", "v=2,k=2,l=1,");
    assert_eq!(verify(&ctx(10_000, 1), "acct", "3861", relabelled.as_str(), T0, &mut st), Err(Error::Wrong));
}

/// The padding of issue 20 §3 with lanes: a hash with fewer iterations per lane than today's
/// (`PIN_ITERATIONS` raised) runs the difference with today's lanes, so it costs exactly the
/// PBKDF2 work of an unknown account's dummy; one already at today's count is not padded.
#[test]
fn padding_follows_todays_lanes() {
    let mut c = ctx(10_000, 2);
    let old = hash_with_rng(&c, "acct", "385027", &mut rng()).unwrap();
    let old_v1 = v1_hash(&c, "acct", "385027", 10_000);
    c.set(Setting::PinIterations, 20_000).unwrap();
    let cost = |stored: Stored<'_>| {
        work::of(|| {
            let _ = verify(&c, "acct", "385028", stored, T0, &mut [0u8; STATE_BYTES]);
        })
    };
    let dummy = cost(Stored::UnknownAccount);
    assert_eq!(dummy, 20_000);
    assert_eq!(cost(Stored::Hash(old.as_str())), dummy, "v=2, 2 × 5,000 padded by 2 × 5,000");
    // v=1 at 10,000 iterations: 10,000 sequential ones, already as many per lane as today's
    // (2 × 10,000): not padded, and slower than the dummy on SHA-NI (docs/pin.md, "Lanes").
    assert_eq!(cost(Stored::Hash(old_v1.as_str())), 10_000);
    let now = hash_with_rng(&c, "acct", "385027", &mut rng()).unwrap();
    assert_eq!(cost(Stored::Hash(now.as_str())), dummy);
}

/// The whole string, both versions, recomputed by Python (`hashlib`, `hmac`, `base64`) from the
/// format in `docs/pin.md`: the pepper derivation, PBKDF2 with `dkLen = l × 32`, the keyed step
/// over every block and the encoding; for `l` = 1..4 with work that does and does not divide,
/// the right PIN (`True`) and a wrong one (`False`), the `v=1` string of an earlier release
/// (`tests/data/v2_blobs.txt`) and one made here. python3 is required unless
/// `PCODES_ALLOW_SKIP=1`.
#[test]
fn hash_strings_agree_with_python() {
    let mut lines: Vec<(String, &str, &str, &str)> = Vec::new();
    for lanes in 1..=MAX_LANES {
        for work in [10_000, 10_003] {
            let c = ctx(work, lanes);
            for (acct, pin) in [("user@example.org", "846204"), ("Иванов", "3861")] {
                let h = hash_with_rng(&c, acct, pin, &mut rng()).unwrap();
                lines.push((h.as_str().into(), acct, pin, "True"));
                lines.push((
                    h.as_str().into(),
                    acct,
                    if pin.len() == 6 { "846205" } else { "3862" },
                    "False",
                ));
            }
        }
    }
    let c = ctx(10_000, 2);
    lines.push((v1_hash(&c, "acct-1", "385027", 10_000).as_str().into(), "acct-1", "385027", "True"));
    let data =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/v2_blobs.txt")).unwrap();
    let earlier = data.lines().find_map(|l| l.strip_prefix("pin_hash ")).unwrap();
    assert!(earlier.starts_with("$pcodes-pin$v=1,"));
    lines.push((earlier.into(), "alice", "4826", "True"));
    lines.push((earlier.into(), "alice", "1357", "False"));
    let script = r#"
import base64, hashlib, hmac, struct, sys
master = bytes([0x42] * 32)
for line in sys.stdin:
    h, acct_hex, pin = line.split()
    acct = bytes.fromhex(acct_hex)
    empty, name, params, salt_t, tag_t = h.split("$")
    assert empty == "" and name == "pcodes-pin"
    fields = [kv.split("=") for kv in params.split(",")]
    p = {k: int(v) for k, v in fields}
    salt = base64.b64decode(salt_t + "==")
    pepper = hmac.new(master, b"portal-codes/v1/pin-pepper\x00" + bytes([p["k"]]), hashlib.sha256).digest()
    if p["v"] == 1:
        assert [k for k, _ in fields] == ["v", "k", "i", "n"]
        dk = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, p["i"], 32)
        msg = (b"portal-codes/pin/v1\x00" + struct.pack(">I", len(acct)) + acct + bytes([1, p["k"]])
               + struct.pack(">I", p["i"]) + bytes([p["n"]]) + salt + dk)
    else:
        assert p["v"] == 2 and [k for k, _ in fields] == ["v", "k", "l", "i", "n"] and 1 <= p["l"] <= 4
        dk = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, p["i"], 32 * p["l"])
        msg = (b"portal-codes/pin/v2\x00" + struct.pack(">I", len(acct)) + acct + bytes([2, p["k"], p["l"]])
               + struct.pack(">I", p["i"]) + bytes([p["n"]]) + salt + dk)
    tag = base64.b64encode(hmac.new(pepper, msg, hashlib.sha256).digest()).decode().rstrip("=")
    print(tag == tag_t)
"#;
    let input: String =
        lines.iter().map(|(h, acct, pin, _)| std::format!("{h} {} {pin}\n", hex(acct.as_bytes()))).collect();
    let Some(out) = python_stdin(script, &input) else { return };
    let got: Vec<&str> = out.lines().collect();
    assert_eq!(got.len(), lines.len());
    for ((h, acct, pin, want), got) in lines.iter().zip(got) {
        assert_eq!(got, *want, "{h} {acct} {pin}");
    }
}
