//! Recovery tags through the host's pepper device ([`crate::pin::Pepper`], issue 22 §1 with
//! issue 23 §2): the same routing as PIN hashes, one device call per tag, a failure is
//! `PEPPER_FAILED` (no verdict, not counted, the blob unchanged).

use std::string::ToString;
use std::sync::Arc;

use core::sync::atomic::{AtomicU32, Ordering};
use hmac::{KeyInit, Mac};

use super::*;
use crate::pin::{Pepper, PepperError};
use crate::rng::{ChaCha20Rng, SeedableRng};

const NOW: u64 = 1_700_000_000;
const MASTER: [u8; 32] = [7; 32];

// The in-memory PIN pepper, computed independently of `src/keys.rs`: the PIN pepper tests' own.
use crate::pin::pepper::tests::derived;

/// A software device: HMAC-SHA256 by the `hmac` crate under one key id, counting calls, failing
/// on demand, remembering the last message.
struct Soft {
    id: u32,
    key: [u8; 32],
    calls: AtomicU32,
    fail: AtomicU32,
    last: std::sync::Mutex<std::vec::Vec<u8>>,
}

impl Pepper for Soft {
    fn mac(&self, key_id: u32, message: &[u8], out: &mut [u8; 32]) -> core::result::Result<(), PepperError> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        *self.last.lock().unwrap() = message.to_vec();
        if self.fail.load(Ordering::Relaxed) != 0 || key_id != self.id {
            *out = [0; 32];
            return Err(PepperError);
        }
        let mut m = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(&self.key).unwrap();
        m.update(message);
        out.copy_from_slice(&m.finalize().into_bytes());
        Ok(())
    }
}

fn soft(id: u32, key: [u8; 32]) -> Arc<Soft> {
    Arc::new(Soft {
        id,
        key,
        calls: AtomicU32::new(0),
        fail: AtomicU32::new(0),
        last: std::sync::Mutex::default(),
    })
}

fn calls(d: &Soft) -> u32 {
    d.calls.load(Ordering::Relaxed)
}

fn make(ctx: &Context, n: u32, st: &mut [u8; STATE_BYTES]) -> Result<RecoverySet> {
    generate_with_rng(ctx, "acc-1", n, st, &mut ChaCha20Rng::from_seed([5; 32]))
}

/// The device holding the in-memory pepper's key material gives the very same stored string
/// (the device computes the full HMAC; the tag is its first 8 bytes), each side verifies the
/// other's codes, and the device is called once per tag: `n` for a set, one per verification of
/// an input with a valid check symbol, none for a typo or a locked account.
#[test]
fn generate_and_verify_use_the_device() {
    let memory = Context::new(&MASTER, 3).unwrap();
    let dev = soft(3, derived(&MASTER, 3));
    let mut external = Context::new(&MASTER, 3).unwrap();
    external.set_pepper(dev.clone(), &[3]).unwrap();
    let (mut st_m, mut st_e) = ([0u8; STATE_BYTES], [0u8; STATE_BYTES]);
    let a = make(&memory, 10, &mut st_m).unwrap();
    assert_eq!(calls(&dev), 0);
    let b = make(&external, 10, &mut st_e).unwrap();
    assert_eq!(calls(&dev), 10, "one device call per code");
    assert_eq!(a.stored().as_str(), b.stored().as_str());
    assert_eq!(st_m, st_e);
    let stored = b.stored().as_str().to_string();
    assert_eq!(verify(&external, "acc-1", &stored, a.codes()[4].as_str(), NOW, &mut st_e), Ok(9));
    assert_eq!(verify(&memory, "acc-1", &stored, b.codes()[5].as_str(), NOW, &mut st_m), Ok(9));
    assert_eq!(calls(&dev), 11);
    // The message the device saw: the documented one (domain, account, v, k, n, set id, code).
    let last = dev.last.lock().unwrap().clone();
    assert!(last.starts_with(b"portal-codes/recovery/v1\x00\x00\x00\x00\x05acc-1\x01\x03\x0a"));
    assert_eq!(last.len(), 25 + 4 + 5 + 3 + 8 + 8);
    // A typo is refused before any tag: no device call. A wrong code is one call, counted.
    let before = calls(&dev);
    assert_eq!(verify(&external, "acc-1", &stored, "0000-0000-0000", NOW, &mut st_e), Err(Error::Wrong));
    assert_eq!(calls(&dev), before + 1);
    assert_eq!(verify(&external, "acc-1", &stored, "0000-0000-0001", NOW, &mut st_e), Err(Error::Mistyped));
    assert_eq!(calls(&dev), before + 1);
}

