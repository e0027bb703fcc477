//! The context: a keyring and a policy. Set it up once (keys, settings), then share it
//! read-only between threads; every operation takes `&Context`.

use crate::error::Result;
use crate::keys::Keyring;
use crate::policy::{Policy, Setting};

/// Keys and settings for every operation. `Send + Sync`; its `Debug` output shows key ids only.
#[derive(Debug, Clone)]
pub struct Context {
    keys: Keyring,
    policy: Policy,
    /// The host's PIN pepper for some key ids ([`Context::set_pepper`]); `None`: all in memory.
    #[cfg(feature = "alloc")]
    pepper: Option<crate::pin::pepper::External>,
}

impl Context {
    /// A context issuing under `master` (32–64 bytes) with id `key_id` (0–15), default policy.
    ///
    /// # Errors
    /// [`Error::BadKey`](crate::Error::BadKey) for a bad key length or id.
    pub fn new(master: &[u8], key_id: u32) -> Result<Self> {
        crate::diag::clear(); // a call that succeeds leaves no detail behind
        Ok(Self {
            keys: Keyring::new(master, key_id)?,
            policy: Policy::default(),
            #[cfg(feature = "alloc")]
            pepper: None,
        })
    }

    /// Adds a verify-only key (rotation: codes and hashes made under it still verify).
    ///
    /// # Errors
    /// [`Error::BadKey`](crate::Error::BadKey) for a bad length or id;
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) if the id is taken.
    pub fn add_key(&mut self, master: &[u8], key_id: u32) -> Result<()> {
        crate::diag::clear(); // a call that succeeds leaves no detail behind
        self.keys.add(master, key_id)
    }

    /// Changes a setting.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) if out of range.
    pub fn set(&mut self, setting: Setting, value: u64) -> Result<()> {
        crate::diag::clear(); // a call that succeeds leaves no detail behind
        self.policy.set(setting, value)
    }

    /// Reads a setting.
    #[must_use]
    pub fn get(&self, setting: Setting) -> u64 {
        self.policy.get(setting)
    }

    /// The settings.
    #[must_use]
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The keys.
    #[must_use]
    pub fn keys(&self) -> &Keyring {
        &self.keys
    }

    /// Hands the keyed step of PIN hashing for the key ids `key_ids` (0–15) to `pepper` (an HSM,
    /// a KMS: see [`crate::pin::Pepper`]); other key ids keep the in-memory pepper derived from
    /// their master key. A hash naming a served key id verifies through `pepper` whether or not
    /// this context holds that master key; new hashes use the current key id, so to move new
    /// hashes to the device, serve the current one. Replaces an earlier call's pepper.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for no key id,
    /// [`Error::BadKey`](crate::Error::BadKey) for one over 15.
    #[cfg(feature = "alloc")]
    pub fn set_pepper(
        &mut self,
        pepper: alloc::sync::Arc<dyn crate::pin::Pepper>,
        key_ids: &[u32],
    ) -> Result<()> {
        crate::diag::clear(); // a call that succeeds leaves no detail behind
        self.pepper = Some(crate::pin::pepper::External::new(pepper, key_ids)?);
        Ok(())
    }

    /// The host's pepper if it serves `key_id`.
    #[cfg(feature = "alloc")]
    pub(crate) fn pepper_for(&self, key_id: u32) -> Option<&dyn crate::pin::Pepper> {
        self.pepper.as_ref().filter(|p| p.serves(key_id)).map(crate::pin::pepper::External::device)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_is_shareable_and_configurable() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Context>();
        let mut c = Context::new(&[9; 32], 1).unwrap();
        c.add_key(&[8; 40], 0).unwrap();
        c.set(Setting::OtpDigits, 8).unwrap();
        assert_eq!(c.get(Setting::OtpDigits), 8);
        assert_eq!(c.policy().otp_digits, 8);
        assert_eq!(c.keys().current_id(), 1);
        let dbg = std::format!("{c:?}");
        assert!(dbg.contains("ids: [0, 1]") && !dbg.contains("9, 9"), "{dbg}");
    }
}
