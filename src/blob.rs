//! The state blob's codec, below every flow: the 64-byte layout (header + payload), [`Kind`],
//! the [`Payload`] trait a flow implements for its 40 payload bytes, and [`read_flow`]. The
//! public face is [`crate::state`], which adds the registry of kinds (the checks that need every
//! flow's codec) on top: flows import this module, `state` imports the flows, and nothing
//! imports back.
//!
//! # Layout (version 4), all integers little-endian
//!
//! | bytes  | field | meaning |
//! |--------|-------|---------|
//! | 0      | kind  | [`Kind`]; 0 only in the all-zero fresh blob |
//! | 1      | version | [`VERSION`] (0 only in the fresh blob) |
//! | 2..4   | failures | the run of failures counted by the [lockout engine](crate::lockout) (it fades) |
//! | 4      | budget | guesses charged to the long-horizon budget at `budget_at` |
//! | 5..8   | lock | u24: `locked_until − last_failure`; 0 = no lock, `0xFFFFFF` = blocked |
//! | 8..13  | last_failure | u40: unix seconds of the latest counted failure; 0 = unknown |
//! | 13..16 | budget_lag | u24: `last_failure − budget_at` (0 when `budget` is 0) |
//! | 16..24 | wait_until | flow-specific wait (for SMS codes: earliest next send), 0 = none |
//! | 24..64 | payload | [`PAYLOAD_BYTES`] bytes owned by the flow (see each flow's docs) |
//!
//! All zeros is a valid fresh state for every flow. Layouts 1–3 had `failures` at 2..4, four
//! zero bytes, and an absolute `locked_until` (u64) at 8..16; they are read as
//! [`State::decode_header`] says (`docs/upgrading.md`).

use crate::error::{Error, Result};

/// Size of every state blob.
pub const STATE_BYTES: usize = 64;
/// Current layout version: 2 since the link payload carries the issue number (issue 13), 3
/// since its child-data fingerprints are keyed (issue 20), 4 since failures fade and a
/// long-horizon guess budget is kept (issue 22 §2). Blobs of versions 1–3 are still read (see
/// [`State::decode_any`] and `docs/upgrading.md`) and written back as version 4.
pub const VERSION: u8 = 4;
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
    /// The run of failures as stored (see [`crate::lockout`]): a run whose last failure is
    /// `FAILURE_RESET_SECONDS` or more before `now` no longer counts ([`crate::lockout::fade`]).
    pub failures: u16,
    /// Unix seconds until which the flow is locked; `u64::MAX` means blocked until reset.
    /// Stored relative to `last_failure` (at most `MAX_LOCK_SECONDS` = 194 days after it).
    pub locked_until: u64,
    /// Unix seconds of the latest counted failure; 0 = unknown (a run written by a release
    /// before layout 4 without a lock: it fades only after its next failure).
    pub last_failure: u64,
    /// Guesses charged to the long-horizon budget as of `budget_at` (one per counted failure,
    /// one drains every `BUDGET_DRAIN_SECONDS`; a success does not clear it, [`crate::state::reset`] does).
    pub budget: u8,
    /// The budget's clock: unix seconds from which whole drain periods are counted (0 when
    /// `budget` is 0; less than one drain period before `last_failure`).
    pub budget_at: u64,
    /// Flow-specific wait reported by [`crate::state::retry_at`] (e.g. the earliest next SMS send).
    pub wait_until: u64,
    /// The flow's own bytes.
    pub payload: [u8; PAYLOAD_BYTES],
}

/// `locked_until` value meaning "blocked until reset".
pub const BLOCKED: u64 = u64::MAX;

/// The longest lock layout 4 stores (`lock` is a u24 after `last_failure`, `0xFFFFFF` = blocked):
/// 194 days; every lock the policy can set is shorter (a week, or one `BUDGET_DRAIN_SECONDS` of
/// at most 180 days).
pub const MAX_LOCK_SECONDS: u64 = 0xFF_FFFE;
/// The largest `last_failure − budget_at` layout 4 stores (u24): less than one drain period.
pub const MAX_BUDGET_LAG: u64 = 0xFF_FFFF;
/// The largest `last_failure` layout 4 stores (u40), beyond `clock::MAX_NOW`.
const MAX_STORED_TIME: u64 = (1 << 40) - 1;
const LOCK_BLOCKED: u32 = 0xFF_FFFF;

#[inline(always)]
fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(w)
}

/// The little-endian unsigned integer in the `N` bytes at `at` (1 ≤ `N` ≤ 8; `b` must hold 8
/// bytes from `at`, as every header field read with it does): one 8-byte load and a mask (read
/// byte-wise into a buffer, a 5-byte field took a 4-byte and a 1-byte load and their merge).
#[inline(always)]
fn uint<const N: usize>(b: &[u8], at: usize) -> u64 {
    u64_at(b, at) & (u64::MAX >> (64 - 8 * N))
}

