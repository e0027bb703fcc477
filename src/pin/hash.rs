//! The stored PIN hash string: format, parsing, and the keyed step.
//!
//! ```text
//! $pcodes-pin$v=2,k=<key id>,l=<lanes>,i=<iterations>,n=<PIN length>$<salt>$<tag>
//! $pcodes-pin$v=1,k=<key id>,i=<iterations>,n=<PIN length>$<salt>$<tag>     (read only)
//! ```
//!
//! `salt` (16 bytes) and `tag` (32 bytes) are in standard base64 without padding (as in PHC
//! strings): 22 and 43 characters. The longest string (`v=2`, key id 15, one lane, 10,000,000
//! iterations) is 106 bytes, so it always fits [`PIN_HASH_BYTES`] (128, including a C string's
//! NUL).
//!
//! `v=2` (written since issue 23): `dk = PBKDF2-HMAC-SHA256(PIN, salt, i, l × 32 bytes)`, the
//! blocks `T1 … Tl` computed together (`crate::mac::shani`), then
//! `tag = HMAC-SHA256(pepper[k], "portal-codes/pin/v2" ‖ 0x00 ‖ len(account id) as u32 BE ‖
//! account id ‖ v ‖ k ‖ l ‖ i as u32 BE ‖ n ‖ salt ‖ T1 ‖ … ‖ Tl)`: every block is under the
//! keyed step, so a guess costs `l × i` iterations (`docs/pin.md`, "Lanes").
//! `v=1` (every earlier release; one lane): `dk = PBKDF2-HMAC-SHA256(PIN, salt, i, 32 bytes)`,
//! `tag = HMAC-SHA256(pepper[k], "portal-codes/pin/v1" ‖ 0x00 ‖ len(account id) as u32 BE ‖
//! account id ‖ v ‖ k ‖ i as u32 BE ‖ n ‖ salt ‖ dk)`. In both, `pepper[k]` is the
//! [`Purpose::Pin`] key derived from master key `k`, or, for the key ids the host gave to
//! [`crate::Context::set_pepper`], a key on the host's device ([`super::Pepper`]; the message
//! above is what it gets: it never contains the PIN). Binding the account id and every parameter
//! means a string copied to another account, or edited (fewer iterations, other key id), no
//! longer verifies. Parsing is strict (one canonical spelling: no leading zeros, no padding,
//! no trailing bits), so every accepted string has exactly one meaning.

use zeroize::Zeroize;

use crate::error::{Error, Result};
use crate::keys::Purpose;
use crate::mac::{HmacKey, Sha256};
use crate::policy::Setting;

/// Buffer size for a stored PIN hash string, including a C string's terminating NUL.
pub const PIN_HASH_BYTES: usize = 128;
/// The format version written by this library (`v=1` strings, one lane, are still read).
pub const HASH_VERSION: u32 = 2;
/// The most PBKDF2 blocks (lanes, `l=`) a `v=2` hash has (the `PIN_LANES` setting's maximum).
pub const MAX_LANES: u32 = 4;
/// Salt length in bytes.
pub const SALT_BYTES: usize = 16;
const TAG_BYTES: usize = 32;
const PREFIX: &str = "$pcodes-pin$";
const SALT_B64: usize = 22;
const TAG_B64: usize = 43;
const DOMAIN_V1: &[u8] = b"portal-codes/pin/v1\0";
const DOMAIN_V2: &[u8] = b"portal-codes/pin/v2\0";
const _: () = assert!(MAX_LANES as usize == crate::mac::shani::MAX_LANES);

/// The parameters a stored hash string declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct HashParams {
    /// Format version (`v`).
    pub version: u32,
    /// Master key id of the pepper (`k`).
    pub key_id: u32,
    /// PBKDF2 blocks computed together (`l`, 1–[`MAX_LANES`]; 1 for `v=1`).
    pub lanes: u32,
    /// PBKDF2 iterations of each block (`i`); the work per guess is `lanes × iterations`.
    pub iterations: u32,
    /// PIN length (`n`).
    pub length: u32,
}

/// A parsed stored hash.
pub(crate) struct Parsed {
    pub(crate) params: HashParams,
    pub(crate) salt: [u8; SALT_BYTES],
    pub(crate) tag: [u8; TAG_BYTES],
}

