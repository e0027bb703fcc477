//! The hand-written codec that `src/base32.rs` had before it moved onto the `base32` crate,
//! kept unchanged (test-only) as the oracle the new module is compared with: every input it
//! accepted is accepted with the same bytes, everything it refused is refused.
#![allow(dead_code, clippy::pedantic)]

//! Base32: 5-bit packing of bytes into symbols of a 32-symbol alphabet, into caller buffers
//! (no allocation).
//!
//! [`RFC4648`] is the alphabet of RFC 4648 §6 (`A`–`Z`, `2`–`7`), used by authenticator apps for
//! their secrets. The packing itself ([`Alphabet::encode`], [`Alphabet::decode`]) is generic:
//! any other 32-symbol alphabet (for instance Crockford's, with its look-alike aliases) is a
//! `const` built with [`Alphabet::new`] and [`Alphabet::alias`].
//!
//! - Output carries no `=` padding: `encoded_len(n) = ceil(8n / 5)` symbols.
//! - Input may use either case (for alphabets whose letters have two cases), and may contain
//!   spaces, tabs and line breaks anywhere and `=` padding at the end; all are ignored.
//!   Anything else, or a symbol count that no byte string encodes to (1, 3 or 6 modulo 8), is
//!   [`Error::InvalidArgument`]. Unused low bits of the last symbol are ignored.

use super::encoded_len;
use crate::error::{Error, Result};

/// Marks a byte that is not a symbol in [`Alphabet`]'s decode table.
const INVALID: u8 = 0xff;
/// Marks a byte that decoding skips (white space).
const SKIP: u8 = 0xfe;
/// Marks `=` padding.
const PAD: u8 = 0xfd;

/// A 32-symbol alphabet: its encode table and the matching decode table.
#[derive(Clone, Copy)]
pub struct Alphabet {
    encode: [u8; 32],
    decode: [u8; 256],
}

impl core::fmt::Debug for Alphabet {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("Alphabet").field(&core::str::from_utf8(&self.encode).unwrap_or("?")).finish()
    }
}

