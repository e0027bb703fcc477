//! Link codes: the code that attaches a child's record to a parent's account.
//!
//! The portal issues a code when a child's profile is created or changed ([`issue`]) and shows
//! it in the child's card; the parent types or pastes it. The host finds the record with
//! [`parse`] (no key needed), loads the child's current data and the record's state blob, and
//! calls [`redeem`]. `docs/link-code.md` has the bit layout, the check-symbol construction,
//! the canonicalisation rules and test vectors.
//!
//! # The code
//! 25 symbols of Crockford's base32 (`0-9 A-Z` without `I L O U`), shown as
//! `XXXXX-XXXXX-XXXXX-XXXXX-XXXXX`: 24 data symbols carrying 120 bits, most significant first,
//!
//! | bits | field |
//! |---|---|
//! | 4  | key id (0–15) |
//! | 40 | record id (0 – 2⁴⁰−1) |
//! | 24 | issue time, minutes since 2020-01-01 00:00 UTC ([`EPOCH`]; ≈ 31.9 years, to 2051-11) |
//! | 12 | random (CSPRNG) |
//! | 40 | tag: the first 5 bytes of HMAC-SHA256(link key, `"portal-codes/link/v1"` ‖ the 80 bits above as 10 bytes ‖ child fingerprint) |
//!
//! and a check symbol (see [`code`] for why it catches every single substitution and
//! every adjacent transposition). The link key is the context's derived `Purpose::Link` key of
//! the code's key id; the fingerprint is [`Child::fingerprint`].
//!
//! # State payload (40 bytes of the record's [state blob](crate::state))
//!
//! | bytes | field |
//! |---|---|
//! | 0 | flags: 1 = a code was issued, 2 = it was redeemed, 4 = a previous fingerprint is kept |
//! | 1..6 | issue id of the latest code: bytes 5..10 of the HMAC whose bytes 0..5 are the tag (it binds every field of the code, but reveals nothing about the tag) |
//! | 6..10 | issue time of the latest code, seconds since [`EPOCH`] (u32 LE) |
//! | 10..25 | child fingerprint at the latest issue |
//! | 25..40 | child fingerprint at the issue before it |
//!
//! # Redeem verdicts, first that applies
//! lock ([`Error::Locked`]/[`Error::Blocked`]), [`Error::Mistyped`], [`Error::UnknownKey`],
//! [`Error::Wrong`] (the only one counted as a failure), [`Error::DataChanged`],
//! [`Error::Superseded`], [`Error::AlreadyUsed`], [`Error::Expired`], then OK. A verdict after
//! `WRONG` is only ever given to a code whose tag verified.

pub mod child;
pub mod code;

use zeroize::Zeroize;

use crate::context::Context;
use crate::error::{Error, Result};
use crate::keys::Purpose;
use crate::lockout;
use crate::mac::{self, HmacKey, Sha256};
use crate::rng::CryptoRng;
use crate::state::{Kind, PAYLOAD_AT, PAYLOAD_BYTES, STATE_BYTES, State};

pub use child::{Child, FIELD_BIRTH_DATE, FIELD_FULL_NAME, FIELD_SEX, FIELD_SNILS, FINGERPRINT_BYTES};
pub use code::{DISPLAY_LEN, SYMBOLS};

/// The code's time origin: 2020-01-01 00:00:00 UTC, in unix seconds.
pub const EPOCH: u64 = 1_577_836_800;
/// Largest record id (2⁴⁰ − 1).
pub const MAX_RECORD_ID: u64 = (1 << 40) - 1;
/// Largest issue time in minutes since [`EPOCH`] (2²⁴ − 1, in November 2051).
pub const MAX_MINUTES: u32 = (1 << 24) - 1;
/// Buffer size for a code in C: the display form plus a NUL.
pub const CODE_BYTES: usize = DISPLAY_LEN + 1;
/// Bytes of the tag kept in the code (40 bits).
pub const TAG_BYTES: usize = 5;
/// Bytes of the issue id kept in the state (the next 40 bits of the same HMAC).
const ID_BYTES: usize = 5;

/// Domain-separation prefix of the tag's HMAC input.
const TAG_DOMAIN: &[u8] = b"portal-codes/link/v1";

const FLAG_ISSUED: u8 = 1;
const FLAG_REDEEMED: u8 = 2;
const FLAG_PREVIOUS: u8 = 4;

/// An issued link code in display form (`XXXXX-XXXXX-XXXXX-XXXXX-XXXXX`).
///
/// It is a secret until redeemed: `Debug` does not show it, and it is zeroized on drop.
pub struct LinkCode {
    text: [u8; DISPLAY_LEN],
}

impl LinkCode {
    /// The display form.
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Always ASCII from the alphabet and '-'.
        core::str::from_utf8(&self.text).unwrap_or_default()
    }
}