/// A PIN hash string to store: at most [`PIN_HASH_BYTES`]` - 1` ASCII bytes, no allocation.
/// `Debug` shows only the parameters.
#[derive(Clone, PartialEq, Eq)]
pub struct PinHash {
    buf: [u8; PIN_HASH_BYTES],
    len: usize,
}

impl PinHash {
    /// The string to store.
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Only ASCII is ever written (see `write`).
        core::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

impl core::fmt::Display for PinHash {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl core::fmt::Debug for PinHash {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let s = self.as_str();
        let params = s.get(..s.rfind('$').and_then(|t| s[..t].rfind('$')).unwrap_or(0)).unwrap_or("");
        write!(f, "PinHash({params}$..)")
    }
}

impl AsRef<str> for PinHash {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 without padding (shared with the recovery-code string, `crate::recovery`).
pub(crate) fn b64_encode(data: &[u8], out: &mut Writer<'_>) {
    for chunk in data.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.byte(B64[(n >> (18 - 6 * i) & 63) as usize]);
        }
    }
}

/// The value of each byte in [`B64`], 0xFF for the others (a table: a recovery string has
/// ~170 base64 characters, and a search of the alphabet per character cost more than the HMAC).
const B64_VALUES: [u8; 256] = {
    let mut t = [0xFFu8; 256];
    let mut i = 0;
    while i < 64 {
        #[allow(clippy::cast_possible_truncation)] // i < 64
        {
            t[B64[i] as usize] = i as u8;
        }
        i += 1;
    }
    t
};

fn b64_value(c: u8) -> Option<u32> {
    match B64_VALUES[usize::from(c)] {
        0xFF => None,
        v => Some(u32::from(v)),
    }
}

/// Decodes exactly `out.len()` bytes from unpadded canonical base64 (unused trailing bits zero).
pub(crate) fn b64_decode(text: &[u8], out: &mut [u8]) -> Option<()> {
    if text.len() != (out.len() * 4).div_ceil(3) {
        return None;
    }
    for (chunk, o) in text.chunks(4).zip(out.chunks_mut(3)) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= b64_value(c)? << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        o.copy_from_slice(&bytes[1..=o.len()]);
        // Canonical: the bits past the last byte are zero.
        if n & (0x00ff_ffff >> (8 * o.len())) != 0 {
            return None;
        }
    }
    Some(())
}

/// Writes ASCII into a fixed buffer, keeping its last byte for a C string's NUL.
pub(crate) struct Writer<'a> {
    pub(crate) buf: &'a mut [u8],
    pub(crate) len: usize,
}

impl Writer<'_> {
    pub(crate) fn byte(&mut self, b: u8) {
        // The longest string fits its buffer (102 of 128 bytes for a PIN hash); never past it.
        if self.len + 1 < self.buf.len() {
            self.buf[self.len] = b;
            self.len += 1;
        }
    }
    pub(crate) fn str(&mut self, s: &str) {
        s.bytes().for_each(|b| self.byte(b));
    }
    pub(crate) fn num(&mut self, mut v: u32) {
        let mut d = [0u8; 10];
        let mut i = d.len();
        loop {
            i -= 1;
            // v % 10 < 10.
            #[allow(clippy::cast_possible_truncation)]
            {
                d[i] = b'0' + (v % 10) as u8;
            }
            v /= 10;
            if v == 0 {
                break;
            }
        }
        d[i..].iter().for_each(|&b| self.byte(b));
    }
}

/// Parses a non-negative decimal without leading zeros, at most 8 digits.
pub(crate) fn parse_num(s: &str) -> Option<u32> {
    let b = s.as_bytes();
    if b.is_empty() || b.len() > 8 || (b.len() > 1 && b[0] == b'0') || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    s.parse().ok()
}

/// Parses a stored hash string strictly.
pub(crate) fn parse(stored: &str) -> Result<Parsed> {
    parse_inner(stored).ok_or_else(|| {
        Error::MalformedHash.because(c"stored: not a PIN hash string written by pcodes_pin_hash")
    })
}

