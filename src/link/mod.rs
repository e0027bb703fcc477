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
//! | 40 | tag: the first 5 bytes of HMAC-SHA256(link key, `"portal-codes/link/v2"` ‖ the 80 bits above as 10 bytes ‖ child fingerprint ‖ issue number, u32 big-endian) |
//!
//! and a check symbol (see [`code`] for why it catches every single substitution and
//! every adjacent transposition). The link key is the context's derived `Purpose::Link` key of
//! the code's key id; the fingerprint is [`Child::fingerprint`], keyed with that same link key
//! (its own domain-separation string, `"portal-codes/child/v2"`); the issue number counts the
//! record's issues (1, 2, …) and is kept in the state, so no later issue can recreate an
//! earlier code.
//!
//! # State payload (40 bytes of the record's [state blob](crate::state); layout version 3)
//!
//! Each fingerprint is keyed with the link key of its own code's key id, so a blob reveals
//! nothing checkable about the child's data without the master key; a redeem computes today's
//! fingerprint under the key the typed code names, the one its issue used.
//!
//! | bytes | field |
//! |---|---|
//! | 0 | bits 0–5: second (0–59) within its minute of the latest issue; bit 6: redeemed; bit 7: stale (a redeem saw the data changed); or 63 (`0x3F`): revoked (`state::revoke`: no code outstanding; then bytes 5..10 and 25..40 are zero) |
//! | 1..5 | issue number of the latest code (u32 LE); 0 = nothing issued, and then all 40 bytes are 0 |
//! | 5..10 | issue id of the latest code: bytes 5..10 of the HMAC whose bytes 0..5 are the tag (it binds every field of the code and the issue number, but reveals nothing about the tag) |
//! | 10..25 | child fingerprint at the latest issue |
//! | 25..40 | child fingerprint at the issue before it (zero while the issue number is 1) |
//!
//! Any other content is [`Error::CorruptState`].
//!
//! # Redeem verdicts
//! The first row that applies of the link table in `docs/verdicts.md` (the one place the order
//! is written; `decide` is tested against its rows): lock ([`Error::Locked`]/[`Error::Blocked`]), [`Error::NoChallenge`],
//! [`Error::Mistyped`], [`Error::UnknownKey`], [`Error::Wrong`] (the only one counted as a
//! failure), then for authentic codes [`Error::DataChanged`], [`Error::Superseded`],
//! [`Error::AlreadyUsed`], [`Error::Expired`], `Ok`. Every verdict after `WRONG` is given only
//! to a code whose tag verified, so every input that is not an authentic code is counted.
//!
//! The lock refuses only codes whose tag does not verify (issue 22 §3): a code whose tag
//! verifies gets its verdict after `WRONG` also while the record is locked or blocked, and no
//! such verdict touches the lockout (a redeem does not clear it). So forged codes lock out
//! forged codes only; the parent who holds the real code can still redeem it.

pub mod child;
pub mod code;
mod name;

use zeroize::Zeroize;

use crate::blob::{self, Kind, PAYLOAD_BYTES, STATE_BYTES, State};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::flow::{self, Count, Gate, Outcome};
use crate::keys::Purpose;
use crate::mac::{self, HmacKey, Sha256};
use crate::policy::Policy;
use crate::rng::CryptoRng;

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
const TAG_DOMAIN: &[u8] = b"portal-codes/link/v2";

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
// Inlined: returned out of line, the `Result<Decoded>` was written by the narrow stores that
// built it and read back by wider loads, which the CPU cannot forward (issue 23).
#[allow(clippy::cast_possible_truncation)]
#[inline(always)]
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

/// Bytes of the tag's HMAC input: the domain, the head, the fingerprint and the issue number.
const TAG_INPUT: usize = TAG_DOMAIN.len() + 10 + FINGERPRINT_BYTES + 4;
const _: () = assert!(TAG_INPUT < 64 - 8, "the tag's input fits one block with its padding");

