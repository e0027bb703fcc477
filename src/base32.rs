//! Base32: 5-bit packing of bytes into symbols of a 32-symbol alphabet, into caller buffers
//! (no allocation).
//!
//! The packing is the [`base32`](https://docs.rs/base32) crate's (its `no_std`, no-alloc
//! `encode_buf` / `decode_buf`); this module adds what typed secrets need around it.
//!
//! [`RFC4648`] is the alphabet of RFC 4648 §6 (`A`–`Z`, `2`–`7`), used by authenticator apps for
//! their secrets. Any other 32-symbol alphabet (for instance Crockford's, with its look-alike
//! aliases) is a `const` built with [`Alphabet::new`] and [`Alphabet::alias`].
//!
//! - Output carries no `=` padding: `encoded_len(n) = ceil(8n / 5)` symbols.
//! - Input may use either case (for alphabets whose letters have two cases), and may contain
//!   spaces, tabs and line breaks anywhere and `=` padding at the end; all are ignored.
//!   Anything else, or a symbol count that no byte string encodes to (1, 3 or 6 modulo 8), is
//!   [`Error::InvalidArgument`]. Unused low bits of the last symbol are ignored.
//! - Decoding checks the whole input before it writes anything: on an error the output buffer
//!   is untouched.
//! - The symbols and bytes this module copies on their way (eight symbols, five bytes at a time)
//!   are wiped after use.

use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// A 32-symbol alphabet (a `base32::Encoding` that ignores case).
pub struct Alphabet {
    encoding: ::base32::Encoding,
}

impl core::fmt::Debug for Alphabet {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let symbols = core::str::from_utf8(self.encoding.alphabet()).unwrap_or("?");
        f.debug_tuple("Alphabet").field(&symbols).finish()
    }
}

