//! The state blob: the 64 bytes a host stores next to its own row for every flow that must
//! remember something (latest link code, failures and lockout, the outstanding SMS code, the
//! last accepted TOTP step).
//!
//! The library keeps no hidden state: a flow reads the blob, decides, and writes the new blob,
//! also when it fails (a failed attempt is recorded). The host stores it with compare-and-swap
//! (`UPDATE … SET state = $new WHERE id = $id AND state = $old`) and treats a success as a
//! success only if that write went through, so any number of servers can share one record.
//!
//! # Layout (version 2), all integers little-endian
//!
//! | bytes  | field | meaning |
//! |--------|-------|---------|
//! | 0      | kind  | [`Kind`]; 0 only in the all-zero fresh blob |
//! | 1      | version | [`VERSION`] (0 only in the fresh blob) |
//! | 2..4   | failures | consecutive failures counted by the [lockout engine](crate::lockout) |
//! | 4..8   | reserved | zero |
//! | 8..16  | locked_until | unix seconds until which the flow is locked; `u64::MAX` = blocked |
//! | 16..24 | wait_until | flow-specific wait (for SMS codes: earliest next send), 0 = none |
//! | 24..64 | payload | [`PAYLOAD_BYTES`] bytes owned by the flow (see each flow's docs) |
//!
//! All zeros is a valid fresh state for every flow. A blob of another kind, an unknown version,
//! non-zero reserved bytes or the wrong length is [`Error::CorruptState`] and is never written.

use crate::error::{Error, Result};

/// Size of every state blob.
pub const STATE_BYTES: usize = 64;
/// Current layout version: 2 since the link payload carries the issue number (issue 13).
/// Blobs of version 1 are still read (see [`State::decode_any`] and `docs/upgrading.md`) and
/// written back as version 2.
pub const VERSION: u8 = 2;
/// The oldest layout version this library reads.
pub const OLDEST_VERSION: u8 = 1;
/// Bytes of a blob that belong to the flow.
pub const PAYLOAD_BYTES: usize = 40;
pub(crate) const PAYLOAD_AT: usize = STATE_BYTES - PAYLOAD_BYTES;

mod kinds;

pub use kinds::Kind;

/// A decoded state blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    kind: Kind,
    /// Consecutive failures (see [`crate::lockout`]).
    pub failures: u16,
    /// Unix seconds until which the flow is locked; `u64::MAX` means blocked until reset.
    pub locked_until: u64,
    /// Flow-specific wait reported by [`retry_at`] (e.g. the earliest next SMS send).
    pub wait_until: u64,
    /// The flow's own bytes.
    pub payload: [u8; PAYLOAD_BYTES],
}

/// `locked_until` value meaning "blocked until reset".
pub const BLOCKED: u64 = u64::MAX;

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(w)
}

impl State {
    /// A fresh state of `kind`.
    #[must_use]
    pub fn fresh(kind: Kind) -> Self {
        Self { kind, failures: 0, locked_until: 0, wait_until: 0, payload: [0; PAYLOAD_BYTES] }
    }

