//! The state blob's codec, below every flow: the 64-byte layout (header + payload), [`Kind`],
//! the [`Payload`] trait a flow implements for its 40 payload bytes, and [`read_flow`]. The
//! public face is [`crate::state`], which adds the registry of kinds (the checks that need every
//! flow's codec) on top: flows import this module, `state` imports the flows, and nothing
//! imports back.
//!
//! # Layout (version 3), all integers little-endian
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
//! All zeros is a valid fresh state for every flow.

use crate::error::{Error, Result};

/// Size of every state blob.
pub const STATE_BYTES: usize = 64;
/// Current layout version: 2 since the link payload carries the issue number (issue 13), 3
/// since its child-data fingerprints are keyed (issue 20). Blobs of versions 1 and 2 are still
/// read (see [`State::decode_any`] and `docs/upgrading.md`) and written back as version 3.
pub const VERSION: u8 = 3;
/// The oldest layout version this library reads.
pub const OLDEST_VERSION: u8 = 1;
/// Bytes of a blob that belong to the flow.
pub const PAYLOAD_BYTES: usize = 40;
pub(crate) const PAYLOAD_AT: usize = STATE_BYTES - PAYLOAD_BYTES;

/// Which flow a state blob belongs to. The values are stored and never reused; each has a row in
/// the registry of kinds (`src/state/kinds.rs`, which the compiler makes complete).
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
    /// An account's recovery codes: the set id and the used codes (`crate::recovery`).
    Recovery = 6,
    /// An account's trusted devices: the device generation and the trusted lane's lockout
    /// (`crate::device`).
    Device = 7,
}

impl Kind {
    /// Every kind, in the order of their stored values (for tests, fuzz targets and tools that
    /// must cover every flow).
    pub const ALL: [Kind; 7] =
        [Kind::Link, Kind::Pin, Kind::Otp, Kind::Totp, Kind::Hotp, Kind::Recovery, Kind::Device];

    /// The kind stored as `v` (byte 0 of a blob).
    #[must_use]
    pub const fn from_u8(v: u8) -> Option<Self> {
        let mut i = 0;
        while i < Self::ALL.len() {
            if Self::ALL[i] as u8 == v {
                return Some(Self::ALL[i]);
            }
            i += 1;
        }
        None
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
    /// Flow-specific wait reported by [`crate::state::retry_at`] (e.g. the earliest next SMS send).
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

    /// The header and the raw payload bytes, with the layout version they were written in;
    /// `Ok(None)` for the all-zero blob. The payload is not looked at.
    #[inline(always)]
    pub(crate) fn decode_header(bytes: &[u8]) -> Result<Option<(Self, u8)>> {
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

pub(crate) fn other_kind() -> Error {
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
    /// What `state::revoke` does to the payload for the flags `what` (`state::REVOKE_*`, already
    /// checked): every outstanding code the flags name dies, so that the flow answers
    /// `NO_CHALLENGE` until it issues again; by default nothing (the flow holds no code).
    fn revoke(&mut self, what: u32) {
        let _ = what;
    }
    /// The recovery set this payload records (its id) and the codes of it left, if it records
    /// one (`state::events` compares two blobs with it); `None` for every other flow.
    fn recovery_left(&self) -> Option<([u8; 8], u32)> {
        None
    }
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
#[inline(always)]
pub(crate) fn payload_of<P: Payload>(s: &State, version: u8) -> Result<P> {
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
#[inline(always)]
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
#[inline(always)]
pub(crate) fn canonicalize(blob: &mut [u8]) {
    if blob[2..].iter().all(|&b| b == 0) {
        blob[..2].fill(0);
    }
}
