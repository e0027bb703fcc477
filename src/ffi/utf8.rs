//! The UTF-8 check of C string arguments: exactly `core::str::from_utf8`'s answer, with a short,
//! safe fast path for what a portal passes — ASCII and two-byte characters (Cyrillic names).
//!
//! Issue 23 §4: `from_utf8` walks a non-ASCII string a byte at a time through its general
//! state machine (about 600 instructions for the four child fields and the code of a C link
//! redeem, callgrind). This check accepts ASCII and well-formed two-byte sequences (lead
//! `C2`–`DF`, one continuation `80`–`BF`) eight bytes at a time with bit masks on a `u64` (the
//! tail a byte at a time), and hands anything else — three- and four-byte characters, and every
//! invalid byte — to `from_utf8`, which then decides. It reads only the slice `strlen` found
//! (unlike the SSE2 scanner removed in issue 15, it needs no `unsafe` to read and has no
//! per-target code); its one `unsafe` is the conversion of what it accepted.

/// Whether `b` consists only of ASCII bytes and two-byte sequences `C2..=DF` `80..=BF`, all of
/// which is valid UTF-8. `false` says nothing about validity (the caller asks `from_utf8`).
#[inline(always)]
fn ascii_or_two_byte(b: &[u8]) -> bool {
    const TOP: u64 = 0x8080_8080_8080_8080;
    let mut i = 0;
    // 0x80 when the previous word ended with a lead byte (its continuation comes next).
    let mut pending = 0u64;
    // A word at a time, each byte's classes at its top bit: byte k of the word is bits
    // 8k..8k+8 (little-endian), and `w << j` brings a byte's bit 7 − j to its bit 7.
    while let Some(c) = b.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(c);
        let w = u64::from_le_bytes(word);
        let high = w & TOP; // 1xxxxxxx
        if high | pending != 0 {
            let b6 = (w << 1) & TOP;
            let lead = high & b6; // 11xxxxxx
            let cont = high & !b6; // 10xxxxxx
            // Lead bytes must be 110xxxxx (bit 5 clear) and not C0/C1 (bits 4..1 not all clear).
            let b5 = (w << 2) & TOP;
            let b4_1 = ((w << 3) | (w << 4) | (w << 5) | (w << 6)) & TOP;
            // Every continuation right after a lead, every lead right before a continuation.
            if lead & (b5 | !b4_1) != 0 || (lead << 8) | pending != cont {
                return false;
            }
            pending = lead >> 56;
        }
        i += 8;
    }
    if pending != 0 {
        if b.get(i).is_none_or(|&y| y & 0xc0 != 0x80) {
            return false;
        }
        i += 1;
    }
    while let Some(&x) = b.get(i) {
        if x < 0x80 {
            i += 1;
        } else if (0xc2..=0xdf).contains(&x) && b.get(i + 1).is_some_and(|&y| y & 0xc0 == 0x80) {
            i += 2;
        } else {
            return false;
        }
    }
    true
}

/// `core::str::from_utf8(b).ok()`, faster for ASCII and two-byte characters.
#[inline(always)]
pub(crate) fn str_of(b: &[u8]) -> Option<&str> {
    if ascii_or_two_byte(b) {
        // SAFETY: `ascii_or_two_byte` accepted only ASCII bytes and sequences of a lead byte
        // C2..=DF followed by one continuation byte 80..=BF: each is a well-formed UTF-8
        // encoding (U+0000..=U+007F, U+0080..=U+07FF, never overlong), so `b` is valid UTF-8,
        // which is all `from_utf8_unchecked` requires. The tests below compare with `from_utf8`.
        Some(unsafe { core::str::from_utf8_unchecked(b) })
    } else {
        core::str::from_utf8(b).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(b: &[u8]) {
        assert_eq!(str_of(b), core::str::from_utf8(b).ok(), "{b:02x?}");
    }

    /// Every string of up to two bytes; every three-byte string over the bytes where the
    /// classes change; every length 0–40 of Cyrillic and ASCII with each byte replaced.
    #[test]
    fn agrees_with_from_utf8() {
        same(b"");
        for a in 0..=255u8 {
            same(&[a]);
            for b in 0..=255u8 {
                same(&[a, b]);
            }
        }
        let edges = [
            0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xd0, 0xdf, 0xe0, 0xe1,
            0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf4, 0xf5, 0xff,
        ];
        for &a in &edges {
            for &b in &edges {
                for &c in &edges {
                    same(&[a, b, c]);
                    same(&[b'x', a, b, c]);
                    same(&[b'0', b'1', b'2', b'3', b'4', b'5', b'6', b'7', a, b, c]);
                }
            }
        }
        let cyr = "Иванова Мария Петровна ёЁ".repeat(2);
        let ascii = "ABCDE-FGHJK-MNPQR-STVWX-YZ012-2015-01-01";
        for base in [cyr.as_bytes(), ascii.as_bytes(), "a\u{a0}b Ж дефис\u{2010}😀".as_bytes()] {
            for len in 0..=base.len().min(48) {
                same(&base[..len]);
                for at in 0..len {
                    for bad in [0x00, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xd0, 0xdf, 0xe0, 0xe2, 0xf0, 0xff]
                    {
                        let mut v = base[..len].to_vec();
                        v[at] = bad;
                        same(&v);
                    }
                }
            }
        }
        // Random strings from a mix of the classes.
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..50_000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let len = (x >> 58) as usize;
            let v: std::vec::Vec<u8> = (0..len)
                .map(|i| {
                    let r = (x.rotate_left(7 * i as u32) >> 40) as u8;
                    match r % 4 {
                        0 => r & 0x7f,
                        1 => 0x80 | (r & 0x3f),
                        2 => 0xc0 | (r & 0x1f),
                        _ => r,
                    }
                })
                .collect();
            same(&v);
        }
    }
}