    /// The flow this state belongs to.
    #[must_use]
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// Decodes a blob for the flow `kind` (the all-zero blob is a fresh state of that kind),
    /// checking its payload with that flow's codec.
    ///
    /// # Errors
    /// As [`State::decode_any`], and [`Error::CorruptState`] for a blob of another kind.
    pub fn decode(bytes: &[u8], kind: Kind) -> Result<Self> {
        let s = Self::decode_any(bytes)?.unwrap_or_else(|| Self::fresh(kind));
        if s.kind != kind {
            return Err(other_kind());
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
        let Some((mut s, version)) = Self::decode_header(bytes)? else { return Ok(None) };
        kinds::validate(&mut s, version)?;
        Ok(Some(s))
    }

    /// The header and the raw payload bytes, with the layout version they were written in;
    /// `Ok(None)` for the all-zero blob. The payload is not looked at.
    fn decode_header(bytes: &[u8]) -> Result<Option<(Self, u8)>> {
        if bytes.len() != STATE_BYTES {
            return Err(Error::CorruptState.because(c"state_len: must be PCODES_STATE_BYTES (64)"));
        }
        if bytes.iter().all(|&b| b == 0) {
            return Ok(None);
        }
        let kind = Kind::from_u8(bytes[0]).ok_or_else(|| {
            Error::CorruptState.because(c"state: unknown kind byte (not a state blob, or damaged)")
        })?;
        let version = bytes[1];
        if !(OLDEST_VERSION..=VERSION).contains(&version) {
            return Err(Error::CorruptState
                .because(c"state: unknown blob version (written by a later library version, or damaged)"));
        }
        if bytes[4..8] != [0; 4] {
            return Err(Error::CorruptState.because(c"state: reserved bytes are not zero (damaged)"));
        }
        let mut payload = [0u8; PAYLOAD_BYTES];
        payload.copy_from_slice(&bytes[PAYLOAD_AT..]);
        let s = Self {
            kind,
            failures: u16::from_le_bytes([bytes[2], bytes[3]]),
            locked_until: u64_at(bytes, 8),
            wait_until: u64_at(bytes, 16),
            payload,
        };
        Ok(Some((s, version)))
    }

    /// Encodes into a blob.
    #[must_use]
    pub fn encode(&self) -> [u8; STATE_BYTES] {
        let mut b = [0u8; STATE_BYTES];
        self.encode_header(&mut b);
        b[PAYLOAD_AT..].copy_from_slice(&self.payload);
        b
    }

    /// Writes the header (everything but the payload) into `b`, leaving `b[PAYLOAD_AT..]` for
    /// the flow to write in place: no temporary payload is built and copied (a copy reads
    /// bytes just written by narrower stores, which the CPU cannot forward from its store
    /// buffer, so it waits for them to reach the cache).
    pub(crate) fn encode_header(&self, b: &mut [u8; STATE_BYTES]) {
        b[0] = self.kind as u8;
        b[1] = VERSION;
        b[2..4].copy_from_slice(&self.failures.to_le_bytes());
        b[4..8].fill(0);
        b[8..16].copy_from_slice(&self.locked_until.to_le_bytes());
        b[16..24].copy_from_slice(&self.wait_until.to_le_bytes());
    }

    /// When the holder may try again: 0 if not waiting, `u64::MAX` if blocked until reset,
    /// otherwise the later of the lock's end and the flow's own wait.
    #[must_use]
    pub fn retry_at(&self, now: u64) -> u64 {
        let t = self.locked_until.max(self.wait_until);
        if t > now { t } else { 0 }
    }
}

fn other_kind() -> Error {
    Error::CorruptState.because(c"state: a blob of another flow (its kind byte names a different flow)")
}

fn damaged(e: Error) -> Error {
    e.because(c"state: payload bytes its flow never writes (damaged)")
}

/// A flow's part of the blob: its own codec for the [`PAYLOAD_BYTES`] payload bytes, and its
/// entry in the registry of kinds (`src/state/kinds.rs`). `decode` refuses any bytes `encode`
/// would not write ([`Error::CorruptState`]); the all-zero payload is the flow's fresh state.
pub(crate) trait Payload: Sized {
    /// The flow the payload belongs to.
    const KIND: Kind;
    /// Whether the flow uses the header's `wait_until` (only SMS codes do); a blob of a flow
    /// that does not, with a non-zero `wait_until`, is damaged.
    const WAITS: bool = false;
    /// Decodes the payload bytes.
    fn decode(b: &[u8; PAYLOAD_BYTES]) -> Result<Self>;
    /// Writes the payload into `b` (exactly [`PAYLOAD_BYTES`] long, zeroed beforehand).
    fn encode(&self, b: &mut [u8]);
    /// Rules that tie the payload to the header (e.g. a PIN blob's pending attempts never
    /// exceed its failures); none by default.
    ///
    /// # Errors
    /// [`Error::CorruptState`] when the two disagree.
    fn check(&self, _header: &State) -> Result<()> {
        Ok(())
    }
    /// What [`reset`] does to the payload besides clearing the header's failures and lock:
    /// by default the flow's data is kept.
    fn reset(&mut self) {}
    /// Reads the payload of a blob written in an earlier layout `version` (the header is
    /// already read). By default the payload did not change: it is decoded as it is.
    ///
    /// # Errors
    /// [`Error::CorruptState`] for bytes that release never wrote.
    fn upgrade(version: u8, header: &State, b: &[u8; PAYLOAD_BYTES]) -> Result<Self> {
        let _ = (version, header);
        Self::decode(b)
    }
}

/// Decodes the payload of `s` (written in layout `version`) as the flow of `P`, upgrading an
/// earlier layout, and checks it against the header.
fn payload_of<P: Payload>(s: &State, version: u8) -> Result<P> {
    if !P::WAITS && s.wait_until != 0 {
        return Err(damaged(Error::CorruptState));
    }
    let p = if version == VERSION { P::decode(&s.payload) } else { P::upgrade(version, s, &s.payload) };
    let p = p.map_err(damaged)?;
    p.check(s).map_err(damaged)?;
    Ok(p)
}

/// Decodes `blob` as the flow of `P`: header, payload and the rules between them, each byte
/// looked at once.
///
/// # Errors
/// [`Error::CorruptState`].
pub(crate) fn read_flow<P: Payload>(blob: &[u8; STATE_BYTES]) -> Result<(State, P)> {
    let Some((s, version)) = State::decode_header(blob)? else {
        return Ok((State::fresh(P::KIND), P::decode(&[0; PAYLOAD_BYTES])?));
    };
    if s.kind != P::KIND {
        return Err(other_kind());
    }
    let p = payload_of::<P>(&s, version)?;
    // `s.payload` keeps the stored bytes: flows read and write the payload as `P` only.
    Ok((s, p))
}

/// Writes a blob whose state equals the fresh one as all zeros, the one encoding of "fresh".
pub(crate) fn canonicalize(blob: &mut [u8]) {
    if blob[2..].iter().all(|&b| b == 0) {
        blob[..2].fill(0);
    }
}

/// When the holder of this blob may try again (see [`State::retry_at`]); 0 for a fresh blob.
/// Any blob a flow reads is accepted, also one written by an earlier release.
///
/// # Errors
/// [`Error::InvalidArgument`] for a `now` outside [`crate::clock`]'s range;
/// [`Error::CorruptState`] for a blob that no flow would read (its payload is checked too).
pub fn retry_at(bytes: &[u8], now: u64) -> Result<u64> {
    crate::clock::check(now)?;
    Ok(State::decode_any(bytes)?.map_or(0, |s| s.retry_at(now)))
}

/// Clears the failure count and any lock, including a block (for the support desk or another
/// channel that has re-established who the person is). The flow's own data is kept, except
/// what its registry entry says those failures paid for (a PIN blob's pending attempts of the
/// two-phase protocol). A blob of an earlier release is written in the current layout.
///
/// # Errors
/// [`Error::CorruptState`] (and the blob is left unchanged) if no flow would read it.
pub fn reset(bytes: &mut [u8]) -> Result<()> {
    if let Some(mut s) = State::decode_any(bytes)? {
        kinds::reset_payload(&mut s); // first: its rules still see the failures
        s.failures = 0;
        s.locked_until = 0;
        bytes.copy_from_slice(&s.encode());
        canonicalize(bytes);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
        s2.locked_until = 1_700_000_000;
        s2.wait_until = 42;
        let b = s2.encode();
        assert_eq!((b[0], b[1]), (3, VERSION));
        assert_eq!(State::decode(&b, Kind::Otp).unwrap(), s2);
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
        // Version 1 is read (an earlier release's layout: `tests/upgrade.rs`); 0 and 3 are not.
        for (at, v) in [(0, 0), (0, 6), (0, 255), (1, 0), (1, 3), (1, 255), (4, 1), (7, 1)] {
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
