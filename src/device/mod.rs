//! Device trust (issue 22 §3, OWASP's "device cookies"): lockouts that an attacker who knows a
//! login cannot turn against its owner.
//!
//! After a successful verification the host may ask for a **device token** ([`issue`]) and set
//! it as a long-lived cookie on that browser or app. Later attempts that present a token valid
//! for the account ([`check`]) are counted and locked in the account's **device blob**
//! ([`Kind::Device`], the *trusted lane*) instead of the flow's own blob (the *untrusted lane*):
//! a guessing run from devices without a token blocks the untrusted lane only, and the owner's
//! phone keeps its own allowance. Attempts without a token are counted exactly as before, so an
//! attacker without a token gets no extra guess; a trusted success does not clear the
//! untrusted lane either (it would hand the attacker a new run).
//!
//! Flows with a trusted lane: PINs ([`pin_verify`]). docs/device-trust.md describes the host's
//! part (cookie storage, when to issue, how to revoke every device).
//!
//! # The token
//!
//! [`TOKEN_LEN`] (80) symbols of RFC 4648 base32, upper case, no padding: cookie-safe, fixed
//! length, nothing secret in it. It encodes 50 bytes:
//!
//! | bytes | field |
//! |---|---|
//! | 0 | format, [`FORMAT`] (1) |
//! | 1 | key id of the master key whose device key made the MAC |
//! | 2..10 | issue time, unix seconds, u64 big-endian |
//! | 10..26 | device id: 16 random bytes from the library's CSPRNG |
//! | 26..34 | the account's device generation when it was issued, u64 big-endian |
//! | 34..50 | MAC: the first 16 bytes (128 bits) of HMAC-SHA256 |
//!
//! The MAC is keyed with the context's `Purpose::Device` key of that key id
//! (`HMAC(master, "portal-codes/v1/device-token" || 0x00 || key_id)`, [`crate::keys`]) over
//! `"portal-codes/device-token/v1" || 0x00 || u32be(len(account_id)) || account_id || bytes 0..34`.
//!
//! [`check`] answers, in this order: [`Error::DeviceUntrusted`] (not 80 upper-case base32
//! symbols, another format), [`Error::UnknownKey`] (a key id the context does not hold),
//! [`Error::DeviceUntrusted`] (the MAC does not verify, compared in constant time: forged,
//! altered, or for another account), [`Error::DeviceRevoked`] (its generation is not the
//! account's current one), [`Error::Expired`] (`now` is `DEVICE_TRUST_SECONDS` or more after the
//! issue, or the issue is more than [`crate::clock::MAX_CLOCK_SKEW`] after `now`). Only an
//! authentic token gets a verdict more specific than `DEVICE_UNTRUSTED`. None is counted: a
//! 128-bit MAC is not guessed online.
//!
//! # State payload (kind [`Kind::Device`])
//!
//! | payload bytes | field |
//! |---|---|
//! | 0..8 | the account's device generation, u64 little-endian |
//! | 8..12 | tokens issued, u32 little-endian, saturating at `u32::MAX` |
//! | 12..17 | unix seconds of the latest issue, u40 little-endian; 0 with no token issued |
//! | 17..40 | zero |
//!
//! The header's lockout is the trusted lane's. [`issue`] adds one to the count and records the
//! time (so that [`crate::state::events`] reports `EVENT_DEVICE_TRUSTED`); a count of 0 goes
//! with a time of 0 and a count above 0 with a time in the clock's range, anything else is
//! [`Error::CorruptState`]. Blobs written before issuing was recorded (layout 4, bytes 8.. zero)
//! read as "none issued". [`revoke_all`] adds one to the generation, which makes every token
//! issued before it [`Error::DeviceRevoked`]; [`crate::state::reset`] clears the trusted lane's
//! failures and lock and keeps the generation and the issue record.
//!
//! # The trusted lane's allowance
//!
//! The same lockout engine with a smaller block: the trusted lane blocks after
//! `min(BLOCK_AFTER_FAILURES, 2 × LOCK_AFTER_FAILURES)` failures (10 with the defaults, after one
//! lock of `LOCK_FIRST_SECONDS`), see [`trusted_policy`]. Whoever holds the device (and its
//! cookie) gets at most that many guesses beyond the untrusted lane's.
//!
//! # Other flows in the trusted lane
//!
//! [`otp_verify`] and [`otp_issue_with_rng`] (SMS/e-mail codes), [`totp_verify`] and
//! [`hotp_verify`] put those flows' attempts in the same trusted lane: one per account, shared
//! with [`pin_verify`], so a device holder's wrong codes and wrong PINs count in one allowance.
//! The token is checked first; the flow's own decision runs on the flow's blob (single use and
//! replay protection hold across both lanes) and the device blob is gated and counted. Both
//! blobs are written: the host stores them in one transaction with compare-and-swap on each, and
//! a verdict is final only after both writes succeeded.

