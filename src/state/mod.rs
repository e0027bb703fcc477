//! The state blob: the 64 bytes a host stores next to its own row for every flow that must
//! remember something (latest link code, failures and lockout, the outstanding SMS code, the
//! last accepted TOTP step).
//!
//! The library keeps no hidden state: a flow reads the blob, decides, and writes the new blob,
//! also when it fails (a failed attempt is recorded). The host stores it with compare-and-swap
//! (`UPDATE … SET state = $new WHERE id = $id AND state = $old`); **a verdict counts only once
//! that write went through** (on a lost write, re-read and call again, whatever the status), so
//! any number of servers can share one record.
//!
//! Account-wide, over blobs of every flow: [`revoke`] kills every outstanding code (after a
//! password reset, a recovery or a phone-number change; the counters stay), and [`events`] tells
//! what a call did to the protection (a failure counted, a lock, a block, a clear, a recovery
//! code used, a device trusted), for notices. See `docs/revoke.md`.
//!
//! # Layout (version 4), all integers little-endian
//!
//! | bytes  | field | meaning |
//! |--------|-------|---------|
//! | 0      | kind  | [`Kind`]; 0 only in the all-zero fresh blob |
//! | 1      | version | [`VERSION`] (0 only in the fresh blob) |
//! | 2..4   | failures | the run of failures counted by the [lockout engine](crate::lockout) (it fades) |
//! | 4      | budget | guesses charged to the long-horizon budget (a success does not clear it) |
//! | 5..8   | lock | u24: `locked_until − last_failure`; 0 = none, `0xFFFFFF` = blocked |
//! | 8..13  | last_failure | u40: unix seconds of the latest counted failure; 0 = unknown |
//! | 13..16 | budget_lag | u24: `last_failure − budget_at`, the budget's clock (0 when `budget` is 0) |
//! | 16..24 | wait_until | flow-specific wait (for SMS codes: earliest next send), 0 = none |
//! | 24..64 | payload | [`PAYLOAD_BYTES`] bytes owned by the flow (see each flow's docs) |
//!
//! All zeros is a valid fresh state for every flow. A blob of another kind, an unknown version,
//! non-zero reserved bytes, payload bytes its flow never writes or the wrong length is
//! [`Error::CorruptState`] and is never written. Blobs of earlier layouts are read
//! (`docs/upgrading.md`).

#[cfg(doc)]
use crate::error::Error; // names the statuses in the docs
use crate::error::Result;

pub use crate::blob::{BLOCKED, Kind, OLDEST_VERSION, PAYLOAD_BYTES, STATE_BYTES, State, VERSION};

mod events;
mod kinds;
mod revoke;

pub use events::{
    EVENT_BLOCKED, EVENT_CLEARED, EVENT_DEVICE_TRUSTED, EVENT_FAILURE_COUNTED, EVENT_LOCK_STARTED,
    EVENT_RECOVERY_USED, Events, events,
};
pub use revoke::{REVOKE_CODES, REVOKE_DEVICES, REVOKE_RECOVERY, revoke};

impl State {
    /// Decodes a blob for the flow `kind` (the all-zero blob is a fresh state of that kind),
    /// checking its payload with that flow's codec.
    ///
    /// # Errors
    /// As [`State::decode_any`], and [`Error::CorruptState`] for a blob of another kind.
    pub fn decode(bytes: &[u8], kind: Kind) -> Result<Self> {
        let s = Self::decode_any(bytes)?.unwrap_or_else(|| Self::fresh(kind));
        if s.kind() != kind {
            return Err(crate::blob::other_kind());
        }
        Ok(s)
    }

    /// Decodes a blob of any kind; `Ok(None)` for the all-zero fresh blob. The payload is
    /// checked by its flow's codec (the registry in `src/state/kinds.rs`), so `Ok` means every
    /// flow call of that kind reads it. A blob written by an earlier release (layout version
    /// [`OLDEST_VERSION`] ..) is returned upgraded to the current layout: [`State::encode`]
    /// writes it as version [`VERSION`].
    ///
    /// # Errors
    /// [`Error::CorruptState`] for a wrong length, an unknown kind or version, non-zero reserved
    /// bytes, or header or payload bytes its flow never writes.
    pub fn decode_any(bytes: &[u8]) -> Result<Option<Self>> {
        crate::diag::clear(); // a call that succeeds leaves no detail behind
        let Some((mut s, version)) = Self::decode_header(bytes)? else { return Ok(None) };
        kinds::validate(&mut s, version)?;
        Ok(Some(s))
    }
}