impl core::fmt::Debug for LinkCode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("LinkCode(..)")
    }
}

impl Drop for LinkCode {
    fn drop(&mut self) {
        self.text.zeroize();
    }
}

/// The fields of a code that passed its check symbol.
struct Decoded {
    /// Key id, record id, minutes and random: the first 80 bits, big-endian.
    head: [u8; 10],
    tag: [u8; TAG_BYTES],
    key_id: u8,
    record_id: u64,
    minutes: u32,
}

impl Drop for Decoded {
    fn drop(&mut self) {
        self.tag.zeroize();
    }
}

fn head(key_id: u8, record_id: u64, minutes: u32, random: u16) -> [u8; 10] {
    let v: u128 = (u128::from(key_id) << 76)
        | (u128::from(record_id) << 36)
        | (u128::from(minutes) << 12)
        | u128::from(random & 0xfff);
    let b = v.to_be_bytes();
    let mut h = [0u8; 10];
    h.copy_from_slice(&b[6..]);
    h
}

// The casts below take fields out of a 120-bit number after masking them to their width.
#[allow(clippy::cast_possible_truncation)]
fn decode(text: &str) -> Result<Decoded> {
    let mut bits = code::read_symbols(text)? >> 5; // the 120 data bits
    let b = bits.to_be_bytes(); // 16 bytes; the 120 bits are the last 15
    bits.zeroize();
    let mut d = Decoded { head: [0; 10], tag: [0; TAG_BYTES], key_id: b[1] >> 4, record_id: 0, minutes: 0 };
    d.head.copy_from_slice(&b[1..11]);
    d.tag.copy_from_slice(&b[11..16]);
    let h = d.head.iter().fold(0u128, |a, &x| (a << 8) | u128::from(x));
    d.record_id = ((h >> 36) as u64) & MAX_RECORD_ID;
    d.minutes = ((h >> 12) as u32) & MAX_MINUTES;
    Ok(d)
}

/// The code's tag (MAC bytes 0..5) and its issue id (MAC bytes 5..10), which the state keeps to
/// recognise the latest code without holding anything that reveals the code.
fn tag(
    key: &HmacKey<Sha256>,
    head: &[u8; 10],
    fp: &[u8; FINGERPRINT_BYTES],
) -> ([u8; TAG_BYTES], [u8; ID_BYTES]) {
    let mut full = key.mac(&[TAG_DOMAIN, head, fp]);
    let mut t = [0u8; TAG_BYTES];
    let mut id = [0u8; ID_BYTES];
    t.copy_from_slice(&full[..TAG_BYTES]);
    id.copy_from_slice(&full[TAG_BYTES..TAG_BYTES + ID_BYTES]);
    full.zeroize();
    (t, id)
}

fn display(head: &[u8; 10], tag: [u8; TAG_BYTES]) -> LinkCode {
    let mut bits = head.iter().chain(&tag).fold(0u128, |a, &x| (a << 8) | u128::from(x));
    let text = code::display(bits);
    bits.zeroize();
    LinkCode { text }
}

/// The link flow's part of a state blob (see the module docs).
#[derive(Clone, Copy, PartialEq, Eq)]
struct Payload {
    flags: u8,
    id: [u8; ID_BYTES],
    issued_at: u32,
    fp: [u8; FINGERPRINT_BYTES],
    previous_fp: [u8; FINGERPRINT_BYTES],
}

impl Payload {
    fn read(p: &[u8; PAYLOAD_BYTES]) -> Result<Self> {
        let mut s = Self {
            flags: p[0],
            id: [0; ID_BYTES],
            issued_at: u32::from_le_bytes([p[6], p[7], p[8], p[9]]),
            fp: [0; FINGERPRINT_BYTES],
            previous_fp: [0; FINGERPRINT_BYTES],
        };
        s.id.copy_from_slice(&p[1..6]);
        s.fp.copy_from_slice(&p[10..25]);
        s.previous_fp.copy_from_slice(&p[25..40]);
        let known = FLAG_ISSUED | FLAG_REDEEMED | FLAG_PREVIOUS;
        if s.flags & !known != 0
            || (s.flags & FLAG_ISSUED == 0 && *p != [0; PAYLOAD_BYTES])
            || s.issued_at / 60 > MAX_MINUTES
        {
            return Err(Error::CorruptState);
        }
        Ok(s)
    }

    /// Writes the payload into `p` (`PAYLOAD_BYTES` long: the payload part of a state blob).
    fn write(&self, p: &mut [u8]) {
        p[0] = self.flags;
        p[1..6].copy_from_slice(&self.id);
        p[6..10].copy_from_slice(&self.issued_at.to_le_bytes());
        p[10..25].copy_from_slice(&self.fp);
        p[25..40].copy_from_slice(&self.previous_fp);
    }