mod lanes;
#[cfg(test)]
mod rows;
#[cfg(test)]
mod tests;

#[cfg(feature = "std")]
pub use lanes::otp_issue;
pub use lanes::{hotp_verify, otp_issue_with_rng, otp_verify, totp_verify};

use zeroize::Zeroize;

use crate::base32::RFC4648;
use crate::blob::{self, Kind, PAYLOAD_BYTES, STATE_BYTES, State};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::flow::{self, Count, Gate, Outcome};
use crate::keys::Purpose;
use crate::mac::ct_eq;
use crate::pin::Stored;
use crate::policy::Policy;
use crate::rng::CryptoRng;

/// Symbols in a device token.
pub const TOKEN_LEN: usize = 80;
/// Buffer size for a device token in C, including the NUL.
pub const TOKEN_BYTES: usize = TOKEN_LEN + 1;
/// The token format this library writes and reads.
pub const FORMAT: u8 = 1;
/// Bytes of a device id.
pub const DEVICE_ID_BYTES: usize = 16;
/// Bytes of the MAC kept in a token (128 bits).
const MAC_BYTES: usize = 16;
/// Bytes a token encodes.
const RAW_BYTES: usize = 50;
/// Bytes the MAC covers (after the domain and the account id).
const SIGNED_BYTES: usize = RAW_BYTES - MAC_BYTES;
const _: () = assert!(RAW_BYTES * 8 == TOKEN_LEN * 5, "no padding bits");
const DOMAIN: &[u8] = b"portal-codes/device-token/v1\0";

/// A device token to set as the device's cookie. Not a secret of the account, but it admits its
/// holder to the trusted lane: `Debug` hides it and its memory is zeroized on drop.
pub struct Token([u8; TOKEN_LEN]);

impl Token {
    /// The token's text: [`TOKEN_LEN`] upper-case RFC 4648 base32 symbols.
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Only base32 symbols are ever written.
        core::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl core::fmt::Debug for Token {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Token(..)")
    }
}

impl Drop for Token {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// What a valid token says about the device (for the host's own list of devices).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Trusted {
    /// The device's random id, drawn when the token was issued.
    pub device_id: [u8; DEVICE_ID_BYTES],
    /// When the token was issued (unix seconds).
    pub issued_at: u64,
    /// The key id whose key made the MAC.
    pub key_id: u8,
}

/// Payload bytes of the issue count (u32 LE) and of the latest issue time (u40 LE).
const P_ISSUED: usize = 8;
const P_ISSUED_AT: usize = 12;
const P_END: usize = 17;

/// The device flow's payload (the module docs' table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Payload {
    pub(crate) generation: u64,
    /// Tokens issued (saturating).
    pub(crate) issued: u32,
    /// Unix seconds of the latest issue; 0 when `issued` is 0.
    pub(crate) issued_at: u64,
}

impl crate::blob::Payload for Payload {
    const KIND: Kind = Kind::Device;

    fn decode(b: &[u8; PAYLOAD_BYTES]) -> Result<Self> {
        if b[P_END..].iter().any(|&x| x != 0) {
            return Err(Error::CorruptState);
        }
        let mut generation = [0u8; 8];
        generation.copy_from_slice(&b[..P_ISSUED]);
        let mut issued = [0u8; 4];
        issued.copy_from_slice(&b[P_ISSUED..P_ISSUED_AT]);
        let mut issued_at = [0u8; 8];
        issued_at[..5].copy_from_slice(&b[P_ISSUED_AT..P_END]);
        let p = Self {
            generation: u64::from_le_bytes(generation),
            issued: u32::from_le_bytes(issued),
            issued_at: u64::from_le_bytes(issued_at),
        };
        // Written only by `issue`, after `clock::check`: both zero, or a count and a valid time.
        let valid = if p.issued == 0 {
            p.issued_at == 0
        } else {
            (crate::clock::MIN_NOW..=crate::clock::MAX_NOW).contains(&p.issued_at)
        };
        if !valid {
            return Err(Error::CorruptState);
        }
        Ok(p)
    }

