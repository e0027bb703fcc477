//! Master keys and the per-purpose keys derived from them.
//!
//! A [`Keyring`] holds up to 16 master keys (ids 0–15). The key it was created with is the
//! *current* one: everything new (link codes, PIN hashes, SMS codes) is made under it. Keys added
//! later are verify-only, which is how keys are rotated: create the new context with the new key
//! as current and add the old one, so codes and hashes made under the old key still verify (and
//! PIN hashes report that they need a rehash).
//!
//! From each master key one HMAC-SHA256 key per [`Purpose`] is derived, with domain separation:
//! `derived = HMAC-SHA256(master, "portal-codes/v1/" || label || 0x00 || key_id)`. Only the
//! derived keys are kept, as precomputed HMAC states ([`HmacKey`]), so no operation re-keys; the
//! master key itself is zeroized right after derivation. Nothing here appears in `Debug` output.

use hmac::{KeyInit, Mac};
use zeroize::Zeroize;

use crate::error::{Error, Result};
use crate::mac::{HmacKey, Sha256};

/// Shortest master key accepted, in bytes (256 bits).
pub const MIN_KEY_BYTES: usize = 32;
/// Longest master key accepted, in bytes.
pub const MAX_KEY_BYTES: usize = 64;
/// Highest key id; ids fit in 4 bits of a link code and in a PIN hash string.
pub const MAX_KEY_ID: u32 = 15;

/// What a derived key is for. Each purpose has its own key, so a value made for one can never
/// be passed off as another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Purpose {
    /// Link-code tags and the child-data fingerprint.
    Link,
    /// The PIN pepper: the keyed step after PBKDF2.
    Pin,
    /// Keyed hashes of SMS / e-mail codes kept in state blobs.
    Otp,
    /// The MAC of device tokens (`crate::device`).
    Device,
}

impl Purpose {
    const COUNT: usize = 4;

    fn index(self) -> usize {
        match self {
            Purpose::Link => 0,
            Purpose::Pin => 1,
            Purpose::Otp => 2,
            Purpose::Device => 3,
        }
    }

    /// The domain-separation label.
    fn label(self) -> &'static [u8] {
        match self {
            Purpose::Link => b"link-code",
            Purpose::Pin => b"pin-pepper",
            Purpose::Otp => b"one-time-code",
            Purpose::Device => b"device-token",
        }
    }
}

/// The derived keys of one master key.
#[derive(Clone)]
struct Slot {
    keys: [HmacKey<Sha256>; Purpose::COUNT],
}

impl Slot {
    /// An unused slot: keyed with the empty key, never handed out (see `Keyring::present`).
    /// Every byte of a keyring belongs to a value that zeroizes on drop, so no key material is
    /// left behind in the memory of a dropped keyring (an `Option` would leave stale bytes in
    /// its `None` padding).
    fn empty() -> Self {
        Slot { keys: core::array::from_fn(|_| HmacKey::new(&[])) }
    }
}

/// Master keys by id, one of them current. Immutable once set up; share it freely.
#[derive(Clone)]
pub struct Keyring {
    slots: [Slot; MAX_KEY_ID as usize + 1],
    /// Bit `id` set: slot `id` holds a key.
    present: u16,
    current: u8,
}

#[allow(clippy::missing_fields_in_debug)] // the key slots are deliberately not shown
impl core::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut ids = [0u8; MAX_KEY_ID as usize + 1];
        let mut n = 0;
        for id in 0..=MAX_KEY_ID {
            if self.contains(id) {
                ids[n] = u8::try_from(id).unwrap_or(u8::MAX);
                n += 1;
            }
        }
        f.debug_struct("Keyring").field("current", &self.current).field("ids", &&ids[..n]).finish()
    }
}

fn check_key(master: &[u8], key_id: u32) -> Result<u8> {
    match u8::try_from(key_id) {
        Ok(id) if u32::from(id) <= MAX_KEY_ID && (MIN_KEY_BYTES..=MAX_KEY_BYTES).contains(&master.len()) => {
            Ok(id)
        }
        _ if key_id > MAX_KEY_ID => Err(Error::BadKey.because(c"key_id: must be 0 ..= 15")),
        _ => Err(Error::BadKey.because(c"key_len: a master key must be 32 ..= 64 bytes")),
    }
}

fn derive(master: &[u8], id: u8) -> Slot {
    let one = |p: Purpose| {
        let mut m = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(master)
            .expect("HMAC takes keys of any length");
        m.update(b"portal-codes/v1/");
        m.update(p.label());
        m.update(&[0, id]);
        let mut d: [u8; 32] = m.finalize().into_bytes().into();
        let k = HmacKey::new(&d);
        d.zeroize();
        k
    };
    Slot { keys: [one(Purpose::Link), one(Purpose::Pin), one(Purpose::Otp), one(Purpose::Device)] }
}

