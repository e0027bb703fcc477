//! `v=2` PIN hash strings (issue 23 §1) against an independent computation with the `pbkdf2` and
//! `hmac` crates, written from `docs/pin.md`: any account id, PIN, lane count (1–4) and salt
//! seed. The string names `l` and `⌈10,000 / l⌉`, and its tag is the HMAC, under the pepper of
//! master key 2, of the parameters, the salt and **all** `l` PBKDF2 blocks; the library verifies
//! it and refuses another PIN.
#![no_main]

use hmac::{Hmac, KeyInit, Mac};
use libfuzzer_sys::fuzz_target;
use portal_codes::rng::{ChaCha20Rng, SeedableRng};
use portal_codes::{Context, Error, Setting, pin};

type HmacSha256 = Hmac<sha2::Sha256>;

/// Standard base64 without padding, as the string writes it (test side, not the library's).
fn b64(text: &str) -> Vec<u8> {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let (mut out, mut acc, mut bits) = (Vec::new(), 0u32, 0);
    for c in text.bytes() {
        acc = acc << 6 | A.iter().position(|&a| a == c).expect("base64") as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

fuzz_target!(|input: (&str, u32, u8, u64)| {
    let (account, pin_seed, lanes, seed) = input;
    let lanes = u32::from(lanes % 4) + 1;
    let pin = format!("{:06}", pin_seed % 1_000_000);
    let mut ctx = Context::new(&[0x42; 32], 2).unwrap();
    ctx.set(Setting::PinIterations, 10_000).unwrap();
    ctx.set(Setting::PinLanes, lanes.into()).unwrap();
    let h = match pin::hash_with_rng(&ctx, account, &pin, &mut ChaCha20Rng::seed_from_u64(seed)) {
        Ok(h) => h,
        Err(e) => {
            assert!(account.is_empty() && e == Error::InvalidArgument, "{e:?}");
            return;
        }
    };
    let parts: Vec<&str> = h.as_str().split('$').collect();
    let per_lane = 10_000u32.div_ceil(lanes);
    assert_eq!(parts[..3], ["", "pcodes-pin", &format!("v=2,k=2,l={lanes},i={per_lane},n=6")]);
    let (salt, tag) = (b64(parts[3]), b64(parts[4]));
    assert_eq!((salt.len(), tag.len()), (16, 32));

    let mut m = <HmacSha256 as KeyInit>::new_from_slice(&[0x42; 32]).unwrap();
    m.update(b"portal-codes/v1/pin-pepper\x00\x02");
    let pepper = m.finalize().into_bytes();
    let mut dk = vec![0u8; 32 * lanes as usize];
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(pin.as_bytes(), &salt, per_lane, &mut dk);
    let mut m = <HmacSha256 as KeyInit>::new_from_slice(&pepper).unwrap();
    m.update(b"portal-codes/pin/v2\x00");
    m.update(&(account.len() as u32).to_be_bytes());
    m.update(account.as_bytes());
    m.update(&[2, 2, lanes as u8]);
    m.update(&per_lane.to_be_bytes());
    m.update(&[6]);
    m.update(&salt);
    m.update(&dk);
    assert_eq!(m.finalize().into_bytes()[..], tag[..]);

    let mut st = [0u8; 64];
    assert_eq!(pin::verify(&ctx, account, &pin, h.as_str(), 1_750_000_000, &mut st), Ok(()));
    let other = format!("{:06}", (pin_seed % 1_000_000 + 1) % 1_000_000);
    assert_eq!(pin::verify(&ctx, account, &other, h.as_str(), 1_750_000_000, &mut st), Err(Error::Wrong));
    assert_eq!(pin::needs_rehash(&ctx, h.as_str()), Ok(false));
});