/// Writes the tag's HMAC input `TAG_DOMAIN ‖ head ‖ fp ‖ counter` (big-endian) into the zero
/// block `b`, padded as the last block of the inner hash ([`HmacKey::pad_short`]): fixed
/// offsets, so the copies are fixed-size moves instead of `memcpy` calls over a list of parts,
/// and in place, so the block is not copied once more.
#[inline(always)]
fn tag_block(b: &mut [u8; 64], head: &[u8; 10], fp: &[u8; FINGERPRINT_BYTES], counter: u32) {
    const H: usize = TAG_DOMAIN.len();
    const F: usize = H + 10;
    const C: usize = F + FINGERPRINT_BYTES;
    b[..H].copy_from_slice(TAG_DOMAIN);
    b[H..F].copy_from_slice(head);
    b[F..C].copy_from_slice(fp);
    b[C..TAG_INPUT].copy_from_slice(&counter.to_be_bytes());
    HmacKey::<Sha256>::pad_short(b, TAG_INPUT);
}

/// The MAC's bytes 0..5 (the tag) and 5..10 (the issue id) as 40-bit big-endian numbers, read
/// from its final state `s` (the digest is never written out); `s` and the block's inner
/// digest are wiped. Numbers, not byte arrays: the bytes were assembled and compared through
/// memory with loads that straddled their stores (issue 23).
#[allow(clippy::cast_possible_truncation)] // 40-bit fields of an 80-bit number
#[inline(always)]
fn tag_and_id(s: &mut [u32; 8], block: &mut [u8; 64]) -> (u64, u64) {
    let ten = (u128::from(s[0]) << 48) | (u128::from(s[1]) << 16) | u128::from(s[2] >> 16);
    s.zeroize();
    block[..32].zeroize(); // the inner digest; the rest of the block is public padding
    ((ten >> 40) as u64, ten as u64 & ((1 << 40) - 1))
}

/// Five bytes as a 40-bit big-endian number (a tag or an issue id).
fn be40(b: [u8; 5]) -> u64 {
    b.iter().fold(0, |a, &x| (a << 8) | u64::from(x))
}

/// The code's tag (MAC bytes 0..5) and its issue id (MAC bytes 5..10), which the state keeps to
/// recognise the latest code without holding anything that reveals the code's tag.
fn tag(
    key: &HmacKey<Sha256>,
    head: &[u8; 10],
    fp: &[u8; FINGERPRINT_BYTES],
    counter: u32,
) -> ([u8; TAG_BYTES], [u8; ID_BYTES]) {
    let mut block = [0u8; 64];
    tag_block(&mut block, head, fp, counter);
    let mut s = [0u32; 8];
    key.mac_short(&mut block, &mut s);
    let (mut t, id) = tag_and_id(&mut s, &mut block);
    let mut tb = [0u8; TAG_BYTES];
    let mut ib = [0u8; ID_BYTES];
    tb.copy_from_slice(&t.to_be_bytes()[3..]);
    ib.copy_from_slice(&id.to_be_bytes()[3..]);
    t.zeroize();
    (tb, ib)
}

/// The issue id (40-bit number) if the tag `t` is the decoded code's (`d_tag`, [`be40`] of
/// its tag), compared in constant time; `t` is wiped.
#[inline(always)]
fn matched(t: &mut u64, id: u64, d_tag: u64) -> Option<u64> {
    let ok = mac::eq_mask(*t, d_tag) != 0;
    t.zeroize();
    ok.then_some(id)
}

/// The issue id of the decoded code if its tag verifies for data `fp` and issue `counter`.
fn verify(key: &HmacKey<Sha256>, d: &Decoded, fp: &[u8; FINGERPRINT_BYTES], counter: u32) -> Option<u64> {
    let mut block = [0u8; 64];
    tag_block(&mut block, &d.head, fp, counter);
    let mut s = [0u32; 8];
    key.mac_short(&mut block, &mut s);
    let (mut t, id) = tag_and_id(&mut s, &mut block);
    matched(&mut t, id, be40(d.tag))
}

