//! The PIN hash string across releases and the pepper in an HSM: a `v=1` string an earlier
//! release wrote still verifies and asks for a rehash into the multi-lane `v=2` form; the keyed
//! step of hashing runs in the host's device (`pin::Pepper`), which never sees the PIN, gives the
//! same strings as the in-memory pepper when it holds the same key, and a device failure is no
//! verdict.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use portal_codes::mac::{HmacKey, Sha256};
use portal_codes::pin::{self, Pepper, PepperError};
use portal_codes::rng::{ChaCha20Rng, SeedableRng};
use portal_codes::{Context, Error, STATE_BYTES, Setting};

use crate::tour;

/// Written by release 4a0bf34 for account "alice", PIN 4826, under master key id 2
/// (`tests/data/v2_blobs.txt`): 10,000 iterations, one PBKDF2 block.
const OLD_STRING: &str =
    "$pcodes-pin$v=1,k=2,i=10000,n=4$Aj83IDokdsQlZqYcxVw8qA$LI28S25RwgVa/3WCEUArh6Ac1KpZEhdUrZCMpf2c+74";

/// A stand-in for the host's HSM: in production `mac` is PKCS#11 `C_Sign` with
/// `CKM_SHA256_HMAC` under a non-extractable key (checks/tests/softhsm.rs does exactly that
/// against SoftHSM2), or a cloud KMS's `GenerateMac`.
struct Hsm {
    key: HmacKey<Sha256>,
    calls: AtomicU32,
    down: AtomicBool,
    /// Whether any message held the PIN's digits (it never should: the library sends the
    /// PBKDF2 output and the binding data).
    saw_pin: AtomicBool,
}

impl Pepper for Hsm {
    fn mac(
        &self,
        key_id: u32,
        message: &[u8],
        out: &mut [u8; pin::pepper::MAC_BYTES],
    ) -> Result<(), PepperError> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        if message.windows(4).any(|w| w == b"4826") {
            self.saw_pin.store(true, Ordering::Relaxed);
        }
        if key_id != 2 || self.down.load(Ordering::Relaxed) {
            return Err(PepperError); // unreachable, or no such key: never a fallback
        }
        *out = self.key.mac(&[message]);
        Ok(())
    }
}

pub fn run(ctx: &Context) -> Result<(), Error> {
    tour::section(
        "PIN hashes over the years, and the pepper in an HSM",
        "Old hash strings keep verifying; new ones use several PBKDF2 lanes; the keyed step can run in the host's HSM.",
    );
    let mut ctx = ctx.clone();
    ctx.set(Setting::PinIterations, 10_000)?; // tour speed; production keeps 600,000
    let now = portal_codes::now();
    let mut blob = [0u8; STATE_BYTES];
    println!("A v=1 string written by an earlier release (account alice, PIN 4826):");
    println!("  {OLD_STRING}");
    // As every verdict: final only once the host's compare-and-swap has stored `blob`.
    tour::ok("pin::verify of the old string", pin::verify(&ctx, "alice", "4826", OLD_STRING, now, &mut blob));
    println!(
        "  needs a rehash: {} (rehash right after this successful login)",
        pin::needs_rehash(&ctx, OLD_STRING)?
    );
    let fresh = pin::hash(&ctx, "alice", "4826")?;
    let p = pin::params(fresh.as_str())?;
    println!("  rehashed: {fresh}");
    println!(
        "  (v=2: {} PBKDF2 blocks of {} iterations computed side by side, all under the pepper's",
        p.lanes, p.iterations
    );
    println!(
        "   MAC: an attacker still computes {} iterations' worth; the portal spends about half the time",
        p.lanes * p.iterations
    );
    println!("   of the v=1 string's 10,000: benches/issue-23-lanes.md)");

    // The HSM holds the pepper of key id 2, imported as docs/pin.md says
    // (HMAC-SHA256(master key, "portal-codes/v1/pin-pepper" 0x00 id)); a fresh deployment
    // generates it inside the token instead, non-extractable.
    let imported = HmacKey::<Sha256>::new(&[0x42; 32]).mac(&[b"portal-codes/v1/pin-pepper\x00", &[2]]);
    let hsm = Arc::new(Hsm {
        key: HmacKey::new(&imported),
        calls: AtomicU32::new(0),
        down: AtomicBool::new(false),
        saw_pin: AtomicBool::new(false),
    });
    let mut with_hsm = ctx.clone();
    with_hsm.set_pepper(hsm.clone(), &[2])?;
    println!("The same PIN and salt hashed with the in-memory pepper and through the HSM:");
    let salt_seed = 7;
    let a = pin::hash_with_rng(&ctx, "alice", "4826", &mut ChaCha20Rng::seed_from_u64(salt_seed))?;
    let b = pin::hash_with_rng(&with_hsm, "alice", "4826", &mut ChaCha20Rng::seed_from_u64(salt_seed))?;
    if a.as_str() != b.as_str() {
        tour::off_script("the HSM's hash string", b.as_str(), a.as_str());
    }
    println!("  identical strings; the HSM was called {} time(s)", hsm.calls.load(Ordering::Relaxed));
    tour::ok(
        "pin::verify through the HSM",
        pin::verify(&with_hsm, "alice", "4826", fresh.as_str(), now, &mut blob),
    );
    hsm.down.store(true, Ordering::Relaxed);
    let before = blob;
    tour::refused(
        "pin::verify while the HSM is unreachable",
        pin::verify(&with_hsm, "alice", "0000", fresh.as_str(), now, &mut blob),
        Error::PepperFailed,
        "no verdict, nothing counted: show \"try again later\", not \"wrong PIN\"",
    );
    if blob != before {
        tour::off_script("the blob after PEPPER_FAILED", "changed", "unchanged");
    }
    if hsm.saw_pin.load(Ordering::Relaxed) {
        tour::off_script("the messages the HSM saw", "one held the PIN", "no PIN");
    }
    println!(
        "  the blob is unchanged; {} HSM calls in all, none of them with a PIN",
        hsm.calls.load(Ordering::Relaxed)
    );
    Ok(())
}