/// The RFC 4648 §6 alphabet, `ABCDEFGHIJKLMNOPQRSTUVWXYZ234567`.
pub const RFC4648: Alphabet = Alphabet::new(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");

/// Bytes that decoding skips anywhere: space, tab, CR, LF.
const fn is_skipped(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// Whether `c` is one of `symbols`, in either case.
const fn is_in(symbols: &[u8], c: u8) -> bool {
    let mut i = 0;
    while i < symbols.len() {
        if symbols[i].eq_ignore_ascii_case(&c) {
            return true;
        }
        i += 1;
    }
    false
}

impl Alphabet {
    /// An alphabet from its 32 ASCII symbols, value 0 first. ASCII letters decode in either
    /// case; space, tab, CR, LF are skipped and `=` is trailing padding.
    ///
    /// # Panics
    /// At compile time (in a `const`) if a symbol is repeated (in either case), is not ASCII,
    /// or is white space or `=`.
    #[must_use]
    pub const fn new(symbols: &[u8; 32]) -> Self {
        let mut i = 0;
        while i < 32 {
            let c = symbols[i];
            assert!(c.is_ascii() && !is_skipped(c) && c != b'=', "bad symbol");
            let (before, _) = symbols.split_at(i);
            assert!(!is_in(before, c), "repeated symbol");
            i += 1;
        }
        Self { encoding: ::base32::Encoding::new(*symbols).with_ignore_case() }
    }

    /// The same alphabet where `from` (and, for a letter, its other case) also decodes as
    /// the symbol `to` (e.g. Crockford's `O` → `0`, `I`/`L` → `1`).
    ///
    /// # Panics
    /// At compile time if `to` is not a symbol, or `from` is a symbol, is not ASCII, or is white
    /// space or `=`.
    #[must_use]
    #[allow(clippy::cast_possible_truncation)] // i < 32
    pub const fn alias(self, from: u8, to: u8) -> Self {
        let symbols = self.encoding.alphabet();
        assert!(from.is_ascii() && !is_skipped(from) && from != b'=', "bad alias");
        assert!(!is_in(symbols, from), "alias is already a symbol");
        let mut i = 0;
        while !symbols[i].eq_ignore_ascii_case(&to) {
            i += 1;
            assert!(i < 32, "alias target is not a symbol");
        }
        let encoding = self
            .encoding
            .with_symbol(from.to_ascii_lowercase(), i as u8)
            .with_symbol(from.to_ascii_uppercase(), i as u8);
        Self { encoding }
    }

    /// The symbol for a 5-bit value (`value & 31`).
    #[must_use]
    pub const fn symbol(&self, value: u8) -> u8 {
        self.encoding.alphabet()[(value & 31) as usize]
    }

    /// The value of a symbol, or `None` (also for skipped and padding bytes).
    #[must_use]
    pub fn value(&self, symbol: u8) -> Option<u8> {
        if !symbol.is_ascii() || is_skipped(symbol) {
            return None;
        }
        // Two symbols make one byte: the value's five bits, then three zero bits.
        let pair = [symbol, self.symbol(0)];
        let mut byte = [0u8; 1];
        let text = core::str::from_utf8(&pair).ok()?;
        self.encoding.decode_buf(text, &mut byte).ok()?;
        Some(byte[0] >> 3)
    }

    /// Encodes `data` into `out` without padding; returns the symbols written (ASCII).
    ///
    /// # Errors
    /// [`Error::BufferTooSmall`] if `out` is shorter than [`encoded_len`]`(data.len())`
    /// (nothing is written then).
    pub fn encode<'o>(&self, data: &[u8], out: &'o mut [u8]) -> Result<&'o str> {
        let n = encoded_len(data.len());
        let out = out.get_mut(..n).ok_or(Error::BufferTooSmall)?;
        let written = self.encoding.encode_buf(data, out).map_err(|_| Error::Internal)?;
        // Every symbol is ASCII (checked in `new`).
        core::str::from_utf8(written).map_err(|_| Error::Internal)
    }

    /// Decodes `text` into `out`; returns the number of bytes written.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a byte that is not a symbol, white space or trailing `=`,
    /// or for an impossible symbol count; [`Error::BufferTooSmall`] if `out` is shorter than
    /// the decoded data. On an error `out` is untouched.
    pub fn decode(&self, text: &[u8], out: &mut [u8]) -> Result<usize> {
        let n = self.decoded_len(text)?;
        let out = out.get_mut(..n).ok_or(Error::BufferTooSmall)?;
        self.run(text, Some(out))
    }

    /// The number of bytes `text` decodes to, without decoding into a buffer.
    ///
    /// # Errors
    /// As [`Alphabet::decode`] (never `BufferTooSmall`).
    pub fn decoded_len(&self, text: &[u8]) -> Result<usize> {
        self.run(text, None)
    }

    /// Collects the symbols of `text` eight at a time (white space and trailing `=` left out)
    /// and decodes each group with the `base32` crate: into `out` (which has room for all of
    /// them), or into a scratch block that is only checked (`None`). Returns the decoded length.
    fn run(&self, text: &[u8], mut out: Option<&mut [u8]>) -> Result<usize> {
        let mut group = Zeroizing::new([0u8; 8]);
        let mut scratch = Zeroizing::new([0u8; 5]);
        let (mut k, mut written, mut padding) = (0, 0, false);
        let mut flush = |group: &[u8], written: &mut usize| -> Result<()> {
            let text = core::str::from_utf8(group).map_err(|_| Error::InvalidArgument)?;
            let dst = match out.as_deref_mut() {
                Some(o) => &mut o[*written..],
                None => &mut scratch[..],
            };
            *written += self.encoding.decode_buf(text, dst).map_err(|_| Error::InvalidArgument)?.len();
            Ok(())
        };
        for &c in text {
            if is_skipped(c) {
                continue;
            }
            if c == b'=' {
                padding = true;
                continue;
            }
            if padding {
                return Err(Error::InvalidArgument);
            }
            group[k] = c;
            k += 1;
            if k == 8 {
                flush(&group[..], &mut written)?;
                k = 0;
            }
        }
        if matches!(k, 1 | 3 | 6) {
            return Err(Error::InvalidArgument);
        }
        if k > 0 {
            flush(&group[..k], &mut written)?;
        }
        Ok(written)
    }
}

/// Symbols needed for `n` bytes without padding: `ceil(8n / 5)`.
#[must_use]
pub const fn encoded_len(n: usize) -> usize {
    n / 5 * 8 + (n % 5 * 8).div_ceil(5)
}

/// Bytes at most decoded from `symbols` symbols: `floor(5 * symbols / 8)`.
#[must_use]
pub const fn max_decoded_len(symbols: usize) -> usize {
    symbols / 8 * 5 + symbols % 8 * 5 / 8
}

/// RFC 4648 base32 of `data` into `out`, no padding (see [`Alphabet::encode`]).
///
/// # Errors
/// [`Error::BufferTooSmall`].
pub fn encode<'o>(data: &[u8], out: &'o mut [u8]) -> Result<&'o str> {
    crate::diag::clear(); // a call that succeeds leaves no detail behind
    RFC4648.encode(data, out)
}

/// Decodes RFC 4648 base32 (any case, spaces and padding ignored) into `out` (see
/// [`Alphabet::decode`]); returns the bytes written.
///
/// # Errors
/// [`Error::InvalidArgument`], [`Error::BufferTooSmall`].
pub fn decode(text: &str, out: &mut [u8]) -> Result<usize> {
    crate::diag::clear(); // a call that succeeds leaves no detail behind
    RFC4648.decode(text.as_bytes(), out)
}

#[cfg(test)]
mod oracle;