    fn encode(&self, b: &mut [u8]) {
        b[..P_ISSUED].copy_from_slice(&self.generation.to_le_bytes());
        b[P_ISSUED..P_ISSUED_AT].copy_from_slice(&self.issued.to_le_bytes());
        b[P_ISSUED_AT..P_END].copy_from_slice(&self.issued_at.to_le_bytes()[..5]);
    }

    /// The tokens issued and the latest issue time (`state::events`: `EVENT_DEVICE_TRUSTED`).
    fn devices_issued(&self) -> Option<(u32, u64)> {
        Some((self.issued, self.issued_at))
    }

    /// `state::revoke` with `REVOKE_DEVICES`: what [`revoke_all`] does.
    fn revoke(&mut self, what: u32) {
        if what & crate::state::REVOKE_DEVICES != 0 {
            self.generation = self.generation.saturating_add(1);
        }
    }

    /// No release before layout 4 wrote a device blob.
    fn upgrade(version: u8, _header: &State, b: &[u8; PAYLOAD_BYTES]) -> Result<Self> {
        if version >= 4 { Self::decode(b) } else { Err(Error::CorruptState) }
    }
}

/// The policy of the trusted lane: the context's, with `BLOCK_AFTER_FAILURES` lowered to
/// `min(BLOCK_AFTER_FAILURES, 2 × LOCK_AFTER_FAILURES)`.
#[must_use]
pub fn trusted_policy(policy: &Policy) -> Policy {
    let mut p = policy.clone();
    p.block_after_failures = p.block_after_failures.min(p.lock_after_failures.saturating_mul(2));
    p
}

fn check_account(account_id: &str) -> Result<()> {
    if account_id.is_empty() {
        return Err(Error::InvalidArgument.because(c"account_id: empty"));
    }
    Ok(())
}

/// The MAC of a token's first [`SIGNED_BYTES`] bytes for `account_id` under `key_id`.
fn mac(ctx: &Context, key_id: u8, account_id: &str, signed: &[u8]) -> Result<[u8; MAC_BYTES]> {
    let key = ctx.keys().get(Purpose::Device, key_id.into())?;
    let len = u32::try_from(account_id.len())
        .map_err(|_| Error::InvalidArgument.because(c"account_id: longer than 4 GiB"))?;
    let mut full = key.mac(&[DOMAIN, &len.to_be_bytes(), account_id.as_bytes(), signed]);
    let mut out = [0u8; MAC_BYTES];
    out.copy_from_slice(&full[..MAC_BYTES]);
    full.zeroize();
    Ok(out)
}

/// The account's device generation in `device_state` (0 for a fresh blob).
///
/// # Errors
/// [`Error::CorruptState`] for a blob that is not a device blob.
pub fn generation(device_state: &[u8; STATE_BYTES]) -> Result<u64> {
    crate::diag::clear(); // a call that succeeds leaves no detail behind
    Ok(blob::read_flow::<Payload>(device_state)?.1.generation)
}

/// Issues a device token for `account_id` under the context's current key, with a device id
/// from `rng` and the generation of the account's device blob, and records the issue in that
/// blob (one more token issued, and `now` as the latest issue: [`crate::state::events`] then
/// reports `EVENT_DEVICE_TRUSTED`). Call it only after a successful verification of the
/// account's holder (docs/device-trust.md). Store `device_state` with compare-and-swap and set
/// the token as the device's cookie **only after that write succeeded**; on a lost write, drop
/// the token, re-read the blob and issue again. The trusted lane's failures and lock are kept,
/// and issuing is not refused while the lane is locked or blocked.
///
/// # Errors
/// [`Error::InvalidArgument`] (`now` out of range, empty `account_id`), [`Error::CorruptState`]
/// (blob untouched on every error).
pub fn issue_with_rng<R: CryptoRng + ?Sized>(
    ctx: &Context,
    account_id: &str,
    now: u64,
    device_state: &mut [u8; STATE_BYTES],
    rng: &mut R,
) -> Result<Token> {
    crate::diag::clear(); // a call that succeeds leaves no detail behind
    crate::clock::check(now)?;
    check_account(account_id)?;
    // Not an attempt: no gate, not counted; the blob is written only if a token was made.
    flow::run(device_state, Gate::Open, ctx.policy(), now, |h, p: &Payload| {
        let token = make_token(ctx, account_id, now, p.generation, rng)?;
        let next = Payload { issued: p.issued.saturating_add(1), issued_at: now, ..*p };
        Ok(Outcome::new(Ok(token), Count::No, h, next))
    })
}