fn parse_inner(stored: &str) -> Option<Parsed> {
    let rest = stored.strip_prefix(PREFIX)?;
    let mut parts = rest.split('$');
    let (params, salt_t, tag_t) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let mut fields = params.split(',');
    let mut field = |name: &str| fields.next()?.strip_prefix(name).and_then(parse_num);
    let (version, key_id) = (field("v=")?, field("k=")?);
    // `v=1` has no `l=` (one lane); `v=2` has it between `k=` and `i=`.
    let lanes = match version {
        1 => 1,
        2 => field("l=")?,
        _ => return None,
    };
    let p = HashParams { version, key_id, lanes, iterations: field("i=")?, length: field("n=")? };
    if fields.next().is_some() {
        return None;
    }
    if p.key_id > crate::keys::MAX_KEY_ID
        || !(1..=MAX_LANES).contains(&p.lanes)
        || !iterations_range(p.lanes).contains(&p.iterations)
        || !(p.length == 4 || p.length == 6)
        || salt_t.len() != SALT_B64
        || tag_t.len() != TAG_B64
    {
        return None;
    }
    let mut salt = [0u8; SALT_BYTES];
    let mut tag = [0u8; TAG_BYTES];
    b64_decode(salt_t.as_bytes(), &mut salt)?;
    b64_decode(tag_t.as_bytes(), &mut tag)?;
    Some(Parsed { params: p, salt, tag })
}

/// The iterations per lane a hash of `lanes` lanes may declare: those `PIN_ITERATIONS` values
/// in its range give (`⌈PIN_ITERATIONS / lanes⌉`), so that an edited string can neither make
/// the server spin nor claim less work per guess than the setting's floor.
pub(crate) fn iterations_range(lanes: u32) -> core::ops::RangeInclusive<u32> {
    let (lo, hi) = Setting::PinIterations.range();
    let per_lane = |v: u64| u32::try_from(v.div_ceil(u64::from(lanes.max(1)))).unwrap_or(u32::MAX);
    per_lane(lo)..=per_lane(hi)
}

/// The iterations of each lane for `PIN_ITERATIONS` = `work` and `lanes` lanes: `⌈work / lanes⌉`,
/// so that `lanes × iterations ≥ work`.
#[must_use]
pub(crate) fn lane_iterations(work: u32, lanes: u32) -> u32 {
    work.div_ceil(lanes.max(1))
}

/// The pepper key of one hash: in memory (derived from master key `k`) or on the host's device
/// ([`super::Pepper`], for the key ids [`crate::Context::set_pepper`] named).
#[derive(Clone, Copy)]
pub(crate) enum Key<'c> {
    /// The derived [`Purpose::Pin`] key.
    Memory(&'c HmacKey<Sha256>),
    /// The host's device, with the key id to ask for.
    #[cfg(feature = "alloc")]
    Device(&'c dyn super::Pepper, u32),
}

impl Key<'_> {
    /// `HMAC-SHA256(key, parts[0] ‖ parts[1] ‖ …)`; [`Error::PepperFailed`] if the device failed.
    #[cfg_attr(not(feature = "alloc"), allow(clippy::unnecessary_wraps))] // a device can fail
    pub(crate) fn mac(self, parts: &[&[u8]]) -> Result<[u8; TAG_BYTES]> {
        match self {
            Key::Memory(k) => Ok(k.mac(parts)),
            #[cfg(feature = "alloc")]
            Key::Device(device, key_id) => super::pepper::device_mac(device, key_id, parts),
        }
    }
}

/// The tag of `pin` under the given parameters (PBKDF2, then the keyed step).
///
/// # Errors
/// [`Error::PepperFailed`] if the key is the host's device and it failed.
pub(crate) fn tag(
    pepper: Key<'_>,
    account_id: &str,
    pin: &str,
    p: &HashParams,
    salt: &[u8; SALT_BYTES],
) -> Result<[u8; TAG_BYTES]> {
    // `v=1` is one lane; `v=2` declares 1..=MAX_LANES (both checked on parse and on hash).
    let lanes = if p.version == 1 { 1 } else { p.lanes.clamp(1, MAX_LANES) as usize };
    let mut dk = [0u8; 32 * MAX_LANES as usize];
    let dk_len = 32 * lanes;
    super::pbkdf2::pbkdf2_hmac_sha256(pin.as_bytes(), salt, p.iterations, &mut dk[..dk_len]);
    let acc_len = u32::try_from(account_id.len()).unwrap_or(u32::MAX).to_be_bytes();
    // Version, key id, lanes and length are small (checked on parse and on hash).
    #[allow(clippy::cast_possible_truncation)]
    let small = [p.version as u8, p.key_id as u8, lanes as u8, p.length as u8];
    // `v=2` binds the lane count after the key id; `v=1` has none.
    let (domain, head, n) = if p.version == 1 {
        (DOMAIN_V1, &small[..2], &small[3..])
    } else {
        (DOMAIN_V2, &small[..3], &small[3..])
    };
    // The message holds no PIN: only the binding data and every block of the PBKDF2 output
    // (which a device sees; it is wiped here, and by `device_mac` in its copy).
    let t = pepper.mac(&[
        domain,
        &acc_len,
        account_id.as_bytes(),
        head,
        &p.iterations.to_be_bytes(),
        n,
        salt,
        &dk[..dk_len],
    ]);
    dk.zeroize();
    t
}