/// A device holding other key material: other tags, and nothing verifies across.
#[test]
fn other_key_material_verifies_nothing() {
    let memory = Context::new(&MASTER, 3).unwrap();
    let mut external = Context::new(&MASTER, 3).unwrap();
    external.set_pepper(soft(3, [9; 32]), &[3]).unwrap();
    let mut st = [0u8; STATE_BYTES];
    let a = make(&memory, 4, &mut st).unwrap();
    let mut st2 = [0u8; STATE_BYTES];
    let b = make(&external, 4, &mut st2).unwrap();
    assert_ne!(a.stored().as_str(), b.stored().as_str());
    assert_eq!(
        verify(&external, "acc-1", a.stored().as_str(), a.codes()[0].as_str(), NOW, &mut st),
        Err(Error::Wrong)
    );
}

/// A failed device is `PEPPER_FAILED` on generate and on verify, right code or wrong: never a
/// verdict, never counted, the blob byte for byte unchanged; once the device is back the same
/// code is accepted.
#[test]
fn device_failure_is_pepper_failed_uncounted() {
    let dev = soft(3, derived(&MASTER, 3));
    let mut c = Context::new(&MASTER, 3).unwrap();
    c.set_pepper(dev.clone(), &[3]).unwrap();
    let mut st = [0u8; STATE_BYTES];
    let s = make(&c, 5, &mut st).unwrap();
    let stored = s.stored().as_str().to_string();
    assert_eq!(verify(&c, "acc-1", &stored, "0000-0000-0000", NOW, &mut st), Err(Error::Wrong));
    let with_a_failure = st;
    dev.fail.store(1, Ordering::Relaxed);
    for code in [s.codes()[1].as_str(), "0000-0000-0000"] {
        assert_eq!(verify(&c, "acc-1", &stored, code, NOW, &mut st), Err(Error::PepperFailed));
        assert_eq!(st, with_a_failure, "not counted, blob unchanged");
    }
    assert_eq!(make(&c, 5, &mut st).err(), Some(Error::PepperFailed));
    assert_eq!(st, with_a_failure, "no new set");
    let mut fresh = [0u8; STATE_BYTES];
    assert_eq!(make(&c, 5, &mut fresh).err(), Some(Error::PepperFailed));
    assert_eq!(fresh, [0u8; STATE_BYTES]);
    dev.fail.store(0, Ordering::Relaxed);
    assert_eq!(verify(&c, "acc-1", &stored, s.codes()[1].as_str(), NOW, &mut st), Ok(4));
}

/// Routing by key id, as for PIN hashes: a set under an in-memory key verifies in memory (no
/// device call); new sets go to the device serving the current id; a string naming a served id
/// verifies through the device without that master key; an id neither holds is `UNKNOWN_KEY`.
#[test]
fn routing_by_key_id() {
    let old = Context::new(&MASTER, 1).unwrap();
    let mut st_old = [0u8; STATE_BYTES];
    let old_set = make(&old, 3, &mut st_old).unwrap();
    let dev = soft(2, [8; 32]);
    let mut c = Context::new(&[9; 32], 2).unwrap();
    c.add_key(&MASTER, 1).unwrap();
    c.set_pepper(dev.clone(), &[2]).unwrap();
    assert_eq!(
        verify(&c, "acc-1", old_set.stored().as_str(), old_set.codes()[0].as_str(), NOW, &mut st_old),
        Ok(2)
    );
    assert_eq!(calls(&dev), 0, "key 1 is in memory");
    let mut st = [0u8; STATE_BYTES];
    let new_set = make(&c, 3, &mut st).unwrap();
    assert!(new_set.stored().as_str().contains("k=2,"));
    assert_eq!(calls(&dev), 3);
    // Only the device holds key 2's pepper: a context with master key 2 computes other tags.
    let mut st_copy = st;
    let plain = Context::new(&[9; 32], 2).unwrap();
    assert_eq!(
        verify(&plain, "acc-1", new_set.stored().as_str(), new_set.codes()[0].as_str(), NOW, &mut st_copy),
        Err(Error::Wrong)
    );
    let mut served = Context::new(&[1; 32], 5).unwrap();
    served.set_pepper(dev.clone(), &[2]).unwrap();
    assert_eq!(
        verify(&served, "acc-1", new_set.stored().as_str(), new_set.codes()[0].as_str(), NOW, &mut st),
        Ok(2)
    );
    let other = new_set.stored().as_str().replace("k=2,", "k=4,");
    assert_eq!(
        verify(&c, "acc-1", &other, new_set.codes()[1].as_str(), NOW, &mut st),
        Err(Error::UnknownKey)
    );
}