/// [`verify`] for issues `counter` and `counter - 1` with the same data, computed together.
fn verify_pair(
    key: &HmacKey<Sha256>,
    d: &Decoded,
    fp: &[u8; FINGERPRINT_BYTES],
    counter: u32,
) -> (Option<u64>, bool) {
    let mut blocks = [[0u8; 64]; 2];
    tag_block(&mut blocks[0], &d.head, fp, counter);
    tag_block(&mut blocks[1], &d.head, fp, counter - 1);
    let mut s = [[0u32; 8]; 2];
    key.mac_short_lanes(&mut blocks, &mut s);
    let [ba, bb] = &mut blocks;
    let [sa, sb] = &mut s;
    let d_tag = be40(d.tag);
    let ((mut ta, ia), (mut tb, ib)) = (tag_and_id(sa, ba), tag_and_id(sb, bb));
    (matched(&mut ta, ia, d_tag), matched(&mut tb, ib, d_tag).is_some())
}

fn display(head: &[u8; 10], tag: [u8; TAG_BYTES]) -> LinkCode {
    let mut bits = head.iter().chain(&tag).fold(0u128, |a, &x| (a << 8) | u128::from(x));
    let text = code::display(bits);
    bits.zeroize();
    LinkCode { text }
}

/// The link flow's part of a state blob (see the module docs for the layout).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Payload {
    /// Number of the latest issue (1, 2, …); 0 = nothing issued yet.
    counter: u32,
    /// Second within its minute at which the latest code was issued (0–59).
    second: u8,
    redeemed: bool,
    /// A redeem found the latest code's data changed: it is dead for good.
    stale: bool,
    /// `state::revoke` killed the latest code: nothing is outstanding, but the issue number
    /// and the data at that issue stay (the next issue numbers on, and its previous data is
    /// this one's).
    revoked: bool,
    id: [u8; ID_BYTES],
    fp: [u8; FINGERPRINT_BYTES],
    previous_fp: [u8; FINGERPRINT_BYTES],
}

// Payload offsets (the table in the module docs).
const P_FLAGS: usize = 0;
const P_COUNTER: usize = 1;
const P_ID: usize = 5;
const P_FP: usize = P_ID + ID_BYTES; // 10
const P_PREVIOUS_FP: usize = P_FP + FINGERPRINT_BYTES; // 25
const F_REDEEMED: u8 = 0x40;
const F_STALE: u8 = 0x80;
const SECOND_MASK: u8 = 0x3F;
/// Byte 0 of a revoked record (a "second" no issue writes).
const REVOKED: u8 = 0x3F;
const _: () = assert!(P_PREVIOUS_FP + FINGERPRINT_BYTES == PAYLOAD_BYTES);

impl blob::Payload for Payload {
    const KIND: Kind = Kind::Link;

    // Inlined into the flow: returned out of line, the `Result<Self>` went through memory and
    // was read back by wider loads than the stores that wrote it (issue 23).
    #[inline(always)]
    fn decode(p: &[u8; PAYLOAD_BYTES]) -> Result<Self> {
        let flags = p[P_FLAGS];
        let revoked = flags == REVOKED;
        let mut s = Self {
            counter: u32::from_le_bytes([p[P_COUNTER], p[P_COUNTER + 1], p[P_COUNTER + 2], p[P_COUNTER + 3]]),
            second: if revoked { 0 } else { flags & SECOND_MASK },
            redeemed: flags & F_REDEEMED != 0,
            stale: flags & F_STALE != 0,
            revoked,
            id: [0; ID_BYTES],
            fp: [0; FINGERPRINT_BYTES],
            previous_fp: [0; FINGERPRINT_BYTES],
        };
        s.id.copy_from_slice(&p[P_ID..P_FP]);
        s.fp.copy_from_slice(&p[P_FP..P_PREVIOUS_FP]);
        s.previous_fp.copy_from_slice(&p[P_PREVIOUS_FP..]);
        let stray = if s.counter == 0 {
            *p != [0; PAYLOAD_BYTES]
        } else if revoked {
            s.id != [0; ID_BYTES] || s.previous_fp != [0; FINGERPRINT_BYTES]
        } else {
            s.second > 59 || (s.counter == 1 && s.previous_fp != [0; FINGERPRINT_BYTES])
        };
        if stray {
            return Err(Error::CorruptState);
        }
        Ok(s)
    }