impl Keyring {
    /// A keyring whose current (issuing) key is `master` with id `key_id`.
    ///
    /// # Errors
    /// [`Error::BadKey`] if `master` is not 32–64 bytes or `key_id` is over 15.
    pub fn new(master: &[u8], key_id: u32) -> Result<Self> {
        let id = check_key(master, key_id)?;
        let mut slots: [Slot; MAX_KEY_ID as usize + 1] = core::array::from_fn(|_| Slot::empty());
        slots[id as usize] = derive(master, id);
        Ok(Self { slots, present: 1 << id, current: id })
    }

    /// Adds a verify-only key (an older key during rotation).
    ///
    /// # Errors
    /// [`Error::BadKey`] for a bad length or id; [`Error::InvalidArgument`] if the id is taken.
    pub fn add(&mut self, master: &[u8], key_id: u32) -> Result<()> {
        let id = check_key(master, key_id)?;
        if self.contains(key_id) {
            return Err(
                Error::InvalidArgument.because(c"key_id: this context already holds a key with this id")
            );
        }
        self.slots[id as usize] = derive(master, id);
        self.present |= 1 << id;
        Ok(())
    }

    /// The id of the issuing key.
    #[must_use]
    pub fn current_id(&self) -> u8 {
        self.current
    }

    /// Whether the keyring holds `key_id`.
    #[must_use]
    pub fn contains(&self, key_id: u32) -> bool {
        key_id <= MAX_KEY_ID && self.present & (1 << key_id) != 0
    }

    /// The derived key for `purpose` under the issuing key, with its id.
    #[must_use]
    pub fn current(&self, purpose: Purpose) -> (u8, &HmacKey<Sha256>) {
        // The current slot is set in `new` and never removed.
        (self.current, &self.slots[self.current as usize].keys[purpose.index()])
    }

    /// The derived key for `purpose` under `key_id`.
    ///
    /// # Errors
    /// [`Error::UnknownKey`] if the keyring does not hold `key_id`.
    pub fn get(&self, purpose: Purpose, key_id: u32) -> Result<&HmacKey<Sha256>> {
        if !self.contains(key_id) {
            return Err(Error::UnknownKey);
        }
        Ok(&self.slots[key_id as usize].keys[purpose.index()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const K1: [u8; 32] = [1; 32];
    const K2: [u8; 64] = [2; 64];

    #[test]
    fn key_sizes_and_ids() {
        assert_eq!(Keyring::new(&[0; 31], 0).unwrap_err(), Error::BadKey);
        assert_eq!(Keyring::new(&[0; 65], 0).unwrap_err(), Error::BadKey);
        assert_eq!(Keyring::new(&K1, 16).unwrap_err(), Error::BadKey);
        assert!(Keyring::new(&K1, 15).is_ok());
        let mut r = Keyring::new(&K1, 3).unwrap();
        assert_eq!(r.add(&K2, 3), Err(Error::InvalidArgument));
        assert_eq!(r.add(&K2[..31], 4), Err(Error::BadKey));
        assert_eq!(r.add(&K2, u32::MAX), Err(Error::BadKey));
        r.add(&K2, 4).unwrap();
        assert_eq!(r.current_id(), 3);
        assert!(r.contains(4) && r.contains(3) && !r.contains(5) && !r.contains(99));
        assert_eq!(r.get(Purpose::Link, 5).unwrap_err(), Error::UnknownKey);
        assert_eq!(r.get(Purpose::Link, u32::MAX).unwrap_err(), Error::UnknownKey);
    }

    /// Derived keys match an independent computation with the `hmac` crate, and differ by
    /// purpose and by key id.
    #[test]
    fn derivation_is_domain_separated() {
        let r = Keyring::new(&K1, 0).unwrap();
        let mut r2 = Keyring::new(&K1, 1).unwrap();
        r2.add(&K2, 0).unwrap();
        let tag = |k: &HmacKey<Sha256>| k.mac(&[b"probe"]);
        let link0 = tag(r.get(Purpose::Link, 0).unwrap());
        assert_ne!(link0, tag(r.get(Purpose::Pin, 0).unwrap()));
        assert_ne!(link0, tag(r.get(Purpose::Otp, 0).unwrap()));
        assert_ne!(link0, tag(r.get(Purpose::Device, 0).unwrap()));
        assert_ne!(tag(r.get(Purpose::Otp, 0).unwrap()), tag(r.get(Purpose::Device, 0).unwrap()));
        assert_ne!(link0, tag(r2.current(Purpose::Link).1), "same master, other id");
        assert_ne!(link0, tag(r2.get(Purpose::Link, 0).unwrap()), "same id, other master");

        let mut m = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(&K1).unwrap();
        m.update(b"portal-codes/v1/link-code\x00\x00");
        let derived = m.finalize().into_bytes();
        let mut m = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(&derived).unwrap();
        m.update(b"probe");
        assert_eq!(link0[..], m.finalize().into_bytes()[..]);
    }

    #[test]
    fn debug_shows_ids_only() {
        let mut r = Keyring::new(&K1, 2).unwrap();
        r.add(&K2, 7).unwrap();
        assert_eq!(std::format!("{r:?}"), "Keyring { current: 2, ids: [2, 7] }");
    }
}
