//! One switch that kills every outstanding code of an account (issue 22 §5): [`revoke`].
//!
//! The host applies it to **every** blob of the account in the one transaction that changes the
//! password, finishes a recovery or changes the phone number (`docs/revoke.md`). Each kind's
//! rule is its row in the registry (`src/state/kinds.rs`, `Payload::revoke`):
//!
//! | kind | [`REVOKE_CODES`] | [`REVOKE_RECOVERY`] |
//! |---|---|---|
//! | SMS / e-mail code | the outstanding code and the one it replaced die; the send history and cooldown stay | — |
//! | link code | the outstanding code dies; the issue number stays (no later issue recreates it) | — |
//! | recovery codes | — | the set dies (a new one needs `recovery::generate`) |
//! | PIN, TOTP, HOTP | nothing (they hold no code; the replay counters stay) | nothing |
//! | device blob, with [`REVOKE_DEVICES`] | its generation + 1: every device token issued before is `DEVICE_REVOKED` | |
//!
//! The lockout header (failures, lock, block, the SMS wait) is never touched. A killed code
//! answers `NO_CHALLENGE`, not counted, like a blob in which nothing was issued.

use super::kinds::{self, Rule};
use crate::blob::State;
use crate::error::{Error, Result};

/// [`revoke`] flag: outstanding SMS/e-mail codes (with the code each replaced) and link codes.
/// C `PCODES_REVOKE_CODES`.
pub const REVOKE_CODES: u32 = 1;
/// [`revoke`] flag: the account's recovery-code set. C `PCODES_REVOKE_RECOVERY`.
pub const REVOKE_RECOVERY: u32 = 2;
/// [`revoke`] flag: every trusted device of the account (a device blob's generation goes up by
/// one, so every device token issued before is `DEVICE_REVOKED`; `crate::device`). C
/// `PCODES_REVOKE_DEVICES`. Unlike the other flags it is not idempotent: each call kills the
/// tokens issued before it (a retry after a lost write is harmless).
pub const REVOKE_DEVICES: u32 = 4;
const KNOWN: u32 = REVOKE_CODES | REVOKE_RECOVERY | REVOKE_DEVICES;

/// Kills what the flags `what` name ([`REVOKE_CODES`], [`REVOKE_RECOVERY`], or both) in one blob
/// of any kind, in place (a pure function of the blob; no key, no clock). A blob of a kind that
/// holds nothing the flags name, and the all-zero fresh blob, are left as they are; a blob of an
/// earlier release is written in the current layout. The failures, lock, block and the SMS
/// resend wait are kept. Apply it to every blob of the account and store them all in one
/// transaction, each with compare-and-swap: **the revocation counts only once every one of
/// those writes succeeded** (on a lost write, re-read that row and revoke again).
///
/// # Errors
/// [`Error::InvalidArgument`] for `what` = 0, or with a bit other than the three flags; [`Error::CorruptState`] if no flow would read the
/// blob. Both leave the blob unchanged.
pub fn revoke(bytes: &mut [u8], what: u32) -> Result<()> {
    crate::diag::clear(); // a call that succeeds leaves no detail behind
    if what == 0 {
        return Err(Error::InvalidArgument.because(c"what: no flag set (PCODES_REVOKE_CODES, _RECOVERY)"));
    }
    if what & !KNOWN != 0 {
        return Err(Error::InvalidArgument.because(c"what: unknown flag bits"));
    }
    if let Some(mut s) = State::decode_any(bytes)? {
        kinds::apply(&mut s, Rule::Revoke(what));
        bytes.copy_from_slice(&s.encode());
        crate::blob::canonicalize(bytes);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blob::{Kind, STATE_BYTES};

    #[test]
    fn flags_are_checked_before_the_blob() {
        let mut s = State::fresh(Kind::Otp);
        s.failures = 2;
        let b = s.encode();
        for what in [0, 8, 9, 15, 1 << 31, u32::MAX] {
            let mut x = b;
            assert_eq!(revoke(&mut x, what), Err(Error::InvalidArgument), "{what}");
            assert_eq!(x, b, "{what}: unchanged");
        }
        let mut short = [0u8; 63];
        assert_eq!(revoke(&mut short, 1), Err(Error::CorruptState));
        let mut bad = b;
        bad[1] = 200;
        let copy = bad;
        assert_eq!(revoke(&mut bad, 3), Err(Error::CorruptState));
        assert_eq!(bad, copy, "a corrupt blob is left unchanged");
        let mut fresh = [0u8; STATE_BYTES];
        for what in 1..=3 {
            revoke(&mut fresh, what).unwrap();
            assert_eq!(fresh, [0; STATE_BYTES]);
        }
    }

    /// Kinds that hold no code keep every byte (the header too), whatever the flags.
    #[test]
    fn kinds_without_codes_keep_every_byte() {
        for kind in [Kind::Pin, Kind::Totp, Kind::Hotp] {
            let mut s = State::fresh(kind);
            s.failures = 4;
            s.locked_until = 1234;
            if kind == Kind::Pin {
                s.payload[0] = 2; // pending attempts
            } else {
                s.payload[0] = 9; // counter
                s.payload[8] = 1; // accepted
            }
            let b = s.encode();
            for what in 1..=3 {
                let mut x = b;
                revoke(&mut x, what).unwrap();
                assert_eq!(x, b, "{kind:?} {what}");
            }
        }
    }
}
