//! The PIN pepper outside the process: the keyed step of PIN hashing run by the host's HSM, KMS
//! or certified crypto provider ([`Pepper`]).
//!
//! The last step of a PIN hash is `tag = HMAC-SHA256(pepper[k], message)` ([`mod@super::hash`]
//! gives the message: a domain label, the account id, the parameters, the salt and the PBKDF2
//! output, never the PIN itself). By default `pepper[k]` is derived from master key `k` and kept
//! in memory. [`Context::set_pepper`](crate::Context::set_pepper) hands that step, for the key ids
//! it names, to a [`Pepper`]: e.g. PKCS#11 `C_Sign` with `CKM_SHA256_HMAC` under a
//! non-extractable `CKK_GENERIC_SECRET` key, so that the pepper never enters the process.
//!
//! One call of [`Pepper::mac`] per [`hash()`](super::hash()), per verification (real or unknown
//! account alike: the dummy of an unknown account calls the device with the current key id), and
//! none in [`verify_begin`](super::verify_begin) or [`needs_rehash`](super::needs_rehash). A
//! failed call is [`Error::PepperFailed`]: no verdict, nothing counted, the blob unchanged (a
//! credit taken by `verify_begin` stays, so `verify_finish` can be called again).

use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::error::{Error, Result};
use crate::keys::MAX_KEY_ID;

/// Length of the MAC a [`Pepper`] writes (HMAC-SHA256).
pub const MAC_BYTES: usize = 32;

/// The failure a [`Pepper`] reports (device unreachable, key handle missing, session closed, …).
/// It carries nothing: the library answers [`Error::PepperFailed`], which is never a verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PepperError;

/// The keyed step of PIN hashing, computed by the host: `out = HMAC-SHA256(key k, message)`.
///
/// Called concurrently from every thread that uses the context (hence `Send + Sync`), once per
/// hash and once per verification. `message` holds no PIN (it holds the PBKDF2 output and the
/// binding data; the library wipes its copy afterwards). Return [`PepperError`] for any failure:
/// the library never turns it into a success or a counted failure. Writing a wrong value into
/// `out` makes the PIN wrong, so an implementation must not "fall back" to some other key. A panic
/// in `mac` unwinds to the caller of the PIN function (the state blob is then not written).
pub trait Pepper: Send + Sync {
    /// HMAC-SHA256 of `message` under the pepper key with id `key_id` (0–15, the `k` of the hash
    /// string), written to `out`.
    ///
    /// # Errors
    /// [`PepperError`] if the device could not compute it.
    fn mac(
        &self,
        key_id: u32,
        message: &[u8],
        out: &mut [u8; MAC_BYTES],
    ) -> core::result::Result<(), PepperError>;
}

/// The external pepper of a context and the key ids it serves (bit `k` = key id `k`).
#[derive(Clone)]
pub(crate) struct External {
    device: Arc<dyn Pepper>,
    key_ids: u16,
}

impl core::fmt::Debug for External {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "External {{ key_ids: {:#06x} }}", self.key_ids)
    }
}

impl External {
    /// Checks the key ids: at least one, each 0–15.
    pub(crate) fn new(device: Arc<dyn Pepper>, key_ids: &[u32]) -> Result<Self> {
        if key_ids.is_empty() {
            return Err(
                Error::InvalidArgument.because(c"key_ids: name at least one key id the pepper serves")
            );
        }
        let mut mask = 0u16;
        for &k in key_ids {
            if k > MAX_KEY_ID {
                return Err(Error::BadKey.because(c"key_ids: a key id over 15"));
            }
            mask |= 1 << k;
        }
        Ok(Self { device, key_ids: mask })
    }

    /// The host's device.
    pub(crate) fn device(&self) -> &dyn Pepper {
        &*self.device
    }

    /// Whether this pepper serves `key_id`.
    pub(crate) fn serves(&self, key_id: u32) -> bool {
        key_id <= MAX_KEY_ID && self.key_ids & (1 << key_id) != 0
    }
}

