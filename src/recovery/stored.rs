//! The stored recovery-code string: format, parsing, and the keyed tag of a code.
//!
//! ```text
//! $pcodes-recovery$v=1,k=<key id>,n=<codes>$<set id>$<tags>
//! ```
//!
//! `set id` (8 random bytes, never all zero) and `tags` (`n` × 8 bytes, in the order the codes
//! were shown) are standard base64 without padding, as in the PIN hash string (whose codec this
//! reuses, `src/pin/hash.rs`). The longest string (key id 15, 16 codes) is 214 bytes, so it
//! always fits [`STORED_BYTES`] (256, including a C string's NUL).
//!
//! `tag = HMAC-SHA256(pepper[k], "portal-codes/recovery/v1" ‖ 0x00 ‖ len(account id) as u32 BE
//! ‖ account id ‖ v ‖ k ‖ n ‖ set id ‖ code)[..8]`, where `code` is the 55 data bits of the
//! code as a u64 BE and `pepper[k]` is the PIN pepper of key id `k` (in memory, the
//! `Purpose::Pin` key of master key `k`; or the host's device when
//! [`crate::Context::set_pepper`] serves `k`, which then computes the full HMAC, truncated here):
//! the stored credentials of an account share one pepper, and the domain string (not a prefix
//! of the PIN hash's `portal-codes/pin/v1\0`, nor it of this) keeps the two apart. Without the
//! pepper a database dump reveals nothing about a code; a tag copied to another account, or
//! into another set, does not verify (the account id and the set id are inside it). Parsing is
//! strict (one canonical spelling), so every accepted string has exactly one meaning.

use crate::error::{Error, Result};
use crate::pin::hash::{Key, Writer, b64_decode, b64_encode, parse_num};

/// Buffer size for a stored recovery-code string, including a C string's terminating NUL.
pub const STORED_BYTES: usize = 256;
/// The format version written by this library (`v=`).
pub const FORMAT_VERSION: u32 = 1;
/// Bytes of a code's tag kept in the string (64 bits).
pub(crate) const TAG_BYTES: usize = 8;
/// Bytes of a set id.
pub(crate) const SET_ID_BYTES: usize = 8;
/// Most codes in a set (the blob keeps one bit per code).
pub(crate) const MAX: usize = 16;
const PREFIX: &str = "$pcodes-recovery$";
const DOMAIN: &[u8] = b"portal-codes/recovery/v1\0";

/// A parsed stored string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Parsed {
    pub(crate) key_id: u8,
    pub(crate) count: u8,
    pub(crate) set_id: [u8; SET_ID_BYTES],
    /// The tags, in order; zero past `count`.
    pub(crate) tags: [[u8; TAG_BYTES]; MAX],
}

/// A recovery-code string to store for the account: at most [`STORED_BYTES`]` - 1` ASCII bytes,
/// no allocation. `Debug` shows only the parameters.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredCodes {
    buf: [u8; STORED_BYTES],
    len: usize,
}