/// When the holder of this blob may try again (see [`State::retry_at`]); 0 for a fresh blob.
/// Any blob a flow reads is accepted, also one written by an earlier release.
///
/// # Errors
/// [`Error::InvalidArgument`] for a `now` outside [`crate::clock`]'s range;
/// [`Error::CorruptState`] for a blob that no flow would read (its payload is checked too).
pub fn retry_at(bytes: &[u8], now: u64) -> Result<u64> {
    crate::diag::clear(); // a call that succeeds leaves no detail behind
    crate::clock::check(now)?;
    Ok(State::decode_any(bytes)?.map_or(0, |s| s.retry_at(now)))
}

/// Clears the run of failures, any lock, including a block, and the guess budget (for the
/// support desk or another channel that has re-established who the person is). The flow's own data is kept, except
/// what its registry entry says those failures paid for (a PIN blob's pending attempts of the
/// two-phase protocol). A blob of an earlier release is written in the current layout.
///
/// # Errors
/// [`Error::CorruptState`] (and the blob is left unchanged) if no flow would read it.
pub fn reset(bytes: &mut [u8]) -> Result<()> {
    crate::diag::clear(); // a call that succeeds leaves no detail behind
    if let Some(mut s) = State::decode_any(bytes)? {
        kinds::apply(&mut s, kinds::Rule::Reset); // first: its rules still see the failures
        // The run, any lock or block, and the budget (the person has been re-identified).
        let (payload, wait_until) = (s.payload, s.wait_until);
        s = State::fresh(s.kind());
        (s.payload, s.wait_until) = (payload, wait_until);
        bytes.copy_from_slice(&s.encode());
        crate::blob::canonicalize(bytes);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    /// Bytes from hex digits (spaces ignored).
    macro_rules! hex {
        ($s:literal) => {{
            let s: std::vec::Vec<u8> = $s.bytes().filter(|b| *b != b' ').collect();
            (0..s.len() / 2)
                .map(|i| u8::from_str_radix(core::str::from_utf8(&s[2 * i..2 * i + 2]).unwrap(), 16).unwrap())
                .collect::<std::vec::Vec<u8>>()
        }};
    }

    /// A valid payload of `kind` (the registry's codecs refuse arbitrary bytes): a TOTP/HOTP
    /// counter, a PIN blob's pending credits, an SMS blob's wait; link and SMS payloads with
    /// an outstanding code come from the flows (`tests/otp.rs`, `tests/link.rs`).
    fn sample(kind: Kind) -> State {
        let mut s = State::fresh(kind);
        s.failures = 3;
        match kind {
            Kind::Totp | Kind::Hotp => {
                s.payload[0] = 2;
                s.payload[8] = 1; // accepted
            }
            Kind::Pin => s.payload[0] = 2, // two pending credits
            Kind::Otp => s.wait_until = 1200,
            Kind::Recovery => {
                s.payload[0] = 7; // set id
                s.payload[8] = 10; // codes
                s.payload[9] = 0b101; // codes 0 and 2 used: a reset keeps them used
            }
            Kind::Device => s.payload[0] = 4, // device generation 4: a reset keeps it
            _ => {}
        }
        s
    }

    #[test]
    fn fresh_blob_round_trip() {
        let zero = [0u8; STATE_BYTES];
        let s = State::decode(&zero, Kind::Otp).unwrap();
        assert_eq!(s, State::fresh(Kind::Otp));
        let mut s2 = s.clone();
        s2.failures = 513;
        s2.last_failure = 1_699_999_100;
        s2.locked_until = 1_700_000_000;
        s2.budget = 7;
        s2.budget_at = 1_699_999_000;
        s2.wait_until = 42;
        let b = s2.encode();
        assert_eq!((b[0], b[1]), (3, VERSION));
        assert_eq!(b[2..24], hex!("0102 07 840300 7ced536500 640000 2a00000000000000"));
        assert_eq!(State::decode(&b, Kind::Otp).unwrap(), s2);
        // Blocked, and a lock far from the last failure (a hand-made state): the lock ends at
        // the same second, `last_failure` becomes the second before it.
        let mut s4 = s2.clone();
        s4.locked_until = BLOCKED;
        assert_eq!(State::decode(&s4.encode(), Kind::Otp).unwrap(), s4);
        s4.locked_until = 1_800_000_000;
        s4.budget = 0;
        s4.budget_at = 0;
        let back = State::decode(&s4.encode(), Kind::Otp).unwrap();
        assert_eq!((back.locked_until, back.last_failure), (1_800_000_000, 1_799_999_999));
        let mut s3 = State::fresh(Kind::Hotp);
        s3.payload[..8].copy_from_slice(&0x0102_0304_0506_0708u64.to_le_bytes());
        s3.payload[8] = 1;
        assert_eq!(State::decode(&s3.encode(), Kind::Hotp).unwrap(), s3);
    }

    #[test]
    fn corrupt_blobs_are_refused() {
        let b = State::fresh(Kind::Link).encode();
        assert_eq!(State::decode(&b, Kind::Pin), Err(Error::CorruptState), "other kind");
        assert_eq!(State::decode(&b[..63], Kind::Link), Err(Error::CorruptState), "short");
        let mut long = [0u8; 65];
        long[..64].copy_from_slice(&b);
        assert_eq!(State::decode(&long, Kind::Link), Err(Error::CorruptState), "long");
        assert_eq!(State::decode(&[], Kind::Link), Err(Error::CorruptState), "empty");
        // Versions 1–3 are read (earlier releases' layouts: `tests/upgrade.rs`); 0 and 5 are not.
        // Layout 4: a budget clock without a budget (byte 13), a lock without a last failure
        // (byte 7) are never written.
        for (at, v) in [(0, 0), (0, 6), (0, 255), (1, 0), (1, 5), (1, 255), (13, 1), (7, 1)] {
            let mut x = b;
            x[at] = v;
            assert_eq!(State::decode(&x, Kind::Link), Err(Error::CorruptState), "byte {at}={v}");
        }
        // Garbage in an all-but-header-zero blob is not "fresh".
        let mut g = [0u8; STATE_BYTES];
        g[40] = 1;
        assert_eq!(State::decode(&g, Kind::Link), Err(Error::CorruptState));
    }

    /// The registry checks payloads for `decode_any`, `retry_at` and `reset` as the flows do:
    /// payload bytes a flow never writes, and a `wait_until` in a flow that never waits, are
    /// refused by all three (issue 20: `reset` used to rewrite such blobs).
    #[test]
    fn payloads_are_checked_by_their_kind() {
        for kind in Kind::ALL {
            let good = sample(kind).encode();
            assert!(State::decode_any(&good).is_ok(), "{kind:?}");
            let mut bad = good;
            bad[63] = 0xA5; // the last payload byte: every codec refuses it here
            assert_eq!(State::decode_any(&bad), Err(Error::CorruptState), "{kind:?}");
            assert_eq!(retry_at(&bad, 100), Err(Error::CorruptState), "{kind:?}");
            let copy = bad;
            assert_eq!(reset(&mut bad), Err(Error::CorruptState), "{kind:?}");
            assert_eq!(bad, copy, "{kind:?}: left unchanged");
            let mut waiting = sample(kind);
            waiting.wait_until = 5;
            let r = State::decode_any(&waiting.encode());
            assert_eq!(r.is_ok(), kind == Kind::Otp, "{kind:?}: only SMS blobs wait");
        }
    }

    /// `reset` clears what failures paid for (a PIN blob's pending attempts) and keeps every
    /// other flow's payload; a state left equal to the fresh one becomes all zeros.
    #[test]
    fn reset_keeps_payloads_but_pin_credits() {
        for kind in Kind::ALL {
            let s = sample(kind);
            let mut b = s.encode();
            reset(&mut b).unwrap();
            if kind == Kind::Pin {
                assert_eq!(b, [0; STATE_BYTES], "PIN credits go with the failures");
            } else {
                let after = State::decode(&b, kind).unwrap();
                assert_eq!((after.failures, after.payload), (0, s.payload), "{kind:?}");
                assert_eq!(after.wait_until, s.wait_until, "{kind:?}");
            }
        }
    }

    #[test]
    fn retry_at_and_reset() {
        assert_eq!(retry_at(&[0; 64], 100), Ok(0));
        assert_eq!(retry_at(&[0; 64], 0), Err(Error::InvalidArgument));
        assert_eq!(retry_at(&[0; 64], crate::clock::MAX_NOW + 1), Err(Error::InvalidArgument));
        assert_eq!(retry_at(&[0; 63], 100), Err(Error::CorruptState));
        let mut s = State::fresh(Kind::Otp);
        s.failures = 5;
        s.locked_until = 1000;
        let mut b = s.encode();
        assert_eq!(retry_at(&b, 999), Ok(1000));
        assert_eq!(retry_at(&b, 1000), Ok(0));
        s.wait_until = 1200;
        b = s.encode();
        assert_eq!(retry_at(&b, 999), Ok(1200));
        s.locked_until = BLOCKED;
        b = s.encode();
        assert_eq!(retry_at(&b, crate::clock::MAX_NOW), Ok(u64::MAX));
        reset(&mut b).unwrap();
        let after = State::decode(&b, Kind::Otp).unwrap();
        assert_eq!((after.failures, after.locked_until, after.wait_until), (0, 0, 1200));
        let mut bad = b;
        bad[1] = 9;
        let copy = bad;
        assert_eq!(reset(&mut bad), Err(Error::CorruptState));
        assert_eq!(bad, copy, "left unchanged");
        let mut fresh = [0u8; 64];
        reset(&mut fresh).unwrap();
        assert_eq!(fresh, [0; 64]);
    }
}