/// `HMAC-SHA256(key key_id, parts[0] ‖ parts[1] ‖ …)` on the host's device; the message copy is
/// wiped afterwards, and so is `out` on a failure.
pub(crate) fn device_mac(device: &dyn Pepper, key_id: u32, parts: &[&[u8]]) -> Result<[u8; 32]> {
    let mut message = Vec::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        message.extend_from_slice(p);
    }
    let mut out = [0u8; 32];
    let r = device.mac(key_id, &message, &mut out);
    zeroize::Zeroize::zeroize(message.as_mut_slice());
    if r.is_err() {
        zeroize::Zeroize::zeroize(&mut out);
        return Err(Error::PepperFailed.because(c"pepper: the host's pepper (HSM, KMS) reported a failure"));
    }
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::Context;
    use crate::blob::STATE_BYTES;
    use crate::pin::{self, Stored, hash_with_rng, verify, verify_begin, verify_finish};
    use crate::policy::Setting;
    use crate::rng::{ChaCha20Rng, SeedableRng};
    use core::sync::atomic::{AtomicU32, Ordering};
    use hmac::{KeyInit, Mac};

    const MASTER: [u8; 32] = [0x42; 32];
    const T0: u64 = 1_750_000_000;

    /// The in-memory pepper of `master` and `id`, computed independently of `src/keys.rs` (the
    /// derivation its docs give), as a host would to import it into a device.
    pub(crate) fn derived(master: &[u8], id: u8) -> [u8; 32] {
        let mut m = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(master).unwrap();
        m.update(b"portal-codes/v1/pin-pepper\x00");
        m.update(&[id]);
        m.finalize().into_bytes().into()
    }

    /// A software "device" holding raw keys (HMAC by the `hmac` crate), counting its calls, and
    /// failing on demand.
    struct Soft {
        keys: [Option<[u8; 32]>; 16],
        calls: AtomicU32,
        fail: AtomicU32,
    }

    impl Pepper for Soft {
        fn mac(
            &self,
            key_id: u32,
            message: &[u8],
            out: &mut [u8; 32],
        ) -> core::result::Result<(), PepperError> {
            self.calls.fetch_add(1, Ordering::Relaxed);
            if self.fail.load(Ordering::Relaxed) != 0 {
                *out = [0; 32]; // what a broken device might leave: must not match anything
                return Err(PepperError);
            }
            let key = self.keys.get(key_id as usize).copied().flatten().ok_or(PepperError)?;
            let mut m = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(&key).unwrap();
            m.update(message);
            out.copy_from_slice(&m.finalize().into_bytes());
            Ok(())
        }
    }

    fn soft(id: u8, key: [u8; 32]) -> Arc<Soft> {
        let mut keys = [None; 16];
        keys[id as usize] = Some(key);
        Arc::new(Soft { keys, calls: AtomicU32::new(0), fail: AtomicU32::new(0) })
    }

    fn ctx(id: u32) -> Context {
        let mut c = Context::new(&MASTER, id).unwrap();
        c.set(Setting::PinIterations, 10_000).unwrap();
        c
    }

    fn rng() -> ChaCha20Rng {
        ChaCha20Rng::from_seed([23; 32])
    }

    /// With the in-memory pepper's key material on the device, the device path gives the very
    /// same strings, and each side verifies the other's.
    #[test]
    fn device_with_the_same_key_gives_the_same_hashes() {
        let memory = ctx(3);
        let dev = soft(3, derived(&MASTER, 3));
        let mut external = ctx(3);
        external.set_pepper(dev.clone(), &[3]).unwrap();
        for (acct, pin) in [("acct-1", "385027"), ("user@example.org", "3861")] {
            let a = hash_with_rng(&memory, acct, pin, &mut rng()).unwrap();
            let b = hash_with_rng(&external, acct, pin, &mut rng()).unwrap();
            assert_eq!(a.as_str(), b.as_str());
            let mut st = [0u8; STATE_BYTES];
            assert_eq!(verify(&external, acct, pin, a.as_str(), T0, &mut st), Ok(()));
            assert_eq!(verify(&memory, acct, pin, b.as_str(), T0, &mut st), Ok(()));
            assert_eq!(verify(&external, acct, "000000", a.as_str(), T0, &mut st), Err(Error::Wrong));
        }
        assert_eq!(dev.calls.load(Ordering::Relaxed), 2 + 2 + 2, "one call per hash and per verify");
    }

    /// A device holding another key: the hashes differ, and nothing verifies across.
    #[test]
    fn other_key_material_gives_other_hashes() {
        let memory = ctx(3);
        let mut external = ctx(3);
        external.set_pepper(soft(3, [7; 32]), &[3]).unwrap();
        let a = hash_with_rng(&memory, "acct", "385027", &mut rng()).unwrap();
        let b = hash_with_rng(&external, "acct", "385027", &mut rng()).unwrap();
        assert_ne!(a.as_str(), b.as_str());
        let mut st = [0u8; STATE_BYTES];
        assert_eq!(verify(&external, "acct", "385027", a.as_str(), T0, &mut st), Err(Error::Wrong));
    }

    /// A failed device is `PEPPER_FAILED`: never a success, never counted, the blob untouched, on
    /// every path (hash, one-call verify, finish, unknown account); a finish can be retried.
    #[test]
    fn device_failure_is_an_uncounted_error() {
        let dev = soft(3, derived(&MASTER, 3));
        let mut c = ctx(3);
        c.set_pepper(dev.clone(), &[3]).unwrap();
        let h = hash_with_rng(&c, "acct", "385027", &mut rng()).unwrap();
        dev.fail.store(1, Ordering::Relaxed);
        assert_eq!(hash_with_rng(&c, "acct", "385027", &mut rng()).err(), Some(Error::PepperFailed));
        for pin in ["385027", "000000"] {
            for stored in [Stored::Hash(h.as_str()), Stored::UnknownAccount] {
                let mut st = [0u8; STATE_BYTES];
                assert_eq!(verify(&c, "acct", pin, stored, T0, &mut st), Err(Error::PepperFailed));
                assert_eq!(st, [0u8; STATE_BYTES], "not counted");
                assert_eq!(pin::verify_compute(&c, "acct", pin, stored).err(), Some(Error::PepperFailed));
                verify_begin(&c, pin, stored, T0, &mut st).unwrap();
                let begun = st;
                assert_eq!(verify_finish(&c, "acct", pin, stored, T0, &mut st), Err(Error::PepperFailed));
                assert_eq!(st, begun, "the credit stays for a retry");
            }
        }
        // The device is back: the retried finish decides.
        dev.fail.store(0, Ordering::Relaxed);
        let mut st = [0u8; STATE_BYTES];
        verify_begin(&c, "385027", h.as_str(), T0, &mut st).unwrap();
        dev.fail.store(1, Ordering::Relaxed);
        verify_finish(&c, "acct", "385027", h.as_str(), T0, &mut st).unwrap_err();
        dev.fail.store(0, Ordering::Relaxed);
        assert_eq!(verify_finish(&c, "acct", "385027", h.as_str(), T0, &mut st), Ok(()));
        assert_eq!(st, [0u8; STATE_BYTES]);
    }

    /// The unknown account's dummy calls the device too (same work as a real account), under the
    /// current key id; the message never contains the PIN. It holds every one of the `PIN_LANES`
    /// PBKDF2 blocks (issue 23: all of them under the keyed step), byte for byte what the `pbkdf2`
    /// crate computes with `dkLen = lanes × 32`.
    #[test]
    fn dummy_calls_the_device_and_the_message_holds_every_block_and_no_pin() {
        struct Spy(std::sync::Mutex<std::vec::Vec<(u32, std::vec::Vec<u8>)>>);
        impl Pepper for Spy {
            fn mac(&self, k: u32, m: &[u8], out: &mut [u8; 32]) -> core::result::Result<(), PepperError> {
                self.0.lock().unwrap().push((k, m.to_vec()));
                *out = [1; 32];
                Ok(())
            }
        }
        for lanes in 1..=4u8 {
            let spy = Arc::new(Spy(std::sync::Mutex::default()));
            let mut c = ctx(5);
            c.set(Setting::PinLanes, lanes.into()).unwrap();
            c.set_pepper(spy.clone(), &[5]).unwrap();
            let mut st = [0u8; STATE_BYTES];
            assert_eq!(
                verify(&c, "nobody", "918273", Stored::UnknownAccount, T0, &mut st),
                Err(Error::Wrong)
            );
            let calls = spy.0.lock().unwrap();
            assert_eq!(calls.len(), 1);
            let (k, m) = &calls[0];
            assert_eq!(*k, 5);
            let per_lane = 10_000u32.div_ceil(lanes.into());
            let mut want = std::vec::Vec::from(&b"portal-codes/pin/v2\x00\x00\x00\x00\x06nobody"[..]);
            want.extend_from_slice(&[2, 5, lanes]);
            want.extend_from_slice(&per_lane.to_be_bytes());
            want.push(6);
            want.extend_from_slice(&[0x5a; 16]); // the dummy's salt
            let mut dk = std::vec![0u8; 32 * usize::from(lanes)];
            pbkdf2::pbkdf2_hmac::<sha2::Sha256>(b"918273", &[0x5a; 16], per_lane, &mut dk);
            want.extend_from_slice(&dk);
            assert_eq!(m.len(), 20 + 4 + 6 + 3 + 4 + 1 + 16 + 32 * usize::from(lanes));
            assert_eq!(*m, want, "lanes {lanes}");
            assert!(!m.windows(6).any(|w| w == b"918273"), "the PIN never reaches the device");
        }
    }

    /// Key ids not served by the device stay in memory (migration: old hashes under the old key
    /// verify in memory and need a rehash, which moves them to the device); a hash naming an id
    /// neither holds is `UNKNOWN_KEY` before any work.
    #[test]
    fn routing_by_key_id() {
        let old = ctx(1);
        let h_old = hash_with_rng(&old, "acct", "3861", &mut rng()).unwrap();
        let mut c = Context::new(&[9; 32], 2).unwrap();
        c.set(Setting::PinIterations, 10_000).unwrap();
        c.add_key(&MASTER, 1).unwrap();
        let dev = soft(2, [8; 32]);
        c.set_pepper(dev.clone(), &[2]).unwrap();
        let mut st = [0u8; STATE_BYTES];
        assert_eq!(verify(&c, "acct", "3861", h_old.as_str(), T0, &mut st), Ok(()));
        // Key 1 is in memory; the one device call pads it to an unknown account's cost.
        assert_eq!(dev.calls.load(Ordering::Relaxed), 1);
        assert_eq!(pin::needs_rehash(&c, h_old.as_str()), Ok(true));
        let h_new = hash_with_rng(&c, "acct", "3861", &mut rng()).unwrap();
        assert!(h_new.as_str().contains("k=2,"));
        assert_eq!(verify(&c, "acct", "3861", h_new.as_str(), T0, &mut st), Ok(()));
        assert_eq!(dev.calls.load(Ordering::Relaxed), 3);
        // While the device is down, the not-yet-moved hash fails like an unknown account.
        dev.fail.store(1, Ordering::Relaxed);
        let before = st;
        assert_eq!(verify(&c, "acct", "3861", h_old.as_str(), T0, &mut st), Err(Error::PepperFailed));
        assert_eq!(verify(&c, "x", "3861", Stored::UnknownAccount, T0, &mut st), Err(Error::PepperFailed));
        assert_eq!(st, before);
        dev.fail.store(0, Ordering::Relaxed);
        let other = h_new.as_str().replace("k=2", "k=4");
        assert_eq!(verify(&c, "acct", "3861", other.as_str(), T0, &mut st), Err(Error::UnknownKey));
        // A served id needs no master key: the device decides.
        let mut c2 = ctx(3);
        c2.set_pepper(soft(4, [8; 32]), &[3, 4]).unwrap();
        let h4 = h_new.as_str().replace("k=2", "k=4");
        assert_eq!(verify(&c2, "acct", "3861", h4.as_str(), T0, &mut st), Err(Error::Wrong));
        assert_eq!(
            hash_with_rng(&c2, "acct", "3861", &mut rng()).err(),
            Some(Error::PepperFailed),
            "the device lacks key 3"
        );
    }

    /// The device is called from every verifying thread at once (hence `Send + Sync`), one call
    /// per verification, and every thread gets its own right answer.
    #[test]
    fn concurrent_verifications_share_the_device() {
        let dev = soft(3, derived(&MASTER, 3));
        let mut c = ctx(3);
        c.set_pepper(dev.clone(), &[3]).unwrap();
        let h = hash_with_rng(&c, "acct", "385027", &mut rng()).unwrap();
        std::thread::scope(|s| {
            for t in 0..4 {
                let (c, h) = (&c, &h);
                s.spawn(move || {
                    for i in 0..3 {
                        let mut st = [0u8; STATE_BYTES];
                        let pin = if (t + i) % 2 == 0 { "385027" } else { "385028" };
                        let want = if pin == "385027" { Ok(()) } else { Err(Error::Wrong) };
                        assert_eq!(verify(c, "acct", pin, h.as_str(), T0, &mut st), want);
                    }
                });
            }
        });
        assert_eq!(dev.calls.load(Ordering::Relaxed), 1 + 4 * 3);
    }

    #[test]
    fn key_ids_are_checked() {
        let mut c = ctx(0);
        assert_eq!(c.set_pepper(soft(0, [1; 32]), &[]), Err(Error::InvalidArgument));
        assert_eq!(c.set_pepper(soft(0, [1; 32]), &[0, 16]), Err(Error::BadKey));
        c.set_pepper(soft(0, [1; 32]), &[0, 15]).unwrap();
        assert!(std::format!("{c:?}").contains("key_ids: 0x8001"), "{c:?}");
    }
}