    /// Version 1's payload had no issue number, and version 2's held unkeyed fingerprints (the
    /// current ones are keyed): an earlier code cannot be checked under the current tag, so the
    /// blob keeps its lockout header and reads as "nothing outstanding" (docs/upgrading.md).
    /// Version 3's payload is the current one (layout 4 changed the header only).
    fn upgrade(version: u8, _header: &State, p: &[u8; PAYLOAD_BYTES]) -> Result<Self> {
        if version >= 3 { Self::decode(p) } else { Self::decode(&[0; PAYLOAD_BYTES]) }
    }

    /// An issued record's counter is not zero, and `encode` writes it.
    #[inline(always)]
    fn surely_not_zero(&self) -> bool {
        self.counter != 0
    }

    fn encode(&self, p: &mut [u8]) {
        p[P_FLAGS] = if self.revoked {
            REVOKED
        } else {
            self.second | if self.redeemed { F_REDEEMED } else { 0 } | if self.stale { F_STALE } else { 0 }
        };
        p[P_COUNTER..P_ID].copy_from_slice(&self.counter.to_le_bytes());
        p[P_ID..P_FP].copy_from_slice(&self.id);
        p[P_FP..P_PREVIOUS_FP].copy_from_slice(&self.fp);
        p[P_PREVIOUS_FP..PAYLOAD_BYTES].copy_from_slice(&self.previous_fp);
    }

    /// The latest code dies; the issue number and the data at that issue stay.
    fn revoke(&mut self, what: u32) {
        if what & crate::state::REVOKE_CODES != 0 && self.counter != 0 {
            *self = Self {
                second: 0,
                redeemed: false,
                stale: false,
                revoked: true,
                id: [0; ID_BYTES],
                previous_fp: [0; FINGERPRINT_BYTES],
                ..*self
            };
        }
    }
}

impl Payload {
    /// Whether a code is outstanding (issued and not revoked; it may be used or stale).
    fn issued(&self) -> bool {
        self.counter != 0 && !self.revoked
    }
}