    fn issued(&self) -> bool {
        self.flags & FLAG_ISSUED != 0
    }
}

/// Decodes the blob, runs `f`, and writes the new state back on every return after a
/// successful decode.
fn with_state<T>(
    state: &mut [u8; STATE_BYTES],
    f: impl FnOnce(&mut State, &mut Payload) -> Result<T>,
) -> Result<T> {
    let mut s = State::decode(state, Kind::Link)?;
    let mut p = Payload::read(&s.payload)?;
    let r = f(&mut s, &mut p);
    s.encode_header(state);
    p.write(&mut state[PAYLOAD_AT..]);
    r
}

/// Issues a new link code for record `record_id` and `child` at `now` (unix seconds); it
/// supersedes every earlier code of the record. The state keeps the lockout counters as they
/// are (issuing is the portal's act, not an attempt).
///
/// The random part is 12 bits from `rng`; if the code would equal the record's latest one, it
/// is drawn again, so two codes issued within one minute always differ.
///
/// # Errors
/// [`Error::CorruptState`] (blob untouched); [`Error::InvalidArgument`] for a record id above
/// [`MAX_RECORD_ID`] or a `now` before 2020 or after the code's time range; then the child's
/// data as in [`Child::validate`]: [`Error::MissingField`], [`Error::InvalidBirthDate`],
/// [`Error::InvalidArgument`] (sex), [`Error::InvalidSnils`].
pub fn issue_with_rng<R: CryptoRng + ?Sized>(
    ctx: &Context,
    record_id: u64,
    child: &Child<'_>,
    now: u64,
    state: &mut [u8; STATE_BYTES],
    rng: &mut R,
) -> Result<LinkCode> {
    with_state(state, |_, p| {
        if record_id > MAX_RECORD_ID {
            return Err(Error::InvalidArgument);
        }
        let secs = now.checked_sub(EPOCH).ok_or(Error::InvalidArgument)?;
        let minutes =
            u32::try_from(secs / 60).ok().filter(|&m| m <= MAX_MINUTES).ok_or(Error::InvalidArgument)?;
        let fp = child.fingerprint(now)?;
        let (key_id, key) = ctx.keys().current(Purpose::Link);
        // Redraw while the code would equal the latest one (same key, minute and random).
        let (h, mut t, id) = loop {
            let random = (rng.next_u32() & 0xfff) as u16;
            let h = head(key_id, record_id, minutes, random);
            let (t, id) = tag(key, &h, &fp);
            if !(p.issued() && mac::ct_eq(&id, &p.id)) {
                break (h, t, id);
            }
        };
        let code = display(&h, t);
        t.zeroize();
        let previous = if p.issued() { FLAG_PREVIOUS } else { 0 };
        *p = Payload {
            flags: FLAG_ISSUED | previous,
            id,
            // Fits: minutes ≤ 2²⁴ − 1, so seconds < 2³⁰.
            issued_at: u32::try_from(secs).map_err(|_| Error::InvalidArgument)?,
            fp,
            previous_fp: if p.issued() { p.fp } else { [0; FINGERPRINT_BYTES] },
        };
        Ok(code)
    })
}

/// [`issue_with_rng`] with this thread's OS-seeded generator ([`crate::rng::with_system_rng`]).
///
/// # Errors
/// As [`issue_with_rng`], and [`Error::RngFailure`] if the operating system's randomness is unavailable.
#[cfg(feature = "std")]
pub fn issue(
    ctx: &Context,
    record_id: u64,
    child: &Child<'_>,
    now: u64,
    state: &mut [u8; STATE_BYTES],
) -> Result<LinkCode> {
    crate::rng::with_system_rng(16, |rng| issue_with_rng(ctx, record_id, child, now, state, rng))?
}

/// The record id a typed code names, without any key: for the host to find the record before
/// [`redeem`]. Lower case, spaces, hyphens (anywhere), Crockford's aliases (O → 0, I/L → 1) and
/// Cyrillic look-alike letters are accepted.
///
/// # Errors
/// [`Error::Mistyped`] if the text is not 25 symbols of the alphabet with a valid check symbol.
pub fn parse(code: &str) -> Result<u64> {
    decode(code).map(|d| d.record_id)
}