#[cfg(test)]
#[allow(clippy::cast_possible_truncation)]
mod tests {
    use super::*;
    use crate::rng::{ChaCha20Rng, Rng, SeedableRng};
    use std::vec::Vec;

    /// RFC 4648 §10, without and with padding, in both cases.
    #[test]
    fn rfc4648_vectors() {
        let v = [
            ("", ""),
            ("f", "MY======"),
            ("fo", "MZXQ===="),
            ("foo", "MZXW6==="),
            ("foob", "MZXW6YQ="),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI======"),
        ];
        for (plain, enc) in v {
            let mut out = [0u8; 16];
            let e = encode(plain.as_bytes(), &mut out).unwrap();
            assert_eq!(e, enc.trim_end_matches('='));
            assert_eq!(e.len(), encoded_len(plain.len()));
            for text in
                [std::string::String::from(enc), enc.to_ascii_lowercase(), enc.trim_end_matches('=').into()]
            {
                let mut d = [0u8; 8];
                let n = decode(&text, &mut d).unwrap();
                assert_eq!(&d[..n], plain.as_bytes(), "{text}");
                assert_eq!(RFC4648.decoded_len(text.as_bytes()), Ok(n));
            }
        }
    }

    #[test]
    fn spaces_and_grouping_are_ignored() {
        let mut d = [0u8; 20];
        let n = decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq", &mut d).unwrap();
        assert_eq!(&d[..n], b"12345678901234567890");
        let n = decode(" MZXW\t6YQ=\n", &mut d).unwrap();
        assert_eq!(&d[..n], b"foob");
    }

    #[test]
    fn bad_input_is_refused() {
        let mut d = [0u8; 20];
        for bad in ["MZXW1", "MZ0W", "MZ=XW", "A", "ABC", "ABCDEF", "MZXW6YTB=A", "é", "MZ-XW"] {
            assert_eq!(decode(bad, &mut d), Err(Error::InvalidArgument), "{bad}");
            assert_eq!(RFC4648.decoded_len(bad.as_bytes()), Err(Error::InvalidArgument), "{bad}");
        }
        assert_eq!(d, [0; 20], "untouched");
        let mut small = [0u8; 3];
        assert_eq!(decode("MZXW6YQ", &mut small), Err(Error::BufferTooSmall));
        assert_eq!(small, [0; 3], "untouched");
        let mut out = [0u8; 7];
        assert_eq!(encode(b"fooba", &mut out[..7]), Err(Error::BufferTooSmall));
        assert_eq!(out, [0; 7], "untouched");
    }

    /// Every length 0..=70: a bit-by-bit reference encoder, and the round trip.
    #[test]
    fn round_trip_against_bitwise_reference() {
        let data: [u8; 70] = core::array::from_fn(|i| (i as u8).wrapping_mul(151).wrapping_add(17));
        for n in 0..=70 {
            let src = &data[..n];
            let mut out = [0u8; 112];
            let e = encode(src, &mut out).unwrap();
            // Reference: read bit by bit, MSB first.
            let mut reference = std::string::String::new();
            let total = n * 8;
            let mut i = 0;
            while i < total {
                let mut v = 0u8;
                for k in 0..5 {
                    let bit = i + k;
                    let b = if bit < total { (src[bit / 8] >> (7 - bit % 8)) & 1 } else { 0 };
                    v = (v << 1) | b;
                }
                reference.push(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[v as usize] as char);
                i += 5;
            }
            assert_eq!(e, reference);
            let mut back = [0u8; 70];
            let m = decode(e, &mut back).unwrap();
            assert_eq!(&back[..m], src);
            assert_eq!(max_decoded_len(e.len()), n);
        }
    }

    #[test]
    fn other_alphabets_reuse_the_packing() {
        const CROCKFORD: Alphabet = Alphabet::new(b"0123456789ABCDEFGHJKMNPQRSTVWXYZ")
            .alias(b'O', b'0')
            .alias(b'I', b'1')
            .alias(b'L', b'1');
        let mut out = [0u8; 8];
        let e = CROCKFORD.encode(&[0xff, 0x00, 0x42, 0x10, 0x84], &mut out).unwrap();
        assert_eq!(e, "ZW044444");
        let mut d = [0u8; 5];
        assert_eq!(CROCKFORD.decode(b"zwo4 4444", &mut d), Ok(5));
        assert_eq!((CROCKFORD.value(b'l'), CROCKFORD.value(b'I')), (Some(1), Some(1)));
        assert_eq!(d, [0xff, 0x00, 0x42, 0x10, 0x84]);
        assert_eq!(CROCKFORD.value(b'u'), None);
        assert_eq!(std::format!("{RFC4648:?}"), "Alphabet(\"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567\")");
    }