/// Issues a new link code for record `record_id` and `child` at `now` (unix seconds); it
/// supersedes every earlier code of the record. The state keeps the lockout counters as they
/// are (issuing is the portal's act, not an attempt).
///
/// The random part is 12 bits from `rng`. Each issue gets the next number of the record's
/// issue counter, which the tag authenticates: a code of an earlier issue can never verify as
/// the latest one, even if a later issue draws the same minute and random part.
///
/// # Errors
/// [`Error::CorruptState`] (blob untouched); [`Error::InvalidArgument`] for a record id above
/// [`MAX_RECORD_ID`], a `now` before 2020 or after the code's time range, or a record whose
/// issue counter is spent (2³² − 1 issues); then the child's data as in [`Child::validate`]:
/// [`Error::MissingField`], [`Error::InvalidBirthDate`], [`Error::InvalidArgument`] (sex),
/// [`Error::InvalidSnils`].
pub fn issue_with_rng<R: CryptoRng + ?Sized>(
    ctx: &Context,
    record_id: u64,
    child: &Child<'_>,
    now: u64,
    state: &mut [u8; STATE_BYTES],
    rng: &mut R,
) -> Result<LinkCode> {
    crate::clock::check(now)?;
    flow::run(state, Gate::Open, ctx.policy(), now, |header, p: &Payload| {
        if record_id > MAX_RECORD_ID {
            return Err(Error::InvalidArgument.because(c"record_id: must be below 2^40"));
        }
        let era = || Error::InvalidArgument.because(c"now: link codes can be issued from 2020 to 2051 only");
        let secs = now.checked_sub(EPOCH).ok_or_else(era)?;
        let minutes = u32::try_from(secs / 60).ok().filter(|&m| m <= MAX_MINUTES).ok_or_else(era)?;
        let counter = p.counter.checked_add(1).ok_or_else(|| {
            Error::InvalidArgument
                .because(c"state: this record issued all the codes it can; start a new record")
        })?;
        let (key_id, key) = ctx.keys().current(Purpose::Link);
        let fp = child.keyed_fingerprint(key, now)?;
        let random = (rng.next_u32() & 0xfff) as u16;
        let h = head(key_id, record_id, minutes, random);
        let (mut t, id) = tag(key, &h, &fp, counter);
        let code = display(&h, t);
        t.zeroize();
        #[allow(clippy::cast_possible_truncation)] // < 60
        let second = (secs % 60) as u8;
        let next = Payload {
            counter,
            second,
            redeemed: false,
            stale: false,
            revoked: false,
            id,
            fp,
            previous_fp: if p.counter != 0 { p.fp } else { [0; FINGERPRINT_BYTES] },
        };
        Ok(Outcome::new(Ok(code), Count::No, header, next))
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
    crate::diag::clear(); // a call that succeeds leaves no detail behind
    decode(code).map(|d| d.record_id)
}

/// What a redeem found out about a well-formed code under a key the context holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Match {
    /// The tag verifies for today's data and the latest issue, and the issue id is the state's.
    Latest,
    /// The tag verifies for today's data and an earlier issue (or another code of the latest
    /// issue's number: a blob the host did not store, or another record's code).
    Earlier,
    /// The tag verifies for the data kept at the latest issue, which differs from today's.
    LatestOldData,
    /// The tag verifies for the data kept at the previous issue, which differs from today's.
    PreviousOldData,
    /// Nothing verifies.
    Nothing,
}

fn find(key: &HmacKey<Sha256>, d: &Decoded, child: &Child<'_>, now: u64, p: &Payload) -> Match {
    let m = p.counter; // ≥ 1: checked by the caller
    // Under the key the code names: the key its issue used for the data kept in the state.
    let now_fp = child.keyed_fingerprint(key, now).ok();
    if let Some(fp) = &now_fp {
        let (latest, previous) =
            if m >= 2 { verify_pair(key, d, fp, m) } else { (verify(key, d, fp, m), false) };
        match latest {
            Some(id) if mac::eq_mask(id, be40(p.id)) != 0 => return Match::Latest,
            Some(_) => return Match::Earlier,
            None if previous => return Match::Earlier,
            None => {}
        }
    }
    let differs = |fp: &[u8; FINGERPRINT_BYTES]| now_fp.as_ref() != Some(fp);
    if differs(&p.fp) && verify(key, d, &p.fp, m).is_some_and(|id| mac::eq_mask(id, be40(p.id)) != 0) {
        return Match::LatestOldData;
    }
    if m >= 2 && differs(&p.previous_fp) && verify(key, d, &p.previous_fp, m - 1).is_some() {
        return Match::PreviousOldData;
    }
    Match::Nothing
}

/// Redeems a typed code for the record whose current child data is `child` and whose state
/// blob is `state`, at `now`. On success the code is marked used; the lockout counters stay
/// as they are (they count forged codes only).
///
/// The child's data is taken as it is now: if it is incomplete or invalid it simply does not
/// match the data the code was issued for (so an authentic code gets [`Error::DataChanged`]).
/// The verdicts, in order, are the link table in `docs/verdicts.md`.
///
/// # Errors
/// [`Error::CorruptState`] (blob untouched); [`Error::InvalidArgument`] for a `now` outside
/// [`crate::clock`]'s range (blob untouched); then the first that applies:
/// [`Error::Blocked`] / [`Error::Locked`] (only for a code whose tag does not verify: an
/// authentic code is answered on its merits below, also on a locked or blocked record);
/// [`Error::NoChallenge`] (no code was ever issued
/// for this state); [`Error::Mistyped`] (alphabet, length or check symbol);
/// [`Error::UnknownKey`] (the code's key id is not in the context); [`Error::Wrong`] (the tag
/// does not verify for any issue the state knows: counted by the lockout engine);
/// [`Error::DataChanged`] (authentic for the record's data as it was at the latest or the
/// previous issue, and the data is different now; the latest code is then dead for good);
/// [`Error::Superseded`] (authentic, but not the latest code); [`Error::AlreadyUsed`];
/// [`Error::Expired`] (`now` is `LINK_TTL_SECONDS` or more after the issue).
pub fn redeem(
    ctx: &Context,
    code: &str,
    child: &Child<'_>,
    now: u64,
    state: &mut [u8; STATE_BYTES],
) -> Result<()> {
    crate::clock::check(now)?;
    let policy = ctx.policy();
    // The facts are computed also for a locked record: a code whose tag verifies is answered
    // on its merits (docs/link-code.md, "Lockout").
    flow::run(state, Gate::LockoutUnlessProven, policy, now, |h, p: &Payload| {
        Ok(decide(h, p, facts(ctx, code, child, now, p), policy, now))
    })
}

/// What the keyed computations found about a typed code, before any verdict is chosen
/// ([`crate::flow`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Facts {
    /// Nothing issued for the record (nothing to compare with), or not a well-formed code.
    Mistyped,
    /// The code names a key id the context does not hold.
    UnknownKey,
    /// The tags compared, and the second the code says it was issued.
    Found { found: Match, issued: u64 },
}