/// Writes the low `N` bytes of `v` at `at`, little-endian.
#[inline(always)]
fn put_uint<const N: usize>(b: &mut [u8], at: usize, v: u64) {
    b[at..at + N].copy_from_slice(&v.to_le_bytes()[..N]);
}

impl State {
    /// A fresh state of `kind`.
    #[must_use]
    pub fn fresh(kind: Kind) -> Self {
        Self {
            kind,
            failures: 0,
            locked_until: 0,
            last_failure: 0,
            budget: 0,
            budget_at: 0,
            wait_until: 0,
            payload: [0; PAYLOAD_BYTES],
        }
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
        let mut payload = [0u8; PAYLOAD_BYTES];
        payload.copy_from_slice(&bytes[PAYLOAD_AT..]);
        let mut s = Self::fresh(kind);
        s.failures = u16::from_le_bytes([bytes[2], bytes[3]]);
        s.wait_until = u64_at(bytes, 16);
        s.payload = payload;
        if version < 4 {
            if bytes[4..8] != [0; 4] {
                return Err(Error::CorruptState.because(c"state: reserved bytes are not zero (damaged)"));
            }
            s.set_lock_of_earlier_layout(u64_at(bytes, 8));
            return Ok(Some((s, version)));
        }
        let (budget, lock, lag) = (bytes[4], uint::<3>(bytes, 5), uint::<3>(bytes, 13));
        s.last_failure = uint::<5>(bytes, 8);
        let stray_lock = lock != 0 && lock != u64::from(LOCK_BLOCKED) && s.last_failure == 0;
        if (budget == 0 && lag != 0) || lag > s.last_failure || stray_lock {
            return Err(
                Error::CorruptState.because(c"state: lockout header bytes no release writes (damaged)")
            );
        }
        s.budget = budget;
        s.budget_at = if budget == 0 { 0 } else { s.last_failure - lag };
        s.locked_until = match lock {
            0 => 0,
            l if l == u64::from(LOCK_BLOCKED) => BLOCKED,
            l => s.last_failure + l,
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
    ///
    /// Returns whether the header bytes after the kind and version (`b[2..PAYLOAD_AT]`) are all
    /// zero, told from the values written rather than by reading the bytes back (a read right
    /// after these narrow stores would wait for them, issue 23): with the payload, what
    /// [`canonicalize`] needs.
    pub(crate) fn encode_header(&self, b: &mut [u8; STATE_BYTES]) -> bool {
        b[0] = self.kind as u8;
        b[1] = VERSION;
        b[2..4].copy_from_slice(&self.failures.to_le_bytes());
        let (last, lock) = self.stored_lock();
        b[4] = self.budget;
        put_uint::<3>(b, 5, lock);
        put_uint::<5>(b, 8, last);
        let lag = if self.budget == 0 { 0 } else { last.saturating_sub(self.budget_at).min(MAX_BUDGET_LAG) };
        put_uint::<3>(b, 13, lag);
        b[16..24].copy_from_slice(&self.wait_until.to_le_bytes());
        (u64::from(self.failures) | u64::from(self.budget) | lock | last | lag | self.wait_until) == 0
    }

    /// `last_failure` and `lock` as layout 4 stores them. The lockout engine only writes locks
    /// it can store; a hand-made state whose lock cannot be told relative to `last_failure` is
    /// stored as the upgrade of an earlier layout's lock is (`last_failure` the second before
    /// the lock ends), so the lock ends at the same second.
    fn stored_lock(&self) -> (u64, u64) {
        let last = self.last_failure.min(MAX_STORED_TIME);
        match self.locked_until {
            // A lock that ends at second 1 (or before the last failure) has ended for every `now`.
            0 | 1 => (last, 0),
            BLOCKED => (last, u64::from(LOCK_BLOCKED)),
            until if last != 0 && until <= last => (last, 0),
            until if last != 0 && until - last <= MAX_LOCK_SECONDS => (last, until - last),
            until => {
                let last = (until - 1).min(MAX_STORED_TIME);
                (last, (until - last).min(MAX_LOCK_SECONDS))
            }
        }
    }

    /// Reads the absolute `locked_until` of layouts 1–3 (issue 22 §2): a lock becomes
    /// `last_failure = locked_until − 1` and a one-second lock after it, so it ends at exactly
    /// the same second and its run fades later than the real one would, never earlier; a block
    /// stays a block; a run without a lock gets `last_failure = 0` (unknown: it fades only after
    /// its next failure). The budget starts empty. (A lock that ended at second 1 has ended for
    /// every `now` and reads as none; one beyond layout 4's u40 clock, past the year 36812, as
    /// ending there.)
    fn set_lock_of_earlier_layout(&mut self, locked_until: u64) {
        self.locked_until = if locked_until == 1 { 0 } else { locked_until };
        if self.locked_until != 0 && locked_until != BLOCKED {
            let until = locked_until.min(MAX_STORED_TIME + 1);
            self.last_failure = until - 1;
            self.locked_until = until;
        }
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
    /// `true` only if [`Payload::encode`] surely writes a non-zero byte for `self`: a blob holding
    /// it is then never the fresh one, and [`crate::flow`] does not read the payload back to
    /// find out ([`canonicalize_after_header`]; a read right after the payload's stores waits
    /// for them, issue 23). `false`, "don't know", by default.
    #[inline(always)]
    fn surely_not_zero(&self) -> bool {
        false
    }
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
    /// The device tokens issued so far and the latest issue time, if the payload records them
    /// (`state::events` reports a new trusted device with it); `None` for every other flow.
    fn devices_issued(&self) -> Option<(u32, u64)> {
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
    payload_from(s, version, &s.payload)
}

/// [`payload_of`] with the payload read from `bytes`, which must equal `s.payload` (the blob's
/// own bytes: [`read_flow`] decodes from the caller's blob, not from the copy just stored into
/// `s`, whose bytes a decoder reading at other offsets would wait for; issue 23).
#[inline(always)]
fn payload_from<P: Payload>(s: &State, version: u8, bytes: &[u8; PAYLOAD_BYTES]) -> Result<P> {
    if !P::WAITS && s.wait_until != 0 {
        return Err(damaged(Error::CorruptState));
    }
    let p = if version == VERSION { P::decode(bytes) } else { P::upgrade(version, s, bytes) };
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
    let bytes = blob.last_chunk::<PAYLOAD_BYTES>().ok_or(Error::Internal)?;
    let p = payload_from::<P>(&s, version, bytes)?;
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

/// [`canonicalize`] for a blob whose header was just written by [`State::encode_header`],
/// which said whether its bytes after the kind and version are zero (`header_zero`): the
/// payload is read back only then (a blob whose header is not zero is never the fresh one).
#[inline(always)]
pub(crate) fn canonicalize_after_header(blob: &mut [u8; STATE_BYTES], header_zero: bool) {
    if header_zero {
        canonicalize_payload(blob);
    }
}

/// The payload half of [`canonicalize_after_header`], out of line: inlined, the compiler read
/// the payload bytes back (just written, so the read waited for the stores) before it looked
/// at `header_zero`.
#[inline(never)]
fn canonicalize_payload(blob: &mut [u8; STATE_BYTES]) {
    if blob[PAYLOAD_AT..].iter().all(|&b| b == 0) {
        blob[..2].fill(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `encode_header`'s answer and `canonicalize_after_header` give the blob `encode` and
    /// `canonicalize` give, for every combination of zero and non-zero header fields (locks
    /// that are stored as none among them) and a zero or non-zero payload byte at each place.
    #[test]
    fn header_zero_agrees_with_the_bytes() {
        let times = [0, 1, 2, 1_750_000_000, MAX_STORED_TIME, BLOCKED];
        let mut seen = [0usize; 2];
        for kind in Kind::ALL {
            for failures in [0, 1, 0x100] {
                for budget in [0, 1] {
                    for locked_until in times {
                        for last_failure in times {
                            for budget_at in [0, 1, 1_749_999_000] {
                                for wait_until in [0, 1, 1 << 40] {
                                    for at in [None, Some(0), Some(PAYLOAD_BYTES - 1), Some(17)] {
                                        let mut s = State::fresh(kind);
                                        (s.failures, s.budget, s.locked_until) =
                                            (failures, budget, locked_until);
                                        (s.last_failure, s.budget_at, s.wait_until) =
                                            (last_failure, budget_at, wait_until);
                                        if let Some(i) = at {
                                            s.payload[i] = 0x5a;
                                        }
                                        let mut want = s.encode();
                                        canonicalize(&mut want);
                                        let mut got = [0xEE; STATE_BYTES];
                                        let zero = s.encode_header(&mut got);
                                        assert_eq!(zero, got[2..PAYLOAD_AT].iter().all(|&b| b == 0), "{s:?}");
                                        got[PAYLOAD_AT..].copy_from_slice(&s.payload);
                                        canonicalize_after_header(&mut got, zero);
                                        assert_eq!(got, want, "{s:?}");
                                        seen[usize::from(zero)] += 1;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assert!(seen[0] > 0 && seen[1] > 0, "{seen:?}");
    }
}