/// Formats a stored hash string.
pub(crate) fn format(p: &HashParams, salt: &[u8; SALT_BYTES], tag: &[u8; TAG_BYTES]) -> PinHash {
    let mut buf = [0u8; PIN_HASH_BYTES];
    let mut w = Writer { buf: &mut buf, len: 0 };
    w.str(PREFIX);
    w.str("v=");
    w.num(p.version);
    w.str(",k=");
    w.num(p.key_id);
    if p.version >= 2 {
        w.str(",l=");
        w.num(p.lanes);
    }
    w.str(",i=");
    w.num(p.iterations);
    w.str(",n=");
    w.num(p.length);
    w.byte(b'$');
    b64_encode(salt, &mut w);
    w.byte(b'$');
    b64_encode(tag, &mut w);
    let len = w.len;
    PinHash { buf, len }
}

/// The parameters of a stored hash string.
///
/// # Errors
/// [`Error::MalformedHash`] if it cannot be parsed.
pub fn params(stored: &str) -> Result<HashParams> {
    crate::diag::clear(); // a call that succeeds leaves no detail behind
    parse(stored).map(|p| p.params)
}

/// The pepper key a hash names: the host's device if it serves `key_id`
/// ([`crate::Context::set_pepper`]), else the in-memory key of master key `key_id`.
pub(crate) fn pepper(ctx: &crate::Context, key_id: u32) -> Result<Key<'_>> {
    #[cfg(feature = "alloc")]
    if let Some(device) = ctx.pepper_for(key_id) {
        return Ok(Key::Device(device, key_id));
    }
    ctx.keys().get(Purpose::Pin, key_id).map(Key::Memory).map_err(|e| {
        e.because(c"stored: hashed under a key id this context does not hold (pcodes_ctx_add_key)")
    })
}