/// A token for `account_id` issued at `now` under the context's current key, for the device
/// generation `generation`, with a device id from `rng`.
fn make_token<R: CryptoRng + ?Sized>(
    ctx: &Context,
    account_id: &str,
    now: u64,
    generation: u64,
    rng: &mut R,
) -> Result<Token> {
    let key_id = ctx.keys().current_id();
    let mut raw = [0u8; RAW_BYTES];
    raw[0] = FORMAT;
    raw[1] = key_id;
    raw[2..10].copy_from_slice(&now.to_be_bytes());
    rng.fill_bytes(&mut raw[10..26]);
    raw[26..34].copy_from_slice(&generation.to_be_bytes());
    let tag = mac(ctx, key_id, account_id, &raw[..SIGNED_BYTES])?;
    raw[SIGNED_BYTES..].copy_from_slice(&tag);
    let mut text = [0u8; TOKEN_LEN];
    let n = RFC4648.encode(&raw, &mut text)?.len();
    raw.zeroize();
    debug_assert_eq!(n, TOKEN_LEN);
    Ok(Token(text))
}

/// [`issue_with_rng`] with the thread's OS-seeded generator.
///
/// # Errors
/// As [`issue_with_rng`], and [`Error::RngFailure`] (blob untouched).
#[cfg(feature = "std")]
pub fn issue(
    ctx: &Context,
    account_id: &str,
    now: u64,
    device_state: &mut [u8; STATE_BYTES],
) -> Result<Token> {
    crate::rng::with_system_rng(DEVICE_ID_BYTES as u64, |rng| {
        issue_with_rng(ctx, account_id, now, device_state, rng)
    })?
}

/// The 50 bytes of a token's text, or `None` unless it is exactly [`TOKEN_LEN`] upper-case RFC
/// 4648 symbols of format [`FORMAT`]. Decoded here, eight symbols (40 bits) at a time, without
/// the general decoder (white space, padding, lower case: none of it is a token's).
fn parse(token: &str) -> Option<[u8; RAW_BYTES]> {
    let t: &[u8; TOKEN_LEN] = token.as_bytes().try_into().ok()?;
    let mut raw = [0u8; RAW_BYTES];
    for (group, out) in t.chunks_exact(8).zip(raw.chunks_exact_mut(5)) {
        let mut bits = 0u64;
        for &c in group {
            let v = match c {
                b'A'..=b'Z' => c - b'A',
                b'2'..=b'7' => c - b'2' + 26,
                _ => return None,
            };
            bits = bits << 5 | u64::from(v);
        }
        out.copy_from_slice(&bits.to_be_bytes()[3..]);
    }
    (raw[0] == FORMAT).then_some(raw)
}

fn be_u64(b: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[..8]);
    u64::from_be_bytes(w)
}

/// Checks `token` against the account and its device generation `generation` (the order of the
/// module docs).
fn verify_token(ctx: &Context, account_id: &str, token: &str, now: u64, generation: u64) -> Result<Trusted> {
    let raw = parse(token).ok_or(Error::DeviceUntrusted)?;
    let key_id = raw[1];
    if !ctx.keys().contains(key_id.into()) {
        return Err(Error::UnknownKey
            .because(c"token: names a key id this context does not hold (pcodes_ctx_add_key)"));
    }
    let want = mac(ctx, key_id, account_id, &raw[..SIGNED_BYTES])?;
    if !ct_eq(&want, &raw[SIGNED_BYTES..]) {
        return Err(Error::DeviceUntrusted);
    }
    let issued_at = be_u64(&raw[2..10]);
    if be_u64(&raw[26..34]) != generation {
        return Err(Error::DeviceRevoked);
    }
    let ttl = ctx.policy().device_trust_seconds;
    if now.saturating_sub(issued_at) >= ttl || issued_at > now.saturating_add(crate::clock::MAX_CLOCK_SKEW) {
        return Err(Error::Expired);
    }
    let mut device_id = [0u8; DEVICE_ID_BYTES];
    device_id.copy_from_slice(&raw[10..26]);
    Ok(Trusted { device_id, issued_at, key_id })
}