fn facts(ctx: &Context, code: &str, child: &Child<'_>, now: u64, p: &Payload) -> Facts {
    if !p.issued() {
        return Facts::Mistyped;
    }
    let Ok(d) = decode(code) else { return Facts::Mistyped };
    let Ok(key) = ctx.keys().get(Purpose::Link, u32::from(d.key_id)) else {
        let _ = Error::UnknownKey
            .because(c"code: names a key id this context does not hold (pcodes_ctx_add_key)");
        return Facts::UnknownKey;
    };
    let issued = EPOCH + u64::from(d.minutes) * 60 + u64::from(p.second);
    Facts::Found { found: find(key, &d, child, now, p), issued }
}

/// The link table of `docs/verdicts.md`, row by row: pure, from the blob, the facts, the policy
/// and the time.
pub(crate) fn decide(h: &State, p: &Payload, f: Facts, policy: &Policy, now: u64) -> Outcome<Payload, ()> {
    let keep = |e| Outcome::unchanged(e, h, p);
    if !p.issued() {
        return keep(Error::NoChallenge);
    }
    let (found, issued) = match f {
        Facts::Mistyped => return keep(Error::Mistyped),
        Facts::UnknownKey => return keep(Error::UnknownKey),
        Facts::Found { found, issued } => (found, issued),
    };
    // Every row below `WRONG` needs a tag that verified: it is answered also while the record
    // is locked or blocked (`Gate::LockoutUnlessProven`), and none of them touches the lockout.
    let row = match found {
        Match::Nothing => return Outcome::wrong(h, *p),
        Match::LatestOldData => {
            Outcome::new(Err(Error::DataChanged), Count::No, h, Payload { stale: true, ..*p })
        }
        Match::PreviousOldData => keep(Error::DataChanged),
        Match::Earlier => keep(Error::Superseded),
        Match::Latest if p.stale => keep(Error::DataChanged),
        Match::Latest if p.redeemed => keep(Error::AlreadyUsed),
        Match::Latest
            if now.saturating_sub(issued) >= policy.link_ttl_seconds
                || issued > now.saturating_add(crate::clock::MAX_CLOCK_SKEW) =>
        {
            keep(Error::Expired)
        }
        // Not `Count::Success`: the failures are the forged codes' (nobody else's), and a
        // redeem that cleared them would hand a forger a new run after every genuine one.
        Match::Latest => Outcome::new(Ok(()), Count::No, h, Payload { redeemed: true, ..*p }),
    };
    row.proven()
}

#[cfg(test)]
mod rows;

#[cfg(test)]
mod tests;