/// Issue 23 §2: when the current key is on the host's device but a hash was verified under an
/// in-memory key (hashes not yet moved to the device by a rehash), one thrown-away device call,
/// so that such a real account costs what an unknown account's dummy (which asks the device)
/// does, and answers `PEPPER_FAILED` alike while the device is down.
#[cfg_attr(not(feature = "alloc"), allow(clippy::unnecessary_wraps))] // a device can fail
pub(crate) fn pad_device(ctx: &crate::Context, used: Key<'_>) -> Result<()> {
    #[cfg(feature = "alloc")]
    if let (Key::Memory(_), Ok(current @ Key::Device(..))) =
        (used, pepper(ctx, ctx.keys().current_id().into()))
    {
        let mut t = current.mac(&[b"portal-codes/pin/v1/pad\0"])?;
        t.zeroize();
    }
    #[cfg(not(feature = "alloc"))]
    let _ = (ctx, used);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::String;

    #[test]
    fn base64_round_trip_and_strictness() {
        let salt: [u8; 16] = core::array::from_fn(|i| (i * 17 + 3) as u8);
        let tag: [u8; 32] = core::array::from_fn(|i| (255 - i * 5) as u8);
        let p = HashParams { version: 1, key_id: 15, lanes: 1, iterations: 10_000_000, length: 6 };
        let h = format(&p, &salt, &tag);
        assert_eq!(h.as_str().len(), 102);
        // The longest string of all: `v=2`, one lane, the most iterations.
        let p2 = HashParams { version: 2, key_id: 15, lanes: 1, iterations: 10_000_000, length: 6 };
        let h2 = format(&p2, &salt, &tag);
        assert_eq!(h2.as_str().len(), 106);
        assert!(h2.as_str().len() < PIN_HASH_BYTES);
        assert_eq!(parse(h2.as_str()).unwrap().params, p2);
        let back = parse(h.as_str()).unwrap();
        assert_eq!((back.params, back.salt, back.tag), (p, salt, tag));
        // Independent base64: Python-compatible standard alphabet, padding stripped.
        let s = h.as_str();
        let salt_t = s.split('$').nth(3).unwrap();
        assert_eq!(salt_t, "AxQlNkdYaXqLnK2+z+DxAg");
        // A non-canonical last character (trailing bits set) is refused.
        let bad = s.replacen("z+DxAg$", "z+DxAh$", 1);
        assert_eq!(parse(&bad).err(), Some(Error::MalformedHash));
        assert_eq!(std::format!("{h:?}"), "PinHash($pcodes-pin$v=1,k=15,i=10000000,n=6$..)");
    }

    #[test]
    fn malformed_strings() {
        let good = format(
            &HashParams { version: 1, key_id: 2, lanes: 1, iterations: 10_000, length: 4 },
            &[1; 16],
            &[2; 32],
        );
        let g = good.as_str();
        assert!(parse(g).is_ok());
        let edits = [
            String::new(),
            g.replace("$pcodes-pin$", "$pcodes-pim$"),
            g.replace("v=1", "v=2"),
            g.replace("v=1", "v=01"),
            g.replace("k=2", "k=16"),
            g.replace("k=2", "k=-1"),
            g.replace("i=10000", "i=9999"),
            g.replace("i=10000", "i=10000000000"),
            g.replace("n=4", "n=5"),
            g.replace(",n=4", ""),
            g.replace(",n=4", ",n=4,x=1"),
            g.replace("k=2,i", "i=10000,k=2,i"),
            std::format!("{g}$"),
            std::format!("{g}A"),
            g[..g.len() - 1].into(),
            g.replacen("AQEB", "AQE=", 1),
            g.replacen("AQEB", "AQE*", 1),
            std::format!(" {g}"),
        ];
        for e in &edits {
            assert_eq!(parse(e).err(), Some(Error::MalformedHash), "{e:?}");
        }
    }

    /// `v=2`: `l=` between `k=` and `i=`, 1–4 lanes, and per-lane iterations in the range that
    /// `PIN_ITERATIONS` gives (`⌈10,000 / l⌉ ..= ⌈10,000,000 / l⌉`); everything else refused.
    #[test]
    fn v2_strings() {
        for (lanes, lo, hi) in
            [(1, 10_000, 10_000_000), (2, 5_000, 5_000_000), (3, 3_334, 3_333_334), (4, 2_500, 2_500_000)]
        {
            assert_eq!(iterations_range(lanes), lo..=hi);
            for i in [lo, hi] {
                let p = HashParams { version: 2, key_id: 3, lanes, iterations: i, length: 6 };
                let h = format(&p, &[1; 16], &[2; 32]);
                assert!(
                    h.as_str().starts_with(&std::format!("$pcodes-pin$v=2,k=3,l={lanes},i={i},n=6$")),
                    "{h}"
                );
                assert_eq!(parse(h.as_str()).unwrap().params, p);
            }
            for i in [lo - 1, hi + 1] {
                let p = HashParams { version: 2, key_id: 3, lanes, iterations: i, length: 6 };
                assert_eq!(
                    parse(format(&p, &[1; 16], &[2; 32]).as_str()).err(),
                    Some(Error::MalformedHash),
                    "{i}"
                );
            }
        }
        let good = format(
            &HashParams { version: 2, key_id: 2, lanes: 2, iterations: 300_000, length: 4 },
            &[1; 16],
            &[2; 32],
        );
        let g = good.as_str();
        assert_eq!(parse(g).unwrap().params.lanes, 2);
        let edits = [
            g.replace(",l=2", ""),
            g.replace("l=2", "l=0"),
            g.replace("l=2", "l=5"),
            g.replace("l=2", "l=02"),
            g.replace("l=2,i=300000", "i=300000,l=2"),
            g.replace("v=2", "v=1"),
            g.replace("v=2", "v=3"),
            g.replace(",l=2", ",l=2,l=2"),
        ];
        for e in &edits {
            assert_eq!(parse(e).err(), Some(Error::MalformedHash), "{e:?}");
        }
        // A `v=1` string with an `l=` field is not `v=1`.
        let v1 = g.replace("v=2", "v=1").replace(",l=2", ",l=1");
        assert_eq!(parse(&v1).err(), Some(Error::MalformedHash));
    }
}