/// Checks a device token presented for `account_id` against the account's device blob (read,
/// not written): whether the attempt it comes with belongs to the trusted lane.
///
/// # Errors
/// [`Error::InvalidArgument`] (`now` out of range, empty `account_id`), [`Error::CorruptState`];
/// then, in this order, [`Error::DeviceUntrusted`], [`Error::UnknownKey`],
/// [`Error::DeviceUntrusted`], [`Error::DeviceRevoked`], [`Error::Expired`] (module docs). None
/// is counted.
pub fn check(
    ctx: &Context,
    account_id: &str,
    token: &str,
    now: u64,
    device_state: &[u8; STATE_BYTES],
) -> Result<Trusted> {
    crate::diag::clear(); // a call that succeeds leaves no detail behind
    crate::clock::check(now)?;
    check_account(account_id)?;
    let (_, p) = blob::read_flow::<Payload>(device_state)?;
    verify_token(ctx, account_id, token, now, p.generation)
}

/// Revokes every device token of the account: adds one to the generation in its device blob
/// (store it with compare-and-swap; once stored, every token issued before is
/// [`Error::DeviceRevoked`]). The trusted lane's failures and lock are kept. This is the one
/// call a "revoke devices" switch (`state::revoke`) makes for a device blob.
///
/// # Errors
/// [`Error::CorruptState`] (blob untouched).
pub fn revoke_all(device_state: &mut [u8; STATE_BYTES]) -> Result<()> {
    crate::diag::clear(); // a call that succeeds leaves no detail behind
    // Not an attempt: no gate, not counted (the policy and `now` are not used).
    flow::run(device_state, Gate::Open, &Policy::default(), crate::clock::MIN_NOW, |h, p: &Payload| {
        let next = Payload { generation: p.generation.saturating_add(1), ..*p };
        Ok(Outcome::<Payload, ()>::new(Ok(()), Count::No, h, next))
    })
}

/// The trusted lane's decision for a PIN (the device table of `docs/verdicts.md`, rows 3–5; the
/// gate is row 2, the token row 1): a refused admission changes nothing; a wrong PIN is counted;
/// the right one clears the trusted lane's failures and lock.
#[allow(clippy::trivially_copy_pass_by_ref)] // the one `decide(header, &payload, facts)` shape
pub(crate) fn decide(h: &State, p: &Payload, matched: Result<bool>) -> Outcome<Payload, ()> {
    match matched {
        Err(e) => Outcome::unchanged(e, h, p),
        Ok(true) => Outcome::new(Ok(()), Count::Success, h, *p),
        Ok(false) => Outcome::wrong(h, *p),
    }
}

/// Verifies `pin` for `account_id` from a trusted device: checks `token` against the account's
/// device blob, then runs the PIN comparison of [`crate::pin::verify`] with the lockout of the
/// **device blob** (the trusted lane) instead of the PIN blob's, which is neither read nor
/// written. The host stores `device_state` with compare-and-swap and serializes attempts per
/// account as for [`crate::pin::verify`]; a verdict is final only after that write succeeded.
///
/// A token that does not check (any error of [`check`]) changes nothing and computes no PBKDF2:
/// drop the cookie and verify with [`crate::pin::verify`] on the PIN blob (the untrusted lane).
///
/// # Errors
/// [`Error::InvalidArgument`], [`Error::CorruptState`] (blob untouched); the errors of
/// [`check`] (not counted); [`Error::Locked`], [`Error::Blocked`] (the trusted lane);
/// [`Error::PinFormat`], [`Error::MalformedHash`], [`Error::UnknownKey`] (not counted);
/// [`Error::PepperFailed`]; [`Error::Wrong`] (counted in the trusted lane).
pub fn pin_verify<'s>(
    ctx: &Context,
    account_id: &str,
    pin: &str,
    stored: impl Into<Stored<'s>>,
    token: &str,
    now: u64,
    device_state: &mut [u8; STATE_BYTES],
) -> Result<()> {
    let stored = stored.into();
    check(ctx, account_id, token, now, device_state)?;
    let policy = trusted_policy(ctx.policy());
    flow::run(device_state, Gate::Lockout, &policy, now, |h, p: &Payload| {
        Ok(decide(h, p, crate::pin::compute_match(ctx, account_id, pin, stored)))
    })
}