/// Redeems a typed code for the record whose current child data is `child` and whose state
/// blob is `state`, at `now`. On success the code is marked used and the failure count is
/// cleared.
///
/// The child's data is taken as it is now: if it is incomplete or invalid it simply does not
/// match the data the code was issued for (so an authentic code gets [`Error::DataChanged`]).
///
/// # Errors
/// [`Error::CorruptState`] (blob untouched); then the first that applies:
/// [`Error::Blocked`] / [`Error::Locked`]; [`Error::Mistyped`] (alphabet, length or check
/// symbol); [`Error::UnknownKey`] (the code's key id is not in the context);
/// [`Error::Wrong`] (the tag does not verify: counted by the lockout engine);
/// [`Error::DataChanged`] (authentic, issued for this record's data as it was at the latest or
/// the previous issue, and the data is different now); [`Error::Superseded`] (authentic, but
/// not the latest code, or the state knows of no issued code); [`Error::AlreadyUsed`];
/// [`Error::Expired`] (`now` is `LINK_TTL_SECONDS` or more after the issue).
pub fn redeem(
    ctx: &Context,
    code: &str,
    child: &Child<'_>,
    now: u64,
    state: &mut [u8; STATE_BYTES],
) -> Result<()> {
    with_state(state, |s, p| {
        lockout::check(s, now)?;
        let d = decode(code)?;
        let key = ctx.keys().get(Purpose::Link, u32::from(d.key_id))?;
        // The issue id of the code if its tag verifies with fingerprint `fp`.
        let verify = |fp: &[u8; FINGERPRINT_BYTES]| {
            let (mut t, id) = tag(key, &d.head, fp);
            let ok = mac::ct_eq(&t, &d.tag);
            t.zeroize();
            ok.then_some(id)
        };
        let verifies = |fp: &[u8; FINGERPRINT_BYTES]| verify(fp).is_some();
        let now_fp = child.fingerprint(now).ok();
        if let Some(id) = now_fp.as_ref().and_then(verify) {
            // The latest code is the one whose issue id the state keeps (the MAC binds key id,
            // record id, minute, random and data).
            let latest = p.issued() && mac::ct_eq(&p.id, &id) && p.issued_at / 60 == d.minutes;
            if !latest {
                return Err(Error::Superseded);
            }
            if p.flags & FLAG_REDEEMED != 0 {
                return Err(Error::AlreadyUsed);
            }
            let issued = EPOCH + u64::from(p.issued_at);
            if now.saturating_sub(issued) >= ctx.policy().link_ttl_seconds {
                return Err(Error::Expired);
            }
            p.flags |= FLAG_REDEEMED;
            lockout::record_success(s);
            return Ok(());
        }
        let differs = |fp: &[u8; FINGERPRINT_BYTES]| now_fp.as_ref() != Some(fp);
        let at_issue = p.issued() && differs(&p.fp) && verifies(&p.fp);
        let at_previous =
            !at_issue && p.flags & FLAG_PREVIOUS != 0 && differs(&p.previous_fp) && verifies(&p.previous_fp);
        if at_issue || at_previous {
            return Err(Error::DataChanged);
        }
        lockout::record_failure(s, ctx.policy(), now);
        Err(Error::Wrong)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_packs_fields() {
        let h = head(0xF, MAX_RECORD_ID, MAX_MINUTES, 0xfff);
        assert_eq!(h, [0xff; 10]);
        let h = head(1, 2, 3, 4);
        // 0001 | 40-bit 2 | 24-bit 3 | 12-bit 4
        let v = h.iter().fold(0u128, |a, &x| (a << 8) | u128::from(x));
        assert_eq!(v, (1 << 76) | (2 << 36) | (3 << 12) | 4);
    }

    #[test]
    fn decode_inverts_display() {
        let h = head(9, 123_456_789_012, 2_000_000, 0xabc);
        let t = [1, 2, 3, 4, 5];
        let c = display(&h, t);
        let d = decode(c.as_str()).unwrap();
        assert_eq!((d.key_id, d.record_id, d.minutes), (9, 123_456_789_012, 2_000_000));
        assert_eq!((d.head, d.tag), (h, t));
        assert_eq!(std::format!("{c:?}"), "LinkCode(..)");
    }

    #[test]
    fn payload_round_trip_and_corruption() {
        let mut raw = [0u8; PAYLOAD_BYTES];
        let fresh = Payload::read(&raw).unwrap();
        assert!(!fresh.issued());
        let p = Payload {
            flags: FLAG_ISSUED | FLAG_PREVIOUS,
            id: [1, 2, 3, 4, 5],
            issued_at: 1 << 29,
            fp: [7; FINGERPRINT_BYTES],
            previous_fp: [8; FINGERPRINT_BYTES],
        };
        p.write(&mut raw);
        assert!(Payload::read(&raw).unwrap() == p);
        for (at, v) in [(0, 8), (0, 0x80), (9, 0x40)] {
            let mut x = raw;
            x[at] = v;
            assert_eq!(Payload::read(&x).err(), Some(Error::CorruptState), "{at}={v}");
        }
        let mut x = [0u8; PAYLOAD_BYTES];
        x[20] = 1;
        assert_eq!(Payload::read(&x).err(), Some(Error::CorruptState), "data without an issue");
    }
}