    /// `symbol` and `value` agree with the old tables for every byte.
    #[test]
    fn symbol_and_value_match_the_oracle() {
        let old = oracle::RFC4648;
        for b in 0..=255u8 {
            assert_eq!(RFC4648.value(b), old.value(b), "{b:#04x}");
            assert_eq!(RFC4648.symbol(b), old.symbol(b), "{b:#04x}");
        }
    }

    /// `decode` and `decoded_len` against the old hand-written codec (`oracle.rs`), for `text`
    /// into every buffer size up to one more than needed. Same results, except that the old
    /// decoder could answer `BufferTooSmall` for a bad text when the buffer filled before the
    /// bad byte; the new one checks the whole text first (`InvalidArgument`, `out` untouched).
    fn same_as_oracle(text: &[u8]) {
        let old = oracle::RFC4648;
        let mut big = [0xaau8; 128];
        let mut old_big = [0xaau8; 128];
        let full = RFC4648.decode(text, &mut big);
        let old_full = old.decode(text, &mut old_big);
        assert_eq!(full, old_full, "{text:02x?}");
        if full.is_ok() {
            assert_eq!(big, old_big, "{text:02x?}");
        } else {
            assert_eq!(big, [0xaa; 128], "untouched on error (the old decoder wrote part)");
        }
        assert_eq!(RFC4648.decoded_len(text), old.decoded_len(text), "{text:02x?}");
        if let Ok(s) = core::str::from_utf8(text) {
            let mut again = [0xaau8; 128];
            assert_eq!(decode(s, &mut again), full);
            assert_eq!(again, big);
        }
        for room in 0..=full.unwrap_or(0) + 1 {
            let mut small = [0x55u8; 128];
            let r = RFC4648.decode(text, &mut small[..room]);
            match full {
                Ok(n) => {
                    let mut old_small = [0x55u8; 128];
                    assert_eq!(r, old.decode(text, &mut old_small[..room]), "{text:02x?} into {room}");
                    if n <= room {
                        assert_eq!(small, old_small);
                    }
                }
                Err(e) => assert_eq!(r, Err(e)),
            }
            if r.is_err() {
                assert_eq!(small, [0x55; 128], "untouched on error");
            }
        }
    }

    /// Every text of up to 3 bytes over symbols of both cases, every kind of separator, `=`,
    /// look-alikes (`0 1 8 9 - _`), NUL, and non-ASCII bytes.
    #[test]
    fn short_texts_decode_as_before() {
        let bytes: &[u8] = b"AMZz27 \t\r\n=018-_\x00\x7f\x80\xc3\xa9\xff\x0b";
        same_as_oracle(b"");
        for &a in bytes {
            same_as_oracle(&[a]);
            for &b in bytes {
                same_as_oracle(&[a, b]);
                for &c in bytes {
                    same_as_oracle(&[a, b, c]);
                }
            }
        }
    }

    /// Random texts of up to 100 bytes: mostly symbols (so that many decode), with separators,
    /// padding (also in the middle), and now and then a byte that is not allowed.
    #[test]
    fn random_texts_decode_as_before() {
        let mut rng = ChaCha20Rng::seed_from_u64(32);
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567abcdefghijklmnopqrstuvwxyz";
        for _ in 0..40_000 {
            let len = rng.next_u32() as usize % 101;
            let mut text = Vec::with_capacity(len);
            for _ in 0..len {
                let r = rng.next_u32();
                text.push(match r % 100 {
                    0..=84 => alphabet[(r >> 8) as usize % alphabet.len()],
                    85..=91 => b" \t\r\n"[(r >> 8) as usize % 4],
                    92..=97 => b'=',
                    _ => (r >> 8) as u8,
                });
            }
            // Half of them: padding only at the end, as typed.
            if rng.next_u32() % 2 == 0 {
                text.retain(|&c| c != b'=');
                let pad = rng.next_u32() as usize % 8;
                text.extend(core::iter::repeat_n(b'=', pad));
            }
            same_as_oracle(&text);
        }
    }

    /// `encode` against the oracle for every length 0..=70 and random bytes, and into every
    /// buffer size (too small: `BufferTooSmall`, nothing written).
    #[test]
    fn encode_as_before() {
        let mut rng = ChaCha20Rng::seed_from_u64(5);
        for n in 0..=70 {
            for _ in 0..20 {
                let mut data = [0u8; 70];
                rng.fill_bytes(&mut data[..n]);
                let need = encoded_len(n);
                for room in [0, need.saturating_sub(1), need, need + 1, 120] {
                    let mut out = [0x55u8; 120];
                    let mut old_out = [0x55u8; 120];
                    let r = encode(&data[..n], &mut out[..room]).map(str::len);
                    let o = oracle::RFC4648.encode(&data[..n], &mut old_out[..room]).map(str::len);
                    assert_eq!(r, o, "{n} into {room}");
                    assert_eq!(out, old_out);
                }
            }
        }
    }
}