impl StoredCodes {
    /// The string to store.
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Only ASCII is ever written (see `format`).
        core::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

impl core::fmt::Display for StoredCodes {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl core::fmt::Debug for StoredCodes {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let s = self.as_str();
        let params = s.get(..s.rfind('$').and_then(|t| s[..t].rfind('$')).unwrap_or(0)).unwrap_or("");
        write!(f, "StoredCodes({params}$..)")
    }
}

impl AsRef<str> for StoredCodes {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

/// Formats the stored string of a set.
pub(crate) fn format(p: &Parsed) -> StoredCodes {
    let mut buf = [0u8; STORED_BYTES];
    let mut w = Writer { buf: &mut buf, len: 0 };
    w.str(PREFIX);
    w.str("v=");
    w.num(FORMAT_VERSION);
    w.str(",k=");
    w.num(p.key_id.into());
    w.str(",n=");
    w.num(p.count.into());
    w.byte(b'$');
    b64_encode(&p.set_id, &mut w);
    w.byte(b'$');
    let mut flat = [0u8; TAG_BYTES * MAX];
    for (i, t) in p.tags.iter().enumerate() {
        flat[i * TAG_BYTES..(i + 1) * TAG_BYTES].copy_from_slice(t);
    }
    b64_encode(&flat[..usize::from(p.count) * TAG_BYTES], &mut w);
    let len = w.len;
    StoredCodes { buf, len }
}

/// Parses a stored string strictly.
///
/// # Errors
/// [`Error::MalformedHash`] (with a developer detail) for anything [`format`] does not write.
pub(crate) fn parse(stored: &str) -> Result<Parsed> {
    parse_inner(stored).ok_or_else(|| {
        Error::MalformedHash
            .because(c"stored: not a recovery-code string written by pcodes_recovery_generate")
    })
}

fn parse_inner(stored: &str) -> Option<Parsed> {
    let rest = stored.strip_prefix(PREFIX)?;
    let mut parts = rest.split('$');
    let (params, set_t, tags_t) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let mut fields = params.split(',');
    let mut field = |name: &str| fields.next()?.strip_prefix(name).and_then(parse_num);
    let (v, k, n) = (field("v=")?, field("k=")?, field("n=")?);
    if fields.next().is_some() || v != FORMAT_VERSION || k > crate::keys::MAX_KEY_ID {
        return None;
    }
    let count = usize::try_from(n).ok().filter(|n| (1..=MAX).contains(n))?;
    let mut set_id = [0u8; SET_ID_BYTES];
    b64_decode(set_t.as_bytes(), &mut set_id)?;
    if set_id == [0; SET_ID_BYTES] {
        return None;
    }
    let mut flat = [0u8; TAG_BYTES * MAX];
    b64_decode(tags_t.as_bytes(), &mut flat[..count * TAG_BYTES])?;
    let mut tags = [[0u8; TAG_BYTES]; MAX];
    for (i, t) in tags.iter_mut().take(count).enumerate() {
        t.copy_from_slice(&flat[i * TAG_BYTES..(i + 1) * TAG_BYTES]);
    }
    Some(Parsed { key_id: u8::try_from(k).ok()?, count: u8::try_from(count).ok()?, set_id, tags })
}

/// The pepper key a string names, routed as the PIN hash's ([`crate::pin::hash::pepper`]): the
/// host's device if [`crate::Context::set_pepper`] serves `key_id`, else the in-memory key.
///
/// # Errors
/// [`Error::UnknownKey`] (with a developer detail) if neither the device nor the context holds it.
pub(crate) fn pepper(ctx: &crate::Context, key_id: u8) -> Result<Key<'_>> {
    crate::pin::hash::pepper(ctx, key_id.into()).map_err(|e| {
        e.because(c"stored: written under a key id this context does not hold (pcodes_ctx_add_key)")
    })
}

/// The tag of the code whose 55 data bits are `code` in the set `p` of `account_id`: the first
/// [`TAG_BYTES`] of the full HMAC (in memory, or on the host's device: the same message).
///
/// # Errors
/// [`Error::PepperFailed`] if the key is the host's device and it failed.
pub(crate) fn tag(pepper: Key<'_>, account_id: &str, p: &Parsed, code: u64) -> Result<[u8; TAG_BYTES]> {
    let acc_len = u32::try_from(account_id.len()).unwrap_or(u32::MAX).to_be_bytes();
    #[allow(clippy::cast_possible_truncation)] // FORMAT_VERSION is 1
    let small = [FORMAT_VERSION as u8, p.key_id, p.count];
    let mut c = code.to_be_bytes();
    let full = pepper.mac(&[DOMAIN, &acc_len, account_id.as_bytes(), &small, &p.set_id, &c]);
    zeroize::Zeroize::zeroize(&mut c);
    let mut full = full?;
    let mut t = [0u8; TAG_BYTES];
    t.copy_from_slice(&full[..TAG_BYTES]);
    zeroize::Zeroize::zeroize(&mut full);
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(count: u8) -> Parsed {
        let mut tags = [[0u8; TAG_BYTES]; MAX];
        for (i, t) in tags.iter_mut().take(count.into()).enumerate() {
            *t = core::array::from_fn(|j| (i * 31 + j * 7 + 1) as u8);
        }
        Parsed { key_id: 15, count, set_id: [0xFB, 1, 2, 3, 4, 5, 6, 0xFF], tags }
    }

    #[test]
    fn round_trip_and_longest() {
        for n in 1..=16u8 {
            let p = sample(n);
            let s = format(&p);
            assert_eq!(parse(s.as_str()).unwrap(), p, "{n}");
        }
        let longest = format(&sample(16));
        assert_eq!(longest.as_str().len(), 214);
        assert!(longest.as_str().len() < STORED_BYTES);
        // Independent base64 of the set id (Python: base64.b64encode(bytes([0xfb,1,2,3,4,5,6,0xff]))).
        assert!(longest.as_str().starts_with("$pcodes-recovery$v=1,k=15,n=16$+wECAwQFBv8$"), "{longest}");
        assert_eq!(std::format!("{longest:?}"), "StoredCodes($pcodes-recovery$v=1,k=15,n=16$..)");
    }

    #[test]
    fn strict_parsing() {
        let good = format(&sample(3)).as_str().to_string();
        assert!(parse(&good).is_ok());
        let bad = [
            good.replace("v=1", "v=2"),
            good.replace("k=15", "k=16"),
            good.replace("k=15", "k=015"),
            good.replace("n=3", "n=0"),
            good.replace("n=3", "n=17"),
            good.replace("n=3", "n=2"),
            good.replace("n=3", "n=4"),
            good.replace("+wECAwQFBv8", "AAAAAAAAAAA"),
            good.replace("+wECAwQFBv8", "+wECAwQFBv9"),
            [&good, "$"].concat(),
            [&good, "A"].concat(),
            good.replace("$pcodes-recovery$", "$pcodes-pin$"),
            good.replace(",n=3", ""),
            good.replace(",n=3", ",n=3,x=1"),
            std::string::String::new(),
        ];
        for b in &bad {
            assert_eq!(parse(b), Err(Error::MalformedHash), "{b:?}");
        }
    }

    use std::string::ToString;
}