/// The RFC 4648 §6 alphabet, `ABCDEFGHIJKLMNOPQRSTUVWXYZ234567`.
pub const RFC4648: Alphabet = Alphabet::new(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");

impl Alphabet {
    /// An alphabet from its 32 ASCII symbols, value 0 first. ASCII letters decode in either
    /// case; space, tab, CR, LF are skipped and `=` is trailing padding.
    ///
    /// # Panics
    /// At compile time (in a `const`) if a symbol is repeated, is not ASCII, or is white space or `=`.
    #[must_use]
    #[allow(clippy::cast_possible_truncation)] // i < 32
    pub const fn new(symbols: &[u8; 32]) -> Self {
        let mut decode = [INVALID; 256];
        decode[b' ' as usize] = SKIP;
        decode[b'\t' as usize] = SKIP;
        decode[b'\r' as usize] = SKIP;
        decode[b'\n' as usize] = SKIP;
        decode[b'=' as usize] = PAD;
        let mut i = 0;
        while i < 32 {
            let c = symbols[i];
            assert!(c.is_ascii() && decode[c as usize] == INVALID, "bad or repeated symbol");
            decode[c as usize] = i as u8;
            let other = if c.is_ascii_uppercase() { c.to_ascii_lowercase() } else { c.to_ascii_uppercase() };
            if other != c {
                assert!(decode[other as usize] == INVALID, "symbol repeated in another case");
                decode[other as usize] = i as u8;
            }
            i += 1;
        }
        Self { encode: *symbols, decode }
    }

    /// The same alphabet where `from` (and, for a letter, its other case) also decodes as
    /// the symbol `to` (e.g. Crockford's `O` → `0`, `I`/`L` → `1`).
    ///
    /// # Panics
    /// At compile time if `to` is not a symbol or `from` is already one.
    #[must_use]
    pub const fn alias(mut self, from: u8, to: u8) -> Self {
        let v = self.decode[to as usize];
        assert!(v < 32, "alias target is not a symbol");
        let lo = from.to_ascii_lowercase();
        let up = from.to_ascii_uppercase();
        assert!(self.decode[lo as usize] == INVALID && self.decode[up as usize] == INVALID);
        self.decode[lo as usize] = v;
        self.decode[up as usize] = v;
        self
    }

    /// The symbol for a 5-bit value (`value & 31`).
    #[must_use]
    pub const fn symbol(&self, value: u8) -> u8 {
        self.encode[(value & 31) as usize]
    }

    /// The value of a symbol, or `None` (also for skipped and padding bytes).
    #[must_use]
    pub const fn value(&self, symbol: u8) -> Option<u8> {
        let v = self.decode[symbol as usize];
        if v < 32 { Some(v) } else { None }
    }

    /// Encodes `data` into `out` without padding; returns the symbols written (ASCII).
    ///
    /// # Errors
    /// [`Error::BufferTooSmall`] if `out` is shorter than [`encoded_len`]`(data.len())`
    /// (nothing is written then).
    #[allow(clippy::cast_possible_truncation)] // keeps the low 5 bits on purpose
    pub fn encode<'o>(&self, data: &[u8], out: &'o mut [u8]) -> Result<&'o str> {
        let n = encoded_len(data.len());
        if out.len() < n {
            return Err(Error::BufferTooSmall);
        }
        let mut acc: u16 = 0;
        let mut bits = 0u32;
        let mut w = 0;
        for &b in data {
            acc = (acc << 8) | u16::from(b);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                out[w] = self.symbol((acc >> bits) as u8);
                w += 1;
            }
            acc &= (1 << bits) - 1;
        }
        if bits > 0 {
            out[w] = self.symbol((acc << (5 - bits)) as u8);
            w += 1;
        }
        debug_assert_eq!(w, n);
        // Every symbol is ASCII (checked in `new`).
        core::str::from_utf8(&out[..n]).map_err(|_| Error::Internal)
    }

    /// Decodes `text` into `out`; returns the number of bytes written.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a byte that is not a symbol, white space or trailing `=`,
    /// or for an impossible symbol count; [`Error::BufferTooSmall`] if `out` is shorter than
    /// the decoded data. On an error `out` may have been partly written.
    #[allow(clippy::cast_possible_truncation)] // keeps the low 8 bits on purpose
    pub fn decode(&self, text: &[u8], out: &mut [u8]) -> Result<usize> {
        let mut acc: u16 = 0;
        let mut bits = 0u32;
        let mut w = 0;
        let mut symbols = 0usize;
        let mut padding = false;
        for &c in text {
            match self.decode[c as usize] {
                SKIP => {}
                PAD => padding = true,
                INVALID => return Err(Error::InvalidArgument),
                v => {
                    if padding {
                        return Err(Error::InvalidArgument);
                    }
                    symbols += 1;
                    acc = (acc << 5) | u16::from(v);
                    bits += 5;
                    if bits >= 8 {
                        bits -= 8;
                        if w >= out.len() {
                            return Err(Error::BufferTooSmall);
                        }
                        out[w] = (acc >> bits) as u8;
                        w += 1;
                        acc &= (1 << bits) - 1;
                    }
                }
            }
        }
        if matches!(symbols % 8, 1 | 3 | 6) {
            return Err(Error::InvalidArgument);
        }
        Ok(w)
    }

    /// The number of bytes `text` decodes to, without decoding into a buffer.
    ///
    /// # Errors
    /// As [`Alphabet::decode`] (never `BufferTooSmall`).
    pub fn decoded_len(&self, text: &[u8]) -> Result<usize> {
        let mut symbols = 0usize;
        let mut padding = false;
        for &c in text {
            match self.decode[c as usize] {
                SKIP => {}
                PAD => padding = true,
                INVALID => return Err(Error::InvalidArgument),
                _ if padding => return Err(Error::InvalidArgument),
                _ => symbols += 1,
            }
        }
        if matches!(symbols % 8, 1 | 3 | 6) {
            return Err(Error::InvalidArgument);
        }
        Ok(symbols * 5 / 8)
    }
}
