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
/// Current layout version: 2 since the link payload carries the issue number (issue 13); blobs
/// of version 1 are [`Error::CorruptState`].
pub const VERSION: u8 = 2;
/// Bytes of a blob that belong to the flow.
pub const PAYLOAD_BYTES: usize = 40;
pub(crate) const PAYLOAD_AT: usize = STATE_BYTES - PAYLOAD_BYTES;

/// Which flow a state blob belongs to. The values are stored and never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[repr(u8)]
pub enum Kind {
    /// A child record's link codes.
    Link = 1,
    /// An account's PIN verifications.
    Pin = 2,
    /// SMS / e-mail one-time codes.
    Otp = 3,
    /// An authenticator app, time-based (TOTP).
    Totp = 4,
    /// An authenticator app, counter-based (HOTP).
    Hotp = 5,
}

impl Kind {
    fn from_u8(v: u8) -> Option<Self> {
        Some(match v {
            1 => Kind::Link,
            2 => Kind::Pin,
            3 => Kind::Otp,
            4 => Kind::Totp,
            5 => Kind::Hotp,
            _ => return None,
        })
    }
}

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

    /// Decodes a blob for the flow `kind` (the all-zero blob is a fresh state of that kind).
    ///
    /// # Errors
    /// [`Error::CorruptState`] for a wrong length, another kind, an unknown version or non-zero
    /// reserved bytes.
    pub fn decode(bytes: &[u8], kind: Kind) -> Result<Self> {
        let s = Self::decode_any(bytes)?.unwrap_or_else(|| Self::fresh(kind));
        if s.kind != kind {
            return Err(Error::CorruptState
                .because(c"state: a blob of another flow (its kind byte names a different flow)"));
        }
        Ok(s)
    }

    /// Decodes a blob of any kind; `Ok(None)` for the all-zero fresh blob.
    ///
    /// # Errors
    /// As [`State::decode`].
    pub fn decode_any(bytes: &[u8]) -> Result<Option<Self>> {
        if bytes.len() != STATE_BYTES {
            return Err(Error::CorruptState.because(c"state_len: must be PCODES_STATE_BYTES (64)"));
        }
        if bytes.iter().all(|&b| b == 0) {
            return Ok(None);
        }
        let kind = Kind::from_u8(bytes[0]).ok_or_else(|| {
            Error::CorruptState.because(c"state: unknown kind byte (not a state blob, or damaged)")
        })?;
        if bytes[1] != VERSION {
            return Err(Error::CorruptState
                .because(c"state: blob version is not 2 (written by another library version, or damaged)"));
        }
        if bytes[4..8] != [0; 4] {
            return Err(Error::CorruptState.because(c"state: reserved bytes are not zero (damaged)"));
        }
        let mut payload = [0u8; PAYLOAD_BYTES];
        payload.copy_from_slice(&bytes[PAYLOAD_AT..]);
        Ok(Some(Self {
            kind,
            failures: u16::from_le_bytes([bytes[2], bytes[3]]),
            locked_until: u64_at(bytes, 8),
            wait_until: u64_at(bytes, 16),
            payload,
        }))
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

/// A flow's part of the blob: its own codec for the [`PAYLOAD_BYTES`] payload bytes. `decode`
/// refuses any bytes `encode` would not write ([`Error::CorruptState`]); the all-zero payload
/// is the flow's fresh state.
pub(crate) trait Payload: Sized {
    /// The flow the payload belongs to.
    const KIND: Kind;
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
}

/// Decodes `blob` as the flow of `P`: header, payload and the rules between them.
///
/// # Errors
/// [`Error::CorruptState`].
pub(crate) fn read_flow<P: Payload>(blob: &[u8; STATE_BYTES]) -> Result<(State, P)> {
    let s = State::decode(blob, P::KIND)?;
    let damaged = |e: Error| e.because(c"state: payload bytes its flow never writes (damaged)");
    let p = P::decode(&s.payload).map_err(damaged)?;
    p.check(&s).map_err(damaged)?;
    Ok((s, p))
}

/// The one way every flow reads and writes its blob: decode the header and the flow's payload
/// (on failure the blob is left untouched), run `f` on them, and write both back whatever `f`
/// returned (a refused attempt may still have changed the state, e.g. counted a failure).
/// A state equal to the fresh one is written as the all-zero blob, so a call that changed
/// nothing in a fresh blob leaves it as it was.
pub(crate) fn with_flow<P: Payload, T>(
    blob: &mut [u8; STATE_BYTES],
    f: impl FnOnce(&mut State, &mut P) -> Result<T>,
) -> Result<T> {
    let (mut s, mut p) = read_flow::<P>(blob)?;
    let r = f(&mut s, &mut p);
    s.encode_header(blob);
    let payload = &mut blob[PAYLOAD_AT..];
    payload.fill(0);
    p.encode(payload);
    canonicalize(blob);
    r
}

/// Writes a blob whose state equals the fresh one as all zeros, the one encoding of "fresh".
fn canonicalize(blob: &mut [u8]) {
    if blob[2..].iter().all(|&b| b == 0) {
        blob[..2].fill(0);
    }
}

/// When the holder of this blob may try again (see [`State::retry_at`]); 0 for a fresh blob.
///
/// # Errors
/// [`Error::InvalidArgument`] for a `now` outside [`crate::clock`]'s range;
/// [`Error::CorruptState`] for a blob that is not a valid state of any kind.
pub fn retry_at(bytes: &[u8], now: u64) -> Result<u64> {
    crate::clock::check(now)?;
    Ok(State::decode_any(bytes)?.map_or(0, |s| s.retry_at(now)))
}

/// Clears the failure count and any lock, including a block (for the support desk or another
/// channel that has re-established who the person is). The flow's own data is kept, except
/// what those failures paid for: a PIN blob's pending attempts of the two-phase protocol.
///
/// # Errors
/// [`Error::CorruptState`] (and the blob is left unchanged) if it is not a valid state.
pub fn reset(bytes: &mut [u8]) -> Result<()> {
    if let Some(mut s) = State::decode_any(bytes)? {
        s.failures = 0;
        s.locked_until = 0;
        if s.kind == Kind::Pin {
            s.payload = [0; PAYLOAD_BYTES];
        }
        bytes.copy_from_slice(&s.encode());
        canonicalize(bytes);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_blob_round_trip() {
        let zero = [0u8; STATE_BYTES];
        let s = State::decode(&zero, Kind::Otp).unwrap();
        assert_eq!(s, State::fresh(Kind::Otp));
        let mut s2 = s.clone();
        s2.failures = 513;
        s2.locked_until = 1_700_000_000;
        s2.wait_until = 42;
        s2.payload[0] = 9;
        s2.payload[39] = 7;
        let b = s2.encode();
        assert_eq!((b[0], b[1]), (3, VERSION));
        assert_eq!(State::decode(&b, Kind::Otp).unwrap(), s2);
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
        for (at, v) in [(0, 0), (0, 6), (0, 255), (1, 0), (1, 1), (1, 3), (4, 1), (7, 1)] {
            let mut x = b;
            x[at] = v;
            assert_eq!(State::decode(&x, Kind::Link), Err(Error::CorruptState), "byte {at}={v}");
        }
        // Garbage in an all-but-header-zero blob is not "fresh".
        let mut g = [0u8; STATE_BYTES];
        g[40] = 1;
        assert_eq!(State::decode(&g, Kind::Link), Err(Error::CorruptState));
    }

    /// `reset` clears what failures paid for (a PIN blob's pending attempts) and keeps every
    /// other flow's payload; a state left equal to the fresh one becomes all zeros.
    #[test]
    fn reset_keeps_payloads_but_pin_credits() {
        for kind in [Kind::Link, Kind::Otp, Kind::Totp, Kind::Hotp, Kind::Pin] {
            let mut s = State::fresh(kind);
            s.failures = 3;
            s.payload[0] = 2;
            let mut b = s.encode();
            reset(&mut b).unwrap();
            if kind == Kind::Pin {
                assert_eq!(b, [0; STATE_BYTES], "PIN credits go with the failures");
            } else {
                let after = State::decode(&b, kind).unwrap();
                assert_eq!((after.failures, after.payload[0]), (0, 2), "{kind:?}");
            }
        }
    }

    #[test]
    fn retry_at_and_reset() {
        assert_eq!(retry_at(&[0; 64], 100), Ok(0));
        assert_eq!(retry_at(&[0; 64], 0), Err(Error::InvalidArgument));
        assert_eq!(retry_at(&[0; 64], crate::clock::MAX_NOW + 1), Err(Error::InvalidArgument));
        assert_eq!(retry_at(&[0; 63], 100), Err(Error::CorruptState));
        let mut s = State::fresh(Kind::Pin);
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
        let after = State::decode(&b, Kind::Pin).unwrap();
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
